/*
 * --output FILE: a report written under a temporary name in FILE's folder
 * and renamed over FILE once complete, so that a reader (osquery, Jamf, a
 * script) sees the old file or the new one, never half of one.
 *
 * FILE's folder is the user's choice (links in its path are followed), but
 * it must be one that only root and the running user can change, or a
 * sticky one such as /tmp: another user could otherwise swap the temporary
 * file or FILE while kextcheck (often root) writes.  Everything after that
 * is relative to the opened folder: the temporary file is created with
 * O_CREAT | O_EXCL | O_NOFOLLOW and mode 0600, made 0644 once written and
 * synced, and renamed over FILE.  FILE itself, when it exists, must be a
 * regular file: a symbolic link there is refused, never followed.
 */
#ifndef KC_OUTFILE_H
#define KC_OUTFILE_H

#include <stdio.h>

typedef struct kc_outfile {
    const char *shown; /* FILE as given, for messages */
    int dirfd;         /* FILE's folder, opened once */
    char *name;        /* FILE's last component */
    char *tmpname;     /* the temporary file's name in dirfd */
    FILE *fp;          /* open on the temporary file */
} kc_outfile;

/* Opens FILE's folder and a new temporary file in it.  0; or an exit code
 * (KC_EXIT_USAGE for a folder or FILE that may not be written, a path that
 * names no file; KC_EXIT_UNKNOWN when the file cannot be created) with the
 * message printed. */
int kc_outfile_open(kc_outfile *of, const char *path);
/* Flushes, syncs, makes the file 0644 and renames it over FILE.  0, or
 * KC_EXIT_UNKNOWN with the message printed (the temporary file removed). */
int kc_outfile_commit(kc_outfile *of);
/* Removes the temporary file (when not committed) and frees everything. */
void kc_outfile_close(kc_outfile *of);

#endif
