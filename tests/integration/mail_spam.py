"""mail_spam: every kind of mail quire sends, taken from a real SMTP server and scored by
SpamAssassin 4 (`spamassassin -L -t`, one process over one mbox): the subscription confirmation,
the new-post notification, the moderation mail, the reply notification and the editor's test
mail each score 0 or below, with the headers inboxes look for (List-Id, List-Unsubscribe,
List-Unsubscribe-Post on list mail; Message-ID, Date, encoded words, no raw 8-bit headers). The
one-click POST unsubscribes without any form token. The editor's "Don't email subscribers about
this post" (now, scheduled, and `notify: false` in front matter) queues nothing, and "Send a test
to me" mails the logged-in author alone, once per 30 s, without counting as the announcement."""
import datetime
import email
import email.policy
import os
import re
import shutil
import sqlite3
import subprocess
import time

from quiretest import Stack, SmtpSink, ok, eq, contains, lacks, done, run

TITLE = "Zoë's Café \u2014 notes"
mails = os.path.join(os.environ.get("TMPDIR", "/tmp"), "quire-mailspam-%d" % os.getpid())
sink = SmtpSink(mails).start()
s = Stack("mailspam", config="[site]\ntitle = %s\n[mail]\nsmtp_url = smtp://127.0.0.1:%d\nfrom = blog@example.org\n"
                             "retry_base = 1\nstarttls = no\n[comments]\nmin_seconds = 0\n" % (TITLE, sink.port))
s.user("Ada Lovelace", "ada@example.org")
s.import_post({"title": "Welcome aboard", "slug": "welcome", "date": "2026-01-01", "author": "Ada Lovelace"},
              body="The first post of this blog, about boats, tides and the harbour at dawn.\n")
s.start()
db = sqlite3.connect(s.db, isolation_level=None)
jar, csrf = s.login("Ada Lovelace")
raw_of = {}   # name -> raw bytes, for SpamAssassin


def q(sql, *args):
    return db.execute(sql, args).fetchone()[0]


def text_of(msg, kind="plain"):
    part = msg.get_body(preferencelist=(kind,))
    return part.get_content() if part else ""


def raw_files(rcpt):
    return sorted(os.path.join(mails, f) for f in os.listdir(mails) if f.endswith("-%s.eml" % rcpt))


def newest(rcpt, n, name):
    """Waits for the n-th mail to rcpt; keeps its raw bytes under name; returns it parsed."""
    msgs = sink.wait(rcpt, n)
    if not ok(len(msgs) >= n, "%s: mail %d to %s arrives" % (name, n, rcpt), [str(m["Subject"]) for m in msgs]):
        return None
    raw_of[name] = open(raw_files(rcpt)[n - 1], "rb").read()
    return email.message_from_bytes(raw_of[name], policy=email.policy.default)


def subscribe(addr, n):
    s.post("/subscribe", {"email": addr})
    m = newest(addr, n, "confirm")
    tok = re.search(r"/subscribe/confirm\?token=([A-Za-z0-9_-]+)", text_of(m)).group(1) if m else ""
    r = s.post("/subscribe/confirm", {"token": tok})
    ok(r.status == 200 and "You are subscribed" in r.body, "%s confirms" % addr)
    return m


def editor(fields, post_id=None):
    data = {"csrf": csrf, "body": "", "slug": ""}
    data.update(fields)
    return s.post("/admin/posts/%d" % post_id if post_id else "/admin/posts", data, jar=jar)


def post_id(slug):
    return q("SELECT id FROM posts WHERE slug = ?", slug)


def rows(kind, slug):
    return q("SELECT count(*) FROM outbox WHERE kind = ? AND ref_id = ?", kind, post_id(slug))


# === every kind of mail, for real
confirm = subscribe("alice@example.org", 1)
subscribe("bob@example.org", 1)
r = editor({"title": "A harbour at dawn", "slug": "harbour", "action": "publish",
            "body": "The boats wait for the tide.\n\n```c\nint main(void) { return 0; }\n```\n\n"
                    "Gulls circle over the quay while the light comes up over the water. " * 3})
eq(r.status, 303, "the author publishes a post")
notification = newest("alice@example.org", 2, "post")
bob_note = newest("bob@example.org", 2, "post (bob)")
tok = re.search(r'name="token" value="([^"]+)"', s.get("/posts/harbour").body).group(1)
s.post("/posts/harbour/comments", {"author": "Zoë Ünlü", "email": "alice@example.org", "notify": "1", "token": tok,
                                   "comment": "Lovely light in this one. Which harbour is it?"})
eq(q("SELECT status FROM comments ORDER BY id DESC LIMIT 1"), "pending", "a first comment is held")
moderation = newest("ada@example.org", 1, "moderation")
cid = q("SELECT max(id) FROM comments")
s.post("/admin/comments/%d/approve" % cid, {"csrf": csrf}, jar=jar)
s.post("/admin/comments/%d/reply" % cid, {"csrf": csrf, "body": "Thank you! It is the old harbour of Honfleur."},
       jar=jar)
reply = newest("alice@example.org", 3, "reply")

# === the editor's test mail: exactly one, to the author only
r = s.post("/admin/posts", {"title": "Forged test", "body": "x", "action": "test"}, jar=jar)
eq(r.status, 403, "a test without the CSRF token is refused")
eq(q("SELECT count(*) FROM outbox WHERE kind = 'test'"), 0, "and queues nothing")
r = editor({"title": "Tides and test mail", "slug": "tides", "body": "A draft about tides, tested first.",
            "action": "test"})
ok(r.status == 303 and "saved=test" in (r.header("location") or ""), "Send a test to me: saved, then redirected",
   r.status)
pid = post_id("tides")
ok(pid and q("SELECT status FROM posts WHERE id = ?", pid) == "draft", "a new post is saved as a draft first")
page = s.get("/admin/posts/%d/edit?saved=test" % pid, jar=jar).body
contains(page, "Test sent to ada@example.org", "the editor says where the test went")
test_mail = newest("ada@example.org", 2, "test")
eq(str(test_mail["Subject"]) if test_mail else None, "Tides and test mail", "the test has the subscribers' subject")
contains(text_of(test_mail), "A draft about tides, tested first.", "and the post's text")
contains(text_of(test_mail), "Unsubscribe:", "and the footer subscribers get")
r = editor({"title": "Tides and test mail (typed again)", "slug": "tides", "body": "Edited before the second test.",
            "action": "test"}, pid)
ok(r.status == 429 and r.header("retry-after"), "a second test within 30 s: 429 with Retry-After", r.status)
contains(r.body, "Tides and test mail (typed again)", "the typed title comes back in the editor")
contains(r.body, "nothing was saved", "and the page says nothing was saved")
eq(q("SELECT title FROM posts WHERE id = ?", pid), "Tides and test mail", "the refused test saved nothing")
eq(rows("post", "tides"), 0, "a test queues no notification")
eq(q("SELECT count(*) FROM outbox WHERE kind = 'test'"), 1, "one test row, to the author")
eq(q("SELECT notified_at FROM posts WHERE id = ?", pid), None, "and does not count as the announcement")
r = editor({"title": "Tides and test mail", "slug": "tides", "body": "A draft about tides, tested first.",
            "action": "publish"}, pid)
eq(r.status, 303, "then the post is published")
tides = newest("alice@example.org", 4, "post after test")
eq(str(tides["Subject"]) if tides else None, "Tides and test mail", "the subscriber gets it once published")
# the queue is sent oldest first: the test went before this notification
eq(len(sink.messages("ada@example.org")), 2, "exactly one test mail reached the author")
eq(len(sink.messages("alice@example.org")), 4, "the subscriber got the post once, and never the test")
eq(rows("post", "tides"), 2, "one notification per subscriber (alice, bob)")

# === SpamAssassin over every kind, in one process
sa = shutil.which("spamassassin")
ok(sa is not None, "spamassassin is installed (Debian package spamassassin; test.sh installs it)")
names = [n for n in ("confirm", "post", "moderation", "reply", "test") if n in raw_of]
eq(names, ["confirm", "post", "moderation", "reply", "test"], "one mail of every kind to score")
if sa and names:
    mbox = os.path.join(s.dir, "all.mbox")
    with open(mbox, "wb") as f:
        for n in names:
            body = raw_of[n].replace(b"\r\n", b"\n")
            f.write(b"From quire-test Thu Jan  1 00:00:00 2026\n" + re.sub(rb"(?m)^From ", b">From ", body) + b"\n")
    t0 = time.time()
    # ALL_TRUSTED only says the mail came over loopback: scored 0, so each mail earns its score.
    # SpamAssassin starts slowly: it runs while the rest of the test goes on
    sa_proc = subprocess.Popen([sa, "-L", "-t", "--mbox", "--cf=use_bayes 0", "--cf=score ALL_TRUSTED 0"],
                               stdin=open(mbox, "rb"), stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def spamassassin_verdicts():
    """The reports of the one SpamAssassin run: every mail scores 0 or below."""
    if not (sa and names):
        return
    try:
        sa_out, sa_err = sa_proc.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        sa_proc.kill()
        sa_out, sa_err = sa_proc.communicate()
    p = subprocess.CompletedProcess(sa_proc.args, sa_proc.returncode, sa_out, sa_err)
    out = p.stdout.decode("utf-8", errors="replace")
    reports = [m for m in re.split(r"(?m)^From quire-test ", out) if m.strip()]
    print("# spamassassin: %d messages, done %.1f s after it started" % (len(reports), time.time() - t0))
    eq(len(reports), len(names), "SpamAssassin read every message")
    # SpamAssassin's mbox output need not keep the input's order: each report is found by its Message-ID
    by_id = {}
    for rep in reports:
        mid = re.search(r"(?im)^Message-ID: (<[^>]+>)", rep)
        by_id[mid.group(1) if mid else None] = rep
    for n in names:
        mid = re.search(rb"(?m)^Message-ID: (<[^>]+>)", raw_of[n]).group(1).decode()
        rep = by_id.get(mid, "")
        ok(rep, "%s: SpamAssassin reported on it" % n)
        m = re.search(r"^X-Spam-Status: \w+, score=(-?[0-9.]+)", rep, re.M)
        score = float(m.group(1)) if m else None
        fired = re.findall(r"^\s*(-?[0-9.]+) ([A-Z0-9_]+)\s", rep.split("Content analysis details:")[-1], re.M)
        print("# %s: score %s: %s" % (n, score, " ".join("%s=%s" % (r_, p_) for p_, r_ in fired)))
        ok(score is not None and score <= 0, "SpamAssassin: the %s mail scores %s (at most 0)" % (n, score),
           [" ".join("%s=%s" % (r_, p_) for p_, r_ in fired)] + [rep[-1500:], p.stderr.decode()[-300:]])


# a test of a live post, by another author: it stays live and nobody else hears of it
s.user("Grace Hopper", "grace@example.org")
gjar, gcsrf = s.login("Grace Hopper")
hid = post_id("harbour")
r = s.post("/admin/posts/%d" % hid, {"csrf": gcsrf, "title": "A harbour at dawn", "slug": "harbour", "action": "test",
                                     "body": "The boats wait for the tide, edited before a test."}, jar=gjar)
ok(r.status == 303, "a test of a live post", r.status)
grace = newest("grace@example.org", 1, "test of a live post")
eq(str(grace["Subject"]) if grace else None, "A harbour at dawn", "reaches the author who pressed it")
eq((q("SELECT status FROM posts WHERE id = ?", hid), rows("post", "harbour")), ("published", 2),
   "the post stays live, its notifications unchanged")
eq(q("SELECT count(*) FROM outbox WHERE recipient = 'alice@example.org'"), 4, "and no subscriber got anything more")


# === headers
for n in names:
    raw = raw_of[n]
    head = raw.split(b"\r\n\r\n", 1)[0]
    m = email.message_from_bytes(raw, policy=email.policy.default)
    ok(all(b < 0x80 for b in head), "%s: headers are 7-bit (RFC 2047 for the rest)" % n)
    ok(all(len(line) <= 998 for line in raw.split(b"\r\n")), "%s: no line over 998 bytes" % n)
    ok(re.search(rb"^Message-ID: <[0-9a-f]{32}@[a-z0-9.-]+>\r$", head + b"\r", re.M), "%s: a Message-ID" % n)
    ok(re.search(rb"^Date: \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000\r$", head + b"\r", re.M), "%s: a Date" % n)
    eq(m["MIME-Version"], "1.0", "%s: MIME-Version" % n)
    eq(m["From"].addresses[0].display_name if m["From"] else None, TITLE, "%s: From shows the site's name" % n)
    eq(m.get_content_type(), "multipart/alternative", "%s: text and HTML alternatives" % n)
    ok(text_of(m).strip() and "<title>" in text_of(m, "html"), "%s: both parts have content" % n)
    lists = n in ("post", "reply", "test")
    eq(m["List-Id"] is not None, lists, "%s: List-Id %s" % (n, "present" if lists else "absent (no list)"))
    eq(m["List-Unsubscribe"] is not None, lists, "%s: List-Unsubscribe %s" % (n, "present" if lists else "absent"))
    if lists:
        ok(TITLE in m["List-Id"] and m["List-Id"].endswith(" <list.127.0.0.1>"),
           "%s: List-Id names the site (RFC 2919)" % n, m["List-Id"])
        ok(re.match(r"^<http://127\.0\.0\.1:\d+/unsubscribe\?id=\d+&token=[0-9a-f]{32}>$", m["List-Unsubscribe"]),
           "%s: List-Unsubscribe is the https link alone" % n, m["List-Unsubscribe"])
        eq(m["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click", "%s: List-Unsubscribe-Post (RFC 8058)" % n)
ok(b"\r\nSubject: =?UTF-8?B?" in raw_of.get("reply", b""), "a non-ASCII subject is an encoded word")
ok(re.search(rb"\r\nFrom: =\?UTF-8\?B\?[A-Za-z0-9+/=]+\?= <blog@example\.org>\r\n", raw_of.get("post", b"")),
   "a non-ASCII site name is an encoded word in From")

# === one-click unsubscribe: a bare POST, no cookie, no form token
lu = re.search(r"<([^>]+)>", bob_note["List-Unsubscribe"] if bob_note else "<>").group(1)
path = lu.replace(s.base, "")
r = s.post(path, "List-Unsubscribe=One-Click", headers={"Content-Type": "application/x-www-form-urlencoded"})
ok(r.status == 200 and "You are unsubscribed" in r.body, "the one-click POST unsubscribes (RFC 8058)", r.status)
eq(q("SELECT status FROM subscribers WHERE email = 'bob@example.org'"), "unsubscribed", "bob is unsubscribed")
test_lu = re.search(r"<([^>]+)>", test_mail["List-Unsubscribe"]).group(1).replace(s.base, "") if test_mail else "/"
r = s.post(test_lu, "List-Unsubscribe=One-Click")
ok(r.status == 200 and "test mail" in r.body, "the test mail's link explains itself, unsubscribing nobody", r.status)
eq(q("SELECT count(*) FROM subscribers WHERE status = 'confirmed'"), 1, "alice is still subscribed")

# === "Don't email subscribers about this post"
had = len(sink.messages("alice@example.org"))
r = editor({"title": "A quiet correction", "slug": "quiet", "body": "Nothing to mail.", "has_notify_box": "1",
            "no_email": "1", "action": "publish"})
eq(r.status, 303, "publish with \"Don't email subscribers\" ticked")
eq(q("SELECT status FROM posts WHERE slug = 'quiet'"), "published", "the post is published")
eq(rows("post", "quiet"), 0, "no notification is queued")
ok(q("SELECT notified_at FROM posts WHERE slug = 'quiet'") is not None, "the post counts as announced")
contains(s.get("/admin/posts/%d/edit" % post_id("quiet"), jar=jar).body, "Published without emailing subscribers",
         "the editor tells the author")
listing = s.get("/admin/posts", jar=jar).body
ok(re.search(r'A quiet correction</a>[^\n]*not emailed</span>', listing) and
   not re.search(r'A harbour at dawn</a>[^\n]*not emailed', listing), "and so does the posts list, for that post only")
r = editor({"title": "A quiet correction", "slug": "quiet", "body": "Nothing to mail.", "has_notify_box": "1",
            "action": "publish"}, post_id("quiet"))
eq(rows("post", "quiet"), 0, "unticking it after publishing mails nobody (a post is news once)")
when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=2)
r = editor({"title": "Quiet later", "slug": "quiet-later", "body": "Scheduled, not mailed.", "has_notify_box": "1",
            "no_email": "1", "date": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "action": "schedule"})
eq(r.status, 303, "schedule a post with the box ticked")
contains(s.get("/admin/posts/%d/edit" % post_id("quiet-later"), jar=jar).body, 'name="no_email" value="1" checked',
         "the editor shows the box ticked")
end = time.time() + 10
while time.time() < end and q("SELECT notified_at FROM posts WHERE slug = 'quiet-later'") is None:
    time.sleep(0.2)
ok(q("SELECT notified_at FROM posts WHERE slug = 'quiet-later'") is not None, "its time comes and it is announced")
eq(rows("post", "quiet-later"), 0, "without a notification")
md = os.path.join(s.dir, "cli-quiet.md")
open(md, "w").write("---\ntitle: From the command line\nslug: cli-quiet\nnotify: false\n---\nQuiet.\n")
rc, out, err = run(["post", "import", "--db", s.db, md])
eq(rc, 0, "quire post import with notify: false")
eq(rows("post", "cli-quiet"), 0, "queues no notification")
rc, out, err = run(["export", "markdown", "--db", s.db, os.path.join(s.dir, "export")])
contains(open(os.path.join(s.dir, "export", "cli-quiet.md")).read() if rc == 0 else err, "\nnotify: false\n",
         "the export keeps notify: false")
LOUD = "Loud news: a long plain title about harbours, tides, boats and the gulls at dawn"
r = editor({"title": LOUD, "slug": "loud", "body": "This one is mailed.", "has_notify_box": "1", "action": "publish"})
loud = newest("alice@example.org", had + 1, "post after quiet")
eq(str(loud["Subject"]) if loud else None, LOUD, "a normal post still notifies")
subject = re.search(rb"\r\nSubject: [^\r]*(?:\r\n [^\r]*)*", raw_of.get("post after quiet", b""))
ok(subject and all(len(line) <= 78 for line in subject.group(0).strip().split(b"\r\n")),
   "a long ASCII subject is folded within 78 columns", subject.group(0) if subject else None)
eq(len(sink.messages("alice@example.org")), had + 1, "and nothing else reached the subscriber")
eq(q("SELECT count(*) FROM outbox WHERE recipient = 'alice@example.org'"), had + 1, "nor was queued for them")
spamassassin_verdicts()
lacks(s.logs(), "ERROR: AddressSanitizer", "no sanitizer report")
s.stop()
sink.stop()
if os.environ.get("QUIRE_KEEP_TMP") is None:
    shutil.rmtree(mails, ignore_errors=True)
done()
