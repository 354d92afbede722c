"""bench/counting.py: wrk on an article with view counting on and off (not a test).
QUIRE=build-demo/quire QUIRE_SRCDIR=$PWD PYTHONPATH=tests /usr/bin/python3 bench/counting.py"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))
from quiretest import Stack  # noqa: E402

for mode in ("off", "on"):
    os.environ["QUIRE_KEEP_TMP"] = "1"
    s = Stack("bench-count-" + mode, threads=4, config="[stats]\nenabled = %s\n" % mode)
    s.import_post({"title": "Benchmark article", "slug": "bench", "date": "2026-01-01"}, "Some text. " * 300)
    s.start()
    out = subprocess.run(["wrk", "-t2", "-c64", "-d10s", "-H", "User-Agent: Mozilla/5.0 wrk-bench",
                          s.base + "/posts/bench"], capture_output=True, text=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
    lat = re.search(r"Latency\s+(\S+)", out).group(1)
    total = re.search(r"(\d+) requests in", out).group(1)
    s.stop()
    import sqlite3
    counted = sqlite3.connect(s.db).execute("SELECT coalesce(sum(views), 0) FROM stats_daily").fetchone()[0] \
        if os.path.exists(s.db) else "?"
    print("counting %-3s  %s req/s  mean latency %s  requests %s  views stored %s" % (mode, rps, lat, total, counted))
