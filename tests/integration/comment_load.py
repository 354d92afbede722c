"""comment_load: 8 concurrent clients post 2,000 comments to one post (rate limit off): every one
is stored exactly once, none lost. Prints the rate as a TAP comment (not a timed test)."""
import re
import sqlite3
import subprocess
import threading
import time

from quiretest import Stack, ok, eq, done

TOTAL, CLIENTS = 2000, 8
s = Stack("load", threads=4, config="[comments]\nmin_seconds = 0\nrate_limit = 0\nmoderation = none\n")
s.import_post({"title": "Busy post", "slug": "busy", "date": "2026-01-01"})
s.start()


def tokens(n):
    """n form tokens, one page each (a token posts once), fetched over one connection."""
    args = ["curl", "-s"]
    for i in range(n):
        args += (["--next", "-s"] if i else []) + [s.base + "/posts/busy"]
    out = subprocess.run(args, capture_output=True, text=True, timeout=600).stdout
    return re.findall(r'name="token" value="([^"]+)"', out)


toks = [tokens(TOTAL // CLIENTS) for k in range(CLIENTS)]
eq(len(set(t for ts in toks for t in ts)), TOTAL, "%d distinct form tokens, one per comment" % TOTAL)
statuses = []
lock = threading.Lock()


def client(k):
    # one curl process per client, many requests each: --next keeps the connection reused
    per = TOTAL // CLIENTS
    args = ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}\\n"]
    for i in range(per):
        if i:
            args.append("--next")
            args += ["-s", "-o", "/dev/null", "-w", "%{http_code}\\n"]
        args += ["--data-urlencode", "author=Client %d" % k, "--data-urlencode", "email=c%d@example.org" % k,
                 "--data-urlencode", "comment=load %d-%d" % (k, i), "--data-urlencode", "token=" + toks[k][i],
                 s.base + "/posts/busy/comments"]
    p = subprocess.run(args, capture_output=True, text=True, timeout=600)
    with lock:
        statuses.extend(p.stdout.split())


start = time.monotonic()
threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.monotonic() - start
eq(len(statuses), TOTAL, "%d responses" % TOTAL)
eq(sorted(set(statuses)), ["303"], "every post was accepted (303)")
db = sqlite3.connect(s.db)
eq(db.execute("SELECT count(*) FROM comments").fetchone()[0], TOTAL, "%d comments stored" % TOTAL)
eq(db.execute("SELECT count(DISTINCT body) FROM comments").fetchone()[0], TOTAL, "each exactly once")
missing = [(k, i) for k in range(CLIENTS) for i in range(TOTAL // CLIENTS)
           if db.execute("SELECT count(*) FROM comments WHERE body = ?", ("load %d-%d" % (k, i),)).fetchone()[0] != 1]
eq(missing, [], "none lost")
r = s.get("/posts/busy")
ok(r.status == 200 and "%d Responses" % TOTAL in r.body, "the post shows %d Responses" % TOTAL)
print("# %d comments from %d clients in %.2f s: %.0f comments/s" % (TOTAL, CLIENTS, elapsed, TOTAL / elapsed))
done()
