/*
 * jsoncheck: reads a kextcheck JSON report on stdin and checks that it is
 * valid JSON that follows docs/json-schema.md (schema_version 2).
 *
 * jsoncheck --catalog N: reads `kextcheck plugins --format json` instead and
 * checks the shipped catalog: N plugins loaded, none refused, each with a
 * reference, and no team ID or bundle ID claimed twice.
 *
 * jsoncheck --vendors: prints the number of vendors in the report on stdin.
 *
 * jsoncheck --summary ID: prints the answer for vendor ID in one block: the
 * exit code, the vendor's status, its finding codes and the host findings
 * it refers to, then the next step's code, rung and text.
 *
 * jsoncheck --same A B: two reports give the same answer: the exit code and,
 * per vendor, the status, the next step's code, the finding codes in order,
 * each kext's policy and loaded state, each system extension's state.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int errors;

static void bad(const char *where, const char *what)
{
    fprintf(stderr, "jsoncheck: %s: %s\n", where, what);
    errors++;
}

static json_t *need(json_t *obj, const char *key, json_type type, const char *where)
{
    json_t *v = json_object_get(obj, key);
    char msg[256];

    if (v == NULL || json_typeof(v) != type) {
        snprintf(msg, sizeof(msg), "\"%s\" missing or of the wrong type", key);
        bad(where, msg);
        return NULL;
    }
    return v;
}

static int one_of(const char *s, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(s, *set) == 0)
            return 1;
    return 0;
}

static void need_enum(json_t *obj, const char *key, const char *const *set, const char *where)
{
    json_t *v = need(obj, key, JSON_STRING, where);
    if (v && !one_of(json_string_value(v), set)) {
        char msg[256];
        snprintf(msg, sizeof(msg), "\"%s\" has unexpected value \"%s\"", key,
                 json_string_value(v));
        bad(where, msg);
    }
}

static int catalog(json_t *doc, long want)
{
    json_t *plugins = need(doc, "plugins", JSON_OBJECT, "top"), *loaded, *refused, *p, *q;
    size_t i, j, k, l;

    if (plugins == NULL)
        return 1;
    loaded = need(plugins, "loaded", JSON_ARRAY, "plugins");
    refused = need(plugins, "refused", JSON_ARRAY, "plugins");
    if (loaded == NULL || refused == NULL)
        return 1;
    if ((long)json_array_size(loaded) != want) {
        fprintf(stderr, "jsoncheck: %zu plugins loaded, expected %ld\n", json_array_size(loaded),
                want);
        errors++;
    }
    json_array_foreach(refused, i, p) {
        fprintf(stderr, "jsoncheck: refused: %s: %s\n",
                json_string_value(json_object_get(p, "source")),
                json_string_value(json_object_get(p, "reason")));
        errors++;
    }
    json_array_foreach(loaded, i, p) {
        const char *id = json_string_value(json_object_get(p, "id"));
        const char *team = json_string_value(json_object_get(p, "team_id"));
        const char *ref = json_string_value(json_object_get(p, "reference"));
        json_t *kexts = json_object_get(p, "kext_bundle_ids"), *a, *b;
        if (id == NULL || team == NULL || ref == NULL || ref[0] == '\0' || !json_is_array(kexts)) {
            bad("plugin", "id, team_id, reference or kext_bundle_ids missing");
            continue;
        }
        json_array_foreach(loaded, j, q) {
            json_t *other = json_object_get(q, "kext_bundle_ids");
            if (j <= i)
                continue;
            if (team && json_string_value(json_object_get(q, "team_id")) &&
                strcmp(team, json_string_value(json_object_get(q, "team_id"))) == 0) {
                fprintf(stderr, "jsoncheck: team %s claimed twice\n", team);
                errors++;
            }
            json_array_foreach(kexts, k, a) {
                json_array_foreach(other, l, b) {
                    if (json_equal(a, b)) {
                        fprintf(stderr, "jsoncheck: bundle ID %s claimed twice\n",
                                json_string_value(a));
                        errors++;
                    }
                }
            }
        }
    }
    if (errors == 0)
        printf("jsoncheck: catalog of %ld plugins valid, no team or bundle ID claimed twice\n",
               want);
    return errors ? 1 : 0;
}

static json_t *answer(json_t *doc)
{
    json_t *out = json_object(), *vendors = json_array(), *v;
    size_t i, j;

    json_object_set(out, "exit_code", json_object_get(doc, "exit_code"));
    {
        json_t *hc = json_array(), *h;
        json_array_foreach(json_object_get(json_object_get(doc, "host"), "findings"), i, h)
            json_array_append(hc, json_object_get(h, "id"));
        json_object_set_new(out, "host_findings", hc);
    }
    json_array_foreach(json_object_get(doc, "vendors"), i, v) {
        json_t *a = json_object(), *codes = json_array(), *kexts = json_array(),
               *sx = json_array(), *x;
        json_object_set(a, "id", json_object_get(v, "id"));
        json_object_set(a, "status", json_object_get(v, "status"));
        json_object_set(a, "next_step_code", json_object_get(v, "next_step_code"));
        json_array_foreach(json_object_get(v, "findings"), j, x)
            json_array_append(codes, json_object_get(x, "code"));
        json_array_foreach(json_object_get(v, "kexts"), j, x)
            json_array_append_new(kexts, json_pack("{s:O, s:O, s:O}", "bundle_id",
                                                   json_object_get(x, "bundle_id"), "policy",
                                                   json_object_get(x, "policy"), "loaded",
                                                   json_object_get(x, "loaded")));
        json_array_foreach(json_object_get(v, "system_extensions"), j, x)
            json_array_append(sx, json_object_get(x, "state"));
        json_object_set_new(a, "findings", codes);
        json_object_set_new(a, "kexts", kexts);
        json_object_set_new(a, "system_extensions", sx);
        json_array_append_new(vendors, a);
    }
    json_object_set_new(out, "vendors", vendors);
    return out;
}

static int same(const char *a, const char *b)
{
    json_error_t err;
    json_t *da = json_load_file(a, 0, &err), *db = json_load_file(b, 0, &err), *x, *y;
    int rc = 1;

    if (da == NULL || db == NULL) {
        fprintf(stderr, "jsoncheck: cannot read %s: %s\n", da ? b : a, err.text);
    } else {
        x = answer(da);
        y = answer(db);
        if (json_equal(x, y)) {
            printf("jsoncheck: %s and %s give the same answer\n", a, b);
            rc = 0;
        } else {
            char *sa = json_dumps(x, JSON_INDENT(1)), *sb = json_dumps(y, JSON_INDENT(1));
            fprintf(stderr, "jsoncheck: different answers:\n--- %s\n%s\n--- %s\n%s\n", a,
                    sa ? sa : "", b, sb ? sb : "");
            free(sa);
            free(sb);
        }
        json_decref(x);
        json_decref(y);
    }
    json_decref(da);
    json_decref(db);
    return rc;
}

static int summary(json_t *doc, const char *id)
{
    json_t *v, *x;
    size_t i, j;

    json_array_foreach(json_object_get(doc, "vendors"), i, v) {
        if (!json_is_string(json_object_get(v, "id")) ||
            strcmp(json_string_value(json_object_get(v, "id")), id) != 0)
            continue;
        printf("exit %lld, %s;", (long long)json_integer_value(json_object_get(doc, "exit_code")),
               json_string_value(json_object_get(v, "status")));
        json_array_foreach(json_object_get(v, "findings"), j, x)
            printf(" %s", json_string_value(json_object_get(x, "code")));
        json_array_foreach(json_object_get(v, "host_findings"), j, x)
            printf(" host:%s", json_string_value(x));
        printf("\n");
        if (json_is_string(json_object_get(v, "next_step_code")))
            printf("  next (%s, %s): %s\n",
                   json_string_value(json_object_get(v, "next_step_rung")),
                   json_string_value(json_object_get(v, "next_step_code")),
                   json_string_value(json_object_get(v, "next_step")));
        else
            printf("  next: none\n");
        return 0;
    }
    fprintf(stderr, "jsoncheck: no vendor %s in the report\n", id);
    return 1;
}

int main(int argc, char **argv)
{
    static const char *const statuses[] = {"ok", "warning", "critical", "unknown",
                                           "not_installed", NULL};
    static const char *const policies[] = {"allowed", "pending", "mdm", "none", "unknown", NULL};
    static const char *const severities[] = {"ok", "warning", "critical", "unknown", NULL};
    static const char *const dbstates[] = {"ok", "missing", "unreadable", "corrupt",
                                           "no_tables", "busy", NULL};
    static const char *const rungs[] = {"none", "first", "approve", "restart", "reinstall",
                                        "clear_staging", "inspect", "consent", NULL};
    json_error_t err;
    json_t *doc, *v, *vendors, *db, *host, *host_ids;
    size_t i, j;

    if (argc == 4 && strcmp(argv[1], "--same") == 0)
        return same(argv[2], argv[3]);
    doc = json_loadf(stdin, 0, &err);
    if (doc == NULL) {
        fprintf(stderr, "jsoncheck: invalid JSON at line %d: %s\n", err.line, err.text);
        return 1;
    }
    if (argc == 3 && strcmp(argv[1], "--summary") == 0) {
        int rc = summary(doc, argv[2]);
        json_decref(doc);
        return rc;
    }
    if (argc == 2 && strcmp(argv[1], "--vendors") == 0) {
        printf("%zu\n", json_array_size(json_object_get(doc, "vendors")));
        json_decref(doc);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "--catalog") == 0) {
        int rc = catalog(doc, atol(argv[2]));
        json_decref(doc);
        return rc;
    }
    host_ids = json_object();
    v = need(doc, "schema_version", JSON_INTEGER, "top");
    if (v && json_integer_value(v) != 2)
        bad("top", "schema_version is not 2");
    need(doc, "root", JSON_STRING, "top");
    need(doc, "exit_code", JSON_INTEGER, "top");
    need(doc, "summary", JSON_OBJECT, "top");
    need(doc, "plugins", JSON_OBJECT, "top");
    v = need(doc, "evidence", JSON_OBJECT, "top");
    if (v) {
        static const char *const parts[] = {"macos", "sip", "consent_status", "consent_list",
                                            "loaded_kexts", "mdm_profile", "system_extensions"};
        for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
            json_t *part = need(v, parts[i], JSON_OBJECT, "evidence");
            json_t *src = part ? need(part, "source", JSON_OBJECT, parts[i]) : NULL;
            if (src && (!json_is_boolean(json_object_get(src, "present")) ||
                        !json_is_boolean(json_object_get(src, "ok"))))
                bad(parts[i], "source.present or source.ok is not a boolean");
        }
    }
    db = need(doc, "policy_db", JSON_OBJECT, "top");
    if (db)
        need_enum(db, "state", dbstates, "policy_db");
    /* Made here, after the early returns above, which would leak it. */
    host = need(doc, "host", JSON_OBJECT, "top");
    json_array_foreach(host ? need(host, "findings", JSON_ARRAY, "host") : NULL, i, v) {
        json_t *id = need(v, "id", JSON_STRING, "host finding");
        need(v, "code", JSON_STRING, "host finding");
        need_enum(v, "severity", severities, "host finding");
        need_enum(v, "rung", rungs, "host finding");
        if (id)
            json_object_set_new(host_ids, json_string_value(id), json_true());
    }
    vendors = need(doc, "vendors", JSON_ARRAY, "top");
    json_array_foreach(vendors, i, v) {
        json_t *kexts, *findings, *k;
        json_t *status = need(v, "id", JSON_STRING, "vendor") ? json_object_get(v, "status")
                                                              : NULL;
        /* A vendor that is not installed may be named only (without --verbose). */
        if (json_is_string(status) &&
            strcmp(json_string_value(status), "not_installed") == 0 &&
            json_object_get(v, "name") == NULL) {
            if (json_object_size(v) != 2)
                bad("vendor", "a vendor named only has more than id and status");
            continue;
        }
        need(v, "name", JSON_STRING, "vendor");
        need(v, "team_id", JSON_STRING, "vendor");
        need_enum(v, "status", statuses, "vendor");
        kexts = need(v, "kexts", JSON_ARRAY, "vendor");
        json_array_foreach(kexts, j, k) {
            need(k, "bundle_id", JSON_STRING, "kext");
            need_enum(k, "policy", policies, "kext");
            if (json_object_get(k, "loaded") == NULL)
                bad("kext", "\"loaded\" missing");
        }
        need(v, "system_extensions", JSON_ARRAY, "vendor");
        findings = need(v, "findings", JSON_ARRAY, "vendor");
        json_array_foreach(findings, j, k) {
            need(k, "code", JSON_STRING, "finding");
            need_enum(k, "severity", severities, "finding");
            need_enum(k, "rung", rungs, "finding");
            need(k, "message", JSON_STRING, "finding");
            need(k, "remediation", JSON_ARRAY, "finding");
            need(k, "evidence", JSON_ARRAY, "finding");
        }
        json_array_foreach(need(v, "host_findings", JSON_ARRAY, "vendor"), j, k)
            if (!json_is_string(k) || json_object_get(host_ids, json_string_value(k)) == NULL)
                bad("vendor", "host_findings names a host finding that is not there");
    }
    json_decref(doc);
    json_decref(host_ids);
    if (errors == 0)
        printf("jsoncheck: valid (schema_version 2)\n");
    return errors ? 1 : 0;
}
