/*
 * Cisco AnyConnect Secure Mobility Client (the kext-based versions).
 * Every value and where it is written (see docs/catalog.md):
 *   team DE8Y96K9QP: a public admin menu script's list of vendor Team IDs
 *     ("Cisco - DE8Y96K9QP", find_string id 34566175196); the system
 *     extension's team in a `systemextensionsctl` reading ("team=DE8Y96K9QP",
 *     find_string id 68613828292).
 *   kext com.cisco.kext.acsock and both install paths: Phil Walker's
 *     AnyConnect preinstall script (2020, find_string id 28771855914):
 *     "/Library/Extensions/acsock.kext" (legacyKext: AnyConnect before
 *     4.9.03047) and ".../Cisco/AnyConnect Secure Mobility Client/acsock.kext"
 *     (4.9.03047 and later).  Staged paths: /Library/StagedExtensions + the
 *     install path.
 *   system extension com.cisco.anyconnect.macos.acsockext: the same
 *     systemextensionsctl reading (find_string id 68613828292).
 * Left out: developer name, kb_url, uninstall_hint, diagnostic_command (no
 * public source).
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.cisco.kext.acsock",
    NULL,
};

static const char *const install_paths[] = {
    "/Library/Application Support/Cisco/AnyConnect Secure Mobility Client/acsock.kext",
    "/Library/Extensions/acsock.kext",
    NULL,
};

static const char *const staged_paths[] = {
    "/Library/StagedExtensions/Library/Application Support/Cisco/"
    "AnyConnect Secure Mobility Client/acsock.kext",
    "/Library/StagedExtensions/Library/Extensions/acsock.kext",
    NULL,
};

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
    .reference = "AnyConnect preinstall script by Phil Walker, 2020 (kext ID; "
                 "acsock.kext in /Library/Extensions before 4.9.03047, in "
                 "Application Support/Cisco after); public systemextensionsctl "
                 "reading (acsockext, team DE8Y96K9QP)",
    .sysext_bundle_ids = sysexts,
};

KC_PLUGIN_DEFINE(cisco_anyconnect, cisco_anyconnect)
