/* html.h - escaping for HTML text and attribute values. */
#ifndef COEXIST_HTML_H
#define COEXIST_HTML_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/* Appends s escaped for HTML text (& < > " ' become entities). */
void html_text(struct buf *out, const char *s, size_t n);
/* Appends s escaped for a quoted attribute value (same set of characters as html_text). */
void html_attr(struct buf *out, const char *s, size_t n);
/* Returns true when a URL may be put in href/src: relative, or http, https, mailto, tel.
 * Control characters, a leading blank, or an '&' before the first ':', '/', '?' or '#' (an
 * entity could hide a scheme there) make it unsafe. */
bool html_url_safe(const char *s, size_t n);

#endif
