/* demo.h - demonstration content: each feature adds its loader to demo.c's table. */
#ifndef COEXIST_DEMO_H
#define COEXIST_DEMO_H

#include <stdio.h>

struct app;
struct db;

/* Runs every demonstration loader not run before on this database (each is recorded in the
 * meta table, so running it twice adds nothing), with the questionnaires and vocabularies of
 * app. Reports to out. 0, or -1 with err. */
int demo_load(struct db *db, const struct app *app, FILE *out, char *err, size_t errlen);

#endif
