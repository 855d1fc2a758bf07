/* learn.h - the analysis pages: cases read from the database for the insight engine, the
 * coordinators' full analysis, the public findings, and each respondent's feedback. */
#ifndef COEXIST_LEARN_H
#define COEXIST_LEARN_H

#include <stdbool.h>
#include <stddef.h>

#include "insight/insight.h"

struct arena;
struct db;
struct request;
struct vocab_set;

struct learn_filter {
	const char *sector, *region, *type; /* codes, or NULL for any */
	int from_year, to_year;             /* start year bounds, 0 for none */
	bool public_only;                   /* only cases whose respondents agreed to publication */
	const struct insight_options *options; /* how outcomes are judged (running cases); NULL:
						  the defaults */
};

/* Reads the submitted cases that consented to analysis (and, with public_only, only those
 * published as cases on the web) and that match f, their answers found by role in each
 * campaign's questionnaire (roles: qdef_roles_json of the loaded ones). Returns the number of
 * cases (in the arena, *out), or -1. */
long learn_store_cases(struct db *db, const struct vocab_set *v, const char *roles,
		       const struct learn_filter *f, struct arena *a, struct icase **out);

/* The label of an item ("factor:trust") in a language, from the vocabularies. */
const char *learn_item_label(const struct vocab_set *v, const char *item, const char *lang);

/* Handlers (learn_web.c). */
void learn_admin(struct request *r);
void learn_admin_cases(struct request *r);
void learn_admin_pdf(struct request *r);
void learn_admin_xlsx(struct request *r);
void learn_public(struct request *r);

/* The feedback shown to a respondent after submitting (response id): their factors and
 * obstacles compared with similar partnerships. Sets values in ctx. */
struct tval;
void learn_feedback(struct request *r, long long response_id, struct tval *ctx);

#endif
