/*
 * `kextcheck collect DIR`: a snapshot of everything kextcheck reads, for
 * analysis on another machine with `kextcheck --root DIR`.
 *
 *  - the approval database, copied consistently through SQLite's backup API
 *    from a read-only connection (a damaged file is copied byte for byte);
 *  - SystemVersion.plist, the installed MDM kext policy, the system
 *    extension database;
 *  - each kext bundle's Contents/Info.plist under every plugin's install and
 *    staged paths (and those folders, even when empty);
 *  - the command outputs in DIR/.kextcheck/, with "<file>.error" when a
 *    command failed, timed out or printed too much;
 *  - DIR/.kextcheck/manifest.json: versions, times, what was copied and run.
 *
 * Nothing is written outside DIR (an existing DIR must be empty, owned by
 * the running user and writable by nobody else; no symbolic link inside it
 * is followed), and the sources are only read.  The commands run only for
 * the Mac itself (--root /) or with --live: for another root they would
 * describe this machine instead.
 */
#include "kc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define KC_POLICY_DB_MAC_PATH KC_POLICY_DB_PATH
#define COPY_MAX (64 * 1024 * 1024)

typedef struct collector {
    const char *out;
    json_t *files;      /* manifest entries */
    json_t *commands;
    int warnings;
} collector;

static void warn(collector *c, const char *what, const char *why)
{
    kc_err(what, "%s", why);
    c->warnings++;
}

/* mkdir -p of out + mac_dir (mac_dir absolute on the Mac). */
static int make_dirs(const char *out, const char *mac_dir)
{
    char *p = kc_asprintf("%s%s", out, mac_dir);
    size_t base = strlen(out);
    int rc = -1;

    if (p == NULL)
        return -1;
    for (char *s = p + base + 1; ; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            struct stat st;
            *s = '\0';
            if (mkdir(p, 0755) != 0 &&
                (errno != EEXIST || lstat(p, &st) != 0 || !S_ISDIR(st.st_mode))) {
                if (errno == EEXIST)
                    errno = ENOTDIR;
                goto done;
            }
            *s = c;
            if (c == '\0')
                break;
        }
    }
    rc = 0;
done:
    free(p);
    return rc;
}

static int write_bytes(const char *path, const char *data, size_t len, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    size_t off = 0;

    if (fd < 0)
        return -1;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            close(fd);
            return -1;
        }
        off += (size_t)w;
    }
    return close(fd);
}

static void note_file(collector *c, const char *mac_path, size_t bytes, const char *how)
{
    json_t *o = json_pack("{s:s, s:I, s:s}", "path", mac_path, "bytes", (json_int_t)bytes,
                          "how", how);
    if (o == NULL || json_array_append_new(c->files, o) != 0)
        c->warnings++;
}

/* Copies mac_path (inside the root) to out+mac_path when it exists
 * (regular files only). */
static void copy_mac_file(collector *c, const kc_rootfs *fs, const char *mac_path, size_t max)
{
    char why[512], *src = kc_asprintf("%s%s", strcmp(fs->real, "/") == 0 ? "" : fs->real,
                                      mac_path);
    char *dst = NULL, *data = NULL, *dir = NULL, *slash;
    size_t len = 0;
    int r;

    if (src == NULL)
        goto oom;
    r = kc_rootfs_read(fs, mac_path, max, &data, &len, why, sizeof(why));
    if (r <= 0) {
        if (r < 0)
            warn(c, src, why);
        goto done;
    }
    dir = kc_strdup(mac_path);
    dst = kc_asprintf("%s%s", c->out, mac_path);
    if (dir == NULL || dst == NULL)
        goto oom;
    slash = strrchr(dir, '/');
    if (slash != NULL && slash != dir) {
        *slash = '\0';
        if (make_dirs(c->out, dir) != 0) {
            int e = errno;
            warn(c, dst, strerror(e));
            goto done;
        }
    }
    if (write_bytes(dst, data, len, 0644) != 0) {
        int e = errno;
        if (e != EEXIST) /* two plugins may declare overlapping paths */
            warn(c, dst, strerror(e));
        goto done;
    }
    note_file(c, mac_path, len, "copied");
    goto done;
oom:
    warn(c, "collect", "out of memory");
done:
    free(src);
    free(dst);
    free(dir);
    free(data);
}

/* The approval database: a consistent copy through the backup API. */
static void copy_database(collector *c, const kc_rootfs *fs, const char *policy_db,
                          const char *scratch)
{
    char *src = NULL;
    char *dst = kc_asprintf("%s%s", c->out, KC_POLICY_DB_MAC_PATH);
    kc_policydb db;
    sqlite3 *out = NULL;
    sqlite3_backup *b;
    int rc;

    memset(&db, 0, sizeof(db));
    if (policy_db != NULL)
        kc_policydb_open_file(&db, policy_db, scratch);
    else
        kc_policydb_open_root(&db, fs, KC_POLICY_DB_MAC_PATH, scratch);
    /* The path that was opened (links resolved inside the root). */
    src = kc_strdup(db.path);
    if (src == NULL || dst == NULL) {
        warn(c, "collect", "out of memory");
        goto done;
    }
    if (db.state == KC_DB_MISSING)
        goto done;
    if (make_dirs(c->out, "/var/db/SystemPolicyConfiguration") != 0) {
        int e = errno;
        warn(c, "collect", strerror(e));
        goto done;
    }
    if (db.state != KC_DB_OK) {
        /* Keep the damaged evidence as it is, with its log files. */
        static const char *const suffix[] = {"", "-wal", "-shm"};
        for (size_t i = 0; i < 3; i++) {
            char *mac = kc_asprintf("%s%s", KC_POLICY_DB_MAC_PATH, suffix[i]);
            char *from = kc_asprintf("%s%s", src, suffix[i]), *data = NULL, *to;
            char why[512];
            size_t len = 0;
            if (mac == NULL || from == NULL) {
                free(mac);
                free(from);
                continue;
            }
            to = kc_asprintf("%s%s", c->out, mac);
            if (to && access(from, F_OK) == 0) {
                if (kc_read_file(from, COPY_MAX, &data, &len, why, sizeof(why)) != 0)
                    warn(c, from, why);
                else if (write_bytes(to, data, len, 0600) != 0)
                    warn(c, to, strerror(errno));
                else
                    note_file(c, mac, len, "copied as is (the database could not be opened)");
            }
            free(data);
            free(to);
            free(mac);
            free(from);
        }
        goto done;
    }
    /* Create the file ourselves: 0600, never through a link, never over one. */
    {
        int fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 || close(fd) != 0) {
            int e = errno;
            warn(c, dst, strerror(e));
            goto done;
        }
    }
    rc = sqlite3_open_v2(dst, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL);
    if (rc == SQLITE_OK) {
        b = sqlite3_backup_init(out, "main", (sqlite3 *)db.db, "main");
        if (b == NULL) {
            rc = sqlite3_errcode(out);
        } else {
            rc = sqlite3_backup_step(b, -1);
            rc = sqlite3_backup_finish(b) == SQLITE_OK && rc == SQLITE_DONE ? SQLITE_OK : rc;
        }
    }
    /* A plain file on the analyst's side: no -wal or -shm to carry along. */
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(out, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        warn(c, src, out ? sqlite3_errmsg(out) : sqlite3_errstr(rc));
    } else {
        struct stat st;
        note_file(c, KC_POLICY_DB_MAC_PATH, stat(dst, &st) == 0 ? (size_t)st.st_size : 0,
                  "sqlite3 backup from a read-only connection");
    }
done:
    if (out != NULL)
        sqlite3_close(out);
    kc_policydb_close(&db);
    free(src);
    free(dst);
}

/* Every plugin path: the folder, and each kext's Info.plist below it. */
static void copy_bundles(collector *c, const kc_rootfs *fs, const kc_registry *reg)
{
    for (size_t v = 0; v < reg->n_vendors; v++) {
        const kc_vendor *vd = &reg->vendors[v];
        for (size_t i = 0; i < vd->install_paths.n + vd->staged_paths.n; i++) {
            const char *p = i < vd->install_paths.n ? vd->install_paths.v[i]
                                                    : vd->staged_paths.v[i - vd->install_paths.n];
            kc_bundles b = {0};
            int found = kc_bundles_scan(fs, p, &b);
            if (found == 1 && make_dirs(c->out, p) != 0)
                warn(c, p, strerror(errno));
            for (size_t k = 0; found == 1 && k < b.n; k++) {
                char *info = kc_asprintf("%s/Contents/Info.plist", b.items[k].path);
                if (info == NULL)
                    continue;
                copy_mac_file(c, fs, info, 1024 * 1024);
                free(info);
            }
            kc_bundles_free(&b);
        }
    }
}

static void run_commands(collector *c, const kc_gather *g)
{
    /* For another root the commands would describe this machine, not that
     * Mac: run none (the manifest says so with "commands_run": false). */
    for (int i = 0; g->live && i < KC_CAP_COUNT; i++) {
        const char *argv[4];
        kc_cmd_result r;
        char *path = kc_asprintf("%s/%s/%s", c->out, KC_CAPTURE_DIR, kc_capture_file(i));
        char *errpath = path ? kc_asprintf("%s.error", path) : NULL;
        json_t *o, *args = json_array();

        kc_capture_argv(g, (kc_capture_id)i, argv);
        if (path == NULL || errpath == NULL || args == NULL ||
            kc_run_command(argv, g->timeout_ms > 0 ? g->timeout_ms : KC_DEFAULT_TIMEOUT_MS,
                           KC_CAPTURE_MAX, &r) != 0) {
            warn(c, "collect", "out of memory");
            free(path);
            free(errpath);
            json_decref(args);
            continue;
        }
        /* The reason first: a capture must never be trusted by mistake. */
        if (r.error != NULL) {
            warn(c, kc_capture_label(i), r.error);
            if (write_bytes(errpath, r.error, strlen(r.error), 0644) != 0) {
                int e = errno;
                warn(c, errpath, strerror(e));
                r.len = 0;
            }
        }
        if (r.out != NULL && write_bytes(path, r.out, r.len, 0644) != 0) {
            int e = errno;
            warn(c, path, strerror(e));
        }
        for (int a = 0; a < 4 && argv[a]; a++)
            json_array_append_new(args, json_string(argv[a]));
        o = json_pack("{s:s, s:o, s:i, s:b, s:b, s:I, s:s?}", "file", kc_capture_file(i), "argv",
                      args, "exit_status", r.exit_status, "timed_out", r.timed_out, "truncated",
                      r.truncated, "duration_ms", (json_int_t)r.duration_ms, "error", r.error);
        if (o == NULL || json_array_append_new(c->commands, o) != 0)
            c->warnings++;
        kc_cmd_result_free(&r);
        free(path);
        free(errpath);
    }
}

static int write_manifest(collector *c, const kc_gather *g)
{
    char when[32], *text, *path = kc_asprintf("%s/%s/manifest.json", c->out, KC_CAPTURE_DIR);
    time_t now = time(NULL);
    struct tm tm;
    json_t *m;
    int rc = -1;

    if (path == NULL || gmtime_r(&now, &tm) == NULL ||
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        goto done;
    m = json_pack("{s:i, s:s, s:s, s:s, s:s, s:b, s:O, s:O}", "manifest_version", 1, "tool",
                  KC_PROGRAM, "tool_version", KEXTCHECK_VERSION, "collected_at", when, "root",
                  g->root, "commands_run", g->live, "files", c->files, "commands", c->commands);
    if (m == NULL)
        goto done;
    text = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(m);
    if (text != NULL)
        rc = write_bytes(path, text, strlen(text), 0644);
    free(text);
done:
    free(path);
    return rc;
}

/* The target must be new or an empty folder. */
static int prepare_out(const char *out)
{
    DIR *d;
    struct dirent *de;
    bool empty = true;

    if (mkdir(out, 0700) == 0)
        return 0;
    if (errno != EEXIST) {
        kc_err(out, "%s", strerror(errno));
        return KC_EXIT_USAGE;
    }
    {
        struct stat st;
        if (lstat(out, &st) != 0 || !S_ISDIR(st.st_mode)) {
            kc_err(out, "exists and is not a folder");
            return KC_EXIT_USAGE;
        }
        if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
            kc_err(out, "the folder must belong to the running user and be writable by "
                        "nobody else (collect runs as root; others could redirect what it "
                        "writes): use a new folder");
            return KC_EXIT_USAGE;
        }
    }
    d = opendir(out);
    if (d == NULL) {
        kc_err(out, "%s", strerror(errno));
        return KC_EXIT_USAGE;
    }
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
            empty = false;
    closedir(d);
    if (!empty) {
        kc_err(out, "the folder is not empty; collect writes only into a new or empty folder");
        return KC_EXIT_USAGE;
    }
    return 0;
}

int kc_collect(const kc_gather *g, const char *policy_db, const kc_registry *reg,
               const char *out_dir)
{
    collector c = {out_dir, json_array(), json_array(), 0};
    char *capdir = NULL;
    int rc = prepare_out(out_dir);

    if (rc != 0)
        goto done;
    capdir = kc_asprintf("%s/%s", out_dir, KC_CAPTURE_DIR);
    if (c.files == NULL || c.commands == NULL || capdir == NULL || mkdir(capdir, 0755) != 0) {
        kc_err(out_dir, "cannot create %s: %s", KC_CAPTURE_DIR, strerror(errno));
        rc = KC_EXIT_UNKNOWN;
        goto done;
    }
    copy_database(&c, g->fs, policy_db, capdir);
    copy_mac_file(&c, g->fs, KC_SYSTEM_VERSION_PLIST, 1024 * 1024);
    copy_mac_file(&c, g->fs, KC_MDM_POLICY_PLIST, 1024 * 1024);
    copy_mac_file(&c, g->fs, KC_SYSEXT_DB_PLIST, 16 * 1024 * 1024);
    copy_bundles(&c, g->fs, reg);
    if (!g->live)
        kc_err("collect", "%s is not /: spctl, csrutil and kextstat were not run, since they "
                          "would describe this machine (pass --live to run them anyway)",
               g->root);
    run_commands(&c, g);
    if (write_manifest(&c, g) != 0) {
        kc_err(out_dir, "cannot write the manifest");
        rc = KC_EXIT_UNKNOWN;
        goto done;
    }
    {
        size_t failed = 0, i;
        json_t *cmd;
        json_array_foreach(c.commands, i, cmd)
            failed += json_is_string(json_object_get(cmd, "error"));
        printf("kextcheck: copied %zu files into %s and ran %zu commands (%zu failed)%s\n"
               "Analyse it anywhere with: kextcheck --root %s\n",
               json_array_size(c.files), out_dir, json_array_size(c.commands), failed,
               c.warnings ? "; see the warnings above" : "", out_dir);
    }
    rc = fflush(stdout) == 0 ? KC_EXIT_OK : KC_EXIT_UNKNOWN;
done:
    json_decref(c.files);
    json_decref(c.commands);
    free(capdir);
    return rc;
}
