/*
 * libFuzzer harness for one property-list reader, chosen when compiling:
 * -DFUZZ_MDM_POLICY (kc_parse_kext_policy on the file's bytes, as the read
 * stage gives them to it), -DFUZZ_SYSTEM_VERSION (kc_read_system_version),
 * -DFUZZ_SYSEXT_DB (kc_read_sysext_db) or -DFUZZ_INFO_PLIST (a kext's
 * Contents/Info.plist through kc_bundles_scan).
 * The input is the file's content: it goes through kc_plist_parse in memory,
 * then is written to a file in a private temporary folder and read there as
 * kextcheck reads it.
 *
 * Besides crashes, leaks, undefined behaviour and libplist's assertions
 * (the abort the NUL checks exist for), it stops on a broken contract: a
 * result out of range, a refusal without a reason or that leaves something
 * known, accepted values that are not valid UTF-8 or break the reader's
 * rules (team IDs, versions, caps).  For the system extension database,
 * the in-place binary reader (bplist.c) must give libplist's answer for
 * every input it accepts.
 */
#include "fuzz_util.h"
#include "platform.h"
#ifdef FUZZ_SYSEXT_DB
#include "bplist.h"
#endif

#include <plist/plist.h>
#include <stdlib.h>
#include <string.h>

#if !defined(FUZZ_MDM_POLICY) && !defined(FUZZ_SYSTEM_VERSION) && \
    !defined(FUZZ_SYSEXT_DB) && !defined(FUZZ_INFO_PLIST)
#error "define FUZZ_MDM_POLICY, FUZZ_SYSTEM_VERSION, FUZZ_SYSEXT_DB or FUZZ_INFO_PLIST"
#endif

/* Where the input is written: made once, for the life of the process
 * (libFuzzer passes no context to the harness, hence file scope). */
static char *file_path;
#ifdef FUZZ_INFO_PLIST
static char *mac_root;
static kc_rootfs mac_fs; /* mac_root, opened once */
#endif

static void setup(void)
{
#ifdef FUZZ_INFO_PLIST
    char why[256];

    mac_root = fz_tmp_path("root");
    file_path = fz_tmp_path("root/A.kext/Contents/Info.plist");
    fz_mkdir_parents(file_path);
    if (kc_rootfs_open(&mac_fs, mac_root, why, sizeof(why)) != 0)
        fz_die("kc_rootfs_open", "%s", why);
#else
    file_path = fz_tmp_path("input.plist");
#endif
}

#ifdef FUZZ_INFO_PLIST
static void read_file(void)
{
    kc_bundles b = {NULL, 0, 0, false};
    const kc_bundle *k;

    if (kc_bundles_scan(&mac_fs, "/A.kext", &b) != 1)
        fz_die("kc_bundles_scan", "the kext folder was not found");
    if (b.n != 1)
        fz_die("kc_bundles_scan", "%zu bundles for one kext", b.n);
    k = &b.items[0];
    fz_check_utf8("path", k->path);
    if (k->bundle_id == NULL && k->error == NULL)
        fz_die("Info.plist", "no bundle ID and no reason");
    if (k->error != NULL)
        fz_check_utf8("error", k->error);
    if (k->bundle_id != NULL)
        fz_check_utf8("bundle ID", k->bundle_id);
    if (k->version != NULL)
        fz_check_utf8("version", k->version);
    if (k->short_version != NULL)
        fz_check_utf8("short version", k->short_version);
    kc_bundles_free(&b);
}
#elif defined(FUZZ_MDM_POLICY)
static void check_tri(const char *what, kc_tri t)
{
    if (t != KC_UNKNOWN && t != KC_NO && t != KC_YES)
        fz_die(what, "%d is not a kc_tri", (int)t);
}

static void read_file(void)
{
    kc_kext_policy p;
    char why[512], *data = NULL;
    size_t len = 0;
    int rc;

    memset(&p, 0, sizeof(p));
    memset(why, 'x', sizeof(why));
    if (kc_read_file(file_path, KC_PLIST_MAX, &data, &len, why, sizeof(why)) != 0) {
        fz_check_why(why, sizeof(why)); /* larger than KC_PLIST_MAX: kextcheck stops here too */
        return;
    }
    memset(why, 'x', sizeof(why));
    rc = kc_parse_kext_policy(data, len, &p, why, sizeof(why));
    if (rc == 0) {
        check_tri("AllowUserOverrides", p.allow_user_overrides);
        check_tri("AllowNonAdminUserApprovals", p.allow_non_admin_approvals);
        for (size_t i = 0; i < p.allowed_teams.n; i++)
            fz_check_team("AllowedTeamIdentifiers", p.allowed_teams.v[i]);
        if (p.allowed.n != 0 && p.allowed.v == NULL)
            fz_die("AllowedKernelExtensions", "count and array disagree");
        for (size_t i = 0; i < p.allowed.n; i++) {
            const kc_team_ids *t = &p.allowed.v[i];
            if (t->team_id == NULL || t->team_id[0] != '\0')
                fz_check_team("AllowedKernelExtensions key", t->team_id);
            for (size_t j = 0; j < t->ids.n; j++) {
                fz_check_utf8("AllowedKernelExtensions bundle ID", t->ids.v[j]);
                if (t->ids.v[j][0] == '\0')
                    fz_die("AllowedKernelExtensions", "an empty bundle ID");
            }
        }
    } else if (rc == -1) {
        fz_check_why(why, sizeof(why));
        if (p.allow_user_overrides != KC_UNKNOWN || p.allow_non_admin_approvals != KC_UNKNOWN ||
            p.allowed_teams.n != 0 || p.allowed.v != NULL || p.allowed.n != 0)
            fz_die("kc_parse_kext_policy", "a refused input left something known");
    } else {
        fz_die("kc_parse_kext_policy", "returned %d", rc);
    }
    kc_kext_policy_free(&p);
    free(data);
}
#else
static void check_accepted(const kc_evidence *ev)
{
#if defined(FUZZ_SYSTEM_VERSION)
    fz_check_utf8("ProductVersion", ev->os_version);
    if (ev->os_major < 0 || ev->os_major > 9999 || ev->os_minor < 0 || ev->os_minor > 9999)
        fz_die("ProductVersion", "%d.%d", ev->os_major, ev->os_minor);
#elif defined(FUZZ_SYSEXT_DB)
    if (ev->n_sysexts > 10000 || (ev->n_sysexts != 0) != (ev->sysexts != NULL))
        fz_die("extensions", "%zu entries", ev->n_sysexts);
    for (size_t i = 0; i < ev->n_sysexts; i++) {
        fz_check_utf8("identifier", ev->sysexts[i].identifier);
        fz_check_utf8("teamID", ev->sysexts[i].team_id);
        fz_check_utf8("state", ev->sysexts[i].state);
        if (ev->sysexts[i].version != NULL)
            fz_check_utf8("version", ev->sysexts[i].version);
    }
#endif
}

static void read_file(void)
{
    kc_evidence ev;
    char why[512];
    int rc;

    fz_evidence_init(&ev);
    memset(why, 'x', sizeof(why));
#if defined(FUZZ_SYSTEM_VERSION)
    rc = kc_read_system_version(file_path, &ev, why, sizeof(why));
#else
    rc = kc_read_sysext_db(file_path, &ev, why, sizeof(why));
#endif
    if (rc == 1) {
        check_accepted(&ev);
    } else if (rc == -1) {
        fz_check_why(why, sizeof(why));
        fz_check_all_unknown(&ev);
    } else {
        fz_die("reader", "returned %d for a file that exists", rc);
    }
    kc_evidence_free(&ev);
}
#endif

#ifdef FUZZ_SYSEXT_DB
static bool same_text(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* The in-place reader, when it takes the input, answers as libplist does. */
static void compare_readers(const uint8_t *data, size_t size)
{
    kc_evidence fast, slow;
    char why_fast[512], why_slow[512];
    int rf, rs;

    fz_evidence_init(&fast);
    fz_evidence_init(&slow);
    rf = kc_sysext_db_parse((const char *)data, size, KC_SYSEXT_BPLIST, &fast, why_fast,
                            sizeof(why_fast));
    if (rf != 2) {
        rs = kc_sysext_db_parse((const char *)data, size, KC_SYSEXT_LIBPLIST, &slow, why_slow,
                                sizeof(why_slow));
        if (rf != rs || (rs == -1 && strcmp(why_fast, why_slow) != 0))
            fz_die("bplist", "in place %d (%s), libplist %d (%s)", rf,
                   rf == -1 ? why_fast : "", rs, rs == -1 ? why_slow : "");
        if (fast.n_sysexts != slow.n_sysexts ||
            fast.sysexts_truncated != slow.sysexts_truncated)
            fz_die("bplist", "%zu entries in place, %zu through libplist", fast.n_sysexts,
                   slow.n_sysexts);
        for (size_t i = 0; i < slow.n_sysexts; i++)
            if (!same_text(fast.sysexts[i].identifier, slow.sysexts[i].identifier) ||
                !same_text(fast.sysexts[i].team_id, slow.sysexts[i].team_id) ||
                !same_text(fast.sysexts[i].state, slow.sysexts[i].state) ||
                !same_text(fast.sysexts[i].version, slow.sysexts[i].version))
                fz_die("bplist", "entry %zu differs from libplist's", i);
    }
    kc_evidence_free(&fast);
    kc_evidence_free(&slow);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char why[512];
    void *root;

    if (file_path == NULL)
        setup();
    memset(why, 'x', sizeof(why));
    root = kc_plist_parse((const char *)data, size, why, sizeof(why));
    if (root != NULL)
        plist_free(root);
    else
        fz_check_why(why, sizeof(why));
#ifdef FUZZ_SYSEXT_DB
    compare_readers(data, size);
#endif
    fz_write(file_path, data, size);
    read_file();
    return 0;
}
