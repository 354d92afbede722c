"""validate_html: the Nu Html Checker (npm vnu-jar, run with Debian's java) over every page type of
a realistic blog (tests/blogpages.py: reader pages, the answers to POSTs, the admin logged in):
0 errors on each. One JVM for all pages; one TAP line per page, the messages printed on failure."""
import json
import os
import subprocess
import sys
import time

from quiretest import SRCDIR, ok, done

sys.path.insert(0, os.path.join(SRCDIR, "tests", "browser"))
from admin import install_playwright, deps  # noqa: E402
import blogpages  # noqa: E402


def vnu(files):
    """The checker's messages per file (errors only), or None with the reason when it did not run."""
    jar = os.path.join(deps, "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
    if not os.path.exists(jar):
        return None, "no " + jar
    try:
        p = subprocess.run(["java", "-Xss16m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar, "--errors-only", "--format", "json", "--stdout"] + files,
                           capture_output=True, text=True, timeout=300)
    except OSError as e:
        return None, "java: %s (Debian's default-jre-headless)" % e
    try:
        report = json.loads(p.stdout)
    except ValueError:
        return None, "vnu exited %d: %s %s" % (p.returncode, p.stdout[-1000:], p.stderr[-1000:])
    found = {f: [] for f in files}
    for m in report.get("messages", []):
        path = m.get("url", "").replace("file:", "", 1)
        found.setdefault(path, []).append(m)
        if m.get("type") == "non-document-error":
            found.setdefault("", []).append(m)
    return found, report.get("version", "?")


def main():
    started = time.time()
    b = blogpages.build("vnu")
    pages = blogpages.pages(b)
    work = os.path.join(b.s.dir, "vnu-pages")
    os.makedirs(work, exist_ok=True)
    files = {}
    for name, path, r in pages:
        if not ok(r.status in (200, 401, 404, 410, 422) and "text/html" in (r.header("content-type") or ""),
                  "%s (%s) answers an HTML page" % (name, path), (r.status, r.headers)):
            continue
        f = os.path.join(work, name + ".html")
        with open(f, "wb") as out:
            out.write(r.raw)
        files[f] = (name, path)
    ok(len(files) >= 60, "%d page types fetched" % len(files))
    t = time.time()
    found, version = vnu(sorted(files))
    if not ok(found is not None, "the Nu Html Checker ran", version):
        return
    print("# vnu %s: %d pages in %.1f s" % (version, len(files), time.time() - t))
    for f, (name, path) in sorted(files.items(), key=lambda kv: kv[1][0]):
        msgs = found.get(f, [])
        ok(not msgs, "vnu: %s (%s): 0 errors" % (name, path),
           "\n".join("%s:%s: %s  [%s]" % (name, m.get("lastLine", "?"), m.get("message", ""),
                                          m.get("extract", "").replace("\n", " ")) for m in msgs))
    ok(not found.get(""), "vnu reported no error outside the pages", found.get(""))
    print("# %.1f s in all" % (time.time() - started))


if __name__ == "__main__" and install_playwright():
    main()
    done()
