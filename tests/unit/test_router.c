/* test_router.c - route matching, 404/405 with Allow, declared inputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

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

static int
m(const char *method, const char *path, const char **params, size_t *np, char *allow)
{
	static char buf[256];
	return router_match(routes, N, method, path, buf, sizeof(buf), params, np, allow, 64);
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
	const char *paths[] = {"/nope",    "/cases/", "/cases/42/more", "/casesX",
			       "/static/", "//",      "/orgs/7/needs"};
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
	assert_true(router_pattern_valid("/cases/{id}/edit", err, sizeof(err)));
	assert_true(router_pattern_valid("/static/*", err, sizeof(err)));
	assert_false(router_pattern_valid("cases", err, sizeof(err)));
	assert_false(router_pattern_valid("/a*", err, sizeof(err)));
	assert_false(router_pattern_valid("/*/x", err, sizeof(err)));
	assert_false(router_pattern_valid("/cases/{}", err, sizeof(err)));
	assert_false(router_pattern_valid("/cases/{id", err, sizeof(err)));
	assert_false(router_pattern_valid("/cases/x{id}", err, sizeof(err)));
	assert_non_null(strstr(err, "malformed"));
}

static void
declared_fields_only(void **state)
{
	(void)state;
	static const char *const stages[] = {"idea", "pilot", "running", NULL};
	static const struct field_spec spec[] = {
		{"title", FIELD_TEXT, 1, 10, NULL},
		{"year", FIELD_INT, 1950, 2100, NULL},
		{"stage", FIELD_ENUM, 0, 0, stages},
		{"token", FIELD_TOKEN, 4, 8, NULL},
		{NULL, 0, 0, 0, NULL},
	};
	struct http_field in[] = {
		{"title", "Éducation", 5, strlen("Éducation")},
		{"evil", "<script>", 4, 8},
		{"year", "2024", 4, 4},
		{"stage", "pilot", 5, 5},
		{"token", "ab-C_9", 5, 6},
		{"title", "second", 5, 6},
	};
	struct http_field out[8];
	size_t n;
	assert_null(fields_filter(spec, in, 6, out, &n));
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++)
		assert_string_not_equal(out[i].name, "evil");
	assert_string_equal(out[0].value, "Éducation"); /* 9 characters, 10 bytes: within 10 */

	struct http_field long_title = {"title", "abcdefghijk", 5, 11};
	assert_string_equal(fields_filter(spec, &long_title, 1, out, &n), "title");
	struct http_field empty = {"title", "", 5, 0};
	assert_string_equal(fields_filter(spec, &empty, 1, out, &n), "title");
	struct http_field year[] = {
		{"year", "1900", 4, 4}, {"year", "20x4", 4, 4}, {"year", "", 4, 0}};
	for (int i = 0; i < 3; i++)
		assert_string_equal(fields_filter(spec, &year[i], 1, out, &n), "year");
	struct http_field stage = {"stage", "Pilot", 5, 5};
	assert_string_equal(fields_filter(spec, &stage, 1, out, &n), "stage");
	struct http_field tok = {"token", "ab cd", 5, 5};
	assert_string_equal(fields_filter(spec, &tok, 1, out, &n), "token");
	/* No spec: nothing is kept. */
	assert_null(fields_filter(NULL, in, 6, out, &n));
	assert_int_equal(n, 0);
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
	};
	return cmocka_run_group_tests_name("router", tests, NULL, NULL);
}
