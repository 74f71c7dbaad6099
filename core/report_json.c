/* The JSON report (schema documented in docs/json-schema.md). */
#include "kc.h"

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

/* The built object, or NULL (and nothing leaked) when any step failed. */
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

static json_t *kext_json(const kc_kext_result *k)
{
    json_t *o = json_object();
    int rc = 0;

    if (o == NULL)
        return NULL;
    rc |= put(o, "bundle_id", jstr(k->bundle_id));
    rc |= put(o, "policy", jstr(kc_policy_name(k->policy)));
    if (k->row) {
        json_t *row = json_object();
        rc |= put(o, "kext_policy", row);
        if (row) {
            rc |= put(row, "allowed", k->row->allowed < 0 ? json_null()
                                                          : json_integer(k->row->allowed));
            rc |= put(row, "developer_name", jstr(k->row->developer_name));
            rc |= put(row, "flags", k->row->has_flags ? json_integer(k->row->flags)
                                                      : json_null());
        }
    } else {
        rc |= put(o, "kext_policy", json_null());
    }
    if (k->mdm) {
        json_t *m = json_object();
        rc |= put(o, "mdm", m);
        if (m) {
            bool team = k->mdm->bundle_id == NULL || k->mdm->bundle_id[0] == '\0';
            rc |= put(m, "scope", jstr(team ? "team" : "kext"));
            rc |= put(m, "payload_uuid", jstr(k->mdm->payload_uuid));
        }
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
        json_t *h = json_object();
        rc |= put(o, "last_load", h);
        if (h) {
            rc |= put(h, "path", jstr(k->history->path));
            rc |= put(h, "created_at", jstr(k->history->created_at));
            rc |= put(h, "last_seen", jstr(k->history->last_seen));
            rc |= put(h, "flags", k->history->has_flags ? json_integer(k->history->flags)
                                                        : json_null());
            rc |= put(h, "cdhash", jstr(k->history->cdhash));
        }
    } else {
        rc |= put(o, "last_load", json_null());
    }
    return finish(o, rc);
}

static json_t *finding_json(const kc_finding *f)
{
    json_t *o = json_object();
    int rc = 0;

    if (o == NULL)
        return NULL;
    rc |= put(o, "code", jstr(f->code));
    rc |= put(o, "severity", jstr(kc_severity_name(f->severity)));
    rc |= put(o, "step", json_integer(f->step));
    rc |= put(o, "kext", jstr(f->kext));
    rc |= put(o, "message", jstr(f->message));
    rc |= put(o, "remediation", strv_json(&f->remediation));
    rc |= put(o, "evidence", strv_json(&f->evidence));
    return finish(o, rc);
}

static json_t *vendor_json(const kc_vendor_result *r)
{
    const kc_vendor *v = r->vendor;
    const kc_finding *next = kc_next_step(r);
    json_t *o = json_object(), *paths = json_array(), *kexts = json_array(),
           *findings = json_array();
    int rc = 0;

    if (o == NULL || paths == NULL || kexts == NULL || findings == NULL) {
        json_decref(o);
        json_decref(paths);
        json_decref(kexts);
        json_decref(findings);
        return NULL;
    }
    rc |= put(o, "id", jstr(v->name));
    rc |= put(o, "name", jstr(v->vendor));
    rc |= put(o, "team_id", jstr(v->team_id));
    rc |= put(o, "developer_name", jstr(v->developer_name));
    rc |= put(o, "reference", jstr(v->reference));
    rc |= put(o, "status", jstr(kc_status_name(r->status)));
    rc |= put(o, "installed", json_boolean(r->installed));
    for (size_t i = 0; i < r->n_paths; i++) {
        json_t *p = json_object();
        if (p == NULL || append(paths, p) != 0) {
            rc = -1;
            break;
        }
        rc |= put(p, "path", jstr(r->paths[i].path));
        rc |= put(p, "kind", jstr(r->paths[i].staged ? "staged" : "install"));
        rc |= put(p, "present", json_boolean(r->paths[i].present));
    }
    rc |= put(o, "paths", paths);
    for (size_t i = 0; i < r->n_kexts; i++)
        rc |= append(kexts, kext_json(&r->kexts[i]));
    rc |= put(o, "kexts", kexts);
    {
        json_t *sx = json_array();
        for (size_t i = 0; sx && i < r->n_sysexts; i++) {
            const kc_sysext *e = r->sysexts[i].entry;
            rc |= append(sx, json_pack("{s:o, s:o, s:o}", "identifier",
                                       jstr(r->sysexts[i].identifier), "state",
                                       e ? jstr(e->state) : json_null(), "version",
                                       e ? jstr(e->version) : json_null()));
        }
        rc |= put(o, "system_extensions", sx);
    }
    for (size_t i = 0; i < r->n_findings; i++)
        rc |= append(findings, finding_json(&r->findings[i]));
    rc |= put(o, "findings", findings);
    rc |= put(o, "next_step", next ? jstr(next->remediation.v[0]) : json_null());
    rc |= put(o, "next_step_code", next ? jstr(next->code) : json_null());
    return finish(o, rc);
}

static json_t *db_json(const kc_policydb *db)
{
    json_t *o = json_object(), *t = json_object();
    int rc = 0;

    if (o == NULL || t == NULL) {
        json_decref(o);
        json_decref(t);
        return NULL;
    }
    rc |= put(o, "path", jstr(db->path));
    rc |= put(o, "state", jstr(kc_db_state_name(db->state)));
    rc |= put(o, "error", db->state == KC_DB_OK ? json_null() : jstr(db->error));
    rc |= put(o, "access", jstr(db->access));
    rc |= put(t, "kext_policy", json_boolean(db->has_kext_policy));
    rc |= put(t, "kext_policy_mdm", json_boolean(db->has_mdm));
    rc |= put(t, "kext_load_history_v3", json_boolean(db->has_history));
    rc |= put(t, "cdhash", json_boolean(db->has_cdhash));
    rc |= put(o, "tables", t);
    return finish(o, rc);
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

static json_t *evidence_json(const kc_evidence *ev, bool live)
{
    static const char *const sip_names[] = {"unknown", "enabled", "disabled", "custom"};
    json_t *o = json_object(), *mdm_kexts = json_array();
    int rc = 0;

    if (o == NULL || mdm_kexts == NULL) {
        json_decref(o);
        json_decref(mdm_kexts);
        return NULL;
    }
    for (size_t i = 0; i < ev->n_mdm_kexts; i++)
        rc |= append(mdm_kexts, json_pack("{s:o, s:o}", "team_id", jstr(ev->mdm_kexts[i].team_id),
                                          "bundle_id", jstr(ev->mdm_kexts[i].bundle_id)));
    rc |= put(o, "mode", jstr(live ? "live" : "snapshot"));
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
              json_pack("{s:o, s:o, s:o, s:o}", "source", source_json(&ev->mdm_src),
                        "allowed_teams", strv_json(&ev->mdm_teams), "allowed_kexts", mdm_kexts,
                        "allow_user_overrides", tri_json(ev->mdm_user_overrides)));
    rc |= put(o, "system_extensions",
              json_pack("{s:o, s:I, s:b}", "source", source_json(&ev->sysext_src), "count",
                        (json_int_t)ev->n_sysexts, "truncated", ev->sysexts_truncated));
    return finish(o, rc);
}

static json_t *plugins_json(const kc_registry *reg, bool details)
{
    json_t *o = json_object(), *loaded = json_array(), *refused = json_array();
    int rc = 0;

    if (o == NULL || loaded == NULL || refused == NULL) {
        json_decref(o);
        json_decref(loaded);
        json_decref(refused);
        return NULL;
    }
    for (size_t i = 0; i < reg->n_vendors; i++) {
        const kc_vendor *v = &reg->vendors[i];
        json_t *p = json_object();
        char abi[32];
        if (p == NULL || append(loaded, p) != 0) {
            rc = -1;
            break;
        }
        kc_snprintf(abi, sizeof(abi), "%u.%u", KC_PLUGIN_VERSION_MAJOR(v->abi_version),
                    KC_PLUGIN_VERSION_MINOR(v->abi_version));
        rc |= put(p, "id", jstr(v->name));
        rc |= put(p, "source", jstr(v->source));
        rc |= put(p, "abi", jstr(abi));
        if (details) {
            rc |= put(p, "name", jstr(v->vendor));
            rc |= put(p, "team_id", jstr(v->team_id));
            rc |= put(p, "developer_name", jstr(v->developer_name));
            rc |= put(p, "kext_bundle_ids", strv_json(&v->kexts));
            rc |= put(p, "install_paths", strv_json(&v->install_paths));
            rc |= put(p, "staged_paths", strv_json(&v->staged_paths));
            rc |= put(p, "reference", jstr(v->reference));
        }
    }
    for (size_t i = 0; i < reg->n_refused; i++) {
        json_t *p = json_object();
        if (p == NULL || append(refused, p) != 0) {
            rc = -1;
            break;
        }
        rc |= put(p, "source", jstr(reg->refused[i].source));
        rc |= put(p, "reason", jstr(reg->refused[i].reason));
        if (details)
            rc |= put(p, "problems", strv_json(&reg->refused[i].problems));
    }
    rc |= put(o, "loaded", loaded);
    rc |= put(o, "refused", refused);
    return finish(o, rc);
}

int kc_report_plugins_json(FILE *out, const kc_registry *reg)
{
    json_t *doc = json_object();
    int rc = 0;

    if (doc == NULL)
        return -1;
    rc |= put(doc, "schema_version", json_integer(KC_JSON_SCHEMA_VERSION));
    rc |= put(doc, "plugin_abi", jstr(KC_ABI_STRING));
    rc |= put(doc, "plugins", plugins_json(reg, true));
    if (rc == 0)
        rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 ? 0 : -1;
    if (rc == 0 && fputc('\n', out) == EOF)
        rc = -1;
    json_decref(doc);
    return rc;
}

int kc_report_json(FILE *out, const kc_report *rep)
{
    json_t *doc = json_object(), *vendors = json_array(), *tool = json_object();
    static const char *const order[] = {"critical", "warning", "unknown", "ok",
                                        "not_installed"};
    json_t *summary = json_object();
    int rc = 0;

    if (doc == NULL || vendors == NULL || tool == NULL || summary == NULL) {
        json_decref(doc);
        json_decref(vendors);
        json_decref(tool);
        json_decref(summary);
        return -1;
    }
    rc |= put(doc, "schema_version", json_integer(KC_JSON_SCHEMA_VERSION));
    rc |= put(tool, "name", jstr(KC_PROGRAM));
    rc |= put(tool, "version", jstr(KEXTCHECK_VERSION));
    rc |= put(tool, "plugin_abi", jstr(KC_ABI_STRING));
    rc |= put(doc, "tool", tool);
    rc |= put(doc, "root", jstr(rep->root));
    rc |= put(doc, "policy_db", db_json(rep->db));
    if (rep->ev != NULL)
        rc |= put(doc, "evidence", evidence_json(rep->ev, rep->live));
    for (size_t i = 0; i < rep->n_results; i++)
        rc |= append(vendors, vendor_json(&rep->results[i]));
    rc |= put(doc, "vendors", vendors);
    for (size_t s = 0; s < sizeof(order) / sizeof(order[0]); s++) {
        json_int_t n = 0;
        for (size_t i = 0; i < rep->n_results; i++)
            n += strcmp(kc_status_name(rep->results[i].status), order[s]) == 0;
        rc |= put(summary, order[s], json_integer(n));
    }
    rc |= put(doc, "summary", summary);
    rc |= put(doc, "plugins", plugins_json(rep->reg, false));
    rc |= put(doc, "exit_code", json_integer(rep->exit_code));
    if (rc == 0)
        rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 ? 0 : -1;
    if (rc == 0 && fputc('\n', out) == EOF)
        rc = -1;
    json_decref(doc);
    return rc;
}
