"""cli: the quire binary's subcommands: usage errors, bad input, idempotent init, import, start-up checks."""
import os
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import time

from quiretest import QUIRE, SRCDIR, run, ok, eq, contains, done

d = tempfile.mkdtemp(prefix="quire-cli-")
db = os.path.join(d, "q.db")


def write(name, text):
    p = os.path.join(d, name)
    with open(p, "w", encoding="utf-8") as f:
        f.write(text)
    return p


# usage
rc, out, err = run([])
eq(rc, 2, "no command exits 2")
rc, out, err = run(["frobnicate"])
ok(rc == 2 and "unknown command" in err and len(err.strip().splitlines()) == 1, "unknown command: exit 2, one line", err)
for cmd in (["init"], ["serve"], ["post"], ["user"]):
    rc, out, err = run(cmd + ["--help"])
    ok(rc == 0 and "usage: quire " + cmd[0] in out, "quire %s --help" % cmd[0], err)
# every command of the table in src/cli/main.c that takes arguments keeps the conventions:
# --help on stdout with 0, a wrong word in one line on stderr with 2
import re
with open(os.path.join(SRCDIR, "src", "cli", "main.c"), encoding="utf-8") as f:
    table = re.findall(r'\{"([a-z]+)", cmd_\w+, true, "', f.read())
ok(len(table) >= 8, "the command table is read from src/cli/main.c (%d commands)" % len(table), table)
for name in table:
    rc, out, err = run([name, "--help"])
    ok(rc == 0 and out.startswith("usage: quire " + name) and not err, "quire %s --help: usage on stdout, 0" % name, err)
    rc, out, err = run([name, "--bogus"])
    ok(rc == 2 and len(err.strip().splitlines()) == 1 and ("quire %s:" % name) in err and "--help" in err,
       "quire %s --bogus: one line naming the command and --help, exit 2" % name, err)
rc, out, err = run(["init", "--bogus"])
ok(rc == 2 and "--bogus" in err, "unknown option exits 2 naming it", err)
rc, out, err = run(["init"])
ok(rc == 2 and "--db" in err, "init without --db exits 2", err)
rc, out, err = run(["post", "import", "--db", db])
ok(rc == 2 and "FILE.md" in err, "import without files exits 2", err)

# init: create, then no-op
rc, out, err = run(["init", "--db", db])
ok(rc == 0 and "applied" in out, "init creates the database", err)
rc, out, err = run(["init", "--db", db])
ok(rc == 0 and "nothing to do" in out, "second init is a no-op", out)
con = sqlite3.connect(db)
eq(con.execute("PRAGMA user_version").fetchone()[0],
   max(int(f.split("_")[0]) for f in os.listdir(os.path.join(SRCDIR, "sql")) if f.endswith(".sql")),
   "schema version recorded in user_version (the number of the last migration in sql/)")
eq(con.execute("PRAGMA journal_mode").fetchone()[0], "wal", "database in WAL mode")
con.close()
# whatever the caller's umask, the database (password hashes, addresses) is not for others
old_mask = os.umask(0)
try:
    open_db = os.path.join(d, "umask0.db")
    rc, out, err = run(["init", "--db", open_db])
finally:
    os.umask(old_mask)
ok(rc == 0 and os.stat(open_db).st_mode & 0o777 == 0o640, "init under umask 0 makes the database 0640",
   oct(os.stat(open_db).st_mode))
# a database copied in with another umask (cp, sqlite3): the next init or start takes other
# users' access off it
os.chmod(open_db, 0o644)
rc, out, err = run(["check", "--db", open_db, "--no-smtp", "--config", os.devnull])
ok("every user of this machine can read it" in out, "check warns about a world-readable database", out + err)
rc, out, err = run(["init", "--db", open_db])
ok(rc == 0 and os.stat(open_db).st_mode & 0o777 == 0o640 and "open to every user" in err,
   "init makes a world-readable database 0640 and says so", err)

# a file that is not a database
notdb = write("notdb.db", "this is not sqlite, just text\n" * 100)
rc, out, err = run(["init", "--db", notdb])
ok(rc == 1 and "not a database" in err and len(err.strip().splitlines()) == 1, "a non-SQLite file: one clear line", err)
ok(open(notdb).read().startswith("this is not sqlite"), "and the file is left untouched")
rc, out, err = run(["post", "list", "--db", os.path.join(d, "missing.db")])
ok(rc == 1 and "quire init" in err, "a missing database says to run quire init", err)

# users
rc, out, err = run(["user", "add", "--db", db, "--name", "Ada", "--email", "ada@example.org", "--bio", "Hi"],
                   input="secret password\n")
ok(rc == 0, "user add", err)
con = sqlite3.connect(db)
h = con.execute("SELECT pw_hash FROM users WHERE name='Ada'").fetchone()[0]
ok(h.startswith("$argon2id$"), "password stored as an argon2id hash")
con.close()
rc, out, err = run(["user", "add", "--db", db, "--name", "Ada", "--email", "x@example.org"], input="secret password\n")
ok(rc == 1 and "exists" in err, "duplicate user refused", err)
rc, out, err = run(["user", "add", "--db", db, "--name", "Bob", "--email", "not-an-email"], input="secret password\n")
ok(rc == 1 and "email" in err, "bad email refused", err)
rc, out, err = run(["user", "add", "--db", db, "--name", "Bob", "--email", "bob@example.org"], input="short\n")
ok(rc == 1 and "password" in err, "short password refused", err)
rc, out, err = run(["user", "passwd", "--db", db, "--name", "Ada"], input="another password\n")
ok(rc == 0, "user passwd", err)

# import
good = write("good.md", "---\ntitle: Hello World\ntags: a, b\nauthor: Ada\ndate: 2026-02-03\n---\nBody.\n")
rc, out, err = run(["post", "import", "--db", db, good])
ok(rc == 0 and "created hello-world" in out, "import creates a post, slug from the title", out + err)
rc, out, err = run(["post", "import", "--db", db, good])
ok(rc == 0 and "updated hello-world" in out, "re-import updates the same post", out + err)
rc, out, err = run(["post", "list", "--db", db])
ok(rc == 0 and "hello-world" in out and "2026-02-03" in out and out.count("hello-world") == 1, "post list", out)
notitle = write("notitle.md", "---\nslug: x\n---\nBody\n")
rc, out, err = run(["post", "import", "--db", db, notitle])
ok(rc == 1 and "notitle.md" in err and "title" in err, "missing title: file named, exit 1", err)
badate = write("baddate.md", "---\ntitle: T\ndate: 31/12/2026\n---\n")
rc, out, err = run(["post", "import", "--db", db, badate])
ok(rc == 1 and "date" in err, "bad date refused", err)
noauthor = write("noauthor.md", "---\ntitle: Orphan\nauthor: Nobody\n---\n")
rc, out, err = run(["post", "import", "--db", db, noauthor])
ok(rc == 1 and "Nobody" in err, "unknown author refused", err)
con = sqlite3.connect(db)
eq(con.execute("SELECT count(*) FROM posts").fetchone()[0], 1, "failed imports wrote nothing")
con.close()
badutf = os.path.join(d, "badutf.md")
open(badutf, "wb").write(b"---\ntitle: \xff\xfe\n---\n")
rc, out, err = run(["post", "import", "--db", db, badutf])
ok(rc == 1 and "UTF-8" in err, "invalid UTF-8 refused", err)

# the shipped example configuration is valid
rc, out, err = run(["post", "list", "--config", os.path.join(SRCDIR, "conf", "quire.conf.example"), "--db", db])
ok(rc == 0, "conf/quire.conf.example loads", err)

# config errors name file and line
conf = write("bad.conf", "[site]\ntitle = x\ncolour = blue\n")
rc, out, err = run(["post", "list", "--config", conf, "--db", db])
ok(rc == 1 and "bad.conf:3:" in err and "colour" in err, "unknown config key names file:line", err)

# read-only database
if os.geteuid() != 0:
    ro = os.path.join(d, "ro.db")
    shutil.copy(db, ro)
    os.chmod(ro, 0o444)
    rc, out, err = run(["post", "import", "--db", ro, good])
    ok(rc == 1 and "read-only" in err, "read-only database: clear error", err)
else:
    # root ignores file modes: a read-only directory mount is what stops root; simulate with
    # SQLite's own read-only open through a URI is not available from the CLI, so check the message path
    ro_dir = tempfile.mkdtemp(prefix="quire-ro-")
    ro = os.path.join(ro_dir, "ro.db")
    shutil.copy(db, ro)
    r = subprocess.run(["sh", "-c", "chattr +i %s 2>/dev/null" % ro])
    if r.returncode == 0:
        rc, out, err = run(["post", "import", "--db", ro, good])
        ok(rc == 1 and ("read-only" in err or "readonly" in err), "immutable database: clear error", err)
        subprocess.run(["chattr", "-i", ro])
    else:
        rc, out, err = run(["post", "import", "--db", "/proc/version"])
        ok(rc == 1 and len(err.strip().splitlines()) == 1, "an unwritable non-database: one clear line", err)
    shutil.rmtree(ro_dir, ignore_errors=True)

# serve refuses to start with broken templates, naming file:line
tdir = os.path.join(d, "templates")
shutil.copytree(os.path.join(SRCDIR, "templates"), tdir)
with open(os.path.join(tdir, "article.html"), "a") as f:
    f.write("\n{{#post}}unclosed\n")
sock = os.path.join(d, "s.sock")
rc, out, err = run(["serve", "--db", db, "--listen", "unix:" + sock, "--templates", tdir])
ok(rc == 1 and "article.html:" in err and "unclosed" in err, "template syntax error names file:line", err)
os.remove(os.path.join(tdir, "article.html"))
rc, out, err = run(["serve", "--db", db, "--listen", "unix:" + sock, "--templates", tdir])
ok(rc == 1 and "article" in err, "missing template stops serve", err)
rc, out, err = run(["serve", "--db", db, "--listen", "unix:" + sock, "--threads", "0"])
ok(rc == 2 and "threads" in err, "bad --threads is a usage error", err)

# clean shutdown on SIGTERM
p = subprocess.Popen([QUIRE, "serve", "--db", db, "--listen", "unix:" + sock, "--templates",
                      os.path.join(SRCDIR, "templates")], stderr=subprocess.PIPE, text=True)
for _ in range(100):
    if os.path.exists(sock):
        break
    time.sleep(0.05)
rc2, out2, err2 = run(["serve", "--db", db, "--listen", "unix:" + sock, "--templates", os.path.join(SRCDIR, "templates")])
ok(rc2 == 1 and "another server" in err2, "a second server does not steal a live socket", err2)
p.send_signal(signal.SIGTERM)
try:
    code = p.wait(timeout=10)
except subprocess.TimeoutExpired:
    p.kill()
    code = None
eq(code, 0, "SIGTERM stops serve with status 0")
ok(not os.path.exists(sock), "socket removed on shutdown")

# run from the build tree, not installed: the templates are found next to it
sock2 = os.path.join(d, "s2.sock")
p = subprocess.Popen([QUIRE, "serve", "--db", db, "--listen", "unix:" + sock2], stderr=subprocess.PIPE, text=True)
for _ in range(100):
    if os.path.exists(sock2) or p.poll() is not None:
        break
    time.sleep(0.05)
ok(os.path.exists(sock2), "quire serve without --templates finds the source tree's templates")
p.send_signal(signal.SIGTERM)
p.wait(timeout=10)

shutil.rmtree(d, ignore_errors=True)
done()
