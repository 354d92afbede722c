/* diff: Myers' line diff with a cost cap; the common start and end are trimmed first. */
#include "diff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct line {
	const char *s;
	size_t len;
	uint32_t hash;
};

static uint32_t hash_of(const char *s, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

/* Splits t into lines (a final line without "\n" counts; an empty text has none). Returns the
 * count, with the array in *out, or -1. */
static long split(const char *t, size_t n, struct line **out)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		if (t[i] == '\n')
			count++;
	if (n && t[n - 1] != '\n')
		count++;
	*out = NULL;
	if (!count)
		return 0;
	struct line *l = malloc(count * sizeof *l);
	if (!l)
		return -1;
	size_t k = 0, start = 0;
	for (size_t i = 0; i <= n && k < count; i++) {
		if (i < n && t[i] != '\n')
			continue;
		size_t len = i - start;
		if (len && t[start + len - 1] == '\r')
			len--;
		l[k].s = t + start;
		l[k].len = len;
		l[k].hash = hash_of(t + start, len);
		k++;
		start = i + 1;
	}
	*out = l;
	return (long)k;
}

static int same(const struct line *a, const struct line *b)
{
	return a->hash == b->hash && a->len == b->len && memcmp(a->s, b->s, a->len) == 0;
}

/* The Myers search over a[0..n) and b[0..m): the snapshots of V after each step d (V[k] for k
 * in -d..d at trace[d*d + (k + d)]), and the number of steps in *dout. NULL when the cost cap
 * is passed (*dout = -1) or memory runs out (*dout = -2). */
static int32_t *search(const struct line *a, long n, const struct line *b, long m, long *dout)
{
	long max = n + m < DIFF_COST_MAX ? n + m : DIFF_COST_MAX;
	long *v = calloc((size_t)(2 * max + 3), sizeof *v);
	int32_t *trace = malloc((size_t)(max + 1) * (size_t)(max + 1) * sizeof *trace);
	if (!v || !trace) {
		free(v);
		free(trace);
		*dout = -2;
		return NULL;
	}
	long off = max + 1;
	for (long d = 0; d <= max; d++) {
		for (long k = -d; k <= d; k += 2) {
			long x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1]))
			             ? v[off + k + 1]
			             : v[off + k - 1] + 1;
			long y = x - k;
			while (x < n && y < m && same(&a[x], &b[y]))
				x++, y++;
			v[off + k] = x;
		}
		for (long k = -d; k <= d; k++)
			trace[d * d + (k + d)] = (int32_t)v[off + k]; /* x <= DIFF_LINES_MAX */
		for (long k = -d; k <= d; k += 2)
			if (v[off + k] >= n && v[off + k] - k >= m) {
				free(v);
				*dout = d;
				return trace;
			}
	}
	free(v);
	free(trace);
	*dout = -1;
	return NULL;
}

static long trace_at(const int32_t *trace, long d, long k)
{
	return trace[d * d + (k + d)];
}

/* Walks the trace back from (n, m), writing the edit script backwards from out[pos]. Returns
 * the index of its first line. */
static long backtrack(const int32_t *trace, long dmax, const struct line *a, long n, const struct line *b,
                      long m, struct diff_line *out, long pos)
{
	long x = n, y = m;
	for (long d = dmax; d >= 0; d--) {
		long k = x - y, px = 0, py = 0, pk = 0;
		if (d > 0) {
			int down = k == -d ||
			           (k != d && trace_at(trace, d - 1, k - 1) < trace_at(trace, d - 1, k + 1));
			pk = down ? k + 1 : k - 1;
			px = trace_at(trace, d - 1, pk);
			py = px - pk;
		}
		while (x > px && y > py) {
			x--, y--;
			out[--pos] = (struct diff_line){DIFF_SAME, a[x].s, a[x].len};
		}
		if (d == 0)
			break;
		if (pk == k + 1) {
			y--;
			out[--pos] = (struct diff_line){DIFF_INS, b[y].s, b[y].len};
		} else {
			x--;
			out[--pos] = (struct diff_line){DIFF_DEL, a[x].s, a[x].len};
		}
	}
	return pos;
}

long diff_lines(const char *old, size_t oldlen, const char *new, size_t newlen, struct diff_line **out)
{
	struct line *a = NULL, *b = NULL;
	struct diff_line *res = NULL;
	int32_t *trace = NULL;
	long rc = -1;
	*out = NULL;
	long n = split(old ? old : "", old ? oldlen : 0, &a), m = split(new ? new : "", new ? newlen : 0, &b);
	if (n < 0 || m < 0)
		goto out;
	long pre = 0, suf = 0;
	while (pre < n && pre < m && same(&a[pre], &b[pre]))
		pre++;
	while (suf < n - pre && suf < m - pre && same(&a[n - 1 - suf], &b[m - 1 - suf]))
		suf++;
	long cn = n - pre - suf, cm = m - pre - suf;
	if (cn > DIFF_LINES_MAX || cm > DIFF_LINES_MAX) {
		rc = DIFF_TOO_DIFFERENT;
		goto out;
	}
	long d = 0;
	if (cn || cm) {
		/* a side with no line has no array: no offset on a null pointer */
		trace = search(a ? a + pre : NULL, cn, b ? b + pre : NULL, cm, &d);
		if (!trace) {
			rc = d == -1 ? DIFF_TOO_DIFFERENT : -1;
			goto out;
		}
	}
	/* at most: the kept lines of old, plus the inserted ones */
	long cap = n + cm;
	if (cap == 0) {
		rc = 0;
		goto out;
	}
	res = malloc((size_t)cap * sizeof *res);
	if (!res)
		goto out;
	long k = 0;
	for (long i = 0; i < pre; i++)
		res[k++] = (struct diff_line){DIFF_SAME, a[i].s, a[i].len};
	long mid = cn || cm ? d + (cn + cm - d) / 2 : 0; /* D edits, (cn + cm - D) / 2 kept */
	long first =
	    trace ? backtrack(trace, d, a ? a + pre : NULL, cn, b ? b + pre : NULL, cm, res + k, mid) : 0;
	if (first != 0) { /* the middle must fill exactly its slots */
		rc = -1;
		goto out;
	}
	k += mid;
	for (long i = n - suf; i < n; i++)
		res[k++] = (struct diff_line){DIFF_SAME, a[i].s, a[i].len};
	*out = res;
	res = NULL;
	rc = k;
out:
	free(a);
	free(b);
	free(trace);
	free(res);
	return rc;
}
