/* fuzz_route: any method/path/query through the route gate; must never crash or read out of bounds. */
#include <stdint.h>
#include <string.h>

#include "route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena a;
	char path[4096], query[4096];
	size_t cut = size / 2;
	if (cut >= sizeof path || size - cut >= sizeof query)
		return 0;
	memcpy(path, data, cut);
	path[cut] = '\0';
	memcpy(query, data + cut, size - cut);
	query[size - cut] = '\0';
	struct req q = {.method = (size & 1) ? "GET" : "POST", .raw_path = path, .query = query, .a = &a};
	const struct route *rt;
	struct buf allow = BUF_INIT;
	route_match(routes, routes_count, &q, &rt, &allow);
	char *v;
	query_get(&a, query, "q", 200, &v);
	buf_free(&allow);
	arena_reset(&a);
	return 0;
}
