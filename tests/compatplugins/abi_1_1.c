/* A 1.1 plugin with system extensions (one of them repeated as a kext in
 * sysext-clash.so, which is refused). */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {"com.example.modern.kext", NULL};
static const char *const sysexts[] = {"com.example.modern.sysext", NULL};

static const struct kc_plugin modern = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "abi-1-1",
    .vendor = "Plugin built against ABI 1.1",
    .team_id = "MODERN0001",
    .kext_bundle_ids = kexts,
    .sysext_bundle_ids = sysexts,
    .reference = "kextcheck test suite",
};

KC_PLUGIN_DEFINE(abi_1_1, modern)
