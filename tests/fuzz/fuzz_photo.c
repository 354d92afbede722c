/* fuzz_photo: photo_square on any bytes (src/lib/photo.c): refused or a photo, never a crash. */
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "photo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out = BUF_INIT;
	const char *ext = NULL;
	char err[200];
	photo_square(data, size, 32, &out, &ext, err, sizeof err);
	buf_free(&out);
	return 0;
}
