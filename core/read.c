/*
 * Stage 1, read: everything kextcheck knows about the Mac, gathered once
 * into a kc_model.  The only stage that touches the file system, SQLite or
 * other processes; judge, advise and the printers work on the model alone.
 *
 *  - host: the approval database's state, the captures or commands (spctl,
 *    csrutil, kextstat), the plists (macOS version, MDM policy, system
 *    extensions), whether the root is a collected snapshot, and where a
 *    Recovery shell sees the Mac's files;
 *  - per vendor: its declared paths, the kext bundles under them and the
 *    database rows of its team and bundle IDs.
 */
#include "i18n.h"
#include "model.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- the machine ----------------------------------------------------------- */

static int parse_uname(const char *text, size_t len, int exit_status, void *ctx, char *why,
                       size_t whylen)
{
    (void)exit_status;
    return kc_parse_uname_m(text, len, &((kc_platform_ev *)ctx)->uname, why, whylen);
}

/* On an Intel Mac the key does not exist: sysctl fails and prints nothing.
 * A captured file has no exit status, so an empty one means that too. */
static int parse_arm64(const char *text, size_t len, int exit_status, void *ctx, char *why,
                       size_t whylen)
{
    bool failed = exit_status > 0 || (exit_status < 0 && len == 0);

    return kc_parse_hw_optional_arm64(text, len, failed, &((kc_platform_ev *)ctx)->arm64, why,
                                      whylen);
}

static int parse_bputil(const char *text, size_t len, int exit_status, void *ctx, char *why,
                        size_t whylen)
{
    (void)exit_status;
    return kc_parse_bputil(text, len, &((kc_platform_ev *)ctx)->boot, why, whylen);
}

/* Older macOS has no kern.hv_vmm_present: sysctl fails without a word. */
static int parse_vmm(const char *text, size_t len, int exit_status, void *ctx, char *why,
                     size_t whylen)
{
    bool failed = exit_status > 0 || (exit_status < 0 && len == 0);

    return kc_parse_hv_vmm_present(text, len, failed, &((kc_platform_ev *)ctx)->vmm, why, whylen);
}

static int parse_diskutil(const char *text, size_t len, int exit_status, void *ctx, char *why,
                          size_t whylen)
{
    (void)exit_status;
    return kc_parse_diskutil_info(text, len, &((kc_platform_ev *)ctx)->disk, why, whylen);
}

static int parse_codesign(const char *text, size_t len, int exit_status, void *ctx, char *why,
                          size_t whylen)
{
    /* codesign exits 1 for an unsigned bundle: its words say so. */
    (void)exit_status;
    return kc_parse_codesign(text, len, &((kc_kext_extra *)ctx)->codesign, why, whylen);
}

#define DIAG_LINES_MAX 8

/* kmutil print-diagnostics: kept as its first non-empty lines (its format
 * is not documented). */
static int parse_diagnostics(const char *text, size_t len, int exit_status, void *ctx,
                             char *why, size_t whylen)
{
    kc_kext_extra *x = ctx;
    size_t start = 0;

    (void)exit_status;
    kc_strv_free(&x->diag_lines);
    if (memchr(text, '\0', len) != NULL) {
        kc_snprintf(why, whylen, "%s", _("the output holds a NUL byte"));
        return -1;
    }
    for (size_t i = 0; i <= len && x->diag_lines.n < DIAG_LINES_MAX; i++) {
        if (i < len && text[i] != '\n')
            continue;
        {
            size_t n = i - start;
            while (n > 0 && (text[start + n - 1] == '\r' || text[start + n - 1] == ' '))
                n--;
            if (n > 0) {
                char *line = kc_utf8_clean(text + start, n);
                int rc = line ? kc_strv_push(&x->diag_lines, line) : -1;
                free(line);
                if (rc != 0) {
                    kc_snprintf(why, whylen, "%s", _("out of memory"));
                    return -1;
                }
            }
        }
        start = i + 1;
    }
    return 0;
}

static int set_source(kc_source *src, bool present, const char *origin, const char *error)
{
    free(src->origin);
    free(src->error);
    src->present = present;
    src->ok = error == NULL;
    src->origin = origin ? kc_strdup(origin) : NULL;
    src->error = error ? kc_utf8_clean(error, strlen(error)) : NULL;
    return (origin && !src->origin) || (error && !src->error) ? -1 : 0;
}

static int read_platform(const kc_gather *g, kc_platform_ev *p)
{
    int rc;

    if (kc_gather_capture(g, KC_CAP_UNAME, &p->uname_src, parse_uname, p) != 0 ||
        kc_gather_capture(g, KC_CAP_ARM64, &p->arm64_src, parse_arm64, p) != 0)
        return -1;
    /* An Intel Mac has no boot policy to show: bputil is not run there. */
    if (g->live && g->files[KC_CAP_BPUTIL] == NULL &&
        kc_machine_from(p->uname_src.ok ? p->uname : KC_UNAME_UNKNOWN,
                        p->arm64_src.ok ? p->arm64 : KC_SYSCTL_UNKNOWN, NULL) ==
            KC_MACHINE_INTEL)
        rc = set_source(&p->bputil_src, false, NULL,
                        _("not run: an Intel Mac has no boot policy"));
    else
        rc = kc_gather_capture(g, KC_CAP_BPUTIL, &p->bputil_src, parse_bputil, p);
    if (rc != 0)
        return rc;
    p->vmm = KC_UNKNOWN;
    if (kc_gather_capture(g, KC_CAP_VMM, &p->vmm_src, parse_vmm, p) != 0 ||
        kc_gather_capture(g, KC_CAP_DISKUTIL, &p->disk_src, parse_diskutil, p) != 0)
        return -1;
    return 0;
}

/* A policy plist of the Mac's Managed Preferences: absent is "not
 * present", never an error. */
static int read_policy(const kc_rootfs *fs, const char *mac_path, kc_source *src,
                       int (*parse)(const char *, size_t, void *, char *, size_t), void *out)
{
    char why[512], *data = NULL, *origin;
    size_t len = 0;
    int r, rc;

    origin = kc_asprintf("file %s%s", strcmp(fs->real, "/") == 0 ? "" : fs->real, mac_path);
    if (origin == NULL)
        return -1;
    r = kc_rootfs_read(fs, mac_path, KC_PLIST_MAX, &data, &len, why, sizeof(why));
    if (r == 0)
        rc = set_source(src, false, origin, "not present");
    else if (r < 0)
        rc = set_source(src, true, origin, why);
    else if (parse(data, len, out, why, sizeof(why)) != 0)
        rc = set_source(src, true, origin, why);
    else
        rc = set_source(src, true, origin, NULL);
    free(data);
    free(origin);
    return rc;
}

static int parse_kext_policy(const char *data, size_t len, void *out, char *why, size_t whylen)
{
    return kc_parse_kext_policy(data, len, out, why, whylen);
}

static int parse_sysext_policy(const char *data, size_t len, void *out, char *why,
                               size_t whylen)
{
    return kc_parse_sysext_policy(data, len, out, why, whylen);
}

/* ---- the database ---------------------------------------------------------- */

static int copy_db_info(const kc_policydb *db, kc_db_info *out)
{
    out->state = db->state;
    out->access = db->access;
    out->has_kext_policy = db->has_kext_policy;
    out->has_mdm = db->has_mdm;
    out->has_history = db->has_history;
    out->has_cdhash = db->has_cdhash;
    out->path = db->path ? kc_strdup(db->path) : NULL;
    out->error = db->error ? kc_strdup(db->error) : NULL;
    return (db->path && !out->path) || (db->error && !out->error) ? -1 : 0;
}

/* ---- one vendor ------------------------------------------------------------ */

static const kc_bundle *first_with_id(const kc_bundles *b, const char *id)
{
    for (size_t i = 0; i < b->n; i++)
        if (b->items[i].bundle_id != NULL && strcmp(b->items[i].bundle_id, id) == 0)
            return &b->items[i];
    return NULL;
}

/* The captures about each declared kext on disk: its signature, and on
 * macOS 11+ kmutil's diagnostics. */
static int read_extras(const kc_gather *g, bool modern, kc_vendor_evidence *ve)
{
    const kc_vendor *v = ve->vendor;

    ve->extras = calloc(v->kexts.n ? v->kexts.n : 1, sizeof(*ve->extras));
    if (ve->extras == NULL)
        return -1;
    for (size_t i = 0; i < v->kexts.n; i++) {
        const kc_bundle *b = first_with_id(&ve->installed, v->kexts.v[i]);
        kc_kext_extra *x;
        if (b == NULL)
            b = first_with_id(&ve->staged, v->kexts.v[i]);
        if (b == NULL)
            continue;
        x = &ve->extras[ve->n_extras++];
        x->bundle_id = v->kexts.v[i];
        x->bundle = b;
        if (kc_gather_kext_capture(g, KC_KCAP_CODESIGN, x->bundle_id, b->path, &x->codesign_src,
                                   parse_codesign, x) != 0)
            return -1;
        if (!modern && g->live) {
            if (set_source(&x->diag_src, false, NULL,
                           _("not run: kmutil exists from macOS 11")) != 0)
                return -1;
        } else if (kc_gather_kext_capture(g, KC_KCAP_DIAGNOSTICS, x->bundle_id, b->path,
                                          &x->diag_src, parse_diagnostics, x) != 0) {
            return -1;
        }
    }
    return 0;
}

/* rows: this vendor's rows, read for all vendors at once (taken), or NULL
 * when that read failed (db->error says why). */
static int read_vendor(const kc_gather *g, const kc_policydb *db, bool modern,
                       const kc_vendor *v, kc_policy_rows *rows, kc_vendor_evidence *out)
{
    const kc_rootfs *fs = g->fs;
    size_t np = v->install_paths.n + v->staged_paths.n;

    out->vendor = v;
    out->paths = calloc(np ? np : 1, sizeof(*out->paths));
    if (out->paths == NULL)
        return -1;
    for (size_t i = 0; i < np; i++) {
        bool staged = i >= v->install_paths.n;
        const char *p = staged ? v->staged_paths.v[i - v->install_paths.n]
                               : v->install_paths.v[i];
        int found = kc_bundles_scan(fs, p, staged ? &out->staged : &out->installed);
        if (found < 0)
            return -1;
        out->paths[out->n_paths].path = p;
        out->paths[out->n_paths].staged = staged;
        out->paths[out->n_paths].present = found == 1;
        out->n_paths++;
    }
    if (db->state == KC_DB_OK && rows == NULL) {
        out->query_error = kc_strdup(db->error ? db->error : _("query failed"));
        if (out->query_error == NULL)
            return -1;
    } else if (rows != NULL) {
        out->rows = *rows;
        memset(rows, 0, sizeof(*rows));
    }
    return read_extras(g, modern, out);
}

/* ---- who owns the bundles ------------------------------------------------- */

static void mark_owner(kc_bundles *b, json_t *entries)
{
    for (size_t i = 0; i < b->n; i++) {
        kc_bundle *k = &b->items[i];
        size_t j;
        json_t *e;
        if (entries == NULL) {
            k->owner_known = true; /* the Mac itself */
            continue;
        }
        json_array_foreach(entries, j, e) {
            json_t *path = json_object_get(e, "path"), *uid = json_object_get(e, "uid"),
                   *gid = json_object_get(e, "gid"), *mode = json_object_get(e, "mode");
            if (!json_is_string(path) || strcmp(json_string_value(path), k->path) != 0 ||
                !json_is_integer(uid) || !json_is_integer(gid) || !json_is_integer(mode) ||
                json_integer_value(uid) < 0 || json_integer_value(gid) < 0 ||
                json_integer_value(mode) < 0 || json_integer_value(mode) > 07777)
                continue;
            k->uid = (unsigned long)json_integer_value(uid);
            k->gid = (unsigned long)json_integer_value(gid);
            k->mode = (unsigned)json_integer_value(mode);
            k->owner_known = true;
            break;
        }
    }
}

/* On the Mac itself stat tells who owns each bundle; a copy cannot, so
 * a collected snapshot's manifest.json records it ("bundles": path, uid,
 * gid, mode) and is believed for the paths it names. */
static int owners(const kc_gather *g, kc_model *m)
{
    char why[256], *data = NULL;
    size_t len = 0;
    json_t *manifest = NULL, *entries = NULL;
    bool live_root = strcmp(g->fs->real, "/") == 0;
    int r;

    if (!live_root) {
        r = kc_rootfs_read(g->fs, "/" KC_CAPTURE_DIR "/manifest.json", KC_PLIST_MAX, &data, &len,
                           why, sizeof(why));
        if (r > 0)
            manifest = json_loadb(data, len, JSON_REJECT_DUPLICATES, NULL);
        free(data);
        entries = manifest ? json_object_get(manifest, "bundles") : NULL;
        if (!json_is_array(entries)) {
            json_decref(manifest);
            return 0;
        }
    }
    m->host.owners_known = true;
    mark_owner(&m->host.other_kexts, entries);
    for (size_t i = 0; i < m->n_vendors; i++) {
        mark_owner(&m->vendors[i].installed, entries);
        mark_owner(&m->vendors[i].staged, entries);
    }
    json_decref(manifest);
    return 0;
}

/* ---- all of it ------------------------------------------------------------- */

int kc_read(const kc_gather *g, const char *db_file, const kc_vendor *const *vendors,
            size_t n_vendors, kc_model *m)
{
    kc_host *h = &m->host;
    kc_policydb db;
    struct stat st;
    bool modern, rows_ok = false;
    kc_policy_rows *rows = NULL;
    kc_vendor *flat = NULL; /* the declarations side by side, as read_all takes them */
    int rc = -1;

    memset(m, 0, sizeof(*m));
    memset(&db, 0, sizeof(db));
    h->root = kc_strdup(g->root);
    h->root_real = kc_strdup(g->fs->real);
    h->live = g->live;
    if (h->root == NULL || h->root_real == NULL)
        goto done;
    if (db_file != NULL)
        kc_policydb_open_file(&db, db_file, NULL);
    else
        kc_policydb_open_root(&db, g->fs, KC_POLICY_DB_PATH, NULL);
    if (copy_db_info(&db, &h->db) != 0 || kc_gather_evidence(g, &h->ev) != 0 ||
        read_platform(g, &h->plat) != 0 ||
        read_policy(g->fs, KC_MDM_POLICY_PLIST, &h->kext_mdm_src, parse_kext_policy,
                    &h->kext_mdm) != 0 ||
        read_policy(g->fs, KC_SYSEXT_MDM_PLIST, &h->sysext_mdm_src, parse_sysext_policy,
                    &h->sysext_mdm) != 0)
        goto done;
    h->collected = kc_rootfs_stat(g->fs, "/" KC_CAPTURE_DIR "/manifest.json", &st) == 0;
    modern = h->ev.os_src.ok && h->ev.os_major >= 11;
    if (h->plat.disk_src.ok && h->plat.disk.volume_name != NULL) {
        h->recovery.volume = kc_strdup(h->plat.disk.volume_name);
        if (h->recovery.volume == NULL)
            goto done;
    }
    if (kc_bundles_scan(g->fs, "/Library/Extensions", &h->other_kexts) < 0 ||
        kc_bundles_scan(g->fs, "/Library/StagedExtensions", &h->other_kexts) < 0)
        goto done;
    m->vendors = calloc(n_vendors ? n_vendors : 1, sizeof(*m->vendors));
    rows = calloc(n_vendors ? n_vendors : 1, sizeof(*rows));
    flat = calloc(n_vendors ? n_vendors : 1, sizeof(*flat));
    if (m->vendors == NULL || rows == NULL || flat == NULL)
        goto done;
    /* Every vendor's rows in one read: index lookups for each team, one
     * pass per table for bundle IDs under other teams. */
    for (size_t i = 0; i < n_vendors; i++)
        flat[i] = *vendors[i];
    rows_ok = db.state == KC_DB_OK && kc_policydb_read_all(&db, flat, n_vendors, rows) == 0;
    for (size_t i = 0; i < n_vendors; i++) {
        m->n_vendors++;
        if (read_vendor(g, &db, modern, vendors[i], rows_ok ? &rows[i] : NULL,
                        &m->vendors[i]) != 0)
            goto done;
    }
    if (owners(g, m) != 0)
        goto done;
    rc = 0;
done:
    for (size_t i = 0; rows != NULL && i < n_vendors; i++)
        kc_policy_rows_free(&rows[i]);
    free(rows);
    free(flat);
    kc_policydb_close(&db);
    return rc;
}

void kc_model_free(kc_model *m)
{
    kc_host *h = &m->host;

    free(h->root);
    free(h->root_real);
    free(h->db.path);
    free(h->db.error);
    kc_evidence_free(&h->ev);
    free(h->recovery.volume);
    kc_source_free(&h->plat.uname_src);
    kc_source_free(&h->plat.arm64_src);
    kc_source_free(&h->plat.bputil_src);
    kc_source_free(&h->kext_mdm_src);
    kc_kext_policy_free(&h->kext_mdm);
    kc_source_free(&h->sysext_mdm_src);
    kc_sysext_policy_free(&h->sysext_mdm);
    kc_source_free(&h->plat.vmm_src);
    kc_source_free(&h->plat.disk_src);
    kc_boot_volume_free(&h->plat.disk);
    kc_bundles_free(&h->other_kexts);
    for (size_t i = 0; i < m->n_vendors; i++) {
        kc_vendor_evidence *v = &m->vendors[i];
        free(v->paths);
        kc_bundles_free(&v->installed);
        kc_bundles_free(&v->staged);
        kc_policy_rows_free(&v->rows);
        free(v->query_error);
        for (size_t j = 0; j < v->n_extras; j++) {
            kc_source_free(&v->extras[j].codesign_src);
            kc_codesign_free(&v->extras[j].codesign);
            kc_source_free(&v->extras[j].diag_src);
            kc_strv_free(&v->extras[j].diag_lines);
        }
        free(v->extras);
    }
    free(m->vendors);
    memset(m, 0, sizeof(*m));
}
