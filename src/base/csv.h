/* csv.h - CSV cells safe for spreadsheets (RFC 4180 quoting, formulas neutralised). */
#ifndef COEXIST_CSV_H
#define COEXIST_CSV_H

struct buf;

/* Appends the UTF-8 byte-order mark, so that spreadsheet programs read French text right. */
void csv_bom(struct buf *out);
/* Appends one cell, always quoted, quotes doubled. A cell starting with = + - @, a tab or a
 * carriage return gets a leading apostrophe, so that a spreadsheet never runs it as a formula. */
void csv_cell(struct buf *out, const char *s);
/* Ends a row (CRLF, as RFC 4180 says). */
void csv_end_row(struct buf *out);

#endif
