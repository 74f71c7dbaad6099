/* libFuzzer harness: kc_macho_parse.  The first 8 bytes, when present, are
 * the announced file size (big-endian; 0 = unknown); the rest is the file's
 * beginning. */
#include "kc.h"
#include "macho.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t file_size = 0;
    kc_macho m;
    char why[512], list[2048];

    if (size < 8)
        return 0;
    for (int i = 0; i < 8; i++)
        file_size = file_size << 8 | data[i];
    data += 8;
    size -= 8;
    why[0] = '\0';
    if (kc_macho_parse(data, size, file_size, &m, why, sizeof(why)) != 0) {
        if (why[0] == '\0' || m.n_archs != 0)
            abort();
        return 0;
    }
    if (m.n_archs == 0 || m.n_archs > KC_MACHO_MAX_ARCHS || (!m.fat && m.n_archs != 1))
        abort();
    for (size_t i = 0; i < m.n_archs; i++) {
        const kc_macho_arch *a = &m.archs[i];
        if (memchr(a->name, '\0', sizeof(a->name)) == NULL)
            abort();
        if (a->arm64e && !m.has_arm64e)
            abort();
        if (m.fat && (a->size == 0 || a->offset > UINT64_MAX - a->size ||
                      (file_size != 0 && a->offset + a->size > file_size)))
            abort();
    }
    kc_macho_arch_list(&m, list, sizeof(list));
    return 0;
}
