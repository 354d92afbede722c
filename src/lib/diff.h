/* diff: a line diff of two texts (Myers' O(ND) algorithm), bounded in lines and in edit cost so
 * that two very different texts give up quickly ("too different to compare") instead of taking
 * a worker's CPU and memory. */
#ifndef QUIRE_DIFF_H
#define QUIRE_DIFF_H
#include <stddef.h>

#define DIFF_LINES_MAX 10000 /* lines of either text, after the common start and end */
#define DIFF_COST_MAX 500    /* inserted + deleted lines; time and memory grow as its square (1 MB) */
#define DIFF_TOO_DIFFERENT (-2)

enum diff_op { DIFF_SAME, DIFF_DEL, DIFF_INS };

/* One line of the result: a line of the old text (DIFF_SAME, DIFF_DEL) or of the new one
 * (DIFF_INS), pointing into the text it came from, without its line end. */
struct diff_line {
	enum diff_op op;
	const char *s;
	size_t len;
};

/* Diffs old against new, line by line ("\n" or "\r\n" ends a line). On success returns the
 * number of lines in *out (a malloc'd array the caller frees; NULL when 0). Returns
 * DIFF_TOO_DIFFERENT when a limit above is passed, -1 when memory runs out. */
long diff_lines(const char *old, size_t oldlen, const char *new, size_t newlen, struct diff_line **out);

#endif
