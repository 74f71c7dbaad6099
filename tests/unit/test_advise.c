/* Unit tests for core/advise.c: a model built by hand (modelkit.h), judged,
 * then kc_advise.  These check the words: messages, the evidence lines, the
 * steps with their exact Recovery commands, the settings pane by macOS
 * version, the developer name, the ids of host findings.
 *
 * Where a Recovery shell sees the Mac's files is read.c's work
 * (kc_host.recovery): those tests run kc_read on a temporary folder, then
 * advise on what it read.
 *
 * Ported from the tests of the former core/diagnose.c; the words changed on
 * purpose where the test says so (the reinstall steps of KEXT_NOT_LOADED
 * come first; host findings are worded once, without a vendor's name). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "modelkit.h"
#include "testutil.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define TEAM MK_TEAM
#define OTHER MK_OTHER
#define GUARD MK_GUARD
#define FILTER MK_FILTER
#define SYSEXT MK_SYSEXT
#define GUARD_PATH MK_GUARD_PATH
#define FILTER_PATH MK_FILTER_PATH
#define SUPPORT_DIR MK_SUPPORT_DIR
#define STAGED_GUARD MK_STAGED_GUARD
#define STAGED_FILTER MK_STAGED_FILTER
#define STAGED_SUPPORT MK_STAGED_SUPPORT
#define O_STATUS MK_O_STATUS
#define O_LIST MK_O_LIST
#define O_SIP MK_O_SIP
#define O_LOADED MK_O_LOADED
#define O_MDM MK_O_MDM
#define O_SYSEXT MK_O_SYSEXT

#define PANE_OLD "System Preferences > Security & Privacy > General"
#define PANE_NEW "System Settings > Privacy & Security"
#define PANE_ANY PANE_OLD " (" PANE_NEW " on macOS 13 and later)"
#define DISK_NOTE "The commands below assume the disk is named \"Macintosh HD\""

/* ---- helpers ---------------------------------------------------------------- */

static kc_vendor_evidence *guard_vendor(mk_model *k)
{
    mk_init(k);
    return mk_vendor(k, "example", TEAM, mk_guard, NULL);
}

static void guard_both(kc_vendor_evidence *ve, const char *installed, const char *staged)
{
    mk_bundle(ve, MK_INSTALLED, GUARD_PATH, GUARD, installed);
    mk_bundle(ve, MK_STAGED, STAGED_GUARD, GUARD, staged);
}

/* Every finding worded: a message, valid UTF-8; steps exactly for what is
 * not fine; host findings with an id. */
static void expect_worded(const kc_finding *f)
{
    assert_non_null(f->message);
    assert_true(tu_valid_utf8(f->message, strlen(f->message)));
    for (size_t i = 0; i < f->steps.n; i++)
        assert_true(tu_valid_utf8(f->steps.v[i], strlen(f->steps.v[i])));
    for (size_t i = 0; i < f->evidence.n; i++)
        assert_true(tu_valid_utf8(f->evidence.v[i], strlen(f->evidence.v[i])));
    if (mk_sev(f) == KC_SEV_OK)
        assert_int_equal(f->steps.n, 0);
    else if (f->steps.n == 0) {
        mk_show(f);
        fail_msg("%s has no step", kc_code_name(f->code));
    }
}

static kc_result *advise(mk_model *k)
{
    kc_result *r = mk_advise(k);

    for (size_t i = 0; i < r->n_host_findings; i++) {
        expect_worded(&r->host_findings[i]);
        assert_non_null(r->host_findings[i].id);
    }
    for (size_t v = 0; v < r->n_vendors; v++)
        for (size_t i = 0; i < r->vendors[v].n_findings; i++)
            expect_worded(&r->vendors[v].findings[i]);
    return r;
}

/* The index of the first step containing s, or -1. */
static long step_index(const kc_finding *f, const char *s)
{
    for (size_t i = 0; i < f->steps.n; i++)
        if (strstr(f->steps.v[i], s) != NULL)
            return (long)i;
    return -1;
}

static void expect_step_at(const kc_finding *f, size_t i, const char *s)
{
    if (i >= f->steps.n || strstr(f->steps.v[i], s) == NULL) {
        print_error("steps[%zu] does not hold \"%s\"\n", i, s);
        mk_show(f);
    }
    assert_true(i < f->steps.n);
    assert_non_null(strstr(f->steps.v[i], s));
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

/* Expects the step "Delete it: rm -rf 'PREFIX+FOLDER'" and its backup. */
static void expect_recovery_commands(const kc_finding *f, const char *prefix, const char *folder)
{
    char *target = kc_asprintf("%s%s", prefix, folder);
    char *bak = kc_asprintf("%s%s_bak", prefix, folder);
    char *q = target ? quoted(target) : NULL, *qb = bak ? quoted(bak) : NULL;
    char *rm = q ? kc_asprintf("Delete it: rm -rf %s", q) : NULL;
    char *cp = q && qb ? kc_asprintf("Back up the staged folder: cp -R %s %s", q, qb) : NULL;

    assert_non_null(rm);
    assert_non_null(cp);
    mk_expect_step(f, rm);
    mk_expect_step(f, cp);
    /* Backed up before it is deleted. */
    assert_true(step_index(f, cp) < step_index(f, rm));
    free(rm);
    free(cp);
    free(q);
    free(qb);
    free(target);
    free(bak);
}

/* ---- reading a real folder (kc_read) ----------------------------------------- */

typedef struct folder {
    tu_tmp *t;
    char real[PATH_MAX]; /* realpath of t->path */
} folder;

/* A temporary folder with a Mac's root "Mac HD's copy" inside. */
static int setup_root(void **state)
{
    folder *d = calloc(1, sizeof(*d));

    if (d == NULL)
        return -1;
    d->t = tu_tmp_new("advise", "Mac HD's copy");
    if (mkdir(d->t->path, 0700) != 0 || realpath(d->t->path, d->real) == NULL) {
        tu_tmp_free(d->t);
        free(d);
        return -1;
    }
    *state = d;
    return 0;
}

static int teardown_root(void **state)
{
    folder *d = *state;

    tu_tmp_free(d->t);
    free(d);
    return 0;
}

/* Writes text to root + mac_path, making the folders on the way. */
static void write_under(const char *root, const char *mac_path, const char *text)
{
    char path[PATH_MAX];
    size_t n;

    tu_join(path, sizeof(path), root, mac_path + 1);
    n = strlen(root) + 1;
    for (char *p = path + n; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0700) != 0 && errno != EEXIST)
            fail_msg("mkdir %s: %s", path, strerror(errno));
        *p = '/';
    }
    tu_write_text(path, text);
}

static void write_info_plist(const char *root, const char *bundle_path, const char *id,
                             const char *version)
{
    char mac_path[PATH_MAX], *text;

    assert_true(snprintf(mac_path, sizeof(mac_path), "%s/Contents/Info.plist", bundle_path) > 0);
    text = kc_asprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
                       "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
                       "<plist version=\"1.0\"><dict>\n"
                       "<key>CFBundleIdentifier</key><string>%s</string>\n"
                       "<key>CFBundleVersion</key><string>%s</string>\n"
                       "<key>CFBundleShortVersionString</key><string>%s</string>\n"
                       "</dict></plist>\n",
                       id, version, version);
    assert_non_null(text);
    write_under(root, mac_path, text);
    free(text);
}

static void write_system_version(const char *root, const char *version)
{
    char *text = kc_asprintf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                             "<plist version=\"1.0\"><dict>\n"
                             "<key>ProductName</key><string>macOS</string>\n"
                             "<key>ProductVersion</key><string>%s</string>\n"
                             "</dict></plist>\n",
                             version);

    assert_non_null(text);
    write_under(root, KC_SYSTEM_VERSION_PLIST, text);
    free(text);
}

/* kc_read of the Mac at root as a snapshot (no command is run), with these
 * vendors; db_file NULL reads the root's own database. */
static void read_mac(const char *root, const char *db_file, const kc_vendor *const *vendors,
                     size_t n, kc_model *m)
{
    kc_rootfs fs;
    kc_gather g;
    char why[512];
    int rc;

    if (kc_rootfs_open(&fs, root, why, sizeof(why)) != 0)
        fail_msg("%s: %s", root, why);
    memset(&g, 0, sizeof(g));
    g.root = root;
    g.fs = &fs;
    g.live = false;
    rc = kc_read(&g, db_file, vendors, n, m);
    kc_rootfs_close(&fs);
    assert_int_equal(rc, 0);
}

/* ---- approval states ------------------------------------------------------ */

static void pending_words(void **state)
{
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_result *r;
    const kc_finding *f;

    (void)state;
    ve = guard_vendor(&k);
    mk_policy(ve, TEAM, GUARD, 0, "Example Row Developer");
    guard_both(ve, "1.0", "1.0");
    r = advise(&k);
    f = &r->vendors[0].findings[0];
    assert_int_equal(f->code, KC_F_KEXT_PENDING_APPROVAL);
    mk_expect_message(f, GUARD);
    mk_expect_message(f, "waiting for approval");
    assert_int_equal(f->steps.n, 3);
    expect_step_at(f, 0, "Allow");
    expect_step_at(f, 0, "restart");
    /* The developer as the database shows it. */
    expect_step_at(f, 0, "\"Example Row Developer\"");
    expect_step_at(f, 1, "30 minutes");
    expect_step_at(f, 2, "uninstall Example Security, restart, and install it again.");
    mk_expect_evidence(f, "KextPolicy: kext_policy row (" TEAM ", " GUARD
                          ") has allowed = 0, flags 1");
    assert_ptr_equal(r->vendors[0].next, f);
    mk_free(&k);
}

static void pending_developer_fallback(void **state)
{
    static const char *const rows[] = {NULL, ""};

    (void)state;
    /* No developer in the row (or an empty one): the plugin's. */
    for (size_t i = 0; i < 2; i++) {
        mk_model k;
        kc_vendor_evidence *ve = guard_vendor(&k);
        const kc_result *r;

        mk_policy(ve, TEAM, GUARD, 0, rows[i]);
        guard_both(ve, "1.0", "1.0");
        r = advise(&k);
        mk_expect_codes(&r->vendors[0], "KEXT_PENDING_APPROVAL");
        expect_step_at(&r->vendors[0].findings[0], 0, "\"" MK_DEVELOPER "\"");
        mk_free(&k);
    }
    /* No developer in the plugin either: the vendor's name. */
    {
        mk_model k;
        struct kc_plugin d = mk_plugin("example", TEAM, mk_guard, NULL);
        kc_vendor_evidence *ve;
        const kc_result *r;

        mk_init(&k);
        d.developer_name = NULL;
        ve = mk_vendor_from(&k, &d);
        mk_policy(ve, TEAM, GUARD, 0, NULL);
        guard_both(ve, "1.0", "1.0");
        r = advise(&k);
        expect_step_at(&r->vendors[0].findings[0], 0, "\"" MK_VENDOR "\"");
        mk_free(&k);
    }
}

/* Where approvals are clicked depends on the Mac's macOS version. */
static void settings_pane_by_macos_version(void **state)
{
    static const struct {
        const char *version; /* NULL: not known */
        int major, minor;
        bool unreadable;
        const char *pane, *not_pane;
    } cases[] = {
        {NULL, 0, 0, false, PANE_ANY, NULL},
        {NULL, 0, 0, true, PANE_ANY, NULL},
        {"10.13.6", 10, 13, false, PANE_OLD, PANE_NEW},
        {"12.7", 12, 7, false, PANE_OLD, PANE_NEW},
        {"13.0", 13, 0, false, PANE_NEW, PANE_OLD},
        {"15.1", 15, 1, false, PANE_NEW, PANE_OLD},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        mk_model k;
        kc_vendor_evidence *ve;
        const kc_result *r;
        const kc_vendor_result *vr;

        mk_init(&k);
        ve = mk_vendor(&k, "example", TEAM, mk_guard_filter, mk_sysext);
        if (cases[i].version != NULL)
            mk_os(&k, cases[i].version, cases[i].major, cases[i].minor);
        if (cases[i].unreadable)
            mk_unreadable(&k, KC_HOST_OS, "ProductVersion: expected a version");
        mk_policy(ve, TEAM, GUARD, 0, NULL);
        mk_bundle(ve, MK_INSTALLED, FILTER_PATH, FILTER, "1.0");
        mk_sysext_entry(&k, SYSEXT, TEAM, "activated_waiting_for_user");
        /* And where a database without approval tables sends the admin:
         * the same model, judged again. */
        for (int pass = 0; pass < 2; pass++) {
            const kc_finding *f[3];
            size_t n = 0;
            if (pass == 1)
                mk_db(&k, KC_DB_NO_TABLES, "the database has no kext_policy table");
            r = advise(&k);
            vr = &r->vendors[0];
            if (pass == 0) {
                mk_expect_codes(vr, "KEXT_PENDING_APPROVAL SYSEXT_WAITING_FOR_USER "
                                    "KEXT_NO_POLICY_RECORD");
                for (n = 0; n < 3; n++)
                    f[n] = &vr->findings[n];
            } else {
                f[n++] = mk_host_finding(r, KC_F_POLICY_TABLES_MISSING, KC_HOST_DB);
            }
            for (size_t j = 0; j < n; j++) {
                expect_step_at(f[j], 0, cases[i].pane);
                if (cases[i].not_pane != NULL)
                    mk_expect_no_step(f[j], cases[i].not_pane);
            }
        }
        mk_free(&k);
    }
}

static void mdm_words(void **state)
{
    const char *const bundles[] = {NULL, "", GUARD};

    (void)state;
    for (size_t i = 0; i < 3; i++) {
        mk_model k;
        kc_vendor_evidence *ve = guard_vendor(&k);
        const kc_finding *f;

        mk_mdm(ve, TEAM, bundles[i], 1);
        guard_both(ve, "1.0", "1.0");
        f = mk_finding(&advise(&k)->vendors[0], KC_F_KEXT_APPROVED_MDM, GUARD);
        mk_expect_message(f, i < 2 ? "whole team" : "this kext");
        mk_expect_evidence(f, i < 2 ? "kext_policy_mdm row for team " TEAM " (all kexts)"
                                    : "kext_policy_mdm row for team " TEAM " and " GUARD);
        mk_free(&k);
    }
}

static void installed_without_row_words(void **state)
{
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_finding *f;

    (void)state;
    ve = guard_vendor(&k);
    guard_both(ve, "1.0", "1.0");
    f = mk_finding(&advise(&k)->vendors[0], KC_F_KEXT_NO_POLICY_RECORD, GUARD);
    mk_expect_message(f, GUARD);
    expect_step_at(f, 0, "Restart the Mac");
    expect_step_at(f, 0, "\"" MK_DEVELOPER "\"");
    mk_expect_evidence(f, "KextPolicy: no kext_policy row for team " TEAM " and " GUARD);
    mk_expect_evidence(f, "files: installed copy " GUARD_PATH ", version 1.0");
    mk_free(&k);
}

static void team_mismatch_words(void **state)
{
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_vendor_result *vr;

    (void)state;
    ve = guard_vendor(&k);
    mk_policy(ve, OTHER, GUARD, 1, "Impostor");
    mk_history(ve, OTHER, GUARD, STAGED_GUARD, "2021-01-01 00:00:00");
    guard_both(ve, "1.0", "1.0");
    vr = &advise(&k)->vendors[0];
    mk_expect_codes(vr, "TEAM_MISMATCH TEAM_MISMATCH KEXT_NO_POLICY_RECORD");
    mk_expect_message(&vr->findings[0], "in the approval table");
    mk_expect_message(&vr->findings[0], OTHER);
    mk_expect_message(&vr->findings[1], "in the load history");
    mk_expect_step(&vr->findings[0], "codesign -dv --verbose=4");
    mk_expect_step(&vr->findings[1], "for example " STAGED_GUARD);
    mk_expect_step(&vr->findings[0], "this is not " MK_VENDOR "'s kext");
    /* A plugin without a source file is named by its name. */
    mk_expect_step(&vr->findings[0], "report it to the plugin's maintainers (example)");
    mk_expect_evidence(&vr->findings[0], "KextPolicy: kext_policy row (" OTHER ", " GUARD ")");
    mk_expect_evidence(&vr->findings[1],
                       "KextPolicy: kext_load_history_v3 row (" OTHER ", " GUARD ")");
    mk_free(&k);
}

static void not_installed_words(void **state)
{
    mk_model k;
    const kc_finding *f;

    (void)state;
    guard_vendor(&k);
    f = &advise(&k)->vendors[0].findings[0];
    assert_int_equal(f->code, KC_F_NOT_INSTALLED);
    mk_expect_message(f, TEAM);
    mk_expect_message(f, "the approval database has no row for team " TEAM);
    mk_free(&k);

    /* A database that could not be read was not consulted: not "no row". */
    guard_vendor(&k);
    mk_db(&k, KC_DB_UNREADABLE, "Permission denied");
    f = &advise(&k)->vendors[0].findings[0];
    assert_int_equal(f->code, KC_F_NOT_INSTALLED);
    mk_expect_message(f, "could not be read, was not consulted for team " TEAM);
    assert_null(strstr(f->message, "has no row"));
    mk_free(&k);
}

/* ---- staging and the Recovery commands ---------------------------------------- */

/* Read: a folder that is not a collected snapshot is seen in Recovery where
 * it is (its real path, quoted); advise: the exact commands. */
static void stale_staged_words(void **state)
{
    folder *d = *state;
    kc_model read;
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_vendor_result *vr;
    const kc_finding *f;

    read_mac(d->t->path, NULL, NULL, 0, &read);
    assert_string_equal(read.host.root, d->t->path);
    assert_string_equal(read.host.root_real, d->real);
    assert_false(read.host.collected);
    assert_non_null(read.host.recovery.prefix);
    assert_string_equal(read.host.recovery.prefix, d->real);
    assert_false(read.host.recovery.guessed);
    assert_false(read.host.recovery.data_volume);

    ve = guard_vendor(&k);
    mk_recovery(&k, read.host.recovery.prefix, read.host.recovery.guessed,
                read.host.recovery.data_volume);
    kc_model_free(&read);
    mk_policy(ve, TEAM, GUARD, 1, MK_DEVELOPER);
    guard_both(ve, "2.0", "1.0");
    vr = &advise(&k)->vendors[0];
    f = mk_finding(vr, KC_F_STAGED_COPY_STALE, GUARD);
    mk_expect_message(f, "version 1.0");
    mk_expect_message(f, "version 2.0");
    mk_expect_evidence(f, "files: installed copy " GUARD_PATH ", version 2.0");
    mk_expect_evidence(f, "files: staged copy " STAGED_GUARD ", version 1.0");
    expect_step_at(f, 0, "Uninstall " MK_VENDOR ", then delete its staged copy");
    expect_step_at(f, 1, "Start macOS Recovery");
    mk_expect_no_step(f, DISK_NOTE);
    expect_recovery_commands(f, d->real, STAGED_GUARD);
    mk_expect_step(f, "Mac HD'\\''s copy");
    expect_step_at(f, f->steps.n - 1, "Restart the Mac and install " MK_VENDOR " again.");
    assert_ptr_equal(vr->next, f);
    mk_free(&k);
}

/* The staged folder the plugin declares is deleted, not the bundle; a
 * trailing slash on the root changes nothing. */
static void stale_staged_inside_declared_folder_words(void **state)
{
    folder *d = *state;
    kc_model read;
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_finding *f;
    char *slashed = kc_asprintf("%s/", d->t->path);

    assert_non_null(slashed);
    read_mac(slashed, NULL, NULL, 0, &read);
    free(slashed);
    assert_string_equal(read.host.recovery.prefix, d->real);

    ve = guard_vendor(&k);
    mk_recovery(&k, read.host.recovery.prefix, read.host.recovery.guessed,
                read.host.recovery.data_volume);
    kc_model_free(&read);
    mk_policy(ve, TEAM, GUARD, 1, NULL);
    mk_bundle(ve, MK_INSTALLED, SUPPORT_DIR "/Guard.kext", GUARD, "3");
    mk_bundle(ve, MK_STAGED, STAGED_SUPPORT "/Guard.kext", GUARD, "2");
    f = mk_finding(&advise(&k)->vendors[0], KC_F_STAGED_COPY_STALE, GUARD);
    expect_recovery_commands(f, d->real, STAGED_SUPPORT);
    mk_expect_no_step(f, "Guard.kext");
    mk_free(&k);
}

/* Read: the Mac itself, however its root is spelled, is seen in Recovery as
 * its startup disk under /Volumes, whose name is assumed. */
static void recovery_live_root(void **state)
{
    folder *d = *state;
    char db[PATH_MAX], link[PATH_MAX];
    const char *roots[] = {"/", "/.", "//", link};

    /* A link to / is the Mac itself too. */
    tu_join(link, sizeof(link), d->t->dir, "to-root");
    if (symlink("/", link) != 0)
        fail_msg("symlink %s: %s", link, strerror(errno));
    /* The database is one that does not exist: nothing of this machine's
     * own is opened beyond what a snapshot read looks at. */
    tu_join(db, sizeof(db), d->t->dir, "no-such-KextPolicy");
    for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
        kc_model read;
        const kc_host *h = &read.host;
        bool data;

        read_mac(roots[i], db, NULL, 0, &read);
        assert_string_equal(h->root, roots[i]);
        assert_string_equal(h->root_real, "/");
        assert_int_equal(h->db.state, KC_DB_MISSING);
        /* The Data volume from macOS 10.15 on, when this machine says so. */
        data = h->ev.os_src.ok &&
               (h->ev.os_major > 10 || (h->ev.os_major == 10 && h->ev.os_minor >= 15));
        assert_non_null(h->recovery.prefix);
        assert_string_equal(h->recovery.prefix,
                            data ? "/Volumes/Macintosh HD - Data" : "/Volumes/Macintosh HD");
        assert_true(h->recovery.guessed);
        assert_int_equal(h->recovery.data_volume, data);
        kc_model_free(&read);
    }
}

/* Advise: commands for the startup disk carry the note about its name. */
static void recovery_guessed_disk_words(void **state)
{
    static const struct {
        const char *prefix;
        bool data;
    } cases[] = {{"/Volumes/Macintosh HD", false}, {"/Volumes/Macintosh HD - Data", true}};

    (void)state;
    for (size_t i = 0; i < 2; i++) {
        mk_model k;
        kc_vendor_evidence *ve = guard_vendor(&k);
        const kc_finding *f;
        char want[512];

        mk_recovery(&k, cases[i].prefix, true, cases[i].data);
        mk_policy(ve, TEAM, GUARD, 1, NULL);
        guard_both(ve, "2.0", "1.0");
        f = mk_finding(&advise(&k)->vendors[0], KC_F_STAGED_COPY_STALE, GUARD);
        assert_true(snprintf(want, sizeof(want), "rm -rf '%s%s'", cases[i].prefix,
                             STAGED_GUARD) > 0);
        mk_expect_step(f, want);
        expect_step_at(f, 1, DISK_NOTE);
        expect_recovery_commands(f, cases[i].prefix, STAGED_GUARD);
        mk_free(&k);
    }
}

/* Read, judge, advise on a collected snapshot (DIR/.kextcheck/manifest.json):
 * the Recovery commands name the Mac's disk, never the analyst's copy
 * (run there, they would delete the evidence); the Data volume from macOS
 * 10.15 on. */
static void recovery_collected_snapshot(void **state)
{
    static const struct {
        const char *version; /* NULL: no SystemVersion.plist */
        const char *prefix;
    } cases[] = {
        {NULL, "/Volumes/Macintosh HD"},
        {"10.14.6", "/Volumes/Macintosh HD"},
        {"10.15.7", "/Volumes/Macintosh HD - Data"},
        {"14.1", "/Volumes/Macintosh HD - Data"},
    };
    folder *d = *state;
    struct kc_plugin desc = mk_plugin("example", TEAM, mk_guard, NULL);
    kc_vendor v;
    const kc_vendor *vendors[1] = {&v};
    char why[1024] = "";

    memset(&v, 0, sizeof(v));
    if (kc_plugin_validate(&desc, "example", &v, why, sizeof(why)) != 0)
        fail_msg("descriptor refused: %s", why);
    write_under(d->t->path, "/" KC_CAPTURE_DIR "/manifest.json",
                "{\"manifest_version\": 1, \"tool\": \"kextcheck\"}\n");
    write_info_plist(d->t->path, GUARD_PATH, GUARD, "2.0");
    write_info_plist(d->t->path, STAGED_GUARD, GUARD, "1.0");
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        kc_model m;
        kc_result r;
        const kc_finding *f;

        if (cases[i].version != NULL)
            write_system_version(d->t->path, cases[i].version);
        read_mac(d->t->path, NULL, vendors, 1, &m);
        assert_true(m.host.collected);
        assert_true(m.host.recovery.guessed);
        assert_string_equal(m.host.recovery.prefix, cases[i].prefix);
        assert_int_equal(m.n_vendors, 1);
        assert_int_equal(m.vendors[0].installed.n, 1);
        assert_int_equal(m.vendors[0].staged.n, 1);
        assert_int_equal(kc_judge(&m, &r), 0);
        assert_int_equal(kc_advise(&r), 0);
        /* No database in the snapshot: what the files show still counts. */
        mk_expect_codes(&r.vendors[0], "STAGED_COPY_STALE");
        f = &r.vendors[0].findings[0];
        if (mk_step_has(f, d->real) || mk_step_has(f, d->t->path))
            mk_show(f);
        assert_false(mk_step_has(f, d->real));
        assert_false(mk_step_has(f, d->t->path));
        expect_recovery_commands(f, cases[i].prefix, STAGED_GUARD);
        expect_step_at(f, 1, DISK_NOTE);
        kc_result_free(&r);
        kc_model_free(&m);
    }
    kc_vendor_free(&v);
}

static void staged_missing_words(void **state)
{
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_finding *f;

    (void)state;
    ve = guard_vendor(&k);
    mk_policy(ve, TEAM, GUARD, 1, MK_DEVELOPER);
    mk_bundle(ve, MK_INSTALLED, GUARD_PATH, GUARD, "1.0");
    f = mk_finding(&advise(&k)->vendors[0], KC_F_STAGED_COPY_MISSING, GUARD);
    mk_expect_message(f, GUARD_PATH);
    mk_expect_evidence(f, "files: installed copy " GUARD_PATH ", version 1.0");
    mk_expect_evidence(f, "files: no copy of " GUARD " under the staged paths");
    expect_step_at(f, 0, "Restart the Mac");
    mk_expect_step(f, "uninstall " MK_VENDOR ", restart, and install it again.");
    mk_free(&k);
}

static void unreadable_bundle_words(void **state)
{
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_finding *f;

    (void)state;
    ve = guard_vendor(&k);
    mk_policy(ve, TEAM, GUARD, 1, NULL);
    mk_bundle(ve, MK_INSTALLED, GUARD_PATH, GUARD, "1.0");
    mk_bad_bundle(ve, MK_STAGED, STAGED_GUARD, "Info.plist: not a property list");
    f = mk_finding(&advise(&k)->vendors[0], KC_F_BUNDLE_UNREADABLE, NULL);
    mk_expect_message(f, STAGED_GUARD);
    mk_expect_message(f, "Info.plist: not a property list");
    expect_step_at(f, 0, "Uninstall " MK_VENDOR ", restart, and install it again");
    mk_expect_step(f, "/Library/StagedExtensions");
    mk_free(&k);
}

/* ---- the database itself ------------------------------------------------------ */

static void db_words(void **state)
{
    static const struct {
        kc_db_state state;
        const char *error;
        kc_code code;
        const char *step;
    } cases[] = {
        {KC_DB_MISSING, "No such file or directory", KC_F_POLICY_DB_UNREADABLE, "sudo kextcheck"},
        {KC_DB_CORRUPT, "not an SQLite database (bad header)", KC_F_POLICY_DB_UNREADABLE,
         "damaged"},
        {KC_DB_UNREADABLE, "Permission denied", KC_F_POLICY_DB_UNREADABLE, "as root"},
        {KC_DB_NO_TABLES, "the database has no kext_policy table", KC_F_POLICY_TABLES_MISSING,
         "this database does not hold it"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        mk_model k;
        kc_vendor_evidence *ve = guard_vendor(&k);
        const kc_result *r;
        const kc_finding *f;
        char want[128];

        mk_db(&k, cases[i].state, cases[i].error);
        guard_both(ve, "1.0", "1.0");
        r = advise(&k);
        f = mk_host_finding(r, cases[i].code, KC_HOST_DB);
        /* A host finding's id is its code. */
        assert_string_equal(f->id, kc_code_name(cases[i].code));
        mk_expect_message(f, MK_DB_PATH);
        mk_expect_message(f, cases[i].error);
        mk_expect_step(f, cases[i].step);
        if (cases[i].state != KC_DB_NO_TABLES) {
            assert_true(snprintf(want, sizeof(want), "KextPolicy: state %s",
                                 kc_db_state_name(cases[i].state)) > 0);
            mk_expect_evidence(f, want);
        }
        /* The next step of the vendor is that finding's first step. */
        assert_ptr_equal(r->vendors[0].next, f);
        mk_free(&k);
    }
}

static void db_query_failed_words(void **state)
{
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_finding *f;

    (void)state;
    ve = guard_vendor(&k);
    mk_query_error(ve, "kext_policy: database disk image is malformed");
    mk_bundle(ve, MK_INSTALLED, GUARD_PATH, GUARD, "1.0");
    f = mk_finding(&advise(&k)->vendors[0], KC_F_POLICY_DB_UNREADABLE, NULL);
    mk_expect_message(f, MK_DB_PATH);
    mk_expect_message(f, "malformed");
    mk_free(&k);
}

/* The next step's first step is the ladder's first rung. */
static void next_step_words(void **state)
{
    static const char *const kexts[] = {"com.example.a", "com.example.b", "com.example.c",
                                        NULL};
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_vendor_result *vr;

    (void)state;
    mk_init(&k);
    ve = mk_vendor(&k, "example", TEAM, kexts, NULL);
    mk_policy(ve, TEAM, "com.example.a", 1, NULL);
    mk_bundle(ve, MK_INSTALLED, GUARD_PATH, "com.example.a", "2");
    mk_bundle(ve, MK_STAGED, STAGED_GUARD, "com.example.a", "1");
    mk_bundle(ve, MK_INSTALLED, FILTER_PATH, "com.example.b", "1");
    mk_bundle(ve, MK_STAGED, STAGED_FILTER, "com.example.b", "1");
    mk_policy(ve, TEAM, "com.example.c", 0, NULL);
    vr = &advise(&k)->vendors[0];
    assert_non_null(vr->next);
    assert_int_equal(vr->next->code, KC_F_KEXT_PENDING_APPROVAL);
    expect_step_at(vr->next, 0, "Allow");
    mk_expect_message(vr->next, "com.example.c");
    mk_free(&k);
}

/* ---- enforcement (host findings, vendor-neutral words) --------------------------- */

/* Host findings are worded once for every vendor: no vendor's name. */
static void expect_neutral(const kc_finding *f)
{
    assert_null(strstr(f->message, MK_VENDOR));
    mk_expect_no_step(f, MK_VENDOR);
    expect_step_at(f, 0, "Approval is not what stops a kext here. If a product still cannot "
                         "start its protection, uninstall it, restart, and install it again.");
}

static void sip_disabled_words(void **state)
{
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_result *r;
    const kc_finding *f;

    (void)state;
    ve = guard_vendor(&k);
    mk_sip(&k, KC_SIP_DISABLED, KC_NO);
    mk_policy(ve, TEAM, GUARD, 0, MK_DEVELOPER);
    guard_both(ve, "1.0", "1.0");
    r = advise(&k);
    f = mk_host_finding(r, KC_F_SIP_DISABLED, KC_HOST_SIP);
    assert_string_equal(f->id, "SIP_DISABLED");
    mk_expect_message(f, "System Integrity Protection is disabled");
    mk_expect_message(f, "approval is not enforced");
    mk_expect_message(f, "nothing is staged");
    expect_neutral(f);
    mk_expect_step(f, "csrutil enable");
    mk_expect_evidence(f, "csrutil status (" O_SIP "): SIP disabled, Kext Signing disabled");
    assert_ptr_equal(r->vendors[0].next, f);
    mk_free(&k);
}

static void kext_signing_disabled_words(void **state)
{
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_finding *f;

    (void)state;
    ve = guard_vendor(&k);
    mk_sip(&k, KC_SIP_CUSTOM, KC_NO);
    mk_policy(ve, TEAM, GUARD, 1, MK_DEVELOPER);
    guard_both(ve, "1.0", "1.0");
    f = mk_host_finding(advise(&k), KC_F_KEXT_SIGNING_DISABLED, KC_HOST_SIP);
    assert_string_equal(f->id, "KEXT_SIGNING_DISABLED");
    mk_expect_message(f, "Kext Signing");
    mk_expect_message(f, "nothing is staged");
    expect_neutral(f);
    mk_expect_step(f, "csrutil enable");
    mk_expect_evidence(f, "csrutil status (" O_SIP "): SIP custom configuration, Kext Signing "
                          "disabled");
    mk_free(&k);
}

static void consent_disabled_words(void **state)
{
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_finding *f;

    (void)state;
    ve = guard_vendor(&k);
    mk_sip(&k, KC_SIP_ENABLED, KC_YES);
    mk_consent(&k, KC_NO);
    mk_policy(ve, TEAM, GUARD, 0, NULL);
    guard_both(ve, "1.0", "1.0");
    f = mk_host_finding(advise(&k), KC_F_CONSENT_DISABLED, KC_HOST_CONSENT_STATUS);
    assert_string_equal(f->id, "CONSENT_DISABLED");
    mk_expect_message(f, "kext user consent is disabled");
    /* Consent off does not stop staging: SIP is on. */
    assert_null(strstr(f->message, "nothing is staged"));
    expect_neutral(f);
    mk_expect_step(f, "spctl kext-consent enable");
    mk_expect_no_step(f, "csrutil enable");
    mk_expect_evidence(f, "spctl kext-consent status (" O_STATUS "): DISABLED");
    mk_free(&k);
}

static void team_listed_words(void **state)
{
    static const char *const teams[] = {OTHER, TEAM, NULL};
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_finding *f;

    (void)state;
    ve = guard_vendor(&k);
    mk_sip(&k, KC_SIP_ENABLED, KC_YES);
    mk_consent(&k, KC_YES);
    mk_consent_list(&k, teams);
    guard_both(ve, "1.0", "1.0");
    f = mk_finding(&advise(&k)->vendors[0], KC_F_CONSENT_TEAM_LISTED, NULL);
    mk_expect_message(f, TEAM);
    mk_expect_evidence(f, "spctl kext-consent list (" O_LIST "): " TEAM " is listed");
    mk_free(&k);
}

/* ---- not loaded ------------------------------------------------------------------ */

/* SIP and consent on, the team not listed, the kext approved and on disk,
 * and a loaded-kext list without it. */
static kc_vendor_evidence *not_loaded_scene(mk_model *k)
{
    static const char *const teams[] = {OTHER, NULL};
    kc_vendor_evidence *ve = guard_vendor(k);

    mk_sip(k, KC_SIP_ENABLED, KC_YES);
    mk_consent(k, KC_YES);
    mk_consent_list(k, teams);
    mk_loaded(k, "com.apple.iokit.IOUSBHostFamily", "1.2");
    mk_policy(ve, TEAM, GUARD, 1, MK_DEVELOPER);
    guard_both(ve, "1.0", "1.0");
    return ve;
}

/* The reinstall rung first, then (a staged copy exists and staging
 * applies) the staged-copy Recovery steps.  Changed on purpose: the steps
 * were the staged-copy ones alone. */
static void not_loaded_staged_words(void **state)
{
    mk_model k;
    const kc_vendor_result *vr;
    const kc_finding *f, *c;

    (void)state;
    not_loaded_scene(&k);
    vr = &advise(&k)->vendors[0];
    mk_expect_codes(vr, "KEXT_NOT_LOADED CONSENT_TEAM_NOT_LISTED KEXT_APPROVED");
    f = &vr->findings[0];
    mk_expect_message(f, GUARD " is approved but not loaded");
    assert_string_equal(f->steps.v[0], "Uninstall " MK_VENDOR ", restart, and install it again.");
    expect_step_at(f, 1, "If it still does not load, uninstall " MK_VENDOR " again, then delete "
                         "its staged copy from macOS Recovery");
    expect_step_at(f, 2, "Start macOS Recovery");
    mk_expect_no_step(f, DISK_NOTE);
    expect_recovery_commands(f, MK_ROOT, STAGED_GUARD);
    mk_expect_step(f, "rm -rf '" MK_ROOT STAGED_GUARD "'");
    mk_expect_step(f, "cp -R '" MK_ROOT STAGED_GUARD "' '" MK_ROOT STAGED_GUARD "_bak'");
    expect_step_at(f, f->steps.n - 1, "Restart the Mac and install " MK_VENDOR " again.");
    mk_expect_evidence(f, "kextstat (" O_LOADED "): " GUARD " is not among 1 loaded kexts");
    mk_expect_evidence(f, "KextPolicy: kext_policy row (" TEAM ", " GUARD ") has allowed = 1");
    mk_expect_evidence(f, "files: installed copy " GUARD_PATH ", version 1.0");
    mk_expect_evidence(f, "csrutil status (" O_SIP "): SIP enabled, Kext Signing enabled "
                          "(kexts are staged)");

    c = &vr->findings[1];
    mk_expect_message(c, TEAM);
    mk_expect_step(c, "spctl kext-consent add " TEAM);
    mk_expect_step(c, "Recovery");
    mk_expect_step(c, "spctl kext-consent list (" TEAM " must be listed)");
    mk_expect_evidence(c, "spctl kext-consent list (" O_LIST "): " TEAM
                          " is not among 1 listed teams");
    mk_expect_evidence(c, "spctl kext-consent status (" O_STATUS "): ENABLED");
    mk_free(&k);
}

static void not_loaded_unstaged_words(void **state)
{
    static const kc_sip sips[] = {KC_SIP_CUSTOM, KC_SIP_DISABLED};

    (void)state;
    for (size_t i = 0; i < 2; i++) {
        mk_model k;
        const kc_finding *f;

        not_loaded_scene(&k);
        mk_sip(&k, sips[i], KC_NO);
        f = mk_finding(&advise(&k)->vendors[0], KC_F_KEXT_NOT_LOADED, GUARD);
        /* Nothing is staged: reinstall, no staged folder to delete. */
        mk_expect_no_step(f, "rm -rf");
        mk_expect_no_step(f, "Recovery");
        assert_string_equal(f->steps.v[0],
                            "Uninstall " MK_VENDOR ", restart, and install it again.");
        mk_expect_step(f, "collect the case (kextcheck collect) for " MK_VENDOR "'s support");
        mk_expect_message(f, GUARD " is allowed to load but not loaded");
        mk_expect_evidence(f, "kextstat (" O_LOADED "): " GUARD " is not among 1 loaded kexts");
        mk_expect_evidence(f, "Kext Signing disabled (nothing is staged)");
        mk_free(&k);
    }
}

/* Fixed: Filter is approved and installed but has no staged copy and is not
 * loaded; the steps once named Guard's staged folder (the first declared)
 * for deletion.  With no staged copy there is none to clear. */
static void regression_not_loaded_deletes_other_kexts_staged_folder(void **state)
{
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_vendor_result *vr;
    const kc_finding *f;

    (void)state;
    mk_init(&k);
    ve = mk_vendor(&k, "example", TEAM, mk_guard_filter, NULL);
    mk_sip(&k, KC_SIP_ENABLED, KC_YES);
    mk_loaded(&k, GUARD, "1.0");
    mk_policy(ve, TEAM, GUARD, 1, NULL);
    mk_policy(ve, TEAM, FILTER, 1, NULL);
    guard_both(ve, "1.0", "1.0");
    mk_bundle(ve, MK_INSTALLED, FILTER_PATH, FILTER, "1.0");
    vr = &advise(&k)->vendors[0];
    f = mk_finding(vr, KC_F_KEXT_NOT_LOADED, FILTER);
    mk_expect_no_step(f, "Guard.kext");
    mk_expect_no_step(f, "rm -rf");
    mk_expect_step(f, "collect the case");
    mk_free(&k);
}

static void loaded_words(void **state)
{
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_finding *f;

    (void)state;
    not_loaded_scene(&k);
    mk_loaded(&k, GUARD, "1.2.3");
    f = mk_finding(&advise(&k)->vendors[0], KC_F_KEXT_LOADED, GUARD);
    mk_expect_message(f, GUARD " is loaded (version 1.2.3)");
    mk_expect_evidence(f, "kextstat (" O_LOADED "): " GUARD " is listed");
    mk_free(&k);

    ve = guard_vendor(&k);
    mk_loaded(&k, GUARD, NULL);
    guard_both(ve, "1.0", "1.0");
    f = mk_finding(&advise(&k)->vendors[0], KC_F_KEXT_LOADED, GUARD);
    mk_expect_message(f, "(version ?)");
    mk_free(&k);
}

/* ---- evidence that could not be used ------------------------------------------- */

static void loaded_unreadable_words(void **state)
{
    mk_model k;
    const kc_result *r;
    const kc_finding *f;

    (void)state;
    not_loaded_scene(&k);
    mk_unreadable(&k, KC_HOST_LOADED, "line 2: not a kextstat row");
    r = advise(&k);
    f = mk_host_finding(r, KC_F_EVIDENCE_UNREADABLE, KC_HOST_LOADED);
    assert_string_equal(f->id, "EVIDENCE_UNREADABLE/loaded");
    mk_expect_message(f, "the loaded-kext list could not be used: line 2: not a kextstat row");
    mk_expect_evidence(f, O_LOADED);
    mk_expect_step(f, "kextcheck collect");
    assert_ptr_equal(r->vendors[0].next, f);
    mk_free(&k);
}

/* Every piece of host evidence has its id and its name in the words. */
static void evidence_unreadable_ids(void **state)
{
    static const struct {
        kc_host_item item;
        const char *id, *label, *origin;
    } cases[] = {
        {KC_HOST_CONSENT_STATUS, "EVIDENCE_UNREADABLE/consent-status",
         "spctl kext-consent status", O_STATUS},
        {KC_HOST_CONSENT_LIST, "EVIDENCE_UNREADABLE/consent-list", "spctl kext-consent list",
         O_LIST},
        {KC_HOST_SIP, "EVIDENCE_UNREADABLE/sip", "csrutil status", O_SIP},
        {KC_HOST_LOADED, "EVIDENCE_UNREADABLE/loaded", "the loaded-kext list", O_LOADED},
        {KC_HOST_MDM, "EVIDENCE_UNREADABLE/mdm", "the MDM kext policy", O_MDM},
        {KC_HOST_OS, "EVIDENCE_UNREADABLE/os", "SystemVersion.plist", MK_O_OS},
        {KC_HOST_SYSEXTS, "EVIDENCE_UNREADABLE/sysexts", "the system extension database",
         O_SYSEXT},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        mk_model k;
        const kc_result *r;
        const kc_finding *f;
        char want[256];

        mk_init(&k);
        mk_unreadable(&k, cases[i].item, "why it failed");
        r = advise(&k);
        assert_int_equal(r->n_host_findings, 1);
        f = mk_host_finding(r, KC_F_EVIDENCE_UNREADABLE, cases[i].item);
        assert_string_equal(f->id, cases[i].id);
        assert_true(snprintf(want, sizeof(want), "%s could not be used: why it failed",
                             cases[i].label) > 0);
        mk_expect_message(f, want);
        assert_int_equal(f->evidence.n, 1);
        assert_string_equal(f->evidence.v[0], cases[i].origin);
        mk_free(&k);
    }
}

static void mdm_profile_words(void **state)
{
    (void)state;
    for (int allowed = -2; allowed <= 0; allowed += 2) {
        mk_model k;
        kc_vendor_evidence *ve = guard_vendor(&k);
        const kc_finding *f;

        mk_mdm_team(&k, OTHER);
        mk_mdm_team(&k, TEAM);
        if (allowed == 0)
            mk_policy(ve, TEAM, GUARD, 0, NULL);
        guard_both(ve, "1.0", "1.0");
        f = mk_finding(&advise(&k)->vendors[0], KC_F_MDM_PROFILE_ALLOWS, GUARD);
        mk_expect_message(f, GUARD);
        expect_step_at(f, 0, "Restart the Mac");
        mk_expect_step(f, "user-approved MDM");
        mk_expect_evidence(f, "MDM profile (" O_MDM "): allows team " TEAM
                              " (AllowedTeamIdentifiers)");
        mk_expect_evidence(f, allowed == 0 ? "KextPolicy: kext_policy row (" TEAM ", " GUARD
                                             ") has allowed = 0"
                                           : "KextPolicy: no kext_policy row");
        mk_free(&k);
    }
}

static void mdm_profile_unreadable_words(void **state)
{
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_finding *f;

    (void)state;
    ve = guard_vendor(&k);
    mk_mdm_team(&k, TEAM);
    mk_unreadable(&k, KC_HOST_MDM, "not a property list");
    guard_both(ve, "1.0", "1.0");
    f = mk_host_finding(advise(&k), KC_F_EVIDENCE_UNREADABLE, KC_HOST_MDM);
    assert_string_equal(f->id, "EVIDENCE_UNREADABLE/mdm");
    mk_expect_message(f, "the MDM kext policy");
    mk_expect_message(f, "not a property list");
    mk_free(&k);
}

static void mdm_profile_pair_words(void **state)
{
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_vendor_result *vr;

    (void)state;
    mk_init(&k);
    ve = mk_vendor(&k, "example", TEAM, mk_guard_filter, NULL);
    mk_mdm_kext(&k, TEAM, GUARD);
    mk_mdm_kext(&k, OTHER, FILTER);
    guard_both(ve, "1.0", "1.0");
    mk_bundle(ve, MK_INSTALLED, FILTER_PATH, FILTER, "1.0");
    mk_bundle(ve, MK_STAGED, STAGED_FILTER, FILTER, "1.0");
    vr = &advise(&k)->vendors[0];
    mk_expect_evidence(mk_finding(vr, KC_F_MDM_PROFILE_ALLOWS, GUARD), "(AllowedKernelExtensions)");
    mk_expect_message(mk_finding(vr, KC_F_KEXT_NO_POLICY_RECORD, FILTER), FILTER);
    mk_free(&k);
}

/* ---- system extensions --------------------------------------------------------- */

static void sysext_state_words(void **state)
{
    static const struct {
        const char *state;
        kc_code code;
        const char *remedy; /* NULL: no step */
    } cases[] = {
        {"activated_waiting_for_user", KC_F_SYSEXT_WAITING_FOR_USER, "click Allow"},
        {"activated_enabled", KC_F_SYSEXT_ACTIVE, NULL},
        {"activated_disabled", KC_F_SYSEXT_DISABLED, "Enable it"},
        {"activated_enabling", KC_F_SYSEXT_ENABLING, "Wait a minute"},
        {"activated_waiting_to_upgrade", KC_F_SYSEXT_WAITING_TO_UPGRADE,
         "Restart the Mac to finish the upgrade"},
        {"terminated_waiting_to_uninstall_on_reboot", KC_F_SYSEXT_UNINSTALL_PENDING,
         "finish the removal"},
        {"uninstalling", KC_F_SYSEXT_UNINSTALLING, "install " MK_VENDOR " again"},
        {"activated_frobnicating", KC_F_SYSEXT_STATE_UNKNOWN, "systemextensionsctl list"},
        {"", KC_F_SYSEXT_STATE_UNKNOWN, "systemextensionsctl list"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        mk_model k;
        const kc_vendor_result *vr;
        const kc_finding *f;
        char want[256];

        mk_init(&k);
        mk_vendor(&k, "example", TEAM, mk_guard, mk_sysext);
        mk_sysext_entry(&k, "com.other.sysext", OTHER, "activated_waiting_for_user");
        mk_sysext_entry(&k, SYSEXT, TEAM, cases[i].state);
        vr = &advise(&k)->vendors[0];
        f = mk_finding(vr, cases[i].code, SYSEXT);
        assert_true(snprintf(want, sizeof(want), "system extension " SYSEXT " ") > 0);
        mk_expect_message(f, want);
        assert_true(snprintf(want, sizeof(want), "(state %s)", cases[i].state) > 0);
        mk_expect_message(f, want);
        assert_true(snprintf(want, sizeof(want),
                             "system extensions (" O_SYSEXT "): " SYSEXT ", team " TEAM
                             ", state %s",
                             cases[i].state) > 0);
        mk_expect_evidence(f, want);
        if (cases[i].remedy != NULL) {
            mk_expect_step(f, cases[i].remedy);
            assert_ptr_equal(vr->next, f);
        } else {
            assert_int_equal(f->steps.n, 0);
            assert_null(vr->next);
        }
        mk_free(&k);
    }
}

static void sysext_not_read_words(void **state)
{
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_finding *f;

    (void)state;
    mk_init(&k);
    ve = mk_vendor(&k, "example", TEAM, mk_guard, mk_sysext);
    mk_sysext_entry(&k, SYSEXT, TEAM, "activated_enabled");
    mk_unreadable(&k, KC_HOST_SYSEXTS, "Permission denied");
    mk_present(ve, SUPPORT_DIR);
    f = mk_host_finding(advise(&k), KC_F_EVIDENCE_UNREADABLE, KC_HOST_SYSEXTS);
    assert_string_equal(f->id, "EVIDENCE_UNREADABLE/sysexts");
    mk_expect_message(f, "the system extension database could not be used: Permission denied");
    mk_expect_evidence(f, O_SYSEXT);
    mk_free(&k);
}

static void sysext_team_mismatch_words(void **state)
{
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_finding *f;

    (void)state;
    mk_init(&k);
    ve = mk_vendor(&k, "example", TEAM, mk_guard, mk_sysext);
    mk_sysext_entry(&k, SYSEXT, OTHER, "activated_enabled");
    mk_policy(ve, TEAM, GUARD, 1, NULL);
    guard_both(ve, "1.0", "1.0");
    f = mk_finding(&advise(&k)->vendors[0], KC_F_TEAM_MISMATCH, SYSEXT);
    mk_expect_message(f, "system extension " SYSEXT " is registered under team " OTHER
                         ", not " TEAM);
    mk_expect_step(f, "codesign -dv --verbose=4");
    mk_expect_step(f, "remove it if it is not " MK_VENDOR "'s");
    mk_expect_evidence(f, "system extensions (" O_SYSEXT "): " SYSEXT ", team " OTHER);
    mk_free(&k);
}

/* ---- Regressions: problems found in review, each fixed ------------------------ */

/* Fixed: SIP disabled and kext consent DISABLED together: the message lost
 * "and nothing is staged" and cited the consent status, not csrutil. */
static void regression_sip_and_consent_disabled(void **state)
{
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_finding *f;

    (void)state;
    ve = guard_vendor(&k);
    mk_sip(&k, KC_SIP_DISABLED, KC_NO);
    mk_consent(&k, KC_NO);
    mk_policy(ve, TEAM, GUARD, 1, NULL);
    guard_both(ve, "1.0", "1.0");
    f = mk_host_finding(advise(&k), KC_F_SIP_DISABLED, KC_HOST_SIP);
    mk_expect_message(f, "nothing is staged");
    mk_expect_evidence(f, "csrutil status (" O_SIP "): SIP disabled");
    assert_false(mk_evidence_has(f, "kext-consent"));
    mk_expect_step(f, "csrutil enable");
    mk_free(&k);
}

/* Kext Signing disabled counts as "approval not enforced", even when spctl
 * reads consent as ENABLED; the words say so. */
static void signing_off_means_approval_not_enforced(void **state)
{
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_finding *f;

    (void)state;
    ve = guard_vendor(&k);
    mk_sip(&k, KC_SIP_CUSTOM, KC_NO);
    mk_consent(&k, KC_YES);
    mk_policy(ve, TEAM, GUARD, 0, NULL);
    guard_both(ve, "1.0", "1.0");
    f = mk_host_finding(advise(&k), KC_F_KEXT_SIGNING_DISABLED, KC_HOST_SIP);
    mk_expect_message(f, "approval is not enforced");
    mk_free(&k);
}

/* Fixed (was latent): a system extension entry without a state is worded
 * "has no state".  Run in a child so a crash does not take the other tests
 * down; the child uses no cmocka assertion after the model is built. */
static void regression_sysext_null_state(void **state)
{
    pid_t pid;
    int status = 0;

    (void)state;
    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        mk_model k;
        kc_result r;
        kc_sysext *x;
        const kc_finding *f;
        int bad = 0;

        mk_init(&k);
        mk_vendor(&k, "example", TEAM, mk_guard, mk_sysext);
        x = mk_sysext_entry(&k, SYSEXT, TEAM, "activated_enabled");
        free(x->state);
        x->state = NULL;
        if (kc_judge(&k.m, &r) != 0 || kc_advise(&r) != 0 || r.vendors[0].n_findings != 1)
            _exit(1);
        f = &r.vendors[0].findings[0];
        if (f->message == NULL || strstr(f->message, "has no state (state none)") == NULL)
            bad |= 2;
        if (f->evidence.n != 1 || strstr(f->evidence.v[0], ", state none") == NULL)
            bad |= 4;
        if (f->steps.n != 1 || strstr(f->steps.v[0], "systemextensionsctl list") == NULL)
            bad |= 8;
        _exit(bad);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        print_error("kc_advise with a NULL sysext state: %s %d\n",
                    WIFSIGNALED(status) ? "signal" : "exit status",
                    WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pending_words),
        cmocka_unit_test(pending_developer_fallback),
        cmocka_unit_test(settings_pane_by_macos_version),
        cmocka_unit_test(mdm_words),
        cmocka_unit_test(installed_without_row_words),
        cmocka_unit_test(team_mismatch_words),
        cmocka_unit_test(not_installed_words),
        cmocka_unit_test_setup_teardown(stale_staged_words, setup_root, teardown_root),
        cmocka_unit_test_setup_teardown(stale_staged_inside_declared_folder_words, setup_root,
                                        teardown_root),
        cmocka_unit_test_setup_teardown(recovery_live_root, setup_root, teardown_root),
        cmocka_unit_test(recovery_guessed_disk_words),
        cmocka_unit_test_setup_teardown(recovery_collected_snapshot, setup_root, teardown_root),
        cmocka_unit_test(staged_missing_words),
        cmocka_unit_test(unreadable_bundle_words),
        cmocka_unit_test(db_words),
        cmocka_unit_test(db_query_failed_words),
        cmocka_unit_test(next_step_words),
        cmocka_unit_test(sip_disabled_words),
        cmocka_unit_test(kext_signing_disabled_words),
        cmocka_unit_test(consent_disabled_words),
        cmocka_unit_test(team_listed_words),
        cmocka_unit_test(not_loaded_staged_words),
        cmocka_unit_test(not_loaded_unstaged_words),
        cmocka_unit_test(regression_not_loaded_deletes_other_kexts_staged_folder),
        cmocka_unit_test(loaded_words),
        cmocka_unit_test(loaded_unreadable_words),
        cmocka_unit_test(evidence_unreadable_ids),
        cmocka_unit_test(mdm_profile_words),
        cmocka_unit_test(mdm_profile_unreadable_words),
        cmocka_unit_test(mdm_profile_pair_words),
        cmocka_unit_test(sysext_state_words),
        cmocka_unit_test(sysext_not_read_words),
        cmocka_unit_test(sysext_team_mismatch_words),
        /* Regressions found in review (see each test's comment). */
        cmocka_unit_test(regression_sip_and_consent_disabled),
        cmocka_unit_test(signing_off_means_approval_not_enforced),
        cmocka_unit_test(regression_sysext_null_state),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
