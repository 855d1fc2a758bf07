/* test_parse.c - percent-decoding, forms and query strings, paths, cookies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "http/parse.h"

static struct arena a;

static int
setup(void **state)
{
	(void)state;
	arena_init(&a, 1024);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	arena_free(&a);
	return 0;
}

static void
form_fields_are_decoded(void **state)
{
	(void)state;
	struct http_field *f;
	size_t n;
	const char *q = "title=Eau+potable&desc=%C3%A9nergie%20solaire&empty=&flag&&x=a%3Db%26c";
	assert_int_equal(http_parse_urlencoded(&a, q, strlen(q), 10, &f, &n), PARSE_OK);
	assert_int_equal(n, 5);
	assert_string_equal(f[0].name, "title");
	assert_string_equal(f[0].value, "Eau potable");
	assert_string_equal(f[1].value, "énergie solaire");
	assert_int_equal(f[1].value_len, strlen("énergie solaire"));
	assert_string_equal(f[2].name, "empty");
	assert_string_equal(f[2].value, "");
	assert_string_equal(f[3].name, "flag");
	assert_string_equal(f[3].value, "");
	assert_string_equal(f[4].value, "a=b&c");
}

static void
form_limits_and_errors(void **state)
{
	(void)state;
	struct http_field *f;
	size_t n;
	assert_int_equal(http_parse_urlencoded(&a, "a=1&b=2&c=3", 11, 2, &f, &n), PARSE_TOO_MANY);
	assert_int_equal(http_parse_urlencoded(&a, "a=1&b=2", 7, 2, &f, &n), PARSE_OK);
	assert_int_equal(http_parse_urlencoded(&a, "a=%zz", 5, 5, &f, &n), PARSE_BAD_ESCAPE);
	assert_int_equal(http_parse_urlencoded(&a, "a=%4", 4, 5, &f, &n), PARSE_BAD_ESCAPE);
	assert_int_equal(http_parse_urlencoded(&a, "a=%C3%28", 8, 5, &f, &n), PARSE_BAD_UTF8);
	assert_int_equal(http_parse_urlencoded(&a, "a=x%00y", 7, 5, &f, &n), PARSE_BAD_UTF8);
	assert_int_equal(http_parse_urlencoded(&a, "%FF=1", 5, 5, &f, &n), PARSE_BAD_UTF8);
	assert_int_equal(http_parse_urlencoded(&a, "", 0, 5, &f, &n), PARSE_OK);
	assert_int_equal(n, 0);
	/* A long run of separators costs nothing and yields nothing. */
	char amps[4096];
	memset(amps, '&', sizeof(amps));
	assert_int_equal(http_parse_urlencoded(&a, amps, sizeof(amps), 3, &f, &n), PARSE_OK);
	assert_int_equal(n, 0);
}

static void
percent_decode_never_grows(void **state)
{
	(void)state;
	char *out;
	size_t len;
	assert_int_equal(http_percent_decode(&a, "a+b%2B", 6, false, &out, &len), PARSE_OK);
	assert_string_equal(out, "a+b+");
	assert_int_equal(http_percent_decode(&a, "a+b%2B", 6, true, &out, &len), PARSE_OK);
	assert_string_equal(out, "a b+");
	assert_true(len <= 6);
}

static void
paths_are_checked(void **state)
{
	(void)state;
	char *p;
	assert_int_equal(http_parse_path(&a, "/cases/42", 9, &p), PARSE_OK);
	assert_string_equal(p, "/cases/42");
	assert_int_equal(http_parse_path(&a, "/caf%C3%A9", 10, &p), PARSE_OK);
	assert_string_equal(p, "/café");
	const char *bad[] = {"/static/../coexist.conf",
			     "/static/%2e%2e/x",
			     "/static/%2E%2e%2fx",
			     "/a/./b",
			     "/..",
			     "/a%00b",
			     "/a%5cb",
			     "/a\\b",
			     "relative",
			     "",
			     "/%C3"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_not_equal(http_parse_path(&a, bad[i], strlen(bad[i]), &p), PARSE_OK);
	/* Dots inside names are fine. */
	assert_int_equal(http_parse_path(&a, "/static/app.1a2b.css", 20, &p), PARSE_OK);
	assert_int_equal(http_parse_path(&a, "/a/..b/.c", 9, &p), PARSE_OK);
}

static void
cookies_and_tokens(void **state)
{
	(void)state;
	char v[16];
	assert_true(http_cookie_get("a=1; lang=en; b=2", "lang", v, sizeof(v)));
	assert_string_equal(v, "en");
	assert_true(http_cookie_get("lang=fr", "lang", v, sizeof(v)));
	assert_string_equal(v, "fr");
	assert_false(http_cookie_get("xlang=en", "lang", v, sizeof(v)));
	assert_false(http_cookie_get("lang=waytoolongvalue123", "lang", v, sizeof(v)));
	assert_false(http_cookie_get(NULL, "lang", v, sizeof(v)));
	assert_true(http_header_has_token("deflate, gzip;q=0.8, br", "gzip"));
	assert_true(http_header_has_token("GZIP", "gzip"));
	assert_false(http_header_has_token("gzip;q=0", "gzip"));
	assert_false(http_header_has_token("x-gzip", "gzip"));
	assert_false(http_header_has_token(NULL, "gzip"));
}

static void
url_encoding_round_trips(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, &a);
	const char *s = "énergie & eau=vie/100%";
	http_url_encode(&b, s, strlen(s));
	assert_null(strpbrk(b.data, " &=/é"));
	char *out;
	size_t len;
	assert_int_equal(http_percent_decode(&a, b.data, b.len, true, &out, &len), PARSE_OK);
	assert_string_equal(out, s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(form_fields_are_decoded, setup, teardown),
		cmocka_unit_test_setup_teardown(form_limits_and_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(percent_decode_never_grows, setup, teardown),
		cmocka_unit_test_setup_teardown(paths_are_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(cookies_and_tokens, setup, teardown),
		cmocka_unit_test_setup_teardown(url_encoding_round_trips, setup, teardown),
	};
	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
