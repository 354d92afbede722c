"""browser/users: headless Chromium (tests/browser/users.js) through the users flows: an admin adds
an author, the set-password mail (read from the SMTP sink) opens the form, the author logs in,
writes a post, cannot open the admin's post nor the admin-only pages (403); forgot password ->
mail -> reset -> login; a photo uploaded on the profile shows in the author box of an article."""
import json
import os
import sqlite3
import struct
import subprocess
import sys
import tempfile
import zlib

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
from admin import deps, install_playwright  # noqa: E402
from quiretest import Stack, SmtpSink, OUTDIR, ok, done  # noqa: E402


def png(w, h):
    raw = b"".join(b"\0" + b"".join(bytes((40 + x % 200, 90 + y % 100, 160)) for x in range(w)) for y in range(h))
    def chunk(t, d):
        return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


if __name__ == "__main__" and install_playwright():
    mails = tempfile.mkdtemp(prefix="quire-busers-mail-", dir=os.environ.get("TMPDIR", "/tmp"))
    sink = SmtpSink(mails).start()
    s = Stack("browser-users", config="[mail]\nsmtp_url = smtp://127.0.0.1:%d\nfrom = blog@example.org\n"
                                      "retry_base = 1\nstarttls = no\n" % sink.port)
    s.user("Ada Lovelace", "ada@example.org", bio="Analyst.")
    s.import_post({"title": "Ada's post", "slug": "ada-post", "date": "2026-01-01", "author": "Ada Lovelace"})
    s.start()
    ada_post = sqlite3.connect(s.db).execute("SELECT id FROM posts WHERE slug = 'ada-post'").fetchone()[0]
    photo = os.path.join(s.dir, "portrait.png")
    with open(photo, "wb") as f:
        f.write(png(240, 320))
    os.makedirs(OUTDIR, exist_ok=True)
    env = dict(os.environ, NODE_PATH=os.path.join(deps, "node_modules"))
    p = subprocess.run(["node", os.path.join(here, "users.js"), s.base, OUTDIR, mails, str(ada_post), photo],
                       capture_output=True, text=True, env=env, timeout=180)
    checks = [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]
    ok(len(checks) >= 18, "users.js reported its checks", p.stdout[-1000:] + p.stderr[-1500:])
    for c in checks:
        ok(c["ok"], "browser: " + c["desc"], c["detail"])
    for shot in ("users-list.png", "users-set-password.png", "users-author-403.png", "users-profile.png",
                 "users-article-photo.png", "users-forgot.png"):
        f = os.path.join(OUTDIR, shot)
        ok(os.path.exists(f) and os.path.getsize(f) > 5000, "screenshot saved: " + f)
    done()
