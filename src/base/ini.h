/* ini.h - a bounded INI reader: [section] headers and "key = value" lines. */
#ifndef COEXIST_INI_H
#define COEXIST_INI_H

#include <stddef.h>

/* Called once per setting; returns 0 to go on, or non-zero after writing a reason into err
 * (which then becomes "file:line: reason"). section is "" before the first header. */
typedef int (*ini_handler)(void *ctx, const char *section, const char *key, const char *value,
			   char *err, size_t errlen);

/* Parses text of length n. Lines: blank, "# comment", "; comment", "[section]",
 * "key = value" (blanks around key and value trimmed; a value may be empty; a value in double
 * quotes keeps its inner blanks). Returns 0, or -1 with "name:line: reason" in err. */
int ini_parse(const char *name, const char *text, size_t n, ini_handler fn, void *ctx, char *err,
	      size_t errlen);
/* Reads and parses a file (at most 1 MiB). Returns 0, or -1 with a reason in err. */
int ini_parse_file(const char *path, ini_handler fn, void *ctx, char *err, size_t errlen);

#endif
