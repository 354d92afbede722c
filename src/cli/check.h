/* check: what the parts of `quire check` share: the line printer, the service user and the
 * permission checks made with that user's uid and groups (access(2) as root always says yes). */
#ifndef QUIRE_CHECK_H
#define QUIRE_CHECK_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "config.h"

#define CHECK_USER_MAX 64
#define CHECK_GROUPS_MAX 256
#define CHECK_WHY_MAX 1200
#define CHECK_PATH_MAX 4096
#define CHECK_DISK_LOW_MB 100          /* less free space than this beside the database: a warning */
#define CHECK_RUNTIME_DIR "/run/quire" /* made by systemd at start (RuntimeDirectory=quire) */

enum verdict { V_OK, V_WARN, V_FAIL, V_SKIP };

struct svc_user {
	char name[CHECK_USER_MAX];
	uid_t uid;
	gid_t gid;
	gid_t groups[CHECK_GROUPS_MAX];
	int ngroups;
};

struct checker {
	const char *config; /* the --config file, for the commands the messages suggest */
	struct svc_user user;
	int n[4]; /* lines printed per verdict */
};

/* One line on stdout: "ok   SUBJECT: message", "warn ...", "FAIL ...", "skip ...". */
void say(struct checker *k, enum verdict v, const char *subject, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Fills u for the user called name; -1 when there is none. */
int svc_user_get(struct svc_user *u, const char *name);
/* May u do want (R_OK, W_OK, X_OK or'ed) to path, every folder above it searchable? 0 yes; -1
 * with why in words ("/var/lib/quire is mode 0700, owner root, group root: nobody may not
 * enter it"); 1 when path does not exist (why says so). Read-only file systems count. */
int svc_access(const struct svc_user *u, const char *path, int want, char *why, size_t whysz);
/* The folder part of path ("." for a bare name). */
void path_dir(const char *path, char *out, size_t outsz);

/* The checks of check_fs.c: the database's files, media_dir, the listen address. */
void check_db_files(struct checker *k, const struct config *c, bool *exists);
void check_media_dir(struct checker *k, const struct config *c);
void check_listen(struct checker *k, const struct config *c);

#define UNIT_PATHS_MAX 32

/* check_unitfile.c: what check reads from quire.service and its drop-ins. */
struct unit {
	/* the file read (drop-ins are read after it) */
	char file[CHECK_PATH_MAX];
	bool strict;
	bool has_user;
	char user[CHECK_USER_MAX];
	int n;
	char paths[UNIT_PATHS_MAX][CHECK_PATH_MAX];
	const char *made_by[UNIT_PATHS_MAX]; /* "StateDirectory" ...: systemd makes it; NULL: not */
};

/* Reads the unit systemd would use (an admin's copy first, or QUIRE_CHECK_UNIT), then its
 * drop-ins: false when none is installed. */
bool unit_find(struct unit *u);
/* The installed (or QUIRE_CHECK_UNIT) unit's User= into name, its file into file: 0; 1 when it
 * has no User= line (name "root": systemd runs it as root); -1 when no unit is found. */
int unit_user(char *name, size_t namesz, char *file, size_t filesz);
/* The unit setting that makes the folder path at start ("StateDirectory", ...), its file into
 * file; NULL when no unit makes it. */
const char *unit_makes_dir(const char *path, char *file, size_t filesz);
/* check_unit.c: the database and media folders writable under an installed quire.service's
 * ProtectSystem=strict (QUIRE_CHECK_UNIT names another unit file, for tests). */
void check_unit(struct checker *k, const struct config *c);
/* check_url.c: base_url well formed, not an example, https for a public host. */
void check_base_url(struct checker *k, const struct config *c);

#endif
