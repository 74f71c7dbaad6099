/*
 * kextcheck plugin SDK: the contract between the kextcheck host and a
 * vendor plugin.
 *
 * A plugin is a shared object (or, for packagers, an object built into the
 * kextcheck binary) that describes one vendor's kernel extensions: who signs
 * them, their bundle identifiers and where they are installed and staged.
 * It contains data only; the host does every check.
 *
 * ABI version: 1.2 (see KC_PLUGIN_ABI_MAJOR / KC_PLUGIN_ABI_MINOR).
 *   1.0  the first version.
 *   1.1  adds sysext_bundle_ids (system extensions, macOS 11 and later).
 *        Plugins built against 1.0 keep loading unchanged.
 *   1.2  adds the vendor's own help for admins: kb_url (the vendor's
 *        article), uninstall_hint (what removal needs, such as a tamper
 *        protection token), diagnostic_command (the vendor's status
 *        command, shown and never run), and sysext_team_id (the team that
 *        signs the system extensions, when it is not the kexts' team).
 *        Plugins built against 1.0 and 1.1 keep loading unchanged.
 *
 * How a plugin is written
 * -----------------------
 *
 *     #include <kextcheck/plugin.h>
 *
 *     static const char *const kexts[] = { "com.example.kext.guard", NULL };
 *     static const char *const installed[] = { "/Library/Extensions/Guard.kext", NULL };
 *     static const char *const staged[] = {
 *         "/Library/StagedExtensions/Library/Extensions/Guard.kext", NULL };
 *
 *     static const struct kc_plugin example = {
 *         .abi_version = KC_PLUGIN_ABI_VERSION,
 *         .size = sizeof(struct kc_plugin),
 *         .name = "example",
 *         .vendor = "Example Security",
 *         .team_id = "ABCDE12345",
 *         .developer_name = "Example, Inc.",
 *         .kext_bundle_ids = kexts,
 *         .install_paths = installed,
 *         .staged_paths = staged,
 *         .reference = "Example KB 1234: approving the Guard kext",
 *         .kb_url = "https://support.example.com/kb/1234",
 *         .diagnostic_command = "sudo /usr/local/bin/guardctl status",
 *     };
 *
 *     KC_PLUGIN_DEFINE(example, example)
 *
 * Build it as "example.so" (the file name without ".so" must equal .name)
 * with -fPIC -shared -fvisibility=hidden, and put it in a plugin directory.
 *
 * The rules the host applies (a plugin that breaks any of them is refused
 * with the file name and the reason; the other plugins still run)
 * ------------------------------------------------------------------------
 *
 *  1. Entry point.  The file exports exactly one function named
 *     kextcheck_plugin_<ident>, where <ident> is the plugin name with each
 *     '-' replaced by '_' (plugin "cisco-anyconnect" exports
 *     kextcheck_plugin_cisco_anyconnect).  KC_PLUGIN_DEFINE writes it.  The
 *     host calls it once with its own ABI version; it returns a pointer to a
 *     descriptor with static storage duration, or NULL to decline (for
 *     example when the host's major version differs from the plugin's).
 *
 *  2. Versions.  abi_version comes first and is KC_PLUGIN_ABI_VERSION as the
 *     plugin was compiled.  Its major part must equal the host's; its minor
 *     part must not be newer than the host's.  size comes second and is
 *     sizeof(struct kc_plugin) as the plugin was compiled; it must cover at
 *     least the fields of the plugin's minor version.  The host never reads
 *     a field past size.
 *
 *  3. name: required; 1 to KC_PLUGIN_NAME_MAX characters of a-z, 0-9 and
 *     '-', starting with a letter; equal to the file name without ".so".
 *     No two loaded plugins may share a name.
 *
 *  4. vendor: required; the product or vendor name shown to admins;
 *     1 to KC_PLUGIN_TEXT_MAX bytes, no control characters.
 *
 *  5. team_id: required; the Apple Developer Team ID that signs the kexts:
 *     exactly 10 characters of A-Z and 0-9.  No two loaded plugins may claim
 *     the same team.
 *
 *  6. developer_name: optional (NULL when unknown); the developer name as
 *     the approval database's kext_policy.developer_name shows it.  Used for
 *     messages only: the host matches on team_id, never on this.
 *
 *  7. kext_bundle_ids: required; a NULL-terminated array of 1 to
 *     KC_PLUGIN_ARRAY_MAX bundle identifiers in reverse-DNS form: at least
 *     two dot-separated labels of A-Z, a-z, 0-9, '-' and '_', at most
 *     KC_PLUGIN_ID_MAX bytes, no spaces or control characters, no duplicates.
 *
 *  8. install_paths: optional (NULL or an empty array); where the product
 *     installs its kexts.  Each entry is an absolute path (a .kext bundle or
 *     a folder that contains them), at most KC_PLUGIN_PATH_MAX bytes,
 *     without control characters, "//", "/./" or "/../" components.
 *
 *  9. staged_paths: optional; the copies macOS makes under
 *     /Library/StagedExtensions.  Same rules as install_paths and each entry
 *     starts with "/Library/StagedExtensions/".
 *
 * 10. reference: required; where the data comes from (a vendor article, a
 *     document, a public profile), 1 to KC_PLUGIN_TEXT_MAX bytes.
 *
 * 10a. sysext_bundle_ids (since 1.1): optional; the bundle identifiers of the
 *     product's system extensions (macOS 11 and later), checked against
 *     /Library/SystemExtensions/db.plist.  Same rules as kext_bundle_ids, and
 *     none may repeat a kext bundle ID.  Read only from plugins whose
 *     abi_version is 1.1 or later and whose size covers the field.
 *
 * 10b. kb_url (since 1.2): optional; the vendor's own article for kext or
 *     approval trouble, shown to admins beside the next step.  "https://"
 *     then a host of A-Z, a-z, 0-9, '-' and '.' (an optional ":PORT"; no
 *     "user@" part), then an optional path; at most KC_PLUGIN_URL_MAX bytes
 *     of printable ASCII without spaces or any of " < > \ ^ ` { | }.
 *
 * 10c. uninstall_hint (since 1.2): optional; what removing the product
 *     needs before anything else, for example "a maintenance token from
 *     the console".  Plain text: 1 to KC_PLUGIN_TEXT_MAX bytes of UTF-8,
 *     no control characters (no newlines).
 *
 * 10d. diagnostic_command (since 1.2): optional; the vendor's own status
 *     command (for example "sudo sentinelctl status").  kextcheck shows it
 *     as text and never runs it.  1 to KC_PLUGIN_COMMAND_MAX bytes of UTF-8,
 *     no control characters.
 *
 * 10e. sysext_team_id (since 1.2): optional; the Team ID that signs the
 *     system extensions when it is not team_id.  Same form as team_id, and
 *     only with a non-empty sysext_bundle_ids.  The host then matches the
 *     system extensions in /Library/SystemExtensions/db.plist on this team
 *     (NULL: on team_id).  It may equal another plugin's team: system
 *     extensions are matched on team and identifier together.
 *
 *     The 1.2 fields are read only from plugins whose abi_version is 1.2
 *     or later and whose size covers them.
 *
 * 11. Arrays are NULL-terminated and hold at most KC_PLUGIN_ARRAY_MAX
 *     entries; an array without a terminator in that range is refused.
 *
 * Ownership: every string and array belongs to the plugin and must live as
 * long as the plugin is loaded (use static const data).  The host copies
 * what it keeps and never writes to or frees plugin memory.
 *
 * Plugin code runs inside the host
 * --------------------------------
 *
 * A plugin is loaded with dlopen() into the kextcheck process, which runs
 * as root on a Mac: its constructors, its entry function and its
 * destructors run with the host's privileges and in its address space.  A
 * plugin must therefore only return data: no constructors or destructors,
 * no output, no files, no processes or threads, no calls to exit().  The
 * entry function returns the descriptor and nothing else.
 *
 * What the host does about a plugin that does more:
 *  - `kextcheck plugins validate FILE` loads and validates each file in a
 *    child process with a time limit of a few seconds.  A crash (signal), a
 *    hang (the child is stopped), a call to exit() or _exit(), or any byte
 *    written to standard output or standard error is a refusal that names
 *    it.  Validate a plugin this way before installing it.
 *  - In a check (and `kextcheck plugins`) plugins are loaded in process.
 *    While plugin code runs, standard output is set aside: a plugin that
 *    writes there is refused and the report stays intact.  A plugin that
 *    calls exit() while it is loaded or unloaded ends kextcheck with exit
 *    status 3 (could not check) and "kextcheck: PLUGIN: called exit() while
 *    being loaded", never with the plugin's own status.  A crash or an
 *    endless loop in plugin code takes the check down with it: that is what
 *    validating first is for.
 *  - A plugin file is opened once and the descriptor that was checked is
 *    the one loaded; no plugin is ever given the handle of another file's
 *    object, even one that stays in memory after it was refused (linked
 *    with -z nodelete, or using TLS).
 */
#ifndef KEXTCHECK_PLUGIN_H
#define KEXTCHECK_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Major version: changes only when the descriptor's layout breaks. */
#define KC_PLUGIN_ABI_MAJOR 1
/** Minor version: grows when fields are appended to struct kc_plugin. */
#define KC_PLUGIN_ABI_MINOR 2

/** Packs a major and minor version into one 32-bit value. */
#define KC_PLUGIN_MKVERSION(major, minor) \
    ((uint32_t)(((uint32_t)(major) << 16) | ((uint32_t)(minor) & 0xffffu)))
#define KC_PLUGIN_VERSION_MAJOR(v) ((uint32_t)(v) >> 16)
#define KC_PLUGIN_VERSION_MINOR(v) ((uint32_t)(v) & 0xffffu)

/** The version this header describes. */
#define KC_PLUGIN_ABI_VERSION \
    KC_PLUGIN_MKVERSION(KC_PLUGIN_ABI_MAJOR, KC_PLUGIN_ABI_MINOR)

/** Limits the host enforces (see the rules above). */
#define KC_PLUGIN_NAME_MAX 32
#define KC_PLUGIN_TEXT_MAX 512
#define KC_PLUGIN_ID_MAX 255
#define KC_PLUGIN_PATH_MAX 1024
#define KC_PLUGIN_ARRAY_MAX 32
#define KC_PLUGIN_URL_MAX 512
#define KC_PLUGIN_COMMAND_MAX 256

/** The prefix of every entry function's name. */
#define KC_PLUGIN_ENTRY_PREFIX "kextcheck_plugin_"

/** One vendor's description.  Field order is part of the ABI. */
struct kc_plugin {
    /* --- ABI 1.0 --- */
    uint32_t abi_version;                 /* KC_PLUGIN_ABI_VERSION */
    uint32_t size;                        /* sizeof(struct kc_plugin) */
    const char *name;                     /* plugin name == file stem */
    const char *vendor;                   /* display name */
    const char *team_id;                  /* 10 chars, A-Z 0-9 */
    const char *developer_name;           /* optional, as kext_policy shows it */
    const char *const *kext_bundle_ids;   /* NULL-terminated, 1..32 */
    const char *const *install_paths;     /* optional, NULL-terminated */
    const char *const *staged_paths;      /* optional, NULL-terminated */
    const char *reference;                /* where the data comes from */
    /* --- ABI 1.1 --- */
    const char *const *sysext_bundle_ids; /* optional, NULL-terminated */
    /* --- ABI 1.2 --- */
    const char *kb_url;                   /* optional, https:// vendor article */
    const char *uninstall_hint;           /* optional, plain text */
    const char *diagnostic_command;       /* optional, shown, never run */
    const char *sysext_team_id;           /* optional, when not team_id */
    /* Fields added in later minor versions go below this line. */
};

/** Bytes a descriptor of ABI 1.0 must at least have. */
#define KC_PLUGIN_SIZE_1_0 \
    (offsetof(struct kc_plugin, reference) + sizeof(const char *))
/** Bytes a descriptor of ABI 1.1 must at least have. */
#define KC_PLUGIN_SIZE_1_1 \
    (offsetof(struct kc_plugin, sysext_bundle_ids) + sizeof(const char *const *))
/** Bytes a descriptor of ABI 1.2 must at least have. */
#define KC_PLUGIN_SIZE_1_2 \
    (offsetof(struct kc_plugin, sysext_team_id) + sizeof(const char *))

/** The type of a plugin's entry function. */
typedef const struct kc_plugin *(*kc_plugin_entry_fn)(uint32_t host_abi_version);

#if defined(__GNUC__) || defined(__clang__)
#define KC_PLUGIN_EXPORT __attribute__((visibility("default")))
#else
#define KC_PLUGIN_EXPORT
#endif

/**
 * Declares and defines the entry function of plugin <ident> (the plugin
 * name with '-' written as '_'), returning &desc when the host's major ABI
 * version equals this header's and NULL otherwise.
 */
#define KC_PLUGIN_DEFINE(ident, desc)                                        \
    KC_PLUGIN_EXPORT const struct kc_plugin *kextcheck_plugin_##ident(       \
        uint32_t host_abi_version);                                          \
    KC_PLUGIN_EXPORT const struct kc_plugin *kextcheck_plugin_##ident(       \
        uint32_t host_abi_version)                                           \
    {                                                                        \
        if (KC_PLUGIN_VERSION_MAJOR(host_abi_version) != KC_PLUGIN_ABI_MAJOR) \
            return NULL;                                                     \
        return &(desc);                                                      \
    }

#ifdef __cplusplus
}
#endif

#endif /* KEXTCHECK_PLUGIN_H */
