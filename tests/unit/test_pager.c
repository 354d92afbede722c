/* test_pager: one page of a list from its total, the page size and the page asked for. */
#include "page.h"
#include "tap.h"

int main(void)
{
	struct pager p = pager_make(0, 10, 1);
	ok(p.page == 1 && p.pages == 1 && p.offset == 0 && !p.beyond, "an empty list has one page");
	p = pager_make(25, 10, 3);
	ok(p.page == 3 && p.pages == 3 && p.offset == 20 && !p.beyond, "the last, partly filled page");
	p = pager_make(30, 10, 4);
	ok(p.pages == 3 && p.offset == 30 && p.beyond, "past the last page is beyond");
	p = pager_make(30, 10, 0);
	ok(p.page == 1 && p.offset == 0, "below 1 reads as 1");
	p = pager_make(30, 10, -7);
	ok(p.page == 1 && p.offset == 0, "a negative page reads as 1");
	p = pager_make(10, 10, 1);
	ok(p.pages == 1 && !p.beyond, "exactly one full page");
	p = pager_make(5, 0, 2);
	ok(p.pages == 1 && p.offset == 0 && p.beyond, "no page size: one page, no offset");
	return tap_done();
}
