#include "bad.h"

/* A URL whose "host" hides another one behind user@ (a phishing shape). */
BAD_DESC_1_2(bad_kb_url_user, "bad-kb-url-user", "TESTAAAA16",
             "https://support.example.com@attacker.example/kb", NULL, NULL, NULL, NULL)
