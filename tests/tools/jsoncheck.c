/*
 * jsoncheck: reads a kextcheck JSON report on stdin and checks that it is
 * valid JSON that follows docs/json-schema.md (schema_version 1).
 */
#include <jansson.h>
#include <stdio.h>
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

int main(void)
{
    static const char *const statuses[] = {"ok", "warning", "critical", "unknown",
                                           "not_installed", NULL};
    static const char *const policies[] = {"allowed", "pending", "mdm", "none", "unknown", NULL};
    static const char *const severities[] = {"ok", "warning", "critical", "unknown", NULL};
    static const char *const dbstates[] = {"ok", "missing", "unreadable", "corrupt",
                                           "no_tables", NULL};
    json_error_t err;
    json_t *doc = json_loadf(stdin, 0, &err), *v, *vendors, *db;
    size_t i, j;

    if (doc == NULL) {
        fprintf(stderr, "jsoncheck: invalid JSON at line %d: %s\n", err.line, err.text);
        return 1;
    }
    v = need(doc, "schema_version", JSON_INTEGER, "top");
    if (v && json_integer_value(v) != 1)
        bad("top", "schema_version is not 1");
    need(doc, "root", JSON_STRING, "top");
    need(doc, "exit_code", JSON_INTEGER, "top");
    need(doc, "summary", JSON_OBJECT, "top");
    need(doc, "plugins", JSON_OBJECT, "top");
    db = need(doc, "policy_db", JSON_OBJECT, "top");
    if (db)
        need_enum(db, "state", dbstates, "policy_db");
    vendors = need(doc, "vendors", JSON_ARRAY, "top");
    json_array_foreach(vendors, i, v) {
        json_t *kexts, *findings, *k;
        need(v, "id", JSON_STRING, "vendor");
        need(v, "name", JSON_STRING, "vendor");
        need(v, "team_id", JSON_STRING, "vendor");
        need_enum(v, "status", statuses, "vendor");
        kexts = need(v, "kexts", JSON_ARRAY, "vendor");
        json_array_foreach(kexts, j, k) {
            need(k, "bundle_id", JSON_STRING, "kext");
            need_enum(k, "policy", policies, "kext");
        }
        findings = need(v, "findings", JSON_ARRAY, "vendor");
        json_array_foreach(findings, j, k) {
            need(k, "code", JSON_STRING, "finding");
            need_enum(k, "severity", severities, "finding");
            need(k, "message", JSON_STRING, "finding");
            need(k, "remediation", JSON_ARRAY, "finding");
        }
    }
    json_decref(doc);
    if (errors == 0)
        printf("jsoncheck: valid (schema_version 1)\n");
    return errors ? 1 : 0;
}
