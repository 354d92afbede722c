"""cache: the render cache never serves a stale page: any write a reader could see (through
quire or straight into SQLite), a scheduled post's time, or the subscriber count makes the next
request render afresh; cached article pages still get a fresh comment form token."""
import datetime
import re
import sqlite3
import time

from quiretest import Stack, ok, eq, contains, lacks, done

s = Stack("cache", config="[comments]\nmin_seconds = 0\nmoderation = none\n")
s.import_post({"title": "Cached post", "slug": "cached", "date": "2026-01-01"}, "First version.\n")
s.start()
db = sqlite3.connect(s.db)


def token(body):
    m = re.search(r'name="token" value="([^"]+)"', body)
    return m.group(1) if m else ""


a, b = s.get("/posts/cached"), s.get("/posts/cached")
eq(a.header("etag"), b.header("etag"), "a cached page keeps its ETag")
eq(re.sub(r'name="token" value="[^"]+"', "", a.body), re.sub(r'name="token" value="[^"]+"', "", b.body),
   "and its bytes, but for the form token")
time.sleep(1.1)
c = s.get("/posts/cached")
ok(token(c.body) != token(a.body) and len(token(c.body)) == 60, "each answer has a fresh form token")
r = s.post("/posts/cached/comments", {"author": "Ann", "email": "ann@example.org", "comment": "From a cached page.",
                                      "token": token(c.body)})
eq(r.status, 303, "a token from a cached page is accepted")
contains(s.get("/posts/cached").body, "From a cached page.", "the new comment shows at once")
contains(s.get("/").body, "1 Response", "and the home page counts it at once")

db.execute("UPDATE posts SET body_html = '<p>Changed behind quire''s back.</p>' WHERE slug = 'cached'")
db.commit()
contains(s.get("/posts/cached").body, "Changed behind quire's back.", "a write straight into SQLite is seen at once")
db.execute("INSERT INTO subscribers(email, status, wants_posts, created_at) VALUES ('x@example.org', 'confirmed', 1, 0)")
db.commit()
contains(s.get("/posts/cached").body, "Join 1 other subscriber", "the subscriber count is never stale")

# far enough ahead that a loaded machine still looks before the time comes
soon = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=10)
s.import_post({"title": "Appears soon", "slug": "soon", "date": soon.strftime("%Y-%m-%dT%H:%M:%SZ")})
lacks(s.get("/").body, "/posts/soon", "a scheduled post is not listed before its time (page now cached)")
time.sleep(max(0, (soon - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) + 1.1)
contains(s.get("/").body, "/posts/soon", "the cached home page gives way when the post's time comes")

# each kind of write through quire itself
s.user("Ada Lovelace", "ada@example.org")
jar, csrf = s.login("Ada Lovelace")
s.get("/posts/cached")
s.get("/")
s.import_post({"title": "Cached post", "slug": "cached", "date": "2026-01-01"}, "Edited by import.\n")
contains(s.get("/posts/cached").body, "Edited by import.", "a post edited (quire post import) shows at once")
s.import_post({"title": "Brand new", "slug": "brand-new", "date": "2026-01-02"})
contains(s.get("/").body, "/posts/brand-new", "a post published shows on the cached home page at once")
r = s.post("/admin/posts", {"csrf": csrf, "title": "From the admin", "body": "x", "action": "publish"}, jar=jar)
contains(s.get("/").body, "From the admin", "a post published in the admin too")
db.execute("UPDATE comments SET status = 'pending' WHERE body = 'From a cached page.'")
db.commit()
lacks(s.get("/posts/cached").body, "From a cached page.", "an unapproved comment leaves at once")
cid = db.execute("SELECT id FROM comments WHERE body = 'From a cached page.'").fetchone()[0]
s.post("/admin/comments/%d" % cid, {"csrf": csrf, "action": "approve"}, jar=jar)
contains(s.get("/posts/cached").body, "From a cached page.", "a comment approved in the admin shows at once")
s.post("/subscribe", {"email": "new@example.org"})
tokrow = db.execute("SELECT count(*) FROM subscribers").fetchone()[0]
db.execute("UPDATE subscribers SET status = 'confirmed', wants_posts = 1 WHERE email = 'new@example.org'")
db.commit()
contains(s.get("/posts/cached").body, "Join 2 other subscribers", "a confirmed subscriber changes the count at once")

r1 = s.get("/search?q=cached")
r2 = s.get("/search?q=version")
ok(r1.body != r2.body, "different queries are different cache entries")
eq(s.get("/posts/cached", headers={"If-None-Match": s.get("/posts/cached").header("etag")}).status, 304,
   "a cached page answers 304")
done()
