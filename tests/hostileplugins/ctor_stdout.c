/* Writes to standard output from its constructor (through stdio, without a
 * newline or a flush, so the bytes sit in the host's stdout buffer). */
#include <stdio.h>

#include "hostile.h"

HOSTILE_DESC(ctor_stdout, "ctor-stdout", "HOSTILE001", "com.example.hostile.stdout")
KC_PLUGIN_DEFINE(ctor_stdout, ctor_stdout_desc)

__attribute__((constructor)) static void say_hello(void)
{
    printf("hello from a plugin");
}
