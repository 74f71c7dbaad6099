/* A frozen copy of plugins/sophos/sophos.c for the engine's golden cases
 * (tests/cases): the catalog's data may change without touching them. */
/*
 * Sophos Endpoint and Sophos Anti-Virus for Mac (the kext-based versions).
 * Data (reference/vendors.md, Sophos row):
 *   team ID 2H5GFH3774: vendors.md (sources: Kandji profiles, Homebrew cask);
 *   kexts com.sophos.kext.sav and com.sophos.nke.swi: Homebrew cask
 *   sophos-anti-virus-home-edition; com.sophos.kext.oas and
 *   com.sophos.driver.devctrl: one source only (listed, not marked
 *   unverified);
 *   install paths: the same Homebrew cask; staged paths follow the rule
 *   "/Library/StagedExtensions" + original path.
 * Left out: developer name (unverified); the system extensions
 * (not part of ABI 1.0).
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.sophos.kext.sav",
    "com.sophos.nke.swi",
    "com.sophos.kext.oas",
    "com.sophos.driver.devctrl",
    NULL,
};

static const char *const install_paths[] = {
    "/Library/Extensions/SophosOnAccessInterceptor.kext",
    "/Library/Extensions/SophosNetworkInterceptor.kext",
    NULL,
};

static const char *const staged_paths[] = {
    "/Library/StagedExtensions/Library/Extensions/SophosOnAccessInterceptor.kext",
    "/Library/StagedExtensions/Library/Extensions/SophosNetworkInterceptor.kext",
    NULL,
};

/* System extensions (ABI 1.1), source: kandji-inc/support. */
static const char *const sysexts[] = {
    "com.sophos.endpoint.networkextension",
    "com.sophos.endpoint.scanextension",
    NULL,
};

static const struct kc_plugin sophos = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "sophos",
    .vendor = "Sophos Endpoint / Sophos Anti-Virus for Mac",
    .team_id = "2H5GFH3774",
    .kext_bundle_ids = kexts,
    .install_paths = install_paths,
    .staged_paths = staged_paths,
    .reference = "Homebrew cask sophos-anti-virus-home-edition (kexts "
                 "com.sophos.kext.sav, com.sophos.nke.swi and install "
                 "paths); kandji-inc/support custom-apps and kext profiles; "
                 "com.sophos.kext.oas and com.sophos.driver.devctrl from a "
                 "single source",
    .sysext_bundle_ids = sysexts,
};

KC_PLUGIN_DEFINE(sophos, sophos)
