/* Plumbing shared by the libFuzzer harnesses in tests/fuzz.
 *
 * A harness has no way to report a setup failure but to stop: every
 * function here prints "kextcheck-fuzz: <what>: <why>" and aborts when the
 * machine (not the input) fails it, and fz_check_* abort when an input
 * breaks an invariant, which libFuzzer then reports as a crash with the
 * input saved. */
#ifndef KC_FUZZ_UTIL_H
#define KC_FUZZ_UTIL_H

#include "kc.h"

#include <stddef.h>
#include <stdint.h>

/* Prints the message and aborts. */
void fz_die(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

/* The harness's private folder (made on first use under $TMPDIR or /tmp,
 * removed with everything in it when the process exits normally). */
const char *fz_tmpdir(void);

/* A path inside fz_tmpdir(), owned by the caller. */
char *fz_tmp_path(const char *name);

/* Creates every missing folder above path (mode 0755). */
void fz_mkdir_parents(const char *path);

/* Creates or truncates path and writes the size bytes of data. */
void fz_write(const char *path, const void *data, size_t size);

/* Reads path whole (at most max bytes) into *data (NULL when the file does
 * not exist). */
void fz_read(const char *path, size_t max, char **data, size_t *size);

/* Copies the folder src (files and folders; links are not followed nor
 * copied) to dst, which must not exist. */
void fz_copy_tree(const char *src, const char *dst);

/* A reason a reader gave: NUL-terminated inside its whylen bytes, non-empty,
 * valid UTF-8. */
void fz_check_why(const char *why, size_t whylen);

/* s is not NULL and is valid UTF-8. */
void fz_check_utf8(const char *what, const char *s);

/* 10 characters of A-Z and 0-9. */
void fz_check_team(const char *what, const char *s);

/* Every field of ev is unknown or empty. */
void fz_check_all_unknown(const kc_evidence *ev);

/* An evidence with everything unknown. */
void fz_evidence_init(kc_evidence *ev);

#endif
