#include "bad.h"

/* A command with a terminal escape sequence in it. */
BAD_DESC_1_2(bad_diagnostic, "bad-diagnostic", "TESTAAAA18", NULL, NULL,
             "sudo examplectl status\033[2K", NULL, NULL)
