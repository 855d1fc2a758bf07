/* learn_web.c - the analysis pages: coordinators' insights, the public findings, exports, and
 * the feedback shown to a respondent after submitting. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "db/db.h"
#include "learn.h"
#include "survey/survey.h"
#include "learn/insight_report.h"
#include "view/svg.h"
#include "app/app.h"
#include "web/form.h"
#include "web/page.h"

#define TOP_FACTORS 20
#define TOP_SETS    15
#define TOP_WORDS   15

/* Everything computed for one page. */
struct analysis {
	struct learn_filter f;
	struct insight_options o;
	struct icase *cases;
	long ncases;
	struct ifactors factors;
	struct iitemsets sets;
	struct iobstacles obstacles;
	struct iterms terms;
	struct ipairs pairs;
	const char *query; /* the filters as a query string, for links ("" or "&sector=health…") */
};

static const char *
lang_of(const struct request *r)
{
	return r->lang == LANG_EN ? "en" : "fr";
}

static const char *
label(struct request *r, const char *item)
{
	return learn_item_label(app_of(r)->vocab, item, lang_of(r));
}

static const char *
nonempty(const char *s)
{
	return s && s[0] ? s : NULL;
}

/* Reads the filters, loads the cases and runs every analysis. False when it answered. */
static bool
analyse(struct request *r, struct analysis *an, bool public_only)
{
	memset(an, 0, sizeof(*an));
	insight_options_default(&an->o);
	an->f.public_only = public_only;
	an->f.sector = nonempty(req_query(r, "sector"));
	an->f.region = nonempty(req_query(r, "region"));
	an->f.type = nonempty(req_query(r, "type"));
	an->f.from_year = (int)req_int(r, "from"); /* declared: a year, or absent (0) */
	an->f.to_year = (int)req_int(r, "to");
	const char *partly = req_query(r, "partly");
	an->o.fold_partly_into_success = partly && strcmp(partly, "success") == 0;
	an->o.include_running = !public_only && req_query(r, "running") != NULL;
	an->f.options = &an->o;
	an->ncases = learn_store_cases(r->db, app_of(r)->vocab, app_of(r)->roles_json, &an->f,
				       &r->arena, &an->cases);
	if (an->ncases < 0) {
		resp_error(r, 500, "learn: database");
		return false;
	}
	size_t n = (size_t)an->ncases;
	db_slow_work("analysis"); /* the analysis takes long: never while holding the write lock */
	insight_factors(an->cases, n, &an->o, &r->arena, &an->factors);
	insight_itemsets(an->cases, n, &an->o, &r->arena, &an->sets);
	insight_obstacles(an->cases, n, &an->o, &r->arena, &an->obstacles);
	insight_words(an->cases, n, &an->o, TOP_WORDS, &r->arena, &an->terms);
	insight_partners(an->cases, n, &r->arena, &an->pairs);
	struct buf q;
	buf_init(&q, &r->arena);
	const char *names[] = {"sector", "region", "type", "from", "to", "partly", "running"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *v = nonempty(req_query(r, names[i]));
		if (v) {
			buf_printf(&q, "&%s=", names[i]);
			http_url_encode(&q, v, strlen(v));
		}
	}
	an->query = q.data ? q.data : "";
	return true;
}

static const char *
pct(struct request *r, double share)
{
	return arena_printf(&r->arena, "%.0f", share * 100.0 + 1e-9);
}

static const char *
num(struct request *r, double x)
{
	if (!isfinite(x))
		return "∞";
	return arena_printf(&r->arena, x >= 10 ? "%.0f" : x >= 1 ? "%.1f" : "%.2f", x);
}

static const char *
cases_href(struct request *r, const struct analysis *an, const char *item, const char *outcome)
{
	struct buf b;
	buf_init(&b, &r->arena);
	buf_puts(&b, "/admin/insights/cases?item=");
	http_url_encode(&b, item, strlen(item));
	if (outcome)
		buf_printf(&b, "&outcome=%s", outcome);
	buf_puts(&b, an->query);
	return b.data;
}

/* A label inside a sentence: "Le départ…" becomes "le départ…" (acronyms such as "ODD 3" are
 * left as they are). */
static const char *
in_sentence(struct request *r, const char *label)
{
	if (label[0] < 'A' || label[0] > 'Z' || (label[1] >= 'A' && label[1] <= 'Z'))
		return label;
	char *s = arena_strdup(&r->arena, label);
	s[0] = (char)(s[0] - 'A' + 'a');
	return s;
}

/* Success rate among cases with and without the item. */
static void
rates(const struct ifactor *f, double *with, double *without, long *nwith, long *nwithout)
{
	*nwith = f->with_success + f->with_failure;
	*nwithout = (f->success - f->with_success) + (f->failure - f->with_failure);
	*with = *nwith ? (double)f->with_success / (double)*nwith : 0;
	*without = *nwithout ? (double)(f->success - f->with_success) / (double)*nwithout : 0;
}

/* Filter choices of a vocabulary list with the current one selected. */
static struct tval *
choices(struct request *r, const struct qoption *opts, size_t n, const char *chosen)
{
	struct tval *list = tv_list(&r->arena);
	for (size_t i = 0; i < n; i++) {
		struct tval *o = tv_push_obj(list);
		tv_set_str(o, "code", opts[i].code);
		tv_set_str(o, "label", r->lang == LANG_EN ? opts[i].label.en : opts[i].label.fr);
		tv_set_bool(o, "selected", chosen && strcmp(chosen, opts[i].code) == 0);
	}
	return list;
}

static void
filters(struct request *r, const struct analysis *an, struct tval *ctx)
{
	const struct vocab_set *v = app_of(r)->vocab;
	const struct vocab *sectors = vocab_find(v, "sectors"),
			   *types = vocab_find(v, "partnership_types");
	if (sectors)
		tv_set(ctx, "sectors", choices(r, sectors->options, sectors->n, an->f.sector));
	if (types)
		tv_set(ctx, "types", choices(r, types->options, types->n, an->f.type));
	tv_set(ctx, "regions", choices(r, v->regions, v->nregions, an->f.region));
	if (an->f.from_year)
		tv_set_int(ctx, "from", an->f.from_year);
	if (an->f.to_year)
		tv_set_int(ctx, "to", an->f.to_year);
	tv_set_bool(ctx, "partly_success", an->o.fold_partly_into_success);
	tv_set_bool(ctx, "running", an->o.include_running);
	/* The public never sees a count of fewer than min_group cases. */
	bool show = !an->f.public_only || (an->factors.success >= an->o.min_group &&
					   an->factors.failure >= an->o.min_group);
	tv_set_bool(ctx, "show_counts", show);
	tv_set_bool(ctx, "show_left_out",
		    !an->f.public_only || an->factors.left_out >= an->o.min_group ||
			    an->factors.left_out == 0);
	tv_set_int(ctx, "ncases", an->ncases);
	tv_set_int(ctx, "nsuccess", an->factors.success);
	tv_set_int(ctx, "nfailure", an->factors.failure);
	tv_set_int(ctx, "left_out", an->factors.left_out);
	tv_set_int(ctx, "min_group", an->o.min_group);
}

/* The factors: a forest plot, a bar chart of success rates, and the full table. */
static void
factors(struct request *r, const struct analysis *an, struct tval *ctx, bool public_view)
{
	size_t n = an->factors.n;
	struct svg_interval *iv = arena_zalloc(&r->arena, (n + 1) * sizeof(*iv));
	struct svg_bar *bars = arena_zalloc(&r->arena, (2 * n + 1) * sizeof(*bars));
	size_t niv = 0, nbars = 0;
	struct tval *rows = tv_list(&r->arena);
	for (size_t i = 0; i < n; i++) {
		const struct ifactor *f = &an->factors.rows[i];
		if (public_view && f->too_few)
			continue; /* the public never sees a group smaller than the minimum */
		double with, without;
		long nwith, nwithout;
		rates(f, &with, &without, &nwith, &nwithout);
		const char *lbl = label(r, f->item);
		struct tval *o = tv_push_obj(rows);
		tv_set_str(o, "label", lbl);
		tv_set_str(o, "kind",
			   page_t(r, arena_printf(&r->arena, "insight.kind.%.*s",
						  (int)strcspn(f->item, ":"), f->item)));
		tv_set_str(o, "with", pct(r, with));
		tv_set_str(o, "without", pct(r, without));
		tv_set_int(o, "nwith", nwith);
		tv_set_int(o, "nwithout", nwithout);
		tv_set_str(o, "or", num(r, f->odds_ratio));
		tv_set_str(o, "lo", num(r, f->ci_low));
		tv_set_str(o, "hi", num(r, f->ci_high));
		tv_set_str(o, "p", arena_printf(&r->arena, "%.3g", f->p));
		tv_set_str(o, "q", arena_printf(&r->arena, "%.3g", f->q));
		tv_set_bool(o, "significant", f->q < 0.05);
		tv_set_bool(o, "too_few", f->too_few);
		tv_set_str(o, "sentence",
			   insight_sentence(f, in_sentence(r, lbl), lang_of(r), &r->arena));
		if (!public_view) {
			tv_set_str(o, "href", cases_href(r, an, f->item, NULL));
			tv_set_str(o, "href_success", cases_href(r, an, f->item, "success"));
			tv_set_str(o, "href_failure", cases_href(r, an, f->item, "failure"));
		}
		if (niv < TOP_FACTORS) {
			iv[niv++] = (struct svg_interval){
				lbl,
				f->odds_ratio,
				f->ci_low,
				f->ci_high,
				arena_printf(&r->arena, "%s [%s–%s]", num(r, f->odds_ratio),
					     num(r, f->ci_low), num(r, f->ci_high)),
				public_view ? NULL : cases_href(r, an, f->item, NULL),
				f->too_few};
			if (nbars < (size_t)2 * 8) {
				bars[nbars++] = (struct svg_bar){
					arena_printf(&r->arena, "%s — %s", lbl,
						     page_t(r, "insight.with")),
					with * 100,
					arena_printf(&r->arena, "%s %% (n = %ld)", pct(r, with),
						     nwith),
					public_view ? NULL : cases_href(r, an, f->item, NULL),
					f->too_few};
				bars[nbars++] =
					(struct svg_bar){arena_printf(&r->arena, "%s — %s", lbl,
								      page_t(r, "insight.without")),
							 without * 100,
							 arena_printf(&r->arena, "%s %% (n = %ld)",
								      pct(r, without), nwithout),
							 NULL, f->too_few};
			}
		}
	}
	tv_set(ctx, "factors", rows);
	struct buf svg;
	buf_init(&svg, &r->arena);
	svg_forest(&svg, "forest", page_t(r, "insight.forest.title"),
		   page_t(r, "insight.forest.desc"), iv, niv, page_t(r, "insight.forest.less"),
		   page_t(r, "insight.forest.more"));
	tv_set(ctx, "forest", tv_html_trusted(&r->arena, svg.data, svg.len));
	buf_init(&svg, &r->arena);
	svg_bars(&svg, "rates", page_t(r, "insight.rates.title"), page_t(r, "insight.rates.desc"),
		 bars, nbars, 100);
	tv_set(ctx, "rates", tv_html_trusted(&r->arena, svg.data, svg.len));
}

static const char *
joined(struct request *r, const char **items, size_t n)
{
	struct buf b;
	buf_init(&b, &r->arena);
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? " + " : "", label(r, items[i]));
	return b.data ? b.data : "";
}

static struct tval *
sets(struct request *r, const struct iitemset *rows, size_t n, size_t max)
{
	struct tval *list = tv_list(&r->arena);
	for (size_t i = 0; i < n && i < max; i++) {
		struct tval *o = tv_push_obj(list);
		tv_set_str(o, "items", joined(r, rows[i].items, rows[i].nitems));
		tv_set_int(o, "support", rows[i].support_success);
		tv_set_int(o, "support_failure", rows[i].support_failure);
		tv_set_str(o, "confidence", pct(r, rows[i].confidence));
		tv_set_str(o, "lift", num(r, rows[i].lift));
		tv_set_str(o, "q", arena_printf(&r->arena, "%.3g", rows[i].q));
	}
	return list;
}

static void
obstacles(struct request *r, const struct analysis *an, struct tval *ctx, bool public_view)
{
	size_t n = an->obstacles.n;
	struct svg_stack *st = arena_zalloc(&r->arena, (n + 1) * sizeof(*st));
	size_t ns = 0;
	struct tval *list = tv_list(&r->arena);
	for (size_t i = 0; i < n; i++) {
		const struct iobstacle *ob = &an->obstacles.rows[i];
		if (public_view && ob->met < an->o.min_group)
			continue;
		const char *item = arena_printf(&r->arena, "obstacle:%s", ob->obstacle);
		const char *lbl = label(r, item);
		st[ns++] = (struct svg_stack){
			lbl,
			{(double)ob->overcome, (double)ob->partly, (double)ob->not_overcome},
			public_view ? NULL : cases_href(r, an, item, NULL)};
		struct tval *o = tv_push_obj(list);
		tv_set_str(o, "label", lbl);
		tv_set_int(o, "met", ob->met);
		tv_set_int(o, "overcome", ob->overcome);
		tv_set_int(o, "partly", ob->partly);
		tv_set_int(o, "not", ob->not_overcome);
		struct tval *common = tv_list(&r->arena);
		for (size_t k = 0; k < ob->ncommon; k++) {
			struct tval *c = tv_push_obj(common);
			tv_set_str(c, "label", label(r, ob->common[k]));
			tv_set_str(c, "share", pct(r, ob->common_share[k]));
		}
		tv_set(o, "common", common);
		if (!public_view) { /* free texts: for coordinators only */
			struct tval *how = tv_list(&r->arena);
			for (size_t k = 0; k < ob->nhow && k < 8; k++) {
				struct tval *h = tv_push_obj(how);
				tv_set_str(h, "text", ob->how[k]);
				tv_set_str(h, "href",
					   arena_printf(&r->arena, "/admin/responses/%lld",
							ob->how_case[k]));
			}
			tv_set(o, "how", how);
		}
	}
	tv_set(ctx, "obstacles", list);
	static const char *parts_keys[3] = {"insight.overcome.yes", "insight.overcome.partly",
					    "insight.overcome.no"};
	const char *parts[3];
	for (int k = 0; k < 3; k++)
		parts[k] = page_t(r, parts_keys[k]);
	struct buf svg;
	buf_init(&svg, &r->arena);
	svg_stacked(&svg, "obstacles", page_t(r, "insight.obstacles.title"),
		    page_t(r, "insight.obstacles.desc"), parts, st, ns);
	tv_set(ctx, "obstacles_chart", tv_html_trusted(&r->arena, svg.data, svg.len));
}

static struct tval *
terms(struct request *r, const struct iterm *t, size_t n, bool links)
{
	struct tval *list = tv_list(&r->arena);
	for (size_t i = 0; i < n; i++) {
		struct tval *o = tv_push_obj(list);
		tv_set_str(o, "word", t[i].word);
		tv_set_str(o, "z", arena_printf(&r->arena, "%.1f", t[i].z));
		tv_set_int(o, "n", t[i].n_success + t[i].n_failure);
		if (links && t[i].ncases) {
			struct tval *cs = tv_list(&r->arena);
			for (size_t k = 0; k < t[i].ncases && k < 10; k++) {
				struct tval *c = tv_push_obj(cs);
				tv_set_int(c, "id", t[i].cases[k]);
				tv_set_str(c, "href",
					   arena_printf(&r->arena, "/admin/responses/%lld",
							t[i].cases[k]));
			}
			tv_set(o, "cases", cs);
		}
	}
	return list;
}

static void
partners(struct request *r, const struct analysis *an, struct tval *ctx)
{
	tv_set_int(ctx, "pairs", an->pairs.pairs);
	tv_set_int(ctx, "pairs_agree", an->pairs.outcome_agree);
	struct tval *list = tv_list(&r->arena);
	for (size_t i = 0; i < an->pairs.n && i < 10; i++) {
		const struct ipair_factor *p = &an->pairs.rows[i];
		struct tval *o = tv_push_obj(list);
		tv_set_str(o, "label", label(r, p->item));
		tv_set_int(o, "both", p->both);
		tv_set_int(o, "only_ngo", p->only_ngo);
		tv_set_int(o, "only_company", p->only_company);
		tv_set_str(o, "agreement", pct(r, p->agreement));
	}
	tv_set(ctx, "pair_factors", list);
}

/* Success rates by sector, region, partnership type and period. */
static void
breakdowns(struct request *r, const struct analysis *an, struct tval *ctx)
{
	struct tval *list = tv_list(&r->arena);
	const char *dims[] = {"sector", "region", "type", "period"};
	for (size_t d = 0; d < 4; d++) {
		/* Distinct values of this dimension, counted (small lists: linear search is fine).
		 */
		const char *vals[64];
		long ok[64] = {0}, all[64] = {0};
		size_t nv = 0;
		for (long i = 0; i < an->ncases; i++) {
			const struct icase *c = &an->cases[i];
			if (c->outcome == OUTCOME_RUNNING || c->outcome == OUTCOME_UNKNOWN)
				continue;
			const char *v = d == 0   ? c->sector
					: d == 1 ? c->region
					: d == 2 ? c->type
						 : NULL;
			if (d == 3)
				v = c->year ? (c->year < 2018   ? "–2017"
					       : c->year < 2021 ? "2018–2020"
								: "2021–")
					    : NULL;
			if (v == NULL)
				continue;
			size_t k = 0;
			while (k < nv && strcmp(vals[k], v) != 0)
				k++;
			if (k == nv) {
				if (nv == 64)
					continue;
				vals[nv++] = v;
			}
			all[k]++;
			bool success =
				c->outcome == OUTCOME_SUCCESS ||
				(c->outcome == OUTCOME_PARTLY && an->o.fold_partly_into_success);
			ok[k] += success;
		}
		for (size_t k = 0; k < nv; k++) {
			struct tval *o = tv_push_obj(list);
			tv_set_str(o, "dimension",
				   page_t(r, arena_printf(&r->arena, "insight.dim.%s", dims[d])));
			const char *lbl = vals[k];
			if (d == 0)
				lbl = label(r, arena_printf(&r->arena, "sector:%s", vals[k]));
			else if (d == 2)
				lbl = label(r, arena_printf(&r->arena, "type:%s", vals[k]));
			else if (d == 1) {
				const struct vocab_set *v = app_of(r)->vocab;
				const struct qoption *reg =
					vocab_option(v->regions, v->nregions, vals[k]);
				if (reg)
					lbl = r->lang == LANG_EN ? reg->label.en : reg->label.fr;
			}
			tv_set_str(o, "value", lbl);
			tv_set_int(o, "n", all[k]);
			tv_set_str(o, "rate", pct(r, all[k] ? (double)ok[k] / (double)all[k] : 0));
			tv_set_bool(o, "too_few", all[k] < an->o.min_group);
		}
	}
	tv_set(ctx, "breakdowns", list);
}

void
learn_admin(struct request *r)
{
	struct analysis an;
	if (!analyse(r, &an, false))
		return;
	struct tval *ctx = tv_obj(&r->arena);
	tv_set_bool(ctx, "admin_view", true);
	filters(r, &an, ctx);
	factors(r, &an, ctx, false);
	tv_set(ctx, "sets", sets(r, an.sets.rows, an.sets.n, TOP_SETS));
	tv_set(ctx, "separating", sets(r, an.sets.separating, an.sets.nseparating, 10));
	obstacles(r, &an, ctx, false);
	tv_set(ctx, "words_success", terms(r, an.terms.success, an.terms.nsuccess, true));
	tv_set(ctx, "words_failure", terms(r, an.terms.failure, an.terms.nfailure, true));
	partners(r, &an, ctx);
	breakdowns(r, &an, ctx);
	tv_set_str(ctx, "query", an.query);
	page_render(r, 200, "learn/admin", "insight.title", ctx);
}

void
learn_admin_cases(struct request *r)
{
	/* The cases behind a figure, each linked to its response. */
	struct analysis an;
	if (!analyse(r, &an, false))
		return;
	const char *item = req_query(r, "item");
	const char *outcome = req_query(r, "outcome");
	int filter = outcome == NULL                   ? -1
		     : strcmp(outcome, "success") == 0 ? OUTCOME_SUCCESS
						       : OUTCOME_FAILURE;
	long long *ids = arena_alloc(&r->arena, (size_t)(an.ncases + 1) * sizeof(*ids));
	size_t n = 0;
	if (item && filter < 0) {
		n = insight_cases_with(an.cases, (size_t)an.ncases, item, -1, ids,
				       (size_t)an.ncases);
	} else if (item) {
		/* Successful or not as the figures count them (partly met folded as chosen). */
		for (long i = 0; i < an.ncases; i++) {
			const struct icase *c = &an.cases[i];
			int side = insight_side(c, &an.o);
			if (side < 0 || side != (filter == OUTCOME_SUCCESS ? 1 : 0))
				continue;
			for (size_t k = 0; k < c->nitems; k++)
				if (strcmp(c->items[k], item) == 0) {
					ids[n++] = c->id;
					break;
				}
		}
	}
	struct tval *ctx = tv_obj(&r->arena);
	tv_set_str(ctx, "item", item ? label(r, item) : "");
	if (outcome)
		tv_set_str(ctx, "outcome",
			   page_t(r, arena_printf(&r->arena, "insight.outcome.%s", outcome)));
	struct tval *list = tv_list(&r->arena);
	for (size_t i = 0; i < n; i++) {
		struct tval *o = tv_push_obj(list);
		tv_set_int(o, "id", ids[i]);
		tv_set_str(o, "href", arena_printf(&r->arena, "/admin/responses/%lld", ids[i]));
	}
	tv_set(ctx, "cases", list);
	tv_set_int(ctx, "n", (long long)n);
	tv_set_str(ctx, "back", arena_printf(&r->arena, "/admin/insights?x=1%s", an.query));
	page_render(r, 200, "learn/admin_cases", "insight.title", ctx);
}

static const char *
report_label(void *ctx, const char *item)
{
	return label(ctx, item);
}

static bool
report(struct request *r, struct analysis *an, struct insight_report *rep)
{
	if (!analyse(r, an, false))
		return false;
	memset(rep, 0, sizeof(*rep));
	rep->title = page_t(r, "insight.title");
	rep->subtitle = page_t(r, "insight.report.subtitle");
	rep->lang = lang_of(r);
	rep->ncases = an->ncases;
	rep->nsuccess = an->factors.success;
	rep->nfailure = an->factors.failure;
	rep->left_out = an->factors.left_out;
	rep->factors = &an->factors;
	rep->itemsets = &an->sets;
	rep->obstacles = &an->obstacles;
	rep->terms = &an->terms;
	rep->pairs = &an->pairs;
	rep->label = report_label;
	rep->label_ctx = r;
	rep->caveat = page_t(r, "insight.caveat");
	return true;
}

static void
send_report(struct request *r, bool pdf)
{
	struct analysis an;
	struct insight_report rep;
	if (!report(r, &an, &rep))
		return;
	char err[256];
	int rc = pdf ? insight_report_pdf(&rep, &r->out, err, sizeof(err))
		     : insight_report_xlsx(&rep, &r->out, err, sizeof(err));
	if (rc != 0) {
		resp_error(r, 500, err);
		return;
	}
	resp_header(r, "Content-Disposition",
		    pdf ? "attachment; filename=\"coexist-insights.pdf\""
			: "attachment; filename=\"coexist-insights.xlsx\"");
	resp_send(r, 200,
		  pdf ? "application/pdf"
		      : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
}

void
learn_admin_pdf(struct request *r)
{
	send_report(r, true);
}

void
learn_admin_xlsx(struct request *r)
{
	send_report(r, false);
}

void
learn_public(struct request *r)
{
	struct analysis an;
	if (!analyse(r, &an, true))
		return;
	struct tval *ctx = tv_obj(&r->arena);
	filters(r, &an, ctx);
	factors(r, &an, ctx, true);
	obstacles(r, &an, ctx, true);
	/* Words are aggregates of many texts; shown without links to the passages. */
	tv_set(ctx, "words_success",
	       terms(r, an.terms.success, an.terms.nsuccess > 10 ? 10 : an.terms.nsuccess, false));
	tv_set_bool(ctx, "enough", an.factors.success + an.factors.failure >= an.o.min_group);
	page_render(r, 200, "learn/public", "learn.title", ctx);
}

void
learn_feedback(struct request *r, long long response_id, struct tval *ctx)
{
	/* The respondent's own case, then similar ones (same sector, else same type). */
	struct learn_filter all = {0};
	struct icase *cases;
	long n = learn_store_cases(r->db, app_of(r)->vocab, app_of(r)->roles_json, &all, &r->arena,
				   &cases);
	if (n <= 0)
		return;
	const struct icase *me = NULL;
	for (long i = 0; i < n; i++)
		if (cases[i].id == response_id)
			me = &cases[i];
	if (me == NULL)
		return;
	struct icase *similar = arena_alloc(&r->arena, (size_t)n * sizeof(*similar));
	size_t ns = 0;
	for (long i = 0; i < n; i++) {
		const struct icase *c = &cases[i];
		if (c->id == me->id)
			continue;
		if ((me->sector && c->sector && strcmp(me->sector, c->sector) == 0) ||
		    (me->type && c->type && strcmp(me->type, c->type) == 0))
			similar[ns++] = *c;
	}
	struct insight_options o;
	insight_options_default(&o);
	struct ifactors f;
	db_slow_work("analysis");
	insight_factors(similar, ns, &o, &r->arena, &f);
	if (f.success < o.min_group)
		return; /* too few similar partnerships to compare with */
	tv_set_int(ctx, "fb_similar", (long long)ns);
	tv_set_int(ctx, "fb_success", f.success);
	struct tval *mine = tv_list(&r->arena);
	for (size_t i = 0; i < me->nitems; i++) {
		if (strncmp(me->items[i], "factor:", 7) != 0)
			continue;
		for (size_t k = 0; k < f.n; k++)
			if (strcmp(f.rows[k].item, me->items[i]) == 0) {
				struct tval *x = tv_push_obj(mine);
				tv_set_str(x, "label", label(r, me->items[i]));
				tv_set_str(x, "share", pct(r, f.rows[k].share_success));
			}
	}
	tv_set(ctx, "fb_factors", mine);
	struct iobstacles ob;
	insight_obstacles(similar, ns, &o, &r->arena, &ob);
	struct tval *obs = tv_list(&r->arena);
	for (size_t i = 0; i < me->nobstacles; i++)
		for (size_t k = 0; k < ob.n; k++) {
			if (strcmp(ob.rows[k].obstacle, me->obstacles[i]) != 0 ||
			    ob.rows[k].met < o.min_group)
				continue;
			struct tval *x = tv_push_obj(obs);
			tv_set_str(
				x, "label",
				label(r, arena_printf(&r->arena, "obstacle:%s", me->obstacles[i])));
			tv_set_int(x, "met", ob.rows[k].met);
			tv_set_int(x, "overcome", ob.rows[k].overcome + ob.rows[k].partly);
			struct tval *common = tv_list(&r->arena);
			for (size_t c = 0; c < ob.rows[k].ncommon && c < 3; c++)
				tv_push_str(common, label(r, ob.rows[k].common[c]));
			tv_set(x, "common", common);
		}
	tv_set(ctx, "fb_obstacles", obs);
	tv_set_bool(ctx, "feedback", true);
}
