/* db_cli: whole-table walks for the command line; one prepared statement each, reset on every
 * way out so that the connection's statement cache stays usable. */
#include "db_cli.h"

#include <string.h>

int db_identicon_key_init(struct db *d, const char *hex)
{
	return db_run(d, "INSERT OR IGNORE INTO settings(key, value) VALUES('identicon_key', ?1)",
	              DB_ARGS(DB_T(hex))) < 0
	           ? -1
	           : 0;
}

/* The end of a walk: fn's stop value, 0 at the end, -1 on an error (the caller says what it was
 * doing, with db_errmsg, which the reset keeps). */
static int walk_end(sqlite3_stmt *st, int step, int stop)
{
	sqlite3_reset(st);
	if (stop)
		return stop;
	return step == SQLITE_DONE ? 0 : -1;
}

int db_posts_each(struct db *d, post_row_fn fn, void *arg)
{
	sqlite3_stmt *st =
	    db_prep(d, "SELECT p.id, p.slug, p.status, p.published_at, p.title, "
	               "coalesce(u.name, '-') FROM posts p LEFT JOIN users u ON u.id = p.author_id "
	               "ORDER BY p.published_at DESC, p.id DESC");
	if (!st)
		return -1;
	int step = SQLITE_DONE, stop = 0;
	while (!stop && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct post_row p = {
		    .id = sqlite3_column_int64(st, 0),
		    .slug = db_text(st, 1),
		    .status = db_text(st, 2),
		    .published_at = (time_t)sqlite3_column_int64(st, 3),
		    .title = db_text(st, 4),
		    .author = db_text(st, 5),
		};
		stop = fn(&p, arg);
	}
	return walk_end(st, step, stop);
}

int db_users_each(struct db *d, user_row_fn fn, void *arg)
{
	sqlite3_stmt *st = db_prep(d, "SELECT id, name, email, slug, role FROM users ORDER BY id");
	if (!st)
		return -1;
	int step = SQLITE_DONE, stop = 0;
	while (!stop && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct user_row u = {
		    .id = sqlite3_column_int64(st, 0),
		    .name = db_text(st, 1),
		    .email = db_text(st, 2),
		    .slug = db_text(st, 3),
		    .role = db_text(st, 4),
		};
		stop = fn(&u, arg);
	}
	return walk_end(st, step, stop);
}

int db_export_each(struct db *d, export_post_fn fn, void *arg)
{
	sqlite3_stmt *st =
	    db_prep(d, "SELECT p.slug, p.title, p.published_at, coalesce((SELECT group_concat(name, ', ') "
	               "FROM (SELECT t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id "
	               "WHERE pt.post_id = p.id ORDER BY t.name)), ''), coalesce(u.name, ''), p.status, "
	               "p.excerpt, p.body_md, p.sticky, p.notify_subscribers, p.updated_at FROM posts p LEFT "
	               "JOIN users u "
	               "ON u.id = p.author_id "
	               "ORDER BY p.id");
	if (!st)
		return -1;
	int step = SQLITE_DONE, stop = 0;
	while (!stop && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct export_post p = {
		    .slug = db_text(st, 0),
		    .title = db_text(st, 1),
		    .published_at = (time_t)sqlite3_column_int64(st, 2),
		    .tags = db_text(st, 3),
		    .author = db_text(st, 4),
		    .draft = strcmp(db_text(st, 5), "draft") == 0,
		    .excerpt = db_text(st, 6),
		    .body_md = db_text(st, 7),
		    .sticky = sqlite3_column_int(st, 8) != 0,
		    .no_notify = sqlite3_column_int(st, 9) == 0,
		    .updated_at = (time_t)sqlite3_column_int64(st, 10),
		};
		stop = fn(&p, arg);
	}
	return walk_end(st, step, stop);
}
