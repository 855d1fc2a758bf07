/* learn_store.c - SQL that turns submitted responses into cases for the insight engine. */
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/num.h"
#include "db/db.h"
#include "learn.h"
#include "questionnaire/qdef.h"

enum learn_stmt { LEARN_STMT_ANSWERS, LEARN_STMT__MAX };

static const char *const learn_sql[LEARN_STMT__MAX] = {
	/* The answers the analysis uses, of submitted responses whose respondents agreed to the
	 * confidential analysis, and with ?1 only those of cases shown on the web (the view
	 * public_cases holds the rule of publication). */
	[LEARN_STMT_ANSWERS] =
		"SELECT a.response_id, a.question_key, a.position, a.value, r.lang,"
		" coalesce(r.partner_of, 0)"
		" FROM answers a JOIN responses r ON r.id = a.response_id"
		" WHERE r.status = 'submitted'"
		" AND EXISTS (SELECT 1 FROM consents c WHERE c.response_id = r.id"
		"             AND c.use = 'consent_analysis' AND c.given = 1)"
		" AND (?1 = 0 OR (EXISTS (SELECT 1 FROM consents c WHERE c.response_id = r.id"
		"      AND c.use IN ('consent_public_named', 'consent_public_anonymous')"
		"      AND c.given = 1)"
		"      AND EXISTS (SELECT 1 FROM public_cases k"
		"      WHERE k.response_id = r.id OR k.partner_response = r.id)))"
		" AND (a.question_key IN ('achievement', 'stage', 'sectors', 'countries',"
		"      'partnership_type', 'start_year', 'success_factors', 'obstacles',"
		"      'resources',"
		"      'agreement', 'governance', 'lessons', 'advice', 'org_kind')"
		"      OR a.question_key LIKE 'obstacles.%')"
		" ORDER BY a.response_id, a.question_key, a.position",
};

const struct db_table learn_store_table = {DB_STORE_LEARN, "learn", learn_sql, LEARN_STMT__MAX};

/* Growable arrays in the arena, for the case being read. */
struct list {
	const char **v;
	size_t n, cap;
};

static void
push(struct arena *a, struct list *l, const char *s)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		const char **v = arena_alloc(a, cap * sizeof(*v));
		if (l->n)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
}

struct building {
	struct icase c;
	const char *achievement, *stage, *country, *org_kind;
	struct list items, obstacles, overcome, how;
};

static const char *
region_of(const struct vocab_set *v, const char *country)
{
	if (country == NULL)
		return NULL;
	const struct qoption *o = vocab_option(v->countries.options, v->countries.n, country);
	return o ? o->group : NULL;
}

/* Finishes the case being built: outcome, region, arrays; appends it when it matches f. */
static void
finish(struct arena *a, const struct vocab_set *v, const struct learn_filter *f, struct building *b,
       struct icase **cases, size_t *n, size_t *cap)
{
	struct icase *c = &b->c;
	c->outcome = insight_case_outcome(b->achievement, b->stage, f->options);
	c->region = region_of(v, b->country);
	c->items = b->items.v;
	c->nitems = b->items.n;
	/* "how" and "overcome" follow the obstacles' order; fill gaps with NULL / "no". */
	c->obstacles = b->obstacles.v;
	c->nobstacles = b->obstacles.n;
	const char **over = arena_zalloc(a, (b->obstacles.n + 1) * sizeof(*over));
	const char **how = arena_zalloc(a, (b->obstacles.n + 1) * sizeof(*how));
	for (size_t i = 0; i < b->obstacles.n; i++) {
		over[i] = "no";
		for (size_t k = 0; k < b->overcome.n; k += 2)
			if (strcmp(b->overcome.v[k], b->obstacles.v[i]) == 0)
				over[i] = b->overcome.v[k + 1];
		for (size_t k = 0; k < b->how.n; k += 2)
			if (strcmp(b->how.v[k], b->obstacles.v[i]) == 0)
				how[i] = b->how.v[k + 1];
	}
	c->overcome = over;
	c->how = how;
	c->ngo = b->org_kind == NULL || strcmp(b->org_kind, "ngo") == 0 ||
		 strcmp(b->org_kind, "foundation") == 0 ||
		 strcmp(b->org_kind, "international") == 0;
	bool sector_ok = f->sector == NULL; /* any of its sectors, not only the first */
	for (size_t i = 0; !sector_ok && i < b->items.n; i++)
		sector_ok = strncmp(b->items.v[i], "sector:", 7) == 0 &&
			    strcmp(b->items.v[i] + 7, f->sector) == 0;
	bool keep = sector_ok && (!f->region || (c->region && strcmp(f->region, c->region) == 0)) &&
		    (!f->type || (c->type && strcmp(f->type, c->type) == 0)) &&
		    (!f->from_year || c->year >= f->from_year) &&
		    (!f->to_year || (c->year && c->year <= f->to_year));
	if (!keep)
		return;
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		struct icase *nc = arena_alloc(a, ncap * sizeof(*nc));
		if (*n)
			memcpy(nc, *cases, *n * sizeof(*nc));
		*cases = nc;
		*cap = ncap;
	}
	(*cases)[(*n)++] = *c;
}

static const char *
item(struct arena *a, const char *kind, const char *code)
{
	return arena_printf(a, "%s:%s", kind, code);
}

long
learn_store_cases(struct db *db, const struct vocab_set *v, const struct learn_filter *f,
		  struct arena *a, struct icase **out)
{
	struct db_stmt *st = db_stmt(db, &learn_store_table, LEARN_STMT_ANSWERS);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, f->public_only);
	struct icase *cases = NULL;
	size_t n = 0, cap = 0;
	struct building b;
	memset(&b, 0, sizeof(b));
	int rc;
	while ((rc = db_step(st)) == 1) {
		long long id = db_column_int(st, 0);
		if (id != b.c.id) {
			if (b.c.id)
				finish(a, v, f, &b, &cases, &n, &cap);
			memset(&b, 0, sizeof(b));
			b.c.id = id;
			b.c.lang = db_column_text(a, st, 4);
			b.c.partner_of = db_column_int(st, 5);
		}
		const char *key = db_column_peek(st, 1);
		int pos = (int)db_column_int(st, 2);
		long long year;
		const char *val = db_column_text(a, st, 3);
		if (strcmp(key, "achievement") == 0)
			b.achievement = val;
		else if (strcmp(key, "stage") == 0)
			b.stage = val;
		else if (strcmp(key, "org_kind") == 0)
			b.org_kind = val;
		else if (strcmp(key, "start_year") == 0)
			b.c.year = num_parse(val, 0, 9999, &year) ? (int)year : 0;
		else if (strcmp(key, "countries") == 0 && pos == 0)
			b.country = val;
		else if (strcmp(key, "partnership_type") == 0) {
			b.c.type = val;
			push(a, &b.items, item(a, "type", val));
		} else if (strcmp(key, "sectors") == 0) {
			if (b.c.sector == NULL)
				b.c.sector = val;
			push(a, &b.items, item(a, "sector", val));
		} else if (strcmp(key, "success_factors") == 0)
			push(a, &b.items, item(a, "factor", val));
		else if (strcmp(key, "resources") == 0)
			push(a, &b.items, item(a, "resource", val));
		else if (strcmp(key, "agreement") == 0)
			push(a, &b.items, item(a, "agreement", val));
		else if (strcmp(key, "governance") == 0)
			push(a, &b.items, item(a, "governance", val));
		else if (strcmp(key, "obstacles") == 0) {
			push(a, &b.items, item(a, "obstacle", val));
			push(a, &b.obstacles, val);
		} else if (strcmp(key, "lessons") == 0)
			b.c.lessons = val;
		else if (strcmp(key, "advice") == 0)
			b.c.advice = val;
		else if (strncmp(key, "obstacles.", 10) == 0) {
			/* obstacles.CODE.overcome / obstacles.CODE.how */
			const char *code = key + 10, *dot = strrchr(code, '.');
			if (dot == NULL)
				continue;
			const char *c = arena_strndup(a, code, (size_t)(dot - code));
			struct list *l = strcmp(dot, ".overcome") == 0 ? &b.overcome
					 : strcmp(dot, ".how") == 0    ? &b.how
								       : NULL;
			if (l) {
				push(a, l, c);
				push(a, l, val);
			}
		}
	}
	if (rc < 0)
		return -1;
	if (b.c.id)
		finish(a, v, f, &b, &cases, &n, &cap);
	*out = cases;
	return (long)n;
}

const char *
learn_item_label(const struct vocab_set *v, const char *item, const char *lang)
{
	static const struct {
		const char *kind, *vocab;
	} kinds[] = {
		{"factor", "success_factors"}, {"obstacle", "obstacles"},
		{"resource", "resources"},     {"type", "partnership_types"},
		{"sector", "sectors"},         {"agreement", "agreements"},
		{"governance", "governance"},
	};
	const char *colon = strchr(item, ':');
	if (colon == NULL)
		return item;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strlen(kinds[i].kind) != (size_t)(colon - item) ||
		    strncmp(item, kinds[i].kind, (size_t)(colon - item)) != 0)
			continue;
		const struct vocab *voc = vocab_find(v, kinds[i].vocab);
		const struct qoption *o =
			voc ? vocab_option(voc->options, voc->n, colon + 1) : NULL;
		if (o)
			return strcmp(lang, "en") == 0 ? o->label.en : o->label.fr;
	}
	return colon + 1;
}
