/*
 * `kextcheck profile`: the configuration profile that approves vendors'
 * kernel extensions and system extensions through an MDM (profile.h).
 *
 * The profile (keys from Apple's device-management repository,
 * mdm/profiles: TopLevel, CommonPayloadKeys,
 * com.apple.syspolicy.kernel-extension-policy and
 * com.apple.system-extension-policy):
 *
 *   PayloadType Configuration, PayloadVersion 1, PayloadIdentifier,
 *   PayloadUUID, PayloadDisplayName, PayloadDescription, PayloadScope System,
 *   PayloadContent:
 *     - com.apple.syspolicy.kernel-extension-policy (vendors with kexts):
 *       AllowedTeamIdentifiers [team...] (default), or AllowedKernelExtensions
 *       {team: [bundle ID...]} (by_bundle_id); AllowUserOverrides (always
 *       written: false unless asked, the payload's default); and
 *       AllowNonAdminUserApprovals true when asked (macOS 11+).
 *     - com.apple.system-extension-policy (vendors that declare system
 *       extensions): AllowedSystemExtensions {team: [identifier...]}.
 *       AllowedSystemExtensionTypes is left out: plugins do not declare
 *       their extensions' types, and a team without an entry there may
 *       install every type.  AllowUserOverrides is left at its default
 *       (true), so users can still approve other vendors' extensions.
 *
 * Each payload's PayloadUUID is the RFC 4122 version-5 UUID (uuid.c) of a
 * canonical text of the payload: its type, identifier and every key and
 * value in order; the profile's of its identifier, display name and the
 * payloads' UUIDs.  The same vendors and options give the same bytes.
 */
#include "profile.h"

#include <plist/plist.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ID_PREFIX "kextcheck.approvals"

/* A growing text: the canonical form hashed into a UUID. */
typedef struct canon {
    char *s;
    size_t n, cap;
    int err;
} canon;

static void add(canon *c, const char *a, const char *b)
{
    size_t la = strlen(a), lb = b ? strlen(b) : 0, need = c->n + la + lb + 2;

    if (c->err)
        return;
    if (need > c->cap) {
        size_t cap = c->cap ? c->cap : 256;
        char *s;
        while (cap < need)
            cap *= 2;
        s = realloc(c->s, cap);
        if (s == NULL) {
            c->err = -1;
            return;
        }
        c->s = s;
        c->cap = cap;
    }
    memcpy(c->s + c->n, a, la);
    c->n += la;
    if (b != NULL) {
        memcpy(c->s + c->n, b, lb);
        c->n += lb;
    }
    c->s[c->n++] = '\n';
    c->s[c->n] = '\0';
}

static int set_uuid(plist_t dict, canon *c)
{
    char uuid[37];
    plist_t v;

    if (c->err)
        return -1;
    kc_uuid_v5(kc_uuid_namespace, c->s, c->n, uuid);
    v = plist_new_string(uuid);
    if (v == NULL)
        return -1;
    plist_dict_set_item(dict, "PayloadUUID", v);
    return 0;
}

/* dict[key] = a new string; the pair is also written into c. */
static int set_str(plist_t dict, canon *c, const char *key, const char *val)
{
    plist_t v = plist_new_string(val);

    if (v == NULL)
        return -1;
    plist_dict_set_item(dict, key, v);
    if (c != NULL) {
        add(c, key, "=");
        add(c, "", val);
    }
    return 0;
}

static int set_common(plist_t dict, canon *c, const char *type, const char *id,
                      const char *name)
{
    plist_t v = plist_new_uint(1);

    if (v == NULL)
        return -1;
    plist_dict_set_item(dict, "PayloadVersion", v);
    add(c, "PayloadVersion=1", NULL);
    if (set_str(dict, c, "PayloadType", type) != 0 ||
        set_str(dict, c, "PayloadIdentifier", id) != 0 ||
        set_str(dict, c, "PayloadDisplayName", name) != 0)
        return -1;
    return 0;
}

static int set_bool(plist_t dict, canon *c, const char *key, bool val)
{
    plist_t v = plist_new_bool(val);

    if (v == NULL)
        return -1;
    plist_dict_set_item(dict, key, v);
    add(c, key, val ? "=true" : "=false");
    return 0;
}

/* An array of strings; each also goes into c under key. */
static plist_t string_array(canon *c, const char *key, const kc_strv *sv)
{
    plist_t a = plist_new_array();

    for (size_t i = 0; a != NULL && i < sv->n; i++) {
        plist_t s = plist_new_string(sv->v[i]);
        if (s == NULL) {
            plist_free(a);
            return NULL;
        }
        plist_array_append_item(a, s);
        add(c, key, sv->v[i]);
    }
    return a;
}

/* dict[key] = {team: [id, ...]} for each vendor with IDs of that kind (its
 * kexts, or its system extensions); into c as "team=" and item + each ID. */
static int set_team_map(plist_t dict, canon *c, const char *key, const char *item,
                        const kc_vendor *const *vendors, size_t n, bool sysexts)
{
    plist_t map = plist_new_dict();

    if (map == NULL)
        return -1;
    add(c, key, NULL);
    for (size_t i = 0; i < n; i++) {
        const kc_strv *ids = sysexts ? &vendors[i]->sysexts : &vendors[i]->kexts;
        plist_t a;
        if (ids->n == 0)
            continue;
        add(c, "team=", vendors[i]->team_id);
        a = string_array(c, item, ids);
        if (a == NULL) {
            plist_free(map);
            return -1;
        }
        plist_dict_set_item(map, vendors[i]->team_id, a);
    }
    plist_dict_set_item(dict, key, map);
    return 0;
}

static plist_t kext_payload(const kc_vendor *const *vendors, size_t n,
                            const kc_mobileconfig_opts *o, const char *outer)
{
    plist_t d = plist_new_dict(), teams = NULL;
    char *id = kc_asprintf("%s.kext-policy", outer);
    kc_strv team_list = {NULL, 0, 0};
    canon c = {NULL, 0, 0, 0};
    int rc = d && id ? 0 : -1;

    rc = rc ? rc
            : set_common(d, &c, "com.apple.syspolicy.kernel-extension-policy", id,
                         "Kernel extensions");
    if (rc == 0 && o->by_bundle_id) {
        rc = set_team_map(d, &c, "AllowedKernelExtensions", "bundle=", vendors, n, false);
    } else if (rc == 0) {
        for (size_t i = 0; rc == 0 && i < n; i++)
            if (vendors[i]->kexts.n > 0 && !kc_strv_contains(&team_list, vendors[i]->team_id))
                rc = kc_strv_push(&team_list, vendors[i]->team_id);
        add(&c, "AllowedTeamIdentifiers", NULL);
        teams = rc == 0 ? string_array(&c, "team=", &team_list) : NULL;
        if (teams == NULL) {
            rc = -1;
        } else {
            plist_dict_set_item(d, "AllowedTeamIdentifiers", teams);
            teams = NULL;
        }
    }
    rc = rc ? rc : set_bool(d, &c, "AllowUserOverrides", o->allow_user_overrides);
    if (rc == 0 && o->allow_non_admin)
        rc = set_bool(d, &c, "AllowNonAdminUserApprovals", true);
    rc = rc ? rc : set_uuid(d, &c);
    kc_strv_free(&team_list);
    free(c.s);
    free(id);
    if (rc != 0) {
        plist_free(d);
        return NULL;
    }
    return d;
}

static plist_t sysext_payload(const kc_vendor *const *vendors, size_t n, const char *outer)
{
    plist_t d = plist_new_dict();
    char *id = kc_asprintf("%s.system-extension-policy", outer);
    canon c = {NULL, 0, 0, 0};
    int rc = d && id ? 0 : -1;

    rc = rc ? rc
            : set_common(d, &c, "com.apple.system-extension-policy", id, "System extensions");
    rc = rc ? rc
            : set_team_map(d, &c, "AllowedSystemExtensions", "identifier=", vendors, n, true);
    rc = rc ? rc : set_uuid(d, &c);
    free(c.s);
    free(id);
    if (rc != 0) {
        plist_free(d);
        return NULL;
    }
    return d;
}

/* a + (sep + each name or vendor)... + b, or NULL on out-of-memory. */
static char *join_vendors(const char *a, const char *sep, const kc_vendor *const *vendors,
                          size_t n, bool names, const char *b)
{
    size_t len = strlen(a) + strlen(b) + 1, o;
    char *s;

    for (size_t i = 0; i < n; i++)
        len += strlen(sep) + strlen(names ? vendors[i]->name : vendors[i]->vendor);
    s = malloc(len);
    if (s == NULL)
        return NULL;
    o = (size_t)sprintf(s, "%s", a);
    for (size_t i = 0; i < n; i++)
        o += (size_t)sprintf(s + o, "%s%s", i || names ? sep : "",
                             names ? vendors[i]->name : vendors[i]->vendor);
    sprintf(s + o, "%s", b);
    return s;
}

/* ID_PREFIX + ".all", or + "." and the vendors' names joined with ".". */
static char *identifier_of(const kc_vendor *const *vendors, size_t n, bool all)
{
    return all ? kc_strdup(ID_PREFIX ".all") : join_vendors(ID_PREFIX, ".", vendors, n, true, "");
}

static char *description_of(const kc_vendor *const *vendors, size_t n)
{
    return join_vendors("Approves the kernel extensions and system extensions of: ", ", ",
                        vendors, n, false,
                        ". Written by kextcheck profile; install it through a user-approved "
                        "MDM enrollment (macOS ignores these payloads otherwise).");
}

int kc_mobileconfig(const kc_vendor *const *vendors, size_t n, const kc_mobileconfig_opts *o,
                    char **xml, size_t *len)
{
    plist_t top = NULL, content = NULL, p;
    char *id = NULL, *desc = NULL, *out = NULL;
    uint32_t out_len = 0;
    size_t kexts = 0, sysexts = 0;
    canon c = {NULL, 0, 0, 0};
    int rc = -1;

    *xml = NULL;
    *len = 0;
    for (size_t i = 0; i < n; i++) {
        kexts += vendors[i]->kexts.n;
        sysexts += vendors[i]->sysexts.n;
    }
    if (kexts == 0 && sysexts == 0)
        return 1;
    id = identifier_of(vendors, n, o->all);
    desc = description_of(vendors, n);
    top = plist_new_dict();
    content = plist_new_array();
    if (id == NULL || desc == NULL || top == NULL || content == NULL)
        goto done;
    if (kexts > 0) {
        if ((p = kext_payload(vendors, n, o, id)) == NULL)
            goto done;
        plist_array_append_item(content, p);
        add(&c, "payload=", plist_get_string_ptr(plist_dict_get_item(p, "PayloadUUID"), NULL));
    }
    if (sysexts > 0) {
        if ((p = sysext_payload(vendors, n, id)) == NULL)
            goto done;
        plist_array_append_item(content, p);
        add(&c, "payload=", plist_get_string_ptr(plist_dict_get_item(p, "PayloadUUID"), NULL));
    }
    plist_dict_set_item(top, "PayloadContent", content);
    content = NULL;
    if (set_str(top, NULL, "PayloadDescription", desc) != 0 ||
        set_str(top, &c, "PayloadScope", "System") != 0 ||
        set_common(top, &c, "Configuration", id,
                   "Kernel and system extension approvals (kextcheck)") != 0 ||
        set_uuid(top, &c) != 0)
        goto done;
    plist_to_xml(top, &out, &out_len);
    if (out == NULL)
        goto done;
    *xml = malloc((size_t)out_len + 1);
    if (*xml == NULL)
        goto done;
    memcpy(*xml, out, out_len);
    (*xml)[out_len] = '\0';
    *len = out_len;
    rc = 0;
done:
    if (out != NULL)
        plist_to_xml_free(out);
    plist_free(content);
    plist_free(top);
    free(c.s);
    free(id);
    free(desc);
    return rc;
}

bool kc_vendor_missing_approval(const kc_vendor_result *vr)
{
    for (size_t i = 0; i < vr->n_findings; i++)
        switch (vr->findings[i].code) {
        case KC_F_KEXT_PENDING_APPROVAL:
        case KC_F_KEXT_NO_POLICY_RECORD:
        case KC_F_MDM_BLOCKS_USER_APPROVAL:
        case KC_F_SYSEXT_WAITING_FOR_USER:
            return true;
        default:
            break;
        }
    return false;
}
