"""import_wordpress_meta: what a WordPress blog knew besides its posts' text, imported and served
through nginx (tests/data/wordpress_meta.xml): a sticky post pinned on the home page (and pinning
from the admin editor, with page 2 and the render cache checked), pingbacks and trackbacks listed
as mentions, nested categories flattened into tags, a tag "Tom & Jerry" escaped once, old
/author/LOGIN/ addresses, and a reusable block used by two posts and defined after them. The same
facts again from an export WordPress 6.1 wrote itself (tests/data/wordpress_meta_real.xml, made by
tests/data/wordpress_meta_real.php)."""
import html
import os
import re
import sqlite3

from quiretest import SRCDIR, Stack, run, ok, eq, contains, lacks, done

WXR = os.path.join(SRCDIR, "tests", "data", "wordpress_meta.xml")
REAL = os.path.join(SRCDIR, "tests", "data", "wordpress_meta_real.xml")
s = Stack("import-wp-meta")
s.user("Ed Itor", "ed@example.org")
db = sqlite3.connect(s.db)


def q(sql, *args):
    row = db.execute(sql, args).fetchone()
    return row[0] if row else None


rc, out, err = run(["import", "wxr", "--db", s.db, WXR])
ok(rc == 0, "the export imports", out + err)
contains(out, "posts: 5 created, 0 updated, 0 unchanged, 0 skipped", "five posts; the reusable blocks are no posts")
contains(out, "comments: 4 created", "two comments, a pingback and a trackback")
contains(err, "categories: 4 flattened into tags (hierarchy: Travel > Japan, Travel > Japan > Tokyo)",
         "the report names the category hierarchy")
contains(err, "2 pingbacks and trackbacks kept as such", "the report counts the mentions")
contains(err, "reusable blocks: 2 in the export, 4 references replaced", "the report counts the blocks used")
contains(err, "1 dropped", "and the reference to a block the export does not hold")

# 1. sticky
eq(q("SELECT sticky FROM posts WHERE wp_id = 201"), 1, "wp:is_sticky 1 pins the post")
eq(q("SELECT count(*) FROM posts WHERE sticky = 1"), 1, "wp:is_sticky 0 does not")

# 5. reusable blocks
eq(q("SELECT count(*) FROM posts WHERE wp_id IN (300, 301) OR title IN ('Shared Signature', 'Nested Footer')"), 0,
   "wp_block items never become posts")
for wp in (202, 203):
    body = q("SELECT body_md FROM posts WHERE wp_id = ?", wp)
    contains(body, "Sharedblockwords", "post %d holds the block's content" % wp)
    contains(body, "Nestedblockwords", "post %d holds the block nested in it" % wp)
    lacks(body, "wp:block", "post %d keeps no block reference" % wp)
body = q("SELECT body_md FROM posts WHERE wp_id = 202")
ok(body.index("Blockoneintro") < body.index("Sharedblockwords") < body.index("Blockoneoutro"),
   "the block's content stands where the reference stood", body)
eq(q("SELECT count(*) FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.wp_id = 202"), 1,
   "a post saved in the second pass keeps its comment")

# 2. pingbacks and trackbacks
eq(q("SELECT kind FROM comments WHERE import_key = 'wxr:201:12'"), "pingback", "a pingback is marked as such")
eq(q("SELECT kind FROM comments WHERE import_key = 'wxr:201:13'"), "trackback", "a trackback is marked as such")
eq(q("SELECT kind FROM comments WHERE import_key = 'wxr:201:11'"), "comment", "a comment stays a comment")
eq(q("SELECT author_name FROM comments WHERE import_key = 'wxr:201:12'"), "Linking Blog \u00bb A post about yours",
   "the linking page's title is stored decoded")

# 3. categories
tags = sorted(r[0] for r in db.execute(
    "SELECT t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id JOIN posts p ON p.id = pt.post_id "
    "WHERE p.wp_id = 201"))
eq(tags, ["Japan", "Tokyo", "Tom & Jerry", "Travel"], "a post in Travel > Japan > Tokyo gets every level as a tag")
eq(q("SELECT count(*) FROM tags WHERE name LIKE '%&amp;%'"), 0, "no tag name keeps WordPress's escaping")

# 4. authors
eq(sorted(r[0] for r in db.execute("SELECT login FROM author_logins")), ["bob", "jane-doe", "jane.doe"],
   "the logins (and the nicename made from one) are kept")

s.start()

# 1. the home page: pinned first, the rest after it, page 2 continues, no duplicates
TITLE = re.compile(r'<h2 class="entry-title"><a href="[^"]*">([^<]*)</a>')


def home_titles():
    titles, n = TITLE.findall(s.get("/").body), 2
    pages = [titles]
    while True:
        r = s.get("/page/%d" % n)
        if r.status != 200:
            break
        pages.append(TITLE.findall(r.body))
        n += 1
    return pages


pages = home_titles()
eq(pages, [["Pinned Welcome", "Plain Five", "Plain Four"], ["Block User Two", "Block User One"]],
   "the sticky post heads page 1 and pages continue in date order")
feed = s.get("/feed.atom").body
titles = re.findall(r"<title[^>]*>([^<]*)</title>", feed)
ok(titles.index("Plain Five") < titles.index("Pinned Welcome"), "the feed is not reordered", titles)
r = s.get("/tags/travel")
eq(TITLE.findall(r.body), ["Pinned Welcome"], "the tag page lists the post of a sub-category")

# 2. mentions on the article page
art = s.get("/posts/pinned-welcome").body
contains(art, 'class="mentions"', "pingbacks and trackbacks are listed apart")
contains(art, '<a href="https://linker.example.net/2019/02/about-yours/" rel="nofollow ugc">'
         'Linking Blog \u00bb A post about yours</a>', "a pingback: the linking page's title as a nofollow link")
contains(art, '<a href="https://tracker.example.com/notes/42" rel="nofollow ugc">Tracking Site</a>', "a trackback too")
eq(len(re.findall(r'<li id="comment-\d+" class="comment ', art)), 1, "only the comment is shown as a comment")
contains(art, "Normalcommentwords", "the comment is shown")
lacks(art, "Pingbackwords", "a pingback is not shown as a comment")
lacks(art, "Trackbackwords", "a trackback is not shown as a comment")
contains(art, "3 Responses", "the count includes pingbacks and trackbacks, as WordPress's comment_count")
contains(pages and s.get("/").body, "3 Responses", "the same count on the home page")

# 3. one escaping of tag names; old category addresses
contains(art, "#Tom &amp; Jerry</a>", "the tag name is escaped once")
lacks(art, "&amp;amp;", "and never twice")
contains(s.get("/tags/tom-jerry").body, "Posts tagged \u201cTom &amp; Jerry\u201d", "on its tag page too")
for old, new in (("/category/travel/japan/", "/tags/japan"), ("/category/travel/japan/tokyo/", "/tags/tokyo"),
                 ("/category/travel/", "/tags/travel"), ("/tag/tom-jerry/", "/tags/tom-jerry")):
    r = s.get(old)
    eq((r.status, r.header("location")), (301, new), "%s moves to %s" % (old, new))

# 4. authors
for old, new in (("/author/jane.doe/", "/authors/jane-doe"), ("/author/jane.doe", "/authors/jane-doe"),
                 ("/author/jane-doe/", "/authors/jane-doe"), ("/author/bob/", "/authors/robert-roe"),
                 ("/author/BOB/", "/authors/robert-roe")):
    r = s.get(old)
    eq((r.status, r.header("location")), (301, new), "%s moves to the author's page" % old)
eq(s.get("/author/nobody-here/").status, 404, "an unknown login is a 404")
eq(s.get("/authors/robert-roe").status, 200, "the author's page answers")

# admin: the comment list shows the kind; the posts list marks pinned posts
jar, csrf = s.login("Ed Itor")
r = s.get("/admin/comments?status=approved", jar=jar)
contains(r.body, '<span class="badge kind-pingback">pingback</span>', "the admin comment list shows a pingback")
contains(r.body, '<span class="badge kind-trackback">trackback</span>', "and a trackback")
r = s.get("/admin/posts", jar=jar)
eq(len(re.findall(r'class="badge pinned"', r.body)), 1, "the admin posts list marks the pinned post")


def form_of(post_id):
    """The editor's fields of a post, as the edit page shows them."""
    body = s.get("/admin/posts/%d/edit" % post_id, jar=jar).body
    f = {"csrf": csrf}
    for name in ("title", "slug", "excerpt", "tags", "date"):
        m = re.search(r'name="%s" type="[a-z-]+" value="([^"]*)"' % name, body)
        f[name] = html.unescape(m.group(1)) if m else ""
    m = re.search(r'<textarea id="body" name="body"[^>]*>(.*?)</textarea>', body, re.S)
    f["body"] = html.unescape(m.group(1)) if m else ""
    f["has_comment_box"] = "1"
    f["allow_comments"] = "1"
    return f, body


four = q("SELECT id FROM posts WHERE wp_id = 204")
pinned = q("SELECT id FROM posts WHERE wp_id = 201")
f, page = form_of(pinned)
contains(page, 'name="sticky" value="1" checked', "the editor shows a pinned post's box ticked")
contains(page, "Pin to the top of the home page", "the editor has the toggle")
gen = q("SELECT value FROM settings WHERE key = 'generation'")
f, page = form_of(four)
lacks(page, 'name="sticky" value="1" checked', "and an unpinned post's box unticked")
f.update({"action": "publish", "has_sticky_box": "1", "sticky": "1"})
r = s.post("/admin/posts/%d" % four, f, jar=jar)
ok(r.status == 303, "pinning a post from the editor saves it", r.body[:300])
eq(q("SELECT sticky FROM posts WHERE id = ?", four), 1, "the post is pinned")
ok(int(q("SELECT value FROM settings WHERE key = 'generation'")) > int(gen), "pinning moves the cache generation")
eq(home_titles(), [["Plain Four", "Pinned Welcome", "Plain Five"], ["Block User Two", "Block User One"]],
   "two pinned posts, newest first, then the rest; page 2 continues; the cached home page is not stale")
eq(len(re.findall(r'class="badge pinned"', s.get("/admin/posts", jar=jar).body)), 2, "both marked in the admin")

f, _ = form_of(pinned)
f.update({"action": "publish", "has_sticky_box": "1"})  # the box unticked: the browser sends nothing
r = s.post("/admin/posts/%d" % pinned, f, jar=jar)
eq(r.status, 303, "unpinning saves")
eq(q("SELECT sticky FROM posts WHERE id = ?", pinned), 0, "an unticked box unpins")
eq(home_titles(), [["Plain Four", "Plain Five", "Block User Two"], ["Block User One", "Pinned Welcome"]],
   "the unpinned post goes back to its date; nothing is shown twice or lost")
f, _ = form_of(four)
f.update({"action": "publish"})  # a form without the box (an old page) leaves the pin alone
eq(s.post("/admin/posts/%d" % four, f, jar=jar).status, 303, "a form without the box saves")
eq(q("SELECT sticky FROM posts WHERE id = ?", four), 1, "and keeps the pin")

# the Markdown round trip keeps the pin
out_dir = os.path.join(s.dir, "export")
rc, out, err = run(["export", "markdown", "--db", s.db, out_dir])
ok(rc == 0, "export runs", err)
contains(open(os.path.join(out_dir, "plain-four.md")).read(), "\nsticky: true\n", "export writes sticky: true")
lacks(open(os.path.join(out_dir, "plain-five.md")).read(), "sticky:", "and nothing for an unpinned post")
other = os.path.join(s.dir, "roundtrip.db")
rc, _, err = run(["init", "--db", other])
ok(rc == 0, "a second database", err)
rc, _, err = run(["user", "add", "--db", other, "--name", "Jane Doe", "--email", "jane@example.org"],
                 input="a long enough password\n")
rc, _, err = run(["user", "add", "--db", other, "--name", "Robert Roe", "--email", "bob@example.org"],
                 input="a long enough password\n")
rc, out, err = run(["post", "import", "--db", other] + sorted(
    os.path.join(out_dir, n) for n in os.listdir(out_dir) if n.endswith(".md")))
ok(rc == 0, "the export imports back", out + err)
o = sqlite3.connect(other)
eq([r[0] for r in o.execute("SELECT slug FROM posts WHERE sticky = 1")], ["plain-four"], "the pin survives the round trip")
o.close()

# a second import adds nothing; the posts it made follow the file again (as their text does)
rc, out, err = run(["import", "wxr", "--db", s.db, WXR])
ok(rc == 0, "a second import runs", out + err)
contains(out, "comments: 0 created, 4 already there", "no comment twice")
eq(q("SELECT count(*) FROM comments WHERE kind != 'comment'"), 2, "no mention twice")
eq(q("SELECT count(*) FROM posts"), 5, "no post twice")
eq([r[0] for r in db.execute("SELECT wp_id FROM posts WHERE sticky = 1")], [201], "the pins are the file's again")
lacks(s.logs(), "ERROR", "no error in the logs")

# the export WordPress wrote itself
real = os.path.join(s.dir, "real.db")
rc, _, err = run(["init", "--db", real])
ok(rc == 0, "a database for the real export", err)
rc, out, err = run(["import", "wxr", "--db", real, REAL])
ok(rc == 0, "WordPress's own export imports", out + err)
contains(err, "categories: 3 flattened into tags (hierarchy: Travel > Japan, Travel > Japan > Tokyo)",
         "its category tree is reported (Uncategorized is no tag)")
contains(err, "reusable blocks: 1 in the export, 2 references replaced", "its reusable block is used twice")
r = sqlite3.connect(real)
eq([x[0] for x in r.execute("SELECT slug FROM posts WHERE sticky = 1")], ["pinned-welcome"], "its sticky post is pinned")
eq(sorted(x[0] for x in r.execute("SELECT kind FROM comments")), ["comment", "comment", "pingback", "trackback"],
   "its pingback and trackback are marked")
eq(sorted(x[0] for x in r.execute(
    "SELECT t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id JOIN posts p ON p.id = pt.post_id "
    "WHERE p.slug = 'pinned-welcome'")), ["Japan", "Tokyo", "Tom & Jerry", "Travel"], "its categories and tag")
for slug in ("block-user-one", "block-user-two"):
    body = r.execute("SELECT body_md FROM posts WHERE slug = ?", (slug,)).fetchone()[0]
    ok("Sharedblockwords" in body and "wp:block" not in body, "%s holds the block defined after it" % slug, body)
eq(r.execute("SELECT count(*) FROM posts WHERE title = 'Shared Signature'").fetchone()[0], 0, "the block is no post")
eq(sorted(x[0] for x in r.execute("SELECT login FROM author_logins")), ["bob", "jane-doe", "jane.doe"],
   "its author logins")
r.close()
done()
