"""import: a WordPress export (tests/data/wordpress.xml, the real WXR format with namespaces
and CDATA) and a Disqus export: posts, drafts, authors, tags, approved and pending comments with threads,
old addresses answering 301, and a second import that changes nothing."""
import os
import sqlite3

from quiretest import SRCDIR, Stack, run, ok, eq, contains, lacks, done

WXR = os.path.join(SRCDIR, "tests", "data", "wordpress.xml")
DISQUS = os.path.join(SRCDIR, "tests", "data", "disqus.xml")
s = Stack("import")
rc, out, err = run(["import", "wxr", "--db", s.db, WXR])
ok(rc == 0, "the WordPress export imports", out + err)
contains(out, "posts: 4 created", "three posts and a page (a trashed post and an attachment left out)")
contains(out, "1 of them pages", "the page is counted as one")
contains(out, "comments: 3 created", "the two approved comments and the pending one")
db = sqlite3.connect(s.db)


def q(sql, *args):
    return db.execute(sql, args).fetchone()[0]


eq(q("SELECT status FROM posts WHERE slug = 'hello-world'"), "published", "a published post")
eq(q("SELECT datetime(published_at, 'unixepoch') FROM posts WHERE slug = 'hello-world'"), "2019-05-01 10:00:00",
   "its GMT date")
eq(q("SELECT status FROM posts WHERE title = 'An unfinished thought'"), "draft", "a draft stays a draft")
eq(q("SELECT count(*) FROM posts WHERE slug = 'étude-nucléaire'"), 1, "a percent-encoded slug is decoded")
eq(q("SELECT u.name FROM posts p JOIN users u ON u.id = p.author_id WHERE p.slug = 'hello-world'"), "Marie Curie",
   "authors by display name")
eq(q("SELECT email FROM users WHERE name = 'Pierre'"), "pierre@old.example.org", "authors are created with their email")
eq(sorted(q("SELECT group_concat(t.name, ',') FROM post_tags pt JOIN tags t ON t.id = pt.tag_id "
            "JOIN posts p ON p.id = pt.post_id WHERE p.slug = 'hello-world'").split(",")), ["Radium", "Science"],
   "tags and categories become tags")
eq(q("SELECT count(*) FROM tags WHERE name = 'Uncategorized'"), 0, "'Uncategorized' is not a tag")
md = q("SELECT body_md FROM posts WHERE slug = 'hello-world'")
contains(md, "**our**", "HTML bold becomes Markdown")
contains(md, "*lab*", "italics")
contains(md, "[the radium page](https://example.org/radium)", "links")
contains(md, "[The lab](https://old.example.org/wp-content/uploads/2019/05/lab.jpg)", "an image left on the old host (no media_dir here) becomes a link: the CSP would block it")
lacks(md, "![The lab]", "not an image that would not load")
contains(md, "- First point", "lists")
contains(md, "> Nothing in life is to be feared.", "quotes")
contains(md, "```\nint x = 1 < 2;\n```", "code blocks, entities decoded")
contains(md, "Five \\* stars — and an élégant ending…", "entities and Markdown characters in text")
lacks(md, "alert", "scripts are dropped with their content")
eq(q("SELECT excerpt FROM posts WHERE slug = 'hello-world'"), "A hand-written excerpt.", "the excerpt, tags stripped")
eq(q("SELECT count(*) FROM comments WHERE status = 'approved'"), 2, "two approved comments")
eq(q("SELECT count(*) FROM comments WHERE status = 'pending'"), 1, "the pending one stays pending (moderation queue)")
eq(q("SELECT p.author_name FROM comments c JOIN comments p ON p.id = c.parent_id WHERE c.author_name = 'Marie Curie'"),
   "Albert", "with their threads")
eq(q("SELECT count(*) FROM posts WHERE notified_at IS NULL"), 0, "an imported archive mails no subscriber")

s.start()
r = s.get("/posts/hello-world")
ok(r.status == 200 and "<strong>our</strong>" in r.body and "Great <strong>start</strong>!" in r.body,
   "the imported post and its comments show")
contains(r.body, "2 Responses", "with the count")
r = s.get("/2019/05/01/hello-world/")
ok(r.status == 301 and r.header("location") == "/posts/hello-world", "the old /YYYY/MM/DD/slug/ address answers 301",
   (r.status, r.header("location")))
eq(s.get("/2019/05/01/hello-world").header("location"), "/posts/hello-world", "with or without the trailing slash")
r = s.get("/?p=12")
ok(r.status == 301 and r.header("location") == "/posts/hello-world", "?p=ID answers 301", (r.status, r.header("location")))
r = s.get("/2019/06/10/%c3%a9tude-nucl%c3%a9aire/")
ok(r.status == 301 and r.header("location") == "/posts/%C3%A9tude-nucl%C3%A9aire", "an old non-ASCII address too",
   (r.status, r.header("location")))
eq(s.get("/?p=20").status, 404, "a draft's ?p= is 404, neither the draft nor the home page")
eq(s.get("/2000/01/01/nothing/").status, 404, "unknown old addresses are 404")

rc, out, err = run(["import", "wxr", "--db", s.db, WXR])
ok(rc == 0 and "posts: 0 created, 0 updated, 4 unchanged" in out and "comments: 0 created, 3 already there" in out,
   "importing the same file again creates no duplicates", out + err)
eq(q("SELECT count(*) FROM posts"), 4, "still three posts and a page")
eq(q("SELECT count(*) FROM comments"), 3, "still three comments")

rc, out, err = run(["import", "disqus", "--db", s.db, DISQUS])
ok(rc == 0 and "comments: 3 created" in out, "the Disqus export imports: 3 comments", out + err)
contains(err, "1 comments belong to threads whose URL matches no post", "a thread matching no post is reported")
eq(q("SELECT count(*) FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.slug = 'hello-world'"), 5,
   "matched through the old WordPress address")
eq(q("SELECT p.author_name FROM comments c JOIN comments p ON p.id = c.parent_id WHERE c.author_name = 'Otto Hahn'"),
   "Lise Meitner", "Disqus threads kept")
eq(q("SELECT count(*) FROM comments WHERE author_name IN ('Someone', 'Spam')"), 0, "deleted and spam left out")
eq(q("SELECT count(*) FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.slug = 'étude-nucléaire'"), 1,
   "matched through the new /posts/ address")
rc, out, err = run(["import", "disqus", "--db", s.db, DISQUS])
ok(rc == 0 and "comments: 0 created, 3 already there" in out, "a second Disqus import changes nothing", out)
contains(s.get("/posts/hello-world").body, "4 Responses", "the post shows all its comments")

bad = os.path.join(s.dir, "bad.xml")
open(bad, "w").write("<rss><channel><item><title>x</title></item>\n<oops></channel></rss>")
rc, out, err = run(["import", "wxr", "--db", s.db, bad])
ok(rc == 1 and "bad.xml:2:" in err, "malformed XML: an error naming file and line", err)
bomb = os.path.join(s.dir, "bomb.xml")
open(bomb, "w").write('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
                      '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
                      '<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">'
                      '<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>'
                      '<rss><channel><item><title>&h;</title></item></channel></rss>')
rc, out, err = run(["import", "wxr", "--db", s.db, bomb])
ok(rc == 1 and "bomb.xml" in err, "an entity bomb is refused, not expanded", err[-300:])
rc, out, err = run(["import", "wxr", "--db", s.db, "/nonexistent.xml"])
ok(rc == 1 and "nonexistent.xml" in err, "a missing file: a clear error", err)
eq(run(["import", "blogger", "--db", s.db, WXR])[0], 2, "an unknown format is a usage error")
done()
