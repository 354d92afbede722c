"""search: /search over titles, bodies and tags: ranking, highlights, pages, drafts hidden,
the index following edits and deletes, and bad queries answered with a message, never a 500."""
import re
import sqlite3

from quiretest import Stack, ok, eq, contains, lacks, done

s = Stack("search")
s.user("Ada Lovelace", "ada@example.org")
s.import_post({"title": "Lighthouses of the north", "slug": "lighthouses", "date": "2026-01-01", "tags": "coast"},
              "Tall towers with a lamp.\n")
s.import_post({"title": "A walk", "slug": "walk", "date": "2026-01-02", "tags": "coast"},
              "We walked past three lighthouses and a café.\n")
s.import_post({"title": "Knitting", "slug": "knitting", "date": "2026-01-03", "tags": "wool, lighthouse-patterns"},
              "Nothing about the sea.\n")
s.import_post({"title": "Secret lighthouses", "slug": "secret", "date": "2026-01-04", "draft": "true"})
s.import_post({"title": "Future lighthouses", "slug": "future", "date": "2099-01-01"})
for i in range(12):
    s.import_post({"title": "Harbour note %d" % i, "slug": "note-%d" % i, "date": "2026-02-%02d" % (i + 1)},
                  "The harbour seals were out today, number %d.\n" % i)
s.start()


def results(body):
    return re.findall(r'<article class="search-result">\s*<h2><a href="([^"]+)">', body)


r = s.get("/search?q=lighthouses")
eq(r.status, 200, "search answers")
found = results(r.body)
eq(found[:2], ["/posts/lighthouses", "/posts/walk"], "a title match ranks above a body match")
lacks(found, "/posts/secret", "drafts are not found")
lacks(found, "/posts/future", "future posts are not found")
contains(r.body, "<mark>Lighthouses</mark>", "matches are highlighted in the title")
contains(r.body, "three <mark>lighthouses</mark>", "and in a snippet of the body")
contains(r.body, "2 results for", "the count")
contains(s.get("/search?q=wool").body, "/posts/knitting", "tags are searched")
contains(s.get("/search?q=cafe").body, "/posts/walk", "accents are folded (cafe finds café)")
contains(s.get("/search?q=light").body, "/posts/lighthouses", "the last word is a prefix")
r = s.get("/search?q=harbour+seals")
eq(len(results(r.body)), 10, "ten results a page")
contains(r.body, "12 results", "of twelve")
ok('page=2' in r.body, "with a link to the next page")
eq(len(results(s.get("/search?q=harbour+seals&page=2").body)), 2, "page 2 has the rest")
eq(results(s.get("/search?q=zebra").body), [], "no match, no results")
contains(s.get("/search?q=zebra").body, "0 results", "and says so")
r = s.get("/search")
ok(r.status == 200 and 'name="q"' in r.body, "an empty search shows the form")
contains(s.get("/").body, 'action="/search"', "every page has a search box")

for bad in ('"unbalanced', "AND OR NOT", "title:foo", "*", "(", "NEAR(a b", "a NOT", "^x", "-x", "x:y:z", '"""'):
    r = s.get("/search?q=" + re.sub(r"[^A-Za-z0-9]", lambda m: "%%%02X" % ord(m.group(0)), bad))
    ok(r.status == 200, "FTS syntax %r is just words: 200" % bad, r.status)
r = s.get("/search?q=" + "a" * 201)
ok(r.status == 200 and "too long" in r.body, "an over-long query: a message, not an error")
r = s.get("/search?q=%FF%FE")
ok(r.status == 200 and "not readable text" in r.body, "invalid UTF-8: a message")
r = s.get("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
ok(r.status == 200 and "<script>alert(1)</script>" not in r.body and "&lt;script&gt;" in r.body, "the query is echoed escaped")
ok(r.header("etag") and r.header("cache-control") == "public, no-cache", "search pages carry cache headers")

# the index follows edits, tags and deletes
s.import_post({"title": "Lighthouses of the north", "slug": "lighthouses", "date": "2026-01-01", "tags": "beacons"},
              "Now about foghorns.\n")
ok("/posts/lighthouses" in results(s.get("/search?q=foghorns").body), "an edited body is found")
ok("/posts/lighthouses" not in results(s.get("/search?q=towers").body), "the old words are gone")
ok("/posts/lighthouses" in results(s.get("/search?q=beacons").body), "a new tag is found")
ok("/posts/lighthouses" not in results(s.get("/search?q=coast").body), "an old tag is gone")
db = sqlite3.connect(s.db)
db.execute("DELETE FROM posts WHERE slug = 'walk'")
db.commit()
eq(results(s.get("/search?q=walked").body), [], "a deleted post is gone from the index")
eq(db.execute("SELECT count(*) FROM posts_fts").fetchone()[0], db.execute("SELECT count(*) FROM posts").fetchone()[0],
   "one index row per post")
eq(db.execute("SELECT count(*) FROM posts_title_fts").fetchone()[0], db.execute("SELECT count(*) FROM posts").fetchone()[0],
   "and one in the titles index")
eq(db.execute("SELECT title, tags FROM posts_title_fts WHERE rowid = (SELECT id FROM posts WHERE slug = 'lighthouses')")
   .fetchone(), ("Lighthouses of the north", "beacons"), "which follows titles and tags")
done()
