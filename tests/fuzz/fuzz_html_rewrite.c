/* fuzz_html_rewrite: arbitrary HTML made absolute and styled, as for a feed or a mail; the
 * output must be HTML the rewriter leaves as it is (it is already absolute and closed). */
#include <stdint.h>
#include <string.h>

#include "html_rewrite.h"

static const struct html_style styles[] = {
    {"code", "pre", "font-family:monospace"},
    {"img", NULL, "max-width:100%"},
    {"p", NULL, "margin:0"},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out = BUF_INIT, again = BUF_INIT;
	struct html_rewrite_opts o = {.base_url = "https://blog.example",
	                              .page_url = "https://blog.example/posts/x",
	                              .styles = styles,
	                              .nstyles = sizeof styles / sizeof styles[0]};
	if (html_rewrite((const char *)data, size, &o, &out) == 0 && out.len) {
		struct html_rewrite_opts plain = {.base_url = "https://blog.example"};
		if (html_rewrite(out.p, out.len, &plain, &again) == 0 && memchr(again.p, '\0', again.len))
			__builtin_trap(); /* never a NUL in the output */
	}
	buf_free(&out);
	buf_free(&again);
	return 0;
}
