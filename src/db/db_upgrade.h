/* db_upgrade: an older schema brought up to date safely: an online backup beside the database
 * first (checked), then the migrations, each logged; nothing changed when the backup fails. */
#ifndef QUIRE_DB_UPGRADE_H
#define QUIRE_DB_UPGRADE_H
#include <stdbool.h>

#include "db.h"

struct db_upgrade {
	const char *path;                /* the database file, for the backup's name and the messages */
	const char *backup_dir;          /* where the backup goes; NULL: the database's own folder */
	int from, to, applied;           /* the schema found, the schema now, migrations applied */
	char backup[DB_PATH_MAX];        /* the copy made before migrating ("" when none was needed) */
	bool backup_failed;              /* the copy could not be made: nothing was changed */
	char backup_folder[DB_PATH_MAX]; /* where it was to go */
	long long need_bytes;            /* about the database's size: what the copy needs */
	long long free_bytes;            /* free in backup_folder, -1 when unknown */
};

/* Brings d (opened from u->path) to this quire's schema. A database with data in an older schema
 * is first copied to PATH.bak-N (N its schema; PATH.bak-N.2, .3 ... when that name exists) with
 * db_backup_new, and the copy checked; a brand-new empty one needs no copy. Logs one line per
 * step ("quire: upgrade: ..."). Returns the number of migrations applied (0: already current), or
 * -1 with err: a newer schema (db_schema_newer's line, nothing touched), the backup failing
 * (u->backup_failed, nothing changed), or a migration failing (the schema it stopped at, and the
 * backup's name). */
int db_upgrade(struct db *d, struct db_upgrade *u, char *err, size_t errsz);
/* bytes as "12.3 MB" / "512 kB" for messages. */
void db_size_words(long long bytes, char *out, size_t outsz);

#endif
