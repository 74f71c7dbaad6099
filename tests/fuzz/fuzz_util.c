/* Plumbing shared by the libFuzzer harnesses (see fuzz_util.h). */
#include "fuzz_util.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void fz_die(const char *what, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "kextcheck-fuzz: %s: ", what);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

/* The folder fz_tmpdir made.  libFuzzer calls the harness with no context
 * to carry it in, and atexit handlers take none either, hence file scope. */
static char tmp_dir[4096];

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    /* Best effort at exit: nothing is left to report a failure to. */
    if (flag == FTW_DP || flag == FTW_D)
        (void)rmdir(path);
    else
        (void)unlink(path);
    return 0;
}

static void remove_tmpdir(void)
{
    if (tmp_dir[0] != '\0')
        (void)nftw(tmp_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

const char *fz_tmpdir(void)
{
    const char *base = getenv("TMPDIR");

    if (tmp_dir[0] != '\0')
        return tmp_dir;
    if (base == NULL || base[0] != '/')
        base = "/tmp";
    if (kc_snprintf(tmp_dir, sizeof(tmp_dir), "%s/kextcheck-fuzz-XXXXXX", base) != 0)
        fz_die(base, "folder name too long");
    if (mkdtemp(tmp_dir) == NULL)
        fz_die(tmp_dir, "%s", strerror(errno));
    if (atexit(remove_tmpdir) != 0)
        fz_die("atexit", "cannot register the clean-up");
    return tmp_dir;
}

char *fz_tmp_path(const char *name)
{
    char *p = kc_asprintf("%s/%s", fz_tmpdir(), name);

    if (p == NULL)
        fz_die(name, "out of memory");
    return p;
}

void fz_mkdir_parents(const char *path)
{
    char *p = kc_strdup(path);

    if (p == NULL)
        fz_die(path, "out of memory");
    for (char *s = strchr(p + 1, '/'); s != NULL; s = strchr(s + 1, '/')) {
        *s = '\0';
        if (mkdir(p, 0755) != 0 && errno != EEXIST)
            fz_die(p, "%s", strerror(errno));
        *s = '/';
    }
    free(p);
}

void fz_write(const char *path, const void *data, size_t size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
    const char *p = data;

    if (fd < 0)
        fz_die(path, "%s", strerror(errno));
    while (size > 0) {
        ssize_t w = write(fd, p, size);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            fz_die(path, "%s", w < 0 ? strerror(errno) : "nothing written");
        p += w;
        size -= (size_t)w;
    }
    if (close(fd) != 0)
        fz_die(path, "%s", strerror(errno));
}

void fz_read(const char *path, size_t max, char **data, size_t *size)
{
    char why[256];

    *data = NULL;
    *size = 0;
    if (access(path, F_OK) != 0) {
        if (errno == ENOENT)
            return;
        fz_die(path, "%s", strerror(errno));
    }
    if (kc_read_file(path, max, data, size, why, sizeof(why)) != 0)
        fz_die(path, "%s", why);
}

/* nftw gives no context to its callback: the copy's source and target
 * prefixes, for the one copy running, at file scope. */
static const char *copy_src, *copy_dst;

static int copy_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    char *to = kc_asprintf("%s%s", copy_dst, path + strlen(copy_src));
    char *data = NULL;
    size_t size = 0;

    (void)ftw;
    if (to == NULL)
        fz_die(path, "out of memory");
    if (flag == FTW_D) {
        if (mkdir(to, 0755) != 0)
            fz_die(to, "%s", strerror(errno));
    } else if (flag == FTW_F && S_ISREG(st->st_mode)) {
        fz_read(path, 64u * 1024 * 1024, &data, &size);
        fz_write(to, data != NULL ? data : "", size);
        free(data);
    } else if (flag != FTW_SL) {
        fz_die(path, "cannot copy this kind of file");
    }
    free(to);
    return 0;
}

void fz_copy_tree(const char *src, const char *dst)
{
    copy_src = src;
    copy_dst = dst;
    if (nftw(src, copy_entry, 16, FTW_PHYS) != 0)
        fz_die(src, "copy to %s failed: %s", dst, strerror(errno));
}

void fz_check_why(const char *why, size_t whylen)
{
    const char *end = memchr(why, '\0', whylen);

    if (end == NULL)
        fz_die("why", "the reason is not NUL-terminated inside its buffer");
    if (end == why)
        fz_die("why", "a refusal without a reason");
    if (!kc_utf8_valid(why))
        fz_die("why", "the reason is not valid UTF-8");
}

void fz_check_utf8(const char *what, const char *s)
{
    if (s == NULL)
        fz_die(what, "NULL");
    if (!kc_utf8_valid(s))
        fz_die(what, "not valid UTF-8");
}

void fz_check_team(const char *what, const char *s)
{
    fz_check_utf8(what, s);
    if (strlen(s) != 10)
        fz_die(what, "a team ID of %zu characters", strlen(s));
    for (size_t i = 0; i < 10; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            fz_die(what, "a team ID with a character out of A-Z and 0-9");
}

void fz_check_all_unknown(const kc_evidence *ev)
{
    if (ev->consent_enabled != KC_UNKNOWN || ev->consent_teams.n != 0 ||
        ev->sip != KC_SIP_UNKNOWN || ev->kext_signing != KC_UNKNOWN || ev->loaded != NULL ||
        ev->n_loaded != 0 || ev->os_version != NULL || ev->os_major != 0 || ev->os_minor != 0 ||
        ev->sysexts != NULL || ev->n_sysexts != 0 || ev->sysexts_truncated)
        fz_die("evidence", "a refused input left something known");
}

void fz_evidence_init(kc_evidence *ev)
{
    memset(ev, 0, sizeof(*ev));
    kc_evidence_free(ev);
}
