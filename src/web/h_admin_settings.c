/* h_admin_settings: /admin/settings, the site's options (title, description, language, page
 * sizes, the comment policy, new-post mails) stored in the database over the INI file's values;
 * every change goes into the audit log. */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "db_options.h"
#include "form.h"
#include "handlers.h"
#include "log.h"
#include "site.h"
#include "site_options.h"
#include "text.h"
#include "timefmt.h"

#define SETTINGS_AUDIT_SHOWN 20
#define AUDIT_PREFIX "settings."

static void server_error(struct req *q, struct resp *r)
{
	page_error(q, r, 500, "Something went wrong on our side; it has been logged.");
}

/* The value of k in effect for this request, in its stored form. */
static void effective(struct req *q, enum opt_key k, struct buf *out)
{
	if (k == OPT_POST_MAILS) {
		buf_reset(out);
		buf_adds(out, site_post_mails(q->w) ? "on" : "off");
		buf_cstr(out);
		return;
	}
	opt_of_config(&q->w->site->cfg, k, out);
}

/* The words of the stored list "a, b" one per line, as the textarea shows them. */
static char *words_lines(struct arena *a, const char *stored)
{
	struct buf b = BUF_INIT;
	for (const char *p = stored; *p;) {
		size_t n = strcspn(p, ",");
		while (n && *p == ' ')
			p++, n--;
		if (n) {
			buf_add(&b, p, n);
			buf_addc(&b, '\n');
		}
		p += n;
		if (*p)
			p++;
	}
	char *s = arena_strdup(a, b.len ? buf_cstr(&b) : "");
	buf_free(&b);
	return s;
}

/* The form's values: typed (when it comes back with errors) or in effect. */
struct typed {
	const char *val[OPT_COUNT];
	const char *err[OPT_COUNT];
};

static void audit_view(struct req *q, struct tobj *ctx)
{
	struct audit_entry *e = arena_calloc(q->a, SETTINGS_AUDIT_SHOWN, sizeof *e);
	long n = e ? audit_recent(&q->w->db, AUDIT_PREFIX, SETTINGS_AUDIT_SHOWN, q->a, e) : -1;
	if (n < 0)
		log_msg("settings: the audit log could not be read: %s", db_errmsg(&q->w->db));
	struct tlist *l = tset_list(ctx, "changes");
	for (long i = 0; i < n; i++) {
		struct tobj *o = tlist_add(l);
		char iso[TIME_BUFSZ], day[TIME_BUFSZ];
		time_rfc3339(e[i].at, iso);
		snprintf(day, sizeof day, "%.10s %.5s UTC", iso, iso + 11);
		tset_str(o, "at_iso", iso);
		tset_str(o, "at", day);
		tset_str(o, "who",
		         *e[i].user_name ? e[i].user_name
		         : e[i].user_id  ? "a deleted user"
		                         : "quire");
		tset_str(o, "what", e[i].detail);
	}
}

static void render(struct req *q, struct resp *r, const struct typed *t, const char *notice)
{
	struct tobj *ctx = page_ctx(q, "Settings");
	const struct config *file = site_file_config(q->w);
	const struct options *o = site_options(q->w);
	struct buf b = BUF_INIT;
	bool any_err = false;
	for (int k = 0; k < OPT_COUNT; k++) {
		struct tobj *f = tobj_new(q->a);
		const char *v = t->val[k];
		if (k == OPT_DISALLOWED_WORDS && !t->err[k])
			v = words_lines(q->a, v);
		tset_str(f, "value", v);
		tset_str(f, "error", t->err[k]);
		any_err |= t->err[k] != NULL;
		/* unset in the database: the INI file's value (or quire's own default) is in effect */
		bool from_file = o->val[k] == NULL;
		tset_bool(f, "from_file", from_file && opt_defs[k].ini);
		tset_bool(f, "builtin", from_file && !opt_defs[k].ini);
		tset_bool(f, "resettable", !from_file && opt_defs[k].ini);
		if (opt_defs[k].ini) {
			opt_of_config(file, k, &b);
			tset_str(f, "file_value", *buf_cstr(&b) ? buf_cstr(&b) : "(empty)");
			tset_str(f, "ini", opt_defs[k].ini);
		}
		tset_obj(ctx, opt_defs[k].key, f);
	}
	buf_free(&b);
	const char *mod = t->val[OPT_MODERATION] ? t->val[OPT_MODERATION] : "";
	tset_bool(ctx, "mod_first", strcmp(mod, "first") == 0);
	tset_bool(ctx, "mod_all", strcmp(mod, "all") == 0);
	tset_bool(ctx, "mod_none", strcmp(mod, "none") == 0);
	tset_bool(ctx, "mails_on", t->val[OPT_POST_MAILS] && strcmp(t->val[OPT_POST_MAILS], "on") == 0);
	tset_int(ctx, "posts_per_page_max", POSTS_PER_PAGE_MAX);
	tset_str(ctx, "notice", notice);
	if (any_err)
		tset_str(ctx, "alert", "The settings were not saved: see the marked fields.");
	audit_view(q, ctx);
	page_render(q, r, "admin_settings", ctx);
}

void h_admin_settings(struct req *q, struct resp *r)
{
	struct typed t = {0};
	struct buf b = BUF_INIT;
	for (int k = 0; k < OPT_COUNT; k++) {
		effective(q, k, &b);
		t.val[k] = arena_strdup(q->a, buf_cstr(&b));
	}
	buf_free(&b);
	char *v = NULL;
	const char *notice = NULL;
	if (query_get(q->a, q->query, "saved", 8, &v) == 1)
		notice = strcmp(v, "0") == 0 ? "Settings saved (nothing had changed)." : "Settings saved.";
	render(q, r, &t, notice);
}

/* old and new as the audit log shows them: quoted, the file's value named. */
static char *change_words(struct arena *a, const char *key, const char *old, bool old_file, const char *nw,
                          bool new_file)
{
	return arena_printf(a, "%s: \"%s\"%s -> \"%s\"%s", key, old, old_file ? " (from the file)" : "", nw,
	                    new_file ? " (from the file)" : "");
}

/* Writes the changes in one transaction with their audit rows; the number changed, or -1. */
static long save(struct req *q, const struct typed *t, const bool *reset)
{
	struct db *d = &q->w->db;
	const struct options *o = site_options(q->w);
	const struct config *file = site_file_config(q->w);
	struct buf cur = BUF_INIT, fv = BUF_INIT;
	long changed = 0;
	if (db_begin(d) < 0)
		return -1;
	for (int k = 0; k < OPT_COUNT && changed >= 0; k++) {
		const char *key = opt_defs[k].key;
		effective(q, k, &cur);
		bool set = o->val[k] != NULL;
		const char *detail = NULL;
		if (reset[k] && set && opt_defs[k].ini) {
			opt_of_config(file, k, &fv);
			if (db_option_unset(d, key, q->now) < 0)
				changed = -1;
			detail = change_words(q->a, key, buf_cstr(&cur), false, buf_cstr(&fv), true);
		} else if (strcmp(buf_cstr(&cur), t->val[k]) != 0) {
			if (db_option_set(d, key, t->val[k], q->now) < 0)
				changed = -1;
			detail = change_words(q->a, key, buf_cstr(&cur), !set, t->val[k], false);
		}
		if (!detail || changed < 0)
			continue;
		if (audit_add(d, q->session->user_id, arena_printf(q->a, AUDIT_PREFIX "%s", key), detail) < 0)
			changed = -1;
		else
			changed++;
	}
	buf_free(&cur);
	buf_free(&fv);
	if (changed < 0 || db_commit(d) < 0) {
		db_rollback(d);
		return -1;
	}
	return changed;
}

void h_admin_settings_save(struct req *q, struct resp *r)
{
	struct typed t = {0};
	bool reset[OPT_COUNT] = {0}, bad = false;
	struct buf b = BUF_INIT;
	for (int k = 0; k < OPT_COUNT; k++) {
		const char *key = opt_defs[k].key;
		const char *raw = form_get(q->form, key);
		if (k == OPT_POST_MAILS && form_get(q->form, "has_post_mails"))
			raw = raw ? "on" : "off"; /* a checkbox: absent when unticked */
		reset[k] = form_get(q->form, arena_printf(q->a, "reset_%s", key)) != NULL;
		if (!raw) {
			/* a field the form did not carry is left as it is */
			effective(q, k, &b);
			raw = arena_strdup(q->a, buf_cstr(&b));
		}
		const char *why = form_bad_utf8(q->form, key)
		                      ? "This is not valid text (UTF-8): type it again."
		                      : opt_normalize(k, raw, &b);
		t.val[k] = arena_strdup(q->a, why ? raw : buf_cstr(&b));
		t.err[k] = why;
		bad |= why != NULL;
	}
	buf_free(&b);
	if (bad) {
		r->status = 422;
		return render(q, r, &t, NULL);
	}
	long n = save(q, &t, reset);
	if (n < 0)
		return server_error(q, r);
	log_audit("audit: user=%lld action=settings changed=%ld", (long long)q->session->user_id, n);
	resp_redirect(r, 303, n ? "/admin/settings?saved=1" : "/admin/settings?saved=0");
}
