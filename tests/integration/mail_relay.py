"""mail_relay: quire against a real MTA (Debian's exim4) on loopback: STARTTLS + AUTH with a
self-signed certificate trusted through ca_file, SMTPS, a wrong password (the queue pauses, then
resumes once fixed), STARTTLS required but not offered, AUTH offered without TLS (the password
never leaves), a per-recipient 550, and SpamAssassin's score of a delivered notification.

exim refuses `-C FILE` from anyone but root (or configs listed in TRUSTED_CONFIG_LIST, which
Debian does not set), so this test needs root; without it, or without exim, it fails loudly
(tests/quiretest.py: exim_setup, EximRelay)."""
import base64
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time

from quiretest import QUIRE, Stack, ok, eq, contains, lacks, done, free_port, run, exim_setup, EximRelay

top = tempfile.mkdtemp(prefix="quire-relay-")
cert, key = exim_setup(top)


def Exim(name, tls=True, smtps=False):
    return EximRelay(top, name, cert, key, tls=tls, smtps=smtps)


class Recorder:
    """A TCP proxy that keeps every byte the client sends (to see what crossed the wire)."""

    def __init__(self, target):
        self.target = target
        self.client_bytes = b""
        self.ls = socket.socket()
        self.ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.ls.bind(("127.0.0.1", 0))
        self.ls.listen(8)
        self.port = self.ls.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            c, _ = self.ls.accept()
            u = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self.pipe, args=(c, u, True), daemon=True).start()
            threading.Thread(target=self.pipe, args=(u, c, False), daemon=True).start()

    def pipe(self, src, dst, record):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if record:
                    self.client_bytes += data
                dst.sendall(data)
        except OSError:
            pass
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def blog(name, mail_config, subscribers=("ann@example.org", "ben@example.org")):
    """A database with confirmed subscribers and a just-published post (its mails queued);
    returns (db path, config path)."""
    d = os.path.join(top, name)
    os.makedirs(d, exist_ok=True)
    db, cfg = os.path.join(d, "quire.db"), os.path.join(d, "quire.conf")
    run(["init", "--db", db])
    conn = sqlite3.connect(db)
    for addr in subscribers:
        conn.execute("INSERT INTO subscribers(email, status, wants_posts, created_at) VALUES (?, 'confirmed', 1, 0)",
                     (addr,))
    conn.commit()
    conn.close()
    write_config(cfg, mail_config)
    post = os.path.join(d, "post.md")
    with open(post, "w") as f:
        f.write("---\ntitle: Notes from the harbour\nslug: harbour\nauthor: \n---\n"
                "The boats came in at dawn, and the fishermen sorted the catch on the quay while the gulls "
                "waited. Read about the morning, the tide tables and the small café by the lighthouse.\n")
    rc, out, err = run(["post", "import", "--db", db, post])
    ok(rc == 0, "%s: a post is published and its notifications queued" % name, err)
    return db, cfg


def write_config(cfg, mail_config):
    with open(cfg, "w") as f:
        f.write("[site]\ntitle = Harbour Notes\nbase_url = https://blog.example.org\n[mail]\nsender = off\n"
                "from = blog@example.org\nretry_base = 1\n" + mail_config)


def mail(sub, db, cfg, *extra):
    return run(["mail", sub, "--db", db, "--config", cfg] + list(extra))


def q(db, sql):
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# === relay 1: STARTTLS + AUTH, and SMTPS on a second port
relay = Exim("relay-tls", tls=True, smtps=True)
starttls_cfg = "smtp_url = smtp://127.0.0.1:%d\nusername = quire\npassword = secret\nstarttls = require\n" % relay.port

# the username forgotten: exim refuses MAIL FROM (550 authentication required). That refuses the
# sender, not the subscribers: the queue pauses, and nobody is marked bouncing
db0, cfg0 = blog("nologin", "smtp_url = smtp://127.0.0.1:%d\nstarttls = require\nca_file = %s\ntimeout = 20\n"
                 % (relay.port, cert), subscribers=("cat@example.org", "dan@example.org"))
rc, out, err = mail("run", db0, cfg0)
ok(rc != 0, "a relay refusing the sender: quire mail run exits non-zero", out + err)
rc, out, err = mail("status", db0, cfg0)
contains(out, "sender refused", "status says the sender was refused")
contains(out, "paused", "and that sending is paused")
eq(q(db0, "SELECT DISTINCT status FROM subscribers"), [("confirmed",)], "no subscriber is marked bouncing")
eq(q(db0, "SELECT DISTINCT state FROM outbox"), [("queued",)], "every row still queued")

# without ca_file the self-signed certificate is refused: verification is never switched off
db, cfg = blog("starttls", starttls_cfg + "timeout = 20\n",
               subscribers=("ann@example.org", "ben@example.org", "bounce@example.org"))
rc, out, err = mail("run", db, cfg)
ok(rc != 0, "an unverifiable certificate: quire mail run exits non-zero", out + err)
rc, out, err = mail("status", db, cfg)
contains(out, "certificate rejected", "status says the certificate was rejected")
contains(out, "paused", "and that sending is paused")
eq(q(db, "SELECT state, attempts FROM outbox ORDER BY id"), [("queued", 0)] * 3, "every row still queued, no attempt spent")
eq(relay.delivered(), [], "nothing was delivered")

# with ca_file: the configuration changed, so sending resumes by itself
write_config(cfg, starttls_cfg + "ca_file = %s\n" % cert)
rc, out, err = mail("run", db, cfg)
ok(rc == 0, "STARTTLS + AUTH with ca_file: quire mail run exits 0", out + err)
ann = relay.wait(1, "ann@example.org")
eq(len(ann), 1, "STARTTLS + AUTH: the notification is delivered by exim")
eq(len(relay.wait(1, "ben@example.org")), 1, "to every subscriber")
eq(q(db, "SELECT state FROM outbox WHERE recipient = 'bounce@example.org'"), [("failed",)],
   "a per-recipient 550 fails only that row")
eq(q(db, "SELECT status FROM subscribers WHERE email = 'bounce@example.org'"), [("bouncing",)], "and marks it bouncing")
rc, out, err = mail("status", db, cfg)
lacks(out, "paused", "not paused after a 550 for one recipient")
contains(out, "last error: refused by the relay (550", "status shows the last error in words")
log = relay.log()
ok(re.search(r"<= blog@example.org H=\(blog\.example\.org\) \[127\.0\.0\.1\] P=esmtpsa X=TLS", log),
   "exim saw EHLO blog.example.org, TLS and AUTH (P=esmtpsa)", log[-2000:])
contains(log, "A=plain:quire", "authenticated as quire")

# --- what the notification looks like after a real MTA
raw = ann[0]
msg_text = raw.decode("utf-8", errors="replace")
for h in ("Date:", "Message-ID: <", "MIME-Version: 1.0", "List-Id: \"Harbour Notes\" <list.blog.example.org>",
          "List-Unsubscribe: <https://blog.example.org/unsubscribe?", "List-Unsubscribe-Post: List-Unsubscribe=One-Click"):
    contains(msg_text, h, "the delivered notification has %s" % h.split(":")[0])
ok(re.search(r"^Message-ID: <[0-9a-f]+@blog\.example\.org>", msg_text, re.M), "Message-ID carries the site's host")
lacks(msg_text, "mailto:", "no mailto unsubscribe")

# --- SpamAssassin (local tests only, no network) scores it at 0 or below
eml = os.path.join(top, "notification.eml")
open(eml, "wb").write(raw)
sa = shutil.which("spamassassin")
if not sa:
    ok(False, "spamassassin is installed (Debian package spamassassin; test.sh installs it)")
else:
    # ALL_TRUSTED (-1) only says the message came over loopback; it is scored 0 so the mail earns
    # its score by itself, as it would arriving from the internet
    p = subprocess.run([sa, "-L", "-t", "--cf=use_bayes 0", "--cf=score ALL_TRUSTED 0"], stdin=open(eml, "rb"),
                       capture_output=True, timeout=120)
    report = p.stdout.decode("utf-8", errors="replace")
    m = re.search(r"^X-Spam-Status: \w+, score=(-?[0-9.]+)", report, re.M)
    score = float(m.group(1)) if m else None
    ok(score is not None and score <= 0, "SpamAssassin scores the notification at or below 0 (%s)" % score,
       re.findall(r"^X-Spam-Status:.*(?:\n\s+.*)*", report, re.M) + [report[-1500:], p.stderr.decode()[-500:]])
    status = re.search(r"^X-Spam-Status:.*(?:\n\s+.*)*", report, re.M)
    print("# SpamAssassin: " + " ".join((status.group(0) if status else "no X-Spam-Status").split()))

# === SMTPS: TLS from the first byte
smtps_cfg = "smtp_url = smtps://127.0.0.1:%d\nusername = quire\npassword = secret\nca_file = %s\n" % (relay.smtps_port, cert)
db, cfg = blog("smtps", smtps_cfg, subscribers=("cat@example.org",))
rc, out, err = mail("test", db, cfg, "tester@example.org")
ok(rc == 0 and "sent: the relay accepted" in out, "SMTPS: quire mail test exits 0 and says the mail was accepted", out + err)
ok(re.search(r"^S: 235 ", out, re.M) and "(credentials hidden)" in out and "secret" not in out and
   base64.b64encode(b"\0quire\0secret").decode() not in out, "the transcript shows the login, never the password", out)
eq(len(relay.wait(1, "tester@example.org")), 1, "SMTPS: the test mail is delivered")
rc, out, err = mail("run", db, cfg)
ok(rc == 0, "SMTPS: quire mail run exits 0", out + err)
eq(len(relay.wait(1, "cat@example.org")), 1, "SMTPS: the notification is delivered")
ok(re.search(r"<= blog@example.org H=\(blog\.example\.org\) \[127\.0\.0\.1\]:\d+ I=\[127\.0\.0\.1\]:%d P=esmtpsa"
             % relay.smtps_port, relay.log()) or "P=esmtpsa" in relay.log(), "exim logged it as TLS + AUTH")

# === a wrong password, with quire serve's sender thread
s = Stack("relay-auth", config="[mail]\nsmtp_url = smtp://127.0.0.1:%d\nusername = quire\npassword = wrong\n"
                               "ca_file = %s\nfrom = blog@example.org\nretry_base = 1\n" % (relay.port, cert))
s.user("Ada Lovelace", "ada@example.org")
conn = sqlite3.connect(s.db)
for addr in ("dan@example.org", "eve@example.org", "fay@example.org"):
    conn.execute("INSERT INTO subscribers(email, status, wants_posts, created_at) VALUES (?, 'confirmed', 1, 0)", (addr,))
conn.commit()
s.import_post({"title": "Wrong password day", "slug": "wrong", "author": "Ada Lovelace"})
failures_before = relay.log().count("authenticator failed")
s.start()
end = time.time() + 20
while time.time() < end and "paused" not in run(["mail", "status", "--db", s.db, "--config", os.path.join(s.dir, "quire.conf")])[1]:
    time.sleep(0.2)
time.sleep(2)
rc, out, err = run(["mail", "status", "--db", s.db, "--config", os.path.join(s.dir, "quire.conf")])
contains(out, "authentication failed", "wrong password: status says authentication failed")
contains(out, "paused", "and that sending is paused")
contains(out, "next attempt: when the configuration is fixed", "and when the next attempt comes")
eq(q(s.db, "SELECT state, attempts FROM outbox WHERE kind = 'post' ORDER BY id"), [("queued", 0)] * 3,
   "wrong password: every row still queued, no attempt spent, nothing failed")
eq(relay.log().count("authenticator failed") - failures_before, 1, "exactly one failed login, not one per message")
jar, csrf = s.login("Ada Lovelace")
r = s.get("/admin/subscribers", jar=jar)
ok(r.status == 200 and "Sending is paused" in r.body and "authentication failed" in r.body,
   "the admin's outbox shows the pause and the error in words", r.body[-1500:])
contains(open(os.path.join(s.dir, "quire.log")).read(), "sending paused: authentication failed", "and the log says so")
took = s.restart("[mail]\nsmtp_url = smtp://127.0.0.1:%d\nusername = quire\npassword = secret\n"
                 "ca_file = %s\nfrom = blog@example.org\nretry_base = 1\n" % (relay.port, cert))
for addr in ("dan@example.org", "eve@example.org", "fay@example.org"):
    relay.wait(1, addr)
time.sleep(2)
eq([len(relay.delivered(a)) for a in ("dan@example.org", "eve@example.org", "fay@example.org")], [1, 1, 1],
   "password fixed and quire restarted: each mail delivered exactly once")
rc, out, err = run(["mail", "status", "--db", s.db, "--config", os.path.join(s.dir, "quire.conf")])
lacks(out, "paused", "no longer paused")
ok("Sending is paused" not in s.get("/admin/subscribers", jar=jar).body, "the admin's page no longer shows a pause")
s.stop()

# === relay 2: AUTH offered, no STARTTLS at all
plain = Exim("relay-plain", tls=False)
db, cfg = blog("require", "smtp_url = smtp://127.0.0.1:%d\nstarttls = require\n" % plain.port)
t = time.time()
rc, out, err = mail("run", db, cfg)
ok(rc != 0 and time.time() - t < 15, "starttls = require, not offered: quire mail run exits non-zero at once", out + err)
rc, out, err = mail("status", db, cfg)
contains(out, "TLS impossible: the relay does not offer STARTTLS", "status says TLS is impossible")
contains(out, "paused", "paused")
connections = plain.log().count("SMTP connection from [127.0.0.1]")
rc, out, err = mail("run", db, cfg)
time.sleep(0.5)
ok(rc != 0 and plain.log().count("SMTP connection from [127.0.0.1]") == connections,
   "a second run does not try again (no retries for hours)", plain.log()[-1500:])
eq(q(db, "SELECT state, attempts FROM outbox ORDER BY id"), [("queued", 0)] * 2, "rows queued, no attempt spent")

# AUTH offered without TLS, starttls = try with a username: the password never leaves
rec = Recorder(plain.port)
db, cfg = blog("try-auth", "smtp_url = smtp://127.0.0.1:%d\nusername = quire\npassword = secret\nstarttls = try\n" % rec.port)
rc, out, err = mail("run", db, cfg)
ok(rc != 0, "starttls = try with a username, no STARTTLS offered: quire mail run exits non-zero", out + err)
rc, out, err = mail("status", db, cfg)
contains(out, "the password is never sent without TLS", "status explains the password is never sent without TLS")
time.sleep(0.5)
wire = rec.client_bytes
ok(b"EHLO" in wire, "the recorder saw the conversation", wire)
ok(b"AUTH" not in wire and b"secret" not in wire and base64.b64encode(b"\0quire\0secret") not in wire,
   "no AUTH and no password on the wire", wire)
ok(not re.search(r"authenticator failed|A=plain|A=login", plain.log()), "exim saw no AUTH attempt", plain.log()[-1500:])
eq(plain.delivered(), [], "nothing delivered in clear")

# starttls = no sends in clear, with a warning at start-up
db, cfg = blog("clear", "smtp_url = smtp://127.0.0.1:%d\nusername = quire\npassword = secret\nstarttls = no\n" % plain.port,
               subscribers=("gus@example.org",))
rc, out, err = mail("run", db, cfg)
ok(rc == 0, "starttls = no: sent (in clear, as asked)", out + err)
contains(err, "warning: [mail] starttls = no: the password of quire is sent", "with a warning at start-up")
eq(len(plain.wait(1, "gus@example.org")), 1, "delivered")

relay.stop()
plain.stop()
if os.environ.get("QUIRE_KEEP_TMP") is None:
    shutil.rmtree(top, ignore_errors=True)
done()
