/* media_file: image types by their magic bytes, and storing under a random name. */
#include "media_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#define MEDIA_PATH_MAX 4096

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

int media_store(const char *dir, const void *data, size_t n, const char *ext, char name[MEDIA_NAME_MAX])
{
	unsigned char rnd[16];
	char hex[33], path[MEDIA_PATH_MAX];
	randombytes_buf(rnd, sizeof rnd);
	sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
	snprintf(name, MEDIA_NAME_MAX, "%s.%s", hex, ext);
	if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
		log_msg("media: %.200s: path too long", dir);
		return -1;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		log_msg("media: %s: %s", path, strerror(errno));
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
		return -1;
	}
	return 0;
}
