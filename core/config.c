/* The INI configuration file, read with inih. */
#include "i18n.h"
#include "kc.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The largest configuration file read (a real one is a few hundred bytes). */
#define CONFIG_MAX (64 * 1024)

typedef struct parse_ctx {
    kc_config *cfg;
    const char *text; /* the whole file, read before parsing */
    size_t len;
    size_t pos;       /* where the next line starts */
    int line;         /* lines read so far: the handler's current line */
    int why_line;     /* the line of the first handler error */
    int long_line;    /* the first line longer than inih takes, or 0 */
    int max_line;     /* the longest line inih takes, in bytes */
    char why[512];    /* the first handler error */
} parse_ctx;

static int fail(parse_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records the first error (in the reader's language); 0 for inih. */
static int fail(parse_ctx *ctx, const char *fmt, ...)
{
    va_list ap;

    if (ctx->why[0] == '\0') {
        va_start(ap, fmt);
        vsnprintf(ctx->why, sizeof(ctx->why), fmt, ap);
        va_end(ap);
        ctx->why_line = ctx->line;
    }
    return 0; /* inih: error on this line */
}

/* inih's line reader over the file's text, counting lines.  inih's buffer
 * is num bytes with the terminating NUL, so a line (without its "\n" or
 * "\r\n") may hold num - 1 bytes; a longer one ends the parse (inih would
 * otherwise read its tail as a line of its own). */
static char *read_line(char *str, int num, void *stream)
{
    parse_ctx *ctx = stream;
    const char *p = ctx->text + ctx->pos, *nl;
    size_t n, room = num > 0 ? (size_t)num - 1 : 0;

    if (ctx->pos >= ctx->len)
        return NULL;
    nl = memchr(p, '\n', ctx->len - ctx->pos);
    n = nl ? (size_t)(nl - p) : ctx->len - ctx->pos;
    ctx->pos += n + (nl != NULL);
    if (nl != NULL && n > 0 && p[n - 1] == '\r')
        n--;
    ctx->line++;
    ctx->max_line = (int)room;
    if (n > room) {
        ctx->long_line = ctx->line;
        return NULL;
    }
    memcpy(str, p, n);
    str[n] = '\0';
    return str;
}

/* Reads the whole file: a regular file (a FIFO or a device such as
 * /dev/zero could block or never end) of at most CONFIG_MAX bytes.
 * 0; 1 when it does not exist; -1 with why. */
static int read_config(const char *path, char **text, size_t *len, char *why, size_t whylen)
{
    struct stat st;
    char *buf = NULL, err[256];
    size_t got = 0;
    int fd, rc = -1;

    *text = NULL;
    *len = 0;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return 1;
        kc_snprintf(why, whylen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0) {
        kc_snprintf(why, whylen, "%s: %s", path, strerror(errno));
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        kc_snprintf(why, whylen,
                    _("%s: not a regular file (a FIFO, device or folder is never read as a "
                      "configuration file)"),
                    path);
        goto done;
    }
    /* One byte more than allowed tells a file too large, even one that
     * grows while it is read. */
    if (kc_read_fd(fd, CONFIG_MAX + 1, &buf, &got, err, sizeof(err)) != 0) {
        kc_snprintf(why, whylen, "%s: %s", path, err);
        goto done;
    }
    if (got > CONFIG_MAX) {
        kc_snprintf(why, whylen,
                    _("%s: larger than %d bytes (64 KiB, the most a configuration file may "
                      "hold)"),
                    path, CONFIG_MAX);
        goto done;
    }
    *text = buf;
    *len = got;
    buf = NULL;
    rc = 0;
done:
    free(buf);
    close(fd);
    return rc;
}

/* Splits a list on commas and white space into sv. */
static int push_list(kc_strv *sv, const char *value)
{
    const char *p = value;

    while (*p) {
        size_t n;
        char *item;
        int rc;
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
        n = strcspn(p, ", \t");
        if (n == 0)
            break;
        item = kc_asprintf("%.*s", (int)n, p);
        rc = item ? kc_strv_push(sv, item) : -1;
        free(item);
        if (rc != 0)
            return -1;
        p += n;
    }
    return 0;
}

static int set_once(char **slot, const char *value)
{
    char *copy = kc_strdup(value);

    if (copy == NULL)
        return -1;
    free(*slot);
    *slot = copy;
    return 0;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    parse_ctx *ctx = user;
    kc_config *cfg = ctx->cfg;
    int rc;

    if (value == NULL || value[0] == '\0')
        return fail(ctx, _("%s has no value (in [%s])"), name, section);
    if (strcmp(section, "kextcheck") == 0) {
        if (strcmp(name, "root") == 0)
            rc = set_once(&cfg->root, value);
        else if (strcmp(name, "policy_db") == 0)
            rc = set_once(&cfg->policy_db, value);
        else
            return fail(ctx, _("unknown key \"%s\" in [%s] (known: root, policy_db)"), name,
                        section);
    } else if (strcmp(section, "plugins") == 0) {
        if (strcmp(name, "dir") == 0)
            rc = value[0] == '/' ? kc_strv_push(&cfg->plugin_dirs, value)
                                 : fail(ctx, _("dir \"%s\" is not an absolute path"), value);
        else if (strcmp(name, "enable") == 0)
            rc = push_list(&cfg->enable, value);
        else if (strcmp(name, "disable") == 0)
            rc = push_list(&cfg->disable, value);
        else
            return fail(ctx, _("unknown key \"%s\" in [%s] (known: dir, enable, disable)"),
                        name, section);
        if (rc == 0 && ctx->why[0] != '\0')
            return 0;
    } else if (strcmp(section, "commands") == 0) {
        if (strcmp(name, "timeout") == 0) {
            char *end = NULL;
            long t = strtol(value, &end, 10);
            if (end == value || *end != '\0' || t < 1 || t > 300)
                return fail(ctx, _("timeout \"%s\" is not a number of seconds from 1 to 300"),
                            value);
            cfg->cmd_timeout = (int)t;
            return 1;
        }
        {
            int t = 0;
            while (t < KC_TOOL_COUNT && strcmp(name, kc_tool_key((kc_tool)t)) != 0)
                t++;
            if (t == KC_TOOL_COUNT)
                return fail(ctx,
                            _("unknown key \"%s\" in [%s] (known: spctl, csrutil, kextstat, "
                              "uname, sysctl, bputil, timeout)"),
                            name, section);
            if (value[0] != '/')
                return fail(ctx, _("%s \"%s\" is not an absolute path"), name, value);
            rc = set_once(&cfg->cmd[t], value);
        }
    } else {
        return fail(ctx, _("unknown section [%s] (known: [kextcheck], [plugins], [commands])"),
                    section);
    }
    if (rc != 0)
        return fail(ctx, "%s", _("out of memory"));
    return 1;
}

int kc_config_load(const char *path, kc_config *cfg, char *why, size_t whylen)
{
    parse_ctx ctx;
    char *text = NULL;
    const char *nul;
    size_t len = 0;
    int line, r = read_config(path, &text, &len, why, whylen);

    if (r != 0)
        return r;
    /* A NUL byte ends the line for inih, and a viewer may show nothing for
     * it: "enable = x\0, trendmicro" would quietly enable x alone. */
    nul = memchr(text, '\0', len);
    if (nul != NULL) {
        int at = 1;
        for (const char *p = text; p < nul; p++)
            at += *p == '\n';
        kc_snprintf(why, whylen,
                    _("%s:%d: holds a NUL byte (a configuration file is text; what follows it "
                      "on the line would be ignored)"),
                    path, at);
        free(text);
        return -1;
    }
    memset(&ctx, 0, sizeof(ctx));
    ctx.cfg = cfg;
    ctx.text = text;
    ctx.len = len;
    line = ini_parse_stream(read_line, &ctx, handler, &ctx);
    free(text);
    if (line == 0 && ctx.long_line != 0)
        line = ctx.long_line;
    else if (ctx.long_line != 0 && ctx.long_line < line)
        line = ctx.long_line;
    if (line == 0)
        return 0;
    if (line < 0)
        kc_snprintf(why, whylen, _("%s: cannot be read"), path);
    else if (line == ctx.long_line)
        kc_snprintf(why, whylen,
                    _("%s:%d: line is longer than %d bytes (the most a line may hold, not "
                      "counting its end)"),
                    path, line, ctx.max_line);
    else if (line == ctx.why_line)
        kc_snprintf(why, whylen, "%s:%d: %s", path, line, ctx.why);
    else
        kc_snprintf(why, whylen, "%s:%d: %s", path, line,
                    _("not an INI line (expected [section], key = value, or a comment starting "
                      "with ; or #)"));
    return -1;
}

void kc_config_free(kc_config *cfg)
{
    free(cfg->root);
    free(cfg->policy_db);
    for (int t = 0; t < KC_TOOL_COUNT; t++)
        free(cfg->cmd[t]);
    kc_strv_free(&cfg->plugin_dirs);
    kc_strv_free(&cfg->enable);
    kc_strv_free(&cfg->disable);
    memset(cfg, 0, sizeof(*cfg));
}
