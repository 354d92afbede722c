/* post_editor: everything the editor shows or decides; the SQL is in db_admin. */
#include "post_editor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db_revisions.h"
#include "db_media.h"
#include "db_wpmeta.h"
#include "editor_util.h"
#include "form.h"
#include "frontmatter.h"
#include "log.h"
#include "site_options.h"
#include "markdown.h"
#include "media_file.h"
#include "db_pages.h"
#include "outbox.h"
#include "pagepath.h"
#include "post_view.h"
#include "site.h"
#include "text.h"
#include "timefmt.h"
#include "url.h"

#define SLUG_FROM_TITLE_MAX 80 /* bytes of a slug made from the title */
#define TAG_SLUG_MAX 60
#define ACTION_WORD_MAX 20
#define TAG_ERR_MAX 128
#define MENU_ORDER_FIELD_MAX 8 /* characters of the menu order field */
#define KIND_WORD_MAX 8
#define FEATURED_FIELD_MAX 500 /* characters of the featured image's address */

/* The status a post shows in the admin, from what is stored and the clock. */
static const char *status_of(bool published, time_t published_at, time_t now)
{
	if (!published)
		return "draft";
	return published_at > now ? "scheduled" : "published";
}

void post_form_of(struct arena *a, const struct post_edit *e, time_t now, struct post_form *f)
{
	memset(f, 0, sizeof *f);
	f->id = e->id;
	f->title = e->title;
	f->slug = e->slug;
	f->body = e->body;
	/* a post from before sql/023: automatic when its excerpt is the one its body gives */
	f->excerpt = e->excerpt_typed                                    ? e->excerpt_typed
	             : strcmp(e->excerpt, excerpt_auto(a, e->body)) == 0 ? ""
	                                                                 : e->excerpt;
	f->tags = e->tags;
	f->published_at = e->published_at;
	f->status = status_of(e->published, e->published_at, now);
	char b[EDITOR_DATE_LEN + 1];
	local_date_format(e->published_at, b);
	f->date = arena_strdup(a, b);
	f->version = e->version;
	f->author_id = e->author.id;
	f->comments_closed = e->comments_closed;
	f->sticky = e->sticky;
	f->author_name = e->author.name;
	f->author_email = e->author.email;
	f->author_bio = e->author.bio;
	f->author_slug = e->author.slug;
	f->is_page = e->is_page;
	f->parent = e->parent;
	f->menu_order = e->in_menu ? arena_printf(a, "%lld", e->menu_order) : "";
	f->featured_image = e->featured_image;
}

bool post_form_mail(struct req *q, struct post_form *f)
{
	int notify = db_post_notify(&q->w->db, f->id);
	if (notify < 0 || db_post_mail_info(&q->w->db, f->id, &f->announced, &f->mails) < 0)
		return false;
	f->no_email = notify == 0;
	return true;
}

/* The address of the logged-in author, NULL when it cannot be read. */
static const char *session_email(struct req *q)
{
	struct author au;
	return author_by_id(&q->w->db, q->session->user_id, q->a, &au) == 1 && *au.email ? au.email : NULL;
}

long editor_test_wait(struct req *q, const char **to)
{
	*to = session_email(q);
	return *to ? db_outbox_test_wait(&q->w->db, *to, q->now, OUTBOX_TEST_WINDOW) : -1;
}

int editor_send_test(struct req *q, sqlite3_int64 post, const char **to)
{
	*to = session_email(q);
	return *to ? outbox_test_post(&q->w->db, *to, post, q->now) : -1;
}

void post_form_author(struct req *q, struct post_form *f)
{
	struct author au;
	if (author_by_id(&q->w->db, q->session->user_id, q->a, &au) != 1)
		return;
	f->author_name = au.name;
	f->author_email = au.email;
	f->author_bio = au.bio;
	f->author_slug = au.slug;
}

/* The editor's form, checked and stored as typed (a title of only spaces is no title). */
enum {
	E_TITLE,
	E_SLUG,
	E_BODY,
	E_EXCERPT,
	E_TAGS,
	E_DATE,
	E_HAS_BOX,
	E_ALLOW,
	E_ACTION,
	E_HAS_STICKY,
	E_STICKY,
	E_HAS_KIND,
	E_KIND,
	E_PARENT,
	E_MENU,
	E_HAS_NOTIFY,
	E_NO_EMAIL,
	E_FEATURED,
	E_VERSION,
	E_AUTHOR,
	E_COUNT
};
static const struct field_spec editor_fields[E_COUNT] = {
    [E_TITLE] = {"title", FIELD_LINE, TITLE_MAX, FIELD_REQUIRED | FIELD_RAW},
    [E_SLUG] = {"slug", FIELD_LINE, SLUG_MAX, FIELD_RAW},
    [E_BODY] = {"body", FIELD_TEXT, POST_BODY_MAX, 0},
    [E_EXCERPT] = {"excerpt", FIELD_LINE, EXCERPT_FIELD_MAX, FIELD_RAW},
    [E_TAGS] = {"tags", FIELD_LINE, TAGS_FIELD_MAX, FIELD_RAW},
    [E_DATE] = {"date", FIELD_LINE, TIME_BUFSZ, FIELD_RAW},
    [E_HAS_BOX] = {"has_comment_box", FIELD_BOOL, 0, 0},
    [E_ALLOW] = {"allow_comments", FIELD_BOOL, 0, 0},
    [E_ACTION] = {"action", FIELD_LINE, ACTION_WORD_MAX, FIELD_RAW},
    [E_HAS_STICKY] = {"has_sticky_box", FIELD_BOOL, 0, 0},
    [E_STICKY] = {"sticky", FIELD_BOOL, 0, 0},
    [E_HAS_KIND] = {"has_kind", FIELD_BOOL, 0, 0},
    [E_KIND] = {"kind", FIELD_LINE, KIND_WORD_MAX, 0},
    [E_PARENT] = {"parent", FIELD_ID, 0, 0},
    [E_MENU] = {"menu_order", FIELD_LINE, MENU_ORDER_FIELD_MAX, 0},
    [E_HAS_NOTIFY] = {"has_notify_box", FIELD_BOOL, 0, 0},
    [E_NO_EMAIL] = {"no_email", FIELD_BOOL, 0, 0},
    [E_FEATURED] = {"featured_image", FIELD_LINE, FEATURED_FIELD_MAX, FIELD_RAW},
    [E_VERSION] = {"version", FIELD_ID, 0, 0},
    [E_AUTHOR] = {"author_id", FIELD_ID, 0, 0},
};

/* A featured image's address: empty, /media/NAME with NAME a file name quire may serve from
 * the library, or an absolute https:// URL; plain (no space, quote, angle bracket or backslash:
 * it goes into og:image and JSON-LD as it is). */
static bool featured_ok(const char *s)
{
	if (!*s)
		return true;
	if (!strncmp(s, "/media/", 7))
		return media_name_safe(s + 7);
	struct url u = url_read(s);
	return u.scheme == URL_HTTP && u.plain && !strncmp(s, "https://", 8) && s[8] && s[8] != '/' &&
	       !s[strcspn(s, " \t\"'<>\\`")];
}

static bool malformed(const struct field_val *v)
{
	return v->err == FIELD_TOO_LONG || v->err == FIELD_BAD;
}

static enum post_action parse_action(const struct field_val *v)
{
	static const char *const names[] = {"publish", "schedule", "unpublish", "preview", "test"};
	static const enum post_action acts[] = {ACT_PUBLISH, ACT_SCHEDULE, ACT_UNPUBLISH, ACT_PREVIEW,
	                                        ACT_TEST};
	for (size_t i = 0; v->on && i < sizeof names / sizeof names[0]; i++)
		if (strcmp(v->s, names[i]) == 0)
			return acts[i];
	return ACT_DRAFT;
}

/* The slug typed, or one made from the title. */
static char *resolved_slug(struct arena *a, const struct post_form *f, bool title_ok)
{
	struct buf slug = BUF_INIT;
	if (*f->slug)
		buf_adds(&slug, f->slug);
	else if (title_ok)
		slugify(&slug, f->title, SLUG_FROM_TITLE_MAX);
	char *s = arena_strdup(a, buf_cstr(&slug));
	buf_free(&slug);
	return s;
}

static bool tags_ok(struct arena *a, const struct field_val *v)
{
	char *copy = arena_strdup(a, v->s), *tags[TAGS_MAX], why[TAG_ERR_MAX];
	return !malformed(v) && copy && fm_split_tags(copy, tags, why, sizeof why) >= 0;
}

/* Marks every field that arrived with invalid UTF-8, over any other message. */
static void utf8_errors(const struct field_val v[E_COUNT], struct post_errors *e)
{
	static const char msg[] =
	    "This held bytes that are not valid UTF-8 text (now shown as \u201c\uFFFD\u201d).";
	const char **slots[] = {[E_TITLE] = &e->title,     [E_SLUG] = &e->slug, [E_BODY] = &e->body,
	                        [E_EXCERPT] = &e->excerpt, [E_TAGS] = &e->tags, [E_DATE] = &e->date};
	for (int i = E_TITLE; i <= E_DATE; i++)
		if (v[i].err == FIELD_BAD_UTF8)
			*slots[i] = msg;
}

/* A page's parent (a top-level page, not itself) and menu order (empty or 0..MENU_ORDER_MAX). */
static void page_errors(struct req *q, const struct field_val v[E_COUNT], const struct post_form *f,
                        struct post_errors *e)
{
	if (!f->is_page) {
		if (page_has_children(&q->w->db, f->id))
			e->parent = "This page has pages under it: move them first, or keep it a page.";
		return;
	}
	if (v[E_PARENT].err == FIELD_BAD ||
	    (f->parent && (f->parent == f->id || !page_is_top_level(&q->w->db, f->parent))))
		e->parent = "Choose a top-level page as the parent, or none.";
	else if (f->parent && page_has_children(&q->w->db, f->id))
		e->parent = "This page has pages under it: it stays at the top level.";
	const char *m = f->menu_order ? f->menu_order : "";
	if (*m && (strspn(m, "0123456789") != strlen(m) || strlen(m) > 4))
		e->menu_order =
		    "Give a number from 0 to 9999, or leave it empty to keep the page out of the menu.";
}

static bool check(struct req *q, const struct field_val v[E_COUNT], const struct post_form *f,
                  enum post_action act, struct post_errors *e, char **out_slug, time_t *out_time)
{
	memset(e, 0, sizeof *e);
	*out_time = 0;
	if (v[E_TITLE].err == FIELD_EMPTY)
		e->title = "Give the post a title.";
	else if (malformed(&v[E_TITLE]))
		e->title = "The title must be one line of at most 200 characters.";
	*out_slug = resolved_slug(q->a, f, !e->title);
	if (!*out_slug)
		*out_slug = "";
	if (!e->title && (!**out_slug || strlen(*out_slug) > SLUG_MAX || !slug_valid(*out_slug)))
		e->slug = "Use lowercase letters, digits and single dashes (at most 120).";
	else if (!e->title && f->is_page && page_slug_reserved(*out_slug))
		e->slug =
		    "A page cannot use this address: quire uses it (posts, tags, authors, admin, feed, "
		    "search, static, media...) or it is all digits (the date archives). Choose another slug.";
	else if (!e->title && post_slug_taken(&q->w->db, *out_slug, f->id))
		e->slug = "Another post already uses this slug.";
	if (malformed(&v[E_BODY]))
		e->body = "The body must be text of at most 100,000 characters.";
	if (malformed(&v[E_EXCERPT]))
		e->excerpt = "The excerpt must be one line of at most 500 characters.";
	if (*f->tags && !tags_ok(q->a, &v[E_TAGS]))
		e->tags = "Separate tags with commas: at most 20, each at most 50 characters.";
	int local = *f->date ? local_date_parse(f->date, out_time) : 1;
	if (local < 0 || (local == 0 && !time_parse(f->date, out_time)))
		e->date = "Pick a date and time (in the site's time zone), or leave it empty for now.";
	/* a test keeps a scheduled post scheduled: its date must still be to come */
	bool scheduling =
	    act == ACT_SCHEDULE || (act == ACT_TEST && f->status && strcmp(f->status, "scheduled") == 0);
	if (!e->date && scheduling && *out_time <= q->now)
		e->date = "Pick a date in the future to schedule the post.";
	page_errors(q, v, f, e);
	if (f->author_chosen && (v[E_AUTHOR].err == FIELD_BAD || author_exists(&q->w->db, f->author_id) != 1))
		e->form = "Choose the author from the list.";
	if (malformed(&v[E_FEATURED]) || !featured_ok(f->featured_image ? f->featured_image : ""))
		e->featured_image = "Give the image's address: /media/NAME as the upload showed it, or "
		                    "an https:// URL; empty uses the post's first image.";
	utf8_errors(v, e);
	return !(e->title || e->slug || e->body || e->excerpt || e->tags || e->date || e->parent ||
	         e->menu_order || e->featured_image || e->form);
}

bool editor_read(struct req *q, struct post_form *f, enum post_action *act, struct post_errors *e,
                 char **out_slug, time_t *out_time)
{
	struct field_val v[E_COUNT];
	form_read(q->form, editor_fields, E_COUNT, v);
	f->title = v[E_TITLE].s;
	f->slug = v[E_SLUG].s;
	f->body = v[E_BODY].s;
	f->excerpt = v[E_EXCERPT].s;
	f->tags = v[E_TAGS].s;
	f->date = v[E_DATE].s;
	/* an unticked box sends nothing: only a form that shows the box can close comments */
	if (v[E_HAS_BOX].on)
		f->comments_closed = !v[E_ALLOW].on;
	if (v[E_HAS_STICKY].on)
		f->sticky = v[E_STICKY].on;
	if (v[E_HAS_NOTIFY].on)
		f->no_email = v[E_NO_EMAIL].on;
	/* a form without the kind fields (an older one) leaves them as stored */
	if (v[E_HAS_KIND].on) {
		f->is_page = strcmp(v[E_KIND].s, "page") == 0;
		f->parent = v[E_PARENT].id;
		f->menu_order = v[E_MENU].s;
	}
	/* a form without the field (an older one) keeps the stored image */
	if (form_get(q->form, "featured_image"))
		f->featured_image = v[E_FEATURED].s;
	/* the version the form was loaded from: none (an older form, a script) is not checked */
	if (v[E_VERSION].on && v[E_VERSION].err == FIELD_GOOD)
		f->version = v[E_VERSION].id;
	else if (form_get(q->form, "version"))
		f->version = -1; /* a mangled one never matches */
	else
		f->version = 0;
	if (editor_may_choose_author(q) && v[E_AUTHOR].on) {
		f->author_chosen = true;
		f->author_id = v[E_AUTHOR].id;
	}
	*act = parse_action(&v[E_ACTION]);
	return check(q, v, f, *act, e, out_slug, out_time);
}

const char *editor_title(const struct post_form *f)
{
	if (f->is_page)
		return f->id ? "Edit page" : "New page";
	return f->id ? "Edit post" : "New post";
}

/* The kind choice, the parent select (top-level pages) and the menu order. */
static void page_fields_set(struct req *q, struct tobj *p, const struct post_form *f)
{
	tset_bool(p, "is_page", f->is_page);
	tset_str(p, "menu_order", f->menu_order ? f->menu_order : "");
	struct page_choice *c = NULL;
	long n = page_parent_choices(&q->w->db, f->id, q->a, &c);
	struct tlist *l = tset_list(p, "parents");
	for (long i = 0; i < n; i++) {
		struct tobj *o = tlist_add(l);
		tset_int(o, "id", c[i].id);
		tset_str(o, "title", c[i].title);
		tset_bool(o, "selected", c[i].id == f->parent);
	}
}

void editor_set(struct req *q, struct tobj *ctx, const struct post_form *f, const struct post_errors *e)
{
	struct tobj *p = tobj_new(q->a);
	tset_int(p, "id", f->id);
	tset_str(p, "action",
	         f->id ? arena_printf(q->a, "/admin/posts/%lld", (long long)f->id) : "/admin/posts");
	tset_str(p, "title", f->title);
	tset_str(p, "slug", f->slug);
	tset_str(p, "body", f->body);
	tset_str(p, "excerpt", f->excerpt);
	tset_str(p, "tags", f->tags);
	/* <input type=datetime-local> holds a valid local date or nothing: another text (an old
	 * client's, a typo) is shown in the date's error instead */
	time_t parsed;
	char shown[EDITOR_DATE_LEN + 1] = "";
	const char *date = f->date ? f->date : "";
	bool local = !*date || local_date_parse(date, &parsed) == 1;
	if (!local && time_parse(date, &parsed)) /* an older format, with its zone: shown here */
		local_date_format(parsed, shown);
	tset_str(p, "date", local ? date : arena_strdup(q->a, shown));
	tset_str(p, "date_bad", local || *shown ? NULL : date);
	tset_bool(p, "allow_comments", !f->comments_closed);
	tset_bool(p, "sticky", f->sticky);
	tset_str(p, "status", f->status ? f->status : "draft");
	tset_bool(p, "is_live", f->status && strcmp(f->status, "published") == 0);
	tset_bool(p, "is_scheduled", f->status && strcmp(f->status, "scheduled") == 0);
	if (f->id && f->slug)
		tset_str(p, "url", slug_url(q->a, "/posts/", f->slug));
	tset_bool(p, "no_email", f->no_email);
	tset_bool(p, "announced", f->announced);
	if (f->announced && !f->is_page)
		tset_str(p, "mail_status",
		         f->no_email ? "Published without emailing subscribers."
		         : f->mails ? arena_printf(q->a, "Emailed to %ld subscriber%s when it was published.",
		                                   f->mails, f->mails == 1 ? "" : "s")
		                    : "Published when there was no subscriber to email.");
	page_fields_set(q, p, f);
	tset_str(p, "featured_image", f->featured_image ? f->featured_image : "");
	/* pages are the admins': an author's form offers no Type, parent or menu order */
	tset_bool(p, "may_page", q->session && q->session->is_admin);
	tset_bool(p, "site_mails_off", !site_post_mails(q->w)); /* /admin/settings */
	/* only this site's images are previewed: the CSP (img-src 'self') refuses the others */
	tset_bool(p, "featured_local",
	          f->featured_image && !strncmp(f->featured_image, "/media/", 7) &&
	              media_name_safe(f->featured_image + 7));
	editor_choices_set(q, p, f->id, f->body, f->version, f->author_id);
	tset_obj(ctx, "edit", p);
	if (e) {
		struct tobj *err = tobj_new(q->a);
		tset_str(err, "title", e->title);
		tset_str(err, "slug", e->slug);
		tset_str(err, "body", e->body);
		tset_str(err, "excerpt", e->excerpt);
		tset_str(err, "tags", e->tags);
		tset_str(err, "date", e->date);
		tset_str(err, "image", e->image);
		tset_str(err, "form", e->form);
		tset_str(err, "parent", e->parent);
		tset_str(err, "menu_order", e->menu_order);
		tset_str(err, "featured_image", e->featured_image);
		tset_obj(ctx, "errors", err);
	}
}

static void preview_tags(struct req *q, struct tobj *post, const char *tagstr)
{
	char *copy = arena_strdup(q->a, tagstr ? tagstr : ""), *tags[TAGS_MAX], why[TAG_ERR_MAX];
	int n = copy ? fm_split_tags(copy, tags, why, sizeof why) : 0;
	struct tlist *tl = tset_list(post, "tags");
	for (int i = 0; i < n; i++) {
		struct tobj *t = tlist_add(tl);
		struct buf s = BUF_INIT;
		tset_str(t, "name", tags[i]);
		buf_adds(&s, "/tags/");
		slugify(&s, tags[i], TAG_SLUG_MAX);
		tset_str(t, "url", buf_cstr(&s));
		buf_free(&s);
	}
}

struct tobj *reader_post(struct req *q, const struct post_form *f, time_t when)
{
	struct tobj *post = tobj_new(q->a);
	struct buf html = BUF_INIT;
	const char *body = f->body ? f->body : "";
	if (md_render(body, strlen(body), &html) < 0)
		log_msg("preview: post=%lld: markdown failed", (long long)f->id);
	tset_str(post, "title", f->title);
	tset_html(post, "body_html", buf_cstr(&html));
	buf_free(&html);
	char b[TIME_BUFSZ];
	time_t at = when ? when : f->published_at ? (time_t)f->published_at : q->now;
	time_human(at, b);
	tset_str(post, "date", b);
	time_rfc3339(at, b);
	tset_str(post, "date_iso", b);
	tset_str(post, "updated_iso", b);
	tset_str(post, "excerpt", f->excerpt);
	tset_str(post, "comment_label", "No responses yet");
	if (f->author_name && *f->author_name) {
		struct tobj *a = tobj_new(q->a);
		tset_str(a, "name", f->author_name);
		tset_str(a, "url", arena_printf(q->a, "/authors/%s", f->author_slug ? f->author_slug : ""));
		tset_obj(post, "author", a);
		tset_str(post, "author_bio", f->author_bio);
		avatar_set(q, post, f->author_email, NULL, 64);
		author_photo_set(q, post, f->author_email, 64);
	}
	preview_tags(q, post, f->tags);
	return post;
}

/* The stored status and date that an action gives. */
static void resolve(const struct post_form *f, enum post_action act, time_t when, time_t now,
                    struct post_save *p)
{
	bool was_live = f->id && strcmp(f->status, "published") == 0;
	switch (act) {
	case ACT_PUBLISH:
		p->published = true;
		/* publish now: a typed past date is kept (backdating), a live post keeps its
		 * date when edited, anything else goes out now */
		p->published_at = when && when <= now ? when : was_live ? (time_t)f->published_at : now;
		break;
	case ACT_SCHEDULE:
		p->published = true;
		p->published_at = when;
		break;
	default:
		p->published = false;
		p->published_at = when ? when : f->id ? (time_t)f->published_at : 0;
		break;
	}
}

/* What a test saves: the post as it stands (live, scheduled or a draft), never published by it. */
static enum post_action test_saves_as(const struct post_form *f)
{
	if (f->id && f->status && strcmp(f->status, "published") == 0)
		return ACT_PUBLISH;
	if (f->id && f->status && strcmp(f->status, "scheduled") == 0)
		return ACT_SCHEDULE;
	return ACT_DRAFT;
}

/* Inside the transaction: the post is still the version the form was loaded from. 1 yes, or
 * POST_GONE, POST_STALE, -1. */
static int version_ok(struct db *d, const struct post_form *f)
{
	if (!f->id || !f->version)
		return 1;
	long long v = post_version(d, f->id);
	return v < 0 ? -1 : v == 0 ? POST_GONE : v != f->version ? POST_STALE : 1;
}

/* Inside the transaction: keeps the save as a revision, and drops the saver's autosave (it
 * replaces it; another user's autosave stays, offered when the editor opens). */
static int keep_revision(struct req *q, const struct post_form *f, sqlite3_int64 id, const char *slug,
                         bool revision)
{
	struct revision r = {.post_id = id,
	                     .user_id = q->session->user_id,
	                     .title = f->title,
	                     .body = f->body,
	                     .excerpt = f->excerpt,
	                     .tags = f->tags,
	                     .slug = slug,
	                     .date = f->date,
	                     .featured_image = f->featured_image,
	                     .created_at = q->now,
	                     .version = post_version(&q->w->db, id)};
	return (revision && revision_add(&q->w->db, &r) < 0) ||
	               autosave_drop_mine(&q->w->db, id, q->session->user_id) < 0
	           ? -1
	           : 0;
}

sqlite3_int64 post_form_save(struct req *q, const struct post_form *f, enum post_action act, const char *slug,
                             time_t when, bool revision)
{
	struct db *d = &q->w->db;
	const char *body = f->body ? f->body : "";
	struct buf html = BUF_INIT, excerpt = BUF_INIT;
	sqlite3_int64 id = -1;
	/* rendered before the transaction: the write lock is held for the writes alone */
	if (md_render(body, strlen(body), &html) < 0 ||
	    (f->excerpt && *f->excerpt ? (buf_adds(&excerpt, f->excerpt), 0)
	                               : md_excerpt(body, strlen(body), &excerpt)) < 0 ||
	    db_begin(d) < 0)
		goto out;
	int fresh = version_ok(d, f);
	if (fresh != 1) {
		db_rollback(d);
		id = fresh;
		goto out;
	}
	struct post_save p = {.id = f->id,
	                      .slug = slug,
	                      .title = f->title,
	                      .body_md = body,
	                      .body_html = buf_cstr(&html),
	                      .excerpt = buf_cstr(&excerpt),
	                      .tags = f->tags,
	                      .comments_closed = f->comments_closed,
	                      .author = q->session->user_id,
	                      .is_page = f->is_page,
	                      .parent = f->parent,
	                      .in_menu = f->menu_order && *f->menu_order,
	                      .menu_order =
	                          f->menu_order && *f->menu_order ? strtoll(f->menu_order, NULL, 10) : 0,
	                      .featured_image = f->featured_image,
	                      .excerpt_typed = f->excerpt ? f->excerpt : "",
	                      .set_author = f->author_chosen ? f->author_id : 0};
	resolve(f, act == ACT_TEST ? test_saves_as(f) : act, when, q->now, &p);
	id = post_write(d, &p, q->now);
	if (id == POST_GONE) {
		db_rollback(d);
		goto out;
	}
	/* the announcement is queued with the post it announces, never after the commit */
	if (id < 0 || keep_revision(q, f, id, slug, revision) < 0 ||
	    db_post_sticky_set(d, id, f->sticky, q->now) < 0 || db_post_notify_set(d, id, !f->no_email) < 0 ||
	    outbox_post_published(d, id, q->now) < 0 ||
	    media_uses_update(d, id, body, f->featured_image) < 0 || db_commit(d) < 0) {
		log_msg("post_save: post=%lld: %s", (long long)f->id, db_errmsg(d));
		db_rollback(d);
		id = -1;
	}
out:
	buf_free(&html);
	buf_free(&excerpt);
	return id;
}
