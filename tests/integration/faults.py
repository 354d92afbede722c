"""faults: what a reader and an admin see, and what the database holds, when the database cannot
be used: another process holding the write lock, a full disk, the file made read-only, deleted or
replaced while quire runs. Writers get 503 with Retry-After within a bound and their typed text
back; readers keep reading; everything recovers."""
import html
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import threading
import time

from quiretest import Stack, ok, eq, contains, lacks, done

CONFIG = "[comments]\nmin_seconds = 0\nrate_limit = 0\nmoderation = none\n"


def token(s, slug):
    m = re.search(r'name="token" value="([^"]+)"', s.get("/posts/" + slug).body)
    return m.group(1) if m else ""


def comment(s, slug, text):
    return s.post("/posts/%s/comments" % slug, {"author": "Reader", "email": "reader@example.org", "url": "",
                                               "comment": text, "token": token(s, slug)})


def kept_fields(body):
    """The fields of the 'send it again' form of a 503 page."""
    form = re.search(r'<form method="post" action="([^"]*)" class="kept-form">(.*?)</form>', body, re.S)
    if not form:
        return None, {}
    fields = {}
    for m in re.finditer(r'<input type="(?:hidden|text)" name="([^"]+)" value="([^"]*)"', form.group(2)):
        fields[m.group(1)] = html.unescape(m.group(2))
    for m in re.finditer(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', form.group(2), re.S):
        fields[m.group(1)] = html.unescape(m.group(2))
    return html.unescape(form.group(1)), fields


def count(db, sql, *args):
    c = sqlite3.connect(db, timeout=30)
    try:
        return c.execute(sql, args).fetchone()[0]
    finally:
        c.close()


# --- another process holds the write lock for 10 s
s = Stack("faults-lock", threads=2, config=CONFIG + "[stats]\nflush_seconds = 1\n")
s.user("Ada Lovelace", "ada@example.org")
s.import_post({"title": "Locked out", "slug": "locked", "date": "2026-01-01", "author": "Ada Lovelace"})
s.start()
jar, csrf = s.login("Ada Lovelace")
eq(comment(s, "locked", "Before the lock.").status, 303, "a comment is posted before the lock")
tok = token(s, "locked")
held = threading.Event()
release = threading.Event()


def hold_lock():
    c = sqlite3.connect(s.db, isolation_level=None)
    c.execute("BEGIN EXCLUSIVE")
    c.execute("INSERT INTO settings(key, value) VALUES ('fault-test', 'x') "
              "ON CONFLICT DO UPDATE SET value = 'y'")
    held.set()
    release.wait(60)
    c.execute("ROLLBACK")
    c.close()


def views():
    return count(s.db, "SELECT coalesce(sum(views), 0) FROM stats_daily")


def settled_views():
    """The stored view count once the buffered views are written (it stops changing)."""
    last, end = -1, time.time() + 30
    while time.time() < end:
        v = views()
        if v == last:
            return v
        last = v
        time.sleep(2.5)
    return last


views_before = settled_views()
locker = threading.Thread(target=hold_lock)
locker.start()
held.wait(5)
seen_locked = sum(s.get("/posts/locked").status == 200 for _ in range(5))
t0 = time.monotonic()
r = s.get("/posts/locked")
took = time.monotonic() - t0
ok(r.status == 200 and "Before the lock." in r.body, "a reader gets the article while the lock is held", r.status)
ok(took < 8, "without waiting for the 10 s lock (%.2f s)" % took)
eq(s.get("/").status, 200, "and the home page")
eq(s.get("/feed.atom").status, 200, "and the feed")
t0 = time.monotonic()
r = s.post("/posts/locked/comments", {"author": "Reader", "email": "reader@example.org", "url": "",
                                      "comment": "Typed while locked: keep me.", "token": tok})
took = time.monotonic() - t0
eq(r.status, 503, "a comment posted while the lock is held answers 503")
ok(took < 9.5, "within the bound, before the lock went (%.2f s)" % took)
ok((r.header("retry-after") or "").isdigit(), "with Retry-After", r.header("retry-after"))
eq(r.header("cache-control"), "no-store", "not cacheable")
contains(r.body, "try again", "the page says to try again")
action, fields = kept_fields(r.body)
eq(fields.get("comment"), "Typed while locked: keep me.", "the typed comment comes back in a form")
eq(action, "/posts/locked/comments", "that posts to the same address")
t0 = time.monotonic()
r = s.post("/admin/login", {"name": "Ada Lovelace", "password": "correct horse battery"})
took = time.monotonic() - t0
eq(r.status, 503, "an admin login while the lock is held answers 503")
ok(took < 9.5, "within the bound, not one wait per statement (%.2f s)" % took)
lacks(r.body, "correct horse battery", "the password is not echoed back")
r = s.post("/admin/posts", {"csrf": csrf, "title": "Written while locked", "body": "Long text\nkept.",
                            "action": "draft"}, jar=jar)
eq(r.status, 503, "saving a post while the lock is held answers 503")
action2, fields2 = kept_fields(r.body)
eq((fields2.get("title"), fields2.get("body")), ("Written while locked", "Long text\nkept."),
   "the title and the body come back")
r = s.post("/admin/login", {"name": "Ada Lovelace", "password": "a wrong guess"})
eq(r.status, 503, "a wrong password while the lock is held also answers 503: a failure that cannot be "
   "counted gives no free guess")
r = s.post("/admin/logout", {"csrf": csrf}, jar=jar)
eq(r.status, 503, "logging out while the lock is held answers 503, not a logout that did not happen")
eq(s.get("/healthz").status, 200, "healthz answers (reads work)")
eq(views(), views_before, "page views cannot be written while the lock is held")
release.set()
locker.join()
# 5 article views above, the article and the home page in the reader checks
end = time.time() + 30
while time.time() < end and views() < views_before + seen_locked + 2:
    time.sleep(0.5)
eq(views(), views_before + seen_locked + 2, "the views counted during the lock are written after it, none lost")
r = s.post(action, fields)
eq(r.status, 303, "sending the kept form again after the lock goes stores the comment")
eq(count(s.db, "SELECT count(*) FROM comments WHERE body = 'Typed while locked: keep me.'"), 1, "exactly once")
r = s.post(action2, fields2, jar=jar)
eq(r.status, 303, "and the kept post saves")
eq(s.post("/admin/logout", {"csrf": csrf}, jar=jar).status, 303, "logging out works after the lock")
eq(s.get("/admin/", jar=jar).status, 303, "and the session is gone")
eq(count(s.db, "SELECT count(*) FROM posts WHERE title = 'Written while locked'"), 1, "once")
log = open(os.path.join(s.dir, "quire.log")).read()
lacks(log, "statement cache full", "no statement cache errors in the log")
s.stop()

# --- read-only, deleted and replaced database files
s = Stack("faults-file", threads=2, config=CONFIG)
s.import_post({"title": "File games", "slug": "files", "date": "2026-01-01"})
s.start()
eq(comment(s, "files", "Before chmod.").status, 303, "a comment is stored")
os.chmod(s.db, 0o444)
eq(s.get("/posts/files").status, 200, "read-only file: readers still read")
r = comment(s, "files", "While read-only.")
eq(r.status, 503, "read-only file: a comment answers 503")
contains(r.body, "read-only", "saying the database is read-only")
eq(kept_fields(r.body)[1].get("comment"), "While read-only.", "with the comment kept")
log = open(os.path.join(s.dir, "quire.log")).read()
contains(log, "is read-only", "the log says so")
os.chmod(s.db, 0o644)
eq(comment(s, "files", "After chmod back.").status, 303, "writable again: comments are stored")
eq(count(s.db, "SELECT count(*) FROM comments WHERE body = 'While read-only.'"), 0, "nothing was acknowledged while read-only")

saved = s.db + ".saved"
shutil.copy(s.db, saved)
os.unlink(s.db)
r = comment(s, "files", "Into the void.")
eq(r.status, 503, "deleted database: a comment answers 503, not an acknowledgement")
eq(kept_fields(r.body)[1].get("comment"), "Into the void.", "with the comment kept")
r = s.post("/subscribe", {"email": "void@example.org"})
eq(r.status, 503, "and a subscription answers 503")
eq(s.get("/healthz").status, 503, "healthz says the database is unavailable")
log = open(os.path.join(s.dir, "quire.log")).read()
contains(log, "was deleted or replaced", "the log says what happened")
os.rename(saved, s.db)
eq(s.get("/healthz").status, 503, "a different file put at the path is not trusted until a restart")
s.quire.terminate()
s.quire.wait(10)
s.nginx.terminate()
s.nginx.wait(10)
s.start()
eq(s.get("/healthz").status, 200, "after a restart it serves again")
eq(comment(s, "files", "After restart.").status, 303, "and stores comments")
eq(count(s.db, "SELECT count(*) FROM comments WHERE body = 'Into the void.'"), 0, "nothing went into the deleted file")
s.stop()

# --- a full disk: the database on a small tmpfs that fills up
mnt = tempfile.mkdtemp(prefix="quire-tmpfs-")
mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mnt], capture_output=True)
if not ok(mounted.returncode == 0, "a small tmpfs for the disk-full case (needs root)", mounted.stderr):
    done()
try:
    s = Stack("faults-full", threads=2, config=CONFIG)
    s.user("Ada Lovelace", "ada@example.org")
    s.import_post({"title": "Full disk", "slug": "full", "date": "2026-01-01"})
    db = os.path.join(mnt, "quire.db")
    shutil.copy(s.db, db)
    s.db = db
    s.start()
    eq(comment(s, "full", "Before the disk filled.").status, 303, "a comment on the small disk")
    filler = os.path.join(mnt, "filler")
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    statuses, acknowledged, failed = [], [], None
    for i in range(300):
        text = "Comment %d on a full disk. " % i + "x" * 3000
        r = comment(s, "full", text)
        statuses.append(r.status)
        if r.status == 303:
            acknowledged.append(text)
        elif r.status == 503:
            failed = (r, text)
            break
    ok(failed is not None, "a write on a full disk answers 503 (statuses: %s)" % sorted(set(statuses)))
    ok(set(statuses) <= {303, 503}, "and nothing else (no 500)", statuses)
    if failed:
        r, text = failed
        ok((r.header("retry-after") or "").isdigit(), "with Retry-After")
        contains(r.body, "no space", "saying the disk is full")
        eq(kept_fields(r.body)[1].get("comment"), text, "with the comment kept")
    eq(s.get("/posts/full").status, 200, "readers still read on a full disk")
    r = s.post("/admin/login", {"name": "Ada Lovelace", "password": "correct horse battery"})
    eq(r.status, 503, "a login on a full disk answers 503 (its session cannot be stored)")
    contains(open(os.path.join(s.dir, "quire.log")).read(), "disk full", "and the log says why")
    os.unlink(filler)
    eq(comment(s, "full", "After space was freed.").status, 303, "space freed: writes work again")
    s.quire.terminate()
    s.quire.wait(10)
    c = sqlite3.connect(db)
    eq(c.execute("PRAGMA integrity_check").fetchone()[0], "ok", "integrity_check is ok afterwards")
    stored = [row[0] for row in c.execute("SELECT body FROM comments")]
    c.close()
    ok(all(t in stored for t in acknowledged), "every acknowledged comment is stored (%d)" % len(acknowledged))
    s.stop()
finally:
    subprocess.run(["umount", "-l", mnt])
    os.rmdir(mnt)
done()
