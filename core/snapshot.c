/*
 * `kextcheck snapshot DESCRIPTION DIR`: builds a Mac root folder from a
 * small INI description (every key in docs/snapshot-format.md):
 *
 *  - /var, /etc and /tmp as links into /private, as on every Mac;
 *  - System/Library/CoreServices/SystemVersion.plist;
 *  - the approval database private/var/db/SystemPolicyConfiguration/
 *    KextPolicy in the schema of that macOS (WAL with -wal and -shm on 11+);
 *  - each kext bundle (Contents/Info.plist, a Mach-O header as its
 *    executable) and its staged copy under /Library/StagedExtensions;
 *  - other vendors' kexts in /Library/Extensions and StagedExtensions,
 *    with a missing or damaged Info.plist when asked;
 *  - the MDM kext and system-extension policies (Managed Preferences),
 *    /Library/SystemExtensions/db.plist;
 *  - the captured command outputs in .kextcheck/, in the exact format the
 *    Mac's tools print (macos-kext-facts.md sections 3-5,
 *    macos-11-plus-and-apple-silicon.md sections 2 and 7, the real captures
 *    under /work/shared/realworld/outputs and tests/fixtures/platform):
 *    spctl, csrutil, kextstat, uname, sysctl, bputil, diskutil info /,
 *    codesign per kext, kmutil's diagnostics; and collect's manifest.json
 *    with the bundle owners when the description gives them.
 *
 * Made-up identifiers (UUIDs, hashes, addresses) are derived from the
 * description, so the same description always gives the same bytes.
 *
 * The description is read with inih, strictly: an unknown section or key,
 * a key given twice or a bad value is refused as "FILE:LINE: why".  The
 * folder is written through descriptors (mkdirat/openat with O_NOFOLLOW and
 * O_EXCL), so no link inside it is ever followed; only SQLite opens the
 * database by name, in a folder this program has just created.
 */
#include "snapshot.h"
#include "i18n.h"
#include "kc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <jansson.h>
#include <plist/plist.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_KEYS 24
#define TEXT_MAX 255
#define VOLUME_NAME_MAX 127
#define VERSION_MAX 64
#define PATH_MAX_BYTES 1024
#define MAX_ITEMS 10000 /* kext, other-kext or sysext sections */
#define DB_DIR "private/var/db/SystemPolicyConfiguration"
#define STAGED_ROOT "/Library/StagedExtensions"
#define EXTENSIONS_ROOT "/Library/Extensions"

/* ---- the description ---------------------------------------------------- */

/* Words of each choice key, in the order of the matching enum. */
static const char *const w_arch[] = {"intel", "apple", NULL};
enum { ARCH_INTEL, ARCH_APPLE };
static const char *const w_boot[] = {"full", "reduced", "reduced-kexts", "permissive-kexts",
                                     "none", NULL};
enum { BOOT_FULL, BOOT_REDUCED, BOOT_REDUCED_KEXTS, BOOT_PERMISSIVE_KEXTS, BOOT_NONE };
static const char *const w_sip[] = {"enabled", "disabled", "kext-signing-disabled", "custom",
                                    NULL};
enum { SIP_ENABLED, SIP_DISABLED, SIP_NO_KEXT_SIGNING, SIP_CUSTOM };
static const char *const w_consent[] = {"disabled", "enabled", NULL};
static const char *const w_yesno[] = {"no", "yes", NULL};
static const char *const w_bool[] = {"false", "true", NULL};
static const char *const w_schema[] = {"10.13", "10.14", NULL};
enum { SCHEMA_1013, SCHEMA_1014 };
static const char *const w_policy[] = {"none", "allowed", "pending", "mdm", "mdm-team", NULL};
enum { POL_NONE, POL_ALLOWED, POL_PENDING, POL_MDM, POL_MDM_TEAM };
static const char *const w_boot_volume[] = {"internal", "external", NULL};
enum { VOL_INTERNAL, VOL_EXTERNAL };
/* signature: "other-team:TEAMID" is SIG_OTHER_TEAM with the team. */
enum { SIG_TEAM, SIG_ADHOC, SIG_UNSIGNED, SIG_OTHER_TEAM, SIG_BROKEN };
static const char *const w_info[] = {"ok", "missing", "broken", NULL};
enum { INFO_OK, INFO_MISSING, INFO_BROKEN };
/* macos-kext-facts.md section 7. */
static const char *const w_state[] = {"activated_enabled",
                                      "activated_disabled",
                                      "activated_waiting_for_user",
                                      "activated_enabling",
                                      "activated_waiting_to_upgrade",
                                      "terminated_waiting_to_uninstall_on_reboot",
                                      "uninstalling",
                                      NULL};
static const char *const w_category[] = {"com.apple.system_extension.endpoint_security",
                                         "com.apple.system_extension.network_extension",
                                         "com.apple.system_extension.driver_extension", NULL};
/* Mach-O slices: name, cputype, cpusubtype, log2 of the fat alignment. */
static const struct {
    const char *name;
    uint32_t cputype, cpusubtype, align;
} slices[] = {
    {"x86_64", 0x01000007u, 3, 12},
    {"arm64", 0x0100000cu, 0, 14},
    {"arm64e", 0x0100000cu, 2, 14},
};
#define N_SLICES (sizeof(slices) / sizeof(slices[0]))

typedef struct macos_ver {
    int major, minor, patch;
    char text[24];
} macos_ver;

typedef struct staged_spec {
    int mode; /* -1 default, 0 no, 1 yes (the kext's version), 2 version */
    char *version;
} staged_spec;

typedef struct exec_spec {
    size_t n;
    int slice[N_SLICES]; /* indexes into slices[] */
} exec_spec;

typedef struct sig_spec {
    int kind;   /* -1 default (SIG_TEAM), else SIG_* */
    char *team; /* SIG_OTHER_TEAM: the team that signed */
} sig_spec;

/* owner = UID:GID (0:0 when not given) */
typedef struct owner_spec {
    unsigned long uid, gid;
} owner_spec;

/* Every section starts with this: its header's line and each key's line. */
typedef struct sect_head {
    int line;
    int seen[MAX_KEYS];
} sect_head;

typedef struct mac_sect {
    sect_head h;
    macos_ver macos;
    char *build;
    int arch, boot, sip, consent, captures, loaded_list, schema, wal, database;
    int vm, boot_volume, manifest;
    char *volume_name;
    kc_strv consent_teams;
} mac_sect;

typedef struct mdm_sect {
    sect_head h;
    bool present;
    kc_strv teams;
    kc_strv pairs; /* "TEAM:bundle.id" */
    kc_strv types; /* [mdm-system-extensions]: "TEAM:category" */
    int overrides, non_admin;
} mdm_sect;

typedef struct kext_sect {
    sect_head h;
    char *bundle_id;
    char *team, *developer, *path, *version;
    staged_spec staged;
    int policy, loaded, history;
    long long flags;
    exec_spec exec;
    sig_spec sig;
    char *diagnostics; /* the text, escapes decoded */
    owner_spec owner;
    long mode;         /* -1: not given (0755) */
} kext_sect;

/* Another vendor's kext in /Library/Extensions or /Library/StagedExtensions. */
typedef struct other_sect {
    sect_head h;
    char *bundle_id;
    char *path, *version;
    int info;
    owner_spec owner;
    long mode;
} other_sect;

typedef struct sysext_sect {
    sect_head h;
    char *identifier;
    char *team, *version;
    int state;
    kc_strv categories;
} sysext_sect;

struct kc_snap {
    mac_sect mac;
    mdm_sect mdm, sysmdm;
    kext_sect *kexts;
    size_t n_kexts;
    other_sect *others;
    size_t n_others;
    sysext_sect *sysexts;
    size_t n_sysexts;
};

/* ---- the keys of each section ------------------------------------------ */

typedef enum vkind {
    V_CHOICE,     /* one of choices[]: its index, an int */
    V_TEAM,       /* a team ID: char * */
    V_TEXT,       /* printable UTF-8 text: char * */
    V_VERSION,    /* a bundle version: char * */
    V_MACOS,      /* macos_ver */
    V_BUILD,      /* a build number: char * */
    V_TEAMS,      /* a list of team IDs: kc_strv */
    V_PAIRS_ID,   /* a list of TEAM:bundle.id: kc_strv */
    V_PAIRS_TYPE, /* a list of TEAM:category: kc_strv */
    V_FLAGS,      /* an integer: long long */
    V_PATH,       /* a kext's path or "none": char * */
    V_STAGED,     /* staged_spec */
    V_EXEC,       /* exec_spec */
    V_CATEGORIES, /* a list of categories: kc_strv */
    V_VOLUME,     /* a volume name: char * */
    V_SIGNATURE,  /* sig_spec */
    V_DIAG,       /* text with \n escapes: char * (decoded) */
    V_OWNER,      /* owner_spec */
    V_MODE,       /* permission bits in octal: long */
    V_OTHER_PATH, /* a path under /Library/Extensions or /Library/StagedExtensions */
} vkind;

typedef struct keydef {
    const char *name;
    vkind kind;
    size_t off;
    const char *const *choices;
} keydef;

#define KEY(type, name, kind, field, choices) {name, kind, offsetof(type, field), choices}

static const keydef mac_keys[] = {
    KEY(mac_sect, "macos", V_MACOS, macos, NULL),
    KEY(mac_sect, "build", V_BUILD, build, NULL),
    KEY(mac_sect, "arch", V_CHOICE, arch, w_arch),
    KEY(mac_sect, "boot_policy", V_CHOICE, boot, w_boot),
    KEY(mac_sect, "sip", V_CHOICE, sip, w_sip),
    KEY(mac_sect, "consent", V_CHOICE, consent, w_consent),
    KEY(mac_sect, "consent_teams", V_TEAMS, consent_teams, NULL),
    KEY(mac_sect, "captures", V_CHOICE, captures, w_yesno),
    KEY(mac_sect, "loaded_list", V_CHOICE, loaded_list, w_yesno),
    KEY(mac_sect, "schema", V_CHOICE, schema, w_schema),
    KEY(mac_sect, "wal", V_CHOICE, wal, w_yesno),
    KEY(mac_sect, "database", V_CHOICE, database, w_yesno),
    KEY(mac_sect, "vm", V_CHOICE, vm, w_yesno),
    KEY(mac_sect, "boot_volume", V_CHOICE, boot_volume, w_boot_volume),
    KEY(mac_sect, "volume_name", V_VOLUME, volume_name, NULL),
    KEY(mac_sect, "manifest", V_CHOICE, manifest, w_yesno),
    {NULL, V_CHOICE, 0, NULL},
};
enum { MK_MACOS, MK_BUILD, MK_ARCH, MK_BOOT, MK_SIP, MK_CONSENT, MK_CONSENT_TEAMS, MK_CAPTURES,
       MK_LOADED_LIST, MK_SCHEMA, MK_WAL, MK_DATABASE, MK_VM, MK_BOOT_VOLUME, MK_VOLUME_NAME,
       MK_MANIFEST };

static const keydef mdm_keys[] = {
    KEY(mdm_sect, "allowed_teams", V_TEAMS, teams, NULL),
    KEY(mdm_sect, "allowed_kexts", V_PAIRS_ID, pairs, NULL),
    KEY(mdm_sect, "allow_user_overrides", V_CHOICE, overrides, w_bool),
    KEY(mdm_sect, "allow_non_admin_user_approvals", V_CHOICE, non_admin, w_bool),
    {NULL, V_CHOICE, 0, NULL},
};

static const keydef sysmdm_keys[] = {
    KEY(mdm_sect, "allowed_teams", V_TEAMS, teams, NULL),
    KEY(mdm_sect, "allowed_system_extensions", V_PAIRS_ID, pairs, NULL),
    KEY(mdm_sect, "allow_user_overrides", V_CHOICE, overrides, w_bool),
    KEY(mdm_sect, "allowed_types", V_PAIRS_TYPE, types, NULL),
    {NULL, V_CHOICE, 0, NULL},
};

static const keydef kext_keys[] = {
    KEY(kext_sect, "team", V_TEAM, team, NULL),
    KEY(kext_sect, "developer", V_TEXT, developer, NULL),
    KEY(kext_sect, "path", V_PATH, path, NULL),
    KEY(kext_sect, "version", V_VERSION, version, NULL),
    KEY(kext_sect, "staged", V_STAGED, staged, NULL),
    KEY(kext_sect, "policy", V_CHOICE, policy, w_policy),
    KEY(kext_sect, "flags", V_FLAGS, flags, NULL),
    KEY(kext_sect, "loaded", V_CHOICE, loaded, w_yesno),
    KEY(kext_sect, "history", V_CHOICE, history, w_yesno),
    KEY(kext_sect, "executable", V_EXEC, exec, NULL),
    KEY(kext_sect, "signature", V_SIGNATURE, sig, NULL),
    KEY(kext_sect, "diagnostics", V_DIAG, diagnostics, NULL),
    KEY(kext_sect, "owner", V_OWNER, owner, NULL),
    KEY(kext_sect, "mode", V_MODE, mode, NULL),
    {NULL, V_CHOICE, 0, NULL},
};
enum { KK_TEAM, KK_DEVELOPER, KK_PATH, KK_VERSION, KK_STAGED, KK_POLICY, KK_FLAGS, KK_LOADED,
       KK_HISTORY, KK_EXEC, KK_SIGNATURE, KK_DIAGNOSTICS, KK_OWNER, KK_MODE };

static const keydef other_keys[] = {
    KEY(other_sect, "path", V_OTHER_PATH, path, NULL),
    KEY(other_sect, "version", V_VERSION, version, NULL),
    KEY(other_sect, "info", V_CHOICE, info, w_info),
    KEY(other_sect, "owner", V_OWNER, owner, NULL),
    KEY(other_sect, "mode", V_MODE, mode, NULL),
    {NULL, V_CHOICE, 0, NULL},
};
enum { OK_PATH, OK_VERSION, OK_INFO, OK_OWNER, OK_MODE };

static const keydef sysext_keys[] = {
    KEY(sysext_sect, "team", V_TEAM, team, NULL),
    KEY(sysext_sect, "state", V_CHOICE, state, w_state),
    KEY(sysext_sect, "version", V_VERSION, version, NULL),
    KEY(sysext_sect, "categories", V_CATEGORIES, categories, NULL),
    {NULL, V_CHOICE, 0, NULL},
};

typedef enum sect_kind { S_NONE, S_MAC, S_MDM, S_SYSMDM, S_KEXT, S_OTHER, S_SYSEXT } sect_kind;

#define KNOWN_SECTIONS                                                                     \
    "[mac], [mdm], [mdm-system-extensions], [kext BUNDLE-ID], [other-kext BUNDLE-ID], "  \
    "[sysext BUNDLE-ID]"

/* ---- parsing ------------------------------------------------------------- */

typedef struct parse_ctx {
    kc_snap *snap;
    FILE *f;
    int line;          /* lines read so far: the handler's current line */
    int why_line;      /* the line of the first error, 0 for none */
    char why[512];     /* the first error */
    sect_kind kind;    /* the current section */
    size_t index;      /* its index, for [kext] and [sysext] */
    char name[300];    /* its name, for messages */
} parse_ctx;

static int fail_at(parse_ctx *ctx, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Records the first error; returns 0 (inih: error on this line). */
static int fail_at(parse_ctx *ctx, int line, const char *fmt, ...)
{
    va_list ap;

    if (ctx->why_line != 0)
        return 0;
    va_start(ap, fmt);
    vsnprintf(ctx->why, sizeof(ctx->why), fmt, ap);
    va_end(ap);
    ctx->why_line = line > 0 ? line : 1;
    return 0;
}

#define FAIL(ctx, ...) fail_at((ctx), (ctx)->line, __VA_ARGS__)

static bool is_upper_alnum(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_alnum(char c)
{
    return is_upper_alnum(c) || (c >= 'a' && c <= 'z');
}

/* Reverse-DNS, as plugin.h asks of bundle IDs: labels of A-Z a-z 0-9 - _
 * separated by single dots, at least two, at most 255 bytes. */
static bool is_bundle_id(const char *s, size_t n)
{
    size_t label = 0, labels = 0;

    if (n == 0 || n > 255)
        return false;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            if (label == 0)
                return false;
            labels++;
            label = 0;
        } else if (is_alnum(s[i]) || s[i] == '-' || s[i] == '_') {
            label++;
        } else {
            return false;
        }
    }
    return labels >= 2;
}

static bool has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

/* A version as Info.plist and kextstat carry it: a digit first, then
 * A-Z a-z 0-9 . _ + -, at most 64 bytes. */
static bool is_version(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > VERSION_MAX || !(s[0] >= '0' && s[0] <= '9'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_alnum(s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '+' && s[i] != '-')
            return false;
    return true;
}

/* "MAJOR.MINOR[.PATCH]" of a macOS this tool knows: 10.13 to 10.15, 11 to
 * 15 (what kextcheck's references cover). */
static bool parse_macos(const char *s, macos_ver *v)
{
    int parts[3] = {0, 0, 0};
    size_t count = 0;
    const char *p = s;

    for (;;) {
        int n = 0, digits = 0;
        while (*p >= '0' && *p <= '9' && digits < 3) {
            n = n * 10 + (*p++ - '0');
            digits++;
        }
        if (digits == 0 || count == 3)
            return false;
        parts[count++] = n;
        if (*p == '\0')
            break;
        if (*p++ != '.')
            return false;
    }
    if (count < 2)
        return false;
    if (parts[0] == 10 ? parts[1] < 13 || parts[1] > 15 : parts[0] < 11 || parts[0] > 15)
        return false;
    if (parts[0] != 10 && parts[1] > 9)
        return false;
    v->major = parts[0];
    v->minor = parts[1];
    v->patch = parts[2];
    return kc_snprintf(v->text, sizeof(v->text), "%s", s) == 0;
}

static int find_word(const char *const *words, const char *s)
{
    for (int i = 0; words[i] != NULL; i++)
        if (strcmp(words[i], s) == 0)
            return i;
    return -1;
}

static void join_words(const char *const *words, char *buf, size_t len)
{
    size_t o = 0;

    buf[0] = '\0';
    for (size_t i = 0; words[i] != NULL && o < len; i++) {
        int n = snprintf(buf + o, len - o, "%s%s", i ? ", " : "", words[i]);
        if (n < 0)
            break;
        o += (size_t)n;
    }
}

/* A bundle's absolute path on the Mac: no empty, '.' or '..' component,
 * the last one NAME.kext.  The reasons follow 'KEY "VALUE" ' in a message. */
static const char *bundle_path_problem(const char *s)
{
    size_t n = strlen(s);
    const char *last;

    if (has_control(s) || !kc_utf8_valid(s))
        return _("holds a control character or invalid UTF-8");
    if (n > PATH_MAX_BYTES)
        return _("is longer than 1024 bytes");
    if (s[0] != '/')
        return _("is not an absolute path");
    if (strstr(s, "//") || strstr(s, "/./") || strstr(s, "/../") ||
        (n >= 2 && strcmp(s + n - 2, "/.") == 0) || (n >= 3 && strcmp(s + n - 3, "/..") == 0))
        return _("has an empty, '.' or '..' component");
    last = strrchr(s, '/') + 1;
    if (strlen(last) <= 5 || strcmp(s + n - 5, ".kext") != 0)
        return _("does not end with NAME.kext");
    return NULL;
}

/* Whether path is below the folder root ("/Library/Extensions"). */
static bool is_below(const char *path, const char *root)
{
    size_t n = strlen(root);

    return strncmp(path, root, n) == 0 && path[n] == '/';
}

/* A kext's path: a bundle path, not where the Mac has links or the
 * snapshot its own files, nor a staged copy.  NULL when fine, else the
 * reason (what follows 'path "VALUE" ' in the message), in why when it
 * names a folder. */
static const char *path_problem(const char *s, char *why, size_t whylen)
{
    static const char *const refused[] = {"private", "var", "etc", "tmp", ".kextcheck", NULL};
    const char *bad = bundle_path_problem(s);

    if (bad != NULL)
        return bad;
    for (size_t i = 0; refused[i] != NULL; i++) {
        size_t k = strlen(refused[i]);
        if (strncmp(s + 1, refused[i], k) == 0 && s[1 + k] == '/')
            return _("is under /private, /var, /etc, /tmp or /.kextcheck (links or the "
                     "snapshot's own files)");
    }
    if (is_below(s, STAGED_ROOT)) {
        /* TRANSLATORS: %s is /Library/StagedExtensions. */
        kc_snprintf(why, whylen,
                    _("is under %s: give the install path (staged = yes writes the staged "
                      "copy)"),
                    STAGED_ROOT);
        return why;
    }
    return NULL;
}

/* Another vendor's kext: a bundle path in one of the two folders the
 * Auxiliary Kernel Collection is built from (as path_problem). */
static const char *other_path_problem(const char *s, char *why, size_t whylen)
{
    const char *bad = bundle_path_problem(s);

    if (bad != NULL)
        return bad;
    if (!is_below(s, EXTENSIONS_ROOT) && !is_below(s, STAGED_ROOT)) {
        /* TRANSLATORS: the folders /Library/Extensions and
         * /Library/StagedExtensions. */
        kc_snprintf(why, whylen, _("is not under %s or %s"), EXTENSIONS_ROOT, STAGED_ROOT);
        return why;
    }
    return NULL;
}

/* Splits a list on commas and white space; calls item() on each. */
static int each_item(parse_ctx *ctx, const keydef *k, const char *value, void *slot,
                     int (*item)(parse_ctx *, const keydef *, const char *, void *))
{
    const char *p = value;
    size_t count = 0;

    for (;;) {
        char buf[300];
        size_t n;
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
        n = strcspn(p, ", \t");
        if (n == 0)
            break;
        if (n >= sizeof(buf))
            return FAIL(ctx, _("%s: an item is longer than %zu bytes"), k->name, sizeof(buf) - 1);
        memcpy(buf, p, n);
        buf[n] = '\0';
        if (item(ctx, k, buf, slot) != 1)
            return 0;
        count++;
        p += n;
    }
    if (count == 0)
        return FAIL(ctx, _("%s lists nothing"), k->name);
    return 1;
}

static int push_unique(parse_ctx *ctx, const keydef *k, kc_strv *sv, const char *s)
{
    if (kc_strv_contains(sv, s))
        return FAIL(ctx, _("%s lists \"%s\" twice"), k->name, s);
    if (kc_strv_push(sv, s) != 0)
        return FAIL(ctx, "%s", _("out of memory"));
    return 1;
}

static int team_item(parse_ctx *ctx, const keydef *k, const char *s, void *slot)
{
    if (!kc_team_id_valid(s, strlen(s)))
        /* TRANSLATORS: KEY: "VALUE" is not "a team ID (10 characters of A-Z and
         * 0-9)" (translated on its own). */
        return FAIL(ctx, _("%s: \"%s\" is not %s"), k->name, s, kc_team_id_rule());
    return push_unique(ctx, k, slot, s);
}

/* "TEAM:bundle.id" or "TEAM:category". */
static int pair_item(parse_ctx *ctx, const keydef *k, const char *s, void *slot)
{
    const char *colon = strchr(s, ':');

    if (colon == NULL || !kc_team_id_valid(s, (size_t)(colon - s)))
        return k->kind == V_PAIRS_ID
                   ? FAIL(ctx,
                          _("%s: \"%s\" is not TEAMID:bundle.id (a team ID of 10 characters "
                            "of A-Z and 0-9, a colon, then a bundle ID)"),
                          k->name, s)
                   : FAIL(ctx,
                          _("%s: \"%s\" is not TEAMID:type (a team ID of 10 characters of "
                            "A-Z and 0-9, a colon, then a system extension type)"),
                          k->name, s);
    if (k->kind == V_PAIRS_ID && !is_bundle_id(colon + 1, strlen(colon + 1)))
        return FAIL(ctx,
                    _("%s: \"%s\" is not a bundle ID (reverse-DNS: labels of A-Z a-z "
                      "0-9 - _ separated by dots)"),
                    k->name, colon + 1);
    if (k->kind == V_PAIRS_TYPE && find_word(w_category, colon + 1) < 0) {
        char words[256];
        join_words(w_category, words, sizeof(words));
        return FAIL(ctx, _("%s: \"%s\" is not one of: %s"), k->name, colon + 1, words);
    }
    return push_unique(ctx, k, slot, s);
}

static int category_item(parse_ctx *ctx, const keydef *k, const char *s, void *slot)
{
    if (find_word(w_category, s) < 0) {
        char words[256];
        join_words(w_category, words, sizeof(words));
        return FAIL(ctx, _("%s: \"%s\" is not one of: %s"), k->name, s, words);
    }
    return push_unique(ctx, k, slot, s);
}

static int exec_item(parse_ctx *ctx, const keydef *k, const char *s, void *slot)
{
    exec_spec *e = slot;

    for (size_t i = 0; i < N_SLICES; i++) {
        if (strcmp(slices[i].name, s) != 0)
            continue;
        for (size_t j = 0; j < e->n; j++)
            if (e->slice[j] == (int)i)
                return FAIL(ctx, _("%s lists \"%s\" twice"), k->name, s);
        e->slice[e->n++] = (int)i;
        return 1;
    }
    return FAIL(ctx, _("%s: \"%s\" is not one of: x86_64, arm64, arm64e"), k->name, s);
}

static int set_string(parse_ctx *ctx, char **slot, const char *value)
{
    char *copy = kc_strdup(value);

    if (copy == NULL)
        return FAIL(ctx, "%s", _("out of memory"));
    free(*slot);
    *slot = copy;
    return 1;
}

/* signature = team | adhoc | unsigned | other-team:TEAMID | broken */
static int parse_signature(parse_ctx *ctx, const keydef *k, sig_spec *sig, const char *value)
{
    static const char *const words[] = {"team", "adhoc", "unsigned", "", "broken", NULL};
    static const char prefix[] = "other-team:";

    if (strncmp(value, prefix, sizeof(prefix) - 1) == 0) {
        const char *team = value + sizeof(prefix) - 1;
        if (!kc_team_id_valid(team, strlen(team)))
            /* TRANSLATORS: signature "other-team:X": "X" is not "a team ID
             * (10 characters of A-Z and 0-9)" (translated on its own). */
            return FAIL(ctx, _("%s \"%s\": \"%s\" is not %s"), k->name, value, team, kc_team_id_rule());
        sig->kind = SIG_OTHER_TEAM;
        return set_string(ctx, &sig->team, team);
    }
    for (int i = 0; words[i] != NULL; i++)
        if (words[i][0] != '\0' && strcmp(words[i], value) == 0) {
            sig->kind = i;
            return 1;
        }
    return FAIL(ctx,
                _("%s \"%s\" is not one of: team, adhoc, unsigned, other-team:TEAMID, "
                  "broken"),
                k->name, value);
}

/* Text whose "\n" is a line break and "\\" a backslash; any other
 * backslash, a control character or invalid UTF-8 is refused. */
static int parse_diagnostics(parse_ctx *ctx, const keydef *k, char **slot, const char *value)
{
    size_t n = strlen(value), o = 0;
    char *text;

    if (n > TEXT_MAX || has_control(value) || !kc_utf8_valid(value))
        return FAIL(ctx,
                    _("%s must be at most %d bytes of UTF-8 text without control "
                      "characters (\\n starts a new line)"),
                    k->name, TEXT_MAX);
    text = malloc(n + 1);
    if (text == NULL)
        return FAIL(ctx, "%s", _("out of memory"));
    for (size_t i = 0; i < n; i++) {
        if (value[i] != '\\') {
            text[o++] = value[i];
            continue;
        }
        if (value[i + 1] != 'n' && value[i + 1] != '\\') {
            free(text);
            return FAIL(ctx,
                        _("%s: \"\\%.1s\" is not an escape (\\n starts a new line, \\\\ "
                          "is a backslash)"),
                        k->name, value + i + 1);
        }
        text[o++] = value[i + 1] == 'n' ? '\n' : '\\';
        i++;
    }
    text[o] = '\0';
    free(*slot);
    *slot = text;
    return 1;
}

/* A decimal user or group ID: 0 to 4294967295. */
static bool parse_id(const char *s, size_t n, unsigned long *out)
{
    unsigned long long v = 0;

    if (n == 0 || n > 10)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    if (v > 4294967295ULL)
        return false;
    *out = (unsigned long)v;
    return true;
}

/* owner = UID:GID */
static int parse_owner(parse_ctx *ctx, const keydef *k, owner_spec *o, const char *value)
{
    const char *colon = strchr(value, ':');

    if (colon == NULL || !parse_id(value, (size_t)(colon - value), &o->uid) ||
        !parse_id(colon + 1, strlen(colon + 1), &o->gid))
        return FAIL(ctx,
                    _("%s \"%s\" is not UID:GID (two numbers from 0 to 4294967295, like "
                      "0:0 or 501:20)"),
                    k->name, value);
    return 1;
}

/* Parses value for the key k into the section at base: 1, or 0 with the
 * reason recorded. */
static int parse_value(parse_ctx *ctx, const keydef *k, char *base, const char *value)
{
    void *slot = base + k->off;
    char words[512];

    switch (k->kind) {
    case V_CHOICE: {
        int i = find_word(k->choices, value);
        if (i < 0) {
            join_words(k->choices, words, sizeof(words));
            return FAIL(ctx, _("%s \"%s\" is not one of: %s"), k->name, value, words);
        }
        *(int *)slot = i;
        return 1;
    }
    case V_TEAM:
        if (!kc_team_id_valid(value, strlen(value)))
            /* TRANSLATORS: KEY "VALUE" is not "a team ID (10 characters of A-Z
             * and 0-9)" (translated on its own). */
            return FAIL(ctx, _("%s \"%s\" is not %s"), k->name, value, kc_team_id_rule());
        return set_string(ctx, slot, value);
    case V_TEXT:
        if (strlen(value) > TEXT_MAX || has_control(value) || !kc_utf8_valid(value))
            return FAIL(ctx,
                        _("%s must be at most %d bytes of UTF-8 text without control "
                          "characters"),
                        k->name, TEXT_MAX);
        return set_string(ctx, slot, value);
    case V_VERSION:
        if (!is_version(value))
            return FAIL(ctx,
                        _("%s \"%s\" is not a version (a digit first, then A-Z a-z 0-9 . "
                          "_ + -, at most %d bytes; like 1.2.3)"),
                        k->name, value, VERSION_MAX);
        return set_string(ctx, slot, value);
    case V_MACOS:
        if (!parse_macos(value, slot))
            return FAIL(ctx,
                        _("%s \"%s\" is not a macOS version from 10.13 to 15.x "
                          "(MAJOR.MINOR or MAJOR.MINOR.PATCH, like 14.5 or 10.13.6)"),
                        k->name, value);
        return 1;
    case V_BUILD:
        for (size_t i = 0; value[i] != '\0'; i++)
            if (!is_alnum(value[i]) || i >= 16)
                return FAIL(ctx,
                            _("%s \"%s\" is not a build number (1 to 16 of A-Z a-z 0-9, "
                              "like 23F79)"),
                            k->name, value);
        return set_string(ctx, slot, value);
    case V_TEAMS:
        return each_item(ctx, k, value, slot, team_item);
    case V_PAIRS_ID:
    case V_PAIRS_TYPE:
        return each_item(ctx, k, value, slot, pair_item);
    case V_CATEGORIES:
        return each_item(ctx, k, value, slot, category_item);
    case V_EXEC:
        return each_item(ctx, k, value, slot, exec_item);
    case V_FLAGS: {
        long long v = 0;
        for (size_t i = 0; value[i] != '\0'; i++) {
            if (value[i] < '0' || value[i] > '9' || i >= 10)
                return FAIL(ctx, _("%s \"%s\" is not a number from 0 to 2147483647"), k->name,
                            value);
            v = v * 10 + (value[i] - '0');
        }
        if (v > 2147483647LL)
            return FAIL(ctx, _("%s \"%s\" is not a number from 0 to 2147483647"), k->name, value);
        *(long long *)slot = v;
        return 1;
    }
    case V_PATH:
    case V_OTHER_PATH: {
        char buf[256];
        const char *why;
        if (k->kind == V_PATH && strcmp(value, "none") == 0)
            return set_string(ctx, slot, value);
        why = k->kind == V_PATH ? path_problem(value, buf, sizeof(buf))
                                : other_path_problem(value, buf, sizeof(buf));
        if (why != NULL)
            return FAIL(ctx, "%s \"%s\" %s", k->name, value, why);
        return set_string(ctx, slot, value);
    }
    case V_VOLUME:
        if (strlen(value) > VOLUME_NAME_MAX || has_control(value) || !kc_utf8_valid(value) ||
            strchr(value, '/') != NULL)
            return FAIL(ctx,
                        _("%s must be at most %d bytes of UTF-8 text without control "
                          "characters or '/' (it names /Volumes/NAME)"),
                        k->name, VOLUME_NAME_MAX);
        return set_string(ctx, slot, value);
    case V_SIGNATURE:
        return parse_signature(ctx, k, slot, value);
    case V_DIAG:
        return parse_diagnostics(ctx, k, slot, value);
    case V_OWNER:
        return parse_owner(ctx, k, slot, value);
    case V_MODE: {
        long v = 0;
        size_t n = strlen(value);
        for (size_t i = 0; i < n; i++) {
            if (value[i] < '0' || value[i] > '7' || n > 5) {
                v = -1;
                break;
            }
            v = v * 8 + (value[i] - '0');
        }
        if (v < 0 || v > 07777)
            return FAIL(ctx,
                        _("%s \"%s\" is not permission bits in octal (0 to 7777, like "
                          "0755)"),
                        k->name, value);
        *(long *)slot = v;
        return 1;
    }
    case V_STAGED: {
        staged_spec *st = slot;
        if (strcmp(value, "no") == 0 || strcmp(value, "yes") == 0) {
            st->mode = value[0] == 'y';
            return 1;
        }
        if (!is_version(value))
            return FAIL(ctx, _("%s \"%s\" is not yes, no or a version (like 1.2.3)"), k->name,
                        value);
        st->mode = 2;
        return set_string(ctx, &st->version, value);
    }
    }
    return FAIL(ctx, _("internal error: key kind %d"), (int)k->kind);
}

/* The current section's key table and struct. */
static const keydef *section_keys(parse_ctx *ctx, char **base)
{
    kc_snap *s = ctx->snap;

    switch (ctx->kind) {
    case S_MAC:
        *base = (char *)&s->mac;
        return mac_keys;
    case S_MDM:
        *base = (char *)&s->mdm;
        return mdm_keys;
    case S_SYSMDM:
        *base = (char *)&s->sysmdm;
        return sysmdm_keys;
    case S_KEXT:
        *base = (char *)&s->kexts[ctx->index];
        return kext_keys;
    case S_OTHER:
        *base = (char *)&s->others[ctx->index];
        return other_keys;
    case S_SYSEXT:
        *base = (char *)&s->sysexts[ctx->index];
        return sysext_keys;
    case S_NONE:
        break;
    }
    *base = NULL;
    return NULL;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    parse_ctx *ctx = user;
    const keydef *keys;
    char *base;
    sect_head *h;
    size_t i;

    (void)section; /* inih cuts long section names: ours come from read_line */
    if (ctx->why_line != 0)
        return 0;
    keys = section_keys(ctx, &base);
    if (keys == NULL)
        /* TRANSLATORS: the last %s lists the sections: [mac], [mdm], ... */
        return FAIL(ctx, _("\"%s\" is outside a section (start with one of: %s)"), name,
                    KNOWN_SECTIONS);
    if (value == NULL || value[0] == '\0')
        return FAIL(ctx, _("%s has no value (in [%s])"), name, ctx->name);
    for (i = 0; keys[i].name != NULL; i++)
        if (strcmp(keys[i].name, name) == 0)
            break;
    if (keys[i].name == NULL) {
        char known[512];
        size_t o = 0;
        known[0] = '\0';
        for (size_t j = 0; keys[j].name != NULL && o < sizeof(known); j++) {
            int n = snprintf(known + o, sizeof(known) - o, "%s%s", j ? ", " : "",
                             keys[j].name);
            if (n < 0)
                break;
            o += (size_t)n;
        }
        return FAIL(ctx, _("unknown key \"%s\" in [%s] (known: %s)"), name, ctx->name, known);
    }
    h = (sect_head *)base;
    if (h->seen[i] != 0)
        return FAIL(ctx, _("%s is given twice in [%s] (first on line %d)"), name, ctx->name,
                    h->seen[i]);
    if (parse_value(ctx, &keys[i], base, value) != 1)
        return 0;
    h->seen[i] = ctx->line;
    return 1;
}

static void head_init(sect_head *h, int line)
{
    memset(h, 0, sizeof(*h));
    h->line = line;
}

static void mdm_init(mdm_sect *m)
{
    memset(m, 0, sizeof(*m));
    m->overrides = m->non_admin = -1;
}

/* Grows *arr (of n items of size sz) by one zeroed item. */
static void *grow(void **arr, size_t *n, size_t sz)
{
    char *bigger;

    if (*n >= MAX_ITEMS)
        return NULL;
    bigger = realloc(*arr, (*n + 1) * sz);
    if (bigger == NULL)
        return NULL;
    *arr = bigger;
    memset(bigger + *n * sz, 0, sz);
    return bigger + (*n)++ * sz;
}

/* A section header "[NAME]" at line ctx->line: 1, or 0 with the reason. */
static int begin_section(parse_ctx *ctx, const char *name)
{
    kc_snap *s = ctx->snap;
    const char *id = strchr(name, ' ');
    sect_head *prev = NULL;

    kc_snprintf(ctx->name, sizeof(ctx->name), "%s", name);
    if (strcmp(name, "mac") == 0) {
        if (s->mac.h.line != 0)
            prev = &s->mac.h;
        else
            s->mac.h.line = ctx->line;
        ctx->kind = S_MAC;
    } else if (strcmp(name, "mdm") == 0 || strcmp(name, "mdm-system-extensions") == 0) {
        mdm_sect *m = name[3] == '\0' ? &s->mdm : &s->sysmdm;
        if (m->present)
            prev = &m->h;
        m->present = true;
        m->h.line = prev ? m->h.line : ctx->line;
        ctx->kind = name[3] == '\0' ? S_MDM : S_SYSMDM;
    } else if (id != NULL && ((id - name == 4 && strncmp(name, "kext", 4) == 0) ||
                              (id - name == 10 && strncmp(name, "other-kext", 10) == 0) ||
                              (id - name == 6 && strncmp(name, "sysext", 6) == 0))) {
        bool kext = name[0] == 'k', other = name[0] == 'o';
        const char *kind = kext ? "kext" : other ? "other-kext" : "sysext";
        id++;
        if (!is_bundle_id(id, strlen(id)))
            return FAIL(ctx,
                        _("[%s]: \"%s\" is not a bundle ID (reverse-DNS: labels of A-Z a-z "
                          "0-9 - _ separated by dots, like [%s com.vendor.%s])"),
                        name, id, kind, kext || other ? "kext.name" : "extension");
        /* A kext and another vendor's kext are both bundles on disk: one
         * ID names one of them. */
        for (size_t i = 0; (kext || other) && i < s->n_kexts; i++)
            if (strcmp(s->kexts[i].bundle_id, id) == 0)
                prev = &s->kexts[i].h;
        for (size_t i = 0; (kext || other) && i < s->n_others; i++)
            if (strcmp(s->others[i].bundle_id, id) == 0)
                prev = &s->others[i].h;
        if (prev != NULL && (kext || other)) {
            bool prev_other = false;
            for (size_t i = 0; i < s->n_others; i++)
                prev_other = prev_other || prev == &s->others[i].h;
            if (prev_other != other)
                return FAIL(ctx,
                            _("[%s]: %s is also [%s %s] (line %d): one bundle ID, one "
                              "section"),
                            name, id, prev_other ? "other-kext" : "kext", id, prev->line);
        }
        for (size_t i = 0; !kext && !other && i < s->n_sysexts; i++)
            if (strcmp(s->sysexts[i].identifier, id) == 0)
                prev = &s->sysexts[i].h;
        if (prev == NULL && other) {
            other_sect *o = grow((void **)&s->others, &s->n_others, sizeof(*o));
            if (o == NULL || (o->bundle_id = kc_strdup(id)) == NULL)
                /* TRANSLATORS: %s is kext, other-kext or sysext. */
                return FAIL(ctx, _("out of memory, or more than %d %s sections"), MAX_ITEMS,
                            "other-kext");
            head_init(&o->h, ctx->line);
            o->info = -1;
            o->mode = -1;
            ctx->index = s->n_others - 1;
        } else if (prev == NULL && kext) {
            kext_sect *k = grow((void **)&s->kexts, &s->n_kexts, sizeof(*k));
            if (k == NULL || (k->bundle_id = kc_strdup(id)) == NULL)
                return FAIL(ctx, _("out of memory, or more than %d %s sections"), MAX_ITEMS,
                            "kext");
            head_init(&k->h, ctx->line);
            k->staged.mode = k->policy = k->loaded = k->history = k->sig.kind = -1;
            k->flags = k->mode = -1;
            ctx->index = s->n_kexts - 1;
        } else if (prev == NULL) {
            sysext_sect *x = grow((void **)&s->sysexts, &s->n_sysexts, sizeof(*x));
            if (x == NULL || (x->identifier = kc_strdup(id)) == NULL)
                return FAIL(ctx, _("out of memory, or more than %d %s sections"), MAX_ITEMS,
                            "sysext");
            head_init(&x->h, ctx->line);
            x->state = -1;
            ctx->index = s->n_sysexts - 1;
        }
        ctx->kind = kext ? S_KEXT : other ? S_OTHER : S_SYSEXT;
    } else if (strcmp(name, "kext") == 0 || strcmp(name, "other-kext") == 0 ||
               strcmp(name, "sysext") == 0) {
        return FAIL(ctx, _("[%s] needs a bundle ID: [%s com.vendor.name]"), name, name);
    } else {
        /* TRANSLATORS: the last %s lists the sections: [mac], [mdm], ... */
        return FAIL(ctx, _("unknown section [%s] (known: %s)"), name, KNOWN_SECTIONS);
    }
    if (prev != NULL)
        return FAIL(ctx, _("section [%s] is given twice (first on line %d)"), name, prev->line);
    return 1;
}

/* inih's line reader: counts lines, refuses NUL bytes and lines longer than
 * inih takes, drops leading white space (so keys may be indented, and an
 * indented line is never read as the continuation of the previous value)
 * and follows the section headers itself (inih cuts their names at 50
 * bytes).  Returns NULL at the end or at the first error. */
static char *read_line(char *str, int num, void *stream)
{
    parse_ctx *ctx = stream;
    int c = 0, n = 0;
    char *p, *end;

    if (ctx->why_line != 0)
        return NULL;
    while (n < num - 1 && (c = getc(ctx->f)) != EOF) {
        if (c == '\0') {
            ctx->line++;
            FAIL(ctx, "%s", _("the line contains a NUL byte"));
            return NULL;
        }
        str[n++] = (char)c;
        if (c == '\n')
            break;
    }
    if (n == 0)
        return NULL;
    str[n] = '\0';
    ctx->line++;
    if (n == num - 1 && str[n - 1] != '\n' && (c = getc(ctx->f)) != EOF && c != '\n') {
        FAIL(ctx, _("the line is longer than %d bytes"), num - 1);
        return NULL;
    }
    p = str;
    if (ctx->line == 1 && strncmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (*p == ' ' || *p == '\t')
        p++;
    memmove(str, p, strlen(p) + 1);
    if (str[0] != '[')
        return str;
    end = strchr(str, ']');
    if (end == NULL) {
        FAIL(ctx, "%s", _("a section header without ']'"));
        return NULL;
    }
    for (p = end + 1; *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'; p++)
        ;
    if (*p != '\0' && *p != ';' && *p != '#') {
        FAIL(ctx, "%s", _("text after the section header's ']'"));
        return NULL;
    }
    *end = '\0';
    if (begin_section(ctx, str + 1) != 1)
        return NULL;
    *end = ']';
    return str;
}

/* The line of key k in a section (the section's own line when absent). */
static int key_line(const sect_head *h, int k)
{
    return h->seen[k] != 0 ? h->seen[k] : h->line;
}

static bool sip_stages(const kc_snap *s)
{
    /* Staging happens while SIP's kext protection is on (kext_tools
     * staging.m: csr_check(CSR_ALLOW_UNTRUSTED_KEXTS) fails). */
    return s->mac.sip == SIP_ENABLED || s->mac.sip == SIP_CUSTOM;
}

static bool at_least(const kc_snap *s, int major, int minor)
{
    return s->mac.macos.major > major ||
           (s->mac.macos.major == major && s->mac.macos.minor >= minor);
}

/* Records the reason at LINE and fails resolve(). */
#define BAD(line, ...)                                                             \
    do {                                                                           \
        fail_at(ctx, (line), __VA_ARGS__);                                         \
        return -1;                                                                 \
    } while (0)

/* Defaults and the checks between keys: 0, or -1 with the reason. */
static int resolve(parse_ctx *ctx)
{
    kc_snap *s = ctx->snap;
    mac_sect *m = &s->mac;

    if (m->h.seen[MK_MACOS] == 0)
        parse_macos("14.5", &m->macos);
    if (m->arch < 0)
        m->arch = ARCH_INTEL;
    if (m->arch == ARCH_APPLE && m->macos.major == 10)
        BAD(key_line(&m->h, MK_ARCH), _("arch = apple needs macOS 11 or later (macos is %s)"),
            m->macos.text);
    if (m->boot >= 0 && m->arch != ARCH_APPLE)
        BAD(key_line(&m->h, MK_BOOT),
            _("boot_policy is for Apple silicon only (set arch = apple)"));
    if (m->boot < 0)
        m->boot = m->arch == ARCH_APPLE ? BOOT_FULL : BOOT_NONE;
    if (m->sip < 0)
        m->sip = SIP_ENABLED;
    if (m->consent < 0)
        m->consent = 1;
    if (m->captures < 0)
        m->captures = 1;
    if (m->loaded_list < 0)
        m->loaded_list = 1;
    if (m->schema < 0)
        m->schema = m->macos.major == 10 && m->macos.minor == 13 ? SCHEMA_1013 : SCHEMA_1014;
    if (m->wal < 0)
        m->wal = m->macos.major >= 11;
    if (m->database < 0)
        m->database = 1;
    /* The captures these keys write live in .kextcheck/. */
    for (int key = MK_VM; !m->captures && key <= MK_MANIFEST; key++)
        if (m->h.seen[key] != 0 && !(key == MK_MANIFEST && m->manifest == 0))
            BAD(m->h.seen[key], _("%s needs captures = yes (it writes into .kextcheck/)"),
                mac_keys[key].name);
    if (m->boot_volume < 0)
        m->boot_volume = VOL_INTERNAL;
    if (m->volume_name == NULL && (m->volume_name = kc_strdup("Macintosh HD")) == NULL)
        BAD(m->h.line, "%s", _("out of memory"));
    if (s->sysmdm.present && !at_least(s, 10, 15))
        BAD(s->sysmdm.h.line,
            _("system extensions need macOS 10.15 or later "
              "(macos is %s)"),
            m->macos.text);
    for (size_t i = 0; i < s->n_kexts; i++) {
        kext_sect *k = &s->kexts[i];
        bool nowhere;
        if (k->team == NULL)
            BAD(k->h.line, _("[kext %s] has no team (required: team = TEAMID)"), k->bundle_id);
        if (k->path == NULL)
            BAD(k->h.line,
                _("[kext %s] has no path (required: where it is "
                  "installed, like /Library/Extensions/Name.kext, or none)"),
                k->bundle_id);
        nowhere = strcmp(k->path, "none") == 0;
        if (nowhere && k->staged.mode > 0)
            BAD(key_line(&k->h, KK_STAGED), _("staged needs an installed kext (path is none)"));
        if (nowhere && k->history > 0)
            BAD(key_line(&k->h, KK_HISTORY),
                _("history = yes needs a path (the load history records it)"));
        if (nowhere && k->exec.n > 0)
            BAD(key_line(&k->h, KK_EXEC), _("executable needs an installed kext (path is none)"));
        for (int key = KK_SIGNATURE; key <= KK_MODE; key++) {
            if (k->h.seen[key] == 0)
                continue;
            if (nowhere)
                BAD(k->h.seen[key], _("%s needs an installed kext (path is none)"),
                    kext_keys[key].name);
            if (!m->captures)
                BAD(k->h.seen[key], _("%s needs captures = yes (it writes into .kextcheck/)"),
                    kext_keys[key].name);
        }
        if (k->sig.kind == SIG_OTHER_TEAM && strcmp(k->sig.team, k->team) == 0)
            BAD(key_line(&k->h, KK_SIGNATURE),
                _("signature other-team:%s is the kext's own "
                  "team (use signature = team)"),
                k->sig.team);
        if (k->diagnostics != NULL && m->macos.major < 11)
            BAD(key_line(&k->h, KK_DIAGNOSTICS),
                _("diagnostics needs macOS 11 or later "
                  "(kmutil print-diagnostics; macos is %s)"),
                m->macos.text);
        if (k->sig.kind < 0)
            k->sig.kind = SIG_TEAM;
        for (size_t j = 0; !nowhere && j < i; j++)
            if (strcmp(s->kexts[j].path, k->path) == 0)
                BAD(key_line(&k->h, KK_PATH),
                    _("path %s is also the path of "
                      "[kext %s] (line %d)"),
                    k->path, s->kexts[j].bundle_id, key_line(&s->kexts[j].h, KK_PATH));
        if (k->version == NULL && (k->version = kc_strdup("1.0")) == NULL)
            BAD(k->h.line, "%s", _("out of memory"));
        if (k->policy < 0)
            k->policy = POL_NONE;
        if (k->flags < 0)
            k->flags = 1;
        if (k->loaded < 0)
            k->loaded = 0;
        if (k->history < 0)
            k->history = 0;
        if (k->staged.mode < 0)
            k->staged.mode = !nowhere && sip_stages(s) &&
                             (k->policy == POL_ALLOWED || k->policy == POL_MDM ||
                              k->policy == POL_MDM_TEAM);
    }
    for (size_t i = 0; i < s->n_others; i++) {
        other_sect *o = &s->others[i];
        if (o->path == NULL)
            /* TRANSLATORS: the second and fourth %s are /Library/Extensions,
             * the third /Library/StagedExtensions. */
            BAD(o->h.line,
                _("[other-kext %s] has no path (required: like %s/Name.kext or "
                  "%s%s/Name.kext)"),
                o->bundle_id, EXTENSIONS_ROOT, STAGED_ROOT, EXTENSIONS_ROOT);
        if (!m->captures)
            for (int key = OK_OWNER; key <= OK_MODE; key++)
                if (o->h.seen[key] != 0)
                    BAD(o->h.seen[key], _("%s needs captures = yes (it writes into .kextcheck/)"),
                        other_keys[key].name);
        for (size_t j = 0; j < s->n_kexts; j++) {
            const kext_sect *k = &s->kexts[j];
            if (strcmp(k->path, o->path) == 0)
                BAD(key_line(&o->h, OK_PATH), _("path %s is also the path of [kext %s] (line %d)"),
                    o->path, k->bundle_id, key_line(&k->h, KK_PATH));
            if (k->staged.mode > 0 && is_below(o->path, STAGED_ROOT) &&
                strcmp(o->path + strlen(STAGED_ROOT), k->path) == 0)
                BAD(key_line(&o->h, OK_PATH), _("path %s is where [kext %s] (line %d) is staged"),
                    o->path, k->bundle_id, k->h.line);
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->others[j].path, o->path) == 0)
                BAD(key_line(&o->h, OK_PATH),
                    _("path %s is also the path of [other-kext %s] "
                      "(line %d)"),
                    o->path, s->others[j].bundle_id, key_line(&s->others[j].h, OK_PATH));
        if (o->version == NULL && (o->version = kc_strdup("1.0")) == NULL)
            BAD(o->h.line, "%s", _("out of memory"));
        if (o->info < 0)
            o->info = INFO_OK;
    }
    /* Bundle owners are known from a collected snapshot's manifest. */
    for (size_t i = 0; i < s->n_kexts + s->n_others; i++) {
        const sect_head *h = i < s->n_kexts ? &s->kexts[i].h : &s->others[i - s->n_kexts].h;
        int ko = i < s->n_kexts ? KK_OWNER : OK_OWNER, km = i < s->n_kexts ? KK_MODE : OK_MODE;
        int line = h->seen[ko] ? h->seen[ko] : h->seen[km];
        if (line == 0)
            continue;
        if (m->manifest == 0)
            BAD(line,
                _("%s is written in .kextcheck/manifest.json, which manifest = no (line %d) "
                  "leaves out"),
                h->seen[ko] ? "owner" : "mode", m->h.seen[MK_MANIFEST]);
        m->manifest = 1;
    }
    if (m->manifest < 0)
        m->manifest = 0;
    for (size_t i = 0; i < s->n_sysexts; i++) {
        sysext_sect *x = &s->sysexts[i];
        if (!at_least(s, 10, 15))
            BAD(x->h.line, _("system extensions need macOS 10.15 or later (macos is %s)"),
                m->macos.text);
        if (x->team == NULL)
            BAD(x->h.line, _("[sysext %s] has no team (required: team = TEAMID)"), x->identifier);
        if (x->state < 0)
            x->state = 0;
        if (x->categories.n == 0 && kc_strv_push(&x->categories, w_category[0]) != 0)
            BAD(x->h.line, "%s", _("out of memory"));
    }
    return 0;
}

void kc_snap_free(kc_snap *s)
{
    if (s == NULL)
        return;
    free(s->mac.build);
    kc_strv_free(&s->mac.consent_teams);
    for (int i = 0; i < 2; i++) {
        mdm_sect *m = i ? &s->sysmdm : &s->mdm;
        kc_strv_free(&m->teams);
        kc_strv_free(&m->pairs);
        kc_strv_free(&m->types);
    }
    free(s->mac.volume_name);
    for (size_t i = 0; i < s->n_kexts; i++) {
        kext_sect *k = &s->kexts[i];
        free(k->bundle_id);
        free(k->team);
        free(k->developer);
        free(k->path);
        free(k->version);
        free(k->staged.version);
        free(k->sig.team);
        free(k->diagnostics);
    }
    free(s->kexts);
    for (size_t i = 0; i < s->n_others; i++) {
        free(s->others[i].bundle_id);
        free(s->others[i].path);
        free(s->others[i].version);
    }
    free(s->others);
    for (size_t i = 0; i < s->n_sysexts; i++) {
        free(s->sysexts[i].identifier);
        free(s->sysexts[i].team);
        free(s->sysexts[i].version);
        kc_strv_free(&s->sysexts[i].categories);
    }
    free(s->sysexts);
    free(s);
}

int kc_snap_parse(const char *path, kc_snap **out, char *why, size_t whylen)
{
    parse_ctx ctx;
    kc_snap *s = calloc(1, sizeof(*s));
    FILE *f = NULL;
    int line, rc = -1;
    bool read_error;

    *out = NULL;
    memset(&ctx, 0, sizeof(ctx));
    if (s == NULL) {
        kc_snprintf(why, whylen, "%s: %s", path, _("out of memory"));
        goto done;
    }
    s->mac.arch = s->mac.boot = s->mac.sip = s->mac.consent = s->mac.captures = -1;
    s->mac.loaded_list = s->mac.schema = s->mac.wal = s->mac.database = -1;
    s->mac.vm = s->mac.boot_volume = s->mac.manifest = -1;
    mdm_init(&s->mdm);
    mdm_init(&s->sysmdm);
    f = fopen(path, "r");
    if (f == NULL) {
        kc_snprintf(why, whylen, "%s: %s", path, strerror(errno));
        goto done;
    }
    ctx.snap = s;
    ctx.f = f;
    line = ini_parse_stream(read_line, &ctx, handler, &ctx);
    read_error = ferror(f) != 0;
    if (read_error) {
        kc_snprintf(why, whylen, _("%s: cannot be read"), path);
        goto done;
    }
    if (line < 0) {
        kc_snprintf(why, whylen, _("%s: cannot be parsed (out of memory)"), path);
        goto done;
    }
    /* The first error wins: inih's (not an INI line) or ours. */
    if (line > 0 && (ctx.why_line == 0 || line < ctx.why_line)) {
        kc_snprintf(why, whylen, "%s:%d: %s", path, line,
                    _("not an INI line (expected [section], key = value, or a comment starting "
                      "with ; or #)"));
        goto done;
    }
    if (ctx.why_line == 0 && resolve(&ctx) == 0) {
        *out = s;
        s = NULL;
        rc = 0;
        goto done;
    }
    kc_snprintf(why, whylen, "%s:%d: %s", path, ctx.why_line, ctx.why);
done:
    if (f != NULL)
        fclose(f);
    kc_snap_free(s);
    return rc;
}

/* ---- made-up identifiers, always the same for the same description ------ */

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t hash2(const char *a, const char *b)
{
    uint64_t h = 1469598103934665603ULL;

    for (const char *p = a; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    h = (h ^ 0xff) * 1099511628211ULL;
    for (const char *p = b; *p; p++)
        h = (h ^ (unsigned char)*p) * 1099511628211ULL;
    return h;
}

/* n hex digits (n < len) derived from seed and salt. */
static void fake_hex(const char *seed, const char *salt, bool upper, char *out, size_t n)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    uint64_t x = hash2(seed, salt);

    for (size_t i = 0; i < n; i++) {
        if (i % 16 == 0)
            x = mix(x);
        out[i] = digits[(x >> ((i % 16) * 4)) & 15];
    }
    out[n] = '\0';
}

/* An uppercase 8-4-4-4-12 UUID (out: 37 bytes). */
static void fake_uuid(const char *seed, const char *salt, char *out)
{
    char hex[33];

    fake_hex(seed, salt, true, hex, 32);
    snprintf(out, 37, "%.8s-%.4s-4%.3s-A%.3s-%.12s", hex, hex + 8, hex + 12, hex + 16,
             hex + 20);
}

/* The Darwin version of the Mac's macOS (major exact, minor approximate). */
static void darwin_version(const macos_ver *v, char *out, size_t len)
{
    if (v->major == 10)
        snprintf(out, len, "%d.%d.0", v->minor + 4, v->patch);
    else
        snprintf(out, len, "%d.%d.0", v->major + 9, v->minor);
}

/* The year such a Mac's timestamps fall in. */
static int mac_year(const macos_ver *v)
{
    return v->major == 10 ? 2005 + v->minor : 2010 + v->major;
}

/* ---- writing inside DIR ----------------------------------------------------- */

typedef struct writer {
    const char *dir;
    int root;           /* DIR, open */
    char failed[1200];  /* the first failure: "DIR/PATH: why" */
} writer;

static int w_fail(writer *w, const char *rel, int err)
{
    if (w->failed[0] == '\0')
        kc_snprintf(w->failed, sizeof(w->failed), "%s/%s: %s", w->dir, rel, strerror(err));
    return -1;
}

/* Opens (creating each as needed) the folder rel inside DIR ("" for DIR
 * itself); never through a link.  A descriptor, or -1. */
static int open_dirs(writer *w, const char *rel)
{
    char part[PATH_MAX_BYTES + 64];
    int fd = fcntl(w->root, F_DUPFD_CLOEXEC, 0);
    const char *p = rel;

    if (fd < 0)
        return w_fail(w, rel, errno);
    while (*p != '\0') {
        size_t n = strcspn(p, "/");
        int next;
        if (n == 0 || n >= sizeof(part)) {
            close(fd);
            return w_fail(w, rel, n == 0 ? EINVAL : ENAMETOOLONG);
        }
        memcpy(part, p, n);
        part[n] = '\0';
        if (mkdirat(fd, part, 0755) != 0 && errno != EEXIST) {
            int e = errno;
            close(fd);
            return w_fail(w, rel, e);
        }
        next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (next < 0) {
            int e = errno;
            close(fd);
            return w_fail(w, rel, e);
        }
        close(fd);
        fd = next;
        p += n;
        if (*p == '/')
            p++;
    }
    return fd;
}

/* Writes a new file rel (a path inside DIR, without a leading '/'). */
static int write_file(writer *w, const char *rel, const void *data, size_t len)
{
    const char *slash = strrchr(rel, '/');
    char *parent = slash ? kc_asprintf("%.*s", (int)(slash - rel), rel) : kc_strdup("");
    int dfd = -1, fd = -1, rc = -1;
    size_t off = 0;

    if (parent == NULL) {
        w_fail(w, rel, ENOMEM);
        goto done;
    }
    dfd = open_dirs(w, parent);
    if (dfd < 0)
        goto done;
    fd = openat(dfd, slash ? slash + 1 : rel,
                O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0) {
        w_fail(w, rel, errno);
        goto done;
    }
    while (off < len) {
        ssize_t n = write(fd, (const char *)data + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            w_fail(w, rel, errno);
            goto done;
        }
        off += (size_t)n;
    }
    rc = 0;
done:
    if (fd >= 0 && close(fd) != 0 && rc == 0)
        rc = w_fail(w, rel, errno);
    if (dfd >= 0)
        close(dfd);
    free(parent);
    return rc;
}

static int write_text(writer *w, const char *rel, const char *text)
{
    return write_file(w, rel, text, strlen(text));
}

/* Writes the plist (taken: freed here) as XML or binary. */
static int write_plist(writer *w, const char *rel, plist_t pl, bool binary)
{
    char *data = NULL;
    uint32_t len = 0;
    int rc;

    if (pl == NULL)
        return w_fail(w, rel, ENOMEM);
    if (binary)
        plist_to_bin(pl, &data, &len);
    else
        plist_to_xml(pl, &data, &len);
    plist_free(pl);
    if (data == NULL)
        return w_fail(w, rel, ENOMEM);
    rc = write_file(w, rel, data, len);
    free(data);
    return rc;
}

/* Text built with printf calls, checked once at the end. */
typedef struct text {
    FILE *f;
    char *buf;
    size_t len;
} text;

static int text_open(text *t)
{
    t->buf = NULL;
    t->len = 0;
    t->f = open_memstream(&t->buf, &t->len);
    return t->f ? 0 : -1;
}

/* Closes the stream; the text (to free) or NULL. */
static char *text_close(text *t)
{
    bool bad = ferror(t->f) != 0;

    if (fclose(t->f) != 0 || bad) {
        free(t->buf);
        return NULL;
    }
    return t->buf;
}

static int write_built(writer *w, const char *rel, text *t)
{
    char *s = text_close(t);
    int rc;

    if (s == NULL)
        return w_fail(w, rel, ENOMEM);
    rc = write_text(w, rel, s);
    free(s);
    return rc;
}

/* ---- the Mac's files ------------------------------------------------------ */

static plist_t dict_with(plist_t d, const char *key, plist_t value)
{
    if (d != NULL && value != NULL)
        plist_dict_set_item(d, key, value);
    else if (value != NULL)
        plist_free(value);
    return d;
}

static plist_t string_array(const kc_strv *sv)
{
    plist_t a = plist_new_array();

    for (size_t i = 0; a != NULL && i < sv->n; i++)
        plist_array_append_item(a, plist_new_string(sv->v[i]));
    return a;
}

static int write_system_version(writer *w, const kc_snap *s)
{
    const macos_ver *v = &s->mac.macos;
    char copyright[64];
    plist_t d = plist_new_dict();

    kc_snprintf(copyright, sizeof(copyright), "1983-%d Apple Inc.", mac_year(v) - 1);
    if (s->mac.build != NULL)
        dict_with(d, "ProductBuildVersion", plist_new_string(s->mac.build));
    dict_with(d, "ProductCopyright", plist_new_string(copyright));
    /* "Mac OS X" until 10.15, "macOS" from 11 on. */
    dict_with(d, "ProductName", plist_new_string(v->major == 10 ? "Mac OS X" : "macOS"));
    dict_with(d, "ProductUserVisibleVersion", plist_new_string(v->text));
    dict_with(d, "ProductVersion", plist_new_string(v->text));
    return write_plist(w, "System/Library/CoreServices/SystemVersion.plist", d, false);
}

/* Contents/MacOS/NAME: a Mach-O header per slice (mach-o/loader.h,
 * mach-o/fat.h): thin for one slice, fat (big-endian table) for several. */
static int write_executable(writer *w, const char *rel, const exec_spec *e)
{
    unsigned char *buf;
    size_t size = 32, off = 0;
    int rc;

    if (e->n > 1) {
        size_t end = 8 + 20 * e->n;
        for (size_t i = 0; i < e->n; i++) {
            size_t a = (size_t)1 << slices[e->slice[i]].align;
            end = (end + a - 1) / a * a + 32;
        }
        size = end;
    }
    buf = calloc(1, size);
    if (buf == NULL)
        return w_fail(w, rel, ENOMEM);
#define BE32(p, v)                                                                 \
    do {                                                                           \
        (p)[0] = (unsigned char)((v) >> 24);                                       \
        (p)[1] = (unsigned char)((v) >> 16);                                       \
        (p)[2] = (unsigned char)((v) >> 8);                                        \
        (p)[3] = (unsigned char)(v);                                               \
    } while (0)
#define LE32(p, v)                                                                 \
    do {                                                                           \
        (p)[0] = (unsigned char)(v);                                               \
        (p)[1] = (unsigned char)((v) >> 8);                                        \
        (p)[2] = (unsigned char)((v) >> 16);                                       \
        (p)[3] = (unsigned char)((v) >> 24);                                       \
    } while (0)
    if (e->n > 1) {
        BE32(buf, 0xcafebabeu);
        BE32(buf + 4, (uint32_t)e->n);
        off = 8 + 20 * e->n;
    }
    for (size_t i = 0; i < e->n; i++) {
        uint32_t a = slices[e->slice[i]].align;
        unsigned char *mh;
        if (e->n > 1) {
            unsigned char *fa = buf + 8 + 20 * i;
            off = (off + ((size_t)1 << a) - 1) >> a << a;
            BE32(fa, slices[e->slice[i]].cputype);
            BE32(fa + 4, slices[e->slice[i]].cpusubtype);
            BE32(fa + 8, (uint32_t)off);
            BE32(fa + 12, 32u);
            BE32(fa + 16, a);
        }
        /* mach_header_64: MH_MAGIC_64, cputype, cpusubtype, MH_KEXT_BUNDLE,
         * no load commands, MH_NOUNDEFS. */
        mh = buf + off;
        LE32(mh, 0xfeedfacfu);
        LE32(mh + 4, slices[e->slice[i]].cputype);
        LE32(mh + 8, slices[e->slice[i]].cpusubtype);
        LE32(mh + 12, 0xbu);
        LE32(mh + 24, 1u);
        off += 32;
    }
#undef BE32
#undef LE32
    rc = write_file(w, rel, buf, size);
    free(buf);
    return rc;
}

/* One kext bundle at mac_path (absolute on the Mac) with that version. */
static int write_bundle(writer *w, const kext_sect *k, const char *mac_path,
                        const char *version)
{
    const char *base = strrchr(mac_path, '/') + 1;
    char *name = kc_asprintf("%.*s", (int)(strlen(base) - 5), base);
    char *info = kc_asprintf("%s/Contents/Info.plist", mac_path + 1);
    char *exe = name ? kc_asprintf("%s/Contents/MacOS/%s", mac_path + 1, name) : NULL;
    plist_t d = plist_new_dict();
    int rc = -1;

    if (name == NULL || info == NULL || exe == NULL) {
        plist_free(d);
        w_fail(w, mac_path + 1, ENOMEM);
        goto done;
    }
    if (k->exec.n > 0)
        dict_with(d, "CFBundleExecutable", plist_new_string(name));
    dict_with(d, "CFBundleIdentifier", plist_new_string(k->bundle_id));
    dict_with(d, "CFBundleInfoDictionaryVersion", plist_new_string("6.0"));
    dict_with(d, "CFBundleName", plist_new_string(name));
    dict_with(d, "CFBundlePackageType", plist_new_string("KEXT"));
    dict_with(d, "CFBundleShortVersionString", plist_new_string(version));
    dict_with(d, "CFBundleVersion", plist_new_string(version));
    if (write_plist(w, info, d, false) != 0 ||
        (k->exec.n > 0 && write_executable(w, exe, &k->exec) != 0))
        goto done;
    rc = 0;
done:
    free(name);
    free(info);
    free(exe);
    return rc;
}

static int write_kexts(writer *w, const kc_snap *s)
{
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < s->n_kexts; i++) {
        const kext_sect *k = &s->kexts[i];
        char *staged;
        if (strcmp(k->path, "none") == 0)
            continue;
        rc = write_bundle(w, k, k->path, k->version);
        if (rc != 0 || k->staged.mode <= 0)
            continue;
        staged = kc_asprintf("%s%s", STAGED_ROOT, k->path);
        rc = staged ? write_bundle(w, k, staged,
                                   k->staged.mode == 2 ? k->staged.version : k->version)
                    : w_fail(w, k->path + 1, ENOMEM);
        free(staged);
    }
    return rc;
}

/* Another vendor's kext bundles: Info.plist as write_bundle writes it
 * (no executable), no Info.plist at all (an empty Contents folder), or a
 * damaged one (the same XML cut in the middle, which no plist reader
 * accepts). */
static int write_others(writer *w, const kc_snap *s)
{
    int rc = 0;

    for (size_t i = 0; rc == 0 && i < s->n_others; i++) {
        const other_sect *o = &s->others[i];
        const char *base = strrchr(o->path, '/') + 1;
        char *contents = kc_asprintf("%s/Contents", o->path + 1);
        char *info = kc_asprintf("%s/Contents/Info.plist", o->path + 1);
        char *name = kc_asprintf("%.*s", (int)(strlen(base) - 5), base);
        plist_t d = plist_new_dict();
        char *xml = NULL;
        uint32_t len = 0;
        int fd;

        rc = -1;
        if (contents == NULL || info == NULL || name == NULL || d == NULL) {
            w_fail(w, o->path + 1, ENOMEM);
        } else if (o->info == INFO_MISSING) {
            fd = open_dirs(w, contents);
            if (fd >= 0) {
                close(fd);
                rc = 0;
            }
        } else {
            dict_with(d, "CFBundleIdentifier", plist_new_string(o->bundle_id));
            dict_with(d, "CFBundleInfoDictionaryVersion", plist_new_string("6.0"));
            dict_with(d, "CFBundleName", plist_new_string(name));
            dict_with(d, "CFBundlePackageType", plist_new_string("KEXT"));
            dict_with(d, "CFBundleShortVersionString", plist_new_string(o->version));
            dict_with(d, "CFBundleVersion", plist_new_string(o->version));
            plist_to_xml(d, &xml, &len);
            if (xml == NULL)
                w_fail(w, info, ENOMEM);
            else
                rc = write_file(w, info, xml, o->info == INFO_BROKEN ? len / 2 : len);
        }
        plist_free(d);
        free(xml);
        free(contents);
        free(info);
        free(name);
    }
    return rc;
}

/* com.apple.syspolicy.kernel-extension-policy or
 * com.apple.system-extension-policy as installed (macos-kext-facts.md
 * section 6): a binary plist in /Library/Managed Preferences. */
static int write_mdm(writer *w, const mdm_sect *m, bool sysext)
{
    plist_t d = plist_new_dict();
    const kc_strv *lists[2] = {&m->pairs, &m->types};
    static const char *const keys[2][2] = {
        {"AllowedKernelExtensions", NULL},
        {"AllowedSystemExtensions", "AllowedSystemExtensionTypes"},
    };

    if (m->overrides >= 0)
        dict_with(d, "AllowUserOverrides", plist_new_bool(m->overrides == 1));
    if (!sysext && m->non_admin >= 0)
        dict_with(d, "AllowNonAdminUserApprovals", plist_new_bool(m->non_admin == 1));
    if (m->teams.n > 0)
        dict_with(d, "AllowedTeamIdentifiers", string_array(&m->teams));
    for (int l = 0; l < 2; l++) {
        plist_t by_team;
        if (keys[sysext][l] == NULL || lists[l]->n == 0)
            continue;
        by_team = plist_new_dict();
        for (size_t i = 0; by_team != NULL && i < lists[l]->n; i++) {
            char team[11];
            plist_t arr;
            memcpy(team, lists[l]->v[i], 10);
            team[10] = '\0';
            arr = plist_dict_get_item(by_team, team);
            if (arr == NULL) {
                arr = plist_new_array();
                dict_with(by_team, team, arr);
            }
            if (arr != NULL)
                plist_array_append_item(arr, plist_new_string(lists[l]->v[i] + 11));
        }
        dict_with(d, keys[sysext][l], by_team);
    }
    return write_plist(w,
                       sysext ? "Library/Managed Preferences/com.apple.system-extension-policy.plist"
                              : "Library/Managed Preferences/"
                                "com.apple.syspolicy.kernel-extension-policy.plist",
                       d, true);
}

/* /Library/SystemExtensions/db.plist in the shape kextcheck reads. */
static int write_sysext_db(writer *w, const kc_snap *s)
{
    plist_t d = plist_new_dict(), arr = plist_new_array();

    for (size_t i = 0; arr != NULL && i < s->n_sysexts; i++) {
        const sysext_sect *x = &s->sysexts[i];
        plist_t e = plist_new_dict();
        dict_with(e, "identifier", plist_new_string(x->identifier));
        dict_with(e, "teamID", plist_new_string(x->team));
        dict_with(e, "state", plist_new_string(w_state[x->state]));
        dict_with(e, "categories", string_array(&x->categories));
        if (x->version != NULL) {
            plist_t bv = plist_new_dict();
            dict_with(bv, "CFBundleShortVersionString", plist_new_string(x->version));
            dict_with(bv, "CFBundleVersion", plist_new_string(x->version));
            dict_with(e, "bundleVersion", bv);
        }
        if (e != NULL)
            plist_array_append_item(arr, e);
    }
    dict_with(d, "extensions", arr);
    dict_with(d, "extensionPolicies", plist_new_array());
    return write_plist(w, "Library/SystemExtensions/db.plist", d, false);
}

/* ---- the approval database -------------------------------------------------- */

/* macos-kext-facts.md section 1: as dumped on 10.14; 10.13 has no cdhash. */
static const char schema_sql[] =
    "CREATE TABLE settings ( name TEXT, value TEXT, PRIMARY KEY (name) );\n"
    "CREATE TABLE kext_load_history_v3 ( path TEXT PRIMARY KEY, team_id TEXT, bundle_id "
    "TEXT, boot_uuid TEXT, created_at TEXT, last_seen TEXT, flags INTEGER %s);\n"
    "CREATE TABLE kext_policy ( team_id TEXT, bundle_id TEXT, allowed BOOLEAN, "
    "developer_name TEXT, flags INTEGER, PRIMARY KEY (team_id, bundle_id) );\n"
    "CREATE TABLE kext_policy_mdm ( team_id TEXT, bundle_id TEXT, allowed BOOLEAN, "
    "payload_uuid TEXT, PRIMARY KEY (team_id, bundle_id) );\n";

static int db_exec(sqlite3 *db, const char *sql)
{
    return sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* Runs sql with ?1.. bound to the texts (NULL binds NULL), then to the
 * integers. */
static int db_row(sqlite3 *db, const char *sql, const char *const *texts, size_t n_texts,
                  const long long *ints, size_t n_ints)
{
    sqlite3_stmt *st = NULL;
    int rc = -1, col = 1;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        goto done;
    for (size_t i = 0; i < n_texts; i++, col++)
        if ((texts[i] ? sqlite3_bind_text(st, col, texts[i], -1, SQLITE_TRANSIENT)
                      : sqlite3_bind_null(st, col)) != SQLITE_OK)
            goto done;
    for (size_t i = 0; i < n_ints; i++, col++)
        if (sqlite3_bind_int64(st, col, ints[i]) != SQLITE_OK)
            goto done;
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
done:
    sqlite3_finalize(st);
    return rc;
}

static int db_rows(sqlite3 *db, const kc_snap *s)
{
    int year = mac_year(&s->mac.macos);

    for (size_t i = 0; i < s->n_kexts; i++) {
        const kext_sect *k = &s->kexts[i];
        if (k->policy == POL_ALLOWED || k->policy == POL_PENDING) {
            const char *t[] = {k->team, k->bundle_id, k->developer};
            long long n[] = {k->policy == POL_ALLOWED, k->flags};
            if (db_row(db, "INSERT INTO kext_policy (team_id, bundle_id, developer_name, "
                           "allowed, flags) VALUES (?1, ?2, ?3, ?4, ?5)",
                       t, 3, n, 2) != 0)
                return -1;
        } else if (k->policy == POL_MDM || k->policy == POL_MDM_TEAM) {
            char uuid[37];
            const char *t[] = {k->team, k->policy == POL_MDM ? k->bundle_id : "", uuid};
            long long n[] = {1};
            fake_uuid(k->policy == POL_MDM ? k->bundle_id : k->team, "payload", uuid);
            if (db_row(db, "INSERT OR IGNORE INTO kext_policy_mdm (team_id, bundle_id, "
                           "payload_uuid, allowed) VALUES (?1, ?2, ?3, ?4)",
                       t, 3, n, 1) != 0)
                return -1;
        }
        if (k->history == 1) {
            char boot[37], cdhash[41], created[32], seen[32];
            char *path = k->staged.mode > 0 ? kc_asprintf("%s%s", STAGED_ROOT, k->path)
                                            : kc_strdup(k->path);
            const char *t[] = {path, k->team, k->bundle_id, boot, created, seen,
                               s->mac.schema == SCHEMA_1014 ? cdhash : NULL};
            long long n[] = {5};
            int r;
            fake_uuid(s->mac.macos.text, "boot", boot);
            fake_hex(k->bundle_id, "cdhash", false, cdhash, 40);
            kc_snprintf(created, sizeof(created), "%d-03-02 09:14:11", year);
            kc_snprintf(seen, sizeof(seen), "%d-03-04 08:01:12", year);
            r = path == NULL ? -1
                : s->mac.schema == SCHEMA_1014
                    ? db_row(db, "INSERT INTO kext_load_history_v3 (path, team_id, bundle_id, "
                                 "boot_uuid, created_at, last_seen, cdhash, flags) VALUES "
                                 "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                             t, 7, n, 1)
                    : db_row(db, "INSERT INTO kext_load_history_v3 (path, team_id, bundle_id, "
                                 "boot_uuid, created_at, last_seen, flags) VALUES "
                                 "(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                             t, 6, n, 1);
            free(path);
            if (r != 0)
                return -1;
        }
    }
    return 0;
}

/* The database, in the macOS's schema; with wal, a WAL database whose rows
 * live in KextPolicy-wal (with -shm beside it), as on a live Mac of 11+. */
static int write_database(writer *w, const kc_snap *s)
{
    static const char rel[] = DB_DIR "/KextPolicy";
    char *path = kc_asprintf("%s/%s", w->dir, rel);
    char *sql = kc_asprintf(schema_sql, s->mac.schema == SCHEMA_1014 ? ", cdhash TEXT" : "");
    sqlite3 *db = NULL;
    int fd, rc = -1;
    const char *step = "open";

    if (path == NULL || sql == NULL) {
        w_fail(w, rel, ENOMEM);
        goto done;
    }
    /* The folder, made through descriptors; SQLite then opens the file by
     * name in it (SQLITE_OPEN_NOFOLLOW: never a link), creating it. */
    fd = open_dirs(w, DB_DIR);
    if (fd < 0)
        goto done;
    close(fd);
    if (sqlite3_open_v2(path, &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW,
                        NULL) != SQLITE_OK)
        goto sqlfail;
    step = "schema";
    if ((s->mac.wal == 1 && db_exec(db, "PRAGMA journal_mode=WAL") != 0) ||
        db_exec(db, sql) != 0)
        goto sqlfail;
    if (s->mac.wal == 1) {
        /* Everything written from here on stays in the -wal file. */
        step = "checkpoint";
        if (db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)") != 0 ||
            sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)NULL) !=
                SQLITE_OK ||
            sqlite3_wal_autocheckpoint(db, 0) != SQLITE_OK)
            goto sqlfail;
    }
    step = "rows";
    if (db_exec(db, "BEGIN") != 0 ||
        db_exec(db, "INSERT INTO settings VALUES ('migrationPerformed', 'YES')") != 0 ||
        db_rows(db, s) != 0 || db_exec(db, "COMMIT") != 0)
        goto sqlfail;
    step = "close";
    rc = sqlite3_close(db) == SQLITE_OK ? 0 : -1;
    db = NULL;
    if (rc == 0)
        goto done;
sqlfail:
    if (w->failed[0] == '\0')
        kc_snprintf(w->failed, sizeof(w->failed), "%s/%s: %s: %s", w->dir, rel, step,
                    db ? sqlite3_errmsg(db) : _("cannot be written"));
done:
    if (db != NULL)
        sqlite3_close(db);
    free(path);
    free(sql);
    return rc;
}

/* ---- the captured command outputs (.kextcheck/) ------------------------------ */

/* csrutil status (macos-kext-facts.md section 4; the real captures
 * csrutil_custom_* and csrutil_unknown-custom_*): a custom configuration
 * reads "enabled (Custom Configuration)." on 10.x and "unknown (...)" on
 * 11+, with the settings of that release, tab-indented. */
static int write_csrutil(writer *w, const kc_snap *s)
{
    static const char *const settings[] = {
        "Apple Internal",          "Kext Signing",          "Filesystem Protections",
        "Debugging Restrictions",  "DTrace Restrictions",   "NVRAM Protections",
        "BaseSystem Verification", "Boot-arg Restrictions", "Kernel Integrity Protections",
        "Authenticated Root Requirement",
    };
    const char *off = s->mac.sip == SIP_NO_KEXT_SIGNING ? "Kext Signing" : "DTrace Restrictions";
    size_t n = s->mac.macos.major == 10 ? 7 : 10;
    text t;

    if (text_open(&t) != 0)
        return w_fail(w, KC_CAPTURE_DIR "/csrutil-status.txt", ENOMEM);
    fprintf(t.f, "System Integrity Protection status: ");
    if (s->mac.sip == SIP_ENABLED || s->mac.sip == SIP_DISABLED) {
        fprintf(t.f, "%s.\n", s->mac.sip == SIP_ENABLED ? "enabled" : "disabled");
    } else {
        fprintf(t.f, "%s (Custom Configuration).\n\nConfiguration:\n",
                s->mac.macos.major == 10 ? "enabled" : "unknown");
        for (size_t i = 0; i < n; i++)
            fprintf(t.f, "\t%s: %s\n", settings[i],
                    i == 0 || strcmp(settings[i], off) == 0 ? "disabled" : "enabled");
        fprintf(t.f, "\nThis is an unsupported configuration, likely to break in the future "
                     "and leave your machine in an unknown state.\n");
    }
    return write_built(w, KC_CAPTURE_DIR "/csrutil-status.txt", &t);
}

/* kextstat (macos-kext-facts.md section 5): a few Apple rows, then the
 * kexts marked loaded; on 11+ the shim's two lines over kmutil showloaded. */
static int write_kextstat(writer *w, const kc_snap *s)
{
    bool modern = s->mac.macos.major >= 11, apple = s->mac.arch == ARCH_APPLE;
    unsigned long long base = apple ? 0xfffffe0007a00000ULL
                              : modern ? 0xffffff8003300000ULL
                                       : 0xffffff7f80a00000ULL;
    char darwin[32], kuuid[37];
    int index = 1;
    text t;

    if (text_open(&t) != 0)
        return w_fail(w, KC_CAPTURE_DIR "/kextstat.txt", ENOMEM);
    darwin_version(&s->mac.macos, darwin, sizeof(darwin));
    fake_uuid(s->mac.macos.text, "kernel", kuuid);
    if (modern)
        fprintf(t.f, "Executing: /usr/bin/kmutil showloaded\n"
                     "No variant specified, falling back to release\n");
    fprintf(t.f, "Index Refs Address            Size       Wired      Name (Version) UUID "
                 "<Linked Against>\n");
    /* The KPI pseudo-kexts: no address and the kernel's UUID on 11+. */
    for (int i = 0; i < 2; i++, index++) {
        const char *id = i == 0 ? "com.apple.kpi.bsd" : "com.apple.kpi.libkern";
        char uuid[37];
        fake_uuid(id, s->mac.macos.text, uuid);
        if (modern)
            fprintf(t.f, "%5d %4d %-18s %-10s %-10s %s (%s) %s <>\n", index, 140 + 30 * i, "0",
                    "0", "0", id, darwin, kuuid);
        else
            fprintf(t.f, "%5d %4d 0x%-16llx %-10s %-10s %s (%s) %s\n", index, 104 + 31 * i,
                    base + 0x16000ULL * (unsigned)(i + 1), i ? "0xd200" : "0x9d90",
                    i ? "0xd200" : "0x9d90", id, darwin, uuid);
    }
    {
        char uuid[37];
        fake_uuid("com.apple.kec.corecrypto", s->mac.macos.text, uuid);
        fprintf(t.f, "%5d %4d 0x%-16llx %-10s %-10s %s (%s) %s <2 1>\n", index++, 12,
                base + 0x144000ULL, "0x92000", "0x92000", "com.apple.kec.corecrypto",
                modern ? "11.1" : "1.0", uuid);
    }
    index = 150;
    for (size_t i = 0; i < s->n_kexts; i++) {
        const kext_sect *k = &s->kexts[i];
        char uuid[37];
        if (k->loaded != 1)
            continue;
        fake_uuid(k->bundle_id, "kext", uuid);
        fprintf(t.f, "%5d %4d 0x%-16llx %-10s %-10s %s (%s) %s <3 2 1>\n", index++, 0,
                base + 0x8a00000ULL + 0x100000ULL * i, "0x21000", "0x21000", k->bundle_id,
                k->version, uuid);
    }
    return write_built(w, KC_CAPTURE_DIR "/kextstat.txt", &t);
}

/* bputil -d on Apple silicon, in the structure of the real sample
 * (realworld/outputs/bputil-d_full-security_fleet-sample.txt) with the
 * security mode's values (macos-11-plus-and-apple-silicon.md section 2 and
 * the two grep excerpts).  SIP other than enabled shows as "Customized
 * (sip0): <csr bits in hex>" (a community note reports "7f" for a full
 * csrutil disable; the other values are the csr.h bits, an inference). */
static int write_bputil(writer *w, const kc_snap *s)
{
    static const char *const header =
        "This utility is not meant for normal users or even sysadmins.\n"
        "It provides unabstracted access to capabilities which are normally handled for the "
        "user automatically when changing the security policy through GUIs such as the Startup "
        "Security Utility in macOS Recovery (\"recoveryOS\").\n"
        "It is possible to make your system security much weaker and therefore easier to "
        "compromise using this tool.\n"
        "This tool is not to be used in production environments.\n"
        "It is possible to render your system unbootable with this tool.\n"
        "It should only be used to understand how the security of Apple Silicon Macs works.\n"
        "Use at your own risk!\n\n\n";
    const char *seed = s->mac.macos.text;
    int boot = s->mac.boot;
    bool kexts = boot == BOOT_REDUCED_KEXTS || boot == BOOT_PERMISSIVE_KEXTS, approved = false;
    char vg[37], vuid[37], kuid[37], lpnh[97], rpnh[97], ronh[97], nsih[97], ecid[14];
    char aux[3][97], darwin[32];
    text t;

    for (size_t i = 0; i < s->n_kexts; i++)
        approved = approved || s->kexts[i].policy == POL_ALLOWED ||
                   s->kexts[i].policy == POL_MDM || s->kexts[i].policy == POL_MDM_TEAM;
    if (text_open(&t) != 0)
        return w_fail(w, KC_CAPTURE_DIR "/bputil-d.txt", ENOMEM);
    fake_uuid(seed, "volume group", vg);
    fake_uuid(seed, "vuid", vuid);
    fake_uuid(seed, "kuid", kuid);
    fake_hex(seed, "lpnh", true, lpnh, 96);
    fake_hex(seed, "rpnh", true, rpnh, 96);
    fake_hex(seed, "ronh", true, ronh, 96);
    fake_hex(seed, "nsih", true, nsih, 96);
    fake_hex(seed, "ecid", true, ecid, 13);
    for (int i = 0; i < 3; i++)
        fake_hex(seed, i == 0 ? "auxp" : i == 1 ? "auxi" : "auxr", true, aux[i], 96);
    darwin_version(&s->mac.macos, darwin, sizeof(darwin));
    darwin[strlen(darwin) - 2] = '\0'; /* "23.5" */
    fprintf(t.f, "%s", header);
    fprintf(t.f, "Local policy for volume group %s:\n", vg);
    fprintf(t.f, "OS environment:\n");
    fprintf(t.f, "%-46s: %s\n", "OS Type", "macOS");
    fprintf(t.f, "%-46s: %s\n", "OS Pairing Status", "Not Paired");
    fprintf(t.f, "%-40s(lpnh): %s\n", "Local Policy Nonce Hash", lpnh);
    fprintf(t.f, "%-40s(rpnh): %s\n", "Remote Policy Nonce Hash", rpnh);
    fprintf(t.f, "%-40s(ronh): %s\n\n", "Recovery OS Policy Nonce Hash", ronh);
    fprintf(t.f, "Local policy:\n");
    fprintf(t.f, "%-46s: %s\n", "Pairing Integrity", "Valid");
    fprintf(t.f, "%-46s: %s\n", "Signature Type", "BAA");
    fprintf(t.f, "%-40s(ECID): 0x%s\n", "Unique Chip ID", ecid);
    fprintf(t.f, "%-40s(BORD): 0x24\n", "Board ID");
    fprintf(t.f, "%-40s(CHIP): 0x8103\n", "Chip ID");
    fprintf(t.f, "%-40s(CEPO): 0x1\n", "Certificate Epoch");
    fprintf(t.f, "%-40s(SDOM): 0x1\n", "Security Domain");
    fprintf(t.f, "%-40s(CPRO): 1\n", "Production Status");
    fprintf(t.f, "%-40s(CSEC): 1\n", "Security Mode");
    fprintf(t.f, "%-40s(love): %s.%d.0.0,0\n", "OS Version", darwin,
            (int)(hash2(seed, "love") % 900) + 100);
    fprintf(t.f, "%-40s(vuid): %s\n", "Volume Group UUID", vuid);
    fprintf(t.f, "%-40s(kuid): %s\n", "KEK Group UUID", kuid);
    fprintf(t.f, "%-40s(lpnh): %s\n", "Local Policy Nonce Hash", lpnh);
    fprintf(t.f, "%-40s(rpnh): %s\n", "Remote Policy Nonce Hash", rpnh);
    fprintf(t.f, "%-40s(nsih): %s\n", "Next Stage Image4 Hash", nsih);
    /* The user-approved kexts' hashes, once an approved kext is in the
     * Auxiliary Kernel Collection. */
    fprintf(t.f, "%-40s(auxp): %s\n", "User Authorized Kext List Hash",
            kexts && approved ? aux[0] : "absent");
    fprintf(t.f, "%-40s(auxi): %s\n", "Auxiliary Kernel Cache Image4 Hash",
            kexts && approved ? aux[1] : "absent");
    fprintf(t.f, "%-40s(auxr): %s\n", "Kext Receipt Hash", kexts && approved ? aux[2] : "absent");
    fprintf(t.f, "%-40s(coih): absent\n", "CustomKC or fuOS Image4 Hash");
    fprintf(t.f, "%-29s%s\n", "Security Mode:",
            boot == BOOT_FULL               ? "Full       (smb0): absent"
            : boot == BOOT_PERMISSIVE_KEXTS ? "Permissive (smb0 && smb1): 1"
                                            : "Reduced    (smb0): 1");
    fprintf(t.f, "%-29s%s\n", "3rd Party Kexts Status:",
            kexts ? "Enabled    (smb2): 1" : "Disabled   (smb2): absent");
    fprintf(t.f, "%-29s%s\n", "User-allowed MDM Control:", "Disabled   (smb3): absent");
    fprintf(t.f, "%-29s%s\n", "DEP-allowed MDM Control:", "Disabled   (smb4): absent");
    if (s->mac.sip == SIP_ENABLED)
        fprintf(t.f, "%-29s%s\n", "SIP Status:", "Enabled    (sip0): absent");
    else
        fprintf(t.f, "%-29sCustomized (sip0): %s\n", "SIP Status:",
                s->mac.sip == SIP_DISABLED          ? "7f"
                : s->mac.sip == SIP_NO_KEXT_SIGNING ? "1"
                                                    : "20");
    fprintf(t.f, "%-29s%s\n", "Signed System Volume Status:", "Enabled    (sip1): absent");
    fprintf(t.f, "%-29s%s\n", "Kernel CTRR Status:", "Enabled    (sip2): absent");
    fprintf(t.f, "%-29s%s\n", "Boot Args Filtering Status:", "Enabled    (sip3): absent");
    return write_built(w, KC_CAPTURE_DIR "/bputil-d.txt", &t);
}

/* sysctl -n kern.hv_vmm_present: 1 in a virtual machine, 0 on hardware.
 * Before macOS 11 the key may not exist: sysctl -n then prints nothing
 * and fails, an empty capture, unless vm says what it printed. */
static int write_vmm(writer *w, const kc_snap *s)
{
    const char *text = s->mac.vm == 1 ? "1\n" : s->mac.vm == 0 ? "0\n"
                       : s->mac.macos.major >= 11 ? "0\n" : "";

    return write_text(w, KC_CAPTURE_DIR "/sysctl-kern-hv-vmm-present.txt", text);
}

/* One "   Key:   value" line of diskutil info, the value at column 30. */
static void du_line(FILE *f, const char *key, const char *value)
{
    char k[64];

    kc_snprintf(k, sizeof(k), "%s:", key);
    fprintf(f, "   %-27s%s\n", k, value);
}

/* diskutil info / in the layout of the real captures
 * (tests/fixtures/platform/du_*.txt): the sealed system snapshot
 * ("diskNs1s1", "This disk is an APFS Volume Snapshot.") from macOS 11 on;
 * the read-only system volume of a 10.15 volume group (disk1s5); the
 * read-write APFS volume of 10.13 and 10.14 (disk1s1).  Internal disks sit
 * behind PCI-Express on Intel and Apple Fabric on Apple silicon (disk3, on
 * the internal SSD's disk0s2); an external boot disk is a USB SSD whose
 * container is disk5 on disk4s2. */
static int write_diskutil(writer *w, const kc_snap *s)
{
    const mac_sect *m = &s->mac;
    bool modern = m->macos.major >= 11, catalina = m->macos.major == 10 && m->macos.minor == 15;
    bool external = m->boot_volume == VOL_EXTERNAL, apple = m->arch == ARCH_APPLE;
    const char *whole = external ? "disk5" : apple ? "disk3" : "disk1";
    const char *blank = modern ? "" : "   ";
    char dev[16], node[24], booter[16], recovery[16], uuid[37], group[37], snap_hex[65];
    char snap_name[96], seed[200];
    text t;

    /* Intel from 11 on: the real capture's layout (system disk1s1, Preboot
     * disk1s3, Recovery disk1s4); Apple silicon and external disks: system
     * s1, Preboot s2, Recovery s3; 10.15: system s5 beside its Data s1. */
    kc_snprintf(dev, sizeof(dev), "%s%s", whole,
                modern ? "s1s1" : catalina ? "s5" : "s1");
    kc_snprintf(node, sizeof(node), "/dev/%s", dev);
    kc_snprintf(booter, sizeof(booter), "%ss%d", whole, modern && !apple && !external ? 3 : 2);
    kc_snprintf(recovery, sizeof(recovery), "%ss%d", whole,
                modern && !apple && !external ? 4 : 3);
    kc_snprintf(seed, sizeof(seed), "%s|%s", m->volume_name, m->macos.text);
    fake_uuid(seed, "volume", uuid);
    fake_uuid(seed, "volume group", group);
    fake_hex(seed, "os update snapshot", true, snap_hex, 64);
    kc_snprintf(snap_name, sizeof(snap_name), "com.apple.os.update-%s", snap_hex);
    if (text_open(&t) != 0)
        return w_fail(w, KC_CAPTURE_DIR "/diskutil-info.txt", ENOMEM);
    du_line(t.f, "Device Identifier", dev);
    du_line(t.f, "Device Node", node);
    du_line(t.f, "Whole", "No");
    du_line(t.f, "Part of Whole", whole);
    fprintf(t.f, "%s\n", blank);
    du_line(t.f, "Volume Name", m->volume_name);
    du_line(t.f, "Mounted", "Yes");
    du_line(t.f, "Mount Point", "/");
    fprintf(t.f, "%s\n", blank);
    du_line(t.f, "Partition Type", "41504653-0000-11AA-AA11-00306543ECAC");
    du_line(t.f, "File System Personality", "APFS");
    du_line(t.f, "Type (Bundle)", "apfs");
    du_line(t.f, "Name (User Visible)", "APFS");
    du_line(t.f, "Owners", "Enabled");
    fprintf(t.f, "%s\n", blank);
    du_line(t.f, "OS Can Be Installed", "No");
    du_line(t.f, "Booter Disk", booter);
    du_line(t.f, "Recovery Disk", recovery);
    du_line(t.f, "Media Type", "Generic");
    du_line(t.f, "Protocol", external ? "USB" : apple ? "Apple Fabric" : "PCI-Express");
    du_line(t.f, "SMART Status", external ? "Not Supported" : "Verified");
    du_line(t.f, "Volume UUID", uuid);
    du_line(t.f, "Disk / Partition UUID", uuid);
    fprintf(t.f, "%s\n", blank);
    du_line(t.f, "Disk Size",
            external ? "1.0 TB (1000204886016 Bytes) (exactly 1953525168 512-Byte-Units)"
                     : "500.3 GB (500277790720 Bytes) (exactly 977105060 512-Byte-Units)");
    du_line(t.f, "Device Block Size", "4096 Bytes");
    fprintf(t.f, "%s\n", blank);
    du_line(t.f, "Container Total Space",
            external ? "1.0 TB (1000204886016 Bytes) (exactly 1953525168 512-Byte-Units)"
                     : "500.3 GB (500277790720 Bytes) (exactly 977105060 512-Byte-Units)");
    du_line(t.f, "Container Free Space",
            external ? "812.4 GB (812405972992 Bytes) (exactly 1586730416 512-Byte-Units)"
                     : "342.1 GB (342125383680 Bytes) (exactly 668213640 512-Byte-Units)");
    du_line(t.f, "Allocation Block Size", "4096 Bytes");
    fprintf(t.f, "%s\n", blank);
    if (modern) {
        du_line(t.f, "Media OS Use Only", "No");
        du_line(t.f, "Media Read-Only", "Yes");
        du_line(t.f, "Volume Read-Only", "Yes (read-only mount flag set)");
    } else {
        du_line(t.f, "Read-Only Media", "No");
        du_line(t.f, "Read-Only Volume", catalina ? "Yes" : "No");
    }
    fprintf(t.f, "%s\n", blank);
    du_line(t.f, "Device Location", external ? "External" : "Internal");
    du_line(t.f, "Removable Media", "Fixed");
    fprintf(t.f, "%s\n", blank);
    du_line(t.f, "Solid State", "Yes");
    du_line(t.f, "Hardware AES Support", external || (!modern && !catalina) ? "No" : "Yes");
    fprintf(t.f, "%s\n", blank);
    if (modern) {
        fprintf(t.f, "   This disk is an APFS Volume Snapshot.  APFS Information:\n");
        du_line(t.f, "APFS Snapshot Name", snap_name);
        du_line(t.f, "APFS Snapshot UUID", uuid);
    } else {
        fprintf(t.f, "   This disk is an APFS Volume.  APFS Information:\n");
    }
    du_line(t.f, "APFS Container", whole);
    du_line(t.f, "APFS Physical Store", external ? "disk4s2" : "disk0s2");
    du_line(t.f, "Fusion Drive", "No");
    if (modern || catalina)
        du_line(t.f, "APFS Volume Group", group);
    if (modern && !apple)
        du_line(t.f, "EFI Driver In macOS", "1677141001000000");
    if (modern)
        du_line(t.f, "Encrypted", "No");
    du_line(t.f, "FileVault", modern && !external ? "Yes" : "No");
    if (modern)
        du_line(t.f, "Sealed", "Yes");
    du_line(t.f, "Locked", "No");
    fprintf(t.f, "%s\n", blank);
    if (!modern)
        fprintf(t.f, "%s\n", blank);
    return write_built(w, KC_CAPTURE_DIR "/diskutil-info.txt", &t);
}

/* The name in a Developer ID certificate: the developer, or the bundle
 * ID's second label ("com.vendor.kext" gives "Vendor"). */
static void developer_of(const kext_sect *k, char *out, size_t len)
{
    const char *label, *end;

    if (k->developer != NULL) {
        kc_snprintf(out, len, "%s", k->developer);
        return;
    }
    label = strchr(k->bundle_id, '.') + 1;
    end = strchr(label, '.');
    kc_snprintf(out, len, "%.*s", (int)(end ? end - label : (ptrdiff_t)strlen(label)), label);
    if (out[0] >= 'a' && out[0] <= 'z')
        out[0] = (char)(out[0] - 'a' + 'A');
}

/* codesign -dv --verbose=4 BUNDLE as collect captures it (stderr), in the
 * shape of the real outputs in tests/fixtures/platform/cs_*.txt and a kext's
 * (RogueAmoeba/Soundflower-Original issue 23): "bundle with Mach-O thin
 * (ARCH)" or "universal (ARCH ...)" in the executable's slice order, or
 * "bundle" with the Info.plist as the nominal executable when there is no
 * code (Security's BundleDiskRep); a Developer ID chain or an ad hoc
 * signature; "PATH: code object is not signed at all" when unsigned; the
 * error codesign gives for a signature that no longer matches its code
 * ("invalid signature (code or signature have been modified)", with "In
 * architecture: ARCH" for a universal binary) when broken.  The hashes are
 * the load history's cdhash for the kext. */
static int write_codesign(writer *w, const kc_snap *s, const kext_sect *k)
{
    /* The file name fits: a description line holds at most 199 bytes, so a
     * bundle ID is far shorter than 255 - strlen("codesign-.txt"). */
    char *file = kc_kext_capture_file(KC_KCAP_CODESIGN, k->bundle_id);
    char *rel = file ? kc_asprintf("%s/%s", KC_CAPTURE_DIR, file) : NULL;
    const char *base = strrchr(k->path, '/') + 1;
    int name_len = (int)(strlen(base) - 5), rc = -1;
    const char *team = k->sig.kind == SIG_OTHER_TEAM ? k->sig.team : k->team;
    bool adhoc = k->sig.kind == SIG_ADHOC;
    char format[128], hash[65], developer[TEXT_MAX + 1];
    size_t id_len = strlen(k->bundle_id);
    text t;

    if (rel == NULL || text_open(&t) != 0) {
        w_fail(w, KC_CAPTURE_DIR, ENOMEM);
        goto done;
    }
    if (k->sig.kind == SIG_UNSIGNED) {
        fprintf(t.f, "%s: code object is not signed at all\n", k->path);
    } else if (k->sig.kind == SIG_BROKEN) {
        fprintf(t.f, "%s: invalid signature (code or signature have been modified)\n", k->path);
        if (k->exec.n > 1)
            fprintf(t.f, "In architecture: %s\n", slices[k->exec.slice[0]].name);
    } else {
        size_t o = 0;
        format[0] = '\0';
        if (k->exec.n == 0)
            kc_snprintf(format, sizeof(format), "bundle");
        else
            o = (size_t)snprintf(format, sizeof(format), "bundle with Mach-O %s (",
                                 k->exec.n == 1 ? "thin" : "universal");
        for (size_t i = 0; k->exec.n > 0 && i < k->exec.n && o < sizeof(format); i++)
            o += (size_t)snprintf(format + o, sizeof(format) - o, "%s%s", i ? " " : "",
                                  slices[k->exec.slice[i]].name);
        if (k->exec.n > 0 && o < sizeof(format))
            snprintf(format + o, sizeof(format) - o, ")");
        fake_hex(k->bundle_id, "cdhash", false, hash, 64);
        developer_of(k, developer, sizeof(developer));
        if (k->exec.n > 0)
            fprintf(t.f, "Executable=%s/Contents/MacOS/%.*s\n", k->path, name_len, base);
        else
            fprintf(t.f, "Executable=%s/Contents/Info.plist\n", k->path);
        fprintf(t.f, "Identifier=%s\n", k->bundle_id);
        fprintf(t.f, "Format=%s\n", format);
        /* The CodeDirectory: its 88-byte header, the identifier, the team
         * and one 32-byte hash per page and special slot. */
        fprintf(t.f, "CodeDirectory v=20400 size=%zu flags=%s hashes=1+3 location=embedded\n",
                88 + id_len + 1 + (adhoc ? 0 : 11) + 4 * 32,
                adhoc ? "0x2(adhoc)" : "0x0(none)");
        fprintf(t.f, "Hash type=sha256 size=32\n");
        fprintf(t.f, "CandidateCDHash sha256=%.40s\n", hash);
        fprintf(t.f, "CandidateCDHashFull sha256=%s\n", hash);
        fprintf(t.f, "Hash choices=sha256\n");
        fprintf(t.f, "CMSDigest=%s\n", hash);
        fprintf(t.f, "CMSDigestType=2\n");
        fprintf(t.f, "Page size=4096\n");
        fprintf(t.f, "CDHash=%.40s\n", hash);
        if (adhoc) {
            fprintf(t.f, "Signature=adhoc\n");
        } else {
            fprintf(t.f, "Signature size=%d\n",
                    9000 + (int)(hash2(k->bundle_id, "signature size") % 90));
            fprintf(t.f, "Authority=Developer ID Application: %s (%s)\n", developer, team);
            fprintf(t.f, "Authority=Developer ID Certification Authority\n");
            fprintf(t.f, "Authority=Apple Root CA\n");
            fprintf(t.f, "Timestamp=Feb 20, %d at 16:42:07\n", mac_year(&s->mac.macos));
        }
        /* The keys write_bundle puts in Info.plist. */
        fprintf(t.f, "Info.plist entries=%d\n", k->exec.n > 0 ? 7 : 6);
        fprintf(t.f, "TeamIdentifier=%s\n", adhoc ? "not set" : team);
        fprintf(t.f, "Sealed Resources version=2 rules=13 files=0\n");
        if (adhoc)
            fprintf(t.f, "Internal requirements count=0 size=12\n");
        else
            fprintf(t.f, "Internal requirements count=1 size=%zu\n", 164 + (id_len + 3) / 4 * 4);
    }
    rc = write_built(w, rel, &t);
done:
    free(file);
    free(rel);
    return rc;
}

/* kmutil print-diagnostics -p BUNDLE (11+): its format is not documented,
 * so the capture holds the description's lines as they are. */
static int write_diagnostics(writer *w, const kext_sect *k)
{
    char *file = kc_kext_capture_file(KC_KCAP_DIAGNOSTICS, k->bundle_id);
    char *rel = file ? kc_asprintf("%s/%s", KC_CAPTURE_DIR, file) : NULL;
    size_t n = strlen(k->diagnostics);
    char *body = kc_asprintf("%s%s", k->diagnostics,
                             n > 0 && k->diagnostics[n - 1] == '\n' ? "" : "\n");
    int rc = rel && body ? write_text(w, rel, body) : w_fail(w, KC_CAPTURE_DIR, ENOMEM);

    free(file);
    free(rel);
    free(body);
    return rc;
}

/* One "bundles" entry of the manifest. */
typedef struct owned {
    char *path;
    unsigned long uid, gid;
    long mode;
} owned;

static int cmp_owned(const void *a, const void *b)
{
    return strcmp(((const owned *)a)->path, ((const owned *)b)->path);
}

/* .kextcheck/manifest.json as `kextcheck collect` writes it (collect.c
 * write_manifest, JSON_INDENT(2) and the keys in its order), with what a
 * described Mac can say: no files copied and no commands recorded, the
 * collection time fixed in the Mac's year, and the owner and mode of every
 * bundle on disk (the staged copies macOS makes are root:wheel 0755). */
static int write_manifest(writer *w, const kc_snap *s)
{
    static const char rel[] = KC_CAPTURE_DIR "/manifest.json";
    size_t n = 0, cap = 2 * s->n_kexts + s->n_others;
    owned *items = calloc(cap ? cap : 1, sizeof(*items));
    json_t *bundles = json_array(), *doc = NULL;
    char when[32], *dump = NULL;
    int rc = -1;

    if (items == NULL || bundles == NULL)
        goto oom;
    for (size_t i = 0; i < s->n_kexts; i++) {
        const kext_sect *k = &s->kexts[i];
        if (strcmp(k->path, "none") == 0)
            continue;
        items[n++] = (owned){kc_strdup(k->path), k->owner.uid, k->owner.gid,
                             k->mode >= 0 ? k->mode : 0755};
        if (items[n - 1].path == NULL)
            goto oom;
        if (k->staged.mode > 0) {
            items[n++] = (owned){kc_asprintf("%s%s", STAGED_ROOT, k->path), 0, 0, 0755};
            if (items[n - 1].path == NULL)
                goto oom;
        }
    }
    for (size_t i = 0; i < s->n_others; i++) {
        const other_sect *o = &s->others[i];
        items[n++] = (owned){kc_strdup(o->path), o->owner.uid, o->owner.gid,
                             o->mode >= 0 ? o->mode : 0755};
        if (items[n - 1].path == NULL)
            goto oom;
    }
    qsort(items, n, sizeof(*items), cmp_owned);
    for (size_t i = 0; i < n; i++)
        if (json_array_append_new(bundles, json_pack("{s:s, s:I, s:I, s:I}", "path",
                                                     items[i].path, "uid",
                                                     (json_int_t)items[i].uid, "gid",
                                                     (json_int_t)items[i].gid, "mode",
                                                     (json_int_t)items[i].mode)) != 0)
            goto oom;
    kc_snprintf(when, sizeof(when), "%d-03-04T08:30:00Z", mac_year(&s->mac.macos));
    doc = json_pack("{s:i, s:s, s:s, s:s, s:s, s:b, s:[], s:O, s:[], s:b, s:[]}",
                    "manifest_version", 1, "tool", KC_PROGRAM, "tool_version", KEXTCHECK_VERSION,
                    "collected_at", when, "root", "/", "commands_run", 1, "files", "bundles",
                    bundles, "commands", "complete", 1, "unwritten");
    dump = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    if (dump == NULL)
        goto oom;
    rc = write_text(w, rel, dump);
    goto done;
oom:
    w_fail(w, rel, ENOMEM);
done:
    for (size_t i = 0; i < n; i++)
        free(items[i].path);
    free(items);
    json_decref(bundles);
    json_decref(doc);
    free(dump);
    return rc;
}

static int write_captures(writer *w, const kc_snap *s)
{
    const mac_sect *m = &s->mac;
    text t;
    int fd = open_dirs(w, KC_CAPTURE_DIR);

    if (fd < 0)
        return -1;
    close(fd);
    /* spctl kext-consent status / list (macos-kext-facts.md section 3). */
    if (write_text(w, KC_CAPTURE_DIR "/spctl-kext-consent-status.txt",
                   m->consent ? "Kernel Extension User Consent: ENABLED\n"
                              : "Kernel Extension User Consent: DISABLED\n") != 0)
        return -1;
    if (text_open(&t) != 0)
        return w_fail(w, KC_CAPTURE_DIR, ENOMEM);
    if (m->consent_teams.n == 0)
        fprintf(t.f, "spctl: no kext consent configuration found.\n");
    else
        fprintf(t.f, "Allowed Team Identifiers:\n");
    for (size_t i = 0; i < m->consent_teams.n; i++)
        fprintf(t.f, "%s\n", m->consent_teams.v[i]);
    if (write_built(w, KC_CAPTURE_DIR "/spctl-kext-consent-list.txt", &t) != 0 ||
        write_csrutil(w, s) != 0 || (m->loaded_list && write_kextstat(w, s) != 0))
        return -1;
    /* uname -m; sysctl -n hw.optional.arm64 prints 1 on Apple silicon and
     * nothing on Intel, where the key does not exist (reference section 2). */
    if (write_text(w, KC_CAPTURE_DIR "/uname-m.txt",
                   m->arch == ARCH_APPLE ? "arm64\n" : "x86_64\n") != 0 ||
        write_text(w, KC_CAPTURE_DIR "/sysctl-hw-optional-arm64.txt",
                   m->arch == ARCH_APPLE ? "1\n" : "") != 0)
        return -1;
    if ((m->arch == ARCH_APPLE && m->boot != BOOT_NONE && write_bputil(w, s) != 0) ||
        write_vmm(w, s) != 0 || write_diskutil(w, s) != 0)
        return -1;
    /* Per kext on disk: its signature, and (11+) kmutil's diagnostics when
     * the description gives them. */
    for (size_t i = 0; i < s->n_kexts; i++) {
        const kext_sect *k = &s->kexts[i];
        if (strcmp(k->path, "none") == 0)
            continue;
        if (write_codesign(w, s, k) != 0 ||
            (k->diagnostics != NULL && write_diagnostics(w, k) != 0))
            return -1;
    }
    return m->manifest == 1 ? write_manifest(w, s) : 0;
}

/* ---- the folder -------------------------------------------------------------- */

/* Opens DIR: new, or an empty folder of the running user's that nobody else
 * can write to (not a link).  The descriptor, or -1 with a message. */
static int open_out(const char *dir)
{
    struct stat st;
    DIR *d = NULL;
    struct dirent *de;
    int fd = -1, dup_fd;
    bool created = mkdir(dir, 0755) == 0;

    if (!created && errno != EEXIST) {
        kc_err(dir, _("cannot create the folder: %s"), strerror(errno));
        return -1;
    }
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        kc_err(dir, "%s",
               errno == ELOOP || errno == ENOTDIR
                   ? _("exists and is not a folder (or is a symbolic link)")
                   : strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0) {
        kc_err(dir, "%s", strerror(errno));
        goto fail;
    }
    if (created)
        return fd;
    if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH))) {
        kc_err(dir, "%s",
               _("the folder must belong to the running user and be writable by nobody else: "
                 "use a new folder"));
        goto fail;
    }
    dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    d = dup_fd >= 0 ? fdopendir(dup_fd) : NULL;
    if (d == NULL) {
        kc_err(dir, "%s", strerror(errno));
        if (dup_fd >= 0)
            close(dup_fd);
        goto fail;
    }
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
            kc_err(dir, "%s",
                   _("the folder is not empty; snapshot writes only into a new or empty "
                     "folder"));
            closedir(d);
            goto fail;
        }
    }
    closedir(d);
    return fd;
fail:
    close(fd);
    return -1;
}

int kc_snap_write(const kc_snap *s, const char *dir)
{
    static const char *const links[] = {"var", "etc", "tmp"};
    char *name = kc_strdup(dir);
    size_t n = name ? strlen(name) : 0;
    writer w;
    int rc = KC_EXIT_UNKNOWN;

    if (name == NULL) {
        kc_err(dir, "%s", _("out of memory"));
        return KC_EXIT_UNKNOWN;
    }
    /* "DIR/" would follow DIR when it is a link: check DIR itself. */
    while (n > 1 && name[n - 1] == '/')
        name[--n] = '\0';
    memset(&w, 0, sizeof(w));
    w.dir = name;
    w.root = open_out(name);
    if (w.root < 0) {
        free(name);
        return KC_EXIT_USAGE;
    }
    /* The Mac's own layout: /var, /etc and /tmp link into /private. */
    for (size_t i = 0; i < 3; i++) {
        char target[32];
        int fd;
        kc_snprintf(target, sizeof(target), "private/%s", links[i]);
        fd = open_dirs(&w, target);
        if (fd < 0)
            goto done;
        close(fd);
        if (symlinkat(target, w.root, links[i]) != 0) {
            w_fail(&w, links[i], errno);
            goto done;
        }
    }
    for (size_t i = 0; i < 2; i++) {
        int fd = open_dirs(&w, i ? "Library/Extensions" : "Library/StagedExtensions");
        if (fd < 0)
            goto done;
        close(fd);
    }
    if (write_system_version(&w, s) != 0 || (s->mac.database && write_database(&w, s) != 0) ||
        write_kexts(&w, s) != 0 || write_others(&w, s) != 0 || (s->mdm.present && write_mdm(&w, &s->mdm, false) != 0) ||
        (s->sysmdm.present && write_mdm(&w, &s->sysmdm, true) != 0) ||
        ((s->n_sysexts > 0 || at_least(s, 10, 15)) && write_sysext_db(&w, s) != 0) ||
        (s->mac.captures && write_captures(&w, s) != 0))
        goto done;
    rc = KC_EXIT_OK;
done:
    if (rc != KC_EXIT_OK)
        kc_err("snapshot", _("%s (what was written so far stays in %s)"),
               w.failed[0] ? w.failed : _("cannot be written"), name);
    close(w.root);
    free(name);
    return rc;
}

int kc_snapshot(const char *description, const char *dir)
{
    char why[1024];
    kc_snap *s = NULL;
    int rc;

    if (kc_snap_parse(description, &s, why, sizeof(why)) != 0) {
        kc_err("snapshot", "%s", why);
        return KC_EXIT_USAGE;
    }
    rc = kc_snap_write(s, dir);
    if (rc == KC_EXIT_OK) {
        const macos_ver *v = &s->mac.macos;
        /* TRANSLATORS: macOS VERSION (Apple silicon or Intel), then the folder. */
        printf(_("kextcheck: wrote a Mac with macOS %s (%s) into %s\n"), v->text,
               s->mac.arch == ARCH_APPLE ? _("Apple silicon") : _("Intel"), dir);
        printf(_("Check it with: kextcheck --root %s\n"), dir);
        if (fflush(stdout) != 0)
            rc = KC_EXIT_UNKNOWN;
    }
    kc_snap_free(s);
    return rc;
}
