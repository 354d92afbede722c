/* cmd_backup: `quire backup FILE`: a consistent copy of the live database. */
#include <stdio.h>

#include "cmd.h"
#include "log.h"
#include "db_backup.h"

static const char backup_help[] =
    "usage: quire backup --db PATH [--config FILE] FILE\n"
    "Writes a consistent copy of the database to FILE with SQLite's online backup, while quire serve\n"
    "runs (it keeps answering and writing). The copy is checked (PRAGMA quick_check) and needs no\n"
    "-wal file. FILE must not exist: a backup never replaces a file. Any schema is copied, older or\n"
    "newer than this quire's. To restore, see the README (\"Backups and restoring\").\n";

int cmd_backup(int argc, char **argv)
{
	struct cli_path_args a;
	int rc = cli_path_args("backup", backup_help, "the backup FILE", argc, argv, &a);
	if (rc >= 0)
		return rc;
	struct config c;
	config_init(&c);
	struct db d = {0};
	char err[CLI_ERR_MAX];
	/* any schema: a newer database can still be copied before an older quire is restored */
	if ((rc = cli_config_db("backup", &c, a.config, a.db)) != 0)
		goto out;
	rc = 1;
	if (db_open(&d, c.db, DB_OPEN_ANY, err, sizeof err) < 0 ||
	    db_backup(&d, a.path, err, sizeof err) < 0) {
		log_error("backup: %s", err);
		goto out;
	}
	printf("backed up %s to %s\n", c.db, a.path);
	rc = 0;
out:
	db_close(&d);
	config_free(&c);
	return rc;
}
