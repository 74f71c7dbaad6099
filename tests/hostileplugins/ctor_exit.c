/* Ends the process with exit(0) from its constructor, as soon as it is
 * loaded: the host must not turn that into "exit 0, no output". */
#include <stdlib.h>

#include "hostile.h"

HOSTILE_DESC(ctor_exit, "ctor-exit", "HOSTILE003", "com.example.hostile.ctorexit")
KC_PLUGIN_DEFINE(ctor_exit, ctor_exit_desc)

__attribute__((constructor)) static void leave(void)
{
    exit(0);
}
