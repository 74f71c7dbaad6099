/* A binary property list (bplist00) read in place, without building a tree.
 *
 * libplist turns a file into one heap node per object (a 5,000-entry
 * db.plist of 430 KB took 12 MB and 20 ms); this reader checks the file
 * once and then answers lookups from its bytes.  It only accepts what it is
 * sure libplist 2.2 reads the same way: a file it declines (kc_bplist_open
 * returns -1) is read through libplist as before, so every damaged or
 * unusual file gives exactly the answer it gave. */
#ifndef KC_BPLIST_H
#define KC_BPLIST_H

#include "kc.h"

typedef enum kc_bp_kind {
    KC_BP_BOOL,
    KC_BP_INT,
    KC_BP_REAL,
    KC_BP_DATE,
    KC_BP_DATA,
    KC_BP_STRING, /* ASCII or UTF-16 */
    KC_BP_ARRAY,
    KC_BP_DICT,
} kc_bp_kind;

/* One object: its kind, its count (array items, dictionary entries, string
 * code units, data bytes) and where its payload starts. */
typedef struct kc_bp_obj {
    kc_bp_kind kind;
    bool utf16;   /* a KC_BP_STRING in UTF-16 (BMP only, no surrogates) */
    uint64_t n;
    size_t at;
} kc_bp_obj;

typedef struct kc_bplist {
    const unsigned char *d;
    size_t len;
    size_t off_size, ref_size;
    uint64_t count;  /* objects */
    size_t table;    /* offset of the offset table */
    uint64_t top;
} kc_bplist;

/* Checks every object reachable from the top: known kinds only (booleans,
 * integers of 1-8 bytes, reals, dates, data, strings, arrays, dictionaries
 * with string keys), every size and reference inside the file, no object
 * inside itself, no NUL in a string, no surrogate or empty UTF-16 string,
 * nesting at most 256 deep.  0, or -1 when the file is declined. */
int kc_bplist_open(kc_bplist *b, const void *data, size_t len);
/* The top object. */
void kc_bplist_top(const kc_bplist *b, kc_bp_obj *o);
/* dict[key] (the first entry whose key is that text): true, or false when
 * absent.  dict must be a KC_BP_DICT. */
bool kc_bplist_get(const kc_bplist *b, const kc_bp_obj *dict, const char *key, kc_bp_obj *out);
/* Item i (< arr->n) of a KC_BP_ARRAY. */
void kc_bplist_item(const kc_bplist *b, const kc_bp_obj *arr, uint64_t i, kc_bp_obj *out);
/* A KC_BP_STRING's text as UTF-8 (what libplist gives): a new string of
 * *n bytes, or NULL on out-of-memory. */
char *kc_bplist_text(const kc_bplist *b, const kc_bp_obj *s, size_t *n);

/* kc_read_sysext_db on a file's bytes.  how: KC_SYSEXT_AUTO reads it as
 * kc_read_sysext_db does (this reader when it accepts the file, libplist
 * otherwise), KC_SYSEXT_LIBPLIST through libplist only, KC_SYSEXT_BPLIST
 * through this reader only (2 when it declines the file; the tests compare
 * the two).  1 read, -1 with why. */
enum { KC_SYSEXT_AUTO, KC_SYSEXT_LIBPLIST, KC_SYSEXT_BPLIST };
int kc_sysext_db_parse(const char *data, size_t len, int how, kc_evidence *ev, char *why,
                       size_t whylen);

#endif
