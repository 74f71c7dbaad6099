/* Writes to standard error from its constructor. */
#include <unistd.h>

#include "hostile.h"

HOSTILE_DESC(ctor_stderr, "ctor-stderr", "HOSTILE002", "com.example.hostile.stderr")
KC_PLUGIN_DEFINE(ctor_stderr, ctor_stderr_desc)

__attribute__((constructor)) static void complain(void)
{
    static const char msg[] = "plugin noise on stderr\n";
    ssize_t n = write(STDERR_FILENO, msg, sizeof(msg) - 1);
    (void)n;
}
