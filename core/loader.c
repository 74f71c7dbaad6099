/* Finding, opening and registering vendor plugins.
 *
 * Plugin code runs in this process (as root on a Mac), so loading is
 * careful about what it can control:
 *  - trust: the file and its folder must be owned by root or the running
 *    user and writable by nobody else; the checks are made on the opened
 *    descriptors, and on Linux the very file that was checked is loaded,
 *    through /proc/self/fd/N;
 *  - identity: a plugin never receives another object's handle.  The
 *    dynamic loader finds objects by the name they were opened under (and
 *    by their DT_SONAME), and a refused plugin may stay in memory (nodelete,
 *    TLS), so before each dlopen the name is checked to be free with
 *    RTLD_NOLOAD (another spelling of the same path is used when it is not),
 *    and the handle dlopen returns must not be one the loader already holds;
 *  - output: while plugin code runs, standard output is a pipe, so a plugin
 *    cannot write into the report; a plugin that wrote there is refused;
 *  - exit(): a plugin that calls exit() while it is loaded or unloaded
 *    ends kextcheck with exit status 3 and a message, never with its own
 *    status (an atexit guard, armed only around plugin code).
 * A crash or an endless loop cannot be caught in process: `kextcheck
 * plugins validate` runs each file in a child process (plugin_child.c).
 *
 * Descriptors are closed as soon as a plugin is loaded, so any number of
 * plugins load under any descriptor limit, and the duplicate checks use
 * hash tables, so loading is linear in the number of plugins. */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* dlinfo: which object a handle is */
#endif
#include "i18n.h"
#include "kc.h"

#include <dirent.h>
#include <dlfcn.h>
#if defined(__linux__)
#include <link.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PLUGIN_SUFFIX ".so"
/* Spellings of /proc/self/fd/N tried before a plugin is refused for want
 * of a free name (each taken one is held by an object still in memory). */
#define NAME_TRIES 16

/* ---- hash tables -------------------------------------------------------- */

/* Open addressing from a key to an index.  A key is a string (borrowed:
 * the registry owns it for as long as the table lives) or a pair of
 * integers (device and inode, or a handle's address). */
typedef struct tkey {
    const char *s; /* NULL for an integer key */
    uint64_t a, b;
} tkey;

typedef struct tslot {
    tkey key;
    size_t value;
    bool used;
} tslot;

typedef struct table {
    tslot *slots;
    size_t cap; /* 0 or a power of two */
    size_t n;
} table;

static uint64_t key_hash(const tkey *k)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */

    if (k->s != NULL) {
        for (const unsigned char *p = (const unsigned char *)k->s; *p; p++)
            h = (h ^ *p) * 1099511628211ull;
        return h;
    }
    for (int i = 0; i < 16; i++)
        h = (h ^ (((i < 8 ? k->a : k->b) >> (8 * (i % 8))) & 0xff)) * 1099511628211ull;
    return h;
}

static bool key_eq(const tkey *x, const tkey *y)
{
    if (x->s != NULL || y->s != NULL)
        return x->s != NULL && y->s != NULL && strcmp(x->s, y->s) == 0;
    return x->a == y->a && x->b == y->b;
}

static tslot *table_slot(const table *t, const tkey *k)
{
    size_t i;

    if (t->cap == 0)
        return NULL;
    for (i = (size_t)key_hash(k) & (t->cap - 1);; i = (i + 1) & (t->cap - 1))
        if (!t->slots[i].used || key_eq(&t->slots[i].key, k))
            return &t->slots[i];
}

static bool table_get(const table *t, const tkey *k, size_t *value)
{
    const tslot *s = table_slot(t, k);

    if (s == NULL || !s->used)
        return false;
    if (value != NULL)
        *value = s->value;
    return true;
}

/* Adds or replaces k.  0, or -1 on out-of-memory. */
static int table_put(table *t, const tkey *k, size_t value)
{
    tslot *s;

    if ((t->n + 1) * 2 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        table grown = {calloc(cap, sizeof(tslot)), cap, 0};
        if (grown.slots == NULL)
            return -1;
        for (size_t i = 0; i < t->cap; i++)
            if (t->slots[i].used) {
                *table_slot(&grown, &t->slots[i].key) = t->slots[i];
                grown.n++;
            }
        free(t->slots);
        *t = grown;
    }
    s = table_slot(t, k);
    if (!s->used)
        t->n++;
    s->key = *k;
    s->value = value;
    s->used = true;
    return 0;
}

static tkey str_key(const char *s)
{
    tkey k = {s, 0, 0};
    return k;
}

static tkey id_key(uint64_t a, uint64_t b)
{
    tkey k = {NULL, a, b};
    return k;
}

static tkey handle_key(const void *h)
{
    return id_key((uint64_t)(uintptr_t)h, 0);
}

/* What the registry knows beyond its public arrays. */
struct kc_loader_index {
    table names, teams, ids; /* claims of loaded vendors -> index in vendors */
    table files;             /* (dev, ino) of every plugin file read -> index in paths */
    table resident;          /* handles loaded, or refused but still in memory
                                -> index in paths */
    table dirs;              /* (dev, ino) of every folder read */
    kc_strv paths;           /* files read, in order */
    unsigned long serial;    /* spellings of /proc/self/fd/N used so far */
    int proc;                /* /proc/self/fd names files: 1, 0 not, -1 not known yet */
};

static int ensure_index(kc_registry *reg)
{
    if (reg->index == NULL) {
        reg->index = calloc(1, sizeof(*reg->index));
        if (reg->index != NULL)
            reg->index->proc = -1;
    }
    return reg->index ? 0 : -1;
}

static void index_free(struct kc_loader_index *ix)
{
    if (ix == NULL)
        return;
    free(ix->names.slots);
    free(ix->teams.slots);
    free(ix->ids.slots);
    free(ix->files.slots);
    free(ix->resident.slots);
    free(ix->dirs.slots);
    kc_strv_free(&ix->paths);
    free(ix);
}

/* ---- refusals and the registry ------------------------------------------ */

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

int kc_registry_refuse(kc_registry *reg, const char *source, const kc_strv *problems)
{
    return add_refusal_list(reg, source, problems);
}

/* A plugin may not repeat another's name, team or bundle IDs. */
static int clash(const kc_registry *reg, const kc_vendor *v, char *why, size_t whylen)
{
    const struct kc_loader_index *ix = reg->index;
    tkey k = str_key(v->name);
    size_t at;

    if (table_get(&ix->names, &k, &at)) {
        kc_snprintf(why, whylen, _("plugin \"%s\" is already loaded from %s"), v->name,
                    reg->vendors[at].source);
        return 1;
    }
    k = str_key(v->team_id);
    if (table_get(&ix->teams, &k, &at)) {
        const kc_vendor *o = &reg->vendors[at];
        kc_snprintf(why, whylen, _("team ID %s is already claimed by plugin \"%s\" (%s)"),
                    v->team_id, o->name, o->source);
        return 1;
    }
    for (size_t i = 0; i < v->kexts.n + v->sysexts.n; i++) {
        const char *id = i < v->kexts.n ? v->kexts.v[i] : v->sysexts.v[i - v->kexts.n];
        k = str_key(id);
        if (table_get(&ix->ids, &k, &at)) {
            const kc_vendor *o = &reg->vendors[at];
            kc_snprintf(why, whylen, _("bundle ID %s is already claimed by plugin \"%s\" (%s)"),
                        id, o->name, o->source);
            return 1;
        }
    }
    return 0;
}

/* Enters the claims of vendors[at] (its strings stay where they are when
 * the vendors array moves). */
static int index_vendor(kc_registry *reg, size_t at)
{
    struct kc_loader_index *ix = reg->index;
    const kc_vendor *v = &reg->vendors[at];
    tkey k = str_key(v->name);

    if (table_put(&ix->names, &k, at) != 0)
        return -1;
    k = str_key(v->team_id);
    if (table_put(&ix->teams, &k, at) != 0)
        return -1;
    for (size_t i = 0; i < v->kexts.n + v->sysexts.n; i++) {
        k = str_key(i < v->kexts.n ? v->kexts.v[i] : v->sysexts.v[i - v->kexts.n]);
        if (table_put(&ix->ids, &k, at) != 0)
            return -1;
    }
    return 0;
}

/* kc_registry_add, refusing with the problems in extra (the plugin's
 * behaviour while loading) and the descriptor's own when extra is not
 * empty. */
static int registry_add(kc_registry *reg, const struct kc_plugin *desc,
                        const char *expected_name, const char *source, const kc_strv *extra)
{
    char why[1024];
    kc_strv problems = {0};
    kc_vendor v;
    kc_vendor *grown;
    int rc = -1;

    memset(&v, 0, sizeof(v));
    if (ensure_index(reg) != 0)
        return -1;
    for (size_t i = 0; extra != NULL && i < extra->n; i++)
        if (kc_strv_push(&problems, extra->v[i]) != 0)
            goto done;
    if (kc_plugin_problems(desc, expected_name, &v, &problems) != 0 || problems.n > 0) {
        rc = add_refusal_list(reg, source, &problems) == 0 ? 1 : -1;
        goto done;
    }
    if (clash(reg, &v, why, sizeof(why))) {
        rc = add_refusal(reg, source, why) == 0 ? 1 : -1;
        goto done;
    }
    v.source = kc_strdup(source);
    if (v.source == NULL)
        goto done;
    grown = realloc(reg->vendors, (reg->n_vendors + 1) * sizeof(*grown));
    if (grown == NULL)
        goto done;
    reg->vendors = grown;
    reg->vendors[reg->n_vendors++] = v;
    memset(&v, 0, sizeof(v));
    rc = index_vendor(reg, reg->n_vendors - 1);
done:
    kc_vendor_free(&v);
    kc_strv_free(&problems);
    return rc;
}

int kc_registry_add(kc_registry *reg, const struct kc_plugin *desc,
                    const char *expected_name, const char *source)
{
    return registry_add(reg, desc, expected_name, source, NULL);
}

/* ---- the exit() guard --------------------------------------------------- */

/* "while being loaded" or "while being unloaded", in the reader's language
 * (doing: "loaded" or "unloaded", as the guard and the child's report
 * carry it). */
static const char *while_being(const char *doing)
{
    return strcmp(doing, "unloaded") == 0 ? _("while being unloaded") : _("while being loaded");
}

/* An atexit() handler takes no argument, so what it needs must live in a
 * file-scope variable (the one piece of global mutable state here): the
 * plugin whose code may be running (NULL when none), and what the host is
 * doing with it.  Set only around calls into plugin code. */
static struct {
    const char *plugin;
    const char *doing;
    kc_plugin_exit_fn report; /* NULL: print the message */
    void *report_ctx;
    bool registered;
} exit_guard;

static void exit_guard_fire(void)
{
    if (exit_guard.plugin == NULL)
        return;
    if (exit_guard.report != NULL)
        exit_guard.report(exit_guard.report_ctx, exit_guard.plugin, exit_guard.doing);
    else
        kc_err(exit_guard.plugin, _("called exit() %s"), while_being(exit_guard.doing));
    _exit(KC_EXIT_UNKNOWN);
}

void kc_loader_on_plugin_exit(kc_plugin_exit_fn fn, void *ctx)
{
    exit_guard.report = fn;
    exit_guard.report_ctx = ctx;
}

/* Arms the guard for plugin (doing: "loaded", "unloaded"); NULL disarms. */
static void exit_guard_arm(const char *plugin, const char *doing)
{
    if (plugin != NULL && !exit_guard.registered)
        exit_guard.registered = atexit(exit_guard_fire) == 0;
    exit_guard.plugin = plugin;
    exit_guard.doing = doing;
}

/* ---- standard output while plugin code runs ----------------------------- */

/* Standard output is a pipe while plugins are loaded.  Its write end is
 * non-blocking, so a plugin that writes more than the pipe holds gets an
 * error instead of hanging the host. */
typedef struct capture {
    int saved; /* the real standard output, or -1 when not capturing */
    int rd;    /* the pipe's read end */
} capture;

static int capture_begin(capture *c, char *why, size_t whylen)
{
    int p[2] = {-1, -1};

    c->saved = c->rd = -1;
    fflush(stdout);
    c->saved = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (c->saved < 0 || pipe(p) != 0)
        goto fail;
    if (fcntl(p[0], F_SETFD, FD_CLOEXEC) != 0 || fcntl(p[0], F_SETFL, O_NONBLOCK) != 0 ||
        fcntl(p[1], F_SETFL, O_NONBLOCK) != 0 || dup2(p[1], STDOUT_FILENO) < 0)
        goto fail;
    close(p[1]);
    c->rd = p[0];
    return 0;
fail:
    kc_snprintf(why, whylen,
                _("cannot load plugins: cannot set standard output aside while plugin code "
                  "runs: %s"),
                strerror(errno));
    if (p[0] >= 0)
        close(p[0]);
    if (p[1] >= 0)
        close(p[1]);
    if (c->saved >= 0)
        close(c->saved);
    c->saved = -1;
    return -1;
}

/* What plugin code wrote to standard output since the last call: 0 when
 * nothing, else the byte count with the start of it, made printable, in
 * excerpt. */
static size_t capture_take(const capture *c, char *excerpt, size_t len)
{
    char buf[4096];
    size_t total = 0, o = 0;
    ssize_t n;

    excerpt[0] = '\0';
    if (c->saved < 0)
        return 0;
    /* Push out what plugin code left in stdio's buffer (the host flushed
     * its own before); glibc empties the buffer even when this fails. */
    fflush(stdout);
    clearerr(stdout);
#ifdef __APPLE__
    fpurge(stdout);
#endif
    while ((n = read(c->rd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)) {
        for (ssize_t i = 0; i < n && o + 5 < len && total + (size_t)i < 48; i++) {
            unsigned char ch = (unsigned char)buf[i];
            if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\')
                excerpt[o++] = (char)ch;
            else
                o += (size_t)snprintf(excerpt + o, len - o, "\\x%02x", ch);
        }
        if (n > 0)
            total += (size_t)n;
    }
    excerpt[o < len ? o : len - 1] = '\0';
    return total;
}

static void capture_end(capture *c)
{
    char scratch[8];

    if (c->saved < 0)
        return;
    capture_take(c, scratch, sizeof(scratch));
    dup2(c->saved, STDOUT_FILENO);
    close(c->saved);
    close(c->rd);
    c->saved = c->rd = -1;
}

/* Adds "wrote to standard output ..." to problems when plugin code did. */
static int note_output(const capture *c, const char *doing, kc_strv *problems)
{
    char excerpt[256], why[512];
    size_t n = capture_take(c, excerpt, sizeof(excerpt));

    if (n == 0)
        return 0;
    kc_snprintf(why, sizeof(why),
                P_("wrote %zu byte to standard output %s (\"%s%s\"); a plugin must only "
                   "return data",
                   "wrote %zu bytes to standard output %s (\"%s%s\"); a plugin must only "
                   "return data",
                   n),
                n, while_being(doing), excerpt, n > 48 ? "..." : "");
    return kc_strv_push(problems, why);
}

/* ---- loading one file --------------------------------------------------- */

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

/* The folder a plugin is loaded from, as opened: the rule of the files
 * (owned by root or the running user, writable by nobody else), and not
 * sticky.  Whoever can write to the folder can remove or replace plugins. */
static int check_dir(const struct stat *st, const char *dir, bool unsafe, char *why,
                     size_t whylen)
{
    uid_t me = geteuid();

    if (unsafe)
        return 0;
    if (st->st_uid != 0 && st->st_uid != me) {
        kc_snprintf(why, whylen,
                    _("plugin directory is owned by uid %lu, which is neither root nor the "
                      "running user (uid %lu), so that user can add, replace or remove "
                      "plugins that run as root: run 'chown root %s' if you trust it (or "
                      "--allow-unsafe-plugins while developing)"),
                    (unsigned long)st->st_uid, (unsigned long)me, dir);
        return -1;
    }
    if (st->st_mode & S_IWOTH) {
        kc_snprintf(why, whylen,
                    _("plugin directory is world-writable, so anyone could plant code that "
                      "runs as root: run 'chmod o-w %s' (or --allow-unsafe-plugins while "
                      "developing)"),
                    dir);
        return -1;
    }
    if (st->st_mode & S_IWGRP) {
        kc_snprintf(why, whylen,
                    _("plugin directory is group-writable, so the group can add, replace or "
                      "remove plugins that run as root: run 'chmod g-w %s' (or "
                      "--allow-unsafe-plugins while developing)"),
                    dir);
        return -1;
    }
    if (st->st_mode & S_ISVTX) {
        kc_snprintf(why, whylen, "%s",
                    _("plugin directory has the sticky bit (a shared folder such as /tmp): "
                      "keep plugins in a folder of their own (or --allow-unsafe-plugins "
                      "while developing)"));
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
        kc_snprintf(why, whylen, "%s", _("not a regular file"));
        return -1;
    }
    if (unsafe)
        return 0;
    if (st->st_uid != 0 && st->st_uid != me) {
        kc_snprintf(why, whylen,
                    _("owned by uid %lu, which is neither root nor the running user (uid "
                      "%lu): run 'chown root %s' if you trust it"),
                    (unsigned long)st->st_uid, (unsigned long)me, path);
        return -1;
    }
    if (st->st_mode & (S_IWGRP | S_IWOTH)) {
        kc_snprintf(why, whylen,
                    (st->st_mode & S_IWOTH)
                        ? _("world-writable, so others could change code that runs as root: "
                            "run 'chmod go-w %s'")
                        : _("group-writable, so others could change code that runs as root: "
                            "run 'chmod go-w %s'"),
                    path);
        return -1;
    }
    return 0;
}

/* The serial-th other spelling of /proc/self/fd/N: "./" and "/" put before
 * N spell serial in binary, highest bit first ("./" for 1, "/" for 0), so
 * "/proc/self/fd/./5", "/proc/self/fd/.//5", "/proc/self/fd/././5", ...
 * all name descriptor 5, and no two serials give the same string. */
static int fd_spelling(char *buf, size_t len, int fd, unsigned long serial)
{
    int o = snprintf(buf, len, "/proc/self/fd/");
    int top = 0;

    while (top + 1 < (int)(8 * sizeof(serial)) && (serial >> (top + 1)) != 0)
        top++;
    for (int bit = top; bit >= 0 && serial != 0; bit--)
        o += snprintf(buf + o, len - (size_t)o, "%s", (serial >> bit) & 1 ? "./" : "/");
    return kc_snprintf(buf + o, len - (size_t)o, "%d", fd);
}

/* Finds the name to dlopen the checked descriptor fd under: one that no
 * object in memory answers to (by the name it was opened under or its
 * DT_SONAME), so dlopen cannot hand back another file's object.  0 with
 * the name in buf, or -1 with why. */
static int free_name(kc_registry *reg, int fd, const char *path, char *buf, size_t len,
                     char *why, size_t whylen)
{
    void *prev = NULL;

    if (kc_snprintf(buf, len, "/proc/self/fd/%d", fd) != 0 || access(buf, F_OK) != 0) {
        /* No /proc (macOS): the path itself, re-checked after loading. */
        void *h;
        if (kc_snprintf(buf, len, "%s", path) != 0) {
            kc_snprintf(why, whylen, "%s", _("path too long"));
            return -1;
        }
        h = dlopen(buf, RTLD_LAZY | RTLD_NOLOAD);
        if (h == NULL)
            return 0;
        dlclose(h);
        kc_snprintf(why, whylen, "%s",
                    _("an object loaded earlier under this name is still in memory, so this "
                      "file cannot be loaded in this run"));
        return -1;
    }
    for (int t = 0; t < NAME_TRIES; t++) {
        void *h;
        if (t > 0 && fd_spelling(buf, len, fd, ++reg->index->serial) != 0)
            break;
        dlerror();
        h = dlopen(buf, RTLD_LAZY | RTLD_NOLOAD);
        if (h == NULL)
            return 0;
        dlclose(h);
        /* Two new spellings of the same descriptor that find the same
         * object: the dynamic loader matched the file itself (same device
         * and inode), so this file is already in memory and dlopen returns
         * it, which is what was checked. */
        if (h == prev)
            return 0;
        prev = h;
    }
    kc_snprintf(why, whylen, "%s",
                _("every name tried for it is held by another object in memory (a "
                  "plugin that claims other names), so it is not loaded"));
    return -1;
}

#if defined(RTLD_DI_LINKMAP)
/* Whether the object h was loaded under name just now, rather than found
 * in memory under that name (its own, its DT_SONAME, or one added to it). */
static bool loaded_as(void *h, const char *name)
{
    struct link_map *lm = NULL;

    return dlinfo(h, RTLD_DI_LINKMAP, &lm) == 0 && lm != NULL && lm->l_name != NULL &&
           strcmp(lm->l_name, name) == 0;
}
#endif

/* dlopen of the checked descriptor fd, under a name that gives this file's
 * object and no other (dlpath: the name used).  With /proc and dlinfo the
 * file is opened under a spelling never used before and the object that
 * comes back is checked to be the one loaded under it; one already in
 * memory that answers to the spelling (a plugin claiming other names) is
 * let go and the next spelling tried, as free_name would have done, with
 * no look at the file first.  Otherwise free_name finds the name.  0 with
 * *handle (NULL when dlopen failed: dlerror says why), or -1 with why. */
static int load_object(kc_registry *reg, int fd, const char *path, char *dlpath, size_t len,
                       void **handle, char *why, size_t whylen)
{
    *handle = NULL;
#if defined(RTLD_DI_LINKMAP)
    if (reg->index->proc < 0)
        reg->index->proc = kc_snprintf(dlpath, len, "/proc/self/fd/%d", fd) == 0 &&
                           access(dlpath, F_OK) == 0;
    if (reg->index->proc == 1) {
        void *prev = NULL;
        for (int t = 0; t < NAME_TRIES; t++) {
            void *h;
            if (fd_spelling(dlpath, len, fd, ++reg->index->serial) != 0)
                break;
            dlerror();
            h = dlopen(dlpath, RTLD_NOW | RTLD_LOCAL);
            /* Loaded now, or twice the same object: that is the file's
             * own, already in memory (the checks after loading judge it). */
            if (h == NULL || loaded_as(h, dlpath) || h == prev) {
                *handle = h;
                return 0;
            }
            prev = h;
            dlclose(h); /* only the reference this dlopen added */
        }
        kc_snprintf(why, whylen, "%s",
                    _("every name tried for it is held by another object in memory (a "
                      "plugin that claims other names), so it is not loaded"));
        return -1;
    }
#endif
    if (free_name(reg, fd, path, dlpath, len, why, whylen) != 0)
        return -1;
    dlerror();
    *handle = dlopen(dlpath, RTLD_NOW | RTLD_LOCAL);
    return 0;
}

/* Path of the file the resident handle h was loaded from, or NULL. */
static const char *resident_source(const kc_registry *reg, const void *h)
{
    tkey k = handle_key(h);
    size_t at;

    return table_get(&reg->index->resident, &k, &at) ? reg->index->paths.v[at] : NULL;
}

/* Keeps h among the handles no other file may be given. */
static int keep_resident(kc_registry *reg, void *h, size_t path_at)
{
    tkey k = handle_key(h);

    return table_put(&reg->index->resident, &k, path_at);
}

typedef struct loader {
    kc_registry *reg;
    capture cap;
} loader;

/* Opens name inside the checked folder dfd and loads it.  0 loaded,
 * 1 refused, -1 out of memory. */
static int load_at(loader *ld, int dfd, const char *name, const char *path)
{
    kc_registry *reg = ld->reg;
    char why[1024], sym[128], dlpath[256];
    char *stem = NULL;
    void *handle = NULL;
    int fd = -1, rc = 1;
    struct stat st;
    kc_plugin_entry_fn entry;
    const struct kc_plugin *desc = NULL;
    kc_strv problems = {0};
    size_t path_at = 0;
    tkey k;

    why[0] = '\0';
    if (ensure_index(reg) != 0)
        return -1;
    stem = plugin_stem(name);
    if (stem == NULL) {
        kc_snprintf(why, sizeof(why), _("plugin file names end in \"%s\""), PLUGIN_SUFFIX);
        goto done;
    }
    fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        kc_snprintf(why, sizeof(why), "%s",
                    errno == ELOOP ? _("is a symbolic link (plugins must be regular files: "
                                       "copy the file instead of linking it)")
                                   : strerror(errno));
        goto done;
    }
    if (fstat(fd, &st) != 0) {
        kc_snprintf(why, sizeof(why), "%s", strerror(errno));
        goto done;
    }
    if (check_file(&st, path, reg->allow_unsafe, why, sizeof(why)) != 0)
        goto done;
    k = id_key((uint64_t)st.st_dev, (uint64_t)st.st_ino);
    if (table_get(&reg->index->files, &k, &path_at)) {
        kc_snprintf(why, sizeof(why),
                    _("is the same file as %s (a hard link), which was already read"),
                    reg->index->paths.v[path_at]);
        goto done;
    }
    path_at = reg->index->paths.n;
    if (kc_strv_push(&reg->index->paths, path) != 0 ||
        table_put(&reg->index->files, &k, path_at) != 0) {
        rc = -1;
        goto done;
    }
    exit_guard_arm(path, "loaded");
    if (load_object(reg, fd, path, dlpath, sizeof(dlpath), &handle, why, sizeof(why)) != 0)
        goto done;
    if (handle == NULL) {
        const char *e = dlerror();
        kc_snprintf(why, sizeof(why), _("cannot be loaded as a shared object: %s"),
                    e ? e : _("unknown error"));
    } else if (resident_source(reg, handle) != NULL) {
        kc_snprintf(why, sizeof(why),
                    _("the dynamic loader returned the object loaded from %s instead of this "
                      "file"),
                    resident_source(reg, handle));
        dlclose(handle); /* only the reference this dlopen added */
        handle = NULL;
    } else if (strcmp(dlpath, path) == 0) {
        struct stat again;
        if (fstatat(dfd, name, &again, AT_SYMLINK_NOFOLLOW) != 0 ||
            again.st_dev != st.st_dev || again.st_ino != st.st_ino)
            kc_snprintf(why, sizeof(why), "%s",
                        _("the file changed while it was being loaded"));
    }
    if (handle != NULL && why[0] == '\0') {
        entry_symbol(stem, sym, sizeof(sym));
        dlerror();
        *(void **)(&entry) = dlsym(handle, sym);
        if (entry == NULL)
            kc_snprintf(why, sizeof(why),
                        _("no entry function %s (a plugin named \"%s\" exports it through "
                          "KC_PLUGIN_DEFINE)"),
                        sym, stem);
        else
            desc = entry(KC_PLUGIN_ABI_VERSION);
    }
    if (note_output(&ld->cap, "loaded", &problems) != 0) {
        rc = -1;
        goto done;
    }
    if (why[0] != '\0') {
        if (kc_strv_push(&problems, why) != 0)
            rc = -1;
        why[0] = '\0';
        goto done;
    }
    rc = registry_add(reg, desc, stem, path, &problems);
    kc_strv_free(&problems);
    if (rc == 0) {
        void **h = realloc(reg->handles, (reg->n_handles + 1) * sizeof(*h));
        if (h == NULL) {
            rc = -1;
            goto done;
        }
        reg->handles = h;
        reg->handles[reg->n_handles++] = handle;
        if (keep_resident(reg, handle, path_at) != 0)
            rc = -1;
        handle = NULL;
    }
done:
    if (problems.n > 0 && add_refusal_list(reg, path, &problems) != 0)
        rc = -1;
    if (why[0] != '\0' && add_refusal(reg, path, why) != 0)
        rc = -1;
    if (handle != NULL) {
        void *still;
        dlclose(handle);
        capture_take(&ld->cap, why, sizeof(why)); /* a refused plugin's last words */
        /* A refused object that stays in memory (nodelete, TLS) keeps its
         * names: no later file may be given its handle. */
        dlerror();
        still = dlopen(dlpath, RTLD_LAZY | RTLD_NOLOAD);
        if (still != NULL) {
            dlclose(still);
            if (keep_resident(reg, handle, path_at) != 0)
                rc = -1;
        }
    }
    exit_guard_arm(NULL, NULL);
    kc_strv_free(&problems);
    if (fd >= 0)
        close(fd);
    free(stem);
    return rc;
}

/* Opens and checks a plugin folder.  The descriptor, or -1 with why. */
static int open_dir(const kc_registry *reg, const char *dir, struct stat *st, char *why,
                    size_t whylen)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (dfd < 0 || fstat(dfd, st) != 0) {
        kc_snprintf(why, whylen, _("plugin directory: %s"), strerror(errno));
        if (dfd >= 0)
            close(dfd);
        return -1;
    }
    if (check_dir(st, dir, reg->allow_unsafe, why, whylen) != 0) {
        close(dfd);
        return -1;
    }
    return dfd;
}

int kc_registry_load_file(kc_registry *reg, const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? kc_asprintf("%.*s", (int)(slash - path), path) : kc_strdup(".");
    char why[1024];
    int dfd = -1, rc = -1;
    loader ld = {reg, {-1, -1}};
    struct stat st;

    if (dir == NULL)
        return -1;
    if (dir[0] == '\0') {
        free(dir);
        dir = kc_strdup("/");
        if (dir == NULL)
            return -1;
    }
    dfd = open_dir(reg, dir, &st, why, sizeof(why));
    if (dfd < 0 || capture_begin(&ld.cap, why, sizeof(why)) != 0)
        rc = add_refusal(reg, path, why) == 0 ? 1 : -1;
    else
        rc = load_at(&ld, dfd, slash ? slash + 1 : path, path);
    capture_end(&ld.cap);
    if (dfd >= 0)
        close(dfd);
    free(dir);
    return rc;
}

/* ---- folders ------------------------------------------------------------ */

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

/* Loads every wanted plugin of dir; the names of the files found go to
 * found, and dir to searched once it could be read.  A folder already read
 * under another name (the same device and inode) is skipped. */
static int load_dir(loader *ld, const char *dir, const kc_strv *enable,
                    const kc_strv *disable, kc_strv *found, kc_strv *searched)
{
    kc_registry *reg = ld->reg;
    struct stat st;
    char why[1024];
    int dfd = open_dir(reg, dir, &st, why, sizeof(why));
    DIR *d = NULL;
    struct dirent *de;
    kc_strv files = {0};
    int rc = -1;
    tkey k;

    if (dfd < 0)
        return add_refusal(reg, dir, why);
    k = id_key((uint64_t)st.st_dev, (uint64_t)st.st_ino);
    if (table_get(&reg->index->dirs, &k, NULL)) {
        close(dfd);
        return 0;
    }
    if (table_put(&reg->index->dirs, &k, 0) != 0) {
        close(dfd);
        return -1;
    }
    d = fdopendir(dfd);
    if (d == NULL) {
        close(dfd);
        kc_snprintf(why, sizeof(why), _("plugin directory: %s"), strerror(errno));
        return add_refusal(reg, dir, why);
    }
    for (;;) {
        char *stem;
        bool take, oom;
        errno = 0;
        de = readdir(d);
        if (de == NULL)
            break;
        stem = de->d_name[0] != '.' ? plugin_stem(de->d_name) : NULL;
        if (stem == NULL)
            continue;
        take = wanted(stem, enable, disable);
        oom = take && enable->n > 0 && !kc_strv_contains(found, stem) &&
              kc_strv_push(found, stem) != 0;
        free(stem);
        if (oom || (take && kc_strv_push(&files, de->d_name) != 0))
            goto done;
    }
    if (errno != 0) {
        kc_snprintf(why, sizeof(why), _("plugin directory: %s"), strerror(errno));
        rc = add_refusal(reg, dir, why);
        goto done;
    }
    if (kc_strv_push(searched, dir) != 0)
        goto done;
    if (files.n > 1)
        qsort(files.v, files.n, sizeof(char *), cmp_str);
    for (size_t i = 0; i < files.n; i++) {
        char *path = kc_asprintf("%s%s%s", dir,
                                 dir[0] && dir[strlen(dir) - 1] == '/' ? "" : "/", files.v[i]);
        int r;
        if (path == NULL)
            goto done;
        r = load_at(ld, dirfd(d), files.v[i], path);
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

/* A plugin the configuration enables that no folder had: without it a
 * vendor would silently go unchecked. */
static int refuse_missing(kc_registry *reg, const kc_strv *enable, const kc_strv *disable,
                          const kc_strv *found, const kc_strv *searched)
{
    for (size_t i = 0; i < enable->n; i++) {
        char *where = NULL, *why;
        int rc;
        if (kc_strv_contains(found, enable->v[i]) || kc_strv_contains(disable, enable->v[i]))
            continue;
        for (size_t j = 0; j < searched->n; j++) {
            char *more = kc_asprintf("%s%s%s", where ? where : "", where ? ", " : "",
                                     searched->v[j]);
            free(where);
            if (more == NULL)
                return -1;
            where = more;
        }
        why = where ? kc_asprintf(_("enabled in the configuration but not found in %s"), where)
                    : kc_strdup(_("enabled in the configuration but no plugin directory could "
                                  "be read"));
        free(where);
        rc = why ? add_refusal(reg, enable->v[i], why) : -1;
        free(why);
        if (rc != 0)
            return -1;
    }
    return 0;
}

int kc_registry_load(kc_registry *reg, const kc_strv *dirs, const kc_strv *enable,
                     const kc_strv *disable)
{
    kc_strv found = {0}, searched = {0};
    loader ld = {reg, {-1, -1}};
    char why[1024];
    int rc = -1;

    if (ensure_index(reg) != 0)
        return -1;
    for (size_t i = 0; i < kc_builtin_plugin_count; i++) {
        const kc_builtin_plugin *b = &kc_builtin_plugins[i];
        char source[96];
        if (!wanted(b->name, enable, disable))
            continue;
        if (kc_strv_push(&found, b->name) != 0)
            goto done;
        kc_snprintf(source, sizeof(source), "built-in:%s", b->name);
        if (kc_registry_add(reg, b->entry(KC_PLUGIN_ABI_VERSION), b->name, source) < 0)
            goto done;
    }
    if (dirs->n > 0 && capture_begin(&ld.cap, why, sizeof(why)) != 0) {
        rc = add_refusal(reg, dirs->v[0], why);
        goto done;
    }
    for (size_t i = 0; i < dirs->n; i++)
        if (load_dir(&ld, dirs->v[i], enable, disable, &found, &searched) != 0)
            goto done;
    rc = refuse_missing(reg, enable, disable, &found, &searched);
done:
    capture_end(&ld.cap);
    kc_strv_free(&found);
    kc_strv_free(&searched);
    return rc;
}

void kc_registry_free(kc_registry *reg)
{
    capture cap;
    char why[256];
    bool captured;

    for (size_t i = 0; i < reg->n_vendors; i++)
        kc_vendor_free(&reg->vendors[i]);
    free(reg->vendors);
    for (size_t i = 0; i < reg->n_refused; i++) {
        free(reg->refused[i].source);
        free(reg->refused[i].reason);
        kc_strv_free(&reg->refused[i].problems);
    }
    free(reg->refused);
    /* Destructors are plugin code too: keep them off standard output (the
     * report is out already) and from ending the run with their status. */
    captured = reg->n_handles > 0 && capture_begin(&cap, why, sizeof(why)) == 0;
    for (size_t i = reg->n_handles; i-- > 0;) {
        exit_guard_arm(reg->index ? resident_source(reg, reg->handles[i]) : NULL,
                       "unloaded");
        dlclose(reg->handles[i]);
        exit_guard_arm(NULL, NULL);
    }
    if (captured)
        capture_end(&cap);
    free(reg->handles);
    index_free(reg->index);
    memset(reg, 0, sizeof(*reg));
}
