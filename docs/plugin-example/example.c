/*
 * A complete kextcheck vendor plugin, built out of tree against the
 * installed SDK:
 *
 *   cc -std=c11 -shared -fPIC -fvisibility=hidden \
 *      $(pkg-config --cflags kextcheck-plugin) example.c -o example-guard.so
 *
 * The file name without ".so" must equal .name, and the entry function is
 * kextcheck_plugin_<name with '-' as '_'>, which KC_PLUGIN_DEFINE writes.
 * The values below are invented for the example: a real plugin carries the
 * vendor's own team ID and bundle IDs, and says where they come from.
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.example.guard.kext.filter",
    "com.example.guard.kext.network",
    NULL,
};

static const char *const install_paths[] = {
    "/Library/Application Support/Example Guard/Extensions",
    NULL,
};

/* macOS stages a kext under /Library/StagedExtensions + its original path. */
static const char *const staged_paths[] = {
    "/Library/StagedExtensions/Library/Application Support/Example Guard/Extensions",
    NULL,
};

static const struct kc_plugin example_guard = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "example-guard",
    .vendor = "Example Guard Endpoint",
    .team_id = "EXAMPLE123",
    .developer_name = "Example Guard, Inc.",
    .kext_bundle_ids = kexts,
    .install_paths = install_paths,
    .staged_paths = staged_paths,
    .reference = "Example Guard KB 42: approving the Example Guard kernel extensions",
};

KC_PLUGIN_DEFINE(example_guard, example_guard)
