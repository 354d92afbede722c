/* fuzz_markdown: arbitrary Markdown through the renderer (with figures) and the excerpt. */
#include <stdint.h>
#include <string.h>

#include "markdown.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf html = BUF_INIT, ex = BUF_INIT;
	md_render((const char *)data, size, &html);
	md_excerpt((const char *)data, size, &ex);
	buf_free(&html);
	buf_free(&ex);
	return 0;
}
