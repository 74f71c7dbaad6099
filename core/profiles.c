/*
 * The MDM policies that decide whether a system extension or a kext may load
 * without the user: com.apple.system-extension-policy and
 * com.apple.syspolicy.kernel-extension-policy, read from the
 * managed-preferences plist or from a whole configuration profile
 * (.mobileconfig).  Keys and types: apple/device-management
 * mdm/profiles/com.apple.system-extension-policy.yaml and
 * com.apple.syspolicy.kernel-extension-policy.yaml.
 *
 * Strict: every value's type is checked, strings are read with their length
 * and refused when they hold a NUL byte, team IDs must look like team IDs,
 * nothing asserts.  libplist 2.2 gives dictionary keys as C strings, measures
 * binary strings with strlen and asserts on a key that held U+0000, so
 * kc_plist_parse refuses a plist with a NUL in any string or key before the
 * dictionaries are walked (the XML reader refuses "&#0;" itself).
 */
#include "platform.h"

#include "i18n.h"
#include "textlines.h"

#include <errno.h>
#include <plist/plist.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Bounds the work on hostile input (team de-duplication is quadratic). */
#define MAX_ITEMS 4096
#define MAX_ID_BYTES 1024

#define PT_KEXT "com.apple.syspolicy.kernel-extension-policy"
#define PT_SYSEXT "com.apple.system-extension-policy"

/* "PREFIX" + "." or "" + "KEY" into buf. */
static void where_join(char *buf, size_t buflen, const char *prefix, const char *key)
{
    kc_snprintf(buf, buflen, "%s%s%s", prefix, prefix[0] != '\0' ? "." : "", key);
}

/* An identifier string (bundle ID, extension type): non-empty, no NUL, at
 * most MAX_ID_BYTES.  Returns a cleaned copy or NULL with why. */
static char *id_string(plist_t node, const char *where, char *why, size_t whylen)
{
    const char *s;
    size_t n;
    char *copy;

    if (!kc_plist_string_bytes(node, &s, &n)) {
        kc_snprintf(why, whylen, _("%s is %s, expected a string"), where,
                    kc_plist_type_name(node));
        return NULL;
    }
    if (n == 0 || n > MAX_ID_BYTES || memchr(s, '\0', n) != NULL) {
        char ex[256];
        kc_excerpt(s, n, ex, sizeof(ex));
        kc_snprintf(why, whylen, _("%s: expected an identifier of 1 to %d bytes without NUL, "
                                   "got %s"),
                    where, MAX_ID_BYTES, ex);
        return NULL;
    }
    copy = kc_utf8_clean(s, n);
    if (copy == NULL)
        kc_snprintf(why, whylen, "%s", _("out of memory"));
    return copy;
}

/* dict[key] as a kc_tri: absent leaves *out alone; 0 or -1 with why. */
static int get_bool(plist_t dict, const char *key, const char *prefix, kc_tri *out, char *why,
                    size_t whylen)
{
    plist_t node = plist_dict_get_item(dict, key);
    uint8_t b = 0;
    char where[256];

    if (node == NULL)
        return 0;
    if (plist_get_node_type(node) != PLIST_BOOLEAN) {
        where_join(where, sizeof(where), prefix, key);
        kc_snprintf(why, whylen, _("%s is %s, expected a boolean"), where,
                    kc_plist_type_name(node));
        return -1;
    }
    plist_get_bool_val(node, &b);
    *out = b ? KC_YES : KC_NO;
    return 0;
}

/* dict[key]: an array of team IDs, de-duplicated into *teams. */
static int get_teams(plist_t dict, const char *key, const char *prefix, kc_strv *teams,
                     char *why, size_t whylen)
{
    plist_t arr = plist_dict_get_item(dict, key);
    uint32_t n;
    char where[256];

    where_join(where, sizeof(where), prefix, key);
    if (arr == NULL)
        return 0;
    if (plist_get_node_type(arr) != PLIST_ARRAY) {
        kc_snprintf(why, whylen, _("%s is %s, expected an array of team IDs"), where,
                    kc_plist_type_name(arr));
        return -1;
    }
    n = plist_array_get_size(arr);
    if (n > MAX_ITEMS) {
        kc_snprintf(why, whylen, _("%s has %lu entries, more than %d"), where, (unsigned long)n,
                    MAX_ITEMS);
        return -1;
    }
    for (uint32_t i = 0; i < n; i++) {
        plist_t item = plist_array_get_item(arr, i);
        const char *s;
        size_t sn;
        char team[KC_TEAM_ID_LEN + 1], ex[256];
        if (item == NULL) {
            kc_snprintf(why, whylen, _("%s[%lu] is missing, expected a string"), where,
                        (unsigned long)i);
            return -1;
        }
        if (!kc_plist_string_bytes(item, &s, &sn)) {
            kc_snprintf(why, whylen, _("%s[%lu] is %s, expected a string"), where,
                        (unsigned long)i, kc_plist_type_name(item));
            return -1;
        }
        if (!kc_team_id_valid(s, sn)) {
            kc_excerpt(s, sn, ex, sizeof(ex));
            /* kc_team_id_rule()'s words written out. */
            kc_snprintf(why, whylen,
                        _("%s[%lu]: expected a team ID (10 characters of A-Z and 0-9), got %s"),
                        where, (unsigned long)i, ex);
            return -1;
        }
        memcpy(team, s, KC_TEAM_ID_LEN);
        team[KC_TEAM_ID_LEN] = '\0';
        if (!kc_strv_contains(teams, team) && kc_strv_push(teams, team) != 0) {
            kc_snprintf(why, whylen, "%s", _("out of memory"));
            return -1;
        }
    }
    return 0;
}

static void team_map_free(kc_team_map *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].team_id);
        kc_strv_free(&m->v[i].ids);
    }
    free(m->v);
    m->v = NULL;
    m->n = 0;
}

/* dict[key]: a dictionary team ID -> array of identifier strings.
 * empty_key_ok: "" is allowed as a key (unsigned legacy kexts). */
static int get_team_map(plist_t dict, const char *key, const char *prefix, bool empty_key_ok,
                        kc_team_map *out, char *why, size_t whylen)
{
    plist_t map = plist_dict_get_item(dict, key);
    plist_dict_iter iter = NULL;
    char *k = NULL;
    plist_t val = NULL;
    kc_team_map m = {NULL, 0};
    uint32_t count;
    char where[256];
    int rc = -1;

    where_join(where, sizeof(where), prefix, key);
    if (map == NULL)
        return 0;
    if (plist_get_node_type(map) != PLIST_DICT) {
        kc_snprintf(why, whylen, _("%s is %s, expected a dictionary"), where,
                    kc_plist_type_name(map));
        return -1;
    }
    count = plist_dict_get_size(map);
    if (count > MAX_ITEMS) {
        kc_snprintf(why, whylen, _("%s has %lu entries, more than %d"), where,
                    (unsigned long)count, MAX_ITEMS);
        return -1;
    }
    if (count > 0) {
        m.v = calloc(count, sizeof(*m.v));
        if (m.v == NULL)
            goto oom;
    }
    plist_dict_new_iter(map, &iter);
    if (iter == NULL)
        goto oom;
    for (;;) {
        kc_team_ids *t;
        uint32_t n;
        size_t kl;
        char ex[256];
        free(k);
        k = NULL;
        val = NULL;
        plist_dict_next_item(map, iter, &k, &val);
        if (val == NULL)
            break;
        if (k == NULL)
            goto oom;
        kl = strlen(k);
        kc_excerpt(k, kl, ex, sizeof(ex));
        if (!(kc_team_id_valid(k, kl) || (empty_key_ok && kl == 0))) {
            /* kc_team_id_rule()'s words written out, one whole sentence
             * for each case. */
            if (empty_key_ok)
                kc_snprintf(why, whylen,
                            _("%s: the key %s is not a team ID (10 characters of A-Z and 0-9) "
                              "or \"\""),
                            where, ex);
            else
                kc_snprintf(why, whylen,
                            _("%s: the key %s is not a team ID (10 characters of A-Z and 0-9)"),
                            where, ex);
            goto done;
        }
        if (plist_get_node_type(val) != PLIST_ARRAY) {
            kc_snprintf(why, whylen, _("%s[%s] is %s, expected an array of strings"), where, ex,
                        kc_plist_type_name(val));
            goto done;
        }
        if (m.n == count) {
            /* More entries than the dictionary said: refuse rather than grow. */
            kc_snprintf(why, whylen, _("%s: inconsistent dictionary size"), where);
            goto done;
        }
        t = &m.v[m.n++];
        t->team_id = kc_strdup(k);
        if (t->team_id == NULL)
            goto oom;
        n = plist_array_get_size(val);
        if (n > MAX_ITEMS) {
            kc_snprintf(why, whylen, _("%s[%s] has %lu entries, more than %d"), where, ex,
                        (unsigned long)n, MAX_ITEMS);
            goto done;
        }
        for (uint32_t i = 0; i < n; i++) {
            char iw[512];
            char *id;
            kc_snprintf(iw, sizeof(iw), "%s[%s][%lu]", where, ex, (unsigned long)i);
            id = id_string(plist_array_get_item(val, i), iw, why, whylen);
            if (id == NULL)
                goto done;
            if (kc_strv_push(&t->ids, id) != 0) {
                free(id);
                goto oom;
            }
            free(id);
        }
    }
    *out = m;
    m.v = NULL;
    m.n = 0;
    rc = 0;
    goto done;
oom:
    kc_snprintf(why, whylen, "%s", _("out of memory"));
done:
    free(k);
    free(iter);
    team_map_free(&m);
    return rc;
}

/* ---- the two payloads ------------------------------------------------------- */

void kc_sysext_policy_free(kc_sysext_policy *p)
{
    if (p == NULL)
        return;
    kc_strv_free(&p->allowed_teams);
    team_map_free(&p->allowed);
    team_map_free(&p->allowed_types);
    team_map_free(&p->removable);
    team_map_free(&p->non_removable);
    team_map_free(&p->non_removable_ui);
    memset(p, 0, sizeof(*p));
    p->allow_user_overrides = KC_UNKNOWN;
}

void kc_kext_policy_free(kc_kext_policy *p)
{
    if (p == NULL)
        return;
    kc_strv_free(&p->allowed_teams);
    team_map_free(&p->allowed);
    memset(p, 0, sizeof(*p));
    p->allow_user_overrides = KC_UNKNOWN;
    p->allow_non_admin_approvals = KC_UNKNOWN;
}

static int sysext_from_dict(plist_t d, const char *prefix, kc_sysext_policy *out, char *why,
                            size_t whylen)
{
    kc_sysext_policy p;

    memset(&p, 0, sizeof(p));
    kc_sysext_policy_free(&p);
    if (get_bool(d, "AllowUserOverrides", prefix, &p.allow_user_overrides, why, whylen) != 0 ||
        get_teams(d, "AllowedTeamIdentifiers", prefix, &p.allowed_teams, why, whylen) != 0 ||
        get_team_map(d, "AllowedSystemExtensions", prefix, false, &p.allowed, why, whylen) != 0 ||
        get_team_map(d, "AllowedSystemExtensionTypes", prefix, false, &p.allowed_types, why,
                     whylen) != 0 ||
        get_team_map(d, "RemovableSystemExtensions", prefix, false, &p.removable, why,
                     whylen) != 0 ||
        get_team_map(d, "NonRemovableSystemExtensions", prefix, false, &p.non_removable, why,
                     whylen) != 0 ||
        get_team_map(d, "NonRemovableFromUISystemExtensions", prefix, false,
                     &p.non_removable_ui, why, whylen) != 0) {
        kc_sysext_policy_free(&p);
        return -1;
    }
    *out = p;
    return 0;
}

static int kext_from_dict(plist_t d, const char *prefix, kc_kext_policy *out, char *why,
                          size_t whylen)
{
    kc_kext_policy p;

    memset(&p, 0, sizeof(p));
    kc_kext_policy_free(&p);
    if (get_bool(d, "AllowUserOverrides", prefix, &p.allow_user_overrides, why, whylen) != 0 ||
        get_bool(d, "AllowNonAdminUserApprovals", prefix, &p.allow_non_admin_approvals, why,
                 whylen) != 0 ||
        get_teams(d, "AllowedTeamIdentifiers", prefix, &p.allowed_teams, why, whylen) != 0 ||
        get_team_map(d, "AllowedKernelExtensions", prefix, true, &p.allowed, why, whylen) != 0) {
        kc_kext_policy_free(&p);
        return -1;
    }
    *out = p;
    return 0;
}

/* ---- bytes to a plist ----------------------------------------------------------- */

/* data as a plist whose top level is a dictionary; NULL with why. */
static plist_t dict_from_bytes(const char *data, size_t len, char *why, size_t whylen)
{
    plist_t root = NULL;

    if (data == NULL && len > 0) {
        kc_snprintf(why, whylen, "%s", _("no data"));
        return NULL;
    }
    if (len > KC_TEXT_MAX_BYTES) {
        kc_snprintf(why, whylen, _("larger than %d bytes"), KC_TEXT_MAX_BYTES);
        return NULL;
    }
    if (len < 8) {
        kc_snprintf(why, whylen, "%s", _("too short to be a property list"));
        return NULL;
    }
    /* A signed profile is DER (CMS SignedData): a SEQUENCE, 0x30 then a
     * length byte (0x80 indefinite, 0x82/0x83 long form). */
    if ((unsigned char)data[0] == 0x30 &&
        ((unsigned char)data[1] == 0x80 || ((unsigned char)data[1] & 0xf0) == 0x80)) {
        kc_snprintf(why, whylen, "%s",
                    _("a signed (CMS) profile; give its XML content (security cms -D -i FILE)"));
        return NULL;
    }
    /* kc_plist_parse refuses strings and keys holding a NUL character,
     * which libplist 2.2 asserts on when the dictionary is walked. */
    root = kc_plist_parse(data, len, why, whylen);
    if (root == NULL)
        return NULL;
    if (plist_get_node_type(root) != PLIST_DICT) {
        kc_snprintf(why, whylen, _("the top level is %s, expected a dictionary"),
                    kc_plist_type_name(root));
        plist_free(root);
        return NULL;
    }
    return root;
}

int kc_parse_sysext_policy(const char *data, size_t len, kc_sysext_policy *out, char *why,
                           size_t whylen)
{
    plist_t root;
    int rc;

    kc_sysext_policy_free(out);
    root = dict_from_bytes(data, len, why, whylen);
    if (root == NULL)
        return -1;
    rc = sysext_from_dict(root, "", out, why, whylen);
    plist_free(root);
    return rc;
}

int kc_parse_kext_policy(const char *data, size_t len, kc_kext_policy *out, char *why,
                         size_t whylen)
{
    plist_t root;
    int rc;

    kc_kext_policy_free(out);
    root = dict_from_bytes(data, len, why, whylen);
    if (root == NULL)
        return -1;
    rc = kext_from_dict(root, "", out, why, whylen);
    plist_free(root);
    return rc;
}

int kc_read_sysext_policy(const char *path, kc_sysext_policy *out, char *why, size_t whylen)
{
    struct stat st;
    char *data = NULL;
    size_t len = 0;
    int rc = -1;

    kc_sysext_policy_free(out);
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return 0;
        kc_snprintf(why, whylen, "%s", strerror(errno));
        return -1;
    }
    if (kc_read_file(path, KC_TEXT_MAX_BYTES, &data, &len, why, whylen) != 0)
        goto done;
    if (kc_parse_sysext_policy(data, len, out, why, whylen) != 0)
        goto done;
    rc = 1;
done:
    free(data);
    return rc;
}

/* ---- configuration profiles ------------------------------------------------------ */

void kc_profile_free(kc_profile *p)
{
    if (p == NULL)
        return;
    free(p->identifier);
    free(p->display_name);
    for (size_t i = 0; i < p->n_kext; i++)
        kc_kext_policy_free(&p->kext[i]);
    for (size_t i = 0; i < p->n_sysext; i++)
        kc_sysext_policy_free(&p->sysext[i]);
    memset(p, 0, sizeof(*p));
}

/* dict[key] as an optional cleaned string: 0 (absent: *out NULL), or -1. */
static int opt_string(plist_t dict, const char *key, char **out, char *why, size_t whylen)
{
    plist_t node = plist_dict_get_item(dict, key);
    const char *s;
    size_t n;

    *out = NULL;
    if (node == NULL)
        return 0;
    if (!kc_plist_string_bytes(node, &s, &n)) {
        kc_snprintf(why, whylen, _("%s is %s, expected a string"), key,
                    kc_plist_type_name(node));
        return -1;
    }
    if (memchr(s, '\0', n) != NULL || n > MAX_ID_BYTES) {
        kc_snprintf(why, whylen, _("%s holds a NUL byte or is longer than %d bytes"), key,
                    MAX_ID_BYTES);
        return -1;
    }
    *out = kc_utf8_clean(s, n);
    if (*out == NULL) {
        kc_snprintf(why, whylen, "%s", _("out of memory"));
        return -1;
    }
    return 0;
}

int kc_parse_profile(const char *data, size_t len, kc_profile *out, char *why, size_t whylen)
{
    plist_t root = NULL, content;
    kc_profile *p = NULL;
    uint32_t n;
    int rc = -1;

    kc_profile_free(out);
    root = dict_from_bytes(data, len, why, whylen);
    if (root == NULL)
        goto done;
    p = calloc(1, sizeof(*p));
    if (p == NULL) {
        kc_snprintf(why, whylen, "%s", _("out of memory"));
        goto done;
    }
    if (opt_string(root, "PayloadIdentifier", &p->identifier, why, whylen) != 0 ||
        opt_string(root, "PayloadDisplayName", &p->display_name, why, whylen) != 0)
        goto done;
    content = plist_dict_get_item(root, "PayloadContent");
    if (content == NULL) {
        kc_snprintf(why, whylen, "%s", _("no PayloadContent: not a configuration profile"));
        goto done;
    }
    if (plist_get_node_type(content) != PLIST_ARRAY) {
        kc_snprintf(why, whylen, _("PayloadContent is %s, expected an array of payloads"),
                    kc_plist_type_name(content));
        goto done;
    }
    n = plist_array_get_size(content);
    if (n > MAX_ITEMS) {
        kc_snprintf(why, whylen, _("PayloadContent has %lu payloads, more than %d"),
                    (unsigned long)n, MAX_ITEMS);
        goto done;
    }
    for (uint32_t i = 0; i < n; i++) {
        plist_t pl = plist_array_get_item(content, i), type;
        const char *s;
        size_t sn;
        char where[64];
        kc_snprintf(where, sizeof(where), "PayloadContent[%lu]", (unsigned long)i);
        if (pl == NULL) {
            kc_snprintf(why, whylen, _("%s is missing, expected a dictionary"), where);
            goto done;
        }
        if (plist_get_node_type(pl) != PLIST_DICT) {
            kc_snprintf(why, whylen, _("%s is %s, expected a dictionary"), where,
                        kc_plist_type_name(pl));
            goto done;
        }
        type = plist_dict_get_item(pl, "PayloadType");
        if (type == NULL) {
            kc_snprintf(why, whylen, _("%s.PayloadType is missing, expected a string"), where);
            goto done;
        }
        if (!kc_plist_string_bytes(type, &s, &sn)) {
            kc_snprintf(why, whylen, _("%s.PayloadType is %s, expected a string"), where,
                        kc_plist_type_name(type));
            goto done;
        }
        p->n_payloads++;
        if (sn == strlen(PT_KEXT) && memcmp(s, PT_KEXT, sn) == 0) {
            if (p->n_kext == KC_PROFILE_MAX_POLICIES) {
                /* TRANSLATORS: the first %s is where in the profile, the
                   third a payload type (com.apple.syspolicy...). */
                kc_snprintf(why, whylen, _("%s: more than %d %s payloads"), where,
                            KC_PROFILE_MAX_POLICIES, PT_KEXT);
                goto done;
            }
            if (kext_from_dict(pl, where, &p->kext[p->n_kext], why, whylen) != 0)
                goto done;
            p->n_kext++;
        } else if (sn == strlen(PT_SYSEXT) && memcmp(s, PT_SYSEXT, sn) == 0) {
            if (p->n_sysext == KC_PROFILE_MAX_POLICIES) {
                kc_snprintf(why, whylen, _("%s: more than %d %s payloads"), where,
                            KC_PROFILE_MAX_POLICIES, PT_SYSEXT);
                goto done;
            }
            if (sysext_from_dict(pl, where, &p->sysext[p->n_sysext], why, whylen) != 0)
                goto done;
            p->n_sysext++;
        }
    }
    *out = *p;
    free(p);
    p = NULL;
    rc = 0;
done:
    if (p != NULL) {
        kc_profile_free(p);
        free(p);
    }
    if (root != NULL)
        plist_free(root);
    return rc;
}
