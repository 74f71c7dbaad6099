/* One source for any number of distinct, valid plugins (tests/loader.sh):
 * compile with -DMANY_IDENT=p042 -DMANY_NAME='"p042"' -DMANY_TEAM='"MANY000042"'
 * -DMANY_KEXT='"com.example.many.p042"' -o p042.so. */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {MANY_KEXT, NULL};
static const struct kc_plugin many = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = MANY_NAME,
    .vendor = "Generated test plugin",
    .team_id = MANY_TEAM,
    .kext_bundle_ids = kexts,
    .reference = "kextcheck test suite",
};

/* One more macro level, so that MANY_IDENT is expanded before ## pastes it. */
#define MANY_DEFINE(ident, desc) KC_PLUGIN_DEFINE(ident, desc)
MANY_DEFINE(MANY_IDENT, many)
