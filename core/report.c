/* The table of output formats (--format). */
#include "report.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const kc_printer printers[] = {
    {"text", kc_report_text, false},
    {"json", kc_report_json, false},
    {"sqlite", kc_report_sqlite, true},
    {"jamf", kc_report_jamf, false},
};

const kc_printer *kc_printer_find(const char *name)
{
    for (size_t i = 0; i < sizeof(printers) / sizeof(printers[0]); i++)
        if (strcmp(printers[i].name, name) == 0)
            return &printers[i];
    return NULL;
}

void kc_printer_names(char *buf, size_t len)
{
    size_t o = 0;

    if (len == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof(printers) / sizeof(printers[0]); i++) {
        int n = snprintf(buf + o, len - o, "%s%s", i ? ", " : "", printers[i].name);
        if (n < 0 || (size_t)n >= len - o)
            return;
        o += (size_t)n;
    }
}

const char *kc_result_status(const kc_result *r)
{
    switch (r->exit_code) {
    case KC_EXIT_OK:
        return "ok";
    case KC_EXIT_WARNING:
        return "warning";
    case KC_EXIT_CRITICAL:
        return "critical";
    default:
        return "unknown";
    }
}

void kc_report_time(const kc_print_opts *o, char *buf, size_t len)
{
    time_t t = (time_t)o->generated_at;
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        kc_snprintf(buf, len, "@%lld", o->generated_at);
}
