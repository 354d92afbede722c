"""export: `quire export markdown` then `quire post import` gives the same posts back (exported
again: identical files); `quire backup` copies the live database while comments are written."""
import filecmp
import glob
import os
import re
import sqlite3
import subprocess
import tempfile
import threading

from quiretest import QUIRE, SRCDIR, Stack, run, ok, eq, done

s = Stack("export", config="[comments]\nmin_seconds = 0\nrate_limit = 0\nmoderation = none\n")
s.user("Ada Lovelace", "ada@example.org")
s.user("Grace Hopper", "grace@example.org")
rc, out, err = run(["post", "import", "--db", s.db] + sorted(glob.glob(os.path.join(SRCDIR, "demo", "posts", "*.md"))))
ok(rc == 0, "the demo posts import", err)
s.import_post({"title": '"Quoted" title: with a colon, and #hash', "slug": "tricky", "date": "2026-03-04T05:06:07Z",
               "tags": "a, Zeta, émoji ☕", "author": "Ada Lovelace", "excerpt": "An excerpt: set by hand."},
              "Body with --- a line\n---\nand a front-matter-looking line.\n\n  indented\n")
s.import_post({"title": "Undated draft", "slug": "undated", "draft": "true"}, "No date yet.\n")
d1, d2 = tempfile.mkdtemp(), tempfile.mkdtemp()
rc, out, err = run(["export", "markdown", "--db", s.db, d1])
ok(rc == 0 and "exported 11 posts" in out, "export writes every post", out + err)

fresh = os.path.join(tempfile.mkdtemp(), "fresh.db")
run(["init", "--db", fresh])
for name, email in (("Ada Lovelace", "ada@example.org"), ("Grace Hopper", "grace@example.org")):
    run(["user", "add", "--db", fresh, "--name", name, "--email", email], input="a good password\n")
rc, out, err = run(["post", "import", "--db", fresh] + sorted(glob.glob(os.path.join(d1, "*.md"))))
ok(rc == 0, "the exported files import into a fresh database", err)
rc, out, err = run(["export", "markdown", "--db", fresh, d2])
names = sorted(os.listdir(d1))
eq(sorted(os.listdir(d2)), names, "the same files come out again")
match, mismatch, errors = filecmp.cmpfiles(d1, d2, names, shallow=False)
eq(mismatch + errors, [], "byte for byte identical after export, import, export")


def posts(db):
    con = sqlite3.connect(db)
    rows = con.execute("SELECT p.slug, p.title, p.body_md, p.excerpt, p.status, p.published_at, "
                       "(SELECT group_concat(t.name, ',') FROM (SELECT t.name FROM post_tags pt JOIN tags t ON "
                       "t.id = pt.tag_id WHERE pt.post_id = p.id ORDER BY t.name) t), u.name "
                       "FROM posts p LEFT JOIN users u ON u.id = p.author_id ORDER BY p.slug").fetchall()
    con.close()
    return rows


eq(posts(fresh), posts(s.db), "every field of every post is the same")
eq(sqlite3.connect(fresh).execute("SELECT published_at FROM posts WHERE slug = 'undated'").fetchone()[0], 0,
   "an undated draft stays undated")

# backup while comments are being written
s.start()
stop = threading.Event()
written = [0]


def writer():
    while not stop.is_set():
        # a form token posts once: a fresh page for each comment
        tok = re.search(r'name="token" value="([^"]+)"', s.get("/posts/hello-quire").body).group(1)
        r = s.post("/posts/hello-quire/comments", {"author": "Load", "email": "load@example.org",
                                                   "comment": "comment %d" % written[0], "token": tok})
        written[0] += r.status == 303


t = threading.Thread(target=writer)
t.start()
import time
time.sleep(0.5)
good = 0
for i in range(3):
    f = os.path.join(s.dir, "backup-%d.db" % i)
    rc, out, err = run(["backup", "--db", s.db, f])
    if rc == 0:
        con = sqlite3.connect(f)
        good += con.execute("PRAGMA integrity_check").fetchone()[0] == "ok" and \
            con.execute("SELECT count(*) FROM posts").fetchone()[0] == 11
        con.close()
stop.set()
t.join()
ok(written[0] > 3, "comments were being written during the backups (%d)" % written[0])
eq(good, 3, "three backups taken under load, each consistent (integrity_check ok, all posts)")
rc, out, err = run(["backup", "--db", s.db, "/nonexistent/dir/x.db"])
ok(rc == 1 and "backup" in err, "a backup to a path that cannot be written fails clearly", err)
rc, out, err = run(["export", "csv", "--db", s.db, d1])
eq(rc, 2, "an unknown export format is a usage error")
done()
