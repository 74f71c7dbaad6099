/* One source for any number of distinct plugins shaped like a catalog
 * plugin (bench/run.sh builds 100 and 1,000 of them): two kexts, an install
 * and a staged folder, a system extension, a vendor article.  Compile with
 *   -DGEN_IDENT=g0042 -DGEN_NAME='"g0042"' -DGEN_TEAM='"GEN0000042"'
 * (the name, its identifier and a distinct 10-character team ID). */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.example.bench." GEN_NAME ".filter",
    "com.example.bench." GEN_NAME ".network",
    NULL,
};

static const char *const install_paths[] = {
    "/Library/Application Support/BenchVendor/" GEN_NAME "/KernelExtensions",
    NULL,
};

static const char *const staged_paths[] = {
    "/Library/StagedExtensions/Library/Application Support/BenchVendor/" GEN_NAME
    "/KernelExtensions",
    NULL,
};

static const char *const sysexts[] = {
    "com.example.bench." GEN_NAME ".endpoint",
    NULL,
};

static const struct kc_plugin gen = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = GEN_NAME,
    .vendor = "Generated benchmark vendor " GEN_NAME,
    .team_id = GEN_TEAM,
    .kext_bundle_ids = kexts,
    .install_paths = install_paths,
    .staged_paths = staged_paths,
    .reference = "kextcheck bench/run.sh (generated)",
    .sysext_bundle_ids = sysexts,
    .kb_url = "https://example.com/bench/" GEN_NAME,
};

/* One more macro level, so that GEN_IDENT is expanded before ## pastes it. */
#define GEN_DEFINE(ident, desc) KC_PLUGIN_DEFINE(ident, desc)
GEN_DEFINE(GEN_IDENT, gen)
