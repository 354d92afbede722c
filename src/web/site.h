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

#endif
