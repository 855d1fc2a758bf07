/* test_html.c - escaping of text and attributes, and which URLs may go in href/src. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "view/html.h"

static void
check_text(const char *in, const char *want)
{
	struct buf b;
	buf_init(&b, NULL);
	html_text(&b, in, strlen(in));
	assert_string_equal(buf_str(&b), want);
	buf_reset(&b);
	html_attr(&b, in, strlen(in));
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void
test_script_in_text_is_escaped(void **state)
{
	(void)state;
	check_text("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;");
}

static void
test_quotes_and_ampersand_are_escaped(void **state)
{
	(void)state;
	check_text("\" onmouseover='x' & y", "&quot; onmouseover=&#39;x&#39; &amp; y");
	check_text("&amp;", "&amp;amp;");
}

static void
test_plain_and_utf8_text_unchanged(void **state)
{
	(void)state;
	check_text("", "");
	check_text("Élodie à Brest — 100 %", "Élodie à Brest — 100 %");
}

static void
test_escape_respects_length(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, NULL);
	html_text(&b, "a<b>c", 2);
	assert_string_equal(buf_str(&b), "a&lt;");
	buf_free(&b);
}

static bool
safe(const char *s)
{
	return html_url_safe(s, strlen(s));
}

static void
test_url_relative_and_allowed_schemes(void **state)
{
	(void)state;
	assert_true(safe(""));
	assert_true(safe("/cases/12"));
	assert_true(safe("cases/12?x=a:b"));
	assert_true(safe("?page=2"));
	assert_true(safe("#top"));
	assert_true(safe("//example.org/x"));
	assert_true(safe("page.html"));
	assert_true(safe("http://example.org/"));
	assert_true(safe("HTTPS://example.org/a?b=c&d=e"));
	assert_true(safe("mailto:contact@example.org"));
	assert_true(safe("tel:+33123456789"));
	assert_true(safe("/a/b:c"));
}

static void
test_url_dangerous_schemes_refused(void **state)
{
	(void)state;
	assert_false(safe("javascript:alert(1)"));
	assert_false(safe("JaVaScRiPt:alert(1)"));
	assert_false(safe("data:text/html,<script>alert(1)</script>"));
	assert_false(safe("vbscript:msgbox"));
	assert_false(safe("file:///etc/passwd"));
	assert_false(safe("ftp://example.org/"));
	assert_false(safe(":nothing"));
}

static void
test_url_whitespace_control_and_entity_tricks_refused(void **state)
{
	(void)state;
	assert_false(safe(" javascript:alert(1)"));
	assert_false(safe("\tjavascript:alert(1)"));
	assert_false(safe("\x01javascript:alert(1)"));
	assert_false(safe("java\nscript:alert(1)"));
	assert_false(safe("java\tscript:alert(1)"));
	assert_false(safe("/ok\r\n"));
	assert_false(safe("&#106;avascript:alert(1)"));
	assert_false(safe("javascript&colon;alert(1)"));
	assert_false(safe("javascript&#58;alert(1)"));
	assert_false(safe("\xc2\xa0javascript:alert(1)"));
	/* A NUL inside the given length hides nothing. */
	assert_false(html_url_safe("/a\0javascript:", 15));
	/* Only n bytes are looked at. */
	assert_true(html_url_safe("/ajavascript:x", 2));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_in_text_is_escaped),
		cmocka_unit_test(test_quotes_and_ampersand_are_escaped),
		cmocka_unit_test(test_plain_and_utf8_text_unchanged),
		cmocka_unit_test(test_escape_respects_length),
		cmocka_unit_test(test_url_relative_and_allowed_schemes),
		cmocka_unit_test(test_url_dangerous_schemes_refused),
		cmocka_unit_test(test_url_whitespace_control_and_entity_tricks_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
