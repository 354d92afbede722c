"""mail_crash: `kill -9` of `quire mail run` in the middle of a batch; after a restart every
subscriber has exactly one notification (at most one duplicate: the mail in flight)."""
import os
import signal
import sqlite3
import subprocess
import time

from quiretest import QUIRE, SRCDIR, Stack, SmtpSink, ok, eq, done

N = 300
mails = os.path.join(os.environ.get("TMPDIR", "/tmp"), "quire-crash-%d" % os.getpid())
sink = SmtpSink(mails, delay=0.01).start()
s = Stack("crash", config="[mail]\nsmtp_url = smtp://127.0.0.1:%d\nfrom = blog@example.org\nsender = off\n"
                          "starttls = no\n" % sink.port)
db = sqlite3.connect(s.db)
db.executemany("INSERT INTO subscribers(email, status, wants_posts, created_at) VALUES (?, 'confirmed', 1, 0)",
               [("reader%03d@example.org" % i,) for i in range(N)])
db.commit()
s.start()
t0 = time.monotonic()
s.import_post({"title": "Crash course", "slug": "crash"})
enqueue = time.monotonic() - t0
eq(db.execute("SELECT count(*) FROM outbox WHERE kind = 'post'").fetchone()[0], N,
   "importing a post queues one notification per confirmed subscriber")
time.sleep(1.5)
eq(len(sink.messages()), 0, "with sender = off, quire serve sends nothing")

cmd = [QUIRE, "mail", "run", "--config", os.path.join(s.dir, "quire.conf"), "--db", s.db,
       "--templates", os.path.join(SRCDIR, "templates")]
p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
end = time.time() + 30
while time.time() < end and len(sink.messages()) < N // 3:
    time.sleep(0.05)
p.send_signal(signal.SIGKILL)
p.wait()
sent_before = len(sink.messages())
ok(0 < sent_before < N, "the sender was killed mid-batch (%d of %d sent)" % (sent_before, N))
in_flight = db.execute("SELECT count(*) FROM outbox WHERE state = 'sending'").fetchone()[0]
ok(in_flight <= 1, "at most one row was in flight (%d)" % in_flight)
t1 = time.monotonic()
p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
rate = (N - sent_before) / max(time.monotonic() - t1, 0.001)
eq(p.returncode, 0, "quire mail run finishes after the restart")
time.sleep(0.5)
counts = {}
for m in sink.messages():
    counts[str(m["To"])] = counts.get(str(m["To"]), 0) + 1
missing = [a for a in ("reader%03d@example.org" % i for i in range(N)) if a not in counts]
eq(missing, [], "every subscriber got the notification")
dups = sum(c - 1 for c in counts.values())
ok(dups <= 1, "at most one duplicate (%d)" % dups)
eq(db.execute("SELECT count(*) FROM outbox WHERE state = 'sent'").fetchone()[0], N, "every row is marked sent")
# a terminal gets a progress bar
import pty
s.import_post({"title": "Second batch", "slug": "second"})
out = b""
pid, fd = pty.fork()
if pid == 0:
    os.execv(cmd[0], cmd)
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
os.waitpid(pid, 0)
ok(b"[###" in out and b"%d/%d sent" % (N, N) in out, "quire mail run shows a progress bar on a terminal", out[-300:])
# two senders at once (cron starting quire mail run while the last one still works): the second
# must not take back the row the first is sending
before = {}
for m in sink.messages():
    before[str(m["To"])] = before.get(str(m["To"]), 0) + 1
s.import_post({"title": "Third batch", "slug": "third"})
first = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
end = time.time() + 30
while time.time() < end and sum(1 for m in sink.messages()) < sum(before.values()) + 20:
    time.sleep(0.05)
second = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
eq(second.returncode, 0, "a second quire mail run while one works exits 0")
ok("another sender" in second.stdout, "saying another sender has the queue", second.stdout + second.stderr)
first.wait(120)
after = {}
for m in sink.messages():
    after[str(m["To"])] = after.get(str(m["To"]), 0) + 1
third = [a for a in after if after[a] - before.get(a, 0) != 1]
eq(third, [], "every subscriber got the third post exactly once")
print("# enqueue of %d notifications: %.1f ms (with the import); %.0f mails/s to the local server "
      "(sink delay 10 ms per mail)" % (N, enqueue * 1000, rate))
s.stop()
sink.stop()
done()
