/* comments_view: the comment section under an article: the threaded list (paginated by
 * top-level comments), the "Leave a Reply" form and its signed token. */
#ifndef QUIRE_COMMENTS_VIEW_H
#define QUIRE_COMMENTS_VIEW_H
#include <sqlite3.h>
#include <stdbool.h>

#include "db_comments.h"
#include "http.h"
#include "tmpl.h"

#define FORM_TOKEN_LEN 60 /* 10-digit time, '.', 16 hex of nonce, '.', 32 hex of MAC */

/* What the form shows: the reader's input and a message per field (NULL when fine). */
struct comment_input {
	const char *name, *email, *url, *comment;
	bool notify;
	sqlite3_int64 parent;
	const char *err_name, *err_email, *err_url, *err_comment, *err_form;
};

/* Adds the comment section to ctx for the article whose values are in post. cpage is the
 * comment page asked for (0: the newest). Returns 0, 404 for a page that does not exist, -1. */
int comments_attach(struct req *q, struct resp *r, struct tobj *ctx, struct tobj *post, long cpage,
                    const struct comment_input *in);
/* After page_render: hashes the page with the token placeholder (so the ETag stays stable) and
 * then writes the real token in. */
void comments_finish(struct req *q, struct resp *r, sqlite3_int64 post_id);
/* Writes a fresh form token where the page (maybe from the cache) has the placeholder. */
void comments_fill_token(struct req *q, struct resp *r);
/* True when comments on the post are open (not closed by the admin, not too old). */
bool comments_open(struct req *q, struct tobj *post);
/* 0 when token is a form of this post made between max_age and min_seconds ago; else the
 * reason ("token", "too-fast", "too-old"). */
const char *form_token_check(struct req *q, sqlite3_int64 post_id, const char *token);
/* What comment_insert needs to use up a token that passed form_token_check. */
void form_token_claim_of(struct req *q, const char *token, struct token_claim *claim);
/* The hex hash that lets a commenter see their own held comment. */
void moderation_hash(struct req *q, sqlite3_int64 comment_id, char out[33]);

#endif
