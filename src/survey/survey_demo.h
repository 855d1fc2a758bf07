/* survey_demo.h - demonstration content for collection (campaigns and responses). */
#ifndef COEXIST_SURVEY_DEMO_H
#define COEXIST_SURVEY_DEMO_H

#include <stddef.h>
#include <stdio.h>

struct app;
struct db;

/* Creates the demonstration campaigns and responses (for the questionnaire coexist v1 of app).
 * 0, or -1 with err. */
int survey_demo_load(struct db *db, const struct app *app, FILE *out, char *err, size_t errlen);

#endif
