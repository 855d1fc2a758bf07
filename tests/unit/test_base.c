/* test_base.c - the arena, the string buffer, UTF-8 validation, e-mail addresses and CSV cells. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/csv.h"
#include "base/email.h"
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

static void
email_accepts_addresses_people_have(void **state)
{
	(void)state;
	const char *good[] = {
		"jean.dupont@ong-partenaire.org",
		"a.b+tag@example.co.uk",
		"o'neil@example.ie",
		"x_y-z@sub.example.org",
		"UPPER@EXAMPLE.ORG",
		"1234@example.com",
		"a@b.cd",
		"user@xn--socit-esab.fr",           /* an IDN domain, as ASCII */
		"contact@soci\xC3\xA9t\xC3\xA9.fr", /* the same, as typed: société.fr */
		"jos\xC3\xA9@example.org",          /* a UTF-8 local part (RFC 6531) */
		"info@\xE4\xBE\x8B\xE3\x81\x88.jp", /* 例え.jp */
		"ok!#$%&*/=?^_`{|}~@example.org",   /* every other atext character */
	};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!email_valid(good[i]))
			fail_msg("refused: %s", good[i]);
	/* The longest: 64 bytes of local part, 254 in all. */
	char local64[128], long254[300];
	memset(local64, 'a', 64);
	strcpy(local64 + 64, "@example.org");
	assert_true(email_valid(local64));
	memset(long254, 'b', 254);
	memcpy(long254, "x@", 2);
	for (size_t i = 2 + 63; i < 250; i += 64)
		long254[i] = '.';
	memcpy(long254 + 250, ".org", 4);
	long254[254] = '\0';
	assert_true(email_valid(long254));
}

static void
email_refuses_what_the_outbox_cannot_carry(void **state)
{
	(void)state;
	const char *bad[] = {
		"jean.dupont@ong-partenaire.org,", /* a trailing comma: a list, not an address */
		"a@b.org;c@d.org",
		"a@b.org, c@d.org",
		" a@b.org",
		"a@b.org ",
		"a b@c.org",
		"a\t@b.org",
		"a@@b.org",
		"a@b@c.org",
		"\"john doe\"@example.org", /* quoted local parts are refused */
		"\"john\"@example.org",
		"Jean <jean@example.org>",
		"<jean@example.org>",
		"jean@example.org>",
		"a@b.org\r\nBcc: x@y.org",
		"a@b.org\n",
		"a@b.org\r",
		"@example.org",
		"jean@",
		"jean",
		"",
		"jean@localhost",
		"jean@example",
		"jean@.example.org",
		"jean@example.org.",
		"jean@example..org",
		".jean@example.org",
		"jean.@example.org",
		"je..an@example.org",
		"jean@-example.org",
		"jean@example-.org",
		"jean@[192.0.2.1]",
		"jean@192.0.2.1",
		"jean@exa_mple.org",
		"jean(comment)@example.org",
		"jean\\@example.org",
		"jean:x@example.org",
		"jean@exam\x7Fple.org",
		"jos\xC3@example.org",          /* not UTF-8 */
		"jean\xC2\xA0@example.org",     /* a no-break space */
		"jean@example\xE3\x80\x80.org", /* an ideographic space */
		"jean\xC2\x85@example.org",     /* a C1 control (NEL) */
		"jean\xEF\xBC\xA0"
		"example.org", /* a full-width at sign is not one */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (email_valid(bad[i]))
			fail_msg("accepted: %s", bad[i]);
	assert_false(email_valid(NULL));
	char s[400];
	memset(s, 'a', 65); /* local part of 65 bytes */
	strcpy(s + 65, "@example.org");
	assert_false(email_valid(s));
	memset(s, 'b', 64); /* a label of 64 bytes */
	memcpy(s, "x@", 2);
	strcpy(s + 66, ".org");
	assert_false(email_valid(s));
	memset(s, 'c', 255); /* 255 bytes in all */
	memcpy(s, "x@", 2);
	for (size_t i = 2 + 60; i < 250; i += 61)
		s[i] = '.';
	memcpy(s + 251, ".org", 4);
	s[255] = '\0';
	assert_int_equal(strlen(s), 255);
	assert_false(email_valid(s));
}

/* The cell csv_cell writes for s, without the quotes. */
static const char *
cell_of(struct buf *b, const char *s)
{
	b->len = 0;
	csv_cell(b, s);
	buf_putc(b, '\0');
	assert_true(b->len >= 3 && b->data[0] == '"' && b->data[b->len - 2] == '"');
	b->data[b->len - 2] = '\0';
	return b->data + 1;
}

static void
csv_guards_every_start_a_spreadsheet_reads_as_a_formula(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, NULL);
	const char *risky[] = {
		"=1+1",
		"+1",
		"-1",
		"@SUM(A1)",
		"%0A",
		"|calc",
		"\t=1+1",
		"\tTAB",
		"\r=1",
		"\rX",
		"\n=1",
		"\nline",
		" =1+1",
		"   =HYPERLINK(1)",
		" +1",
		" @SUM(A1)",
		"\t -1",
		"\xEF\xBC\x9D"
		"1+1", /* full-width = (U+FF1D) */
		"\xEF\xBC\x8B"
		"1", /* full-width + (U+FF0B) */
		"\xEF\xBC\x8D"
		"1", /* full-width - (U+FF0D) */
		"\xEF\xBC\xA0"
		"SUM(A1)", /* full-width @ (U+FF20) */
		" \xEF\xBC\x9D"
		"1",     /* a space, then a full-width = */
		"'=1+1", /* an apostrophe typed before a formula */
	};
	for (size_t i = 0; i < sizeof(risky) / sizeof(risky[0]); i++) {
		const char *c = cell_of(&b, risky[i]);
		if (c[0] != '\'')
			fail_msg("not guarded: [%s]", risky[i]);
		/* Otherwise kept as typed, and read back as typed. */
		assert_string_equal(c + 1, risky[i]);
		assert_string_equal(csv_unguard(c), risky[i]);
	}
	const char *plain[] = {
		"plain",   "énergie", " leading space", "100%",        "a=b", "x-y",
		"'quoted", "",        "2024-01-01",     "\xEF\xBC\x91"}; /* full-width 1 */
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		const char *c = cell_of(&b, plain[i]);
		assert_string_equal(c, plain[i]);
		assert_string_equal(csv_unguard(c), plain[i]);
	}
	/* Quotes are doubled, as RFC 4180 says, guarded or not. */
	assert_string_equal(cell_of(&b, "=\"x\""), "'=\"\"x\"\"");
	buf_free(&b);
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
		cmocka_unit_test(email_accepts_addresses_people_have),
		cmocka_unit_test(email_refuses_what_the_outbox_cannot_carry),
		cmocka_unit_test(csv_guards_every_start_a_spreadsheet_reads_as_a_formula),
	};
	return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}
