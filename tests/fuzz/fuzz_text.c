/*
 * libFuzzer harness for one text parser of core/evidence.c, chosen when
 * compiling: -DFUZZ_CONSENT_STATUS, -DFUZZ_CONSENT_LIST, -DFUZZ_CSRUTIL or
 * -DFUZZ_LOADED.  The input is the command's captured output.
 *
 * Besides crashes, leaks and undefined behaviour (the sanitizers), it stops
 * on a broken contract: a result other than 0 or -1; a refusal without a
 * valid, NUL-terminated reason or that leaves something known; an accepted
 * input whose values are not what the parser promises (team IDs, UTF-8,
 * SIP known...); a second parse of the same bytes, into the same evidence
 * and with a reason buffer of 8 bytes, that disagrees.
 */
#include "fuzz_util.h"

#include <stdlib.h>
#include <string.h>

typedef int (*parse_fn)(const char *, size_t, kc_evidence *, char *, size_t);

#if defined(FUZZ_CONSENT_STATUS)
#define PARSE kc_parse_consent_status
#elif defined(FUZZ_CONSENT_LIST)
#define PARSE kc_parse_consent_list
#elif defined(FUZZ_CSRUTIL)
#define PARSE kc_parse_csrutil
#elif defined(FUZZ_LOADED)
#define PARSE kc_parse_loaded
#else
#error "define FUZZ_CONSENT_STATUS, FUZZ_CONSENT_LIST, FUZZ_CSRUTIL or FUZZ_LOADED"
#endif

/* What an accepted input must give. */
static void check_accepted(const kc_evidence *ev)
{
#if defined(FUZZ_CONSENT_STATUS)
    if (ev->consent_enabled != KC_YES && ev->consent_enabled != KC_NO)
        fz_die("consent status", "accepted but unknown");
#elif defined(FUZZ_CONSENT_LIST)
    for (size_t i = 0; i < ev->consent_teams.n; i++)
        fz_check_team("consent list", ev->consent_teams.v[i]);
    /* No duplicates (checked on short lists only: quadratic). */
    for (size_t i = 0; i < ev->consent_teams.n && ev->consent_teams.n <= 256; i++)
        for (size_t j = i + 1; j < ev->consent_teams.n; j++)
            if (strcmp(ev->consent_teams.v[i], ev->consent_teams.v[j]) == 0)
                fz_die("consent list", "a team listed twice");
#elif defined(FUZZ_CSRUTIL)
    if (ev->sip == KC_SIP_UNKNOWN)
        fz_die("csrutil", "accepted but SIP unknown");
    if (ev->sip == KC_SIP_ENABLED && ev->kext_signing == KC_UNKNOWN)
        fz_die("csrutil", "SIP enabled but Kext Signing unknown");
#elif defined(FUZZ_LOADED)
    if (ev->n_loaded > 10000 || (ev->n_loaded != 0) != (ev->loaded != NULL))
        fz_die("loaded", "%zu rows", ev->n_loaded);
    for (size_t i = 0; i < ev->n_loaded; i++) {
        fz_check_utf8("loaded bundle ID", ev->loaded[i].bundle_id);
        fz_check_utf8("loaded version", ev->loaded[i].version);
        if (ev->loaded[i].bundle_id[0] == '\0' || ev->loaded[i].version[0] == '\0')
            fz_die("loaded", "an empty bundle ID or version");
    }
#endif
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    parse_fn parse = PARSE;
    kc_evidence ev;
    char why[512], small[8];
    int rc, again;

    fz_evidence_init(&ev);
    memset(why, 'x', sizeof(why)); /* no NUL: the parser must write one */
    rc = parse((const char *)data, size, &ev, why, sizeof(why));
    if (rc == 0) {
        check_accepted(&ev);
    } else if (rc == -1) {
        fz_check_why(why, sizeof(why));
        fz_check_all_unknown(&ev);
    } else {
        fz_die("parser", "returned %d", rc);
    }
    /* Again, over what the first parse left, with a tiny reason buffer. */
    memset(small, 'x', sizeof(small));
    again = parse((const char *)data, size, &ev, small, sizeof(small));
    if (again != rc)
        fz_die("parser", "returned %d, then %d for the same input", rc, again);
    if (again != 0 && memchr(small, '\0', sizeof(small)) == NULL)
        fz_die("why", "a short reason buffer left unterminated");
    kc_evidence_free(&ev);
    return 0;
}
