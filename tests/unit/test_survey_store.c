/* test_survey_store.c - saving a page when the database cannot take it: a full disk, a read-only
 * database, a write lock held elsewhere. The save fails as a whole, what was saved stays, and the
 * fault says which it was (the page then tells the respondent "NOT saved"). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/arena.h"
#include "cases/search.h"
#include "db/db.h"
#include "db_query.h"
#include "db/migrate.h"
#include "survey/survey.h"

static char dir[] = "/tmp/coexist-survey-store-XXXXXX";
static char path[64];

static struct db *
open_db(void)
{
	char err[256];
	search_init(); /* the migrations make the search index, with its tokenizer */
	struct db *db = db_open(path, 100, err, sizeof(err));
	if (db == NULL)
		fail_msg("%s", err);
	return db;
}

/* A response with one saved answer, at revision 1. */
static long long
response_with_answer(struct db *db, struct arena *ar)
{
	struct campaign c = {.slug = "s",
			     .questionnaire = "coexist",
			     .version = 1,
			     .title_fr = "T",
			     .title_en = "T",
			     .opens_at = "2000-01-01",
			     .closes_at = "2100-01-01"};
	long long cid = survey_store_campaign_create(db, &c);
	assert_true(cid > 0);
	long long id = survey_store_response_create(db, cid, "fr", 0, "web");
	assert_true(id > 0);
	struct answers a;
	answers_init(&a, ar);
	answers_add(&a, "title", 0, "Saved before");
	assert_int_equal(survey_store_answers_save(db, id, 0, &a, 1), 1);
	return id;
}

static const char *
title_of(struct db *db, long long id, struct arena *ar)
{
	struct answers a;
	answers_init(&a, ar);
	assert_int_equal(survey_store_answers_load(db, id, &a), 0);
	return answers_get(&a, "title", 0);
}

/* A new page of answers, big enough to need new pages of the database. */
static void
big_page(struct answers *a, struct arena *ar)
{
	answers_init(a, ar);
	static char text[4001];
	memset(text, 'e', sizeof(text) - 1);
	answers_add(a, "title", 0, "Typed since");
	for (int i = 0; i < 50; i++)
		answers_add(a, "description", i, text);
}

/* Each test: a new database file with the schema. */
static int
fresh(void **state)
{
	(void)state;
	static int files;
	snprintf(path, sizeof(path), "%s/t%d.db", dir, files++);
	struct db *db = open_db();
	char err[256];
	int n = migrate_apply(db, db_migrations, db_migrations_count, err, sizeof(err));
	db_close(db);
	return n < 0 ? -1 : 0;
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
full_disk(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar, 4096);
	struct db *db = open_db();
	long long id = response_with_answer(db, &ar);
	/* No page more may be added: what a full disk does to a write. */
	char err[128];
	assert_int_equal(db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", err, sizeof(err)), 0);
	char pragma[64];
	snprintf(pragma, sizeof(pragma), "PRAGMA max_page_count = %lld",
		 query_int(db, "PRAGMA page_count"));
	assert_int_equal(db_exec(db, pragma, err, sizeof(err)), 0);
	(void)db_take_fault(db);
	struct answers a;
	big_page(&a, &ar);
	assert_int_equal(survey_store_answers_save(db, id, 1, &a, 1), -1);
	enum db_fault f = db_take_fault(db);
	assert_int_equal(f, DB_FAULT_FULL);
	assert_true(db_fault_passes(f));
	assert_int_equal(db_take_fault(db), DB_FAULT_NONE); /* taken once */
	assert_string_equal(title_of(db, id, &ar), "Saved before");
	assert_false(db_in_transaction(db)); /* nothing left open */
	db_close(db);
	arena_free(&ar);
}

static void
read_only(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar, 4096);
	struct db *db = open_db();
	long long id = response_with_answer(db, &ar);
	char err[128];
	assert_int_equal(db_exec(db, "PRAGMA query_only = 1", err, sizeof(err)), 0);
	struct answers a;
	big_page(&a, &ar);
	assert_int_equal(survey_store_answers_save(db, id, 1, &a, 1), -1);
	assert_int_equal(db_take_fault(db), DB_FAULT_READONLY);
	assert_int_equal(db_exec(db, "PRAGMA query_only = 0", err, sizeof(err)), 0);
	assert_string_equal(title_of(db, id, &ar), "Saved before");
	db_close(db);
	arena_free(&ar);
}

static void
lock_held_elsewhere(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar, 4096);
	struct db *db = open_db();
	long long id = response_with_answer(db, &ar);
	struct db *other = open_db();
	assert_int_equal(db_begin(other), 0); /* holds the write lock */
	struct answers a;
	big_page(&a, &ar);
	assert_int_equal(survey_store_answers_save(db, id, 1, &a, 1), -1);
	enum db_fault f = db_take_fault(db);
	assert_int_equal(f, DB_FAULT_BUSY);
	assert_true(db_fault_passes(f));
	db_rollback(other);
	/* Once the lock is free, the same page with the same revision is saved. */
	assert_int_equal(survey_store_answers_save(db, id, 1, &a, 1), 2);
	assert_string_equal(title_of(db, id, &ar), "Typed since");
	db_close(other);
	db_close(db);
	arena_free(&ar);
}

static void
a_fault_of_the_program_does_not_pass(void **state)
{
	(void)state;
	assert_false(db_fault_passes(DB_FAULT_OTHER));
	assert_false(db_fault_passes(DB_FAULT_NONE));
	assert_true(db_fault_passes(DB_FAULT_IO));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(full_disk, fresh),
		cmocka_unit_test_setup(read_only, fresh),
		cmocka_unit_test_setup(lock_held_elsewhere, fresh),
		cmocka_unit_test(a_fault_of_the_program_does_not_pass),
	};
	return cmocka_run_group_tests_name("survey_store", tests, setup, teardown);
}
