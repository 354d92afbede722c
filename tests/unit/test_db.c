/* test_db: the per-connection statement cache never runs out, whatever the number of statements. */
#include <stdio.h>

#include "db.h"
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
	db_close(&d);
	ok(d.slots == NULL && d.ncached == 0, "close frees the table");
	return tap_done();
}
