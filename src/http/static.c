/* static.c - files of static/ held in memory, with ETags, fingerprinted names and gzip. */
#include "static.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "base/log.h"
#include "http.h"
#include "parse.h"

#define STATIC_MAX_FILES 512
#define STATIC_MAX_FILE  (8u << 20)
#define STATIC_MAX_TOTAL (64u << 20)
#define STATIC_MAX_DEPTH 4

struct static_file {
	char *rel;    /* "css/app.css" */
	char *url;    /* "/static/css/app.1a2b3c4d.css" */
	char *fp_rel; /* "css/app.1a2b3c4d.css" */
	unsigned char *data, *gz;
	size_t len, gzlen;
	const char *type;
	char etag[24], etag_gz[28];
};

struct static_set {
	struct static_file files[STATIC_MAX_FILES];
	size_t n, bytes;
};

static const struct {
	const char *ext, *type;
	bool text;
} types[] = {
	{".css", "text/css; charset=utf-8", true},
	{".js", "text/javascript; charset=utf-8", true},
	{".svg", "image/svg+xml", true},
	{".json", "application/json", true},
	{".txt", "text/plain; charset=utf-8", true},
	{".png", "image/png", false},
	{".jpg", "image/jpeg", false},
	{".webp", "image/webp", false},
	{".ico", "image/x-icon", false},
	{".woff2", "font/woff2", false},
	{".pdf", "application/pdf", false},
};

static int
type_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (dot == NULL)
		return -1;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(dot, types[i].ext) == 0)
			return (int)i;
	return -1;
}

static unsigned char *
gzip(const unsigned char *in, size_t n, size_t *outlen)
{
	z_stream z = {0};
	if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	size_t cap = deflateBound(&z, n);
	unsigned char *out = malloc(cap);
	if (out == NULL)
		die("static: out of memory");
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	*outlen = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END || *outlen >= n) { /* not worth it */
		free(out);
		return NULL;
	}
	return out;
}

static int
add_file(struct static_set *s, int dirfd, const char *name, const char *rel, char *err,
	 size_t errlen)
{
	int t = type_of(name);
	if (t < 0) {
		log_warn("static: %s skipped (unknown type)", rel);
		return 0;
	}
	if (s->n == STATIC_MAX_FILES) {
		snprintf(err, errlen, "static: more than %d files", STATIC_MAX_FILES);
		return -1;
	}
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		log_warn("static: %s skipped (not a regular file)", rel);
		return 0;
	}
	if ((size_t)st.st_size > STATIC_MAX_FILE ||
	    s->bytes + (size_t)st.st_size > STATIC_MAX_TOTAL) {
		close(fd);
		snprintf(err, errlen, "static: %s: too large", rel);
		return -1;
	}
	struct static_file *f = &s->files[s->n];
	f->len = (size_t)st.st_size;
	f->data = malloc(f->len ? f->len : 1);
	if (f->data == NULL)
		die("static: out of memory");
	size_t got = 0;
	while (got < f->len) {
		ssize_t k = read(fd, f->data + got, f->len - got);
		if (k <= 0) {
			close(fd);
			free(f->data);
			snprintf(err, errlen, "static: %s: read error", rel);
			return -1;
		}
		got += (size_t)k;
	}
	close(fd);
	unsigned char hash[16];
	crypto_generichash(hash, sizeof(hash), f->data, f->len, NULL, 0);
	char hex[33];
	sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
	snprintf(f->etag, sizeof(f->etag), "\"%.16s\"", hex);
	snprintf(f->etag_gz, sizeof(f->etag_gz), "\"%.16s-gz\"", hex);
	f->rel = strdup(rel);
	const char *dot = strrchr(rel, '.');
	size_t stem = (size_t)(dot - rel);
	f->fp_rel = malloc(strlen(rel) + 10);
	f->url = malloc(strlen(rel) + 18);
	if (f->rel == NULL || f->fp_rel == NULL || f->url == NULL)
		die("static: out of memory");
	sprintf(f->fp_rel, "%.*s.%.8s%s", (int)stem, rel, hex, dot);
	sprintf(f->url, "/static/%s", f->fp_rel);
	f->type = types[t].type;
	f->gz = types[t].text ? gzip(f->data, f->len, &f->gzlen) : NULL;
	s->bytes += f->len;
	s->n++;
	return 0;
}

static int
load_dir(struct static_set *s, int dirfd, const char *prefix, int depth, char *err, size_t errlen)
{
	DIR *d = fdopendir(dirfd);
	if (d == NULL) {
		close(dirfd);
		snprintf(err, errlen, "static: %s: %s", prefix, strerror(errno));
		return -1;
	}
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char rel[512];
		if ((size_t)snprintf(rel, sizeof(rel), "%s%s", prefix, e->d_name) >=
		    sizeof(rel) - 64)
			continue;
		struct stat st;
		/* lstat semantics: a symbolic link is never followed, whatever it points to. */
		if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			log_warn("static: %s skipped (symbolic link)", rel);
		} else if (S_ISDIR(st.st_mode)) {
			if (depth >= STATIC_MAX_DEPTH)
				continue;
			int sub = openat(dirfd, e->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0)
				continue;
			size_t used = strlen(rel); /* under sizeof(rel) - 64: room for the '/' */
			rel[used] = '/';
			rel[used + 1] = '\0';
			rc = load_dir(s, sub, rel, depth + 1, err, errlen);
		} else if (S_ISREG(st.st_mode)) {
			rc = add_file(s, dirfd, e->d_name, rel, err, errlen);
		}
	}
	closedir(d);
	return rc;
}

struct static_set *
static_load(const char *dir, char *err, size_t errlen)
{
	struct static_set *s = calloc(1, sizeof(*s));
	if (s == NULL)
		die("static: out of memory");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "static: %s: %s", dir, strerror(errno));
		free(s);
		return NULL;
	}
	if (load_dir(s, fd, "", 0, err, errlen) != 0) {
		static_free(s);
		return NULL;
	}
	return s;
}

static const struct static_file *
find(const struct static_set *s, const char *rel, bool *fingerprinted)
{
	for (size_t i = 0; i < s->n; i++) {
		if (strcmp(s->files[i].rel, rel) == 0) {
			*fingerprinted = false;
			return &s->files[i];
		}
		if (strcmp(s->files[i].fp_rel, rel) == 0) {
			*fingerprinted = true;
			return &s->files[i];
		}
	}
	return NULL;
}

const char *
static_url(const struct static_set *s, const char *rel)
{
	bool fp;
	const struct static_file *f = find(s, rel, &fp);
	return f && !fp ? f->url : NULL;
}

void
static_serve(struct request *r, const struct static_set *s, const char *rel)
{
	bool fingerprinted;
	const struct static_file *f = find(s, rel, &fingerprinted);
	if (f == NULL) {
		resp_error(r, 404, NULL);
		return;
	}
	/* A fingerprinted name never changes content: cache it for a year. */
	r->cache_control =
		fingerprinted ? "public, max-age=31536000, immutable" : "public, no-cache";
	/* Two representations, two entity tags (RFC 9110 8.8.3): the gzip one ends in "-gz". */
	bool gz = f->gz && http_header_has_token(req_header(r, "Accept-Encoding"), "gzip");
	const char *etag = gz ? f->etag_gz : f->etag;
	resp_header(r, "ETag", etag);
	if (f->gz)
		resp_header(r, "Vary", "Accept-Encoding");
	const char *inm = req_header(r, "If-None-Match");
	if (inm && (strstr(inm, etag) != NULL || strcmp(inm, "*") == 0)) {
		r->out_static = "";
		r->out_static_len = 0;
		resp_send(r, 304, NULL);
		return;
	}
	if (gz) {
		resp_header(r, "Content-Encoding", "gzip");
		r->out_static = f->gz;
		r->out_static_len = f->gzlen;
	} else {
		r->out_static = f->data;
		r->out_static_len = f->len;
	}
	resp_send(r, 200, f->type);
}

size_t
static_count(const struct static_set *s, size_t *bytes)
{
	if (bytes)
		*bytes = s->bytes;
	return s->n;
}

void
static_free(struct static_set *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->n; i++) {
		free(s->files[i].rel);
		free(s->files[i].url);
		free(s->files[i].fp_rel);
		free(s->files[i].data);
		free(s->files[i].gz);
	}
	free(s);
}
