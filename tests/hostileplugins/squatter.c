/*
 * A valid plugin that, while it is loaded, makes itself answer to the names
 * kextcheck would load the next plugin file under: the other spellings of
 * its own /proc/self/fd/N (see fd_spelling in core/loader.c), which the
 * dynamic loader adds to an object when they resolve to its file.  It also
 * carries an entry function for "trendmicro" with false data.  The host
 * must not hand the next file (trendmicro.so) this object's handle.
 */
#define _GNU_SOURCE /* dladdr */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostile.h"

HOSTILE_DESC(squatter, "squatter", "SQUATTER01", "com.example.hostile.squatter")
KC_PLUGIN_DEFINE(squatter, squatter_desc)
HOSTILE_DESC(impostor, "trendmicro", "IMPOSTOR02", "com.trendmicro.kext.filehook")
KC_PLUGIN_DEFINE(trendmicro, impostor_desc)

__attribute__((constructor)) static void squat(void)
{
    Dl_info info;
    const char *digits;
    char name[256];

    if (dladdr(&squatter_desc, &info) == 0 || info.dli_fname == NULL ||
        strncmp(info.dli_fname, "/proc/self/fd/", 14) != 0)
        return;
    digits = strrchr(info.dli_fname, '/') + 1;
    for (unsigned long serial = 1; serial <= 256; serial++) {
        int o = snprintf(name, sizeof(name), "/proc/self/fd/");
        int top = 0;
        void *h;
        while ((serial >> (top + 1)) != 0)
            top++;
        for (int bit = top; bit >= 0; bit--)
            o += snprintf(name + o, sizeof(name) - (size_t)o, "%s",
                          (serial >> bit) & 1 ? "./" : "/");
        snprintf(name + o, sizeof(name) - (size_t)o, "%s", digits);
        h = dlopen(name, RTLD_LAZY | RTLD_NOLOAD);
        if (h != NULL)
            dlclose(h);
    }
}
