/* db_backup: a consistent copy of a live database (SQLite's online backup), for `quire backup` and
 * for the copy an upgrade makes before it migrates. A copy never replaces a file. */
#ifndef QUIRE_DB_BACKUP_H
#define QUIRE_DB_BACKUP_H
#include <stddef.h>

#include "db.h"

#define BACKUP_TRIES 200  /* copies refused for a lock before giving up */
#define BACKUP_WAIT_MS 10 /* pause after a refused copy */

/* Copies d to file, which must not exist: the copy is written to a temporary file beside it,
 * checked (it opens, PRAGMA quick_check is ok), then linked to file, so that file appears whole
 * or not at all and a file that appeared meanwhile is never replaced. The copy is one read
 * transaction (WAL: writers go on) and stands alone (rollback journal, no -wal needed).
 * -1 with "PATH: reason" in err, nothing left behind. */
int db_backup(struct db *d, const char *file, char *err, size_t errsz);
/* The same to the first free name of base, base.2, base.3 ... (DB_BACKUP_NAMES in all), the name
 * used in out; the copy must also hold schema version (user_version). */
int db_backup_new(struct db *d, const char *base, int version, char *out, size_t outsz, char *err,
                  size_t errsz);
/* 0 when file opens read-only as a database, passes PRAGMA quick_check and holds schema version
 * (any when -1); -1 with the reason in err. */
int db_backup_verify(const char *file, int version, char *err, size_t errsz);
/* The size of d's database in bytes (pages times page size), -1 on error. */
long long db_size(struct db *d);
/* The file d was opened from ("" for an in-memory database). */
const char *db_path(struct db *d);

#endif
