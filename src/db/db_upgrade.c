/* db_upgrade: backup, check, migrate, in that order, before quire serve starts a thread. */
#include "db_upgrade.h"

#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>

#include "db_backup.h"
#include "log.h"

void db_size_words(long long bytes, char *out, size_t outsz)
{
	if (bytes < 0)
		snprintf(out, outsz, "an unknown amount");
	else if (bytes < 1024 * 1024)
		snprintf(out, outsz, "%lld kB", (bytes + 1023) / 1024);
	else if (bytes < 1024LL * 1024 * 1024)
		snprintf(out, outsz, "%.1f MB", (double)bytes / (1024 * 1024));
	else
		snprintf(out, outsz, "%.1f GB", (double)bytes / (1024 * 1024 * 1024));
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* Copies the database to its backup name and checks the copy; -1 with err (u->backup_failed). */
static int backup_first(struct db *d, struct db_upgrade *u, char *err, size_t errsz)
{
	char base[DB_PATH_MAX], why[DB_PATH_MAX + 300], need[32], avail[32];
	int n;
	if (u->backup_dir) {
		n = snprintf(base, sizeof base, "%s/%s.bak-%d", u->backup_dir, base_name(u->path), u->from);
		snprintf(u->backup_folder, sizeof u->backup_folder, "%s", u->backup_dir);
	} else {
		n = snprintf(base, sizeof base, "%s.bak-%d", u->path, u->from);
		snprintf(u->backup_folder, sizeof u->backup_folder, "%s", u->path);
		char *slash = strrchr(u->backup_folder, '/');
		if (slash)
			*(slash == u->backup_folder ? slash + 1 : slash) = '\0';
		else
			snprintf(u->backup_folder, sizeof u->backup_folder, ".");
	}
	u->need_bytes = db_size(d);
	struct statvfs vs;
	u->free_bytes =
	    statvfs(u->backup_folder, &vs) == 0 ? (long long)vs.f_bavail * (long long)vs.f_frsize : -1;
	db_size_words(u->need_bytes, need, sizeof need);
	db_size_words(u->free_bytes, avail, sizeof avail);
	if (n < 0 || (size_t)n >= sizeof base)
		snprintf(why, sizeof why, "%.200s...: path too long", base);
	else if (u->free_bytes >= 0 && u->need_bytes >= 0 && u->free_bytes < u->need_bytes + DB_DISK_LOW)
		snprintf(why, sizeof why, "%s has %s free, the copy needs %s and room to spare",
		         u->backup_folder, avail, need);
	else if (db_backup_new(d, base, u->from, u->backup, sizeof u->backup, why, sizeof why) == 0) {
		if (strcmp(u->backup, base) != 0)
			log_warn("upgrade: %s exists already and is not quire's to replace: the backup gets "
			         "the next "
			         "free name",
			         base);
		log_info("upgrade: backed up %s (schema %d, %s) to %s", u->path, u->from, need, u->backup);
		return 0;
	}
	u->backup_failed = true;
	u->backup[0] = '\0';
	snprintf(err, errsz,
	         "%s: schema %d not migrated to %d: the backup made first failed: %s. The database was not "
	         "changed.",
	         u->path, u->from, u->to, why);
	return -1;
}

int db_upgrade(struct db *d, struct db_upgrade *u, char *err, size_t errsz)
{
	u->from = db_schema_version(d);
	u->to = db_schema_latest();
	u->applied = 0;
	u->backup[0] = '\0';
	u->backup_failed = false;
	u->need_bytes = u->free_bytes = -1;
	if (u->from < 0) {
		snprintf(err, errsz, "%s: reading its schema version: %s", u->path, db_errmsg(d));
		return -1;
	}
	if (db_schema_newer(d, u->path, err, errsz))
		return -1;
	if (u->from == u->to)
		return 0;
	sqlite3_int64 objects = 0;
	if (db_int(d, &objects, "SELECT count(*) FROM sqlite_schema", DB_NOARGS) < 0) {
		snprintf(err, errsz, "%s: %s", u->path, db_errmsg(d));
		return -1;
	}
	bool fresh = u->from == 0 && objects == 0; /* nothing in it to keep */
	if (!fresh && backup_first(d, u, err, errsz) < 0)
		return -1;
	char why[1000];
	int n = db_migrate_steps(d, !fresh, why, sizeof why);
	if (n < 0) {
		snprintf(err, errsz, "%s: %s; nothing was migrated (the database stays at schema %d)%s%s",
		         u->path, why, u->from, u->backup[0] ? "; the copy taken before the attempt is " : "",
		         u->backup);
		return -1;
	}
	u->applied = n;
	if (!fresh)
		log_info("upgrade: schema %d -> %d", u->from, u->to);
	return n;
}
