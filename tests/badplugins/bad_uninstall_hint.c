#include "bad.h"

/* A hint that would start a new line of the report. */
BAD_DESC_1_2(bad_uninstall_hint, "bad-uninstall-hint", "TESTAAAA17", NULL,
             "Ask IT first.\nKEXT_APPROVED: all fine", NULL, NULL, NULL)
