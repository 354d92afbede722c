"""import_limits: nothing of a WordPress import is cut or lost silently. A post body or a comment
over the 8 MB text limit is skipped and named with its size, not stored cut; a post with 5,100
comments keeps them all; a post one of whose comments cannot be saved is left out whole (no post
without its comments) while the rest of its batch is kept; tags and slugs quire cannot keep are
named; and re-importing changes nothing: no updated date, no cache generation, no site change date."""
import os
import sqlite3

from quiretest import Stack, run, ok, eq, contains, done

LIMIT = 8 << 20  # XML_TEXT_MAX
BIG = 9 << 20

HEAD = ('<?xml version="1.0" encoding="UTF-8" ?>\n<rss version="2.0" '
        'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n'
        "<channel><title>Limits</title><link>http://old.example.com</link>"
        "<wp:author><wp:author_login><![CDATA[ed]]></wp:author_login><wp:author_email>ed@example.com"
        "</wp:author_email><wp:author_display_name><![CDATA[Ed Itor]]></wp:author_display_name></wp:author>\n")


def comment(cid, text, author="Reader", parent=0):
    return ("<wp:comment><wp:comment_id>%d</wp:comment_id><wp:comment_author><![CDATA[%s]]>"
            "</wp:comment_author><wp:comment_author_email>r@example.com</wp:comment_author_email>"
            "<wp:comment_date_gmt>2021-01-02 03:04:05</wp:comment_date_gmt>"
            "<wp:comment_content><![CDATA[%s]]></wp:comment_content>"
            "<wp:comment_approved>1</wp:comment_approved><wp:comment_parent>%d</wp:comment_parent>"
            "</wp:comment>\n" % (cid, author, text, parent))


def item(wp_id, title, slug, body, comments, tags=("Sea",)):
    return ("<item><title>%s</title><link>http://old.example.com/2021/01/%s/</link>"
            "<dc:creator><![CDATA[ed]]></dc:creator><content:encoded><![CDATA[%s]]></content:encoded>"
            "<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>%d</wp:post_id>"
            "<wp:post_date_gmt>2021-01-01 10:00:00</wp:post_date_gmt><wp:post_name>%s</wp:post_name>"
            "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type>"
            "%s\n%s</item>\n"
            % (title, slug, body, wp_id, slug, "".join('<category domain="post_tag"><![CDATA[%s]]></category>' % t
                                                     for t in tags), "".join(comments)))


s = Stack("import-limits")
xml = os.path.join(s.dir, "limits.xml")
many = [comment(5000 + i, "Comment number %d." % i, parent=5000 + i - 1 if i % 10 else 0) for i in range(5100)]
with open(xml, "w") as f:
    f.write(HEAD)
    f.write(item(201, "Small before", "small-before", "<p>Smallbeforewords.</p>",
                 [comment(1, "First."), comment(2, "Second.", parent=1)]))
    f.write(item(202, "Huge body", "huge-body", ("<p>" + "wave " * (BIG // 5 + 1))[:BIG],
                 [comment(3, "a"), comment(4, "b"), comment(5, "c")]))
    f.write(item(203, "Big comment", "big-comment", "<p>Bigcommentwords.</p>",
                 [comment(6, "Kept reply."), comment(7, "z" * BIG)]))
    f.write(item(204, "Many comments", "many-comments", "<p>Manycommentswords.</p>", many))
    f.write(item(205, "Boom post", "boom-post", "<p>Boomwords.</p>",
                 [comment(8, "Fine."), comment(9, "Refused.", author="Boom")]))
    f.write(item(206, "After", "after", "<p>Afterwords.</p>", [comment(10, "Later.")]))
    f.write(item(207, "Tag heavy", "-".join(["long"] * 30), "<p>Tagheavywords.</p>", [],
                 tags=["Tag %d" % i for i in range(21)] + ["L" * 60]))
    f.write("</channel></rss>\n")

db = sqlite3.connect(s.db, isolation_level=None)
# a comment the database refuses: its post must not stay behind without it
db.execute("CREATE TRIGGER refuse_boom BEFORE INSERT ON comments WHEN new.author_name = 'Boom' "
           "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END")


def q(sql, *args):
    row = db.execute(sql, args).fetchone()
    return row[0] if row else None


rc, out, err = run(["import", "wxr", "--db", s.db, xml])
eq(rc, 1, "an import with a post that could not be saved exits 1")
contains(out, "posts: 5 created, 0 updated, 0 unchanged, 1 skipped", "five posts created, the huge one skipped")
contains(out, "comments: 5104 created, 0 already there, 6 skipped",
         "every comment counted: created, or skipped with its post or for its size")
contains(out, "skipped as too large (over %d bytes, listed above): 1 posts, 1 comments" % LIMIT,
         "the skips for size are in the summary")
contains(err, "post 'Huge body' (WordPress id 202): <content:encoded> is %d bytes" % BIG,
         "the huge post is named with its size")
contains(err, "comment 7: %d bytes of text" % BIG, "the huge comment is named with its size")
contains(err, "post 'Boom post' (WordPress id 205) not imported with its 2 comments",
         "the post whose comment failed is named")
contains(out, "2 tags too long or too many left out", "tags left out are counted")
contains(err, "tag '%s...' is 60 characters, over 50: left out" % ("L" * 60), "a tag too long is named")
contains(err, "tag 'Tag 20' is one more than 20 tags: left out", "a tag too many is named")
contains(out, "1 slugs quire could not keep as given", "a slug made anew is counted")
contains(err, "(WordPress id 207): slug 'long-long", "and named")
eq(q("SELECT count(*) FROM post_tags pt JOIN posts p ON p.id = pt.post_id WHERE p.wp_id = 207"), 20,
   "the first twenty tags are kept")
ok(len(q("SELECT slug FROM posts WHERE wp_id = 207")) <= 120, "the slug made fits")

eq(q("SELECT count(*) FROM posts WHERE wp_id = 202"), 0, "no cut copy of the huge post")
ok(q("SELECT max(length(body_md)) FROM posts") < 100, "no post body was cut and kept")
eq(q("SELECT count(*) FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.wp_id = 203"), 1,
   "the post of the huge comment keeps its other comment")
ok(q("SELECT max(length(body)) FROM comments") < 100, "no comment was cut and kept")
eq(q("SELECT count(*) FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.wp_id = 204"), 5100,
   "all 5,100 comments of one post, no cap")
eq(q("SELECT count(*) FROM comments WHERE parent_id IS NOT NULL"), 1 + 5100 - 510, "replies keep their parent")
eq(q("SELECT count(*) FROM posts WHERE wp_id = 205"), 0, "the post whose comment failed is not there")
eq(q("SELECT count(*) FROM comments WHERE import_key LIKE 'wxr:205:%'"), 0, "nor its other comment")
eq(q("SELECT count(*) FROM posts WHERE wp_id IN (201, 203, 204, 206, 207)"), 5,
   "the posts before and after it in the same batch are kept")

# the refused comment accepted: a second import finishes the job and touches nothing else
db.execute("DROP TRIGGER refuse_boom")
state = "SELECT group_concat(wp_id || ':' || updated_at, ',') FROM (SELECT wp_id, updated_at FROM posts ORDER BY id)"
before = q(state)
rc, out, err = run(["import", "wxr", "--db", s.db, xml])
eq(rc, 0, "the second import runs")
contains(out, "posts: 1 created, 0 updated, 5 unchanged, 1 skipped", "only the missing post is created")
contains(out, "comments: 2 created, 5104 already there", "with its comments")
ok(q(state).startswith(before), "the posts already there keep their updated dates", q(state))

gen = q("SELECT value FROM settings WHERE key = 'generation'")
changed = q("SELECT value FROM settings WHERE key = 'content_changed_at'")
updated = q("SELECT group_concat(updated_at) FROM posts")
rc, out, err = run(["import", "wxr", "--db", s.db, xml])
eq(rc, 0, "a third import runs")
contains(out, "posts: 0 created, 0 updated, 6 unchanged, 1 skipped", "every post recognised and left alone")
eq(q("SELECT group_concat(updated_at) FROM posts"), updated, "no new updated date (feeds and sitemap unchanged)")
eq(q("SELECT value FROM settings WHERE key = 'generation'"), gen, "the cache generation does not move")
eq(q("SELECT value FROM settings WHERE key = 'content_changed_at'"), changed, "nor the site's last change")

# Disqus: a message over the limit is skipped and named, the others of its thread kept
dsq = os.path.join(s.dir, "disqus.xml")
with open(dsq, "w") as f:
    f.write('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
            'xmlns:dsq="http://disqus.com/disqus-internals">\n'
            '<thread dsq:id="t1"><link>http://old.example.com/2021/01/after/</link></thread>\n')
    for cid, msg in (("d1", "Short one."), ("d2", "y" * BIG)):
        f.write('<post dsq:id="%s"><message><![CDATA[%s]]></message><createdAt>2021-02-01T10:00:00Z</createdAt>'
                "<isDeleted>false</isDeleted><isSpam>false</isSpam><author><name>Dee</name></author>"
                '<thread dsq:id="t1"/></post>\n' % (cid, msg))
    f.write("</disqus>\n")
rc, out, err = run(["import", "disqus", "--db", s.db, dsq])
eq(rc, 0, "the Disqus export imports")
contains(out, "comments: 1 created, 0 already there, 1 skipped", "the short comment kept, the huge one skipped")
contains(err, "disqus post d2: %d bytes of text" % BIG, "the huge Disqus comment is named with its size")
eq(q("SELECT count(*) FROM comments WHERE import_key LIKE 'disqus:%'"), 1, "and not stored cut")
done()
