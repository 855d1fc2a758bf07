/* export.h - all responses of a questionnaire as CSV, XLSX (with a codebook) or JSON, and the
 * import of responses collected elsewhere from such a CSV. */
#ifndef COEXIST_EXPORT_H
#define COEXIST_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "questionnaire/qdef.h"

struct buf;
struct db;
struct request;

enum export_format { EXPORT_CSV, EXPORT_XLSX, EXPORT_JSON };

/* Writes every response (drafts and submitted) of the campaigns that use questionnaire d into
 * out, one row per response, one column per question and one per option of each multiple
 * choice (see docs/exports.md). 0, or -1 with err. */
int export_responses(struct db *db, const struct qdef *d, const struct vocab_set *v,
		     enum export_format format, struct buf *out, char *err, size_t errlen);

/* Imports responses from a CSV laid out as the CSV export, into the campaign of slug. Checked
 * as a whole first: on any problem nothing is imported and each problem is written to errors
 * as "line L, column C (NAME): reason", one a line. Returns the number imported, or -1. */
long import_responses(struct db *db, const struct qdef *d, const struct vocab_set *v,
		      const char *slug, const char *csv, size_t len, struct buf *errors);

/* Handlers: GET /admin/responses.csv, .xlsx, .json (coordinators), export_web.c. Query
 * field "campaign" (an id, optional): the questionnaire of that campaign, otherwise that of
 * the newest campaign. Each export is written to the audit log. */
void responses_export_csv(struct request *r);
void responses_export_xlsx(struct request *r);
void responses_export_json(struct request *r);

/* ---- commands (export_cli.c) ---- */

/* The format of a name ("csv", "xlsx", "json"); false when unknown. */
bool export_format_parse(const char *name, enum export_format *out);
/* `coexist export responses --format F [--campaign SLUG]`: writes the export of the
 * questionnaire of campaign slug (NULL: the newest campaign) to out, found among the loaded
 * definitions qs. Refuses to write a workbook to a terminal. Returns the exit status: 0, 1
 * (failed: database, writing) or 2 (bad usage: unknown campaign, questionnaire not loaded). */
int survey_cli_export(struct db *db, struct qdef *const *qs, size_t nq, const struct vocab_set *v,
		      const char *slug, enum export_format format, FILE *out);
/* `coexist import responses FILE.csv [--campaign SLUG]`: imports the file into campaign slug
 * (NULL: the newest). Problems go to standard error, one a line, and nothing is imported.
 * Returns the exit status: 0, 1 (problems in the file, database) or 2 (bad usage: unknown
 * campaign, questionnaire not loaded, file unreadable). */
int survey_cli_import(struct db *db, struct qdef *const *qs, size_t nq, const struct vocab_set *v,
		      const char *slug, const char *path);

#endif
