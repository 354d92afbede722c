/* cmd_backup: `quire backup FILE`: a consistent copy of the live database. */
#include <getopt.h>
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
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"config", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *db = NULL, *config = NULL;
	int ch;
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'd')
			db = optarg;
		else if (ch == 'c')
			config = optarg;
		else if (ch == 'h')
			return fputs(backup_help, stdout), 0;
		else
			return usage_error("backup", "unknown option '%s'", argv[optind - 1]);
	}
	if (optind != argc - 1)
		return usage_error("backup", "expected one path, the backup FILE");
	if (!db && !config)
		return usage_error("backup", "--db PATH is required");
	const char *file = argv[optind];
	struct config c;
	config_init(&c);
	struct db d = {0};
	char err[CLI_ERR_MAX];
	int rc = 1;
	if (cli_config(&c, config) < 0)
		goto out;
	if (db && config_set(&c, "server", "db", db, err, sizeof err) < 0) {
		rc = usage_error("backup", "%s", err);
		goto out;
	}
	if (db_open(&d, c.db, DB_OPEN_ANY, err, sizeof err) < 0) {
		log_error("backup: %s", err);
		goto out;
	}
	if (db_backup(&d, file, err, sizeof err) < 0) {
		log_error("backup: %s", err);
		goto out;
	}
	printf("backed up %s to %s\n", c.db, file);
	rc = 0;
out:
	db_close(&d);
	config_free(&c);
	return rc;
}
