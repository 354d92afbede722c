/* fuzz_image: the upload path on arbitrary bytes: probe, clean, then (within the pixel limit)
 * decode, turn upright and scale; never a read past the bytes, a leak or a crash. */
#include <stdint.h>
#include <stdlib.h>

#include "buf.h"
#include "image.h"

#define FUZZ_PIXELS_MAX (2000L * 2000) /* keeps each input fast; the limit itself is unit-tested */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct image_info info;
	const char *why;
	if (image_probe(data, size, &info, &why) < 0)
		return 0;
	if (info.width < 1 || info.height < 1 || (long)info.width * info.height > IMAGE_PIXELS_MAX)
		abort();
	struct buf b = {0};
	if (image_clean(data, size, &info, &b) == 0 && b.len == 0)
		abort();
	buf_free(&b);
	if ((long)info.width * info.height > FUZZ_PIXELS_MAX)
		return 0;
	struct image *im = NULL;
	if (image_decode(data, size, &info, &im, &why) < 0)
		return 0;
	void *d = NULL;
	size_t len = 0;
	int h = 0;
	if (image_encode_width(im, 16, &d, &len, &h) == 0)
		image_data_free(d);
	image_free(im);
	return 0;
}
