/* fuzz_imgsize: the image header parser on arbitrary bytes: never reads past them, and a size it
 * gives is within bounds. */
#include <stdint.h>
#include <stdlib.h>

#include "imgsize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int w = 0, h = 0;
	if (img_size(data, size, &w, &h) == 0 &&
	    (w < 1 || h < 1 || w > IMGSIZE_DIM_MAX || h > IMGSIZE_DIM_MAX))
		abort();
	if (img_size_svg(data, size, &w, &h) == 0 &&
	    (w < 1 || h < 1 || w > IMGSIZE_DIM_MAX || h > IMGSIZE_DIM_MAX))
		abort();
	return 0;
}
