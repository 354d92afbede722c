/* db_render: stored HTML made again from its source when the renderer changed. Posts and comments
 * keep their Markdown (the source of truth) and the HTML rendered from it at save time; when a
 * new quire renders differently (focusable code blocks, table wrappers, ...), the HTML of every
 * row is made again once, at start, so old posts read like new ones. */
#ifndef QUIRE_DB_RENDER_H
#define QUIRE_DB_RENDER_H
#include "db.h"

/* What md_render and comment_render produce: bump it whenever their output changes. */
#define RENDER_VERSION 2

/* Renders every post's and comment's HTML again when the database's render_version is older
 * than RENDER_VERSION, in one transaction, rows whose HTML does not change left alone. The
 * number of rows changed (0 when current), or -1 on error (logged; the old HTML stays). */
long db_render_refresh(struct db *d);

#endif
