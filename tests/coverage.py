#!/usr/bin/env python3
"""coverage: line coverage of src/ per layer folder, from a build configured with
--enable-coverage after `make check` (gcov, no other tool). Usage: tests/coverage.py BUILD_DIR"""
import collections
import glob
import os
import re
import subprocess
import sys

build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".")
os.chdir(build)
total, covered, seen = collections.Counter(), collections.Counter(), set()
for gcda in glob.glob("src/**/*.gcda", recursive=True):
    out = subprocess.run(["gcov", "-n", "-o", os.path.dirname(gcda), gcda],
                         capture_output=True, text=True).stdout
    source = None
    for line in out.splitlines():
        m = re.match(r"File '(.*)'", line)
        if m:
            source = m.group(1)
            continue
        m = re.match(r"Lines executed:([\d.]+)% of (\d+)", line)
        if m and source and "/src/" in source and source.endswith(".c") and source not in seen:
            seen.add(source)
            rel = source.split("/src/", 1)[1]
            folder = rel.split("/")[0] if "/" in rel else "src"
            n = int(m.group(2))
            c = round(float(m.group(1)) * n / 100)
            for key in (folder, "all"):
                total[key] += n
                covered[key] += c
if not total:
    sys.exit("coverage: no .gcda files under %s/src (configure --enable-coverage, then make check)" % build)
for key in sorted(total, key=lambda k: (k == "all", k)):
    print("%-7s %6d of %6d lines  %5.1f%%" % (key, covered[key], total[key], 100.0 * covered[key] / total[key]))
