/* libFuzzer harness: kc_parse_codesign (codesign -dv --verbose=4 output). */
#include "fuzz_check.h"
#include "platform.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kc_codesign c;
    char why[512];

    memset(&c, 0, sizeof(c));
    why[0] = '\0';
    if (kc_parse_codesign((const char *)data, size, &c, why, sizeof(why)) != 0) {
        fuzz_why(why, sizeof(why));
        if (c.executable != NULL || c.error != NULL || c.n_authorities != 0 || c.archs.n != 0)
            abort();
        return 0;
    }
    if ((c.executable == NULL) == (c.error == NULL))
        abort(); /* exactly one of a displayed signature and an error */
    if (c.n_authorities > KC_CODESIGN_MAX_AUTHORITIES || c.n_authorities > c.n_authority_lines)
        abort();
    if (c.team_id != NULL && (strlen(c.team_id) != 10 || c.team_not_set))
        abort();
    fuzz_tri(c.is_signed);
    fuzz_tri(c.stapled);
    fuzz_tri(c.has_arm64e);
    fuzz_utf8(c.executable);
    fuzz_utf8(c.identifier);
    fuzz_utf8(c.format);
    fuzz_utf8(c.timestamp);
    fuzz_utf8(c.error);
    for (size_t i = 0; i < c.n_authorities; i++)
        fuzz_utf8(c.authorities[i]);
    for (size_t i = 0; i < c.archs.n; i++)
        fuzz_utf8(c.archs.v[i]);
    kc_codesign_free(&c);
    return 0;
}
