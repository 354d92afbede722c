"""demo: ./demo.sh as a newcomer runs it, on free ports with its own var dir and the quire the
suite built (QUIRE_DEMO_BIN: no second compile): it prints its stages and "ready", serves the
demo posts with approved comment threads, the demo password logs in, the dashboard counts the
one confirmed subscriber whose confirmation mail sits in var/mail; Ctrl-C (SIGINT to demo.sh's
whole process group, as a terminal sends it) stops nginx, quire and the mail sink cleanly (no
"stopped by itself" alarm, exit status 130, no process left, both ports free); a second run on
the same var adds nothing."""
import os
import re
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time

from quiretest import QUIRE, SRCDIR, ok, eq, contains, done, free_port

READY_TIMEOUT = 90  # s: the suite runs three tests at a time on 2 cores, beside ASan
var = tempfile.mkdtemp(prefix="quire-demo-")
base = None


def start(port, smtp_port):
    """Starts demo.sh; returns (process, lines printed up to "ready")."""
    env = dict(os.environ, QUIRE_DEMO_PORT=str(port), QUIRE_DEMO_SMTP_PORT=str(smtp_port),
               QUIRE_DEMO_VAR=var, QUIRE_DEMO_BIN=QUIRE)
    # SIGINT at its default in the shell, whatever this test inherited, so that its trap works;
    # a process group of its own, as a shell with job control starts a foreground job, so that
    # stop() can signal the group as a terminal's Ctrl-C does, and not this test
    p = subprocess.Popen(["sh", os.path.join(SRCDIR, "demo.sh")], env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                         start_new_session=True,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines, end = [], time.time() + READY_TIMEOUT
    while time.time() < end:
        line = p.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        if "demo.sh: ready in" in line:
            lines += [p.stdout.readline().rstrip("\n") for _ in range(2)]  # the admin login, the logs
            break
    return p, lines


def stop(p):
    """Ctrl-C: SIGINT to demo.sh's whole process group, as a terminal sends it to the foreground
    job (demo.sh and whatever it runs in its group); returns (exit code, the rest of its output)."""
    try:
        os.killpg(p.pid, signal.SIGINT)
    except ProcessLookupError:  # it has exited already (it failed to start)
        pass
    try:
        rest = p.communicate(timeout=30)[0]
    except subprocess.TimeoutExpired:
        p.kill()
        rest = p.communicate()[0]
    return p.returncode, rest


def get(path, jar=None, data=None):
    args = ["curl", "-s", "-S", "--max-time", "20", "-o", "-", "-w", "\n%{http_code}"]
    if jar:
        args += ["-b", jar, "-c", jar]
    if data is not None:
        for k, v in data.items():
            args += ["--data-urlencode", "%s=%s" % (k, v)]
    out = subprocess.run(args + [base + path], capture_output=True, text=True, timeout=30).stdout
    body, _, code = out.rpartition("\n")
    return int(code or 0), body


def procs_using(directory):
    """Processes whose command line names directory (nginx -p, quire --config, the sink)."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if directory in cmd and "demo.py" not in cmd:
            found.append("%s %s" % (pid, cmd))
    return found


def port_free(port):
    s = socket.socket()
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()


def counts():
    db = sqlite3.connect(os.path.join(var, "quire.db"))
    try:
        return {t: db.execute("SELECT count(*) FROM %s" % t).fetchone()[0]
                for t in ("users", "posts", "comments", "subscribers", "outbox")}
    finally:
        db.close()


def mails():
    return sorted(n for n in os.listdir(os.path.join(var, "mail")) if n.endswith(".eml"))


# --- first run: a new var
t0 = time.time()
for attempt in range(3):  # a port chosen free may be taken by a test beside this one
    port, smtp_port = free_port(), free_port()
    p, lines = start(port, smtp_port)
    if any("ready in" in x for x in lines):
        break
    stop(p)
took = time.time() - t0
out = "\n".join(lines)
ok(any("ready in" in x for x in lines), "demo.sh says it is ready (%.1f s)" % took, out)
base = "http://127.0.0.1:%d" % port
for stage in ("packages: ", "building: skipped", "demo: new database, 2 users added, 9 posts (9 new), 7 comments added",
              "servers: nginx on 127.0.0.1:%d" % port, "subscriber: reader@example.com subscribed and confirmed"):
    contains(out, "demo.sh: " + stage, "it prints the stage '%s'" % stage.strip())
ok(re.search(r"\(\d+\.\d s\)", out), "each stage with its time", out)
ok(re.search(r"demo.sh: ready in \d+\.\d s: http://127\.0\.0\.1:%d/" % port, out), "it says 'ready in N s' with the URL", out)
contains(out, "%s/admin/ as 'Ada Lovelace' or 'Grace Hopper', password 'demo password'" % base,
         "it names the admin login and password")

code, home = get("/")
ok(code == 200 and "The quire demo" in home and "Markdown, safely" in home, "the home page lists the demo posts", home[:500])
contains(home, "Join 1 other subscriber", "the subscribe box counts the demo subscriber")
code, art = get("/posts/a-harbour-at-dawn")
eq(code, 200, "an article with comments answers")
for who in ("Mira Okafor", "Tomás Reyes", "Fair enough!"):
    contains(art, who, "its approved comments show: %s" % who)
ok(art.count('class="identicon"') >= 3, "with identicons beside the commenters", art.count('class="identicon"'))
ok(re.search(r"Fair enough!", art) and art.index("Mira Okafor") < art.index("Fair enough!"),
   "the replies follow the comment they answer", "")
code, art2 = get("/posts/identicons-without-gravatar")
ok(code == 200 and "Jun Park" in art2 and "Keyed per blog" in art2, "a second article has its thread too", art2[:300])

jar = os.path.join(var, "jar")
code, _ = get("/admin/login", jar=jar, data={"name": "Ada Lovelace", "password": "demo password"})
eq(code, 303, "the admin login takes the demo password")
code, dash = get("/admin/", jar=jar)
ok(code == 200 and re.search(r'id="count-subscribers">1</strong> subscriber<', dash), "the dashboard shows 1 subscriber",
   dash[:800])
code, subs = get("/admin/subscribers", jar=jar)
ok(code == 200 and "reader@example.com" in subs, "the subscriber list shows the demo subscriber", subs[:500])
m = mails()
ok(len(m) == 1 and m[0].endswith("-reader@example.com.eml"), "one mail sits in var/mail: the confirmation", m)
first = counts()
eq((first["users"], first["comments"], first["subscribers"]), (2, 7, 1), "2 users, 7 comments, 1 subscriber stored")
ok(all(a.endswith("@example.com") or a.endswith(".invalid") for (a,) in
       sqlite3.connect(os.path.join(var, "quire.db")).execute("SELECT author_email FROM comments")),
   "every demo address is made up (@example.com or .invalid)")

# --- Ctrl-C
rc, rest = stop(p)
contains(rest, "demo.sh: stopping", "Ctrl-C (SIGINT to the process group) makes demo.sh stop its servers")
ok("stopped by itself" not in rest, "no false alarm: no server 'stopped by itself' on a Ctrl-C", rest)
contains(rest, "demo.sh: stopped; the blog stays in", "it says it stopped")
eq(rc, 130, "demo.sh exits 130 after a Ctrl-C, as a program stopped by SIGINT does")
# the servers run in sessions of their own: the Ctrl-C reaches demo.sh alone, whose trap stops
# them with SIGTERM (had quire got the SIGINT too, it would have stopped by itself, racing the trap)
with open(os.path.join(var, "quire.log"), errors="replace") as f:
    stops = re.findall(r"^quire: signal (\d+): finishing", f.read(), re.M)
eq(stops[-1:], ["15"], "quire was stopped by demo.sh's SIGTERM, not by the terminal's SIGINT")
left = []
for _ in range(50):
    left = procs_using(var)
    if not left:
        break
    time.sleep(0.1)
eq(left, [], "no nginx, quire or mail sink is left running")
ok(port_free(port) and port_free(smtp_port), "both ports are free again")
ok(not os.path.exists(os.path.join(var, "quire.sock")), "quire removed its socket")

# --- a second run on the same var adds nothing
t0 = time.time()
p, lines = start(port, smtp_port)
took2 = time.time() - t0
out = "\n".join(lines)
ok(any("ready in" in x for x in lines), "a second run on the same var is ready too (%.1f s)" % took2, out)
contains(out, "demo: database kept, 0 users added, 9 posts (0 new), 0 comments added", "it says nothing was added")
contains(out, "subscriber: reader@example.com already confirmed", "the subscriber is kept")
rc, rest = stop(p)
ok(rc == 130 and "stopped by itself" not in rest, "the second run stops on Ctrl-C too, exit 130, no alarm",
   "exit %s\n%s" % (rc, rest))
eq(counts(), first, "no user, post, comment, subscriber or mail row was added")
eq(mails(), m, "and no mail was sent again")
eq(procs_using(var), [], "the second run stops cleanly too")
done()
