/* password.c - password policy, the common-password list and argon2id hashing. */
#include "password.h"
#include "base/file.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/utf8.h"
#include "db/db.h"

/*
 * Argon2id with libsodium's "interactive" limits: 2 passes over 64 MiB. That is the cost
 * libsodium recommends for on-line sign-in, and what OWASP's argon2id guidance allows for
 * (>= 19 MiB, >= 2 passes). Measured on this 2-core AMD EPYC (libsodium 1.0.18, -O2): 0.05 s
 * per hash or verification after sodium_init() (0.08 s without it, which skips the AVX2 code), so
 * a sign-in stays well under a second, while an attacker with a stolen table must still spend
 * 64 MiB and 0.05 s of a core per guess. The "moderate" limits (256 MiB, 4x the time) would let a
 * few simultaneous sign-ins exhaust this small machine's memory.
 * Stored hashes carry their parameters, so raising them later is password_needs_rehash()'s job.
 */
#define HASH_OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define HASH_MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE
#define HASH_ALG      crypto_pwhash_ALG_ARGON2ID13

/* A code point takes at most 4 bytes, so more bytes than this is too long whatever they hold. */
#define PW_MAX_BYTES  ((size_t)4 * PASSWORD_MAX_CHARS)
#define LIST_MAX_FILE (16u << 20)

/* The common-password list: one block holding every entry NUL-terminated, lowercased for ASCII,
 * and a sorted array of distinct entries into it. */
static struct {
	char *text;
	char **entries;
	size_t count;
} list;

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_key(const void *key, const void *entry)
{
	return strcmp(key, *(char *const *)entry);
}

static void
ascii_lower(char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
}

int
password_list_load(const char *path, char *err, size_t errlen)
{
	char *text;
	size_t len;
	if (file_read(path, LIST_MAX_FILE, true, &text, &len, err, errlen) != 0)
		return -1;
	size_t lines = 1;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	char **entries = malloc(lines * sizeof(*entries));
	if (entries == NULL)
		die("password: out of memory");

	size_t count = 0, lineno = 0;
	char *p = text, *end = text + len;
	while (p < end) {
		char *eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		char *s = p, *e = eol;
		p = eol < end ? eol + 1 : end;
		lineno++;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		if (s == e || *s == '#')
			continue;
		const char *reason = NULL;
		if (!utf8_valid_text(s, (size_t)(e - s)) || memchr(s, '\t', (size_t)(e - s)) ||
		    memchr(s, '\r', (size_t)(e - s)))
			reason = "not valid UTF-8 text";
		else if ((size_t)(e - s) > PW_MAX_BYTES)
			reason = "entry longer than any password allowed";
		if (reason != NULL) {
			snprintf(err, errlen, "%s:%zu: %s", path, lineno, reason);
			free(entries);
			free(text);
			return -1;
		}
		*e = '\0';
		ascii_lower(s, (size_t)(e - s));
		entries[count++] = s;
	}
	if (count > 0)
		qsort(entries, count, sizeof(*entries), cmp_entry);
	size_t distinct = 0;
	for (size_t i = 0; i < count; i++)
		if (distinct == 0 || strcmp(entries[distinct - 1], entries[i]) != 0)
			entries[distinct++] = entries[i];

	password_list_free();
	list.text = text;
	list.entries = entries;
	list.count = distinct;
	return 0;
}

void
password_list_free(void)
{
	free(list.entries);
	free(list.text);
	list.entries = NULL;
	list.text = NULL;
	list.count = 0;
}

size_t
password_list_count(void)
{
	return list.count;
}

/* True for C0 controls (tab, CR and LF included: a browser's password field cannot hold them,
 * so such a password could never be typed at sign-in), DEL, and the C1 controls U+0080..U+009F. */
static bool
has_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7F)
			return true;
		if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] <= 0x9F)
			return true;
	}
	return false;
}

static bool
equal_nocase(const char *a, size_t alen, const char *b, size_t blen)
{
	if (alen != blen)
		return false;
	for (size_t i = 0; i < alen; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return true;
}

static bool
in_list(const char *pw, size_t len)
{
	char key[PW_MAX_BYTES + 1];
	if (len > 0)
		memcpy(key, pw, len);
	key[len] = '\0';
	ascii_lower(key, len);
	bool found = bsearch(key, list.entries, list.count, sizeof(*list.entries), cmp_key) != NULL;
	sodium_memzero(key, sizeof(key)); /* a copy of a password does not linger on the stack */
	return found;
}

enum password_problem
password_check(const char *pw, size_t len, const char *email)
{
	if (pw == NULL)
		len = 0;
	if (len > PW_MAX_BYTES)
		return PASSWORD_TOO_LONG;
	if (!utf8_valid_text(pw, len) || has_control(pw, len))
		return PASSWORD_NOT_TEXT;
	size_t chars = utf8_count(pw, len);
	if (chars < PASSWORD_MIN_CHARS)
		return PASSWORD_TOO_SHORT;
	if (chars > PASSWORD_MAX_CHARS)
		return PASSWORD_TOO_LONG;
	if (email != NULL && *email != '\0') {
		size_t elen = strlen(email);
		const char *at = strrchr(email, '@');
		size_t local = at != NULL ? (size_t)(at - email) : 0;
		if (equal_nocase(pw, len, email, elen) ||
		    (local > 0 && equal_nocase(pw, len, email, local)))
			return PASSWORD_IS_EMAIL;
	}
	if (list.count > 0 && in_list(pw, len))
		return PASSWORD_COMMON;
	return PASSWORD_OK;
}

const char *
password_problem_key(enum password_problem p)
{
	switch (p) {
	case PASSWORD_OK: return "password.ok";
	case PASSWORD_TOO_SHORT: return "password.too_short";
	case PASSWORD_TOO_LONG: return "password.too_long";
	case PASSWORD_NOT_TEXT: return "password.not_text";
	case PASSWORD_COMMON: return "password.common";
	case PASSWORD_IS_EMAIL: return "password.is_email";
	}
	return "password.invalid";
}

int
password_hash(const char *pw, size_t len, char out[crypto_pwhash_STRBYTES])
{
	db_slow_work("argon2id"); /* 64 MiB and 50-100 ms: never while holding the write lock */
	if (crypto_pwhash_str_alg(out, pw, len, HASH_OPSLIMIT, HASH_MEMLIMIT, HASH_ALG) != 0) {
		out[0] = '\0';
		return -1;
	}
	return 0;
}

bool
password_verify(const char *hash, const char *pw, size_t len)
{
	if (hash == NULL || pw == NULL)
		return false;
	db_slow_work("argon2id");
	return crypto_pwhash_str_verify(hash, pw, len) == 0;
}

bool
password_needs_rehash(const char *hash)
{
	if (hash == NULL)
		return true;
	/* The argon2id variant answers -1 for an argon2i or unreadable hash: both need replacing.
	 */
	return crypto_pwhash_argon2id_str_needs_rehash(hash, HASH_OPSLIMIT, HASH_MEMLIMIT) != 0;
}

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
dummy_make(void)
{
	static const char fixed[] = "no account has this password, it only spends time";
	if (password_hash(fixed, sizeof(fixed) - 1, dummy_hash) != 0)
		log_warn("password: cannot make the dummy hash; unknown accounts answer faster");
}

void
password_verify_dummy(const char *pw, size_t len)
{
	pthread_once(&dummy_once, dummy_make);
	(void)password_verify(dummy_hash, pw != NULL ? pw : "", pw != NULL ? len : 0);
}
