/* buf.h - growable byte buffer, in an arena or on the heap. */
#ifndef COEXIST_BUF_H
#define COEXIST_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct buf {
	char *data; /* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
	struct arena *arena; /* NULL: heap memory, released by buf_free() */
};

/* Prepares an empty buffer; with an arena, memory comes from it and is never freed alone. */
void buf_init(struct buf *b, struct arena *arena);
/* Makes room for n more bytes; aborts when memory runs out. */
void buf_reserve(struct buf *b, size_t n);
/* Appends n bytes. */
void buf_add(struct buf *b, const void *p, size_t n);
/* Appends a NUL-terminated string. */
void buf_puts(struct buf *b, const char *s);
/* Appends one byte. */
void buf_putc(struct buf *b, char c);
void buf_vprintf(struct buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends formatted text. */
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Empties the buffer, keeping its memory. */
void buf_reset(struct buf *b);
/* Returns the contents as a string ("" when empty); valid until the next change. */
const char *buf_str(const struct buf *b);
/* Releases heap memory (no-op for arena buffers). */
void buf_free(struct buf *b);

#endif
