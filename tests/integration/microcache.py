"""microcache: quire behind conf/nginx-quire-cache.conf (set up as its header says), with gzip and
static caching from conf/nginx-quire.conf: HITs, what bypasses the cache, an approved comment
showing within 2 s, ETag/304 through the cache, exact view counts from nginx's views log (hits
that never reach quire, a miss counted once, a restart and a logrotate), compression with Vary,
one Cache-Control line on static and media, and the versioned stylesheet URL."""
import gzip
import hashlib
import os
import re
import shutil
import signal
import sqlite3
import time

from quiretest import Stack, ok, eq, contains, lacks, done

BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}
GZ = dict(BROWSER, **{"Accept-Encoding": "gzip"})

s = Stack("microcache", cache=True, config="[comments]\nmin_seconds = 0\nrate_limit = 0\nmoderation = all\n")
s.user("Ada Lovelace", "ada@example.org")
body = "\n\n".join("Paragraph %d of a post long enough to be worth compressing, about harbours." % i for i in range(40))
s.import_post({"title": "Hello", "slug": "hello", "date": "2026-01-01", "author": "Ada Lovelace"}, body + "\n")
s.import_post({"title": "Counted", "slug": "counted", "date": "2026-01-02", "author": "Ada Lovelace"}, body + "\n")
s.import_post({"title": "Comments", "slug": "talk", "date": "2026-01-03", "author": "Ada Lovelace"}, "Talk.\n")
s.import_post({"title": "Doomed", "slug": "doomed", "date": "2026-01-04", "author": "Ada Lovelace"}, "Soon gone.\n")
s.import_post({"title": "Renamed", "slug": "renamed", "date": "2026-01-05", "author": "Ada Lovelace"}, "Moving.\n")
s.start()
db = sqlite3.connect(s.db)


def q(sql, *args):
    row = db.execute(sql, args).fetchone()
    return row[0] if row else None


def views(path):
    return q("SELECT coalesce(sum(views), 0) FROM stats_pages WHERE path = ?", path)


def wait_views(path, want, timeout=8):
    end = time.time() + timeout
    while time.time() < end and views(path) < want:
        time.sleep(0.1)
    return views(path)


# --- HIT on the second request
r1 = s.get("/posts/hello", headers=BROWSER)
r2 = s.get("/posts/hello", headers=BROWSER)
eq((r1.status, r2.status), (200, 200), "the article answers 200 through the cache")
eq(r2.header("x-cache-status"), "HIT", "the second request is a HIT")
eq(r1.body, r2.body, "with the same page")
lacks(str(r2.all_headers).lower(), "x-quire-view", "quire's view mark is never sent to readers")
eq(r2.header("cache-control"), "public, no-cache", "readers still get quire's Cache-Control")
for path in ("/", "/feed.atom", "/sitemap.xml", "/tags/none"):
    s.get(path, headers=BROWSER)
    r = s.get(path, headers=BROWSER)
    ok(r.header("x-cache-status") in ("HIT", "UPDATING", "STALE") or r.status == 404,
       "%s is served from the cache (%s)" % (path, r.header("x-cache-status")))
r = s.get("/nope", headers=BROWSER)
r = s.get("/nope", headers=BROWSER)
eq((r.status, r.header("x-cache-status")), (404, "HIT"), "a 404 is kept (1 s) like a page")

# --- bypass: admin, its session cookie, POST, the held-comment view
jar, csrf = s.login("Ada Lovelace")
for i in range(2):
    r = s.get("/admin/", jar=jar)
eq((r.status, r.header("x-cache-status")), (200, "BYPASS"), "the admin is never served from the cache")
contains(r.body, "Dashboard", "and shows the logged-in admin's page")
r = s.get("/admin/login")
eq(r.header("x-cache-status"), "BYPASS", "the login page bypasses it too")
s.get("/posts/hello", headers=BROWSER)
r = s.get("/posts/hello", headers=dict(BROWSER, Cookie="quire_session=" + "ab" * 32))
eq(r.header("x-cache-status"), "BYPASS", "a request with the admin's session cookie bypasses the cache")
page = s.get("/posts/talk").body
tok = re.search(r'name="token" value="([^"]+)"', page).group(1)
r = s.post("/posts/talk/comments", {"author": "Reader", "email": "reader@example.org", "url": "",
                                     "comment": "A held remark about tides.", "token": tok})
ok(r.status == 303 and r.header("x-cache-status") in (None, "BYPASS"),
   "a comment POST goes to quire, never to the cache (%s)" % r.header("x-cache-status"))
held = r.header("location") or ""
contains(held, "unapproved=", "the comment is held, with the moderation link")
for i in range(2):
    r = s.get(held.replace(s.base, ""))
eq(r.header("x-cache-status"), "BYPASS", "the held-comment view bypasses the cache")
contains(r.body, "Your comment is awaiting moderation", "and shows its author the held comment")
for i in range(2):
    r = s.get("/posts/talk")
lacks(r.body, "A held remark about tides", "other readers do not see it")
eq(r.header("x-cache-status"), "HIT", "the article itself is cached again")

# --- a newly approved comment is visible within 2 s
cid = q("SELECT id FROM comments WHERE body LIKE 'A held remark%'")
t0 = time.time()
r = s.post("/admin/comments/%d" % cid, {"csrf": csrf, "action": "approve", "back": "pending"}, jar=jar)
eq(r.status, 303, "the admin approves it")
seen = None
while time.time() - t0 < 5:
    if "A held remark about tides" in s.get("/posts/talk", headers=BROWSER).body:
        seen = time.time() - t0
        break
    time.sleep(0.05)
ok(seen is not None and seen < 2.0, "the approved comment is visible through the cache within 2 s (%.2f s)"
   % (seen if seen is not None else -1))

# --- a deleted or renamed post replaces its cached copy, even under constant traffic (the
# background update's 404 or 301 is stored; were it not, nginx would serve the old 200 as stale)
def gone_within(path, want, limit=4.0):
    t0 = time.time()
    while time.time() - t0 < limit:
        if s.get(path, headers=BROWSER).status == want:
            return time.time() - t0
        time.sleep(0.05)
    return None


for path in ("/posts/doomed", "/posts/renamed"):
    s.get(path, headers=BROWSER)
    eq(s.get(path, headers=BROWSER).header("x-cache-status"), "HIT", "%s is cached" % path)
pid = q("SELECT id FROM posts WHERE slug = 'doomed'")
eq(s.post("/admin/posts/%d/delete" % pid, {"csrf": csrf}, jar=jar).status, 303, "the admin deletes a cached post")
took = gone_within("/posts/doomed", 404)
ok(took is not None and took < 3.0, "its address answers 404 through the cache within 3 s (%s)" % took)
time.sleep(1.5)
eq([s.get("/posts/doomed", headers=BROWSER).status for _ in range(5)], [404] * 5, "and keeps answering 404")
db.execute("UPDATE posts SET slug = 'moved' WHERE slug = 'renamed'")
db.execute("INSERT INTO slug_redirects(old_slug, post_id) SELECT 'renamed', id FROM posts WHERE slug = 'moved'")
db.commit()
took = gone_within("/posts/renamed", 301)
ok(took is not None and took < 3.0, "a renamed post's old address answers 301 within 3 s (%s)" % took)

# --- ETag and 304 through the cache
for hdrs in (BROWSER, GZ):
    r = s.get("/posts/hello", headers=hdrs)
    etag, lm = r.header("etag"), r.header("last-modified")
    ok(etag and lm, "ETag and Last-Modified through the cache (%s)" % hdrs.get("Accept-Encoding", "identity"))
    r = s.get("/posts/hello", headers=dict(hdrs, **{"If-None-Match": etag}))
    eq(r.status, 304, "a matching If-None-Match is answered 304 (%s)" % r.header("x-cache-status"))
    # nginx marks the ETag weak (W/) when it compresses, and sends it as stored on a 304
    eq((r.header("etag") or "").replace("W/", ""), etag.replace("W/", ""), "the 304 carries the ETag")
    r = s.get("/posts/hello", headers=dict(hdrs, **{"If-None-Match": '"0000"'}))
    eq(r.status, 200, "another ETag gets the page")
r = s.get("/posts/hello", headers=dict(BROWSER, **{"If-Modified-Since": lm}))
eq(r.status, 304, "If-Modified-Since the Last-Modified date: 304")
time.sleep(1.2)
r = s.get("/posts/hello", headers=dict(BROWSER, **{"If-None-Match": etag}))
eq(r.status, 304, "still 304 when the copy has expired (%s)" % r.header("x-cache-status"))

# --- gzip with Vary on every text type
checks = [("/posts/hello", "text/html"), ("/feed.atom", "application/atom+xml"),
          ("/sitemap.xml", "application/xml"), ("/static/quire.css", "text/css"),
          ("/static/favicon.svg", "image/svg+xml"), ("/robots.txt", "text/plain"),
          ("/posts/hello/comments.atom", "application/atom+xml")]
for path, ctype in checks:
    for attempt in range(3):
        # both from one fresh copy: a copy past its second is served once more while it refreshes
        s.get(path, headers=BROWSER)
        r, plain = s.get(path, headers=GZ), s.get(path, headers=BROWSER)
        if r.header("content-encoding") != "gzip" or gzip.decompress(r.raw) == plain.raw:
            break
    contains(r.header("content-type") or "", ctype, "%s is %s" % (path, ctype))
    eq(r.header("content-encoding"), "gzip", "%s is compressed" % path)
    contains(r.header("vary") or "", "Accept-Encoding", "%s carries Vary: Accept-Encoding" % path)
    ok(plain.header("content-encoding") is None and gzip.decompress(r.raw) == plain.raw,
       "%s: the same bytes uncompressed for a client without gzip" % path)
r = s.get("/posts/hello", headers=GZ)
ok(len(r.raw) * 3 < len(s.get("/posts/hello", headers=BROWSER).raw), "the article shrinks to under a third")

# --- one Cache-Control line on static files and media, a year, immutable
os.makedirs(os.path.join(s.dir, "media"), exist_ok=True)
with open(os.path.join(s.dir, "media", "pic.png"), "wb") as f:
    f.write(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
for path in ("/static/quire.css", "/static/favicon.svg", "/media/pic.png"):
    for hdrs in (BROWSER, GZ):
        r = s.get(path, headers=hdrs)
        cc = [v for k, v in r.all_headers if k == "cache-control"]
        eq(cc, ["public, max-age=31536000, immutable"], "%s: one Cache-Control line, a year, immutable" % path)
        lacks([k for k, v in r.all_headers], "expires", "%s: no Expires beside it" % path)
r = s.get("/static/nope.css")
eq((r.status, r.header("cache-control")), (404, None), "a missing static file is not cached for a year")

# --- the stylesheet's URL carries its version, which changes with the file
page = s.get("/posts/hello", headers=BROWSER).body
m = re.search(r'<link rel="stylesheet" href="/static/quire\.css\?v=([0-9a-f]{10})">', page)
css = open(os.path.join(s.templates, "..", "static", "quire.css"), "rb").read()
ok(m and m.group(1) == hashlib.blake2b(css, digest_size=16).hexdigest()[:10],
   "the stylesheet's URL has a version from its bytes")
ok(re.search(r'<link rel="icon" href="/static/favicon\.svg\?v=[0-9a-f]{10}"', page), "the icon's too")
eq(s.get("/static/quire.css?v=" + (m.group(1) if m else "x")).status, 200, "nginx serves the versioned URL")
copy = os.path.join(s.dir, "site")
shutil.copytree(os.path.join(s.templates), os.path.join(copy, "templates"))
os.makedirs(os.path.join(copy, "static"))
shutil.copy(os.path.join(s.templates, "..", "static", "favicon.svg"), os.path.join(copy, "static"))
with open(os.path.join(copy, "static", "quire.css"), "wb") as f:
    f.write(css + b"\n/* changed */\n")
s.templates = os.path.join(copy, "templates")
s.restart()
end, m2 = time.time() + 4, None
while time.time() < end:  # the cached copy is served once more while nginx refreshes it
    m2 = re.search(r'href="/static/quire\.css\?v=([0-9a-f]{10})"', s.get("/posts/hello", headers=BROWSER).body)
    if m2 and m and m2.group(1) != m.group(1):
        break
    time.sleep(0.2)
ok(m and m2 and m2.group(1) != m.group(1), "a changed stylesheet gets a new URL after a restart")
ok(m2 and m2.group(1) == hashlib.blake2b(css + b"\n/* changed */\n", digest_size=16).hexdigest()[:10],
   "from its new bytes")

# --- view counts from nginx's views log: exact, behind the cache
N = 30
before = views("/posts/counted")
eq(before, 0, "no views of the counted post yet")
statuses = []
t0 = time.monotonic()
for i in range(N):
    statuses.append(s.get("/posts/counted", headers=BROWSER).header("x-cache-status"))
spent = time.monotonic() - t0
# the copy is valid 1 s: each second the loop takes may cost a STALE and a refresh (a loaded
# machine makes the loop slow); every other answer is a HIT
ok(statuses.count("HIT") >= N - 1 - 2 * int(spent + 1) and statuses.count("HIT") >= N // 2 and statuses[0] == "MISS",
   "%d requests in %.1f s: the first a MISS, nearly all HITs (%s)" % (N, spent, ",".join(statuses)))
etag = s.get("/posts/counted", headers=BROWSER).header("etag")              # +1
s.get("/posts/counted", headers=dict(BROWSER, **{"If-None-Match": etag}))  # 304: not a view
s.get("/posts/counted", method="HEAD", headers=BROWSER)                     # HEAD: not a view
s.get("/posts/counted", headers={"User-Agent": "Googlebot/2.1"})           # a robot
s.get("/posts/counted?utm_source=letter", headers=BROWSER)                 # +1, a campaign
s.get("/posts/counted", headers=dict(BROWSER, Referer="https://news.example.net/front"))  # +1
got = wait_views("/posts/counted", N + 3)
eq(got, N + 3, "every view is counted once: %d cached and uncached GETs, not the 304, HEAD or robot" % (N + 3))
time.sleep(2.5)
eq(views("/posts/counted"), N + 3, "and no view twice (quire counts nothing itself)")
eq(q("SELECT sum(views) FROM stats_sources WHERE source = 'letter'"), 1, "the campaign is counted")
eq(q("SELECT sum(views) FROM stats_referrers WHERE host = 'news.example.net'"), 1, "the referrer's host is counted")
ok(q("SELECT count(*) FROM settings WHERE key = 'stats_log_position'") == 1, "quire keeps where it stopped reading")

# a restart neither loses nor repeats a view
s.restart()
time.sleep(2.5)
eq(views("/posts/counted"), N + 3, "after a restart of quire, no view is counted again")
for i in range(5):
    s.get("/posts/counted", headers=BROWSER)
eq(wait_views("/posts/counted", N + 8), N + 8, "and the next views are counted")

# logrotate: the log is renamed, nginx reopens it; views on both sides of the rename are counted
for i in range(4):
    s.get("/posts/counted", headers=BROWSER)
time.sleep(1.3)  # nginx's buffer: flush=1s
os.rename(s.views_log, s.views_log + ".1")
for i in range(3):
    s.get("/posts/counted", headers=BROWSER)  # written to the renamed file until nginx reopens
os.kill(s.nginx.pid, signal.SIGUSR1)
time.sleep(0.5)
for i in range(6):
    s.get("/posts/counted", headers=BROWSER)
eq(wait_views("/posts/counted", N + 21), N + 21, "a rotated log: every view before and after the rename")
ok(os.path.exists(s.views_log), "nginx writes a new log after the rename")
time.sleep(2)
eq(views("/posts/counted"), N + 21, "none twice")

log = open(os.path.join(s.dir, "quire.log")).read()
lacks(log, "failed", "quire logged no failure")
lacks(log, "not in the quire_views format", "every line of the views log was readable")
done()
