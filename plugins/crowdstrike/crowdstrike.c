/*
 * CrowdStrike Falcon sensor (the kext-based versions).
 * Data (reference/vendors.md, CrowdStrike row):
 *   team ID X9E956P446: vendors.md (sources: Kandji profiles, VMware
 *   euc-samples, MLBZ521/MacAdmin, uber/client-platform-engineering);
 *   kexts com.crowdstrike.sensor and com.crowdstrike.platform (sensors
 *   before 4.23): MLBZ521/MacAdmin jamf_ea_CrowdStrikeStatus.sh;
 *   install paths: Falcon.app/Contents/Extensions/Agent.kext (sensor 6) from
 *   uber/client-platform-engineering, /Library/CS/kexts/Agent.kext
 *   (sensors 4 and 5) from vendors.md; staged paths follow the rule
 *   "/Library/StagedExtensions" + original path.
 * Left out: developer name (unverified); the system extension
 * (not part of ABI 1.0).
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.crowdstrike.sensor",
    "com.crowdstrike.platform",
    NULL,
};

static const char *const install_paths[] = {
    "/Applications/Falcon.app/Contents/Extensions/Agent.kext",
    "/Library/CS/kexts/Agent.kext",
    NULL,
};

static const char *const staged_paths[] = {
    "/Library/StagedExtensions/Applications/Falcon.app/Contents/Extensions/Agent.kext",
    "/Library/StagedExtensions/Library/CS/kexts/Agent.kext",
    NULL,
};

/* System extensions (ABI 1.1), source: kandji-inc/support and vmware-samples/euc-samples. */
static const char *const sysexts[] = {
    "com.crowdstrike.falcon.Agent",
    NULL,
};

static const struct kc_plugin crowdstrike = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "crowdstrike",
    .vendor = "CrowdStrike Falcon",
    .team_id = "X9E956P446",
    .kext_bundle_ids = kexts,
    .install_paths = install_paths,
    .staged_paths = staged_paths,
    .reference = "MLBZ521/MacAdmin jamf_ea_CrowdStrikeStatus.sh (kext IDs); "
                 "uber/client-platform-engineering (Falcon.app kext path); "
                 "kandji-inc/support custom-apps and kext profiles; "
                 "vmware-samples/euc-samples UEM-Samples/Apps/macOS",
    .sysext_bundle_ids = sysexts,
};

KC_PLUGIN_DEFINE(crowdstrike, crowdstrike)
