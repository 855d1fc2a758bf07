/* ascii.h - the ASCII classes and case of a byte, whatever the locale (no project knowledge). */
#ifndef COEXIST_ASCII_H
#define COEXIST_ASCII_H

#include <stdbool.h>

/* True for '0'..'9'. */
static inline bool
ascii_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* True for 'a'..'z' and 'A'..'Z'. */
static inline bool
ascii_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* True for the blanks of HTML and HTTP: space, tab, line feed, form feed, carriage return. */
static inline bool
ascii_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

/* c in lower case when it is an ASCII capital, else c. */
static inline char
ascii_tolower(char c)
{
	if (c >= 'A' && c <= 'Z')
		return (char)(c + ('a' - 'A'));
	return c;
}

#endif
