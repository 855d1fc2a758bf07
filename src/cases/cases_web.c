/* cases_web.c - the public catalogue, case pages, sheets, map and open data of published cases. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/codes.h"
#include "base/arena.h"
#include "base/email.h"
#include "cases_priv.h"
#include "cases_web.h"
#include "db/db.h"
#include "mail/mail.h"
#include "search.h"
#include "questionnaire/qdef.h"
#include "survey/survey.h"
#include "cases/case_pdf.h"
#include "view/map.h"
#include "app/app.h"
#include "web/form.h"
#include "web/rate.h"
#include "config.h"
#include "web/page.h"

#define PAGE_SIZE  20
#define SEARCH_MAX 500

static const char *
lang_of(const struct request *r)
{
	return r->lang == LANG_EN ? "en" : "fr";
}

/* Labels of codes, from the vocabularies (kind: sector, type, stage, outcome, resource, factor,
 * obstacle, sdg, kind, country, region). */
const char *
cases_label(void *ctx, const char *kind, const char *code)
{
	struct request *r = ctx;
	const struct vocab_set *v = app_of(r)->vocab;
	static const struct {
		const char *kind, *vocab;
	} map[] = {
		{"sector", "sectors"},     {"type", "partnership_types"},
		{"stage", "stages"},       {"outcome", "achievements"},
		{"resource", "resources"}, {"factor", "success_factors"},
		{"obstacle", "obstacles"}, {"sdg", "sdgs"},
		{"kind", "org_kinds"},
	};
	const struct qoption *o = NULL;
	if (strcmp(kind, "country") == 0)
		o = vocab_option(v->countries.options, v->countries.n, code);
	else if (strcmp(kind, "region") == 0)
		o = vocab_option(v->regions, v->nregions, code);
	else
		for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (strcmp(map[i].kind, kind) == 0) {
				const struct vocab *voc = vocab_find(v, map[i].vocab);
				if (voc)
					o = vocab_option(voc->options, voc->n, code);
			}
	if (o == NULL)
		return code;
	return r->lang == LANG_EN ? o->label.en : o->label.fr;
}

/* The labels of a space-separated list of codes, as a template list. */
static struct tval *
labels(struct request *r, const char *kind, const char *codes)
{
	struct tval *list = tv_list(&r->arena);
	const char *code;
	size_t len;
	for (const char *p = codes; codes_next(&p, &code, &len);)
		tv_push_str(list, cases_label(r, kind, arena_strndup(&r->arena, code, len)));
	return list;
}

static const char *
first(struct request *r, const char *codes)
{
	size_t len = strcspn(codes, " ");
	return arena_strndup(&r->arena, codes, len);
}

/* "ONG ou association (Burkina Faso)": a party as shown without its name. */
static const char *
party(struct request *r, const char *name, const char *kind, const char *country)
{
	const char *k = kind[0] ? cases_label(r, "kind", kind) : "";
	const char *c = country[0] ? cases_label(r, "country", first(r, country)) : "";
	if (name[0])
		return c[0] ? arena_printf(&r->arena, "%s (%s)", name, c) : name;
	return c[0] ? arena_printf(&r->arena, "%s (%s)", k, c) : k;
}

static struct tval *
card(struct request *r, const struct case_public *p)
{
	struct tval *o = tv_obj(&r->arena);
	tv_set_int(o, "id", p->id);
	tv_set_str(o, "href", arena_printf(&r->arena, "/cases/%lld", p->id));
	tv_set_str(o, "title", p->title);
	tv_set_str(o, "summary", p->summary);
	tv_set_str(o, "org", party(r, p->org, p->org_kind, p->org_country));
	tv_set_str(o, "partner", party(r, p->partner, p->partner_kind, p->partner_country));
	tv_set(o, "sectors", labels(r, "sector", p->sectors));
	tv_set(o, "countries", labels(r, "country", p->countries));
	if (p->type[0])
		tv_set_str(o, "type", cases_label(r, "type", p->type));
	if (p->outcome[0])
		tv_set_str(o, "outcome", cases_label(r, "outcome", p->outcome));
	return o;
}

/* ---- the catalogue ---- */

static const char *const facet_names[] = {"sector", "country", "region", "type", "resource",
					  "stage",  "outcome", "sdg",    "kind"};
#define NFACETS 9

static void
read_filter(struct request *r, struct case_filter *f)
{
	memset(f, 0, sizeof(*f));
	const char **slots[NFACETS] = {&f->sector, &f->country, &f->region, &f->type, &f->resource,
				       &f->stage,  &f->outcome, &f->sdg,    &f->kind};
	for (int i = 0; i < NFACETS; i++) {
		const char *v = req_query(r, facet_names[i]);
		*slots[i] = v && v[0] ? v : NULL;
	}
}

/* The query string of the current view without one key (or with it replaced). */
static const char *
view_url(struct request *r, const char *base, const char *drop, const char *key, const char *value)
{
	struct buf b;
	buf_init(&b, &r->arena);
	buf_puts(&b, base);
	char sep = '?';
	const char *keys[] = {"q",        "sort",  "sector",  "country", "region", "type",
			      "resource", "stage", "outcome", "sdg",     "kind",   "view"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if ((drop && strcmp(keys[i], drop) == 0) || (key && strcmp(keys[i], key) == 0))
			continue;
		const char *v = req_query(r, keys[i]);
		if (v && v[0]) {
			buf_printf(&b, "%c%s=", sep, keys[i]);
			http_url_encode(&b, v, strlen(v));
			sep = '&';
		}
	}
	if (key) {
		buf_printf(&b, "%c%s=", sep, key);
		http_url_encode(&b, value, strlen(value));
	}
	return b.data;
}

struct facets_ctx {
	struct request *r;
	struct tval *groups[NFACETS];
};

static void
add_facet(void *p, const char *facet, const char *value, long n)
{
	struct facets_ctx *c = p;
	struct request *r = c->r;
	for (int i = 0; i < NFACETS; i++) {
		if (strcmp(facet, facet_names[i]) != 0)
			continue;
		struct tval *o = tv_push_obj(c->groups[i]);
		tv_set_str(o, "label", cases_label(r, facet, value));
		tv_set_int(o, "n", n);
		const char *cur = req_query(r, facet);
		bool on = cur && strcmp(cur, value) == 0;
		tv_set_bool(o, "on", on);
		tv_set_str(o, "href",
			   on ? view_url(r, "/cases", facet, NULL, NULL)
			      : view_url(r, "/cases", NULL, arena_strdup(&r->arena, facet),
					 arena_strdup(&r->arena, value)));
	}
}

struct list_ctx {
	struct request *r;
	struct tval *list;
	struct case_row last;
	int n;
	const struct search_hit *hits;
	long nhits;
};

static void
add_card(void *p, const struct case_row *c)
{
	struct list_ctx *x = p;
	struct case_public pub;
	if (!case_public_view(c, lang_of(x->r), &pub))
		return; /* the store's filter and the rule agree; this is the second lock */
	struct tval *o = card(x->r, &pub);
	for (long i = 0; i < x->nhits; i++)
		if (x->hits[i].case_id == c->id) { /* search: the highlighted title and passage */
			tv_set(o, "title_html",
			       tv_html_trusted(&x->r->arena, x->hits[i].title_html,
					       strlen(x->hits[i].title_html)));
			tv_set(o, "snippet_html",
			       tv_html_trusted(&x->r->arena, x->hits[i].snippet_html,
					       strlen(x->hits[i].snippet_html)));
		}
	tv_push(x->list, o);
	x->last = *c;
	x->n++;
}

/* Runs the search of q: the ids (as a JSON array for the store) and the hits, ranked. */
static const char *
search_ids(struct request *r, const char *q, struct search_hit **hits, long *nhits)
{
	*nhits = search_store_query(r->db, q, SEARCH_MAX, &r->arena, hits);
	if (*nhits < 0)
		return NULL;
	struct buf b;
	buf_init(&b, &r->arena);
	buf_putc(&b, '[');
	for (long i = 0; i < *nhits; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", (*hits)[i].case_id);
	buf_putc(&b, ']');
	return b.data;
}

void
cases_catalogue(struct request *r)
{
	struct case_filter f;
	read_filter(r, &f);
	const char *q = req_query(r, "q");
	if (q && q[0] == '\0')
		q = NULL;
	struct search_hit *hits = NULL;
	long nhits = 0;
	if (q && (f.ids_json = search_ids(r, q, &hits, &nhits)) == NULL) {
		resp_error(r, 500, "cases: search");
		return;
	}
	const char *sort = req_query(r, "sort");
	bool by_relevance = q && !(sort && strcmp(sort, "date") == 0);
	struct tval *ctx = tv_obj(&r->arena);
	struct list_ctx lc = {r, tv_list(&r->arena), {0}, 0, hits, nhits};
	if (by_relevance) {
		/* Ranked by the search: page through the hits in order (at most SEARCH_MAX). */
		long start = (long)req_int(r, "at"); /* declared within 0..SEARCH_MAX */
		long shown = 0;
		for (long i = start; i < nhits && shown < PAGE_SIZE; i++) {
			struct case_filter one = f;
			one.ids_json = arena_printf(&r->arena, "[%lld]", hits[i].case_id);
			int n = cases_store_list_public(r->db, &one, NULL, 0, 1, &r->arena,
							add_card, &lc);
			if (n < 0) {
				resp_error(r, 500, "cases: list");
				return;
			}
			shown += n;
			if (shown == PAGE_SIZE && i + 1 < nhits)
				tv_set_str(ctx, "next",
					   view_url(r, "/cases", "at", "at",
						    arena_printf(&r->arena, "%ld", i + 1)));
		}
	} else {
		/* By date, paged by key (the last date and id seen), never by OFFSET. */
		const char *after = NULL;
		long long after_id = 0;
		req_cursor(r, "after", &after, &after_id);
		int n = cases_store_list_public(r->db, &f, after, after_id, PAGE_SIZE, &r->arena,
						add_card, &lc);
		if (n < 0) {
			resp_error(r, 500, "cases: list");
			return;
		}
		if (n == PAGE_SIZE)
			tv_set_str(ctx, "next",
				   view_url(r, "/cases", "after", "after",
					    arena_printf(&r->arena, "%s_%lld", lc.last.published_at,
							 lc.last.id)));
	}
	struct facets_ctx fc = {r, {0}};
	struct tval *groups = tv_list(&r->arena);
	for (int i = 0; i < NFACETS; i++) {
		fc.groups[i] = tv_list(&r->arena);
		struct tval *g = tv_push_obj(groups);
		tv_set_str(g, "name", facet_names[i]);
		tv_set_str(g, "label",
			   page_t(r, arena_printf(&r->arena, "cases.facet.%s", facet_names[i])));
		tv_set(g, "values", fc.groups[i]);
	}
	/* Each facet is counted with every filter but its own: its counts then say what a click
	 * on each value (which replaces that facet's value) will list. */
	for (int i = 0; i < NFACETS; i++) {
		struct case_filter without = f;
		const char **slots[NFACETS] = {&without.sector,  &without.country,  &without.region,
					       &without.type,    &without.resource, &without.stage,
					       &without.outcome, &without.sdg,      &without.kind};
		*slots[i] = NULL;
		if (cases_store_facet_counts(r->db, &without, facet_names[i], add_facet, &fc) < 0) {
			resp_error(r, 500, "cases: facets");
			return;
		}
	}
	for (int i = 0; i < NFACETS; i++)
		if (tv_list_at(fc.groups[i], 0))
			tv_set_bool(tv_list_at(groups, (size_t)i), "any", true);
	long total = cases_store_count_public(r->db, &f);
	tv_set(ctx, "facets", groups);
	tv_set(ctx, "cases", lc.list);
	tv_set_int(ctx, "total", total);
	if (q) {
		tv_set_str(ctx, "q", q);
		tv_set_bool(ctx, "relevance", by_relevance);
		tv_set_str(ctx, "by_date", view_url(r, "/cases", "sort", "sort", "date"));
		tv_set_str(ctx, "by_relevance", view_url(r, "/cases", "sort", NULL, NULL));
		if (total == 0) {
			const char **words;
			size_t nw = search_suggest(r->db, q, 5, &r->arena, &words);
			struct tval *sug = tv_list(&r->arena);
			for (size_t i = 0; i < nw; i++) {
				struct tval *o = tv_push_obj(sug);
				tv_set_str(o, "word", words[i]);
				tv_set_str(o, "href", view_url(r, "/cases", "q", "q", words[i]));
			}
			tv_set(ctx, "suggestions", sug);
		}
	}
	bool filtered = q != NULL;
	for (int i = 0; i < NFACETS; i++)
		filtered |= req_query(r, facet_names[i]) != NULL && req_query(r, facet_names[i])[0];
	tv_set_bool(ctx, "filtered", filtered);
	tv_set_str(ctx, "map", view_url(r, "/cases/map", "after", NULL, NULL));
	page_render(r, 200, "cases/catalogue", "cases.title", ctx);
}

/* ---- one case ---- */

/* The case of {id} as the public may see it, or a 404 (also for a case not allowed). */
static bool
load_public(struct request *r, struct case_row *row, struct case_public *pub)
{
	int rc = cases_store_get(r->db, req_int(r, "id"), &r->arena, row);
	if (rc < 0) {
		resp_error(r, 500, "cases: get");
		return false;
	}
	if (rc == 0 || !case_public_view(row, lang_of(r), pub)) {
		resp_error(r, 404, NULL);
		return false;
	}
	return true;
}

void
cases_page(struct request *r)
{
	struct case_row row;
	struct case_public p;
	if (!load_public(r, &row, &p))
		return;
	struct tval *ctx = form_ctx(r);
	tv_set(ctx, "case", card(r, &p));
	tv_set_str(ctx, "title", p.title);
	tv_set_str(ctx, "summary", p.summary);
	if (p.results[0])
		tv_set_str(ctx, "results", p.results);
	if (p.lessons[0])
		tv_set_str(ctx, "lessons", p.lessons);
	tv_set_str(ctx, "org", party(r, p.org, p.org_kind, p.org_country));
	tv_set_str(ctx, "partner", party(r, p.partner, p.partner_kind, p.partner_country));
	tv_set_bool(ctx, "named", p.named);
	tv_set(ctx, "org_brought", labels(r, "resource", p.org_brought));
	tv_set(ctx, "partner_brought", labels(r, "resource", p.partner_brought));
	tv_set(ctx, "sectors", labels(r, "sector", p.sectors));
	tv_set(ctx, "countries", labels(r, "country", p.countries));
	tv_set(ctx, "sdgs", labels(r, "sdg", p.sdgs));
	tv_set(ctx, "factors", labels(r, "factor", p.factors));
	tv_set(ctx, "obstacles", labels(r, "obstacle", p.obstacles));
	if (p.type[0])
		tv_set_str(ctx, "type", cases_label(r, "type", p.type));
	if (p.stage[0])
		tv_set_str(ctx, "stage", cases_label(r, "stage", p.stage));
	if (p.outcome[0])
		tv_set_str(ctx, "outcome", cases_label(r, "outcome", p.outcome));
	if (p.start_year)
		tv_set_int(ctx, "start_year", p.start_year);
	tv_set_str(ctx, "pdf", arena_printf(&r->arena, "/cases/%lld/sheet.pdf", p.id));
	if (p.may_contact)
		tv_set_str(ctx, "contact_action",
			   arena_printf(&r->arena, "/cases/%lld/contact", p.id));
	long long ids[6];
	int n = cases_store_similar(r->db, p.id, 6, ids);
	struct tval *similar = tv_list(&r->arena);
	for (int i = 0; i < n; i++) {
		struct case_row s;
		struct case_public sp;
		if (cases_store_get(r->db, ids[i], &r->arena, &s) == 1 &&
		    case_public_view(&s, lang_of(r), &sp))
			tv_push(similar, card(r, &sp));
	}
	tv_set(ctx, "similar", similar);
	tv_set_bool(ctx, "has_similar", tv_list_at(similar, 0) != NULL);
	const char *done = req_query(r, "done");
	if (done)
		tv_set_bool(ctx, "sent", true);
	page_render(r, 200, "cases/case", "cases.title", ctx);
}

void
cases_sheet(struct request *r)
{
	struct case_row row;
	struct case_public p;
	if (!load_public(r, &row, &p))
		return;
	char err[256];
	if (case_sheet_pdf(&p, lang_of(r), cases_label, r, &r->out, err, sizeof(err)) != 0) {
		resp_error(r, 500, err);
		return;
	}
	resp_header(r, "Content-Disposition",
		    arena_printf(&r->arena, "inline; filename=\"coexist-case-%lld.pdf\"", p.id));
	/* Revalidated every time (the route is public: no-cache with Vary): a withdrawn consent
	 * must take a sheet off at once, caches included. */
	resp_send(r, 200, "application/pdf");
}

void
cases_contact(struct request *r)
{
	/* A message to the parties, through the platform: their address is never shown. */
	struct case_row row;
	struct case_public p;
	if (!load_public(r, &row, &p))
		return;
	if (!p.may_contact) {
		resp_error(r, 404, NULL);
		return;
	}
	const char *name = req_form(r, "name"), *email = req_form(r, "email"),
		   *msg = req_form(r, "message");
	if (name == NULL || !name[0] || email == NULL || !form_email_valid(email) || msg == NULL ||
	    strlen(msg) < 10) {
		page_message(r, 422, "cases.contact.invalid.heading", "cases.contact.invalid.text",
			     arena_printf(&r->arena, "/cases/%lld", p.id), "cases.contact.back");
		return;
	}
	/* Messages through the platform: bounded per address, so it cannot be a mail cannon. */
	if (!rate_allow(r, "case.contact", app_of(r)->config->rate_messages, 3600))
		return;
	struct answers a;
	answers_init(&a, &r->arena);
	const char *to = NULL;
	const struct qdef *d =
		row.response_id ? survey_response_qdef(r->db, app_of(r), row.response_id, &r->arena)
				: NULL;
	if (d && survey_store_answers_load(r->db, row.response_id, &a) == 0)
		to = answers_get(&a, qdef_role_key(d, QR_RESPONDENT_EMAIL), 0);
	/* An address saved before the site had one e-mail rule may be one the outbox refuses:
	 * then the coordinators pass the message on, as when there is none. */
	if (to && !email_valid(to))
		to = NULL;
	struct response resp;
	struct campaign camp;
	if (to == NULL && row.response_id &&
	    survey_store_response_get(r->db, row.response_id, &r->arena, &resp) == 1 &&
	    survey_store_campaign_get(r->db, resp.campaign_id, &r->arena, &camp) == 1 &&
	    email_valid(camp.contact_email))
		to = camp.contact_email; /* the coordinators pass it on */
	if (to == NULL) {
		resp_error(r, 404, NULL);
		return;
	}
	const struct i18n *t = app_of(r)->i18n;
	const char *body = arena_printf(&r->arena, "%s « %s »\n\n%s : %s <%s>\n\n%s\n\n-- \n%s\n",
					i18n_get(t, LANG_FR, "mail.contact.intro"), p.title,
					i18n_get(t, LANG_FR, "mail.contact.from"), name, email, msg,
					i18n_get(t, LANG_FR, "mail.signature"));
	if (mail_store_queue(r->db, to, i18n_get(t, LANG_FR, "mail.contact.subject"), body) < 0) {
		resp_error(r, 500, "cases: contact mail");
		return;
	}
	if (app_of(r)->mail)
		mail_worker_wake(app_of(r)->mail);
	resp_redirect(r, arena_printf(&r->arena, "/cases/%lld?done=sent", p.id));
}

/* ---- the map ---- */

struct map_ctx {
	struct request *r;
	const char **codes;
	long *counts;
	size_t n;
	struct tval *rows;
	const char
		*prefix; /* "/cases?sector=health&country=": the catalogue with the same filters */
};

static void
country_count(void *p, const char *facet, const char *value, long n)
{
	struct map_ctx *m = p;
	if (strcmp(facet, "country") != 0 || m->n == 300)
		return;
	m->codes[m->n] = arena_strdup(&m->r->arena, value);
	m->counts[m->n++] = n;
	struct tval *o = tv_push_obj(m->rows);
	tv_set_str(o, "name", cases_label(m->r, "country", value));
	tv_set_int(o, "n", n);
	tv_set_str(o, "href", arena_printf(&m->r->arena, "%s%s", m->prefix, value));
}

static const char *
map_name(void *ctx, const char *code)
{
	return cases_label(ctx, "country", code);
}

void
cases_map(struct request *r)
{
	struct case_filter f;
	read_filter(r, &f);
	struct buf prefix;
	buf_init(&prefix, &r->arena);
	buf_puts(&prefix, "/cases?");
	for (int i = 0; i < NFACETS; i++) {
		const char *v = req_query(r, facet_names[i]);
		if (v && v[0] && strcmp(facet_names[i], "country") != 0) {
			buf_printf(&prefix, "%s=", facet_names[i]);
			http_url_encode(&prefix, v, strlen(v));
			buf_putc(&prefix, '&');
		}
	}
	buf_puts(&prefix, "country=");
	struct map_ctx m = {r,
			    arena_alloc(&r->arena, 300 * sizeof(char *)),
			    arena_alloc(&r->arena, 300 * sizeof(long)),
			    0,
			    tv_list(&r->arena),
			    prefix.data};
	struct case_filter without = f; /* countries counted as a click on each will list */
	without.country = NULL;
	if (cases_store_facet_counts(r->db, &without, "country", country_count, &m) < 0) {
		resp_error(r, 500, "cases: map");
		return;
	}
	const char *view = req_query(r, "view");
	bool world = view && strcmp(view, "world") == 0;
	struct buf svg;
	buf_init(&svg, &r->arena);
	map_svg(&svg, app_of(r)->map, world ? MAP_WORLD : MAP_AFRICA, m.codes, m.counts, m.n,
		map_name, r, m.prefix, page_t(r, "cases.map.title"), page_t(r, "cases.map.desc"));
	struct tval *ctx = tv_obj(&r->arena);
	tv_set(ctx, "map", tv_html_trusted(&r->arena, svg.data, svg.len));
	tv_set(ctx, "rows", m.rows);
	tv_set_bool(ctx, "world", world);
	page_render(r, 200, "cases/map", "cases.map.title", ctx);
}
