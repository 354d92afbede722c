/* cache: a hash table with an LRU list behind one mutex; entries are copied in and out. */
#include "cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define CACHE_BUCKETS 4096

struct entry {
	char *key;
	long long generation;
	time_t valid_until, last_modified;
	char etag[40], ctype[CTYPE_MAX];
	long long token_post; /* as struct resp holds it */
	char *body;
	size_t len, cost;
	struct entry *hnext, *prev, *next;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct entry *buckets[CACHE_BUCKETS];
static struct entry *lru_head, *lru_tail; /* head: most recently used */
static size_t used, limit, entries;

void cache_configure(size_t max_bytes)
{
	limit = max_bytes;
}

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void lru_unlink(struct entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		lru_head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		lru_tail = e->prev;
	e->prev = e->next = NULL;
}

static void lru_front(struct entry *e)
{
	e->next = lru_head;
	e->prev = NULL;
	if (lru_head)
		lru_head->prev = e;
	lru_head = e;
	if (!lru_tail)
		lru_tail = e;
}

static struct entry **slot(const char *key)
{
	struct entry **p = &buckets[hash(key) % CACHE_BUCKETS];
	while (*p && strcmp((*p)->key, key) != 0)
		p = &(*p)->hnext;
	return p;
}

static void drop(struct entry *e)
{
	struct entry **p = slot(e->key);
	if (*p == e)
		*p = e->hnext;
	lru_unlink(e);
	used -= e->cost;
	entries--;
	free(e->key);
	free(e->body);
	free(e);
}

bool cache_get(const char *key, long long generation, time_t now, struct resp *r)
{
	if (!limit)
		return false;
	bool hit = false;
	pthread_mutex_lock(&lock);
	struct entry *e = *slot(key);
	if (e && (e->generation != generation || (e->valid_until && now >= e->valid_until))) {
		drop(e);
		e = NULL;
	}
	if (e) {
		buf_reset(&r->body);
		buf_add(&r->body, e->body, e->len);
		if (!r->body.oom) {
			r->status = 200;
			r->cacheable = true;
			/* copied: another thread may evict e as soon as the lock is released */
			memcpy(r->ctype_own, e->ctype, sizeof r->ctype_own);
			r->ctype = r->ctype_own;
			r->last_modified = e->last_modified;
			memcpy(r->etag, e->etag, sizeof r->etag);
			r->token_post = e->token_post;
			lru_unlink(e);
			lru_front(e);
			hit = true;
		}
	}
	pthread_mutex_unlock(&lock);
	return hit;
}

void cache_put(const char *key, long long generation, time_t valid_until, const struct resp *r)
{
	size_t cost = r->body.len + strlen(key) + sizeof(struct entry);
	if (!limit || cost > limit / 8)
		return;
	struct entry *e = calloc(1, sizeof *e);
	if (!e || !(e->key = strdup(key)) || !(e->body = malloc(r->body.len ? r->body.len : 1))) {
		if (e)
			free(e->key);
		free(e);
		return;
	}
	memcpy(e->body, r->body.p, r->body.len);
	e->len = r->body.len;
	e->cost = cost;
	e->generation = generation;
	e->valid_until = valid_until;
	e->last_modified = r->last_modified;
	e->token_post = r->token_post;
	memcpy(e->etag, r->etag, sizeof e->etag);
	snprintf(e->ctype, sizeof e->ctype, "%s", r->ctype);
	pthread_mutex_lock(&lock);
	struct entry *old = *slot(key);
	if (old)
		drop(old);
	while (used + cost > limit && lru_tail)
		drop(lru_tail);
	struct entry **p = slot(key);
	e->hnext = *p;
	*p = e;
	lru_front(e);
	used += cost;
	entries++;
	pthread_mutex_unlock(&lock);
}

void cache_usage(size_t *n, size_t *bytes, size_t *max_bytes)
{
	pthread_mutex_lock(&lock);
	*n = entries;
	*bytes = used;
	*max_bytes = limit;
	pthread_mutex_unlock(&lock);
}
