"""manpages: man/quire.1 and man/quire.conf.5 render without a warning, and say everything the
sources hold: every command of src/cli/main.c's table, every long option of the getopt tables of
src/cli/*.c (under its command), every environment variable src/ reads, every key of
src/lib/config.c with its range or words and its default (config_init). A new option, command or
key without documentation fails here. Also `quire help COMMAND` == `quire COMMAND --help`, and
`quire --version`."""
import concurrent.futures
import glob
import os
import re
import subprocess

from quiretest import QUIRE, SRCDIR, run, ok, eq, done

MAN1 = os.path.join(SRCDIR, "man", "quire.1")
MAN5 = os.path.join(SRCDIR, "man", "quire.conf.5")
ENV = dict(os.environ, LC_ALL="C.UTF-8", MANWIDTH="80")
# about 30 runs of quire that print a help and exit: LeakSanitizer's scan at exit would double
# their cost, and tests/integration/cli.py runs every --help with it
os.environ["ASAN_OPTIONS"] = (os.environ.get("ASAN_OPTIONS", "") + ":detect_leaks=0").lstrip(":")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


# --- rendering: groff's warnings (all of them) and man-db's -----------------------------------
for page in (MAN1, MAN5):
    name = os.path.basename(page)
    try:
        p = subprocess.run(["groff", "-ww", "-man", "-Tutf8", "-z", page], capture_output=True, text=True, env=ENV)
        ok(p.returncode == 0 and p.stderr == "", "groff -ww -man -Tutf8 -z %s: no warning" % name, p.stderr)
    except FileNotFoundError:
        ok(False, "groff is installed (Debian groff-base)")
    try:
        p = subprocess.run(["man", "--warnings", "-l", page], capture_output=True, text=True, env=ENV)
        ok(p.returncode == 0 and p.stderr == "" and len(p.stdout) > 2000,
           "man --warnings -l %s: renders, no warning" % name, p.stderr)
    except FileNotFoundError:
        ok(False, "man is installed (Debian man-db)")


def unroff(text):
    """Roff source to the words a reader sees: macro lines become their arguments, escapes their
    characters (enough for these two pages)."""
    out = []
    for line in text.split("\n"):
        if line.startswith('.\\"'):
            continue
        if line.startswith("."):
            m = re.match(r"\.([A-Za-z]+)\s*(.*)", line)
            if not m:
                continue
            mac, rest = m.groups()
            args = [a or b for a, b in re.findall(r'"([^"]*)"|(\S+)', rest)]
            if mac in ("B", "I", "SM", "SB"):
                out.append(" ".join(args))
            elif mac in ("BR", "RB", "IR", "RI", "BI", "IB"):
                out.append("".join(args))
            elif mac in ("SH", "SS"):
                out.append("\n" + " ".join(args) + "\n")
            continue
        out.append(line)
    s = " ".join(out)
    s = re.sub(r"\\f[BIRP]", "", s)
    for a, b in (("\\-", "-"), ("\\(lq", '"'), ("\\(rq", '"'), ("\\(aq", "'"), ("\\(mu", "x"), ("\\(en", "-"),
                 ("\\e", "\\"), ("\\&", "")):
        s = s.replace(a, b)
    return re.sub(r"[ \t]+", " ", s)


def sections(src, level):
    """{title: body} of the .SH (level "SH") or .SS parts of a roff source."""
    parts = {}
    cur = None
    for line in src.split("\n"):
        m = re.match(r"\.(SH|SS)\s+\"?(.*?)\"?\s*$", line)
        if m and (m.group(1) == level or (level == "SS" and m.group(1) == "SH")):
            cur = m.group(2) if m.group(1) == level else None
            if cur is not None:
                parts[cur] = ""
            continue
        if cur is not None:
            parts[cur] += line + "\n"
    return parts


man1 = read(MAN1)
man5 = read(MAN5)
with open(os.path.join(SRCDIR, "configure.ac"), encoding="utf-8") as f:
    version = re.search(r"AC_INIT\(\[quire\],\s*\[([^\]]+)\]", f.read()).group(1)
for page, src in (("quire.1", man1), ("quire.conf.5", man5)):
    th = re.search(r"^\.TH .*$", src, re.M)
    ok(th and ("quire %s" % version) in th.group(0), "%s: .TH names quire %s (configure.ac)" % (page, version),
       th and th.group(0))

top = sections(man1, "SH")
for s in ("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "ENVIRONMENT", "FILES", "EXIT STATUS", "SIGNALS",
          "EXAMPLES", "SEE ALSO"):
    ok(s in top, "quire.1 has the section %s" % s, sorted(top))

# --- commands and options -----------------------------------------------------------------------
main_c = read(os.path.join(SRCDIR, "src", "cli", "main.c"))
table = re.findall(r'\{"([a-z-]+)",\s*(cmd_\w+),\s*(true|false),\s*(NULL|")', main_c)
listed = [name for name, fn, lib, h in table if h != "NULL"]
ok(len(listed) >= 10, "the command table is read from src/cli/main.c (%d commands)" % len(listed), table)
commands = sections(top.get("COMMANDS", ""), "SS")
for name in listed:
    ok(name in commands, "quire.1 documents the command %s (.SS %s under COMMANDS)" % (name, name), sorted(commands))
    ok(name in commands and ("quire " + name) in unroff(commands[name]),
       "quire.1: the %s section shows its usage (quire %s ...)" % (name, name))

# the long options of each getopt table, by the command whose file holds it
fn_of = {name: fn for name, fn, lib, h in table}
opts_of = {}  # command -> set of long options
loose = {}    # a getopt table outside cmd_*.c and cli.c: documented somewhere in quire.1
n_tables = 0
for path in sorted(glob.glob(os.path.join(SRCDIR, "src", "cli", "*.c"))):
    text = read(path)
    base = os.path.basename(path)
    found = set()
    for block in re.findall(r"struct option \w+\[\]\s*=\s*\{(.*?)\};", text, re.S):
        n_tables += 1
        found |= set(re.findall(r'\{"([a-z][a-z0-9-]*)",\s*(?:required|no|optional)_argument', block))
    if not found:
        continue
    if base == "cli.c":
        owners = [n for n, fn in fn_of.items()
                  if os.path.exists(os.path.join(SRCDIR, "src", "cli", fn + ".c"))
                  and "cli_run_path(" in read(os.path.join(SRCDIR, "src", "cli", fn + ".c"))]
    else:
        owners = [n for n, fn in fn_of.items() if fn + ".c" == base]
    if not owners:
        loose[base] = found
    for n in owners:
        opts_of.setdefault(n, set()).update(found)
ok(n_tables >= 8 and len(opts_of) >= 8, "getopt tables read from src/cli/*.c (%d tables, %d commands)"
   % (n_tables, len(opts_of)), opts_of)
for name in sorted(opts_of):
    text = unroff(commands.get(name, ""))
    for opt in sorted(opts_of[name] - {"help"}):  # --help: DESCRIPTION, for every command
        ok(re.search(r"--%s\b(?!-)" % re.escape(opt), text) is not None,
           "quire.1: --%s is documented under %s" % (opt, name))
    # and no option that the command does not have (an option renamed or removed in the code)
    aliases = {n[2:] for n in fn_of if n.startswith("--")}
    stale = sorted(set(re.findall(r"--([a-z][a-z0-9-]*)", text)) - opts_of[name] - aliases - {"help"})
    eq(stale, [], "quire.1: the %s section names no option %s lacks" % (name, name))
ok("--help" in unroff(top.get("DESCRIPTION", "")), "quire.1: --help is documented (DESCRIPTION, every command)")
for base, found in sorted(loose.items()):
    for opt in sorted(found):
        ok(("--" + opt) in unroff(man1), "quire.1: --%s (a getopt table of %s) is documented" % (opt, base))

# every environment variable src/ reads
env_names = set()
for path in glob.glob(os.path.join(SRCDIR, "src", "**", "*.c"), recursive=True):
    text = read(path)
    env_names |= set(re.findall(r'getenv\("([A-Z_][A-Z0-9_]*)"\)', text))
    env_names |= set(re.findall(r'"(QUIRE_[A-Z0-9_]+)"', text))
ok("QUIRE_MEDIA_TIMEOUT" in env_names, "environment variables read from src/ (%s)" % ", ".join(sorted(env_names)))
env_text = unroff(top.get("ENVIRONMENT", ""))
for v in sorted(env_names | {"LISTEN_FDS", "LISTEN_PID"}):
    ok(re.search(r"\b%s\b" % v, env_text) is not None, "quire.1 ENVIRONMENT names %s" % v)
for s in ("SIGTERM", "SIGINT", "SIGHUP", "SIGUSR1"):
    ok(s in unroff(top.get("SIGNALS", "")), "quire.1 SIGNALS names %s" % s)
exit_text = top.get("EXIT STATUS", "")
ok(all(re.search(r"^\.B %d$" % n, exit_text, re.M) for n in (0, 1, 2)), "quire.1 EXIT STATUS lists 0, 1 and 2")
for f in ("/etc/quire/quire.conf", "/var/lib/quire/quire.db", "/var/lib/quire/media", "templates"):
    ok(f in unroff(top.get("FILES", "")), "quire.1 FILES names %s" % f)
for ref in ("quire.conf (5)", "nginx (8)", "systemd.socket (5)"):
    ok((".BR " + ref) in top.get("SEE ALSO", ""), "quire.1 SEE ALSO %s" % ref.replace(" ", ""))

# --- quire.conf.5: every key of config.c, its range or words, its default -----------------------
config_c = read(os.path.join(SRCDIR, "src", "lib", "config.c"))
# config.h and the other headers of src/lib/ (an enum or a limit a key uses may live in any)
config_h = read(os.path.join(SRCDIR, "src", "lib", "config.h")) + "".join(
    read(h) for h in sorted(glob.glob(os.path.join(SRCDIR, "src", "lib", "*.h"))))
consts = dict(re.findall(r"#define (\w+) (\d+)", config_h + config_c))


def number(expr):
    expr = re.sub(r"[A-Z_][A-Z0-9_]*", lambda m: consts.get(m.group(0), "?"), expr)
    if not re.fullmatch(r"[\d\s*+()-]+", expr):
        return None
    return eval(expr)  # digits and arithmetic only, checked above


words = {n: re.findall(r'"([^"]+)"', body)
         for n, body in re.findall(r"static const char \*const (\w+)\[\] = \{(.*?)\};", config_c)}
enums = {}  # constant -> (its index, enum name)
for ename, body in re.findall(r"enum (\w+) \{(.*?)\}", config_h, re.S):
    i = 0
    for item in re.sub(r"/\*.*?\*/|//[^\n]*", "", body, flags=re.S).split(","):
        m = re.match(r"\s*(\w+)\s*(?:=\s*(\d+))?\s*$", item)
        if m:
            i = int(m.group(2)) if m.group(2) else i
            enums[m.group(1)] = i
            i += 1
keys_block = re.search(r"static const struct ckey keys\[\] = \{(.*?)\n\};", config_c, re.S).group(1)
entries = re.findall(r"^\s*([SLE])\((.*)\),\s*$", keys_block, re.M)
ok(len(entries) == len(re.findall(r"^\s*[A-Z]\(", keys_block, re.M)) and len(entries) >= 37,
   "the key table is read from src/lib/config.c (%d keys)" % len(entries))
init = re.search(r"void config_init\(struct config \*c\)\s*\{(.*?)\n\}", config_c, re.S).group(1)
defaults = {}
for field, val in re.findall(r"set_str\(&c->(\w+), (.*?)\);", init):
    defaults[field] = val
for field, val in re.findall(r"^\s*c->(\w+) = (\w+);", init, re.M):
    defaults[field] = val

conf_sections = {k: v for k, v in sections(man5, "SH").items() if k.startswith("[")}
accepted = re.findall(r'strcmp\(section, "(\w+)"\)', config_c)
for sec in sorted(set(accepted)):
    ok("[%s]" % sec in conf_sections, "quire.conf.5 has a section [%s]" % sec, sorted(conf_sections))


def key_entries(body):
    """{key: text} of the .TP / .B key entries of a section."""
    out = {}
    for m in re.finditer(r"^\.TP\n\.B (\w+)\n(.*?)(?=^\.TP$|\Z)", body, re.M | re.S):
        out[m.group(1)] = unroff(m.group(2))
    return out


documented = {sec[1:-1]: key_entries(body) for sec, body in conf_sections.items()}
known = set()
for kind, args in entries:
    a = [x.strip() for x in re.split(r",(?![^(]*\))", args)]
    sec, key, field = a[0].strip('"'), a[1].strip('"'), a[2]
    known.add((sec, key))
    text = documented.get(sec, {}).get(key)
    if not ok(text is not None, "quire.conf.5 documents %s.%s" % (sec, key)):
        continue
    if kind == "L":
        lo, hi = number(a[3]), number(a[4])
        ok("from %s to %s" % (lo, hi) in text, "quire.conf.5 %s.%s: from %s to %s" % (sec, key, lo, hi), text)
    if kind == "E":
        w = words.get(a[3], [])
        ok(w and all(re.search(r"\b%s\b" % x, text) for x in w),
           "quire.conf.5 %s.%s: its words %s" % (sec, key, ", ".join(w)), text)
    d = defaults.get(field)
    if d is None:
        ok(False, "config_init sets %s (%s.%s)" % (field, sec, key))
        continue
    if d.startswith('"'):
        want = d.strip('"') or "empty"
    elif d.startswith("QUIRE_DATADIR"):
        want = "PKGDATADIR" + re.search(r'"(.*)"', d).group(1)
    elif d in enums:
        want = words[a[3]][enums[d]] if kind == "E" else str(enums[d])
    elif kind == "E" and d in ("false", "true"):
        want = words[a[3]][d == "true"]
    else:
        want = d
    m = re.search(r'Default: "?(.*?)"?(?:\.? \(|\.?\s*$)', text)
    ok(m is not None and m.group(1) == want, "quire.conf.5 %s.%s: default %s (config_init)" % (sec, key, want),
       text[-200:])
# and nothing documented that config.c does not take
extra = sorted("%s.%s" % (s, k) for s, ks in documented.items() for k in ks if (s, k) not in known)
eq(extra, [], "quire.conf.5 documents no key that config.c lacks")
ok("[site]" in unroff(sections(man5, "SH").get("EXAMPLE", "")), "quire.conf.5 has an EXAMPLE file")
# a key's name is set apart from its text as man renders it: alone on its line, or two spaces
# before the text (".TP" puts a name shorter than the indent beside the text: "log_ip on or off")
rendered = subprocess.run(["man", "-l", MAN5], capture_output=True, text=True, env=ENV).stdout
for sec, keys in sorted(documented.items()):
    for key in sorted(keys):
        line = re.search(r"^ {7}%s\b.*$" % re.escape(key), rendered, re.M)  # a tag at the indent of 7
        ok(line and re.fullmatch(r" {7}%s( {2,}\S.*)?" % re.escape(key), line.group(0)),
           "quire.conf.5 renders %s.%s apart from its text" % (sec, key), line and line.group(0))

# EXAMPLES points at the shipped backup units instead of units of its own (conf/quire-backup.*)
examples = unroff(top.get("EXAMPLES", ""))
ok("quire-backup.timer" in examples and "systemctl enable --now quire-backup.timer" in examples
   and "/usr/share/doc/quire/" in examples and "[Service]" not in examples,
   "quire.1 EXAMPLES: the shipped quire-backup.service/.timer, and how to enable them", examples[-900:])
for unit in ("conf/quire-backup.service.in", "conf/quire-backup.timer"):
    ok(os.path.exists(os.path.join(SRCDIR, unit)), "%s exists (quire.1 EXAMPLES points at it)" % unit)

# the example file in the page is accepted by quire itself
example = re.search(r"\.SH EXAMPLE\n.*?\.EX\n(.*?)\.EE", man5, re.S).group(1).replace("\\-", "-")
tmp = os.environ.get("TMPDIR", "/tmp")
conf = os.path.join(tmp, "quire-manpages-%d.conf" % os.getpid())
with open(conf, "w", encoding="utf-8") as f:
    f.write(example.replace("/var/lib/quire/quire.db", os.path.join(tmp, "quire-manpages-%d.db" % os.getpid())))
rc, out, err = run(["init", "--config", conf])
ok(rc == 0, "quire.conf.5's EXAMPLE loads (quire init --config)", err)
for suffix in (".conf", ".db", ".db-wal", ".db-shm"):
    p = os.path.join(tmp, "quire-manpages-%d%s" % (os.getpid(), suffix))
    if os.path.exists(p):
        os.unlink(p)

# --- quire help, quire --version ----------------------------------------------------------------
# a few at a time: each start of a sanitizer build costs a fraction of a second
with concurrent.futures.ThreadPoolExecutor(4) as pool:
    runs = {name: (pool.submit(run, ["help", name]), pool.submit(run, [name, "--help"])) for name in listed}
for name in listed:
    got, want = runs[name][0].result(), runs[name][1].result()
    ok(got == want and got[0] == 0 and got[1].startswith("usage: quire " + name) and got[2] == "",
       "quire help %s prints what quire %s --help prints, exit 0" % (name, name), "%r\n%r" % (got, want))
rc, out, err = run(["help"])
ok(rc == 0 and all(re.search(r"^  %s\b" % n, out, re.M) for n in listed) and err == "",
   "quire help: every command listed, exit 0", out + err)
ok("quire help COMMAND" in out and "man quire" in out, "the command list points to quire help COMMAND and man quire",
   out)
# the help does not drift from the code: each command's --help names every long option of its
# getopt table, and the command list every subcommand (mail test was missing from it)
for name in sorted(opts_of):
    if name not in runs:
        continue
    helptext = runs[name][1].result()[1]
    missing = sorted(o for o in opts_of[name] - {"help"} if not re.search(r"--%s\b(?!-)" % re.escape(o), helptext))
    eq(missing, [], "quire %s --help names every option of its getopt table" % name)
for name, fn, lib, h in table:
    path = os.path.join(SRCDIR, "src", "cli", fn + ".c")
    if h == "NULL" or not os.path.exists(path):
        continue
    for body in re.findall(r"subs\[\]\s*=\s*\{(.*?)\}", read(path)):
        line = re.search(r"^  %s .*$" % re.escape(name), out, re.M)
        subs = re.findall(r'"([a-z-]+)"', body)
        ok(line and all(re.search(r"\b%s\b" % x, line.group(0)) for x in subs),
           "quire help lists every subcommand of %s (%s)" % (name, "|".join(subs)), line and line.group(0))
rc, out, err = run(["help", "nosuch"])
ok(rc == 2 and out == "" and len(err.strip().splitlines()) == 1 and "nosuch" in err,
   "quire help nosuch: a usage error, one line, exit 2", err)
for args in (["--version"], ["version"]):
    rc, out, err = run(args)
    ok(rc == 0 and out == "quire %s\n" % version and err == "", "quire %s prints 'quire %s'" % (args[0], version),
       out + err)
rc, out, err = run(["version", "extra"])
ok(rc == 2, "quire version with an argument is a usage error", err)
done()
