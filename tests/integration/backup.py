"""backup: while a serving stack takes comments and new posts, `quire backup` runs several times;
each copy passes integrity_check and is a consistent snapshot (everything acknowledged before it
began, and of the writes after, only a prefix in commit order, with the search index in step).
Then the README's restore steps, run as written (with this test's paths) after quire was killed
so that a stale -wal lies beside the database, bring back exactly the copy's content."""
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import threading
import time

from quiretest import SRCDIR, Stack, contains, done, eq, lacks, ok, run

s = Stack("backup", config="[comments]\nmin_seconds = 0\nrate_limit = 0\nmoderation = none\nper_page = 500\n")
s.user("Ada Lovelace", "ada@example.org")
s.import_post({"title": "Harbour", "slug": "harbour", "date": "2026-01-01", "tags": "sea"}, "The boats wait.\n")
s.start()
jar, csrf = s.login("Ada Lovelace")

stop = threading.Event()
acked = {"comment": [], "post": []}  # (number, time acknowledged), in order
errors = []


def comments():
    n = 0
    while not stop.is_set():
        tok = re.search(r'name="token" value="([^"]+)"', s.get("/posts/harbour").body).group(1)
        r = s.post("/posts/harbour/comments", {"author": "Reader", "email": "reader@example.org",
                                               "comment": "comment %d" % n, "token": tok})
        if r.status == 303:
            acked["comment"].append((n, time.time()))
            n += 1
        else:
            errors.append("comment %d: %d" % (n, r.status))


def posts():
    n = 0
    while not stop.is_set():
        r = s.post("/admin/posts", {"csrf": csrf, "title": "Live %d" % n, "slug": "live-%d" % n,
                                    "body": "Written while backing up, number %d." % n, "excerpt": "",
                                    "tags": "live", "date": "", "has_comment_box": "1", "allow_comments": "1",
                                    "has_kind": "1", "kind": "post", "has_sticky_box": "1", "action": "publish"},
                   jar=jar)
        if r.status == 303:
            acked["post"].append((n, time.time()))
            n += 1
        else:
            errors.append("post %d: %d" % (n, r.status))
        time.sleep(0.05)


def numbers(con, sql, pattern):
    return sorted(int(re.search(pattern, row[0]).group(1)) for row in con.execute(sql))


def snapshot(path):
    con = sqlite3.connect(path)
    try:
        return {
            "comment": numbers(con, "SELECT body FROM comments WHERE body LIKE 'comment %'", r"comment (\d+)"),
            "post": numbers(con, "SELECT title FROM posts WHERE title LIKE 'Live %'", r"Live (\d+)"),
            "integrity": con.execute("PRAGMA integrity_check").fetchone()[0],
            "fk": con.execute("PRAGMA foreign_key_check").fetchall(),
            "fts": (con.execute("SELECT count(*) FROM posts_fts").fetchone()[0],
                    con.execute("SELECT count(*) FROM posts").fetchone()[0]),
            "tagged": con.execute("SELECT count(*) FROM post_tags pt JOIN tags t ON t.id = pt.tag_id "
                                  "WHERE t.slug = 'live'").fetchone()[0],
            "mode": con.execute("PRAGMA journal_mode").fetchone()[0],
        }
    finally:
        con.close()


threads = [threading.Thread(target=comments), threading.Thread(target=posts)]
for t in threads:
    t.start()
time.sleep(1.0)
copies = []
for i in range(4):
    f = os.path.join(s.dir, "backup-%d.db" % i)
    began = time.time()
    rc, out, err = run(["backup", "--db", s.db, f])
    took = time.time() - began
    ok(rc == 0 and out.startswith("backed up "), "backup %d under load succeeds (%.2f s)" % (i, took), err)
    if rc != 0:
        continue
    snap = snapshot(f)
    eq(snap["integrity"], "ok", "backup %d passes integrity_check" % i)
    eq(snap["fk"], [], "backup %d passes foreign_key_check" % i)
    eq(snap["mode"], "delete", "backup %d needs no -wal file" % i)
    eq(snap["fts"][0], snap["fts"][1], "backup %d: the search index has every post (written in the same "
       "transactions)" % i)
    eq(snap["tagged"], len(snap["post"]), "backup %d: every live post has its tag" % i)
    for kind in ("comment", "post"):
        got = snap[kind]
        before = [n for n, at in list(acked[kind]) if at < began]
        ok(got == list(range(len(got))), "backup %d: the %ss form a prefix of the writes (%d), no gap" %
           (i, kind, len(got)), got)
        ok(len(got) >= len(before), "backup %d: every %s acknowledged before it began is in it (%d of %d)" %
           (i, kind, len(got), len(before)))
    eq(oct(os.stat(f).st_mode & 0o777), "0o600", "backup %d is readable by its owner only" % i)
    copies.append((f, snap))
    time.sleep(0.3)
stop.set()
for t in threads:
    t.join()
eq(errors, [], "every write during the backups was acknowledged")
ok(len(copies) == 4 and copies[-1][1]["comment"] != copies[0][1]["comment"],
   "the copies differ: writes went on between them (%d, %d comments)" %
   (len(copies[0][1]["comment"]), len(copies[-1][1]["comment"])) if copies else "no copies")
ok(not [f for f in os.listdir(s.dir) if ".tmp-" in f], "no temporary file is left")

# a backup never replaces a file
f0, _ = copies[0]
was = open(f0, "rb").read()
rc, out, err = run(["backup", "--db", s.db, f0])
ok(rc == 1 and "exists already" in err and len(err.strip().splitlines()) == 1,
   "a backup to an existing file is refused in one line, exit 1", err)
ok(open(f0, "rb").read() == was, "and the file is untouched")
rc, out, err = run(["backup", "--db", s.db, "/nonexistent/dir/x.db"])
ok(rc == 1 and "/nonexistent/dir/x.db" in err, "a backup to a folder that does not exist fails clearly", err)
cfg = s.write_config()
f = os.path.join(s.dir, "by-config.db")
rc, out, err = run(["backup", "--config", cfg, "--db", s.db, f])
ok(rc == 0 and os.path.exists(f), "quire backup accepts --config", err)

# --- restore the second copy, exactly as the README says --------------------------------
chosen, snap = copies[1]
# written after the copy: must be gone after the restore
tok = re.search(r'name="token" value="([^"]+)"', s.get("/posts/harbour").body).group(1)
eq(s.post("/posts/harbour/comments", {"author": "Late", "email": "late@example.org",
                                      "comment": "written after the backup", "token": tok}).status, 303,
   "a comment is written after the backups")
readme = open(os.path.join(SRCDIR, "README")).read()
block = re.search(r"Restoring a copy.*?:\n\n((?:    [^\n]*\n)+)", readme, re.S)
ok(block, "the README has the restore steps")
steps = [line[4:] for line in block.group(1).splitlines()]
ok(steps[0].startswith("systemctl stop ") and steps[-1].startswith("systemctl start "),
   "they begin by stopping quire and end by starting it", steps)
# quire killed, not stopped: the worst case, a -wal of the old database left behind
s.quire.send_signal(signal.SIGKILL)
s.quire.wait()
ok(os.path.exists(s.db + "-wal") and os.path.getsize(s.db + "-wal") > 0,
   "after the kill, quire.db-wal of the old database lies beside it")
# what a -wal left beside the copy would do: kept as a lesson, on copies in a scratch folder
scratch = os.path.join(s.dir, "scratch")
os.mkdir(scratch)
shutil.copy(chosen, os.path.join(scratch, "quire.db"))
shutil.copy(s.db + "-wal", os.path.join(scratch, "quire.db-wal"))
try:
    mixed = snapshot(os.path.join(scratch, "quire.db"))
    harm = mixed["comment"] != snap["comment"] or mixed["integrity"] != "ok"
except sqlite3.DatabaseError as e:
    harm = True
ok(harm, "(a stale -wal left beside the restored copy would change or corrupt it: the README moves it away)")
shutil.rmtree(scratch)
script = "\n".join(steps[1:-1])
for k, v in {"/var/lib/quire": s.dir, "/var/backups/quire/quire-20261126-031500.db": chosen,
             "quire:quire": "%d:%d" % (os.getuid(), os.getgid())}.items():
    ok(k in script, "the steps name %s (replaced by this test's)" % k, script)
    script = script.replace(k, v)
p = subprocess.run(["sh", "-e", "-c", script], capture_output=True, text=True, timeout=60)
eq((p.returncode, p.stderr), (0, ""), "the README's restore steps run cleanly")
moved = [d for d in os.listdir(s.dir) if d.startswith("replaced-")]
ok(len(moved) == 1 and {"quire.db", "quire.db-wal"} <= set(os.listdir(os.path.join(s.dir, moved[0]))),
   "the old database and its -wal were moved aside together", moved)
ok(not os.path.exists(s.db + "-wal") and not os.path.exists(s.db + "-shm"), "no -wal or -shm beside the copy")
s.start_quire()
end = time.time() + 30
while time.time() < end and s.get("/healthz").status != 200:  # a stale socket was left by the kill
    time.sleep(0.05)
eq(snapshot(s.db)["comment"], snap["comment"], "the restored database holds exactly the copy's comments")
r = s.get("/posts/harbour")
eq(r.status, 200, "the article answers after the restore")
shown = sorted(int(n) for n in re.findall(r"comment (\d+)", r.body))
eq(shown, snap["comment"], "the page shows exactly the copy's %d comments" % len(snap["comment"]))
lacks(r.body, "written after the backup", "and not the one written after it")
last = snap["post"][-1] if snap["post"] else None
if last is not None:
    eq(s.get("/posts/live-%d" % last).status, 200, "the copy's newest post answers")
eq(s.get("/posts/live-%d" % (len(snap["post"]))).status, 404, "a post written after the copy is gone")
r = s.get("/search?q=backing")
eq(len(re.findall(r'href="/posts/live-\d+"', r.body)) > 0, True, "search works on the restored database")
eq(snapshot(s.db)["integrity"], "ok", "the restored database passes integrity_check")
tok = re.search(r'name="token" value="([^"]+)"', s.get("/posts/harbour").body).group(1)
eq(s.post("/posts/harbour/comments", {"author": "After", "email": "after@example.org",
                                      "comment": "after the restore", "token": tok}).status, 303,
   "and takes new comments")
done()
