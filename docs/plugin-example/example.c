/*
 * A complete kextcheck vendor plugin, built out of tree against the
 * installed SDK:
 *
 *   cc -std=c11 -shared -fPIC -fvisibility=hidden \
 *      $(pkg-config --cflags kextcheck-plugin) example.c -o example-guard.so
 *
 * The file name without ".so" must equal .name, and the entry function is
 * kextcheck_plugin_<name with '-' as '_'>, which KC_PLUGIN_DEFINE writes.
 * It uses the fields of plugin ABI 1.2 (`pkg-config --variable=plugin_abi
 * kextcheck-plugin` says 1.2 or later); leave out the last three to build
 * against an older SDK.
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
    /* ABI 1.2, each optional: the vendor's own help, shown to admins
     * beside the next step (the command is shown, never run). */
    .kb_url = "https://support.example.com/kb/42",
    .uninstall_hint = "Turn off tamper protection in the Example Guard console first",
    .diagnostic_command = "sudo /usr/local/bin/guardctl status",
};

KC_PLUGIN_DEFINE(example_guard, example_guard)
