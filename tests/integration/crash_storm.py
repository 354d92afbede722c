"""crash_storm: 8 clients post comments through nginx (each with a fresh form token, moderation
'none'); quire serve is killed with SIGKILL in the middle of the storm and started again on the
same socket. Every comment whose POST was acknowledged (303) is stored, approved, exactly once;
nothing is stored twice; the restarted server serves the pages and the database passes
PRAGMA integrity_check."""
import collections
import http.client
import os
import re
import signal
import sqlite3
import subprocess
import threading
import time
import urllib.parse

from quiretest import QUIRE, SRCDIR, Stack, done, eq, ok

CLIENTS = 8
BEFORE_KILL = float(os.environ.get("QUIRE_CRASH_BEFORE", "3"))   # seconds of storm before the kill
DOWN = 0.5                                                       # seconds with no quire at all
AFTER = 3.0                                                      # seconds of storm after the restart

s = Stack("crash", threads=4, config="[comments]\nmin_seconds = 0\nrate_limit = 0\nmoderation = none\n")
s.import_post({"title": "Storm", "slug": "storm", "date": "2026-01-01"})
s.start()

lock = threading.Lock()
acked = []                   # markers answered 303
statuses = collections.Counter()
errors = []
phase = {"stop": False}


def one(conn, method, path, body=None):
    h = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    data = r.read()
    return r.status, r, data


def client(k):
    conn = None
    i = 0
    while not phase["stop"]:
        i += 1
        marker = "storm-marker-%d-%d" % (k, i)
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
            st, _, page = one(conn, "GET", "/posts/storm")
            m = re.search(rb'name="token" value="([^"]+)"', page)
            if st != 200 or not m:
                with lock:
                    statuses["form %d" % st] += 1
                time.sleep(0.05)
                continue
            body = urllib.parse.urlencode({"author": "Client %d" % k, "email": "c%d@example.org" % k,
                                           "comment": "Comment %s." % marker, "token": m.group(1).decode()})
            st, r, _ = one(conn, "POST", "/posts/storm/comments", body)
            with lock:
                statuses[st] += 1
                if st == 303:
                    acked.append(marker)
            if r.will_close:
                conn.close()
                conn = None
        except (http.client.HTTPException, OSError) as e:
            with lock:
                statuses["transport"] += 1
                errors.append(repr(e))
            if conn:
                conn.close()
            conn = None
            time.sleep(0.05)
    if conn:
        conn.close()


threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
for t in threads:
    t.start()
time.sleep(BEFORE_KILL)
acked_before = len(acked)
s.quire.send_signal(signal.SIGKILL)
eq(s.quire.wait(timeout=10), -signal.SIGKILL, "quire serve was killed with SIGKILL in the middle of the storm")
killed_at = len(acked)
time.sleep(DOWN)
# the same command line as the harness, on the same socket (a stale socket file is left behind)
cfg = os.path.join(s.dir, "quire.conf")
s.quire = subprocess.Popen(
    [QUIRE, "serve", "--config", cfg, "--db", s.db, "--listen", "unix:" + s.sock, "--threads", "4",
     "--templates", os.path.join(SRCDIR, "templates")], stdout=s.serve_log, stderr=subprocess.STDOUT)
up = False
for _ in range(200):
    if s.quire.poll() is not None:
        break
    try:
        c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=5)
        c.request("GET", "/healthz")
        up = c.getresponse().status == 200
        c.close()
    except (http.client.HTTPException, OSError):
        pass
    if up:
        break
    time.sleep(0.05)
ok(up, "quire serve starts again on the same socket after the kill", s.logs())
time.sleep(AFTER)
phase["stop"] = True
for t in threads:
    t.join(timeout=60)
ok(not any(t.is_alive() for t in threads), "every client stopped")

total = sum(v for k, v in statuses.items() if isinstance(k, int))
print("# %d comment POSTs from %d clients: %s; %d acknowledged before the kill, %d in all"
      % (total, CLIENTS, ", ".join("%s: %d" % (k, v) for k, v in sorted(statuses.items(), key=str)),
         acked_before, len(acked)))
ok(killed_at > 0 and len(acked) > killed_at, "comments were acknowledged before the kill and after the restart",
   (killed_at, len(acked)))
ok(not [k for k in statuses if isinstance(k, int) and k not in (303, 502, 503, 504)],
   "every POST answered 303, or 502/503/504 while quire was down", statuses)

db = sqlite3.connect(s.db)
rows = db.execute("SELECT body, status FROM comments").fetchall()
stored = collections.Counter()
status_of = {}
for body, st in rows:
    m = re.search(r"storm-marker-\d+-\d+", body)
    if m:
        stored[m.group(0)] += 1
        status_of[m.group(0)] = st
missing = [m for m in acked if stored[m] == 0]
twice = sorted(m for m, n in stored.items() if n > 1)
eq(missing[:10], [], "every acknowledged comment is stored (%d acknowledged, %d missing)" % (len(acked), len(missing)))
eq(twice[:10], [], "no comment is stored twice")
eq(sorted({status_of[m] for m in acked if m in status_of}), ["approved"], "acknowledged comments are approved")
unacked = len(set(stored) - set(acked))
print("# %d comments stored, %d of them never acknowledged (in flight at the kill or answered 502)"
      % (len(stored), unacked))
eq(db.execute("PRAGMA integrity_check").fetchone()[0], "ok", "PRAGMA integrity_check is ok after the kill")
db.close()

c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
st, _, page = one(c, "GET", "/posts/storm")
c.close()
eq(st, 200, "the restarted server serves the post")
n = len(stored)
ok(("%d Responses" % n).encode() in page, "and counts every stored comment (%d Responses)" % n)
c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
st, _, _ = one(c, "GET", "/")
c.close()
eq(st, 200, "the restarted server serves the home page")
s.quire.send_signal(signal.SIGTERM)
eq(s.quire.wait(timeout=30), 0, "the restarted server stops cleanly")
s.quire = None
log = open(os.path.join(s.dir, "quire.log"), errors="replace").read()
bad = [ln for ln in log.splitlines() if re.search(r"AddressSanitizer|runtime error:|LeakSanitizer|ThreadSanitizer|"
                                                  r"db_prep:|sqlite:|not an error|database disk image", ln)]
eq(bad[:10], [], "no sanitizer report or SQLite error in quire's log")
done()
