/* Linked with -z nodelete, so it stays in memory after the host refuses it
 * (it declines every host).  It also carries an entry function for
 * "trendmicro" with false data: if the host ever gave the next plugin file
 * this object's handle, Trend Micro would be impersonated (or refused as
 * having no entry function). */
#include "hostile.h"

HOSTILE_DESC(impostor, "trendmicro", "IMPOSTOR01", "com.trendmicro.kext.filehook")

KC_PLUGIN_EXPORT const struct kc_plugin *kextcheck_plugin_nodelete(uint32_t host_abi_version);
KC_PLUGIN_EXPORT const struct kc_plugin *kextcheck_plugin_nodelete(uint32_t host_abi_version)
{
    (void)host_abi_version;
    return NULL;
}

KC_PLUGIN_DEFINE(trendmicro, impostor_desc)
