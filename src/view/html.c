/* html.c - escaping for HTML text and attribute values, and the URL allow-list for href/src. */
#include "html.h"

#include "base/buf.h"

/* The five characters that can end a text run or a quoted attribute value, or start markup. */
static const unsigned char special[256] = {
	['&'] = 1, ['<'] = 2, ['>'] = 3, ['"'] = 4, ['\''] = 5,
};
static const char *const entity[] = {"", "&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
static const unsigned char entity_len[] = {0, 5, 4, 4, 6, 5};

/* Copies runs of ordinary bytes with one buf_add each; only special bytes cost a branch more. */
static void
escape(struct buf *out, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t run = 0;
	buf_reserve(out, n);
	for (size_t i = 0; i < n; i++) {
		unsigned char k = special[u[i]];
		if (k == 0)
			continue;
		if (i > run)
			buf_add(out, s + run, i - run);
		buf_add(out, entity[k], entity_len[k]);
		run = i + 1;
	}
	if (n > run)
		buf_add(out, s + run, n - run);
}

/* Appends s escaped for HTML text. */
void
html_text(struct buf *out, const char *s, size_t n)
{
	escape(out, s, n);
}

/* Appends s escaped for a quoted attribute value; the same set as text, so that one escaping
 * is right in both places and a value moved from text to an attribute stays safe. */
void
html_attr(struct buf *out, const char *s, size_t n)
{
	escape(out, s, n);
}

static bool
scheme_is(const char *s, size_t n, const char *want)
{
	size_t i = 0;
	for (; i < n && want[i]; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != want[i])
			return false;
	}
	return i == n && want[i] == '\0';
}

/* Returns true when a URL may be put in href/src: relative, or http, https, mailto, tel.
 * Browsers drop leading blanks and control characters and remove tabs and newlines anywhere,
 * so "\tjava\nscript:" is a scheme to them: any control character, or a leading blank, makes
 * the URL unsafe. An '&' before the scheme's ':' could be an entity ("&#106;avascript:",
 * "javascript&colon;") when the value reaches markup unescaped, so it is refused as well. */
bool
html_url_safe(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n; i++)
		if (u[i] < 0x20 || u[i] == 0x7F)
			return false;
	if (n > 0 && u[0] == ' ')
		return false;
	size_t i = 0;
	for (; i < n; i++) {
		unsigned char c = u[i];
		if (c == '/' || c == '?' || c == '#')
			return true; /* relative: no scheme before the path, query or fragment */
		if (c == '&')
			return false;
		if (c == ':')
			break;
	}
	if (i == n)
		return true; /* no ':' at all: a relative path */
	return scheme_is(s, i, "http") || scheme_is(s, i, "https") || scheme_is(s, i, "mailto") ||
	       scheme_is(s, i, "tel");
}
