/* The message language: the locale categories kextcheck takes from the
 * environment, and where its catalog is (i18n.h). */
#include "i18n.h"
#include "kc.h"

#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __APPLE__
#include <mach-o/dyld.h>
#endif

#ifndef KC_LOCALEDIR
#define KC_LOCALEDIR "/usr/local/share/locale"
#endif
#ifndef KC_LOCALE_RELDIR
#define KC_LOCALE_RELDIR "../share/locale"
#endif

/* <folder of this binary>/KC_LOCALE_RELDIR, or NULL when the binary's path
 * is not known or that folder does not exist. */
static char *beside_binary(void)
{
    char exe[PATH_MAX], *slash, *dir;
    struct stat st;
#ifdef __APPLE__
    char raw[PATH_MAX];
    uint32_t size = sizeof(raw);

    if (_NSGetExecutablePath(raw, &size) != 0 || realpath(raw, exe) == NULL)
        return NULL;
#else
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

    if (n <= 0)
        return NULL;
    exe[n] = '\0';
#endif
    slash = strrchr(exe, '/');
    if (slash == NULL)
        return NULL;
    *slash = '\0';
    dir = kc_asprintf("%s/%s", exe, KC_LOCALE_RELDIR);
    if (dir != NULL && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
        free(dir);
        dir = NULL;
    }
    return dir;
}

char *kc_i18n_locale_dir(void)
{
    const char *env = getenv(KC_LOCALEDIR_ENV);
    char *dir;

    if (env != NULL && env[0] != '\0')
        return kc_strdup(env);
    dir = beside_binary();
    return dir != NULL ? dir : kc_strdup(KC_LOCALEDIR);
}

void kc_i18n_init(void)
{
#ifdef ENABLE_NLS
    char *dir;

    /* A category the system has no locale for stays "C": English. */
    (void)setlocale(LC_CTYPE, "");
    (void)setlocale(LC_MESSAGES, "");
    dir = kc_i18n_locale_dir();
    /* Without memory or a binding the messages stay English, which is
     * what the caller would do about it anyway. */
    if (dir != NULL)
        (void)bindtextdomain(KC_TEXTDOMAIN, dir);
    (void)bind_textdomain_codeset(KC_TEXTDOMAIN, "UTF-8");
    free(dir);
#endif
}

/* The fixed reasons the read stage gives (gather.c, read.c, rootfs.c),
 * which it keeps in English in the model: translated where a person reads
 * them.  Any other reason (one with a path or an errno text in it) is
 * shown as it is. */
static const char *const read_reasons[] = {
    N_("not present"),
    N_("not in the snapshot"),
    N_("a symbolic link on the way leads out of the inspected root"),
};

const char *kc_i18n_reason(const char *why)
{
    if (why == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof(read_reasons) / sizeof(read_reasons[0]); i++)
        if (strcmp(why, read_reasons[i]) == 0)
            return _(read_reasons[i]);
    return why;
}

void kc_i18n_english(void)
{
#ifdef ENABLE_NLS
    /* "C" always exists: these cannot fail. */
    (void)setlocale(LC_MESSAGES, "C");
    (void)setlocale(LC_CTYPE, "C");
#endif
}
