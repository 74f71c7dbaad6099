/*
 * SentinelOne agent for macOS (the kext-based versions).
 * Data (reference/vendors.md, SentinelOne row):
 *   team ID 4AYE5J54KN and kext com.sentinelone.sentinel-kext:
 *   vmware-samples/euc-samples UEM-Samples/Apps/macOS (Kandji profiles are
 *   the row's other source).
 * Left out: developer name and install paths (both unverified, so there are
 * no staged paths either); the system extension (not part of ABI 1.0).
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.sentinelone.sentinel-kext",
    NULL,
};

/* System extensions (ABI 1.1), source: kandji-inc/support. */
static const char *const sysexts[] = {
    "com.sentinelone.network-monitoring",
    NULL,
};

static const struct kc_plugin sentinelone = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "sentinelone",
    .vendor = "SentinelOne",
    .team_id = "4AYE5J54KN",
    .kext_bundle_ids = kexts,
    .reference = "vmware-samples/euc-samples UEM-Samples/Apps/macOS (kext ID); "
                 "kandji-inc/support custom-apps and kext profiles",
    .sysext_bundle_ids = sysexts,
};

KC_PLUGIN_DEFINE(sentinelone, sentinelone)
