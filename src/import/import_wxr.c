/* import_wxr: a WordPress export (WXR): authors, posts with their tags and categories, approved
 * and pending comments with their threads, and the old addresses. Items are saved in batches, one
 * transaction each; an item (a post with its comments) is a savepoint in it, saved whole or not at all.
 * Nothing the old site kept from readers becomes public: private, password-protected and pending
 * posts import as drafts; and nothing is dropped without being counted in the report. */
#include "import.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_media.h"
#include "db_pages.h"
#include "import_batch.h"
#include "html2md.h"
#include "pagepath.h"
#include "log.h"
#include "text.h"
#include "timefmt.h"
#include "url.h"
#include "wxr_blocks.h"
#include "wxr_meta.h"
#include "wxr.h"

static void start(struct xml_reader *x, const char *name, const struct xml_attr *attrs, int n)
{
	struct wxr *w = x->user;
	if (strcmp(name, "category") == 0) {
		w->category_domain[0] = w->category_nicename[0] = '\0';
		for (int i = 0; i < n; i++)
			if (strcmp(attrs[i].name, "domain") == 0)
				snprintf(w->category_domain, sizeof w->category_domain, "%s", attrs[i].value);
			else if (strcmp(attrs[i].name, "nicename") == 0)
				snprintf(w->category_nicename, sizeof w->category_nicename, "%s",
				         attrs[i].value);
	} else if (strcmp(name, "wp:comment") == 0) {
		memset(&w->cur, 0, sizeof w->cur);
		w->comment_over = 0;
	}
}

/* Learns the site's UTC offset from a pair of dates (the latest pair wins, so daylight saving
 * time is right for items close together in time, as WordPress lists them). */
static void learn_offset(struct wxr *w, const char *gmt, const char *local)
{
	time_t t, l;
	/* offsets beyond UTC-12/UTC+14 are not a time zone: a bad date, not learned */
	if (gmt && local && time_parse(gmt, &t) && time_parse(local, &l) && l - t >= -WXR_OFFSET_MAX &&
	    l - t <= WXR_OFFSET_MAX) {
		w->utc_offset = (long)(l - t);
		w->offset_known = true;
	}
}

/* WXR dates have no zone: the GMT one is UTC, the other is the site's local time. */
static time_t wp_date(struct wxr *w, const char *gmt, const char *local)
{
	time_t t;
	learn_offset(w, gmt, local);
	if (gmt && time_parse(gmt, &t))
		return t;
	if (local && time_parse(local, &t))
		return t - (w->offset_known ? w->utc_offset : 0);
	return 0;
}

static void author_of(struct wxr *w, const char *login, const char **name, const char **email)
{
	*name = login;
	*email = "";
	for (int i = 0; i < w->nauthors; i++)
		if (strcmp(w->authors[i].login, login) == 0) {
			*name = w->authors[i].name[0] ? w->authors[i].name : login;
			*email = w->authors[i].email;
		}
}

/* Whether the old site showed the post to everyone; when not, why (counted for the report). */
static bool wp_public(struct wxr *w, const char *status)
{
	bool hidden = !strcmp(status, "private") || (w->password && *w->password);
	if (hidden)
		w->st->posts_protected++;
	else if (!strcmp(status, "pending"))
		w->st->posts_pending++;
	return !hidden && (!strcmp(status, "publish") || !strcmp(status, "future"));
}

/* The comment's approval on the old site: 1 approved, 0 pending (kept for moderation); spam,
 * trash and the rest are counted as skipped, each kind for the report (-1). */
static int comment_kept(struct wxr *w, const struct wxr_comment *c)
{
	const char *a = c->approved ? c->approved : "";
	if (!strcmp(a, "1"))
		return 1;
	if (!strcmp(a, "0"))
		return 0;
	w->st->comments_skipped++;
	if (!strcmp(a, "spam"))
		w->st->comments_spam++;
	else if (!strcmp(a, "trash") || !strcmp(a, "post-trashed"))
		w->st->comments_trash++;
	return -1;
}

/* Notes a page and its parent for link_pages; a page that finds no memory keeps no parent. */
static void page_seen(struct wxr *w, long long id, long long parent)
{
	if (w->npages == w->pages_cap) {
		size_t ncap = w->pages_cap ? w->pages_cap * 2 : WXR_PAGES_FIRST;
		struct wxr_page *p = realloc(w->pages, ncap * sizeof *p);
		if (!p) {
			log_msg("import: page %lld: out of memory, its parent is not set", id);
			return;
		}
		w->pages = p;
		w->pages_cap = ncap;
	}
	w->pages[w->npages++] = (struct wxr_page){id, parent};
}

static int page_cmp(const void *a, const void *b)
{
	long long x = ((const struct wxr_page *)a)->id, y = ((const struct wxr_page *)b)->id;
	return x < y ? -1 : x > y;
}

/* The parent of page id among the pages read (sorted by id), or 0. */
static long long parent_of(const struct wxr_page *sorted, size_t n, long long id)
{
	struct wxr_page key = {id, 0};
	const struct wxr_page *p = bsearch(&key, sorted, n, sizeof *sorted, page_cmp);
	return p ? p->parent : 0;
}

/* A page whose parents loop, or are nested deeper than an address can be (PAGE_DEPTH_MAX
 * segments), would have no address: it becomes a top-level page, named in the log. */
static void pages_untangle(struct wxr *w)
{
	struct wxr_page *sorted = malloc(w->npages * sizeof *sorted);
	if (!sorted) {
		for (size_t i = 0; i < w->npages; i++)
			w->pages[i].parent = 0; /* no memory to check: flat, but every page reachable */
		return;
	}
	memcpy(sorted, w->pages, w->npages * sizeof *sorted);
	qsort(sorted, w->npages, sizeof *sorted, page_cmp);
	for (size_t i = 0; i < w->npages; i++) {
		int up = 0;
		for (long long p = w->pages[i].parent; p && up < PAGE_DEPTH_MAX;
		     p = parent_of(sorted, w->npages, p))
			up++;
		if (up < PAGE_DEPTH_MAX)
			continue;
		log_warn("import: page %lld: its parent pages loop or are nested more than %d deep: "
		         "imported as a top-level page",
		         w->pages[i].id, PAGE_DEPTH_MAX);
		w->pages[i].parent = 0;
		struct wxr_page key = {w->pages[i].id, 0};
		struct wxr_page *s = bsearch(&key, sorted, w->npages, sizeof *sorted, page_cmp);
		if (s)
			s->parent = 0;
	}
	free(sorted);
}

/* Gives each page read its parent page, in one transaction, once every page is in. */
static int link_pages(struct wxr *w)
{
	if (!w->npages)
		return 0;
	pages_untangle(w);
	if (db_begin(w->db) < 0)
		return -1;
	for (size_t i = 0; i < w->npages; i++)
		if (db_import_page_parent(w->db, w->pages[i].id, w->pages[i].parent) < 0) {
			log_msg("import: page %lld: parent %lld: sqlite: %s", w->pages[i].id,
			        w->pages[i].parent, db_errmsg(w->db));
			db_rollback(w->db);
			return -1;
		}
	return db_commit(w->db) < 0 ? (db_rollback(w->db), -1) : 0;
}

/* The post's featured image (_thumbnail_id) as its local address, when the media import brought
 * that attachment home; otherwise the post keeps what it has. */
static void featured_of(struct wxr *w, struct import_post *p)
{
	long long id = w->thumbnail_id ? strtoll(w->thumbnail_id, NULL, 10) : 0;
	char *name = NULL;
	if (id <= 0)
		return;
	int found = media_by_wp_id(w->db, id, &w->a, &name);
	if (found < 0)
		log_msg("import: post %s: featured image %lld: sqlite: %s", w->post_id ? w->post_id : "?", id,
		        db_errmsg(w->db));
	else if (found)
		p->featured_image = arena_printf(&w->a, "/media/%s", name);
}

static void save_item(struct wxr *w)
{
	const char *type = w->type ? w->type : "post", *status = w->status ? w->status : "publish";
	bool page = strcmp(type, "page") == 0;
	if ((strcmp(type, "post") != 0 && !page) || !strcmp(status, "trash") ||
	    !strcmp(status, "auto-draft") || !strcmp(status, "inherit") || !w->title) {
		w->st->posts_skipped++;
		wxr_skip_comments(w);
		return;
	}
	/* the WordPress id is the import key: without it a second import could not find the post */
	long long wp_id = w->post_id ? strtoll(w->post_id, NULL, 10) : 0;
	if (wp_id <= 0) {
		log_warn("import: post '%.60s' has no wp:post_id: skipped", w->title);
		w->st->posts_skipped++;
		wxr_skip_comments(w);
		return;
	}
	struct buf md = BUF_INIT, ex = BUF_INIT;
	html2md_ex(w->content ? w->content : "", w->content ? strlen(w->content) : 0, &md, wxr_shortcode_seen,
	           w);
	if (w->media)
		media_rewrite_post(w->media, &md);
	wxr_galleries_kept(w, buf_cstr(&md));
	if (w->excerpt)
		html2text(w->excerpt, strlen(w->excerpt), &ex);
	struct import_post p = {0};
	p.wp_id = wp_id;
	p.title = *w->title ? w->title : "(untitled)";
	/* WordPress keeps non-ASCII slugs percent-encoded */
	char *slug = w->name ? wxr_dup(w, w->name) : NULL;
	if (slug && url_decode(slug, w->name, strlen(w->name), false) < 0)
		slug = NULL;
	p.slug = slug;
	p.slug_given = slug && *slug;
	p.body_md = buf_cstr(&md);
	p.excerpt = buf_cstr(&ex);
	author_of(w, w->creator ? w->creator : "", &p.author_name, &p.author_email);
	/* a draft's own comments may know the offset its GMT-less date needs */
	for (int i = 0; i < w->ncomments && !w->offset_known; i++)
		learn_offset(w, w->comments[i].date, w->comments[i].date_local);
	p.published_at = wp_date(w, w->date_gmt, w->date);
	p.draft = !wp_public(w, status);
	if (!p.published_at && !p.draft && w->date && *w->date && strcmp(w->date, "0000-00-00 00:00:00"))
		log_warn("import: post '%.60s' (WordPress id %lld): date '%.40s' not understood (quire "
		         "dates from 1970 on): dated at the import",
		         p.title ? p.title : "", wp_id, w->date);
	p.sticky = w->sticky && strcmp(w->sticky, "1") == 0;
	/* dated by its last change on the old site, so the sitemap and the feed keep telling the truth */
	p.modified_at = wp_date(w, w->modified_gmt, w->modified);
	featured_of(w, &p);
	p.author_login = w->creator;
	memcpy(p.tags, w->tags, sizeof p.tags);
	memcpy(p.tag_aliases, w->tag_aliases, sizeof p.tag_aliases);
	p.ntags = w->ntags;
	char path[1024] = "";
	/* an address the old site kept from readers leads nowhere (404), not to the new post */
	if (w->link && !p.draft)
		url_path(w->link, path, sizeof path);
	p.legacy_path = path;
	p.page = page;
	/* WordPress gives every page menu_order 0: each top-level page is in the menu (order, title) */
	p.menu_order = page && w->menu_order ? strtoll(w->menu_order, NULL, 10) : 0;
	char err[512];
	sqlite3_int64 id = import_save_post(w->db, &p, w->now, w->st, err, sizeof err);
	if (id >= 0 && page)
		page_seen(w, wp_id, w->wp_parent ? strtoll(w->wp_parent, NULL, 10) : 0);
	buf_free(&md);
	buf_free(&ex);
	if (id < 0) {
		log_msg("import: %s", err);
		w->failures++;
		wxr_skip_comments(w);
		return;
	}
	for (int i = 0; i < w->ncomments; i++) {
		struct wxr_comment *c = &w->comments[i];
		if (!c->id) {
			w->st->comments_skipped++;
			continue;
		}
		int kept = comment_kept(w, c);
		if (kept < 0)
			continue;
		char *web = c->url ? arena_strdup(&w->a, c->url) : NULL;
		struct buf body = BUF_INIT;
		html2md(c->content ? c->content : "", c->content ? strlen(c->content) : 0, &body);
		const char *kind = wxr_comment_kind(c->type);
		char *name = c->author;
		if (strcmp(kind, "comment") != 0 && name)
			wxr_name_decode(name); /* the linking page's title, escaped (&raquo; and all) */
		struct import_comment ic = {.key = arena_printf(&w->a, "wxr:%lld:%s", p.wp_id, c->id),
		                            .parent_key =
		                                c->parent && strcmp(c->parent, "0")
		                                    ? arena_printf(&w->a, "wxr:%lld:%s", p.wp_id, c->parent)
		                                    : NULL,
		                            .post_id = id,
		                            .name = name,
		                            .email = c->email && email_valid(c->email) ? c->email : "",
		                            .url = web ? url_import_web(c->url, web, strlen(c->url) + 1) : "",
		                            .body_md = buf_cstr(&body),
		                            .created_at = wp_date(w, c->date, c->date_local),
		                            .pending = kept == 0,
		                            .kind = kind};
		int saved = import_save_comment(w->db, &ic, w->st);
		w->mentions += saved > 0 && strcmp(kind, "comment") != 0;
		if (saved < 0) {
			log_msg("import: comment %s: sqlite: %s", c->id, db_errmsg(w->db));
			w->failures++;
		}
		buf_free(&body);
	}
}

/* A post with a field over XML_TEXT_MAX is skipped whole, never stored cut; named with its size. */
static void skip_big_item(struct wxr *w)
{
	log_warn("import: post '%.60s' (WordPress id %s): <%s> is %zu bytes, over the limit of %d: "
	         "skipped with its %d comments",
	         w->title ? w->title : "", w->post_id ? w->post_id : "?", w->item_over_what, w->item_over,
	         XML_TEXT_MAX, w->ncomments);
	w->st->posts_skipped++;
	w->st->posts_too_big++;
	wxr_skip_comments(w);
}

static void skip_big_comment(struct wxr *w)
{
	log_warn("import: comment %s: %zu bytes of text, over the limit of %d: skipped",
	         w->cur.id ? w->cur.id : "?", w->comment_over, XML_TEXT_MAX);
	w->st->comments_skipped++;
	w->st->comments_too_big++;
}

/* Saves the item just read as one savepoint of the current batch: a post one of whose comments
 * could not be saved is undone with them all and reported. */
static void batch_item(struct wxr *w)
{
	if (w->item_over) {
		skip_big_item(w);
		return;
	}
	struct import_stats before = *w->st;
	int failures = w->failures;
	int began = import_batch_item_begin(&w->batch, w->post_id, w->content ? strlen(w->content) : 0);
	if (began < 0) {
		w->failures++;
		wxr_skip_comments(w);
		return;
	}
	save_item(w);
	bool whole = w->failures == failures, saved = w->st->posts_created + w->st->posts_updated >
	                                              before.posts_created + before.posts_updated;
	enum import_item_end r = import_batch_item_end(&w->batch, began, whole);
	if (r == IMPORT_BATCH_LOST || (r == IMPORT_ITEM_UNDONE && !saved))
		return; /* reported: the batch, or the post's own failure */
	if (r == IMPORT_ITEM_UNDONE) {
		log_msg("import: post '%.60s' (WordPress id %s) not imported with its %d comments: a "
		        "comment could not be saved",
		        w->title ? w->title : "", w->post_id ? w->post_id : "?", w->ncomments);
		*w->st = before;
		w->failures = failures + 1;
		wxr_skip_comments(w);
	}
}

static void reset_item(struct wxr *w)
{
	arena_reset(&w->a);
	w->title = w->link = w->creator = w->content = w->excerpt = w->post_id = NULL;
	w->date_gmt = w->date = w->name = w->status = w->type = w->password = w->sticky = NULL;
	w->wp_parent = w->menu_order = NULL;
	w->modified_gmt = w->modified = w->meta_key = w->meta_value = w->thumbnail_id = NULL;
	w->ntags = 0;
	w->ncomments = 0;
	w->st->comments_skipped += w->comments_lost;
	w->comments_lost = 0;
	w->item_over = 0;
}

static void end_comment_field(struct wxr *w, const char *name, const char *text)
{
	static const struct {
		const char *name;
		size_t off;
	} f[] = {{"wp:comment_id", offsetof(struct wxr_comment, id)},
	         {"wp:comment_author", offsetof(struct wxr_comment, author)},
	         {"wp:comment_author_email", offsetof(struct wxr_comment, email)},
	         {"wp:comment_author_url", offsetof(struct wxr_comment, url)},
	         {"wp:comment_date_gmt", offsetof(struct wxr_comment, date)},
	         {"wp:comment_date", offsetof(struct wxr_comment, date_local)},
	         {"wp:comment_content", offsetof(struct wxr_comment, content)},
	         {"wp:comment_approved", offsetof(struct wxr_comment, approved)},
	         {"wp:comment_parent", offsetof(struct wxr_comment, parent)},
	         {"wp:comment_type", offsetof(struct wxr_comment, type)}};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (strcmp(name, f[i].name) == 0)
			*(char **)((char *)&w->cur + f[i].off) = wxr_dup(w, text);
}

/* Appends the comment just read to the item's; the array grows, so no comment is dropped silently. */
static void keep_comment(struct wxr *w)
{
	if (w->ncomments == w->comments_cap) {
		int ncap = !w->comments_cap                 ? WXR_COMMENTS_FIRST
		           : w->comments_cap <= INT_MAX / 2 ? w->comments_cap * 2
		                                            : 0;
		struct wxr_comment *c = ncap ? realloc(w->comments, (size_t)ncap * sizeof *c) : NULL;
		if (!c) {
			w->comments_lost++;
			log_msg("import: comment %s: out of memory, skipped", w->cur.id ? w->cur.id : "?");
			return;
		}
		w->comments = c;
		w->comments_cap = ncap;
	}
	w->comments[w->ncomments++] = w->cur;
}

/* Notes an element whose text was over XML_TEXT_MAX: its comment, or else its item, is skipped. */
static void text_over(struct wxr *w, struct xml_reader *x, const char *name)
{
	if (xml_parent_is(x, "wp:comment")) {
		w->comment_over = x->text_size;
	} else if (xml_parent_is(x, "item")) {
		w->item_over = x->text_size;
		snprintf(w->item_over_what, sizeof w->item_over_what, "%s", name);
	}
}

static void end(struct xml_reader *x, const char *name, const char *text)
{
	struct wxr *w = x->user;
	if (xml_text_over(x))
		text_over(w, x, name);
	if (xml_parent_is(x, "wp:author")) {
		if (!strcmp(name, "wp:author_login"))
			snprintf(w->a_login, sizeof w->a_login, "%s", text);
		else if (!strcmp(name, "wp:author_display_name"))
			snprintf(w->a_name, sizeof w->a_name, "%s", trim((char *)text));
		else if (!strcmp(name, "wp:author_email"))
			snprintf(w->a_email, sizeof w->a_email, "%s", trim((char *)text));
	} else if (!strcmp(name, "wp:author") && w->nauthors < WXR_AUTHORS) {
		memcpy(w->authors[w->nauthors].login, w->a_login, sizeof w->a_login);
		memcpy(w->authors[w->nauthors].name, w->a_name, sizeof w->a_name);
		memcpy(w->authors[w->nauthors].email, w->a_email, sizeof w->a_email);
		w->nauthors++;
		w->a_login[0] = w->a_name[0] = w->a_email[0] = '\0';
	} else if (xml_parent_is(x, "wp:category")) {
		wxr_category_field(w, name, text);
	} else if (!strcmp(name, "wp:category")) {
		wxr_category_keep(w);
	} else if (xml_parent_is(x, "wp:comment")) {
		end_comment_field(w, name, text);
	} else if (!strcmp(name, "wp:comment")) {
		if (w->comment_over)
			skip_big_comment(w);
		else
			keep_comment(w);
	} else if (xml_parent_is(x, "wp:postmeta")) {
		char *t = wxr_dup(w, text);
		if (t && !strcmp(name, "wp:meta_key"))
			w->meta_key = trim(t);
		else if (t && !strcmp(name, "wp:meta_value"))
			w->meta_value = trim(t);
	} else if (!strcmp(name, "wp:postmeta") && xml_parent_is(x, "item")) {
		if (w->meta_key && w->meta_value && !strcmp(w->meta_key, "_thumbnail_id"))
			w->thumbnail_id = w->meta_value;
		w->meta_key = w->meta_value = NULL;
	} else if (xml_parent_is(x, "item")) {
		char *t = wxr_dup(w, text);
		if (!strcmp(name, "title"))
			w->title = trim(t);
		else if (!strcmp(name, "link"))
			w->link = trim(t);
		else if (!strcmp(name, "dc:creator"))
			w->creator = trim(t);
		else if (!strcmp(name, "content:encoded"))
			w->content = t;
		else if (!strcmp(name, "excerpt:encoded"))
			w->excerpt = t;
		else if (!strcmp(name, "wp:post_id"))
			w->post_id = trim(t);
		else if (!strcmp(name, "wp:post_date_gmt"))
			w->date_gmt = trim(t);
		else if (!strcmp(name, "wp:post_date"))
			w->date = trim(t);
		else if (!strcmp(name, "wp:post_modified_gmt"))
			w->modified_gmt = trim(t);
		else if (!strcmp(name, "wp:post_modified"))
			w->modified = trim(t);
		else if (!strcmp(name, "wp:post_name"))
			w->name = trim(t);
		else if (!strcmp(name, "wp:status"))
			w->status = trim(t);
		else if (!strcmp(name, "wp:post_type"))
			w->type = trim(t);
		else if (!strcmp(name, "wp:post_password"))
			w->password = t; /* not trimmed: WordPress protects a post whose password is " " */
		else if (!strcmp(name, "wp:is_sticky"))
			w->sticky = trim(t);
		else if (!strcmp(name, "wp:post_parent"))
			w->wp_parent = trim(t);
		else if (!strcmp(name, "wp:menu_order"))
			w->menu_order = trim(t);
		else if (!strcmp(name, "category") && (!strcmp(w->category_domain, "category") ||
		                                       !strcmp(w->category_domain, "post_tag"))) {
			t = trim(t);
			wxr_name_decode(t);
			int before = w->ntags;
			wxr_add_tag(w, t);
			/* its WordPress address, kept where it differs from quire's slug (/tag/c-lang/) */
			if (w->ntags > before && *w->category_nicename)
				w->tag_aliases[before] = wxr_dup(w, w->category_nicename);
			if (!strcmp(w->category_domain, "category"))
				wxr_add_ancestors(w);
		}
	} else if (!strcmp(name, "item")) {
		if (!wxr_blocks_item(w))
			batch_item(w);
		reset_item(w);
	}
}

int import_wxr(struct db *d, const char *path, bool progress, struct media_import *media,
               struct import_stats *st, char *err, size_t errsz)
{
	struct wxr *w = calloc(1, sizeof *w);
	if (!w) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	w->db = d;
	w->now = time(NULL);
	w->st = st;
	w->media = media;
	import_batch_init(&w->batch, d, st, &w->failures);
	reset_item(w);
	w->pass = 1;
	if (media && media_prepare(media, d, path, err, errsz) < 0) {
		free(w);
		return -1;
	}
	struct xml_reader x = {.start = start, .end = end, .user = w, .show_progress = progress};
	int rc = xml_read_file(&x, path, err, errsz);
	if (rc == 0 && w->blocks.nwaiting) {
		/* the posts that named a block defined after them, now that every block is known */
		w->pass = 2;
		w->nauthors = 0;
		reset_item(w);
		struct xml_reader again = {.start = start, .end = end, .user = w};
		rc = xml_read_file(&again, path, err, errsz);
	}
	/* the items read whole before a parse error are kept, as when each was its own transaction */
	import_batch_commit(&w->batch);
	if (rc == 0 && link_pages(w) < 0) {
		snprintf(err, errsz, "the parents of the pages could not be set (see the log above)");
		rc = -1;
	}
	wxr_shortcodes_report(w);
	wxr_cats_report(&w->cats);
	if (w->mentions)
		log_info("import: comments: %ld pingbacks and trackbacks kept as such (listed as mentions, "
		         "counted "
		         "in each post's responses as WordPress counts them)",
		         w->mentions);
	if (w->blocks.n || w->blocks.resolved || w->blocks.missing)
		log_info(
		    "import: reusable blocks: %zu in the export, %ld references replaced by their content, "
		    "%ld dropped (no such block, or nested more than %d deep)",
		    w->blocks.n, w->blocks.resolved, w->blocks.missing, WXR_BLOCK_DEPTH);
	if (rc == 0 && w->failures) {
		snprintf(err, errsz, "%d items could not be saved (see the log above)", w->failures);
		rc = -1;
	}
	arena_free(&w->a);
	wxr_cats_free(&w->cats);
	wxr_blocks_free(&w->blocks);
	free(w->comments);
	free(w->pages);
	free(w);
	return rc;
}
