/* db_revisions: revisions, the autosave and the version of a post; the users to choose from. */
#include "db_revisions.h"

#include <string.h>

#include "log.h"

#define REV_COLS                                                                                             \
	"r.id, r.post_id, coalesce(r.user_id, 0), r.kind, r.title, r.body_md, r.excerpt, r.tags, r.slug, "   \
	"r.date, r.featured_image, coalesce(u.name, ''), r.created_at, r.version "
#define REV_FROM "FROM revisions r LEFT JOIN users u ON u.id = r.user_id "

static bool col(struct arena *a, sqlite3_stmt *st, int i, const char **out)
{
	*out = arena_strdup(a, db_text(st, i));
	return *out != NULL;
}

static bool fill(sqlite3_stmt *st, struct arena *a, struct revision *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	r->post_id = sqlite3_column_int64(st, 1);
	r->user_id = sqlite3_column_int64(st, 2);
	r->created_at = (time_t)sqlite3_column_int64(st, 12);
	r->version = sqlite3_column_int64(st, 13);
	return col(a, st, 3, &r->kind) && col(a, st, 4, &r->title) && col(a, st, 5, &r->body) &&
	       col(a, st, 6, &r->excerpt) && col(a, st, 7, &r->tags) && col(a, st, 8, &r->slug) &&
	       col(a, st, 9, &r->date) && col(a, st, 10, &r->featured_image) && col(a, st, 11, &r->user_name);
}

static const char *s_or(const char *s)
{
	return s ? s : "";
}

/* Inserts r with kind; its id in *id (may be NULL). */
static int insert(struct db *d, const struct revision *r, const char *kind, sqlite3_int64 *id)
{
	sqlite3_stmt *st =
	    db_prep(d, "INSERT INTO revisions(post_id, kind, title, body_md, excerpt, tags, "
	               "slug, date, featured_image, user_id, created_at, version) "
	               "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) RETURNING id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, r->post_id);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, s_or(r->title), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, s_or(r->body), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, s_or(r->excerpt), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, s_or(r->tags), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, s_or(r->slug), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, s_or(r->date), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, s_or(r->featured_image), -1, SQLITE_STATIC);
	if (r->user_id)
		sqlite3_bind_int64(st, 10, r->user_id);
	else
		sqlite3_bind_null(st, 10);
	sqlite3_bind_int64(st, 11, r->created_at);
	sqlite3_bind_int64(st, 12, r->version);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && id)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW) {
		log_msg("revisions: post=%lld: %s", (long long)r->post_id, db_errmsg(d));
		return -1;
	}
	return 0;
}

int revision_add(struct db *d, const struct revision *r)
{
	if (insert(d, r, "save", NULL) < 0 ||
	    db_run(
	        d,
	        "DELETE FROM revisions WHERE post_id = ?1 AND kind = 'save' AND id NOT IN "
	        "(SELECT id FROM revisions WHERE post_id = ?1 AND kind = 'save' ORDER BY id DESC LIMIT ?2)",
	        DB_ARGS(DB_I(r->post_id), DB_I(REVISIONS_KEPT))) < 0) {
		log_msg("revisions: post=%lld: not kept: %s", (long long)r->post_id, db_errmsg(d));
		return -1;
	}
	return 0;
}

long revisions_list(struct db *d, struct arena *a, sqlite3_int64 post, struct revision **out)
{
	*out = NULL;
	sqlite3_stmt *st = db_prep(d, "SELECT " REV_COLS REV_FROM
	                              "WHERE r.post_id = ?1 AND r.kind = 'save' ORDER BY r.id DESC LIMIT ?2");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, post);
	sqlite3_bind_int64(st, 2, REVISIONS_KEPT);
	struct revision *arr = arena_alloc(a, REVISIONS_KEPT * sizeof *arr);
	long n = 0;
	int rc = SQLITE_NOMEM;
	while (arr && n < REVISIONS_KEPT && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!fill(st, a, &arr[n])) {
			rc = SQLITE_NOMEM;
			break;
		}
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && !(rc == SQLITE_ROW && n == REVISIONS_KEPT)) {
		log_msg("revisions_list: post=%lld: %s", (long long)post, db_errmsg(d));
		return -1;
	}
	*out = arr;
	return n;
}

/* One row of stmt st (post bound as ?1, more bound by the caller): 1, 0 or -1. */
static int one(struct db *d, sqlite3_stmt *st, struct arena *a, struct revision *out, const char *what)
{
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1 && !fill(st, a, out))
		found = -1;
	if (found < 0)
		log_msg("%s: %s", what, rc == SQLITE_ROW ? "out of memory" : db_errmsg(d));
	sqlite3_reset(st);
	return found;
}

int revision_get(struct db *d, struct arena *a, sqlite3_int64 post, sqlite3_int64 id, struct revision *out)
{
	sqlite3_stmt *st = db_prep(d, "SELECT " REV_COLS REV_FROM "WHERE r.post_id = ?1 AND r.id = ?2");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, post);
	sqlite3_bind_int64(st, 2, id);
	return one(d, st, a, out, "revision_get");
}

int autosave_put(struct db *d, const struct revision *r, sqlite3_int64 *id)
{
	if (db_begin(d) < 0)
		return -1;
	if (autosave_drop_mine(d, r->post_id, r->user_id) < 0 || insert(d, r, "autosave", id) < 0 ||
	    db_commit(d) < 0) {
		log_msg("autosave_put: post=%lld: %s", (long long)r->post_id, db_errmsg(d));
		db_rollback(d);
		return -1;
	}
	return 0;
}

int autosave_get(struct db *d, struct arena *a, sqlite3_int64 post, struct revision *out)
{
	sqlite3_stmt *st =
	    db_prep(d, "SELECT " REV_COLS REV_FROM
	               "WHERE r.post_id = ?1 AND r.kind = 'autosave' ORDER BY r.id DESC LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, post);
	return one(d, st, a, out, "autosave_get");
}

int autosave_drop(struct db *d, sqlite3_int64 post)
{
	return db_run(d, "DELETE FROM revisions WHERE post_id = ?1 AND kind = 'autosave'",
	              DB_ARGS(DB_I(post))) < 0
	           ? -1
	           : 0;
}

int autosave_drop_mine(struct db *d, sqlite3_int64 post, sqlite3_int64 user)
{
	return db_run(d,
	              "DELETE FROM revisions WHERE post_id = ?1 AND kind = 'autosave' AND "
	              "(user_id = ?2 OR user_id IS NULL)",
	              DB_ARGS(DB_I(post), DB_I(user))) < 0
	           ? -1
	           : 0;
}

long long post_version(struct db *d, sqlite3_int64 post)
{
	sqlite3_int64 v = 0;
	int rc = db_int(d, &v, "SELECT version FROM posts WHERE id = ?1", DB_ARGS(DB_I(post)));
	return rc < 0 ? -1 : rc == 0 ? 0 : (long long)v;
}

long author_choices(struct db *d, struct arena *a, struct author_choice **out)
{
	*out = NULL;
	sqlite3_int64 count = 0;
	if (db_int(d, &count, "SELECT count(*) FROM users", DB_NOARGS) < 0)
		return -1;
	sqlite3_stmt *st = db_prep(d, "SELECT id, name FROM users ORDER BY name COLLATE NOCASE");
	if (!st)
		return -1;
	struct author_choice *arr = arena_alloc(a, ((size_t)count + 1) * sizeof *arr);
	long n = 0;
	int rc = SQLITE_NOMEM;
	while (arr && (rc = sqlite3_step(st)) == SQLITE_ROW && n < count) {
		arr[n].id = sqlite3_column_int64(st, 0);
		if (!col(a, st, 1, &arr[n].name)) {
			rc = SQLITE_NOMEM;
			break;
		}
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && !(rc == SQLITE_ROW && n == count)) {
		log_msg("author_choices: %s", db_errmsg(d));
		return -1;
	}
	*out = arr;
	return n;
}

int author_exists(struct db *d, sqlite3_int64 id)
{
	sqlite3_int64 one = 0;
	return db_int(d, &one, "SELECT 1 FROM users WHERE id = ?1", DB_ARGS(DB_I(id)));
}
