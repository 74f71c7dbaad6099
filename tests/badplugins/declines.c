/* A plugin whose entry function declines every host. */
#include <kextcheck/plugin.h>

KC_PLUGIN_EXPORT const struct kc_plugin *kextcheck_plugin_declines(uint32_t host_abi_version);
KC_PLUGIN_EXPORT const struct kc_plugin *kextcheck_plugin_declines(uint32_t host_abi_version)
{
    (void)host_abi_version;
    return NULL;
}
