/* mail_priv.h - what mail.c needs from mail_store.c: the outbox queries of the delivery loop.
 * Not for other modules: they queue with mail_store_queue() (mail.h) and nothing else. */
#ifndef COEXIST_MAIL_PRIV_H
#define COEXIST_MAIL_PRIV_H

#include <stddef.h>
#include <time.h>

struct arena;
struct db;

/* One queued message, as the delivery loop reads it. */
struct mail_msg {
	long id;
	char *to;
	char *subject;
	char *body;
	time_t created_at; /* the Date: of the message, the same on every try */
	int attempts;      /* tries so far */
};

#define MAIL_MAX_ATTEMPTS 10 /* a message is given up after this many failed tries */

/* Reads up to max messages due at now (not sent, next try reached, fewer than
 * MAIL_MAX_ATTEMPTS tries), oldest first, into out (allocated from a). Returns how many, or -1
 * on a database error. */
int mail_store_select_due(struct db *db, time_t now, int max, struct arena *a,
			  struct mail_msg *out);
/* Takes message id for one delivery: pushes its next try to until, provided it is still due at
 * now, so that another process delivering the same outbox skips it. Returns 1 when taken, 0
 * when someone else took or sent it meanwhile, -1 on a database error. */
int mail_store_claim(struct db *db, long id, time_t now, time_t until);
/* Records a delivery at now. Returns 0, or -1 on a database error. */
int mail_store_mark_sent(struct db *db, long id, time_t now);
/* Records a failed try: one more attempt, the next one at next_try_at, and why (kept short).
 * Returns 0, or -1 on a database error. */
int mail_store_mark_failed(struct db *db, long id, time_t next_try_at, const char *error);

#endif
