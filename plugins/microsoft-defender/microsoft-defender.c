/*
 * Microsoft Defender for Endpoint on macOS (kext-based versions, and the
 * system extensions of the current ones).
 * Every value and where it is written (see docs/catalog.md):
 *   team UBF8T346G9: microsoft/mdatp-xplat macos/mobileconfig/profiles/
 *     kext.mobileconfig (AllowedTeamIdentifiers); also Installomator's
 *     microsoftdefender label (expectedTeamID).
 *   kext com.microsoft.wdavkext, its path /Library/Extensions/wdavkext.kext
 *     and staged copy /Library/StagedExtensions/Library/Extensions/
 *     wdavkext.kext: the kextutil output in Microsoft's "Troubleshoot kernel
 *     extension issues in Microsoft Defender for Endpoint on macOS"
 *     (MicrosoftDocs/microsoft-365-docs, microsoft-365/security/
 *     defender-endpoint/mac-support-kext.md).  The kext.mobileconfig
 *     credited before approves the team only.
 *   system extensions com.microsoft.wdav.epsext, netext and tunnelext:
 *     microsoft/mdatp-xplat macos/mobileconfig/combined/mdatp.mobileconfig
 *     @970f652a (AllowedSystemExtensions for UBF8T346G9).
 *   kb_url: that troubleshooting article, at the address Microsoft's own
 *     Intune deployment doc links it with (find_string id 42775349874).
 *   diagnostic_command "mdatp health": the same article (real-time
 *     protection "enabled but not available" means the kext is not
 *     approved).
 *   uninstall_hint: "Protect macOS security settings with tamper
 *     protection" (microsoft-365/security/defender-endpoint/
 *     tamperprotection-macos.md): in block mode uninstalling is blocked;
 *     `mdatp config tamper-protection enforcement-level` or the MDM
 *     profile's tamperProtection enforcementLevel turns it off.
 * Left out: developer name (the approval prompt names "Microsoft
 * Corporation", but no kext_policy row has been seen).
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.microsoft.wdavkext",
    NULL,
};

static const char *const install_paths[] = {
    "/Library/Extensions/wdavkext.kext",
    NULL,
};

static const char *const staged_paths[] = {
    "/Library/StagedExtensions/Library/Extensions/wdavkext.kext",
    NULL,
};

static const char *const sysexts[] = {
    "com.microsoft.wdav.epsext",
    "com.microsoft.wdav.netext",
    "com.microsoft.wdav.tunnelext",
    NULL,
};

static const struct kc_plugin microsoft_defender = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "microsoft-defender",
    .vendor = "Microsoft Defender for Endpoint (macOS)",
    .team_id = "UBF8T346G9",
    .kext_bundle_ids = kexts,
    .install_paths = install_paths,
    .staged_paths = staged_paths,
    .reference = "Microsoft, \"Troubleshoot kernel extension issues in Microsoft "
                 "Defender for Endpoint on macOS\" (kext ID, install and staged "
                 "path, mdatp health); microsoft/mdatp-xplat mobileconfig "
                 "profiles (team, system extensions); Microsoft, \"Protect "
                 "macOS security settings with tamper protection\"",
    .sysext_bundle_ids = sysexts,
    .kb_url = "https://docs.microsoft.com/windows/security/threat-protection/"
              "microsoft-defender-atp/mac-support-kext",
    .uninstall_hint = "With tamper protection in block mode the uninstall is blocked: "
                      "set it to disabled first (sudo mdatp config tamper-protection "
                      "enforcement-level --value disabled, or tamperProtection "
                      "enforcementLevel in the MDM profile)",
    .diagnostic_command = "mdatp health",
};

KC_PLUGIN_DEFINE(microsoft_defender, microsoft_defender)
