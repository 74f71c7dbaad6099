/* The JSON report (schema documented in docs/json-schema.md). */
#include "report.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Every string goes through here: jansson refuses invalid UTF-8, and the
 * evidence may hold any bytes, so strings are cleaned first. */
static json_t *jstr(const char *s)
{
    char *clean;
    json_t *j;

    if (s == NULL)
        return json_null();
    clean = kc_utf8_clean(s, strlen(s));
    if (clean == NULL)
        return NULL;
    j = json_string(clean);
    free(clean);
    return j;
}

/* Sets obj[key] = val, taking val; returns -1 when val is NULL or on OOM. */
static int put(json_t *obj, const char *key, json_t *val)
{
    if (val == NULL)
        return -1;
    return json_object_set_new(obj, key, val);
}

static int append(json_t *arr, json_t *val)
{
    if (val == NULL)
        return -1;
    return json_array_append_new(arr, val);
}

/* The built value, or NULL (and nothing leaked) when any step failed. */
static json_t *finish(json_t *o, int rc)
{
    if (rc == 0)
        return o;
    json_decref(o);
    return NULL;
}

static json_t *strv_json(const kc_strv *sv)
{
    json_t *a = json_array();

    for (size_t i = 0; a && i < sv->n; i++)
        if (append(a, jstr(sv->v[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

static json_t *bundle_json(const kc_bundle *b)
{
    json_t *o;
    int rc = 0;

    if (b == NULL)
        return json_null();
    o = json_object();
    if (o == NULL)
        return NULL;
    rc |= put(o, "path", jstr(b->path));
    rc |= put(o, "version", jstr(b->version));
    rc |= put(o, "short_version", jstr(b->short_version));
    if (b->error)
        rc |= put(o, "error", jstr(b->error));
    return finish(o, rc);
}

static json_t *kext_json(const kc_kext_state *k)
{
    json_t *o = json_object();
    int rc = 0;

    if (o == NULL)
        return NULL;
    rc |= put(o, "bundle_id", jstr(k->bundle_id));
    rc |= put(o, "policy", jstr(kc_policy_name(k->policy)));
    if (k->row) {
        rc |= put(o, "kext_policy",
                  json_pack("{s:o, s:o, s:o}", "allowed",
                            k->row->allowed < 0 ? json_null() : json_integer(k->row->allowed),
                            "developer_name", jstr(k->row->developer_name), "flags",
                            k->row->has_flags ? json_integer(k->row->flags) : json_null()));
    } else {
        rc |= put(o, "kext_policy", json_null());
    }
    if (k->mdm) {
        bool team = k->mdm->bundle_id == NULL || k->mdm->bundle_id[0] == '\0';
        rc |= put(o, "mdm", json_pack("{s:s, s:o}", "scope", team ? "team" : "kext",
                                      "payload_uuid", jstr(k->mdm->payload_uuid)));
    } else {
        rc |= put(o, "mdm", json_null());
    }
    rc |= put(o, "loaded", k->loaded == KC_UNKNOWN ? json_null() : json_boolean(k->loaded));
    rc |= put(o, "loaded_version",
              k->loaded_entry ? jstr(k->loaded_entry->version) : json_null());
    rc |= put(o, "mdm_profile", json_boolean(k->mdm_profile));
    rc |= put(o, "installed", bundle_json(k->installed));
    rc |= put(o, "staged", bundle_json(k->staged));
    if (k->history) {
        const kc_history_row *h = k->history;
        rc |= put(o, "last_load",
                  json_pack("{s:o, s:o, s:o, s:o, s:o}", "path", jstr(h->path), "created_at",
                            jstr(h->created_at), "last_seen", jstr(h->last_seen), "flags",
                            h->has_flags ? json_integer(h->flags) : json_null(), "cdhash",
                            jstr(h->cdhash)));
    } else {
        rc |= put(o, "last_load", json_null());
    }
    return finish(o, rc);
}

static json_t *finding_json(const kc_finding *f)
{
    const kc_code_info *ci = kc_code_info_of(f->code);
    json_t *o = json_object();
    int rc = 0;

    if (o == NULL)
        return NULL;
    if (f->id != NULL)
        rc |= put(o, "id", jstr(f->id));
    rc |= put(o, "code", jstr(ci->name));
    rc |= put(o, "severity", jstr(kc_severity_name(ci->severity)));
    rc |= put(o, "rung", jstr(kc_rung_name(ci->rung)));
    rc |= put(o, "kext", jstr(f->subject));
    rc |= put(o, "message", jstr(f->message));
    rc |= put(o, "remediation", strv_json(&f->steps));
    rc |= put(o, "evidence", strv_json(&f->evidence));
    return finish(o, rc);
}

static json_t *findings_json(const kc_finding *list, size_t n)
{
    json_t *a = json_array();
    int rc = a ? 0 : -1;

    for (size_t i = 0; a && i < n; i++)
        rc |= append(a, finding_json(&list[i]));
    return finish(a, rc);
}

static int put_next(json_t *o, const kc_finding *next)
{
    bool has = next != NULL && next->steps.n > 0;
    int rc = 0;

    rc |= put(o, "next_step", has ? jstr(next->steps.v[0]) : json_null());
    rc |= put(o, "next_step_code", has ? jstr(kc_code_name(next->code)) : json_null());
    rc |= put(o, "next_step_rung",
              has ? jstr(kc_rung_name(kc_code_info_of(next->code)->rung)) : json_null());
    return rc;
}

/* The plugin's ABI 1.2 fields, null when it does not give them. */
static int put_vendor_help(json_t *o, const kc_vendor *v)
{
    int rc = 0;

    rc |= put(o, "kb_url", jstr(v->kb_url));
    rc |= put(o, "uninstall_hint", jstr(v->uninstall_hint));
    rc |= put(o, "diagnostic_command", jstr(v->diagnostic_command));
    rc |= put(o, "sysext_team_id", jstr(v->sysext_team_id));
    return rc;
}

static json_t *vendor_json(const kc_result *res, const kc_vendor_result *r, bool verbose)
{
    const kc_vendor *v = r->ev->vendor;
    json_t *o = json_object(), *paths, *kexts, *sx, *refs;
    int rc = 0;

    if (o == NULL)
        return NULL;
    rc |= put(o, "id", jstr(v->name));
    rc |= put(o, "status", jstr(kc_status_name(r->status)));
    /* A vendor that is not installed is named only, unless asked. */
    if (!r->installed && !verbose)
        return finish(o, rc);
    rc |= put(o, "name", jstr(v->vendor));
    rc |= put(o, "team_id", jstr(v->team_id));
    rc |= put(o, "developer_name", jstr(v->developer_name));
    rc |= put(o, "reference", jstr(v->reference));
    rc |= put_vendor_help(o, v);
    rc |= put(o, "installed", json_boolean(r->installed));
    rc |= put(o, "paths", paths = json_array());
    for (size_t i = 0; paths && i < r->ev->n_paths; i++) {
        const kc_path_state *p = &r->ev->paths[i];
        rc |= append(paths, json_pack("{s:o, s:s, s:b}", "path", jstr(p->path), "kind",
                                      p->staged ? "staged" : "install", "present", p->present));
    }
    rc |= put(o, "kexts", kexts = json_array());
    for (size_t i = 0; kexts && i < r->n_kexts; i++)
        rc |= append(kexts, kext_json(&r->kexts[i]));
    rc |= put(o, "system_extensions", sx = json_array());
    for (size_t i = 0; sx && i < r->n_sysexts; i++) {
        const kc_sysext *e = r->sysexts[i].entry;
        rc |= append(sx, json_pack("{s:o, s:o, s:o}", "identifier",
                                   jstr(r->sysexts[i].identifier), "state",
                                   e ? jstr(e->state) : json_null(), "version",
                                   e ? jstr(e->version) : json_null()));
    }
    rc |= put(o, "findings", findings_json(r->findings, r->n_findings));
    rc |= put(o, "host_findings", refs = json_array());
    for (size_t i = 0; refs && i < r->n_host_refs; i++)
        rc |= append(refs, jstr(res->host_findings[r->host_refs[i]].id));
    rc |= put_next(o, r->next);
    return finish(o, rc);
}

static json_t *db_json(const kc_db_info *db)
{
    return json_pack("{s:o, s:s, s:o, s:s, s:{s:b, s:b, s:b, s:b}}", "path", jstr(db->path),
                     "state", kc_db_state_name(db->state), "error",
                     db->state == KC_DB_OK ? json_null() : jstr(db->error), "access",
                     db->access ? db->access : "in_place", "tables", "kext_policy",
                     db->has_kext_policy, "kext_policy_mdm", db->has_mdm,
                     "kext_load_history_v3", db->has_history, "cdhash", db->has_cdhash);
}

static json_t *source_json(const kc_source *src)
{
    return json_pack("{s:o, s:b, s:b, s:o}", "origin", jstr(src->origin), "present",
                     src->present, "ok", src->ok, "error", jstr(src->error));
}

static json_t *tri_json(kc_tri t)
{
    return t == KC_UNKNOWN ? json_null() : json_boolean(t == KC_YES);
}

/* team -> ids, as an array of {team_id, <key>} pairs. */
static json_t *team_map_json(const kc_team_map *m, const char *key)
{
    json_t *a = json_array();
    int rc = a ? 0 : -1;

    for (size_t i = 0; a && i < m->n; i++)
        for (size_t j = 0; j < m->v[i].ids.n; j++)
            rc |= append(a, json_pack("{s:o, s:o}", "team_id", jstr(m->v[i].team_id), key,
                                      jstr(m->v[i].ids.v[j])));
    return finish(a, rc);
}

static json_t *platform_json(const kc_host *h, const kc_platform *p)
{
    const kc_boot_policy_values *b = &h->plat.boot.v;
    bool boot = h->plat.bputil_src.ok;

    return json_pack("{s:s, s:b, s:b, s:{s:o, s:o}, s:{s:o, s:o}, s:{s:o, s:o, s:o, s:o, s:b}, "
                     "s:o}",
                     "machine", kc_machine_name(p->machine), "machine_inferred",
                     p->machine_inferred, "rosetta", p->rosetta, "uname", "source",
                     source_json(&h->plat.uname_src), "value",
                     h->plat.uname_src.ok ? jstr(h->plat.uname == KC_UNAME_ARM64 ? "arm64" : "x86_64")
                                          : json_null(),
                     "hw_optional_arm64", "source", source_json(&h->plat.arm64_src), "value",
                     !h->plat.arm64_src.ok         ? json_null()
                     : h->plat.arm64 == KC_SYSCTL_1 ? jstr("1")
                     : h->plat.arm64 == KC_SYSCTL_0 ? jstr("0")
                                                    : jstr("absent"),
                     "boot_policy", "source", source_json(&h->plat.bputil_src), "security",
                     boot ? jstr(kc_boot_security_name(b->security)) : json_null(),
                     "third_party_kexts", boot ? tri_json(b->third_party_kexts) : json_null(),
                     "dep_mdm_control", boot ? tri_json(b->dep_mdm) : json_null(),
                     "volume_groups_differ", boot && h->plat.boot.blocks_differ,
                     "kexts_allowed", tri_json(p->kexts_allowed));
}

static json_t *evidence_json(const kc_host *h, const kc_platform *pl)
{
    static const char *const sip_names[] = {"unknown", "enabled", "disabled", "custom"};
    const kc_evidence *ev = &h->ev;
    json_t *o = json_object();
    int rc = 0;

    if (o == NULL)
        return NULL;
    rc |= put(o, "mode", jstr(h->live ? "live" : "snapshot"));
    rc |= put(o, "platform", platform_json(h, pl));
    rc |= put(o, "macos", json_pack("{s:o, s:o}", "source", source_json(&ev->os_src), "version",
                                    jstr(ev->os_version)));
    rc |= put(o, "sip", json_pack("{s:o, s:s, s:o}", "source", source_json(&ev->sip_src),
                                  "status", sip_names[ev->sip], "kext_signing",
                                  tri_json(ev->kext_signing)));
    rc |= put(o, "consent_status", json_pack("{s:o, s:o}", "source",
                                             source_json(&ev->consent_status_src), "enabled",
                                             tri_json(ev->consent_enabled)));
    rc |= put(o, "consent_list", json_pack("{s:o, s:o}", "source",
                                           source_json(&ev->consent_list_src), "teams",
                                           strv_json(&ev->consent_teams)));
    rc |= put(o, "loaded_kexts", json_pack("{s:o, s:I}", "source", source_json(&ev->loaded_src),
                                           "count", (json_int_t)ev->n_loaded));
    rc |= put(o, "mdm_profile",
              json_pack("{s:o, s:o, s:o, s:o, s:o}", "source", source_json(&h->kext_mdm_src),
                        "allowed_teams", strv_json(&h->kext_mdm.allowed_teams), "allowed_kexts",
                        team_map_json(&h->kext_mdm.allowed, "bundle_id"),
                        "allow_user_overrides",
                        h->kext_mdm_src.ok ? tri_json(h->kext_mdm.allow_user_overrides)
                                           : json_null(),
                        "allow_non_admin_user_approvals",
                        h->kext_mdm_src.ok ? tri_json(h->kext_mdm.allow_non_admin_approvals)
                                           : json_null()));
    rc |= put(o, "system_extension_policy",
              json_pack("{s:o, s:o, s:o, s:o}", "source", source_json(&h->sysext_mdm_src),
                        "allowed_teams", strv_json(&h->sysext_mdm.allowed_teams),
                        "allowed_system_extensions",
                        team_map_json(&h->sysext_mdm.allowed, "identifier"),
                        "allow_user_overrides",
                        h->sysext_mdm_src.ok ? tri_json(h->sysext_mdm.allow_user_overrides)
                                             : json_null()));
    rc |= put(o, "system_extensions",
              json_pack("{s:o, s:I, s:b}", "source", source_json(&ev->sysext_src), "count",
                        (json_int_t)ev->n_sysexts, "truncated", ev->sysexts_truncated));
    return finish(o, rc);
}

static json_t *refused_json(const kc_refusal *refused, size_t n, bool details)
{
    json_t *a = json_array();
    int rc = a ? 0 : -1;

    for (size_t i = 0; a && i < n; i++) {
        json_t *p = json_pack("{s:o, s:o}", "source", jstr(refused[i].source), "reason",
                              jstr(refused[i].reason));
        if (p != NULL && details)
            rc |= put(p, "problems", strv_json(&refused[i].problems));
        rc |= append(a, p);
    }
    return finish(a, rc);
}

/* One loaded plugin: always its id, source and ABI; with details, its data. */
static json_t *plugin_json(const kc_vendor *v, bool details)
{
    char abi[32];
    json_t *p;
    int rc = 0;

    kc_snprintf(abi, sizeof(abi), "%u.%u", KC_PLUGIN_VERSION_MAJOR(v->abi_version),
                KC_PLUGIN_VERSION_MINOR(v->abi_version));
    p = json_pack("{s:o, s:o, s:s}", "id", jstr(v->name), "source", jstr(v->source), "abi", abi);
    if (p == NULL || !details)
        return p;
    rc |= put(p, "name", jstr(v->vendor));
    rc |= put(p, "team_id", jstr(v->team_id));
    rc |= put(p, "developer_name", jstr(v->developer_name));
    rc |= put(p, "kext_bundle_ids", strv_json(&v->kexts));
    rc |= put(p, "install_paths", strv_json(&v->install_paths));
    rc |= put(p, "staged_paths", strv_json(&v->staged_paths));
    rc |= put(p, "sysext_bundle_ids", strv_json(&v->sysexts));
    rc |= put(p, "reference", jstr(v->reference));
    rc |= put_vendor_help(p, v);
    return finish(p, rc);
}

static int dump(FILE *out, json_t *doc, int rc)
{
    if (rc == 0)
        rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 ? 0 : -1;
    if (rc == 0 && fputc('\n', out) == EOF)
        rc = -1;
    json_decref(doc);
    return rc;
}

int kc_report_plugins_json(FILE *out, const kc_registry *reg)
{
    json_t *doc = json_object(), *loaded = json_array();
    int rc = doc && loaded ? 0 : -1;

    for (size_t i = 0; loaded && i < reg->n_vendors; i++)
        rc |= append(loaded, plugin_json(&reg->vendors[i], true));
    if (doc == NULL) {
        json_decref(loaded);
        return -1;
    }
    rc |= put(doc, "schema_version", json_integer(KC_JSON_SCHEMA_VERSION));
    rc |= put(doc, "plugin_abi", jstr(KC_ABI_STRING));
    rc |= put(doc, "plugins", json_pack("{s:o, s:o}", "loaded", loaded, "refused",
                                        refused_json(reg->refused, reg->n_refused, true)));
    return dump(out, doc, rc);
}

int kc_report_json(FILE *out, const kc_result *res, const kc_print_opts *opts)
{
    static const kc_status order[] = {KC_STATUS_CRITICAL, KC_STATUS_WARNING, KC_STATUS_UNKNOWN,
                                      KC_STATUS_OK, KC_STATUS_NOT_INSTALLED};
    const kc_model *m = res->model;
    json_t *doc = json_object(), *vendors = json_array(), *summary = json_object(),
           *loaded = json_array();
    int rc = doc && vendors && summary && loaded ? 0 : -1;

    if (rc != 0) {
        json_decref(doc);
        json_decref(vendors);
        json_decref(summary);
        json_decref(loaded);
        return -1;
    }
    rc |= put(doc, "schema_version", json_integer(KC_JSON_SCHEMA_VERSION));
    rc |= put(doc, "tool", json_pack("{s:s, s:s, s:s}", "name", KC_PROGRAM, "version",
                                     KEXTCHECK_VERSION, "plugin_abi", KC_ABI_STRING));
    rc |= put(doc, "root", jstr(m->host.root));
    rc |= put(doc, "policy_db", db_json(&m->host.db));
    rc |= put(doc, "evidence", evidence_json(&m->host, &res->platform));
    rc |= put(doc, "host", json_pack("{s:o}", "findings",
                                     findings_json(res->host_findings, res->n_host_findings)));
    for (size_t i = 0; i < res->n_vendors; i++)
        rc |= append(vendors, vendor_json(res, &res->vendors[i], opts->verbose));
    rc |= put(doc, "vendors", vendors);
    for (size_t s = 0; s < sizeof(order) / sizeof(order[0]); s++) {
        json_int_t n = 0;
        for (size_t i = 0; i < res->n_vendors; i++)
            n += res->vendors[i].status == order[s];
        rc |= put(summary, kc_status_name(order[s]), json_integer(n));
    }
    rc |= put(doc, "summary", summary);
    for (size_t i = 0; i < res->n_vendors; i++)
        rc |= append(loaded, plugin_json(res->vendors[i].ev->vendor, false));
    rc |= put(doc, "plugins", json_pack("{s:o, s:o}", "loaded", loaded, "refused",
                                        refused_json(m->refused, m->n_refused, false)));
    rc |= put(doc, "exit_code", json_integer(res->exit_code));
    return dump(out, doc, rc);
}
