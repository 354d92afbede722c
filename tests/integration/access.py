"""access: every admin route of the route table (read from src/web/route.c, so a route added later
is covered without editing this file), tried as nobody, as an author and as an admin:
- nobody: a GET redirects to the login, a POST is refused (to the login, never run);
- an author: routes flagged R_ADMIN_ONLY answer 403; routes on a post (R_OWN_POST) or a comment
  (R_OWN_COMMENT) answer 403 on another author's post or comment; the rest never answer 403 or 5xx;
- an admin: no route answers 403 or 5xx."""
import os
import re
import sqlite3

from quiretest import SRCDIR, Stack, ok, eq, done

ROUTE = re.compile(r'\{"(GET|POST)",\s*"(/admin[^"]*)",\s*(\w+),\s*([^}]*)\}')
routes = []
with open(os.path.join(SRCDIR, "src", "web", "route.c")) as f:
    for m in ROUTE.finditer(f.read()):
        flags = set(x.strip() for x in m.group(4).split("|"))
        if "R_ADMIN" in flags:
            routes.append((m.group(1), m.group(2), m.group(3), flags))
ok(len(routes) >= 25, "the route table lists the admin routes (%d)" % len(routes))

s = Stack("access", config="[comments]\nmin_seconds = 0\nrate_limit = 0\nmoderation = none\n")
s.user("Ada Lovelace", "ada@example.org")
s.import_post({"title": "Ada's post", "slug": "ada-post", "date": "2026-01-01", "author": "Ada Lovelace"}, "By Ada.\n")
db = sqlite3.connect(s.db, isolation_level=None)
s.start()
ada, ada_csrf = s.login("Ada Lovelace")
r = s.post("/admin/users", {"csrf": ada_csrf, "name": "Grace Hopper", "email": "grace@example.org", "role": "author"},
           jar=ada)
eq(r.status, 303, "an author is added")
db.execute("UPDATE users SET pw_hash = (SELECT pw_hash FROM users WHERE name = 'Ada Lovelace') "
           "WHERE name = 'Grace Hopper'")  # Ada's password, for the test
grace, grace_csrf = s.login("Grace Hopper")
r = s.post("/admin/posts", {"csrf": grace_csrf, "title": "Grace's post", "slug": "grace-post", "body": "By Grace.",
                            "action": "publish"}, jar=grace)
eq(r.status, 303, "the author writes a post")


def one(sql, *args):
    row = db.execute(sql, args).fetchone()
    return row[0] if row else None


ada_post = one("SELECT id FROM posts WHERE slug = 'ada-post'")
for slug in ("ada-post", "grace-post"):
    db.execute("INSERT INTO comments(post_id, author_name, author_email, body, body_html, status, created_at) "
               "SELECT id, 'Reader', 'r@example.org', 'Hi.', '<p>Hi.</p>', 'pending', 1 FROM posts WHERE slug = ?",
               (slug,))
ada_comment = one("SELECT c.id FROM comments c JOIN posts p ON p.id = c.post_id WHERE p.slug = 'ada-post'")
ada_id = one("SELECT id FROM users WHERE name = 'Ada Lovelace'")


def path_of(pattern):
    """The pattern with its parameters: the admin's post, comment or user, else 1."""
    if pattern.startswith("/admin/posts"):
        arg = ada_post
    elif pattern.startswith("/admin/comments"):
        arg = ada_comment
    elif pattern.startswith("/admin/users"):
        arg = ada_id
    else:
        arg = 1
    return re.sub(r"(?<=/):(?=/|$)", str(arg), pattern)


def fields(method, flags, csrf):
    f = {"csrf": csrf} if method == "POST" else {}
    if "R_OWN_POST" in flags:
        f.update({"post_id": str(ada_post), "kind": "page", "title": "T", "body": "B", "action": "draft"})
    if "R_OWN_COMMENT" in flags:
        f.update({"ids": str(ada_comment), "bulk_action": "spam", "action": "spam"})
    return f


def send(method, path, flags, jar, csrf):
    if method == "GET":
        return s.get(path, jar=jar)
    if "R_UPLOAD" in flags:
        img = os.path.join(s.dir, "x.png")
        with open(img, "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n")
        return s.post(path, fields(method, flags, csrf), jar=jar, files={"image": ("x.png", img)})
    return s.post(path, fields(method, flags, csrf), jar=jar)


# --- the author's dashboard and navigation: their own drafts and comments, not the site's mail
db.execute("INSERT INTO posts(slug, title, body_md, body_html, author_id, status, published_at, created_at, "
           "updated_at) VALUES ('ada-draft', 'Ada secret draft', 'x', '<p>x</p>', ?, 'draft', 1, 1, 1)", (ada_id,))
r = s.get("/admin/", jar=grace)
eq(r.status, 200, "author: the dashboard answers")
ok("Ada secret draft" not in r.body, "author: another author's draft is not on the dashboard")
ok(r.body.count('class="dash-comment"') == 1, "author: only the comment on their own post waits there",
   r.body.count('class="dash-comment"'))
ok('id="dash-mails"' not in r.body and 'id="count-subscribers"' not in r.body and 'id="dash-views"' not in r.body,
   "author: no subscribers, site views or mail recipients on the dashboard")
r = s.get("/admin/", jar=ada)
ok("Ada secret draft" in r.body and r.body.count('class="dash-comment"') == 2 and 'id="dash-mails"' in r.body,
   "admin: every draft, every comment waiting and the mails")
db.execute("DELETE FROM posts WHERE slug = 'ada-draft'")

r = s.get("/admin/comments?status=pending", jar=grace)
ok(re.search(r'id="tab-pending"[^>]*>Pending \(<span class="count">1</span>\)', r.body), "author: the status tabs count only the comments on their posts",
   re.findall(r'Pending[^<]*', r.body))

# --- "apply to all on this page" names the page's comments in page_ids: checked like ids
r = s.post("/admin/comments", {"csrf": grace_csrf, "back": "pending", "bulk_action": "delete", "all_on_page": "1",
                               "page_ids": str(ada_comment)}, jar=grace)
eq(r.status, 403, "author: a bulk action on all of a page with another author's comment answers 403")
eq(one("SELECT count(*) FROM comments WHERE id = ?", ada_comment), 1, "and the comment is still there")

# --- pages are the admins': an author's editor offers no Type, parent page or menu order
r = s.get("/admin/posts/new", jar=grace)
ok(r.status == 200 and 'name="kind"' not in r.body and 'name="menu_order"' not in r.body,
   "author: the editor offers no page fields")
ok('name="kind"' in s.get("/admin/posts/new", jar=ada).body, "admin: the editor offers Post or Page")

# --- nobody
for method, pattern, fn, flags in routes:
    path = path_of(pattern)
    r = send(method, path, flags, None, "0" * 64)
    loc = r.header("location") or ""
    if method == "GET":
        ok(r.status == 303 and loc.startswith("/admin/login?next="), "nobody: GET %s goes to the login" % pattern,
           (r.status, loc))
    else:
        ok(r.status in (303, 403) and (r.status == 403 or loc.startswith("/admin/login")),
           "nobody: POST %s is refused" % pattern, (r.status, loc))
eq(one("SELECT title FROM posts WHERE id = ?", ada_post), "Ada's post", "nobody changed anything")

# --- an author (logging out last)
for method, pattern, fn, flags in sorted(routes, key=lambda x: x[2] == "h_admin_logout"):
    path = path_of(pattern)
    r = send(method, path, flags, grace, grace_csrf)
    has_param = ":" in pattern
    expect_403 = ("R_ADMIN_ONLY" in flags or "R_OWN_COMMENT" in flags or
                  ("R_OWN_POST" in flags and (has_param or method == "POST")))
    if expect_403:
        eq(r.status, 403, "author: %s %s answers 403" % (method, pattern))
    else:
        ok(r.status != 403 and r.status < 500, "author: %s %s is open to an author" % (method, pattern), r.status)
eq(one("SELECT title FROM posts WHERE id = ?", ada_post), "Ada's post", "the author changed nothing of Ada's")
eq(one("SELECT status FROM comments WHERE id = ?", ada_comment), "pending", "nor her comments")
eq(one("SELECT count(*) FROM posts WHERE kind = 'page'"), 0, "nor made a page")

# --- an admin: GETs open (the POSTs would change the fixture)
for method, pattern, fn, flags in routes:
    if method != "GET":
        continue
    r = s.get(path_of(pattern), jar=ada)
    ok(r.status != 403 and r.status < 500, "admin: GET %s is open" % pattern, r.status)
done()
