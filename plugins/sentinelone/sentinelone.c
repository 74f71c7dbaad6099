/*
 * SentinelOne agent for macOS (kext-based versions, and the system
 * extension of the current ones).
 * Every value and where it is written (see docs/catalog.md):
 *   team 4AYE5J54KN and kext com.sentinelone.sentinel-kext:
 *     vmware-samples/euc-samples UEM-Samples/Apps/macOS SentinelOne
 *     ("Team ID: 4AYE5J54KN, Bundle ID: com.sentinelone.sentinel-kext",
 *     find_string id 29935510816).
 *   system extension com.sentinelone.network-monitoring:
 *     kandji-inc/support Sentinel-One-Combined-Profile.mobileconfig (its
 *     content filter's FilterDataProviderBundleIdentifier; the profile
 *     allows team 4AYE5J54KN's system extensions).
 *   diagnostic_command `sudo sentinelctl status`: a public runbook for an
 *     offline macOS agent (find_string id 5304814260).
 *   uninstall_hint: `sudo sentinelctl uninstall --passphrase "<passphrase>"`
 *     with the passphrase from the console's Show Passphrase (find_string
 *     id 18031825553).
 * Left out: developer name and install paths (no source gives them, so
 * there are no staged paths either); kb_url (SentinelOne's articles need a
 * login).
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.sentinelone.sentinel-kext",
    NULL,
};

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
    .reference = "vmware-samples/euc-samples UEM-Samples/Apps/macOS (team, kext ID); "
                 "kandji-inc/support Sentinel-One-Combined-Profile (system "
                 "extension); public sentinelctl runbooks (status, uninstall)",
    .sysext_bundle_ids = sysexts,
    .uninstall_hint = "Removal needs the agent's passphrase (Show Passphrase in the "
                      "SentinelOne console): sudo sentinelctl uninstall --passphrase "
                      "\"PASSPHRASE\"",
    .diagnostic_command = "sudo sentinelctl status",
};

KC_PLUGIN_DEFINE(sentinelone, sentinelone)
