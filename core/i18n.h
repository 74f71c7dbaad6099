/* The words a person reads, in the person's language (gettext).
 *
 * Every message, evidence line, remediation step and report label is
 * written _("...") (or N_("...") where it is only named, e.g. in a table,
 * and translated where it is used; P_(singular, plural, n) where English
 * has a plural) so the catalog of the text domain "kextcheck" (po/LANG.po,
 * compiled to <localedir>/<lang>/LC_MESSAGES/kextcheck.mo) replaces it.
 * Codes, JSON keys, paths, bundle IDs and command lines are never marked.
 *
 * dgettext with the project's own domain: a plugin or a library that calls
 * textdomain() never changes which catalog kextcheck reads.  Built without
 * KEXTCHECK_NLS (ENABLE_NLS undefined) every macro is the English text.
 *
 * Which runs are translated (docs/architecture.md, "Languages"): the
 * locale's language applies to the text report and the messages on stderr;
 * a run whose output is for programs (JSON, Jamf, SQLite, --field, the
 * Recovery script) calls kc_i18n_english() once its options are read, so
 * every byte it writes is the same in every locale. */
#ifndef KC_I18N_H
#define KC_I18N_H

#define KC_TEXTDOMAIN "kextcheck"

#ifdef ENABLE_NLS
#include <libintl.h>
#define _(s) dgettext(KC_TEXTDOMAIN, s)
#define P_(s, p, n) dngettext(KC_TEXTDOMAIN, s, p, (unsigned long)(n))
#else
#define _(s) (s)
#define P_(s, p, n) ((n) == 1 ? (s) : (p))
#endif
#define N_(s) (s)

/* The environment variable that names the folder holding
 * <lang>/LC_MESSAGES/kextcheck.mo (tests, uninstalled builds). */
#define KC_LOCALEDIR_ENV "KEXTCHECK_LOCALEDIR"

/* Takes the language (LC_MESSAGES) and the character set (LC_CTYPE) from
 * the environment, and nothing else: numbers, dates and sorting stay "C",
 * so what kextcheck parses and computes never depends on the locale.
 * Binds the "kextcheck" domain to its folder: $KEXTCHECK_LOCALEDIR when set
 * and not empty, else <folder of the binary>/KC_LOCALE_RELDIR when that
 * folder exists (the build tree, a relocated install), else the installed
 * KC_LOCALEDIR; translations are always given in UTF-8.  A locale the
 * system does not have leaves the messages in English.  Call once, first. */
void kc_i18n_init(void);

/* From now on, in English: LC_MESSAGES and LC_CTYPE back to "C" (LANGUAGE
 * is then ignored, by gettext and by strerror alike). */
void kc_i18n_english(void);

/* why in the reader's language when it is one of the read stage's fixed
 * reasons ("not present", ...), else why itself (NULL stays NULL). */
const char *kc_i18n_reason(const char *why);

/* The folder kc_i18n_init binds the domain to (malloc'd), or NULL when out
 * of memory.  Without NLS, the installed folder all the same. */
char *kc_i18n_locale_dir(void);

#endif /* KC_I18N_H */
