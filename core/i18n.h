/* Marking of the words a person reads, for translation.
 *
 * Every message, evidence line and remediation step is written _("...") (or
 * N_("...") where it is only named, e.g. in a table) so a message catalog can
 * replace it; codes, JSON keys and command lines stay as they are. */
#ifndef KC_I18N_H
#define KC_I18N_H

#define _(s) (s)
#define N_(s) (s)

#endif /* KC_I18N_H */
