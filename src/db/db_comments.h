/* db_comments: storing, reading, counting and moderating comments. */
#ifndef QUIRE_DB_COMMENTS_H
#define QUIRE_DB_COMMENTS_H
#include <sqlite3.h>
#include <stdbool.h>
#include <time.h>

#include "arena.h"
#include "db.h"

#define COMMENT_NAME_MAX 100
#define COMMENT_EMAIL_MAX 254
#define COMMENT_URL_MAX 500
#define COMMENT_BODY_MAX 10000
#define COMMENT_DEPTH_MAX 5
#define COMMENTS_PAGE_ITEMS 300 /* comments of every depth on one comment page, at most */
#define COMMENTS_FEED_ENTRIES 50
#define ADMIN_COMMENTS_PER_PAGE 30

struct comment {
	sqlite3_int64 id, parent_id, post_id;
	const char *name, *email, *url, *body, *body_html, *status, *ip, *user_agent;
	const char *kind; /* "comment", "pingback" or "trackback" */
	/* why a pending comment is held (sql/024_comment_held.sql; NULL stores ""): "first",
	 * "links", "word", "duplicate", "all", "proof"; held_detail says more ("3 links, more
	 * than 2", the word) */
	const char *held_reason, *held_detail;
	time_t created_at;
	bool notify;
};
#define HELD_DETAIL_MAX 120 /* characters of held_detail kept */
#define HELD_TEXT_MAX 200   /* bytes of comment_held_text's sentence */
/* The sentence a moderator reads for a held reason and its detail ("Held: 3 links, more than
 * 2"), into out; "" when reason is empty (held before reasons were kept). */
void comment_held_text(const char *reason, const char *detail, char *out, size_t outsz);

/* The approved comments of a post (plus the pending one with id `also`, when not 0), oldest
 * first, as an arena array. Returns the count, or -1. */
long comments_of_post(struct db *d, struct arena *a, sqlite3_int64 post, sqlite3_int64 also,
                      struct comment **out);
/* A comment by id (any status) into c: 1, 0, -1. */
int comment_get(struct db *d, struct arena *a, sqlite3_int64 id, struct comment *c);
/* Depth of comment id (1 for top level), following parents; 0 when there is no such comment. */
int comment_depth(struct db *d, sqlite3_int64 id);
/* Comments stored from ip since `since`. */
long comments_from_ip(struct db *d, const char *ip, time_t since);
/* True when email has an approved comment. */
bool commenter_known(struct db *d, const char *email);
/* True when this exact body was posted before. */
bool comment_duplicate(struct db *d, const char *body);
/* A comment form's token, used up by the insert it allows (NULL: an admin's reply). */
struct token_claim {
	unsigned char hash[32];
	time_t expires;
};
#define COMMENT_TOKEN_USED (-2)
/* Claims c's form token and stores c, inside the caller's transaction (so a comment that a fault
 * kept from being stored leaves its token unused, and the mail it sets off lands with it);
 * returns its id, COMMENT_TOKEN_USED when the token posted before, or -1. */
sqlite3_int64 comment_insert(struct db *d, const struct comment *c, const struct token_claim *claim,
                             time_t now);
/* Marks a form token used (by its hash, kept until expires): 1 when this is its first use, 0
 * when it was used before, -1 on error. Forgets tokens that expired before now. */
int form_token_claim(struct db *d, const unsigned char hash[32], time_t expires, time_t now);
/* Counts a refused submission by reason. */
void comment_refused(struct db *d, const char *reason, time_t now);

struct comment_counts {
	long long pending, approved, spam, trash;
	long long refused_today; /* refused submissions of every reason, this UTC day */
};
/* Admin: comments per status (on author's posts; 0: on every post), and refusals today. 0 or -1. */
int comment_counts(struct db *d, sqlite3_int64 author, time_t now, struct comment_counts *out);

/* A comment as the moderation list shows it. */
struct admin_comment {
	sqlite3_int64 id;
	const char *name, *email, *url, *ip, *body_html, *post_title, *post_slug;
	const char *kind;                      /* "comment", "pingback" or "trackback" */
	const char *held_reason, *held_detail; /* "" when not held or held before 024 */
	const char *body;                      /* the Markdown as typed */
	sqlite3_int64 post_id;
	time_t created_at;
	bool is_reply;
};
/* Admin: a page of comments with a status, newest first, as an arena array in *out (*n of
 * them); returns the total with that status, or -1. */
long comments_admin_list(struct db *d, const char *status, long page, struct arena *a,
                         struct admin_comment **out, long *n);
/* The same, only comments on the posts of author (0: everyone's), for an author's own list. */
long comments_admin_list_by(struct db *d, const char *status, sqlite3_int64 author, long page,
                            struct arena *a, struct admin_comment **out, long *n);
/* Admin: sets the status (approved, pending, spam, trash) or deletes ("delete"); 1 done,
 * 0 no such comment, -1 error. Inside the caller's transaction. */
int comment_moderate(struct db *d, sqlite3_int64 id, const char *action, time_t now);

/* Admin: how many comments wait for moderation (on author's posts; 0: on every post), or -1. */
long comments_pending_count(struct db *d, sqlite3_int64 author);
/* Admin: the pending comments (on author's posts; 0: on every post), newest first, at most
 * limit, as an arena array in *out: the count, or -1. */
long comments_pending_newest(struct db *d, sqlite3_int64 author, long limit, struct arena *a,
                             struct admin_comment **out);
/* Admin: one comment as the list shows it (any status): 1, 0 none, -1 error. */
int comment_admin_get(struct db *d, sqlite3_int64 id, struct arena *a, struct admin_comment *out);
/* The fields a moderator may edit. */
struct comment_edit {
	const char *name, *email, *url, *body, *body_html;
};
/* Admin: rewrites a comment's author fields and text (its status, date and thread stay): 1 done,
 * 0 no such comment, -1 error. Marks the site changed so readers see it. */
int comment_update(struct db *d, sqlite3_int64 id, const struct comment_edit *e, time_t now);

/* A comment as the comment feeds show it. */
struct feed_comment {
	sqlite3_int64 id;
	const char *author_name, *body_html, *post_title, *post_slug;
	const char *page_path; /* a page's address below the root, "" for a post */
	time_t created_at;
};
/* Feeds: the newest approved comments on posts visible at now (of one post, or all when post is
 * 0), as an arena array in *out. The number, or -1. */
long comments_feed(struct db *d, sqlite3_int64 post, long limit, time_t now, struct arena *a,
                   struct feed_comment **out);

#endif
