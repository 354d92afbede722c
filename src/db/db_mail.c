/* db_mail: one statement per mail part, with the joins the renderer would otherwise repeat. */
#include "db_mail.h"

static const char *col(struct arena *a, sqlite3_stmt *st, int i)
{
	return arena_strdup(a, db_text(st, i));
}

int db_mail_post(struct db *d, struct arena *a, sqlite3_int64 id, time_t now, struct mail_post *p)
{
	sqlite3_stmt *st =
	    db_prep(d, "SELECT p.title, p.slug, p.excerpt, coalesce(u.name, ''), coalesce(u.email, ''), "
	               "p.status = 'published' AND p.published_at <= ?2, p.body_html "
	               "FROM posts p LEFT JOIN users u ON u.id = p.author_id WHERE p.id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1)
		*p = (struct mail_post){.title = col(a, st, 0),
		                        .slug = col(a, st, 1),
		                        .excerpt = col(a, st, 2),
		                        .author = col(a, st, 3),
		                        .author_email = col(a, st, 4),
		                        .visible = sqlite3_column_int(st, 5) != 0,
		                        .body_html = col(a, st, 6)};
	sqlite3_reset(st);
	return found;
}

int db_mail_comment(struct db *d, struct arena *a, sqlite3_int64 id, struct mail_comment *c)
{
	sqlite3_stmt *st =
	    db_prep(d, "SELECT c.author_name, c.body, c.post_id, coalesce(p.author_email, ''), "
	               "coalesce(p.author_name, ''), c.held_reason, c.held_detail "
	               "FROM comments c LEFT JOIN comments p ON p.id = c.parent_id "
	               "WHERE c.id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1)
		*c = (struct mail_comment){.author = col(a, st, 0),
		                           .body = col(a, st, 1),
		                           .post = sqlite3_column_int64(st, 2),
		                           .parent_email = col(a, st, 3),
		                           .parent_author = col(a, st, 4),
		                           .held_reason = col(a, st, 5),
		                           .held_detail = col(a, st, 6)};
	sqlite3_reset(st);
	return found;
}
