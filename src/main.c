/* main.c - the coexist program: subcommands, configuration and start-up. */
#include <errno.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "config.h"
#include "db/db.h"
#include "db/guard.h"
#include "db/migrate.h"
#include "auth/auth.h"
#include "auth/user_cli.h"
#include "cases/cases_priv.h"
#include "cases/search.h"
#include "app/demo.h"
#include "mail/mail.h"
#include "exchange/export.h"
#include "questionnaire/qdef.h"
#include "http/metrics.h"
#include "http/server.h"
#include "http/static.h"
#include "app/app.h"
#include "app/housekeeping.h"
#include "app/routes.h"
#include "web/page.h"

#define COEXIST_VERSION "0.1.0"

struct command {
	const char *name;
	int (*run)(const struct config *c, int argc, char **argv);
	const char *usage;
	const char *help;
};

static int cmd_serve(const struct config *c, int argc, char **argv);
static int cmd_init(const struct config *c, int argc, char **argv);
static int cmd_demo(const struct config *c, int argc, char **argv);
static struct db *open_with_app(const struct config *c, struct app *app, const char *cmd);
static int cmd_migrate(const struct config *c, int argc, char **argv);
static int cmd_backup(const struct config *c, int argc, char **argv);
static int cmd_version(const struct config *c, int argc, char **argv);
static int cmd_help(const struct config *c, int argc, char **argv);
static int cmd_user(const struct config *c, int argc, char **argv);
static int cmd_import(const struct config *c, int argc, char **argv);
static int cmd_export(const struct config *c, int argc, char **argv);

static const struct command commands[] = {
	{"serve", cmd_serve, "serve",
	 "Serves the site on server.listen (127.0.0.1:8080 by default), applying pending\n"
	 "migrations first. Refused (exit 2) when the address is taken or another serve holds\n"
	 "the database (DATABASE.lock). SIGTERM or SIGINT: stop accepting, finish requests in\n"
	 "flight (server.shutdown_grace seconds at most), close the database."},
	{"init", cmd_init, "init",
	 "Creates an empty database at database.path with the current schema."},
	{"demo", cmd_demo, "demo",
	 "Fills the database with demonstration content, then exits. Running it again adds\n"
	 "nothing twice."},
	{"migrate", cmd_migrate, "migrate [--status]",
	 "Shows the schema migrations and applies the pending ones in one transaction.\n"
	 "--status only shows them."},
	{"backup", cmd_backup, "backup FILE",
	 "Writes a consistent copy of the database to FILE (online backup with VACUUM INTO),\n"
	 "safe while the server runs and writes: the copy goes to FILE.partial-PID beside it,\n"
	 "is synced, then renamed to FILE, so FILE is only ever a whole copy. FILE must not\n"
	 "exist. Prints the pages, bytes and rows of the main tables copied, and the time taken."},
	{"user", cmd_user, "user add|list|role|disable|enable",
	 "Manages people from the shell; every change is in the audit log.\n"
	 "  user add [--role member|coordinator|admin] [--name NAME] EMAIL\n"
	 "      the password is asked twice on a terminal, or read as one line of standard input\n"
	 "  user list\n"
	 "  user role EMAIL member|coordinator|admin\n"
	 "  user disable EMAIL      (ends their sessions at once)\n"
	 "  user enable EMAIL"},
	{"import", cmd_import, "import responses FILE.csv [--campaign SLUG]",
	 "Imports questionnaire responses collected elsewhere, from a CSV laid out as the CSV\n"
	 "export (coexist export responses --format csv). The whole file is checked first: on any\n"
	 "problem nothing is imported and each problem is listed with its line, column and "
	 "reason.\n"
	 "Without --campaign, the responses go to the newest campaign."},
	{"export", cmd_export, "export responses|cases --format csv|xlsx|json [--campaign SLUG]",
	 "Writes to standard output, as CSV (UTF-8 with BOM), XLSX or JSON: every response to the\n"
	 "questionnaire of a campaign (the newest by default; XLSX with a codebook sheet), or "
	 "every\n"
	 "published case at its consent level (export cases --format F)."},
	{"version", cmd_version, "version", "Prints the version of coexist and of its libraries."},
	{"help", cmd_help, "help [COMMAND|config]",
	 "Shows the commands, one command's help, or every setting (help config)."},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *f)
{
	fprintf(f, "usage: coexist [-c FILE] COMMAND [ARGS]\n\n"
		   "COEXIST - partnerships between NGOs and companies.\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-26s %.*s\n", commands[i].usage,
			(int)strcspn(commands[i].help, ".\n"), commands[i].help);
	fprintf(f, "\n-c FILE reads settings from FILE (default: $COEXIST_CONF, else "
		   "./coexist.conf);\n"
		   "COEXIST_* environment variables override them (see: coexist help config).\n");
}

/* Refuses extra arguments with a one-line error; returns 2 when there are some. */
static int
no_args(const char *cmd, int argc, char **argv)
{
	if (argc > 1) {
		fprintf(stderr, "coexist %s: unexpected argument '%s'\n", cmd, argv[1]);
		return 2;
	}
	return 0;
}

/* Opens the configured database and brings its schema up to date. */
static struct db *
open_migrated(const struct config *c, bool quiet)
{
	char err[512];
	struct db *db = db_open(c->db, (int)c->busy_timeout_ms, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "coexist: cannot open the database: %s\n", err);
		return NULL;
	}
	int n = migrate_apply(db, db_migrations, db_migrations_count, err, sizeof(err));
	if (n < 0) {
		fprintf(stderr, "coexist: %s: %s\n", c->db, err);
		db_close(db);
		return NULL;
	}
	if (n > 0 && !quiet)
		log_info("applied %d migration%s to %s", n, n > 1 ? "s" : "", c->db);
	return db;
}

static int
cmd_init(const struct config *c, int argc, char **argv)
{
	if (no_args("init", argc, argv))
		return 2;
	bool existed = access(c->db, F_OK) == 0;
	struct db *db = open_migrated(c, true);
	if (db == NULL)
		return 1;
	char err[256];
	int v = migrate_current(db, err, sizeof(err));
	db_close(db);
	printf(existed ? "%s already exists (schema version %d); nothing was removed\n"
		       : "created %s (schema version %d)\n",
	       c->db, v);
	return 0;
}

static int
cmd_demo(const struct config *c, int argc, char **argv)
{
	if (no_args("demo", argc, argv))
		return 2;
	struct app app;
	struct db *db = open_with_app(c, &app, "demo");
	if (db == NULL)
		return 1;
	char err[512] = "";
	printf("loading demonstration content into %s\n", c->db);
	int rc = demo_load(db, &app, stdout, err, sizeof(err));
	db_close(db);
	app_free(&app);
	if (rc != 0) {
		fprintf(stderr, "coexist demo: %s\n", err);
		return 1;
	}
	return 0;
}

static int
cmd_migrate(const struct config *c, int argc, char **argv)
{
	bool status_only = false;
	if (argc > 1 && strcmp(argv[1], "--status") == 0) {
		status_only = true;
		argc--, argv++;
	}
	if (no_args("migrate", argc, argv))
		return 2;
	char err[512];
	/* --status on a database that does not exist yet creates nothing: it lists every
	 * migration as pending from an empty database in memory. */
	bool missing = access(c->db, F_OK) != 0;
	if (missing && status_only)
		printf("no database at %s yet\n", c->db);
	struct db *db = db_open(missing && status_only ? ":memory:" : c->db,
				(int)c->busy_timeout_ms, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "coexist migrate: %s\n", err);
		return 1;
	}
	int rc = 0;
	if (!status_only) {
		int n = migrate_apply(db, db_migrations, db_migrations_count, err, sizeof(err));
		if (n < 0) {
			fprintf(stderr, "coexist migrate: %s\n", err);
			rc = 1;
		} else {
			printf("%d migration%s applied\n", n, n == 1 ? "" : "s");
		}
	}
	if (rc == 0 && migrate_print_status(db, db_migrations, db_migrations_count, stdout, err,
					    sizeof(err)) != 0) {
		fprintf(stderr, "coexist migrate: %s\n", err);
		rc = 1;
	}
	db_close(db);
	return rc;
}

/* The temporary copy of a backup under way and SQLite's journal of it, removed if a signal
 * stops it (SIGKILL cannot be caught: then FILE.partial-PID stays, and FILE is still absent). */
static char backup_tmp[4200], backup_tmp_journal[4220];

static void
on_backup_signal(int sig)
{
	unlink(backup_tmp); /* async-signal-safe */
	unlink(backup_tmp_journal);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* "4.8 MB" */
static const char *
human_bytes(long long n, char *out, size_t outlen)
{
	if (n < 1024LL * 1024)
		snprintf(out, outlen, "%.1f KB", (double)n / 1024);
	else if (n < 1024LL * 1024 * 1024)
		snprintf(out, outlen, "%.1f MB", (double)n / (1024 * 1024));
	else
		snprintf(out, outlen, "%.2f GB", (double)n / (1024.0 * 1024 * 1024));
	return out;
}

static int
cmd_backup(const struct config *c, int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "coexist backup: expected one argument, the FILE to write\n");
		return 2;
	}
	if (access(argv[1], F_OK) == 0) {
		fprintf(stderr, "coexist backup: %s already exists; choose a new file name\n",
			argv[1]);
		return 2;
	}
	if (access(c->db, F_OK) != 0) {
		fprintf(stderr, "coexist backup: no database at %s\n", c->db);
		return 1;
	}
	char err[512];
	struct db *db = db_open(c->db, (int)c->busy_timeout_ms, err, sizeof(err));
	if (db == NULL) {
		fprintf(stderr, "coexist backup: %s\n", err);
		return 1;
	}
	snprintf(backup_tmp, sizeof(backup_tmp), "%s.partial-%ld", argv[1], (long)getpid());
	snprintf(backup_tmp_journal, sizeof(backup_tmp_journal), "%s-journal", backup_tmp);
	struct sigaction sa = {.sa_handler = on_backup_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	struct db_backup_report rep;
	int rc = db_backup(db, argv[1], backup_tmp, &rep, err, sizeof(err));
	db_close(db);
	if (rc != 0) {
		fprintf(stderr, "coexist backup: %s\n", err);
		return 1;
	}
	char size[32];
	printf("backup of %s written to %s: %lld pages (%s)", c->db, argv[1], rep.pages,
	       human_bytes(rep.bytes, size, sizeof(size)));
	for (size_t i = 0; i < rep.ntables; i++)
		printf("%s %s %lld", i ? "," : ", rows:", rep.tables[i].table, rep.tables[i].rows);
	printf("; in %.2f s\n", rep.seconds);
	return 0;
}

static int
cmd_user(const struct config *c, int argc, char **argv)
{
	struct db *db = open_migrated(c, true);
	if (db == NULL)
		return 1;
	int rc = user_cli(c, db, argc, argv);
	db_close(db);
	return rc;
}

/* Opens the database and loads the questionnaires (and the rest of the site's files). */
static struct db *
open_with_app(const struct config *c, struct app *app, const char *cmd)
{
	char err[1024] = "";
	if (app_load(app, c, err, sizeof(err)) != 0) {
		fprintf(stderr, "coexist %s: %s\n", cmd, err);
		app_free(app);
		return NULL;
	}
	struct db *db = open_migrated(c, true);
	if (db == NULL)
		app_free(app);
	return db;
}

/* Reads "responses [--campaign SLUG] [--format F] [FILE]"; 2 on bad usage. */
static int
data_args(const char *cmd, int argc, char **argv, const char **slug, const char **format,
	  const char **file)
{
	if (argc < 2 || strcmp(argv[1], "responses") != 0) {
		fprintf(stderr, "coexist %s: expected 'responses' (try: coexist help %s)\n", cmd,
			cmd);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--campaign") == 0 && i + 1 < argc)
			*slug = argv[++i];
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc && format)
			*format = argv[++i];
		else if (argv[i][0] != '-' && file && *file == NULL)
			*file = argv[i];
		else {
			fprintf(stderr, "coexist %s: unexpected argument '%s'\n", cmd, argv[i]);
			return 2;
		}
	}
	return 0;
}

static int
cmd_import(const struct config *c, int argc, char **argv)
{
	const char *slug = NULL, *file = NULL;
	if (data_args("import", argc, argv, &slug, NULL, &file) != 0)
		return 2;
	if (file == NULL) {
		fprintf(stderr, "coexist import: expected the CSV file to import\n");
		return 2;
	}
	struct app app;
	struct db *db = open_with_app(c, &app, "import");
	if (db == NULL)
		return 1;
	int rc = survey_cli_import(db, app.questionnaires, app.nquestionnaires, app.vocab, slug,
				   file);
	db_close(db);
	app_free(&app);
	return rc;
}

static int
cmd_export(const struct config *c, int argc, char **argv)
{
	const char *slug = NULL, *format = NULL;
	enum export_format f;
	if (argc >= 2 && strcmp(argv[1], "cases") == 0) {
		/* Published cases, at their consent level. */
		if (argc != 4 || strcmp(argv[2], "--format") != 0 ||
		    (strcmp(argv[3], "csv") != 0 && strcmp(argv[3], "xlsx") != 0 &&
		     strcmp(argv[3], "json") != 0)) {
			fprintf(stderr,
				"coexist export cases: expected --format csv, xlsx or json\n");
			return 2;
		}
		if (strcmp(argv[3], "xlsx") == 0 && isatty(STDOUT_FILENO)) {
			fprintf(stderr, "coexist export cases: a workbook is not for a terminal; "
					"redirect it to a file\n");
			return 2;
		}
		struct app app;
		struct db *db = open_with_app(c, &app, "export");
		if (db == NULL)
			return 1;
		int rc = cases_export(db, app.vocab, argv[3], stdout);
		db_close(db);
		app_free(&app);
		return rc;
	}
	if (data_args("export", argc, argv, &slug, &format, NULL) != 0)
		return 2;
	if (format == NULL || !export_format_parse(format, &f)) {
		fprintf(stderr, "coexist export: expected --format csv, xlsx or json\n");
		return 2;
	}
	struct app app;
	struct db *db = open_with_app(c, &app, "export");
	if (db == NULL)
		return 1;
	int rc = survey_cli_export(db, app.questionnaires, app.nquestionnaires, app.vocab, slug, f,
				   stdout);
	db_close(db);
	app_free(&app);
	return rc;
}

static int
cmd_version(const struct config *c, int argc, char **argv)
{
	(void)c;
	if (no_args("version", argc, argv))
		return 2;
	printf("coexist %s (%s, libsodium %s)\n", COEXIST_VERSION, db_engine_version(),
	       sodium_version_string());
	return 0;
}

static int
cmd_help(const struct config *c, int argc, char **argv)
{
	if (argc < 2) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "config") == 0) {
		config_print(c, stdout);
		return 0;
	}
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[1], commands[i].name) == 0) {
			printf("usage: coexist %s\n\n%s\n", commands[i].usage, commands[i].help);
			return 0;
		}
	fprintf(stderr, "coexist help: unknown command '%s'\n", argv[1]);
	return 2;
}

static int
cmd_serve(const struct config *c, int argc, char **argv)
{
	if (no_args("serve", argc, argv))
		return 2;
	char err[1024] = "";
	struct app app;
	if (app_load(&app, c, err, sizeof(err)) != 0) {
		fprintf(stderr, "coexist serve: %s\n", err);
		app_free(&app);
		return 1;
	}
	/* Said first: a database that cannot be written may also keep the server from starting. */
	db_warn_unwritable(c->db);
	/* One server per database, before anything touches it (docs/operations.md). */
	bool held;
	int lock = db_lock_acquire(c->db, &held, err, sizeof(err));
	if (lock == -1) {
		fprintf(stderr, "coexist serve: %s\n", err);
		app_free(&app);
		return held ? 2 : 1;
	}
	struct db *db = open_migrated(c, false);
	if (db == NULL) {
		db_lock_release(lock);
		app_free(&app);
		return 1;
	}
	if (db_readonly(db))
		log_warn("SQLite opened %s read-only: every save will fail", c->db);
	if (auth_secret_load(db, app.secret) != 0) {
		fprintf(stderr, "coexist serve: cannot read or create the instance secret\n");
		db_close(db);
		db_lock_release(lock);
		app_free(&app);
		return 1;
	}
	db_close(db);
	app.mail = mail_worker_start(c, err, sizeof(err));
	if (app.mail == NULL) {
		fprintf(stderr, "coexist serve: mail: %s\n", err);
		db_lock_release(lock);
		app_free(&app);
		return 1;
	}

	/* Signals are taken by this thread alone, with sigwait: block them before any worker
	 * thread starts, so that every thread inherits the mask. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	metrics_init(app_routes, ROUTE__MAX);
	struct server_spec spec = {
		.config = c,
		.routes = app_routes,
		.nroutes = ROUTE__MAX,
		.params = app_params,
		.global_fields = app_global_fields,
		.error_page = page_error,
		.before = app_gate,
		.after = app_after,
		.slot_free = app_slot_free,
		.app = &app,
	};
	struct server *s = server_start(&spec, err, sizeof(err));
	if (s == NULL) {
		bool taken = errno == EADDRINUSE;
		fprintf(stderr, "coexist serve: %s\n", err);
		mail_worker_stop(app.mail);
		metrics_free();
		db_lock_release(lock);
		app_free(&app);
		return taken ? 2 : 1;
	}
	app.server = s;
	char host[128];
	snprintf(host, sizeof(host), "%.*s", (int)(strrchr(c->listen, ':') - c->listen), c->listen);
	size_t bytes, files = static_count(app.statics, &bytes);
	log_info("coexist %s: %zu routes, %zu static files (%zu KB), %ld workers, database %s",
		 COEXIST_VERSION, (size_t)ROUTE__MAX, files, bytes / 1024, c->threads, c->db);
	log_info("listening on http://%s:%u", host, server_port(s));

	struct housekeeping *care = housekeeping_start(c, s);
	int sig = 0;
	sigwait(&set, &sig);
	log_info("%s received: finishing %u requests in flight",
		 sig == SIGTERM ? "SIGTERM" : "SIGINT", server_in_flight(s));
	housekeeping_stop(care);
	server_stop(s, (int)c->shutdown_grace);
	mail_worker_stop(app.mail);
	metrics_free();
	app_free(&app);
	db_lock_release(lock); /* last: the database is closed */
	log_info("stopped cleanly");
	return 0;
}

int
main(int argc, char **argv)
{
	search_init(); /* every connection: the search tokenizer (the migrations need it) */
	const char *conf = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if ((strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0) &&
		    i + 1 < argc) {
			conf = argv[++i];
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--version") == 0) {
			return cmd_version(NULL, 1, argv);
		} else {
			fprintf(stderr, "coexist: unknown option '%s' (try: coexist help)\n",
				argv[i]);
			return 2;
		}
	}
	if (i == argc) {
		usage(stderr);
		return 2;
	}
	const struct command *cmd = NULL;
	for (size_t k = 0; k < NCOMMANDS; k++)
		if (strcmp(argv[i], commands[k].name) == 0)
			cmd = &commands[k];
	if (cmd == NULL) {
		fprintf(stderr, "coexist: unknown command '%s' (try: coexist help)\n", argv[i]);
		return 2;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "coexist: libsodium cannot start\n");
		return 1;
	}
	struct config c;
	char err[512];
	config_defaults(&c);
	if (config_load(&c, conf, err, sizeof(err)) != 0) {
		fprintf(stderr, "coexist: %s\n", err);
		return 2;
	}
	static const char *const levels[] = {"debug", "info", "warn", "error"};
	for (int l = 0; l < 4; l++)
		if (strcmp(c.log_level, levels[l]) == 0)
			log_set_level((enum log_level)l);
	return cmd->run(&c, argc - i, argv + i);
}
