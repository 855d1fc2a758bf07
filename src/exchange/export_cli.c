/* export_cli.c - `coexist export responses` and `coexist import responses`: the same export
 * and import as the site's, from the shell. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"
#include "base/arena.h"
#include "base/buf.h"
#include "export.h"
#include "export_priv.h"
#include "survey/survey.h"

#define IMPORT_MAX_FILE                                                                            \
	(256u << 20) /* far beyond any survey; keeps a wrong file from eating memory */

bool
export_format_parse(const char *name, enum export_format *out)
{
	static const char *const names[] = {
		[EXPORT_CSV] = "csv", [EXPORT_XLSX] = "xlsx", [EXPORT_JSON] = "json"};
	for (size_t i = 0; name && i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i], name) == 0) {
			*out = (enum export_format)i;
			return true;
		}
	return false;
}

/* The campaign of slug (NULL: the newest), its texts in a, and its loaded questionnaire.
 * Returns 0, or the exit status after saying why on standard error. */
static int
campaign_and_questionnaire(struct db *db, struct qdef *const *qs, size_t nq, const char *slug,
			   struct arena *a, struct campaign *c, const struct qdef **d)
{
	int found;
	if (slug) {
		found = survey_store_campaign_by_slug(db, slug, a, c);
	} else {
		long long id = export_store_newest_campaign(db);
		found = id > 0 ? survey_store_campaign_get(db, id, a, c) : (int)id;
	}
	if (found < 0) {
		fprintf(stderr, "database error\n");
		return 1;
	}
	if (found == 0) {
		if (slug)
			fprintf(stderr, "no campaign named %s\n", slug);
		else
			fprintf(stderr, "there is no campaign yet\n");
		return 2;
	}
	*d = NULL;
	for (size_t i = 0; i < nq && *d == NULL; i++)
		if (qs[i] && strcmp(qs[i]->key, c->questionnaire) == 0 &&
		    qs[i]->version == c->version)
			*d = qs[i];
	if (*d == NULL) {
		fprintf(stderr,
			"campaign %s: questionnaire %s v%d is not in data/questionnaires/\n",
			c->slug, c->questionnaire, c->version);
		return 2;
	}
	return 0;
}

static int
cli_export(struct db *db, struct qdef *const *qs, size_t nq, const struct vocab_set *v,
	   const char *slug, enum export_format format, FILE *out, struct arena *a)
{
	if (format == EXPORT_XLSX && isatty(fileno(out))) {
		fprintf(stderr,
			"a workbook is not text: redirect it to a file (> responses.xlsx)\n");
		return 2;
	}
	struct campaign c;
	const struct qdef *d;
	int rc = campaign_and_questionnaire(db, qs, nq, slug, a, &c, &d);
	if (rc != 0)
		return rc;
	struct buf b;
	buf_init(&b, NULL);
	char err[256];
	if (export_responses(db, d, v, format, &b, err, sizeof(err)) != 0) {
		fprintf(stderr, "export: %s\n", err);
		buf_free(&b);
		return 1;
	}
	static const char *const names[] = {"CSV", "XLSX", "JSON"};
	if (audit_store_add(db, AUDIT_SHELL, "responses.export", "campaign", c.id, names[format]) !=
	    0) {
		fprintf(stderr, "database error (audit)\n");
		buf_free(&b);
		return 1;
	}
	rc = fwrite(b.data ? b.data : "", 1, b.len, out) == b.len && fflush(out) == 0 ? 0 : 1;
	if (rc != 0)
		fprintf(stderr, "export: writing: %s\n", strerror(errno));
	buf_free(&b);
	return rc;
}

int
survey_cli_export(struct db *db, struct qdef *const *qs, size_t nq, const struct vocab_set *v,
		  const char *slug, enum export_format format, FILE *out)
{
	struct arena a; /* the command's own: what the store reads lives there */
	arena_init(&a, 4096);
	int rc = cli_export(db, qs, nq, v, slug, format, out, &a);
	arena_free(&a);
	return rc;
}

/* Reads a whole file into b. 0, or -1 with errno. */
static int
read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return -1;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->len + n > IMPORT_MAX_FILE) {
			fclose(f);
			errno = EFBIG;
			return -1;
		}
		buf_add(b, chunk, n);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		errno = EIO;
		return -1;
	}
	return 0;
}

static int
cli_import(struct db *db, struct qdef *const *qs, size_t nq, const struct vocab_set *v,
	   const char *slug, const char *path, struct arena *a)
{
	struct campaign c;
	const struct qdef *d;
	int rc = campaign_and_questionnaire(db, qs, nq, slug, a, &c, &d);
	if (rc != 0)
		return rc;
	struct buf text, errors;
	buf_init(&text, NULL);
	buf_init(&errors, NULL);
	if (read_file(path, &text) != 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		buf_free(&text);
		return 2;
	}
	long n = import_responses(db, d, v, c.slug, text.data ? text.data : "", text.len, &errors);
	if (n < 0) {
		fputs(buf_str(&errors), stderr);
		fprintf(stderr, "%s: nothing was imported\n", path);
		rc = 1;
	} else {
		char detail[128];
		snprintf(detail, sizeof(detail), "%ld responses imported", n);
		if (audit_store_add(db, AUDIT_SHELL, "responses.import", "campaign", c.id,
				    detail) != 0)
			fprintf(stderr,
				"warning: the import could not be written to the audit log\n");
		printf("%s: %ld responses imported into campaign %s\n", path, n, c.slug);
	}
	buf_free(&text);
	buf_free(&errors);
	return rc;
}

int
survey_cli_import(struct db *db, struct qdef *const *qs, size_t nq, const struct vocab_set *v,
		  const char *slug, const char *path)
{
	struct arena a; /* the command's own: what the store reads lives there */
	arena_init(&a, 4096);
	int rc = cli_import(db, qs, nq, v, slug, path, &a);
	arena_free(&a);
	return rc;
}
