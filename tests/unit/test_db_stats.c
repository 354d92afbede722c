/* test_db_stats: views written in (totals, pages, referrers, sources, unique visitors), the daily
 * totals and top lists read out, and old visitor hashes forgotten; on an in-memory database. */
#include <stdio.h>
#include <string.h>

#include "db_stats.h"
#include "tap.h"

static struct stats_view view(const char *day, const char *path, const char *host, const char *source,
                              int visitor)
{
	struct stats_view v = {0};
	snprintf(v.day, sizeof v.day, "%s", day);
	snprintf(v.path, sizeof v.path, "%s", path);
	snprintf(v.host, sizeof v.host, "%s", host);
	snprintf(v.source, sizeof v.source, "%s", source);
	v.unique = visitor > 0;
	memset(v.hash, visitor, sizeof v.hash);
	return v;
}

int main(void)
{
	struct db d;
	struct arena a = {0};
	char err[256];
	if (db_open(&d, ":memory:", DB_CREATE, err, sizeof err) < 0 || db_migrate(&d, err, sizeof err) < 0) {
		printf("Bail out! %s\n", err);
		return 1;
	}
	ok(db_run(&d,
	          "INSERT INTO posts(slug, title, body_md, body_html, status, published_at, created_at, "
	          "updated_at) VALUES('hello', 'Hello', 'b', 'b', 'published', 1, 1, 1)",
	          DB_NOARGS) == 1,
	   "a post to name in the top list");
	struct stats_view v[] = {
	    view("2026-01-01", "/posts/hello", "news.example", "letter", 1),
	    view("2026-01-01", "/posts/hello", "", "", 1),             /* the same visitor again */
	    view("2026-01-01", "/", "news.example", "", 2),            /* another visitor */
	    view("2026-01-02", "/posts/gone", "other.example", "", 0), /* asked not to be tracked */
	    view("2026-01-03", "/posts/hello", "", "feed", 1),
	};
	int bad = 0;
	ok(db_begin(&d) == 0, "a batch is one transaction");
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		bad += stats_add_view(&d, &v[i]) < 0;
	ok(bad == 0 && db_commit(&d) == 0, "five views written");

	struct stats_day days[4];
	const char *names[] = {"2025-12-31", "2026-01-01", "2026-01-02", "2026-01-03"};
	for (int i = 0; i < 4; i++)
		snprintf(days[i].day, sizeof days[i].day, "%s", names[i]);
	days[0].views = 99;
	ok(stats_daily(&d, days, 4) == 0, "daily totals read");
	ok(days[0].views == 0 && days[0].visitors == 0, "a day without views is zero");
	ok(days[1].views == 3 && days[1].visitors == 2, "three views by two visitors (%ld, %ld)",
	   days[1].views, days[1].visitors);
	ok(days[2].views == 1 && days[2].visitors == 0, "an untracked view counts no visitor");
	ok(days[3].views == 1 && days[3].visitors == 1, "a visitor is new again on another day");

	struct stats_top top[10];
	int n = stats_top(&d, &a, STATS_TOP_POSTS, "2026-01-01", top, 10);
	ok(n == 2, "two posts viewed (%d)", n);
	ok(n == 2 && strcmp(top[0].label, "/posts/hello") == 0 && top[0].views == 3 &&
	       strcmp(top[0].title, "Hello") == 0,
	   "the most viewed first, with its title");
	ok(n == 2 && strcmp(top[1].title, "") == 0, "a path with no post has no title");
	ok(stats_top(&d, &a, STATS_TOP_POSTS, "2026-01-03", top, 10) == 1 && top[0].views == 1,
	   "only days since the first one count");
	ok(stats_top(&d, &a, STATS_TOP_POSTS, "2026-01-01", top, 1) == 1, "at most max rows");
	n = stats_top(&d, &a, STATS_TOP_REFERRERS, "2026-01-01", top, 10);
	ok(n == 2 && strcmp(top[0].label, "news.example") == 0 && top[0].views == 2 &&
	       strcmp(top[1].label, "other.example") == 0,
	   "referrers by views, no empty host");
	n = stats_top(&d, &a, STATS_TOP_SOURCES, "2026-01-01", top, 10);
	ok(n == 2 && strcmp(top[0].label, "feed") == 0 && strcmp(top[1].label, "letter") == 0,
	   "sources: ties in name order");

	sqlite3_int64 left = -1;
	ok(stats_forget_visitors(&d, "2026-01-03") == 2, "visitor hashes of earlier days forgotten");
	ok(db_int(&d, &left, "SELECT count(*) FROM stats_visitors", DB_NOARGS) == 1 && left == 1,
	   "today's are kept");
	struct stats_view again = view("2026-01-03", "/", "", "", 1);
	ok(stats_add_view(&d, &again) == 0 && stats_daily(&d, days, 4) == 0 && days[3].visitors == 1 &&
	       days[3].views == 2,
	   "a visitor seen today is not counted twice");

	/* a batch through stats_add_views leaves the tables exactly as view by view does */
	struct db one = {0}, many = {0};
	bool opened = db_open(&one, ":memory:", DB_CREATE, err, sizeof err) == 0 &&
	              db_migrate(&one, err, sizeof err) >= 0 &&
	              db_open(&many, ":memory:", DB_CREATE, err, sizeof err) == 0 &&
	              db_migrate(&many, err, sizeof err) >= 0;
	ok(opened, "two more databases (%s)", opened ? "" : err);
	struct stats_view batch[40];
	static const char *const paths[] = {"/", "/posts/a", "/posts/b"};
	static const char *const hosts[] = {"", "news.example", "mail.example"};
	static const char *const sources[] = {"", "letter", "", "feed"};
	for (int i = 0; i < 40; i++)
		batch[i] = view(i < 30 ? "2026-02-01" : "2026-02-02", paths[i % 3], hosts[i % 3 ? i % 3 : 0],
		                sources[i % 4], i % 5 == 0 ? 0 : i % 7 + 1);
	bad = 0;
	for (int i = 0; opened && i < 40; i++)
		bad += stats_add_view(&one, &batch[i]) < 0;
	/* in two parts, the second repeating visitors of the first */
	ok(opened && bad == 0 && stats_add_views(&many, batch, 25) == 0 &&
	       stats_add_views(&many, batch + 25, 15) == 0,
	   "forty views written one by one, and as two batches");
	static const char *const tables[] = {
	    "SELECT group_concat(day || ':' || views || ':' || visitors, ' ') FROM (SELECT * FROM "
	    "stats_daily ORDER BY day)",
	    "SELECT group_concat(day || path || ':' || views, ' ') FROM (SELECT * FROM stats_pages "
	    "ORDER BY day, path)",
	    "SELECT group_concat(day || host || ':' || views, ' ') FROM (SELECT * FROM stats_referrers "
	    "ORDER BY day, host)",
	    "SELECT group_concat(day || source || ':' || views, ' ') FROM (SELECT * FROM stats_sources "
	    "ORDER BY day, source)",
	    "SELECT count(*) || '' FROM stats_visitors"};
	for (size_t i = 0; opened && i < sizeof tables / sizeof tables[0]; i++) {
		char x[2048] = "", y[2048] = "";
		ok(db_str(&one, x, sizeof x, tables[i], DB_NOARGS) == 1 &&
		       db_str(&many, y, sizeof y, tables[i], DB_NOARGS) == 1 && strcmp(x, y) == 0 && *x,
		   "the same %s (%s)",
		   i == 0   ? "daily totals"
		   : i == 4 ? "visitors"
		            : "top list",
		   x);
	}
	ok(stats_add_views(&many, batch, 0) == 0, "an empty batch writes nothing");
	db_close(&one);
	db_close(&many);
	arena_free(&a);
	db_close(&d);
	return tap_done();
}
