/*
 * Symantec Endpoint Protection for Mac (kext-based versions, and the system
 * extension of the current ones).
 * Every value and where it is written (see docs/catalog.md):
 *   team 9PTGMPNXZ2, developer name "Symantec" and the four kext IDs: the
 *     kext_policy rows shown in ChiChou's HITB 2019 talk (find_string id
 *     43897573809; tests/realworld db/chichou_hitb2019_kext_policy.psv).
 *   install paths: Broadcom's RemoveSymantecMacFiles.command, which removes
 *     the seven kexts in /Library/Extensions (find_string ids 9799238764,
 *     9205566754; SymIPS, SymInternetSecurity and SymXIPS also in
 *     find_string id 33783377146).  Some have no bundle ID known here.
 *     Staged paths: /Library/StagedExtensions + each install path.
 *   system extension com.symantec.mes.systemextension under 9PTGMPNXZ2:
 *     `systemextensionsctl uninstall 9PTGMPNXZ2 com.symantec.mes.systemextension`
 *     in public removal notes (find_string id 7848863498).
 *   kb_url: Broadcom, "Pre-approving the macOS permissions required by
 *     Endpoint Protection / Endpoint Security" (article 176222: kernel and
 *     system extensions to approve).
 * Left out: com.broadcom.mes.systemextension, the later Broadcom build's
 * system extension (seen by name only; its team is not known, and a plugin
 * matches its system extensions on one team); uninstall_hint,
 * diagnostic_command.
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.symantec.kext.SymAPComm",
    "com.symantec.kext.ndcengine",
    "com.symantec.kext.internetSecurity",
    "com.symantec.kext.ips",
    NULL,
};

static const char *const install_paths[] = {
    "/Library/Extensions/SymAPComm.kext",
    "/Library/Extensions/ndcengine.kext",
    "/Library/Extensions/SymInternetSecurity.kext",
    "/Library/Extensions/SymIPS.kext",
    "/Library/Extensions/SymXIPS.kext",
    "/Library/Extensions/SymFirewall.kext",
    "/Library/Extensions/FileSecurity.kext",
    NULL,
};

static const char *const staged_paths[] = {
    "/Library/StagedExtensions/Library/Extensions/SymAPComm.kext",
    "/Library/StagedExtensions/Library/Extensions/ndcengine.kext",
    "/Library/StagedExtensions/Library/Extensions/SymInternetSecurity.kext",
    "/Library/StagedExtensions/Library/Extensions/SymIPS.kext",
    "/Library/StagedExtensions/Library/Extensions/SymXIPS.kext",
    "/Library/StagedExtensions/Library/Extensions/SymFirewall.kext",
    "/Library/StagedExtensions/Library/Extensions/FileSecurity.kext",
    NULL,
};

static const char *const sysexts[] = {
    "com.symantec.mes.systemextension",
    NULL,
};

static const struct kc_plugin symantec = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "symantec",
    .vendor = "Symantec Endpoint Protection",
    .team_id = "9PTGMPNXZ2",
    .developer_name = "Symantec",
    .kext_bundle_ids = kexts,
    .install_paths = install_paths,
    .staged_paths = staged_paths,
    .reference = "kext_policy rows shown in ChiChou's HITB 2019 talk (team, "
                 "developer name, kext IDs); Broadcom RemoveSymantecMacFiles.command "
                 "(install paths); public removal notes (system extension); "
                 "Broadcom article 176222",
    .sysext_bundle_ids = sysexts,
    .kb_url = "https://knowledge.broadcom.com/external/article/176222/"
              "preapproving-the-macos-permissions-requi.html",
};

KC_PLUGIN_DEFINE(symantec, symantec)
