"""pages: static pages and date archives through nginx: pages made in the admin (nested, in the
menu, reserved slugs refused), their addresses and 301s, kept off the home page, feed, tag, author
and archive pages and out of the mail, cached and revalidated like any reader page, commented on;
/YYYY and /YYYY/MM archives with their pages and 404s; and a WordPress export's pages
(tests/data/wordpress_pages.xml): parents listed after children, comments, private pages, reserved
slugs, old addresses and ?page_id=."""
import os
import re
import sqlite3
import time

from quiretest import SRCDIR, Stack, run, ok, eq, contains, lacks, done

s = Stack("pages", config="[comments]\nmin_seconds = 0\nrate_limit = 0\nmoderation = none\n")
s.user("Ada Lovelace", "ada@example.org")
for title, slug, date in (("March one", "march-one", "2024-03-05"), ("March two", "march-two", "2024-03-10"),
                          ("March three", "march-three", "2024-03-20"), ("March four", "march-four", "2024-03-25"),
                          ("May post", "may-post", "2024-05-01"), ("Old post", "old-post", "2023-07-01")):
    s.import_post({"title": title, "slug": slug, "date": date, "tags": "news", "author": "Ada Lovelace"},
                  "%s body.\n" % title)
db = sqlite3.connect(s.db, isolation_level=None)
db.execute("INSERT INTO subscribers(email, status, wants_posts, created_at, confirmed_at) "
           "VALUES('sub@example.org', 'confirmed', 1, 0, 0)")
s.start()
jar, csrf = s.login("Ada Lovelace")


def q(sql, *args):
    row = db.execute(sql, args).fetchone()
    return row[0] if row else None


def save(title, slug, kind="page", parent="", menu="", date="", action="publish", tags="news", post_id=None,
         body=None):
    fields = {"csrf": csrf, "title": title, "slug": slug, "body": body or ("%swords in the body." % title.replace(" ", "")),
              "excerpt": "", "tags": tags, "date": date, "has_comment_box": "1", "allow_comments": "1",
              "action": action, "has_kind": "1", "kind": kind, "parent": parent, "menu_order": menu}
    return s.post("/admin/posts/%d" % post_id if post_id else "/admin/posts", fields, jar=jar)


def saved_id(r):
    m = re.match(r"/admin/posts/(\d+)/edit", r.header("location") or "")
    return int(m.group(1)) if m else 0


def menu(body):
    return re.findall(r'<a href="([^"]+)" class="menu-page">([^<]*)</a>', body)


# --- pages made in the admin
r = s.get("/admin/posts/new", jar=jar)
contains(r.body, 'name="kind" value="page"', "the editor offers the Page kind")
contains(r.body, 'name="menu_order"', "and a menu order")
r = save("About", "about", menu="2", date="2024-03-15T10:00")
eq(r.status, 303, "a page is published from the editor")
about = saved_id(r)
contact = saved_id(save("Contact", "contact", menu="1"))
r = s.get("/admin/posts/new", jar=jar)
contains(r.body, '<option value="%d">About</option>' % about, "a top-level page is offered as a parent")
team = saved_id(save("Team", "staff", parent=str(about)))
hidden = saved_id(save("Hidden", "hidden"))
ok(about and contact and team and hidden, "four pages saved", (about, contact, team, hidden))
eq(q("SELECT kind || ':' || coalesce(parent_id, 0) || ':' || coalesce(menu_order, '-') FROM posts WHERE id = ?", team),
   "page:%d:-" % about, "the child page is stored with its parent and no menu order")
eq(q("SELECT count(*) FROM outbox WHERE kind = 'post' AND ref_id IN (?, ?, ?, ?)", about, contact, team, hidden), 0,
   "publishing a page mails no subscriber")
post = saved_id(save("Fresh post", "fresh-post", kind="post"))
ok(post and q("SELECT count(*) FROM outbox WHERE kind = 'post' AND ref_id = ?", post) == 1,
   "publishing a post still does (the check above could fail)")

for slug in ("tags", "admin", "search", "2024", "static"):
    r = save("Reserved " + slug, slug)
    eq(r.status, 422, "a page may not take the slug %r" % slug)
    contains(r.body, "A page cannot use this address", "with a clear message (%s)" % slug)
r = save("Digits post", "2024", kind="post")
eq(r.status, 303, "a post may have an all-digit slug (it lives under /posts/)")
r = save("Bad menu", "bad-menu", menu="first")
eq(r.status, 422, "a menu order that is not a number is refused")
r = save("Bad parent", "bad-parent", parent=str(team))
eq(r.status, 422, "a child page is not offered as a parent (top-level only)")
r = save("About", "about", kind="post", post_id=about)
eq(r.status, 422, "a page with pages under it cannot become a post")
contains(r.body, "has pages under it", "and the editor says why")
r = s.get("/admin/posts?status=pages", jar=jar)
contains(r.body, ">About</a>", "the admin lists pages under Pages")
lacks(r.body, ">March one</a>", "and no posts there")
contains(s.get("/admin/posts", jar=jar).body, 'badge page', "all posts and pages, pages marked")

# --- addresses
r = s.get("/about")
eq(r.status, 200, "a page at /SLUG")
contains(r.body, "Aboutwords in the body.", "with its body")
lacks(r.body, 'rel="prev"', "a page has no previous post")
lacks(r.body, 'class="archive-link"', "nor a date linked to an archive")
for path, to in (("/about/", "/about"), ("/about/staff/", "/about/staff"), ("/posts/about", "/about"),
                 ("/posts/staff", "/about/staff"), ("/2024/03/", "/2024/03"), ("/2024/", "/2024")):
    r = s.get(path)
    ok(r.status == 301 and r.header("location") == to, "%s answers 301 to %s" % (path, to), (r.status, r.header("location")))
r = s.get("/about/staff")
eq(r.status, 200, "a child page at /PARENT/SLUG")
contains(r.body, "Teamwords in the body.", "with its body")
eq(s.get("/staff").status, 404, "a child page only at its own address")
eq(s.get("/contact/staff").status, 404, "not under another parent")
eq(s.get("/nothing-here").status, 404, "an unknown single segment is still a 404")
eq(s.get("/a/b/c/d/e").status, 404, "deeper than the depth limit")
eq(s.post("/about", {"x": "1"}).status, 404, "a POST to a page address is not a page")
r = s.get("/posts/march-one")
contains(r.body, 'href="/2024/03"', "an article's date links to its month's archive")
eq(save("Hidden", "hidden-page", post_id=hidden).status, 303, "a page renamed in the editor")
for path in ("/hidden", "/hidden/"):
    r = s.get(path)
    ok(r.status == 301 and r.header("location") == "/hidden-page", "%s: its old address answers 301 to the new" % path,
       (r.status, r.header("location")))

# --- not on lists, in the sitemap and search
home = s.get("/").body
lacks(home, "Aboutwords", "a page is not on the home page")
lacks(home, 'href="/posts/about"', "nor linked there as a post")
eq(menu(home), [("/contact", "Contact"), ("/about", "About")], "the header menu: top-level pages with an order, in order")
eq(menu(s.get("/posts/march-one").body), [("/contact", "Contact"), ("/about", "About")], "on every reader page")
for path in ("/feed.atom", "/tags/news", "/authors/Ada%20Lovelace", "/2024", "/2024/03", "/page/2"):
    r = s.get(path)
    lacks(r.body, "Aboutwords", "no page on %s (%d)" % (path, r.status))
    lacks(r.body, "Teamwords", "no child page on %s" % path)
sitemap = s.get("/sitemap.xml").body
contains(sitemap, s.base + "/about/staff</loc>", "the sitemap lists a child page at its address")
contains(sitemap, s.base + "/about</loc>", "and a top-level page")
contains(s.get("/search?q=Teamwords").body, "Team", "search finds pages")

# --- cached and revalidated like any reader page
r = s.get("/about")
etag, lm = r.header("etag"), r.header("last-modified")
ok(etag and lm, "a page has an ETag and Last-Modified", (etag, lm))
eq(r.header("cache-control"), "public, no-cache", "and the reader pages' Cache-Control")
ok(not [v for k, v in r.all_headers if k == "set-cookie"], "and sets no cookie")
eq(s.get("/about", headers={"If-None-Match": etag}).status, 304, "a matching If-None-Match answers 304")
r = s.get("/about", method="HEAD")
ok(r.status == 200 and r.header("etag") == etag, "HEAD answers like GET", (r.status, r.header("etag")))
eq(s.get("/2024/03", headers={"If-None-Match": s.get("/2024/03").header("etag")}).status, 304,
   "an archive answers 304 too")
r = save("About", "about", menu="0", post_id=about)
eq(r.status, 303, "the menu order changed in the editor")
eq(menu(s.get("/").body)[0], ("/about", "About"), "the cached home page shows the new menu at once")
ok(s.get("/about", headers={"If-None-Match": etag}).status == 200, "and the page's old ETag no longer matches")

# --- comments on a page
r = s.get("/about")
contains(r.body, 'action="/posts/about/comments#respond"', "a page shows the comment form")
tok = re.search(r'name="token" value="([^"]+)"', r.body)
r = s.post("/posts/about/comments", {"author": "Reader", "email": "reader@example.org", "url": "",
                                     "comment": "Pagecommentwords here.", "token": tok.group(1) if tok else ""})
ok(r.status == 303 and (r.header("location") or "").startswith("/about#comment-"),
   "after a comment the reader lands back on the page", (r.status, r.header("location")))
contains(s.get("/about").body, "Pagecommentwords here.", "the comment shows on the page")
eq(s.get("/posts/about/comments.atom").status, 200, "the page's comment feed")

# --- date archives
r = s.get("/2024")
eq(r.status, 200, "a year archive")
contains(r.body, "Posts from 2024", "titled with the year")
ok(r.body.find("May post") < r.body.find("March four") < r.body.find("March three") and "March two" not in r.body,
   "newest first, three a page")
contains(r.body, 'href="/2024/page/2"', "with a link to the next page")
r = s.get("/2024/page/2")
ok(r.status == 200 and "March two" in r.body and "March one" in r.body, "the second page of the year", r.status)
eq(s.get("/2024/page/3").status, 404, "past the last page")
ok(s.get("/2024/page/1").status == 301 and s.get("/2024/page/1").header("location") == "/2024", "page 1 is the archive")
r = s.get("/2024/03")
eq(r.status, 200, "a month archive")
contains(r.body, "Posts from March 2024", "titled with the month")
ok("March four" in r.body and "May post" not in r.body and "Old post" not in r.body, "only that month's posts")
contains(s.get("/2024/03/page/2").body, "March one", "the month's second page")
contains(s.get("/2023").body, "Old post", "another year")
for path in ("/2024/13", "/2024/00", "/0000", "/2022", "/2024/04", "/2024/3", "/99999"):
    eq(s.get(path).status, 404, "%s answers 404" % path)

# --- a WordPress export with pages
WXR = os.path.join(SRCDIR, "tests", "data", "wordpress_pages.xml")
rc, out, err = run(["import", "wxr", "--db", s.db, WXR])
ok(rc == 0, "the export with pages imports", out + err)
contains(out, "posts: 6 created", "five pages and a post created")
contains(out, "5 of them pages", "the pages are counted")
contains(out, "1 page slugs are addresses quire uses", "a reserved page slug is reported")
contains(err, "imported as 'tags-page'", "with the new slug named")
eq(q("SELECT p.parent_id = a.id FROM posts p, posts a WHERE p.wp_id = 302 AND a.wp_id = 301"), 1,
   "a child listed before its parent gets it")
eq(q("SELECT status || ':' || kind FROM posts WHERE wp_id = 303"), "draft:page", "a private page imports as a draft page")
eq(q("SELECT count(*) FROM comments WHERE post_id = (SELECT id FROM posts WHERE wp_id = 302)"), 2,
   "the page's two comments")
r = s.get("/about-us/team")
eq(r.status, 200, "the imported child page at its old address")
ok("Teamwords" in r.body and "Great team." in r.body and "Agreed, Bea." in r.body, "with its body and comments")
for path, to in (("/about-us/team/", "/about-us/team"), ("/?page_id=302", "/about-us/team"), ("/?page_id=301", "/about-us"),
                 ("/2019/06/02/a-post/", "/posts/a-post")):
    r = s.get(path)
    ok(r.status == 301 and r.header("location") == to, "%s answers 301 to %s" % (path, to), (r.status, r.header("location")))
eq(s.get("/?page_id=303").status, 404, "a private page's ?page_id= is a 404, never the home page")
eq(s.get("/secret-plans").status, 404, "and its address too")
eq(s.get("/tags-page").status, 200, "the renamed page answers at its new slug")
# its old address /tags/ now belongs to the tag index (issue 14): the slash goes, the index answers
r = s.get("/tags/")
ok(r.status == 301 and r.header("location") == "/tags", "/tags/ answers 301 to the tag index", (r.status, r.header("location")))
m = [t for _, t in menu(s.get("/").body)]
eq(m, ["About", "About Us", "Tag Index", "Contact", "Colophon"],
   "imported top-level pages join the menu by WordPress's menu order, then title")
r = s.get("/2019/06")
ok(r.status == 200 and "A Post" in r.body and "About Us</a></h2>" not in r.body and "Aboutwords" not in r.body,
   "the imported post's month archive, no pages", r.body[-3000:])
rc, out2, err2 = run(["import", "wxr", "--db", s.db, WXR])
ok(rc == 0 and "posts: 0 created, 0 updated, 6 unchanged" in out2, "a second import changes nothing", out2 + err2)

ok("ERROR" not in open(os.path.join(s.dir, "quire.log")).read(), "no error in quire's log")
done()
