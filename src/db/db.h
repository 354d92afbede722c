/* db: SQLite connections (WAL, busy timeout), migrations, and a per-connection statement cache. */
#ifndef QUIRE_DB_H
#define QUIRE_DB_H
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

struct migration {
	int version;
	const char *name;
	const char *sql;
};
extern const struct migration migrations[];
extern const int migrations_count;

#define DB_STMT_SLOTS_MIN 128   /* first size of the statement table; it doubles as it fills */
#define DB_BUSY_MS 5000         /* longest wait for a lock, per statement, outside requests */
#define DB_REQUEST_WAIT_MS 3000 /* longest total wait for locks in one request */

/* One prepared statement, found by the address of its SQL literal. */
struct db_stmt_slot {
	const char *sql;
	sqlite3_stmt *st;
};

struct db {
	sqlite3 *h;
	/* open addressing on the literal's address; grows, never refuses a statement */
	struct db_stmt_slot *slots;
	size_t nslots, ncached;
};

/* DB_OPEN_EXISTING and DB_CREATE refuse a schema newer than this quire's before writing anything
 * (db_schema_newer); DB_OPEN_ANY (an existing file) does not, for copying it whatever it holds. */
enum db_mode { DB_OPEN_EXISTING, DB_CREATE, DB_OPEN_ANY };

#define DB_PATH_MAX 4200   /* a database or backup path, with room for ".bak-N.M" */
#define DB_BACKUP_NAMES 99 /* NAME.bak-N, NAME.bak-N.2, ... tried before giving up */
#define DB_VERSION_MAX 64  /* a quire version as recorded in quire_meta */
#define DB_META_SINCE 25   /* the migration that made quire_meta */

/* Opens path read-write and checks it really is a database we can write.
 * On failure writes a one-line reason to err and returns -1 (d is left closed). */
int db_open(struct db *d, const char *path, enum db_mode mode, char *err, size_t errsz);
void db_close(struct db *d);
/* Bounds SQLite's page cache of this connection to kb kilobytes. */
int db_cache_size(struct db *d, long kb);
/* Applies the migrations newer than PRAGMA user_version, each in its own transaction (one that
 * another process applied meanwhile is skipped); the newest also sets quire_meta's written_by.
 * Returns the number applied, or -1 with err. db_migrate_steps logs "upgrade: applied NAME" for
 * each when verbose. A schema newer than this quire's is refused (db_schema_newer's words). */
int db_migrate(struct db *d, char *err, size_t errsz);
int db_migrate_steps(struct db *d, bool verbose, char *err, size_t errsz);
/* 0 if the schema is current, -1 with err ("run quire init") otherwise. */
int db_check_schema(struct db *d, char *err, size_t errsz);
/* PRAGMA user_version: the number of the last migration applied (0 for a new file), -1 when it
 * cannot be read. db_schema_latest: the newest this quire knows. */
int db_schema_version(struct db *d);
int db_schema_latest(void);
/* true when d holds a schema newer than this quire's, with the one line to print in err: the
 * version that wrote it (quire_meta), this one, what to install, and the backup to restore
 * instead (path.bak-N beside path, the newest found). Reads only. */
bool db_schema_newer(struct db *d, const char *path, char *err, size_t errsz);
/* A reset, unbound statement for sql, prepared once per connection. sql must be a
 * string literal (the cache is keyed by its address). NULL on error (logged). */
sqlite3_stmt *db_prep(struct db *d, const char *sql);
int db_exec(struct db *d, const char *sql);
int db_begin(struct db *d); /* BEGIN IMMEDIATE */
int db_commit(struct db *d);
void db_rollback(struct db *d);
const char *db_errmsg(struct db *d);

/* Faults: errors that say the database cannot be used right now (locked past the wait, disk
 * full, read-only, I/O error, file gone), as opposed to a bug or bad input. They are noted per
 * thread from SQLite's error log and the busy handler, so a handler's plain -1 can still be
 * answered with 503 and Retry-After. */
enum db_fault { DB_FAULT_NONE, DB_FAULT_BUSY, DB_FAULT_FULL, DB_FAULT_READONLY, DB_FAULT_IO };
/* A fault in plain words, for logs. */
const char *db_fault_name(enum db_fault f);
/* Installs SQLite's error log; call once before any connection is opened. */
void db_global_init(void);
/* Whether SQLite's errors are logged as they happen (the server), or left to the caller. */
void db_log_errors(bool on);
/* Starts a request on this thread: no fault yet, lock waits bounded by DB_REQUEST_WAIT_MS in all. */
void db_request_begin(void);
/* Ends the request bound: waits go back to DB_BUSY_MS per statement. */
void db_request_end(void);
/* While on, this thread does not wait for locks at all (work that is tried again later, such as
 * writing buffered page views between requests, must not hold a worker for seconds). */
void db_no_wait(bool on);
enum db_fault db_fault_get(void);
/* DB_FAULT_FULL when the file system holding path has less than DB_DISK_LOW bytes left (SQLite
 * does not report every full disk to its log: an autocommit write failing at commit is silent). */
#define DB_DISK_LOW (1 << 20)
enum db_fault db_disk_fault(const char *path);
/* Notes the fault rc stands for, if it is one (for callers that see an error code). */
void db_fault_note(int rc);

/* Column text as a C string, never NULL. */
const char *db_text(sqlite3_stmt *st, int col);

/* One-value statements without the prepare/bind/step/reset dance:
 *   sqlite3_int64 n;
 *   db_int(d, &n, "SELECT count(*) FROM posts WHERE status = ?1", DB_ARGS(DB_T("draft")));
 * Parameters bind in order (?1, ?2, ...); DB_T(NULL) binds NULL. sql is a literal (cached). */
struct db_arg {
	char kind; /* 'i' integer, 't' text */
	sqlite3_int64 i;
	const char *t;
};
#define DB_I(x) ((struct db_arg){'i', (sqlite3_int64)(x), NULL})
#define DB_T(s) ((struct db_arg){'t', 0, (s)})
#define DB_ARGS(...)                                                                                         \
	(const struct db_arg[]){__VA_ARGS__},                                                                \
	    sizeof((const struct db_arg[]){__VA_ARGS__}) / sizeof(struct db_arg)
#define DB_NOARGS NULL, 0
/* Column 0 of the first row as an integer in *out: 1 when a row came, 0 when none did (*out is
 * left alone), -1 on error (logged). */
int db_int(struct db *d, sqlite3_int64 *out, const char *sql, const struct db_arg *a, size_t n);
/* Column 0 of the first row as text, copied into out (at most outsz - 1 bytes, always
 * terminated): 1, 0 or -1 as db_int. */
int db_str(struct db *d, char *out, size_t outsz, const char *sql, const struct db_arg *a, size_t n);
/* Runs sql to its end: the number of rows it changed, or -1 on error. */
int db_run(struct db *d, const char *sql, const struct db_arg *a, size_t n);

#endif
