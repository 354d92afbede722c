/* cmd_init: `quire init`: creates the database or brings its schema up to date. */
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>

#include "cmd.h"
#include "db_cli.h"
#include "db_render.h"

static const char init_help[] =
    "usage: quire init --db PATH [--config FILE]\n"
    "Creates the database, or applies the migrations it lacks. Running it twice changes nothing.\n";

/* A random key per database, so identicons cannot be matched against another site's. */
static int ensure_key(struct db *d)
{
	unsigned char key[32];
	char hex[65];
	randombytes_buf(key, sizeof key);
	sodium_bin2hex(hex, sizeof hex, key, sizeof key);
	return db_identicon_key_init(d, hex);
}

int cmd_init(int argc, char **argv)
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
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			db = optarg;
			break;
		case 'c':
			config = optarg;
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
	struct config c;
	config_init(&c);
	int rc = 1;
	struct db d = {0};
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
	if (db_open(&d, c.db, DB_CREATE, err, sizeof err) < 0) {
		fprintf(stderr, "quire: %s\n", err);
		goto out;
	}
	int applied = db_migrate(&d, err, sizeof err);
	if (applied < 0 || ensure_key(&d) < 0 || db_render_refresh(&d) < 0) {
		fprintf(stderr, "quire: %s: %s\n", c.db, applied < 0 ? err : db_errmsg(&d));
		goto out;
	}
	int version = migrations[migrations_count - 1].version;
	if (applied)
		printf("%s: applied %d migration%s, schema version %d\n", c.db, applied,
		       applied == 1 ? "" : "s", version);
	else
		printf("%s: schema is current (version %d), nothing to do\n", c.db, version);
	rc = 0;
out:
	db_close(&d);
	config_free(&c);
	return rc;
}
