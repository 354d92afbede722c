/* h_comment: a reader posts a comment (the spam defences run here, in order), and the comment feeds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "comment_text.h"
#include "commenter.h"
#include "comment_write.h"
#include "comments_view.h"
#include "db_comments.h"
#include "db_posts.h"
#include "form.h"
#include "handlers.h"
#include "log.h"
#include "site.h"
#include "text.h"
#include "timefmt.h"
#include "url.h"

static void server_error(struct req *q, struct resp *r)
{
	page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
}

/* The article again with the reader's input, the messages and a fresh form token. */
static void form_again(struct req *q, struct resp *r, int status, struct tobj *post, const char *author_email,
                       const struct comment_input *in)
{
	struct tobj *ctx = article_ctx(q, post, author_email);
	r->cacheable = false;
	if (comments_attach(q, r, ctx, post, 0, in) < 0)
		return server_error(q, r);
	r->status = status;
	page_render(q, r, "article", ctx);
	comments_finish(q, r, tget_int(post, "id", 0));
}

/* Validates the fields; fills the messages; true when all are fine. */
static bool validate(struct req *q, struct comment_input *in)
{
	const struct form *f = q->form;
	static const char bad[] = "This held bytes that are not valid UTF-8 text.";
	if (form_bad_utf8(f, "author") || !field_ok(in->name, COMMENT_NAME_MAX, true))
		in->err_name = form_bad_utf8(f, "author")
		                   ? bad
		                   : "Your name must be one line of at most 100 characters.";
	else if (!*in->name)
		in->err_name = "Please enter your name.";
	if (!*in->email)
		in->err_email = "Please enter your email address.";
	else if (strlen(in->email) > COMMENT_EMAIL_MAX || !email_valid(in->email))
		in->err_email = "Please enter a valid email address.";
	if (form_bad_utf8(f, "url") || !field_ok(in->url, COMMENT_URL_MAX, true) || !url_web_ok(in->url))
		in->err_url = "The website must be an http:// or https:// address of at most 500 characters.";
	if (form_bad_utf8(f, "comment") || !field_ok(in->comment, COMMENT_BODY_MAX, false))
		in->err_comment =
		    form_bad_utf8(f, "comment") ? bad : "Your comment must be at most 10,000 characters.";
	else if (!*trim((char *)in->comment))
		in->err_comment = "Please type a comment.";
	return !(in->err_name || in->err_email || in->err_url || in->err_comment);
}

static bool has_disallowed_word(const char *words, const char *text)
{
	char *copy = strdup(words ? words : ""), *save = NULL;
	bool hit = false;
	for (char *w = copy ? strtok_r(copy, ",", &save) : NULL; w && !hit; w = strtok_r(NULL, ",", &save)) {
		w = trim(w);
		hit = *w && ci_contains(text, w);
	}
	free(copy);
	return hit;
}

/* Approved or held, from the policy and the spam signs. Under "first", a known address is not
 * enough (anyone can type it): the browser must carry the proof set when it was confirmed. */
static const char *decide(struct req *q, const struct comment *c, int links)
{
	const struct config *cfg = &q->w->site->cfg;
	struct db *db = &q->w->db;
	if (links > cfg->max_links || comment_duplicate(db, c->body) ||
	    has_disallowed_word(cfg->disallowed_words, c->body) ||
	    has_disallowed_word(cfg->disallowed_words, c->name) ||
	    has_disallowed_word(cfg->disallowed_words, c->url) ||
	    has_disallowed_word(cfg->disallowed_words, c->email))
		return "pending";
	if (cfg->moderation == MOD_NONE)
		return "approved";
	if (cfg->moderation != MOD_FIRST || !commenter_known(db, c->email))
		return "pending";
	const char *proof = cookie_get(q->a, q->cookie, COMMENTER_COOKIE);
	if (commenter_proof_ok(q->w->site, proof, c->email, q->now))
		return "approved";
	log_msg("comment: known address without %s proof, held ip=%s", proof ? "a valid" : "a",
	        q->remote_addr);
	return "pending";
}

static void refuse(struct req *q, struct resp *r, int status, const char *reason, const char *message)
{
	comment_refused(&q->w->db, reason, q->now);
	log_msg("comment refused: %s ip=%s", reason, q->remote_addr);
	page_error(q, r, status, message);
}

/* Reparents a reply to a comment at the deepest level onto that comment's parent chain. */
static sqlite3_int64 parent_for(struct req *q, sqlite3_int64 parent)
{
	struct comment p;
	int depth = comment_depth(&q->w->db, parent);
	while (depth >= COMMENT_DEPTH_MAX && comment_get(&q->w->db, q->a, parent, &p) == 1 && p.parent_id) {
		parent = p.parent_id;
		depth--;
	}
	return parent;
}

static void read_input(struct req *q, struct comment_input *in)
{
	const char *v;
	in->name = (v = form_get(q->form, "author")) ? v : "";
	in->email = (v = form_get(q->form, "email")) ? trim((char *)v) : "";
	in->url = (v = form_get(q->form, "url")) ? trim((char *)v) : "";
	in->comment = (v = form_get(q->form, "comment")) ? v : "";
	in->notify = form_get(q->form, "notify") != NULL;
	in->parent = id_parse(form_get(q->form, "parent"));
}

/* The rate limit: a refusal shows the form again with what was typed and a fresh token, so a
 * person can send it again; false when it answered. */
static bool admitted(struct req *q, struct resp *r, struct tobj *post, const char *author_email,
                     struct comment_input *in)
{
	struct db *db = &q->w->db;
	const struct config *cfg = &q->w->site->cfg;
	if (cfg->rate_limit > 0 &&
	    comments_from_ip(db, q->remote_addr, q->now - cfg->rate_window) >= cfg->rate_limit) {
		comment_refused(db, "rate", q->now);
		resp_header(r, "Retry-After", arena_printf(q->a, "%ld", cfg->rate_window));
		in->err_form = "You have posted many comments in a short time. Please wait a few minutes, "
		               "then send your comment again.";
		form_again(q, r, 429, post, author_email, in);
		return false;
	}
	return true;
}

/* A token that posted before: the form again (409), in case the first post did not go through. */
static void token_used(struct req *q, struct resp *r, struct tobj *post, const char *author_email,
                       struct comment_input *in)
{
	comment_refused(&q->w->db, "token-used", q->now);
	log_msg("comment refused: token-used ip=%s", q->remote_addr);
	in->err_form = "This form was sent already. If your comment is not shown above, check it and "
	               "send it again.";
	form_again(q, r, 409, post, author_email, in);
}

void h_comment_post(struct req *q, struct resp *r)
{
	struct db *db = &q->w->db;
	struct tobj *post = tobj_new(q->a);
	char *author_email = NULL;
	int found = post_by_slug(db, q->now, q->params[0], post, &author_email);
	if (found < 0)
		return server_error(q, r);
	if (found == 0)
		return page_error(q, r, 404, "There is no post here to comment on.");
	sqlite3_int64 post_id = tget_int(post, "id", 0);
	if (!comments_open(q, post))
		return page_error(q, r, 403, "Comments are closed on this post.");
	const char *hp = form_get(q->form, "leave_empty");
	if (hp && *hp)
		return refuse(q, r, 400, "honeypot", "Your comment could not be accepted.");
	const char *token = form_get(q->form, "token");
	const char *why = form_token_check(q, post_id, token);
	if (why && strcmp(why, "token") == 0)
		return refuse(q, r, 400, why,
		              "Your comment could not be accepted: the form is not one of ours.");
	struct comment_input in = {0};
	read_input(q, &in);
	if (why) {
		/* a person who was quick, or came back to an old page: keep what they typed */
		comment_refused(db, why, q->now);
		in.err_form = strcmp(why, "too-fast") == 0
		                  ? "That was quick! Please check your comment and send it again."
		                  : "This form is too old. Please send your comment again.";
		return form_again(q, r, 422, post, author_email, &in);
	}
	if (!admitted(q, r, post, author_email, &in))
		return;
	in.name = trim((char *)in.name);
	if (!validate(q, &in))
		return form_again(q, r, 422, post, author_email, &in);
	if (in.parent) {
		struct comment p;
		int pf = comment_get(db, q->a, in.parent, &p);
		if (pf < 0)
			return server_error(q, r);
		if (pf == 0 || p.post_id != post_id || strcmp(p.status, "approved") != 0)
			return page_error(q, r, 422,
			                  "You are replying to a comment that is not on this post.");
		in.parent = parent_for(q, in.parent);
	}
	struct comment c = {.post_id = post_id,
	                    .parent_id = in.parent,
	                    .name = in.name,
	                    .email = in.email,
	                    .url = in.url,
	                    .body = in.comment,
	                    .ip = q->remote_addr,
	                    .user_agent = q->user_agent,
	                    .notify = in.notify};
	struct buf html = BUF_INIT;
	int links = comment_render(c.body, strlen(c.body), &html);
	c.body_html = buf_cstr(&html);
	c.status = links < 0 ? NULL : decide(q, &c, links);
	struct token_claim claim;
	form_token_claim_of(q, token, &claim);
	sqlite3_int64 id = c.status ? comment_store(db, &c, &claim, q->now) : -1;
	buf_free(&html);
	if (id == COMMENT_TOKEN_USED)
		return token_used(q, r, post, author_email, &in);
	if (id < 0)
		return server_error(q, r);
	log_msg("comment: id=%lld post=%lld status=%s ip=%s", (long long)id, (long long)post_id, c.status,
	        q->remote_addr);
	const char *url = tget_str(post, "url");
	if (strcmp(c.status, "approved") == 0)
		return resp_redirect(r, 303, arena_printf(q->a, "%s#comment-%lld", url, (long long)id));
	char hash[33];
	moderation_hash(q, id, hash);
	resp_redirect(r, 303,
	              arena_printf(q->a, "%s?unapproved=%lld&moderation-hash=%s#comment-%lld", url,
	                           (long long)id, hash, (long long)id));
}

static void comments_feed_page(struct req *q, struct resp *r, sqlite3_int64 post, const char *title,
                               const char *self)
{
	const struct site *s = q->w->site;
	struct tobj *ctx = page_ctx(q, NULL);
	struct tlist *entries = tset_list(ctx, "entries");
	if (comments_feed(&q->w->db, post, COMMENTS_FEED_ENTRIES, entries, s->cfg.base_url) < 0)
		return server_error(q, r);
	time_t lm = site_last_modified(q);
	char b[TIME_BUFSZ];
	time_rfc3339(lm ? lm : q->now, b);
	tset_str(ctx, "updated_iso", b);
	tset_str(ctx, "feed_title", title);
	tset_str(ctx, "feed_self", self);
	buf_reset(&r->body);
	if (tobj_failed(ctx) || tmpl_render(s->tmpl, "comments_feed", ctx, &r->body) < 0)
		return server_error(q, r);
	r->ctype = "application/atom+xml; charset=utf-8";
	r->last_modified = lm;
}

void h_comments_feed(struct req *q, struct resp *r)
{
	const struct config *c = &q->w->site->cfg;
	comments_feed_page(q, r, 0, arena_printf(q->a, "Comments on %s", c->title),
	                   arena_printf(q->a, "%s/comments.atom", c->base_url));
}

void h_post_comments_feed(struct req *q, struct resp *r)
{
	struct tobj *post = tobj_new(q->a);
	char *email = NULL;
	int found = post_by_slug(&q->w->db, q->now, q->params[0], post, &email);
	if (found < 0)
		return server_error(q, r);
	if (found == 0)
		return page_error(q, r, 404, "There is no such post.");
	const char *title = tget_str(post, "title");
	comments_feed_page(
	    q, r, tget_int(post, "id", 0), arena_printf(q->a, "Comments on “%s”", title ? title : ""),
	    arena_printf(q->a, "%s%s/comments.atom", q->w->site->cfg.base_url, tget_str(post, "url")));
}
