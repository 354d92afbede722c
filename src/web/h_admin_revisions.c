/* h_admin_revisions: a post's revisions: the list, one compared with the current text (a line
 * diff, src/lib/diff.c), and its restore, which is a new save (itself kept as a revision). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "db_revisions.h"
#include "diff.h"
#include "editor_extra.h"
#include "handlers.h"
#include "log.h"
#include "site.h"
#include "text.h"

#define DIFF_CONTEXT 3 /* unchanged lines shown around a change */

static void server_error(struct req *q, struct resp *r)
{
	page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
}

/* The post of the path into f: false after answering. */
static bool post_or_answer(struct req *q, struct resp *r, struct post_form *f)
{
	sqlite3_int64 id = id_parse(q->params[0]);
	int found = id ? editor_load(q, id, f) : 0;
	if (found < 0)
		server_error(q, r);
	else if (found == 0)
		page_error(q, r, 404, "There is no such post.");
	return found == 1;
}

/* The revision of the path (of post): false after answering. */
static bool revision_or_answer(struct req *q, struct resp *r, sqlite3_int64 post, struct revision *rv)
{
	sqlite3_int64 id = id_parse(q->params[1]);
	int found = id ? revision_get(&q->w->db, q->a, post, id, rv) : 0;
	if (found < 0)
		server_error(q, r);
	else if (found == 0)
		page_error(q, r, 404, "There is no such revision of this post.");
	return found == 1;
}

static const char *when_of(struct req *q, time_t t)
{
	char b[EDITOR_DATE_LEN + 1];
	local_date_format(t, b);
	if (*b)
		b[10] = ' ';
	return arena_strdup(q->a, b);
}

void h_admin_revisions(struct req *q, struct resp *r)
{
	struct post_form f;
	if (!post_or_answer(q, r, &f))
		return;
	struct revision *rows = NULL;
	long n = revisions_list(&q->w->db, q->a, f.id, &rows);
	if (n < 0)
		return server_error(q, r);
	struct tobj *ctx = page_ctx(q, "Revisions");
	tset_str(ctx, "post_title", f.title);
	tset_str(ctx, "edit_url", arena_printf(q->a, "/admin/posts/%lld/edit", (long long)f.id));
	tset_str(ctx, "timezone", editor_timezone(q));
	tset_int(ctx, "kept", REVISIONS_KEPT);
	struct tlist *l = tset_list(ctx, "revisions");
	for (long i = 0; i < n; i++) {
		struct tobj *o = tlist_add(l);
		tset_str(o, "when", when_of(q, rows[i].created_at));
		tset_str(o, "who", *rows[i].user_name ? rows[i].user_name : "a former user");
		tset_str(o, "title", rows[i].title);
		tset_bool(o, "latest", i == 0);
		tset_str(o, "url",
		         arena_printf(q->a, "/admin/posts/%lld/revisions/%lld", (long long)f.id,
		                      (long long)rows[i].id));
	}
	page_render(q, r, "admin_revisions", ctx);
}

/* The text a diff compares: the title, tags and excerpt as lines above the body. */
static const char *diff_text(struct req *q, const char *title, const char *tags, const char *excerpt,
                             const char *body)
{
	return arena_printf(q->a, "Title: %s\nTags: %s\nExcerpt: %s\n\n%s", title ? title : "",
	                    tags ? tags : "", excerpt && *excerpt ? excerpt : "(automatic)",
	                    body ? body : "");
}

/* The diff lines into ctx's list "lines", unchanged runs far from a change folded; false when
 * the texts are too different to compare. */
static bool diff_set(struct req *q, struct tobj *ctx, const char *old, const char *new)
{
	struct diff_line *d = NULL;
	long n = diff_lines(old, strlen(old), new, strlen(new), &d);
	if (n < 0) {
		if (n != DIFF_TOO_DIFFERENT)
			log_msg("revisions: diff: out of memory");
		return false;
	}
	/* the distance of each line to the nearest change, forward then backward */
	long *near = arena_alloc(q->a, (size_t)(n + 1) * sizeof *near);
	if (!near) {
		free(d);
		return false;
	}
	long last = -1000000;
	for (long i = 0; i < n; i++) {
		if (d[i].op != DIFF_SAME)
			last = i;
		near[i] = i - last;
	}
	last = 1000000 + n;
	for (long i = n - 1; i >= 0; i--) {
		if (d[i].op != DIFF_SAME)
			last = i;
		if (last - i < near[i])
			near[i] = last - i;
	}
	struct tlist *l = tset_list(ctx, "lines");
	long changes = 0;
	for (long i = 0; i < n;) {
		if (near[i] > DIFF_CONTEXT) {
			long j = i;
			while (j < n && near[j] > DIFF_CONTEXT)
				j++;
			struct tobj *o = tlist_add(l);
			tset_str(o, "skip",
			         arena_printf(q->a, "%ld unchanged line%s", j - i, j - i == 1 ? "" : "s"));
			i = j;
			continue;
		}
		struct tobj *o = tlist_add(l);
		tset_strn(o, "text", d[i].s, d[i].len);
		tset_bool(o, "ins", d[i].op == DIFF_INS);
		tset_bool(o, "del", d[i].op == DIFF_DEL);
		tset_bool(o, "same", d[i].op == DIFF_SAME);
		changes += d[i].op != DIFF_SAME;
		i++;
	}
	tset_int(ctx, "changes", changes);
	free(d);
	return true;
}

void h_admin_revision(struct req *q, struct resp *r)
{
	struct post_form f;
	struct revision rv;
	if (!post_or_answer(q, r, &f) || !revision_or_answer(q, r, f.id, &rv))
		return;
	bool autosave = strcmp(rv.kind, "autosave") == 0;
	struct tobj *ctx = page_ctx(q, autosave ? "Autosave compared" : "Revision compared");
	tset_str(ctx, "post_title", f.title);
	tset_str(ctx, "when", when_of(q, rv.created_at));
	tset_str(ctx, "who", *rv.user_name ? rv.user_name : "a former user");
	tset_str(ctx, "timezone", editor_timezone(q));
	tset_bool(ctx, "is_autosave", autosave);
	tset_str(ctx, "edit_url", arena_printf(q->a, "/admin/posts/%lld/edit", (long long)f.id));
	tset_str(ctx, "list_url", arena_printf(q->a, "/admin/posts/%lld/revisions", (long long)f.id));
	tset_str(ctx, "restore_url",
	         arena_printf(q->a, "/admin/posts/%lld/revisions/%lld/restore", (long long)f.id,
	                      (long long)rv.id));
	tset_str(
	    ctx, "autosave_url",
	    arena_printf(q->a, "/admin/posts/%lld/edit?autosave=%lld", (long long)f.id, (long long)rv.id));
	const char *old = diff_text(q, rv.title, rv.tags, rv.excerpt, rv.body);
	const char *cur = diff_text(q, f.title, f.tags, f.excerpt, f.body);
	tset_bool(ctx, "too_different", !diff_set(q, ctx, old, cur));
	page_render(q, r, "admin_revision", ctx);
}

void h_admin_revision_restore(struct req *q, struct resp *r)
{
	struct post_form f;
	struct revision rv;
	if (!post_or_answer(q, r, &f) || !revision_or_answer(q, r, f.id, &rv))
		return;
	editor_apply_revision(&f, &rv, false);
	f.version = 0; /* a restore is a deliberate save over whatever is stored */
	enum post_action act = strcmp(f.status, "published") == 0   ? ACT_PUBLISH
	                       : strcmp(f.status, "scheduled") == 0 ? ACT_SCHEDULE
	                                                            : ACT_DRAFT;
	sqlite3_int64 saved = post_form_save(q, &f, act, f.slug, (time_t)f.published_at, true);
	if (saved == POST_GONE)
		return page_error(q, r, 404, "There is no such post.");
	if (saved < 0)
		return server_error(q, r);
	log_audit("audit: user=%lld action=restore post=%lld revision=%lld", (long long)q->session->user_id,
	          (long long)saved, (long long)rv.id);
	resp_redirect(r, 303, arena_printf(q->a, "/admin/posts/%lld/edit?saved=restored", (long long)saved));
}
