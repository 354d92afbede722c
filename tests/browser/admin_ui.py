"""browser/admin_ui: the admin's own layout in headless Chromium (tests/browser/admin_ui.js): the
dashboard at 1280 and 375 pixels (no horizontal scroll of the page on a phone) and in dark mode,
select all then bulk approve, the reply box opened on demand, editing a comment. Screenshots:
dashboard light, dark and phone, the comment list."""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quiretest import Stack, done  # noqa: E402
from admin import install_playwright, run_script  # noqa: E402

if install_playwright():
    s = Stack("browser-admin-ui", config="[comments]\nmin_seconds = 0\nrate_limit = 0\nmoderation = all\n")
    s.user("Ada Lovelace", "ada@example.org")
    s.import_post({"title": "Hello harbour", "slug": "hello", "date": "2026-01-01", "author": "Ada Lovelace"},
                  "The harbour at dawn.\n")
    s.import_post({"title": "Half-written tides", "slug": "tides", "date": "2026-01-02", "draft": "true",
                   "author": "Ada Lovelace"}, "Tides, to be continued.\n")
    s.start()
    for i, (who, text) in enumerate((("Reader One", "The first held comment, about boats."),
                                     ("Reader Two", "A second one, with a question about the tides?"),
                                     ("Reader Three", "Third: " + "a long first line that goes on " * 8))):
        tok = re.search(r'name="token" value="([^"]+)"', s.get("/posts/hello").body).group(1)
        s.post("/posts/hello/comments", {"author": who, "email": "r%d@example.org" % i, "url": "",
                                         "comment": text, "token": tok})
    run_script("admin_ui.js", s, 18, ("admin-dashboard.png", "admin-dashboard-dark.png",
                                      "admin-dashboard-phone.png", "admin-ui-comments.png"))
done()
