"""editor: an editor that never loses work, without a browser: the image upload inside the post
form keeps every typed field (a new post becomes a draft, a published post is not republished);
the autosave route (a new draft, a draft updated, a published post's autosave kept beside it);
409 on a save over a newer version with the typed text kept; revisions kept (at most 20), a
diff and a restore; the automatic excerpt; datetime-local in a non-UTC time zone (Europe/Berlin,
DST gap and overlap)."""
import datetime
import json
import os
import re
import sqlite3
import struct
import zlib

from quiretest import Stack, ok, eq, contains, lacks, done

TZ = "Europe/Berlin"
s = Stack("editor", config="[site]\ntimezone = %s\n" % TZ)
s.user("Ada Lovelace", "ada@example.org", bio="Analyst.")
s.user("Grace Hopper", "grace@example.org")
s.start()
db = sqlite3.connect(s.db)
jar, csrf = s.login("Ada Lovelace")
ok(csrf, "logged in with a CSRF token")


def one(sql, *args):
    row = db.execute(sql, args).fetchone()
    return row[0] if row else None


def png_file(name):
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))
    path = os.path.join(s.dir, name)
    with open(path, "wb") as f:
        f.write(data)
    return path


def field(body, name):
    """The value of input name, or the text of textarea name, as the page shows it."""
    m = re.search(r'<textarea[^>]*name="%s"[^>]*>(.*?)</textarea>' % name, body, re.S)
    if m:
        return unescape(m.group(1))
    m = re.search(r'<input[^>]*name="%s"[^>]*>' % name, body)
    if not m:
        return None
    v = re.search(r'value="([^"]*)"', m.group(0))
    return unescape(v.group(1)) if v else ""


def checked(body, name):
    m = re.search(r'<input[^>]*name="%s"[^>]*>' % name, body)
    return bool(m) and " checked" in m.group(0)


def unescape(t):
    return (t.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'")
            .replace("&amp;", "&"))


png = png_file("pixel.png")
typed = {"csrf": csrf, "title": "Harbour notes", "body": "First line.\nSecond line.\n\nLast paragraph.",
         "excerpt": "A typed excerpt", "tags": "sea, boats", "slug": "harbour-notes-typed",
         "date": "2026-07-01T09:30", "featured_image": "https://example.org/sea.jpg",
         "has_sticky_box": "1", "sticky": "1", "has_comment_box": "1", "has_notify_box": "1",
         "no_email": "1", "has_kind": "1", "kind": "post", "cursor": "11"}

# --- the editor page: one form, multipart, the upload inside it
r = s.get("/admin/posts/new", jar=jar)
eq(r.status, 200, "the new post editor")
form = re.search(r'<form[^>]*id="post-form".*?</form>', r.body, re.S)
ok(form and 'enctype="multipart/form-data"' in form.group(0), "the post form is multipart")
ok(form and 'type="file"' in form.group(0) and 'formaction="/admin/posts/new/upload"' in form.group(0),
   "the file input and Upload and insert are inside the post form")
ok(form and 'type="datetime-local"' in form.group(0), "the date is a datetime-local input")
contains(r.body, TZ, "the time zone is shown beside the date")
contains(r.body, "editor.js", "the editor script is linked")
lacks(r.body, "<script>", "no inline script")

# --- no script: upload inside the form of a new post
r = s.post("/admin/posts/new/upload", typed, files={"image": ("pixel.png", png)}, jar=jar)
eq(r.status, 200, "upload in the form of a new post")
pid = one("SELECT id FROM posts WHERE title = 'Harbour notes'")
ok(pid, "the new post was saved first, as a draft")
eq(one("SELECT status FROM posts WHERE id = ?", pid), "draft", "a draft, not published")
name = re.search(r"/media/([0-9a-f]{32}\.png)", r.body)
ok(name and os.path.exists(os.path.join(s.dir, "media", name.group(1))), "the image is stored")
md = "![](/media/%s)" % (name.group(1) if name else "")
want_body = typed["body"][:11] + "\n" + md + typed["body"][11:]
eq(field(r.body, "body"), want_body,
   "the Markdown is inserted at the cursor on a line of its own, the body otherwise as typed")
for k in ("title", "excerpt", "tags", "slug", "date", "featured_image"):
    eq(field(r.body, k), typed[k], "the %s is kept exactly as typed" % k)
ok(checked(r.body, "sticky") and checked(r.body, "no_email") and not checked(r.body, "allow_comments"),
   "the checkboxes are kept as typed (pinned, no email, comments off)")
contains(r.body, 'action="/admin/posts/%s"' % pid, "the form now edits the saved draft")
eq(one("SELECT body_md FROM posts WHERE id = ?", pid), want_body, "the draft holds the body with the image")
version = field(r.body, "version")
eq(version, str(one("SELECT version FROM posts WHERE id = ?", pid)), "the form carries the stored version")
eq(one("SELECT count(*) FROM revisions WHERE post_id = ? AND kind = 'save'", pid), 1, "that save is a revision")

# a cursor inside multi-byte text and CRLF line ends, as a browser counts (UTF-16 units, \r\n as one)
t2 = dict(typed, title="Wide text", slug="", body="é😀\r\nab", cursor="5", excerpt="")
r = s.post("/admin/posts/new/upload", t2, files={"image": ("pixel.png", png)}, jar=jar)
m = re.search(r"/media/([0-9a-f]{32}\.png)", r.body)
eq(field(r.body, "body"), "é😀\r\na\n" + "![](/media/%s)" % (m.group(1) if m else "") + "\nb",
   "the cursor counts UTF-16 units and one unit per line end")

# a refused image loses nothing either
fake = os.path.join(s.dir, "fake.png")
open(fake, "wb").write(b"not an image at all")
t3 = dict(typed, title="Refused image", slug="refused-image", cursor="")
r = s.post("/admin/posts/new/upload", t3, files={"image": ("fake.png", fake)}, jar=jar)
eq(r.status, 422, "a file that is no image is refused")
eq(field(r.body, "title"), "Refused image", "the typed title stays")
eq(field(r.body, "body"), typed["body"], "the typed body stays, untouched")
contains(r.body, "not a PNG, JPEG, GIF or WebP", "the reason is next to the upload field")

# --- a published post: the upload keeps the typed edits as an autosave, never republished
r = s.post("/admin/posts", dict(typed, title="Live post", slug="live-post", body="Published text.",
                                action="publish", date="", excerpt=""), jar=jar)
eq(r.status, 303, "a post is published")
live = one("SELECT id FROM posts WHERE slug = 'live-post'")
r = s.get("/admin/posts/%s/edit" % live, jar=jar)
lv = field(r.body, "version")
edit = dict(typed, title="Live post, edited", slug="live-post", body="Half-typed edit.", version=lv, date="",
            excerpt="", cursor="")
r = s.post("/admin/posts/%s/upload" % live, edit, files={"image": ("pixel.png", png)}, jar=jar)
eq(r.status, 200, "upload in the form of a published post")
eq(one("SELECT body_md FROM posts WHERE id = ?", live), "Published text.", "the published text is untouched")
eq(one("SELECT title FROM posts WHERE id = ?", live), "Live post", "the published title is untouched")
ok(field(r.body, "body").startswith("Half-typed edit.\n![](/media/"), "the half-typed body is shown with the image at its end")
eq(field(r.body, "title"), "Live post, edited", "the typed title is shown")
ok(one("SELECT body_md FROM revisions WHERE post_id = ? AND kind = 'autosave'", live).startswith("Half-typed edit."),
   "the typed edits are kept as the post's autosave")
r = s.get("/admin/posts/%s/edit" % live, jar=jar)
contains(r.body, "Restore the autosave from", "opening the editor again offers the autosave")
restore = re.search(r'href="(/admin/posts/%s/edit\?autosave=\d+)"' % live, r.body)
r = s.get(restore.group(1) if restore else "/", jar=jar)
eq(field(r.body, "title"), "Live post, edited", "restoring the autosave puts its text in the form")
dismiss = s.post("/admin/posts/%s/autosave/dismiss" % live, {"csrf": csrf}, jar=jar)
eq(dismiss.status, 303, "the autosave can be dismissed")
eq(one("SELECT count(*) FROM revisions WHERE post_id = ? AND kind = 'autosave'", live), 0, "dismissed: gone")

# --- the script's upload: only the image, JSON back
r = s.post("/admin/posts/%s/upload" % pid, {"csrf": csrf, "only_image": "1"}, files={"image": ("pixel.png", png)},
           jar=jar)
eq(r.status, 200, "the script's upload")
j = json.loads(r.body) if r.status == 200 else {}
ok(j.get("ok") and re.match(r"^!\[\]\(/media/[0-9a-f]{32}\.png\)$", j.get("markdown", "")),
   "it answers the Markdown as JSON", r.body[:200])
eq(r.header("content-type"), "application/json; charset=utf-8", "as application/json")
r = s.post("/admin/posts/%s/upload" % pid, {"only_image": "1"}, files={"image": ("pixel.png", png)}, jar=jar)
eq(r.status, 403, "without the CSRF token: refused")

# --- autosave: a new post becomes a draft; a draft is updated; a published post is not
auto = {"csrf": csrf, "title": "Autosaved idea", "body": "Typed, never saved.", "tags": "ideas", "slug": "",
        "excerpt": "", "date": "", "has_kind": "1", "kind": "post", "version": ""}
r = s.post("/admin/posts/new/autosave", auto, files={}, jar=jar)
eq(r.status, 200, "the first autosave of a new post")
j = json.loads(r.body)
aid = j.get("id")
ok(j.get("ok") and j.get("kind") == "draft" and aid, "it made a draft and answers its id", r.body)
eq(j.get("edit"), "/admin/posts/%s/edit" % aid, "and the address to edit it")
eq(one("SELECT status FROM posts WHERE id = ?", aid), "draft", "the autosaved post is a draft")
eq(one("SELECT count(*) FROM revisions WHERE post_id = ? AND kind = 'save'", aid), 0, "an autosave is no revision")
v1 = j.get("version")
r = s.post("/admin/posts/%s/autosave" % aid, dict(auto, body="Typed some more.", version=str(v1)), files={}, jar=jar)
j = json.loads(r.body)
ok(j.get("ok") and j.get("id") == aid and j.get("version") == v1 + 1, "the next autosave updates that draft", r.body)
eq(one("SELECT body_md FROM posts WHERE id = ?", aid), "Typed some more.", "the draft holds the new text")
r = s.post("/admin/posts/%s/autosave" % aid, dict(auto, body="From an old tab.", version=str(v1)), files={}, jar=jar)
eq(r.status, 409, "an autosave from a stale form is refused")
eq(one("SELECT body_md FROM posts WHERE id = ?", aid), "Typed some more.", "and overwrote nothing")
r = s.get("/admin/posts?status=draft", jar=jar)
contains(r.body, "Autosaved idea", "the autosaved draft is in the list of posts")
r = s.get("/admin/posts/%s/edit" % live, jar=jar)
lv = field(r.body, "version")
r = s.post("/admin/posts/%s/autosave" % live, dict(auto, title="Live post", body="Unpublished change.", version=lv,
                                                    slug="live-post"), files={}, jar=jar)
j = json.loads(r.body)
ok(j.get("ok") and j.get("kind") == "autosave", "a published post's autosave is kept beside it", r.body)
eq(one("SELECT body_md FROM posts WHERE id = ?", live), "Published text.", "never published")
r = s.get("/posts/live-post")
lacks(r.body, "Unpublished change.", "readers do not see the autosave")
r = s.post("/admin/posts/new/autosave", dict(auto, title=""), files={}, jar=jar)
eq(r.status, 422, "an autosave without a title is refused, saying why")

# --- 409: a save over a newer version keeps the typed text
r = s.get("/admin/posts/%s/edit" % pid, jar=jar)
old_version = field(r.body, "version")
base = {"csrf": csrf, "title": "Harbour notes", "slug": "harbour-notes-typed", "tags": "sea, boats", "excerpt": "",
        "date": "", "action": "draft", "has_kind": "1", "kind": "post"}
r = s.post("/admin/posts/%s" % pid, dict(base, body="Saved in tab one.", version=old_version), files={}, jar=jar)
eq(r.status, 303, "tab one saves")
r = s.post("/admin/posts/%s" % pid, dict(base, body="Typed in tab two.", version=old_version), files={}, jar=jar)
eq(r.status, 409, "tab two, loaded before, gets 409")
eq(field(r.body, "body"), "Typed in tab two.", "its typed text is kept in the form")
eq(one("SELECT body_md FROM posts WHERE id = ?", pid), "Saved in tab one.", "tab one's save is not overwritten")
cmp = re.search(r'href="(/admin/posts/%s/revisions/\d+)"' % pid, r.body)
ok(cmp, "a link to compare the two")
r = s.get(cmp.group(1) if cmp else "/", jar=jar)
ok("<del>Typed in tab two.</del>" in r.body and "<ins>Saved in tab one.</ins>" in r.body,
   "the comparison shows both texts", r.body[-1500:])
v2 = field(s.get("/admin/posts/%s/edit" % pid, jar=jar).body, "version")
r = s.post("/admin/posts/%s" % pid, dict(base, body="Typed in tab two.", version=v2), files={}, jar=jar)
eq(r.status, 303, "saving again from the current version replaces it")

# --- revisions: at most 20, a diff, a restore
for i in range(23):
    r = s.post("/admin/posts/%s" % pid, dict(base, body="Line one\nversion %d\nLine three <b>&</b>" % i), files={},
               jar=jar)
eq(one("SELECT count(*) FROM revisions WHERE post_id = ? AND kind = 'save'", pid), 20, "20 revisions kept")
r = s.get("/admin/posts/%s/revisions" % pid, jar=jar)
eq(r.status, 200, "the revisions page")
eq(len(re.findall(r'href="/admin/posts/%s/revisions/\d+"' % pid, r.body)), 20, "it lists the 20")
oldest = one("SELECT min(id) FROM revisions WHERE post_id = ? AND kind = 'save'", pid)
r = s.get("/admin/posts/%s/revisions/%s" % (pid, oldest), jar=jar)
contains(r.body, "<del>version 3</del>", "the diff strikes the revision's line")
contains(r.body, "<ins>version 22</ins>", "and marks the current one")
contains(r.body, "<span>Line three &lt;b&gt;&amp;&lt;/b&gt;</span>", "unchanged lines are escaped")
r = s.post("/admin/posts/%s/revisions/%s/restore" % (pid, oldest), {"csrf": csrf}, jar=jar)
eq(r.status, 303, "restore answers with the editor")
eq(one("SELECT body_md FROM posts WHERE id = ?", pid), "Line one\nversion 3\nLine three <b>&</b>",
   "the revision is the text again")
eq(one("SELECT body_md FROM revisions WHERE post_id = ? AND kind = 'save' ORDER BY id DESC LIMIT 1", pid),
   "Line one\nversion 3\nLine three <b>&</b>", "the restore is itself a revision")
r = s.post("/admin/posts/%s/revisions/%s/restore" % (pid, oldest), {}, jar=jar)
eq(r.status, 403, "restore without the CSRF token is refused")
r = s.get("/admin/posts/%s/revisions/%s" % (live, oldest), jar=jar)
eq(r.status, 404, "a revision of another post is not found")
big_a = "\n".join("a%d" % i for i in range(700))
big_b = "\n".join("b%d" % i for i in range(700))
s.post("/admin/posts/%s" % pid, dict(base, body=big_a), files={}, jar=jar)
far = one("SELECT max(id) FROM revisions WHERE post_id = ? AND kind = 'save'", pid)
s.post("/admin/posts/%s" % pid, dict(base, body=big_b), files={}, jar=jar)
r = s.get("/admin/posts/%s/revisions/%s" % (pid, far), jar=jar)
ok(r.status == 200 and "too different to compare" in r.body, "two very different texts: too different to compare")

# --- the excerpt: automatic unless typed
r = s.post("/admin/posts", {"csrf": csrf, "title": "Auto excerpt", "body": "The opening words.\n\nMore.",
                            "excerpt": "", "tags": "", "slug": "", "date": "", "action": "publish"}, jar=jar)
ae = one("SELECT id FROM posts WHERE title = 'Auto excerpt'")
eq(one("SELECT excerpt_typed FROM posts WHERE id = ?", ae), "", "no excerpt typed: stored as automatic")
eq(one("SELECT excerpt FROM posts WHERE id = ?", ae), "The opening words. More.", "readers get the automatic one")
r = s.get("/admin/posts/%s/edit" % ae, jar=jar)
eq(field(r.body, "excerpt"), "", "the field stays empty")
contains(r.body, 'placeholder="The opening words. More."', "the automatic excerpt is its placeholder")
v = field(r.body, "version")
s.post("/admin/posts/%s" % ae, {"csrf": csrf, "title": "Auto excerpt", "body": "New opening.\n\nMore.", "excerpt": "",
                                 "tags": "", "slug": "auto-excerpt", "date": "", "action": "publish", "version": v},
       jar=jar)
eq(one("SELECT excerpt FROM posts WHERE id = ?", ae), "New opening. More.", "the automatic excerpt follows the text")
contains(s.get("/posts/auto-excerpt").body, 'content="New opening. More."', "the meta description follows too")
db.execute("UPDATE posts SET excerpt_typed = NULL WHERE id IN (?, ?)", (ae, live))
db.execute("UPDATE posts SET excerpt = 'Hand written.' WHERE id = ?", (live,))
db.commit()
r = s.get("/admin/posts/%s/edit" % ae, jar=jar)
eq(field(r.body, "excerpt"), "", "an old post whose excerpt is the automatic one: automatic")
r = s.get("/admin/posts/%s/edit" % live, jar=jar)
eq(field(r.body, "excerpt"), "Hand written.", "an old post with its own excerpt keeps it")

# --- another user's autosave survives a save by someone else, and is offered
gjar, gcsrf = s.login("Grace Hopper")
gv = field(s.get("/admin/posts/%s/edit" % live, jar=gjar).body, "version")
r = s.post("/admin/posts/%s/autosave" % live, dict(auto, csrf=gcsrf, title="Live post", slug="live-post",
                                                    body="Grace's unsaved words.", version=gv), files={}, jar=gjar)
eq(r.status, 200, "another user autosaves the published post")
v = field(s.get("/admin/posts/%s/edit" % live, jar=jar).body, "version")
r = s.post("/admin/posts/%s" % live, {"csrf": csrf, "title": "Live post", "slug": "live-post", "body": "Ada saves.",
                                       "excerpt": "", "tags": "", "date": "", "action": "publish", "version": v},
           jar=jar)
eq(r.status, 303, "Ada saves it")
r = s.get("/admin/posts/%s/edit" % live, jar=jar)
ok("Restore the autosave from" in r.body and "by Grace Hopper" in r.body,
   "Grace's autosave is still offered, with her name")

# --- author choice
r = s.get("/admin/posts/new", jar=jar)
ok(re.search(r'<select id="author_id" name="author_id">', r.body), "an author select")
grace = one("SELECT id FROM users WHERE name = 'Grace Hopper'")
r = s.post("/admin/posts", {"csrf": csrf, "title": "By Grace", "body": "x", "excerpt": "", "tags": "", "slug": "",
                            "date": "", "action": "draft", "author_id": str(grace)}, jar=jar)
eq(one("SELECT author_id FROM posts WHERE title = 'By Grace'"), grace, "the chosen author is stored")
r = s.post("/admin/posts", {"csrf": csrf, "title": "By nobody", "body": "x", "excerpt": "", "tags": "", "slug": "",
                            "date": "", "action": "draft", "author_id": "99999"}, jar=jar)
eq(r.status, 422, "an unknown author is refused")
r = s.get("/admin/posts/new", jar=jar)
ok(re.search(r'<datalist id="recent-images">(<option value="/media/[0-9a-f]{32}\.png">)+</datalist>', r.body),
   "the featured image field offers the uploaded images")

# --- datetime-local in Europe/Berlin: both ways, DST gap and overlap
def save_date(title, date):
    r = s.post("/admin/posts", {"csrf": csrf, "title": title, "body": "x", "excerpt": "", "tags": "", "slug": "",
                                "date": date, "action": "draft"}, jar=jar)
    return r, one("SELECT published_at, id FROM posts WHERE title = ?", title), one(
        "SELECT id FROM posts WHERE title = ?", title)


def utc(*a):
    return int(datetime.datetime(*a, tzinfo=datetime.timezone.utc).timestamp())


r, at, did = save_date("Winter date", "2026-01-15T10:00")
eq(at, utc(2026, 1, 15, 9, 0), "10:00 in Berlin in winter is 09:00 UTC")
eq(field(s.get("/admin/posts/%s/edit" % did, jar=jar).body, "date"), "2026-01-15T10:00", "and shows as typed")
r, at, did = save_date("Summer date", "2026-07-15T10:00")
eq(at, utc(2026, 7, 15, 8, 0), "10:00 in Berlin in summer is 08:00 UTC")
eq(field(s.get("/admin/posts/%s/edit" % did, jar=jar).body, "date"), "2026-07-15T10:00", "and shows as typed")
r, at, did = save_date("Gap date", "2026-03-29T02:30")
eq(r.status, 303, "a time in the spring-forward gap is accepted")
eq(at, utc(2026, 3, 29, 1, 30), "02:30 (skipped) is read with winter time: 03:30 summer time")
r, at, did = save_date("Overlap date", "2026-10-25T02:30")
eq(at, utc(2026, 10, 25, 0, 30), "02:30 (twice) is the first one, summer time")
r, at, did = save_date("Old format", "2026-11-25T14:30Z")
eq(at, utc(2026, 11, 25, 14, 30), "the old format with a zone is still read")
r, at, did = save_date("Bad date", "2026-02-30T10:00")
eq(r.status, 422, "an impossible date is refused")

# --- the featured image: '', /media/NAME or an https:// URL, nothing else
for bad in ("/media/../quire.db", "http://example.org/sea.jpg", "/etc/passwd", "javascript:alert(1)",
            "https://", "/media/a b.png"):
    r = s.post("/admin/posts", {"csrf": csrf, "title": "Featured check", "body": "Typed body.", "excerpt": "",
                                "tags": "kept-tag", "slug": "", "date": "", "featured_image": bad,
                                "action": "draft"}, jar=jar)
    eq(r.status, 422, "featured image %r refused" % bad)
    contains(r.body, 'id="featured-image-error"', "%r: the error is next to the field" % bad)
    eq(field(r.body, "featured_image"), bad, "%r: the field keeps what was typed" % bad)
    eq(field(r.body, "body"), "Typed body.", "%r: the body is kept" % bad)
    eq(field(r.body, "tags"), "kept-tag", "%r: the tags are kept" % bad)
eq(one("SELECT count(*) FROM posts WHERE title = 'Featured check'"), 0, "no post saved with a bad featured image")
for good in ("", "/media/%s" % (name.group(1) if name else "x.png"), "https://example.org/sea.jpg"):
    r = s.post("/admin/posts", {"csrf": csrf, "title": "Featured ok %d" % len(good), "body": "x", "excerpt": "",
                                "tags": "", "slug": "", "date": "", "featured_image": good, "action": "draft"},
               jar=jar)
    eq(r.status, 303, "featured image %r accepted" % good)

lacks(s.logs(), "runtime error", "no sanitizer report")
lacks(s.logs(), "AddressSanitizer", "no AddressSanitizer report")
done()
