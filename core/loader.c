/* Finding, opening and registering vendor plugins. */
#include "kc.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PLUGIN_SUFFIX ".so"

static int add_refusal_list(kc_registry *reg, const char *source, const kc_strv *problems)
{
    kc_refusal *r = realloc(reg->refused, (reg->n_refused + 1) * sizeof(*r));
    kc_refusal *x;
    size_t len = 1;

    if (r == NULL)
        return -1;
    reg->refused = r;
    x = &r[reg->n_refused];
    memset(x, 0, sizeof(*x));
    for (size_t i = 0; i < problems->n; i++)
        len += strlen(problems->v[i]) + 2;
    x->source = kc_strdup(source);
    x->reason = malloc(len);
    if (x->source == NULL || x->reason == NULL)
        goto oom;
    x->reason[0] = '\0';
    for (size_t i = 0; i < problems->n; i++) {
        if (i)
            strcat(x->reason, "; ");
        strcat(x->reason, problems->v[i]);
        if (kc_strv_push(&x->problems, problems->v[i]) != 0)
            goto oom;
    }
    reg->n_refused++;
    return 0;
oom:
    free(x->source);
    free(x->reason);
    kc_strv_free(&x->problems);
    return -1;
}

static int add_refusal(kc_registry *reg, const char *source, const char *reason)
{
    kc_strv one = {0};
    int rc = kc_strv_push(&one, reason) == 0 ? add_refusal_list(reg, source, &one) : -1;

    kc_strv_free(&one);
    return rc;
}

/* A plugin may not repeat another's name, team or bundle IDs. */
static int clash(const kc_registry *reg, const kc_vendor *v, char *why, size_t whylen)
{
    for (size_t i = 0; i < reg->n_vendors; i++) {
        const kc_vendor *o = &reg->vendors[i];
        if (strcmp(o->name, v->name) == 0) {
            kc_snprintf(why, whylen, "plugin \"%s\" is already loaded from %s", v->name,
                        o->source);
            return 1;
        }
        if (strcmp(o->team_id, v->team_id) == 0) {
            kc_snprintf(why, whylen, "team ID %s is already claimed by plugin \"%s\" (%s)",
                        v->team_id, o->name, o->source);
            return 1;
        }
        for (size_t k = 0; k < v->kexts.n + v->sysexts.n; k++) {
            const char *id = k < v->kexts.n ? v->kexts.v[k] : v->sysexts.v[k - v->kexts.n];
            if (kc_strv_contains(&o->kexts, id) || kc_strv_contains(&o->sysexts, id)) {
                kc_snprintf(why, whylen,
                            "bundle ID %s is already claimed by plugin \"%s\" (%s)", id,
                            o->name, o->source);
                return 1;
            }
        }
    }
    return 0;
}

int kc_registry_add(kc_registry *reg, const struct kc_plugin *desc,
                    const char *expected_name, const char *source)
{
    char why[1024];
    kc_strv problems = {0};
    kc_vendor v;
    kc_vendor *grown;
    int rc;

    memset(&v, 0, sizeof(v));
    if (kc_plugin_problems(desc, expected_name, &v, &problems) != 0) {
        rc = add_refusal_list(reg, source, &problems) == 0 ? 1 : -1;
        kc_strv_free(&problems);
        return rc;
    }
    if (clash(reg, &v, why, sizeof(why))) {
        kc_vendor_free(&v);
        return add_refusal(reg, source, why) == 0 ? 1 : -1;
    }
    v.source = kc_strdup(source);
    grown = realloc(reg->vendors, (reg->n_vendors + 1) * sizeof(*grown));
    if (v.source == NULL || grown == NULL) {
        if (grown != NULL)
            reg->vendors = grown;
        kc_vendor_free(&v);
        return -1;
    }
    reg->vendors = grown;
    reg->vendors[reg->n_vendors++] = v;
    return 0;
}

/* "kextcheck_plugin_" + name with '-' as '_'. */
static void entry_symbol(const char *name, char *buf, size_t len)
{
    size_t o;

    kc_snprintf(buf, len, "%s%s", KC_PLUGIN_ENTRY_PREFIX, name);
    for (o = strlen(KC_PLUGIN_ENTRY_PREFIX); buf[o] != '\0'; o++)
        if (buf[o] == '-')
            buf[o] = '_';
}

/* The file name without folder and ".so", or NULL when it does not end so. */
static char *plugin_stem(const char *path)
{
    const char *base = strrchr(path, '/');
    size_t n, sl = strlen(PLUGIN_SUFFIX);

    base = base ? base + 1 : path;
    n = strlen(base);
    if (n <= sl || strcmp(base + n - sl, PLUGIN_SUFFIX) != 0)
        return NULL;
    return kc_asprintf("%.*s", (int)(n - sl), base);
}

/* The folder a plugin is loaded from: not writable by everyone, not sticky. */
static int check_dir(int dfd, const char *dir, bool unsafe, char *why, size_t whylen)
{
    struct stat st;

    if (fstat(dfd, &st) != 0) {
        kc_snprintf(why, whylen, "plugin directory: %s", strerror(errno));
        return -1;
    }
    if (unsafe)
        return 0;
    if (st.st_mode & S_IWOTH) {
        kc_snprintf(why, whylen,
                    "plugin directory is world-writable, so anyone could plant code that "
                    "runs as root: run 'chmod o-w %s' (or --allow-unsafe-plugins while "
                    "developing)", dir);
        return -1;
    }
    if (st.st_mode & S_ISVTX) {
        kc_snprintf(why, whylen,
                    "plugin directory has the sticky bit (a shared folder such as /tmp): "
                    "keep plugins in a folder of their own (or --allow-unsafe-plugins while "
                    "developing)");
        return -1;
    }
    return 0;
}

/* The plugin file itself, as opened: regular, owned by root or the running
 * user, writable by nobody else. */
static int check_file(const struct stat *st, const char *path, bool unsafe, char *why,
                      size_t whylen)
{
    uid_t me = geteuid();

    if (!S_ISREG(st->st_mode)) {
        kc_snprintf(why, whylen, "not a regular file");
        return -1;
    }
    if (unsafe)
        return 0;
    if (st->st_uid != 0 && st->st_uid != me) {
        kc_snprintf(why, whylen,
                    "owned by uid %lu, which is neither root nor the running user (uid %lu): "
                    "run 'chown root %s' if you trust it",
                    (unsigned long)st->st_uid, (unsigned long)me, path);
        return -1;
    }
    if (st->st_mode & (S_IWGRP | S_IWOTH)) {
        kc_snprintf(why, whylen,
                    "%s-writable, so others could change code that runs as root: run "
                    "'chmod go-w %s'",
                    (st->st_mode & S_IWOTH) ? "world" : "group", path);
        return -1;
    }
    return 0;
}

/* Opens name inside the checked folder dfd and loads it. */
static int load_at(kc_registry *reg, int dfd, const char *name, const char *path)
{
    char why[1024], sym[128], fdpath[64];
    char *stem = NULL;
    void *handle = NULL;
    int fd = -1, rc = 1;
    struct stat st;
    kc_plugin_entry_fn entry;
    const char *dlpath = path;

    why[0] = '\0';
    stem = plugin_stem(name);
    if (stem == NULL) {
        kc_snprintf(why, sizeof(why), "plugin file names end in \"%s\"", PLUGIN_SUFFIX);
        goto done;
    }
    fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        kc_snprintf(why, sizeof(why), "%s",
                    errno == ELOOP ? "is a symbolic link (plugins must be regular files: "
                                     "copy the file instead of linking it)"
                                   : strerror(errno));
        goto done;
    }
    if (fstat(fd, &st) != 0) {
        kc_snprintf(why, sizeof(why), "%s", strerror(errno));
        goto done;
    }
    if (check_file(&st, path, reg->allow_unsafe, why, sizeof(why)) != 0)
        goto done;
    /* Load the very file that was checked, not whatever the path names now. */
    if (kc_snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", fd) == 0 &&
        access(fdpath, F_OK) == 0)
        dlpath = fdpath;
    dlerror();
    handle = dlopen(dlpath, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *e = dlerror();
        kc_snprintf(why, sizeof(why), "cannot be loaded as a shared object: %s",
                    e ? e : "unknown error");
        goto done;
    }
    if (dlpath == path) {
        struct stat again;
        if (fstatat(dfd, name, &again, AT_SYMLINK_NOFOLLOW) != 0 ||
            again.st_dev != st.st_dev || again.st_ino != st.st_ino) {
            kc_snprintf(why, sizeof(why), "the file changed while it was being loaded");
            goto done;
        }
    }
    entry_symbol(stem, sym, sizeof(sym));
    dlerror();
    *(void **)(&entry) = dlsym(handle, sym);
    if (entry == NULL) {
        kc_snprintf(why, sizeof(why),
                    "no entry function %s (a plugin named \"%s\" exports it through "
                    "KC_PLUGIN_DEFINE)", sym, stem);
        goto done;
    }
    rc = kc_registry_add(reg, entry(KC_PLUGIN_ABI_VERSION), stem, path);
    if (rc == 0) {
        void **h = realloc(reg->handles, (reg->n_handles + 1) * sizeof(*h));
        int *fds;
        if (h != NULL)
            reg->handles = h;
        fds = h ? realloc(reg->fds, (reg->n_handles + 1) * sizeof(*fds)) : NULL;
        if (fds == NULL) {
            rc = -1;
            goto done;
        }
        reg->fds = fds;
        reg->handles[reg->n_handles] = handle;
        reg->fds[reg->n_handles++] = fd;
        handle = NULL;
        fd = -1;
    }
done:
    if (why[0] != '\0' && add_refusal(reg, path, why) != 0)
        rc = -1;
    if (handle != NULL)
        dlclose(handle);
    if (fd >= 0)
        close(fd);
    free(stem);
    return rc;
}

int kc_registry_load_file(kc_registry *reg, const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? kc_asprintf("%.*s", (int)(slash - path), path) : kc_strdup(".");
    char why[1024];
    int dfd = -1, rc = -1;

    if (dir == NULL)
        return -1;
    if (dir[0] == '\0') {
        free(dir);
        dir = kc_strdup("/");
        if (dir == NULL)
            return -1;
    }
    dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        kc_snprintf(why, sizeof(why), "plugin directory %s: %s", dir, strerror(errno));
        rc = add_refusal(reg, path, why) == 0 ? 1 : -1;
    } else if (check_dir(dfd, dir, reg->allow_unsafe, why, sizeof(why)) != 0) {
        rc = add_refusal(reg, path, why) == 0 ? 1 : -1;
    } else {
        rc = load_at(reg, dfd, slash ? slash + 1 : path, path);
    }
    if (dfd >= 0)
        close(dfd);
    free(dir);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool wanted(const char *name, const kc_strv *enable, const kc_strv *disable)
{
    if (enable->n > 0 && !kc_strv_contains(enable, name))
        return false;
    return !kc_strv_contains(disable, name);
}

static int load_dir(kc_registry *reg, const char *dir, const kc_strv *enable,
                    const kc_strv *disable)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = NULL;
    struct dirent *de;
    kc_strv files = {0};
    char why[1024];
    int rc = -1;

    if (dfd < 0) {
        kc_snprintf(why, sizeof(why), "plugin directory: %s", strerror(errno));
        return add_refusal(reg, dir, why);
    }
    if (check_dir(dfd, dir, reg->allow_unsafe, why, sizeof(why)) != 0) {
        close(dfd);
        return add_refusal(reg, dir, why);
    }
    d = fdopendir(dfd);
    if (d == NULL) {
        close(dfd);
        kc_snprintf(why, sizeof(why), "plugin directory: %s", strerror(errno));
        return add_refusal(reg, dir, why);
    }
    while ((de = readdir(d)) != NULL) {
        char *stem = plugin_stem(de->d_name);
        bool take = stem != NULL && de->d_name[0] != '.' && wanted(stem, enable, disable);
        free(stem);
        if (take && kc_strv_push(&files, de->d_name) != 0)
            goto done;
    }
    if (files.n > 1)
        qsort(files.v, files.n, sizeof(char *), cmp_str);
    for (size_t i = 0; i < files.n; i++) {
        char *path = kc_asprintf("%s%s%s", dir,
                                 dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", files.v[i]);
        int r;
        if (path == NULL)
            goto done;
        r = load_at(reg, dirfd(d), files.v[i], path);
        free(path);
        if (r < 0)
            goto done;
    }
    rc = 0;
done:
    kc_strv_free(&files);
    closedir(d);
    return rc;
}

int kc_registry_load(kc_registry *reg, const kc_strv *dirs, const kc_strv *enable,
                     const kc_strv *disable)
{
    for (size_t i = 0; i < kc_builtin_plugin_count; i++) {
        const kc_builtin_plugin *b = &kc_builtin_plugins[i];
        char source[96];
        if (!wanted(b->name, enable, disable))
            continue;
        kc_snprintf(source, sizeof(source), "built-in:%s", b->name);
        if (kc_registry_add(reg, b->entry(KC_PLUGIN_ABI_VERSION), b->name, source) < 0)
            return -1;
    }
    for (size_t i = 0; i < dirs->n; i++)
        if (load_dir(reg, dirs->v[i], enable, disable) != 0)
            return -1;
    return 0;
}

void kc_registry_free(kc_registry *reg)
{
    for (size_t i = 0; i < reg->n_vendors; i++)
        kc_vendor_free(&reg->vendors[i]);
    free(reg->vendors);
    for (size_t i = 0; i < reg->n_refused; i++) {
        free(reg->refused[i].source);
        free(reg->refused[i].reason);
        kc_strv_free(&reg->refused[i].problems);
    }
    free(reg->refused);
    for (size_t i = 0; i < reg->n_handles; i++) {
        dlclose(reg->handles[i]);
        close(reg->fds[i]);
    }
    free(reg->handles);
    free(reg->fds);
    memset(reg, 0, sizeof(*reg));
}
