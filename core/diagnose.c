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
 */
#include "kc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

enum { STEP_ALLOW = 1, STEP_REINSTALL = 2, STEP_STAGED = 3, STEP_DATABASE = 4 };

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

/* Adds a finding; the remediation is a NULL-terminated list of owned
 * strings (each may be NULL on OOM, which fails the call). */
static int add_finding(kc_vendor_result *r, const char *code, kc_severity sev, int step,
                       const char *kext, char *message, char **steps)
{
    kc_finding *f;
    int rc = -1;

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
    for (size_t i = 0; steps && steps[i]; i++)
        if (kc_strv_push(&f->remediation, steps[i]) != 0)
            goto done;
    rc = 0;
done:
    free(message);
    for (size_t i = 0; steps && steps[i]; i++)
        free(steps[i]);
    return rc;
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

static int finding_pending(kc_vendor_result *r, const kc_kext_result *k)
{
    const kc_vendor *v = r->vendor;
    char *steps[4];

    steps[0] = kc_asprintf(
        "Open System Preferences > Security & Privacy > General, click the lock and "
        "authenticate, click Allow beside System software from developer \"%s\" was "
        "blocked from loading, then restart the Mac.",
        developer_of(v, k->row));
    steps[1] = kc_strdup(
        "No Allow button? Restart the Mac and look again: the button disappears 30 "
        "minutes after installation and a restart brings it back. When several "
        "developers are listed, allow the others as well; this one may show up only "
        "after them.");
    steps[2] = reinstall_step(v);
    steps[3] = NULL;
    return add_finding(r, "KEXT_PENDING_APPROVAL", KC_SEV_CRITICAL, STEP_ALLOW, k->bundle_id,
                       kc_asprintf("%s tried to load and is waiting for approval "
                                   "(kext_policy.allowed = 0)",
                                   k->bundle_id),
                       steps);
}

static int finding_no_record(kc_vendor_result *r, const kc_kext_result *k)
{
    const kc_vendor *v = r->vendor;
    char *steps[3];

    steps[0] = kc_asprintf(
        "Restart the Mac: the kext's first attempt to load records it and brings up the "
        "Allow button for \"%s\" in System Preferences > Security & Privacy; click it and "
        "restart again.",
        developer_of(v, NULL));
    steps[1] = reinstall_step(v);
    steps[2] = NULL;
    return add_finding(
        r, "KEXT_NO_POLICY_RECORD", KC_SEV_WARNING, STEP_ALLOW, k->bundle_id,
        kc_asprintf("%s is installed but the approval database has no record of it: it "
                    "has not tried to load yet, or its approval was never recorded",
                    k->bundle_id),
        steps);
}

/* The folder a shell in Recovery sees the Mac's root at. */
static char *recovery_prefix(const char *root)
{
    char resolved[PATH_MAX];
    size_t n;

    if (strcmp(root, "/") == 0)
        return kc_strdup("/Volumes/Macintosh HD");
    if (realpath(root, resolved) == NULL)
        return kc_strdup(root);
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

static int finding_stale(kc_vendor_result *r, const kc_kext_result *k, const char *root)
{
    const kc_vendor *v = r->vendor;
    const char *folder = staged_folder_of(v, k->staged->path);
    char *prefix = recovery_prefix(root);
    char *src = NULL, *bak = NULL, *qsrc = NULL, *qbak = NULL;
    char *steps[6] = {NULL};
    int rc = -1;

    if (prefix == NULL)
        goto done;
    src = kc_asprintf("%s%s", strcmp(prefix, "/") == 0 ? "" : prefix, folder);
    bak = kc_asprintf("%s_bak", src ? src : "");
    qsrc = src ? kc_shell_quote(src) : NULL;
    qbak = bak ? kc_shell_quote(bak) : NULL;
    if (qsrc == NULL || qbak == NULL)
        goto done;
    steps[0] = kc_asprintf("Uninstall %s, then delete its stale staged copy from macOS "
                           "Recovery as the next steps show.", v->vendor);
    steps[1] = kc_asprintf(
        "Restart holding Command-R to start macOS Recovery; in Disk Utility mount the "
        "startup disk, quit Disk Utility and open Utilities > Terminal.%s",
        strcmp(root, "/") == 0
            ? " (The commands below assume the disk is named \"Macintosh HD\"; use "
              "its name under /Volumes.)"
            : "");
    steps[2] = kc_asprintf("Back up the staged folder: cp -R %s %s", qsrc, qbak);
    steps[3] = kc_asprintf("Delete it: rm -rf %s", qsrc);
    steps[4] = kc_asprintf("Restart the Mac and install %s again.", v->vendor);
    rc = add_finding(r, "STAGED_COPY_STALE", KC_SEV_CRITICAL, STEP_STAGED, k->bundle_id,
                     kc_asprintf("the staged copy of %s is version %s but the installed "
                                 "copy is version %s: macOS loads the stale staged copy",
                                 k->bundle_id,
                                 version_of(k->staged) ? version_of(k->staged) : "(none)",
                                 version_of(k->installed) ? version_of(k->installed)
                                                          : "(none)"),
                     steps);
    memset(steps, 0, sizeof(steps));
done:
    for (size_t i = 0; i < 6; i++)
        free(steps[i]);
    free(prefix);
    free(src);
    free(bak);
    free(qsrc);
    free(qbak);
    return rc;
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
    return add_finding(r, "STAGED_COPY_MISSING", KC_SEV_WARNING, STEP_REINSTALL, k->bundle_id,
                       kc_asprintf("%s is approved and installed at %s, but has no staged "
                                   "copy under /Library/StagedExtensions",
                                   k->bundle_id, k->installed->path),
                       steps);
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
        return add_finding(r, "POLICY_DB_UNREADABLE", KC_SEV_UNKNOWN, STEP_DATABASE, NULL,
                           kc_asprintf("the approval database %s could not be read: %s",
                                       db->path ? db->path : "(none)", why ? why : "unknown"),
                           steps);
    }
    if (db->state == KC_DB_NO_TABLES) {
        steps[0] = kc_strdup(
            "Check the approval in System Preferences > Security & Privacy (System "
            "Settings > Privacy & Security on macOS 13 and later): this database does "
            "not hold it.");
        return add_finding(r, "POLICY_TABLES_MISSING", KC_SEV_UNKNOWN, STEP_DATABASE, NULL,
                           kc_asprintf("the approval database %s has no approval tables: %s",
                                       db->path, db->error ? db->error : "unknown"),
                           steps);
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
                        kc_asprintf("%s: %s", k->path, k->error), steps) != 0)
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

static bool team_has_rows(const kc_vendor *v, const kc_policy_rows *rows)
{
    for (size_t i = 0; i < rows->n_policy; i++)
        if (same(rows->policy[i].team_id, v->team_id))
            return true;
    for (size_t i = 0; i < rows->n_history; i++)
        if (same(rows->history[i].team_id, v->team_id))
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

static int kext_findings(kc_vendor_result *r, const kc_check_input *in, kc_kext_result *k,
                         bool any_identified)
{
    const kc_vendor *v = r->vendor;
    int rc = 0;

    switch (k->policy) {
    case KC_POLICY_ALLOWED:
        rc = add_finding(r, "KEXT_APPROVED", KC_SEV_OK, 0, k->bundle_id,
                         kc_asprintf("%s is approved (kext_policy.allowed = 1)", k->bundle_id),
                         NULL);
        break;
    case KC_POLICY_MDM:
        rc = add_finding(
            r, "KEXT_APPROVED_MDM", KC_SEV_OK, 0, k->bundle_id,
            kc_asprintf("%s is approved by an MDM profile (kext_policy_mdm, %s)", k->bundle_id,
                        k->mdm->bundle_id && k->mdm->bundle_id[0] ? "this kext"
                                                                  : "the whole team"),
            NULL);
        break;
    case KC_POLICY_PENDING:
        rc = finding_pending(r, k);
        break;
    case KC_POLICY_NONE:
        if (k->installed || k->staged || k->history ||
            (!any_identified && r->installed_bundles.n + r->staged_bundles.n > 0))
            rc = finding_no_record(r, k);
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
                             steps);
        }
        break;
    }
    if (rc != 0)
        return rc;
    /* Versions are compared only when both copies were read cleanly. */
    if (k->installed && k->staged && !k->installed->error && !k->staged->error &&
        version_of(k->installed) && version_of(k->staged) &&
        !same(version_of(k->installed), version_of(k->staged)))
        return finding_stale(r, k, in->root);
    if (k->installed && !k->staged && v->staged_paths.n > 0 && !any_unreadable(&r->staged_bundles) &&
        (k->policy == KC_POLICY_ALLOWED || k->policy == KC_POLICY_MDM))
        return finding_staged_missing(r, k);
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
    r->installed = team_has_rows(v, &r->rows);
    for (size_t i = 0; i < r->n_paths; i++)
        r->installed = r->installed || r->paths[i].present;
    if (!r->installed) {
        r->status = KC_STATUS_NOT_INSTALLED;
        return add_finding(r, "NOT_INSTALLED", KC_SEV_OK, 0, NULL,
                           kc_asprintf("%s is not installed on this Mac: none of its paths "
                                       "exist and the approval database has no row for "
                                       "team %s",
                                       v->vendor, v->team_id),
                           NULL);
    }
    if (findings_database(r, in) != 0)
        return -1;
    for (size_t i = 0; i < r->n_kexts; i++)
        if (kext_findings(r, in, &r->kexts[i], any_identified) != 0)
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
        int found = kc_bundles_scan(in->root, p,
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
    }
    free(r->findings);
    free(r->kexts);
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
