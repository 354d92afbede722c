/* gdimg: test images for the integration tests, made and read with libgd.
 *   gdimg make KIND W H OUT   a W x H image, left half red, right half blue (jpg, png, gif, webp)
 *   gdimg anim OUT            a two-frame animated GIF
 *   gdimg info FILE           "W H" and the colour at the top middle and bottom middle:
 *                             "W H TOP BOTTOM LEFT RIGHT" each red, blue or other */
#include <gd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int save(gdImagePtr im, const char *kind, const char *out)
{
	FILE *f = fopen(out, "wb");
	if (!f)
		return 1;
	if (!strcmp(kind, "jpg"))
		gdImageJpeg(im, f, 92);
	else if (!strcmp(kind, "png"))
		gdImagePng(im, f);
	else if (!strcmp(kind, "gif"))
		gdImageGif(im, f);
	else
		gdImageWebpEx(im, f, 90);
	return fclose(f) != 0;
}

static const char *colour(gdImagePtr im, int x, int y)
{
	int c = gdImageGetTrueColorPixel(im, x, y);
	int r = (c >> 16) & 0xFF, b = c & 0xFF;
	return r > 200 && b < 60 ? "red" : b > 200 && r < 60 ? "blue" : "other";
}

int main(int argc, char **argv)
{
	if (argc == 6 && !strcmp(argv[1], "make")) {
		int w = atoi(argv[3]), h = atoi(argv[4]);
		gdImagePtr im = gdImageCreateTrueColor(w, h);
		gdImageFilledRectangle(im, 0, 0, w / 2 - 1, h - 1, 0xFF0000);
		gdImageFilledRectangle(im, w / 2, 0, w - 1, h - 1, 0x0000FF);
		int rc = save(im, argv[2], argv[5]);
		gdImageDestroy(im);
		return rc;
	}
	if (argc == 3 && !strcmp(argv[1], "anim")) {
		FILE *f = fopen(argv[2], "wb");
		if (!f)
			return 1;
		gdImagePtr a = gdImageCreate(40, 20), b = gdImageCreate(40, 20);
		gdImageColorAllocate(a, 255, 0, 0);
		gdImageColorAllocate(b, 0, 0, 255);
		gdImageGifAnimBegin(a, f, 1, 0);
		gdImageGifAnimAdd(a, f, 0, 0, 0, 10, gdDisposalNone, NULL);
		gdImageGifAnimAdd(b, f, 0, 0, 0, 10, gdDisposalNone, NULL);
		gdImageGifAnimEnd(f);
		gdImageDestroy(a);
		gdImageDestroy(b);
		return fclose(f) != 0;
	}
	if (argc == 3 && !strcmp(argv[1], "info")) {
		FILE *f = fopen(argv[2], "rb");
		if (!f)
			return 1;
		gdImagePtr im = gdImageCreateFromFile(argv[2]);
		fclose(f);
		if (!im)
			return 1;
		int w = gdImageSX(im), h = gdImageSY(im);
		printf("%d %d %s %s %s %s\n", w, h, colour(im, w / 2, 2), colour(im, w / 2, h - 3),
		       colour(im, 2, h / 2), colour(im, w - 3, h / 2));
		gdImageDestroy(im);
		return 0;
	}
	fprintf(stderr, "usage: gdimg make KIND W H OUT | anim OUT | info FILE\n");
	return 2;
}
