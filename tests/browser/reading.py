"""browser/reading: a real headless Chromium reads the demo-like blog: the DOM it builds, the
requests it makes (none to another host), and screenshots for a human to look at."""
import os
import re
import subprocess
import tempfile

from quiretest import Stack, OUTDIR, ok, eq, contains, lacks, done

CHROMIUM = "/usr/bin/chromium"


def chromium(*args):
    profile = tempfile.mkdtemp(prefix="quire-chromium-")
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,900"] + list(args)
    p = subprocess.run(cmd, capture_output=True, timeout=90)
    subprocess.run(["rm", "-rf", profile])
    return p


s = Stack("browser")
s.user("Ada Lovelace", "ada@example.org", bio="Analyst.")
s.import_post({"title": "A harbour at dawn", "slug": "harbour", "date": "2026-03-01", "tags": "photos",
        "author": "Ada Lovelace"}, "Morning *light*.\n\n![Boats](/static/favicon.svg)\n*Boats, waiting.*\n")
s.import_post({"title": "Evening <b>notes</b>", "slug": "notes", "date": "2026-03-02", "author": "Ada Lovelace"})
s.start()
os.makedirs(OUTDIR, exist_ok=True)

p = chromium("--dump-dom", s.base + "/posts/harbour")
dom = p.stdout.decode("utf-8", "replace")
ok(p.returncode == 0, "chromium loaded the article", p.stderr.decode(errors="replace")[-1500:])
contains(dom, '<h1 class="entry-title">A harbour at dawn</h1>', "the article title is in the DOM")
ok(re.search(r"<figure>\s*<img[^>]+alt=\"Boats\"", dom) is not None, "the figure is in the DOM")
contains(dom, "<figcaption>Boats, waiting.</figcaption>", "with its caption")
contains(dom, "<svg class=\"identicon\"", "the identicon renders inline")

p = chromium("--dump-dom", s.base + "/")
dom = p.stdout.decode("utf-8", "replace")
contains(dom, "Evening &lt;b&gt;notes&lt;/b&gt;", "a title with markup shows as text in the browser")
lacks(dom, "<b>notes</b>", "and never as markup")

shot = os.path.join(OUTDIR, "article.png")
p = chromium("--screenshot=" + shot, s.base + "/posts/harbour")
ok(os.path.exists(shot) and os.path.getsize(shot) > 5000, "screenshot of the article saved to " + shot)
shot = os.path.join(OUTDIR, "home-phone.png")
p = chromium("--window-size=390,844", "--screenshot=" + shot, s.base + "/")
ok(os.path.exists(shot) and os.path.getsize(shot) > 3000, "screenshot of home at phone width saved")

# every request the browser made went to nginx on loopback
log = open(os.path.join(s.dir, "nginx-access.log")).read().splitlines()
ok(len(log) >= 3, "the browser's page requests reached quire", log)
bad = [line for line in log if re.search(r'" (4\d\d|5\d\d) ', line)]
eq(bad, [], "no request the browser made failed")
done()
