/* arena.c - region allocator: chunks from malloc, bump allocation, one release. */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

struct arena_chunk {
	struct arena_chunk *next;
	size_t size; /* usable bytes after the header */
	size_t used;
	max_align_t data[];
};

#define ALIGN (_Alignof(max_align_t))

void
arena_init(struct arena *a, size_t chunk_size)
{
	a->head = NULL;
	a->chunk_size = chunk_size ? chunk_size : 8192;
	a->total = 0;
}

static struct arena_chunk *
chunk_new(struct arena *a, size_t need)
{
	size_t size = a->chunk_size;
	if (need > size)
		size = need;
	if (size > SIZE_MAX - sizeof(struct arena_chunk))
		die("arena: allocation of %zu bytes is too large", need);
	struct arena_chunk *c = malloc(sizeof(*c) + size);
	if (c == NULL)
		die("arena: out of memory (%zu bytes)", size);
	c->size = size;
	c->used = 0;
	c->next = a->head;
	a->head = c;
	a->total += size;
	/* Grow geometrically so that a big page costs few mallocs. */
	if (a->chunk_size < 1u << 20)
		a->chunk_size *= 2;
	return c;
}

void *
arena_alloc(struct arena *a, size_t n)
{
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ALIGN)
		die("arena: allocation of %zu bytes is too large", n);
	n = (n + ALIGN - 1) & ~(ALIGN - 1);
	struct arena_chunk *c = a->head;
	if (c == NULL || c->size - c->used < n)
		c = chunk_new(a, n);
	void *p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

void *
arena_zalloc(struct arena *a, size_t n)
{
	void *p = arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("arena_printf: bad format");
	char *p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void
arena_free(struct arena *a)
{
	struct arena_chunk *c = a->head;
	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->total = 0;
}
