/* The human report: the Mac's evidence, findings about the whole Mac, then
 * each installed vendor, worst first, with its next step on top.
 *
 * Every label is translated (i18n.h); codes (finding codes, rungs), paths,
 * bundle IDs, team IDs, versions and the captured tools' own words
 * (ENABLED, Enabled) are not.  Labels are padded by the columns a
 * terminal gives them (a Japanese character takes two), not by bytes. */
#include "report.h"
#include "i18n.h"

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
        s = _("(none)");
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

static const char *status_label(kc_status s)
{
    switch (s) {
    case KC_STATUS_CRITICAL:
        return _("CRITICAL");
    case KC_STATUS_WARNING:
        return _("WARNING");
    case KC_STATUS_UNKNOWN:
        return _("UNKNOWN");
    case KC_STATUS_OK:
        return _("OK");
    case KC_STATUS_NOT_INSTALLED:
        /* TRANSLATORS: a vendor's status, in the report's left column. */
        return _("NOT_INSTALLED");
    }
    return _("UNKNOWN");
}

/* The columns a terminal gives UTF-8 text: two for the wide characters of
 * East Asian scripts (CJK, kana, hangul, full-width forms), none for a
 * continuation byte, one for anything else. */
static int text_columns(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    int cols = 0;

    while (*u) {
        unsigned long c = *u;
        int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3
                            : (c & 0xF8) == 0xF0    ? 4
                                                    : 1;
        int k;

        if (len > 1)
            c &= 0x3Fu >> (len - 1);
        for (k = 1; k < len && (u[k] & 0xC0) == 0x80; k++)
            c = (c << 6) | (u[k] & 0x3Fu);
        if (k < len) /* cut short: one column per byte */
            len = 1;
        u += len;
        cols += (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
                        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
                        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
                        (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD)
                    ? 2
                    : 1;
    }
    return cols;
}

/* The status label, padded to width columns and followed by at least one
 * space. */
static void put_label(painter *p, kc_status s, int width)
{
    const char *label = status_label(s);
    int pad = width - text_columns(label);

    if (pad < 1)
        pad = 1;
    if (p->color)
        put_fmt(p, "%s%s%*s\033[0m", status_color(s), label, pad, "");
    else
        put_fmt(p, "%s%*s", label, pad, "");
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
        [KC_POLICY_ALLOWED] = N_("approved"),
        [KC_POLICY_PENDING] = N_("WAITING FOR APPROVAL"),
        [KC_POLICY_MDM] = N_("approved by MDM"),
        [KC_POLICY_NONE] = N_("no approval record"),
        [KC_POLICY_UNKNOWN] = N_("approval unknown"),
    };

    put_fmt(p, "%s", _(words[k->policy]));
    if (k->row && k->row->has_flags)
        put_fmt(p, _(" (flags %lld)"), k->row->flags);
}

/* "; installed 1.2" after a kext's approval: what is a translated label. */
static void put_bundle(painter *p, const char *what, const kc_bundle *b)
{
    /* TRANSLATORS: separates the parts of a kext's line ("approved; installed
       1.2; staged 1.2"); %s is "installed" or "staged". */
    put_fmt(p, _("; %s "), what);
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
    put_label(p, status_of_severity(sev), 9);
    put_fmt(p, "%s: ", kc_code_name(f->code));
    put_text(p, f->message);
    put_fmt(p, "\n");
    for (size_t e = 0; e < f->evidence.n; e++) {
        /* TRANSLATORS: starts each line of a finding's evidence. */
        put_fmt(p, "%s  %s ", indent, _("because"));
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
    /* TRANSLATORS: the rung (approve, restart, ...) and the finding code stay
       as they are. */
    put_fmt(p, _("  Next step (%s, %s): "), kc_rung_name(kc_code_info_of(next->code)->rung),
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

    put_label(p, r->status, 10);
    put_text(p, v->vendor);
    put_fmt(p, "\n          %s ", _("plugin"));
    put_text(p, v->name);
    put_fmt(p, _(", team %s"), v->team_id);
    if (v->sysext_team_id != NULL)
        put_fmt(p, _(" (system extensions: team %s)"), v->sysext_team_id);
    put_fmt(p, "\n          %s ", _("vendor's reference:"));
    put_text(p, v->reference);
    put_fmt(p, "\n");
    put_next(p, r->next);
    /* The plugin's own help for admins (ABI 1.2), beside the next step. */
    put_labelled(p, _("  Vendor's article: "), v->kb_url);
    put_labelled(p, _("  Before uninstalling: "), v->uninstall_hint);
    put_labelled(p, _("  Vendor diagnostics: "), v->diagnostic_command);
    put_fmt(p, "  %s\n", _("Kexts:"));
    for (size_t i = 0; i < r->n_kexts; i++) {
        const kc_kext_state *k = &r->kexts[i];
        put_fmt(p, "    ");
        put_text(p, k->bundle_id);
        put_fmt(p, ": ");
        put_policy(p, k);
        /* "installed 1.2", "staged 1.2": the versions of the kext's
           installed copy and of its copy in /Library/StagedExtensions. */
        put_bundle(p, _("installed"), k->installed);
        put_bundle(p, _("staged"), k->staged);
        if (k->history) {
            put_fmt(p, "%s", _("; last seen loading "));
            put_text(p, k->history->last_seen);
        }
        if (k->loaded == KC_YES) {
            put_fmt(p, "%s", _("; loaded "));
            put_text(p, k->loaded_entry->version ? k->loaded_entry->version : "?");
        } else if (k->loaded == KC_NO) {
            put_fmt(p, "%s", _("; NOT LOADED"));
        }
        put_fmt(p, "\n");
    }
    for (size_t i = 0; i < r->n_sysexts; i++) {
        if (i == 0)
            put_fmt(p, "  %s\n", _("System extensions:"));
        put_fmt(p, "    ");
        put_text(p, r->sysexts[i].identifier);
        put_fmt(p, ": ");
        put_text(p, r->sysexts[i].entry ? r->sysexts[i].entry->state : _("not registered"));
        put_fmt(p, "\n");
    }
    put_fmt(p, "  %s\n", _("Findings:"));
    for (size_t i = 0; i < r->n_findings; i++)
        put_finding(p, &r->findings[i], "    ");
    if (r->n_host_refs > 0) {
        /* TRANSLATORS: "This Mac" is the heading of the findings about the
           whole Mac ("This Mac:"): translate both alike. */
        put_fmt(p, "  %s ", _("Also bearing on it (see \"This Mac\" above):"));
        for (size_t i = 0; i < r->n_host_refs; i++)
            put_fmt(p, "%s%s", i ? ", " : "", res->host_findings[r->host_refs[i]].id);
        put_fmt(p, "\n");
    }
    put_fmt(p, "\n");
}

/* The database's state (kc_db_state_name) in words. */
static const char *db_state_words(kc_db_state s)
{
    switch (s) {
    case KC_DB_OK:
        return _("ok");
    case KC_DB_MISSING:
        return _("missing");
    case KC_DB_UNREADABLE:
        return _("unreadable");
    case KC_DB_CORRUPT:
        return _("corrupt");
    case KC_DB_NO_TABLES:
        /* TRANSLATORS: the approval database has no approval tables. */
        return _("no_tables");
    case KC_DB_BUSY:
        return _("busy");
    }
    return _("unknown");
}

static void put_database(painter *p, const kc_db_info *db)
{
    put_fmt(p, "%s ", _("Approval database:"));
    put_text(p, db->path);
    if (db->state == KC_DB_OK) {
        /* TRANSLATORS: the first %s says how the database was read; then
           the names of its tables (kext_policy, ", kext_policy_mdm", ...)
           and " with cdhash" when kext_policy has that column. */
        put_fmt(p, _(" (read %s; tables: kext_policy%s%s%s)"),
                strcmp(db->access, "in_place") == 0 ? _("in place, read-only")
                : strcmp(db->access, "immutable") == 0
                    ? _("in place, read-only, no write-ahead log")
                    : _("from a private copy: the -wal file has no -shm beside it"),
                db->has_mdm ? ", kext_policy_mdm" : "",
                db->has_history ? ", kext_load_history_v3" : "",
                db->has_cdhash ? _(" with cdhash") : "");
        put_fmt(p, "\n");
    } else {
        put_fmt(p, _(" (%s: "), db_state_words(db->state));
        put_text(p, kc_i18n_reason(db->error));
        put_fmt(p, "%s\n", _(")"));
    }
}

/* The machine (kc_machine_name) in words. */
static const char *machine_words(kc_machine m)
{
    switch (m) {
    case KC_MACHINE_INTEL:
        /* TRANSLATORS: the kind of Mac ("Machine: intel"). */
        return _("intel");
    case KC_MACHINE_APPLE_SILICON:
        /* TRANSLATORS: the kind of Mac ("Machine: apple-silicon"). */
        return _("apple-silicon");
    default:
        return _("unknown");
    }
}

/* One line of the evidence summary: the value, or why it is missing. */
static void put_source(painter *p, const char *label, const kc_source *src)
{
    put_fmt(p, _("  %s: "), label);
    if (!src->ok) {
        put_text(p, src->present ? _("unreadable: ") : _("not available: "));
        put_text(p, src->error ? kc_i18n_reason(src->error) : _("not read"));
        put_fmt(p, "\n");
    }
}

static void put_evidence(painter *p, const kc_host *h, const kc_platform *pl)
{
    const kc_evidence *ev = &h->ev;
    bool live = h->live;

    put_fmt(p, _("Other evidence (%s):"),
            live ? _("live: commands run on this Mac")
                 : _("snapshot: captured outputs in .kextcheck/"));
    put_fmt(p, "\n");
    put_source(p, "macOS", &ev->os_src);
    if (ev->os_src.ok) {
        put_text(p, ev->os_version);
        put_fmt(p, "\n");
    }
    put_source(p, "SIP", &ev->sip_src);
    if (ev->sip_src.ok) {
        put_fmt(p, _("%s; Kext Signing %s"),
                ev->sip == KC_SIP_ENABLED    ? _("enabled")
                : ev->sip == KC_SIP_DISABLED ? _("disabled")
                                             : _("custom configuration"),
                ev->kext_signing == KC_YES  ? _("enabled")
                : ev->kext_signing == KC_NO ? _("disabled")
                                            : _("unknown"));
        put_fmt(p, "\n");
    }
    /* spctl's own words (ENABLED, DISABLED) are quoted as it prints them. */
    put_source(p, _("Kext consent"), &ev->consent_status_src);
    if (ev->consent_status_src.ok)
        put_fmt(p, "%s\n", ev->consent_enabled == KC_YES ? "ENABLED" : "DISABLED");
    put_source(p, _("Consent list"), &ev->consent_list_src);
    if (ev->consent_list_src.ok) {
        for (size_t i = 0; i < ev->consent_teams.n; i++)
            put_fmt(p, "%s%s", i ? ", " : "", ev->consent_teams.v[i]);
        put_fmt(p, "%s\n", ev->consent_teams.n ? "" : _("no teams"));
    }
    put_source(p, _("Loaded kexts"), &ev->loaded_src);
    if (ev->loaded_src.ok) {
        put_fmt(p, _("%zu listed"), ev->n_loaded);
        put_fmt(p, "\n");
    }
    put_fmt(p, _("  %s: "), _("Machine"));
    put_fmt(p, "%s%s\n", machine_words(pl->machine),
            pl->machine_inferred ? _(" (from the macOS version)")
            : pl->rosetta        ? _(" (kextcheck ran under Rosetta)")
                                 : "");
    if (pl->machine == KC_MACHINE_APPLE_SILICON || h->plat.bputil_src.ok) {
        put_source(p, _("Boot policy"), &h->plat.bputil_src);
        /* TRANSLATORS: the boot policy's security mode as kextcheck names it
           (full, reduced, permissive) and bputil's own Enabled/Disabled stay
           as they are. */
        if (h->plat.bputil_src.ok) {
            put_fmt(p, _("Security Mode %s, 3rd Party Kexts %s%s"),
                    kc_boot_security_name(h->plat.boot.v.security),
                    h->plat.boot.v.third_party_kexts == KC_YES  ? "Enabled"
                    : h->plat.boot.v.third_party_kexts == KC_NO ? "Disabled"
                                                                : _("unknown"),
                    h->plat.boot.blocks_differ ? _(" (volume groups differ)") : "");
            put_fmt(p, "\n");
        }
    }
    put_source(p, _("MDM kext policy"), &h->kext_mdm_src);
    if (h->kext_mdm_src.ok) {
        size_t kexts = 0;
        for (size_t i = 0; i < h->kext_mdm.allowed.n; i++)
            kexts += h->kext_mdm.allowed.v[i].ids.n;
        /* TRANSLATORS: the profile's keys and their values (true, false)
           stay as they are. */
        put_fmt(p, _("%zu allowed teams, %zu allowed kexts; AllowUserOverrides %s; "
                     "AllowNonAdminUserApprovals %s"),
                h->kext_mdm.allowed_teams.n, kexts,
                h->kext_mdm.allow_user_overrides == KC_YES ? "true" : "false",
                h->kext_mdm.allow_non_admin_approvals == KC_YES ? "true" : "false");
        put_fmt(p, "\n");
    }
    put_source(p, _("MDM system-extension policy"), &h->sysext_mdm_src);
    if (h->sysext_mdm_src.ok) {
        put_fmt(p, _("%zu allowed teams, %zu teams with listed extensions; AllowUserOverrides "
                     "%s"),
                h->sysext_mdm.allowed_teams.n, h->sysext_mdm.allowed.n,
                h->sysext_mdm.allow_user_overrides == KC_NO ? "false" : "true");
        put_fmt(p, "\n");
    }
    put_source(p, _("System extensions"), &ev->sysext_src);
    if (ev->sysext_src.ok) {
        put_fmt(p, _("%zu registered%s"), ev->n_sysexts,
                ev->sysexts_truncated ? _(" (more not read)") : "");
        put_fmt(p, "\n");
    }
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
    /* TRANSLATORS: the Mac's folder (its root) follows. */
    put_fmt(&p, _("kextcheck %s: checking the Mac at "), KEXTCHECK_VERSION);
    put_text(&p, m->host.root);
    put_fmt(&p, "\n");
    put_database(&p, &m->host.db);
    put_evidence(&p, &m->host, &res->platform);
    put_fmt(&p, "\n");
    if (res->n_host_findings > 0) {
        put_fmt(&p, "%s\n", _("This Mac:"));
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
        put_fmt(&p, "%s", shown_not_installed++ ? _(", ") : _("Not installed: "));
        put_text(&p, r->ev->vendor->name);
    }
    if (shown_not_installed)
        put_fmt(&p, "\n\n");
    if (m->n_refused > 0) {
        put_fmt(&p, "%s\n", _("Plugins refused (not checked):"));
        for (size_t i = 0; i < m->n_refused; i++) {
            put_fmt(&p, "  ");
            put_text(&p, m->refused[i].source);
            put_fmt(&p, ": ");
            put_text(&p, m->refused[i].reason);
            put_fmt(&p, "\n");
        }
        put_fmt(&p, "\n");
    }
    /* TRANSLATORS: the vendors counted by status; then the plugins refused. */
    put_fmt(&p, _("Result: exit %d; %zu critical, %zu warning, %zu unknown, %zu ok, %zu not "
                  "installed; "),
            res->exit_code, counts[0], counts[1], counts[2], counts[3], counts[4]);
    put_fmt(&p, P_("%zu plugin refused", "%zu plugins refused", m->n_refused), m->n_refused);
    put_fmt(&p, "\n");
    free(idx);
    return p.err;
}

int kc_report_plugins_text(FILE *out, const kc_registry *reg)
{
    painter p = {out, false, 0};

    put_fmt(&p, _("Loaded plugins: %zu (host plugin ABI %s)"), reg->n_vendors, KC_ABI_STRING);
    put_fmt(&p, "\n");
    for (size_t i = 0; i < reg->n_vendors; i++) {
        const kc_vendor *v = &reg->vendors[i];
        put_fmt(&p, "  ");
        put_text(&p, v->name);
        put_fmt(&p, ": ");
        put_text(&p, v->vendor);
        put_fmt(&p, "\n      ");
        put_fmt(&p, _("team %s, "), v->team_id);
        put_fmt(&p, P_("%zu kext, ", "%zu kexts, ", v->kexts.n), v->kexts.n);
        put_fmt(&p, P_("%zu system extension, ", "%zu system extensions, ", v->sysexts.n),
                v->sysexts.n);
        /* TRANSLATORS: the plugin file follows. */
        put_fmt(&p, _("ABI %u.%u, from "), KC_PLUGIN_VERSION_MAJOR(v->abi_version),
                KC_PLUGIN_VERSION_MINOR(v->abi_version));
        put_text(&p, v->source);
        put_fmt(&p, "\n      %s ", _("source:"));
        put_text(&p, v->reference);
        put_fmt(&p, "\n");
        if (v->sysext_team_id != NULL) {
            put_fmt(&p, "      ");
            put_fmt(&p, _("system extensions signed by team %s"), v->sysext_team_id);
            put_fmt(&p, "\n");
        }
        put_labelled(&p, _("      vendor's article: "), v->kb_url);
        put_labelled(&p, _("      before uninstalling: "), v->uninstall_hint);
        put_labelled(&p, _("      vendor diagnostics: "), v->diagnostic_command);
    }
    put_fmt(&p, _("Refused plugins: %zu"), reg->n_refused);
    put_fmt(&p, "\n");
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
