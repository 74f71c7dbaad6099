#include "bad.h"

/* Claims ABI 1.1 but has only the 1.0 size. */
BAD_DESC(short_1_1, KC_PLUGIN_MKVERSION(1, 1), KC_PLUGIN_SIZE_1_0, "short-1-1", "TESTAAAA13",
         good_kexts, good_install, good_staged)
