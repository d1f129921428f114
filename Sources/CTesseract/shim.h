#ifndef SOHOA_CTESSERACT_SHIM_H
#define SOHOA_CTESSERACT_SHIM_H
// Only Tesseract's C API: `struct Pix *` stays opaque here; the Imaging module owns Leptonica
// and hands its pixels over as an opaque pointer.
#include <tesseract/capi.h>
#endif
