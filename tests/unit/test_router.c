/* test_router.c - route matching, 404/405 with Allow, typed parameters and declared inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "http/router.h"

static void
h(struct request *r)
{
	(void)r;
}

static const struct route routes[] = {
	{"GET", "/", h, 0, 0, NULL, NULL},
	{"GET", "/cases", h, 0, 0, NULL, NULL},
	{"GET", "/cases/{id}", h, 0, 0, NULL, NULL},
	{"POST", "/cases/{id}", h, 0, 0, NULL, NULL},
	{"GET", "/orgs/{org}/needs/{need}", h, 0, 0, NULL, NULL},
	{"POST", "/survey/save", h, 0, 0, NULL, NULL},
	{"GET", "/static/*", h, 0, 0, NULL, NULL},
};
#define N (sizeof(routes) / sizeof(routes[0]))

static const struct field_spec params_spec[] = {
	{.name = "id", .kind = FIELD_INT, .min = 1, .max = 1000000},
	{.name = "org", .kind = FIELD_INT, .min = 1, .max = 1000000},
	{.name = "need", .kind = FIELD_TOKEN, .min = 1, .max = 20},
	{.name = NULL},
};

static struct http_field pf[ROUTE_MAX_PARAMS];

/* Matches and leaves the parameters' text in p (and their parsed values in pf). */
static int
m(const char *method, const char *path, const char **p, size_t *np, char *allow)
{
	static char buf[256];
	int rc = router_match(routes, N, params_spec, method, path, buf, sizeof(buf), pf, np, allow,
			      64);
	for (size_t i = 0; i < *np; i++)
		p[i] = pf[i].value;
	return rc;
}

static struct arena ar;

static const char *
filter(const struct field_spec *spec, const struct http_field *in, size_t n, struct http_field *out,
       size_t *outn)
{
	return fields_filter(spec, NULL, false, true, &ar, in, n, out, outn);
}

static struct http_field
fld(const char *name, const char *value)
{
	return (struct http_field){
		.name = name, .value = value, .name_len = strlen(name), .value_len = strlen(value)};
}

static void
exact_and_parameter_routes(void **state)
{
	(void)state;
	const char *p[ROUTE_MAX_PARAMS];
	size_t np;
	char allow[64];
	assert_int_equal(m("GET", "/", p, &np, allow), 0);
	assert_int_equal(m("GET", "/cases", p, &np, allow), 1);
	assert_int_equal(m("GET", "/cases/42", p, &np, allow), 2);
	assert_int_equal(np, 1);
	assert_string_equal(p[0], "42");
	assert_int_equal(pf[0].num, 42);
	assert_string_equal(pf[0].name, "id");
	assert_int_equal(m("POST", "/cases/42", p, &np, allow), 3);
	assert_int_equal(m("GET", "/orgs/7/needs/water", p, &np, allow), 4);
	assert_int_equal(np, 2);
	assert_string_equal(p[0], "7");
	assert_string_equal(p[1], "water");
	assert_int_equal(m("GET", "/static/css/app.css", p, &np, allow), 6);
	/* HEAD is answered by GET routes. */
	assert_int_equal(m("HEAD", "/cases/42", p, &np, allow), 2);
}

static void
not_found(void **state)
{
	(void)state;
	const char *p[ROUTE_MAX_PARAMS];
	size_t np;
	char allow[64];
	/* A parameter that fails its check matches nothing: not a number, out of its range, a
	 * sign, spaces. The handler never sees it. */
	const char *paths[] = {"/nope",
			       "/cases/",
			       "/cases/42/more",
			       "/casesX",
			       "/static/",
			       "//",
			       "/orgs/7/needs",
			       "/cases/abc",
			       "/cases/-1",
			       "/cases/0",
			       "/cases/1000001",
			       "/cases/+5",
			       "/cases/ 5",
			       "/cases/99999999999999999999",
			       "/orgs/x/needs/water",
			       "/orgs/7/needs/a b"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		assert_int_equal(m("GET", paths[i], p, &np, allow), ROUTER_NOT_FOUND);
}

static void
wrong_method_lists_allowed(void **state)
{
	(void)state;
	const char *p[ROUTE_MAX_PARAMS];
	size_t np;
	char allow[64];
	assert_int_equal(m("POST", "/", p, &np, allow), ROUTER_BAD_METHOD);
	assert_string_equal(allow, "GET, HEAD");
	assert_int_equal(m("GET", "/survey/save", p, &np, allow), ROUTER_BAD_METHOD);
	assert_string_equal(allow, "POST");
	assert_int_equal(m("DELETE", "/cases/3", p, &np, allow), ROUTER_BAD_METHOD);
	assert_string_equal(allow, "GET, HEAD, POST");
}

static void
patterns_are_checked(void **state)
{
	(void)state;
	char err[128];
	const struct field_spec *ps = params_spec;
	assert_true(router_pattern_valid("/cases/{id}/edit", ps, err, sizeof(err)));
	assert_true(router_pattern_valid("/static/*", ps, err, sizeof(err)));
	assert_false(router_pattern_valid("cases", ps, err, sizeof(err)));
	assert_false(router_pattern_valid("/a*", ps, err, sizeof(err)));
	assert_false(router_pattern_valid("/*/x", ps, err, sizeof(err)));
	assert_false(router_pattern_valid("/cases/{}", ps, err, sizeof(err)));
	assert_false(router_pattern_valid("/cases/{id", ps, err, sizeof(err)));
	assert_false(router_pattern_valid("/cases/x{id}", ps, err, sizeof(err)));
	assert_non_null(strstr(err, "malformed"));
	/* Every parameter has a declared check. */
	assert_false(router_pattern_valid("/cases/{case}", ps, err, sizeof(err)));
	assert_non_null(strstr(err, "not declared"));
}

static void
declared_fields_only(void **state)
{
	(void)state;
	static const char *const stages[] = {"idea", "pilot", "running", NULL};
	static const struct field_spec spec[] = {
		{.name = "title", .kind = FIELD_TEXT, .min = 1, .max = 10},
		{.name = "year", .kind = FIELD_INT, .min = 1950, .max = 2100},
		{.name = "stage", .kind = FIELD_ENUM, .choices = stages},
		{.name = "token", .kind = FIELD_TOKEN, .min = 4, .max = 8},
		{.name = NULL},
	};
	struct http_field in[] = {
		fld("title", "Éducation"), fld("evil", "<script>"), fld("year", "2024"),
		fld("stage", "pilot"),     fld("token", "ab-C_9"),  fld("title", "second"),
	};
	struct http_field out[8];
	size_t n;
	assert_null(filter(spec, in, 6, out, &n));
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++)
		assert_string_not_equal(out[i].name, "evil");
	assert_string_equal(out[0].value, "Éducation"); /* 9 characters, 10 bytes: within 10 */
	assert_int_equal(out[1].num, 2024);             /* parsed once, by the router */

	struct http_field long_title = fld("title", "abcdefghijk");
	assert_string_equal(filter(spec, &long_title, 1, out, &n), "title");
	struct http_field empty = fld("title", "");
	assert_string_equal(filter(spec, &empty, 1, out, &n), "title");
	const char *years[] = {"1900",  "20x4",  "-2024", "+2024",
			       " 2024", "2024 ", "0x7e8", "99999999999999999999",
			       "2e3",   "--1"};
	for (size_t i = 0; i < sizeof(years) / sizeof(years[0]); i++) {
		struct http_field y = fld("year", years[i]);
		assert_string_equal(filter(spec, &y, 1, out, &n), "year");
	}
	/* An empty number box is as if the field had not been sent. */
	struct http_field no_year = fld("year", "");
	assert_null(filter(spec, &no_year, 1, out, &n));
	assert_int_equal(n, 0);
	struct http_field stage = fld("stage", "Pilot");
	assert_string_equal(filter(spec, &stage, 1, out, &n), "stage");
	struct http_field tok = fld("token", "ab cd");
	assert_string_equal(filter(spec, &tok, 1, out, &n), "token");
	/* No spec: nothing is kept... */
	assert_null(filter(NULL, in, 6, out, &n));
	assert_int_equal(n, 0);
	/* ...unless the form is defined by data: then the undeclared fields are passed on as they
	 * are, and the declared ones are still checked. */
	assert_null(fields_filter(spec, NULL, true, true, &ar, in, 6, out, &n));
	assert_int_equal(n, 5);
	struct http_field bad_year[] = {fld("q1", "anything"), fld("year", "soon")};
	assert_string_equal(fields_filter(spec, NULL, true, true, &ar, bad_year, 2, out, &n),
			    "year");
}

static void
repeated_required_dates_and_cursors(void **state)
{
	(void)state;
	static const struct field_spec spec[] = {
		{.name = "case", .kind = FIELD_INT, .min = 1, .max = 1000, .repeat = 3},
		{.name = "rev", .kind = FIELD_INT, .min = 0, .max = 100, .required = true},
		{.name = "day", .kind = FIELD_DATE},
		{.name = "after", .kind = FIELD_CURSOR, .min = 1, .max = 1000},
		{.name = NULL},
	};
	struct http_field out[8];
	size_t n;
	/* Repeated: every value kept in order, each checked; more than allowed is refused. */
	struct http_field three[] = {fld("rev", "0"), fld("case", "7"), fld("case", "3"),
				     fld("case", "7")};
	assert_null(filter(spec, three, 4, out, &n));
	assert_int_equal(n, 4);
	assert_int_equal(out[1].num, 7);
	assert_int_equal(out[2].num, 3);
	struct http_field four[] = {fld("rev", "0"), fld("case", "1"), fld("case", "2"),
				    fld("case", "3"), fld("case", "4")};
	assert_string_equal(filter(spec, four, 5, out, &n), "case");
	struct http_field one_bad[] = {fld("rev", "0"), fld("case", "1"), fld("case", "x")};
	assert_string_equal(filter(spec, one_bad, 3, out, &n), "case");
	/* Required: absent or empty is refused; not checked where the route's inputs are not. */
	struct http_field none[] = {fld("case", "1")};
	assert_string_equal(filter(spec, none, 1, out, &n), "rev");
	struct http_field empty_rev[] = {fld("rev", "")};
	assert_string_equal(filter(spec, empty_rev, 1, out, &n), "rev");
	assert_null(fields_filter(spec, NULL, false, false, &ar, none, 1, out, &n));
	/* Dates: real days of the calendar only. */
	const char *good_days[] = {"2024-02-29", "2000-02-29", "2026-12-31"};
	const char *bad_days[] = {"2023-02-29", "1900-02-29", "2026-13-01",  "2026-04-31",
				  "2026-1-01",  "26-01-01",   "2026-01-01x", "2026/01/01"};
	for (size_t i = 0; i < 3; i++) {
		struct http_field f[] = {fld("rev", "1"), fld("day", good_days[i])};
		assert_null(filter(spec, f, 2, out, &n));
	}
	for (size_t i = 0; i < sizeof(bad_days) / sizeof(bad_days[0]); i++) {
		struct http_field f[] = {fld("rev", "1"), fld("day", bad_days[i])};
		assert_string_equal(filter(spec, f, 2, out, &n), "day");
	}
	/* Cursors: a UTC time and an id in range, parsed into key and num. */
	struct http_field c[] = {fld("rev", "1"), fld("after", "2026-03-01T10:20:30Z_42")};
	assert_null(filter(spec, c, 2, out, &n));
	assert_string_equal(out[1].key, "2026-03-01T10:20:30Z");
	assert_int_equal(out[1].num, 42);
	const char *bad_cursors[] = {"-1",
				     "-3",
				     "garbage",
				     "2026-03-01_0",
				     "2026-03-01_1001",
				     "_5",
				     "2026-03-01T25:00:00Z_5",
				     "2026-03-01_5_6",
				     "' OR 1=1 --_5",
				     "2026-03-01_"};
	for (size_t i = 0; i < sizeof(bad_cursors) / sizeof(bad_cursors[0]); i++) {
		struct http_field f[] = {fld("rev", "1"), fld("after", bad_cursors[i])};
		assert_string_equal(filter(spec, f, 2, out, &n), "after");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_and_parameter_routes),
		cmocka_unit_test(not_found),
		cmocka_unit_test(wrong_method_lists_allowed),
		cmocka_unit_test(patterns_are_checked),
		cmocka_unit_test(declared_fields_only),
		cmocka_unit_test(repeated_required_dates_and_cursors),
	};
	arena_init(&ar, 4096);
	int rc = cmocka_run_group_tests_name("router", tests, NULL, NULL);
	arena_free(&ar);
	return rc;
}
