/* parse.c - pure parsers for request data: percent-decoding, forms, paths, cookies, headers. */
#include "parse.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/utf8.h"

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum parse_error
http_percent_decode(struct arena *a, const char *s, size_t n, bool plus_is_space, char **out,
		    size_t *outlen)
{
	char *d = arena_alloc(a, n + 1);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '%') {
			int hi, lo;
			if (n - i < 3 || (hi = hexval((unsigned char)s[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)s[i + 2])) < 0)
				return PARSE_BAD_ESCAPE;
			d[j++] = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			d[j++] = ' ';
		} else {
			d[j++] = (char)c;
		}
	}
	d[j] = '\0';
	if (!utf8_valid_text(d, j))
		return PARSE_BAD_UTF8;
	*out = d;
	*outlen = j;
	return PARSE_OK;
}

enum parse_error
http_parse_urlencoded(struct arena *a, const char *s, size_t n, size_t max_fields,
		      struct http_field **out, size_t *count)
{
	size_t pieces = 1;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '&')
			pieces++;
	if (pieces > max_fields + n) /* cannot happen; keeps the arithmetic below obviously safe */
		return PARSE_TOO_MANY;
	size_t cap = pieces < max_fields ? pieces : max_fields;
	struct http_field *f = arena_alloc(a, (cap ? cap : 1) * sizeof(*f));
	size_t k = 0;
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		const char *e = amp ? amp : end;
		if (e > p) {
			if (k == max_fields)
				return PARSE_TOO_MANY;
			const char *eq = memchr(p, '=', (size_t)(e - p));
			const char *ne = eq ? eq : e;
			char *name, *value;
			size_t nl, vl;
			enum parse_error err =
				http_percent_decode(a, p, (size_t)(ne - p), true, &name, &nl);
			if (err == PARSE_OK)
				err = eq ? http_percent_decode(a, eq + 1, (size_t)(e - eq - 1),
							       true, &value, &vl)
					 : http_percent_decode(a, "", 0, true, &value, &vl);
			if (err != PARSE_OK)
				return err;
			f[k].name = name;
			f[k].name_len = nl;
			f[k].value = value;
			f[k].value_len = vl;
			k++;
		}
		p = amp ? amp + 1 : end;
	}
	*out = f;
	*count = k;
	return PARSE_OK;
}

enum parse_error
http_parse_path(struct arena *a, const char *s, size_t n, char **out)
{
	if (n == 0 || s[0] != '/')
		return PARSE_BAD_PATH;
	char *d;
	size_t len;
	enum parse_error err = http_percent_decode(a, s, n, false, &d, &len);
	if (err != PARSE_OK)
		return err == PARSE_BAD_UTF8 ? PARSE_BAD_PATH : err;
	if (memchr(d, '\\', len) != NULL)
		return PARSE_BAD_PATH;
	/* Refuse "." and ".." segments outright instead of resolving them: no request needs
	 * them, and refusing leaves nothing for a later stage to get wrong. */
	for (size_t i = 0; i < len; i++) {
		if (d[i] != '/')
			continue;
		const char *seg = d + i + 1;
		size_t sl = strcspn(seg, "/");
		if ((sl == 1 && seg[0] == '.') || (sl == 2 && seg[0] == '.' && seg[1] == '.'))
			return PARSE_BAD_PATH;
	}
	*out = d;
	return PARSE_OK;
}

bool
http_cookie_get(const char *header, const char *name, char *out, size_t outlen)
{
	if (header == NULL || outlen == 0)
		return false;
	size_t nl = strlen(name);
	const char *p = header;
	while (*p) {
		while (*p == ' ' || *p == ';')
			p++;
		const char *e = strchr(p, ';');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
			size_t vl = len - nl - 1;
			if (vl >= outlen)
				return false;
			memcpy(out, p + nl + 1, vl);
			out[vl] = '\0';
			return true;
		}
		if (e == NULL)
			break;
		p = e + 1;
	}
	return false;
}

bool
http_header_has_token(const char *value, const char *token)
{
	if (value == NULL)
		return false;
	size_t tl = strlen(token);
	const char *p = value;
	while (*p) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		const char *e = p;
		while (*e && *e != ',')
			e++;
		const char *te = p;
		while (te < e && *te != ';' && *te != ' ' && *te != '\t')
			te++;
		if ((size_t)(te - p) == tl && strncasecmp(p, token, tl) == 0) {
			const char *q = strstr(te, "q=");
			if (q && q < e && strtod(q + 2, NULL) <= 0.0)
				return false;
			return true;
		}
		p = e;
	}
	return false;
}

void
http_url_encode(struct buf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			buf_putc(out, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			buf_add(out, e, 3);
		}
	}
}
