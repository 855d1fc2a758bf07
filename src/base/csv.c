/* csv.c - CSV cells safe for spreadsheets (RFC 4180 quoting, formulas neutralised). */
#include "csv.h"

#include <string.h>

#include "buf.h"

void
csv_bom(struct buf *out)
{
	buf_add(out, "\xEF\xBB\xBF", 3);
}

/* Length of the formula-starting character at s (= + - @ % | or a full-width form), else 0.
 * Spreadsheets read a leading % or | too (a percentage, a DDE call), and some map full-width
 * signs to ASCII ones when they parse, so those start a formula as well. */
static size_t
formula_start(const char *s)
{
	if (s[0] && strchr("=+-@%|", s[0]))
		return 1;
	/* U+FF05 ％ U+FF0B ＋ U+FF0D － U+FF1D ＝ U+FF20 ＠ U+FF5C ｜ */
	if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBC &&
	    ((unsigned char)s[2] == 0x85 || (unsigned char)s[2] == 0x8B ||
	     (unsigned char)s[2] == 0x8D || (unsigned char)s[2] == 0x9D ||
	     (unsigned char)s[2] == 0xA0))
		return 3;
	if ((unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBD &&
	    (unsigned char)s[2] == 0x9C)
		return 3;
	return 0;
}

bool
csv_needs_guard(const char *s)
{
	while (*s == '\'') /* an apostrophe typed before a formula: guarded too, so it reads back */
		s++;
	/* OWASP's list: tab and carriage return start a formula in some programs by themselves;
	 * a line feed too once a program splits lines. */
	if (*s == '\t' || *s == '\r' || *s == '\n')
		return true;
	/* Programs that trim a cell before reading it see a formula behind leading blanks. */
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	return formula_start(s) > 0;
}

void
csv_cell(struct buf *out, const char *s)
{
	if (out->len > 0 && out->data[out->len - 1] != '\n' &&
	    !(out->len == 3 && memcmp(out->data, "\xEF\xBB\xBF", 3) == 0))
		buf_putc(out, ',');
	buf_putc(out, '"');
	if (csv_needs_guard(s))
		buf_putc(out, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_putc(out, '"');
		buf_putc(out, *p);
	}
	buf_putc(out, '"');
}

const char *
csv_unguard(const char *s)
{
	return s[0] == '\'' && csv_needs_guard(s + 1) ? s + 1 : s;
}

void
csv_end_row(struct buf *out)
{
	buf_add(out, "\r\n", 2);
}
