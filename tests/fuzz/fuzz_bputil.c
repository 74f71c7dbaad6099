/* libFuzzer harness: kc_parse_bputil (bputil -d output). */
#include "fuzz_check.h"
#include "platform.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kc_boot_policy bp;
    char why[512];

    why[0] = '\0';
    if (kc_parse_bputil((const char *)data, size, &bp, why, sizeof(why)) != 0) {
        fuzz_why(why, sizeof(why));
        if (bp.n_blocks != 0 || bp.v.security != KC_BOOT_SECURITY_UNKNOWN)
            abort();
        return 0;
    }
    if (bp.n_blocks == 0 || bp.n_stored > KC_BPUTIL_MAX_BLOCKS ||
        bp.n_stored > bp.n_blocks || bp.summary_block >= bp.n_stored ||
        !bp.blocks[bp.summary_block].any)
        abort();
    fuzz_tri(bp.v.third_party_kexts);
    fuzz_tri(bp.v.user_mdm);
    fuzz_tri(bp.v.dep_mdm);
    fuzz_tri(bp.v.sip);
    for (size_t i = 0; i < bp.n_stored; i++)
        if (memchr(bp.blocks[i].volume_group, '\0', sizeof(bp.blocks[i].volume_group)) == NULL)
            abort();
    return 0;
}
