"""bench/run.py (run through bench/run.sh): a large blog behind one nginx, measured with wrk.
Prints one table: requests/s, p50, p99 per case, quire's peak RSS, start-up time and the
time to queue 10,000 notifications. Not a test: numbers, not assertions.
BENCH_CASES=A,H,B,I or S1,S2,S3,S4 runs only those cases (keys as printed; "fanout" names the publish fan-out).
The S cases are search with the render cache off (a second `quire serve` with cache_mb = 0 behind its
own nginx server), each also timed over one connection (200 requests in a row, p50/p99)."""
import os
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

top = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
build = os.environ.get("BENCH_BUILD", os.path.join(top, "build-bench"))
QUIRE = os.path.join(build, "quire")
HELLO = os.path.join(build, "fcgi_hello")
POSTS = int(os.environ.get("BENCH_POSTS", "10000"))
COMMENTS = int(os.environ.get("BENCH_COMMENTS", "100000"))
SUBSCRIBERS = int(os.environ.get("BENCH_SUBSCRIBERS", "10000"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
THREADS = os.environ.get("BENCH_THREADS", "4")
KEEPALIVE = os.environ.get("BENCH_KEEPALIVE", "off") == "on"
CACHE_MB = os.environ.get("BENCH_CACHE_MB", "8")
ONLY = set(filter(None, os.environ.get("BENCH_CASES", "").split(",")))


def selected(key):
    return not ONLY or key in ONLY


SEARCH = [k for k in ("S1", "S2", "S3", "S4") if selected(k)]
RARE = "quokka"  # in RARE_POSTS posts only (search cases S2)
RARE_POSTS = [i for i in (3, 1234, POSTS // 2 + 7, POSTS - 40) if i < POSTS]
d = tempfile.mkdtemp(prefix="quire-bench-")
db = os.path.join(d, "quire.db")
words = ("harbour light tide boat sail rope anchor gull wave pier dock net fish salt wind storm calm "
         "north south morning evening lamp tower stone sand shell").split()


def sh(*args, **kw):
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def para(n):
    return " ".join(random.choice(words) for _ in range(n)).capitalize() + "."


print("bench: building the blog (%d posts, %d comments, %d subscribers) in %s" % (POSTS, COMMENTS, SUBSCRIBERS, d),
      flush=True)
random.seed(7)
sh(QUIRE, "init", "--db", db)
sh(QUIRE, "user", "add", "--db", db, "--name", "Ada Lovelace", "--email", "ada@example.org", input="bench password\n")
posts_dir = os.path.join(d, "posts")
os.makedirs(posts_dir)
for i in range(POSTS):
    with open(os.path.join(posts_dir, "p%05d.md" % i), "w") as f:
        f.write("---\ntitle: %s %d\nslug: post-%d\ndate: %s\ntags: %s, %s\nauthor: Ada Lovelace\n---\n"
                % (para(4)[:-1], i, i, time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1600000000 + i * 3600)),
                   random.choice(words), random.choice(words)))
        f.write("\n\n".join(para(60) for _ in range(5)) + "\n")
        if i in RARE_POSTS:
            f.write("\nA %s on the pier.\n" % RARE)
files = sorted(os.listdir(posts_dir))
for k in range(0, len(files), 2000):
    sh(QUIRE, "post", "import", "--db", db, *[os.path.join(posts_dir, x) for x in files[k:k + 2000]])
con = sqlite3.connect(db)
hot = POSTS - 1                     # the newest post carries 1,000 comments
twenty = POSTS - 2                  # the next one 20: case A/B/H
rows = []
for i in range(COMMENTS):
    pid = hot + 1 if i < 1000 else twenty + 1 if i < 1020 else random.randint(1, POSTS - 2)
    body = para(25)
    rows.append((pid, "Reader %d" % (i % 500), "r%d@example.org" % (i % 500), body, "<p>%s</p>\n" % body, 1600000000 + i))
con.executemany("INSERT INTO comments(post_id, author_name, author_email, body, body_html, status, created_at) "
                "VALUES (?, ?, ?, ?, ?, 'approved', ?)", rows)
con.executemany("INSERT INTO subscribers(email, status, wants_posts, created_at) VALUES (?, 'confirmed', 1, 0)",
                [("sub%05d@example.org" % i,) for i in range(SUBSCRIBERS)])
con.commit()
con.close()
sh("/usr/bin/sqlite3", db, "VACUUM; ANALYZE;") if shutil.which("sqlite3") else None

port, hport = free_port(), free_port()
sock, hsock = os.path.join(d, "quire.sock"), os.path.join(d, "hello.sock")
conf = os.path.join(d, "quire.conf")
with open(conf, "w") as f:
    f.write("[site]\ntitle = Bench\nbase_url = http://127.0.0.1:%d\n[server]\ncache_mb = %s\nthreads = %s\n"
            "[comments]\nrate_limit = 0\nmin_seconds = 0\nmoderation = none\n[mail]\nsender = off\n"
            "[stats]\naccess_log = %s\n" % (port, CACHE_MB, THREADS, os.path.join(d, "views.log")))

t0 = time.monotonic()
quire = subprocess.Popen([QUIRE, "serve", "--config", conf, "--db", db, "--listen", "unix:" + sock,
                          "--templates", os.path.join(top, "templates")], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
while True:
    try:
        s = socket.socket(socket.AF_UNIX)
        s.connect(sock)
        s.close()
        break
    except OSError:
        time.sleep(0.002)
startup = (time.monotonic() - t0) * 1000
nsock, nport = os.path.join(d, "quire-nocache.sock"), free_port()
if SEARCH:
    nconf_q = os.path.join(d, "quire-nocache.conf")
    with open(nconf_q, "w") as f:
        f.write(open(conf).read().replace("cache_mb = %s" % CACHE_MB, "cache_mb = 0"))
    nocache = subprocess.Popen([QUIRE, "serve", "--config", nconf_q, "--db", db, "--listen", "unix:" + nsock,
                                "--templates", os.path.join(top, "templates")], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    __import__("atexit").register(lambda: nocache.poll() is None and nocache.terminate())
    while not os.path.exists(nsock):
        time.sleep(0.002)

site = open(os.path.join(top, "conf", "nginx-quire.conf")).read()
hello_site = site.replace("quire_backend", "hello_backend")
with open(os.path.join(d, "hello-site.conf"), "w") as f:
    f.write(hello_site)
nconf = open(os.path.join(top, "conf", "nginx-local.conf.in")).read()
for k, v in {"@DIR@": d, "@SOCKET@": sock, "@PORT@": str(port), "@ROOT@": top,
             "@USER@": "user root root;" if os.geteuid() == 0 else ""}.items():
    nconf = nconf.replace(k, v)
nconf = nconf.replace("access_log %s/nginx-access.log;" % d, "access_log off;")
extra = ("    upstream hello_backend { server unix:%s;%s }\n"
         "    server { listen 127.0.0.1:%d; set $quire_root %s; set $quire_data %s; include %s/hello-site.conf; }\n"
         % (hsock, " keepalive 32;" if KEEPALIVE else "", hport, top, d, d))
if KEEPALIVE:
    nconf = nconf.replace("server unix:%s;" % sock, "server unix:%s;\n        keepalive 32;" % sock)
    nconf = nconf.replace("include %s/conf/nginx-quire.conf;" % top,
                          "include %s/conf/nginx-quire.conf;\n        fastcgi_keep_conn on;" % top)
    extra = extra.replace("include %s/hello-site.conf;" % d, "include %s/hello-site.conf; fastcgi_keep_conn on;" % d)
if SEARCH:
    with open(os.path.join(d, "nocache-site.conf"), "w") as f:
        f.write(site.replace("quire_backend", "nocache_backend"))
    extra += ("    upstream nocache_backend { server unix:%s; }\n"
              "    server { listen 127.0.0.1:%d; set $quire_root %s; set $quire_data %s; include %s/nocache-site.conf; }\n"
              % (nsock, nport, top, d, d))
# case I: a third server with conf/nginx-quire-cache.conf in front of the same quire, set up as
# that file's header says (its steps 1 and 2, with this run's paths)
cport = free_port()
steps, step = {"1": [], "2": []}, None
for line in open(os.path.join(top, "conf", "nginx-quire-cache.conf")):
    m = re.match(r"# ([0-9])\. ", line)
    if m:
        step = m.group(1)
    elif step in steps and line.startswith("#    ") and not line.startswith("#    ("):
        steps[step].append(line[5:].rstrip("\n"))
    elif not line.startswith("#"):
        break
cache_http, cache_server = ("\n    ".join(steps[k]).replace("/var/cache/nginx/quire", os.path.join(d, "cache"))
                            .replace("/var/log/quire/views.log", os.path.join(d, "views.log"))
                            .replace("access_log /var/log/nginx/access.log;", "")
                            .replace("/usr/local/share/doc/quire/", os.path.join(top, "conf") + "/") for k in "12")
extra += ("    %s\n    server { listen 127.0.0.1:%d; set $quire_root %s; set $quire_data %s;\n"
          "        include %s/conf/nginx-quire.conf;\n        %s\n    }\n" % (cache_http, cport, top, d, top, cache_server))
nconf = nconf.rstrip().rstrip("}") + extra + "}\n"
os.makedirs(os.path.join(d, "tmp"), exist_ok=True)
with open(os.path.join(d, "nginx.conf"), "w") as f:
    f.write(nconf)

nginx = subprocess.Popen(["nginx", "-p", d, "-c", os.path.join(d, "nginx.conf")], stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
time.sleep(0.3)
base = "http://127.0.0.1:%d" % port
article = "/posts/post-%d" % twenty
page = subprocess.run(["curl", "-s", base + article], capture_output=True).stdout
os.makedirs(os.path.join(d, "static"), exist_ok=True)
static_copy = os.path.join(top, "static", "bench-article.html")
with open(static_copy, "wb") as f:
    f.write(page)
atexit_remove = __import__("atexit").register(lambda: os.path.exists(static_copy) and os.remove(static_copy))
hello = subprocess.Popen([HELLO, hsock, static_copy, THREADS], stdout=subprocess.DEVNULL)
import atexit
atexit.register(lambda: [p.kill() for p in (nginx, hello, quire) if p.poll() is None])
time.sleep(0.5)


def nginx_cpu():
    """CPU seconds used so far by nginx's workers: per request, a measure the other load of a
    shared machine disturbs far less than requests per second."""
    total = 0.0
    for pid in subprocess.run(["pgrep", "-P", str(nginx.pid)], capture_output=True, text=True).stdout.split():
        f = open("/proc/%s/stat" % pid).read().rsplit(")", 1)[1].split()
        total += (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
    return total


cpu_per_request = {}


def wrk(url, script=None, env=None, key=None):
    cpu0 = nginx_cpu()
    args = ["wrk", "-t2", "-c64", "-d" + DURATION, "--latency"]
    if script:
        args += ["-s", script]
    out = subprocess.run(args + [url], capture_output=True, text=True, env=env).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    total = re.search(r"(\d+) requests in", out)
    if key and total and int(total.group(1)):
        cpu_per_request[key] = (nginx_cpu() - cpu0) / int(total.group(1)) * 1e6
    return rps, p50, p99, int(errors.group(1)) if errors else 0


cases = [("A", "nginx: the article as a static file (%d bytes)" % len(page), "http://127.0.0.1:%d/static/bench-article.html" % port),
         ("H", "FastCGI ceiling: libfcgi responder, same bytes", "http://127.0.0.1:%d/" % hport),
         ("B", "quire: article with 20 comments", base + article),
         ("C", "quire: home page", base + "/"),
         ("D", "quire: /feed.atom", base + "/feed.atom"),
         ("E", "quire: the post with 1,000 comments", base + "/posts/post-%d" % hot),
         ("F", "quire: /search?q=harbour+light", base + "/search?q=harbour+light")]
nbase = "http://127.0.0.1:%d" % nport
cases += [("S1", "search, cache off: harbour light", nbase + "/search?q=harbour+light"),
          ("S2", "search, cache off: %s (%d posts)" % (RARE, len(RARE_POSTS)), nbase + "/search?q=" + RARE),
          ("S3", "search, cache off: a word in no post", nbase + "/search?q=zebra"),
          ("S4", "search, cache off: harbour light, page 3", nbase + "/search?q=harbour+light&page=3")]


def one_conn(url, n=200):
    """p50 and p99 in ms of n requests in a row over one keep-alive connection (no load beside)."""
    import http.client
    import urllib.parse
    u = urllib.parse.urlsplit(url)
    c = http.client.HTTPConnection(u.hostname, u.port)
    ts = []
    for _ in range(n):
        t = time.perf_counter()
        c.request("GET", u.path + "?" + u.query)
        c.getresponse().read()
        ts.append((time.perf_counter() - t) * 1000)
    ts.sort()
    return ts[n // 2], ts[n * 99 // 100]


cases.append(("I", "nginx micro-cache: the article of B", "http://127.0.0.1:%d%s" % (cport, article)))
results, single = {}, {}



def approval_delays(n=5):
    """While case I runs: n held comments approved one by one (as the admin's Approve does, by the
    database), each timed until a reader gets the page with it through the cache."""
    import urllib.request
    c = sqlite3.connect(db, timeout=10)
    pid = c.execute("SELECT id FROM posts WHERE slug = ?", (article.rsplit("/", 1)[1],)).fetchone()[0]
    delays = []
    time.sleep(2)
    for i in range(n):
        mark = "approved-marker-%d-%d" % (os.getpid(), i)
        c.execute("INSERT INTO comments(post_id, author_name, author_email, body, body_html, status, created_at) "
                  "VALUES (?, 'Bench', 'b@example.org', ?, ?, 'pending', ?)", (pid, mark, "<p>%s</p>" % mark, int(time.time())))
        c.commit()
        cid = c.execute("SELECT max(id) FROM comments").fetchone()[0]
        time.sleep(1.5)
        t0 = time.monotonic()
        c.execute("UPDATE comments SET status = 'approved' WHERE id = ?", (cid,))
        c.commit()
        while time.monotonic() - t0 < 10:
            if mark.encode() in urllib.request.urlopen("http://127.0.0.1:%d%s" % (cport, article)).read():
                break
            time.sleep(0.01)
        delays.append(time.monotonic() - t0)
    c.close()
    return delays


delays = []
for key, label, url in cases:
    if not selected(key):
        continue
    if key in SEARCH:
        single[key] = one_conn(url)
    if key == "I":
        import threading
        results[key] = wrk(url, key="I") + (label,)
        # the approvals under the same load, in a run of their own: their polling takes CPU
        th = threading.Thread(target=lambda: delays.extend(approval_delays()))
        th.start()
        results["I2"] = wrk(url) + ("the same while 5 comments are approved and polled",)
        th.join()
        if "A" in results:
            # the machine may be shared: A once more right after I, and I/A against their mean
            results["A2"] = wrk(cases[0][2]) + ("nginx: the static file again, right after I",)
        continue
    results[key] = wrk(url, key=key if key == "A" else None) + (label,)


def form_tokens(slug, n):
    """n comment form tokens as quire makes them (a token posts once, so every POST needs its own):
    time.nonce.HMAC-SHA512-256(comment_form_key, "comment:POST:TIME:NONCE"), 16 bytes of it in hex."""
    import hashlib
    import hmac
    c = sqlite3.connect(db)
    key = bytes.fromhex(c.execute("SELECT value FROM settings WHERE key = 'comment_form_key'").fetchone()[0])
    pid = c.execute("SELECT id FROM posts WHERE slug = ?", (slug,)).fetchone()[0]
    ts = int(time.time())
    out = []
    for i in range(n):
        nonce = "%016x" % i
        mac = hmac.new(key, b"comment:%d:%d:%s" % (pid, ts, nonce.encode()), hashlib.sha512).digest()[:16]
        out.append("%010d.%s.%s" % (ts, nonce, mac.hex()))
    return out


if selected("G"):
    tokfile = os.path.join(d, "tokens.txt")
    with open(tokfile, "w") as f:
        f.write("\n".join(form_tokens(article.rsplit("/", 1)[1], 200000)) + "\n")
    env = dict(os.environ, BENCH_BODY="author=Bench&email=bench%40example.org&comment=Load+test&token=",
               BENCH_TOKENS=tokfile)
    results["G"] = wrk(base + article + "/comments", os.path.join(top, "bench", "post.lua"), env) + (
        "quire: comment POSTs (303 each), comments/s",)
rss = 0
for line in open("/proc/%d/status" % quire.pid):
    if line.startswith("VmHWM:"):
        rss = int(line.split()[1]) // 1024

if selected("fanout"):
    path = os.path.join(d, "fanout.md")
    open(path, "w").write("---\ntitle: Fan-out\n---\nTo every subscriber.\n")
    t1 = time.monotonic()
    sh(QUIRE, "post", "import", "--db", db, path)
    fanout = (time.monotonic() - t1) * 1000
    queued = sqlite3.connect(db).execute("SELECT count(*) FROM outbox WHERE kind = 'post'").fetchone()[0]

print()
print("case  %-48s %10s %9s %9s" % ("what", "req/s", "p50", "p99"))
for key in ["A", "H", "B", "C", "D", "E", "F", "G", "I", "I2", "A2", "S1", "S2", "S3", "S4"]:
    if key not in results:
        continue
    rps, p50, p99, errors, label = results[key]
    one = "   1 conn: p50 %.2fms p99 %.2fms" % single[key] if key in single else ""
    print("%-5s %-48s %10.0f %9s %9s%s%s" % (key, label, rps, p50, p99, one,
                                             "  (%d non-2xx/3xx)" % errors if errors else ""))
print()
ratio = lambda a, b: "%.2f" % (results[a][0] / results[b][0]) if a in results and b in results else "-"
# I/A against the mean of A and A2 (A measured again right after I) when both ran
a_mean = (results["A"][0] + results["A2"][0]) / 2 if "A2" in results else results["A"][0] if "A" in results else 0
i_a = "%.2f" % (results["I"][0] / a_mean) if "I" in results and a_mean else "-"
print("B/H = %s   B/A = %s   C/B = %s   D/B = %s   I/A = %s" % (ratio("B", "H"), ratio("B", "A"), ratio("C", "B"),
                                                            ratio("D", "B"), i_a))
if "A" in cpu_per_request and "I" in cpu_per_request:
    print("nginx CPU per request: A %.1f us, I %.1f us (A/I = %.2f: I's rate as a share of A's on an idle machine)"
          % (cpu_per_request["A"], cpu_per_request["I"], cpu_per_request["A"] / cpu_per_request["I"]))
if delays:
    print("micro-cache: an approved comment visible through it after %s s (each of %d, under case I's load)"
          % (", ".join("%.2f" % x for x in delays), len(delays)))
print("quire serve: peak RSS %d MB, start-up %.0f ms (threads %s, keepalive %s, cache %s MB)"
      % (rss, startup, THREADS, "on" if KEEPALIVE else "off", CACHE_MB))
if selected("fanout"):
    print("publish fan-out: %d notifications queued by one `quire post import` in %.0f ms" % (queued, fanout))
# libfcgi's accept loop does not stop on SIGTERM: the ceiling responder is killed
hello.kill()
for p in (nginx, hello, quire):
    p.terminate()
    p.wait()
shutil.rmtree(d, ignore_errors=True)
