"""users: roles, the admin's user list, set-password links by mail (single use, one hour, only the
newest), "Forgot password?" (the same answer and about the same time for an unknown account,
limited per address and per account), the last admin kept, sessions ended by a password change,
a profile with its photo in the author box, and `quire user add --role`."""
import os
import re
import sqlite3
import statistics
import struct
import tempfile
import time
import zlib

from quiretest import Stack, SmtpSink, run, ok, eq, contains, lacks, done

mails = tempfile.mkdtemp(prefix="quire-users-mail-", dir=os.environ.get("TMPDIR", "/tmp"))
sink = SmtpSink(mails).start()
s = Stack("users", config="[mail]\nsmtp_url = smtp://127.0.0.1:%d\nfrom = blog@example.org\nretry_base = 1\n"
                          "starttls = no\n[comments]\nmin_seconds = 0\nrate_limit = 0\nmoderation = none\n" % sink.port)
s.user("Ada Lovelace", "ada@example.org")
s.import_post({"title": "Ada's own post", "slug": "ada-post", "date": "2026-01-01", "author": "Ada Lovelace"},
              "Written by Ada.\n")
s.start()
db = sqlite3.connect(s.db, isolation_level=None)


def q(sql, *args):
    row = db.execute(sql, args).fetchone()
    return row[0] if row else None


def link_from_mail(addr, n):
    msgs = sink.wait(addr, n)
    if len(msgs) < n:
        return None, None
    m = msgs[n - 1]
    text = m.get_body(preferencelist=("plain",)).get_content()
    found = re.search(r"(http://\S+/admin/reset\?token=([A-Za-z0-9_-]+))", text)
    return (found.group(1)[len(s.base):], m) if found else (None, m)


def png(w, h, rgb=(200, 30, 30)):
    """A plain w x h RGB PNG, written by hand (no imaging library needed)."""
    raw = b"".join(b"\0" + bytes(rgb) * w for _ in range(h))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


ada, ada_csrf = s.login("Ada Lovelace")

# --- existing users became admins; the list
eq(q("SELECT role FROM users WHERE name = 'Ada Lovelace'"), "admin", "a user from before sql/020 is an admin")
r = s.get("/admin/users", jar=ada)
ok(r.status == 200 and "Ada Lovelace" in r.body and "ada@example.org" in r.body, "/admin/users lists the users")
contains(r.body, 'href="/admin/users"', "an admin's bar links to Users")

# --- adding an author: no usable password, a link by mail
r = s.post("/admin/users", {"csrf": ada_csrf, "name": "Grace Hopper", "email": "grace@example.org",
                            "bio": "Admiral.", "role": "author"}, jar=ada)
eq(r.status, 303, "adding an author redirects")
eq(q("SELECT role FROM users WHERE name = 'Grace Hopper'"), "author", "the new user is an author")
r = s.post("/admin/login", {"name": "Grace Hopper", "password": "correct horse battery"})
eq(r.status, 401, "the new user has no password that works")
link1, msg = link_from_mail("grace@example.org", 1)
ok(link1 is not None, "a set-password mail arrives with its link")
ok(msg is not None and msg["Subject"].startswith("Your account on "), "its subject says what it is", msg and msg["Subject"])
invite_text = msg.get_body(preferencelist=("plain",)).get_content() if msg else ""
ok("an account was made for you" in invite_text and "If you did not ask" not in invite_text,
   "an invitation welcomes the new user, not a reset warning")
eq(q("SELECT kind FROM outbox WHERE recipient = 'grace@example.org'"), "password", "sent through the outbox")
token1 = link1.split("=", 1)[1]
lacks(repr(db.execute("SELECT token_hash FROM password_tokens").fetchall()), token1, "the token is stored hashed")
r = s.get(link1)
ok(r.status == 200 and 'name="token"' in r.body, "the link opens the new-password form")
eq(r.header("referrer-policy"), "no-referrer", "the link's page leaks no Referer")
r = s.post("/admin/reset", {"token": token1, "password": "grace password 1", "password2": "different one"})
eq(r.status, 422, "two different passwords are refused")
r = s.post("/admin/reset", {"token": token1, "password": "short", "password2": "short"})
eq(r.status, 422, "a short password is refused (the rules of quire user)")
r = s.post("/admin/reset", {"token": token1, "password": "grace password 1", "password2": "grace password 1"})
ok(r.status == 303 and r.header("location") == "/admin/login?reset=1", "setting it sends to the login")
contains(s.get("/admin/login?reset=1").body, "Your password is set", "the login page says so")
eq(s.get(link1).status, 410, "the link works only once (410 after use)")
r = s.post("/admin/reset", {"token": token1, "password": "grace password 2", "password2": "grace password 2"})
eq(r.status, 410, "a used token cannot set a password again")
eq(s.get("/admin/reset?token=" + "A" * 43).status, 410, "a wrong token is refused")
eq(s.get("/admin/reset").status, 410, "no token is refused")
grace, grace_csrf = s.login("Grace Hopper", "grace password 1")
ok(grace_csrf is not None, "the author logs in with the password set")
lacks(s.get("/admin/", jar=grace).body, 'href="/admin/users"', "an author's bar has no Users link")

# --- roles
for path in ("/admin/users", "/admin/subscribers", "/admin/stats", "/admin/subscribers.csv"):
    r = s.get(path, jar=grace)
    ok(r.status == 403 and "for the site&#39;s admins" in r.body, "an author gets 403 on " + path, r.status)
r = s.post("/admin/posts", {"csrf": grace_csrf, "title": "Grace's post", "slug": "grace-post",
                            "body": "Written by Grace.", "action": "publish"}, jar=grace)
eq(r.status, 303, "an author writes and publishes a post")
grace_post = q("SELECT id FROM posts WHERE slug = 'grace-post'")
ada_post = q("SELECT id FROM posts WHERE slug = 'ada-post'")
eq(q("SELECT author_id FROM posts WHERE id = ?", grace_post), q("SELECT id FROM users WHERE name = 'Grace Hopper'"),
   "the post is the author's")
eq(s.get("/admin/posts/%d/edit" % grace_post, jar=grace).status, 200, "the author edits their own post")
for path in ("/admin/posts/%d/edit", "/admin/posts/%d/preview", "/admin/posts/%d/delete"):
    eq(s.get(path % ada_post, jar=grace).status, 403, "another author's post: 403 on " + path.replace("%d", "N"))
r = s.post("/admin/posts/%d" % ada_post, {"csrf": grace_csrf, "title": "Hijacked", "slug": "ada-post",
                                          "body": "x", "action": "draft"}, jar=grace)
eq(r.status, 403, "saving another author's post is refused")
eq(q("SELECT title FROM posts WHERE id = ?", ada_post), "Ada's own post", "and the post is unchanged")
eq(s.post("/admin/posts/%d/delete" % ada_post, {"csrf": grace_csrf}, jar=grace).status, 403,
   "deleting another author's post is refused")
r = s.post("/admin/posts", {"csrf": grace_csrf, "title": "A page", "slug": "a-page", "kind": "page",
                            "body": "x", "action": "draft"}, jar=grace)
eq(r.status, 403, "an author cannot make a page")
r = s.post("/admin/posts/%d" % grace_post, {"csrf": grace_csrf, "title": "Grace's post", "slug": "grace-post",
                                            "kind": "page", "body": "x", "action": "draft"}, jar=grace)
eq(r.status, 403, "nor turn their post into a page")
eq(q("SELECT kind FROM posts WHERE id = ?", grace_post), "post", "which stays a post")
r = s.get("/admin/posts", jar=grace)
ok("Grace&#39;s post" in r.body or "Grace's post" in r.body, "the author's list shows their post")
ok("Ada&#39;s own post" not in r.body and "Ada's own post" not in r.body, "and not the admin's")
r = s.get("/admin/posts", jar=ada)
ok("Grace" in r.body and "Ada" in r.body, "the admin's list shows everyone's")
# comments: only on their own posts
for slug in ("ada-post", "grace-post"):
    db.execute("INSERT INTO comments(post_id, author_name, author_email, body, body_html, status, created_at) "
               "SELECT id, 'Reader', 'reader@example.org', 'On ' || slug || '.', '<p>On ' || slug || '.</p>', "
               "'approved', 1 FROM posts WHERE slug = ?", (slug,))
c_ada = q("SELECT c.id FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.slug = 'ada-post'")
c_grace = q("SELECT c.id FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.slug = 'grace-post'")
ok(c_ada and c_grace, "a comment on each post")
r = s.get("/admin/comments?status=approved", jar=grace)
ok("On grace-post." in r.body and "On ada-post." not in r.body, "the author sees only comments on their posts")
eq(s.post("/admin/comments/%d" % c_ada, {"csrf": grace_csrf, "action": "spam"}, jar=grace).status, 403,
   "moderating a comment on another's post is refused")
eq(s.post("/admin/comments", {"csrf": grace_csrf, "bulk_action": "trash", "ids": str(c_ada)}, jar=grace).status, 403,
   "a bulk action naming another's comment is refused")
eq(q("SELECT status FROM comments WHERE id = ?", c_ada), "approved", "that comment is unchanged")
r = s.post("/admin/comments/%d" % c_grace, {"csrf": grace_csrf, "action": "spam"}, jar=grace)
eq(r.status, 303, "the author moderates a comment on their own post")

# --- forgot password: same words, about the same time, limited
def forgot(who, source="127.0.0.2"):
    t = time.monotonic()
    r = s.post("/admin/forgot", {"who": who}, source=source)
    return r, time.monotonic() - t

eq(s.get("/admin/forgot").status, 200, "GET /admin/forgot shows the form")
contains(s.get("/admin/login").body, 'href="/admin/forgot"', "the login page links to it")
r_known, _ = forgot("grace@example.org", "127.0.0.3")
r_unknown, _ = forgot("nobody@example.org", "127.0.0.3")
eq(r_known.status, 200, "a known account: 200")
eq(r_unknown.status, 200, "an unknown account: 200 too")
strip = lambda b: re.sub(r'value="[^"]*"', "", b)
eq(strip(r_known.body), strip(r_unknown.body), "the two answers are the same page")
contains(r_known.body, "If that account exists", "saying the link is on its way if the account exists")
known_t, unknown_t = [], []
for i in range(3):
    known_t.append(forgot("Ada Lovelace", "127.0.1.%d" % i)[1])
    unknown_t.append(forgot("Nobody %d" % i, "127.0.2.%d" % i)[1])
mk, mu = statistics.median(known_t), statistics.median(unknown_t)
print("# forgot: median %.1f ms known, %.1f ms unknown" % (mk * 1000, mu * 1000))
ok(abs(mk - mu) < 0.05, "about the same time either way (%.1f vs %.1f ms)" % (mk * 1000, mu * 1000))
# Grace asked once above: 2 more (each mail awaited: a link replaced before it is sent is not sent),
# then the account's limit
links = [link_from_mail("grace@example.org", 2)[0]]
for i in (1, 2):
    n = len(sink.messages("grace@example.org"))
    forgot("grace@example.org", "127.0.3.%d" % i)
    links.append(link_from_mail("grace@example.org", n + 1)[0])
r, _ = forgot("grace@example.org", "127.0.3.3")
ok(r.status == 429 and r.header("retry-after"), "the 4th request for one account in an hour: 429", r.status)
eq(forgot("Grace Hopper", "127.0.3.4")[0].status, 429, "typing the name instead of the email counts the same")
for i in range(10):
    forgot("someone%d@example.org" % i, "127.0.4.1")
r, _ = forgot("someone-else@example.org", "127.0.4.1")
eq(r.status, 429, "the 11th request from one address in an hour: 429")
eq(forgot("someone-else@example.org", "127.0.4.2")[0].status, 200, "another address still may")

# --- only the newest link works; an expired one does not
ok(all(links), "each request for Grace sent a mail")
for old in links[:-1]:
    eq(s.get(old).status, 410, "an older link stops working when a newer one is sent")
newest = links[-1]
eq(s.get(newest).status, 200, "the newest link works")
db.execute("UPDATE password_tokens SET expires_at = expires_at - 3601")
eq(s.get(newest).status, 410, "a link older than one hour is refused")

# --- sessions end with a reset and with a password change
grace2, _ = s.login("Grace Hopper", "grace password 1")
time.sleep(1)  # the links of the timing requests above are sent or dropped by now
db.execute("DELETE FROM rate_events WHERE key LIKE 'forgot-user:%'")  # Ada asked 3 times above
n = len(sink.messages("ada@example.org"))
s.post("/admin/forgot", {"who": "Ada Lovelace"}, source="127.0.5.1")
ada_link, ada_msg = link_from_mail("ada@example.org", n + 1)
ok(ada_msg is not None and "Set your password" in ada_msg["Subject"] and "a password was asked" in
   ada_msg.get_body(preferencelist=("plain",)).get_content(), "a reset for a user who logged in before says so")
ada2, ada2_csrf = s.login("Ada Lovelace")
r = s.post("/admin/reset", {"token": ada_link.split("=", 1)[1], "password": "ada password 2",
                            "password2": "ada password 2"})
eq(r.status, 303, "Ada resets her password")
eq(s.get("/admin/", jar=ada).status, 303, "a reset ends every session of that user (1)")
eq(s.get("/admin/", jar=ada2).status, 303, "a reset ends every session of that user (2)")
ada, ada_csrf = s.login("Ada Lovelace", "ada password 2")
r = s.post("/admin/profile/password", {"csrf": grace_csrf, "current": "wrong one", "password": "grace password 3",
                                       "password2": "grace password 3"}, jar=grace)
eq(r.status, 422, "a password change needs the current password")
r = s.post("/admin/profile/password", {"csrf": grace_csrf, "current": "grace password 1",
                                       "password": "grace password 3", "password2": "grace password 3"}, jar=grace)
eq(r.status, 303, "the author changes their password")
eq(s.get("/admin/profile", jar=grace).status, 200, "this browser stays logged in")
eq(s.get("/admin/", jar=grace2).status, 303, "the other session has ended")

# --- a name may not pass for another user's name or email (login and "Forgot password?" take either)
for bad, why in (("ada@example.org", "another user's email as a name"), ("ada lovelace", "another's name in other case"),
                 ("Ada\u200bLovelace", "a zero-width space"), ("Grace \u202eHopper", "a direction override")):
    r = s.post("/admin/profile", {"csrf": grace_csrf, "name": bad, "email": "grace@example.org", "bio": ""}, jar=grace)
    eq(r.status, 422, "profile: %s is refused" % why)
r = s.post("/admin/profile", {"csrf": grace_csrf, "name": "Grace Hopper", "email": "ADA@example.org", "bio": ""},
           jar=grace)
eq(r.status, 422, "profile: another user's email in other case is refused")
eq(q("SELECT count(*) FROM users WHERE name = 'Grace Hopper' AND email = 'grace@example.org'"), 1,
   "the author's name and email are unchanged")

# --- profile and photo
r = s.post("/admin/profile", {"csrf": grace_csrf, "name": "Grace Hopper", "email": "grace@example.org",
                              "bio": "Rear admiral and compiler writer."}, jar=grace)
eq(r.status, 303, "the profile saves")
contains(s.get("/posts/grace-post").body, "Rear admiral and compiler writer.", "the new bio is in the author box")
contains(s.get("/posts/grace-post").body, "<svg", "without a photo the identicon shows")
img = os.path.join(s.dir, "photo.png")
with open(img, "wb") as f:
    f.write(png(300, 200))
r = s.post("/admin/profile/photo", {"csrf": grace_csrf}, jar=grace, files={"photo": ("me.png", img)})
eq(r.status, 303, "the photo uploads")
name = q("SELECT photo FROM users WHERE name = 'Grace Hopper'")
ok(re.fullmatch(r"[0-9a-f]{32}\.png", name or ""), "stored under a fresh name", name)
r = s.get("/media/" + name)
ok(r.status == 200 and r.raw[:8] == b"\x89PNG\r\n\x1a\n", "the photo is served as a PNG")
eq(struct.unpack(">II", r.raw[16:24]), (192, 192), "cropped and resized to 192 x 192")
lacks(r.raw, b"tEXt", "with no text metadata")
body = s.get("/posts/grace-post").body
ok(re.search(r'<img class="author-photo" src="/media/%s" width="64" height="64" alt="">' % re.escape(name), body),
   "the author box shows the photo with its size and alt \"\"")
ok(re.search(r'src="/media/%s"' % re.escape(name), s.get("/authors/grace-hopper").body), "so does the author page")
bad = os.path.join(s.dir, "bad.png")
with open(bad, "wb") as f:
    f.write(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
r = s.post("/admin/profile/photo", {"csrf": grace_csrf}, jar=grace, files={"photo": ("x.png", bad)})
ok(r.status == 422 and "not a PNG, JPEG, GIF or WebP" in r.body, "a file that is no image is refused")
r = s.post("/admin/profile/photo", {"csrf": grace_csrf}, jar=grace, files={"photo": ("me2.png", img)})
eq(r.status, 303, "a second photo replaces the first")
name2 = q("SELECT photo FROM users WHERE name = 'Grace Hopper'")
ok(name2 != name and os.path.exists(os.path.join(s.dir, "media", name2)), "the new photo is stored")
ok(not os.path.exists(os.path.join(s.dir, "media", name)), "the replaced photo's file is removed")
s.restart()
lacks(s.get("/admin/media", jar=ada).body, name2, "a photo is not listed in the media library")

# --- the last admin; roles; deleting
ada_id = q("SELECT id FROM users WHERE name = 'Ada Lovelace'")
grace_id = q("SELECT id FROM users WHERE name = 'Grace Hopper'")
r = s.post("/admin/users/%d" % ada_id, {"csrf": ada_csrf, "action": "role", "role": "author"}, jar=ada)
ok(r.status == 422 and "last admin" in r.body, "the last admin cannot become an author")
eq(q("SELECT role FROM users WHERE id = ?", ada_id), "admin", "and stays an admin")
eq(s.post("/admin/users/%d/delete" % ada_id, {"csrf": ada_csrf}, jar=ada).status, 422, "nor delete themselves")
r = s.post("/admin/users/%d" % grace_id, {"csrf": ada_csrf, "action": "role", "role": "admin"}, jar=ada)
eq(r.status, 303, "an admin makes an author an admin")
eq(s.get("/admin/users", jar=grace).status, 200, "who then opens the admin pages")
r = s.post("/admin/users/%d" % grace_id, {"csrf": ada_csrf, "action": "role", "role": "author"}, jar=ada)
eq(r.status, 303, "and back")
r = s.post("/admin/users/%d" % grace_id, {"csrf": ada_csrf, "action": "password", "password": "set by ada 123"},
           jar=ada)
eq(r.status, 303, "an admin sets a user's password directly")
eq(s.get("/admin/", jar=grace).status, 303, "which ends that user's sessions")
grace, grace_csrf = s.login("Grace Hopper", "set by ada 123")
eq(s.get("/admin/users/%d/delete" % grace_id, jar=ada).status, 200, "the delete page asks first")
r = s.post("/admin/users/%d/delete" % grace_id, {"csrf": ada_csrf}, jar=ada)
eq(r.status, 303, "an admin deletes a user")
eq(q("SELECT author_id FROM posts WHERE slug = 'grace-post'"), ada_id, "their posts are kept, now the admin's")
eq(s.get("/admin/", jar=grace).status, 303, "and their sessions are gone")
logs = open(os.path.join(s.dir, "quire.log")).read()
for action in ("user-add", "user-role", "user-password", "user-delete", "profile", "photo", "password-reset"):
    contains(logs, "action=" + action, "audit line for " + action)

# --- quire user add --role
rc, out, err = run(["user", "add", "--db", s.db, "--name", "Cli Author", "--email", "cli@example.org",
                    "--role", "author"], input="cli password 1\n")
ok(rc == 0, "quire user add --role author", err)
eq(q("SELECT role FROM users WHERE name = 'Cli Author'"), "author", "with that role")
rc, out, err = run(["user", "add", "--db", s.db, "--name", "X", "--email", "x@example.org", "--role", "owner"],
                   input="cli password 1\n")
eq(rc, 2, "an unknown role is a usage error")
rc, out, err = run(["user", "list", "--db", s.db])
ok(rc == 0 and "author" in out and "ROLE" in out, "quire user list shows roles")
done()
