#include "bad.h"

/* Claims ABI 1.2 but has only the 1.1 size. */
BAD_DESC(short_1_2, KC_PLUGIN_MKVERSION(1, 2), KC_PLUGIN_SIZE_1_1, "short-1-2", "TESTAAAA14",
         good_kexts, good_install, good_staged)
