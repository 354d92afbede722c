/* db_stats: upserts per view (a batch of thousands is one transaction, so one fsync). */
#include "db_stats.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* 1 when v's visitor had not been seen today, 0 when seen, -1 on error. */
static int new_visitor(struct db *d, const struct stats_view *v)
{
	sqlite3_stmt *st = db_prep(d, "INSERT OR IGNORE INTO stats_visitors(day, hash) VALUES(?1, ?2)");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, v->day, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, v->hash, sizeof v->hash, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(d->h) : -1;
	sqlite3_reset(st);
	return rc;
}

int stats_add_view(struct db *d, const struct stats_view *v)
{
	int fresh = v->unique ? new_visitor(d, v) : 0;
	if (fresh < 0 ||
	    db_run(d,
	           "INSERT INTO stats_daily(day, views, visitors) VALUES(?1, 1, ?2) ON CONFLICT(day) DO "
	           "UPDATE SET views = views + 1, visitors = visitors + excluded.visitors",
	           DB_ARGS(DB_T(v->day), DB_I(fresh))) < 0 ||
	    db_run(d,
	           "INSERT INTO stats_pages(day, path, views) VALUES(?1, ?2, 1) ON CONFLICT DO UPDATE SET "
	           "views = views + 1",
	           DB_ARGS(DB_T(v->day), DB_T(v->path))) < 0)
		return -1;
	if (v->host[0] && db_run(d,
	                         "INSERT INTO stats_referrers(day, host, views) VALUES(?1, ?2, 1) "
	                         "ON CONFLICT DO UPDATE SET views = views + 1",
	                         DB_ARGS(DB_T(v->day), DB_T(v->host))) < 0)
		return -1;
	if (v->source[0] && db_run(d,
	                           "INSERT INTO stats_sources(day, source, views) VALUES(?1, ?2, 1) "
	                           "ON CONFLICT DO UPDATE SET views = views + 1",
	                           DB_ARGS(DB_T(v->day), DB_T(v->source))) < 0)
		return -1;
	return 0;
}

int stats_forget_visitors(struct db *d, const char *day)
{
	return db_run(d, "DELETE FROM stats_visitors WHERE day < ?1", DB_ARGS(DB_T(day)));
}

int stats_daily(struct db *d, struct stats_day *days, int n)
{
	for (int i = 0; i < n; i++)
		days[i].views = days[i].visitors = 0;
	if (n <= 0)
		return 0;
	sqlite3_stmt *st =
	    db_prep(d, "SELECT day, views, visitors FROM stats_daily WHERE day >= ?1 ORDER BY day");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, days[0].day, -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		for (int i = 0; i < n; i++)
			if (strcmp(days[i].day, db_text(st, 0)) == 0) {
				days[i].views = (long)sqlite3_column_int64(st, 1);
				days[i].visitors = (long)sqlite3_column_int64(st, 2);
			}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_msg("stats: daily totals: %s", db_errmsg(d));
		return -1;
	}
	return 0;
}

/* Each query: label, views, title; ?1 the first day, ?2 how many. */
static const char SQL_TOP_POSTS[] =
    "SELECT s.path, sum(s.views) AS v, coalesce(p.title, '') FROM stats_pages s LEFT JOIN posts p "
    "ON '/posts/' || p.slug = s.path WHERE s.day >= ?1 AND s.path LIKE '/posts/%' "
    "GROUP BY s.path ORDER BY v DESC, s.path LIMIT ?2";
static const char SQL_TOP_REFERRERS[] =
    "SELECT host, sum(views) AS v, '' FROM stats_referrers WHERE day >= ?1 GROUP BY host "
    "ORDER BY v DESC, host LIMIT ?2";
static const char SQL_TOP_SOURCES[] =
    "SELECT source, sum(views) AS v, '' FROM stats_sources WHERE day >= ?1 GROUP BY source "
    "ORDER BY v DESC, source LIMIT ?2";

int stats_top(struct db *d, struct arena *a, enum stats_top_kind kind, const char *since,
              struct stats_top *out, int max)
{
	const char *sql = kind == STATS_TOP_POSTS       ? SQL_TOP_POSTS
	                  : kind == STATS_TOP_REFERRERS ? SQL_TOP_REFERRERS
	                                                : SQL_TOP_SOURCES;
	sqlite3_stmt *st = db_prep(d, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, since, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, max);
	int n = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < max) {
		struct stats_top *t = &out[n];
		t->label = arena_strdup(a, db_text(st, 0));
		t->title = arena_strdup(a, db_text(st, 2));
		t->views = sqlite3_column_int64(st, 1);
		if (!t->label || !t->title) {
			rc = SQLITE_NOMEM;
			break;
		}
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) { /* a row left over: max were read */
		log_msg("stats: top list %d: %s", (int)kind,
		        rc == SQLITE_NOMEM ? "out of memory" : db_errmsg(d));
		return -1;
	}
	return n;
}

#define LOG_POS_KEY "stats_log_position"

int stats_log_pos_get(struct db *d, struct stats_log_pos *p)
{
	memset(p, 0, sizeof *p);
	sqlite3_stmt *st = db_prep(d, "SELECT value FROM settings WHERE key = '" LOG_POS_KEY "'");
	if (!st)
		return -1;
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		unsigned long long dev = 0, ino = 0;
		long long off = 0;
		if (sscanf(db_text(st, 0), "%llu %llu %lld", &dev, &ino, &off) == 3 && off >= 0) {
			p->dev = dev;
			p->ino = ino;
			p->off = off;
			found = 1;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		log_msg("stats: views log position: %s", db_errmsg(d));
		return -1;
	}
	return found;
}

int stats_log_pos_set(struct db *d, const struct stats_log_pos *p)
{
	char v[80];
	snprintf(v, sizeof v, "%llu %llu %lld", p->dev, p->ino, p->off);
	return db_run(d, "INSERT OR REPLACE INTO settings(key, value) VALUES('" LOG_POS_KEY "', ?1)",
	              DB_ARGS(DB_T(v)));
}

/* Orders of a batch: by day, then by one field. */
static int by_path(const void *a, const void *b)
{
	const struct stats_view *x = *(const struct stats_view *const *)a,
	                        *y = *(const struct stats_view *const *)b;
	int c = strcmp(x->day, y->day);
	return c ? c : strcmp(x->path, y->path);
}

static int by_host(const void *a, const void *b)
{
	const struct stats_view *x = *(const struct stats_view *const *)a,
	                        *y = *(const struct stats_view *const *)b;
	int c = strcmp(x->day, y->day);
	return c ? c : strcmp(x->host, y->host);
}

static int by_source(const void *a, const void *b)
{
	const struct stats_view *x = *(const struct stats_view *const *)a,
	                        *y = *(const struct stats_view *const *)b;
	int c = strcmp(x->day, y->day);
	return c ? c : strcmp(x->source, y->source);
}

static int by_visitor(const void *a, const void *b)
{
	const struct stats_view *x = *(const struct stats_view *const *)a,
	                        *y = *(const struct stats_view *const *)b;
	int c = strcmp(x->day, y->day);
	if (c)
		return c;
	if (x->unique != y->unique)
		return x->unique ? 1 : -1;
	return memcmp(x->hash, y->hash, sizeof x->hash);
}

static const char SQL_ADD_DAY[] = "INSERT INTO stats_daily(day, views, visitors) VALUES(?1, ?2, ?3) "
                                  "ON CONFLICT(day) DO UPDATE SET views = views + excluded.views, "
                                  "visitors = visitors + excluded.visitors";
static const char SQL_ADD_PAGE[] = "INSERT INTO stats_pages(day, path, views) VALUES(?1, ?2, ?3) "
                                   "ON CONFLICT DO UPDATE SET views = views + excluded.views";
static const char SQL_ADD_HOST[] = "INSERT INTO stats_referrers(day, host, views) VALUES(?1, ?2, ?3) "
                                   "ON CONFLICT DO UPDATE SET views = views + excluded.views";
static const char SQL_ADD_SOURCE[] = "INSERT INTO stats_sources(day, source, views) VALUES(?1, ?2, ?3) "
                                     "ON CONFLICT DO UPDATE SET views = views + excluded.views";

/* One upsert per run of equal (day, field) in the sorted idx; empty fields are not counted. */
static int add_runs(struct db *d, const struct stats_view **idx, int n, size_t field, const char *sql)
{
	for (int i = 0, j; i < n; i = j) {
		const char *val = (const char *)idx[i] + field;
		for (j = i + 1; j < n && strcmp(idx[j]->day, idx[i]->day) == 0 &&
		                strcmp((const char *)idx[j] + field, val) == 0;
		     j++)
			;
		if (*val && db_run(d, sql, DB_ARGS(DB_T(idx[i]->day), DB_T(val), DB_I(j - i))) < 0)
			return -1;
	}
	return 0;
}

int stats_add_views(struct db *d, const struct stats_view *v, int n)
{
	if (n <= 0)
		return 0;
	const struct stats_view **idx = malloc((size_t)n * sizeof *idx);
	if (!idx) {
		log_msg("stats: out of memory for a batch of %d views", n);
		return -1;
	}
	int rc = 0;
	for (int i = 0; i < n; i++)
		idx[i] = &v[i];
	/* per day: views, and the visitors not seen before (each distinct hash asked once) */
	qsort(idx, (size_t)n, sizeof *idx, by_visitor);
	for (int i = 0, j; i < n && rc == 0; i = j) {
		long long views = 0, fresh = 0;
		for (j = i; j < n && strcmp(idx[j]->day, idx[i]->day) == 0; j++) {
			views++;
			bool repeat = j > i && idx[j]->unique && idx[j - 1]->unique &&
			              memcmp(idx[j]->hash, idx[j - 1]->hash, sizeof idx[j]->hash) == 0;
			if (idx[j]->unique && !repeat) {
				int f = new_visitor(d, idx[j]);
				if (f < 0) {
					rc = -1;
					break;
				}
				fresh += f;
			}
		}
		if (rc == 0 &&
		    db_run(d, SQL_ADD_DAY, DB_ARGS(DB_T(idx[i]->day), DB_I(views), DB_I(fresh))) < 0)
			rc = -1;
	}
	if (rc == 0) {
		qsort(idx, (size_t)n, sizeof *idx, by_path);
		rc = add_runs(d, idx, n, offsetof(struct stats_view, path), SQL_ADD_PAGE);
	}
	if (rc == 0) {
		qsort(idx, (size_t)n, sizeof *idx, by_host);
		rc = add_runs(d, idx, n, offsetof(struct stats_view, host), SQL_ADD_HOST);
	}
	if (rc == 0) {
		qsort(idx, (size_t)n, sizeof *idx, by_source);
		rc = add_runs(d, idx, n, offsetof(struct stats_view, source), SQL_ADD_SOURCE);
	}
	free(idx);
	return rc;
}
