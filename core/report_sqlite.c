/*
 * The result as an SQLite database (--format sqlite --output FILE), for
 * osquery's Automatic Table Construction (conf/osquery/kextcheck-atc.json)
 * and anything else that reads SQLite.  Tables (docs/fleet.md):
 *
 *   host      one row: the tool, when, which Mac, the worst status, exit code
 *   vendors   one row per vendor plugin checked
 *   kexts     one row per kext of a vendor (declared, or found under its team)
 *   findings  one row per finding; host findings have vendor NULL and
 *             scope 'host'
 *
 * The database is built in memory and written out whole with
 * sqlite3_serialize(), so this printer, like the others, only writes to the
 * stream it is given (outfile.c renames the finished file into place).  No
 * column is named "path": osquery's ATC adds its own "path" column (the
 * database file) to every row.
 */
#include "report.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* Bumped when a table or column changes (PRAGMA user_version, host.schema_version). */
#define KC_SQLITE_SCHEMA_VERSION 1

static const char schema[] =
    "PRAGMA user_version = " KC_STR(KC_SQLITE_SCHEMA_VERSION) ";"
    "CREATE TABLE host ("
    " tool TEXT, tool_version TEXT, schema_version INTEGER, generated_at TEXT,"
    " generated_unix INTEGER, hostname TEXT, root TEXT, mode TEXT, macos_version TEXT,"
    " machine TEXT, policy_db_state TEXT, status TEXT, exit_code INTEGER,"
    " vendors_installed INTEGER, plugins_refused INTEGER);"
    "CREATE TABLE vendors ("
    " vendor TEXT PRIMARY KEY, name TEXT, team_id TEXT, installed INTEGER, status TEXT,"
    " next_step_code TEXT, next_step_rung TEXT, next_step TEXT, reference TEXT);"
    "CREATE TABLE kexts ("
    " vendor TEXT, bundle_id TEXT, declared INTEGER, policy TEXT, loaded INTEGER,"
    " mdm_profile INTEGER, installed_version TEXT, installed_bundle TEXT,"
    " staged_version TEXT, staged_bundle TEXT);"
    "CREATE TABLE findings ("
    " vendor TEXT, scope TEXT, seq INTEGER, finding_id TEXT, code TEXT, severity TEXT,"
    " rung TEXT, subject TEXT, is_next INTEGER, message TEXT, next_step TEXT,"
    " remediation TEXT, evidence TEXT);";

typedef struct sqlw {
    sqlite3 *db;
    sqlite3_stmt *st;
    int col;
    int rc;       /* the first SQLite error, or SQLITE_OK */
} sqlw;

static void begin(sqlw *w, const char *sql)
{
    if (w->rc != SQLITE_OK)
        return;
    w->col = 0;
    w->rc = sqlite3_prepare_v2(w->db, sql, -1, &w->st, NULL);
}

/* Evidence may hold any bytes: every string is made valid UTF-8 first. */
static void text(sqlw *w, const char *s)
{
    char *clean;

    w->col++;
    if (w->rc != SQLITE_OK)
        return;
    if (s == NULL) {
        w->rc = sqlite3_bind_null(w->st, w->col);
        return;
    }
    clean = kc_utf8_clean(s, strlen(s));
    if (clean == NULL) {
        w->rc = SQLITE_NOMEM;
        return;
    }
    w->rc = sqlite3_bind_text(w->st, w->col, clean, -1, free);
}

static void integer(sqlw *w, long long v)
{
    w->col++;
    if (w->rc == SQLITE_OK)
        w->rc = sqlite3_bind_int64(w->st, w->col, v);
}

static void null(sqlw *w)
{
    w->col++;
    if (w->rc == SQLITE_OK)
        w->rc = sqlite3_bind_null(w->st, w->col);
}

static void tri(sqlw *w, kc_tri t)
{
    if (t == KC_UNKNOWN)
        null(w);
    else
        integer(w, t == KC_YES);
}

static void end(sqlw *w)
{
    if (w->rc == SQLITE_OK) {
        int s = sqlite3_step(w->st);
        w->rc = s == SQLITE_DONE ? SQLITE_OK : s;
    }
    sqlite3_finalize(w->st);
    w->st = NULL;
}

/* Lines joined with "\n" (NULL for none). */
static char *joined(const kc_strv *sv)
{
    size_t n = 0, o = 0;
    char *s;

    if (sv->n == 0)
        return NULL;
    for (size_t i = 0; i < sv->n; i++)
        n += strlen(sv->v[i]) + 1;
    s = malloc(n);
    if (s == NULL)
        return NULL;
    for (size_t i = 0; i < sv->n; i++) {
        size_t l = strlen(sv->v[i]);
        memcpy(s + o, sv->v[i], l);
        o += l;
        s[o++] = i + 1 < sv->n ? '\n' : '\0';
    }
    return s;
}

static void strv_text(sqlw *w, const kc_strv *sv)
{
    char *s = joined(sv);

    if (s == NULL && sv->n > 0) {
        w->col++;
        w->rc = SQLITE_NOMEM;
        return;
    }
    text(w, s);
    free(s);
}

static void host_row(sqlw *w, const kc_result *r, const kc_print_opts *o)
{
    const kc_model *m = r->model;
    char when[32];
    long long installed = 0;

    for (size_t i = 0; i < r->n_vendors; i++)
        installed += r->vendors[i].installed;
    kc_report_time(o, when, sizeof(when));
    begin(w, "INSERT INTO host VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    text(w, KC_PROGRAM);
    text(w, KEXTCHECK_VERSION);
    integer(w, KC_SQLITE_SCHEMA_VERSION);
    text(w, when);
    integer(w, o->generated_at);
    text(w, o->hostname);
    text(w, m->host.root);
    text(w, m->host.live ? "live" : "snapshot");
    text(w, m->host.ev.os_version);
    text(w, kc_machine_name(r->platform.machine));
    text(w, kc_db_state_name(m->host.db.state));
    text(w, kc_result_status(r));
    integer(w, r->exit_code);
    integer(w, installed);
    integer(w, (long long)m->n_refused);
    end(w);
}

static bool has_next(const kc_finding *next)
{
    return next != NULL && next->steps.n > 0;
}

static void vendor_row(sqlw *w, const kc_vendor_result *vr)
{
    const kc_vendor *v = vr->ev->vendor;
    bool next = has_next(vr->next);

    begin(w, "INSERT INTO vendors VALUES (?,?,?,?,?,?,?,?,?)");
    text(w, v->name);
    text(w, v->vendor);
    text(w, v->team_id);
    integer(w, vr->installed);
    text(w, kc_status_name(vr->status));
    text(w, next ? kc_code_name(vr->next->code) : NULL);
    text(w, next ? kc_rung_name(kc_code_info_of(vr->next->code)->rung) : NULL);
    text(w, next ? vr->next->steps.v[0] : NULL);
    text(w, v->reference);
    end(w);
}

static const char *version_of(const kc_bundle *b)
{
    return b == NULL ? NULL : b->version ? b->version : b->short_version;
}

static void kext_row(sqlw *w, const kc_vendor *v, const kc_kext_state *k)
{
    begin(w, "INSERT INTO kexts VALUES (?,?,?,?,?,?,?,?,?,?)");
    text(w, v->name);
    text(w, k->bundle_id);
    integer(w, k->declared);
    text(w, kc_policy_name(k->policy));
    tri(w, k->loaded);
    integer(w, k->mdm_profile);
    text(w, version_of(k->installed));
    text(w, k->installed ? k->installed->path : NULL);
    text(w, version_of(k->staged));
    text(w, k->staged ? k->staged->path : NULL);
    end(w);
}

static void finding_row(sqlw *w, const kc_vendor *v, long long seq, const kc_finding *f,
                        bool is_next)
{
    const kc_code_info *ci = kc_code_info_of(f->code);

    begin(w, "INSERT INTO findings VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
    text(w, v ? v->name : NULL);
    text(w, v ? "vendor" : "host");
    integer(w, seq);
    text(w, f->id ? f->id : ci->name);
    text(w, ci->name);
    text(w, kc_severity_name(ci->severity));
    text(w, kc_rung_name(ci->rung));
    text(w, f->subject);
    integer(w, is_next);
    text(w, f->message);
    text(w, f->steps.n ? f->steps.v[0] : NULL);
    strv_text(w, &f->steps);
    strv_text(w, &f->evidence);
    end(w);
}

static int build(sqlite3 *db, const kc_result *r, const kc_print_opts *o)
{
    sqlw w = {db, NULL, 0, SQLITE_OK};
    long long seq = 0;

    w.rc = sqlite3_exec(db, schema, NULL, NULL, NULL);
    if (w.rc == SQLITE_OK)
        w.rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    host_row(&w, r, o);
    for (size_t i = 0; i < r->n_host_findings; i++)
        finding_row(&w, NULL, ++seq, &r->host_findings[i], false);
    for (size_t i = 0; i < r->n_vendors; i++) {
        const kc_vendor_result *vr = &r->vendors[i];
        const kc_vendor *v = vr->ev->vendor;
        vendor_row(&w, vr);
        for (size_t j = 0; j < vr->n_kexts; j++)
            kext_row(&w, v, &vr->kexts[j]);
        for (size_t j = 0; j < vr->n_findings; j++)
            finding_row(&w, v, ++seq, &vr->findings[j],
                        has_next(vr->next) && vr->next == &vr->findings[j]);
    }
    if (w.rc == SQLITE_OK)
        w.rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    return w.rc == SQLITE_OK ? 0 : -1;
}

int kc_report_sqlite(FILE *out, const kc_result *r, const kc_print_opts *o)
{
    sqlite3 *db = NULL;
    unsigned char *image = NULL;
    sqlite3_int64 size = 0;
    int rc = -1;

    if (sqlite3_open_v2(":memory:", &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK)
        goto done;
    if (build(db, r, o) != 0)
        goto done;
    image = sqlite3_serialize(db, "main", &size, 0);
    if (image == NULL || size <= 0)
        goto done;
    if (fwrite(image, 1, (size_t)size, out) != (size_t)size)
        goto done;
    rc = 0;
done:
    sqlite3_free(image);
    sqlite3_close(db);
    return rc;
}
