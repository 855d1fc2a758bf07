/* test_password.c - the password policy, the common-password list and argon2id hashing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "auth/password.h"

/* Runs from the top of the tree, as tests/run does. */
#define SHIPPED_LIST "data/common-passwords.txt"

static enum password_problem
check(const char *pw, const char *email)
{
	return password_check(pw, strlen(pw), email);
}

/* Writes text to a fresh temporary file; the caller unlinks path. */
static void
write_temp(char *path, const char *text)
{
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	size_t n = strlen(text);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
}

/* A string of n copies of the UTF-8 character c. */
static char *
repeat(const char *c, size_t n)
{
	size_t clen = strlen(c);
	char *s = malloc(clen * n + 1);
	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * clen, c, clen);
	s[clen * n] = '\0';
	return s;
}

static void
length_limits_count_characters(void **state)
{
	(void)state;
	password_list_free();
	assert_int_equal(check("vert-forêt7", NULL), PASSWORD_TOO_SHORT); /* 11 characters */
	assert_int_equal(check("vert-forêt7!", NULL), PASSWORD_OK);       /* 12 characters */
	assert_int_equal(check("", NULL), PASSWORD_TOO_SHORT);
	assert_int_equal(password_check(NULL, 0, NULL), PASSWORD_TOO_SHORT);

	char *s128 = repeat("k", 128), *s129 = repeat("k", 129);
	assert_int_equal(check(s128, NULL), PASSWORD_OK);
	assert_int_equal(check(s129, NULL), PASSWORD_TOO_LONG);
	free(s128);
	free(s129);

	/* Multi-byte characters count once each: 12 "é" are 24 bytes and enough. */
	assert_int_equal(check("éééééééééééé", NULL), PASSWORD_OK);
	assert_int_equal(check("ééééééééééé", NULL), PASSWORD_TOO_SHORT);
	char *e128 = repeat("€", 128), *e129 = repeat("€", 129);
	assert_int_equal(check(e128, NULL), PASSWORD_OK); /* 384 bytes */
	assert_int_equal(check(e129, NULL), PASSWORD_TOO_LONG);
	free(e128);
	free(e129);
	char *emoji = repeat("🤝", 128);
	assert_int_equal(check(emoji, NULL), PASSWORD_OK); /* 512 bytes, the most there can be */
	free(emoji);
	char *huge = repeat("x", 100000);
	assert_int_equal(check(huge, NULL), PASSWORD_TOO_LONG);
	free(huge);
}

static void
refuses_what_is_not_text(void **state)
{
	(void)state;
	password_list_free();
	assert_int_equal(check("tab\tinside-a-password", NULL), PASSWORD_NOT_TEXT);
	assert_int_equal(check("line\nbreak-in-a-password", NULL), PASSWORD_NOT_TEXT);
	assert_int_equal(check("carriage\rreturn-password", NULL), PASSWORD_NOT_TEXT);
	assert_int_equal(check("bell\a-in-a-password", NULL), PASSWORD_NOT_TEXT);
	assert_int_equal(check("delete\x7F-in-a-password", NULL), PASSWORD_NOT_TEXT);
	assert_int_equal(check("c1 \xC2\x85 next-line control", NULL), PASSWORD_NOT_TEXT);
	assert_int_equal(password_check("nul\0inside-a-password", 21, NULL), PASSWORD_NOT_TEXT);
	assert_int_equal(check("latin1 caf\xE9 au lait !", NULL), PASSWORD_NOT_TEXT);
	assert_int_equal(check("overlong \xC0\xAF slash here", NULL), PASSWORD_NOT_TEXT);
	/* U+00A0 (no-break space, right after the C1 block) is text. */
	assert_int_equal(check("no\xC2\xA0"
			       "break space ok",
			       NULL),
			 PASSWORD_OK);
}

static void
refuses_the_email_address_and_its_local_part(void **state)
{
	(void)state;
	password_list_free();
	const char *email = "marie.dupont@example.org";
	assert_int_equal(check("marie.dupont@example.org", email), PASSWORD_IS_EMAIL);
	assert_int_equal(check("Marie.Dupont@EXAMPLE.org", email), PASSWORD_IS_EMAIL);
	assert_int_equal(check("marie.dupont", email), PASSWORD_IS_EMAIL);
	assert_int_equal(check("MARIE.DUPONT", email), PASSWORD_IS_EMAIL);
	assert_int_equal(check("marie.dupont!", email), PASSWORD_OK);
	assert_int_equal(check("marie.dupont", NULL), PASSWORD_OK);
	assert_int_equal(check("marie.dupont", ""), PASSWORD_OK);
	assert_int_equal(check("marie.dupont", "no-at-sign-here"), PASSWORD_OK);
}

static void
refuses_common_passwords_in_any_case(void **state)
{
	(void)state;
	char path[] = "/tmp/coexist-pwlist-XXXXXX";
	write_temp(path, "# a test list\n"
			 "\n"
			 "password1234\n"
			 "  MotDePasse123  \r\n"
			 "password1234\n" /* a duplicate counts once */
			 "genèvesuisse\n"
			 "# motdepasse999 is a comment\n"
			 "azertyuiop12"); /* no final newline */
	char err[256] = "";
	assert_int_equal(password_list_load(path, err, sizeof(err)), 0);
	unlink(path);
	assert_int_equal(password_list_count(), 4);

	assert_int_equal(check("password1234", NULL), PASSWORD_COMMON);
	assert_int_equal(check("PassWord1234", NULL), PASSWORD_COMMON);
	assert_int_equal(check("motdepasse123", NULL), PASSWORD_COMMON);
	assert_int_equal(check("AZERTYUIOP12", NULL), PASSWORD_COMMON);
	assert_int_equal(check("GenèveSuisse", NULL), PASSWORD_COMMON);
	assert_int_equal(check("motdepasse999", NULL), PASSWORD_OK);
	assert_int_equal(check("password12345", NULL), PASSWORD_OK);
	/* The policy's other checks still come first. */
	assert_int_equal(check("Password123", NULL), PASSWORD_TOO_SHORT);

	/* Without a list, only the list check is skipped. */
	password_list_free();
	assert_int_equal(password_list_count(), 0);
	assert_int_equal(check("password1234", NULL), PASSWORD_OK);
	assert_int_equal(check("password123", NULL), PASSWORD_TOO_SHORT);
}

static void
shipped_list_loads_and_covers_the_obvious(void **state)
{
	(void)state;
	char err[256] = "";
	if (password_list_load(SHIPPED_LIST, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_true(password_list_count() >= 400);
	const char *common[] = {
		"Password1234", "motdepasse123", "AZERTYUIOP12", "qwertyuiop123", "123456789012",
		"iloveyou1234", "soleil123456",  "Bonjour12345", "Coexist2024!",  "genèvesuisse",
		"1qaz2wsx3edc", "aaaaaaaaaaaa",  "qwertzuiop12",
	};
	for (size_t i = 0; i < sizeof(common) / sizeof(common[0]); i++)
		if (check(common[i], NULL) != PASSWORD_COMMON)
			fail_msg("\"%s\" should be refused as common", common[i]);
	assert_int_equal(check("brume sur le Salève, 7 h", NULL), PASSWORD_OK);
	password_list_free();
}

static void
list_errors_name_the_line(void **state)
{
	(void)state;
	char err[256] = "";
	assert_int_equal(password_list_load("/nonexistent/coexist-list.txt", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/coexist-list.txt: "));

	/* A failed load leaves the previous list in place. */
	char good[] = "/tmp/coexist-pwlist-XXXXXX";
	write_temp(good, "password1234\n");
	assert_int_equal(password_list_load(good, err, sizeof(err)), 0);
	unlink(good);

	char bad[] = "/tmp/coexist-pwlist-XXXXXX";
	write_temp(bad, "# comment\nmotdepasse123\nbad caf\xE9 latin-1\n");
	assert_int_equal(password_list_load(bad, err, sizeof(err)), -1);
	char want[128];
	snprintf(want, sizeof(want), "%s:3: not valid UTF-8 text", bad);
	assert_string_equal(err, want);
	unlink(bad);
	assert_int_equal(password_list_count(), 1);
	assert_int_equal(check("password1234", NULL), PASSWORD_COMMON);

	char ctl[] = "/tmp/coexist-pwlist-XXXXXX";
	write_temp(ctl, "ok-entry-here\nbell\a-entry\n");
	assert_int_equal(password_list_load(ctl, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:2: not valid UTF-8 text", ctl);
	assert_string_equal(err, want);
	unlink(ctl);

	char longer[] = "/tmp/coexist-pwlist-XXXXXX";
	char *big = repeat("y", 600);
	write_temp(longer, big);
	free(big);
	assert_int_equal(password_list_load(longer, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:1: entry longer than any password allowed", longer);
	assert_string_equal(err, want);
	unlink(longer);

	char empty[] = "/tmp/coexist-pwlist-XXXXXX";
	write_temp(empty, "");
	assert_int_equal(password_list_load(empty, err, sizeof(err)), 0);
	unlink(empty);
	assert_int_equal(password_list_count(), 0);
	password_list_free();
}

static void
problems_have_translation_keys(void **state)
{
	(void)state;
	assert_string_equal(password_problem_key(PASSWORD_OK), "password.ok");
	assert_string_equal(password_problem_key(PASSWORD_TOO_SHORT), "password.too_short");
	assert_string_equal(password_problem_key(PASSWORD_TOO_LONG), "password.too_long");
	assert_string_equal(password_problem_key(PASSWORD_NOT_TEXT), "password.not_text");
	assert_string_equal(password_problem_key(PASSWORD_COMMON), "password.common");
	assert_string_equal(password_problem_key(PASSWORD_IS_EMAIL), "password.is_email");
}

static void
hash_and_verify_without_truncation(void **state)
{
	(void)state;
	const char *pw = "brume sur le Salève, 7 h";
	char hash[crypto_pwhash_STRBYTES];
	assert_int_equal(password_hash(pw, strlen(pw), hash), 0);
	assert_memory_equal(hash, "$argon2id$", 10);
	assert_true(password_verify(hash, pw, strlen(pw)));
	assert_false(password_verify(hash, "brume sur le Saleve, 7 h", strlen(pw) - 1));
	assert_false(password_verify(hash, "brume sur le Salève, 7 h!", strlen(pw) + 1));
	assert_false(password_verify(hash, pw, strlen(pw) - 1));
	assert_false(password_needs_rehash(hash));

	/* The same password hashes differently each time (a fresh salt). */
	char again[crypto_pwhash_STRBYTES];
	assert_int_equal(password_hash(pw, strlen(pw), again), 0);
	assert_string_not_equal(hash, again);
	assert_true(password_verify(again, pw, strlen(pw)));

	/* 128 characters are kept whole: a 129th changes the answer, and so does the last one. */
	char *s129 = repeat("é", 129);
	size_t len128 = strlen("é") * 128;
	assert_int_equal(password_hash(s129, len128, hash), 0);
	assert_true(password_verify(hash, s129, len128));
	assert_false(password_verify(hash, s129, len128 + strlen("é")));
	s129[len128 - 1] ^= 0x01; /* "é" becomes "è" in the 128th character */
	assert_false(password_verify(hash, s129, len128));
	free(s129);
}

static void
verify_refuses_bad_hashes_and_old_parameters(void **state)
{
	(void)state;
	const char *pw = "vert-forêt7!";
	assert_false(password_verify(NULL, pw, strlen(pw)));
	assert_false(password_verify("", pw, strlen(pw)));
	assert_false(password_verify("$argon2id$v=19$garbage", pw, strlen(pw)));
	assert_true(password_needs_rehash(NULL));
	assert_true(password_needs_rehash("not a hash"));

	/* A hash made with other parameters, or with argon2i, still verifies but needs rehashing.
	 */
	char old[crypto_pwhash_STRBYTES];
	assert_int_equal(crypto_pwhash_str_alg(old, pw, strlen(pw), 3, 32u << 20,
					       crypto_pwhash_ALG_ARGON2ID13),
			 0);
	assert_true(password_verify(old, pw, strlen(pw)));
	assert_true(password_needs_rehash(old));
	assert_int_equal(crypto_pwhash_str_alg(
				 old, pw, strlen(pw), crypto_pwhash_argon2i_OPSLIMIT_INTERACTIVE,
				 crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2I13),
			 0);
	assert_true(password_verify(old, pw, strlen(pw)));
	assert_true(password_needs_rehash(old));

	/* The dummy check runs (twice: the fixed hash is made only once) and answers nothing. */
	password_verify_dummy(pw, strlen(pw));
	password_verify_dummy(NULL, 0);
}

static int
setup(void **state)
{
	(void)state;
	return sodium_init() < 0 ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	password_list_free();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(length_limits_count_characters),
		cmocka_unit_test(refuses_what_is_not_text),
		cmocka_unit_test(refuses_the_email_address_and_its_local_part),
		cmocka_unit_test(refuses_common_passwords_in_any_case),
		cmocka_unit_test(shipped_list_loads_and_covers_the_obvious),
		cmocka_unit_test(list_errors_name_the_line),
		cmocka_unit_test(problems_have_translation_keys),
		cmocka_unit_test(hash_and_verify_without_truncation),
		cmocka_unit_test(verify_refuses_bad_hashes_and_old_parameters),
	};
	return cmocka_run_group_tests_name("password", tests, setup, teardown);
}
