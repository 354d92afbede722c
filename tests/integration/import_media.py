"""import_media: a WordPress import brings the old site's media home. A fake old host on loopback
serves wp-content/uploads (a PNG and a JPEG, HTML posing as .jpg, a 404, a slow answer, a file
over the size limit, an image two posts share, an attachment on another host, a resized variant
that exists only as its original); the files land in media_dir with their bytes, posts point at
/media/..., nginx serves them, attachment pages redirect to them, failures are listed and stay
links, a second import fetches nothing it has and changes no post; --media-from copies from a
local uploads folder and refuses paths out of it; --no-media leaves everything as it was."""
import base64
import hashlib
import http.server
import os
import re
import sqlite3
import struct
import threading
import time
import zlib

from quiretest import Stack, free_port, run, ok, eq, contains, lacks, done


def png(w, h, seed):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + bytes((seed + x + y) % 256 for x in range(w * 3)) for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(rows, 0)) + chunk(b"IEND", b""))


JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////"
    "////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=")
FILES = {
    "2023/05/photo.jpg": JPEG + b"photo",
    "2023/05/shared.png": png(4, 4, 1),
    "2023/05/pic.jpg": JPEG + b"pic",
    "2023/05/cdn.png": png(3, 3, 7),
    "2023/05/fake.jpg": b"<!DOCTYPE html><html><body>not an image</body></html>",
    "2023/05/slow.jpg": JPEG + b"slow",
    "2023/05/big.png": png(200, 200, 3),  # about 120 KB: over the test's 60,000-byte limit
}
MOVED = png(5, 5, 42)
SLOW = "/wp-content/uploads/2023/05/slow.jpg"
requests = []


class OldHost(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        requests.append(self.path)
        rel = self.path.split("?")[0][len("/wp-content/uploads/"):]
        if self.path.startswith(SLOW):
            time.sleep(3)
        # redirects: on the same host (followed), to another host (refused), in a loop (cut)
        to = {"/wp-content/uploads/2023/05/moved.png": "/files/moved-here.png",
              "/wp-content/uploads/2023/05/away.png": "http://localhost:%d/files/moved-here.png" % PORT,
              "/wp-content/uploads/2023/05/loop.png": "/wp-content/uploads/2023/05/loop.png"}.get(self.path)
        if to or self.path == "/files/moved-here.png":
            self.send_response(302 if to else 200)
            self.send_header("Location" if to else "Content-Type", to or "image/png")
            self.send_header("Content-Length", "0" if to else str(len(MOVED)))
            self.end_headers()
            if not to:
                self.wfile.write(MOVED)
            return
        body = FILES.get(rel) if self.path.startswith("/wp-content/uploads/") else None
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), OldHost)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
PORT = server.server_address[1]
OLD = "http://127.0.0.1:%d" % PORT
U = OLD + "/wp-content/uploads/2023/05/"
CDN = "http://localhost:%d/wp-content/uploads/2023/05/" % PORT  # another host name for the same server
DEAD = "http://127.0.0.1:%d/wp-content/uploads/2023/05/" % free_port()  # nothing listens there


def item(wp_id, title, slug, content, kind="post", link=None, extra=""):
    return """<item><title><![CDATA[%s]]></title><link>%s</link><dc:creator><![CDATA[ada]]></dc:creator>
<content:encoded><![CDATA[%s]]></content:encoded><wp:post_id>%d</wp:post_id>
<wp:post_date_gmt>2023-05-01 10:00:00</wp:post_date_gmt><wp:post_name><![CDATA[%s]]></wp:post_name>
<wp:status><![CDATA[%s]]></wp:status><wp:post_type><![CDATA[%s]]></wp:post_type>%s</item>
""" % (title, link or "%s/2023/05/01/%s/" % (OLD, slug), content, wp_id, slug,
       "inherit" if kind == "attachment" else "publish", kind, extra)


FIRST = ('<p><img src="{U}photo-300x200.jpg" srcset="{U}photo-300x200.jpg 300w, {U}photo.jpg 1024w" alt="Photo"></p>'
         '<p><a href="{U}photo.jpg"><img src="{U}shared.png" alt="Shared"></a></p>'
         '<p><img src="{U}fake.jpg" alt="Fake"></p><p><img src="{U}missing.jpg" alt="Missing"></p>'
         '<p><img src="{U}slow.jpg" alt="Slow"></p><p><img src="{U}big.png" alt="Big"></p>'
         '<p><img src="{U}pic.jpg?w=640&amp;h=480" alt="Pic"></p><p><img src="{U}moved.png" alt="Moved"></p>'
         '<p><img src="{U}away.png" alt="Away"></p><p><img src="{U}loop.png" alt="Loop"></p>').format(U=U)
SECOND = ('<p><img src="{U}shared.png" alt="Shared again"></p><p><img src="{C}cdn.png" alt="From the CDN"></p>'
          '<p><img src="http://localhost:{P}/elsewhere/hot.png" alt="Hotlinked"></p>'
          '<p>[gallery ids="20,21,999" columns="2"]</p>').format(U=U, C=CDN, P=PORT)


def wxr(path, first=FIRST, extra_items=""):
    with open(path, "w") as f:
        f.write("""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Old</title><link>%s</link>
<wp:base_site_url>%s</wp:base_site_url><wp:base_blog_url>%s</wp:base_blog_url>
<wp:author><wp:author_login><![CDATA[ada]]></wp:author_login><wp:author_email>ada@old.test</wp:author_email>
<wp:author_display_name><![CDATA[Ada]]></wp:author_display_name></wp:author>
""" % (OLD, OLD, OLD))
        f.write(item(10, "First", "first", first))
        f.write(item(11, "Second", "second", SECOND))
        f.write(item(20, "photo", "photo", "", "attachment", OLD + "/2023/05/01/first/photo/",
                     "<wp:attachment_url><![CDATA[%sphoto.jpg]]></wp:attachment_url>" % U))
        f.write(item(21, "cdn", "cdn", "", "attachment", OLD + "/?attachment_id=21",
                     "<wp:attachment_url><![CDATA[%scdn.png]]></wp:attachment_url>" % CDN))
        for i in range(4):
            f.write(item(30 + i, "dead%d" % i, "dead%d" % i, "", "attachment", OLD + "/?attachment_id=%d" % (30 + i),
                         "<wp:attachment_url><![CDATA[%sdead%d.png]]></wp:attachment_url>" % (DEAD, i)))
        f.write(extra_items)
        f.write("</channel></rss>\n")


def media_files(d):
    return {n: open(os.path.join(d, n), "rb").read() for n in os.listdir(d)}


os.environ["QUIRE_MEDIA_TIMEOUT"] = "1"
os.environ["QUIRE_MEDIA_MAX_BYTES"] = "60000"
s = Stack("import-media")
cfg = s.write_config()
media = os.path.join(s.dir, "media")
os.makedirs(media, exist_ok=True)
export = os.path.join(s.dir, "export.xml")
wxr(export)

# --- 1. the first import downloads
t = time.time()
rc, out, err = run(["import", "wxr", "--config", cfg, "--db", s.db, export])
took = time.time() - t
ok(rc == 0, "the export imports", out + err)
contains(out, "posts: 2 created", "two posts; the attachments are no posts")
contains(out, "media: 5 fetched, 0 already here, 1 resized copies mapped to their original, 10 failed (left as links):",
         "the report counts what came home and what failed")
for name, why in (("fake.jpg", "not an image"), ("missing.jpg", "HTTP 404"), ("slow.jpg", "timeout"),
                  ("big.png", "too big"), ("away.png", "redirect to another host"),
                  ("loop.png", "more than 3 redirects")):
    ok(re.search(r"^  %s: %s" % (re.escape(U + name), why), out, re.M), "the report lists %s: %s" % (name, why), out)
eq(len(re.findall(r"^  %sdead\d\.png: Couldn't connect to server$" % re.escape(DEAD), out, re.M)), 3,
   "a server that refuses connections is tried three times")
eq(len(re.findall(r"^  %sdead\d\.png: host unreachable \(not tried again\)$" % re.escape(DEAD), out, re.M)), 1,
   "and then given up")
ok(took < 20, "the slow file was cut at the timeout (%.1f s)" % took)
eq(requests.count("/wp-content/uploads/2023/05/shared.png"), 1, "an image used by two posts is fetched once")
ok("/elsewhere/hot.png" not in requests, "an image on another host that is no attachment is not fetched", requests)
ok("/wp-content/uploads/2023/05/cdn.png" in requests, "an attachment on another host is fetched", requests)
ok("/wp-content/uploads/2023/05/pic.jpg" in requests, "an image is fetched without its ?query", requests)

stored = media_files(media)
eq(len(stored), 5, "five files in media_dir")
eq(sorted(hashlib.sha256(b).hexdigest() for b in stored.values()),
   sorted(hashlib.sha256(b).hexdigest()
          for b in [FILES["2023/05/" + n] for n in ("photo.jpg", "shared.png", "pic.jpg", "cdn.png")] + [MOVED]),
   "each with the bytes the old host served")
ok(all(re.fullmatch(r"[0-9a-f]{32}\.(png|jpg)", n) for n in stored), "named as admin uploads are", list(stored))
for n in stored:
    eq(os.stat(os.path.join(media, n)).st_mode & 0o777, 0o644, "%s is 0644" % n)
name_of = {n: [k for k, v in stored.items() if v == FILES["2023/05/" + n]][0]
           for n in ("photo.jpg", "shared.png", "pic.jpg", "cdn.png")}

db = sqlite3.connect(s.db)
first = db.execute("SELECT body_md FROM posts WHERE wp_id = 10").fetchone()[0]
second = db.execute("SELECT body_md FROM posts WHERE wp_id = 11").fetchone()[0]
contains(first, "![Photo](/media/%s)" % name_of["photo.jpg"], "a resized variant the host lacks shows its original")
contains(first, "[![Shared](/media/%s)](/media/%s)" % (name_of["shared.png"], name_of["photo.jpg"]),
         "an image and the link to a file both point home")
contains(first, "![Pic](/media/%s)" % name_of["pic.jpg"], "an image with a query points home")
contains(first, "![Moved](/media/%s)" % [k for k, v in stored.items() if v == MOVED][0],
         "a redirect on the old host is followed")
contains(second, "![Shared again](/media/%s)" % name_of["shared.png"], "the second post shares the file")
contains(second, "![From the CDN](/media/%s)" % name_of["cdn.png"], "the attachment from another host")
for alt, name in (("Fake", "fake.jpg"), ("Missing", "missing.jpg"), ("Slow", "slow.jpg"), ("Big", "big.png"),
                  ("Away", "away.png"), ("Loop", "loop.png")):
    contains(first, "[%s](%s%s)" % (alt, U, name), "%s stays a link to the old host" % name)
    lacks(first, "![%s]" % alt, "%s is no longer an image" % name)
ok(re.search(r"!\[photo\]\(/media/%s\)\s+!\[cdn\]\(/media/%s\)" % (name_of["photo.jpg"], name_of["cdn.png"]), second),
   "[gallery ids=...] becomes the attachments' local images", second)
lacks(second, "gallery", "and no shortcode text is left")
contains(second, "[Hotlinked](http://localhost:%d/elsewhere/hot.png)" % PORT, "a hot-linked image becomes a link")
lacks(second, "![Hotlinked]", "and is no image")

# --- 2. through nginx
s.start()
r = s.get("/posts/first")
eq(r.status, 200, "the first post is served")
contains(r.body, '<img src="/media/%s"' % name_of["photo.jpg"], "its page shows the local image")
lacks(re.sub(r'<a [^>]*href="http[^"]*"', "", r.body), "127.0.0.1:%d" % PORT, "nothing on the page but links names the old host")
ok(not re.search(r'<img[^>]+src="(https?:)?//', r.body), "no image from another host on the page")
for n in ("photo.jpg", "shared.png", "cdn.png"):
    m = s.get("/media/" + name_of[n])
    ok(m.status == 200 and m.raw == FILES["2023/05/" + n], "GET /media/%s: 200 with the bytes (%s)" % (name_of[n], n),
       m.status)
r = s.get("/2023/05/01/first/photo/")
ok(r.status == 301 and r.header("location") == "/media/" + name_of["photo.jpg"],
   "the attachment page's old address redirects to its file", (r.status, r.header("location")))
r = s.get("/?attachment_id=21")
ok(r.status == 301 and r.header("location") == "/media/" + name_of["cdn.png"],
   "/?attachment_id=ID redirects to the file", (r.status, r.header("location")))
r = s.get("/?attachment_id=20")
ok(r.status == 301 and r.header("location") == "/media/" + name_of["photo.jpg"], "so does the other attachment's id",
   (r.status, r.header("location")))
eq(s.get("/?attachment_id=999").status, 404, "an unknown attachment id is a 404, not the home page")

# --- 3. a second import fetches nothing it has and changes nothing
before = db.execute("SELECT id, slug, body_md, body_html, updated_at FROM posts ORDER BY id").fetchall()
del requests[:]
rc, out, err = run(["import", "wxr", "--config", cfg, "--db", s.db, export])
ok(rc == 0, "the second import runs", out + err)
contains(out, "posts: 0 created, 0 updated, 2 unchanged", "no post changes")
contains(out, "media: 0 fetched, 6 already here", "nothing is fetched again")
retried = sorted(set(requests))
eq(retried, sorted(["/wp-content/uploads/2023/05/" + n
                    for n in ("fake.jpg", "missing.jpg", "slow.jpg", "big.png", "away.png", "loop.png")]),
   "only the failures are asked again")
eq(db.execute("SELECT id, slug, body_md, body_html, updated_at FROM posts ORDER BY id").fetchall(), before,
   "every post is as it was")
eq(len(os.listdir(media)), 5, "no new file in media_dir")
# a file deleted from media_dir is fetched again
os.unlink(os.path.join(media, name_of["pic.jpg"]))
del requests[:]
rc, out, err = run(["import", "wxr", "--config", cfg, "--db", s.db, export])
contains(out, "media: 1 fetched, 5 already here", "a file gone from media_dir is fetched again")
eq(requests.count("/wp-content/uploads/2023/05/pic.jpg"), 1, "that one only")

# --- 4. --media-from a local copy of wp-content/uploads, with two ways out of it
local = os.path.join(s.dir, "uploads")
for rel, body in FILES.items():
    os.makedirs(os.path.dirname(os.path.join(local, rel)), exist_ok=True)
    with open(os.path.join(local, rel), "wb") as f:
        f.write(body)
secret = png(2, 2, 99)
with open(os.path.join(s.dir, "secret.png"), "wb") as f:
    f.write(secret)
os.symlink(os.path.join(s.dir, "secret.png"), os.path.join(local, "2023/05/link.png"))
os.makedirs(os.path.join(local, "2023/05/inner"))
os.symlink("../shared.png", os.path.join(local, "2023/05/inner/ok.png"))
escape = ('<p><img src="{U}link.png" alt="Link"></p><p><img src="{O}/wp-content/uploads/2023/%2e%2e/%2e%2e/secret.png" '
          'alt="Dots"></p><p><img src="{U}inner/ok.png" alt="Inner"></p>').format(U=U, O=OLD)
export2 = os.path.join(s.dir, "export2.xml")
wxr(export2, FIRST + escape)
db2 = os.path.join(s.dir, "local.db")
media2 = os.path.join(s.dir, "media2")
os.makedirs(media2)
cfg2 = os.path.join(s.dir, "local.conf")
with open(cfg2, "w") as f:
    f.write("[server]\nmedia_dir = %s\n" % media2)
eq(run(["init", "--db", db2])[0], 0, "a second database")
del requests[:]
rc, out, err = run(["import", "wxr", "--config", cfg2, "--db", db2, "--media-from", local, export2])
ok(rc == 0, "--media-from imports", out + err)
contains(out, "media: 6 copied", "the files are copied (one through a symlink that stays inside)")
eq(requests, [], "nothing is downloaded")
got = media_files(media2)
ok(secret not in got.values(), "no file from outside the uploads folder is copied")
ok(FILES["2023/05/photo.jpg"] in got.values() and FILES["2023/05/shared.png"] in got.values(), "the copies have the bytes")
ok(re.search(r"^  %slink\.png: leaves the uploads folder \(refused\)" % re.escape(U), out, re.M),
   "a symlink out of the folder is refused and reported", out)
ok(re.search(r"^  .*secret\.png: not a path below wp-content/uploads/ \(refused\)", out, re.M),
   "'..' in the path is refused and reported", out)
contains(out, U + "fake.jpg: not an image", "a copied file is checked by its bytes too")
body2 = sqlite3.connect(db2).execute("SELECT body_md FROM posts WHERE wp_id = 10").fetchone()[0]
contains(body2, "[Link](%slink.png)" % U, "the refused file stays a link")
ok(re.search(r"!\[Inner\]\(/media/[0-9a-f]{32}\.png\)", body2), "a symlink inside the folder is followed", body2)
eq(run(["import", "wxr", "--config", cfg2, "--db", db2, "--media-from", os.path.join(s.dir, "nowhere"), export2])[0],
   2, "--media-from a missing folder is a usage error")

# --- 5. --no-media
db3 = os.path.join(s.dir, "none.db")
eq(run(["init", "--db", db3])[0], 0, "a third database")
before = set(os.listdir(media))
del requests[:]
rc, out, err = run(["import", "wxr", "--config", cfg, "--db", db3, "--no-media", export])
ok(rc == 0, "--no-media imports", out + err)
contains(out, "media: left where it is; 0 files an earlier import brought home used again", "the report says media stayed")
eq(requests, [], "nothing is fetched")
eq(set(os.listdir(media)), before, "media_dir is untouched")
body3 = sqlite3.connect(db3).execute("SELECT body_md FROM posts WHERE wp_id = 10").fetchone()[0]
contains(body3, "](%sshared.png)" % U, "the links stay on the old host")
contains(body3, "[Shared](%sshared.png)" % U, "a remote image becomes a link, as a failed one does (the CSP would block it)")

# --- 6. importing again without media (--no-media, or no media_dir) keeps what came home
posts = lambda path: sqlite3.connect(path).execute("SELECT id, body_md, body_html, updated_at FROM posts ORDER BY id").fetchall()
kept = posts(s.db)
del requests[:]
# "no media_dir": a media_dir that does not exist (not the default /var/lib/quire/media, which a
# machine with quire installed has)
nomedia = os.path.join(os.path.dirname(s.db), "no-media.conf")
with open(nomedia, "w") as f:
    f.write("[server]\nmedia_dir = %s\n" % os.path.join(os.path.dirname(s.db), "no-such-folder"))
for args, why in ((["--config", cfg, "--no-media"], "--no-media"), (["--config", nomedia], "no media_dir")):
    rc, out, err = run(["import", "wxr", "--db", s.db] + args + [export])
    ok(rc == 0, "a re-import with %s runs" % why, out + err)
    contains(out, "posts: 0 created, 0 updated, 2 unchanged", "a re-import with %s changes no post" % why)
    contains(out, "media: left where it is; 6 files an earlier import brought home used again",
             "the files an earlier import brought home are used again (%s)" % why)
    eq(posts(s.db), kept, "every post keeps its /media/ addresses (%s)" % why)
eq(requests, [], "nothing is fetched")
eq(run(["import", "disqus", "--db", db3, "--no-media", export])[0], 2, "--no-media is for wxr only")
eq(run(["import", "wxr", "--db", db3, "--no-media", "--media-from", local, export])[0], 2,
   "--no-media and --media-from together are a usage error")
rc, out, err = run(["import", "--help"])
ok(rc == 0 and "--media-from DIR" in out and "--no-media" in out, "--help names the options", out)

server.shutdown()
done()
