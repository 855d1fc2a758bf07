/* test_host.c - the Host names the server answers: its own and loopback, with any port; other
 * names are foreign (421), malformed values invalid (400). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "http/host.h"

static void
own_names_with_any_port(void **state)
{
	(void)state;
	struct host_rule h;
	char err[256];
	assert_int_equal(host_rule_init(&h, "127.0.0.1:8080", "https://Coexist.example.org/", err,
					sizeof(err)),
			 0);
	const char *ok[] = {"localhost",
			    "localhost:8080",
			    "127.0.0.1:1",
			    "[::1]:8080",
			    "coexist.example.org",
			    "COEXIST.EXAMPLE.ORG:443",
			    "coexist.example.org.",
			    "LocalHost"};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_int_equal(host_check(&h, ok[i]), HOST_OK);
	const char *foreign[] = {"evil.example",           "coexist.example.org.evil.example",
				 "localhost.evil.example", "192.0.2.10",
				 "[2001:db8::1]:80",       "example.org"};
	for (size_t i = 0; i < sizeof(foreign) / sizeof(foreign[0]); i++)
		assert_int_equal(host_check(&h, foreign[i]), HOST_FOREIGN);
	const char *invalid[] = {"",     ":8080",       "a b",       "host:port", "host:123456",
				 "[::1", "[nothex]:80", "ex\"ample", "::1",       "host:80:80"};
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
		assert_int_equal(host_check(&h, invalid[i]), HOST_INVALID);
	assert_int_equal(host_check(&h, NULL), HOST_INVALID);
}

static void
listen_host_and_wildcards(void **state)
{
	(void)state;
	struct host_rule h;
	char err[256];
	assert_int_equal(host_rule_init(&h, "192.0.2.10:8080", "", err, sizeof(err)), 0);
	assert_int_equal(host_check(&h, "192.0.2.10:8080"), HOST_OK);
	assert_int_equal(host_check(&h, "192.0.2.11:8080"), HOST_FOREIGN);
	/* Listening everywhere, every IP literal is an address of ours; names still are not (a
	 * rebinding attack always comes with a name). */
	assert_int_equal(host_rule_init(&h, "0.0.0.0:8080", "", err, sizeof(err)), 0);
	assert_int_equal(host_check(&h, "192.0.2.11:8080"), HOST_OK);
	assert_int_equal(host_check(&h, "[2001:db8::1]"), HOST_OK);
	assert_int_equal(host_check(&h, "evil.example"), HOST_FOREIGN);
	assert_int_equal(host_rule_init(&h, "[::]:8080", "", err, sizeof(err)), 0);
	assert_int_equal(host_check(&h, "10.0.0.1"), HOST_OK);
}

static void
bad_public_url_is_refused(void **state)
{
	(void)state;
	struct host_rule h;
	char err[256];
	assert_int_equal(host_rule_init(&h, "127.0.0.1:0", "coexist.example.org", err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "auth.public_url"));
	assert_int_equal(
		host_rule_init(&h, "127.0.0.1:0", "https://user@evil.example/", err, sizeof(err)),
		-1);
	assert_int_equal(host_rule_init(&h, "127.0.0.1:0", "http://[::1]:8443", err, sizeof(err)),
			 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(own_names_with_any_port),
		cmocka_unit_test(listen_host_and_wildcards),
		cmocka_unit_test(bad_public_url_is_refused),
	};
	return cmocka_run_group_tests_name("host", tests, NULL, NULL);
}
