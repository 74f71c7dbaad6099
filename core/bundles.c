/* Kext bundles on disk: where they are and what their Info.plist says. */
#include "i18n.h"
#include "kc.h"
#include "macho.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <plist/plist.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 6
#define MAX_BUNDLES 256
#define MAX_ENTRIES 20000

/* A string value of dict[key], read with its length (libplist 2.2's
 * plist_get_string_val asserts on a string that held U+0000): 1 found,
 * 0 absent, -1 wrong type, -2 it contains a NUL character. */
static int dict_string(plist_t dict, const char *key, char **out)
{
    plist_t node = plist_dict_get_item(dict, key);
    const char *s;
    size_t len = 0;

    *out = NULL;
    if (node == NULL)
        return 0;
    if (!kc_plist_string_bytes(node, &s, &len))
        return -1;
    if (memchr(s, '\0', len) != NULL)
        return -2;
    *out = kc_utf8_clean(s, len);
    return *out ? 1 : -1;
}

/* Reads Contents/Info.plist of the bundle folder bfd (never through a
 * link) into a plist, or NULL with why. */
static plist_t read_info(int bfd, char *why, size_t whylen)
{
    int cfd = openat(bfd, "Contents", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    char *data = NULL;
    size_t len = 0;
    plist_t pl = NULL;

    if (cfd < 0) {
        kc_snprintf(why, whylen, "%s", errno == ELOOP || errno == ENOTDIR
                                           ? _("not a folder")
                                           : strerror(errno));
        return NULL;
    }
    if (kc_read_file_at(cfd, "Info.plist", KC_PLIST_MAX, &data, &len, why, whylen) == 0)
        pl = kc_plist_parse(data, len, why, whylen);
    free(data);
    close(cfd);
    return pl;
}

/* Adds an entry for mac_path; error (copied) says why it has no Info.plist
 * data, or NULL. */
static kc_bundle *push_bundle(kc_bundles *b, const char *mac_path, const char *error)
{
    kc_bundle *k;

    if (b->n == MAX_BUNDLES) {
        b->truncated = true;
        return NULL;
    }
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 8;
        kc_bundle *items = realloc(b->items, cap * sizeof(*items));
        if (items == NULL)
            return NULL;
        b->items = items;
        b->cap = cap;
    }
    k = &b->items[b->n];
    memset(k, 0, sizeof(*k));
    k->path = kc_utf8_clean(mac_path, strlen(mac_path));
    k->error = error ? kc_strdup(error) : NULL;
    if (k->path == NULL || (error != NULL && k->error == NULL)) {
        free(k->path);
        free(k->error);
        return NULL;
    }
    b->n++;
    return k;
}

/* How much of a kext's executable is read: the fat header and the first
 * slice's Mach-O header are in its first bytes. */
#define EXE_HEAD_MAX (64 * 1024)

/* Reads Contents/MacOS/<executable> of the bundle folder bfd and records
 * its architectures (or why they are unknown) in k. */
static int read_executable(int bfd, kc_bundle *k)
{
    char why[256], *data = NULL;
    size_t len = 0;
    uint64_t size = 0;
    int cfd = -1, mfd = -1, rc = -1;
    kc_macho m;

    if (k->executable == NULL || k->executable[0] == '\0' || strchr(k->executable, '/') ||
        strcmp(k->executable, ".") == 0 || strcmp(k->executable, "..") == 0) {
        k->exe_error = kc_strdup(k->executable ? _("CFBundleExecutable is not a file name")
                                               : _("no CFBundleExecutable"));
        return k->exe_error ? 0 : -1;
    }
    cfd = openat(bfd, "Contents", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    mfd = cfd >= 0 ? openat(cfd, "MacOS", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
    if (mfd < 0) {
        k->exe_error = kc_asprintf("Contents/MacOS: %s", strerror(errno));
    } else if (kc_read_head_at(mfd, k->executable, EXE_HEAD_MAX, &data, &len, &size, why,
                               sizeof(why)) != 0) {
        k->exe_error = kc_asprintf("Contents/MacOS/%s: %s", k->executable, why);
    } else if (kc_macho_parse(data, len, size, &m, why, sizeof(why)) != 0) {
        k->exe_error = kc_asprintf("Contents/MacOS/%s: %s", k->executable, why);
    } else {
        char list[256];
        kc_macho_arch_list(&m, list, sizeof(list));
        k->archs = kc_strdup(list);
        k->has_arm64e = m.has_arm64e;
        rc = k->archs ? 0 : -1;
        goto done;
    }
    rc = k->exe_error ? 0 : -1;
done:
    free(data);
    if (mfd >= 0)
        close(mfd);
    if (cfd >= 0)
        close(cfd);
    return rc;
}

static int add_bundle(kc_bundles *b, int bfd, const char *mac_path)
{
    char why[256];
    plist_t pl = NULL;
    kc_bundle *k;
    struct stat st;
    int r, rc = 0;

    if (b->n == MAX_BUNDLES) {
        b->truncated = true;
        return 0;
    }
    k = push_bundle(b, mac_path, NULL);
    if (k == NULL)
        return -1;
    if (fstat(bfd, &st) == 0) {
        k->uid = (unsigned long)st.st_uid;
        k->gid = (unsigned long)st.st_gid;
        k->mode = (unsigned)(st.st_mode & 07777);
    }
    pl = read_info(bfd, why, sizeof(why));
    if (pl == NULL) {
        k->error = kc_asprintf("Contents/Info.plist: %s", why);
    } else if (plist_get_node_type(pl) != PLIST_DICT) {
        k->error = kc_strdup(_("Contents/Info.plist: the top level is not a dictionary"));
    } else if ((r = dict_string(pl, "CFBundleIdentifier", &k->bundle_id)) != 1) {
        k->error = kc_strdup(
            r == 0    ? _("Contents/Info.plist: no CFBundleIdentifier")
            : r == -2 ? _("Contents/Info.plist: CFBundleIdentifier contains a NUL character")
                      : _("Contents/Info.plist: CFBundleIdentifier is not a string"));
    } else if ((r = dict_string(pl, "CFBundleVersion", &k->version)) < 0 ||
               (r = dict_string(pl, "CFBundleShortVersionString", &k->short_version)) < 0) {
        k->error = kc_strdup(r == -2 ? _("Contents/Info.plist: a version key contains a NUL "
                                         "character")
                                     : _("Contents/Info.plist: a version key is not a string"));
    } else if (dict_string(pl, "CFBundleExecutable", &k->executable) < 0) {
        k->exe_error = kc_strdup(_("CFBundleExecutable is not a string"));
    } else {
        rc = read_executable(bfd, k);
    }
    if (pl != NULL)
        plist_free(pl);
    return rc;
}

static bool is_kext_name(const char *name)
{
    size_t n = strlen(name);
    return n > 5 && strcmp(name + n - 5, ".kext") == 0;
}

static int open_subdir(int dfd, const char *name)
{
    return openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* The names in the folder dfd (taken: closed here), in the order readdir
 * gives them, at most max of them ("." and ".." left out); the folder's
 * descriptor stays open in *fd.  The directory stream is closed before the
 * walk goes down, so a deep walk holds one stream's buffer (32 KiB in
 * glibc) at a time, not one per level.  0, or -1 on out-of-memory. */
static int list_names(int dfd, size_t max, kc_strv *names, int *fd)
{
    DIR *d;
    struct dirent *de;
    int rc = 0;

    *fd = -1;
    d = fdopendir(dfd);
    if (d == NULL) {
        close(dfd);
        return 0;
    }
    while (names->n < max && (de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (kc_strv_push(names, de->d_name) != 0) {
            rc = -1;
            break;
        }
    }
    if (rc == 0)
        *fd = fcntl(dirfd(d), F_DUPFD_CLOEXEC, 0);
    closedir(d);
    return rc;
}

/* Walks the folder dfd (taken: closed here) for *.kext bundles, never
 * following a symbolic link. */
static int walk(kc_bundles *b, int dfd, const char *mac_path, int depth, size_t *entries)
{
    kc_strv names = {0};
    int fd = -1, rc = 0;

    if (depth > MAX_DEPTH) {
        close(dfd);
        return 0;
    }
    /* One name more than the entries left, to see the cap reached. */
    if (list_names(dfd, MAX_ENTRIES - (*entries < MAX_ENTRIES ? *entries : MAX_ENTRIES) + 1,
                   &names, &fd) != 0) {
        kc_strv_free(&names);
        return -1;
    }
    for (size_t i = 0; rc == 0 && fd >= 0 && i < names.n; i++) {
        const char *name = names.v[i];
        struct stat st;
        char *mp;
        int cfd;
        if (++*entries > MAX_ENTRIES) {
            b->truncated = true;
            break;
        }
        if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode))
            continue;
        cfd = open_subdir(fd, name);
        if (cfd < 0)
            continue;
        mp = kc_asprintf("%s%s%s", mac_path, strcmp(mac_path, "/") == 0 ? "" : "/", name);
        if (mp == NULL) {
            close(cfd);
            rc = -1;
        } else if (is_kext_name(name)) {
            rc = add_bundle(b, cfd, mp);
            /* Kexts nested in a kext live in Contents/PlugIns. */
            if (rc == 0) {
                int contents = open_subdir(cfd, "Contents");
                int plugins = contents >= 0 ? open_subdir(contents, "PlugIns") : -1;
                char *pmp = plugins >= 0 ? kc_asprintf("%s/Contents/PlugIns", mp) : NULL;
                if (plugins >= 0 && pmp == NULL) {
                    close(plugins);
                    rc = -1;
                } else if (plugins >= 0) {
                    rc = walk(b, plugins, pmp, depth + 1, entries);
                }
                free(pmp);
                if (contents >= 0)
                    close(contents);
            }
            close(cfd);
        } else {
            rc = walk(b, cfd, mp, depth + 1, entries);
        }
        free(mp);
    }
    if (fd >= 0)
        close(fd);
    kc_strv_free(&names);
    return rc;
}

static int cmp_bundle(const void *a, const void *b)
{
    return strcmp(((const kc_bundle *)a)->path, ((const kc_bundle *)b)->path);
}

int kc_bundles_scan(const kc_rootfs *fs, const char *mac_path, kc_bundles *out)
{
    kc_rootfs_ref ref;
    struct stat st;
    size_t entries = 0, first = out->n;
    int err = kc_rootfs_resolve(fs, mac_path, true, &ref), dfd = -1, rc = -1;

    if (err == ENOENT || err == ENOTDIR)
        return 0;
    if (err != 0) {
        /* There, but not usable (a link out of the root, a loop): say so
         * as an unreadable bundle rather than call the product absent. */
        char why[256];
        kc_snprintf(why, sizeof(why), "%s", kc_rootfs_strerror(err));
        return push_bundle(out, mac_path, why) != NULL || out->truncated ? 1 : -1;
    }
    if (fstatat(ref.dirfd, ref.name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode)) {
        rc = 0;
        goto done;
    }
    dfd = open_subdir(ref.dirfd, ref.name);
    if (dfd < 0) {
        rc = 0;
        goto done;
    }
    if (is_kext_name(mac_path)) {
        rc = add_bundle(out, dfd, mac_path);
        close(dfd);
    } else {
        rc = walk(out, dfd, mac_path, 0, &entries);
    }
    if (rc == 0) {
        /* readdir order differs between file systems: sort what was found. */
        if (out->n - first > 1)
            qsort(out->items + first, out->n - first, sizeof(kc_bundle), cmp_bundle);
        rc = 1;
    }
done:
    kc_rootfs_ref_free(&ref);
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
        free(b->items[i].executable);
        free(b->items[i].archs);
        free(b->items[i].exe_error);
    }
    free(b->items);
    memset(b, 0, sizeof(*b));
}
