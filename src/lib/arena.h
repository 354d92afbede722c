/* arena: per-request bump allocator; everything is freed at once by arena_reset. */
#ifndef QUIRE_ARENA_H
#define QUIRE_ARENA_H
#include <stddef.h>

struct arena_chunk;
struct arena {
	struct arena_chunk *head;
	size_t total; /* bytes handed out since the last reset, for limits */
};

/* Each returns NULL when memory runs out; callers treat that as a 500. */
void *arena_alloc(struct arena *a, size_t n);
void *arena_calloc(struct arena *a, size_t n, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Keeps the first chunk for reuse, frees the rest. */
void arena_reset(struct arena *a);
void arena_free(struct arena *a);

#endif
