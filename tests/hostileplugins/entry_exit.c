/* Calls exit(0) from its entry function. */
#include <stdlib.h>

#include "hostile.h"

KC_PLUGIN_EXPORT const struct kc_plugin *kextcheck_plugin_entry_exit(uint32_t host_abi_version);
KC_PLUGIN_EXPORT const struct kc_plugin *kextcheck_plugin_entry_exit(uint32_t host_abi_version)
{
    (void)host_abi_version;
    exit(0);
}
