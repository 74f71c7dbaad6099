/*
 * Oracle VirtualBox (host kexts).
 * Every value and where it is written (see docs/catalog.md):
 *   team VB5E2TV963, developer name "Oracle America, Inc." and
 *     org.virtualbox.kext.VBoxDrv: the kext_policy rows shown in ChiChou's
 *     HITB 2019 talk (find_string id 43897573809; tests/realworld
 *     db/chichou_hitb2019_kext_policy.psv); the team also in Installomator's
 *     virtualbox label (expectedTeamID).
 *   the four kext IDs: kandji-inc/support "Kext Profiles/VirtualBox
 *     .mobileconfig" (AllowedKernelExtensions for VB5E2TV963).
 *   install folder /Library/Application Support/VirtualBox: a public note
 *     listing VBoxDrv, VBoxUSB, VBoxNetFlt and VBoxNetAdp .kext there
 *     (find_string id 3966283593).  Staged path: /Library/StagedExtensions
 *     + the folder.
 * VirtualBox has no system extension.
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
    .reference = "kext_policy rows shown in ChiChou's HITB 2019 talk (team, "
                 "developer name); kandji-inc/support VirtualBox kext profile "
                 "(kext IDs); a public kext listing (install folder)",
};

KC_PLUGIN_DEFINE(virtualbox, virtualbox)
