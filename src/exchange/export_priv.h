/* export_priv.h - what the export, the import and their commands share: the columns of a
 * questionnaire's table (docs/exports.md), and the SQL that reads responses for an export. */
#ifndef COEXIST_EXPORT_PRIV_H
#define COEXIST_EXPORT_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "questionnaire/qdef.h"

struct arena;
struct db;

/* The columns every export starts with, in this order. */
enum export_meta {
	XM_ID,
	XM_CAMPAIGN,
	XM_STATUS,
	XM_LOCKED,
	XM_CREATED,
	XM_UPDATED,
	XM_SUBMITTED,
	XM_PARTNER,
	XM__MAX
};

enum export_kind {
	XC_META,   /* one of enum export_meta */
	XC_VALUE,  /* the one value of a question: KEY */
	XC_OTHER,  /* "other, please say" of a single or multi: KEY__other_text */
	XC_TICK,   /* one option of a multi, 1 or 0: KEY__CODE (KEY__other for "other") */
	XC_DETAIL, /* a detail of one option of a multi: KEY__CODE__DETAIL */
	XC_LIST,   /* countries, pick: codes joined by ";" : KEY */
	XC_CELL,   /* one field of one row of a group: KEY__FIELD__ROW (ROW from 1) */
};

struct export_col {
	const char *name; /* the header */
	enum export_kind kind;
	enum export_meta meta;      /* XC_META */
	const struct question *q;   /* the question (NULL for XC_META) */
	const struct question *sub; /* XC_CELL: the group field; XC_DETAIL: the detail */
	const struct qoption *opt;  /* XC_TICK, XC_DETAIL: the option (NULL: "other") */
	const char *code;           /* XC_TICK, XC_DETAIL: its code ("other" for other) */
	const char *akey;           /* the stored answer key: "sectors", "partners.name", … */
	int row;                    /* XC_CELL: the row, from 0 */
};

struct export_table {
	struct export_col *cols;
	size_t n;
};

/* ---- export.c ---- */

/* The name of a question type ("single", "multi", …). */
const char *export_type_name(enum qtype t);
/* The columns of questionnaire d, in their stable order. -1 with err when two columns would
 * have the same name (a definition that cannot be exported without ambiguity). */
int export_columns(const struct qdef *d, struct arena *ar, struct export_table *t, char *err,
		   size_t errlen);

/* ---- export_store.c ---- */

/* Texts never NULL ("" when empty), valid during the call of export_row_fn only. */
struct export_response {
	long long id, partner_of; /* partner_of 0: none */
	const char *campaign;     /* the campaign's slug */
	bool submitted, locked;
	const char *created_at, *updated_at, *submitted_at; /* submitted_at "" when none */
};

/* Called once a response, with its answers sorted by key and position (both in memory that
 * is reused for the next response); returns 0 to go on, -1 to stop. */
typedef int (*export_row_fn)(void *ctx, const struct export_response *r, const struct answers *a);

/* Calls fn for every response of the campaigns that use questionnaire key/version, by id, read
 * in one statement (one consistent snapshot). Returns the number of responses, or -1 when the
 * database failed or fn stopped. */
long export_store_each(struct db *db, const char *key, int version, export_row_fn fn, void *ctx);
/* The id of the campaign created last, 0 when there is none, -1 on error. */
long long export_store_newest_campaign(struct db *db);

#endif
