/*
 * Stage 2, judge: from the model (read.c) to findings.
 *
 * Pure functions of the evidence: no file system, no SQLite, no prose.  A
 * finding is a code from the one table below (its severity and its rung on
 * the ladder) and pointers to what it is about; advise.c words it.
 *
 * The ladder is the same for every vendor:
 *   first        what outranks everything (an impostor's kext; approval not
 *                enforced at all)
 *   approve      the kext or system extension waits for approval
 *   reinstall    uninstall, restart, install again
 *   clear staging  a stale copy under /Library/StagedExtensions
 *   inspect      the evidence itself (database, captures) needs a look
 *   consent      the SIP kext-consent list, from Recovery
 * Findings about the whole Mac (unreadable evidence, SIP off) are judged
 * once, as host findings, and each vendor they bear on refers to them.
 */
#include "model.h"

#include <stdlib.h>
#include <string.h>

/* ---- the one table --------------------------------------------------------- */

static const kc_code_info code_table[KC_F__COUNT] = {
    [KC_F_NOT_INSTALLED] = {"NOT_INSTALLED", KC_SEV_OK, KC_RUNG_NONE, false},
    [KC_F_KEXT_APPROVED] = {"KEXT_APPROVED", KC_SEV_OK, KC_RUNG_NONE, false},
    [KC_F_KEXT_APPROVED_MDM] = {"KEXT_APPROVED_MDM", KC_SEV_OK, KC_RUNG_NONE, false},
    [KC_F_CONSENT_TEAM_LISTED] = {"CONSENT_TEAM_LISTED", KC_SEV_OK, KC_RUNG_NONE, false},
    [KC_F_KEXT_LOADED] = {"KEXT_LOADED", KC_SEV_OK, KC_RUNG_NONE, false},
    [KC_F_SYSEXT_ACTIVE] = {"SYSEXT_ACTIVE", KC_SEV_OK, KC_RUNG_NONE, false},
    [KC_F_TEAM_MISMATCH] = {"TEAM_MISMATCH", KC_SEV_CRITICAL, KC_RUNG_FIRST, false},
    /* Not what stops a waiting approval: after approve and restart. */
    [KC_F_SIP_DISABLED] = {"SIP_DISABLED", KC_SEV_WARNING, KC_RUNG_REINSTALL, true},
    [KC_F_KEXT_SIGNING_DISABLED] = {"KEXT_SIGNING_DISABLED", KC_SEV_WARNING, KC_RUNG_REINSTALL,
                                    true},
    [KC_F_CONSENT_DISABLED] = {"CONSENT_DISABLED", KC_SEV_WARNING, KC_RUNG_REINSTALL, true},
    [KC_F_KEXT_PENDING_APPROVAL] = {"KEXT_PENDING_APPROVAL", KC_SEV_CRITICAL, KC_RUNG_APPROVE,
                                    false},
    [KC_F_KEXT_NO_POLICY_RECORD] = {"KEXT_NO_POLICY_RECORD", KC_SEV_WARNING, KC_RUNG_APPROVE,
                                    false},
    [KC_F_MDM_PROFILE_ALLOWS] = {"MDM_PROFILE_ALLOWS", KC_SEV_WARNING, KC_RUNG_APPROVE, false},
    [KC_F_SYSEXT_WAITING_FOR_USER] = {"SYSEXT_WAITING_FOR_USER", KC_SEV_CRITICAL,
                                      KC_RUNG_APPROVE, false},
    [KC_F_KEXT_NOT_LOADED] = {"KEXT_NOT_LOADED", KC_SEV_CRITICAL, KC_RUNG_REINSTALL, false},
    [KC_F_STAGED_COPY_MISSING] = {"STAGED_COPY_MISSING", KC_SEV_WARNING, KC_RUNG_REINSTALL,
                                  false},
    [KC_F_BUNDLE_UNREADABLE] = {"BUNDLE_UNREADABLE", KC_SEV_WARNING, KC_RUNG_REINSTALL, false},
    [KC_F_SYSEXT_DISABLED] = {"SYSEXT_DISABLED", KC_SEV_WARNING, KC_RUNG_REINSTALL, false},
    [KC_F_SYSEXT_ENABLING] = {"SYSEXT_ENABLING", KC_SEV_WARNING, KC_RUNG_REINSTALL, false},
    [KC_F_SYSEXT_WAITING_TO_UPGRADE] = {"SYSEXT_WAITING_TO_UPGRADE", KC_SEV_WARNING,
                                        KC_RUNG_REINSTALL, false},
    [KC_F_SYSEXT_UNINSTALL_PENDING] = {"SYSEXT_UNINSTALL_PENDING", KC_SEV_WARNING,
                                       KC_RUNG_REINSTALL, false},
    [KC_F_SYSEXT_UNINSTALLING] = {"SYSEXT_UNINSTALLING", KC_SEV_WARNING, KC_RUNG_REINSTALL,
                                  false},
    /* macOS stages a changed kext again on its next load: restart first. */
    [KC_F_STAGED_COPY_STALE] = {"STAGED_COPY_STALE", KC_SEV_WARNING, KC_RUNG_CLEAR_STAGING,
                                false},
    [KC_F_POLICY_ROW_UNEXPECTED] = {"POLICY_ROW_UNEXPECTED", KC_SEV_UNKNOWN, KC_RUNG_INSPECT,
                                    false},
    [KC_F_POLICY_DB_UNREADABLE] = {"POLICY_DB_UNREADABLE", KC_SEV_UNKNOWN, KC_RUNG_INSPECT,
                                   true},
    [KC_F_POLICY_TABLES_MISSING] = {"POLICY_TABLES_MISSING", KC_SEV_UNKNOWN, KC_RUNG_INSPECT,
                                    true},
    [KC_F_EVIDENCE_UNREADABLE] = {"EVIDENCE_UNREADABLE", KC_SEV_UNKNOWN, KC_RUNG_INSPECT, true},
    [KC_F_SYSEXT_STATE_UNKNOWN] = {"SYSEXT_STATE_UNKNOWN", KC_SEV_UNKNOWN, KC_RUNG_INSPECT,
                                   false},
    [KC_F_CONSENT_TEAM_NOT_LISTED] = {"CONSENT_TEAM_NOT_LISTED", KC_SEV_WARNING,
                                      KC_RUNG_CONSENT, false},
    [KC_F_BOOT_POLICY_BLOCKS_KEXTS] = {"BOOT_POLICY_BLOCKS_KEXTS", KC_SEV_CRITICAL,
                                       KC_RUNG_FIRST, true},
    [KC_F_BOOT_POLICY_ALLOWS_KEXTS] = {"BOOT_POLICY_ALLOWS_KEXTS", KC_SEV_OK, KC_RUNG_NONE,
                                       true},
    [KC_F_BOOT_POLICY_UNKNOWN] = {"BOOT_POLICY_UNKNOWN", KC_SEV_UNKNOWN, KC_RUNG_INSPECT, true},
    [KC_F_RESTART_REQUIRED] = {"RESTART_REQUIRED", KC_SEV_CRITICAL, KC_RUNG_RESTART, false},
    [KC_F_MDM_BLOCKS_USER_APPROVAL] = {"MDM_BLOCKS_USER_APPROVAL", KC_SEV_CRITICAL,
                                       KC_RUNG_APPROVE, false},
    [KC_F_ADMIN_APPROVAL_REQUIRED] = {"ADMIN_APPROVAL_REQUIRED", KC_SEV_OK, KC_RUNG_NONE, true},
    [KC_F_KEXT_NOT_DECLARED] = {"KEXT_NOT_DECLARED", KC_SEV_OK, KC_RUNG_NONE, false},
    /* The kext itself cannot load: no approval or restart helps first. */
    [KC_F_KEXT_ARCH_UNSUPPORTED] = {"KEXT_ARCH_UNSUPPORTED", KC_SEV_CRITICAL, KC_RUNG_FIRST,
                                    false},
    [KC_F_KEXT_BUNDLE_PERMISSIONS] = {"KEXT_BUNDLE_PERMISSIONS", KC_SEV_CRITICAL, KC_RUNG_FIRST,
                                      false},
    [KC_F_KEXT_SIGNATURE_INVALID] = {"KEXT_SIGNATURE_INVALID", KC_SEV_CRITICAL, KC_RUNG_FIRST,
                                     false},
    [KC_F_KEXT_SIGNED_BY_OTHER_TEAM] = {"KEXT_SIGNED_BY_OTHER_TEAM", KC_SEV_CRITICAL,
                                        KC_RUNG_FIRST, false},
    /* Context that changes the advice: reported, not a problem in itself. */
    [KC_F_RUNNING_IN_VM] = {"RUNNING_IN_VM", KC_SEV_OK, KC_RUNG_NONE, true},
    [KC_F_BOOTED_FROM_EXTERNAL_VOLUME] = {"BOOTED_FROM_EXTERNAL_VOLUME", KC_SEV_OK, KC_RUNG_NONE,
                                          true},
    /* One broken kext can keep the Auxiliary Kernel Collection from being
     * rebuilt for every vendor (11+). */
    [KC_F_OTHER_STAGED_KEXT_BROKEN] = {"OTHER_STAGED_KEXT_BROKEN", KC_SEV_WARNING,
                                       KC_RUNG_FIRST, true},
    [KC_F_SYSEXT_MDM_BLOCKS] = {"SYSEXT_MDM_BLOCKS", KC_SEV_CRITICAL, KC_RUNG_APPROVE, false},
};

const kc_code_info *kc_code_info_of(kc_code code)
{
    return &code_table[code < KC_F__COUNT ? code : KC_F_EVIDENCE_UNREADABLE];
}

const char *kc_code_name(kc_code code)
{
    return kc_code_info_of(code)->name;
}

const char *kc_rung_name(kc_rung rung)
{
    static const char *const names[KC_RUNG__COUNT] = {
        [KC_RUNG_NONE] = "none",           [KC_RUNG_FIRST] = "first",
        [KC_RUNG_APPROVE] = "approve",     [KC_RUNG_RESTART] = "restart",
        [KC_RUNG_REINSTALL] = "reinstall",
        [KC_RUNG_CLEAR_STAGING] = "clear_staging", [KC_RUNG_INSPECT] = "inspect",
        [KC_RUNG_CONSENT] = "consent",
    };
    return rung < KC_RUNG__COUNT ? names[rung] : "none";
}

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

/* ---- small pieces -------------------------------------------------------- */

static bool same(const char *a, const char *b)
{
    return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static const char *version_of(const kc_bundle *b)
{
    return b->version ? b->version : b->short_version;
}

/* Appends a finding and returns it (zeroed but for the code), or NULL. */
static kc_finding *add(kc_finding **list, size_t *n, kc_code code)
{
    kc_finding *grown = realloc(*list, (*n + 1) * sizeof(**list)), *f;

    if (grown == NULL)
        return NULL;
    *list = grown;
    f = &grown[(*n)++];
    memset(f, 0, sizeof(*f));
    f->code = code;
    return f;
}

static kc_finding *add_v(kc_vendor_result *r, kc_code code)
{
    return add(&r->findings, &r->n_findings, code);
}

static kc_finding *add_kext(kc_vendor_result *r, kc_code code, const kc_kext_state *k)
{
    kc_finding *f = add_v(r, code);

    if (f != NULL) {
        f->kext = k;
        f->subject = k->bundle_id;
    }
    return f;
}

/* Actionable findings first, in ladder order, worst first on one rung; then
 * what is fine. */
static int finding_rank(const kc_finding *f)
{
    const kc_code_info *ci = kc_code_info_of(f->code);

    if (ci->severity == KC_SEV_OK)
        return 1000;
    return (int)ci->rung * 10 + (KC_SEV_CRITICAL - (int)ci->severity);
}

static void sort_findings(kc_finding *list, size_t n)
{
    /* Insertion sort: stable, and the lists are short. */
    for (size_t i = 1; i < n; i++) {
        kc_finding f = list[i];
        size_t j = i;
        while (j > 0 && finding_rank(&list[j - 1]) > finding_rank(&f)) {
            list[j] = list[j - 1];
            j--;
        }
        list[j] = f;
    }
}

/* ---- the platform --------------------------------------------------------- */

bool kc_platform_modern(const kc_platform *p)
{
    return (p->os_known && p->os_major >= 11) || p->machine == KC_MACHINE_APPLE_SILICON;
}

bool kc_platform_legacy(const kc_platform *p)
{
    return p->os_known && p->os_major == 10;
}

static void platform_of(const kc_host *h, kc_platform *p)
{
    const kc_platform_ev *pe = &h->plat;
    const kc_evidence *ev = &h->ev;

    memset(p, 0, sizeof(*p));
    p->os_known = ev->os_src.ok && ev->os_major > 0;
    p->os_major = p->os_known ? ev->os_major : 0;
    p->os_minor = p->os_known ? ev->os_minor : 0;
    p->machine = kc_machine_from(pe->uname_src.ok ? pe->uname : KC_UNAME_UNKNOWN,
                                 pe->arm64_src.ok ? pe->arm64 : KC_SYSCTL_UNKNOWN, &p->rosetta);
    /* Apple silicon runs macOS 11 and later only. */
    if (p->machine == KC_MACHINE_UNKNOWN && p->os_known && p->os_major == 10) {
        p->machine = KC_MACHINE_INTEL;
        p->machine_inferred = true;
    }
    p->kexts_allowed = KC_UNKNOWN;
    if (p->machine == KC_MACHINE_INTEL) {
        p->kexts_allowed = KC_YES; /* no boot-policy gate on Intel */
    } else if (p->machine == KC_MACHINE_APPLE_SILICON && pe->bputil_src.ok) {
        const kc_boot_policy_values *b = &pe->boot.v;
        if (b->security == KC_BOOT_SECURITY_FULL || b->third_party_kexts == KC_NO)
            p->kexts_allowed = KC_NO;
        else if ((b->security == KC_BOOT_SECURITY_REDUCED ||
                  b->security == KC_BOOT_SECURITY_PERMISSIVE) &&
                 b->third_party_kexts == KC_YES)
            p->kexts_allowed = KC_YES;
    }
    /* Both MDM keys default to false when the payload is installed. */
    p->kext_mdm = h->kext_mdm_src.ok;
    p->user_overrides = p->kext_mdm && h->kext_mdm.allow_user_overrides == KC_YES;
    p->non_admin_approvals = p->kext_mdm && h->kext_mdm.allow_non_admin_approvals == KC_YES;
    p->vm = pe->vmm_src.ok ? pe->vmm : KC_UNKNOWN;
    p->external_boot = !pe->disk_src.ok || pe->disk.location == KC_DISK_LOCATION_UNKNOWN
                           ? KC_UNKNOWN
                       : pe->disk.location == KC_DISK_LOCATION_EXTERNAL ? KC_YES
                                                                       : KC_NO;
}

/* ---- what the host's evidence says about enforcement ---------------------- */

typedef kc_enforcement enforcement;

/* SIP or Kext Signing off: nothing is staged.  Approval is still needed on
 * macOS 11 and later (Apple Platform Security: SIP off skips the signature
 * check, not the approval); on 10.13-10.15 it is probably not enforced, but
 * a waiting approval stays visible with the SIP state as context.  Kext
 * consent disabled, or the team on the consent list (Intel only: Apple
 * silicon's kexts are approved through its boot policy's list): no approval
 * needed. */
static enforcement enforcement_of(const kc_evidence *ev, const kc_platform *p,
                                  const kc_vendor *v)
{
    bool consent_applies = p->machine != KC_MACHINE_APPLE_SILICON;
    enforcement e;

    memset(&e, 0, sizeof(e));
    e.sip_off = ev->sip_src.ok && ev->sip == KC_SIP_DISABLED;
    e.signing_off = ev->sip_src.ok && !e.sip_off && ev->kext_signing == KC_NO;
    e.consent_off = consent_applies && ev->consent_status_src.ok && ev->consent_enabled == KC_NO;
    e.team_listed = consent_applies && v != NULL && ev->consent_list_src.ok &&
                    kc_strv_contains(&ev->consent_teams, v->team_id);
    e.approval_needed = !e.consent_off && !e.team_listed;
    e.staging_applies = !e.sip_off && !e.signing_off;
    return e;
}

static bool approval_needed(const enforcement *e)
{
    return e->approval_needed;
}

static bool staging_applies(const enforcement *e)
{
    return e->staging_applies;
}

/* ---- host findings ----------------------------------------------------------- */

const kc_source *kc_host_source(const kc_host *h, kc_host_item item)
{
    switch (item) {
    case KC_HOST_CONSENT_STATUS:
        return &h->ev.consent_status_src;
    case KC_HOST_CONSENT_LIST:
        return &h->ev.consent_list_src;
    case KC_HOST_SIP:
        return &h->ev.sip_src;
    case KC_HOST_LOADED:
        return &h->ev.loaded_src;
    case KC_HOST_MDM:
        return &h->kext_mdm_src;
    case KC_HOST_OS:
        return &h->ev.os_src;
    case KC_HOST_SYSEXTS:
        return &h->ev.sysext_src;
    case KC_HOST_UNAME:
        return &h->plat.uname_src;
    case KC_HOST_ARM64:
        return &h->plat.arm64_src;
    case KC_HOST_BPUTIL:
        return &h->plat.bputil_src;
    case KC_HOST_SYSEXT_MDM:
        return &h->sysext_mdm_src;
    case KC_HOST_VMM:
        return &h->plat.vmm_src;
    case KC_HOST_DISKUTIL:
        return &h->plat.disk_src;
    default:
        return NULL;
    }
}

static kc_finding *add_host(kc_result *r, kc_code code, kc_host_item item)
{
    kc_finding *f = add(&r->host_findings, &r->n_host_findings, code);

    if (f != NULL)
        f->item = item;
    return f;
}

/* Whether any third-party (not com.apple.) kext is in the loaded list:
 * then the boot policy lets them load, whatever else is unknown. */
static bool third_party_loaded(const kc_evidence *ev)
{
    for (size_t i = 0; ev->loaded_src.ok && i < ev->n_loaded; i++)
        if (ev->loaded[i].bundle_id && strncmp(ev->loaded[i].bundle_id, "com.apple.", 10) != 0)
            return true;
    return false;
}

/* Findings about the whole Mac, judged once (before the vendors). */
static int judge_host(const kc_host *h, kc_result *r)
{
    const kc_evidence *ev = &h->ev;
    const kc_platform *p = &r->platform;
    enforcement e = enforcement_of(ev, p, NULL);

    if (h->db.state == KC_DB_NO_TABLES) {
        if (add_host(r, KC_F_POLICY_TABLES_MISSING, KC_HOST_DB) == NULL)
            return -1;
    } else if (h->db.state != KC_DB_OK) {
        if (add_host(r, KC_F_POLICY_DB_UNREADABLE, KC_HOST_DB) == NULL)
            return -1;
    }
    if (p->vm == KC_YES && add_host(r, KC_F_RUNNING_IN_VM, KC_HOST_VMM) == NULL)
        return -1;
    if (p->external_boot == KC_YES &&
        add_host(r, KC_F_BOOTED_FROM_EXTERNAL_VOLUME, KC_HOST_DISKUTIL) == NULL)
        return -1;
    if (e.sip_off || e.signing_off || e.consent_off) {
        kc_code code = e.sip_off       ? KC_F_SIP_DISABLED
                       : e.signing_off ? KC_F_KEXT_SIGNING_DISABLED
                                       : KC_F_CONSENT_DISABLED;
        if (add_host(r, code, e.sip_off || e.signing_off ? KC_HOST_SIP : KC_HOST_CONSENT_STATUS) ==
            NULL)
            return -1;
    }
    /* A source that was there but could not be used leaves part of the
     * answer unknown.  bputil matters on Apple silicon only. */
    for (int i = KC_HOST_CONSENT_STATUS; i < KC_HOST__COUNT; i++) {
        const kc_source *src = kc_host_source(h, (kc_host_item)i);
        if (src == NULL || !src->present || src->ok)
            continue;
        if (i == KC_HOST_BPUTIL && p->machine != KC_MACHINE_APPLE_SILICON)
            continue;
        if (add_host(r, KC_F_EVIDENCE_UNREADABLE, (kc_host_item)i) == NULL)
            return -1;
    }
    return 0;
}

/* Whether the vendor has a kext that is on this Mac (files, rows or
 * loaded), and whether one of them is not loaded. */
static bool has_kexts(const kc_vendor_result *vr, bool not_loaded_only)
{
    for (size_t i = 0; i < vr->n_kexts; i++) {
        const kc_kext_state *k = &vr->kexts[i];
        bool here = k->installed || k->staged || k->row || k->history || k->loaded == KC_YES;
        if (here && (!not_loaded_only || k->loaded != KC_YES))
            return true;
    }
    return false;
}

static bool has_code(const kc_vendor_result *vr, kc_code code)
{
    for (size_t i = 0; i < vr->n_findings; i++)
        if (vr->findings[i].code == code)
            return true;
    return false;
}


/* Owned by root:wheel and writable by nobody else, as macOS wants a kext
 * (when the owner is known at all). */
static bool bad_owner(const kc_bundle *b)
{
    return b->owner_known && (b->uid != 0 || b->gid != 0 || (b->mode & 022) != 0);
}

/* Whether mac_path is at or below one of the vendors' declared paths. */
static bool under_vendor(const kc_model *m, const char *path)
{
    for (size_t i = 0; i < m->n_vendors; i++) {
        const kc_vendor *v = m->vendors[i].vendor;
        for (size_t j = 0; j < v->install_paths.n + v->staged_paths.n; j++) {
            const char *p = j < v->install_paths.n ? v->install_paths.v[j]
                                                   : v->staged_paths.v[j - v->install_paths.n];
            size_t n = strlen(p);
            if (strncmp(path, p, n) == 0 && (path[n] == '/' || path[n] == '\0'))
                return true;
        }
    }
    return false;
}

/* Another vendor's kext in /Library/Extensions or /Library/StagedExtensions
 * that macOS cannot use: on 11+ it can keep the Auxiliary Kernel Collection
 * from being rebuilt for everyone (Turbo-Boost-Switcher issue 168). */
static int broken_others(kc_result *r)
{
    const kc_bundles *b = &r->model->host.other_kexts;

    if (!kc_platform_modern(&r->platform) || b->n == 0)
        return 0;
    r->broken_other = calloc(b->n, sizeof(*r->broken_other));
    if (r->broken_other == NULL)
        return -1;
    for (size_t i = 0; i < b->n; i++) {
        const kc_bundle *k = &b->items[i];
        if (under_vendor(r->model, k->path) ||
            (k->bundle_id && strncmp(k->bundle_id, "com.apple.", 10) == 0))
            continue;
        if (k->error != NULL || bad_owner(k))
            r->broken_other[r->n_broken_other++] = k;
    }
    if (r->n_broken_other > 0 &&
        add_host(r, KC_F_OTHER_STAGED_KEXT_BROKEN, KC_HOST_OTHER_KEXTS) == NULL)
        return -1;
    return 0;
}

/* Whether a third-party kext is on this Mac at all: one of the vendors'
 * (files, rows or loaded) or another bundle in the kext folders. */
static bool any_third_party_kext(const kc_result *r)
{
    const kc_bundles *b = &r->model->host.other_kexts;

    for (size_t i = 0; i < r->n_vendors; i++)
        if (has_kexts(&r->vendors[i], false))
            return true;
    for (size_t i = 0; i < b->n; i++)
        if (!b->items[i].bundle_id || strncmp(b->items[i].bundle_id, "com.apple.", 10) != 0)
            return true;
    return third_party_loaded(&r->model->host.ev);
}

/* The boot policy of an Apple silicon Mac, said only where a third-party
 * kext is there to be blocked: at Full Security, Apple's default, a Mac
 * whose products use system extensions only is as it should be. */
static int boot_policy(kc_result *r)
{
    const kc_platform *p = &r->platform;
    kc_code code = KC_F__COUNT;

    if (p->machine != KC_MACHINE_APPLE_SILICON || !any_third_party_kext(r))
        return 0;
    if (p->kexts_allowed == KC_NO)
        code = KC_F_BOOT_POLICY_BLOCKS_KEXTS;
    else if (p->kexts_allowed == KC_YES)
        code = KC_F_BOOT_POLICY_ALLOWS_KEXTS;
    else if (!third_party_loaded(&r->model->host.ev))
        code = KC_F_BOOT_POLICY_UNKNOWN;
    if (code != KC_F__COUNT && add_host(r, code, KC_HOST_BPUTIL) == NULL)
        return -1;
    return 0;
}

/* A kext of the vendor waits for a person to approve it (not a profile). */
static bool needs_user_approval(const kc_vendor_result *vr)
{
    return has_code(vr, KC_F_KEXT_PENDING_APPROVAL) || has_code(vr, KC_F_KEXT_NO_POLICY_RECORD);
}

/* Host findings that depend on what the vendors need (after them). */
static int judge_host_after(kc_result *r)
{
    bool approval = false;

    if (broken_others(r) != 0 || boot_policy(r) != 0)
        return -1;
    for (size_t i = 0; i < r->n_vendors; i++)
        approval = approval || needs_user_approval(&r->vendors[i]);
    /* On 11+ only an administrator approves, unless MDM lets standard users
     * (AllowNonAdminUserApprovals, 11.0+). */
    if (approval && kc_platform_modern(&r->platform) && !r->platform.non_admin_approvals &&
        add_host(r, KC_F_ADMIN_APPROVAL_REQUIRED, KC_HOST_MDM) == NULL)
        return -1;
    sort_findings(r->host_findings, r->n_host_findings);
    return 0;
}

/* Whether host finding f bears on vendor result vr. */
static bool bears_on(const kc_finding *f, const kc_vendor_result *vr)
{
    if (!vr->installed)
        return false;
    switch (f->code) {
    case KC_F_EVIDENCE_UNREADABLE:
        /* The system-extension sources matter to products that have them. */
        if (f->item == KC_HOST_SYSEXTS || f->item == KC_HOST_SYSEXT_MDM)
            return vr->ev->vendor->sysexts.n > 0;
        return true;
    case KC_F_BOOT_POLICY_BLOCKS_KEXTS:
    case KC_F_BOOT_POLICY_ALLOWS_KEXTS:
        return has_kexts(vr, false);
    case KC_F_BOOT_POLICY_UNKNOWN:
    case KC_F_OTHER_STAGED_KEXT_BROKEN:
        return has_kexts(vr, true);
    case KC_F_RUNNING_IN_VM:
    case KC_F_BOOTED_FROM_EXTERNAL_VOLUME:
        return has_kexts(vr, false);
    case KC_F_ADMIN_APPROVAL_REQUIRED:
        return needs_user_approval(vr);
    case KC_F_SIP_DISABLED:
    case KC_F_KEXT_SIGNING_DISABLED:
    case KC_F_CONSENT_DISABLED:
        return has_kexts(vr, false);
    default:
        return true;
    }
}

/* ---- joining the evidence to one vendor ------------------------------------- */

static const kc_bundle *find_bundle(const kc_bundles *b, const char *id)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->items[i].bundle_id && strcmp(b->items[i].bundle_id, id) == 0)
            return &b->items[i];
    return NULL;
}

static void match_rows(const kc_vendor *v, const kc_policy_rows *rows, kc_kext_state *k)
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

/* Whether the installed MDM kernel-extension policy allows the kext. */
static bool profile_allows(const kc_host *h, const char *team, const char *bundle_id)
{
    const kc_kext_policy *p = &h->kext_mdm;

    if (!h->kext_mdm_src.ok)
        return false;
    if (kc_strv_contains(&p->allowed_teams, team))
        return true;
    for (size_t i = 0; i < p->allowed.n; i++)
        if (same(p->allowed.v[i].team_id, team) && kc_strv_contains(&p->allowed.v[i].ids, bundle_id))
            return true;
    return false;
}

static void join_kext(const kc_host *h, const kc_vendor_evidence *ve, bool db_ok,
                      kc_kext_state *k)
{
    const kc_vendor *v = ve->vendor;
    const kc_evidence *ev = &h->ev;

    if (db_ok)
        match_rows(v, &ve->rows, k);
    k->installed = find_bundle(&ve->installed, k->bundle_id);
    k->staged = find_bundle(&ve->staged, k->bundle_id);
    k->loaded = KC_UNKNOWN;
    if (ev->loaded_src.ok) {
        k->loaded = KC_NO;
        for (size_t j = 0; j < ev->n_loaded && k->loaded == KC_NO; j++)
            if (same(ev->loaded[j].bundle_id, k->bundle_id)) {
                k->loaded = KC_YES;
                k->loaded_entry = &ev->loaded[j];
            }
    }
    k->mdm_profile = profile_allows(h, v->team_id, k->bundle_id);
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

/* Bundle IDs recorded under the vendor's team that its plugin does not
 * declare (a product's other kexts): judged like the declared ones. */
static size_t undeclared(const kc_vendor_evidence *ve, const char **ids, size_t max)
{
    const kc_vendor *v = ve->vendor;
    const kc_policy_rows *rows = &ve->rows;
    size_t n = 0;

    for (size_t i = 0; i < rows->n_policy + rows->n_history && n < max; i++) {
        bool hist = i >= rows->n_policy;
        const char *team = hist ? rows->history[i - rows->n_policy].team_id : rows->policy[i].team_id;
        const char *id = hist ? rows->history[i - rows->n_policy].bundle_id : rows->policy[i].bundle_id;
        bool seen = false;
        if (!same(team, v->team_id) || id == NULL || id[0] == '\0' ||
            kc_strv_contains(&v->kexts, id))
            continue;
        for (size_t j = 0; j < n && !seen; j++)
            seen = strcmp(ids[j], id) == 0;
        if (!seen)
            ids[n++] = id;
    }
    return n;
}

static int join(const kc_host *h, const kc_vendor_evidence *ve, kc_vendor_result *r)
{
    const kc_vendor *v = ve->vendor;
    const kc_evidence *ev = &h->ev;
    bool db_ok = h->db.state == KC_DB_OK && ve->query_error == NULL;
    const char *extra[KC_PLUGIN_ARRAY_MAX];
    size_t n_extra = db_ok ? undeclared(ve, extra, KC_PLUGIN_ARRAY_MAX) : 0;

    r->kexts = calloc(v->kexts.n + n_extra, sizeof(*r->kexts));
    r->sysexts = calloc(v->sysexts.n ? v->sysexts.n : 1, sizeof(*r->sysexts));
    if (r->kexts == NULL || r->sysexts == NULL)
        return -1;
    r->n_kexts = v->kexts.n + n_extra;
    for (size_t i = 0; i < r->n_kexts; i++) {
        kc_kext_state *k = &r->kexts[i];
        k->declared = i < v->kexts.n;
        k->bundle_id = k->declared ? v->kexts.v[i] : extra[i - v->kexts.n];
        join_kext(h, ve, db_ok, k);
    }
    r->n_sysexts = v->sysexts.n;
    for (size_t i = 0; i < v->sysexts.n; i++) {
        kc_sysext_state *x = &r->sysexts[i];
        x->identifier = v->sysexts.v[i];
        for (size_t j = 0; ev->sysext_src.ok && j < ev->n_sysexts; j++) {
            const kc_sysext *e = &ev->sysexts[j];
            /* On the team that signs the system extensions (ABI 1.2's
             * sysext_team_id), which may not be the kexts' team. */
            if (!same(e->identifier, x->identifier) ||
                !same(e->team_id, kc_vendor_sysext_team(v)))
                continue;
            /* Several entries (upgrades): prefer an activated one, else the last. */
            if (x->entry == NULL || !x->entry->state ||
                strncmp(x->entry->state, "activated_", 10) != 0 ||
                (e->state && strncmp(e->state, "activated_", 10) == 0))
                x->entry = e;
        }
    }
    return 0;
}

/* Whether the product is on this Mac at all. */
static bool is_installed(const kc_host *h, const kc_vendor_evidence *ve,
                         const kc_vendor_result *r)
{
    const kc_vendor *v = ve->vendor;
    const kc_evidence *ev = &h->ev;

    if (team_has_rows(v, &ve->rows))
        return true;
    for (size_t i = 0; i < ve->n_paths; i++)
        if (ve->paths[i].present)
            return true;
    for (size_t i = 0; i < r->n_sysexts; i++)
        if (r->sysexts[i].entry != NULL)
            return true;
    /* Its system extension registered under another team: TEAM_MISMATCH. */
    for (size_t j = 0; ev->sysext_src.ok && j < ev->n_sysexts; j++)
        if (ev->sysexts[j].identifier && kc_strv_contains(&v->sysexts, ev->sysexts[j].identifier))
            return true;
    for (size_t i = 0; i < r->n_kexts; i++)
        if (r->kexts[i].loaded == KC_YES)
            return true;
    /* A product with only system extensions cannot be called absent when
     * the system extension database could not be read. */
    return v->sysexts.n > 0 && ev->sysext_src.present && !ev->sysext_src.ok;
}

/* ---- the rules ----------------------------------------------------------------- */

/* A declared bundle ID recorded under another team, in the database or as
 * a registered system extension. */
static int rule_team_mismatch(const kc_host *h, const kc_vendor_evidence *ve, kc_vendor_result *r)
{
    const kc_vendor *v = ve->vendor;
    const kc_policy_rows *rows = &ve->rows;
    const kc_evidence *ev = &h->ev;
    kc_finding *f;

    for (size_t i = 0; i < rows->n_policy + rows->n_history; i++) {
        bool hist = i >= rows->n_policy;
        const kc_history_row *hr = hist ? &rows->history[i - rows->n_policy] : NULL;
        const char *team = hist ? hr->team_id : rows->policy[i].team_id;
        const char *id = hist ? hr->bundle_id : rows->policy[i].bundle_id;
        if (id == NULL || team == NULL || strcmp(team, v->team_id) == 0 ||
            !kc_strv_contains(&v->kexts, id))
            continue;
        if ((f = add_v(r, KC_F_TEAM_MISMATCH)) == NULL)
            return -1;
        f->subject = id;
        f->team = team;
        f->history = hr;
    }
    for (size_t i = 0; ev->sysext_src.ok && i < ev->n_sysexts; i++) {
        const kc_sysext *x = &ev->sysexts[i];
        if (x->identifier == NULL || x->team_id == NULL ||
            strcmp(x->team_id, kc_vendor_sysext_team(v)) == 0 ||
            !kc_strv_contains(&v->sysexts, x->identifier))
            continue;
        if ((f = add_v(r, KC_F_TEAM_MISMATCH)) == NULL)
            return -1;
        f->subject = x->identifier;
        f->team = x->team_id;
        f->sysext_entry = x;
    }
    return 0;
}

/* A staged bundle that could not be read may be the "missing" copy. */
static bool any_unreadable(const kc_bundles *b)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->items[i].error != NULL)
            return true;
    return false;
}

/* The finding for a kext that waits for approval: whoever can give it. */
static kc_code approval_code(const kc_platform *p, kc_code user_code)
{
    /* An installed MDM kext policy without AllowUserOverrides: users cannot
     * approve what it does not list; the profile is the fix. */
    return p->kext_mdm && !p->user_overrides ? KC_F_MDM_BLOCKS_USER_APPROVAL : user_code;
}

/* The copy of the kext macOS loads: the staged one where staging applies,
 * else the installed one. */
static const kc_bundle *loaded_copy(const enforcement *e, const kc_kext_state *k)
{
    if (k->staged != NULL && e->staging_applies)
        return k->staged;
    return k->installed ? k->installed : k->staged;
}

static const kc_kext_extra *extra_of(const kc_vendor_evidence *ve, const kc_kext_state *k)
{
    for (size_t i = 0; i < ve->n_extras; i++)
        if (strcmp(ve->extras[i].bundle_id, k->bundle_id) == 0)
            return &ve->extras[i];
    return NULL;
}

/* What keeps the kext itself from loading whatever its approval: no
 * arm64e slice on Apple silicon, a bundle not owned by root:wheel or
 * writable by others, a missing or broken signature, or another team's.
 * 1 when one was found, 0 when none, -1 on OOM. */
static int rule_kext_itself(const kc_vendor_evidence *ve, const kc_platform *p,
                            const enforcement *e, kc_vendor_result *r, kc_kext_state *k)
{
    const kc_bundle *b = loaded_copy(e, k);
    const kc_kext_extra *x = extra_of(ve, k);
    const kc_bundle *copies[2] = {k->installed, k->staged};
    kc_finding *f;
    int found = 0;

    /* Rosetta does not translate kexts: Apple silicon loads arm64e only. */
    if (p->machine == KC_MACHINE_APPLE_SILICON && b != NULL && b->archs != NULL &&
        !b->has_arm64e) {
        if ((f = add_kext(r, KC_F_KEXT_ARCH_UNSUPPORTED, k)) == NULL)
            return -1;
        f->bundle = b;
        found = 1;
    }
    for (int i = 0; i < 2; i++) {
        if (copies[i] == NULL || !bad_owner(copies[i]) || (i == 1 && copies[1] == copies[0]))
            continue;
        if ((f = add_kext(r, KC_F_KEXT_BUNDLE_PERMISSIONS, k)) == NULL)
            return -1;
        f->bundle = copies[i];
        found = 1;
    }
    if (x != NULL && x->codesign_src.ok) {
        const kc_codesign *cs = &x->codesign;
        bool invalid = cs->is_signed == KC_NO || cs->adhoc ||
                       (cs->is_signed != KC_YES && cs->error != NULL);
        kc_code code = invalid ? KC_F_KEXT_SIGNATURE_INVALID
                       : cs->is_signed == KC_YES && cs->team_id != NULL &&
                               strcmp(cs->team_id, ve->vendor->team_id) != 0
                           ? KC_F_KEXT_SIGNED_BY_OTHER_TEAM
                           : KC_F__COUNT;
        if (code != KC_F__COUNT) {
            if ((f = add_kext(r, code, k)) == NULL)
                return -1;
            f->extra = x;
            f->bundle = x->bundle;
            f->team = cs->team_id;
            found = 1;
        }
    }
    return found;
}

static int rule_kext(const kc_vendor_evidence *ve, const kc_platform *p, const enforcement *e,
                     bool any_identified, kc_vendor_result *r, kc_kext_state *k)
{
    const kc_vendor *v = ve->vendor;
    bool need = approval_needed(e);
    int cause;
    bool on_disk = k->installed || k->staged;
    bool approved = k->policy == KC_POLICY_ALLOWED || k->policy == KC_POLICY_MDM;
    kc_code code = KC_F__COUNT;

    switch (k->policy) {
    case KC_POLICY_ALLOWED:
        code = KC_F_KEXT_APPROVED;
        break;
    case KC_POLICY_MDM:
        code = KC_F_KEXT_APPROVED_MDM;
        break;
    case KC_POLICY_PENDING:
        /* A loaded kext is not waiting, whatever the row says. */
        if (k->loaded == KC_YES)
            break;
        if (k->mdm_profile)
            code = KC_F_MDM_PROFILE_ALLOWS;
        else if (need)
            code = approval_code(p, KC_F_KEXT_PENDING_APPROVAL);
        break;
    case KC_POLICY_NONE:
        if (!(on_disk || k->history ||
              (!any_identified && ve->installed.n + ve->staged.n > 0)))
            break;
        if (k->mdm_profile)
            code = KC_F_MDM_PROFILE_ALLOWS;
        else if (need && k->loaded != KC_YES)
            code = approval_code(p, KC_F_KEXT_NO_POLICY_RECORD);
        break;
    case KC_POLICY_UNKNOWN:
        if (k->row != NULL && k->row->allowed < 0)
            code = KC_F_POLICY_ROW_UNEXPECTED;
        break;
    }
    if (code != KC_F__COUNT && add_kext(r, code, k) == NULL)
        return -1;
    if (!k->declared && add_kext(r, KC_F_KEXT_NOT_DECLARED, k) == NULL)
        return -1;
    cause = rule_kext_itself(ve, p, e, r, k);
    if (cause < 0)
        return -1;
    /* Versions are compared only when both copies were read cleanly. */
    if (staging_applies(e) && k->installed && k->staged && !k->installed->error &&
        !k->staged->error && version_of(k->installed) && version_of(k->staged) &&
        !same(version_of(k->installed), version_of(k->staged)))
        return add_kext(r, KC_F_STAGED_COPY_STALE, k) ? 0 : -1;
    if (k->loaded == KC_YES)
        return add_kext(r, KC_F_KEXT_LOADED, k) ? 0 : -1;
    if (k->loaded == KC_NO && on_disk && (approved || !need)) {
        /* The boot policy keeps every third-party kext out, or the kext
         * itself cannot load (its binary, owner or signature): that is the
         * cause, not a restart. */
        if ((p->machine == KC_MACHINE_APPLE_SILICON && p->kexts_allowed == KC_NO) || cause > 0)
            return 0;
        /* On 11+ an approved kext joins the Auxiliary Kernel Collection at
         * the next restart (Apple 102026). */
        return add_kext(r, kc_platform_modern(p) ? KC_F_RESTART_REQUIRED : KC_F_KEXT_NOT_LOADED,
                        k)
                   ? 0
                   : -1;
    }
    if (k->installed && !k->staged && v->staged_paths.n > 0 && staging_applies(e) &&
        !any_unreadable(&ve->staged) && approved)
        return add_kext(r, KC_F_STAGED_COPY_MISSING, k) ? 0 : -1;
    return 0;
}

/* The SIP kext-consent list, where it can help: an Intel Mac on 10.13-10.15
 * (documented there, HT208019), SIP on, consent enabled, the team not
 * listed, and approval the blocker (a kext waiting or never recorded). */
static int rule_consent(const kc_evidence *ev, const kc_platform *p, const enforcement *e,
                        kc_vendor_result *r)
{
    if (p->machine != KC_MACHINE_INTEL || !kc_platform_legacy(p))
        return 0;
    if (!has_code(r, KC_F_KEXT_PENDING_APPROVAL) && !has_code(r, KC_F_KEXT_NO_POLICY_RECORD))
        return 0;
    if (!ev->consent_list_src.ok || e->team_listed || !staging_applies(e) || e->consent_off)
        return 0;
    return add_v(r, KC_F_CONSENT_TEAM_NOT_LISTED) ? 0 : -1;
}

static kc_code sysext_code(const char *state)
{
    static const struct {
        const char *state;
        kc_code code;
    } states[] = {
        {"activated_enabled", KC_F_SYSEXT_ACTIVE},
        {"activated_waiting_for_user", KC_F_SYSEXT_WAITING_FOR_USER},
        {"activated_disabled", KC_F_SYSEXT_DISABLED},
        {"activated_enabling", KC_F_SYSEXT_ENABLING},
        {"activated_waiting_to_upgrade", KC_F_SYSEXT_WAITING_TO_UPGRADE},
        {"terminated_waiting_to_uninstall_on_reboot", KC_F_SYSEXT_UNINSTALL_PENDING},
        {"uninstalling", KC_F_SYSEXT_UNINSTALLING},
    };

    for (size_t i = 0; state != NULL && i < sizeof(states) / sizeof(states[0]); i++)
        if (strcmp(state, states[i].state) == 0)
            return states[i].code;
    return KC_F_SYSEXT_STATE_UNKNOWN;
}

/* Whether the installed MDM system-extension policy lets the extension in:
 * listed, its team allowed, or types allowed for its team (the type is not
 * known here, so any type counts); or users may approve it (the payload's
 * AllowUserOverrides defaults to true). */
static bool sysext_allowed(const kc_host *h, const char *team, const char *id)
{
    const kc_sysext_policy *p = &h->sysext_mdm;

    if (!h->sysext_mdm_src.ok || p->allow_user_overrides != KC_NO)
        return true;
    if (kc_strv_contains(&p->allowed_teams, team))
        return true;
    for (size_t i = 0; i < p->allowed.n; i++)
        if (same(p->allowed.v[i].team_id, team) && kc_strv_contains(&p->allowed.v[i].ids, id))
            return true;
    for (size_t i = 0; i < p->allowed_types.n; i++)
        if (same(p->allowed_types.v[i].team_id, team) && p->allowed_types.v[i].ids.n > 0)
            return true;
    return false;
}

static int rule_sysexts(const kc_host *h, const kc_vendor *v, kc_vendor_result *r)
{
    for (size_t i = 0; i < r->n_sysexts; i++) {
        kc_sysext_state *x = &r->sysexts[i];
        kc_code code;
        kc_finding *f;
        if (x->entry == NULL)
            continue;
        code = sysext_code(x->entry->state);
        /* Waiting for a user who may not approve it: the profile is the fix. */
        if (code == KC_F_SYSEXT_WAITING_FOR_USER && !sysext_allowed(h, v->team_id, x->identifier))
            code = KC_F_SYSEXT_MDM_BLOCKS;
        if ((f = add_v(r, code)) == NULL)
            return -1;
        f->sysext = x;
        f->subject = x->identifier;
    }
    return 0;
}

/* A kext bundle under the vendor's paths whose Info.plist is unusable. */
static int rule_bundles(kc_vendor_result *r, const kc_bundles *b)
{
    for (size_t i = 0; i < b->n; i++) {
        kc_finding *f;
        if (b->items[i].error == NULL)
            continue;
        if ((f = add_v(r, KC_F_BUNDLE_UNREADABLE)) == NULL)
            return -1;
        f->bundle = &b->items[i];
        f->subject = b->items[i].bundle_id;
    }
    return 0;
}

/* The first actionable finding among the vendor's and the host findings
 * that bear on it: its first step is the next thing to do. */
static const kc_finding *next_step(const kc_result *res, const kc_vendor_result *r)
{
    const kc_finding *best = NULL;

    for (size_t i = 0; i < r->n_findings + r->n_host_refs; i++) {
        const kc_finding *f = i < r->n_findings ? &r->findings[i]
                                                : &res->host_findings[r->host_refs[i - r->n_findings]];
        if (kc_code_info_of(f->code)->severity == KC_SEV_OK)
            continue;
        if (best == NULL || finding_rank(f) < finding_rank(best))
            best = f;
    }
    return best;
}

/* The vendor's own findings. */
static int judge_vendor(const kc_host *h, const kc_platform *p, const kc_vendor_evidence *ve,
                        kc_vendor_result *r)
{
    const kc_evidence *ev = &h->ev;
    enforcement e = enforcement_of(ev, p, ve->vendor);
    bool any_identified = false;
    kc_finding *f;

    r->ev = ve;
    r->enforcement = e;
    if (join(h, ve, r) != 0)
        return -1;
    for (size_t i = 0; i < r->n_kexts; i++)
        any_identified = any_identified || r->kexts[i].installed || r->kexts[i].staged;
    r->installed = is_installed(h, ve, r);
    if (!r->installed)
        return add_v(r, KC_F_NOT_INSTALLED) ? 0 : -1;
    if (ve->query_error != NULL && h->db.state == KC_DB_OK) {
        if ((f = add_v(r, KC_F_POLICY_DB_UNREADABLE)) == NULL)
            return -1;
        f->item = KC_HOST_DB;
    }
    if (rule_team_mismatch(h, ve, r) != 0)
        return -1;
    if (e.team_listed && !e.consent_off && add_v(r, KC_F_CONSENT_TEAM_LISTED) == NULL)
        return -1;
    for (size_t i = 0; i < r->n_kexts; i++)
        if (rule_kext(ve, p, &e, any_identified, r, &r->kexts[i]) != 0)
            return -1;
    if (rule_consent(ev, p, &e, r) != 0 || rule_sysexts(h, ve->vendor, r) != 0 ||
        rule_bundles(r, &ve->installed) != 0 || rule_bundles(r, &ve->staged) != 0)
        return -1;
    sort_findings(r->findings, r->n_findings);
    return 0;
}

/* The host findings that bear on the vendor count toward its status. */
static int settle_vendor(const kc_result *res, kc_vendor_result *r)
{
    kc_severity worst = KC_SEV_OK;

    if (!r->installed) {
        r->status = KC_STATUS_NOT_INSTALLED;
        return 0;
    }
    r->host_refs = calloc(res->n_host_findings ? res->n_host_findings : 1,
                          sizeof(*r->host_refs));
    if (r->host_refs == NULL)
        return -1;
    for (size_t i = 0; i < res->n_host_findings; i++)
        if (bears_on(&res->host_findings[i], r))
            r->host_refs[r->n_host_refs++] = i;
    for (size_t i = 0; i < r->n_findings + r->n_host_refs; i++) {
        const kc_finding *g = i < r->n_findings ? &r->findings[i]
                                                : &res->host_findings[r->host_refs[i - r->n_findings]];
        kc_severity sev = kc_code_info_of(g->code)->severity;
        if (sev > worst)
            worst = sev;
    }
    r->status = worst == KC_SEV_CRITICAL  ? KC_STATUS_CRITICAL
                : worst == KC_SEV_WARNING ? KC_STATUS_WARNING
                : worst == KC_SEV_UNKNOWN ? KC_STATUS_UNKNOWN
                                          : KC_STATUS_OK;
    r->next = next_step(res, r);
    return 0;
}

/* Worst first: critical > warning > could not check (unknown, a refused
 * plugin, no plugin at all) > ok. */
static int exit_code_of(const kc_result *r, size_t n_refused)
{
    bool warning = false, unknown = n_refused > 0 || r->n_vendors == 0;

    for (size_t i = 0; i < r->n_vendors; i++) {
        switch (r->vendors[i].status) {
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

int kc_judge(const kc_model *m, kc_result *out)
{
    memset(out, 0, sizeof(*out));
    out->model = m;
    platform_of(&m->host, &out->platform);
    if (judge_host(&m->host, out) != 0)
        return -1;
    out->vendors = calloc(m->n_vendors ? m->n_vendors : 1, sizeof(*out->vendors));
    if (out->vendors == NULL)
        return -1;
    for (size_t i = 0; i < m->n_vendors; i++) {
        out->n_vendors++;
        if (judge_vendor(&m->host, &out->platform, &m->vendors[i], &out->vendors[i]) != 0)
            return -1;
    }
    if (judge_host_after(out) != 0)
        return -1;
    for (size_t i = 0; i < out->n_vendors; i++)
        if (settle_vendor(out, &out->vendors[i]) != 0)
            return -1;
    out->exit_code = exit_code_of(out, m->n_refused);
    return 0;
}

static void finding_free(kc_finding *f)
{
    free(f->id);
    free(f->message);
    kc_strv_free(&f->evidence);
    kc_strv_free(&f->steps);
}

void kc_result_free(kc_result *r)
{
    free(r->broken_other);
    for (size_t i = 0; i < r->n_host_findings; i++)
        finding_free(&r->host_findings[i]);
    free(r->host_findings);
    for (size_t i = 0; i < r->n_vendors; i++) {
        kc_vendor_result *v = &r->vendors[i];
        for (size_t j = 0; j < v->n_findings; j++)
            finding_free(&v->findings[j]);
        free(v->findings);
        free(v->kexts);
        free(v->sysexts);
        free(v->host_refs);
    }
    free(r->vendors);
    memset(r, 0, sizeof(*r));
}
