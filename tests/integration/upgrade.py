"""upgrade: a blog made with the first released schema (sql/001_init.sql alone, user_version 1, as
the first commit's quire made it) and filled with content is served by this quire: the database is
backed up beside itself (quire.db.bak-1, schema 1, every row), migrated, and every reader and admin
page answers with the old content; a second start makes no second backup. Then every older schema
N (sql/001..N applied here with Python's sqlite3) upgrades with `quire init`; a newer schema is
refused by serve, init and the other commands with the file untouched; a backup that cannot be
written (a file size limit standing for a full disk, a folder quire may not write) stops the
upgrade with the database unchanged."""
import concurrent.futures
import hashlib
import os
import re
import resource
import shutil
import signal
import sqlite3
import tempfile
import time
import xml.etree.ElementTree as ET

from quiretest import QUIRE, SRCDIR, Stack, contains, done, eq, lacks, ok, run
import subprocess

SQL = os.path.join(SRCDIR, "sql")
MIGRATIONS = sorted((int(f[:3]), os.path.join(SQL, f)) for f in os.listdir(SQL) if re.match(r"[0-9]{3}_.*\.sql$", f))
LATEST = MIGRATIONS[-1][0]
OLD_PASSWORD = "old password 1"
# `quire user add` of the first release: libsodium's crypto_pwhash_str (argon2id) of OLD_PASSWORD
PW_HASH = "$argon2id$v=19$m=65536,t=2,p=1$hVApIUr9+qvSgKX12acHVQ$ZH+XnnlRspzpOcm1uSuDjNu2IFhBNGMvlSHbaRSlSjI"
NOW = int(time.time())
DAY = 86400
VERSION = re.search(r"quire (\S+)", run(["--version"])[1]).group(1)


def make_db(path, upto):
    """A database as the quire of schema `upto` left it: WAL, sql/001..upto, user_version."""
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")  # the test's own writes need not survive a crash
    script = ["BEGIN;"]
    for v, f in MIGRATIONS:
        if v <= upto:
            with open(f) as sql:
                script.append(sql.read() + "\n;\n")
    con.executescript("".join(script) + "PRAGMA user_version=%d; COMMIT;" % upto)
    return con


def columns(con, table):
    return [r[1] for r in con.execute("PRAGMA table_info(%s)" % table)]


def ins(con, table, **vals):
    """INSERT of the values whose columns exist in this schema; None when the table does not."""
    have = columns(con, table)
    if not have:
        return None
    keep = {k: v for k, v in vals.items() if k in have}
    return con.execute("INSERT INTO %s(%s) VALUES(%s)" % (table, ", ".join(keep), ", ".join("?" * len(keep))),
                       list(keep.values())).lastrowid


POSTS = [  # slug, title, Markdown, status, tags, days ago, comments closed
    ("harbour", "A harbour at dawn", "The *boats* wait for the **tide**.\n\n- nets\n- ropes\n\n"
     "[The old map](https://example.org/map)\n", "published", ["travel"], 30, 0),
    ("lighthouse", "The lighthouse keeper", "## Night\n\nThe lamp turns `every ten seconds`.\n", "published",
     ["travel", "notes"], 20, 0),
    ("soup", "Fish soup", "1. onions\n2. fish\n\n> Patience is the secret.\n", "published", ["notes"], 10, 0),
    ("closed", "An old closed thread", "Comments are closed here.\n", "published", [], 5, 1),
    ("unfinished", "Unfinished thoughts", "Not ready yet.\n", "draft", [], 1, 0),
]


def fill(con):
    """The sample blog, in whatever schema con holds: what the first release could store, and a
    row in the tables later schemas added."""
    con.execute("BEGIN")
    ins(con, "settings", key="identicon_key", value="ab" * 32)
    ada = ins(con, "users", name="Ada Lovelace", slug="ada-lovelace", email="ada@example.org",
              bio="Wrote the first program.", pw_hash=PW_HASH, created_at=NOW - 40 * DAY)
    grace = ins(con, "users", name="Grace Hopper", slug="grace-hopper", email="grace@example.org", bio="",
                pw_hash=PW_HASH, created_at=NOW - 40 * DAY, role="author")
    tags = {t: ins(con, "tags", name=t.capitalize(), slug=t) for t in ("travel", "notes")}
    ids = {}
    for slug, title, md, status, tl, ago, closed in POSTS:
        html = "<p>%s</p>\n" % md.split("\n")[0]
        ids[slug] = ins(con, "posts", slug=slug, title=title, body_md=md, body_html=html, excerpt="",
                        author_id=ada if slug != "soup" else grace, status=status,
                        published_at=NOW - ago * DAY, created_at=NOW - ago * DAY, updated_at=NOW - ago * DAY,
                        comments_closed=closed, notified_at=NOW - ago * DAY if status == "published" else None,
                        sticky=0, kind="post")
        for t in tl:
            ins(con, "post_tags", post_id=ids[slug], tag_id=tags[t])
    ins(con, "slug_redirects", old_slug="old-harbour", post_id=ids["harbour"])
    first = ins(con, "comments", post_id=ids["harbour"], author_name="Mary Anning", author_email="mary@example.org",
                author_url="https://example.org/mary", body="What a *lovely* morning.", status="approved",
                notify=1, ip="192.0.2.7", user_agent="Old browser", created_at=NOW - 29 * DAY,
                body_html="<p>What a <em>lovely</em> morning.</p>\n")
    ins(con, "comments", post_id=ids["harbour"], parent_id=first, author_name="Ada Lovelace",
        author_email="ada@example.org", body="Thank you, Mary.", status="approved", created_at=NOW - 28 * DAY)
    ins(con, "comments", post_id=ids["harbour"], author_name="Seller", author_email="s@example.org",
        body="Buy cheap watches", status="pending", created_at=NOW - 27 * DAY)
    ins(con, "comments", post_id=ids["lighthouse"], author_name="Bot", author_email="bot@example.org",
        body="spam spam", status="spam", created_at=NOW - 19 * DAY)
    ins(con, "subscribers", email="reader@example.org", status="confirmed", created_at=NOW - 25 * DAY,
        confirmed_at=NOW - 25 * DAY, wants_posts=1)
    ins(con, "subscribers", email="waiting@example.org", status="pending", token_hash=b"\1" * 32,
        token_expires=NOW + DAY, created_at=NOW - DAY)
    ins(con, "outbox", recipient="reader@example.org", kind="post", payload='{"post":1}', state="sent",
        attempts=1, next_attempt=NOW - 30 * DAY, created_at=NOW - 30 * DAY, ref_id=ids["harbour"])
    ins(con, "sessions", token_hash=b"\2" * 32, user_id=ada, csrf="c" * 64, expires_at=NOW - DAY,
        created_at=NOW - 2 * DAY)
    # tables of later schemas
    ins(con, "legacy_redirects", path="/2020/01/01/harbour", post_id=ids["harbour"])
    ins(con, "stats_daily", day=time.strftime("%Y-%m-%d", time.gmtime(NOW - DAY)), views=12, visitors=5)
    ins(con, "tag_aliases", old_slug="voyages", tag_id=tags["travel"])
    ins(con, "author_logins", login="ada", user_id=ada)
    ins(con, "media_sizes", name="boat.jpg", width=800, height=600)
    ins(con, "site_options", key="description", value="Notes from the coast", updated_at=NOW - DAY)
    ins(con, "audit_log", at=NOW - DAY, user_id=ada, action="settings.description", detail='"" -> "Notes"')
    ins(con, "media", name="boat.jpg", orig_name="boat.jpg", mime="image/jpeg", bytes=1234, width=800,
        height=600, alt="A boat", uploaded_by=ada, created_at=NOW - DAY, owned=1)
    ins(con, "revisions", post_id=ids["harbour"], kind="save", title="A harbour", body_md="Earlier text.",
        excerpt="", tags="travel", user_id=ada, created_at=NOW - 29 * DAY, version=1)
    con.execute("COMMIT")


COUNTED = ("users", "posts", "tags", "post_tags", "comments", "subscribers", "outbox", "slug_redirects")


def counts(path):
    con = sqlite3.connect(path)
    try:
        return {t: con.execute("SELECT count(*) FROM %s" % t).fetchone()[0] for t in COUNTED}
    finally:
        con.close()


def one(path, sql):
    con = sqlite3.connect(path)
    try:
        row = con.execute(sql).fetchone()
        return row[0] if row else None
    finally:
        con.close()


def state(path):
    """The file's bytes and mtime, and what lies beside it."""
    st = os.stat(path)
    folder = os.path.dirname(path)
    return (hashlib.sha256(open(path, "rb").read()).hexdigest(), st.st_mtime_ns, sorted(os.listdir(folder)))


def backups(folder):
    return sorted(f for f in os.listdir(folder) if ".bak-" in f)


# --- 1. the first released schema, filled, served by this quire through nginx --------------
s = Stack("upgrade", init=False)
con = make_db(s.db, 1)
fill(con)
con.close()
before = counts(s.db)
eq(one(s.db, "PRAGMA user_version"), 1, "the old blog is schema 1 (sql/001_init.sql alone)")
t0 = time.time()
s.start()
log = open(os.path.join(s.dir, "quire.log")).read()
bak = s.db + ".bak-1"
ok(os.path.exists(bak), "quire serve backed the old database up to quire.db.bak-1 before migrating", log)
eq(one(bak, "PRAGMA user_version"), 1, "the backup holds schema 1")
eq(one(bak, "PRAGMA integrity_check"), "ok", "the backup passes integrity_check")
eq(counts(bak), before, "the backup holds every row of the old database")
eq(one(bak, "SELECT body_md FROM posts WHERE slug = 'harbour'"), POSTS[0][2], "and the old Markdown as it was")
eq(one(bak, "PRAGMA journal_mode"), "delete", "the backup stands alone (no -wal needed to read it)")
eq(oct(os.stat(bak).st_mode & 0o777), "0o600", "the backup is readable by its owner only (it holds password hashes)")
eq(one(s.db, "PRAGMA user_version"), LATEST, "the live database is at the newest schema (%d)" % LATEST)
eq(one(s.db, "SELECT value FROM quire_meta WHERE key = 'written_by'"), VERSION,
   "quire_meta records the quire that wrote the schema (%s)" % VERSION)
eq(counts(s.db), before, "the migrated database keeps every row")
contains(log, "quire: upgrade: backed up %s (schema 1, " % s.db, "the log names the backup")
contains(log, "to %s\n" % bak, "with its path")
contains(log, "quire: upgrade: applied 002_admin\n", "one line per migration applied")
contains(log, "quire: upgrade: applied %s\n" % os.path.basename(MIGRATIONS[-1][1])[:-4], "up to the newest")
contains(log, "quire: upgrade: schema 1 -> %d\n" % LATEST, "and the upgrade in one line")
ok(log.index("backed up") < log.index("applied 002"), "the backup comes before the first migration")

# reader pages
r = s.get("/")
eq(r.status, 200, "home answers 200")
for slug, title, md, status, tl, ago, closed in POSTS[1:4]:
    contains(r.body, title, "home lists the old post %r" % title)
lacks(r.body, "Unfinished thoughts", "the old draft stays hidden")
r = s.get("/page/2")
eq(r.status, 200, "the archive's page 2 answers 200")
contains(r.body, "A harbour at dawn", "and lists the oldest post")
r = s.get("/posts/harbour")
eq(r.status, 200, "the old article answers 200")
contains(r.body, "The <em>boats</em> wait for the <strong>tide</strong>.", "its Markdown rendered by this quire")
contains(r.body, '<a href="https://example.org/map">The old map</a>', "with its link")
contains(r.body, "Mary Anning", "the old approved comment is shown")
contains(r.body, "What a <em>lovely</em> morning.", "rendered")
contains(r.body, "Thank you, Mary.", "and the reply to it")
lacks(r.body, "Buy cheap watches", "the pending comment is not shown")
lacks(r.body, "spam spam", "nor the spam")
eq(s.get("/posts/unfinished").status, 404, "the old draft is 404")
r = s.get("/posts/old-harbour")
eq((r.status, r.header("location")), (301, "/posts/harbour"), "the old slug redirect still answers 301")
r = s.get("/posts/closed")
eq(r.status, 200, "the post with closed comments answers 200")
lacks(r.body, 'name="comment"', "its comments stay closed")
r = s.get("/tags/travel")
eq(r.status, 200, "a tag page answers 200")
ok("A harbour at dawn" in r.body and "The lighthouse keeper" in r.body and "Fish soup" not in r.body,
   "and lists the posts tagged so in the old database", r.body[:2000])
eq(s.get("/tags").status, 200, "the tags index answers 200")
r = s.get("/authors/ada-lovelace")
eq(r.status, 200, "the old author's page answers 200")
contains(r.body, "Wrote the first program.", "with the old bio")
r = s.get("/feed.atom")
eq(r.status, 200, "the feed answers 200")
ns = "{http://www.w3.org/2005/Atom}"
titles = [e.findtext(ns + "title") for e in ET.fromstring(r.raw).iter(ns + "entry")]
eq(sorted(titles), sorted(p[1] for p in POSTS if p[3] == "published"), "the feed lists the old published posts")
r = s.get("/comments.atom")
eq(r.status, 200, "the comments feed answers 200")
contains(r.body, "Mary Anning", "and has the old comment")
r = s.get("/sitemap.xml")
eq(r.status, 200, "the sitemap answers 200")
contains(r.body, "/posts/lighthouse</loc>", "and lists the old posts")
r = s.get("/search?q=lighthouse")
eq(r.status, 200, "search answers 200")
contains(r.body, 'href="/posts/lighthouse"', "and finds an old post (the index built by the migrations)")

# the admin: the old password, the dashboard, edit and save the old post
jar, csrf = s.login("Ada Lovelace", password=OLD_PASSWORD)
ok(csrf, "the old password logs in")
r = s.get("/admin/", jar=jar)
eq(r.status, 200, "the dashboard answers 200")
contains(r.body, "Unfinished thoughts", "and shows the old draft")
r = s.get("/admin/posts", jar=jar)
eq(r.status, 200, "the posts list answers 200")
contains(r.body, "A harbour at dawn", "with the old posts")
r = s.get("/admin/comments?status=pending", jar=jar)
eq(r.status, 200, "the comments list answers 200")
contains(r.body, "Buy cheap watches", "with the old pending comment")
r = s.get("/admin/subscribers", jar=jar)
eq(r.status, 200, "the subscribers list answers 200")
contains(r.body, "reader@example.org", "with the old subscriber")
pid = one(s.db, "SELECT id FROM posts WHERE slug = 'harbour'")
r = s.get("/admin/posts/%d/edit" % pid, jar=jar)
eq(r.status, 200, "the editor opens the old post")
contains(r.body, "The *boats* wait for the **tide**.", "with its Markdown")
form = re.search(r'<form[^>]*id="post-form".*?</form>', r.body, re.S).group(0)


def unescape(t):
    return t.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'").replace("&amp;", "&")


fields = {}
for m in re.finditer(r"<input([^>]*)>", form):
    a = m.group(1)
    name, kind = re.search(r'name="([^"]*)"', a), re.search(r'type="([^"]*)"', a)
    kind = kind.group(1) if kind else "text"
    if not name or kind in ("file", "submit", "button") or (kind in ("checkbox", "radio") and "checked" not in a):
        continue
    v = re.search(r'value="([^"]*)"', a)
    fields[name.group(1)] = unescape(v.group(1)) if v else ("on" if kind == "checkbox" else "")
for m in re.finditer(r'<textarea[^>]*name="([^"]*)"[^>]*>(.*?)</textarea>', form, re.S):
    fields[m.group(1)] = unescape(m.group(2))
for m in re.finditer(r'<select[^>]*name="([^"]*)"[^>]*>(.*?)</select>', form, re.S):
    sel = re.search(r'<option[^>]*value="([^"]*)"[^>]*selected', m.group(2))
    if sel:
        fields[m.group(1)] = unescape(sel.group(1))
fields["body"] = fields.get("body", "") + "\nEdited after the upgrade.\n"
fields["action"] = "publish"
r = s.post("/admin/posts/%d" % pid, fields, jar=jar)
ok(r.status == 303, "saving the old post after the upgrade succeeds", "%d %s" % (r.status, r.body[:800]))
r = s.get("/posts/harbour")
ok(r.status == 200 and "Edited after the upgrade." in r.body and "<strong>tide</strong>" in r.body,
   "the article shows the edit and the old text", r.body[:1500])
contains(r.body, "Mary Anning", "and keeps its comments")

# a second start: the schema is current, no second backup
s.restart()
eq(backups(s.dir), ["quire.db.bak-1"], "a second start makes no second backup")
eq(open(os.path.join(s.dir, "quire.log")).read().count("upgrade: backed up"), 1, "nor logs one")
eq(s.get("/posts/harbour").status, 200, "and serves")
s.stop()
print("# the served upgrade took %.1f s" % (time.time() - t0))

# --- 2. every older schema upgrades with quire init -----------------------------------------
t0 = time.time()
work = tempfile.mkdtemp(prefix="quire-upgrade-")
good = []
wanted, inits = {}, {}
for v, _ in MIGRATIONS[:-1]:
    db = os.path.join(work, "v%03d.db" % v)
    con = make_db(db, v)
    fill(con)
    con.close()
    wanted[v] = counts(db)
    if v == 7:  # a file already at the backup's name is not quire's to replace
        with open(db + ".bak-7", "w") as f:
            f.write("not quire's\n")
# two at a time: the machine has two cores
with concurrent.futures.ThreadPoolExecutor(2) as pool:
    for v, _ in MIGRATIONS[:-1]:
        inits[v] = pool.submit(run, ["init", "--db", os.path.join(work, "v%03d.db" % v)])
for v, _ in MIGRATIONS[:-1]:
    db = os.path.join(work, "v%03d.db" % v)
    want = wanted[v]
    rc, out, err = inits[v].result()
    bak = db + (".bak-7.2" if v == 7 else ".bak-%d" % v)
    problems = []
    if rc != 0 or "applied %d migration" % (LATEST - v) not in out:
        problems.append("init: rc %d %s %s" % (rc, out, err))
    else:
        con = sqlite3.connect(db)
        if con.execute("PRAGMA user_version").fetchone()[0] != LATEST:
            problems.append("user_version")
        if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            problems.append("integrity_check")
        if con.execute("PRAGMA foreign_key_check").fetchall():
            problems.append("foreign_key_check")
        if con.execute("SELECT count(*) FROM posts_fts WHERE posts_fts MATCH 'lighthouse'").fetchone()[0] != 1:
            problems.append("search index")
        con.close()
        if counts(db) != want:
            problems.append("rows %r != %r" % (counts(db), want))
        if not os.path.exists(bak) or one(bak, "PRAGMA user_version") != v or counts(bak) != want:
            problems.append("backup %s" % bak)
        if "upgrade: schema %d -> %d" % (v, LATEST) not in err:
            problems.append("log: " + err[-300:])
    ok(not problems, "schema %d with data upgrades to %d with quire init (rows, search, backup %s)" %
       (v, LATEST, os.path.basename(bak)), "; ".join(problems))
    if not problems:
        good.append(v)
eq(open(os.path.join(work, "v007.db.bak-7")).read(), "not quire's\n", "a file at the backup's name is left alone")
rc, out, err = run(["init", "--db", os.path.join(work, "v007.db")])
ok(rc == 0 and "nothing to do" in out and "backed up" not in err, "init on a current database makes no backup", err)
print("# %d schemas upgraded in %.1f s" % (len(good), time.time() - t0))

# --- 3. a newer schema: refused, the file untouched ------------------------------------------
newer = os.path.join(work, "newer")
os.mkdir(newer)
db = os.path.join(newer, "quire.db")
con = make_db(db, LATEST)
fill(con)
con.execute("INSERT OR REPLACE INTO quire_meta(key, value) VALUES('written_by', '9.9.9')")
con.execute("PRAGMA user_version=999")
con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
con.close()
with open(db + ".bak-%d" % LATEST, "wb") as f:  # the name the message should offer
    f.write(open(db, "rb").read())
was = state(db)
line = ("%s has schema 999 (written by quire 9.9.9); this quire %s knows schema %d. Install quire 9.9.9 or newer, "
        "or restore a backup made before the upgrade (quire.db.bak-%d)." % (db, VERSION, LATEST, LATEST))
for args in (["serve", "--db", db, "--listen", "unix:" + os.path.join(newer, "q.sock")], ["init", "--db", db],
             ["post", "list", "--db", db], ["user", "list", "--db", db]):
    rc, out, err = run(args)
    eq((rc, err), (1, "quire: " + line + "\n"), "quire %s refuses a newer schema in one line, exit 1" % args[0])
eq(state(db), was, "the newer database is untouched (bytes, mtime, no backup, no -wal left)")

# --- 4. the backup cannot be written: nothing migrates ---------------------------------------
full = os.path.join(work, "full")
os.mkdir(full)
db = os.path.join(full, "quire.db")
con = make_db(db, 1)
fill(con)
con.execute("INSERT INTO posts(slug, title, body_md, body_html, published_at, created_at, updated_at) "
            "VALUES('big', 'Big', ?, '', 1, 1, 1)", ("long text " * 40000,))
con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
con.close()
was = state(db)


def small_disk():
    """No file may grow past 256 kB: a full disk as far as the backup can tell."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (256 * 1024, 256 * 1024))


for args in (["init", "--db", db], ["serve", "--db", db, "--listen", "unix:" + os.path.join(full, "q.sock")]):
    p = subprocess.run([QUIRE] + args, capture_output=True, text=True, timeout=60, preexec_fn=small_disk)
    ok(p.returncode == 1 and "the backup made first failed" in p.stderr and "was not changed" in p.stderr,
       "quire %s: a backup that cannot be written stops the upgrade, exit 1" % args[0], p.stderr)
    ok(re.search(r"needs about [0-9.]+ (kB|MB) free in %s" % re.escape(full), p.stderr) and
       "quire init --db %s --backup-dir" % db in p.stderr, "it says how much room is needed and how to migrate by hand",
       p.stderr)
    eq(state(db), was, "the database is untouched and nothing is left beside it")
other = os.path.join(work, "other-disk")
os.mkdir(other)
rc, out, err = run(["init", "--db", db, "--backup-dir", other])
ok(rc == 0 and os.path.exists(os.path.join(other, "quire.db.bak-1")), "quire init --backup-dir DIR migrates by hand", err)
eq(one(os.path.join(other, "quire.db.bak-1"), "SELECT count(*) FROM posts"), len(POSTS) + 1, "with the copy in DIR")

# a folder the service user may not write: quire cannot even open it, and changes nothing
ro = os.path.join(work, "readonly")
os.mkdir(ro)
os.chmod(work, 0o711)
db = os.path.join(ro, "quire.db")
con = make_db(db, 1)
fill(con)
con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
con.close()
os.chmod(ro, 0o555)
os.chmod(db, 0o666)
was = state(db)


def nobody():
    if os.geteuid() == 0:  # root writes anywhere: run as nobody, as a service user would
        os.setgid(65534)
        os.setuid(65534)


p = subprocess.run([QUIRE, "init", "--db", db], capture_output=True, text=True, timeout=60, preexec_fn=nobody)
ok(p.returncode == 1 and db in p.stderr and "needs to write to the folder %s" % ro in p.stderr,
   "a database in a folder quire may not write is refused, exit 1, naming the folder", p.stderr)
eq(state(db), was, "and left untouched")
eq(one(db, "PRAGMA user_version"), 1, "still at schema 1")
os.chmod(ro, 0o755)
# --- a migration that fails half way: all or nothing --------------------------------------
# two 'post' mails to one address in schema 1: 004's unique index (kind, ref_id, recipient) fails
# after 002 and 003 would have applied; the database must stay at schema 1, whole
half = tempfile.mkdtemp(prefix="quire-upgrade-half-")
hdb = os.path.join(half, "quire.db")
con = make_db(hdb, 1)
for _ in range(2):
    con.execute("INSERT INTO outbox(recipient, kind, payload, next_attempt, created_at) "
                "VALUES('a@example.com', 'post', 'x', 0, 0)")
con.close()
rc, out, err = run(["init", "--db", hdb])
ok(rc == 1 and "004_mail" in err and "nothing was migrated" in err and "quire.db.bak-1" in err,
   "a failing migration: exit 1, which one, nothing migrated, the backup named", err)
eq(one(hdb, "PRAGMA user_version"), 1, "the database is still at schema 1 (002 and 003 rolled back too)")
eq(one(hdb, "SELECT count(*) FROM sqlite_schema WHERE name = 'login_failures'"), 0,
   "no table of a later migration is left behind")
shutil.rmtree(half, ignore_errors=True)
done()
