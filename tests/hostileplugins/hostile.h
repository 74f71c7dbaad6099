/* Test plugins that misbehave in code rather than in data: each has a valid
 * descriptor (its own name, team and bundle ID) and one misdeed. */
#ifndef HOSTILE_H
#define HOSTILE_H
#include <kextcheck/plugin.h>

#define HOSTILE_DESC(ident, nm, team, kext)                                    \
    static const char *const ident##_kexts[] = {kext, NULL};                   \
    static const struct kc_plugin ident##_desc = {                             \
        .abi_version = KC_PLUGIN_ABI_VERSION,                                  \
        .size = sizeof(struct kc_plugin),                                      \
        .name = nm,                                                            \
        .vendor = "Misbehaving test plugin",                                   \
        .team_id = team,                                                       \
        .kext_bundle_ids = ident##_kexts,                                      \
        .reference = "kextcheck test suite",                                   \
    };

#endif
