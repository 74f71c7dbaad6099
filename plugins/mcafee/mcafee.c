/*
 * McAfee Endpoint Security for Mac (the kext-based versions).
 * Data (reference/vendors.md, McAfee row):
 *   team ID GT8P3H7SPW: vendors.md;
 *   kexts com.McAfee.AVKext and com.intelsecurity.FileCore and their install
 *   paths: knight.sc "virus scanning on macOS" (2018); staged paths follow
 *   the rule "/Library/StagedExtensions" + original path.
 * Left out: developer name (unverified); the system extension (weak, and
 * not part of ABI 1.0).
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.McAfee.AVKext",
    "com.intelsecurity.FileCore",
    NULL,
};

static const char *const install_paths[] = {
    "/Library/Application Support/McAfee/AntiMalware/AVKext.kext",
    "/Library/Application Support/McAfee/FMP/FileCore.kext",
    NULL,
};

static const char *const staged_paths[] = {
    "/Library/StagedExtensions/Library/Application Support/McAfee/AntiMalware/AVKext.kext",
    "/Library/StagedExtensions/Library/Application Support/McAfee/FMP/FileCore.kext",
    NULL,
};

static const struct kc_plugin mcafee = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "mcafee",
    .vendor = "McAfee Endpoint Security for Mac",
    .team_id = "GT8P3H7SPW",
    .kext_bundle_ids = kexts,
    .install_paths = install_paths,
    .staged_paths = staged_paths,
    .reference = "knight.sc \"virus scanning on macOS\" (2018): kext IDs and "
                 "install paths",
};

KC_PLUGIN_DEFINE(mcafee, mcafee)
