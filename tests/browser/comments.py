"""browser/comments: a reader comments in headless Chromium, an admin approves it, the reader
sees it; screenshots of the held comment, the admin's list and the approved comment."""
import sys
import os

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quiretest import Stack, done  # noqa: E402
from admin import install_playwright, run_script  # noqa: E402

if install_playwright():
    s = Stack("browser-comments", config="[comments]\nmin_seconds = 0\n")
    s.user("Ada Lovelace", "ada@example.org")
    s.import_post({"title": "Hello harbour", "slug": "hello", "date": "2026-01-01", "author": "Ada Lovelace"},
                  "The harbour at dawn.\n")
    s.start()
    run_script("comments.js", s, 15, ("comment-held.png", "admin-comments.png", "comment-approved.png"))
done()
