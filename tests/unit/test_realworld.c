/* The shipped catalog against real vendor artefacts (tests/realworld, or
 * /work/shared/realworld until that copy is merged; skipped when neither
 * exists).
 *
 * Profiles: every configuration profile in profiles/ (NAME.mobileconfig), parsed
 * with kc_parse_profile.  Each bundle ID a kernel-extension payload lists
 * for a plugin's team (AllowedKernelExtensions) must be among that plugin's
 * kexts, and each system-extension identifier a system-extension payload
 * lists for a plugin's system-extension team (AllowedSystemExtensions,
 * RemovableSystemExtensions, NonRemovable...) among its system extensions,
 * unless the allow-list below says why not.  An ID a plugin declares must
 * never appear under another team.
 *
 * Databases: every KextPolicy dump in db/ becomes a database at test time
 * (a .sql file is run as it is; the rows of a .psv file, "team_id|bundle_id|
 * allowed|developer_name|flags", go into the 10.14 schema of
 * stackexchange382216_schema.sql), and the built kextcheck checks it with
 * the catalog (--format json --verbose).  For every kext_policy row whose
 * team a plugin claims, the plugin declares the bundle ID and kextcheck
 * gives the row's policy (allowed 1: "allowed", 0: "pending"), with no
 * KEXT_NOT_DECLARED finding; every kext_load_history_v3 path of a plugin's
 * team lies under one of its install paths; a row of any other team names
 * no declared bundle ID; and each dump shows the vendors listed in
 * `expected` below. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kc.h"
#include "platform.h"
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef KC_REALWORLD_DIR
#error "KC_REALWORLD_DIR must name tests/realworld"
#endif
#ifndef KC_TEST_KEXTCHECK
#error "KC_TEST_KEXTCHECK must name the built kextcheck"
#endif
#ifndef KC_TEST_PLUGINDIR
#error "KC_TEST_PLUGINDIR must name the built catalog plugins"
#endif
#define SHARED_REALWORLD "/work/shared/realworld"

extern char **environ;

/* Known differences between a real profile and the catalog, each with its
 * reason; an ID listed here is not required of the plugin.  None today:
 * every ID the real profiles list for a catalog team is declared.  Add an
 * entry only with the reason a plugin must not declare the ID (a product
 * the plugin does not cover, an ID no longer shipped...). */
static const struct {
    const char *profile; /* file name in profiles/ */
    const char *team;
    const char *id;
    const char *reason;
} allowed_differences[] = {
    {NULL, NULL, NULL, NULL},
};

/* What each dump must show: the vendors with rows in it and how many of
 * their kext_policy rows kextcheck reports (so the generic rules above are
 * never checked on nothing). */
static const struct {
    const char *dump;
    const char *vendor;
    size_t rows;
} expected[] = {
    {"macinbox_KextPolicy.sql", "vmware-fusion", 3},        /* VMwareGfx, vmmemctl, vmhgfs */
    {"chichou_hitb2019_kext_policy.psv", "symantec", 4},    /* the four Symantec kexts */
    {"chichou_hitb2019_kext_policy.psv", "virtualbox", 1},  /* VBoxDrv */
    {"memdocs_kernel-extensions-settings-macos_kext_policy.psv", "paloalto-globalprotect", 1},
    {"stackexchange382216_kext_policy.psv", NULL, 0},       /* no catalog vendor at all */
};

static const char *realworld_dir(char *buf, size_t len)
{
    static const char *const dirs[] = {KC_REALWORLD_DIR, SHARED_REALWORLD};
    char probe[4096];
    struct stat st;

    for (size_t i = 0; i < 2; i++) {
        tu_join(probe, sizeof(probe), dirs[i], "profiles");
        if (stat(probe, &st) == 0 && S_ISDIR(st.st_mode)) {
            kc_snprintf(buf, len, "%s", dirs[i]);
            return buf;
        }
    }
    return NULL;
}

static bool skip_without_corpus(char *buf, size_t len)
{
    if (realworld_dir(buf, len) != NULL)
        return false;
    print_message("skipped: no real-world corpus in " KC_REALWORLD_DIR " or " SHARED_REALWORLD
                  "\n");
    return true;
}

/* The catalog as kextcheck loads it. */
static void load_catalog(kc_registry *reg)
{
    kc_strv dirs = {0}, none = {0};

    memset(reg, 0, sizeof(*reg));
    assert_int_equal(kc_strv_push(&dirs, KC_TEST_PLUGINDIR), 0);
    assert_int_equal(kc_registry_load(reg, &dirs, &none, &none), 0);
    kc_strv_free(&dirs);
    for (size_t i = 0; i < reg->n_refused; i++)
        print_error("refused: %s: %s\n", reg->refused[i].source, reg->refused[i].reason);
    assert_int_equal(reg->n_refused, 0);
    assert_true(reg->n_vendors >= 17);
}

static const kc_vendor *by_team(const kc_registry *reg, const char *team, bool sysext)
{
    for (size_t i = 0; i < reg->n_vendors; i++) {
        const kc_vendor *v = &reg->vendors[i];
        if (strcmp(sysext ? kc_vendor_sysext_team(v) : v->team_id, team) == 0)
            return v;
    }
    return NULL;
}

static const kc_vendor *by_name(const kc_registry *reg, const char *name)
{
    for (size_t i = 0; i < reg->n_vendors; i++)
        if (strcmp(reg->vendors[i].name, name) == 0)
            return &reg->vendors[i];
    return NULL;
}

/* The plugin that declares id as a kext or a system extension, or NULL. */
static const kc_vendor *declarer(const kc_registry *reg, const char *id)
{
    for (size_t i = 0; i < reg->n_vendors; i++)
        if (kc_strv_contains(&reg->vendors[i].kexts, id) ||
            kc_strv_contains(&reg->vendors[i].sysexts, id))
            return &reg->vendors[i];
    return NULL;
}

static bool allowed_difference(const char *profile, const char *team, const char *id)
{
    for (size_t i = 0; allowed_differences[i].profile != NULL; i++)
        if (strcmp(allowed_differences[i].profile, profile) == 0 &&
            strcmp(allowed_differences[i].team, team) == 0 &&
            strcmp(allowed_differences[i].id, id) == 0)
            return true;
    return false;
}

/* ---- profiles ------------------------------------------------------------------------------ */

typedef struct tally {
    bool quiet;       /* do not print the problems (a test that expects them) */
    size_t problems;  /* each printed unless quiet */
    size_t checked;   /* IDs compared with a plugin */
    size_t teams;     /* team entries that named a plugin's team */
} tally;

/* One team -> IDs map of one payload: kexts (sysext false) or system
 * extensions (sysext true). */
static void check_map(const kc_registry *reg, const char *profile, const char *key,
                      const kc_team_map *m, bool sysext, tally *t)
{
    for (size_t i = 0; i < m->n; i++) {
        const char *team = m->v[i].team_id;
        const kc_vendor *v = by_team(reg, team, sysext);
        for (size_t j = 0; j < m->v[i].ids.n; j++) {
            const char *id = m->v[i].ids.v[j];
            const kc_vendor *d = declarer(reg, id);
            if (v == NULL) {
                /* Not a catalog team: the ID must not be a plugin's. */
                if (d != NULL) {
                    if (!t->quiet)
                        print_error("%s: %s lists %s under team %s, but plugin %s declares "
                                    "it under team %s\n",
                                    profile, key, id, team, d->name,
                                    sysext ? kc_vendor_sysext_team(d) : d->team_id);
                    t->problems++;
                }
                continue;
            }
            t->checked++;
            if (kc_strv_contains(sysext ? &v->sysexts : &v->kexts, id) ||
                allowed_difference(profile, team, id))
                continue;
            if (!t->quiet)
                print_error("%s: %s lists %s %s for team %s, which plugin %s does not declare\n",
                            profile, key, sysext ? "system extension" : "kext", id, team,
                            v->name);
            t->problems++;
        }
    }
}

static void check_teams(const kc_registry *reg, const kc_strv *teams, bool sysext, tally *t)
{
    for (size_t i = 0; i < teams->n; i++)
        if (by_team(reg, teams->v[i], sysext) != NULL)
            t->teams++;
}

static void check_profile(const kc_registry *reg, const char *name, const kc_profile *p,
                          tally *t)
{
    for (size_t i = 0; i < p->n_kext; i++) {
        const kc_kext_policy *k = &p->kext[i];
        check_teams(reg, &k->allowed_teams, false, t);
        for (size_t j = 0; j < k->allowed.n; j++)
            if (by_team(reg, k->allowed.v[j].team_id, false) != NULL)
                t->teams++;
        check_map(reg, name, "AllowedKernelExtensions", &k->allowed, false, t);
    }
    for (size_t i = 0; i < p->n_sysext; i++) {
        const kc_sysext_policy *s = &p->sysext[i];
        check_teams(reg, &s->allowed_teams, true, t);
        for (size_t j = 0; j < s->allowed.n; j++)
            if (by_team(reg, s->allowed.v[j].team_id, true) != NULL)
                t->teams++;
        check_map(reg, name, "AllowedSystemExtensions", &s->allowed, true, t);
        check_map(reg, name, "RemovableSystemExtensions", &s->removable, true, t);
        check_map(reg, name, "NonRemovableSystemExtensions", &s->non_removable, true, t);
        check_map(reg, name, "NonRemovableFromUISystemExtensions", &s->non_removable_ui, true,
                  t);
    }
}

/* Checks every profile in dir/profiles against reg; returns the tally. */
static tally check_profiles(const kc_registry *reg, const char *dir, bool quiet)
{
    char pdir[4096], path[4400], why[512];
    tally t = {quiet, 0, 0, 0};
    DIR *d;
    struct dirent *e;
    size_t files = 0;

    tu_join(pdir, sizeof(pdir), dir, "profiles");
    d = opendir(pdir);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        char *data = NULL;
        size_t len = 0;
        kc_profile p;
        if (n < 13 || strcmp(e->d_name + n - 13, ".mobileconfig") != 0)
            continue;
        tu_join(path, sizeof(path), pdir, e->d_name);
        if (kc_read_file(path, KC_PLIST_MAX, &data, &len, why, sizeof(why)) != 0)
            fail_msg("%s: %s", path, why);
        memset(&p, 0, sizeof(p));
        if (kc_parse_profile(data, len, &p, why, sizeof(why)) != 0)
            fail_msg("%s: %s", e->d_name, why);
        free(data);
        check_profile(reg, e->d_name, &p, &t);
        kc_profile_free(&p);
        files++;
    }
    closedir(d);
    assert_true(files >= 10);
    return t;
}

static void profiles_match_catalog(void **state)
{
    char dir[4096];
    kc_registry reg;
    tally t;

    (void)state;
    if (skip_without_corpus(dir, sizeof(dir))) {
        skip();
        return;
    }
    load_catalog(&reg);
    t = check_profiles(&reg, dir, false);
    print_message("real profiles: %zu IDs checked, %zu team entries for catalog teams\n",
                  t.checked, t.teams);
    assert_int_equal(t.problems, 0);
    /* Not vacuous: VirtualBox's four kexts, CrowdStrike's, Sophos', Microsoft's
     * and Bitdefender's system extensions at least. */
    assert_true(t.checked >= 11);
    assert_true(t.teams >= 8);
    kc_registry_free(&reg);
}

/* The check above catches a plugin that lacks an ID a profile lists. */
static void profiles_catch_a_gap(void **state)
{
    char dir[4096];
    kc_registry reg;
    kc_vendor *v;
    size_t n;
    tally t;

    (void)state;
    if (skip_without_corpus(dir, sizeof(dir))) {
        skip();
        return;
    }
    load_catalog(&reg);
    v = (kc_vendor *)by_name(&reg, "microsoft-defender");
    assert_non_null(v);
    assert_true(v->sysexts.n == 3);
    n = v->sysexts.n;
    v->sysexts.n = 2; /* as if tunnelext were not declared */
    t = check_profiles(&reg, dir, true);
    v->sysexts.n = n;
    assert_true(t.problems >= 1);
    kc_registry_free(&reg);
}

/* ---- databases ----------------------------------------------------------------------------- */

static void exec_sql(sqlite3 *db, const char *sql, const char *what)
{
    char *err = NULL;

    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
        fail_msg("%s: %s", what, err ? err : "sqlite3_exec failed");
        sqlite3_free(err);
    }
}

static char *slurp(const char *path)
{
    char why[512];
    char *data = NULL;
    size_t len = 0;

    if (kc_read_file(path, 1024 * 1024, &data, &len, why, sizeof(why)) != 0)
        fail_msg("%s: %s", path, why);
    return data;
}

/* Splits a .psv line into 5 fields in place; false when it is not a row. */
static bool psv_fields(char *line, char *f[5])
{
    size_t n = 0;

    f[n++] = line;
    for (char *p = line; *p && n < 5; p++)
        if (*p == '|') {
            *p = '\0';
            f[n++] = p + 1;
        }
    return n == 5 && strchr(f[4], '|') == NULL;
}

/* The .psv rows into the 10.14 schema. */
static void build_from_psv(sqlite3 *db, const char *dir, const char *path)
{
    char schema[4400];
    char *text, *sql, *line, *save = NULL;
    sqlite3_stmt *st = NULL;

    tu_join(schema, sizeof(schema), dir, "db/stackexchange382216_schema.sql");
    sql = slurp(schema);
    exec_sql(db, sql, schema);
    free(sql);
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO kext_policy VALUES (?, ?, ?, ?, ?)", -1,
                                        &st, NULL),
                     SQLITE_OK);
    text = slurp(path);
    for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *f[5];
        if (!psv_fields(line, f))
            fail_msg("%s: not a row of five fields: %s", path, line);
        if (strcmp(f[0], "team_id") == 0)
            continue; /* the header sqlite3 -header prints */
        /* An empty team_id (an unsigned legacy kext) is stored as NULL. */
        if (f[0][0] == '\0')
            sqlite3_bind_null(st, 1);
        else
            sqlite3_bind_text(st, 1, f[0], -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, f[1], -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 3, atoi(f[2]));
        sqlite3_bind_text(st, 4, f[3], -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(st, 5, atoi(f[4]));
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        assert_int_equal(sqlite3_reset(st), SQLITE_OK);
    }
    sqlite3_finalize(st);
    free(text);
}

/* Runs the built kextcheck on an empty root with the database db_path and
 * the catalog; returns its JSON report. */
static json_t *run_kextcheck(const char *root, const char *db_path, const char *out_path)
{
    char *const argv[] = {(char *)KC_TEST_KEXTCHECK, (char *)"--no-config",
                          (char *)"--plugin-dir", (char *)KC_TEST_PLUGINDIR,
                          (char *)"--root", (char *)root, (char *)"--db", (char *)db_path,
                          (char *)"--format", (char *)"json", (char *)"--verbose", NULL};
    posix_spawn_file_actions_t fa;
    json_error_t err;
    json_t *doc;
    pid_t pid;
    int status;

    assert_int_equal(posix_spawn_file_actions_init(&fa), 0);
    assert_int_equal(posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out_path,
                                                      O_WRONLY | O_CREAT | O_TRUNC, 0600),
                     0);
    assert_int_equal(posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null",
                                                      O_WRONLY, 0),
                     0);
    assert_int_equal(posix_spawn(&pid, argv[0], &fa, NULL, argv, environ), 0);
    posix_spawn_file_actions_destroy(&fa);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    /* Findings about missing evidence or kexts: anything but usage errors. */
    assert_true(WEXITSTATUS(status) <= 3);
    doc = json_load_file(out_path, 0, &err);
    if (doc == NULL)
        fail_msg("%s: %s", out_path, err.text);
    return doc;
}

static json_t *vendor_json(json_t *doc, const char *name)
{
    size_t i;
    json_t *v;

    json_array_foreach(json_object_get(doc, "vendors"), i, v)
        if (strcmp(json_string_value(json_object_get(v, "id")), name) == 0)
            return v;
    fail_msg("no vendor %s in the report", name);
    return NULL;
}

static const char *policy_of(json_t *vendor, const char *bundle)
{
    size_t i;
    json_t *k;

    json_array_foreach(json_object_get(vendor, "kexts"), i, k)
        if (strcmp(json_string_value(json_object_get(k, "bundle_id")), bundle) == 0)
            return json_string_value(json_object_get(k, "policy"));
    return NULL;
}

static bool has_finding(json_t *vendor, const char *code)
{
    size_t i;
    json_t *f;

    json_array_foreach(json_object_get(vendor, "findings"), i, f)
        if (strcmp(json_string_value(json_object_get(f, "code")), code) == 0)
            return true;
    return false;
}

static bool under(const kc_strv *paths, const char *path)
{
    for (size_t i = 0; i < paths->n; i++) {
        size_t n = strlen(paths->v[i]);
        if (strncmp(path, paths->v[i], n) == 0 && (path[n] == '\0' || path[n] == '/'))
            return true;
    }
    return false;
}

/* The generic rules for one dump; returns the rows matched per vendor in
 * counts (indexed like reg->vendors). */
static void check_dump(const kc_registry *reg, const char *name, sqlite3 *db, json_t *doc,
                       size_t *counts)
{
    sqlite3_stmt *st = NULL;

    assert_int_equal(sqlite3_prepare_v2(db, "SELECT team_id, bundle_id, allowed FROM kext_policy",
                                        -1, &st, NULL),
                     SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *team = (const char *)sqlite3_column_text(st, 0);
        const char *bundle = (const char *)sqlite3_column_text(st, 1);
        int allowed = sqlite3_column_int(st, 2);
        const kc_vendor *v = team ? by_team(reg, team, false) : NULL;
        const kc_vendor *d = bundle ? declarer(reg, bundle) : NULL;
        json_t *vj;
        const char *policy;
        if (v == NULL) {
            if (d != NULL)
                fail_msg("%s: row (%s, %s) names plugin %s's bundle ID under another team",
                         name, team ? team : "NULL", bundle, d->name);
            continue;
        }
        counts[v - reg->vendors]++;
        if (!kc_strv_contains(&v->kexts, bundle))
            fail_msg("%s: row (%s, %s): plugin %s does not declare %s", name, team, bundle,
                     v->name, bundle);
        vj = vendor_json(doc, v->name);
        assert_true(json_is_true(json_object_get(vj, "installed")));
        policy = policy_of(vj, bundle);
        if (policy == NULL || strcmp(policy, allowed == 1 ? "allowed" : "pending") != 0)
            fail_msg("%s: row (%s, %s, allowed %d): kextcheck says policy %s", name, team,
                     bundle, allowed, policy ? policy : "(none)");
        if (has_finding(vj, "KEXT_NOT_DECLARED"))
            fail_msg("%s: kextcheck reports KEXT_NOT_DECLARED for %s", name, v->name);
    }
    sqlite3_finalize(st);
    /* The load history's paths lie under the plugin's install paths. */
    if (sqlite3_prepare_v2(db, "SELECT team_id, bundle_id, path FROM kext_load_history_v3", -1,
                           &st, NULL) != SQLITE_OK)
        return; /* a dump with kext_policy only */
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *team = (const char *)sqlite3_column_text(st, 0);
        const char *bundle = (const char *)sqlite3_column_text(st, 1);
        const char *path = (const char *)sqlite3_column_text(st, 2);
        const kc_vendor *v = team ? by_team(reg, team, false) : NULL;
        if (v == NULL)
            continue;
        if (bundle == NULL || !kc_strv_contains(&v->kexts, bundle))
            fail_msg("%s: history row (%s, %s): not declared by %s", name, team,
                     bundle ? bundle : "NULL", v->name);
        if (path == NULL || !(under(&v->install_paths, path) || under(&v->staged_paths, path)))
            fail_msg("%s: history path %s of %s is under none of %s's paths", name,
                     path ? path : "NULL", bundle, v->name);
    }
    sqlite3_finalize(st);
}

/* The databases, the reports and an empty root live in a temporary folder,
 * removed even when the test fails. */
static int tmp_setup(void **state)
{
    *state = tu_tmp_new("realworld", NULL);
    return 0;
}

static int tmp_teardown(void **state)
{
    tu_tmp_free(*state);
    return 0;
}

static void databases_match_catalog(void **state)
{
    const char *tmp = ((tu_tmp *)*state)->dir;
    char dir[4096], dbdir[4400], root[4200], path[4600], db_path[4300], out[4300];
    kc_registry reg;
    DIR *d;
    struct dirent *e;
    size_t dumps = 0;

    if (skip_without_corpus(dir, sizeof(dir))) {
        skip();
        return;
    }
    load_catalog(&reg);
    tu_join(dbdir, sizeof(dbdir), dir, "db");
    tu_join(root, sizeof(root), tmp, "root");
    assert_int_equal(mkdir(root, 0700), 0);
    d = opendir(dbdir);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        bool psv = n > 4 && strcmp(e->d_name + n - 4, ".psv") == 0;
        bool sql = n > 4 && strcmp(e->d_name + n - 4, ".sql") == 0 &&
                   !(n > 11 && strcmp(e->d_name + n - 11, "_schema.sql") == 0);
        size_t *counts;
        sqlite3 *db = NULL;
        json_t *doc;
        if (!psv && !sql)
            continue;
        tu_join(path, sizeof(path), dbdir, e->d_name);
        kc_snprintf(db_path, sizeof(db_path), "%s/%s.KextPolicy", tmp, e->d_name);
        kc_snprintf(out, sizeof(out), "%s/%s.json", tmp, e->d_name);
        assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
        if (psv) {
            build_from_psv(db, dir, path);
        } else {
            char *text = slurp(path);
            exec_sql(db, text, path);
            free(text);
        }
        doc = run_kextcheck(root, db_path, out);
        assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "policy_db"),
                                                              "state")),
                            "ok");
        counts = calloc(reg.n_vendors, sizeof(*counts));
        assert_non_null(counts);
        check_dump(&reg, e->d_name, db, doc, counts);
        /* The vendors each dump must show, and no others. */
        for (size_t i = 0; i < reg.n_vendors; i++) {
            size_t want = 0;
            for (size_t x = 0; x < sizeof(expected) / sizeof(expected[0]); x++)
                if (strcmp(expected[x].dump, e->d_name) == 0 && expected[x].vendor &&
                    strcmp(expected[x].vendor, reg.vendors[i].name) == 0)
                    want = expected[x].rows;
            if (counts[i] != want)
                fail_msg("%s: %zu kext_policy rows of %s, expected %zu", e->d_name, counts[i],
                         reg.vendors[i].name, want);
            if (want == 0)
                assert_string_equal(
                    json_string_value(json_object_get(vendor_json(doc, reg.vendors[i].name),
                                                      "status")),
                    "not_installed");
        }
        free(counts);
        json_decref(doc);
        assert_int_equal(sqlite3_close(db), SQLITE_OK);
        dumps++;
    }
    closedir(d);
    assert_int_equal(dumps, 4);
    kc_registry_free(&reg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(profiles_match_catalog),
        cmocka_unit_test(profiles_catch_a_gap),
        cmocka_unit_test_setup_teardown(databases_match_catalog, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
