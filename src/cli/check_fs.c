/* check_fs: `quire check` on the file system: permissions for the service user (by its uid and
 * groups, from stat, never access(2)), the database's files, media_dir, the listen socket and
 * base_url. Nothing here creates, changes or removes a file. */
#include "check.h"

#include <errno.h>
#include <grp.h>
#include <netdb.h>
#include <poll.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "listen_fds.h"

#define HOST_MAX 256
#define CHECK_CONNECT_MS 1000 /* a listen address on this machine answers at once */

void say(struct checker *k, enum verdict v, const char *subject, const char *fmt, ...)
{
	static const char *const words[] = {"ok  ", "warn", "FAIL", "skip"};
	va_list ap;
	va_start(ap, fmt);
	printf("%s %s: ", words[v], subject);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
	fflush(stdout);
	k->n[v]++;
}

int svc_user_get(struct svc_user *u, const char *name)
{
	memset(u, 0, sizeof *u);
	struct passwd *pw = getpwnam(name);
	if (!pw)
		return -1;
	snprintf(u->name, sizeof u->name, "%s", pw->pw_name);
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	int n = CHECK_GROUPS_MAX;
	if (getgrouplist(pw->pw_name, pw->pw_gid, u->groups, &n) < 0)
		n = CHECK_GROUPS_MAX; /* more groups than we keep: the first ones are checked */
	u->ngroups = n;
	return 0;
}

void path_dir(const char *path, char *out, size_t outsz)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(out, outsz, ".");
	else if (slash == path)
		snprintf(out, outsz, "/");
	else
		snprintf(out, outsz, "%.*s", (int)(slash - path), path);
}

static bool in_groups(const struct svc_user *u, gid_t g)
{
	for (int i = 0; i < u->ngroups; i++)
		if (u->groups[i] == g)
			return true;
	return g == u->gid;
}

/* The rwx bits that apply to u, as R_OK | W_OK | X_OK (root: all but x on a file without any). */
static int bits_for(const struct svc_user *u, const struct stat *sb)
{
	if (u->uid == 0)
		return R_OK | W_OK | (S_ISDIR(sb->st_mode) || (sb->st_mode & 0111) ? X_OK : 0);
	int shift = sb->st_uid == u->uid ? 6 : in_groups(u, sb->st_gid) ? 3 : 0;
	return (int)(sb->st_mode >> shift) & 7;
}

/* "mode 0700, owner root, group root" */
static void describe(const struct stat *sb, char *out, size_t outsz)
{
	struct passwd *pw = getpwuid(sb->st_uid);
	struct group *gr = getgrgid(sb->st_gid);
	char o[32], g[32];
	snprintf(o, sizeof o, "%u", (unsigned)sb->st_uid);
	snprintf(g, sizeof g, "%u", (unsigned)sb->st_gid);
	snprintf(out, outsz, "mode %04o, owner %s, group %s", (unsigned)(sb->st_mode & 07777),
	         pw ? pw->pw_name : o, gr ? gr->gr_name : g);
}

static const char *want_words(int want)
{
	return want & W_OK ? (want & X_OK ? "create files in" : "write") : want & X_OK ? "enter" : "read";
}

int svc_access(const struct svc_user *u, const char *path, int want, char *why, size_t whysz)
{
	char abs[CHECK_PATH_MAX], cwd[CHECK_PATH_MAX], how[128];
	int n = path[0] != '/' && getcwd(cwd, sizeof cwd) ? snprintf(abs, sizeof abs, "%s/%s", cwd, path)
	                                                  : snprintf(abs, sizeof abs, "%s", path);
	if (n < 0 || (size_t)n >= sizeof abs) {
		snprintf(why, whysz, "%s: the path is too long", path);
		return -1;
	}
	struct stat sb;
	/* every folder above must let the user through */
	for (char *p = strchr(abs + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		int rc = stat(abs, &sb);
		if (rc == 0 && !(bits_for(u, &sb) & X_OK)) {
			describe(&sb, how, sizeof how);
			snprintf(why, whysz, "%s is %s: %s may not enter it", abs, how, u->name);
			return -1;
		}
		*p = '/';
		if (rc < 0)
			break;
	}
	if (stat(path, &sb) < 0) {
		snprintf(why, whysz, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? 1 : -1;
	}
	if ((bits_for(u, &sb) & want) != want) {
		describe(&sb, how, sizeof how);
		snprintf(why, whysz, "%s is %s: %s may not %s it", path, how, u->name, want_words(want));
		return -1;
	}
	struct statvfs vs;
	if ((want & W_OK) && statvfs(path, &vs) == 0 && (vs.f_flag & ST_RDONLY)) {
		snprintf(why, whysz, "%s is on a read-only file system", path);
		return -1;
	}
	return 0;
}

/* The files SQLite and quire keep beside the database: each must stay writable by the user
 * (one left by a run as root locks the service out). */
static void check_side_files(struct checker *k, const char *db)
{
	static const char *const suffixes[] = {"-wal", "-shm", "-sender.lock"};
	char path[CHECK_PATH_MAX], why[CHECK_WHY_MAX];
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		snprintf(path, sizeof path, "%s%s", db, suffixes[i]);
		if (svc_access(&k->user, path, R_OK | W_OK, why, sizeof why) < 0)
			say(k, V_FAIL, "database",
			    "%s (was quire run as another user, such as root?): "
			    "chown %s %s",
			    why, k->user.name, path);
	}
}

void check_db_files(struct checker *k, const struct config *c, bool *exists)
{
	char dir[CHECK_PATH_MAX], why[CHECK_WHY_MAX], subject[CHECK_PATH_MAX + 16];
	snprintf(subject, sizeof subject, "database %s", c->db);
	*exists = false;
	if (c->db[0] != '/')
		say(k, V_WARN, subject,
		    "a relative path, found from the folder quire is started in (systemd starts it in /): "
		    "write the absolute path in [server] db");
	path_dir(c->db, dir, sizeof dir);
	int rc = svc_access(&k->user, dir, W_OK | X_OK, why, sizeof why);
	char unit[CHECK_PATH_MAX];
	const char *maker = rc > 0 ? unit_makes_dir(dir, unit, sizeof unit) : NULL;
	if (maker) {
		say(k, V_WARN, subject,
		    "its folder %s does not exist yet: systemd makes it when quire.service starts (%s= in "
		    "%s), and the first start creates the database in it; started any other way, create "
		    "it (install -d -o %s %s)",
		    dir, maker, unit, k->user.name, dir);
		return;
	}
	if (rc > 0) {
		say(k, V_FAIL, subject, "its folder %s does not exist: create it (install -d -o %s %s)", dir,
		    k->user.name, dir);
		return;
	}
	if (rc < 0)
		say(k, V_FAIL, subject,
		    "%s (SQLite keeps the -wal and -shm files beside the database): chown %s %s", why,
		    k->user.name, dir);
	struct statvfs vs;
	if (rc == 0 && statvfs(dir, &vs) == 0) {
		unsigned long long mb = (unsigned long long)vs.f_bavail * vs.f_frsize >> 20;
		if (mb < CHECK_DISK_LOW_MB)
			say(k, mb < 1 ? V_FAIL : V_WARN, subject,
			    "only %llu MB free on the disk of %s: SQLite fails writes on a full disk "
			    "(comments, "
			    "sessions, mail); free some space",
			    mb, dir);
	}
	struct stat sb;
	if (stat(c->db, &sb) < 0) {
		say(k, V_WARN, subject,
		    "does not exist yet: create it with 'quire init --config %s' (as %s), or let the "
		    "first start create it",
		    k->config, k->user.name);
		return;
	}
	if (!S_ISREG(sb.st_mode)) {
		say(k, V_FAIL, subject, "is not a regular file: is [server] db the right path?");
		return;
	}
	*exists = true;
	if (svc_access(&k->user, c->db, R_OK | W_OK, why, sizeof why) != 0)
		say(k, V_FAIL, subject, "%s: chown %s %s", why, k->user.name, c->db);
	if (sb.st_mode & S_IRWXO)
		say(k, V_WARN, subject,
		    "mode %04o: every user of this machine can read it (password hashes, subscribers' "
		    "addresses); the next start makes it %04o, or now: chmod o= %s",
		    (unsigned)(sb.st_mode & 07777), (unsigned)(sb.st_mode & 07770), c->db);
	check_side_files(k, c->db);
}

void check_media_dir(struct checker *k, const struct config *c)
{
	char why[CHECK_WHY_MAX], subject[CHECK_PATH_MAX + 16];
	snprintf(subject, sizeof subject, "media_dir %s", c->media_dir);
	struct stat sb;
	char unit[CHECK_PATH_MAX];
	const char *maker = NULL;
	if (stat(c->media_dir, &sb) < 0 && errno == ENOENT &&
	    (maker = unit_makes_dir(c->media_dir, unit, sizeof unit))) {
		say(k, V_WARN, subject,
		    "does not exist yet: systemd makes it when quire.service starts (%s= in %s); started "
		    "any other way, create it (install -d -o %s -m 0755 %s)",
		    maker, unit, k->user.name, c->media_dir);
		return;
	}
	if (stat(c->media_dir, &sb) < 0) {
		say(k, V_WARN, subject,
		    "%s: image uploads fail until it exists: create it (install -d -o %s -m 0755 %s)",
		    strerror(errno), k->user.name, c->media_dir);
		return;
	}
	if (!S_ISDIR(sb.st_mode)) {
		say(k, V_FAIL, subject,
		    "is not a folder: quire serve refuses to start; fix [server] media_dir");
		return;
	}
	if (svc_access(&k->user, c->media_dir, W_OK | X_OK, why, sizeof why) != 0) {
		say(k, V_FAIL, subject, "%s; uploads are stored there: chown %s %s", why, k->user.name,
		    c->media_dir);
		return;
	}
	say(k, V_OK, subject, "a folder %s can write to", k->user.name);
}

static const char *file_kind(mode_t m)
{
	return S_ISREG(m)    ? "a regular file"
	       : S_ISDIR(m)  ? "a folder"
	       : S_ISLNK(m)  ? "a symbolic link"
	       : S_ISFIFO(m) ? "a named pipe"
	                     : "a device or other special file";
}

static void check_listen_path(struct checker *k, const char *path, const char *subject)
{
	char dir[CHECK_PATH_MAX], why[CHECK_WHY_MAX];
	struct stat sb;
	if (lstat(path, &sb) == 0 && !S_ISSOCK(sb.st_mode)) {
		say(k, V_FAIL, subject,
		    "%s is %s, not a socket: quire serve refuses to replace it (and check left it "
		    "untouched); is [server] listen the right path?",
		    path, file_kind(sb.st_mode));
		return;
	}
	path_dir(path, dir, sizeof dir);
	int rc = svc_access(&k->user, dir, W_OK | X_OK, why, sizeof why);
	if (rc > 0 && strcmp(dir, CHECK_RUNTIME_DIR) == 0) {
		say(k, V_WARN, subject,
		    "%s does not exist now: systemd makes it when quire starts (RuntimeDirectory=quire in "
		    "quire.service); started any other way, create it (install -d -o %s %s)",
		    dir, k->user.name, dir);
		return;
	}
	if (rc > 0) {
		say(k, V_FAIL, subject, "the folder %s does not exist: create it (install -d -o %s %s)", dir,
		    k->user.name, dir);
		return;
	}
	if (rc < 0) {
		say(k, V_FAIL, subject, "%s; %s makes the socket in that folder: chown %s %s", why,
		    k->user.name, k->user.name, dir);
		return;
	}
	if (lstat(path, &sb) == 0)
		say(k, V_OK, subject, "%s",
		    unix_socket_alive(path)
		        ? "a server is listening there now (quire serve is running): a second "
		          "one would refuse to start"
		        : "a socket left by a stopped server: quire serve replaces it at start");
	else
		say(k, V_OK, subject,
		    "%s can make the socket there (mode 0660: nginx's user must be in the socket's group)",
		    k->user.name);
}

/* True if something on this machine accepts connections at host:port (a numeric address or
 * localhost; 0.0.0.0 and [::] are tried on loopback). No name is looked up in the DNS. */
static bool tcp_taken(const char *host, const char *port)
{
	char h[HOST_MAX];
	size_t n = strlen(host);
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']')
		snprintf(h, sizeof h, "%.*s", (int)(n - 2), host + 1);
	else
		snprintf(h, sizeof h, "%s", host);
	if (strcmp(h, "0.0.0.0") == 0 || *h == '\0')
		snprintf(h, sizeof h, "127.0.0.1");
	else if (strcmp(h, "::") == 0)
		snprintf(h, sizeof h, "::1");
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM,
	                         .ai_flags =
	                             AI_NUMERICSERV | (strcmp(h, "localhost") == 0 ? 0 : AI_NUMERICHOST)};
	struct addrinfo *res = NULL;
	if (getaddrinfo(h, port, &hints, &res) != 0)
		return false;
	bool taken = false;
	for (struct addrinfo *a = res; a && !taken; a = a->ai_next) {
		int fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (fd < 0)
			continue;
		int rc = connect(fd, a->ai_addr, a->ai_addrlen);
		if (rc < 0 && errno == EINPROGRESS) {
			struct pollfd p = {.fd = fd, .events = POLLOUT};
			int err = 0;
			socklen_t len = sizeof err;
			rc = poll(&p, 1, CHECK_CONNECT_MS) == 1 &&
			             getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0
			         ? 0
			         : -1;
		}
		taken = rc == 0;
		close(fd);
	}
	freeaddrinfo(res);
	return taken;
}

void check_listen(struct checker *k, const struct config *c)
{
	char subject[CHECK_PATH_MAX + 16];
	snprintf(subject, sizeof subject, "listen %s", c->listen);
	const char *path = config_listen_path(c->listen);
	if (path) {
		check_listen_path(k, path, subject);
		return;
	}
	const char *colon = strrchr(c->listen, ':');
	char host[HOST_MAX];
	snprintf(host, sizeof host, "%.*s", colon ? (int)(colon - c->listen) : 0, c->listen);
	if (tcp_taken(host, colon ? colon + 1 : ""))
		say(k, V_WARN, subject,
		    "something already listens on %s: quire serve cannot bind it while that runs (is quire "
		    "already running?)",
		    c->listen);
	if (strcmp(host, "127.0.0.1") == 0 || strncmp(host, "127.", 4) == 0 ||
	    strcmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0 || strcmp(host, "::1") == 0) {
		say(k, V_OK, subject, "loopback: only this machine (nginx) can connect");
		return;
	}
	say(k, V_WARN, subject,
	    "not a loopback address: anyone who reaches that port can speak FastCGI to quire and claim "
	    "any client address; listen on 127.0.0.1:PORT or unix:%s/quire.sock",
	    CHECK_RUNTIME_DIR);
}
