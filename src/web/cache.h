/* cache: finished reader pages in memory, keyed by path and query, valid for one generation of
 * the database (sql/008_cache.sql bumps it on every change a reader could see) and until the
 * next scheduled post or comment closing. A stale page is never served. */
#ifndef QUIRE_CACHE_H
#define QUIRE_CACHE_H
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "http.h"

/* Sets the memory the cache may hold (bytes); 0 turns it off. */
void cache_configure(size_t max_bytes);
/* Fills r from the cache when key has an entry of this generation that is still valid. */
bool cache_get(const char *key, long long generation, time_t now, struct resp *r);
/* Stores r (a cacheable 200) for key; valid_until 0 means until the generation changes. */
void cache_put(const char *key, long long generation, time_t valid_until, const struct resp *r);
/* The pages held, the bytes they cost and the limit, for the status line. */
void cache_usage(size_t *n, size_t *bytes, size_t *max_bytes);

#endif
