/* A shared object without the entry function. */
#include <kextcheck/plugin.h>

KC_PLUGIN_EXPORT int not_a_kextcheck_plugin(void);
KC_PLUGIN_EXPORT int not_a_kextcheck_plugin(void)
{
    return 42;
}
