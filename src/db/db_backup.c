/* db_backup: the copy runs in small steps so that quire serve keeps writing while it goes. */
#include "db_backup.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define BACKUP_PATH_MAX 4200

/* Steps until done; a lock held too long is an error, as is any other. SQLITE_DONE when copied. */
static int copy_steps(sqlite3_backup *b)
{
	int rc, tries = 0;
	do {
		rc = sqlite3_backup_step(b, BACKUP_PAGES);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			if (++tries > BACKUP_TRIES)
				break;
			sqlite3_sleep(BACKUP_WAIT_MS);
		}
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	return rc;
}

int db_backup(struct db *d, const char *file, char *err, size_t errsz)
{
	char tmp[BACKUP_PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s.tmp", file);
	unlink(tmp);
	sqlite3 *out = NULL;
	int rc = sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	sqlite3_backup *b = rc == SQLITE_OK ? sqlite3_backup_init(out, "main", d->h, "main") : NULL;
	if (!b) {
		snprintf(err, errsz, "%s: %s", tmp, out ? sqlite3_errmsg(out) : sqlite3_errstr(rc));
		sqlite3_close(out);
		unlink(tmp);
		return -1;
	}
	rc = copy_steps(b);
	sqlite3_backup_finish(b);
	int closed = sqlite3_close(out);
	if (rc != SQLITE_DONE || closed != SQLITE_OK || rename(tmp, file) != 0) {
		snprintf(err, errsz, "%s: %s", file,
		         rc != SQLITE_DONE ? sqlite3_errstr(rc) : strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

const char *db_path(struct db *d)
{
	const char *p = sqlite3_db_filename(d->h, "main");
	return p ? p : "";
}
