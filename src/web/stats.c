/* stats: one process-wide buffer behind a mutex; whoever finds it due writes it, in one transaction. */
#include "stats.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "log.h"
#include "settings.h"
#include "text.h"
#include "timefmt.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct stats_view pending[STATS_BUFFER];
static int npending;
static long dropped; /* views not counted because the buffer was full */
static time_t last_flush;
static char key_day[TIME_BUFSZ], prev_day[TIME_BUFSZ];
static unsigned char day_key[crypto_generichash_KEYBYTES], prev_key[crypto_generichash_KEYBYTES],
    stray_key[crypto_generichash_KEYBYTES];

bool stats_is_bot(const char *ua)
{
	static const char *const marks[] = {
	    "bot",     "crawl",          "spider",     "slurp",   "facebookexternalhit", "preview", "scraper",
	    "monitor", "headlesschrome", "lighthouse", "pingdom", "feedfetcher"};
	if (!ua || !*ua)
		return true;
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (ci_contains(ua, marks[i]))
			return true;
	return false;
}

/* "https://Host.Example:8080/x" -> "host.example:8080" */
static bool url_host(const char *url, char out[STATS_HOST_MAX])
{
	const char *p = strstr(url ? url : "", "://");
	if (!p)
		return false;
	p += 3;
	size_t n = strcspn(p, "/?#");
	const char *at = memchr(p, '@', n); /* never keep user:password@ */
	if (at) {
		n -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	if (n == 0 || n >= STATS_HOST_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (!(isalnum(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']'))
			return false;
		out[i] = (char)tolower(c);
	}
	out[n] = '\0';
	return true;
}

bool stats_referrer_host(const char *referer, const char *own_base_url, char out[STATS_HOST_MAX])
{
	char own[STATS_HOST_MAX];
	if (!url_host(referer, out))
		return false;
	return !(url_host(own_base_url, own) && strcmp(own, out) == 0);
}

/* The day's key: a new random one per day. Two days are kept, so a line of nginx's views log
 * written just before midnight and read just after still finds yesterday's key. */
static const unsigned char *day_key_for(const char *day)
{
	if (strcmp(day, key_day) == 0)
		return day_key;
	if (strcmp(day, prev_day) == 0)
		return prev_key;
	if (strcmp(day, key_day) < 0) {
		/* older than both: a key of its own, forgotten at once (counted, never matched) */
		randombytes_buf(stray_key, sizeof stray_key);
		return stray_key;
	}
	/* a new day: a new key; the one before the previous day is gone for good */
	memcpy(prev_key, day_key, sizeof prev_key);
	snprintf(prev_day, sizeof prev_day, "%s", key_day);
	randombytes_buf(day_key, sizeof day_key);
	snprintf(key_day, sizeof key_day, "%s", day);
	return day_key;
}

static void visitor_hash(const char *day, const char *ip, const char *ua, unsigned char out[STATS_HASH_BYTES])
{
	const unsigned char *key = day_key_for(day);
	crypto_generichash_state st;
	crypto_generichash_init(&st, key, crypto_generichash_KEYBYTES, STATS_HASH_BYTES);
	crypto_generichash_update(&st, (const unsigned char *)ip, strlen(ip) + 1);
	crypto_generichash_update(&st, (const unsigned char *)ua, strlen(ua));
	crypto_generichash_final(&st, out, STATS_HASH_BYTES);
}

bool stats_view_make(const struct site *site, const struct stats_hit *h, struct stats_view *v)
{
	memset(v, 0, sizeof *v);
	if (site->cfg.stats != ON || stats_is_bot(h->ua))
		return false;
	time_ymd(h->when, v->day);
	snprintf(v->path, sizeof v->path, "%.*s", (int)utf8_cut(h->path, strlen(h->path), sizeof v->path - 1),
	         h->path);
	if (!stats_referrer_host(h->referer, site->cfg.base_url, v->host))
		v->host[0] = '\0';
	struct arena a = {0};
	char *s = NULL;
	if (query_get(&a, h->query, "utm_source", STATS_SOURCE_MAX, &s) == 1 && !has_control(s, strlen(s)))
		snprintf(v->source, sizeof v->source, "%s", s);
	arena_free(&a);
	v->unique = !(h->dnt && strcmp(h->dnt, "1") == 0) && !(h->gpc && strcmp(h->gpc, "1") == 0);
	if (v->unique) {
		pthread_mutex_lock(&lock);
		visitor_hash(v->day, h->ip ? h->ip : "", h->ua, v->hash);
		pthread_mutex_unlock(&lock);
	}
	return true;
}

void stats_count(const struct site *site, const struct req *q, const char *dnt, const char *gpc,
                 const char *referer)
{
	/* with a views log, nginx writes every view (cached or not) and quire reads them there */
	if (site->cfg.stats_log[0] || strcmp(q->method, "GET") != 0)
		return;
	struct stats_hit h = {.when = q->now,
	                      .path = q->raw_path,
	                      .query = q->query,
	                      .referer = referer,
	                      .ua = q->user_agent,
	                      .ip = q->remote_addr,
	                      .dnt = dnt,
	                      .gpc = gpc};
	struct stats_view v;
	if (!stats_view_make(site, &h, &v))
		return;
	pthread_mutex_lock(&lock);
	if (npending < STATS_BUFFER)
		pending[npending++] = v;
	else if (!dropped++) /* the database has been stuck for a long time: memory stays bounded */
		log_warn("stats: %d views waiting to be written: further views are not counted",
		         STATS_BUFFER);
	pthread_mutex_unlock(&lock);
}

/* Puts a batch that could not be written back in front of the views counted since. */
static void keep(const struct stats_view *batch, int n)
{
	pthread_mutex_lock(&lock);
	int room = STATS_BUFFER - n, later = npending < room ? npending : room;
	if (later < npending)
		dropped += npending - later;
	memmove(pending + n, pending, (size_t)later * sizeof *pending);
	memcpy(pending, batch, (size_t)n * sizeof *pending);
	npending = n + later;
	pthread_mutex_unlock(&lock);
}

int stats_flush(struct db *d, const struct site *site, bool force)
{
	static struct stats_view batch[STATS_BUFFER];
	static pthread_mutex_t writing = PTHREAD_MUTEX_INITIALIZER;
	time_t now = time(NULL);
	pthread_mutex_lock(&lock);
	bool due = npending > 0 && (force || npending >= site->cfg.flush_views ||
	                            now - last_flush >= site->cfg.flush_seconds);
	if (!due || pthread_mutex_trylock(&writing) != 0) {
		pthread_mutex_unlock(&lock);
		return 0;
	}
	int n = npending;
	memcpy(batch, pending, (size_t)n * sizeof *batch);
	npending = 0;
	last_flush = now;
	if (dropped) {
		log_warn("stats: %ld views were not counted while the database could not be written",
		         dropped);
		dropped = 0;
	}
	pthread_mutex_unlock(&lock);

	int rc = db_begin(d);
	if (rc == 0)
		rc = stats_add_views(d, batch, n);
	if (rc == 0) {
		char today[TIME_BUFSZ];
		time_ymd(now, today);
		/* a delete that fails (logged) is done by the next flush: old hashes only take room */
		stats_forget_visitors(d, today);
		rc = db_commit(d);
	}
	if (rc < 0) {
		log_warn("stats: flush of %d views failed, kept for the next try: %s", n, db_errmsg(d));
		db_rollback(d);
		keep(batch, n);
	}
	pthread_mutex_unlock(&writing);
	return rc;
}
