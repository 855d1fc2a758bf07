/* cases_store.c - SQL of cases: made from responses, edited, published, listed with facets. */
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/codes.h"
#include "base/buf.h"
#include "cases_priv.h"
#include "db/db.h"

enum cases_stmt {
	CASES_STMT_INSERT,
	CASES_STMT_GET,
	CASES_STMT_UPDATE,
	CASES_STMT_STATE,
	CASES_STMT_REVIEWED,
	CASES_STMT_CONSENT,
	CASES_STMT_BY_RESPONSE,
	CASES_STMT_CODES,
	CASES_STMT_CODE_INSERT,
	CASES_STMT_DERIVED_DELETE,
	CASES_STMT_LIST_PUBLIC,
	CASES_STMT_FACET_COUNTS,
	CASES_STMT_SIMILAR,
	CASES_STMT_LIST_ADMIN,
	CASES_STMT_COUNT_PUBLIC,
	CASES_STMT__MAX
};

#define CASE_COLS                                                                                  \
	"c.id, coalesce(c.response_id, 0), coalesce(c.partner_response, 0), c.state,"              \
	" c.web_consent, c.events_consent, c.may_contact, c.texts_reviewed, c.partner_named,"      \
	" c.title_fr, c.title_en, c.summary_fr, c.summary_en, c.results_fr, c.results_en,"         \
	" c.lessons_fr, c.lessons_en, c.org_name, c.org_kind, c.org_country, c.partner_name,"      \
	" c.partner_kind, c.partner_country, c.start_year, c.created_at, c.updated_at,"            \
	" coalesce(c.published_at, '')"

/* Every public reader reads the view public_cases (migration 0008), which holds the rule of
 * publication; case_public_view() decides the same, so that lists and counts never hold a case
 * its page would refuse. The ids a search allowed (?12, a JSON array, or NULL) come first. */
#define PUBLIC_IDS " (?12 IS NULL OR c.id IN (SELECT value FROM json_each(?12)))"

/* One optional filter per facet: ?N is NULL or the value the case must have. */
#define FACET_FILTER(n, facet)                                                                     \
	" AND (?" #n " IS NULL OR EXISTS (SELECT 1 FROM case_facets f" #n " WHERE f" #n            \
	".case_id = c.id AND f" #n ".facet = '" facet "' AND f" #n ".value = ?" #n "))"
/* clang-format off */
#define FILTERS                                                                                    \
	FACET_FILTER(1, "sector") FACET_FILTER(2, "country") FACET_FILTER(3, "region")             \
	FACET_FILTER(4, "type") FACET_FILTER(5, "resource") FACET_FILTER(6, "stage")               \
	FACET_FILTER(7, "outcome") FACET_FILTER(8, "sdg") FACET_FILTER(9, "kind")
/* clang-format on */

/* The facets the program derives from the others (cases_refresh), never given by a case. */
#define DERIVED "('region', 'kind')"

static const char *const cases_sql[CASES_STMT__MAX] = {
	[CASES_STMT_INSERT] =
		"INSERT INTO cases(response_id, partner_response, web_consent, events_consent,"
		" may_contact, title_fr, title_en, summary_fr, lessons_fr, org_name, org_kind,"
		" org_country, partner_name, partner_kind, partner_country, start_year,"
		" partner_named, created_at, updated_at)"
		" VALUES (nullif(?1, 0), nullif(?2, 0), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
		" ?13, ?14, ?15, ?16, ?17, ?18, ?18)",
	[CASES_STMT_GET] = "SELECT " CASE_COLS " FROM cases c WHERE c.id = ?",
	[CASES_STMT_UPDATE] =
		"UPDATE cases SET title_fr = ?2, title_en = ?3, summary_fr = ?4, summary_en = ?5,"
		" results_fr = ?6, results_en = ?7, lessons_fr = ?8, lessons_en = ?9,"
		" org_name = ?10, partner_name = ?11, updated_at = ?12 WHERE id = ?1",
	[CASES_STMT_STATE] = "UPDATE cases SET state = ?2, updated_at = ?3,"
			     " published_at = CASE WHEN ?2 = 'published'"
			     " THEN coalesce(published_at, ?3) ELSE published_at END WHERE id = ?1",
	[CASES_STMT_REVIEWED] = "UPDATE cases SET texts_reviewed = ?2 WHERE id = ?1",
	[CASES_STMT_CONSENT] = "UPDATE cases SET web_consent = ?2, events_consent = ?3,"
			       " may_contact = ?4, partner_named = ?5 WHERE id = ?1",
	[CASES_STMT_BY_RESPONSE] =
		"SELECT id FROM cases WHERE response_id = ?1 OR partner_response = ?1",
	/* The code lists of a case, each in the order it was given. */
	[CASES_STMT_CODES] = "SELECT facet, value FROM case_facets WHERE case_id = ?"
			     " AND facet NOT IN " DERIVED " ORDER BY facet, position, value",
	[CASES_STMT_CODE_INSERT] = "INSERT INTO case_facets(case_id, facet, value, position)"
				   " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
	[CASES_STMT_DERIVED_DELETE] =
		"DELETE FROM case_facets WHERE case_id = ? AND facet IN " DERIVED,
	[CASES_STMT_LIST_PUBLIC] =
		"SELECT " CASE_COLS " FROM public_cases c WHERE" PUBLIC_IDS FILTERS
		" AND (?10 IS NULL OR c.published_at < ?10"
		"      OR (c.published_at = ?10 AND c.id < ?11))"
		" ORDER BY c.published_at DESC, c.id DESC LIMIT ?13",
	[CASES_STMT_FACET_COUNTS] =
		"SELECT f.facet, f.value, count(*) FROM case_facets f"
		" JOIN public_cases c ON c.id = f.case_id"
		" WHERE" PUBLIC_IDS FILTERS " AND (?13 IS NULL OR f.facet = ?13)"
		" GROUP BY f.facet, f.value ORDER BY f.facet, count(*) DESC",
	/* Similar: most shared sectors, type, resources and countries, among visible cases. */
	[CASES_STMT_SIMILAR] =
		"SELECT g.case_id, count(*) AS score FROM case_facets f JOIN case_facets g"
		" ON g.facet = f.facet AND g.value = f.value AND g.case_id <> f.case_id"
		" JOIN public_cases c ON c.id = g.case_id"
		" WHERE f.case_id = ?1 AND f.facet IN ('sector', 'type', 'resource', 'country')"
		" GROUP BY g.case_id ORDER BY score DESC, g.case_id DESC LIMIT ?2",
	[CASES_STMT_LIST_ADMIN] = "SELECT " CASE_COLS " FROM cases c ORDER BY c.id DESC LIMIT ?1",
	[CASES_STMT_COUNT_PUBLIC] = "SELECT count(*) FROM public_cases c WHERE" PUBLIC_IDS FILTERS,
};

const struct db_table cases_store_table = {DB_STORE_CASES, "cases", cases_sql, CASES_STMT__MAX};

static struct db_stmt *
stmt(struct db *db, enum cases_stmt s)
{
	return db_stmt(db, &cases_store_table, s);
}

/* Steps a statement expected to finish without rows. 0 or -1 (logged). */
static int
done(struct db_stmt *st)
{
	return db_run(st) < 0 ? -1 : 0;
}

static const char *const state_names[] = {"draft", "review", "published", "archived"};
static const char *const web_names[] = {"none", "anonymised", "named"};

const char *
case_state_name(enum case_state s)
{
	return state_names[s];
}

bool
case_state_parse(const char *s, enum case_state *out)
{
	for (int i = 0; i < 4; i++)
		if (s && strcmp(s, state_names[i]) == 0) {
			*out = (enum case_state)i;
			return true;
		}
	return false;
}

const char *
web_consent_name(enum web_consent w)
{
	return web_names[w];
}

static int
parse(const char *s, const char *const *names, int n)
{
	for (int i = 0; i < n; i++)
		if (s && strcmp(s, names[i]) == 0)
			return i;
	return 0;
}

/* ---- code lists: rows of case_facets, space-separated codes in struct case_row ---- */

/* The facet under which each code list of a case is stored. */
static const char *const code_facets[] = {
	"sector", "country",  "type", "stage",       "outcome",         "resource",
	"factor", "obstacle", "sdg",  "org_brought", "partner_brought",
};
#define NCODES (sizeof(code_facets) / sizeof(code_facets[0]))

/* The field of c that holds code list i (in the order of code_facets). */
static const char **
code_field(struct case_row *c, size_t i)
{
	const char **fields[NCODES] = {&c->sectors,     &c->countries,      &c->type,
				       &c->stage,       &c->outcome,        &c->resources,
				       &c->factors,     &c->obstacles,      &c->sdgs,
				       &c->org_brought, &c->partner_brought};
	return fields[i];
}

/* Reads the code lists of case c->id into c. 0 or -1. */
static int
read_codes(struct db *db, struct arena *a, struct case_row *c)
{
	struct db_stmt *st = stmt(db, CASES_STMT_CODES);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, c->id);
	struct buf lists[NCODES];
	for (size_t i = 0; i < NCODES; i++)
		buf_init(&lists[i], a);
	int rc;
	while ((rc = db_step(st)) == 1) {
		const char *facet = db_column_peek(st, 0);
		for (size_t i = 0; i < NCODES; i++)
			if (strcmp(facet, code_facets[i]) == 0) {
				if (lists[i].len)
					buf_putc(&lists[i], ' ');
				buf_puts(&lists[i], db_column_peek(st, 1));
				break;
			}
	}
	for (size_t i = 0; i < NCODES; i++)
		*code_field(c, i) = lists[i].len ? buf_str(&lists[i]) : "";
	return rc < 0 ? -1 : 0;
}

/* Writes the code lists of c as rows of case id, each code once, in the order given. */
static int
write_codes(struct db *db, long long id, const struct case_row *c)
{
	struct case_row lists = *c; /* code_field gives fields to write as well as to read */
	for (size_t i = 0; i < NCODES; i++) {
		const char *p = *code_field(&lists, i), *start;
		size_t len;
		for (int position = 0; codes_next(&p, &start, &len); position++) {
			char code[128];
			if (len >= sizeof(code))
				return -1; /* codes are vocabulary keys: a few letters */
			memcpy(code, start, len);
			code[len] = '\0';
			struct db_stmt *st = stmt(db, CASES_STMT_CODE_INSERT);
			if (st == NULL)
				return -1;
			db_bind_int(st, 1, id);
			db_bind_text(st, 2, code_facets[i]);
			db_bind_text(st, 3, code);
			db_bind_int(st, 4, position);
			if (done(st) != 0)
				return -1;
		}
	}
	return 0;
}

/* Reads the columns of a case row, then its code lists. 0 or -1. */
static int
read_row(struct db *db, struct arena *a, struct db_stmt *st, struct case_row *c)
{
	memset(c, 0, sizeof(*c));
	c->id = db_column_int(st, 0);
	c->response_id = db_column_int(st, 1);
	c->partner_response = db_column_int(st, 2);
	c->state = (enum case_state)parse(db_column_peek(st, 3), state_names, 4);
	c->web = (enum web_consent)parse(db_column_peek(st, 4), web_names, 3);
	c->events = db_column_int(st, 5);
	c->may_contact = db_column_int(st, 6);
	c->texts_reviewed = db_column_int(st, 7);
	c->partner_named = db_column_int(st, 8);
	const char **texts[] = {&c->title_fr,     &c->title_en,       &c->summary_fr,
				&c->summary_en,   &c->results_fr,     &c->results_en,
				&c->lessons_fr,   &c->lessons_en,     &c->org_name,
				&c->org_kind,     &c->org_country,    &c->partner_name,
				&c->partner_kind, &c->partner_country};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		*texts[i] = db_column_text(a, st, 9 + (int)i);
	c->start_year = (int)db_column_int(st, 23);
	c->created_at = db_column_text(a, st, 24);
	c->updated_at = db_column_text(a, st, 25);
	c->published_at = db_column_text(a, st, 26);
	return read_codes(db, a, c);
}

/* Steps a statement of cases, calling fn on each; the number of cases, or -1. */
static int
each_case(struct db *db, struct db_stmt *st, struct arena *a,
	  void (*fn)(void *ctx, const struct case_row *c), void *ctx)
{
	struct case_row c;
	int n = 0, rc;
	while ((rc = db_step(st)) == 1) {
		if (read_row(db, a, st, &c) != 0) {
			db_reset(st);
			return -1;
		}
		fn(ctx, &c);
		n++;
	}
	return rc < 0 ? -1 : n;
}

long long
cases_store_create(struct db *db, const struct case_row *c)
{
	/* The case and its code lists together, in the caller's transaction if there is one. */
	if (db_begin(db) != 0)
		return -1;
	struct db_stmt *st = stmt(db, CASES_STMT_INSERT);
	if (st == NULL) {
		db_rollback(db);
		return -1;
	}
	db_bind_int(st, 1, c->response_id);
	db_bind_int(st, 2, c->partner_response);
	db_bind_text(st, 3, web_names[c->web]);
	db_bind_int(st, 4, c->events);
	db_bind_int(st, 5, c->may_contact);
	const char *texts[] = {c->title_fr,     c->title_en,       c->summary_fr,  c->lessons_fr,
			       c->org_name,     c->org_kind,       c->org_country, c->partner_name,
			       c->partner_kind, c->partner_country};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		db_bind_text(st, 6 + (int)i, texts[i] ? texts[i] : "");
	db_bind_int(st, 16, c->start_year);
	db_bind_int(st, 17, c->partner_named);
	db_bind_time(st, 18, time(NULL));
	long long id = db_insert(st);
	if (id <= 0 || write_codes(db, id, c) != 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db) == 0 ? id : -1;
}

int
cases_store_get(struct db *db, long long id, struct arena *a, struct case_row *out)
{
	struct db_stmt *st = stmt(db, CASES_STMT_GET);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == 1) {
		int read = read_row(db, a, st, out);
		db_reset(st);
		if (read != 0)
			return -1;
	}
	return rc;
}

int
cases_store_update_texts(struct db *db, const struct case_row *c)
{
	struct db_stmt *st = stmt(db, CASES_STMT_UPDATE);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, c->id);
	const char *texts[] = {c->title_fr,   c->title_en,    c->summary_fr, c->summary_en,
			       c->results_fr, c->results_en,  c->lessons_fr, c->lessons_en,
			       c->org_name,   c->partner_name};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		db_bind_text(st, 2 + (int)i, texts[i] ? texts[i] : "");
	db_bind_time(st, 12, time(NULL));
	return done(st);
}

int
cases_store_set_state(struct db *db, long long id, enum case_state s)
{
	struct db_stmt *st = stmt(db, CASES_STMT_STATE);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, state_names[s]);
	db_bind_time(st, 3, time(NULL));
	return done(st);
}

int
cases_store_set_reviewed(struct db *db, long long id, bool reviewed)
{
	struct db_stmt *st = stmt(db, CASES_STMT_REVIEWED);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, reviewed);
	return done(st);
}

int
cases_store_set_consent(struct db *db, long long id, enum web_consent web, bool events,
			bool may_contact, bool partner_named)
{
	struct db_stmt *st = stmt(db, CASES_STMT_CONSENT);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_text(st, 2, web_names[web]);
	db_bind_int(st, 3, events);
	db_bind_int(st, 4, may_contact);
	db_bind_int(st, 5, partner_named);
	return done(st);
}

int
cases_store_by_response(struct db *db, long long response_id, long long *ids, int max)
{
	struct db_stmt *st = stmt(db, CASES_STMT_BY_RESPONSE);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, response_id);
	int n = 0, rc;
	while ((rc = db_step(st)) == 1) {
		if (n < max)
			ids[n] = db_column_int(st, 0);
		n++; /* the total, even past max: the caller asks again with room */
	}
	return rc < 0 ? -1 : n;
}

int
cases_store_derived_put(struct db *db, long long id, const char *const *facets,
			const char *const *values, size_t n)
{
	struct db_stmt *st = stmt(db, CASES_STMT_DERIVED_DELETE);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	if (done(st) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if ((st = stmt(db, CASES_STMT_CODE_INSERT)) == NULL)
			return -1;
		db_bind_int(st, 1, id);
		db_bind_text(st, 2, facets[i]);
		db_bind_text(st, 3, values[i]);
		db_bind_int(st, 4, (long long)i);
		if (done(st) != 0)
			return -1;
	}
	return 0;
}

static void
bind_filter(struct db_stmt *st, const struct case_filter *f)
{
	const char *v[] = {f->sector, f->country, f->region, f->type, f->resource,
			   f->stage,  f->outcome, f->sdg,    f->kind};
	for (int i = 0; i < 9; i++)
		db_bind_text(st, i + 1, v[i] && v[i][0] ? v[i] : NULL);
	db_bind_text(st, 12, f->ids_json);
}

int
cases_store_list_public(struct db *db, const struct case_filter *f, const char *after_date,
			long long after_id, int limit, struct arena *a,
			void (*fn)(void *ctx, const struct case_row *c), void *ctx)
{
	struct db_stmt *st = stmt(db, CASES_STMT_LIST_PUBLIC);
	if (st == NULL)
		return -1;
	bind_filter(st, f);
	db_bind_text(st, 10, after_date);
	db_bind_int(st, 11, after_id);
	db_bind_int(st, 13, limit);
	return each_case(db, st, a, fn, ctx);
}

long
cases_store_count_public(struct db *db, const struct case_filter *f)
{
	struct db_stmt *st = stmt(db, CASES_STMT_COUNT_PUBLIC);
	if (st == NULL)
		return -1;
	bind_filter(st, f);
	return (long)db_one_int(st, -1);
}

int
cases_store_facet_counts(struct db *db, const struct case_filter *f, const char *only,
			 void (*fn)(void *ctx, const char *facet, const char *value, long n),
			 void *ctx)
{
	struct db_stmt *st = stmt(db, CASES_STMT_FACET_COUNTS);
	if (st == NULL)
		return -1;
	bind_filter(st, f);
	db_bind_text(st, 13, only);
	int rc, n = 0;
	while ((rc = db_step(st)) == 1) {
		fn(ctx, db_column_peek(st, 0), db_column_peek(st, 1), (long)db_column_int(st, 2));
		n++;
	}
	return rc < 0 ? -1 : n;
}

int
cases_store_similar(struct db *db, long long id, int limit, long long *ids)
{
	struct db_stmt *st = stmt(db, CASES_STMT_SIMILAR);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, limit);
	int n = 0, rc = 0;
	while (n < limit && (rc = db_step(st)) == 1)
		ids[n++] = db_column_int(st, 0);
	if (rc == 1)
		db_reset(st);
	return rc < 0 ? -1 : n;
}

int
cases_store_list_admin(struct db *db, int limit, struct arena *a,
		       void (*fn)(void *ctx, const struct case_row *c), void *ctx)
{
	struct db_stmt *st = stmt(db, CASES_STMT_LIST_ADMIN);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, limit);
	return each_case(db, st, a, fn, ctx);
}
