"""package: the source tarball and the Debian package, as a user gets them.

1. `make dist` in the build tree, then `make distcheck` with the unit tests only (in the background: it builds everything once more from the tarball, read-only,
   installs under its own prefix, uninstalls and checks that distclean leaves nothing).
2. The tarball unpacked, `dpkg-buildpackage -us -uc -b` there (DEB_BUILD_OPTIONS="nocheck
   parallel=2": the suite is not run again inside the package build).
3. `dpkg-deb --contents` and `dpkg-deb -I`: the files, the conffiles, Depends, the maintainer
   scripts; lintian on the .deb, .buildinfo and .changes: no E: line.
4. The .deb extracted into a throwaway root (never installed on this machine): the shipped
   quire.conf with the root's paths, `quire init`, a user and a post, then the extracted binary
   started the way systemd starts it (systemd-socket-activate: LISTEN_FDS=1, fd 3) and with
   --listen, nginx in front with the shipped snippet (/etc/nginx/snippets/quire.conf) included
   from a test server block; the home page, an article, static files and an upload are read.

Every tool is required: a missing one fails the test (test.sh installs them).
Step 1's distcheck builds everything once more (about 110 s of CPU): CI's suite would pass its
10 minutes with it, so it runs only with QUIRE_PACKAGE_DISTCHECK=1 (run it before a release, and
after a change to Makefile.am's install or dist lists). Without it the test still checks, at no
compile cost, that `make install DESTDIR=...` then `make uninstall DESTDIR=...` from the build
tree leaves no file behind (distcheck's distuninstallcheck)."""
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time

from quiretest import SRCDIR, ok, eq, contains, lacks, done, free_port

START = time.time()
WORK = tempfile.mkdtemp(prefix="quire-package-")
STAGE = {}


def note(msg):
    print("# " + msg)
    sys.stdout.flush()


def clean_env(**extra):
    """The environment for the builds: without the make variables of the `make check` that runs
    this test (its MAKEFLAGS would set TESTS and a job server for every make below)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "MAKEFILES", "QUIRE_TMPL_STRICT")
           and not k.startswith(("ASAN_", "UBSAN_", "TSAN_", "LSAN_", "DEB_"))}
    env["LC_ALL"] = "C.UTF-8"
    env.update(extra)
    return env


def sh(args, cwd, log, env=None, timeout=900):
    """Runs args with its output in WORK/log; returns (exit code, output)."""
    path = os.path.join(WORK, log)
    with open(path, "w") as f:
        try:
            rc = subprocess.run(args, cwd=cwd, stdout=f, stderr=subprocess.STDOUT, env=env or clean_env(),
                                timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            rc = -1
    return rc, open(path, errors="replace").read()


def tool(name):
    return ok(shutil.which(name) is not None, "%s is installed" % name, "test.sh installs it (PKGS)")


def unit_tests():
    text = open(os.path.join(SRCDIR, "Makefile.am")).read()
    block = re.search(r"^UNIT_TESTS = \\\n(.*?)\$\(NULL\)", text, re.S | re.M).group(1)
    return re.findall(r"tests/unit/test_\w+", block)


def data_files():
    """The templates and static files Makefile.am installs (nobase_dist_pkgdata_DATA)."""
    text = open(os.path.join(SRCDIR, "Makefile.am")).read()
    block = re.search(r"^nobase_dist_pkgdata_DATA = \\\n(.*?)\$\(NULL\)", text, re.S | re.M).group(1)
    return sorted(set(re.findall(r"(?:templates|static)/[\w./-]+", block)))


for t in ("make", "dpkg-buildpackage", "dpkg-deb", "lintian", "dh", "nginx", "curl", "systemd-socket-activate"):
    tool(t)

# --- 1. the tarball, and distcheck beside the package build (both from the build tree: its
# configure is done; neither compiles anything in it)
dist = os.environ.get("QUIRE_BUILDDIR", os.getcwd())
t0 = time.time()
version = re.search(r"AC_INIT\(\[quire\], \[([^]]+)\]", open(os.path.join(SRCDIR, "configure.ac")).read()).group(1)
rc, out = sh(["make", "dist"], dist, "dist.log")
tarballs = ["quire-%s.tar.gz" % version] if os.path.exists(os.path.join(dist, "quire-%s.tar.gz" % version)) else []
ok(rc == 0 and tarballs, "make dist makes quire-%s.tar.gz" % version, out[-2000:])
STAGE["dist"] = time.time() - t0
if not tarballs:
    done()
tarball = os.path.join(WORK, tarballs[0])
shutil.copy(os.path.join(dist, tarballs[0]), tarball)
with tarfile.open(tarball) as tf:
    names = set(tf.getnames())
top = "quire-%s/" % version
for f in ("debian/control", "debian/rules", "debian/changelog", "debian/copyright", "debian/source/format",
          "debian/quire.postinst", "debian/quire.postrm", "conf/nginx-quire.conf", "conf/nginx-site.conf",
          "conf/nginx-local.conf.in", "tests/integration/package.py", "README"):
    ok(top + f in names, "the tarball holds " + f)

distcheck = None
units = unit_tests()
if os.environ.get("QUIRE_PACKAGE_DISTCHECK", "0") == "1":
    # -O0: distcheck checks the tarball and the install, not the optimiser (the .deb is -O2)
    dc_log = open(os.path.join(WORK, "distcheck.log"), "w")
    distcheck = subprocess.Popen(["make", "-j2", "distcheck", "TESTS=" + " ".join(units), "DISTCHECK_CONFIGURE_FLAGS=CFLAGS=-O0"],
                                 cwd=dist, stdout=dc_log, stderr=subprocess.STDOUT,
                                 env=clean_env(), start_new_session=True)
    dc_start = time.time()

# --- 2. the package
debdir = os.path.join(WORK, "deb")
os.makedirs(debdir)
with tarfile.open(tarball) as tf:
    tf.extractall(debdir)
src = os.path.join(debdir, "quire-" + version)
t0 = time.time()
rc, out = sh(["dpkg-buildpackage", "-us", "-uc", "-b"], src, "dpkg-buildpackage.log",
             # noopt (-O0): the test checks the packaging, not the optimiser, and it saves 25 s of
             # CPU in CI's 10 minutes; a real build (README) is -O2 with Debian's hardening flags
             env=clean_env(DEB_BUILD_OPTIONS="nocheck noopt noddebs parallel=2"), timeout=1200)
STAGE["dpkg-buildpackage"] = time.time() - t0
ok(rc == 0, "dpkg-buildpackage -us -uc -b", out[-3000:])
debs = [n for n in os.listdir(debdir) if re.fullmatch(r"quire_.*_[a-z0-9]+\.deb", n)]
changes = [n for n in os.listdir(debdir) if n.endswith(".changes")]
buildinfo = [n for n in os.listdir(debdir) if n.endswith(".buildinfo")]
ok(len(debs) == 1 and len(changes) == 1 and len(buildinfo) == 1, "one quire .deb, .changes and .buildinfo",
   os.listdir(debdir))
if len(debs) != 1:
    done()
deb = os.path.join(debdir, debs[0])
contains(debs[0], "quire_%s-1_" % version, "the package's version is the tarball's, Debian revision 1")

# --- 3. what is in it
p = subprocess.run(["dpkg-deb", "--contents", deb], capture_output=True, text=True)
files = {}
for line in p.stdout.splitlines():
    parts = line.split(None, 5)
    path = parts[5].split(" -> ")[0].lstrip(".")
    files[path] = parts[0]
listing = "\n".join(sorted(files))
for path in ("/usr/bin/quire", "/etc/quire/quire.conf", "/etc/nginx/snippets/quire.conf",
             "/lib/systemd/system/quire.service", "/usr/share/doc/quire/copyright",
             "/usr/share/doc/quire/changelog.Debian.gz", "/usr/share/doc/quire/examples/nginx-site.conf",
             "/etc/nginx/snippets/quire-cache.conf", "/usr/share/doc/quire/quire-backup.timer",
             "/usr/share/doc/quire/quire-backup.service", "/lib/systemd/system/quire.socket"):
    ok(path in files, "the .deb holds " + path, listing)
# the source install's files that name /usr/local paths are not the package's documentation
eq([f for f in files if re.search(r"/usr/share/doc/quire/(nginx-quire|quire\.conf\.example)", f)], [],
   "no /usr/local-flavoured nginx file or example configuration under /usr/share/doc/quire")
ok("/usr/share/doc/quire/README" in files or "/usr/share/doc/quire/README.gz" in files,
   "the .deb holds the README", listing)
if os.path.exists(os.path.join(SRCDIR, "conf", "quire.socket")):
    ok("/lib/systemd/system/quire.socket" in files, "the .deb holds quire.socket", listing)
for page in ("man1/quire.1", "man5/quire.conf.5"):
    if os.path.exists(os.path.join(SRCDIR, "man", os.path.basename(page))):
        ok("/usr/share/man/%s.gz" % page in files, "the .deb holds the man page " + page, listing)
missing = [f for f in data_files() if "/usr/share/quire/" + f not in files]
eq(missing, [], "every template and static file Makefile.am installs is under /usr/share/quire")
ok("/usr/share/quire/static/quire.css.gz" in files, "static files are pre-compressed for gzip_static")
eq([f for f in files if "nginx-local" in f], [], "the test fixture nginx-local.conf.in is not shipped")
eq([f for f in files if f.startswith(("/usr/local", "/var/", "/run/", "/home/"))], [],
   "nothing under /usr/local, /var, /run or /home (state is made by postinst and systemd)")
eq(files.get("/usr/bin/quire"), "-rwxr-xr-x", "/usr/bin/quire is 0755")

info = subprocess.run(["dpkg-deb", "-I", deb], capture_output=True, text=True).stdout
field = lambda name: (re.search(r"^ %s: (.*)$" % name, info, re.M) or [None, ""])[1]
depends = field("Depends")
for lib in ("adduser", "libc6", "libsqlite3-0", "libfcgi0ldbl", "libcurl4", "libcmark-gfm", "libxml2",
            "libsodium23", "libexpat1", "libgd3"):
    contains(depends, lib, "Depends names " + lib)
eq(field("Recommends"), "nginx-light | nginx", "Recommends nginx-light | nginx")
subprocess.run(["dpkg-deb", "-e", deb, os.path.join(WORK, "control")], check=True)
control = os.path.join(WORK, "control")
cf = open(os.path.join(control, "conffiles")).read().split() if os.path.exists(os.path.join(control, "conffiles")) else []
for c in ("/etc/quire/quire.conf", "/etc/nginx/snippets/quire.conf", "/etc/nginx/snippets/quire-cache.conf"):
    ok(c in cf, c + " is a conffile", cf)
postinst = open(os.path.join(control, "postinst")).read()
postrm = open(os.path.join(control, "postrm")).read()
contains(postinst, "adduser --quiet --system --group --no-create-home --home /var/lib/quire", "postinst makes the quire system user")
contains(postinst, "dpkg-statoverride --update --add root quire 0640 /etc/quire/quire.conf",
         "postinst makes quire.conf 0640 root:quire")
contains(postinst, "deb-systemd-helper", "postinst enables the units (dh_installsystemd)")
ok(re.search(r"purge\)\n(.*\n)*?\s+rm -rf /var/lib/quire", postrm) is not None, "postrm deletes /var/lib/quire on purge")
ok(re.search(r"remove \|[^\n]*\) ;;", postrm) is not None, "postrm keeps everything on remove")

# --- lintian: the .deb, the .buildinfo and the .changes
t0 = time.time()
rc, out = sh(["lintian", "--tag-display-limit", "0", "--display-level", ">=warning", changes[0]], debdir, "lintian.log")
STAGE["lintian"] = time.time() - t0
errors = [line for line in out.splitlines() if line.startswith("E:")]
eq(errors, [], "lintian reports no error")
for line in sorted(set(l for l in out.splitlines() if l.startswith("W:"))):
    note("lintian " + line)

# --- 4. the extracted package, behind nginx
root = os.path.join(WORK, "root")
rc = subprocess.run(["dpkg-deb", "-x", deb, root]).returncode
eq(rc, 0, "dpkg-deb -x into a throwaway root")
quire = os.path.join(root, "usr", "bin", "quire")
ldd = subprocess.run(["ldd", quire], capture_output=True, text=True).stdout
lacks(ldd, "libasan", "the packaged binary is not a sanitizer build")
ok("not found" not in ldd, "every library the packaged binary needs is found", ldd)

state = os.path.join(WORK, "state")      # stands for /var/lib/quire
os.makedirs(os.path.join(state, "media"))
port = free_port()
shipped = open(os.path.join(root, "etc", "quire", "quire.conf")).read()
for line in ("templates = /usr/share/quire/templates", "db = /var/lib/quire/quire.db",
             "media_dir = /var/lib/quire/media", "listen = unix:/run/quire/quire.sock",
             "base_url = https://blog.example.org"):
    ok(re.search(r"^%s$" % re.escape(line), shipped, re.M) is not None, "the shipped quire.conf says " + line)
unused = os.path.join(WORK, "unused.sock")
conf = shipped.replace("/usr/share/quire/templates", os.path.join(root, "usr/share/quire/templates"))
conf = conf.replace("/var/lib/quire", state).replace("unix:/run/quire/quire.sock", "unix:" + unused)
conf = conf.replace("https://blog.example.org", "http://127.0.0.1:%d" % port)
conf = re.sub(r"^sender = on$", "sender = off", conf, flags=re.M)
cfg = os.path.join(WORK, "quire.conf")
with open(cfg, "w") as f:
    f.write(conf)


def q(*args, stdin=None):
    p = subprocess.run([quire] + list(args), input=stdin, capture_output=True, text=True, timeout=60,
                       env=clean_env())
    return p.returncode, p.stdout + p.stderr


rc, out = q("init", "--config", cfg)
ok(rc == 0 and os.path.exists(os.path.join(state, "quire.db")), "quire init with the shipped configuration", out)
rc, out = q("user", "add", "--config", cfg, "--name", "Ada Lovelace", "--email", "ada@example.org",
            stdin="correct horse battery\n")
ok(rc == 0, "quire user add", out)
post = os.path.join(WORK, "harbour.md")
with open(post, "w") as f:
    f.write("---\ntitle: A harbour at dawn\nslug: harbour\ndate: 2026-09-04\nauthor: Ada Lovelace\n---\n"
            "Boats waiting for *the tide*.\n")
rc, out = q("post", "import", "--config", cfg, post)
ok(rc == 0, "quire post import", out)
shutil.copy(os.path.join(root, "usr/share/quire/static/apple-touch-icon.png"), os.path.join(state, "media", "boat.png"))

# the snippet as shipped, with the throwaway root's folders and socket for the real ones
snippet = open(os.path.join(root, "etc", "nginx", "snippets", "quire.conf")).read()
sock = os.path.join(WORK, "quire.sock")
for real in ("root /usr/share/quire;", "root /usr/share/quire/static;", "root /var/lib/quire;",
             "fastcgi_pass unix:/run/quire/quire.sock;"):
    contains(snippet, real, "the snippet has `%s`" % real)
lacks(snippet, "$quire_", "the snippet needs no variable from the server block")
snippet = (snippet.replace("/usr/share/quire", os.path.join(root, "usr/share/quire"))
           .replace("root /var/lib/quire;", "root %s;" % state)
           .replace("unix:/run/quire/quire.sock", "unix:" + sock))
ngx = os.path.join(WORK, "nginx")
os.makedirs(os.path.join(ngx, "tmp"))
with open(os.path.join(ngx, "quire-snippet.conf"), "w") as f:
    f.write(snippet)
with open(os.path.join(ngx, "nginx.conf"), "w") as f:
    f.write("""%s
daemon off;
worker_processes 1;
pid %s/nginx.pid;
error_log %s/error.log warn;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log %s/access.log;
    client_body_temp_path %s/tmp/body;
    fastcgi_temp_path %s/tmp/fastcgi;
    proxy_temp_path %s/tmp/proxy;
    uwsgi_temp_path %s/tmp/uwsgi;
    scgi_temp_path %s/tmp/scgi;
    server {
        listen 127.0.0.1:%d;
        server_name localhost;
        include %s/quire-snippet.conf;
    }
}
""" % ("user root root;" if os.geteuid() == 0 else "", ngx, ngx, ngx, ngx, ngx, ngx, ngx, ngx, port, ngx))
rc = subprocess.run(["nginx", "-t", "-q", "-p", ngx, "-c", os.path.join(ngx, "nginx.conf")], capture_output=True, text=True)
ok(rc.returncode == 0, "nginx -t accepts a server block that includes the snippet", rc.stderr)

# the example site (/usr/share/doc/quire/examples/nginx-site.conf) as an admin copies it, with a
# certificate made here and the test's folders for logs and the snippet
example = open(os.path.join(root, "usr/share/doc/quire/examples/nginx-site.conf")).read()
for real in ("include /etc/nginx/snippets/quire.conf;", "/etc/letsencrypt/live/blog.example.org/fullchain.pem",
             "/etc/letsencrypt/live/blog.example.org/privkey.pem", "listen 443 ssl"):
    contains(example, real, "the example site has `%s`" % real)
rc = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=blog.example.org",
                     "-keyout", os.path.join(ngx, "key.pem"), "-out", os.path.join(ngx, "cert.pem")], capture_output=True).returncode
eq(rc, 0, "openssl makes a test certificate")
example = (example.replace("/etc/nginx/snippets/quire.conf", os.path.join(ngx, "quire-snippet.conf"))
           .replace("/etc/letsencrypt/live/blog.example.org/fullchain.pem", os.path.join(ngx, "cert.pem"))
           .replace("/etc/letsencrypt/live/blog.example.org/privkey.pem", os.path.join(ngx, "key.pem"))
           .replace("/var/log/nginx/", ngx + "/"))
main_conf = open(os.path.join(ngx, "nginx.conf")).read()
with open(os.path.join(ngx, "example.conf"), "w") as f:
    f.write(re.sub(r"    server \{.*?\n    \}\n", lambda m: example.replace("\n", "\n    ") + "\n", main_conf, flags=re.S))
rc = subprocess.run(["nginx", "-t", "-q", "-p", ngx, "-c", os.path.join(ngx, "example.conf")], capture_output=True, text=True)
ok(rc.returncode == 0, "nginx -t accepts the example site (TLS, the snippet included)", rc.stderr)

nginx = subprocess.Popen(["nginx", "-p", ngx, "-c", os.path.join(ngx, "nginx.conf")],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def get(path, headers=()):
    args = ["curl", "-s", "-S", "--max-time", "30", "-D", "-", "-o", "-"]
    for h in headers:
        args += ["-H", h]
    p = subprocess.run(args + ["http://127.0.0.1:%d%s" % (port, path)], capture_output=True, timeout=40)
    head, _, body = p.stdout.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines[0].startswith("HTTP/") else 0
    hdrs = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    return status, hdrs, body


def wait_nginx():
    end = time.time() + 30
    while time.time() < end:
        try:
            if get("/favicon.ico")[0] == 200:
                return True
        except Exception:
            pass
        time.sleep(0.1)
    return False


ok(wait_nginx(), "nginx serves with the snippet")


def read_pages(how):
    status, h, body = get("/")
    eq(status, 200, how + ": the home page is 200")
    eq(h.get("content-type"), "text/html; charset=utf-8", how + ": the home page is HTML")
    contains(body.decode(), "A harbour at dawn", how + ": the home page lists the post")
    eq(h.get("cache-control"), "public, no-cache", how + ": the home page is cacheable and revalidated")
    ok("etag" in h, how + ": the home page has an ETag")
    status, h, body = get("/posts/harbour")
    eq(status, 200, how + ": the article is 200")
    contains(body.decode(), "Boats waiting for <em>the tide</em>.", how + ": the article's Markdown is rendered")
    css = re.search(r'href="(/static/quire\.css\?v=[0-9a-f]+)"', body.decode())
    ok(css is not None, how + ": the page links the versioned stylesheet")
    if css:
        status, h, body = get(css.group(1), ["Accept-Encoding: gzip"])
        eq(status, 200, how + ": the stylesheet is 200 (nginx, from the package's static/)")
        eq(h.get("content-type"), "text/css", how + ": the stylesheet is text/css")
        eq(h.get("cache-control"), "public, max-age=31536000, immutable", how + ": static files are kept a year")
        eq(h.get("content-encoding"), "gzip", how + ": the stylesheet travels compressed (gzip_static)")
    status, h, body = get("/media/boat.png")
    eq(status, 200, how + ": an upload is served from media/")
    eq(h.get("content-security-policy"), "default-src 'none'", how + ": uploads carry their CSP")
    status, h, body = get("/posts/no-such-post")
    eq(status, 404, how + ": an unknown post is 404")
    eq(get("/healthz")[0], 200, how + ": /healthz is 200")


def stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


# systemd's way: the socket is made by systemd (here systemd-socket-activate, which runs quire
# on the first connection with LISTEN_FDS=1, LISTEN_PID and the socket as fd 3)
activation = os.path.exists(os.path.join(SRCDIR, "src", "lib", "listen_fds.c"))
log_path = os.path.join(WORK, "quire-activated.log")
if activation:
    log = open(log_path, "w")
    act = subprocess.Popen(["systemd-socket-activate", "-l", sock, quire, "serve", "--config", cfg],
                           stdout=log, stderr=subprocess.STDOUT, env=clean_env())
    end = time.time() + 10
    while not os.path.exists(sock) and time.time() < end:
        time.sleep(0.05)
    read_pages("socket activation")
    ok(not os.path.exists(unused), "with a socket passed, quire does not make the listen = socket")
    eq(stop(act), 0, "socket activation: quire exits 0 on SIGTERM")
    text = open(log_path).read()
    contains(text, "socket systemd passed", "quire says it serves the socket systemd passed")
    ok(os.path.exists(sock), "quire leaves the socket systemd made in place")
    os.unlink(sock)
else:
    note("this tree has no socket activation yet (src/lib/listen_fds.c): tested with --listen only")

# --listen, as `quire serve` runs without a socket unit
log = open(os.path.join(WORK, "quire-listen.log"), "w")
srv = subprocess.Popen([quire, "serve", "--config", cfg, "--listen", "unix:" + sock], stdout=log,
                       stderr=subprocess.STDOUT, env=clean_env())
end = time.time() + 30
while not os.path.exists(sock) and srv.poll() is None and time.time() < end:
    time.sleep(0.05)
read_pages("--listen")
eq(stop(srv), 0, "--listen: quire exits 0 on SIGTERM")
stop(nginx)

# --- install and uninstall from the build tree: nothing left behind (no compile: it is built)
root = os.path.join(WORK, "uninstall-root")
rc1, out1 = sh(["make", "install", "DESTDIR=" + root], dist, "install.log", env=clean_env())
rc2, out2 = sh(["make", "uninstall", "DESTDIR=" + root], dist, "uninstall.log", env=clean_env())
left = [os.path.join(dp, f)[len(root):] for dp, _, fs in os.walk(root) for f in fs]
ok(rc1 == 0 and rc2 == 0 and left == [], "make install then make uninstall (DESTDIR) leave no file",
   (out1 + out2)[-2000:] + "\n".join(left[:40]))

# --- distcheck
if distcheck:
    try:
        rc = distcheck.wait(timeout=1200)
    except subprocess.TimeoutExpired:
        os.killpg(distcheck.pid, signal.SIGTERM)
        rc = distcheck.wait()
    STAGE["distcheck (beside the rest from %.0f s)" % (dc_start - START)] = time.time() - dc_start
    out = open(os.path.join(WORK, "distcheck.log"), errors="replace").read()
    ok(rc == 0 and "archives ready for distribution" in out, "make distcheck", out[-3000:])
    ran = sorted(set(re.findall(r"^(?:PASS|FAIL|ERROR|SKIP|XFAIL|XPASS): (tests/\S+?)(?:\.py|\.sh)? \d+ - ", out, re.M)))
    eq(ran, sorted(units), "distcheck ran the unit tests only (TESTS reaches its make check)")

import resource  # noqa: E402
cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
note("wall time: %.0f s in all (CPU of the builds and tools: %.0f s user, %.0f s system); %s"
     % (time.time() - START, cpu.ru_utime, cpu.ru_stime, ", ".join("%s %.0f s" % kv for kv in STAGE.items())))
import quiretest  # noqa: E402 (its count of failures)
if os.environ.get("QUIRE_KEEP_TMP") != "1" and not quiretest._failed:
    shutil.rmtree(WORK, ignore_errors=True)
else:
    note("kept " + WORK)
done()
