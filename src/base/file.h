/* file.h - reading a whole small file, bounded, in one call. */
#ifndef COEXIST_FILE_H
#define COEXIST_FILE_H

#include <stdbool.h>
#include <stddef.h>

/* Reads the regular file at path, of at most max bytes, into a NUL-terminated heap block
 * (*out, its length in *len; free it). With follow_links false a symbolic link is refused.
 * 0, or -1 with "path: reason" in err. */
int file_read(const char *path, size_t max, bool follow_links, char **out, size_t *len, char *err,
	      size_t errlen);

#endif
