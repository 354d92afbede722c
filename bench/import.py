#!/usr/bin/python3
"""bench/import.py: the WordPress import of a large export, timed (not a test).

Writes a WXR export like the one issue 12 measured (2,000 posts, 20,000 comments, about 29 MB:
Gutenberg paragraphs, headings, lists, links, images, threaded comments, tags and categories),
imports it into a fresh database with an optimised quire, imports it a second time (which must
change nothing), and prints wall and CPU seconds and the peak RSS of each run.

    bench/import.py                    builds build-plain/ (CFLAGS=-O2 -g) when it has no quire
    QUIRE=path/to/quire bench/import.py
    BENCH_POSTS=200 BENCH_COMMENTS=10 bench/import.py      a smaller export (comments per post)
    BENCH_KEEP=1 bench/import.py       keeps the temporary folder (export and database)
"""
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
POSTS = int(os.environ.get("BENCH_POSTS", "2000"))
COMMENTS = int(os.environ.get("BENCH_COMMENTS", "10"))  # per post
WORDS = ("the harbour at dawn boats wait for tide light over water a small town wakes slowly "
         "fishermen mend nets gulls cry along quay morning coffee bread from bakery old stone "
         "walls remember storms winter sea grey summer sea blue children run on sand").split()


def quire_binary():
    q = os.environ.get("QUIRE")
    if q:
        return q
    build = os.path.join(TOP, "build-plain")
    q = os.path.join(build, "quire")
    if not os.path.exists(q):
        if not os.path.exists(os.path.join(TOP, "configure")):
            subprocess.run(["autoreconf", "-fi"], cwd=TOP, check=True, stdout=subprocess.DEVNULL)
        os.makedirs(build, exist_ok=True)
        if not os.path.exists(os.path.join(build, "Makefile")):
            subprocess.run([os.path.join(TOP, "configure"), "CFLAGS=-O2 -g"], cwd=build, check=True,
                           stdout=subprocess.DEVNULL)
        subprocess.run(["make", "-j2", "quire"], cwd=build, check=True, stdout=subprocess.DEVNULL)
    return q


def sentence(r, n):
    s = " ".join(r.choice(WORDS) for _ in range(n))
    return s[0].upper() + s[1:] + "."


def block(r, i, k):
    """One Gutenberg block of post i: mostly paragraphs with inline markup and links."""
    kind = r.random()
    if k == 0 or kind < 0.70:
        link = '<a href="http://old.example.com/%d/%d/">%s</a>' % (2019 + i % 5, k, r.choice(WORDS))
        text = "%s <strong>%s</strong> %s <em>%s</em> %s" % (
            sentence(r, r.randint(15, 30)), r.choice(WORDS), link, r.choice(WORDS), sentence(r, r.randint(10, 25)))
        return "<!-- wp:paragraph -->\n<p>%s</p>\n<!-- /wp:paragraph -->\n\n" % text
    if kind < 0.80:
        return "<!-- wp:heading -->\n<h2>%s</h2>\n<!-- /wp:heading -->\n\n" % sentence(r, 4)
    if kind < 0.90:
        items = "".join("<li>%s</li>" % sentence(r, 6) for _ in range(r.randint(2, 5)))
        return "<!-- wp:list -->\n<ul>%s</ul>\n<!-- /wp:list -->\n\n" % items
    img = "http://old.example.com/wp-content/uploads/2021/%02d/photo-%d-%d.jpg" % (i % 12 + 1, i, k)
    return ('<!-- wp:image {"id":%d,"sizeSlug":"large"} -->\n<figure class="wp-block-image size-large">'
            '<img src="%s" alt="%s" class="wp-image-%d"/><figcaption>%s</figcaption></figure>\n'
            "<!-- /wp:image -->\n\n" % (100000 + i * 40 + k, img, sentence(r, 3), 100000 + i * 40 + k,
                                         sentence(r, 5)))


def comment(r, cid, first, c):
    """Comment c of a post (ids from first): a third reply to an earlier one of the same post."""
    parent = r.randint(first, cid - 1) if c and r.random() < 0.33 else 0
    body = "<p>%s</p>\n<p>%s</p>" % (sentence(r, r.randint(10, 30)), sentence(r, r.randint(5, 20)))
    return ("<wp:comment><wp:comment_id>%d</wp:comment_id><wp:comment_author><![CDATA[Reader %d]]>"
            "</wp:comment_author><wp:comment_author_email><![CDATA[reader%d@example.com]]>"
            "</wp:comment_author_email><wp:comment_author_url>https://reader%d.example.net/"
            "</wp:comment_author_url><wp:comment_author_IP><![CDATA[192.0.2.%d]]></wp:comment_author_IP>"
            "<wp:comment_date><![CDATA[2021-03-04 10:%02d:00]]></wp:comment_date>"
            "<wp:comment_date_gmt><![CDATA[2021-03-04 10:%02d:00]]></wp:comment_date_gmt>"
            "<wp:comment_content><![CDATA[%s]]></wp:comment_content>"
            "<wp:comment_approved><![CDATA[1]]></wp:comment_approved><wp:comment_type><![CDATA[comment]]>"
            "</wp:comment_type><wp:comment_parent>%d</wp:comment_parent><wp:comment_user_id>0"
            "</wp:comment_user_id></wp:comment>\n" % (cid, cid % 500, cid % 500, cid % 500, cid % 250,
                                                    c % 60, c % 60, body, parent))


def write_export(path):
    r = random.Random(12)
    cid = 1
    with open(path, "w") as out:
        out.write('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
                  'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
                  'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                  'xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                  'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel><title>Bench</title>'
                  "<link>http://old.example.com</link><wp:wxr_version>1.2</wp:wxr_version>\n")
        for a in range(3):
            out.write("<wp:author><wp:author_id>%d</wp:author_id><wp:author_login><![CDATA[writer%d]]>"
                      "</wp:author_login><wp:author_email><![CDATA[writer%d@example.com]]></wp:author_email>"
                      "<wp:author_display_name><![CDATA[Writer %d]]></wp:author_display_name></wp:author>\n"
                      % (a + 1, a, a, a))
        for i in range(POSTS):
            body = "".join(block(r, i, k) for k in range(r.randint(8, 21)))
            title = sentence(r, r.randint(3, 8))[:-1]
            month = i % 12 + 1
            out.write("<item><title><![CDATA[%s]]></title><link>http://old.example.com/%d/%02d/post-%d/</link>"
                      "<pubDate>Wed, 01 Jan 2020 00:00:00 +0000</pubDate><dc:creator><![CDATA[writer%d]]>"
                      '</dc:creator><guid isPermaLink="false">http://old.example.com/?p=%d</guid>'
                      "<description></description><content:encoded><![CDATA[%s]]></content:encoded>"
                      "<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>%d</wp:post_id>"
                      "<wp:post_date><![CDATA[%d-%02d-01 08:00:00]]></wp:post_date>"
                      "<wp:post_date_gmt><![CDATA[%d-%02d-01 08:00:00]]></wp:post_date_gmt>"
                      "<wp:comment_status><![CDATA[open]]></wp:comment_status><wp:post_name><![CDATA[post-%d]]>"
                      "</wp:post_name><wp:status><![CDATA[publish]]></wp:status><wp:post_parent>0</wp:post_parent>"
                      "<wp:post_type><![CDATA[post]]></wp:post_type><wp:post_password><![CDATA[]]>"
                      '</wp:post_password><category domain="category" nicename="c%d"><![CDATA[Category %d]]>'
                      '</category><category domain="post_tag" nicename="t%d"><![CDATA[Tag %d]]></category>\n'
                      % (title, 2016 + i % 8, month, i, i % 3, i + 1, body, i + 1, 2016 + i % 8, month,
                         2016 + i % 8, month, i, i % 15, i % 15, i % 40, i % 40))
            first = cid
            for c in range(COMMENTS):
                out.write(comment(r, cid, first, c))
                cid += 1
            out.write("</item>\n")
        out.write("</channel></rss>\n")


def timed(argv):
    """Runs argv under /usr/bin/time; (wall s, user+sys s, max RSS MB, stdout)."""
    p = subprocess.run(["/usr/bin/time", "-f", "TIME %e %U %S %M"] + argv, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("%s failed (%d):\n%s%s" % (argv[1], p.returncode, p.stdout, p.stderr))
    m = re.search(r"TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)", p.stderr)
    return float(m.group(1)), float(m.group(2)) + float(m.group(3)), int(m.group(4)) / 1024, p.stdout.strip()


def main():
    q = quire_binary()
    tmp = tempfile.mkdtemp(prefix="quire-bench-import-")
    try:
        xml, db = os.path.join(tmp, "export.xml"), os.path.join(tmp, "bench.db")
        write_export(xml)
        print("export: %s, %.1f MB, %d posts, %d comments" % (xml, os.path.getsize(xml) / 1e6, POSTS,
                                                              POSTS * COMMENTS))
        subprocess.run([q, "init", "--db", db], check=True, stdout=subprocess.DEVNULL)
        for run in ("first import", "second import"):
            wall, cpu, rss, out = timed([q, "import", "wxr", "--db", db, xml])
            print("%-14s %6.2f s wall  %6.2f s cpu  %6.1f MB max RSS   %s" % (run, wall, cpu, rss,
                                                                             out.splitlines()[0]))
        print("database: %.1f MB" % (os.path.getsize(db) / 1e6))
    finally:
        if os.environ.get("BENCH_KEEP"):
            print("kept", tmp)
        else:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
