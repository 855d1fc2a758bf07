/* mail.h - the outbox: messages queued with the change that causes them, delivered by a worker
 * thread through a file transport (.eml files, the default) or SMTP (libcurl). */
#ifndef COEXIST_MAIL_H
#define COEXIST_MAIL_H

#include <stddef.h>
#include <time.h>

struct buf;
struct config;
struct db;
struct mail_worker;

/* Queues a plain-text UTF-8 message for to (one address). to and subject must be one line of
 * valid UTF-8 without control characters (refused otherwise: no header injection). Call it inside
 * the transaction of the change that causes the message. Returns the message id, or -1. */
long mail_store_queue(struct db *db, const char *to, const char *subject, const char *body);
/* Writes an RFC 5322 message: From, To, Subject (RFC 2047 encoded when not ASCII), Date,
 * Message-ID, MIME-Version, Content-Type text/plain; charset=utf-8, Content-Transfer-Encoding
 * quoted-printable, then the body with CRLF line ends. */
void mail_format(struct buf *out, const char *from, const char *to, const char *subject,
		 const char *body, long id, time_t date);
/* Delivers up to max messages that are due, with the configured transport. A failed message is
 * retried later with a growing delay (1 min, 2, 4, ... capped at 1 h; given up after 10 tries,
 * logged). Returns the number delivered, or -1 on a database error. */
int mail_deliver_due(struct db *db, const struct config *c, int max, time_t now);
/* Starts the delivery thread with its own database connection: it delivers what is due every
 * few seconds and when woken. NULL with err on failure. */
struct mail_worker *mail_worker_start(const struct config *c, char *err, size_t errlen);
/* Asks the worker to look at the outbox now (after queueing a message). */
void mail_worker_wake(struct mail_worker *w);
/* Delivers what is due one last time, stops the thread and closes its connection. */
void mail_worker_stop(struct mail_worker *w);

#endif
