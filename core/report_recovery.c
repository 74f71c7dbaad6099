/*
 * `kextcheck recovery-script`: the worded result as a POSIX sh script of
 * the commands its findings call for in macOS Recovery:
 *
 *  - STAGED_COPY_STALE, KEXT_NOT_LOADED, RESTART_REQUIRED with a staged copy:
 *    back up the staged folder outside /Library/StagedExtensions and
 *    delete it (the folders advise recorded in kc_finding.staged_folder);
 *  - CONSENT_TEAM_NOT_LISTED (Intel, macOS 10.13-10.15): spctl kext-consent
 *    add TEAM;
 *  - BOOT_POLICY_BLOCKS_KEXTS (Apple silicon): the Startup Security Utility
 *    steps, as comments (they are clicks, not commands).
 *
 * Every path comes from the result (kc_result.recovery, filled by advise),
 * so the script and the text report name the same volume and folders.  The
 * script runs nothing unless given --apply: by default it prints what it
 * would run.  Text from the evidence only ever appears in comments and
 * quoted words, with control characters (newlines too) escaped.
 */
#include "report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

typedef struct sw {
    FILE *out;
    int err;
} sw;

static void put(sw *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(sw *w, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (vfprintf(w->out, fmt, ap) < 0)
        w->err = -1;
    va_end(ap);
}

/* "# " + text on one line: control characters (a newline would end the
 * comment and start a command) shown as \xNN. */
static void comment(sw *w, const char *prefix, const char *text)
{
    char *p = kc_printable(text ? text : "");

    if (p == NULL) {
        w->err = -1;
        return;
    }
    put(w, "# %s%s\n", prefix, p);
    free(p);
}

/* One shell word: printable, single-quoted. */
static char *word(const char *s)
{
    char *p = kc_printable(s), *q;

    if (p == NULL)
        return NULL;
    q = kc_shell_quote(p);
    free(p);
    return q;
}

static void header(sw *w, const kc_result *r, const kc_print_opts *o, bool staging)
{
    const kc_host *h = &r->model->host;
    const kc_recovery *rec = &r->recovery;
    char when[32], *vol = word(rec->volume), *bak = word(rec->backup), *os = NULL;

    if (vol == NULL || bak == NULL) {
        w->err = -1;
        goto done;
    }
    kc_report_time(o, when, sizeof(when));
    put(w, "#!/bin/sh\n");
    put(w, "# kextcheck Recovery script: the commands this Mac's findings call for in macOS "
           "Recovery.\n#\n");
    put(w, "# Generated %s by kextcheck %s", when, KEXTCHECK_VERSION);
    if (o->hostname != NULL) {
        char *p = kc_printable(o->hostname);
        if (p == NULL)
            w->err = -1;
        else
            put(w, " on %s", p);
        free(p);
    }
    put(w, "\n");
    comment(w, "from the Mac at: ", h->root);
    os = kc_printable(r->platform.os_known && h->ev.os_version ? h->ev.os_version : "unknown");
    if (os == NULL) {
        w->err = -1;
        goto done;
    }
    put(w, "#   evidence: %s; macOS %s; machine %s; approval database %s\n",
        h->live ? "read live (commands run)" : "a snapshot (captured outputs)", os,
        kc_machine_name(r->platform.machine), kc_db_state_name(h->db.state));
    put(w, "#   check result: %s (exit %d)\n#\n", kc_result_status(r), r->exit_code);
    comment(w, "The Mac's files in Recovery: ", rec->volume);
    if (rec->name_assumed)
        put(w, "#   (the startup disk's name is assumed to be \"Macintosh HD\"%s: check it "
               "under /Volumes%s)\n",
            rec->version_assumed ? ", and macOS 10.15 or later" : "",
            staging ? " and edit VOL and BACKUP below" : "");
    put(w, "#\n# How to run it:\n");
    comment(w, "  ", rec->start);
    comment(w, "  ", rec->mount);
    put(w, "#   Copy this script onto the Mac first (for example into Users/Shared), then:\n"
           "#     sh kextcheck-recovery.sh           prints what it would do, changes "
           "nothing\n"
           "#     sh kextcheck-recovery.sh --apply   runs the commands\n\n");
    put(w, "set -e\n\n");
    if (staging)
        put(w, "VOL=%s\nBACKUP=%s\n", vol, bak);
    put(w, "\napply=no\n"
           "if [ $# -eq 1 ] && [ \"$1\" = --apply ]; then\n"
           "    apply=yes\n"
           "elif [ $# -ne 0 ]; then\n"
           "    echo \"usage: sh $0 [--apply]\" >&2\n"
           "    exit 64\n"
           "fi\n\n"
           "# Shows a command; runs it only with --apply.\n"
           "run() {\n"
           "    cmd=$1\n"
           "    shift\n"
           "    if [ \"$apply\" = yes ]; then printf '+ %%s' \"$cmd\"; else printf 'would run: %%s' "
           "\"$cmd\"; fi\n"
           "    for arg in \"$@\"; do printf \" '%%s'\" \"$arg\"; done\n"
           "    printf '\\n'\n"
           "    if [ \"$apply\" = yes ]; then \"$cmd\" \"$@\"; fi\n"
           "}\n\n");
    if (staging)
        put(w, "if [ ! -d \"$VOL\" ]; then\n"
               "    echo \"kextcheck-recovery: $VOL is not mounted: mount it in Disk Utility "
               "(or set VOL and BACKUP to where it is)\" >&2\n"
               "    if [ \"$apply\" = yes ]; then exit 1; fi\n"
               "fi\n\n");
done:
    free(vol);
    free(bak);
    free(os);
}

/* Back up, then delete one staged folder. */
static void staged_block(sw *w, const kc_vendor *v, const kc_finding *f)
{
    char *qf = kc_shell_quote(f->staged_folder), *qv = word(v->vendor);

    if (qf == NULL || qv == NULL) {
        w->err = -1;
        goto done;
    }
    comment(w, "", kc_code_name(f->code));
    comment(w, "  ", f->message);
    comment(w, "  delete the staged folder: ", f->staged_folder);
    put(w, "staged=\"$VOL\"%s\n", qf);
    /* Not mounted (a dry run outside Recovery): still show the commands. */
    put(w, "if [ -e \"$staged\" ] || [ ! -d \"$VOL\" ]; then\n"
           "    run mkdir -p \"$BACKUP\"\n"
           "    run cp -R \"$staged\" \"$BACKUP/\"\n"
           "    run rm -rf \"$staged\"\n"
           "    echo 'Then restart the Mac and install '%s' again.'\n"
           "else\n"
           "    echo \"already gone: $staged\"\n"
           "fi\n\n",
        qv);
done:
    free(qf);
    free(qv);
}

static void consent_block(sw *w, const kc_vendor *v, const kc_finding *f)
{
    char *qt = word(v->team_id);

    if (qt == NULL) {
        w->err = -1;
        return;
    }
    comment(w, "", kc_code_name(f->code));
    comment(w, "  ", f->message);
    put(w, "run spctl kext-consent add %s\n", qt);
    put(w, "run spctl kext-consent list\n\n");
    free(qt);
}

static void boot_block(sw *w, const kc_finding *f)
{
    char num[16];

    put(w, "# ---- the whole Mac\n");
    comment(w, "", kc_code_name(f->code));
    comment(w, "  ", f->message);
    put(w, "# These are steps in Startup Security Utility, not commands:\n");
    for (size_t i = 0; i < f->steps.n; i++) {
        kc_snprintf(num, sizeof(num), "  %zu. ", i + 1);
        comment(w, num, f->steps.v[i]);
    }
    put(w, "echo 'Apple silicon: change the boot policy in Startup Security Utility (see the "
           "comments in this script).'\n\n");
}

static bool seen(const kc_strv *sv, const char *s)
{
    return kc_strv_contains(sv, s);
}

int kc_report_recovery(FILE *out, const kc_result *r, const kc_print_opts *o)
{
    sw w = {out, 0};
    kc_strv folders = {NULL, 0, 0};
    bool staging = false, any = false;

    for (size_t i = 0; i < r->n_vendors && !staging; i++)
        for (size_t j = 0; j < r->vendors[i].n_findings; j++)
            staging |= r->vendors[i].findings[j].staged_folder != NULL;
    header(&w, r, o, staging);
    for (size_t i = 0; i < r->n_host_findings; i++)
        if (r->host_findings[i].code == KC_F_BOOT_POLICY_BLOCKS_KEXTS) {
            boot_block(&w, &r->host_findings[i]);
            any = true;
        }
    for (size_t i = 0; i < r->n_vendors && w.err == 0; i++) {
        const kc_vendor_result *vr = &r->vendors[i];
        const kc_vendor *v = vr->ev->vendor;
        bool titled = false;
        for (size_t j = 0; j < vr->n_findings && w.err == 0; j++) {
            const kc_finding *f = &vr->findings[j];
            bool consent = f->code == KC_F_CONSENT_TEAM_NOT_LISTED;
            bool stage = f->staged_folder != NULL && !seen(&folders, f->staged_folder);
            if (!consent && !stage)
                continue;
            if (!titled) {
                char title[160];
                kc_snprintf(title, sizeof(title), "---- %s (team %s): ", v->name, v->team_id);
                comment(&w, title, v->vendor);
                titled = true;
            }
            if (consent) {
                consent_block(&w, v, f);
            } else {
                if (kc_strv_push(&folders, f->staged_folder) != 0)
                    w.err = -1;
                staged_block(&w, v, f);
            }
            any = true;
        }
    }
    if (!any)
        put(&w, "# Nothing to do in macOS Recovery: no finding calls for it.\n"
                "echo 'kextcheck found nothing to do in macOS Recovery on this Mac.'\n");
    else
        put(&w, "if [ \"$apply\" = yes ]; then\n"
                "    echo 'Done. Restart the Mac.'\n"
                "else\n"
                "    echo 'Dry run: nothing was changed. Run again with --apply to run these "
                "commands.'\n"
                "fi\n");
    kc_strv_free(&folders);
    return w.err;
}
