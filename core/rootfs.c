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
#include "i18n.h"
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

/* ---- what the run has learnt about the names in the root ---------------- */

/* Each name looked up on the way to a path, by its spelling from the root
 * with no link in it ("/Library/StagedExtensions"): a folder, a link and its
 * target, something else, or absent.  A run looks up dozens of paths under
 * the same few folders (every plugin's install and staged paths, every
 * capture and its ".error"), so each name then costs one look per run
 * instead of one per path, and the first CACHE_FDS folders are kept open
 * as starting points.  A run sees one view of the root: a name that
 * appears or goes away while it runs is seen as at its first look, as by
 * a run started a moment earlier.  Nothing is followed that a fresh walk
 * would not follow: a kept folder was opened with O_NOFOLLOW like any
 * other, and names inside it are looked up with the same rule. */
#define CACHE_MAX 8192 /* names remembered; later ones are looked up each time */
#define CACHE_FDS 32   /* folders kept open (so any descriptor limit leaves room) */

typedef enum name_kind { NK_DIR, NK_LINK, NK_OTHER, NK_MISSING } name_kind;

typedef struct name_entry {
    char *key;      /* NULL: a free slot */
    name_kind kind;
    int fd;         /* NK_DIR: the folder kept open, or -1 */
    int err;        /* NK_MISSING: what the look said (ENOENT, ENOTDIR) */
    char *target;   /* NK_LINK */
} name_entry;

struct kc_rootfs_cache {
    name_entry *slots;
    size_t cap; /* 0 or a power of two */
    size_t n;
    size_t fds; /* folders kept open */
};

static uint64_t name_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */

    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    return h;
}

/* The slot of key: its entry, or the free slot where it would go (NULL
 * when there is no table yet). */
static name_entry *cache_slot(const struct kc_rootfs_cache *c, const char *key)
{
    size_t i;

    if (c == NULL || c->cap == 0)
        return NULL;
    for (i = (size_t)name_hash(key) & (c->cap - 1);; i = (i + 1) & (c->cap - 1))
        if (c->slots[i].key == NULL || strcmp(c->slots[i].key, key) == 0)
            return &c->slots[i];
}

static name_entry *cache_find(const struct kc_rootfs_cache *c, const char *key)
{
    name_entry *e = cache_slot(c, key);

    return e != NULL && e->key != NULL ? e : NULL;
}

/* Remembers *e under key (taking e->target); the entry in the table, or
 * e itself when the table is full or cannot grow (then nothing is
 * remembered and the caller frees e->target). */
static name_entry *cache_put(struct kc_rootfs_cache *c, const char *key, name_entry *e)
{
    name_entry *slot;

    if (c == NULL || c->n >= CACHE_MAX)
        return e;
    if ((c->n + 1) * 2 > c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        name_entry *grown = calloc(cap, sizeof(*grown));
        struct kc_rootfs_cache bigger = {grown, cap, 0, c->fds};
        if (grown == NULL)
            return e;
        for (size_t i = 0; i < c->cap; i++)
            if (c->slots[i].key != NULL) {
                *cache_slot(&bigger, c->slots[i].key) = c->slots[i];
                bigger.n++;
            }
        free(c->slots);
        *c = bigger;
    }
    slot = cache_slot(c, key);
    slot->key = kc_strdup(key);
    if (slot->key == NULL)
        return e;
    slot->kind = e->kind;
    slot->fd = e->fd;
    slot->err = e->err;
    slot->target = e->target;
    e->target = NULL;
    c->n++;
    return slot;
}

static void cache_free(struct kc_rootfs_cache *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->cap; i++) {
        if (c->slots[i].key == NULL)
            continue;
        if (c->slots[i].fd >= 0)
            close(c->slots[i].fd);
        free(c->slots[i].key);
        free(c->slots[i].target);
    }
    free(c->slots);
    free(c);
}

/* ---- the root --------------------------------------------------------------- */

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
        kc_snprintf(why, whylen, "%s",
                    _("not a folder (--root names the Mac's root or a snapshot folder)"));
        goto fail;
    }
    fs->real = kc_strdup(real);
    if (fs->real == NULL) {
        kc_snprintf(why, whylen, "%s", _("out of memory"));
        goto fail;
    }
    /* Without it every path is looked up name by name, as it would be. */
    fs->cache = calloc(1, sizeof(*fs->cache));
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
    cache_free(fs->cache);
    memset(fs, 0, sizeof(*fs));
    fs->fd = -1;
}

/* The walk's state: the folders opened so far (fds[0] is the root's
 * descriptor) and their names, and what is left of the path.  A folder
 * the cache (or the root) holds is borrowed, not owned, and stays open. */
typedef struct walk {
    int fds[MAX_DEPTH + 1];
    bool owned[MAX_DEPTH + 1];
    char *names[MAX_DEPTH + 1]; /* names[i] is the name of fds[i], i >= 1 */
    size_t depth;               /* fds[depth] is the current folder */
    char *rest;                 /* what remains to resolve (owned) */
    size_t links;
} walk;

static void walk_pop(walk *w)
{
    if (w->owned[w->depth] && w->fds[w->depth] >= 0)
        close(w->fds[w->depth]);
    free(w->names[w->depth]);
    w->names[w->depth] = NULL;
    w->depth--;
}

static void walk_free(walk *w)
{
    while (w->depth > 0)
        walk_pop(w);
    free(w->rest);
}

/* "/name1/name2/.../name": the spelling from the root, without links, of
 * name in the current folder (the cache's key). */
static char *walk_key(const walk *w, const char *name)
{
    size_t len = strlen(name) + 2, o = 0;
    char *key;

    for (size_t i = 1; i <= w->depth; i++)
        len += strlen(w->names[i]) + 1;
    key = malloc(len);
    if (key == NULL)
        return NULL;
    for (size_t i = 1; i <= w->depth; i++)
        o += (size_t)sprintf(key + o, "/%s", w->names[i]);
    sprintf(key + o, "/%s", name);
    return key;
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

/* What name in the current folder is, looked at now (with_open: it is not
 * the last component, so a folder is opened at once, into e->fd).  0, or
 * an errno value; a name that is absent is an entry NK_MISSING, not an
 * error. */
static int look(const walk *w, const char *name, bool with_open, name_entry *e)
{
    int dfd = w->fds[w->depth];
    struct stat st;

    memset(e, 0, sizeof(*e));
    e->fd = -1;
    if (with_open) {
        /* Most names on the way are folders: one call finds and opens them
         * (O_NOFOLLOW|O_DIRECTORY refuses a link, which is looked at below). */
        e->fd = openat(dfd, name, SEARCH_FLAGS);
        if (e->fd >= 0) {
            e->kind = NK_DIR;
            return 0;
        }
        if (errno == ENOENT) {
            e->kind = NK_MISSING;
            e->err = ENOENT;
            return 0;
        }
    }
    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno != ENOENT && errno != ENOTDIR)
            return errno;
        e->kind = NK_MISSING;
        e->err = errno;
        return 0;
    }
    if (S_ISLNK(st.st_mode)) {
        char target[PATH_MAX];
        ssize_t n = readlinkat(dfd, name, target, sizeof(target) - 1);
        if (n < 0)
            return errno;
        if (n == 0) {
            e->kind = NK_MISSING;
            e->err = ENOENT;
            return 0;
        }
        target[n] = '\0';
        e->kind = NK_LINK;
        e->target = kc_strdup(target);
        return e->target ? 0 : ENOMEM;
    }
    if (!S_ISDIR(st.st_mode)) {
        e->kind = NK_OTHER;
        return 0;
    }
    e->kind = NK_DIR;
    if (with_open) {
        /* A folder that openat refused a moment ago (or one swapped in
         * since): open it again to learn why, or to use it. */
        e->fd = openat(dfd, name, SEARCH_FLAGS);
        if (e->fd < 0)
            return errno;
    }
    return 0;
}

int kc_rootfs_resolve(const kc_rootfs *fs, const char *mac_path, bool follow_last,
                      kc_rootfs_ref *ref)
{
    struct kc_rootfs_cache *cache = fs->cache;
    walk w;
    char name[NAME_MAX + 1];
    int err = 0;

    memset(ref, 0, sizeof(*ref));
    ref->dirfd = -1;
    memset(&w, 0, sizeof(w));
    w.fds[0] = fs->fd; /* borrowed */
    if (fs->fd < 0 || mac_path == NULL || mac_path[0] != '/')
        return EINVAL;
    w.rest = kc_strdup(mac_path);
    if (w.rest == NULL) {
        err = ENOMEM;
        goto done;
    }
    for (;;) {
        bool last = false;
        name_entry fresh, *e;
        char *key;
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
        key = walk_key(&w, name);
        if (key == NULL) {
            err = ENOMEM;
            goto done;
        }
        e = cache_find(cache, key);
        if (e == NULL) {
            err = look(&w, name, !last, &fresh);
            if (err != 0) {
                free(key);
                goto done;
            }
            /* Only the first CACHE_FDS folders stay open with the cache. */
            if (fresh.fd >= 0 && (cache == NULL || cache->fds >= CACHE_FDS)) {
                e = &fresh;
            } else {
                e = cache_put(cache, key, &fresh);
                if (e != &fresh && e->fd >= 0)
                    cache->fds++;
            }
        } else if (e->kind == NK_DIR && e->fd < 0 && !last) {
            /* A folder seen as a last component before, needed open now. */
            err = look(&w, name, true, &fresh);
            if (err != 0) {
                free(key);
                goto done;
            }
            if (fresh.kind != NK_DIR || cache->fds >= CACHE_FDS) {
                e = &fresh; /* what it is now, for this walk */
            } else {
                e->fd = fresh.fd;
                cache->fds++;
            }
        }
        free(key);
        if (e->kind == NK_MISSING) {
            err = e->err;
            goto done;
        }
        if (e->kind == NK_LINK && (!last || follow_last)) {
            int s;
            if (++w.links > MAX_LINKS) {
                err = ELOOP;
            } else {
                s = splice_link(&w, e->target);
                err = s != 0 ? ENOMEM : 0;
            }
            if (e == &fresh)
                free(fresh.target);
            if (err != 0)
                goto done;
            continue;
        }
        if (e == &fresh)
            free(fresh.target);
        if (last) {
            if (e == &fresh && fresh.fd >= 0)
                close(fresh.fd);
            break;
        }
        if (e->kind != NK_DIR) {
            err = ENOTDIR;
            goto done;
        }
        if (w.depth == MAX_DEPTH) {
            if (e == &fresh)
                close(fresh.fd);
            err = ENAMETOOLONG;
            goto done;
        }
        w.fds[w.depth + 1] = e->fd;
        w.owned[w.depth + 1] = e == &fresh; /* the cache keeps its own */
        w.names[w.depth + 1] = kc_strdup(name);
        w.depth++;
        if (w.names[w.depth] == NULL) {
            err = ENOMEM;
            goto done;
        }
    }
    /* Found: hand over the current folder (a copy of a borrowed one) and
     * the last name, and spell the path on this machine (no link left in
     * it). */
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
        if (w.owned[w.depth]) {
            ref->dirfd = w.fds[w.depth];
            w.fds[w.depth] = -1;
        } else {
            ref->dirfd = fcntl(w.fds[w.depth], F_DUPFD_CLOEXEC, 0);
            if (ref->dirfd < 0) {
                err = errno;
                goto done;
            }
        }
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
        return _("too many symbolic links on the way");
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
        kc_snprintf(why, whylen, "%s", _("is a symbolic link"));
        return -1;
    }
    if (!S_ISREG(before.st_mode)) {
        kc_snprintf(why, whylen, "%s", _("not a regular file"));
        return -1;
    }
    fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        kc_snprintf(why, whylen, "%s", errno == ELOOP ? _("is a symbolic link") : strerror(errno));
        return -1;
    }
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) || st->st_dev != before.st_dev ||
        st->st_ino != before.st_ino) {
        kc_snprintf(why, whylen, "%s", _("not a regular file (it changed while being opened)"));
        close(fd);
        return -1;
    }
    return fd;
}

int kc_read_head_at(int dirfd, const char *name, size_t max, char **data, size_t *len,
                    uint64_t *size, char *why, size_t whylen)
{
    struct stat st;
    size_t want;
    int fd, rc;

    *data = NULL;
    *len = 0;
    *size = 0;
    fd = open_regular_at(dirfd, name, &st, why, whylen);
    if (fd < 0)
        return -1;
    want = (uintmax_t)st.st_size < (uintmax_t)max ? (size_t)st.st_size : max;
    rc = kc_read_fd(fd, want, data, len, why, whylen);
    if (rc == 0)
        *size = (uint64_t)st.st_size;
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
        kc_snprintf(why, whylen, _("larger than %zu bytes"), max);
        return -1;
    }
    rc = kc_read_head_at(dirfd, name, max, data, len, &size, why, whylen);
    if (rc == 0 && size > (uint64_t)max) {
        /* It grew between the look and the read. */
        free(*data);
        *data = NULL;
        *len = 0;
        kc_snprintf(why, whylen, _("larger than %zu bytes"), max);
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
