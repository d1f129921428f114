#ifndef SOHOA_CTIFF_SHIM_H
#define SOHOA_CTIFF_SHIM_H
#include <tiffio.h>
#include <stdint.h>

// TIFFGetField is variadic: one typed wrapper per tag type we read.
static inline int sohoa_tiff_get_u32(TIFF *tif, uint32_t tag, uint32_t *out) {
    return TIFFGetField(tif, tag, out);
}
static inline int sohoa_tiff_get_u16(TIFF *tif, uint32_t tag, uint16_t *out) {
    return TIFFGetField(tif, tag, out);
}
static inline int sohoa_tiff_get_float(TIFF *tif, uint32_t tag, float *out) {
    return TIFFGetField(tif, tag, out);
}
static inline int sohoa_tiff_get_u16_defaulted(TIFF *tif, uint32_t tag, uint16_t *out) {
    return TIFFGetFieldDefaulted(tif, tag, out);
}
// libtiff prints warnings/errors to stderr by default; the wrapper collects them instead.
static inline void sohoa_tiff_silence(void) {
    TIFFSetWarningHandler(NULL);
    TIFFSetErrorHandler(NULL);
}
#endif
