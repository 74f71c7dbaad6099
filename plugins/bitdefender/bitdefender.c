/*
 * Bitdefender Antivirus for Mac / Bitdefender Endpoint Security Tools
 * (the kext-based versions).
 * Every value and where it is written (see docs/catalog.md):
 *   team GUNFMW623Y: kandji-inc/support bitdefender_with_kext_settings
 *     .mobileconfig (AllowedTeamIdentifiers); also a public GravityZone
 *     package builder's README (find_string id 2024613604).
 *   the five kext IDs: that README's "Kernel Extensions" list under Team ID
 *     GUNFMW623Y (find_string id 2024613604).  The Kandji profile, credited
 *     before, approves the team only and names no kext.
 *   install folder /Library/Bitdefender/AVP: the product's folder in public
 *     admin scripts (a codesign check of /Library/Bitdefender/AVP/BDLDaemon
 *     for GUNFMW623Y, find_string id 2471331743; its UninstallTool,
 *     find_string id 21442031647).  No source lists the kext files in it:
 *     kextcheck searches the folder for .kext bundles.  Staged path:
 *     /Library/StagedExtensions + the folder.
 *   system extension com.bitdefender.cst.net.dci.dci-network-extension:
 *     the Kandji profile's AllowedSystemExtensions for GUNFMW623Y.
 *   uninstall_hint: the uninstall script that passes the uninstall password
 *     to /Library/Bitdefender/AVP/product/bin/UninstallTool --password=
 *     (find_string id 21442031647).
 * Left out: developer name, kb_url, diagnostic_command (no public source).
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.bitdefender.FileProtect",
    "com.bitdefender.atc",
    "com.bitdefender.ExecAuth",
    "com.bitdefender.SelfProtect",
    "com.bitdefender.TMProtection",
    NULL,
};

static const char *const install_paths[] = {
    "/Library/Bitdefender/AVP",
    NULL,
};

static const char *const staged_paths[] = {
    "/Library/StagedExtensions/Library/Bitdefender/AVP",
    NULL,
};

static const char *const sysexts[] = {
    "com.bitdefender.cst.net.dci.dci-network-extension",
    NULL,
};

static const struct kc_plugin bitdefender = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "bitdefender",
    .vendor = "Bitdefender Antivirus for Mac / Endpoint Security Tools",
    .team_id = "GUNFMW623Y",
    .kext_bundle_ids = kexts,
    .install_paths = install_paths,
    .staged_paths = staged_paths,
    .reference = "kandji-inc/support bitdefender_with_kext_settings.mobileconfig "
                 "(team, system extension); a public GravityZone package "
                 "builder's README (the five kext IDs); public admin scripts "
                 "(the /Library/Bitdefender/AVP product folder, UninstallTool)",
    .sysext_bundle_ids = sysexts,
    .uninstall_hint = "If an uninstall password is set, the uninstaller needs "
                      "it: sudo /Library/Bitdefender/AVP/product/"
                      "bin/UninstallTool --password=PASSWORD",
};

KC_PLUGIN_DEFINE(bitdefender, bitdefender)
