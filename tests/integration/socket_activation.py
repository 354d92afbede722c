"""socket_activation: quire serve takes the listening socket systemd passes (LISTEN_FDS, fd 3),
serves on it, never unlinks it, and refuses what sd_listen_fds(3) would not accept."""
import os
import signal
import subprocess
import tempfile
import time

from quiretest import QUIRE, SRCDIR, run, ok, eq, contains, done

d = tempfile.mkdtemp(prefix="quire-sockact-")
db = os.path.join(d, "q.db")
templates = os.path.join(SRCDIR, "templates")
rc, out, err = run(["init", "--db", db])
eq(rc, 0, "init")


def fcgi_get(sock, path):
    """One FastCGI GET through libfcgi's own client (cgi-fcgi); the response as text."""
    env = dict(os.environ, REQUEST_METHOD="GET", REQUEST_URI=path, SCRIPT_NAME=path,
               SCRIPT_FILENAME=path, SERVER_NAME="127.0.0.1", SERVER_PORT="80")
    p = subprocess.run(["cgi-fcgi", "-bind", "-connect", sock], env=env, capture_output=True,
                       text=True, timeout=20)
    return p.stdout


def wait_for(cond, seconds=10):
    end = time.time() + seconds
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.05)
    return False


def serve_args(listen):
    return ["serve", "--db", db, "--templates", templates, "--threads", "2", "--listen", listen]


# 1. systemd's way: systemd-socket-activate makes the socket, passes it as fd 3 on the first
# connection, with LISTEN_PID set to quire's own pid
sock = os.path.join(d, "passed.sock")
unused = os.path.join(d, "unused.sock")
log = open(os.path.join(d, "activate.log"), "w")
p = subprocess.Popen(["systemd-socket-activate", "-l", sock, QUIRE] + serve_args("unix:" + unused),
                     stdout=log, stderr=subprocess.STDOUT)
ok(wait_for(lambda: os.path.exists(sock)), "systemd-socket-activate listens on the socket")
resp = fcgi_get(sock, "/healthz")
ok(resp.startswith("Status: 200"), "a request on the passed socket is answered", resp[:200])
resp = fcgi_get(sock, "/")
ok(resp.startswith("Status: 200") and "<html" in resp, "the home page on the passed socket", resp[:200])
ok(not os.path.exists(unused), "the listen = path is not created when a socket is passed")
p.send_signal(signal.SIGTERM)
eq(p.wait(timeout=20), 0, "SIGTERM stops it cleanly")
log.close()
text = open(os.path.join(d, "activate.log")).read()
contains(text, "serving on the socket systemd passed", "the start line says where it serves")
ok(os.path.exists(sock), "the passed socket (systemd's, not quire's) is not unlinked at exit")

# 2. LISTEN_PID naming another process: the variables are for someone else; quire binds listen =
own = os.path.join(d, "own.sock")
env = dict(os.environ, LISTEN_PID="1", LISTEN_FDS="1")
p = subprocess.Popen([QUIRE] + serve_args("unix:" + own), env=env, stdout=subprocess.DEVNULL,
                     stderr=subprocess.PIPE, text=True)
ok(wait_for(lambda: os.path.exists(own)), "LISTEN_PID of another process: quire binds its own socket")
ok(fcgi_get(own, "/healthz").startswith("Status: 200"), "and answers on it")
p.send_signal(signal.SIGTERM)
p.wait(timeout=20)
ok(not os.path.exists(own), "its own socket is removed at exit")


def with_fd3(shell_fd3, nfds, desc, expect):
    """Starts quire from sh with fd 3 opened by shell_fd3 and LISTEN_PID = that very process."""
    script = '%s; LISTEN_PID=$$ LISTEN_FDS=%s exec "$@"' % (shell_fd3, nfds)
    p = subprocess.run(["sh", "-c", script, "sh", QUIRE] + serve_args("unix:" + own),
                       capture_output=True, text=True, timeout=30)
    ok(p.returncode == 1 and expect in p.stderr, desc, p.stderr)
    ok(not os.path.exists(own), desc + ": nothing bound instead")


# 3. what sd_listen_fds would not give: a file as fd 3, two sockets
plain = os.path.join(d, "plain.txt")
with open(plain, "w") as f:
    f.write("not a socket\n")
with_fd3('exec 3<"%s"' % plain, 1, "fd 3 a regular file: refused with exit 1", "fd 3 is not a socket")
eq(open(plain).read(), "not a socket\n", "the file passed as fd 3 is untouched")
with_fd3('exec 3<"%s"' % plain, 2, "two sockets passed: refused", "exactly one")
# 4. quire's own TCP listener: serves; a port already taken is a one-line refusal with exit 1
# (libfcgi's FCGX_OpenSocket would print "bind/listen: ..." and exit(98) from inside the library)
import socket  # noqa: E402
from quiretest import free_port  # noqa: E402
port = free_port()
p = subprocess.Popen([QUIRE] + serve_args("127.0.0.1:%d" % port), stdout=subprocess.DEVNULL,
                     stderr=subprocess.PIPE, text=True)


def answers():
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


ok(wait_for(answers), "listen = 127.0.0.1:PORT: quire listens there")
ok(fcgi_get("127.0.0.1:%d" % port, "/healthz").startswith("Status: 200"), "and answers FastCGI on it")
rc, out, err = run(serve_args("127.0.0.1:%d" % port))
ok(rc == 1 and ("cannot listen on 127.0.0.1:%d: Address already in use" % port) in err and
   "bind/listen" not in err, "a port in use: exit 1 naming the address", err)
p.send_signal(signal.SIGTERM)
eq(p.wait(timeout=20), 0, "the first server stops cleanly")
rc, out, err = run(serve_args("[::1:%d" % port))
ok(rc in (1, 2) and "quire" in err, "a malformed address: refused in words", err)
done()
