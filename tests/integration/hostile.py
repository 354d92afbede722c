"""hostile: findings of a hostile review, each asserted: listen paths that name other files,
configuration mistakes caught at start, workers that cannot open the database, non-canonical
addresses, strangers' bodies on admin routes, XML-illegal characters, and a thread of 30,000
replies."""
import os
import re
import sqlite3
import subprocess
import tempfile
import time
import xml.etree.ElementTree as ET

from quiretest import QUIRE, SRCDIR, Stack, ok, eq, contains, lacks, done, run

tmp = tempfile.mkdtemp(prefix="quire-hostile-")
db = os.path.join(tmp, "quire.db")
rc, out, err = run(["init", "--db", db])
eq(rc, 0, "init")
templates = os.path.join(SRCDIR, "templates")


def serve(*args, timeout=5, env=None, pre=None):
    """Runs quire serve with args; returns (exit code or None if still running, stderr)."""
    p = subprocess.Popen((pre or []) + [QUIRE, "serve", "--db", db, "--templates", templates] + list(args),
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    try:
        _, err = p.communicate(timeout=timeout)
        return p.returncode, err
    except subprocess.TimeoutExpired:
        p.terminate()
        _, err = p.communicate(timeout=10)
        return None, err


# --- listen naming an existing file
victim = os.path.join(tmp, "precious.txt")
with open(victim, "w") as f:
    f.write("keep me\n")
for listen in ("unix:" + victim, victim):
    code, err = serve("--listen", listen)
    ok(code not in (None, 0), "listen = %s (a regular file) is refused" % listen, err)
    contains(err, "not a socket", "saying it is not a socket")
    eq(open(victim).read(), "keep me\n", "and the file is untouched")
code, err = serve("--listen", "unix:" + db)
ok(code not in (None, 0) and os.path.getsize(db) > 0, "listen naming the database is refused, the database kept", err)
sock = os.path.join(tmp, "q.sock")


def serve_on_socket():
    """quire serve on sock, once the socket exists (or after 30 s)."""
    p = subprocess.Popen([QUIRE, "serve", "--db", db, "--templates", templates, "--listen", "unix:" + sock],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    end = time.time() + 30
    while time.time() < end and not os.path.exists(sock):
        time.sleep(0.05)
    return p


p = serve_on_socket()
ok(os.path.exists(sock), "quire creates its socket")
os.unlink(sock)
with open(sock, "w") as f:
    f.write("a file someone put there\n")
p.terminate()
p.wait(10)
ok(os.path.exists(sock) and open(sock).read().startswith("a file"), "at exit it does not unlink a path that is no longer its socket")
os.unlink(sock)
p = serve_on_socket()
ok(os.path.exists(sock), "it serves on a fresh socket")
p.terminate()
p.wait(10)
ok(not os.path.exists(sock), "its own socket is removed at exit")

# --- configuration checked at start
for listen in ("127.0.0.1:74826", "127.0.0.1:0", "127.0.0.1:http", "unix:relative.sock", "127.0.0.1:+8080",
               "127.0.0.1: 8080", "unix:/" + "x" * 120 + ".sock"):
    code, err = serve("--listen", listen)
    ok(code == 2, "listen %s is refused at start" % listen, (code, err))
contains(serve("--listen", "127.0.0.1:74826")[1], "65535", "naming the port range")
conf = os.path.join(tmp, "cr.conf")
with open(conf, "wb") as f:
    f.write(b"[site]\ntitle = My\rBlog\n")
code, err = serve("--config", conf, "--listen", "unix:" + sock)
ok(code not in (None, 0), "a CR inside the site title is refused", (code, err))
contains(err, "cr.conf:2", "naming the file and line")
media_file = os.path.join(tmp, "media-is-a-file")
open(media_file, "w").close()
conf = os.path.join(tmp, "media.conf")
with open(conf, "w") as f:
    f.write("[server]\nmedia_dir = %s\n" % media_file)
code, err = serve("--config", conf, "--listen", "unix:" + sock)
ok(code not in (None, 0), "media_dir naming a file is refused", (code, err))
contains(err, "not a folder", "saying so")
bad = os.path.join(tmp, "bad.db")
run(["init", "--db", bad])
c = sqlite3.connect(bad)
c.execute("UPDATE settings SET value = 'zz-not-hex' WHERE key = 'comment_form_key'")
c.commit()
c.close()
p = subprocess.run([QUIRE, "serve", "--db", bad, "--templates", templates, "--listen", "unix:" + sock],
                   capture_output=True, text=True, timeout=10)
ok(p.returncode != 0, "a damaged settings row stops start-up")
contains(p.stderr, "damaged", "saying it is damaged, not 'run quire init'")

# --- a worker that cannot open the database fails start-up
code, err = serve("--listen", "unix:" + sock, "--threads", "16", pre=["prlimit", "--nofile=14"])
ok(code not in (None, 0), "16 workers with room for a few open files: start-up fails", (code, err))
contains(err, "could not start", "saying workers could not start")
ok(not os.path.exists(sock), "and no socket is left behind")

# --- the running stack
s = Stack("hostile", config="[comments]\nmin_seconds = 0\nrate_limit = 0\nmoderation = none\nper_page = 50\n")
s.user("Ada Lovelace", "ada@example.org")
s.import_post({"title": "Hello quire", "slug": "hello-quire", "date": "2026-01-01", "author": "Ada Lovelace"})
s.import_post({"title": "Busy thread", "slug": "busy", "date": "2026-01-02", "author": "Ada Lovelace"})
s.start()

r = s.get("/posts/%68ello-quire", raw_path=True)
eq((r.status, r.header("location")), (301, "/posts/hello-quire"), "an escaped letter redirects to the canonical address")
r = s.get("/posts/hello%2dquire?x=1", raw_path=True)
eq((r.status, r.header("location")), (301, "/posts/hello-quire?x=1"), "keeping the query")
eq(s.get("/posts/hello-quire").status, 200, "the canonical address answers")
for evil in ("//%65vil.example", "/%2F%65vil.example", "/\\%65vil.example"):
    r = s.get(evil, raw_path=True)
    loc = r.header("location") or ""
    ok(not loc.startswith("//") and not loc.startswith("/\\"), "%s does not redirect to another host (%d %s)"
       % (evil, r.status, loc))
r = s.get("/posts/hello-quire/?a=b", raw_path=True)
eq((r.status, r.header("location")), (301, "/posts/hello-quire?a=b"), "the trailing-slash redirect keeps the query")

big = os.path.join(s.dir, "big.bin")
with open(big, "wb") as f:
    f.write(b"title=x&body=" + b"a" * (11 * 1024 * 1024))
t0 = time.monotonic()
p = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--data-binary", "@" + big,
                    s.base + "/admin/posts"], capture_output=True, text=True, timeout=60)
eq(p.stdout, "303", "an 11 MB POST to an admin page without a session goes to the login page")
os.unlink(big)

# a page kept by a shared cache gives every reader one token: each address may use it once
shared = re.search(r'name="token" value="([^"]+)"', s.get("/posts/hello-quire").body).group(1)
one = {"author": "Reader", "email": "one@example.org", "comment": "From the first reader.", "token": shared}
eq(s.post("/posts/hello-quire/comments", one, source="127.0.0.2").status, 303, "a shared token: the first reader comments")
two = dict(one, email="two@example.org", comment="From the second reader.")
eq(s.post("/posts/hello-quire/comments", two, source="127.0.0.3").status, 303, "and a second reader, from another address")
eq(s.post("/posts/hello-quire/comments", dict(two, comment="Again."), source="127.0.0.3").status, 409,
   "but the same address cannot use it twice")
token = re.search(r'name="token" value="([^"]+)"', s.get("/posts/busy").body).group(1)
r = s.post("/posts/busy/comments", {"author": "Bad\ufffeName\uffff", "email": "x@example.org",
                                    "comment": "Hello \ufffe world", "token": token})
ok(r.status in (303, 422), "a comment with U+FFFE/U+FFFF is refused or stored cleaned", r.status)
feed = s.get("/comments.atom")
try:
    ET.fromstring(feed.raw)
    parsed = True
except ET.ParseError as e:
    parsed = str(e)
eq(parsed, True, "/comments.atom stays well-formed XML")
lacks(feed.body, "\ufffe", "with no U+FFFE in it")
sdb = sqlite3.connect(s.db)
ok(sdb.execute("SELECT count(*) FROM comments WHERE author_name LIKE ? OR body LIKE ?",
               ("%\ufffe%", "%\ufffe%")).fetchone()[0] == 0, "and none stored")

# replying from the spam or trash tab never publishes what it answers
jar, csrf = s.login("Ada Lovelace")
spam_id = sdb.execute("SELECT max(id) FROM comments").fetchone()[0]
eq(s.post("/admin/comments/%d" % spam_id, {"csrf": csrf, "action": "spam", "back": "approved"}, jar=jar).status, 303,
   "a comment is marked spam")
r = s.post("/admin/comments/%d/reply" % spam_id, {"csrf": csrf, "body": "Note to self.", "back": "spam"}, jar=jar)
eq(r.status, 409, "replying to a spam comment is refused")
sdb.commit()
eq(sdb.execute("SELECT status FROM comments WHERE id = ?", (spam_id,)).fetchone()[0], "spam", "and it stays spam")
lacks(s.get("/admin/comments?status=spam", jar=jar).body, "reply-box", "the spam tab has no reply box")

# 30,000 replies under one comment
post_id = sdb.execute("SELECT id FROM posts WHERE slug = 'busy'").fetchone()[0]
sdb.execute("DELETE FROM comments")
now = int(time.time()) - 100000
sdb.execute("INSERT INTO comments(post_id, author_name, author_email, body, body_html, status, created_at) "
            "VALUES (?, 'Root', 'root@example.org', 'root', '<p>root</p>', 'approved', ?)", (post_id, now))
root = sdb.execute("SELECT max(id) FROM comments").fetchone()[0]
sdb.executemany("INSERT INTO comments(post_id, parent_id, author_name, author_email, body, body_html, status, created_at) "
                "VALUES (?, ?, 'Replier', 'r@example.org', ?, ?, 'approved', ?)",
                ((post_id, root, "reply %d" % i, "<p>reply-%d-end</p>" % i, now + 1 + i) for i in range(30000)))
sdb.commit()
t0 = time.monotonic()
r = s.get("/posts/busy")
took = time.monotonic() - t0
eq(r.status, 200, "an article with 30,000 replies under one comment answers")
ok(len(r.raw) < 1000000, "with a bounded page (%d bytes)" % len(r.raw))
print("# the first page of 30,000 replies took %.2f s" % took)
m = re.search(r"Comments page (\d+) of (\d+)", r.body)
ok(m is not None, "the replies are spread over comment pages")
pages = int(m.group(2)) if m else 1
seen = set()
for p in range(1, pages + 1):
    page = s.get("/posts/busy/comment-page/%d" % p if p < pages else "/posts/busy")
    if page.status != 200:
        break
    seen.update(int(x) for x in re.findall(r"reply-(\d+)-end", page.body))
eq(len(seen), 30000, "every reply is on one of the %d pages" % pages)
contains(s.get("/posts/busy/comment-page/2").body, "In reply to", "a continued thread says whom it answers")
log = open(os.path.join(s.dir, "quire.log")).read()
lacks(log, "AddressSanitizer", "no sanitizer report")
s.stop()
done()
