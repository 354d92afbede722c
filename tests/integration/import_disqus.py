"""import_disqus: Disqus threads matched to posts every way a WordPress site's threads name them
(old address, its /amp/ page, ?p=ID, the WordPress plugin's identifier, %xx in either case), replies
kept as replies whatever their order in the file, deleted threads and posts skipped and counted,
unmatched threads listed by URL (tests/data/disqus_threads.xml); a generated export of 2,000 threads
and 20,000 comments imports in indexed time; and a WordPress post keeps all of its 5,100 comments."""
import os
import sqlite3
import time

from quiretest import SRCDIR, Stack, run, ok, eq, contains, lacks, done

DISQUS = os.path.join(SRCDIR, "tests", "data", "disqus_threads.xml")
HEAD = ('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Old</title>'
        '<link>https://old.example.org</link>\n')


def item(wp_id, name, link, ncomments=0):
    comments = "".join(
        "<wp:comment><wp:comment_id>%d</wp:comment_id><wp:comment_author>Reader %d</wp:comment_author>"
        "<wp:comment_date_gmt>2018-01-02 10:00:00</wp:comment_date_gmt>"
        "<wp:comment_content>Comment number %d.</wp:comment_content>"
        "<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>\n"
        % (wp_id * 100000 + i, i, i) for i in range(1, ncomments + 1))
    return ("<item><title>Post %d</title><link>%s</link><dc:creator>marie</dc:creator>"
            "<content:encoded><![CDATA[<p>Body of %d.</p>]]></content:encoded><wp:post_id>%d</wp:post_id>"
            "<wp:post_date_gmt>2018-01-02 10:00:00</wp:post_date_gmt><wp:post_name>%s</wp:post_name>"
            "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>%s</item>\n"
            % (wp_id, link, wp_id, wp_id, name, comments))


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


s = Stack("import-disqus")
db = sqlite3.connect(s.db)


def q(sql, *args):
    row = db.execute(sql, args).fetchone()
    return row[0] if row else None


# 1. matching, order, deleted and unmatched (slugs unlike the old addresses, so no slug guess helps)
wxr = write(os.path.join(s.dir, "threads.xml"), HEAD + "".join([
    item(501, "renamed-slug", "https://old.example.org/2018/01/02/old-name/"),
    item(502, "by-query", "https://old.example.org/2018/03/04/other/"),
    item(503, "by-ident", "https://old.example.org/2018/04/04/third/"),
    item(504, "summer", "https://old.example.org/2018/05/06/%c3%a9t%c3%a9/"),
    item(505, "new-home", "https://old.example.org/2018/06/06/fifth/"),
]) + "</channel></rss>\n")
rc, out, err = run(["import", "wxr", "--db", s.db, wxr])
ok(rc == 0 and "posts: 5 created" in out, "the posts the threads belong to import", out + err)
rc, out, err = run(["import", "disqus", "--db", s.db, DISQUS])
ok(rc == 0, "the Disqus export imports", out + err)
contains(out, "comments: 7 created, 0 already there, 5 skipped", "seven kept, five skipped")
contains(out, "skipped: 1 spam, 2 trash", "a deleted post and a deleted thread's comment count as trash")


def post_of(author):
    return q("SELECT p.wp_id FROM comments c JOIN posts p ON p.id = c.post_id WHERE c.author_name = ?", author)


eq(post_of("Parent"), 501, "a thread matched by the old WordPress address")
eq(post_of("Amp Reader"), 501, "a thread on the post's /amp/ page")
eq(post_of("Query Reader"), 502, "a thread matched by ?p=ID")
eq(post_of("Ident Reader"), 503, "a thread matched by the WordPress plugin's identifier")
eq(post_of("Case Reader"), 504, "an old address with its escapes in upper case")


def parent_of(author):
    return q("SELECT p.author_name FROM comments c LEFT JOIN comments p ON p.id = c.parent_id WHERE c.author_name = ?",
             author)


eq(parent_of("Child"), "Parent", "a reply listed before its parent stays a reply")
eq(parent_of("Grandchild"), "Child", "so does a reply listed before its parent and grandparent")
eq(parent_of("Parent"), None, "the parent is top-level")
eq(q("SELECT count(*) FROM comments WHERE author_name IN ('Deleted Thread Reader', 'Deleted Post', 'Spammer')"), 0,
   "a deleted thread's comments, deleted and spam posts are left out")
contains(err, "https://old.example.org/nothing-here/", "an unmatched thread is listed by its URL")
contains(err, "2 comments belong to threads whose URL matches no post", "with the count of its comments")
lacks(err, "cdn.elsewhere.example", "a thread matched by its identifier is not listed")
rc, out, err = run(["import", "disqus", "--db", s.db, DISQUS])
ok(rc == 0 and "comments: 0 created, 7 already there, 5 skipped" in out, "a second import changes nothing", out + err)

# 2. scale: 2,000 threads of 10 comments each, each a reply to the one before, listed in reverse
THREADS, PER = 2000, 10
wxr = write(os.path.join(s.dir, "many.xml"), HEAD + "".join(
    item(10000 + t, "many-%d" % t, "https://old.example.org/2017/01/01/many-%d/" % t) for t in range(THREADS))
    + "</channel></rss>\n")
rc, out, err = run(["import", "wxr", "--db", s.db, wxr])
ok(rc == 0 and "posts: %d created" % THREADS in out, "2,000 posts import", out + err)
parts = ['<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
         'xmlns:dsq="http://disqus.com/disqus-internals">\n']
parts += ['<thread dsq:id="t%d"><link>https://old.example.org/2017/01/01/many-%d/</link></thread>\n' % (t, t)
          for t in range(THREADS)]
for n in reversed(range(THREADS * PER)):
    t, k = divmod(n, PER)
    parent = '<parent dsq:id="c%d"/>' % (n - 1) if k else ""
    parts.append('<post dsq:id="c%d"><message>&lt;p&gt;Comment %d.&lt;/p&gt;</message>'
                 '<createdAt>2017-01-02T10:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>'
                 '<author><name>Many %d</name></author><thread dsq:id="t%d"/>%s</post>\n' % (n, n, n, t, parent))
big = write(os.path.join(s.dir, "big_disqus.xml"), "".join(parts) + "</disqus>\n")
t0 = time.time()
rc, out, err = run(["import", "disqus", "--db", s.db, big])
took = time.time() - t0
ok(rc == 0 and "comments: %d created" % (THREADS * PER) in out, "20,000 comments on 2,000 threads import", out + err)
print("# 2,000 threads, 20,000 comments: %.1f s" % took)
eq(q("SELECT count(*) FROM comments c JOIN comments p ON p.id = c.parent_id WHERE c.author_name LIKE 'Many %'"),
   THREADS * (PER - 1), "every reply kept under its parent, though listed before it")
eq(q("SELECT count(DISTINCT post_id) FROM comments WHERE author_name LIKE 'Many %'"), THREADS,
   "each thread on its own post")

# 3. no hidden cap on a WordPress post's comments
wxr = write(os.path.join(s.dir, "crowded.xml"),
            HEAD + item(900, "crowded", "https://old.example.org/2016/01/01/crowded/", 5100) + "</channel></rss>\n")
rc, out, err = run(["import", "wxr", "--db", s.db, wxr])
ok(rc == 0, "a post with 5,100 comments imports", out + err)
contains(out, "comments: 5100 created, 0 already there, 0 skipped", "all 5,100 comments, none dropped")
eq(q("SELECT count(*) FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.wp_id = 900"), 5100,
   "all 5,100 stored")
done()
