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
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/* Opens path, which must be readable, and queries TEAM with ids. */
static void open_ok(kc_policydb *db, const char *path)
{
    kc_policydb_open(db, path);
    if (db->state != KC_DB_OK)
        print_error("state %s: %s\n", kc_db_state_name(db->state),
                    db->error ? db->error : "(no error)");
    assert_int_equal(db->state, KC_DB_OK);
    assert_non_null(db->db);
    assert_string_equal(db->path, path);
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
    assert_int_equal(setenv("TMPDIR", privdir, 1), 0);
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
    open_ok(&db, f->db);
    assert_string_equal(db.access, "private_copy");
    assert_non_null(db.tmpdir);
    assert_int_equal(strncmp(db.tmpdir, privdir, strlen(privdir)), 0);
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
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
