/* libFuzzer harness: kc_parse_uname_m, kc_parse_hw_optional_arm64 and
 * kc_parse_hv_vmm_present (the first byte says whether the command failed),
 * then kc_machine_from on the results. */
#include "fuzz_check.h"
#include "platform.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kc_uname_arch arch;
    kc_sysctl_flag arm64;
    kc_tri vm;
    bool failed, rosetta;
    char why[512];
    kc_machine m;

    if (size == 0)
        return 0;
    failed = data[0] & 1;
    data++;
    size--;
    why[0] = '\0';
    if (kc_parse_uname_m((const char *)data, size, &arch, why, sizeof(why)) != 0) {
        fuzz_why(why, sizeof(why));
        if (arch != KC_UNAME_UNKNOWN)
            abort();
    }
    why[0] = '\0';
    if (kc_parse_hw_optional_arm64((const char *)data, size, failed, &arm64, why,
                                   sizeof(why)) != 0) {
        fuzz_why(why, sizeof(why));
        if (arm64 != KC_SYSCTL_UNKNOWN)
            abort();
    } else if (failed ? arm64 != KC_SYSCTL_ABSENT
                      : arm64 != KC_SYSCTL_0 && arm64 != KC_SYSCTL_1) {
        abort();
    }
    why[0] = '\0';
    if (kc_parse_hv_vmm_present((const char *)data, size, failed, &vm, why, sizeof(why)) != 0)
        fuzz_why(why, sizeof(why));
    fuzz_tri(vm);
    m = kc_machine_from(arch, arm64, &rosetta);
    if (rosetta && m != KC_MACHINE_APPLE_SILICON)
        abort();
    return 0;
}
