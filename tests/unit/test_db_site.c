/* test_db_site: settings rows, the readers' generation, the next scheduled post and the old
 * addresses of imported posts; on an in-memory database. */
#include <stdio.h>
#include <string.h>

#include "db_site.h"
#include "tap.h"

int main(void)
{
	struct db d;
	struct arena a = {0};
	char err[256];
	if (db_open(&d, ":memory:", DB_CREATE, err, sizeof err) < 0 || db_migrate(&d, err, sizeof err) < 0) {
		printf("Bail out! %s\n", err);
		return 1;
	}
	char v[8];
	ok(settings_get(&d, "no_such_key", v, sizeof v) == 0, "a missing setting is 0");
	ok(db_run(&d, "INSERT INTO settings(key, value) VALUES('k', 'abcdefghij')", DB_NOARGS) == 1,
	   "a setting");
	ok(settings_get(&d, "k", v, sizeof v) == 1 && strcmp(v, "abcdefg") == 0,
	   "read, cut to the buffer (%s)", v);

	long long g0 = reader_generation(&d);
	ok(g0 >= 1, "a generation after the migrations (%lld)", g0);
	ok(db_run(&d,
	          "INSERT INTO posts(id, slug, title, body_md, body_html, status, published_at, created_at, "
	          "updated_at) VALUES(1, 'hello', 'Hello', 'b', 'b', 'published', 100, 1, 1), "
	          "(2, 'soon', 'Soon', 'b', 'b', 'published', 500, 1, 1), "
	          "(3, 'draft', 'Draft', 'b', 'b', 'draft', 300, 1, 1)",
	          DB_NOARGS) == 3,
	   "three posts");
	ok(reader_generation(&d) > g0, "a new post is a new generation");

	time_t at = -1;
	ok(posts_next_scheduled(&d, 200, &at) == 0 && at == 500, "the next scheduled post (%lld)",
	   (long long)at);
	ok(posts_next_scheduled(&d, 600, &at) == 0 && at == 0, "none scheduled is 0");

	ok(db_run(&d,
	          "INSERT INTO legacy_redirects(path, post_id) VALUES('/2019/05/01/hello', 1), "
	          "('/2019/06/01/soon', 2), ('/2019/07/01/draft', 3)",
	          DB_NOARGS) == 3,
	   "three old addresses");
	const char *slug = NULL;
	ok(legacy_slug(&d, &a, "/2019/05/01/hello", 200, &slug) == 1 && slug && strcmp(slug, "hello") == 0,
	   "an old address gives its post's slug");
	ok(legacy_slug(&d, &a, "/2019/06/01/soon", 200, &slug) == 0, "not before the post is out");
	ok(legacy_slug(&d, &a, "/2019/07/01/draft", 1000, &slug) == 0, "never for a draft");
	ok(legacy_slug(&d, &a, "/2019/05/01/hello/", 200, &slug) == 0, "the caller trims a trailing slash");
	arena_free(&a);
	db_close(&d);
	return tap_done();
}
