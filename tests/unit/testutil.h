/* Plumbing shared by the cmocka unit tests: temporary folders, writing
 * files, a UTF-8 check built independently of core/util.c.
 *
 * Every function checks each call it makes.  A failure is reported through
 * cmocka (fail_msg), which ends the running test, setup or teardown, so the
 * callers need not check anything themselves.  Call these only from inside
 * a cmocka test, setup or teardown. */
#ifndef KC_TESTUTIL_H
#define KC_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <plist/plist.h>

/* Makes a new, empty folder "BASE/kc-TAG-XXXXXX" (mkdtemp, mode 0700) and
 * writes its path, NUL-terminated, to dir (size bytes).  BASE is
 * $KC_TEST_TMP, or /tmp when that is unset or empty.  Remove it with
 * tu_rm_tree. */
void tu_make_tmpdir(char *dir, size_t size, const char *tag);

/* Removes path and everything below it, depth first, without following
 * symbolic links (a link is removed, not its target). */
void tu_rm_tree(const char *path);

/* A temporary folder for the tests of one file, with one path inside it. */
typedef struct tu_tmp {
    char dir[4096];  /* the folder, made by tu_make_tmpdir */
    char path[4200]; /* "DIR/NAME" (tu_tmp_new's name), or "" */
} tu_tmp;

/* Makes a folder as tu_make_tmpdir(..., tag) does and returns it (owned;
 * free with tu_tmp_free), with path set to DIR/NAME when name is not NULL.
 * Nothing is created at path.  Meant for a cmocka setup function. */
tu_tmp *tu_tmp_new(const char *tag, const char *name);

/* Removes t's folder with everything in it (tu_rm_tree) and frees t.
 * Meant for a cmocka teardown function. */
void tu_tmp_free(tu_tmp *t);

/* Writes "DIR/NAME", NUL-terminated, to buf (size bytes); the test fails
 * rather than cut the path short. */
void tu_join(char *buf, size_t size, const char *dir, const char *name);

/* Creates or truncates path and writes the n bytes of data to it. */
void tu_write_bytes(const char *path, const void *data, size_t n);

/* Creates or truncates path and writes the string text (without its NUL). */
void tu_write_text(const char *path, const char *text);

/* True when the n bytes at s are well-formed UTF-8: no NUL byte, no
 * overlong form, no surrogate, nothing above U+10FFFF, no sequence cut by
 * the end.  For a C string pass strlen(s). */
bool tu_valid_utf8(const char *s, size_t n);

/* A binary property list written byte by byte (libplist cannot make
 * strings that hold a NUL): objects in the order made, 1-byte references,
 * 2-byte offsets; the top object is the last one made.  Each tu_bp_ call
 * that makes an object returns its number. */
typedef struct tu_bplist {
    unsigned char b[16384];
    size_t len;
    size_t off[128];
    size_t n;
} tu_bplist;

void tu_bp_init(tu_bplist *w);
unsigned tu_bp_ascii(tu_bplist *w, const char *s, size_t n);
/* Each byte of s as one UTF-16 code unit (so "\0" is U+0000, "\xe9" é). */
unsigned tu_bp_utf16(tu_bplist *w, const char *s, size_t n);
unsigned tu_bp_array(tu_bplist *w, const unsigned *items, size_t n);
unsigned tu_bp_dict(tu_bplist *w, const unsigned *keys, const unsigned *vals, size_t n);
/* Adds the offset table and the trailer: w->b[0..w->len) is the file. */
void tu_bp_finish(tu_bplist *w);

/* A kernel-extension policy with a chosen key, finished in w:
 * { "AllowedKernelExtensions": { KEY: ["com.example.x"],
 *                                "ABCDE12345": ["com.example.y"] } }
 * with KEY (n bytes) as UTF-16 or ASCII. */
void tu_bp_kext_policy_key(tu_bplist *w, const char *key, size_t n, bool utf16);

/* Bytes in an exactly-sized heap block (reads past the end are caught by
 * ASan); free p. */
typedef struct tu_buf {
    char *p;
    size_t n;
} tu_buf;

/* A copy of the n bytes at s. */
tu_buf tu_buf_copy(const char *s, size_t n);

/* pl (freed) as binary or XML property-list bytes. */
tu_buf tu_plist_bytes(plist_t pl, bool binary);

/* A libplist array of the strings given, up to NULL. */
plist_t tu_plist_strings(const char *first, ...);

/* A libplist dictionary with the one entry key = value (taken). */
plist_t tu_plist_dict1(const char *key, plist_t value);

/* One entry of the system-extension database (db.plist "extensions"):
 * identifier, teamID, state, an Endpoint Security category, an originPath
 * and bundleVersion {CFBundleShortVersionString, CFBundleVersion}; each
 * field that is NULL is left out (bundleVersion when both are). */
plist_t tu_plist_sysext(const char *id, const char *team, const char *state,
                        const char *shortv, const char *build);

#endif
