/* file.c - reading a whole small file, bounded, in one call. */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

int
file_read(const char *path, size_t max, bool follow_links, char **out, size_t *len, char *err,
	  size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | (follow_links ? 0 : O_NOFOLLOW));
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		close(fd);
		snprintf(err, errlen, "%s: not a regular file of at most %zu bytes", path, max);
		return -1;
	}
	size_t size = (size_t)st.st_size, got = 0;
	char *p = malloc(size + 1);
	if (p == NULL)
		die("out of memory reading %s", path);
	while (got < size) {
		ssize_t r = read(fd, p + got, size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int e = r < 0 ? errno : EIO;
			close(fd);
			free(p);
			snprintf(err, errlen, "%s: %s", path, strerror(e));
			return -1;
		}
		got += (size_t)r;
	}
	close(fd);
	p[size] = '\0';
	*out = p;
	*len = size;
	return 0;
}
