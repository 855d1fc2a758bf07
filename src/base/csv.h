/* csv.h - CSV cells safe for spreadsheets (RFC 4180 quoting, formulas neutralised). */
#ifndef COEXIST_CSV_H
#define COEXIST_CSV_H

#include <stdbool.h>

struct buf;

/* Appends the UTF-8 byte-order mark, so that spreadsheet programs read French text right. */
void csv_bom(struct buf *out);
/* True when a spreadsheet could take the text s for a formula: it starts with a tab, CR or LF,
 * or its first character after any spaces, tabs, CR and LF is one of = + - @ % | or their
 * full-width forms (＝ ＋ － ＠ ％ ｜). Also true for an apostrophe followed by such a text, so
 * that guarding stays reversible. */
bool csv_needs_guard(const char *s);
/* Appends one cell, always quoted, quotes doubled. A cell that needs a guard (above) gets one
 * leading apostrophe, so that a spreadsheet shows it as text; it is otherwise as typed. */
void csv_cell(struct buf *out, const char *s);
/* The text of a cell read back from a file csv_cell wrote: without the guard's apostrophe. */
const char *csv_unguard(const char *s);
/* Ends a row (CRLF, as RFC 4180 says). */
void csv_end_row(struct buf *out);

#endif
