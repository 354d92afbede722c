/* site: what every worker shares (config, templates, keys), loaded once at start. Handlers
 * include this header for the page API (page.h) they answer with. */
#ifndef QUIRE_SITE_H
#define QUIRE_SITE_H
#include <stddef.h>

#include "db.h"
#include "identicon.h"
#include "page.h"
#include "settings.h"

/* Loads templates (checking the ones quire needs exist) and the database's keys.
 * -1 with a one-line reason in err. */
int site_load(struct site *s, struct db *db, char *err, size_t errsz);
void site_free(struct site *s);
/* The templates quire needs that set lacks: how many; when any, err names the folder and every
 * missing file ("DIR: missing template article.html, home.html"). */
int site_templates_missing(const struct tmpl_set *set, const char *dir, char *err, size_t errsz);
/* Loads c's templates folder as site_load does (a source or build tree's own templates when the
 * default folder is missing: c->templates is set to the folder used) into *set, which the
 * caller frees with tmpl_set_free. -1 with err: a folder that cannot be read, a template that
 * does not parse (file:line), or missing templates. */
int site_templates_load(struct config *c, struct tmpl_set **set, char *err, size_t errsz);

#endif
