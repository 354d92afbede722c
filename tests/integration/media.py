"""media: the media library through nginx: several images uploaded at once (a JPEG with GPS EXIF
stored without it, a JPEG turned by its EXIF orientation whose copies are upright, a PNG, an
animated GIF kept whole; a non-image and a 400-megapixel PNG refused), the smaller copies with their
widths, srcset and sizes on the article (every URL answering 200), none in the feed, "Used in",
alt text, deletion refused while a post uses the image (409) and done after (files gone), the
editor's upload unchanged, and `quire media resize` on files copied in by hand (idempotent)."""
import os
import re
import shutil
import sqlite3
import struct
import subprocess
import tempfile
import zlib

from quiretest import SRCDIR, Stack, run, ok, eq, contains, lacks, done

GDIMG = os.path.join(os.environ.get("QUIRE_BUILDDIR", "."), "tests", "gdimg")

s = Stack("media")
s.user("Ada Lovelace", "ada@example.org")
# before the library: an old upload in media_dir and a post using it
OLD = "fedcba9876543210fedcba9876543210.png"
os.makedirs(os.path.join(s.dir, "media"), exist_ok=True)
subprocess.run([GDIMG, "make", "png", "640", "480", os.path.join(s.dir, "media", OLD)], check=True)
s.import_post({"title": "Old post", "slug": "old-post", "date": "2024-01-01"}, "![old](/media/%s)\n" % OLD)
s.start()
jar, csrf = s.login("Ada Lovelace")
db = sqlite3.connect(s.db, isolation_level=None)
media = os.path.join(s.dir, "media")
work = tempfile.mkdtemp(prefix="media-", dir=s.dir)


def q(sql, *args):
    return db.execute(sql, args).fetchall()


eq(q("SELECT width, height, owned FROM media WHERE name = ?", OLD), [(640, 480, 1)],
   "an image already in media_dir is listed at start (quire's name: quire's file)")
eq(q("SELECT count(*) FROM media_variants WHERE name = ?", OLD), [(0,)], "without copies until quire media resize")
eq(q("SELECT p.slug FROM media_uses u JOIN posts p ON p.id = u.post_id WHERE u.name = ?", OLD), [("old-post",)],
   "the posts written before the library are read once for their uses")
eq(q("SELECT count(*) FROM settings WHERE key = 'media_uses_pending'"), [(0,)], "and only once")


def gd(*args):
    p = subprocess.run([GDIMG] + [str(a) for a in args], capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("gdimg %s: %s" % (args, p.stderr))
    return p.stdout.split()


def exif(orientation, gps=True):
    """An APP1 EXIF segment: IFD0 with the orientation and a GPS IFD holding a latitude."""
    entries = [struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0)]
    if gps:
        entries.append(struct.pack(">HHII", 0x8825, 4, 1, 8 + 2 + 12 * 2 + 4))
    ifd0 = struct.pack(">H", len(entries)) + b"".join(entries) + b"\0\0\0\0"
    gpsifd = (struct.pack(">H", 2) + struct.pack(">HHI", 1, 2, 2) + b"N\0\0\0"
              + struct.pack(">HHI", 0x1D, 2, 4) + b"GPS\0" + b"\0\0\0\0") if gps else b""
    tiff = b"MM\0\x2a" + struct.pack(">I", 8) + ifd0 + gpsifd
    body = b"Exif\0\0" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def with_exif(path, out, orientation):
    data = open(path, "rb").read()
    open(out, "wb").write(data[:2] + exif(orientation) + data[2:])


def segments(data):
    """The JPEG's marker segments before the scan: [(marker, payload)]."""
    out, i = [], 2
    while i + 4 <= len(data) and data[i] == 0xFF:
        m = data[i + 1]
        if m == 0xDA:
            break
        n = struct.unpack(">H", data[i + 2:i + 4])[0]
        out.append((m, data[i + 4:i + 2 + n]))
        i += 2 + n
    return out


def upload(files, jar=jar, token=None):
    """POSTs several files in one field "image" of the library's form (curl -F, repeated)."""
    args = ["curl", "-s", "-S", "--max-time", "60", "-D", "-", "-o", "-", "-b", jar, "-c", jar,
            "-F", "csrf=%s" % (token or csrf), "-F", "from=library"]
    for name, path in files:
        args += ["-F", "image=@%s;filename=%s" % (path, name)]
    args.append(s.base + "/admin/media")
    raw = subprocess.run(args, capture_output=True, timeout=90).stdout
    while raw.startswith(b"HTTP/1.1 100"):
        raw = raw.partition(b"\r\n\r\n")[2]
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode("utf-8", "replace")


# --- the files
plain = os.path.join(work, "plain.jpg")
gd("make", "jpg", 2000, 1000, plain)
photo = os.path.join(work, "harbour.jpg")
with_exif(plain, photo, 1)
turned_src = os.path.join(work, "t.jpg")
gd("make", "jpg", 1000, 600, turned_src)
turned = os.path.join(work, "turned.jpg")
with_exif(turned_src, turned, 6)  # displayed 600 x 1000, the stored left half on top
png = os.path.join(work, "chart.png")
gd("make", "png", 900, 300, png)
gif = os.path.join(work, "anim.gif")
gd("anim", gif)
text = os.path.join(work, "notes.png")
open(text, "w").write("<svg onload=alert(1)>not an image</svg>")


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)


huge = os.path.join(work, "huge.png")
open(huge, "wb").write(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 20000, 20000, 8, 2, 0, 0, 0))
                       + png_chunk(b"IDAT", zlib.compress(b"\0" * 100)) + png_chunk(b"IEND", b""))
ok(b"GPS\0" in open(photo, "rb").read(), "the test photo carries a GPS IFD")

# --- several at once
status, body = upload([("harbour.jpg", photo), ("turned.jpg", turned), ("chart.png", png), ("anim.gif", gif),
                       ("notes.png", text), ("huge.png", huge)])
eq(status, 200, "an upload of six files answers with the library")
eq(len(re.findall(r'class="badge ok">stored', body)), 4, "four stored")
contains(body, "notes.png: not a PNG, JPEG, GIF or WebP image", "the non-image refused, saying why")
contains(body, "huge.png: the image has more than 40 megapixels", "the 400-megapixel PNG refused, saying why")
contains(body, "4 stored, 2 refused", "the summary counts both")
eq(body.count('id="upload-summary"') + body.count('<ul class="upload-results"'), 2, "one summary, one list")
rows = {r[0]: r for r in q("SELECT orig_name, name, mime, bytes, width, height, uploaded_by FROM media")}
eq(sorted(rows), ["", "anim.gif", "chart.png", "harbour.jpg", "turned.jpg"], "four new media rows, with their file names")
del rows[""]
name = {k: v[1] for k, v in rows.items()}
eq(rows["turned.jpg"][4:6], (600, 1000), "the turned photo's size is as displayed")
eq(rows["harbour.jpg"][2], "image/jpeg", "the mime type recorded")
ok(all(v[6] == 1 for v in rows.values()), "the uploader recorded")
eq(sorted(os.listdir(media)), sorted(
    [name["harbour.jpg"]] + [name["harbour.jpg"].replace(".jpg", "-%dw.jpg" % w) for w in (480, 800, 1200, 1600)]
    + [name["turned.jpg"], name["turned.jpg"].replace(".jpg", "-480w.jpg")]
    + [name["chart.png"], name["chart.png"].replace(".png", "-480w.png"), name["chart.png"].replace(".png", "-800w.png")]
    + [name["anim.gif"], OLD]), "on disk: each original and only the copies narrower than it; nothing of the refused")


def variants(n):
    return q("SELECT width, height, file FROM media_variants WHERE name = ? ORDER BY width", n)


eq([v[:2] for v in variants(name["harbour.jpg"])], [(480, 240), (800, 400), (1200, 600), (1600, 800)],
   "the photo's copies: 480, 800, 1200, 1600 wide")
for w, h, f in variants(name["harbour.jpg"]) + variants(name["chart.png"]):
    info = gd("info", os.path.join(media, f))
    eq(info[:2], [str(w), str(h)], "%s is %d x %d" % (f, w, h))
eq(variants(name["anim.gif"]), [], "no copies of a GIF")
stored_gif = open(os.path.join(media, name["anim.gif"]), "rb").read()
eq(stored_gif, open(gif, "rb").read(), "the animated GIF is stored as it came")
eq(stored_gif.count(b"\x21\xf9\x04"), 2, "with both its frames")

# --- EXIF: the location gone, the orientation kept alone
stored = open(os.path.join(media, name["harbour.jpg"]), "rb").read()
ok(not any(m == 0xE1 for m, _ in segments(stored)), "the stored photo has no APP1 (EXIF/XMP) segment at all")
ok(b"GPS\0" not in stored and b"\x88\x25" not in b"".join(p for _, p in segments(stored)), "no GPS IFD left")
stored = open(os.path.join(media, name["turned.jpg"]), "rb").read()
app1 = [p for m, p in segments(stored) if m == 0xE1]
ok(len(app1) == 1 and app1[0].startswith(b"Exif\0\0MM") and len(app1[0]) == 32 and b"\x01\x12" in app1[0]
   and b"\x88\x25" not in app1[0], "the turned photo keeps a minimal EXIF: the orientation tag alone", app1)
ok(b"GPS\0" not in stored, "and no GPS")
info = gd("info", os.path.join(media, name["turned.jpg"].replace(".jpg", "-480w.jpg")))
eq(info, ["480", "800", "red", "blue", "other", "other"][:2] + info[2:4] + info[4:], "its copy is 480 x 800: upright")
eq(info[2:4], ["red", "blue"], "upright: the stored left half is on top")

# --- the library page
r = s.get("/admin/media", jar=jar)
eq(r.status, 200, "/admin/media answers")
contains(r.body, 'multiple accept="image/png,image/jpeg,image/gif,image/webp"', "the upload takes several images")
contains(r.body, '<img src="/media/%s" width="480" height="240" alt="" loading="lazy">'
         % name["harbour.jpg"].replace(".jpg", "-480w.jpg"), "the thumbnail is the smallest copy, sized and lazy")
contains(r.body, "harbour.jpg", "the file name shown")
contains(r.body, "2000 × 1000", "the dimensions shown")
contains(r.body, "Ada Lovelace", "the uploader shown")
contains(r.body, 'value="![](/media/%s)"' % name["harbour.jpg"], "the Markdown to copy, in a readonly field")
contains(r.body, "Not used in any post", "unused images say so")
contains(r.body, '<script src="/static/media.js?v=', "the Copy button's script is linked")
ok(re.search(r'\d+ KB', r.body), "the size shown in KB")

# --- alt text
r = s.post("/admin/media/%s/alt" % name["harbour.jpg"], {"csrf": csrf, "alt": "Boats [at] dawn"}, jar=jar)
eq(r.status, 303, "alt text saved")
eq(q("SELECT alt FROM media WHERE name = ?", name["harbour.jpg"])[0][0], "Boats [at] dawn", "stored")
r = s.get("/admin/media", jar=jar)
contains(r.body, 'value="![Boats \\[at\\] dawn](/media/%s)"' % name["harbour.jpg"],
         "the Markdown carries the alt text, brackets escaped")
r = s.post("/admin/media/%s/alt" % name["harbour.jpg"], {"alt": "x"}, jar=jar)
eq(r.status, 403, "alt text without the CSRF token: 403")
r = s.post("/admin/media/..%2Fquire.db/alt", {"csrf": csrf, "alt": "x"}, jar=jar)
ok(r.status in (400, 404), "a name with a slash or dots is never looked up", r.status)

# --- an author: alt text of their own images only, no Delete link
r = s.post("/admin/users", {"csrf": csrf, "name": "Grace Hopper", "email": "grace@example.org", "role": "author"},
           jar=jar)
eq(r.status, 303, "an author is added")
q("UPDATE users SET pw_hash = (SELECT pw_hash FROM users WHERE name = 'Ada Lovelace') WHERE name = 'Grace Hopper'")
grace, grace_csrf = s.login("Grace Hopper")
r = s.post("/admin/media/%s/alt" % name["harbour.jpg"], {"csrf": grace_csrf, "alt": "Defaced"}, jar=grace)
eq(r.status, 403, "an author may not change the alt text of an admin's image")
eq(q("SELECT alt FROM media WHERE name = ?", name["harbour.jpg"])[0][0], "Boats [at] dawn", "the alt text is unchanged")
status, _ = upload([("grace.png", png)], jar=grace, token=grace_csrf)
eq(status, 200, "the author uploads an image")
mine = q("SELECT m.name FROM media m JOIN users u ON u.id = m.uploaded_by WHERE u.name = 'Grace Hopper'")
ok(len(mine) == 1, "recorded as hers", mine)
mine = mine[0][0] if mine else "none.png"
r = s.post("/admin/media/%s/alt" % mine, {"csrf": grace_csrf, "alt": "Grace's chart"}, jar=grace)
eq(r.status, 303, "the author changes the alt text of her own image")
eq(q("SELECT alt FROM media WHERE name = ?", mine), [("Grace's chart",)], "her alt text stored")
r = s.post("/admin/media/%s/delete" % mine, {"csrf": grace_csrf}, jar=grace)
eq(r.status, 403, "an author may not delete, even her own image")
r = s.post("/admin/media/%s/delete" % mine, {"csrf": csrf}, jar=jar)
eq(r.status, 303, "an admin deletes it")
r = s.get("/admin/media", jar=grace)
eq(r.status, 200, "the author sees the library")
lacks(r.body, "/delete\"", "no Delete link for an author")
lacks(r.body, ">Delete<", "no Delete text for an author")
r = s.get("/admin/media", jar=jar)
contains(r.body, 'href="/admin/media/%s/delete"' % name["harbour.jpg"], "an admin sees the Delete link")
# every thumbnail link has an accessible name, even with an empty alt text
thumbs = re.findall(r'<a [^>]*class="media-thumb"[^>]*>', r.body)
ok(thumbs and all(re.search(r'aria-label="Open [^"]+"', t) for t in thumbs), "each thumbnail link is named", thumbs[:2])

# --- the library's pager: images, and a clean query string
for i in range(50):
    q("INSERT INTO media (name, orig_name, mime, bytes, width, height, alt, created_at, owned) "
      "VALUES (?, '', 'image/png', 10, 1, 1, '', 1, 0)", "pager%02d.png" % i)
r = s.get("/admin/media", jar=jar)
contains(r.body, 'href="/admin/media?page=2"', "the next page is /admin/media?page=2")
contains(r.body, "Older images", "the pager speaks of images")
lacks(r.body, "Older posts", "not of posts")
r = s.get("/admin/media?page=2", jar=jar)
contains(r.body, 'href="/admin/media?page=1"', "page 2 links back to page 1")
contains(r.body, "Newer images", "with Newer images")
q("DELETE FROM media WHERE name LIKE 'pager%'")

# --- used in a post: srcset, where-used, deletion refused
body = "Morning.\n\n![Boats](/media/%s)\n\nAnd a chart ![c](/media/%s).\n" % (name["harbour.jpg"], name["anim.gif"])
r = s.post("/admin/posts", {"csrf": csrf, "title": "Harbour", "slug": "harbour", "body": body, "excerpt": "",
                            "tags": "", "date": "", "action": "publish"}, jar=jar)
eq(r.status, 303, "a post using two images is published")
pid = int(re.search(r"/admin/posts/(\d+)/edit", r.header("location")).group(1))
eq(sorted(x[0] for x in q("SELECT name FROM media_uses WHERE post_id = ?", pid)),
   sorted([name["harbour.jpg"], name["anim.gif"]]), "media_uses kept by the save")
r = s.get("/posts/harbour")
m = re.search(r'<img src="/media/%s"[^>]*>' % re.escape(name["harbour.jpg"]), r.body)
ok(m, "the article shows the photo")
tag = m.group(0) if m else ""
contains(tag, 'width="2000" height="1000"', "width and height on the img")
srcset = re.search(r'srcset="([^"]*)"', tag)
want = ", ".join(["/media/%s %dw" % (name["harbour.jpg"].replace(".jpg", "-%dw.jpg" % w), w) for w in (480, 800, 1200, 1600)]
                 + ["/media/%s 2000w" % name["harbour.jpg"]])
eq(srcset.group(1) if srcset else None, want, "srcset: the copies and the original with w descriptors")
contains(tag, 'sizes="(max-width: 672px) calc(100vw - 40px), 632px"', "sizes matches the column")
for url in re.findall(r"(/media/\S+) \d+w", srcset.group(1) if srcset else ""):
    g = s.get(url)
    ok(g.status == 200 and g.header("content-type") == "image/jpeg", "%s answers 200 through nginx" % url, g.status)
gtag = re.search(r'<img src="/media/%s"[^>]*>' % re.escape(name["anim.gif"]), r.body)
ok(gtag and "srcset" not in gtag.group(0) and 'width="40" height="20"' in gtag.group(0),
   "the GIF: sized, no srcset", gtag and gtag.group(0))
feed = s.get("/feed.atom").body
lacks(feed, "srcset", "the feed has no srcset: one image address each")
contains(feed, 'src=&quot;%s/media/%s&quot;' % (s.base, name["harbour.jpg"]), "the feed keeps one absolute src")

r = s.get("/admin/media", jar=jar)
contains(r.body, '<a href="/admin/posts/%d/edit">Harbour</a>' % pid, "Used in: a link to the post's editor")
r = s.get("/admin/media/%s/delete" % name["harbour.jpg"], jar=jar)
eq(r.status, 409, "deleting a used image: 409")
contains(r.body, '<a href="/admin/posts/%d/edit">Harbour</a>' % pid, "the refusal lists the post")
r = s.post("/admin/media/%s/delete" % name["harbour.jpg"], {"csrf": csrf}, jar=jar)
eq(r.status, 409, "and the POST is refused too")
ok(os.path.exists(os.path.join(media, name["harbour.jpg"])), "the file stays")

# the post stops using it: the delete goes through, files and rows gone
r = s.post("/admin/posts/%d" % pid, {"csrf": csrf, "title": "Harbour", "slug": "harbour",
                                     "body": "Morning, no photo. ![c](/media/%s)" % name["anim.gif"],
                                     "excerpt": "", "tags": "", "date": "", "action": "publish"}, jar=jar)
eq(r.status, 303, "the post saved without the photo")
eq(q("SELECT count(*) FROM media_uses WHERE name = ?", name["harbour.jpg"])[0][0], 0, "no longer used")
r = s.get("/admin/media/%s/delete" % name["harbour.jpg"], jar=jar)
ok(r.status == 200 and "Delete for good" in r.body, "now a confirmation page", r.status)
r = s.post("/admin/media/%s/delete" % name["harbour.jpg"], {"csrf": "0" * 64}, jar=jar)
eq(r.status, 403, "delete without the CSRF token: 403")
r = s.post("/admin/media/%s/delete" % name["harbour.jpg"], {"csrf": csrf}, jar=jar)
eq(r.status, 303, "deleted")
left = [f for f in os.listdir(media) if f.startswith(name["harbour.jpg"][:32])]
eq(left, [], "the original and its four copies are gone")
eq(q("SELECT count(*) FROM media WHERE name = ?", name["harbour.jpg"])[0][0]
   + q("SELECT count(*) FROM media_variants WHERE name = ?", name["harbour.jpg"])[0][0], 0, "and their rows")
eq(s.get("/media/" + name["harbour.jpg"]).status, 404, "nginx no longer serves it")
ok(os.path.exists(os.path.join(media, name["chart.png"])), "the other images stay")

# --- the editor's upload is unchanged: back to the editor with ?uploaded=
r = s.post("/admin/media", {"csrf": csrf, "post_id": str(pid)}, files={"image": ("one.png", png)}, jar=jar)
ok(r.status == 303 and re.search(r"/admin/posts/%d/edit\?uploaded=[0-9a-f]{32}\.png$" % pid, r.header("location") or ""),
   "an upload from the editor returns to it", (r.status, r.header("location")))

# --- quire media resize: files copied in by hand
hand = os.path.join(media, "holiday.jpg")
gd("make", "jpg", 1300, 650, hand)
ours = os.path.join(media, "0123456789abcdef0123456789abcdef.jpg")
shutil.copy(plain, ours)
conf = os.path.join(s.dir, "quire.conf")
rc, out, err = run(["media", "resize", "--db", s.db, "--config", conf])
eq(rc, 0, "quire media resize succeeds")
contains(out, "3 images resized, 8 smaller copies written, 0 failed", "it made the copies of the three")
eq([v[:2] for v in variants(OLD)], [(480, 360)], "the old upload: one copy (it is 640 wide)")
eq([v[:2] for v in variants("holiday.jpg")], [(480, 240), (800, 400), (1200, 600)], "holiday.jpg: three copies")
ok(os.path.exists(os.path.join(media, "holiday-1200w.jpg")), "written beside it")
eq(q("SELECT owned FROM media WHERE name IN ('holiday.jpg', '0123456789abcdef0123456789abcdef.jpg') ORDER BY name"),
   [(1,), (0,)], "a file of quire's name shape is quire's; one copied in by hand is not")
rc, out, err = run(["media", "resize", "--db", s.db, "--config", conf])
ok(rc == 0 and "0 images resized, 0 smaller copies written, 0 failed" in out, "a second run has nothing to do", out + err)
# a hand-copied file is listed, but quire does not delete what it did not write
r = s.post("/admin/media/holiday.jpg/delete", {"csrf": csrf}, jar=jar)
ok(r.status == 409 and "quire did not write this file" in r.body, "a hand-copied image is not deleted: 409", r.status)
ok(os.path.exists(hand) and os.path.exists(os.path.join(media, "holiday-480w.jpg")), "the file and its copies stay")

# --- a WordPress import brings its images into the library, with their copies
data = os.path.join(SRCDIR, "tests", "data")
rc, out, err = run(["import", "wxr", "--config", conf, "--db", s.db, "--media-from",
                    os.path.join(data, "wordpress_uploads"), os.path.join(data, "wordpress_real.xml")])
eq(rc, 0, "a WordPress export imports with its media")
tea = q("SELECT name, orig_name, width, height, owned FROM media WHERE orig_name = 'tea-house.jpg'")
ok(len(tea) == 1 and tea[0][2:] == (900, 600, 1), "its tea-house.jpg is in the library, 900 x 600", tea)
if tea:
    eq([v[:2] for v in variants(tea[0][0])], [(480, 320), (800, 533)], "with its 480 and 800 px copies")
    uses = q("SELECT count(*) FROM media_uses WHERE name = ?", tea[0][0])[0][0]
    ok(uses >= 1, "the import records which posts use it (%d)" % uses)
    rc, out, err = run(["media", "resize", "--db", s.db, "--config", conf])
    ok(rc == 0 and "0 smaller copies written" in out, "nothing left for quire media resize", out + err)

log = open(os.path.join(s.dir, "quire.log")).read()
for action in ("action=upload media=", "action=media-alt media=", "action=media-delete media="):
    contains(log, "audit: user=1 " + action, "audit line: " + action.split()[0])
lacks(log, "tmpl:", "no template variable missing")
s.stop()
done()
