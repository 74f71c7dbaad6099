/*
 * Parallels Desktop (the kext-based versions).
 * Data (reference/vendors.md, Parallels row):
 *   team ID 4C6364ACXT and kexts hypervisor, netbridge, vnic, usbconnect:
 *   Installomator labels.
 * Left out: developer name and install paths (both unverified, so there
 * are no staged paths either).  No system extension is listed.
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.parallels.kext.hypervisor",
    "com.parallels.kext.netbridge",
    "com.parallels.kext.vnic",
    "com.parallels.kext.usbconnect",
    NULL,
};

static const struct kc_plugin parallels = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "parallels",
    .vendor = "Parallels Desktop",
    .team_id = "4C6364ACXT",
    .kext_bundle_ids = kexts,
    .reference = "Installomator labels (team ID and kext IDs)",
};

KC_PLUGIN_DEFINE(parallels, parallels)
