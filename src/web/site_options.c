/* site_options: the per-worker copy of the site with the admin's options over the file's. */
#include "site_options.h"

#include <stdlib.h>

#include "db_options.h"
#include "db_site.h"
#include "log.h"

struct site_view {
	const struct site *base;
	struct site site; /* *base with the options' fields; its strings point into base or opts */
	struct options opts;
	long long loaded; /* the generation opts were read at; -1: never */
};

int site_view_init(struct worker *w, const struct site *base)
{
	struct site_view *v = calloc(1, sizeof *v);
	if (!v)
		return -1;
	v->base = base;
	v->site = *base;
	v->loaded = -1;
	w->view = v;
	w->site = &v->site;
	w->generation = -1;
	return 0;
}

void site_view_refresh(struct worker *w)
{
	struct site_view *v = w->view;
	w->generation = reader_generation(&w->db);
	if (!v || w->generation < 0 || w->generation == v->loaded)
		return;
	/* read after the generation: the options are at least as new as the number says */
	struct options fresh = {0};
	if (db_options_load(&w->db, &fresh) < 0) {
		log_msg("options: worker %d: cannot read site_options: %s", w->id, db_errmsg(&w->db));
		w->generation = -1; /* no page of this request goes into the render cache */
		return;
	}
	options_free(&v->opts);
	v->opts = fresh;
	v->site.cfg = v->base->cfg;
	options_apply(&v->opts, &v->site.cfg);
	v->loaded = w->generation;
	w->options_at = v->opts.changed_at;
}

void site_view_free(struct worker *w)
{
	if (!w->view)
		return;
	options_free(&w->view->opts);
	w->site = w->view->base;
	free(w->view);
	w->view = NULL;
}

const struct config *site_file_config(const struct worker *w)
{
	return w->view ? &w->view->base->cfg : &w->site->cfg;
}

const struct options *site_options(const struct worker *w)
{
	static const struct options none;
	return w->view ? &w->view->opts : &none;
}

bool site_post_mails(const struct worker *w)
{
	return !w->view || options_post_mails(&w->view->opts);
}
