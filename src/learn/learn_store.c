/* learn_store.c - SQL that turns submitted responses into cases for the insight engine. */
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/num.h"
#include "db/db.h"
#include "learn.h"
#include "questionnaire/qdef.h"

enum learn_stmt { LEARN_STMT_ANSWERS, LEARN_STMT__MAX };

static const char *const learn_sql[LEARN_STMT__MAX] = {
	/* The answers the analysis uses, of submitted responses whose respondents agreed to the
	 * confidential analysis, and with ?1 only those of cases shown on the web (the view
	 * public_cases holds the rule of publication). Answers and consents are found
	 * by role in each campaign's questionnaire: ?2 is the roles map (qdef_roles_json), ?3 the
	 * role of the analysis consent, ?4 and ?5 those of publication, ?6 the roles wanted (a
	 * JSON array). Each row gives its role, and for a detail the option code it is about
	 * ("obstacles.CODE.how"); rows come by response, role, code and position. The responses
	 * are chosen first, then their answers of each role looked up by key (a detail's by the
	 * range of keys under its question). */
	[LEARN_STMT_ANSWERS] =
		"WITH roles(questionnaire, version, role, question_key, detail) AS MATERIALIZED ("
		"  SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4"
		"  FROM json_each(?2)),"
		" sent(id, lang, partner_of, questionnaire, version) AS MATERIALIZED ("
		"  SELECT r.id, r.lang, coalesce(r.partner_of, 0), ca.questionnaire, ca.version"
		"  FROM responses r JOIN campaigns ca ON ca.id = r.campaign_id"
		"  WHERE r.status = 'submitted'"
		"  AND EXISTS (SELECT 1 FROM consents c JOIN roles u ON u.question_key = c.use"
		"   WHERE c.response_id = r.id AND u.questionnaire = ca.questionnaire"
		"   AND u.version = ca.version AND u.role = ?3 AND c.given = 1)"
		"  AND (?1 = 0 OR (EXISTS (SELECT 1 FROM consents c"
		"   JOIN roles u ON u.question_key = c.use"
		"   WHERE c.response_id = r.id AND u.questionnaire = ca.questionnaire"
		"   AND u.version = ca.version AND u.role IN (?4, ?5) AND c.given = 1)"
		"   AND EXISTS (SELECT 1 FROM public_cases k"
		"   WHERE k.response_id = r.id OR k.partner_response = r.id)))),"
		" wanted AS MATERIALIZED ("
		"  SELECT * FROM roles WHERE role IN (SELECT value FROM json_each(?6)))"
		" SELECT s.id, w.role, a.position, a.value, s.lang, s.partner_of, ''"
		" FROM sent s JOIN wanted w ON w.questionnaire = s.questionnaire"
		"  AND w.version = s.version AND w.detail = ''"
		" JOIN answers a ON a.response_id = s.id AND a.question_key = w.question_key"
		" UNION ALL"
		" SELECT s.id, w.role, a.position, a.value, s.lang, s.partner_of,"
		"  substr(a.question_key, length(w.question_key) + 2,"
		"   length(a.question_key) - length(w.question_key) - length(w.detail) - 2)"
		" FROM sent s JOIN wanted w ON w.questionnaire = s.questionnaire"
		"  AND w.version = s.version AND w.detail <> ''"
		" JOIN answers a ON a.response_id = s.id"
		"  AND a.question_key > w.question_key || '.' AND a.question_key < w.question_key "
		"|| '/'"
		"  AND length(a.question_key) > length(w.question_key) + length(w.detail) + 2"
		"  AND substr(a.question_key, -length(w.detail) - 1) = '.' || w.detail"
		" ORDER BY 1, 2, 7, 3",
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

/* The roles whose answers the analysis reads, as the JSON array the statement takes. */
static const char *
wanted_roles(struct arena *a)
{
	static const enum qrole used[] = {
		QR_OUTCOME,           QR_STAGE,        QR_ORG_KIND,         QR_START_YEAR,
		QR_COUNTRIES,         QR_SECTORS,      QR_PARTNERSHIP_TYPE, QR_SUCCESS_FACTORS,
		QR_RESOURCES,         QR_AGREEMENT,    QR_GOVERNANCE,       QR_OBSTACLES,
		QR_OBSTACLE_OVERCOME, QR_OBSTACLE_HOW, QR_LESSONS,          QR_ADVICE,
	};
	struct buf b;
	buf_init(&b, a);
	for (size_t i = 0; i < sizeof(used) / sizeof(used[0]); i++)
		buf_printf(&b, "%s%d", i ? "," : "[", (int)used[i]);
	buf_puts(&b, "]");
	return b.data;
}

long
learn_store_cases(struct db *db, const struct vocab_set *v, const char *roles,
		  const struct learn_filter *f, struct arena *a, struct icase **out)
{
	struct db_stmt *st = db_stmt(db, &learn_store_table, LEARN_STMT_ANSWERS);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, f->public_only);
	db_bind_text(st, 2, roles);
	db_bind_int(st, 3, QR_CONSENT_ANALYSIS);
	db_bind_int(st, 4, QR_CONSENT_PUBLIC_NAMED);
	db_bind_int(st, 5, QR_CONSENT_PUBLIC_ANONYMOUS);
	db_bind_text(st, 6, wanted_roles(a));
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
		enum qrole role = (enum qrole)db_column_int(st, 1);
		int pos = (int)db_column_int(st, 2);
		long long year;
		const char *val = db_column_text(a, st, 3);
		const char *code = db_column_peek(st, 6); /* of a detail */
		switch (role) {
		case QR_OUTCOME: b.achievement = val; break;
		case QR_STAGE: b.stage = val; break;
		case QR_ORG_KIND: b.org_kind = val; break;
		case QR_START_YEAR:
			b.c.year = num_parse(val, 0, 9999, &year) ? (int)year : 0;
			break;
		case QR_COUNTRIES:
			if (pos == 0)
				b.country = val;
			break;
		case QR_PARTNERSHIP_TYPE:
			b.c.type = val;
			push(a, &b.items, item(a, "type", val));
			break;
		case QR_SECTORS:
			if (b.c.sector == NULL)
				b.c.sector = val;
			push(a, &b.items, item(a, "sector", val));
			break;
		case QR_SUCCESS_FACTORS: push(a, &b.items, item(a, "factor", val)); break;
		case QR_RESOURCES: push(a, &b.items, item(a, "resource", val)); break;
		case QR_AGREEMENT: push(a, &b.items, item(a, "agreement", val)); break;
		case QR_GOVERNANCE: push(a, &b.items, item(a, "governance", val)); break;
		case QR_OBSTACLES:
			push(a, &b.items, item(a, "obstacle", val));
			push(a, &b.obstacles, val);
			break;
		case QR_LESSONS: b.c.lessons = val; break;
		case QR_ADVICE: b.c.advice = val; break;
		case QR_OBSTACLE_OVERCOME: /* the obstacle's code, then the answer */
		case QR_OBSTACLE_HOW: {
			struct list *l = role == QR_OBSTACLE_HOW ? &b.how : &b.overcome;
			push(a, l, arena_strdup(a, code ? code : ""));
			push(a, l, val);
			break;
		}
		default: break;
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
