/* Crashes (abort) in its entry function. */
#include <stdlib.h>

#include "hostile.h"

KC_PLUGIN_EXPORT const struct kc_plugin *kextcheck_plugin_entry_abort(uint32_t host_abi_version);
KC_PLUGIN_EXPORT const struct kc_plugin *kextcheck_plugin_entry_abort(uint32_t host_abi_version)
{
    (void)host_abi_version;
    abort();
}
