/* test_map.c - the server's country maps: the real shapes load, countries with cases are
 * coloured and linked to their cases, texts are escaped, no inline style, each view shows its
 * part of the world and stays small, and a broken shapes file is refused with a reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/buf.h"
#include "view/map.h"

#define MAP_FILE "data/map/countries.json"

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* Start and end tags of each element with content come in pairs. */
static void
assert_balanced(const char *svg)
{
	static const char *const names[] = {"svg", "text", "a", "g", "title", "desc"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char open[16], open_gt[16], close[16];
		snprintf(open, sizeof open, "<%s ", names[i]);
		snprintf(open_gt, sizeof open_gt, "<%s>", names[i]);
		snprintf(close, sizeof close, "</%s>", names[i]);
		assert_int_equal(count(svg, open) + count(svg, open_gt), count(svg, close));
	}
}

static const char *
plain_name(void *ctx, const char *code)
{
	(void)ctx;
	if (strcmp(code, "BF") == 0)
		return "Burkina Faso";
	if (strcmp(code, "NG") == 0)
		return "Nigeria";
	if (strcmp(code, "CV") == 0)
		return "Cabo Verde";
	return NULL;
}

/* A name a hostile or careless catalogue could hold. */
static const char *
evil_name(void *ctx, const char *code)
{
	(void)code;
	*(int *)ctx += 1;
	return "<script>alert(\"x\")</script> & 'co'";
}

static int
setup(void **state)
{
	if (access(MAP_FILE, R_OK) != 0) {
		print_message(MAP_FILE " is missing: run the tests from the top of the tree\n");
		return -1;
	}
	char err[256] = "";
	struct world_map *m = map_load(MAP_FILE, err, sizeof err);
	if (m == NULL)
		print_message("%s\n", err);
	*state = m;
	return m ? 0 : -1;
}

static int
teardown(void **state)
{
	map_free(*state);
	return 0;
}

static char *
draw(const struct world_map *m, enum map_view view, const char *const *codes, const long *counts,
     size_t n, const char *(*name)(void *, const char *), void *ctx)
{
	struct buf b;
	buf_init(&b, NULL);
	map_svg(&b, m, view, codes, counts, n, name, ctx,
		"/cases?country=", "Cas publiés <par> pays", "Carte & tableau");
	char *s = strdup(buf_str(&b));
	buf_free(&b);
	return s;
}

static void
test_real_shapes_load(void **state)
{
	const struct world_map *m = *state;
	assert_true(map_count(m) > 150);
	const char *const want[] = {"BF", "NG", "ZA", "FR", "BR", "CV", "KM", "MU", "SC", "ST"};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		assert_true(map_has(m, want[i]));
	assert_false(map_has(m, "AQ")); /* Antarctica is left out */
	assert_false(map_has(m, "bf"));
	assert_false(map_has(m, "BFA"));
	assert_false(map_has(m, NULL));
}

static void
test_africa_links_countries_with_cases(void **state)
{
	const char *const codes[] = {"BF", "NG", "CV", "ZZ", "ML"};
	const long counts[] = {12, 3, 1, 5, 0};
	char *svg = draw(*state, MAP_AFRICA, codes, counts, 5, plain_name, NULL);

	assert_non_null(strstr(svg, "<a href=\"/cases?country=BF\"><title>Burkina Faso (12)</title>"
				    "<path data-code=\"BF\""));
	assert_non_null(strstr(svg, "<a href=\"/cases?country=NG\"><title>Nigeria (3)</title>"));
	/* An island too small for the shapes is a circle, linked like the others. */
	assert_non_null(strstr(svg, "<a href=\"/cases?country=CV\"><title>Cabo Verde (1)</title>"
				    "<circle data-code=\"CV\""));
	assert_int_equal(count(svg, "<a "), 3);
	/* A country without cases (or with 0) is drawn but not linked; an unknown code is ignored.
	 */
	assert_non_null(strstr(svg, "data-code=\"ML\""));
	assert_null(strstr(svg, "country=ML"));
	assert_null(strstr(svg, "ZZ"));
	assert_non_null(strstr(svg, "data-code=\"ZA\""));
	assert_null(strstr(svg, "country=ZA"));
	/* 12 cases fall in the darkest class, 3 in the second, 1 in the first. */
	assert_non_null(strstr(svg, "data-code=\"BF\" d=\""));
	const char *bf = strstr(svg, "data-code=\"BF\"");
	const char *bf_end = strstr(bf, "/>");
	const char *bf_fill = strstr(bf, " fill=\"#0b4650\"");
	assert_true(bf_fill && bf_fill < bf_end);
	const char *ng = strstr(svg, "data-code=\"NG\"");
	assert_true(strstr(ng, " fill=\"#5ea4ad\"") < strstr(ng, "/>"));
	/* Its legend, its title and description, and an accessible role for a group of links. */
	assert_non_null(strstr(svg, ">10+</text>"));
	assert_non_null(strstr(svg, ">2–3</text>"));
	assert_non_null(strstr(svg, "role=\"group\" aria-labelledby=\"map-africa-title\""));
	assert_non_null(strstr(svg, "<title id=\"map-africa-title\">Cas publiés &lt;par&gt; pays"));
	assert_non_null(strstr(svg, "<desc id=\"map-africa-desc\">Carte &amp; tableau</desc>"));
	assert_null(strstr(svg, "style"));
	assert_balanced(svg);
	free(svg);
}

static void
test_africa_view_is_small_and_african(void **state)
{
	const char *const codes[] = {"BF", "BR", "FR"};
	const long counts[] = {4, 7, 2};
	char *svg = draw(*state, MAP_AFRICA, codes, counts, 3, plain_name, NULL);
	assert_true(strlen(svg) < 60 * 1024);
	/* Brazil and France lie outside the view: not drawn, not linked; Spain reaches into it. */
	assert_null(strstr(svg, "data-code=\"BR\""));
	assert_null(strstr(svg, "country=BR"));
	assert_null(strstr(svg, "data-code=\"FR\""));
	assert_non_null(strstr(svg, "data-code=\"ES\""));
	assert_non_null(strstr(svg, "country=BF"));
	/* 86 degrees of longitude by 75 of latitude around the equator, and the legend: the
	 * drawing keeps Africa's proportions. */
	const char *vb = strstr(svg, "viewBox=\"0 0 400 ");
	assert_non_null(vb);
	double h = strtod(vb + strlen("viewBox=\"0 0 400 "), NULL);
	assert_true(h > 400 * 75 / 86.0 && h < 400 * 75 / 86.0 + 30);
	free(svg);
}

static void
test_world_view_shows_brazil(void **state)
{
	const char *const codes[] = {"BR", "BF"};
	const long counts[] = {7, 1};
	char *svg = draw(*state, MAP_WORLD, codes, counts, 2, plain_name, NULL);
	/* plain_name knows no Brazil: the code stands in. */
	assert_non_null(strstr(svg, "<a href=\"/cases?country=BR\"><title>BR (7)</title><path "
				    "data-code=\"BR\""));
	assert_non_null(strstr(svg, "country=BF"));
	assert_non_null(strstr(svg, "data-code=\"RU\""));
	assert_non_null(strstr(svg, "data-code=\"AU\""));
	assert_non_null(strstr(svg, "map-world-title"));
	assert_null(strstr(svg, "style"));
	assert_true(strlen(svg) < 150 * 1024);
	assert_balanced(svg);
	free(svg);
}

static void
test_texts_are_escaped(void **state)
{
	const char *const codes[] = {"BF", "SC"};
	const long counts[] = {2, 1};
	int calls = 0;
	char *svg = draw(*state, MAP_AFRICA, codes, counts, 2, evil_name, &calls);
	assert_int_equal(calls, 2); /* asked only for the countries with cases */
	assert_null(strstr(svg, "<script"));
	assert_null(strstr(svg, "\"x\""));
	assert_null(strstr(svg, "'co'"));
	assert_non_null(strstr(svg, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
				    "&#39;co&#39; (2)</title>"));
	assert_balanced(svg);
	free(svg);
}

static void
test_links_stay_on_the_site(void **state)
{
	const char *const codes[] = {"BF"};
	const long counts[] = {1};
	const char *const prefixes[] = {"//evil.example/?c=", "javascript:alert(1)//", NULL,
					"/\\evil.example/"};
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		struct buf b;
		buf_init(&b, NULL);
		map_svg(&b, *state, MAP_AFRICA, codes, counts, 1, plain_name, NULL, prefixes[i],
			"t", "d");
		const char *svg = buf_str(&b);
		assert_null(strstr(svg, "<a "));
		assert_null(strstr(svg, "evil"));
		assert_null(strstr(svg, "javascript"));
		/* Still coloured, still named. */
		assert_non_null(
			strstr(svg, "<g><title>Burkina Faso (1)</title><path data-code=\"BF\""));
		assert_balanced(svg);
		buf_free(&b);
	}
}

static void
test_no_cases_and_no_map(void **state)
{
	char *svg = draw(*state, MAP_AFRICA, NULL, NULL, 0, NULL, NULL);
	assert_null(strstr(svg, "<a "));
	assert_non_null(strstr(svg, "data-code=\"BF\""));
	assert_non_null(strstr(svg, "<circle data-code=\"MU\""));
	free(svg);

	struct buf b;
	buf_init(&b, NULL);
	map_svg(&b, NULL, MAP_AFRICA, NULL, NULL, 0, NULL, NULL, "/cases?country=", "t", "d");
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
test_bad_files_are_refused(void **state)
{
	(void)state;
	static const struct {
		const char *text, *reason;
	} bad[] = {
		{"{\"countries\": [", "line"},
		{"{\"shapes\": []}", "\"countries\""},
		{"{\"countries\": [{\"code\": \"bf\", \"point\": [1, 2]}]}", "code"},
		{"{\"countries\": [{\"code\": \"BF\", \"point\": [1]}]}", "BF"},
		{"{\"countries\": [{\"code\": \"BF\", \"point\": [1, 95]}]}", "BF"},
		{"{\"countries\": [{\"code\": \"BF\", \"polygons\": [[[[1, 2], [3, 4]]]]}]}",
		 "ring"},
		{"{\"countries\": [{\"code\": \"BF\", \"point\": [1, 2], \"polygons\": []}]}",
		 "BF"},
		{"{\"countries\": [{\"code\": \"BF\", \"point\": [1, 2]}, {\"code\": \"BF\", "
		 "\"point\": [3, 4]}]}",
		 "twice"},
	};
	char path[] = "/tmp/test_map_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		write_file(path, bad[i].text);
		char err[256] = "";
		struct world_map *m = map_load(path, err, sizeof err);
		if (m != NULL)
			print_message("accepted: %s\n", bad[i].text);
		assert_null(m);
		assert_non_null(strstr(err, path));
		if (strstr(err, bad[i].reason) == NULL)
			print_message("%s: %s\n", bad[i].text, err);
		assert_non_null(strstr(err, bad[i].reason));
	}
	unlink(path);

	char err[256] = "";
	assert_null(map_load("/nonexistent/countries.json", err, sizeof err));
	assert_non_null(strstr(err, "cannot open"));

	/* A good small file loads. */
	char ok[] = "/tmp/test_map_XXXXXX";
	fd = mkstemp(ok);
	assert_true(fd >= 0);
	close(fd);
	write_file(ok, "{\"countries\": [{\"code\": \"CV\", \"point\": [-23.6, 15.1]}, {\"code\": "
		       "\"BF\", \"polygons\": [[[[-5, 10], [2, 10], [2, 15], [-5, 15]]]]}]}");
	struct world_map *m = map_load(ok, err, sizeof err);
	assert_non_null(m);
	assert_int_equal(map_count(m), 2);
	assert_true(map_has(m, "BF"));
	map_free(m);
	unlink(ok);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_real_shapes_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_africa_links_countries_with_cases, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_africa_view_is_small_and_african, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_world_view_shows_brazil, setup, teardown),
		cmocka_unit_test_setup_teardown(test_texts_are_escaped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_links_stay_on_the_site, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_cases_and_no_map, setup, teardown),
		cmocka_unit_test(test_bad_files_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
