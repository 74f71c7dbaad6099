/* kextcheck's command line, configuration and the run itself (kc_cli_main). */
#include "i18n.h"
#include "kc.h"
#include "model.h"
#include "outfile.h"
#include "profile.h"
#include "report.h"
#include "snapshot.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
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
    const char *output;   /* -o, --output FILE: written under a temporary name, renamed */
    bool quiet;           /* -q, --quiet: the exit status only */
    const char *field;    /* --field NAME: one value alone */
    bool format_given;
    bool missing_only;    /* profile: only vendors whose approval is missing */
    bool profile_opts;    /* a profile-only option was given */
    kc_mobileconfig_opts profile;
} options;

static void usage(FILE *out)
{
    /* TRANSLATORS: keep the commands, options and their values (DIR,
       FILE, text, json, ...) as they are, and the columns aligned. */
    fprintf(out,
            _("Usage: kextcheck [OPTION]...                  check the Mac at --root\n"
            "       kextcheck collect DIR [OPTION]...      copy the evidence into DIR (on a Mac)\n"
            "       kextcheck plugins [OPTION]...          list loaded and refused plugins\n"
            "       kextcheck plugins validate FILE...     check plugin files as the host does\n"
            "       kextcheck snapshot DESCRIPTION DIR     build a Mac root in DIR from an INI\n"
            "                                              description (docs/snapshot-format.md)\n"
            "       kextcheck profile [VENDOR]... [OPTION]...\n"
            "                                              a .mobileconfig approving the vendors'\n"
            "                                              kexts and system extensions (MDM)\n"
            "       kextcheck recovery-script [OPTION]...  a sh script of the commands the\n"
            "                                              findings call for in macOS Recovery\n"
            "Diagnose why a security product's kernel extension does not load on a Mac:\n"
            "approval database, installed and staged copies, for every vendor plugin.\n"
            "\n"
            "  -r, --root DIR         the Mac to inspect: / (default) or a snapshot folder\n"
            "      --db FILE          read the approval database from FILE instead of\n"
            "                         DIR%s\n"
            "      --live             run spctl, csrutil and kextstat even with --root DIR\n"
            "                         (the default for --root /); otherwise their outputs\n"
            "                         are read from DIR/.kextcheck/ as collect wrote them\n"
            "      --consent-status FILE, --consent-list FILE, --sip-status FILE,\n"
            "      --loaded FILE, --arch-file FILE (uname -m), --boot-policy FILE (bputil -d)\n"
            "                         read that command's captured output from FILE\n"
            "  -f, --format FORMAT    text (default), json, jamf (one <result> line for a\n"
            "                         Jamf extension attribute) or sqlite (a database for\n"
            "                         osquery's ATC; needs --output)\n"
            "                         every format but text is in English, whatever the\n"
            "                         locale\n"
            "  -o, --output FILE      write the report (profile, script) to FILE: under a\n"
            "                         temporary name in its folder, then renamed over it\n"
            "  -q, --quiet            print nothing: the exit status only\n"
            "      --field NAME       print one value alone: status, exit_code, vendor,\n"
            "                         next_step, next_step_code or next_step_rung (with one\n"
            "                         --vendor, that vendor's)\n"
            "  -v, --verbose          describe vendors that are not installed too\n"
            "  -V, --vendor NAME      check only this plugin (repeatable)\n"
            "  -c, --config FILE      configuration file (default %s,\n"
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
            "'profile' options: --missing-only (only vendors whose approval this Mac or\n"
            "  snapshot misses), --by-bundle-id (AllowedKernelExtensions instead of\n"
            "  AllowedTeamIdentifiers), --allow-user-overrides, --allow-non-admin-approvals\n"
            "'recovery-script' prints a dry run by default; the script runs its commands\n"
            "  only when given --apply.\n"
            "\n"),
            KC_POLICY_DB_PATH, KC_SYSCONF_FILE);
    fprintf(out, "%s",
            _("Exit status:\n"
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
            "'profile' and 'recovery-script' exit 0 when written (profile: also when no\n"
            "approval is missing, with nothing written), 64 for an unknown VENDOR.\n"
            "--output exits 64 when FILE's folder can be changed by other users (unless\n"
            "sticky) or FILE is not a regular file.\n"
            "Every command, --help and --version included, exits 3 when its output\n"
            "cannot be written (a full disk, say).\n"));
}

static int bad_usage(const char *what, const char *why)
{
    kc_err(what, "%s", why);
    fprintf(stderr, "%s\n", _("Try 'kextcheck --help' for more information."));
    return KC_EXIT_USAGE;
}

enum {
    OPT_DB = 256,
    OPT_NO_CONFIG,
    OPT_COLOR,
    OPT_VERSION,
    OPT_UNSAFE,
    OPT_LIVE,
    OPT_FIELD,
    OPT_MISSING_ONLY,
    OPT_BY_BUNDLE_ID,
    OPT_USER_OVERRIDES,
    OPT_NON_ADMIN,
    /* --consent-status and the other capture files: OPT_CAPTURE + KC_CAP_x. */
    OPT_CAPTURE = 512,
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
        {"consent-status", required_argument, NULL, OPT_CAPTURE + KC_CAP_CONSENT_STATUS},
        {"consent-list", required_argument, NULL, OPT_CAPTURE + KC_CAP_CONSENT_LIST},
        {"sip-status", required_argument, NULL, OPT_CAPTURE + KC_CAP_SIP},
        {"loaded", required_argument, NULL, OPT_CAPTURE + KC_CAP_LOADED},
        {"arch-file", required_argument, NULL, OPT_CAPTURE + KC_CAP_UNAME},
        {"boot-policy", required_argument, NULL, OPT_CAPTURE + KC_CAP_BPUTIL},
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        {"field", required_argument, NULL, OPT_FIELD},
        {"missing-only", no_argument, NULL, OPT_MISSING_ONLY},
        {"by-bundle-id", no_argument, NULL, OPT_BY_BUNDLE_ID},
        {"allow-user-overrides", no_argument, NULL, OPT_USER_OVERRIDES},
        {"allow-non-admin-approvals", no_argument, NULL, OPT_NON_ADMIN},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    int c;

    opterr = 0;
    while ((c = getopt_long(argc, argv, ":r:f:V:c:P:o:qhv", longopts, NULL)) != -1) {
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
                kc_snprintf(why, sizeof(why), _("must be one of: %s"), names);
                return bad_usage("--format", why);
            }
            o->format_given = true;
            break;
        case 'o':
            o->output = optarg;
            break;
        case 'q':
            o->quiet = true;
            break;
        case OPT_FIELD:
            if (!kc_field_known(optarg)) {
                char why[300];
                kc_snprintf(why, sizeof(why), _("unknown field \"%s\" (fields: %s)"), optarg,
                            kc_field_names());
                return bad_usage("--field", why);
            }
            o->field = optarg;
            break;
        case OPT_MISSING_ONLY:
            o->missing_only = o->profile_opts = true;
            break;
        case OPT_BY_BUNDLE_ID:
            o->profile.by_bundle_id = o->profile_opts = true;
            break;
        case OPT_USER_OVERRIDES:
            o->profile.allow_user_overrides = o->profile_opts = true;
            break;
        case OPT_NON_ADMIN:
            o->profile.allow_non_admin = o->profile_opts = true;
            break;
        case 'v':
            o->verbose = true;
            break;
        case 'V':
            if (kc_strv_push(&o->vendors, optarg) != 0)
                return bad_usage(_("memory"), _("out of memory"));
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
        case 'P':
            if (kc_strv_push(&o->plugin_dirs, optarg) != 0)
                return bad_usage(_("memory"), _("out of memory"));
            break;
        case OPT_COLOR:
            if (strcmp(optarg, "auto") == 0)
                o->color = COLOR_AUTO;
            else if (strcmp(optarg, "always") == 0)
                o->color = COLOR_ALWAYS;
            else if (strcmp(optarg, "never") == 0)
                o->color = COLOR_NEVER;
            else
                return bad_usage("--color", _("must be auto, always or never"));
            break;
        case 'h':
            usage(stdout);
            return -1;
        case OPT_VERSION:
            printf("kextcheck %s (plugin ABI %s)\n", KEXTCHECK_VERSION, KC_ABI_STRING);
            return -1;
        case ':':
            return bad_usage(argv[optind - 1], _("this option needs a value"));
        default:
            if (c >= OPT_CAPTURE && c < OPT_CAPTURE + KC_CAP_COUNT) {
                o->capture_files[c - OPT_CAPTURE] = optarg;
                break;
            }
            return bad_usage(argv[optind - 1], _("unknown option"));
        }
    }
    for (int i = optind; i < argc; i++)
        if (kc_strv_push(&o->args, argv[i]) != 0)
            return bad_usage(_("memory"), _("out of memory"));
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
        kc_err(_("output"), "%s", strerror(errno ? errno : EIO));
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
        return bad_usage("collect", _("name exactly one folder to write the snapshot into"));
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

/* One check's data: the root, the model and the worded result. */
typedef struct check {
    kc_rootfs fs;
    bool fs_open;
    const kc_vendor **chosen;
    size_t n_chosen;
    kc_model model;
    kc_result result;
} check;

static void check_free(check *c)
{
    kc_result_free(&c->result);
    kc_model_free(&c->model);
    free(c->chosen);
    if (c->fs_open)
        kc_rootfs_close(&c->fs);
    memset(c, 0, sizeof(*c));
}

/* Loads the plugins; every --vendor (and each of names, when not NULL)
 * must name one.  0, an exit code, or -1 on out-of-memory. */
static int load_named(session *s, const kc_strv *names)
{
    const kc_strv *lists[2] = {&s->o.vendors, names};

    if (load_plugins(s) != 0)
        return -1;
    for (size_t l = 0; l < 2; l++)
        for (size_t i = 0; lists[l] != NULL && i < lists[l]->n; i++) {
            bool found = false;
            for (size_t j = 0; j < s->reg.n_vendors && !found; j++)
                found = strcmp(s->reg.vendors[j].name, lists[l]->v[i]) == 0;
            if (!found) {
                kc_err(lists[l]->v[i], "%s",
                       _("no plugin of that name was loaded (see 'kextcheck plugins')"));
                return KC_EXIT_USAGE;
            }
        }
    if (!s->o.quiet) {
        for (size_t i = 0; i < s->reg.n_refused; i++)
            kc_err(s->reg.refused[i].source, "%s", s->reg.refused[i].reason);
        if (s->reg.n_vendors == 0)
            kc_err("plugins", _("none loaded from %s"), s->dirs->v[0]);
    }
    return 0;
}

/* The check: read, judge, advise (docs/architecture.md).  0, an exit code
 * (64), or -1 on out-of-memory. */
static int check_run(session *s, check *c)
{
    const options *o = &s->o;
    const char *root = root_of(s), *db_file = o->policy_db ? o->policy_db : s->cfg.policy_db;
    kc_gather g;
    int rc;

    memset(c, 0, sizeof(*c));
    rc = open_root(root, &c->fs);
    if (rc != 0)
        return rc;
    c->fs_open = true;
    rc = load_named(s, NULL);
    if (rc != 0)
        return rc;
    c->chosen = calloc(s->reg.n_vendors ? s->reg.n_vendors : 1, sizeof(*c->chosen));
    if (c->chosen == NULL)
        return -1;
    for (size_t i = 0; i < s->reg.n_vendors; i++)
        if (!o->vendors.n || kc_strv_contains(&o->vendors, s->reg.vendors[i].name))
            c->chosen[c->n_chosen++] = &s->reg.vendors[i];
    gather_setup(s, &c->fs, &g);
    if (kc_read(&g, db_file, c->chosen, c->n_chosen, &c->model) != 0)
        return -1;
    c->model.refused = s->reg.refused;
    c->model.n_refused = s->reg.n_refused;
    if (kc_judge(&c->model, &c->result) != 0 || kc_advise(&c->result) != 0)
        return -1;
    return 0;
}

/* What a command writes: a printer of a result, or ready bytes. */
typedef struct output {
    kc_print_fn print;
    const kc_result *result;
    const kc_print_opts *popts;
    const char *bytes;
    size_t len;
} output;

static int output_write(FILE *f, const output *w)
{
    if (w->print != NULL)
        return w->print(f, w->result, w->popts);
    return fwrite(w->bytes, 1, w->len, f) == w->len ? 0 : -1;
}

/* Writes to --output FILE (temporary name, then renamed) or stdout, or
 * nothing with --quiet; then returns rc, or 3 when the output could not
 * be written. */
static int emit(const session *s, const output *w, int rc)
{
    kc_outfile of;
    int r;

    if (s->o.quiet)
        return rc;
    if (s->o.output == NULL)
        return finish_output(output_write(stdout, w), rc);
    r = kc_outfile_open(&of, s->o.output);
    if (r != 0)
        return r;
    if (output_write(of.fp, w) != 0) {
        kc_err(s->o.output, "%s", errno ? strerror(errno) : _("cannot be written"));
        r = KC_EXIT_UNKNOWN;
    } else {
        r = kc_outfile_commit(&of);
    }
    kc_outfile_close(&of);
    return r != 0 ? r : rc;
}

/* When the check ran: SOURCE_DATE_EPOCH (reproducible output), or now. */
static long long generated_at(void)
{
    const char *e = getenv("SOURCE_DATE_EPOCH");
    char *end;
    long long t;

    if (e != NULL && e[0] >= '0' && e[0] <= '9') {
        errno = 0;
        t = strtoll(e, &end, 10);
        if (errno == 0 && *end == '\0')
            return t;
    }
    return (long long)time(NULL);
}

static void print_opts(const session *s, kc_print_opts *p, char *host, size_t hostlen)
{
    memset(p, 0, sizeof(*p));
    p->color = s->o.output == NULL && want_color(s->o.color);
    p->verbose = s->o.verbose;
    p->generated_at = generated_at();
    p->field = s->o.field;
    p->one_vendor = s->o.vendors.n == 1;
    if (gethostname(host, hostlen) == 0) {
        host[hostlen - 1] = '\0';
        p->hostname = host;
    }
}

static int cmd_check(session *s)
{
    const kc_printer *pr = s->o.printer ? s->o.printer : kc_printer_find("text");
    kc_print_opts popts;
    char host[256];
    output w;
    check c;
    int rc = check_run(s, &c);

    if (rc == 0) {
        print_opts(s, &popts, host, sizeof(host));
        w = (output){s->o.field ? kc_report_field : pr->print, &c.result, &popts, NULL, 0};
        rc = emit(s, &w, c.result.exit_code);
    }
    check_free(&c);
    return rc;
}

static int cmd_recovery(session *s)
{
    kc_print_opts popts;
    char host[256];
    output w;
    check c;
    int rc = check_run(s, &c);

    if (rc == 0) {
        print_opts(s, &popts, host, sizeof(host));
        w = (output){kc_report_recovery, &c.result, &popts, NULL, 0};
        rc = emit(s, &w, KC_EXIT_OK);
    }
    check_free(&c);
    return rc;
}

/* `kextcheck profile [VENDOR]...`: every named plugin (all without a
 * name), or with --missing-only those of them whose check found an
 * approval missing. */
static int cmd_profile(session *s)
{
    kc_strv names = {NULL, 0, 0};
    const kc_vendor **picked = NULL;
    size_t n = 0;
    char *xml = NULL;
    size_t len = 0;
    check c;
    int rc;

    memset(&c, 0, sizeof(c));
    for (size_t i = 1; i < s->o.args.n; i++)
        if (kc_strv_push(&names, s->o.args.v[i]) != 0) {
            rc = -1;
            goto done;
        }
    if (s->o.missing_only) {
        /* The check covers the named vendors (as --vendor would). */
        for (size_t i = 0; i < names.n; i++)
            if (!kc_strv_contains(&s->o.vendors, names.v[i]) &&
                kc_strv_push(&s->o.vendors, names.v[i]) != 0) {
                rc = -1;
                goto done;
            }
        rc = check_run(s, &c);
    } else {
        rc = load_named(s, &names);
    }
    if (rc != 0)
        goto done;
    picked = calloc(s->reg.n_vendors ? s->reg.n_vendors : 1, sizeof(*picked));
    if (picked == NULL) {
        rc = -1;
        goto done;
    }
    if (s->o.missing_only) {
        for (size_t i = 0; i < c.result.n_vendors; i++)
            if (kc_vendor_missing_approval(&c.result.vendors[i]))
                picked[n++] = c.result.vendors[i].ev->vendor;
    } else {
        for (size_t i = 0; i < s->reg.n_vendors; i++)
            if (names.n == 0 || kc_strv_contains(&names, s->reg.vendors[i].name))
                picked[n++] = &s->reg.vendors[i];
    }
    s->o.profile.all = names.n == 0 && !s->o.missing_only;
    rc = n ? kc_mobileconfig(picked, n, &s->o.profile, &xml, &len) : 1;
    if (rc < 0)
        goto done;
    if (rc == 1) {
        if (!s->o.quiet)
            kc_err("profile", "%s",
                   s->o.missing_only
                       ? _("no approval is missing on this Mac: no profile written")
                       : _("the vendors declare no kext or system extension: no profile "
                           "written"));
        rc = KC_EXIT_OK;
        goto done;
    }
    rc = emit(s, &(output){NULL, NULL, NULL, xml, len}, KC_EXIT_OK);
done:
    check_free(&c);
    kc_strv_free(&names);
    free(picked);
    free(xml);
    return rc;
}

/* Options that only some commands take, and those that exclude each other. */
static int check_options(const options *o)
{
    const char *cmd = o->args.n ? o->args.v[0] : NULL;
    bool check = cmd == NULL, profile = cmd && strcmp(cmd, "profile") == 0,
         recovery = cmd && strcmp(cmd, "recovery-script") == 0;

    if (o->profile_opts && !profile)
        return bad_usage("--missing-only, --by-bundle-id, --allow-*",
                         _("only 'kextcheck profile' takes these options"));
    if (o->output && !check && !profile && !recovery)
        return bad_usage("--output", _("only the check, 'profile' and 'recovery-script' write "
                                       "to a file"));
    if (o->field && !check)
        return bad_usage("--field", _("only the check takes this option"));
    if (o->quiet && (o->output || o->field))
        return bad_usage("--quiet", o->output ? _("prints nothing, and --output writes a file: "
                                                  "choose one")
                                              : _("prints nothing, and --field prints a value: "
                                                  "choose one"));
    if (o->field && o->format_given)
        return bad_usage("--field", _("prints one value alone: it takes no --format"));
    if (check && o->printer && o->printer->needs_file && o->output == NULL && !o->quiet)
        return bad_usage("--format", _("this format writes a binary file: name it with "
                                       "--output FILE"));
    return 0;
}

/* Whether this run writes for programs: JSON, Jamf, SQLite, --field, the
 * Recovery script, `plugins --format json`.  Such a run is worded in
 * English in every locale (i18n.h), so fleet tools and scripts always read
 * the same bytes; the text report, and every other command, is for people
 * and in their language. */
static bool for_programs(const options *o)
{
    const char *cmd = o->args.n ? o->args.v[0] : NULL;

    if (cmd == NULL)
        return o->field != NULL || (o->printer != NULL && strcmp(o->printer->name, "text") != 0);
    if (strcmp(cmd, "recovery-script") == 0)
        return true;
    return strcmp(cmd, "plugins") == 0 && is_json(o);
}

int kc_cli_main(int argc, char **argv)
{
    session s;
    char why[1024];
    const kc_strv *args = &s.o.args;
    int rc;

    kc_i18n_init();
    memset(&s, 0, sizeof(s));
    rc = parse_args(argc, argv, &s.o);
    if (rc != 0) {
        /* --help or --version: done once their text has reached stdout. */
        rc = rc < 0 ? finish_output(ferror(stdout), KC_EXIT_OK) : rc;
        goto done;
    }
    /* Before anything else is read or said (the configuration file's
     * messages included): a run for programs is English from here on. */
    if (for_programs(&s.o))
        kc_i18n_english();
    if (!s.o.no_config) {
        const char *path = s.o.config ? s.o.config : KC_SYSCONF_FILE;
        int c = kc_config_load(path, &s.cfg, why, sizeof(why));
        if (c < 0 || (c == 1 && s.o.config != NULL)) {
            if (c == 1)
                kc_snprintf(why, sizeof(why), _("%s: no such file"), path);
            kc_err(_("config"), "%s", why);
            rc = KC_EXIT_USAGE;
            goto done;
        }
    }
    rc = check_options(&s.o);
    if (rc != 0)
        goto done;
    if (args->n == 0) {
        rc = cmd_check(&s);
    } else if (strcmp(args->v[0], "profile") == 0) {
        rc = cmd_profile(&s);
    } else if (strcmp(args->v[0], "recovery-script") == 0) {
        rc = args->n == 1 ? cmd_recovery(&s)
                          : bad_usage("recovery-script", _("takes no operand (use --root DIR "
                                                           "for a snapshot)"));
    } else if (strcmp(args->v[0], "collect") == 0) {
        rc = cmd_collect(&s);
    } else if (strcmp(args->v[0], "snapshot") == 0) {
        rc = args->n == 3 ? kc_snapshot(args->v[1], args->v[2])
                          : bad_usage("snapshot", _("name a description file and a new "
                                                    "folder: kextcheck snapshot DESCRIPTION "
                                                    "DIR"));
    } else if (strcmp(args->v[0], "plugins") == 0 && args->n == 1) {
        rc = cmd_plugins(&s);
    } else if (strcmp(args->v[0], "plugins") == 0 && strcmp(args->v[1], "validate") == 0) {
        rc = args->n > 2 ? cmd_validate(&s)
                         : bad_usage("plugins validate", _("name at least one plugin file"));
    } else {
        rc = bad_usage(args->n > 1 && strcmp(args->v[0], "plugins") == 0 ? args->v[1]
                                                                           : args->v[0],
                       _("unknown command (commands: collect DIR, plugins, plugins validate "
                         "FILE..., snapshot DESCRIPTION DIR, profile [VENDOR]..., "
                         "recovery-script)"));
    }
    if (rc < 0) {
        kc_err(_("memory"), "%s", _("out of memory"));
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
