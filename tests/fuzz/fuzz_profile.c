/* libFuzzer harness: kc_parse_profile (a whole .mobileconfig). */
#include "fuzz_check.h"
#include "platform.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kc_profile p;
    char why[512];

    memset(&p, 0, sizeof(p));
    why[0] = '\0';
    if (kc_parse_profile((const char *)data, size, &p, why, sizeof(why)) != 0) {
        fuzz_why(why, sizeof(why));
        if (p.n_kext != 0 || p.n_sysext != 0 || p.identifier != NULL)
            abort();
        return 0;
    }
    if (p.n_kext > KC_PROFILE_MAX_POLICIES || p.n_sysext > KC_PROFILE_MAX_POLICIES ||
        p.n_kext + p.n_sysext > p.n_payloads)
        abort();
    fuzz_utf8(p.identifier);
    fuzz_utf8(p.display_name);
    kc_profile_free(&p);
    return 0;
}
