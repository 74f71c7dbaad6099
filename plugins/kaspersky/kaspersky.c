/*
 * Kaspersky for Mac (Kaspersky Anti-Virus / Endpoint Security; the kexts of
 * the legacy versions, the system extension of the current ones).
 * Every value and where it is written (see docs/catalog.md):
 *   team 2Y8XE5CQ94: a public admin menu script's list of vendor Team IDs
 *     ("Kaspersky - 2Y8XE5CQ94", find_string id 34566175196); the system
 *     extension's NEMachServiceName "2Y8XE5CQ94.com.kaspersky.kav.sysext"
 *     (find_string id 57972945452).
 *   kexts com.kaspersky.kext.klif, com.kaspersky.nke and
 *     com.kaspersky.nke.interceptors and their paths klif.kext, klnke.kext
 *     and klnkeinterceptors.kext in /System/Library/Extensions: the Kaspersky
 *     Anti-Virus for Mac uninstallation script (find_string id 41020898337).
 *     macOS never stages kexts from /System/Library/Extensions, so there are
 *     no staged paths.
 *   system extension com.kaspersky.kav.sysext: the NEMachServiceName above.
 * Left out: the pre-10.x klif location under Application Support (the same
 * script deletes it as an old leftover), developer name, kb_url,
 * uninstall_hint, diagnostic_command.
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.kaspersky.kext.klif",
    "com.kaspersky.nke",
    "com.kaspersky.nke.interceptors",
    NULL,
};

static const char *const install_paths[] = {
    "/System/Library/Extensions/klif.kext",
    "/System/Library/Extensions/klnke.kext",
    "/System/Library/Extensions/klnkeinterceptors.kext",
    NULL,
};

static const char *const sysexts[] = {
    "com.kaspersky.kav.sysext",
    NULL,
};

static const struct kc_plugin kaspersky = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "kaspersky",
    .vendor = "Kaspersky Anti-Virus / Kaspersky Endpoint Security for Mac",
    .team_id = "2Y8XE5CQ94",
    .kext_bundle_ids = kexts,
    .install_paths = install_paths,
    .reference = "Kaspersky Anti-Virus for Mac uninstallation script (klif, "
                 "klnke and klnkeinterceptors kexts and paths); the system "
                 "extension's NEMachServiceName 2Y8XE5CQ94.com.kaspersky.kav.sysext",
    .sysext_bundle_ids = sysexts,
};

KC_PLUGIN_DEFINE(kaspersky, kaspersky)
