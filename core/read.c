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

/* ---- the Recovery path --------------------------------------------------- */

/* The folder a shell in macOS Recovery sees the Mac's /Library under.  For
 * the Mac itself (root /) and for a collected snapshot that is its startup
 * disk under /Volumes (the "- Data" volume from macOS 10.15 on, whose name
 * is assumed); for a disk mounted on another machine, the folder given. */
static int recovery_path(kc_host *h)
{
    kc_recovery_path *r = &h->recovery;
    const kc_evidence *ev = &h->ev;
    size_t n;

    r->data_volume = ev->os_src.ok &&
                     (ev->os_major > 10 || (ev->os_major == 10 && ev->os_minor >= 15));
    if (h->collected || strcmp(h->root_real, "/") == 0) {
        r->guessed = true;
        r->prefix = kc_strdup(r->data_volume ? "/Volumes/Macintosh HD - Data"
                                             : "/Volumes/Macintosh HD");
        return r->prefix ? 0 : -1;
    }
    r->data_volume = false;
    r->prefix = kc_strdup(h->root_real);
    if (r->prefix == NULL)
        return -1;
    n = strlen(r->prefix);
    if (n > 1 && r->prefix[n - 1] == '/')
        r->prefix[n - 1] = '\0';
    return 0;
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
    if (copy_db_info(&db, &h->db) != 0 || kc_gather_evidence(g, &h->ev) != 0)
        goto done;
    h->collected = kc_rootfs_stat(g->fs, "/" KC_CAPTURE_DIR "/manifest.json", &st) == 0;
    if (recovery_path(h) != 0)
        goto done;
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
    free(h->recovery.prefix);
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
