/* comments_view: builds the comment tree in memory from one query and hands it to templates. */
#include "comments_view.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_comments.h"
#include "form_token.h"
#include "identicon.h"
#include "post_view.h"
#include "site.h"
#include "text.h"
#include "timefmt.h"

bool comments_open(const struct config *c, time_t now, const struct post_brief *p)
{
	if (p->comments_closed)
		return false;
	return c->close_after_days == 0 ||
	       now - p->published_at <= (long long)c->close_after_days * SECONDS_PER_DAY;
}

/* A comment in the thread tree, built in memory over the rows (db_comments returns them flat). */
struct node {
	const struct comment *c;
	int depth;
	long page; /* the comment page that shows it (1 = oldest) */
	struct node *up, *first_child, *last_child, *next_sibling;
};

struct view {
	struct req *q;
	const char *page_url; /* where the comments of this page live */
	const char *post_url;
	long pages;
	bool open;
	sqlite3_int64 pending; /* the held comment its author may see */
};

static char *page_url(struct req *q, const char *post_url, long page, long pages)
{
	return page == pages ? arena_strdup(q->a, post_url)
	                     : arena_printf(q->a, "%s/comment-page/%ld", post_url, page);
}

static void fill_comment(struct view *v, struct tobj *o, const struct node *c)
{
	struct req *q = v->q;
	char b[TIME_BUFSZ];
	tset_int(o, "id", c->c->id);
	tset_int(o, "depth", c->depth);
	tset_str(o, "name", c->c->name);
	/* only http(s) URLs were accepted; the template escapes the attribute */
	tset_str(o, "url", c->c->url);
	tset_html(o, "body_html", c->c->body_html);
	time_human(c->c->created_at, b);
	tset_str(o, "date", b);
	time_rfc3339(c->c->created_at, b);
	tset_str(o, "date_iso", b);
	tset_str(o, "permalink", arena_printf(q->a, "%s#comment-%lld", v->page_url, (long long)c->c->id));
	tset_bool(o, "pending", strcmp(c->c->status, "approved") != 0);
	bool can_reply = v->open && c->depth < COMMENT_DEPTH_MAX && strcmp(c->c->status, "approved") == 0;
	tset_bool(o, "can_reply", can_reply);
	tset_str(o, "reply_url",
	         arena_printf(q->a, "%s?replytocom=%lld#respond", v->page_url, (long long)c->c->id));
	struct buf svg = BUF_INIT;
	identicon_svg(&svg, q->w->site->identicon_key, c->c->email, 40, NULL); /* beside the name */
	tset_html(o, "avatar_svg", buf_cstr(&svg));
	buf_free(&svg);
	if (c->up && c->up->page != c->page) {
		/* a thread continued from another page: say whom this answers, and link there */
		struct tobj *to = tobj_new(q->a);
		tset_str(to, "name", c->up->c->name);
		tset_str(to, "url",
		         arena_printf(q->a, "%s#comment-%lld",
		                      page_url(q, v->post_url, c->up->page, v->pages),
		                      (long long)c->up->c->id));
		tset_obj(o, "in_reply_to", to);
	}
	struct tlist *kids = tset_list(o, "children");
	tset_bool(o, "has_children", c->first_child != NULL);
	for (const struct node *k = c->first_child; k; k = k->next_sibling)
		fill_comment(v, tlist_add(kids), k);
}

/* An index from comment id to comment (open addressing in the arena), so linking n comments
 * to their parents costs n lookups, not n scans. */
struct by_id {
	struct node **slot;
	size_t mask;
};

static bool by_id_init(struct arena *a, struct by_id *ix, struct node *all, long n)
{
	size_t size = 16;
	while (size < (size_t)n * 2)
		size *= 2;
	ix->slot = arena_calloc(a, size, sizeof *ix->slot);
	ix->mask = size - 1;
	if (!ix->slot)
		return false;
	for (long i = 0; i < n; i++) {
		size_t h = (size_t)all[i].c->id * 0x9E3779B97F4A7C15u & ix->mask;
		while (ix->slot[h])
			h = (h + 1) & ix->mask;
		ix->slot[h] = &all[i];
	}
	return true;
}

static struct node *by_id_find(const struct by_id *ix, sqlite3_int64 id)
{
	for (size_t h = (size_t)id * 0x9E3779B97F4A7C15u & ix->mask; ix->slot[h]; h = (h + 1) & ix->mask)
		if (ix->slot[h]->c->id == id)
			return ix->slot[h];
	return NULL;
}

/* Appends c to parent's replies, keeping their order. */
static void add_child(struct node *parent, struct node *c)
{
	if (parent->last_child)
		parent->last_child->next_sibling = c;
	else
		parent->first_child = c;
	parent->last_child = c;
}

/* Links children to parents; returns the top-level comments in order (arena array). */
static struct node **build_tree(struct arena *a, struct node *all, long n, long *ntop)
{
	struct node **top = arena_alloc(a, (size_t)(n ? n : 1) * sizeof *top);
	struct by_id ix;
	if (!top || !by_id_init(a, &ix, all, n))
		return NULL;
	*ntop = 0;
	for (long i = 0; i < n; i++) {
		struct node *c = &all[i];
		struct node *parent = c->c->parent_id ? by_id_find(&ix, c->c->parent_id) : NULL;
		/* a parent listed after its reply (an odd import) would make a loop: top level then */
		if (!parent || parent >= c) {
			c->depth = 1;
			top[(*ntop)++] = c;
			continue;
		}
		/* imported threads can be deeper than readers can reply: shown at the deepest level */
		while (parent->depth >= COMMENT_DEPTH_MAX && parent->up)
			parent = parent->up;
		c->up = parent;
		c->depth = parent->depth + 1;
		add_child(parent, c);
	}
	return top;
}

/* The comments in the order a reader sees them (each thread depth first) into flat. */
static long flatten(struct node **top, long ntop, struct node **flat)
{
	long k = 0;
	for (long i = 0; i < ntop; i++) {
		struct node *c = top[i];
		for (;;) {
			flat[k++] = c;
			if (c->first_child) {
				c = c->first_child;
				continue;
			}
			while (c != top[i] && !c->next_sibling)
				c = c->up;
			if (c == top[i])
				break;
			c = c->next_sibling;
		}
	}
	return k;
}

/* Numbers the pages: a page holds per threads, and never more than COMMENTS_PAGE_ITEMS comments
 * in all, so a thread of thousands of replies is continued over several pages. Returns the
 * number of pages. */
static long paginate(struct node **flat, long n, long per)
{
	long page = 1, threads = 0, items = 0;
	for (long i = 0; i < n; i++) {
		if ((flat[i]->depth == 1 && threads == per) || items == COMMENTS_PAGE_ITEMS) {
			page++;
			threads = items = 0;
		}
		threads += flat[i]->depth == 1;
		items++;
		flat[i]->page = page;
	}
	return page;
}

/* Relinks the comments of one page among themselves; the ones whose parent is on another page
 * become the page's roots (shown "in reply to"). Returns the number of roots, in roots. */
static long page_roots(struct node **flat, long n, long page, struct node **roots)
{
	long k = 0;
	for (long i = 0; i < n; i++)
		if (flat[i]->page == page)
			flat[i]->first_child = flat[i]->last_child = flat[i]->next_sibling = NULL;
	for (long i = 0; i < n; i++) {
		struct node *c = flat[i], *p = c->up;
		if (c->page != page)
			continue;
		if (!p || p->page != page)
			roots[k++] = c;
		else
			add_child(p, c);
	}
	return k;
}

static void form_values(struct req *q, struct tobj *ctx, const struct comment_input *in,
                        const struct comment *all, long n)
{
	struct tobj *f = tobj_new(q->a);
	tset_str(f, "name", in ? in->name : "");
	tset_str(f, "email", in ? in->email : "");
	tset_str(f, "url", in ? in->url : "");
	tset_str(f, "comment", in ? in->comment : "");
	tset_bool(f, "notify", in && in->notify);
	tset_bool(f, "remember", in && in->remember);
	tset_obj(ctx, "cform", f);
	if (in && (in->err_name || in->err_email || in->err_url || in->err_comment || in->err_form)) {
		struct tobj *e = tobj_new(q->a);
		tset_str(e, "name", in->err_name);
		tset_str(e, "email", in->err_email);
		tset_str(e, "url", in->err_url);
		tset_str(e, "comment", in->err_comment);
		tset_str(e, "form", in->err_form);
		tset_obj(ctx, "cerr", e);
	}
	/* replying: from the form that came back, or from ?replytocom= */
	sqlite3_int64 parent = in ? in->parent : 0;
	char *v = NULL;
	if (!parent && query_get(q->a, q->query, "replytocom", 20, &v) == 1)
		parent = strtoll(v, NULL, 10);
	for (long i = 0; parent > 0 && i < n; i++)
		if (all[i].id == parent && strcmp(all[i].status, "approved") == 0) {
			struct tobj *rt = tobj_new(q->a);
			tset_int(rt, "id", parent);
			tset_str(rt, "name", all[i].name);
			tset_obj(ctx, "reply_to", rt);
		}
	tset_str(ctx, "form_token", FORM_TOKEN_PLACEHOLDER);
}

/* Pingbacks and trackbacks are listed apart, as WordPress themes do: "Mentions", the linking
 * page's title as a link, never a comment with an avatar. They stay in the post's count of
 * responses (WordPress's comment_count holds them too). Moves them out of all; the comments left. */
static long mentions_split(struct req *q, struct tobj *ctx, struct comment *all, long n)
{
	long k = 0, m = 0;
	struct tobj *box = NULL;
	struct tlist *items = NULL;
	for (long i = 0; i < n; i++) {
		if (!all[i].kind || strcmp(all[i].kind, "comment") == 0 ||
		    strcmp(all[i].status, "approved") != 0) {
			all[k++] = all[i];
			continue;
		}
		if (!box) {
			box = tobj_new(q->a);
			items = tset_list(box, "items");
		}
		struct tobj *o = tlist_add(items);
		char b[TIME_BUFSZ];
		tset_int(o, "id", all[i].id);
		tset_str(o, "name", all[i].name);
		tset_str(o, "url", all[i].url);
		tset_str(o, "kind", all[i].kind);
		time_human(all[i].created_at, b);
		tset_str(o, "date", b);
		m++;
	}
	if (box) {
		tset_int(box, "count", m);
		tset_obj(ctx, "mentions", box);
	}
	return k;
}

int comments_attach(struct req *q, struct resp *r, struct tobj *ctx, const struct post_brief *post,
                    long cpage, const struct comment_input *in)
{
	struct view v = {.q = q, .open = comments_open(&q->w->site->cfg, q->now, post)};
	char *s = NULL;
	if (query_get(q->a, q->query, "unapproved", 20, &s) == 1) {
		char want[MODERATION_HASH_HEX], *h = NULL;
		sqlite3_int64 id = strtoll(s, NULL, 10);
		moderation_hash(q->w->site, id, want);
		if (id > 0 && query_get(q->a, q->query, "moderation-hash", 40, &h) == 1 && strlen(h) == 32 &&
		    sodium_memcmp(h, want, 32) == 0) {
			v.pending = id;
			r->cacheable = false; /* it shows a comment only its author may see */
		}
	}
	struct comment *all = NULL;
	long n = comments_of_post(&q->w->db, q->a, post->id, v.pending, &all);
	if (n < 0)
		return -1;
	n = mentions_split(q, ctx, all, n);
	long ntop = 0;
	struct node *nodes = arena_calloc(q->a, (size_t)(n ? n : 1), sizeof *nodes);
	if (!nodes)
		return -1;
	for (long i = 0; i < n; i++)
		nodes[i].c = &all[i];
	struct node **top = build_tree(q->a, nodes, n, &ntop);
	struct node **flat = arena_alloc(q->a, (size_t)(n ? n : 1) * sizeof *flat);
	struct node **roots = arena_alloc(q->a, (size_t)(n ? n : 1) * sizeof *roots);
	if (!top || !flat || !roots)
		return -1;
	flatten(top, ntop, flat);
	long pages = paginate(flat, n, q->w->site->cfg.comments_per_page);
	if (cpage > pages)
		return 404;
	long page = cpage ? cpage : pages;
	const char *post_url = slug_url(q->a, "/posts/", post->slug);
	v.post_url = post_url ? post_url : "/";
	v.pages = pages;
	v.page_url = page_url(q, v.post_url, page, pages);
	long nroots = page_roots(flat, n, page, roots);
	struct tlist *list = tset_list(ctx, "comments");
	for (long i = 0; i < nroots; i++)
		fill_comment(&v, tlist_add(list), roots[i]);
	/* the list's wrapper once, not once per comment (a list section repeats) */
	tset_bool(ctx, "has_comments", nroots > 0);
	if (pages > 1) {
		struct tobj *pg = tobj_new(q->a);
		if (page > 1)
			tset_str(pg, "older_url", page_url(q, v.post_url, page - 1, pages));
		if (page < pages)
			tset_str(pg, "newer_url", page_url(q, v.post_url, page + 1, pages));
		tset_int(pg, "page", page);
		tset_int(pg, "pages", pages);
		tset_obj(ctx, "comment_pager", pg);
	}
	tset_bool(ctx, "comments_open", v.open);
	long days = q->w->site->cfg.close_after_days;
	if (v.open && days > 0)
		r->expires = post->published_at + days * SECONDS_PER_DAY + 1;
	tset_bool(ctx, "held_notice", v.pending != 0);
	if (v.open)
		form_values(q, ctx, in, all, n);
	return 0;
}

void comments_finish(struct req *q, struct resp *r, sqlite3_int64 post_id)
{
	(void)q;
	if (r->status == 200 && r->cacheable)
		make_etag(&r->body, r->etag);
	r->token_post = post_id;
}
