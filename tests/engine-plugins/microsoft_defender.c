/* A frozen copy of plugins/microsoft-defender/microsoft-defender.c for the engine's golden cases
 * (tests/cases): the catalog's data may change without touching them. */
/*
 * Microsoft Defender for Endpoint on macOS (the kext-based versions).
 * Data (reference/vendors.md, Microsoft Defender row):
 *   team ID UBF8T346G9 and kext com.microsoft.wdavkext:
 *   microsoft/mdatp-xplat macos/mobileconfig/profiles;
 *   install path and staged path: Microsoft's Defender documentation (the
 *   staged path also matches the rule "/Library/StagedExtensions" +
 *   original path).
 * Left out: developer name (unverified; the approval prompt shows
 * "Microsoft Corporation", but the kext_policy value has not been seen);
 * the system extensions (not part of ABI 1.0).
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.microsoft.wdavkext",
    NULL,
};

static const char *const install_paths[] = {
    "/Library/Extensions/wdavkext.kext",
    NULL,
};

static const char *const staged_paths[] = {
    "/Library/StagedExtensions/Library/Extensions/wdavkext.kext",
    NULL,
};

/* System extensions (ABI 1.1), source: microsoft/mdatp-xplat mobileconfig profiles. */
static const char *const sysexts[] = {
    "com.microsoft.wdav.epsext",
    "com.microsoft.wdav.netext",
    "com.microsoft.wdav.tunnelext",
    NULL,
};

static const struct kc_plugin microsoft_defender = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "microsoft-defender",
    .vendor = "Microsoft Defender for Endpoint (macOS)",
    .team_id = "UBF8T346G9",
    .kext_bundle_ids = kexts,
    .install_paths = install_paths,
    .staged_paths = staged_paths,
    .reference = "microsoft/mdatp-xplat macos/mobileconfig/profiles (kext ID); "
                 "Microsoft Defender for Endpoint documentation (install and "
                 "staged path); vmware-samples/euc-samples "
                 "UEM-Samples/Apps/macOS; Installomator labels",
    .sysext_bundle_ids = sysexts,
};

KC_PLUGIN_DEFINE(microsoft_defender, microsoft_defender)
