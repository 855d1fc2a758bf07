/* test_auth.c - people, sessions and their time limits, one-time links, throttling windows,
 * CSRF tokens, CSV cells, pending sign-ups and passwords hashed outside transactions, on an
 * in-memory database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "auth/auth.h"
#include "web/cookie.h"
#include "base/token.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/csv.h"
#include "cases/search.h"
#include "db/db.h"
#include "db/migrate.h"

static struct db *db;
static struct arena ar;              /* what the stores read lives here, as in a request */
static const time_t T0 = 1800000000; /* a fixed "now" */

static int
setup(void **state)
{
	(void)state;
	char err[256];
	search_init(); /* the migrations make the search index, with its tokenizer */
	db = db_open(":memory:", 1000, err, sizeof(err));
	assert_non_null(db);
	assert_true(migrate_apply(db, db_migrations, db_migrations_count, err, sizeof(err)) > 0);
	arena_init(&ar, 4096);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	db_close(db);
	arena_free(&ar);
	return 0;
}

/* A password made ready for storing, as the handlers do before their transaction. */
static struct user_secret
secret(const char *pw)
{
	struct user_secret s;
	assert_int_equal(users_store_hash_password(pw, strlen(pw), &s), 0);
	return s;
}

static long long
add(const char *email, enum role role, enum user_status st)
{
	struct user_secret s = secret("correct horse battery");
	return users_store_create(db, email, "Test", &s, role, st, 0, "fr");
}

/* A password check, as sign-in makes it: what is read of the person lives in ar. */
static int
check(const char *email, const char *pw, struct user *u)
{
	return users_store_check_password(db, email, pw, strlen(pw), &ar, u);
}

/* A session lookup at now, as the gate makes it. */
static int
lookup(const char *tok, time_t now, long idle, long lifetime, struct user *u, char hash[65])
{
	return session_store_lookup(db, tok, now, idle, lifetime, &ar, u, hash);
}

static void
people_are_unique_by_address_and_checked_in_the_store(void **state)
{
	(void)state;
	long long id = add("Awa@Example.org", ROLE_MEMBER, USER_ACTIVE);
	assert_true(id > 0);
	assert_int_equal(add("awa@example.ORG", ROLE_MEMBER, USER_ACTIVE), 0); /* taken, any case */
	struct user u;
	assert_int_equal(check("awa@example.org", "correct horse battery", &u), 1);
	assert_int_equal(u.id, id);
	assert_int_equal(u.role, ROLE_MEMBER);
	assert_int_equal(check("awa@example.org", "correct horse batter", &u), 0);
	assert_int_equal(check("nobody@example.org", "correct horse battery", &u), 0);
	struct user_secret s = secret("another long passphrase");
	assert_int_equal(users_store_set_password(db, id, &s), 0);
	assert_int_equal(check("awa@example.org", "correct horse battery", &u), 0);
	assert_int_equal(check("awa@example.org", "another long passphrase", &u), 1);
}

static void
sessions_end_when_idle_too_long_or_too_old(void **state)
{
	(void)state;
	long long id = add("s@example.org", ROLE_COORDINATOR, USER_ACTIVE);
	char tok[44], hash[65], tok2[44];
	struct user u;
	assert_int_equal(session_store_create(db, id, T0, tok), 0);
	assert_true(token_well_formed(tok));
	assert_int_equal(lookup(tok, T0 + 10, 60, 3600, &u, hash), 1);
	assert_int_equal(u.id, id);
	assert_int_equal(strlen(hash), 64);
	/* Used within the idle limit again and again: lives on, up to the absolute limit. */
	for (time_t t = T0 + 50; t < T0 + 3600; t += 50)
		assert_int_equal(lookup(tok, t, 60, 3600, &u, hash), 1);
	assert_int_equal(lookup(tok, T0 + 3601, 60, 3600, &u, hash), 0);
	/* Ended for good: not back even within the limits. */
	assert_int_equal(lookup(tok, T0 + 3601, 1 << 30, 1 << 30, &u, hash), 0);

	assert_int_equal(session_store_create(db, id, T0, tok2), 0);
	assert_string_not_equal(tok, tok2);
	assert_int_equal(lookup(tok2, T0 + 61, 60, 3600, &u, hash), 0); /* idle */

	/* A disabled person's session is over. */
	assert_int_equal(session_store_create(db, id, T0, tok), 0);
	assert_int_equal(users_store_set_status(db, id, USER_DISABLED), 0);
	assert_int_equal(lookup(tok, T0 + 1, 60, 3600, &u, hash), 0);
	/* Garbage never matches. */
	assert_int_equal(lookup("not-a-token", T0, 60, 3600, &u, hash), 0);
}

static void
sign_out_ends_one_session_or_all(void **state)
{
	(void)state;
	long long id = add("o@example.org", ROLE_MEMBER, USER_ACTIVE);
	char a[44], b[44], hash[65];
	struct user u;
	session_store_create(db, id, T0, a);
	session_store_create(db, id, T0, b);
	assert_int_equal(session_store_delete_by_token(db, a), 0);
	assert_int_equal(lookup(a, T0 + 1, 60, 3600, &u, hash), 0);
	assert_int_equal(lookup(b, T0 + 1, 60, 3600, &u, hash), 1);
	assert_int_equal(session_store_delete_by_user(db, id), 0);
	assert_int_equal(lookup(b, T0 + 1, 60, 3600, &u, hash), 0);
}

static void
one_time_links_are_single_use_and_expire(void **state)
{
	(void)state;
	long long id = add("t@example.org", ROLE_MEMBER, USER_PENDING);
	char tok[44];
	assert_int_equal(tokens_store_create(db, id, TOKEN_CONFIRM, T0, 3600, tok), 0);
	assert_int_equal(tokens_store_peek(db, tok, TOKEN_RESET, T0), 0); /* other purpose */
	assert_int_equal(tokens_store_peek(db, tok, TOKEN_CONFIRM, T0 + 10), id);
	assert_int_equal(tokens_store_consume(db, tok, TOKEN_CONFIRM, T0 + 20), id);
	assert_int_equal(tokens_store_consume(db, tok, TOKEN_CONFIRM, T0 + 30), 0); /* used */
	assert_int_equal(tokens_store_peek(db, tok, TOKEN_CONFIRM, T0 + 30), 0);

	assert_int_equal(tokens_store_create(db, id, TOKEN_RESET, T0, 3600, tok), 0);
	assert_int_equal(tokens_store_consume(db, tok, TOKEN_RESET, T0 + 3600), 0); /* expired */
	char forged[44];
	token_new(forged);
	assert_int_equal(tokens_store_consume(db, forged, TOKEN_RESET, T0), 0);
	/* Recent links are counted, for the five-minute spacing of reset mails. */
	assert_int_equal(tokens_store_recent(db, id, TOKEN_RESET, T0 + 100, 3600, 300), 1);
	assert_int_equal(tokens_store_recent(db, id, TOKEN_RESET, T0 + 301, 3600, 300), 0);
}

static void
throttling_counts_failures_in_a_sliding_window(void **state)
{
	(void)state;
	const char *ip = "192.0.2.7";
	for (int i = 0; i < THROTTLE_MAX - 1; i++)
		throttle_store_record(db, "w@example.org", ip, false, T0 + i);
	/* Successes do not count against anyone. */
	throttle_store_record(db, "w@example.org", ip, true, T0 + 20);
	assert_int_equal(throttle_store_wait(db, "w@example.org", ip, T0 + 30), 0);
	throttle_store_record(db, "w@example.org", ip, false, T0 + 40); /* the tenth */
	long wait = throttle_store_wait(db, "w@example.org", ip, T0 + 50);
	/* The oldest counted failure (T0) leaves the window at T0 + 900. */
	assert_int_equal(wait, THROTTLE_WINDOW - 50 + 1);
	/* The same address from elsewhere is refused too; another address from this IP too. */
	assert_true(throttle_store_wait(db, "w@example.org", "198.51.100.1", T0 + 50) > 0);
	assert_true(throttle_store_wait(db, "other@example.org", ip, T0 + 50) > 0);
	assert_int_equal(throttle_store_wait(db, "other@example.org", "198.51.100.1", T0 + 50), 0);
	/* Once the oldest failure is out of the window, one more try is allowed. */
	assert_int_equal(throttle_store_wait(db, "w@example.org", ip, T0 + THROTTLE_WINDOW + 1), 0);
	/* Case does not help an attacker. */
	assert_true(throttle_store_wait(db, "W@EXAMPLE.ORG", "198.51.100.1", T0 + 50) > 0);
	assert_int_equal(throttle_store_prune(db, T0 + 2 * 86400), 0);
	assert_int_equal(throttle_store_wait(db, "w@example.org", ip, T0 + 50), 0);
}

static void
csrf_tokens_are_bound_to_their_basis(void **state)
{
	(void)state;
	unsigned char key[32], other[32];
	assert_int_equal(auth_secret_load(db, key), 0);
	assert_int_equal(auth_secret_load(db, other), 0);
	assert_memory_equal(key, other, 32); /* made once, then read back */
	char a[44], b[44], c[44], d[44];
	csrf_token(key, true, "abc", a);
	csrf_token(key, true, "abc", b);
	csrf_token(key, false, "abc", c);
	csrf_token(key, true, "abd", d);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c); /* a visitor's token is not a session's */
	assert_string_not_equal(a, d);
	assert_true(token_well_formed(a));
}

static void
audit_and_roles(void **state)
{
	(void)state;
	enum role r;
	assert_true(role_parse("coordinator", &r));
	assert_int_equal(r, ROLE_COORDINATOR);
	assert_false(role_parse("anyone", &r));
	assert_false(role_parse("root", &r));
	assert_false(role_parse(NULL, &r));
	long long a = add("a1@example.org", ROLE_ADMIN, USER_ACTIVE);
	assert_int_equal(users_store_other_admin(db, a), 0);
	long long b = add("a2@example.org", ROLE_ADMIN, USER_ACTIVE);
	assert_int_equal(users_store_other_admin(db, a), 1);
	users_store_set_status(db, b, USER_DISABLED);
	assert_int_equal(users_store_other_admin(db, a), 0);
	long long counts[3];
	assert_int_equal(users_store_count(db, counts), 0);
	assert_int_equal(counts[USER_ACTIVE], 1);
	assert_int_equal(counts[USER_DISABLED], 1);
}

static void
csv_cells_are_quoted_and_never_formulas(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, NULL);
	csv_bom(&b);
	csv_cell(&b, "plain");
	csv_cell(&b, "with \"quotes\", commas");
	csv_cell(&b, "=HYPERLINK(\"http://x\")");
	csv_cell(&b, "+1");
	csv_cell(&b, "-2");
	csv_cell(&b, "@SUM(A1)");
	csv_cell(&b, "\tTAB");
	csv_end_row(&b);
	csv_cell(&b, "énergie");
	csv_end_row(&b);
	assert_string_equal(b.data,
			    "\xEF\xBB\xBF\"plain\",\"with \"\"quotes\"\", commas\","
			    "\"'=HYPERLINK(\"\"http://x\"\")\",\"'+1\",\"'-2\",\"'@SUM(A1)\","
			    "\"'\tTAB\"\r\n\"énergie\"\r\n");
	buf_free(&b);
}

static void
passwords_are_hashed_before_any_transaction(void **state)
{
	(void)state;
	unsigned long before = db_slow_work_count();
	struct user_secret s = secret("correct horse battery"); /* no transaction: fine */
	assert_int_equal(db_begin(db), 0);
	long long id = users_store_create(db, "h@example.org", "Test", &s, ROLE_MEMBER, USER_ACTIVE,
					  0, "fr");
	assert_true(id > 0);
	assert_int_equal(users_store_set_password(db, id, &s), 0);
	assert_int_equal(db_commit(db), 0);
	struct user u;
	assert_int_equal(check("h@example.org", "correct horse battery", &u), 1);
	assert_int_equal(check("nobody@example.org", "x", &u), 0);
	assert_int_equal(db_slow_work_count(), before);
	/* Hashing while holding the write lock is what the guard reports. */
	assert_int_equal(db_begin(db), 0);
	assert_int_equal(users_store_hash_password("another long passphrase", 23, &s), 0);
	db_rollback(db);
	assert_int_equal(db_slow_work_count(), before + 1);
}

static void
a_pending_sign_up_keeps_the_organisation_typed_until_confirmed(void **state)
{
	(void)state;
	struct user_secret s = secret("correct horse battery");
	long long id = users_store_create_pending(db, "p@example.org", "Pat", &s, "Eau Vive", "ngo",
						  "en", T0);
	assert_true(id > 0);
	struct user u;
	assert_int_equal(users_store_get(db, id, &ar, &u), 1);
	assert_int_equal(u.status, USER_PENDING);
	assert_int_equal(u.org_id, 0); /* no organisation yet */
	assert_string_equal(u.lang, "en");
	struct arena a;
	arena_init(&a, 256);
	char *name = NULL, *kind = NULL;
	assert_int_equal(users_store_signup_org(db, id, &a, &name, &kind), 1);
	assert_string_equal(name, "Eau Vive");
	assert_string_equal(kind, "ngo");
	assert_int_equal(users_store_set_org(db, id, 0), -1); /* no such organisation */
	char err[128];
	assert_int_equal(
		db_exec(db,
			"INSERT INTO organisations(id, name, kind) VALUES (7, 'Eau Vive', 'ngo')",
			err, sizeof(err)),
		0);
	assert_int_equal(users_store_set_org(db, id, 7), 0);
	assert_int_equal(users_store_signup_org(db, id, &a, &name, &kind), 0); /* used up */
	assert_int_equal(users_store_get(db, id, &ar, &u), 1);
	assert_int_equal(u.org_id, 7);
	/* Taken: any case. */
	assert_int_equal(
		users_store_create_pending(db, "P@EXAMPLE.org", "Pat", &s, "X", "ngo", "fr", T0),
		0);
	arena_free(&a);
}

static void
sign_up_mails_to_one_address_are_spaced(void **state)
{
	(void)state;
	struct user_secret s = secret("correct horse battery");
	long long id =
		users_store_create_pending(db, "m@example.org", "M", &s, "Org", "ngo", "fr", T0);
	/* The confirmation mail went at T0: nothing more before the window has passed. */
	assert_int_equal(users_store_signup_mail_due(db, id, T0 + 10, 900), 0);
	assert_int_equal(users_store_signup_mail_due(db, id, T0 + 899, 900), 0);
	assert_int_equal(users_store_signup_mail_due(db, id, T0 + 900, 900), 1);
	assert_int_equal(users_store_signup_mail_due(db, id, T0 + 901, 900),
			 0); /* counted from 900 */
	/* A person made otherwise has had no sign-up mail. */
	long long other = add("n@example.org", ROLE_MEMBER, USER_ACTIVE);
	assert_int_equal(users_store_signup_mail_due(db, other, T0, 900), 1);
	assert_int_equal(users_store_signup_mail_due(db, other, T0 + 1, 900), 0);
}

static void
pending_accounts_go_when_their_links_have_expired(void **state)
{
	(void)state;
	struct user_secret s = secret("correct horse battery");
	char tok[44];
	long long old =
		users_store_create_pending(db, "old@example.org", "O", &s, "Org", "ngo", "fr", T0);
	assert_int_equal(tokens_store_create(db, old, TOKEN_CONFIRM, T0, 3 * 86400, tok), 0);
	long long fresh = users_store_create_pending(db, "new@example.org", "N", &s, "Org", "ngo",
						     "fr", T0 + 86400);
	assert_int_equal(tokens_store_create(db, fresh, TOKEN_CONFIRM, T0 + 86400, 3 * 86400, tok),
			 0);
	long long active = add("active@example.org", ROLE_MEMBER, USER_ACTIVE);
	assert_int_equal(users_store_delete_expired_pending(db, T0 + 3 * 86400 - 1), 0);
	assert_int_equal(users_store_delete_expired_pending(db, T0 + 3 * 86400), 1);
	struct user u;
	assert_int_equal(users_store_get(db, old, &ar, &u), 0);
	assert_int_equal(users_store_get(db, fresh, &ar, &u), 1);
	assert_int_equal(users_store_get(db, active, &ar, &u), 1);
	/* The address is free again. */
	assert_true(users_store_create_pending(db, "old@example.org", "O", &s, "Org", "ngo", "fr",
					       T0 + 3 * 86400) > 0);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			people_are_unique_by_address_and_checked_in_the_store, setup, teardown),
		cmocka_unit_test_setup_teardown(sessions_end_when_idle_too_long_or_too_old, setup,
						teardown),
		cmocka_unit_test_setup_teardown(sign_out_ends_one_session_or_all, setup, teardown),
		cmocka_unit_test_setup_teardown(one_time_links_are_single_use_and_expire, setup,
						teardown),
		cmocka_unit_test_setup_teardown(throttling_counts_failures_in_a_sliding_window,
						setup, teardown),
		cmocka_unit_test_setup_teardown(csrf_tokens_are_bound_to_their_basis, setup,
						teardown),
		cmocka_unit_test_setup_teardown(audit_and_roles, setup, teardown),
		cmocka_unit_test(csv_cells_are_quoted_and_never_formulas),
		cmocka_unit_test_setup_teardown(passwords_are_hashed_before_any_transaction, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			a_pending_sign_up_keeps_the_organisation_typed_until_confirmed, setup,
			teardown),
		cmocka_unit_test_setup_teardown(sign_up_mails_to_one_address_are_spaced, setup,
						teardown),
		cmocka_unit_test_setup_teardown(pending_accounts_go_when_their_links_have_expired,
						setup, teardown),
	};
	return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
