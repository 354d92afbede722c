/* db_options: the site_options table (sql/021_site_settings.sql): the options set in the admin
 * over the INI file's values (src/lib/options.h says what they mean). */
#ifndef QUIRE_DB_OPTIONS_H
#define QUIRE_DB_OPTIONS_H
#include <stdbool.h>
#include <time.h>

#include "db.h"
#include "options.h"

/* Every stored option into o (emptied first): 0, or -1 (o is then empty). */
int db_options_load(struct db *d, struct options *o);
/* Stores value for key at now (replacing a row): 0, or -1. */
int db_option_set(struct db *d, const char *key, const char *value, time_t now);
/* Removes key's row (the file's value holds again), noting now as the time of the last change
 * (a row OPT_CHANGED_KEY): 0, or -1. */
int db_option_unset(struct db *d, const char *key, time_t now);
/* Whether a new post is mailed to subscribers (the post_mails option; on when unset):
 * 1 yes, 0 no, -1 on error. */
int db_option_post_mails(struct db *d);

#endif
