/* test_db: the per-connection statement cache never runs out, whatever the number of statements. */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "db_inspect.h"
#include "tap.h"

#define NSQL 1000

/* each row has its own address, as every SQL literal in the program does */
static char sqls[NSQL][48];

int main(void)
{
	struct db d;
	char err[256];
	ok(db_open(&d, ":memory:", DB_CREATE, err, sizeof err) == 0, "in-memory database opens");
	int bad = 0;
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < NSQL; i++) {
			if (round == 0)
				snprintf(sqls[i], sizeof sqls[i], "SELECT %d", i);
			sqlite3_stmt *st = db_prep(&d, sqls[i]);
			if (!st || sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int(st, 0) != i)
				bad++;
			if (st)
				sqlite3_reset(st);
		}
	ok(bad == 0, "%d distinct statements prepared and reused three times (%d failures)", NSQL, bad);
	ok(d.ncached == NSQL, "each statement is prepared once (%zu cached)", d.ncached);
	sqlite3_stmt *a = db_prep(&d, sqls[7]), *b = db_prep(&d, sqls[7]);
	ok(a && a == b, "the same literal gives the same statement");
	static const char broken[] = "SELEKT nonsense";
	ok(db_prep(&d, broken) == NULL, "a statement SQLite refuses gives NULL");
	ok(db_prep(&d, sqls[8]) != NULL, "and the cache still works after it");

	/* the one-value helpers */
	sqlite3_int64 v = -1;
	ok(db_run(&d, "CREATE TABLE kv(k TEXT PRIMARY KEY, v INTEGER, s TEXT)", DB_NOARGS) == 0,
	   "db_run creates");
	ok(db_run(&d, "INSERT INTO kv VALUES(?1, ?2, ?3)", DB_ARGS(DB_T("a"), DB_I(41), DB_T("x"))) == 1,
	   "db_run binds text and integers and counts one change");
	ok(db_run(&d, "INSERT INTO kv VALUES(?1, ?2, ?3)", DB_ARGS(DB_T("b"), DB_I(2), DB_T(NULL))) == 1,
	   "DB_T(NULL) binds NULL");
	ok(db_run(&d, "UPDATE kv SET v = v + 1", DB_NOARGS) == 2, "db_run counts the rows changed");
	ok(db_int(&d, &v, "SELECT v FROM kv WHERE k = ?1", DB_ARGS(DB_T("a"))) == 1 && v == 42,
	   "db_int reads one integer (%lld)", (long long)v);
	v = 7;
	ok(db_int(&d, &v, "SELECT v FROM kv WHERE k = ?1", DB_ARGS(DB_T("zz"))) == 0 && v == 7,
	   "db_int: no row is 0 and leaves the value");
	ok(db_int(&d, &v, "SELECT count(*) FROM kv WHERE s IS NULL", DB_NOARGS) == 1 && v == 1,
	   "db_int without parameters");
	char s[4];
	ok(db_str(&d, s, sizeof s, "SELECT k || s || 'yz' FROM kv WHERE v = ?1", DB_ARGS(DB_I(42))) == 1 &&
	       strcmp(s, "axy") == 0,
	   "db_str copies and truncates (%s)", s);
	ok(db_run(&d, "INSERT INTO kv VALUES(?1, 1, NULL)", DB_ARGS(DB_T("a"))) == -1,
	   "db_run: a constraint is -1");
	ok(db_int(&d, &v, "SELECT v FROM kv WHERE k = ?1", DB_ARGS(DB_T("a"))) == 1 && v == 42,
	   "the statement is usable after an error");
	db_close(&d);
	ok(d.slots == NULL && d.ncached == 0, "close frees the table");

	/* quire check's list of the migrations an upgrade will apply */
	const struct migration *m = NULL;
	int latest = migrations[migrations_count - 1].version;
	ok(db_pending_migrations(latest, &m) == 0 && m == NULL, "a current schema: nothing pending");
	ok(db_pending_migrations(999, &m) == 0 && m == NULL, "a newer schema: nothing pending");
	ok(db_pending_migrations(0, &m) == migrations_count && m == &migrations[0],
	   "an empty database: every one");
	ok(db_pending_migrations(5, &m) == migrations_count - 5 && m && m->version == 6,
	   "version 5: from 006 on (%s)", m ? m->name : "none");
	return tap_done();
}
