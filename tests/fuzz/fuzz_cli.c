/*
 * libFuzzer harness for the whole program, in process: the input's first
 * byte picks a file of a snapshot (the approval database, one captured
 * command output, one of the three plists or a kext's Info.plist), the rest
 * of the input becomes that file, and kc_cli_main runs
 *
 *   kextcheck --no-config -P PLUGINDIR --root SNAPSHOT --format json
 *
 * with its stdout sent to /dev/null (run with -close_fd_mask=2 to silence
 * its stderr too).  SNAPSHOT is a private copy of a bundled snapshot
 * (KC_FUZZ_BASE_SNAPSHOT, built by the build's `snapshots` target), so every
 * other source is there and sensible; the file is put back afterwards.
 *
 * Besides crashes, leaks, undefined behaviour and aborts, it stops when the
 * exit status is not one of the report's (0 to 3), or when the run changed
 * a file of the snapshot other than the one written.
 */
#include "fuzz_util.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef KC_FUZZ_BASE_SNAPSHOT
#error "KC_FUZZ_BASE_SNAPSHOT: the snapshot folder to start from"
#endif
#ifndef KC_FUZZ_PLUGINDIR
#error "KC_FUZZ_PLUGINDIR: the plugin folder"
#endif

#define FILE_MAX (4 * 1024 * 1024)

/* The files an input can be, by its first byte (modulo the count); the
 * database first. */
static const char *const targets[] = {
    "var/db/SystemPolicyConfiguration/KextPolicy",
    ".kextcheck/spctl-kext-consent-status.txt",
    ".kextcheck/spctl-kext-consent-list.txt",
    ".kextcheck/csrutil-status.txt",
    ".kextcheck/kextstat.txt",
    "Library/Managed Preferences/com.apple.syspolicy.kernel-extension-policy.plist",
    "System/Library/CoreServices/SystemVersion.plist",
    "Library/SystemExtensions/db.plist",
    "Library/Application Support/TrendMicro/KernelExtensions/filehook.kext/Contents/Info.plist",
};
#define N_TARGETS (sizeof(targets) / sizeof(targets[0]))

/* The snapshot copy and each target's original content, made once for
 * the life of the process (libFuzzer passes no context to the harness). */
static char *root;
static struct {
    char *path;
    char *data; /* NULL: the file is not in the base snapshot */
    size_t size;
} original[N_TARGETS];

/* The database's -wal, -shm and -journal, which the base snapshot lacks. */
static char *side_files[3];

static void setup(void)
{
    static const char *const sides[] = {"-wal", "-shm", "-journal"};
    int devnull;

    root = fz_tmp_path("root");
    fz_copy_tree(KC_FUZZ_BASE_SNAPSHOT, root);
    for (size_t i = 0; i < N_TARGETS; i++) {
        original[i].path = kc_asprintf("%s/%s", root, targets[i]);
        if (original[i].path == NULL)
            fz_die("setup", "out of memory");
        fz_mkdir_parents(original[i].path);
        fz_read(original[i].path, FILE_MAX, &original[i].data, &original[i].size);
    }
    for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
        side_files[i] = kc_asprintf("%s%s", original[0].path, sides[i]);
        if (side_files[i] == NULL)
            fz_die("setup", "out of memory");
        if (access(side_files[i], F_OK) == 0)
            fz_die(side_files[i], "the base snapshot must have no such file");
    }
    /* The report goes nowhere; libFuzzer writes only to stderr. */
    devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (devnull < 0 || dup2(devnull, STDOUT_FILENO) < 0 || close(devnull) != 0)
        fz_die("/dev/null", "cannot send stdout there");
}

static void restore(size_t t)
{
    if (original[t].data != NULL)
        fz_write(original[t].path, original[t].data, original[t].size);
    else if (unlink(original[t].path) != 0)
        fz_die(original[t].path, "cannot remove the fuzzed file");
}

/* The other targets must be as they were: kextcheck writes nothing under
 * the root it inspects. */
static void check_untouched(size_t written)
{
    for (size_t i = 0; i < N_TARGETS; i++) {
        char *now = NULL;
        size_t size = 0;
        bool same;
        if (i == written)
            continue;
        fz_read(original[i].path, FILE_MAX, &now, &size);
        same = (now == NULL) == (original[i].data == NULL) && size == original[i].size &&
               (size == 0 || memcmp(now, original[i].data, size) == 0);
        free(now);
        if (!same)
            fz_die(original[i].path, "changed by a run of kextcheck");
    }
    /* Nor does it make SQLite's side files beside the database. */
    for (size_t i = 0; i < sizeof(side_files) / sizeof(side_files[0]); i++)
        if (access(side_files[i], F_OK) == 0)
            fz_die(side_files[i], "created by a run of kextcheck");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char a0[] = "kextcheck", a1[] = "--no-config", a2[] = "-P", a3[] = KC_FUZZ_PLUGINDIR,
         a4[] = "--root", a6[] = "--format", a7[] = "json";
    char *argv[9];
    size_t t;
    int rc;

    if (size == 0)
        return 0;
    if (root == NULL)
        setup();
    t = data[0] % N_TARGETS;
    fz_write(original[t].path, data + 1, size - 1);
    argv[0] = a0;
    argv[1] = a1;
    argv[2] = a2;
    argv[3] = a3;
    argv[4] = a4;
    argv[5] = root;
    argv[6] = a6;
    argv[7] = a7;
    argv[8] = NULL;
    /* kc_cli_main uses getopt_long: start it afresh (glibc: optind = 0). */
    optind = 0;
    rc = kc_cli_main(8, argv);
    if (fflush(stdout) != 0)
        clearerr(stdout);
    if (rc < 0 || rc > 3)
        fz_die("kc_cli_main", "exit status %d", rc);
    restore(t);
    check_untouched(t);
    return 0;
}
