/* test_dates.c - stored times as readers of French and English write them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "base/arena.h"
#include "view/dates.h"

static void
days_and_times_in_each_language(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a, 1024);
	assert_string_equal(date_text(&a, LANG_FR, "2026-12-04"), "4 décembre 2026");
	assert_string_equal(date_text(&a, LANG_EN, "2026-12-04T18:36:00Z"), "4 December 2026");
	assert_string_equal(date_text(&a, LANG_FR, "2026-03-01T00:00:00Z"), "1er mars 2026");
	assert_string_equal(date_text(&a, LANG_EN, "2026-03-01"), "1 March 2026");
	assert_string_equal(date_time_text(&a, LANG_FR, "2026-08-15T09:05:07Z"),
			    "15 août 2026 à 09:05 UTC");
	assert_string_equal(date_time_text(&a, LANG_EN, "2026-08-15T09:05:07Z"),
			    "15 August 2026, 09:05 UTC");
	assert_string_equal(date_time_text(&a, LANG_EN, "2026-08-15"), "15 August 2026");
	/* Not a time: nothing rather than something wrong. */
	const char *bad[] = {"", "2026-02-30", "yesterday", "2026-13-01T00:00:00Z", "26-1-1"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_string_equal(date_text(&a, LANG_FR, bad[i]), "");
		assert_string_equal(date_time_text(&a, LANG_EN, bad[i]), "");
	}
	assert_string_equal(date_text(&a, LANG_FR, NULL), "");
	assert_string_equal(date_of(&a, LANG_EN, 0), "1 January 1970");
	arena_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(days_and_times_in_each_language),
	};
	return cmocka_run_group_tests_name("dates", tests, NULL, NULL);
}
