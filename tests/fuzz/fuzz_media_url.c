/* fuzz_media_url: the media import's URL helpers on arbitrary text: the Markdown rewrite, the
 * uploads path (never one that climbs out), resized variants and the wanted check. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "media_url.h"

/* Every URL of the old host is made local, so the rewrite runs both of its branches. */
static const char *local(const char *url, size_t n, void *arg)
{
	(void)arg;
	return n > 12 && memcmp(url, "http://old.t", 12) == 0 ? "/media/x.png" : NULL;
}

/* Whether the relative path p has an empty, "." or ".." segment, or starts with '/'. */
static int climbs(const char *p)
{
	for (;;) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return 1;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), out[512];
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	struct buf md = BUF_INIT;
	media_rewrite(s, &md, local, NULL);
	if (md.len > 2 * strlen(s) + 16)
		__builtin_trap(); /* a replacement is never much longer than what it replaces */
	buf_free(&md);
	if (media_uploads_rel(s, out, sizeof out) == 0 && climbs(out))
		__builtin_trap(); /* never a path out of the uploads folder */
	media_variant_original(s, out, sizeof out);
	media_url_wanted(s, "old.t");
	free(s);
	return 0;
}
