/* fuzz_comment: arbitrary comment bodies through the comment renderer (autolinks, images to links). */
#include <stdint.h>

#include "comment_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf html = BUF_INIT;
	comment_render((const char *)data, size, &html);
	buf_free(&html);
	return 0;
}
