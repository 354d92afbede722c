/* identicon: BLAKE2b(key, lowercased identity) picks the hue and the 15 cells of a 5x5 mirror. */
#include "identicon.h"

#include <ctype.h>
#include <sodium.h>
#include <string.h>

#include "text.h"

void identicon_svg(struct buf *out, const unsigned char key[IDENTICON_KEYBYTES], const char *identity, int px,
                   const char *label)
{
	unsigned char h[16];
	crypto_generichash_state st;
	crypto_generichash_init(&st, key, IDENTICON_KEYBYTES, sizeof h);
	for (const char *p = identity; *p; p++) {
		unsigned char c = (unsigned char)tolower((unsigned char)*p);
		crypto_generichash_update(&st, &c, 1);
	}
	crypto_generichash_final(&st, h, sizeof h);

	int hue = ((h[0] << 8) | h[1]) % 360;
	buf_addf(out,
	         "<svg class=\"identicon\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 5 5\" "
	         "width=\"%d\" height=\"%d\" ",
	         px, px);
	if (label && *label) {
		buf_adds(out, "role=\"img\" aria-label=\"");
		esc_html(out, label, strlen(label));
		buf_adds(out, "\"");
	} else {
		/* decorative: the name is beside it, a screen reader has nothing to add */
		buf_adds(out, "aria-hidden=\"true\" focusable=\"false\"");
	}
	buf_addf(out,
	         "><rect width=\"5\" height=\"5\" fill=\"hsl(%d,30%%,92%%)\"/><path "
	         "fill=\"hsl(%d,55%%,45%%)\" d=\"",
	         hue, hue);
	int bit = 0;
	for (int x = 0; x < 3; x++)
		for (int y = 0; y < 5; y++, bit++) {
			if (!(h[2 + bit / 8] >> (bit % 8) & 1))
				continue;
			buf_addf(out, "M%d %dh1v1h-1z", x, y);
			if (x < 2)
				buf_addf(out, "M%d %dh1v1h-1z", 4 - x, y);
		}
	buf_adds(out, "\"/></svg>");
}
