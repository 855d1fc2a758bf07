/* ini.c - a bounded INI reader: [section] headers and "key = value" lines. */
#include "ini.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define INI_MAX_FILE (1u << 20)
#define INI_MAX_LINE 4096

static void
trim(const char **s, const char **e)
{
	while (*s < *e && isspace((unsigned char)**s))
		(*s)++;
	while (*e > *s && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

int
ini_parse(const char *name, const char *text, size_t n, ini_handler fn, void *ctx, char *err,
	  size_t errlen)
{
	char section[128] = "";
	char key[128], value[INI_MAX_LINE], reason[256];
	size_t lineno = 0;
	const char *p = text, *end = text + n;

	if (!utf8_valid(text, n)) {
		snprintf(err, errlen, "%s: not valid UTF-8", name);
		return -1;
	}
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (eol == NULL)
			eol = end;
		const char *s = p, *e = eol;
		p = eol < end ? eol + 1 : end;
		lineno++;
		trim(&s, &e);
		if (s == e || *s == '#' || *s == ';')
			continue;
		if ((size_t)(e - s) >= INI_MAX_LINE) {
			snprintf(err, errlen, "%s:%zu: line too long", name, lineno);
			return -1;
		}
		if (*s == '[') {
			if (e[-1] != ']' || e - s < 3 || (size_t)(e - s - 2) >= sizeof(section)) {
				snprintf(err, errlen, "%s:%zu: malformed section header", name,
					 lineno);
				return -1;
			}
			const char *ss = s + 1, *se = e - 1;
			trim(&ss, &se);
			memcpy(section, ss, (size_t)(se - ss));
			section[se - ss] = '\0';
			continue;
		}
		const char *eq = memchr(s, '=', (size_t)(e - s));
		if (eq == NULL) {
			snprintf(err, errlen, "%s:%zu: expected \"key = value\"", name, lineno);
			return -1;
		}
		const char *ks = s, *ke = eq, *vs = eq + 1, *ve = e;
		trim(&ks, &ke);
		trim(&vs, &ve);
		if (ks == ke || (size_t)(ke - ks) >= sizeof(key)) {
			snprintf(err, errlen, "%s:%zu: missing or too long key", name, lineno);
			return -1;
		}
		if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"')
			vs++, ve--;
		memcpy(key, ks, (size_t)(ke - ks));
		key[ke - ks] = '\0';
		memcpy(value, vs, (size_t)(ve - vs));
		value[ve - vs] = '\0';
		reason[0] = '\0';
		if (fn(ctx, section, key, value, reason, sizeof(reason)) != 0) {
			snprintf(err, errlen, "%s:%zu: %s", name, lineno, reason);
			return -1;
		}
	}
	return 0;
}

int
ini_parse_file(const char *path, ini_handler fn, void *ctx, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	char *text = malloc(INI_MAX_FILE + 1);
	if (text == NULL) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	size_t n = fread(text, 1, INI_MAX_FILE + 1, f);
	int bad = ferror(f);
	fclose(f);
	int rc;
	if (bad) {
		snprintf(err, errlen, "%s: read error", path);
		rc = -1;
	} else if (n > INI_MAX_FILE) {
		snprintf(err, errlen, "%s: larger than 1 MiB", path);
		rc = -1;
	} else {
		rc = ini_parse(path, text, n, fn, ctx, err, errlen);
	}
	free(text);
	return rc;
}
