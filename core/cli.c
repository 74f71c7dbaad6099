/* kextcheck's command line, configuration and the run itself (kc_cli_main). */
#include "kc.h"
#include "model.h"
#include "report.h"
#include "snapshot.h"

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

typedef enum { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } color_mode;

typedef struct options {
    const char *root;
    const char *policy_db;
    const char *config;
    bool no_config;
    const kc_printer *printer; /* --format */
    bool verbose;
    color_mode color;
    bool allow_unsafe;
    bool live;
    const char *capture_files[KC_CAP_COUNT];
    kc_strv vendors;
    kc_strv plugin_dirs;
    kc_strv args; /* the command and its operands */
} options;

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: kextcheck [OPTION]...                  check the Mac at --root\n"
            "       kextcheck collect DIR [OPTION]...      copy the evidence into DIR (on a Mac)\n"
            "       kextcheck plugins [OPTION]...          list loaded and refused plugins\n"
            "       kextcheck plugins validate FILE...     check plugin files as the host does\n"
            "       kextcheck snapshot DESCRIPTION DIR     build a Mac root in DIR from an INI\n"
            "                                              description (docs/snapshot-format.md)\n"
            "Diagnose why a security product's kernel extension does not load on a Mac:\n"
            "approval database, installed and staged copies, for every vendor plugin.\n"
            "\n"
            "  -r, --root DIR         the Mac to inspect: / (default) or a snapshot folder\n"
            "      --db FILE          read the approval database from FILE instead of\n"
            "                         DIR" KC_POLICY_DB_PATH "\n"
            "      --live             run spctl, csrutil and kextstat even with --root DIR\n"
            "                         (the default for --root /); otherwise their outputs\n"
            "                         are read from DIR/.kextcheck/ as collect wrote them\n"
            "      --consent-status FILE, --consent-list FILE, --sip-status FILE,\n"
            "      --loaded FILE, --arch-file FILE (uname -m), --boot-policy FILE (bputil -d)\n"
            "                         read that command's captured output from FILE\n"
            "  -f, --format FORMAT    text (default) or json\n"
            "  -v, --verbose          describe vendors that are not installed too\n"
            "  -V, --vendor NAME      check only this plugin (repeatable)\n"
            "  -c, --config FILE      configuration file (default " KC_SYSCONF_FILE ",\n"
            "                         which may be absent)\n"
            "      --no-config        read no configuration file\n"
            "  -P, --plugin-dir DIR   load plugins from DIR (repeatable; replaces the\n"
            "                         configured and default directories)\n"
            "      --allow-unsafe-plugins\n"
            "                         load plugins even when their file or folder is\n"
            "                         writable by others or owned by another user\n"
            "                         (for development only: plugins run as root)\n"
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
            "When vendors differ, critical wins over warning, warning over could not check.\n"
            "'plugins' exits 0, or 3 when a plugin was refused or none was found;\n"
            "'plugins validate' exits 0 when every file is valid, 1 otherwise.\n"
            "'collect' exits 0; 64 when DIR is not new or an empty folder of the running\n"
            "user's, or when other users can change its parent folder; 3 when the\n"
            "snapshot is incomplete or its database could not be copied consistently.\n"
            "'snapshot' exits 0, 64 for a bad description or when DIR is not new, or not\n"
            "an empty folder of the running user's, and 3 when DIR could not be written.\n"
            "Every command, --help and --version included, exits 3 when its output\n"
            "cannot be written (a full disk, say).\n");
}

static int bad_usage(const char *what, const char *why)
{
    kc_err(what, "%s", why);
    fprintf(stderr, "Try 'kextcheck --help' for more information.\n");
    return KC_EXIT_USAGE;
}

enum {
    OPT_DB = 256,
    OPT_NO_CONFIG,
    OPT_COLOR,
    OPT_VERSION,
    OPT_UNSAFE,
    OPT_LIVE,
    OPT_CONSENT_STATUS,
    OPT_CONSENT_LIST,
    OPT_SIP,
    OPT_LOADED,
    OPT_ARCH,
    OPT_BOOT_POLICY,
};

static int parse_args(int argc, char **argv, options *o)
{
    static const struct option longopts[] = {
        {"root", required_argument, NULL, 'r'},
        {"db", required_argument, NULL, OPT_DB},
        {"format", required_argument, NULL, 'f'},
        {"verbose", no_argument, NULL, 'v'},
        {"vendor", required_argument, NULL, 'V'},
        {"config", required_argument, NULL, 'c'},
        {"no-config", no_argument, NULL, OPT_NO_CONFIG},
        {"plugin-dir", required_argument, NULL, 'P'},
        {"color", required_argument, NULL, OPT_COLOR},
        {"allow-unsafe-plugins", no_argument, NULL, OPT_UNSAFE},
        {"live", no_argument, NULL, OPT_LIVE},
        {"consent-status", required_argument, NULL, OPT_CONSENT_STATUS},
        {"consent-list", required_argument, NULL, OPT_CONSENT_LIST},
        {"sip-status", required_argument, NULL, OPT_SIP},
        {"loaded", required_argument, NULL, OPT_LOADED},
        {"arch-file", required_argument, NULL, OPT_ARCH},
        {"boot-policy", required_argument, NULL, OPT_BOOT_POLICY},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":r:f:V:c:P:hv", longopts, NULL)) != -1) {
        switch (c) {
        case 'r':
            o->root = optarg;
            break;
        case OPT_DB:
            o->policy_db = optarg;
            break;
        case 'f':
            o->printer = kc_printer_find(optarg);
            if (o->printer == NULL) {
                char names[256], why[300];
                kc_printer_names(names, sizeof(names));
                kc_snprintf(why, sizeof(why), "must be one of: %s", names);
                return bad_usage("--format", why);
            }
            break;
        case 'v':
            o->verbose = true;
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
        case OPT_UNSAFE:
            o->allow_unsafe = true;
            break;
        case OPT_LIVE:
            o->live = true;
            break;
        case OPT_CONSENT_STATUS:
            o->capture_files[KC_CAP_CONSENT_STATUS] = optarg;
            break;
        case OPT_CONSENT_LIST:
            o->capture_files[KC_CAP_CONSENT_LIST] = optarg;
            break;
        case OPT_SIP:
            o->capture_files[KC_CAP_SIP] = optarg;
            break;
        case OPT_ARCH:
            o->capture_files[KC_CAP_UNAME] = optarg;
            break;
        case OPT_BOOT_POLICY:
            o->capture_files[KC_CAP_BPUTIL] = optarg;
            break;
        case OPT_LOADED:
            o->capture_files[KC_CAP_LOADED] = optarg;
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
    for (int i = optind; i < argc; i++)
        if (kc_strv_push(&o->args, argv[i]) != 0)
            return bad_usage("memory", "out of memory");
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

typedef struct session {
    options o;
    kc_config cfg;
    kc_registry reg;
    kc_strv default_dirs;
    const kc_strv *dirs;
} session;

/* Loads the plugins from the folders the flags, the config or the default
 * name.  0, or -1 on out-of-memory. */
static int load_plugins(session *s)
{
    s->dirs = s->o.plugin_dirs.n ? &s->o.plugin_dirs
              : s->cfg.plugin_dirs.n ? &s->cfg.plugin_dirs
                                     : NULL;
    if (s->dirs == NULL) {
        char *dir = default_plugin_dir();
        char resolved[PATH_MAX];
        int rc;
        if (dir == NULL)
            return -1;
        rc = kc_strv_push(&s->default_dirs, realpath(dir, resolved) ? resolved : dir);
        free(dir);
        if (rc != 0)
            return -1;
        s->dirs = &s->default_dirs;
    }
    s->reg.allow_unsafe = s->o.allow_unsafe;
    return kc_registry_load(&s->reg, s->dirs, &s->cfg.enable, &s->cfg.disable);
}

static bool is_json(const options *o)
{
    return o->printer != NULL && strcmp(o->printer->name, "json") == 0;
}

static int finish_output(int out, int rc)
{
    if (out != 0 || fflush(stdout) != 0) {
        kc_err("output", "%s", strerror(errno ? errno : EIO));
        return KC_EXIT_UNKNOWN;
    }
    return rc;
}

static int cmd_plugins(session *s)
{
    int out;

    if (load_plugins(s) != 0)
        return -1;
    out = is_json(&s->o) ? kc_report_plugins_json(stdout, &s->reg)
                                     : kc_report_plugins_text(stdout, &s->reg);
    return finish_output(out, s->reg.n_refused || !s->reg.n_vendors ? KC_EXIT_UNKNOWN
                                                                     : KC_EXIT_OK);
}

static int cmd_validate(session *s)
{
    int out;

    s->reg.allow_unsafe = s->o.allow_unsafe;
    for (size_t i = 2; i < s->o.args.n; i++) {
        char *path = strchr(s->o.args.v[i], '/') ? kc_strdup(s->o.args.v[i])
                                                   : kc_asprintf("./%s", s->o.args.v[i]);
        int r = path ? kc_registry_validate_file(&s->reg, path) : -1;
        free(path);
        if (r < 0)
            return -1;
    }
    out = is_json(&s->o) ? kc_report_plugins_json(stdout, &s->reg)
                                     : kc_report_plugins_text(stdout, &s->reg);
    return finish_output(out, s->reg.n_refused ? 1 : KC_EXIT_OK);
}

static const char *root_of(const session *s)
{
    return s->o.root ? s->o.root : s->cfg.root ? s->cfg.root : "/";
}

static void gather_setup(const session *s, const kc_rootfs *fs, kc_gather *g)
{
    memset(g, 0, sizeof(*g));
    g->root = root_of(s);
    g->fs = fs;
    g->live = s->o.live || strcmp(g->root, "/") == 0;
    for (int t = 0; t < KC_TOOL_COUNT; t++)
        g->tools[t] = s->cfg.cmd[t];
    g->timeout_ms = s->cfg.cmd_timeout * 1000;
    for (int i = 0; i < KC_CAP_COUNT; i++)
        g->files[i] = s->o.capture_files[i];
}

/* Opens the root to inspect: 0, or exit 64 with a message. */
static int open_root(const char *root, kc_rootfs *fs)
{
    char why[512];

    if (kc_rootfs_open(fs, root, why, sizeof(why)) != 0) {
        kc_err(root, "%s", why);
        return KC_EXIT_USAGE;
    }
    return 0;
}

static int cmd_collect(session *s)
{
    kc_gather g;
    kc_rootfs fs;
    int rc;

    if (s->o.args.n != 2)
        return bad_usage("collect", "name exactly one folder to write the snapshot into");
    rc = open_root(root_of(s), &fs);
    if (rc != 0)
        return rc;
    gather_setup(s, &fs, &g);
    if (load_plugins(s) != 0) {
        kc_rootfs_close(&fs);
        return -1;
    }
    for (size_t i = 0; i < s->reg.n_refused; i++)
        kc_err(s->reg.refused[i].source, "%s", s->reg.refused[i].reason);
    rc = kc_collect(&g, s->o.policy_db ? s->o.policy_db : s->cfg.policy_db, &s->reg,
                    s->o.args.v[1]);
    kc_rootfs_close(&fs);
    return rc;
}

/* The check: read, judge, advise, print (docs/architecture.md). */
static int cmd_check(session *s)
{
    const options *o = &s->o;
    const char *root = root_of(s), *db_file = o->policy_db ? o->policy_db : s->cfg.policy_db;
    const kc_vendor **chosen = NULL;
    size_t n_chosen = 0;
    kc_rootfs fs;
    kc_gather g;
    kc_model model;
    kc_result result;
    kc_print_opts popts = {want_color(o->color), o->verbose};
    int rc;

    memset(&model, 0, sizeof(model));
    memset(&result, 0, sizeof(result));
    rc = open_root(root, &fs);
    if (rc != 0)
        return rc;
    rc = -1;
    if (load_plugins(s) != 0)
        goto done;
    for (size_t i = 0; i < o->vendors.n; i++) {
        bool found = false;
        for (size_t j = 0; j < s->reg.n_vendors && !found; j++)
            found = strcmp(s->reg.vendors[j].name, o->vendors.v[i]) == 0;
        if (!found) {
            kc_err(o->vendors.v[i], "no plugin of that name was loaded (see 'kextcheck "
                                    "plugins')");
            rc = KC_EXIT_USAGE;
            goto done;
        }
    }
    for (size_t i = 0; i < s->reg.n_refused; i++)
        kc_err(s->reg.refused[i].source, "%s", s->reg.refused[i].reason);
    if (s->reg.n_vendors == 0)
        kc_err("plugins", "none loaded from %s", s->dirs->v[0]);
    chosen = calloc(s->reg.n_vendors ? s->reg.n_vendors : 1, sizeof(*chosen));
    if (chosen == NULL)
        goto done;
    for (size_t i = 0; i < s->reg.n_vendors; i++)
        if (!o->vendors.n || kc_strv_contains(&o->vendors, s->reg.vendors[i].name))
            chosen[n_chosen++] = &s->reg.vendors[i];

    gather_setup(s, &fs, &g);
    if (kc_read(&g, db_file, chosen, n_chosen, &model) != 0)
        goto done;
    model.refused = s->reg.refused;
    model.n_refused = s->reg.n_refused;
    if (kc_judge(&model, &result) != 0 || kc_advise(&result) != 0)
        goto done;
    rc = finish_output((o->printer ? o->printer : kc_printer_find("text"))->print(stdout, &result,
                                                                                  &popts),
                       result.exit_code);
done:
    kc_result_free(&result);
    kc_model_free(&model);
    free(chosen);
    kc_rootfs_close(&fs);
    return rc;
}

int kc_cli_main(int argc, char **argv)
{
    session s;
    char why[1024];
    const kc_strv *args = &s.o.args;
    int rc;

    memset(&s, 0, sizeof(s));
    rc = parse_args(argc, argv, &s.o);
    if (rc != 0) {
        /* --help or --version: done once their text has reached stdout. */
        rc = rc < 0 ? finish_output(ferror(stdout), KC_EXIT_OK) : rc;
        goto done;
    }
    if (!s.o.no_config) {
        const char *path = s.o.config ? s.o.config : KC_SYSCONF_FILE;
        int c = kc_config_load(path, &s.cfg, why, sizeof(why));
        if (c < 0 || (c == 1 && s.o.config != NULL)) {
            if (c == 1)
                kc_snprintf(why, sizeof(why), "%s: no such file", path);
            kc_err("config", "%s", why);
            rc = KC_EXIT_USAGE;
            goto done;
        }
    }
    if (args->n == 0) {
        rc = cmd_check(&s);
    } else if (strcmp(args->v[0], "collect") == 0) {
        rc = cmd_collect(&s);
    } else if (strcmp(args->v[0], "snapshot") == 0) {
        rc = args->n == 3 ? kc_snapshot(args->v[1], args->v[2])
                          : bad_usage("snapshot", "name a description file and a new folder: "
                                                  "kextcheck snapshot DESCRIPTION DIR");
    } else if (strcmp(args->v[0], "plugins") == 0 && args->n == 1) {
        rc = cmd_plugins(&s);
    } else if (strcmp(args->v[0], "plugins") == 0 && strcmp(args->v[1], "validate") == 0) {
        rc = args->n > 2 ? cmd_validate(&s)
                         : bad_usage("plugins validate", "name at least one plugin file");
    } else {
        rc = bad_usage(args->n > 1 && strcmp(args->v[0], "plugins") == 0 ? args->v[1]
                                                                           : args->v[0],
                       "unknown command (commands: collect DIR, plugins, plugins validate "
                       "FILE..., snapshot DESCRIPTION DIR)");
    }
    if (rc < 0) {
        kc_err("memory", "out of memory");
        rc = KC_EXIT_UNKNOWN;
    }
done:
    kc_registry_free(&s.reg);
    kc_config_free(&s.cfg);
    kc_strv_free(&s.o.vendors);
    kc_strv_free(&s.o.plugin_dirs);
    kc_strv_free(&s.o.args);
    kc_strv_free(&s.default_dirs);
    return rc;
}
