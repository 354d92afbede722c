"""import_safety: a WordPress import never makes anything protected public, never overwrites a post
it did not create, keeps every draft, keeps pending comments pending and counts what it skips, and a
second import of the same file changes nothing (tests/data/wordpress_safety.xml)."""
import os
import re
import sqlite3

from quiretest import SRCDIR, Stack, run, ok, eq, contains, lacks, done

WXR = os.path.join(SRCDIR, "tests", "data", "wordpress_safety.xml")
s = Stack("import-safety")
s.user("Nat", "nat@example.org")
s.import_post({"title": "Native Clash", "slug": "native-clash", "author": "Nat"}, "Nativewords written here.\n")
s.import_post({"title": "Twin Native", "slug": "twin-2", "author": "Nat"}, "Nativetwinwords.\n")
db = sqlite3.connect(s.db)


def q(sql, *args):
    row = db.execute(sql, args).fetchone()
    return row[0] if row else None


native = db.execute("SELECT id, title, body_md, updated_at FROM posts WHERE slug = 'native-clash'").fetchone()
native2 = db.execute("SELECT id, title, body_md, updated_at FROM posts WHERE slug = 'twin-2'").fetchone()

rc, out, err = run(["import", "wxr", "--db", s.db, WXR])
ok(rc == 0, "the export imports", out + err)
contains(out, "posts: 11 created, 0 updated, 0 unchanged, 0 skipped", "every post of the export is created, none skipped")
contains(out, "2 protected or private imported as drafts", "private and password-protected posts are reported")
contains(out, "1 pending imported as drafts", "a pending post is reported")
contains(out, "2 slugs taken by other posts, given new ones", "slug clashes are reported")
contains(err, "native-clash-2", "each clash names the new slug")
contains(out, "comments: 3 created, 0 already there, 2 skipped", "the approved and the two pending comments")
contains(out, "comments: 2 pending (moderation queue); skipped: 1 spam, 1 trash", "each kind is counted")

# 1. protection and status
for wp, what in ((102, "private"), (103, "password-protected"), (104, "pending")):
    eq(q("SELECT status FROM posts WHERE wp_id = ?", wp), "draft", "a %s post imports as a draft" % what)
eq(q("SELECT status FROM posts WHERE wp_id = 101"), "published", "a public post stays published")

# 2. never overwrite a post the import did not create
eq(db.execute("SELECT id, title, body_md, updated_at FROM posts WHERE slug = 'native-clash'").fetchone(), native,
   "the native post with the clashing slug is untouched")
eq(db.execute("SELECT id, title, body_md, updated_at FROM posts WHERE slug = 'twin-2'").fetchone(), native2,
   "the native post holding the next free slug is untouched too")
eq(q("SELECT slug FROM posts WHERE wp_id = 105"), "native-clash-2", "the imported one gets a new slug")
eq(q("SELECT slug FROM posts WHERE wp_id = 106"), "twin", "the first of two WordPress posts keeps the slug")
eq(q("SELECT slug FROM posts WHERE wp_id = 107"), "twin-3", "the second gets the next free one")
contains(q("SELECT body_md FROM posts WHERE wp_id = 107"), "Twintwowords", "with its own body")

# 3. drafts all kept, each its own post
eq(q("SELECT count(DISTINCT id) FROM posts WHERE wp_id IN (108, 109, 110, 111) AND status = 'draft'"), 4,
   "untitled and same-titled drafts are four posts")
contains(q("SELECT body_md FROM posts WHERE wp_id = 108"), "Untitledonewords", "the first untitled draft")
contains(q("SELECT body_md FROM posts WHERE wp_id = 109"), "Untitledtwowords", "the second untitled draft")
contains(q("SELECT body_md FROM posts WHERE wp_id = 110"), "Sametitleonewords", "the first same-titled draft")
contains(q("SELECT body_md FROM posts WHERE wp_id = 111"), "Sametitletwowords", "the second same-titled draft")
eq(q("SELECT count(*) FROM posts"), 13, "eleven imported and two native posts")

# 4. comments
eq(q("SELECT status FROM comments WHERE body LIKE 'Approved%'"), "approved", "an approved comment")
eq(q("SELECT status FROM comments WHERE body LIKE 'Pendingwords%'"), "pending", "a pending comment stays pending")
eq(q("SELECT p.body FROM comments c JOIN comments p ON p.id = c.parent_id WHERE c.body LIKE 'Pending reply%'").strip(),
   "Approved words.", "a pending reply keeps its thread")
eq(q("SELECT count(*) FROM comments WHERE body LIKE 'Spamwords%' OR body LIKE 'Trashwords%'"), 0,
   "spam and trash are not imported")

rc, out, err = run(["post", "list", "--db", s.db])
ok(rc == 0, "post list runs", err)
for slug in ("open-letter", "native-clash", "native-clash-2", "twin", "twin-2", "twin-3", "secret-diary",
             "locked-box", "awaiting-review"):
    ok(any(slug in line.split() for line in out.splitlines()), "post list shows %s" % slug, out)

s.start()
home, n = s.get("/").body, 2
while True:  # every page of the home page
    r = s.get("/page/%d" % n)
    if r.status != 200:
        break
    home, n = home + r.body, n + 1
contains(home, 'href="/posts/open-letter"', "the public post is on the home page")
feed = s.get("/feed.atom").body
sitemap = s.get("/sitemap.xml").body
contains(s.get("/search?q=Everyone").body, 'href="/posts/open-letter"', "search finds the public post")
for word, slug, old in (("Privatewords", "secret-diary", "/2020/01/02/secret-diary/"),
                        ("Lockedwords", "locked-box", "/2020/01/03/locked-box/"),
                        ("Pendingpostwords", "awaiting-review", "/2020/01/04/awaiting-review/")):
    lacks(home, word, "%s: not on the home page" % slug)
    lacks(home, "/posts/" + slug, "%s: not linked from the home page" % slug)
    lacks(feed, word, "%s: not in the feed" % slug)
    lacks(sitemap, "/posts/" + slug, "%s: not in the sitemap" % slug)
    r = s.get("/search?q=" + word)
    lacks(r.body, 'href="/posts/%s"' % slug, "%s: not found by search" % slug)
    eq(s.get("/posts/" + slug).status, 404, "%s: 404 at its address" % slug)
    r = s.get(old)
    ok(r.status in (301, 404) and word not in r.body, "%s: its old address shows nothing" % slug, r.status)
    if r.status == 301:
        eq(s.get(r.header("location")).status, 404, "%s: and redirects only to a 404" % slug)
r = s.get("/posts/open-letter")
contains(r.body, "Approved words.", "the approved comment shows")
lacks(r.body, "Pendingwords", "the pending comment does not show")
jar, _ = s.login("Nat")
r = s.get("/admin/comments", jar=jar)
contains(r.body, "Pendingwords", "the pending comment waits in the moderation queue")
ok(re.search(r'id="tab-pending"[^>]*>Pending \(<span class="count">2</span>\)', r.body), "the Pending tab counts 2")
contains(s.get("/posts/native-clash").body, "Nativewords", "the native post still answers at its address")
contains(s.get("/posts/native-clash-2").body, "Importedclashwords", "the imported one at its new address")
r = s.get("/2020/01/05/native-clash/")
ok(r.status == 301 and r.header("location") == "/posts/native-clash-2",
   "the clashing post's old address leads to the imported post", (r.status, r.header("location")))

# 5. a second import changes nothing
before = db.execute("SELECT id, slug, title, body_md, status, published_at, updated_at FROM posts ORDER BY id").fetchall()
ncomments = q("SELECT count(*) FROM comments")
touched = q("SELECT value FROM settings WHERE key = 'content_changed_at'")
rc, out, err = run(["import", "wxr", "--db", s.db, WXR])
ok(rc == 0, "the second import runs", out + err)
contains(out, "posts: 0 created, 0 updated, 11 unchanged", "every post is recognised by its WordPress id")
contains(out, "comments: 0 created, 3 already there", "no comment twice")
after = db.execute("SELECT id, slug, title, body_md, status, published_at, updated_at FROM posts ORDER BY id").fetchall()
eq(after, before, "no post changed: no new slug, no new updated date")
eq(q("SELECT count(*) FROM comments"), ncomments, "no new comment")
eq(q("SELECT value FROM settings WHERE key = 'content_changed_at'"), touched, "the site's last change is kept")
done()
