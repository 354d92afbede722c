"""browser/admin: headless Chromium driven by playwright-core (tests/browser/admin.js) through the
admin: login, write, preview, publish, screenshots of the post list and the article."""
import json
import os
import shutil
import subprocess

from quiretest import Stack, OUTDIR, ok, done

here = os.path.dirname(os.path.abspath(__file__))
deps = os.path.join(os.environ.get("QUIRE_BUILDDIR", os.getcwd()), "node-deps")


def install_playwright():
    """npm ci of tests/browser/package-lock.json into the build tree (the registry is reachable;
    the browser is Debian's, never downloaded; no package's install script runs, so vnu-jar uses
    Debian's java). Installed again when the lock file changes. Browser tests run in parallel:
    one installs, the others wait on the lock."""
    import fcntl
    import hashlib
    os.makedirs(deps, exist_ok=True)
    with open(os.path.join(here, "package-lock.json"), "rb") as f:
        want = hashlib.sha256(f.read()).hexdigest()
    marker = os.path.join(deps, ".installed")
    with open(os.path.join(deps, ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if os.path.isdir(os.path.join(deps, "node_modules", "playwright-core")) and os.path.exists(marker) and \
           open(marker).read().strip() == want:
            return True
        for f in ("package.json", "package-lock.json"):
            shutil.copy(os.path.join(here, f), deps)
        env = dict(os.environ, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD="1")
        p = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefix", deps],
                           capture_output=True, text=True, env=env, timeout=300)
        if p.returncode == 0:
            with open(marker, "w") as f:
                f.write(want + "\n")
        return ok(p.returncode == 0, "npm ci installed playwright-core, axe-core and vnu-jar", p.stderr[-1500:])


def run_script(script, stack, min_checks, shots):
    """Runs a playwright script against stack and turns its JSON checks into TAP lines."""
    os.makedirs(OUTDIR, exist_ok=True)
    env = dict(os.environ, NODE_PATH=os.path.join(deps, "node_modules"))
    p = subprocess.run(["node", os.path.join(here, script), stack.base, OUTDIR, "Ada Lovelace", "correct horse battery"],
                       capture_output=True, text=True, env=env, timeout=180)
    checks = [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]
    ok(len(checks) >= min_checks, script + " reported its checks", p.stdout[-1000:] + p.stderr[-1500:])
    for c in checks:
        ok(c["ok"], "browser: " + c["desc"], c["detail"])
    for shot in shots:
        f = os.path.join(OUTDIR, shot)
        ok(os.path.exists(f) and os.path.getsize(f) > 5000, "screenshot saved: " + f)


if __name__ == "__main__" and install_playwright():
    s = Stack("browser-admin")
    s.user("Ada Lovelace", "ada@example.org", bio="Analyst.")
    s.import_post({"title": "An older post", "date": "2026-01-01", "author": "Ada Lovelace"})
    s.start()
    run_script("admin.js", s, 15, ("admin-posts.png", "admin-published-article.png"))
    done()
