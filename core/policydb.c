/*
 * Reading /var/db/SystemPolicyConfiguration/KextPolicy without changing it.
 *
 * How the file is opened decides whether a byte changes:
 *  - rollback-journal database: "mode=ro" in place;
 *  - WAL database with both -wal and -shm beside it (a live Mac):
 *    "mode=ro&readonly_shm=1" in place, so the shared-memory index is
 *    never written;
 *  - WAL database without -wal: nothing is in a log, so "immutable=1"
 *    (SQLite would otherwise create -wal and -shm files);
 *  - WAL database with -wal but no -shm (a partly collected case): the
 *    database and its log are copied to a private folder and read there.
 * A database whose header says "rollback journal" but which has a -wal
 * beside it is read as a WAL database: SQLite would replay that log, and
 * create -shm beside the evidence to do so.
 *
 * Only regular files are used: the database, -wal, -shm and -journal are
 * looked at with fstatat(AT_SYMLINK_NOFOLLOW) before anything opens them,
 * and opened with O_NONBLOCK | O_NOFOLLOW, so a FIFO cannot make kextcheck
 * wait forever and a device is never read.  A FIFO, device, folder or link
 * in the place of one of them makes the database unreadable, with the name
 * and the reason.
 *
 * The private copy: a folder "kextcheck-dbcopy.XXXXXX" made with mkdtemp
 * (mode 0700) under a folder nobody else can change (the caller's scratch
 * folder, $TMPDIR when it is the running user's own and the user is not
 * root, or /tmp), at most KC_POLICYDB_COPY_MAX bytes of each file, removed
 * by name through the folder's descriptor (never through a link) on every
 * path out, and by a signal handler on SIGHUP, SIGINT, SIGTERM and SIGQUIT.
 * After SIGKILL the folder stays; its name says what it is.
 *
 * One run reads one snapshot: a read transaction begins right after the
 * open and ends at close, so every vendor sees the same commit.  A database
 * that another process keeps locked (or whose WAL index it is rebuilding)
 * is retried for a bounded time and then reported as busy, never as a
 * database without tables.
 */
#include "i18n.h"
#include "kc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BUSY_SLICE_MS 100   /* SQLite's own wait for a lock, per attempt */
#define BUSY_BUDGET_MS 3000 /* all attempts together */
#define BUSY_PAUSE_MS 20    /* between two attempts */
#define MAX_ROWS 2000       /* per vendor and table */
/* SQLite's page cache for the run, in KiB: the passes over a large table
 * stream through it, so a few pages serve and memory stays flat whatever
 * the size of the database (SQLite's default is 2 MiB). */
#define CACHE_KIB 128
#define COPY_NAME "KextPolicy"

/* Folders that are only looked into (names found, never listed). */
#if defined(O_PATH)
#define LOOKUP_FLAGS (O_PATH | O_DIRECTORY | O_CLOEXEC)
#else
#define LOOKUP_FLAGS (O_RDONLY | O_DIRECTORY | O_CLOEXEC)
#endif

/* ---- tables and columns --------------------------------------------------- */

enum { T_POLICY, T_MDM, T_HISTORY, T_COUNT };
#define MAX_COLS 7

/* The columns read from each table, in the order the take_* functions
 * expect them; a column the table lacks reads as NULL. */
static const struct table_def {
    const char *name;
    const char *cols[MAX_COLS];
    size_t ncols;
    int team_col, bundle_col;
} tables[T_COUNT] = {
    {"kext_policy", {"team_id", "bundle_id", "allowed", "developer_name", "flags"}, 5, 0, 1},
    {"kext_policy_mdm", {"team_id", "bundle_id", "allowed", "payload_uuid"}, 4, 0, 1},
    {"kext_load_history_v3",
     {"path", "team_id", "bundle_id", "created_at", "last_seen", "flags", "cdhash"}, 7, 1, 2},
};

/* What policydb.c keeps per open database (kc.h declares it opaque). */
struct kc_policydb_priv {
    bool table[T_COUNT];           /* the table exists and is not virtual */
    bool col[T_COUNT][MAX_COLS];   /* its columns, read once at open */
    bool in_txn;                   /* the run's read transaction is open */
    sqlite3_stmt *own[T_COUNT];    /* rows of one team (policy, mdm) */
    const char *rowid[T_COUNT];    /* a name of the rowid no column takes, or NULL */
    sqlite3_stmt *scan[T_COUNT];   /* the pass over the table (see one_pass) */
    sqlite3_stmt *fetch[T_COUNT];  /* one row by its rowid, when scan reads rowids */
    bool by_rowid[T_COUNT];        /* scan reads (rowid, team, bundle ID) */
    /* The private copy, when one was made. */
    int base_fd;                   /* the folder it was made in */
    int dir_fd;                    /* the private folder itself */
    char name[64];                 /* its name in base_fd */
    int slot;                      /* its entry in copy_slots, or -1 */
};

const char *kc_db_state_name(kc_db_state s)
{
    switch (s) {
    case KC_DB_OK:
        return "ok";
    case KC_DB_MISSING:
        return "missing";
    case KC_DB_UNREADABLE:
        return "unreadable";
    case KC_DB_CORRUPT:
        return "corrupt";
    case KC_DB_NO_TABLES:
        return "no_tables";
    case KC_DB_BUSY:
        return "busy";
    }
    return "unknown";
}

/* db->error, in the run's language like every reason (_()).  collect,
 * which writes the reasons of an open into its manifest.json, opens the
 * database in the "C" locale, so the manifest stays English. */
static void set_state(kc_policydb *db, kc_db_state s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_state(kc_policydb *db, kc_db_state s, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;

    db->state = s;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    free(db->error);
    db->error = kc_utf8_clean(buf, strlen(buf));
}

/* Percent-encodes a path for a file: URI. */
static char *uri_for(const char *path, const char *query)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(path);
    char *enc = malloc(n * 3 + 1), *uri;
    size_t o = 0;

    if (enc == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)path[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
            enc[o++] = (char)c;
        } else {
            enc[o++] = '%';
            enc[o++] = hex[c >> 4];
            enc[o++] = hex[c & 15];
        }
    }
    enc[o] = '\0';
    uri = kc_asprintf("file:%s?%s", enc, query);
    free(enc);
    return uri;
}

/* ---- files beside the database -------------------------------------------- */

/* What a file that is not a regular file is, for messages. */
static const char *kind_of(mode_t m)
{
    if (S_ISLNK(m))
        return _("a symbolic link");
    if (S_ISFIFO(m))
        return _("a FIFO");
    if (S_ISCHR(m))
        return _("a character device");
    if (S_ISBLK(m))
        return _("a block device");
    if (S_ISDIR(m))
        return _("a folder");
    if (S_ISSOCK(m))
        return _("a socket");
    return _("not a regular file");
}

typedef enum { SIB_ABSENT, SIB_REGULAR, SIB_UNUSABLE } sib_state;

/* Looks at dir/name without opening or following it: absent, a regular
 * file (size in *size), or unusable with why. */
static sib_state look_at(int dirfd, const char *name, off_t *size, char *why, size_t whylen)
{
    struct stat st;

    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT)
            return SIB_ABSENT;
        kc_snprintf(why, whylen, "%s: %s", name, strerror(errno));
        return SIB_UNUSABLE;
    }
    if (!S_ISREG(st.st_mode)) {
        kc_snprintf(why, whylen, _("%s is %s, not a regular file: SQLite cannot use it"), name,
                    kind_of(st.st_mode));
        return SIB_UNUSABLE;
    }
    *size = st.st_size;
    return SIB_REGULAR;
}

/* Opens the regular file dir/name for reading, never a FIFO, device or
 * link (checked before and after the open).  An fd, or -1 with why. */
static int open_regular(int dirfd, const char *name, struct stat *st, char *why, size_t whylen)
{
    struct stat before;
    int fd;

    if (fstatat(dirfd, name, &before, AT_SYMLINK_NOFOLLOW) != 0) {
        kc_snprintf(why, whylen, "%s: %s", name, strerror(errno));
        return -1;
    }
    if (!S_ISREG(before.st_mode)) {
        kc_snprintf(why, whylen, _("%s is %s, not a regular file"), name, kind_of(before.st_mode));
        return -1;
    }
    fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        kc_snprintf(why, whylen, "%s: %s%s", name, strerror(errno),
                    errno == EACCES ? _(" (reading it needs root)") : "");
        return -1;
    }
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) || st->st_dev != before.st_dev ||
        st->st_ino != before.st_ino) {
        kc_snprintf(why, whylen, _("%s changed while it was being opened"), name);
        close(fd);
        return -1;
    }
    return fd;
}

/* ---- the private copy ----------------------------------------------------- */

/* Private copies a signal handler must remove.  A handler reaches nothing
 * but file-scope objects, so this table is global; kextcheck opens one
 * database at a time (more than COPY_SLOTS at once are still removed on
 * every normal path, only not by the handler). */
#define COPY_SLOTS 4
static struct {
    volatile sig_atomic_t used;    /* the entry describes a live copy */
    volatile sig_atomic_t removed; /* the handler already removed it */
    int base_fd, dir_fd;
    char name[64];
} copy_slots[COPY_SLOTS];
static const int copy_signals[] = {SIGHUP, SIGINT, SIGTERM, SIGQUIT};
#define N_COPY_SIGNALS (sizeof(copy_signals) / sizeof(copy_signals[0]))
static struct sigaction copy_saved[N_COPY_SIGNALS];
static volatile sig_atomic_t copy_installed[N_COPY_SIGNALS];
static int copy_active;

/* Removes what a run can have put in its private folder, then the folder
 * when the name in base_fd is still that very folder.  Async-signal-safe. */
static void remove_copy_files(int base_fd, int dir_fd, const char *name)
{
    static const char *const names[] = {COPY_NAME, COPY_NAME "-wal", COPY_NAME "-shm",
                                        COPY_NAME "-journal"};
    struct stat dir_st, entry_st;

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        (void)unlinkat(dir_fd, names[i], 0);
    if (fstat(dir_fd, &dir_st) == 0 &&
        fstatat(base_fd, name, &entry_st, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISDIR(entry_st.st_mode) && entry_st.st_dev == dir_st.st_dev &&
        entry_st.st_ino == dir_st.st_ino)
        (void)unlinkat(base_fd, name, AT_REMOVEDIR);
}

static void on_copy_signal(int sig)
{
    int saved_errno = errno;

    for (size_t i = 0; i < COPY_SLOTS; i++) {
        if (copy_slots[i].used && !copy_slots[i].removed) {
            remove_copy_files(copy_slots[i].base_fd, copy_slots[i].dir_fd, copy_slots[i].name);
            copy_slots[i].removed = 1;
        }
    }
    /* Hand the signal to whoever had it before: it is blocked while this
     * handler runs, so raise() delivers it right after we return. */
    for (size_t i = 0; i < N_COPY_SIGNALS; i++) {
        if (copy_installed[i]) {
            (void)sigaction(copy_signals[i], &copy_saved[i], NULL);
            copy_installed[i] = 0;
        }
    }
    (void)raise(sig);
    errno = saved_errno;
}

static void block_copy_signals(sigset_t *old)
{
    sigset_t set;

    sigemptyset(&set);
    for (size_t i = 0; i < N_COPY_SIGNALS; i++)
        sigaddset(&set, copy_signals[i]);
    (void)sigprocmask(SIG_BLOCK, &set, old);
}

static void register_copy(struct kc_policydb_priv *p)
{
    sigset_t old;

    p->slot = -1;
    block_copy_signals(&old);
    for (int i = 0; i < COPY_SLOTS && p->slot < 0; i++) {
        if (copy_slots[i].used)
            continue;
        copy_slots[i].base_fd = p->base_fd;
        copy_slots[i].dir_fd = p->dir_fd;
        memcpy(copy_slots[i].name, p->name, sizeof(copy_slots[i].name));
        copy_slots[i].removed = 0;
        copy_slots[i].used = 1;
        p->slot = i;
    }
    if (p->slot >= 0 && copy_active++ == 0) {
        for (size_t i = 0; i < N_COPY_SIGNALS; i++) {
            struct sigaction sa;
            /* A signal the process ignores (nohup) stays ignored. */
            if (sigaction(copy_signals[i], NULL, &copy_saved[i]) != 0 ||
                copy_saved[i].sa_handler == SIG_IGN)
                continue;
            memset(&sa, 0, sizeof(sa));
            sa.sa_handler = on_copy_signal;
            sigfillset(&sa.sa_mask);
            if (sigaction(copy_signals[i], &sa, NULL) == 0)
                copy_installed[i] = 1;
        }
    }
    (void)sigprocmask(SIG_SETMASK, &old, NULL);
}

/* Removes the private copy (unless a signal handler already did) and
 * forgets it. */
static void remove_private_copy(kc_policydb *db)
{
    struct kc_policydb_priv *p = db->priv;
    sigset_t old;
    bool removed = false;

    if (p == NULL || p->dir_fd < 0)
        goto done;
    block_copy_signals(&old);
    if (p->slot >= 0) {
        removed = copy_slots[p->slot].removed != 0;
        copy_slots[p->slot].used = 0;
        if (--copy_active == 0) {
            for (size_t i = 0; i < N_COPY_SIGNALS; i++) {
                if (copy_installed[i]) {
                    (void)sigaction(copy_signals[i], &copy_saved[i], NULL);
                    copy_installed[i] = 0;
                }
            }
        }
        p->slot = -1;
    }
    if (!removed)
        remove_copy_files(p->base_fd, p->dir_fd, p->name);
    (void)sigprocmask(SIG_SETMASK, &old, NULL);
    close(p->dir_fd);
    p->dir_fd = -1;
done:
    if (p != NULL && p->base_fd >= 0) {
        close(p->base_fd);
        p->base_fd = -1;
    }
    free(db->tmpdir);
    db->tmpdir = NULL;
}

/* Opens a folder to make the private folder in.  own_only: it must belong
 * to the running user and be writable by nobody else ($TMPDIR); otherwise
 * it may belong to root too, and be writable by others only when sticky
 * (/tmp).  An fd, or -1 with why. */
static int open_base(const char *path, bool own_only, char *why, size_t whylen)
{
    struct stat st;
    uid_t me = geteuid();
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0) {
        kc_snprintf(why, whylen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0) {
        kc_snprintf(why, whylen, "%s: %s", path, strerror(errno));
    } else if (own_only ? st.st_uid != me : (st.st_uid != me && st.st_uid != 0)) {
        kc_snprintf(why, whylen, _("%s belongs to another user"), path);
    } else if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0 &&
               (own_only || (st.st_mode & S_ISVTX) == 0)) {
        kc_snprintf(why, whylen, _("%s is writable by other users"), path);
    } else {
        return fd;
    }
    close(fd);
    return -1;
}

/* Copies the regular file src_dir/src_name (at most KC_POLICYDB_COPY_MAX
 * bytes) to a new file dst_dir/dst_name.  0, or -1 with why. */
static int copy_capped(int src_dir, const char *src_name, int dst_dir, const char *dst_name,
                       char *why, size_t whylen)
{
    char buf[65536];
    struct stat st;
    int in = -1, out = -1, rc = -1;
    long long total = 0;
    ssize_t r;

    in = open_regular(src_dir, src_name, &st, why, whylen);
    if (in < 0)
        goto done;
    if (st.st_size > KC_POLICYDB_COPY_MAX) {
        kc_snprintf(why, whylen, _("%s is larger than %d MiB, the most kextcheck copies"),
                    src_name, KC_POLICYDB_COPY_MAX / (1024 * 1024));
        goto done;
    }
    out = openat(dst_dir, dst_name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0) {
        kc_snprintf(why, whylen, _("private copy of %s: %s"), src_name, strerror(errno));
        goto done;
    }
    while ((r = read(in, buf, sizeof(buf))) != 0) {
        if (r < 0) {
            if (errno == EINTR)
                continue;
            kc_snprintf(why, whylen, "%s: %s", src_name, strerror(errno));
            goto done;
        }
        total += r;
        if (total > KC_POLICYDB_COPY_MAX) {
            kc_snprintf(why, whylen, _("%s grew beyond %d MiB while it was copied"), src_name,
                        KC_POLICYDB_COPY_MAX / (1024 * 1024));
            goto done;
        }
        for (ssize_t w = 0; w < r;) {
            ssize_t x = write(out, buf + w, (size_t)(r - w));
            if (x < 0) {
                if (errno == EINTR)
                    continue;
                kc_snprintf(why, whylen, _("private copy of %s: %s"), src_name, strerror(errno));
                goto done;
            }
            w += x;
        }
    }
    rc = 0;
done:
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) != 0 && rc == 0) {
        kc_snprintf(why, whylen, _("private copy of %s: %s"), src_name, strerror(errno));
        rc = -1;
    }
    return rc;
}

/* Makes the private folder and copies the database (src_name in src_dir)
 * and its -wal into it.  Returns the copy's path, or NULL with why (what
 * was made is removed by remove_private_copy, as on every path). */
static char *make_private_copy(kc_policydb *db, int src_dir, const char *src_name,
                               const char *scratch, char *why, size_t whylen)
{
    struct kc_policydb_priv *p = db->priv;
    const char *base = scratch, *tmpdir = getenv("TMPDIR");
    char *tmpl = NULL, *wal = NULL, *result = NULL;
    struct stat st;
    const char *slash;

    if (base != NULL) {
        p->base_fd = open_base(base, false, why, whylen);
    } else {
        /* $TMPDIR is the user's choice: never root's, never one others can change. */
        if (geteuid() != 0 && tmpdir != NULL && tmpdir[0] == '/') {
            char ignored[512];
            p->base_fd = open_base(tmpdir, true, ignored, sizeof(ignored));
            if (p->base_fd >= 0)
                base = tmpdir;
        }
        if (base == NULL) {
            base = "/tmp";
            p->base_fd = open_base(base, false, why, whylen);
        }
    }
    if (p->base_fd < 0)
        goto done;
    tmpl = kc_asprintf("%s%s" KC_POLICYDB_COPY_PREFIX "XXXXXX", base,
                       base[strlen(base) - 1] == '/' ? "" : "/");
    if (tmpl == NULL) {
        kc_snprintf(why, whylen, "out of memory");
        goto done;
    }
    if (mkdtemp(tmpl) == NULL) {
        kc_snprintf(why, whylen, _("cannot make a private folder in %s: %s"), base,
                    strerror(errno));
        goto done;
    }
    slash = strrchr(tmpl, '/');
    if (kc_snprintf(p->name, sizeof(p->name), "%s", slash + 1) != 0) {
        kc_snprintf(why, whylen, "%s", _("private folder name too long"));
        (void)rmdir(tmpl);
        goto done;
    }
    /* The folder mkdtemp made, seen from the folder that was checked. */
    p->dir_fd = openat(p->base_fd, p->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (p->dir_fd < 0 || fstat(p->dir_fd, &st) != 0 || st.st_uid != geteuid() ||
        (st.st_mode & 077) != 0) {
        kc_snprintf(why, whylen, _("the private folder %s changed while it was made"), tmpl);
        if (p->dir_fd >= 0)
            close(p->dir_fd);
        p->dir_fd = -1;
        (void)rmdir(tmpl);
        goto done;
    }
    db->tmpdir = tmpl;
    tmpl = NULL;
    register_copy(p);
    wal = kc_asprintf("%s-wal", src_name);
    if (wal == NULL) {
        kc_snprintf(why, whylen, "out of memory");
        goto done;
    }
    if (copy_capped(src_dir, src_name, p->dir_fd, COPY_NAME, why, whylen) != 0 ||
        copy_capped(src_dir, wal, p->dir_fd, COPY_NAME "-wal", why, whylen) != 0)
        goto done;
    result = kc_asprintf("%s/" COPY_NAME, db->tmpdir);
    if (result == NULL)
        kc_snprintf(why, whylen, "out of memory");
done:
    free(tmpl);
    free(wal);
    return result;
}

/* ---- the run's snapshot --------------------------------------------------- */

static kc_db_state state_for(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return KC_DB_CORRUPT;
    default:
        return KC_DB_UNREADABLE;
    }
}

/* Errors that pass when the other process is done: a lock, or a WAL index
 * being rebuilt (SQLITE_READONLY_RECOVERY under readonly_shm). */
static bool transient(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_PROTOCOL:
        return true;
    default:
        break;
    }
#ifdef SQLITE_READONLY_CANTINIT
    if (rc == SQLITE_READONLY_CANTINIT)
        return true;
#endif
    return rc == SQLITE_READONLY_RECOVERY;
}

/* A hot -journal: a writer's transaction left unfinished.  While a writer
 * runs, a reader can see one for an instant (the writer finishes it); one
 * that stays was left by a writer that died, and only a writer can roll it
 * back, which kextcheck never is. */
static bool hot_journal(int rc)
{
    return rc == SQLITE_READONLY_ROLLBACK;
}

static int table_index(const unsigned char *name)
{
    for (int t = 0; name != NULL && t < T_COUNT; t++)
        if (strcmp((const char *)name, tables[t].name) == 0)
            return t;
    return -1;
}

/* The names SQLite gives a table's rowid, unless a column takes one. */
#define ROWID_NAMES 3
static const char *const rowid_names[ROWID_NAMES] = {"rowid", "_rowid_", "oid"};

/* Which tables exist, then each one's columns (one pragma_table_info per
 * table) and which name of the rowid is free.  The first read of the
 * transaction: it takes the snapshot. */
static int read_schema(sqlite3 *h, struct kc_policydb_priv *p)
{
    sqlite3_stmt *st = NULL;
    int rc;

    memset(p->table, 0, sizeof(p->table));
    memset(p->col, 0, sizeof(p->col));
    rc = sqlite3_prepare_v2(h,
                            "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN "
                            "('kext_policy', 'kext_policy_mdm', 'kext_load_history_v3') "
                            "AND sql NOT LIKE 'CREATE VIRTUAL%'",
                            -1, &st, NULL);
    if (rc != SQLITE_OK)
        goto done;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int t = table_index(sqlite3_column_text(st, 0));
        if (t >= 0)
            p->table[t] = true;
    }
    if (rc != SQLITE_DONE)
        goto done;
    sqlite3_finalize(st);
    st = NULL;
    rc = sqlite3_prepare_v2(h, "SELECT name FROM pragma_table_info(?1)", -1, &st, NULL);
    for (int t = 0; rc == SQLITE_OK && t < T_COUNT; t++) {
        bool taken[ROWID_NAMES] = {false};
        if (!p->table[t])
            continue;
        rc = sqlite3_bind_text(st, 1, tables[t].name, -1, SQLITE_STATIC);
        while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            const char *name = (const char *)sqlite3_column_text(st, 0);
            for (size_t c = 0; name != NULL && c < tables[t].ncols; c++)
                if (sqlite3_stricmp(name, tables[t].cols[c]) == 0)
                    p->col[t][c] = true;
            for (size_t k = 0; name != NULL && k < ROWID_NAMES; k++)
                if (sqlite3_stricmp(name, rowid_names[k]) == 0)
                    taken[k] = true;
            rc = SQLITE_OK;
        }
        if (rc == SQLITE_DONE)
            rc = sqlite3_reset(st);
        for (size_t k = ROWID_NAMES; k-- > 0;)
            if (!taken[k])
                p->rowid[t] = rowid_names[k];
    }
done:
    sqlite3_finalize(st);
    return rc;
}

/* BEGIN, then the first read, retried while the database is busy or shows
 * a writer's journal.  SQLITE_OK
 * with the transaction open, or the last error with its message in why. */
static int take_snapshot(sqlite3 *h, struct kc_policydb_priv *p, char *why, size_t whylen)
{
    long long deadline = kc_now_ms() + BUSY_BUDGET_MS;
    int rc;

    for (;;) {
        rc = sqlite3_exec(h, "BEGIN", NULL, NULL, NULL);
        if (rc == SQLITE_OK) {
            rc = read_schema(h, p);
            if (rc == SQLITE_OK) {
                p->in_txn = true;
                return rc;
            }
        }
        kc_snprintf(why, whylen, "%s", sqlite3_errmsg(h));
        if (sqlite3_get_autocommit(h) == 0)
            (void)sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
        if ((!transient(rc) && !hot_journal(rc)) || kc_now_ms() >= deadline)
            return rc;
        kc_sleep_ms(BUSY_PAUSE_MS);
    }
}

/* ---- opening ----------------------------------------------------------- */

void kc_policydb_open(kc_policydb *db, const char *path)
{
    kc_policydb_open_in(db, path, NULL);
}

static bool has_cols(const struct kc_policydb_priv *p, int t, size_t n)
{
    /* The first n columns of the table's list are required. */
    if (!p->table[t])
        return false;
    for (size_t c = 0; c < n; c++)
        if (!p->col[t][c])
            return false;
    return true;
}

void kc_policydb_open_in(kc_policydb *db, const char *path, const char *scratch)
{
    unsigned char header[100];
    char why[512];
    struct stat st;
    struct kc_policydb_priv *p;
    const char *query = "mode=ro", *name;
    char *uri = NULL, *open_path = NULL, *dir = NULL;
    sqlite3 *h = NULL;
    int dirfd = -1, fd = -1, rc;
    ssize_t got;
    off_t wal_size = 0, shm_size = 0, journal_size = 0;
    sib_state wal_st, shm_st, journal_st;
    bool wal;

    memset(db, 0, sizeof(*db));
    db->path = kc_strdup(path);
    db->access = "in_place";
    p = db->priv = calloc(1, sizeof(*db->priv));
    if (p != NULL)
        p->base_fd = p->dir_fd = p->slot = -1;
    if (db->path == NULL || p == NULL) {
        set_state(db, KC_DB_UNREADABLE, "%s", _("out of memory"));
        goto done;
    }

    /* The folder that holds the database; its files are looked up there. */
    name = strrchr(path, '/');
    dir = name == NULL ? kc_strdup(".")
                       : name == path ? kc_strdup("/")
                                      : kc_asprintf("%.*s", (int)(name - path), path);
    name = name == NULL ? path : name + 1;
    if (dir == NULL) {
        set_state(db, KC_DB_UNREADABLE, "%s", _("out of memory"));
        goto done;
    }
    if (name[0] == '\0') {
        set_state(db, KC_DB_UNREADABLE, "%s", _("not a regular file (a folder)"));
        goto done;
    }
    dirfd = open(dir, LOOKUP_FLAGS);
    if (dirfd < 0) {
        set_state(db, errno == ENOENT || errno == ENOTDIR ? KC_DB_MISSING : KC_DB_UNREADABLE,
                  "%s", strerror(errno));
        goto done;
    }
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        set_state(db, errno == ENOENT ? KC_DB_MISSING : KC_DB_UNREADABLE, "%s",
                  strerror(errno));
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        if (S_ISLNK(st.st_mode))
            set_state(db, KC_DB_UNREADABLE, "%s",
                      _("is a symbolic link, not the database file"));
        else
            set_state(db, KC_DB_UNREADABLE, _("not a regular file (%s)"), kind_of(st.st_mode));
        goto done;
    }
    fd = open_regular(dirfd, name, &st, why, sizeof(why));
    if (fd < 0) {
        set_state(db, KC_DB_UNREADABLE, "%s", why);
        goto done;
    }
    got = read(fd, header, sizeof(header));
    if (got < 0) {
        set_state(db, KC_DB_UNREADABLE, "%s", strerror(errno));
        goto done;
    }
    /* Closed before SQLite opens the file: closing any descriptor of a file
     * drops every POSIX lock the process holds on it, the run's read lock
     * included (a writer could then change the pages being read). */
    close(fd);
    fd = -1;
    if (got == 0) {
        set_state(db, KC_DB_NO_TABLES, "%s", _("the file is empty"));
        goto done;
    }
    if (got < (ssize_t)sizeof(header) || memcmp(header, "SQLite format 3", 16) != 0) {
        set_state(db, KC_DB_CORRUPT, "%s", _("not an SQLite database (bad header)"));
        goto done;
    }

    /* SQLite opens these by name itself: each must be absent or a regular
     * file, or it could block on a FIFO or read a device. */
    {
        char *wal_name = kc_asprintf("%s-wal", name), *shm_name = kc_asprintf("%s-shm", name);
        char *journal_name = kc_asprintf("%s-journal", name);
        if (wal_name == NULL || shm_name == NULL || journal_name == NULL) {
            free(wal_name);
            free(shm_name);
            free(journal_name);
            set_state(db, KC_DB_UNREADABLE, "%s", _("out of memory"));
            goto done;
        }
        wal_st = look_at(dirfd, wal_name, &wal_size, why, sizeof(why));
        shm_st = wal_st == SIB_UNUSABLE ? SIB_ABSENT
                                        : look_at(dirfd, shm_name, &shm_size, why, sizeof(why));
        journal_st = wal_st == SIB_UNUSABLE || shm_st == SIB_UNUSABLE
                         ? SIB_ABSENT
                         : look_at(dirfd, journal_name, &journal_size, why, sizeof(why));
        free(wal_name);
        free(shm_name);
        free(journal_name);
        if (wal_st == SIB_UNUSABLE || shm_st == SIB_UNUSABLE || journal_st == SIB_UNUSABLE) {
            set_state(db, KC_DB_UNREADABLE, "%s", why);
            goto done;
        }
    }
    /* A non-empty -wal is replayed whatever the header says. */
    wal = header[18] == 2 || header[19] == 2 || (wal_st == SIB_REGULAR && wal_size > 0);
    if (wal && wal_st == SIB_ABSENT) {
        query = "immutable=1";
        db->access = "immutable";
    } else if (wal && shm_st == SIB_REGULAR) {
        query = "mode=ro&readonly_shm=1";
    } else if (wal) {
        open_path = make_private_copy(db, dirfd, name, scratch, why, sizeof(why));
        if (open_path == NULL) {
            set_state(db, KC_DB_UNREADABLE, _("-wal without -shm, and %s"), why);
            goto done;
        }
        db->access = "private_copy";
    }
    uri = uri_for(open_path ? open_path : path, query);
    if (uri == NULL) {
        set_state(db, KC_DB_UNREADABLE, "%s", _("out of memory"));
        goto done;
    }
    /* No page-cache slab of 20 pages (88 KiB, every page of it written)
     * set up ahead for each connection: pages are allocated as they are
     * read.  A setting of the library, taken only before SQLite starts; a
     * later call changes nothing and is refused, harmlessly. */
    (void)sqlite3_config(SQLITE_CONFIG_PAGECACHE, (void *)NULL, 0, 0);
    /* NOMUTEX: one thread uses the connection, so no lock around every
     * sqlite3_column_* call (a pass over a large table makes millions). */
    rc = sqlite3_open_v2(uri, &h,
                         SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOFOLLOW |
                             SQLITE_OPEN_NOMUTEX,
                         NULL);
    if (rc != SQLITE_OK) {
        set_state(db, state_for(rc), "%s", h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        goto done;
    }
    sqlite3_busy_timeout(h, BUSY_SLICE_MS);
    sqlite3_extended_result_codes(h, 1);
    /* Hostile files: no trust in the schema, bounded work. */
    sqlite3_db_config(h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
    sqlite3_db_config(h, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    sqlite3_limit(h, SQLITE_LIMIT_LENGTH, 1 << 20);
    rc = take_snapshot(h, p, why, sizeof(why));
    /* Inside the run's transaction, where the schema is read already (the
     * pragma needs it, and would otherwise read it in a transaction of its
     * own); the few pages cached so far fit the smaller cache. */
    if (rc == SQLITE_OK)
        (void)sqlite3_exec(h, "PRAGMA cache_size = -" KC_STR(CACHE_KIB), NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        if (transient(rc))
            set_state(db, KC_DB_BUSY,
                      "the database is busy (another process is writing it): try again (%s)",
                      why);
        else if (hot_journal(rc))
            set_state(db, KC_DB_UNREADABLE,
                      "a write to the database was left unfinished (a hot %s-journal file): "
                      "macOS rolls it back the next time it opens the database; run "
                      "kextcheck on the Mac after that, or collect the case again",
                      name);
        else
            set_state(db, state_for(rc), "%s", why);
        goto done;
    }
    db->has_kext_policy = has_cols(p, T_POLICY, 3);          /* team, bundle, allowed */
    db->has_mdm = has_cols(p, T_MDM, 2);                      /* team, bundle */
    db->has_history = p->table[T_HISTORY] && p->col[T_HISTORY][0]; /* path */
    db->has_cdhash = db->has_history && p->col[T_HISTORY][6];
    if (!db->has_kext_policy) {
        set_state(db, KC_DB_NO_TABLES, "%s",
                  p->table[T_POLICY]
                      ? _("kext_policy lacks the team_id, bundle_id or allowed column")
                      : _("the database has no kext_policy table"));
        goto done;
    }
    db->state = KC_DB_OK;
    db->db = h;
    h = NULL;
done:
    if (h != NULL) {
        if (p != NULL && p->in_txn)
            (void)sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
        sqlite3_close(h);
    }
    if (p != NULL && db->state != KC_DB_OK)
        p->in_txn = false;
    if (db->state != KC_DB_OK)
        remove_private_copy(db);
    if (fd >= 0)
        close(fd);
    if (dirfd >= 0)
        close(dirfd);
    free(dir);
    free(uri);
    free(open_path);
}

void kc_policydb_open_root(kc_policydb *db, const kc_rootfs *fs, const char *mac_path,
                           const char *scratch)
{
    kc_rootfs_ref ref;
    int err = kc_rootfs_resolve(fs, mac_path, true, &ref);

    if (err == 0) {
        /* The resolved path has no link left, as SQLITE_OPEN_NOFOLLOW needs. */
        kc_policydb_open_in(db, ref.host_path, scratch);
        kc_rootfs_ref_free(&ref);
        return;
    }
    memset(db, 0, sizeof(*db));
    db->access = "in_place";
    db->path = kc_asprintf("%s%s", strcmp(fs->real, "/") == 0 ? "" : fs->real, mac_path);
    set_state(db, err == ENOENT || err == ENOTDIR ? KC_DB_MISSING : KC_DB_UNREADABLE, "%s",
              err == ELOOP ? _("too many symbolic links on the way") : kc_rootfs_strerror(err));
}

void kc_policydb_open_file(kc_policydb *db, const char *path, const char *scratch)
{
    char real[PATH_MAX];

    /* A file the user named: links in its path are the user's choice. */
    if (realpath(path, real) != NULL) {
        kc_policydb_open_in(db, real, scratch);
        return;
    }
    kc_policydb_open_in(db, path, scratch);
}

/* ---- rows ------------------------------------------------------------------ */

/* A text column as clean UTF-8 (NULL stays NULL; other types as text). */
static char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t;
    int n;

    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return NULL;
    t = sqlite3_column_text(st, i);
    n = sqlite3_column_bytes(st, i);
    if (t == NULL)
        return kc_strdup("");
    return kc_utf8_clean((const char *)t, (size_t)n);
}

static int col_bool(sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) != SQLITE_INTEGER)
        return -1;
    switch (sqlite3_column_int64(st, i)) {
    case 0:
        return 0;
    case 1:
        return 1;
    default:
        return -1;
    }
}

static bool col_int(sqlite3_stmt *st, int i, long long *v)
{
    if (sqlite3_column_type(st, i) != SQLITE_INTEGER)
        return false;
    *v = sqlite3_column_int64(st, i);
    return true;
}

#define GROW(arr, n)                                                      \
    do {                                                                  \
        void *g_ = realloc((arr), ((n) + 1) * sizeof(*(arr)));            \
        if (g_ == NULL)                                                   \
            return -1;                                                    \
        (arr) = g_;                                                       \
        memset(&(arr)[(n)], 0, sizeof(*(arr)));                           \
    } while (0)

static int take_policy(sqlite3_stmt *st, kc_policy_rows *r)
{
    kc_policy_row *p;

    GROW(r->policy, r->n_policy);
    p = &r->policy[r->n_policy++];
    p->team_id = col_text(st, 0);
    p->bundle_id = col_text(st, 1);
    p->allowed = col_bool(st, 2);
    p->developer_name = col_text(st, 3);
    p->has_flags = col_int(st, 4, &p->flags);
    return 0;
}

static int take_mdm(sqlite3_stmt *st, kc_policy_rows *r)
{
    kc_mdm_row *m;

    GROW(r->mdm, r->n_mdm);
    m = &r->mdm[r->n_mdm++];
    m->team_id = col_text(st, 0);
    m->bundle_id = col_text(st, 1);
    /* Profiles install approvals: a row without an allowed column approves. */
    m->allowed = sqlite3_column_type(st, 2) == SQLITE_NULL ? 1 : col_bool(st, 2);
    m->payload_uuid = col_text(st, 3);
    return 0;
}

static int take_history(sqlite3_stmt *st, kc_policy_rows *r)
{
    kc_history_row *h;

    GROW(r->history, r->n_history);
    h = &r->history[r->n_history++];
    h->path = col_text(st, 0);
    h->team_id = col_text(st, 1);
    h->bundle_id = col_text(st, 2);
    h->created_at = col_text(st, 3);
    h->last_seen = col_text(st, 4);
    h->has_flags = col_int(st, 5, &h->flags);
    h->cdhash = col_text(st, 6);
    return 0;
}

/* Adds the current row of table t to r, up to MAX_ROWS rows of that table. */
static int add_row(int t, sqlite3_stmt *st, kc_policy_rows *r)
{
    size_t have = t == T_POLICY ? r->n_policy : t == T_MDM ? r->n_mdm : r->n_history;

    if (have >= MAX_ROWS) {
        r->truncated = true;
        return 0;
    }
    return t == T_POLICY ? take_policy(st, r) : t == T_MDM ? take_mdm(st, r)
                                                           : take_history(st, r);
}

/* A declared team or bundle ID and the vendor that declared it. */
typedef struct id_ref {
    const char *s;
    size_t len;
    size_t vendor;
} id_ref;

static int cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);

    return c != 0 ? c : alen < blen ? -1 : alen > blen;
}

static int cmp_ref(const void *a, const void *b)
{
    const id_ref *x = a, *y = b;
    int c = cmp_bytes(x->s, x->len, y->s, y->len);

    return c != 0 ? c : x->vendor < y->vendor ? -1 : x->vendor > y->vendor;
}

/* The first entry of refs (sorted) equal to s, or n. */
static size_t find_ref(const id_ref *refs, size_t n, const char *s, size_t len)
{
    size_t lo = 0, hi = n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_bytes(refs[mid].s, refs[mid].len, s, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && cmp_bytes(refs[lo].s, refs[lo].len, s, len) == 0 ? lo : n;
}

/* Column i as text bytes when it is stored as text; false otherwise. */
static bool col_bytes(sqlite3_stmt *st, int i, const char **s, size_t *len)
{
    if (sqlite3_column_type(st, i) != SQLITE_TEXT)
        return false;
    *s = (const char *)sqlite3_column_text(st, i);
    *len = (size_t)sqlite3_column_bytes(st, i);
    return *s != NULL;
}

/* The row belongs to team (its team_id is that text, byte for byte). */
static bool own_row(sqlite3_stmt *st, int t, const char *team)
{
    const char *s;
    size_t len;

    return team != NULL && col_bytes(st, tables[t].team_col, &s, &len) &&
           cmp_bytes(s, len, team, strlen(team)) == 0;
}

/* "SELECT <columns> FROM <table>" and the rest. */
static char *select_sql(const struct kc_policydb_priv *p, int t, const char *rest)
{
    char list[512];
    size_t o = 0;

    list[0] = '\0';
    for (size_t c = 0; c < tables[t].ncols; c++) {
        int n = snprintf(list + o, sizeof(list) - o, "%s%s", c ? ", " : "",
                         p->col[t][c] ? tables[t].cols[c] : "NULL");
        if (n < 0 || (size_t)n >= sizeof(list) - o)
            return NULL;
        o += (size_t)n;
    }
    return kc_asprintf("SELECT %s FROM %s %s", list, tables[t].name, rest);
}

/* Prepares *st from sql once per run.  0, or -1 with db->error. */
static int prepare_once(kc_policydb *db, int t, sqlite3_stmt **st, char *sql)
{
    int rc = 0;

    if (*st != NULL) {
        free(sql);
        return 0;
    }
    if (sql == NULL) {
        set_state(db, KC_DB_OK, "%s", _("out of memory"));
        return -1;
    }
    if (sqlite3_prepare_v3(db->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK) {
        set_state(db, KC_DB_OK, "%s: %s", tables[t].name, sqlite3_errmsg(db->db));
        rc = -1;
    }
    free(sql);
    return rc;
}

static int step_failed(kc_policydb *db, int t, int rc)
{
    if (transient(rc))
        set_state(db, KC_DB_OK,
                  _("%s: the database is busy (another process is writing it): try again (%s)"),
                  tables[t].name, sqlite3_errmsg(db->db));
    else
        set_state(db, KC_DB_OK, "%s: %s", tables[t].name, sqlite3_errmsg(db->db));
    return -1;
}

/* Each vendor's own rows of table t: one index lookup (team_id is the
 * first column of the primary key) per vendor. */
static int read_own(kc_policydb *db, int t, const kc_vendor *vs, size_t n, kc_policy_rows *out)
{
    struct kc_policydb_priv *p = db->priv;
    sqlite3_stmt *st;
    int rc = 0;
    char rest[64];

    kc_snprintf(rest, sizeof(rest), "WHERE team_id = ?1 LIMIT %d", MAX_ROWS + 1);
    if (prepare_once(db, t, &p->own[t], select_sql(p, t, rest)) != 0)
        return -1;
    st = p->own[t];
    for (size_t v = 0; v < n && rc == 0; v++) {
        int step = SQLITE_DONE;
        if (vs[v].team_id == NULL)
            continue;
        sqlite3_reset(st);
        if (sqlite3_bind_text(st, 1, vs[v].team_id, -1, SQLITE_STATIC) != SQLITE_OK)
            return step_failed(db, t, sqlite3_errcode(db->db));
        while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
            if (!own_row(st, t, vs[v].team_id))
                continue;
            if (add_row(t, st, &out[v]) != 0) {
                set_state(db, KC_DB_OK, "%s", _("out of memory"));
                rc = -1;
            }
        }
        if (rc == 0 && step != SQLITE_DONE && step != SQLITE_ROW)
            rc = step_failed(db, t, step);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc;
}

/* The current row of table t, whose bundle ID is one of ids (sorted), goes
 * to every vendor that declared that ID under another team. */
static int add_cross(kc_policydb *db, int t, sqlite3_stmt *st, const id_ref *ids, size_t nids,
                     const kc_vendor *vs, kc_policy_rows *out)
{
    const char *s;
    size_t len, i;

    if (!col_bytes(st, tables[t].bundle_col, &s, &len))
        return 0;
    for (i = find_ref(ids, nids, s, len);
         i < nids && cmp_bytes(ids[i].s, ids[i].len, s, len) == 0; i++) {
        if (own_row(st, t, vs[ids[i].vendor].team_id))
            continue;
        if (add_row(t, st, &out[ids[i].vendor]) != 0) {
            set_state(db, KC_DB_OK, "%s", _("out of memory"));
            return -1;
        }
    }
    return 0;
}

/* One pass over table t for every vendor at once: the rows of the teams in
 * teams (the load history, which has no index on team_id) and the rows
 * that carry a bundle ID of ids under another team than the vendor's that
 * declared it (TEAM_MISMATCH).  Both lists are sorted; the test is made
 * here, not by SQLite, whose IN (...) lists build temporary b-trees (about
 * 200 KiB) and decode every column of every row. */
/* Which values a sorted list of refs holds, by hash: the index of each
 * distinct value's first ref, so that most rows (of no vendor) cost a hash
 * and no comparison. */
typedef struct ref_set {
    size_t *slot; /* index + 1 in the list; 0: free */
    size_t mask;
} ref_set;

/* A hash of the length and of the first and last 8 bytes: bundle IDs and
 * team IDs differ there, and a row that matches no value (most rows) costs
 * two loads and a multiplication.  Equal values hash alike; the rest is
 * told apart by memcmp. */
static uint64_t bytes_hash(const char *s, size_t len)
{
    uint64_t head = 0, tail = 0;
    size_t n = len < 8 ? len : 8;

    memcpy(&head, s, n);
    memcpy(&tail, s + len - n, n);
    return ((head * 0x9E3779B97F4A7C15ull) ^ (tail + len)) * 0xBF58476D1CE4E5B9ull >> 7;
}

static int ref_set_init(ref_set *rs, const id_ref *refs, size_t n)
{
    size_t cap = 16;

    while (cap < 2 * n)
        cap *= 2;
    rs->mask = cap - 1;
    rs->slot = calloc(cap, sizeof(*rs->slot));
    if (rs->slot == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        size_t k;
        if (i > 0 && cmp_bytes(refs[i].s, refs[i].len, refs[i - 1].s, refs[i - 1].len) == 0)
            continue;
        for (k = (size_t)bytes_hash(refs[i].s, refs[i].len) & rs->mask; rs->slot[k] != 0;
             k = (k + 1) & rs->mask)
            ;
        rs->slot[k] = i + 1;
    }
    return 0;
}

/* The first ref equal to s, or n. */
static size_t ref_set_find(const ref_set *rs, const id_ref *refs, size_t n, const char *s,
                           size_t len)
{
    for (size_t k = (size_t)bytes_hash(s, len) & rs->mask; rs->slot[k] != 0;
         k = (k + 1) & rs->mask) {
        const id_ref *r = &refs[rs->slot[k] - 1];
        if (r->len == len && memcmp(r->s, s, len) == 0)
            return rs->slot[k] - 1;
    }
    return n;
}

typedef struct pass {
    kc_policydb *db;
    int t;
    const id_ref *teams;
    size_t nteams;
    const id_ref *ids;
    size_t nids;
    const kc_vendor *vs;
    kc_policy_rows *out;
    size_t *taken; /* rows of t each vendor has or will be given */
    ref_set team_set, id_set;
} pass;

static size_t rows_of(const kc_policy_rows *r, int t)
{
    return t == T_POLICY ? r->n_policy : t == T_MDM ? r->n_mdm : r->n_history;
}

/* Counts a row for vendor v: true while v has room (MAX_ROWS), otherwise
 * v's rows are marked cut, as add_row does. */
static bool count_for(pass *ps, size_t v)
{
    if (ps->taken[v] < MAX_ROWS) {
        ps->taken[v]++;
        return true;
    }
    ps->out[v].truncated = true;
    return false;
}

/* Whether the row whose team and bundle ID are columns tc and bc of st is
 * for a vendor with room left (counted for each vendor it is for). */
static bool choose(pass *ps, sqlite3_stmt *st, int tc, int bc)
{
    const char *team = NULL, *bundle = NULL;
    size_t tl = 0, bl = 0, i;
    bool has_team = col_bytes(st, tc, &team, &tl), take = false;

    if (has_team && ps->nteams > 0)
        for (i = ref_set_find(&ps->team_set, ps->teams, ps->nteams, team, tl);
             i < ps->nteams && cmp_bytes(ps->teams[i].s, ps->teams[i].len, team, tl) == 0; i++)
            take = count_for(ps, ps->teams[i].vendor) || take;
    if (!col_bytes(st, bc, &bundle, &bl))
        return take;
    for (i = ref_set_find(&ps->id_set, ps->ids, ps->nids, bundle, bl);
         i < ps->nids && cmp_bytes(ps->ids[i].s, ps->ids[i].len, bundle, bl) == 0; i++) {
        const char *own = ps->vs[ps->ids[i].vendor].team_id;
        if (own != NULL && has_team && cmp_bytes(team, tl, own, strlen(own)) == 0)
            continue;
        take = count_for(ps, ps->ids[i].vendor) || take;
    }
    return take;
}

/* The whole current row of st (the table's columns) to every vendor it is
 * for: its team's vendors (when teams are asked for), then the vendors of
 * its bundle ID under another team. */
static int take_row(pass *ps, sqlite3_stmt *st)
{
    const char *s;
    size_t len;
    int t = ps->t;

    if (ps->nteams > 0 && col_bytes(st, tables[t].team_col, &s, &len))
        for (size_t i = find_ref(ps->teams, ps->nteams, s, len);
             i < ps->nteams && cmp_bytes(ps->teams[i].s, ps->teams[i].len, s, len) == 0; i++)
            if (add_row(t, st, &ps->out[ps->teams[i].vendor]) != 0) {
                set_state(ps->db, KC_DB_OK, "%s", _("out of memory"));
                return -1;
            }
    return add_cross(ps->db, t, st, ps->ids, ps->nids, ps->vs, ps->out);
}

/* The pass's statements, prepared once per run: a scan of (rowid, team ID,
 * bundle ID), which for kext_policy and kext_policy_mdm reads the primary
 * key's index alone, and the whole row fetched by rowid for the few rows
 * chosen; or, for a table without a usable rowid name (WITHOUT ROWID, or
 * columns named rowid, _rowid_ and oid), a scan of whole rows. */
static int prepare_pass(kc_policydb *db, int t)
{
    struct kc_policydb_priv *p = db->priv;
    const struct table_def *d = &tables[t];

    if (p->scan[t] != NULL)
        return 0;
    if (p->rowid[t] != NULL) {
        char where[32];
        char *scan = kc_asprintf("SELECT %s, %s, %s FROM %s", p->rowid[t],
                                 p->col[t][d->team_col] ? d->cols[d->team_col] : "NULL",
                                 p->col[t][d->bundle_col] ? d->cols[d->bundle_col] : "NULL",
                                 d->name);
        kc_snprintf(where, sizeof(where), "WHERE %s = ?1", p->rowid[t]);
        if (scan != NULL &&
            sqlite3_prepare_v3(db->db, scan, -1, SQLITE_PREPARE_PERSISTENT, &p->scan[t], NULL) ==
                SQLITE_OK &&
            prepare_once(db, t, &p->fetch[t], select_sql(p, t, where)) == 0) {
            free(scan);
            p->by_rowid[t] = true;
            return 0;
        }
        free(scan);
        sqlite3_finalize(p->scan[t]);
        sqlite3_finalize(p->fetch[t]);
        p->scan[t] = p->fetch[t] = NULL;
        /* Not an error: whole rows are read instead. */
        free(db->error);
        db->error = NULL;
    }
    p->by_rowid[t] = false;
    return prepare_once(db, t, &p->scan[t], select_sql(p, t, ""));
}

static int cmp_rowid(const void *a, const void *b)
{
    sqlite3_int64 x = *(const sqlite3_int64 *)a, y = *(const sqlite3_int64 *)b;

    return (x > y) - (x < y);
}

/* The rows chosen by the scan, whole, in rowid order (the order of a scan
 * of the table). */
static int fetch_rows(pass *ps, sqlite3_int64 *rowids, size_t n)
{
    sqlite3_stmt *st = ps->db->priv->fetch[ps->t];
    int rc = 0;

    if (n > 1)
        qsort(rowids, n, sizeof(*rowids), cmp_rowid);
    for (size_t i = 0; i < n && rc == 0; i++) {
        int step;
        sqlite3_reset(st);
        if (sqlite3_bind_int64(st, 1, rowids[i]) != SQLITE_OK)
            return step_failed(ps->db, ps->t, sqlite3_errcode(ps->db->db));
        while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
            rc = take_row(ps, st);
        if (rc == 0 && step != SQLITE_DONE)
            rc = step_failed(ps->db, ps->t, step);
    }
    sqlite3_reset(st);
    return rc;
}

static int one_pass(pass *ps)
{
    kc_policydb *db = ps->db;
    struct kc_policydb_priv *p = db->priv;
    const struct table_def *d = &tables[ps->t];
    sqlite3_int64 *rowids = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *st;
    int step, rc = 0;

    if (ps->nteams == 0 && ps->nids == 0)
        return 0;
    if (prepare_pass(db, ps->t) != 0)
        return -1;
    st = p->scan[ps->t];
    sqlite3_reset(st);
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        if (!p->by_rowid[ps->t]) {
            if (choose(ps, st, d->team_col, d->bundle_col))
                rc = take_row(ps, st);
            continue;
        }
        if (!choose(ps, st, 1, 2))
            continue;
        if (n == cap) {
            size_t grown_cap = cap ? cap * 2 : 64;
            sqlite3_int64 *grown = realloc(rowids, grown_cap * sizeof(*grown));
            if (grown == NULL) {
                set_state(db, KC_DB_OK, "%s", _("out of memory"));
                rc = -1;
                break;
            }
            rowids = grown;
            cap = grown_cap;
        }
        rowids[n++] = sqlite3_column_int64(st, 0);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = step_failed(db, ps->t, step);
    sqlite3_reset(st);
    if (rc == 0 && p->by_rowid[ps->t])
        rc = fetch_rows(ps, rowids, n);
    free(rowids);
    return rc;
}

/* A pass over table t (teams: its own rows are found by team too). */
static int read_pass(kc_policydb *db, int t, const id_ref *teams, size_t nteams,
                     const id_ref *ids, size_t nids, const kc_vendor *vs, size_t n,
                     kc_policy_rows *out)
{
    pass ps = {db, t, teams, nteams, ids, nids, vs, out, NULL, {NULL, 0}, {NULL, 0}};
    int rc = -1;

    ps.taken = calloc(n ? n : 1, sizeof(*ps.taken));
    if (ps.taken == NULL || ref_set_init(&ps.team_set, teams, nteams) != 0 ||
        ref_set_init(&ps.id_set, ids, nids) != 0) {
        set_state(db, KC_DB_OK, "%s", _("out of memory"));
        goto done;
    }
    for (size_t v = 0; v < n; v++)
        ps.taken[v] = rows_of(&out[v], t);
    rc = one_pass(&ps);
done:
    free(ps.taken);
    free(ps.team_set.slot);
    free(ps.id_set.slot);
    return rc;
}

int kc_policydb_read_all(kc_policydb *db, const kc_vendor *vendors, size_t n,
                         kc_policy_rows *out)
{
    struct kc_policydb_priv *p = db->priv;
    id_ref *teams = NULL, *ids = NULL;
    size_t nteams = 0, nids = 0, cap = 0;
    int rc = -1;

    for (size_t v = 0; v < n; v++)
        memset(&out[v], 0, sizeof(out[v]));
    if (db->state != KC_DB_OK || db->db == NULL || p == NULL)
        return -1;
    if (n == 0)
        return 0;
    for (size_t v = 0; v < n; v++)
        cap += vendors[v].kexts.n;
    teams = calloc(n, sizeof(*teams));
    ids = calloc(cap ? cap : 1, sizeof(*ids));
    if (teams == NULL || ids == NULL) {
        set_state(db, KC_DB_OK, "%s", _("out of memory"));
        goto done;
    }
    for (size_t v = 0; v < n; v++) {
        if (vendors[v].team_id != NULL)
            teams[nteams++] = (id_ref){vendors[v].team_id, strlen(vendors[v].team_id), v};
        for (size_t k = 0; k < vendors[v].kexts.n; k++)
            if (vendors[v].kexts.v[k] != NULL)
                ids[nids++] = (id_ref){vendors[v].kexts.v[k], strlen(vendors[v].kexts.v[k]), v};
    }
    qsort(teams, nteams, sizeof(*teams), cmp_ref);
    qsort(ids, nids, sizeof(*ids), cmp_ref);

    if (read_own(db, T_POLICY, vendors, n, out) != 0 ||
        read_pass(db, T_POLICY, NULL, 0, ids, nids, vendors, n, out) != 0)
        goto done;
    if (db->has_mdm && (read_own(db, T_MDM, vendors, n, out) != 0 ||
                        read_pass(db, T_MDM, NULL, 0, ids, nids, vendors, n, out) != 0))
        goto done;
    /* Without team_id and bundle_id nothing in the history is attributable. */
    if (db->has_history && p->col[T_HISTORY][1] && p->col[T_HISTORY][2] &&
        read_pass(db, T_HISTORY, teams, nteams, ids, nids, vendors, n, out) != 0)
        goto done;
    rc = 0;
done:
    if (rc != 0)
        for (size_t v = 0; v < n; v++)
            kc_policy_rows_free(&out[v]);
    free(teams);
    free(ids);
    return rc;
}

int kc_policydb_query(kc_policydb *db, const char *team_id, const kc_strv *bundle_ids,
                      kc_policy_rows *out)
{
    kc_vendor v;

    memset(&v, 0, sizeof(v));
    /* read_all only reads the vendor: the casts lend it the caller's strings. */
    v.team_id = (char *)team_id;
    v.kexts = *bundle_ids;
    return kc_policydb_read_all(db, &v, 1, out);
}

void kc_policy_rows_free(kc_policy_rows *r)
{
    for (size_t i = 0; i < r->n_policy; i++) {
        free(r->policy[i].team_id);
        free(r->policy[i].bundle_id);
        free(r->policy[i].developer_name);
    }
    free(r->policy);
    for (size_t i = 0; i < r->n_mdm; i++) {
        free(r->mdm[i].team_id);
        free(r->mdm[i].bundle_id);
        free(r->mdm[i].payload_uuid);
    }
    free(r->mdm);
    for (size_t i = 0; i < r->n_history; i++) {
        kc_history_row *h = &r->history[i];
        free(h->path);
        free(h->team_id);
        free(h->bundle_id);
        free(h->created_at);
        free(h->last_seen);
        free(h->cdhash);
    }
    free(r->history);
    memset(r, 0, sizeof(*r));
}

void kc_policydb_close(kc_policydb *db)
{
    struct kc_policydb_priv *p = db->priv;

    if (p != NULL) {
        for (int t = 0; t < T_COUNT; t++) {
            sqlite3_finalize(p->own[t]);
            sqlite3_finalize(p->scan[t]);
            sqlite3_finalize(p->fetch[t]);
        }
    }
    if (db->db != NULL) {
        /* The run's read transaction: nothing was written, so either ends it. */
        if (p != NULL && p->in_txn)
            (void)sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL);
        sqlite3_close(db->db);
    }
    remove_private_copy(db);
    free(p);
    free(db->path);
    free(db->error);
    memset(db, 0, sizeof(*db));
}
