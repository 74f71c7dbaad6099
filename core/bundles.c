/* Kext bundles on disk: where they are and what their Info.plist says. */
#include "kc.h"

#include <dirent.h>
#include <errno.h>
#include <plist/plist.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define PLIST_MAX_BYTES (1024 * 1024)
#define MAX_DEPTH 6
#define MAX_BUNDLES 256
#define MAX_ENTRIES 20000

void *kc_plist_read(const char *path, char *why, size_t whylen)
{
    char *data = NULL;
    size_t len = 0;
    plist_t root = NULL;

    if (kc_read_file(path, PLIST_MAX_BYTES, &data, &len, why, whylen) != 0)
        return NULL;
    if (len < 8) {
        kc_snprintf(why, whylen, "too short to be a property list");
    } else if (plist_is_binary(data, (uint32_t)len)) {
        plist_from_bin(data, (uint32_t)len, &root);
        if (root == NULL)
            kc_snprintf(why, whylen, "damaged binary property list");
    } else {
        plist_from_xml(data, (uint32_t)len, &root);
        if (root == NULL)
            kc_snprintf(why, whylen, "damaged XML property list");
    }
    free(data);
    return root;
}

/* A string value of dict[key], read with its length (libplist 2.2's
 * plist_get_string_val asserts on a string that held U+0000): 1 found,
 * 0 absent, -1 wrong type, -2 it contains a NUL character. */
static int dict_string(plist_t dict, const char *key, char **out)
{
    plist_t node = plist_dict_get_item(dict, key);
    const char *s;
    uint64_t len = 0;

    *out = NULL;
    if (node == NULL)
        return 0;
    if (plist_get_node_type(node) != PLIST_STRING)
        return -1;
    s = plist_get_string_ptr(node, &len);
    if (s == NULL || len > SIZE_MAX)
        return -1;
    if (memchr(s, '\0', (size_t)len) != NULL)
        return -2;
    *out = kc_utf8_clean(s, (size_t)len);
    return *out ? 1 : -1;
}

static int add_bundle(kc_bundles *b, const char *root_path, const char *mac_path)
{
    char why[256];
    char *info = NULL;
    plist_t pl = NULL;
    kc_bundle *k;
    int rc = -1, r;

    if (b->n == MAX_BUNDLES) {
        b->truncated = true;
        return 0;
    }
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 8;
        kc_bundle *items = realloc(b->items, cap * sizeof(*items));
        if (items == NULL)
            return -1;
        b->items = items;
        b->cap = cap;
    }
    k = &b->items[b->n];
    memset(k, 0, sizeof(*k));
    k->path = kc_utf8_clean(mac_path, strlen(mac_path));
    info = kc_asprintf("%s/Contents/Info.plist", root_path);
    if (k->path == NULL || info == NULL)
        goto done;
    b->n++;
    /* kc_plist_load (evidence.c) refuses strings and keys with a NUL
     * character, which libplist 2.2 asserts on or cuts short. */
    pl = kc_plist_load(info, why, sizeof(why));
    if (pl == NULL) {
        k->error = kc_asprintf("Contents/Info.plist: %s", why);
    } else if (plist_get_node_type(pl) != PLIST_DICT) {
        k->error = kc_strdup("Contents/Info.plist: the top level is not a dictionary");
    } else if ((r = dict_string(pl, "CFBundleIdentifier", &k->bundle_id)) != 1) {
        k->error = kc_strdup(
            r == 0    ? "Contents/Info.plist: no CFBundleIdentifier"
            : r == -2 ? "Contents/Info.plist: CFBundleIdentifier contains a NUL character"
                      : "Contents/Info.plist: CFBundleIdentifier is not a string");
    } else if ((r = dict_string(pl, "CFBundleVersion", &k->version)) < 0 ||
               (r = dict_string(pl, "CFBundleShortVersionString", &k->short_version)) < 0) {
        k->error = kc_strdup(r == -2 ? "Contents/Info.plist: a version key contains a NUL "
                                       "character"
                                     : "Contents/Info.plist: a version key is not a string");
    }
    rc = 0;
done:
    if (pl != NULL)
        plist_free(pl);
    free(info);
    return rc;
}

static bool is_kext_name(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".kext") == 0;
}

/* Walks a folder for *.kext bundles (never following symbolic links). */
static int walk(kc_bundles *b, const char *root_path, const char *mac_path, int depth,
                size_t *entries)
{
    DIR *d;
    struct dirent *de;
    int rc = 0;

    if (depth > MAX_DEPTH)
        return 0;
    d = opendir(root_path);
    if (d == NULL)
        return 0;
    while (rc == 0 && (de = readdir(d)) != NULL) {
        struct stat st;
        char *rp, *mp;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (++*entries > MAX_ENTRIES) {
            b->truncated = true;
            break;
        }
        rp = kc_asprintf("%s/%s", root_path, de->d_name);
        mp = kc_asprintf("%s/%s", mac_path, de->d_name);
        if (rp == NULL || mp == NULL) {
            rc = -1;
        } else if (lstat(rp, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (is_kext_name(de->d_name)) {
                rc = add_bundle(b, rp, mp);
                /* Kexts nested in a kext live in Contents/PlugIns. */
                if (rc == 0) {
                    char *prp = kc_asprintf("%s/Contents/PlugIns", rp);
                    char *pmp = kc_asprintf("%s/Contents/PlugIns", mp);
                    rc = prp && pmp ? walk(b, prp, pmp, depth + 1, entries) : -1;
                    free(prp);
                    free(pmp);
                }
            } else {
                rc = walk(b, rp, mp, depth + 1, entries);
            }
        }
        free(rp);
        free(mp);
    }
    closedir(d);
    return rc;
}

static int cmp_bundle(const void *a, const void *b)
{
    return strcmp(((const kc_bundle *)a)->path, ((const kc_bundle *)b)->path);
}

int kc_bundles_scan(const char *root, const char *mac_path, kc_bundles *out)
{
    char *full = kc_path_under_root(root, mac_path);
    struct stat st;
    size_t entries = 0, first = out->n;
    int rc = -1;

    if (full == NULL)
        return -1;
    if (lstat(full, &st) != 0 || !S_ISDIR(st.st_mode)) {
        rc = 0;
        goto done;
    }
    if (is_kext_name(mac_path))
        rc = add_bundle(out, full, mac_path);
    else
        rc = walk(out, full, mac_path, 0, &entries);
    if (rc == 0) {
        /* readdir order differs between file systems: sort what was found. */
        if (out->n - first > 1)
            qsort(out->items + first, out->n - first, sizeof(kc_bundle), cmp_bundle);
        rc = 1;
    }
done:
    free(full);
    return rc;
}

void kc_bundles_free(kc_bundles *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->items[i].path);
        free(b->items[i].bundle_id);
        free(b->items[i].version);
        free(b->items[i].short_version);
        free(b->items[i].error);
    }
    free(b->items);
    memset(b, 0, sizeof(*b));
}
