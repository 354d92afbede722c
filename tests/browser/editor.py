"""browser/editor: an editor that never loses work, in headless Chromium (tests/browser/editor.js):
every typed field intact after an image upload with JavaScript on (beside the form) and off
(inside it); the autosave, then a changed tab closed (beforeunload, beacon): the draft keeps the
text; a revision compared and restored. Screenshots: editor.png, editor-revision-diff.png,
editor-nojs-upload.png."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from quiretest import Stack, done  # noqa: E402
from admin import install_playwright, run_script  # noqa: E402

if install_playwright():
    s = Stack("browser-editor", config="[site]\ntimezone = Europe/Berlin\n")
    s.user("Ada Lovelace", "ada@example.org")
    s.start()
    run_script("editor.js", s, 30, ("editor.png", "editor-revision-diff.png", "editor-nojs-upload.png"))
done()
