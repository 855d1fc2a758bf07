/* config.h - settings from coexist.conf (INI) with COEXIST_* environment overrides. */
#ifndef COEXIST_CONFIG_H
#define COEXIST_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct config {
	/* [server] */
	char listen[128];    /* host:port, port 0 = chosen by the kernel */
	long threads;        /* worker threads of the HTTP server */
	char share[1024];    /* folder holding templates/, static/, locale/ */
	long shutdown_grace; /* seconds to finish requests in flight on SIGTERM */
	/* [database] */
	char db[1024]; /* SQLite file */
	long busy_timeout_ms;
	/* [limits] */
	long max_body;        /* bytes of a request body */
	long max_header;      /* bytes of the request line and headers */
	long max_fields;      /* fields in a form or query string */
	long conn_timeout;    /* seconds of inactivity before a connection is closed */
	long per_ip;          /* concurrent connections from one address */
	long max_connections; /* concurrent connections in all */
	long rate_starts;     /* questionnaire responses started per address and hour */
	long rate_messages;   /* messages sent through the site per address and hour */
	long rate_signups;    /* sign-ups per address and hour */
	/* [auth] */
	long idle_timeout;     /* seconds of inactivity that end a session */
	long session_lifetime; /* seconds after sign-in that end a session in any case */
	bool secure_cookies;   /* served over HTTPS (directly or by a proxy): __Host- and Secure */
	char public_url[256];  /* how people reach the site, for links in e-mails; "" = from listen
				*/
	/* [mail] */
	char mail_transport[16]; /* file or smtp */
	char mail_dir[1024];     /* file transport: where .eml files are written */
	char mail_from[256];     /* From: header */
	char smtp_url[256];      /* smtp://host:587 or smtps://host:465 */
	char smtp_user[128];
	char smtp_password[128];
	/* [log] */
	char log_level[16]; /* debug, info, warn, error */
	bool access_log;
};

/* Fills c with the defaults. */
void config_defaults(struct config *c);
/* Reads path (INI) into c; path NULL or "" means: COEXIST_CONF, else ./coexist.conf if it
 * exists, else nothing. Then applies COEXIST_* environment variables. Returns 0, or -1 with a
 * one-line reason naming the file:line or variable and the problem in err. */
int config_load(struct config *c, const char *path, char *err, size_t errlen);
/* Sets one setting by "section.key" (as the command line's --set does); -1 with err. */
int config_set(struct config *c, const char *section, const char *key, const char *value, char *err,
	       size_t errlen);
/* Writes every setting, its environment variable and its value (for `coexist help config`). */
void config_print(const struct config *c, void *file);

#endif
