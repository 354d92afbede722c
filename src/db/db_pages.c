/* db_pages: the SQL of static pages: addresses, the header menu, parents, import marks. */
#include "db_pages.h"

#include "db_rows.h"
#include "log.h"

#define PAGE_VISIBLE "p.kind = 'page' AND p.status = 'published' AND p.published_at <= ?1"

long page_menu(struct db *d, time_t now, struct arena *a, struct menu_item **out)
{
	/* every uncached page asks: from the pages' index (sql/013), never a walk over the posts
	 * (the unary + keeps the planner off posts_visible, which would scan every published post) */
	sqlite3_stmt *st =
	    db_prep(d, "SELECT p.title, p.slug FROM posts p WHERE p.kind = 'page' "
	               "AND +p.status = 'published' AND +p.published_at <= ?1 AND p.parent_id IS NULL "
	               "AND p.menu_order IS NOT NULL ORDER BY p.menu_order, p.title, p.id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	size_t n = 0, cap = 0;
	struct menu_item *arr = NULL, *m;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(m = db_rows_add(a, &arr, n, &cap, sizeof *m)) ||
		    !(m->title = arena_strdup(a, db_text(st, 0))) ||
		    !(m->slug = arena_strdup(a, db_text(st, 1))))
			break;
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_msg("page_menu: %s", rc == SQLITE_ROW ? "out of memory" : db_errmsg(d));
		return -1;
	}
	*out = arr;
	return (long)n;
}

int page_path(struct db *d, time_t now, const char *slug, struct arena *a, const char **path)
{
	sqlite3_stmt *st =
	    db_prep(d, "SELECT " PAGE_PATH_SQL("p") " FROM posts p WHERE p.slug = ?2 AND " PAGE_VISIBLE);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, slug, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1 && sqlite3_column_type(st, 0) == SQLITE_NULL)
		found = 0;
	else if (found == 1 && !(*path = arena_strdup(a, db_text(st, 0))))
		found = -1;
	if (found < 0)
		log_msg("page_path: %s", rc == SQLITE_ROW ? "out of memory" : db_errmsg(d));
	sqlite3_reset(st);
	return found;
}

long page_parent_choices(struct db *d, sqlite3_int64 except, struct arena *a, struct page_choice **out)
{
	sqlite3_stmt *st = db_prep(d, "SELECT id, title FROM posts WHERE kind = 'page' AND parent_id IS NULL "
	                              "AND id != ?1 ORDER BY title, id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, except);
	size_t n = 0, cap = 0;
	struct page_choice *arr = NULL, *c;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(c = db_rows_add(a, &arr, n, &cap, sizeof *c)) ||
		    !(c->title = arena_strdup(a, db_text(st, 1))))
			break;
		c->id = sqlite3_column_int64(st, 0);
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_msg("page_parent_choices: %s", rc == SQLITE_ROW ? "out of memory" : db_errmsg(d));
		return -1;
	}
	*out = arr;
	return (long)n;
}

bool page_has_children(struct db *d, sqlite3_int64 id)
{
	sqlite3_int64 n = 0;
	return id &&
	       db_int(d, &n, "SELECT count(*) FROM posts WHERE parent_id = ?1 AND kind = 'page'",
	              DB_ARGS(DB_I(id))) == 1 &&
	       n > 0;
}

bool page_is_top_level(struct db *d, sqlite3_int64 id)
{
	sqlite3_int64 n = 0;
	return db_int(d, &n,
	              "SELECT count(*) FROM posts WHERE id = ?1 AND kind = 'page' AND parent_id IS NULL",
	              DB_ARGS(DB_I(id))) == 1 &&
	       n == 1;
}

int db_import_page_set(struct db *d, sqlite3_int64 id, long long menu_order)
{
	return db_run(d,
	              "UPDATE posts SET kind = 'page', menu_order = ?2 WHERE id = ?1 "
	              "AND (kind != 'page' OR menu_order IS NOT ?2)",
	              DB_ARGS(DB_I(id), DB_I(menu_order))) < 0
	           ? -1
	           : 0;
}

int db_import_page_parent(struct db *d, long long wp_id, long long wp_parent)
{
	return db_run(d,
	              "UPDATE posts SET parent_id = (SELECT q.id FROM posts q WHERE ?2 != 0 AND q.wp_id = ?2 "
	              "AND q.kind = 'page' AND q.wp_id != ?1) WHERE wp_id = ?1 AND kind = 'page' AND "
	              "parent_id IS NOT (SELECT q.id FROM posts q WHERE ?2 != 0 AND q.wp_id = ?2 "
	              "AND q.kind = 'page' AND q.wp_id != ?1)",
	              DB_ARGS(DB_I(wp_id), DB_I(wp_parent))) < 0
	           ? -1
	           : 0;
}
