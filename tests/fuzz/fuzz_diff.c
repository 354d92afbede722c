/* fuzz_diff: the line diff on two arbitrary texts (the input split at its first NUL): it ends
 * within its limits; the old text's lines (kept and deleted) lie in it in order, the inserted
 * ones in the new text in order, and the new side has as many lines as the new text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"

/* True when the lines of d with op one or two lie in t in order. */
static int covers(const struct diff_line *d, long n, enum diff_op one, enum diff_op two, const char *t,
                  size_t len)
{
	const char *p = t, *end = t + len;
	for (long i = 0; i < n; i++) {
		if (d[i].op != one && d[i].op != two)
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
	if (n > 0 && (!covers(d, n, DIFF_SAME, DIFF_DEL, a, la) || !covers(d, n, DIFF_INS, DIFF_INS, b, lb)))
		abort();
	/* the new side has the new text's lines: one per "\n", and a last one without it */
	long lines = 0, side = 0;
	for (size_t i = 0; i < lb; i++)
		lines += b[i] == '\n';
	lines += lb && b[lb - 1] != '\n';
	for (long i = 0; i < n; i++)
		side += d[i].op != DIFF_DEL;
	if (n >= 0 && side != lines)
		abort();
	free(d);
	return 0;
}
