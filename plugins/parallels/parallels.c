/*
 * Parallels Desktop (the kext-based versions).
 * Every value and where it is written (see docs/catalog.md):
 *   team 4C6364ACXT: Installomator's parallelsdesktop label
 *     (expectedTeamID="4C6364ACXT").
 *   kexts com.parallels.kext.hypervisor, netbridge, vnic and usbconnect: the
 *     Homebrew cask parallels, whose uninstall stanza unloads these four
 *     (find_string id 40789803412).  Installomator, credited for them
 *     before, gives the team only.
 * Left out: developer name and install paths (no source gives them, so
 * there are no staged paths either); kb_url, uninstall_hint,
 * diagnostic_command.  No system extension is listed.
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
    .reference = "Installomator parallelsdesktop label (team ID); Homebrew cask "
                 "parallels (kext IDs)",
};

KC_PLUGIN_DEFINE(parallels, parallels)
