"""import_hostile: exports a hostile reviewer wrote to break the WordPress import. A reusable block
that is private, draft or password-protected never shows in a public post; a password of spaces
still protects; pages whose parents loop or nest deeper than an address can be become top-level
pages that answer (no redirect loop), named in the log; an undated-looking date is named; a FIFO in
--media-from does not hang the import."""
import os
import subprocess
import sys

from quiretest import QUIRE, Stack, run, ok, eq, contains, lacks, done

OLD = "http://old.example.test"


def item(wp_id, title, slug, content, ptype="post", status="publish", parent=0, password="", date="2024-01-02 10:00:00"):
    return """<item><title><![CDATA[%s]]></title><link>%s/%s/</link><dc:creator><![CDATA[ada]]></dc:creator>
<content:encoded><![CDATA[%s]]></content:encoded><wp:post_id>%d</wp:post_id>
<wp:post_date><![CDATA[%s]]></wp:post_date><wp:post_date_gmt><![CDATA[%s]]></wp:post_date_gmt>
<wp:post_name><![CDATA[%s]]></wp:post_name><wp:status><![CDATA[%s]]></wp:status><wp:post_parent>%d</wp:post_parent>
<wp:post_type><![CDATA[%s]]></wp:post_type><wp:post_password><![CDATA[%s]]></wp:post_password></item>
""" % (title, OLD, slug, content, wp_id, date, date if date[:4] != "0000" else date, slug, status, parent, ptype, password)


def wxr(path, items):
    with open(path, "w") as f:
        f.write("""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Old</title><link>%s</link>
<wp:base_site_url>%s</wp:base_site_url>
<wp:author><wp:author_login><![CDATA[ada]]></wp:author_login><wp:author_display_name><![CDATA[Ada]]></wp:author_display_name></wp:author>
""" % (OLD, OLD))
        f.write("".join(items))
        f.write("</channel></rss>\n")


s = Stack("import-hostile")
export = os.path.join(s.dir, "hostile.xml")
items = [
    item(10, "Uses hidden blocks", "uses-hidden",
         '<p>Visible.</p><!-- wp:block {"ref":514} /--><!-- wp:block {"ref":515} /--><!-- wp:block {"ref":516} /-->'
         '<!-- wp:block {"ref":517} /-->'),
    item(514, "Private block", "priv-block", "<p>privblocksecret</p>", "wp_block", "private"),
    item(515, "Draft block", "draft-block", "<p>draftblocksecret</p>", "wp_block", "draft"),
    item(516, "Protected block", "pw-block", "<p>pwblocksecret</p>", "wp_block", password="x"),
    item(517, "Public block", "pub-block", "<p>publicblocktext</p>", "wp_block"),
    item(11, "Spaces password", "pw-spaces", "<p>spacessecret</p>", password=" "),
    item(20, "Loop A", "loopa", "<p>loop a</p>", "page", parent=21),
    item(21, "Loop B", "loopb", "<p>loop b</p>", "page", parent=20),
    item(12, "Strange date", "strange-date", "<p>dated</p>", date="2021-02-30 10:00:00"),
]
items += [item(30 + i, "Deep %d" % i, "d%d" % i, "<p>deep %d</p>" % i, "page", parent=30 + i - 1 if i else 0) for i in range(7)]
wxr(export, items)
rc, out, err = run(["import", "wxr", "--no-media", "--db", s.db, export])
ok(rc == 0, "the hostile export imports", out + err)
s.start()

# 1. hidden reusable blocks stay hidden
r = s.get("/posts/uses-hidden")
eq(r.status, 200, "the post using the blocks is public")
for secret in ("privblocksecret", "draftblocksecret", "pwblocksecret"):
    lacks(r.body, secret, "a hidden reusable block (%s) is not copied into a public post" % secret)
    lacks(s.get("/feed.atom").body, secret, "nor into the feed (%s)" % secret)
contains(r.body, "publicblocktext", "a published block is")
contains(err, "reusable block 514 is not published", "the log names the hidden block")

# 2. a password of spaces protects
eq(s.get("/posts/pw-spaces").status, 404, "a post whose password is a space is not public")
lacks(s.get("/feed.atom").body, "spacessecret", "nor in the feed")

# 3. parents that loop or nest too deep: every page still has an address that answers
for slug in ("loopa", "loopb"):
    r = s.get("/?page_id=%d" % (20 if slug == "loopa" else 21))
    ok(r.status == 301, "/?page_id of %s redirects" % slug, r.status)
    loc = r.header("location")
    r2 = s.get(loc)
    eq(r2.status, 200, "%s answers at %s, no redirect loop" % (slug, loc))
for i in range(7):
    r = s.get("/?page_id=%d" % (30 + i))
    loc = r.header("location") or ""
    ok(r.status == 301 and loc.count("/") <= 4, "page d%d has an address of at most 4 segments (%s)" % (i, loc), r.status)
    eq(s.get(loc).status, 200, "and it answers (d%d)" % i)
contains(err, "loop or are nested more than 4 deep", "the log names the untangled pages")

# 4. a date quire cannot read is named
contains(err, "date '2021-02-30 10:00:00' not understood", "an impossible date is named, not silently 'now'")

# 5. a FIFO in --media-from does not hang the import
up = os.path.join(s.dir, "uploads", "2024", "03")
os.makedirs(up)
os.mkfifo(os.path.join(up, "fifo.png"))
export2 = os.path.join(s.dir, "fifo.xml")
wxr(export2, [item(40, "Fifo", "fifo", '<p><img src="%s/wp-content/uploads/2024/03/fifo.png" alt="F"></p>' % OLD)])
cfg = s.write_config()
os.makedirs(os.path.join(s.dir, "media"), exist_ok=True)
try:
    p = subprocess.run([QUIRE, "import", "wxr", "--config", cfg, "--db", s.db, "--media-from",
                        os.path.join(s.dir, "uploads"), export2], capture_output=True, text=True, timeout=60)
    ok(p.returncode == 0 and "fifo.png: not a regular file" in p.stdout, "a FIFO is refused, not waited on",
       p.stdout + p.stderr)
except subprocess.TimeoutExpired:
    ok(False, "a FIFO is refused, not waited on (the import hung)")

s.stop()
done()
