"""feeds: content that leaves the site, read as a feed reader and a mail client read it. Every Atom
feed (the site's, all comments, a post's comments, a page's comments) through Debian's
feedparser: not bozo, every URL inside content and summary absolute (checked in the raw XML, not
after feedparser's own resolving), ids stable and unique, self and alternate links right; the
article's autodiscovery of its comment feed; and the new-post mail in the SMTP sink carrying the
whole post, with inline styles and absolute URLs, in HTML and in text."""
import html.parser
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

from quiretest import SRCDIR, Stack, SmtpSink, ok, eq, contains, lacks, done

try:
    import feedparser
except ImportError:  # test.sh installs python3-feedparser; without it this test fails, never skips
    feedparser = None
ok(feedparser is not None, "feedparser is importable (Debian's python3-feedparser, run with /usr/bin/python3)",
   sys.executable)
if feedparser is None:
    done()

ATOM = "{http://www.w3.org/2005/Atom}"
LAST = "The harbour sleeps at last, and so do we."
BODY = """Read [the other post](/posts/escaping-by-default) first, or [this one](escaping-by-default), or
[its source](https://example.net/src) or [write](mailto:ada@example.org).[^1]

![Boats in the harbour](/media/boats.jpg)
*Boats waiting for the tide.*

| Boat | Length |
|------|--------|
| Ada  | 9 m    |

```c
int main(void) { return puts("tide"); }
#define HIGH \\
  1
```

A link [back to the top](#top) of this page.

%s

[^1]: A footnote with a [link](/static/quire.css).
""" % LAST

mails = os.path.join(os.environ.get("TMPDIR", "/tmp"), "quire-feeds-%d" % os.getpid())
sink = SmtpSink(mails).start()
s = Stack("feeds", config="[mail]\nsmtp_url = smtp://127.0.0.1:%d\nfrom = blog@example.org\nretry_base = 1\n"
                          "starttls = no\n[comments]\nmin_seconds = 0\nrate_limit = 0\nmoderation = none\n" % sink.port)
s.user("Ada Lovelace", "ada@example.org")
s.import_post({"title": "Escaping by default", "slug": "escaping-by-default", "date": "2026-01-01",
               "author": "Ada Lovelace"}, "See [the harbour](/posts/harbour) and ![a chart](../media/c.png).\n")
db = sqlite3.connect(s.db, isolation_level=None)
db.execute("INSERT INTO subscribers(email, status, wants_posts, created_at, confirmed_at) "
           "VALUES('reader@example.org', 'confirmed', 1, 0, 0)")
# the image's size as an upload records it: wider than the mail's column
db.execute("INSERT INTO media_sizes(name, width, height) VALUES('boats.jpg', 1088, 700)")
s.start()
jar, csrf = s.login("Ada Lovelace")


def save(title, slug, body, kind="post"):
    return s.post("/admin/posts", {"csrf": csrf, "title": title, "slug": slug, "body": body, "excerpt": "",
                                   "tags": "sea", "date": "", "has_comment_box": "1", "allow_comments": "1",
                                   "action": "publish", "has_kind": "1", "kind": kind, "parent": "",
                                   "menu_order": ""}, jar=jar)


eq(save("A harbour at dawn", "harbour", BODY).status, 303, "publish a post with links, an image, a table, code")
eq(save("About us", "about", "We are [here](/posts/harbour).\n", kind="page").status, 303, "publish a page")
for path, text in (("/posts/harbour/comments", "Nice! See [the other](/posts/escaping-by-default) and <https://example.com/x>."),
                   ("/posts/harbour/comments", "A second comment, [relative](escaping-by-default)."),
                   ("/posts/about/comments", "A comment on the page, [home](/).")):
    page = s.get(path.replace("/comments", "").replace("/posts/about", "/about")).body
    tok = re.search(r'name="token" value="([^"]+)"', page)
    r = s.post(path, {"author": "Reader", "email": "r@example.org", "url": "", "comment": text,
                      "token": tok.group(1) if tok else ""})
    ok(r.status == 303, "comment posted on %s" % path, r.status)


class Urls(html.parser.HTMLParser):
    """Every URL-valued attribute in an HTML fragment."""

    def __init__(self):
        super().__init__()
        self.urls = []
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        for k, v in attrs:
            if k in ("href", "src", "poster", "cite") and v is not None:
                self.urls.append(v)
            elif k == "srcset" and v:
                self.urls += [c.strip().split()[0] for c in v.split(",") if c.strip()]


def urls_of(fragment):
    p = Urls()
    p.feed(fragment)
    p.close()
    return p


def absolute(u):
    return re.match(r"^(https?://[^/\s]+|mailto:)", u) is not None


def check_feed(path, alternate, min_entries, title_part):
    r = s.get(path)
    eq(r.status, 200, "%s answers" % path)
    contains(r.header("Content-Type") or "", "application/atom+xml", "%s is Atom" % path)
    f = feedparser.parse(r.body.encode("utf-8"), resolve_relative_uris=False, sanitize_html=False)
    ok(not f.bozo, "%s: feedparser finds it well-formed" % path, f.get("bozo_exception"))
    eq(f.version, "atom10", "%s: Atom 1.0" % path)
    links = {l.get("rel"): l.get("href") for l in f.feed.get("links", [])}
    eq(links.get("self"), s.base + path, "%s: the self link is its own absolute address" % path)
    eq(links.get("alternate"), alternate, "%s: the alternate link is the page it follows" % path)
    contains(f.feed.get("title", ""), title_part, "%s: titled" % path)
    ok(f.feed.get("id") and f.feed.get("updated"), "%s: feed id and updated" % path)
    ok(len(f.entries) >= min_entries, "%s: at least %d entries" % (path, min_entries), len(f.entries))
    ids = [e.get("id") for e in f.entries]
    eq(len(set(ids)), len(ids), "%s: entry ids unique" % path)
    ok(all(i and absolute(i) for i in ids), "%s: entry ids are absolute URLs" % path, ids)
    ok(all(e.get("updated") and e.get("published") for e in f.entries), "%s: every entry has dates" % path)
    ok(all(e.get("author") for e in f.entries), "%s: every entry has an author" % path)
    ok(all(absolute(e.get("link", "")) for e in f.entries), "%s: every entry links to an absolute address" % path)
    again = feedparser.parse(s.get(path).body.encode("utf-8"))
    eq([e.get("id") for e in again.entries], ids, "%s: ids stable across fetches" % path)
    # RFC 4287's RELAX NG schema (tests/data/atom.rnc) with jing; jing missing is a failure
    jing = shutil.which("jing")
    ok(jing is not None, "jing is installed (Debian package jing; test.sh installs it)")
    if jing:
        with tempfile.NamedTemporaryFile("wb", suffix=".xml", delete=False) as t:
            t.write(r.body.encode("utf-8"))
        p = subprocess.run([jing, "-c", os.path.join(SRCDIR, "tests", "data", "atom.rnc"), t.name],
                           capture_output=True, text=True, timeout=120)
        os.unlink(t.name)
        ok(p.returncode == 0, "%s: valid against RFC 4287's RELAX NG schema (jing)" % path, p.stdout + p.stderr[-500:])
    # the raw XML, as readers that ignore xml:base see it: every URL in content and summary absolute
    root = ET.fromstring(r.body.encode("utf-8"))
    lacks(r.body, "xml:base", "%s: relies on no xml:base" % path)
    found, bad = 0, []
    for e in root.iter(ATOM + "entry"):
        for el in list(e.iter(ATOM + "content")) + list(e.iter(ATOM + "summary")):
            frag = el.text or ""
            if el.get("type") not in ("html", "xhtml"):
                continue
            for u in urls_of(frag).urls:
                found += 1
                if not absolute(u):
                    bad.append(u)
    ok(found > 0, "%s: its content has URLs to check" % path, found)
    eq(bad, [], "%s: every href/src in content is absolute" % path)
    return f, r.body


# --- the site's feed
f, body = check_feed("/feed.atom", s.base + "/", 2, "Test blog")
post = next(e for e in f.entries if e.title == "A harbour at dawn")
eq(post.link, s.base + "/posts/harbour", "the entry links to the post")
c = post.content[0].value
contains(c, 'href="%s/posts/escaping-by-default"' % s.base, "a path made absolute")
eq(c.count('href="%s/posts/escaping-by-default"' % s.base), 2, "a relative name resolved against the post")
contains(c, 'src="%s/media/boats.jpg"' % s.base, "the image src absolute")
contains(c, 'href="%s/posts/harbour#top"' % s.base, "a fragment names the post")
contains(c, 'href="%s/static/quire.css"' % s.base, "the footnote's link absolute")
contains(c, 'href="mailto:ada@example.org"', "mailto: kept")
contains(c, 'href="https://example.net/src"', "https: kept")
contains(c, LAST, "the whole post is in the content")
other = next(e for e in f.entries if e.title == "Escaping by default")
contains(other.content[0].value, 'src="%s/media/c.png"' % s.base, "../media resolved")
lacks(body, ">About us<", "pages are not in the site feed")

# --- comments: the site's, a post's, a page's
check_feed("/comments.atom", s.base + "/", 3, "Comments on")
f, _ = check_feed("/posts/harbour/comments.atom", s.base + "/posts/harbour", 2, "A harbour at dawn")
eq(len(f.entries), 2, "the post's comment feed has its two comments only")
ok(all(e.link.startswith(s.base + "/posts/harbour#comment-") for e in f.entries), "entries link to the comments")
joined = " ".join(e.content[0].value for e in f.entries)
contains(joined, 'href="%s/posts/escaping-by-default"' % s.base, "a comment's relative links resolved")
f, _ = check_feed("/posts/about/comments.atom", s.base + "/about", 1, "About us")
ok(all(e.link.startswith(s.base + "/about#comment-") for e in f.entries), "a page's comments link to the page",
   [e.link for e in f.entries])
ok(all(e.id.startswith(s.base + "/posts/about#comment-") for e in f.entries),
   "their ids keep the form they always had", [e.id for e in f.entries])

# --- autodiscovery on the article
r = s.get("/posts/harbour")
m = re.search(r'<link rel="alternate" type="application/atom\+xml" title="(Comments on [^"]*)" href="([^"]*)/comments\.atom">',
              r.body)
ok(m is not None and "A harbour at dawn" in m.group(1), "the article announces its own comment feed", m and m.group(0))
if m:
    eq(m.group(2), "/posts/harbour", "at the post's comment feed address")
    eq(s.get(m.group(2) + "/comments.atom").status, 200, "which answers")
contains(r.body, 'title="Test blog" href="/feed.atom"', "the site feed is still announced")
contains(s.get("/about").body, 'title="Comments on “About us”" href="/posts/about/comments.atom"',
         "a page announces its comment feed too")
lacks(s.get("/").body, "Comments on “", "the home page announces no post's comment feed")

# --- the newsletter: the whole post, styled inline, absolute
msgs = sink.wait("reader@example.org", 1)
eq(len(msgs), 1, "the subscriber gets one mail for the post")
if msgs:
    m = msgs[0]
    html_part = m.get_body(preferencelist=("html",)).get_content()
    text = m.get_body(preferencelist=("plain",)).get_content()
    contains(html_part, LAST, "HTML: the post's last paragraph")
    ok(re.search(r"<pre[^>]*style=\"[^\"]*monospace[^\"]*white-space:pre-wrap", html_part),
       "HTML: the code block in a monospace, wrapping <pre>")
    contains(html_part, "int main(void) { return puts(&quot;tide&quot;); }", "HTML: the code itself")
    ok(re.search(r'<img src="%s/media/boats\.jpg"[^>]*style="[^"]*max-width:100%%' % re.escape(s.base), html_part),
       "HTML: the image, absolute, max-width:100%")
    ok(re.search(r'<img src="%s/media/boats\.jpg"[^>]*width="544" height="350"' % re.escape(s.base), html_part),
       "HTML: a width that fits the 600 px column (Outlook ignores max-width), height scaled")
    ok(re.search(r'<td[^>]*style="[^"]*border:1px solid', html_part), "HTML: table cells with borders")
    ok(re.search(r'<p style="[^"]*font-family', html_part), "HTML: paragraphs styled inline")
    ok(re.search(r'<a[^>]*href="%s/posts/harbour"[^>]*>Read it on the site</a>' % re.escape(s.base), html_part),
       "HTML: the read-online link")
    ok(re.search(r'href="%s/unsubscribe\?id=\d+&amp;token=' % re.escape(s.base), html_part), "HTML: the unsubscribe link")
    contains(html_part, 'width="600"', "HTML: a 600 px single column")
    contains(html_part, "Test blog</a>", "HTML: the site's name at the top")
    lacks(html_part, "<style", "HTML: no style sheet")
    lacks(html_part, "<link", "HTML: nothing external")
    p = urls_of(html_part)
    eq([u for u in p.urls if not absolute(u)], [], "HTML: every URL absolute")
    for tag, attrs in p.tags:
        if tag in ("p", "pre", "code", "img", "table", "td", "th", "h1", "li", "blockquote"):
            if "style" not in attrs:
                ok(False, "HTML: <%s> has an inline style" % tag, attrs)
                break
    else:
        ok(True, "HTML: every content element has an inline style")
    contains(text, LAST.split(", ")[0], "text: the last paragraph")
    contains(text, 'return puts("tide");', "text: the code")
    contains(text, "#define HIGH \\\n  1", "text: a code line's own backslash kept")
    lacks(text.replace("HIGH \\\n", ""), "\\\n", "text: no Markdown hard-break backslashes")
    contains(text, s.base + "/posts/escaping-by-default", "text: links absolute")
    contains(text, s.base + "/media/boats.jpg", "text: the image's address")
    contains(text, "Read it on the site: %s/posts/harbour" % s.base, "text: the read-online link")
    ok(re.search(r"Unsubscribe:\s+%s/unsubscribe\?id=\d+&token=" % re.escape(s.base), text), "text: the unsubscribe link")
    ok(not re.search(r"\]\((/|#)", text), "text: no relative Markdown link", text)
    ok(all(len(l) <= 72 or " " not in l for l in text.splitlines()), "text: lines wrap at 72 columns")
    # the whole post must not make the mail look like spam (mail_relay.py scores a short one)
    sa = shutil.which("spamassassin")
    ok(sa is not None, "spamassassin is installed (Debian package spamassassin; test.sh installs it)")
    eml = [os.path.join(mails, n) for n in sorted(os.listdir(mails)) if n.endswith("-reader@example.org.eml")]
    if sa and eml:
        p = subprocess.run([sa, "-L", "-t", "--cf=use_bayes 0", "--cf=score ALL_TRUSTED 0"], stdin=open(eml[0], "rb"),
                           capture_output=True, timeout=120)
        report = p.stdout.decode("utf-8", errors="replace")
        m = re.search(r"^X-Spam-Status: \w+, score=(-?[0-9.]+)", report, re.M)
        ok(m and float(m.group(1)) <= 0, "SpamAssassin scores the whole-post mail at or below 0",
           re.findall(r"^X-Spam-Status:.*(?:\n\s+.*)*", report, re.M))
done()
