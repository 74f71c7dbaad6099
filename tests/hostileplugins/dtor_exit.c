/* A valid plugin whose destructor calls exit(0) when the host unloads it,
 * after the report: the exit status must not become 0. */
#include <stdlib.h>

#include "hostile.h"

HOSTILE_DESC(dtor_exit, "dtor-exit", "HOSTILE005", "com.example.hostile.dtorexit")
KC_PLUGIN_DEFINE(dtor_exit, dtor_exit_desc)

__attribute__((destructor)) static void leave(void)
{
    exit(0);
}
