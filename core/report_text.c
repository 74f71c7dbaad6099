/* The human report: the Mac's evidence, findings about the whole Mac, then
 * each installed vendor, worst first, with its next step on top. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

typedef struct painter {
    FILE *out;
    bool color;
    int err;
} painter;

/* Prints s with control characters made visible (evidence may hold any bytes). */
static void put_text(painter *p, const char *s)
{
    char *clean, *shown;

    if (s == NULL)
        s = "(none)";
    clean = kc_utf8_clean(s, strlen(s));
    shown = clean ? kc_printable(clean) : NULL;
    if (shown == NULL || fputs(shown, p->out) == EOF)
        p->err = -1;
    free(clean);
    free(shown);
}

static void put_fmt(painter *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put_fmt(painter *p, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (vfprintf(p->out, fmt, ap) < 0)
        p->err = -1;
    va_end(ap);
}

static const char *status_color(kc_status s)
{
    switch (s) {
    case KC_STATUS_CRITICAL:
        return "\033[1;31m";
    case KC_STATUS_WARNING:
        return "\033[1;33m";
    case KC_STATUS_UNKNOWN:
        return "\033[1;35m";
    case KC_STATUS_OK:
        return "\033[1;32m";
    case KC_STATUS_NOT_INSTALLED:
        return "\033[2m";
    }
    return "";
}

static kc_status status_of_severity(kc_severity s)
{
    return s == KC_SEV_CRITICAL  ? KC_STATUS_CRITICAL
           : s == KC_SEV_WARNING ? KC_STATUS_WARNING
           : s == KC_SEV_UNKNOWN ? KC_STATUS_UNKNOWN
                                 : KC_STATUS_OK;
}

static void put_label(painter *p, kc_status s, const char *label, int width)
{
    char buf[32];
    size_t i;

    for (i = 0; label[i] && i < sizeof(buf) - 1; i++)
        buf[i] = (char)(label[i] >= 'a' && label[i] <= 'z' ? label[i] - 32 : label[i]);
    buf[i] = '\0';
    if (p->color)
        put_fmt(p, "%s%-*s\033[0m", status_color(s), width, buf);
    else
        put_fmt(p, "%-*s", width, buf);
}

/* Worst first; one more than the last rank counts every status. */
enum { RANK_COUNT = 5 };

static int status_rank(kc_status s)
{
    switch (s) {
    case KC_STATUS_CRITICAL:
        return 0;
    case KC_STATUS_WARNING:
        return 1;
    case KC_STATUS_UNKNOWN:
        return 2;
    case KC_STATUS_OK:
        return 3;
    case KC_STATUS_NOT_INSTALLED:
        return 4;
    }
    return 4;
}

static void put_policy(painter *p, const kc_kext_state *k)
{
    static const char *const words[] = {
        [KC_POLICY_ALLOWED] = "approved",
        [KC_POLICY_PENDING] = "WAITING FOR APPROVAL",
        [KC_POLICY_MDM] = "approved by MDM",
        [KC_POLICY_NONE] = "no approval record",
        [KC_POLICY_UNKNOWN] = "approval unknown",
    };

    put_fmt(p, "%s", words[k->policy]);
    if (k->row && k->row->has_flags)
        put_fmt(p, " (flags %lld)", k->row->flags);
}

static void put_bundle(painter *p, const char *what, const kc_bundle *b)
{
    put_fmt(p, "; %s ", what);
    if (b == NULL) {
        put_fmt(p, "-");
        return;
    }
    put_text(p, b->version ? b->version : b->short_version ? b->short_version : "?");
}

static void put_finding(painter *p, const kc_finding *f, const char *indent)
{
    kc_severity sev = kc_code_info_of(f->code)->severity;

    put_fmt(p, "%s", indent);
    put_label(p, status_of_severity(sev), kc_severity_name(sev), 9);
    put_fmt(p, "%s: ", kc_code_name(f->code));
    put_text(p, f->message);
    put_fmt(p, "\n");
    for (size_t e = 0; e < f->evidence.n; e++) {
        put_fmt(p, "%s  because ", indent);
        put_text(p, f->evidence.v[e]);
        put_fmt(p, "\n");
    }
    for (size_t s = 0; s < f->steps.n; s++) {
        put_fmt(p, "%s  %zu. ", indent, s + 1);
        put_text(p, f->steps.v[s]);
        put_fmt(p, "\n");
    }
}

static void put_next(painter *p, const kc_finding *next)
{
    if (next == NULL || next->steps.n == 0)
        return;
    put_fmt(p, "  Next step (%s, %s): ", kc_rung_name(kc_code_info_of(next->code)->rung),
            kc_code_name(next->code));
    put_text(p, next->steps.v[0]);
    put_fmt(p, "\n");
}

/* "LABEL value\n", or nothing when value is NULL. */
static void put_labelled(painter *p, const char *label, const char *value)
{
    if (value == NULL)
        return;
    put_fmt(p, "%s", label);
    put_text(p, value);
    put_fmt(p, "\n");
}

static void put_vendor(painter *p, const kc_result *res, const kc_vendor_result *r)
{
    const kc_vendor *v = r->ev->vendor;

    put_label(p, r->status, kc_status_name(r->status), 10);
    put_text(p, v->vendor);
    put_fmt(p, "\n          plugin ");
    put_text(p, v->name);
    put_fmt(p, ", team %s", v->team_id);
    if (v->sysext_team_id != NULL)
        put_fmt(p, " (system extensions: team %s)", v->sysext_team_id);
    put_fmt(p, "\n          vendor's reference: ");
    put_text(p, v->reference);
    put_fmt(p, "\n");
    put_next(p, r->next);
    /* The plugin's own help for admins (ABI 1.2), beside the next step. */
    put_labelled(p, "  Vendor's article: ", v->kb_url);
    put_labelled(p, "  Before uninstalling: ", v->uninstall_hint);
    put_labelled(p, "  Vendor diagnostics: ", v->diagnostic_command);
    put_fmt(p, "  Kexts:\n");
    for (size_t i = 0; i < r->n_kexts; i++) {
        const kc_kext_state *k = &r->kexts[i];
        put_fmt(p, "    ");
        put_text(p, k->bundle_id);
        put_fmt(p, ": ");
        put_policy(p, k);
        put_bundle(p, "installed", k->installed);
        put_bundle(p, "staged", k->staged);
        if (k->history) {
            put_fmt(p, "; last seen loading ");
            put_text(p, k->history->last_seen);
        }
        if (k->loaded == KC_YES) {
            put_fmt(p, "; loaded ");
            put_text(p, k->loaded_entry->version ? k->loaded_entry->version : "?");
        } else if (k->loaded == KC_NO) {
            put_fmt(p, "; NOT LOADED");
        }
        put_fmt(p, "\n");
    }
    for (size_t i = 0; i < r->n_sysexts; i++) {
        if (i == 0)
            put_fmt(p, "  System extensions:\n");
        put_fmt(p, "    ");
        put_text(p, r->sysexts[i].identifier);
        put_fmt(p, ": ");
        put_text(p, r->sysexts[i].entry ? r->sysexts[i].entry->state : "not registered");
        put_fmt(p, "\n");
    }
    put_fmt(p, "  Findings:\n");
    for (size_t i = 0; i < r->n_findings; i++)
        put_finding(p, &r->findings[i], "    ");
    if (r->n_host_refs > 0) {
        put_fmt(p, "  Also bearing on it (see \"This Mac\" above): ");
        for (size_t i = 0; i < r->n_host_refs; i++)
            put_fmt(p, "%s%s", i ? ", " : "", res->host_findings[r->host_refs[i]].id);
        put_fmt(p, "\n");
    }
    put_fmt(p, "\n");
}

static void put_database(painter *p, const kc_db_info *db)
{
    put_fmt(p, "Approval database: ");
    put_text(p, db->path);
    if (db->state == KC_DB_OK) {
        put_fmt(p, " (read %s; tables: kext_policy%s%s%s)\n",
                strcmp(db->access, "in_place") == 0 ? "in place, read-only"
                : strcmp(db->access, "immutable") == 0
                    ? "in place, read-only, no write-ahead log"
                    : "from a private copy: the -wal file has no -shm beside it",
                db->has_mdm ? ", kext_policy_mdm" : "",
                db->has_history ? ", kext_load_history_v3" : "",
                db->has_cdhash ? " with cdhash" : "");
    } else {
        put_fmt(p, " (%s: ", kc_db_state_name(db->state));
        put_text(p, db->error);
        put_fmt(p, ")\n");
    }
}

/* One line of the evidence summary: the value, or why it is missing. */
static void put_source(painter *p, const char *label, const kc_source *src)
{
    put_fmt(p, "  %s: ", label);
    if (!src->ok) {
        put_text(p, src->present ? "unreadable: " : "not available: ");
        put_text(p, src->error ? src->error : "not read");
        put_fmt(p, "\n");
    }
}

static void put_evidence(painter *p, const kc_host *h, const kc_platform *pl)
{
    const kc_evidence *ev = &h->ev;
    bool live = h->live;

    put_fmt(p, "Other evidence (%s):\n",
            live ? "live: commands run on this Mac" : "snapshot: captured outputs in .kextcheck/");
    put_source(p, "macOS", &ev->os_src);
    if (ev->os_src.ok) {
        put_text(p, ev->os_version);
        put_fmt(p, "\n");
    }
    put_source(p, "SIP", &ev->sip_src);
    if (ev->sip_src.ok)
        put_fmt(p, "%s; Kext Signing %s\n",
                ev->sip == KC_SIP_ENABLED    ? "enabled"
                : ev->sip == KC_SIP_DISABLED ? "disabled"
                                             : "custom configuration",
                ev->kext_signing == KC_YES  ? "enabled"
                : ev->kext_signing == KC_NO ? "disabled"
                                            : "unknown");
    put_source(p, "Kext consent", &ev->consent_status_src);
    if (ev->consent_status_src.ok)
        put_fmt(p, "%s\n", ev->consent_enabled == KC_YES ? "ENABLED" : "DISABLED");
    put_source(p, "Consent list", &ev->consent_list_src);
    if (ev->consent_list_src.ok) {
        for (size_t i = 0; i < ev->consent_teams.n; i++)
            put_fmt(p, "%s%s", i ? ", " : "", ev->consent_teams.v[i]);
        put_fmt(p, "%s\n", ev->consent_teams.n ? "" : "no teams");
    }
    put_source(p, "Loaded kexts", &ev->loaded_src);
    if (ev->loaded_src.ok)
        put_fmt(p, "%zu listed\n", ev->n_loaded);
    put_fmt(p, "  Machine: %s%s\n", kc_machine_name(pl->machine),
            pl->machine_inferred ? " (from the macOS version)"
            : pl->rosetta        ? " (kextcheck ran under Rosetta)"
                                 : "");
    if (pl->machine == KC_MACHINE_APPLE_SILICON || h->plat.bputil_src.ok) {
        put_source(p, "Boot policy", &h->plat.bputil_src);
        if (h->plat.bputil_src.ok)
            put_fmt(p, "Security Mode %s, 3rd Party Kexts %s%s\n",
                    kc_boot_security_name(h->plat.boot.v.security),
                    h->plat.boot.v.third_party_kexts == KC_YES  ? "Enabled"
                    : h->plat.boot.v.third_party_kexts == KC_NO ? "Disabled"
                                                                : "unknown",
                    h->plat.boot.blocks_differ ? " (volume groups differ)" : "");
    }
    put_source(p, "MDM kext policy", &h->kext_mdm_src);
    if (h->kext_mdm_src.ok) {
        size_t kexts = 0;
        for (size_t i = 0; i < h->kext_mdm.allowed.n; i++)
            kexts += h->kext_mdm.allowed.v[i].ids.n;
        put_fmt(p, "%zu allowed teams, %zu allowed kexts; AllowUserOverrides %s; "
                   "AllowNonAdminUserApprovals %s\n",
                h->kext_mdm.allowed_teams.n, kexts,
                h->kext_mdm.allow_user_overrides == KC_YES ? "true" : "false",
                h->kext_mdm.allow_non_admin_approvals == KC_YES ? "true" : "false");
    }
    put_source(p, "MDM system-extension policy", &h->sysext_mdm_src);
    if (h->sysext_mdm_src.ok)
        put_fmt(p, "%zu allowed teams, %zu teams with listed extensions; AllowUserOverrides "
                   "%s\n",
                h->sysext_mdm.allowed_teams.n, h->sysext_mdm.allowed.n,
                h->sysext_mdm.allow_user_overrides == KC_NO ? "false" : "true");
    put_source(p, "System extensions", &ev->sysext_src);
    if (ev->sysext_src.ok)
        put_fmt(p, "%zu registered%s\n", ev->n_sysexts,
                ev->sysexts_truncated ? " (more not read)" : "");
}

int kc_report_text(FILE *out, const kc_result *res, const kc_print_opts *o)
{
    const kc_model *m = res->model;
    painter p = {out, o->color, 0};
    size_t *idx = malloc((res->n_vendors ? res->n_vendors : 1) * sizeof(*idx));
    size_t counts[RANK_COUNT] = {0}, shown_not_installed = 0;

    if (idx == NULL)
        return -1;
    for (size_t i = 0; i < res->n_vendors; i++)
        idx[i] = i;
    /* Stable insertion sort by status, worst first. */
    for (size_t i = 1; i < res->n_vendors; i++) {
        size_t x = idx[i], j = i;
        while (j > 0 && status_rank(res->vendors[idx[j - 1]].status) >
                            status_rank(res->vendors[x].status)) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = x;
    }
    put_fmt(&p, "kextcheck %s: checking the Mac at ", KEXTCHECK_VERSION);
    put_text(&p, m->host.root);
    put_fmt(&p, "\n");
    put_database(&p, &m->host.db);
    put_evidence(&p, &m->host, &res->platform);
    put_fmt(&p, "\n");
    if (res->n_host_findings > 0) {
        put_fmt(&p, "This Mac:\n");
        for (size_t i = 0; i < res->n_host_findings; i++)
            put_finding(&p, &res->host_findings[i], "  ");
        put_fmt(&p, "\n");
    }
    for (size_t i = 0; i < res->n_vendors; i++) {
        const kc_vendor_result *r = &res->vendors[idx[i]];
        counts[status_rank(r->status)]++;
        if (r->status != KC_STATUS_NOT_INSTALLED || o->verbose)
            put_vendor(&p, res, r);
    }
    for (size_t i = 0; i < res->n_vendors && !o->verbose; i++) {
        const kc_vendor_result *r = &res->vendors[idx[i]];
        if (r->status != KC_STATUS_NOT_INSTALLED)
            continue;
        put_fmt(&p, shown_not_installed++ ? ", " : "Not installed: ");
        put_text(&p, r->ev->vendor->name);
    }
    if (shown_not_installed)
        put_fmt(&p, "\n\n");
    if (m->n_refused > 0) {
        put_fmt(&p, "Plugins refused (not checked):\n");
        for (size_t i = 0; i < m->n_refused; i++) {
            put_fmt(&p, "  ");
            put_text(&p, m->refused[i].source);
            put_fmt(&p, ": ");
            put_text(&p, m->refused[i].reason);
            put_fmt(&p, "\n");
        }
        put_fmt(&p, "\n");
    }
    put_fmt(&p, "Result: exit %d; %zu critical, %zu warning, %zu unknown, %zu ok, %zu not "
                "installed; %zu plugin%s refused\n",
            res->exit_code, counts[0], counts[1], counts[2], counts[3], counts[4], m->n_refused,
            m->n_refused == 1 ? "" : "s");
    free(idx);
    return p.err;
}

int kc_report_plugins_text(FILE *out, const kc_registry *reg)
{
    painter p = {out, false, 0};

    put_fmt(&p, "Loaded plugins: %zu (host plugin ABI %s)\n", reg->n_vendors, KC_ABI_STRING);
    for (size_t i = 0; i < reg->n_vendors; i++) {
        const kc_vendor *v = &reg->vendors[i];
        put_fmt(&p, "  ");
        put_text(&p, v->name);
        put_fmt(&p, ": ");
        put_text(&p, v->vendor);
        put_fmt(&p, "\n      team %s, %zu kext%s, %zu system extension%s, ABI %u.%u, from ",
                v->team_id, v->kexts.n, v->kexts.n == 1 ? "" : "s", v->sysexts.n,
                v->sysexts.n == 1 ? "" : "s", KC_PLUGIN_VERSION_MAJOR(v->abi_version),
                KC_PLUGIN_VERSION_MINOR(v->abi_version));
        put_text(&p, v->source);
        put_fmt(&p, "\n      source: ");
        put_text(&p, v->reference);
        put_fmt(&p, "\n");
        if (v->sysext_team_id != NULL)
            put_fmt(&p, "      system extensions signed by team %s\n", v->sysext_team_id);
        put_labelled(&p, "      vendor's article: ", v->kb_url);
        put_labelled(&p, "      before uninstalling: ", v->uninstall_hint);
        put_labelled(&p, "      vendor diagnostics: ", v->diagnostic_command);
    }
    put_fmt(&p, "Refused plugins: %zu\n", reg->n_refused);
    for (size_t i = 0; i < reg->n_refused; i++) {
        put_fmt(&p, "  ");
        put_text(&p, reg->refused[i].source);
        put_fmt(&p, "\n");
        for (size_t j = 0; j < reg->refused[i].problems.n; j++) {
            put_fmt(&p, "      - ");
            put_text(&p, reg->refused[i].problems.v[j]);
            put_fmt(&p, "\n");
        }
    }
    return p.err;
}
