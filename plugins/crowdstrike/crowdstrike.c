/*
 * CrowdStrike Falcon sensor (kext-based versions, and the system extension
 * of the current ones).
 * Every value and where it is written (see docs/catalog.md):
 *   team X9E956P446 and kexts com.crowdstrike.sensor and
 *     com.crowdstrike.platform (sensors before 4.23): MLBZ521/MacAdmin
 *     jamf_ea_CrowdStrikeStatus.sh (find_string id 37230651833), which
 *     queries kext_policy for both under X9E956P446.
 *   /Applications/Falcon.app/Contents/Extensions/Agent.kext (sensor 6): a
 *     public Chef cookbook for the Falcon sensor (find_string id
 *     1735938384); /Library/CS/kexts/Agent.kext (sensors 4 and 5): public
 *     admin tooling that loads or unloads it (find_string ids 2407013554,
 *     37201957435).  Staged paths: /Library/StagedExtensions + each path.
 *   system extension com.crowdstrike.falcon.Agent: the AllowedSystemExtensions
 *     of kandji-inc/support crowdstrike_settings_with_kext_macOS15
 *     .mobileconfig and vmware-samples/euc-samples "Falcon Profile
 *     .mobileconfig", both under X9E956P446.
 *   diagnostic_command: `sudo /Applications/Falcon.app/Contents/Resources/
 *     falconctl stats` in public admin notes (find_string ids 16171338068,
 *     44663042304).
 *   uninstall_hint: "With uninstall and maintenance protection: sudo
 *     .../falconctl uninstall --maintenance-token" (find_string ids
 *     62407353584, 20906185918); the token is revealed per host in the
 *     console's host management (find_string id 44663042304).
 * Left out: developer name; kb_url (CrowdStrike's articles need a login).
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
    .reference = "MLBZ521/MacAdmin jamf_ea_CrowdStrikeStatus.sh (team, kext IDs); "
                 "public Falcon admin scripts and a Chef cookbook (Agent.kext "
                 "paths, falconctl); kandji-inc/support and vmware-samples/"
                 "euc-samples profiles (system extension)",
    .sysext_bundle_ids = sysexts,
    .uninstall_hint = "With uninstall and maintenance protection on, removal needs the "
                      "host's maintenance token from the Falcon console: sudo "
                      "/Applications/Falcon.app/Contents/Resources/falconctl uninstall "
                      "--maintenance-token",
    .diagnostic_command = "sudo /Applications/Falcon.app/Contents/Resources/falconctl stats",
};

KC_PLUGIN_DEFINE(crowdstrike, crowdstrike)
