/* test_buf: the growable buffer and the arena. */
#include "arena.h"
#include "buf.h"
#include "tap.h"

int main(void)
{
	struct buf b = BUF_INIT;
	is_str(buf_cstr(&b), "", "empty buffer is an empty string");
	buf_adds(&b, "abc");
	buf_addc(&b, 'd');
	buf_addf(&b, "%d-%s", 42, "x");
	is_str(buf_cstr(&b), "abcd42-x", "add, addc and addf append");
	for (int i = 0; i < 1000; i++)
		buf_adds(&b, "0123456789");
	ok(b.len == 8 + 10000 && !b.oom, "grows to 10 KB");
	struct buf big = BUF_INIT;
	buf_addf(&big, "%0500d", 7);
	ok(big.len == 500, "addf longer than the stack scratch");
	buf_reset(&b);
	ok(b.len == 0 && b.cap > 0, "reset keeps capacity");
	buf_free(&b);
	buf_free(&big);

	struct arena a = {0};
	char *s = arena_strdup(&a, "hello");
	is_str(s, "hello", "arena strdup");
	char *p = arena_printf(&a, "%s %d", "n", 5);
	is_str(p, "n 5", "arena printf");
	void *huge = arena_alloc(&a, 100000);
	ok(huge != NULL, "allocation larger than a chunk");
	ok(((unsigned long)arena_alloc(&a, 3) & 15) == 0, "allocations are 16-byte aligned");
	arena_reset(&a);
	ok(a.total == 0, "reset clears the count");
	ok(arena_strdup(&a, "again") != NULL, "usable after reset");
	arena_free(&a);
	return tap_done();
}
