/* media_fill: the media library's rows for images already under media_dir, and the posts' uses
 * of media found once after sql/022, at start (and by quire media resize). */
#include "media_fill.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db_media.h"
#include "imgsize.h"
#include "log.h"
#include "media_file.h"
#include "users.h"

#define FILL_PATH_MAX 4096
#define FILL_HEAD 16 /* bytes read to tell an image's kind */

/* A media row for the file dir/name when it is an image: 1 added, 0 not an image, -1. */
static int fill_one(struct db *d, const char *dir, const char *name)
{
	char path[FILL_PATH_MAX];
	if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
		return 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return 0;
	struct stat sb;
	unsigned char head[FILL_HEAD];
	ssize_t got = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) ? read(fd, head, sizeof head) : -1;
	close(fd);
	const char *kind = got > 0 ? media_image_kind(head, (size_t)got) : NULL;
	int w = 0, h = 0;
	if (!kind || img_size_file(path, &w, &h) < 0)
		return 0;
	struct media_new m = {.name = name,
	                      .mime = media_mime(kind),
	                      .bytes = (long long)sb.st_size,
	                      .created_at = (long long)sb.st_mtime,
	                      .width = w,
	                      .height = h,
	                      .owned = media_name_ours(name)};
	return media_add(d, &m) < 0 ? -1 : 1;
}

void media_library_fill(const char *dir, struct db *d)
{
	DIR *dh = dir ? opendir(dir) : NULL;
	long added = 0;
	if (dh && db_begin(d) == 0) {
		struct dirent *e;
		int rc = 0;
		while (rc >= 0 && (e = readdir(dh))) {
			const char *name = e->d_name;
			/* a variant is listed with its original, never alone */
			/* authors' photos live beside the library's images but are not in it */
			if (!media_name_safe(name) || (media_name_ours(name) && strchr(name, '-')) ||
			    media_known(d, name) || media_is_variant(d, name) ||
			    user_photo_named(d, name) != 0)
				continue;
			rc = fill_one(d, dir, name);
			added += rc > 0;
		}
		if (rc < 0 || db_commit(d) < 0) {
			log_warn("media: library: not filled now: %s", db_errmsg(d));
			db_rollback(d);
			added = 0;
		}
	}
	if (dh)
		closedir(dh);
	if (added)
		log_info("media: library: %ld images listed (quire media resize makes their smaller copies)",
		         added);
	long posts = media_uses_fill(d, false);
	if (posts < 0)
		log_warn("media: where-used not filled now: %s", db_errmsg(d));
	else if (posts)
		log_info("media: where-used: %ld posts read", posts);
}
