/* db_rows: growing an arena array of rows as a query steps (private to src/db). */
#ifndef QUIRE_DB_ROWS_H
#define QUIRE_DB_ROWS_H
#include <stddef.h>
#include <string.h>

#include "arena.h"

#define DB_ROWS_FIRST 16 /* rows allocated before the first doubling */

/* Room for one more row of size bytes in *arr (n rows used, *cap allocated). The arena never
 * frees, so the array doubles, keeping the copies linear. The new row, zeroed, or NULL. */
static inline void *db_rows_add(struct arena *a, void *arr_p, size_t n, size_t *cap, size_t size)
{
	void **arr = arr_p;
	if (n == *cap) {
		size_t ncap = *cap ? *cap * 2 : DB_ROWS_FIRST;
		char *more = arena_alloc(a, ncap * size);
		if (!more)
			return NULL;
		if (n)
			memcpy(more, *arr, n * size);
		*arr = more;
		*cap = ncap;
	}
	char *row = (char *)*arr + n * size;
	memset(row, 0, size);
	return row;
}

#endif
