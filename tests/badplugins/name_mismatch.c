#include "bad.h"
BAD_DESC(name_mismatch, GOOD_ABI, GOOD_SIZE, "other-name", "TESTAAAA10", good_kexts, good_install, good_staged)
