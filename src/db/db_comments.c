/* db_comments: every write is one short transaction; reads use the comments_by_* indexes. */
#include "db_comments.h"

#include <sodium.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "db_pages.h"
#include "db_posts.h"
#include "db_rows.h"
#include "log.h"

#define DAY_KEY_SZ 16 /* "YYYY-MM-DD" and its NUL, with room */

#define COMMENT_COLS                                                                                         \
	"id, coalesce(parent_id, 0), post_id, author_name, author_email, author_url, body, body_html, "      \
	"status, ip, user_agent, created_at, notify, kind"

static void fill(sqlite3_stmt *st, struct arena *a, struct comment *c)
{
	memset(c, 0, sizeof *c);
	c->id = sqlite3_column_int64(st, 0);
	c->parent_id = sqlite3_column_int64(st, 1);
	c->post_id = sqlite3_column_int64(st, 2);
	c->name = arena_strdup(a, db_text(st, 3));
	c->email = arena_strdup(a, db_text(st, 4));
	c->url = arena_strdup(a, db_text(st, 5));
	c->body = arena_strdup(a, db_text(st, 6));
	c->body_html = arena_strdup(a, db_text(st, 7));
	c->status = arena_strdup(a, db_text(st, 8));
	c->ip = arena_strdup(a, db_text(st, 9));
	c->user_agent = arena_strdup(a, db_text(st, 10));
	c->created_at = (time_t)sqlite3_column_int64(st, 11);
	c->notify = sqlite3_column_int(st, 12) != 0;
	c->kind = arena_strdup(a, db_text(st, 13));
}

static const char SQL_OF_POST[] = "SELECT " COMMENT_COLS " FROM comments WHERE post_id = ?1 AND "
                                  "(status = 'approved' OR id = ?2) ORDER BY created_at, id";

long comments_of_post(struct db *d, struct arena *a, sqlite3_int64 post, sqlite3_int64 also,
                      struct comment **out)
{
	sqlite3_stmt *st = db_prep(d, SQL_OF_POST);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, post);
	sqlite3_bind_int64(st, 2, also);
	size_t n = 0, cap = 0;
	struct comment *arr = NULL, *c;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(c = db_rows_add(a, &arr, n, &cap, sizeof *c)))
			break;
		fill(st, a, c);
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_msg("comments_of_post: post=%lld: %s", (long long)post,
		        rc == SQLITE_ROW ? "out of memory" : db_errmsg(d));
		return -1;
	}
	*out = arr;
	return (long)n;
}

int comment_get(struct db *d, struct arena *a, sqlite3_int64 id, struct comment *c)
{
	sqlite3_stmt *st = db_prep(d, "SELECT " COMMENT_COLS " FROM comments WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
	if (found == 1)
		fill(st, a, c);
	sqlite3_reset(st);
	return found;
}

int comment_depth(struct db *d, sqlite3_int64 id)
{
	sqlite3_int64 depth = 0;
	if (db_int(d, &depth,
	           "WITH RECURSIVE up(id, parent, depth) AS ("
	           " SELECT id, parent_id, 1 FROM comments WHERE id = ?1"
	           " UNION ALL SELECT c.id, c.parent_id, up.depth + 1 FROM comments c JOIN up ON c.id = "
	           "up.parent"
	           " WHERE up.depth < 64) SELECT coalesce(max(depth), 0) FROM up",
	           DB_ARGS(DB_I(id))) < 0)
		return 0;
	return (int)depth;
}

long comments_from_ip(struct db *d, const char *ip, time_t since)
{
	sqlite3_int64 n = -1;
	if (db_int(d, &n, "SELECT count(*) FROM comments WHERE ip = ?1 AND created_at >= ?2",
	           DB_ARGS(DB_T(ip), DB_I(since))) < 0)
		return -1;
	return (long)n;
}

bool commenter_known(struct db *d, const char *email)
{
	/* anyone can type another person's address: only a confirmed one counts */
	sqlite3_int64 one = 0;
	return db_int(d, &one,
	              "SELECT 1 FROM comments c JOIN subscribers s ON s.email = c.author_email "
	              "AND s.status = 'confirmed' WHERE c.author_email = ?1 COLLATE NOCASE "
	              "AND c.status = 'approved' LIMIT 1",
	              DB_ARGS(DB_T(email))) == 1;
}

/* 63 bits of BLAKE2b of the body: the index key for the duplicate check. */
static sqlite3_int64 body_hash(const char *body)
{
	unsigned char h[8];
	crypto_generichash(h, sizeof h, (const unsigned char *)body, strlen(body), NULL, 0);
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | h[i];
	return (sqlite3_int64)(v >> 1);
}

bool comment_duplicate(struct db *d, const char *body)
{
	sqlite3_int64 one = 0;
	return db_int(d, &one, "SELECT 1 FROM comments WHERE body_hash = ?1 AND body = ?2 LIMIT 1",
	              DB_ARGS(DB_I(body_hash(body)), DB_T(body))) == 1;
}

static const char SQL_INSERT[] =
    "INSERT INTO comments(post_id, parent_id, author_name, author_email, "
    "author_url, body, body_html, status, "
    "notify, ip, user_agent, created_at, body_hash, held_reason, held_detail) VALUES(?1, "
    "nullif(?2, 0), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, substr(?15, 1, ?16)) "
    "RETURNING id";

sqlite3_int64 comment_insert(struct db *d, const struct comment *c, const struct token_claim *claim,
                             time_t now)
{
	int first = claim ? form_token_claim(d, claim->hash, claim->expires, now) : 1;
	if (first <= 0)
		return first == 0 ? COMMENT_TOKEN_USED : -1;
	sqlite3_stmt *st = db_prep(d, SQL_INSERT);
	sqlite3_int64 id = -1;
	if (st) {
		sqlite3_bind_int64(st, 1, c->post_id);
		sqlite3_bind_int64(st, 2, c->parent_id);
		sqlite3_bind_text(st, 3, c->name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, c->email, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, c->url, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, c->body, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, c->body_html, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 8, c->status, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 9, c->notify);
		sqlite3_bind_text(st, 10, c->ip, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 11, c->user_agent, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 12, now);
		sqlite3_bind_int64(st, 13, body_hash(c->body));
		bool held = strcmp(c->status, "pending") == 0;
		sqlite3_bind_text(st, 14, held && c->held_reason ? c->held_reason : "", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 15, held && c->held_detail ? c->held_detail : "", -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 16, HELD_DETAIL_MAX);
		if (sqlite3_step(st) == SQLITE_ROW)
			id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	if (id < 0 || (strcmp(c->status, "approved") == 0 && content_touch(d, now) < 0)) {
		log_msg("comment_insert: sqlite: %s", db_errmsg(d));
		return -1;
	}
	return id;
}

int form_token_claim(struct db *d, const unsigned char hash[32], time_t expires, time_t now)
{
	/* the insert is the claim: of two requests racing with one token, one inserts the row */
	sqlite3_stmt *st = db_prep(
	    d, "INSERT INTO form_tokens(hash, expires_at) VALUES(?1, ?2) ON CONFLICT(hash) DO NOTHING");
	if (!st)
		return -1;
	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, expires);
	int rc = sqlite3_step(st) == SQLITE_DONE ? sqlite3_changes(d->h) > 0 : -1;
	sqlite3_reset(st);
	if (rc < 0) {
		log_msg("form_token_claim: sqlite: %s", db_errmsg(d));
		return -1;
	}
	st = db_prep(d, "DELETE FROM form_tokens WHERE expires_at < ?1");
	if (st) {
		sqlite3_bind_int64(st, 1, now);
		if (sqlite3_step(st) != SQLITE_DONE)
			log_msg("form_token_claim: cleanup: %s", db_errmsg(d));
		sqlite3_reset(st);
	}
	return rc;
}

/* The day a refusal is counted under, "YYYY-MM-DD" in UTC (a key, not display text). */
static void day_key(time_t now, char out[DAY_KEY_SZ])
{
	struct tm tm;
	if (!gmtime_r(&now, &tm) || strftime(out, DAY_KEY_SZ, "%Y-%m-%d", &tm) == 0)
		out[0] = '\0';
}

void comment_refused(struct db *d, const char *reason, time_t now)
{
	char day[DAY_KEY_SZ];
	day_key(now, day);
	if (db_run(d,
	           "INSERT INTO comment_refusals(day, reason, count) VALUES(?1, ?2, 1) "
	           "ON CONFLICT(day, reason) DO UPDATE SET count = count + 1",
	           DB_ARGS(DB_T(day), DB_T(reason))) < 0)
		log_msg("comment_refused: reason=%s: %s", reason, db_errmsg(d));
}

int comment_counts(struct db *d, sqlite3_int64 author, time_t now, struct comment_counts *out)
{
	sqlite3_stmt *st = db_prep(
	    d, "SELECT count(*) FILTER (WHERE status = 'pending'), "
	       "count(*) FILTER (WHERE status = 'approved'), count(*) FILTER (WHERE status = 'spam'), "
	       "count(*) FILTER (WHERE status = 'trash') FROM comments "
	       "WHERE ?1 = 0 OR post_id IN (SELECT id FROM posts WHERE author_id = ?1)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, author);
	memset(out, 0, sizeof *out);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->pending = sqlite3_column_int64(st, 0);
		out->approved = sqlite3_column_int64(st, 1);
		out->spam = sqlite3_column_int64(st, 2);
		out->trash = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return -1;
	char day[DAY_KEY_SZ];
	day_key(now, day);
	sqlite3_int64 refused = 0;
	if (db_int(d, &refused, "SELECT coalesce(sum(count), 0) FROM comment_refusals WHERE day = ?1",
	           DB_ARGS(DB_T(day))) < 0)
		return -1;
	out->refused_today = refused;
	return 0;
}

#define SQL_ADMIN_COLS                                                                                       \
	"SELECT c.id, c.author_name, c.author_email, c.author_url, c.ip, c.created_at, c.body_html, "        \
	"p.title, p.slug, c.parent_id IS NOT NULL, c.kind, c.held_reason, c.held_detail, c.body, "           \
	"c.post_id FROM comments c JOIN posts p ON p.id = c.post_id "
static const char SQL_ADMIN_LIST[] = SQL_ADMIN_COLS
    "WHERE c.status = ?1 AND (?4 = 0 OR p.author_id = ?4) ORDER BY c.created_at DESC, c.id DESC "
    "LIMIT ?2 OFFSET ?3";

/* A string column copied into the arena; false when out of memory. */
static bool col(struct arena *a, sqlite3_stmt *st, int i, const char **out)
{
	*out = arena_strdup(a, db_text(st, i));
	return *out != NULL;
}

static bool fill_admin(sqlite3_stmt *st, struct arena *a, struct admin_comment *c)
{
	c->id = sqlite3_column_int64(st, 0);
	c->created_at = (time_t)sqlite3_column_int64(st, 5);
	c->is_reply = sqlite3_column_int(st, 9) != 0;
	c->post_id = sqlite3_column_int64(st, 14);
	return col(a, st, 1, &c->name) && col(a, st, 2, &c->email) && col(a, st, 3, &c->url) &&
	       col(a, st, 4, &c->ip) && col(a, st, 6, &c->body_html) && col(a, st, 7, &c->post_title) &&
	       col(a, st, 8, &c->post_slug) && col(a, st, 10, &c->kind) && col(a, st, 11, &c->held_reason) &&
	       col(a, st, 12, &c->held_detail) && col(a, st, 13, &c->body);
}

/* A page of per comments with status, only on author's posts unless author is 0; the total with
 * that status, or -1. */
static long comments_admin_list_q(struct db *d, const char *status, sqlite3_int64 author, long page, long per,
                                  struct arena *a, struct admin_comment **out, long *n)
{
	sqlite3_int64 total = -1;
	if (db_int(d, &total,
	           "SELECT count(*) FROM comments c JOIN posts p ON p.id = c.post_id WHERE c.status = ?1 "
	           "AND (?2 = 0 OR p.author_id = ?2)",
	           DB_ARGS(DB_T(status), DB_I(author))) < 0)
		return -1;
	sqlite3_stmt *st = db_prep(d, SQL_ADMIN_LIST);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, per);
	sqlite3_bind_int64(st, 3, (page - 1) * per);
	sqlite3_bind_int64(st, 4, author);
	size_t k = 0, cap = 0;
	struct admin_comment *arr = NULL, *c;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(c = db_rows_add(a, &arr, k, &cap, sizeof *c)) || !fill_admin(st, a, c))
			break;
		k++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_msg("comments_admin_list: %s", rc == SQLITE_ROW ? "out of memory" : db_errmsg(d));
		return -1;
	}
	*out = arr;
	*n = (long)k;
	return (long)total;
}

long comments_admin_list(struct db *d, const char *status, long page, struct arena *a,
                         struct admin_comment **out, long *n)
{
	return comments_admin_list_q(d, status, 0, page, ADMIN_COMMENTS_PER_PAGE, a, out, n);
}

long comments_admin_list_by(struct db *d, const char *status, sqlite3_int64 author, long page,
                            struct arena *a, struct admin_comment **out, long *n)
{
	return comments_admin_list_q(d, status, author, page, ADMIN_COMMENTS_PER_PAGE, a, out, n);
}

long comments_pending_count(struct db *d, sqlite3_int64 author)
{
	sqlite3_int64 n = 0;
	int rc = author ? db_int(d, &n,
	                         "SELECT count(*) FROM comments c JOIN posts p ON p.id = c.post_id "
	                         "WHERE c.status = 'pending' AND p.author_id = ?1",
	                         DB_ARGS(DB_I(author)))
	                : db_int(d, &n, "SELECT count(*) FROM comments WHERE status = 'pending'", DB_NOARGS);
	return rc < 0 ? -1 : (long)n;
}

long comments_pending_newest(struct db *d, sqlite3_int64 author, long limit, struct arena *a,
                             struct admin_comment **out)
{
	long n = 0;
	sqlite3_int64 total = comments_admin_list_q(d, "pending", author, 1, limit, a, out, &n);
	return total < 0 ? -1 : n;
}

int comment_admin_get(struct db *d, sqlite3_int64 id, struct arena *a, struct admin_comment *out)
{
	sqlite3_stmt *st = db_prep(d, SQL_ADMIN_COLS "WHERE c.id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st), found = rc == SQLITE_ROW;
	if (found && !fill_admin(st, a, out))
		rc = SQLITE_NOMEM;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		log_msg("comment_admin_get: comment=%lld: %s", (long long)id, db_errmsg(d));
		return -1;
	}
	return found;
}

int comment_update(struct db *d, sqlite3_int64 id, const struct comment_edit *e, time_t now)
{
	int rc =
	    db_run(d,
	           "UPDATE comments SET author_name = ?2, author_email = ?3, author_url = ?4, body = ?5, "
	           "body_html = ?6, body_hash = ?7 WHERE id = ?1",
	           DB_ARGS(DB_I(id), DB_T(e->name), DB_T(e->email), DB_T(e->url), DB_T(e->body),
	                   DB_T(e->body_html), DB_I(body_hash(e->body))));
	if (rc < 0 || content_touch(d, now) < 0) {
		log_msg("comment_update: comment=%lld: %s", (long long)id, db_errmsg(d));
		return -1;
	}
	return rc > 0;
}

void comment_held_text(const char *reason, const char *detail, char *out, size_t outsz)
{
	static const char *const says[][2] = {
	    {"first", "first comment from this address"},
	    {"links", "too many links"},
	    {"word", "a disallowed word"},
	    {"duplicate", "the same text was posted before"},
	    {"all", "every comment is moderated"},
	    {"proof", "a known address, but not from the browser it was confirmed in"},
	    {"import", "pending on the old site (imported)"},
	    {"moderator", "sent back to moderation by a moderator"},
	};
	out[0] = '\0';
	if (!reason || !*reason || outsz == 0)
		return;
	const char *what = reason;
	for (size_t i = 0; i < sizeof says / sizeof says[0]; i++)
		if (strcmp(reason, says[i][0]) == 0)
			what = says[i][1];
	if (detail && *detail && strcmp(reason, "links") == 0)
		snprintf(out, outsz, "Held: %s", detail);
	else if (detail && *detail && strcmp(reason, "word") == 0)
		snprintf(out, outsz, "Held: the disallowed word \u201c%s\u201d", detail);
	else if (detail && *detail)
		snprintf(out, outsz, "Held: %s (%s)", what, detail);
	else
		snprintf(out, outsz, "Held: %s", what);
}

int comment_moderate(struct db *d, sqlite3_int64 id, const char *action, time_t now)
{
	/* a comment a moderator sends back to the queue says so; one already waiting keeps its
	 * reason */
	int rc = strcmp(action, "delete") == 0
	             ? db_run(d, "DELETE FROM comments WHERE id = ?1", DB_ARGS(DB_I(id)))
	             : db_run(d,
	                      "UPDATE comments SET status = ?2, "
	                      "held_reason = CASE WHEN ?2 = 'pending' AND status <> 'pending' THEN "
	                      "'moderator' ELSE held_reason END, "
	                      "held_detail = CASE WHEN ?2 = 'pending' AND status <> 'pending' THEN '' "
	                      "ELSE held_detail END WHERE id = ?1",
	                      DB_ARGS(DB_I(id), DB_T(action)));
	/* any change may add or remove a comment readers see */
	if (rc < 0 || content_touch(d, now) < 0) {
		log_msg("comment_moderate: sqlite: %s", db_errmsg(d));
		return -1;
	}
	return rc > 0;
}

/* a comment on a page links to the page's own address */
#define FEED_PAGE_PATH "CASE WHEN p.kind = 'page' THEN " PAGE_PATH_SQL("p") " END"
static const char SQL_FEED[] =
    "SELECT c.id, c.author_name, c.created_at, c.body_html, p.title, p.slug, " FEED_PAGE_PATH
    " FROM comments c "
    "JOIN posts p ON p.id = c.post_id WHERE c.status = 'approved' AND (?1 = 0 OR c.post_id = ?1) "
    "AND p.status = 'published' AND p.published_at <= ?3 ORDER BY c.created_at DESC, c.id DESC LIMIT ?2";

long comments_feed(struct db *d, sqlite3_int64 post, long limit, time_t now, struct arena *a,
                   struct feed_comment **out)
{
	sqlite3_stmt *st = db_prep(d, SQL_FEED);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, post);
	sqlite3_bind_int64(st, 2, limit);
	sqlite3_bind_int64(st, 3, now);
	size_t n = 0, cap = 0;
	struct feed_comment *arr = NULL, *c;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!(c = db_rows_add(a, &arr, n, &cap, sizeof *c)) || !col(a, st, 1, &c->author_name) ||
		    !col(a, st, 3, &c->body_html) || !col(a, st, 4, &c->post_title) ||
		    !col(a, st, 5, &c->post_slug) || !col(a, st, 6, &c->page_path))
			break;
		c->id = sqlite3_column_int64(st, 0);
		c->created_at = (time_t)sqlite3_column_int64(st, 2);
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		log_msg("comments_feed: %s", rc == SQLITE_ROW ? "out of memory" : db_errmsg(d));
		return -1;
	}
	*out = arr;
	return (long)n;
}
