/*
 * Symantec Endpoint Protection for Mac (the kext-based versions).
 * Data (reference/vendors.md, Symantec row):
 *   team ID 9PTGMPNXZ2, developer name "Symantec" and the four kext IDs:
 *   the real kext_policy dump shown in ChiChou's talk;
 *   install paths: Broadcom's RemoveSymantecMacFiles.command (seven kexts in
 *   /Library/Extensions; some have no bundle ID known here); staged paths
 *   follow the rule "/Library/StagedExtensions" + original path.
 * Left out: the system extension (not part of ABI 1.0).
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

/* System extensions (ABI 1.1), source: vendors.md (no second source). */
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
    .reference = "kext_policy dump shown in ChiChou's talk (team, developer "
                 "name, kext IDs); Broadcom RemoveSymantecMacFiles.command "
                 "(install paths)",
    .sysext_bundle_ids = sysexts,
};

KC_PLUGIN_DEFINE(symantec, symantec)
