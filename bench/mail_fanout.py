"""bench/mail_fanout.py: publish to 10,000 confirmed subscribers; prints the time to enqueue the
notifications and the rate `quire mail run` delivers them to a local aiosmtpd (not a test).
Run from a build tree: QUIRE=build/quire QUIRE_SRCDIR=$PWD PYTHONPATH=tests /usr/bin/python3 bench/mail_fanout.py"""
import os
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from quiretest import QUIRE, SRCDIR, Stack, SmtpSink  # noqa: E402

N = int(os.environ.get("SUBSCRIBERS", "10000"))
mails = "/tmp/quire-bench-mail-%d" % os.getpid()
sink = SmtpSink(mails).start()
s = Stack("bench-mail", config="[mail]\nsmtp_url = smtp://127.0.0.1:%d\nfrom = blog@example.org\nsender = off\n"
                               "starttls = no\n" % sink.port)
db = sqlite3.connect(s.db)
db.executemany("INSERT INTO subscribers(email, status, wants_posts, created_at) VALUES (?, 'confirmed', 1, 0)",
               [("reader%05d@example.org" % i,) for i in range(N)])
db.commit()
s.start()
path = os.path.join(s.dir, "post.md")
open(path, "w").write("---\ntitle: Fan-out\n---\nHello, %d readers.\n" % N)
t0 = time.monotonic()
subprocess.run([QUIRE, "post", "import", "--db", s.db, path], check=True, capture_output=True)
t_import = time.monotonic() - t0
queued = db.execute("SELECT count(*) FROM outbox").fetchone()[0]
t1 = time.monotonic()
subprocess.run([QUIRE, "mail", "run", "--config", os.path.join(s.dir, "quire.conf"), "--db", s.db,
                "--templates", os.path.join(SRCDIR, "templates")], check=True, capture_output=True)
t_send = time.monotonic() - t1
got = len([f for f in os.listdir(mails) if f.endswith(".eml")])
print("subscribers %d  queued %d  import+enqueue %.0f ms  sent %d in %.1f s = %.0f mails/s"
      % (N, queued, t_import * 1000, got, t_send, got / t_send))
s.stop()
sink.stop()
subprocess.run(["rm", "-rf", mails])
