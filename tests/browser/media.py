"""browser/media: headless Chromium in the media library (tests/browser/media.js): two images
uploaded at once, one used in a post (its srcset loads), the used one refused deletion, the other
deleted, the Markdown copied with the Copy button; a screenshot of the library."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quiretest import Stack, done  # noqa: E402
from admin import install_playwright, run_script  # noqa: E402

GDIMG = os.path.join(os.environ.get("QUIRE_BUILDDIR", "."), "tests", "gdimg")

if install_playwright():
    s = Stack("browser-media")
    s.user("Ada Lovelace", "ada@example.org")
    s.start()
    work = tempfile.mkdtemp(prefix="files-", dir=s.dir)
    files = []
    for fname, kind, w, h in (("boats.jpg", "jpg", 1800, 1200), ("chart.png", "png", 700, 400)):
        path = os.path.join(work, fname)
        subprocess.run([GDIMG, "make", kind, str(w), str(h), path], check=True)
        files.append(path)
    os.environ["QUIRE_MEDIA_FILES"] = ":".join(files)
    run_script("media.js", s, 12, ("admin-media-library.png",))
done()
