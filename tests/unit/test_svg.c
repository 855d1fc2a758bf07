/* test_svg.c - the server's SVG charts: escaping, no inline style, links kept only inside the
 * site, bars and intervals where the figures put them, muted rows, empty charts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "base/buf.h"
#include "view/svg.h"

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* The values of attribute `name` in the elements whose start tag begins with `tag` (e.g.
 * "<rect class=\"bar\""), in document order. Returns how many were found. */
static size_t
attrs(const char *svg, const char *tag, const char *name, double *out, size_t max)
{
	char want[64];
	snprintf(want, sizeof want, " %s=\"", name);
	size_t n = 0;
	for (const char *p = strstr(svg, tag); p && n < max; p = strstr(p + 1, tag)) {
		const char *end = strchr(p, '>');
		const char *a = strstr(p, want);
		assert_non_null(end);
		if (a == NULL || a > end)
			continue;
		out[n++] = strtod(a + strlen(want), NULL);
	}
	return n;
}

/* Start and end tags of each element the charts use come in pairs. */
static void
assert_balanced(const char *svg)
{
	static const char *const names[] = {"svg", "text", "tspan", "a", "g", "title", "desc"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char open[16], open_gt[16], close[16];
		snprintf(open, sizeof open, "<%s ", names[i]);
		snprintf(open_gt, sizeof open_gt, "<%s>", names[i]);
		snprintf(close, sizeof close, "</%s>", names[i]);
		assert_int_equal(count(svg, open) + count(svg, open_gt), count(svg, close));
	}
}

static const char *const PARTS[3] = {"surmonté", "en partie", "non surmonté"};

static void
test_labels_and_titles_are_escaped(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, NULL);
	struct svg_bar bars[] = {
		{"<script>alert(\"x\")</script>", 3, "it's \"3\"", NULL, false},
		{"Tom & Jerry", 1, NULL, NULL, false},
	};
	svg_bars(&b, "c\"1", "<b>Titre</b>", "d'une \"desc\"", bars, 2, 0);
	const char *s = buf_str(&b);
	assert_null(strstr(s, "<script"));
	assert_null(strstr(s, "<b>"));
	assert_non_null(strstr(s, "&lt;script&gt;alert(&quot;x&quot;)"));
	assert_non_null(strstr(s, "it&#39;s &quot;3&quot;"));
	assert_non_null(strstr(s, "Tom &amp; Jerry"));
	assert_non_null(strstr(s, "<title id=\"c&quot;1-title\">&lt;b&gt;Titre&lt;/b&gt;</title>"));
	assert_non_null(strstr(s, "<desc id=\"c&quot;1-desc\">d&#39;une &quot;desc&quot;</desc>"));
	assert_non_null(strstr(s, "role=\"img\" aria-labelledby=\"c&quot;1-title c&quot;1-desc\""));
	assert_balanced(s);

	buf_reset(&b);
	struct svg_interval rows[] = {{"<i>x</i>", 2, 1, 4, "OR \"2\"", NULL, false}};
	svg_forest(&b, "f", "t", "d", rows, 1, "<less>", "more & more");
	s = buf_str(&b);
	assert_null(strstr(s, "<i>"));
	assert_null(strstr(s, "<less>"));
	assert_non_null(strstr(s, "more &amp; more"));
	assert_non_null(strstr(s, "OR &quot;2&quot;"));
	assert_balanced(s);

	buf_reset(&b);
	const char *const parts[3] = {"<a>", "b\"", "c'"};
	struct svg_stack st[] = {{"<img src=x>", {1, 2, 3}, NULL}};
	svg_stacked(&b, "s", "t", "d", parts, st, 1);
	s = buf_str(&b);
	assert_null(strstr(s, "<img"));
	assert_null(strstr(s, "<a>"));
	assert_non_null(strstr(s, "&lt;a&gt;"));
	assert_balanced(s);
	buf_free(&b);
}

static void
test_no_inline_style_anywhere(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, NULL);
	struct svg_bar bars[] = {{"a", 1, "1", "/x", false}, {"b", 2, "2", NULL, true}};
	svg_bars(&b, "b", "t", "d", bars, 2, 2);
	struct svg_interval rows[] = {{"a", 0.5, 0.2, 1.1, "x", "/y", true},
				      {"b", 3, 1.5, 40, "y", NULL, false}};
	svg_forest(&b, "f", "t", "d", rows, 2, "less", "more");
	struct svg_stack st[] = {{"a", {1, 0, 2}, "/z"}};
	svg_stacked(&b, "s", "t", "d", PARTS, st, 1);
	svg_bars(&b, "e", "t", "d", NULL, 0, 0);
	assert_null(strcasestr(buf_str(&b), "style"));
	buf_free(&b);
}

static void
test_only_site_relative_links_are_kept(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, NULL);
	struct svg_bar bars[] = {
		{"kept", 1, NULL, "/cases?item=factor:trust&outcome=1", false},
		{"js", 1, NULL, "javascript:alert(1)", false},
		{"other site", 1, NULL, "https://evil.example/", false},
		{"protocol-relative", 1, NULL, "//evil.example/", false},
		{"backslash", 1, NULL, "/\\evil.example/", false},
		{"control", 1, NULL, "/ca\nses", false},
		{"quote", 1, NULL, "/a\"onclick=\"x", false},
	};
	svg_bars(&b, "l", "t", "d", bars, sizeof bars / sizeof bars[0], 0);
	const char *s = buf_str(&b);
	assert_int_equal(count(s, "<a "), 2);
	assert_non_null(strstr(s, "<a href=\"/cases?item=factor:trust&amp;outcome=1\""));
	assert_non_null(strstr(s, "<a href=\"/a&quot;onclick=&quot;x\""));
	assert_null(strstr(s, "javascript"));
	assert_null(strstr(s, "evil"));
	assert_balanced(s);

	buf_reset(&b);
	struct svg_interval rows[] = {{"a", 2, 1, 3, NULL, "javascript:x()", false},
				      {"b", 2, 1, 3, NULL, "/cases/2", false}};
	svg_forest(&b, "f", "t", "d", rows, 2, NULL, NULL);
	struct svg_stack st[] = {{"a", {1, 1, 1}, "data:text/html,x"}, {"b", {1, 1, 1}, "/o"}};
	svg_stacked(&b, "s", "t", "d", PARTS, st, 2);
	s = buf_str(&b);
	assert_int_equal(count(s, "<a "), 2);
	assert_null(strstr(s, "javascript"));
	assert_null(strstr(s, "data:"));
	buf_free(&b);
}

static void
test_bars_are_proportional_to_values(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, NULL);
	struct svg_bar bars[] = {
		{"a", 10, "10", NULL, false},       {"b", 20, "20", NULL, false},
		{"c", 40, "40", NULL, false},       {"d", 0, "0", NULL, false},
		{"e", 80, "too much", NULL, false}, /* above max: as long as max */
	};
	svg_bars(&b, "p", "t", "d", bars, 5, 40);
	double w[8];
	assert_int_equal(attrs(buf_str(&b), "<rect class=\"bar\"", "width", w, 8), 5);
	assert_true(w[2] > 100);
	assert_float_equal(w[0] * 2, w[1], 0.2);
	assert_float_equal(w[0] * 4, w[2], 0.2);
	assert_float_equal(w[3], 0, 0.01);
	assert_float_equal(w[4], w[2], 0.01);
	/* Every bar starts at the same place and ends inside the chart. */
	double x[8];
	assert_int_equal(attrs(buf_str(&b), "<rect class=\"bar\"", "x", x, 8), 5);
	for (int i = 1; i < 5; i++)
		assert_float_equal(x[i], x[0], 0.01);
	assert_true(x[2] + w[2] < 400);

	/* Without a max, the longest value sets the scale. */
	buf_reset(&b);
	svg_bars(&b, "p", "t", "d", bars, 3, 0);
	double w2[4];
	assert_int_equal(attrs(buf_str(&b), "<rect class=\"bar\"", "width", w2, 4), 3);
	assert_float_equal(w2[0] * 4, w2[2], 0.2);
	buf_free(&b);
}

static void
test_forest_positions_follow_the_odds_ratio(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, NULL);
	struct svg_interval rows[] = {
		{"a", 0.3, 0.15, 0.6, "OR 0.3", NULL, false},
		{"b", 0.8, 0.5, 1.3, "OR 0.8", NULL, false},
		{"c", 1.0, 0.7, 1.4, "OR 1", NULL, false},
		{"d", 2.5, 1.2, 5.0, "OR 2.5", NULL, false},
		{"e", 6.0, 2.0, 9.0, "OR 6", NULL, false},
	};
	svg_forest(&b, "f", "t", "d", rows, 5, "less success", "more success");
	const char *s = buf_str(&b);
	double cx[8];
	assert_int_equal(attrs(s, "<circle class=\"est\"", "cx", cx, 8), 5);
	for (int i = 1; i < 5; i++)
		assert_true(cx[i] > cx[i - 1]);

	/* The line at 1 goes through the dot of the row whose odds ratio is 1, and, on an axis
	 * from 1/10 to 10, halfway between the first and the last tick (a log scale). */
	double ref[2], tick[8];
	assert_int_equal(attrs(s, "<line class=\"ref\"", "x1", ref, 2), 1);
	assert_float_equal(ref[0], cx[2], 0.11);
	size_t nt = attrs(s, "<line class=\"tick\"", "x1", tick, 8);
	assert_int_equal(nt, 7); /* 0.15 .. 9 needs 1/10 .. 10 */
	assert_float_equal(ref[0], (tick[0] + tick[nt - 1]) / 2, 0.11);
	/* Equal ratios are equal distances: 1/2..1 as long as 1..2. */
	assert_float_equal(tick[3] - tick[2], tick[4] - tick[3], 0.11);
	assert_non_null(strstr(s, ">1/4</text>"));
	assert_non_null(strstr(s, "less success"));
	assert_non_null(strstr(s, "more success"));

	/* Ticks are kept to what the figures need. */
	buf_reset(&b);
	struct svg_interval narrow[] = {{"a", 1.5, 1.1, 1.9, NULL, NULL, false}};
	svg_forest(&b, "f", "t", "d", narrow, 1, NULL, NULL);
	assert_int_equal(attrs(buf_str(&b), "<line class=\"tick\"", "x1", tick, 8), 2);
	assert_null(strstr(buf_str(&b), ">10</text>"));
	buf_free(&b);
}

static void
test_muted_rows_are_marked(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, NULL);
	struct svg_bar bars[] = {{"a", 1, NULL, NULL, false},
				 {"b", 1, NULL, NULL, true},
				 {"c", 1, NULL, NULL, false}};
	svg_bars(&b, "m", "t", "d", bars, 3, 0);
	const char *s = buf_str(&b);
	assert_int_equal(count(s, "class=\"row muted\""), 1);
	assert_int_equal(count(s, "stroke-dasharray"), 1);
	const char *muted = strstr(s, "class=\"row muted\"");
	const char *dash = strstr(s, "stroke-dasharray");
	assert_true(dash > muted);
	assert_true(dash < strstr(muted, "</g>"));

	buf_reset(&b);
	struct svg_interval rows[] = {{"a", 2, 1, 3, NULL, NULL, true},
				      {"b", 2, 1, 3, NULL, NULL, false}};
	svg_forest(&b, "f", "t", "d", rows, 2, NULL, NULL);
	s = buf_str(&b);
	assert_int_equal(count(s, "class=\"row muted\""), 1);
	assert_int_equal(count(s, "class=\"row\""), 1);
	/* The muted dot is lighter than the other one. */
	assert_int_equal(count(s, "fill=\"#c9dfe2\""), 1);
	buf_free(&b);
}

static void
test_empty_chart_keeps_title_and_says_no_data(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, NULL);
	svg_bars(&b, "e1", "Titre é", "Rien", NULL, 0, 0);
	svg_forest(&b, "e2", "Forêt", "Rien", NULL, 0, "l", "r");
	svg_stacked(&b, "e3", "Piles", "Rien", PARTS, NULL, 0);
	const char *s = buf_str(&b);
	assert_int_equal(count(s, "<svg "), 3);
	assert_int_equal(count(s, "</svg>"), 3);
	assert_non_null(strstr(s, "<title id=\"e1-title\">Titre é</title>"));
	assert_non_null(strstr(s, "<title id=\"e2-title\">Forêt</title>"));
	assert_non_null(strstr(s, "<title id=\"e3-title\">Piles</title>"));
	assert_int_equal(count(s, "No data"), 3);
	assert_int_equal(count(s, "Aucune donnée"), 3);
	assert_int_equal(count(s, "<rect"), 0);
	assert_balanced(s);
	buf_free(&b);
}

static void
test_long_labels_wrap_or_end_with_ellipsis(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, NULL);
	const char *two = "Personnes référentes des deux côtés";
	const char *cut = "Une étiquette beaucoup trop longue pour tenir sur deux lignes dans "
			  "la colonne des libellés, même à la largeur d’un ordinateur de bureau, "
			  "et qui continue encore";
	struct svg_bar bars[] = {{"Confiance", 3, NULL, NULL, false},
				 {two, 2, NULL, NULL, false},
				 {cut, 1, NULL, NULL, false}};
	svg_bars(&b, "w", "t", "d", bars, 3, 0);
	const char *s = buf_str(&b);
	assert_int_equal(count(s, "<tspan"), 2);
	assert_int_equal(count(s, "…"), 1);
	/* The cut label is whole in its <title>, and no label is lost. */
	char want[400];
	snprintf(want, sizeof want, "<title>%s</title>", cut);
	assert_non_null(strstr(s, want));
	assert_int_equal(count(s, "<title>"), 1);
	assert_non_null(strstr(s, ">Confiance</text>"));
	assert_balanced(s);
	/* Lines are cut between characters, never inside one. */
	for (const char *p = strstr(s, "<tspan"); p; p = strstr(p + 1, "<tspan")) {
		const char *t = strchr(p, '>') + 1;
		assert_true(((unsigned char)*t & 0xC0) != 0x80);
	}
	buf_free(&b);
}

static void
test_stacked_parts_and_legend(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, NULL);
	struct svg_stack st[] = {{"Rotation du personnel", {6, 2, 2}, "/o/turnover"},
				 {"Délais", {1, 0, 4}, NULL}};
	svg_stacked(&b, "s", "Obstacles", "d", PARTS, st, 2);
	const char *s = buf_str(&b);
	for (int k = 0; k < 3; k++)
		assert_non_null(strstr(s, PARTS[k]));
	assert_non_null(strstr(s, "class=\"legend\""));
	double w[8];
	size_t n = attrs(s, "<rect class=\"part\"", "width", w, 8);
	assert_int_equal(n, 5); /* the empty part draws nothing */
	assert_float_equal(w[0], w[1] * 3, 0.2);
	assert_float_equal(w[1], w[2], 0.2);
	assert_float_equal(w[0] + w[1] + w[2], (w[3] + w[4]) * 2, 0.3);
	assert_float_equal(w[4], w[3] * 4, 0.2);
	assert_non_null(strstr(s, ">10</text>"));
	assert_balanced(s);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_labels_and_titles_are_escaped),
		cmocka_unit_test(test_no_inline_style_anywhere),
		cmocka_unit_test(test_only_site_relative_links_are_kept),
		cmocka_unit_test(test_bars_are_proportional_to_values),
		cmocka_unit_test(test_forest_positions_follow_the_odds_ratio),
		cmocka_unit_test(test_muted_rows_are_marked),
		cmocka_unit_test(test_empty_chart_keeps_title_and_says_no_data),
		cmocka_unit_test(test_long_labels_wrap_or_end_with_ellipsis),
		cmocka_unit_test(test_stacked_parts_and_legend),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
