/* db_backup: the copy is made under a temporary name of its own, checked, then linked into place. */
#include "db_backup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Copies in one step: in WAL mode the source's read transaction does not stop its writers, and
 * a copy made in pieces would start again after each write from another process. A lock held
 * too long is an error, as is any other. SQLITE_DONE when copied. */
static int copy_steps(sqlite3_backup *b)
{
	int rc, tries = 0;
	do {
		rc = sqlite3_backup_step(b, -1);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			if (++tries > BACKUP_TRIES)
				break;
			sqlite3_sleep(BACKUP_WAIT_MS);
		}
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	return rc;
}

/* SQLite's words for rc, with the system's when it has one (a full disk, a file size limit). */
static void why(char *err, size_t errsz, const char *path, sqlite3 *h, int rc)
{
	int e = h ? sqlite3_system_errno(h) : 0;
	if (e)
		snprintf(err, errsz, "%s: %s (%s)", path, sqlite3_errstr(rc), strerror(e));
	else
		snprintf(err, errsz, "%s: %s", path, h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
}

/* Copies d into a new temporary file beside target (its name in tmp), journal mode DELETE.
 * -1 with err, nothing left. */
static int copy_tmp(struct db *d, const char *target, char *tmp, size_t tmpsz, char *err, size_t errsz)
{
	int n = snprintf(tmp, tmpsz, "%s.tmp-XXXXXX", target);
	if (n < 0 || (size_t)n >= tmpsz) {
		snprintf(err, errsz, "%.200s...: path too long", target);
		return -1;
	}
	int fd = mkstemp(tmp); /* O_EXCL, mode 0600: the copy holds password hashes */
	if (fd < 0) {
		snprintf(err, errsz, "%s: %s", target, strerror(errno));
		return -1;
	}
	close(fd);
	sqlite3 *out = NULL;
	sqlite3_backup *b = NULL;
	int rc = sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK)
		b = sqlite3_backup_init(out, "main", d->h, "main");
	if (!b) {
		why(err, errsz, target, out, rc == SQLITE_OK ? sqlite3_errcode(out) : rc);
		goto fail;
	}
	rc = copy_steps(b);
	int fin = sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE || fin != SQLITE_OK) {
		why(err, errsz, target, out, rc != SQLITE_DONE ? rc : fin);
		goto fail;
	}
	/* the copy reads without a -wal beside it, on a read-only disk too */
	rc = sqlite3_exec(out, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		why(err, errsz, target, out, rc);
		goto fail;
	}
	rc = sqlite3_close(out);
	out = NULL;
	if (rc != SQLITE_OK) {
		why(err, errsz, target, NULL, rc);
		goto fail;
	}
	return 0;
fail:
	sqlite3_close(out);
	unlink(tmp);
	return -1;
}

/* Gives tmp the name file unless file exists: 0, or -1 with errno (EEXIST when taken). Where the
 * file system has no hard links, the name is taken with O_EXCL first and tmp renamed over it. */
static int place(const char *tmp, const char *file)
{
	if (link(tmp, file) == 0)
		return unlink(tmp) == 0 || errno == ENOENT ? 0 : -1;
	if (errno != EPERM && errno != ENOTSUP && errno != ENOSYS)
		return -1;
	int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	close(fd);
	if (rename(tmp, file) == 0)
		return 0;
	int e = errno;
	unlink(file); /* the empty file made just above */
	errno = e;
	return -1;
}

/* The folder holding path, synced so that the new name survives a crash (best effort). */
static void sync_dir(const char *path)
{
	char dir[DB_PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

int db_backup_verify(const char *file, int version, char *err, size_t errsz)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_open_v2(file, &h, SQLITE_OPEN_READONLY, NULL), ret = -1;
	if (rc != SQLITE_OK) {
		why(err, errsz, file, h, rc);
		goto out;
	}
	rc = sqlite3_prepare_v2(h, "PRAGMA quick_check", -1, &st, NULL);
	if (rc != SQLITE_OK || (rc = sqlite3_step(st)) != SQLITE_ROW) {
		why(err, errsz, file, h, rc);
		goto out;
	}
	if (strcmp((const char *)sqlite3_column_text(st, 0), "ok") != 0) {
		snprintf(err, errsz, "%s: the copy fails PRAGMA quick_check: %.200s", file,
		         sqlite3_column_text(st, 0));
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	rc = sqlite3_prepare_v2(h, "PRAGMA user_version", -1, &st, NULL);
	if (rc != SQLITE_OK || (rc = sqlite3_step(st)) != SQLITE_ROW) {
		why(err, errsz, file, h, rc);
		goto out;
	}
	int have = sqlite3_column_int(st, 0);
	if (version >= 0 && have != version) {
		snprintf(err, errsz, "%s: the copy holds schema %d, not %d", file, have, version);
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(st);
	sqlite3_close(h);
	return ret;
}

/* base itself for i == 1, base.i after; -1 when too long. */
static int name_of(char *out, size_t outsz, const char *base, int i)
{
	int w = i == 1 ? snprintf(out, outsz, "%s", base) : snprintf(out, outsz, "%s.%d", base, i);
	return w < 0 || (size_t)w >= outsz ? -1 : 0;
}

/* Copies and checks once, then links the copy to the first free name of base, base.2, ...
 * base.tries. */
static int backup_to(struct db *d, const char *base, int tries, int version, char *out, size_t outsz,
                     char *err, size_t errsz)
{
	char tmp[DB_PATH_MAX + 16], name[DB_PATH_MAX];
	if (name_of(name, sizeof name, base, tries) < 0) {
		snprintf(err, errsz, "%.200s...: path too long", base);
		return -1;
	}
	if (copy_tmp(d, base, tmp, sizeof tmp, err, errsz) < 0)
		return -1;
	if (db_backup_verify(tmp, version, err, errsz) < 0) {
		unlink(tmp);
		return -1;
	}
	for (int i = 1; i <= tries; i++) {
		name_of(name, sizeof name, base, i);
		if (place(tmp, name) == 0) {
			sync_dir(name);
			snprintf(out, outsz, "%s", name);
			return 0;
		}
		if (errno != EEXIST) {
			snprintf(err, errsz, "%s: %s", name, strerror(errno));
			break;
		}
		if (i == tries && tries == 1)
			snprintf(err, errsz,
			         "%s: exists already (a backup never replaces a file: name a new one)", name);
		else if (i == tries)
			snprintf(
			    err, errsz,
			    "%s and %s.2 to .%d exist already (quire never replaces a file it did not make)",
			    base, base, tries);
	}
	unlink(tmp);
	return -1;
}

int db_backup(struct db *d, const char *file, char *err, size_t errsz)
{
	char out[DB_PATH_MAX];
	if (access(file, F_OK) == 0) {
		snprintf(err, errsz, "%s: exists already (a backup never replaces a file: name a new one)",
		         file);
		return -1;
	}
	return backup_to(d, file, 1, -1, out, sizeof out, err, errsz);
}

int db_backup_new(struct db *d, const char *base, int version, char *out, size_t outsz, char *err,
                  size_t errsz)
{
	return backup_to(d, base, DB_BACKUP_NAMES, version, out, outsz, err, errsz);
}

long long db_size(struct db *d)
{
	sqlite3_int64 pages = 0, size = 0;
	if (db_int(d, &pages, "PRAGMA page_count", DB_NOARGS) != 1 ||
	    db_int(d, &size, "PRAGMA page_size", DB_NOARGS) != 1)
		return -1;
	return (long long)pages * size;
}

const char *db_path(struct db *d)
{
	const char *p = sqlite3_db_filename(d->h, "main");
	return p ? p : "";
}
