/* identicon: a 5x5 mirrored SVG avatar drawn from a keyed hash, never from the address itself. */
#ifndef QUIRE_IDENTICON_H
#define QUIRE_IDENTICON_H
#include <stddef.h>

#include "buf.h"

#define IDENTICON_KEYBYTES 32

/* Appends an inline <svg> of size px for identity (e.g. an email), hashed with key: an image named
 * label, or hidden from assistive technology when label is NULL or empty (an avatar beside the
 * name it stands for is decorative). */
void identicon_svg(struct buf *out, const unsigned char key[IDENTICON_KEYBYTES], const char *identity, int px,
                   const char *label);

#endif
