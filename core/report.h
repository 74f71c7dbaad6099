/*
 * The printers: a worded kc_result (model.h) as text, JSON, ...
 *
 * A printer reads only the result and the model it points to, and util.c;
 * it decides nothing and words nothing (advise.c did).  Adding a format is
 * adding one file with one function and one line in report.c's table.
 */
#ifndef KC_REPORT_H
#define KC_REPORT_H

#include "model.h"

typedef struct kc_print_opts {
    bool color;    /* ANSI colours (text) */
    bool verbose;  /* describe vendors that are not installed at length too */
    long long generated_at; /* when the check ran (seconds since 1970, UTC):
                               time(), or SOURCE_DATE_EPOCH when set */
    const char *hostname;   /* the machine kextcheck ran on, or NULL */
    const char *field;      /* --field NAME (kc_report_field) */
    bool one_vendor;        /* --vendor named one plugin: --field gives its values */
} kc_print_opts;

/* Prints r to out: 0, or -1 when a write failed or memory ran out. */
typedef int (*kc_print_fn)(FILE *out, const kc_result *r, const kc_print_opts *o);

typedef struct kc_printer {
    const char *name;   /* the --format value */
    kc_print_fn print;
    bool needs_file;    /* binary: only with --output FILE, never a terminal */
} kc_printer;

/* The printer of that --format name, or NULL. */
const kc_printer *kc_printer_find(const char *name);
/* "text, json, ..." (every --format name) for messages, cut to len. */
void kc_printer_names(char *buf, size_t len);

int kc_report_text(FILE *out, const kc_result *r, const kc_print_opts *o);
int kc_report_json(FILE *out, const kc_result *r, const kc_print_opts *o);
/* The result as an SQLite database file (docs/fleet.md: tables host,
 * vendors, kexts, findings), for osquery's Automatic Table Construction. */
int kc_report_sqlite(FILE *out, const kc_result *r, const kc_print_opts *o);
/* One line for a Jamf extension attribute: <result>...</result>. */
int kc_report_jamf(FILE *out, const kc_result *r, const kc_print_opts *o);

/* --field NAME: one value alone on a line (o->field must be known). */
int kc_report_field(FILE *out, const kc_result *r, const kc_print_opts *o);
bool kc_field_known(const char *name);
/* "status, next_step, ..." (every --field name). */
const char *kc_field_names(void);

/* `kextcheck recovery-script`: a POSIX sh script of the commands the
 * findings call for in macOS Recovery (dry run unless given --apply). */
int kc_report_recovery(FILE *out, const kc_result *r, const kc_print_opts *o);

/* The worst status of the whole check, as its exit code says: "ok",
 * "warning", "critical" or "unknown". */
const char *kc_result_status(const kc_result *r);
/* o->generated_at as "YYYY-MM-DDTHH:MM:SSZ". */
void kc_report_time(const kc_print_opts *o, char *buf, size_t len);

/* `kextcheck plugins`: what was loaded, from where, and what was refused. */
int kc_report_plugins_text(FILE *out, const kc_registry *reg);
int kc_report_plugins_json(FILE *out, const kc_registry *reg);

#endif /* KC_REPORT_H */
