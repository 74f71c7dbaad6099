/* libFuzzer harness: kc_parse_sysext_policy and kc_parse_kext_policy (the
 * managed-preferences plists, XML or binary). */
#include "fuzz_check.h"
#include "platform.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_map(const kc_team_map *m)
{
    for (size_t i = 0; i < m->n; i++) {
        fuzz_utf8(m->v[i].team_id);
        for (size_t j = 0; j < m->v[i].ids.n; j++)
            if (m->v[i].ids.v[j][0] == '\0' || !kc_utf8_valid(m->v[i].ids.v[j]))
                abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    kc_sysext_policy s;
    kc_kext_policy k;
    char why[512];

    memset(&s, 0, sizeof(s));
    memset(&k, 0, sizeof(k));
    why[0] = '\0';
    if (kc_parse_sysext_policy((const char *)data, size, &s, why, sizeof(why)) == 0) {
        fuzz_tri(s.allow_user_overrides);
        for (size_t i = 0; i < s.allowed_teams.n; i++)
            if (strlen(s.allowed_teams.v[i]) != 10)
                abort();
        check_map(&s.allowed);
        check_map(&s.allowed_types);
        check_map(&s.removable);
        check_map(&s.non_removable);
        check_map(&s.non_removable_ui);
    } else {
        fuzz_why(why, sizeof(why));
    }
    kc_sysext_policy_free(&s);
    why[0] = '\0';
    if (kc_parse_kext_policy((const char *)data, size, &k, why, sizeof(why)) == 0)
        check_map(&k.allowed);
    else
        fuzz_why(why, sizeof(why));
    kc_kext_policy_free(&k);
    return 0;
}
