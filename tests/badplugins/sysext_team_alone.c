#include "bad.h"

/* A system-extension team without any system extension. */
BAD_DESC_1_2(sysext_team_alone, "sysext-team-alone", "TESTAAAA21", NULL, NULL, NULL, "TESTAAAA22",
             NULL)
