/* md_speed: md_render's speed on a large generated post, in ns per KB of Markdown (not a test).
 *   cc -O2 -Isrc/lib bench/md_speed.c src/lib/{markdown,buf,text,url}.c $(pkg-config --cflags --libs
 * libcmark-gfm) \ -lcmark-gfm-extensions && ./a.out */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "markdown.h"

#define POST_KB 256 /* size of the generated post */
#define ROUNDS 20

static void section(struct buf *md, int i)
{
	char s[2048];
	snprintf(s, sizeof s,
	         "## Section %d: a harbour at dawn\n\n"
	         "The boats *waited* for the tide, and **nobody** spoke. A [link](https://ex.org/%d) and "
	         "`inline_code(%d)` and a second sentence that runs on for a while, like prose does, "
	         "with a comma, a semicolon; and an end.\n\n"
	         "- first item with *emphasis*\n- second item\n  - nested item\n- third item\n\n"
	         "1. one\n2. two\n\n> A quote that spans\n> two lines.\n\n"
	         "```c\nint main(void) { return %d; }\n```\n\n"
	         "![Boats %d](/media/boats%d.jpg)\n*Boats waiting for the tide.*\n\n",
	         i, i, i, i, i, i);
	buf_adds(md, s);
}

int main(void)
{
	struct buf md = BUF_INIT, html = BUF_INIT;
	for (int i = 0; md.len < POST_KB * 1024; i++)
		section(&md, i);
	double best = 0;
	for (int r = 0; r < ROUNDS; r++) {
		struct timespec a, b;
		buf_reset(&html);
		clock_gettime(CLOCK_MONOTONIC, &a);
		if (md_render(buf_cstr(&md), md.len, &html) != 0)
			return 1;
		clock_gettime(CLOCK_MONOTONIC, &b);
		double ns = (double)(b.tv_sec - a.tv_sec) * 1e9 + (double)(b.tv_nsec - a.tv_nsec);
		if (r == 0 || ns < best)
			best = ns;
	}
	printf("md_render: %zu KB of Markdown -> %zu KB of HTML, best of %d: %.0f ns/KB (%.1f MB/s)\n",
	       md.len / 1024, html.len / 1024, ROUNDS, best / ((double)md.len / 1024),
	       (double)md.len / best * 1e3);
	buf_free(&md);
	buf_free(&html);
	return 0;
}
