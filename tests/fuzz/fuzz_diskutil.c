/* libFuzzer harness: kc_parse_diskutil_info (diskutil info / output). */
#include "fuzz_check.h"
#include "platform.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kc_boot_volume v;
    char why[512];

    memset(&v, 0, sizeof(v));
    why[0] = '\0';
    if (kc_parse_diskutil_info((const char *)data, size, &v, why, sizeof(why)) != 0) {
        fuzz_why(why, sizeof(why));
        if (v.device_identifier != NULL || v.volume_name != NULL || v.bay != NULL)
            abort();
        return 0;
    }
    if (v.device_identifier == NULL || strncmp(v.device_identifier, "disk", 4) != 0)
        abort();
    fuzz_utf8(v.volume_name);
    fuzz_utf8(v.mount_point);
    fuzz_utf8(v.protocol);
    fuzz_utf8(v.bay);
    kc_boot_volume_free(&v);
    return 0;
}
