"""settings: /admin/settings through nginx on one long-lived quire serve with several threads: the
INI file's values shown and used while nothing is set; title, description, language, posts per
page, moderation and new-post mails changed in the form and seen on the very next request by every
thread, with new ETag and Last-Modified; invalid input 422 with the typed values kept; CSRF
required; the audit log (rows, and the last changes on the page); back to the file's value; the
mails: a renamed site mails under its new name, mails off queue no new-post row but confirmations
still go."""
import concurrent.futures
import email.utils
import os
import re
import sqlite3
import time

from quiretest import Stack, SmtpSink, ok, eq, contains, lacks, done

THREADS = 4
mails = os.path.join(os.environ.get("TMPDIR", "/tmp"), "quire-settings-mail-%d" % os.getpid())
sink = SmtpSink(mails).start()
s = Stack("settings", threads=THREADS,
          config="[site]\ndescription = Notes from the INI file.\n"
                 "[comments]\nmin_seconds = 0\nrate_limit = 0\nmoderation = none\n"
                 "[mail]\nsmtp_url = smtp://127.0.0.1:%d\nfrom = blog@example.org\nretry_base = 1\nstarttls = no\n"
                 % sink.port)
s.user("Ada Lovelace", "ada@example.org")
for i in range(1, 6):
    s.import_post({"title": "Post %d" % i, "slug": "post-%d" % i, "date": "2026-01-0%d" % i,
                   "author": "Ada Lovelace"}, "Body %d.\n" % i)
db = sqlite3.connect(s.db, isolation_level=None)
db.execute("INSERT INTO subscribers(email, status, wants_posts, created_at, confirmed_at) "
           "VALUES('sub@example.org', 'confirmed', 1, 0, 0)")
s.start()
jar, csrf = s.login("Ada Lovelace")


def q(sql, *args):
    row = db.execute(sql, args).fetchone()
    return row[0] if row else None


def fields(**over):
    f = {"csrf": csrf, "title": "Test blog", "description": "Notes from the INI file.", "language": "en",
         "posts_per_page": "3", "moderation": "none", "close_after_days": "0", "max_links": "2",
         "disallowed_words": "", "comments_per_page": "50", "has_post_mails": "1", "post_mails": "on"}
    f.update(over)
    return {k: v for k, v in f.items() if v is not None}


def many(path, n=48):
    """n requests at once, 8 at a time, so every worker thread answers some."""
    with concurrent.futures.ThreadPoolExecutor(8) as ex:
        return list(ex.map(lambda _: s.get(path), range(n)))


def title_of(body):
    m = re.search(r"<title>([^<]*)</title>", body)
    return m.group(1) if m else ""


def summaries(body):
    return len(re.findall(r'<article class="summary', body))


# --- unset: the INI file's values, shown as such
r = s.get("/admin/settings")
ok(r.status in (302, 303) and "/admin/login" in (r.header("location") or ""), "settings need a session")
r = s.get("/admin/settings", jar=jar)
eq(r.status, 200, "GET /admin/settings")
contains(r.body, 'name="title" type="text" value="Test blog"', "the title field holds the file's title")
contains(r.body, "From the configuration file (<code>site.title</code>)", "and says it comes from the file")
contains(r.body, "From the configuration file (<code>comments.moderation</code>)", "so does moderation")
contains(r.body, '<option value="none" selected>', "moderation none, as the file says")
contains(r.body, 'value="Notes from the INI file."', "the description from the file")
contains(r.body, 'id="post_mails" name="post_mails" value="on" checked', "new-post mails on by default")
contains(r.body, "No change yet", "no change yet")
home = s.get("/")
contains(home.body, "Test blog", "the home page shows the file's title")
eq(summaries(home.body), 3, "and 3 posts per page (site.posts_per_page)")
etag, lm = home.header("etag"), home.header("last-modified")
ok(etag and lm, "the home page has an ETag and a Last-Modified")
eq(s.get("/", headers={"If-None-Match": etag}).status, 304, "revalidates with 304 before any change")
old = many("/")
ok(all("Test blog" in x.body for x in old), "every thread has rendered the old title (%d requests)" % len(old))
many("/posts/post-1", 16)
time.sleep(1.1)  # Last-Modified has one-second steps

# --- a change, seen on the very next request by every thread
r = s.post("/admin/settings", fields(title="Renamed blog \u2013 caf\u00e9", description="A new description.",
                                     language="fr-ca", posts_per_page="2", moderation="all", post_mails=None),
           jar=jar)
eq(r.status, 303, "a valid form is saved (303)")
eq(r.header("location"), "/admin/settings?saved=1", "back to the settings page")
r = s.get("/admin/settings?saved=1", jar=jar)
contains(r.body, "Settings saved.", "'Settings saved'")
contains(r.body, 'value="Renamed blog \u2013 caf\u00e9"', "the new title in the form")
contains(r.body, 'value="fr-CA"', "the language tag in its canonical case")
lacks(r.body, "From the configuration file (<code>site.title</code>)", "the title no longer comes from the file")
contains(r.body, "Use the configuration file's value again (<code>site.title</code> = Test blog)",
         "and can go back to the file's value")
contains(r.body, "From the configuration file (<code>comments.max_links</code>)", "an unchanged key still does")
r = s.get("/")
eq(title_of(r.body), "Renamed blog \u2013 caf\u00e9", "the next page has the new title")
contains(r.body, 'lang="fr-CA"', "and the new language")
contains(r.body, "A new description.", "and the new description")
eq(summaries(r.body), 2, "and 2 posts per page")
ok(r.header("etag") != etag, "the ETag changed")
changed_lm = r.header("last-modified")
ok(r.header("last-modified") != lm, "the Last-Modified changed (%s -> %s)" % (lm, r.header("last-modified")))
eq(s.get("/", headers={"If-None-Match": etag}).status, 200, "the old ETag no longer gets a 304")
eq(s.get("/", headers={"If-Modified-Since": lm}).status, 200, "nor the old Last-Modified")
new = many("/")
eq(sum("Renamed blog" in x.body and summaries(x.body) == 2 for x in new), len(new),
   "every thread shows the new title and page size (%d requests at once)" % len(new))
new = many("/posts/post-1", 24)
eq(sum("Renamed blog" in x.body for x in new), len(new), "on articles too")
r = s.get("/feed.atom")
contains(r.body, "Renamed blog", "the feed's title")
eq(len(s.get("/admin/settings", jar=jar).body) > 0, True, "the admin page answers")

# --- moderation all: a comment from anyone is held
r = s.get("/posts/post-2")
tok = re.search(r'name="token" value="([^"]+)"', r.body).group(1)
r = s.post("/posts/post-2/comments", {"author": "Reader", "email": "reader@example.org", "url": "",
                                      "comment": "First!", "token": tok})
eq(r.status, 303, "a comment is taken")
eq(q("SELECT status FROM comments WHERE body = 'First!'"), "pending", "and held: moderation is now 'all'")

# --- mails off: publishing queues no new-post mail; confirmations still go
r = s.get("/admin/posts/new", jar=jar)
contains(r.body, 'id="mails-off"', "the editor says new-post emails are off")
r = s.post("/admin/posts", {"csrf": csrf, "title": "Quiet post", "slug": "quiet", "body": "Nobody is told.",
                            "action": "publish"}, jar=jar)
eq(r.status, 303, "a post is published")
eq(q("SELECT count(*) FROM outbox WHERE kind = 'post'"), 0, "no new-post mail is queued")
eq(q("SELECT notified_at IS NOT NULL FROM posts WHERE slug = 'quiet'"), 1,
   "the post counts as announced (turning mails on later does not mail it)")
r = s.post("/subscribe", {"email": "new@example.org"})
ok(r.status in (200, 303), "a reader subscribes")
msgs = sink.wait("new@example.org", 1)
eq(len(msgs), 1, "the confirmation mail still goes")
if msgs:
    contains(msgs[0]["Subject"], "Renamed blog", "under the new name (subject)")
    contains(msgs[0]["From"], "Renamed blog", "and From")

# --- invalid input: 422, the typed values kept, errors next to the fields
before = q("SELECT count(*) FROM audit_log")
bad = fields(title="", language="english!", posts_per_page="101", description="tab\u0007bell",
             disallowed_words="spam\nham", close_after_days="-1", comments_per_page="x", moderation="some")
r = s.post("/admin/settings", bad, jar=jar)
eq(r.status, 422, "an invalid form is 422")
for name in ("title", "language", "posts_per_page", "description", "close_after_days", "comments_per_page",
             "moderation"):
    contains(r.body, 'id="%s-error"' % name, "an error next to %s" % name)
lacks(r.body, 'id="max_links-error"', "none next to a good field")
contains(r.body, 'value="english!"', "the typed language is kept")
contains(r.body, 'value="101"', "the typed page size is kept")
contains(r.body, ">spam\nham\n</textarea>", "the typed words are kept, one per line")
contains(r.body, "The settings were not saved", "the page says nothing was saved")
eq(q("SELECT count(*) FROM audit_log"), before, "nothing was written")
r = s.post("/admin/settings", fields(title="x" * 201), jar=jar)
eq(r.status, 422, "a title over 200 characters is 422")
r = s.post("/admin/settings", "csrf=%s&title=%%ff%%fe&language=en" % csrf, jar=jar,
           headers={"Content-Type": "application/x-www-form-urlencoded"})
eq(r.status, 422, "invalid UTF-8 is 422")
eq(title_of(s.get("/").body), "Renamed blog \u2013 caf\u00e9", "the title is unchanged")

r = s.post("/admin/settings", {"csrf": csrf, "max_links": "5"}, jar=jar)
eq(r.status, 303, "a form with one field changes that field")
eq(q("SELECT value FROM site_options WHERE key = 'max_links'"), "5", "max_links stored")
ok(q("SELECT value FROM site_options WHERE key = 'post_mails'") == "off" and title_of(s.get("/").body).startswith("Renamed"),
   "and leaves the fields it does not carry as they were (mails still off, the title kept)")
db.execute("DELETE FROM site_options WHERE key = 'max_links'")
db.execute("DELETE FROM audit_log WHERE action = 'settings.max_links'")

# --- CSRF
r = s.post("/admin/settings", {k: v for k, v in fields(title="Hijacked").items() if k != "csrf"}, jar=jar)
eq(r.status, 403, "no CSRF token: 403")
r = s.post("/admin/settings", fields(title="Hijacked", csrf="0" * 64), jar=jar)
eq(r.status, 403, "a wrong CSRF token: 403")
r = s.post("/admin/settings", fields(title="Hijacked"))
ok(r.status in (302, 303, 403), "no session: refused (%d)" % r.status)
lacks(s.get("/").body, "Hijacked", "the title is unchanged")

# --- the audit trail
rows = db.execute("SELECT a.action, a.detail, u.name FROM audit_log a JOIN users u ON u.id = a.user_id "
                  "ORDER BY a.id").fetchall()
eq(sorted(r[0] for r in rows), sorted(["settings.title", "settings.description", "settings.language",
                                       "settings.posts_per_page", "settings.moderation", "settings.post_mails"]),
   "one audit row per changed key, by the user")
contains(dict((r[0], r[1]) for r in rows).get("settings.title", ""),
         'title: "Test blog" (from the file) -> "Renamed blog \u2013 caf\u00e9"', "old -> new in the detail")
r = s.get("/admin/settings", jar=jar)
eq(len(re.findall(r'<tr class="change-row">', r.body)), 6, "the page lists the changes")
contains(r.body, "Ada Lovelace", "with who made them")
contains(r.body, "posts_per_page: &quot;3&quot; (from the file) -&gt; &quot;2&quot;", "and what changed")
# an unchanged form changes nothing
r = s.post("/admin/settings", fields(title="Renamed blog \u2013 caf\u00e9", description="A new description.",
                                     language="fr-CA", posts_per_page="2", moderation="all", post_mails=None),
           jar=jar)
eq(r.header("location"), "/admin/settings?saved=0", "saving the same values changes nothing")
eq(q("SELECT count(*) FROM audit_log"), 6, "and writes no audit row")
for i in range(21):
    s.post("/admin/settings", fields(title="Title %d" % i, description="A new description.", language="fr-CA",
                                     posts_per_page="2", moderation="all", post_mails=None), jar=jar)
r = s.get("/admin/settings", jar=jar)
eq(len(re.findall(r'<tr class="change-row">', r.body)), 20, "the page shows the last 20 changes")
contains(r.body, "Title 20", "the newest first")

# --- back to the file's value (Last-Modified still moves forward); mails on again
time.sleep(1.1)
before_reset = s.get("/").header("last-modified")
time.sleep(1.1)
r = s.post("/admin/settings", fields(title="ignored", reset_title="1", description="A new description.",
                                     language="fr-CA", posts_per_page="2", moderation="all", post_mails=None),
           jar=jar)
eq(r.status, 303, "reset to the file's value")
eq(q("SELECT count(*) FROM site_options WHERE key = 'title'"), 0, "the title's row is gone")
r = s.get("/")
eq(title_of(r.body), "Test blog", "the file's title is back on the next page")
ok(email.utils.parsedate_to_datetime(r.header("last-modified")) > email.utils.parsedate_to_datetime(before_reset),
   "its Last-Modified is newer than before the reset (%s, %s)" % (before_reset, r.header("last-modified")))
eq(s.get("/", headers={"If-Modified-Since": before_reset}).status, 200,
   "so a reader who saw the renamed page gets no 304 for it")
ok(all("Test blog" in x.body for x in many("/")), "on every thread")
contains(q("SELECT detail FROM audit_log ORDER BY id DESC LIMIT 1") or "", "-> \"Test blog\" (from the file)",
         "the audit log says it went back to the file")
r = s.post("/admin/settings", fields(description="A new description.", language="fr-CA", posts_per_page="2",
                                     moderation="all"), jar=jar)
eq(q("SELECT value FROM site_options WHERE key = 'post_mails'"), "on", "new-post mails on again")
r = s.post("/admin/posts", {"csrf": csrf, "title": "Loud post", "slug": "loud", "body": "Everyone is told.",
                            "action": "publish"}, jar=jar)
eq(q("SELECT count(*) FROM outbox WHERE kind = 'post'"), 1, "mails on again: a new post is queued for the subscriber")
msgs = sink.wait("sub@example.org", 1)
ok(msgs and "Test blog" in msgs[0]["From"], "and mailed under the site's name")

# --- a restart keeps the database's values over the file's
s.restart()
contains(s.get("/").body, 'lang="fr-CA"', "after a restart the stored language holds")
lacks(open(os.path.join(s.dir, "quire.log")).read(), "not valid", "no stored value was refused")

# --- a language written right to left turns the reader pages; the admin stays in English
eq(s.post("/admin/settings", {"csrf": csrf, "language": "he"}, jar=jar).status, 303, "the language set to Hebrew")
contains(s.get("/").body, '<html lang="he" dir="rtl">', "reader pages are right to left")
contains(s.get("/admin/settings", jar=jar).body, '<html lang="en">', "the admin's own words stay English")
eq(s.post("/admin/settings", {"csrf": csrf, "language": "fr-CA"}, jar=jar).status, 303, "and back")
lacks(s.get("/").body, 'dir="rtl"', "left to right again")
done()
