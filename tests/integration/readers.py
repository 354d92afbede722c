"""readers: the small things readers expect (issue 14): "Save my name, email, and website" (one
cookie, set only when ticked, never on a GET of a reader page), the form at #respond, a 429 that
keeps the comment, reply-notification mails that are no blog subscription, the subscribe box under
the article and its zero count hidden, the 404 page, reading time, and the /tags index."""
import os
import re
import sqlite3
import urllib.parse

from quiretest import SRCDIR, Stack, SmtpSink, ok, eq, contains, lacks, done

mails = os.path.join(os.environ.get("TMPDIR", "/tmp"), "quire-readers-%d" % os.getpid())
sink = SmtpSink(mails).start()
s = Stack("readers", config="[mail]\nsmtp_url = smtp://127.0.0.1:%d\nfrom = blog@example.org\nretry_base = 1\n"
                            "starttls = no\n[comments]\nmin_seconds = 0\nmoderation = none\nrate_limit = 3\n"
                            "rate_window = 600\n" % sink.port)
s.user("Ada Lovelace", "ada@example.org")
LONG = " ".join("word%d" % i for i in range(700))  # 700 words: 3 min at 230 a minute
s.import_post({"title": "A long read", "slug": "long", "date": "2026-01-01", "author": "Ada Lovelace",
               "tags": "Zebra, apple"}, body="# Heading\n\n- " + LONG + "\n\n---\n")
s.import_post({"title": "Short note", "slug": "short", "date": "2026-01-02", "author": "Ada Lovelace",
               "tags": "apple"}, body="Just a few words.\n")
for i in range(3, 8):
    s.import_post({"title": "Filler %d" % i, "slug": "filler-%d" % i, "date": "2026-01-%02d" % i,
                   "author": "Ada Lovelace"})
s.import_post({"title": "Secret draft", "slug": "secret", "date": "2026-01-09", "draft": "true", "tags": "hidden-tag"})
s.start()
db = sqlite3.connect(s.db)
jar, csrf = s.login("Ada Lovelace")
r = s.post("/admin/posts", {"csrf": csrf, "title": "About", "slug": "about", "body": LONG, "action": "publish",
                            "has_kind": "1", "kind": "page", "parent": "", "menu_order": ""}, jar=jar)
eq(r.status, 303, "a page is published")


def q(sql, *args):
    return db.execute(sql, args).fetchone()[0]


def token(slug="long"):
    m = re.search(r'name="token" value="([^"]+)"', s.get("/posts/" + slug).body)
    return m.group(1) if m else ""


def comment(slug="long", jar=None, source=None, headers=None, **fields):
    data = {"author": "Zoë Reader", "email": "zoe@example.org", "url": "https://zoe.example/a?b=c&d",
            "comment": "Nice post.", "token": token(slug)}
    data.update(fields)
    return s.post("/posts/%s/comments" % slug, {k: v for k, v in data.items() if v is not None}, jar=jar,
                  source=source, headers=headers)


def cookies(r, name):
    return [v for k, v in r.all_headers if k == "set-cookie" and v.startswith(name + "=")]


# === 1. the form: "Save my name..." at #respond, with its script
art = s.get("/posts/long")
eq(art.status, 200, "the article answers")
contains(art.body, "Save my name, email, and website in this browser for the next time I comment.",
         "the form offers WordPress's remember-me box")
ok(re.search(r'<input type="checkbox" id="remember" name="remember" value="1">', art.body),
   "unticked by default")
ok(re.search(r'<div id="respond"[^>]*>\s*<h3[^>]*>.*?<form method="post" action="/posts/long/comments#respond"',
             art.body, re.S), "the form sits in #respond and posts to ...#respond")
ok(re.search(r'<script src="/static/comments\.js\?v=[0-9a-f]+" defer></script>', art.body),
   "static/comments.js is linked, versioned")
contains(art.body, "with JavaScript off, type them again", "the form says there is no prefill without JavaScript")
js = s.get(re.search(r'src="(/static/comments\.js[^"]*)"', art.body).group(1))
ok(js.status == 200 and "quire_remember" in js.body, "the script is served", js.status)

# === 2. the cookie: only when ticked; unticked clears it; never from GET
r = comment(comment="Not remembered.")
eq(r.status, 303, "a comment without the box is accepted")
eq(cookies(r, "quire_remember"), [], "unticked, no cookie is set")
r = comment(comment="Remember me, please.", remember="1")
eq(r.status, 303, "a comment with the box ticked is accepted")
set_ = cookies(r, "quire_remember")
eq(len(set_), 1, "ticked: ONE quire_remember cookie")
c = set_[0] if set_ else ""
value = c.split(";")[0].split("=", 1)[1] if c else ""
parts = dict(kv.split("=", 1) for kv in value.split("&")) if value else {}
eq({k: urllib.parse.unquote(v) for k, v in parts.items()},
   {"n": "Zoë Reader", "e": "zoe@example.org", "u": "https://zoe.example/a?b=c&d"}, "holding name, email and website")
ok(re.fullmatch(r"[A-Za-z0-9%&=._~-]+", value), "URL-encoded: no byte a cookie may not hold", value)
attrs = [a.strip().lower() for a in c.split(";")[1:]]
ok("path=/" in attrs and "max-age=31536000" in attrs and "samesite=lax" in attrs, "Path=/, a year, SameSite=Lax", c)
ok("secure" not in attrs and "httponly" not in attrs, "not Secure on http://, and readable by the script", c)
hdr = {"Cookie": "quire_remember=" + value}
r = comment(comment="Forget me now.", headers=hdr)
eq(r.status, 303, "a comment with the box unticked again")
cleared = cookies(r, "quire_remember")
ok(len(cleared) == 1 and "max-age=0" in cleared[0].lower(), "unticked clears the cookie", cleared)

# every GET reader route (from the route table) answers without Set-Cookie, cookie or not, same bytes
samples = {"/": "/", "/page/:": "/page/2", "/posts/:": "/posts/long", "/posts/:/comment-page/:":
           "/posts/long/comment-page/1", "/posts/:/comments.atom": "/posts/long/comments.atom",
           "/comments.atom": "/comments.atom", "/tags": "/tags", "/tags/:": "/tags/apple",
           "/tags/:/page/:": "/tags/apple/page/1", "/authors/:": "/authors/ada-lovelace",
           "/authors/:/page/:": "/authors/ada-lovelace/page/2", "/feed.atom": "/feed.atom",
           "/sitemap.xml": "/sitemap.xml", "/robots.txt": "/robots.txt", "/search": "/search?q=word1"}
table = open(os.path.join(SRCDIR, "src/web/route.c")).read()
reader_routes = re.findall(r'\{"GET", "([^"]+)", \w+, [^}]*R_READER', table)
ok(len(reader_routes) >= 14, "the route table lists the reader routes", reader_routes)
missing = [p for p in reader_routes if p not in samples]
eq(missing, [], "every reader route of the table is tried here")
paths = [samples[p] for p in reader_routes if p in samples] + ["/about", "/2026", "/2026/01", "/nope", "/posts/nope"]
for path in paths:
    plain = s.get(path)
    with_cookie = s.get(path, headers=hdr)
    ok(not [k for k, v in plain.all_headers + with_cookie.all_headers if k == "set-cookie"],
       "%s answers without Set-Cookie" % path, plain.all_headers)
    ok(plain.status == with_cookie.status and plain.header("etag") == with_cookie.header("etag"),
       "%s is the same page with the remember-me cookie (the server never reads it)" % path)
    ok(plain.header("vary") is None or "cookie" not in plain.header("vary").lower(), "%s does not vary by cookie" % path)

# nginx's micro-cache never stores an answer with Set-Cookie
conf = open(os.path.join(SRCDIR, "conf/nginx-quire-cache.conf")).read()
ok(re.search(r"^fastcgi_no_cache .*\$upstream_http_set_cookie", conf, re.M) and
   re.search(r"request_method !~ \^\(GET\|HEAD\)\$", conf), "nginx-quire-cache.conf skips POSTs and Set-Cookie answers")

# === 3. an error lands on #respond with the text kept
r = comment(comment="", author="Kept Name", source="127.0.0.20")
eq(r.status, 422, "an empty comment is refused")
contains(r.body, 'id="respond"', "the answer has the form at #respond")
contains(r.body, 'action="/posts/long/comments#respond"', "which posts to #respond again")
contains(r.body, 'value="Kept Name"', "the name typed is kept")
contains(r.body, "Please type a comment.", "and the error shown")

# === 4. 429 keeps everything typed and says when
parent = q("SELECT max(id) FROM comments WHERE status = 'approved'")
src = "127.0.0.9"
for i in range(3):
    eq(comment(comment="Burst %d." % i, source=src).status, 303, "comment %d of the burst is accepted" % (i + 1))
r = comment(comment="The fourth, kept\nacross lines.", author="Busy Bee", email="busy@example.org",
            url="https://busy.example/", parent=str(parent), notify="1", remember="1", source=src)
eq(r.status, 429, "the fourth comment in the window is rate-limited")
eq(r.header("retry-after"), "600", "Retry-After says when (seconds)")
contains(r.body, "send it again in 10 minutes", "and the page says it in words")
contains(r.body, "The fourth, kept\nacross lines.</textarea>", "the comment text is kept")
for v in ('value="Busy Bee"', 'value="busy@example.org"', 'value="https://busy.example/"',
          'name="parent" value="%d"' % parent):
    contains(r.body, v, "429 keeps %s" % v)
ok(re.search(r'name="notify" value="1" checked', r.body) and re.search(r'id="remember" name="remember" value="1" checked', r.body),
   "and both boxes ticked")
contains(r.body, 'id="respond"', "the 429 answer shows the form at #respond")
eq(cookies(r, "quire_remember"), [], "a refused comment sets no cookie")

# === 5. reply notifications are no blog subscription
r = comment(comment="Tell me about replies.", author="Rita", email="rita@example.org", notify="1", source="127.0.0.10")
eq(r.status, 303, "a comment with 'notify me of replies'")
cid = q("SELECT max(id) FROM comments WHERE author_email = 'rita@example.org'")
msgs = sink.wait("rita@example.org", 1)
ok(msgs, "a confirmation mail arrives")
m = msgs[0] if msgs else None
subject = str(m["Subject"]) if m else ""
contains(subject, "Confirm reply notifications", "its subject says it is about replies")
contains(subject, "A long read", "naming the post")
text = m.get_body(preferencelist=("plain",)).get_content() if m else ""
html = m.get_body(preferencelist=("html",)).get_content() if m else ""
contains(text, "when someone replies to that comment", "the text says: replies to that comment")
contains(text, "/posts/long#comment-%d" % cid, "linking that comment")
contains(text, "This is not a subscription to the blog", "and that it is no blog subscription")
lacks(text, "Confirm your subscription", "it does not speak of a subscription")
contains(html, "This is not a subscription to the blog", "the HTML part says so too")
link = re.search(r"(http://\S+/subscribe/confirm\?token=[A-Za-z0-9_-]+)", text)
ok(link, "with a confirmation link")
tok = urllib.parse.parse_qs(urllib.parse.urlparse(link.group(1)).query)["token"][0] if link else ""
page = s.get("/subscribe/confirm?token=" + tok).body
ok("Confirm reply notifications</button>" in page and "This is not a subscription to the blog" in page,
   "the link's page asks to confirm reply notifications, not a subscription")
r = s.post("/subscribe/confirm", {"token": tok})
contains(r.body, "Reply notifications are on", "and says what was confirmed")
eq(q("SELECT status || '/' || wants_posts FROM subscribers WHERE email = 'rita@example.org'"), "confirmed/0",
   "confirmed, for replies only")
home = s.get("/")
lacks(home.body, "other subscriber", "not counted as a blog subscriber: 'Join N' stays hidden at 0")
adm = s.get("/admin/subscribers", jar=jar).body
contains(adm, 'id="count-confirmed">0<', "/admin/subscribers does not count it as confirmed subscriber")
contains(adm, 'id="count-replies-only">1<', "but as one for replies only")
contains(s.get("/admin/", jar=jar).body, 'id="count-subscribers">0</strong> subscribers<',
         "nor does the dashboard")
# a blog subscriber is counted
s.post("/subscribe", {"email": "blog@example.net"})
msgs = sink.wait("blog@example.net", 1)
bl = re.search(r"token=([A-Za-z0-9_-]+)", msgs[0].get_body(preferencelist=("plain",)).get_content()) if msgs else None
contains(str(msgs[0]["Subject"]) if msgs else "", "Confirm your subscription", "the blog's own box asks to confirm a subscription")
s.post("/subscribe/confirm", {"token": bl.group(1) if bl else ""})
contains(s.get("/").body, "Join 1 other subscriber<", "the footer counts the one blog subscriber")
contains(s.get("/admin/subscribers", jar=jar).body, 'id="count-confirmed">1<', "so does the admin")
# a blog subscription still pending, then "notify me": the one mail speaks of the subscription
s.post("/subscribe", {"email": "both@example.net"})
eq(len(sink.wait("both@example.net", 1)), 1, "a pending blog subscriber got the subscription mail")
r = comment(comment="And replies too.", author="Both", email="both@example.net", notify="1", source="127.0.0.11")
msgs = sink.wait("both@example.net", 2)
ok(len(msgs) == 2 and "Confirm your subscription" in str(msgs[1]["Subject"]),
   "ticking 'notify me' then keeps the blog subscription's words (its link confirms both)",
   [str(m["Subject"]) for m in msgs])
r = s.post("/admin/posts", {"csrf": csrf, "title": "News for subscribers", "slug": "news", "body": "News.",
                            "action": "publish"}, jar=jar)
eq(r.status, 303, "a new post is published")
eq(sorted(x[0] for x in db.execute("SELECT recipient FROM outbox WHERE kind = 'post'")), ["blog@example.net"],
   "the new-post mail goes to the blog subscriber only, not to the reply-only address")

# === 6. the subscribe box: under the article, at the end of other pages, never in the admin
art = s.get("/posts/long").body
a, b, c_ = art.find('class="author-box"'), art.find('class="subscribe-box"'), art.find('id="comments"')
ok(0 < a < b < c_, "on an article: after the author box, before the comments", (a, b, c_))
eq(art.count('class="subscribe-box"'), 1, "once")
for path in ("/", "/tags", "/tags/apple", "/search?q=word1", "/nope"):
    body = s.get(path).body
    i, main_end, foot = body.find('class="subscribe-box"'), body.find("</main>"), body.find('class="site-footer"')
    ok(0 < i < main_end < foot, "%s: the box ends the main content, not the footer" % path, (i, main_end, foot))
lacks(s.get("/admin/", jar=jar).body, 'class="subscribe-box"', "never on admin pages")
lacks(s.get("/admin/subscribers", jar=jar).body, 'class="subscribe-box"', "(the subscribers page neither)")
lacks(s.get("/admin/login").body, 'class="subscribe-box"', "nor on the login page")
sub = s.get("/subscribe").body
lacks(sub, 'class="subscribe-box"', "the subscribe page has its own form, not the box as well")

# === 7. the 404 page
recent = ["News for subscribers", "Filler 7", "Filler 6", "Filler 5", "Filler 4"]
for path in ("/nope/deeper", "/posts/nope", "/tags/nope", "/authors/nope"):
    r = s.get(path)
    eq(r.status, 404, "%s is 404" % path)
    contains(r.body, '<meta name="robots" content="noindex">', "%s: noindex" % path)
    ok(re.search(r'<form method="get" action="/search" role="search" class="not-found-search', r.body),
       "%s: a search form" % path)
    got = re.findall(r'<ul class="recent-posts"[^>]*>(.*?)</ul>', r.body, re.S)
    titles = re.findall(r'<a href="/posts/[^"]+">([^<]+)</a>', got[0]) if got else []
    eq(titles, recent, "%s: the 5 most recent posts, newest first" % path)

# === 8. reading time
contains(s.get("/posts/long").body, '<span class="reading-time">3 min read</span>', "700 words: 3 min read")
contains(s.get("/posts/short").body, '<span class="reading-time">1 min read</span>', "a few words: at least 1 min")
lacks(s.get("/about").body, "min read", "not on pages")

# === 9. /tags
r = s.get("/tags")
eq(r.status, 200, "/tags answers")
items = re.findall(r'<li><a href="(/tags/[^"]+)" rel="tag">([^<]+)</a> <span class="count">\((\d+) posts?\)</span></li>', r.body)
eq(items, [("/tags/apple", "apple", "2"), ("/tags/zebra", "Zebra", "1")],
   "every tag with a published post, alphabetical, with counts and links")
lacks(r.body, "hidden-tag", "a tag of drafts only is not listed")
ok(r.header("etag") and r.header("last-modified") and "public" in (r.header("cache-control") or ""),
   "/tags has ETag, Last-Modified and Cache-Control like other reader pages", r.headers)
eq(s.get("/tags", headers={"If-None-Match": r.header("etag") or "x"}).status, 304, "and revalidates to 304")
eq(s.get("/tags", method="HEAD").status, 200, "HEAD works")
contains(s.get("/sitemap.xml").body, "<loc>%s/tags</loc>" % s.base, "/tags is in the sitemap")
contains(s.get("/").body, '<a href="/tags">Tags</a>', "linked from the footer")
contains(s.get("/tags/apple").body, '<a href="/tags">All tags</a>', "and from each tag page")

done()
