/* codes.h - walking a space-separated list of codes ("health water_sanitation"). */
#ifndef COEXIST_CODES_H
#define COEXIST_CODES_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* The next code of the list at *p: true with it (*code, *len) and *p past it; false at the
 * end. A NULL list is an empty one. */
static inline bool
codes_next(const char **p, const char **code, size_t *len)
{
	const char *s = *p;
	if (s == NULL)
		return false;
	while (*s == ' ')
		s++;
	*p = s;
	if (*s == '\0')
		return false;
	*code = s;
	*len = strcspn(s, " ");
	*p = s + *len;
	return true;
}

#endif
