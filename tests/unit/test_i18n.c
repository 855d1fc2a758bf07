/* test_i18n.c - catalogues (format, errors, lookups) and Accept-Language negotiation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "view/i18n.h"

static const char FR[] = "# Messages en français\n"
			 "\n"
			 "nav.home = Accueil\n"
			 "  greeting=   Bonjour, ça va ?  \n"
			 "case.count-1 = Un dossier\r\n"
			 "empty =\n";
static const char EN[] = "nav.home = Home\n"
			 "greeting = Hello, how are you?\n"
			 "# comment\n"
			 "case.count-1 = One case\n"
			 "empty =";

static void
test_load_and_lookup(void **state)
{
	(void)state;
	char err[256] = "";
	struct i18n *t = i18n_load_strings(FR, EN, err, sizeof(err));
	assert_non_null(t);
	assert_int_equal(i18n_count(t), 4);
	assert_string_equal(i18n_get(t, LANG_FR, "nav.home"), "Accueil");
	assert_string_equal(i18n_get(t, LANG_EN, "nav.home"), "Home");
	assert_string_equal(i18n_get(t, LANG_FR, "greeting"), "Bonjour, ça va ?");
	assert_string_equal(i18n_get(t, LANG_EN, "case.count-1"), "One case");
	assert_string_equal(i18n_get(t, LANG_FR, "case.count-1"), "Un dossier");
	assert_string_equal(i18n_get(t, LANG_FR, "empty"), "");
	/* Unknown keys show themselves, so a missing text is visible but harmless. */
	assert_string_equal(i18n_get(t, LANG_EN, "no.such"), "no.such");
	int i = i18n_index(t, "greeting");
	assert_true(i >= 0);
	assert_string_equal(i18n_at(t, LANG_EN, i), "Hello, how are you?");
	assert_int_equal(i18n_index(t, "no.such"), -1);
	assert_int_equal(i18n_index(t, "Greeting"), -1);
	assert_string_equal(i18n_at(t, LANG_FR, 99), "");
	/* Every key has an index that maps back to it. */
	const char *keys[] = {"nav.home", "greeting", "case.count-1", "empty"};
	for (size_t k = 0; k < 4; k++) {
		int x = i18n_index(t, keys[k]);
		assert_true(x >= 0 && x < 4);
		assert_string_equal(i18n_at(t, LANG_FR, x), i18n_get(t, LANG_FR, keys[k]));
	}
	i18n_free(t);
}

static void
expect_error(const char *fr, const char *en, const char *want1, const char *want2)
{
	char err[256] = "";
	struct i18n *t = i18n_load_strings(fr, en, err, sizeof(err));
	if (t)
		i18n_free(t);
	assert_null(t);
	if (!strstr(err, want1) || (want2 && !strstr(err, want2)))
		fail_msg("error \"%s\" lacks \"%s\" / \"%s\"", err, want1, want2 ? want2 : "");
}

static void
test_duplicate_key(void **state)
{
	(void)state;
	expect_error("a = 1\nb = 2\n\na = 3\n", "a = 1\nb = 2\n", "fr.txt:4:", "duplicate key 'a'");
	expect_error("a = 1\n", "a = 1\n# x\na = 2\n", "en.txt:3:", "duplicate key 'a'");
}

static void
test_missing_key_names_the_file_it_is_missing_from(void **state)
{
	(void)state;
	expect_error("a = 1\nonly.fr = x\n", "a = 1\n",
		     "fr.txt:2:", "'only.fr' is missing from en.txt");
	expect_error("a = 1\n", "a = 1\n\nonly.en = x\n",
		     "en.txt:3:", "'only.en' is missing from fr.txt");
}

static void
test_bad_utf8(void **state)
{
	(void)state;
	expect_error("a = 1\nb = caf\xe9\n", "a = 1\nb = 2\n", "fr.txt:2:", "invalid UTF-8");
	expect_error("a = 1\n", "a = \xc0\xaf\n", "en.txt:1:", "invalid UTF-8");
	expect_error("a = 1\n", "a = bell\x07\n", "en.txt:1:", "control character");
}

static void
test_malformed_lines(void **state)
{
	(void)state;
	expect_error("a = 1\njust some words\n", "a = 1\n", "fr.txt:2:", "malformed line");
	expect_error("a = 1\n= no key\n", "a = 1\n", "fr.txt:2:", "malformed line");
	expect_error("a = 1\n", "a = 1\nBig.Key = x\n", "en.txt:2:", "invalid key");
	expect_error("a = 1\n", "a = 1\nkey with space = x\n", "en.txt:2:", "invalid key");
}

static void
test_load_dir(void **state)
{
	(void)state;
	char dir[] = "/tmp/coexist-i18n-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[2][128];
	snprintf(path[0], sizeof(path[0]), "%s/fr.txt", dir);
	snprintf(path[1], sizeof(path[1]), "%s/en.txt", dir);
	char err[256] = "";

	/* Missing files are named. */
	assert_null(i18n_load_dir(dir, err, sizeof(err)));
	assert_non_null(strstr(err, "fr.txt"));

	FILE *f = fopen(path[0], "w");
	assert_non_null(f);
	fputs("title = Accueil\nmenu = Menu\n", f);
	fclose(f);
	f = fopen(path[1], "w");
	assert_non_null(f);
	fputs("title = Home\nmenu = Menu\n", f);
	fclose(f);
	struct i18n *t = i18n_load_dir(dir, err, sizeof(err));
	assert_non_null(t);
	assert_string_equal(i18n_get(t, LANG_EN, "title"), "Home");
	assert_string_equal(i18n_get(t, LANG_FR, "title"), "Accueil");
	i18n_free(t);

	/* Errors carry the directory: "DIR/en.txt:2: ...". */
	f = fopen(path[1], "w");
	assert_non_null(f);
	fputs("title = Home\nmenu Menu\n", f);
	fclose(f);
	assert_null(i18n_load_dir(dir, err, sizeof(err)));
	char want[160];
	snprintf(want, sizeof(want), "%s/en.txt:2: malformed line", dir);
	assert_non_null(strstr(err, want));

	unlink(path[0]);
	unlink(path[1]);
	rmdir(dir);
}

static void
test_lang_codes(void **state)
{
	(void)state;
	enum lang l = LANG_FR;
	assert_string_equal(lang_code(LANG_FR), "fr");
	assert_string_equal(lang_code(LANG_EN), "en");
	assert_true(lang_from_code("en", &l));
	assert_int_equal(l, LANG_EN);
	assert_true(lang_from_code("fr", &l));
	assert_int_equal(l, LANG_FR);
	assert_false(lang_from_code("EN", &l));
	assert_false(lang_from_code("en-GB", &l));
	assert_false(lang_from_code("", &l));
	assert_false(lang_from_code(NULL, &l));
}

static void
test_negotiate(void **state)
{
	(void)state;
	assert_int_equal(lang_negotiate("en-GB,en;q=0.9,fr;q=0.8"), LANG_EN);
	assert_int_equal(lang_negotiate("de, en;q=0.5"), LANG_EN);
	assert_int_equal(lang_negotiate("fr-CH, fr;q=0.9, en;q=0.8"), LANG_FR);
	assert_int_equal(lang_negotiate("en;q=0, fr"), LANG_FR);
	assert_int_equal(lang_negotiate("*"), LANG_FR);
	assert_int_equal(lang_negotiate(NULL), LANG_FR);
	assert_int_equal(lang_negotiate(""), LANG_FR);
	assert_int_equal(lang_negotiate("\x01garbage;;;,=q"), LANG_FR);
	assert_int_equal(lang_negotiate("de, it"), LANG_FR);
	assert_int_equal(lang_negotiate("EN-us"), LANG_EN);
	/* Ties keep the header's order. */
	assert_int_equal(lang_negotiate("en, fr"), LANG_EN);
	assert_int_equal(lang_negotiate("fr;q=0.5, en;q=0.5"), LANG_FR);
	assert_int_equal(lang_negotiate("en;q=0.5, fr;q=0.5"), LANG_EN);
	/* q-values are honoured whatever the order. */
	assert_int_equal(lang_negotiate("fr;q=0.3, de, en;q=0.7"), LANG_EN);
	assert_int_equal(lang_negotiate("en;Q=0.1 , fr;q=0.2"), LANG_FR);
	/* '*' covers a language not named. */
	assert_int_equal(lang_negotiate("fr;q=0, *"), LANG_EN);
	/* A malformed q drops that entry only. */
	assert_int_equal(lang_negotiate("fr;q=2, en;q=0.1"), LANG_EN);
	assert_int_equal(lang_negotiate("fr;q=0.1234, en;q=0.1"), LANG_EN);
	/* "english" is not "en": only the primary subtag counts, whole. */
	assert_int_equal(lang_negotiate("english, en;q=0.2"), LANG_EN);
}

static void
test_negotiate_bounds_long_headers(void **state)
{
	(void)state;
	/* Past 32 entries nothing counts: the "en" at the end is not seen. */
	char h[4096] = "";
	for (int i = 0; i < 40; i++)
		strcat(h, "de;q=0.5, ");
	strcat(h, "en");
	assert_int_equal(lang_negotiate(h), LANG_FR);
	/* Past 1024 bytes neither. */
	memset(h, ' ', 2000);
	strcpy(h + 2000, ",en");
	assert_int_equal(lang_negotiate(h), LANG_FR);
	/* A long header cut in the middle of a member keeps only whole members. */
	memset(h, 0, sizeof(h));
	strcpy(h, "de;q=0.9,");
	memset(h + 9, ' ', 1010);
	strcpy(h + 1019, ",en-GB;q=0.1");
	assert_int_equal(lang_negotiate(h), LANG_FR);
	strcpy(h, "en;q=0.2,");
	h[9] = ' ';
	assert_int_equal(lang_negotiate(h), LANG_EN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_and_lookup),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_missing_key_names_the_file_it_is_missing_from),
		cmocka_unit_test(test_bad_utf8),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_load_dir),
		cmocka_unit_test(test_lang_codes),
		cmocka_unit_test(test_negotiate),
		cmocka_unit_test(test_negotiate_bounds_long_headers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
