#include "db_tags.h"

#include "buf.h"
#include "text.h"

int post_set_tags(struct db *d, sqlite3_int64 post, char *const *tags, int ntags)
{
	sqlite3_stmt *st = db_prep(d, "DELETE FROM post_tags WHERE post_id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, post);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	struct buf slug = BUF_INIT;
	for (int i = 0; i < ntags && rc == 0; i++) {
		buf_reset(&slug);
		slugify(&slug, tags[i], TAG_SLUG_MAX);
		if (slug.len == 0)
			continue;
		st = db_prep(d, "INSERT INTO tags(name, slug) VALUES(?1, ?2) ON CONFLICT(slug) DO NOTHING");
		if (!st)
			break;
		sqlite3_bind_text(st, 1, tags[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, buf_cstr(&slug), -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
		sqlite3_reset(st);
		st = db_prep(d, "INSERT OR IGNORE INTO post_tags(post_id, tag_id) "
		                "SELECT ?1, id FROM tags WHERE slug = ?2");
		if (!st || rc < 0)
			break;
		sqlite3_bind_int64(st, 1, post);
		sqlite3_bind_text(st, 2, buf_cstr(&slug), -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
		sqlite3_reset(st);
	}
	buf_free(&slug);
	return rc;
}

int db_tag_alias_set(struct db *d, const char *old_slug, const char *slug)
{
	return db_run(d,
	              "INSERT OR IGNORE INTO tag_aliases (old_slug, tag_id) SELECT ?1, id FROM tags "
	              "WHERE slug = ?2 AND ?1 != ?2",
	              DB_ARGS(DB_T(old_slug), DB_T(slug))) < 0
	           ? -1
	           : 0;
}
