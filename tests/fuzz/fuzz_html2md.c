/* fuzz_html2md: arbitrary HTML (as found in WordPress and Disqus exports) to Markdown and text. */
#include <stdint.h>

#include "html2md.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf md = BUF_INIT, text = BUF_INIT;
	html2md((const char *)data, size, &md);
	html2text((const char *)data, size, &text);
	buf_free(&md);
	buf_free(&text);
	return 0;
}
