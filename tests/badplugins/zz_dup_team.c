#include "bad.h"
/* Claims Trend Micro's team, which trendmicro.so loaded first. */
BAD_DESC(zz_dup_team, GOOD_ABI, GOOD_SIZE, "zz-dup-team", "E8P47U2H32", good_kexts, good_install, good_staged)
