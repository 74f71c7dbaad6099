/*
 * Stage 3, advise: every word kextcheck says about a finding.
 *
 * For each finding judge.c made, this module writes its message, the
 * evidence it stands on ("because ..." lines) and the remediation steps,
 * first step first.  The words depend on the finding and on the Mac: its
 * macOS version (where approvals are clicked), where a Recovery shell sees
 * its files, and what its enforcement is.  Nothing here reads a file or
 * decides a verdict; the ladder order is judge.c's.
 */
#include "model.h"
#include "i18n.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- writing a finding's words -------------------------------------------- */

typedef struct words {
    kc_finding *f;
    int err;
} words;

static char *vformat(const char *fmt, va_list ap)
{
    char small[512], *p;
    va_list copy;
    int n;

    va_copy(copy, ap);
    n = vsnprintf(small, sizeof(small), fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    if ((size_t)n < sizeof(small))
        return kc_strdup(small);
    p = malloc((size_t)n + 1);
    if (p != NULL && vsnprintf(p, (size_t)n + 1, fmt, ap) != n) {
        free(p);
        p = NULL;
    }
    return p;
}

static void message(words *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void because(words *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void step(words *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void message(words *w, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    free(w->f->message);
    w->f->message = vformat(fmt, ap);
    va_end(ap);
    if (w->f->message == NULL)
        w->err = -1;
}

static void push(words *w, kc_strv *sv, const char *fmt, va_list ap)
{
    char *s = vformat(fmt, ap);

    if (s == NULL || kc_strv_push(sv, s) != 0)
        w->err = -1;
    free(s);
}

static void because(words *w, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    push(w, &w->f->evidence, fmt, ap);
    va_end(ap);
}

static void step(words *w, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    push(w, &w->f->steps, fmt, ap);
    va_end(ap);
}

/* ---- what the words are about --------------------------------------------- */

typedef struct ctx {
    const kc_host *host;
    const kc_vendor_result *vr; /* NULL for host findings */
    const kc_vendor *v;         /* NULL for host findings */
} ctx;

static const char *origin_of(const kc_source *src)
{
    return src->origin ? src->origin : _("(not read)");
}

/* Where approvals are clicked, by macOS version when it is known. */
static const char *settings_pane(const kc_host *h)
{
    const kc_evidence *ev = &h->ev;

    if (!ev->os_src.ok || ev->os_major == 0)
        return _("System Preferences > Security & Privacy > General (System Settings > "
                 "Privacy & Security on macOS 13 and later)");
    return ev->os_major >= 13 ? _("System Settings > Privacy & Security")
                              : _("System Preferences > Security & Privacy > General");
}

/* The developer name the Allow prompt shows. */
static const char *developer_of(const kc_vendor *v, const kc_policy_row *row)
{
    if (row != NULL && row->developer_name != NULL && row->developer_name[0] != '\0')
        return row->developer_name;
    return v->developer_name ? v->developer_name : v->vendor;
}

static const char *version_of(const kc_bundle *b)
{
    return b->version ? b->version : b->short_version;
}

static void cite_row(words *w, const ctx *c, const kc_kext_state *k)
{
    if (k->row == NULL)
        because(w, _("KextPolicy: no kext_policy row for team %s and %s"), c->v->team_id,
                k->bundle_id);
    else if (k->row->has_flags)
        because(w, _("KextPolicy: kext_policy row (%s, %s) has allowed = %d, flags %lld"),
                c->v->team_id, k->bundle_id, k->row->allowed, k->row->flags);
    else
        because(w, _("KextPolicy: kext_policy row (%s, %s) has allowed = %d"), c->v->team_id,
                k->bundle_id, k->row->allowed);
}

static void cite_bundle(words *w, const char *what, const kc_bundle *b)
{
    if (b == NULL)
        because(w, _("files: no %s copy found"), what);
    else
        because(w, _("files: %s copy %s, version %s"), what, b->path,
                version_of(b) ? version_of(b) : _("unknown"));
}

static void step_reinstall_if(words *w, const ctx *c)
{
    step(w, _("If that does not help, uninstall %s, restart, and install it again."),
         c->v->vendor);
}

/* ---- staged copies and Recovery ------------------------------------------- */

/* The declared staged folder that holds bundle path p (or p itself). */
static const char *staged_folder_of(const kc_vendor *v, const char *p)
{
    for (size_t i = 0; i < v->staged_paths.n; i++) {
        const char *s = v->staged_paths.v[i];
        size_t n = strlen(s);
        if (strncmp(p, s, n) == 0 && (p[n] == '/' || p[n] == '\0'))
            return s;
    }
    return p;
}

/* Back up and delete a staged folder from macOS Recovery: the exact
 * commands, with the path a Recovery shell sees, quoted. */
static void steps_staged(words *w, const ctx *c, const char *folder, const char *intro)
{
    const kc_recovery_path *rp = &c->host->recovery;
    char *src = kc_asprintf("%s%s", rp->prefix ? rp->prefix : "", folder);
    char *bak = src ? kc_asprintf("%s_bak", src) : NULL;
    char *qsrc = src ? kc_shell_quote(src) : NULL, *qbak = bak ? kc_shell_quote(bak) : NULL;

    if (qsrc == NULL || qbak == NULL) {
        w->err = -1;
        goto done;
    }
    step(w, "%s", intro);
    step(w, _("Start macOS Recovery (Intel: restart holding Command-R; Apple silicon: hold "
              "the power button, then Options); in Disk Utility mount the startup disk, quit "
              "Disk Utility and open Utilities > Terminal.%s"),
         rp->guessed ? _(" The commands below assume the disk is named \"Macintosh HD\": use "
                         "the name it has under /Volumes.")
                     : "");
    step(w, _("Back up the staged folder: cp -R %s %s"), qsrc, qbak);
    step(w, _("Delete it: rm -rf %s"), qsrc);
    step(w, _("Restart the Mac and install %s again."), c->v->vendor);
done:
    free(src);
    free(bak);
    free(qsrc);
    free(qbak);
}

/* steps_staged with a first step made by the caller (taken; NULL: out of
 * memory). */
static void intro_staged(words *w, const ctx *c, const char *folder, char *intro)
{
    if (intro == NULL)
        w->err = -1;
    else
        steps_staged(w, c, folder, intro);
    free(intro);
}

/* ---- the vendor's findings ------------------------------------------------ */

static void kext_pending(words *w, const ctx *c, const kc_kext_state *k)
{
    message(w, _("%s tried to load and is waiting for approval (kext_policy.allowed = 0)"),
            k->bundle_id);
    cite_row(w, c, k);
    step(w, _("Open %s, click the lock and authenticate, click Allow beside System software "
              "from developer \"%s\" was blocked from loading, then restart the Mac."),
         settings_pane(c->host), developer_of(c->v, k->row));
    step(w, _("No Allow button? Restart the Mac and look again: the button disappears 30 "
              "minutes after installation and a restart brings it back. When several "
              "developers are listed, allow the others as well; this one may show up only "
              "after them."));
    step_reinstall_if(w, c);
}

static void kext_no_record(words *w, const ctx *c, const kc_kext_state *k)
{
    message(w, _("%s is installed but the approval database has no record of it: it has not "
                 "tried to load yet, or its approval was never recorded"),
            k->bundle_id);
    cite_row(w, c, k);
    cite_bundle(w, _("installed"), k->installed ? k->installed : k->staged);
    step(w, _("Restart the Mac: the kext's first attempt to load records it and brings up the "
              "Allow button for \"%s\" in %s; click it and restart again."),
         developer_of(c->v, NULL), settings_pane(c->host));
    step_reinstall_if(w, c);
}

static void mdm_profile_allows(words *w, const ctx *c, const kc_kext_state *k)
{
    const kc_evidence *ev = &c->host->ev;

    message(w, _("the installed MDM profile allows %s, but the approval database has not "
                 "recorded that approval yet"),
            k->bundle_id);
    because(w, _("MDM profile (%s): allows team %s%s"), origin_of(&ev->mdm_src), c->v->team_id,
            kc_strv_contains(&ev->mdm_teams, c->v->team_id) ? " (AllowedTeamIdentifiers)"
                                                             : " (AllowedKernelExtensions)");
    cite_row(w, c, k);
    step(w, _("Restart the Mac: syspolicyd records the profile's approval when the kext next "
              "tries to load."));
    step(w, _("If it is still not recorded, check that the profile was installed through a "
              "user-approved MDM enrollment: macOS ignores kext policies from other "
              "profiles."));
}

static void kext_approved(words *w, const ctx *c, const kc_kext_state *k)
{
    message(w, _("%s is approved (kext_policy.allowed = 1)"), k->bundle_id);
    cite_row(w, c, k);
}

static void kext_approved_mdm(words *w, const ctx *c, const kc_kext_state *k)
{
    bool one = k->mdm->bundle_id && k->mdm->bundle_id[0];

    message(w, _("%s is approved by an MDM profile (kext_policy_mdm, %s)"), k->bundle_id,
            one ? _("this kext") : _("the whole team"));
    if (one)
        because(w, _("KextPolicy: kext_policy_mdm row for team %s and %s"), c->v->team_id,
                k->mdm->bundle_id);
    else
        because(w, _("KextPolicy: kext_policy_mdm row for team %s (all kexts)"), c->v->team_id);
}

static void stale(words *w, const ctx *c, const kc_kext_state *k)
{
    message(w, _("the staged copy of %s is version %s but the installed copy is version %s: "
                 "macOS loads the stale staged copy"),
            k->bundle_id, version_of(k->staged), version_of(k->installed));
    cite_bundle(w, _("installed"), k->installed);
    cite_bundle(w, _("staged"), k->staged);
    intro_staged(w, c, staged_folder_of(c->v, k->staged->path),
                 kc_asprintf(_("Uninstall %s, then delete its staged copy from macOS Recovery "
                               "as the next steps show."),
                             c->v->vendor));
}

static void staged_missing(words *w, const ctx *c, const kc_kext_state *k)
{
    message(w, _("%s is approved and installed at %s, but has no staged copy under "
                 "/Library/StagedExtensions"),
            k->bundle_id, k->installed->path);
    cite_bundle(w, _("installed"), k->installed);
    because(w, _("files: no copy of %s under the staged paths"), k->bundle_id);
    step(w, _("Restart the Mac: macOS copies an approved kext into /Library/StagedExtensions "
              "when it loads it."));
    step(w, _("If the copy is still missing, check that /Library/StagedExtensions exists and "
              "belongs to root:wheel, then uninstall %s, restart, and install it again."),
         c->v->vendor);
}

static const char *sip_words(kc_sip sip)
{
    switch (sip) {
    case KC_SIP_ENABLED:
        return _("enabled");
    case KC_SIP_DISABLED:
        return _("disabled");
    case KC_SIP_CUSTOM:
        return _("custom configuration");
    default:
        return _("unknown");
    }
}

static const char *tri_words(kc_tri t)
{
    return t == KC_YES ? _("enabled") : t == KC_NO ? _("disabled") : _("unknown");
}

static void kext_loaded(words *w, const ctx *c, const kc_kext_state *k)
{
    const kc_evidence *ev = &c->host->ev;

    message(w, _("%s is loaded (version %s)"), k->bundle_id,
            k->loaded_entry->version ? k->loaded_entry->version : "?");
    because(w, _("%s (%s): %s is listed"), kc_capture_label(KC_CAP_LOADED),
            origin_of(&ev->loaded_src), k->bundle_id);
}

static void kext_not_loaded(words *w, const ctx *c, const kc_kext_state *k)
{
    const kc_evidence *ev = &c->host->ev;
    const kc_enforcement *e = &c->vr->enforcement;

    message(w, _("%s is %s but not loaded"), k->bundle_id,
            e->approval_needed ? _("approved") : _("allowed to load"));
    if (k->policy == KC_POLICY_ALLOWED || k->policy == KC_POLICY_PENDING)
        cite_row(w, c, k);
    if (k->policy == KC_POLICY_MDM)
        because(w, _("KextPolicy: kext_policy_mdm approves it"));
    because(w, _("%s (%s): %s is not among %zu loaded kexts"), kc_capture_label(KC_CAP_LOADED),
            origin_of(&ev->loaded_src), k->bundle_id, ev->n_loaded);
    cite_bundle(w, _("installed"), k->installed ? k->installed : k->staged);
    if (ev->sip_src.ok)
        because(w, _("csrutil status (%s): SIP %s, Kext Signing %s%s"), origin_of(&ev->sip_src),
                sip_words(ev->sip), tri_words(ev->kext_signing),
                e->staging_applies ? _(" (kexts are staged)") : _(" (nothing is staged)"));
    step(w, _("Uninstall %s, restart, and install it again."), c->v->vendor);
    /* The staged-copy steps name this kext's own staged folder, never
     * another's: without a staged copy of it, there is none to clear. */
    if (k->staged != NULL && e->staging_applies)
        intro_staged(w, c, staged_folder_of(c->v, k->staged->path),
                     kc_asprintf(_("If it still does not load, uninstall %s again, then delete "
                                   "its staged copy from macOS Recovery as the next steps "
                                   "show."),
                                 c->v->vendor));
    else
        step(w, _("If it still does not load, collect the case (kextcheck collect) for %s's "
                  "support."),
             c->v->vendor);
}

static void row_unexpected(words *w, const ctx *c, const kc_kext_state *k)
{
    (void)c;
    message(w, _("the kext_policy row of %s holds an allowed value that is neither 1 nor 0"),
            k->bundle_id);
    step(w, _("Look at the row with sqlite3 before acting: macOS writes only 1 (allowed) or 0 "
              "(waiting)."));
}

static void team_mismatch(words *w, const ctx *c, const kc_finding *f)
{
    const kc_vendor *v = c->v;

    if (f->sysext_entry != NULL) {
        message(w, _("system extension %s is registered under team %s, not %s"), f->subject,
                f->team, v->team_id);
        because(w, _("system extensions (%s): %s, team %s"),
                origin_of(&c->host->ev.sysext_src), f->subject, f->team);
        step(w, _("Check the app that installed %s and its signature (codesign -dv "
                  "--verbose=4); remove it if it is not %s's."),
             f->subject, v->vendor);
        return;
    }
    message(w, _("%s is recorded under team %s, not %s, in %s: a possible impostor, or wrong "
                 "plugin data"),
            f->subject, f->team, v->team_id,
            f->history ? _("the load history") : _("the approval table"));
    because(w, _("KextPolicy: %s row (%s, %s)"),
            f->history ? "kext_load_history_v3" : "kext_policy", f->team, f->subject);
    step(w, _("Check who signed the kext on disk: codesign -dv --verbose=4 <path of the .kext> "
              "prints its TeamIdentifier%s%s."),
         f->history ? _(", for example ") : "", f->history ? f->history->path : "");
    step(w, _("If it is not %s, this is not %s's kext: remove it and investigate."), v->team_id,
         v->vendor);
    step(w, _("If it is %s, the plugin's data is wrong: report it to the plugin's maintainers "
              "(%s)."),
         f->team, v->source ? v->source : v->name);
}

static void consent_listed(words *w, const ctx *c)
{
    message(w, _("team %s is on the kext-consent list: its kexts load without the user's "
                 "approval"),
            c->v->team_id);
    because(w, _("spctl kext-consent list (%s): %s is listed"),
            origin_of(&c->host->ev.consent_list_src), c->v->team_id);
}

static void consent_not_listed(words *w, const ctx *c)
{
    const kc_evidence *ev = &c->host->ev;

    message(w, _("team %s is not on the SIP kext-consent list; adding it lets its kexts load "
                 "without the user's approval"),
            c->v->team_id);
    because(w, _("spctl kext-consent list (%s): %s is not among %zu listed teams"),
            origin_of(&ev->consent_list_src), c->v->team_id, ev->consent_teams.n);
    if (ev->consent_status_src.ok)
        because(w, _("spctl kext-consent status (%s): %s"), origin_of(&ev->consent_status_src),
                ev->consent_enabled == KC_YES ? "ENABLED" : _("unknown"));
    step(w, _("Start macOS Recovery (Intel: restart holding Command-R; Apple silicon: hold the "
              "power button, then Options), open Utilities > Terminal and run: spctl "
              "kext-consent add %s"),
         c->v->team_id);
    step(w, _("Check it with: spctl kext-consent list (%s must be listed)"), c->v->team_id);
    step(w, _("Restart the Mac."));
}

static void sysext(words *w, const ctx *c, const kc_finding *f)
{
    const kc_sysext *x = f->sysext->entry;
    const char *what;

    switch (f->code) {
    case KC_F_SYSEXT_ACTIVE:
        what = _("is active");
        break;
    case KC_F_SYSEXT_WAITING_FOR_USER:
        what = _("waits for the user to allow it");
        step(w, _("Open %s, click Allow for the system software from \"%s\", and "
                  "authenticate."),
             settings_pane(c->host), developer_of(c->v, NULL));
        step(w, _("On managed Macs, an MDM com.apple.system-extension-policy payload that "
                  "allows the team approves it without the user."));
        break;
    case KC_F_SYSEXT_DISABLED:
        what = _("is installed but disabled");
        step(w, _("Enable it in %s's app, or in System Settings > General > Login Items & "
                  "Extensions on macOS 15."),
             c->v->vendor);
        step_reinstall_if(w, c);
        break;
    case KC_F_SYSEXT_ENABLING:
        what = _("is being enabled");
        step(w, _("Wait a minute and check again; restart the Mac if it stays in this state."));
        break;
    case KC_F_SYSEXT_WAITING_TO_UPGRADE:
        what = _("waits to be upgraded");
        step(w, _("Restart the Mac to finish the upgrade."));
        break;
    case KC_F_SYSEXT_UNINSTALL_PENDING:
        what = _("is being removed at the next restart");
        step(w, _("Restart the Mac to finish the removal, then install %s again if it should "
                  "stay."),
             c->v->vendor);
        break;
    case KC_F_SYSEXT_UNINSTALLING:
        what = _("is being uninstalled");
        step(w, _("Restart the Mac, then install %s again if it should stay."), c->v->vendor);
        break;
    default:
        what = x->state ? _("is in a state kextcheck does not know") : _("has no state");
        step(w, _("Check it with: systemextensionsctl list"));
        break;
    }
    message(w, _("system extension %s %s (state %s)"), x->identifier, what,
            x->state ? x->state : _("none"));
    because(w, _("system extensions (%s): %s, team %s, state %s"),
            origin_of(&c->host->ev.sysext_src), x->identifier, x->team_id ? x->team_id : _("none"),
            x->state ? x->state : _("none"));
}

static void bundle_unreadable(words *w, const ctx *c, const kc_finding *f)
{
    message(w, "%s: %s", f->bundle->path, f->bundle->error);
    step(w, _("Uninstall %s, restart, and install it again: macOS cannot approve or load a "
              "kext bundle whose Info.plist it cannot read."),
         c->v->vendor);
    step(w, _("If the damaged bundle is under /Library/StagedExtensions, delete the staged "
              "folder from macOS Recovery before installing again."));
}

static void not_installed(words *w, const ctx *c)
{
    if (c->host->db.state == KC_DB_OK)
        message(w, _("%s is not installed on this Mac: none of its paths exist and the approval "
                     "database has no row for team %s"),
                c->v->vendor, c->v->team_id);
    else
        message(w, _("%s is not installed on this Mac: none of its paths exist (the approval "
                     "database, which could not be read, was not consulted for team %s)"),
                c->v->vendor, c->v->team_id);
}

/* ---- host findings -------------------------------------------------------- */

static const struct {
    const char *slug;   /* in host finding ids: "EVIDENCE_UNREADABLE/sip" */
    const char *label;  /* in messages */
} host_items[KC_HOST__COUNT] = {
    [KC_HOST_NONE] = {"", ""},
    [KC_HOST_DB] = {"db", N_("the approval database")},
    [KC_HOST_CONSENT_STATUS] = {"consent-status", N_("spctl kext-consent status")},
    [KC_HOST_CONSENT_LIST] = {"consent-list", N_("spctl kext-consent list")},
    [KC_HOST_SIP] = {"sip", N_("csrutil status")},
    [KC_HOST_LOADED] = {"loaded", N_("the loaded-kext list")},
    [KC_HOST_MDM] = {"mdm", N_("the MDM kext policy")},
    [KC_HOST_OS] = {"os", N_("SystemVersion.plist")},
    [KC_HOST_SYSEXTS] = {"sysexts", N_("the system extension database")},
};

static const kc_source *source_of(const kc_evidence *ev, kc_host_item item)
{
    switch (item) {
    case KC_HOST_CONSENT_STATUS:
        return &ev->consent_status_src;
    case KC_HOST_CONSENT_LIST:
        return &ev->consent_list_src;
    case KC_HOST_SIP:
        return &ev->sip_src;
    case KC_HOST_LOADED:
        return &ev->loaded_src;
    case KC_HOST_MDM:
        return &ev->mdm_src;
    case KC_HOST_OS:
        return &ev->os_src;
    default:
        return &ev->sysext_src;
    }
}

static void db_unreadable(words *w, const kc_host *h, const char *why)
{
    message(w, _("the approval database %s could not be read: %s"),
            h->db.path ? h->db.path : _("(none)"), why ? why : _("unknown"));
    because(w, _("KextPolicy: state %s"), kc_db_state_name(h->db.state));
    if (h->db.state == KC_DB_MISSING)
        step(w, _("Run kextcheck on the Mac itself (sudo kextcheck), or collect the case again "
                  "with /var/db/SystemPolicyConfiguration/KextPolicy and its -wal and -shm "
                  "files."));
    else if (h->db.state == KC_DB_CORRUPT)
        step(w, _("The approval database is damaged, so macOS cannot record approvals: keep a "
                  "copy of KextPolicy with its -wal and -shm files for Apple or the vendor's "
                  "support."));
    else
        step(w, _("Run kextcheck as root (reading the approval database needs it), or collect "
                  "the case again with KextPolicy and its -wal and -shm files."));
}

static void enforcement_off(words *w, const kc_host *h, kc_code code)
{
    const kc_evidence *ev = &h->ev;
    bool sip = code != KC_F_CONSENT_DISABLED;

    message(w, _("%s: approval is not enforced, so kexts load without it%s; the approval "
                 "database is not the cause"),
            code == KC_F_SIP_DISABLED            ? _("System Integrity Protection is disabled")
            : code == KC_F_KEXT_SIGNING_DISABLED ? _("SIP's Kext Signing protection is disabled")
                                                 : _("kext user consent is disabled"),
            sip ? _(" and nothing is staged") : "");
    if (sip)
        because(w, _("csrutil status (%s): SIP %s, Kext Signing %s"), origin_of(&ev->sip_src),
                code == KC_F_SIP_DISABLED ? _("disabled") : _("custom configuration"),
                tri_words(ev->kext_signing));
    else
        because(w, _("spctl kext-consent status (%s): DISABLED"),
                origin_of(&ev->consent_status_src));
    step(w, _("Approval is not what stops a kext here. If a product still cannot start its "
              "protection, uninstall it, restart, and install it again."));
    if (sip)
        step(w, _("To protect the Mac again, run 'csrutil enable' from macOS Recovery and "
                  "restart."));
    else
        step(w, _("To require approval again, run 'spctl kext-consent enable' from macOS "
                  "Recovery and restart."));
}

static void evidence_unreadable(words *w, const kc_host *h, kc_host_item item)
{
    const kc_source *src = source_of(&h->ev, item);

    message(w, _("%s could not be used: %s"), _(host_items[item].label),
            src->error ? src->error : _("unknown"));
    because(w, "%s", origin_of(src));
    step(w, _("Until it can be read, this part of the answer is unknown: run kextcheck on the "
              "Mac as root, or collect the case again (kextcheck collect)."));
}

static int word_host(const kc_host *h, kc_finding *f)
{
    words w = {f, 0};

    f->id = f->item != KC_HOST_NONE && f->code == KC_F_EVIDENCE_UNREADABLE
                ? kc_asprintf("%s/%s", kc_code_name(f->code), host_items[f->item].slug)
                : kc_strdup(kc_code_name(f->code));
    if (f->id == NULL)
        return -1;
    switch (f->code) {
    case KC_F_POLICY_DB_UNREADABLE:
        db_unreadable(&w, h, h->db.error);
        break;
    case KC_F_POLICY_TABLES_MISSING:
        message(&w, _("the approval database %s has no approval tables: %s"),
                h->db.path ? h->db.path : _("(none)"), h->db.error ? h->db.error : _("unknown"));
        step(&w, _("Check the approval in %s: this database does not hold it."),
             settings_pane(h));
        break;
    case KC_F_SIP_DISABLED:
    case KC_F_KEXT_SIGNING_DISABLED:
    case KC_F_CONSENT_DISABLED:
        enforcement_off(&w, h, f->code);
        break;
    default:
        evidence_unreadable(&w, h, f->item);
        break;
    }
    return w.err;
}

static int word_vendor_finding(const ctx *c, kc_finding *f)
{
    words w = {f, 0};
    const kc_kext_state *k = f->kext;

    switch (f->code) {
    case KC_F_NOT_INSTALLED:
        not_installed(&w, c);
        break;
    case KC_F_KEXT_APPROVED:
        kext_approved(&w, c, k);
        break;
    case KC_F_KEXT_APPROVED_MDM:
        kext_approved_mdm(&w, c, k);
        break;
    case KC_F_CONSENT_TEAM_LISTED:
        consent_listed(&w, c);
        break;
    case KC_F_KEXT_LOADED:
        kext_loaded(&w, c, k);
        break;
    case KC_F_TEAM_MISMATCH:
        team_mismatch(&w, c, f);
        break;
    case KC_F_KEXT_PENDING_APPROVAL:
        kext_pending(&w, c, k);
        break;
    case KC_F_KEXT_NO_POLICY_RECORD:
        kext_no_record(&w, c, k);
        break;
    case KC_F_MDM_PROFILE_ALLOWS:
        mdm_profile_allows(&w, c, k);
        break;
    case KC_F_KEXT_NOT_LOADED:
        kext_not_loaded(&w, c, k);
        break;
    case KC_F_STAGED_COPY_MISSING:
        staged_missing(&w, c, k);
        break;
    case KC_F_STAGED_COPY_STALE:
        stale(&w, c, k);
        break;
    case KC_F_BUNDLE_UNREADABLE:
        bundle_unreadable(&w, c, f);
        break;
    case KC_F_POLICY_ROW_UNEXPECTED:
        row_unexpected(&w, c, k);
        break;
    case KC_F_POLICY_DB_UNREADABLE:
        db_unreadable(&w, c->host, c->vr->ev->query_error);
        break;
    case KC_F_CONSENT_TEAM_NOT_LISTED:
        consent_not_listed(&w, c);
        break;
    case KC_F_SYSEXT_ACTIVE:
    case KC_F_SYSEXT_WAITING_FOR_USER:
    case KC_F_SYSEXT_DISABLED:
    case KC_F_SYSEXT_ENABLING:
    case KC_F_SYSEXT_WAITING_TO_UPGRADE:
    case KC_F_SYSEXT_UNINSTALL_PENDING:
    case KC_F_SYSEXT_UNINSTALLING:
    case KC_F_SYSEXT_STATE_UNKNOWN:
        sysext(&w, c, f);
        break;
    default:
        /* A host code in a vendor's list: word it as the host would. */
        return word_host(c->host, f);
    }
    return w.err;
}

int kc_advise(kc_result *r)
{
    const kc_host *h = &r->model->host;

    for (size_t i = 0; i < r->n_host_findings; i++)
        if (word_host(h, &r->host_findings[i]) != 0)
            return -1;
    for (size_t i = 0; i < r->n_vendors; i++) {
        kc_vendor_result *vr = &r->vendors[i];
        ctx c = {h, vr, vr->ev->vendor};
        for (size_t j = 0; j < vr->n_findings; j++)
            if (word_vendor_finding(&c, &vr->findings[j]) != 0)
                return -1;
    }
    return 0;
}
