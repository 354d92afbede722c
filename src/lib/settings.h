/* settings: what the workers, the mail sender and the commands share once loaded: the
 * configuration, the templates and the site's keys. The web layer loads it (site_load); mail
 * reads it from here, below both. */
#ifndef QUIRE_SETTINGS_H
#define QUIRE_SETTINGS_H
#include <stdbool.h>

#include "config.h"
#include "fileid.h"
#include "identicon.h"
#include "tmpl.h"

struct site {
	struct config cfg;
	struct tmpl_set *tmpl;
	unsigned char identicon_key[IDENTICON_KEYBYTES];
	unsigned char form_key[32]; /* signs comment forms and moderation links */
	bool secure_cookies;        /* base_url is https: cookies get Secure */
	struct file_ident db_id;    /* the database file opened at start (replaced: 503) */
};

#endif
