/* The host's checks of a plugin descriptor: every rule in plugin.h. */
#include "i18n.h"
#include "kc.h"

#include <stdlib.h>
#include <string.h>

#define WHY(...) kc_snprintf(why, whylen, __VA_ARGS__)

/* Length of s if it ends within max bytes, else max + 1. */
static size_t bounded_len(const char *s, size_t max)
{
    size_t n = 0;

    while (n <= max && s[n] != '\0')
        n++;
    return n;
}

/* C0 controls, DEL, and C1 controls (U+0080..U+009F, e.g. CSI). */
static bool has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
            return true;
    return false;
}

static int check_text(const char *field, const char *s, bool required,
                      char *why, size_t whylen)
{
    size_t n;

    if (s == NULL) {
        if (required) {
            WHY(_("%s is NULL"), field);
            return -1;
        }
        return 0;
    }
    n = bounded_len(s, KC_PLUGIN_TEXT_MAX);
    if (n == 0) {
        WHY(_("%s is empty"), field);
        return -1;
    }
    if (n > KC_PLUGIN_TEXT_MAX) {
        WHY(_("%s is longer than %d bytes"), field, KC_PLUGIN_TEXT_MAX);
        return -1;
    }
    if (has_control(s)) {
        WHY(_("%s contains a control character"), field);
        return -1;
    }
    if (!kc_utf8_valid(s)) {
        WHY(_("%s is not valid UTF-8"), field);
        return -1;
    }
    return 0;
}

static int check_name(const char *s, const char *expected, char *why, size_t whylen)
{
    size_t n;

    if (s == NULL) {
        WHY("%s", _("name is NULL"));
        return -1;
    }
    n = bounded_len(s, KC_PLUGIN_NAME_MAX);
    if (n == 0 || n > KC_PLUGIN_NAME_MAX) {
        WHY(_("name must be 1 to %d characters"), KC_PLUGIN_NAME_MAX);
        return -1;
    }
    if (!(s[0] >= 'a' && s[0] <= 'z')) {
        WHY(_("name \"%s\" must start with a lowercase letter"), s);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
            WHY(_("name \"%s\" may hold only a-z, 0-9 and '-'"), s);
            return -1;
        }
    }
    if (expected != NULL && strcmp(s, expected) != 0) {
        WHY(_("name \"%s\" does not match the file name \"%s\""), s, expected);
        return -1;
    }
    return 0;
}

static int check_team(const char *field, const char *s, char *why, size_t whylen)
{
    size_t n;

    if (s == NULL) {
        WHY(_("%s is NULL"), field);
        return -1;
    }
    n = bounded_len(s, KC_TEAM_ID_LEN);
    if (n != KC_TEAM_ID_LEN) {
        WHY(_("%s must be exactly 10 characters of A-Z and 0-9"), field);
        return -1;
    }
    if (!kc_team_id_valid(s, n)) {
        WHY(_("%s \"%s\" must be 10 characters of A-Z and 0-9"), field, s);
        return -1;
    }
    return 0;
}

/* kb_url (rule 10b): https://HOST[:PORT][/path...], printable ASCII without
 * the characters a URL may not hold unescaped. */
static int check_url(const char *s, char *why, size_t whylen)
{
    static const char scheme[] = "https://";
    size_t n, i;

    if (s == NULL)
        return 0;
    n = bounded_len(s, KC_PLUGIN_URL_MAX);
    if (n == 0) {
        WHY("%s", _("kb_url is empty"));
        return -1;
    }
    if (n > KC_PLUGIN_URL_MAX) {
        WHY(_("kb_url is longer than %d bytes"), KC_PLUGIN_URL_MAX);
        return -1;
    }
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= 0x20 || c >= 0x7f || strchr("\"<>\\^`{|}", c) != NULL) {
            if (c < 0x20 || c == 0x7f)
                WHY("%s", _("kb_url contains a control character"));
            else if (c >= 0x80)
                WHY("%s", _("kb_url holds a byte outside printable ASCII (percent-encode it)"));
            else
                WHY(_("kb_url \"%s\" holds the character '%c', which a URL may not hold "
                      "unescaped"), s, c);
            return -1;
        }
    }
    if (strncmp(s, scheme, sizeof(scheme) - 1) != 0) {
        WHY(_("kb_url \"%s\" does not start with https://"), s);
        return -1;
    }
    for (i = sizeof(scheme) - 1; i < n && s[i] != '/' && s[i] != '?' && s[i] != '#' &&
                                 s[i] != ':';
         i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.')) {
            WHY(_("kb_url \"%s\": the host may hold only A-Z, a-z, 0-9, '-' and '.'%s"), s,
                c == '@' ? _(" (no \"user@\" part)") : "");
            return -1;
        }
    }
    /* Labels of 1 or more characters, none starting or ending with '-'. */
    for (size_t h = sizeof(scheme) - 1, label = 0; h <= i; h++) {
        char c = h < i ? s[h] : '.';
        if (c == '.') {
            if (label == 0 || s[h - 1] == '-') {
                WHY(_("kb_url \"%s\" has no valid host name"), s);
                return -1;
            }
            label = 0;
        } else if (c == '-' && label == 0) {
            WHY(_("kb_url \"%s\" has no valid host name"), s);
            return -1;
        } else {
            label++;
        }
    }
    if (i < n && s[i] == ':') {
        size_t digits = 0;
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            digits++;
        if (digits == 0 || digits > 5 || (i < n && s[i] != '/' && s[i] != '?' && s[i] != '#')) {
            WHY(_("kb_url \"%s\": the port must be 1 to 5 digits"), s);
            return -1;
        }
    }
    return 0;
}

/* diagnostic_command (rule 10d): text for admins to type, never run. */
static int check_command(const char *s, char *why, size_t whylen)
{
    size_t n;

    if (s == NULL)
        return 0;
    n = bounded_len(s, KC_PLUGIN_COMMAND_MAX);
    if (n == 0) {
        WHY("%s", _("diagnostic_command is empty"));
        return -1;
    }
    if (n > KC_PLUGIN_COMMAND_MAX) {
        WHY(_("diagnostic_command is longer than %d bytes"), KC_PLUGIN_COMMAND_MAX);
        return -1;
    }
    if (has_control(s)) {
        WHY("%s", _("diagnostic_command contains a control character"));
        return -1;
    }
    if (!kc_utf8_valid(s)) {
        WHY("%s", _("diagnostic_command is not valid UTF-8"));
        return -1;
    }
    return 0;
}

static int check_bundle_id(const char *s, char *why, size_t whylen)
{
    size_t n = bounded_len(s, KC_PLUGIN_ID_MAX);
    size_t label = 0, labels = 0;

    if (n == 0 || n > KC_PLUGIN_ID_MAX) {
        WHY(_("bundle ID must be 1 to %d bytes"), KC_PLUGIN_ID_MAX);
        return -1;
    }
    for (size_t i = 0; i <= n; i++) {
        char c = s[i];
        if (c == '.' || c == '\0') {
            if (label == 0)
                goto bad;
            labels++;
            label = 0;
        } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                   (c >= '0' && c <= '9') || c == '-' || c == '_') {
            label++;
        } else {
            goto bad;
        }
    }
    if (labels >= 2)
        return 0;
bad:
    if (has_control(s))
        WHY("%s", _("bundle ID contains a control character"));
    else
        WHY(_("bundle ID \"%s\" is not reverse-DNS (labels of A-Z a-z 0-9 - _ "
              "separated by single dots, at least two)"), s);
    return -1;
}

static int check_path(const char *s, bool staged, char *why, size_t whylen)
{
    static const char staged_prefix[] = "/Library/StagedExtensions/";
    size_t n = bounded_len(s, KC_PLUGIN_PATH_MAX);

    if (n == 0 || n > KC_PLUGIN_PATH_MAX) {
        WHY(_("path must be 1 to %d bytes"), KC_PLUGIN_PATH_MAX);
        return -1;
    }
    if (has_control(s)) {
        WHY("%s", _("path contains a control character"));
        return -1;
    }
    if (s[0] != '/') {
        WHY(_("path \"%s\" is not absolute"), s);
        return -1;
    }
    if (strstr(s, "//") != NULL || strstr(s, "/./") != NULL ||
        strstr(s, "/../") != NULL || (n >= 2 && strcmp(s + n - 2, "/.") == 0) ||
        (n >= 3 && strcmp(s + n - 3, "/..") == 0)) {
        WHY(_("path \"%s\" has an empty, '.' or '..' component"), s);
        return -1;
    }
    if (n > 1 && s[n - 1] == '/') {
        WHY(_("path \"%s\" ends with '/'"), s);
        return -1;
    }
    if (staged && (strncmp(s, staged_prefix, sizeof(staged_prefix) - 1) != 0 ||
                   n == sizeof(staged_prefix) - 1)) {
        WHY(_("staged path \"%s\" does not start with %s"), s, staged_prefix);
        return -1;
    }
    return 0;
}

/* Checks a NULL-terminated array and copies it into out. */
static int check_array(const char *field, const char *const *arr, bool required,
                       int kind, kc_strv *out, char *why, size_t whylen)
{
    char item_why[600];
    size_t n = 0;

    if (arr == NULL) {
        if (required) {
            WHY(_("%s is NULL"), field);
            return -1;
        }
        return 0;
    }
    while (n <= KC_PLUGIN_ARRAY_MAX && arr[n] != NULL)
        n++;
    if (n > KC_PLUGIN_ARRAY_MAX) {
        WHY(_("%s has no NULL terminator within %d entries"), field, KC_PLUGIN_ARRAY_MAX);
        return -1;
    }
    if (n == 0 && required) {
        WHY(_("%s is empty"), field);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        int rc = kind == 0 ? check_bundle_id(arr[i], item_why, sizeof(item_why))
                           : check_path(arr[i], kind == 2, item_why, sizeof(item_why));
        if (rc != 0) {
            WHY("%s[%zu]: %s", field, i, item_why);
            return -1;
        }
        if (kc_strv_contains(out, arr[i])) {
            WHY(_("%s[%zu]: \"%s\" is listed twice"), field, i, arr[i]);
            return -1;
        }
        if (kc_strv_push(out, arr[i]) != 0) {
            WHY("%s", _("out of memory"));
            return -1;
        }
    }
    return 0;
}

void kc_vendor_free(kc_vendor *v)
{
    if (v == NULL)
        return;
    free(v->name);
    free(v->vendor);
    free(v->team_id);
    free(v->developer_name);
    free(v->reference);
    free(v->kb_url);
    free(v->uninstall_hint);
    free(v->diagnostic_command);
    free(v->sysext_team_id);
    free(v->source);
    kc_strv_free(&v->kexts);
    kc_strv_free(&v->install_paths);
    kc_strv_free(&v->staged_paths);
    kc_strv_free(&v->sysexts);
    memset(v, 0, sizeof(*v));
}

const char *kc_vendor_sysext_team(const kc_vendor *v)
{
    return v->sysext_team_id != NULL ? v->sysext_team_id : v->team_id;
}

/* Runs one field check and records its complaint. */
#define CHECK(call)                                                            \
    do {                                                                       \
        why[0] = '\0';                                                         \
        if ((call) != 0 && kc_strv_push(problems, why) != 0)                   \
            goto oom;                                                          \
    } while (0)

int kc_plugin_problems(const struct kc_plugin *desc, const char *expected_name,
                       kc_vendor *out, kc_strv *problems)
{
    char why[1024];
    const size_t whylen = sizeof(why);
    kc_vendor v;
    uint32_t major, minor;
    size_t need;

    memset(&v, 0, sizeof(v));
    if (desc == NULL) {
        WHY(_("the entry function returned NULL (the plugin declined host ABI %d.%d)"),
            KC_PLUGIN_ABI_MAJOR, KC_PLUGIN_ABI_MINOR);
        goto stop;
    }
    major = KC_PLUGIN_VERSION_MAJOR(desc->abi_version);
    minor = KC_PLUGIN_VERSION_MINOR(desc->abi_version);
    if (major != KC_PLUGIN_ABI_MAJOR) {
        WHY(_("plugin ABI %u.%u has major version %u; this kextcheck speaks %d.%d"),
            major, minor, major, KC_PLUGIN_ABI_MAJOR, KC_PLUGIN_ABI_MINOR);
        goto stop;
    }
    if (minor > KC_PLUGIN_ABI_MINOR) {
        WHY(_("plugin ABI %u.%u is newer than this kextcheck's %d.%d: upgrade kextcheck"),
            major, minor, KC_PLUGIN_ABI_MAJOR, KC_PLUGIN_ABI_MINOR);
        goto stop;
    }
    need = minor >= 2 ? KC_PLUGIN_SIZE_1_2 : minor == 1 ? KC_PLUGIN_SIZE_1_1 : KC_PLUGIN_SIZE_1_0;
    if (desc->size < need) {
        WHY(_("descriptor size %u is smaller than the %zu bytes of ABI %u.%u (set .size = "
              "sizeof(struct kc_plugin))"),
            desc->size, need, major, minor);
        goto stop;
    }
    /* The fields can be read: report every problem, not just the first. */
    CHECK(check_name(desc->name, expected_name, why, whylen));
    CHECK(check_text("vendor", desc->vendor, true, why, whylen));
    CHECK(check_team("team_id", desc->team_id, why, whylen));
    CHECK(check_text("developer_name", desc->developer_name, false, why, whylen));
    CHECK(check_text("reference", desc->reference, true, why, whylen));
    CHECK(check_array("kext_bundle_ids", desc->kext_bundle_ids, true, 0, &v.kexts, why,
                      whylen));
    CHECK(check_array("install_paths", desc->install_paths, false, 1, &v.install_paths, why,
                      whylen));
    CHECK(check_array("staged_paths", desc->staged_paths, false, 2, &v.staged_paths, why,
                      whylen));
    /* ABI 1.1 field: read only when the plugin says it has it. */
    if (minor >= 1) {
        CHECK(check_array("sysext_bundle_ids", desc->sysext_bundle_ids, false, 0, &v.sysexts,
                          why, whylen));
        for (size_t i = 0; i < v.sysexts.n; i++)
            if (kc_strv_contains(&v.kexts, v.sysexts.v[i])) {
                WHY(_("sysext_bundle_ids[%zu]: \"%s\" is also a kext bundle ID"), i,
                    v.sysexts.v[i]);
                if (kc_strv_push(problems, why) != 0)
                    goto oom;
                break;
            }
    }
    /* ABI 1.2 fields: the same rule. */
    if (minor >= 2) {
        CHECK(check_url(desc->kb_url, why, whylen));
        CHECK(check_text("uninstall_hint", desc->uninstall_hint, false, why, whylen));
        CHECK(check_command(desc->diagnostic_command, why, whylen));
        if (desc->sysext_team_id != NULL) {
            CHECK(check_team("sysext_team_id", desc->sysext_team_id, why, whylen));
            /* The array itself, not what was kept of it: a broken entry
             * is reported once, above. */
            if (desc->sysext_bundle_ids == NULL || desc->sysext_bundle_ids[0] == NULL) {
                WHY("%s", _("sysext_team_id is set but sysext_bundle_ids is empty"));
                if (kc_strv_push(problems, why) != 0)
                    goto oom;
            }
        }
    }
    if (problems->n > 0) {
        kc_vendor_free(&v);
        return -1;
    }
    v.abi_version = desc->abi_version;
    v.name = kc_strdup(desc->name);
    v.vendor = kc_strdup(desc->vendor);
    v.team_id = kc_strdup(desc->team_id);
    v.reference = kc_strdup(desc->reference);
    v.developer_name = kc_strdup(desc->developer_name);
    if (v.name == NULL || v.vendor == NULL || v.team_id == NULL || v.reference == NULL ||
        (desc->developer_name != NULL && v.developer_name == NULL))
        goto oom;
    if (minor >= 2) {
        v.kb_url = kc_strdup(desc->kb_url);
        v.uninstall_hint = kc_strdup(desc->uninstall_hint);
        v.diagnostic_command = kc_strdup(desc->diagnostic_command);
        v.sysext_team_id = kc_strdup(desc->sysext_team_id);
        if ((desc->kb_url != NULL && v.kb_url == NULL) ||
            (desc->uninstall_hint != NULL && v.uninstall_hint == NULL) ||
            (desc->diagnostic_command != NULL && v.diagnostic_command == NULL) ||
            (desc->sysext_team_id != NULL && v.sysext_team_id == NULL))
            goto oom;
    }
    if (out != NULL)
        *out = v;
    else
        kc_vendor_free(&v);
    return 0;
stop:
    if (kc_strv_push(problems, why) == 0)
        return -1;
oom:
    kc_vendor_free(&v);
    kc_strv_push(problems, _("out of memory"));
    return -1;
}

int kc_plugin_validate(const struct kc_plugin *desc, const char *expected_name,
                       kc_vendor *out, char *why, size_t whylen)
{
    kc_strv problems = {0};
    size_t o = 0;
    int rc = kc_plugin_problems(desc, expected_name, out, &problems);

    if (rc != 0) {
        why[0] = '\0';
        for (size_t i = 0; i < problems.n && o + 1 < whylen; i++) {
            int n = snprintf(why + o, whylen - o, "%s%s", i ? "; " : "", problems.v[i]);
            if (n < 0)
                break;
            o += (size_t)n;
        }
        if (problems.n == 0)
            kc_snprintf(why, whylen, "%s", _("out of memory"));
    }
    kc_strv_free(&problems);
    return rc;
}
