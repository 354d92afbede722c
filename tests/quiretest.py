"""quiretest: the integration tests' harness: TAP output, and a real stack on loopback
(quire serve + nginx with conf/nginx-quire.conf), spoken to with curl."""
import atexit
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

QUIRE = os.environ.get("QUIRE", os.path.abspath("quire"))
SRCDIR = os.environ.get("QUIRE_SRCDIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
OUTDIR = os.environ.get("QUIRE_TEST_OUT", os.path.abspath("test-output"))

_n = 0
_failed = 0


def ok(cond, desc, detail=None):
    """One TAP line; detail is printed as a diagnostic when the check fails."""
    global _n, _failed
    _n += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (_n, desc.replace("\n", " ")))
    if not cond:
        _failed += 1
        if detail is not None:
            for line in str(detail)[:2000].splitlines():
                print("#   " + line)
    sys.stdout.flush()
    return cond


def eq(got, want, desc):
    return ok(got == want, desc, "got:  %r\nwant: %r" % (got, want))


def contains(haystack, needle, desc):
    return ok(needle in haystack, desc, "%r not in %s" % (needle, haystack[:1500]))


def lacks(haystack, needle, desc):
    return ok(needle not in haystack, desc, "%r found" % (needle,))


def done():
    print("1..%d" % _n)
    sys.stdout.flush()
    sys.exit(1 if _failed else 0)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def serve_uploads(uploads, fetched=None):
    """An old WordPress host on loopback serving the files under uploads at /wp-content/uploads/
    (nothing else); each path asked for is appended to fetched when given. Returns its base URL."""
    import http.server
    import threading

    class OldHost(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path):
            if fetched is not None:
                fetched.append(path)
            rel = urllib.parse.unquote(path.split("?")[0])
            if not rel.startswith("/wp-content/uploads/") or ".." in rel:
                return "/nonexistent"
            return os.path.join(uploads, rel[len("/wp-content/uploads/"):])

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), OldHost)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return "http://127.0.0.1:%d" % server.server_address[1]


def run(args, input=None, cwd=None):
    """Runs quire with args; returns (exit code, stdout, stderr)."""
    p = subprocess.run([QUIRE] + args, input=input, capture_output=True, text=True, cwd=cwd, timeout=60)
    return p.returncode, p.stdout, p.stderr


class SmtpSink:
    """tests/smtp_sink.py as a process: start(), stop(), messages()."""

    def __init__(self, directory, port=None, delay=0.0):
        self.dir = directory
        self.port = port or free_port()
        self.delay = delay
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(["/usr/bin/python3", os.path.join(SRCDIR, "tests", "smtp_sink.py"), str(self.port),
                                      self.dir, str(self.delay)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = self.proc.stdout.readline()
        if b"ready" not in line:
            raise RuntimeError("smtp sink did not start")
        atexit.register(self.stop)
        return self

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None

    def messages(self, rcpt=None):
        """Parsed messages (email.message.EmailMessage), oldest first, optionally for one recipient."""
        import email
        import email.policy
        out = []
        for name in sorted(os.listdir(self.dir)):
            if not name.endswith(".eml") or (rcpt and not name.endswith("-%s.eml" % rcpt)):
                continue
            with open(os.path.join(self.dir, name), "rb") as f:
                out.append(email.message_from_binary_file(f, policy=email.policy.default))
        return out

    def wait(self, rcpt, count, timeout=20):
        """Waits until rcpt has at least count messages; returns them."""
        end = time.time() + timeout
        while time.time() < end:
            msgs = self.messages(rcpt)
            if len(msgs) >= count:
                return msgs
            time.sleep(0.1)
        return self.messages(rcpt)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers      # lower-case name -> last value
        self.all_headers = []       # (name, value) in order
        self.body = body

    def header(self, name):
        return self.headers.get(name.lower())


class Stack:
    """A temporary blog: database, quire serve, nginx. Stopped at exit."""

    def __init__(self, name="stack", threads=2, config=None, cache=False, init=True):
        """init=False leaves self.db alone: the test puts a database of its own there (an old
        schema, a backup) before start()."""
        self.dir = tempfile.mkdtemp(prefix="quire-%s-" % name)
        self.db = os.path.join(self.dir, "quire.db")
        self.sock = os.path.join(self.dir, "quire.sock")
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.threads = threads
        self.config = config
        self.cache = cache  # conf/nginx-quire-cache.conf in front, views counted from its log
        self.views_log = os.path.join(self.dir, "views.log")
        self.templates = os.path.join(SRCDIR, "templates")  # static/ beside it is versioned
        self.quire = None
        self.nginx = None
        if init:
            rc, out, err = run(["init", "--db", self.db])
            if rc != 0:
                raise RuntimeError("quire init failed: " + err)
        atexit.register(self.stop)

    def user(self, name, email, bio="", password="correct horse battery"):
        rc, out, err = run(["user", "add", "--db", self.db, "--name", name, "--email", email, "--bio", bio],
                           input=password + "\n")
        if rc != 0:
            raise RuntimeError("user add failed: " + err)

    def import_post(self, front, body="Some text.\n", fname=None):
        """Imports one post; front is a dict of front matter keys."""
        path = os.path.join(self.dir, fname or ("post-%d.md" % time.monotonic_ns()))
        with open(path, "w", encoding="utf-8") as f:
            f.write("---\n")
            for k, v in front.items():
                f.write("%s: %s\n" % (k, v))
            f.write("---\n" + body)
        rc, out, err = run(["post", "import", "--db", self.db, path])
        if rc != 0:
            raise RuntimeError("post import failed: " + err)
        return out

    def write_config(self):
        cfg = os.path.join(self.dir, "quire.conf")
        # the test's own configuration wins: quire refuses a key set twice
        own = set(re.findall(r"^\s*(\w+)\s*=", self.config or "", re.M))
        defaults = [("site", "title", "Test blog"), ("site", "base_url", self.base), ("site", "posts_per_page", "3"),
                    ("server", "media_dir", os.path.join(self.dir, "media"))]
        with open(cfg, "w") as f:
            for section in ("site", "server"):
                f.write("[%s]\n" % section)
                for sec, key, value in defaults:
                    if sec == section and key not in own:
                        f.write("%s = %s\n" % (key, value))
            f.write(self.config or "")
            if self.cache:
                f.write("\n[stats]\naccess_log = %s\n" % self.views_log)
        return cfg

    def cache_conf(self):
        """The lines nginx-quire-cache.conf's header says to add at http and server level (its
        steps 1 and 2), with this stack's paths."""
        blocks, step = {"1": [], "2": []}, None
        for line in open(os.path.join(SRCDIR, "conf", "nginx-quire-cache.conf")):
            m = re.match(r"# ([0-9])\. ", line)
            if m:
                step = m.group(1)
            elif step in blocks and line.startswith("#    ") and not line.startswith("#    ("):
                blocks[step].append(line[5:].rstrip("\n"))
            elif not line.startswith("#"):
                break
        paths = {"/var/cache/nginx/quire": os.path.join(self.dir, "cache"), "/var/log/quire/views.log": self.views_log,
                 "/var/log/nginx/access.log": os.path.join(self.dir, "nginx-access.log"),
                 "/usr/local/share/doc/quire/": os.path.join(SRCDIR, "conf") + "/"}
        out = []
        for step in ("1", "2"):
            text = "\n".join(blocks[step])
            for k, v in paths.items():
                text = text.replace(k, v)
            out.append(text)
        return out

    def restart(self, config=None):
        """Stops quire serve (nginx keeps running) and starts it again, with config replacing
        the extra configuration when given. Returns the seconds SIGTERM took."""
        took = self.stop_quire()
        if config is not None:
            self.config = config
        self.start_quire()
        return took

    def stop_quire(self):
        """SIGTERM to quire serve alone; returns the seconds it took to exit."""
        t = time.time()
        if self.quire and self.quire.poll() is None:
            self.quire.send_signal(signal.SIGTERM)
            self.quire.wait(timeout=60)
        return time.time() - t

    def start_quire(self):
        cfg = self.write_config()
        os.makedirs(os.path.join(self.dir, "media"), exist_ok=True)
        self.serve_log = open(os.path.join(self.dir, "quire.log"), "a")
        self.quire = subprocess.Popen(
            [QUIRE, "serve", "--config", cfg, "--db", self.db, "--listen", "unix:" + self.sock,
             "--threads", str(self.threads), "--templates", self.templates],
            stdout=self.serve_log, stderr=subprocess.STDOUT)
        end = time.time() + 60
        while time.time() < end:
            if os.path.exists(self.sock) or self.quire.poll() is not None:
                break
            time.sleep(0.05)
        if self.quire.poll() is not None:
            raise RuntimeError("quire serve exited: " + open(self.serve_log.name).read())

    def start(self):
        # the port was free when chosen, but another test running at the same time may take it
        # first: then nginx cannot bind, and the whole stack starts again on another port
        for attempt in range(5):
            if self._start_once():
                return self
            self.port = free_port()
            self.base = "http://127.0.0.1:%d" % self.port
        raise RuntimeError("nginx could not bind a port: " + self.logs())

    def _start_once(self):
        self.start_quire()
        os.makedirs(os.path.join(self.dir, "tmp"), exist_ok=True)
        with open(os.path.join(SRCDIR, "conf", "nginx-local.conf.in")) as f:
            conf = f.read()
        user = "user root root;" if os.geteuid() == 0 else ""
        for k, v in {"@DIR@": self.dir, "@SOCKET@": self.sock, "@PORT@": str(self.port),
                     "@ROOT@": SRCDIR, "@USER@": user}.items():
            conf = conf.replace(k, v)
        if self.cache:
            http, server = self.cache_conf()
            conf = conf.replace("#@HTTP_EXTRA@", http).replace("#@SERVER_EXTRA@", server)
        with open(os.path.join(self.dir, "nginx.conf"), "w") as f:
            f.write(conf)
        self.nginx = subprocess.Popen(["nginx", "-p", self.dir, "-c", os.path.join(self.dir, "nginx.conf")],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        end = time.time() + 60
        while time.time() < end:
            if self.nginx.poll() is not None:
                # nginx gave up (a port taken under it): stop quire, the caller retries
                self.stop_quire()
                return False
            try:
                if self.get("/healthz").status == 200:
                    return True
            except Exception:
                pass
            time.sleep(0.05)
        raise RuntimeError("stack did not come up: " + self.logs())

    def logs(self):
        out = ""
        for name in ("quire.log", "nginx-error.log"):
            p = os.path.join(self.dir, name)
            if os.path.exists(p):
                out += "== %s\n%s" % (name, open(p).read()[-3000:])
        return out

    def get(self, path, headers=None, method="GET", data=None, raw_path=False, jar=None, files=None, source=None):
        """Fetches path through nginx with curl; returns a Response. jar is a cookie file
        (read and written); files maps field names to (filename, path) for multipart; source is
        the client address to send from (any of 127.0.0.0/8: nginx passes it as REMOTE_ADDR)."""
        args = ["curl", "-s", "-S", "--max-time", "20", "-D", "-", "-o", "-", "-X", method]
        if method == "HEAD":
            args = ["curl", "-s", "-S", "--max-time", "20", "-I"]
        if raw_path:
            args.append("--path-as-is")
        if source:
            args += ["--interface", source]
        if jar:
            args += ["-b", jar, "-c", jar]
        if files is not None:
            for k, v in (data or {}).items():
                args += ["-F", "%s=%s" % (k, v)]
            for k, (fname, fpath) in files.items():
                args += ["-F", "%s=@%s;filename=%s" % (k, fpath, fname)]
            data = None
        for k, v in (headers or {}).items():
            args += ["-H", "%s: %s" % (k, v)]
        if isinstance(data, dict):
            data = urllib.parse.urlencode(data)
        if data is not None:
            args += ["--data-binary", data]
        args.append(self.base + path)
        p = subprocess.run(args, capture_output=True, timeout=30)
        if p.returncode != 0:
            raise RuntimeError("curl %s: %s" % (path, p.stderr.decode(errors="replace")))
        raw = p.stdout
        while raw.startswith(b"HTTP/1.1 100"):
            raw = raw.partition(b"\r\n\r\n")[2]
        head, _, body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        r = Response(status, {}, body.decode("utf-8", errors="replace"))
        r.raw = body
        for line in lines[1:]:
            name, _, value = line.partition(":")
            r.headers[name.strip().lower()] = value.strip()
            r.all_headers.append((name.strip().lower(), value.strip()))
        return r

    def post(self, path, fields, jar=None, files=None, headers=None, source=None):
        return self.get(path, method="POST", data=fields, jar=jar, files=files, headers=headers, source=source)

    def login(self, name, password="correct horse battery"):
        """Logs in with a fresh cookie jar; returns (jar, csrf token)."""
        jar = tempfile.mktemp(prefix="jar-", dir=self.dir)
        r = self.post("/admin/login", {"name": name, "password": password}, jar=jar)
        if r.status != 303:
            raise RuntimeError("login failed: %d %s" % (r.status, r.body[:500]))
        return jar, self.csrf(jar)

    def csrf(self, jar):
        import re
        r = self.get("/admin/", jar=jar)
        m = re.search(r'name="csrf" value="([0-9a-f]{64})"', r.body)
        return m.group(1) if m else None

    def stop(self):
        for proc in (self.nginx, self.quire):
            if proc and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        self.nginx = self.quire = None
        if os.environ.get("QUIRE_KEEP_TMP") is None:
            shutil.rmtree(self.dir, ignore_errors=True)


# --- a real MTA for the mail tests: Debian's exim4 on loopback (mail_relay.py, check.py) ---
EXIM = shutil.which("exim4") or shutil.which("exim") or "/usr/sbin/exim4"


def _fail_setup(why):
    ok(False, why)
    done()


def exim_setup(top):
    """Fails the test unless exim, root and openssl are there; makes top reachable by exim's
    delivery user and a self-signed certificate for 127.0.0.1 in it. Returns (cert, key)."""
    os.chmod(top, 0o755)   # exim delivers as nobody, who must reach the mail directories
    if not os.path.exists(EXIM):
        _fail_setup("exim4 is installed (Debian package exim4-daemon-light; test.sh installs it)")
    if os.geteuid() != 0:
        _fail_setup("running as root: exim only accepts an alternate config (-C) from root")
    if not shutil.which("openssl"):
        _fail_setup("openssl is installed")
    cert, key = os.path.join(top, "cert.pem"), os.path.join(top, "key.pem")
    p = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "2", "-subj", "/CN=relay.test", "-addext",
                        "subjectAltName=IP:127.0.0.1,DNS:localhost"], capture_output=True, text=True)
    ok(p.returncode == 0, "openssl makes a self-signed certificate", p.stderr)
    os.chmod(key, 0o644)
    return cert, key


EXIM_CONF = """
primary_hostname = relay.test
exim_path = {exim}
keep_environment =
spool_directory = {d}/spool
log_file_path = {d}/log/%slog
pid_file_path = {d}/exim.pid
local_interfaces = <; 127.0.0.1
daemon_smtp_ports = {ports}
{tls_on_connect}
tls_advertise_hosts = {tls_hosts}
tls_certificate = {cert}
tls_privatekey = {key}
exim_user = root
exim_group = root
host_lookup =
rfc1413_hosts =
log_selector = +smtp_connection +tls_cipher +smtp_protocol_error +smtp_syntax_error
acl_smtp_mail = acl_mail
acl_smtp_rcpt = acl_rcpt

begin acl
acl_mail:
  deny    message = authentication required
          !authenticated = *
  accept
acl_rcpt:
  deny    local_parts = ^bounce
          message = No such user here
  accept

begin routers
everyone:
  driver = accept
  transport = to_files

begin transports
to_files:
  driver = appendfile
  directory = {d}/mail
  user = nobody
  group = nogroup
  mode = 0644
  create_directory
  envelope_to_add
  return_path_add

begin authenticators
plain:
  driver = plaintext
  public_name = PLAIN
  server_prompts = :
  server_condition = ${{if and{{{{eq{{$auth2}}{{quire}}}}{{eq{{$auth3}}{{secret}}}}}}}}
  server_set_id = $auth2
login:
  driver = plaintext
  public_name = LOGIN
  server_prompts = Username:: : Password::
  server_condition = ${{if and{{{{eq{{$auth1}}{{quire}}}}{{eq{{$auth2}}{{secret}}}}}}}}
  server_set_id = $auth1
"""


class EximRelay:
    """exim -bdf (foreground daemon) from a config in its own directory under top: STARTTLS (tls)
    with cert/key, SMTPS on a second port (smtps), AUTH PLAIN/LOGIN as quire/secret required
    before MAIL FROM, a 550 for bounce*@ recipients, mail written to files under d/mail."""

    def __init__(self, top, name, cert, key, tls=True, smtps=False):
        self.d = os.path.join(top, name)
        for sub in ("spool", "log", "mail"):
            os.makedirs(os.path.join(self.d, sub), exist_ok=True)
        os.chmod(os.path.join(self.d, "mail"), 0o777)
        self.port = free_port()
        self.smtps_port = free_port() if smtps else None
        ports = "%d" % self.port + (" : %d" % self.smtps_port if smtps else "")
        self.conf = os.path.join(self.d, "exim.conf")
        with open(self.conf, "w") as f:
            f.write(EXIM_CONF.format(exim=EXIM, d=self.d, ports=ports, cert=cert, key=key,
                                     tls_hosts="*" if tls else "",
                                     tls_on_connect="tls_on_connect_ports = %d" % self.smtps_port if smtps else ""))
        self.proc = subprocess.Popen([EXIM, "-C", self.conf, "-bdf", "-oX", ports.replace(" : ", ":")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        end = time.time() + 15
        while time.time() < end and self.proc.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        _fail_setup("exim starts on 127.0.0.1:%d (%s)" % (self.port, (self.proc.stderr.read() if self.proc.poll() is not None
                                                                     else b"no answer").decode(errors="replace")))

    def log(self):
        path = os.path.join(self.d, "log", "mainlog")
        return open(path).read() if os.path.exists(path) else ""

    def delivered(self, rcpt=None):
        out = []
        for path in sorted(glob.glob(os.path.join(self.d, "mail", "*"))):
            # exim's appendfile writes temp.* and renames it when the delivery is complete
            if os.path.basename(path).startswith("temp."):
                continue
            try:
                data = open(path, "rb").read()
            except FileNotFoundError:
                continue
            if rcpt is None or re.search(rb"^Envelope-to: " + re.escape(rcpt.encode()) + rb"$", data, re.M):
                out.append(data)
        return out

    def wait(self, count, rcpt=None, timeout=20):
        end = time.time() + timeout
        while time.time() < end and len(self.delivered(rcpt)) < count:
            time.sleep(0.1)
        return self.delivered(rcpt)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
