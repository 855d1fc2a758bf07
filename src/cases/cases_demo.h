/* cases_demo.h - demonstration cases. */
#ifndef COEXIST_CASES_DEMO_H
#define COEXIST_CASES_DEMO_H

#include <stddef.h>
#include <stdio.h>

struct app;
struct db;

/* Makes cases of the demonstration responses and publishes them within their consent. */
int cases_demo_load(struct db *db, const struct app *app, FILE *out, char *err, size_t errlen);

#endif
