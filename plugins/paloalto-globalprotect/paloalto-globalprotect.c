/*
 * Palo Alto Networks GlobalProtect (the kext-based versions).
 * Data (reference/vendors.md, Palo Alto row):
 *   team ID PXPZ95SK77, developer name "Palo Alto Networks" and kext
 *   com.paloaltonetworks.kext.pangpd: MicrosoftDocs/memdocs
 *   kernel-extensions-settings-macos.md; kext
 *   com.paloaltonetworks.GlobalProtect.gplock: vendors.md (same row).
 * Left out: install paths (unverified, so there are no staged paths
 * either); the system extension (not part of ABI 1.0).
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.paloaltonetworks.kext.pangpd",
    "com.paloaltonetworks.GlobalProtect.gplock",
    NULL,
};

/* System extensions (ABI 1.1), source: vendors.md (no second source). */
static const char *const sysexts[] = {
    "com.paloaltonetworks.GlobalProtect.client.extension",
    NULL,
};

static const struct kc_plugin paloalto_globalprotect = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "paloalto-globalprotect",
    .vendor = "Palo Alto Networks GlobalProtect",
    .team_id = "PXPZ95SK77",
    .developer_name = "Palo Alto Networks",
    .kext_bundle_ids = kexts,
    .reference = "MicrosoftDocs/memdocs kernel-extensions-settings-macos.md "
                 "(team, developer name, pangpd kext)",
    .sysext_bundle_ids = sysexts,
};

KC_PLUGIN_DEFINE(paloalto_globalprotect, paloalto_globalprotect)
