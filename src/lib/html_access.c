/* html_access: tabindex on scrollable blocks, class for cell alignment and a heading for the
 * footnotes, on cmark's output. */
#include "html_access.h"

#include <string.h>

#define FOOTNOTES "<section class=\"footnotes\""

/* True when s starts with the tag name tag ("<pre") followed by '>' or a space. */
static bool opens(const char *s, const char *tag)
{
	size_t n = strlen(tag);
	return strncmp(s, tag, n) == 0 && (s[n] == '>' || s[n] == ' ');
}

/* The length of an align="left|center|right" attribute at s (after a cell's name), else 0;
 * *word is the value. */
static size_t align_attr(const char *s, const char **word, size_t *wlen)
{
	static const char *const words[] = {"left", "center", "right"};
	static const char pre[] = " align=\"";
	if (strncmp(s, pre, sizeof pre - 1) != 0)
		return 0;
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t n = strlen(words[i]);
		const char *v = s + sizeof pre - 1;
		if (strncmp(v, words[i], n) == 0 && v[n] == '"') {
			*word = words[i];
			*wlen = n;
			return sizeof pre - 1 + n + 1;
		}
	}
	return 0;
}

void html_access(struct buf *out, const char *html)
{
	const char *p = html, *lt;
	while ((lt = strchr(p, '<'))) {
		buf_add(out, p, (size_t)(lt - p));
		const char *word;
		size_t wlen, skip;
		if (opens(lt, "<pre")) {
			buf_adds(out, "<pre tabindex=\"0\"");
			p = lt + 4;
		} else if (opens(lt, "<table")) {
			buf_adds(out, "<div class=\"table-scroll\" tabindex=\"0\"><table");
			p = lt + 6;
		} else if (strncmp(lt, "</table>", 8) == 0) {
			buf_adds(out, "</table></div>");
			p = lt + 8;
		} else if (strncmp(lt, FOOTNOTES, sizeof FOOTNOTES - 1) == 0 && strchr(lt, '>')) {
			/* GitHub's heading for the notes, for screen readers (cmark-gfm 0.29 writes none) */
			const char *gt = strchr(lt, '>');
			buf_add(out, lt, (size_t)(gt + 1 - lt));
			buf_adds(out, "\n<h2 class=\"sr\">Footnotes</h2>");
			p = gt + 1;
		} else if ((opens(lt, "<th") || opens(lt, "<td")) &&
		           (skip = align_attr(lt + 3, &word, &wlen))) {
			buf_add(out, lt, 3);
			buf_adds(out, " class=\"align-");
			buf_add(out, word, wlen);
			buf_addc(out, '"');
			p = lt + 3 + skip;
		} else {
			buf_addc(out, '<');
			p = lt + 1;
		}
	}
	buf_adds(out, p);
}
