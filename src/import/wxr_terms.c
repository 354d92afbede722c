/* wxr_terms: the item's strings and skipped comments, and what an item of a WordPress export carries besides
 * its post: tags and nested categories, shortcodes kept as text (listed for the author), reusable blocks. */
#include "wxr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "text.h"

char *wxr_dup(struct wxr *w, const char *s)
{
	return arena_strdup(&w->a, s);
}

/* Counts the comments of a post that is not imported, so none is dropped unreported. */
void wxr_skip_comments(struct wxr *w)
{
	w->st->comments_skipped += w->ncomments;
}

/* html2md turns these into Markdown; any other shortcode stays in the text as written */
static bool shortcode_converted(const char *name)
{
	static const char *const done[] = {"caption", "wp_caption", "embed", "video", "audio"};
	for (size_t i = 0; i < sizeof done / sizeof done[0]; i++)
		if (strcmp(name, done[i]) == 0)
			return true;
	return false;
}

void wxr_shortcode_seen(const char *name, void *arg)
{
	/* a [gallery ids=...] becomes its images in the media rewrite: counted after it */
	if (!shortcode_converted(name) && strcmp(name, "gallery") != 0)
		wxr_shortcode_kept(arg, name);
}

void wxr_galleries_kept(struct wxr *w, const char *md)
{
	for (const char *g = strstr(md, "[gallery"); g; g = strstr(g + 1, "[gallery"))
		wxr_shortcode_kept(w, "gallery");
}

void wxr_shortcode_kept(struct wxr *w, const char *name)
{
	for (int i = 0; i < w->nkept; i++)
		if (strcmp(w->kept[i].name, name) == 0) {
			w->kept[i].count++;
			return;
		}
	if (w->nkept == WXR_SHORTCODES_LISTED || strlen(name) >= WXR_SHORTCODE_NAME) {
		w->kept_other++;
		return;
	}
	snprintf(w->kept[w->nkept].name, WXR_SHORTCODE_NAME, "%s", name);
	w->kept[w->nkept++].count = 1;
}

void wxr_shortcodes_report(const struct wxr *w)
{
	for (int i = 0; i < w->nkept; i++)
		log_info("import: [%s] kept as text in %ld place%s (quire has no such shortcode)",
		         w->kept[i].name, w->kept[i].count, w->kept[i].count == 1 ? "" : "s");
	if (w->kept_other)
		log_info("import: %ld more shortcodes of other names kept as text", w->kept_other);
}

/* Adds a tag to the item; one quire cannot keep (too long, too many) is left out and named. */
void wxr_add_tag(struct wxr *w, char *t)
{
	if (!*t || !strcmp(t, WXR_DEFAULT_CATEGORY))
		return;
	for (int i = 0; i < w->ntags; i++)
		if (!strcmp(w->tags[i], t))
			return;
	size_t chars = utf8_len(t, strlen(t));
	if (chars <= WXR_TAG_CHARS && w->ntags < IMPORT_TAGS_MAX) {
		w->tag_aliases[w->ntags] = NULL;
		w->tags[w->ntags++] = t;
		return;
	}
	w->st->tags_dropped++;
	if (chars > WXR_TAG_CHARS)
		log_warn("import: post '%.60s': tag '%.60s...' is %zu characters, over %d: left out",
		         w->title ? w->title : "", t, chars, WXR_TAG_CHARS);
	else
		log_warn("import: post '%.60s': tag '%s' is one more than %d tags: left out",
		         w->title ? w->title : "", t, IMPORT_TAGS_MAX);
}

/* A post in "Travel > Japan" is listed under both on WordPress: it gets both tags. */
void wxr_add_ancestors(struct wxr *w)
{
	const char *up[WXR_CATEGORY_DEPTH];
	int n = wxr_cats_ancestors(&w->cats, w->category_nicename, up, WXR_CATEGORY_DEPTH);
	for (int i = 0; i < n; i++) {
		char *t = wxr_dup(w, up[i]);
		if (t)
			wxr_add_tag(w, t);
	}
}

void wxr_category_field(struct wxr *w, const char *name, const char *text)
{
	if (!strcmp(name, "wp:category_nicename"))
		snprintf(w->c_nicename, sizeof w->c_nicename, "%s", text);
	else if (!strcmp(name, "wp:category_parent"))
		snprintf(w->c_parent, sizeof w->c_parent, "%s", text);
	else if (!strcmp(name, "wp:cat_name"))
		snprintf(w->c_name, sizeof w->c_name, "%s", text);
}

void wxr_category_keep(struct wxr *w)
{
	if (w->pass == 1 &&
	    wxr_cats_add(&w->cats, trim(w->c_nicename), trim(w->c_parent), trim(w->c_name)) < 0) {
		log_msg("import: category %.60s: out of memory", w->c_name);
		w->failures++;
	}
	w->c_nicename[0] = w->c_parent[0] = w->c_name[0] = '\0';
}

/* Reusable blocks: a wp_block item is kept by id and is never a post; a post's references are
 * replaced by the blocks' content before conversion, and a post naming a block that comes later
 * in the file waits for the second pass. True when the item needs no saving (now). */
bool wxr_blocks_item(struct wxr *w)
{
	long long id = w->post_id ? strtoll(w->post_id, NULL, 10) : 0;
	if (w->type && !strcmp(w->type, "wp_block")) {
		/* WordPress shows a block only when it is published and has no password: a hidden
		 * one is never copied into a public post (its references are dropped, counted) */
		bool shown = w->status && !strcmp(w->status, "publish") && !(w->password && *w->password);
		if (w->pass == 1 && !shown)
			log_warn("import: reusable block %lld is not published: its references are dropped",
			         id);
		else if (w->pass == 1 && wxr_blocks_add(&w->blocks, id, w->content) < 0) {
			log_msg("import: reusable block %lld: out of memory", id);
			w->failures++;
		}
		return true;
	}
	if (w->pass == 2 && !wxr_blocks_waiting(&w->blocks, id))
		return true; /* saved in the first pass */
	if (!wxr_blocks_referenced(w->content))
		return false;
	struct buf out = BUF_INIT;
	int rc = wxr_blocks_expand(&w->blocks, w->content, w->pass == 2 || id <= 0, &out);
	if (rc == 0 && wxr_blocks_wait(&w->blocks, id) == 0) {
		buf_free(&out);
		return true;
	}
	char *expanded = rc > 0 ? wxr_dup(w, buf_cstr(&out)) : NULL;
	buf_free(&out);
	if (!expanded) {
		log_msg("import: post %lld: out of memory resolving reusable blocks", id);
		w->failures++;
		wxr_skip_comments(w);
		return true;
	}
	w->content = expanded;
	return false;
}
