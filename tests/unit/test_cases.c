/* test_cases.c - the rule of publication is held once, by the view public_cases, and the C rule
 * that projects a case for the public (case_public_view) agrees with it: on every demonstration
 * case, and on every state, consent and review a case can have. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/app.h"
#include "base/arena.h"
#include "config.h"
#include "cases/cases_demo.h"
#include "cases/cases_priv.h"
#include "cases/search.h"
#include "db/db.h"
#include "db/migrate.h"
#include "db_query.h"
#include "survey/survey_demo.h"
#include "vocab/vocab.h"

static struct db *db;
static struct config cfg;
static struct app app; /* the questionnaires (their roles) and the vocabulary, as served */

static int
setup(void **state)
{
	(void)state;
	char err[512] = "";
	search_init();
	db = db_open(":memory:", 1000, err, sizeof(err));
	assert_non_null(db);
	assert_true(migrate_apply(db, db_migrations, db_migrations_count, err, sizeof(err)) > 0);
	config_defaults(&cfg);
	if (app_load(&app, &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	FILE *out = fopen("/dev/null", "w");
	assert_non_null(out);
	assert_int_equal(db_begin(db), 0);
	if (survey_demo_load(db, &app, out, err, sizeof(err)) != 0 ||
	    cases_demo_load(db, &app, out, err, sizeof(err)) != 0)
		fail_msg("demo: %s", err);
	assert_int_equal(db_commit(db), 0);
	fclose(out);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	app_free(&app);
	db_close(db);
	return 0;
}

/* What the view says of a case: 1 when the public may see it. */
static int
in_view(long long id)
{
	return (int)query_int_arg(db, "SELECT count(*) FROM public_cases WHERE id = ?1", id);
}

/* What case_public_view says of the case as stored. */
static int
by_c_rule(long long id)
{
	struct arena a;
	arena_init(&a, 4096);
	struct case_row c;
	assert_int_equal(cases_store_get(db, id, &a, &c), 1);
	struct case_public pub;
	int shown = case_public_view(&c, "fr", &pub);
	arena_free(&a);
	return shown;
}

static void
the_view_and_the_c_rule_agree_on_every_demo_case(void **state)
{
	(void)state;
	long long n = query_int(db, "SELECT count(*) FROM cases");
	assert_true(n > 10);
	int shown = 0, hidden = 0;
	for (long long id = 1; id <= n; id++) {
		assert_int_equal(query_int_arg(db, "SELECT count(*) FROM cases WHERE id = ?1", id),
				 1);
		int view = in_view(id), rule = by_c_rule(id);
		if (view != rule)
			fail_msg("case %lld: the view says %d, case_public_view %d", id, view,
				 rule);
		shown += rule;
		hidden += !rule;
	}
	/* Both kinds are there, so the comparison means something. */
	assert_true(shown > 0 && hidden > 0);
	/* The catalogue counts what the page would show. */
	struct case_filter any = {0};
	assert_int_equal(cases_store_count_public(db, &any), shown);
}

static void
the_view_and_the_c_rule_agree_on_every_state_and_consent(void **state)
{
	(void)state;
	const long long id = 1;
	int seen[2] = {0, 0};
	for (int s = CASE_DRAFT; s <= CASE_ARCHIVED; s++)
		for (int w = WEB_NONE; w <= WEB_NAMED; w++)
			for (int reviewed = 0; reviewed <= 1; reviewed++) {
				assert_int_equal(cases_store_set_state(db, id, (enum case_state)s),
						 0);
				assert_int_equal(cases_store_set_consent(db, id,
									 (enum web_consent)w, true,
									 true, true),
						 0);
				assert_int_equal(cases_store_set_reviewed(db, id, reviewed), 0);
				int view = in_view(id), rule = by_c_rule(id);
				if (view != rule)
					fail_msg("state %d, consent %d, reviewed %d: the view says "
						 "%d, case_public_view %d",
						 s, w, reviewed, view, rule);
				seen[rule]++;
			}
	/* Published and named (texts read or not), or published, anonymised and read: 3 of 24. */
	assert_int_equal(seen[1], 3);
	assert_int_equal(seen[0], 21);
}

static void
code_lists_of_an_older_database_become_rows_in_order(void **state)
{
	(void)state;
	char err[512];
	struct db *old = db_open(":memory:", 1000, err, sizeof(err));
	assert_non_null(old);
	size_t before = 0; /* the migrations of a database made before the lists were rows */
	while (before < db_migrations_count && db_migrations[before].version < 11)
		before++;
	assert_int_equal(migrate_apply(old, db_migrations, before, err, sizeof(err)), (int)before);
	/* As the program wrote a case until now: lists in strings (blanks doubled here, as a hand
	 * edit could leave them), some of them also in case_facets, with the derived facets. */
	const char *rows =
		"INSERT INTO cases(id, title_fr, org_kind, sectors, countries, type, stage, "
		"outcome,"
		" resources, factors, obstacles, sdgs, org_brought, partner_brought)"
		" VALUES (1, 'Eau', 'ngo', 'water  health', 'SN BF', 'skills', 'ongoing', "
		"'success',"
		" 'skills_probono field_knowledge', 'trust shared_objectives', 'turnover', '6 3',"
		" 'field_knowledge', 'skills_probono'), (2, 'Rien', '', '', '', '', '', '', '', '',"
		" '', '', '', '');"
		"INSERT INTO case_facets(case_id, facet, value) VALUES (1, 'sector', 'health'),"
		" (1, 'sector', 'water'), (1, 'country', 'BF'), (1, 'country', 'SN'),"
		" (1, 'region', '011'), (1, 'kind', 'ngo');";
	assert_int_equal(db_exec(old, rows, err, sizeof(err)), 0);
	assert_int_equal(migrate_apply(old, db_migrations, db_migrations_count, err, sizeof(err)),
			 (int)(db_migrations_count - before));
	struct arena a;
	arena_init(&a, 4096);
	struct case_row c;
	assert_int_equal(cases_store_get(old, 1, &a, &c), 1);
	assert_string_equal(c.sectors, "water health"); /* in the order given */
	assert_string_equal(c.countries, "SN BF");
	assert_string_equal(c.type, "skills");
	assert_string_equal(c.stage, "ongoing");
	assert_string_equal(c.outcome, "success");
	assert_string_equal(c.resources, "skills_probono field_knowledge");
	assert_string_equal(c.factors, "trust shared_objectives");
	assert_string_equal(c.obstacles, "turnover");
	assert_string_equal(c.sdgs, "6 3");
	assert_string_equal(c.org_brought, "field_knowledge");
	assert_string_equal(c.partner_brought, "skills_probono");
	assert_int_equal(cases_store_get(old, 2, &a, &c), 1);
	assert_string_equal(c.sectors, "");
	assert_string_equal(c.sdgs, "");
	/* The derived facets stay; the strings are gone from cases. */
	assert_int_equal(query_int(old, "SELECT count(*) FROM case_facets WHERE case_id = 1"
					" AND facet IN ('region', 'kind')"),
			 2);
	assert_int_equal(query_int(old, "SELECT count(*) FROM case_facets WHERE case_id = 1"), 18);
	assert_int_equal(query_int(old, "SELECT count(*) FROM pragma_table_info('cases')"
					" WHERE name IN ('sectors', 'countries', 'type', 'stage',"
					" 'outcome', 'resources', 'factors', 'obstacles', 'sdgs',"
					" 'org_brought', 'partner_brought')"),
			 0);
	arena_free(&a);
	db_close(old);
}

static void
a_new_case_keeps_its_lists_as_rows(void **state)
{
	(void)state;
	struct case_row c = {
		.title_fr = "Lampes solaires",
		.org_kind = "company_sme",
		.partner_kind = "ngo",
		.sectors = "energy education",
		.countries = "ML",
		.type = "skills",
		.resources = "equipment skills_probono",
		.factors = "trust",
		.obstacles = "",
		.sdgs = "7",
		.org_brought = "equipment",
		.partner_brought = "field_knowledge",
	};
	long long id = cases_store_create(db, &c);
	assert_true(id > 0);
	struct arena a;
	arena_init(&a, 4096);
	assert_int_equal(cases_refresh(db, &app, id, &a), 0); /* derives region and kind */
	struct case_row got;
	assert_int_equal(cases_store_get(db, id, &a, &got), 1);
	assert_string_equal(got.sectors, "energy education");
	assert_string_equal(got.resources, "equipment skills_probono");
	assert_string_equal(got.obstacles, "");
	assert_string_equal(got.partner_brought, "field_knowledge");
	assert_int_equal(query_int_arg(db,
				       "SELECT count(*) FROM case_facets WHERE case_id = ?1"
				       " AND facet = 'sector'",
				       id),
			 2);
	/* Mali is in Western Africa (M49 011); the two parties' kinds are both there. */
	assert_int_equal(query_int_arg(db,
				       "SELECT count(*) FROM case_facets WHERE case_id = ?1"
				       " AND ((facet = 'region' AND value = '011')"
				       " OR (facet = 'kind' AND value IN ('ngo', 'company_sme')))",
				       id),
			 3);
	/* Refreshed again: the derived facets are replaced, the lists stay as they were. */
	assert_int_equal(cases_refresh(db, &app, id, &a), 0);
	assert_int_equal(
		query_int_arg(db, "SELECT count(*) FROM case_facets WHERE case_id = ?1", id), 13);
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(the_view_and_the_c_rule_agree_on_every_demo_case),
		cmocka_unit_test(the_view_and_the_c_rule_agree_on_every_state_and_consent),
		cmocka_unit_test(code_lists_of_an_older_database_become_rows_in_order),
		cmocka_unit_test(a_new_case_keeps_its_lists_as_rows),
	};
	return cmocka_run_group_tests_name("cases", tests, setup, teardown);
}
