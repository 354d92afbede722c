"""units: the systemd units make generates and installs (conf/quire.service.in, conf/quire.socket):
systemd-analyze verify, the offline security score (never above EXPOSURE_MAX), the paths configure
chose, and every option issue 15 asks for."""
import os
import re
import shutil
import subprocess
import tempfile

from quiretest import SRCDIR, ok, eq, done, contains

BUILD = os.environ.get("QUIRE_BUILDDIR", os.path.abspath("."))
EXPOSURE_MAX = 1.5  # measured 1.1; a change that weakens the sandbox fails here
ANALYZE = shutil.which("systemd-analyze")
ok(ANALYZE is not None, "systemd-analyze is installed (Debian package systemd)")


def make_vars(path):
    """The variables of the build's Makefile, expanded (bindir, sysconfdir, ...)."""
    raw = {}
    for line in open(path):
        m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*) = (.*)$", line.rstrip("\n"))
        if m:
            raw[m.group(1)] = m.group(2)

    def expand(v, depth=0):
        return re.sub(r"\$[({]([A-Za-z_0-9]+)[)}]", lambda m: expand(raw.get(m.group(1), ""), depth + 1) if depth < 10 else "", v)
    return {k: expand(v) for k, v in raw.items()}


def unit(path):
    """(section, key) -> [values] of a unit file, in order."""
    out, section = {}, None
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        k, _, v = line.partition("=")
        out.setdefault((section, k), []).append(v)
    return out


mv = make_vars(os.path.join(BUILD, "Makefile"))
service = os.path.join(BUILD, "conf", "quire.service")
socket = os.path.join(SRCDIR, "conf", "quire.socket")
ok(os.path.exists(service), "make generated conf/quire.service from quire.service.in")
text = open(service).read()
eq(re.findall(r"@[a-z_]+@", text), [], "no @placeholder@ is left in it")
u = unit(service)
eq(u.get(("Service", "ExecStart")), ["%s/quire serve --config %s/quire/quire.conf" % (mv["bindir"], mv["sysconfdir"])],
   "ExecStart runs the configured bindir's quire (%s) with the configured sysconfdir" % mv["bindir"])
eq(u.get(("Service", "ExecStartPre")), ["%s/quire init --config %s/quire/quire.conf" % (mv["bindir"], mv["sysconfdir"])],
   "ExecStartPre creates or migrates the database with the same quire")
ok(mv.get("systemdsystemunitdir"), "configure chose a systemd unit folder (%s)" % mv.get("systemdsystemunitdir"))

# every option the issue and the brief name, with its value
want = {
    "User": "quire", "Group": "quire", "StateDirectory": "quire quire/media", "RuntimeDirectory": "quire",
    "ProtectSystem": "strict", "ReadWritePaths": "/var/lib/quire", "NoNewPrivileges": "yes",
    "PrivateTmp": "yes", "ProtectHome": "yes", "RestrictAddressFamilies": "AF_UNIX AF_INET AF_INET6",
    "SystemCallArchitectures": "native", "ProtectKernelTunables": "yes", "ProtectKernelModules": "yes",
    "ProtectKernelLogs": "yes", "ProtectControlGroups": "yes", "PrivateDevices": "yes",
    "RestrictNamespaces": "yes", "LockPersonality": "yes", "MemoryDenyWriteExecute": "yes",
    "RestrictRealtime": "yes", "RestrictSUIDSGID": "yes", "CapabilityBoundingSet": "", "UMask": "0027",
    "ProtectProc": "invisible", "ProcSubset": "pid", "ProtectHostname": "yes", "ProtectClock": "yes",
}
for k, v in want.items():
    eq(u.get(("Service", k)), [v], "quire.service sets %s=%s" % (k, v))
contains(u.get(("Service", "SystemCallFilter"), []), "@system-service", "SystemCallFilter=@system-service")
ok("quire.socket" in u.get(("Unit", "Requires"), [""])[0] and "quire.socket" in u.get(("Unit", "After"), [""])[0],
   "quire.service requires quire.socket and starts after it")

s = unit(socket)
eq(s.get(("Socket", "ListenStream")), ["/run/quire/quire.sock"], "quire.socket listens on /run/quire/quire.sock")
eq([s.get(("Socket", k), [None])[0] for k in ("SocketUser", "SocketGroup", "SocketMode")], ["quire", "www-data", "0660"],
   "owned by quire, group www-data (nginx's workers), mode 0660")
eq(s.get(("Install", "WantedBy")), ["sockets.target"], "quire.socket is wanted by sockets.target")
# the socket's folder is the service's RuntimeDirectory: it must survive a stop of the service
eq(u.get(("Service", "RuntimeDirectoryPreserve")), ["yes"], "stopping the service keeps /run/quire and the socket")

if ANALYZE:
    tmp = tempfile.mkdtemp(prefix="quire-units-")
    # verify needs the binaries the unit runs: the same unit with this build's quire
    quire = os.path.join(BUILD, "quire")
    with open(os.path.join(tmp, "quire.service"), "w") as f:
        f.write(text.replace(mv["bindir"] + "/quire", quire))
    shutil.copy(socket, tmp)
    p = subprocess.run([ANALYZE, "verify", "--man=no", os.path.join(tmp, "quire.service"), os.path.join(tmp, "quire.socket")],
                       capture_output=True, text=True, timeout=60)
    eq((p.returncode, p.stderr.strip()), (0, ""), "systemd-analyze verify: no complaint about either unit")
    p = subprocess.run([ANALYZE, "security", "--offline=true", "--no-pager", service], capture_output=True, text=True,
                       timeout=60)
    m = re.search(r"Overall exposure level for quire.service: ([0-9.]+)", p.stdout)
    ok(m is not None, "systemd-analyze security --offline=true scores the unit", p.stdout[-1500:] + p.stderr)
    score = float(m.group(1)) if m else 99
    print("# systemd-analyze security: exposure %.1f" % score)
    ok(score <= EXPOSURE_MAX, "exposure %.1f is at most %.1f" % (score, EXPOSURE_MAX),
       "\n".join(line for line in p.stdout.splitlines() if line.startswith("\u2717")))
    readme = open(os.path.join(SRCDIR, "README")).read()
    contains(readme, "exposure level %.1f" % score, "the README gives the same exposure level")
    shutil.rmtree(tmp)

# the backup example: same config file and user as the service; its syscall filter must let quire
# start (libnuma, loaded with libgd's libraries, calls set_mempolicy of @resources at load time:
# denying @resources without an errno kills the process with SIGSYS before main)
backup = os.path.join(BUILD, "conf", "quire-backup.service")
ok(os.path.exists(backup), "make generated conf/quire-backup.service")
b = unit(backup)
btext = open(backup).read()
eq(re.findall(r"@[a-z_]+@", btext), [], "no @placeholder@ is left in the backup unit")
contains(btext, "%s/quire backup --config %s/quire/quire.conf" % (mv["bindir"], mv["sysconfdir"]),
         "the backup unit reads the same configuration file as quire.service")
eq((b.get(("Service", "User")), b.get(("Service", "Group"))), (u.get(("Service", "User")), u.get(("Service", "Group"))),
   "the backup unit runs as the service's user and group")
denied = " ".join(v for v in b.get(("Service", "SystemCallFilter"), []) if v.startswith("~"))
ok("@resources" not in denied, "the backup unit does not deny @resources (set_mempolicy at load)", denied)
ok(b.get(("Service", "SystemCallErrorNumber")) == ["EPERM"],
   "a denied call fails with EPERM rather than killing the backup", b.get(("Service", "SystemCallErrorNumber")))
ok(u.get(("Unit", "StartLimitBurst")) and u.get(("Unit", "StartLimitIntervalSec")),
   "quire.service stops retrying a start that keeps failing (each upgrade attempt copies the database)")
done()
