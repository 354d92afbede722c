"""check: `quire check --config FILE` against a real exim (STARTTLS + AUTH, self-signed certificate
trusted through ca_file): a good configuration passes (exit 0) without sending mail; every failure
mode gives exit 1 and its line: no templates folder, a template missing, a media folder the service
user may not write, a listen path that is a regular file (left untouched), a bad base_url, an old
schema (the pending migrations listed), a newer schema, a relay refusing connections, a wrong
password, STARTTLS required but not offered; --send-test delivers exactly one mail and queues
nothing; quire.service's User= and StateDirectory= taken into account, a TCP port already taken,
base_url quoted as written (trailing slashes, upper case, non-ASCII hosts), an empty database
file, a missing config file. Needs root (exim -C; the --user nobody check), exim4 and openssl: fails without them."""
import glob
import os
import pwd
import re
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import time

from quiretest import QUIRE, SRCDIR, ok, eq, contains, lacks, done, free_port, run, exim_setup, EximRelay

top = tempfile.mkdtemp(prefix="quire-check-")
cert, key = exim_setup(top)
relay = EximRelay(top, "relay-tls", cert, key, tls=True)
plain = EximRelay(top, "relay-plain", cert, key, tls=False)

os.makedirs(os.path.join(top, "run"))
os.makedirs(os.path.join(top, "media"))
db = os.path.join(top, "quire.db")
rc, out, err = run(["init", "--db", db])
ok(rc == 0, "quire init makes a database", err)

GOOD = {
    "site": {"title": "Harbour Notes", "base_url": "https://blog.harbour.test"},
    "server": {"listen": "unix:%s/run/quire.sock" % top, "db": db, "media_dir": os.path.join(top, "media"),
               "templates": os.path.join(SRCDIR, "templates")},
    "mail": {"smtp_url": "smtp://127.0.0.1:%d" % relay.port, "username": "quire", "password": "secret",
             "starttls": "require", "ca_file": cert, "from": "blog@harbour.test", "timeout": "10"},
}
n_conf = 0


def conf(**over):
    """A configuration file: GOOD with over's "section_key" values replaced."""
    global n_conf
    n_conf += 1
    path = os.path.join(top, "quire-%d.conf" % n_conf)
    with open(path, "w", encoding="utf-8") as f:
        for section, keys in GOOD.items():
            f.write("[%s]\n" % section)
            for k, v in keys.items():
                v = over.pop("%s_%s" % (section, k), v)
                f.write("%s = %s\n" % (k, v))
    assert not over, over
    return path


# the quire.service installed on this machine (if any) is not this test's: every run reads a unit
# file only where a test names one (QUIRE_CHECK_UNIT), so an installed package changes nothing here
os.environ["QUIRE_CHECK_UNIT"] = os.path.join(tempfile.gettempdir(), "quire-check-no-unit-%d.service" % os.getpid())


def check(cfg, *extra):
    t = time.time()
    rc, out, err = run(["check", "--config", cfg] + list(extra))
    return rc, out + err, time.time() - t


def line(out, verdict, subject):
    """The first line of out with this verdict whose subject starts so, or ""."""
    for ln in out.splitlines():
        if ln.startswith(verdict) and ln[5:].startswith(subject):
            return ln
    return ""


def outbox_rows(path):
    conn = sqlite3.connect(path)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE '%outbox%'")]
        return {n: conn.execute("SELECT count(*) FROM %s" % n).fetchone()[0] for n in names}
    finally:
        conn.close()


def received(r):
    return len(re.findall(r"^\S+ \S+ \S+ <= ", r.log(), re.M))


# --- a good configuration: exit 0, every check named, no mail sent
good = conf()
rc, out, took = check(good)
eq(rc, 0, "a good configuration: exit 0")
print("# quire check (good configuration) took %.2f s" % took)
lacks(out, "\nFAIL", "no check failed")
LATEST = max(int(f.split("_")[0]) for f in os.listdir(os.path.join(SRCDIR, "sql")) if f.endswith(".sql"))
contains(out, "ok   database %s: schema version %d (current)" % (db, LATEST), "the database: schema version and current")
ok(line(out, "ok  ", "config %s" % good), "the configuration was read", out)
ok(line(out, "ok  ", "user") and "root" in line(out, "ok  ", "user"), "says which user is assumed", out)
ok(line(out, "ok  ", "listen unix:"), "the listen path is fine", out)
ok(line(out, "ok  ", "templates"), "the templates are complete", out)
ok(line(out, "ok  ", "media_dir"), "media_dir is writable", out)
ok(line(out, "ok  ", 'base_url "https://blog.harbour.test"'), "base_url is fine", out)
relay_line = line(out, "ok  ", "mail relay smtp://127.0.0.1:%d" % relay.port)
ok("STARTTLS" in relay_line and "logged in as quire" in relay_line and "sender blog@harbour.test accepted" in relay_line
   and "no mail was sent" in relay_line,
   "the relay: connected, STARTTLS, AUTH, sender accepted, no mail sent", out)
time.sleep(0.3)
eq(received(relay), 0, "exim received no message from the probe")
ok("SMTP connection from" in relay.log(), "exim saw the probe connect", relay.log()[-1500:])
ok(re.search(r"^\d+ ok, \d+ warnings?, 0 failed$", out, re.M), "a summary line ends it", out)
SYSTEMD_DIRS = ["/etc/systemd/system", "/usr/local/lib/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"]
try:
    pwd.getpwnam("quire")
except KeyError:   # as root, no --user, no quire user: a warning, and how to make it
    if not any(os.path.exists(os.path.join(d, "quire.service")) for d in SYSTEMD_DIRS):
        ok("no user 'quire' exists; quire.service runs as quire: create it with `adduser --system --group --home "
           "/var/lib/quire quire`" in line(out, "warn", "user"), "no quire user: a warning says how to make it", out)
ok("every user of this machine can read it" in line(out, "warn", "config %s" % good),
   "a world-readable config file holding the password: a warning", out)
ok(line(out, "ok  ", "ca_file %s" % cert), "ca_file is readable", out)

# --- --send-test: exactly one mail delivered, nothing queued
before = outbox_rows(db)
rc, out, took = check(good, "--send-test", "ann@harbour.test")
eq(rc, 0, "--send-test: exit 0")
contains(line(out, "ok  ", "mail test to ann@harbour.test"), "250", "the relay's answer is shown")
got = relay.wait(1, "ann@harbour.test", timeout=10)
time.sleep(0.5)
eq(len(relay.delivered("ann@harbour.test")), 1, "--send-test delivered exactly one mail")
contains(got[0].decode(errors="replace") if got else "", "Subject: Test mail from quire", "the test mail")
eq(outbox_rows(db), before, "nothing was added to any outbox table")
eq(received(relay), 1, "exim received one message in all")

# --- --no-smtp: the relay is not checked
rc, out, _ = check(conf(mail_smtp_url="smtp://127.0.0.1:%d" % free_port()), "--no-smtp")
ok(rc == 0 and line(out, "skip", "mail relay"), "--no-smtp skips the relay check (exit 0)", out)

# --- usage errors: exit 2
eq(run(["check"])[0], 2, "no --config: exit 2")
eq(run(["check", "--config", good, "--send-test", "not-an-address"])[0], 2, "--send-test with a bad address: exit 2")
eq(run(["check", "--config", good, "--user", "no-such-user-here"])[0], 2, "--user naming nobody known: exit 2")

# --- a configuration that does not parse: its file and line
bad = os.path.join(top, "bad.conf")
with open(bad, "w") as f:
    f.write("[site]\ntitle = x\nbogus line\n")
rc, out, _ = check(bad)
ok(rc == 1 and line(out, "FAIL", "config") and "%s:3:" % bad in out, "a line that does not parse: exit 1, file:line", out)

# --- failures, one at a time
rc, out, _ = check(conf(server_templates=os.path.join(top, "no-templates")), "--no-smtp")
ok(rc == 1 and "no such folder" in line(out, "FAIL", "templates %s/no-templates" % top),
   "a missing templates folder: exit 1 and its line", out)

partial = os.path.join(top, "tpl", "templates")
shutil.copytree(os.path.join(SRCDIR, "templates"), partial)
os.unlink(os.path.join(partial, "article.html"))
rc, out, _ = check(conf(server_templates=partial), "--no-smtp")
ok(rc == 1 and "missing template article.html" in line(out, "FAIL", "templates"),
   "a template missing: exit 1, named", out)

locked = os.path.join(top, "locked-media")
os.makedirs(locked)
os.chmod(locked, 0o700)
private = conf(server_media_dir=locked)
os.chmod(private, 0o600)
rc, out, _ = check(private, "--no-smtp", "--user", "nobody")
fail_media = line(out, "FAIL", "media_dir %s" % locked)
ok(rc == 1 and "nobody may not" in fail_media and "mode 0700, owner root" in fail_media,
   "a media folder nobody may write (as root, --user nobody): exit 1 and why", out)
ok("nobody may not read it" in line(out, "FAIL", "config %s" % private), "and a config file nobody may read", out)
ok("nobody may not create files in" in line(out, "FAIL", "database %s" % db), "and a database folder nobody may write", out)

plainfile = os.path.join(top, "run", "not-a-socket")
with open(plainfile, "w") as f:
    f.write("keep me\n")
st = os.stat(plainfile)
rc, out, _ = check(conf(server_listen="unix:" + plainfile), "--no-smtp")
ok(rc == 1 and "is a regular file, not a socket" in line(out, "FAIL", "listen unix:" + plainfile),
   "a listen path that is a regular file: exit 1 and its line", out)
st2 = os.stat(plainfile)
ok(open(plainfile).read() == "keep me\n" and (st2.st_ino, st2.st_mtime_ns, st2.st_mode) == (st.st_ino, st.st_mtime_ns, st.st_mode),
   "and the file is untouched")

live = os.path.join(top, "run", "live.sock")
ls = socket.socket(socket.AF_UNIX)
ls.bind(live)
ls.listen(4)
# run by nobody itself (no --user): the default user is the caller; the database is still read,
# though nobody may not make its -shm file
os.chmod(db, 0o644)  # quire makes it 0640 (umask 027); readable here, to show it is still read
mine = os.path.join(top, "quire")   # a copy nobody may run, wherever the build tree is
shutil.copy(QUIRE, mine)
p = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", mine, "check", "--config",
                    conf(), "--no-smtp"], capture_output=True, text=True, timeout=60)
ok(p.returncode == 1 and "nobody (uid" in line(p.stdout, "ok  ", "user") and
   "schema version %d (current); read as the file stands" % LATEST in line(p.stdout, "ok  ", "database") and
   "nobody may not write it" in p.stdout, "run as nobody: the caller's permissions, the schema still read", p.stdout + p.stderr)

# (each run below checks two independent lines, to keep the test short)
rc, out, _ = check(conf(server_listen="unix:" + live, server_media_dir=locked), "--no-smtp")
ok(rc == 0 and "a server is listening there" in line(out, "ok  ", "listen"), "a live socket: a server is running", out)
ok(line(out, "ok  ", "media_dir %s" % locked), "the 0700 media folder is fine for root", out)
ls.close()
rc, out, _ = check(conf(server_listen="unix:/run/quire/quire.sock", site_base_url="https://blog.example.org"),
                   "--no-smtp")
ok(rc == 0 and "example address" in line(out, "warn", "base_url"), "the shipped example base_url: a warning", out)
if not os.path.isdir("/run/quire"):
    ok("systemd makes it" in line(out, "warn", "listen"), "/run/quire missing: a warning, not a failure", out)
rc, out, _ = check(conf(server_listen="0.0.0.0:9000", site_base_url="http://blog.harbour.test"), "--no-smtp")
ok(rc == 0 and "not a loopback address" in line(out, "warn", "listen 0.0.0.0:9000"), "listening on every interface: a warning", out)
ok("plain http" in line(out, "warn", "base_url"), "http on a public host: a warning", out)

rc, out, _ = check(conf(site_base_url="http//x"), "--no-smtp")
ok(rc == 1 and line(out, "FAIL", 'base_url "http//x": not an absolute http(s) URL'), "a bad base_url: exit 1 and its line", out)

# an old schema: the first five migrations only, applied as quire would
old = os.path.join(top, "old.db")
conn = sqlite3.connect(old)
for path in sorted(glob.glob(os.path.join(SRCDIR, "sql", "0*.sql")))[:5]:
    conn.executescript(open(path).read())
conn.execute("PRAGMA user_version = 5")
conn.commit()
conn.close()
rc, out, _ = check(conf(server_db=old), "--no-smtp")
pend = next((ln for ln in out.splitlines() if ln.startswith("warn database %s: schema" % old)), "")
ok(rc == 0 and "schema version 5" in pend and "%d migrations" % (LATEST - 5) in pend and "006_stats" in pend and
   "024_comment_held" in pend and "005_search" not in pend and old + ".bak-5" in pend,
   "an old schema: a warning (the next start upgrades it), the backup's name and the pending migrations listed", out)
eq(sqlite3.connect(old).execute("PRAGMA user_version").fetchone()[0], 5, "check migrated nothing")

newer = os.path.join(top, "newer.db")
shutil.copy(db, newer)
conn = sqlite3.connect(newer)
conn.execute("PRAGMA user_version = 999")
conn.commit()
conn.close()
rc, out, _ = check(conf(server_db=newer), "--no-smtp")
ok(rc == 1 and "newer than this quire" in line(out, "FAIL", "database %s" % newer), "a newer schema: exit 1 (a downgrade)", out)

notdb = os.path.join(top, "notes.txt")
with open(notdb, "w") as f:
    f.write("x" * 2000)
rc, out, _ = check(conf(server_db=notdb, site_base_url="https://bücher.example"), "--no-smtp")
ok(rc == 1 and "not a database" in line(out, "FAIL", "database %s" % notdb), "a file that is no database: exit 1", out)
ok("xn--" in line(out, "FAIL", 'base_url "https://bücher.example"'), "and a non-ASCII host: use punycode", out)

# --- an installed quire.service with ProtectSystem=strict: the database and media folders must be
# among its writable paths (QUIRE_CHECK_UNIT points check at this unit file instead of systemd's)
unit = os.path.join(top, "quire.service")
with open(unit, "w") as f:
    f.write("[Service]\nProtectSystem=strict\nStateDirectory=quire\nReadWritePaths=-/srv/quire-media\n")
env = dict(os.environ, QUIRE_CHECK_UNIT=unit)
p = subprocess.run([QUIRE, "check", "--config", good, "--no-smtp"], capture_output=True, text=True, env=env, timeout=60)
ok(p.returncode == 1 and "outside its ReadWritePaths" in line(p.stdout, "FAIL", "systemd %s" % unit) and
   "ReadWritePaths=%s" % top in p.stdout, "a database outside the unit's ReadWritePaths: exit 1 and how to add it", p.stdout)
with open(unit, "a") as f:
    f.write("ReadWritePaths=%s\n" % top)
p = subprocess.run([QUIRE, "check", "--config", good, "--no-smtp"], capture_output=True, text=True, env=env, timeout=60)
ok(p.returncode == 0 and line(p.stdout, "ok  ", "systemd %s" % unit), "inside them: ok", p.stdout)

# --- the unit's User= and StateDirectory=; a TCP port something else holds
state = "quire-check-%d" % os.getpid()   # under /var/lib, made by nobody yet
ok(not os.path.exists("/var/lib/" + state), "/var/lib/%s does not exist" % state)
unit2 = os.path.join(top, "quire2.service")
with open(unit2, "w") as f:
    f.write("[Service]\nUser=quire-nobody-has\nProtectSystem=strict\nStateDirectory=%s %s/media\n" % (state, state))
taken = socket.socket()
taken.bind(("127.0.0.1", 0))
taken.listen(4)
tport = taken.getsockname()[1]
p = subprocess.run([QUIRE, "check", "--config", conf(server_db="/var/lib/%s/quire.db" % state,
                    server_media_dir="/var/lib/%s/media" % state, server_listen="127.0.0.1:%d" % tport,
                    site_base_url="HTTPS://Blog.Harbour.TEST"), "--no-smtp"],
                   capture_output=True, text=True, env=dict(os.environ, QUIRE_CHECK_UNIT=unit2), timeout=60)
out = p.stdout
ok(p.returncode == 0 and "StateDirectory=" in line(out, "warn", "database /var/lib/%s/quire.db" % state) and
   "StateDirectory=" in line(out, "warn", "media_dir /var/lib/%s/media" % state),
   "database and media folders the unit's StateDirectory= makes: warnings, exit 0", out)
ok("no user 'quire-nobody-has' exists; quire.service runs as quire-nobody-has: create it with `adduser --system "
   "--group --home /var/lib/quire quire-nobody-has`" in line(out, "warn", "user"), "the unit's User= missing: a warning", out)
ok("something already listens on 127.0.0.1:%d: quire serve cannot bind it" % tport in line(out, "warn", "listen"),
   "a TCP listen address already taken: a warning", out)
ok("https://blog.harbour.test" in line(out, "ok  ", 'base_url "HTTPS://Blog.Harbour.TEST": an https address'),
   "an upper-case scheme and host: accepted (exit 0: config_check too), as quire writes it", out)
taken.close()
with open(unit2, "w") as f:
    f.write("[Service]\nUser=nobody\n")
p = subprocess.run([QUIRE, "check", "--config", conf(site_base_url="https://blog.example.net"), "--no-smtp"],
                   capture_output=True, text=True, env=dict(os.environ, QUIRE_CHECK_UNIT=unit2), timeout=60)
ok("nobody (uid" in line(p.stdout, "ok  ", "user") and "from %s" % unit2 in p.stdout, "as root: the unit's User=", p.stdout)
w = line(p.stdout, "warn", "base_url")
ok("an example address" in w and "the package ships" not in w, "example.net: an example, not the shipped one", p.stdout)

# --- base_url as written, once; an empty database file; a missing config file
empty = os.path.join(top, "empty.db")
open(empty, "w").close()
rc, out, _ = check(conf(site_base_url="https://blog.mysite.org//", server_db=empty), "--no-smtp")
eq([ln for ln in out.splitlines() if "base_url" in ln],
   ['FAIL base_url "https://blog.mysite.org//": ends with slashes: quire serve refuses it; write https://blog.mysite.org'],
   "two trailing slashes: one FAIL line, the value as written")
ok(rc == 1 and "the next start creates quire's tables" in line(out, "warn", "database %s: empty" % empty),
   "a 0-byte database: a warning", out)
rc, out, _ = check(os.path.join(top, "no-such.conf"))
ok(rc == 1 and "No such file" in line(out, "FAIL", "config") and "fix that line" not in out, "a missing config file", out)

# --- the relay
rc, out, took = check(conf(mail_smtp_url="smtp://127.0.0.1:%d" % free_port()))
ok(rc == 1 and "could not connect" in line(out, "FAIL", "mail relay"), "a relay refusing connections: exit 1 and why", out)
silent = socket.socket()
silent.bind(("127.0.0.1", 0))
silent.listen(4)   # accepts (the kernel does) and never says a word
rc, out, took = check(conf(mail_smtp_url="smtp://127.0.0.1:%d" % silent.getsockname()[1], mail_timeout="1"))
ok(rc == 1 and "timed out" in line(out, "FAIL", "mail relay") and took < 15,
   "a relay that never answers: exit 1, timed out after mail.timeout (%.1f s in all)" % took, out)
silent.close()
rc, out, _ = check(conf(mail_password="wrong"), "--send-test", "ben@harbour.test")
fail_auth = line(out, "FAIL", "mail relay")
ok(rc == 1 and "authentication failed" in fail_auth and "STARTTLS" in fail_auth, "a wrong password: exit 1, after STARTTLS", out)
ok(line(out, "skip", "mail test"), "and --send-test sends nothing then", out)
rc, out, _ = check(conf(mail_username="", mail_password=""))
ok(rc == 1 and "sender refused" in line(out, "FAIL", "mail relay") and "STARTTLS" in line(out, "FAIL", "mail relay"),
   "no login where the relay wants one: MAIL FROM refused, exit 1", out)
rc, out, _ = check(conf(mail_smtp_url="smtp://127.0.0.1:%d" % plain.port))
ok(rc == 1 and "does not offer STARTTLS" in line(out, "FAIL", "mail relay"), "STARTTLS required, not offered: exit 1", out)
rc, out, _ = check(conf(mail_ca_file=""))
ok(rc == 1 and "certificate" in line(out, "FAIL", "mail relay"), "a certificate not trusted: exit 1", out)
time.sleep(0.3)
eq(received(relay) + received(plain), 1, "no failed check delivered anything (only the one test mail)")
eq(len(relay.delivered("ben@harbour.test")), 0, "no test mail after a failed relay check")

relay.stop()
plain.stop()
if os.environ.get("QUIRE_KEEP_TMP") is None:
    shutil.rmtree(top, ignore_errors=True)
done()
