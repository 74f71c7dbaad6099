/*
 * `kextcheck collect DIR`: a snapshot of everything kextcheck reads, for
 * analysis on another machine with `kextcheck --root DIR`.
 *
 *  - the approval database, copied consistently: SQLite's backup API under
 *    one read transaction of a read-only connection (waiting a bounded time
 *    while a writer holds the lock), into memory, then written into DIR.
 *    When that is not possible (a writer crashed mid-transaction and left a
 *    hot -journal, the lock stays held, the file is damaged...) the
 *    database and its -journal, -wal and -shm are copied byte for byte, so
 *    the analysis of the snapshot meets the same state, and stderr and the
 *    manifest ("consistent": false) say why;
 *  - SystemVersion.plist, the installed MDM kext policy, the system
 *    extension database;
 *  - each kext bundle's Contents/Info.plist under every plugin's install and
 *    staged paths (and those folders, even when empty);
 *  - the command outputs in DIR/.kextcheck/, with "<file>.error" when a
 *    command failed, timed out or printed too much;
 *  - DIR/.kextcheck/manifest.json: versions, times, what was copied and run,
 *    how the database was copied, and what could not be written.
 *
 * Nothing is written outside DIR.  DIR is opened once (O_NOFOLLOW, after
 * mkdir, or an existing empty folder of the running user's) in a parent
 * folder that other users cannot change (owned by root or the running user,
 * not writable by others unless sticky), and everything is written relative
 * to that descriptor: folders with mkdirat and openat(O_NOFOLLOW), files with
 * openat(O_CREAT | O_EXCL | O_NOFOLLOW).  DIR's name is never used again
 * after that check, so a DIR swapped for a link is not followed.  SQLite is
 * given no path in DIR either: the backup goes into an in-memory database
 * whose bytes (sqlite3_serialize) are written through the descriptor.
 *
 * Every write is checked (write and close); a file that could not be
 * written whole is removed, and the run ends with exit 3 and the list of
 * what is missing.
 *
 * Languages: the messages on stderr and the summary on stdout are in the
 * reader's language (i18n.h); what goes into the snapshot's files
 * (manifest.json, "<file>.error") is English in every locale, since a later
 * analysis and fleet tools read it.  collect writes its own words there in
 * English, and reads what other parts word for those files (the command's
 * error, the database's, strerror) in this thread's "C" locale (english()).  The sources are only read.  The commands run only for
 * the Mac itself (--root /) or with --live: for another root they would
 * describe this machine instead.
 */
#include "i18n.h"
#include "kc.h"
#include "platform.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <locale.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The database and its log files, copied as they are (or through memory). */
#define DB_COPY_MAX (64 * 1024 * 1024)
/* How long a database that a writer keeps locked is waited for. */
#define DB_BUSY_WAIT_MS 5000
/* Tries of a byte-for-byte copy until no file changed while it was read. */
#define RAW_COPY_TRIES 3

/* The parent folder is opened only to create and open DIR in it. */
#if defined(O_PATH)
#define PARENT_FLAGS (O_PATH | O_DIRECTORY | O_CLOEXEC)
#elif defined(O_SEARCH)
#define PARENT_FLAGS (O_SEARCH | O_DIRECTORY | O_CLOEXEC)
#else
#define PARENT_FLAGS (O_RDONLY | O_DIRECTORY | O_CLOEXEC)
#endif
#define SUB_FLAGS (O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)

typedef struct collector {
    const char *out;    /* DIR as given: for messages only, never opened again */
    int outfd;          /* DIR, opened once */
    json_t *files;      /* manifest entries */
    json_t *commands;
    json_t *unwritten;  /* what could not be written: the snapshot is incomplete */
    json_t *database;   /* how the database was copied */
    json_t *bundles;    /* each kext bundle's owner and mode (copies lose them) */
    bool db_unsafe;     /* the database copy may hold uncommitted data */
    int warnings;
    locale_t c_locale;  /* "C", for the English of the files; 0 when unavailable */
} collector;

/* From here to english_end(), this thread reads and words text in the "C"
 * locale: gettext and strerror give English, whatever the reader's
 * language, for text that goes into the snapshot's files.  Returns what
 * english_end() restores. */
static locale_t english(const collector *c)
{
    return c->c_locale != (locale_t)0 ? uselocale(c->c_locale) : (locale_t)0;
}

static void english_end(locale_t previous)
{
    if (previous != (locale_t)0)
        (void)uselocale(previous);
}

/* A reason in two languages: English for the manifest, the reader's
 * language for stderr. */
typedef struct two_why {
    char en[2048]; /* room for a 1 KiB reason inside the longest frame */
    char loc[2048];
} two_why;

/* A text that is the same in both (a path, SQLite's words). */
static void same_why(two_why *w, const char *text)
{
    kc_snprintf(w->en, sizeof(w->en), "%s", text);
    kc_snprintf(w->loc, sizeof(w->loc), "%s", text);
}

/* A fixed message, marked N_() by the caller. */
static void fixed_why(two_why *w, const char *msgid)
{
    kc_snprintf(w->en, sizeof(w->en), "%s", msgid);
    kc_snprintf(w->loc, sizeof(w->loc), "%s", _(msgid));
}

static void warn(collector *c, const char *what, const char *why)
{
    kc_err(what, "%s", why);
    c->warnings++;
}

static json_t *json_clean(const char *s)
{
    char *clean = kc_utf8_clean(s, strlen(s));
    json_t *j = clean ? json_string(clean) : NULL;

    free(clean);
    return j;
}

/* A file or folder of the snapshot could not be written: said at once, and
 * listed in the manifest; the run ends with exit 3. */
static void unwritten(collector *c, const char *rel, int err)
{
    json_t *o = json_object();
    char *p = kc_asprintf("/%s", rel);
    locale_t previous;
    int bad;

    kc_err(c->out, _("cannot write %s: %s"), rel, strerror(err));
    previous = english(c);
    bad = o == NULL || p == NULL || json_object_set_new(o, "path", json_clean(p)) != 0 ||
          json_object_set_new(o, "error", json_string(strerror(err))) != 0;
    english_end(previous);
    if (bad || json_array_append(c->unwritten, o) != 0)
        c->warnings++;
    json_decref(o);
    free(p);
}

/* Opens the folder rel ("a/b/c", relative to DIR), creating what is
 * missing, one name at a time and never through a link.  Returns a
 * descriptor (c->outfd itself for ""), or -1 with errno. */
static int out_dir(const collector *c, const char *rel)
{
    char name[NAME_MAX + 1];
    const char *p = rel;
    int fd = c->outfd;

    while (*p != '\0') {
        size_t n;
        int next;
        while (*p == '/')
            p++;
        n = strcspn(p, "/");
        if (n == 0)
            break;
        if (n > NAME_MAX || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) {
            if (fd != c->outfd)
                close(fd);
            errno = n > NAME_MAX ? ENAMETOOLONG : EINVAL;
            return -1;
        }
        memcpy(name, p, n);
        name[n] = '\0';
        p += n;
        if (mkdirat(fd, name, 0755) != 0 && errno != EEXIST) {
            int e = errno;
            if (fd != c->outfd)
                close(fd);
            errno = e;
            return -1;
        }
        next = openat(fd, name, SUB_FLAGS);
        if (fd != c->outfd) {
            int e = errno;
            close(fd);
            errno = e;
        }
        if (next < 0)
            return -1;
        fd = next;
    }
    return fd;
}

static void close_dir(const collector *c, int fd)
{
    if (fd >= 0 && fd != c->outfd)
        close(fd);
}

/* Writes len bytes as the new file rel (relative to DIR; its folders are
 * created).  0; 1 when the file already exists (two plugins may declare
 * overlapping paths); -1 with errno, a partly written file removed. */
static int out_write(const collector *c, const char *rel, const void *data, size_t len,
                     mode_t mode)
{
    const char *slash = strrchr(rel, '/'), *name = slash ? slash + 1 : rel;
    char *dir = slash ? kc_asprintf("%.*s", (int)(slash - rel), rel) : kc_strdup("");
    int dfd = -1, fd = -1, rc = -1, e = 0;
    size_t off = 0;

    if (dir == NULL) {
        e = ENOMEM;
        goto done;
    }
    dfd = out_dir(c, dir);
    if (dfd < 0) {
        e = errno;
        goto done;
    }
    fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) {
        e = errno;
        if (e == EEXIST) {
            struct stat st;
            /* An existing regular file is an overlap; a link is not. */
            if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
                rc = 1;
        }
        goto done;
    }
    while (off < len) {
        ssize_t w = write(fd, (const char *)data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            e = w < 0 ? errno : EIO;
            break;
        }
        off += (size_t)w;
    }
    if (close(fd) != 0 && e == 0)
        e = errno;
    fd = -1;
    if (e != 0) {
        /* Never leave a cut file behind: it would be read as evidence. */
        unlinkat(dfd, name, 0);
        goto done;
    }
    rc = 0;
done:
    if (fd >= 0)
        close(fd);
    close_dir(c, dfd);
    free(dir);
    errno = e;
    return rc;
}

static void note_file(collector *c, const char *mac_path, size_t bytes, const char *how)
{
    json_t *o = json_pack("{s:o?, s:I, s:s}", "path", json_clean(mac_path), "bytes",
                          (json_int_t)bytes, "how", how);

    if (o == NULL || json_array_append_new(c->files, o) != 0)
        c->warnings++;
}

/* Writes a file of the Mac into the snapshot at the same path. */
static void put_mac_file(collector *c, const char *mac_path, const char *data, size_t len,
                         mode_t mode, const char *how)
{
    int r = out_write(c, mac_path + 1, data, len, mode);

    if (r == 0)
        note_file(c, mac_path, len, how);
    else if (r < 0)
        unwritten(c, mac_path + 1, errno);
}

/* Reads the regular file name in dirfd: all of it when it has at most max
 * bytes, else its first max + 1 bytes (*size tells the real size).
 * 0, or -1 with why. */
static int read_prefix(int dirfd, const char *name, size_t max, char **data, size_t *len,
                       uint64_t *size, char *why, size_t whylen)
{
    struct stat st;

    *data = NULL;
    *len = 0;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        kc_snprintf(why, whylen, "%s", strerror(errno));
        return -1;
    }
    *size = (uint64_t)st.st_size;
    if (!S_ISREG(st.st_mode) || (uintmax_t)st.st_size <= (uintmax_t)max)
        return kc_read_file_at(dirfd, name, max, data, len, why, whylen);
    /* Too large for kextcheck: keep the start, enough to show that. */
    return kc_read_head_at(dirfd, name, max + 1, data, len, size, why, whylen);
}

/* Copies mac_path (inside the root) into the snapshot when it exists
 * (regular files only).  A file larger than max, which kextcheck would
 * refuse, is cut one byte past max: the analysis of the snapshot then
 * refuses it for the same reason as on the Mac. */
static void copy_mac_file(collector *c, const kc_rootfs *fs, const char *mac_path, size_t max)
{
    char why[512], *data = NULL, *how = NULL;
    kc_rootfs_ref ref;
    size_t len = 0;
    uint64_t size = 0;
    int err = kc_rootfs_resolve(fs, mac_path, true, &ref);

    if (err != 0) {
        if (err != ENOENT && err != ENOTDIR)
            warn(c, mac_path, kc_i18n_reason(kc_rootfs_strerror(err)));
        return;
    }
    if (read_prefix(ref.dirfd, ref.name, max, &data, &len, &size, why, sizeof(why)) != 0) {
        warn(c, ref.host_path, why);
        goto done;
    }
    if (len > max) {
        how = kc_asprintf("cut to its first %zu bytes: the file has %llu, more than the %zu "
                          "kextcheck reads",
                          len, (unsigned long long)size, max);
        kc_err(ref.host_path,
               _("larger than %zu bytes (kextcheck reads no more): only its first %zu bytes "
                 "were copied"),
               max, len);
        c->warnings++;
    }
    put_mac_file(c, mac_path, data, len, 0644, how ? how : "copied");
done:
    free(how);
    free(data);
    kc_rootfs_ref_free(&ref);
}

/* ---- the approval database ------------------------------------------ */

/* The database on this machine: the folder that holds it and its name. */
typedef struct db_source {
    int dirfd;
    char *name;
    char *path; /* for messages and the manifest */
} db_source;

/* Finds the database: 1 found, 0 absent, -1 with a warning. */
static int find_database(collector *c, const kc_rootfs *fs, const char *policy_db,
                         db_source *s)
{
    memset(s, 0, sizeof(*s));
    s->dirfd = -1;
    if (policy_db != NULL) {
        /* A file the user named (--db): links in its path are the user's. */
        char real[PATH_MAX], *slash;
        if (realpath(policy_db, real) == NULL) {
            if (errno == ENOENT || errno == ENOTDIR)
                return 0;
            warn(c, policy_db, strerror(errno));
            return -1;
        }
        slash = strrchr(real, '/');
        s->name = kc_strdup(slash + 1);
        s->path = kc_strdup(real);
        *slash = '\0';
        s->dirfd = open(real[0] ? real : "/", PARENT_FLAGS);
        if (s->dirfd < 0 || s->name == NULL || s->path == NULL) {
            warn(c, policy_db, s->dirfd < 0 ? strerror(errno) : _("out of memory"));
            return -1;
        }
        return 1;
    }
    {
        kc_rootfs_ref ref;
        int err = kc_rootfs_resolve(fs, KC_POLICY_DB_PATH, true, &ref);
        if (err == ENOENT || err == ENOTDIR)
            return 0;
        if (err != 0) {
            warn(c, KC_POLICY_DB_PATH, kc_i18n_reason(kc_rootfs_strerror(err)));
            return -1;
        }
        s->dirfd = ref.dirfd;
        s->name = ref.name;
        s->path = ref.host_path;
        return 1;
    }
}

static void db_source_free(db_source *s)
{
    if (s->dirfd >= 0)
        close(s->dirfd);
    free(s->name);
    free(s->path);
}

static const char *const db_suffix[] = {"", "-journal", "-wal", "-shm"};
#define N_DB_FILES 4

/* The size of the database's file with suffix, or -1 when there is none. */
static off_t db_file_size(const db_source *s, const char *suffix)
{
    char *name = kc_asprintf("%s%s", s->name, suffix);
    struct stat st;
    off_t size = -1;

    if (name != NULL && fstatat(s->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
        size = S_ISREG(st.st_mode) ? st.st_size : 0;
    free(name);
    return size;
}

/* A WAL database (header bytes 18 and 19) with -wal but without -shm: no
 * connection has it open, and SQLite could read it only from a copy. */
static bool wal_without_shm(const db_source *s)
{
    unsigned char header[20];
    bool wal = false;
    int fd = openat(s->dirfd, s->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

    if (fd < 0)
        return false;
    wal = read(fd, header, sizeof(header)) == (ssize_t)sizeof(header) &&
          (header[18] == 2 || header[19] == 2);
    close(fd);
    return wal && db_file_size(s, "-wal") >= 0 && db_file_size(s, "-shm") < 0;
}

/* What identifies one version of a file: changed while copied, or not. */
typedef struct file_id {
    bool present;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
} file_id;

static void file_ids(const db_source *s, file_id ids[N_DB_FILES])
{
    for (size_t i = 0; i < N_DB_FILES; i++) {
        char *name = kc_asprintf("%s%s", s->name, db_suffix[i]);
        struct stat st;
        memset(&ids[i], 0, sizeof(ids[i]));
        if (name != NULL && fstatat(s->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
            ids[i].present = true;
            ids[i].dev = st.st_dev;
            ids[i].ino = st.st_ino;
            ids[i].size = st.st_size;
#ifdef __APPLE__
            ids[i].mtime = st.st_mtimespec;
#else
            ids[i].mtime = st.st_mtim;
#endif
        }
        free(name);
    }
}

static bool same_ids(const file_id a[N_DB_FILES], const file_id b[N_DB_FILES])
{
    for (size_t i = 0; i < N_DB_FILES; i++)
        if (a[i].present != b[i].present ||
            (a[i].present && (a[i].dev != b[i].dev || a[i].ino != b[i].ino ||
                              a[i].size != b[i].size || a[i].mtime.tv_sec != b[i].mtime.tv_sec ||
                              a[i].mtime.tv_nsec != b[i].mtime.tv_nsec)))
            return false;
    return true;
}

/* Copies the database and its -journal, -wal and -shm byte for byte, read
 * again (a few times at most) while any of them changed during the read.
 * *stable: the last read saw no change. */
static void copy_raw(collector *c, const db_source *s, bool *stable)
{
    char *data[N_DB_FILES] = {NULL}, why[N_DB_FILES][256];
    size_t len[N_DB_FILES] = {0};
    file_id before[N_DB_FILES], after[N_DB_FILES];

    *stable = false;
    for (int t = 0; t < RAW_COPY_TRIES && !*stable; t++) {
        file_ids(s, before);
        for (size_t i = 0; i < N_DB_FILES; i++) {
            char *name = kc_asprintf("%s%s", s->name, db_suffix[i]);
            free(data[i]);
            data[i] = NULL;
            why[i][0] = '\0';
            if (name == NULL)
                kc_snprintf(why[i], sizeof(why[i]), "%s", _("out of memory"));
            else if (before[i].present &&
                     kc_read_file_at(s->dirfd, name, DB_COPY_MAX, &data[i], &len[i], why[i],
                                     sizeof(why[i])) != 0 &&
                     why[i][0] == '\0')
                kc_snprintf(why[i], sizeof(why[i]), "%s", _("cannot be read"));
            free(name);
        }
        file_ids(s, after);
        *stable = same_ids(before, after);
    }
    for (size_t i = 0; i < N_DB_FILES; i++) {
        char *mac = kc_asprintf("%s%s", KC_POLICY_DB_PATH, db_suffix[i]);
        if (mac != NULL && data[i] != NULL)
            put_mac_file(c, mac, data[i], len[i], 0600,
                         "copied byte for byte: the database could not be read "
                         "consistently (see \"database\")");
        else if (mac != NULL && why[i][0] != '\0')
            warn(c, mac, why[i]);
        free(mac);
        free(data[i]);
    }
}

typedef enum { BACKUP_OK, BACKUP_BUSY, BACKUP_FAILED } backup_rc;

static bool busy_code(int rc)
{
    return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
}

/* The whole database as of one read transaction, into memory, then into
 * the snapshot.  BACKUP_BUSY: still locked at the deadline. */
static backup_rc backup(collector *c, sqlite3 *src, long long deadline, two_why *why)
{
    sqlite3 *mem = NULL;
    sqlite3_backup *b = NULL;
    sqlite3_stmt *st = NULL;
    unsigned char *image = NULL;
    sqlite3_int64 size = 0;
    long long pages = 0, page_size = 0;
    bool began = false;
    backup_rc result = BACKUP_FAILED;
    int rc;

    /* One read transaction for the whole copy: what is read is one
     * committed state, and no writer can commit until it ends. */
    if (sqlite3_get_autocommit(src)) {
        if (sqlite3_exec(src, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
            same_why(why, sqlite3_errmsg(src));
            goto done;
        }
        began = true;
    }
    for (;;) {
        rc = sqlite3_prepare_v2(src, "SELECT count(*) FROM sqlite_master", -1, &st, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(st);
        sqlite3_finalize(st);
        st = NULL;
        if (rc == SQLITE_ROW)
            break;
        if (!busy_code(rc) || kc_now_ms() >= deadline) {
            same_why(why, sqlite3_errmsg(src));
            result = busy_code(rc) ? BACKUP_BUSY : BACKUP_FAILED;
            goto done;
        }
        kc_sleep_ms(50);
    }
    if (sqlite3_prepare_v2(src, "SELECT page_count, page_size FROM pragma_page_count, "
                                "pragma_page_size",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        same_why(why, sqlite3_errmsg(src));
        goto done;
    }
    pages = sqlite3_column_int64(st, 0);
    page_size = sqlite3_column_int64(st, 1);
    sqlite3_finalize(st);
    st = NULL;
    if (pages < 0 || page_size <= 0 || pages > DB_COPY_MAX / page_size) {
#define TOO_LARGE N_("the database has %lld pages of %lld bytes, more than the %d bytes collect copies")
        kc_snprintf(why->en, sizeof(why->en), TOO_LARGE, pages, page_size, DB_COPY_MAX);
        kc_snprintf(why->loc, sizeof(why->loc), _(TOO_LARGE), pages, page_size, DB_COPY_MAX);
        goto done;
    }
    /* Into memory: SQLite needs no path inside DIR. */
    rc = sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        same_why(why, mem ? sqlite3_errmsg(mem) : sqlite3_errstr(rc));
        goto done;
    }
    b = sqlite3_backup_init(mem, "main", src, "main");
    if (b == NULL) {
        same_why(why, sqlite3_errmsg(mem));
        goto done;
    }
    while ((rc = sqlite3_backup_step(b, -1)) != SQLITE_DONE) {
        if (!busy_code(rc) || kc_now_ms() >= deadline) {
            same_why(why, sqlite3_errstr(rc));
            result = busy_code(rc) ? BACKUP_BUSY : BACKUP_FAILED;
            goto done;
        }
        kc_sleep_ms(50);
    }
    rc = sqlite3_backup_finish(b);
    b = NULL;
    if (rc != SQLITE_OK) {
        same_why(why, sqlite3_errmsg(mem));
        goto done;
    }
    image = sqlite3_serialize(mem, "main", &size, 0);
    if (image == NULL || size < 100 || size > DB_COPY_MAX) {
        fixed_why(why, N_("the copy in memory could not be read back"));
        goto done;
    }
    /* A plain database for the analyst, with no -wal to carry along: the
     * header's read and write versions say rollback journal (what
     * PRAGMA journal_mode=DELETE writes). */
    image[18] = 1;
    image[19] = 1;
    put_mac_file(c, KC_POLICY_DB_PATH, (const char *)image, (size_t)size, 0600,
                 "sqlite3 backup from a read-only connection");
    result = BACKUP_OK;
done:
    sqlite3_finalize(st);
    if (b != NULL)
        sqlite3_backup_finish(b);
    sqlite3_free(image);
    if (mem != NULL)
        sqlite3_close(mem);
    if (began)
        sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
    return result;
}

static bool busy_message(const char *error)
{
    return error != NULL && (strstr(error, sqlite3_errstr(SQLITE_BUSY)) != NULL ||
                             strstr(error, sqlite3_errstr(SQLITE_LOCKED)) != NULL);
}

/* The manifest's "database": where it came from and how it was copied.
 * s NULL: there was none. */
static void set_database(collector *c, const db_source *s, bool consistent, const char *how,
                         const char *reason)
{
    json_t *d = s == NULL ? json_pack("{s:s, s:b}", "path", KC_POLICY_DB_PATH, "present", 0)
                          : json_pack("{s:s, s:b, s:o?, s:b, s:s, s:b}", "path",
                                      KC_POLICY_DB_PATH, "present", 1, "source",
                                      json_clean(s->path), "consistent", consistent, "how", how,
                                      "uncommitted_data_possible", c->db_unsafe);

    if (d == NULL ||
        (reason != NULL && json_object_set_new(d, "reason", json_clean(reason)) != 0))
        c->warnings++;
    json_decref(c->database);
    c->database = d;
}

/* The approval database: a consistent copy, or its files as they are.
 * The reason goes into the manifest in English and onto stderr in the
 * reader's language. */
static void copy_database(collector *c, const kc_rootfs *fs, const char *policy_db)
{
    long long deadline = kc_now_ms() + DB_BUSY_WAIT_MS;
    two_why why, reason;
    kc_policydb db;
    db_source s;
    bool busy = false, stable, damaged = false;
    off_t journal;
    int found = find_database(c, fs, policy_db, &s);

    why.en[0] = why.loc[0] = '\0';
    memset(&db, 0, sizeof(db));
    if (found <= 0) {
        if (found == 0)
            set_database(c, NULL, false, NULL, NULL);
        goto done;
    }
    if (wal_without_shm(&s)) {
        /* No connection has it open (SQLite keeps -shm while one does): its
         * files are the evidence, and reading it would need a private copy
         * outside DIR. */
        fixed_why(&why, N_("a WAL database with -wal but no -shm: no connection has it open, "
                           "and SQLite reads it only from a copy"));
        goto raw;
    }
    for (;;) {
        /* db.error goes into the manifest: worded in English. */
        locale_t previous = english(c);
        if (policy_db != NULL)
            kc_policydb_open_file(&db, policy_db, NULL);
        else
            kc_policydb_open_root(&db, fs, KC_POLICY_DB_PATH, NULL);
        english_end(previous);
        if (db.state == KC_DB_OK) {
            backup_rc r = backup(c, (sqlite3 *)db.db, deadline, &why);
            if (r == BACKUP_OK) {
                set_database(c, &s, true, "sqlite3 backup under one read transaction", NULL);
                goto done;
            }
            busy = r == BACKUP_BUSY;
        } else {
            if (db.error != NULL)
                same_why(&why, db.error);
            else
                fixed_why(&why, N_("cannot be opened"));
            busy = db.state == KC_DB_BUSY ||
                   (db.state == KC_DB_UNREADABLE && busy_message(db.error));
            damaged = db.state == KC_DB_CORRUPT || db.state == KC_DB_NO_TABLES;
            if (db.state == KC_DB_MISSING) {
                set_database(c, NULL, false, NULL, NULL);
                goto done;
            }
        }
        kc_policydb_close(&db);
        if (!busy || kc_now_ms() >= deadline)
            break;
        kc_sleep_ms(100);
    }
raw:
    journal = db_file_size(&s, "-journal");
    /* A rollback journal beside a database that could not be read: a write
     * is in progress, or its writer stopped mid-transaction (a hot journal
     * that a read-only connection cannot roll back).  The database file may
     * then hold changes that were never committed. */
    c->db_unsafe = busy || journal > 0;
    copy_raw(c, &s, &stable);
#define BUSY_WHY N_("a writer kept it locked for more than %d ms (%s)")
#define JOURNAL_WHY                                                                        \
    N_("a -journal of %lld bytes is beside it: a writer stopped in the middle of a "      \
       "transaction (a hot journal, which a read-only connection cannot roll back) or is " \
       "writing (SQLite: %s)")
#define CHANGED_WHY N_("%s; the files changed while they were copied")
    if (busy) {
        kc_snprintf(reason.en, sizeof(reason.en), BUSY_WHY, DB_BUSY_WAIT_MS, why.en);
        kc_snprintf(reason.loc, sizeof(reason.loc), _(BUSY_WHY), DB_BUSY_WAIT_MS, why.loc);
    } else if (journal > 0) {
        kc_snprintf(reason.en, sizeof(reason.en), JOURNAL_WHY, (long long)journal, why.en);
        kc_snprintf(reason.loc, sizeof(reason.loc), _(JOURNAL_WHY), (long long)journal,
                    why.loc);
    } else {
        reason = why;
    }
    if (!stable) {
        why = reason;
        kc_snprintf(reason.en, sizeof(reason.en), CHANGED_WHY, why.en);
        kc_snprintf(reason.loc, sizeof(reason.loc), _(CHANGED_WHY), why.loc);
    }
    set_database(c, &s, false,
                 "copied byte for byte with its -journal, -wal and -shm (those present)",
                 reason.en);
    if (c->db_unsafe)
        kc_err(s.path,
               _("could not be read consistently: %s. Its files were copied byte for byte "
                 "(with its -journal, -wal and -shm), so the copy may hold UNCOMMITTED data: "
                 "the manifest says \"consistent\": false, and the analysis of the snapshot "
                 "meets the same state. Collect again once nothing writes the database"),
               reason.loc);
    else if (!damaged)
        warn(c, s.path, reason.loc);
done:
    kc_policydb_close(&db);
    db_source_free(&s);
}

/* ---- bundles, commands, manifest ------------------------------------ */

/* Every plugin path: the folder, and each kext's Info.plist below it. */
/* Records a bundle's owner and mode once (copies lose them). */
static void note_bundle(collector *c, const kc_bundle *k)
{
    size_t i;
    json_t *e;

    json_array_foreach(c->bundles, i, e)
        if (strcmp(json_string_value(json_object_get(e, "path")), k->path) == 0)
            return;
    e = json_pack("{s:s, s:I, s:I, s:I}", "path", k->path, "uid", (json_int_t)k->uid, "gid",
                  (json_int_t)k->gid, "mode", (json_int_t)k->mode);
    if (e == NULL || json_array_append_new(c->bundles, e) != 0)
        c->warnings++;
}

/* The largest kext executable copied (it is read for its architectures). */
#define EXE_COPY_MAX (64 * 1024 * 1024)

/* A folder and every kext bundle below it: Info.plist, executable, owner. */
static void copy_bundle_folder(collector *c, const kc_rootfs *fs, const char *p)
{
    kc_bundles b = {0};
    int found = kc_bundles_scan(fs, p, &b);

    if (found < 0)
        warn(c, "collect", _("out of memory"));
    if (found == 1) {
        int fd = out_dir(c, p + 1);
        if (fd < 0)
            unwritten(c, p + 1, errno);
        close_dir(c, fd);
    }
    for (size_t k = 0; found == 1 && k < b.n; k++) {
        char *info = kc_asprintf("%s/Contents/Info.plist", b.items[k].path);
        if (info != NULL)
            copy_mac_file(c, fs, info, KC_PLIST_MAX);
        free(info);
        if (b.items[k].executable != NULL && b.items[k].exe_error == NULL) {
            char *exe = kc_asprintf("%s/Contents/MacOS/%s", b.items[k].path,
                                    b.items[k].executable);
            if (exe != NULL)
                copy_mac_file(c, fs, exe, EXE_COPY_MAX);
            free(exe);
        }
        note_bundle(c, &b.items[k]);
    }
    kc_bundles_free(&b);
}

/* Every plugin path, and the folders the Auxiliary Kernel Collection is
 * built from (another vendor's broken kext there can block it). */
static void copy_bundles(collector *c, const kc_rootfs *fs, const kc_registry *reg)
{
    for (size_t v = 0; v < reg->n_vendors; v++) {
        const kc_vendor *vd = &reg->vendors[v];
        for (size_t i = 0; i < vd->install_paths.n + vd->staged_paths.n; i++)
            copy_bundle_folder(c, fs, i < vd->install_paths.n
                                          ? vd->install_paths.v[i]
                                          : vd->staged_paths.v[i - vd->install_paths.n]);
    }
    copy_bundle_folder(c, fs, "/Library/Extensions");
    copy_bundle_folder(c, fs, "/Library/StagedExtensions");
}

/* What the architecture captures said (they run before bputil). */
typedef struct machine_seen {
    kc_uname_arch uname;
    kc_sysctl_flag arm64;
} machine_seen;

static void note_machine(machine_seen *m, kc_capture_id id, const kc_cmd_result *r)
{
    char why[256];

    if (r->error != NULL || r->out == NULL)
        return;
    if (id == KC_CAP_UNAME && kc_parse_uname_m(r->out, r->len, &m->uname, why, sizeof(why)) != 0)
        m->uname = KC_UNAME_UNKNOWN;
    if (id == KC_CAP_ARM64 &&
        kc_parse_hw_optional_arm64(r->out, r->len, r->exit_status != 0, &m->arm64, why,
                                   sizeof(why)) != 0)
        m->arm64 = KC_SYSCTL_UNKNOWN;
}

/* Runs one command and writes its output as the capture file (in
 * KC_CAPTURE_DIR), with "<file>.error" first when it failed; the manifest
 * records it.  r keeps the outcome for the caller (free it). */
static void run_capture(collector *c, const kc_gather *g, const char *const *argv,
                        const char *file, const char *label, kc_cmd_result *r)
{
    char *path = kc_asprintf("%s/%s", KC_CAPTURE_DIR, file);
    char *errpath = path ? kc_asprintf("%s.error", path) : NULL;
    json_t *o, *args = json_array();
    bool error_written = true;
    locale_t previous;
    int ran = -1;

    memset(r, 0, sizeof(*r));
    if (path != NULL && errpath != NULL && args != NULL) {
        /* r->error goes into "<file>.error" and the manifest: in English. */
        previous = english(c);
        ran = kc_run_command(argv, g->timeout_ms > 0 ? g->timeout_ms : KC_DEFAULT_TIMEOUT_MS,
                             KC_CAPTURE_MAX, r);
        english_end(previous);
    }
    if (ran != 0) {
        warn(c, "collect", _("out of memory"));
        goto done;
    }
    /* The reason first: a capture must never be trusted by mistake. */
    if (r->error != NULL) {
        warn(c, label, r->error);
        if (out_write(c, errpath, r->error, strlen(r->error), 0644) != 0) {
            unwritten(c, errpath, errno);
            error_written = false;
        }
    }
    if (r->out != NULL && error_written && out_write(c, path, r->out, r->len, 0644) != 0)
        unwritten(c, path, errno);
    for (int a = 0; argv[a]; a++)
        json_array_append_new(args, json_clean(argv[a]));
    o = json_pack("{s:s, s:O, s:i, s:b, s:b, s:I, s:s?}", "file", file, "argv", args,
                  "exit_status", r->exit_status, "timed_out", r->timed_out, "truncated",
                  r->truncated, "duration_ms", (json_int_t)r->duration_ms, "error", r->error);
    if (o == NULL || json_array_append_new(c->commands, o) != 0)
        c->warnings++;
done:
    json_decref(args);
    free(path);
    free(errpath);
}

static void run_commands(collector *c, const kc_gather *g)
{
    machine_seen seen = {KC_UNAME_UNKNOWN, KC_SYSCTL_UNKNOWN};

    /* For another root the commands would describe this machine, not that
     * Mac: run none (the manifest says so with "commands_run": false). */
    for (int i = 0; g->live && i < KC_CAP_COUNT; i++) {
        const char *argv[5] = {NULL, NULL, NULL, NULL, NULL};
        kc_cmd_result r;

        kc_capture_argv(g, (kc_capture_id)i, argv);
        /* An Intel Mac has no boot policy: bputil is not there to run. */
        if (i == KC_CAP_BPUTIL && kc_machine_from(seen.uname, seen.arm64, NULL) == KC_MACHINE_INTEL)
            continue;
        run_capture(c, g, argv, kc_capture_file(i), kc_capture_label(i), &r);
        note_machine(&seen, (kc_capture_id)i, &r);
        kc_cmd_result_free(&r);
    }
}

/* The macOS major version of the Mac at the root, or 0. */
static int macos_major(const kc_rootfs *fs)
{
    char why[256];
    kc_evidence ev;
    kc_rootfs_ref ref;
    int major = 0;

    memset(&ev, 0, sizeof(ev));
    if (kc_rootfs_resolve(fs, KC_SYSTEM_VERSION_PLIST, true, &ref) == 0) {
        if (kc_read_system_version(ref.host_path, &ev, why, sizeof(why)) == 1)
            major = ev.os_major;
        kc_rootfs_ref_free(&ref);
    }
    kc_evidence_free(&ev);
    return major;
}

/* Per declared kext on disk: its signature, and kmutil's diagnostics on
 * macOS 11 and later. */
static void run_kext_commands(collector *c, const kc_gather *g, const kc_registry *reg)
{
    int major = g->live ? macos_major(g->fs) : 0;

    for (size_t v = 0; g->live && v < reg->n_vendors; v++) {
        const kc_vendor *vd = &reg->vendors[v];
        kc_bundles b = {0};
        for (size_t i = 0; i < vd->install_paths.n + vd->staged_paths.n; i++)
            if (kc_bundles_scan(g->fs, i < vd->install_paths.n
                                           ? vd->install_paths.v[i]
                                           : vd->staged_paths.v[i - vd->install_paths.n],
                                &b) < 0)
                warn(c, "collect", _("out of memory"));
        for (size_t k = 0; k < vd->kexts.n; k++) {
            const kc_bundle *bundle = NULL;
            for (size_t j = 0; j < b.n && bundle == NULL; j++)
                if (b.items[j].bundle_id && strcmp(b.items[j].bundle_id, vd->kexts.v[k]) == 0)
                    bundle = &b.items[j];
            if (bundle == NULL)
                continue;
            for (int id = 0; id < KC_KCAP_COUNT; id++) {
                const char *argv[5];
                char *file = kc_kext_capture_file((kc_kext_capture_id)id, vd->kexts.v[k]);
                kc_cmd_result r;
                if (file == NULL || (id == KC_KCAP_DIAGNOSTICS && major < 11)) {
                    free(file);
                    continue;
                }
                kc_kext_capture_argv(g, (kc_kext_capture_id)id, bundle->path, argv);
                run_capture(c, g, argv, file, kc_kext_capture_label((kc_kext_capture_id)id), &r);
                kc_cmd_result_free(&r);
                free(file);
            }
        }
        kc_bundles_free(&b);
    }
}

static int write_manifest(collector *c, const kc_gather *g)
{
    char when[32], *text = NULL;
    time_t now = time(NULL);
    struct tm tm;
    json_t *m;
    int rc = -1;

    if (gmtime_r(&now, &tm) == NULL ||
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return -1;
    m = json_pack("{s:i, s:s, s:s, s:s, s:o?, s:b, s:O?, s:O, s:O, s:O, s:b, s:O}",
                  "manifest_version", 1, "tool", KC_PROGRAM, "tool_version", KEXTCHECK_VERSION,
                  "collected_at", when, "root", json_clean(g->root), "commands_run", g->live,
                  "database", c->database, "files", c->files, "bundles", c->bundles, "commands",
                  c->commands, "complete", json_array_size(c->unwritten) == 0, "unwritten",
                  c->unwritten);
    if (m == NULL)
        return -1;
    text = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(m);
    if (text != NULL) {
        char *rel = kc_asprintf("%s/manifest.json", KC_CAPTURE_DIR);
        rc = rel ? out_write(c, rel, text, strlen(text), 0644) : -1;
        if (rc != 0 && rel != NULL)
            unwritten(c, rel, errno);
        free(rel);
    }
    free(text);
    return rc == 0 ? 0 : -1;
}

/* ---- DIR -------------------------------------------------------------- */

/* Opens DIR once: new, or an existing empty folder of the running user's
 * that nobody else can write to, in a parent folder that nobody but root
 * and the running user can change.  0, or an exit code with a message. */
static int open_out(collector *c)
{
    char *copy = kc_strdup(c->out), *base = NULL, buf[256], real[PATH_MAX];
    const char *parent, *why;
    struct stat st;
    int pfd = -1, rc = KC_EXIT_USAGE;
    bool created = false;

    if (copy == NULL) {
        kc_err(_("memory"), "%s", _("out of memory"));
        return KC_EXIT_UNKNOWN;
    }
    for (int pass = 0;; pass++) {
        size_t n = strlen(copy);
        while (n > 1 && copy[n - 1] == '/')
            copy[--n] = '\0';
        kc_split_path(copy, &parent, &base);
        if (pass > 0 || (strcmp(base, ".") != 0 && strcmp(base, "..") != 0))
            break;
        /* "." or "..": an existing folder, named by its real path. */
        if (realpath(c->out, real) == NULL) {
            kc_err(c->out, "%s", strerror(errno));
            goto done;
        }
        free(copy);
        copy = kc_strdup(real);
        if (copy == NULL) {
            kc_err(_("memory"), "%s", _("out of memory"));
            rc = KC_EXIT_UNKNOWN;
            goto done;
        }
    }
    if (base[0] == '\0') {
        kc_err(c->out, "%s", _("name the folder to write the snapshot into, not /"));
        goto done;
    }
    /* The parent is the user's choice (links in its path are followed);
     * what matters is who can change it while collect writes. */
    pfd = open(parent, PARENT_FLAGS);
    if (pfd < 0 || fstat(pfd, &st) != 0) {
        kc_err(c->out, "%s: %s", parent, strerror(errno));
        goto done;
    }
    why = kc_unsafe_folder(&st, buf, sizeof(buf));
    if (why != NULL) {
        /* TRANSLATORS: the second %s is a reason such as "is writable by everyone
           and has no sticky bit" (core/util.c, kc_unsafe_folder). */
        kc_err(c->out,
               _("its folder %s %s: another user could swap the snapshot folder for a link "
                 "while collect (as root) writes into it. Collect into a folder that only root "
                 "or you can change (or a sticky one such as /tmp)"),
               parent, why);
        goto done;
    }
    if (mkdirat(pfd, base, 0700) == 0) {
        created = true;
    } else if (errno != EEXIST) {
        kc_err(c->out, "%s", strerror(errno));
        goto done;
    }
    c->outfd = openat(pfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (c->outfd < 0) {
        if (errno == ELOOP || errno == ENOTDIR || errno == EMLINK)
            kc_err(c->out, "%s", _("exists and is not a folder (a symbolic link is never followed)"));
        else
            kc_err(c->out, "%s", strerror(errno));
        goto done;
    }
    if (fstat(c->outfd, &st) != 0 || !S_ISDIR(st.st_mode)) {
        kc_err(c->out, "%s", _("exists and is not a folder"));
        goto done;
    }
    if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
        kc_err(c->out, "%s",
               _("the folder must belong to the running user and be writable by nobody else "
                 "(collect runs as root; others could redirect what it writes): use a new "
                 "folder"));
        goto done;
    }
    if (!created) {
        int dfd = dup(c->outfd);
        DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
        struct dirent *de;
        bool empty = true;
        if (d == NULL) {
            kc_err(c->out, "%s", strerror(errno));
            if (dfd >= 0)
                close(dfd);
            goto done;
        }
        while ((de = readdir(d)) != NULL)
            if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
                empty = false;
        closedir(d);
        if (!empty) {
            kc_err(c->out, "%s",
                   _("the folder is not empty; collect writes only into a new or empty folder"));
            goto done;
        }
    }
    rc = 0;
done:
    if (rc != 0 && c->outfd >= 0) {
        close(c->outfd);
        c->outfd = -1;
    }
    if (rc != 0 && created)
        unlinkat(pfd, base, AT_REMOVEDIR);
    if (pfd >= 0)
        close(pfd);
    free(copy);
    return rc;
}

int kc_collect(const kc_gather *g, const char *policy_db, const kc_registry *reg,
               const char *out_dir)
{
    collector c = {out_dir, -1, json_array(), json_array(), json_array(), NULL,
                   json_array(), false, 0, newlocale(LC_ALL_MASK, "C", (locale_t)0)};
    size_t n_unwritten;
    bool manifest_lost = false;
    int rc;

    if (c.files == NULL || c.commands == NULL || c.unwritten == NULL || c.bundles == NULL) {
        kc_err(_("memory"), "%s", _("out of memory"));
        rc = KC_EXIT_UNKNOWN;
        goto done;
    }
    rc = open_out(&c);
    if (rc != 0)
        goto done;
    if (mkdirat(c.outfd, KC_CAPTURE_DIR, 0755) != 0) {
        kc_err(out_dir, _("cannot create %s: %s"), KC_CAPTURE_DIR, strerror(errno));
        rc = KC_EXIT_UNKNOWN;
        goto done;
    }
    copy_database(&c, g->fs, policy_db);
    copy_mac_file(&c, g->fs, KC_SYSTEM_VERSION_PLIST, KC_PLIST_MAX);
    copy_mac_file(&c, g->fs, KC_MDM_POLICY_PLIST, KC_PLIST_MAX);
    copy_mac_file(&c, g->fs, KC_SYSEXT_MDM_PLIST, KC_PLIST_MAX);
    copy_mac_file(&c, g->fs, KC_SYSEXT_DB_PLIST, KC_SYSEXT_DB_MAX);
    copy_bundles(&c, g->fs, reg);
    if (!g->live)
        kc_err("collect",
               _("%s is not /: spctl, csrutil and kextstat were not run, since they would "
                 "describe this machine (pass --live to run them anyway)"),
               g->root);
    run_commands(&c, g);
    run_kext_commands(&c, g, reg);
    if (write_manifest(&c, g) != 0 && json_array_size(c.unwritten) == 0) {
        /* Not a write error (those are listed): the manifest could not be
         * made at all. */
        kc_err(out_dir, _("cannot write %s/manifest.json: out of memory"), KC_CAPTURE_DIR);
        manifest_lost = true;
    }
    n_unwritten = json_array_size(c.unwritten) + manifest_lost;
    {
        size_t failed = 0, i;
        json_t *cmd;
        json_array_foreach(c.commands, i, cmd)
            failed += json_is_string(json_object_get(cmd, "error"));
        size_t files = json_array_size(c.files), commands = json_array_size(c.commands);
        /* TRANSLATORS: the last %s is empty or "; see the warnings above". */
        printf(_("kextcheck: copied %zu files into %s and ran %zu commands (%zu failed)%s\n"),
               files, out_dir, commands, failed,
               c.warnings || n_unwritten ? _("; see the warnings above") : "");
        printf(_("Analyse it anywhere with: kextcheck --root %s\n"), out_dir);
    }
    rc = KC_EXIT_OK;
    if (n_unwritten > 0) {
        kc_err(out_dir,
               P_("the snapshot is incomplete: %zu file could not be written (listed above, "
                  "and in the manifest when it could be written); make room and collect again "
                  "into a new folder",
                  "the snapshot is incomplete: %zu files could not be written (listed above, "
                  "and in the manifest when it could be written); make room and collect again "
                  "into a new folder",
                  n_unwritten),
               n_unwritten);
        rc = KC_EXIT_UNKNOWN;
    } else if (c.db_unsafe) {
        kc_err(out_dir, "%s",
               _("the approval database could not be copied consistently (see above): the "
                 "snapshot may not show its committed state"));
        rc = KC_EXIT_UNKNOWN;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        kc_err(_("output"), "%s", strerror(errno ? errno : EIO));
        rc = KC_EXIT_UNKNOWN;
    }
done:
    if (c.outfd >= 0)
        close(c.outfd);
    json_decref(c.files);
    json_decref(c.commands);
    json_decref(c.unwritten);
    json_decref(c.database);
    json_decref(c.bundles);
    if (c.c_locale != (locale_t)0)
        freelocale(c.c_locale);
    return rc;
}
