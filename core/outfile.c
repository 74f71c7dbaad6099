/* --output FILE: write under a temporary name, then rename (outfile.h). */
#include "outfile.h"

#include "i18n.h"
#include "kc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TMP_TRIES 64

/* 12 letters for a temporary name: from /dev/urandom, or (without it) from
 * the process, the clock and the try. */
static void random_letters(char out[13], unsigned try)
{
    static const char abc[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char raw[12];
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    bool got = false;

    if (fd >= 0) {
        got = read(fd, raw, sizeof(raw)) == (ssize_t)sizeof(raw);
        close(fd);
    }
    if (!got) {
        unsigned long long x = (unsigned long long)getpid() * 2654435761ULL ^
                               (unsigned long long)time(NULL) ^ (unsigned long long)clock() ^
                               ((unsigned long long)try << 32);
        for (size_t i = 0; i < sizeof(raw); i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            raw[i] = (unsigned char)(x >> 56);
        }
    }
    for (size_t i = 0; i < sizeof(raw); i++)
        out[i] = abc[raw[i] % (sizeof(abc) - 1)];
    out[12] = '\0';
}

int kc_outfile_open(kc_outfile *of, const char *path)
{
    char *copy = NULL, *base, buf[256];
    const char *parent, *why;
    struct stat st;
    int rc = KC_EXIT_USAGE, fd = -1;

    memset(of, 0, sizeof(*of));
    of->shown = path;
    of->dirfd = -1;
    if (path[0] == '\0' || path[strlen(path) - 1] == '/') {
        kc_err(path[0] ? path : "--output", "%s", _("name a file to write, not a folder"));
        goto done;
    }
    copy = kc_strdup(path);
    if (copy == NULL)
        goto oom;
    kc_split_path(copy, &parent, &base);
    if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
        kc_err(path, "%s", _("name a file to write, not a folder"));
        goto done;
    }
    of->name = kc_strdup(base);
    if (of->name == NULL)
        goto oom;
    /* The folder is the user's choice (links in its path are followed);
     * what matters is who can change it while kextcheck writes there. */
    of->dirfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (of->dirfd < 0 || fstat(of->dirfd, &st) != 0) {
        kc_err(path, "%s: %s", parent, strerror(errno));
        goto done;
    }
    why = kc_unsafe_folder(&st, buf, sizeof(buf));
    if (why != NULL) {
        /* TRANSLATORS: the second %s is a reason such as "is writable by everyone
           and has no sticky bit" (core/util.c, kc_unsafe_folder). */
        kc_err(path,
               _("its folder %s %s: another user could replace the file while kextcheck "
                 "writes it. Write into a folder that only root or you can change (or a sticky "
                 "one such as /tmp)"),
               parent, why);
        goto done;
    }
    if (fstatat(of->dirfd, of->name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        if (!S_ISREG(st.st_mode)) {
            kc_err(path, "%s",
                   _("exists and is not a regular file (a symbolic link is never followed or "
                     "replaced)"));
            goto done;
        }
    } else if (errno != ENOENT) {
        kc_err(path, "%s", strerror(errno));
        goto done;
    }
    for (unsigned try = 0; try < TMP_TRIES && fd < 0; try++) {
        char letters[13];
        random_letters(letters, try);
        free(of->tmpname);
        of->tmpname = kc_asprintf(".kextcheck-%s.tmp", letters);
        if (of->tmpname == NULL)
            goto oom;
        fd = openat(of->dirfd, of->tmpname,
                    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST) {
            kc_err(path, _("cannot create a file in %s: %s"), parent, strerror(errno));
            free(of->tmpname);
            of->tmpname = NULL;
            rc = KC_EXIT_UNKNOWN;
            goto done;
        }
    }
    if (fd < 0) {
        kc_err(path, _("cannot create a temporary file in %s: every name tried exists"), parent);
        free(of->tmpname);
        of->tmpname = NULL;
        rc = KC_EXIT_UNKNOWN;
        goto done;
    }
    of->fp = fdopen(fd, "wb");
    if (of->fp == NULL) {
        close(fd);
        goto oom;
    }
    rc = 0;
    goto done;
oom:
    kc_err(_("memory"), "%s", _("out of memory"));
    rc = KC_EXIT_UNKNOWN;
done:
    free(copy);
    if (rc != 0)
        kc_outfile_close(of);
    return rc;
}

int kc_outfile_commit(kc_outfile *of)
{
    int err = 0;

    if (of->fp == NULL || of->tmpname == NULL)
        return KC_EXIT_UNKNOWN;
    if (fflush(of->fp) != 0 || ferror(of->fp))
        err = errno ? errno : EIO;
    else if (fsync(fileno(of->fp)) != 0 && errno != EINVAL)
        err = errno;
    else if (fchmod(fileno(of->fp), 0644) != 0)
        err = errno;
    if (fclose(of->fp) != 0 && err == 0)
        err = errno ? errno : EIO;
    of->fp = NULL;
    if (err == 0 && renameat(of->dirfd, of->tmpname, of->dirfd, of->name) != 0)
        err = errno;
    if (err != 0) {
        kc_err(of->shown, "%s", strerror(err));
        return KC_EXIT_UNKNOWN;
    }
    free(of->tmpname);
    of->tmpname = NULL;
    /* The new name on disk too, where the system allows it. */
    (void)fsync(of->dirfd);
    return 0;
}

void kc_outfile_close(kc_outfile *of)
{
    if (of->fp != NULL)
        fclose(of->fp);
    if (of->tmpname != NULL && of->dirfd >= 0)
        (void)unlinkat(of->dirfd, of->tmpname, 0);
    if (of->dirfd >= 0)
        close(of->dirfd);
    free(of->name);
    free(of->tmpname);
    memset(of, 0, sizeof(*of));
    of->dirfd = -1;
}
