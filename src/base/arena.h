/* arena.h - region allocator: many small allocations released in one call. */
#ifndef COEXIST_ARENA_H
#define COEXIST_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head; /* newest chunk, where allocation happens */
	size_t chunk_size;        /* size of the next ordinary chunk */
	size_t total;             /* bytes obtained from malloc, for limits and metrics */
};

/* Prepares an empty arena; nothing is allocated until the first use. */
void arena_init(struct arena *a, size_t chunk_size);
/* Returns n bytes aligned for any type; aborts with a message when memory runs out. */
void *arena_alloc(struct arena *a, size_t n) __attribute__((returns_nonnull));
/* Same as arena_alloc, zero-filled. */
void *arena_zalloc(struct arena *a, size_t n) __attribute__((returns_nonnull));
/* Copies n bytes and adds a NUL terminator. */
char *arena_strndup(struct arena *a, const char *s, size_t n) __attribute__((returns_nonnull));
/* Copies a NUL-terminated string. */
char *arena_strdup(struct arena *a, const char *s) __attribute__((returns_nonnull));
/* Formats like printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), returns_nonnull));
/* Releases every allocation at once; the arena can be used again afterwards. */
void arena_free(struct arena *a);

#endif
