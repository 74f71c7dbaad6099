/*
 * VMware Carbon Black Cloud sensor (kext-based versions, and the system
 * extension of the current ones).
 * Every value and where it is written (see docs/catalog.md):
 *   team 7AGZNQ2S2T and kext com.carbonblack.defense.kext: VMware's
 *     unattended install script for the sensor (KEXT_TEAM_ID_31,
 *     KEXT_BUNDLE_ID_31; find_string id 34749057499) and
 *     vmware-samples/euc-samples UEM-Samples/Apps/macOS (find_string id
 *     41998645057).
 *   install folder /Library/Application Support/com.vmware.carbonblack.cloud:
 *     the same install script's CBC_APP_INSTALL_PREFIX.  No source lists the
 *     kext file in it: kextcheck searches the folder for .kext bundles.
 *     Staged path: /Library/StagedExtensions + the folder.
 *   system extension com.vmware.carbonblack.cloud.se-agent.extension:
 *     Zscaler's posture documentation, which names /Library/SystemExtensions/
 *     <UUID>/com.vmware.carbonblack.cloud.se-agent.extension.systemextension
 *     (find_string ids 55755344183, 7886430089).  No source shows its team:
 *     it is matched on 7AGZNQ2S2T (docs/catalog.md).
 *   kb_url: VMware's sensor installation guide page on KEXT approval
 *     (docs.vmware.com).
 * Left out: developer name, uninstall_hint, diagnostic_command.
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.carbonblack.defense.kext",
    NULL,
};

static const char *const install_paths[] = {
    "/Library/Application Support/com.vmware.carbonblack.cloud",
    NULL,
};

static const char *const staged_paths[] = {
    "/Library/StagedExtensions/Library/Application Support/com.vmware.carbonblack.cloud",
    NULL,
};

static const char *const sysexts[] = {
    "com.vmware.carbonblack.cloud.se-agent.extension",
    NULL,
};

static const struct kc_plugin carbonblack = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "carbonblack",
    .vendor = "VMware Carbon Black Cloud",
    .team_id = "7AGZNQ2S2T",
    .kext_bundle_ids = kexts,
    .install_paths = install_paths,
    .staged_paths = staged_paths,
    .reference = "VMware Carbon Black Cloud unattended install script (team, kext "
                 "ID, install folder); vmware-samples/euc-samples "
                 "UEM-Samples/Apps/macOS; Zscaler posture docs (system extension)",
    .sysext_bundle_ids = sysexts,
    .kb_url = "https://docs.vmware.com/en/VMware-Carbon-Black-Cloud-on-AWS-GovCloud-(US)/"
              "services/cb-cloud-on-govcloud-sensor-installation-guide/"
              "GUID-50A83AD4-3D85-415A-9C4D-DD3FFA6D637E.html",
};

KC_PLUGIN_DEFINE(carbonblack, carbonblack)
