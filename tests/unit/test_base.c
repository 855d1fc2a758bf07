/* test_base.c - the arena, the string buffer and UTF-8 validation. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/utf8.h"

static void
arena_gives_aligned_distinct_memory(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 64);
	char *p = arena_alloc(&a, 3);
	char *q = arena_alloc(&a, 5);
	assert_true(((uintptr_t)p % _Alignof(max_align_t)) == 0);
	assert_true(((uintptr_t)q % _Alignof(max_align_t)) == 0);
	assert_true(q >= p + 3 || q + 5 <= p);
	memset(p, 'x', 3);
	memset(q, 'y', 5);
	assert_int_equal(p[2], 'x');
	/* Bigger than a chunk: still one contiguous block. */
	char *big = arena_alloc(&a, 100000);
	memset(big, 1, 100000);
	assert_int_equal(big[99999], 1);
	assert_true(a.total >= 100000);
	arena_free(&a);
	assert_null(a.head);
	assert_int_equal(a.total, 0);
	/* Usable again after a free. */
	assert_string_equal(arena_strdup(&a, "encore"), "encore");
	arena_free(&a);
}

static void
arena_strings_and_printf(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 0);
	assert_string_equal(arena_strndup(&a, "énergie solaire", 8), "énergie");
	assert_string_equal(arena_printf(&a, "%d cas en %s", 42, "Afrique"), "42 cas en Afrique");
	char *z = arena_zalloc(&a, 32);
	for (int i = 0; i < 32; i++)
		assert_int_equal(z[i], 0);
	arena_free(&a);
}

static void
buf_grows_in_arena_and_on_heap(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 128);
	struct buf b;
	buf_init(&b, &a);
	assert_string_equal(buf_str(&b), "");
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	assert_int_equal(b.len, strlen(b.data));
	assert_non_null(strstr(b.data, "998,999,"));
	assert_memory_equal(b.data, "0,1,2,", 6);
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	buf_puts(&b, "eau");
	buf_putc(&b, '!');
	assert_string_equal(b.data, "eau!");
	arena_free(&a);

	struct buf h;
	buf_init(&h, NULL);
	buf_add(&h, "a\0b", 3);
	assert_int_equal(h.len, 3);
	assert_memory_equal(h.data, "a\0b", 3);
	buf_free(&h);
	assert_null(h.data);
}

static void
utf8_accepts_valid_text(void **state)
{
	(void)state;
	const char *ok[] = {"",       "plain ascii", "énergie",         "Ça marche",
			    "日本語", "emoji 🤝",  "\xF4\x8F\xBF\xBF" /* U+10FFFF */};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_true(utf8_valid(ok[i], strlen(ok[i])));
	assert_true(utf8_valid_text("ligne 1\nligne 2\ttab\r\n", 21));
	assert_int_equal(utf8_count("énergie", strlen("énergie")), 7);
	assert_int_equal(utf8_count("🤝ok", strlen("🤝ok")), 3);
}

static void
utf8_refuses_malformed_sequences(void **state)
{
	(void)state;
	const char *bad[] = {
		"\xC3",             /* truncated */
		"\xC3\x28",         /* bad continuation */
		"\xC0\xAF",         /* overlong '/' */
		"\xE0\x80\xAF",     /* overlong '/' in three bytes */
		"\xED\xA0\x80",     /* surrogate U+D800 */
		"\xF4\x90\x80\x80", /* above U+10FFFF */
		"\x80",             /* lone continuation */
		"\xFF",             /* never valid */
		"ok\xE2\x82",       /* truncated at the end */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(utf8_valid(bad[i], strlen(bad[i])));
	/* Valid UTF-8 but not text: NUL and other control characters. */
	assert_true(utf8_valid("a\0b", 3));
	assert_false(utf8_valid_text("a\0b", 3));
	assert_false(utf8_valid_text("bell\a", 5));
	assert_false(utf8_valid_text("del\x7F", 4));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arena_gives_aligned_distinct_memory),
		cmocka_unit_test(arena_strings_and_printf),
		cmocka_unit_test(buf_grows_in_arena_and_on_heap),
		cmocka_unit_test(utf8_accepts_valid_text),
		cmocka_unit_test(utf8_refuses_malformed_sequences),
	};
	return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}
