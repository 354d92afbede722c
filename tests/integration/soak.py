"""soak: one long-lived quire serve (the build make check uses: ASan + UBSan) answers every route in
the route table, many times in a seeded random order, from several concurrent clients, while
comment writers and subscription writers run beside them; first with threads = 1, then with 4.

Asserts: no 5xx, no answer outside what each request may get, no transport error, no sanitizer
report and no SQLite/statement-cache error in quire's log, a clean exit, quire's live heap (its
SIGUSR1 status line) at the end within 3 MB of the heap after the first epoch (with every client
running; the render cache and SQLite's page caches are configured small, since they are bounded
but fill as the soak writes), RSS within 24 MB of the first epoch's (a gross check: ASan's
allocator keeps pages for size classes that grew), and every route of src/web/route.c answered
N times.

Environment: QUIRE_SOAK_SECONDS (default 15 per configuration), QUIRE_SOAK_CLIENTS (mixed
clients, default 4), QUIRE_SOAK_COMMENTERS (default 2), QUIRE_SOAK_SUBSCRIBERS (default 1),
QUIRE_SOAK_THREADS (default "1,4"), QUIRE_SOAK_SEED (default: random, printed),
QUIRE_SOAK_MIN_HITS (successful answers each route needs, default 3).
tests/soak.sh runs it for 10 minutes with 64 clients before a release."""
import collections
import datetime
import email
import email.policy
import html
import http.client
import os
import random
import re
import signal
import socket
import sqlite3
import struct
import sys
import threading
import time
import urllib.parse
import zlib

from quiretest import SRCDIR, SmtpSink, Stack, done, eq, ok, run

DURATION = float(os.environ.get("QUIRE_SOAK_SECONDS", "15"))
CLIENTS = int(os.environ.get("QUIRE_SOAK_CLIENTS", "4"))
COMMENTERS = int(os.environ.get("QUIRE_SOAK_COMMENTERS", "2"))
SUBSCRIBERS = int(os.environ.get("QUIRE_SOAK_SUBSCRIBERS", "1"))
THREADS = [int(x) for x in os.environ.get("QUIRE_SOAK_THREADS", "1,4").split(",") if x.strip()]
SEED = int(os.environ.get("QUIRE_SOAK_SEED") or random.SystemRandom().randrange(1, 1 << 31))
MIN_HITS = int(os.environ.get("QUIRE_SOAK_MIN_HITS", "3"))
# the RSS check is for the ASan build make check uses; a ThreadSanitizer build (test.sh's TSan
# stage sets QUIRE_SOAK_RSS=0) maps shadow memory that grows with every address touched
CHECK_RSS = os.environ.get("QUIRE_SOAK_RSS", "1") != "0"
EPOCHS = max(1, int(os.environ.get("QUIRE_SOAK_EPOCHS", "0")) or min(20, int(DURATION // 5) or 1))
# RSS also counts the pages ASan's allocator keeps for size classes that grew (pages get longer as
# the soak adds comments): a gross check; the live heap below is the fine one
RSS_SLACK_KB = 24 * 1024
HEAP_SLACK_KB = 3 * 1024
LOG_BAD = re.compile(r"AddressSanitizer|LeakSanitizer|ThreadSanitizer|runtime error:|statement cache full|"
                     r"db_prep:|sqlite:|not an error|out of memory|database is locked|disk I/O error")
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a1f1b0a70000000049454e44ae426082")


def _png(w, h):
    """A valid w x h RGB PNG (PNG above is only a header: its data does not decode)."""
    raw = b"".join(b"\0" + b"\x80\x40\x20" * w for _ in range(h))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


PHOTO_PNG = _png(40, 30)
AUTHOR_SESSIONS = 5  # op_users rounds per configuration that log in as their new author
SEARCHES = ["harbour", "soak", "", "harbour tide", '"', '""', "*", "a*", "AND", "OR NOT", "NEAR(a b)", "(", ")",
            "-x", "^", "{}", "title:x", "col:1", "caf\u00e9", "\u65e5\u672c\u8a9e", "\U0001F600", "a\"b'c",
            "x" * 300, "%", "'; DROP TABLE posts; --", "<script>alert(1)</script>", "a b c d e f g h i j k l"]
REDIRECT = {301, 302, 303, 307, 308}

print("# seed %d (QUIRE_SOAK_SEED=%d repeats each client's sequence), %g s per configuration, threads %s, "
      "%d clients + %d comment writers + %d subscription writers"
      % (SEED, SEED, DURATION, ",".join(map(str, THREADS)), CLIENTS, COMMENTERS, SUBSCRIBERS))
sys.stdout.flush()

# --- the route table, read from the source so that a new route cannot be left out
with open(os.path.join(SRCDIR, "src", "web", "route.c")) as f:
    ROUTES = re.findall(r'\{"(GET|POST)", "([^"]+)", h_\w+', f.read())
ok(len(ROUTES) >= 40, "the route table has %d routes" % len(ROUTES))
ROUTE_RE = [(m, p, re.compile("^" + re.escape(p).replace(":", "[^/]+") + "$")) for m, p in ROUTES]


def family(path):
    """The route pattern a raw path falls under (whatever the method), or a name for the rest."""
    raw = path.split("?", 1)[0]
    for _m, p, rx in ROUTE_RE:
        if rx.match(raw):
            return p
    return "(no route)"


def heap_kb(pid, logpath, timeout=10.0):
    """quire's own count of live heap (its SIGUSR1 status line): a leak shows there even when the
    allocator keeps freed pages mapped, which RSS would count."""
    with open(logpath, errors="replace") as fh:
        seen = fh.read().count("status: up ")
    os.kill(pid, signal.SIGUSR1)
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with open(logpath, errors="replace") as fh:
            lines = [l for l in fh.read().splitlines() if "status: up " in l]
        if len(lines) > seen:
            m = re.search(r"heap (\d+) kB", lines[-1])
            return int(m.group(1)) if m else -1
        time.sleep(0.05)
    return -1


def rss_kb(pid):
    with open("/proc/%d/status" % pid) as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.counts = collections.Counter()      # (method, family, status)
        self.total = 0
        self.server_errors = []                  # (method, path, status, body)
        self.unexpected = []                     # (op, method, path, status, expected)
        self.transport = []
        self.ops = collections.Counter()
        self.conditional_304 = 0

    def add(self, op, method, path, status, expect, body):
        with self.lock:
            self.total += 1
            self.counts[(method, family(path), status)] += 1
            if status == 0:
                self.transport.append((op, method, path, body[:200]))
            elif status >= 500:
                self.server_errors.append((method, path, status, body[:300]))
            elif expect is not None and status not in expect:
                self.unexpected.append((op, method, path, status, sorted(expect)))


class Http:
    """One keep-alive HTTP/1.1 connection to nginx (http.client, from a chosen loopback source)."""

    def __init__(self, port, source=None):
        self.port, self.source, self.conn, self.used = port, source, None, 0

    def close(self):
        if self.conn:
            self.conn.close()
        self.conn, self.used = None, 0

    def send(self, method, path, body=None, headers=None):
        for attempt in (0, 1):
            reused = self.used > 0
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60,
                                                           source_address=(self.source, 0) if self.source else None)
                self.conn.request(method, path, body=body, headers=headers or {})
                resp = self.conn.getresponse()
                data = resp.read()
                self.used += 1
                if resp.will_close:
                    self.close()
                return resp.status, resp, data
            except (http.client.HTTPException, OSError) as e:
                self.close()
                # only an idle keep-alive connection closed under us is retried, and only for reads
                if attempt == 0 and reused and method in ("GET", "HEAD") and \
                        isinstance(e, (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)):
                    continue
                return 0, None, repr(e).encode()
        return 0, None, b"unreachable"


def raw_request(port, request_line):
    """Sends one request with bytes http.client refuses (raw non-ASCII); returns the status."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as sk:
            sk.sendall(request_line + b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                chunk = sk.recv(65536)
                if not chunk:
                    break
                data += chunk
        return int(data.split(b" ", 2)[1]), data
    except (OSError, ValueError, IndexError) as e:
        return 0, repr(e).encode()


class World:
    """What the clients know about the blog: seed posts and the pools they fill as they go."""

    def __init__(self, stack, sink, tally):
        self.s, self.sink, self.t = stack, sink, tally
        self.lock = threading.Lock()
        self.harvest_lock = threading.Lock()
        self.seed_slugs = []
        self.seed_ids = []
        self.busy = "busy"
        self.soak_posts = {}          # id -> last action
        self.comments = set()
        self.busy_seed = set()
        self.subscribers = set()
        self.confirm_tokens = []
        self.reset_tokens = {}  # the latest set-password link mailed to each address (/admin/reset?token=)
        self.author_sessions = 0  # op_users rounds that logged in as their author (argon2: kept few)
        self.unsub_links = []
        self.etags = {}
        self.seen_mail = set()
        self.stop = threading.Event()
        self.deadline = 0
        self.source_next = 2
        self.counter = 0

    def next_source(self):
        with self.lock:
            self.source_next += 1
            return "127.0.0.%d" % (2 + self.source_next % 250)

    def uniq(self):
        with self.lock:
            self.counter += 1
            return self.counter

    def pick(self, rng, pool):
        with self.lock:
            items = list(pool)
        return rng.choice(items) if items else None

    def pick_moderatable(self, rng):
        """A comment the admin may hide or delete: not one of the busy post's seeded comments,
        whose count the comment-page requests rely on."""
        with self.lock:
            items = list(self.comments - self.busy_seed)
        return rng.choice(items) if items else None

    def harvest(self):
        """Reads the new mails in the sink: confirmation tokens and unsubscribe links."""
        with self.harvest_lock:
            self._harvest()

    def _harvest(self):
        try:
            names = sorted(os.listdir(self.sink.dir))
        except OSError:
            return
        for name in names:
            if not name.endswith(".eml") or name in self.seen_mail:
                continue
            self.seen_mail.add(name)
            if name.endswith(("-ada@example.org.eml", "-grace@example.org.eml")):
                continue
            try:
                with open(os.path.join(self.sink.dir, name), "rb") as fh:
                    msg = email.message_from_binary_file(fh, policy=email.policy.default)
                part = msg.get_body(preferencelist=("plain",))
                text = (part.get_content() if part else "") + " " + str(msg.get("List-Unsubscribe") or "")
            except Exception as e:      # a mail quire wrote that Python cannot read is worth seeing
                print("# unreadable mail %s: %r" % (name, e))
                continue
            with self.lock:
                for tok in re.findall(r"/subscribe/confirm\?token=([A-Za-z0-9_-]+)", text):
                    self.confirm_tokens.append(tok)
                for tok in re.findall(r"/admin/reset\?token=([A-Za-z0-9_-]+)", text):
                    self.reset_tokens[str(msg.get("To") or "")] = tok
                for sid, tok in re.findall(r"/unsubscribe\?id=(\d+)&token=([0-9a-f]+)", text):
                    if (sid, tok) not in self.unsub_links:
                        self.unsub_links.append((sid, tok))

    def wait_for(self, pool, timeout=20):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.harvest()
            with self.lock:
                if pool:
                    return True
            time.sleep(0.2)
        return False


class Agent:
    """One client: its own connection, source address, admin session and random sequence."""

    def __init__(self, world, name, rng, source=None):
        self.w, self.name, self.rng = world, name, rng
        self.http = Http(world.s.port, source)
        self.cookie = None
        self.csrf = None

    def req(self, op, method, path, expect, form=None, body=None, ctype=None, headers=None, admin=False,
            cookie=None):
        h = dict(headers or {})
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            ctype = "application/x-www-form-urlencoded"
        if ctype:
            h["Content-Type"] = ctype
        c = cookie or (self.cookie if admin else None)
        if c:
            h["Cookie"] = c
        if isinstance(body, str):
            body = body.encode()
        status, resp, data = self.http.send(method, path, body=body, headers=h)
        text = data.decode("utf-8", errors="replace")
        self.w.t.add(op, method, path, status, expect, text)
        return status, resp, text

    # --- admin session
    def login(self, op="login", source_cookie=True):
        st, resp, _ = self.req(op, "POST", "/admin/login",
                               {303}, form={"name": self.rng.choice(["Ada Lovelace", "Grace Hopper"]),
                                            "password": "correct horse battery"})
        if st != 303:
            return None, None
        m = re.match(r"(quire_session=[^;]+)", resp.getheader("Set-Cookie") or "")
        cookie = m.group(1) if m else None
        st, _, text = self.req(op, "GET", "/admin/", {200}, cookie=cookie)
        m = re.search(r'name="csrf" value="([0-9a-f]{64})"', text)
        csrf = m.group(1) if m else None
        if source_cookie:
            self.cookie, self.csrf = cookie, csrf
        return cookie, csrf

    def admin_get(self, op, path, expect=frozenset({200})):
        return self.req(op, "GET", path, expect, admin=True)

    def admin_post(self, op, path, fields, expect=frozenset({303})):
        return self.req(op, "POST", path, expect, form=dict(fields, csrf=self.csrf), admin=True)


# --- the operations: each is one or a few requests with the statuses they may answer ---------
def seed_slug(a):
    return a.rng.choice(a.w.seed_slugs)


def reader_path(a):
    r = a.rng
    return r.choice(["/", "/page/2", "/posts/" + seed_slug(a), "/tags/soak", "/tags/alpha", "/authors/ada-lovelace",
                     "/feed.atom", "/comments.atom", "/sitemap.xml", "/robots.txt", "/posts/%s/comments.atom" % a.w.busy,
                     "/posts/%s/comment-page/1" % a.w.busy, "/search?q=harbour", "/subscribe"])


def op_home(a):
    a.req("home", "GET", "/", {200})
    a.req("home", "GET", "/page/%d" % a.rng.randint(2, 3), {200})
    a.req("home", "GET", "/page/1", {301})
    a.req("home", "GET", "/page/%d" % a.rng.choice([999, 100000]), {404})
    a.req("home", "GET", "/page/" + a.rng.choice(["0", "-1", "abc", "99999999999999999999"]), {404})


def op_article(a):
    slug = seed_slug(a)
    a.req("article", "GET", "/posts/" + slug, {200})
    cid = a.w.pick(a.rng, a.w.comments)
    if cid:
        a.req("article", "GET", "/posts/%s?replytocom=%s" % (slug, cid), {200})
    a.req("article", "GET", "/posts/no-such-post-%d" % a.rng.randint(0, 9), {404})


def op_comment_page(a):
    a.req("comment-page", "GET", "/posts/%s/comment-page/%d" % (a.w.busy, a.rng.randint(1, 3)), {200})
    a.req("comment-page", "GET", "/posts/%s/comment-page/%d" % (a.w.busy, a.rng.choice([0, 9999])), {404})
    a.req("comment-page", "GET", "/posts/no-such-post/comment-page/1", {404})


def op_feeds(a):
    a.req("feeds", "GET", "/feed.atom", {200})
    a.req("feeds", "GET", "/comments.atom", {200})
    a.req("feeds", "GET", "/posts/%s/comments.atom" % seed_slug(a), {200})
    a.req("feeds", "GET", "/posts/no-such-post/comments.atom", {404})


def op_tags_authors(a):
    a.req("tags", "GET", "/tags", {200})
    a.req("tags", "GET", "/tags/", {301})
    a.req("tags", "GET", "/tags/" + a.rng.choice(["soak", "alpha", "beta", "Soak"]), {200})
    a.req("tags", "GET", "/tags/%s/page/%d" % (a.rng.choice(["soak", "alpha"]), a.rng.randint(1, 3)), {200, 301, 404})
    a.req("tags", "GET", "/tags/no-such-tag", {404})
    a.req("authors", "GET", "/authors/" + a.rng.choice(["ada-lovelace", "grace-hopper"]), {200})
    a.req("authors", "GET", "/authors/%s/page/%d" % (a.rng.choice(["ada-lovelace", "grace-hopper"]),
                                                     a.rng.randint(1, 3)), {200, 301, 404})
    a.req("authors", "GET", "/authors/nobody", {404})


def op_pages(a):
    """The lookup routes (src/web/lookup.c), not in the route table: a page and the date archives."""
    a.req("page", "GET", "/soak-about", {200})
    a.req("page", "GET", "/soak-about/", {301})
    a.req("archive", "GET", a.rng.choice(["/2026", "/2026/01"]), {200})
    a.req("archive", "GET", "/2026/01/page/%d" % a.rng.randint(1, 3), {200, 301, 404})
    a.req("archive", "GET", a.rng.choice(["/2026/13", "/0000", "/1999", "/2026/01/page/0"]), {404})


def op_misc(a):
    a.req("misc", "GET", "/sitemap.xml", {200})
    a.req("misc", "GET", "/robots.txt", {200})
    a.req("misc", "GET", "/healthz", {200})


def op_search(a):
    q = a.rng.choice(SEARCHES)
    a.req("search", "GET", "/search?" + urllib.parse.urlencode({"q": q}), {200})
    a.req("search", "GET", "/search?q=harbour&page=%s" % a.rng.choice(["1", "2", "0", "-3", "x", "999"]), {200, 404})
    odd = a.rng.choice(["/search", "/search?", "/search?q", "/search?q=%ff%fe", "/search?q=%", "/search?q=%zz",
                        "/search?q=" + "y" * 5000, "/search?q=a&q=b", "/search?q=%00"])
    a.req("search", "GET", odd, {200, 400, 414})


def op_head(a):
    p = reader_path(a)
    a.req("head", "HEAD", p, {200})


def op_conditional(a):
    p = a.rng.choice(["/", "/posts/" + seed_slug(a), "/feed.atom", "/tags/soak", "/sitemap.xml", "/comments.atom",
                      "/soak-about", "/2026/01"])
    st, resp, _ = a.req("conditional", "GET", p, {200})
    etag = resp.getheader("ETag") if resp else None
    lm = resp.getheader("Last-Modified") if resp else None
    if etag:
        st2, _, _ = a.req("conditional", "GET", p, {200, 304}, headers={"If-None-Match": etag})
        if st2 == 304:
            with a.w.t.lock:
                a.w.t.conditional_304 += 1
        a.req("conditional", "GET", p, {200}, headers={"If-None-Match": '"not-this-one"'})
        a.req("conditional", "HEAD", p, {200, 304}, headers={"If-None-Match": etag})
    if lm:
        a.req("conditional", "GET", p, {200, 304}, headers={"If-Modified-Since": lm})


def op_errors(a):
    r = a.rng
    a.req("404", "GET", r.choice(["/nope", "/posts/", "/posts", "/admin/nope", "/static-not",
                                  "/posts/a/b/c/d", "/page", "/.env", "/wp-login.php", "/feed.atom.bak"]), {404})
    m, p = r.choice([("POST", "/"), ("DELETE", "/posts/" + seed_slug(a)), ("PUT", "/admin/posts"),
                     ("POST", "/feed.atom"), ("GET", "/admin/logout"), ("PATCH", "/search"), ("POST", "/sitemap.xml"),
                     ("GET", "/admin/outbox/retry"), ("DELETE", "/admin/comments")])
    a.req("405", m, p, {405}, body=b"" if m in ("POST", "PUT", "PATCH") else None)
    a.req("bad-encoding", "GET", r.choice(["/posts/%ff", "/posts/%zz", "/posts/%", "/posts/%00", "/%c0%af",
                                           "/tags/%e2%82", "/posts/a%0ab", "/authors/%ed%a0%80", "/posts/%c3%28"]),
          {400})
    a.req("odd", "GET", r.choice(["/feed.atom/", "/healthz/", "/posts/%s/" % seed_slug(a)]), {301, 308})
    a.req("too-long", "GET", "/posts/" + "a" * r.choice([600, 3000, 9000]), {404, 414, 400})
    # a non-canonical encoding of a real post: the same page, or a redirect to the canonical path
    slug = seed_slug(a)
    a.req("percent", "GET", "/posts/%" + "%02x" % ord(slug[0]) + slug[1:], {200, 301})
    st, data = raw_request(a.w.s.port, b"GET /posts/\xff\xfe HTTP/1.1")
    a.w.t.add("raw-bytes", "GET", "/posts/\\xff\\xfe", st, {400}, data.decode("latin-1")[:300])


def op_subscribe_forms(a):
    a.req("subscribe", "GET", "/subscribe", {200})
    a.req("subscribe", "POST", "/subscribe", {422}, form={"email": a.rng.choice(["", "not-an-address", "a@", "x" * 300])})
    a.req("confirm", "GET", "/subscribe/confirm?token=" + "A" * 43, {404})
    a.req("confirm", "POST", "/subscribe/confirm", {404}, form={"token": "B" * 43})
    a.req("unsubscribe", "GET", "/unsubscribe?id=1&token=" + "0" * 32, {404})
    a.req("unsubscribe", "POST", "/unsubscribe?id=1&token=" + "0" * 32, {404}, body="List-Unsubscribe=One-Click",
          ctype="application/x-www-form-urlencoded")


def op_confirm(a):
    a.w.harvest()
    tok = a.w.pick(a.rng, a.w.confirm_tokens)
    if not tok:
        return
    a.req("confirm", "GET", "/subscribe/confirm?token=" + tok, {200, 404})
    a.req("confirm", "POST", "/subscribe/confirm", {200, 404}, form={"token": tok})


def op_unsubscribe(a):
    a.w.harvest()
    link = a.w.pick(a.rng, a.w.unsub_links)
    if not link:
        return
    url = "/unsubscribe?id=%s&token=%s" % link
    a.req("unsubscribe", "GET", url, {200, 404})
    if a.rng.random() < 0.5:
        a.req("unsubscribe", "POST", url, {200, 404}, body="List-Unsubscribe=One-Click",
              ctype="application/x-www-form-urlencoded")
    else:
        a.req("unsubscribe", "POST", "/unsubscribe", {200, 404}, form={"id": link[0], "token": link[1]})


def op_subscribe_new(a, bounce=None):
    """A new address from a fresh loopback source (quire allows 10 requests an hour per address)."""
    n = a.w.uniq()
    if bounce is None:
        bounce = a.rng.random() < 0.15
    addr = ("bounce-%s-%d@example.org" if bounce else "soak-%s-%d@example.org") % (a.name, n)
    h = Http(a.w.s.port, a.w.next_source())
    st, _, data = h.send("POST", "/subscribe", body=urllib.parse.urlencode({"email": addr}).encode(),
                         headers={"Content-Type": "application/x-www-form-urlencoded"})
    h.close()
    a.w.t.add("subscribe-new", "POST", "/subscribe", st, {200}, data.decode(errors="replace"))


def comment_fields(a, slug):
    st, _, text = a.req("comment", "GET", "/posts/" + slug, {200})
    m = re.search(r'name="token" value="([^"]+)"', text)
    n = a.w.uniq()
    f = {"author": a.rng.choice(["Reader %d" % (n % 7), "\u00c9lodie", "<b>Bold</b>", "Zo\u00eb"]),
         "email": "reader-%d@example.org" % (n % 11), "url": a.rng.choice(["", "https://example.org/~r"]),
         "comment": "soak comment %s-%d %s" % (a.name, n, a.rng.choice(["", "*emphasis*", "http://a.example/ http://b.example/ http://c.example/",
                                                                      "caf\u00e9 \U0001F600", "<script>x</script>"])),
         "token": m.group(1) if m else ""}
    if a.rng.random() < 0.1:
        f["notify"] = "1"
    return f


def op_comment(a):
    slug = a.rng.choice(a.w.seed_slugs)
    f = comment_fields(a, slug)
    cid = a.w.pick(a.rng, a.w.comments) if a.rng.random() < 0.3 else None
    if cid:
        f["parent"] = str(cid)      # the parent may be on another post, held or gone: 422
    st, resp, _ = a.req("comment", "POST", "/posts/%s/comments" % slug, {303, 422} if cid else {303}, form=f)
    if st == 303:
        m = re.search(r"#comment-(\d+)|unapproved=(\d+)", resp.getheader("Location") or "")
        if m:
            with a.w.lock:
                a.w.comments.add(int(m.group(1) or m.group(2)))
    if a.rng.random() < 0.2:
        bad = dict(f, comment="") if a.rng.random() < 0.5 else dict(f, token="bogus")
        a.req("comment", "POST", "/posts/%s/comments" % slug, {422, 403, 400}, form=bad)


def op_admin_pages(a):
    a.admin_get("dashboard", "/admin/")
    a.req("admin-login-form", "GET", "/admin/login", {200, 303})
    a.req("admin-slash", "GET", "/admin", REDIRECT)
    a.req("admin-anon", "GET", a.rng.choice(["/admin/", "/admin/posts", "/admin/stats", "/admin/subscribers.csv"]), {303})
    a.req("admin-anon", "POST", "/admin/posts", {303, 403}, form={"title": "anonymous", "action": "draft"})
    a.req("admin-csrf", "POST", "/admin/posts", {403}, form={"title": "no token", "action": "draft"}, admin=True)


def parse_posts(a, text):
    ids = {int(x) for x in re.findall(r"/admin/posts/(\d+)/edit", text)}
    with a.w.lock:
        for i in ids:
            if i not in a.w.seed_ids:
                a.w.soak_posts.setdefault(i, "seen")


def op_posts_list(a):
    q = a.rng.choice(["", "?status=draft", "?status=scheduled", "?status=published", "?status=bogus", "?page=2",
                      "?page=0", "?deleted=1", "?status=published&page=2"])
    st, _, text = a.admin_get("posts-list", "/admin/posts" + q)
    parse_posts(a, text)
    a.admin_get("post-new", "/admin/posts/new")


def soak_post(a):
    with a.w.lock:
        ids = list(a.w.soak_posts)
    return a.rng.choice(ids) if ids else None


def post_form(a, action, when=None):
    n = a.w.uniq()
    f = {"title": "Soak post %s %d" % (a.name, n), "body": "Body of *soak* post %d.\n\nhttps://example.org/" % n,
         "tags": a.rng.choice(["soak", "soak, alpha", "beta", ""]), "excerpt": "", "action": action,
         "has_comment_box": "1", "allow_comments": "1"}
    if when:
        f["date"] = when
    return f


def op_post_create(a):
    action = a.rng.choice(["draft", "draft", "publish"])
    st, resp, _ = a.admin_post("post-create", "/admin/posts", post_form(a, action))
    m = re.search(r"/admin/posts/(\d+)/edit", (resp.getheader("Location") if resp else "") or "")
    if m:
        with a.w.lock:
            a.w.soak_posts[int(m.group(1))] = action
        a.admin_get("post-edit", m.group(0) + "?saved=" + action)


def op_post_change(a):
    pid = soak_post(a)
    if not pid:
        return op_post_create(a)
    a.admin_get("post-edit", "/admin/posts/%d/edit" % pid, {200, 404})
    action = a.rng.choice(["draft", "publish", "schedule", "unpublish", "preview", "test"])
    when = None
    if action == "schedule":
        when = (datetime.datetime.now(datetime.timezone.utc) +
                datetime.timedelta(seconds=a.rng.randint(2, 20))).strftime("%Y-%m-%dT%H:%M:%SZ")
    # 404: deleted before the request; 409: deleted by another client while it was being saved
    # a test: 429 within 30 s of the last one, 422 for a scheduled post whose form has no date
    a.admin_post("post-" + action, "/admin/posts/%d" % pid, post_form(a, action, when),
                 {200, 404} if action == "preview" else {303, 404, 409, 422, 429} if action == "test"
                 else {303, 404, 409})
    with a.w.lock:
        if pid in a.w.soak_posts:
            a.w.soak_posts[pid] = action


def op_post_preview(a):
    pid = soak_post(a) or a.rng.choice(a.w.seed_ids)
    a.admin_get("post-preview", "/admin/posts/%d/preview" % pid, {200, 404})
    a.admin_post("post-preview", "/admin/posts", post_form(a, "preview"), {200})
    a.admin_get("post-edit", "/admin/posts/999999/edit", {404})


def op_post_delete(a):
    with a.w.lock:
        many = len(a.w.soak_posts) > 2
    pid = soak_post(a)
    if not pid or not many:
        return op_post_create(a)
    a.admin_get("post-delete", "/admin/posts/%d/delete" % pid, {200, 404})
    a.admin_post("post-delete", "/admin/posts/%d/delete" % pid, {}, {303, 404})
    with a.w.lock:
        a.w.soak_posts.pop(pid, None)


def op_media(a):
    boundary = "soakboundary%d" % a.w.uniq()
    pid = a.rng.choice(a.w.seed_ids + [0])
    parts = []
    for k, v in (("csrf", a.csrf or ""), ("post_id", str(pid) if pid else "")):
        parts.append(("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (boundary, k, v)).encode())
    img = PNG if a.rng.random() < 0.8 else b"<svg>not an image</svg>"
    parts.append(("--%s\r\nContent-Disposition: form-data; name=\"image\"; filename=\"p.png\"\r\n"
                  "Content-Type: image/png\r\n\r\n" % boundary).encode() + img + b"\r\n")
    parts.append(("--%s--\r\n" % boundary).encode())
    a.req("media", "POST", "/admin/media", {303} if img is PNG else {422}, body=b"".join(parts),
          ctype="multipart/form-data; boundary=" + boundary, admin=True)


def op_editor(a):
    """The editor's routes: autosave, the upload from inside the form, revisions, restore, dismiss."""
    pid = soak_post(a) or a.rng.choice(a.w.seed_ids)
    target = a.rng.choice([str(pid), str(pid), "new"])
    # 404/410: deleted meanwhile; 409: saved by another client since (no version sent: never)
    a.admin_post("editor-autosave", "/admin/posts/%s/autosave" % target, post_form(a, "draft"), {200, 404, 409, 410, 422})
    boundary = "soakeditor%d" % a.w.uniq()
    fields = [("csrf", a.csrf or "")]
    fields += [("only_image", "1")] if a.rng.random() < 0.7 else list(post_form(a, "draft").items()) + [("cursor", "3")]
    parts = [("--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (boundary, k, v)).encode()
             for k, v in fields]
    parts.append(("--%s\r\nContent-Disposition: form-data; name=\"image\"; filename=\"p.png\"\r\n"
                  "Content-Type: image/png\r\n\r\n" % boundary).encode() + PNG + b"\r\n")
    parts.append(("--%s--\r\n" % boundary).encode())
    a.req("editor-upload", "POST", "/admin/posts/%s/upload" % target, {200, 404, 409, 422}, body=b"".join(parts),
          ctype="multipart/form-data; boundary=" + boundary, admin=True)
    st, _, text = a.admin_get("revisions", "/admin/posts/%d/revisions" % pid, {200, 404})
    revs = [int(x) for x in re.findall(r"/admin/posts/%d/revisions/(\d+)" % pid, text or "")]
    rid = a.rng.choice(revs) if revs else 999999
    a.admin_get("revision", "/admin/posts/%d/revisions/%d" % (pid, rid), {200, 404})
    a.admin_post("revision-restore", "/admin/posts/%d/revisions/%d/restore" % (pid, rid), {}, {303, 404})
    a.admin_post("autosave-dismiss", "/admin/posts/%d/autosave/dismiss" % pid, {}, {303})


def op_media_library(a):
    _, _, text = a.admin_get("media-library", "/admin/media" + a.rng.choice(["", "?page=2", "?page=bogus", "?done=alt"]))
    names = re.findall(r'/admin/media/([0-9a-f]{32}\.(?:png|jpg|gif|webp))/delete', text)
    name = a.rng.choice(names) if names else "0" * 32 + ".png"
    a.admin_post("media-alt", "/admin/media/%s/alt" % name, {"alt": "Soak alt %d" % a.w.uniq()}, {303, 404})
    a.admin_get("media-delete", "/admin/media/%s/delete" % name, {200, 404, 409})
    a.admin_post("media-delete", "/admin/media/%s/delete" % name, {}, {303, 404, 409})


def parse_comments(a, text):
    ids = {int(x) for x in re.findall(r'id="admin-comment-(\d+)"', text)}
    with a.w.lock:
        a.w.comments |= ids


def op_comments_admin(a):
    st = a.rng.choice(["pending", "approved", "spam", "trash", "bogus"])
    _, _, text = a.admin_get("comments-list", "/admin/comments?status=%s&page=%d" % (st, a.rng.choice([1, 1, 2])))
    parse_comments(a, text)
    cid = a.w.pick_moderatable(a.rng)
    if cid:
        action = a.rng.choice(["approve", "approve", "unapprove", "spam", "trash", "restore", "delete"])
        a.admin_post("comment-" + action, "/admin/comments/%d" % cid, {"action": action, "back": st}, {303, 404})
        if action == "delete":
            with a.w.lock:
                a.w.comments.discard(cid)
    ids = [a.w.pick_moderatable(a.rng) for _ in range(3)]
    fields = [("csrf", a.csrf), ("bulk_action", a.rng.choice(["approve", "unapprove", "spam", "trash", "restore"])),
              ("back", st)] + [("ids", str(i)) for i in ids if i]
    a.req("comment-bulk", "POST", "/admin/comments", {303}, form=fields, admin=True)
    a.admin_post("comment-bogus", "/admin/comments/%d" % (cid or 1), {"action": "frobnicate"}, {400})


def op_comment_reply(a):
    # the comment may have gone to spam or trash meanwhile: replying there is refused (409)
    cid = a.w.pick(a.rng, a.w.comments)
    if not cid:
        return
    a.admin_post("comment-reply", "/admin/comments/%d/reply" % cid,
                 {"body": "Admin reply %d, *thanks*." % a.w.uniq(), "back": "approved"}, {303, 404, 409})
    a.admin_post("comment-reply", "/admin/comments/%d/reply" % cid, {"body": ""}, {404, 409, 422})
    # edited by a moderator: the form, a refused address, a saved edit (deleted meanwhile: 404)
    a.admin_get("comment-edit-form", "/admin/comments/%d/edit?back=approved" % cid, {200, 404})
    a.admin_post("comment-edit", "/admin/comments/%d/edit" % cid,
                 {"author": "Soak", "email": "no address", "comment": "x"}, {404, 422})
    a.admin_post("comment-edit", "/admin/comments/%d/edit" % cid,
                 {"author": "Soak Editor", "email": "soak@example.org", "url": "",
                  "comment": "Edited %d, *kept*." % a.w.uniq(), "back": "approved"}, {303, 404})


def op_subscribers_admin(a):
    q = a.rng.choice(["", "?q=soak", "?q=example.org", "?status=confirmed", "?status=pending", "?page=2",
                      "?q=%25", "?status=bogus", "?done=removed", "?done=retry"])
    _, _, text = a.admin_get("subscribers", "/admin/subscribers" + q, {200, 400})
    ids = {int(x) for x in re.findall(r"/admin/subscribers/(\d+)/delete", text)}
    with a.w.lock:
        a.w.subscribers |= ids
    a.admin_get("subscribers-csv", "/admin/subscribers.csv")


def op_subscriber_delete(a):
    sid = a.w.pick(a.rng, a.w.subscribers)
    if sid:
        a.admin_post("subscriber-delete", "/admin/subscribers/%d/delete" % sid, {}, {303, 404})
        with a.w.lock:
            a.w.subscribers.discard(sid)
    a.admin_post("subscriber-delete", "/admin/subscribers/999999/delete", {}, {404})


def op_outbox_retry(a):
    a.admin_post("outbox-retry", "/admin/outbox/retry", {})


def op_stats(a):
    a.admin_get("stats", "/admin/stats?days=" + a.rng.choice(["7", "30", "365", "bogus", "-1", "99999"]))
    a.admin_get("stats", "/admin/stats")


def op_settings(a):
    """/admin/settings read back and saved with only the description changed (the page size and the
    comment policy the other operations rely on stay), or a form with errors (422)."""
    _, _, text = a.admin_get("settings", "/admin/settings" + a.rng.choice(["", "?saved=1", "?saved=0"]))
    f = {k: html.unescape(v) for k, v in re.findall(r'name="(\w+)" type="text"[^>]* value="([^"]*)"', text or "")}
    m = re.search(r'<option value="(\w+)" selected>', text or "")
    w = re.search(r'name="disallowed_words"[^>]*>([^<]*)</textarea>', text or "")
    if "title" not in f or not m or not w:
        return
    f.update(moderation=m.group(1), disallowed_words=html.unescape(w.group(1)), has_post_mails="1")
    if 'name="post_mails" value="on" checked' in text:
        f["post_mails"] = "on"
    if a.rng.random() < 0.2:
        a.admin_post("settings", "/admin/settings", dict(f, title="", posts_per_page="0"), {422})
    else:
        f["description"] = "Soak description %d." % a.rng.randrange(3)
        a.admin_post("settings", "/admin/settings", f)


def op_users(a):
    """Users (sql/020_users.sql): a new author added, given a role and a password; their own session
    edits their profile, password and photo; "Forgot password?" for them and a mailed link used;
    the author deleted. The admins' names and passwords are never touched."""
    n = a.w.uniq()
    name, slug, email = "Soak %d %s" % (n, a.name), "soak-%d-%s" % (n, a.name), "soak%d-%s@example.org" % (n, a.name)
    a.admin_post("user-add", "/admin/users", {"name": name, "email": email, "role": "author"})
    _, _, text = a.admin_get("users", "/admin/users")
    m = re.search(r'id="user-(\d+)">\s*<td><a href="/authors/%s"' % re.escape(slug), text)
    uid = int(m.group(1)) if m else 999999
    a.admin_post("user-action", "/admin/users/%d" % uid, {"action": "role", "role": "author"}, {303, 404})
    with a.w.lock:
        a.w.author_sessions += 1
        session = a.w.author_sessions <= AUTHOR_SESSIONS
    # the author's own session costs four argon2 hashes: a few rounds are enough
    if session:
        a.admin_post("user-action", "/admin/users/%d" % uid, {"action": "password", "password": "soak password 1"},
                     {303, 404})
        st, resp, _ = a.req("user-login", "POST", "/admin/login", {303}, form={"name": email, "password": "soak password 1"})
        m = re.match(r"(quire_session=[^;]+)", (resp.getheader("Set-Cookie") if resp else "") or "")
        cookie = m.group(1) if m else None
        _, _, text = a.req("profile", "GET", "/admin/profile", {200}, cookie=cookie)
        m = re.search(r'name="csrf" value="([0-9a-f]{64})"', text)
        csrf = m.group(1) if m else ""
        a.req("profile", "POST", "/admin/profile", {303}, cookie=cookie,
              form={"csrf": csrf, "name": name, "email": email, "bio": "Soaked %d." % n})
        a.req("profile-password", "POST", "/admin/profile/password", {303}, cookie=cookie,
              form={"csrf": csrf, "current": "soak password 1", "password": "soak password 2", "password2": "soak password 2"})
        boundary = "soakphoto%d" % n
        body = ("--%s\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n%s\r\n" % (boundary, csrf)).encode()
        body += ("--%s\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.png\"\r\n"
                 "Content-Type: image/png\r\n\r\n" % boundary).encode() + PHOTO_PNG + ("\r\n--%s--\r\n" % boundary).encode()
        a.req("profile-photo", "POST", "/admin/profile/photo", {303}, cookie=cookie, body=body,
              ctype="multipart/form-data; boundary=" + boundary)
    a.req("forgot", "GET", "/admin/forgot", {200})
    a.w.harvest()  # the invitation's link, if it went out, is replaced by the one asked for now
    with a.w.lock:
        a.w.reset_tokens.pop(email, None)
    # one request per address and account is far below the limits; a client's many rounds may reach them
    a.req("forgot", "POST", "/admin/forgot", {200, 429}, form={"who": email})
    # this round's own link (another round's author may be gone by now)
    end, tok = time.monotonic() + 5, None
    while tok is None and time.monotonic() < end:
        a.w.harvest()
        with a.w.lock:
            tok = a.w.reset_tokens.pop(email, None)
        if tok is None:
            time.sleep(0.1)
    # 410 too: the link harvested may be the invitation's, mailed late and replaced by this one
    a.req("reset", "GET", "/admin/reset?token=" + (tok or "A" * 43), {200, 410} if tok else {410})
    a.req("reset", "POST", "/admin/reset", {303, 410} if tok else {410},
          form={"token": tok or "A" * 43, "password": "soak password 3", "password2": "soak password 3"})
    a.admin_get("user-delete", "/admin/users/%d/delete" % uid, {200, 404})
    a.admin_post("user-delete", "/admin/users/%d/delete" % uid, {}, {303, 404})


def op_login_logout(a):
    cookie, csrf = a.login("login-logout", source_cookie=False)
    if cookie and csrf:
        a.req("logout", "POST", "/admin/logout", {303}, form={"csrf": csrf}, cookie=cookie)
        a.req("logout", "GET", "/admin/", {303}, cookie=cookie)


# name, weight, function (reader operations weigh more, as they do on a real blog)
OPS = [("home", 4, op_home), ("article", 6, op_article), ("comment-page", 2, op_comment_page), ("feeds", 3, op_feeds),
       ("tags-authors", 3, op_tags_authors), ("pages", 2, op_pages), ("misc", 2, op_misc), ("search", 3, op_search), ("head", 2, op_head),
       ("conditional", 3, op_conditional), ("errors", 2, op_errors), ("subscribe-forms", 1, op_subscribe_forms),
       ("subscribe-new", 1, op_subscribe_new), ("confirm", 1, op_confirm), ("comment", 3, op_comment),
       ("admin-pages", 2, op_admin_pages), ("posts-list", 2, op_posts_list), ("post-create", 2, op_post_create),
       ("post-change", 2, op_post_change), ("post-preview", 1, op_post_preview), ("post-delete", 1, op_post_delete),
       ("media", 1, op_media), ("editor", 1, op_editor), ("media-library", 1, op_media_library), ("comments-admin", 2, op_comments_admin), ("comment-reply", 1, op_comment_reply),
       ("subscribers-admin", 1, op_subscribers_admin), ("subscriber-delete", 1, op_subscriber_delete),
       ("outbox-retry", 1, op_outbox_retry), ("stats", 1, op_stats), ("settings", 1, op_settings), ("users", 1, op_users), ("login-logout", 1, op_login_logout),
       ("unsubscribe", 1, op_unsubscribe)]


def short_routes(t):
    """The routes of the table answered successfully (2xx, 3xx or 304) fewer than MIN_HITS times."""
    short = []
    for m, p in ROUTES:
        good = sum(c for (mm, ff, st), c in list(t.counts.items()) if mm == m and ff == p and 200 <= st < 400)
        if good < MIN_HITS:
            short.append("%s %s: %d" % (m, p, good))
    return short


def mixed_client(world, a):
    rng = a.rng
    if a.cookie is None:
        a.login()
    names = [o[0] for o in OPS]
    weights = [o[1] for o in OPS]
    funcs = dict((o[0], o[2]) for o in OPS)
    while time.monotonic() < world.deadline:
        name = rng.choices(names, weights)[0]
        world.t.ops[name] += 1
        funcs[name](a)


def comment_writer(world, a):
    while time.monotonic() < world.deadline:
        op_comment(a)


def subscription_writer(world, a):
    """New addresses, then the confirmation links from their mails, then unsubscribing some."""
    while time.monotonic() < world.deadline:
        op_subscribe_new(a)
        op_confirm(a)
        if a.rng.random() < 0.3:
            op_unsubscribe(a)
        time.sleep(0.1)


def harvester(world):
    while not world.stop.is_set():
        world.harvest()
        world.stop.wait(0.5)


def first_round(world):
    """Every operation once, in order, from one client; the ones that need a mail wait for it."""
    a = Agent(world, "first", random.Random(SEED))
    a.login()
    for name, _w, fn in OPS:
        if name == "subscribe-new":
            op_subscribe_new(a, bounce=True)     # a failed row for the outbox retry
            fn = lambda a: op_subscribe_new(a, bounce=False)
        if name == "confirm":
            world.wait_for(world.confirm_tokens)
        if name == "unsubscribe":
            # a post mail carries the unsubscribe link. subscriber-delete above may have removed the
            # one subscriber confirmed so far: confirm a new one, then publish a post for them
            with world.lock:
                known = len(world.confirm_tokens)
            op_subscribe_new(a, bounce=False)
            end = time.monotonic() + 20
            fresh = []
            while not fresh and time.monotonic() < end:
                time.sleep(0.2)
                world.harvest()
                with world.lock:
                    fresh = world.confirm_tokens[known:]
            for tok in fresh:
                a.req("confirm", "POST", "/subscribe/confirm", {200, 404}, form={"token": tok})
            a.admin_post("post-create", "/admin/posts", post_form(a, "publish"))
            world.wait_for(world.unsub_links)
        fn(a)
    a.http.close()


def soak(threads):
    t = Tally()
    mails = os.path.join(os.environ.get("TMPDIR", "/tmp"), "quire-soak-%d-%d" % (os.getpid(), threads))
    sink = SmtpSink(mails).start()
    s = Stack("soak%d" % threads, threads=threads,
              config="[comments]\nmin_seconds = 0\nrate_limit = 0\nper_page = 5\n"
                     "[mail]\nsmtp_url = smtp://127.0.0.1:%d\nfrom = blog@example.org\nstarttls = no\nretry_base = 1\n"
                     "[stats]\nflush_seconds = 1\n"
                     # the render cache (8 MB) and SQLite's page caches (2 MB per connection) are
                     # bounded but fill while the soak writes: kept small, RSS growth shows leaks
                     "[server]\ncache_mb = 1\ndb_cache_kb = 256\n" % sink.port
                     + os.environ.get("QUIRE_SOAK_CONFIG", "").replace("\\n", "\n"))
    s.user("Ada Lovelace", "ada@example.org", bio="Analyst.")
    s.user("Grace Hopper", "grace@example.org")
    w = World(s, sink, t)
    files = []
    for i in range(9):
        slug = "harbour-%d" % i if i < 8 else "busy"
        front = {"title": "A harbour at dawn %d" % i if i < 8 else "A busy post", "slug": slug,
                 "date": "2026-01-%02dT06:30:00Z" % (i + 1), "tags": ["soak, alpha", "soak", "beta", "alpha"][i % 4],
                 "author": ["Ada Lovelace", "Grace Hopper"][i % 2]}
        files.append(os.path.join(s.dir, "seed-%d.md" % i))
        with open(files[-1], "w") as fh:
            fh.write("---\n" + "".join("%s: %s\n" % kv for kv in front.items()) + "---\n")
            fh.write("Boats waiting for the tide, number %d.\n\n![Boats](/static/harbour.jpg)\n*Caption.*\n" % i)
        w.seed_slugs.append(slug)
    rc, _out, err = run(["post", "import", "--db", s.db] + files)
    eq(rc, 0, "threads=%d: the seed posts import" % threads, ) or print("# " + err)
    db = sqlite3.connect(s.db)
    for i in range(18):
        db.execute("INSERT INTO comments(post_id, author_name, author_email, body, body_html, status, created_at) "
                   "VALUES ((SELECT id FROM posts WHERE slug='busy'), 'Seed', 'seed@example.org', ?, ?, 'approved', ?)",
                   ("seed %d" % i, "<p>seed %d</p>" % i, 1767300000 + i))
    db.commit()
    w.seed_ids = [r[0] for r in db.execute("SELECT id FROM posts ORDER BY id")]
    w.comments = {r[0] for r in db.execute("SELECT id FROM comments")}
    w.busy_seed = set(w.comments)
    # a static page in the menu (sql/013_pages.sql), visited by op_pages; a seed, so no client edits it
    cur = db.execute("INSERT INTO posts(slug, title, body_md, body_html, status, published_at, created_at, updated_at, "
               "kind, menu_order) VALUES('soak-about', 'About the soak', 'Soak.', '<p>Soak.</p>', 'published', "
               "1767225600, 1767225600, 1767225600, 'page', 1)")
    w.seed_ids.append(cur.lastrowid)
    db.commit()
    db.close()
    # ASan's quarantine (256 MB by default) would be measured as RSS growth: keep it small here
    os.environ["ASAN_OPTIONS"] = ":".join(x for x in [os.environ.get("ASAN_OPTIONS", ""), "quarantine_size_mb=" + os.environ.get("QUIRE_SOAK_QUARANTINE_MB", "2"),
                                                      "thread_local_quarantine_size_kb=256",
                                                      # freed pages go back to the OS, so RSS follows what quire holds
                                                      "allocator_release_to_os_interval_ms=" + os.environ.get("QUIRE_SOAK_RELEASE_MS", "500")] if x)
    s.start()
    pid = s.quire.pid
    logpath = os.path.join(s.dir, "quire.log")

    hv = threading.Thread(target=harvester, args=(w,), daemon=True)
    hv.start()
    start = time.monotonic()
    first_round(w)
    first_n = t.total
    rss_first = rss_kb(pid)
    agents = [(mixed_client, Agent(w, "c%d" % k, random.Random(SEED * 1000 + k))) for k in range(CLIENTS)]
    agents += [(comment_writer, Agent(w, "w%d" % k, random.Random(SEED * 1000 + 100 + k))) for k in range(COMMENTERS)]
    agents += [(subscription_writer, Agent(w, "s%d" % k, random.Random(SEED * 1000 + 200 + k)))
               for k in range(SUBSCRIBERS)]
    # the soak runs in epochs; between two, every client pauses and RSS is read on a quiet server
    # (a login's Argon2id takes 64 MB for a moment: RSS read under load says little)
    soak_start = time.monotonic()
    rss_peak = rss_first
    series = []
    workers = []
    epoch = 0
    while True:
        if epoch < EPOCHS:
            w.deadline = soak_start + DURATION * (epoch + 1) / EPOCHS
        else:
            break
        epoch += 1
        workers = [threading.Thread(target=fn, args=(w, ag)) for fn, ag in agents]
        for th in workers:
            th.start()
        while any(th.is_alive() for th in workers):
            rss_peak = max(rss_peak, rss_kb(pid))
            time.sleep(0.25)
            if time.monotonic() > w.deadline + 120:
                break
        if any(th.is_alive() for th in workers):
            break
        series.append((time.monotonic(), rss_kb(pid), t.total, heap_kb(pid, logpath)))
    # a slow machine (other tests beside this one, the rare operations' Argon2id and image scaling
    # under ASan) may leave a rare operation's route short of MIN_HITS: then one client runs every
    # operation in turn, while any route is short, up to the soak's duration again
    cover = agents[0][1]
    w.deadline = time.monotonic() + 3600
    cover_end = time.monotonic() + DURATION
    while short_routes(t) and time.monotonic() < cover_end and not any(th.is_alive() for th in workers):
        for name, _weight, fn in OPS:
            w.t.ops[name] += 1
            fn(cover)
    for fn, ag in agents:
        ag.http.close()
    ok(not any(th.is_alive() for th in workers), "threads=%d: every client finished within 2 minutes of its deadline" % threads)
    elapsed = time.monotonic() - soak_start
    rss_last = rss_kb(pid)
    w.stop.set()
    alive = s.quire.poll() is None
    ok(alive, "threads=%d: quire serve is still running after the soak" % threads)
    h = Http(s.port)
    st, _, _ = h.send("GET", "/healthz")
    h.close()
    eq(st, 200, "threads=%d: /healthz answers after the soak" % threads)

    # --- a clean stop, then the log
    s.quire.send_signal(signal.SIGTERM)
    try:
        rc = s.quire.wait(timeout=60)
    except Exception:
        s.quire.kill()
        rc = "killed after 60 s"
    eq(rc, 0, "threads=%d: quire serve stops cleanly on SIGTERM (exit 0: no leak report)" % threads)
    s.quire = None
    with open(os.path.join(s.dir, "quire.log"), errors="replace") as fh:
        log = fh.read()
    bad = [line for line in log.splitlines() if LOG_BAD.search(line)]
    eq(bad[:15], [], "threads=%d: no sanitizer report, statement-cache or SQLite error in quire's log" % threads)
    tail = [line for line in log.splitlines() if "audit:" not in line][-8:]

    # --- what was answered
    n = t.total
    statuses = collections.Counter()
    for (m, fam, st), c in t.counts.items():
        statuses[st] += c
    print("# threads=%d: %d requests (%d in the first round, %d in %.1f s of soak: %.0f req/s), seed %d"
          % (threads, n, first_n, n - first_n, elapsed, (n - first_n) / elapsed if elapsed else 0, SEED))
    print("# threads=%d: statuses %s" % (threads, " ".join("%s:%d" % (k, v) for k, v in sorted(statuses.items()))))
    print("# threads=%d: RSS after the first round %d kB, peak %d kB, at the end %d kB (%+d kB)"
          % (threads, rss_first, rss_peak, rss_last, rss_last - rss_first))
    print("# threads=%d: RSS and live heap between epochs (s: kB, kB @ requests): %s" % (threads, ", ".join(
        "%.0f: %d, %d @ %d" % (ts - soak_start, kb, hp, nreq) for ts, kb, nreq, hp in series)))
    print("# threads=%d: %d comments known, %d soak posts, %d confirmation tokens and %d unsubscribe links from "
          "%d mails, %d 304s to If-None-Match" % (threads, len(w.comments), len(w.soak_posts), len(w.confirm_tokens),
                                                    len(w.unsub_links), len(w.seen_mail), t.conditional_304))
    print("# threads=%d: requests per route pattern and status:" % threads)
    fams = sorted({(m, fam) for (m, fam, st) in t.counts})
    for m, fam in fams:
        per = sorted((st, c) for (mm, ff, st), c in t.counts.items() if mm == m and ff == fam)
        print("#   %-6s %-32s %s" % (m, fam, " ".join("%s:%d" % (st, c) for st, c in per)))
    sys.stdout.flush()

    eq([(m, p, st) for m, p, st, _b in t.server_errors[:10]], [], "threads=%d: no 5xx in %d requests" % (threads, n))
    for m, p, st, body in t.server_errors[:3]:
        print("#   %s %s -> %d: %s" % (m, p, st, body[:200].replace("\n", " ")))
    if t.server_errors:
        print("#   quire log tail: " + " | ".join(tail))
    eq(t.transport[:10], [], "threads=%d: no connection failed or timed out" % threads)
    eq(t.unexpected[:12], [], "threads=%d: every answer is one the request may get (%d not)" % (threads, len(t.unexpected)))
    # the baseline is the first round of the soak itself (its first epoch): one request per route
    # from one client does not warm the allocator's per-thread caches that four workers use
    rss_warm = series[0][1] if series else rss_first
    ok(not CHECK_RSS or rss_last - rss_warm <= RSS_SLACK_KB, "threads=%d: RSS at the end within %d MB of RSS after the first "
       "round of the soak (%d kB -> %d kB)" % (threads, RSS_SLACK_KB >> 10, rss_warm, rss_last))
    # the leak check proper: what quire holds (render cache and SQLite page caches are bounded and
    # full by the end of the first epoch) does not grow with the requests answered
    heap_warm, heap_last = (series[0][3], series[-1][3]) if series else (-1, -1)
    ok(heap_warm > 0 and heap_last > 0 and heap_last - heap_warm <= HEAP_SLACK_KB,
       "threads=%d: live heap at the end within %d MB of the first epoch's (%d kB -> %d kB, %d requests later)"
       % (threads, HEAP_SLACK_KB >> 10, heap_warm, heap_last, series[-1][2] - series[0][2] if series else 0))

    # --- every route of the table answered (2xx, 3xx or 304) at least MIN_HITS times
    short = short_routes(t)
    eq(short, [], "threads=%d: each of the %d routes answered successfully at least %d times" % (threads, len(ROUTES), MIN_HITS))
    ok(any(st == 404 for (_m, _f, st) in t.counts), "threads=%d: 404s were asked for" % threads)
    ok(any(st == 405 for (_m, _f, st) in t.counts), "threads=%d: 405s were asked for" % threads)
    ok(any(st == 400 for (_m, _f, st) in t.counts), "threads=%d: bad encodings were sent (400)" % threads)
    ok(any(m == "HEAD" and st == 200 for (m, _f, st) in t.counts), "threads=%d: HEAD requests were answered" % threads)
    ok(t.conditional_304 > 0, "threads=%d: conditional GETs with a previous ETag got 304 (%d)" % (threads, t.conditional_304))
    s.stop()
    sink.stop()
    return n, elapsed


for th in THREADS:
    soak(th)
done()
