/* Unit tests for core/policydb.c: reading KextPolicy databases built here
 * with the sqlite3 API, without changing a byte of them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kc.h"
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TEAM "ABCDE12345"
#define OTHER "ZZZZZ99999"

#define SCHEMA_10_14                                                                       \
    "CREATE TABLE settings ( name TEXT, value TEXT, PRIMARY KEY (name) );"                 \
    "CREATE TABLE kext_load_history_v3 ( path TEXT PRIMARY KEY, team_id TEXT, "             \
    "bundle_id TEXT, boot_uuid TEXT, created_at TEXT, last_seen TEXT, flags INTEGER , "     \
    "cdhash TEXT);"                                                                        \
    "CREATE TABLE kext_policy ( team_id TEXT, bundle_id TEXT, allowed BOOLEAN, "            \
    "developer_name TEXT, flags INTEGER, PRIMARY KEY (team_id, bundle_id) );"              \
    "CREATE TABLE kext_policy_mdm ( team_id TEXT, bundle_id TEXT, allowed BOOLEAN, "        \
    "payload_uuid TEXT, PRIMARY KEY (team_id, bundle_id) );"

#define SCHEMA_10_13                                                                       \
    "CREATE TABLE settings ( name TEXT, value TEXT, PRIMARY KEY (name) );"                 \
    "INSERT INTO settings VALUES ('migrationPerformed', 'YES');"                           \
    "CREATE TABLE kext_load_history_v3 ( path TEXT PRIMARY KEY, team_id TEXT, "             \
    "bundle_id TEXT, boot_uuid TEXT, created_at TEXT, last_seen TEXT, flags INTEGER );"    \
    "CREATE TABLE kext_policy ( team_id TEXT, bundle_id TEXT, allowed BOOLEAN, "            \
    "developer_name TEXT, flags INTEGER, PRIMARY KEY (team_id, bundle_id) );"

/* ---- fixture and helpers ------------------------------------------------ */

typedef struct fixture {
    char dir[4096];
    char db[4200];
    char *saved_tmpdir;
} fixture;

static int setup(void **state)
{
    const char *tmpdir = getenv("TMPDIR");
    fixture *f = calloc(1, sizeof(*f));

    if (f == NULL)
        return -1;
    tu_make_tmpdir(f->dir, sizeof(f->dir), "policydb");
    tu_join(f->db, sizeof(f->db), f->dir, "KextPolicy");
    f->saved_tmpdir = tmpdir ? kc_strdup(tmpdir) : NULL;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    if (f->saved_tmpdir != NULL)
        setenv("TMPDIR", f->saved_tmpdir, 1);
    else
        unsetenv("TMPDIR");
    tu_rm_tree(f->dir);
    free(f->saved_tmpdir);
    free(f);
    return 0;
}

static void exec_sql(sqlite3 *h, const char *sql)
{
    char *err = NULL;
    int rc = sqlite3_exec(h, sql, NULL, NULL, &err);

    if (rc != SQLITE_OK)
        print_error("sqlite3_exec: %s\n  in: %s\n", err ? err : "?", sql);
    sqlite3_free(err);
    assert_int_equal(rc, SQLITE_OK);
}

static sqlite3 *open_rw(const char *path)
{
    sqlite3 *h = NULL;

    assert_int_equal(sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                     SQLITE_OK);
    return h;
}

/* A rollback-journal database holding sql. */
static void make_db(const char *path, const char *sql)
{
    sqlite3 *h = open_rw(path);

    exec_sql(h, sql);
    assert_int_equal(sqlite3_close(h), SQLITE_OK);
}

/* A WAL database: first_sql checkpointed into the main file, then, when
 * wal_sql is not NULL, wal_sql left only in the -wal file (with -shm). */
static void make_wal_db(const char *path, const char *first_sql, const char *wal_sql)
{
    sqlite3 *h = open_rw(path);

    exec_sql(h, "PRAGMA journal_mode=WAL;");
    exec_sql(h, first_sql);
    exec_sql(h, "PRAGMA wal_checkpoint(TRUNCATE);");
    if (wal_sql != NULL) {
        assert_int_equal(sqlite3_db_config(h, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL),
                         SQLITE_OK);
        assert_int_equal(sqlite3_wal_autocheckpoint(h, 0), SQLITE_OK);
        exec_sql(h, wal_sql);
    }
    assert_int_equal(sqlite3_close(h), SQLITE_OK);
}

static char *sibling(const char *path, const char *suffix)
{
    char *p = kc_asprintf("%s%s", path, suffix);

    assert_non_null(p);
    return p;
}

static bool exists(const char *path)
{
    struct stat st;

    return lstat(path, &st) == 0;
}

static bool sibling_exists(const char *path, const char *suffix)
{
    char *p = sibling(path, suffix);
    bool r = exists(p);

    free(p);
    return r;
}

typedef struct blob {
    char *data;
    size_t len;
} blob;

/* Asserts that after holds exactly the bytes of before, then frees both. */
static void expect_same_bytes(blob *before, blob *after)
{
    assert_int_equal(after->len, before->len);
    assert_memory_equal(after->data, before->data, before->len);
    free(before->data);
    free(after->data);
    before->data = after->data = NULL;
}

static blob slurp(const char *path)
{
    blob b = {NULL, 0};
    FILE *fp = fopen(path, "rb");
    long n;

    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    n = ftell(fp);
    assert_true(n >= 0);
    assert_int_equal(fseek(fp, 0, SEEK_SET), 0);
    b.len = (size_t)n;
    b.data = malloc(b.len + 1);
    assert_non_null(b.data);
    assert_int_equal(fread(b.data, 1, b.len, fp), b.len);
    fclose(fp);
    return b;
}

static bool blob_has(const blob *b, const char *s)
{
    size_t n = strlen(s);

    for (size_t i = 0; i + n <= b->len; i++)
        if (memcmp(b->data + i, s, n) == 0)
            return true;
    return false;
}

/* The names in dir, sorted and joined by spaces (owned). */
static char *listing(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    kc_strv names = {0};
    char *out = kc_strdup("");

    assert_non_null(d);
    assert_non_null(out);
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        assert_int_equal(kc_strv_push(&names, de->d_name), 0);
    }
    closedir(d);
    for (size_t i = 1; i < names.n; i++)
        for (size_t j = i; j > 0 && strcmp(names.v[j - 1], names.v[j]) > 0; j--) {
            char *t = names.v[j];
            names.v[j] = names.v[j - 1];
            names.v[j - 1] = t;
        }
    for (size_t i = 0; i < names.n; i++) {
        char *next = kc_asprintf("%s%s%s", out, i ? " " : "", names.v[i]);
        assert_non_null(next);
        free(out);
        out = next;
    }
    kc_strv_free(&names);
    return out;
}

static const kc_policy_row *find_policy(const kc_policy_rows *r, const char *team,
                                        const char *bundle)
{
    for (size_t i = 0; i < r->n_policy; i++)
        if (r->policy[i].team_id && strcmp(r->policy[i].team_id, team) == 0 &&
            r->policy[i].bundle_id && strcmp(r->policy[i].bundle_id, bundle) == 0)
            return &r->policy[i];
    return NULL;
}

/* Opens path, which must be readable; a private copy goes under scratch. */
static void open_ok_in(kc_policydb *db, const char *path, const char *scratch)
{
    kc_policydb_open_in(db, path, scratch);
    if (db->state != KC_DB_OK)
        print_error("state %s: %s\n", kc_db_state_name(db->state),
                    db->error ? db->error : "(no error)");
    assert_int_equal(db->state, KC_DB_OK);
    assert_non_null(db->db);
    assert_string_equal(db->path, path);
}

static void open_ok(kc_policydb *db, const char *path)
{
    open_ok_in(db, path, NULL);
}

static void query_ok(kc_policydb *db, const char *team, const kc_strv *ids,
                     kc_policy_rows *rows)
{
    int rc = kc_policydb_query(db, team, ids, rows);

    if (rc != 0)
        print_error("query: %s\n", db->error ? db->error : "(no error)");
    assert_int_equal(rc, 0);
    assert_false(rows->truncated);
}

static void ids_of(kc_strv *ids, const char *a, const char *b, const char *c)
{
    memset(ids, 0, sizeof(*ids));
    if (a)
        assert_int_equal(kc_strv_push(ids, a), 0);
    if (b)
        assert_int_equal(kc_strv_push(ids, b), 0);
    if (c)
        assert_int_equal(kc_strv_push(ids, c), 0);
}

/* ---- schemas ------------------------------------------------------------- */

static void schema_10_14(void **state)
{
    fixture *f = *state;
    kc_policydb db;
    kc_policy_rows rows;
    kc_strv ids;
    const kc_policy_row *p;

    make_db(f->db, SCHEMA_10_14
            "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.one', 1, "
            "'Example, Inc.', 1);"
            "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.two', 0, "
            "'Example, Inc.', 8);"
            "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.three', 1, NULL, NULL);"
            "INSERT INTO kext_policy_mdm VALUES ('" TEAM "', 'com.example.one', 1, "
            "'6F1C2A3B-0000-4000-8000-000000000001');"
            "INSERT INTO kext_load_history_v3 VALUES ("
            "'/Library/StagedExtensions/Library/Extensions/One.kext', '" TEAM "', "
            "'com.example.one', 'BOOT-UUID', '2019-05-01 10:00:00', '2019-05-02 11:00:00', "
            "13, 'c0ffee');");
    ids_of(&ids, "com.example.one", "com.example.two", "com.example.three");
    open_ok(&db, f->db);
    assert_string_equal(db.access, "in_place");
    assert_true(db.has_kext_policy);
    assert_true(db.has_mdm);
    assert_true(db.has_history);
    assert_true(db.has_cdhash);
    assert_null(db.tmpdir);
    query_ok(&db, TEAM, &ids, &rows);

    assert_int_equal(rows.n_policy, 3);
    p = find_policy(&rows, TEAM, "com.example.one");
    assert_non_null(p);
    assert_int_equal(p->allowed, 1);
    assert_string_equal(p->developer_name, "Example, Inc.");
    assert_true(p->has_flags);
    assert_int_equal(p->flags, 1);
    p = find_policy(&rows, TEAM, "com.example.two");
    assert_non_null(p);
    assert_int_equal(p->allowed, 0);
    assert_string_equal(p->developer_name, "Example, Inc.");
    assert_true(p->has_flags);
    assert_int_equal(p->flags, 8);
    p = find_policy(&rows, TEAM, "com.example.three");
    assert_non_null(p);
    assert_int_equal(p->allowed, 1);
    assert_null(p->developer_name);
    assert_false(p->has_flags);

    assert_int_equal(rows.n_mdm, 1);
    assert_string_equal(rows.mdm[0].team_id, TEAM);
    assert_string_equal(rows.mdm[0].bundle_id, "com.example.one");
    assert_int_equal(rows.mdm[0].allowed, 1);
    assert_string_equal(rows.mdm[0].payload_uuid, "6F1C2A3B-0000-4000-8000-000000000001");

    assert_int_equal(rows.n_history, 1);
    assert_string_equal(rows.history[0].path,
                        "/Library/StagedExtensions/Library/Extensions/One.kext");
    assert_string_equal(rows.history[0].team_id, TEAM);
    assert_string_equal(rows.history[0].bundle_id, "com.example.one");
    assert_string_equal(rows.history[0].created_at, "2019-05-01 10:00:00");
    assert_string_equal(rows.history[0].last_seen, "2019-05-02 11:00:00");
    assert_true(rows.history[0].has_flags);
    assert_int_equal(rows.history[0].flags, 13);
    assert_string_equal(rows.history[0].cdhash, "c0ffee");

    kc_policy_rows_free(&rows);
    assert_int_equal(rows.n_policy, 0);
    kc_policydb_close(&db);
    assert_null(db.db);
    assert_null(db.path);
    kc_strv_free(&ids);
}

static void schema_10_13(void **state)
{
    fixture *f = *state;
    kc_policydb db;
    kc_policy_rows rows;
    kc_strv ids;
    const kc_policy_row *p;

    make_db(f->db, SCHEMA_10_13
            "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.one', 1, "
            "'VMware, Inc.', 8);"
            "INSERT INTO kext_load_history_v3 VALUES ('/Library/Extensions/One.kext', '" TEAM
            "', 'com.example.one', 'B', '2018-01-01 00:00:00', '2018-01-02 00:00:00', 5);");
    ids_of(&ids, "com.example.one", NULL, NULL);
    open_ok(&db, f->db);
    assert_true(db.has_kext_policy);
    assert_false(db.has_mdm);
    assert_true(db.has_history);
    assert_false(db.has_cdhash);
    query_ok(&db, TEAM, &ids, &rows);
    assert_int_equal(rows.n_policy, 1);
    p = find_policy(&rows, TEAM, "com.example.one");
    assert_non_null(p);
    assert_int_equal(p->allowed, 1);
    assert_string_equal(p->developer_name, "VMware, Inc.");
    assert_int_equal(p->flags, 8);
    assert_int_equal(rows.n_mdm, 0);
    assert_null(rows.mdm);
    assert_int_equal(rows.n_history, 1);
    assert_null(rows.history[0].cdhash);
    assert_int_equal(rows.history[0].flags, 5);
    kc_policy_rows_free(&rows);
    kc_policydb_close(&db);
    kc_strv_free(&ids);
}

static void policy_only_minimal_columns(void **state)
{
    fixture *f = *state;
    kc_policydb db;
    kc_policy_rows rows;
    kc_strv ids;

    /* Columns are picked by name: missing optional ones read as NULL. */
    make_db(f->db, "CREATE TABLE kext_policy (allowed, bundle_id, team_id);"
                   "INSERT INTO kext_policy VALUES (0, 'com.example.one', '" TEAM "');");
    ids_of(&ids, "com.example.one", NULL, NULL);
    open_ok(&db, f->db);
    assert_false(db.has_mdm);
    assert_false(db.has_history);
    query_ok(&db, TEAM, &ids, &rows);
    assert_int_equal(rows.n_policy, 1);
    assert_int_equal(rows.policy[0].allowed, 0);
    assert_string_equal(rows.policy[0].bundle_id, "com.example.one");
    assert_null(rows.policy[0].developer_name);
    assert_false(rows.policy[0].has_flags);
    kc_policy_rows_free(&rows);
    kc_policydb_close(&db);
    kc_strv_free(&ids);
}

/* ---- row contents -------------------------------------------------------- */

static void mdm_team_wide(void **state)
{
    fixture *f = *state;
    kc_policydb db;
    kc_policy_rows rows;
    kc_strv ids;
    size_t nulls = 0, empties = 0;

    make_db(f->db, SCHEMA_10_14
            "INSERT INTO kext_policy_mdm VALUES ('" TEAM "', NULL, 1, 'P1');"
            "INSERT INTO kext_policy_mdm (team_id, bundle_id, allowed) VALUES ('" OTHER
            "', '', 1);");
    ids_of(&ids, "com.example.one", NULL, NULL);
    open_ok(&db, f->db);
    query_ok(&db, TEAM, &ids, &rows);
    assert_int_equal(rows.n_policy, 0);
    assert_int_equal(rows.n_mdm, 1);
    assert_string_equal(rows.mdm[0].team_id, TEAM);
    assert_null(rows.mdm[0].bundle_id);
    assert_int_equal(rows.mdm[0].allowed, 1);
    assert_string_equal(rows.mdm[0].payload_uuid, "P1");
    kc_policy_rows_free(&rows);

    query_ok(&db, OTHER, &ids, &rows);
    assert_int_equal(rows.n_mdm, 1);
    for (size_t i = 0; i < rows.n_mdm; i++) {
        nulls += rows.mdm[i].bundle_id == NULL;
        empties += rows.mdm[i].bundle_id != NULL && rows.mdm[i].bundle_id[0] == '\0';
    }
    assert_int_equal(nulls, 0);
    assert_int_equal(empties, 1);
    assert_null(rows.mdm[0].payload_uuid);
    kc_policy_rows_free(&rows);
    kc_policydb_close(&db);
    kc_strv_free(&ids);
}

static void allowed_not_a_number(void **state)
{
    fixture *f = *state;
    kc_policydb db;
    kc_policy_rows rows;
    kc_strv ids;

    make_db(f->db, SCHEMA_10_14
            "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.yes', 'yes', 'E', 'x');"
            "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.two', 2, 'E', 1);"
            "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.null', NULL, 'E', 1);"
            "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.real', 1.5, 'E', 1);"
            "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.one', '1', 'E', 1);");
    ids_of(&ids, "com.example.yes", NULL, NULL);
    open_ok(&db, f->db);
    query_ok(&db, TEAM, &ids, &rows);
    assert_int_equal(rows.n_policy, 5);
    assert_int_equal(find_policy(&rows, TEAM, "com.example.yes")->allowed, -1);
    assert_false(find_policy(&rows, TEAM, "com.example.yes")->has_flags);
    assert_int_equal(find_policy(&rows, TEAM, "com.example.two")->allowed, -1);
    assert_int_equal(find_policy(&rows, TEAM, "com.example.null")->allowed, -1);
    assert_int_equal(find_policy(&rows, TEAM, "com.example.real")->allowed, -1);
    /* BOOLEAN has NUMERIC affinity: the text '1' is stored as the integer 1. */
    assert_int_equal(find_policy(&rows, TEAM, "com.example.one")->allowed, 1);
    kc_policy_rows_free(&rows);
    kc_policydb_close(&db);
    kc_strv_free(&ids);
}

static void invalid_utf8_cleaned(void **state)
{
    fixture *f = *state;
    kc_policydb db;
    kc_policy_rows rows;
    kc_strv ids;
    const kc_policy_row *p;

    /* "Soci\xe9t\xe9 \xc0\xaf\xed\xa0\x80" with an embedded NUL, as raw text bytes. */
    make_db(f->db, SCHEMA_10_14
            "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.one', 1, "
            "CAST(X'536f6369e974e920c0afeda08000585a' AS TEXT), 1);");
    ids_of(&ids, "com.example.one", NULL, NULL);
    open_ok(&db, f->db);
    query_ok(&db, TEAM, &ids, &rows);
    p = find_policy(&rows, TEAM, "com.example.one");
    assert_non_null(p);
    assert_non_null(p->developer_name);
    assert_true(tu_valid_utf8(p->developer_name, strlen(p->developer_name)));
    assert_memory_equal(p->developer_name, "Soci\xef\xbf\xbdt\xef\xbf\xbd ", 12);
    /* The bytes after the NUL are kept, the NUL replaced. */
    assert_non_null(strstr(p->developer_name, "\xef\xbf\xbdXZ"));
    kc_policy_rows_free(&rows);
    kc_policydb_close(&db);
    kc_strv_free(&ids);
}

static void other_team_rows(void **state)
{
    fixture *f = *state;
    kc_policydb db;
    kc_policy_rows rows;
    kc_strv ids, none = {0};

    make_db(f->db, SCHEMA_10_14
            "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.one', 1, 'E', 1);"
            "INSERT INTO kext_policy VALUES ('" OTHER "', 'com.example.one', 0, 'Impostor', 1);"
            "INSERT INTO kext_policy VALUES ('" OTHER "', 'com.other.kext', 1, 'Other', 1);"
            "INSERT INTO kext_policy VALUES ('" OTHER "', 'com.example.notasked', 1, 'O', 1);"
            "INSERT INTO kext_policy_mdm VALUES ('" OTHER "', 'com.example.one', 1, 'M1');"
            "INSERT INTO kext_policy_mdm VALUES ('" OTHER "', NULL, 1, 'M2');"
            "INSERT INTO kext_load_history_v3 VALUES ('/a', '" OTHER "', 'com.example.one', "
            "'B', 'c', 'l', 1, NULL);"
            "INSERT INTO kext_load_history_v3 VALUES ('/b', '" OTHER "', 'com.other.kext', "
            "'B', 'c', 'l', 1, NULL);");
    ids_of(&ids, "com.example.one", "com.example.two", NULL);
    open_ok(&db, f->db);
    query_ok(&db, TEAM, &ids, &rows);
    assert_int_equal(rows.n_policy, 2);
    assert_non_null(find_policy(&rows, TEAM, "com.example.one"));
    assert_non_null(find_policy(&rows, OTHER, "com.example.one"));
    assert_null(find_policy(&rows, OTHER, "com.other.kext"));
    assert_null(find_policy(&rows, OTHER, "com.example.notasked"));
    assert_int_equal(rows.n_mdm, 1);
    assert_string_equal(rows.mdm[0].payload_uuid, "M1");
    assert_int_equal(rows.n_history, 1);
    assert_string_equal(rows.history[0].path, "/a");
    kc_policy_rows_free(&rows);

    /* Without bundle IDs, only the team's own rows. */
    query_ok(&db, TEAM, &none, &rows);
    assert_int_equal(rows.n_policy, 1);
    assert_string_equal(rows.policy[0].team_id, TEAM);
    assert_int_equal(rows.n_mdm, 0);
    assert_int_equal(rows.n_history, 0);
    kc_policy_rows_free(&rows);

    /* A team with no rows at all. */
    query_ok(&db, "QQQQQ11111", &none, &rows);
    assert_int_equal(rows.n_policy + rows.n_mdm + rows.n_history, 0);
    kc_policy_rows_free(&rows);
    kc_policydb_close(&db);
    kc_strv_free(&ids);
}

static void many_bundle_ids(void **state)
{
    fixture *f = *state;
    kc_policydb db;
    kc_policy_rows rows;
    kc_strv ids = {0};
    char id[64];

    make_db(f->db, SCHEMA_10_14
            "INSERT INTO kext_policy VALUES ('" OTHER "', 'com.example.k31', 0, 'E', 1);");
    for (int i = 0; i < KC_PLUGIN_ARRAY_MAX; i++) {
        kc_snprintf(id, sizeof(id), "com.example.k%d", i);
        assert_int_equal(kc_strv_push(&ids, id), 0);
    }
    open_ok(&db, f->db);
    query_ok(&db, TEAM, &ids, &rows);
    assert_int_equal(rows.n_policy, 1);
    assert_string_equal(rows.policy[0].bundle_id, "com.example.k31");
    kc_policy_rows_free(&rows);
    kc_policydb_close(&db);
    kc_strv_free(&ids);
}

/* ---- unusable files ------------------------------------------------------ */

static void expect_state(const char *path, kc_db_state want, const char *word)
{
    kc_policydb db;
    kc_policy_rows rows;
    kc_strv ids = {0};

    kc_policydb_open(&db, path);
    if (db.state != want)
        print_error("state %s (%s), wanted %s\n", kc_db_state_name(db.state),
                    db.error ? db.error : "", kc_db_state_name(want));
    assert_int_equal(db.state, want);
    assert_null(db.db);
    assert_null(db.tmpdir);
    assert_non_null(db.error);
    assert_true(tu_valid_utf8(db.error, strlen(db.error)));
    if (word != NULL) {
        if (strstr(db.error, word) == NULL)
            print_error("error \"%s\" lacks \"%s\"\n", db.error, word);
        assert_non_null(strstr(db.error, word));
    }
    assert_string_equal(db.path, path);
    /* Queries on an unusable database fail cleanly. */
    assert_int_equal(kc_policydb_query(&db, TEAM, &ids, &rows), -1);
    assert_int_equal(rows.n_policy + rows.n_mdm + rows.n_history, 0);
    kc_policydb_close(&db);
}

static void missing_file(void **state)
{
    fixture *f = *state;

    expect_state(f->db, KC_DB_MISSING, NULL);
    assert_false(exists(f->db));
    assert_string_equal(kc_db_state_name(KC_DB_MISSING), "missing");
}

static void empty_file(void **state)
{
    fixture *f = *state;

    tu_write_bytes(f->db, "", 0);
    expect_state(f->db, KC_DB_NO_TABLES, "empty");
    assert_string_equal(kc_db_state_name(KC_DB_NO_TABLES), "no_tables");
}

static void garbage_file(void **state)
{
    fixture *f = *state;
    static const char text[] = "This is not a database.\nJust some notes about kexts.\n";
    char big[4096];

    tu_write_bytes(f->db, text, sizeof(text) - 1);
    expect_state(f->db, KC_DB_CORRUPT, NULL);
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)('a' + i % 26);
    tu_write_bytes(f->db, big, sizeof(big));
    expect_state(f->db, KC_DB_CORRUPT, NULL);
    /* The right magic with a nonsense header after it. */
    memset(big, 0xab, sizeof(big));
    memcpy(big, "SQLite format 3", 16);
    tu_write_bytes(f->db, big, sizeof(big));
    expect_state(f->db, KC_DB_CORRUPT, NULL);
    assert_string_equal(kc_db_state_name(KC_DB_CORRUPT), "corrupt");
}

static void no_tables(void **state)
{
    fixture *f = *state;

    make_db(f->db, "PRAGMA user_version = 7;");
    assert_true(exists(f->db));
    expect_state(f->db, KC_DB_NO_TABLES, "no kext_policy table");
}

static void other_tables_only(void **state)
{
    fixture *f = *state;

    make_db(f->db, "CREATE TABLE settings ( name TEXT, value TEXT, PRIMARY KEY (name) );"
                   "CREATE TABLE kext_policy_mdm ( team_id TEXT, bundle_id TEXT, "
                   "allowed BOOLEAN, payload_uuid TEXT);");
    expect_state(f->db, KC_DB_NO_TABLES, "no kext_policy table");
}

static void policy_lacks_allowed(void **state)
{
    fixture *f = *state;

    make_db(f->db, "CREATE TABLE kext_policy ( team_id TEXT, bundle_id TEXT, "
                   "developer_name TEXT, flags INTEGER );"
                   "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.one', 'E', 1);");
    expect_state(f->db, KC_DB_NO_TABLES, "lacks");
}

static void policy_is_a_view(void **state)
{
    fixture *f = *state;

    make_db(f->db, "CREATE TABLE t (team_id, bundle_id, allowed);"
                   "CREATE VIEW kext_policy AS SELECT * FROM t;");
    expect_state(f->db, KC_DB_NO_TABLES, NULL);
}

static void not_regular(void **state)
{
    fixture *f = *state;
    char *real = sibling(f->db, ".real");

    assert_int_equal(mkdir(f->db, 0700), 0);
    expect_state(f->db, KC_DB_UNREADABLE, "not a regular file");
    assert_int_equal(rmdir(f->db), 0);

    make_db(real, SCHEMA_10_14);
    assert_int_equal(symlink(real, f->db), 0);
    expect_state(f->db, KC_DB_UNREADABLE, "symbolic link");
    free(real);
}

/* ---- leaving the evidence untouched ------------------------------------- */

static void rollback_db_untouched(void **state)
{
    fixture *f = *state;
    kc_policydb db;
    kc_policy_rows rows;
    kc_strv ids;
    blob before, after;
    char *names_before, *names_after;

    make_db(f->db, SCHEMA_10_14
            "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.one', 0, 'E', 1);");
    before = slurp(f->db);
    names_before = listing(f->dir);
    ids_of(&ids, "com.example.one", NULL, NULL);
    open_ok(&db, f->db);
    assert_string_equal(db.access, "in_place");
    query_ok(&db, TEAM, &ids, &rows);
    assert_int_equal(rows.n_policy, 1);
    kc_policy_rows_free(&rows);
    kc_policydb_close(&db);
    after = slurp(f->db);
    names_after = listing(f->dir);
    assert_string_equal(names_after, names_before);
    expect_same_bytes(&before, &after);
    free(names_before);
    free(names_after);
    kc_strv_free(&ids);
}

static void wal_in_place(void **state)
{
    fixture *f = *state;
    kc_policydb db;
    kc_policy_rows rows;
    kc_strv ids;
    char *wal = sibling(f->db, "-wal"), *shm = sibling(f->db, "-shm");
    blob db0, wal0, shm0, db1, wal1, shm1;
    char *names_before, *names_after;
    const kc_policy_row *p;

    make_wal_db(f->db,
                SCHEMA_10_14 "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.old', "
                             "1, 'E', 1);",
                "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.newest', 0, "
                "'E', 8);"
                "UPDATE kext_policy SET allowed = 0 WHERE bundle_id = 'com.example.old';");
    assert_true(exists(wal));
    assert_true(exists(shm));
    db0 = slurp(f->db);
    wal0 = slurp(wal);
    shm0 = slurp(shm);
    /* The newest row lives only in the log. */
    assert_true(db0.data[18] == 2 && db0.data[19] == 2);
    assert_false(blob_has(&db0, "com.example.newest"));
    assert_true(blob_has(&wal0, "com.example.newest"));
    names_before = listing(f->dir);

    ids_of(&ids, "com.example.old", "com.example.newest", NULL);
    open_ok(&db, f->db);
    assert_string_equal(db.access, "in_place");
    assert_null(db.tmpdir);
    query_ok(&db, TEAM, &ids, &rows);
    assert_int_equal(rows.n_policy, 2);
    p = find_policy(&rows, TEAM, "com.example.newest");
    assert_non_null(p);
    assert_int_equal(p->allowed, 0);
    assert_int_equal(p->flags, 8);
    /* The update in the log wins over the main file's copy. */
    p = find_policy(&rows, TEAM, "com.example.old");
    assert_non_null(p);
    assert_int_equal(p->allowed, 0);
    kc_policy_rows_free(&rows);
    kc_policydb_close(&db);

    db1 = slurp(f->db);
    wal1 = slurp(wal);
    shm1 = slurp(shm);
    names_after = listing(f->dir);
    assert_string_equal(names_after, names_before);
    expect_same_bytes(&db0, &db1);
    expect_same_bytes(&wal0, &wal1);
    expect_same_bytes(&shm0, &shm1);

    free(names_before);
    free(names_after);
    free(wal);
    free(shm);
    kc_strv_free(&ids);
}

static void wal_without_shm(void **state)
{
    fixture *f = *state;
    kc_policydb db;
    kc_policy_rows rows;
    kc_strv ids;
    char *wal = sibling(f->db, "-wal"), *shm = sibling(f->db, "-shm");
    char *privdir = kc_asprintf("%s/private", f->dir), *copy_dir, *names_before, *names_after;
    char *names_priv;
    blob db0, wal0, db1, wal1;
    struct stat st;

    assert_non_null(privdir);
    assert_int_equal(mkdir(privdir, 0700), 0);
    make_wal_db(f->db,
                SCHEMA_10_14 "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.old', "
                             "1, 'E', 1);",
                "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.newest', 0, "
                "'E', 8);");
    assert_int_equal(unlink(shm), 0);
    db0 = slurp(f->db);
    wal0 = slurp(wal);
    names_before = listing(f->dir);

    ids_of(&ids, "com.example.old", "com.example.newest", NULL);
    open_ok_in(&db, f->db, privdir);
    assert_string_equal(db.access, "private_copy");
    assert_non_null(db.tmpdir);
    assert_int_equal(strncmp(db.tmpdir, privdir, strlen(privdir)), 0);
    /* A name that says what it is, should a killed run leave it behind. */
    assert_int_equal(strncmp(db.tmpdir + strlen(privdir), "/" KC_POLICYDB_COPY_PREFIX,
                             strlen(KC_POLICYDB_COPY_PREFIX) + 1),
                     0);
    assert_int_equal(stat(db.tmpdir, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_string_equal(db.path, f->db);
    query_ok(&db, TEAM, &ids, &rows);
    assert_int_equal(rows.n_policy, 2);
    assert_non_null(find_policy(&rows, TEAM, "com.example.newest"));
    assert_non_null(find_policy(&rows, TEAM, "com.example.old"));
    kc_policy_rows_free(&rows);
    assert_false(exists(shm));
    copy_dir = kc_strdup(db.tmpdir);
    assert_non_null(copy_dir);
    kc_policydb_close(&db);

    /* The private folder is gone and nothing was created beside the original. */
    assert_false(exists(copy_dir));
    names_priv = listing(privdir);
    assert_string_equal(names_priv, "");
    assert_false(exists(shm));
    names_after = listing(f->dir);
    assert_string_equal(names_after, names_before);
    db1 = slurp(f->db);
    wal1 = slurp(wal);
    expect_same_bytes(&db0, &db1);
    expect_same_bytes(&wal0, &wal1);

    free(names_before);
    free(names_after);
    free(names_priv);
    free(copy_dir);
    free(privdir);
    free(wal);
    free(shm);
    kc_strv_free(&ids);
}

static void wal_without_wal_file(void **state)
{
    fixture *f = *state;
    kc_policydb db;
    kc_policy_rows rows;
    kc_strv ids;
    blob db0, db1;
    char *names_before, *names_after;

    make_wal_db(f->db,
                SCHEMA_10_14 "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.one', "
                             "1, 'E', 1);",
                NULL);
    assert_false(sibling_exists(f->db, "-wal"));
    assert_false(sibling_exists(f->db, "-shm"));
    db0 = slurp(f->db);
    assert_true(db0.data[18] == 2 && db0.data[19] == 2);
    names_before = listing(f->dir);

    ids_of(&ids, "com.example.one", NULL, NULL);
    open_ok(&db, f->db);
    assert_string_equal(db.access, "immutable");
    query_ok(&db, TEAM, &ids, &rows);
    assert_int_equal(rows.n_policy, 1);
    assert_int_equal(rows.policy[0].allowed, 1);
    assert_false(sibling_exists(f->db, "-wal"));
    assert_false(sibling_exists(f->db, "-shm"));
    kc_policy_rows_free(&rows);
    kc_policydb_close(&db);

    assert_false(sibling_exists(f->db, "-wal"));
    assert_false(sibling_exists(f->db, "-shm"));
    names_after = listing(f->dir);
    assert_string_equal(names_after, names_before);
    db1 = slurp(f->db);
    expect_same_bytes(&db0, &db1);
    free(names_before);
    free(names_after);
    kc_strv_free(&ids);
}

static void path_with_uri_characters(void **state)
{
    fixture *f = *state;
    kc_policydb db;
    kc_policy_rows rows;
    kc_strv ids;
    char *sub = kc_asprintf("%s/Mac HD's #1 ?x=%%20&y", f->dir), *path;

    assert_non_null(sub);
    assert_int_equal(mkdir(sub, 0700), 0);
    path = kc_asprintf("%s/KextPolicy", sub);
    assert_non_null(path);
    make_db(path, SCHEMA_10_14
            "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.one', 1, 'E', 1);");
    ids_of(&ids, "com.example.one", NULL, NULL);
    open_ok(&db, path);
    query_ok(&db, TEAM, &ids, &rows);
    assert_int_equal(rows.n_policy, 1);
    kc_policy_rows_free(&rows);
    kc_policydb_close(&db);
    free(sub);
    free(path);
    kc_strv_free(&ids);
}

/* ---- files beside the database that are not regular files ---------------- */

/* A hang is a failure: SIGALRM ends the test program instead. */
#define NO_HANG_SECONDS 30

/* A WAL database with rows in -wal and -shm, as on a live Mac. */
static void make_live_wal_db(const char *path)
{
    make_wal_db(path,
                SCHEMA_10_14 "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.one', "
                             "1, 'E', 1);",
                "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.two', 0, 'E', 8);");
    assert_true(sibling_exists(path, "-wal"));
    assert_true(sibling_exists(path, "-shm"));
}

static void remove_sibling(const char *path, const char *suffix)
{
    char *p = sibling(path, suffix);

    assert_int_equal(unlink(p), 0);
    free(p);
}

static void replace_with_fifo(const char *path, const char *suffix)
{
    char *p = sibling(path, suffix);

    if (exists(p))
        assert_int_equal(unlink(p), 0);
    assert_int_equal(mkfifo(p, 0600), 0);
    free(p);
}

static void wal_is_fifo(void **state)
{
    fixture *f = *state;

    /* -wal a FIFO and no -shm: the private copy would block reading it. */
    make_live_wal_db(f->db);
    remove_sibling(f->db, "-shm");
    replace_with_fifo(f->db, "-wal");
    alarm(NO_HANG_SECONDS);
    expect_state(f->db, KC_DB_UNREADABLE, "KextPolicy-wal is a FIFO");
    alarm(0);
    assert_false(sibling_exists(f->db, "-shm"));
}

static void shm_is_fifo(void **state)
{
    fixture *f = *state;

    make_live_wal_db(f->db);
    replace_with_fifo(f->db, "-shm");
    alarm(NO_HANG_SECONDS);
    expect_state(f->db, KC_DB_UNREADABLE, "KextPolicy-shm is a FIFO");
    alarm(0);
}

static void journal_is_fifo(void **state)
{
    fixture *f = *state;

    /* SQLite opens a -journal beside a rollback database to see if it is hot. */
    make_db(f->db, SCHEMA_10_14);
    replace_with_fifo(f->db, "-journal");
    alarm(NO_HANG_SECONDS);
    expect_state(f->db, KC_DB_UNREADABLE, "KextPolicy-journal is a FIFO");
    alarm(0);
}

static void shm_is_link(void **state)
{
    fixture *f = *state;
    char *shm = sibling(f->db, "-shm"), *elsewhere = sibling(f->db, ".elsewhere");
    blob before, after;

    make_live_wal_db(f->db);
    assert_int_equal(rename(shm, elsewhere), 0);
    assert_int_equal(symlink(elsewhere, shm), 0);
    before = slurp(elsewhere);
    expect_state(f->db, KC_DB_UNREADABLE, "KextPolicy-shm is a symbolic link");
    after = slurp(elsewhere);
    expect_same_bytes(&before, &after);
    free(shm);
    free(elsewhere);
}

static void wal_is_device(void **state)
{
    fixture *f = *state;
    char *wal = sibling(f->db, "-wal");
    struct stat zero;

    /* Only root may make a device node (and not in every container). */
    make_live_wal_db(f->db);
    remove_sibling(f->db, "-shm");
    assert_int_equal(unlink(wal), 0);
    if (stat("/dev/zero", &zero) != 0 || !S_ISCHR(zero.st_mode) ||
        mknod(wal, S_IFCHR | 0600, zero.st_rdev) != 0) {
        free(wal);
        skip();
    }
    expect_state(f->db, KC_DB_UNREADABLE, "KextPolicy-wal is a character device");
    free(wal);
}

/* ---- the private copy ------------------------------------------------------ */

/* f->dir/NAME, a new folder with mode (owned). */
static char *new_folder(fixture *f, const char *name, mode_t mode)
{
    char *p = kc_asprintf("%s/%s", f->dir, name);

    assert_non_null(p);
    assert_int_equal(mkdir(p, 0700), 0);
    assert_int_equal(chmod(p, mode), 0);
    return p;
}

/* A WAL database with -wal but no -shm: read through a private copy. */
static void make_wal_without_shm(const char *path)
{
    make_live_wal_db(path);
    remove_sibling(path, "-shm");
}

static void copy_cap_wal(void **state)
{
    fixture *f = *state;
    char *scratch = new_folder(f, "scratch", 0700), *wal = sibling(f->db, "-wal"), *names;
    int fd;

    /* A sparse -wal one byte over the cap: nothing is copied. */
    make_wal_without_shm(f->db);
    fd = open(wal, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)KC_POLICYDB_COPY_MAX + 1), 0);
    assert_int_equal(close(fd), 0);
    {
        kc_policydb db;
        kc_policydb_open_in(&db, f->db, scratch);
        assert_int_equal(db.state, KC_DB_UNREADABLE);
        assert_non_null(strstr(db.error, "KextPolicy-wal is larger than 64 MiB"));
        assert_null(db.tmpdir);
        kc_policydb_close(&db);
    }
    names = listing(scratch);
    assert_string_equal(names, "");
    free(names);
    free(wal);
    free(scratch);
}

static void copy_cap_database(void **state)
{
    fixture *f = *state;
    char *scratch = new_folder(f, "scratch", 0700), *names;
    int fd;

    make_wal_without_shm(f->db);
    fd = open(f->db, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)KC_POLICYDB_COPY_MAX + 4096), 0);
    assert_int_equal(close(fd), 0);
    {
        kc_policydb db;
        kc_policydb_open_in(&db, f->db, scratch);
        assert_int_equal(db.state, KC_DB_UNREADABLE);
        assert_non_null(strstr(db.error, "KextPolicy is larger than 64 MiB"));
        kc_policydb_close(&db);
    }
    names = listing(scratch);
    assert_string_equal(names, "");
    free(names);
    free(scratch);
}

static void copy_removed_after_errors(void **state)
{
    fixture *f = *state;
    char *scratch = new_folder(f, "scratch", 0700), *wal = sibling(f->db, "-wal"), *names;
    static const char junk[] = "not a write-ahead log at all, but long enough to be read";
    kc_policydb db;

    /* The copy is made, then SQLite cannot use it: it is removed all the same. */
    make_db(f->db, "PRAGMA journal_mode=WAL; PRAGMA user_version = 3;");
    tu_write_bytes(wal, junk, sizeof(junk) - 1);
    kc_policydb_open_in(&db, f->db, scratch);
    assert_int_equal(db.state, KC_DB_NO_TABLES);
    assert_string_equal(db.access, "private_copy");
    assert_null(db.tmpdir);
    names = listing(scratch);
    assert_string_equal(names, "");
    free(names);
    kc_policydb_close(&db);
    free(wal);
    free(scratch);
}

static void stray_wal_beside_rollback_database(void **state)
{
    fixture *f = *state;
    char *wal = sibling(f->db, "-wal"), *scratch = new_folder(f, "scratch", 0700);
    char *names_before, *names_after;
    blob db0, wal0, db1, wal1;
    kc_policydb db;
    kc_policy_rows rows;
    kc_strv ids;

    /* The header says "rollback journal", but a -wal with a newer row sits
     * beside it (no -shm): SQLite would replay it and create -shm here. */
    make_live_wal_db(f->db);
    remove_sibling(f->db, "-shm");
    {
        FILE *fp = fopen(f->db, "r+b");
        assert_non_null(fp);
        assert_int_equal(fseek(fp, 18, SEEK_SET), 0);
        assert_int_equal(fwrite("\1\1", 1, 2, fp), 2);
        assert_int_equal(fclose(fp), 0);
    }
    db0 = slurp(f->db);
    wal0 = slurp(wal);
    names_before = listing(f->dir);
    ids_of(&ids, "com.example.two", NULL, NULL);
    open_ok_in(&db, f->db, scratch);
    assert_string_equal(db.access, "private_copy");
    query_ok(&db, TEAM, &ids, &rows);
    assert_non_null(find_policy(&rows, TEAM, "com.example.two"));
    kc_policy_rows_free(&rows);
    kc_policydb_close(&db);
    names_after = listing(f->dir);
    assert_string_equal(names_after, names_before);
    db1 = slurp(f->db);
    wal1 = slurp(wal);
    expect_same_bytes(&db0, &db1);
    expect_same_bytes(&wal0, &wal1);
    free(names_before);
    free(names_after);
    free(wal);
    free(scratch);
    kc_strv_free(&ids);
}

/* The private copy's folder for f->db under scratch (NULL: the default). */
static char *copy_folder_of(fixture *f, const char *scratch)
{
    kc_policydb db;
    char *dir;

    open_ok_in(&db, f->db, scratch);
    assert_string_equal(db.access, "private_copy");
    dir = kc_strdup(db.tmpdir);
    assert_non_null(dir);
    kc_policydb_close(&db);
    assert_false(exists(dir));
    return dir;
}

static bool under(const char *path, const char *folder)
{
    size_t n = strlen(folder);

    return strncmp(path, folder, n) == 0 && path[n] == '/';
}

static void tmpdir_only_when_safe(void **state)
{
    fixture *f = *state;
    char *shared = new_folder(f, "shared", 0777), *mine = new_folder(f, "mine", 0700), *dir;

    make_wal_without_shm(f->db);
    /* Writable by others: never used, whoever runs. */
    assert_int_equal(setenv("TMPDIR", shared, 1), 0);
    dir = copy_folder_of(f, NULL);
    assert_false(under(dir, shared));
    assert_int_equal(strncmp(dir, "/tmp/" KC_POLICYDB_COPY_PREFIX,
                             strlen("/tmp/" KC_POLICYDB_COPY_PREFIX)),
                     0);
    free(dir);
    /* The user's own folder: used, except by root, which ignores TMPDIR. */
    assert_int_equal(setenv("TMPDIR", mine, 1), 0);
    dir = copy_folder_of(f, NULL);
    assert_true(geteuid() == 0 ? !under(dir, mine) : under(dir, mine));
    free(dir);
    free(shared);
    free(mine);
}

static void scratch_must_be_private(void **state)
{
    fixture *f = *state;
    char *shared = new_folder(f, "shared", 0777), *names;
    kc_policydb db;

    make_wal_without_shm(f->db);
    kc_policydb_open_in(&db, f->db, shared);
    assert_int_equal(db.state, KC_DB_UNREADABLE);
    assert_non_null(strstr(db.error, "writable by other users"));
    kc_policydb_close(&db);
    names = listing(shared);
    assert_string_equal(names, "");
    free(names);
    free(shared);
}

static void copy_removed_through_its_descriptor(void **state)
{
    fixture *f = *state;
    char *scratch = new_folder(f, "scratch", 0700), *victim = new_folder(f, "victim", 0700);
    char *moved, *names;
    static const char *const files[] = {"KextPolicy", "KextPolicy-wal", "KextPolicy-shm",
                                        "KextPolicy-journal"};
    kc_policydb db;

    /* Someone swaps the private folder for a link to another folder while
     * kextcheck runs: closing must not delete what the link leads to. */
    make_wal_without_shm(f->db);
    for (size_t i = 0; i < 4; i++) {
        char path[4600];
        tu_join(path, sizeof(path), victim, files[i]);
        tu_write_text(path, "precious\n");
    }
    open_ok_in(&db, f->db, scratch);
    assert_non_null(db.tmpdir);
    moved = kc_asprintf("%s.moved", db.tmpdir);
    assert_non_null(moved);
    assert_int_equal(rename(db.tmpdir, moved), 0);
    assert_int_equal(symlink(victim, db.tmpdir), 0);
    kc_policydb_close(&db);
    names = listing(victim);
    assert_string_equal(names, "KextPolicy KextPolicy-journal KextPolicy-shm KextPolicy-wal");
    free(names);
    /* The copy itself went from the moved folder; the link was left alone. */
    names = listing(moved);
    assert_string_equal(names, "");
    free(names);
    free(moved);
    free(victim);
    free(scratch);
}

/* Runs a child that opens f->db with a private copy under scratch and waits;
 * sends it sig and returns its wait status. */
static int kill_reader(fixture *f, const char *scratch, int sig)
{
    int fds[2], status = 0;
    char c = 0;
    pid_t pid;

    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        kc_policydb db;
        close(fds[0]);
        kc_policydb_open_in(&db, f->db, scratch);
        c = db.state == KC_DB_OK && db.tmpdir != NULL ? 'r' : 'x';
        if (write(fds[1], &c, 1) != 1)
            _exit(1);
        for (;;)
            pause();
    }
    close(fds[1]);
    assert_int_equal(read(fds[0], &c, 1), 1);
    close(fds[0]);
    assert_int_equal(c, 'r');
    {
        char *names = listing(scratch);
        assert_int_equal(strncmp(names, KC_POLICYDB_COPY_PREFIX,
                                 strlen(KC_POLICYDB_COPY_PREFIX)), 0);
        free(names);
    }
    assert_int_equal(kill(pid, sig), 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

static void copy_removed_on_signal(void **state)
{
    fixture *f = *state;
    char *scratch = new_folder(f, "scratch", 0700), *names;
    static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
    int status;

    make_wal_without_shm(f->db);
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        status = kill_reader(f, scratch, sigs[i]);
        /* Removed, and the signal still ends the process as it would have. */
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), sigs[i]);
        names = listing(scratch);
        assert_string_equal(names, "");
        free(names);
    }
    /* SIGKILL cannot be caught: the folder stays, named for what it is. */
    status = kill_reader(f, scratch, SIGKILL);
    assert_true(WIFSIGNALED(status));
    names = listing(scratch);
    assert_int_equal(strncmp(names, KC_POLICYDB_COPY_PREFIX, strlen(KC_POLICYDB_COPY_PREFIX)),
                     0);
    free(names);
    free(scratch);
}

static void signal_handlers_restored(void **state)
{
    fixture *f = *state;
    char *scratch = new_folder(f, "scratch", 0700);
    struct sigaction before, during, after;
    kc_policydb db;

    make_wal_without_shm(f->db);
    assert_int_equal(sigaction(SIGTERM, NULL, &before), 0);
    open_ok_in(&db, f->db, scratch);
    assert_int_equal(sigaction(SIGTERM, NULL, &during), 0);
    assert_true(during.sa_handler != before.sa_handler);
    kc_policydb_close(&db);
    assert_int_equal(sigaction(SIGTERM, NULL, &after), 0);
    assert_true(after.sa_handler == before.sa_handler);
    /* No copy, no handler. */
    {
        char *plain = kc_asprintf("%s/plain", f->dir);
        assert_non_null(plain);
        make_db(plain, SCHEMA_10_14);
        open_ok(&db, plain);
        free(plain);
    }
    assert_int_equal(sigaction(SIGTERM, NULL, &during), 0);
    assert_true(during.sa_handler == before.sa_handler);
    kc_policydb_close(&db);
    free(scratch);
}

/* ---- busy databases and the run's snapshot ------------------------------ */

static void busy_is_not_missing_tables(void **state)
{
    fixture *f = *state;
    sqlite3 *writer;

    /* Another connection holds the write lock for the whole attempt. */
    make_db(f->db, SCHEMA_10_14
            "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.one', 1, 'E', 1);");
    writer = open_rw(f->db);
    exec_sql(writer, "BEGIN EXCLUSIVE;");
    expect_state(f->db, KC_DB_BUSY, "the database is busy (another process is writing it): "
                                    "try again");
    assert_string_equal(kc_db_state_name(KC_DB_BUSY), "busy");
    exec_sql(writer, "COMMIT;");
    assert_int_equal(sqlite3_close(writer), SQLITE_OK);
}

static void busy_until_released(void **state)
{
    fixture *f = *state;
    int fds[2], status = 0;
    char c = 0;
    pid_t pid;
    kc_policydb db;
    kc_policy_rows rows;
    kc_strv ids;

    make_db(f->db, SCHEMA_10_14
            "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.one', 1, 'E', 1);");
    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* Another process: a write lock held for a moment, then a commit. */
        sqlite3 *w = NULL;
        struct timespec ts = {0, 300 * 1000000L};
        close(fds[0]);
        if (sqlite3_open_v2(f->db, &w, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
            sqlite3_exec(w, "BEGIN EXCLUSIVE; UPDATE kext_policy SET allowed = 0;", NULL, NULL,
                         NULL) != SQLITE_OK ||
            write(fds[1], "l", 1) != 1)
            _exit(1);
        nanosleep(&ts, NULL);
        _exit(sqlite3_exec(w, "COMMIT;", NULL, NULL, NULL) == SQLITE_OK &&
                      sqlite3_close(w) == SQLITE_OK
                  ? 0
                  : 1);
    }
    close(fds[1]);
    assert_int_equal(read(fds[0], &c, 1), 1);
    close(fds[0]);
    ids_of(&ids, "com.example.one", NULL, NULL);
    open_ok(&db, f->db);
    query_ok(&db, TEAM, &ids, &rows);
    assert_int_equal(rows.n_policy, 1);
    /* Read after the other process committed. */
    assert_int_equal(rows.policy[0].allowed, 0);
    kc_policy_rows_free(&rows);
    kc_policydb_close(&db);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    kc_strv_free(&ids);
}

static void hot_journal_left_behind(void **state)
{
    fixture *f = *state;
    char *journal = sibling(f->db, "-journal");
    blob db0, j0, db1, j1;
    int status = 0;
    pid_t pid;

    /* A writer that died in the middle of a transaction, its changes
     * already spilled to the file: only a writer may roll the journal back. */
    make_db(f->db, SCHEMA_10_14
            "WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 2000) "
            "INSERT INTO kext_policy SELECT '" TEAM "', 'com.example.k' || i, 1, "
            "hex(randomblob(100)), 1 FROM c;");
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        sqlite3 *h = NULL;
        if (sqlite3_open_v2(f->db, &h, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
            sqlite3_exec(h, "PRAGMA cache_size = 2; BEGIN; UPDATE kext_policy SET "
                            "developer_name = hex(randomblob(120));",
                         NULL, NULL, NULL) != SQLITE_OK)
            _exit(1);
        _exit(0); /* no COMMIT, no ROLLBACK */
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_true(exists(journal));
    db0 = slurp(f->db);
    j0 = slurp(journal);
    expect_state(f->db, KC_DB_UNREADABLE, "left unfinished (a hot KextPolicy-journal file)");
    db1 = slurp(f->db);
    j1 = slurp(journal);
    expect_same_bytes(&db0, &db1);
    expect_same_bytes(&j0, &j1);
    free(journal);
}

/* Two vendors whose rows a writer flips between "all allowed" and "all
 * waiting" in one transaction. */
#define TEAM_B "BBBBB22222"
#define TWO_VENDORS                                                                     \
    "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.one', 1, 'E', 1);"        \
    "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.two', 1, 'E', 1);"        \
    "INSERT INTO kext_policy VALUES ('" TEAM_B "', 'com.bee.one', 1, 'B', 1);"

static void vendor_init(kc_vendor *v, const char *team, const char *a, const char *b)
{
    memset(v, 0, sizeof(*v));
    v->team_id = kc_strdup(team);
    assert_non_null(v->team_id);
    ids_of(&v->kexts, a, b, NULL);
}

static void vendor_fini(kc_vendor *v)
{
    free(v->team_id);
    kc_strv_free(&v->kexts);
}

/* Every policy row of rows holds allowed == want. */
static void all_allowed(const kc_policy_rows *rows, size_t n, int want)
{
    assert_int_equal(rows->n_policy, n);
    for (size_t i = 0; i < rows->n_policy; i++)
        assert_int_equal(rows->policy[i].allowed, want);
}

static void one_snapshot_wal(void **state)
{
    fixture *f = *state;
    sqlite3 *writer;
    kc_policydb db;
    kc_vendor v[2];
    kc_policy_rows rows[2], again;

    vendor_init(&v[0], TEAM, "com.example.one", "com.example.two");
    vendor_init(&v[1], TEAM_B, "com.bee.one", NULL);
    writer = open_rw(f->db);
    exec_sql(writer, "PRAGMA journal_mode=WAL;" SCHEMA_10_14 TWO_VENDORS);
    assert_true(sibling_exists(f->db, "-shm"));
    open_ok(&db, f->db);
    assert_string_equal(db.access, "in_place");
    assert_int_equal(kc_policydb_read_all(&db, v, 1, rows), 0);
    all_allowed(&rows[0], 2, 1);
    kc_policy_rows_free(&rows[0]);
    /* A commit and a checkpoint between two vendors' reads. */
    exec_sql(writer, "BEGIN; UPDATE kext_policy SET allowed = 0; COMMIT;");
    assert_int_equal(sqlite3_wal_checkpoint_v2(writer, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL,
                                               NULL),
                     SQLITE_OK);
    assert_int_equal(kc_policydb_read_all(&db, v, 2, rows), 0);
    all_allowed(&rows[0], 2, 1);
    all_allowed(&rows[1], 1, 1);
    assert_int_equal(kc_policydb_query(&db, TEAM_B, &v[1].kexts, &again), 0);
    all_allowed(&again, 1, 1);
    kc_policy_rows_free(&again);
    kc_policy_rows_free(&rows[0]);
    kc_policy_rows_free(&rows[1]);
    kc_policydb_close(&db);
    /* The next run sees the commit. */
    open_ok(&db, f->db);
    assert_int_equal(kc_policydb_read_all(&db, v, 2, rows), 0);
    all_allowed(&rows[0], 2, 0);
    all_allowed(&rows[1], 1, 0);
    kc_policy_rows_free(&rows[0]);
    kc_policy_rows_free(&rows[1]);
    kc_policydb_close(&db);
    assert_int_equal(sqlite3_close(writer), SQLITE_OK);
    vendor_fini(&v[0]);
    vendor_fini(&v[1]);
}

/* Whether this process holds a read lock on path, as another process sees
 * it: fcntl(F_GETLK) on SQLite's shared-lock bytes (offset 1 GiB + 2, 510
 * bytes), so a lock SQLite only believes it has does not count. */
static bool read_lock_held(const char *path)
{
    int status = 0;
    pid_t pid = fork();

    assert_true(pid >= 0);
    if (pid == 0) {
        struct flock fl;
        int fd = open(path, O_RDONLY);
        memset(&fl, 0, sizeof(fl));
        fl.l_type = F_WRLCK;
        fl.l_whence = SEEK_SET;
        fl.l_start = 0x40000000 + 2;
        fl.l_len = 510;
        if (fd < 0 || fcntl(fd, F_GETLK, &fl) != 0)
            _exit(2);
        _exit(fl.l_type == F_UNLCK ? 0 : 1);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) != 2);
    return WEXITSTATUS(status) == 1;
}

static void one_snapshot_rollback(void **state)
{
    fixture *f = *state;
    sqlite3 *writer;
    kc_policydb db;
    kc_vendor v[2];
    kc_policy_rows rows[2];

    /* A rollback-journal database: the run's shared lock keeps a writer from
     * committing until the run ends (it waits; kextcheck runs for ms). */
    make_db(f->db, SCHEMA_10_14 TWO_VENDORS);
    vendor_init(&v[0], TEAM, "com.example.one", "com.example.two");
    vendor_init(&v[1], TEAM_B, "com.bee.one", NULL);
    writer = open_rw(f->db);
    assert_false(read_lock_held(f->db));
    open_ok(&db, f->db);
    assert_string_equal(db.access, "in_place");
    /* Held against other processes (a descriptor of the file closed in this
     * process would drop it) and this process's other connections. */
    assert_true(read_lock_held(f->db));
    assert_int_equal(sqlite3_exec(writer, "BEGIN EXCLUSIVE;", NULL, NULL, NULL), SQLITE_BUSY);
    assert_int_equal(kc_policydb_read_all(&db, v, 2, rows), 0);
    all_allowed(&rows[0], 2, 1);
    all_allowed(&rows[1], 1, 1);
    kc_policy_rows_free(&rows[0]);
    kc_policy_rows_free(&rows[1]);
    assert_true(read_lock_held(f->db));
    kc_policydb_close(&db);
    assert_false(read_lock_held(f->db));
    exec_sql(writer, "BEGIN EXCLUSIVE; UPDATE kext_policy SET allowed = 0; COMMIT;");
    assert_int_equal(sqlite3_close(writer), SQLITE_OK);
    vendor_fini(&v[0]);
    vendor_fini(&v[1]);
}

static void one_snapshot_immutable_and_copy(void **state)
{
    fixture *f = *state;
    char *scratch = new_folder(f, "scratch", 0700);
    kc_policydb db;
    kc_vendor v[2];
    kc_policy_rows rows[2];

    vendor_init(&v[0], TEAM, "com.example.one", "com.example.two");
    vendor_init(&v[1], TEAM_B, "com.bee.one", NULL);
    /* immutable=1 (no -wal), then the private copy (-wal without -shm). */
    make_wal_db(f->db, SCHEMA_10_14 TWO_VENDORS, NULL);
    for (int round = 0; round < 2; round++) {
        open_ok_in(&db, f->db, scratch);
        assert_string_equal(db.access, round == 0 ? "immutable" : "private_copy");
        for (int twice = 0; twice < 2; twice++) {
            assert_int_equal(kc_policydb_read_all(&db, v, 2, rows), 0);
            all_allowed(&rows[0], 2, round == 0 ? 1 : 0);
            all_allowed(&rows[1], 1, round == 0 ? 1 : 0);
            kc_policy_rows_free(&rows[0]);
            kc_policy_rows_free(&rows[1]);
        }
        kc_policydb_close(&db);
        if (round == 0) {
            make_wal_db(f->db, "SELECT 1;", "UPDATE kext_policy SET allowed = 0;");
            remove_sibling(f->db, "-shm");
        }
    }
    free(scratch);
    vendor_fini(&v[0]);
    vendor_fini(&v[1]);
}

/* ---- all vendors at once ---------------------------------------------------- */

#define TEAM_C "CCCCC33333"

static const kc_history_row *find_history(const kc_policy_rows *r, const char *path)
{
    for (size_t i = 0; i < r->n_history; i++)
        if (r->history[i].path && strcmp(r->history[i].path, path) == 0)
            return &r->history[i];
    return NULL;
}

static void read_all_vendors(void **state)
{
    fixture *f = *state;
    kc_policydb db;
    kc_vendor v[3];
    kc_policy_rows rows[3], one;

    make_db(f->db, SCHEMA_10_14
            "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.one', 1, 'E', 1);"
            "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.old', 0, 'E', 1);"
            /* B's bundle ID under A's team: A's own row, a mismatch for B. */
            "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.bee.one', 0, 'E', 1);"
            "INSERT INTO kext_policy VALUES ('" TEAM_B "', 'com.bee.two', 1, 'B', 1);"
            "INSERT INTO kext_policy VALUES ('" OTHER "', 'com.example.one', 0, 'I', 1);"
            "INSERT INTO kext_policy VALUES (NULL, 'com.bee.two', 0, 'N', 1);"
            "INSERT INTO kext_policy VALUES ('" OTHER "', 'com.other.kext', 1, 'O', 1);"
            "INSERT INTO kext_policy_mdm VALUES ('" TEAM_B "', NULL, 1, 'MB');"
            "INSERT INTO kext_policy_mdm VALUES ('" OTHER "', 'com.bee.two', 1, 'MO');"
            "INSERT INTO kext_load_history_v3 VALUES ('/a', '" TEAM "', 'com.example.one', "
            "'B', 'c', 'l', 1, NULL);"
            "INSERT INTO kext_load_history_v3 VALUES ('/b', '" OTHER "', 'com.bee.two', "
            "'B', 'c', 'l', 1, NULL);"
            "INSERT INTO kext_load_history_v3 VALUES ('/c', '" TEAM "', 'com.bee.one', "
            "'B', 'c', 'l', 1, NULL);"
            "INSERT INTO kext_load_history_v3 VALUES ('/d', '" OTHER "', 'com.other.kext', "
            "'B', 'c', 'l', 1, NULL);");
    vendor_init(&v[0], TEAM, "com.example.one", "com.example.two");
    vendor_init(&v[1], TEAM_B, "com.bee.one", "com.bee.two");
    vendor_init(&v[2], TEAM_C, "com.sea.one", NULL);
    open_ok(&db, f->db);
    assert_int_equal(kc_policydb_read_all(&db, v, 3, rows), 0);

    assert_int_equal(rows[0].n_policy, 4);
    assert_non_null(find_policy(&rows[0], TEAM, "com.example.one"));
    assert_non_null(find_policy(&rows[0], TEAM, "com.example.old"));
    assert_non_null(find_policy(&rows[0], TEAM, "com.bee.one"));
    assert_non_null(find_policy(&rows[0], OTHER, "com.example.one"));
    assert_int_equal(rows[0].n_mdm, 0);
    assert_int_equal(rows[0].n_history, 2);
    assert_non_null(find_history(&rows[0], "/a"));
    assert_non_null(find_history(&rows[0], "/c"));

    assert_int_equal(rows[1].n_policy, 3);
    assert_non_null(find_policy(&rows[1], TEAM_B, "com.bee.two"));
    assert_non_null(find_policy(&rows[1], TEAM, "com.bee.one"));
    {
        size_t nulls = 0;
        for (size_t i = 0; i < rows[1].n_policy; i++)
            nulls += rows[1].policy[i].team_id == NULL;
        assert_int_equal(nulls, 1);
    }
    assert_int_equal(rows[1].n_mdm, 2);
    assert_int_equal(rows[1].n_history, 2);
    assert_non_null(find_history(&rows[1], "/b"));
    assert_non_null(find_history(&rows[1], "/c"));

    assert_int_equal(rows[2].n_policy + rows[2].n_mdm + rows[2].n_history, 0);

    /* The same rows as one vendor at a time. */
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(kc_policydb_query(&db, v[i].team_id, &v[i].kexts, &one), 0);
        assert_int_equal(one.n_policy, rows[i].n_policy);
        assert_int_equal(one.n_mdm, rows[i].n_mdm);
        assert_int_equal(one.n_history, rows[i].n_history);
        for (size_t k = 0; k < one.n_policy; k++)
            assert_true(one.policy[k].team_id == NULL ||
                        find_policy(&rows[i], one.policy[k].team_id,
                                    one.policy[k].bundle_id) != NULL);
        kc_policy_rows_free(&one);
        kc_policy_rows_free(&rows[i]);
    }
    /* No vendor at all. */
    assert_int_equal(kc_policydb_read_all(&db, v, 0, rows), 0);
    kc_policydb_close(&db);
    for (size_t i = 0; i < 3; i++)
        vendor_fini(&v[i]);
}

static void read_all_caps_per_vendor(void **state)
{
    fixture *f = *state;
    kc_policydb db;
    kc_vendor v[2];
    kc_policy_rows rows[2];

    /* 2001 rows of TEAM: capped at 2000 for that vendor alone. */
    make_db(f->db, SCHEMA_10_14
            "WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 2000) "
            "INSERT INTO kext_policy SELECT '" TEAM "', 'com.example.k' || i, 1, 'E', 1 FROM c;"
            "INSERT INTO kext_policy VALUES ('" TEAM_B "', 'com.bee.one', 1, 'B', 1);");
    vendor_init(&v[0], TEAM, "com.example.k1", NULL);
    vendor_init(&v[1], TEAM_B, "com.bee.one", NULL);
    open_ok(&db, f->db);
    assert_int_equal(kc_policydb_read_all(&db, v, 2, rows), 0);
    assert_int_equal(rows[0].n_policy, 2000);
    assert_true(rows[0].truncated);
    assert_int_equal(rows[1].n_policy, 1);
    assert_false(rows[1].truncated);
    kc_policy_rows_free(&rows[0]);
    kc_policy_rows_free(&rows[1]);
    kc_policydb_close(&db);
    vendor_fini(&v[0]);
    vendor_fini(&v[1]);
}

static void read_all_many_bundle_ids(void **state)
{
    fixture *f = *state;
    kc_policydb db;
    enum { NV = 12 };
    kc_vendor v[NV];
    kc_policy_rows rows[NV];
    char id[64], team[16];

    /* 12 x 32 = 384 declared IDs: more than one IN list. */
    make_db(f->db, SCHEMA_10_14
            "INSERT INTO kext_policy VALUES ('" OTHER "', 'com.v0.k0', 0, 'I', 1);"
            "INSERT INTO kext_policy VALUES ('" OTHER "', 'com.v11.k31', 0, 'I', 1);"
            "INSERT INTO kext_policy_mdm VALUES ('" OTHER "', 'com.v11.k30', 1, 'M');");
    for (int i = 0; i < NV; i++) {
        memset(&v[i], 0, sizeof(v[i]));
        kc_snprintf(team, sizeof(team), "TEAM%06d", i);
        v[i].team_id = kc_strdup(team);
        assert_non_null(v[i].team_id);
        for (int k = 0; k < KC_PLUGIN_ARRAY_MAX; k++) {
            kc_snprintf(id, sizeof(id), "com.v%d.k%d", i, k);
            assert_int_equal(kc_strv_push(&v[i].kexts, id), 0);
        }
    }
    open_ok(&db, f->db);
    assert_int_equal(kc_policydb_read_all(&db, v, NV, rows), 0);
    for (int i = 0; i < NV; i++) {
        assert_int_equal(rows[i].n_policy, i == 0 || i == NV - 1 ? 1 : 0);
        assert_int_equal(rows[i].n_mdm, i == NV - 1 ? 1 : 0);
        kc_policy_rows_free(&rows[i]);
        vendor_fini(&v[i]);
    }
    kc_policydb_close(&db);
}

static void read_all_many_teams(void **state)
{
    fixture *f = *state;
    kc_policydb db;
    enum { NV = 70 };
    kc_vendor v[NV];
    kc_policy_rows rows[NV];
    char id[64], team[16];

    /* More teams than one IN list holds: the load history in several passes,
     * each row given once to each vendor it belongs to. */
    make_db(f->db, SCHEMA_10_14
            "INSERT INTO kext_load_history_v3 VALUES ('/0', 'TEAM000000', 'com.v0.k', "
            "'B', 'c', 'l', 1, NULL);"
            "INSERT INTO kext_load_history_v3 VALUES ('/65', 'TEAM000065', 'com.v1.k', "
            "'B', 'c', 'l', 1, NULL);"
            "INSERT INTO kext_load_history_v3 VALUES ('/69', '" OTHER "', 'com.v69.k', "
            "'B', 'c', 'l', 1, NULL);");
    for (int i = 0; i < NV; i++) {
        kc_snprintf(team, sizeof(team), "TEAM%06d", i);
        kc_snprintf(id, sizeof(id), "com.v%d.k", i);
        vendor_init(&v[i], team, id, NULL);
    }
    open_ok(&db, f->db);
    assert_int_equal(kc_policydb_read_all(&db, v, NV, rows), 0);
    for (int i = 0; i < NV; i++) {
        /* /65 is vendor 65's own row and vendor 1's bundle ID under another team. */
        size_t want = i == 0 || i == 1 || i == 65 || i == 69 ? 1 : 0;
        assert_int_equal(rows[i].n_history, want);
        assert_int_equal(rows[i].n_policy + rows[i].n_mdm, 0);
        kc_policy_rows_free(&rows[i]);
        vendor_fini(&v[i]);
    }
    kc_policydb_close(&db);
}

static void record_sql(void *ctx, const char *sql)
{
    kc_strv *seen = ctx;

    assert_int_equal(kc_strv_push(seen, sql), 0);
}

static int on_trace(unsigned type, void *ctx, void *p, void *x)
{
    (void)p;
    if (type == SQLITE_TRACE_STMT)
        record_sql(ctx, x);
    return 0;
}

static void read_all_uses_indexes(void **state)
{
    fixture *f = *state;
    kc_policydb db;
    enum { NV = 6, UNRELATED = 1000 };
    kc_vendor v[NV];
    kc_policy_rows rows[NV];
    kc_strv seen = {0};
    char team[16];
    int before = 0, after = 0;
    sqlite3_stmt *st;

    make_db(f->db, SCHEMA_10_14
            "WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 999) "
            "INSERT INTO kext_policy SELECT printf('U%09d', i), 'com.unrelated.k' || i, 1, "
            "'U', 1 FROM c;"
            "WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 999) "
            "INSERT INTO kext_load_history_v3 SELECT '/u/' || i, printf('U%09d', i), "
            "'com.unrelated.k' || i, 'B', 'c', 'l', 1, NULL FROM c;"
            "INSERT INTO kext_policy VALUES ('" TEAM "', 'com.example.one', 1, 'E', 1);");
    for (int i = 0; i < NV; i++) {
        kc_snprintf(team, sizeof(team), "TEAM%06d", i);
        vendor_init(&v[i], i == 0 ? TEAM : team, i == 0 ? "com.example.one" : "com.x.one",
                    NULL);
    }
    open_ok(&db, f->db);
    /* The columns were read at open: no schema query while reading rows. */
    assert_int_equal(sqlite3_trace_v2(db.db, SQLITE_TRACE_STMT, on_trace, &seen), SQLITE_OK);
    assert_int_equal(kc_policydb_read_all(&db, v, NV, rows), 0);
    for (st = sqlite3_next_stmt(db.db, NULL); st; st = sqlite3_next_stmt(db.db, st)) {
        const char *sql = sqlite3_sql(st);
        int scans = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0);
        before++;
        /* A team's rows: index lookups, never a scan. */
        if (strstr(sql, "team_id = ?1") != NULL)
            assert_int_equal(scans, 0);
        /* Other teams' rows: one pass over the table for all six vendors. */
        else
            assert_true(scans <= UNRELATED + 1);
    }
    assert_true(before >= 3);
    for (size_t i = 0; i < seen.n; i++) {
        assert_null(strstr(seen.v[i], "pragma_table_info"));
        assert_null(strstr(seen.v[i], "sqlite_master"));
    }
    assert_int_equal(rows[0].n_policy, 1);
    for (int i = 0; i < NV; i++)
        kc_policy_rows_free(&rows[i]);
    /* A second read prepares nothing new. */
    assert_int_equal(kc_policydb_read_all(&db, v, NV, rows), 0);
    for (st = sqlite3_next_stmt(db.db, NULL); st; st = sqlite3_next_stmt(db.db, st))
        after++;
    assert_int_equal(after, before);
    for (int i = 0; i < NV; i++) {
        kc_policy_rows_free(&rows[i]);
        vendor_fini(&v[i]);
    }
    kc_policydb_close(&db);
    kc_strv_free(&seen);
}

/* Other teams' rows come in the table's own order (rowid order), whatever
 * the order of the primary key's index, through which they are found. */
static void cross_rows_in_table_order(void **state)
{
    fixture *f = *state;
    kc_policydb db;
    kc_policy_rows rows;
    kc_strv ids;

    make_db(f->db, SCHEMA_10_14
            "INSERT INTO kext_policy VALUES ('ZZZZZ00003', 'com.example.one', 0, 'c', 1);"
            "INSERT INTO kext_policy VALUES ('AAAAA00001', 'com.example.one', 0, 'a', 1);"
            "INSERT INTO kext_policy VALUES ('MMMMM00002', 'com.example.two', 0, 'b', 1);"
            "INSERT INTO kext_policy VALUES ('BBBBB00004', 'com.unrelated', 0, 'x', 1);"
            "INSERT INTO kext_policy_mdm VALUES ('YYYYY00002', 'com.example.two', 1, 'M2');"
            "INSERT INTO kext_policy_mdm VALUES ('CCCCC00001', 'com.example.one', 1, 'M1');"
            "INSERT INTO kext_load_history_v3 VALUES ('/z', 'ZZZZZ00003', 'com.example.one', "
            "'B', 'c', 'l', 1, NULL);"
            "INSERT INTO kext_load_history_v3 VALUES ('/a', '" TEAM "', 'com.example.own', "
            "'B', 'c', 'l', 1, NULL);"
            "INSERT INTO kext_load_history_v3 VALUES ('/m', 'AAAAA00001', 'com.example.two', "
            "'B', 'c', 'l', 1, NULL);");
    ids_of(&ids, "com.example.one", "com.example.two", NULL);
    open_ok(&db, f->db);
    query_ok(&db, TEAM, &ids, &rows);
    assert_int_equal(rows.n_policy, 3);
    assert_string_equal(rows.policy[0].developer_name, "c");
    assert_string_equal(rows.policy[1].developer_name, "a");
    assert_string_equal(rows.policy[2].developer_name, "b");
    assert_int_equal(rows.n_mdm, 2);
    assert_string_equal(rows.mdm[0].payload_uuid, "M2");
    assert_string_equal(rows.mdm[1].payload_uuid, "M1");
    assert_int_equal(rows.n_history, 3);
    assert_string_equal(rows.history[0].path, "/z");
    assert_string_equal(rows.history[1].path, "/a");
    assert_string_equal(rows.history[2].path, "/m");
    kc_policy_rows_free(&rows);
    kc_policydb_close(&db);
    kc_strv_free(&ids);
}

/* Tables whose rowid cannot be named (WITHOUT ROWID, or columns called
 * rowid, _rowid_ and oid) are read all the same, and a column called
 * rowid is never taken for the rowid. */
static void rowid_unnamed_or_taken(void **state)
{
    fixture *f = *state;
    static const char *const schemas[] = {
        "CREATE TABLE kext_policy ( team_id TEXT, bundle_id TEXT, allowed BOOLEAN, "
        "developer_name TEXT, flags INTEGER, PRIMARY KEY (team_id, bundle_id) ) WITHOUT ROWID;"
        "CREATE TABLE kext_load_history_v3 ( path TEXT PRIMARY KEY, team_id TEXT, "
        "bundle_id TEXT, created_at TEXT, last_seen TEXT, flags INTEGER ) WITHOUT ROWID;",
        "CREATE TABLE kext_policy ( team_id TEXT, bundle_id TEXT, allowed BOOLEAN, "
        "developer_name TEXT, flags INTEGER, rowid INTEGER, _rowid_ INTEGER, oid INTEGER, "
        "PRIMARY KEY (team_id, bundle_id) );"
        "CREATE TABLE kext_load_history_v3 ( path TEXT PRIMARY KEY, team_id TEXT, "
        "bundle_id TEXT, created_at TEXT, last_seen TEXT, flags INTEGER, rowid TEXT );",
    };

    for (size_t k = 0; k < sizeof(schemas) / sizeof(schemas[0]); k++) {
        char sql[2048];
        kc_policydb db;
        kc_policy_rows rows;
        kc_strv ids;

        unlink(f->db);
        kc_snprintf(sql, sizeof(sql), "%s%s", schemas[k],
                    "INSERT INTO kext_policy (team_id, bundle_id, allowed, developer_name, "
                    "flags) VALUES ('" TEAM "', 'com.example.one', 1, 'E', 1);"
                    "INSERT INTO kext_policy (team_id, bundle_id, allowed, developer_name, "
                    "flags) VALUES ('" OTHER "', 'com.example.one', 0, 'I', 1);"
                    "INSERT INTO kext_policy (team_id, bundle_id, allowed, developer_name, "
                    "flags) VALUES ('" OTHER "', 'com.other', 0, 'O', 1);"
                    "INSERT INTO kext_load_history_v3 (path, team_id, bundle_id, created_at, "
                    "last_seen, flags) VALUES ('/i', '" OTHER "', 'com.example.one', 'c', "
                    "'l', 1);"
                    "INSERT INTO kext_load_history_v3 (path, team_id, bundle_id, created_at, "
                    "last_seen, flags) VALUES ('/o', '" TEAM "', 'com.example.own', 'c', "
                    "'l', 1);"
                    "INSERT INTO kext_load_history_v3 (path, team_id, bundle_id, created_at, "
                    "last_seen, flags) VALUES ('/x', '" OTHER "', 'com.other', 'c', 'l', 1);");
        if (k == 1)
            kc_snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql), "%s",
                        "UPDATE kext_policy SET rowid = 1, _rowid_ = 1, oid = 1;"
                        "UPDATE kext_load_history_v3 SET rowid = '1';");
        make_db(f->db, sql);
        ids_of(&ids, "com.example.one", NULL, NULL);
        open_ok(&db, f->db);
        query_ok(&db, TEAM, &ids, &rows);
        assert_int_equal(rows.n_policy, 2);
        assert_non_null(find_policy(&rows, TEAM, "com.example.one"));
        assert_non_null(find_policy(&rows, OTHER, "com.example.one"));
        assert_int_equal(rows.n_history, 2);
        assert_non_null(find_history(&rows, "/i"));
        assert_non_null(find_history(&rows, "/o"));
        assert_null(db.error);
        kc_policy_rows_free(&rows);
        kc_policydb_close(&db);
        kc_strv_free(&ids);
    }
}

/* Memory does not grow with the database: the page cache is small, and a
 * pass over a table builds no temporary b-tree for the declared IDs. */
static void memory_flat(void **state)
{
    fixture *f = *state;
    enum { NV = 40 };
    kc_policydb db;
    kc_vendor v[NV];
    kc_policy_rows rows[NV];
    char team[16], a[64], b[64];
    int cur = 0, hi = 0;
    sqlite3_int64 before, peak;

    make_db(f->db, SCHEMA_10_14
            "WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 19999) "
            "INSERT INTO kext_policy SELECT printf('U%09d', i / 4), printf('com.u%d.k%d', "
            "i / 4, i % 4), i % 2, printf('Unrelated Developer %d', i / 4), 8 FROM c;"
            "WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 19999) "
            "INSERT INTO kext_load_history_v3 SELECT printf('/Library/Extensions/U%d.kext', i), "
            "printf('U%09d', i / 4), printf('com.u%d.k%d', i / 4, i % 4), "
            "'6F0B1A52-7C55-4E4B-9D8A-2B5E1C3D4F60', '2019-03-02 09:14:11', "
            "'2019-03-04 08:01:12', 5, NULL FROM c;"
            "INSERT INTO kext_policy VALUES ('" OTHER "', 'com.v7.a', 0, 'I', 1);");
    for (int i = 0; i < NV; i++) {
        kc_snprintf(team, sizeof(team), "TEAM%06d", i);
        kc_snprintf(a, sizeof(a), "com.v%d.a", i);
        kc_snprintf(b, sizeof(b), "com.v%d.b", i);
        vendor_init(&v[i], team, a, b);
    }
    open_ok(&db, f->db);
    before = sqlite3_memory_used();
    (void)sqlite3_memory_highwater(1);
    assert_int_equal(kc_policydb_read_all(&db, v, NV, rows), 0);
    peak = sqlite3_memory_highwater(0);
    assert_int_equal(sqlite3_db_status(db.db, SQLITE_DBSTATUS_CACHE_USED, &cur, &hi, 0),
                     SQLITE_OK);
    /* 128 KiB of pages (and their headers), not the 2 MiB SQLite allows. */
    assert_true(cur <= 200 * 1024);
    /* Statements and cache: no temporary b-trees (about 90 KiB each). */
    assert_true(peak - before <= 200 * 1024);
    assert_int_equal(rows[7].n_policy, 1);
    for (int i = 0; i < NV; i++) {
        kc_policy_rows_free(&rows[i]);
        vendor_fini(&v[i]);
    }
    kc_policydb_close(&db);
}

/* IDs alike at both ends and in length (they share a hash bucket) are
 * still told apart, in kext_policy and in the load history alike. */
static void alike_ids_told_apart(void **state)
{
    fixture *f = *state;
    kc_policydb db;
    kc_vendor v[2];
    kc_policy_rows rows[2];

    make_db(f->db, SCHEMA_10_14
            "INSERT INTO kext_policy VALUES ('" OTHER "', 'com.vendAAAAAext.kext', 0, 'I', 1);"
            "INSERT INTO kext_policy VALUES ('" OTHER "', 'com.vendCCCCCext.kext', 0, 'C', 1);"
            "INSERT INTO kext_load_history_v3 VALUES ('/b', '" OTHER "', "
            "'com.vendBBBBBext.kext', 'B', 'c', 'l', 1, NULL);"
            "INSERT INTO kext_load_history_v3 VALUES ('/c', '" OTHER "', "
            "'com.vendCCCCCext.kext', 'B', 'c', 'l', 1, NULL);"
            "INSERT INTO kext_load_history_v3 VALUES ('/t', 'TEAMB00000', "
            "'com.vendDDDDDext.kext', 'B', 'c', 'l', 1, NULL);");
    vendor_init(&v[0], "TEAMA00000", "com.vendAAAAAext.kext", NULL);
    vendor_init(&v[1], "TEAMB00000", "com.vendBBBBBext.kext", NULL);
    open_ok(&db, f->db);
    assert_int_equal(kc_policydb_read_all(&db, v, 2, rows), 0);
    assert_int_equal(rows[0].n_policy, 1);
    assert_string_equal(rows[0].policy[0].developer_name, "I");
    assert_int_equal(rows[0].n_history, 0);
    assert_int_equal(rows[1].n_policy, 0);
    assert_int_equal(rows[1].n_history, 2);
    assert_non_null(find_history(&rows[1], "/b"));
    assert_non_null(find_history(&rows[1], "/t"));
    for (int i = 0; i < 2; i++) {
        kc_policy_rows_free(&rows[i]);
        vendor_fini(&v[i]);
    }
    kc_policydb_close(&db);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(schema_10_14),
        T(schema_10_13),
        T(policy_only_minimal_columns),
        T(mdm_team_wide),
        T(allowed_not_a_number),
        T(invalid_utf8_cleaned),
        T(other_team_rows),
        T(many_bundle_ids),
        T(missing_file),
        T(empty_file),
        T(garbage_file),
        T(no_tables),
        T(other_tables_only),
        T(policy_lacks_allowed),
        T(policy_is_a_view),
        T(not_regular),
        T(rollback_db_untouched),
        T(wal_in_place),
        T(wal_without_shm),
        T(wal_without_wal_file),
        T(path_with_uri_characters),
        T(wal_is_fifo),
        T(shm_is_fifo),
        T(journal_is_fifo),
        T(shm_is_link),
        T(wal_is_device),
        T(copy_cap_wal),
        T(copy_cap_database),
        T(copy_removed_after_errors),
        T(stray_wal_beside_rollback_database),
        T(tmpdir_only_when_safe),
        T(scratch_must_be_private),
        T(copy_removed_through_its_descriptor),
        T(copy_removed_on_signal),
        T(signal_handlers_restored),
        T(busy_is_not_missing_tables),
        T(busy_until_released),
        T(hot_journal_left_behind),
        T(one_snapshot_wal),
        T(one_snapshot_rollback),
        T(one_snapshot_immutable_and_copy),
        T(read_all_vendors),
        T(read_all_caps_per_vendor),
        T(read_all_many_bundle_ids),
        T(read_all_many_teams),
        T(read_all_uses_indexes),
        T(cross_rows_in_table_order),
        T(rowid_unnamed_or_taken),
        T(memory_flat),
        T(alike_ids_told_apart),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
