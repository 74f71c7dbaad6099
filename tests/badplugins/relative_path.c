#include "bad.h"
static const char *const install[] = {"Library/Extensions/Test.kext", NULL};
BAD_DESC(relative_path, GOOD_ABI, GOOD_SIZE, "relative-path", "TESTAAAA07", good_kexts, install, good_staged)
