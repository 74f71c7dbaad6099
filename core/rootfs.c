/*
 * The inspected Mac's files, seen from its root folder.
 *
 * Every file kextcheck reads from the Mac (the approval database, plists,
 * kext bundles, captured outputs) is reached through here, so one rule holds
 * for all of them:
 *  - symbolic links inside the root are followed the way the Mac follows
 *    them: a relative target from the link's folder, an absolute target from
 *    the root (on every Mac /var, /etc and /tmp are links into /private, and
 *    a snapshot made with tar keeps them);
 *  - a link whose target climbs above the root ("../../..") is refused, so
 *    nothing outside the root is ever read;
 *  - each folder on the way is opened relative to the one before with
 *    O_NOFOLLOW, so a folder swapped for a link while kextcheck runs is
 *    refused instead of followed.
 */
#include "kc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_LINKS 40   /* as Linux's MAXSYMLINKS */
#define MAX_DEPTH 128  /* folders below the root */

/* Folders on the way are opened only to look up names in them, which needs
 * search (x) permission, not read permission. */
#if defined(O_PATH)
#define SEARCH_FLAGS (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#elif defined(O_SEARCH)
#define SEARCH_FLAGS (O_SEARCH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#else
#define SEARCH_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
#endif

int kc_rootfs_open(kc_rootfs *fs, const char *root, char *why, size_t whylen)
{
    char real[PATH_MAX];
    struct stat st;

    memset(fs, 0, sizeof(*fs));
    fs->fd = -1;
    if (realpath(root, real) == NULL) {
        kc_snprintf(why, whylen, "%s", strerror(errno));
        return -1;
    }
    fs->fd = open(real, SEARCH_FLAGS);
    if (fs->fd < 0) {
        kc_snprintf(why, whylen, "%s", strerror(errno));
        return -1;
    }
    if (fstat(fs->fd, &st) != 0 || !S_ISDIR(st.st_mode)) {
        kc_snprintf(why, whylen, "not a folder (--root names the Mac's root or a snapshot "
                                 "folder)");
        goto fail;
    }
    fs->real = kc_strdup(real);
    if (fs->real == NULL) {
        kc_snprintf(why, whylen, "out of memory");
        goto fail;
    }
    return 0;
fail:
    close(fs->fd);
    fs->fd = -1;
    return -1;
}

void kc_rootfs_close(kc_rootfs *fs)
{
    if (fs->fd >= 0)
        close(fs->fd);
    free(fs->real);
    memset(fs, 0, sizeof(*fs));
    fs->fd = -1;
}

/* The walk's state: the folders opened so far (fds[0] is a copy of the
 * root's descriptor) and their names, and what is left of the path. */
typedef struct walk {
    int fds[MAX_DEPTH + 1];
    char *names[MAX_DEPTH + 1]; /* names[i] is the name of fds[i], i >= 1 */
    size_t depth;               /* fds[depth] is the current folder */
    char *rest;                 /* what remains to resolve (owned) */
    size_t links;
} walk;

static void walk_pop(walk *w)
{
    if (w->fds[w->depth] >= 0)
        close(w->fds[w->depth]);
    free(w->names[w->depth]);
    w->names[w->depth] = NULL;
    w->depth--;
}

static void walk_free(walk *w)
{
    while (w->depth > 0)
        walk_pop(w);
    if (w->fds[0] >= 0)
        close(w->fds[0]);
    free(w->rest);
}

/* Takes the next component of w->rest into name (NUL-terminated, at most
 * NAME_MAX bytes); returns 1, 0 when nothing is left, -1 when too long. */
static int next_component(walk *w, char *name, size_t size, bool *last)
{
    char *p = w->rest, *slash;
    size_t n;

    while (*p == '/')
        p++;
    if (*p == '\0')
        return 0;
    slash = strchr(p, '/');
    n = slash ? (size_t)(slash - p) : strlen(p);
    if (n >= size)
        return -1;
    memcpy(name, p, n);
    name[n] = '\0';
    p += n;
    while (*p == '/')
        p++;
    memmove(w->rest, p, strlen(p) + 1);
    *last = w->rest[0] == '\0';
    return 1;
}

/* Replaces the component just taken by the link's target. */
static int splice_link(walk *w, const char *target)
{
    char *joined = kc_asprintf("%s/%s", target, w->rest);

    if (joined == NULL)
        return -1;
    free(w->rest);
    w->rest = joined;
    if (target[0] == '/')
        while (w->depth > 0)
            walk_pop(w);
    return 0;
}

int kc_rootfs_resolve(const kc_rootfs *fs, const char *mac_path, bool follow_last,
                      kc_rootfs_ref *ref)
{
    walk w;
    char name[NAME_MAX + 1];
    int err = 0;

    memset(ref, 0, sizeof(*ref));
    ref->dirfd = -1;
    memset(&w, 0, sizeof(w));
    w.fds[0] = -1;
    if (fs->fd < 0 || mac_path == NULL || mac_path[0] != '/')
        return EINVAL;
    w.fds[0] = fcntl(fs->fd, F_DUPFD_CLOEXEC, 0);
    w.rest = kc_strdup(mac_path);
    if (w.fds[0] < 0 || w.rest == NULL) {
        err = w.fds[0] < 0 ? errno : ENOMEM;
        goto done;
    }
    for (;;) {
        struct stat st;
        bool last = false;
        int r = next_component(&w, name, sizeof(name), &last);
        if (r < 0) {
            err = ENAMETOOLONG;
            goto done;
        }
        if (r == 0) {
            /* The path names a folder already open (the root, or after
             * "x/.."): refer to it as "." in itself. */
            kc_snprintf(name, sizeof(name), ".");
            break;
        }
        if (strcmp(name, ".") == 0) {
            if (last) {
                kc_snprintf(name, sizeof(name), ".");
                break;
            }
            continue;
        }
        if (strcmp(name, "..") == 0) {
            if (w.depth == 0) {
                err = EXDEV;
                goto done;
            }
            walk_pop(&w);
            if (last) {
                kc_snprintf(name, sizeof(name), ".");
                break;
            }
            continue;
        }
        if (fstatat(w.fds[w.depth], name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            err = errno;
            goto done;
        }
        if (S_ISLNK(st.st_mode) && (!last || follow_last)) {
            char target[PATH_MAX];
            ssize_t n;
            if (++w.links > MAX_LINKS) {
                err = ELOOP;
                goto done;
            }
            n = readlinkat(w.fds[w.depth], name, target, sizeof(target) - 1);
            if (n < 0) {
                err = errno;
                goto done;
            }
            if (n == 0) {
                err = ENOENT;
                goto done;
            }
            target[n] = '\0';
            if (splice_link(&w, target) != 0) {
                err = ENOMEM;
                goto done;
            }
            continue;
        }
        if (last)
            break;
        if (!S_ISDIR(st.st_mode)) {
            err = ENOTDIR;
            goto done;
        }
        if (w.depth == MAX_DEPTH) {
            err = ENAMETOOLONG;
            goto done;
        }
        w.fds[w.depth + 1] = openat(w.fds[w.depth], name, SEARCH_FLAGS);
        if (w.fds[w.depth + 1] < 0) {
            err = errno;
            goto done;
        }
        w.names[w.depth + 1] = kc_strdup(name);
        w.depth++;
        if (w.names[w.depth] == NULL) {
            err = ENOMEM;
            goto done;
        }
    }
    /* Found: hand over the current folder and the last name, and spell the
     * path on this machine (no link left in it). */
    {
        size_t len = strlen(fs->real) + strlen(name) + 2;
        char *p;
        for (size_t i = 1; i <= w.depth; i++)
            len += strlen(w.names[i]) + 1;
        ref->host_path = malloc(len);
        ref->name = kc_strdup(name);
        if (ref->host_path == NULL || ref->name == NULL) {
            err = ENOMEM;
            goto done;
        }
        p = ref->host_path;
        p += sprintf(p, "%s", strcmp(fs->real, "/") == 0 ? "" : fs->real);
        for (size_t i = 1; i <= w.depth; i++)
            p += sprintf(p, "/%s", w.names[i]);
        if (strcmp(name, ".") != 0)
            sprintf(p, "/%s", name);
        else if (p == ref->host_path)
            sprintf(p, "/");
        ref->dirfd = w.fds[w.depth];
        w.fds[w.depth] = -1;
    }
done:
    if (err != 0)
        kc_rootfs_ref_free(ref);
    walk_free(&w); /* the folder handed over is -1 in the stack */
    return err;
}

void kc_rootfs_ref_free(kc_rootfs_ref *ref)
{
    if (ref->dirfd >= 0)
        close(ref->dirfd);
    free(ref->name);
    free(ref->host_path);
    memset(ref, 0, sizeof(*ref));
    ref->dirfd = -1;
}

const char *kc_rootfs_strerror(int err)
{
    switch (err) {
    case EXDEV:
        return "a symbolic link on the way leads out of the inspected root";
    case ELOOP:
        return "too many symbolic links on the way";
    default:
        return strerror(err);
    }
}

int kc_rootfs_stat(const kc_rootfs *fs, const char *mac_path, struct stat *st)
{
    kc_rootfs_ref ref;
    int err = kc_rootfs_resolve(fs, mac_path, true, &ref);

    if (err != 0)
        return err;
    if (fstatat(ref.dirfd, ref.name, st, AT_SYMLINK_NOFOLLOW) != 0)
        err = errno;
    kc_rootfs_ref_free(&ref);
    return err;
}

int kc_rootfs_open_dir(const kc_rootfs *fs, const char *mac_path, int *fd)
{
    kc_rootfs_ref ref;
    int err = kc_rootfs_resolve(fs, mac_path, true, &ref);

    *fd = -1;
    if (err != 0)
        return err;
    *fd = openat(ref.dirfd, ref.name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (*fd < 0)
        err = errno;
    kc_rootfs_ref_free(&ref);
    return err;
}

/* Opens the regular file name in dirfd for reading, looking before
 * opening (a FIFO would block, a device could have side effects). */
static int open_regular_at(int dirfd, const char *name, struct stat *st, char *why,
                           size_t whylen)
{
    struct stat before;
    int fd;

    if (fstatat(dirfd, name, &before, AT_SYMLINK_NOFOLLOW) != 0) {
        kc_snprintf(why, whylen, "%s", strerror(errno));
        return -1;
    }
    if (S_ISLNK(before.st_mode)) {
        kc_snprintf(why, whylen, "is a symbolic link");
        return -1;
    }
    if (!S_ISREG(before.st_mode)) {
        kc_snprintf(why, whylen, "not a regular file");
        return -1;
    }
    fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        kc_snprintf(why, whylen, "%s", errno == ELOOP ? "is a symbolic link" : strerror(errno));
        return -1;
    }
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) || st->st_dev != before.st_dev ||
        st->st_ino != before.st_ino) {
        kc_snprintf(why, whylen, "not a regular file (it changed while being opened)");
        close(fd);
        return -1;
    }
    return fd;
}

int kc_read_head_at(int dirfd, const char *name, size_t max, char **data, size_t *len,
                    uint64_t *size, char *why, size_t whylen)
{
    struct stat st;
    char *buf = NULL;
    size_t want, got = 0;
    int fd, rc = -1;

    *data = NULL;
    *len = 0;
    *size = 0;
    fd = open_regular_at(dirfd, name, &st, why, whylen);
    if (fd < 0)
        return -1;
    want = (uintmax_t)st.st_size < (uintmax_t)max ? (size_t)st.st_size : max;
    buf = malloc(want + 1);
    if (buf == NULL) {
        kc_snprintf(why, whylen, "out of memory");
        goto done;
    }
    while (got < want) {
        ssize_t r = read(fd, buf + got, want - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            kc_snprintf(why, whylen, "%s", strerror(errno));
            goto done;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    buf[got] = '\0';
    *data = buf;
    *len = got;
    *size = (uint64_t)st.st_size;
    buf = NULL;
    rc = 0;
done:
    free(buf);
    close(fd);
    return rc;
}

int kc_read_file_at(int dirfd, const char *name, size_t max, char **data, size_t *len,
                    char *why, size_t whylen)
{
    struct stat st;
    uint64_t size;
    int rc;

    /* Size first: a file over the limit is refused, not cut. */
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
        (uintmax_t)st.st_size > (uintmax_t)max) {
        *data = NULL;
        *len = 0;
        kc_snprintf(why, whylen, "larger than %zu bytes", max);
        return -1;
    }
    rc = kc_read_head_at(dirfd, name, max, data, len, &size, why, whylen);
    if (rc == 0 && size > (uint64_t)max) {
        /* It grew between the look and the read. */
        free(*data);
        *data = NULL;
        *len = 0;
        kc_snprintf(why, whylen, "larger than %zu bytes", max);
        return -1;
    }
    return rc;
}

int kc_rootfs_read(const kc_rootfs *fs, const char *mac_path, size_t max, char **data,
                   size_t *len, char *why, size_t whylen)
{
    kc_rootfs_ref ref;
    int err = kc_rootfs_resolve(fs, mac_path, true, &ref), rc;

    *data = NULL;
    *len = 0;
    if (err != 0) {
        kc_snprintf(why, whylen, "%s", kc_rootfs_strerror(err));
        return err == ENOENT || err == ENOTDIR ? 0 : -1;
    }
    rc = kc_read_file_at(ref.dirfd, ref.name, max, data, len, why, whylen);
    kc_rootfs_ref_free(&ref);
    return rc == 0 ? 1 : -1;
}
