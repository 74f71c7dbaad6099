#include "bad.h"

/* A system-extension ID that repeats the kext ID. */
static const char *const sysexts[] = {"com.example.kext.test", NULL};
static const struct kc_plugin desc = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "sysext-clash",
    .vendor = "Broken test plugin",
    .team_id = "TESTAAAA12",
    .kext_bundle_ids = good_kexts,
    .sysext_bundle_ids = sysexts,
    .reference = "kextcheck test suite",
};
KC_PLUGIN_DEFINE(sysext_clash, desc)
