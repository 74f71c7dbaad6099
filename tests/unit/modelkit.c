/* kc_model values built by hand (see modelkit.h). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "modelkit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const mk_guard[] = {MK_GUARD, NULL};
const char *const mk_guard_filter[] = {MK_GUARD, MK_FILTER, NULL};
const char *const mk_sysext[] = {MK_SYSEXT, NULL};

static char *dup_or_null(const char *s)
{
    char *p;

    if (s == NULL)
        return NULL;
    p = kc_strdup(s);
    if (p == NULL)
        fail_msg("out of memory");
    return p;
}

static void replace(char **field, const char *s)
{
    free(*field);
    *field = dup_or_null(s);
}

/* Grows an array of *n elements of size bytes by one zeroed element. */
static void *grow_array(void *items, size_t *n, size_t size)
{
    char *p = realloc(items, (*n + 1) * size);

    if (p == NULL) {
        fail_msg("out of memory");
        return items;
    }
    memset(p + *n * size, 0, size);
    (*n)++;
    return p;
}

/* Appends a zeroed element to the array arr of n elements; its address. */
#define GROW(arr, n) ((arr) = grow_array((arr), &(n), sizeof(*(arr))), &(arr)[(n) - 1])

/* ---- the host ------------------------------------------------------------ */

/* Each host source: its origin for the snapshot MK_ROOT and what gather.c
 * says when it is not there. */
static const struct {
    const char *origin;
    const char *absent;
} sources[KC_HOST__COUNT] = {
    [KC_HOST_CONSENT_STATUS] = {MK_O_STATUS, "not in the snapshot"},
    [KC_HOST_CONSENT_LIST] = {MK_O_LIST, "not in the snapshot"},
    [KC_HOST_SIP] = {MK_O_SIP, "not in the snapshot"},
    [KC_HOST_LOADED] = {MK_O_LOADED, "not in the snapshot"},
    [KC_HOST_MDM] = {MK_O_MDM, "not present"},
    [KC_HOST_OS] = {MK_O_OS, "not present"},
    [KC_HOST_SYSEXTS] = {MK_O_SYSEXT, "not present"},
    [KC_HOST_UNAME] = {MK_O_UNAME, "not in the snapshot"},
    [KC_HOST_ARM64] = {MK_O_ARM64, "not in the snapshot"},
    [KC_HOST_BPUTIL] = {MK_O_BPUTIL, "not in the snapshot"},
    [KC_HOST_SYSEXT_MDM] = {MK_O_SYSEXT_MDM, "not present"},
    [KC_HOST_VMM] = {MK_O_VMM, "not in the snapshot"},
    [KC_HOST_DISKUTIL] = {MK_O_DISKUTIL, "not in the snapshot"},
};

kc_source *mk_src(mk_model *k, kc_host_item item)
{
    kc_source *src = (kc_source *)kc_host_source(&k->m.host, item);

    if (src == NULL)
        fail_msg("host item %d has no source", (int)item);
    return src;
}

void mk_absent(mk_model *k, kc_host_item item)
{
    kc_source *src = mk_src(k, item);

    src->present = false;
    src->ok = false;
    replace(&src->origin, sources[item].origin);
    replace(&src->error, sources[item].absent);
}

void mk_unreadable(mk_model *k, kc_host_item item, const char *error)
{
    kc_source *src = mk_src(k, item);

    src->present = true;
    src->ok = false;
    replace(&src->error, error);
}

static void mark_ok(mk_model *k, kc_host_item item)
{
    kc_source *src = mk_src(k, item);

    src->present = true;
    src->ok = true;
    replace(&src->error, NULL);
}

void mk_init(mk_model *k)
{
    kc_host *h = &k->m.host;
    kc_evidence *ev = &h->ev;

    memset(k, 0, sizeof(*k));
    h->root = dup_or_null(MK_ROOT);
    h->root_real = dup_or_null(MK_ROOT);
    h->live = false;
    h->collected = false;
    h->db.state = KC_DB_OK;
    h->db.path = dup_or_null(MK_DB_PATH);
    h->db.access = "in_place";
    h->db.has_kext_policy = h->db.has_mdm = h->db.has_history = h->db.has_cdhash = true;
    ev->consent_enabled = KC_UNKNOWN;
    ev->kext_signing = KC_UNKNOWN;
    ev->sip = KC_SIP_UNKNOWN;
    /* The policies and the boot policy in their parsers' "nothing known"
     * state (KC_UNKNOWN is not 0). */
    kc_kext_policy_free(&h->kext_mdm);
    kc_sysext_policy_free(&h->sysext_mdm);
    h->plat.boot.v.third_party_kexts = KC_UNKNOWN;
    h->plat.boot.v.user_mdm = KC_UNKNOWN;
    h->plat.boot.v.dep_mdm = KC_UNKNOWN;
    h->plat.boot.v.sip = KC_UNKNOWN;
    for (int i = KC_HOST_CONSENT_STATUS; i < KC_HOST__COUNT; i++)
        if (kc_host_source(&k->m.host, (kc_host_item)i) != NULL)
            mk_absent(k, (kc_host_item)i);
    k->m.vendors = calloc(MK_MAX_VENDORS, sizeof(*k->m.vendors));
    if (k->m.vendors == NULL)
        fail_msg("out of memory");
}

void mk_free(mk_model *k)
{
    if (k->judged)
        kc_result_free(&k->r);
    kc_model_free(&k->m);
    for (size_t i = 0; i < MK_MAX_VENDORS; i++)
        kc_vendor_free(&k->decl[i]);
    memset(k, 0, sizeof(*k));
}

void mk_db(mk_model *k, kc_db_state state, const char *error)
{
    kc_db_info *db = &k->m.host.db;

    db->state = state;
    replace(&db->error, error);
    db->has_kext_policy = db->has_mdm = db->has_history = db->has_cdhash = state == KC_DB_OK;
}

void mk_recovery(mk_model *k, const char *volume)
{
    replace(&k->m.host.recovery.volume, volume);
}

void mk_sip(mk_model *k, kc_sip sip, kc_tri kext_signing)
{
    mark_ok(k, KC_HOST_SIP);
    k->m.host.ev.sip = sip;
    k->m.host.ev.kext_signing = kext_signing;
}

void mk_consent(mk_model *k, kc_tri enabled)
{
    mark_ok(k, KC_HOST_CONSENT_STATUS);
    k->m.host.ev.consent_enabled = enabled;
}

void mk_consent_list(mk_model *k, const char *const *teams)
{
    mark_ok(k, KC_HOST_CONSENT_LIST);
    for (size_t i = 0; teams[i] != NULL; i++)
        if (kc_strv_push(&k->m.host.ev.consent_teams, teams[i]) != 0)
            fail_msg("out of memory");
}

void mk_loaded_list(mk_model *k)
{
    mark_ok(k, KC_HOST_LOADED);
}

void mk_loaded(mk_model *k, const char *bundle, const char *version)
{
    kc_evidence *ev = &k->m.host.ev;
    kc_loaded_kext *x;

    mark_ok(k, KC_HOST_LOADED);
    x = GROW(ev->loaded, ev->n_loaded);
    x->bundle_id = dup_or_null(bundle);
    x->version = dup_or_null(version);
}

void mk_mdm_team(mk_model *k, const char *team)
{
    mark_ok(k, KC_HOST_MDM);
    if (kc_strv_push(&k->m.host.kext_mdm.allowed_teams, team) != 0)
        fail_msg("out of memory");
}

void mk_mdm_kext(mk_model *k, const char *team, const char *bundle)
{
    kc_team_map *map = &k->m.host.kext_mdm.allowed;
    kc_team_ids *x = NULL;

    mark_ok(k, KC_HOST_MDM);
    for (size_t i = 0; i < map->n && x == NULL; i++)
        if (strcmp(map->v[i].team_id, team) == 0)
            x = &map->v[i];
    if (x == NULL) {
        x = GROW(map->v, map->n);
        x->team_id = dup_or_null(team);
    }
    if (bundle != NULL && kc_strv_push(&x->ids, bundle) != 0)
        fail_msg("out of memory");
}

void mk_mdm_overrides(mk_model *k, kc_tri allow)
{
    mark_ok(k, KC_HOST_MDM);
    k->m.host.kext_mdm.allow_user_overrides = allow;
}

void mk_mdm_non_admin(mk_model *k, kc_tri allow)
{
    mark_ok(k, KC_HOST_MDM);
    k->m.host.kext_mdm.allow_non_admin_approvals = allow;
}

void mk_mdm_policy(mk_model *k, const char *plist)
{
    char why[512] = "";

    if (kc_parse_kext_policy(plist, strlen(plist), &k->m.host.kext_mdm, why, sizeof(why)) != 0)
        fail_msg("MDM policy refused: %s", why);
    mark_ok(k, KC_HOST_MDM);
}

void mk_os(mk_model *k, const char *version, int major, int minor)
{
    mark_ok(k, KC_HOST_OS);
    replace(&k->m.host.ev.os_version, version);
    k->m.host.ev.os_major = major;
    k->m.host.ev.os_minor = minor;
}

kc_sysext *mk_sysext_entry(mk_model *k, const char *id, const char *team, const char *state)
{
    kc_evidence *ev = &k->m.host.ev;
    kc_sysext *x;

    mark_ok(k, KC_HOST_SYSEXTS);
    x = GROW(ev->sysexts, ev->n_sysexts);
    x->identifier = dup_or_null(id);
    x->team_id = dup_or_null(team);
    x->state = dup_or_null(state);
    x->version = dup_or_null("1.0/100");
    return x;
}

void mk_machine(mk_model *k, kc_uname_arch uname, kc_sysctl_flag arm64)
{
    kc_platform_ev *p = &k->m.host.plat;

    if (uname != KC_UNAME_UNKNOWN) {
        mark_ok(k, KC_HOST_UNAME);
        p->uname = uname;
    }
    if (arm64 != KC_SYSCTL_UNKNOWN) {
        mark_ok(k, KC_HOST_ARM64);
        p->arm64 = arm64;
    }
}

void mk_bputil(mk_model *k, kc_boot_security security, kc_tri third_party_kexts)
{
    kc_boot_policy *b = &k->m.host.plat.boot;

    mark_ok(k, KC_HOST_BPUTIL);
    memset(b, 0, sizeof(*b));
    b->v.security = security;
    b->v.third_party_kexts = third_party_kexts;
    b->v.user_mdm = b->v.dep_mdm = b->v.sip = KC_UNKNOWN;
    b->n_blocks = b->n_stored = 1;
    b->summary_block = 0;
    b->blocks[0].current = true;
    b->blocks[0].line = 1;
    b->blocks[0].any = true;
    b->blocks[0].v = b->v;
}

void mk_refused(mk_model *k, size_t n)
{
    if (n > sizeof(k->refused) / sizeof(k->refused[0]))
        fail_msg("at most %zu refused plugins", sizeof(k->refused) / sizeof(k->refused[0]));
    k->m.refused = n ? k->refused : NULL;
    k->m.n_refused = n;
}

/* ---- vendors ----------------------------------------------------------------- */

struct kc_plugin mk_plugin(const char *name, const char *team, const char *const *kexts,
                           const char *const *sysexts)
{
    static const char *const install[] = {MK_GUARD_PATH, MK_FILTER_PATH, MK_SUPPORT_DIR, NULL};
    static const char *const staged[] = {MK_STAGED_GUARD, MK_STAGED_FILTER, MK_STAGED_SUPPORT,
                                         NULL};
    struct kc_plugin d;

    memset(&d, 0, sizeof(d));
    d.abi_version = KC_PLUGIN_ABI_VERSION;
    d.size = sizeof(d);
    d.name = name;
    d.vendor = MK_VENDOR;
    d.team_id = team;
    d.developer_name = MK_DEVELOPER;
    d.kext_bundle_ids = kexts;
    d.install_paths = install;
    d.staged_paths = staged;
    d.reference = "Example KB 1";
    d.sysext_bundle_ids = sysexts;
    return d;
}

kc_vendor_evidence *mk_vendor_from(mk_model *k, const struct kc_plugin *desc)
{
    size_t n = k->m.n_vendors;
    kc_vendor *v = &k->decl[n];
    kc_vendor_evidence *ve;
    char why[1024] = "";
    size_t np;

    if (n >= MK_MAX_VENDORS) {
        fail_msg("at most %d vendors", MK_MAX_VENDORS);
        return NULL;
    }
    if (kc_plugin_validate(desc, desc->name, v, why, sizeof(why)) != 0) {
        fail_msg("descriptor refused: %s", why);
        return NULL;
    }
    /* As read.c's read_vendor starts it. */
    ve = &k->m.vendors[n];
    ve->vendor = v;
    np = v->install_paths.n + v->staged_paths.n;
    ve->paths = calloc(np ? np : 1, sizeof(*ve->paths));
    if (ve->paths == NULL) {
        fail_msg("out of memory");
        return NULL;
    }
    for (size_t i = 0; i < np; i++) {
        bool staged = i >= v->install_paths.n;
        ve->paths[i].path = staged ? v->staged_paths.v[i - v->install_paths.n]
                                   : v->install_paths.v[i];
        ve->paths[i].staged = staged;
    }
    ve->n_paths = np;
    k->m.n_vendors++;
    return ve;
}

kc_vendor_evidence *mk_vendor(mk_model *k, const char *name, const char *team,
                              const char *const *kexts, const char *const *sysexts)
{
    struct kc_plugin d = mk_plugin(name, team, kexts, sysexts);

    return mk_vendor_from(k, &d);
}

kc_policy_row *mk_policy(kc_vendor_evidence *ve, const char *team, const char *bundle,
                         int allowed, const char *developer)
{
    kc_policy_rows *rows = &ve->rows;
    kc_policy_row *p;

    p = GROW(rows->policy, rows->n_policy);
    p->team_id = dup_or_null(team);
    p->bundle_id = dup_or_null(bundle);
    p->developer_name = dup_or_null(developer);
    p->allowed = allowed;
    p->has_flags = true;
    p->flags = 1;
    return p;
}

kc_mdm_row *mk_mdm(kc_vendor_evidence *ve, const char *team, const char *bundle, int allowed)
{
    kc_policy_rows *rows = &ve->rows;
    kc_mdm_row *m;

    m = GROW(rows->mdm, rows->n_mdm);
    m->team_id = dup_or_null(team);
    m->bundle_id = dup_or_null(bundle);
    m->allowed = allowed;
    m->payload_uuid = dup_or_null("PAYLOAD-UUID");
    return m;
}

kc_history_row *mk_history(kc_vendor_evidence *ve, const char *team, const char *bundle,
                           const char *path, const char *last_seen)
{
    kc_policy_rows *rows = &ve->rows;
    kc_history_row *h;

    h = GROW(rows->history, rows->n_history);
    h->path = dup_or_null(path);
    h->team_id = dup_or_null(team);
    h->bundle_id = dup_or_null(bundle);
    h->created_at = dup_or_null("2020-01-01 00:00:00");
    h->last_seen = dup_or_null(last_seen);
    return h;
}

/* Whether p is the declared path d or lies below it. */
static bool at_or_below(const char *p, const char *d)
{
    size_t n = strlen(d);

    return strncmp(p, d, n) == 0 && (p[n] == '\0' || p[n] == '/');
}

static kc_bundle *add_bundle(kc_vendor_evidence *ve, mk_where where, const char *mac_path)
{
    kc_bundles *b = where == MK_STAGED ? &ve->staged : &ve->installed;
    bool declared = false;
    kc_bundle *x;

    /* kc_bundles_scan finds bundles only under the declared paths, and a
     * path that holds one exists. */
    for (size_t i = 0; i < ve->n_paths; i++)
        if (ve->paths[i].staged == (where == MK_STAGED) && at_or_below(mac_path, ve->paths[i].path))
            ve->paths[i].present = declared = true;
    if (!declared) {
        fail_msg("%s is not under a declared %s path", mac_path,
                 where == MK_STAGED ? "staged" : "install");
        return NULL;
    }
    x = GROW(b->items, b->n);
    b->cap = b->n;
    x->path = dup_or_null(mac_path);
    return x;
}

kc_bundle *mk_bundle(kc_vendor_evidence *ve, mk_where where, const char *mac_path,
                     const char *bundle, const char *version)
{
    kc_bundle *x = add_bundle(ve, where, mac_path);

    x->bundle_id = dup_or_null(bundle);
    x->version = dup_or_null(version);
    x->short_version = dup_or_null(version);
    return x;
}

kc_bundle *mk_bad_bundle(kc_vendor_evidence *ve, mk_where where, const char *mac_path,
                         const char *error)
{
    kc_bundle *x = add_bundle(ve, where, mac_path);

    x->error = dup_or_null(error);
    return x;
}

kc_bundle *mk_other_kext(mk_model *k, const char *mac_path, const char *bundle,
                         const char *error)
{
    kc_bundles *b = &k->m.host.other_kexts;
    kc_bundle *x = GROW(b->items, b->n);

    b->cap = b->n;
    x->path = dup_or_null(mac_path);
    x->bundle_id = dup_or_null(bundle);
    x->error = dup_or_null(error);
    return x;
}

void mk_present(kc_vendor_evidence *ve, const char *p)
{
    for (size_t i = 0; i < ve->n_paths; i++)
        if (strcmp(ve->paths[i].path, p) == 0) {
            ve->paths[i].present = true;
            return;
        }
    fail_msg("no declared path %s", p);
}

void mk_query_error(kc_vendor_evidence *ve, const char *error)
{
    replace(&ve->query_error, error);
}

/* ---- the stages ------------------------------------------------------------- */

kc_result *mk_judge(mk_model *k)
{
    if (k->judged)
        kc_result_free(&k->r);
    k->judged = true;
    assert_int_equal(kc_judge(&k->m, &k->r), 0);
    assert_ptr_equal(k->r.model, &k->m);
    assert_int_equal(k->r.n_vendors, k->m.n_vendors);
    for (size_t i = 0; i < k->r.n_vendors; i++) {
        const kc_vendor_result *vr = &k->r.vendors[i];
        const kc_strv *declared = &k->m.vendors[i].vendor->kexts;

        assert_ptr_equal(vr->ev, &k->m.vendors[i]);
        /* The declared kexts first, in order; then those found under the
         * team that the plugin does not declare. */
        assert_true(vr->n_kexts >= declared->n);
        for (size_t j = 0; j < vr->n_kexts; j++) {
            assert_int_equal(vr->kexts[j].declared, j < declared->n);
            if (j < declared->n)
                assert_ptr_equal(vr->kexts[j].bundle_id, declared->v[j]);
        }
        assert_int_equal(vr->n_sysexts, k->m.vendors[i].vendor->sysexts.n);
    }
    return &k->r;
}

kc_result *mk_advise(mk_model *k)
{
    kc_result *r = mk_judge(k);

    assert_int_equal(kc_advise(r), 0);
    return r;
}

/* ---- looking at a result ---------------------------------------------------- */

static void join_code(char *got, size_t size, size_t *o, kc_code code)
{
    int n = snprintf(got + *o, size - *o, "%s%s", *o ? " " : "", kc_code_name(code));

    if (n < 0 || (size_t)n >= size - *o)
        fail_msg("too many findings to list");
    *o += (size_t)n;
}

static void expect_list(const char *what, const char *got, const char *want)
{
    if (strcmp(got, want) != 0)
        print_error("%s \"%s\", wanted \"%s\"\n", what, got, want);
    assert_string_equal(got, want);
}

void mk_expect_codes(const kc_vendor_result *vr, const char *want)
{
    char got[2048] = "";
    size_t o = 0;

    for (size_t i = 0; i < vr->n_findings; i++)
        join_code(got, sizeof(got), &o, vr->findings[i].code);
    expect_list("findings", got, want);
}

void mk_expect_refs(const kc_result *r, const kc_vendor_result *vr, const char *want)
{
    char got[2048] = "";
    size_t o = 0;

    for (size_t i = 0; i < vr->n_host_refs; i++) {
        assert_true(vr->host_refs[i] < r->n_host_findings);
        join_code(got, sizeof(got), &o, r->host_findings[vr->host_refs[i]].code);
    }
    expect_list("host findings referred to", got, want);
}

void mk_expect_host(const kc_result *r, const char *want)
{
    char got[2048] = "";
    size_t o = 0;

    for (size_t i = 0; i < r->n_host_findings; i++)
        join_code(got, sizeof(got), &o, r->host_findings[i].code);
    expect_list("host findings", got, want);
}

const kc_finding *mk_finding(const kc_vendor_result *vr, kc_code code, const char *subject)
{
    for (size_t i = 0; i < vr->n_findings; i++) {
        const kc_finding *f = &vr->findings[i];
        if (f->code == code &&
            (subject == NULL || (f->subject != NULL && strcmp(f->subject, subject) == 0)))
            return f;
    }
    fail_msg("no finding %s%s%s", kc_code_name(code), subject ? " for " : "",
             subject ? subject : "");
    return NULL;
}

bool mk_has_code(const kc_vendor_result *vr, kc_code code)
{
    for (size_t i = 0; i < vr->n_findings; i++)
        if (vr->findings[i].code == code)
            return true;
    return false;
}

const kc_finding *mk_host_finding(const kc_result *r, kc_code code, kc_host_item item)
{
    for (size_t i = 0; i < r->n_host_findings; i++)
        if (r->host_findings[i].code == code &&
            (item == KC_HOST_NONE || r->host_findings[i].item == item))
            return &r->host_findings[i];
    fail_msg("no host finding %s (item %d)", kc_code_name(code), (int)item);
    return NULL;
}

const kc_finding *mk_ref(const kc_result *r, const kc_vendor_result *vr, size_t i)
{
    assert_true(i < vr->n_host_refs);
    assert_true(vr->host_refs[i] < r->n_host_findings);
    return &r->host_findings[vr->host_refs[i]];
}

kc_severity mk_sev(const kc_finding *f)
{
    return kc_code_info_of(f->code)->severity;
}

kc_rung mk_rung(const kc_finding *f)
{
    return kc_code_info_of(f->code)->rung;
}

static bool strv_has(const kc_strv *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (strstr(sv->v[i], s) != NULL)
            return true;
    return false;
}

bool mk_step_has(const kc_finding *f, const char *s)
{
    return strv_has(&f->steps, s);
}

bool mk_evidence_has(const kc_finding *f, const char *s)
{
    return strv_has(&f->evidence, s);
}

void mk_show(const kc_finding *f)
{
    print_error("%s%s%s: %s\n", kc_code_name(f->code), f->id ? " id " : "", f->id ? f->id : "",
                f->message ? f->message : "(no message)");
    for (size_t i = 0; i < f->steps.n; i++)
        print_error("  steps[%zu]: %s\n", i, f->steps.v[i]);
    for (size_t i = 0; i < f->evidence.n; i++)
        print_error("  evidence[%zu]: %s\n", i, f->evidence.v[i]);
}

void mk_expect_step(const kc_finding *f, const char *s)
{
    if (!mk_step_has(f, s)) {
        print_error("no step with \"%s\"\n", s);
        mk_show(f);
    }
    assert_true(mk_step_has(f, s));
}

void mk_expect_no_step(const kc_finding *f, const char *s)
{
    if (mk_step_has(f, s)) {
        print_error("a step with \"%s\"\n", s);
        mk_show(f);
    }
    assert_false(mk_step_has(f, s));
}

void mk_expect_evidence(const kc_finding *f, const char *s)
{
    if (!mk_evidence_has(f, s)) {
        print_error("no evidence line with \"%s\"\n", s);
        mk_show(f);
    }
    assert_true(mk_evidence_has(f, s));
}

void mk_expect_message(const kc_finding *f, const char *s)
{
    assert_non_null(f->message);
    if (strstr(f->message, s) == NULL) {
        print_error("no \"%s\" in the message\n", s);
        mk_show(f);
    }
    assert_non_null(strstr(f->message, s));
}
