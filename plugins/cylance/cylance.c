/*
 * CylancePROTECT for Mac (the kext-based versions).
 * Data (reference/vendors.md, Cylance row):
 *   team ID 6ENJ69K633, kext com.Cylance.CyProtectDrvOSX and its install
 *   path: two independent admin scripts, as summarised in vendors.md.
 *   The kext lives in /System/Library/Extensions, which SIP protects and
 *   macOS never stages, so there is no staged path.
 * Left out: developer name (unverified). No system extension is known.
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.Cylance.CyProtectDrvOSX",
    NULL,
};

static const char *const install_paths[] = {
    "/System/Library/Extensions/CyProtectDrvOSX.kext",
    NULL,
};

static const struct kc_plugin cylance = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "cylance",
    .vendor = "CylancePROTECT",
    .team_id = "6ENJ69K633",
    .kext_bundle_ids = kexts,
    .install_paths = install_paths,
    .reference = "two independent public admin scripts for CylancePROTECT "
                 "(kext ID and install path)",
};

KC_PLUGIN_DEFINE(cylance, cylance)
