/* utf8.h - strict UTF-8 validation (RFC 3629: no overlongs, no surrogates, max U+10FFFF). */
#ifndef COEXIST_UTF8_H
#define COEXIST_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Returns true when the n bytes are well-formed UTF-8. NUL bytes are valid UTF-8 here;
 * callers that store text refuse them separately (utf8_valid_text). */
bool utf8_valid(const char *s, size_t n);
/* Returns true when the n bytes are well-formed UTF-8 text without NUL or other C0
 * control characters except tab, line feed and carriage return. */
bool utf8_valid_text(const char *s, size_t n);
/* Returns the number of code points in valid UTF-8 (for user-visible length limits). */
size_t utf8_count(const char *s, size_t n);

#endif
