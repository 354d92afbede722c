/* cmd_backup: `quire backup FILE`: a consistent copy of the live database. */
#include <stdio.h>

#include "cmd.h"
#include "db_backup.h"

static const char backup_help[] =
    "usage: quire backup --db PATH FILE\n"
    "Writes a consistent copy of the database to FILE with SQLite's online backup, while quire serve runs.\n";

static int backup(struct db *d, const char *file)
{
	char err[CLI_ERR_MAX];
	if (db_backup(d, file, err, sizeof err) < 0) {
		fprintf(stderr, "quire: backup: %s\n", err);
		return 1;
	}
	printf("backed up %s to %s\n", db_path(d), file);
	return 0;
}

int cmd_backup(int argc, char **argv)
{
	return cli_run_path("backup", backup_help, argc, argv, backup);
}
