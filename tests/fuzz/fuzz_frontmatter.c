/* fuzz_frontmatter: arbitrary post files through the front matter parser and the tag splitter. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "frontmatter.h"
#include "timefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	struct frontmatter fm;
	char err[256];
	if (fm_parse(text, size, &fm, err, sizeof err) == 0) {
		time_t t;
		if (fm.date)
			time_parse(fm.date, &t);
		if (fm.tags) {
			char *tags[TAGS_MAX];
			fm_split_tags((char *)fm.tags, tags, err, sizeof err);
		}
	}
	free(text);
	return 0;
}
