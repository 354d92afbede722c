"""search_speed: a regression guard (not a benchmark) for search over 2,000 posts: common
words, a rare word in an old post, a word in no post and later pages each answer well within a
generous bound under the sanitizer build, with the render cache off; and the results stay right
there: title matches first, "More than 1000 results" with pages up to the 100th, none past it."""
import http.client
import random
import re
import sqlite3
import time

from quiretest import Stack, ok, eq, contains, done

POSTS = 2000
BOUND_MS = 500  # median of 5 requests; the ranking of 2026-11 answers in ~10 ms here under ASan
WORDS = ("harbour light tide boat sail rope anchor gull wave pier dock net fish salt wind storm calm "
         "north south morning evening lamp tower stone sand shell").split()

s = Stack("search_speed", config="[server]\ncache_mb = 0\n")
s.user("Ada Lovelace", "ada@example.org")
random.seed(13)


def para(n):
    return " ".join(random.choice(WORDS) for _ in range(n)).capitalize() + "."


db = sqlite3.connect(s.db)
rows = []
for i in range(POSTS):
    body = "\n\n".join(para(60) for _ in range(5))
    if i in (4, 1500):
        body += "\n\nA quokka on the pier."
    rows.append(("post-%d" % i, "%s %d" % (para(4)[:-1], i), body, "<p>%s</p>" % body, 1600000000 + i * 3600))
db.executemany("INSERT INTO posts(slug, title, body_md, body_html, status, published_at, created_at, updated_at) "
               "VALUES(?1, ?2, ?3, ?4, 'published', ?5, ?5, ?5)", rows)
db.commit()
s.start()
host, port = s.base[len("http://"):].split(":")


def timed(path):
    """The median time in ms of 5 requests (after one to warm up) and the last body."""
    c = http.client.HTTPConnection(host, int(port), timeout=60)
    ts, body, status = [], "", 0
    for _ in range(6):
        t = time.perf_counter()
        c.request("GET", path)
        r = c.getresponse()
        body, status = r.read().decode(), r.status
        ts.append((time.perf_counter() - t) * 1000)
    c.close()
    ts = sorted(ts[1:])
    return status, ts[2], body


def results(body):
    return re.findall(r'<article class="search-result">\s*<h2><a href="([^"]+)">(.*?)</a>', body, re.S)


for path, what in (("/search?q=harbour+light", "common words"), ("/search?q=quokka", "a rare word"),
                   ("/search?q=zebra", "a word in no post"), ("/search?q=harbour+light&page=3", "page 3"),
                   ("/search?q=harbour+light&page=100", "the last page offered"),
                   ("/search?q=tide+gull+anchor+wave", "four common words")):
    status, ms, body = timed(path)
    ok(status == 200 and ms < BOUND_MS, "%s: answered in %.1f ms (bound %d ms)" % (what, ms, BOUND_MS), status)

status, ms, body = timed("/search?q=harbour+light")
found = results(body)
eq(len(found), 10, "ten results on the first page")
ok(all(re.search(r"<mark>harbour</mark>", t, re.I) and re.search(r"<mark>light", t, re.I) for _, t in found),
   "the first page is all title matches, marked", [t for _, t in found][:3])
contains(body, "More than 1000 results", "a common word: an honest \"more than\" instead of a full count")
contains(body, "Page 1 of 100", "the pager offers 100 pages")
last = timed("/search?q=harbour+light&page=100")[2]
ok(len(results(last)) == 10 and re.search(r"page=101\b", last) is None, "page 100: ten results, no link past it")
eq(results(timed("/search?q=harbour+light&page=101")[2]), [], "page 101: no results")
status, ms, body = timed("/search?q=quokka")
eq([u for u, _ in results(body)], ["/posts/post-1500", "/posts/post-4"], "a rare word: both posts, newest first")
contains(body, "2 results", "counted exactly")
contains(body, "<mark>quokka</mark>", "highlighted in the snippet")
p1 = [u for u, _ in results(timed("/search?q=harbour+light&page=1")[2])]
p2 = [u for u, _ in results(timed("/search?q=harbour+light&page=2")[2])]
ok(len(p2) == 10 and not set(p1) & set(p2), "page 2 follows page 1 without repeats")
done()
