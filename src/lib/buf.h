/* buf: a growable byte buffer, the one output type of quire. */
#ifndef QUIRE_BUF_H
#define QUIRE_BUF_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
	char *p; /* always NUL-terminated when len > 0 or after buf_cstr */
	size_t len;
	size_t cap;
	bool oom; /* set once an allocation failed; later writes are dropped */
};

#define BUF_INIT                                                                                             \
	{                                                                                                    \
		NULL, 0, 0, false                                                                            \
	}

void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/* Returns the contents as a C string ("" for an empty buffer). */
const char *buf_cstr(struct buf *b);
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
/* Hands the storage to the caller (who frees it); the buffer is empty after. */
char *buf_detach(struct buf *b);

#endif
