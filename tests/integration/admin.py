"""admin: the admin web interface through nginx with curl and a cookie jar: login, lockout,
sessions, CSRF, writing, previewing, publishing, scheduling, slugs, images, deleting, bad input."""
import datetime
import os
import re
import sqlite3
import time

from quiretest import Stack, ok, eq, contains, lacks, done

s = Stack("admin")
s.user("Ada Lovelace", "ada@example.org", bio="Analyst.")
s.user("Grace Hopper", "grace@example.org")
s.start()
db = sqlite3.connect(s.db)


def count(sql, *args):
    return db.execute(sql, args).fetchone()[0]


def cookie_line(r):
    return [v for k, v in r.all_headers if k == "set-cookie"]


# --- login
r = s.get("/admin/")
ok(r.status == 303 and r.header("location").startswith("/admin/login"), "admin pages send visitors to the login")
r = s.get("/admin/login")
eq(r.status, 200, "login page")
contains(r.body, 'name="password"', "login form has a password field")
eq(r.header("x-frame-options"), "DENY", "login page may not be framed")
eq(r.header("cache-control"), "no-store", "login page is not stored")
ok(cookie_line(r) == [], "the login page sets no cookie")

wrong = s.post("/admin/login", {"name": "Ada Lovelace", "password": "not the password"})
nouser = s.post("/admin/login", {"name": "Nobody Here", "password": "not the password"})
eq(wrong.status, nouser.status, "wrong password and unknown user answer with the same status")
contains(wrong.body, "Wrong name or password.", "wrong password says so")
contains(nouser.body, "Wrong name or password.", "unknown user says exactly the same")
ok(cookie_line(wrong) == [] and cookie_line(nouser) == [], "no cookie after a failed login")
contains(wrong.body, 'value="Ada Lovelace"', "the name typed is kept")

jar = os.path.join(s.dir, "jar-ada")
r = s.post("/admin/login", {"name": "Ada Lovelace", "password": "correct horse battery", "next": "/admin/posts"}, jar=jar)
eq(r.status, 303, "login succeeds with a redirect")
eq(r.header("location"), "/admin/posts", "to the page asked for")
c = cookie_line(r)
ok(len(c) == 1 and c[0].startswith("quire_session="), "one session cookie", c)
cookie = c[0] if c else ""
for attr in ("HttpOnly", "SameSite=Lax", "Path=/admin"):
    contains(cookie, attr, "session cookie has " + attr)
lacks(cookie, "Secure", "no Secure flag on a plain-http base URL")
token = re.match(r"quire_session=([^;]+)", cookie).group(1) if cookie else ""
eq(len(token), 43, "the token is 256 bits (43 base64url characters)")
eq(count("SELECT count(*) FROM sessions WHERE token_hash = ?", token.encode()), 0, "the token is not stored as is")
eq(count("SELECT count(*) FROM sessions"), 1, "one session stored (hashed)")
r = s.post("/admin/login", {"name": "ada@example.org", "password": "correct horse battery", "next": "https://evil.example/"},
           jar=os.path.join(s.dir, "jar-email"))
ok(r.status == 303 and r.header("location") == "/admin/", "login by email; an off-site next is ignored", r.header("location"))

r = s.post("/admin/login", {"name": "Ada Lovelace", "password": "correct horse battery"},
           headers={"Origin": "https://evil.example"})
ok(r.status == 403 and cookie_line(r) == [], "a login form sent from another site is refused (login CSRF)")
r = s.post("/admin/login", {"name": "Ada Lovelace", "password": "correct horse battery"}, headers={"Origin": s.base})
eq(r.status, 303, "a login with this site's own Origin works")

r = s.get("/admin/", jar=jar)
eq(r.status, 200, "dashboard with the session")
eq(r.header("cache-control"), "no-store", "admin pages are no-store")
eq(r.header("x-frame-options"), "DENY", "admin pages may not be framed")
contains(r.header("content-security-policy") or "", "default-src 'self'", "admin pages carry the CSP")
for key in ("posts", "drafts", "comments", "subscribers"):
    ok(re.search(r'id="count-%s">\d+<' % key, r.body) is not None, "dashboard counts %s" % key)
csrf = re.search(r'name="csrf" value="([0-9a-f]{64})"', r.body).group(1)

# readers never get a cookie, even with a session
r = s.get("/", jar=jar)
ok(cookie_line(r) == [], "reader pages set no cookie for a logged-in admin")

# --- lockout
for i in range(5):
    s.post("/admin/login", {"name": "Grace Hopper", "password": "wrong %d" % i})
r = s.post("/admin/login", {"name": "Grace Hopper", "password": "correct horse battery"})
eq(r.status, 429, "after 5 failures this address is locked out of the account, even with the right password")
ok(r.header("retry-after") is not None, "429 says when to retry")
contains(r.body, "Too many failed attempts", "429 says why")
eq(s.get("/admin/", jar=jar).status, 200, "an existing session is not affected by the lockout")
db.execute("UPDATE rate_events SET at = at - 16*60 WHERE key LIKE 'login-%'")
db.commit()
r = s.post("/admin/login", {"name": "Grace Hopper", "password": "correct horse battery"})
eq(r.status, 303, "after 15 minutes this address can log in again")

# --- CSRF
before = count("SELECT count(*) FROM posts")
r = s.post("/admin/posts", {"title": "No token", "action": "draft"}, jar=jar)
eq(r.status, 403, "a POST without the CSRF token is 403")
r = s.post("/admin/posts", {"title": "Bad token", "action": "draft", "csrf": "0" * 64}, jar=jar)
eq(r.status, 403, "a POST with a wrong CSRF token is 403")
other_jar, other_csrf = s.login("Grace Hopper")
r = s.post("/admin/posts", {"title": "Other token", "action": "draft", "csrf": other_csrf}, jar=jar)
eq(r.status, 403, "another session's token is refused")
eq(count("SELECT count(*) FROM posts"), before, "and nothing was written")
r = s.post("/admin/posts", {"title": "No session", "action": "draft", "csrf": csrf})
ok(r.status in (303, 403) and count("SELECT count(*) FROM posts") == before, "a POST without a session changes nothing")

# --- create a draft, preview, publish
r = s.post("/admin/posts", {"csrf": csrf, "title": "Hello <from> the admin", "body": "Written in the *browser*.",
                            "tags": "admin, web", "action": "draft"}, jar=jar)
eq(r.status, 303, "saving a draft redirects")
m = re.match(r"/admin/posts/(\d+)/edit\?saved=draft", r.header("location") or "")
ok(m is not None, "to the editor of the new post", r.header("location"))
pid = int(m.group(1)) if m else 0
eq(count("SELECT status FROM posts WHERE id = ?", pid), "draft", "stored as a draft")
eq(s.get("/posts/hello-from-the-admin").status, 404, "a draft is not public")
r = s.get("/admin/posts/%d/edit?saved=draft" % pid, jar=jar)
contains(r.body, "Saved as a draft.", "the editor says it was saved")
contains(r.body, 'value="Hello &lt;from&gt; the admin"', "the title is in the editor, escaped")
contains(r.body, "Written in the *browser*.</textarea>", "the Markdown is in the editor")
r = s.get("/admin/posts?status=draft", jar=jar)
contains(r.body, "Hello &lt;from&gt; the admin", "the draft is in the post list")

r = s.post("/admin/posts/%d" % pid, {"csrf": csrf, "title": "Hello <from> the admin", "body": "Changed in *preview*.",
                                      "tags": "admin, web", "action": "preview"}, jar=jar)
eq(r.status, 200, "preview answers with a page")
contains(r.body, "<em>preview</em>", "preview renders the Markdown")
contains(r.body, '<h1 class="entry-title">Hello &lt;from&gt; the admin</h1>', "preview uses the article template")
eq(count("SELECT body_md FROM posts WHERE id = ?", pid), "Written in the *browser*.", "preview saves nothing")
r = s.get("/admin/posts/%d/preview" % pid, jar=jar)
ok(r.status == 200 and "<em>browser</em>" in r.body and 'class="entry-title"' in r.body, "the saved draft's preview page")

r = s.post("/admin/posts/%d" % pid, {"csrf": csrf, "title": "Hello <from> the admin", "body": "Written in the *browser*.",
                                      "tags": "admin, web", "action": "publish"}, jar=jar)
ok(r.status == 303 and "saved=publish" in (r.header("location") or ""), "publish redirects", r.header("location"))
r = s.get("/posts/hello-from-the-admin")
eq(r.status, 200, "the published post is public")
contains(r.body, "<em>browser</em>", "with its body")
contains(r.body, 'href="/authors/ada-lovelace"', "by the logged-in author")
contains(s.get("/").body, "/posts/hello-from-the-admin", "it appears on the home page")
contains(s.get("/feed.atom").body, "/posts/hello-from-the-admin", "and in the Atom feed")
contains(s.get("/tags/admin").body, "/posts/hello-from-the-admin", "and on its tag page")

# --- slug change keeps the old URL as a redirect
r = s.post("/admin/posts/%d" % pid, {"csrf": csrf, "title": "Hello <from> the admin", "slug": "hello-admin",
                                      "body": "Written in the *browser*.", "tags": "admin, web", "action": "publish"}, jar=jar)
eq(r.status, 303, "changing the slug saves")
r = s.get("/posts/hello-from-the-admin")
ok(r.status == 301 and r.header("location") == "/posts/hello-admin", "the old URL answers 301 to the new one",
   (r.status, r.header("location")))
eq(s.get("/posts/hello-admin").status, 200, "the new URL works")
pa = count("SELECT published_at FROM posts WHERE id = ?", pid)
s.post("/admin/posts/%d" % pid, {"csrf": csrf, "title": "Hello again", "slug": "hello-admin", "body": "Edited.",
                                  "date": s.get("/admin/posts/%d/edit" % pid, jar=jar).body.split('name="date" type="datetime-local" value="')[1].split('"')[0],
                                  "tags": "admin", "action": "publish"}, jar=jar)
eq(count("SELECT published_at FROM posts WHERE id = ?", pid), pa, "editing a published post keeps its date")
contains(s.get("/posts/hello-admin").body, "Hello again", "and shows the edit")

# --- schedule a few seconds ahead
# far enough ahead that a loaded machine still checks "hidden" before the time comes
when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=12)
r = s.post("/admin/posts", {"csrf": csrf, "title": "Scheduled from the admin", "body": "Soon.",
                            "date": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "action": "schedule"}, jar=jar)
ok(r.status == 303 and "saved=schedule" in (r.header("location") or ""), "scheduling saves", r.header("location"))
eq(s.get("/posts/scheduled-from-the-admin").status, 404, "a scheduled post is hidden until its time")
contains(s.get("/admin/posts?status=scheduled", jar=jar).body, "Scheduled from the admin", "listed as scheduled")
time.sleep(max(0, (when - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) + 1.2)
eq(s.get("/posts/scheduled-from-the-admin").status, 200, "it appears on its date without any action")
contains(s.get("/").body, "/posts/scheduled-from-the-admin", "and on the home page")
r = s.post("/admin/posts", {"csrf": csrf, "title": "Past schedule", "date": "2020-01-01", "action": "schedule"}, jar=jar)
ok(r.status == 422 and "Pick a date in the future" in r.body, "scheduling in the past is refused")

# --- unpublish and delete
sid = count("SELECT id FROM posts WHERE slug = 'scheduled-from-the-admin'")
r = s.post("/admin/posts/%d" % sid, {"csrf": csrf, "title": "Scheduled from the admin", "body": "Soon.", "action": "unpublish"}, jar=jar)
eq(r.status, 303, "unpublish")
eq(s.get("/posts/scheduled-from-the-admin").status, 404, "an unpublished post is gone from readers")
r = s.get("/admin/posts/%d/delete" % sid, jar=jar)
ok(r.status == 200 and "cannot be undone" in r.body, "delete asks for confirmation")
eq(count("SELECT count(*) FROM posts WHERE id = ?", sid), 1, "asking deletes nothing")
r = s.post("/admin/posts/%d/delete" % sid, {"csrf": "f" * 64}, jar=jar)
eq(r.status, 403, "delete without the right token is refused")
r = s.post("/admin/posts/%d/delete" % sid, {"csrf": csrf}, jar=jar)
ok(r.status == 303 and count("SELECT count(*) FROM posts WHERE id = ?", sid) == 0, "confirmed delete removes the post")
eq(s.get("/admin/posts/%d/edit" % sid, jar=jar).status, 404, "a deleted post's editor is 404")

# --- bad input: 422, the input kept, nothing written
before = count("SELECT count(*) FROM posts")
r = s.post("/admin/posts", {"csrf": csrf, "title": "x" * 201, "body": "kept body", "action": "draft"}, jar=jar)
ok(r.status == 422 and "at most 200 characters" in r.body and "kept body</textarea>" in r.body,
   "over-long title: 422, message, input kept")
r = s.post("/admin/posts", {"csrf": csrf, "title": "Dup", "slug": "hello-admin", "action": "draft"}, jar=jar)
ok(r.status == 422 and "Another post already uses this slug." in r.body and 'value="Dup"' in r.body, "duplicate slug: 422")
r = s.post("/admin/posts", {"csrf": csrf, "title": "Bad date", "date": "next tuesday", "action": "publish"}, jar=jar)
# a datetime-local input holds only a valid date: the typed text is quoted in the date's error
ok(r.status == 422 and 'id="date-error"' in r.body and "You typed \u201cnext tuesday\u201d" in r.body,
   "unparseable date: 422 by the field, the typed text kept")
r = s.post("/admin/posts", {"csrf": csrf, "title": "Bad slug", "slug": "Not A Slug!", "action": "draft"}, jar=jar)
ok(r.status == 422 and 'id="slug-error"' in r.body, "malformed slug: 422")
r = s.post("/admin/posts", "csrf=%s&title=Caf%%E9&action=draft" % csrf, jar=jar)
ok(r.status == 422 and "UTF-8" in r.body and 'id="title-error"' in r.body, "invalid UTF-8: 422 by the field", r.status)
r = s.post("/admin/posts", {"csrf": csrf, "title": "", "action": "draft"}, jar=jar)
ok(r.status == 422 and "Give the post a title." in r.body, "empty title: 422")
r = s.post("/admin/posts", {"csrf": csrf, "title": "Big", "body": "y" * 100001, "action": "draft"}, jar=jar)
ok(r.status == 422 and 'id="body-error"' in r.body, "over-long body: 422")
r = s.post("/admin/posts", {"csrf": csrf, "title": "<script>alert(1)</script>", "slug": "BAD", "action": "draft"}, jar=jar)
ok(r.status == 422 and "<script>alert(1)</script>" not in r.body and "&lt;script&gt;" in r.body, "input echoed back escaped")
eq(count("SELECT count(*) FROM posts"), before, "no bad form wrote anything")

# --- images
png = os.path.join(s.dir, "pixel.png")
open(png, "wb").write(bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                                    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a1f1b0a70000000049454e44ae426082"))
r = s.post("/admin/media", {"csrf": csrf, "post_id": str(pid)}, files={"image": ("pixel.png", png)}, jar=jar)
m = re.search(r"uploaded=([0-9a-f]{32}\.png)", r.header("location") or "")
ok(r.status == 303 and m, "a PNG uploads", (r.status, r.header("location"), r.body[:300]))
name = m.group(1) if m else "x"
r = s.get(r.header("location") or "/", jar=jar)
contains(r.body, "![Describe the image](/media/%s)" % name, "the editor shows the Markdown to paste")
img = s.get("/media/" + name)
ok(img.status == 200 and img.header("content-type") == "image/png", "nginx serves the upload from the media folder")
eq(oct(os.stat(os.path.join(s.dir, "media", name)).st_mode & 0o777), "0o644", "stored with a tight mode")
fake = os.path.join(s.dir, "fake.png")
open(fake, "w").write("<svg onload=alert(1)>not an image</svg>")
r = s.post("/admin/media", {"csrf": csrf, "post_id": str(pid)}, files={"image": ("fake.png", fake)}, jar=jar)
ok(r.status == 422 and "not a PNG, JPEG, GIF or WebP" in r.body and 'id="image-error"' in r.body,
   "a file that is not an image: 422 by the field")
big = os.path.join(s.dir, "big.png")
open(big, "wb").write(b"\x89PNG\r\n\x1a\n" + b"\0" * (6 * 1024 * 1024))
r = s.post("/admin/media", {"csrf": csrf, "post_id": str(pid)}, files={"image": ("big.png", big)}, jar=jar)
ok(r.status == 422 and "larger than 5 MB" in r.body, "an image over the limit: 422", r.status)
eq(len(os.listdir(os.path.join(s.dir, "media"))), 1, "refused files are not stored")
r = s.post("/admin/media", {"csrf": "0" * 64}, files={"image": ("pixel.png", png)}, jar=jar)
eq(r.status, 403, "upload without the CSRF token is refused")

# --- the post list paginates
for i in range(21):
    db.execute("INSERT INTO posts(slug, title, body_md, body_html, status, published_at, created_at, updated_at) "
               "VALUES (?, ?, '', '', 'draft', 0, ?, ?)", ("bulk-%d" % i, "Bulk %d" % i, i, i))
db.commit()
r = s.get("/admin/posts", jar=jar)
eq(len(re.findall(r'class="post-row', r.body)), 20, "the post list shows 20 a page")
contains(r.body, "page=2", "with a link to the next page")
eq(len(re.findall(r'class="post-row', s.get("/admin/posts?page=2", jar=jar).body)) > 0, True, "page 2 of the list")

# --- sessions survive a restart; logout; expiry
s.quire.terminate()
s.quire.wait(timeout=10)
s.quire = None
s.nginx.terminate()
s.nginx.wait(timeout=10)
s.nginx = None
s.start()
eq(s.get("/admin/", jar=jar).status, 200, "the session survives a restart of quire serve")
sessions_before = count("SELECT count(*) FROM sessions WHERE user_id = 1")
r = s.post("/admin/logout", {"csrf": csrf}, jar=jar)
ok(r.status == 303 and any("Max-Age=0" in c for c in cookie_line(r)), "logout clears the cookie")
r = s.get("/admin/", headers={"Cookie": "quire_session=" + token})
eq(r.status, 303, "the logged-out token no longer works")
eq(count("SELECT count(*) FROM sessions WHERE user_id = 1"), sessions_before - 1, "logout deleted that session only")
db.execute("UPDATE sessions SET expires_at = 1")
db.commit()
r = s.get("/admin/", jar=other_jar)
ok(r.status == 303 and r.header("location").startswith("/admin/login"), "an expired session goes to the login")

# --- an https site marks its cookie Secure
h = Stack("admin-https", config="[site]\nbase_url = https://blog.example.org\n")
h.user("Ada Lovelace", "ada@example.org")
h.start()
r = h.post("/admin/login", {"name": "Ada Lovelace", "password": "correct horse battery"})
ok(r.status == 303 and any("; Secure" in c for c in cookie_line(r)), "with an https base URL the cookie is Secure",
   cookie_line(r))
h.stop()

log = open(os.path.join(s.dir, "quire.log")).read()
for action in ("action=login ", "action=login-failed", "action=publish", "action=delete", "action=upload", "action=logout"):
    contains(log, action, "audit log records " + action.strip())
done()
