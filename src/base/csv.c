/* csv.c - CSV cells safe for spreadsheets (RFC 4180 quoting, formulas neutralised). */
#include "csv.h"

#include <string.h>

#include "buf.h"

void
csv_bom(struct buf *out)
{
	buf_add(out, "\xEF\xBB\xBF", 3);
}

void
csv_cell(struct buf *out, const char *s)
{
	if (out->len > 0 && out->data[out->len - 1] != '\n' &&
	    !(out->len == 3 && memcmp(out->data, "\xEF\xBB\xBF", 3) == 0))
		buf_putc(out, ',');
	buf_putc(out, '"');
	if (s[0] && strchr("=+-@\t\r", s[0]))
		buf_putc(out, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(out, '"');
		buf_putc(out, *p);
	}
	buf_putc(out, '"');
}

void
csv_end_row(struct buf *out)
{
	buf_add(out, "\r\n", 2);
}
