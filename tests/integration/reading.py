"""reading: every reader page through nginx: content, escaping, status codes, caching headers."""
import datetime
import re
import time
import xml.etree.ElementTree as ET

from quiretest import Stack, ok, eq, contains, lacks, done

s = Stack("reading")
s.user("Ada Lovelace", "ada@example.org", bio="Wrote the first program & more.")
s.user("Grace Hopper", "grace@example.org", bio="Found the first bug.")
s.import_post({"title": "First steps", "date": "2026-01-01", "tags": "c, systems", "author": "Ada Lovelace"},
       "The very *first* post.\n\n![A harbour](/static/favicon.svg)\n*Boats at dawn.*\n")
s.import_post({"title": "Second thoughts", "date": "2026-01-02", "tags": "c", "author": "Grace Hopper"})
s.import_post({"title": "Third <script>alert('x')</script>", "slug": "third", "date": "2026-01-03",
        "tags": "web", "author": "Ada Lovelace"}, "Body with <script>evil()</script> and <b onclick=x>b</b>.\n")
s.import_post({"title": "Fourth", "date": "2026-01-04T10:00:00Z", "author": "Grace Hopper"})
s.import_post({"title": "Fifth", "date": "2026-01-05", "author": "Ada Lovelace", "tags": "web"})
s.import_post({"title": "Secret draft", "date": "2026-01-06", "draft": "true"})
s.import_post({"title": "From the future", "date": "2099-01-01"})
soon = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=15)
s.import_post({"title": "Scheduled soon", "slug": "scheduled", "date": soon.strftime("%Y-%m-%dT%H:%M:%SZ")})
s.start()
# before anything else: a loaded machine may take seconds to get through the checks below
scheduled_early = s.get("/posts/scheduled").status

# --- home and pagination
r = s.get("/")
eq(r.status, 200, "home is 200")
eq(r.header("content-type"), "text/html; charset=utf-8", "home is HTML in UTF-8")
titles = re.findall(r'class="entry-title"><a href="([^"]+)">', r.body)
eq(titles, ["/posts/fifth", "/posts/fourth", "/posts/third"], "newest three posts first")
contains(r.body, 'href="/page/2"', "link to the older page")
contains(r.body, "by <a href=\"/authors/ada-lovelace\"", "author link on the home page")
contains(r.body, 'href="/tags/web"', "tag link on the home page")
contains(r.body, "No responses yet", "comment count on the home page")
lacks(r.body, "Secret draft", "drafts are not listed")
lacks(r.body, "From the future", "future posts are not listed")
r2 = s.get("/page/2")
eq(r2.status, 200, "page 2")
eq(re.findall(r'class="entry-title"><a href="([^"]+)">', r2.body), ["/posts/second-thoughts", "/posts/first-steps"],
   "page 2 holds the older posts")
contains(r2.body, 'href="/"', "page 2 links back to newer posts")
eq(s.get("/page/3").status, 404, "a page past the end is 404")
eq(s.get("/page/0").status, 404, "page 0 is 404")
eq(s.get("/page/abc").status, 404, "a non-numeric page is 404")
r = s.get("/page/1")
ok(r.status == 301 and r.header("location").endswith("/"), "/page/1 redirects to /", r.header("location"))

# --- the article
r = s.get("/posts/first-steps")
eq(r.status, 200, "article is 200")
contains(r.body, "<h1 class=\"entry-title\">First steps</h1>", "article title")
contains(r.body, "<em>first</em>", "Markdown rendered")
ok(re.search(r"<figure>\s*<img src=\"/static/favicon.svg\" alt=\"A harbour\"[^>]*>\s*<figcaption>Boats at dawn.</figcaption>",
             r.body) is not None, "image + italic line is a figure with a caption", r.body[:3000])
contains(r.body, '<link rel="canonical" href="%s/posts/first-steps">' % s.base, "canonical link is absolute")
contains(r.body, '<meta property="og:title" content="First steps">', "OpenGraph title")
contains(r.body, '<meta property="og:type" content="article">', "OpenGraph type")
contains(r.body, '<svg class="identicon"', "author identicon drawn inline as SVG")
contains(r.body, "Wrote the first program &amp; more.", "author bio, escaped")
contains(r.body, 'href="/posts/second-thoughts" rel="next"', "link to the next post")
lacks(r.body, 'rel="prev"', "the oldest post has no previous post")
r = s.get("/posts/second-thoughts")
contains(r.body, 'href="/posts/first-steps" rel="prev"', "link to the previous post")
lacks(r.body, "ada@example.org", "author email never shown")
lacks(r.body, "grace@example.org", "author email never shown (2)")

# --- escaping
r = s.get("/posts/third")
contains(r.body, "Third &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;", "title holding <script> is escaped")
lacks(r.body, "<script>", "no script element anywhere in the page")
lacks(r.body, "onclick", "raw HTML from Markdown dropped")
lacks(s.get("/").body, "<script>", "no script element on the home page")

# --- drafts, future posts, scheduled posts
eq(s.get("/posts/secret-draft").status, 404, "a draft is 404")
eq(s.get("/posts/from-the-future").status, 404, "a future post is 404")
eq(scheduled_early, 404, "a scheduled post is hidden before its time")
time.sleep(max(0, (soon - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) + 1.2)
eq(s.get("/posts/scheduled").status, 200, "the scheduled post appears on its time without any action")
contains(s.get("/").body, "/posts/scheduled", "and is listed on the home page")

# --- tags and authors
r = s.get("/tags/c")
eq(r.status, 200, "tag page")
contains(r.body, "Posts tagged “c”", "tag heading")
eq(sorted(re.findall(r'class="entry-title"><a href="([^"]+)">', r.body)), ["/posts/first-steps", "/posts/second-thoughts"],
   "tag page lists the tagged posts")
eq(s.get("/tags/nope").status, 404, "unknown tag is 404")
contains(s.get("/tags/Web").body, "Posts tagged “web”", "a tag asked for by its name works too")
r = s.get("/authors/grace-hopper")
eq(r.status, 200, "author page by slug")
contains(r.body, "Posts by Grace Hopper", "author heading")
contains(r.body, "Found the first bug.", "author bio on the author page")
eq(s.get("/authors/Grace%20Hopper").status, 200, "author page by name")
eq(s.get("/authors/nobody").status, 404, "unknown author is 404")
eq(s.get("/authors/ada-lovelace/page/2").status, 404, "author list past its last page is 404")
r = s.get("/authors/Ada%20Lovelace/page/1")
ok(r.status == 301 and r.header("location") == "/authors/ada-lovelace", "author page 1 redirects to the slug URL",
   r.header("location"))

# --- feed, sitemap, robots, health
r = s.get("/feed.atom")
eq(r.status, 200, "feed is 200")
ok(r.header("content-type").startswith("application/atom+xml"), "feed content type")
A = "{http://www.w3.org/2005/Atom}"
try:
    feed = ET.fromstring(r.raw)
    parsed = True
except ET.ParseError as e:
    parsed = False
    feed = None
ok(parsed, "the feed parses as XML")
if feed is not None:
    entries = feed.findall(A + "entry")
    eq(len(entries), 6, "feed has every visible post")
    eq(entries[0].find(A + "title").text, "Scheduled soon", "newest entry first")
    ok(all(e.find(A + "link").get("href").startswith(s.base + "/posts/") for e in entries),
       "entry links are absolute")
    ok(all(re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", e.find(A + "updated").text) for e in entries),
       "entries have RFC 3339 updated dates")
    ok(feed.find(A + "updated") is not None and feed.find(A + "id") is not None, "feed has id and updated")
    third = [e for e in entries if e.find(A + "id").text.endswith("/third")][0]
    eq(third.find(A + "title").text, "Third <script>alert('x')</script>", "feed title round-trips as text")
    lacks(third.find(A + "content").text, "<script>", "feed content has no script")
r = s.get("/sitemap.xml")
eq(r.status, 200, "sitemap is 200")
locs = [e.text for e in ET.fromstring(r.raw).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
contains(locs, s.base + "/posts/first-steps", "sitemap lists posts")
lacks(locs, s.base + "/posts/secret-draft", "sitemap hides drafts")
r = s.get("/robots.txt")
ok(r.status == 200 and "Sitemap: %s/sitemap.xml" % s.base in r.body and "Disallow: /admin/" in r.body, "robots.txt")
r = s.get("/healthz")
ok(r.status == 200 and r.body == "ok\n", "healthz answers ok")

# --- errors
r = s.get("/no/such/page")
eq(r.status, 404, "unknown path is 404")
ok(re.search(r'<link rel="stylesheet" href="/static/quire.css\?v=[0-9a-f]{10}">', r.body), "404 page is in the site layout")
contains(r.body, "There is no page at this address", "404 page says so")
r = s.get("/posts/first-steps", method="DELETE")
eq(r.status, 405, "DELETE is 405")
eq(r.header("allow"), "GET, HEAD", "405 carries Allow")
eq(s.get("/feed.atom", method="POST", data="x=1").status, 405, "POST to a GET page is 405")
eq(s.get("/posts/%zz").status, 400, "bad percent-encoding is 400")
eq(s.get("/posts/%C3%28").status, 400, "invalid UTF-8 in a slug is 400")
eq(s.get("/posts/a%00b").status, 400, "encoded NUL is 400")
eq(s.get("/posts/" + "a" * 2000).status, 414, "over-long path is 414")
ok(s.get("/?" + "q=" + "x" * 3000).status in (414,), "over-long query string is 414")
r = s.get("/feed.atom/")
ok(r.status == 301 and r.header("location") == "/feed.atom", "trailing slash redirects", r.header("location"))

# --- caching headers and conditional requests
for path in ("/", "/page/2", "/posts/first-steps", "/tags/c", "/authors/ada-lovelace", "/feed.atom", "/sitemap.xml"):
    r = s.get(path)
    ok(r.header("etag") and r.header("last-modified") and r.header("cache-control"),
       "%s has ETag, Last-Modified and Cache-Control" % path, r.headers)
    r304 = s.get(path, headers={"If-None-Match": r.header("etag")})
    ok(r304.status == 304 and r304.body == "", "%s answers 304 to its ETag" % path, r304.status)
    r304 = s.get(path, headers={"If-Modified-Since": r.header("last-modified")})
    eq(r304.status, 304, "%s answers 304 to If-Modified-Since" % path)
r = s.get("/posts/first-steps")
eq(s.get("/posts/first-steps", headers={"If-None-Match": '"other"'}).status, 200, "a stale ETag gets the page")
contains(r.header("cache-control"), "public", "reader pages may be cached by shared caches")
r = s.get("/posts/first-steps", method="HEAD")
ok(r.status == 200 and r.body == "", "HEAD has headers and no body")
contains(r.header("content-security-policy") or "", "default-src 'self'", "CSP on reader pages")
eq(s.get("/nope").header("cache-control"), "no-store", "error pages are not cached")

# an edit changes the ETag: no cache hides the new text
before = s.get("/posts/second-thoughts")
s.import_post({"title": "Second thoughts", "date": "2026-01-02", "tags": "c", "author": "Grace Hopper"}, "Edited body.\n")
after = s.get("/posts/second-thoughts", headers={"If-None-Match": before.header("etag")})
ok(after.status == 200 and "Edited body." in after.body, "after an edit the old ETag no longer matches")

# --- privacy: no cookies, nothing from another host
for path in ("/", "/posts/first-steps", "/tags/c", "/nope"):
    r = s.get(path)
    ok("set-cookie" not in r.headers, "%s sets no cookie" % path)
    ext = re.findall(r'(?:src|href)="(?:https?:)?//(?!127\.0\.0\.1)[^"]+"', r.body)
    eq(ext, [], "%s loads nothing from another host" % path)

# --- well-formed pages: every id is unique
for path in ("/", "/posts/first-steps", "/tags/c", "/authors/ada-lovelace", "/nope"):
    ids = re.findall(r'\sid="([^"]+)"', s.get(path).body)
    eq(sorted(i for i in set(ids) if ids.count(i) > 1), [], "%s has no duplicate id" % path)

# --- static files come from nginx
r = s.get("/static/quire.css")
ok(r.status == 200 and "prefers-color-scheme: dark" in r.body, "stylesheet served, with dark mode")
eq(s.get("/static/nope.css").status, 404, "missing static file is 404")
done()
