"""stats: server-side view counting: what counts and what does not, unique visitors from a
daily keyed hash without any stored IP, referrer hosts, utm_source, and the admin's chart."""
import re
import sqlite3
import time

from quiretest import Stack, ok, eq, contains, lacks, done

s = Stack("stats", config="[stats]\nflush_seconds = 1\n")
s.user("Ada Lovelace", "ada@example.org")
s.import_post({"title": "Counted post", "slug": "counted", "date": "2026-01-01", "tags": "t"})
s.start()
jar, csrf = s.login("Ada Lovelace")
db = sqlite3.connect(s.db)
A = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"}
B = {"User-Agent": "Mozilla/5.0 (Macintosh) Safari/605.1"}


def flush():
    # the admin stats page writes what is waiting; it is not itself counted
    return s.get("/admin/stats", jar=jar)


def q(sql, *args):
    return db.execute(sql, args).fetchone()[0]


def views(path=None):
    if path:
        return q("SELECT coalesce(sum(views), 0) FROM stats_pages WHERE path = ?", path)
    return q("SELECT coalesce(sum(views), 0) FROM stats_daily")


for i in range(3):
    s.get("/posts/counted", headers=A)
s.get("/posts/counted", headers=B)
s.get("/", headers=A)
s.get("/tags/t", headers=A)
flush()
eq(views("/posts/counted"), 4, "article views are counted")
eq(views("/"), 1, "home views are counted")
eq(views("/tags/t"), 1, "tag page views are counted")
eq(q("SELECT visitors FROM stats_daily"), 2, "two browsers are two unique visitors")
before = views()
s.get("/posts/counted", headers=A, method="HEAD")
etag = s.get("/posts/counted", headers=A).header("etag")
after_get = views()
s.get("/posts/counted", headers=dict(A, **{"If-None-Match": etag}))
s.get("/posts/counted", headers={"User-Agent": "Googlebot/2.1 (+http://www.google.com/bot.html)"})
s.get("/posts/counted", headers={"User-Agent": "Mozilla/5.0 (compatible; bingbot/2.0)"})
s.get("/posts/counted", headers={"User-Agent": ""})
s.get("/static/quire.css", headers=A)
s.get("/feed.atom", headers=A)
s.get("/nope", headers=A)
s.get("/admin/", jar=jar, headers=A)
flush()
eq(views(), before + 1, "HEAD, 304, bots, empty agents, static files, feeds, 404s and the admin are not counted")
eq(q("SELECT count(*) FROM stats_pages WHERE path LIKE '/admin%' OR path LIKE '/static%'"), 0, "no admin or static rows")

v0 = q("SELECT visitors FROM stats_daily")
s.get("/posts/counted", headers={"User-Agent": "Mozilla/5.0 DNT-browser", "DNT": "1"})
s.get("/posts/counted", headers={"User-Agent": "Mozilla/5.0 GPC-browser", "Sec-GPC": "1"})
flush()
eq(q("SELECT visitors FROM stats_daily"), v0, "DNT: 1 and Sec-GPC: 1 are not counted as unique visitors")
eq(views(), before + 3, "but their views are")

s.get("/posts/counted?utm_source=newsletter", headers=dict(A, Referer="https://News.Example.com/some/path?id=1"))
s.get("/posts/counted", headers=dict(A, Referer=s.base + "/"))
flush()
eq(db.execute("SELECT host, views FROM stats_referrers").fetchall(), [("news.example.com", 1)],
   "the referrer's host only, lower case; the blog's own pages are not referrers")
eq(db.execute("SELECT source, views FROM stats_sources").fetchall(), [("newsletter", 1)], "utm_source is counted")

# no IP address anywhere in the statistics
stats_tables = [r[0] for r in db.execute("SELECT name FROM sqlite_schema WHERE type='table' AND name LIKE 'stats_%'")]
dump = " ".join(str(row) for t in stats_tables for row in db.execute("SELECT * FROM " + t))
lacks(dump, "127.0.0.1", "no IP address in the statistics tables")
ok(all(len(h) == 16 for (h,) in db.execute("SELECT hash FROM stats_visitors")), "visitors are 16-byte keyed hashes")
eq(q("SELECT count(*) FROM stats_visitors WHERE day < date('now')"), 0, "no hash older than today is kept")

r = flush()
ok(r.status == 200 and '<svg class="chart"' in r.body, "/admin/stats draws an SVG chart")
ok(re.search(r'id="total-views">\d+<', r.body) and re.search(r'id="total-visitors">\d+<', r.body), "with totals")
contains(r.body, "Counted post", "top posts by title")
contains(r.body, "news.example.com", "top referrers")
contains(r.body, "newsletter", "campaigns")
ok(re.findall(r"<script[^>]*>", r.body) == [re.search(r'<script src="/static/admin\.js\?v=[0-9a-f]+" defer>', r.body).group(0)]
   if 'src="/static/admin.js' in r.body else "<script" not in r.body, "and no script but the admin layout's own")
for n in ("7", "30", "365"):
    r = s.get("/admin/stats?days=" + n, jar=jar)
    ok(r.status == 200 and '<svg class="chart"' in r.body, "the %s-day view" % n)
eq(len(re.findall(r'<rect class="bar"', s.get("/admin/stats?days=7", jar=jar).body)), 7, "one bar a day")
eq(s.get("/admin/stats").status, 303, "statistics need a login")
done()
