"""spam: each defence refuses or holds what it should, counts refusals without storing them,
and lets a normal reader through. Runs with the shipped defaults (2 s, 5 per 10 min)."""
import re
import sqlite3
import time

from quiretest import Stack, ok, eq, contains, done

s = Stack("spam", config="[comments]\ndisallowed_words = casino, cheap pills\nclose_after_days = 30\n")
s.import_post({"title": "Spam target", "slug": "target", "date": "2099-01-01"})
s.start()
db = sqlite3.connect(s.db)
# published "now": within close_after_days
db.execute("UPDATE posts SET published_at = strftime('%s','now') - 60")
db.execute("INSERT INTO posts(slug, title, body_md, body_html, status, published_at, created_at, updated_at) "
           "VALUES ('old', 'Old post', '', '', 'published', strftime('%s','now') - 40*86400, 0, 0)")
db.commit()


def q(sql, *args):
    return db.execute(sql, args).fetchone()[0]


def fresh_token(slug="target"):
    return re.search(r'name="token" value="([^"]+)"', s.get("/posts/" + slug).body).group(1)


def send(tok, jar=None, **fields):
    data = {"author": "Reader", "email": "reader@example.org", "comment": "A thoughtful remark.", "token": tok}
    data.update(fields)
    return s.post("/posts/target/comments", data, jar=jar)


pool = [fresh_token() for i in range(8)]  # a token posts once: one page per comment sent below
tok = fresh_token()
n0 = q("SELECT count(*) FROM comments")
r = send(tok, comment="Too quick.")
ok(r.status == 422 and "That was quick!" in r.body and "Too quick.</textarea>" in r.body,
   "a form sent within 2 seconds of rendering is refused, input kept", r.status)
r = send(tok, leave_empty="http://spam.example/")
eq(r.status, 400, "the honeypot field filled: refused")
r = send("0000000000." + "0" * 32)
eq(r.status, 400, "a forged token: refused")
r = send(tok[:-1] + ("0" if tok[-1] != "0" else "1"))
eq(r.status, 400, "a tampered token: refused")
r = send("")
eq(r.status, 400, "no token: refused")
eq(q("SELECT count(*) FROM comments"), n0, "refused submissions are not stored")
ok(q("SELECT coalesce(sum(count), 0) FROM comment_refusals") >= 5, "but they are counted")
ok(q("SELECT count FROM comment_refusals WHERE reason = 'honeypot'") == 1, "by reason")

time.sleep(2.1)
r = send(pool.pop())
ok(r.status == 303 and "unapproved=" in r.header("location"), "a normal reader gets through (held: first comment)", r.status)
r = send(pool.pop(), author="Linker", email="linker@example.org",
         comment="See https://a.example/ and https://b.example/ and https://c.example/")
eq(q("SELECT status FROM comments WHERE author_name = 'Linker'"), "pending", "more than 2 links: held")
r = send(pool.pop(), author="Copycat", email="copy@example.org", comment="A thoughtful remark.")
eq(q("SELECT status FROM comments WHERE author_name = 'Copycat'"), "pending", "a body already posted: held")
# approve the reader, so only the spam signs can hold their next comments
db.execute("UPDATE comments SET status = 'approved' WHERE author_name = 'Reader'")
db.commit()
# and let them confirm their address from the mail's link: the proof cookie that approves them
s.post("/subscribe", {"email": "reader@example.org"})
jar = s.dir + "/jar-reader"
s.post("/subscribe/confirm", {"token": q("SELECT payload FROM outbox WHERE kind = 'confirm' ORDER BY id DESC LIMIT 1")}, jar=jar)
r = send(pool.pop(), jar=jar, comment="Visit my CASINO today.")
eq(q("SELECT status FROM comments WHERE body LIKE '%CASINO%'"), "pending", "a disallowed word (any case): held")
r = send(pool.pop(), jar=jar, comment="An approved reader's second remark.")
ok(r.status == 303 and "unapproved" not in r.header("location"), "a known commenter without spam signs: approved")
r = send(pool.pop(), comment="One too many.")
eq(r.status, 429, "the 6th comment from one address in 10 minutes: 429")
ok(r.header("retry-after") is not None, "429 says when to retry")
ok("One too many.</textarea>" in r.body and "send it again in 10 minutes" in r.body,
   "the 429 shows the form again with the comment typed and says why")
retry = re.search(r'name="token" value="([^"]+)"', r.body)
ok(retry is not None and len(retry.group(1)) == 60, "with a fresh form token to send it again later")
eq(q("SELECT count(*) FROM comments WHERE body = 'One too many.'"), 0, "and it is not stored")
ok(q("SELECT count FROM comment_refusals WHERE reason = 'rate'") == 1, "rate refusals are counted")

old = re.search(r'id="commentform"', s.get("/posts/old").body)
ok(old is None and "Comments are closed." in s.get("/posts/old").body, "comments close after close_after_days")
done()
