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
    [KC_F_SIP_DISABLED] = {"SIP_DISABLED", KC_SEV_WARNING, KC_RUNG_FIRST, true},
    [KC_F_KEXT_SIGNING_DISABLED] = {"KEXT_SIGNING_DISABLED", KC_SEV_WARNING, KC_RUNG_FIRST,
                                    true},
    [KC_F_CONSENT_DISABLED] = {"CONSENT_DISABLED", KC_SEV_WARNING, KC_RUNG_FIRST, true},
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
    [KC_F_STAGED_COPY_STALE] = {"STAGED_COPY_STALE", KC_SEV_CRITICAL, KC_RUNG_CLEAR_STAGING,
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
        [KC_RUNG_APPROVE] = "approve",     [KC_RUNG_REINSTALL] = "reinstall",
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

/* ---- what the host's evidence says about enforcement ---------------------- */

typedef kc_enforcement enforcement;

/* SIP or Kext Signing off: no approval and no staging; consent disabled or
 * the team on the consent list: no approval needed. */
static enforcement enforcement_of(const kc_evidence *ev, const kc_vendor *v)
{
    enforcement e;

    memset(&e, 0, sizeof(e));
    e.sip_off = ev->sip_src.ok && ev->sip == KC_SIP_DISABLED;
    e.signing_off = ev->sip_src.ok && !e.sip_off && ev->kext_signing == KC_NO;
    e.consent_off = ev->consent_status_src.ok && ev->consent_enabled == KC_NO;
    e.team_listed = v != NULL && ev->consent_list_src.ok &&
                    kc_strv_contains(&ev->consent_teams, v->team_id);
    e.approval_needed = !e.sip_off && !e.signing_off && !e.consent_off && !e.team_listed;
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

static const kc_source *host_source(const kc_evidence *ev, kc_host_item item)
{
    switch (item) {
    case KC_HOST_CONSENT_STATUS:
        return &ev->consent_status_src;
    case KC_HOST_CONSENT_LIST:
        return &ev->consent_list_src;
    case KC_HOST_SIP:
        return &ev->sip_src;
    case KC_HOST_LOADED:
        return &ev->loaded_src;
    case KC_HOST_MDM:
        return &ev->mdm_src;
    case KC_HOST_OS:
        return &ev->os_src;
    case KC_HOST_SYSEXTS:
        return &ev->sysext_src;
    default:
        return NULL;
    }
}

static int judge_host(const kc_host *h, kc_result *r)
{
    const kc_evidence *ev = &h->ev;
    enforcement e = enforcement_of(ev, NULL);
    kc_finding *f;

    if (h->db.state == KC_DB_NO_TABLES) {
        if ((f = add(&r->host_findings, &r->n_host_findings, KC_F_POLICY_TABLES_MISSING)) ==
            NULL)
            return -1;
        f->item = KC_HOST_DB;
    } else if (h->db.state != KC_DB_OK) {
        if ((f = add(&r->host_findings, &r->n_host_findings, KC_F_POLICY_DB_UNREADABLE)) ==
            NULL)
            return -1;
        f->item = KC_HOST_DB;
    }
    if (e.sip_off || e.signing_off || e.consent_off) {
        kc_code code = e.sip_off       ? KC_F_SIP_DISABLED
                       : e.signing_off ? KC_F_KEXT_SIGNING_DISABLED
                                       : KC_F_CONSENT_DISABLED;
        if ((f = add(&r->host_findings, &r->n_host_findings, code)) == NULL)
            return -1;
        f->item = e.sip_off || e.signing_off ? KC_HOST_SIP : KC_HOST_CONSENT_STATUS;
    }
    /* A source that was there but could not be used leaves part of the
     * answer unknown. */
    for (int i = KC_HOST_CONSENT_STATUS; i < KC_HOST__COUNT; i++) {
        const kc_source *src = host_source(ev, (kc_host_item)i);
        if (src == NULL || !src->present || src->ok)
            continue;
        if ((f = add(&r->host_findings, &r->n_host_findings, KC_F_EVIDENCE_UNREADABLE)) == NULL)
            return -1;
        f->item = (kc_host_item)i;
    }
    sort_findings(r->host_findings, r->n_host_findings);
    return 0;
}

/* Whether host finding f bears on vendor result vr. */
static bool bears_on(const kc_finding *f, const kc_vendor_result *vr)
{
    if (!vr->installed)
        return false;
    /* The system extension database matters to products that have them. */
    if (f->code == KC_F_EVIDENCE_UNREADABLE && f->item == KC_HOST_SYSEXTS)
        return vr->ev->vendor->sysexts.n > 0;
    return true;
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

static int join(const kc_host *h, const kc_vendor_evidence *ve, kc_vendor_result *r)
{
    const kc_vendor *v = ve->vendor;
    const kc_evidence *ev = &h->ev;
    bool db_ok = h->db.state == KC_DB_OK && ve->query_error == NULL;

    r->kexts = calloc(v->kexts.n ? v->kexts.n : 1, sizeof(*r->kexts));
    r->sysexts = calloc(v->sysexts.n ? v->sysexts.n : 1, sizeof(*r->sysexts));
    if (r->kexts == NULL || r->sysexts == NULL)
        return -1;
    r->n_kexts = v->kexts.n;
    for (size_t i = 0; i < v->kexts.n; i++) {
        kc_kext_state *k = &r->kexts[i];
        k->bundle_id = v->kexts.v[i];
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
        if (ev->mdm_src.ok) {
            k->mdm_profile = kc_strv_contains(&ev->mdm_teams, v->team_id);
            for (size_t j = 0; j < ev->n_mdm_kexts && !k->mdm_profile; j++)
                k->mdm_profile = same(ev->mdm_kexts[j].team_id, v->team_id) &&
                                 same(ev->mdm_kexts[j].bundle_id, k->bundle_id);
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
    r->n_sysexts = v->sysexts.n;
    for (size_t i = 0; i < v->sysexts.n; i++) {
        kc_sysext_state *x = &r->sysexts[i];
        x->identifier = v->sysexts.v[i];
        for (size_t j = 0; ev->sysext_src.ok && j < ev->n_sysexts; j++) {
            const kc_sysext *e = &ev->sysexts[j];
            if (!same(e->identifier, x->identifier) || !same(e->team_id, v->team_id))
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
        if (x->identifier == NULL || x->team_id == NULL || strcmp(x->team_id, v->team_id) == 0 ||
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

static int rule_kext(const kc_vendor_evidence *ve, const enforcement *e, bool any_identified,
                     kc_vendor_result *r, kc_kext_state *k)
{
    const kc_vendor *v = ve->vendor;
    bool need = approval_needed(e);
    bool on_disk = k->installed || k->staged;
    kc_code code = KC_F__COUNT;

    switch (k->policy) {
    case KC_POLICY_ALLOWED:
        code = KC_F_KEXT_APPROVED;
        break;
    case KC_POLICY_MDM:
        code = KC_F_KEXT_APPROVED_MDM;
        break;
    case KC_POLICY_PENDING:
        /* A loaded kext is not waiting, whatever the row says; without
         * enforcement, the host finding says why the row does not matter. */
        if (k->loaded == KC_YES)
            break;
        if (k->mdm_profile)
            code = KC_F_MDM_PROFILE_ALLOWS;
        else if (need)
            code = KC_F_KEXT_PENDING_APPROVAL;
        break;
    case KC_POLICY_NONE:
        if (!(on_disk || k->history ||
              (!any_identified && ve->installed.n + ve->staged.n > 0)))
            break;
        if (k->mdm_profile)
            code = KC_F_MDM_PROFILE_ALLOWS;
        else if (need && k->loaded != KC_YES)
            code = KC_F_KEXT_NO_POLICY_RECORD;
        break;
    case KC_POLICY_UNKNOWN:
        if (k->row != NULL && k->row->allowed < 0)
            code = KC_F_POLICY_ROW_UNEXPECTED;
        break;
    }
    if (code != KC_F__COUNT && add_kext(r, code, k) == NULL)
        return -1;
    /* Versions are compared only when both copies were read cleanly. */
    if (staging_applies(e) && k->installed && k->staged && !k->installed->error &&
        !k->staged->error && version_of(k->installed) && version_of(k->staged) &&
        !same(version_of(k->installed), version_of(k->staged)))
        return add_kext(r, KC_F_STAGED_COPY_STALE, k) ? 0 : -1;
    if (k->loaded == KC_YES)
        return add_kext(r, KC_F_KEXT_LOADED, k) ? 0 : -1;
    if (k->loaded == KC_NO && on_disk &&
        (k->policy == KC_POLICY_ALLOWED || k->policy == KC_POLICY_MDM || !need))
        return add_kext(r, KC_F_KEXT_NOT_LOADED, k) ? 0 : -1;
    if (k->installed && !k->staged && v->staged_paths.n > 0 && staging_applies(e) &&
        !any_unreadable(&ve->staged) &&
        (k->policy == KC_POLICY_ALLOWED || k->policy == KC_POLICY_MDM))
        return add_kext(r, KC_F_STAGED_COPY_MISSING, k) ? 0 : -1;
    return 0;
}

/* After a kext that is allowed but not loaded: the consent list. */
static int rule_consent(const kc_evidence *ev, const enforcement *e, kc_vendor_result *r)
{
    bool not_loaded = false;

    for (size_t i = 0; i < r->n_findings; i++)
        not_loaded = not_loaded || r->findings[i].code == KC_F_KEXT_NOT_LOADED;
    if (!not_loaded || !ev->consent_list_src.ok || e->team_listed || !staging_applies(e) ||
        e->consent_off)
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

static int rule_sysexts(kc_vendor_result *r)
{
    for (size_t i = 0; i < r->n_sysexts; i++) {
        kc_sysext_state *x = &r->sysexts[i];
        kc_finding *f;
        if (x->entry == NULL)
            continue;
        if ((f = add_v(r, sysext_code(x->entry->state))) == NULL)
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

static int judge_vendor(const kc_host *h, const kc_vendor_evidence *ve, kc_result *res,
                        kc_vendor_result *r)
{
    const kc_evidence *ev = &h->ev;
    enforcement e = enforcement_of(ev, ve->vendor);
    bool any_identified = false;
    kc_severity worst = KC_SEV_OK;
    kc_finding *f;

    r->ev = ve;
    r->enforcement = e;
    if (join(h, ve, r) != 0)
        return -1;
    for (size_t i = 0; i < r->n_kexts; i++)
        any_identified = any_identified || r->kexts[i].installed || r->kexts[i].staged;
    r->installed = is_installed(h, ve, r);
    if (!r->installed) {
        r->status = KC_STATUS_NOT_INSTALLED;
        return add_v(r, KC_F_NOT_INSTALLED) ? 0 : -1;
    }
    if (ve->query_error != NULL && h->db.state == KC_DB_OK) {
        if ((f = add_v(r, KC_F_POLICY_DB_UNREADABLE)) == NULL)
            return -1;
        f->item = KC_HOST_DB;
    }
    if (rule_team_mismatch(h, ve, r) != 0)
        return -1;
    if (e.team_listed && !e.sip_off && !e.signing_off && !e.consent_off &&
        add_v(r, KC_F_CONSENT_TEAM_LISTED) == NULL)
        return -1;
    for (size_t i = 0; i < r->n_kexts; i++)
        if (rule_kext(ve, &e, any_identified, r, &r->kexts[i]) != 0)
            return -1;
    if (rule_consent(ev, &e, r) != 0 || rule_sysexts(r) != 0 ||
        rule_bundles(r, &ve->installed) != 0 || rule_bundles(r, &ve->staged) != 0)
        return -1;
    sort_findings(r->findings, r->n_findings);
    /* The host findings that bear on it count toward its status. */
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
        kc_severity s = kc_code_info_of(g->code)->severity;
        if (s > worst)
            worst = s;
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
    if (judge_host(&m->host, out) != 0)
        return -1;
    out->vendors = calloc(m->n_vendors ? m->n_vendors : 1, sizeof(*out->vendors));
    if (out->vendors == NULL)
        return -1;
    for (size_t i = 0; i < m->n_vendors; i++) {
        out->n_vendors++;
        if (judge_vendor(&m->host, &m->vendors[i], out, &out->vendors[i]) != 0)
            return -1;
    }
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
