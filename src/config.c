/* config.c - settings from coexist.conf (INI) with COEXIST_* environment overrides. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/ini.h"

enum opt_type { OPT_STR, OPT_LONG, OPT_BOOL };

/* One line a setting: where it lives in the file, its variable, its bounds and its help. */
struct opt {
	const char *section, *key, *env;
	enum opt_type type;
	size_t offset, size;
	long min, max;
	const char *help;
};

#define S(f)         OPT_STR, offsetof(struct config, f), sizeof(((struct config *)0)->f), 0, 0
#define L(f, lo, hi) OPT_LONG, offsetof(struct config, f), sizeof(long), lo, hi
#define B(f)         OPT_BOOL, offsetof(struct config, f), sizeof(bool), 0, 1

static const struct opt opts[] = {
	{"server", "listen", "COEXIST_LISTEN", S(listen), "address and port to serve on"},
	{"server", "threads", "COEXIST_THREADS", L(threads, 1, 256), "HTTP worker threads"},
	{"server", "share", "COEXIST_SHARE", S(share), "folder with templates/, static/, locale/"},
	{"server", "shutdown_grace", "COEXIST_SHUTDOWN_GRACE", L(shutdown_grace, 0, 600),
	 "seconds given to requests in flight on SIGTERM"},
	{"database", "path", "COEXIST_DB", S(db), "SQLite database file"},
	{"database", "busy_timeout_ms", "COEXIST_BUSY_TIMEOUT_MS", L(busy_timeout_ms, 0, 600000),
	 "milliseconds to wait for a lock"},
	{"limits", "max_body", "COEXIST_MAX_BODY", L(max_body, 1024, 1L << 30),
	 "bytes of a request body (413 beyond)"},
	{"limits", "max_header", "COEXIST_MAX_HEADER", L(max_header, 2048, 1L << 20),
	 "bytes of the request line and headers"},
	{"limits", "max_fields", "COEXIST_MAX_FIELDS", L(max_fields, 1, 100000),
	 "fields in a form or query string (400 beyond)"},
	{"limits", "conn_timeout", "COEXIST_CONN_TIMEOUT", L(conn_timeout, 1, 3600),
	 "seconds before an idle connection is closed"},
	{"limits", "per_ip", "COEXIST_PER_IP", L(per_ip, 1, 100000),
	 "concurrent connections from one address"},
	{"limits", "max_connections", "COEXIST_MAX_CONNECTIONS", L(max_connections, 1, 1000000),
	 "concurrent connections in all"},
	{"limits", "rate_starts", "COEXIST_RATE_STARTS", L(rate_starts, 1, 100000),
	 "questionnaire responses started per address and hour (429 beyond)"},
	{"limits", "rate_messages", "COEXIST_RATE_MESSAGES", L(rate_messages, 1, 100000),
	 "messages sent through the site per address and hour (429 beyond)"},
	{"limits", "rate_signups", "COEXIST_RATE_SIGNUPS", L(rate_signups, 1, 100000),
	 "sign-ups per address and hour (429 beyond)"},
	{"auth", "idle_timeout", "COEXIST_IDLE_TIMEOUT", L(idle_timeout, 1, 30L * 86400),
	 "seconds of inactivity that end a session"},
	{"auth", "session_lifetime", "COEXIST_SESSION_LIFETIME",
	 L(session_lifetime, 1, 90L * 86400),
	 "seconds after sign-in that end a session in any case"},
	{"auth", "secure_cookies", "COEXIST_SECURE_COOKIES", B(secure_cookies),
	 "true when served over HTTPS: __Host- cookies with Secure"},
	{"auth", "public_url", "COEXIST_PUBLIC_URL", S(public_url),
	 "address people use to reach the site: links in e-mails, Host names answered "
	 "(empty: from listen)"},
	{"mail", "transport", "COEXIST_MAIL_TRANSPORT", S(mail_transport), "file or smtp"},
	{"mail", "dir", "COEXIST_MAIL_DIR", S(mail_dir), "file transport: folder of .eml files"},
	{"mail", "from", "COEXIST_MAIL_FROM", S(mail_from), "sender of every message"},
	{"mail", "smtp_url", "COEXIST_SMTP_URL", S(smtp_url),
	 "smtp://host:587 (STARTTLS) or smtps://host:465"},
	{"mail", "smtp_user", "COEXIST_SMTP_USER", S(smtp_user), "SMTP user name"},
	{"mail", "smtp_password", "COEXIST_SMTP_PASSWORD", S(smtp_password), "SMTP password"},
	{"log", "level", "COEXIST_LOG_LEVEL", S(log_level), "debug, info, warn or error"},
	{"log", "access", "COEXIST_ACCESS_LOG", B(access_log), "one line per request (true/false)"},
};

#define NOPTS (sizeof(opts) / sizeof(opts[0]))

void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->listen, sizeof(c->listen), "127.0.0.1:8080");
	c->threads = 4;
	snprintf(c->share, sizeof(c->share), ".");
	c->shutdown_grace = 10;
	snprintf(c->db, sizeof(c->db), "coexist.db");
	c->busy_timeout_ms = 5000;
	c->max_body = 1L << 20;
	c->max_header = 16384;
	c->max_fields = 500;
	c->conn_timeout = 30;
	c->per_ip = 64;
	c->max_connections = 1024;
	c->rate_starts = 30;
	c->rate_messages = 10;
	c->rate_signups = 20;
	c->idle_timeout = 30L * 60;
	c->session_lifetime = 12L * 3600;
	snprintf(c->mail_transport, sizeof(c->mail_transport), "file");
	snprintf(c->mail_dir, sizeof(c->mail_dir), "mail");
	snprintf(c->mail_from, sizeof(c->mail_from), "COEXIST <no-reply@coexist.invalid>");
	snprintf(c->log_level, sizeof(c->log_level), "info");
	c->access_log = true;
}

static int
set_opt(struct config *c, const struct opt *o, const char *value, char *err, size_t errlen)
{
	char *field = (char *)c + o->offset;
	switch (o->type) {
	case OPT_STR:
		if (strlen(value) >= o->size) {
			snprintf(err, errlen, "%s.%s: value longer than %zu bytes", o->section,
				 o->key, o->size - 1);
			return -1;
		}
		memcpy(field, value, strlen(value) + 1);
		break;
	case OPT_LONG: {
		char *end;
		errno = 0;
		long v = strtol(value, &end, 10);
		if (errno || end == value || *end != '\0' || v < o->min || v > o->max) {
			snprintf(err, errlen, "%s.%s: expected a whole number from %ld to %ld",
				 o->section, o->key, o->min, o->max);
			return -1;
		}
		memcpy(field, &v, sizeof(v));
		break;
	}
	case OPT_BOOL: {
		bool v;
		if (!strcmp(value, "true") || !strcmp(value, "yes") || !strcmp(value, "on") ||
		    !strcmp(value, "1"))
			v = true;
		else if (!strcmp(value, "false") || !strcmp(value, "no") || !strcmp(value, "off") ||
			 !strcmp(value, "0"))
			v = false;
		else {
			snprintf(err, errlen, "%s.%s: expected true or false", o->section, o->key);
			return -1;
		}
		memcpy(field, &v, sizeof(v));
		break;
	}
	}
	return 0;
}

int
config_set(struct config *c, const char *section, const char *key, const char *value, char *err,
	   size_t errlen)
{
	for (size_t i = 0; i < NOPTS; i++)
		if (!strcmp(opts[i].section, section) && !strcmp(opts[i].key, key))
			return set_opt(c, &opts[i], value, err, errlen);
	if (section[0] == '\0')
		snprintf(err, errlen, "setting '%s' outside a [section]", key);
	else
		snprintf(err, errlen, "unknown setting '%s' in [%s]", key, section);
	return -1;
}

static int
on_ini(void *ctx, const char *section, const char *key, const char *value, char *err, size_t errlen)
{
	return config_set(ctx, section, key, value, err, errlen);
}

static int
check(const struct config *c, char *err, size_t errlen)
{
	if (strcmp(c->mail_transport, "file") != 0 && strcmp(c->mail_transport, "smtp") != 0) {
		snprintf(err, errlen, "mail.transport: expected file or smtp");
		return -1;
	}
	if (strcmp(c->mail_transport, "smtp") == 0 && c->smtp_url[0] == '\0') {
		snprintf(err, errlen, "mail.smtp_url: needed when mail.transport is smtp");
		return -1;
	}
	static const char *const levels[] = {"debug", "info", "warn", "error"};
	for (size_t i = 0; i < 4; i++)
		if (!strcmp(c->log_level, levels[i]))
			return 0;
	snprintf(err, errlen, "log.level: expected debug, info, warn or error");
	return -1;
}

int
config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	if (path == NULL || *path == '\0')
		path = getenv("COEXIST_CONF");
	if ((path == NULL || *path == '\0') && access("coexist.conf", F_OK) == 0)
		path = "coexist.conf";
	if (path && *path && ini_parse_file(path, on_ini, c, err, errlen) != 0)
		return -1;
	for (size_t i = 0; i < NOPTS; i++) {
		const char *v = getenv(opts[i].env);
		if (v == NULL)
			continue;
		char reason[256];
		if (set_opt(c, &opts[i], v, reason, sizeof(reason)) != 0) {
			snprintf(err, errlen, "%s: %s", opts[i].env, reason);
			return -1;
		}
	}
	return check(c, err, errlen);
}

void
config_print(const struct config *c, void *file)
{
	FILE *f = file;
	const char *section = "";
	for (size_t i = 0; i < NOPTS; i++) {
		const struct opt *o = &opts[i];
		if (strcmp(section, o->section) != 0) {
			section = o->section;
			fprintf(f, "%s[%s]\n", i ? "\n" : "", section);
		}
		const char *field = (const char *)c + o->offset;
		fprintf(f, "# %s (%s)\n", o->help, o->env);
		switch (o->type) {
		case OPT_STR: fprintf(f, "%s = %s\n", o->key, field); break;
		case OPT_LONG: {
			long v;
			memcpy(&v, field, sizeof(v));
			fprintf(f, "%s = %ld\n", o->key, v);
			break;
		}
		case OPT_BOOL:
			fprintf(f, "%s = %s\n", o->key, *(const bool *)field ? "true" : "false");
			break;
		}
	}
}
