#ifndef SOHOA_CSANE_SHIM_H
#define SOHOA_CSANE_SHIM_H
#include <sane/sane.h>
#include <sane/saneopts.h>

// Function-like macros Swift cannot import.
static inline SANE_Word sohoa_sane_fix(double v) { return SANE_FIX(v); }
static inline double sohoa_sane_unfix(SANE_Word v) { return SANE_UNFIX(v); }
static inline SANE_Int sohoa_sane_version_major(SANE_Int code) { return SANE_VERSION_MAJOR(code); }
static inline SANE_Bool sohoa_sane_option_is_active(SANE_Int cap) { return SANE_OPTION_IS_ACTIVE(cap); }
static inline SANE_Bool sohoa_sane_option_is_settable(SANE_Int cap) { return SANE_OPTION_IS_SETTABLE(cap); }
#endif
