/* test_db_upgrade: the backup an upgrade makes (names never replaced, the copy checked), the
 * migration after it, and the refusal of a newer schema; on files in a temporary folder. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_backup.h"
#include "db_upgrade.h"
#include "tap.h"

static char dir[256];

/* dir/name in a buffer of its own (kept to the end of the test) */
static const char *in_dir(const char *name)
{
	static char p[16][512];
	static int i;
	if (i == 16)
		return "/nonexistent/too-many-paths";
	snprintf(p[i], sizeof p[i], "%s/%s", dir, name);
	return p[i++];
}

static int schema_of(const char *file)
{
	char err[512];
	return db_backup_verify(file, -1, err, sizeof err) == 0 ? 1 : 0;
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/test_db_upgrade-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp\n");
		return 1;
	}
	char err[1200];
	struct db d;
	/* an "old" database: the first three migrations, a row */
	const char *path = in_dir("quire.db");
	ok(db_open(&d, path, DB_CREATE, err, sizeof err) == 0, "a new database opens");
	for (int i = 0; i < 3; i++)
		ok(sqlite3_exec(d.h, migrations[i].sql, NULL, NULL, NULL) == SQLITE_OK,
		   "migration %s by hand", migrations[i].name);
	ok(db_exec(&d, "PRAGMA user_version=3") == 0 &&
	       db_run(&d, "INSERT INTO settings(key, value) VALUES('k', 'v')", DB_NOARGS) == 1,
	   "schema 3 with a row");

	/* quire backup: a new file, never an existing one */
	const char *copy = in_dir("copy.db");
	ok(db_backup(&d, copy, err, sizeof err) == 0 && schema_of(copy), "a backup to a new name, checked");
	struct stat sb;
	ok(stat(copy, &sb) == 0 && (sb.st_mode & 0777) == 0600, "mode 0600 (%o)", sb.st_mode & 0777);
	ok(db_backup(&d, copy, err, sizeof err) < 0 && strstr(err, "exists already"),
	   "a second backup to that name is refused: %s", err);
	ok(db_backup(&d, in_dir("no/such/dir.db"), err, sizeof err) < 0 && strstr(err, "no/such"),
	   "a folder that does not exist: %s", err);

	/* the upgrade: bak-3 is taken by a file quire did not make */
	int fd = open(in_dir("quire.db.bak-3"), O_WRONLY | O_CREAT | O_EXCL, 0644);
	ok(fd >= 0 && write(fd, "mine\n", 5) == 5 && close(fd) == 0,
	   "a file of someone else's at quire.db.bak-3");
	struct db_upgrade u = {.path = path};
	int n = db_upgrade(&d, &u, err, sizeof err);
	ok(n == migrations_count - 3, "the upgrade applies the rest (%d): %s", n, n < 0 ? err : "");
	ok(strcmp(u.backup, in_dir("quire.db.bak-3.2")) == 0, "the backup took the next free name (%s)",
	   u.backup);
	ok(db_backup_verify(u.backup, 3, err, sizeof err) == 0, "and holds schema 3");
	char buf[16] = "";
	fd = open(in_dir("quire.db.bak-3"), O_RDONLY);
	ok(fd >= 0 && read(fd, buf, sizeof buf - 1) == 5 && strcmp(buf, "mine\n") == 0 && close(fd) == 0,
	   "the other file is untouched");
	ok(db_schema_version(&d) == db_schema_latest() && u.from == 3 && u.to == db_schema_latest(),
	   "the schema is current (%d)", db_schema_version(&d));
	char by[64];
	ok(db_str(&d, by, sizeof by, "SELECT value FROM quire_meta WHERE key = 'written_by'", DB_NOARGS) ==
	           1 &&
	       strcmp(by, PACKAGE_VERSION) == 0,
	   "written_by is %s", by);
	ok(db_upgrade(&d, &u, err, sizeof err) == 0 && !u.backup[0],
	   "a second upgrade does nothing, no backup");

	/* newer: refused by db_open before anything is written */
	ok(db_exec(&d, "PRAGMA user_version=999") == 0 &&
	       db_run(&d, "UPDATE quire_meta SET value = '7.0.0'", DB_NOARGS) == 1,
	   "the schema made newer");
	db_close(&d);
	ok(db_open(&d, path, DB_OPEN_EXISTING, err, sizeof err) < 0 && strstr(err, "has schema 999") &&
	       strstr(err, "written by quire 7.0.0") && strstr(err, "Install quire 7.0.0 or newer") &&
	       !strchr(err, '\n'),
	   "db_open refuses a newer schema in one line: %s", err);
	ok(db_open(&d, path, DB_OPEN_ANY, err, sizeof err) == 0, "DB_OPEN_ANY opens it (for a backup)");
	ok(db_migrate(&d, err, sizeof err) < 0 && strstr(err, "has schema 999"), "db_migrate refuses it too");
	db_close(&d);

	/* a brand-new database needs no backup */
	const char *fresh = in_dir("fresh.db");
	struct db_upgrade f = {.path = fresh};
	ok(db_open(&d, fresh, DB_CREATE, err, sizeof err) == 0 && db_upgrade(&d, &f, err, sizeof err) > 0 &&
	       !f.backup[0] && access(in_dir("fresh.db.bak-0"), F_OK) != 0,
	   "a brand-new database is migrated without a backup");
	db_close(&d);

	char words[32];
	db_size_words(512, words, sizeof words);
	ok(strcmp(words, "1 kB") == 0, "512 bytes: %s", words);
	db_size_words(13 * 1024 * 1024 / 10 * 10, words, sizeof words);
	ok(strcmp(words, "13.0 MB") == 0, "13 MB: %s", words);

	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ok(system(cmd) == 0, "cleaned up");
	return tap_done();
}
