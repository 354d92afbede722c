/* mail_render: the text and HTML parts come from the same values through two templates. */
#include "mail_render.h"

#include <stdio.h>
#include <string.h>

#include "db_comments.h"
#include "db_mail.h"
#include "db_options.h"
#include "db_media.h"
#include "html2md.h"
#include "html_rewrite.h"
#include "img_html.h"
#include "log.h"
#include "mime.h"
#include "settings.h"
#include "subscribe.h"
#include "subscribers.h"
#include "text.h"
#include "users.h"

#define MAIL_TEXT_WIDTH 72

/* Mail readers keep inline styles only (Gmail drops <style> in many views, Outlook renders with
 * Word): every element of a post gets its own, fonts named on each text element. */
#define MAIL_FONT "font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;"
#define MAIL_MONO "font-family:Menlo,Consolas,'Courier New',monospace;"
#define MAIL_TEXT MAIL_FONT "font-size:16px;line-height:1.6;color:#222222;"
#define MAIL_HEADING MAIL_FONT "color:#222222;line-height:1.3;margin:28px 0 12px;"
static const struct html_style mail_styles[] = {
    {"p", NULL, MAIL_TEXT "margin:0 0 16px;"},
    {"h1", NULL, MAIL_HEADING "font-size:26px;"},
    {"h2", NULL, MAIL_HEADING "font-size:22px;"},
    {"h3", NULL, MAIL_HEADING "font-size:19px;"},
    {"h4", NULL, MAIL_HEADING "font-size:17px;"},
    {"h5", NULL, MAIL_HEADING "font-size:16px;"},
    {"h6", NULL, MAIL_HEADING "font-size:15px;"},
    {"a", NULL, "color:#1a5fb4;text-decoration:underline;"},
    {"img", NULL, "max-width:100%;height:auto;border:0;display:block;"},
    {"figure", NULL, "margin:0 0 16px;"},
    {"figcaption", NULL,
     MAIL_FONT "font-size:14px;line-height:1.4;color:#555555;font-style:italic;margin:6px 0 0;"},
    {"pre", NULL,
     MAIL_MONO "font-size:14px;line-height:1.45;color:#222222;background:#f4f4f4;"
               "border:1px solid #dddddd;padding:12px;margin:0 0 16px;white-space:pre-wrap;"
               "word-wrap:break-word;overflow-wrap:anywhere;"},
    {"code", "pre", MAIL_MONO "font-size:14px;background:#f4f4f4;white-space:pre-wrap;"},
    {"code", NULL, MAIL_MONO "font-size:14px;background:#f4f4f4;padding:1px 4px;"},
    {"blockquote", NULL, "margin:0 0 16px;padding:0 0 0 14px;border-left:4px solid #dddddd;color:#555555;"},
    {"ul", NULL, MAIL_TEXT "margin:0 0 16px;padding:0 0 0 24px;"},
    {"ol", NULL, MAIL_TEXT "margin:0 0 16px;padding:0 0 0 24px;"},
    {"li", NULL, MAIL_TEXT "margin:0 0 4px;"},
    {"table", NULL, "border-collapse:collapse;border:1px solid #cccccc;margin:0 0 16px;"},
    {"th", NULL,
     MAIL_FONT "font-size:15px;border:1px solid #cccccc;padding:6px 10px;background:#f4f4f4;"
               "text-align:left;"},
    {"td", NULL, MAIL_FONT "font-size:15px;border:1px solid #cccccc;padding:6px 10px;"},
    {"hr", NULL, "border:0;border-top:1px solid #dddddd;margin:24px 0;"},
    {"sup", NULL, "font-size:12px;line-height:0;"},
};

struct mail {
	struct arena a;
	struct tobj *ctx;
	const char *subject;
	const char *tmpl;      /* mail_X.html and mail_X_text.txt */
	char unsubscribe[700]; /* the https link, when the mail has one */
};

static void absolute(struct buf *u, const struct site *s, const char *prefix, const char *slug)
{
	buf_adds(u, s->cfg.base_url);
	buf_adds(u, prefix);
	esc_url(u, slug, strlen(slug));
}

/* title, url, excerpt, author of a post into o; 1 found, 0 not, -1 error. */
static int post_values(struct db *d, const struct site *s, struct mail *m, sqlite3_int64 id, struct tobj *o,
                       bool visible_only, time_t now, const char **body_html)
{
	struct mail_post p;
	int found = db_mail_post(d, &m->a, id, now, &p);
	if (found <= 0 || (visible_only && !p.visible))
		return found < 0 ? -1 : 0;
	struct buf u = BUF_INIT;
	absolute(&u, s, "/posts/", p.slug);
	tset_str(o, "post_title", p.title);
	tset_str(o, "post_url", buf_cstr(&u));
	tset_str(o, "post_excerpt", p.excerpt);
	tset_str(o, "post_author", p.author);
	tset_str(o, "post_author_email", p.author_email);
	if (body_html)
		*body_html = p.body_html;
	buf_free(&u);
	return 1;
}

/* Markdown's hard line break (a backslash at the end of a line) becomes a plain line end in a
 * text mail; lines inside ``` code blocks are left as they are. */
static void hard_breaks_plain(struct buf *t)
{
	bool code = false;
	size_t k = 0;
	for (size_t i = 0; i < t->len;) {
		size_t e = i;
		while (e < t->len && t->p[e] != '\n')
			e++;
		if (e - i >= 3 && memcmp(t->p + i, "```", 3) == 0)
			code = !code;
		size_t keep = e - i;
		if (!code && keep && t->p[e - 1] == '\\' && (keep < 2 || t->p[e - 2] != '\\'))
			keep--;
		memmove(t->p + k, t->p + i, keep);
		k += keep;
		if (e < t->len)
			t->p[k++] = '\n';
		i = e + 1;
	}
	t->len = k;
	if (t->p)
		t->p[k] = '\0';
}

#define MAIL_IMG_MAX 544 /* px: the mail's 600 px column less its padding */
#define MEDIA_PATH "/media/"

/* An uploaded image's size as the mail shows it, at most MAIL_IMG_MAX wide: Outlook ignores
 * max-width and would draw a wider image across the column. */
static int mail_img_size(void *arg, const char *src, int *w, int *h)
{
	const char *name = strncmp(src, MEDIA_PATH, strlen(MEDIA_PATH)) ? NULL : src + strlen(MEDIA_PATH);
	if (!name || !*name || strchr(name, '/') || media_size_get(arg, name, w, h) != 1 || *w <= 0)
		return -1;
	if (*w > MAIL_IMG_MAX) {
		*h = (int)((long long)*h * MAIL_IMG_MAX / *w);
		*w = MAIL_IMG_MAX;
	}
	return 0;
}

/* The whole post in the mail: its HTML with inline styles, absolute URLs and image sizes
 * (post_body_html), and as Markdown-like text with absolute links (post_body_text). 0, or -1
 * when out of memory. */
static int post_body(struct db *d, const struct site *s, struct mail *m, const char *html, const char *url)
{
	struct buf styled = BUF_INIT, plain = BUF_INIT, text = BUF_INIT, sized = BUF_INIT;
	int imgs = img_html_fix(html, &sized, mail_img_size, d, false);
	if (imgs < 0) {
		buf_free(&sized);
		return -1;
	}
	if (imgs > 0)
		html = buf_cstr(&sized);
	struct html_rewrite_opts o = {.base_url = s->cfg.base_url,
	                              .page_url = url,
	                              .styles = mail_styles,
	                              .nstyles = sizeof mail_styles / sizeof mail_styles[0]};
	struct html_rewrite_opts po = {.base_url = s->cfg.base_url, .page_url = url};
	int rc = -1;
	size_t n = strlen(html);
	if (html_rewrite(html, n, &o, &styled) < 0 || html_rewrite(html, n, &po, &plain) < 0 ||
	    html2md(buf_cstr(&plain), plain.len, &text) < 0 || styled.oom || text.oom)
		goto out;
	hard_breaks_plain(&text);
	tset_html(m->ctx, "post_body_html", buf_cstr(&styled));
	tset_str(m->ctx, "post_body_text", buf_cstr(&text));
	rc = 0;
out:
	buf_free(&styled);
	buf_free(&plain);
	buf_free(&text);
	buf_free(&sized);
	return rc;
}

/* The unsubscribe link of a confirmed address; false when it is not confirmed (do not send). */
static bool unsubscribe_link(struct db *d, const struct site *s, const char *email, struct mail *m)
{
	sqlite3_int64 id = subscriber_confirmed_id(d, email);
	if (!id)
		return false;
	char tok[UNSUBSCRIBE_TOKEN_SIZE];
	unsubscribe_token(s, id, tok);
	snprintf(m->unsubscribe, sizeof m->unsubscribe, "%s/unsubscribe?id=%lld&token=%s", s->cfg.base_url,
	         (long long)id, tok);
	tset_str(m->ctx, "unsubscribe_url", m->unsubscribe);
	return true;
}

/* A test mail's link when its recipient is no subscriber: the MAC of id 0, which the unsubscribe
 * page explains instead of acting on (false when it cannot be made). */
static bool sample_unsubscribe_link(const struct site *s, struct mail *m)
{
	char tok[UNSUBSCRIBE_TOKEN_SIZE];
	unsubscribe_token(s, 0, tok);
	snprintf(m->unsubscribe, sizeof m->unsubscribe, "%s/unsubscribe?id=0&token=%s", s->cfg.base_url, tok);
	tset_str(m->ctx, "unsubscribe_url", m->unsubscribe);
	return true;
}

static int comment_values(struct db *d, struct mail *m, sqlite3_int64 id, struct tobj *o, sqlite3_int64 *post)
{
	struct mail_comment c;
	int found = db_mail_comment(d, &m->a, id, &c);
	if (found <= 0)
		return found;
	tset_str(o, "comment_author", c.author);
	tset_str(o, "comment_body", c.body);
	tset_int(o, "comment_id", id);
	*post = c.post;
	tset_str(o, "parent_author", c.parent_author);
	char held[HELD_TEXT_MAX];
	comment_held_text(c.held_reason, c.held_detail, held, sizeof held);
	tset_str(o, "held", arena_strdup(&m->a, held));
	return 1;
}

static int prepare(struct db *d, const struct site *s, struct mail *m, const char *kind, const char *to,
                   sqlite3_int64 ref, const char *payload, time_t now, char *err, size_t errsz)
{
	struct tobj *c = m->ctx;
	if (strcmp(kind, "confirm") == 0) {
		tset_str(c, "confirm_url",
		         arena_printf(&m->a, "%s/subscribe/confirm?token=%s", s->cfg.base_url, payload));
		m->subject = arena_printf(&m->a, "Confirm your subscription to %s", s->cfg.title);
		m->tmpl = "confirm";
		tset_bool(c, "for_replies", false);
		return *payload ? 0 : (snprintf(err, errsz, "no token"), 1);
	}
	if (strcmp(kind, "confirm_reply") == 0) {
		/* "Notify me of replies": about that comment on that post, no blog subscription */
		sqlite3_int64 post = 0;
		int f = comment_values(d, m, ref, c, &post);
		if (f <= 0 || post_values(d, s, m, post, c, false, now, NULL) <= 0)
			return f < 0 ? -1 : (snprintf(err, errsz, "not sent: the comment is gone"), 1);
		if (!*payload)
			return snprintf(err, errsz, "no token"), 1;
		tset_str(c, "confirm_url",
		         arena_printf(&m->a, "%s/subscribe/confirm?token=%s", s->cfg.base_url, payload));
		tset_str(c, "comment_url",
		         arena_printf(&m->a, "%s#comment-%lld", tget_str(c, "post_url"), (long long)ref));
		tset_bool(c, "for_replies", true);
		m->subject =
		    arena_printf(&m->a, "Confirm reply notifications for your comment on \u201c%s\u201d",
		                 tget_str(c, "post_title"));
		m->tmpl = "confirm";
		return 0;
	}
	if (strcmp(kind, "password") == 0) {
		/* a link replaced by a newer one, used or expired is not sent (late, after a retry) */
		sqlite3_int64 user = 0;
		struct user_info u;
		int live = reset_token_user(d, payload, now, &user);
		int found = live == 1 ? user_get(d, &m->a, ref, &u) : 0;
		if (live < 0 || found < 0)
			return -1;
		if (!live || !found || user != ref)
			return snprintf(err, errsz, "not sent: the link was used, replaced or has expired"),
			       1;
		tset_str(c, "user_name", u.name);
		/* a user who never logged in was invited: welcomed, not told of a reset */
		tset_bool(c, "invite", u.last_login == 0);
		tset_str(c, "reset_url",
		         arena_printf(&m->a, "%s/admin/reset?token=%s", s->cfg.base_url, payload));
		tset_str(c, "login_url", arena_printf(&m->a, "%s/admin/login", s->cfg.base_url));
		tset_int(c, "hours", RESET_TTL / 3600);
		m->subject = arena_printf(
		    &m->a, u.last_login ? "Set your password for %s" : "Your account on %s", s->cfg.title);
		m->tmpl = "password";
		return 0;
	}
	/* a test is the very notification subscribers get, of a draft too, to the author */
	bool test = strcmp(kind, "test") == 0;
	if (test || strcmp(kind, "post") == 0) {
		if (!unsubscribe_link(d, s, to, m) && !(test && sample_unsubscribe_link(s, m)))
			return snprintf(err, errsz, "not sent: %s is no longer subscribed", to), 1;
		const char *body = "";
		int f = post_values(d, s, m, ref, c, !test, now, &body);
		if (f <= 0)
			return f < 0 ? -1 : (snprintf(err, errsz, "not sent: the post is gone"), 1);
		if (post_body(d, s, m, body, tget_str(c, "post_url")) < 0)
			return snprintf(err, errsz, "out of memory rendering the post"), -1;
		m->subject = tget_str(c, "post_title");
		m->tmpl = "post";
		return 0;
	}
	sqlite3_int64 post = 0;
	int f = comment_values(d, m, ref, c, &post);
	if (f <= 0 || post_values(d, s, m, post, c, false, now, NULL) <= 0)
		return f < 0 ? -1 : (snprintf(err, errsz, "not sent: the comment is gone"), 1);
	tset_str(c, "comment_url",
	         arena_printf(&m->a, "%s#comment-%lld", tget_str(c, "post_url"), (long long)ref));
	if (strcmp(kind, "reply") == 0) {
		if (!unsubscribe_link(d, s, to, m))
			return snprintf(err, errsz, "not sent: %s is not confirmed", to), 1;
		m->subject = arena_printf(&m->a, "New reply to your comment on \u201c%s\u201d",
		                          tget_str(c, "post_title"));
		m->tmpl = "reply";
		return 0;
	}
	if (strcmp(kind, "moderation") == 0) {
		tset_str(c, "admin_url",
		         arena_printf(&m->a, "%s/admin/comments?status=pending", s->cfg.base_url));
		m->subject = arena_printf(&m->a, "A comment awaits moderation on \u201c%s\u201d",
		                          tget_str(c, "post_title"));
		m->tmpl = "moderation";
		return 0;
	}
	snprintf(err, errsz, "unknown kind %s", kind);
	return 1;
}

static int render(struct db *d, const struct site *s, const char *kind, const char *recipient,
                  sqlite3_int64 ref, const char *payload, time_t now, struct buf *msg, char *err,
                  size_t errsz)
{
	struct mail m = {0};
	m.ctx = tobj_new(&m.a);
	struct tobj *site = tobj_new(&m.a);
	tset_str(site, "title", s->cfg.title);
	tset_str(site, "base_url", s->cfg.base_url);
	tset_str(site, "language", s->cfg.language);
	tset_obj(m.ctx, "site", site);
	tset_str(m.ctx, "recipient", recipient);
	struct buf text = BUF_INIT, wrapped = BUF_INIT, html = BUF_INIT, from = BUF_INIT, lu = BUF_INIT,
	           lid = BUF_INIT;
	int rc = prepare(d, s, &m, kind, recipient, ref, payload, now, err, errsz);
	if (rc != 0)
		goto out;
	rc = -1;
	tset_str(m.ctx, "subject", m.subject);
	if (tmpl_render_text(s->tmpl, arena_printf(&m.a, "mail_%s_text", m.tmpl), m.ctx, &text) < 0 ||
	    tmpl_render(s->tmpl, arena_printf(&m.a, "mail_%s", m.tmpl), m.ctx, &html) < 0) {
		snprintf(err, errsz, "mail template mail_%s failed", m.tmpl);
		goto out;
	}
	/* mail readers show 72 columns; a URL is never cut, or it would stop working */
	mime_wrap_text(&wrapped, buf_cstr(&text), MAIL_TEXT_WIDTH);
	mime_mailbox(&from, s->cfg.title, s->cfg.mail_from);
	char host[256];
	mime_url_host(s->cfg.base_url, host, sizeof host);
	/* only the https link: a mailto would name an address nothing reads */
	if (m.unsubscribe[0]) {
		buf_addf(&lu, "<%s>", m.unsubscribe);
		mime_list_id(&lid, s->cfg.title, host);
	}
	const char *at = strchr(s->cfg.mail_from, '@');
	struct mime_msg mm = {.from = buf_cstr(&from),
	                      .to = recipient,
	                      .subject = m.subject,
	                      .text = buf_cstr(&wrapped),
	                      .html = buf_cstr(&html),
	                      .list_unsubscribe = lu.len ? buf_cstr(&lu) : NULL,
	                      .list_id = lid.len ? buf_cstr(&lid) : NULL,
	                      .one_click = lu.len > 0,
	                      .msgid_domain = mime_host_ok(host) ? host
	                                      : at               ? at + 1
	                                                         : "localhost",
	                      .date = now};
	if (mime_build(&mm, msg) < 0) {
		/* a title or address that could start a new header never reaches the wire */
		snprintf(err, errsz, "not sent: a header value was refused");
		rc = 1;
		goto out;
	}
	rc = 0;
out:
	buf_free(&text);
	buf_free(&wrapped);
	buf_free(&lid);
	buf_free(&html);
	buf_free(&from);
	buf_free(&lu);
	arena_free(&m.a);
	return rc;
}

int mail_render(struct db *d, const struct site *s, const char *kind, const char *recipient,
                sqlite3_int64 ref, const char *payload, time_t now, struct buf *msg, char *err, size_t errsz)
{
	/* the site's name and language as the admin set them (site_options), read when the mail is
	 * made, like the pages: a renamed site mails under its new name with no restart */
	struct options o = {0};
	struct site eff = *s;
	if (db_options_load(d, &o) < 0)
		log_warn("mail: cannot read site_options, the file's values hold: %s", db_errmsg(d));
	options_apply(&o, &eff.cfg);
	int rc = render(d, &eff, kind, recipient, ref, payload, now, msg, err, errsz);
	options_free(&o);
	return rc;
}
