#include "bad.h"
static const char *const staged[] = {"/Library/Extensions/Test.kext", NULL};
BAD_DESC(bad_staged, GOOD_ABI, GOOD_SIZE, "bad-staged", "TESTAAAA08", good_kexts, good_install, staged)
