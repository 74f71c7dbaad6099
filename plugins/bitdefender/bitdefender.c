/*
 * Bitdefender Antivirus for Mac / Bitdefender Endpoint Security Tools
 * (the kext-based versions).
 * Data (reference/vendors.md, Bitdefender row):
 *   team ID GUNFMW623Y and the five kext IDs: kandji-inc/support profiles
 *   (one source only; listed, not marked unverified);
 *   install folder /Library/Bitdefender/AVP: vendors.md; staged path
 *   follows the rule "/Library/StagedExtensions" + original path.
 * Left out: developer name (unverified); the system extension (not part
 * of ABI 1.0).
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.bitdefender.FileProtect",
    "com.bitdefender.atc",
    "com.bitdefender.ExecAuth",
    "com.bitdefender.SelfProtect",
    "com.bitdefender.TMProtection",
    NULL,
};

static const char *const install_paths[] = {
    "/Library/Bitdefender/AVP",
    NULL,
};

static const char *const staged_paths[] = {
    "/Library/StagedExtensions/Library/Bitdefender/AVP",
    NULL,
};

/* System extensions (ABI 1.1), source: kandji-inc/support. */
static const char *const sysexts[] = {
    "com.bitdefender.cst.net.dci.dci-network-extension",
    NULL,
};

static const struct kc_plugin bitdefender = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "bitdefender",
    .vendor = "Bitdefender Antivirus for Mac / Endpoint Security Tools",
    .team_id = "GUNFMW623Y",
    .kext_bundle_ids = kexts,
    .install_paths = install_paths,
    .staged_paths = staged_paths,
    .reference = "kandji-inc/support custom-apps and kext profiles (the "
                 "single source for the kext IDs)",
    .sysext_bundle_ids = sysexts,
};

KC_PLUGIN_DEFINE(bitdefender, bitdefender)
