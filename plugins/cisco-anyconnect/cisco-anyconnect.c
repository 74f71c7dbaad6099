/*
 * Cisco AnyConnect Secure Mobility Client (the kext-based versions).
 * Data (reference/vendors.md, Cisco AnyConnect row):
 *   team ID DE8Y96K9QP, kext com.cisco.kext.acsock and its install path:
 *   uber/client-platform-engineering, as summarised in vendors.md (the
 *   staged copy of acsock.kext is also listed among the real staged paths
 *   in macos-kext-facts.md); staged path follows the rule
 *   "/Library/StagedExtensions" + original path.
 * Left out: developer name (unverified); the system extension (not part
 * of ABI 1.0).
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.cisco.kext.acsock",
    NULL,
};

static const char *const install_paths[] = {
    "/Library/Application Support/Cisco/AnyConnect Secure Mobility Client/acsock.kext",
    NULL,
};

static const char *const staged_paths[] = {
    "/Library/StagedExtensions/Library/Application Support/Cisco/"
    "AnyConnect Secure Mobility Client/acsock.kext",
    NULL,
};

/* System extensions (ABI 1.1), source: uber/client-platform-engineering. */
static const char *const sysexts[] = {
    "com.cisco.anyconnect.macos.acsockext",
    NULL,
};

static const struct kc_plugin cisco_anyconnect = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "cisco-anyconnect",
    .vendor = "Cisco AnyConnect Secure Mobility Client",
    .team_id = "DE8Y96K9QP",
    .kext_bundle_ids = kexts,
    .install_paths = install_paths,
    .staged_paths = staged_paths,
    .reference = "uber/client-platform-engineering (AnyConnect acsock kext)",
    .sysext_bundle_ids = sysexts,
};

KC_PLUGIN_DEFINE(cisco_anyconnect, cisco_anyconnect)
