/* test_db_render: HTML stored by an older renderer is made again once, from the Markdown, at the
 * next start; rows already current and a second start change nothing; nothing but the HTML moves. */
#include <string.h>

#include "db.h"
#include "db_render.h"
#include "tap.h"

static const char OLD_HTML[] = "<pre><code>int x;\n</code></pre>\n";

static void html_of(struct db *d, const char *sql, char *out, size_t n)
{
	out[0] = '\0';
	db_str(d, out, n, sql, DB_NOARGS);
}

int main(void)
{
	struct db d;
	char err[256], html[512];
	sqlite3_int64 n = 0;
	ok(db_open(&d, ":memory:", DB_CREATE, err, sizeof err) == 0 && db_migrate(&d, err, sizeof err) >= 0,
	   "in-memory database with the schema");
	ok(db_render_refresh(&d) == 0, "an empty database: nothing to render");
	db_run(&d, "DELETE FROM settings WHERE key = 'render_version'", DB_NOARGS);
	ok(db_run(&d,
	          "INSERT INTO posts(id, slug, title, body_md, body_html, excerpt, status, published_at, "
	          "created_at, updated_at) VALUES(1, 'code', 'Code', '```c\nint x;\n```\n', ?1, '', "
	          "'published', 100, 100, 100), (2, 'plain', 'Plain', 'Hello.', '<p>Hello.</p>\n', '', "
	          "'published', 100, 100, 100)",
	          DB_ARGS(DB_T(OLD_HTML))) == 2,
	   "a post with a code block rendered by an older quire, and a plain one");
	ok(db_run(&d,
	          "INSERT INTO comments(id, post_id, author_name, author_email, body, body_html, status, "
	          "created_at) VALUES(1, 1, 'Ann', 'a@example.org', '    code\n', "
	          "'<pre><code>code\n</code></pre>\n', "
	          "'approved', 100)",
	          DB_NOARGS) == 1,
	   "a comment with a code block, old HTML");
	sqlite3_int64 gen0 = 0;
	db_int(&d, &gen0, "SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'generation'", DB_NOARGS);
	long changed = db_render_refresh(&d);
	ok(changed == 2, "the post and the comment whose HTML differs are rendered again (%ld)", changed);
	html_of(&d, "SELECT body_html FROM posts WHERE id = 1", html, sizeof html);
	ok(strstr(html, "<pre tabindex=\"0\"") != NULL, "the code block is focusable now: %s", html);
	html_of(&d, "SELECT body_html FROM comments WHERE id = 1", html, sizeof html);
	ok(strstr(html, "<pre tabindex=\"0\"") != NULL, "the comment's too: %s", html);
	db_int(&d, &n, "SELECT updated_at FROM posts WHERE id = 1", DB_NOARGS);
	ok(n == 100, "the post's modified date does not move");
	sqlite3_int64 gen1 = 0;
	db_int(&d, &gen1, "SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'generation'", DB_NOARGS);
	ok(gen1 > gen0, "the render cache's generation moves (no page rendered from the old HTML)");
	db_int(&d, &n, "SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'render_version'", DB_NOARGS);
	ok(n == RENDER_VERSION, "the render version is recorded");
	ok(db_render_refresh(&d) == 0, "the next start renders nothing");
	db_close(&d);
	return tap_done();
}
