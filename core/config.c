/* The INI configuration file, read with inih. */
#include "kc.h"

#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>

typedef struct parse_ctx {
    kc_config *cfg;
    FILE *f;
    int line;       /* lines read so far: the handler's current line */
    int why_line;   /* the line of the first handler error */
    int long_line;  /* the first line longer than inih takes, or 0 */
    char why[512];  /* the first handler error */
} parse_ctx;

static int fail(parse_ctx *ctx, const char *fmt, const char *a, const char *b)
{
    if (ctx->why[0] == '\0') {
        kc_snprintf(ctx->why, sizeof(ctx->why), fmt, a, b);
        ctx->why_line = ctx->line;
    }
    return 0; /* inih: error on this line */
}

/* inih's line reader, counting lines; a line longer than inih's buffer ends
 * the parse (inih would otherwise read its tail as a line of its own). */
static char *read_line(char *str, int num, void *stream)
{
    parse_ctx *ctx = stream;
    size_t n;

    if (fgets(str, num, ctx->f) == NULL)
        return NULL;
    ctx->line++;
    n = strlen(str);
    if (n == (size_t)num - 1 && str[n - 1] != '\n' && !feof(ctx->f)) {
        ctx->long_line = ctx->line;
        return NULL;
    }
    return str;
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
        return fail(ctx, "%s has no value (in [%s])", name, section);
    if (strcmp(section, "kextcheck") == 0) {
        if (strcmp(name, "root") == 0)
            rc = set_once(&cfg->root, value);
        else if (strcmp(name, "policy_db") == 0)
            rc = set_once(&cfg->policy_db, value);
        else
            return fail(ctx, "unknown key \"%s\" in [%s] (known: root, policy_db)", name,
                        section);
    } else if (strcmp(section, "plugins") == 0) {
        if (strcmp(name, "dir") == 0)
            rc = value[0] == '/' ? kc_strv_push(&cfg->plugin_dirs, value)
                                 : fail(ctx, "dir \"%s\" is not an absolute path%s", value, "");
        else if (strcmp(name, "enable") == 0)
            rc = push_list(&cfg->enable, value);
        else if (strcmp(name, "disable") == 0)
            rc = push_list(&cfg->disable, value);
        else
            return fail(ctx, "unknown key \"%s\" in [%s] (known: dir, enable, disable)", name,
                        section);
        if (rc == 0 && ctx->why[0] != '\0')
            return 0;
    } else if (strcmp(section, "commands") == 0) {
        if (strcmp(name, "timeout") == 0) {
            char *end = NULL;
            long t = strtol(value, &end, 10);
            if (end == value || *end != '\0' || t < 1 || t > 300)
                return fail(ctx, "timeout \"%s\" is not a number of seconds from 1 to 300%s",
                            value, "");
            cfg->cmd_timeout = (int)t;
            return 1;
        }
        if (strcmp(name, "spctl") != 0 && strcmp(name, "csrutil") != 0 &&
            strcmp(name, "kextstat") != 0)
            return fail(ctx,
                        "unknown key \"%s\" in [%s] (known: spctl, csrutil, kextstat, timeout)",
                        name, section);
        if (value[0] != '/')
            return fail(ctx, "%s \"%s\" is not an absolute path", name, value);
        rc = set_once(strcmp(name, "spctl") == 0     ? &cfg->cmd_spctl
                      : strcmp(name, "csrutil") == 0 ? &cfg->cmd_csrutil
                                                     : &cfg->cmd_kextstat,
                      value);
    } else {
        return fail(ctx, "unknown section [%s]%s (known: [kextcheck], [plugins], [commands])",
                    section, "");
    }
    if (rc != 0)
        return fail(ctx, "out of memory%s%s", "", "");
    return 1;
}

int kc_config_load(const char *path, kc_config *cfg, char *why, size_t whylen)
{
    parse_ctx ctx;
    FILE *f;
    int line;

    f = fopen(path, "r");
    if (f == NULL) {
        if (errno == ENOENT)
            return 1;
        kc_snprintf(why, whylen, "%s: %s", path, strerror(errno));
        return -1;
    }
    memset(&ctx, 0, sizeof(ctx));
    ctx.cfg = cfg;
    ctx.f = f;
    line = ini_parse_stream(read_line, &ctx, handler, &ctx);
    if (ferror(f)) {
        fclose(f);
        kc_snprintf(why, whylen, "%s: cannot be read", path);
        return -1;
    }
    fclose(f);
    if (line == 0 && ctx.long_line != 0)
        line = ctx.long_line;
    else if (ctx.long_line != 0 && ctx.long_line < line)
        line = ctx.long_line;
    if (line == 0)
        return 0;
    if (line < 0)
        kc_snprintf(why, whylen, "%s: cannot be read", path);
    else if (line == ctx.long_line)
        kc_snprintf(why, whylen, "%s:%d: line is longer than 200 bytes", path, line);
    else if (line == ctx.why_line)
        kc_snprintf(why, whylen, "%s:%d: %s", path, line, ctx.why);
    else
        kc_snprintf(why, whylen, "%s:%d: %s", path, line,
                    "not an INI line (expected [section], key = value, or a comment "
                    "starting with ; or #)");
    return -1;
}

void kc_config_free(kc_config *cfg)
{
    free(cfg->root);
    free(cfg->policy_db);
    free(cfg->cmd_spctl);
    free(cfg->cmd_csrutil);
    free(cfg->cmd_kextstat);
    kc_strv_free(&cfg->plugin_dirs);
    kc_strv_free(&cfg->enable);
    kc_strv_free(&cfg->disable);
    memset(cfg, 0, sizeof(*cfg));
}
