/* fuzz_wxr_meta: arbitrary text through the WordPress import's name decoder, nicenames, and the
 * reusable block expander (as a post, and as a block that names itself and another). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wxr_blocks.h"
#include "wxr_meta.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), nice[WXR_NICENAME_MAX + 1];
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	wxr_nicename(text, nice, sizeof nice);
	struct wxr_blocks b = {0};
	struct buf out = BUF_INIT;
	if (wxr_blocks_add(&b, 1, text) == 0 &&
	    wxr_blocks_add(&b, 2, "a<!-- wp:block {\"ref\":1} /-->b") == 0) {
		wxr_blocks_expand(&b, text, false, &out);
		buf_reset(&out);
		wxr_blocks_expand(&b, text, true, &out);
	}
	buf_free(&out);
	wxr_blocks_free(&b);
	wxr_name_decode(text);
	if (strlen(text) > size)
		abort(); /* decoding never grows a name */
	free(text);
	return 0;
}
