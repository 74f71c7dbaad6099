/*
 * Oracle VirtualBox (host kexts).
 * Data (reference/vendors.md, VirtualBox row):
 *   team ID VB5E2TV963 and developer name "Oracle America, Inc.": the real
 *   kext_policy dump shown in ChiChou's talk;
 *   kexts VBoxDrv, VBoxUSB, VBoxNetFlt, VBoxNetAdp and the install folder:
 *   Kandji profiles and Installomator labels, as summarised in vendors.md
 *   (trailing slash dropped; the staged VBoxDrv.kext under this folder is
 *   also listed among the real staged paths in macos-kext-facts.md); staged
 *   path follows the rule "/Library/StagedExtensions" + original path.
 * Nothing left out: VirtualBox has no system extension.
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "org.virtualbox.kext.VBoxDrv",
    "org.virtualbox.kext.VBoxUSB",
    "org.virtualbox.kext.VBoxNetFlt",
    "org.virtualbox.kext.VBoxNetAdp",
    NULL,
};

static const char *const install_paths[] = {
    "/Library/Application Support/VirtualBox",
    NULL,
};

static const char *const staged_paths[] = {
    "/Library/StagedExtensions/Library/Application Support/VirtualBox",
    NULL,
};

static const struct kc_plugin virtualbox = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "virtualbox",
    .vendor = "Oracle VirtualBox",
    .team_id = "VB5E2TV963",
    .developer_name = "Oracle America, Inc.",
    .kext_bundle_ids = kexts,
    .install_paths = install_paths,
    .staged_paths = staged_paths,
    .reference = "kext_policy dump shown in ChiChou's talk (team, developer "
                 "name); kandji-inc/support custom-apps and kext profiles; "
                 "Installomator labels",
};

KC_PLUGIN_DEFINE(virtualbox, virtualbox)
