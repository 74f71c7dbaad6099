/* Gathering the evidence beyond the approval database: command outputs
 * (run live, or read from a snapshot's captures) and the system plists. */
#include "kc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef int (*parse_fn)(const char *, size_t, kc_evidence *, char *, size_t);

static const struct {
    const char *file;
    const char *label;
    parse_fn parse;
} captures[KC_CAP_COUNT] = {
    [KC_CAP_CONSENT_STATUS] = {"spctl-kext-consent-status.txt", "spctl kext-consent status",
                               kc_parse_consent_status},
    [KC_CAP_CONSENT_LIST] = {"spctl-kext-consent-list.txt", "spctl kext-consent list",
                             kc_parse_consent_list},
    [KC_CAP_SIP] = {"csrutil-status.txt", "csrutil status", kc_parse_csrutil},
    [KC_CAP_LOADED] = {"kextstat.txt", "kextstat", kc_parse_loaded},
};

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
    argv[1] = argv[2] = argv[3] = NULL;
    switch (id) {
    case KC_CAP_CONSENT_STATUS:
    case KC_CAP_CONSENT_LIST:
        argv[0] = g->spctl ? g->spctl : "/usr/sbin/spctl";
        argv[1] = "kext-consent";
        argv[2] = id == KC_CAP_CONSENT_STATUS ? "status" : "list";
        break;
    case KC_CAP_SIP:
        argv[0] = g->csrutil ? g->csrutil : "/usr/bin/csrutil";
        argv[1] = "status";
        break;
    default:
        argv[0] = g->kextstat ? g->kextstat : "/usr/sbin/kextstat";
        break;
    }
}

static kc_source *source_of(kc_evidence *ev, kc_capture_id id)
{
    switch (id) {
    case KC_CAP_CONSENT_STATUS:
        return &ev->consent_status_src;
    case KC_CAP_CONSENT_LIST:
        return &ev->consent_list_src;
    case KC_CAP_SIP:
        return &ev->sip_src;
    default:
        return &ev->loaded_src;
    }
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

/* Parses text into ev and records the outcome in the capture's source. */
static int parse_into(kc_evidence *ev, kc_capture_id id, const char *origin, const char *text,
                      size_t len, int exit_status)
{
    char why[512], full[640];

    if (captures[id].parse(text, len, ev, why, sizeof(why)) == 0)
        return set_source(source_of(ev, id), true, origin, NULL);
    if (exit_status > 0)
        kc_snprintf(full, sizeof(full), "exited with status %d; %s", exit_status, why);
    else
        kc_snprintf(full, sizeof(full), "%s", why);
    return set_source(source_of(ev, id), true, origin, full);
}

/* A capture in a snapshot's .kextcheck/ folder (read inside the root), or
 * one named on the command line (fs NULL: path is this machine's). */
static int from_file(kc_evidence *ev, kc_capture_id id, const kc_rootfs *fs, const char *path)
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
            rc = set_source(source_of(ev, id), true, origin, why);
            goto done;
        }
        while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r'))
            data[--len] = '\0';
        msg = kc_asprintf("when collected: %s", data);
        rc = msg ? set_source(source_of(ev, id), true, origin, msg) : -1;
        free(msg);
        goto done;
    }
    free(data);
    data = NULL;
    r = fs ? kc_rootfs_read(fs, path, KC_CAPTURE_MAX, &data, &len, why, sizeof(why))
           : (kc_read_file(path, KC_CAPTURE_MAX, &data, &len, why, sizeof(why)) == 0 ? 1 : -1);
    if (r == 0) {
        rc = set_source(source_of(ev, id), false, origin, "not in the snapshot");
        goto done;
    }
    if (r < 0) {
        rc = set_source(source_of(ev, id), true, origin, why);
        goto done;
    }
    rc = parse_into(ev, id, origin, data, len, 0);
done:
    free(data);
    free(origin);
    free(errpath);
    return rc;
}

static int from_command(const kc_gather *g, kc_evidence *ev, kc_capture_id id)
{
    const char *argv[4];
    kc_cmd_result r;
    char *origin;
    int rc;

    kc_capture_argv(g, id, argv);
    origin = kc_asprintf("command %s %s%s%s", argv[0], argv[1] ? argv[1] : "",
                         argv[2] ? " " : "", argv[2] ? argv[2] : "");
    if (origin == NULL)
        return -1;
    if (kc_run_command(argv, g->timeout_ms > 0 ? g->timeout_ms : KC_DEFAULT_TIMEOUT_MS,
                       KC_CAPTURE_MAX, &r) != 0) {
        free(origin);
        return -1;
    }
    if (r.error != NULL)
        rc = set_source(source_of(ev, id), true, origin, r.error);
    else
        rc = parse_into(ev, id, origin, r.out, r.len, r.exit_status);
    kc_cmd_result_free(&r);
    free(origin);
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
    ev->mdm_user_overrides = KC_UNKNOWN;
    ev->sip = KC_SIP_UNKNOWN;
    for (int i = 0; i < KC_CAP_COUNT; i++) {
        int rc;
        if (g->files[i] != NULL) {
            rc = from_file(ev, (kc_capture_id)i, NULL, g->files[i]);
        } else if (g->live) {
            rc = from_command(g, ev, (kc_capture_id)i);
        } else {
            char *p = kc_asprintf("/%s/%s", KC_CAPTURE_DIR, captures[i].file);
            rc = p ? from_file(ev, (kc_capture_id)i, g->fs, p) : -1;
            free(p);
        }
        if (rc != 0)
            return -1;
    }
    if (from_plist(&ev->os_src, g->fs, KC_SYSTEM_VERSION_PLIST, ev, kc_read_system_version) ||
        from_plist(&ev->mdm_src, g->fs, KC_MDM_POLICY_PLIST, ev, kc_read_mdm_policy) ||
        from_plist(&ev->sysext_src, g->fs, KC_SYSEXT_DB_PLIST, ev, kc_read_sysext_db))
        return -1;
    return 0;
}
