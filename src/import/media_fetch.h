/* media_fetch: getting one media file's bytes, from the old host over HTTP(S) with libcurl or
 * from a local copy of wp-content/uploads, always within a size limit and a time limit. */
#ifndef QUIRE_MEDIA_FETCH_H
#define QUIRE_MEDIA_FETCH_H
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define MEDIA_CONNECT_TIMEOUT_S 10L          /* default: to connect to the old host */
#define MEDIA_TIMEOUT_S 60L                  /* default: one whole transfer */
#define MEDIA_IMPORT_MAX (20L * 1024 * 1024) /* default: bytes of one file */
#define MEDIA_REDIRECTS_MAX 3
#define MEDIA_REASON_MAX 96
#define MEDIA_HOSTS_TRACKED 16 /* hosts whose connection failures are counted */
#define MEDIA_HOST_GIVE_UP 3   /* refusals or timeouts in a row after which a host is not tried again */

struct media_fetcher {
	void *curl; /* one handle for every file: connections are reused */
	long timeout_ms, connect_ms;
	size_t max_bytes;
	char host[256]; /* the old host: redirects may lead there or stay on the file's own host */
	/* hosts that could not be reached: a dead old site costs a few timeouts, not one per file */
	struct {
		char name[256];
		int fails; /* in a row; MEDIA_HOST_GIVE_UP: given up */
	} hosts[MEDIA_HOSTS_TRACKED];
	int nhosts;
};

/* Prepares a fetcher; 0, or -1 when libcurl has no handle to give. */
int media_fetcher_init(struct media_fetcher *f, const char *old_host, long timeout_ms, size_t max_bytes);
void media_fetcher_free(struct media_fetcher *f);
/* GETs url (http or https only) into out, following at most MEDIA_REDIRECTS_MAX redirects that
 * stay on url's host or the old host. 0, or -1 with why in reason ("HTTP 404", "timeout", "too
 * big (over N bytes)", "redirect to another host", "host unreachable", libcurl's words otherwise).
 * A host that could not be resolved, or reached MEDIA_HOST_GIVE_UP times in a row, or whose
 * connection timed out, is not asked again. */
int media_fetch(struct media_fetcher *f, const char *url, struct buf *out, char *reason, size_t reasonsz);
/* Reads the file url names in root, a copy of wp-content/uploads (http://old/wp-content/uploads/
 * 2023/05/x.jpg -> root/2023/05/x.jpg), into out. Refuses a path that leaves root (by "..", or a
 * symbolic link pointing out of it), anything but a regular file, and a file over max_bytes:
 * 0, or -1 with reason. */
int media_read_local(const char *root, const char *url, size_t max_bytes, struct buf *out, char *reason,
                     size_t reasonsz);

#endif
