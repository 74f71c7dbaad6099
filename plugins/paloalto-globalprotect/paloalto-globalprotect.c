/*
 * Palo Alto Networks GlobalProtect (the kext-based versions).
 * Every value and where it is written (see docs/catalog.md):
 *   team PXPZ95SK77, developer name "Palo Alto Networks" and kext
 *     com.paloaltonetworks.kext.pangpd: the kext_policy row in
 *     MicrosoftDocs/memdocs, memdocs/intune/configuration/
 *     kernel-extensions-settings-macos.md.
 *   kexts com.paloaltonetworks.GlobalProtect.gplock and
 *     com.paloaltonetworks.GlobalProtect.gpsplit, the install paths
 *     /Library/Extensions/gplock.kext and /System/Library/Extensions/
 *     gplock.kext, and the staged copy /Library/StagedExtensions/Library/
 *     Extensions/gplock.kext: the GlobalProtect uninstall script
 *     (find_string id 41746436006; gplock and both paths also in an older
 *     one, find_string id 21081087155).  macOS never stages kexts under
 *     /System/Library/Extensions.
 *   system extension com.paloaltonetworks.GlobalProtect.client.extension,
 *     under team PXPZ95SK77: the same script's `systemextensionsctl
 *     uninstall PXPZ95SK77 com.paloaltonetworks.GlobalProtect.client.extension`.
 * Left out: the install paths of pangpd and gpsplit (no source names
 * them); kb_url, uninstall_hint, diagnostic_command (no public source).
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.paloaltonetworks.kext.pangpd",
    "com.paloaltonetworks.GlobalProtect.gplock",
    "com.paloaltonetworks.GlobalProtect.gpsplit",
    NULL,
};

static const char *const install_paths[] = {
    "/Library/Extensions/gplock.kext",
    "/System/Library/Extensions/gplock.kext",
    NULL,
};

static const char *const staged_paths[] = {
    "/Library/StagedExtensions/Library/Extensions/gplock.kext",
    NULL,
};

static const char *const sysexts[] = {
    "com.paloaltonetworks.GlobalProtect.client.extension",
    NULL,
};

static const struct kc_plugin paloalto_globalprotect = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "paloalto-globalprotect",
    .vendor = "Palo Alto Networks GlobalProtect",
    .team_id = "PXPZ95SK77",
    .developer_name = "Palo Alto Networks",
    .kext_bundle_ids = kexts,
    .install_paths = install_paths,
    .staged_paths = staged_paths,
    .reference = "MicrosoftDocs/memdocs kernel-extensions-settings-macos.md "
                 "(team, developer name, pangpd kext); GlobalProtect uninstall "
                 "scripts (gplock and gpsplit kexts, gplock.kext paths, "
                 "system extension)",
    .sysext_bundle_ids = sysexts,
};

KC_PLUGIN_DEFINE(paloalto_globalprotect, paloalto_globalprotect)
