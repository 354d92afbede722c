/* test_stats_log: lines of nginx's views log (log_format quire_views) as quire reads them, and the
 * counting rules they go through (stats_view_make). */
#include <string.h>

#include "settings.h"
#include "stats_log.h"
#include "tap.h"

int main(void)
{
	struct site site;
	memset(&site, 0, sizeof site);
	config_init(&site.cfg);
	struct stats_hit h;
	struct stats_view v;

	char l1[] = "qv1\t1795661497.298\t200\tGET\t192.0.2.7\t/posts/hello?utm_source=news&x=1\t"
	            "https://Example.ORG/a/b\tMozilla/5.0 (X11) \\x22quoted\\x22\t-\t-";
	ok(stats_log_parse(l1, &h) == 1, "a GET answered 200 is a view");
	ok(h.when == 1795661497, "the time is the integer part of $msec");
	is_str(h.path, "/posts/hello", "the path stops at '?'");
	is_str(h.query, "utm_source=news&x=1", "the query follows it");
	is_str(h.ip, "192.0.2.7", "the client address");
	is_str(h.ua, "Mozilla/5.0 (X11) \"quoted\"", "nginx's \\xHH escapes are undone");
	is_str(h.dnt, "", "'-' is an empty value");
	ok(stats_view_make(&site, &h, &v), "a browser's view counts");
	is_str(v.day, "2026-11-26", "on the UTC day of the line");
	is_str(v.path, "/posts/hello", "for its path");
	is_str(v.host, "example.org", "with the referrer's host only, in lower case");
	is_str(v.source, "news", "and utm_source");
	ok(v.unique, "a visitor who did not opt out is hashed");

	struct stats_view v2;
	char l2[] =
	    "qv1\t1795661500.001\t200\tGET\t192.0.2.7\t/\t-\tMozilla/5.0 (X11) \\x22quoted\\x22\t-\t-";
	ok(stats_log_parse(l2, &h) == 1 && stats_view_make(&site, &h, &v2) &&
	       memcmp(v.hash, v2.hash, sizeof v.hash) == 0,
	   "the same visitor the same day has the same hash");
	char l2b[] =
	    "qv1\t1795661500.001\t200\tGET\t192.0.2.8\t/\t-\tMozilla/5.0 (X11) \\x22quoted\\x22\t-\t-";
	ok(stats_log_parse(l2b, &h) == 1 && stats_view_make(&site, &h, &v2) &&
	       memcmp(v.hash, v2.hash, sizeof v.hash) != 0,
	   "another address, another hash");

	char l3[] = "qv1\t1795661497.298\t304\tGET\t192.0.2.7\t/posts/hello\t-\tMozilla/5.0\t-\t-";
	ok(stats_log_parse(l3, &h) == 0, "a 304 is not a view");
	char l4[] = "qv1\t1795661497.298\t200\tHEAD\t192.0.2.7\t/posts/hello\t-\tMozilla/5.0\t-\t-";
	ok(stats_log_parse(l4, &h) == 0, "a HEAD is not a view");
	char l5[] = "qv1\t1795661497.298\t200\tGET\t192.0.2.7\t/\t-\tGooglebot/2.1\t-\t-";
	ok(stats_log_parse(l5, &h) == 1 && !stats_view_make(&site, &h, &v), "a robot is not counted");
	char l6[] = "qv1\t1795661497.298\t200\tGET\t192.0.2.7\t/\t-\tMozilla/5.0\t1\t-";
	ok(stats_log_parse(l6, &h) == 1 && stats_view_make(&site, &h, &v) && !v.unique,
	   "DNT: 1 counts the view, not the visitor");
	char l7[] = "qv1\t1795661497.298\t200\tGET\t192.0.2.7\t/\t-\tMozilla/5.0\t-\t1";
	ok(stats_log_parse(l7, &h) == 1 && stats_view_make(&site, &h, &v) && !v.unique,
	   "Sec-GPC: 1 likewise");
	char l8[] = "127.0.0.1 - - [26/Nov/2026:02:51:37 +0000] \"GET / HTTP/1.1\" 200 1234 \"-\" \"curl\"";
	ok(stats_log_parse(l8, &h) == -1, "a line of another format is refused");
	char l9[] = "qv1\t1795661497.298\t200\tGET";
	ok(stats_log_parse(l9, &h) == -1, "a cut line is refused");
	char l10[] = "qv1\tsoon\t200\tGET\t192.0.2.7\t/\t-\tMozilla/5.0\t-\t-";
	ok(stats_log_parse(l10, &h) == -1, "a time that is not a number is refused");
	char l11[] = "qv1\t1795661497.298\t200\tGET\t192.0.2.7\t/\t-\tMozilla/5.0\t-\t-\textra";
	ok(stats_log_parse(l11, &h) == -1, "a line with more fields is refused");
	site.cfg.stats = OFF;
	char l12[] = "qv1\t1795661497.298\t200\tGET\t192.0.2.7\t/\t-\tMozilla/5.0\t-\t-";
	ok(stats_log_parse(l12, &h) == 1 && !stats_view_make(&site, &h, &v),
	   "[stats] enabled = off counts nothing");
	config_free(&site.cfg);
	return tap_done();
}
