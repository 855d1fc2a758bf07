/* test_mail.c - the outbox: refusing header injection, the message format (RFC 2047 subject,
 * quoted-printable body), the file transport, retries with backoff, SMTP failure, the worker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/log.h"
#include "config.h"
#include "cases/search.h"
#include "db/db.h"
#include "db_query.h"
#include "db/migrate.h"
#include "mail/mail.h"

static const char subject_fr[] = "Confirmez votre adresse — COEXIST";

static struct db *
open_migrated(const char *path)
{
	char err[256];
	search_init(); /* the migrations make the search index, with its tokenizer */
	struct db *db = db_open(path, 5000, err, sizeof(err));
	assert_non_null(db);
	assert_true(migrate_apply(db, db_migrations, db_migrations_count, err, sizeof(err)) >= 0);
	return db;
}

static long long
num(struct db *db, const char *sql, long id)
{
	return query_int_arg(db, sql, id);
}

static int
outbox_rows(struct db *db)
{
	return (int)num(db, "SELECT count(*) FROM outbox WHERE ?1 IS NOT NULL", 0);
}

/* --- decoders, written here independently of mail.c --- */

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Quoted-printable to text with LF line ends; fails the test on malformed input. */
static char *
qp_decode(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	assert_non_null(out);
	while (*s) {
		if (s[0] == '=' && s[1] == '\r' && s[2] == '\n') {
			s += 3;
		} else if (s[0] == '=') {
			int hi = hexval(s[1]), lo = hi < 0 ? -1 : hexval(s[2]);
			assert_true(hi >= 0 && lo >= 0);
			*o++ = (char)(hi * 16 + lo);
			s += 3;
		} else if (s[0] == '\r' && s[1] == '\n') {
			*o++ = '\n';
			s += 2;
		} else {
			assert_true(*s != '\r' && *s != '\n'); /* no bare CR or LF */
			*o++ = *s++;
		}
	}
	*o = '\0';
	return out;
}

static int
b64val(char c)
{
	const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = strchr(t, c);
	return c && p ? (int)(p - t) : -1;
}

/* Appends the base64 text s[0..n) decoded to out. */
static void
b64_decode(struct buf *out, const char *s, size_t n)
{
	assert_int_equal(n % 4, 0);
	for (size_t i = 0; i < n; i += 4) {
		int v[4];
		for (int k = 0; k < 4; k++)
			v[k] = s[i + k] == '=' ? 0 : b64val(s[i + k]);
		for (int k = 0; k < 4; k++)
			assert_true(v[k] >= 0);
		unsigned x = (unsigned)(v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]);
		buf_putc(out, (char)(x >> 16));
		if (s[i + 2] != '=')
			buf_putc(out, (char)(x >> 8 & 255));
		if (s[i + 3] != '=')
			buf_putc(out, (char)(x & 255));
	}
}

/* The unfolded value of header name in message m (heap string). */
static char *
header(const char *m, const char *name)
{
	size_t nl = strlen(name);
	const char *p = m;
	for (;;) {
		if (strncmp(p, "\r\n", 2) == 0)
			return NULL; /* end of the headers */
		if (strncmp(p, name, nl) == 0 && p[nl] == ':')
			break;
		p = strstr(p, "\r\n");
		assert_non_null(p);
		p += 2;
	}
	p += nl + 1;
	while (*p == ' ')
		p++;
	struct buf b;
	buf_init(&b, NULL);
	for (;;) {
		const char *e = strstr(p, "\r\n");
		assert_non_null(e);
		buf_add(&b, p, (size_t)(e - p));
		p = e + 2;
		if (*p != ' ' && *p != '\t')
			break; /* unfolding: CRLF followed by a blank continues the header */
	}
	char *v = strdup(buf_str(&b));
	buf_free(&b);
	return v;
}

/* Decodes a header value made of RFC 2047 "=?UTF-8?B?...?=" words separated by blanks (which
 * do not count between encoded-words), or returns it as it is when it has none. */
static char *
decode_words(const char *v)
{
	if (strncmp(v, "=?", 2) != 0)
		return strdup(v);
	struct buf b;
	buf_init(&b, NULL);
	const char *p = v;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		assert_true(strncmp(p, "=?UTF-8?B?", 10) == 0);
		p += 10;
		const char *e = strstr(p, "?=");
		assert_non_null(e);
		assert_true(e - p + 12 <= 75); /* an encoded-word is at most 75 characters */
		b64_decode(&b, p, (size_t)(e - p));
		p = e + 2;
	}
	char *s = strdup(buf_str(&b));
	buf_free(&b);
	return s;
}

/* Every line of the headers is at most 76 characters and ends with CRLF. */
static void
assert_header_lines_short(const char *m)
{
	const char *end = strstr(m, "\r\n\r\n");
	assert_non_null(end);
	for (const char *p = m; p <= end;) {
		const char *e = strstr(p, "\r\n");
		assert_true(e - p <= 76);
		assert_null(memchr(p, '\n', (size_t)(e - p)));
		p = e + 2;
	}
}

static const char *
body_of(const char *m)
{
	const char *b = strstr(m, "\r\n\r\n");
	assert_non_null(b);
	return b + 4;
}

static char *
decoded_subject(const char *m)
{
	char *v = header(m, "Subject");
	assert_non_null(v);
	char *s = decode_words(v);
	free(v);
	return s;
}

/* --- temporary folders --- */

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st, (void)flag, (void)f;
	return remove(path);
}

static void
rm_tree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* Number of entries of dir ending in .eml; the name of the last one into name. */
static int
eml_files(const char *dir, char *name, size_t namelen, int *others)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return 0;
	int n = 0;
	if (others)
		*others = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (l > 4 && strcmp(e->d_name + l - 4, ".eml") == 0 && e->d_name[0] != '.') {
			n++;
			if (name)
				snprintf(name, namelen, "%s", e->d_name);
		} else if (others) {
			(*others)++;
		}
	}
	closedir(d);
	return n;
}

static char *
read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct buf b;
	buf_init(&b, NULL);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	char *s = strdup(buf_str(&b));
	buf_free(&b);
	return s;
}

/* --- tests --- */

static void
queue_refuses_header_injection_and_bad_text(void **state)
{
	(void)state;
	struct db *db = open_migrated(":memory:");
	const char *ok_to = "marie@example.org";
	/* CR or LF would end the header and start another one (Bcc: to anyone). */
	assert_int_equal(mail_store_queue(db, "marie@example.org\r\nBcc: x@evil.test", "Hi", "b"),
			 -1);
	assert_int_equal(mail_store_queue(db, "marie@example.org\nBcc: x@evil.test", "Hi", "b"),
			 -1);
	assert_int_equal(mail_store_queue(db, ok_to, "Hi\r\nBcc: x@evil.test", "b"), -1);
	assert_int_equal(mail_store_queue(db, ok_to, "Hi\nBcc: x@evil.test", "b"), -1);
	assert_int_equal(mail_store_queue(db, ok_to, "Hi\rthere", "b"), -1);
	assert_int_equal(mail_store_queue(db, ok_to, "tab\there", "b"), -1);
	/* One recipient, a bare address. */
	assert_int_equal(mail_store_queue(db, "a@example.org, b@example.org", "Hi", "b"), -1);
	assert_int_equal(mail_store_queue(db, "Marie <marie@example.org>", "Hi", "b"), -1);
	assert_int_equal(mail_store_queue(db, "not-an-address", "Hi", "b"), -1);
	assert_int_equal(mail_store_queue(db, "", "Hi", "b"), -1);
	/* Bad UTF-8: a lone continuation byte, an overlong slash, a truncated sequence. */
	assert_int_equal(mail_store_queue(db, ok_to, "caf\xE9", "b"), -1);
	assert_int_equal(mail_store_queue(db, ok_to, "Hi", "\xC0\xAF"), -1);
	assert_int_equal(mail_store_queue(db, ok_to, "Hi", "fin \xE2\x82"), -1);
	assert_int_equal(mail_store_queue(db, ok_to, "", "b"), -1);
	assert_int_equal(outbox_rows(db), 0);

	long id = mail_store_queue(db, ok_to, subject_fr, "Bonjour,\n\nVoici le lien.\n");
	assert_true(id > 0);
	assert_int_equal(outbox_rows(db), 1);
	/* An address in UTF-8 (RFC 6531) is one address too. */
	assert_true(mail_store_queue(db, "josé@exemple.fr", "Hi", "b") > id);
	assert_int_equal(num(db, "SELECT attempts FROM outbox WHERE id = ?", id), 0);
	assert_int_equal(num(db, "SELECT unixepoch(sent_at) FROM outbox WHERE id = ?", id), -1);
	db_close(db);
}

static void
format_writes_headers_and_encodes_subject(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, NULL);
	mail_format(&b, "COEXIST <no-reply@coexist.invalid>", "marie@example.org", subject_fr,
		    "Bonjour\n", 42, 1700000000);
	const char *m = buf_str(&b);
	assert_true(strncmp(m, "From: COEXIST <no-reply@coexist.invalid>\r\n", 42) == 0);
	assert_non_null(strstr(m, "\r\nTo: marie@example.org\r\n"));
	assert_non_null(strstr(m, "\r\nDate: Tue, 14 Nov 2023 22:13:20 +0000\r\n"));
	assert_non_null(strstr(m, "\r\nMessage-ID: <42.1700000000@coexist>\r\n"));
	assert_non_null(strstr(m, "\r\nMIME-Version: 1.0\r\n"));
	assert_non_null(strstr(m, "\r\nContent-Type: text/plain; charset=utf-8\r\n"));
	assert_non_null(strstr(m, "\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"));
	assert_header_lines_short(m);
	/* The subject is not ASCII: encoded-words only, decoding to the very text. */
	assert_non_null(strstr(m, "\r\nSubject: =?UTF-8?B?"));
	char *s = decoded_subject(m);
	assert_string_equal(s, subject_fr);
	free(s);
	/* No raw byte above ASCII anywhere in the message. */
	for (const char *p = m; *p; p++)
		assert_true((unsigned char)*p < 0x80);

	/* A long French subject takes several encoded-words on folded lines of 76 at most. */
	const char *longer = "Votre réponse au questionnaire « Partenariats ONG–entreprises "
			     "pour l’accès à l’eau et à l’énergie » a bien été enregistrée";
	buf_reset(&b);
	mail_format(&b, "COEXIST <no-reply@coexist.invalid>", "marie@example.org", longer, "x", 7,
		    1700000000);
	m = buf_str(&b);
	assert_header_lines_short(m);
	char *raw = header(m, "Subject");
	assert_true(strlen(raw) > 76); /* it was folded */
	free(raw);
	s = decoded_subject(m);
	assert_string_equal(s, longer);
	free(s);

	/* Plain ASCII stays readable, folded at spaces when long; a display name that is not
	 * ASCII is encoded too. */
	const char *ascii = "Your answer to the survey on partnerships between NGOs and "
			    "companies has been saved, thank you";
	buf_reset(&b);
	mail_format(&b, "Équipe COEXIST <no-reply@coexist.invalid>", "a@example.org", ascii, "x", 8,
		    1700000000);
	m = buf_str(&b);
	assert_header_lines_short(m);
	s = header(m, "Subject");
	assert_string_equal(s, ascii);
	free(s);
	s = header(m, "From");
	assert_non_null(strstr(s, "=?UTF-8?B?"));
	assert_non_null(strstr(s, "<no-reply@coexist.invalid>"));
	free(s);
	buf_free(&b);
}

static void
format_body_is_quoted_printable_that_decodes_back(void **state)
{
	(void)state;
	const char *body =
		"Bonjour Amélie,\n"
		"\n"
		"Merci d’avoir rejoint COEXIST. Pour confirmer votre adresse, ouvrez ce lien dans "
		"les "
		"48 heures : https://coexist.example.org/compte/confirmer?jeton=AbCdEf0123456789"
		"AbCdEf0123456789AbCdEf0123456789 — sinon, ignorez ce message, rien ne sera créé.\n"
		"From here on, a line that mbox would mangle.\n"
		".\n"
		"..deux points\n"
		"égal = signe, espace en fin   \n"
		"tab\tau milieu et en fin\t\n"
		"\xF0\x9F\x8C\x8D la Terre, ☀ l’énergie, 💧 l’eau — répétés : "
		"🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍🌍\n"
		"\n"
		"— L’équipe COEXIST\n";
	struct buf b;
	buf_init(&b, NULL);
	mail_format(&b, "COEXIST <no-reply@coexist.invalid>", "amelie@example.org", "Bienvenue",
		    body, 1, 1700000000);
	const char *qp = body_of(buf_str(&b));
	/* Lines of at most 76 characters, printable ASCII, none starting with "From " or ".". */
	for (const char *p = qp; *p;) {
		const char *e = strstr(p, "\r\n");
		assert_non_null(e);
		assert_true(e - p <= 76);
		for (const char *q = p; q < e; q++)
			assert_true((*q >= 0x20 && *q < 0x7F) || *q == '\t');
		assert_false(strncmp(p, "From ", 5) == 0);
		assert_false(*p == '.');
		assert_false(e > p && (e[-1] == ' ' || e[-1] == '\t'));
		p = e + 2;
	}
	char *back = qp_decode(qp);
	assert_string_equal(back, body);
	free(back);

	/* Without a final newline the text still decodes exactly, and the message ends in CRLF. */
	buf_reset(&b);
	mail_format(&b, "COEXIST <no-reply@coexist.invalid>", "a@example.org", "x",
		    "dernière ligne sans fin", 2, 1700000000);
	qp = body_of(buf_str(&b));
	assert_true(b.len >= 2 && strcmp(b.data + b.len - 2, "\r\n") == 0);
	back = qp_decode(qp);
	assert_string_equal(back, "dernière ligne sans fin");
	free(back);
	/* CRLF in the text is one line end, like LF. */
	buf_reset(&b);
	mail_format(&b, "COEXIST <no-reply@coexist.invalid>", "a@example.org", "x", "un\r\ndeux\n",
		    3, 1700000000);
	back = qp_decode(body_of(buf_str(&b)));
	assert_string_equal(back, "un\ndeux\n");
	free(back);
	buf_free(&b);
}

static void
file_transport_writes_one_eml_per_message(void **state)
{
	(void)state;
	char dir[] = "/tmp/coexist-mail-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct config c;
	config_defaults(&c);
	snprintf(c.mail_transport, sizeof(c.mail_transport), "file");
	snprintf(c.mail_dir, sizeof(c.mail_dir), "%s/outbox/new", dir); /* made on first use */
	struct db *db = open_migrated(":memory:");
	long a = mail_store_queue(db, "marie@example.org", subject_fr, "Premier message\n");
	long b = mail_store_queue(db, "paul@example.org", "Second", "Deuxième message\n");
	assert_true(a > 0 && b > a);

	time_t now = time(NULL);
	assert_int_equal(mail_deliver_due(db, &c, 10, now), 2);
	int others = -1;
	assert_int_equal(eml_files(c.mail_dir, NULL, 0, &others), 2);
	assert_int_equal(others, 0); /* no temporary file left behind */
	struct stat st;
	assert_int_equal(stat(c.mail_dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0750);

	char path[2200];
	snprintf(path, sizeof(path), "%s/%ld-%lld.eml", c.mail_dir, a, (long long)now);
	char *m = read_all(path);
	char *to = header(m, "To");
	assert_string_equal(to, "marie@example.org");
	free(to);
	char *s = decoded_subject(m);
	assert_string_equal(s, subject_fr);
	free(s);
	char *text = qp_decode(body_of(m));
	assert_string_equal(text, "Premier message\n");
	free(text);
	free(m);
	snprintf(path, sizeof(path), "%s/%ld-%lld.eml", c.mail_dir, b, (long long)now);
	m = read_all(path);
	text = qp_decode(body_of(m));
	assert_string_equal(text, "Deuxième message\n");
	free(text);
	free(m);

	assert_int_equal(num(db, "SELECT unixepoch(sent_at) FROM outbox WHERE id = ?", a), now);
	assert_int_equal(num(db, "SELECT unixepoch(sent_at) FROM outbox WHERE id = ?", b), now);
	/* Sent is sent: nothing goes out twice. */
	assert_int_equal(mail_deliver_due(db, &c, 10, now + 3600), 0);
	assert_int_equal(eml_files(c.mail_dir, NULL, 0, NULL), 2);
	db_close(db);
	rm_tree(dir);
}

static void
failed_delivery_is_retried_later_then_given_up(void **state)
{
	(void)state;
	char dir[] = "/tmp/coexist-mail-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char file[256];
	snprintf(file, sizeof(file), "%s/plain-file", dir);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fclose(f);
	struct config c;
	config_defaults(&c);
	snprintf(c.mail_transport, sizeof(c.mail_transport), "file");
	snprintf(c.mail_dir, sizeof(c.mail_dir), "%s/mail", file); /* mkdir cannot succeed */
	struct db *db = open_migrated(":memory:");
	long id = mail_store_queue(db, "marie@example.org", "Hi", "body\n");
	assert_true(id > 0);

	time_t now = time(NULL);
	assert_int_equal(mail_deliver_due(db, &c, 10, now), 0);
	assert_int_equal(num(db, "SELECT attempts FROM outbox WHERE id = ?", id), 1);
	assert_int_equal(num(db, "SELECT unixepoch(sent_at) FROM outbox WHERE id = ?", id), -1);
	long long next = num(db, "SELECT unixepoch(next_try_at) FROM outbox WHERE id = ?", id);
	assert_int_equal(next, now + 60);
	assert_int_equal(num(db,
			     "SELECT last_error IS NOT NULL AND last_error <> ''"
			     " FROM outbox WHERE id = ?",
			     id),
			 1);
	/* Not due yet: not tried. */
	assert_int_equal(mail_deliver_due(db, &c, 10, now + 30), 0);
	assert_int_equal(num(db, "SELECT attempts FROM outbox WHERE id = ?", id), 1);
	/* Due: tried again, and the delay doubles. */
	assert_int_equal(mail_deliver_due(db, &c, 10, (time_t)next), 0);
	assert_int_equal(num(db, "SELECT attempts FROM outbox WHERE id = ?", id), 2);
	assert_int_equal(num(db, "SELECT unixepoch(next_try_at) FROM outbox WHERE id = ?", id),
			 next + 120);

	/* Once the folder can be made, the next due try delivers it. */
	long id2 = mail_store_queue(db, "paul@example.org", "Hi", "body\n");
	snprintf(c.mail_dir, sizeof(c.mail_dir), "%s/mail", dir);
	next = num(db, "SELECT unixepoch(next_try_at) FROM outbox WHERE id = ?", id);
	assert_int_equal(mail_deliver_due(db, &c, 10, (time_t)next), 2);
	assert_int_equal(num(db, "SELECT unixepoch(sent_at) FROM outbox WHERE id = ?", id), next);
	assert_int_equal(num(db, "SELECT last_error FROM outbox WHERE id = ?", id), -1);
	(void)id2;

	/* A message that never goes through is tried 10 times, then left alone. */
	snprintf(c.mail_dir, sizeof(c.mail_dir), "%s/mail", file);
	long id3 = mail_store_queue(db, "nobody@example.org", "Hi", "body\n");
	time_t t = now;
	for (int i = 1; i <= 10; i++) {
		assert_int_equal(mail_deliver_due(db, &c, 10, t), 0);
		assert_int_equal(num(db, "SELECT attempts FROM outbox WHERE id = ?", id3), i);
		long long n =
			num(db, "SELECT unixepoch(next_try_at) FROM outbox WHERE id = ?", id3);
		long long delay = i <= 6 ? 60LL << (i - 1) : 3600;
		assert_int_equal(n - t, delay); /* 1 min, 2, 4, ... capped at 1 h */
		t = (time_t)n;
	}
	assert_int_equal(mail_deliver_due(db, &c, 10, t + 86400 * 30), 0);
	assert_int_equal(num(db, "SELECT attempts FROM outbox WHERE id = ?", id3), 10);
	db_close(db);
	rm_tree(dir);
}

static void
smtp_failure_is_recorded(void **state)
{
	(void)state;
	struct config c;
	config_defaults(&c);
	snprintf(c.mail_transport, sizeof(c.mail_transport), "smtp");
	/* Port 1 on loopback: closed, the connection is refused at once; nothing leaves. */
	snprintf(c.smtp_url, sizeof(c.smtp_url), "smtp://127.0.0.1:1");
	struct db *db = open_migrated(":memory:");
	long id = mail_store_queue(db, "marie@example.org", subject_fr, "Bonjour\n");
	time_t now = time(NULL);
	assert_int_equal(mail_deliver_due(db, &c, 10, now), 0);
	assert_int_equal(num(db, "SELECT attempts FROM outbox WHERE id = ?", id), 1);
	assert_int_equal(num(db, "SELECT unixepoch(next_try_at) FROM outbox WHERE id = ?", id),
			 now + 60);
	assert_int_equal(num(db, "SELECT unixepoch(sent_at) FROM outbox WHERE id = ?", id), -1);
	assert_int_equal(num(db, "SELECT last_error LIKE 'smtp:%' FROM outbox WHERE id = ?", id),
			 1);
	/* Retried once due. */
	assert_int_equal(mail_deliver_due(db, &c, 10, now + 60), 0);
	assert_int_equal(num(db, "SELECT attempts FROM outbox WHERE id = ?", id), 2);
	db_close(db);
}

static void
worker_delivers_when_woken_and_on_stop(void **state)
{
	(void)state;
	char dir[] = "/tmp/coexist-mail-XXXXXX";
	assert_non_null(mkdtemp(dir));
	struct config c;
	config_defaults(&c);
	snprintf(c.db, sizeof(c.db), "%s/coexist.db", dir);
	snprintf(c.mail_transport, sizeof(c.mail_transport), "file");
	snprintf(c.mail_dir, sizeof(c.mail_dir), "%s/mail", dir);
	struct db *db = open_migrated(c.db);

	char err[256];
	struct mail_worker *w = mail_worker_start(&c, err, sizeof(err));
	assert_non_null(w);
	long id = mail_store_queue(db, "marie@example.org", subject_fr, "Bonjour\n");
	assert_true(id > 0);
	mail_worker_wake(w);
	char name[256] = "";
	for (int i = 0; i < 500 && eml_files(c.mail_dir, name, sizeof(name), NULL) == 0; i++)
		usleep(10000);
	assert_int_equal(eml_files(c.mail_dir, name, sizeof(name), NULL), 1);
	char prefix[32];
	snprintf(prefix, sizeof(prefix), "%ld-", id);
	assert_true(strncmp(name, prefix, strlen(prefix)) == 0);

	/* Queued just before the stop, without a wake: delivered on the way out. */
	long id2 = mail_store_queue(db, "paul@example.org", "Au revoir", "Bye\n");
	mail_worker_stop(w);
	assert_int_equal(eml_files(c.mail_dir, NULL, 0, NULL), 2);
	assert_true(num(db, "SELECT unixepoch(sent_at) FROM outbox WHERE id = ?", id) > 0);
	assert_true(num(db, "SELECT unixepoch(sent_at) FROM outbox WHERE id = ?", id2) > 0);

	/* A database that cannot be opened: NULL with a reason. */
	snprintf(c.db, sizeof(c.db), "%s/no/such/folder/x.db", dir);
	err[0] = '\0';
	assert_null(mail_worker_start(&c, err, sizeof(err)));
	assert_true(err[0] != '\0');
	mail_worker_stop(NULL);
	db_close(db);
	rm_tree(dir);
}

int
main(void)
{
	log_set_level(LOG_ERROR); /* the retry tests log a warning on each failed try */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(queue_refuses_header_injection_and_bad_text),
		cmocka_unit_test(format_writes_headers_and_encodes_subject),
		cmocka_unit_test(format_body_is_quoted_printable_that_decodes_back),
		cmocka_unit_test(file_transport_writes_one_eml_per_message),
		cmocka_unit_test(failed_delivery_is_retried_later_then_given_up),
		cmocka_unit_test(smtp_failure_is_recorded),
		cmocka_unit_test(worker_delivers_when_woken_and_on_stop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
