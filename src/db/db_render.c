/* db_render: one pass over posts and comments, each row's HTML compared and written only when
 * the renderer now makes something else. */
#include "db_render.h"

#include <string.h>

#include "comment_text.h"
#include "log.h"
#include "markdown.h"

static const char SQL_VERSION[] = "SELECT CAST(value AS INTEGER) FROM settings WHERE key = 'render_version'";
static const char SQL_SET_VERSION[] = "INSERT INTO settings(key, value) VALUES('render_version', ?1) "
                                      "ON CONFLICT(key) DO UPDATE SET value = excluded.value";

enum source { POSTS, COMMENTS };
static const char *const SQL_ROWS[] = {[POSTS] = "SELECT id, body_md, body_html FROM posts",
                                       [COMMENTS] = "SELECT id, body, body_html FROM comments"};
static const char *const SQL_WRITE[] = {[POSTS] = "UPDATE posts SET body_html = ?2 WHERE id = ?1",
                                        [COMMENTS] = "UPDATE comments SET body_html = ?2 WHERE id = ?1"};

/* Rows of one table rendered again; their count, or -1. */
static long refresh(struct db *d, enum source src)
{
	sqlite3_stmt *rows = db_prep(d, SQL_ROWS[src]);
	if (!rows)
		return -1;
	struct buf html = BUF_INIT;
	long changed = 0;
	int rc;
	while ((rc = sqlite3_step(rows)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(rows, 0);
		const char *source = db_text(rows, 1), *old = db_text(rows, 2);
		buf_reset(&html);
		int r = src == POSTS ? md_render(source, strlen(source), &html)
		                     : comment_render(source, strlen(source), &html);
		if (r < 0) {
			changed = -1;
			break;
		}
		if (strcmp(buf_cstr(&html), old) == 0)
			continue;
		if (db_run(d, SQL_WRITE[src], DB_ARGS(DB_I(id), DB_T(buf_cstr(&html)))) < 0) {
			changed = -1;
			break;
		}
		changed++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		changed = -1;
	sqlite3_reset(rows);
	buf_free(&html);
	return changed;
}

long db_render_refresh(struct db *d)
{
	sqlite3_int64 have = 0;
	if (db_int(d, &have, SQL_VERSION, DB_NOARGS) < 0)
		return -1;
	if (have >= RENDER_VERSION)
		return 0;
	if (db_begin(d) < 0) {
		log_warn("render: the stored HTML is not made again now: %s", db_errmsg(d));
		return -1;
	}
	long posts = refresh(d, POSTS);
	long comments = posts < 0 ? -1 : refresh(d, COMMENTS);
	if (comments < 0 || db_run(d, SQL_SET_VERSION, DB_ARGS(DB_I(RENDER_VERSION))) < 0 ||
	    db_commit(d) < 0) {
		log_warn("render: the stored HTML is not made again: %s", db_errmsg(d));
		db_rollback(d);
		return -1;
	}
	if (posts || comments)
		log_info("render: HTML made again for a new renderer (version %d): posts %ld, comments %ld",
		         RENDER_VERSION, posts, comments);
	return posts + comments;
}
