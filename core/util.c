/* Small helpers: messages, owned strings, paths, text cleaning, file reads. */
#include "i18n.h"
#include "kc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void kc_err(const char *what, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "%s: %s: ", KC_PROGRAM, what);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

char *kc_strdup(const char *s)
{
    size_t n;
    char *p;

    if (s == NULL)
        return NULL;
    n = strlen(s) + 1;
    p = malloc(n);
    if (p != NULL)
        memcpy(p, s, n);
    return p;
}

char *kc_asprintf(const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    p = malloc((size_t)n + 1);
    if (p == NULL)
        return NULL;
    va_start(ap, fmt);
    n = vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    if (n < 0) {
        free(p);
        return NULL;
    }
    return p;
}

int kc_snprintf(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (len == 0)
        return -1;
    va_start(ap, fmt);
    n = vsnprintf(buf, len, fmt, ap);
    va_end(ap);
    if (n < 0) {
        buf[0] = '\0';
        return -1;
    }
    return (size_t)n >= len ? -1 : 0;
}

int kc_strv_push(kc_strv *sv, const char *s)
{
    char *copy;

    if (sv->n == sv->cap) {
        size_t cap = sv->cap ? sv->cap * 2 : 8;
        char **v = realloc(sv->v, cap * sizeof(*v));
        if (v == NULL)
            return -1;
        sv->v = v;
        sv->cap = cap;
    }
    copy = kc_strdup(s);
    if (copy == NULL)
        return -1;
    sv->v[sv->n++] = copy;
    return 0;
}

bool kc_strv_contains(const kc_strv *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return true;
    return false;
}

void kc_strv_free(kc_strv *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = sv->cap = 0;
}

char *kc_path_under_root(const char *root, const char *mac_path)
{
    size_t rl = strlen(root);

    while (rl > 1 && root[rl - 1] == '/')
        rl--;
    if (rl == 1 && root[0] == '/')
        return kc_strdup(mac_path);
    return kc_asprintf("%.*s%s%s", (int)rl, root, mac_path[0] == '/' ? "" : "/",
                       mac_path);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    unsigned min;
    unsigned cp;

    if (c < 0x80)
        return c == 0 ? 0 : 1;
    if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        cp = c & 0x1f;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        cp = c & 0x0f;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        cp = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

char *kc_utf8_clean(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    char *out;
    size_t o = 0;

    if (s == NULL)
        return NULL;
    if (n > (SIZE_MAX - 1) / 3)
        return NULL;
    out = malloc(n * 3 + 1);
    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < n;) {
        size_t l = utf8_seq_len(p + i, n - i);
        if (l == 0) {
            memcpy(out + o, "\xef\xbf\xbd", 3);
            o += 3;
            i++;
        } else {
            memcpy(out + o, p + i, l);
            o += l;
            i += l;
        }
    }
    out[o] = '\0';
    return out;
}

const char *kc_team_id_rule(void)
{
    return _("a team ID (10 characters of A-Z and 0-9)");
}

bool kc_team_id_valid(const char *s, size_t n)
{
    if (s == NULL || n != KC_TEAM_ID_LEN)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
            return false;
    return true;
}

bool kc_utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);

    for (size_t i = 0; i < n;) {
        size_t l = utf8_seq_len(p + i, n - i);
        if (l == 0)
            return false;
        i += l;
    }
    return true;
}

char *kc_printable(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s);
    char *out;
    size_t o = 0;

    if (n > (SIZE_MAX - 1) / 4)
        return NULL;
    out = malloc(n * 4 + 1);
    if (out == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned c = p[i];
        if (c < 0x20 || c == 0x7f) {
            o += (size_t)sprintf(out + o, "\\x%02x", c);
        } else if (c == 0xc2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f) {
            /* C1 control characters (U+0080..U+009F), e.g. CSI. */
            o += (size_t)sprintf(out + o, "\\x%02x", p[i + 1]);
            i++;
        } else {
            out[o++] = (char)c;
        }
    }
    out[o] = '\0';
    return out;
}

char *kc_shell_quote(const char *s)
{
    size_t n = 2, o = 0;
    char *out;

    for (const char *p = s; *p; p++)
        n += *p == '\'' ? 4 : 1;
    out = malloc(n + 1);
    if (out == NULL)
        return NULL;
    out[o++] = '\'';
    for (const char *p = s; *p; p++) {
        if (*p == '\'') {
            memcpy(out + o, "'\\''", 4);
            o += 4;
        } else {
            out[o++] = *p;
        }
    }
    out[o++] = '\'';
    out[o] = '\0';
    return out;
}

void kc_split_path(char *path, const char **parent, char **base)
{
    char *slash = strrchr(path, '/');

    if (slash == NULL) {
        *parent = ".";
        *base = path;
    } else {
        *slash = '\0';
        *parent = path[0] != '\0' ? path : "/";
        *base = slash + 1;
    }
}

const char *kc_unsafe_folder(const struct stat *st, char *buf, size_t len)
{
    if (st->st_uid != 0 && st->st_uid != geteuid()) {
        kc_snprintf(buf, len, _("is owned by uid %lu, which is neither root nor the running user"),
                    (unsigned long)st->st_uid);
        return buf;
    }
    if ((st->st_mode & (S_IWGRP | S_IWOTH)) != 0 && (st->st_mode & S_ISVTX) == 0) {
        kc_snprintf(buf, len, "%s",
                    st->st_mode & S_IWOTH ? _("is writable by everyone and has no sticky bit")
                                          : _("is writable by its group and has no sticky bit"));
        return buf;
    }
    return NULL;
}

int kc_read_fd(int fd, size_t n, char **data, size_t *len, char *why, size_t whylen)
{
    char *buf = NULL;
    size_t got = 0;
    int rc = -1;

    *data = NULL;
    *len = 0;
    if (n == SIZE_MAX || (buf = malloc(n + 1)) == NULL) {
        kc_snprintf(why, whylen, "%s", _("out of memory"));
        goto done;
    }
    while (got < n) {
        ssize_t r = read(fd, buf + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            kc_snprintf(why, whylen, "%s", strerror(errno));
            goto done;
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    buf[got] = '\0';
    *data = buf;
    *len = got;
    buf = NULL;
    rc = 0;
done:
    free(buf);
    return rc;
}

int kc_read_file(const char *path, size_t max, char **data, size_t *len,
                 char *why, size_t whylen)
{
    /* The same checks as for a file of the inspected Mac (rootfs.c): looked
     * at before it is opened, never through a link in its last name. */
    return kc_read_file_at(AT_FDCWD, path, max, data, len, why, whylen);
}

long long kc_now_ms(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0;
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void kc_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}
