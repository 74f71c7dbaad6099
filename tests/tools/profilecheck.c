/*
 * profilecheck PROFILE [KEXT-PREFS [SYSEXT-PREFS]]: parses a configuration profile written
 * by `kextcheck profile` with libplist and checks every key and type
 * against Apple's payload specifications (device-management, mdm/profiles:
 * TopLevel, CommonPayloadKeys, com.apple.syspolicy.kernel-extension-policy,
 * com.apple.system-extension-policy):
 *
 *  - the top level: PayloadContent (array of dicts), PayloadIdentifier,
 *    PayloadUUID, PayloadType "Configuration", PayloadVersion 1, and the
 *    optional PayloadDisplayName, PayloadDescription, PayloadScope
 *    (System or User); no other key;
 *  - every payload: PayloadType, PayloadIdentifier (unique, under the
 *    profile's), PayloadUUID (unique), PayloadVersion 1, optional
 *    PayloadDisplayName, and only its type's keys with their types;
 *  - every PayloadUUID an RFC 4122 version-5 UUID (lowercase hex, version
 *    nibble 5, variant 8-b); team IDs 10 characters A-Z 0-9.
 *
 * It prints what the profile allows, one fact a line ("team X",
 * "kext TEAM BUNDLE", "sysext TEAM ID", "key NAME true|false", "payload
 * TYPE IDENTIFIER UUID", "profile IDENTIFIER UUID"), and with KEXT-PREFS
 * (and SYSEXT-PREFS) writes the kernel-extension (system-extension)
 * payload's settings, without its Payload* keys, as the managed-preferences
 * plist macOS makes of it.  Exit 0, or 1 with every problem on stderr.
 *
 * profilecheck --plist FILE: parses any plist file and prints its top-level
 * keys as KEY=VALUE (arrays joined with spaces), for the launchd job.
 */
#include <plist/plist.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int errors;

static void bad(const char *where, const char *what, const char *arg)
{
    fprintf(stderr, "profilecheck: %s: %s%s%s\n", where, what, arg ? ": " : "", arg ? arg : "");
    errors++;
}

static const char *str(plist_t dict, const char *key)
{
    plist_t v = plist_dict_get_item(dict, key);
    return v && plist_get_node_type(v) == PLIST_STRING ? plist_get_string_ptr(v, NULL) : NULL;
}

static void need_type(plist_t dict, const char *key, plist_type t, bool required,
                      const char *where)
{
    plist_t v = plist_dict_get_item(dict, key);

    if (v == NULL) {
        if (required)
            bad(where, "missing key", key);
    } else if (plist_get_node_type(v) != t) {
        bad(where, "wrong type for key", key);
    }
}

static void need_version_1(plist_t dict, const char *where)
{
    plist_t v = plist_dict_get_item(dict, "PayloadVersion");
    uint64_t n = 0;

    if (v == NULL || plist_get_node_type(v) != PLIST_UINT) {
        bad(where, "PayloadVersion is missing or not an integer", NULL);
        return;
    }
    plist_get_uint_val(v, &n);
    if (n != 1)
        bad(where, "PayloadVersion is not 1", NULL);
}

static void need_uuid_v5(const char *u, const char *where)
{
    static const char hex[] = "0123456789abcdef";

    if (u == NULL || strlen(u) != 36) {
        bad(where, "PayloadUUID is not a 36-character UUID", u);
        return;
    }
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? u[i] != '-' : strchr(hex, u[i]) == NULL || u[i] == '\0') {
            bad(where, "PayloadUUID is not lowercase hex in 8-4-4-4-12 groups", u);
            return;
        }
    }
    if (u[14] != '5')
        bad(where, "PayloadUUID is not version 5", u);
    if (strchr("89ab", u[19]) == NULL)
        bad(where, "PayloadUUID does not have the RFC 4122 variant", u);
}

static bool team_ok(const char *t)
{
    if (strlen(t) != 10)
        return false;
    for (; *t; t++)
        if (!((*t >= 'A' && *t <= 'Z') || (*t >= '0' && *t <= '9')))
            return false;
    return true;
}

/* An array of strings; each printed as "<label> <prefix><s>". */
static void string_array(plist_t a, const char *label, const char *team, const char *where)
{
    if (a == NULL || plist_get_node_type(a) != PLIST_ARRAY) {
        bad(where, "not an array", label);
        return;
    }
    for (uint32_t i = 0; i < plist_array_get_size(a); i++) {
        plist_t s = plist_array_get_item(a, i);
        if (plist_get_node_type(s) != PLIST_STRING) {
            bad(where, "an item is not a string", label);
            continue;
        }
        if (team)
            printf("%s %s %s\n", label, team, plist_get_string_ptr(s, NULL));
        else
            printf("%s %s\n", label, plist_get_string_ptr(s, NULL));
        if (strcmp(label, "team") == 0 && !team_ok(plist_get_string_ptr(s, NULL)))
            bad(where, "not a team ID", plist_get_string_ptr(s, NULL));
    }
}

/* A dict of team ID -> array of strings. */
static void team_map(plist_t d, const char *label, const char *where)
{
    plist_dict_iter it = NULL;
    char *key = NULL;
    plist_t val = NULL;

    if (plist_get_node_type(d) != PLIST_DICT) {
        bad(where, "not a dictionary", label);
        return;
    }
    plist_dict_new_iter(d, &it);
    for (;;) {
        plist_dict_next_item(d, it, &key, &val);
        if (key == NULL)
            break;
        if (!team_ok(key))
            bad(where, "not a team ID", key);
        string_array(val, label, key, where);
        free(key);
        key = NULL;
    }
    free(it);
}

static bool is_common(const char *key)
{
    return strcmp(key, "PayloadType") == 0 || strcmp(key, "PayloadIdentifier") == 0 ||
           strcmp(key, "PayloadUUID") == 0 || strcmp(key, "PayloadVersion") == 0 ||
           strcmp(key, "PayloadDisplayName") == 0 || strcmp(key, "PayloadDescription") == 0 ||
           strcmp(key, "PayloadOrganization") == 0;
}

static void print_bool(plist_t p, const char *key, const char *where)
{
    plist_t v = plist_dict_get_item(p, key);
    uint8_t b = 0;

    if (v == NULL)
        return;
    if (plist_get_node_type(v) != PLIST_BOOLEAN) {
        bad(where, "not a boolean", key);
        return;
    }
    plist_get_bool_val(v, &b);
    printf("key %s %s\n", key, b ? "true" : "false");
}

static void check_payload(plist_t p, const char *outer, const char *kext_prefs,
                          const char *sysext_prefs)
{
    const char *out_prefs;
    const char *type = str(p, "PayloadType"), *id = str(p, "PayloadIdentifier");
    const char *where = id ? id : "payload";
    bool kext = type && strcmp(type, "com.apple.syspolicy.kernel-extension-policy") == 0;
    bool sysext = type && strcmp(type, "com.apple.system-extension-policy") == 0;
    plist_dict_iter it = NULL;
    char *key = NULL;
    plist_t val = NULL, prefs = NULL;

    if (plist_get_node_type(p) != PLIST_DICT) {
        bad("PayloadContent", "an item is not a dictionary", NULL);
        return;
    }
    need_type(p, "PayloadType", PLIST_STRING, true, where);
    need_type(p, "PayloadIdentifier", PLIST_STRING, true, where);
    need_type(p, "PayloadUUID", PLIST_STRING, true, where);
    need_type(p, "PayloadDisplayName", PLIST_STRING, false, where);
    need_version_1(p, where);
    need_uuid_v5(str(p, "PayloadUUID"), where);
    if (id && outer && (strncmp(id, outer, strlen(outer)) != 0 || id[strlen(outer)] != '.'))
        bad(where, "PayloadIdentifier is not under the profile's", id);
    if (!kext && !sysext) {
        bad(where, "unexpected PayloadType", type);
        return;
    }
    printf("payload %s %s %s\n", type, id ? id : "?", str(p, "PayloadUUID"));
    out_prefs = kext ? kext_prefs : sysext_prefs;
    if (out_prefs)
        prefs = plist_new_dict();
    plist_dict_new_iter(p, &it);
    for (;;) {
        plist_dict_next_item(p, it, &key, &val);
        if (key == NULL)
            break;
        if (is_common(key)) {
            /* checked above */
        } else if (strcmp(key, "AllowUserOverrides") == 0 ||
                   (kext && strcmp(key, "AllowNonAdminUserApprovals") == 0)) {
            print_bool(p, key, where);
        } else if (strcmp(key, "AllowedTeamIdentifiers") == 0) {
            string_array(val, kext ? "team" : "sysext-team", NULL, where);
        } else if (kext && strcmp(key, "AllowedKernelExtensions") == 0) {
            team_map(val, "kext", where);
        } else if (sysext && strcmp(key, "AllowedSystemExtensions") == 0) {
            team_map(val, "sysext", where);
        } else {
            bad(where, "key not in the payload's specification", key);
        }
        if (prefs && !is_common(key))
            plist_dict_set_item(prefs, key, plist_copy(val));
        free(key);
        key = NULL;
    }
    free(it);
    if (prefs) {
        char *xml = NULL;
        uint32_t len = 0;
        FILE *f = fopen(out_prefs, "wb");
        plist_to_xml(prefs, &xml, &len);
        if (f == NULL || xml == NULL || fwrite(xml, 1, len, f) != len)
            bad(out_prefs, "cannot be written", NULL);
        if (f != NULL && fclose(f) != 0)
            bad(out_prefs, "cannot be written", NULL);
        if (xml)
            plist_to_xml_free(xml);
        plist_free(prefs);
    }
}

static char *read_all(const char *path, long *size)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (*size = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (data = malloc((size_t)*size)) != NULL &&
        fread(data, 1, (size_t)*size, f) != (size_t)*size) {
        free(data);
        data = NULL;
    }
    fclose(f);
    return data;
}

static void print_value(plist_t v)
{
    uint8_t b;
    uint64_t u;

    switch (plist_get_node_type(v)) {
    case PLIST_STRING:
        printf("%s", plist_get_string_ptr(v, NULL));
        break;
    case PLIST_BOOLEAN:
        plist_get_bool_val(v, &b);
        printf("%s", b ? "true" : "false");
        break;
    case PLIST_UINT:
        plist_get_uint_val(v, &u);
        printf("%llu", (unsigned long long)u);
        break;
    case PLIST_ARRAY:
        for (uint32_t i = 0; i < plist_array_get_size(v); i++) {
            if (i)
                printf(" ");
            print_value(plist_array_get_item(v, i));
        }
        break;
    default:
        printf("?");
        break;
    }
}

static int dump_plist(const char *path)
{
    long size = 0;
    char *data = read_all(path, &size), *key = NULL;
    plist_t root = NULL, val;
    plist_dict_iter it = NULL;

    if (data == NULL) {
        fprintf(stderr, "profilecheck: %s: cannot be read\n", path);
        return 1;
    }
    plist_from_memory(data, (uint32_t)size, &root);
    free(data);
    if (root == NULL || plist_get_node_type(root) != PLIST_DICT) {
        fprintf(stderr, "profilecheck: %s: not a plist dictionary\n", path);
        plist_free(root);
        return 1;
    }
    plist_dict_new_iter(root, &it);
    for (;;) {
        plist_dict_next_item(root, it, &key, &val);
        if (key == NULL)
            break;
        printf("%s=", key);
        print_value(val);
        printf("\n");
        free(key);
        key = NULL;
    }
    free(it);
    plist_free(root);
    return 0;
}

int main(int argc, char **argv)
{
    static const char *const top_keys[] = {"PayloadContent", "PayloadIdentifier", "PayloadUUID",
                                           "PayloadType", "PayloadVersion",
                                           "PayloadDisplayName", "PayloadDescription",
                                           "PayloadScope", NULL};
    plist_t root = NULL, content;
    char *data = NULL, *key = NULL, **ids = NULL;
    long size;
    FILE *f;
    plist_dict_iter it = NULL;
    plist_t val;
    const char *scope, *outer;
    uint32_t n;

    if (argc == 3 && strcmp(argv[1], "--plist") == 0)
        return dump_plist(argv[2]);
    if (argc < 2 || argc > 4) {
        fprintf(stderr, "usage: profilecheck PROFILE [KEXT-PREFS-OUT [SYSEXT-PREFS-OUT]]\n");
        return 2;
    }
    f = fopen(argv[1], "rb");
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) <= 0 ||
        fseek(f, 0, SEEK_SET) != 0 || (data = malloc((size_t)size)) == NULL ||
        fread(data, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "profilecheck: %s: cannot be read\n", argv[1]);
        return 1;
    }
    fclose(f);
    if (size < 6 || memcmp(data, "<?xml ", 6) != 0)
        bad(argv[1], "not an XML plist", NULL);
    plist_from_xml(data, (uint32_t)size, &root);
    free(data);
    if (root == NULL || plist_get_node_type(root) != PLIST_DICT) {
        fprintf(stderr, "profilecheck: %s: not a plist dictionary\n", argv[1]);
        return 1;
    }
    plist_dict_new_iter(root, &it);
    for (;;) {
        bool known = false;
        plist_dict_next_item(root, it, &key, &val);
        if (key == NULL)
            break;
        for (int i = 0; top_keys[i]; i++)
            known |= strcmp(top_keys[i], key) == 0;
        if (!known)
            bad("profile", "key not in the top-level specification", key);
        free(key);
        key = NULL;
    }
    free(it);
    need_type(root, "PayloadIdentifier", PLIST_STRING, true, "profile");
    need_type(root, "PayloadUUID", PLIST_STRING, true, "profile");
    need_type(root, "PayloadType", PLIST_STRING, true, "profile");
    need_type(root, "PayloadDisplayName", PLIST_STRING, false, "profile");
    need_type(root, "PayloadDescription", PLIST_STRING, false, "profile");
    need_type(root, "PayloadContent", PLIST_ARRAY, true, "profile");
    need_version_1(root, "profile");
    need_uuid_v5(str(root, "PayloadUUID"), "profile");
    if (str(root, "PayloadType") && strcmp(str(root, "PayloadType"), "Configuration") != 0)
        bad("profile", "PayloadType is not Configuration", str(root, "PayloadType"));
    scope = str(root, "PayloadScope");
    if (plist_dict_get_item(root, "PayloadScope") &&
        (scope == NULL || (strcmp(scope, "System") != 0 && strcmp(scope, "User") != 0)))
        bad("profile", "PayloadScope is neither System nor User", scope);
    outer = str(root, "PayloadIdentifier");
    printf("profile %s %s\n", outer ? outer : "?", str(root, "PayloadUUID"));
    content = plist_dict_get_item(root, "PayloadContent");
    n = content && plist_get_node_type(content) == PLIST_ARRAY ? plist_array_get_size(content)
                                                               : 0;
    if (content && n == 0)
        bad("profile", "PayloadContent is empty", NULL);
    ids = calloc(2 * (size_t)n + 2, sizeof(*ids));
    if (ids == NULL)
        return 1;
    ids[0] = (char *)str(root, "PayloadUUID");
    for (uint32_t i = 0; i < n; i++) {
        plist_t p = plist_array_get_item(content, i);
        const char *u, *pid;
        check_payload(p, outer, argc >= 3 ? argv[2] : NULL, argc >= 4 ? argv[3] : NULL);
        u = plist_get_node_type(p) == PLIST_DICT ? str(p, "PayloadUUID") : NULL;
        pid = plist_get_node_type(p) == PLIST_DICT ? str(p, "PayloadIdentifier") : NULL;
        for (uint32_t j = 0; j < 2 * i + 1 && u; j++)
            if (ids[j] && strcmp(ids[j], u) == 0)
                bad("profile", "PayloadUUID used twice", u);
        for (uint32_t j = 0; j < 2 * i + 1 && pid; j++)
            if (ids[j] && strcmp(ids[j], pid) == 0)
                bad("profile", "PayloadIdentifier used twice", pid);
        ids[2 * i + 1] = (char *)u;
        ids[2 * i + 2] = (char *)pid;
    }
    free(ids);
    plist_free(root);
    return errors ? 1 : 0;
}
