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
} kc_print_opts;

/* Prints r to out: 0, or -1 when a write failed or memory ran out. */
typedef int (*kc_print_fn)(FILE *out, const kc_result *r, const kc_print_opts *o);

typedef struct kc_printer {
    const char *name;   /* the --format value */
    kc_print_fn print;
} kc_printer;

/* The printer of that --format name, or NULL. */
const kc_printer *kc_printer_find(const char *name);
/* "text, json, ..." (every --format name) for messages, cut to len. */
void kc_printer_names(char *buf, size_t len);

int kc_report_text(FILE *out, const kc_result *r, const kc_print_opts *o);
int kc_report_json(FILE *out, const kc_result *r, const kc_print_opts *o);

/* `kextcheck plugins`: what was loaded, from where, and what was refused. */
int kc_report_plugins_text(FILE *out, const kc_registry *reg);
int kc_report_plugins_json(FILE *out, const kc_registry *reg);

#endif /* KC_REPORT_H */
