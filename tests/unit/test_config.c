/* test_config.c - the INI reader and settings: defaults, file, environment, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/ini.h"
#include "config.h"

static int
collect(void *ctx, const char *section, const char *key, const char *value, char *err,
	size_t errlen)
{
	char *out = ctx;
	if (strcmp(key, "refuse") == 0) {
		snprintf(err, errlen, "refused '%s'", value);
		return 1;
	}
	size_t n = strlen(out);
	snprintf(out + n, 512 - n, "[%s]%s=%s|", section, key, value);
	return 0;
}

static void
ini_reads_sections_keys_and_values(void **state)
{
	(void)state;
	char out[512] = "", err[256];
	const char *text =
		"# comment\n; other comment\ntop = 1\n[server]\n  listen =  127.0.0.1:9  \n"
		"name = \"  spaced  \"\nempty =\n\n[ limits ]\nmax_body=10\r\n";
	assert_int_equal(ini_parse("t.conf", text, strlen(text), collect, out, err, sizeof(err)),
			 0);
	assert_string_equal(out, "[]top=1|[server]listen=127.0.0.1:9|[server]name=  spaced  |"
				 "[server]empty=|[limits]max_body=10|");
}

static void
ini_errors_name_file_and_line(void **state)
{
	(void)state;
	char out[512] = "", err[256];
	assert_int_equal(
		ini_parse("t.conf", "a = 1\nno equals here\n", 21, collect, out, err, sizeof(err)),
		-1);
	assert_string_equal(err, "t.conf:2: expected \"key = value\"");
	assert_int_equal(ini_parse("t.conf", "[open\n", 6, collect, out, err, sizeof(err)), -1);
	assert_string_equal(err, "t.conf:1: malformed section header");
	assert_int_equal(
		ini_parse("t.conf", "\n\nrefuse = x\n", 13, collect, out, err, sizeof(err)), -1);
	assert_string_equal(err, "t.conf:3: refused 'x'");
	assert_int_equal(ini_parse("t.conf", "= 3\n", 4, collect, out, err, sizeof(err)), -1);
	assert_int_equal(ini_parse("t.conf", "a = \xC3\x28\n", 7, collect, out, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "UTF-8"));
}

static void
config_defaults_are_safe(void **state)
{
	(void)state;
	struct config c;
	config_defaults(&c);
	assert_string_equal(c.listen, "127.0.0.1:8080");
	assert_int_equal(c.max_body, 1 << 20);
	assert_string_equal(c.db, "coexist.db");
	assert_true(c.access_log);
}

static void
config_file_then_environment(void **state)
{
	(void)state;
	char path[] = "/tmp/coexist-conf-XXXXXX";
	int fd = mkstemp(path);
	const char *text =
		"[server]\nlisten = 0.0.0.0:9000\nthreads = 8\n[database]\npath = /tmp/x.db\n"
		"[log]\naccess = off\n";
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	struct config c;
	char err[256];
	config_defaults(&c);
	setenv("COEXIST_THREADS", "2", 1);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), 0);
	unsetenv("COEXIST_THREADS");
	assert_string_equal(c.listen, "0.0.0.0:9000");
	assert_int_equal(c.threads, 2); /* the environment wins */
	assert_string_equal(c.db, "/tmp/x.db");
	assert_false(c.access_log);
	unlink(path);
}

static void
config_refuses_bad_values(void **state)
{
	(void)state;
	struct config c;
	char err[256];
	config_defaults(&c);
	assert_int_equal(config_set(&c, "limits", "max_body", "12x", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "limits.max_body: expected a whole number"));
	assert_int_equal(config_set(&c, "limits", "max_body", "10", err, sizeof(err)), -1);
	assert_int_equal(config_set(&c, "limits", "nope", "1", err, sizeof(err)), -1);
	assert_string_equal(err, "unknown setting 'nope' in [limits]");
	assert_int_equal(config_set(&c, "", "listen", "x", err, sizeof(err)), -1);
	assert_int_equal(config_set(&c, "log", "access", "maybe", err, sizeof(err)), -1);
	assert_int_equal(c.max_body, 1 << 20); /* unchanged by refused values */
	setenv("COEXIST_LOG_LEVEL", "loud", 1);
	assert_int_equal(config_load(&c, "/dev/null", err, sizeof(err)), -1);
	unsetenv("COEXIST_LOG_LEVEL");
	assert_non_null(strstr(err, "log.level"));
	assert_int_equal(config_load(&c, "/nonexistent/coexist.conf", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/coexist.conf"));
}

int
main(void)
{
	unsetenv("COEXIST_CONF");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ini_reads_sections_keys_and_values),
		cmocka_unit_test(ini_errors_name_file_and_line),
		cmocka_unit_test(config_defaults_are_safe),
		cmocka_unit_test(config_file_then_environment),
		cmocka_unit_test(config_refuses_bad_values),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
