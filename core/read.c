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
#include "model.h"

#include <errno.h>
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
    if (kc_gather_capture(g, KC_CAP_UNAME, &p->uname_src, parse_uname, p) != 0 ||
        kc_gather_capture(g, KC_CAP_ARM64, &p->arm64_src, parse_arm64, p) != 0)
        return -1;
    /* An Intel Mac has no boot policy to show: bputil is not run there. */
    if (g->live && g->files[KC_CAP_BPUTIL] == NULL &&
        kc_machine_from(p->uname_src.ok ? p->uname : KC_UNAME_UNKNOWN,
                        p->arm64_src.ok ? p->arm64 : KC_SYSCTL_UNKNOWN, NULL) ==
            KC_MACHINE_INTEL)
        return set_source(&p->bputil_src, false, NULL, "not run: an Intel Mac has no boot policy");
    return kc_gather_capture(g, KC_CAP_BPUTIL, &p->bputil_src, parse_bputil, p);
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

static int read_vendor(const kc_rootfs *fs, kc_policydb *db, const kc_vendor *v,
                       kc_vendor_evidence *out)
{
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
    if (db->state == KC_DB_OK &&
        kc_policydb_query(db, v->team_id, &v->kexts, &out->rows) != 0) {
        out->query_error = kc_strdup(db->error ? db->error : "query failed");
        if (out->query_error == NULL)
            return -1;
    }
    return 0;
}

/* ---- all of it ------------------------------------------------------------- */

int kc_read(const kc_gather *g, const char *db_file, const kc_vendor *const *vendors,
            size_t n_vendors, kc_model *m)
{
    kc_host *h = &m->host;
    kc_policydb db;
    struct stat st;
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
    m->vendors = calloc(n_vendors ? n_vendors : 1, sizeof(*m->vendors));
    if (m->vendors == NULL)
        goto done;
    for (size_t i = 0; i < n_vendors; i++) {
        m->n_vendors++;
        if (read_vendor(g->fs, &db, vendors[i], &m->vendors[i]) != 0)
            goto done;
    }
    rc = 0;
done:
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
    for (size_t i = 0; i < m->n_vendors; i++) {
        kc_vendor_evidence *v = &m->vendors[i];
        free(v->paths);
        kc_bundles_free(&v->installed);
        kc_bundles_free(&v->staged);
        kc_policy_rows_free(&v->rows);
        free(v->query_error);
    }
    free(m->vendors);
    memset(m, 0, sizeof(*m));
}
