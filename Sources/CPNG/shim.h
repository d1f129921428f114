#ifndef SOHOA_CPNG_SHIM_H
#define SOHOA_CPNG_SHIM_H
// Only libpng's simplified png_image_* API: the classic API reports errors by longjmp,
// which Swift cannot survive.
#include <png.h>
#include <string.h>

static inline png_image sohoa_png_image_new(void) {
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    return image;
}
#endif
