/* Invariants the fuzz harnesses check on a parser's result (abort() on a
 * violation, so libFuzzer reports it).  Header-only: each harness is one
 * translation unit plus the core sources it needs. */
#ifndef KC_FUZZ_CHECK_H
#define KC_FUZZ_CHECK_H

#include "kc.h"

#include <stdlib.h>
#include <string.h>

/* s is NULL or a NUL-terminated valid UTF-8 string. */
static inline void fuzz_utf8(const char *s)
{
    if (s != NULL && !kc_utf8_valid(s))
        abort();
}

/* A refusal has a non-empty, valid UTF-8 reason that fits its buffer. */
static inline void fuzz_why(const char *why, size_t whylen)
{
    if (memchr(why, '\0', whylen) == NULL || why[0] == '\0' || !kc_utf8_valid(why))
        abort();
}

static inline void fuzz_tri(kc_tri t)
{
    if (t != KC_UNKNOWN && t != KC_NO && t != KC_YES)
        abort();
}

#endif
