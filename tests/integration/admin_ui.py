"""admin_ui: the admin's own layout (no reader header, search or subscribe box; the admin's
navigation), the dashboard's blocks (drafts to finish, comments waiting, the week's views, the
last notifications), the reason a comment is held for every rule, editing a comment, and the
bulk form's "apply to all on this page"."""
import os
import re
import sqlite3
import time

from quiretest import Stack, SmtpSink, ok, eq, contains, lacks, done

sink = SmtpSink(os.path.join(os.environ.get("TMPDIR", "/tmp"), "quire-admin-ui-%d" % os.getpid())).start()
MAIL = "[mail]\nsmtp_url = smtp://127.0.0.1:%d\nfrom = blog@example.org\nstarttls = no\n" % sink.port
s = Stack("admin_ui", config=MAIL + "[comments]\nmin_seconds = 0\nrate_limit = 0\nmax_links = 2\n"
          "disallowed_words = casino, cheap pills\n")
s.user("Ada Lovelace", "ada@example.org")
s.import_post({"title": "Talk to me", "slug": "talk", "date": "2026-01-01", "author": "Ada Lovelace"})
for i in range(7):
    s.import_post({"title": "Draft number %d" % i, "slug": "draft-%d" % i, "date": "2026-01-0%d" % (i + 2),
                   "draft": "true", "author": "Ada Lovelace"})
s.start()
db = sqlite3.connect(s.db, isolation_level=None)
jar, csrf = s.login("Ada Lovelace")


def q(sql, *args):
    return db.execute(sql, args).fetchone()[0]


def token(slug="talk"):
    m = re.search(r'name="token" value="([^"]+)"', s.get("/posts/" + slug).body)
    return m.group(1) if m else ""


def comment(**fields):
    data = {"author": "Reader", "email": "reader@example.org", "url": "", "comment": "Nice post.", "token": token()}
    data.update(fields)
    return s.post("/posts/talk/comments", data)


def newest():
    return q("SELECT max(id) FROM comments")


def held(cid):
    return db.execute("SELECT status, held_reason, held_detail FROM comments WHERE id = ?", (cid,)).fetchone()


# --- layout: the admin's own, on every admin page; the reader's on reader pages
READER_MARKS = ('class="site-header"', 'role="search"', 'class="subscribe-box"', 'action="/subscribe"')
admin_pages = ["/admin/", "/admin/posts", "/admin/posts/new", "/admin/comments", "/admin/subscribers",
               "/admin/stats", "/admin/comments?status=spam"]
for path in admin_pages:
    r = s.get(path, jar=jar)
    eq(r.status, 200, path + " answers")
    contains(r.body, 'class="admin-nav"', path + " has the admin navigation")
    contains(r.body, "/static/admin.css", path + " links admin.css")
    for mark in READER_MARKS:
        lacks(r.body, mark, "%s has no reader %s" % (path, mark))
login = s.get("/admin/login")
contains(login.body, "/static/admin.css", "the login page is in the admin layout")
lacks(login.body, 'class="admin-nav"', "the login page has no navigation")
for mark in READER_MARKS:
    lacks(login.body, mark, "the login page has no reader " + mark)
missing = s.get("/admin/no-such-page", jar=jar)
eq(missing.status, 404, "an unknown admin page is 404")
lacks(missing.body, 'class="subscribe-box"', "an admin 404 has no subscribe box")
for path in ("/", "/posts/talk", "/search?q=talk"):
    r = s.get(path)
    contains(r.body, 'class="site-header"', path + " keeps the reader header")
    contains(r.body, 'role="search"', path + " keeps the search box")
    lacks(r.body, "admin.css", path + " does not link the admin stylesheet")
contains(s.get("/").body, 'class="subscribe-box"', "the home page keeps the subscribe box")
nav = s.get("/admin/", jar=jar).body
for href, label in (("/admin/", "Dashboard"), ("/admin/posts", "Posts"), ("/admin/posts/new", "New post"),
                    ("/admin/comments", "Comments"), ("/admin/media", "Media"), ("/admin/subscribers", "Subscribers"),
                    ("/admin/stats", "Statistics"), ("/admin/users", "Users"), ("/admin/settings", "Settings"),
                    ("/admin/profile", "Ada Lovelace"), ("/", "View site")):
    ok(re.search(r'<a href="%s"[^>]*>%s' % (re.escape(href), re.escape(label)), nav), "nav links %s to %s" % (label, href))
contains(nav, 'action="/admin/logout"', "nav has the log out form")
for path, key in (("/admin/", "dashboard"), ("/admin/posts", "posts"), ("/admin/posts/new", "new"),
                  ("/admin/comments?status=spam", "comments"), ("/admin/stats", "stats")):
    cur = re.findall(r'id="nav-([a-z]+)" aria-current="page"', s.get(path, jar=jar).body)
    eq(cur, [key], path + " marks its own navigation entry as the current page")
ok(re.search(r'<script src="/static/admin\.js\?v=[0-9a-f]+" defer></script>', nav), "admin.js is linked, versioned")
eq(s.get("/static/admin.js").status, 200, "admin.js is served")
eq(s.get("/static/admin.css").status, 200, "admin.css is served")
lacks(nav, "<style", "no inline style (CSP)")
lacks(re.sub(r"<script src=[^>]*></script>", "", nav), "<script", "no inline script (CSP)")

# --- held reasons, one per rule (moderation = first)
r = comment(comment="My very first words here.", notify="1")
c_first = newest()
eq(held(c_first), ("pending", "first", ""), "a first comment from an address is held as 'first'")
r = comment(email="links@example.org", comment="See https://a.example/ and https://b.example/ and https://c.example/")
c_links = newest()
eq(held(c_links), ("pending", "links", "3 links, more than 2"), "too many links: 'links' with the count")
r = comment(email="word@example.org", comment="Visit my Casino tonight.")
c_word = newest()
eq(held(c_word), ("pending", "word", "casino"), "a disallowed word: 'word' and which one")
r = comment(email="word2@example.org", author="Cheap Pills Seller", comment="Hello there.")
eq(held(newest())[1:], ("word", "cheap pills"), "a disallowed word in the name is named too")
r = comment(email="dup@example.org", comment="My very first words here.")
eq(held(newest())[1], "duplicate", "the same text again: 'duplicate'")
# approve the first one: the address is known, but this browser carries no commenter proof
s.post("/admin/comments/%d" % c_first, {"csrf": csrf, "action": "approve"}, jar=jar)
eq(q("SELECT status FROM comments WHERE id = ?", c_first), "approved", "approved by the moderator")
db.execute("UPDATE subscribers SET status = 'confirmed' WHERE email = 'reader@example.org'")  # as from the mail's link
r = comment(comment="Back again, from another browser.")
eq(held(newest())[1], "proof", "a known address without the browser's proof: 'proof'")
s.post("/admin/comments/%d" % c_first, {"csrf": csrf, "action": "unapprove"}, jar=jar)
eq(held(c_first), ("pending", "moderator", ""), "unapproved by a moderator: 'moderator'")
comment(email="new@example.org", comment="Hello, new here.")
eq(held(newest())[1], "first", "another first comment")
page = s.get("/admin/comments?status=pending", jar=jar).body
contains(page, "Held: 3 links, more than 2", "the list says why: links")
contains(page, "Held: the disallowed word \u201ccasino\u201d", "the list names the word")
contains(page, "Held: first comment from this address", "the list says: first comment")
contains(page, "Held: the same text was posted before", "the list says: duplicate")
contains(page, "Held: sent back to moderation by a moderator", "the list says: a moderator")
contains(page, '<details class="reply-details" id="reply-details-%d"><summary>Reply</summary>' % c_links,
         "the reply box is opened on demand")
contains(page, 'data-select-all="ids"', "the list has a select-all checkbox")
contains(page, 'name="all_on_page"', "no-JS fallback: apply to all on this page")
contains(page, 'href="/admin/comments/%d/edit?back=pending"' % c_links, "each comment links to its edit page")
s.restart(config=MAIL + "[comments]\nmin_seconds = 0\nrate_limit = 0\nmoderation = all\n")
comment(email="someone@example.org", comment="Everything is moderated here.")
eq(held(newest())[1], "all", "moderation of every comment: 'all'")
s.restart(config=MAIL + "[comments]\nmin_seconds = 0\nrate_limit = 0\nmoderation = none\n")
comment(email="free@example.org", comment="Straight through.")
eq(held(newest()), ("approved", "", ""), "an approved comment has no held reason")

# --- the moderation mail says why, when the mail has room
def moderation_texts():
    out = []
    for m in sink.messages("ada@example.org"):
        part = m.get_body(preferencelist=("plain",))
        out.append(part.get_content() if part else "")
    return " ".join(" ".join(out).split())  # lines are wrapped: compare words


deadline = time.time() + 20
while "more than 2" not in moderation_texts() and time.time() < deadline:
    time.sleep(0.2)
contains(moderation_texts(), "awaits moderation (Held: 3 links, more than 2):", "the moderation mail says why it is held")

# --- edit a comment
e = s.get("/admin/comments/%d/edit?back=pending" % c_word, jar=jar)
eq(e.status, 200, "the edit page answers")
for field in ('name="author"', 'name="email"', 'name="url"', 'name="comment"', 'name="csrf"'):
    contains(e.body, field, "the edit form has " + field)
contains(e.body, "Visit my Casino tonight.", "the edit form holds the text as typed")
eq(s.post("/admin/comments/%d/edit" % c_word, {"author": "X", "email": "x@example.org", "comment": "y"}, jar=jar).status,
   403, "an edit without CSRF is refused")
bad = s.post("/admin/comments/%d/edit" % c_word, {"csrf": csrf, "author": "X", "email": "not an address",
                                                     "url": "", "comment": "Kept text", "back": "pending"}, jar=jar)
eq(bad.status, 422, "a bad address is refused")
contains(bad.body, "Kept text", "the typed text comes back")
contains(bad.body, 'aria-invalid="true"', "the field is marked")
r = s.post("/admin/comments/%d/edit" % c_word, {"csrf": csrf, "author": "Edited Name", "email": "edited@example.org",
                                                   "url": "https://edited.example/", "back": "pending",
                                                   "comment": "Rewritten with **bold** and <script>x</script>."},
           jar=jar)
ok(r.status == 303 and "done=edit" in (r.header("location") or ""), "the edit saves and goes back", r.header("location"))
row = db.execute("SELECT author_name, author_email, author_url, body, body_html, status FROM comments WHERE id = ?",
                 (c_word,)).fetchone()
eq(row[:3], ("Edited Name", "edited@example.org", "https://edited.example/"), "name, email and website saved")
contains(row[4], "<strong>bold</strong>", "the text is rendered as readers' comments are")
lacks(row[4], "<script>", "and sanitised as they are")
eq(row[5], "pending", "editing keeps the status")
contains(s.logs(), "action=comment-edit comment=%d" % c_word, "the edit is in the audit log")
s.post("/admin/comments/%d" % c_word, {"csrf": csrf, "action": "approve"}, jar=jar)
art = s.get("/posts/talk").body
contains(art, "Edited Name", "the article shows the new name")
contains(art, "<strong>bold</strong>", "the article shows the new text")
eq(s.get("/admin/comments/999999/edit", jar=jar).status, 404, "editing no comment is 404")
eq(s.get("/admin/comments/%d/edit" % c_word).status, 303, "the edit page needs a login")

# --- dashboard
db.execute("UPDATE posts SET updated_at = 1000 + id WHERE status = 'draft'")
for i, (state, rcpt, err) in enumerate((("sent", "s1@example.org", ""), ("sent", "s2@example.org", ""),
                                         ("failed", "f1@example.org", "550 mailbox unavailable"),
                                         ("queued", "q1@example.org", ""))):
    # sent later than any real mail of this test; the queued one never due
    db.execute("INSERT INTO outbox(recipient, kind, payload, state, next_attempt, created_at, last_error, sent_at) "
               "VALUES(?, 'post', '', ?, ?, ?, ?, ?)", (rcpt, state, 1 << 40, 2000 + i, err,
                                                      int(time.time()) + 1000 + i if state == "sent" else None))
dash = s.get("/admin/", jar=jar).body
block = lambda name: (re.search(r'<section class="dash-block[^"]*" id="%s".*?</section>' % name, dash, re.S) or
                      re.search("x", "x")).group(0)
drafts = block("dash-drafts")
titles = re.findall(r'<a href="/admin/posts/\d+/edit">([^<]+)</a>', drafts)
eq(titles, ["Draft number %d" % i for i in (6, 5, 4, 3, 2)], "the newest 5 drafts, last edited first")
contains(drafts, "last edited 1970-01-01 00:", "each draft says when it was last edited")
waiting = block("dash-comments")
wait_ids = [int(x) for x in re.findall(r'id="dash-comment-(\d+)"', waiting)]
want = [x[0] for x in db.execute("SELECT id FROM comments WHERE status = 'pending' ORDER BY created_at DESC, id DESC LIMIT 5")]
eq(wait_ids, want, "the newest 5 comments waiting")
contains(waiting, '<p class="excerpt">Everything is moderated here.</p>', "a comment's first line")
contains(waiting, "Held: every comment is moderated", "the dashboard says why it is held")
contains(waiting, 'action="/admin/comments/%d"' % wait_ids[0], "approve/spam post to the action route")
contains(waiting, 'value="approve"', "an approve button")
contains(waiting, 'value="spam"', "a spam button")
r = s.post("/admin/comments/%d" % wait_ids[-1], {"csrf": csrf, "action": "spam", "back": "dashboard"}, jar=jar)
ok(r.status == 303 and r.header("location") == "/admin/#dash-comments", "the dashboard's buttons come back to it",
   (r.status, r.header("location")))
eq(q("SELECT status FROM comments WHERE id = ?", wait_ids[-1]), "spam", "spam from the dashboard")
long_body = "A" * 300 + "\nsecond line"
comment(email="long@example.org", comment=long_body)  # moderation = none: approved, so send it back
lid = newest()
s.post("/admin/comments/%d" % lid, {"csrf": csrf, "action": "unapprove"}, jar=jar)
waiting = block_again = re.search(r'id="dash-comment-%d".*?</li>' % lid, s.get("/admin/", jar=jar).body, re.S).group(0)
contains(waiting, "A" * 120 + "\u2026", "a long first line is cut at 120 characters")
lacks(waiting, "A" * 121, "and not longer")
lacks(waiting, "second line", "only the first line")
dash = s.get("/admin/", jar=jar).body
views = block("dash-views")
contains(views, '<svg class="chart"', "the week's views as the SVG chart")
eq(len(re.findall(r'<rect class="bar"', views)), 7, "seven days of bars")
mails = block("dash-mails")
contains(mails, "f1@example.org", "a failed mail is listed")
contains(mails, "550 mailbox unavailable", "with its error")
contains(mails, "s1@example.org", "sent mails are listed")
lacks(mails, "q1@example.org", "a queued mail is not a notification yet")
ok(mails.find("f1@example.org") < mails.find("s2@example.org") < mails.find("s1@example.org"),
   "failed first, then the newest sent")
contains(mails, 'action="/admin/outbox/retry"', "the retry button")
for n in ("count-posts", "count-drafts", "count-scheduled", "count-comments", "count-subscribers"):
    contains(dash, 'id="%s"' % n, "the dashboard keeps " + n)
r = s.post("/admin/outbox/retry", {"csrf": csrf}, jar=jar)
ok(q("SELECT state FROM outbox WHERE recipient = 'f1@example.org'") != "failed", "retry queues the failed mail again")
nav = s.get("/admin/posts", jar=jar).body
pending = q("SELECT count(*) FROM comments WHERE status = 'pending'")
ok(re.search(r'Comments <span class="nav-count"[^>]*>.*?%d' % pending, nav), "the nav shows the comments waiting", pending)

# --- bulk: apply to all on this page (no script)
before = q("SELECT count(*) FROM comments WHERE status = 'pending'")
ok(before > 1, "several comments wait", before)
page = s.get("/admin/comments?status=pending", jar=jar).body
ids = re.findall(r'name="page_ids" value="(\d+)"', page)
eq(len(ids), before, "the page lists every id on it")
body = "csrf=%s&back=pending&bulk_action=approve&all_on_page=1&" % csrf + "&".join("page_ids=" + i for i in ids)
r = s.get("/admin/comments", method="POST", data=body, jar=jar,
          headers={"Content-Type": "application/x-www-form-urlencoded"})
eq(r.status, 303, "bulk approve of the page")
eq(q("SELECT count(*) FROM comments WHERE status = 'pending'"), 0, "every comment on the page is approved")
body = "csrf=%s&back=approved&bulk_action=unapprove&" % csrf + "&".join("page_ids=" + i for i in ids)
r = s.get("/admin/comments", method="POST", data=body, jar=jar,
          headers={"Content-Type": "application/x-www-form-urlencoded"})
eq(q("SELECT count(*) FROM comments WHERE status = 'pending'"), 0, "without the box, page_ids alone change nothing")
contains(r.header("location") or "", "done=nothing", "and the page says nothing was selected")

done()
