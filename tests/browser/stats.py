"""browser/stats: a screenshot of /admin/stats from headless Chromium, after a reader's visits."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quiretest import Stack, done  # noqa: E402
from admin import install_playwright, run_script  # noqa: E402

if install_playwright():
    s = Stack("browser-stats", config="[stats]\nflush_seconds = 1\n")
    s.user("Ada Lovelace", "ada@example.org")
    s.import_post({"title": "Counted post", "slug": "counted", "date": "2026-01-01", "tags": "t"})
    s.start()
    run_script("stats.js", s, 7, ("admin-stats.png",))
done()
