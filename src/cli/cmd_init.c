/* cmd_init: `quire init`: creates the database or brings its schema up to date. */
#include <getopt.h>
#include <stdio.h>

#include "cmd.h"
#include "log.h"
#include "db_render.h"
#include "db_upgrade.h"

static const char init_help[] =
    "usage: quire init --db PATH [--config FILE] [--backup-dir DIR]\n"
    "Creates the database, or applies the migrations it lacks. Running it twice changes nothing.\n"
    "Before migrating a database that holds data, it copies it to PATH.bak-N (N its schema) with\n"
    "SQLite's online backup and checks the copy; if that fails, nothing is changed.\n"
    "  --backup-dir DIR   write that copy to DIR instead of beside the database\n";

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"config", required_argument, NULL, 'c'},
	    {"backup-dir", required_argument, NULL, 'b'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *db = NULL, *config = NULL, *backup_dir = NULL;
	int ch;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			db = optarg;
			break;
		case 'c':
			config = optarg;
			break;
		case 'b':
			backup_dir = optarg;
			break;
		case 'h':
			fputs(init_help, stdout);
			return 0;
		default:
			return usage_error("init", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("init", "unexpected argument '%s'", argv[optind]);
	if (backup_dir && !backup_dir[0])
		return usage_error("init", "--backup-dir needs a folder");
	struct config c;
	config_init(&c);
	int rc = 1;
	struct db d = {0};
	struct db_upgrade u;
	char err[CLI_ERR_MAX];
	if (cli_config(&c, config) < 0)
		goto out;
	if (db && config_set(&c, "server", "db", db, err, sizeof err) < 0) {
		rc = usage_error("init", "%s", err);
		goto out;
	}
	if (!db && !config) {
		rc = usage_error("init", "--db PATH is required");
		goto out;
	}
	if (cli_db_upgrade(&d, &c, config, DB_CREATE, backup_dir, &u) < 0)
		goto out;
	if (db_render_refresh(&d) < 0) {
		log_error("%s: %s", c.db, db_errmsg(&d));
		goto out;
	}
	if (u.applied)
		printf("%s: applied %d migration%s, schema version %d\n", c.db, u.applied,
		       u.applied == 1 ? "" : "s", u.to);
	else
		printf("%s: schema is current (version %d), nothing to do\n", c.db, u.to);
	if (u.backup[0])
		printf("%s: the copy from before (schema %d) is %s\n", c.db, u.from, u.backup);
	rc = 0;
out:
	db_close(&d);
	config_free(&c);
	return rc;
}
