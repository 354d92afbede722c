/* db_stats: the analytics tables (sql/006_stats.sql): counted views written in, and the
 * per-day totals and top lists of /admin/stats read out. */
#ifndef QUIRE_DB_STATS_H
#define QUIRE_DB_STATS_H
#include <stdbool.h>

#include "arena.h"
#include "db.h"
#include "timefmt.h"

#define STATS_PATH_MAX 200
#define STATS_HOST_MAX 100
#define STATS_SOURCE_MAX 60
#define STATS_HASH_BYTES 16

/* One counted page view, as it is written. */
struct stats_view {
	char day[TIME_BUFSZ]; /* YYYY-MM-DD */
	char path[STATS_PATH_MAX];
	char host[STATS_HOST_MAX];     /* the referrer's host, or "" */
	char source[STATS_SOURCE_MAX]; /* utm_source, or "" */
	unsigned char hash[STATS_HASH_BYTES];
	bool unique; /* hash is set: the visitor did not ask not to be tracked */
};

/* The totals of one day. */
struct stats_day {
	char day[TIME_BUFSZ];
	long views, visitors;
};

/* One row of a top list: a path, host or source, its views, and for a post its title. */
struct stats_top {
	const char *label;
	const char *title; /* "" but for STATS_TOP_POSTS */
	long long views;
};

enum stats_top_kind { STATS_TOP_POSTS, STATS_TOP_REFERRERS, STATS_TOP_SOURCES };

/* Adds one view to the day's totals, its page, referrer and source (call inside a
 * transaction: a batch is written whole or not at all). 0 or -1. */
int stats_add_view(struct db *d, const struct stats_view *v);
/* Adds n views as n calls of stats_add_view would, with one upsert per distinct day and page,
 * referrer or source, and one visitor lookup per distinct hash (inside a transaction). 0 or -1. */
int stats_add_views(struct db *d, const struct stats_view *v, int n);
/* Forgets the visitor hashes of days before day (they only count a day's unique visitors).
 * The number forgotten, or -1. */
int stats_forget_visitors(struct db *d, const char *day);
/* Fills views and visitors of days[0..n), whose day the caller set (oldest first), from the
 * daily totals; a day without a row is zero. 0 or -1. */
int stats_daily(struct db *d, struct stats_day *days, int n);
/* The max most viewed of kind since day (inclusive) into out, strings in a: the count, or -1. */
int stats_top(struct db *d, struct arena *a, enum stats_top_kind kind, const char *since,
              struct stats_top *out, int max);

/* Where quire stopped reading nginx's views log: the file (device, inode) and the offset. */
struct stats_log_pos {
	unsigned long long dev, ino;
	long long off;
};
/* The position kept in the settings row: 1, 0 when none is kept, -1 on error. */
int stats_log_pos_get(struct db *d, struct stats_log_pos *p);
/* Keeps p (call in the transaction that writes the views read up to it). -1 on error. */
int stats_log_pos_set(struct db *d, const struct stats_log_pos *p);

#endif
