/* media_import: a WordPress export's media brought home. Before the posts are read, one pass over
 * the export collects every attachment (wp:attachment_url) and every media URL on the old host
 * that a post's content names; each is fetched once (or copied from a local wp-content/uploads),
 * checked to be an image by its bytes, stored in media_dir as admin uploads are, and remembered
 * (sql/015_media.sql), so a second import fetches nothing it has. Then each post's Markdown is
 * rewritten to the local /media/ addresses. */
#ifndef QUIRE_MEDIA_IMPORT_H
#define QUIRE_MEDIA_IMPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "db.h"

/* MEDIA_KNOWN brings nothing home but keeps using what an earlier import did, so importing again
 * with --no-media (or without media_dir) changes no post; a remote image still becomes a link,
 * which quire's CSP (img-src 'self') would block anyway. */
enum media_mode { MEDIA_FETCH, MEDIA_FROM_DIR, MEDIA_KNOWN };

struct media_opts {
	enum media_mode mode;
	const char *media_dir; /* where the files go; MEDIA_KNOWN: may be NULL */
	const char *from_dir;  /* MEDIA_FROM_DIR: a copy of wp-content/uploads */
	long timeout_ms;       /* one transfer; 0: MEDIA_TIMEOUT_S */
	size_t max_bytes;      /* one file; 0: MEDIA_IMPORT_MAX */
	bool progress;         /* a progress line on stderr */
};

struct media_import;

/* A media import with these options (copied; the strings must outlive it), or NULL (no memory). */
struct media_import *media_import_new(const struct media_opts *o);
void media_import_free(struct media_import *m);
/* Reads the export at path for its media and brings each file home (what fails is kept for the
 * report). 0, or -1 with err when the export cannot be read or media_dir is not usable. */
int media_prepare(struct media_import *m, struct db *d, const char *path, char *err, size_t errsz);
/* Rewrites a post's Markdown in md: local addresses for what was brought home, and images left
 * on another host turned into links. */
void media_rewrite_post(struct media_import *m, struct buf *md);
/* The report's lines: counts, then each URL that could not be brought home, with why. */
void media_report(const struct media_import *m, FILE *out);

#endif
