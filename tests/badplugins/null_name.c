#include "bad.h"
BAD_DESC(null_name, GOOD_ABI, GOOD_SIZE, NULL, "TESTAAAA04", good_kexts, good_install, good_staged)
