/* `kextcheck snapshot DESCRIPTION DIR`: a Mac root folder built from a small
 * INI description (docs/snapshot-format.md), for vendors testing a plugin
 * and for the project's own test matrix.  Everything it writes is what
 * `kextcheck --root DIR` reads, in the formats the Mac's own tools print. */
#ifndef KC_SNAPSHOT_H
#define KC_SNAPSHOT_H

#include <stddef.h>

/* A parsed and checked description (defaults filled in). */
typedef struct kc_snap kc_snap;

/* Reads the description at path.  0 with *out set, or -1 with the reason
 * in why ("FILE:LINE: why", or "FILE: why" when the file cannot be read). */
int kc_snap_parse(const char *path, kc_snap **out, char *why, size_t whylen);
void kc_snap_free(kc_snap *snap);

/* Writes the Mac root into dir, which must not exist yet or be an empty
 * folder of the running user's that nobody else can write to.  Nothing is
 * written outside dir and no link inside it is followed.  Returns an exit
 * code: 0, KC_EXIT_USAGE (dir is not new) or KC_EXIT_UNKNOWN (a write
 * failed; what was written stays); messages go to stderr. */
int kc_snap_write(const kc_snap *snap, const char *dir);

/* The whole command: parse, then write.  Returns the exit code (64 for a
 * bad description). */
int kc_snapshot(const char *description, const char *dir);

#endif /* KC_SNAPSHOT_H */
