"""import_content: what a WordPress post's markup becomes: <!--more--> sets the excerpt when the
post has none, and every shortcode quire cannot convert is kept as text and named in the report."""
import os
import sqlite3
import tempfile

from quiretest import Stack, run, ok, eq, contains, lacks, done

d = tempfile.mkdtemp(prefix="quire-import-content-")
wxr = os.path.join(d, "content.xml")


def item(wp_id, slug, content, excerpt=""):
    return """<item><title><![CDATA[%s]]></title><link>https://old.example.org/%s/</link>
<dc:creator><![CDATA[ada]]></dc:creator><content:encoded><![CDATA[%s]]></content:encoded>
<excerpt:encoded><![CDATA[%s]]></excerpt:encoded><wp:post_id>%d</wp:post_id>
<wp:post_date_gmt><![CDATA[2020-01-0%d 10:00:00]]></wp:post_date_gmt><wp:post_name><![CDATA[%s]]></wp:post_name>
<wp:status><![CDATA[publish]]></wp:status><wp:post_type><![CDATA[post]]></wp:post_type></item>
""" % (slug.title(), slug, content, excerpt, wp_id, wp_id, slug)


with open(wxr, "w", encoding="utf-8") as f:
    f.write("""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Content</title><link>https://old.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:author><wp:author_login><![CDATA[ada]]></wp:author_login><wp:author_email><![CDATA[ada@old.example.org]]></wp:author_email><wp:author_display_name><![CDATA[Ada]]></wp:author_display_name></wp:author>
""")
    f.write(item(1, "teaser", "<p>The teaser sentence.</p>\n<!--more-->\n<p>The rest nobody sees on the home page.</p>"))
    f.write(item(2, "own-excerpt", "<p>Body first.</p>\n<!--more-->\n<p>More.</p>", "A written excerpt."))
    f.write(item(3, "codes", '<p>Look: [gallery ids="1,2,3"] and [myplugin foo="x"]</p><p>[myplugin]again[/myplugin]</p>'
                 '<p>[caption id="a" width="300"]<img src="/wp-content/uploads/a.jpg" alt="A"> A cat[/caption]</p>'))
    f.write("</channel></rss>\n")

s = Stack("import-content")
rc, out, err = run(["import", "wxr", "--db", s.db, wxr])
ok(rc == 0, "the export imports", out + err)
db = sqlite3.connect(s.db)


def q(sql, *args):
    row = db.execute(sql, args).fetchone()
    return row[0] if row else None


eq(q("SELECT excerpt FROM posts WHERE slug = 'teaser'"), "The teaser sentence.", "<!--more--> ends the excerpt")
eq(q("SELECT excerpt FROM posts WHERE slug = 'own-excerpt'"), "A written excerpt.", "a written excerpt wins")
lacks(q("SELECT body_html FROM posts WHERE slug = 'teaser'"), "more--", "the marker shows nothing in the page")
contains(q("SELECT body_html FROM posts WHERE slug = 'teaser'"), "The rest nobody sees", "the whole body is kept")
contains(err, "[gallery] kept as text in 1 place", "an unconverted shortcode is named in the report")
contains(err, "[myplugin] kept as text in 2 places", "with how often it appears")
lacks(err, "[caption]", "a converted shortcode is not listed")
contains(q("SELECT body_html FROM posts WHERE slug = 'codes'"), "[gallery ids=",
         "and the page shows it as written")

s.start()
r = s.get("/")
contains(r.body, "The teaser sentence.", "the home page shows the teaser")
lacks(r.body, "The rest nobody sees", "and not the rest")
done()
