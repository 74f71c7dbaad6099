/*
 * VMware Carbon Black Cloud sensor (the kext-based versions).
 * Data (reference/vendors.md, Carbon Black row):
 *   team ID 7AGZNQ2S2T and kext com.carbonblack.defense.kext:
 *   vmware-samples/euc-samples UEM-Samples/Apps/macOS;
 *   install folder: the VMware Carbon Black Cloud installer script; staged
 *   path follows the rule "/Library/StagedExtensions" + original path.
 * Left out: developer name (unverified); the system extension (not part
 * of ABI 1.0).
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.carbonblack.defense.kext",
    NULL,
};

static const char *const install_paths[] = {
    "/Library/Application Support/com.vmware.carbonblack.cloud",
    NULL,
};

static const char *const staged_paths[] = {
    "/Library/StagedExtensions/Library/Application Support/com.vmware.carbonblack.cloud",
    NULL,
};

/* System extensions (ABI 1.1), source: VMware Carbon Black Cloud installer script. */
static const char *const sysexts[] = {
    "com.vmware.carbonblack.cloud.se-agent.extension",
    NULL,
};

static const struct kc_plugin carbonblack = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "carbonblack",
    .vendor = "VMware Carbon Black Cloud",
    .team_id = "7AGZNQ2S2T",
    .kext_bundle_ids = kexts,
    .install_paths = install_paths,
    .staged_paths = staged_paths,
    .reference = "vmware-samples/euc-samples UEM-Samples/Apps/macOS (kext ID); "
                 "VMware Carbon Black Cloud installer script (install folder)",
    .sysext_bundle_ids = sysexts,
};

KC_PLUGIN_DEFINE(carbonblack, carbonblack)
