/* db_inspect: a look at a database for `quire check`; nothing is written (query_only). */
#include "db_inspect.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* Column 0 of the first row of sql as an integer in *out; -1 on error with err. */
static int one_int(sqlite3 *h, const char *sql, int *out, char *err, size_t errsz)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		*out = 0;
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK)
		snprintf(err, errsz, "%s", sqlite3_errmsg(h));
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : -1;
}

/* Reads what out holds from an open connection; -1 with err. */
static int read_all(sqlite3 *h, struct db_inspect *out, char *err, size_t errsz)
{
	int n = 0, rc = -1;
	sqlite3_stmt *st = NULL;
	sqlite3_busy_timeout(h, DB_BUSY_MS);
	if (sqlite3_exec(h, "PRAGMA query_only = 1", NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "%s", sqlite3_errmsg(h));
		return -1;
	}
	/* reading the schema is what tells a database from any other file */
	if (one_int(h, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'", &out->tables, err, errsz) <
	        0 ||
	    one_int(h, "PRAGMA user_version", &out->version, err, errsz) < 0 ||
	    one_int(h,
	            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('posts', "
	            "'settings')",
	            &n, err, errsz) < 0)
		return -1;
	out->quire = n == 2;
	if (out->quire &&
	    one_int(h,
	            "SELECT count(*) FROM settings WHERE key IN ('identicon_key', 'comment_form_key') "
	            "AND length(value) = 64",
	            &n, err, errsz) < 0)
		return -1;
	out->keys = out->quire && n == 2;
	if (sqlite3_prepare_v2(h, "PRAGMA quick_check(1)", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		snprintf(err, errsz, "%s", sqlite3_errmsg(h));
		goto out;
	}
	const unsigned char *v = sqlite3_column_text(st, 0);
	snprintf(out->integrity, sizeof out->integrity, "%s", v ? (const char *)v : "?");
	rc = 0;
out:
	sqlite3_finalize(st);
	return rc;
}

/* "file:PATH?immutable=1", the path's % ? # escaped; -1 when it does not fit. */
static int immutable_uri(const char *path, char *out, size_t outsz)
{
	size_t o = 0;
	int n = snprintf(out, outsz, "file:");
	o = n > 0 ? (size_t)n : 0;
	for (const char *p = path; *p && o + 4 < outsz; p++)
		o += strchr("%?#", *p) ? (size_t)snprintf(out + o, outsz - o, "%%%02X", (unsigned char)*p)
		                       : (size_t)snprintf(out + o, outsz - o, "%c", *p);
	n = snprintf(out + o, outsz - o, "?immutable=1");
	return n < 0 || (size_t)n >= outsz - o ? -1 : 0;
}

int db_inspect(const char *path, struct db_inspect *out, char *err, size_t errsz)
{
	memset(out, 0, sizeof *out);
	out->latest = migrations[migrations_count - 1].version;
	sqlite3 *h = NULL;
	int rc = -1;
	/* read-write (with writes refused) when the file allows: a read-only connection to a WAL
	 * database leaves -wal and -shm files behind, which the last read-write one removes at
	 * close (as root, SQLite gives them the database's owner meanwhile). SQLite falls back to
	 * read-only by itself when the file is not writable. */
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errsz, "%s", h ? sqlite3_errmsg(h) : "out of memory");
		goto out;
	}
	if (read_all(h, out, err, errsz) == 0) {
		rc = 0;
		goto out;
	}
	/* a user who may not write the folder cannot make the -shm file a WAL database needs to be
	 * read: read the file as it stands (a -wal file's newest changes are not seen) */
	int code = sqlite3_extended_errcode(h) & 0xff;
	char uri[DB_INSPECT_URI_MAX];
	if ((code != SQLITE_READONLY && code != SQLITE_CANTOPEN) || immutable_uri(path, uri, sizeof uri) < 0)
		goto out;
	sqlite3_close(h);
	h = NULL;
	if (sqlite3_open_v2(uri, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errsz, "%s", h ? sqlite3_errmsg(h) : "out of memory");
		goto out;
	}
	memset(out, 0, sizeof *out);
	out->latest = migrations[migrations_count - 1].version;
	out->as_is = true;
	rc = read_all(h, out, err, errsz);
out:
	sqlite3_close(h);
	return rc;
}

int db_pending_migrations(int version, const struct migration **first)
{
	int i = 0;
	while (i < migrations_count && migrations[i].version <= version)
		i++;
	*first = i < migrations_count ? &migrations[i] : NULL;
	return migrations_count - i;
}
