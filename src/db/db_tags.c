/* db_tags: the tags of a post, and the index of all tags. */
#include "db_tags.h"

#include <string.h>

#include "buf.h"
#include "log.h"
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

long tags_index(struct db *d, time_t now, struct arena *a, struct tag_count **out)
{
	sqlite3_stmt *st = db_prep(d, "SELECT t.name, t.slug, count(*) FROM tags t "
	                              "JOIN post_tags pt ON pt.tag_id = t.id "
	                              "JOIN posts p ON p.id = pt.post_id "
	                              "WHERE p.status = 'published' AND p.published_at <= ?1 "
	                              "AND p.kind = 'post' GROUP BY t.id "
	                              "ORDER BY t.name COLLATE NOCASE, t.slug LIMIT ?2");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)now);
	sqlite3_bind_int(st, 2, TAGS_INDEX_MAX);
	long n = 0, cap = 0;
	struct tag_count *rows = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			long ncap = cap ? cap * 2 : 32;
			struct tag_count *bigger = arena_alloc(a, (size_t)ncap * sizeof *bigger);
			if (!bigger)
				break;
			if (n)
				memcpy(bigger, rows, (size_t)n * sizeof *rows);
			rows = bigger;
			cap = ncap;
		}
		rows[n].name = arena_strdup(a, db_text(st, 0));
		rows[n].slug = arena_strdup(a, db_text(st, 1));
		rows[n].posts = (long)sqlite3_column_int64(st, 2);
		if (!rows[n].name || !rows[n].slug)
			break;
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_msg("db: tags_index: %s", rc == SQLITE_ROW ? "out of memory" : db_errmsg(d));
		return -1;
	}
	*out = rows;
	return n;
}
