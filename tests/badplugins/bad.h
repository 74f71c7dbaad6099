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

/* An ABI 1.2 plugin whose 1.2 fields are given (NULL for none). */
__attribute__((unused)) static const char *const good_sysexts[] = {"com.example.sysext.test", NULL};
#define BAD_DESC_1_2(ident, nm, team, url, hint, cmd, sysext_team, sysexts)             \
    static const struct kc_plugin desc = {                                             \
        .abi_version = KC_PLUGIN_ABI_VERSION,                                          \
        .size = sizeof(struct kc_plugin),                                              \
        .name = (nm),                                                                  \
        .vendor = "Broken test plugin",                                                \
        .team_id = (team),                                                             \
        .kext_bundle_ids = good_kexts,                                                 \
        .reference = "kextcheck test suite",                                           \
        .sysext_bundle_ids = (sysexts),                                                \
        .kb_url = (url),                                                               \
        .uninstall_hint = (hint),                                                      \
        .diagnostic_command = (cmd),                                                   \
        .sysext_team_id = (sysext_team),                                               \
    };                                                                                 \
    KC_PLUGIN_DEFINE(ident, desc)

#define GOOD_ABI KC_PLUGIN_ABI_VERSION
#define GOOD_SIZE sizeof(struct kc_plugin)
#endif
