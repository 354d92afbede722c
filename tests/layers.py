#!/usr/bin/env python3
"""layers: the source tree keeps its layers. TAP output.

  lib <- db <- mail <- web, import <- cli

1. every #include "x.h" names a header of the same folder or of a folder below it;
2. no cycle between files (a .c and its .h are one file; A uses B when A includes B.h, or, from
   the objects of a build, when A calls a function B defines);
3. SQL (an sqlite3_ call, a db_prep/db_exec/db_int/db_str/db_run call, or an SQL statement in a
   string) appears only under src/db/.
The link check (src/layer-check.sh, run by make) proves the calls; this proves the
includes and the files, and names the file that breaks a rule.
"""
import os
import re
import sys

TOP = os.environ.get("QUIRE_SRCDIR") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(TOP, "src")
RANK = {"lib": 0, "db": 1, "mail": 2, "web": 3, "import": 3, "cli": 4}
# an sqlite3_ call, a function of db.h that takes SQL text, a string opening with a statement in
# capitals, or SQL's own phrases in any case ("insert into", "delete from", "update x set")
SQL = re.compile(r'\bsqlite3_[a-z_0-9]+\s*\(|\bdb_(prep|exec|int|str|run)\s*\(|'
                 r'"\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|PRAGMA|BEGIN|COMMIT|ROLLBACK|'
                 r'SAVEPOINT|RELEASE|WITH|VACUUM|ANALYZE)\s|'
                 r'"[^"]*\b(?i:insert\s+(or\s+\w+\s+)?into|delete\s+from|update\s+\w+\s+set|'
                 r'create\s+(table|index|trigger|view))\b')
INCLUDE = re.compile(r'^\s*#\s*include\s+["<]([^">]+)[">]', re.M)
# the functions of db.h that take SQL text, and SQLite's own (sqlite3_int64 is only a type)
SQL_NAMES = re.compile(r'\b(db_prep|db_exec|db_int|db_str|db_run|sqlite3_(?!u?int64\b)\w+)\b')

n = 0
failed = 0


def check(ok, what, detail=()):
    global n, failed
    n += 1
    print(("ok" if ok else "not ok") + " %d - %s" % (n, what))
    if not ok:
        failed = 1
        for d in list(detail)[:30]:
            print("#   " + d)


def without_comments(text):
    """text with its comments blanked (line breaks kept), strings and characters left alone."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


files = {}  # module name -> folder
paths = []
for folder in sorted(os.listdir(SRC)):
    d = os.path.join(SRC, folder)
    if not os.path.isdir(d):
        continue
    for f in sorted(os.listdir(d)):
        if f.endswith((".c", ".h")):
            paths.append((folder, f, os.path.join(d, f)))
            files.setdefault(f.rsplit(".", 1)[0], folder)

check(all(folder in RANK for folder, _, _ in paths) and not any(
    f.endswith((".c", ".h")) for f in os.listdir(SRC)),
      "every source file is in a layer folder (%s)" % ", ".join(sorted(RANK)),
      [p for folder, _, p in paths if folder not in RANK])

up = []
edges = {}
sql = []
for folder, f, p in paths:
    text = open(p, encoding="utf-8").read()
    me = f.rsplit(".", 1)[0]
    for inc in INCLUDE.findall(text):
        mod = os.path.basename(inc).rsplit(".", 1)[0]
        if mod == "migrations" or mod not in files:
            continue
        if inc != os.path.basename(inc) or not re.search(r'#\s*include\s+"%s"' % re.escape(inc), text):
            # "../web/page.h" would reach past the -I list of the folder; <page.h> hides it
            up.append("src/%s/%s includes %s: quire's headers are included by name, in quotes" % (folder, f, inc))
        dest = files[mod]
        if dest != folder and (RANK[dest] >= RANK[folder]):
            up.append("src/%s/%s includes %s (src/%s: not below %s)" % (folder, f, inc, dest, folder))
        if mod != me:
            edges.setdefault(me, set()).add(mod)
    if folder != "db":
        code = without_comments(text)
        # "SEL" "ECT" is one literal to the compiler
        joined = re.sub(r'"\s*\n?\s*"', "", code)
        for i, line in enumerate(code.splitlines(), 1):
            if SQL.search(line) or SQL_NAMES.search(line):
                sql.append("src/%s/%s:%d: %s" % (folder, f, i, line.strip()[:90]))
        if not any(s.startswith("src/%s/%s:" % (folder, f)) for s in sql) and SQL.search(joined):
            sql.append("src/%s/%s: a statement split over string literals" % (folder, f))

check(not up, "no include runs up a layer or across web/import", up)

# cycles: Tarjan's strongly connected components over the file graph
index = {}
low = {}
stack = []
on = set()
sccs = []
counter = [0]


def strong(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in sorted(edges.get(v, ())):
        if w not in index:
            strong(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            sccs.append(sorted(comp))


sys.setrecursionlimit(10000)
for v in sorted(files):
    if v not in index:
        strong(v)
check(not sccs, "no cycle between files (by include)", [" <-> ".join(c) for c in sccs])


sql_calls = []


def symbol_edges():
    """File A uses file B when A's object refers to a symbol B's object defines (nm)."""
    import glob
    import subprocess
    build = os.environ.get("QUIRE_BUILDDIR") or os.getcwd()
    objs = glob.glob(os.path.join(build, "src", "*", "*.o"))
    defs, undef = {}, {}
    for o in objs:
        mod = os.path.basename(o)[:-2].split("-")[-1]
        if mod not in files:
            continue
        out = subprocess.run(["nm", o], capture_output=True, text=True).stdout
        u = undef.setdefault(mod, set())
        for line in out.splitlines():
            f = line.split()
            if len(f) == 3 and f[1] in "TDBRC":
                defs[f[2]] = mod
            elif len(f) == 2 and f[0] in "Uwv":  # a weak reference is a call all the same
                u.add(f[1])
    for mod, u in undef.items():
        if files[mod] != "db":
            for s in sorted(u):
                if SQL_NAMES.fullmatch(s):
                    sql_calls.append("%s (src/%s) calls %s" % (mod, files[mod], s))
    g = {}
    for mod, u in undef.items():
        for s in u:
            if s in defs and defs[s] != mod:
                g.setdefault(mod, set()).add(defs[s])
    return g


edges = symbol_edges()
if edges:
    index.clear(); low.clear(); stack.clear(); on.clear(); sccs.clear(); counter[0] = 0
    for v in sorted(edges):
        if v not in index:
            strong(v)
    up = ["%s (src/%s) calls %s (src/%s)" % (a, files[a], b, files[b]) for a in sorted(edges)
          for b in sorted(edges[a]) if files[a] != files[b] and RANK[files[b]] >= RANK[files[a]]]
    check(not up, "no call runs up a layer or across web/import (by symbol)", up)
    check(not sccs, "no cycle between files (by symbol)", [" <-> ".join(c) for c in sccs])
    check(not sql_calls, "no SQLite or SQL-taking db function is called outside src/db/ (by symbol)", sql_calls)
check(not sql, "SQL only under src/db/ (%d lines elsewhere)" % len(sql), sql)

print("1..%d" % n)
sys.exit(failed)
