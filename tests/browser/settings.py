"""browser/settings: an admin renames the site in /admin/settings in headless Chromium; the next
page shows the new title; screenshots of the settings page and the renamed home page."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quiretest import Stack, done  # noqa: E402
from admin import install_playwright, run_script  # noqa: E402

if install_playwright():
    s = Stack("browser-settings", threads=3)
    s.user("Ada Lovelace", "ada@example.org")
    s.import_post({"title": "A post", "slug": "a-post", "date": "2026-01-01", "author": "Ada Lovelace"})
    s.start()
    run_script("settings.js", s, 10, ("admin-settings.png", "settings-home-renamed.png"))
done()
