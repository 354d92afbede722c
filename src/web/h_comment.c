/* h_comment: a reader posts a comment (the spam defences run here, in order), and the comment feeds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "comment_text.h"
#include "commenter.h"
#include "comment_write.h"
#include "comment_view.h"
#include "comments_view.h"
#include "db_comments.h"
#include "db_posts.h"
#include "form.h"
#include "form_token.h"
#include "handlers.h"
#include "log.h"
#include "post_view.h"
#include "site.h"
#include "text.h"
#include "timefmt.h"

/* "Save my name, email, and website in this browser": one first-party cookie that only
 * static/comments.js reads (reader pages stay cookie-free and cacheable; the server never reads
 * it). Its value is n=NAME&e=EMAIL&u=URL, each part percent-encoded. */
#define REMEMBER_COOKIE "quire_remember"
#define REMEMBER_TTL (365L * 24 * 3600)
#define REMEMBER_VALUE_MAX 3800 /* browsers keep cookies of about 4 KB: the website is left out above */

static void server_error(struct req *q, struct resp *r)
{
	page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
}

/* The article again with the reader's input, the messages and a fresh form token. Only this
 * answer loads the whole post: deciding needed its brief alone. */
static void form_again(struct req *q, struct resp *r, int status, const struct post_brief *brief,
                       const struct comment_input *in)
{
	struct post p;
	int found = post_by_slug(&q->w->db, q->now, brief->slug, q->a, &p);
	if (found == 0) /* unpublished or deleted since the comment was decided on */
		return page_error(q, r, 404, "There is no post here to comment on.");
	if (found != 1)
		return server_error(q, r);
	struct tobj *ctx = article_ctx(q, post_view(q->a, &p), &p);
	r->cacheable = false;
	if (comments_attach(q, r, ctx, brief, 0, in) < 0)
		return server_error(q, r);
	r->status = status;
	page_render(q, r, "article", ctx);
	comments_finish(q, r, brief->id);
}

/* The comment form as a table (form.h); every field is read once, before any decision. */
enum { F_HONEYPOT, F_TOKEN, F_NAME, F_EMAIL, F_URL, F_COMMENT, F_NOTIFY, F_REMEMBER, F_PARENT, F_COUNT };
static const struct field_spec comment_fields[F_COUNT] = {
    [F_HONEYPOT] = {"leave_empty", FIELD_LINE, COMMENT_BODY_MAX, FIELD_RAW},
    [F_TOKEN] = {"token", FIELD_LINE, FORM_TOKEN_LEN, FIELD_RAW},
    [F_NAME] = {"author", FIELD_LINE, COMMENT_NAME_MAX, FIELD_REQUIRED},
    [F_EMAIL] = {"email", FIELD_EMAIL, COMMENT_EMAIL_MAX, FIELD_REQUIRED},
    [F_URL] = {"url", FIELD_URL, COMMENT_URL_MAX, 0},
    [F_COMMENT] = {"comment", FIELD_TEXT, COMMENT_BODY_MAX, FIELD_REQUIRED},
    [F_NOTIFY] = {"notify", FIELD_BOOL, 0, 0},
    [F_REMEMBER] = {"remember", FIELD_BOOL, 0, 0},
    [F_PARENT] = {"parent", FIELD_ID, 0, 0},
};

/* The messages for the fields in error; true when all are fine. */
static bool validate(const struct field_val v[F_COUNT], struct comment_input *in)
{
	static const char bad[] = "This held bytes that are not valid UTF-8 text.";
	switch (v[F_NAME].err) {
	case FIELD_GOOD:
		break;
	case FIELD_EMPTY:
		in->err_name = "Please enter your name.";
		break;
	case FIELD_BAD_UTF8:
		in->err_name = bad;
		break;
	default:
		in->err_name = "Your name must be one line of at most 100 characters.";
	}
	if (v[F_EMAIL].err == FIELD_EMPTY)
		in->err_email = "Please enter your email address.";
	else if (v[F_EMAIL].err != FIELD_GOOD)
		in->err_email = "Please enter a valid email address.";
	if (v[F_URL].err != FIELD_GOOD)
		in->err_url = "The website must be an http:// or https:// address of at most 500 characters.";
	switch (v[F_COMMENT].err) {
	case FIELD_GOOD:
		break;
	case FIELD_EMPTY:
		in->err_comment = "Please type a comment.";
		break;
	case FIELD_BAD_UTF8:
		in->err_comment = bad;
		break;
	default:
		in->err_comment = "Your comment must be at most 10,000 characters.";
	}
	return !(in->err_name || in->err_email || in->err_url || in->err_comment);
}

/* The first word of the comma-separated list words found in text, or NULL. Written into the
 * caller's arena (NULL too when out of memory: then the comment is held as "word" anyway). */
static const char *disallowed_word(struct arena *a, const char *words, const char *text, bool *hit)
{
	char *copy = strdup(words ? words : ""), *save = NULL;
	const char *found = NULL;
	for (char *w = copy ? strtok_r(copy, ",", &save) : NULL; w && !*hit; w = strtok_r(NULL, ",", &save)) {
		w = trim(w);
		if ((*hit = *w && ci_contains(text, w)))
			found = arena_strdup(a, w);
	}
	free(copy);
	return found;
}

/* Approved or held, from the policy and the spam signs, with the reason it is held in
 * c->held_reason and c->held_detail (sql/024_comment_held.sql). Under "first", a known address
 * is not enough (anyone can type it): the browser must carry the proof set when it was
 * confirmed. */
static const char *decide(struct req *q, struct comment *c, int links)
{
	const struct config *cfg = &q->w->site->cfg;
	struct db *db = &q->w->db;
	if (links > cfg->max_links) {
		c->held_reason = "links";
		c->held_detail = arena_printf(q->a, "%d link%s, more than %ld", links, links == 1 ? "" : "s",
		                              cfg->max_links);
		return "pending";
	}
	if (comment_duplicate(db, c->body)) {
		c->held_reason = "duplicate";
		return "pending";
	}
	bool hit = false;
	const char *fields[] = {c->body, c->name, c->url, c->email};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0] && !hit; i++)
		c->held_detail = disallowed_word(q->a, cfg->disallowed_words, fields[i], &hit);
	if (hit) {
		c->held_reason = "word";
		return "pending";
	}
	if (cfg->moderation == MOD_NONE)
		return "approved";
	if (cfg->moderation == MOD_ALL) {
		c->held_reason = "all";
		return "pending";
	}
	if (!commenter_known(db, c->email)) {
		c->held_reason = "first";
		return "pending";
	}
	const char *proof = cookie_get(q->a, q->cookie, COMMENTER_COOKIE);
	if (commenter_proof_ok(q->w->site, proof, c->email, q->now))
		return "approved";
	log_info("comment: known address without %s proof, held ip=%s", proof ? "a valid" : "a",
	         log_addr(q->remote_addr));
	c->held_reason = "proof";
	return "pending";
}

static void refuse(struct req *q, struct resp *r, int status, const char *reason, const char *message)
{
	comment_refused(&q->w->db, reason, q->now);
	log_info("comment refused: %s ip=%s", reason, log_addr(q->remote_addr));
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

static void read_input(const struct field_val v[F_COUNT], struct comment_input *in)
{
	in->name = v[F_NAME].s;
	in->email = v[F_EMAIL].s;
	in->url = v[F_URL].s;
	in->comment = v[F_COMMENT].s;
	in->notify = v[F_NOTIFY].on;
	in->remember = v[F_REMEMBER].on;
	in->parent = v[F_PARENT].id;
}

/* The remember-me cookie after a comment was accepted: set when the box was ticked, cleared
 * when it was not and the browser still carries one. */
static void remember_cookie(struct req *q, struct resp *r, const struct comment_input *in)
{
	const char *secure = q->w->site->secure_cookies ? "; Secure" : "";
	if (!in->remember) {
		if (cookie_get(q->a, q->cookie, REMEMBER_COOKIE))
			resp_header(r, "Set-Cookie",
			            arena_printf(q->a, "%s=; Path=/; Max-Age=0; SameSite=Lax%s",
			                         REMEMBER_COOKIE, secure));
		return;
	}
	struct buf v = BUF_INIT;
	buf_adds(&v, "n=");
	esc_url(&v, in->name, strlen(in->name));
	buf_adds(&v, "&e=");
	esc_url(&v, in->email, strlen(in->email));
	struct buf u = BUF_INIT;
	esc_url(&u, in->url, strlen(in->url));
	if (v.len + u.len + 3 <= REMEMBER_VALUE_MAX) {
		buf_adds(&v, "&u=");
		buf_adds(&v, buf_cstr(&u));
	}
	buf_free(&u);
	if (v.len > REMEMBER_VALUE_MAX)
		log_warn("comment: remember-me cookie of %zu bytes not set ip=%s", v.len,
		         log_addr(q->remote_addr));
	else
		resp_header(r, "Set-Cookie",
		            arena_printf(q->a, "%s=%s; Path=/; Max-Age=%ld; SameSite=Lax%s", REMEMBER_COOKIE,
		                         buf_cstr(&v), REMEMBER_TTL, secure));
	buf_free(&v);
}

/* The rate limit: a refusal shows the form again with what was typed and a fresh token, so a
 * person can send it again; false when it answered. */
static bool admitted(struct req *q, struct resp *r, const struct post_brief *post, struct comment_input *in)
{
	struct db *db = &q->w->db;
	const struct config *cfg = &q->w->site->cfg;
	if (cfg->rate_limit > 0 &&
	    comments_from_ip(db, q->remote_addr, q->now - cfg->rate_window) >= cfg->rate_limit) {
		comment_refused(db, "rate", q->now);
		long wait = cfg->rate_window, minutes = (wait + 59) / 60;
		resp_header(r, "Retry-After", arena_printf(q->a, "%ld", wait));
		in->err_form = arena_printf(
		    q->a,
		    "You have posted many comments in a short time. Your comment is kept below: please "
		    "send it again in %ld minute%s.",
		    minutes, minutes == 1 ? "" : "s");
		form_again(q, r, 429, post, in);
		return false;
	}
	return true;
}

/* A token that posted before: the form again (409), in case the first post did not go through. */
static void token_used(struct req *q, struct resp *r, const struct post_brief *post, struct comment_input *in)
{
	comment_refused(&q->w->db, "token-used", q->now);
	log_info("comment refused: token-used ip=%s", log_addr(q->remote_addr));
	in->err_form = "This form was sent already. If your comment is not shown above, check it and "
	               "send it again.";
	form_again(q, r, 409, post, in);
}

void h_comment_post(struct req *q, struct resp *r)
{
	struct db *db = &q->w->db;
	const struct site *site = q->w->site;
	struct post_brief post;
	int found = post_brief(db, q->now, q->params[0], q->a, &post);
	if (found < 0)
		return server_error(q, r);
	if (found == 0)
		return page_error(q, r, 404, "There is no post here to comment on.");
	if (!comments_open(&site->cfg, q->now, &post))
		return page_error(q, r, 403, "Comments are closed on this post.");
	struct field_val v[F_COUNT];
	form_read(q->form, comment_fields, F_COUNT, v);
	if (*v[F_HONEYPOT].s)
		return refuse(q, r, 400, "honeypot", "Your comment could not be accepted.");
	const char *token = v[F_TOKEN].s;
	const char *why = form_token_check(site, q->now, post.id, token);
	if (why && strcmp(why, "token") == 0)
		return refuse(q, r, 400, why,
		              "Your comment could not be accepted: the form is not one of ours.");
	struct comment_input in = {0};
	read_input(v, &in);
	if (why) {
		/* a person who was quick, or came back to an old page: keep what they typed */
		comment_refused(db, why, q->now);
		in.err_form = strcmp(why, "too-fast") == 0
		                  ? "That was quick! Please check your comment and send it again."
		                  : "This form is too old. Please send your comment again.";
		return form_again(q, r, 422, &post, &in);
	}
	if (!admitted(q, r, &post, &in))
		return;
	if (!validate(v, &in))
		return form_again(q, r, 422, &post, &in);
	if (in.parent) {
		struct comment p;
		int pf = comment_get(db, q->a, in.parent, &p);
		if (pf < 0)
			return server_error(q, r);
		if (pf == 0 || p.post_id != post.id || strcmp(p.status, "approved") != 0)
			return page_error(q, r, 422,
			                  "You are replying to a comment that is not on this post.");
		in.parent = parent_for(q, in.parent);
	}
	/* trailing blank lines are not part of the comment (the stored body, the duplicate check) */
	trim((char *)in.comment);
	struct comment c = {.post_id = post.id,
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
	form_token_claim_of(site, q->remote_addr, token, &claim);
	sqlite3_int64 id = c.status ? comment_store(db, &c, &claim, q->now) : -1;
	buf_free(&html);
	if (id == COMMENT_TOKEN_USED)
		return token_used(q, r, &post, &in);
	if (id < 0)
		return server_error(q, r);
	log_info("comment: id=%lld post=%lld status=%s ip=%s", (long long)id, (long long)post.id, c.status,
	         log_addr(q->remote_addr));
	remember_cookie(q, r, &in);
	/* back to the article, or to the page at its own address */
	const char *url = post_url(q->a, post.slug, post.page_path);
	if (strcmp(c.status, "approved") == 0)
		return resp_redirect(r, 303, arena_printf(q->a, "%s#comment-%lld", url, (long long)id));
	char hash[MODERATION_HASH_HEX];
	moderation_hash(site, id, hash);
	resp_redirect(r, 303,
	              arena_printf(q->a, "%s?unapproved=%lld&moderation-hash=%s#comment-%lld", url,
	                           (long long)id, hash, (long long)id));
}

/* alternate: the page the feed follows (the site, or the post), absolute. */
static void comments_feed_page(struct req *q, struct resp *r, sqlite3_int64 post, const char *title,
                               const char *self, const char *alternate)
{
	const struct site *s = q->w->site;
	struct feed_comment *rows = NULL;
	long n = comments_feed(&q->w->db, post, COMMENTS_FEED_ENTRIES, q->now, q->a, &rows);
	if (n < 0)
		return server_error(q, r);
	struct tobj *ctx = page_ctx(q, NULL);
	feed_comments_view(tset_list(ctx, "entries"), rows, n, s->cfg.base_url);
	time_t lm = site_last_modified(q);
	char b[TIME_BUFSZ];
	time_rfc3339(lm ? lm : q->now, b);
	tset_str(ctx, "updated_iso", b);
	tset_str(ctx, "feed_title", title);
	tset_str(ctx, "feed_self", self);
	tset_str(ctx, "feed_alternate", alternate);
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
	                   arena_printf(q->a, "%s/comments.atom", c->base_url),
	                   arena_printf(q->a, "%s/", c->base_url));
}

void h_post_comments_feed(struct req *q, struct resp *r)
{
	struct post_brief p;
	int found = post_brief(&q->w->db, q->now, q->params[0], q->a, &p);
	if (found < 0)
		return server_error(q, r);
	if (found == 0)
		return page_error(q, r, 404, "There is no such post.");
	comments_feed_page(
	    q, r, p.id, arena_printf(q->a, "Comments on “%s”", p.title),
	    arena_printf(q->a, "%s%s/comments.atom", q->w->site->cfg.base_url,
	                 slug_url(q->a, "/posts/", p.slug)),
	    arena_printf(q->a, "%s%s", q->w->site->cfg.base_url, post_url(q->a, p.slug, p.page_path)));
}
