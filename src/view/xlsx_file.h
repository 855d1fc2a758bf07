/* xlsx_file.h - a workbook written by libxlsxwriter into a private temporary file, returned as
 * bytes (Debian 12's libxlsxwriter 1.1.4 writes only to named files). */
#ifndef COEXIST_XLSX_FILE_H
#define COEXIST_XLSX_FILE_H

#include <stddef.h>

struct buf;

/* Writes the workbook into the file at path; 0, or -1 with err. */
typedef int (*xlsx_writer)(const char *path, void *ctx, char *err, size_t errlen);

/* Makes a private temporary file (mkstemp: mode 0600), calls write on it, appends the file's
 * bytes to out and removes the file, whatever happens. 0, or -1 with err. */
int xlsx_to_buf(xlsx_writer write, void *ctx, struct buf *out, char *err, size_t errlen);

#endif
