#include "bad.h"

/* A system-extension team that is not a Team ID. */
BAD_DESC_1_2(bad_sysext_team, "bad-sysext-team", "TESTAAAA19", NULL, NULL, NULL, "testaaaa20",
             good_sysexts)
