"""comments: the reader's "Leave a Reply" through nginx, threads, pages, feeds, moderation in the
admin, bad input, and a list of XSS payloads in every field that must render inert."""
import html.parser
import json
import os
import re
import sqlite3
import threading
import time
import xml.etree.ElementTree as ET

from quiretest import Stack, ok, eq, contains, lacks, done

s = Stack("comments", config="[comments]\nmin_seconds = 0\nrate_limit = 0\n")
s.user("Ada Lovelace", "ada@example.org")
s.import_post({"title": "Talk to me", "slug": "talk", "date": "2026-01-01", "author": "Ada Lovelace"})
s.import_post({"title": "Another post", "slug": "another", "date": "2026-01-02", "author": "Ada Lovelace"})
s.import_post({"title": "A draft", "slug": "draft", "date": "2026-01-03", "draft": "true"})
s.start()
db = sqlite3.connect(s.db)
jar, csrf = s.login("Ada Lovelace")


def q(sql, *args):
    return db.execute(sql, args).fetchone()[0]


def token(slug="talk", query=""):
    r = s.get("/posts/%s%s" % (slug, query))
    m = re.search(r'name="token" value="([^"]+)"', r.body)
    return m.group(1) if m else ""


def comment(slug="talk", jar=None, **fields):
    data = {"author": "Reader", "email": "reader@example.org", "url": "", "comment": "Nice post.",
            "token": token(slug if slug in ("talk", "another") else "talk")}
    data.update(fields)
    return s.post("/posts/%s/comments" % slug, {k: v for k, v in data.items() if v is not None}, jar=jar)


def confirm(email):
    """Confirms email as its owner would, from the link in the mail (the mail is not sent here:
    the token is read from the outbox); returns (response, cookie jar)."""
    tok = q("SELECT payload FROM outbox WHERE kind IN ('confirm', 'confirm_reply') AND recipient = ? "
            "ORDER BY id DESC LIMIT 1", email)
    cjar = os.path.join(s.dir, "jar-" + email)
    return s.post("/subscribe/confirm", {"token": tok}, jar=cjar), cjar


def approved(r):
    return r.status == 303 and "unapproved" not in (r.header("location") or "") and "#comment-" in r.header("location")


# --- the empty state and the form
r = s.get("/posts/talk")
contains(r.body, "No responses yet", "no comments: 'No responses yet'")
contains(r.body, "Leave a Reply", "the form is titled 'Leave a Reply'")
contains(r.body, "Your email address will not be published. Required fields are marked", "the notes above the form")
for field in ('name="author"', 'name="email"', 'name="url"', 'name="comment"', 'name="notify"', 'name="leave_empty"'):
    contains(r.body, field, "the form has " + field)
t1, t2 = token(), token()
eq(s.get("/posts/talk").header("etag"), s.get("/posts/talk").header("etag"), "the form token does not break the ETag")
r0 = s.get("/posts/talk")
eq(s.get("/posts/talk", headers={"If-None-Match": r0.header("etag")}).status, 304, "the article with a form still answers 304")

# --- held, then approved
r = comment(comment="My *first* comment, see https://example.org/page.", notify="1")
ok(r.status == 303 and "unapproved=" in (r.header("location") or ""), "a first comment is held (redirect with a moderation hash)",
   (r.status, r.header("location")))
cid = q("SELECT max(id) FROM comments")
eq(q("SELECT status FROM comments WHERE id = ?", cid), "pending", "stored as pending")
eq(q("SELECT notify FROM comments WHERE id = ?", cid), 1, "'notify me' is stored")
held = s.get(r.header("location").split("#")[0])
contains(held.body, "Your comment is awaiting moderation", "its author sees the moderation notice")
contains(held.body, 'id="comment-%d"' % cid, "and the held comment")
eq(held.header("cache-control"), "no-store", "that page is not cacheable")
lacks(s.get("/posts/talk").body, 'id="comment-%d"' % cid, "other readers do not see a held comment")
bad_hash = re.sub(r"moderation-hash=[0-9a-f]+", "moderation-hash=" + "0" * 32, r.header("location").split("#")[0])
lacks(s.get(bad_hash).body, 'id="comment-%d"' % cid, "a wrong moderation hash shows nothing")
r = s.get("/admin/", jar=jar)
ok(re.search(r'id="count-comments">1<', r.body), "the dashboard counts 1 comment waiting")
r = s.get("/admin/comments", jar=jar)
contains(r.body, "reader@example.org", "the admin sees the email")
contains(r.body, "127.0.0.1", "and the IP")
contains(r.body, "Talk to me", "and the post title")
ok(re.search(r'id="tab-pending"[^>]*>Pending \(<span class="count">1</span>\)', r.body), "the Pending tab counts 1")
r = s.post("/admin/comments/%d" % cid, {"csrf": csrf, "action": "approve", "back": "pending"}, jar=jar)
eq(r.status, 303, "approve")
r = s.get("/posts/talk")
contains(r.body, 'id="comment-%d"' % cid, "the approved comment shows")
contains(r.body, "1 Response", "the count says 1 Response")
contains(s.get("/").body, "1 Response", "and so does the home page")
contains(r.body, '<a rel="nofollow ugc" href="https://example.org/page">https://example.org/page</a>', "a bare URL is linked, nofollow ugc")
contains(r.body, "<em>first</em>", "Markdown in comments")
lacks(r.body, "reader@example.org", "the email is never shown")
ok(re.search(r'id="comment-%d".*?<svg class="identicon"' % cid, r.body, re.S), "each comment has an identicon")

# --- a returning commenter is approved at once, but only with proof that they own the address:
# the cookie set when they confirmed it from the mail; typing a known address is not enough
r = comment(comment="Unconfirmed return.")
ok("unapproved=" in (r.header("location") or ""), "a returning commenter whose address is not confirmed is held")
db.execute("DELETE FROM comments WHERE body = 'Unconfirmed return.'")
db.commit()
r, reader_jar = confirm("reader@example.org")
eq(q("SELECT count(*) FROM subscribers WHERE email = 'reader@example.org' AND status = 'confirmed'"), 1,
   "ticking 'notify me' made a subscriber row, confirmed from the mail's link")
cookies = [v for k, v in r.all_headers if k == "set-cookie"]
ok(len(cookies) == 1 and cookies[0].startswith("quire_commenter="), "confirming sets one cookie, the commenter's proof", cookies)
for attr in ("HttpOnly", "SameSite=Lax", "Path=/posts", "Max-Age="):
    contains(cookies[0] if cookies else "", attr, "the proof cookie has " + attr)
lacks(cookies[0] if cookies else "", "reader", "the cookie does not hold the address")
r = comment(comment="Back without proof.")
ok("unapproved=" in (r.header("location") or ""), "a known, confirmed address typed without the proof: held")
r = comment(jar=reader_jar, comment="Back again.")
ok(approved(r), "with the proof from confirming, a returning commenter is approved at once", r.header("location"))
r = comment(jar=reader_jar, email="READER@example.org", comment="Back in capitals.")
ok(approved(r), "the proof holds whatever the case of the address", r.header("location"))
proof = re.search(r"quire_commenter=([^;]+)", cookies[0]).group(1) if cookies else "0" * 75
forged_jar = os.path.join(s.dir, "jar-forged")


def with_cookie(value, body, email="reader@example.org"):
    with open(forged_jar, "w") as f:
        f.write("127.0.0.1\tFALSE\t/posts\tFALSE\t0\tquire_commenter\t%s\n" % value)
    return comment(jar=forged_jar, email=email, comment=body)


altered = proof[:-1] + ("0" if proof[-1] != "0" else "1")
ok("unapproved=" in (with_cookie(altered, "Forged 1.").header("location") or ""), "an altered proof: held")
later = str(int(proof[:10]) + 86400).zfill(10) + proof[10:]
ok("unapproved=" in (with_cookie(later, "Forged 2.").header("location") or ""), "a proof with its expiry moved: held")
ok("unapproved=" in (with_cookie("garbage", "Forged 3.").header("location") or ""), "a malformed proof: held")
r = with_cookie(proof, "Someone else's address.", email="replier@example.org")
ok("unapproved=" in (r.header("location") or ""), "a proof for one address does not approve another")
contains(open(os.path.join(s.dir, "quire.log")).read(), "known address without a valid proof, held",
         "held for want of proof is logged")
db.execute("DELETE FROM comments WHERE body LIKE 'Forged %' OR body IN ('Back without proof.', 'Back in capitals.', "
           "'Someone else''s address.')")
db.commit()
contains(s.get("/posts/talk").body, "2 Responses", "2 Responses")
r = s.get("/posts/talk", jar=reader_jar)
ok(not [v for k, v in r.all_headers if k == "set-cookie"], "reader pages still set no cookie")

# --- threads
r = comment(author="Replier", email="replier@example.org", comment="A reply.", parent=str(cid))
rid = q("SELECT max(id) FROM comments")
eq(q("SELECT parent_id FROM comments WHERE id = ?", rid), cid, "a reply stores its parent")
s.post("/admin/comments/%d" % rid, {"csrf": csrf, "action": "approve"}, jar=jar)
s.post("/subscribe", {"email": "replier@example.org"})
r, replier_jar = confirm("replier@example.org")
eq(r.status, 200, "the replier confirms their address")
r = s.get("/posts/talk")
ok(re.search(r'id="comment-%d".*?<ol class="children">\s*<li id="comment-%d"' % (cid, rid), r.body, re.S),
   "the reply is nested under its parent")
contains(r.body, "?replytocom=%d#respond" % cid, "each comment has a Reply link")
r = s.get("/posts/talk?replytocom=%d" % cid)
contains(r.body, "Leave a Reply to Reader", "the reply link names who is answered")
contains(r.body, 'name="parent" value="%d"' % cid, "and fills the parent")
parent = rid
for i in range(6):
    r = comment(author="Replier", email="replier@example.org", comment="Deeper %d." % i, parent=str(parent),
                jar=replier_jar)
    parent = q("SELECT max(id) FROM comments")
r = s.get("/posts/talk")
ok("depth-5" in r.body and "depth-6" not in r.body, "threads nest at most 5 levels")
other = comment("another", author="X", email="x@example.org", comment="Elsewhere.")
r = comment(comment="Cross-post reply.", parent=str(q("SELECT max(id) FROM comments")))
eq(r.status, 422, "a reply to a comment on another post is refused")
pend = comment(author="New", email="new@example.org", comment="Pending one.")
pid = q("SELECT max(id) FROM comments")
r = comment(comment="Reply to pending.", parent=str(pid))
eq(r.status, 422, "a reply to a comment that is not approved is refused")

# a thread deeper than five levels (as an import can bring) is shown five levels deep
last = q("SELECT max(id) FROM comments")
for i in range(40):
    db.execute("INSERT INTO comments(post_id, parent_id, author_name, author_email, body, body_html, status, created_at) "
               "VALUES ((SELECT id FROM posts WHERE slug = 'talk'), ?, 'Deep', 'deep@example.org', ?, ?, 'approved', ?)",
               (last, "deep %d" % i, "<p>deep %d</p>" % i, 1800000000 + i))
    last = db.execute("SELECT last_insert_rowid()").fetchone()[0]
db.commit()
r = s.get("/posts/talk")
ok(r.status == 200 and "<p>deep 39</p>" in r.body and "depth-6" not in r.body, "a 40-deep imported thread renders, capped at 5")
db.execute("DELETE FROM comments WHERE author_name = 'Deep'")
db.commit()

# --- bad input
n = q("SELECT count(*) FROM comments")
r = comment(author="", email="", comment="")
ok(r.status == 422 and 'id="author-error"' in r.body and 'id="email-error"' in r.body and 'id="comment-error"' in r.body,
   "missing fields: 422, each marked")
r = comment(author="Kept Name", email="not-an-email", comment="Kept body")
ok(r.status == 422 and 'value="Kept Name"' in r.body and "Kept body</textarea>" in r.body, "the input is kept")
r = comment(url="javascript:alert(1)")
ok(r.status == 422 and 'id="url-error"' in r.body, "a javascript: website is refused")
r = comment(author="n" * 101)
ok(r.status == 422 and 'id="author-error"' in r.body, "a name over 100 characters")
r = comment(email="a" * 250 + "@x.org")
ok(r.status == 422 and 'id="email-error"' in r.body, "an email over 254 characters")
r = comment(url="https://x.org/" + "a" * 500)
eq(r.status, 422, "a website over 500 characters")
r = comment(comment="c" * 10001)
ok(r.status == 422 and 'id="comment-error"' in r.body, "a comment over 10,000 characters")
r = s.post("/posts/talk/comments", "author=Caf%%E9&email=a%%40b.org&comment=x&token=%s" % token())
ok(r.status == 422 and "UTF-8" in r.body, "invalid UTF-8: 422")
eq(comment("draft").status, 404, "a comment on a draft: 404")
eq(comment("nope").status, 404, "a comment on no post: 404")
eq(q("SELECT count(*) FROM comments"), n, "nothing stored from bad input")
db.execute("UPDATE posts SET comments_closed = 1 WHERE slug = 'another'")
db.commit()
r = s.get("/posts/another")
ok("Comments are closed." in r.body and 'id="commentform"' not in r.body, "a closed post shows no form")
eq(comment("another", token=token("talk")).status, 403, "and refuses comments")

# --- comment Markdown: images as links, no raw HTML
r = comment(comment="![pic](https://example.org/x.png) and [a link](https://example.org/) <b>raw</b>", jar=reader_jar)
html_ = s.get("/posts/talk").body
lacks(html_, '<img src="https://example.org/x.png"', "an image in a comment is never an <img>")
contains(html_, '<a rel="nofollow ugc" href="https://example.org/x.png">pic</a>', "it becomes a link")
contains(html_, '<a rel="nofollow ugc" href="https://example.org/">a link</a>', "links are nofollow ugc")
lacks(html_, "<b>raw</b>", "raw HTML is dropped")

# --- website link
comment(author="Site Owner", email="reader@example.org", url="https://owner.example/", comment="With a site.", jar=reader_jar)
contains(s.get("/posts/talk").body, '<a href="https://owner.example/" rel="nofollow ugc noopener" class="url">Site Owner</a>',
         "the name links to the website, nofollow ugc noopener")

# --- feeds
A = "{http://www.w3.org/2005/Atom}"
for path in ("/posts/talk/comments.atom", "/comments.atom"):
    r = s.get(path)
    try:
        feed = ET.fromstring(r.raw)
    except ET.ParseError as e:
        feed = None
    ok(r.status == 200 and feed is not None, path + " parses")
    if feed is not None:
        entries = feed.findall(A + "entry")
        ok(len(entries) > 3, path + " lists approved comments")
        ok(all(e.find(A + "id") is not None and e.find(A + "updated") is not None for e in entries), path + " entries are complete")
        lacks(r.body, "Pending one.", path + " leaves out held comments")
        lacks(r.body, "@example.org", path + " shows no email")

# --- admin moderation actions
def admin_act(cid, action):
    return s.post("/admin/comments/%d" % cid, {"csrf": csrf, "action": action}, jar=jar)


target = q("SELECT id FROM comments WHERE body = 'Back again.'")
admin_act(target, "spam")
eq(q("SELECT status FROM comments WHERE id = ?", target), "spam", "mark as spam")
lacks(s.get("/posts/talk").body, 'id="comment-%d"' % target, "spam is hidden from readers")
admin_act(target, "trash")
eq(q("SELECT status FROM comments WHERE id = ?", target), "trash", "move to trash")
admin_act(target, "unapprove")
eq(q("SELECT status FROM comments WHERE id = ?", target), "pending", "unapprove")
admin_act(target, "delete")
eq(q("SELECT count(*) FROM comments WHERE id = ?", target), 0, "delete forever")
eq(s.post("/admin/comments/%d" % pid, {"action": "approve"}, jar=jar).status, 403, "moderation without CSRF is refused")
ids = [str(x[0]) for x in db.execute("SELECT id FROM comments WHERE status = 'pending'")]
body = "csrf=%s&bulk_action=approve&" % csrf + "&".join("ids=" + i for i in ids)
r = s.post("/admin/comments", body, jar=jar)
eq(q("SELECT count(*) FROM comments WHERE status = 'pending'"), 0, "bulk approve of %d comments" % len(ids))
r = s.post("/admin/comments/%d/reply" % cid, {"csrf": csrf, "body": "Thanks, from the *author*."}, jar=jar)
reply = q("SELECT max(id) FROM comments")
ok(r.status == 303 and q("SELECT status FROM comments WHERE id = ?", reply) == "approved", "the admin's reply is published at once")
eq(q("SELECT parent_id FROM comments WHERE id = ?", reply), cid, "as a reply")
contains(s.get("/posts/talk").body, "Thanks, from the <em>author</em>.", "readers see it")

# --- pages of comments: newest page last
for i in range(120):
    db.execute("INSERT INTO comments(post_id, author_name, author_email, body, body_html, status, created_at) "
               "VALUES ((SELECT id FROM posts WHERE slug='another'), 'Bulk', 'bulk@example.org', ?, ?, 'approved', ?)",
               ("bulk %d" % i, "<p>bulk %d</p>" % i, 1767300000 + i))
db.commit()
r = s.get("/posts/another")
ok("<p>bulk 119</p>" in r.body and "<p>bulk 69</p>" not in r.body, "the article shows the newest page of comments")
contains(r.body, "/posts/another/comment-page/2#comments", "with a link to older comments")
r = s.get("/posts/another/comment-page/1")
ok(r.status == 200 and "<p>bulk 0</p>" in r.body and "<p>bulk 50</p>" not in r.body, "page 1 holds the oldest 50")
eq(s.get("/posts/another/comment-page/9").status, 404, "a comment page past the end is 404")
contains(r.body, "121 Responses", "the count covers every page (120 + 1)")

# --- the admin closes and reopens comments from the editor
tid = q("SELECT id FROM posts WHERE slug = 'talk'")
base = {"csrf": csrf, "title": "Talk to me", "slug": "talk", "body": "Some text.", "action": "publish",
        "has_comment_box": "1"}
s.post("/admin/posts/%d" % tid, base, jar=jar)
ok("Comments are closed." in s.get("/posts/talk").body and comment().status == 403, "unticking 'Allow comments' closes them")
s.post("/admin/posts/%d" % tid, dict(base, allow_comments="1"), jar=jar)
ok('id="commentform"' in s.get("/posts/talk").body, "ticking it opens them again")

# --- one form, one comment: a form token posts once; every refusal gives a form that works


def form_token(body):
    m = re.search(r'name="token" value="([^"]+)"', body)
    return m.group(1) if m else ""


t = token()
eq(comment(comment="Only once.", token=t).status, 303, "a form posts its comment")
r = comment(author="Twice", comment="Sent again with the same form.", token=t)
eq(r.status, 409, "the same form token a second time: 409")
contains(r.body, "This form was sent already", "which says so")
ok('value="Twice"' in r.body and "Sent again with the same form.</textarea>" in r.body, "and keeps what was typed")
t2 = form_token(r.body)
ok(t2 and t2 != t, "with a fresh form token")
eq(q("SELECT count(*) FROM comments WHERE body = 'Only once.'"), 1, "the first comment is stored once")
eq(q("SELECT count(*) FROM comments WHERE body = 'Sent again with the same form.'"), 0, "the second is not stored")
ok(q("SELECT coalesce(sum(count), 0) FROM comment_refusals WHERE reason = 'token-used'") >= 1, "and is counted as refused")
eq(comment(author="Twice", comment="Sent again with the same form.", token=t2).status, 303,
   "the form shown with the refusal sends the comment")
r = comment(email="not-an-email", comment="Fix my address.")
eq(r.status, 422, "a validation error")
eq(comment(comment="Fix my address.", token=form_token(r.body)).status, 303,
   "the form shown with a validation error sends the corrected comment")
t = token()
results = []
lock = threading.Lock()


def racer(i):
    st = comment(author="Racer %d" % i, comment="Race %d." % i, token=t).status
    with lock:
        results.append(st)


racers = [threading.Thread(target=racer, args=(i,)) for i in range(8)]
for th in racers:
    th.start()
for th in racers:
    th.join()
ok(sorted(results) == [303] + [409] * 7, "8 POSTs at once with one token: exactly one accepted", results)
eq(q("SELECT count(*) FROM comments WHERE body LIKE 'Race %'"), 1, "exactly one stored")
eq(q("SELECT count(*) FROM form_tokens WHERE expires_at < strftime('%s','now')"), 0, "no expired token is kept")

# --- XSS: payloads in every field render inert
PAYLOADS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>", "\"><script>alert(1)</script>",
    "'><img src=x onerror=alert(1)>", "<iframe src=javascript:alert(1)>", "<body onload=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>", "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))",
    "![x](javascript:alert(1))", "<style>*{display:none}</style>", "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<details open ontoggle=alert(1)>", "<input autofocus onfocus=alert(1)>", "<video><source onerror=alert(1)></video>",
    "javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "[x](data:text/html,<script>alert(1)</script>)",
    "\" onmouseover=\"alert(1)", "' onmouseover='alert(1)", "<object data=javascript:alert(1)>", "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>", "<meta http-equiv=refresh content=0;url=javascript:alert(1)>",
    "<link rel=stylesheet href=javascript:alert(1)>", "<base href=javascript:alert(1)//>", "<marquee onstart=alert(1)>",
    "<scr<script>ipt>alert(1)</script>", "%3Cscript%3Ealert(1)%3C/script%3E", "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<a href=\"&#106;avascript:alert(1)\">x</a>", "[x](&#106;avascript:alert(1))", "<![CDATA[<script>alert(1)</script>]]>",
    "<!--<script>alert(1)</script>-->", "`<script>alert(1)</script>`", "<x onclick=alert(1)>click</x>",
]


class Inert(html.parser.HTMLParser):
    """Collects anything in a page that could run script or load from elsewhere."""

    def __init__(self):
        super().__init__()
        self.bad = []
        self.ld = False

    def handle_data(self, data):
        if self.ld:
            self.ld = False
            try:
                json.loads(data)
            except ValueError:
                self.bad.append(("script", "application/ld+json", data[:200]))

    def handle_starttag(self, tag, attrs):
        # JSON-LD is a data block, never run: inert as long as it stays one valid JSON value
        if tag == "script" and attrs == [("type", "application/ld+json")]:
            self.ld = True
            return
        # the template's own scripts (static/comments.js on reader pages, static/admin.js in the
        # admin layout), never one a payload could have made
        if tag == "script" and len(attrs) == 2 and attrs[1] == ("defer", None) and attrs[0][0] == "src" and \
           re.fullmatch(r"/static/(comments|admin)\.js\?v=[0-9a-f]+", attrs[0][1] or ""):
            return
        # the admin's reply boxes opened on demand
        if tag == "details" and attrs[:1] == [("class", "reply-details")] and \
           re.fullmatch(r"reply-details-\d+", dict(attrs).get("id", "")) and len(attrs) == 2:
            return
        if tag in ("script", "iframe", "object", "embed", "style", "base", "meta", "form", "math", "video", "details", "marquee", "x"):
            if not (tag == "meta" and all(k in ("charset", "name", "content", "property") for k, _ in attrs)) and \
               not (tag == "form" and dict(attrs).get("action", "").startswith(("/posts/", "/admin/", "/subscribe", "/search"))):
                self.bad.append((tag, attrs))
        if tag == "svg" and dict(attrs).get("class") != "identicon":
            self.bad.append((tag, attrs))
        if tag == "img" and not dict(attrs).get("src", "").startswith("/"):
            self.bad.append((tag, attrs))
        for k, v in attrs:
            if k.startswith("on"):
                self.bad.append((tag, k, v))
            if k in ("href", "src", "action", "formaction", "xlink:href") and v and \
               re.match(r"\s*(javascript|data|vbscript):", v, re.I):
                self.bad.append((tag, k, v))


def inert(page):
    p = Inert()
    p.feed(page)
    return p.bad


x = Stack("xss", config="[comments]\nmin_seconds = 0\nrate_limit = 0\nmoderation = none\n")
x.import_post({"title": "XSS target", "slug": "xss", "date": "2026-01-01"})
x.start()
posted = 0
for i, p in enumerate(PAYLOADS):
    fields = [
        {"author": p[:100], "email": "x%d@example.org" % i, "url": "", "comment": "body %d %s" % (i, p)},
        {"author": "n%d" % i, "email": p, "url": "", "comment": "email field %d" % i},
        {"author": "u%d" % i, "email": "u%d@example.org" % i, "url": p[:500], "comment": "url field %d" % i},
    ]
    for f in fields:
        # each form token posts once: a fresh page for every submission
        f["token"] = re.search(r'name="token" value="([^"]+)"', x.get("/posts/xss").body).group(1)
        r = x.post("/posts/xss/comments", f)
        posted += r.status == 303
        bad = inert(r.body)
        ok(bad == [], "payload %d in %s: the answer (%d) is inert" % (i, [k for k in f if p[:20] in f[k]][:1], r.status), bad)
page = x.get("/posts/xss")
eq(inert(page.body), [], "the article with %d payload comments is inert" % posted)
ok(posted >= len(PAYLOADS), "every payload in name and body was stored and shown (%d)" % posted)
for path in ("/comments.atom", "/posts/xss/comments.atom"):
    r = x.get(path)
    try:
        ET.fromstring(r.raw)
        parsed = True
    except ET.ParseError:
        parsed = False
    ok(parsed, path + " still parses with the payloads")
x_jar, x_csrf = None, None
x.user("Admin", "admin@example.org")
x_jar, _ = x.login("Admin")
eq(inert(x.get("/admin/comments?status=approved", jar=x_jar).body), [], "the admin's comment list is inert too")
x.stop()
done()
