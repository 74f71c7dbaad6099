#include "bad.h"
BAD_DESC(newer_minor, KC_PLUGIN_MKVERSION(1, 7), GOOD_SIZE, "newer-minor", "TESTAAAA02", good_kexts, good_install, good_staged)
