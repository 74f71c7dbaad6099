/* Unit tests for plugin ABI 1.2's sysext_team_id in core/judge.c: a
 * vendor whose system extensions are signed by another team than its
 * kexts has them matched in db.plist on that team (join), and an
 * extension of its under any other team, the kexts' team included, is a
 * TEAM_MISMATCH.  Without sysext_team_id the kexts' team is used, as
 * before. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "modelkit.h"

#include <string.h>

#define TEAM MK_TEAM
#define SYSTEAM "SYSTEM0001"
#define SYSEXT MK_SYSEXT

/* The example vendor with its system extension signed by SYSTEAM. */
static kc_vendor_evidence *vendor_with_sysext_team(mk_model *k, const char *sysext_team)
{
    struct kc_plugin d = mk_plugin("example", TEAM, mk_guard, mk_sysext);
    kc_vendor_evidence *ve;

    d.sysext_team_id = sysext_team;
    ve = mk_vendor_from(k, &d);
    if (sysext_team != NULL)
        assert_string_equal(ve->vendor->sysext_team_id, sysext_team);
    else
        assert_null(ve->vendor->sysext_team_id);
    return ve;
}

/* Registered under the sysext team: found, active, no mismatch. */
static void matched_on_sysext_team(void **state)
{
    mk_model k;
    const kc_vendor_result *vr;

    (void)state;
    mk_init(&k);
    vendor_with_sysext_team(&k, SYSTEAM);
    mk_sysext_entry(&k, SYSEXT, SYSTEAM, "activated_enabled");
    vr = &mk_judge(&k)->vendors[0];
    assert_true(vr->installed);
    assert_int_equal(vr->n_sysexts, 1);
    assert_ptr_equal(vr->sysexts[0].entry, &k.m.host.ev.sysexts[0]);
    mk_expect_codes(vr, "SYSEXT_ACTIVE");
    assert_int_equal(vr->status, KC_STATUS_OK);
    mk_free(&k);
}

/* The same identifier under the kexts' team is not this vendor's
 * extension any more: not matched, and a TEAM_MISMATCH. */
static void kext_team_is_a_mismatch(void **state)
{
    mk_model k;
    const kc_vendor_result *vr;
    const kc_finding *f;

    (void)state;
    mk_init(&k);
    vendor_with_sysext_team(&k, SYSTEAM);
    mk_sysext_entry(&k, SYSEXT, TEAM, "activated_enabled");
    vr = &mk_judge(&k)->vendors[0];
    assert_true(vr->installed);
    assert_null(vr->sysexts[0].entry);
    assert_true(mk_has_code(vr, KC_F_TEAM_MISMATCH));
    assert_false(mk_has_code(vr, KC_F_SYSEXT_ACTIVE));
    f = mk_finding(vr, KC_F_TEAM_MISMATCH, SYSEXT);
    assert_non_null(f);
    assert_string_equal(f->team, TEAM);
    assert_int_equal(vr->status, KC_STATUS_CRITICAL);
    mk_free(&k);
}

/* Without sysext_team_id (a 1.1 plugin, or a 1.2 one that leaves it NULL)
 * the kexts' team matches, and the other team is the mismatch. */
static void default_is_kext_team(void **state)
{
    mk_model k;
    const kc_vendor_result *vr;

    (void)state;
    mk_init(&k);
    vendor_with_sysext_team(&k, NULL);
    mk_sysext_entry(&k, SYSEXT, TEAM, "activated_waiting_for_user");
    vr = &mk_judge(&k)->vendors[0];
    assert_non_null(vr->sysexts[0].entry);
    mk_expect_codes(vr, "SYSEXT_WAITING_FOR_USER");
    mk_free(&k);

    mk_init(&k);
    vendor_with_sysext_team(&k, NULL);
    mk_sysext_entry(&k, SYSEXT, SYSTEAM, "activated_enabled");
    vr = &mk_judge(&k)->vendors[0];
    assert_null(vr->sysexts[0].entry);
    assert_true(mk_has_code(vr, KC_F_TEAM_MISMATCH));
    mk_free(&k);
}

/* The words name the team the extension should have been under. */
static void mismatch_words_name_sysext_team(void **state)
{
    mk_model k;
    const kc_vendor_result *vr;
    const kc_finding *f;

    (void)state;
    mk_init(&k);
    vendor_with_sysext_team(&k, SYSTEAM);
    mk_sysext_entry(&k, SYSEXT, TEAM, "activated_enabled");
    vr = &mk_advise(&k)->vendors[0];
    f = mk_finding(vr, KC_F_TEAM_MISMATCH, SYSEXT);
    assert_non_null(f);
    mk_expect_message(f, "registered under team " TEAM ", not " SYSTEAM);
    mk_free(&k);
}

/* The kexts are still judged on the kexts' team. */
static void kexts_keep_kext_team(void **state)
{
    mk_model k;
    kc_vendor_evidence *ve;
    const kc_vendor_result *vr;

    (void)state;
    mk_init(&k);
    ve = vendor_with_sysext_team(&k, SYSTEAM);
    mk_policy(ve, TEAM, MK_GUARD, 1, MK_DEVELOPER);
    mk_sysext_entry(&k, SYSEXT, SYSTEAM, "activated_enabled");
    vr = &mk_judge(&k)->vendors[0];
    assert_int_equal(vr->kexts[0].policy, KC_POLICY_ALLOWED);
    assert_false(mk_has_code(vr, KC_F_TEAM_MISMATCH));
    mk_free(&k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(matched_on_sysext_team),
        cmocka_unit_test(kext_team_is_a_mismatch),
        cmocka_unit_test(default_is_kext_team),
        cmocka_unit_test(mismatch_words_name_sysext_team),
        cmocka_unit_test(kexts_keep_kext_team),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
