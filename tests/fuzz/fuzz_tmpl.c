/* fuzz_tmpl: arbitrary template text through the parser and the renderer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena a;
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct tmpl_set *set = tmpl_set_new();
	char err[256];
	if (set && tmpl_add(set, "t", "t.html", text, err, sizeof err) == 0 &&
	    tmpl_add(set, "p", "p.html", "<{{x}}>{{>t}}", err, sizeof err) == 0 &&
	    tmpl_link(set, err, sizeof err) == 0) {
		struct tobj *c = tobj_new(&a);
		tset_str(c, "x", "<&>");
		struct tlist *l = tset_list(c, "items");
		tset_str(tlist_add(l), "x", "1");
		struct buf out = BUF_INIT;
		tmpl_render(set, "t", c, &out);
		buf_free(&out);
	}
	tmpl_set_free(set);
	free(text);
	arena_reset(&a);
	return 0;
}
