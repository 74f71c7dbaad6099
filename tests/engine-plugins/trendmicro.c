/* A frozen copy of plugins/trendmicro/trendmicro.c for the engine's golden cases
 * (tests/cases): the catalog's data may change without touching them. */
/*
 * Trend Micro Apex One (Mac) and Trend Micro Security for Mac.
 * Data: Trend Micro Solution ID 1120622 (the kext_policy rows it shows and
 * the staged folder it tells admins to delete).
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.trendmicro.kext.filehook",
    "com.trendmicro.kext.KERedirect",
    NULL,
};

static const char *const install_paths[] = {
    "/Library/Application Support/TrendMicro",
    NULL,
};

static const char *const staged_paths[] = {
    "/Library/StagedExtensions/Library/Application Support/TrendMicro",
    NULL,
};

static const struct kc_plugin trendmicro = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "trendmicro",
    .vendor = "Trend Micro Apex One / Trend Micro Security",
    .team_id = "E8P47U2H32",
    .developer_name = "Trend Micro, Inc.",
    .kext_bundle_ids = kexts,
    .install_paths = install_paths,
    .staged_paths = staged_paths,
    .reference = "Trend Micro Solution ID 1120622 (\"protection cannot start\" "
                 "on macOS 10.13 and later)",
};

KC_PLUGIN_DEFINE(trendmicro, trendmicro)
