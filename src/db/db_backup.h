/* db_backup: a consistent copy of a live database (SQLite's online backup), for `quire backup`. */
#ifndef QUIRE_DB_BACKUP_H
#define QUIRE_DB_BACKUP_H
#include <stddef.h>

#include "db.h"

#define BACKUP_PAGES 256  /* pages copied per step: writers get the lock in between */
#define BACKUP_TRIES 200  /* steps refused for a lock before giving up */
#define BACKUP_WAIT_MS 10 /* pause after a refused step */

/* Copies d into file.tmp step by step, then renames it to file, so that file is either the old
 * one or a whole copy. -1 with "PATH: reason" in err (nothing left behind). */
int db_backup(struct db *d, const char *file, char *err, size_t errsz);
/* The file d was opened from ("" for an in-memory database). */
const char *db_path(struct db *d);

#endif
