/* A frozen copy of plugins/vmware-fusion/vmware-fusion.c for the engine's golden cases
 * (tests/cases): the catalog's data may change without touching them. */
/*
 * VMware Fusion (host kexts) and VMware Tools in a macOS guest (VMwareGfx).
 * Data (reference/vendors.md, VMware Fusion row):
 *   team ID EG7KH642X6 and developer name "VMware, Inc.": the real
 *   kext_policy dump shown in ChiChou's talk;
 *   kexts vmx86, vmnet, vmci, vsockets and the guest-only VMwareGfx, and
 *   the install paths: Installomator labels and the bacongravy/macinbox
 *   KextPolicy dump, as summarised in vendors.md (the trailing slash of the
 *   kexts folder dropped); staged paths follow the rule
 *   "/Library/StagedExtensions" + original path.
 * Nothing left out: Fusion has no system extension.
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.vmware.kext.vmx86",
    "com.vmware.kext.vmnet",
    "com.vmware.kext.vmci",
    "com.vmware.kext.vsockets",
    "com.vmware.kext.VMwareGfx",
    NULL,
};

static const char *const install_paths[] = {
    "/Applications/VMware Fusion.app/Contents/Library/kexts",
    "/Library/Extensions/VMwareGfx.kext",
    NULL,
};

static const char *const staged_paths[] = {
    "/Library/StagedExtensions/Applications/VMware Fusion.app/Contents/Library/kexts",
    "/Library/StagedExtensions/Library/Extensions/VMwareGfx.kext",
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
    .reference = "kext_policy dump shown in ChiChou's talk (team, developer "
                 "name); Installomator labels; bacongravy/macinbox "
                 "KextPolicy dump (kexts, install paths)",
};

KC_PLUGIN_DEFINE(vmware_fusion, vmware_fusion)
