/* meta.h - small facts about this instance, kept in the meta table. */
#ifndef COEXIST_META_H
#define COEXIST_META_H

#include <stddef.h>

struct db;

/* Copies the value of key into out; returns 1 when found, 0 when absent, -1 on error. */
int meta_store_get(struct db *db, const char *key, char *out, size_t outlen);
/* Inserts or replaces key; returns 0, or -1 on error (logged and counted). */
int meta_store_set(struct db *db, const char *key, const char *value);

#endif
