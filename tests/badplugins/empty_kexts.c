#include "bad.h"
static const char *const kexts[] = {NULL};
BAD_DESC(empty_kexts, GOOD_ABI, GOOD_SIZE, "empty-kexts", "TESTAAAA11", kexts, good_install, good_staged)
