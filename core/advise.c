/*
 * Stage 3, advise: every word kextcheck says about a finding.
 *
 * For each finding judge.c made, this module writes its message, the
 * evidence it stands on ("because ..." lines) and the remediation steps,
 * first step first.  The words depend on the finding and on the Mac's
 * platform (kc_platform): its macOS version (where approvals are clicked,
 * which tools exist), Intel or Apple silicon (how Recovery starts, the boot
 * policy), its MDM policy (who may approve), and what its enforcement is.
 * Nothing here reads a file or decides a verdict; the ladder is judge.c's.
 *
 * Sources of the version-dependent words (see also
 * shared reference notes macos-11-plus-and-apple-silicon.md):
 *  - 10.13-12: System Preferences > Security & Privacy > General, click the
 *    lock first (Apple HT208019 for 10.13);
 *  - 13 and later: System Settings > Privacy & Security, Security section,
 *    no lock, a password is asked (third-party guides);
 *  - system extensions on 15: System Settings > General > Login Items &
 *    Extensions, by category (Der Flounder; Apple developer forums 764384);
 *  - Recovery: Command-R on Intel; on Apple silicon shut down, hold the
 *    power button until "Loading startup options", Options (Apple
 *    mchl768f7291); the Data volume is /Volumes/<name> - Data from 10.15;
 *  - clearing staging: kextcache --clear-staging (late 10.13, 10.14,
 *    10.15), kmutil clear-staging (11+) (kext_tools, kmutil(8));
 *  - restart after approval on 11+: the Auxiliary Kernel Collection (Apple
 *    support 102026); MDM RestartDevice with RebuildKernelCache (Apple
 *    device-management, 11.0+);
 *  - Startup Security Utility and "Allow user management of kernel
 *    extensions from identified developers" (Apple Platform Deployment,
 *    Kernel extensions in macOS).
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
    const kc_result *result;
    const kc_host *host;
    const kc_platform *p;
    const kc_recovery *rec;     /* where Recovery sees the Mac (kc_advise fills it) */
    const kc_vendor_result *vr; /* NULL for host findings */
    const kc_vendor *v;         /* NULL for host findings */
    kc_strv *cleared;           /* staged folders whose Recovery steps are written */
} ctx;

static const char *origin_of(const kc_source *src)
{
    return src->origin ? src->origin : _("(not read)");
}

/* Which macOS the words are for. */
typedef enum era { ERA_UNKNOWN, ERA_PREFS, ERA_SETTINGS } era;

/* Up to 12 System Preferences, from 13 System Settings. */
static era era_of(const kc_platform *p)
{
    if (!p->os_known)
        return ERA_UNKNOWN;
    return p->os_major >= 13 ? ERA_SETTINGS : ERA_PREFS;
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

static void cite_macos(words *w, const ctx *c)
{
    const kc_platform *p = c->p;

    if (p->os_known)
        because(w, _("SystemVersion.plist (%s): macOS %s%s"), origin_of(&c->host->ev.os_src),
                c->host->ev.os_version ? c->host->ev.os_version : "?",
                p->machine == KC_MACHINE_APPLE_SILICON ? _(", Apple silicon")
                : p->machine == KC_MACHINE_INTEL        ? _(", Intel")
                                                        : "");
}

static void step_reinstall_if(words *w, const ctx *c)
{
    step(w, _("If that does not help, uninstall %s, restart, and install it again."),
         c->v->vendor);
}

/* ---- approving ------------------------------------------------------------- */

/* Who can click Allow: an administrator on 11+ unless MDM lets standard
 * users (AllowNonAdminUserApprovals). */
static const char *approver(const ctx *c)
{
    if (kc_platform_modern(c->p) && !c->p->non_admin_approvals)
        return _("an administrator's");
    return _("your");
}

static void step_allow_kext(words *w, const ctx *c, const char *developer)
{
    switch (era_of(c->p)) {
    case ERA_PREFS:
        step(w, _("Open System Preferences > Security & Privacy > General, click the lock and "
                  "enter %s name and password, click Allow beside System software from "
                  "developer \"%s\" was blocked from loading, then restart the Mac."),
             approver(c), developer);
        break;
    case ERA_SETTINGS:
        step(w, _("Open System Settings > Privacy & Security; in the Security section click "
                  "Allow beside System software from developer \"%s\" was blocked from "
                  "loading, enter %s name and password when asked, then restart the Mac."),
             developer, approver(c));
        break;
    default:
        step(w, _("Open System Settings > Privacy & Security (macOS 13 and later) or System "
                  "Preferences > Security & Privacy > General (macOS 10.13 to 12, after "
                  "clicking the lock), click Allow beside System software from developer "
                  "\"%s\" was blocked from loading, give %s name and password when asked, "
                  "then restart the Mac."),
             developer,
             c->p->non_admin_approvals ? _("your")
             : kc_platform_modern(c->p) ? _("an administrator's")
                                        : _("an administrator's (on macOS 11 and later)"));
        break;
    }
}

/* The notes that go with an Allow step. */
static void steps_allow_notes(words *w, const ctx *c, size_t waiting)
{
    if (c->p->machine == KC_MACHINE_APPLE_SILICON && c->p->kexts_allowed != KC_YES)
        step(w, _("On Apple silicon the Allow button appears only once the boot policy lets "
                  "kexts load (Reduced Security with user management of kernel extensions: "
                  "see the boot policy finding)."));
    if (kc_platform_modern(c->p))
        step(w, _("No Allow button? Restart the Mac and look again. When several developers "
                  "are listed, allow the others as well; this one may show up only after "
                  "them."));
    else
        step(w, _("No Allow button? Restart the Mac and look again: the button disappears 30 "
                  "minutes after installation and a restart brings it back. When several "
                  "developers are listed, allow the others as well; this one may show up only "
                  "after them."));
    if (waiting > 1)
        step(w, _("One Allow approves this developer's other waiting kexts in the same folder "
                  "as well (documented for macOS 10.13)."));
    step(w, _("Click Allow at the Mac itself: users report that the button ignores clicks "
              "sent over Screen Sharing or remote control, and may not appear while tools "
              "that generate input events run (approving with the keyboard was reported to "
              "work)."));
}

/* How many of the vendor's kexts wait for an approval. */
static size_t waiting_kexts(const kc_vendor_result *vr)
{
    size_t n = 0;

    for (size_t i = 0; i < vr->n_findings; i++)
        n += vr->findings[i].code == KC_F_KEXT_PENDING_APPROVAL ||
             vr->findings[i].code == KC_F_KEXT_NO_POLICY_RECORD;
    return n;
}

/* With SIP off the row may not be what stops the kext: say what SIP does
 * on this version. */
static void cite_sip_context(words *w, const ctx *c)
{
    const kc_evidence *ev = &c->host->ev;
    const kc_enforcement *e = &c->vr->enforcement;

    if (!e->sip_off && !e->signing_off)
        return;
    because(w, _("csrutil status (%s): SIP %s, Kext Signing %s: %s"), origin_of(&ev->sip_src),
            sip_words(ev->sip), tri_words(ev->kext_signing),
            kc_platform_modern(c->p)
                ? _("on macOS 11 and later approval is still required")
            : kc_platform_legacy(c->p)
                ? _("on macOS 10.13-10.15 approval is probably not enforced then, but the row "
                    "says the kext waits")
                : _("approval is still required on macOS 11 and later, probably not on "
                    "10.13-10.15"));
}

static void kext_pending(words *w, const ctx *c, const kc_kext_state *k)
{
    message(w, _("%s tried to load and is waiting for approval (kext_policy.allowed = 0)"),
            k->bundle_id);
    cite_row(w, c, k);
    cite_sip_context(w, c);
    step_allow_kext(w, c, developer_of(c->v, k->row));
    steps_allow_notes(w, c, waiting_kexts(c->vr));
    step_reinstall_if(w, c);
}

static void kext_no_record(words *w, const ctx *c, const kc_kext_state *k)
{
    message(w, _("%s is installed but the approval database has no record of it: it has not "
                 "tried to load yet, or its approval was never recorded"),
            k->bundle_id);
    cite_row(w, c, k);
    cite_bundle(w, _("installed"), k->installed ? k->installed : k->staged);
    cite_sip_context(w, c);
    step(w, _("Restart the Mac: the kext's first attempt to load records it and brings up the "
              "Allow button for \"%s\"."),
         developer_of(c->v, NULL));
    step_allow_kext(w, c, developer_of(c->v, NULL));
    steps_allow_notes(w, c, waiting_kexts(c->vr));
    step_reinstall_if(w, c);
}

static void mdm_blocks(words *w, const ctx *c, const kc_kext_state *k)
{
    const kc_host *h = c->host;

    message(w, _("%s needs approval, but the installed MDM kernel-extension policy lets users "
                 "approve only the kexts it lists (AllowUserOverrides is %s) and it lists "
                 "neither team %s nor %s: the fix is the profile, not a click"),
            k->bundle_id, h->kext_mdm.allow_user_overrides == KC_NO ? _("false") : _("absent"),
            c->v->team_id, k->bundle_id);
    cite_row(w, c, k);
    because(w, _("MDM kernel-extension policy (%s): %zu allowed teams, AllowUserOverrides %s"),
            origin_of(&h->kext_mdm_src), h->kext_mdm.allowed_teams.n,
            h->kext_mdm.allow_user_overrides == KC_NO ? "false" : _("absent (false)"));
    step(w, _("In the MDM, add team %s to the kernel-extension policy's AllowedTeamIdentifiers "
              "(or %s under %s in AllowedKernelExtensions) and push the profile to this Mac."),
         c->v->team_id, k->bundle_id, c->v->team_id);
    step(w, _("Then restart the Mac: the approval is recorded when the kext next tries to "
              "load."));
    step(w, _("Or set AllowUserOverrides to true in the policy so users can approve kexts it "
              "does not list."));
}

static void mdm_profile_allows(words *w, const ctx *c, const kc_kext_state *k)
{
    const kc_host *h = c->host;

    message(w, _("the installed MDM profile allows %s, but the approval database has not "
                 "recorded that approval yet"),
            k->bundle_id);
    because(w, _("MDM profile (%s): allows team %s%s"), origin_of(&h->kext_mdm_src),
            c->v->team_id,
            kc_strv_contains(&h->kext_mdm.allowed_teams, c->v->team_id)
                ? " (AllowedTeamIdentifiers)"
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

/* ---- staged copies and Recovery --------------------------------------------- */

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

/* Clearing /Library/StagedExtensions without Recovery, for this macOS. */
static void step_clear_staging(words *w, const ctx *c)
{
    if (kc_platform_modern(c->p))
        step(w, _("Clear the staged copies without Recovery: sudo kmutil clear-staging, then "
                  "restart the Mac."));
    else if (kc_platform_legacy(c->p))
        step(w, _("Clear the staged copies without Recovery: sudo kextcache --clear-staging "
                  "(macOS 10.14, 10.15 and late 10.13 releases), then restart the Mac."));
    else
        step(w, _("Clear the staged copies without Recovery: sudo kmutil clear-staging (macOS "
                  "11 and later) or sudo kextcache --clear-staging (10.14 and 10.15), then "
                  "restart the Mac."));
}

static void step_start_recovery(words *w, const ctx *c, const char *then)
{
    /* TRANSLATORS: how to start macOS Recovery, then what to do there: two
       sentences of the same step. */
    step(w, _("%s %s"), c->rec->start, then);
}

/* Back up and delete a staged folder from macOS Recovery: the exact
 * commands, with the path a Recovery shell sees on the Mac itself (never
 * one of the machine running kextcheck), and the backup outside
 * /Library/StagedExtensions, where macOS may prune it. */
static void steps_recovery(words *w, const ctx *c, const char *folder)
{
    const kc_recovery *rec = c->rec;
    char *src = kc_asprintf("%s%s", rec->volume, folder);
    char *qsrc = src ? kc_shell_quote(src) : NULL, *qbak = kc_shell_quote(rec->backup);

    if (qsrc == NULL || qbak == NULL) {
        w->err = -1;
        goto done;
    }
    step_start_recovery(w, c, rec->mount);
    if (rec->name_assumed)
        step(w, _("The commands below assume the startup disk is named \"Macintosh HD\"%s: use "
                  "the name it has under /Volumes."),
             rec->version_assumed ? _(" and macOS 10.15 or later (before 10.15 drop \" - Data\")")
                                  : "");
    else if (rec->version_assumed)
        step(w, _("The commands below assume macOS 10.15 or later (before 10.15 drop \" - "
                  "Data\")."));
    step(w, _("Back up the staged folder outside /Library/StagedExtensions, where macOS may "
              "prune it: mkdir -p %s && cp -R %s %s/"),
         qbak, qsrc, qbak);
    step(w, _("Delete it: rm -rf %s"), qsrc);
    step(w, _("Restart the Mac and install %s again."), c->v->vendor);
done:
    free(src);
    free(qsrc);
    free(qbak);
}

/* The Recovery steps for folder, once per vendor: a later finding that
 * needs the same folder cleared refers to the first. */
static void steps_recovery_once(words *w, const ctx *c, const char *folder, const char *intro)
{
    w->f->staged_folder = folder;
    for (size_t i = 0; i < c->cleared->n; i++)
        if (strcmp(c->cleared->v[i], folder) == 0) {
            step(w, _("If that does not help, delete the staged folder %s from macOS Recovery "
                      "as the steps above show."),
                 folder);
            return;
        }
    if (kc_strv_push(c->cleared, folder) != 0) {
        w->err = -1;
        return;
    }
    step(w, "%s", intro);
    steps_recovery(w, c, folder);
}

static void stale(words *w, const ctx *c, const kc_kext_state *k)
{
    char *intro;

    message(w, _("the staged copy of %s is version %s but the installed copy is version %s: "
                 "macOS may load the stale staged copy"),
            k->bundle_id, version_of(k->staged), version_of(k->installed));
    cite_bundle(w, _("installed"), k->installed);
    cite_bundle(w, _("staged"), k->staged);
    step(w, _("Restart the Mac: macOS copies a kext into /Library/StagedExtensions again when "
              "the copies differ, the next time it loads it."));
    step_clear_staging(w, c);
    intro = kc_asprintf(_("If the stale copy is still there: uninstall %s, then delete its "
                          "staged copy from macOS Recovery as the next steps show."),
                        c->v->vendor);
    if (intro == NULL)
        w->err = -1;
    else
        steps_recovery_once(w, c, staged_folder_of(c->v, k->staged->path), intro);
    free(intro);
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

/* ---- loaded or not ------------------------------------------------------------ */

static void kext_loaded(words *w, const ctx *c, const kc_kext_state *k)
{
    message(w, _("%s is loaded (version %s)"), k->bundle_id,
            k->loaded_entry->version ? k->loaded_entry->version : "?");
    because(w, _("the loaded-kext list (%s): %s is listed"),
            origin_of(&c->host->ev.loaded_src), k->bundle_id);
}

static void cite_not_loaded(words *w, const ctx *c, const kc_kext_state *k)
{
    const kc_evidence *ev = &c->host->ev;
    const kc_enforcement *e = &c->vr->enforcement;

    if (k->policy == KC_POLICY_ALLOWED || k->policy == KC_POLICY_PENDING)
        cite_row(w, c, k);
    if (k->policy == KC_POLICY_MDM)
        because(w, _("KextPolicy: kext_policy_mdm approves it"));
    because(w, _("the loaded-kext list (%s): %s is not among %zu loaded kexts"),
            origin_of(&ev->loaded_src), k->bundle_id, ev->n_loaded);
    cite_bundle(w, _("installed"), k->installed ? k->installed : k->staged);
    if (ev->sip_src.ok)
        because(w, _("csrutil status (%s): SIP %s, Kext Signing %s%s"), origin_of(&ev->sip_src),
                sip_words(ev->sip), tri_words(ev->kext_signing),
                e->staging_applies ? _(" (kexts are staged)") : _(" (nothing is staged)"));
    cite_macos(w, c);
}

/* After the restart and the reinstall: clear staging, then Recovery. */
static void steps_after_reinstall(words *w, const ctx *c, const kc_kext_state *k)
{
    if (k->staged != NULL && c->vr->enforcement.staging_applies) {
        step_clear_staging(w, c);
        char *intro = kc_asprintf(_("If it still does not load: uninstall %s again, then "
                                    "delete its staged copy from macOS Recovery as the next "
                                    "steps show."),
                                  c->v->vendor);
        if (intro == NULL)
            w->err = -1;
        else
            steps_recovery_once(w, c, staged_folder_of(c->v, k->staged->path), intro);
        free(intro);
    } else {
        step(w, _("If it still does not load, collect the case (sudo kextcheck collect DIR) "
                  "for %s's support."),
             c->v->vendor);
    }
}

/* The volume a Recovery shell names for the Mac's system (not - Data). */
static const char *system_volume(const ctx *c)
{
    return c->host->recovery.volume ? c->host->recovery.volume : "Macintosh HD";
}

/* For a Mac that no longer starts because of a kext (11+). */
static void step_panic_medic(words *w, const ctx *c)
{
    char *vol = kc_asprintf("/Volumes/%s", system_volume(c)), *q = vol ? kc_shell_quote(vol) : NULL;

    if (q == NULL)
        w->err = -1;
    else
        step(w, _("If the Mac no longer starts (a restart loop), run in macOS Recovery's "
                  "Terminal: kmutil trigger-panic-medic --volume-root %s. It removes and "
                  "disables the third-party kexts, so each must be approved again "
                  "afterwards."),
             q);
    free(vol);
    free(q);
}

static void cite_diagnostics(words *w, const ctx *c, const kc_kext_state *k)
{
    for (size_t i = 0; i < c->vr->ev->n_extras; i++) {
        const kc_kext_extra *x = &c->vr->ev->extras[i];
        if (strcmp(x->bundle_id, k->bundle_id) != 0 || !x->diag_src.ok)
            continue;
        for (size_t j = 0; j < x->diag_lines.n && j < 3; j++)
            because(w, _("kmutil print-diagnostics (%s): %s"), origin_of(&x->diag_src),
                    x->diag_lines.v[j]);
    }
}

static void kext_not_loaded(words *w, const ctx *c, const kc_kext_state *k)
{
    message(w, _("%s is %s but not loaded"), k->bundle_id,
            c->vr->enforcement.approval_needed ? _("approved") : _("allowed to load"));
    cite_not_loaded(w, c, k);
    if (!kc_platform_legacy(c->p))
        step(w, _("Restart the Mac (on macOS 11 and later an approved kext loads only after a "
                  "restart)."));
    step(w, _("Uninstall %s, restart, and install it again."), c->v->vendor);
    steps_after_reinstall(w, c, k);
}

static void restart_required(words *w, const ctx *c, const kc_kext_state *k)
{
    message(w, _("%s is approved but not loaded: on macOS 11 and later an approved kext is "
                 "linked into the Auxiliary Kernel Collection and loads only after a restart"),
            k->bundle_id);
    cite_not_loaded(w, c, k);
    cite_diagnostics(w, c, k);
    step(w, _("Restart the Mac."));
    step(w, _("If macOS asks for another restart after rebuilding its kernel collection, "
              "restart again (users report a second restart; Apple does not document it)."));
    step(w, _("On a managed Mac the MDM RestartDevice command with RebuildKernelCache set to "
              "true rebuilds the collection and restarts (macOS 11 and later)."));
    if (c->vr->enforcement.sip_off || c->vr->enforcement.signing_off)
        step(w, _("SIP is off: approved kexts that did not load were reported to load again "
                  "after SIP was turned back on (csrutil enable from macOS Recovery, then "
                  "restart)."));
    step(w, _("If it still does not load, uninstall %s, restart, and install it again."),
         c->v->vendor);
    steps_after_reinstall(w, c, k);
    step_panic_medic(w, c);
}

static void arch_unsupported(words *w, const ctx *c, const kc_finding *f)
{
    const kc_bundle *b = f->bundle;

    message(w, _("%s cannot load on Apple silicon: its executable has no arm64e slice (it has "
                 "%s), and Rosetta does not translate kexts"),
            f->kext->bundle_id, b->archs[0] ? b->archs : _("no known architecture"));
    because(w, _("files: %s/Contents/MacOS/%s: %s"), b->path, b->executable ? b->executable : "?",
            b->archs[0] ? b->archs : _("no architecture read"));
    cite_macos(w, c);
    step(w, _("Install %s's version for Apple silicon: ask the vendor for a build whose kext "
              "includes arm64e. Lowering the Mac's security policy does not help a kext "
              "without arm64e."),
         c->v->vendor);
    step(w, _("Until then the product's kext cannot run on this Mac; check whether the vendor "
              "offers a system-extension version instead."));
}

static void bundle_permissions(words *w, const ctx *c, const kc_finding *f)
{
    const kc_bundle *b = f->bundle;
    char *q = kc_shell_quote(b->path);
    bool staged = strncmp(b->path, "/Library/StagedExtensions/", 26) == 0;

    if (q == NULL) {
        w->err = -1;
        return;
    }
    message(w, _("%s is owned by %lu:%lu with mode %04o: macOS refuses a kext bundle that is "
                 "not owned by root:wheel or that others can write"),
            b->path, b->uid, b->gid, b->mode);
    because(w, _("files: %s owner %lu:%lu, mode %04o (%s)"), b->path, b->uid, b->gid, b->mode,
            c->host->live || strcmp(c->host->root_real, "/") == 0
                ? _("as on the Mac")
                : _("as collect recorded it"));
    if (staged) {
        step(w, _("The staged copy is macOS's own: clear the staged copies (sudo kmutil "
                  "clear-staging on macOS 11 and later, sudo kextcache --clear-staging before) "
                  "and restart, so macOS copies the kext again."));
    } else {
        step(w, _("On the Mac, run: sudo chown -R root:wheel %s && sudo chmod -R go-w %s"), q,
             q);
        step(w, _("Then restart the Mac. If the installer keeps setting other owners, report it "
                  "to %s."),
             c->v->vendor);
    }
    free(q);
}

static void signature_invalid(words *w, const ctx *c, const kc_finding *f)
{
    const kc_codesign *cs = &f->extra->codesign;
    const char *kind = cs->is_signed == KC_NO ? _("is not signed")
                       : cs->adhoc            ? _("is signed ad hoc (no developer identity)")
                                              : _("has a signature that is not valid");

    message(w, _("%s %s: macOS neither approves nor loads a kext without a valid Developer ID "
                 "signature"),
            f->kext->bundle_id, kind);
    because(w, _("codesign -dv --verbose=4 (%s): %s"), origin_of(&f->extra->codesign_src),
            cs->error ? cs->error : cs->adhoc ? "Signature=adhoc" : _("no Developer ID"));
    if (cs->stapled != KC_UNKNOWN)
        because(w, _("codesign: the notarization ticket is %s"),
                cs->stapled == KC_YES ? _("stapled") : _("not stapled"));
    step(w, _("Install %s again from the vendor's own installer: a tool that repackages or "
              "changes the bundle (a deployment tool, a copy that dropped its signature) "
              "breaks the signature."),
         c->v->vendor);
    step(w, _("Check the result with: codesign -dv --verbose=4 <path of the .kext> and "
              "codesign --verify --deep --strict <path of the .kext>."));
}

static void signed_by_other(words *w, const ctx *c, const kc_finding *f)
{
    message(w, _("%s is signed by team %s, not %s: a possible impostor or a repackaged kext, "
                 "or wrong plugin data"),
            f->kext->bundle_id, f->team ? f->team : "?", c->v->team_id);
    because(w, _("codesign -dv --verbose=4 (%s): TeamIdentifier=%s"),
            origin_of(&f->extra->codesign_src), f->team ? f->team : "?");
    step(w, _("If %s is not %s's team, this is not %s's kext: remove it and investigate."),
         f->team ? f->team : "?", c->v->vendor, c->v->vendor);
    step(w, _("If it is, the plugin's data is wrong: report it to the plugin's maintainers "
              "(%s)."),
         c->v->source ? c->v->source : c->v->name);
}

static void sysext_mdm_blocks(words *w, const ctx *c, const kc_finding *f)
{
    const kc_host *h = c->host;

    message(w, _("system extension %s waits for approval, but the installed MDM "
                 "system-extension policy does not allow it and lets users approve only what "
                 "it lists (AllowUserOverrides false): the fix is the profile"),
            f->subject);
    because(w, _("MDM system-extension policy (%s): %zu allowed teams, AllowUserOverrides "
                 "false"),
            origin_of(&h->sysext_mdm_src), h->sysext_mdm.allowed_teams.n);
    because(w, _("system extensions (%s): %s, state %s"), origin_of(&h->ev.sysext_src),
            f->subject, f->sysext->entry->state);
    step(w, _("In the MDM, add team %s to the system-extension policy's AllowedTeamIdentifiers "
              "(or %s under %s in AllowedSystemExtensions) and push the profile to this Mac."),
         c->v->team_id, f->subject, c->v->team_id);
}

static void row_unexpected(words *w, const ctx *c, const kc_kext_state *k)
{
    (void)c;
    message(w, _("the kext_policy row of %s holds an allowed value that is neither 1 nor 0"),
            k->bundle_id);
    step(w, _("Look at the row with sqlite3 before acting: macOS writes only 1 (allowed) or 0 "
              "(waiting)."));
}

static void not_declared(words *w, const ctx *c, const kc_kext_state *k)
{
    message(w, _("%s is recorded under team %s but the plugin does not declare it: it is "
                 "judged like the declared kexts (%s)"),
            k->bundle_id, c->v->team_id, kc_policy_name(k->policy));
    if (k->row)
        cite_row(w, c, k);
    else if (k->history)
        because(w, _("KextPolicy: kext_load_history_v3 row (%s, %s)"), c->v->team_id,
                k->bundle_id);
    step(w, _("Tell the plugin's maintainers (%s) so they can declare it."),
         c->v->source ? c->v->source : c->v->name);
}

static void team_mismatch(words *w, const ctx *c, const kc_finding *f)
{
    const kc_vendor *v = c->v;

    if (f->sysext_entry != NULL) {
        message(w, _("system extension %s is registered under team %s, not %s"), f->subject,
                f->team, kc_vendor_sysext_team(v));
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

    message(w, _("team %s is not on the SIP kext-consent list; on an Intel Mac with macOS "
                 "10.13-10.15, adding it lets its kexts load without the user's approval when "
                 "Allow cannot be clicked"),
            c->v->team_id);
    because(w, _("spctl kext-consent list (%s): %s is not among %zu listed teams"),
            origin_of(&ev->consent_list_src), c->v->team_id, ev->consent_teams.n);
    if (ev->consent_status_src.ok)
        because(w, _("spctl kext-consent status (%s): %s"), origin_of(&ev->consent_status_src),
                ev->consent_enabled == KC_YES ? "ENABLED" : _("unknown"));
    cite_macos(w, c);
    step_start_recovery(w, c, _("Choose Utilities > Terminal."));
    step(w, _("Run: spctl kext-consent add %s"), c->v->team_id);
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
        if (c->p->os_known && c->p->os_major >= 15)
            step(w, _("Open System Settings > General > Login Items & Extensions, find the "
                      "extension under its category (Endpoint Security Extensions, Network "
                      "Extensions, ...) and turn it on for \"%s\"."),
                 developer_of(c->v, NULL));
        else if (era_of(c->p) == ERA_SETTINGS)
            step(w, _("Open System Settings > Privacy & Security and click Allow for the "
                      "system software from \"%s\"."),
                 developer_of(c->v, NULL));
        else if (era_of(c->p) == ERA_PREFS)
            step(w, _("Open System Preferences > Security & Privacy > General, click the lock, "
                      "and click Allow for the system software from \"%s\"."),
                 developer_of(c->v, NULL));
        else
            step(w, _("Allow the system software from \"%s\": in System Settings > General > "
                      "Login Items & Extensions on macOS 15, in System Settings > Privacy & "
                      "Security on 13 and 14, in System Preferences > Security & Privacy "
                      "before."),
                 developer_of(c->v, NULL));
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
    message(w, "%s: %s", f->bundle->path, kc_i18n_reason(f->bundle->error));
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
    [KC_HOST_MDM] = {"mdm", N_("the MDM kernel-extension policy")},
    [KC_HOST_OS] = {"os", N_("SystemVersion.plist")},
    [KC_HOST_SYSEXTS] = {"sysexts", N_("the system extension database")},
    [KC_HOST_UNAME] = {"uname", N_("uname -m")},
    [KC_HOST_ARM64] = {"arm64", N_("sysctl -n hw.optional.arm64")},
    [KC_HOST_BPUTIL] = {"bputil", N_("bputil -d (the boot policy)")},
    [KC_HOST_SYSEXT_MDM] = {"sysext-mdm", N_("the MDM system-extension policy")},
    [KC_HOST_VMM] = {"vmm", N_("sysctl -n kern.hv_vmm_present")},
    [KC_HOST_DISKUTIL] = {"diskutil", N_("diskutil info / (the startup volume)")},
    [KC_HOST_OTHER_KEXTS] = {"other-kexts", N_("the kexts in /Library/Extensions and "
                                               "/Library/StagedExtensions")},
};

static void db_unreadable(words *w, const kc_host *h, const char *why)
{
    message(w, _("the approval database %s could not be read: %s"),
            h->db.path ? h->db.path : _("(none)"), why ? kc_i18n_reason(why) : _("unknown"));
    because(w, _("KextPolicy: state %s"), kc_db_state_name(h->db.state));
    if (h->db.state == KC_DB_MISSING)
        step(w, _("Run kextcheck on the Mac itself (sudo kextcheck), or collect the case again "
                  "with /var/db/SystemPolicyConfiguration/KextPolicy and its -wal and -shm "
                  "files."));
    else if (h->db.state == KC_DB_BUSY)
        step(w, _("Run kextcheck again in a moment: another process was writing the approval "
                  "database the whole time kextcheck waited for it."));
    else if (h->db.state == KC_DB_CORRUPT)
        step(w, _("The approval database is damaged, so macOS cannot record approvals: keep a "
                  "copy of KextPolicy with its -wal and -shm files for Apple or the vendor's "
                  "support."));
    else
        step(w, _("Run kextcheck as root (reading the approval database needs it), or collect "
                  "the case again with KextPolicy and its -wal and -shm files."));
}

static void enforcement_off(words *w, const kc_host *h, const kc_platform *p, kc_code code)
{
    const kc_evidence *ev = &h->ev;
    bool sip = code != KC_F_CONSENT_DISABLED;
    const char *what = code == KC_F_SIP_DISABLED ? _("System Integrity Protection is disabled")
                       : code == KC_F_KEXT_SIGNING_DISABLED
                           ? _("SIP's Kext Signing protection is disabled")
                           : _("kext user consent is disabled");

    if (!sip)
        message(w, _("%s: no user approval is needed for kexts on this Mac, so a missing "
                     "approval is not the cause"),
                what);
    else if (kc_platform_modern(p))
        message(w, _("%s: kexts are not staged and their signatures not checked, but on macOS "
                     "11 and later they still need approval"),
                what);
    else if (kc_platform_legacy(p))
        message(w, _("%s: on macOS 10.13-10.15 approval is probably not enforced then and "
                     "nothing is staged, so a waiting approval may not be what stops a kext"),
                what);
    else
        message(w, _("%s: nothing is staged; approval is still needed on macOS 11 and later, "
                     "probably not on 10.13-10.15"),
                what);
    if (sip)
        because(w, _("csrutil status (%s): SIP %s, Kext Signing %s"), origin_of(&ev->sip_src),
                code == KC_F_SIP_DISABLED ? _("disabled") : _("custom configuration"),
                tri_words(ev->kext_signing));
    else
        because(w, _("spctl kext-consent status (%s): DISABLED"),
                origin_of(&ev->consent_status_src));
    if (!sip) {
        step(w, _("If a product still cannot start its protection, uninstall it, restart, and "
                  "install it again."));
        step(w, _("To require approval again, run 'spctl kext-consent enable' from macOS "
                  "Recovery and restart."));
    } else if (kc_platform_modern(p)) {
        step(w, _("Turn SIP back on: from macOS Recovery run 'csrutil enable', then restart "
                  "(approved kexts that did not load were reported to load again after "
                  "this)."));
    } else {
        step(w, _("If a product still cannot start its protection, uninstall it, restart, and "
                  "install it again."));
        step(w, _("To protect the Mac again, run 'csrutil enable' from macOS Recovery and "
                  "restart."));
    }
}

static void evidence_unreadable(words *w, const kc_host *h, kc_host_item item)
{
    const kc_source *src = kc_host_source(h, item);

    message(w, _("%s could not be used: %s"), _(host_items[item].label),
            src && src->error ? kc_i18n_reason(src->error) : _("unknown"));
    because(w, "%s", src ? origin_of(src) : _("(not read)"));
    step(w, _("Until it can be read, this part of the answer is unknown: run kextcheck on the "
              "Mac as root, or collect the case again (kextcheck collect)."));
}

static void cite_bputil(words *w, const kc_host *h)
{
    const kc_boot_policy_values *b = &h->plat.boot.v;

    because(w, _("bputil -d (%s): Security Mode %s, 3rd Party Kexts Status %s"),
            origin_of(&h->plat.bputil_src), kc_boot_security_name(b->security),
            tri_words(b->third_party_kexts));
}

static void cite_machine(words *w, const kc_host *h, const kc_platform *p)
{
    if (h->plat.uname_src.ok || h->plat.arm64_src.ok)
        because(w, _("uname -m (%s) and sysctl hw.optional.arm64 (%s): %s%s"),
                origin_of(&h->plat.uname_src), origin_of(&h->plat.arm64_src),
                kc_machine_name(p->machine), p->rosetta ? _(" (kextcheck ran under Rosetta)") : "");
}

static void boot_blocks(words *w, const kc_host *h, const kc_platform *p)
{
    message(w, _("this Apple silicon Mac's boot policy does not let third-party kexts load: "
                 "until it does, no kext can be approved (there is no Allow button) or loaded"));
    cite_bputil(w, h);
    cite_machine(w, h, p);
    step(w, _("Shut the Mac down, then press and hold the power button until \"Loading startup "
              "options\" appears; click Options, then Continue, and sign in as an "
              "administrator."));
    step(w, _("Choose Utilities > Startup Security Utility, select the startup disk and click "
              "Security Policy."));
    step(w, _("Choose Reduced Security, turn on \"Allow user management of kernel extensions "
              "from identified developers\", click OK, and restart."));
    step(w, _("Then approve the kext in System Settings > Privacy & Security (the Allow button "
              "appears only now) and restart again."));
    step(w, _("On a Mac enrolled through Automated Device Enrollment the MDM may manage kexts "
              "instead (DEP-allowed MDM control): ask whoever runs the MDM."));
}

static void boot_allows(words *w, const kc_host *h, const kc_platform *p)
{
    message(w, _("this Apple silicon Mac's boot policy lets third-party kexts load (Reduced "
                 "or Permissive Security with user management of kernel extensions)"));
    cite_bputil(w, h);
    cite_machine(w, h, p);
}

static void boot_unknown(words *w, const kc_host *h, const kc_platform *p)
{
    const kc_source *src = &h->plat.bputil_src;

    /* Read but without both deciding lines (a grep excerpt): say so, not
     * "not captured". */
    message(w, _("this is an Apple silicon Mac and its boot policy is not known (%s): at Full "
                 "Security no third-party kext can load and no Allow button appears"),
            src->ok      ? _("bputil -d does not show both its Security Mode and its 3rd Party "
                             "Kexts Status")
            : src->error ? kc_i18n_reason(src->error)
                         : _("not captured"));
    if (src->ok)
        cite_bputil(w, h);
    cite_machine(w, h, p);
    step(w, _("Capture the boot policy on the Mac: sudo bputil -d > bputil-d.txt, then run "
              "kextcheck with --boot-policy bputil-d.txt (sudo kextcheck on the Mac and sudo "
              "kextcheck collect capture it themselves)."));
}

static void admin_required(words *w, const kc_host *h)
{
    message(w, _("on macOS 11 and later only an administrator can approve a kext: no MDM "
                 "kernel-extension policy lets standard users (AllowNonAdminUserApprovals)"));
    if (h->kext_mdm_src.ok)
        because(w, _("MDM kernel-extension policy (%s): AllowNonAdminUserApprovals %s"),
                origin_of(&h->kext_mdm_src),
                h->kext_mdm.allow_non_admin_approvals == KC_NO ? "false" : _("absent (false)"));
    else if (h->kext_mdm_src.present)
        because(w, _("the MDM kernel-extension policy (%s) could not be read: %s"),
                origin_of(&h->kext_mdm_src),
                h->kext_mdm_src.error ? kc_i18n_reason(h->kext_mdm_src.error) : _("unknown"));
    else
        because(w, _("no MDM kernel-extension policy is installed (%s)"),
                h->kext_mdm_src.error ? kc_i18n_reason(h->kext_mdm_src.error)
                                      : _("not present"));
    step(w, _("Approve as an administrator, or let standard users approve with "
              "AllowNonAdminUserApprovals in the MDM kernel-extension policy."));
}

static void running_in_vm(words *w, const kc_host *h)
{
    message(w, _("this Mac is a virtual machine: whether a third-party kext can be approved "
                 "and loaded in a macOS guest depends on the virtualization software, and "
                 "often it cannot be as on a physical Mac"));
    because(w, _("sysctl -n kern.hv_vmm_present (%s): 1"), origin_of(&h->plat.vmm_src));
    step(w, _("Check the virtualization software's documentation for kexts in macOS guests "
              "before following the other steps."));
}

static void external_boot(words *w, const kc_host *h, const kc_platform *p)
{
    const kc_boot_volume *d = &h->plat.disk;

    message(w, _("the Mac started from an external volume (%s%s%s)%s"),
            d->volume_name ? d->volume_name : d->device_identifier, d->protocol ? ", " : "",
            d->protocol ? d->protocol : "",
            p->machine == KC_MACHINE_INTEL
                ? ""
                : _(": on Apple silicon the security policy is set per startup volume, so "
                    "the Startup Security Utility must allow kexts for this volume"));
    because(w, _("diskutil info / (%s): Device Location External"), origin_of(&h->plat.disk_src));
    step(w, _("Approvals and the security policy belong to the volume the Mac started from: "
              "give them for this volume (or start from the internal one)."));
}

static void other_broken(words *w, const kc_result *r, const kc_host *h)
{
    char *vol = kc_asprintf("/Volumes/%s", h->recovery.volume ? h->recovery.volume
                                                             : "Macintosh HD");
    char *q = vol ? kc_shell_quote(vol) : NULL;

    message(w, P_("%zu kext bundle of other software in /Library/Extensions or "
                  "/Library/StagedExtensions cannot be used: on macOS 11 and later one broken "
                  "kext can keep the Auxiliary Kernel Collection from being rebuilt, so no "
                  "newly approved kext loads",
                  "%zu kext bundles of other software in /Library/Extensions or "
                  "/Library/StagedExtensions cannot be used: on macOS 11 and later one broken "
                  "kext can keep the Auxiliary Kernel Collection from being rebuilt, so no "
                  "newly approved kext loads",
                  r->n_broken_other),
            r->n_broken_other);
    for (size_t i = 0; i < r->n_broken_other && i < 8; i++) {
        const kc_bundle *b = r->broken_other[i];
        if (b->error != NULL)
            because(w, _("files: %s: %s"), b->path, kc_i18n_reason(b->error));
        else
            because(w, _("files: %s: owner %lu:%lu, mode %04o (not root:wheel, or writable "
                         "by others)"),
                    b->path, b->uid, b->gid, b->mode);
    }
    step(w, _("Remove or reinstall the software each bundle belongs to (its own uninstaller), "
              "then restart the Mac."));
    step(w, _("For a broken copy under /Library/StagedExtensions: sudo kmutil clear-staging, "
              "then restart."));
    if (q != NULL)
        step(w, _("If the Mac no longer starts (a restart loop), run in macOS Recovery's "
                  "Terminal: kmutil trigger-panic-medic --volume-root %s. It removes and "
                  "disables the third-party kexts, so each must be approved again "
                  "afterwards."),
             q);
    else
        w->err = -1;
    free(vol);
    free(q);
}

static int word_host(const kc_result *r, const kc_host *h, const kc_platform *p, kc_finding *f)
{
    words w = {f, 0};

    free(f->id);
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
        step(&w, _("Check the approvals in %s: this database does not hold them."),
             !p->os_known ? _("System Settings > Privacy & Security (System Preferences > "
                              "Security & Privacy before macOS 13)")
             : p->os_major >= 13 ? _("System Settings > Privacy & Security")
                                 : _("System Preferences > Security & Privacy"));
        break;
    case KC_F_SIP_DISABLED:
    case KC_F_KEXT_SIGNING_DISABLED:
    case KC_F_CONSENT_DISABLED:
        enforcement_off(&w, h, p, f->code);
        break;
    case KC_F_BOOT_POLICY_BLOCKS_KEXTS:
        boot_blocks(&w, h, p);
        break;
    case KC_F_BOOT_POLICY_ALLOWS_KEXTS:
        boot_allows(&w, h, p);
        break;
    case KC_F_BOOT_POLICY_UNKNOWN:
        boot_unknown(&w, h, p);
        break;
    case KC_F_ADMIN_APPROVAL_REQUIRED:
        admin_required(&w, h);
        break;
    case KC_F_RUNNING_IN_VM:
        running_in_vm(&w, h);
        break;
    case KC_F_BOOTED_FROM_EXTERNAL_VOLUME:
        external_boot(&w, h, p);
        break;
    case KC_F_OTHER_STAGED_KEXT_BROKEN:
        other_broken(&w, r, h);
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
    case KC_F_MDM_BLOCKS_USER_APPROVAL:
        mdm_blocks(&w, c, k);
        break;
    case KC_F_MDM_PROFILE_ALLOWS:
        mdm_profile_allows(&w, c, k);
        break;
    case KC_F_KEXT_NOT_LOADED:
        kext_not_loaded(&w, c, k);
        break;
    case KC_F_RESTART_REQUIRED:
        restart_required(&w, c, k);
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
    case KC_F_KEXT_NOT_DECLARED:
        not_declared(&w, c, k);
        break;
    case KC_F_KEXT_ARCH_UNSUPPORTED:
        arch_unsupported(&w, c, f);
        break;
    case KC_F_KEXT_BUNDLE_PERMISSIONS:
        bundle_permissions(&w, c, f);
        break;
    case KC_F_KEXT_SIGNATURE_INVALID:
        signature_invalid(&w, c, f);
        break;
    case KC_F_KEXT_SIGNED_BY_OTHER_TEAM:
        signed_by_other(&w, c, f);
        break;
    case KC_F_SYSEXT_MDM_BLOCKS:
        sysext_mdm_blocks(&w, c, f);
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
        return word_host(c->result, c->host, c->p, f);
    }
    return w.err;
}

/* The one place that says where a Recovery shell finds this Mac's files and
 * how to get there; the steps below and the printers read r->recovery. */
static void recovery_of(const kc_host *h, const kc_platform *p, kc_recovery *rec)
{
    const char *name = h->recovery.volume;

    memset(rec, 0, sizeof(*rec));
    rec->version_assumed = !p->os_known;
    rec->data_volume = !p->os_known || p->os_major > 10 || p->os_minor >= 15;
    /* A name that does not fit (a volume name is at most 255 bytes) is not
     * guessed at: the usual name is assumed and the steps say so. */
    if (name == NULL ||
        kc_snprintf(rec->volume, sizeof(rec->volume),
                    rec->data_volume ? "/Volumes/%s - Data" : "/Volumes/%s", name) != 0) {
        name = "Macintosh HD";
        rec->name_assumed = true;
        kc_snprintf(rec->volume, sizeof(rec->volume),
                    rec->data_volume ? "/Volumes/%s - Data" : "/Volumes/%s", name);
    }
    kc_snprintf(rec->backup, sizeof(rec->backup), "%s/Users/Shared/kextcheck-backup",
                rec->volume);
    switch (p->machine) {
    case KC_MACHINE_INTEL:
        rec->start = _("Start macOS Recovery: restart the Mac holding Command-R until the Apple "
                       "logo appears.");
        break;
    case KC_MACHINE_APPLE_SILICON:
        rec->start = _("Start macOS Recovery: shut the Mac down, then press and hold the power "
                       "button until \"Loading startup options\" appears; click Options, then "
                       "Continue.");
        break;
    default:
        rec->start = _("Start macOS Recovery (Intel: restart holding Command-R; Apple silicon: "
                       "shut down, hold the power button until \"Loading startup options\" "
                       "appears, then click Options).");
        break;
    }
    rec->mount = rec->data_volume
                     ? _("Open Disk Utility, select the Data volume of the startup disk and "
                         "click Mount (with FileVault on, enter the password to unlock it), quit "
                         "Disk Utility, then choose Utilities > Terminal.")
                     : _("Open Disk Utility, mount the startup disk, quit Disk Utility, then "
                         "choose Utilities > Terminal.");
}

int kc_advise(kc_result *r)
{
    const kc_host *h = &r->model->host;
    int rc = 0;

    recovery_of(h, &r->platform, &r->recovery);
    for (size_t i = 0; i < r->n_host_findings && rc == 0; i++)
        rc = word_host(r, h, &r->platform, &r->host_findings[i]);
    for (size_t i = 0; i < r->n_vendors && rc == 0; i++) {
        kc_vendor_result *vr = &r->vendors[i];
        kc_strv cleared = {NULL, 0, 0};
        ctx c = {r, h, &r->platform, &r->recovery, vr, vr->ev->vendor, &cleared};
        for (size_t j = 0; j < vr->n_findings && rc == 0; j++)
            rc = word_vendor_finding(&c, &vr->findings[j]);
        kc_strv_free(&cleared);
    }
    return rc;
}
