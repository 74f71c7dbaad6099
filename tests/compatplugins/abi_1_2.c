/* A plugin built against ABI 1.2 with every 1.2 field: the vendor's
 * article, the uninstall hint, the diagnostic command, and system
 * extensions signed by another team than the kexts. */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {"com.example.current.kext", NULL};
static const char *const sysexts[] = {"com.example.current.sysext", NULL};

static const struct kc_plugin current = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "abi-1-2",
    .vendor = "Plugin built against ABI 1.2",
    .team_id = "CURRENT001",
    .kext_bundle_ids = kexts,
    .sysext_bundle_ids = sysexts,
    .reference = "kextcheck test suite",
    .kb_url = "https://support.example.com/kb/1234?lang=en#kext",
    .uninstall_hint = "Turn off tamper protection in the console first (a maintenance token is needed)",
    .diagnostic_command = "sudo /usr/local/bin/examplectl status --verbose",
    .sysext_team_id = "CURRENT002",
};

KC_PLUGIN_DEFINE(abi_1_2, current)
