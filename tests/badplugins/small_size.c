#include "bad.h"
BAD_DESC(small_size, GOOD_ABI, 8, "small-size", "TESTAAAA03", good_kexts, good_install, good_staged)
