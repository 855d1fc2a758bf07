/* xlsx_file.c - a workbook written into a private temporary file, returned as bytes. */
#include "xlsx_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"

/* Appends the whole file behind fd to out. 0, or -1 with errno. */
static int
slurp(int fd, struct buf *out)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || lseek(fd, 0, SEEK_SET) != 0)
		return -1;
	buf_reserve(out, (size_t)st.st_size + 1);
	for (;;) {
		buf_reserve(out, 65536);
		ssize_t n = read(fd, out->data + out->len, out->cap - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		out->len += (size_t)n;
	}
	out->data[out->len] = '\0';
	return 0;
}

int
xlsx_to_buf(xlsx_writer write, void *ctx, struct buf *out, char *err, size_t errlen)
{
	char path[] = "/tmp/coexist-workbook-"
		      "XXXXXX"; /* the template mkstemp fills in */
	int fd = mkstemp(path);
	if (fd < 0) {
		snprintf(err, errlen, "temporary file: %s", strerror(errno));
		return -1;
	}
	size_t before = out->len;
	int rc = write(path, ctx, err, errlen);
	if (rc == 0 && slurp(fd, out) != 0) {
		snprintf(err, errlen, "reading the workbook back: %s", strerror(errno));
		out->len = before;
		rc = -1;
	}
	unlink(path);
	close(fd);
	return rc;
}
