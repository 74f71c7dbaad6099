/*
 * McAfee Endpoint Security for Mac (the kext-based versions).
 * Every value and where it is written (see docs/catalog.md):
 *   team GT8P3H7SPW: knight.sc, "Virus scanning on macOS" (2018): McAfee's
 *     VShieldScanManager "is signed ... for Team ID: GT8P3H7SPW".
 *   The five kexts the installer places and their paths: the same post's
 *     `find /Library/Application Support/McAfee -name *.kext` (AVKext,
 *     SFKext, FileCore, mfeaac, FMPSysCore), also unloaded by path in a
 *     public McAfee/Trellix removal script (find_string id 17152157357).
 *   Bundle IDs com.McAfee.AVKext and com.intelsecurity.FileCore: the post's
 *     Info.plist excerpts; com.McAfee.FMPSysCore, com.McAfee.AVKext and
 *     com.McAfee.FileCore (the FileCore kext of other versions): a public
 *     McAfee removal script's MCAFEE_KEXTS (find_string id 9469142470).
 *   The older /usr/local/McAfee/{AntiMalware,StatefulFirewall,fmp}/Extensions
 *     folders: the removal script above (kextunload of AVKext, SFKext,
 *     FileCore and FMPSysCore there).
 *   Staged paths: /Library/StagedExtensions + each install path.
 * Left out: the bundle IDs of SFKext.kext and mfeaac.kext (no source gives
 * them; their bundles are still found under the paths), the system
 * extension com.mcafee.CMF.networkextension (its team after the Trellix
 * rebrand is not known), developer name, kb_url, uninstall_hint,
 * diagnostic_command.
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.McAfee.AVKext",
    "com.intelsecurity.FileCore",
    "com.McAfee.FileCore",
    "com.McAfee.FMPSysCore",
    NULL,
};

static const char *const install_paths[] = {
    "/Library/Application Support/McAfee/AntiMalware/AVKext.kext",
    "/Library/Application Support/McAfee/StatefulFirewall/SFKext.kext",
    "/Library/Application Support/McAfee/FMP/FileCore.kext",
    "/Library/Application Support/McAfee/FMP/mfeaac.kext",
    "/Library/Application Support/McAfee/FMP/FMPSysCore.kext",
    "/usr/local/McAfee/AntiMalware/Extensions",
    "/usr/local/McAfee/StatefulFirewall/Extensions",
    "/usr/local/McAfee/fmp/Extensions",
    NULL,
};

static const char *const staged_paths[] = {
    "/Library/StagedExtensions/Library/Application Support/McAfee/AntiMalware/AVKext.kext",
    "/Library/StagedExtensions/Library/Application Support/McAfee/StatefulFirewall/SFKext.kext",
    "/Library/StagedExtensions/Library/Application Support/McAfee/FMP/FileCore.kext",
    "/Library/StagedExtensions/Library/Application Support/McAfee/FMP/mfeaac.kext",
    "/Library/StagedExtensions/Library/Application Support/McAfee/FMP/FMPSysCore.kext",
    "/Library/StagedExtensions/usr/local/McAfee/AntiMalware/Extensions",
    "/Library/StagedExtensions/usr/local/McAfee/StatefulFirewall/Extensions",
    "/Library/StagedExtensions/usr/local/McAfee/fmp/Extensions",
    NULL,
};

static const struct kc_plugin mcafee = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "mcafee",
    .vendor = "McAfee Endpoint Security for Mac",
    .team_id = "GT8P3H7SPW",
    .kext_bundle_ids = kexts,
    .install_paths = install_paths,
    .staged_paths = staged_paths,
    .reference = "knight.sc \"Virus scanning on macOS\" (2018): team, the five "
                 "kext paths, AVKext and FileCore IDs; public McAfee removal "
                 "scripts (FMPSysCore and com.McAfee.FileCore IDs, the "
                 "/usr/local/McAfee kext folders)",
};

KC_PLUGIN_DEFINE(mcafee, mcafee)
