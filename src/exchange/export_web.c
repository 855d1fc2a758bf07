/* export_web.c - the coordinators' downloads of every response: CSV, XLSX and JSON. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "audit/audit.h"
#include "auth/auth.h"
#include "export.h"
#include "export_priv.h"
#include "survey/survey.h"
#include "app/app.h"

static const struct {
	const char *ext, *type, *name;
} formats[] = {
	[EXPORT_CSV] = {"csv", "text/csv; charset=utf-8", "CSV"},
	[EXPORT_XLSX] = {"xlsx",
			 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			 "XLSX"},
	[EXPORT_JSON] = {"json", "application/json", "JSON"},
};

/* guard (the route's role) → the campaign → its questionnaire → export → audit → send. */
static void
export_send(struct request *r, enum export_format f)
{
	const struct app *app = app_of(r);
	long long id = req_int(r, "campaign"); /* declared: a positive id, or absent (0) */
	if (id == 0)
		id = export_store_newest_campaign(r->db);
	if (id < 0) {
		resp_error(r, 500, "export: newest campaign");
		return;
	}
	struct campaign c;
	int found = id > 0 ? survey_store_campaign_get(r->db, id, &r->arena, &c) : 0;
	if (found < 0) {
		resp_error(r, 500, "export: campaign");
		return;
	}
	if (found == 0) {
		resp_error(r, 404, NULL);
		return;
	}
	const struct qdef *d = app_questionnaire(app, c.questionnaire, c.version);
	if (d == NULL) {
		resp_error(r, 500, "export: the campaign's questionnaire is not loaded");
		return;
	}
	char err[256];
	if (export_responses(r->db, d, app->vocab, f, &r->out, err, sizeof(err)) != 0) {
		resp_error(r, 500, arena_printf(&r->arena, "export: %s", err));
		return;
	}
	/* Exports carry personal data out of the site: who took one, and when, is kept. */
	if (audit_store_add(r->db, AUDIT_BY(r->user), "responses.export", "campaign", c.id,
			    arena_printf(&r->arena, "%s %s v%d", formats[f].name, d->key,
					 d->version)) != 0) {
		resp_error(r, 500, "export: audit");
		return;
	}
	char day[11];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	resp_header(r, "Content-Disposition",
		    arena_printf(&r->arena, "attachment; filename=\"coexist-responses-%s.%s\"", day,
				 formats[f].ext));
	resp_send(r, 200, formats[f].type);
}

void
responses_export_csv(struct request *r)
{
	export_send(r, EXPORT_CSV);
}

void
responses_export_xlsx(struct request *r)
{
	export_send(r, EXPORT_XLSX);
}

void
responses_export_json(struct request *r)
{
	export_send(r, EXPORT_JSON);
}
