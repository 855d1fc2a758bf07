/* mail.c - the outbox's delivery: message format (RFC 5322, MIME quoted-printable), the file
 * and SMTP transports, retries with backoff, and the worker thread that runs them. */
#include "mail.h"
#include "mail_priv.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "config.h"
#include "db/db.h"

enum {
	LINE_MAX_CHARS = 76, /* RFC 2045 limit for encoded lines; headers are folded to it too */
	WORD_BYTES = 39,     /* text bytes per RFC 2047 encoded-word: 12 + 52 = 64 characters */
	BATCH = 50,          /* messages read from the outbox at a time */
	CLAIM_SECONDS = 300, /* how long a message being delivered is hidden from other workers */
	SMTP_TIMEOUT = 30,   /* seconds for one SMTP delivery, connection included */
	WAKE_SECONDS = 5,    /* the worker looks at the outbox at least this often */
};

/* --- message format --- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void
base64(struct buf *out, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		buf_putc(out, b64[(v >> 18) & 63]);
		buf_putc(out, b64[(v >> 12) & 63]);
		buf_putc(out, (char)(i + 1 < n ? b64[(v >> 6) & 63] : '='));
		buf_putc(out, (char)(i + 2 < n ? b64[v & 63] : '='));
	}
}

/* A header being written, folded before a token that would pass LINE_MAX_CHARS. */
struct hdr {
	struct buf *out;
	size_t col;   /* characters on the current line */
	size_t start; /* length of "Name:" (no folding before the first token) */
};

static void
hdr_begin(struct hdr *h, struct buf *out, const char *name)
{
	h->out = out;
	buf_printf(out, "%s:", name);
	h->col = h->start = strlen(name) + 1;
}

/* Adds " token", first folding the line (CRLF, then the space starts the next line) when the
 * token would not fit. Unfolding gives back exactly the text with its single space. */
static void
hdr_token(struct hdr *h, const char *s, size_t n)
{
	if (h->col > h->start && h->col + 1 + n > LINE_MAX_CHARS) {
		buf_puts(h->out, "\r\n");
		h->col = 0;
	}
	buf_putc(h->out, ' ');
	buf_add(h->out, s, n);
	h->col += 1 + n;
}

static void
hdr_end(struct hdr *h)
{
	buf_puts(h->out, "\r\n");
}

/* Adds s as RFC 2047 encoded-words ("=?UTF-8?B?...?="), each holding whole UTF-8 characters. */
static void
hdr_encoded(struct hdr *h, const char *s, size_t n)
{
	struct buf w;
	buf_init(&w, NULL);
	while (n > 0) {
		size_t k = n < WORD_BYTES ? n : WORD_BYTES;
		while (k < n && k > 1 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--; /* do not cut a character in two */
		buf_reset(&w);
		buf_puts(&w, "=?UTF-8?B?");
		base64(&w, (const unsigned char *)s, k);
		buf_puts(&w, "?=");
		hdr_token(h, w.data, w.len);
		s += k;
		n -= k;
	}
	buf_free(&w);
}

/* True when s can go as it is into an unstructured header: ASCII only, nothing a reader would
 * take for an encoded-word, and no word too long to fold. */
static bool
plain_ascii(const char *s, size_t n)
{
	size_t word = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x7F || c < 0x20)
			return false;
		if (c == '=' && i + 1 < n && s[i + 1] == '?')
			return false;
		word = c == ' ' ? 0 : word + 1;
		if (word > 60)
			return false;
	}
	return true;
}

/* Adds unstructured text (Subject, a display name): folded at its spaces when plain ASCII,
 * encoded-words otherwise. */
static void
hdr_text(struct hdr *h, const char *s, size_t n)
{
	if (!plain_ascii(s, n)) {
		hdr_encoded(h, s, n);
		return;
	}
	/* Each space becomes a token boundary, so runs of spaces survive folding. */
	size_t i = 0;
	for (;;) {
		size_t j = i;
		while (j < n && s[j] != ' ')
			j++;
		hdr_token(h, s + i, j - i);
		if (j >= n)
			break;
		i = j + 1;
	}
}

/* A copy of a header value with control characters (CR and LF above all) made spaces: values
 * come from the outbox, checked when queued, and from the configuration, which is not. */
static char *
header_value(struct arena *a, const char *s)
{
	char *v = arena_strdup(a, s ? s : "");
	for (char *p = v; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			*p = ' ';
	return v;
}

static bool
is_atext_phrase(const char *s)
{
	for (; *s; s++)
		if (!(((unsigned char)*s >= 'A' && (unsigned char)*s <= 'Z') ||
		      ((unsigned char)*s >= 'a' && (unsigned char)*s <= 'z') ||
		      ((unsigned char)*s >= '0' && (unsigned char)*s <= '9') ||
		      strchr(" !#$%&'*+-/=?^_`{|}~", *s) != NULL))
			return false;
	return true;
}

/* From: "Name <address>" or "address"; a display name with other characters than letters,
 * digits and the few allowed signs is quoted, and encoded when it is not ASCII. */
static void
hdr_mailbox(struct hdr *h, struct arena *a, const char *from)
{
	char *v = header_value(a, from);
	char *lt = strrchr(v, '<');
	if (lt == NULL) {
		while (*v == ' ')
			v++;
		hdr_token(h, v, strcspn(v, " "));
		return;
	}
	char *name = v, *end = lt;
	while (*name == ' ')
		name++;
	while (end > name && end[-1] == ' ')
		end--;
	*end = '\0';
	if (*name != '\0') {
		size_t n = strlen(name);
		if (!plain_ascii(name, n)) {
			hdr_encoded(h, name, n);
		} else if (is_atext_phrase(name)) {
			hdr_text(h, name, n);
		} else {
			struct buf q;
			buf_init(&q, a);
			buf_putc(&q, '"');
			for (size_t i = 0; i < n; i++) {
				if (name[i] == '"' || name[i] == '\\')
					buf_putc(&q, '\\');
				buf_putc(&q, name[i]);
			}
			buf_putc(&q, '"');
			hdr_token(h, q.data, q.len);
		}
	}
	char *gt = strchr(lt, '>');
	hdr_token(h, lt, gt ? (size_t)(gt - lt) + 1 : strlen(lt));
}

/* Quoted-printable (RFC 2045 6.7) with CRLF line ends. Beyond the rules, a line (after a hard or
 * a soft break) never starts with "." or "From ", so that no SMTP server or mbox file along the
 * way needs to alter it; a lone CR is encoded. Without a final newline, the body ends with a
 * soft break: the message still ends in CRLF and the text decodes back exactly. */
static void
qp_body(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s), i = 0;
	while (i < n) {
		size_t e = i;
		while (e < n && s[e] != '\n' && !(s[e] == '\r' && e + 1 < n && s[e + 1] == '\n'))
			e++;
		size_t col = 0;
		for (size_t k = i; k < e; k++) {
			unsigned char c = (unsigned char)s[k];
			bool last = k + 1 == e;
			for (;;) {
				bool encode = !((c >= 33 && c <= 126 && c != '=') ||
						((c == ' ' || c == '\t') && !last));
				if (col == 0 && (c == '.' || (c == 'F' && e - k >= 5 &&
							      memcmp(s + k, "From ", 5) == 0)))
					encode = true;
				size_t w = encode ? 3 : 1;
				/* Up to 75 characters and a soft break "=", or 76 on the line's
				 * end. */
				if (col + w > LINE_MAX_CHARS - 1 &&
				    !(last && col + w <= LINE_MAX_CHARS)) {
					buf_puts(out, "=\r\n");
					col = 0;
					continue; /* c now starts a line: its rules may change */
				}
				if (encode) {
					buf_putc(out, '=');
					buf_putc(out, hex[c >> 4]);
					buf_putc(out, hex[c & 15]);
				} else {
					buf_putc(out, (char)c);
				}
				col += w;
				break;
			}
		}
		if (e == n) {
			buf_puts(out, "=\r\n"); /* no newline at the end of the text */
			break;
		}
		buf_puts(out, "\r\n");
		i = e + (s[e] == '\r' ? 2 : 1);
	}
}

void
mail_format(struct buf *out, const char *from, const char *to, const char *subject,
	    const char *body, long id, time_t date)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	struct arena a;
	arena_init(&a, 4096);
	struct hdr h;

	hdr_begin(&h, out, "From");
	hdr_mailbox(&h, &a, from);
	hdr_end(&h);

	char *v = header_value(&a, to);
	hdr_begin(&h, out, "To");
	hdr_token(&h, v, strlen(v));
	hdr_end(&h);

	v = header_value(&a, subject);
	hdr_begin(&h, out, "Subject");
	hdr_text(&h, v, strlen(v));
	hdr_end(&h);

	/* Written by hand: strftime's names follow the locale, RFC 5322's are English. */
	struct tm tm;
	gmtime_r(&date, &tm);
	buf_printf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n", days[tm.tm_wday],
		   tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		   tm.tm_sec);
	buf_printf(out, "Message-ID: <%ld.%lld@coexist>\r\n", id, (long long)date);
	buf_puts(out, "MIME-Version: 1.0\r\n"
		      "Content-Type: text/plain; charset=utf-8\r\n"
		      "Content-Transfer-Encoding: quoted-printable\r\n"
		      "\r\n");
	qp_body(out, body ? body : "");
	arena_free(&a);
}

/* --- transports --- */

/* Creates dir and its missing parents (mode 0750: mail holds personal data). 0, or -1 with
 * errno. */
static int
make_dirs(const char *dir)
{
	char path[PATH_MAX];
	if (snprintf(path, sizeof(path), "%s", dir) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0750) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(path, 0750) != 0 && errno != EEXIST)
		return -1;
	struct stat st;
	if (stat(path, &st) != 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

/* Writes <mail_dir>/<id>-<now>.eml whole or not at all: a hidden temporary file in the same
 * folder, flushed to disk, then renamed over the final name. */
static int
file_send(const struct config *c, long id, const struct buf *msg, time_t now, char *err,
	  size_t errlen)
{
	const char *dir = c->mail_dir[0] ? c->mail_dir : ".";
	if (make_dirs(dir) != 0) {
		snprintf(err, errlen, "mail folder %.150s: %s", dir, strerror(errno));
		return -1;
	}
	char path[PATH_MAX], tmp[PATH_MAX];
	if (snprintf(path, sizeof(path), "%s/%ld-%lld.eml", dir, id, (long long)now) >=
		    (int)sizeof(path) ||
	    snprintf(tmp, sizeof(tmp), "%s/.%ld-%lld.eml.%ld.tmp", dir, id, (long long)now,
		     (long)getpid()) >= (int)sizeof(tmp)) {
		snprintf(err, errlen, "mail folder %.150s: name too long", dir);
		return -1;
	}
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0640);
	if (fd < 0) {
		snprintf(err, errlen, "%.150s: %s", tmp, strerror(errno));
		return -1;
	}
	const char *p = msg->data;
	size_t left = msg->len;
	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		p += w;
		left -= (size_t)w;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	/* The rename itself reaches the disk with the folder. */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
fail:;
	int e = errno ? errno : EIO;
	snprintf(err, errlen, "%.150s: %s", path, strerror(e));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void
curl_start(void)
{
	/* Once per process, before any handle: the global init is not safe to race. */
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		log_error("mail: libcurl could not be initialised");
}

struct upload {
	const char *p;
	size_t left;
};

static size_t
upload_read(char *dst, size_t size, size_t nitems, void *userdata)
{
	struct upload *u = userdata;
	size_t n = size * nitems;
	if (n > u->left)
		n = u->left;
	memcpy(dst, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

/* The address part of "Name <address>", or the whole trimmed text. */
static void
address_of(const char *from, char *out, size_t outlen)
{
	const char *lt = strrchr(from, '<');
	const char *gt = lt ? strchr(lt, '>') : NULL;
	if (lt && gt) {
		snprintf(out, outlen, "%.*s", (int)(gt - lt - 1), lt + 1);
		return;
	}
	while (*from == ' ')
		from++;
	snprintf(out, outlen, "%.*s", (int)strcspn(from, " "), from);
}

/* Sends one message with libcurl to c->smtp_url. The session must be encrypted (STARTTLS on
 * smtp://, TLS from the start on smtps://): a password and personal data never travel in clear. */
static int
smtp_send(const struct config *c, const char *to, const struct buf *msg, char *err, size_t errlen)
{
	if (c->smtp_url[0] == '\0') {
		snprintf(err, errlen, "mail.smtp_url is not set");
		return -1;
	}
	pthread_once(&curl_once, curl_start);
	CURL *h = curl_easy_init();
	if (h == NULL) {
		snprintf(err, errlen, "libcurl: cannot create a handle");
		return -1;
	}
	char addr[300], from[304], rcpt[304], curl_err[CURL_ERROR_SIZE] = "";
	address_of(c->mail_from, addr, sizeof(addr));
	snprintf(from, sizeof(from), "<%s>", addr);
	snprintf(rcpt, sizeof(rcpt), "<%s>", to);
	struct curl_slist *rcpts = curl_slist_append(NULL, rcpt);
	if (rcpts == NULL)
		die("mail: out of memory");
	struct upload u = {msg->data, msg->len};

	curl_easy_setopt(h, CURLOPT_URL, c->smtp_url);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
	curl_easy_setopt(h, CURLOPT_PROTOCOLS, (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
	curl_easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	/* A proxy from the environment (all_proxy) is not for mail: connect directly. */
	curl_easy_setopt(h, CURLOPT_PROXY, "");
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); /* no SIGALRM in a threaded program */
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)SMTP_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)SMTP_TIMEOUT);
	if (c->smtp_user[0])
		curl_easy_setopt(h, CURLOPT_USERNAME, c->smtp_user);
	if (c->smtp_password[0])
		curl_easy_setopt(h, CURLOPT_PASSWORD, c->smtp_password);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpts);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)msg->len);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, upload_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &u);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);

	CURLcode rc = curl_easy_perform(h);
	curl_slist_free_all(rcpts);
	curl_easy_cleanup(h);
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "smtp: %.200s",
			 curl_err[0] ? curl_err : curl_easy_strerror(rc));
		return -1;
	}
	return 0;
}

/* --- delivery --- */

/* Delay before the next try after the tries-th failure: 1 min, 2, 4, ... at most 1 h. */
static time_t
backoff(int tries)
{
	time_t d = 60;
	for (int i = 1; i < tries && d < 3600; i++)
		d *= 2;
	return d < 3600 ? d : 3600;
}

int
mail_deliver_due(struct db *db, const struct config *c, int max, time_t now)
{
	if (max <= 0)
		return 0;
	if (max > 1000)
		max = 1000;
	struct arena a;
	arena_init(&a, 16384);
	struct mail_msg *msgs = arena_alloc(&a, sizeof(*msgs) * (size_t)max);
	int n = mail_store_select_due(db, now, max, &a, msgs);
	if (n < 0) {
		arena_free(&a);
		return -1;
	}
	struct buf msg;
	buf_init(&msg, NULL);
	int sent = 0, rc = 0;
	for (int i = 0; i < n; i++) {
		const struct mail_msg *m = &msgs[i];
		int took = mail_store_claim(db, m->id, now, now + CLAIM_SECONDS);
		if (took < 0) {
			rc = -1;
			break;
		}
		if (took == 0)
			continue; /* another process has it */
		buf_reset(&msg);
		/* The Date (and so the Message-ID) is the queueing time: the same on every try. */
		mail_format(&msg, c->mail_from, m->to, m->subject, m->body, m->id, m->created_at);
		char err[256] = "";
		int ok;
		if (strcmp(c->mail_transport, "smtp") == 0)
			ok = smtp_send(c, m->to, &msg, err, sizeof(err));
		else if (strcmp(c->mail_transport, "file") == 0)
			ok = file_send(c, m->id, &msg, now, err, sizeof(err));
		else
			ok = (snprintf(err, sizeof(err), "unknown mail.transport"), -1);
		if (ok == 0) {
			if (mail_store_mark_sent(db, m->id, now) != 0) {
				/* Delivered, but the outbox still says due: sent again later. */
				log_error("mail %ld: delivered but not recorded as sent", m->id);
				rc = -1;
				break;
			}
			log_info("mail %ld: delivered (%s)", m->id, c->mail_transport);
			sent++;
			continue;
		}
		int tries = m->attempts + 1;
		time_t next = now + backoff(tries);
		if (mail_store_mark_failed(db, m->id, next, err) != 0) {
			rc = -1;
			break;
		}
		/* The message id, never the address: logs hold no personal data. */
		if (tries >= MAIL_MAX_ATTEMPTS)
			log_error("mail %ld: given up after %d tries: %s", m->id, tries, err);
		else
			log_warn("mail %ld: try %d failed, next in %lld s: %s", m->id, tries,
				 (long long)(next - now), err);
	}
	buf_free(&msg);
	arena_free(&a);
	return rc < 0 ? -1 : sent;
}

/* --- worker --- */

struct mail_worker {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond; /* signalled by mail_worker_wake and mail_worker_stop */
	bool woken;
	bool stopping;
	struct db *db;        /* the worker's own connection */
	struct config config; /* a copy: the caller's may go away */
};

/* Delivers everything due now, batch after batch while batches come back full. */
static void
deliver_all(struct mail_worker *w)
{
	for (int round = 0; round < 20; round++)
		if (mail_deliver_due(w->db, &w->config, BATCH, time(NULL)) < BATCH)
			break;
}

static void *
worker_run(void *arg)
{
	struct mail_worker *w = arg;
	pthread_mutex_lock(&w->lock);
	while (!w->stopping) {
		w->woken = false;
		pthread_mutex_unlock(&w->lock);
		deliver_all(w);
		pthread_mutex_lock(&w->lock);
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += WAKE_SECONDS;
		while (!w->woken && !w->stopping)
			if (pthread_cond_timedwait(&w->cond, &w->lock, &until) == ETIMEDOUT)
				break;
	}
	pthread_mutex_unlock(&w->lock);
	deliver_all(w); /* one last time, for what was queued just before the stop */
	return NULL;
}

struct mail_worker *
mail_worker_start(const struct config *c, char *err, size_t errlen)
{
	struct mail_worker *w = calloc(1, sizeof(*w));
	if (w == NULL)
		die("mail: out of memory");
	w->config = *c;
	w->db = db_open(c->db, (int)c->busy_timeout_ms, err, errlen);
	if (w->db == NULL) {
		free(w);
		return NULL;
	}
	if (strcmp(c->mail_transport, "smtp") == 0)
		pthread_once(&curl_once, curl_start); /* before any thread may use libcurl */
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&w->cond, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&w->lock, NULL);
	/* Signals stay with the threads that handle them: the worker starts with all blocked. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int rc = pthread_create(&w->thread, NULL, worker_run, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "mail worker: %s", strerror(rc));
		pthread_cond_destroy(&w->cond);
		pthread_mutex_destroy(&w->lock);
		db_close(w->db);
		free(w);
		return NULL;
	}
	return w;
}

void
mail_worker_wake(struct mail_worker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->woken = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void
mail_worker_stop(struct mail_worker *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	db_close(w->db);
	free(w);
}
