/* cli: what every subcommand shares: the usage-error line, loading --config and --db, and the
 * option parsing of the commands that take --db/--config and one path. */
#ifndef QUIRE_CLI_H
#define QUIRE_CLI_H

#include "config.h"
#include "db.h"

#define EXIT_USAGE 2
#define CLI_ERR_MAX 1200 /* a configuration or database error, with its file and line */

/* Prints "quire CMD: reason (see 'quire CMD --help')" on stderr; returns EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The subcommand in argv[1] when it is one of subs (NULL-terminated). Otherwise NULL, with the
 * exit status in *rc: help asked (printed on stdout, 0), nothing given (help on stderr,
 * EXIT_USAGE), or an unknown word (a usage error). */
const char *cli_subcommand(int argc, char **argv, const char *cmd, const char *help, const char *const *subs,
                           int *rc);
/* Loads --config (if given) over the defaults; prints the error and returns -1. */
int cli_config(struct config *c, const char *path);
/* Opens the configured database (must exist and be current); prints the error, -1. */
int cli_db(struct db *d, const struct config *c);
/* Opens the configured database (created when mode is DB_CREATE) and brings an older schema up
 * to date the safe way (db_upgrade: a checked backup first, in backup_dir or beside the
 * database), then makes sure it has its identicon key. Prints what went wrong (with what to do
 * when the backup failed: config names the --config given, NULL for none) and returns -1 with d
 * closed; u says what was done. For quire init and quire serve, before any thread starts. */
struct db_upgrade;
int cli_db_upgrade(struct db *d, const struct config *c, const char *config, enum db_mode mode,
                   const char *backup_dir, struct db_upgrade *u);
/* --config loaded (if given), then --db set over it: 0, or the exit status to return (1 for a
 * configuration that does not load, EXIT_USAGE for a bad --db). */
int cli_config_db(const char *cmd, struct config *c, const char *config, const char *db);
/* The usual start of a command: --config, then --db over it, then the database opened.
 * Returns 0, or the exit status to return (1 run-time, EXIT_USAGE for a bad --db). */
int cli_open(const char *cmd, struct config *c, const char *config, const char *db, struct db *d);

/* A command of the form `quire CMD --db PATH [--config FILE] PATH`: parses argv (argv[0] is the
 * command word), opens the database and calls fn with it and the path; the exit status. */
struct cli_path_args {
	const char *db, *config; /* --db and --config, NULL when not given */
	const char *path;        /* the one path argument */
};
/* Parses `--db PATH [--config FILE] [--help] PATH` into a: -1 when the command should go on, or
 * the exit status (help printed: 0; a usage error: EXIT_USAGE, what naming the path expected). */
int cli_path_args(const char *cmd, const char *help, const char *what, int argc, char **argv,
                  struct cli_path_args *a);
typedef int (*cli_path_fn)(struct db *d, const char *path);
int cli_run_path(const char *cmd, const char *help, int argc, char **argv, cli_path_fn fn);

#endif
