/* Gathering the evidence beyond the approval database: command outputs
 * (run live, or read from a snapshot's captures) and the system plists. */
#include "i18n.h"
#include "kc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Adapters from the evidence parsers to the capture callback. */
#define ADAPT(name, parser)                                                               \
    static int name(const char *text, size_t len, int exit_status, void *ctx, char *why,  \
                    size_t whylen)                                                        \
    {                                                                                     \
        (void)exit_status;                                                                \
        return parser(text, len, ctx, why, whylen);                                       \
    }
ADAPT(parse_consent_status, kc_parse_consent_status)
ADAPT(parse_consent_list, kc_parse_consent_list)
ADAPT(parse_csrutil, kc_parse_csrutil)
ADAPT(parse_loaded, kc_parse_loaded)
#undef ADAPT

static const struct {
    const char *key;
    const char *path;
} tools[KC_TOOL_COUNT] = {
    [KC_TOOL_SPCTL] = {"spctl", "/usr/sbin/spctl"},
    [KC_TOOL_CSRUTIL] = {"csrutil", "/usr/bin/csrutil"},
    [KC_TOOL_KEXTSTAT] = {"kextstat", "/usr/sbin/kextstat"},
    [KC_TOOL_UNAME] = {"uname", "/usr/bin/uname"},
    [KC_TOOL_SYSCTL] = {"sysctl", "/usr/sbin/sysctl"},
    [KC_TOOL_BPUTIL] = {"bputil", "/usr/bin/bputil"},
    [KC_TOOL_DISKUTIL] = {"diskutil", "/usr/sbin/diskutil"},
    [KC_TOOL_CODESIGN] = {"codesign", "/usr/bin/codesign"},
    [KC_TOOL_KMUTIL] = {"kmutil", "/usr/bin/kmutil"},
};

const char *kc_tool_key(kc_tool t)
{
    return tools[t].key;
}

const char *kc_tool_default(kc_tool t)
{
    return tools[t].path;
}

/* Every captured command: its file in KC_CAPTURE_DIR, a label, the tool
 * and its arguments. */
static const struct {
    const char *file;
    const char *label;
    kc_tool tool;
    const char *args[3];
} captures[KC_CAP_COUNT] = {
    [KC_CAP_CONSENT_STATUS] = {"spctl-kext-consent-status.txt", "spctl kext-consent status",
                               KC_TOOL_SPCTL, {"kext-consent", "status", NULL}},
    [KC_CAP_CONSENT_LIST] = {"spctl-kext-consent-list.txt", "spctl kext-consent list",
                             KC_TOOL_SPCTL, {"kext-consent", "list", NULL}},
    [KC_CAP_SIP] = {"csrutil-status.txt", "csrutil status", KC_TOOL_CSRUTIL, {"status", NULL}},
    [KC_CAP_LOADED] = {"kextstat.txt", "kextstat", KC_TOOL_KEXTSTAT, {NULL}},
    [KC_CAP_UNAME] = {"uname-m.txt", "uname -m", KC_TOOL_UNAME, {"-m", NULL}},
    [KC_CAP_ARM64] = {"sysctl-hw-optional-arm64.txt", "sysctl -n hw.optional.arm64",
                      KC_TOOL_SYSCTL, {"-n", "hw.optional.arm64", NULL}},
    [KC_CAP_BPUTIL] = {"bputil-d.txt", "bputil -d", KC_TOOL_BPUTIL, {"-d", NULL}},
    [KC_CAP_VMM] = {"sysctl-kern-hv-vmm-present.txt", "sysctl -n kern.hv_vmm_present",
                    KC_TOOL_SYSCTL, {"-n", "kern.hv_vmm_present", NULL}},
    [KC_CAP_DISKUTIL] = {"diskutil-info.txt", "diskutil info /", KC_TOOL_DISKUTIL,
                         {"info", "/", NULL}},
};

static const struct {
    const char *prefix;
    const char *label;
    kc_tool tool;
    const char *args[3]; /* before the bundle's path */
} kext_captures[KC_KCAP_COUNT] = {
    [KC_KCAP_CODESIGN] = {"codesign-", "codesign -dv --verbose=4", KC_TOOL_CODESIGN,
                          {"-dv", "--verbose=4", NULL}},
    [KC_KCAP_DIAGNOSTICS] = {"kmutil-diagnostics-", "kmutil print-diagnostics",
                             KC_TOOL_KMUTIL, {"print-diagnostics", "-p", NULL}},
};

char *kc_kext_capture_file(kc_kext_capture_id id, const char *bundle_id)
{
    /* A bundle ID names a file only when it is a plain reverse-DNS name. */
    for (const char *p = bundle_id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '-' || *p == '_'))
            return NULL;
    if (bundle_id[0] == '\0' || bundle_id[0] == '.' || strlen(bundle_id) > KC_PLUGIN_ID_MAX)
        return NULL;
    return kc_asprintf("%s%s.txt", kext_captures[id].prefix, bundle_id);
}

const char *kc_kext_capture_label(kc_kext_capture_id id)
{
    return kext_captures[id].label;
}

void kc_kext_capture_argv(const kc_gather *g, kc_kext_capture_id id, const char *path,
                          const char *argv[5])
{
    kc_tool t = kext_captures[id].tool;
    int n = 1;

    argv[0] = g->tools[t] ? g->tools[t] : tools[t].path;
    for (int i = 0; i < 3 && kext_captures[id].args[i]; i++)
        argv[n++] = kext_captures[id].args[i];
    argv[n++] = path;
    while (n < 5)
        argv[n++] = NULL;
}

const char *kc_capture_file(kc_capture_id id)
{
    return captures[id].file;
}

const char *kc_capture_label(kc_capture_id id)
{
    return captures[id].label;
}

void kc_capture_argv(const kc_gather *g, kc_capture_id id, const char *argv[4])
{
    kc_tool t = captures[id].tool;

    argv[0] = g->tools[t] ? g->tools[t] : tools[t].path;
    for (int i = 0; i < 3; i++)
        argv[i + 1] = captures[id].args[i];
}

static int set_source(kc_source *src, bool present, const char *origin, const char *error)
{
    src->present = present;
    src->ok = error == NULL;
    free(src->origin);
    free(src->error);
    src->origin = kc_strdup(origin);
    src->error = error ? kc_utf8_clean(error, strlen(error)) : NULL;
    return src->origin == NULL || (error != NULL && src->error == NULL) ? -1 : 0;
}

/* Parses text and records the outcome in the capture's source. */
static int parse_into(kc_source *src, kc_capture_parse_fn parse, void *ctx, const char *origin,
                      const char *text, size_t len, int exit_status)
{
    char why[512], full[640];

    why[0] = '\0';
    if (parse(text, len, exit_status, ctx, why, sizeof(why)) == 0)
        return set_source(src, true, origin, NULL);
    if (exit_status > 0)
        kc_snprintf(full, sizeof(full), _("exited with status %d; %s"), exit_status, why);
    else
        kc_snprintf(full, sizeof(full), "%s", why);
    return set_source(src, true, origin, full);
}

/* A capture in a snapshot's .kextcheck/ folder (read inside the root), or
 * one named on the command line (fs NULL: path is this machine's).  A file
 * has no exit status: -1 is passed on. */
static int from_file(kc_source *src, kc_capture_parse_fn parse, void *ctx, const kc_rootfs *fs,
                     const char *path)
{
    char why[512], *data = NULL, *errpath = NULL, *origin = NULL;
    size_t len = 0;
    int rc = -1, r;

    origin = fs ? kc_asprintf("file %s%s", strcmp(fs->real, "/") == 0 ? "" : fs->real, path)
                : kc_asprintf("file %s", path);
    errpath = kc_asprintf("%s.error", path);
    if (origin == NULL || errpath == NULL)
        goto done;
    /* collect records why a capture is not to be trusted beside it. */
    if (fs != NULL && (r = kc_rootfs_read(fs, errpath, 4096, &data, &len, why, sizeof(why))) != 0) {
        char *msg;
        if (r < 0) {
            rc = set_source(src, true, origin, why);
            goto done;
        }
        while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
            data[--len] = '\0';
        msg = kc_asprintf(_("when collected: %s"), data);
        rc = msg ? set_source(src, true, origin, msg) : -1;
        free(msg);
        goto done;
    }
    free(data);
    data = NULL;
    r = fs ? kc_rootfs_read(fs, path, KC_CAPTURE_MAX, &data, &len, why, sizeof(why))
           : (kc_read_file(path, KC_CAPTURE_MAX, &data, &len, why, sizeof(why)) == 0 ? 1 : -1);
    if (r == 0) {
        rc = set_source(src, false, origin, "not in the snapshot");
        goto done;
    }
    if (r < 0) {
        rc = set_source(src, true, origin, why);
        goto done;
    }
    rc = parse_into(src, parse, ctx, origin, data, len, -1);
done:
    free(data);
    free(origin);
    free(errpath);
    return rc;
}

/* "command ARGV..." as a source's origin. */
static char *command_line(const char *const *argv)
{
    size_t len = sizeof("command");
    char *s, *p;

    for (size_t i = 0; argv[i] != NULL; i++)
        len += strlen(argv[i]) + 1;
    s = malloc(len);
    if (s == NULL)
        return NULL;
    p = s + sprintf(s, "command");
    for (size_t i = 0; argv[i] != NULL; i++)
        p += sprintf(p, " %s", argv[i]);
    return s;
}

static int from_argv(const kc_gather *g, const char *const *argv, kc_source *src,
                     kc_capture_parse_fn parse, void *ctx)
{
    kc_cmd_result r;
    char *origin;
    int rc;

    origin = command_line(argv);
    if (origin == NULL)
        return -1;
    if (kc_run_command(argv, g->timeout_ms > 0 ? g->timeout_ms : KC_DEFAULT_TIMEOUT_MS,
                       KC_CAPTURE_MAX, &r) != 0) {
        free(origin);
        return -1;
    }
    if (r.error != NULL)
        rc = set_source(src, true, origin, r.error);
    else
        rc = parse_into(src, parse, ctx, origin, r.out, r.len, r.exit_status);
    kc_cmd_result_free(&r);
    free(origin);
    return rc;
}

int kc_gather_capture(const kc_gather *g, kc_capture_id id, kc_source *src,
                      kc_capture_parse_fn parse, void *ctx)
{
    int rc;
    char *p;

    if (g->files[id] != NULL)
        return from_file(src, parse, ctx, NULL, g->files[id]);
    if (g->live) {
        const char *argv[5] = {NULL, NULL, NULL, NULL, NULL};
        kc_capture_argv(g, id, argv);
        return from_argv(g, argv, src, parse, ctx);
    }
    p = kc_asprintf("/%s/%s", KC_CAPTURE_DIR, captures[id].file);
    rc = p ? from_file(src, parse, ctx, g->fs, p) : -1;
    free(p);
    return rc;
}

int kc_gather_kext_capture(const kc_gather *g, kc_kext_capture_id id, const char *bundle_id,
                           const char *path, kc_source *src, kc_capture_parse_fn parse,
                           void *ctx)
{
    char *file = kc_kext_capture_file(id, bundle_id), *p;
    int rc;

    if (file == NULL) {
        free(src->error);
        src->error = kc_strdup(_("the bundle ID cannot name a capture file"));
        src->present = false;
        src->ok = false;
        return src->error ? 0 : -1;
    }
    if (g->live) {
        const char *argv[5];
        kc_kext_capture_argv(g, id, path, argv);
        rc = from_argv(g, argv, src, parse, ctx);
    } else {
        p = kc_asprintf("/%s/%s", KC_CAPTURE_DIR, file);
        rc = p ? from_file(src, parse, ctx, g->fs, p) : -1;
        free(p);
    }
    free(file);
    return rc;
}

/* Reads one plist source: absent is "not present", never an error.  The
 * path is resolved inside the root first (links as on the Mac). */
static int from_plist(kc_source *src, const kc_rootfs *fs, const char *mac_path, kc_evidence *ev,
                      int (*reader)(const char *, kc_evidence *, char *, size_t))
{
    char why[512], *path = NULL, *origin;
    kc_rootfs_ref ref;
    int r, rc, err = kc_rootfs_resolve(fs, mac_path, true, &ref);

    if (err == ENOMEM)
        return -1;
    if (err == 0) {
        path = ref.host_path;
        ref.host_path = NULL;
    } else {
        path = kc_asprintf("%s%s", strcmp(fs->real, "/") == 0 ? "" : fs->real, mac_path);
    }
    kc_rootfs_ref_free(&ref);
    if (path == NULL)
        return -1;
    origin = kc_asprintf("file %s", path);
    if (origin == NULL) {
        free(path);
        return -1;
    }
    why[0] = '\0';
    if (err == ENOENT || err == ENOTDIR) {
        r = 0;
    } else if (err != 0) {
        kc_snprintf(why, sizeof(why), "%s", kc_rootfs_strerror(err));
        r = -1;
    } else {
        r = reader(path, ev, why, sizeof(why));
    }
    rc = set_source(src, r != 0, origin, r == 1 ? NULL : r == 0 ? "not present" : why);
    if (rc == 0 && r == 0)
        src->ok = false;
    free(path);
    free(origin);
    return rc;
}

int kc_gather_evidence(const kc_gather *g, kc_evidence *ev)
{
    memset(ev, 0, sizeof(*ev));
    ev->consent_enabled = KC_UNKNOWN;
    ev->kext_signing = KC_UNKNOWN;
    ev->sip = KC_SIP_UNKNOWN;
    if (kc_gather_capture(g, KC_CAP_CONSENT_STATUS, &ev->consent_status_src,
                          parse_consent_status, ev) != 0 ||
        kc_gather_capture(g, KC_CAP_CONSENT_LIST, &ev->consent_list_src, parse_consent_list,
                          ev) != 0 ||
        kc_gather_capture(g, KC_CAP_SIP, &ev->sip_src, parse_csrutil, ev) != 0 ||
        kc_gather_capture(g, KC_CAP_LOADED, &ev->loaded_src, parse_loaded, ev) != 0)
        return -1;
    if (from_plist(&ev->os_src, g->fs, KC_SYSTEM_VERSION_PLIST, ev, kc_read_system_version) ||
        from_plist(&ev->sysext_src, g->fs, KC_SYSEXT_DB_PLIST, ev, kc_read_sysext_db))
        return -1;
    return 0;
}
