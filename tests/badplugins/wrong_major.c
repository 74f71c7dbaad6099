#include "bad.h"
BAD_DESC(wrong_major, KC_PLUGIN_MKVERSION(2, 0), GOOD_SIZE, "wrong-major", "TESTAAAA01", good_kexts, good_install, good_staged)
