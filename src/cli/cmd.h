/* cmd: the subcommands of the quire binary, one file each (main.c holds the table). Each returns
 * the process exit status: 0 done, 1 failed at run time, 2 bad usage (with a one-line reason on
 * stderr). argv[0] is the command word. */
#ifndef QUIRE_CMD_H
#define QUIRE_CMD_H

#include "cli.h"

int cmd_init(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_post(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_mail(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_media(int argc, char **argv);
int cmd_check(int argc, char **argv);

#endif
