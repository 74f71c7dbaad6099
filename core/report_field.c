/*
 * --field NAME: one value alone on one line, for scripts and the health
 * checks of other tools ("kextcheck --field status" prints "critical").
 *
 * Without --vendor, or with several, the values are the whole check's:
 * status is the worst status, and vendor and the next_step fields are
 * those of the first vendor with that status (in plugin order).  With
 * --vendor NAME (one), they are that vendor's.  A value that does not
 * exist (no next step) prints an empty line.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

static const char *const fields[] = {
    "status", "exit_code", "vendor", "next_step", "next_step_code", "next_step_rung",
};

#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

bool kc_field_known(const char *name)
{
    for (size_t i = 0; i < N_FIELDS; i++)
        if (strcmp(fields[i], name) == 0)
            return true;
    return false;
}

const char *kc_field_names(void)
{
    return "status, exit_code, vendor, next_step, next_step_code, next_step_rung";
}

/* The vendor whose values stand for the check: the one asked for, or the
 * first whose status is the check's worst. */
static const kc_vendor_result *chosen(const kc_result *r, const kc_print_opts *o)
{
    static const kc_status by_exit[] = {KC_STATUS_OK, KC_STATUS_WARNING, KC_STATUS_CRITICAL,
                                        KC_STATUS_UNKNOWN};
    kc_status worst;

    if (o->one_vendor)
        return r->n_vendors == 1 ? &r->vendors[0] : NULL;
    if (r->exit_code < 0 || r->exit_code > 3)
        return NULL;
    worst = by_exit[r->exit_code];
    for (size_t i = 0; i < r->n_vendors; i++)
        if (r->vendors[i].status == worst)
            return &r->vendors[i];
    return NULL;
}

/* A value on one line: control characters (newlines too) shown as \xNN. */
static int line(FILE *out, const char *s)
{
    char *p;
    int rc;

    if (s == NULL)
        return fputc('\n', out) == EOF ? -1 : 0;
    p = kc_printable(s);
    if (p == NULL)
        return -1;
    rc = fprintf(out, "%s\n", p) < 0 ? -1 : 0;
    free(p);
    return rc;
}

int kc_report_field(FILE *out, const kc_result *r, const kc_print_opts *o)
{
    const kc_vendor_result *vr = chosen(r, o);
    const kc_finding *next = vr && vr->next && vr->next->steps.n ? vr->next : NULL;
    const char *f = o->field;

    if (strcmp(f, "status") == 0)
        return line(out, o->one_vendor && vr ? kc_status_name(vr->status)
                                             : kc_result_status(r));
    if (strcmp(f, "exit_code") == 0)
        return fprintf(out, "%d\n", r->exit_code) < 0 ? -1 : 0;
    if (strcmp(f, "vendor") == 0)
        return line(out, vr ? vr->ev->vendor->name : NULL);
    if (strcmp(f, "next_step") == 0)
        return line(out, next ? next->steps.v[0] : NULL);
    if (strcmp(f, "next_step_code") == 0)
        return line(out, next ? kc_code_name(next->code) : NULL);
    if (strcmp(f, "next_step_rung") == 0)
        return line(out, next ? kc_rung_name(kc_code_info_of(next->code)->rung) : NULL);
    return -1;
}
