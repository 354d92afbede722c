/* static_ver: versioned URLs of static/, computed once at start (read-only afterwards). */
#include "static_ver.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

#define STATIC_NAME_MAX 64
#define STATIC_DIR_MAX 4096

struct static_file {
	char key[STATIC_NAME_MAX];
	char url[STATIC_NAME_MAX + 32];
};

static struct static_file files[STATIC_FILES_MAX];
static int nfiles;

/* The folder static/ beside the templates folder. */
static void static_dir(const char *templates, char out[STATIC_DIR_MAX])
{
	size_t n = strlen(templates);
	while (n > 1 && templates[n - 1] == '/')
		n--;
	while (n > 0 && templates[n - 1] != '/')
		n--;
	snprintf(out, STATIC_DIR_MAX, "%.*sstatic", (int)n, templates);
}

/* The version of one file: a hash of its bytes (of size and time past the hash limit). */
static int file_version(const char *path, const struct stat *sb, char out[STATIC_VER_HEX + 1])
{
	unsigned char h[crypto_generichash_BYTES_MIN];
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, sizeof h);
	if (sb->st_size > STATIC_HASH_MAX_BYTES) {
		long long meta[2] = {(long long)sb->st_size, (long long)sb->st_mtime};
		crypto_generichash_update(&st, (const unsigned char *)meta, sizeof meta);
	} else {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -1;
		unsigned char buf[8192];
		ssize_t got;
		while ((got = read(fd, buf, sizeof buf)) > 0)
			crypto_generichash_update(&st, buf, (unsigned long long)got);
		close(fd);
		if (got < 0)
			return -1;
	}
	crypto_generichash_final(&st, h, sizeof h);
	char hex[sizeof h * 2 + 1];
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	memcpy(out, hex, STATIC_VER_HEX);
	out[STATIC_VER_HEX] = '\0';
	return 0;
}

/* NAME.gz older than NAME: nginx's gzip_static would send the old bytes to most browsers. */
static void check_gz(const char *path, const struct stat *sb)
{
	char gz[STATIC_DIR_MAX + STATIC_NAME_MAX + 8];
	struct stat gsb;
	snprintf(gz, sizeof gz, "%s.gz", path);
	if (stat(gz, &gsb) == 0 && gsb.st_mtime < sb->st_mtime)
		log_warn("static: warning: %s is older than %s: nginx (gzip_static) sends the old file; "
		         "make it again: gzip -9 -n -k -f %s",
		         gz, path, path);
}

static void key_of(const char *name, char key[STATIC_NAME_MAX])
{
	size_t i = 0;
	for (; name[i] && i + 1 < STATIC_NAME_MAX; i++)
		key[i] = isalnum((unsigned char)name[i]) ? name[i] : '_';
	key[i] = '\0';
}

int static_ver_load(const char *templates_dir)
{
	char dir[STATIC_DIR_MAX];
	static_dir(templates_dir, dir);
	nfiles = 0;
	DIR *d = opendir(dir);
	if (!d) {
		log_warn("static: %s: %s: static files are linked without a version", dir, strerror(errno));
		return -1;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t nl = strlen(e->d_name);
		if (e->d_name[0] == '.' || nl >= STATIC_NAME_MAX ||
		    (nl > 3 && !strcmp(e->d_name + nl - 3, ".gz")))
			continue;
		char path[STATIC_DIR_MAX + STATIC_NAME_MAX + 2];
		struct stat sb;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
			continue;
		if (nfiles == STATIC_FILES_MAX) {
			log_warn("static: more than %d files in %s: %s and later ones have no versioned URL",
			         STATIC_FILES_MAX, dir, e->d_name);
			break;
		}
		char ver[STATIC_VER_HEX + 1];
		if (file_version(path, &sb, ver) < 0) {
			log_warn("static: %s: %s", path, strerror(errno));
			continue;
		}
		check_gz(path, &sb);
		struct static_file *f = &files[nfiles++];
		key_of(e->d_name, f->key);
		snprintf(f->url, sizeof f->url, "/static/%s?v=%s", e->d_name, ver);
	}
	closedir(d);
	return 0;
}

/* The files the shipped templates link: always given a URL, unversioned when the file is
 * missing, so a static/ folder left out of an install costs the version, not every page. */
static const char *const linked[] = {"quire.css", "favicon.svg", "apple-touch-icon.png",
                                     "admin.css", "admin.js",    "comments.js",
                                     "editor.js", "media.js"};

void static_ver_ctx(struct tobj *ctx)
{
	struct arena *a = tobj_arena(ctx);
	struct tobj *o = tobj_new(a);
	for (int i = 0; i < nfiles; i++)
		tset_str(o, files[i].key, files[i].url);
	for (size_t k = 0; k < sizeof linked / sizeof linked[0]; k++) {
		char key[STATIC_NAME_MAX];
		key_of(linked[k], key);
		int i = 0;
		while (i < nfiles && strcmp(files[i].key, key) != 0)
			i++;
		if (i == nfiles)
			tset_str(o, arena_strdup(a, key), arena_printf(a, "/static/%s", linked[k]));
	}
	tset_obj(ctx, "static", o);
}
