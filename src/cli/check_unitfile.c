/* check_unitfile: the installed quire.service (or QUIRE_CHECK_UNIT) as `quire check` reads it:
 * its User=, ProtectSystem= and the folders it may write or makes at start. Reads files only. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define UNIT_LINE_MAX 4096
#define UNIT_NAME "quire.service"

static void add_path(struct unit *u, const char *prefix, const char *p, const char *key)
{
	if (u->n < UNIT_PATHS_MAX) {
		u->made_by[u->n] = *prefix ? key : NULL; /* ReadWritePaths= makes nothing */
		snprintf(u->paths[u->n++], CHECK_PATH_MAX, "%s%s", prefix, p);
	}
}

/* Reads the settings that matter from one unit file or drop-in; false when it cannot be read. */
static bool read_unit(struct unit *u, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	char line[UNIT_LINE_MAX];
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		char *eq = strchr(line, '=');
		if (!eq || line[0] == '#' || line[0] == ';')
			continue;
		*eq = '\0';
		const char *key = line;
		char *val = eq + 1;
		if (strcmp(key, "ProtectSystem") == 0) {
			u->strict = strcmp(val, "strict") == 0;
			continue;
		}
		if (strcmp(key, "User") == 0) { /* the last one wins, as in systemd; empty: root */
			u->has_user = *val != '\0';
			snprintf(u->user, sizeof u->user, "%s", val);
			continue;
		}
		static const struct {
			const char *key, *prefix;
		} kinds[] = {{"ReadWritePaths", ""},
		             {"StateDirectory", "/var/lib/"},
		             {"RuntimeDirectory", "/run/"},
		             {"CacheDirectory", "/var/cache/"},
		             {"LogsDirectory", "/var/log/"}};
		const char *prefix = NULL, *kind = NULL;
		for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
			if (strcmp(key, kinds[i].key) == 0) {
				prefix = kinds[i].prefix;
				kind = kinds[i].key; /* static: outlives line */
			}
		if (!prefix)
			continue;
		char *save = NULL;
		for (char *w = strtok_r(val, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
			w += strspn(w, "-+");      /* "-": ignored when missing; "+": no namespace */
			w[strcspn(w, ":")] = '\0'; /* StateDirectory=a:b makes a link b to a */
			add_path(u, prefix, w, kind);
		}
	}
	fclose(f);
	return true;
}

/* The unit systemd would use (an admin's copy first), then its drop-ins. */
bool unit_find(struct unit *u)
{
	const char *env = getenv("QUIRE_CHECK_UNIT"); /* the tests' own unit file */
	static const char *const dirs[] = {"/etc/systemd/system", "/usr/local/lib/systemd/system",
	                                   "/lib/systemd/system", "/usr/lib/systemd/system"};
	memset(u, 0, sizeof *u);
	if (env && *env) {
		snprintf(u->file, sizeof u->file, "%s", env);
		return read_unit(u, env);
	}
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0] && !u->file[0]; i++) {
		char path[CHECK_PATH_MAX];
		snprintf(path, sizeof path, "%s/%s", dirs[i], UNIT_NAME);
		if (read_unit(u, path))
			snprintf(u->file, sizeof u->file, "%s", path);
	}
	if (!u->file[0])
		return false;
	DIR *d = opendir("/etc/systemd/system/" UNIT_NAME ".d");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		char path[CHECK_PATH_MAX];
		if (n > 5 && strcmp(e->d_name + n - 5, ".conf") == 0 &&
		    snprintf(path, sizeof path, "/etc/systemd/system/%s.d/%s", UNIT_NAME, e->d_name) <
		        (int)sizeof path)
			read_unit(u, path);
	}
	if (d)
		closedir(d);
	return true;
}

int unit_user(char *name, size_t namesz, char *file, size_t filesz)
{
	struct unit u;
	if (!unit_find(&u))
		return -1;
	snprintf(file, filesz, "%s", u.file);
	snprintf(name, namesz, "%s", u.has_user ? u.user : "root");
	return u.has_user ? 0 : 1;
}

const char *unit_makes_dir(const char *path, char *file, size_t filesz)
{
	struct unit u;
	if (path[0] != '/' || !unit_find(&u))
		return NULL;
	char p[CHECK_PATH_MAX];
	snprintf(p, sizeof p, "%s", path);
	for (size_t n = strlen(p); n > 1 && p[n - 1] == '/'; n--)
		p[n - 1] = '\0';
	for (int i = 0; i < u.n; i++) {
		char q[CHECK_PATH_MAX];
		snprintf(q, sizeof q, "%s", u.paths[i]);
		for (size_t n = strlen(q); n > 1 && q[n - 1] == '/'; n--)
			q[n - 1] = '\0';
		if (u.made_by[i] && strcmp(p, q) == 0) {
			snprintf(file, filesz, "%s", u.file);
			return u.made_by[i];
		}
	}
	return NULL;
}
