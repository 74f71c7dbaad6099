/* Plumbing shared by the cmocka unit tests (see testutil.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "testutil.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void tu_make_tmpdir(char *dir, size_t size, const char *tag)
{
    const char *base = getenv("KC_TEST_TMP");
    int n;

    if (base == NULL || base[0] == '\0')
        base = "/tmp";
    n = snprintf(dir, size, "%s/kc-%s-XXXXXX", base, tag);
    if (n < 0 || (size_t)n >= size) {
        fail_msg("temporary folder name under %s is longer than %zu bytes", base, size);
        return;
    }
    if (mkdtemp(dir) == NULL)
        fail_msg("mkdtemp %s: %s", dir, strerror(errno));
}

/* The entry nftw could not remove and why, for the failure message.  nftw
 * passes no context to its callback, hence file-scope variables. */
static char rm_failed[4096];
static int rm_errno;

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    int rc;

    (void)st;
    (void)ftw;
    if (flag == FTW_DP || flag == FTW_D)
        rc = rmdir(path);
    else
        rc = unlink(path);
    if (rc != 0) {
        rm_errno = errno;
        /* Only for the message: a path cut short there is still useful. */
        if (snprintf(rm_failed, sizeof(rm_failed), "%s", path) < 0)
            rm_failed[0] = '\0';
    }
    return rc;
}

void tu_rm_tree(const char *path)
{
    rm_failed[0] = '\0';
    rm_errno = 0;
    if (nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS) != 0) {
        int err = rm_errno != 0 ? rm_errno : errno;

        fail_msg("removing %s: %s: %s", path, rm_failed[0] ? rm_failed : path, strerror(err));
    }
}

void tu_join(char *buf, size_t size, const char *dir, const char *name)
{
    int n = snprintf(buf, size, "%s/%s", dir, name);

    if (n < 0 || (size_t)n >= size)
        fail_msg("path %s/%s is longer than %zu bytes", dir, name, size);
}

tu_tmp *tu_tmp_new(const char *tag, const char *name)
{
    tu_tmp tmp, *t;

    memset(&tmp, 0, sizeof(tmp));
    tu_make_tmpdir(tmp.dir, sizeof(tmp.dir), tag);
    /* Failing below, take the folder (still empty) away first. */
    if (name != NULL) {
        int n = snprintf(tmp.path, sizeof(tmp.path), "%s/%s", tmp.dir, name);

        if (n < 0 || (size_t)n >= sizeof(tmp.path)) {
            int rc = rmdir(tmp.dir);

            fail_msg("path %s/%s is longer than %zu bytes%s", tmp.dir, name, sizeof(tmp.path),
                     rc != 0 ? " (folder left behind)" : "");
            return NULL;
        }
    }
    t = malloc(sizeof(*t));
    if (t == NULL) {
        int rc = rmdir(tmp.dir);

        fail_msg("out of memory for %s%s", tmp.dir, rc != 0 ? " (folder left behind)" : "");
        return NULL;
    }
    *t = tmp;
    return t;
}

void tu_tmp_free(tu_tmp *t)
{
    char dir[sizeof(t->dir)];

    /* Freed first, so that a failure to remove the folder leaks nothing. */
    memcpy(dir, t->dir, sizeof(dir));
    free(t);
    tu_rm_tree(dir);
}

void tu_write_bytes(const char *path, const void *data, size_t n)
{
    FILE *fp = fopen(path, "wb");
    size_t done;

    if (fp == NULL) {
        fail_msg("fopen %s: %s", path, strerror(errno));
        return;
    }
    done = fwrite(data, 1, n, fp);
    if (done != n) {
        int err = errno;

        /* Already failing: the fwrite error is the one to report. */
        (void)fclose(fp);
        fail_msg("fwrite %s: %zu of %zu bytes written: %s", path, done, n, strerror(err));
        return;
    }
    if (fclose(fp) != 0)
        fail_msg("fclose %s: %s", path, strerror(errno));
}

void tu_write_text(const char *path, const char *text)
{
    tu_write_bytes(path, text, strlen(text));
}

bool tu_valid_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < n) {
        unsigned c = p[i], cp, min;
        size_t len;
        if (c == 0)
            return false;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            len = 2, cp = c & 0x1f, min = 0x80;
        } else if (c >= 0xe0 && c <= 0xef) {
            len = 3, cp = c & 0x0f, min = 0x800;
        } else if (c >= 0xf0 && c <= 0xf4) {
            len = 4, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (i + len > n)
            return false;
        for (size_t k = 1; k < len; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return false;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += len;
    }
    return true;
}

/* ---- binary property lists byte by byte ---------------------------------------- */

void tu_bp_init(tu_bplist *w)
{
    memcpy(w->b, "bplist00", 8);
    w->len = 8;
    w->n = 0;
}

static void bp_byte(tu_bplist *w, unsigned c)
{
    assert_true(w->len < sizeof(w->b));
    w->b[w->len++] = (unsigned char)c;
}

/* Starts object number w->n with a marker for type and count. */
static unsigned bp_start(tu_bplist *w, unsigned type, size_t count)
{
    assert_true(w->n < sizeof(w->off) / sizeof(w->off[0]));
    w->off[w->n] = w->len;
    if (count < 15) {
        bp_byte(w, type << 4 | (unsigned)count);
    } else {
        bp_byte(w, type << 4 | 0xf);
        bp_byte(w, 0x11); /* a 2-byte integer follows */
        bp_byte(w, (unsigned)(count >> 8));
        bp_byte(w, (unsigned)(count & 0xff));
    }
    return (unsigned)w->n++;
}

unsigned tu_bp_ascii(tu_bplist *w, const char *s, size_t n)
{
    unsigned i = bp_start(w, 0x5, n);

    for (size_t k = 0; k < n; k++)
        bp_byte(w, (unsigned char)s[k]);
    return i;
}

unsigned tu_bp_utf16(tu_bplist *w, const char *s, size_t n)
{
    unsigned i = bp_start(w, 0x6, n);

    for (size_t k = 0; k < n; k++) {
        bp_byte(w, 0);
        bp_byte(w, (unsigned char)s[k]);
    }
    return i;
}

unsigned tu_bp_array(tu_bplist *w, const unsigned *items, size_t n)
{
    unsigned i = bp_start(w, 0xa, n);

    for (size_t k = 0; k < n; k++)
        bp_byte(w, items[k]);
    return i;
}

unsigned tu_bp_dict(tu_bplist *w, const unsigned *keys, const unsigned *vals, size_t n)
{
    unsigned i = bp_start(w, 0xd, n);

    for (size_t k = 0; k < n; k++)
        bp_byte(w, keys[k]);
    for (size_t k = 0; k < n; k++)
        bp_byte(w, vals[k]);
    return i;
}

void tu_bp_finish(tu_bplist *w)
{
    size_t table = w->len;

    for (size_t k = 0; k < w->n; k++) {
        bp_byte(w, (unsigned)(w->off[k] >> 8));
        bp_byte(w, (unsigned)(w->off[k] & 0xff));
    }
    for (int k = 0; k < 6; k++)
        bp_byte(w, 0);
    bp_byte(w, 2); /* offset size */
    bp_byte(w, 1); /* reference size */
    for (int k = 7; k >= 0; k--)
        bp_byte(w, (unsigned)((uint64_t)w->n >> (8 * k)) & 0xff);
    for (int k = 7; k >= 0; k--)
        bp_byte(w, (unsigned)((uint64_t)(w->n - 1) >> (8 * k)) & 0xff);
    for (int k = 7; k >= 0; k--)
        bp_byte(w, (unsigned)((uint64_t)table >> (8 * k)) & 0xff);
}

void tu_bp_kext_policy_key(tu_bplist *w, const char *key, size_t n, bool utf16)
{
    static const char team[] = "ABCDE12345", x[] = "com.example.x", y[] = "com.example.y",
                      outer[] = "AllowedKernelExtensions";
    unsigned keys[2], vals[2], outer_key, inner, item;

    tu_bp_init(w);
    keys[0] = utf16 ? tu_bp_utf16(w, key, n) : tu_bp_ascii(w, key, n);
    keys[1] = tu_bp_ascii(w, team, sizeof(team) - 1);
    item = tu_bp_ascii(w, x, sizeof(x) - 1);
    vals[0] = tu_bp_array(w, &item, 1);
    item = tu_bp_ascii(w, y, sizeof(y) - 1);
    vals[1] = tu_bp_array(w, &item, 1);
    inner = tu_bp_dict(w, keys, vals, 2);
    outer_key = tu_bp_ascii(w, outer, sizeof(outer) - 1);
    tu_bp_dict(w, &outer_key, &inner, 1);
    tu_bp_finish(w);
}

tu_buf tu_buf_copy(const char *s, size_t n)
{
    tu_buf b;

    b.p = malloc(n != 0 ? n : 1);
    assert_non_null(b.p);
    if (n != 0)
        memcpy(b.p, s, n);
    b.n = n;
    return b;
}

tu_buf tu_plist_bytes(plist_t pl, bool binary)
{
    char *data = NULL;
    uint32_t len = 0;
    tu_buf b;

    assert_non_null(pl);
    if (binary)
        plist_to_bin(pl, &data, &len);
    else
        plist_to_xml(pl, &data, &len);
    plist_free(pl);
    assert_non_null(data);
    b = tu_buf_copy(data, len);
    if (binary)
        plist_to_bin_free(data);
    else
        plist_to_xml_free(data);
    return b;
}

plist_t tu_plist_strings(const char *first, ...)
{
    plist_t arr = plist_new_array();
    va_list ap;

    assert_non_null(arr);
    va_start(ap, first);
    for (const char *s = first; s != NULL; s = va_arg(ap, const char *))
        plist_array_append_item(arr, plist_new_string(s));
    va_end(ap);
    return arr;
}

plist_t tu_plist_dict1(const char *key, plist_t value)
{
    plist_t d = plist_new_dict();

    assert_non_null(d);
    plist_dict_set_item(d, key, value);
    return d;
}

plist_t tu_plist_sysext(const char *id, const char *team, const char *state,
                        const char *shortv, const char *build)
{
    plist_t d = plist_new_dict();

    assert_non_null(d);
    if (id != NULL)
        plist_dict_set_item(d, "identifier", plist_new_string(id));
    if (team != NULL)
        plist_dict_set_item(d, "teamID", plist_new_string(team));
    if (state != NULL)
        plist_dict_set_item(d, "state", plist_new_string(state));
    plist_dict_set_item(d, "categories",
                        tu_plist_strings("com.apple.system_extension.endpoint_security", NULL));
    plist_dict_set_item(d, "originPath", plist_new_string("/Applications/X.app"));
    if (shortv != NULL || build != NULL) {
        plist_t bv = plist_new_dict();
        assert_non_null(bv);
        if (shortv != NULL)
            plist_dict_set_item(bv, "CFBundleShortVersionString", plist_new_string(shortv));
        if (build != NULL)
            plist_dict_set_item(bv, "CFBundleVersion", plist_new_string(build));
        plist_dict_set_item(d, "bundleVersion", bv);
    }
    return d;
}
