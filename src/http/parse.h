/* parse.h - pure parsers for request data: percent-decoding, forms, paths, cookies, headers. */
#ifndef COEXIST_PARSE_H
#define COEXIST_PARSE_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct buf;

/* One decoded name=value pair of a query string or form; both NUL-terminated, valid UTF-8
 * text with no control characters other than tab, CR and LF. */
struct http_field {
	const char *name;
	const char *value;
	size_t name_len, value_len;
	long long num;   /* parsed by a declared input: an INT's value, a CURSOR's id */
	const char *key; /* a CURSOR's time part; NULL otherwise */
};

enum parse_error {
	PARSE_OK,
	PARSE_BAD_ESCAPE, /* '%' not followed by two hex digits */
	PARSE_BAD_UTF8,   /* invalid UTF-8 or a control character after decoding */
	PARSE_TOO_MANY,   /* more fields than allowed */
	PARSE_BAD_PATH,   /* NUL, '.' or '..' segment, backslash, or not starting with '/' */
};

/* Decodes %XX (and '+' as a space when plus_is_space) from s[0..n) into the arena.
 * Output is never longer than the input. Returns PARSE_OK with the result and its length, or
 * PARSE_BAD_ESCAPE / PARSE_BAD_UTF8. */
enum parse_error http_percent_decode(struct arena *a, const char *s, size_t n, bool plus_is_space,
				     char **out, size_t *outlen);
/* Parses application/x-www-form-urlencoded text (a query string or a body) into at most
 * max_fields fields allocated in the arena. Empty pieces ("a=1&&b=2") are skipped; a piece
 * without '=' has an empty value. */
enum parse_error http_parse_urlencoded(struct arena *a, const char *s, size_t n, size_t max_fields,
				       struct http_field **out, size_t *count);
/* Decodes a request path (no query) and checks it: must start with '/', and after decoding
 * must be valid UTF-8 text without NUL, backslash, or a "." or ".." segment. */
enum parse_error http_parse_path(struct arena *a, const char *s, size_t n, char **out);
/* Finds a cookie's value in a Cookie header; copies up to outlen-1 bytes. */
bool http_cookie_get(const char *header, const char *name, char *out, size_t outlen);
/* Returns true when a comma-separated header value lists token (case-insensitive), e.g.
 * Accept-Encoding lists gzip (q=0 counts as not listed). */
bool http_header_has_token(const char *value, const char *token);
/* Appends s percent-encoded for a query string (unreserved characters kept). */
void http_url_encode(struct buf *out, const char *s, size_t n);

#endif
