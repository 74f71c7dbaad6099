/*
 * Diagnosis: from the evidence for one vendor to a status and findings.
 *
 * Findings carry the step of Trend Micro Solution 1120622 they belong to, so
 * the report can put them in the article's order:
 *   1  Allow in Security & Privacy, restart
 *   2  uninstall and reinstall
 *   3  delete the staged copy from Recovery, reinstall
 *   4  check the approval database itself
 *   5  add the team to the kext-consent list from Recovery
 * Step 0 holds what outranks the article: approval not enforced at all, a
 * bundle ID recorded under another team.  Each finding also cites the
 * evidence it stands on.
 */
#include "kc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
    STEP_FIRST = 0,
    STEP_ALLOW = 1,
    STEP_REINSTALL = 2,
    STEP_STAGED = 3,
    STEP_DATABASE = 4,
    STEP_CONSENT = 5
};

const char *kc_severity_name(kc_severity s)
{
    switch (s) {
    case KC_SEV_OK:
        return "ok";
    case KC_SEV_UNKNOWN:
        return "unknown";
    case KC_SEV_WARNING:
        return "warning";
    case KC_SEV_CRITICAL:
        return "critical";
    }
    return "unknown";
}

const char *kc_status_name(kc_status s)
{
    switch (s) {
    case KC_STATUS_OK:
        return "ok";
    case KC_STATUS_WARNING:
        return "warning";
    case KC_STATUS_CRITICAL:
        return "critical";
    case KC_STATUS_UNKNOWN:
        return "unknown";
    case KC_STATUS_NOT_INSTALLED:
        return "not_installed";
    }
    return "unknown";
}

const char *kc_policy_name(kc_policy p)
{
    switch (p) {
    case KC_POLICY_ALLOWED:
        return "allowed";
    case KC_POLICY_PENDING:
        return "pending";
    case KC_POLICY_MDM:
        return "mdm";
    case KC_POLICY_NONE:
        return "none";
    case KC_POLICY_UNKNOWN:
        return "unknown";
    }
    return "unknown";
}

/* Adds a finding.  message and the n remediation steps are owned strings,
 * freed here in every case; a NULL among them (out of memory) fails the
 * call. */
static int add_finding(kc_vendor_result *r, const char *code, kc_severity sev, int step,
                       const char *kext, char *message, char **steps, size_t n)
{
    kc_finding *f;
    int rc = -1;

    for (size_t i = 0; i < n; i++)
        if (steps[i] == NULL)
            goto done;
    f = realloc(r->findings, (r->n_findings + 1) * sizeof(*f));
    if (f == NULL)
        goto done;
    r->findings = f;
    f = &r->findings[r->n_findings];
    memset(f, 0, sizeof(*f));
    if (message == NULL)
        goto done;
    f->code = code;
    f->severity = sev;
    f->step = step;
    f->kext = kext ? kc_strdup(kext) : NULL;
    f->message = message;
    message = NULL;
    r->n_findings++;
    if (kext != NULL && f->kext == NULL)
        goto done;
    for (size_t i = 0; i < n; i++)
        if (kc_strv_push(&f->remediation, steps[i]) != 0)
            goto done;
    rc = 0;
done:
    free(message);
    for (size_t i = 0; i < n; i++)
        free(steps[i]);
    return rc;
}

/* Adds a line of evidence to the finding added last. */
static int cite(kc_vendor_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int cite(kc_vendor_result *r, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;

    if (r->n_findings == 0)
        return -1;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    return kc_strv_push(&r->findings[r->n_findings - 1].evidence, buf);
}

/* "origin" of a source, or a placeholder. */
static const char *origin_of(const kc_source *src)
{
    return src->origin ? src->origin : "(not read)";
}

/* Where approvals are clicked, by macOS version when it is known. */
static const char *settings_pane(const kc_check_input *in)
{
    const kc_evidence *ev = in ? in->ev : NULL;

    if (ev == NULL || !ev->os_src.ok || ev->os_major == 0)
        return "System Preferences > Security & Privacy > General (System Settings > "
               "Privacy & Security on macOS 13 and later)";
    return ev->os_major >= 13 ? "System Settings > Privacy & Security"
                              : "System Preferences > Security & Privacy > General";
}

static const char *developer_of(const kc_vendor *v, const kc_policy_row *row)
{
    if (row != NULL && row->developer_name != NULL && row->developer_name[0] != '\0')
        return row->developer_name;
    return v->developer_name ? v->developer_name : v->vendor;
}

static char *reinstall_step(const kc_vendor *v)
{
    return kc_asprintf("If that does not help, uninstall %s, restart, and install it again.",
                       v->vendor);
}

static int cite_row(kc_vendor_result *r, const kc_kext_result *k)
{
    if (k->row == NULL)
        return cite(r, "KextPolicy: no kext_policy row for team %s and %s",
                    r->vendor->team_id, k->bundle_id);
    if (k->row->has_flags)
        return cite(r, "KextPolicy: kext_policy row (%s, %s) has allowed = %d, flags %lld",
                    r->vendor->team_id, k->bundle_id, k->row->allowed, k->row->flags);
    return cite(r, "KextPolicy: kext_policy row (%s, %s) has allowed = %d",
                r->vendor->team_id, k->bundle_id, k->row->allowed);
}

static int cite_bundle(kc_vendor_result *r, const char *what, const kc_bundle *b)
{
    if (b == NULL)
        return cite(r, "files: no %s copy found", what);
    return cite(r, "files: %s copy %s, version %s", what, b->path,
                b->version ? b->version : b->short_version ? b->short_version : "unknown");
}

static int finding_pending(kc_vendor_result *r, const kc_check_input *in,
                           const kc_kext_result *k)
{
    const kc_vendor *v = r->vendor;
    char *steps[4];

    steps[0] = kc_asprintf(
        "Open %s, click the lock and authenticate, click Allow beside System software "
        "from developer \"%s\" was blocked from loading, then restart the Mac.",
        settings_pane(in), developer_of(v, k->row));
    steps[1] = kc_strdup(
        "No Allow button? Restart the Mac and look again: the button disappears 30 "
        "minutes after installation and a restart brings it back. When several "
        "developers are listed, allow the others as well; this one may show up only "
        "after them.");
    steps[2] = reinstall_step(v);
    steps[3] = NULL;
    if (add_finding(r, "KEXT_PENDING_APPROVAL", KC_SEV_CRITICAL, STEP_ALLOW, k->bundle_id,
                    kc_asprintf("%s tried to load and is waiting for approval "
                                "(kext_policy.allowed = 0)",
                                k->bundle_id),
                    steps, 3) != 0)
        return -1;
    return cite_row(r, k);
}

static int finding_no_record(kc_vendor_result *r, const kc_check_input *in,
                             const kc_kext_result *k)
{
    const kc_vendor *v = r->vendor;
    char *steps[3];

    steps[0] = kc_asprintf(
        "Restart the Mac: the kext's first attempt to load records it and brings up the "
        "Allow button for \"%s\" in %s; click it and restart again.",
        developer_of(v, NULL), settings_pane(in));
    steps[1] = reinstall_step(v);
    steps[2] = NULL;
    if (add_finding(
            r, "KEXT_NO_POLICY_RECORD", KC_SEV_WARNING, STEP_ALLOW, k->bundle_id,
            kc_asprintf("%s is installed but the approval database has no record of it: it "
                        "has not tried to load yet, or its approval was never recorded",
                        k->bundle_id),
            steps, 2) != 0 ||
        cite_row(r, k) != 0)
        return -1;
    return cite_bundle(r, "installed", k->installed ? k->installed : k->staged);
}

/* The folder a shell in macOS Recovery sees the Mac's /Library under.  For
 * the Mac itself (--root /) and for a collected snapshot, that is its
 * startup disk under /Volumes (the "- Data" volume from macOS 10.15 on);
 * for a mounted disk, the folder given.  *guessed tells that the disk's name
 * is an assumption the admin must check. */
static char *recovery_prefix(const kc_check_input *in, bool *guessed)
{
    char resolved[PATH_MAX];
    struct stat st;
    bool collected;
    const kc_evidence *ev = in->ev;
    size_t n;

    *guessed = false;
    collected = kc_rootfs_stat(in->fs, "/" KC_CAPTURE_DIR "/manifest.json", &st) == 0;
    kc_snprintf(resolved, sizeof(resolved), "%s", in->fs->real);
    if (collected || strcmp(resolved, "/") == 0) {
        bool data = ev && ev->os_src.ok &&
                    (ev->os_major > 10 || (ev->os_major == 10 && ev->os_minor >= 15));
        *guessed = true;
        return kc_strdup(data ? "/Volumes/Macintosh HD - Data" : "/Volumes/Macintosh HD");
    }
    n = strlen(resolved);
    if (n > 1 && resolved[n - 1] == '/')
        resolved[n - 1] = '\0';
    return kc_strdup(resolved);
}

/* The declared staged folder that holds bundle path p (or p itself). */
static const char *staged_folder_of(const kc_vendor *v, const char *p)
{
    for (size_t i = 0; i < v->staged_paths.n; i++) {
        const char *s = v->staged_paths.v[i];
        size_t n = strlen(s);
        if (strncmp(p, s, n) == 0 && (p[n] == '/' || p[n] == '\0'))
            return s;
    }
    return p;
}

static const char *version_of(const kc_bundle *b)
{
    return b->version ? b->version : b->short_version;
}

/* The article's staged-copy step: uninstall, back up and delete the staged
 * folder from Recovery (exact commands, the root's path quoted), reinstall. */
static int staged_steps(const kc_vendor *v, const char *folder, const kc_check_input *in,
                        char *steps[6])
{
    bool guessed;
    char *prefix = recovery_prefix(in, &guessed);
    char *src = NULL, *bak = NULL, *qsrc = NULL, *qbak = NULL;
    int rc = -1;

    memset(steps, 0, 6 * sizeof(char *));
    if (prefix == NULL)
        goto done;
    src = kc_asprintf("%s%s", prefix, folder);
    bak = kc_asprintf("%s_bak", src ? src : "");
    qsrc = src ? kc_shell_quote(src) : NULL;
    qbak = bak ? kc_shell_quote(bak) : NULL;
    if (qsrc == NULL || qbak == NULL)
        goto done;
    steps[0] = kc_asprintf("Uninstall %s, then delete its staged copy from macOS Recovery "
                           "as the next steps show.", v->vendor);
    steps[1] = kc_asprintf(
        "Start macOS Recovery (Intel: restart holding Command-R; Apple silicon: hold the "
        "power button, then Options); in Disk Utility mount the startup disk, quit Disk "
        "Utility and open Utilities > Terminal.%s",
        guessed ? " The commands below assume the disk is named \"Macintosh HD\": use the "
                  "name it has under /Volumes."
                : "");
    steps[2] = kc_asprintf("Back up the staged folder: cp -R %s %s", qsrc, qbak);
    steps[3] = kc_asprintf("Delete it: rm -rf %s", qsrc);
    steps[4] = kc_asprintf("Restart the Mac and install %s again.", v->vendor);
    rc = 0;
    for (int i = 0; i < 5; i++)
        if (steps[i] == NULL)
            rc = -1;
done:
    if (rc != 0)
        for (int i = 0; i < 6; i++) {
            free(steps[i]);
            steps[i] = NULL;
        }
    free(prefix);
    free(src);
    free(bak);
    free(qsrc);
    free(qbak);
    return rc;
}

static int finding_stale(kc_vendor_result *r, const kc_kext_result *k, const kc_check_input *in)
{
    const kc_vendor *v = r->vendor;
    char *steps[6];

    if (staged_steps(v, staged_folder_of(v, k->staged->path), in, steps) != 0)
        return -1;
    if (add_finding(r, "STAGED_COPY_STALE", KC_SEV_CRITICAL, STEP_STAGED, k->bundle_id,
                    kc_asprintf("the staged copy of %s is version %s but the installed "
                                "copy is version %s: macOS loads the stale staged copy",
                                k->bundle_id, version_of(k->staged), version_of(k->installed)),
                    steps, 5) != 0 ||
        cite_bundle(r, "installed", k->installed) != 0)
        return -1;
    return cite_bundle(r, "staged", k->staged);
}

static int finding_staged_missing(kc_vendor_result *r, const kc_kext_result *k)
{
    const kc_vendor *v = r->vendor;
    char *steps[3];

    steps[0] = kc_strdup("Restart the Mac: macOS copies an approved kext into "
                         "/Library/StagedExtensions when it loads it.");
    steps[1] = kc_asprintf("If the copy is still missing, check that /Library/StagedExtensions "
                           "exists and belongs to root:wheel, then uninstall %s, restart, and "
                           "install it again.",
                           v->vendor);
    steps[2] = NULL;
    if (add_finding(r, "STAGED_COPY_MISSING", KC_SEV_WARNING, STEP_REINSTALL, k->bundle_id,
                    kc_asprintf("%s is approved and installed at %s, but has no staged "
                                "copy under /Library/StagedExtensions",
                                k->bundle_id, k->installed->path),
                    steps, 2) != 0 ||
        cite_bundle(r, "installed", k->installed) != 0)
        return -1;
    return cite(r, "files: no copy of %s under the staged paths", k->bundle_id);
}

static int findings_database(kc_vendor_result *r, const kc_check_input *in)
{
    const kc_policydb *db = in->db;
    char *steps[3] = {NULL};

    if (r->query_error != NULL || (db->state != KC_DB_OK && db->state != KC_DB_NO_TABLES)) {
        const char *why = r->query_error ? r->query_error : db->error;
        if (db->state == KC_DB_MISSING) {
            steps[0] = kc_strdup(
                "Run kextcheck on the Mac itself (sudo kextcheck), or collect the case "
                "again with /var/db/SystemPolicyConfiguration/KextPolicy and its -wal and "
                "-shm files.");
        } else if (db->state == KC_DB_CORRUPT) {
            steps[0] = kc_strdup(
                "The approval database is damaged, so macOS cannot record approvals: keep "
                "a copy of KextPolicy with its -wal and -shm files for Apple or the vendor's "
                "support.");
        } else {
            steps[0] = kc_strdup(
                "Run kextcheck as root (reading the approval database needs it), or collect "
                "the case again with KextPolicy and its -wal and -shm files.");
        }
        if (add_finding(r, "POLICY_DB_UNREADABLE", KC_SEV_UNKNOWN, STEP_DATABASE, NULL,
                        kc_asprintf("the approval database %s could not be read: %s",
                                    db->path ? db->path : "(none)", why ? why : "unknown"),
                        steps, 1) != 0)
            return -1;
        return cite(r, "KextPolicy: state %s", kc_db_state_name(db->state));
    }
    if (db->state == KC_DB_NO_TABLES) {
        steps[0] = kc_strdup(
            "Check the approval in System Preferences > Security & Privacy (System "
            "Settings > Privacy & Security on macOS 13 and later): this database does "
            "not hold it.");
        return add_finding(r, "POLICY_TABLES_MISSING", KC_SEV_UNKNOWN, STEP_DATABASE, NULL,
                           kc_asprintf("the approval database %s has no approval tables: %s",
                                       db->path ? db->path : "(none)",
                                       db->error ? db->error : "unknown"),
                           steps, 1);
    }
    return 0;
}

/* A kext bundle under the vendor's paths whose Info.plist is unusable. */
static int findings_bundles(kc_vendor_result *r, const kc_bundles *b)
{
    for (size_t i = 0; i < b->n; i++) {
        const kc_bundle *k = &b->items[i];
        char *steps[3];
        if (k->error == NULL)
            continue;
        steps[0] = kc_asprintf("Uninstall %s, restart, and install it again: a kext bundle "
                               "with a damaged Info.plist cannot be approved or loaded.",
                               r->vendor->vendor);
        steps[1] = kc_strdup("If the damaged bundle is under /Library/StagedExtensions, "
                             "delete the staged folder from macOS Recovery before "
                             "installing again.");
        steps[2] = NULL;
        if (add_finding(r, "BUNDLE_UNREADABLE", KC_SEV_WARNING, STEP_REINSTALL, k->bundle_id,
                        kc_asprintf("%s: %s", k->path, k->error), steps, 2) != 0)
            return -1;
    }
    return 0;
}

static const kc_bundle *find_bundle(const kc_bundles *b, const char *id)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->items[i].bundle_id && strcmp(b->items[i].bundle_id, id) == 0)
            return &b->items[i];
    return NULL;
}

static bool same(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static void match_rows(const kc_vendor *v, const kc_policy_rows *rows, kc_kext_result *k)
{
    for (size_t i = 0; i < rows->n_policy && !k->row; i++)
        if (same(rows->policy[i].team_id, v->team_id) &&
            same(rows->policy[i].bundle_id, k->bundle_id))
            k->row = &rows->policy[i];
    for (size_t i = 0; i < rows->n_mdm && !k->mdm; i++) {
        const kc_mdm_row *m = &rows->mdm[i];
        if (same(m->team_id, v->team_id) && m->allowed == 1 &&
            (m->bundle_id == NULL || m->bundle_id[0] == '\0' ||
             strcmp(m->bundle_id, k->bundle_id) == 0))
            k->mdm = m;
    }
    for (size_t i = 0; i < rows->n_history; i++) {
        const kc_history_row *h = &rows->history[i];
        if (!same(h->team_id, v->team_id) || !same(h->bundle_id, k->bundle_id))
            continue;
        if (k->history == NULL ||
            (h->last_seen && (!k->history->last_seen ||
                              strcmp(h->last_seen, k->history->last_seen) > 0)))
            k->history = h;
    }
}

/* Rows of the team, or of one of its bundle IDs under any team (which
 * TEAM_MISMATCH then reports). */
static bool team_has_rows(const kc_vendor *v, const kc_policy_rows *rows)
{
    for (size_t i = 0; i < rows->n_policy; i++)
        if (same(rows->policy[i].team_id, v->team_id) ||
            (rows->policy[i].bundle_id && kc_strv_contains(&v->kexts, rows->policy[i].bundle_id)))
            return true;
    for (size_t i = 0; i < rows->n_history; i++)
        if (same(rows->history[i].team_id, v->team_id) ||
            (rows->history[i].bundle_id &&
             kc_strv_contains(&v->kexts, rows->history[i].bundle_id)))
            return true;
    return false;
}

/* Actionable findings first, in the article's order, worst first within a
 * step; then what is fine. */
static int finding_rank(const kc_finding *f)
{
    if (f->severity == KC_SEV_OK)
        return 1000;
    return f->step * 10 + (KC_SEV_CRITICAL - (int)f->severity);
}

static void sort_findings(kc_vendor_result *r)
{
    /* Insertion sort: stable, and the lists are short. */
    for (size_t i = 1; i < r->n_findings; i++) {
        kc_finding f = r->findings[i];
        size_t j = i;
        while (j > 0 && finding_rank(&r->findings[j - 1]) > finding_rank(&f)) {
            r->findings[j] = r->findings[j - 1];
            j--;
        }
        r->findings[j] = f;
    }
}

/* A staged bundle that could not be read may be the "missing" copy. */
static bool any_unreadable(const kc_bundles *b)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->items[i].error != NULL)
            return true;
    return false;
}

/* What the other evidence says about enforcement, for this vendor. */
typedef struct enforcement {
    bool sip_off;        /* SIP disabled: no approval, no staging */
    bool signing_off;    /* Kext Signing disabled: no approval, no staging */
    bool consent_off;    /* kext consent DISABLED: no approval needed */
    bool team_listed;    /* the team is on the kext-consent list */
} enforcement;

static enforcement enforcement_of(const kc_evidence *ev, const kc_vendor *v)
{
    enforcement e = {false, false, false, false};

    if (ev == NULL)
        return e;
    e.sip_off = ev->sip_src.ok && ev->sip == KC_SIP_DISABLED;
    e.signing_off = ev->sip_src.ok && !e.sip_off && ev->kext_signing == KC_NO;
    e.consent_off = ev->consent_status_src.ok && ev->consent_enabled == KC_NO;
    e.team_listed = ev->consent_list_src.ok && kc_strv_contains(&ev->consent_teams, v->team_id);
    return e;
}

/* Whether a user's approval is needed for this team's kexts at all. */
static bool approval_needed(const enforcement *e)
{
    return !e->sip_off && !e->signing_off && !e->consent_off && !e->team_listed;
}

static bool staging_applies(const enforcement *e)
{
    return !e->sip_off && !e->signing_off;
}

static int finding_mdm_profile(kc_vendor_result *r, const kc_check_input *in,
                               const kc_kext_result *k)
{
    char *steps[3];

    steps[0] = kc_strdup("Restart the Mac: syspolicyd records the profile's approval when "
                         "the kext next tries to load.");
    steps[1] = kc_strdup("If it is still not recorded, check that the profile was installed "
                         "through a user-approved MDM enrollment: macOS ignores kext "
                         "policies from other profiles.");
    steps[2] = NULL;
    if (add_finding(r, "MDM_PROFILE_ALLOWS", KC_SEV_WARNING, STEP_ALLOW, k->bundle_id,
                    kc_asprintf("the installed MDM profile allows %s, but the approval "
                                "database has not recorded that approval yet",
                                k->bundle_id),
                    steps, 2) != 0 ||
        cite(r, "MDM profile (%s): allows team %s%s", origin_of(&in->ev->mdm_src),
             r->vendor->team_id,
             kc_strv_contains(&in->ev->mdm_teams, r->vendor->team_id) ? " (AllowedTeamIdentifiers)"
                                                                     : " (AllowedKernelExtensions)") != 0)
        return -1;
    return cite_row(r, k);
}

static int finding_loaded(kc_vendor_result *r, const kc_check_input *in,
                          const kc_kext_result *k, const enforcement *e)
{
    const kc_vendor *v = r->vendor;
    const kc_evidence *ev = in->ev;
    char *steps[6] = {NULL};
    const char *folder = NULL;
    size_t n_steps;

    if (k->loaded == KC_YES) {
        if (add_finding(r, "KEXT_LOADED", KC_SEV_OK, 0, k->bundle_id,
                        kc_asprintf("%s is loaded (version %s)", k->bundle_id,
                                    k->loaded_entry->version ? k->loaded_entry->version : "?"),
                        NULL, 0) != 0)
            return -1;
        return cite(r, "%s (%s): %s is listed", kc_capture_label(KC_CAP_LOADED),
                    origin_of(&ev->loaded_src), k->bundle_id);
    }
    /* The staged-copy step names this kext's own staged folder, never
     * another's: without a staged copy of it, reinstalling is the step. */
    if (k->staged != NULL && staging_applies(e))
        folder = staged_folder_of(v, k->staged->path);
    if (folder != NULL) {
        if (staged_steps(v, folder, in, steps) != 0)
            return -1;
        n_steps = 5;
    } else {
        steps[0] = kc_asprintf("Uninstall %s, restart, and install it again.", v->vendor);
        steps[1] = kc_asprintf("If it still does not load, collect the case (kextcheck "
                               "collect) for %s's support.", v->vendor);
        n_steps = 2;
    }
    if (add_finding(r, "KEXT_NOT_LOADED", KC_SEV_CRITICAL,
                    folder ? STEP_STAGED : STEP_REINSTALL, k->bundle_id,
                    kc_asprintf("%s is %s but not loaded", k->bundle_id,
                                approval_needed(e) ? "approved" : "allowed to load"),
                    steps, n_steps) != 0)
        return -1;
    if ((k->policy == KC_POLICY_ALLOWED || k->policy == KC_POLICY_PENDING) && cite_row(r, k) != 0)
        return -1;
    if (k->policy == KC_POLICY_MDM && cite(r, "KextPolicy: kext_policy_mdm approves it") != 0)
        return -1;
    if (cite(r, "%s (%s): %s is not among %zu loaded kexts", kc_capture_label(KC_CAP_LOADED),
             origin_of(&ev->loaded_src), k->bundle_id, ev->n_loaded) != 0 ||
        cite_bundle(r, "installed", k->installed ? k->installed : k->staged) != 0)
        return -1;
    if (ev->sip_src.ok)
        return cite(r, "csrutil status (%s): SIP %s, Kext Signing %s%s", origin_of(&ev->sip_src),
                    ev->sip == KC_SIP_ENABLED    ? "enabled"
                    : ev->sip == KC_SIP_DISABLED ? "disabled"
                    : ev->sip == KC_SIP_CUSTOM   ? "custom configuration"
                                                 : "unknown",
                    ev->kext_signing == KC_YES  ? "enabled"
                    : ev->kext_signing == KC_NO ? "disabled"
                                                : "unknown",
                    staging_applies(e) ? " (kexts are staged)" : " (nothing is staged)");
    return 0;
}

static int kext_findings(kc_vendor_result *r, const kc_check_input *in, kc_kext_result *k,
                         bool any_identified)
{
    const kc_vendor *v = r->vendor;
    enforcement e = enforcement_of(in->ev, v);
    bool need = approval_needed(&e);
    bool on_disk = k->installed || k->staged;
    int rc = 0;

    switch (k->policy) {
    case KC_POLICY_ALLOWED:
        rc = add_finding(r, "KEXT_APPROVED", KC_SEV_OK, 0, k->bundle_id,
                         kc_asprintf("%s is approved (kext_policy.allowed = 1)", k->bundle_id),
                         NULL, 0);
        if (rc == 0)
            rc = cite_row(r, k);
        break;
    case KC_POLICY_MDM:
        rc = add_finding(
            r, "KEXT_APPROVED_MDM", KC_SEV_OK, 0, k->bundle_id,
            kc_asprintf("%s is approved by an MDM profile (kext_policy_mdm, %s)", k->bundle_id,
                        k->mdm->bundle_id && k->mdm->bundle_id[0] ? "this kext"
                                                                  : "the whole team"),
            NULL, 0);
        if (rc == 0)
            rc = cite(r, "KextPolicy: kext_policy_mdm row for team %s%s%s", v->team_id,
                      k->mdm->bundle_id && k->mdm->bundle_id[0] ? " and " : " (all kexts)",
                      k->mdm->bundle_id && k->mdm->bundle_id[0] ? k->mdm->bundle_id : "");
        break;
    case KC_POLICY_PENDING:
        /* Without enforcement, or with the profile covering it, the row is
         * not what stops the kext: the vendor-level finding says so. */
        /* A loaded kext is not waiting, whatever the row says. */
        if (k->loaded == KC_YES)
            break;
        if (k->mdm_profile)
            rc = finding_mdm_profile(r, in, k);
        else if (need)
            rc = finding_pending(r, in, k);
        break;
    case KC_POLICY_NONE:
        if (!(on_disk || k->history ||
              (!any_identified && r->installed_bundles.n + r->staged_bundles.n > 0)))
            break;
        if (k->mdm_profile)
            rc = finding_mdm_profile(r, in, k);
        else if (need && k->loaded != KC_YES)
            rc = finding_no_record(r, in, k);
        break;
    case KC_POLICY_UNKNOWN:
        if (k->row != NULL && k->row->allowed < 0) {
            char *steps[] = {kc_strdup("Look at the row with sqlite3 before acting: "
                                       "macOS writes only 1 (allowed) or 0 (waiting)."),
                             NULL};
            rc = add_finding(r, "POLICY_ROW_UNEXPECTED", KC_SEV_UNKNOWN, STEP_DATABASE,
                             k->bundle_id,
                             kc_asprintf("the kext_policy row of %s holds an allowed value "
                                         "that is neither 1 nor 0",
                                         k->bundle_id),
                             steps, 1);
        }
        break;
    }
    if (rc != 0)
        return rc;
    /* Versions are compared only when both copies were read cleanly. */
    if (staging_applies(&e) && k->installed && k->staged && !k->installed->error &&
        !k->staged->error &&
        version_of(k->installed) && version_of(k->staged) &&
        !same(version_of(k->installed), version_of(k->staged)))
        return finding_stale(r, k, in);
    if (k->loaded == KC_YES ||
        (k->loaded == KC_NO && on_disk &&
         (k->policy == KC_POLICY_ALLOWED || k->policy == KC_POLICY_MDM || !need)))
        return finding_loaded(r, in, k, &e);
    if (k->installed && !k->staged && v->staged_paths.n > 0 && staging_applies(&e) &&
        !any_unreadable(&r->staged_bundles) &&
        (k->policy == KC_POLICY_ALLOWED || k->policy == KC_POLICY_MDM))
        return finding_staged_missing(r, k);
    return 0;
}

/* Approval not enforced on this Mac: say so instead of blaming the database. */
static int findings_enforcement(kc_vendor_result *r, const kc_check_input *in)
{
    const kc_vendor *v = r->vendor;
    const kc_evidence *ev = in->ev;
    enforcement e = enforcement_of(ev, v);
    const char *code = NULL, *what = NULL;
    char *steps[3] = {NULL};

    if (ev == NULL)
        return 0;
    if (e.team_listed && !e.sip_off && !e.signing_off && !e.consent_off) {
        if (add_finding(r, "CONSENT_TEAM_LISTED", KC_SEV_OK, 0, NULL,
                        kc_asprintf("team %s is on the kext-consent list: its kexts load "
                                    "without the user's approval",
                                    v->team_id),
                        NULL, 0) != 0)
            return -1;
        return cite(r, "spctl kext-consent list (%s): %s is listed",
                    origin_of(&ev->consent_list_src), v->team_id);
    }
    if (e.sip_off) {
        code = "SIP_DISABLED";
        what = "System Integrity Protection is disabled";
    } else if (e.signing_off) {
        code = "KEXT_SIGNING_DISABLED";
        what = "SIP's Kext Signing protection is disabled";
    } else if (e.consent_off) {
        code = "CONSENT_DISABLED";
        what = "kext user consent is disabled";
    } else {
        return 0;
    }
    steps[0] = kc_asprintf("Approval is not what stops %s here. If it still cannot start "
                           "its protection, uninstall it, restart, and install it again.",
                           v->vendor);
    steps[1] = kc_strdup(e.consent_off && !e.sip_off && !e.signing_off
                             ? "To require approval again, run 'spctl kext-consent enable' "
                               "from macOS Recovery and restart."
                             : "To protect the Mac again, run 'csrutil enable' from macOS "
                               "Recovery and restart.");
    if (add_finding(r, code, KC_SEV_WARNING, STEP_FIRST, NULL,
                    kc_asprintf("%s: approval is not enforced, so kexts load without it%s; "
                                "the approval database is not the cause",
                                what, e.sip_off || e.signing_off ? " and nothing is staged" : ""),
                    steps, 2) != 0)
        return -1;
    if (!e.sip_off && !e.signing_off)
        return cite(r, "spctl kext-consent status (%s): DISABLED",
                    origin_of(&ev->consent_status_src));
    return cite(r, "csrutil status (%s): SIP %s, Kext Signing %s", origin_of(&ev->sip_src),
                e.sip_off ? "disabled" : "custom configuration",
                ev->kext_signing == KC_NO ? "disabled" : "unknown");
}

/* After a kext that is allowed but not loaded: the article's last step. */
static int finding_consent(kc_vendor_result *r, const kc_check_input *in)
{
    const kc_vendor *v = r->vendor;
    const kc_evidence *ev = in->ev;
    enforcement e = enforcement_of(ev, v);
    bool not_loaded = false;
    char *steps[4];

    for (size_t i = 0; i < r->n_findings; i++)
        if (strcmp(r->findings[i].code, "KEXT_NOT_LOADED") == 0)
            not_loaded = true;
    if (!not_loaded || ev == NULL || !ev->consent_list_src.ok || e.team_listed ||
        !staging_applies(&e) || e.consent_off)
        return 0;
    steps[0] = kc_asprintf("Start macOS Recovery (Intel: restart holding Command-R; Apple "
                           "silicon: hold the power button, then Options), open Utilities > "
                           "Terminal and run: spctl kext-consent add %s",
                           v->team_id);
    steps[1] = kc_asprintf("Check it with: spctl kext-consent list (%s must be listed)",
                           v->team_id);
    steps[2] = kc_strdup("Restart the Mac.");
    steps[3] = NULL;
    if (add_finding(r, "CONSENT_TEAM_NOT_LISTED", KC_SEV_WARNING, STEP_CONSENT, NULL,
                    kc_asprintf("team %s is not on the SIP kext-consent list; adding it lets "
                                "its kexts load without the user's approval",
                                v->team_id),
                    steps, 3) != 0 ||
        cite(r, "spctl kext-consent list (%s): %s is not among %zu listed teams",
             origin_of(&ev->consent_list_src), v->team_id, ev->consent_teams.n) != 0)
        return -1;
    if (ev->consent_status_src.ok)
        return cite(r, "spctl kext-consent status (%s): %s", origin_of(&ev->consent_status_src),
                    ev->consent_enabled == KC_YES ? "ENABLED" : "unknown");
    return 0;
}

/* A declared bundle ID recorded under another team. */
static int findings_team_mismatch(kc_vendor_result *r, const kc_check_input *in)
{
    const kc_vendor *v = r->vendor;
    const kc_policy_rows *rows = &r->rows;

    for (size_t i = 0; i < rows->n_policy + rows->n_history; i++) {
        bool hist = i >= rows->n_policy;
        const char *team = hist ? rows->history[i - rows->n_policy].team_id
                                : rows->policy[i].team_id;
        const char *id = hist ? rows->history[i - rows->n_policy].bundle_id
                              : rows->policy[i].bundle_id;
        const char *path = hist ? rows->history[i - rows->n_policy].path : NULL;
        char *steps[4];
        if (id == NULL || team == NULL || strcmp(team, v->team_id) == 0 ||
            !kc_strv_contains(&v->kexts, id))
            continue;
        steps[0] = kc_asprintf("Check who signed the kext on disk: codesign -dv --verbose=4 "
                               "<path of the .kext> prints its TeamIdentifier%s%s.",
                               path ? ", for example " : "", path ? path : "");
        steps[1] = kc_asprintf("If it is not %s, this is not %s's kext: remove it and "
                               "investigate.", v->team_id, v->vendor);
        steps[2] = kc_asprintf("If it is %s, the plugin's data is wrong: report it to the "
                               "plugin's maintainers (%s).", team, v->source ? v->source : v->name);
        steps[3] = NULL;
        if (add_finding(r, "TEAM_MISMATCH", KC_SEV_CRITICAL, STEP_FIRST, id,
                        kc_asprintf("%s is recorded under team %s, not %s, in %s: a "
                                    "possible impostor, or wrong plugin data",
                                    id, team, v->team_id,
                                    hist ? "the load history" : "the approval table"),
                        steps, 3) != 0 ||
            cite(r, "KextPolicy: %s row (%s, %s)", hist ? "kext_load_history_v3" : "kext_policy",
                 team, id) != 0)
            return -1;
    }
    for (size_t i = 0; in->ev && i < in->ev->n_sysexts; i++) {
        const kc_sysext *x = &in->ev->sysexts[i];
        char *steps[2];
        if (x->identifier == NULL || x->team_id == NULL || strcmp(x->team_id, v->team_id) == 0 ||
            !kc_strv_contains(&v->sysexts, x->identifier))
            continue;
        steps[0] = kc_asprintf("Check the app that installed %s and its signature "
                               "(codesign -dv --verbose=4); remove it if it is not %s's.",
                               x->identifier, v->vendor);
        steps[1] = NULL;
        if (add_finding(r, "TEAM_MISMATCH", KC_SEV_CRITICAL, STEP_FIRST, x->identifier,
                        kc_asprintf("system extension %s is registered under team %s, not %s",
                                    x->identifier, x->team_id, v->team_id),
                        steps, 1) != 0 ||
            cite(r, "system extensions (%s): %s, team %s", origin_of(&in->ev->sysext_src),
                 x->identifier, x->team_id) != 0)
            return -1;
    }
    return 0;
}

static int findings_sysexts(kc_vendor_result *r, const kc_check_input *in)
{
    const kc_vendor *v = r->vendor;

    for (size_t i = 0; i < r->n_sysexts; i++) {
        const kc_sysext *x = r->sysexts[i].entry;
        const char *code, *msg;
        kc_severity sev = KC_SEV_WARNING;
        int step = STEP_REINSTALL;
        char *steps[3] = {NULL};
        size_t n_steps = 1;
        if (x == NULL)
            continue;
        if (x->state == NULL) {
            code = "SYSEXT_STATE_UNKNOWN";
            msg = "has no state";
            sev = KC_SEV_UNKNOWN;
            step = STEP_DATABASE;
            steps[0] = kc_strdup("Check it with: systemextensionsctl list");
        } else if (strcmp(x->state, "activated_enabled") == 0) {
            code = "SYSEXT_ACTIVE";
            msg = "is active";
            sev = KC_SEV_OK;
            step = 0;
            n_steps = 0;
        } else if (strcmp(x->state, "activated_waiting_for_user") == 0) {
            code = "SYSEXT_WAITING_FOR_USER";
            msg = "waits for the user to allow it";
            sev = KC_SEV_CRITICAL;
            step = STEP_ALLOW;
            steps[0] = kc_asprintf("Open %s, click Allow for the system software from \"%s\", "
                                   "and authenticate.",
                                   settings_pane(in), developer_of(v, NULL));
            steps[1] = kc_strdup("On managed Macs, an MDM com.apple.system-extension-policy "
                                 "payload that allows the team approves it without the user.");
            n_steps = 2;
        } else if (strcmp(x->state, "activated_disabled") == 0) {
            code = "SYSEXT_DISABLED";
            msg = "is installed but disabled";
            steps[0] = kc_asprintf("Enable it in %s's app, or in System Settings > General > "
                                   "Login Items & Extensions on macOS 15.", v->vendor);
            steps[1] = reinstall_step(v);
            n_steps = 2;
        } else if (strcmp(x->state, "activated_enabling") == 0) {
            code = "SYSEXT_ENABLING";
            msg = "is being enabled";
            steps[0] = kc_strdup("Wait a minute and check again; restart the Mac if it stays "
                                 "in this state.");
        } else if (strcmp(x->state, "activated_waiting_to_upgrade") == 0) {
            code = "SYSEXT_WAITING_TO_UPGRADE";
            msg = "waits to be upgraded";
            steps[0] = kc_strdup("Restart the Mac to finish the upgrade.");
        } else if (strcmp(x->state, "terminated_waiting_to_uninstall_on_reboot") == 0) {
            code = "SYSEXT_UNINSTALL_PENDING";
            msg = "is being removed at the next restart";
            steps[0] = kc_asprintf("Restart the Mac to finish the removal, then install %s "
                                   "again if it should stay.", v->vendor);
        } else if (strcmp(x->state, "uninstalling") == 0) {
            code = "SYSEXT_UNINSTALLING";
            msg = "is being uninstalled";
            steps[0] = kc_asprintf("Restart the Mac, then install %s again if it should stay.",
                                   v->vendor);
        } else {
            code = "SYSEXT_STATE_UNKNOWN";
            msg = "is in a state kextcheck does not know";
            sev = KC_SEV_UNKNOWN;
            step = STEP_DATABASE;
            steps[0] = kc_strdup("Check it with: systemextensionsctl list");
        }
        if (add_finding(r, code, sev, step, x->identifier,
                        kc_asprintf("system extension %s %s (state %s)", x->identifier, msg,
                                    x->state ? x->state : "none"),
                        steps, n_steps) != 0 ||
            cite(r, "system extensions (%s): %s, team %s, state %s",
                 origin_of(&in->ev->sysext_src), x->identifier,
                 x->team_id ? x->team_id : "none", x->state ? x->state : "none") != 0)
            return -1;
    }
    return 0;
}

/* A source that was there but could not be used leaves part of the answer
 * unknown: say which. */
static int findings_sources(kc_vendor_result *r, const kc_check_input *in)
{
    const kc_evidence *ev = in->ev;
    const struct {
        const kc_source *src;
        const char *label;
    } list[] = {
        {&ev->consent_status_src, "spctl kext-consent status"},
        {&ev->consent_list_src, "spctl kext-consent list"},
        {&ev->sip_src, "csrutil status"},
        {&ev->loaded_src, "the loaded-kext list"},
        {&ev->mdm_src, "the MDM kext policy"},
        {&ev->os_src, "SystemVersion.plist"},
        {&ev->sysext_src, "the system extension database"},
    };

    for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++) {
        char *steps[2];
        if (!list[i].src->present || list[i].src->ok)
            continue;
        steps[0] = kc_strdup("Until it can be read, this part of the answer is unknown: run "
                             "kextcheck on the Mac as root, or collect the case again "
                             "(kextcheck collect).");
        steps[1] = NULL;
        if (add_finding(r, "EVIDENCE_UNREADABLE", KC_SEV_UNKNOWN, STEP_DATABASE, NULL,
                        kc_asprintf("%s could not be used: %s", list[i].label,
                                    list[i].src->error ? list[i].src->error : "unknown"),
                        steps, 1) != 0 ||
            cite(r, "%s", origin_of(list[i].src)) != 0)
            return -1;
    }
    return 0;
}

int kc_diagnose(const kc_check_input *in, kc_vendor_result *r)
{
    const kc_vendor *v = r->vendor;
    bool db_ok = in->db->state == KC_DB_OK && r->query_error == NULL;
    bool any_identified = false;
    kc_severity worst = KC_SEV_OK;

    r->kexts = calloc(v->kexts.n, sizeof(*r->kexts));
    if (r->kexts == NULL)
        return -1;
    r->n_kexts = v->kexts.n;
    for (size_t i = 0; i < v->kexts.n; i++) {
        kc_kext_result *k = &r->kexts[i];
        k->bundle_id = v->kexts.v[i];
        if (db_ok)
            match_rows(v, &r->rows, k);
        k->installed = find_bundle(&r->installed_bundles, k->bundle_id);
        k->staged = find_bundle(&r->staged_bundles, k->bundle_id);
        if (k->installed || k->staged)
            any_identified = true;
        k->loaded = KC_UNKNOWN;
        if (in->ev && in->ev->loaded_src.ok) {
            k->loaded = KC_NO;
            for (size_t j = 0; j < in->ev->n_loaded && k->loaded == KC_NO; j++)
                if (same(in->ev->loaded[j].bundle_id, k->bundle_id)) {
                    k->loaded = KC_YES;
                    k->loaded_entry = &in->ev->loaded[j];
                }
        }
        if (in->ev && in->ev->mdm_src.ok) {
            k->mdm_profile = kc_strv_contains(&in->ev->mdm_teams, v->team_id);
            for (size_t j = 0; j < in->ev->n_mdm_kexts && !k->mdm_profile; j++)
                k->mdm_profile = same(in->ev->mdm_kexts[j].team_id, v->team_id) &&
                                 same(in->ev->mdm_kexts[j].bundle_id, k->bundle_id);
        }
        if (!db_ok)
            k->policy = KC_POLICY_UNKNOWN;
        else if (k->row && k->row->allowed == 1)
            k->policy = KC_POLICY_ALLOWED;
        else if (k->mdm)
            k->policy = KC_POLICY_MDM;
        else if (k->row && k->row->allowed == 0)
            k->policy = KC_POLICY_PENDING;
        else if (k->row)
            k->policy = KC_POLICY_UNKNOWN;
        else
            k->policy = KC_POLICY_NONE;
    }
    r->sysexts = calloc(v->sysexts.n ? v->sysexts.n : 1, sizeof(*r->sysexts));
    if (r->sysexts == NULL)
        return -1;
    r->n_sysexts = v->sysexts.n;
    for (size_t i = 0; i < v->sysexts.n; i++) {
        kc_sysext_result *x = &r->sysexts[i];
        x->identifier = v->sysexts.v[i];
        for (size_t j = 0; in->ev && in->ev->sysext_src.ok && j < in->ev->n_sysexts; j++) {
            const kc_sysext *e = &in->ev->sysexts[j];
            if (!same(e->identifier, x->identifier) || !same(e->team_id, v->team_id))
                continue;
            /* Several entries (upgrades): prefer an activated one, else the last. */
            if (x->entry == NULL || !x->entry->state ||
                strncmp(x->entry->state, "activated_", 10) != 0 ||
                (e->state && strncmp(e->state, "activated_", 10) == 0))
                x->entry = e;
        }
    }
    r->installed = team_has_rows(v, &r->rows);
    for (size_t i = 0; i < r->n_paths; i++)
        r->installed = r->installed || r->paths[i].present;
    for (size_t i = 0; i < r->n_sysexts; i++)
        r->installed = r->installed || r->sysexts[i].entry != NULL;
    /* Its system extension registered under another team: TEAM_MISMATCH. */
    for (size_t j = 0; in->ev && in->ev->sysext_src.ok && j < in->ev->n_sysexts; j++)
        r->installed = r->installed || (in->ev->sysexts[j].identifier &&
                                        kc_strv_contains(&v->sysexts,
                                                         in->ev->sysexts[j].identifier));
    for (size_t i = 0; i < r->n_kexts; i++)
        r->installed = r->installed || r->kexts[i].loaded == KC_YES;
    /* A product with only system extensions cannot be called absent when
     * the system extension database could not be read. */
    if (!r->installed && v->sysexts.n > 0 && in->ev && in->ev->sysext_src.present &&
        !in->ev->sysext_src.ok)
        r->installed = true;
    if (!r->installed) {
        r->status = KC_STATUS_NOT_INSTALLED;
        return add_finding(
            r, "NOT_INSTALLED", KC_SEV_OK, 0, NULL,
            in->db->state == KC_DB_OK
                ? kc_asprintf("%s is not installed on this Mac: none of its paths exist and "
                              "the approval database has no row for team %s",
                              v->vendor, v->team_id)
                : kc_asprintf("%s is not installed on this Mac: none of its paths exist (the "
                              "approval database, which could not be read, was not consulted "
                              "for team %s)",
                              v->vendor, v->team_id),
            NULL, 0);
    }
    if (findings_database(r, in) != 0 || findings_team_mismatch(r, in) != 0 ||
        findings_enforcement(r, in) != 0 || (in->ev && findings_sources(r, in) != 0))
        return -1;
    for (size_t i = 0; i < r->n_kexts; i++)
        if (kext_findings(r, in, &r->kexts[i], any_identified) != 0)
            return -1;
    if (finding_consent(r, in) != 0 || (in->ev && findings_sysexts(r, in) != 0))
        return -1;
    if (findings_bundles(r, &r->installed_bundles) != 0 ||
        findings_bundles(r, &r->staged_bundles) != 0)
        return -1;
    sort_findings(r);
    for (size_t i = 0; i < r->n_findings; i++)
        if (r->findings[i].severity > worst)
            worst = r->findings[i].severity;
    r->status = worst == KC_SEV_CRITICAL  ? KC_STATUS_CRITICAL
                : worst == KC_SEV_WARNING ? KC_STATUS_WARNING
                : worst == KC_SEV_UNKNOWN ? KC_STATUS_UNKNOWN
                                          : KC_STATUS_OK;
    return 0;
}

int kc_check_vendor(const kc_check_input *in, const kc_vendor *v, kc_vendor_result *out)
{
    size_t np = v->install_paths.n + v->staged_paths.n;

    memset(out, 0, sizeof(*out));
    out->vendor = v;
    out->paths = calloc(np ? np : 1, sizeof(*out->paths));
    if (out->paths == NULL)
        return -1;
    for (size_t i = 0; i < np; i++) {
        bool staged = i >= v->install_paths.n;
        const char *p = staged ? v->staged_paths.v[i - v->install_paths.n]
                               : v->install_paths.v[i];
        int found = kc_bundles_scan(in->fs, p,
                                    staged ? &out->staged_bundles : &out->installed_bundles);
        if (found < 0)
            return -1;
        out->paths[out->n_paths].path = p;
        out->paths[out->n_paths].staged = staged;
        out->paths[out->n_paths].present = found == 1;
        out->n_paths++;
    }
    if (in->db->state == KC_DB_OK &&
        kc_policydb_query(in->db, v->team_id, &v->kexts, &out->rows) != 0) {
        out->query_error = kc_strdup(in->db->error ? in->db->error : "query failed");
        if (out->query_error == NULL)
            return -1;
    }
    return kc_diagnose(in, out);
}

void kc_vendor_result_free(kc_vendor_result *r)
{
    for (size_t i = 0; i < r->n_findings; i++) {
        free(r->findings[i].kext);
        free(r->findings[i].message);
        kc_strv_free(&r->findings[i].remediation);
        kc_strv_free(&r->findings[i].evidence);
    }
    free(r->findings);
    free(r->kexts);
    free(r->sysexts);
    free(r->paths);
    free(r->query_error);
    kc_policy_rows_free(&r->rows);
    kc_bundles_free(&r->installed_bundles);
    kc_bundles_free(&r->staged_bundles);
    memset(r, 0, sizeof(*r));
}

int kc_exit_code_for(const kc_vendor_result *results, size_t n, size_t n_refused)
{
    bool warning = false, unknown = n_refused > 0;

    for (size_t i = 0; i < n; i++) {
        switch (results[i].status) {
        case KC_STATUS_CRITICAL:
            return KC_EXIT_CRITICAL;
        case KC_STATUS_WARNING:
            warning = true;
            break;
        case KC_STATUS_UNKNOWN:
            unknown = true;
            break;
        default:
            break;
        }
    }
    return warning ? KC_EXIT_WARNING : unknown ? KC_EXIT_UNKNOWN : KC_EXIT_OK;
}

const kc_finding *kc_next_step(const kc_vendor_result *r)
{
    for (size_t i = 0; i < r->n_findings; i++)
        if (r->findings[i].severity != KC_SEV_OK && r->findings[i].remediation.n > 0)
            return &r->findings[i];
    return NULL;
}
