/* kextcheck: command line, configuration and the run itself. */
#include "kc.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __APPLE__
#include <mach-o/dyld.h>
#endif

#define KC_POLICY_DB_PATH "/var/db/SystemPolicyConfiguration/KextPolicy"

typedef enum { FORMAT_TEXT, FORMAT_JSON } out_format;
typedef enum { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } color_mode;

typedef struct options {
    const char *root;
    const char *policy_db;
    const char *config;
    bool no_config;
    out_format format;
    color_mode color;
    kc_strv vendors;
    kc_strv plugin_dirs;
} options;

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: kextcheck [OPTION]...\n"
            "Diagnose why a security product's kernel extension does not load on a Mac:\n"
            "approval database, installed and staged copies, for every vendor plugin.\n"
            "\n"
            "  -r, --root DIR         the Mac to inspect: / (default) or a snapshot folder\n"
            "      --db FILE          read the approval database from FILE instead of\n"
            "                         DIR" KC_POLICY_DB_PATH "\n"
            "  -f, --format FORMAT    text (default) or json\n"
            "  -V, --vendor NAME      check only this plugin (repeatable)\n"
            "  -c, --config FILE      configuration file (default " KC_SYSCONF_FILE ",\n"
            "                         which may be absent)\n"
            "      --no-config        read no configuration file\n"
            "  -P, --plugin-dir DIR   load plugins from DIR (repeatable; replaces the\n"
            "                         configured and default directories)\n"
            "      --color WHEN       auto (default: on a terminal, unless NO_COLOR is set),\n"
            "                         always or never\n"
            "  -h, --help             show this help and exit\n"
            "      --version          show the version and plugin ABI and exit\n"
            "\n"
            "Exit status:\n"
            "  0  every installed vendor is fine (or none is installed)\n"
            "  1  a warning: something needs attention\n"
            "  2  critical: a kext cannot load until the admin acts\n"
            "  3  could not check: unreadable evidence or a refused plugin\n"
            " 64  bad command line or configuration file\n"
            "When vendors differ, critical wins over warning, warning over could not check.\n");
}

static int bad_usage(const char *what, const char *why)
{
    kc_err(what, "%s", why);
    fprintf(stderr, "Try 'kextcheck --help' for more information.\n");
    return KC_EXIT_USAGE;
}

enum { OPT_DB = 256, OPT_NO_CONFIG, OPT_COLOR, OPT_VERSION };

static int parse_args(int argc, char **argv, options *o)
{
    static const struct option longopts[] = {
        {"root", required_argument, NULL, 'r'},
        {"db", required_argument, NULL, OPT_DB},
        {"format", required_argument, NULL, 'f'},
        {"vendor", required_argument, NULL, 'V'},
        {"config", required_argument, NULL, 'c'},
        {"no-config", no_argument, NULL, OPT_NO_CONFIG},
        {"plugin-dir", required_argument, NULL, 'P'},
        {"color", required_argument, NULL, OPT_COLOR},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":r:f:V:c:P:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'r':
            o->root = optarg;
            break;
        case OPT_DB:
            o->policy_db = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "text") == 0)
                o->format = FORMAT_TEXT;
            else if (strcmp(optarg, "json") == 0)
                o->format = FORMAT_JSON;
            else
                return bad_usage("--format", "must be text or json");
            break;
        case 'V':
            if (kc_strv_push(&o->vendors, optarg) != 0)
                return bad_usage("memory", "out of memory");
            break;
        case 'c':
            o->config = optarg;
            break;
        case OPT_NO_CONFIG:
            o->no_config = true;
            break;
        case 'P':
            if (kc_strv_push(&o->plugin_dirs, optarg) != 0)
                return bad_usage("memory", "out of memory");
            break;
        case OPT_COLOR:
            if (strcmp(optarg, "auto") == 0)
                o->color = COLOR_AUTO;
            else if (strcmp(optarg, "always") == 0)
                o->color = COLOR_ALWAYS;
            else if (strcmp(optarg, "never") == 0)
                o->color = COLOR_NEVER;
            else
                return bad_usage("--color", "must be auto, always or never");
            break;
        case 'h':
            usage(stdout);
            return -1;
        case OPT_VERSION:
            printf("kextcheck %s (plugin ABI %s)\n", KEXTCHECK_VERSION, KC_ABI_STRING);
            return -1;
        case ':':
            return bad_usage(argv[optind - 1], "this option needs a value");
        default:
            return bad_usage(argv[optind - 1], "unknown option");
        }
    }
    if (optind < argc)
        return bad_usage(argv[optind], "unexpected argument");
    return 0;
}

/* The plugin folder beside this binary: <bindir>/KC_PLUGIN_RELDIR. */
static char *default_plugin_dir(void)
{
    char exe[PATH_MAX];
    char *slash;
#ifdef __APPLE__
    char raw[PATH_MAX];
    uint32_t size = sizeof(raw);
    if (_NSGetExecutablePath(raw, &size) != 0 || realpath(raw, exe) == NULL)
        return kc_strdup(KC_PLUGIN_DIR_ABS);
#else
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0)
        return kc_strdup(KC_PLUGIN_DIR_ABS);
    exe[n] = '\0';
#endif
    slash = strrchr(exe, '/');
    if (slash == NULL)
        return kc_strdup(KC_PLUGIN_DIR_ABS);
    *slash = '\0';
    return kc_asprintf("%s/%s", exe, KC_PLUGIN_RELDIR);
}

static bool want_color(color_mode m)
{
    const char *nc = getenv("NO_COLOR");

    if (m == COLOR_NEVER)
        return false;
    if (m == COLOR_ALWAYS)
        return true;
    return isatty(STDOUT_FILENO) && (nc == NULL || nc[0] == '\0');
}

static int run(int argc, char **argv)
{
    options o;
    kc_config cfg;
    kc_registry reg;
    kc_policydb db;
    kc_vendor_result *results = NULL;
    size_t n_results = 0;
    char why[1024];
    char *plugin_dir = NULL, *db_path = NULL;
    const char *root;
    const kc_strv *dirs;
    kc_strv default_dirs = {0};
    struct stat st;
    int rc = KC_EXIT_UNKNOWN, prc;

    memset(&o, 0, sizeof(o));
    memset(&cfg, 0, sizeof(cfg));
    memset(&reg, 0, sizeof(reg));
    memset(&db, 0, sizeof(db));
    prc = parse_args(argc, argv, &o);
    if (prc != 0) {
        rc = prc < 0 ? KC_EXIT_OK : prc;
        goto done;
    }
    if (!o.no_config) {
        const char *path = o.config ? o.config : KC_SYSCONF_FILE;
        int c = kc_config_load(path, &cfg, why, sizeof(why));
        if (c < 0 || (c == 1 && o.config != NULL)) {
            if (c == 1)
                kc_snprintf(why, sizeof(why), "%s: no such file", path);
            kc_err("config", "%s", why);
            rc = KC_EXIT_USAGE;
            goto done;
        }
    }
    root = o.root ? o.root : cfg.root ? cfg.root : "/";
    if (stat(root, &st) != 0) {
        kc_err(root, "%s", strerror(errno));
        rc = KC_EXIT_USAGE;
        goto done;
    }
    if (!S_ISDIR(st.st_mode)) {
        kc_err(root, "not a folder (--root names the Mac's root or a snapshot folder)");
        rc = KC_EXIT_USAGE;
        goto done;
    }
    dirs = o.plugin_dirs.n ? &o.plugin_dirs : cfg.plugin_dirs.n ? &cfg.plugin_dirs : NULL;
    if (dirs == NULL) {
        plugin_dir = default_plugin_dir();
        if (plugin_dir == NULL || kc_strv_push(&default_dirs, plugin_dir) != 0)
            goto oom;
        dirs = &default_dirs;
    }
    if (kc_registry_load(&reg, dirs, &cfg.enable, &cfg.disable) != 0)
        goto oom;
    for (size_t i = 0; i < o.vendors.n; i++) {
        bool found = false;
        for (size_t j = 0; j < reg.n_vendors && !found; j++)
            found = strcmp(reg.vendors[j].name, o.vendors.v[i]) == 0;
        if (!found) {
            kc_err(o.vendors.v[i], "no plugin of that name was loaded (see 'kextcheck --format "
                                   "json' under plugins, or the plugin directory)");
            rc = KC_EXIT_USAGE;
            goto done;
        }
    }
    for (size_t i = 0; i < reg.n_refused; i++)
        kc_err(reg.refused[i].source, "%s", reg.refused[i].reason);
    if (reg.n_vendors == 0)
        kc_err("plugins", "none loaded from %s", dirs->v[0]);

    db_path = o.policy_db ? kc_strdup(o.policy_db)
              : cfg.policy_db ? kc_strdup(cfg.policy_db)
                              : kc_path_under_root(root, KC_POLICY_DB_PATH);
    if (db_path == NULL)
        goto oom;
    kc_policydb_open(&db, db_path);
    results = calloc(reg.n_vendors ? reg.n_vendors : 1, sizeof(*results));
    if (results == NULL)
        goto oom;
    for (size_t i = 0; i < reg.n_vendors; i++) {
        kc_check_input in = {root, &db};
        if (o.vendors.n && !kc_strv_contains(&o.vendors, reg.vendors[i].name))
            continue;
        if (kc_check_vendor(&in, &reg.vendors[i], &results[n_results++]) != 0)
            goto oom;
    }
    {
        kc_report rep = {root, &db, results, n_results, &reg, 0};
        int out;
        rep.exit_code = kc_exit_code_for(results, n_results, reg.n_refused);
        if (reg.n_vendors == 0)
            rep.exit_code = KC_EXIT_UNKNOWN;
        out = o.format == FORMAT_JSON ? kc_report_json(stdout, &rep)
                                      : kc_report_text(stdout, &rep, want_color(o.color));
        if (out != 0 || fflush(stdout) != 0) {
            kc_err("output", "%s", strerror(errno ? errno : EIO));
            rc = KC_EXIT_UNKNOWN;
            goto done;
        }
        rc = rep.exit_code;
    }
    goto done;
oom:
    kc_err("memory", "out of memory");
    rc = KC_EXIT_UNKNOWN;
done:
    for (size_t i = 0; i < n_results; i++)
        kc_vendor_result_free(&results[i]);
    free(results);
    kc_policydb_close(&db);
    kc_registry_free(&reg);
    kc_config_free(&cfg);
    kc_strv_free(&o.vendors);
    kc_strv_free(&o.plugin_dirs);
    kc_strv_free(&default_dirs);
    free(plugin_dir);
    free(db_path);
    return rc;
}

int main(int argc, char **argv)
{
    return run(argc, argv);
}
