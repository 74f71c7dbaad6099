/*
 * Trend Micro Apex One (Mac) and Trend Micro Security for Mac.
 * Every value and where it is written (see docs/catalog.md):
 *   team E8P47U2H32, developer name "Trend Micro, Inc.", the kexts
 *     com.trendmicro.kext.filehook and com.trendmicro.kext.KERedirect and
 *     the staged folder: Trend Micro Solution 1120622 (the kext_policy rows
 *     it shows, the staged folder it has admins delete).
 *   install folder /Library/Application Support/TrendMicro: the same
 *     article; Apex One (Mac) help names it the agent installation folder
 *     and locks its Kext subfolder (docs.trendmicro.com, "Terminology",
 *     "Agent Self-protection").
 *   system extension com.trendmicro.icore.es (the agents on macOS 11 and
 *     later): a public process list showing /Library/SystemExtensions/<UUID>/
 *     com.trendmicro.icore.es.systemextension (find_string id 25248885941),
 *     and a public detection script that looks for it in
 *     `systemextensionsctl list` as Trend Micro Apex One (find_string id
 *     41749748113).  No source shows its team: it is matched on Trend
 *     Micro's E8P47U2H32, the vendor's only known team (docs/catalog.md).
 *   kb_url: Solution 1120622 itself, the vendor's article for exactly this
 *     problem ("protection cannot start" when the kexts are not approved).
 * Left out: uninstall_hint, diagnostic_command (no public source).
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

static const char *const sysexts[] = {
    "com.trendmicro.icore.es",
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
                 "on macOS 10.13 and later); public process list and detection "
                 "script (system extension com.trendmicro.icore.es)",
    .sysext_bundle_ids = sysexts,
    .kb_url = "https://success.trendmicro.com/jp/solution/1120622",
};

KC_PLUGIN_DEFINE(trendmicro, trendmicro)
