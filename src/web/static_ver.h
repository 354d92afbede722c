/* static_ver: the URL of each file of static/ with a version taken from its bytes at start
 * (/static/quire.css?v=1a2b3c4d5e), so nginx may let browsers keep the file a year (immutable):
 * a changed file has a new URL as soon as quire restarts, whoever changed it (an upgrade, or an
 * edited stylesheet). Why at start and not at build time: an installed file edited in place
 * still gets a new URL. */
#ifndef QUIRE_STATIC_VER_H
#define QUIRE_STATIC_VER_H
#include "tmpl.h"

#define STATIC_FILES_MAX 64              /* files of static/ given a versioned URL */
#define STATIC_HASH_MAX_BYTES (16 << 20) /* a bigger file is versioned by size and time */
#define STATIC_VER_HEX 10                /* hex digits of the version */

/* Versions every regular file directly in the folder static/ beside templates_dir (the layout of
 * both the source tree and an install). A file that cannot be read is logged and left out;
 * NAME.gz older than NAME (nginx's gzip_static would send the old bytes) is logged. 0, or -1
 * when the folder cannot be read (logged; the layout's static URLs are then unversioned). */
int static_ver_load(const char *templates_dir);
/* Sets ctx's object "static": a key per file, its name with every character but letters and
 * digits made '_' (quire.css -> static.quire_css), holding its URL. The files the shipped
 * templates link are always set (unversioned when missing), so no page fails for want of one. */
void static_ver_ctx(struct tobj *ctx);

#endif
