/* cases_demo.h - demonstration cases. */
#ifndef COEXIST_CASES_DEMO_H
#define COEXIST_CASES_DEMO_H

#include <stddef.h>
#include <stdio.h>

struct db;
struct vocab_set;

/* Makes cases of the demonstration responses and publishes them within their consent. */
int cases_demo_load(struct db *db, const struct vocab_set *v, FILE *out, char *err, size_t errlen);

#endif
