/* fuzz_html2md: arbitrary HTML (as found in WordPress and Disqus exports) to Markdown and text. */
#include <stdint.h>
#include <string.h>

#include "html2md.h"

/* The names handed out must be NUL-terminated shortcode names. */
static void seen(const char *name, void *arg)
{
	size_t *count = arg;
	*count += strlen(name) > 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf md = BUF_INIT, md2 = BUF_INIT, text = BUF_INIT;
	size_t count = 0;
	html2md((const char *)data, size, &md);
	html2md_ex((const char *)data, size, &md2, seen, &count);
	html2text((const char *)data, size, &text);
	if (md.len != md2.len || (md.len && memcmp(md.p, md2.p, md.len) != 0))
		__builtin_trap(); /* the shortcode report must not change the Markdown */
	buf_free(&md);
	buf_free(&md2);
	buf_free(&text);
	return 0;
}
