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

static int add_refusal(kc_registry *reg, const char *source, const char *reason)
{
    kc_refusal *r = realloc(reg->refused, (reg->n_refused + 1) * sizeof(*r));

    if (r == NULL)
        return -1;
    reg->refused = r;
    r[reg->n_refused].source = kc_strdup(source);
    r[reg->n_refused].reason = kc_strdup(reason);
    if (r[reg->n_refused].source == NULL || r[reg->n_refused].reason == NULL) {
        free(r[reg->n_refused].source);
        free(r[reg->n_refused].reason);
        return -1;
    }
    reg->n_refused++;
    return 0;
}

int kc_registry_add(kc_registry *reg, const struct kc_plugin *desc,
                    const char *expected_name, const char *source)
{
    char why[1024];
    kc_vendor v;
    kc_vendor *grown;

    if (kc_plugin_validate(desc, expected_name, &v, why, sizeof(why)) != 0)
        return add_refusal(reg, source, why) == 0 ? 1 : -1;
    for (size_t i = 0; i < reg->n_vendors; i++) {
        const kc_vendor *o = &reg->vendors[i];
        if (strcmp(o->name, v.name) == 0)
            kc_snprintf(why, sizeof(why), "plugin \"%s\" is already loaded from %s",
                        v.name, o->source);
        else if (strcmp(o->team_id, v.team_id) == 0)
            kc_snprintf(why, sizeof(why),
                        "team ID %s is already claimed by plugin \"%s\" (%s)",
                        v.team_id, o->name, o->source);
        else
            continue;
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

int kc_registry_load_file(kc_registry *reg, const char *path)
{
    char why[1024], sym[128], fdpath[64];
    char *stem = NULL;
    void *handle = NULL;
    int fd = -1, rc = 1;
    struct stat st;
    kc_plugin_entry_fn entry;
    const char *dlpath = path;

    why[0] = '\0';
    stem = plugin_stem(path);
    if (stem == NULL) {
        kc_snprintf(why, sizeof(why), "plugin file names end in \"%s\"", PLUGIN_SUFFIX);
        goto done;
    }
    if (strchr(path, '/') == NULL) {
        kc_snprintf(why, sizeof(why), "give the plugin as a path (for example ./%s)", path);
        goto done;
    }
    fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        kc_snprintf(why, sizeof(why), "%s",
                    errno == ELOOP ? "is a symbolic link (plugins must be regular files)"
                                   : strerror(errno));
        goto done;
    }
    if (fstat(fd, &st) != 0) {
        kc_snprintf(why, sizeof(why), "%s", strerror(errno));
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        kc_snprintf(why, sizeof(why), "not a regular file");
        goto done;
    }
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
        if (stat(path, &again) != 0 || again.st_dev != st.st_dev ||
            again.st_ino != st.st_ino) {
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
    why[0] = '\0';
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
    DIR *d = opendir(dir);
    struct dirent *de;
    kc_strv files = {0};
    int rc = -1;

    if (d == NULL) {
        char why[256];
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
        char *path = kc_asprintf("%s/%s", dir, files.v[i]);
        int r;
        if (path == NULL)
            goto done;
        r = kc_registry_load_file(reg, path);
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
