/* Three problems at once: `plugins validate` lists each of them. */
#include "bad.h"

static const char *const install[] = {"relative/Test.kext", NULL};
static const struct kc_plugin desc = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "many-problems",
    .vendor = "",
    .team_id = "TOO-SHORT",
    .kext_bundle_ids = good_kexts,
    .install_paths = install,
    .staged_paths = good_staged,
    .reference = "kextcheck test suite",
};
KC_PLUGIN_DEFINE(many_problems, desc)
