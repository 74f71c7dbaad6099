/*
 * Kaspersky for Mac (Kaspersky Anti-Virus / Endpoint Security, legacy
 * kext-based versions).
 * Data (reference/vendors.md, Kaspersky row):
 *   team ID 2Y8XE5CQ94, kexts com.kaspersky.kext.klif and com.kaspersky.nke
 *   (legacy) and their install paths: codesign output and Kaspersky
 *   uninstall scripts, as summarised in vendors.md.
 *   The kexts live in /System/Library/Extensions, which SIP protects and
 *   macOS never stages, so there are no staged paths.
 * Left out: developer name (unverified); the system extension (not part
 * of ABI 1.0).
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.kaspersky.kext.klif",
    "com.kaspersky.nke",
    NULL,
};

static const char *const install_paths[] = {
    "/System/Library/Extensions/klif.kext",
    "/System/Library/Extensions/klnke.kext",
    NULL,
};

/* System extensions (ABI 1.1), source: vendors.md (no second source). */
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
    .reference = "codesign output of the Kaspersky kexts and Kaspersky "
                 "uninstall scripts (legacy klif and klnke kexts)",
    .sysext_bundle_ids = sysexts,
};

KC_PLUGIN_DEFINE(kaspersky, kaspersky)
