/* cmd: the subcommands of the quire binary. Each returns the process exit status:
 * 0 done, 1 failed at run time, 2 bad usage (with a one-line reason on stderr). */
#ifndef QUIRE_CMD_H
#define QUIRE_CMD_H

#include "config.h"
#include "db.h"

#define EXIT_USAGE 2

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_post(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_mail(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_import(int argc, char **argv);

/* Shared by the subcommands (main.c). */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Loads --config (if given) over the defaults; prints the error and returns -1. */
int cli_config(struct config *c, const char *path);
/* Opens the configured database (must exist and be current); prints the error, -1. */
int cli_db(struct db *d, const struct config *c);
/* The usual start of a command: --config, then --db over it, then the database opened.
 * Returns 0, or the exit status to return (1 run-time, EXIT_USAGE for a bad --db). */
int cli_open(const char *cmd, struct config *c, const char *config, const char *db, struct db *d);

#endif
