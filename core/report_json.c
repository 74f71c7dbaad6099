/* The JSON report (schema documented in docs/json-schema.md).
 *
 * Written as it goes, with no tree in memory: the layout is the one
 * jansson's json_dumpf gives with JSON_INDENT(2) | JSON_PRESERVE_ORDER
 * (two spaces a level, ": " after a key, "{}" and "[]" when empty, control
 * characters as \uXXXX), which the golden files hold.  Building the tree
 * and dumping it took most of the JSON report's time. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* ---- the writer -------------------------------------------------------------- */

typedef struct jw {
    FILE *out;
    int depth;
    bool first;     /* nothing is in the current object or array yet */
    bool after_key; /* the value of the key just written comes next */
    bool failed;    /* a write failed, or memory ran out */
} jw;

static void raw(jw *w, const char *s, size_t n)
{
    if (n > 0 && fwrite(s, 1, n, w->out) != n)
        w->failed = true;
}

static void put_s(jw *w, const char *s)
{
    raw(w, s, strlen(s));
}

/* A new line and the indentation of the current depth. */
static void new_line(jw *w)
{
    static const char spaces[] = "                                ";
    size_t chunk = sizeof(spaces) - 1;

    raw(w, "\n", 1);
    for (size_t n = 2 * (size_t)w->depth; n > 0; n -= n < chunk ? n : chunk)
        raw(w, spaces, n < chunk ? n : chunk);
}

/* What goes before an item of the current object or array: a comma after
 * the one before, then its own line. */
static void next_item(jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->depth == 0)
        return;
    if (!w->first)
        raw(w, ",", 1);
    new_line(w);
    w->first = false;
}

/* A JSON string: valid UTF-8 (anything else becomes U+FFFD, as
 * kc_utf8_clean makes it), with '"', '\\' and control characters escaped
 * as jansson escapes them. */
static void quoted(jw *w, const char *s)
{
    char *clean = NULL;
    const char *p, *run;

    if (!kc_utf8_valid(s)) {
        clean = kc_utf8_clean(s, strlen(s));
        if (clean == NULL) {
            w->failed = true;
            return;
        }
        s = clean;
    }
    raw(w, "\"", 1);
    for (p = run = s; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;
        char seq[8];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        raw(w, run, (size_t)(p - run));
        run = p + 1;
        switch (c) {
        case '"':
            put_s(w, "\\\"");
            break;
        case '\\':
            put_s(w, "\\\\");
            break;
        case '\b':
            put_s(w, "\\b");
            break;
        case '\f':
            put_s(w, "\\f");
            break;
        case '\n':
            put_s(w, "\\n");
            break;
        case '\r':
            put_s(w, "\\r");
            break;
        case '\t':
            put_s(w, "\\t");
            break;
        default:
            snprintf(seq, sizeof(seq), "\\u%04X", (unsigned)c);
            put_s(w, seq);
        }
    }
    raw(w, run, (size_t)(p - run));
    raw(w, "\"", 1);
    free(clean);
}

static void key(jw *w, const char *k)
{
    next_item(w);
    quoted(w, k);
    raw(w, ": ", 2);
    w->after_key = true;
}

static void open_(jw *w, char c)
{
    next_item(w);
    raw(w, &c, 1);
    w->depth++;
    w->first = true;
}

static void close_(jw *w, char c)
{
    bool empty = w->first;

    w->depth--;
    if (!empty)
        new_line(w);
    raw(w, &c, 1);
    w->first = false;
}

#define OBJ(w) open_((w), '{')
#define END_OBJ(w) close_((w), '}')
#define ARR(w) open_((w), '[')
#define END_ARR(w) close_((w), ']')

/* Values: s NULL is null. */
static void str(jw *w, const char *s)
{
    next_item(w);
    if (s == NULL)
        put_s(w, "null");
    else
        quoted(w, s);
}

static void num(jw *w, long long v)
{
    char buf[32];

    next_item(w);
    snprintf(buf, sizeof(buf), "%lld", v);
    put_s(w, buf);
}

static void boolean(jw *w, bool v)
{
    next_item(w);
    put_s(w, v ? "true" : "false");
}

static void null(jw *w)
{
    next_item(w);
    put_s(w, "null");
}

static void tri(jw *w, kc_tri t)
{
    if (t == KC_UNKNOWN)
        null(w);
    else
        boolean(w, t == KC_YES);
}

/* key: value, for each kind. */
static void k_str(jw *w, const char *k, const char *s)
{
    key(w, k);
    str(w, s);
}

static void k_num(jw *w, const char *k, long long v)
{
    key(w, k);
    num(w, v);
}

static void k_bool(jw *w, const char *k, bool v)
{
    key(w, k);
    boolean(w, v);
}

static void k_null(jw *w, const char *k)
{
    key(w, k);
    null(w);
}

static void k_tri(jw *w, const char *k, kc_tri t)
{
    key(w, k);
    tri(w, t);
}

static void strv(jw *w, const kc_strv *sv)
{
    ARR(w);
    for (size_t i = 0; i < sv->n; i++)
        str(w, sv->v[i]);
    END_ARR(w);
}

static void k_strv(jw *w, const char *k, const kc_strv *sv)
{
    key(w, k);
    strv(w, sv);
}

/* ---- the report's parts -------------------------------------------------------- */

static void bundle(jw *w, const kc_bundle *b)
{
    if (b == NULL) {
        null(w);
        return;
    }
    OBJ(w);
    k_str(w, "path", b->path);
    k_str(w, "version", b->version);
    k_str(w, "short_version", b->short_version);
    if (b->error)
        k_str(w, "error", b->error);
    END_OBJ(w);
}

static void kext(jw *w, const kc_kext_state *k)
{
    OBJ(w);
    k_str(w, "bundle_id", k->bundle_id);
    k_str(w, "policy", kc_policy_name(k->policy));
    key(w, "kext_policy");
    if (k->row) {
        OBJ(w);
        if (k->row->allowed < 0)
            k_null(w, "allowed");
        else
            k_num(w, "allowed", k->row->allowed);
        k_str(w, "developer_name", k->row->developer_name);
        if (k->row->has_flags)
            k_num(w, "flags", k->row->flags);
        else
            k_null(w, "flags");
        END_OBJ(w);
    } else {
        null(w);
    }
    key(w, "mdm");
    if (k->mdm) {
        bool team = k->mdm->bundle_id == NULL || k->mdm->bundle_id[0] == '\0';
        OBJ(w);
        k_str(w, "scope", team ? "team" : "kext");
        k_str(w, "payload_uuid", k->mdm->payload_uuid);
        END_OBJ(w);
    } else {
        null(w);
    }
    k_tri(w, "loaded", k->loaded);
    k_str(w, "loaded_version", k->loaded_entry ? k->loaded_entry->version : NULL);
    k_bool(w, "mdm_profile", k->mdm_profile);
    key(w, "installed");
    bundle(w, k->installed);
    key(w, "staged");
    bundle(w, k->staged);
    key(w, "last_load");
    if (k->history) {
        const kc_history_row *h = k->history;
        OBJ(w);
        k_str(w, "path", h->path);
        k_str(w, "created_at", h->created_at);
        k_str(w, "last_seen", h->last_seen);
        if (h->has_flags)
            k_num(w, "flags", h->flags);
        else
            k_null(w, "flags");
        k_str(w, "cdhash", h->cdhash);
        END_OBJ(w);
    } else {
        null(w);
    }
    END_OBJ(w);
}

static void finding(jw *w, const kc_finding *f)
{
    const kc_code_info *ci = kc_code_info_of(f->code);

    OBJ(w);
    if (f->id != NULL)
        k_str(w, "id", f->id);
    k_str(w, "code", ci->name);
    k_str(w, "severity", kc_severity_name(ci->severity));
    k_str(w, "rung", kc_rung_name(ci->rung));
    k_str(w, "kext", f->subject);
    k_str(w, "message", f->message);
    k_strv(w, "remediation", &f->steps);
    k_strv(w, "evidence", &f->evidence);
    END_OBJ(w);
}

static void findings(jw *w, const kc_finding *list, size_t n)
{
    ARR(w);
    for (size_t i = 0; i < n; i++)
        finding(w, &list[i]);
    END_ARR(w);
}

static void next_step(jw *w, const kc_finding *next)
{
    bool has = next != NULL && next->steps.n > 0;

    k_str(w, "next_step", has ? next->steps.v[0] : NULL);
    k_str(w, "next_step_code", has ? kc_code_name(next->code) : NULL);
    k_str(w, "next_step_rung", has ? kc_rung_name(kc_code_info_of(next->code)->rung) : NULL);
}

/* The plugin's ABI 1.2 fields, null when it does not give them. */
static void vendor_help(jw *w, const kc_vendor *v)
{
    k_str(w, "kb_url", v->kb_url);
    k_str(w, "uninstall_hint", v->uninstall_hint);
    k_str(w, "diagnostic_command", v->diagnostic_command);
    k_str(w, "sysext_team_id", v->sysext_team_id);
}

static void vendor(jw *w, const kc_result *res, const kc_vendor_result *r, bool verbose)
{
    const kc_vendor *v = r->ev->vendor;

    OBJ(w);
    k_str(w, "id", v->name);
    k_str(w, "status", kc_status_name(r->status));
    /* A vendor that is not installed is named only, unless asked. */
    if (!r->installed && !verbose) {
        END_OBJ(w);
        return;
    }
    k_str(w, "name", v->vendor);
    k_str(w, "team_id", v->team_id);
    k_str(w, "developer_name", v->developer_name);
    k_str(w, "reference", v->reference);
    vendor_help(w, v);
    k_bool(w, "installed", r->installed);
    key(w, "paths");
    ARR(w);
    for (size_t i = 0; i < r->ev->n_paths; i++) {
        const kc_path_state *p = &r->ev->paths[i];
        OBJ(w);
        k_str(w, "path", p->path);
        k_str(w, "kind", p->staged ? "staged" : "install");
        k_bool(w, "present", p->present);
        END_OBJ(w);
    }
    END_ARR(w);
    key(w, "kexts");
    ARR(w);
    for (size_t i = 0; i < r->n_kexts; i++)
        kext(w, &r->kexts[i]);
    END_ARR(w);
    key(w, "system_extensions");
    ARR(w);
    for (size_t i = 0; i < r->n_sysexts; i++) {
        const kc_sysext *e = r->sysexts[i].entry;
        OBJ(w);
        k_str(w, "identifier", r->sysexts[i].identifier);
        k_str(w, "state", e ? e->state : NULL);
        k_str(w, "version", e ? e->version : NULL);
        END_OBJ(w);
    }
    END_ARR(w);
    key(w, "findings");
    findings(w, r->findings, r->n_findings);
    key(w, "host_findings");
    ARR(w);
    for (size_t i = 0; i < r->n_host_refs; i++)
        str(w, res->host_findings[r->host_refs[i]].id);
    END_ARR(w);
    next_step(w, r->next);
    END_OBJ(w);
}

static void db(jw *w, const kc_db_info *d)
{
    OBJ(w);
    k_str(w, "path", d->path);
    k_str(w, "state", kc_db_state_name(d->state));
    k_str(w, "error", d->state == KC_DB_OK ? NULL : d->error);
    k_str(w, "access", d->access ? d->access : "in_place");
    key(w, "tables");
    OBJ(w);
    k_bool(w, "kext_policy", d->has_kext_policy);
    k_bool(w, "kext_policy_mdm", d->has_mdm);
    k_bool(w, "kext_load_history_v3", d->has_history);
    k_bool(w, "cdhash", d->has_cdhash);
    END_OBJ(w);
    END_OBJ(w);
}

static void source(jw *w, const char *k, const kc_source *src)
{
    key(w, k);
    OBJ(w);
    k_str(w, "origin", src->origin);
    k_bool(w, "present", src->present);
    k_bool(w, "ok", src->ok);
    k_str(w, "error", src->error);
    END_OBJ(w);
}

/* team -> ids, as an array of {team_id, <name>} pairs. */
static void team_map(jw *w, const char *k, const kc_team_map *m, const char *name)
{
    key(w, k);
    ARR(w);
    for (size_t i = 0; i < m->n; i++)
        for (size_t j = 0; j < m->v[i].ids.n; j++) {
            OBJ(w);
            k_str(w, "team_id", m->v[i].team_id);
            k_str(w, name, m->v[i].ids.v[j]);
            END_OBJ(w);
        }
    END_ARR(w);
}

static void platform(jw *w, const kc_host *h, const kc_platform *p)
{
    const kc_boot_policy_values *b = &h->plat.boot.v;
    bool boot = h->plat.bputil_src.ok;

    OBJ(w);
    k_str(w, "machine", kc_machine_name(p->machine));
    k_bool(w, "machine_inferred", p->machine_inferred);
    k_bool(w, "rosetta", p->rosetta);
    key(w, "uname");
    OBJ(w);
    source(w, "source", &h->plat.uname_src);
    k_str(w, "value", !h->plat.uname_src.ok              ? NULL
                      : h->plat.uname == KC_UNAME_ARM64 ? "arm64"
                                                        : "x86_64");
    END_OBJ(w);
    key(w, "hw_optional_arm64");
    OBJ(w);
    source(w, "source", &h->plat.arm64_src);
    k_str(w, "value", !h->plat.arm64_src.ok         ? NULL
                      : h->plat.arm64 == KC_SYSCTL_1 ? "1"
                      : h->plat.arm64 == KC_SYSCTL_0 ? "0"
                                                     : "absent");
    END_OBJ(w);
    key(w, "boot_policy");
    OBJ(w);
    source(w, "source", &h->plat.bputil_src);
    k_str(w, "security", boot ? kc_boot_security_name(b->security) : NULL);
    if (boot)
        k_tri(w, "third_party_kexts", b->third_party_kexts);
    else
        k_null(w, "third_party_kexts");
    if (boot)
        k_tri(w, "dep_mdm_control", b->dep_mdm);
    else
        k_null(w, "dep_mdm_control");
    k_bool(w, "volume_groups_differ", boot && h->plat.boot.blocks_differ);
    END_OBJ(w);
    k_tri(w, "kexts_allowed", p->kexts_allowed);
    END_OBJ(w);
}

static void evidence(jw *w, const kc_host *h, const kc_platform *pl)
{
    static const char *const sip_names[] = {"unknown", "enabled", "disabled", "custom"};
    const kc_evidence *ev = &h->ev;

    OBJ(w);
    k_str(w, "mode", h->live ? "live" : "snapshot");
    key(w, "platform");
    platform(w, h, pl);
    key(w, "macos");
    OBJ(w);
    source(w, "source", &ev->os_src);
    k_str(w, "version", ev->os_version);
    END_OBJ(w);
    key(w, "sip");
    OBJ(w);
    source(w, "source", &ev->sip_src);
    k_str(w, "status", sip_names[ev->sip]);
    k_tri(w, "kext_signing", ev->kext_signing);
    END_OBJ(w);
    key(w, "consent_status");
    OBJ(w);
    source(w, "source", &ev->consent_status_src);
    k_tri(w, "enabled", ev->consent_enabled);
    END_OBJ(w);
    key(w, "consent_list");
    OBJ(w);
    source(w, "source", &ev->consent_list_src);
    k_strv(w, "teams", &ev->consent_teams);
    END_OBJ(w);
    key(w, "loaded_kexts");
    OBJ(w);
    source(w, "source", &ev->loaded_src);
    k_num(w, "count", (long long)ev->n_loaded);
    END_OBJ(w);
    key(w, "mdm_profile");
    OBJ(w);
    source(w, "source", &h->kext_mdm_src);
    k_strv(w, "allowed_teams", &h->kext_mdm.allowed_teams);
    team_map(w, "allowed_kexts", &h->kext_mdm.allowed, "bundle_id");
    if (h->kext_mdm_src.ok)
        k_tri(w, "allow_user_overrides", h->kext_mdm.allow_user_overrides);
    else
        k_null(w, "allow_user_overrides");
    if (h->kext_mdm_src.ok)
        k_tri(w, "allow_non_admin_user_approvals", h->kext_mdm.allow_non_admin_approvals);
    else
        k_null(w, "allow_non_admin_user_approvals");
    END_OBJ(w);
    key(w, "system_extension_policy");
    OBJ(w);
    source(w, "source", &h->sysext_mdm_src);
    k_strv(w, "allowed_teams", &h->sysext_mdm.allowed_teams);
    team_map(w, "allowed_system_extensions", &h->sysext_mdm.allowed, "identifier");
    if (h->sysext_mdm_src.ok)
        k_tri(w, "allow_user_overrides", h->sysext_mdm.allow_user_overrides);
    else
        k_null(w, "allow_user_overrides");
    END_OBJ(w);
    key(w, "system_extensions");
    OBJ(w);
    source(w, "source", &ev->sysext_src);
    k_num(w, "count", (long long)ev->n_sysexts);
    k_bool(w, "truncated", ev->sysexts_truncated);
    END_OBJ(w);
    END_OBJ(w);
}

static void refused(jw *w, const kc_refusal *list, size_t n, bool details)
{
    ARR(w);
    for (size_t i = 0; i < n; i++) {
        OBJ(w);
        k_str(w, "source", list[i].source);
        k_str(w, "reason", list[i].reason);
        if (details)
            k_strv(w, "problems", &list[i].problems);
        END_OBJ(w);
    }
    END_ARR(w);
}

/* One loaded plugin: always its id, source and ABI; with details, its data. */
static void plugin(jw *w, const kc_vendor *v, bool details)
{
    char abi[32];

    kc_snprintf(abi, sizeof(abi), "%u.%u", KC_PLUGIN_VERSION_MAJOR(v->abi_version),
                KC_PLUGIN_VERSION_MINOR(v->abi_version));
    OBJ(w);
    k_str(w, "id", v->name);
    k_str(w, "source", v->source);
    k_str(w, "abi", abi);
    if (details) {
        k_str(w, "name", v->vendor);
        k_str(w, "team_id", v->team_id);
        k_str(w, "developer_name", v->developer_name);
        k_strv(w, "kext_bundle_ids", &v->kexts);
        k_strv(w, "install_paths", &v->install_paths);
        k_strv(w, "staged_paths", &v->staged_paths);
        k_strv(w, "sysext_bundle_ids", &v->sysexts);
        k_str(w, "reference", v->reference);
        vendor_help(w, v);
    }
    END_OBJ(w);
}

/* The document's last line, and whether all of it was written. */
static int finish(jw *w)
{
    raw(w, "\n", 1);
    return w->failed ? -1 : 0;
}

int kc_report_plugins_json(FILE *out, const kc_registry *reg)
{
    jw w = {out, 0, true, false, false};

    OBJ(&w);
    k_num(&w, "schema_version", KC_JSON_SCHEMA_VERSION);
    k_str(&w, "plugin_abi", KC_ABI_STRING);
    key(&w, "plugins");
    OBJ(&w);
    key(&w, "loaded");
    ARR(&w);
    for (size_t i = 0; i < reg->n_vendors; i++)
        plugin(&w, &reg->vendors[i], true);
    END_ARR(&w);
    key(&w, "refused");
    refused(&w, reg->refused, reg->n_refused, true);
    END_OBJ(&w);
    END_OBJ(&w);
    return finish(&w);
}

int kc_report_json(FILE *out, const kc_result *res, const kc_print_opts *opts)
{
    static const kc_status order[] = {KC_STATUS_CRITICAL, KC_STATUS_WARNING, KC_STATUS_UNKNOWN,
                                      KC_STATUS_OK, KC_STATUS_NOT_INSTALLED};
    const kc_model *m = res->model;
    jw w = {out, 0, true, false, false};

    OBJ(&w);
    k_num(&w, "schema_version", KC_JSON_SCHEMA_VERSION);
    key(&w, "tool");
    OBJ(&w);
    k_str(&w, "name", KC_PROGRAM);
    k_str(&w, "version", KEXTCHECK_VERSION);
    k_str(&w, "plugin_abi", KC_ABI_STRING);
    END_OBJ(&w);
    k_str(&w, "root", m->host.root);
    key(&w, "policy_db");
    db(&w, &m->host.db);
    key(&w, "evidence");
    evidence(&w, &m->host, &res->platform);
    key(&w, "host");
    OBJ(&w);
    key(&w, "findings");
    findings(&w, res->host_findings, res->n_host_findings);
    END_OBJ(&w);
    key(&w, "vendors");
    ARR(&w);
    for (size_t i = 0; i < res->n_vendors; i++)
        vendor(&w, res, &res->vendors[i], opts->verbose);
    END_ARR(&w);
    key(&w, "summary");
    OBJ(&w);
    for (size_t s = 0; s < sizeof(order) / sizeof(order[0]); s++) {
        long long n = 0;
        for (size_t i = 0; i < res->n_vendors; i++)
            n += res->vendors[i].status == order[s];
        k_num(&w, kc_status_name(order[s]), n);
    }
    END_OBJ(&w);
    key(&w, "plugins");
    OBJ(&w);
    key(&w, "loaded");
    ARR(&w);
    for (size_t i = 0; i < res->n_vendors; i++)
        plugin(&w, res->vendors[i].ev->vendor, false);
    END_ARR(&w);
    key(&w, "refused");
    refused(&w, m->refused, m->n_refused, false);
    END_OBJ(&w);
    k_num(&w, "exit_code", res->exit_code);
    END_OBJ(&w);
    return finish(&w);
}
