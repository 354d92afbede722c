/* db_inspect: what `quire check` learns of a database without changing it (writes refused): its
 * schema version against this quire's migrations, the keys quire serve needs, a quick integrity
 * check. */
#ifndef QUIRE_DB_INSPECT_H
#define QUIRE_DB_INSPECT_H
#include <stdbool.h>
#include <stddef.h>

#include "db.h"

#define DB_INSPECT_MSG_MAX 256
#define DB_INSPECT_URI_MAX 8192

struct db_inspect {
	int version; /* PRAGMA user_version */
	int latest;  /* the newest migration this quire carries */
	bool quire;  /* it has quire's tables (a posts and a settings table) */
	int tables;  /* tables of any kind it has */
	bool keys;   /* the settings quire serve loads at start (identicon and form keys) */
	char integrity[DB_INSPECT_MSG_MAX]; /* "ok", or the first problem PRAGMA quick_check found */
	bool as_is; /* read without its -wal file (this user may not make the -shm file) */
};

/* Opens path (writes refused) and fills out. -1 with err ("file is not a database", "unable to open
 * database file") when it cannot be read as a SQLite database at all. */
int db_inspect(const char *path, struct db_inspect *out, char *err, size_t errsz);
/* The migrations newer than version, in order: *first is the first of them; returns how many
 * (0 when the schema is current or newer). */
int db_pending_migrations(int version, const struct migration **first);

#endif
