/* fuzz_diff: the line diff on two arbitrary texts (the input split at its first NUL): it ends
 * within its limits, and its script gives back both texts' lines in order. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

/* True when the lines of side (old: not DIFF_INS, new: not DIFF_DEL) lie in t in order. */
static int covers(const struct diff_line *d, long n, enum diff_op skip, const char *t, size_t len)
{
	const char *p = t, *end = t + len;
	for (long i = 0; i < n; i++) {
		if (d[i].op == skip)
			continue;
		if (d[i].s < p || d[i].s + d[i].len > end)
			return 0;
		p = d[i].s + d[i].len;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *a = (const char *)data;
	const char *nul = memchr(a, '\0', size);
	size_t la = nul ? (size_t)(nul - a) : size / 2;
	const char *b = a + la + (nul ? 1 : 0);
	size_t lb = size - la - (nul ? 1 : 0);
	struct diff_line *d = NULL;
	long n = diff_lines(a, la, b, lb, &d);
	if (n == -1 || (n < 0 && n != DIFF_TOO_DIFFERENT) || (n <= 0 && d))
		abort();
	if (n > 0 && (!covers(d, n, DIFF_INS, a, la) || !covers(d, n, DIFF_DEL, b, lb)))
		abort();
	free(d);
	return 0;
}
