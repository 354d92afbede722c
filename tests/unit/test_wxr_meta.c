/* test_wxr_meta: the pure helpers of the WordPress import: names decoded once, nicenames, comment
 * kinds, the category tree, and reusable blocks (expansion, nesting, missing, waiting). */
#include <string.h>

#include "tap.h"
#include "wxr_blocks.h"
#include "wxr_meta.h"

static const char *decoded(const char *in)
{
	static char b[256];
	snprintf(b, sizeof b, "%s", in);
	wxr_name_decode(b);
	return b;
}

static const char *nicename(const char *login)
{
	static char b[WXR_NICENAME_MAX + 1];
	wxr_nicename(login, b, sizeof b);
	return b;
}

static void names(void)
{
	is_str(decoded("Tom &amp; Jerry"), "Tom & Jerry", "&amp; decoded once");
	is_str(decoded("Tom &amp;amp; Jerry"), "Tom &amp; Jerry", "and only once");
	is_str(decoded("&lt;b&gt; &quot;q&quot; &#039;s&#39;"), "<b> \"q\" 's'", "the escapes of esc_html");
	is_str(decoded("Blog &raquo; Post &#8211; x &#x41;"), "Blog \u00bb Post \u2013 x A",
	       "typographic and numeric");
	is_str(decoded("AT&T & &unknown; &#; &#xZZ; &"), "AT&T & &unknown; &#; &#xZZ; &",
	       "anything else as written");
	is_str(decoded("&#0; &#xD800; &#1114112;"), "&#0; &#xD800; &#1114112;",
	       "invalid code points stay text");
	is_str(decoded(""), "", "empty");

	is_str(nicename("jane.doe"), "jane-doe", "a dot becomes a dash");
	is_str(nicename("Bob"), "bob", "lowercase");
	is_str(nicename("a  b..c@d.org"), "a-b-cd-org", "spaces, dots collapsed; @ dropped");
	is_str(nicename("-x-"), "x", "dashes trimmed");
	is_str(nicename("ünï"), "n", "non-ASCII dropped");
	ok(strlen(nicename("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")) ==
	       WXR_NICENAME_MAX,
	   "cut at WordPress's 50");

	is_str(wxr_comment_kind("pingback"), "pingback", "pingback");
	is_str(wxr_comment_kind("trackback"), "trackback", "trackback");
	is_str(wxr_comment_kind(""), "comment", "empty type is a comment");
	is_str(wxr_comment_kind("comment"), "comment", "comment");
	is_str(wxr_comment_kind("review"), "comment", "another type is a comment");
	is_str(wxr_comment_kind(NULL), "comment", "no type is a comment");
}

static void categories(void)
{
	struct wxr_cats c = {0};
	ok(wxr_cats_add(&c, "travel", "", "Travel") == 0 &&
	       wxr_cats_add(&c, "japan", "travel", "Japan") == 0 &&
	       wxr_cats_add(&c, "tokyo", "japan", "Tokyo") == 0 &&
	       wxr_cats_add(&c, "tom", "", "Tom &amp; Jerry") == 0,
	   "categories kept");
	const char *up[WXR_CATEGORY_DEPTH];
	int n = wxr_cats_ancestors(&c, "tokyo", up, WXR_CATEGORY_DEPTH);
	ok(n == 2, "two ancestors of Tokyo (%d)", n);
	is_str(n > 0 ? up[0] : NULL, "Japan", "nearest first");
	is_str(n > 1 ? up[1] : NULL, "Travel", "then the top");
	ok(wxr_cats_ancestors(&c, "tokyo", up, 1) == 1, "bounded by max");
	ok(wxr_cats_ancestors(&c, "travel", up, WXR_CATEGORY_DEPTH) == 0, "a top category has none");
	ok(wxr_cats_ancestors(&c, "nowhere", up, WXR_CATEGORY_DEPTH) == 0, "an unknown one has none");
	is_str(c.v[3].name, "Tom & Jerry", "category names decoded");
	/* a loop in a broken export ends at the depth limit */
	ok(wxr_cats_add(&c, "a", "b", "A") == 0 && wxr_cats_add(&c, "b", "a", "B") == 0, "a loop");
	ok(wxr_cats_ancestors(&c, "a", up, WXR_CATEGORY_DEPTH) == WXR_CATEGORY_DEPTH,
	   "stops at WXR_CATEGORY_DEPTH");
	wxr_cats_free(&c);
	ok(c.n == 0 && c.v == NULL, "freed");
}

static void blocks(void)
{
	struct wxr_blocks b = {0};
	struct buf out = BUF_INIT;
	const char *post = "<p>a</p>\n<!-- wp:block {\"ref\":7} /-->\n<p>z</p>";
	ok(wxr_blocks_referenced(post), "a reference is seen");
	ok(!wxr_blocks_referenced("<!-- wp:blockquote --><blockquote>x</blockquote>"),
	   "a blockquote is none");
	ok(!wxr_blocks_referenced("<!-- wp:block {\"ref\":} /-->"), "a reference without an id is none");
	ok(!wxr_blocks_referenced(NULL), "no content");
	ok(wxr_blocks_expand(&b, post, false, &out) == 0, "an unknown block makes the post wait");
	ok(wxr_blocks_wait(&b, 42) == 0 && wxr_blocks_waiting(&b, 42) && !wxr_blocks_waiting(&b, 43),
	   "waiting");
	ok(b.resolved == 0 && b.missing == 0, "nothing counted for a post that waits");
	ok(wxr_blocks_add(&b, 7, "<p>seven</p><!-- wp:block {\"ref\": 8} /-->") == 0 &&
	       wxr_blocks_add(&b, 8, "<p>eight</p>") == 0,
	   "blocks kept");
	buf_reset(&out);
	ok(wxr_blocks_expand(&b, post, true, &out) == 1, "expanded");
	is_str(buf_cstr(&out), "<p>a</p>\n<p>seven</p><p>eight</p>\n<p>z</p>", "nested blocks in place");
	ok(b.resolved == 2 && b.missing == 0, "two references replaced");
	buf_reset(&out);
	ok(wxr_blocks_expand(&b, "x<!-- wp:block {\"ref\":9} /-->y", true, &out) == 1, "final pass");
	is_str(buf_cstr(&out), "xy", "a missing block is dropped");
	ok(b.missing == 1, "and counted");
	/* a block naming itself shows once, as WordPress stops at the loop */
	ok(wxr_blocks_add(&b, 10, "r<!-- wp:block {\"ref\":10} /-->") == 0, "a self-referencing block");
	buf_reset(&out);
	ok(wxr_blocks_expand(&b, "<!-- wp:block {\"ref\":10} /-->", true, &out) == 1, "expands");
	is_str(buf_cstr(&out), "r", "once, its reference to itself dropped");
	ok(wxr_blocks_add(&b, 12, "A<!-- wp:block {\"ref\":13} /-->") == 0 &&
	       wxr_blocks_add(&b, 13, "B<!-- wp:block {\"ref\":12} /-->") == 0,
	   "two blocks naming each other");
	buf_reset(&out);
	ok(wxr_blocks_expand(&b, "<!-- wp:block {\"ref\":12} /-->", true, &out) == 1, "expand");
	is_str(buf_cstr(&out), "AB", "each once");
	/* 200,000 comment openings and one closing: looked at in linear time, not 200,000 times over */
	struct buf odd = BUF_INIT;
	for (int i = 0; i < 200000; i++)
		buf_adds(&odd, "<!-- wp:block ");
	buf_adds(&odd, "-->");
	ok(!wxr_blocks_referenced(buf_cstr(&odd)), "openings without a ref are no reference");
	buf_free(&odd);
	/* blocks made only of references to each other: 64 per level, 8 levels deep, no text */
	struct buf many = BUF_INIT;
	for (int i = 0; i < 64; i++)
		buf_adds(&many, "<!-- wp:block {\"ref\":11} /-->");
	ok(wxr_blocks_add(&b, 11, buf_cstr(&many)) == 0, "a block of 64 references to itself");
	buf_reset(&out);
	long before = b.resolved;
	ok(wxr_blocks_expand(&b, buf_cstr(&many), true, &out) == 1 && out.len == 0, "expands to nothing");
	ok(b.resolved - before <= (long)(WXR_BLOCK_WORK_MAX / many.len) + 1,
	   "within the work budget, not 64^8 expansions (%ld)", b.resolved - before);
	buf_free(&many);
	ok(wxr_blocks_add(&b, 8, "<p>new eight</p>") == 0 && b.n == 6,
	   "a later block with one id replaces it");
	buf_reset(&out);
	ok(wxr_blocks_expand(&b, "no references", true, &out) == 1, "a post without references");
	is_str(buf_cstr(&out), "no references", "unchanged");
	buf_free(&out);
	wxr_blocks_free(&b);
}

int main(void)
{
	names();
	categories();
	blocks();
	return tap_done();
}
