"""metadata: what search engines, link previews and browsers read of quire's pages, through nginx:
og:image and the Twitter card (summary_large_image with an image, summary without) from a featured
image or the first image, always absolute; JSON-LD BlogPosting and WebSite/SearchAction that
json.loads parses whatever the title holds; a distinct description per page type; the sitemap valid
against the sitemaps.org 0.9 XSD (xmllint); dates from the content's last real change (WordPress's
post_modified_gmt after an import, kept by a re-import and a pin, moved by an edit); /favicon.ico
and the apple-touch icon; width and height on every <img> of an article matching its file, the first
image eager and the rest lazy."""
import datetime
import html
import json
import os
import re
import sqlite3
import struct
import subprocess
import time
import zlib

from quiretest import SRCDIR, Stack, run, serve_uploads, ok, eq, contains, lacks, done

DATA = os.path.join(SRCDIR, "tests", "data")
UPLOADS = os.path.join(DATA, "wordpress_uploads")
MODIFIED = "2024-07-20 09:15:00"  # given to "A harbour at dawn" in the test's copy of the export
MODIFIED_ISO = "2024-07-20T09:15:00Z"


def png(w, h):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + bytes((x * 7 + y) % 256 for x in range(w * 3)) for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def file_size(path):
    """(width, height) of a PNG, GIF or JPEG file, read here independently of quire's parser."""
    b = open(path, "rb").read()
    if b[:8] == b"\x89PNG\r\n\x1a\n":
        return struct.unpack(">II", b[16:24])
    m = re.search(rb'<svg[^>]*\swidth="(\d+)"[^>]*\sheight="(\d+)"', b[:4096])
    if m:
        return int(m.group(1)), int(m.group(2))
    if b[:6] in (b"GIF87a", b"GIF89a"):
        return struct.unpack("<HH", b[6:10])
    if b[:2] == b"\xff\xd8":
        i = 2
        while i < len(b):
            while b[i] == 0xFF:
                i += 1
            m = b[i]
            i += 1
            n = struct.unpack(">H", b[i:i + 2])[0]
            if m in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                h, w = struct.unpack(">HH", b[i + 3:i + 7])
                return w, h
            i += n
    return None


def metas(body):
    """{property or name: [content, ...]} of the page's <meta> tags."""
    out = {}
    for m in re.finditer(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', body):
        out.setdefault(m.group(1), []).append(html.unescape(m.group(2)))
    return out


def meta(body, key):
    v = metas(body).get(key)
    return v[0] if v else None


def ld_blocks(body):
    """Every JSON-LD block of the page, parsed (a block json.loads refuses fails the test)."""
    out = []
    for m in re.finditer(r'<script type="application/ld\+json">(.*?)</script>', body, re.S):
        try:
            out.append(json.loads(m.group(1)))
        except ValueError as e:
            ok(False, "JSON-LD parses", "%s: %r" % (e, m.group(1)[:400]))
    return out


def absolute(url):
    return bool(re.match(r"https?://[^/]+/", url or ""))


# --- the old WordPress site, serving its uploads on loopback
OLD = serve_uploads(UPLOADS)

s = Stack("metadata")
cfg = s.write_config()
media = os.path.join(s.dir, "media")
os.makedirs(media, exist_ok=True)
s.user("Ada Lovelace", "ada@example.org", bio="Writes about engines and numbers.")
s.user("Grace Hopper", "grace@example.org")

# 1. a WordPress import: the post's modified date, and its featured image (_thumbnail_id)
export = os.path.join(s.dir, "wordpress_real.xml")
with open(os.path.join(DATA, "wordpress_real.xml"), encoding="utf-8") as fh:
    text = fh.read().replace("http://old.example.test", OLD)
item = re.search(r"<item>(?:(?!</item>).)*?<wp:post_id>10</wp:post_id>.*?</item>", text, re.S)
ok(item and "_thumbnail_id" in item.group(0), "the export's 'A harbour at dawn' has a featured image")
changed = re.sub(r"<wp:post_modified_gmt><!\[CDATA\[[^]]*\]\]></wp:post_modified_gmt>",
                 "<wp:post_modified_gmt><![CDATA[%s]]></wp:post_modified_gmt>" % MODIFIED, item.group(0))
changed = re.sub(r"<wp:post_modified><!\[CDATA\[[^]]*\]\]></wp:post_modified>",
                 "<wp:post_modified><![CDATA[2024-07-20 10:15:00]]></wp:post_modified>", changed)
with open(export, "w", encoding="utf-8") as out_fh:
    out_fh.write(text.replace(item.group(0), changed))
rc, out, err = run(["import", "wxr", "--config", cfg, "--db", s.db, export])
ok(rc == 0, "the export imports with its media", out + err)

# 2. native posts: one without an image, one with two uploaded images, one with a hostile title
s.import_post({"title": "Plain words", "slug": "plain", "date": "2025-01-10T10:00:00Z", "tags": "notes",
               "author": "Grace Hopper"}, "Only words here, no picture at all.\n")
HOSTILE = 'Quotes "q" \\ and </script><script>alert(1)</script> & \u2028 end'
s.import_post({"title": HOSTILE, "slug": "hostile", "date": "2025-01-11T10:00:00Z", "author": "Ada Lovelace",
               "excerpt": 'An excerpt with "quotes" and </script>'}, "Text.\n")
s.import_post({"title": "Revised", "slug": "revised", "date": "2025-01-12T10:00:00Z", "updated": "2025-02-01T09:30:00Z",
               "author": "Ada Lovelace"}, "Revised text.\n")
for i in range(3):
    s.import_post({"title": "Filler %d" % i, "slug": "filler-%d" % i, "date": "2025-01-0%dT10:00:00Z" % (i + 1),
                   "tags": "notes", "author": "Ada Lovelace"}, "Filler text %d.\n" % i)
s.start()
db = sqlite3.connect(s.db, isolation_level=None)


def q(sql, *args):
    row = db.execute(sql, args).fetchone()
    return row[0] if row else None


jar, csrf = s.login("Ada Lovelace")
uploaded = []
for w, h in ((64, 48), (20, 30)):
    path = os.path.join(s.dir, "up-%d.png" % w)
    open(path, "wb").write(png(w, h))
    r = s.post("/admin/media", {"csrf": csrf}, files={"image": ("p.png", path)}, jar=jar)
    m = re.search(r"uploaded=([0-9a-f]{32}\.png)", r.header("location") or "")
    ok(r.status == 303 and m, "a %dx%d PNG uploads" % (w, h), (r.status, r.header("location")))
    uploaded.append(m.group(1) if m else "missing.png")
eq(db.execute("SELECT width, height FROM media_sizes WHERE name = ?", (uploaded[0],)).fetchone(), (64, 48),
   "the upload's size is recorded")


def form_of(post_id):
    body = s.get("/admin/posts/%d/edit" % post_id, jar=jar).body
    f = {"csrf": csrf}
    for name in ("title", "slug", "excerpt", "tags", "date", "featured_image"):
        m = re.search(r'name="%s" type="[a-z-]+" value="([^"]*)"' % name, body)
        f[name] = html.unescape(m.group(1)) if m else ""
    m = re.search(r'<textarea id="body" name="body"[^>]*>(.*?)</textarea>', body, re.S)
    f["body"] = html.unescape(m.group(1)) if m else ""
    f["has_comment_box"] = "1"
    f["allow_comments"] = "1"
    return f, body


pictures = ("Pictures follow.\n\n![First](/media/%s)\n\nBetween them.\n\n![Second](/media/%s)\n*A caption.*\n\n"
            "Quire's own: ![Harbour](/static/demo/harbour.svg)\n" % (uploaded[0], uploaded[1]))
r = s.post("/admin/posts", {"csrf": csrf, "title": "With pictures", "slug": "pictures", "body": pictures,
                            "excerpt": "", "tags": "photos", "date": "2025-01-12T10:00", "action": "publish",
                            "has_comment_box": "1", "allow_comments": "1"}, jar=jar)
eq(r.status, 303, "a post with two images is published")
pictures_id = q("SELECT id FROM posts WHERE slug = 'pictures'")
f, page = form_of(pictures_id)
contains(page, 'name="featured_image"', "the editor has a featured image field")
r = s.post("/admin/posts", {"csrf": csrf, "title": "Featured", "slug": "featured", "body": "No image in the body.\n",
                            "excerpt": "", "tags": "", "date": "2025-01-13T10:00", "action": "publish",
                            "featured_image": "/media/" + uploaded[1], "has_comment_box": "1",
                            "allow_comments": "1"}, jar=jar)
eq(r.status, 303, "a post with a featured image and no image in its body is published")
r = s.post("/admin/posts", {"csrf": csrf, "title": "Bad image", "slug": "bad-image", "body": "x", "excerpt": "",
                            "tags": "", "date": "", "action": "publish", "featured_image": "javascript:alert(1)",
                            "has_comment_box": "1", "allow_comments": "1"}, jar=jar)
eq(r.status, 422, "a featured image that is no address is refused")

# 3. og:, twitter: and JSON-LD on articles
base = s.base


def article(path):
    r = s.get(path)
    eq(r.status, 200, "%s answers" % path)
    return r.body


body = article("/posts/plain")
eq(meta(body, "twitter:card"), "summary", "an article without an image: twitter:card summary")
eq(meta(body, "og:image"), None, "and no og:image")
eq(meta(body, "twitter:title"), "Plain words", "twitter:title is the post's title")
eq(meta(body, "twitter:description"), meta(body, "description"), "twitter:description is the description")
lds = ld_blocks(body)
eq(len(lds), 1, "one JSON-LD block on an article")
ld = lds[0] if lds else {}
eq(ld.get("@context"), "https://schema.org", "JSON-LD context schema.org")
eq(ld.get("@type"), "BlogPosting", "a BlogPosting")
eq(ld.get("headline"), "Plain words", "headline")
eq(ld.get("datePublished"), "2025-01-10T10:00:00Z", "datePublished")
eq(ld.get("dateModified"), "2025-01-10T10:00:00Z", "dateModified of a Markdown import is its date, not the import's")
eq(ld.get("dateModified"), meta(body, "article:modified_time"), "dateModified is article:modified_time")
eq(meta(s.get("/posts/revised").body, "article:modified_time"), "2025-02-01T09:30:00Z",
   "front matter's updated: is the content's last change")
au = ld.get("author") or {}
eq((au.get("@type"), au.get("name")), ("Person", "Grace Hopper"), "the author is a Person")
eq(au.get("url"), base + "/authors/grace-hopper", "with the absolute address of their page")
pub = ld.get("publisher") or {}
eq(pub.get("name"), "Test blog", "the publisher is the site")
ok(absolute((pub.get("logo") or {}).get("url")), "with an absolute logo", pub)
eq((ld.get("mainEntityOfPage") or {}).get("@id"), base + "/posts/plain", "mainEntityOfPage is the article")
eq(ld.get("description"), "Only words here, no picture at all.", "description is the excerpt")
ok("image" not in ld, "no image in the JSON-LD of a post without one")

body = article("/posts/pictures")
img = base + "/media/" + uploaded[0]
eq(meta(body, "twitter:card"), "summary_large_image", "an article with an image: summary_large_image")
eq(meta(body, "og:image"), img, "og:image is the first image, absolute")
eq(meta(body, "twitter:image"), img, "twitter:image too")
eq((meta(body, "og:image:width"), meta(body, "og:image:height")), ("64", "48"), "with the image's size")
ld = (ld_blocks(body) or [{}])[0]
eq(ld.get("image"), img, "the JSON-LD image is the same absolute URL")
# every <img> of the article has the size of its file; the first is eager, the others lazy
imgs = re.findall(r"<img [^>]*>", body.split('<main id="main"')[1])
eq(len(imgs), 3, "the article shows three images")
for n, tag in enumerate(imgs):
    src = re.search(r'src="([^"]+)"', tag).group(1)
    w = re.search(r'width="(\d+)"', tag)
    h = re.search(r'height="(\d+)"', tag)
    want = file_size(os.path.join(SRCDIR, src[1:]) if src.startswith("/static/") else
                     os.path.join(media, src.rsplit("/", 1)[1]))
    eq((int(w.group(1)) if w else None, int(h.group(1)) if h else None), want,
       "image %d has the width and height of its file" % (n + 1))
    eq('loading="lazy"' in tag, n > 0, "image %d is %s" % (n + 1, "lazy" if n else "not lazy (the first)"))

body = article("/posts/featured")
eq(meta(body, "og:image"), base + "/media/" + uploaded[1], "a chosen featured image is og:image")
eq(meta(body, "twitter:card"), "summary_large_image", "and makes the card large")
eq((ld_blocks(body) or [{}])[0].get("image"), base + "/media/" + uploaded[1], "and the JSON-LD image")

body = article("/posts/hostile")
lacks(body, "<script>alert(1)", "the hostile title never becomes a script element")
ld = (ld_blocks(body) or [{}])[0]
eq(ld.get("headline"), HOSTILE, "JSON-LD keeps a title with quotes, a backslash, </script>, & and U+2028")
eq(ld.get("description"), 'An excerpt with "quotes" and </script>', "and such an excerpt")

# the imported post: its featured image came home, its dates are WordPress's
harbour = q("SELECT slug FROM posts WHERE wp_id = 10")
body = article("/posts/" + harbour)
thumb = q("SELECT name FROM media_imports WHERE wp_id = 4")
eq(meta(body, "og:image"), base + "/media/%s" % thumb, "the imported post's og:image is its _thumbnail_id")
eq((meta(body, "og:image:width"), meta(body, "og:image:height")), ("600", "400"), "with its size")
eq(meta(body, "article:modified_time"), MODIFIED_ISO, "article:modified_time is WordPress's post_modified_gmt")
eq((ld_blocks(body) or [{}])[0].get("dateModified"), MODIFIED_ISO, "and the JSON-LD dateModified")
for tag in re.findall(r"<img [^>]*>", body.split('<main id="main"')[1]):
    src = re.search(r'src="([^"]+)"', tag).group(1)
    if src.startswith("/media/"):
        w = re.search(r'width="(\d+)"', tag)
        h = re.search(r'height="(\d+)"', tag)
        eq((int(w.group(1)) if w else None, int(h.group(1)) if h else None),
           file_size(os.path.join(media, src[len("/media/"):])), "imported image %s has its file's size" % src)

# 4. home: WebSite with a SearchAction
body = s.get("/").body
lds = [b for b in ld_blocks(body) if b.get("@type") == "WebSite"]
eq(len(lds), 1, "the home page has a WebSite JSON-LD")
act = (lds[0] if lds else {}).get("potentialAction") or {}
eq(act.get("@type"), "SearchAction", "with a SearchAction")
eq((act.get("target") or {}).get("urlTemplate"), base + "/search?q={search_term_string}", "searching /search?q=")
eq(act.get("query-input"), "required name=search_term_string", "naming the search term")
eq(lds[0].get("url") if lds else None, base + "/", "the site's address")
eq(meta(body, "twitter:card"), "summary", "the home page's card is a summary")

# 5. a description per page type, the same in og:description
pages = {"home": "/", "page 2": "/page/2", "tag": "/tags/notes", "author": "/authors/ada-lovelace",
         "author without bio": "/authors/grace-hopper", "year": "/2025", "month": "/2025/01",
         "search": "/search?q=words", "page": "/about", "article": "/posts/plain", "subscribe": "/subscribe"}
seen = {}
for kind, path in pages.items():
    r = s.get(path)
    eq(r.status, 200, "%s (%s) answers" % (kind, path))
    d = meta(r.body, "description")
    ok(d, "%s has a description" % kind, d)
    eq(meta(r.body, "og:description"), d, "%s: og:description is the description" % kind)
    seen[kind] = d
ok(len(set(seen.values())) == len(seen), "no two page types share a description", seen)
contains(seen["page 2"], "Page 2 of", "page 2 says which page it is")
eq(seen["author"], "Writes about engines and numbers.", "an author's page is described by their bio")

# 6. the sitemap, valid against the sitemaps.org schema, dated by the content's last change
r = s.get("/sitemap.xml")
eq(r.status, 200, "the sitemap answers")
smap = os.path.join(s.dir, "sitemap.xml")
open(smap, "wb").write(r.raw)
try:
    x = subprocess.run(["xmllint", "--noout", "--schema", os.path.join(DATA, "sitemap.xsd"), smap],
                       capture_output=True, text=True)
    ok(x.returncode == 0, "the sitemap validates against the sitemaps.org 0.9 XSD (xmllint)", x.stderr[-2000:])
except FileNotFoundError:
    ok(False, "xmllint is installed (Debian libxml2-utils; test.sh installs it)")


def lastmod(xml, path):
    m = re.search(r"<loc>%s</loc><lastmod>([^<]+)</lastmod>" % re.escape(base + path), xml)
    return m.group(1) if m else None


def feed_updated(path):
    xml = s.get("/feed.atom").body
    m = re.search(r"<id>%s</id>.*?<updated>([^<]+)</updated>" % re.escape(base + path), xml, re.S)
    return m.group(1) if m else None


hpath = "/posts/" + harbour
eq(lastmod(r.body, hpath), MODIFIED_ISO, "sitemap lastmod of an imported post is WordPress's modified date")
hello = q("SELECT slug FROM posts WHERE wp_id = 1")
eq(lastmod(r.body, "/posts/" + hello), "2019-01-01T08:00:00Z", "and of one never modified, its date")
eq(feed_updated(hpath), MODIFIED_ISO, "the feed entry's updated too")
feed = s.get("/feed.atom").body
top = re.search(r"<updated>([^<]+)</updated>", feed).group(1)
entries = re.findall(r"<entry>.*?<updated>([^<]+)</updated>", feed, re.S)
eq(top, max(entries), "the feed's updated is its newest entry's")

# a re-import and a pin move nothing; an edit does
rc, out, err = run(["import", "wxr", "--config", cfg, "--db", s.db, export])
ok(rc == 0, "the export imports again", out + err)
eq(lastmod(s.get("/sitemap.xml").body, hpath), MODIFIED_ISO, "a re-import keeps the modified date")
hid = q("SELECT id FROM posts WHERE wp_id = 10")
f, _ = form_of(hid)
f.update({"action": "publish", "has_sticky_box": "1", "sticky": "1"})
eq(s.post("/admin/posts/%d" % hid, f, jar=jar).status, 303, "the imported post is pinned from the editor")
eq(q("SELECT sticky FROM posts WHERE id = ?", hid), 1, "it is pinned")
eq(lastmod(s.get("/sitemap.xml").body, hpath), MODIFIED_ISO, "a pin keeps the modified date")
eq(meta(s.get(hpath).body, "article:modified_time"), MODIFIED_ISO, "and article:modified_time")
eq(meta(s.get(hpath).body, "og:image"), base + "/media/%s" % thumb, "a save keeps the featured image")
before = int(time.time())
f, _ = form_of(hid)
f.update({"action": "publish", "has_sticky_box": "1", "sticky": "1", "body": f["body"] + "\n\nOne more line.\n"})
eq(s.post("/admin/posts/%d" % hid, f, jar=jar).status, 303, "the imported post's body is edited")
new = lastmod(s.get("/sitemap.xml").body, hpath)
ok(new and new > MODIFIED_ISO and new >= time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(before)),
   "an edit of the body moves lastmod to the edit", new)
eq(feed_updated(hpath), new, "and the feed entry's updated")
eq(meta(s.get(hpath).body, "article:modified_time"), new, "and article:modified_time")

# images stored before sizes were recorded are measured when quire starts
db.execute("DELETE FROM media_sizes")
s.restart()
eq(db.execute("SELECT width, height FROM media_sizes WHERE name = ?", (uploaded[1],)).fetchone(), (20, 30),
   "quire serve measures the images in media_dir that have no recorded size")
eq(q("SELECT count(*) FROM media_sizes"), len([n for n in os.listdir(media) if not n.startswith(".")]),
   "every stored image has its size again")

# 7. icons
r = s.get("/favicon.ico")
eq(r.status, 200, "/favicon.ico answers")
ok(r.header("content-type") in ("image/x-icon", "image/vnd.microsoft.icon"), "as an icon",
   r.header("content-type"))
ico = r.raw
reserved, kind, count = struct.unpack("<HHH", ico[:6]) if len(ico) >= 6 else (1, 0, 0)
ok(reserved == 0 and kind == 1 and count >= 1, "it is an ICO file", (reserved, kind, count))
sizes = []
for i in range(count):
    w, h, _, _, planes, bpp, size, off = struct.unpack("<BBBBHHII", ico[6 + 16 * i:22 + 16 * i])
    okay = off + size <= len(ico) and (ico[off:off + 8] == b"\x89PNG\r\n\x1a\n" or
                                       struct.unpack("<I", ico[off:off + 4])[0] == 40)
    ok(okay, "icon %d (%dx%d) lies inside the file and is a BMP or PNG image" % (i, w or 256, h or 256))
    sizes.append(w or 256)
ok(16 in sizes and 32 in sizes, "16 and 32 pixel icons", sizes)
home = s.get("/").body
m = re.search(r'<link rel="apple-touch-icon" href="([^"]+)"', home)
ok(m, "the layout links an apple-touch icon")
r = s.get(m.group(1) if m else "/static/apple-touch-icon.png")
ok(r.status == 200 and r.raw[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", r.raw[16:24]) == (180, 180),
   "the apple-touch icon is a 180x180 PNG", (r.status, r.raw[:24]))
contains(home, 'href="/favicon.ico"', "the layout names /favicon.ico too")

log = s.logs()
lacks(log, "runtime error", "no UBSan report")
lacks(log, "AddressSanitizer", "no ASan report")
done()
