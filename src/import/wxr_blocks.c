/* wxr_blocks: reusable blocks kept by id and expanded into the posts that name them. */
#include "wxr_blocks.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK_OPEN "<!-- wp:block "
#define BLOCK_CLOSE "-->"
#define REF_KEY "\"ref\":"
#define REF_DIGITS_MAX 18 /* a WordPress id within a 64-bit integer */

int wxr_blocks_add(struct wxr_blocks *b, long long id, const char *content)
{
	char *copy = strdup(content ? content : "");
	if (!copy)
		return -1;
	for (size_t i = 0; i < b->n; i++)
		if (b->v[i].id == id) {
			free(b->v[i].content);
			b->v[i].content = copy;
			return 0;
		}
	if (b->n == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 16;
		struct wxr_block *v = realloc(b->v, ncap * sizeof *v);
		if (!v) {
			free(copy);
			return -1;
		}
		b->v = v;
		b->cap = ncap;
	}
	b->v[b->n].id = id;
	b->v[b->n++].content = copy;
	return 0;
}

static const char *content_of(const struct wxr_blocks *b, long long id)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->v[i].id == id)
			return b->v[i].content;
	return NULL;
}

/* The first needle in [from, to), or NULL. */
static const char *within(const char *from, const char *to, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *q = from; q + n <= to; q++)
		if (memcmp(q, needle, n) == 0)
			return q;
	return NULL;
}

/* The next reference at or after s: its start in *at, its end (after "-->") in *end and its id;
 * false when there is none. A "wp:block" comment without a readable ref is no reference. */
static bool next_ref(const char *s, const char **at, const char **end, long long *id)
{
	/* each byte is looked at a bounded number of times: a post of 8 MB of odd comments stays linear */
	const char *close = NULL;
	for (const char *p = strstr(s, BLOCK_OPEN); p; p = strstr(close, BLOCK_OPEN)) {
		close = strstr(p, BLOCK_CLOSE);
		if (!close)
			return false;
		const char *r = within(p, close, REF_KEY);
		if (!r)
			continue;
		r += strlen(REF_KEY);
		while (*r == ' ')
			r++;
		size_t digits = strspn(r, "0123456789");
		if (digits == 0 || digits > REF_DIGITS_MAX)
			continue;
		*id = strtoll(r, NULL, 10);
		*at = p;
		*end = close + strlen(BLOCK_CLOSE);
		return true;
	}
	return false;
}

bool wxr_blocks_referenced(const char *html)
{
	const char *at, *end;
	long long id;
	return html && next_ref(html, &at, &end, &id);
}

/* Whether block id is one of the depth blocks being expanded (a block naming itself, or a loop). */
static bool in_chain(const long long *chain, int depth, long long id)
{
	for (int i = 0; i < depth; i++)
		if (chain[i] == id)
			return true;
	return false;
}

/* budget: the bytes of blocks that may still be read for this post, so that blocks made only of
 * references to each other cannot make the work exponential while the output stays empty; chain:
 * the blocks being expanded, whose references inside themselves are dropped, as WordPress does */
static int expand(struct wxr_blocks *b, const char *html, bool final, int depth, long long *chain,
                  size_t *budget, struct buf *out)
{
	const char *s = html, *at, *end;
	long long id;
	int rc = 1;
	while (next_ref(s, &at, &end, &id)) {
		buf_add(out, s, (size_t)(at - s));
		s = end;
		const char *c = content_of(b, id);
		if (!c && !final)
			return 0;
		size_t cost = c ? strlen(c) + (size_t)(end - at) : 0;
		if (!c || depth >= WXR_BLOCK_DEPTH || in_chain(chain, depth, id) ||
		    out->len + strlen(c) > WXR_BLOCK_OUT_MAX || cost > *budget) {
			b->missing++;
			continue;
		}
		*budget -= cost;
		b->resolved++;
		chain[depth] = id;
		rc = expand(b, c, final, depth + 1, chain, budget, out);
		if (rc <= 0)
			return rc;
	}
	buf_adds(out, s);
	return out->oom ? -1 : rc;
}

int wxr_blocks_expand(struct wxr_blocks *b, const char *html, bool final, struct buf *out)
{
	long resolved = b->resolved, missing = b->missing;
	size_t budget = WXR_BLOCK_WORK_MAX;
	long long chain[WXR_BLOCK_DEPTH];
	int rc = expand(b, html ? html : "", final, 0, chain, &budget, out);
	if (rc == 0) {
		/* counted again when the post comes back in the second pass */
		b->resolved = resolved;
		b->missing = missing;
	}
	return rc;
}

int wxr_blocks_wait(struct wxr_blocks *b, long long id)
{
	if (b->nwaiting == b->waiting_cap) {
		size_t ncap = b->waiting_cap ? b->waiting_cap * 2 : 16;
		long long *v = realloc(b->waiting, ncap * sizeof *v);
		if (!v)
			return -1;
		b->waiting = v;
		b->waiting_cap = ncap;
	}
	b->waiting[b->nwaiting++] = id;
	return 0;
}

bool wxr_blocks_waiting(const struct wxr_blocks *b, long long id)
{
	for (size_t i = 0; i < b->nwaiting; i++)
		if (b->waiting[i] == id)
			return true;
	return false;
}

void wxr_blocks_free(struct wxr_blocks *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->v[i].content);
	free(b->v);
	free(b->waiting);
	memset(b, 0, sizeof *b);
}
