/* test_cache: the render cache under 8 threads: every hit is whole and owned by the caller, even
 * while other threads evict the entry it came from (run under ASan in make check). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "cache.h"
#include "tap.h"

#define THREADS 8
#define ROUNDS 20000
#define KEYS 64

static const char *const ctypes[] = {"text/html; charset=utf-8", "application/atom+xml; charset=utf-8",
                                     "application/xml; charset=utf-8", "text/plain; charset=utf-8"};
static int wrong[THREADS], hits[THREADS];

static void *hammer(void *arg)
{
	int id = (int)(long)arg;
	struct resp r;
	resp_init(&r);
	unsigned seed = (unsigned)id * 2654435761u + 1;
	for (int i = 0; i < ROUNDS; i++) {
		seed = seed * 1103515245u + 12345u;
		int k = (int)(seed >> 16) % KEYS;
		char key[32];
		snprintf(key, sizeof key, "/posts/k%d?", k);
		long long gen = (seed >> 8) % 3 == 0 ? 2 : 1; /* some gets and puts of a newer generation */
		if ((seed >> 4) % 2) {
			resp_reset(&r);
			buf_addf(&r.body, "body of %s ", key);
			for (int j = 0; j < k * 7; j++)
				buf_addc(&r.body, 'x');
			r.ctype = ctypes[k % 4];
			make_etag(&r.body, r.etag);
			cache_put(key, gen, 0, &r);
		} else {
			resp_reset(&r);
			if (cache_get(key, gen, 0, &r)) {
				hits[id]++;
				char want[64];
				int wl = snprintf(want, sizeof want, "body of %s ", key);
				/* read everything the hit handed out, after the lock is gone */
				if (strcmp(r.ctype, ctypes[k % 4]) != 0 ||
				    r.body.len != (size_t)(wl + k * 7) ||
				    memcmp(r.body.p, want, (size_t)wl) != 0)
					wrong[id]++;
				char etag[40];
				make_etag(&r.body, etag);
				if (strcmp(etag, r.etag) != 0)
					wrong[id]++;
			}
		}
	}
	resp_free(&r);
	return NULL;
}

int main(void)
{
	/* small: entries are evicted all the time */
	cache_configure(64 * 1024);
	pthread_t t[THREADS];
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, hammer, (void *)i);
	int total_hits = 0, total_wrong = 0;
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		total_hits += hits[i];
		total_wrong += wrong[i];
	}
	ok(total_hits > 0, "%d threads got %d hits", THREADS, total_hits);
	ok(total_wrong == 0, "every hit was whole: body, content type and ETag (%d wrong)", total_wrong);
	struct resp r;
	resp_init(&r);
	buf_adds(&r.body, "fresh");
	cache_put("/x?", 5, 0, &r);
	ok(cache_get("/x?", 5, 0, &r), "an entry of this generation is a hit");
	resp_reset(&r);
	ok(!cache_get("/x?", 6, 0, &r), "a newer generation is a miss");
	buf_adds(&r.body, "timed");
	cache_put("/y?", 5, 100, &r);
	ok(cache_get("/y?", 5, 99, &r), "valid before its time");
	ok(!cache_get("/y?", 5, 100, &r), "not at its time");
	resp_free(&r);
	return tap_done();
}
