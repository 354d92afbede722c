"""old_addresses: every address a WordPress site had answers after the move, through nginx:
feeds, a post's comment feed, categories and tags, authors, ?p= and ?page_id=, old permalinks
with their %xx in either case; anything unpublished (draft, scheduled, unknown) is a 404, never
the home page. Once after importing a WordPress export, once on a blog that never imported."""
import os
import sqlite3

from quiretest import SRCDIR, Stack, run, ok, eq, done

WXR = os.path.join(SRCDIR, "tests", "data", "wordpress.xml")


def moved(s, path, to, desc):
    r = s.get(path)
    ok(r.status == 301 and r.header("location") == to, desc, (path, r.status, r.header("location")))
    return r


def gone(s, path, desc):
    r = s.get(path)
    ok(r.status == 404, desc, (path, r.status, r.header("location")))


# --- after an import
s = Stack("old-addresses")
s.user("Ada Lovelace", "ada@example.org")
rc, out, err = run(["import", "wxr", "--db", s.db, WXR])
ok(rc == 0, "the WordPress export imports", out + err)
s.import_post({"title": "Native post", "slug": "native", "date": "2026-01-01", "tags": "physics",
               "author": "Ada Lovelace"})
s.import_post({"title": "Café", "slug": "café", "date": "2026-01-02"})
s.import_post({"title": "Hidden draft", "slug": "hidden", "date": "2026-01-03", "draft": "true"})
s.import_post({"title": "Later", "slug": "later", "date": "2099-01-01"})
db = sqlite3.connect(s.db)
with db:
    # an imported post scheduled for later, and old addresses of unpublished posts
    db.execute("UPDATE posts SET wp_id = 77 WHERE slug = 'later'")
    draft = db.execute("SELECT id FROM posts WHERE wp_id = 20").fetchone()[0]
    later = db.execute("SELECT id FROM posts WHERE slug = 'later'").fetchone()[0]
    hello = db.execute("SELECT id FROM posts WHERE slug = 'hello-world'").fetchone()[0]
    db.execute("INSERT INTO legacy_redirects(path, post_id) VALUES ('/2020/01/01/a-draft', ?)", (draft,))
    db.execute("INSERT INTO legacy_redirects(path, post_id) VALUES ('/2099/01/01/later', ?)", (later,))
    # an old address stored with uppercase hex, as some exports spell it
    db.execute("INSERT INTO legacy_redirects(path, post_id) VALUES ('/2019/05/02/it%E2%80%99s', ?)", (hello,))
db.close()
s.start()

# 1. feeds
for path in ["/feed/", "/feed", "/feed/atom/", "/feed/rss2/"]:
    moved(s, path, "/feed.atom", "%s answers 301 to the Atom feed" % path)
moved(s, "/comments/feed/", "/comments.atom", "/comments/feed/ answers 301 to the comments feed")
eq(s.get("/feed.atom").status, 200, "where the feed is")
moved(s, "/hello-world/feed/", "/posts/hello-world/comments.atom", "an imported post's /SLUG/feed/")
moved(s, "/2019/05/01/hello-world/feed/", "/posts/hello-world/comments.atom", "its old permalink's /feed/")
moved(s, "/native/feed/", "/posts/native/comments.atom", "a native post's /SLUG/feed/")
moved(s, "/%C3%A9tude-nucl%C3%A9aire/feed/", "/posts/%C3%A9tude-nucl%C3%A9aire/comments.atom",
      "a non-ASCII slug's /SLUG/feed/, uppercase hex")
moved(s, "/2019/06/10/%C3%A9tude-nucl%C3%A9aire/feed/", "/posts/%C3%A9tude-nucl%C3%A9aire/comments.atom",
      "an old permalink's /feed/ in the other hex case")
eq(s.get("/posts/hello-world/comments.atom").status, 200, "where the post's comment feed is")
gone(s, "/hidden/feed/", "a draft's /SLUG/feed/ is 404")
gone(s, "/later/feed/", "a scheduled post's /SLUG/feed/ is 404")
gone(s, "/nothing/feed/", "an unknown /SLUG/feed/ is 404")

# 2. categories, tags, authors
moved(s, "/category/science/", "/tags/science", "a category becomes a tag")
moved(s, "/category/Science/", "/tags/science", "a category by its name")
moved(s, "/category/science/radium/", "/tags/radium", "a nested category by its last segment")
moved(s, "/tag/radium/", "/tags/radium", "a tag")
moved(s, "/tag/physics", "/tags/physics", "a native tag, without the trailing slash")
eq(s.get("/tags/radium").status, 200, "where the tag is")
gone(s, "/category/nothing/", "an unknown category is 404")
gone(s, "/category/science/nothing/", "an unknown nested category is 404")
gone(s, "/tag/nothing/", "an unknown tag is 404")
moved(s, "/author/ada-lovelace/", "/authors/ada-lovelace", "an author")
moved(s, "/author/marie-curie/", "/authors/marie-curie", "an imported author")
eq(s.get("/authors/marie-curie").status, 200, "where the author is")
gone(s, "/author/nobody/", "an unknown author is 404")

# 3. ?p= and ?page_id=
moved(s, "/?p=12", "/posts/hello-world", "?p= of a published post keeps its 301")
moved(s, "/?page_id=12", "/posts/hello-world", "?page_id= too")
gone(s, "/?p=20", "?p= of a draft is 404, not the home page")
gone(s, "/?p=77", "?p= of a scheduled post is 404")
gone(s, "/?p=999", "?p= of an unknown id is 404")
moved(s, "/?page_id=2", "/about", "?page_id= of an imported page: its address")
gone(s, "/?page_id=999", "?page_id= of nothing imported is 404")
eq(s.get("/").status, 200, "the home page still is the home page")
eq(s.get("/?utm_source=x").status, 200, "and with another query")

# 4. percent-encoding in either case
moved(s, "/2019/06/10/%c3%a9tude-nucl%c3%a9aire/", "/posts/%C3%A9tude-nucl%C3%A9aire", "lowercase hex as stored")
moved(s, "/2019/06/10/%C3%A9tude-nucl%C3%A9aire/", "/posts/%C3%A9tude-nucl%C3%A9aire", "uppercase hex as browsers send")
moved(s, "/2019/06/10/%c3%A9tude-nucl%C3%a9aire", "/posts/%C3%A9tude-nucl%C3%A9aire", "mixed hex")
moved(s, "/2019/05/02/it%e2%80%99s/", "/posts/hello-world", "an address stored uppercase asked lowercase")
moved(s, "/2019/05/02/it%E2%80%99s/", "/posts/hello-world", "and as stored")
eq(s.get("/posts/%C3%A9tude-nucl%C3%A9aire").status, 200, "a non-ASCII slug, uppercase hex")
r = s.get("/posts/%c3%a9tude-nucl%c3%a9aire")
ok(r.status == 200 or (r.status == 301 and r.header("location") == "/posts/%C3%A9tude-nucl%C3%A9aire"),
   "a non-ASCII slug, lowercase hex", (r.status, r.header("location")))
eq(s.get("/posts/caf%C3%A9").status, 200, "a native non-ASCII slug")

# 5. old addresses of anything unpublished
gone(s, "/2020/01/01/a-draft/", "a draft's old permalink is 404")
gone(s, "/2099/01/01/later/", "a scheduled post's old permalink is 404")
gone(s, "/2000/01/01/nothing/", "an unknown old permalink is 404")

# redirects are as cacheable as the old permalink's
old = s.get("/2019/05/01/hello-world/")
for path in ["/feed/", "/category/science/", "/author/ada-lovelace/", "/hello-world/feed/", "/?p=12"]:
    eq(s.get(path).header("cache-control"), old.header("cache-control"), "%s cached like a permalink" % path)
eq(s.get("/feed/", method="POST").status, 404, "only GET and HEAD are redirected")
eq(s.get("/feed/", method="HEAD").status, 301, "HEAD too")
s.stop()

# --- without any import
s = Stack("old-addresses-native")
s.user("Grace Hopper", "grace@example.org")
s.import_post({"title": "Only post", "slug": "only", "date": "2026-01-01", "tags": "cobol", "author": "Grace Hopper"})
s.start()
moved(s, "/feed/", "/feed.atom", "no import: /feed/")
moved(s, "/feed/atom/", "/feed.atom", "no import: /feed/atom/")
moved(s, "/comments/feed/", "/comments.atom", "no import: /comments/feed/")
moved(s, "/only/feed/", "/posts/only/comments.atom", "no import: /SLUG/feed/")
moved(s, "/tag/cobol/", "/tags/cobol", "no import: /tag/y/")
moved(s, "/category/cobol/", "/tags/cobol", "no import: /category/x/")
gone(s, "/category/x/", "no import: an unknown category")
moved(s, "/author/grace-hopper/", "/authors/grace-hopper", "no import: /author/z/")
gone(s, "/author/z/", "no import: an unknown author")
gone(s, "/?p=1", "no import: ?p= is 404")
eq(s.get("/posts/only").status, 200, "the post itself")
done()
