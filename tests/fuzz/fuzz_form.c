/* fuzz_form: arbitrary bodies through both form parsers, and arbitrary Cookie headers. */
#include <stdint.h>
#include <string.h>

#include "form.h"
#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena a;
	struct form f;
	char *body = arena_strndup(&a, (const char *)data, size);
	if (body)
		form_parse(&f, &a, "application/x-www-form-urlencoded", body, size);
	body = arena_strndup(&a, (const char *)data, size);
	if (body)
		form_parse(&f, &a, "multipart/form-data; boundary=b", body, size);
	char *hdr = arena_strndup(&a, (const char *)data, size);
	if (hdr)
		cookie_get(&a, hdr, "quire_session");
	arena_reset(&a);
	return 0;
}
