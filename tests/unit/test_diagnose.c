/* Unit tests for core/diagnose.c: evidence built by hand, then kc_diagnose,
 * kc_exit_code_for and kc_next_step. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kc.h"

#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TEAM "ABCDE12345"
#define OTHER "ZZZZZ99999"
#define GUARD "com.example.guard"
#define FILTER "com.example.filter"
#define GUARD_PATH "/Library/Extensions/Guard.kext"
#define FILTER_PATH "/Library/Extensions/Filter.kext"
#define SUPPORT_DIR "/Library/Application Support/Example"
#define STAGED_GUARD "/Library/StagedExtensions/Library/Extensions/Guard.kext"
#define STAGED_FILTER "/Library/StagedExtensions/Library/Extensions/Filter.kext"
#define STAGED_SUPPORT "/Library/StagedExtensions/Library/Application Support/Example"

static char db_path[] = "/case/var/db/SystemPolicyConfiguration/KextPolicy";
static char db_missing_error[] = "No such file or directory";
static char db_corrupt_error[] = "not an SQLite database (bad header)";
static char db_no_tables_error[] = "the database has no kext_policy table";

/* ---- scene: one vendor, its evidence and the database state ------------- */

typedef struct scene {
    kc_vendor v;
    kc_policydb db;
    kc_vendor_result r;
    kc_check_input in;
} scene;

static void scene_init_with(scene *s, const char *const *kexts)
{
    static const char *const install[] = {GUARD_PATH, FILTER_PATH, SUPPORT_DIR, NULL};
    static const char *const staged[] = {STAGED_GUARD, STAGED_FILTER, STAGED_SUPPORT, NULL};
    struct kc_plugin d;
    char why[1024] = "";
    size_t np;

    memset(s, 0, sizeof(*s));
    memset(&d, 0, sizeof(d));
    d.abi_version = KC_PLUGIN_ABI_VERSION;
    d.size = sizeof(d);
    d.name = "example";
    d.vendor = "Example Security";
    d.team_id = TEAM;
    d.developer_name = "Example, Inc.";
    d.kext_bundle_ids = kexts;
    d.install_paths = install;
    d.staged_paths = staged;
    d.reference = "Example KB 1";
    if (kc_plugin_validate(&d, "example", &s->v, why, sizeof(why)) != 0)
        print_error("descriptor refused: %s\n", why);
    assert_non_null(s->v.name);

    s->db.state = KC_DB_OK;
    s->db.path = db_path;
    s->db.access = "in_place";
    s->db.has_kext_policy = s->db.has_mdm = s->db.has_history = s->db.has_cdhash = true;
    s->in.root = "/case";
    s->in.db = &s->db;

    s->r.vendor = &s->v;
    np = s->v.install_paths.n + s->v.staged_paths.n;
    s->r.paths = calloc(np, sizeof(*s->r.paths));
    assert_non_null(s->r.paths);
    for (size_t i = 0; i < np; i++) {
        bool st = i >= s->v.install_paths.n;
        s->r.paths[i].path =
            st ? s->v.staged_paths.v[i - s->v.install_paths.n] : s->v.install_paths.v[i];
        s->r.paths[i].staged = st;
    }
    s->r.n_paths = np;
}

static void scene_init(scene *s)
{
    static const char *const kexts[] = {GUARD, NULL};

    scene_init_with(s, kexts);
}

static void scene_free(scene *s)
{
    kc_vendor_result_free(&s->r);
    kc_vendor_free(&s->v);
}

static char *dup_or_null(const char *x)
{
    char *p;

    if (x == NULL)
        return NULL;
    p = kc_strdup(x);
    assert_non_null(p);
    return p;
}

static void add_policy(scene *s, const char *team, const char *bundle, int allowed,
                       const char *developer)
{
    kc_policy_rows *rows = &s->r.rows;
    kc_policy_row *p = realloc(rows->policy, (rows->n_policy + 1) * sizeof(*p));

    assert_non_null(p);
    rows->policy = p;
    p = &rows->policy[rows->n_policy++];
    memset(p, 0, sizeof(*p));
    p->team_id = dup_or_null(team);
    p->bundle_id = dup_or_null(bundle);
    p->developer_name = dup_or_null(developer);
    p->allowed = allowed;
    p->has_flags = true;
    p->flags = 1;
}

static void add_mdm(scene *s, const char *team, const char *bundle, int allowed)
{
    kc_policy_rows *rows = &s->r.rows;
    kc_mdm_row *m = realloc(rows->mdm, (rows->n_mdm + 1) * sizeof(*m));

    assert_non_null(m);
    rows->mdm = m;
    m = &rows->mdm[rows->n_mdm++];
    memset(m, 0, sizeof(*m));
    m->team_id = dup_or_null(team);
    m->bundle_id = dup_or_null(bundle);
    m->allowed = allowed;
    m->payload_uuid = dup_or_null("PAYLOAD-UUID");
}

static void add_history(scene *s, const char *team, const char *bundle, const char *path,
                        const char *last_seen)
{
    kc_policy_rows *rows = &s->r.rows;
    kc_history_row *h = realloc(rows->history, (rows->n_history + 1) * sizeof(*h));

    assert_non_null(h);
    rows->history = h;
    h = &rows->history[rows->n_history++];
    memset(h, 0, sizeof(*h));
    h->path = dup_or_null(path);
    h->team_id = dup_or_null(team);
    h->bundle_id = dup_or_null(bundle);
    h->created_at = dup_or_null("2020-01-01 00:00:00");
    h->last_seen = dup_or_null(last_seen);
}

/* Marks the declared path p present. */
static void present(scene *s, const char *p)
{
    for (size_t i = 0; i < s->r.n_paths; i++)
        if (strcmp(s->r.paths[i].path, p) == 0) {
            s->r.paths[i].present = true;
            return;
        }
    fail_msg("no declared path %s", p);
}

/* A kext bundle found at mac_path (installed or staged); marks its declared
 * path present when it is one. */
static kc_bundle *add_bundle(scene *s, bool staged, const char *mac_path, const char *bundle,
                             const char *version)
{
    kc_bundles *b = staged ? &s->r.staged_bundles : &s->r.installed_bundles;
    kc_bundle *items = realloc(b->items, (b->n + 1) * sizeof(*items));
    kc_bundle *k;

    assert_non_null(items);
    b->items = items;
    b->cap = b->n + 1;
    k = &b->items[b->n++];
    memset(k, 0, sizeof(*k));
    k->path = dup_or_null(mac_path);
    k->bundle_id = dup_or_null(bundle);
    k->version = dup_or_null(version);
    k->short_version = dup_or_null(version);
    for (size_t i = 0; i < s->r.n_paths; i++)
        if (strcmp(s->r.paths[i].path, mac_path) == 0)
            s->r.paths[i].present = true;
    return k;
}

/* The usual installed + staged pair of Guard, same version. */
static void guard_installed_and_staged(scene *s, const char *iv, const char *sv)
{
    add_bundle(s, false, GUARD_PATH, GUARD, iv);
    add_bundle(s, true, STAGED_GUARD, GUARD, sv);
}

static void diagnose(scene *s)
{
    assert_int_equal(kc_diagnose(&s->in, &s->r), 0);
    assert_int_equal(s->r.n_kexts, s->v.kexts.n);
}

/* The finding codes joined by spaces, for one readable comparison. */
static void expect_codes(const kc_vendor_result *r, const char *want)
{
    char got[1024] = "";
    size_t o = 0;

    for (size_t i = 0; i < r->n_findings; i++) {
        int n = snprintf(got + o, sizeof(got) - o, "%s%s", i ? " " : "", r->findings[i].code);
        assert_true(n > 0 && (size_t)n < sizeof(got) - o);
        o += (size_t)n;
    }
    if (strcmp(got, want) != 0)
        print_error("findings \"%s\", wanted \"%s\"\n", got, want);
    assert_string_equal(got, want);
}

static const kc_finding *finding(const kc_vendor_result *r, const char *code)
{
    for (size_t i = 0; i < r->n_findings; i++)
        if (strcmp(r->findings[i].code, code) == 0)
            return &r->findings[i];
    fail_msg("no finding %s", code);
    return NULL;
}

static bool remediation_has(const kc_finding *f, const char *s)
{
    for (size_t i = 0; i < f->remediation.n; i++)
        if (strstr(f->remediation.v[i], s) != NULL)
            return true;
    return false;
}

/* ---- fixture for tests that need a real root folder --------------------- */

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP || flag == FTW_D)
        return rmdir(path);
    return unlink(path);
}

typedef struct tmpdir {
    char dir[4096];
    char root[4200];
} tmpdir;

static int setup_root(void **state)
{
    const char *base = getenv("KC_TEST_TMP");
    tmpdir *t = calloc(1, sizeof(*t));

    if (t == NULL)
        return -1;
    if (base == NULL || base[0] == '\0')
        base = "/tmp";
    if (kc_snprintf(t->dir, sizeof(t->dir), "%s/kc-diagnose-XXXXXX", base) != 0 ||
        mkdtemp(t->dir) == NULL ||
        kc_snprintf(t->root, sizeof(t->root), "%s/Mac HD's copy", t->dir) != 0 ||
        mkdir(t->root, 0700) != 0) {
        free(t);
        return -1;
    }
    *state = t;
    return 0;
}

static int teardown_root(void **state)
{
    tmpdir *t = *state;

    nftw(t->dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    free(t);
    return 0;
}

/* s in single quotes for a POSIX shell, built here independently. */
static char *quoted(const char *s)
{
    size_t n = 3;
    char *out, *o;

    for (const char *p = s; *p; p++)
        n += *p == '\'' ? 4 : 1;
    out = malloc(n);
    assert_non_null(out);
    o = out;
    *o++ = '\'';
    for (const char *p = s; *p; p++) {
        if (*p == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else {
            *o++ = *p;
        }
    }
    *o++ = '\'';
    *o = '\0';
    return out;
}

/* ---- approval states ---------------------------------------------------- */

static void pending(void **state)
{
    scene s;
    const kc_finding *f;

    (void)state;
    scene_init(&s);
    add_policy(&s, TEAM, GUARD, 0, "Example Row Developer");
    guard_installed_and_staged(&s, "1.0", "1.0");
    diagnose(&s);
    assert_int_equal(s.r.status, KC_STATUS_CRITICAL);
    assert_true(s.r.installed);
    assert_int_equal(s.r.kexts[0].policy, KC_POLICY_PENDING);
    assert_non_null(s.r.kexts[0].row);
    assert_string_equal(s.r.kexts[0].bundle_id, GUARD);
    assert_non_null(s.r.kexts[0].installed);
    assert_non_null(s.r.kexts[0].staged);
    expect_codes(&s.r, "KEXT_PENDING_APPROVAL");
    f = &s.r.findings[0];
    assert_int_equal(f->severity, KC_SEV_CRITICAL);
    assert_int_equal(f->step, 1);
    assert_string_equal(f->kext, GUARD);
    assert_non_null(strstr(f->message, GUARD));
    assert_true(f->remediation.n >= 2);
    assert_non_null(strstr(f->remediation.v[0], "Allow"));
    assert_non_null(strstr(f->remediation.v[0], "restart"));
    /* The developer as the database shows it. */
    assert_non_null(strstr(f->remediation.v[0], "Example Row Developer"));
    assert_non_null(strstr(f->remediation.v[1], "30 minutes"));
    assert_ptr_equal(kc_next_step(&s.r), f);
    assert_string_equal(kc_status_name(s.r.status), "critical");
    assert_string_equal(kc_policy_name(s.r.kexts[0].policy), "pending");
    scene_free(&s);
}

static void pending_developer_fallback(void **state)
{
    scene s;

    (void)state;
    scene_init(&s);
    add_policy(&s, TEAM, GUARD, 0, NULL);
    guard_installed_and_staged(&s, "1.0", "1.0");
    diagnose(&s);
    expect_codes(&s.r, "KEXT_PENDING_APPROVAL");
    assert_non_null(strstr(s.r.findings[0].remediation.v[0], "\"Example, Inc.\""));
    scene_free(&s);
}

static void allowed(void **state)
{
    scene s;

    (void)state;
    scene_init(&s);
    add_policy(&s, TEAM, GUARD, 1, "Example, Inc.");
    guard_installed_and_staged(&s, "1.0", "1.0");
    diagnose(&s);
    assert_int_equal(s.r.status, KC_STATUS_OK);
    assert_int_equal(s.r.kexts[0].policy, KC_POLICY_ALLOWED);
    expect_codes(&s.r, "KEXT_APPROVED");
    assert_int_equal(s.r.findings[0].severity, KC_SEV_OK);
    assert_string_equal(s.r.findings[0].kext, GUARD);
    assert_null(kc_next_step(&s.r));
    scene_free(&s);
}

static void mdm_team_wide(void **state)
{
    const char *const bundles[] = {NULL, "", GUARD};

    (void)state;
    for (size_t i = 0; i < 3; i++) {
        scene s;
        scene_init(&s);
        add_mdm(&s, TEAM, bundles[i], 1);
        guard_installed_and_staged(&s, "1.0", "1.0");
        diagnose(&s);
        assert_int_equal(s.r.status, KC_STATUS_OK);
        assert_int_equal(s.r.kexts[0].policy, KC_POLICY_MDM);
        assert_ptr_equal(s.r.kexts[0].mdm, &s.r.rows.mdm[0]);
        assert_null(s.r.kexts[0].row);
        expect_codes(&s.r, "KEXT_APPROVED_MDM");
        assert_int_equal(s.r.findings[0].severity, KC_SEV_OK);
        assert_non_null(strstr(s.r.findings[0].message, i < 2 ? "whole team" : "this kext"));
        scene_free(&s);
    }
}

static void mdm_other_bundle_does_not_approve(void **state)
{
    scene s;

    (void)state;
    scene_init(&s);
    add_mdm(&s, TEAM, "com.example.something-else", 1);
    guard_installed_and_staged(&s, "1.0", "1.0");
    diagnose(&s);
    assert_int_equal(s.r.kexts[0].policy, KC_POLICY_NONE);
    assert_null(s.r.kexts[0].mdm);
    expect_codes(&s.r, "KEXT_NO_POLICY_RECORD");
    scene_free(&s);
}

static void mdm_not_allowed(void **state)
{
    const char *const bundles[] = {NULL, GUARD};

    (void)state;
    for (size_t i = 0; i < 2; i++) {
        scene s;
        scene_init(&s);
        add_mdm(&s, TEAM, bundles[i], 0);
        guard_installed_and_staged(&s, "1.0", "1.0");
        diagnose(&s);
        assert_int_equal(s.r.kexts[0].policy, KC_POLICY_NONE);
        assert_null(s.r.kexts[0].mdm);
        assert_int_equal(s.r.status, KC_STATUS_WARNING);
        expect_codes(&s.r, "KEXT_NO_POLICY_RECORD");
        scene_free(&s);
    }
}

static void user_allowed_beats_pending_mdm(void **state)
{
    scene s;

    (void)state;
    scene_init(&s);
    add_mdm(&s, TEAM, GUARD, 0);
    add_policy(&s, TEAM, GUARD, 1, "Example, Inc.");
    guard_installed_and_staged(&s, "1.0", "1.0");
    diagnose(&s);
    assert_int_equal(s.r.kexts[0].policy, KC_POLICY_ALLOWED);
    assert_int_equal(s.r.status, KC_STATUS_OK);
    expect_codes(&s.r, "KEXT_APPROVED");
    scene_free(&s);
}

static void mdm_approval_beats_user_pending(void **state)
{
    scene s;

    (void)state;
    scene_init(&s);
    add_policy(&s, TEAM, GUARD, 0, "Example, Inc.");
    add_mdm(&s, TEAM, NULL, 1);
    guard_installed_and_staged(&s, "1.0", "1.0");
    diagnose(&s);
    assert_int_equal(s.r.kexts[0].policy, KC_POLICY_MDM);
    assert_int_equal(s.r.status, KC_STATUS_OK);
    expect_codes(&s.r, "KEXT_APPROVED_MDM");
    scene_free(&s);
}

static void installed_without_row(void **state)
{
    scene s;
    const kc_finding *f;

    (void)state;
    scene_init(&s);
    guard_installed_and_staged(&s, "1.0", "1.0");
    diagnose(&s);
    assert_true(s.r.installed);
    assert_int_equal(s.r.status, KC_STATUS_WARNING);
    assert_int_equal(s.r.kexts[0].policy, KC_POLICY_NONE);
    expect_codes(&s.r, "KEXT_NO_POLICY_RECORD");
    f = &s.r.findings[0];
    assert_int_equal(f->severity, KC_SEV_WARNING);
    assert_string_equal(f->kext, GUARD);
    assert_true(f->remediation.n >= 1);
    assert_ptr_equal(kc_next_step(&s.r), f);
    scene_free(&s);
}

static void unexpected_allowed_value(void **state)
{
    scene s;

    (void)state;
    scene_init(&s);
    add_policy(&s, TEAM, GUARD, -1, "Example, Inc.");
    guard_installed_and_staged(&s, "1.0", "1.0");
    diagnose(&s);
    assert_int_equal(s.r.kexts[0].policy, KC_POLICY_UNKNOWN);
    assert_int_equal(s.r.status, KC_STATUS_UNKNOWN);
    expect_codes(&s.r, "POLICY_ROW_UNEXPECTED");
    assert_int_equal(s.r.findings[0].severity, KC_SEV_UNKNOWN);
    scene_free(&s);
}

static void other_team_rows_do_not_approve(void **state)
{
    scene s;

    (void)state;
    scene_init(&s);
    add_policy(&s, OTHER, GUARD, 1, "Impostor");
    add_mdm(&s, OTHER, GUARD, 1);
    add_mdm(&s, OTHER, NULL, 1);
    add_history(&s, OTHER, GUARD, STAGED_GUARD, "2021-01-01 00:00:00");
    guard_installed_and_staged(&s, "1.0", "1.0");
    diagnose(&s);
    assert_int_equal(s.r.kexts[0].policy, KC_POLICY_NONE);
    assert_null(s.r.kexts[0].row);
    assert_null(s.r.kexts[0].mdm);
    assert_null(s.r.kexts[0].history);
    /* Another team's rows for this bundle ID are reported as such, first. */
    assert_int_equal(s.r.status, KC_STATUS_CRITICAL);
    expect_codes(&s.r, "TEAM_MISMATCH TEAM_MISMATCH KEXT_NO_POLICY_RECORD");
    assert_non_null(strstr(s.r.findings[0].message, "in the approval table"));
    assert_non_null(strstr(s.r.findings[1].message, "in the load history"));
    assert_true(remediation_has(&s.r.findings[0], "codesign -dv --verbose=4"));
    scene_free(&s);
}

/* A row of another team for one of the vendor's bundle IDs is enough to
 * report it, even with none of the vendor's files: a possible impostor. */
static void other_team_rows_alone_are_a_mismatch(void **state)
{
    scene s;

    (void)state;
    scene_init(&s);
    add_policy(&s, OTHER, GUARD, 0, "Impostor");
    diagnose(&s);
    assert_true(s.r.installed);
    assert_int_equal(s.r.status, KC_STATUS_CRITICAL);
    expect_codes(&s.r, "TEAM_MISMATCH");
    scene_free(&s);
}

static void team_rows_alone_count_as_installed(void **state)
{
    scene s;

    (void)state;
    scene_init(&s);
    add_policy(&s, TEAM, GUARD, 0, "Example, Inc.");
    diagnose(&s);
    assert_true(s.r.installed);
    assert_int_equal(s.r.status, KC_STATUS_CRITICAL);
    expect_codes(&s.r, "KEXT_PENDING_APPROVAL");
    scene_free(&s);
}

static void latest_history_row(void **state)
{
    scene s;

    (void)state;
    scene_init(&s);
    add_history(&s, TEAM, GUARD, "/old", "2020-01-01 00:00:00");
    add_history(&s, TEAM, GUARD, "/newest", "2022-06-01 12:00:00");
    add_history(&s, TEAM, GUARD, "/middle", "2021-01-01 00:00:00");
    diagnose(&s);
    assert_non_null(s.r.kexts[0].history);
    assert_string_equal(s.r.kexts[0].history->path, "/newest");
    /* Loaded before but no approval row: the record is missing. */
    expect_codes(&s.r, "KEXT_NO_POLICY_RECORD");
    scene_free(&s);
}

static void not_installed(void **state)
{
    scene s;

    (void)state;
    scene_init(&s);
    diagnose(&s);
    assert_false(s.r.installed);
    assert_int_equal(s.r.status, KC_STATUS_NOT_INSTALLED);
    expect_codes(&s.r, "NOT_INSTALLED");
    assert_int_equal(s.r.findings[0].severity, KC_SEV_OK);
    assert_null(s.r.findings[0].kext);
    assert_non_null(strstr(s.r.findings[0].message, TEAM));
    assert_null(kc_next_step(&s.r));
    assert_string_equal(kc_status_name(s.r.status), "not_installed");
    assert_int_equal(kc_exit_code_for(&s.r, 1, 0), KC_EXIT_OK);
    scene_free(&s);
}

static void empty_folder_counts_as_installed(void **state)
{
    scene s;

    (void)state;
    scene_init(&s);
    present(&s, SUPPORT_DIR);
    diagnose(&s);
    assert_true(s.r.installed);
    assert_int_equal(s.r.status, KC_STATUS_OK);
    assert_int_equal(s.r.kexts[0].policy, KC_POLICY_NONE);
    scene_free(&s);
}

/* ---- staging ------------------------------------------------------------ */

static void stale_staged(void **state)
{
    tmpdir *t = *state;
    scene s;
    const kc_finding *f;
    char *real = realpath(t->root, NULL), *target, *q, *want;

    assert_non_null(real);
    scene_init(&s);
    s.in.root = t->root;
    add_policy(&s, TEAM, GUARD, 1, "Example, Inc.");
    guard_installed_and_staged(&s, "2.0", "1.0");
    diagnose(&s);
    assert_int_equal(s.r.status, KC_STATUS_CRITICAL);
    expect_codes(&s.r, "STAGED_COPY_STALE KEXT_APPROVED");
    f = finding(&s.r, "STAGED_COPY_STALE");
    assert_int_equal(f->severity, KC_SEV_CRITICAL);
    assert_int_equal(f->step, 3);
    assert_string_equal(f->kext, GUARD);
    assert_non_null(strstr(f->message, "1.0"));
    assert_non_null(strstr(f->message, "2.0"));
    assert_true(remediation_has(f, "rm -rf "));

    target = kc_asprintf("%s%s", real, STAGED_GUARD);
    assert_non_null(target);
    q = quoted(target);
    assert_non_null(strstr(q, "Mac HD'\\''s copy"));
    want = kc_asprintf("rm -rf %s", q);
    assert_non_null(want);
    if (!remediation_has(f, want))
        for (size_t i = 0; i < f->remediation.n; i++)
            print_error("remediation[%zu]: %s\n", i, f->remediation.v[i]);
    assert_true(remediation_has(f, want));
    assert_ptr_equal(kc_next_step(&s.r), f);
    free(want);
    free(q);
    free(target);
    free(real);
    scene_free(&s);
}

static void stale_staged_inside_declared_folder(void **state)
{
    tmpdir *t = *state;
    scene s;
    const kc_finding *f;
    char *real = realpath(t->root, NULL), *target, *q, *want;

    assert_non_null(real);
    scene_init(&s);
    /* A trailing slash on the root changes nothing. */
    s.in.root = kc_asprintf("%s/", t->root);
    assert_non_null(s.in.root);
    add_policy(&s, TEAM, GUARD, 1, NULL);
    add_bundle(&s, false, SUPPORT_DIR "/Guard.kext", GUARD, "3");
    add_bundle(&s, true, STAGED_SUPPORT "/Guard.kext", GUARD, "2");
    diagnose(&s);
    f = finding(&s.r, "STAGED_COPY_STALE");
    target = kc_asprintf("%s%s", real, STAGED_SUPPORT);
    q = quoted(target);
    want = kc_asprintf("rm -rf %s", q);
    assert_non_null(want);
    if (!remediation_has(f, want))
        for (size_t i = 0; i < f->remediation.n; i++)
            print_error("remediation[%zu]: %s\n", i, f->remediation.v[i]);
    assert_true(remediation_has(f, want));
    free((char *)s.in.root);
    free(want);
    free(q);
    free(target);
    free(real);
    scene_free(&s);
}

static void stale_staged_live_root(void **state)
{
    scene s;
    const kc_finding *f;

    (void)state;
    scene_init(&s);
    s.in.root = "/";
    add_policy(&s, TEAM, GUARD, 1, NULL);
    guard_installed_and_staged(&s, "2.0", "1.0");
    diagnose(&s);
    f = finding(&s.r, "STAGED_COPY_STALE");
    assert_true(remediation_has(
        f, "rm -rf '/Volumes/Macintosh HD/Library/StagedExtensions/Library/Extensions/Guard.kext'"));
    scene_free(&s);
}

static void same_version_not_stale(void **state)
{
    scene s;
    kc_bundle *b;

    (void)state;
    scene_init(&s);
    add_policy(&s, TEAM, GUARD, 1, NULL);
    add_bundle(&s, false, GUARD_PATH, GUARD, "5");
    b = add_bundle(&s, true, STAGED_GUARD, GUARD, NULL);
    /* Only CFBundleShortVersionString on the staged side, equal: not stale. */
    b->short_version = dup_or_null("5");
    diagnose(&s);
    expect_codes(&s.r, "KEXT_APPROVED");
    scene_free(&s);
}

static void staged_missing(void **state)
{
    scene s;
    const kc_finding *f;

    (void)state;
    scene_init(&s);
    add_policy(&s, TEAM, GUARD, 1, "Example, Inc.");
    add_bundle(&s, false, GUARD_PATH, GUARD, "1.0");
    diagnose(&s);
    assert_int_equal(s.r.status, KC_STATUS_WARNING);
    expect_codes(&s.r, "STAGED_COPY_MISSING KEXT_APPROVED");
    f = &s.r.findings[0];
    assert_int_equal(f->severity, KC_SEV_WARNING);
    assert_int_equal(f->step, 2);
    assert_non_null(strstr(f->message, GUARD_PATH));
    scene_free(&s);
}

static void staged_missing_mdm(void **state)
{
    scene s;

    (void)state;
    scene_init(&s);
    add_mdm(&s, TEAM, NULL, 1);
    add_bundle(&s, false, GUARD_PATH, GUARD, "1.0");
    diagnose(&s);
    expect_codes(&s.r, "STAGED_COPY_MISSING KEXT_APPROVED_MDM");
    scene_free(&s);
}

static void pending_not_staged_is_fine(void **state)
{
    scene s;

    (void)state;
    scene_init(&s);
    add_policy(&s, TEAM, GUARD, 0, "Example, Inc.");
    add_bundle(&s, false, GUARD_PATH, GUARD, "1.0");
    diagnose(&s);
    /* Not approved yet: no staged copy is expected. */
    expect_codes(&s.r, "KEXT_PENDING_APPROVAL");
    scene_free(&s);
}

static void unreadable_bundle(void **state)
{
    scene s;
    kc_bundle *b;

    (void)state;
    scene_init(&s);
    add_policy(&s, TEAM, GUARD, 1, NULL);
    add_bundle(&s, false, GUARD_PATH, GUARD, "1.0");
    b = add_bundle(&s, true, STAGED_GUARD, NULL, NULL);
    free(b->short_version);
    b->short_version = NULL;
    b->error = dup_or_null("Info.plist: not a property list");
    diagnose(&s);
    assert_int_equal(s.r.status, KC_STATUS_WARNING);
    assert_int_equal(finding(&s.r, "BUNDLE_UNREADABLE")->severity, KC_SEV_WARNING);
    assert_int_equal(finding(&s.r, "BUNDLE_UNREADABLE")->step, 2);
    assert_non_null(strstr(finding(&s.r, "BUNDLE_UNREADABLE")->message, STAGED_GUARD));
    /* What is fine comes last. */
    assert_string_equal(s.r.findings[s.r.n_findings - 1].code, "KEXT_APPROVED");
    scene_free(&s);
}

/* ---- the database itself ------------------------------------------------ */

static void db_unusable(kc_db_state st, char *error, const char *code)
{
    scene s;
    const kc_finding *f;

    scene_init(&s);
    s.db.state = st;
    s.db.error = error;
    guard_installed_and_staged(&s, "1.0", "1.0");
    diagnose(&s);
    assert_int_equal(s.r.status, KC_STATUS_UNKNOWN);
    assert_int_equal(s.r.kexts[0].policy, KC_POLICY_UNKNOWN);
    assert_string_equal(kc_policy_name(s.r.kexts[0].policy), "unknown");
    expect_codes(&s.r, code);
    f = &s.r.findings[0];
    assert_int_equal(f->severity, KC_SEV_UNKNOWN);
    assert_int_equal(f->step, 4);
    assert_null(f->kext);
    assert_non_null(strstr(f->message, db_path));
    assert_non_null(strstr(f->message, error));
    assert_true(f->remediation.n >= 1);
    assert_ptr_equal(kc_next_step(&s.r), f);
    assert_int_equal(kc_exit_code_for(&s.r, 1, 0), KC_EXIT_UNKNOWN);
    s.db.error = NULL;
    scene_free(&s);
}

static void db_missing(void **state)
{
    (void)state;
    db_unusable(KC_DB_MISSING, db_missing_error, "POLICY_DB_UNREADABLE");
}

static void db_corrupt(void **state)
{
    (void)state;
    db_unusable(KC_DB_CORRUPT, db_corrupt_error, "POLICY_DB_UNREADABLE");
}

static void db_unreadable(void **state)
{
    (void)state;
    db_unusable(KC_DB_UNREADABLE, db_missing_error, "POLICY_DB_UNREADABLE");
}

static void db_no_tables(void **state)
{
    (void)state;
    db_unusable(KC_DB_NO_TABLES, db_no_tables_error, "POLICY_TABLES_MISSING");
}

static void db_query_failed(void **state)
{
    scene s;

    (void)state;
    scene_init(&s);
    s.r.query_error = dup_or_null("kext_policy: database disk image is malformed");
    add_bundle(&s, false, GUARD_PATH, GUARD, "1.0");
    diagnose(&s);
    assert_int_equal(s.r.status, KC_STATUS_UNKNOWN);
    assert_int_equal(s.r.kexts[0].policy, KC_POLICY_UNKNOWN);
    expect_codes(&s.r, "POLICY_DB_UNREADABLE");
    assert_non_null(strstr(s.r.findings[0].message, "malformed"));
    scene_free(&s);
}

static void db_missing_stale_still_reported(void **state)
{
    scene s;

    (void)state;
    scene_init(&s);
    s.db.state = KC_DB_MISSING;
    s.db.error = db_missing_error;
    guard_installed_and_staged(&s, "2.0", "1.0");
    diagnose(&s);
    /* What the files show is still reported, ahead of the database step. */
    assert_int_equal(s.r.status, KC_STATUS_CRITICAL);
    expect_codes(&s.r, "STAGED_COPY_STALE POLICY_DB_UNREADABLE");
    s.db.error = NULL;
    scene_free(&s);
}

/* ---- order, exit codes, next step --------------------------------------- */

static void order_follows_article(void **state)
{
    static const char *const kexts[] = {"com.example.a", "com.example.b", "com.example.c",
                                        NULL};
    scene s;
    const kc_finding *next;

    (void)state;
    scene_init_with(&s, kexts);
    s.in.root = "/";
    /* a: approved but its staged copy is stale (step 3, critical). */
    add_policy(&s, TEAM, "com.example.a", 1, NULL);
    add_bundle(&s, false, GUARD_PATH, "com.example.a", "2");
    add_bundle(&s, true, STAGED_GUARD, "com.example.a", "1");
    /* b: installed, no record (step 1, warning). */
    add_bundle(&s, false, FILTER_PATH, "com.example.b", "1");
    add_bundle(&s, true, STAGED_FILTER, "com.example.b", "1");
    /* c: waiting for approval (step 1, critical). */
    add_policy(&s, TEAM, "com.example.c", 0, NULL);
    diagnose(&s);
    assert_int_equal(s.r.status, KC_STATUS_CRITICAL);
    expect_codes(&s.r,
                 "KEXT_PENDING_APPROVAL KEXT_NO_POLICY_RECORD STAGED_COPY_STALE KEXT_APPROVED");
    assert_string_equal(s.r.findings[0].kext, "com.example.c");
    assert_int_equal(s.r.findings[0].step, 1);
    assert_int_equal(s.r.findings[2].step, 3);
    next = kc_next_step(&s.r);
    assert_non_null(next);
    assert_string_equal(next->code, "KEXT_PENDING_APPROVAL");
    assert_string_equal(next->kext, "com.example.c");
    assert_int_equal(next->step, 1);
    assert_non_null(strstr(next->remediation.v[0], "Allow"));
    scene_free(&s);
}

static void pending_and_stale_same_kext(void **state)
{
    scene s;
    const kc_finding *next;

    (void)state;
    scene_init(&s);
    add_policy(&s, TEAM, GUARD, 0, NULL);
    guard_installed_and_staged(&s, "2.0", "1.0");
    diagnose(&s);
    expect_codes(&s.r, "KEXT_PENDING_APPROVAL STAGED_COPY_STALE");
    next = kc_next_step(&s.r);
    assert_non_null(next);
    assert_string_equal(next->code, "KEXT_PENDING_APPROVAL");
    assert_int_equal(next->step, 1);
    assert_int_equal(s.r.findings[1].step, 3);
    scene_free(&s);
}

static void exit_codes(void **state)
{
    kc_vendor_result r[4];

    (void)state;
    memset(r, 0, sizeof(r));
    assert_int_equal(kc_exit_code_for(r, 0, 0), KC_EXIT_OK);
    /* Refused plugins alone: unknown. */
    assert_int_equal(kc_exit_code_for(r, 0, 1), KC_EXIT_UNKNOWN);
    assert_int_equal(kc_exit_code_for(NULL, 0, 3), KC_EXIT_UNKNOWN);

    r[0].status = KC_STATUS_OK;
    r[1].status = KC_STATUS_NOT_INSTALLED;
    assert_int_equal(kc_exit_code_for(r, 2, 0), KC_EXIT_OK);
    assert_int_equal(kc_exit_code_for(r, 2, 2), KC_EXIT_UNKNOWN);

    r[1].status = KC_STATUS_UNKNOWN;
    assert_int_equal(kc_exit_code_for(r, 2, 0), KC_EXIT_UNKNOWN);

    /* warning (1) beats unknown (3), in either order. */
    r[2].status = KC_STATUS_WARNING;
    assert_int_equal(kc_exit_code_for(r, 3, 0), KC_EXIT_WARNING);
    assert_int_equal(kc_exit_code_for(r, 3, 5), KC_EXIT_WARNING);
    r[1].status = KC_STATUS_WARNING;
    r[2].status = KC_STATUS_UNKNOWN;
    assert_int_equal(kc_exit_code_for(r, 3, 0), KC_EXIT_WARNING);

    /* critical (2) beats everything, wherever it is. */
    r[3].status = KC_STATUS_CRITICAL;
    assert_int_equal(kc_exit_code_for(r, 4, 0), KC_EXIT_CRITICAL);
    assert_int_equal(kc_exit_code_for(r, 4, 1), KC_EXIT_CRITICAL);
    r[0].status = KC_STATUS_CRITICAL;
    r[3].status = KC_STATUS_WARNING;
    assert_int_equal(kc_exit_code_for(r, 4, 0), KC_EXIT_CRITICAL);

    assert_int_equal(KC_EXIT_OK, 0);
    assert_int_equal(KC_EXIT_WARNING, 1);
    assert_int_equal(KC_EXIT_CRITICAL, 2);
    assert_int_equal(KC_EXIT_UNKNOWN, 3);
}

static void names(void **state)
{
    (void)state;
    assert_string_equal(kc_severity_name(KC_SEV_OK), "ok");
    assert_string_equal(kc_severity_name(KC_SEV_UNKNOWN), "unknown");
    assert_string_equal(kc_severity_name(KC_SEV_WARNING), "warning");
    assert_string_equal(kc_severity_name(KC_SEV_CRITICAL), "critical");
    assert_string_equal(kc_status_name(KC_STATUS_OK), "ok");
    assert_string_equal(kc_status_name(KC_STATUS_WARNING), "warning");
    assert_string_equal(kc_status_name(KC_STATUS_CRITICAL), "critical");
    assert_string_equal(kc_status_name(KC_STATUS_UNKNOWN), "unknown");
    assert_string_equal(kc_policy_name(KC_POLICY_ALLOWED), "allowed");
    assert_string_equal(kc_policy_name(KC_POLICY_MDM), "mdm");
    assert_string_equal(kc_policy_name(KC_POLICY_NONE), "none");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pending),
        cmocka_unit_test(pending_developer_fallback),
        cmocka_unit_test(allowed),
        cmocka_unit_test(mdm_team_wide),
        cmocka_unit_test(mdm_other_bundle_does_not_approve),
        cmocka_unit_test(mdm_not_allowed),
        cmocka_unit_test(user_allowed_beats_pending_mdm),
        cmocka_unit_test(mdm_approval_beats_user_pending),
        cmocka_unit_test(installed_without_row),
        cmocka_unit_test(unexpected_allowed_value),
        cmocka_unit_test(other_team_rows_do_not_approve),
        cmocka_unit_test(other_team_rows_alone_are_a_mismatch),
        cmocka_unit_test(team_rows_alone_count_as_installed),
        cmocka_unit_test(latest_history_row),
        cmocka_unit_test(not_installed),
        cmocka_unit_test(empty_folder_counts_as_installed),
        cmocka_unit_test_setup_teardown(stale_staged, setup_root, teardown_root),
        cmocka_unit_test_setup_teardown(stale_staged_inside_declared_folder, setup_root,
                                        teardown_root),
        cmocka_unit_test(stale_staged_live_root),
        cmocka_unit_test(same_version_not_stale),
        cmocka_unit_test(staged_missing),
        cmocka_unit_test(staged_missing_mdm),
        cmocka_unit_test(pending_not_staged_is_fine),
        cmocka_unit_test(unreadable_bundle),
        cmocka_unit_test(db_missing),
        cmocka_unit_test(db_corrupt),
        cmocka_unit_test(db_unreadable),
        cmocka_unit_test(db_no_tables),
        cmocka_unit_test(db_query_failed),
        cmocka_unit_test(db_missing_stale_still_reported),
        cmocka_unit_test(order_follows_article),
        cmocka_unit_test(pending_and_stale_same_kext),
        cmocka_unit_test(exit_codes),
        cmocka_unit_test(names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
