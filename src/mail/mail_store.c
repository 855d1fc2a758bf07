/* mail_store.c - SQL of the outbox: queue a message, find what is due, record the outcome. */
#include "mail.h"
#include "mail_priv.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/email.h"
#include "base/log.h"
#include "base/utf8.h"
#include "db/db.h"

enum mail_stmt {
	MAIL_STMT_QUEUE,
	MAIL_STMT_SELECT_DUE,
	MAIL_STMT_CLAIM,
	MAIL_STMT_MARK_SENT,
	MAIL_STMT_MARK_FAILED,
	MAIL_STMT__MAX
};

static const char *const mail_sql[MAIL_STMT__MAX] = {
	[MAIL_STMT_QUEUE] = "INSERT INTO outbox(to_addr, subject, body, created_at, next_try_at)"
			    " VALUES (?, ?, ?, ?, ?)",
	[MAIL_STMT_SELECT_DUE] =
		"SELECT id, to_addr, subject, body, created_at, attempts FROM outbox"
		" WHERE sent_at IS NULL AND next_try_at <= ? AND attempts < ?"
		" ORDER BY id LIMIT ?",
	[MAIL_STMT_CLAIM] = "UPDATE outbox SET next_try_at = ?"
			    " WHERE id = ? AND sent_at IS NULL AND next_try_at <= ?",
	[MAIL_STMT_MARK_SENT] = "UPDATE outbox SET sent_at = ?, attempts = attempts + 1,"
				" last_error = NULL WHERE id = ?",
	[MAIL_STMT_MARK_FAILED] = "UPDATE outbox SET attempts = attempts + 1, next_try_at = ?,"
				  " last_error = ? WHERE id = ?",
};

const struct db_table mail_store_table = {DB_STORE_MAIL, "mail", mail_sql, MAIL_STMT__MAX};

enum {
	TO_MAX = 254,       /* longest address SMTP can carry (RFC 5321 path limit) */
	SUBJECT_MAX = 998,  /* bytes; RFC 5322's line limit, before encoding and folding */
	BODY_MAX = 1 << 20, /* bytes; our messages are a few lines with a link */
	ERROR_MAX = 200,    /* bytes of last_error kept */
};

/* One line of text: valid UTF-8 with no control character at all (CR and LF included), so that
 * it cannot end a header and start another one. */
static bool
one_line(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max || !utf8_valid(s, n))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F)
			return false;
	}
	return true;
}

/* One recipient as every form of the site accepts it (base/email.h): a bare local@domain
 * without blanks, controls, or the characters that would make it a list, a display name or a
 * comment. UTF-8 is let through (RFC 6531/6532); libcurl converts an IDN domain and asks the
 * server for SMTPUTF8 when the local part needs it. */
static bool
plain_address(const char *s)
{
	return one_line(s, TO_MAX) && email_valid(s);
}

long
mail_store_queue(struct db *db, const char *to, const char *subject, const char *body)
{
	/* Refused before anything is written: these reach headers (to, subject) or the body of a
	 * message that leaves the site. Nothing of the values is logged (personal data). */
	if (to == NULL || !plain_address(to)) {
		log_warn("mail: refused a message: recipient is not one plain address");
		return -1;
	}
	if (subject == NULL || !one_line(subject, SUBJECT_MAX)) {
		log_warn("mail: refused a message: subject is not one line of UTF-8 text");
		return -1;
	}
	size_t blen = body ? strlen(body) : 0;
	if (body == NULL || blen > BODY_MAX || !utf8_valid_text(body, blen)) {
		log_warn("mail: refused a message: body is not UTF-8 text of at most %d bytes",
			 BODY_MAX);
		return -1;
	}
	struct db_stmt *st = db_stmt(db, &mail_store_table, MAIL_STMT_QUEUE);
	if (st == NULL)
		return -1;
	time_t now = time(NULL);
	db_bind_text(st, 1, to);
	db_bind_text(st, 2, subject);
	db_bind_text(st, 3, body);
	db_bind_time(st, 4, now);
	db_bind_time(st, 5, now);
	long long id = db_insert(st);
	return id > 0 ? (long)id : -1;
}

int
mail_store_select_due(struct db *db, time_t now, int max, struct arena *a, struct mail_msg *out)
{
	struct db_stmt *st = db_stmt(db, &mail_store_table, MAIL_STMT_SELECT_DUE);
	if (st == NULL)
		return -1;
	db_bind_time(st, 1, now);
	db_bind_int(st, 2, MAIL_MAX_ATTEMPTS);
	db_bind_int(st, 3, max);
	int n = 0, rc = 0;
	while (n < max && (rc = db_step(st)) == 1) {
		struct mail_msg *m = &out[n++];
		m->id = (long)db_column_int(st, 0);
		m->to = arena_strdup(a, db_column_peek(st, 1));
		m->subject = arena_strdup(a, db_column_peek(st, 2));
		m->body = arena_strdup(a, db_column_peek(st, 3));
		m->created_at = db_column_time(st, 4);
		m->attempts = (int)db_column_int(st, 5);
	}
	if (rc < 0)
		return -1;
	/* Ended now: the read must not stay open while messages are sent. */
	if (rc == 1)
		db_reset(st);
	return n;
}

int
mail_store_claim(struct db *db, long id, time_t now, time_t until)
{
	struct db_stmt *st = db_stmt(db, &mail_store_table, MAIL_STMT_CLAIM);
	if (st == NULL)
		return -1;
	db_bind_time(st, 1, until);
	db_bind_int(st, 2, id);
	db_bind_time(st, 3, now);
	int n = db_run(st);
	return n < 0 ? -1 : n > 0;
}

int
mail_store_mark_sent(struct db *db, long id, time_t now)
{
	struct db_stmt *st = db_stmt(db, &mail_store_table, MAIL_STMT_MARK_SENT);
	if (st == NULL)
		return -1;
	db_bind_time(st, 1, now);
	db_bind_int(st, 2, id);
	return db_run(st) < 0 ? -1 : 0;
}

int
mail_store_mark_failed(struct db *db, long id, time_t next_try_at, const char *error)
{
	struct db_stmt *st = db_stmt(db, &mail_store_table, MAIL_STMT_MARK_FAILED);
	if (st == NULL)
		return -1;
	/* Kept short and plain: the reason may quote a remote server's reply. */
	char e[ERROR_MAX + 1];
	snprintf(e, sizeof(e), "%s", error && *error ? error : "unknown error");
	for (char *p = e; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7F)
			*p = '?';
	db_bind_time(st, 1, next_try_at);
	db_bind_text(st, 2, e);
	db_bind_int(st, 3, id);
	return db_run(st) < 0 ? -1 : 0;
}
