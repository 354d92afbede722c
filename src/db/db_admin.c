/* db_admin: the writes behind the editor; every save is one transaction. */
#include "db_admin.h"

#include <stdlib.h>
#include <string.h>

#include "db_posts.h"
#include "db_rows.h"
#include "db_tags.h"
#include "frontmatter.h"
#include "log.h"

int admin_counts(struct db *d, time_t now, struct admin_counts *out)
{
	sqlite3_int64 v[5] = {0};
	if (db_int(d, &v[0], "SELECT count(*) FROM posts WHERE status = 'published' AND published_at <= ?1",
	           DB_ARGS(DB_I(now))) < 0 ||
	    db_int(d, &v[1], "SELECT count(*) FROM posts WHERE status = 'draft'", DB_NOARGS) < 0 ||
	    db_int(d, &v[2], "SELECT count(*) FROM posts WHERE status = 'published' AND published_at > ?1",
	           DB_ARGS(DB_I(now))) < 0 ||
	    db_int(d, &v[3], "SELECT count(*) FROM comments WHERE status = 'pending'", DB_NOARGS) < 0 ||
	    db_int(d, &v[4],
	           "SELECT count(*) FROM subscribers WHERE status = 'confirmed' AND wants_posts = 1",
	           DB_NOARGS) < 0)
		return -1;
	*out = (struct admin_counts){v[0], v[1], v[2], v[3], v[4]};
	return 0;
}

#define ADMIN_FILTER                                                                                         \
	" WHERE (?2 = 'all' OR (?2 = 'draft' AND p.status = 'draft') OR "                                    \
	"(?2 = 'scheduled' AND p.status = 'published' AND p.published_at > ?1) OR "                          \
	"(?2 = 'published' AND p.status = 'published' AND p.published_at <= ?1) OR "                         \
	"(?2 = 'posts' AND p.kind = 'post') OR (?2 = 'pages' AND p.kind = 'page')) "                         \
	"AND (?5 = 0 OR p.author_id = ?5)"
static const char SQL_ADMIN_COUNT[] = "SELECT count(*) FROM posts p" ADMIN_FILTER;
static const char SQL_ADMIN_LIST[] =
    "SELECT p.id, p.title, p.slug, p.status, p.published_at, p.updated_at, coalesce(u.name, ''), "
    "p.sticky, p.kind = 'page', p.notify_subscribers = 0 AND p.kind = 'post' "
    "FROM posts p LEFT JOIN users u ON u.id = p.author_id" ADMIN_FILTER
    " ORDER BY CASE WHEN p.published_at = 0 THEN p.created_at ELSE p.published_at END DESC, p.id DESC "
    "LIMIT ?3 OFFSET ?4";

/* A string column copied into the arena; false when out of memory. */
static bool col(struct arena *a, sqlite3_stmt *st, int i, const char **out)
{
	*out = arena_strdup(a, db_text(st, i));
	return *out != NULL;
}

long admin_posts_list(struct db *d, time_t now, const char *filter, long page, struct arena *a,
                      struct admin_post **out, long *n)
{
	return admin_posts_list_by(d, now, filter, 0, page, a, out, n);
}

long admin_posts_list_by(struct db *d, time_t now, const char *filter, sqlite3_int64 author, long page,
                         struct arena *a, struct admin_post **out, long *n)
{
	if (!filter || (strcmp(filter, "draft") && strcmp(filter, "scheduled") &&
	                strcmp(filter, "published") && strcmp(filter, "posts") && strcmp(filter, "pages")))
		filter = "all";
	sqlite3_int64 total = -1;
	if (db_int(d, &total, SQL_ADMIN_COUNT,
	           DB_ARGS(DB_I(now), DB_T(filter), DB_I(0), DB_I(0), DB_I(author))) < 0)
		return -1;
	sqlite3_stmt *st = db_prep(d, SQL_ADMIN_LIST);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_text(st, 2, filter, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, ADMIN_PER_PAGE);
	sqlite3_bind_int64(st, 4, (page - 1) * ADMIN_PER_PAGE);
	sqlite3_bind_int64(st, 5, author);
	size_t k = 0, cap = 0;
	struct admin_post *arr = NULL, *p;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(p = db_rows_add(a, &arr, k, &cap, sizeof *p)) || !col(a, st, 1, &p->title) ||
		    !col(a, st, 2, &p->slug) || !col(a, st, 6, &p->author_name))
			break;
		p->id = sqlite3_column_int64(st, 0);
		p->published = strcmp(db_text(st, 3), "published") == 0;
		p->published_at = (time_t)sqlite3_column_int64(st, 4);
		p->sticky = sqlite3_column_int(st, 7) != 0;
		p->is_page = sqlite3_column_int(st, 8) != 0;
		p->no_email = sqlite3_column_int(st, 9) != 0;
		k++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_msg("admin_posts_list: %s", rc == SQLITE_ROW ? "out of memory" : db_errmsg(d));
		return -1;
	}
	*out = arr;
	*n = (long)k;
	return (long)total;
}

static const char SQL_LOAD[] =
    "SELECT p.title, p.slug, p.body_md, p.excerpt, p.status, p.published_at, coalesce(u.name, ''), "
    "p.comments_closed, "
    "coalesce(u.email, ''), coalesce(u.bio, ''), coalesce(u.slug, ''), "
    "(SELECT group_concat(name, ', ') FROM (SELECT t.name FROM post_tags pt JOIN tags t ON t.id = pt.tag_id "
    " WHERE pt.post_id = p.id ORDER BY t.name)), coalesce(u.id, 0), "
    "p.sticky, p.kind = 'page', coalesce(p.parent_id, 0), p.menu_order IS NOT NULL, coalesce(p.menu_order, "
    "0), p.featured_image, p.version, p.excerpt_typed, p.updated_at "
    "FROM posts p LEFT JOIN users u ON u.id = p.author_id WHERE p.id = ?1";

static bool fill_edit(sqlite3_stmt *st, struct arena *a, struct post_edit *e)
{
	e->published = strcmp(db_text(st, 4), "published") == 0;
	e->published_at = (time_t)sqlite3_column_int64(st, 5);
	e->comments_closed = sqlite3_column_int(st, 7) != 0;
	e->author.id = sqlite3_column_int64(st, 12);
	e->sticky = sqlite3_column_int(st, 13) != 0;
	e->is_page = sqlite3_column_int(st, 14) != 0;
	e->parent = sqlite3_column_int64(st, 15);
	e->in_menu = sqlite3_column_int(st, 16) != 0;
	e->menu_order = sqlite3_column_int64(st, 17);
	e->version = sqlite3_column_int64(st, 19);
	e->updated_at = (time_t)sqlite3_column_int64(st, 21);
	/* NULL: written before sql/023 (or by an import): the editor decides */
	e->excerpt_typed = NULL;
	if (sqlite3_column_type(st, 20) != SQLITE_NULL && !col(a, st, 20, &e->excerpt_typed))
		return false;
	return col(a, st, 0, &e->title) && col(a, st, 1, &e->slug) && col(a, st, 2, &e->body) &&
	       col(a, st, 3, &e->excerpt) && col(a, st, 6, &e->author.name) &&
	       col(a, st, 8, &e->author.email) && col(a, st, 9, &e->author.bio) &&
	       col(a, st, 10, &e->author.slug) && col(a, st, 11, &e->tags) &&
	       col(a, st, 18, &e->featured_image);
}

int admin_post_load(struct db *d, struct arena *a, sqlite3_int64 id, struct post_edit *out)
{
	sqlite3_stmt *st = db_prep(d, SQL_LOAD);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	memset(out, 0, sizeof *out);
	out->id = id;
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1 && !fill_edit(st, a, out))
		found = -1;
	if (found < 0)
		log_msg("admin_post_load: post=%lld: %s", (long long)id,
		        rc == SQLITE_ROW ? "out of memory" : db_errmsg(d));
	sqlite3_reset(st);
	return found;
}

bool post_slug_taken(struct db *d, const char *slug, sqlite3_int64 id)
{
	sqlite3_int64 one = 0;
	return db_int(d, &one, "SELECT 1 FROM posts WHERE slug = ?1 AND id != ?2",
	              DB_ARGS(DB_T(slug), DB_I(id))) != 0;
}

static const char SQL_INSERT[] =
    "INSERT INTO posts(slug, title, body_md, body_html, excerpt, author_id, status, published_at, "
    "created_at, updated_at, comments_closed, kind, parent_id, menu_order, featured_image, "
    "excerpt_typed) "
    "VALUES(?1, ?2, ?3, ?4, ?5, coalesce(?17, ?6), ?7, ?8, ?9, ?9, ?11, ?12, ?13, ?14, ?15, ?16) "
    "RETURNING id";
static const char SQL_UPDATE[] =
    "UPDATE posts SET slug = ?1, title = ?2, body_md = ?3, body_html = ?4, excerpt = ?5, status = ?7, "
    "published_at = ?8, comments_closed = ?11, kind = ?12, parent_id = ?13, menu_order = ?14, "
    /* the content's last change (sitemap, feed, article:modified_time): its words, not a save */
    "updated_at = CASE WHEN title IS NOT ?2 OR body_md IS NOT ?3 OR excerpt IS NOT ?5 THEN ?9 ELSE "
    "updated_at END, featured_image = ?15, excerpt_typed = ?16, author_id = coalesce(?17, author_id), "
    "version = version + 1 "
    "WHERE id = ?10 RETURNING id";

static int redirect_old_slug(struct db *d, sqlite3_int64 id, const char *new_slug)
{
	sqlite3_stmt *st = db_prep(
	    d, "INSERT INTO slug_redirects(old_slug, post_id) SELECT slug, id FROM posts "
	       "WHERE id = ?1 AND slug != ?2 ON CONFLICT(old_slug) DO UPDATE SET post_id = excluded.post_id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, new_slug, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	if (rc < 0 || !(st = db_prep(d, "DELETE FROM slug_redirects WHERE old_slug = ?1")))
		return -1;
	sqlite3_bind_text(st, 1, new_slug, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	return rc;
}

static int save_tags(struct db *d, sqlite3_int64 id, const char *tagstr)
{
	char *copy = strdup(tagstr ? tagstr : ""), *tags[TAGS_MAX], why[128];
	if (!copy)
		return -1;
	int n = fm_split_tags(copy, tags, why, sizeof why);
	int rc = n < 0 ? -1 : post_set_tags(d, id, tags, n);
	free(copy);
	return rc;
}

sqlite3_int64 post_write(struct db *d, const struct post_save *p, time_t now)
{
	if (p->id && redirect_old_slug(d, p->id, p->slug) < 0)
		goto fail;
	sqlite3_stmt *st = db_prep(d, p->id ? SQL_UPDATE : SQL_INSERT);
	if (!st)
		goto fail;
	sqlite3_bind_text(st, 1, p->slug, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, p->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, p->body_md, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, p->body_html, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, p->excerpt, -1, SQLITE_STATIC);
	if (!p->id)
		sqlite3_bind_int64(st, 6, p->author);
	sqlite3_bind_text(st, 7, p->published ? "published" : "draft", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, p->published_at);
	sqlite3_bind_int64(st, 9, now);
	if (p->id)
		sqlite3_bind_int64(st, 10, p->id);
	sqlite3_bind_int(st, 11, p->comments_closed);
	sqlite3_bind_text(st, 12, p->is_page ? "page" : "post", -1, SQLITE_STATIC);
	/* a post has no parent and no place in the menu */
	if (p->is_page && p->parent)
		sqlite3_bind_int64(st, 13, p->parent);
	else
		sqlite3_bind_null(st, 13);
	if (p->is_page && p->in_menu)
		sqlite3_bind_int64(st, 14, p->menu_order);
	else
		sqlite3_bind_null(st, 14);
	sqlite3_bind_text(st, 15, p->featured_image ? p->featured_image : "", -1, SQLITE_STATIC);
	/* NULL (a caller that does not know): the editor decides on its first load */
	if (p->excerpt_typed)
		sqlite3_bind_text(st, 16, p->excerpt_typed, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 16);
	if (p->set_author)
		sqlite3_bind_int64(st, 17, p->set_author);
	else
		sqlite3_bind_null(st, 17);
	int step = sqlite3_step(st);
	sqlite3_int64 id = step == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	/* deleted by someone else since the editor loaded it: not a database error */
	if (step == SQLITE_DONE && p->id)
		return POST_GONE;
	if (id < 0 || save_tags(d, id, p->tags) < 0 || content_touch(d, now) < 0)
		goto fail;
	return id;
fail:
	log_msg("post_write: post=%lld: %s", (long long)p->id, db_errmsg(d));
	return -1;
}

int post_delete(struct db *d, sqlite3_int64 id, time_t now)
{
	if (db_begin(d) < 0)
		return -1;
	int rc = db_run(d, "DELETE FROM posts WHERE id = ?1", DB_ARGS(DB_I(id)));
	if (rc < 0 || content_touch(d, now) < 0 || db_commit(d) < 0) {
		log_msg("post_delete: post=%lld: %s", (long long)id, db_errmsg(d));
		db_rollback(d);
		return -1;
	}
	return rc > 0;
}
