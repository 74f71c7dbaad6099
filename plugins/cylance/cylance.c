/*
 * CylancePROTECT for Mac (the kext-based versions).
 * Every value and where it is written (see docs/catalog.md):
 *   team 6ENJ69K633 and install path /System/Library/Extensions/
 *     CyProtectDrvOSX.kext: a public admin script that runs `spctl
 *     kext-consent add 6ENJ69K633` and `kextload` on that path (find_string
 *     id 11645910075); the team also in a public install script's header
 *     (find_string id 14981126938).
 *   kext com.Cylance.CyProtectDrvOSX: a public `kextstat` listing
 *     (find_string id 25491078196).
 *   The kext lives in /System/Library/Extensions, which macOS never stages,
 *   so there is no staged path.
 * Left out: developer name, kb_url, uninstall_hint, diagnostic_command.  No
 * system extension is known.
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
    .reference = "public CylancePROTECT admin and install scripts (team, kext "
                 "path); a public kextstat listing (kext ID)",
};

KC_PLUGIN_DEFINE(cylance, cylance)
