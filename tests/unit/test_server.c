/* test_server.c - the HTTP layer in process: a failing handler gets a 500 with an incident id
 * that is also in the log; a handler that forgets to answer, or leaves a transaction open, is
 * caught the same way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <cmocka.h>
#include <sodium.h>

#include "config.h"
#include "app/routes.h"
#include "db/db.h"
#include "http/metrics.h"
#include "http/server.h"

static void
fails(struct request *r)
{
	resp_error(r, 500, "the disk is on fire");
}

static void
forgets(struct request *r)
{
	(void)r;
}

static void
echo_form(struct request *r)
{
	const char *v = req_form(r, "name");
	buf_printf(&r->out, "name=%s;undeclared=%s", v ? v : "-",
		   req_form(r, "other") ? "kept" : "dropped");
	resp_send(r, 200, "text/plain; charset=utf-8");
}

/* A buggy save: writes in a transaction, says "saved" and never commits. */
static void
leaves_open(struct request *r)
{
	char err[128];
	if (db_begin(r->db) != 0 ||
	    db_exec(r->db, "INSERT INTO notes(x) VALUES ('lost')", err, sizeof(err)) != 0) {
		resp_error(r, 500, "setup");
		return;
	}
	buf_printf(&r->out, "saved");
	resp_send(r, 200, "text/plain; charset=utf-8");
}

/* What this worker's connection sees: an open transaction, and the rows of notes. */
static void
state(struct request *r)
{
	struct db_stmt *st = db_prepare(r->db, "SELECT count(*) FROM notes");
	long n = -1;
	if (st && db_step(st) == 1)
		n = (long)db_column_int(st, 0);
	db_finalize(st);
	buf_printf(&r->out, "autocommit=%d notes=%ld", !db_in_transaction(r->db), n);
	resp_send(r, 200, "text/plain; charset=utf-8");
}

/* What the application does before each handler, here: the worker's connection, opened once
 * and kept in the slot the server holds for each worker thread. */
static void
worker_db(struct request *r)
{
	void **slot = req_worker_slot(r);
	if (*slot == NULL) {
		char err[256];
		*slot = db_open(server_config(r->server)->db, 1000, err, sizeof(err));
	}
	r->db = *slot;
}

static const struct field_spec form_fields[] = {
	{.name = "name", .kind = FIELD_TEXT, .min = 1, .max = 20},
	{.name = NULL},
};

static const struct route routes[] = {
	{"GET", "/fail", fails, 0, 0, NULL, NULL},
	{"GET", "/forget", forgets, 0, 0, NULL, NULL},
	{"POST", "/form", echo_form, 0, 0, NULL, form_fields},
	{"POST", "/leave-open", leaves_open, 0, 0, NULL, NULL},
	{"GET", "/state", state, 0, 0, NULL, NULL},
};
#define NROUTES (sizeof(routes) / sizeof(routes[0]))

static char *read_log(void);
static int saved_stderr;

static struct config cfg;
static struct server *srv;
static char logpath[] = "/tmp/coexist-log-XXXXXX";
static char dbdir[] = "/tmp/coexist-db-XXXXXX";

static int
setup(void **state)
{
	(void)state;
	assert_true(sodium_init() >= 0);
	/* The log goes to standard error: keep it in a file to read it back. */
	int fd = mkstemp(logpath);
	fflush(stderr);
	saved_stderr = dup(2);
	dup2(fd, 2);
	close(fd);
	assert_non_null(mkdtemp(dbdir));
	config_defaults(&cfg);
	snprintf(cfg.listen, sizeof(cfg.listen), "127.0.0.1:0");
	snprintf(cfg.db, sizeof(cfg.db), "%s/t.db", dbdir);
	cfg.threads = 2;
	cfg.max_body = 2048;
	metrics_init(routes, NROUTES);
	/* The application's check after each handler (app_after) and its slot_free, for real. */
	struct server_spec spec = {.config = &cfg,
				   .routes = routes,
				   .nroutes = NROUTES,
				   .before = worker_db,
				   .after = app_after,
				   .slot_free = app_slot_free};
	char err[256];
	struct db *db = db_open(cfg.db, 1000, err, sizeof(err));
	assert_non_null(db);
	assert_int_equal(db_exec(db, "CREATE TABLE notes(x TEXT)", err, sizeof(err)), 0);
	db_close(db);
	srv = server_start(&spec, err, sizeof(err));
	assert_non_null(srv);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	server_stop(srv, 1);
	metrics_free();
	/* Standard error went to the log file: show it, so that a failure can be read. */
	printf("server log (%s):\n%s", logpath, read_log());
	unlink(logpath);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	char p[300];
	const char *sfx[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s/t.db%s", dbdir, sfx[i]);
		unlink(p);
	}
	rmdir(dbdir);
	return 0;
}

/* Sends a request and returns the whole response (connection closed by the request). */
static char *
roundtrip(const char *req)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons((uint16_t)server_port(srv))};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(s, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(write(s, req, strlen(req)), (ssize_t)strlen(req));
	static char resp[16384];
	size_t n = 0;
	ssize_t k;
	while (n < sizeof(resp) - 1 && (k = read(s, resp + n, sizeof(resp) - 1 - n)) > 0)
		n += (size_t)k;
	resp[n] = '\0';
	close(s);
	return resp;
}

/* Reads one response (headers and a Content-Length body) from s into resp. */
static void
read_response(int s, char *resp, size_t size)
{
	size_t n = 0;
	ssize_t k;
	resp[0] = '\0';
	while (n < size - 1 && (k = read(s, resp + n, size - 1 - n)) > 0) {
		n += (size_t)k;
		resp[n] = '\0';
		char *end = strstr(resp, "\r\n\r\n");
		char *cl = strcasestr(resp, "\r\nContent-Length: ");
		if (end && cl && cl < end &&
		    n >= (size_t)(end + 4 - resp) + strtoul(cl + 18, NULL, 10))
			return;
	}
}

/* Sends two requests one after the other on one kept-alive connection, so that one worker
 * thread answers both; returns both responses. */
static void
two_on_one_connection(const char *req1, const char *req2, char *resp1, char *resp2, size_t size)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons((uint16_t)server_port(srv))};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct timeval tv = {5, 0};
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	assert_int_equal(connect(s, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(write(s, req1, strlen(req1)), (ssize_t)strlen(req1));
	read_response(s, resp1, size);
	assert_int_equal(write(s, req2, strlen(req2)), (ssize_t)strlen(req2));
	read_response(s, resp2, size);
	close(s);
}

static char *
read_log(void)
{
	static char text[65536];
	fflush(stderr);
	FILE *f = fopen(logpath, "r");
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	fclose(f);
	return text;
}

static void
incident_id_in_page_and_log(void **state)
{
	(void)state;
	char *resp =
		roundtrip("GET /fail HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
	assert_non_null(strstr(resp, "HTTP/1.1 500"));
	assert_non_null(strstr(resp, "Cache-Control: no-store"));
	char *inc = strstr(resp, "Incident: ");
	assert_non_null(inc);
	char id[13];
	memcpy(id, inc + 10, 12);
	id[12] = '\0';
	assert_int_equal(strspn(id, "0123456789abcdef"), 12);
	/* The reason stays in the log, with the same id; the page does not show it. */
	assert_null(strstr(resp, "fire"));
	char *log = read_log();
	char line[64];
	snprintf(line, sizeof(line), "incident %s: GET /fail: the disk is on fire", id);
	assert_non_null(strstr(log, line));
}

static void
handler_without_answer_is_a_500(void **state)
{
	(void)state;
	char *resp =
		roundtrip("GET /forget HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
	assert_non_null(strstr(resp, "HTTP/1.1 500"));
	assert_non_null(strstr(read_log(), "handler gave no answer"));
}

static void
only_declared_form_fields_reach_the_handler(void **state)
{
	(void)state;
	const char *body = "name=Awa+Diallo&other=1";
	char req[512];
	snprintf(req, sizeof(req),
		 "POST /form HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: "
		 "application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n%s",
		 strlen(body), body);
	char *resp = roundtrip(req);
	assert_non_null(strstr(resp, "HTTP/1.1 200"));
	assert_non_null(strstr(resp, "name=Awa Diallo;undeclared=dropped"));
	/* A declared field that fails its check: 400, handler not called. */
	body = "name=";
	snprintf(req, sizeof(req),
		 "POST /form HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: "
		 "application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n%s",
		 strlen(body), body);
	resp = roundtrip(req);
	assert_non_null(strstr(resp, "HTTP/1.1 400"));
	assert_null(strstr(resp, "undeclared"));
}

static void
chunked_body_over_the_limit_is_413(void **state)
{
	(void)state;
	char req[8192];
	int n = snprintf(
		req, sizeof(req),
		"POST /form HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: "
		"application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n");
	for (int i = 0; i < 3; i++) {
		n += snprintf(req + n, sizeof(req) - (size_t)n, "3e8\r\n");
		memset(req + n, 'x', 1000);
		n += 1000;
		n += snprintf(req + n, sizeof(req) - (size_t)n, "\r\n");
	}
	snprintf(req + n, sizeof(req) - (size_t)n, "0\r\n\r\n");
	char *resp = roundtrip(req);
	assert_non_null(strstr(resp, "HTTP/1.1 413"));
	/* Within the limit, the same way of sending works. */
	resp = roundtrip(
		"POST /form HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: "
		"application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n"
		"8\r\nname=Awa\r\n0\r\n\r\n");
	assert_non_null(strstr(resp, "HTTP/1.1 200"));
	assert_non_null(strstr(resp, "name=Awa;"));
}

static void
transaction_left_open_is_rolled_back(void **state)
{
	(void)state;
	unsigned long errors = db_error_count();
	static char first[16384], second[16384];
	two_on_one_connection("POST /leave-open HTTP/1.1\r\nHost: 127.0.0.1\r\n"
			      "Content-Length: 0\r\n\r\n",
			      "GET /state HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
			      first, second, sizeof(first));
	/* Not committed, so not acknowledged: the client is told it failed. */
	assert_non_null(strstr(first, "HTTP/1.1 500"));
	assert_null(strstr(first, "saved"));
	/* The same worker's connection has no transaction open any more, and the write is gone. */
	assert_non_null(strstr(second, "HTTP/1.1 200"));
	assert_non_null(strstr(second, "autocommit=1 notes=0"));
	/* The log names the route; the error is counted (coexist_db_errors_total). */
	assert_non_null(strstr(read_log(), "POST /leave-open: transaction left open"));
	assert_true(db_error_count() > errors);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(incident_id_in_page_and_log),
		cmocka_unit_test(handler_without_answer_is_a_500),
		cmocka_unit_test(only_declared_form_fields_reach_the_handler),
		cmocka_unit_test(chunked_body_over_the_limit_is_413),
		cmocka_unit_test(transaction_left_open_is_rolled_back),
	};
	return cmocka_run_group_tests_name("server", tests, setup, teardown);
}
