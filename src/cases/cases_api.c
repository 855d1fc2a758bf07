/* cases_api.c - open data: published cases as JSON, at their consent level, and the OpenAPI
 * description of the API. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/codes.h"
#include "base/arena.h"
#include "cases_priv.h"
#include "cases_web.h"
#include "search.h"
#include "app/app.h"

#define API_PAGE 50

/* A JSON array of the codes of a space-separated list. */
static json_t *
codes(const char *s)
{
	json_t *a = json_array();
	const char *code;
	size_t len;
	for (const char *p = s; codes_next(&p, &code, &len);)
		json_array_append_new(a, json_stringn(code, len));
	return a;
}

static json_t *
party(const char *name, const char *kind, const char *country, bool named)
{
	json_t *o = json_pack("{s:s, s:o}", "kind", kind, "countries", codes(country));
	if (named) /* names only with the named consent */
		json_object_set_new(o, "name", json_string(name));
	return o;
}

json_t *
case_json(const struct case_public *p)
{
	return json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:s, s:s, s:s,"
			 " s:o, s:o, s:o, s:i, s:s, s:b}",
			 "id", (json_int_t)p->id, "title", p->title, "summary", p->summary,
			 "results", p->results, "lessons", p->lessons, "named", p->named,
			 "organisation", party(p->org, p->org_kind, p->org_country, p->named),
			 "partner",
			 party(p->partner, p->partner_kind, p->partner_country, p->named),
			 "sectors", codes(p->sectors), "countries", codes(p->countries),
			 "resources", codes(p->resources), "type", p->type, "stage", p->stage,
			 "outcome", p->outcome, "success_factors", codes(p->factors), "obstacles",
			 codes(p->obstacles), "sdgs", codes(p->sdgs), "start_year", p->start_year,
			 "published_at", p->published_at, "contact", p->may_contact);
}

static void
json_answer(struct request *r, int status, json_t *j)
{
	char *text = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(j);
	if (text == NULL) {
		resp_error(r, 500, "api: json");
		return;
	}
	resp_text(r, status, "application/json", text, strlen(text));
	free(text);
	resp_header(r, "Access-Control-Allow-Origin", "*");
}

struct api_ctx {
	struct request *r;
	json_t *items;
	struct case_row last;
	int n;
};

static void
add(void *p, const struct case_row *c)
{
	struct api_ctx *x = p;
	struct case_public pub;
	const char *lang = x->r->lang == LANG_EN ? "en" : "fr";
	if (!case_public_view(c, lang, &pub))
		return;
	json_array_append_new(x->items, case_json(&pub));
	x->last = *c;
	x->n++;
}

void
cases_api_list(struct request *r)
{
	struct case_filter f = {0};
	const char **slots[] = {&f.sector, &f.country, &f.region, &f.type, &f.resource,
				&f.stage,  &f.outcome, &f.sdg,    &f.kind};
	const char *names[] = {"sector", "country", "region", "type", "resource",
			       "stage",  "outcome", "sdg",    "kind"};
	for (size_t i = 0; i < 9; i++) {
		const char *v = req_query(r, names[i]);
		*slots[i] = v && v[0] ? v : NULL;
	}
	const char *q = req_query(r, "q");
	if (q && q[0]) {
		struct search_hit *hits;
		long n = search_store_query(r->db, q, 500, &r->arena, &hits);
		struct buf b;
		buf_init(&b, &r->arena);
		buf_putc(&b, '[');
		for (long i = 0; i < n; i++)
			buf_printf(&b, "%s%lld", i ? "," : "", hits[i].case_id);
		buf_putc(&b, ']');
		f.ids_json = b.data;
	}
	const char *after = NULL;
	long long after_id = 0;
	req_cursor(r, "after", &after, &after_id);
	struct api_ctx x = {r, json_array(), {0}, 0};
	int n = cases_store_list_public(r->db, &f, after, after_id, API_PAGE, &r->arena, add, &x);
	if (n < 0) {
		json_decref(x.items);
		resp_error(r, 500, "api: list");
		return;
	}
	json_t *out = json_pack("{s:o, s:I}", "cases", x.items, "total",
				(json_int_t)cases_store_count_public(r->db, &f));
	if (n == API_PAGE)
		json_object_set_new(out, "next",
				    json_string(arena_printf(&r->arena, "%s_%lld",
							     x.last.published_at, x.last.id)));
	json_answer(r, 200, out);
}

void
cases_api_one(struct request *r)
{
	struct case_row c;
	struct case_public p;
	int rc = cases_store_get(r->db, req_int(r, "id"), &r->arena, &c);
	if (rc < 0) {
		resp_error(r, 500, "api: get");
		return;
	}
	if (rc == 0 || !case_public_view(&c, r->lang == LANG_EN ? "en" : "fr", &p)) {
		json_answer(r, 404, json_pack("{s:s}", "error", "not found"));
		return;
	}
	json_answer(r, 200, case_json(&p));
}

void
cases_api_openapi(struct request *r)
{
	const char *doc = app_of(r)->openapi;
	if (doc == NULL) {
		resp_error(r, 404, NULL);
		return;
	}
	r->out_static = doc;
	r->out_static_len = strlen(doc);
	r->cache_control = "public, max-age=3600";
	resp_header(r, "Access-Control-Allow-Origin", "*");
	resp_send(r, 200, "application/json");
}
