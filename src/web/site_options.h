/* site_options: each worker's view of the site: the INI file's values with the options set in
 * the admin (site_options table) laid over, reloaded when the generation of what readers see
 * moves, so a change reaches every thread on its next request with no restart. */
#ifndef QUIRE_SITE_OPTIONS_H
#define QUIRE_SITE_OPTIONS_H
#include <stdbool.h>
#include <time.h>

#include "page.h"

/* Gives w its own view of base (w->site then points at it): 0, or -1 out of memory. */
int site_view_init(struct worker *w, const struct site *base);
/* At the start of a request: reads the generation into w->generation (-1 on error) and reloads
 * the options when it moved since the last load (w->options_at then says when the newest was
 * set). One cached SELECT when nothing moved. */
void site_view_refresh(struct worker *w);
void site_view_free(struct worker *w);
/* The file's values (config_load's, before any option). */
const struct config *site_file_config(const struct worker *w);
/* The options as loaded for this request (set ones only). */
const struct options *site_options(const struct worker *w);
/* Whether publishing mails new posts to subscribers. */
bool site_post_mails(const struct worker *w);

#endif
