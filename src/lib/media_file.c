/* media_file: image types by their magic bytes, and storing under a random name. */
#include "media_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

#define MEDIA_PATH_MAX 4096
#define MEDIA_FILE_MODE 0644 /* public: nginx serves media to anyone */

const char *media_image_kind(const unsigned char *p, size_t n)
{
	if (n >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return "png";
	if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return "jpg";
	if (n >= 6 && (memcmp(p, "GIF87a", 6) == 0 || memcmp(p, "GIF89a", 6) == 0))
		return "gif";
	if (n >= 12 && memcmp(p, "RIFF", 4) == 0 && memcmp(p + 8, "WEBP", 4) == 0)
		return "webp";
	return NULL;
}

/* Writes data to dir/name, created with mode 0644 (MEDIA_FILE_MODE) and never over an existing file: 0, -1
 * (logged, errno EEXIST when the file was there). */
static int write_new(const char *dir, const char *name, const void *data, size_t n)
{
	char path[MEDIA_PATH_MAX];
	if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
		log_msg("media: %.200s: path too long", dir);
		return -1;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, MEDIA_FILE_MODE);
	/* nginx serves it to anyone: readable whatever the umask (quire.service's UMask=0027) */
	if (fd < 0 || fchmod(fd, MEDIA_FILE_MODE) < 0) {
		int e = errno;
		log_msg("media: %s: %s", path, strerror(e));
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		errno = e;
		return -1;
	}
	const char *d = data;
	size_t off = 0;
	while (off < n) {
		ssize_t w = write(fd, d + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (close(fd) < 0 || off != n) {
		log_msg("media: %s: write failed", path);
		unlink(path);
		errno = EIO;
		return -1;
	}
	return 0;
}

const char *media_mime(const char *kind)
{
	return !strcmp(kind, "jpg")   ? "image/jpeg"
	       : !strcmp(kind, "png") ? "image/png"
	       : !strcmp(kind, "gif") ? "image/gif"
	                              : "image/webp";
}

int media_store(const char *dir, const void *data, size_t n, const char *ext, char name[MEDIA_NAME_MAX])
{
	unsigned char rnd[16];
	char hex[33];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
	snprintf(name, MEDIA_NAME_MAX, "%s.%s", hex, ext);
	return write_new(dir, name, data, n);
}

int media_store_as(const char *dir, const char *name, const void *data, size_t n)
{
	if (!media_name_safe(name))
		return -1;
	return write_new(dir, name, data, n);
}

bool media_name_safe(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n >= MEDIA_NAME_MAX + 16 || name[0] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return strstr(name, "..") == NULL;
}

bool media_name_ours(const char *name)
{
	/* 32 hex digits, '.', an extension media_store writes, and optionally a variant's -NNNw */
	size_t i = 0;
	for (; i < 32; i++)
		if (!((name[i] >= '0' && name[i] <= '9') || (name[i] >= 'a' && name[i] <= 'f')))
			return false;
	const char *rest = name + 32;
	if (rest[0] == '-') {
		size_t k = 1;
		while (rest[k] >= '0' && rest[k] <= '9')
			k++;
		if (k == 1 || rest[k] != 'w')
			return false;
		rest += k + 1;
	}
	return !strcmp(rest, ".png") || !strcmp(rest, ".jpg") || !strcmp(rest, ".gif") ||
	       !strcmp(rest, ".webp");
}

int media_unlink(const char *dir, const char *name)
{
	char path[MEDIA_PATH_MAX];
	if (!media_name_safe(name) || snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
		return -1;
	if (unlink(path) < 0 && errno != ENOENT) {
		log_msg("media: %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
