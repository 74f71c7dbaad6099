/*
 * One line for a Jamf Pro extension attribute (--format jamf):
 *
 *   <result>STATUS; ITEM; ITEM...</result>
 *
 * STATUS is the worst status of the check, as its exit code says (ok,
 * warning, critical, unknown).  Each ITEM, separated by "; ", is one of:
 *
 *   VENDOR=STATUS[:CODE]  an installed vendor (plugin name), its status and,
 *                         when there is something to do, its next step's
 *                         finding code (trendmicro=critical:KEXT_PENDING_APPROVAL)
 *   host=ID[,ID...]       host findings that are not ok (EVIDENCE_UNREADABLE/sip)
 *   refused=N             N plugins were refused (the check is incomplete)
 *   none installed        no vendor of the loaded plugins is installed
 *   no plugins            no plugin was loaded
 *
 * Plugin names are a-z, 0-9 and '-' (plugin.h) and codes A-Z and '_', so
 * the line splits on "; ", then "=" and ":".  docs/fleet.md has examples.
 */
#include "report.h"

#include <string.h>

/* Anything outside the characters names and codes use becomes '_', so no
 * value can break the line's syntax. */
static int word(FILE *out, const char *s)
{
    for (; *s; s++) {
        char c = *s;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || c == '.' || c == '/';
        if (fputc(ok ? c : '_', out) == EOF)
            return -1;
    }
    return 0;
}

int kc_report_jamf(FILE *out, const kc_result *r, const kc_print_opts *o)
{
    size_t installed = 0, host = 0;
    int rc = 0;

    (void)o;
    rc |= fprintf(out, "<result>%s", kc_result_status(r)) < 0;
    for (size_t i = 0; i < r->n_vendors; i++) {
        const kc_vendor_result *vr = &r->vendors[i];
        if (vr->status == KC_STATUS_NOT_INSTALLED)
            continue;
        installed++;
        rc |= fputs("; ", out) == EOF;
        rc |= word(out, vr->ev->vendor->name);
        rc |= fprintf(out, "=%s", kc_status_name(vr->status)) < 0;
        if (vr->next != NULL && vr->next->steps.n > 0) {
            rc |= fputc(':', out) == EOF;
            rc |= word(out, kc_code_name(vr->next->code));
        }
    }
    for (size_t i = 0; i < r->n_host_findings; i++) {
        const kc_finding *f = &r->host_findings[i];
        if (kc_code_info_of(f->code)->severity == KC_SEV_OK)
            continue;
        rc |= fputs(host++ ? "," : "; host=", out) == EOF;
        rc |= word(out, f->id ? f->id : kc_code_name(f->code));
    }
    if (r->model->n_refused > 0)
        rc |= fprintf(out, "; refused=%zu", r->model->n_refused) < 0;
    if (r->n_vendors == 0)
        rc |= fputs("; no plugins", out) == EOF;
    else if (installed == 0)
        rc |= fputs("; none installed", out) == EOF;
    rc |= fputs("</result>\n", out) == EOF;
    return rc ? -1 : 0;
}
