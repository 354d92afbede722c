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

#define DB_STMT_SLOTS_MIN 128 /* first size of the statement table; it doubles as it fills */
#define DB_BUSY_MS 5000

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

enum db_mode { DB_OPEN_EXISTING, DB_CREATE };

/* Opens path read-write and checks it really is a database we can write.
 * On failure writes a one-line reason to err and returns -1 (d is left closed). */
int db_open(struct db *d, const char *path, enum db_mode mode, char *err, size_t errsz);
void db_close(struct db *d);
/* Applies the migrations newer than PRAGMA user_version, each in its own transaction.
 * Returns the number applied, or -1 with err. */
int db_migrate(struct db *d, char *err, size_t errsz);
/* 0 if the schema is current, -1 with err ("run quire init") otherwise. */
int db_check_schema(struct db *d, char *err, size_t errsz);
/* A reset, unbound statement for sql, prepared once per connection. sql must be a
 * string literal (the cache is keyed by its address). NULL on error (logged). */
sqlite3_stmt *db_prep(struct db *d, const char *sql);
int db_exec(struct db *d, const char *sql);
int db_begin(struct db *d); /* BEGIN IMMEDIATE */
int db_commit(struct db *d);
void db_rollback(struct db *d);
const char *db_errmsg(struct db *d);
/* Column text as a C string, never NULL. */
const char *db_text(sqlite3_stmt *st, int col);

#endif
