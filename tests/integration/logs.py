"""logs: one access line per request (method, path, status, bytes, ms), no reader's address unless
[server] log_ip = on, none at log_level = warn, no confirmation/unsubscribe/reset token in the log,
and no line forged by a path holding control characters (sent to quire's FastCGI socket directly,
since nginx refuses them)."""
import os
import re
import shutil
import socket
import struct
import tempfile
import time

from quiretest import Stack, SmtpSink, ok, eq, contains, lacks, done

ACCESS = re.compile(r"^quire: (GET|HEAD|POST) (\S+) (\d{3}) (\d+) B (\d+\.\d+) ms( \S+)?$")
SRC = "127.0.0.7"  # the reader's address, sent from by curl

mails = tempfile.mkdtemp(prefix="quire-logs-mail-")
sink = SmtpSink(mails).start()
MAIL = "[mail]\nsmtp_url = smtp://127.0.0.1:%d\nfrom = blog@example.org\nretry_base = 1\n" % sink.port
s = Stack("logs", config=MAIL)
s.user("Ada Lovelace", "ada@example.org")
s.import_post({"title": "Hello", "slug": "hello", "date": "2026-01-01", "author": "Ada Lovelace"})
s.start()
logpath = os.path.join(s.dir, "quire.log")


def log_text():
    time.sleep(0.2)  # the line is written just after the answer
    return open(logpath, errors="replace").read()


def access_lines(text):
    return [m for m in (ACCESS.match(line) for line in text.splitlines()) if m]


def lines_for(text, method, path):
    return [m for m in access_lines(text) if m.group(1) == method and m.group(2) == path]


def fcgi(params, body=b""):
    """One request straight to quire's FastCGI socket; returns the raw answer."""
    def rec(kind, content):
        return struct.pack("!BBHHBx", 1, kind, 1, len(content), 0) + content

    def length(n):
        return bytes([n]) if n < 128 else struct.pack("!I", n | 0x80000000)
    pairs = b""
    for k, v in params.items():
        k, v = k.encode(), v.encode("latin-1")
        pairs += length(len(k)) + length(len(v)) + k + v
    out = rec(1, struct.pack("!HB5x", 1, 0)) + rec(4, pairs) + rec(4, b"")
    out += (rec(5, body) if body else b"") + rec(5, b"")
    c = socket.socket(socket.AF_UNIX)
    c.settimeout(20)
    c.connect(s.sock)
    c.sendall(out)
    got, answer = b"", b""
    while True:
        chunk = c.recv(65536)
        if not chunk:
            break
        got += chunk
    c.close()
    while len(got) >= 8:
        _, kind, _, clen, plen = struct.unpack("!BBHHBx", got[:8])
        if kind == 6:
            answer += got[8:8 + clen]
        got = got[8 + clen + plen:]
    return answer.decode("utf-8", errors="replace")


# --- a 200, a 304, a HEAD, a 404 and a POST
r200 = s.get("/posts/hello", source=SRC)
eq(r200.status, 200, "an article: 200")
r304 = s.get("/posts/hello", headers={"If-None-Match": r200.header("etag")}, source=SRC)
eq(r304.status, 304, "the same with its ETag: 304")
eq(s.get("/posts/hello", method="HEAD", source=SRC).status, 200, "HEAD: 200")
eq(s.get("/no/such/page?q=1", source=SRC).status, 404, "an unknown address: 404")
rpost = s.post("/subscribe", {"email": "alice@example.org"}, source=SRC)
eq(rpost.status, 200, "a subscription (a POST): 200")
text = log_text()
got = lines_for(text, "GET", "/posts/hello")
eq([m.group(3) for m in got], ["200", "304"], "one access line each for the 200 and the 304, in order")
ok(got and int(got[0].group(4)) == len(r200.raw), "the 200's line gives the bytes of the body (%d)" % len(r200.raw),
   got and got[0].group(0))
ok(len(got) == 2 and got[1].group(4) == "0", "the 304 sent no body: 0 B", got and got[-1].group(0))
ok(got and 0 < float(got[0].group(5)) < 5000, "and the milliseconds it took", got and got[0].group(5))
eq([(m.group(3), m.group(4)) for m in lines_for(text, "HEAD", "/posts/hello")], [("200", "0")], "HEAD: 200, 0 B")
eq([m.group(3) for m in lines_for(text, "GET", "/no/such/page")], ["404"],
   "the 404 is logged with its path, without the query string")
eq([m.group(3) for m in lines_for(text, "POST", "/subscribe")], ["200"], "the POST is logged")
ok(all(m.group(6) is None for m in access_lines(text)), "no address at the end of any access line by default")
lacks(text, SRC, "the reader's address is nowhere in the log (log_ip = off)")
ok(lines_for(text, "GET", "/healthz"), "the stack's own /healthz checks are logged too")
print("# " + got[0].group(0) if got else "# no access line")

# --- tokens: confirmation, unsubscribe and password reset links never reach the log
def link(addr, pattern, n=1):
    msgs = sink.wait(addr, n)
    if len(msgs) < n:
        return None
    m = msgs[n - 1]
    body = m.get_body(preferencelist=("plain",)).get_content() + str(m.get("List-Unsubscribe", ""))
    found = re.search(pattern, body)
    return found.group(1) if found else None


confirm = link("alice@example.org", r"https?://[^/\s]+(/subscribe/confirm\?token=[A-Za-z0-9_-]+)")
ok(confirm is not None, "the confirmation mail has a link with a token")
token = confirm.split("=", 1)[1] if confirm else "no token"
eq(s.get(confirm).status, 200, "the confirmation link opens its page") if confirm else None
eq(s.post("/subscribe/confirm", {"token": token}).status, 200, "confirming (the token in a POST body) works")
# a new post is mailed to Alice, with an unsubscribe link
s.import_post({"title": "News", "slug": "news", "author": "Ada Lovelace"})
unsub = link("alice@example.org", r"<https?://[^/\s>]+(/unsubscribe\?[^>\s]+)>", n=2)
ok(unsub is not None, "List-Unsubscribe carries an unsubscribe link")
unsub_token = re.search(r"token=([^&]+)", unsub or "").group(1) if unsub and "token=" in unsub else "no token"
eq(s.get(unsub).status if unsub else 0, 200, "the unsubscribe link of the post's mail opens its page")
# a client that put the token in the path (or encoded the '?') gets a 404; its log line is cut
eq(s.get("/unsubscribe/" + unsub_token).status, 404, "a token in the path of /unsubscribe: 404")
eq(s.get("/subscribe/confirm%3Ftoken=" + token).status, 404, "an encoded '?' before a token: 404")
eq(s.post("/admin/forgot", {"who": "ada@example.org"}).status, 200, "a password link is asked for")
reset = link("ada@example.org", r"https?://[^/\s]+(/admin/reset\?token=[A-Za-z0-9_-]+)")
ok(reset is not None, "the reset mail has a link with a token")
reset_token = reset.split("=", 1)[1] if reset else "no token"
eq(s.get(reset).status if reset else 0, 200, "the reset link opens its page")
text = log_text()
ok(len(token) > 20 and len(reset_token) > 20 and len(unsub_token) > 20, "three real tokens were used")
for name, t in (("confirmation", token), ("unsubscribe", unsub_token), ("password reset", reset_token)):
    lacks(text, t, "the %s token is nowhere in the log" % name)
ok(lines_for(text, "GET", "/admin/reset") and lines_for(text, "GET", "/subscribe/confirm"),
   "their pages are logged by path alone")
ok(lines_for(text, "GET", "/unsubscribe[redacted]") and lines_for(text, "GET", "/subscribe/confirm[redacted]"),
   "a token put in the path is logged as [redacted]")

# --- a path with control characters cannot write a line of its own
forged = "quire: GET /forged 200 1 B 0.1 ms"
answer = fcgi({"REQUEST_METHOD": "GET", "REQUEST_URI": "/x\n" + forged + "\r\x1b[2K", "SCRIPT_NAME": "/x",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "192.0.2.1"})
ok(answer.startswith("Status: 4"), "quire answers the raw request over FastCGI (a 4xx)", answer[:200])
eq(s.get("/x%0A" + forged.replace(" ", "%20")).status, 404, "the same path percent-encoded through nginx: 404")
text = log_text()
ok(not any(line.startswith(forged) for line in text.splitlines()), "no line of the log is the forged one")
contains(text, "quire: GET /x\\x0aquire:\\x20GET\\x20/forged", "the newline and spaces are escaped on one line")
lacks(text, "\x1b", "no escape character reaches the log")
ok(any(m.group(2).startswith("/x%0Aquire:%20GET") for m in access_lines(text)),
   "the encoded path stays encoded, on its own access line")
lacks(text, "192.0.2.1", "the FastCGI client's address is not logged either")

# --- log_ip = on: the address ends each access line
s.restart(config=MAIL + "[server]\nlog_ip = on\n")
eq(s.get("/posts/hello", source=SRC).status, 200, "after a restart with log_ip = on: 200")
text = log_text()
got = lines_for(text, "GET", "/posts/hello")
eq(got[-1].group(6) if got else None, " " + SRC, "the access line ends with the reader's address")

# --- log_level = warn: no access lines (and no info lines)
s.stop_quire()
before = len(open(logpath, errors="replace").read())
s.restart(config=MAIL + "[server]\nlog_level = warn\n")
for _ in range(3):
    eq(s.get("/posts/hello").status, 200, "log_level = warn: a page is still served")
s.stop_quire()
new = open(logpath, errors="replace").read()[before:]
eq(access_lines(new), [], "no access line is written at log_level = warn")
ok("serving on" not in new and "stopped" not in new, "nor the info lines of the start and the stop", new[-500:])
sink.stop()
shutil.rmtree(mails, ignore_errors=True)
done()
