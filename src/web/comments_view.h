/* comments_view: the comment section under an article: the threaded list (paginated by
 * top-level comments) and the "Leave a Reply" form (its token is form_token's). */
#ifndef QUIRE_COMMENTS_VIEW_H
#define QUIRE_COMMENTS_VIEW_H
#include <sqlite3.h>
#include <stdbool.h>

#include "config.h"
#include "db_comments.h"
#include "db_posts.h"
#include "http.h"
#include "tmpl.h"

#define SECONDS_PER_DAY 86400

/* What the form shows: the reader's input and a message per field (NULL when fine). */
struct comment_input {
	const char *name, *email, *url, *comment;
	bool notify, remember;
	sqlite3_int64 parent;
	const char *err_name, *err_email, *err_url, *err_comment, *err_form;
};

/* Adds the comment section to ctx for the article post. cpage is the comment page asked for
 * (0: the newest). Returns 0, 404 for a page that does not exist, -1. */
int comments_attach(struct req *q, struct resp *r, struct tobj *ctx, const struct post_brief *post,
                    long cpage, const struct comment_input *in);
/* After page_render: hashes the page with the token placeholder (so the ETag stays stable);
 * site.c then writes the real token in (form_token_fill). */
void comments_finish(struct req *q, struct resp *r, sqlite3_int64 post_id);
/* True when comments on the post are open (not closed by the admin, not too old). */
bool comments_open(const struct config *c, time_t now, const struct post_brief *p);

#endif
