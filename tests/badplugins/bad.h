/* Test plugins that break one rule of plugin.h each. */
#ifndef BAD_H
#define BAD_H
#include <kextcheck/plugin.h>

__attribute__((unused)) static const char *const good_kexts[] = {"com.example.kext.test", NULL};
__attribute__((unused)) static const char *const good_install[] = {"/Library/Extensions/Test.kext", NULL};
__attribute__((unused)) static const char *const good_staged[] = {
    "/Library/StagedExtensions/Library/Extensions/Test.kext", NULL};

#define BAD_DESC(ident, abi, sz, nm, team, kexts, install, staged)                      \
    static const struct kc_plugin desc = {                                             \
        .abi_version = (abi),                                                          \
        .size = (sz),                                                                  \
        .name = (nm),                                                                  \
        .vendor = "Broken test plugin",                                                \
        .team_id = (team),                                                             \
        .developer_name = NULL,                                                        \
        .kext_bundle_ids = (kexts),                                                    \
        .install_paths = (install),                                                    \
        .staged_paths = (staged),                                                      \
        .reference = "kextcheck test suite",                                           \
    };                                                                                 \
    KC_PLUGIN_DEFINE(ident, desc)

#define GOOD_ABI KC_PLUGIN_ABI_VERSION
#define GOOD_SIZE sizeof(struct kc_plugin)
#endif
