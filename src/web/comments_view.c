/* comments_view: builds the comment tree in memory from one query and hands it to templates. */
#include "comments_view.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_comments.h"
#include "identicon.h"
#include "site.h"
#include "text.h"
#include "timefmt.h"

/* Stands in for the token while the page is hashed: control bytes never occur in stored text. */
#define PLACEHOLDER_TEXT "\x01quire-comment-form-token-placeholder----------------------\x01"
_Static_assert(sizeof PLACEHOLDER_TEXT == FORM_TOKEN_LEN + 1, "the placeholder is as long as a token");
static const char PLACEHOLDER[] = PLACEHOLDER_TEXT;

/* The MAC of a form (nonce given) or of a moderation link (nonce NULL), hex of 16 bytes. */
static void token_mac(struct req *q, sqlite3_int64 post_id, long long ts, const char *nonce, char hex[33])
{
	char msg[96];
	unsigned char mac[crypto_auth_BYTES];
	int n = nonce ? snprintf(msg, sizeof msg, "comment:%lld:%lld:%s", (long long)post_id, ts, nonce)
	              : snprintf(msg, sizeof msg, "comment:%lld:%lld", (long long)post_id, ts);
	crypto_auth(mac, (const unsigned char *)msg, (unsigned long long)n, q->w->site->form_key);
	sodium_bin2hex(hex, 33, mac, 16);
}

/* "time.nonce.mac": the random nonce makes every page's token its own, even two rendered for
 * the same post in the same second, so that single use never refuses another reader. */
static void form_token(struct req *q, sqlite3_int64 post_id, char out[FORM_TOKEN_LEN + 1])
{
	unsigned char raw[8];
	char nonce[17], hex[33];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(nonce, sizeof nonce, raw, sizeof raw);
	token_mac(q, post_id, (long long)q->now, nonce, hex);
	snprintf(out, FORM_TOKEN_LEN + 1, "%010lld.%s.%s", (long long)q->now, nonce, hex);
}

static bool token_shape_ok(const char *t)
{
	return t && strlen(t) == FORM_TOKEN_LEN && strspn(t, "0123456789") == 10 && t[10] == '.' &&
	       strspn(t + 11, "0123456789abcdef") == 16 && t[27] == '.' &&
	       strspn(t + 28, "0123456789abcdef") == 32;
}

const char *form_token_check(struct req *q, sqlite3_int64 post_id, const char *token)
{
	const struct config *c = &q->w->site->cfg;
	if (!token_shape_ok(token))
		return "token";
	long long ts = strtoll(token, NULL, 10);
	char nonce[17], hex[33];
	memcpy(nonce, token + 11, 16);
	nonce[16] = '\0';
	token_mac(q, post_id, ts, nonce, hex);
	if (sodium_memcmp(hex, token + 28, 32) != 0)
		return "token";
	if (q->now - ts < c->min_seconds)
		return "too-fast";
	if (q->now - ts > c->max_age || ts > q->now + 60)
		return "too-old";
	return NULL;
}

void form_token_claim_of(struct req *q, const char *token, struct token_claim *claim)
{
	/* one use per token and reader address: a page kept by a shared cache (nginx, a CDN) hands
	 * the same token to every reader, and each may still comment once with it */
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, sizeof claim->hash);
	crypto_generichash_update(&h, (const unsigned char *)token, strlen(token) + 1);
	crypto_generichash_update(&h, (const unsigned char *)q->remote_addr, strlen(q->remote_addr));
	crypto_generichash_final(&h, claim->hash, sizeof claim->hash);
	/* kept while form_token_check could still accept it; afterwards it is refused as too old */
	claim->expires = (time_t)strtoll(token, NULL, 10) + q->w->site->cfg.max_age + 1;
}

void moderation_hash(struct req *q, sqlite3_int64 comment_id, char out[33])
{
	token_mac(q, -comment_id, 0, NULL, out);
}

bool comments_open(struct req *q, struct tobj *post)
{
	long days = q->w->site->cfg.close_after_days;
	if (tget_int(post, "comments_closed", 0))
		return false;
	return days == 0 || q->now - tget_int(post, "published_at", 0) <= (long long)days * 86400;
}

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

static void fill_comment(struct view *v, struct tobj *o, const struct comment *c)
{
	struct req *q = v->q;
	char b[TIME_BUFSZ];
	tset_int(o, "id", c->id);
	tset_int(o, "depth", c->depth);
	tset_str(o, "name", c->name);
	/* only http(s) URLs were accepted; the template escapes the attribute */
	tset_str(o, "url", c->url);
	tset_html(o, "body_html", c->body_html);
	time_human(c->created_at, b);
	tset_str(o, "date", b);
	time_rfc3339(c->created_at, b);
	tset_str(o, "date_iso", b);
	tset_str(o, "permalink", arena_printf(q->a, "%s#comment-%lld", v->page_url, (long long)c->id));
	tset_bool(o, "pending", strcmp(c->status, "approved") != 0);
	bool can_reply = v->open && c->depth < COMMENT_DEPTH_MAX && strcmp(c->status, "approved") == 0;
	tset_bool(o, "can_reply", can_reply);
	tset_str(o, "reply_url",
	         arena_printf(q->a, "%s?replytocom=%lld#respond", v->page_url, (long long)c->id));
	struct buf svg = BUF_INIT;
	identicon_svg(&svg, q->w->site->identicon_key, c->email, 40, "Avatar");
	tset_html(o, "avatar_svg", buf_cstr(&svg));
	buf_free(&svg);
	if (c->up && c->up->page != c->page) {
		/* a thread continued from another page: say whom this answers, and link there */
		struct tobj *to = tobj_new(q->a);
		tset_str(to, "name", c->up->name);
		tset_str(to, "url",
		         arena_printf(q->a, "%s#comment-%lld",
		                      page_url(q, v->post_url, c->up->page, v->pages), (long long)c->up->id));
		tset_obj(o, "in_reply_to", to);
	}
	struct tlist *kids = tset_list(o, "children");
	tset_bool(o, "has_children", c->first_child != NULL);
	for (const struct comment *k = c->first_child; k; k = k->next_sibling)
		fill_comment(v, tlist_add(kids), k);
}

/* An index from comment id to comment (open addressing in the arena), so linking n comments
 * to their parents costs n lookups, not n scans. */
struct by_id {
	struct comment **slot;
	size_t mask;
};

static bool by_id_init(struct arena *a, struct by_id *ix, struct comment *all, long n)
{
	size_t size = 16;
	while (size < (size_t)n * 2)
		size *= 2;
	ix->slot = arena_calloc(a, size, sizeof *ix->slot);
	ix->mask = size - 1;
	if (!ix->slot)
		return false;
	for (long i = 0; i < n; i++) {
		size_t h = (size_t)all[i].id * 0x9E3779B97F4A7C15u & ix->mask;
		while (ix->slot[h])
			h = (h + 1) & ix->mask;
		ix->slot[h] = &all[i];
	}
	return true;
}

static struct comment *by_id_find(const struct by_id *ix, sqlite3_int64 id)
{
	for (size_t h = (size_t)id * 0x9E3779B97F4A7C15u & ix->mask; ix->slot[h]; h = (h + 1) & ix->mask)
		if (ix->slot[h]->id == id)
			return ix->slot[h];
	return NULL;
}

/* Appends c to parent's replies, keeping their order. */
static void add_child(struct comment *parent, struct comment *c)
{
	if (parent->last_child)
		parent->last_child->next_sibling = c;
	else
		parent->first_child = c;
	parent->last_child = c;
}

/* Links children to parents; returns the top-level comments in order (arena array). */
static struct comment **build_tree(struct arena *a, struct comment *all, long n, long *ntop)
{
	struct comment **top = arena_alloc(a, (size_t)(n ? n : 1) * sizeof *top);
	struct by_id ix;
	if (!top || !by_id_init(a, &ix, all, n))
		return NULL;
	*ntop = 0;
	for (long i = 0; i < n; i++) {
		struct comment *c = &all[i];
		struct comment *parent = c->parent_id ? by_id_find(&ix, c->parent_id) : NULL;
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
static long flatten(struct comment **top, long ntop, struct comment **flat)
{
	long k = 0;
	for (long i = 0; i < ntop; i++) {
		struct comment *c = top[i];
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
static long paginate(struct comment **flat, long n, long per)
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
static long page_roots(struct comment **flat, long n, long page, struct comment **roots)
{
	long k = 0;
	for (long i = 0; i < n; i++)
		if (flat[i]->page == page)
			flat[i]->first_child = flat[i]->last_child = flat[i]->next_sibling = NULL;
	for (long i = 0; i < n; i++) {
		struct comment *c = flat[i], *p = c->up;
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
	tset_str(ctx, "form_token", PLACEHOLDER);
}

int comments_attach(struct req *q, struct resp *r, struct tobj *ctx, struct tobj *post, long cpage,
                    const struct comment_input *in)
{
	struct view v = {.q = q, .open = comments_open(q, post)};
	char *s = NULL;
	if (query_get(q->a, q->query, "unapproved", 20, &s) == 1) {
		char want[33], *h = NULL;
		sqlite3_int64 id = strtoll(s, NULL, 10);
		moderation_hash(q, id, want);
		if (id > 0 && query_get(q->a, q->query, "moderation-hash", 40, &h) == 1 && strlen(h) == 32 &&
		    sodium_memcmp(h, want, 32) == 0) {
			v.pending = id;
			r->cacheable = false; /* it shows a comment only its author may see */
		}
	}
	struct comment *all = NULL;
	long n = comments_of_post(&q->w->db, q->a, tget_int(post, "id", 0), v.pending, &all);
	if (n < 0)
		return -1;
	long ntop = 0;
	struct comment **top = build_tree(q->a, all, n, &ntop);
	struct comment **flat = arena_alloc(q->a, (size_t)(n ? n : 1) * sizeof *flat);
	struct comment **roots = arena_alloc(q->a, (size_t)(n ? n : 1) * sizeof *roots);
	if (!top || !flat || !roots)
		return -1;
	flatten(top, ntop, flat);
	long pages = paginate(flat, n, q->w->site->cfg.comments_per_page);
	if (cpage > pages)
		return 404;
	long page = cpage ? cpage : pages;
	const char *post_url = tget_str(post, "url");
	v.post_url = post_url ? post_url : "/";
	v.pages = pages;
	v.page_url = page_url(q, v.post_url, page, pages);
	long nroots = page_roots(flat, n, page, roots);
	struct tlist *list = tset_list(ctx, "comments");
	for (long i = 0; i < nroots; i++)
		fill_comment(&v, tlist_add(list), roots[i]);
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
		r->expires = (time_t)tget_int(post, "published_at", 0) + days * 86400 + 1;
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

void comments_fill_token(struct req *q, struct resp *r)
{
	char token[FORM_TOKEN_LEN + 1];
	form_token(q, r->token_post, token);
	for (char *p = r->body.p; p && (p = strstr(p, PLACEHOLDER));)
		memcpy(p, token, FORM_TOKEN_LEN);
}
