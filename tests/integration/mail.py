"""mail: subscriptions and notifications against a real SMTP server on loopback (aiosmtpd):
double opt-in from the link in the mail, the notification's MIME and headers, one-click
unsubscribe, SMTP down and back, bounces, reply and moderation mails, bad input."""
import os
import re
import sqlite3
import subprocess
import time

from quiretest import QUIRE, Stack, SmtpSink, ok, eq, contains, lacks, done

mails = os.path.join(os.environ.get("TMPDIR", "/tmp"), "quire-mail-%d" % os.getpid())
sink = SmtpSink(mails).start()
s = Stack("mail", config="[mail]\nsmtp_url = smtp://127.0.0.1:%d\nfrom = blog@example.org\nretry_base = 1\n"
                         "starttls = no\n[comments]\nmin_seconds = 0\n" % sink.port)
s.user("Ada Lovelace", "ada@example.org")
s.import_post({"title": "Before anyone subscribed", "slug": "before", "date": "2026-01-01", "author": "Ada Lovelace"})
s.start()
db = sqlite3.connect(s.db)
jar, csrf = s.login("Ada Lovelace")


def q(sql, *args):
    return db.execute(sql, args).fetchone()[0]


def text_of(msg, kind="plain"):
    part = msg.get_body(preferencelist=(kind,))
    return part.get_content() if part else ""


def publish(title, slug):
    r = s.post("/admin/posts", {"csrf": csrf, "title": title, "slug": slug, "body": "The body of %s." % slug,
                                "action": "publish"}, jar=jar)
    return r.status == 303


def confirm_from_mail(addr, n=1):
    msgs = sink.wait(addr, n)
    if len(msgs) < n:
        return None
    m = re.search(r"(http://\S+/subscribe/confirm\?token=[A-Za-z0-9_-]+)", text_of(msgs[n - 1]))
    return m.group(1) if m else None


# --- the box and the subscribe request
r = s.get("/")
contains(r.body, "Subscribe to Blog via Email", "the subscribe box is on every page")
lacks(r.body, "other subscriber", "no 'Join 0 other subscribers' while nobody subscribed")
r = s.get("/subscribe")
ok(r.status == 200 and 'action="/subscribe"' in r.body, "GET /subscribe shows the form on a page of its own")
r = s.post("/subscribe", {"email": "alice@example.org"})
ok(r.status == 200 and "Check your inbox to confirm" in r.body, "subscribing answers 'check your inbox'")
eq(q("SELECT status FROM subscribers WHERE email = 'alice@example.org'"), "pending", "the address is pending")
link = confirm_from_mail("alice@example.org")
ok(link is not None, "a confirmation mail arrives with a link", [text_of(m) for m in sink.messages("alice@example.org")])
msg = sink.messages("alice@example.org")[0]
eq(msg["To"], "alice@example.org", "addressed to the subscriber")
contains(msg["Subject"], "Confirm your subscription", "with a clear subject")
ok(msg["Message-ID"] and msg["Date"], "with Message-ID and Date")
eq(msg.get_content_type(), "multipart/alternative", "multipart/alternative")
eq(sorted(p.get_content_type() for p in msg.iter_parts()), ["text/html", "text/plain"], "text and HTML parts")
ok(all(p.get_content_charset() == "utf-8" for p in msg.iter_parts()), "both in UTF-8")
ok(msg["List-Unsubscribe"] is None, "nothing to unsubscribe from before confirming")
eq(q("SELECT payload FROM outbox WHERE kind = 'confirm' AND recipient = 'alice@example.org'"), "",
   "the raw token is dropped from the outbox once sent")

# --- confirmation: GET shows a button, POST confirms
r = s.get(link.replace(s.base, ""))
ok(r.status == 200 and "Confirm my subscription" in r.body, "the link opens a page with a Confirm button")
eq(q("SELECT status FROM subscribers WHERE email = 'alice@example.org'"), "pending", "following the link confirms nothing")
token = link.split("token=")[1]
r = s.post("/subscribe/confirm", {"token": token})
ok(r.status == 200 and "You are subscribed" in r.body, "the button confirms")
eq(q("SELECT status FROM subscribers WHERE email = 'alice@example.org'"), "confirmed", "the address is confirmed")
r = s.post("/subscribe/confirm", {"token": token})
ok(r.status == 200 and "already confirmed" in r.body, "confirming twice is harmless")
contains(s.get("/").body, "Join 1 other subscriber", "the count goes up")
r = s.post("/subscribe", {"email": "alice@example.org"})
ok(r.status == 200 and "Check your inbox to confirm" in r.body, "a known address gets the same answer (no enumeration)")

# --- publishing notifies confirmed subscribers, once
s.post("/subscribe", {"email": "bob@example.org"})   # never confirms
sink.wait("bob@example.org", 1)
ok(publish("Café ☕ — news", "cafe-news"), "publish a post with a non-ASCII title")
msgs = sink.wait("alice@example.org", 2)
eq(len(msgs), 2, "the notification arrives")
n = msgs[-1]
eq(str(n["Subject"]), "Café ☕ — news", "the subject is the title (an encoded word on the wire)")
raw = open(sorted(os.path.join(mails, f) for f in os.listdir(mails) if f.endswith("-alice@example.org.eml"))[-1], "rb").read()
ok(b"Subject: =?UTF-8?B?" in raw, "encoded-word subject")
ok(b"\r\n" in raw and all(len(l) <= 998 for l in raw.split(b"\r\n")), "CRLF lines, none over 998 bytes")
lu = n["List-Unsubscribe"] or ""
ok(re.search(r"^<http://127\.0\.0\.1:\d+/unsubscribe\?id=\d+&token=[0-9a-f]{32}>$", lu),
   "List-Unsubscribe has the https link only (no mailto that nothing reads)", lu)
eq(n["List-Id"], '"Test blog" <list.127.0.0.1>', "List-Id names the blog")
contains(text_of(n, "html"), '<html lang="en">', "the HTML part has lang on <html>")
contains(text_of(n, "html"), "<title>Café ☕ — news</title>", "and a <title>")
ok(all(len(l) <= 72 or " " not in l for l in text_of(n).splitlines()), "text lines wrap at 72 columns", text_of(n))
eq(n["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click", "List-Unsubscribe-Post for one-click")
contains(text_of(n), s.base + "/posts/cafe-news", "the text links to the post")
contains(text_of(n, "html"), 'href="%s/posts/cafe-news"' % s.base, "the HTML links to the post")
contains(text_of(n), "The body of cafe-news.", "with the excerpt")
time.sleep(1.5)
eq(len(sink.messages("bob@example.org")), 1, "an unconfirmed address got nothing but the confirmation")
s.post("/admin/posts/%d" % q("SELECT id FROM posts WHERE slug = 'cafe-news'"),
       {"csrf": csrf, "title": "Café ☕ — news (edited)", "slug": "cafe-news", "body": "Edited.", "action": "publish"}, jar=jar)
time.sleep(1.5)
eq(len(sink.messages("alice@example.org")), 2, "editing and republishing sends nothing again")
eq(q("SELECT count(*) FROM outbox WHERE kind = 'post'"), 1, "one outbox row for one post and one subscriber")

# --- a scheduled post is announced when its time comes, by itself
import datetime
when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=3)
had = len(sink.messages("alice@example.org"))
r = s.post("/admin/posts", {"csrf": csrf, "title": "Scheduled news", "slug": "scheduled-news", "body": "Later.",
                            "date": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "action": "schedule"}, jar=jar)
eq(q("SELECT count(*) FROM outbox WHERE ref_id = (SELECT id FROM posts WHERE slug = 'scheduled-news') AND kind = 'post'"),
   0, "scheduling queues nothing yet")
msgs = sink.wait("alice@example.org", had + 1, timeout=15)
ok(len(msgs) == had + 1 and str(msgs[-1]["Subject"]) == "Scheduled news", "when its time comes the subscribers are mailed")
lu = msgs[-1]["List-Unsubscribe"] or lu

# --- one-click unsubscribe
kept = len(sink.messages("alice@example.org"))
url = re.search(r"<(http[^>]+)>", lu).group(1)
r = s.get(url.replace(s.base, ""))
ok(r.status == 200 and "Unsubscribe" in r.body and q("SELECT status FROM subscribers WHERE email='alice@example.org'") == "confirmed",
   "GET of the link shows a button and changes nothing")
r = s.post(url.replace(s.base, ""), "List-Unsubscribe=One-Click")
ok(r.status == 200 and "You are unsubscribed" in r.body, "a POST to the link unsubscribes at once (RFC 8058)")
eq(q("SELECT status FROM subscribers WHERE email = 'alice@example.org'"), "unsubscribed", "stored as unsubscribed")
r = s.post(url.replace(s.base, ""), "List-Unsubscribe=One-Click")
eq(r.status, 200, "unsubscribing twice is harmless")
eq(s.post(re.sub(r"token=[0-9a-f]+", "token=" + "0" * 32, url).replace(s.base, ""), "List-Unsubscribe=One-Click").status,
   404, "a forged unsubscribe link is refused")
publish("After alice left", "after-alice")
time.sleep(2)
eq(len(sink.messages("alice@example.org")), kept, "no further mail after unsubscribing")
r = s.post("/subscribe/confirm", {"token": token})
eq(r.status, 404, "the old confirmation link is dead after unsubscribing")

# --- resubscribing works
s.post("/subscribe", {"email": "alice@example.org"})
link2 = confirm_from_mail("alice@example.org", kept + 1)
ok(link2 and link2 != link, "resubscribing sends a new confirmation")
s.post("/subscribe/confirm", {"token": link2.split("token=")[1]})
eq(q("SELECT status FROM subscribers WHERE email = 'alice@example.org'"), "confirmed", "and it confirms again")

# --- bad input
n_rows = q("SELECT count(*) FROM subscribers")
for bad in ("not-an-address", "a@b", "a b@example.org", "x" * 65 + "@example.org", "a@" + "d" * 250 + ".org",
            "a@example.org\r\nBcc: victim@example.org", "a@example.org>\r\nSubject: hi", "<a@example.org>"):
    r = s.post("/subscribe", {"email": bad})
    ok(r.status == 422 and "valid email address" in r.body, "refused: %r" % bad, r.status)
eq(q("SELECT count(*) FROM subscribers"), n_rows, "nothing stored for bad addresses")
for i in range(3):
    s.post("/subscribe", {"email": "flood@example.org"})
eq(s.post("/subscribe", {"email": "flood@example.org"}).status, 429, "the 4th request for one address in an hour: 429")
eq(s.get("/subscribe/confirm?token=" + "A" * 43).status, 404, "an unknown token: 404")
eq(s.get("/subscribe/confirm?token=short").status, 404, "a malformed token: 404")
s.post("/subscribe", {"email": "late@example.org"})
late = confirm_from_mail("late@example.org")
db.execute("UPDATE subscribers SET token_expires = 1 WHERE email = 'late@example.org'")
db.commit()
eq(s.post("/subscribe/confirm", {"token": late.split("token=")[1]}).status, 410, "an expired token: 410")
eq(q("SELECT status FROM subscribers WHERE email = 'late@example.org'"), "pending", "and nothing confirmed")

# --- SMTP down while publishing: the mails wait and arrive exactly once
before = len(sink.messages("alice@example.org"))
sink.stop()
publish("While the server was down", "while-down")
time.sleep(2.5)
ok(q("SELECT count(*) FROM outbox WHERE kind = 'post' AND state = 'queued' AND attempts >= 1 AND "
     "ref_id = (SELECT id FROM posts WHERE slug = 'while-down')") == 1, "the mail waits in the queue after a failed try",
   db.execute("SELECT state, attempts, last_error FROM outbox WHERE kind='post' ORDER BY id DESC LIMIT 1").fetchall())
sink.start()
msgs = sink.wait("alice@example.org", before + 1, timeout=30)
time.sleep(1.5)
msgs = sink.messages("alice@example.org")
eq(len(msgs) - before, 1, "when the server is back the mail arrives, exactly once")
eq(str(msgs[-1]["Subject"]), "While the server was down", "it is the right one")

# --- hard bounce
db.execute("INSERT INTO subscribers(email, status, wants_posts, created_at) VALUES ('bounce@example.org', 'confirmed', 1, 0)")
db.commit()
publish("Bounce test", "bounce-test")
end = time.time() + 15
while time.time() < end and q("SELECT status FROM subscribers WHERE email = 'bounce@example.org'") != "bouncing":
    time.sleep(0.2)
eq(q("SELECT status FROM subscribers WHERE email = 'bounce@example.org'"), "bouncing", "a 550 marks the subscriber bouncing")
eq(q("SELECT state FROM outbox WHERE recipient = 'bounce@example.org'"), "failed", "and the row failed, not retried")

# --- comments: moderation mail to the author, reply mail to a confirmed commenter who asked
tok = re.search(r'name="token" value="([^"]+)"', s.get("/posts/before").body).group(1)
s.post("/posts/before/comments", {"author": "Alice", "email": "alice@example.org", "comment": "Notify me please.",
                                  "notify": "1", "token": tok})
mod = sink.wait("ada@example.org", 1)
ok(mod and "awaits moderation" in str(mod[-1]["Subject"]), "the post's author is told a comment awaits moderation")
cid = q("SELECT max(id) FROM comments")
time.sleep(1.5)
had = len(sink.messages("alice@example.org"))
s.post("/admin/comments/%d/reply" % cid, {"csrf": csrf, "body": "Thanks Alice!"}, jar=jar)
rep = sink.wait("alice@example.org", had + 1)
ok(len(rep) > had and "New reply" in str(rep[-1]["Subject"]), "the commenter gets a mail about the reply")
contains(text_of(rep[-1]), "Thanks Alice!", "with the reply")
ok(rep[-1]["List-Unsubscribe"], "and an unsubscribe link")
tok = re.search(r'name="token" value="([^"]+)"', s.get("/posts/before").body).group(1)
s.post("/posts/before/comments", {"author": "Dan", "email": "dan@example.org", "comment": "Me too.", "notify": "1", "token": tok})
dan = sink.wait("dan@example.org", 1)
ok(dan and "Confirm reply notifications" in str(dan[0]["Subject"]), "ticking 'notify me' with a new address asks to confirm it")
eq(q("SELECT wants_posts FROM subscribers WHERE email = 'dan@example.org'"), 0, "without subscribing it to new posts")

# --- the admin's view
r = s.get("/admin/subscribers", jar=jar)
ok(r.status == 200 and "alice@example.org" in r.body and 'id="count-confirmed">' in r.body, "the admin lists subscribers")
r = s.get("/admin/subscribers?q=ali", jar=jar)
ok("alice@example.org" in r.body and "bob@example.org" not in r.body, "search by address")
r = s.get("/admin/subscribers.csv", jar=jar)
ok(r.status == 200 and r.header("content-type").startswith("text/csv") and "alice@example.org" in r.body, "CSV export")
ok(re.search(r'id="outbox-failed">1<', s.get("/admin/subscribers", jar=jar).body), "the outbox shows the failed row")
r = s.post("/admin/outbox/retry", {"csrf": csrf}, jar=jar)
ok(r.status == 303 and q("SELECT state FROM outbox WHERE recipient = 'bounce@example.org'") in ("queued", "sending", "failed"),
   "retry puts failed rows back in the queue")
bid = q("SELECT id FROM subscribers WHERE email = 'bob@example.org'")
s.post("/admin/subscribers/%d/delete" % bid, {"csrf": csrf}, jar=jar)
eq(q("SELECT count(*) FROM subscribers WHERE email = 'bob@example.org'"), 0, "remove a subscriber")
eq(s.get("/", jar=jar).status, 200, "pages still fine")
codes = [s.post("/subscribe", {"email": "ip%d@example.org" % i}).status for i in range(12)]
ok(429 in codes, "too many requests from one IP: 429", codes)
p = subprocess.run([QUIRE, "mail", "status", "--db", s.db], capture_output=True, text=True)
ok(p.returncode == 0 and re.search(r"sent \d+", p.stdout), "quire mail status prints the queue", p.stdout + p.stderr)
s.stop()
sink.stop()
done()
