/* db: one connection per thread; every statement is prepared once and reused. */
#include "db.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#ifndef PACKAGE_VERSION /* compiled outside configure (tests/fuzz/run.sh builds src/db alone) */
#define PACKAGE_VERSION "unknown"
#endif

static _Thread_local enum db_fault fault;
static bool log_errors; /* the server logs SQLite's errors; commands print their own */
static _Thread_local bool in_request;
static _Thread_local long long request_deadline; /* ms; 0 until the request first waits */
static _Thread_local bool no_wait;               /* work that can wait for a later turn */

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void db_fault_note(int rc)
{
	enum db_fault f = DB_FAULT_NONE;
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		f = DB_FAULT_BUSY;
		break;
	case SQLITE_FULL:
		f = DB_FAULT_FULL;
		break;
	case SQLITE_READONLY:
		f = DB_FAULT_READONLY;
		break;
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		f = DB_FAULT_IO;
		break;
	default:
		return;
	}
	if (fault == DB_FAULT_NONE)
		fault = f;
}

/* SQLite's error log: every fault passes here, in the thread that met it. */
static void error_log(void *arg, int rc, const char *msg)
{
	(void)arg;
	int prim = rc & 0xff;
	if (prim == SQLITE_WARNING || prim == SQLITE_NOTICE || prim == SQLITE_SCHEMA ||
	    prim == SQLITE_CONSTRAINT)
		return;
	db_fault_note(rc);
	if (log_errors)
		log_msg("sqlite: %s (%s)", msg, sqlite3_errstr(rc));
}

void db_global_init(void)
{
	sqlite3_config(SQLITE_CONFIG_LOG, error_log, NULL);
}

void db_log_errors(bool on)
{
	log_errors = on;
}

void db_request_begin(void)
{
	fault = DB_FAULT_NONE;
	in_request = true;
	request_deadline = 0;
}

void db_request_end(void)
{
	in_request = false;
}

void db_no_wait(bool on)
{
	no_wait = on;
}

enum db_fault db_fault_get(void)
{
	return fault;
}

/* Waits for a lock in short sleeps: up to DB_BUSY_MS per statement, and inside a request up to
 * DB_REQUEST_WAIT_MS for all its statements together, so a held lock costs a reader of the
 * admin one bounded wait and then a 503, never one wait per statement. */
static int busy_wait(void *arg, int count)
{
	static _Thread_local long long started;
	long long now = now_ms();
	(void)arg;
	if (count == 0)
		started = now;
	if (no_wait)
		return 0;
	long long until = started + DB_BUSY_MS;
	if (in_request) {
		if (!request_deadline)
			request_deadline = now + DB_REQUEST_WAIT_MS;
		if (request_deadline < until)
			until = request_deadline;
	}
	if (now >= until) {
		fault = fault ? fault : DB_FAULT_BUSY;
		return 0;
	}
	long long nap = count < 10 ? 2 + count * 2 : 25;
	if (nap > until - now)
		nap = until - now;
	struct timespec ts = {0, (long)nap * 1000000L};
	nanosleep(&ts, NULL);
	return 1;
}

enum db_fault db_disk_fault(const char *path)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	struct statvfs vs;
	if (statvfs(dir, &vs) < 0)
		return DB_FAULT_NONE;
	return (unsigned long long)vs.f_bavail * vs.f_frsize < DB_DISK_LOW ? DB_FAULT_FULL : DB_FAULT_NONE;
}

const char *db_fault_name(enum db_fault f)
{
	static const char *const names[] = {"no fault", "database locked", "disk full", "database read-only",
	                                    "database I/O error"};
	return (unsigned)f < sizeof names / sizeof names[0] ? names[f] : "?";
}

static int pragmas(struct db *d, char *err, size_t errsz)
{
	/* reading the schema is what tells a database from any other file */
	char *msg = NULL;
	int rc = sqlite3_exec(d->h,
	                      "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
	                      "PRAGMA foreign_keys=ON; SELECT count(*) FROM sqlite_schema;",
	                      NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(err, errsz, "%s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int db_open(struct db *d, const char *path, enum db_mode mode, char *err, size_t errsz)
{
	memset(d, 0, sizeof *d);
	if (mode != DB_CREATE && access(path, F_OK) != 0) {
		snprintf(err, errsz, "%s: %s (create it with 'quire init --db %s')", path, strerror(errno),
		         path);
		return -1;
	}
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	if (mode == DB_CREATE)
		flags |= SQLITE_OPEN_CREATE;
	int rc = sqlite3_open_v2(path, &d->h, flags, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errsz, "%s: %s", path, d->h ? sqlite3_errmsg(d->h) : sqlite3_errstr(rc));
		goto fail;
	}
	/* before anything is written (even the journal mode): a newer schema is left as it is */
	sqlite3_busy_handler(d->h, busy_wait, NULL);
	if (mode != DB_OPEN_ANY && db_schema_newer(d, path, err, errsz)) {
		sqlite3_close(d->h);
		d->h = NULL;
		return -1;
	}
	if (pragmas(d, err, errsz) < 0) {
		char why[256], dir[DB_PATH_MAX];
		snprintf(why, sizeof why, "%s", err);
		/* WAL keeps quire.db-wal and quire.db-shm beside the file: the folder must be writable */
		snprintf(dir, sizeof dir, "%s", path);
		char *slash = strrchr(dir, '/');
		if (slash)
			*(slash == dir ? slash + 1 : slash) = '\0';
		else
			snprintf(dir, sizeof dir, ".");
		bool folder = access(dir, W_OK) != 0;
		snprintf(err, errsz, "%s: %s%s%s%s", path, why,
		         folder ? " (quire needs to write to the folder " : "", folder ? dir : "",
		         folder ? ", for the database's -wal and -shm files)" : "");
		goto fail;
	}
	if (sqlite3_db_readonly(d->h, "main") == 1) {
		snprintf(err, errsz, "%s: database is read-only (quire needs to write to it and its folder)",
		         path);
		goto fail;
	}
	return 0;
fail:
	sqlite3_close(d->h);
	d->h = NULL;
	return -1;
}

void db_close(struct db *d)
{
	for (size_t i = 0; i < d->nslots; i++)
		if (d->slots[i].st)
			sqlite3_finalize(d->slots[i].st);
	free(d->slots);
	d->slots = NULL;
	d->nslots = d->ncached = 0;
	if (d->h)
		sqlite3_close(d->h);
	d->h = NULL;
}

int db_cache_size(struct db *d, long kb)
{
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%ld", kb);
	return db_exec(d, sql);
}

int db_schema_version(struct db *d)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(d->h, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

int db_schema_latest(void)
{
	return migrations[migrations_count - 1].version;
}

/* The first matching name of the newest upgrade backups beside path ("" when none is there). */
static void newest_backup(const char *path, int version, char *out, size_t outsz)
{
	char name[DB_PATH_MAX];
	out[0] = '\0';
	for (int i = 1; i <= DB_BACKUP_NAMES; i++) {
		int n = i == 1 ? snprintf(name, sizeof name, "%s.bak-%d", path, version)
		               : snprintf(name, sizeof name, "%s.bak-%d.%d", path, version, i);
		if (n < 0 || (size_t)n >= sizeof name || access(name, F_OK) != 0)
			break;
		snprintf(out, outsz, "%s", name);
	}
}

bool db_schema_newer(struct db *d, const char *path, char *err, size_t errsz)
{
	int have = db_schema_version(d), want = db_schema_latest();
	if (have <= want)
		return false; /* -1 (not a database) is for the caller's next read to say */
	char by[DB_VERSION_MAX] = "", bak[DB_PATH_MAX];
	sqlite3_stmt *st = NULL;
	/* quire_meta (sql/025) is kept by every later schema; an unknown one has none */
	if (sqlite3_prepare_v2(d->h, "SELECT value FROM quire_meta WHERE key = 'written_by'", -1, &st,
	                       NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(by, sizeof by, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	for (char *p = by; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	newest_backup(path, want, bak, sizeof bak);
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char restore[DB_PATH_MAX + 64];
	if (bak[0])
		snprintf(restore, sizeof restore, "%s", strrchr(bak, '/') ? strrchr(bak, '/') + 1 : bak);
	else
		snprintf(restore, sizeof restore, "%s.bak-%d, if one was made", base, want);
	if (by[0])
		snprintf(
		    err, errsz,
		    "%s has schema %d (written by quire %s); this quire %s knows schema %d. Install quire %s "
		    "or newer, or restore a backup made before the upgrade (%s).",
		    path, have, by, PACKAGE_VERSION, want, by, restore);
	else
		snprintf(
		    err, errsz,
		    "%s has schema %d (written by a newer quire); this quire %s knows schema %d. Install the "
		    "quire that upgraded it, or restore a backup made before the upgrade (%s).",
		    path, have, PACKAGE_VERSION, want, restore);
	return true;
}

/* Runs migration m inside the open transaction; 0, or -1 with err. The newest one also records
 * which quire wrote the schema. */
static int apply_one(struct db *d, const struct migration *m, char *err, size_t errsz)
{
	char *msg = NULL, setv[64];
	snprintf(setv, sizeof setv, "PRAGMA user_version=%d;", m->version);
	if (sqlite3_exec(d->h, m->sql, NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(d->h, setv, NULL, NULL, &msg) != SQLITE_OK ||
	    (m->version == db_schema_latest() && m->version >= DB_META_SINCE &&
	     sqlite3_exec(d->h,
	                  "INSERT INTO quire_meta(key, value) VALUES('written_by', '" PACKAGE_VERSION "') "
	                  "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	                  NULL, NULL, &msg) != SQLITE_OK)) {
		snprintf(err, errsz, "migration %s: %s", m->name, msg ? msg : sqlite3_errmsg(d->h));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Every pending migration in one transaction: an upgrade that fails half way (a constraint the
 * old data breaks) leaves the database exactly as it was, at its old schema, so the backup taken
 * before it stays the one to name and a retry starts from the same place. Another process that
 * migrated first is seen under the write lock (nothing left to apply). */
int db_migrate_steps(struct db *d, bool verbose, char *err, size_t errsz)
{
	char *msg = NULL;
	if (sqlite3_exec(d->h, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errsz, "starting the upgrade: %s", msg ? msg : sqlite3_errmsg(d->h));
		sqlite3_free(msg);
		return -1;
	}
	int have = db_schema_version(d), applied = 0;
	const char *path = sqlite3_db_filename(d->h, "main");
	if (have < 0) {
		snprintf(err, errsz, "reading user_version: %s", sqlite3_errmsg(d->h));
		goto fail;
	}
	if (db_schema_newer(d, path && *path ? path : "the database", err, errsz))
		goto fail;
	for (int i = 0; i < migrations_count; i++) {
		const struct migration *m = &migrations[i];
		if (m->version <= have)
			continue;
		if (apply_one(d, m, err, errsz) < 0)
			goto fail;
		applied++;
	}
	if (sqlite3_exec(d->h, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errsz, "committing the upgrade: %s", msg ? msg : sqlite3_errmsg(d->h));
		sqlite3_free(msg);
		goto fail;
	}
	for (int i = 0; verbose && i < migrations_count; i++)
		if (migrations[i].version > have)
			log_info("upgrade: applied %s", migrations[i].name);
	return applied;
fail:
	sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int db_migrate(struct db *d, char *err, size_t errsz)
{
	return db_migrate_steps(d, false, err, errsz);
}

int db_check_schema(struct db *d, char *err, size_t errsz)
{
	int have = db_schema_version(d), want = db_schema_latest();
	if (have != want) {
		snprintf(
		    err, errsz,
		    "database schema is version %d, this quire needs %d: run 'quire init' (or start quire "
		    "serve), which backs the database up and migrates it",
		    have, want);
		return -1;
	}
	return 0;
}

static size_t slot_of(const struct db_stmt_slot *slots, size_t nslots, const char *sql)
{
	size_t i = ((uintptr_t)sql >> 3) * 0x9E3779B97F4A7C15u & (nslots - 1);
	while (slots[i].sql && slots[i].sql != sql)
		i = (i + 1) & (nslots - 1);
	return i;
}

/* Doubles the table (kept at most half full); -1 when memory is out. */
static int grow(struct db *d)
{
	size_t n = d->nslots ? d->nslots * 2 : DB_STMT_SLOTS_MIN;
	struct db_stmt_slot *s = calloc(n, sizeof *s);
	if (!s)
		return -1;
	for (size_t i = 0; i < d->nslots; i++)
		if (d->slots[i].sql)
			s[slot_of(s, n, d->slots[i].sql)] = d->slots[i];
	free(d->slots);
	d->slots = s;
	d->nslots = n;
	return 0;
}

sqlite3_stmt *db_prep(struct db *d, const char *sql)
{
	if ((d->ncached + 1) * 2 > d->nslots && grow(d) < 0) {
		log_msg("db_prep: out of memory");
		return NULL;
	}
	struct db_stmt_slot *e = &d->slots[slot_of(d->slots, d->nslots, sql)];
	if (e->sql) {
		sqlite3_reset(e->st);
		sqlite3_clear_bindings(e->st);
		return e->st;
	}
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(d->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		log_msg("db_prep: sqlite: %s (%s): %.80s", sqlite3_errmsg(d->h), sqlite3_errstr(rc), sql);
		sqlite3_finalize(st);
		return NULL;
	}
	e->sql = sql;
	e->st = st;
	d->ncached++;
	return st;
}

int db_exec(struct db *d, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(d->h, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		db_fault_note(sqlite3_extended_errcode(d->h));
		log_msg("sqlite: %s: %s", sql, msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int db_begin(struct db *d)
{
	return db_exec(d, "BEGIN IMMEDIATE");
}

int db_commit(struct db *d)
{
	return db_exec(d, "COMMIT");
}

void db_rollback(struct db *d)
{
	if (!sqlite3_get_autocommit(d->h))
		sqlite3_exec(d->h, "ROLLBACK", NULL, NULL, NULL);
}

const char *db_errmsg(struct db *d)
{
	return sqlite3_errmsg(d->h);
}

const char *db_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? (const char *)t : "";
}

/* The statement for sql with a bound, or NULL (logged). */
static sqlite3_stmt *bound(struct db *d, const char *sql, const struct db_arg *a, size_t n)
{
	sqlite3_stmt *st = db_prep(d, sql);
	if (!st)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		int rc = a[i].kind == 'i' ? sqlite3_bind_int64(st, (int)i + 1, a[i].i)
		         : a[i].t         ? sqlite3_bind_text(st, (int)i + 1, a[i].t, -1, SQLITE_STATIC)
		                          : sqlite3_bind_null(st, (int)i + 1);
		if (rc != SQLITE_OK) {
			log_msg("db: bind %zu of \"%.60s\": %s", i + 1, sql, sqlite3_errmsg(d->h));
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return NULL;
		}
	}
	return st;
}

/* Steps st once: 1 row, 0 done, -1 error (logged); the caller resets. */
static int step_one(struct db *d, sqlite3_stmt *st, const char *sql)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	log_msg("db: \"%.60s\": %s", sql, sqlite3_errmsg(d->h));
	return -1;
}

static void done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

int db_int(struct db *d, sqlite3_int64 *out, const char *sql, const struct db_arg *a, size_t n)
{
	sqlite3_stmt *st = bound(d, sql, a, n);
	if (!st)
		return -1;
	int rc = step_one(d, st, sql);
	if (rc == 1)
		*out = sqlite3_column_int64(st, 0);
	done(st);
	return rc;
}

int db_str(struct db *d, char *out, size_t outsz, const char *sql, const struct db_arg *a, size_t n)
{
	sqlite3_stmt *st = bound(d, sql, a, n);
	if (!st)
		return -1;
	int rc = step_one(d, st, sql);
	if (rc == 1 && outsz > 0)
		snprintf(out, outsz, "%s", db_text(st, 0));
	done(st);
	return rc;
}

int db_run(struct db *d, const char *sql, const struct db_arg *a, size_t n)
{
	sqlite3_stmt *st = bound(d, sql, a, n);
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	int changed = sqlite3_changes(d->h);
	if (rc == SQLITE_ROW) /* a RETURNING or a pragma: run it out */
		while ((rc = sqlite3_step(st)) == SQLITE_ROW)
			;
	done(st);
	if (rc != SQLITE_DONE) {
		log_msg("db: \"%.60s\": %s", sql, sqlite3_errmsg(d->h));
		return -1;
	}
	return changed;
}
