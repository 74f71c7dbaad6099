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
 */
#include "kc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 3000
#define MAX_ROWS 2000

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
    }
    return "unknown";
}

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

static bool file_exists(const char *base, const char *suffix)
{
    char *p = kc_asprintf("%s%s", base, suffix);
    struct stat st;
    bool r = p != NULL && lstat(p, &st) == 0;

    free(p);
    return r;
}

static int copy_file(const char *from, const char *to, char *why, size_t whylen)
{
    char buf[65536];
    int in = -1, out = -1, rc = -1;
    ssize_t r;

    in = open(from, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0) {
        kc_snprintf(why, whylen, "%s: %s", from, strerror(errno));
        goto done;
    }
    out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) {
        kc_snprintf(why, whylen, "%s: %s", to, strerror(errno));
        goto done;
    }
    while ((r = read(in, buf, sizeof(buf))) != 0) {
        if (r < 0) {
            if (errno == EINTR)
                continue;
            kc_snprintf(why, whylen, "%s: %s", from, strerror(errno));
            goto done;
        }
        for (ssize_t w = 0; w < r;) {
            ssize_t x = write(out, buf + w, (size_t)(r - w));
            if (x < 0) {
                if (errno == EINTR)
                    continue;
                kc_snprintf(why, whylen, "%s: %s", to, strerror(errno));
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
        kc_snprintf(why, whylen, "%s: %s", to, strerror(errno));
        rc = -1;
    }
    return rc;
}

static void remove_private_copy(kc_policydb *db)
{
    static const char *const names[] = {"KextPolicy", "KextPolicy-wal", "KextPolicy-shm",
                                        "KextPolicy-journal"};

    if (db->tmpdir == NULL)
        return;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char *p = kc_asprintf("%s/%s", db->tmpdir, names[i]);
        if (p != NULL)
            unlink(p);
        free(p);
    }
    rmdir(db->tmpdir);
    free(db->tmpdir);
    db->tmpdir = NULL;
}

/* Copies the database and its -wal into a fresh private folder; returns the
 * copy's path or NULL with why. */
static char *make_private_copy(kc_policydb *db, const char *path, const char *scratch,
                               char *why, size_t whylen)
{
    const char *tmp = scratch ? scratch : getenv("TMPDIR");
    char *tmpl = NULL, *copy = NULL, *from_wal = NULL, *to_wal = NULL, *result = NULL;

    if (tmp == NULL || (scratch == NULL && tmp[0] != '/'))
        tmp = "/tmp";
    tmpl = kc_asprintf("%s/kextcheck.XXXXXX", tmp);
    if (tmpl == NULL || mkdtemp(tmpl) == NULL) {
        kc_snprintf(why, whylen, "cannot make a private folder: %s",
                    tmpl ? strerror(errno) : "out of memory");
        goto done;
    }
    db->tmpdir = tmpl;
    tmpl = NULL;
    copy = kc_asprintf("%s/KextPolicy", db->tmpdir);
    to_wal = kc_asprintf("%s/KextPolicy-wal", db->tmpdir);
    from_wal = kc_asprintf("%s-wal", path);
    if (copy == NULL || to_wal == NULL || from_wal == NULL) {
        kc_snprintf(why, whylen, "out of memory");
        goto done;
    }
    if (copy_file(path, copy, why, whylen) != 0 ||
        copy_file(from_wal, to_wal, why, whylen) != 0)
        goto done;
    result = copy;
    copy = NULL;
done:
    free(tmpl);
    free(copy);
    free(from_wal);
    free(to_wal);
    return result;
}

static bool table_exists(sqlite3 *h, const char *name)
{
    sqlite3_stmt *st = NULL;
    bool found = false;

    if (sqlite3_prepare_v2(h,
                           "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1 "
                           "AND sql NOT LIKE 'CREATE VIRTUAL%'",
                           -1, &st, NULL) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) == SQLITE_OK)
        found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

static bool column_exists(sqlite3 *h, const char *table, const char *column)
{
    sqlite3_stmt *st = NULL;
    bool found = false;

    /* table is one of our constant names, never text from the database. */
    char *sql = kc_asprintf("SELECT 1 FROM pragma_table_info('%s') WHERE name = ?1", table);
    if (sql != NULL && sqlite3_prepare_v2(h, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_bind_text(st, 1, column, -1, SQLITE_STATIC) == SQLITE_OK)
        found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    free(sql);
    return found;
}

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

void kc_policydb_open(kc_policydb *db, const char *path)
{
    kc_policydb_open_in(db, path, NULL);
}

void kc_policydb_open_in(kc_policydb *db, const char *path, const char *scratch)
{
    unsigned char header[100];
    char why[512];
    struct stat st;
    const char *query = "mode=ro";
    char *uri = NULL, *open_path = NULL;
    sqlite3 *h = NULL;
    int fd = -1, rc;
    ssize_t got;
    bool wal;

    memset(db, 0, sizeof(*db));
    db->path = kc_strdup(path);
    db->access = "in_place";
    if (lstat(path, &st) != 0) {
        set_state(db, errno == ENOENT ? KC_DB_MISSING : KC_DB_UNREADABLE, "%s",
                  strerror(errno));
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        set_state(db, KC_DB_UNREADABLE, "%s",
                  S_ISLNK(st.st_mode) ? "is a symbolic link, not the database file"
                                      : "not a regular file");
        goto done;
    }
    fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        set_state(db, KC_DB_UNREADABLE, "%s%s", strerror(errno),
                  errno == EACCES ? " (reading it needs root)" : "");
        goto done;
    }
    got = read(fd, header, sizeof(header));
    if (got < 0) {
        set_state(db, KC_DB_UNREADABLE, "%s", strerror(errno));
        goto done;
    }
    if (got == 0) {
        set_state(db, KC_DB_NO_TABLES, "the file is empty");
        goto done;
    }
    if (got < (ssize_t)sizeof(header) || memcmp(header, "SQLite format 3", 16) != 0) {
        set_state(db, KC_DB_CORRUPT, "not an SQLite database (bad header)");
        goto done;
    }
    wal = header[18] == 2 || header[19] == 2;
    if (wal && !file_exists(path, "-wal")) {
        query = "immutable=1";
        db->access = "immutable";
    } else if (wal && file_exists(path, "-shm")) {
        query = "mode=ro&readonly_shm=1";
    } else if (wal) {
        open_path = make_private_copy(db, path, scratch, why, sizeof(why));
        if (open_path == NULL) {
            set_state(db, KC_DB_UNREADABLE, "-wal without -shm, and %s", why);
            goto done;
        }
        db->access = "private_copy";
    }
    uri = uri_for(open_path ? open_path : path, query);
    if (uri == NULL) {
        set_state(db, KC_DB_UNREADABLE, "out of memory");
        goto done;
    }
    rc = sqlite3_open_v2(uri, &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOFOLLOW,
                         NULL);
    if (rc != SQLITE_OK) {
        set_state(db, state_for(rc), "%s", h ? sqlite3_errmsg(h) : sqlite3_errstr(rc));
        goto done;
    }
    sqlite3_busy_timeout(h, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(h, 1);
    /* Hostile files: no trust in the schema, bounded work. */
    sqlite3_db_config(h, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, (int *)NULL);
    sqlite3_db_config(h, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
    sqlite3_limit(h, SQLITE_LIMIT_LENGTH, 1 << 20);
    {
        sqlite3_stmt *s = NULL;
        rc = sqlite3_prepare_v2(h, "SELECT count(*) FROM sqlite_master", -1, &s, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_step(s);
        if (rc != SQLITE_ROW) {
            set_state(db, state_for(rc), "%s", sqlite3_errmsg(h));
            sqlite3_finalize(s);
            goto done;
        }
        sqlite3_finalize(s);
    }
    db->has_kext_policy = table_exists(h, "kext_policy") &&
                          column_exists(h, "kext_policy", "team_id") &&
                          column_exists(h, "kext_policy", "bundle_id") &&
                          column_exists(h, "kext_policy", "allowed");
    db->has_mdm = table_exists(h, "kext_policy_mdm") &&
                  column_exists(h, "kext_policy_mdm", "team_id") &&
                  column_exists(h, "kext_policy_mdm", "bundle_id");
    db->has_history = table_exists(h, "kext_load_history_v3") &&
                      column_exists(h, "kext_load_history_v3", "path");
    db->has_cdhash = db->has_history && column_exists(h, "kext_load_history_v3", "cdhash");
    if (!db->has_kext_policy) {
        set_state(db, KC_DB_NO_TABLES, "%s",
                  table_exists(h, "kext_policy")
                      ? "kext_policy lacks the team_id, bundle_id or allowed column"
                      : "the database has no kext_policy table");
        goto done;
    }
    db->state = KC_DB_OK;
    db->db = h;
    h = NULL;
done:
    if (h != NULL)
        sqlite3_close(h);
    if (db->state != KC_DB_OK)
        remove_private_copy(db);
    if (fd >= 0)
        close(fd);
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
              kc_rootfs_strerror(err));
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

/* Binds ?1 to the team and ?2..?N to the bundle IDs. */
static int bind_ids(sqlite3_stmt *st, const char *team_id, const kc_strv *ids)
{
    int rc = sqlite3_bind_text(st, 1, team_id, -1, SQLITE_STATIC);

    for (size_t i = 0; rc == SQLITE_OK && i < ids->n; i++)
        rc = sqlite3_bind_text(st, (int)i + 2, ids->v[i], -1, SQLITE_STATIC);
    return rc;
}

/* "?2, ?3, ..." for n bundle IDs (n >= 1, n <= KC_PLUGIN_ARRAY_MAX). */
static void placeholders(char *buf, size_t len, size_t n)
{
    size_t o = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < n && o + 8 < len; i++)
        o += (size_t)snprintf(buf + o, len - o, "%s?%zu", i ? ", " : "", i + 2);
}

static char *select_sql(kc_policydb *db, const char *table, const char *const *cols,
                        size_t ncols, size_t nids)
{
    char list[512], ph[KC_PLUGIN_ARRAY_MAX * 6 + 8];
    size_t o = 0;

    list[0] = '\0';
    for (size_t i = 0; i < ncols; i++) {
        bool have = column_exists(db->db, table, cols[i]);
        o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s", i ? ", " : "",
                              have ? cols[i] : "NULL");
        if (o >= sizeof(list))
            return NULL;
    }
    placeholders(ph, sizeof(ph), nids);
    return kc_asprintf("SELECT %s FROM %s WHERE team_id = ?1%s%s%s LIMIT %d", list, table,
                       nids ? " OR bundle_id IN (" : "", ph, nids ? ")" : "", MAX_ROWS + 1);
}

static int run_query(kc_policydb *db, const char *table, const char *const *cols,
                     size_t ncols, const char *team_id, const kc_strv *ids,
                     int (*take)(sqlite3_stmt *, void *), void *ctx, bool *truncated)
{
    sqlite3_stmt *st = NULL;
    char *sql = select_sql(db, table, cols, ncols, ids->n);
    int rc = -1, step;
    size_t rows = 0;

    if (sql == NULL) {
        set_state(db, KC_DB_OK, "out of memory");
        goto done;
    }
    if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK ||
        bind_ids(st, team_id, ids) != SQLITE_OK) {
        set_state(db, KC_DB_OK, "%s: %s", table, sqlite3_errmsg(db->db));
        goto done;
    }
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        if (rows++ == MAX_ROWS) {
            *truncated = true;
            break;
        }
        if (take(st, ctx) != 0) {
            set_state(db, KC_DB_OK, "out of memory");
            goto done;
        }
    }
    if (step != SQLITE_ROW && step != SQLITE_DONE) {
        set_state(db, KC_DB_OK, "%s: %s", table, sqlite3_errmsg(db->db));
        goto done;
    }
    rc = 0;
done:
    sqlite3_finalize(st);
    free(sql);
    return rc;
}

#define GROW(arr, n)                                                      \
    do {                                                                  \
        void *g_ = realloc((arr), ((n) + 1) * sizeof(*(arr)));            \
        if (g_ == NULL)                                                   \
            return -1;                                                    \
        (arr) = g_;                                                       \
        memset(&(arr)[(n)], 0, sizeof(*(arr)));                           \
    } while (0)

static int take_policy(sqlite3_stmt *st, void *ctx)
{
    kc_policy_rows *r = ctx;
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

static int take_mdm(sqlite3_stmt *st, void *ctx)
{
    kc_policy_rows *r = ctx;
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

static int take_history(sqlite3_stmt *st, void *ctx)
{
    kc_policy_rows *r = ctx;
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

int kc_policydb_query(kc_policydb *db, const char *team_id, const kc_strv *bundle_ids,
                      kc_policy_rows *out)
{
    static const char *const pcols[] = {"team_id", "bundle_id", "allowed", "developer_name",
                                        "flags"};
    static const char *const mcols[] = {"team_id", "bundle_id", "allowed", "payload_uuid"};
    static const char *const hcols[] = {"path",      "team_id", "bundle_id", "created_at",
                                        "last_seen", "flags",   "cdhash"};

    memset(out, 0, sizeof(*out));
    if (db->state != KC_DB_OK)
        return -1;
    if (run_query(db, "kext_policy", pcols, 5, team_id, bundle_ids, take_policy, out,
                  &out->truncated) != 0)
        return -1;
    if (db->has_mdm && run_query(db, "kext_policy_mdm", mcols, 4, team_id, bundle_ids,
                                 take_mdm, out, &out->truncated) != 0)
        return -1;
    if (db->has_history && column_exists(db->db, "kext_load_history_v3", "team_id") &&
        column_exists(db->db, "kext_load_history_v3", "bundle_id") &&
        run_query(db, "kext_load_history_v3", hcols, 7, team_id, bundle_ids, take_history,
                  out, &out->truncated) != 0)
        return -1;
    return 0;
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
    if (db->db != NULL)
        sqlite3_close(db->db);
    remove_private_copy(db);
    free(db->path);
    free(db->error);
    memset(db, 0, sizeof(*db));
}
