/*
 * A plugin as it was compiled against ABI 1.0, before sysext_bundle_ids was
 * appended: its own copy of the 1.0 layout, abi_version 1.0 and the 1.0
 * size.  A 1.1 host must load it unchanged and never read past its size.
 */
#include <kextcheck/plugin.h>

struct kc_plugin_1_0 {
    uint32_t abi_version;
    uint32_t size;
    const char *name;
    const char *vendor;
    const char *team_id;
    const char *developer_name;
    const char *const *kext_bundle_ids;
    const char *const *install_paths;
    const char *const *staged_paths;
    const char *reference;
};

static const char *const kexts[] = {"com.example.legacy.kext", NULL};

static const struct kc_plugin_1_0 legacy = {
    .abi_version = KC_PLUGIN_MKVERSION(1, 0),
    .size = sizeof(struct kc_plugin_1_0),
    .name = "abi-1-0",
    .vendor = "Plugin built against ABI 1.0",
    .team_id = "LEGACY0001",
    .developer_name = NULL,
    .kext_bundle_ids = kexts,
    .install_paths = NULL,
    .staged_paths = NULL,
    .reference = "kextcheck test suite",
};

KC_PLUGIN_EXPORT const struct kc_plugin *kextcheck_plugin_abi_1_0(uint32_t host_abi_version);
KC_PLUGIN_EXPORT const struct kc_plugin *kextcheck_plugin_abi_1_0(uint32_t host_abi_version)
{
    (void)host_abi_version;
    /* The host reads only the first .size bytes, which this struct has. */
    return (const struct kc_plugin *)(const void *)&legacy;
}
