/* test_diff: the line diff: its script rebuilds both texts, is minimal on small cases, handles
 * empty texts and "\r\n", and gives up (DIFF_TOO_DIFFERENT) past its limits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "tap.h"

/* The script as "=a -b +c" (op and text per line, space separated), into out. */
static long script(const char *a, const char *b, char *out, size_t outsz)
{
	struct diff_line *d = NULL;
	long n = diff_lines(a, strlen(a), b, strlen(b), &d);
	size_t o = 0;
	out[0] = '\0';
	for (long i = 0; i < n && o + 1 < outsz; i++)
		o += (size_t)snprintf(out + o, outsz - o, "%s%c%.*s", i ? " " : "",
		                      d[i].op == DIFF_SAME  ? '='
		                      : d[i].op == DIFF_DEL ? '-'
		                                            : '+',
		                      (int)d[i].len, d[i].s);
	free(d);
	return n;
}

/* True when the script's old side (= and -) is a and its new side (= and +) is b. */
static int rebuilds(const char *a, const char *b)
{
	struct diff_line *d = NULL;
	long n = diff_lines(a, strlen(a), b, strlen(b), &d);
	if (n < 0)
		return 0;
	size_t oa = 0, ob = 0, la = strlen(a), lb = strlen(b);
	char *ra = calloc(la + n + 2, 1), *rb = calloc(lb + n + 2, 1);
	for (long i = 0; i < n; i++) {
		if (d[i].op != DIFF_INS) {
			memcpy(ra + oa, d[i].s, d[i].len);
			oa += d[i].len;
			ra[oa++] = '\n';
		}
		if (d[i].op != DIFF_DEL) {
			memcpy(rb + ob, d[i].s, d[i].len);
			ob += d[i].len;
			rb[ob++] = '\n';
		}
	}
	/* the texts here all end with a newline */
	int good = oa == la && ob == lb && memcmp(ra, a, la) == 0 && memcmp(rb, b, lb) == 0;
	free(ra);
	free(rb);
	free(d);
	return good;
}

int main(void)
{
	char s[512];
	ok(script("", "", s, sizeof s) == 0, "two empty texts: nothing");
	ok(script("a\nb\nc\n", "a\nb\nc\n", s, sizeof s) == 3, "same text: three lines");
	is_str(s, "=a =b =c", "same text: all kept");
	script("a\nb\nc\n", "a\nx\nc\n", s, sizeof s);
	is_str(s, "=a -b +x =c", "one line changed");
	script("", "one\ntwo\n", s, sizeof s);
	is_str(s, "+one +two", "all inserted");
	script("one\ntwo\n", "", s, sizeof s);
	is_str(s, "-one -two", "all deleted");
	script("a\nb\nc\nd\n", "b\nc\nd\ne\n", s, sizeof s);
	is_str(s, "-a =b =c =d +e", "shifted by one: minimal");
	script("a\r\nb\r\n", "a\nb\nc", s, sizeof s);
	is_str(s, "=a =b +c", "\\r\\n equals \\n; a last line without a newline counts");
	script("x\ny\nz\n", "p\nq\n", s, sizeof s);
	ok(strstr(s, "-x") && strstr(s, "-y") && strstr(s, "-z") && strstr(s, "+p") && strstr(s, "+q") &&
	       !strchr(s, '='),
	   "nothing in common: every line out and in (%s)", s);
	ok(rebuilds("a\nb\nc\na\nb\nb\na\n", "c\nb\na\nb\na\nc\n"), "Myers' example rebuilds both sides");

	/* random edits of a random text always rebuild both sides */
	srand(14);
	int all = 1;
	for (int t = 0; t < 300 && all; t++) {
		char a[400] = "", b[400] = "";
		size_t oa = 0, ob = 0;
		int lines = rand() % 30;
		for (int i = 0; i < lines; i++) {
			char w = (char)('a' + rand() % 5);
			int r = rand() % 4;
			if (r != 0)
				oa += (size_t)snprintf(a + oa, sizeof a - oa, "%c\n", w);
			if (r != 1)
				ob += (size_t)snprintf(b + ob, sizeof b - ob, "%c\n",
				                       r == 2 ? (char)(w + 1) : w);
		}
		all = rebuilds(a, b);
		if (!all)
			printf("# failed on\n#%s\n# ->\n#%s\n", a, b);
	}
	ok(all, "300 random edits rebuild both sides");

	/* limits: two texts with nothing in common past DIFF_COST_MAX */
	size_t big = (DIFF_COST_MAX / 2 + 10) * 8;
	char *x = malloc(big + 1), *y = malloc(big + 1);
	size_t ox = 0, oy = 0;
	for (int i = 0; i < DIFF_COST_MAX / 2 + 10; i++) {
		ox += (size_t)snprintf(x + ox, big + 1 - ox, "a%05d\n", i);
		oy += (size_t)snprintf(y + oy, big + 1 - oy, "b%05d\n", i);
	}
	struct diff_line *d = NULL;
	ok(diff_lines(x, ox, y, oy, &d) == DIFF_TOO_DIFFERENT && !d, "past the cost cap: too different");
	ok(diff_lines(x, ox, x, ox, &d) == DIFF_COST_MAX / 2 + 10, "a long text against itself is cheap");
	free(d);
	free(x);
	free(y);
	/* past the line cap: a text of DIFF_LINES_MAX + 1 lines against an empty one */
	size_t nl = DIFF_LINES_MAX + 1;
	char *many = malloc(nl * 2 + 1);
	for (size_t i = 0; i < nl; i++)
		many[2 * i] = 'z', many[2 * i + 1] = '\n';
	many[nl * 2] = '\0';
	d = NULL;
	ok(diff_lines("", 0, many, nl * 2, &d) == DIFF_TOO_DIFFERENT, "past the line cap: too different");
	ok(diff_lines(many, nl * 2, many, nl * 2, &d) == (long)nl, "the same long text: trimmed, no search");
	free(d);
	free(many);
	return tap_done();
}
