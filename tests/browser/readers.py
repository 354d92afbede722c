"""browser/readers: "Save my name, email, and website" in headless Chromium: ticked, the next
article's form is filled by static/comments.js; unticked, the cookie is gone; with JavaScript off
nothing is filled; an error lands on #respond with the text kept. Screenshots of an article with
the subscribe box and of the 404 page."""
import sys
import os

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quiretest import Stack, done  # noqa: E402
from admin import install_playwright, run_script  # noqa: E402

if install_playwright():
    s = Stack("browser-readers", config="[comments]\nmin_seconds = 0\nrate_limit = 0\n")
    s.user("Ada Lovelace", "ada@example.org", bio="Writes about harbours.")
    s.import_post({"title": "Harbour at dawn", "slug": "one", "date": "2026-01-01", "author": "Ada Lovelace",
                   "tags": "harbour"}, "The harbour at dawn, in a few words.\n")
    s.import_post({"title": "Boats at noon", "slug": "two", "date": "2026-01-02", "author": "Ada Lovelace"},
                  "Boats.\n")
    s.start()
    run_script("readers.js", s, 20, ("readers-article.png", "readers-respond-error.png", "readers-404.png"))
done()
