"""browser/axe: axe-core (npm) injected through playwright-core into Debian's headless Chromium on
every page type of a realistic blog (tests/blogpages.py: reader pages, POST answers, the admin
logged in), light and dark, 1280 and 375 pixels wide: no violation of impact serious or critical.
One TAP line per page, mode and width, the violations printed on failure. One browser, one page:
each page is loaded once and checked in the four combinations."""
import json
import re
import os
import subprocess
import sys
import time

from quiretest import OUTDIR, SRCDIR, ok, done

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from admin import install_playwright, deps, here  # noqa: E402
import blogpages  # noqa: E402

HEADERS_KEPT = ("content-type", "content-security-policy", "x-frame-options", "x-content-type-options",
                "referrer-policy", "cache-control", "content-language")


def dark_is_colours_only():
    """True when every declaration in the stylesheet's prefers-color-scheme: dark blocks sets a
    colour variable (--name: #hex): then dark mode changes no layout, and axe.js runs only the
    colour rules in dark."""
    with open(os.path.join(SRCDIR, "static", "quire.css")) as f:
        css = re.sub(r"/\*.*?\*/", "", f.read(), flags=re.S)
    blocks = re.findall(r"@media\s*\(prefers-color-scheme:\s*dark\)\s*\{\s*:root\s*\{([^}]*)\}\s*\}", css)
    decls = [d.strip() for blk in blocks for d in blk.split(";") if d.strip()]
    bad = [d for d in decls if not re.fullmatch(r"--[a-z-]+:\s*#[0-9a-fA-F]{3,8}", d)]
    n = len(re.findall(r"prefers-color-scheme", css))
    return ok(blocks and n == len(blocks) and not bad, "the dark scheme only changes colour variables", (n, blocks, bad))


def main():
    started = time.time()
    dark_is_colours_only()
    b = blogpages.build("axe")
    built = time.time()
    only = os.environ.get("QUIRE_AXE_PAGES")  # a regular expression: check only those pages (while debugging)
    pages = blogpages.pages(b, skip=() if only else blogpages.VARIANTS)
    print("# built in %.1f s, %d pages fetched in %.1f s" % (built - started, len(pages), time.time() - built))
    work = os.path.join(b.s.dir, "axe-pages")
    os.makedirs(work, exist_ok=True)
    os.makedirs(OUTDIR, exist_ok=True)
    manifest = {"base": b.s.base, "pages": []}
    for name, path, r in pages:
        if only and not re.search(only, name):
            continue
        if not ok(r.status in (200, 401, 404, 410, 422) and "text/html" in (r.header("content-type") or ""),
                  "%s (%s) answers an HTML page" % (name, path), (r.status, r.headers)):
            continue
        f = os.path.join(work, name + ".html")
        with open(f, "wb") as out:
            out.write(r.raw)
        headers = {k: v for k, v in r.headers.items() if k in HEADERS_KEPT}
        manifest["pages"].append({"name": name, "path": path, "status": r.status, "headers": headers, "file": f,
                                  "shot": name in ("article-one-comment", "post-edit")})
    ok(only or len(manifest["pages"]) >= 40, "%d page types to check" % len(manifest["pages"]))
    mf = os.path.join(work, "manifest.json")
    with open(mf, "w") as out:
        json.dump(manifest, out)
    env = dict(os.environ, NODE_PATH=os.path.join(deps, "node_modules"))
    p = subprocess.run(["node", os.path.join(here, "axe.js"), mf, OUTDIR], capture_output=True, text=True, env=env,
                       timeout=300)
    checks = [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]
    want = len(manifest["pages"]) * 4 + 1
    ok(len(checks) == want, "axe.js reported %d checks (%d pages x 2 modes x 2 widths + 1)" % (want, len(manifest["pages"])),
       "got %d\n%s\n%s" % (len(checks), p.stdout[-1000:], p.stderr[-1500:]))
    for c in checks:
        ok(c["ok"], "axe: " + c["desc"], c["detail"])
    for line in p.stderr.splitlines()[-40:]:
        print("# " + line)
    print("# %d pages, %.1f s" % (len(manifest["pages"]), time.time() - started))


if __name__ == "__main__" and install_playwright():
    main()
    done()
