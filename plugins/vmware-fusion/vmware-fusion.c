/*
 * VMware Fusion (host kexts) and VMware Tools in a macOS guest.
 * Every value and where it is written (see docs/catalog.md):
 *   team EG7KH642X6 and developer name "VMware, Inc.": the KextPolicy rows
 *     bacongravy/macinbox writes into a guest (lib/macinbox/actions/
 *     create_vmdk_from_image.rb); the team also in Installomator's
 *     vmwarefusion label (expectedTeamID).
 *   kexts com.vmware.kext.vmx86, vmnet, vmci and vsockets (Fusion on the
 *     host): a Volatility mac_lsmod listing of a Mac running Fusion
 *     (find_string id 473691478); vmx86 is vmmon.kext in
 *     /Applications/VMware Fusion.app/Contents/Library/kexts (find_string
 *     id 3274399505), the install folder.
 *   kexts com.vmware.kext.VMwareGfx, com.vmware.kext.vmhgfs and
 *     com.vmware.kext.vmmemctl (VMware Tools in a macOS guest): macinbox's
 *     kext_policy rows; /Library/Extensions/VMwareGfx.kext and
 *     /Library/Application Support/VMware Tools (vmhgfs.kext in it): its
 *     kext_load_history_v3 rows.  No source gives vmmemctl's own path; it is
 *     looked for in the VMware Tools folder.
 *   Staged paths: /Library/StagedExtensions + each install path.
 * Fusion has no system extension.
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.vmware.kext.vmx86",
    "com.vmware.kext.vmnet",
    "com.vmware.kext.vmci",
    "com.vmware.kext.vsockets",
    "com.vmware.kext.VMwareGfx",
    "com.vmware.kext.vmhgfs",
    "com.vmware.kext.vmmemctl",
    NULL,
};

static const char *const install_paths[] = {
    "/Applications/VMware Fusion.app/Contents/Library/kexts",
    "/Library/Extensions/VMwareGfx.kext",
    "/Library/Application Support/VMware Tools",
    NULL,
};

static const char *const staged_paths[] = {
    "/Library/StagedExtensions/Applications/VMware Fusion.app/Contents/Library/kexts",
    "/Library/StagedExtensions/Library/Extensions/VMwareGfx.kext",
    "/Library/StagedExtensions/Library/Application Support/VMware Tools",
    NULL,
};

static const struct kc_plugin vmware_fusion = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "vmware-fusion",
    .vendor = "VMware Fusion",
    .team_id = "EG7KH642X6",
    .developer_name = "VMware, Inc.",
    .kext_bundle_ids = kexts,
    .install_paths = install_paths,
    .staged_paths = staged_paths,
    .reference = "bacongravy/macinbox KextPolicy rows (team, developer name, "
                 "VMware Tools kexts VMwareGfx, vmhgfs, vmmemctl and their "
                 "paths); Volatility mac_lsmod listing (vmx86, vmnet, vmci, "
                 "vsockets); Fusion's kexts folder from a public note on "
                 "vmmon.kext",
};

KC_PLUGIN_DEFINE(vmware_fusion, vmware_fusion)
