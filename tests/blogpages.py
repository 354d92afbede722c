"""blogpages: a realistic blog on a real stack (posts with Markdown code, tables, images and
footnotes, threaded comments over several comment pages, mentions, tags, two authors, pages and a
child page, date archives, drafts, a scheduled post, subscribers, a held comment) and every page
type a reader or an author can reach, fetched with curl. tests/integration/validate_html.py runs
the Nu Html Checker over them; tests/browser/axe.py runs axe-core in Chromium over the same set."""
import os
import re
import sqlite3
import struct
import time
import zlib

from quiretest import Stack, SmtpSink

PASSWORD = "correct horse battery"

POSTS = [
    # (slug, front matter, body)
    ("welcome", {"title": "Welcome to the harbour", "date": "2024-03-05T08:00:00Z", "tags": "news, harbour",
                 "author": "Ada Lovelace"},
     "The first post of this blog, with a [link to the sea](https://example.org/sea) and **strong** words.\n\n"
     "> A quote from somebody wise, over two lines\n> that go on.\n\n- one\n- two\n  - two and a half\n- three\n"),
    ("code-and-tables", {"title": "Code, tables & <footnotes>", "date": "2024-03-20T09:30:00Z",
                         "tags": "code, news", "author": "Grace Hopper", "sticky": "true"},
     "Some C, with a line long enough to scroll sideways on a phone:\n\n```c\n"
     "static int answer(void) { return printf(\"%s %s %s\\n\", \"a very long line of code\", "
     "\"that does not fit on a phone\", \"nor on a small laptop screen either\"); }\n```\n\n"
     "Inline `code`, ~~gone~~ text and a footnote.[^1]\n\n"
     "| Language | Year | Designer | Paradigm | Typing | Notes |\n"
     "|----------|-----:|----------|----------|--------|-------|\n"
     "| C | 1972 | Dennis Ritchie | imperative | static, weak | portable assembly with a long tail of history |\n"
     "| COBOL | 1959 | Grace Hopper et al. | imperative | static | business records, still running banks |\n"
     "| Lisp | 1958 | John McCarthy | functional | dynamic | code is data |\n\n"
     "1. first\n2. second\n\n[^1]: The footnote's text, with `code`.\n"),
    ("harbour-at-dawn", {"title": "A harbour at dawn", "date": "2025-06-01T06:30:00Z", "tags": "photos, harbour",
                         "author": "Grace Hopper"},
     "Boats at first light.\n\n![Boats in the harbour](/static/demo/harbour.svg)\n*Boats waiting for the tide.*\n\n"
     "An image without a caption:\n\n![A second view of the harbour](/static/demo/harbour.svg)\n\n"
     "And a plain link to www.example.org.\n"),
    ("quiet-post", {"title": "A quiet post", "date": "2025-06-10T12:00:00Z", "tags": "news",
                    "author": "Ada Lovelace"},
     "Nobody has said anything here yet.\n"),
    ("closed-post", {"title": "Comments closed here", "date": "2025-07-01T12:00:00Z", "tags": "news",
                     "author": "Ada Lovelace"},
     "This post no longer takes comments.\n"),
    ("talk", {"title": "Let us talk", "date": "2026-01-15T10:00:00Z", "tags": "harbour, talk",
              "author": "Ada Lovelace"},
     "Tell me what you think. Here is some `code` and a list:\n\n* alpha\n* beta\n"),
    ("older-one", {"title": "An older note", "date": "2023-11-02T10:00:00Z", "tags": "notes",
                   "author": "Grace Hopper"},
     "A note from an earlier year.\n"),
    ("draft-post", {"title": "An unfinished draft", "date": "2026-02-01", "draft": "true",
                    "author": "Ada Lovelace"},
     "Not ready yet.\n"),
]

COMMENT_BODIES = [
    "A first thought, with a [link](https://example.org/thought).",
    "I disagree, and here is why:\n\n```\nsome code that is quite a bit longer than the column it sits in, "
    "so it scrolls sideways inside the comment\n```",
    "Short and *sweet*.",
    "See https://example.org/page for more.",
    "- a list\n- in a comment",
    "> quoting the post\n\nand answering it.",
]


def png_bytes(w=8, h=6):
    """A small valid PNG (RGB), for the admin's upload page."""
    raw = b"".join(b"\x00" + b"".join(bytes((x * 30 % 256, y * 40 % 256, 120)) for x in range(w)) for y in range(h))
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class Blog:
    """The stack, the database and what building it found out (ids, links)."""

    def __init__(self, name):
        self.mails = None
        self.name = name
        self.tokens = {}
        self.readers = 0

    def q(self, sql, *args):
        row = self.db.execute(sql, args).fetchone()
        return row[0] if row else None

    def token(self, slug, query=""):
        r = self.s.get("/posts/%s%s" % (slug, query))
        m = re.search(r'name="token" value="([^"]+)"', r.body)
        return m.group(1) if m else ""

    def comment(self, slug, name, body, parent="", email=None, url=""):
        """Posts a comment as a reader; returns the response (303 to the comment or the held page).
        A form token posts one comment per reader address: each comment comes from its own."""
        if slug not in self.tokens:
            self.tokens[slug] = self.token(slug)
        self.readers += 1
        data = {"author": name, "email": email or ("%s@example.org" % name.split()[0].lower()), "url": url,
                "comment": body, "token": self.tokens[slug], "parent": str(parent)}
        return self.s.post("/posts/%s/comments" % slug, data, source="127.0.%d.%d" % divmod(self.readers + 10, 250))

    def save(self, fields, post_id=None):
        base = {"csrf": self.csrf, "slug": "", "excerpt": "", "tags": "", "date": "", "has_comment_box": "1",
                "allow_comments": "1", "has_kind": "1", "kind": "post", "parent": "", "menu_order": "",
                "has_sticky_box": "1", "action": "publish"}
        base.update(fields)
        return self.s.post("/admin/posts/%d" % post_id if post_id else "/admin/posts", base, jar=self.jar)

    def saved_id(self, r):
        m = re.match(r"/admin/posts/(\d+)/edit", r.header("location") or "")
        if not m:
            raise RuntimeError("save failed: %d %s" % (r.status, r.body[:300]))
        return int(m.group(1))


def build(name):
    """A Blog with its stack started and filled."""
    b = Blog(name)
    b.mails = os.path.join(os.environ.get("TMPDIR", "/tmp"), "quire-%s-mail-%d" % (name, os.getpid()))
    os.makedirs(b.mails, exist_ok=True)
    b.sink = SmtpSink(b.mails).start()
    s = b.s = Stack(name, config="[comments]\nmin_seconds = 0\nrate_limit = 0\nmoderation = none\nper_page = 3\n"
                    "disallowed_words = casino\n[stats]\nflush_seconds = 1\n[mail]\nsmtp_url = smtp://127.0.0.1:%d\n"
                    "from = blog@example.org\nretry_base = 1\n" % b.sink.port)
    s.user("Ada Lovelace", "ada@example.org", bio="Writes about engines & numbers.", password=PASSWORD)
    s.user("Grace Hopper", "grace@example.org", bio="", password=PASSWORD)
    files = []
    for slug, front, body in POSTS:
        front = dict(front, slug=slug)
        path = os.path.join(s.dir, "%s.md" % slug)
        with open(path, "w", encoding="utf-8") as f:
            f.write("---\n" + "".join("%s: %s\n" % kv for kv in front.items()) + "---\n" + body)
        files.append(path)
    from quiretest import run
    rc, out, err = run(["post", "import", "--db", s.db] + files)
    if rc != 0:
        raise RuntimeError("post import failed: " + err)
    b.db = sqlite3.connect(s.db, isolation_level=None)
    b.db.execute("UPDATE posts SET comments_closed = 1 WHERE slug = 'closed-post'")
    s.start()
    b.jar, b.csrf = s.login("Ada Lovelace", PASSWORD)

    # pages: a top-level page in the menu, a child page, a page draft
    about = b.saved_id(b.save({"title": "About this blog", "slug": "about", "kind": "page", "menu_order": "1",
                               "body": "Who writes here, and why.\n\n## Contact\n\nWrite to us."}))
    b.team = b.saved_id(b.save({"title": "The team", "slug": "team", "kind": "page", "parent": str(about),
                                "body": "Ada and Grace."}))
    b.about = about
    # a scheduled post (in the future) made in the editor
    b.scheduled = b.saved_id(b.save({"title": "Coming soon", "slug": "coming-soon", "body": "Later.",
                                     "date": "2099-01-01T10:00", "action": "schedule", "tags": "news"}))
    b.draft = b.q("SELECT id FROM posts WHERE slug = 'draft-post'")
    b.post_id = b.q("SELECT id FROM posts WHERE slug = 'code-and-tables'")

    # threaded comments over several comment pages (3 top-level comments a page)
    b.first_comment = None
    for i in range(7):
        r = b.comment("talk", ["Jane Reader", "Tom Visitor", "Ana Commenter"][i % 3],
                      "%s\n\n(Comment %d.)" % (COMMENT_BODIES[i % len(COMMENT_BODIES)], i + 1), url="https://example.org/~r%d" % i if i % 2 else "")
        cid = b.q("SELECT max(id) FROM comments")
        b.first_comment = b.first_comment or cid
        if i in (1, 6):
            parent = cid
            for depth in range(3):
                b.comment("talk", "Ada Lovelace" if depth % 2 == 0 else "Tom Visitor",
                          "A reply at depth %d. %s" % (depth + 2, COMMENT_BODIES[depth]), parent=parent,
                          email="ada@example.org" if depth % 2 == 0 else None)
                parent = b.q("SELECT max(id) FROM comments")
    b.comment("code-and-tables", "Jane Reader", "A single comment, with `code`.")
    # mentions: a pingback and a trackback, as a WordPress import brings them
    talk = b.q("SELECT id FROM posts WHERE slug = 'talk'")
    for kind, who, url in (("pingback", "Another blog » On talking", "https://other.example/talking"),
                           ("trackback", "A third blog", "https://third.example/t")):
        b.db.execute("INSERT INTO comments(post_id, author_name, author_email, author_url, body, body_html, status, "
                     "created_at, kind) VALUES(?, ?, '', ?, 'Linked.', '<p>Linked.</p>', 'approved', ?, ?)",
                     (talk, who, url, int(time.time()), kind))
    # a held comment (a disallowed word), with its moderation link
    r = b.comment("quiet-post", "Sam Spammer", "Visit my casino, it has a good view.")
    b.held_url = (r.header("location") or "").split("#")[0]
    b.held_id = b.q("SELECT max(id) FROM comments")
    # comments in the spam and trash bins
    for action in ("spam", "trash"):
        b.comment("welcome", "Bin Person", "Something for the %s bin." % action)
        cid = b.q("SELECT max(id) FROM comments")
        s.post("/admin/comments/%d" % cid, {"csrf": b.csrf, "action": action, "back": "approved"}, jar=b.jar)
    b.reply_to = b.first_comment

    # subscribers: one confirms (from the mail), one stays pending
    s.post("/subscribe", {"email": "reader@example.org"})
    s.post("/subscribe", {"email": "pending@example.org"})
    msgs = b.sink.wait("reader@example.org", 1)
    body = msgs[0].get_body(preferencelist=("plain",)).get_content() if msgs else ""
    m = re.search(r"/subscribe/confirm\?token=([0-9A-Za-z_-]+)", body)
    b.confirm_token = m.group(1) if m else ""
    b.confirm_form = s.get("/subscribe/confirm?token=" + b.confirm_token)
    b.confirmed = s.post("/subscribe/confirm", {"token": b.confirm_token})
    # a post published now reaches the subscriber, with its unsubscribe link
    b.saved_id(b.save({"title": "Fresh news", "slug": "fresh-news", "body": "Just published.", "tags": "news"}))
    msgs = b.sink.wait("reader@example.org", 2)
    b.unsubscribe = ""
    for msg in msgs:
        m = re.search(r"/unsubscribe\?id=\d+&token=[0-9a-f]+", msg.get("List-Unsubscribe") or "")
        if m:
            b.unsubscribe = m.group(0)
    return b


# pages that repeat another page's template in the same state (another filter of the same list,
# another range of the same chart, the same error page): the Nu Html Checker reads them all, axe
# (which costs about a second a page) checks the first of each kind only
VARIANTS = {"tag-page-2", "author-no-bio", "search-too-long", "subscribe-confirm-bad", "unsubscribe-bad",
            "posts-draft", "posts-scheduled", "posts-published", "posts-posts", "post-edit-draft",
            "post-edit-scheduled", "comments-done", "subscribers-pending", "subscribers-search", "stats-30",
            "stats-365", "article-reply-form"}


def pages(b, skip=()):
    """[(name, path, Response)] of every page type but those named in skip; the POST answers
    are fetched here too."""
    s = b.s
    out = []

    def add(name, path, r=None, jar=None):
        if name not in skip:
            out.append((name, path, r if r is not None else s.get(path, jar=jar)))

    # reader pages
    add("home", "/")
    add("home-page-2", "/page/2")
    add("article-comments", "/posts/talk")
    add("article-comment-page-1", "/posts/talk/comment-page/1")
    add("article-reply-form", "/posts/talk?replytocom=%d" % b.reply_to)
    add("article-one-comment", "/posts/code-and-tables")
    add("article-no-comments", "/posts/harbour-at-dawn")
    add("article-comments-closed", "/posts/closed-post")
    add("article-held-comment", b.held_url)
    r = s.post("/posts/talk/comments", {"author": "", "email": "not-an-address", "url": "javascript:x",
                                         "comment": "", "token": b.token("talk"), "parent": ""})
    add("article-comment-errors", "/posts/talk/comments", r)
    add("tag", "/tags/news")
    add("tag-page-2", "/tags/news/page/2")
    add("author", "/authors/ada-lovelace")
    add("author-no-bio", "/authors/grace-hopper")
    add("year-archive", "/2024")
    add("month-archive", "/2024/03")
    add("page", "/about")
    add("child-page", "/about/team")
    add("search-hits", "/search?q=harbour")
    add("search-page-2", "/search?q=news&page=2")
    add("search-no-hits", "/search?q=zzyzx")
    add("search-empty", "/search")
    add("search-too-long", "/search?q=" + "a" * 250)
    add("not-found", "/no/such/page")
    add("not-found-post", "/posts/no-such-post")
    add("tags-index", "/tags")
    add("subscribe-form", "/subscribe")
    add("subscribe-sent", "/subscribe", s.post("/subscribe", {"email": "another@example.org"}))
    add("subscribe-invalid", "/subscribe", s.post("/subscribe", {"email": "not an address"}))
    add("subscribe-confirm-form", "/subscribe/confirm", b.confirm_form)
    add("subscribe-confirmed", "/subscribe/confirm", b.confirmed)
    add("subscribe-confirm-bad", "/subscribe/confirm?token=nonsense")
    add("unsubscribe-form", b.unsubscribe)
    add("unsubscribed", "/unsubscribe", s.post(b.unsubscribe, {}))
    add("unsubscribe-bad", "/unsubscribe?id=1&token=00")
    # the admin
    add("login", "/admin/login")
    add("login-failed", "/admin/login", s.post("/admin/login", {"name": "Ada Lovelace", "password": "wrong"}))
    j = b.jar
    add("dashboard", "/admin/", jar=j)
    for f in ("all", "draft", "scheduled", "published", "posts", "pages"):
        add("posts-" + f, "/admin/posts?status=" + f, jar=j)
    add("post-new", "/admin/posts/new", jar=j)
    add("post-edit", "/admin/posts/%d/edit" % b.post_id, jar=j)
    add("post-edit-draft", "/admin/posts/%d/edit" % b.draft, jar=j)
    add("post-edit-scheduled", "/admin/posts/%d/edit" % b.scheduled, jar=j)
    add("page-edit-child", "/admin/posts/%d/edit" % b.team, jar=j)
    add("post-edit-errors", "/admin/posts", b.save({"title": "", "body": "x", "date": "not a date",
                                                      "slug": "admin"}))
    add("post-preview", "/admin/posts/%d/preview" % b.post_id, jar=j)
    add("post-editor-preview", "/admin/posts/%d" % b.post_id,
        b.save({"title": "Code, tables & <footnotes>", "slug": "code-and-tables", "action": "preview",
                "body": POSTS[1][2]}, post_id=b.post_id))
    png = os.path.join(s.dir, "dot.png")
    with open(png, "wb") as f:
        f.write(png_bytes())
    r = s.post("/admin/media", {"csrf": b.csrf, "post_id": str(b.post_id)}, jar=j, files={"image": ("dot.png", png)})
    add("media-uploaded", r.header("location") or "/admin/media", jar=j)
    # the editor: the upload inside the post form (the editor again, every field kept), the
    # revisions of a post and one compared with the current text
    add("post-upload-in-form", "/admin/posts/new/upload",
        s.post("/admin/posts/new/upload", {"csrf": b.csrf, "title": "Uploaded & kept", "body": "Text\nmore",
                                           "cursor": "4", "tags": "a, b", "date": "2026-03-01T10:00"},
               jar=j, files={"image": ("dot.png", png)}))
    r = s.get("/admin/posts/%d/revisions" % b.post_id, jar=j)
    add("post-revisions", "/admin/posts/%d/revisions" % b.post_id, r)
    m = re.findall(r'href="(/admin/posts/%d/revisions/\d+)"' % b.post_id, r.body)
    add("post-revision", m[-1] if m else "/admin/posts/%d/revisions/0" % b.post_id, jar=j)
    add("post-delete", "/admin/posts/%d/delete" % b.post_id, jar=j)
    for st in ("pending", "approved", "spam", "trash"):
        add("comments-" + st, "/admin/comments?status=" + st, jar=j)
    add("comments-done", "/admin/comments?status=approved&done=approved", jar=j)
    add("comment-edit", "/admin/comments/%d/edit?back=pending" % b.held_id, jar=j)
    add("subscribers", "/admin/subscribers", jar=j)
    add("subscribers-pending", "/admin/subscribers?status=pending", jar=j)
    add("subscribers-search", "/admin/subscribers?q=reader", jar=j)
    add("settings", "/admin/settings?saved=1", jar=j)
    add("settings-errors", "/admin/settings", s.post("/admin/settings", {"csrf": b.csrf, "title": "", "language": "x!",
                                                                         "posts_per_page": "0"}, jar=j))
    # users, profile, forgot password (sql/020_users.sql)
    add("users", "/admin/users", jar=j)
    add("users-error", "/admin/users", s.post("/admin/users", {"csrf": b.csrf, "name": "", "email": "x"}, jar=j))
    uid = b.q("SELECT id FROM users ORDER BY id LIMIT 1")
    add("user-delete", "/admin/users/%d/delete" % uid, jar=j)
    add("profile", "/admin/profile", jar=j)
    add("profile-error", "/admin/profile", s.post("/admin/profile/password", {"csrf": b.csrf, "current": "wrong"},
                                                   jar=j))
    add("forgot", "/admin/forgot")
    add("forgot-sent", "/admin/forgot", s.post("/admin/forgot", {"who": "nobody@example.org"}))
    add("reset-dead", "/admin/reset?token=" + "A" * 43)
    time.sleep(1.2)  # views flushed: the statistics draw their chart
    for d in (7, 30, 365):
        add("stats-%d" % d, "/admin/stats?days=%d" % d, jar=j)
    return out
