/* cli: the helpers the subcommands share, apart from main so that no command calls main.c. */
#include "cli.h"
#include "log.h"

#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "db_cli.h"
#include "db_upgrade.h"

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "quire %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (see 'quire %s --help')\n", cmd);
	va_end(ap);
	return EXIT_USAGE;
}

int cli_config(struct config *c, const char *path)
{
	char err[CLI_ERR_MAX];
	if (path && config_load(c, path, err, sizeof err) < 0) {
		log_error("%s", err);
		return -1;
	}
	if (config_check(c, err, sizeof err) < 0) {
		log_error("%s%s%s", path ? path : "", path ? ": " : "", err);
		return -1;
	}
	log_set_level(c->log_level);
	log_set_ip(c->log_ip == ON);
	return 0;
}

int cli_db(struct db *d, const struct config *c)
{
	char err[CLI_ERR_MAX];
	if (db_open(d, c->db, DB_OPEN_EXISTING, err, sizeof err) < 0 ||
	    db_check_schema(d, err, sizeof err) < 0) {
		log_error("%s", err);
		db_close(d);
		return -1;
	}
	return 0;
}

/* A random key per database, so identicons cannot be matched against another site's. */
static int ensure_key(struct db *d)
{
	unsigned char key[32];
	char hex[65];
	randombytes_buf(key, sizeof key);
	sodium_bin2hex(hex, sizeof hex, key, sizeof key);
	return db_identicon_key_init(d, hex);
}

/* What to do when the backup before an upgrade could not be made. */
static void backup_advice(const struct db_upgrade *u, const char *config)
{
	char need[32], avail[32];
	db_size_words(u->need_bytes, need, sizeof need);
	db_size_words(u->free_bytes, avail, sizeof avail);
	log_error("upgrade: the backup needs about %s free in %s (%s free now) and write access "
	          "there for the user quire runs as. Make room and start again, or back up to another "
	          "folder and migrate by hand:",
	          need, u->backup_folder, avail);
	if (config)
		log_error("    quire init --config %s --backup-dir /another/disk", config);
	else
		log_error("    quire init --db %s --backup-dir /another/disk", u->path);
}

/* The database holds password hashes and subscribers' addresses: a copy made elsewhere (sqlite3,
 * cp, another umask) may be readable by every user, and /var/lib/quire lets anyone open a file by
 * name (nginx reaches media/ that way). Other users' access is taken off the database and its
 * -wal and -shm, whose modes SQLite copies from the database's. */
static void private_files(const char *db)
{
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		char path[CONFIG_STR_MAX + 8];
		struct stat sb;
		snprintf(path, sizeof path, "%s%s", db, suffixes[i]);
		if (lstat(path, &sb) < 0 || !S_ISREG(sb.st_mode) || !(sb.st_mode & S_IRWXO))
			continue;
		mode_t mode = sb.st_mode & 07770;
		if (chmod(path, mode) < 0)
			log_warn("%s is open to every user of this machine and could not be changed (%s): "
			         "chmod o= %s",
			         path, strerror(errno), path);
		else
			log_warn("%s was open to every user of this machine: made it %04o", path,
			         (unsigned)mode);
	}
}

int cli_db_upgrade(struct db *d, const struct config *c, const char *config, enum db_mode mode,
                   const char *backup_dir, struct db_upgrade *u)
{
	char err[CLI_ERR_MAX];
	memset(u, 0, sizeof *u);
	u->path = c->db;
	u->backup_dir = backup_dir;
	if (db_open(d, c->db, mode, err, sizeof err) < 0) {
		log_error("%s", err);
		return -1;
	}
	if (db_upgrade(d, u, err, sizeof err) < 0) {
		log_error("upgrade: %s", err);
		if (u->backup_failed)
			backup_advice(u, config);
		goto fail;
	}
	if (ensure_key(d) < 0) {
		log_error("%s: %s", c->db, db_errmsg(d));
		goto fail;
	}
	private_files(c->db);
	return 0;
fail:
	db_close(d);
	return -1;
}

int cli_config_db(const char *cmd, struct config *c, const char *config, const char *db)
{
	char err[CLI_ERR_MAX];
	if (cli_config(c, config) < 0)
		return 1;
	if (db && config_set(c, "server", "db", db, err, sizeof err) < 0)
		return usage_error(cmd, "%s", err);
	return 0;
}

int cli_open(const char *cmd, struct config *c, const char *config, const char *db, struct db *d)
{
	int rc = cli_config_db(cmd, c, config, db);
	if (rc != 0)
		return rc;
	return cli_db(d, c) < 0 ? 1 : 0;
}

int cli_path_args(const char *cmd, const char *help, const char *what, int argc, char **argv,
                  struct cli_path_args *a)
{
	static const struct option opts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"config", required_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int ch;
	*a = (struct cli_path_args){0};
	opterr = 0;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'd')
			a->db = optarg;
		else if (ch == 'c')
			a->config = optarg;
		else if (ch == 'h')
			return fputs(help, stdout), 0;
		else
			return usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
	}
	if (optind != argc - 1)
		return usage_error(cmd, "expected one path%s%s", what ? ", " : "", what ? what : "");
	if (!a->db && !a->config)
		return usage_error(cmd, "--db PATH is required");
	a->path = argv[optind];
	return -1;
}

int cli_run_path(const char *cmd, const char *help, int argc, char **argv, cli_path_fn fn)
{
	struct cli_path_args a;
	int rc = cli_path_args(cmd, help, NULL, argc, argv, &a);
	if (rc >= 0)
		return rc;
	struct config c;
	config_init(&c);
	struct db d = {0};
	rc = cli_open(cmd, &c, a.config, a.db, &d);
	if (rc == 0)
		rc = fn(&d, a.path);
	db_close(&d);
	config_free(&c);
	return rc;
}

const char *cli_subcommand(int argc, char **argv, const char *cmd, const char *help, const char *const *subs,
                           int *rc)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(help, argc < 2 ? stderr : stdout);
		*rc = argc < 2 ? EXIT_USAGE : 0;
		return NULL;
	}
	for (int i = 0; subs[i]; i++)
		if (strcmp(argv[1], subs[i]) == 0)
			return argv[1];
	*rc = usage_error(cmd, "unknown subcommand '%s'", argv[1]);
	return NULL;
}
