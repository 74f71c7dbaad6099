/* The table of output formats (--format). */
#include "report.h"

#include <stdio.h>
#include <string.h>

static const kc_printer printers[] = {
    {"text", kc_report_text},
    {"json", kc_report_json},
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
