/* kextcheck core: internal interfaces shared by the engine's modules. */
#ifndef KC_H
#define KC_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include <kextcheck/plugin.h>

#define KC_PROGRAM "kextcheck"
#define KC_JSON_SCHEMA_VERSION 2

#define KC_STR_(x) #x
#define KC_STR(x) KC_STR_(x)
/* "major.minor" of the plugin ABI this host speaks. */
#define KC_ABI_STRING KC_STR(KC_PLUGIN_ABI_MAJOR) "." KC_STR(KC_PLUGIN_ABI_MINOR)

/* Exit codes (documented in README.md and --help). */
enum {
    KC_EXIT_OK = 0,
    KC_EXIT_WARNING = 1,
    KC_EXIT_CRITICAL = 2,
    KC_EXIT_UNKNOWN = 3,
    KC_EXIT_USAGE = 64,
};

/* ---- util.c ----------------------------------------------------------- */

/* Prints "kextcheck: <what>: <why>" on stderr. */
void kc_err(const char *what, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A growable array of owned strings. */
typedef struct kc_strv {
    char **v;
    size_t n;
    size_t cap;
} kc_strv;

int kc_strv_push(kc_strv *sv, const char *s);      /* copies s; 0 or -1 */
bool kc_strv_contains(const kc_strv *sv, const char *s);
void kc_strv_free(kc_strv *sv);

char *kc_strdup(const char *s);                     /* NULL on NULL or OOM */
char *kc_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* snprintf into a fixed buffer; returns -1 when the result was cut. */
int kc_snprintf(char *buf, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* root + "/" + path (path absolute on the Mac); "/" root gives path. */
char *kc_path_under_root(const char *root, const char *mac_path);

/* Valid UTF-8 copy of n bytes: invalid sequences and NUL become U+FFFD. */
char *kc_utf8_clean(const char *s, size_t n);
bool kc_utf8_valid(const char *s);
/* Copy for a terminal: control characters (C0, DEL, C1) shown as \xNN. */
char *kc_printable(const char *s);
/* The string as one POSIX shell word in single quotes. */
char *kc_shell_quote(const char *s);

/* An Apple team ID: exactly 10 characters of A-Z and 0-9. */
#define KC_TEAM_ID_LEN 10
/* Whether the n bytes at s are a team ID (false for NULL). */
bool kc_team_id_valid(const char *s, size_t n);
/* The rule, "a team ID (10 characters of A-Z and 0-9)", in the run's
 * language.  Messages that say it inside a longer sentence write the same
 * words out (xgettext sees only literals). */
const char *kc_team_id_rule(void);

/* Splits path in place at its last '/' into the folder that holds the last
 * name (".", when there is no '/'; "/" for a name right under the root)
 * and that name. */
void kc_split_path(char *path, const char **parent, char **base);
/* Who may change the entries of the folder st describes: root, its owner,
 * and everyone its mode lets write unless it is sticky.  NULL when only
 * root and the running user can; else why not, in buf ("is owned by uid
 * N, ...", "is writable by everyone and has no sticky bit"). */
const char *kc_unsafe_folder(const struct stat *st, char *buf, size_t len);
/* Reads from fd until n bytes or its end, into a new buffer with a NUL
 * after what was read (*len bytes): 0, or -1 with why. */
int kc_read_fd(int fd, size_t n, char **data, size_t *len, char *why, size_t whylen);

/* Milliseconds of CLOCK_MONOTONIC (0 if the clock cannot be read), for
 * deadlines; and a pause of ms milliseconds that a signal does not cut short. */
long long kc_now_ms(void);
void kc_sleep_ms(long ms);
/* Reads a whole regular file of at most max bytes; 0, or -1 with why. */
int kc_read_file(const char *path, size_t max, char **data, size_t *len,
                 char *why, size_t whylen);

/* ---- rootfs.c: the inspected Mac's files, inside its root -------------- */

/* Symbolic links inside the root are followed as the Mac follows them (an
 * absolute target from the root); one that climbs above the root is
 * refused (EXDEV); folders are opened one by one with O_NOFOLLOW.  What
 * each name on the way turned out to be (a folder, a link and its target,
 * absent) is remembered for the rest of the run, with a few folders kept
 * open, so that the many paths a run looks up under the same folders cost
 * one look each (rootfs.c). */
typedef struct kc_rootfs {
    char *real; /* the root's canonical path on this machine */
    int fd;     /* the root folder */
    struct kc_rootfs_cache *cache; /* rootfs.c's; NULL: nothing remembered */
} kc_rootfs;

/* A resolved path: the open folder that holds it and its last name ("."
 * for a folder itself), plus its spelling on this machine without links. */
typedef struct kc_rootfs_ref {
    int dirfd;
    char *name;
    char *host_path;
} kc_rootfs_ref;

/* Opens the root (any path; links in it are resolved). 0, or -1 with why. */
int kc_rootfs_open(kc_rootfs *fs, const char *root, char *why, size_t whylen);
void kc_rootfs_close(kc_rootfs *fs);
/* Resolves mac_path (absolute on the Mac).  follow_last: a link in the last
 * component is followed too.  Returns 0, or an errno value (ENOENT,
 * ENOTDIR, EXDEV: leads out of the root, ELOOP, ...). */
int kc_rootfs_resolve(const kc_rootfs *fs, const char *mac_path, bool follow_last,
                      kc_rootfs_ref *ref);
void kc_rootfs_ref_free(kc_rootfs_ref *ref);
/* A message for kc_rootfs_resolve's errors. */
const char *kc_rootfs_strerror(int err);
/* stat of what mac_path names (links followed under the rule): 0 or errno. */
int kc_rootfs_stat(const kc_rootfs *fs, const char *mac_path, struct stat *st);
/* Opens the folder mac_path names for reading its entries: 0 or errno. */
int kc_rootfs_open_dir(const kc_rootfs *fs, const char *mac_path, int *fd);
/* Reads a whole regular file of at most max bytes: 1 read, 0 absent (with
 * why), -1 with why (not a regular file, too large, outside the root...). */
int kc_rootfs_read(const kc_rootfs *fs, const char *mac_path, size_t max, char **data,
                   size_t *len, char *why, size_t whylen);
/* The first at most max bytes of the regular file name in dirfd (never a
 * FIFO, device or link), its whole size in *size: 0, or -1 with why. */
int kc_read_head_at(int dirfd, const char *name, size_t max, char **data, size_t *len,
                    uint64_t *size, char *why, size_t whylen);
/* Reads the regular file name in the folder dirfd (never a FIFO, device or
 * link), at most max bytes: 0, or -1 with why. */
int kc_read_file_at(int dirfd, const char *name, size_t max, char **data, size_t *len,
                    char *why, size_t whylen);

/* ---- the macOS tools live mode and collect run ----------------------- */

typedef enum kc_tool {
    KC_TOOL_SPCTL,
    KC_TOOL_CSRUTIL,
    KC_TOOL_KEXTSTAT,
    KC_TOOL_UNAME,
    KC_TOOL_SYSCTL,
    KC_TOOL_BPUTIL,
    KC_TOOL_DISKUTIL,
    KC_TOOL_CODESIGN,
    KC_TOOL_KMUTIL,
    KC_TOOL_COUNT,
} kc_tool;

/* The tool's [commands] key ("spctl") and its path on macOS. */
const char *kc_tool_key(kc_tool t);
const char *kc_tool_default(kc_tool t);

/* ---- config.c --------------------------------------------------------- */

typedef struct kc_config {
    char *root;          /* NULL: not set */
    char *cmd[KC_TOOL_COUNT]; /* [commands]: absolute paths of the tools run
                                 in live mode; NULL: the macOS default */
    int cmd_timeout;     /* seconds; 0: the default */
    char *policy_db;     /* NULL: <root>/var/db/SystemPolicyConfiguration/KextPolicy */
    kc_strv plugin_dirs; /* empty: the default directory */
    kc_strv enable;      /* empty: every plugin found */
    kc_strv disable;
} kc_config;

/* Parses an INI file into cfg.  Returns 0; 1 when the file does not exist
 * (cfg untouched); -1 with a message in why ("FILE:LINE: ...") otherwise. */
int kc_config_load(const char *path, kc_config *cfg, char *why, size_t whylen);
void kc_config_free(kc_config *cfg);

/* ---- validate.c ------------------------------------------------------- */

/* A validated copy of a plugin descriptor, owned by the host. */
typedef struct kc_vendor {
    char *name;
    char *vendor;
    char *team_id;
    char *developer_name; /* may be NULL */
    char *reference;
    kc_strv kexts;
    kc_strv install_paths;
    kc_strv staged_paths;
    kc_strv sysexts;      /* ABI 1.1; empty for 1.0 plugins */
    /* ABI 1.2, each NULL when the plugin does not give it (or is older): */
    char *kb_url;             /* the vendor's article (https) */
    char *uninstall_hint;     /* what removal needs first */
    char *diagnostic_command; /* shown to admins, never run */
    char *sysext_team_id;     /* the system extensions' team, when not team_id */
    uint32_t abi_version;
    char *source; /* plugin file, or "built-in" */
} kc_vendor;

/* Checks desc against every rule of plugin.h; expected_name is the file
 * stem (or NULL to skip that rule).  On success fills out (a deep copy)
 * and returns 0; otherwise returns -1 with the reason in why. */
int kc_plugin_validate(const struct kc_plugin *desc, const char *expected_name,
                       kc_vendor *out, char *why, size_t whylen);
/* The same checks, collecting every problem (one per field) in problems
 * instead of stopping at the first; out may be NULL. */
int kc_plugin_problems(const struct kc_plugin *desc, const char *expected_name,
                       kc_vendor *out, kc_strv *problems);
void kc_vendor_free(kc_vendor *v);
/* The team that signs v's system extensions: sysext_team_id, else team_id. */
const char *kc_vendor_sysext_team(const kc_vendor *v);

/* ---- loader.c --------------------------------------------------------- */

typedef struct kc_refusal {
    char *source;     /* file, folder or built-in name */
    char *reason;     /* every problem, joined with "; " */
    kc_strv problems; /* one entry per problem */
} kc_refusal;

typedef struct kc_registry {
    kc_vendor *vendors;
    size_t n_vendors;
    kc_refusal *refused;
    size_t n_refused;
    void **handles; /* dlopen handles kept until kc_registry_free (the
                       descriptors they were loaded from are closed) */
    size_t n_handles;
    bool allow_unsafe; /* skip the ownership and permission checks */
    struct kc_loader_index *index; /* loader.c's hash tables (duplicate
                                      checks, files and handles seen) */
} kc_registry;

typedef struct kc_builtin_plugin {
    const char *name;
    kc_plugin_entry_fn entry;
} kc_builtin_plugin;

extern const kc_builtin_plugin kc_builtin_plugins[];
extern const size_t kc_builtin_plugin_count;

/* Loads the built-in plugins, then every "*.so" in each directory (sorted
 * by name; a directory named twice, by the same or another path, is read
 * once), honouring enable/disable.  A plugin in enable that no directory
 * holds is recorded as refused.  Refusals are recorded, not fatal.
 * Plugin code runs in this process: standard output is set aside while it
 * runs (a plugin that writes there is refused), and exit() called by it
 * ends the process with KC_EXIT_UNKNOWN and a message (see
 * kc_loader_on_plugin_exit).  Returns 0, or -1 on out-of-memory. */
int kc_registry_load(kc_registry *reg, const kc_strv *dirs,
                     const kc_strv *enable, const kc_strv *disable);
/* Loads one plugin file in this process (its folder is checked too);
 * refusal recorded in reg.  0 loaded, 1 refused, -1 out of memory. */
int kc_registry_load_file(kc_registry *reg, const char *path);
/* Validates one entry's descriptor and adds it (duplicate checks). */
int kc_registry_add(kc_registry *reg, const struct kc_plugin *desc,
                    const char *expected_name, const char *source);
/* Records source as refused for every reason in problems.  0 or -1. */
int kc_registry_refuse(kc_registry *reg, const char *source, const kc_strv *problems);
/* Unloads the plugins (their destructors run with the same protections as
 * their loading) and frees everything. */
void kc_registry_free(kc_registry *reg);

/* fn(ctx, PLUGIN, DOING) is called instead of printing the message when
 * plugin code calls exit() while it is being loaded or unloaded (DOING is
 * "loaded" or "unloaded"); the process then ends with
 * _exit(KC_EXIT_UNKNOWN).  NULL restores the message
 * "kextcheck: PLUGIN: called exit() while being loaded". */
typedef void (*kc_plugin_exit_fn)(void *ctx, const char *plugin, const char *doing);
void kc_loader_on_plugin_exit(kc_plugin_exit_fn fn, void *ctx);

/* ---- plugin_child.c ---------------------------------------------------- */

/* Seconds a plugin file may take to load and validate in its child. */
#define KC_VALIDATE_TIMEOUT_S 5
/* `kextcheck plugins validate`: loads and validates the file at path
 * exactly as kc_registry_load_file does, but in a child process with a
 * time limit, so that plugin code never runs in this process.  A crash, a
 * hang, an exit() or output on stdout or stderr is a refusal that says so.
 * The outcome (a vendor or a refusal) is recorded in reg, with the
 * duplicate checks against what reg already holds.  0 valid, 1 refused,
 * -1 out of memory. */
int kc_registry_validate_file(kc_registry *reg, const char *path);

/* ---- policydb.c ------------------------------------------------------- */

typedef enum kc_db_state {
    KC_DB_OK,
    KC_DB_MISSING,
    KC_DB_UNREADABLE,
    KC_DB_CORRUPT,
    KC_DB_NO_TABLES,
    KC_DB_BUSY,           /* another process kept it locked: try again ("busy") */
} kc_db_state;

/* A private copy (a WAL database with -wal but no -shm) takes at most this
 * many bytes of each of the database and its -wal; a larger file makes the
 * database unreadable rather than fill the disk. */
#define KC_POLICYDB_COPY_MAX (64 * 1024 * 1024)
/* The private copy's folder is "<folder>/kextcheck-dbcopy.XXXXXX"; one left
 * behind (kextcheck killed with SIGKILL) may be deleted. */
#define KC_POLICYDB_COPY_PREFIX "kextcheck-dbcopy."


typedef struct kc_policy_row {
    char *team_id;
    char *bundle_id;
    char *developer_name;
    int allowed;          /* 1, 0, or -1 when neither */
    bool has_flags;
    long long flags;
} kc_policy_row;

typedef struct kc_mdm_row {
    char *team_id;
    char *bundle_id;      /* NULL or "" approves the whole team */
    int allowed;
    char *payload_uuid;
} kc_mdm_row;

typedef struct kc_history_row {
    char *path;
    char *team_id;
    char *bundle_id;
    char *created_at;
    char *last_seen;
    bool has_flags;
    long long flags;
    char *cdhash;
} kc_history_row;

typedef struct kc_policydb {
    kc_db_state state;
    char *path;
    char *error;          /* why, when state != KC_DB_OK */
    const char *access;   /* "in_place", "immutable", "private_copy" */
    bool has_kext_policy, has_mdm, has_history, has_cdhash;
    void *db;             /* sqlite3 *, open while state == KC_DB_OK */
    char *tmpdir;         /* private copy's folder, removed on close */
    struct kc_policydb_priv *priv; /* policydb.c's own: snapshot, statements, copy */
} kc_policydb;

typedef struct kc_policy_rows {
    kc_policy_row *policy;
    size_t n_policy;
    kc_mdm_row *mdm;
    size_t n_mdm;
    kc_history_row *history;
    size_t n_history;
    bool truncated;       /* a cap on rows was reached */
} kc_policy_rows;

/* Opens the database read-only without changing a byte of it or its
 * -wal/-shm files, and begins the read transaction that every query of the
 * run reads from (one snapshot; it ends at kc_policydb_close).  Never
 * fails: the outcome is in db->state (KC_DB_BUSY after about 3 s of a
 * database another process keeps locked). */
void kc_policydb_open(kc_policydb *db, const char *path);
/* The same; a private copy, when one is needed, goes in a new folder under
 * scratch (NULL: $TMPDIR when the user is not root and owns it alone,
 * otherwise /tmp).  The folder must belong to the running user (or root)
 * and be writable by nobody else unless sticky. */
void kc_policydb_open_in(kc_policydb *db, const char *path, const char *scratch);
/* Opens the database at mac_path inside the Mac's root (links resolved as
 * kc_rootfs does; one leading out of the root makes it unreadable). */
void kc_policydb_open_root(kc_policydb *db, const kc_rootfs *fs, const char *mac_path,
                           const char *scratch);
/* Opens a database file the user named (--db), links in its path followed. */
void kc_policydb_open_file(kc_policydb *db, const char *path, const char *scratch);
/* For each of the n vendors, out[i] (n entries, overwritten) gets the
 * rows of vendors[i].team_id plus the rows that carry one of its bundle
 * IDs under another team (TEAM_MISMATCH), at most 2000 per table.  Own rows
 * come from index lookups, other teams' rows from one pass over each table
 * for all vendors.  0, or -1 with db->error set (state stays OK) and every
 * out[i] empty.  Free each with kc_policy_rows_free. */
int kc_policydb_read_all(kc_policydb *db, const kc_vendor *vendors, size_t n,
                         kc_policy_rows *out);
/* The same for one team and its bundle IDs. */
int kc_policydb_query(kc_policydb *db, const char *team_id,
                      const kc_strv *bundle_ids, kc_policy_rows *out);
void kc_policy_rows_free(kc_policy_rows *rows);
void kc_policydb_close(kc_policydb *db);
const char *kc_db_state_name(kc_db_state s);

/* ---- bundles.c -------------------------------------------------------- */

typedef struct kc_bundle {
    char *path;           /* as on the Mac (without the root) */
    char *bundle_id;      /* NULL when Info.plist could not be read */
    char *version;        /* CFBundleVersion, may be NULL */
    char *short_version;  /* CFBundleShortVersionString, may be NULL */
    char *error;          /* why Info.plist could not be used */
    /* The executable (Contents/MacOS/<CFBundleExecutable>). */
    char *executable;     /* CFBundleExecutable, NULL when absent */
    char *archs;          /* its architectures ("x86_64 arm64e"), NULL when
                             not read */
    bool has_arm64e;      /* an arm64e slice (what Apple silicon loads) */
    char *exe_error;      /* why the executable could not be read */
    /* The bundle folder as stat saw it; meaningful only where ownership is
     * known (the Mac itself, or a collected snapshot's manifest). */
    bool owner_known;
    unsigned long uid, gid;
    unsigned mode;        /* permission bits */
} kc_bundle;

typedef struct kc_bundles {
    kc_bundle *items;
    size_t n;
    size_t cap;
    bool truncated;
} kc_bundles;


/* Finds .kext bundles at or below mac_path inside the Mac's root (links on
 * the way followed under kc_rootfs's rule, never inside the walk).  Returns
 * 1 when the path exists, 0 when it does not, -1 on out-of-memory. */
int kc_bundles_scan(const kc_rootfs *fs, const char *mac_path, kc_bundles *out);
void kc_bundles_free(kc_bundles *b);

/* ---- evidence.c: the other signals (issue: consent, SIP, loaded,
 * system extensions, macOS version; the MDM policies are in platform.h) -- */

typedef enum kc_tri { KC_UNKNOWN = -1, KC_NO = 0, KC_YES = 1 } kc_tri;

/* Where one piece of evidence came from and whether it could be used. */
typedef struct kc_source {
    bool present;   /* the file existed / the command ran */
    bool ok;        /* it was read and understood */
    char *origin;   /* "file PATH" or "command ARGV..." */
    char *error;    /* why it could not be used (present or not) */
} kc_source;

typedef struct kc_loaded_kext {
    char *bundle_id;
    char *version;
} kc_loaded_kext;

typedef struct kc_sysext {
    char *identifier;
    char *team_id;
    char *state;
    char *version;
} kc_sysext;

typedef enum kc_sip {
    KC_SIP_UNKNOWN,
    KC_SIP_ENABLED,
    KC_SIP_DISABLED,
    KC_SIP_CUSTOM,   /* enabled or unknown "(Custom Configuration)" */
} kc_sip;

typedef struct kc_evidence {
    kc_source consent_status_src;
    kc_tri consent_enabled;          /* "Kernel Extension User Consent: ENABLED" */
    kc_source consent_list_src;
    kc_strv consent_teams;           /* "Allowed Team Identifiers:" */
    kc_source sip_src;
    kc_sip sip;
    kc_tri kext_signing;             /* "Kext Signing: enabled|disabled"; KC_YES when
                                        SIP is plainly enabled, KC_NO when disabled */
    kc_source loaded_src;
    kc_loaded_kext *loaded;
    size_t n_loaded;
    kc_source os_src;
    char *os_version;                /* ProductVersion */
    int os_major, os_minor;          /* 0 when unknown */
    kc_source sysext_src;
    kc_sysext *sysexts;
    size_t n_sysexts;
    bool sysexts_truncated;
} kc_evidence;

/* Parsers: each reads the whole text (len bytes, not NUL-terminated
 * necessarily), fills its part of ev and returns 0, or returns -1 with a
 * reason in why ("line 3: ...") and leaves its part unknown.  They accept
 * only what the tool prints; anything else is a reason, never a guess. */
int kc_parse_consent_status(const char *text, size_t len, kc_evidence *ev, char *why,
                            size_t whylen);
int kc_parse_consent_list(const char *text, size_t len, kc_evidence *ev, char *why,
                          size_t whylen);
int kc_parse_csrutil(const char *text, size_t len, kc_evidence *ev, char *why, size_t whylen);
int kc_parse_loaded(const char *text, size_t len, kc_evidence *ev, char *why, size_t whylen);
/* A property list (XML or binary) from len bytes: its root, to free with
 * plist_free, or NULL with why when it is damaged or one of its strings or
 * keys holds a NUL character (libplist 2.2 asserts on some of those, the
 * process aborting, and cuts the others short). */
void *kc_plist_parse(const char *data, size_t len, char *why, size_t whylen);
/* kc_plist_parse on a regular file (never a symbolic link) of at most
 * 1 MiB. */
void *kc_plist_load(const char *path, char *why, size_t whylen);
/* What the plist node is, for messages: "a string", "an integer", "a
 * dictionary"... */
const char *kc_plist_type_name(void *node);
/* A string node's bytes, read with their length (NUL bytes included)
 * rather than through plist_get_string_val, which asserts on some: false
 * when node is not a string. */
bool kc_plist_string_bytes(void *node, const char **s, size_t *n);
/* Plist readers: path is the full path of the file.  Return 1 when read,
 * 0 when the file does not exist, -1 with why when it could not be used. */
int kc_read_system_version(const char *path, kc_evidence *ev, char *why, size_t whylen);
int kc_read_sysext_db(const char *path, kc_evidence *ev, char *why, size_t whylen);
void kc_evidence_free(kc_evidence *ev);
void kc_source_free(kc_source *src);

/* ---- command.c --------------------------------------------------------- */

typedef struct kc_cmd_result {
    bool ran;             /* the command was started */
    bool missing;         /* not found or not executable */
    char *out;            /* stdout and stderr together, NUL-terminated */
    size_t len;
    int exit_status;      /* -1 when it did not exit normally */
    bool timed_out;
    bool truncated;       /* printed more than the cap */
    long long duration_ms;
    char *error;          /* why the output cannot be trusted, or NULL */
} kc_cmd_result;

/* Runs argv[0] (an absolute path) with a clean environment, stdin from
 * /dev/null, a timeout and an output cap.  Returns 0 with the outcome in r
 * (r->error set when it could not run, timed out, was cut or killed), or -1
 * on out-of-memory. */
int kc_run_command(const char *const argv[], int timeout_ms, size_t cap, kc_cmd_result *r);
void kc_cmd_result_free(kc_cmd_result *r);

/* ---- gather.c: evidence from the live Mac or from a snapshot ---------- */

/* Captured command outputs live in <root>/.kextcheck/ (written by
 * `kextcheck collect`); a "<file>.error" beside one says why it is not to
 * be trusted. */
#define KC_CAPTURE_DIR ".kextcheck"
#define KC_POLICY_DB_PATH "/var/db/SystemPolicyConfiguration/KextPolicy"
#define KC_SYSTEM_VERSION_PLIST "/System/Library/CoreServices/SystemVersion.plist"
#define KC_MDM_POLICY_PLIST \
    "/Library/Managed Preferences/com.apple.syspolicy.kernel-extension-policy.plist"
#define KC_SYSEXT_DB_PLIST "/Library/SystemExtensions/db.plist"
#define KC_SYSEXT_MDM_PLIST \
    "/Library/Managed Preferences/com.apple.system-extension-policy.plist"
#define KC_CAPTURE_MAX (1024 * 1024)
/* The largest plist read from the Mac (SystemVersion.plist, the MDM
 * profile, each kext's Info.plist), and the largest system extension
 * database (db.plist): the analyser refuses larger files, and collect copies
 * no more than it reads (a larger file is cut one byte past the limit, so
 * the analysis of the snapshot says "too large" as on the Mac). */
#define KC_PLIST_MAX (1024 * 1024)
#define KC_SYSEXT_DB_MAX KC_PLIST_MAX
#define KC_DEFAULT_TIMEOUT_MS 10000

typedef enum kc_capture_id {
    KC_CAP_CONSENT_STATUS,
    KC_CAP_CONSENT_LIST,
    KC_CAP_SIP,
    KC_CAP_LOADED,
    KC_CAP_UNAME,     /* uname -m */
    KC_CAP_ARM64,     /* sysctl -n hw.optional.arm64 */
    KC_CAP_BPUTIL,    /* bputil -d (Apple silicon, root) */
    KC_CAP_VMM,       /* sysctl -n kern.hv_vmm_present */
    KC_CAP_DISKUTIL,  /* diskutil info / */
    KC_CAP_COUNT,
} kc_capture_id;

/* Captures about one kext bundle, per declared kext found on disk: their
 * files are "<prefix><bundle id>.txt" in KC_CAPTURE_DIR. */
typedef enum kc_kext_capture_id {
    KC_KCAP_CODESIGN,     /* codesign -dv --verbose=4 BUNDLE */
    KC_KCAP_DIAGNOSTICS,  /* kmutil print-diagnostics -p BUNDLE (macOS 11+) */
    KC_KCAP_COUNT,
} kc_kext_capture_id;

typedef struct kc_gather {
    const char *root;               /* as given, for messages */
    const kc_rootfs *fs;            /* the same root, opened */
    bool live;                      /* run the commands instead of reading captures */
    const char *tools[KC_TOOL_COUNT]; /* [commands]: NULL for the default */
    int timeout_ms;
    const char *files[KC_CAP_COUNT]; /* --consent-status etc.: read these instead */
} kc_gather;

/* The capture's file name in KC_CAPTURE_DIR and a short label. */
const char *kc_capture_file(kc_capture_id id);
const char *kc_capture_label(kc_capture_id id);
/* The command line of a capture (argv[0] from g, NULL-terminated). */
void kc_capture_argv(const kc_gather *g, kc_capture_id id, const char *argv[4]);
/* What a capture's text means: 0, or -1 with why.  exit_status is the
 * command's (live), or -1 for a file. */
typedef int (*kc_capture_parse_fn)(const char *text, size_t len, int exit_status, void *ctx,
                                   char *why, size_t whylen);
/* Reads capture id from where g says (the command, the snapshot's
 * .kextcheck/ file or the file named on the command line), records where
 * it came from in src and what parse made of it.  -1 only on OOM. */
int kc_gather_capture(const kc_gather *g, kc_capture_id id, kc_source *src,
                      kc_capture_parse_fn parse, void *ctx);
/* The capture file of one kext ("codesign-com.x.y.txt"), or NULL when the
 * bundle ID cannot name a file (or on OOM). */
char *kc_kext_capture_file(kc_kext_capture_id id, const char *bundle_id);
const char *kc_kext_capture_label(kc_kext_capture_id id);
/* The command line (argv[0] from g; path is the bundle's path on the Mac). */
void kc_kext_capture_argv(const kc_gather *g, kc_kext_capture_id id, const char *path,
                          const char *argv[5]);
/* kc_gather_capture for one kext's capture. */
int kc_gather_kext_capture(const kc_gather *g, kc_kext_capture_id id, const char *bundle_id,
                           const char *path, kc_source *src, kc_capture_parse_fn parse,
                           void *ctx);
/* Fills ev from every source.  Never fails on bad input (that is recorded
 * in the sources); returns -1 only on out-of-memory. */
int kc_gather_evidence(const kc_gather *g, kc_evidence *ev);

/* ---- collect.c -------------------------------------------------------- */

/* `kextcheck collect DIR`: writes a snapshot of everything kextcheck reads
 * from the Mac at g->root (running the commands) into out_dir, which must
 * be new or empty.  Returns an exit code; messages go to stderr. */
int kc_collect(const kc_gather *g, const char *policy_db, const kc_registry *reg,
               const char *out_dir);

/* ---- model.h: the stages (read, judge, advise) and their data -------- */

typedef enum kc_severity {
    KC_SEV_OK,
    KC_SEV_UNKNOWN,
    KC_SEV_WARNING,
    KC_SEV_CRITICAL,
} kc_severity;

typedef enum kc_status {
    KC_STATUS_OK,
    KC_STATUS_WARNING,
    KC_STATUS_CRITICAL,
    KC_STATUS_UNKNOWN,
    KC_STATUS_NOT_INSTALLED,
} kc_status;

typedef enum kc_policy {
    KC_POLICY_ALLOWED,
    KC_POLICY_PENDING,
    KC_POLICY_MDM,
    KC_POLICY_NONE,
    KC_POLICY_UNKNOWN,
} kc_policy;

/* ---- cli.c ----------------------------------------------------------- */

/* The whole program: parses argv, runs the command, returns the exit code
 * (stdout and stderr as documented in --help).  main() only calls this, so
 * tests and fuzzers can run the program in process. */
int kc_cli_main(int argc, char **argv);

#endif /* KC_H */
