/* Never returns from its constructor. */
#include "hostile.h"

HOSTILE_DESC(ctor_loop, "ctor-loop", "HOSTILE004", "com.example.hostile.loop")
KC_PLUGIN_DEFINE(ctor_loop, ctor_loop_desc)

__attribute__((constructor)) static void spin(void)
{
    for (;;) {
    }
}
