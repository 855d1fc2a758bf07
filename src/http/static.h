/* static.h - files of static/ held in memory, with ETags, fingerprinted names and gzip. */
#ifndef COEXIST_STATIC_H
#define COEXIST_STATIC_H

#include <stdbool.h>
#include <stddef.h>

struct request;
struct static_set;

/* Reads every regular file under dir (symbolic links and dot files are skipped, so nothing
 * outside dir can be reached). Text files also get a gzip copy. NULL with err on failure. */
struct static_set *static_load(const char *dir, char *err, size_t errlen);
/* Returns "/static/NAME.HASH.EXT" for a file of the set ("app.css"), or NULL when absent. */
const char *static_url(const struct static_set *s, const char *rel);
/* Answers GET /static/REL: 200 with the file, 304 when If-None-Match matches, 404 otherwise.
 * A fingerprinted name is cached for a year; a plain name is revalidated each time. */
void static_serve(struct request *r, const struct static_set *s, const char *rel);
/* Number of files and total bytes held. */
size_t static_count(const struct static_set *s, size_t *bytes);
void static_free(struct static_set *s);

#endif
