/* cases_demo.c - demonstration cases: the three example partnerships published with names, and
 * cases made from generated responses within their consent. */
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "cases_demo.h"
#include "cases_priv.h"
#include "db/db.h"
#include "survey/survey.h"

static long long
make(struct db *db, const struct app *app, const struct qdef *d, long long rid, struct arena *a)
{
	struct answers ans;
	answers_init(&ans, a);
	if (survey_store_last_version(db, rid, &ans) != 1)
		return -1;
	struct case_row c;
	cases_from_answers(d, &ans, NULL, NULL, a, &c);
	c.response_id = rid;
	long long id = cases_store_create(db, &c);
	if (id <= 0)
		return -1;
	/* As a coordinator would: read the texts, then publish what consent allows. */
	struct case_public pub;
	struct case_row would = c;
	would.state = CASE_PUBLISHED;
	would.texts_reviewed = true;
	enum case_state to = case_public_view(&would, "fr", &pub) ? CASE_PUBLISHED : CASE_REVIEW;
	if (cases_store_set_reviewed(db, id, true) != 0 || cases_store_set_state(db, id, to) != 0 ||
	    cases_refresh(db, app, id, a) != 0)
		return -1;
	return id;
}

int
cases_demo_load(struct db *db, const struct app *app, FILE *out, char *err, size_t errlen)
{
	/* The demo's responses are numbered in the order they were made: the three examples
	 * first, then the generated ones. */
	int made = 0;
	for (long long rid = 1;; rid++) {
		struct response resp;
		struct arena probe;
		arena_init(&probe, 4096);
		int got = survey_store_response_get(db, rid, &probe, &resp);
		if (got <= 0 || !resp.submitted || resp.partner_of) {
			arena_free(&probe);
			if (got < 0)
				return -1;
			if (got == 0)
				break; /* past the last response */
			continue;
		}
		struct answers sent;
		answers_init(&sent, &probe);
		/* Only responses that allow some showing: the others stay out of the catalogue. */
		const struct qdef *d = survey_response_qdef(db, app, rid, &probe);
		bool showable =
			d && survey_store_last_version(db, rid, &sent) == 1 &&
			(answers_has(&sent, qdef_role_key(d, QR_CONSENT_PUBLIC_NAMED), "yes") ||
			 answers_has(&sent, qdef_role_key(d, QR_CONSENT_PUBLIC_ANONYMOUS), "yes") ||
			 answers_has(&sent, qdef_role_key(d, QR_CONSENT_EVENTS), "yes"));
		arena_free(&probe);
		if (!showable)
			continue;
		struct arena a;
		arena_init(&a, 16384);
		long long id = make(db, app, d, rid, &a); /* d is the app's, not the arena's */
		arena_free(&a);
		if (id < 0) {
			snprintf(err, errlen, "demo cases: cannot make a case of response %lld",
				 rid);
			return -1;
		}
		made++;
	}
	fprintf(out, "  cases: %d cases made from responses, published within their consent\n",
		made);
	return 0;
}
