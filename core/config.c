/* The INI configuration file, read with inih. */
#include "kc.h"

#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>

typedef struct parse_ctx {
    kc_config *cfg;
    char why[512]; /* first error; the line number comes from inih */
} parse_ctx;

static int fail(parse_ctx *ctx, const char *fmt, const char *a, const char *b)
{
    if (ctx->why[0] == '\0')
        kc_snprintf(ctx->why, sizeof(ctx->why), fmt, a, b);
    return 0; /* inih: error on this line */
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
    } else {
        return fail(ctx, "unknown section [%s]%s (known: [kextcheck], [plugins])", section, "");
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
    line = ini_parse_file(f, handler, &ctx);
    fclose(f);
    if (line == 0)
        return 0;
    if (line < 0)
        kc_snprintf(why, whylen, "%s: cannot be read", path);
    else
        kc_snprintf(why, whylen, "%s:%d: %s", path, line,
                    ctx.why[0] ? ctx.why
                               : "not an INI line (expected [section], key = value, or a "
                                 "comment starting with ; or #; lines are at most 200 bytes)");
    return -1;
}

void kc_config_free(kc_config *cfg)
{
    free(cfg->root);
    free(cfg->policy_db);
    kc_strv_free(&cfg->plugin_dirs);
    kc_strv_free(&cfg->enable);
    kc_strv_free(&cfg->disable);
    memset(cfg, 0, sizeof(*cfg));
}
