#include "bad.h"
BAD_DESC(bad_team, GOOD_ABI, GOOD_SIZE, "bad-team", "e8p47u2h3", good_kexts, good_install, good_staged)
