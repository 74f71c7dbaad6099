#include "bad.h"

/* The vendor's article over plain http. */
BAD_DESC_1_2(bad_kb_url, "bad-kb-url", "TESTAAAA15", "http://support.example.com/kb/1", NULL, NULL,
             NULL, NULL)
