#include "bad.h"
/* 33 entries and no NULL: the host stops reading at entry 33. */
static const char *const kexts[33] = {
    "a.k0", "a.k1", "a.k2", "a.k3", "a.k4", "a.k5", "a.k6", "a.k7", "a.k8", "a.k9", "a.k10",
    "a.k11", "a.k12", "a.k13", "a.k14", "a.k15", "a.k16", "a.k17", "a.k18", "a.k19", "a.k20",
    "a.k21", "a.k22", "a.k23", "a.k24", "a.k25", "a.k26", "a.k27", "a.k28", "a.k29", "a.k30",
    "a.k31", "a.k32"};
BAD_DESC(unterminated, GOOD_ABI, GOOD_SIZE, "unterminated", "TESTAAAA09", kexts, good_install, good_staged)
