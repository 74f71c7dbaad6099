#include "bad.h"
static const char *const kexts[] = {"com.example.kext.ok", "com.example kext", NULL};
BAD_DESC(bad_bundle, GOOD_ABI, GOOD_SIZE, "bad-bundle", "TESTAAAA06", kexts, good_install, good_staged)
