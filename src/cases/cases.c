/* cases.c - the one rule of publication: what a public surface may show of a case. Pure. */
#include <string.h>

#include "cases.h"

static const char *
pick(const char *fr, const char *en, const char *lang)
{
	if (strcmp(lang, "en") == 0 && en && en[0])
		return en;
	return fr ? fr : "";
}

static void
project(const struct case_row *c, const char *lang, bool named, struct case_public *out)
{
	memset(out, 0, sizeof(*out));
	out->id = c->id;
	out->named = named;
	out->title = pick(c->title_fr, c->title_en, lang);
	out->summary = pick(c->summary_fr, c->summary_en, lang);
	out->results = pick(c->results_fr, c->results_en, lang);
	out->lessons = pick(c->lessons_fr, c->lessons_en, lang);
	/* Anonymised: the parties are their kind and country, never their names. */
	out->org = named ? c->org_name : "";
	/* A partner is named only with its own agreement, given in its own view. */
	out->partner = named && c->partner_named ? c->partner_name : "";
	out->org_kind = c->org_kind;
	out->org_country = c->org_country;
	out->partner_kind = c->partner_kind;
	out->partner_country = c->partner_country;
	out->org_brought = c->org_brought;
	out->partner_brought = c->partner_brought;
	out->sectors = c->sectors;
	out->countries = c->countries;
	out->type = c->type;
	out->stage = c->stage;
	out->outcome = c->outcome;
	out->resources = c->resources;
	out->factors = c->factors;
	out->obstacles = c->obstacles;
	out->sdgs = c->sdgs;
	out->start_year = c->start_year;
	out->may_contact = c->may_contact;
	out->published_at = c->published_at ? c->published_at : "";
}

bool
case_public_view(const struct case_row *c, const char *lang, struct case_public *out)
{
	if (c->state != CASE_PUBLISHED)
		return false;
	if (c->web == WEB_NAMED) {
		project(c, lang, true, out);
		return true;
	}
	/* Anonymised: only once a coordinator has read the free texts for names and details. */
	if (c->web == WEB_ANONYMISED && c->texts_reviewed) {
		project(c, lang, false, out);
		return true;
	}
	return false;
}

bool
case_events_view(const struct case_row *c, const char *lang, struct case_public *out)
{
	if (!c->events || (c->state != CASE_PUBLISHED && c->state != CASE_REVIEW))
		return false;
	/* At events the names are shown only when the web consent was named too. */
	project(c, lang, c->web == WEB_NAMED, out);
	return true;
}
