/*
 * A plugin as it was compiled against ABI 1.1, before the 1.2 fields were
 * appended: its own copy of the 1.1 layout, abi_version 1.1 and the 1.1
 * size, with system extensions (one of them repeated as a kext in
 * sysext-clash.so, which is refused).  A 1.2 host must load it unchanged
 * and never read past its size.
 */
#include <kextcheck/plugin.h>

struct kc_plugin_1_1 {
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
    const char *const *sysext_bundle_ids;
};

static const char *const kexts[] = {"com.example.modern.kext", NULL};
static const char *const sysexts[] = {"com.example.modern.sysext", NULL};

static const struct kc_plugin_1_1 modern = {
    .abi_version = KC_PLUGIN_MKVERSION(1, 1),
    .size = sizeof(struct kc_plugin_1_1),
    .name = "abi-1-1",
    .vendor = "Plugin built against ABI 1.1",
    .team_id = "MODERN0001",
    .kext_bundle_ids = kexts,
    .sysext_bundle_ids = sysexts,
    .reference = "kextcheck test suite",
};

KC_PLUGIN_EXPORT const struct kc_plugin *kextcheck_plugin_abi_1_1(uint32_t host_abi_version);
KC_PLUGIN_EXPORT const struct kc_plugin *kextcheck_plugin_abi_1_1(uint32_t host_abi_version)
{
    (void)host_abi_version;
    /* The host reads only the first .size bytes, which this struct has. */
    return (const struct kc_plugin *)(const void *)&modern;
}
