/* Unit tests for core/profiles.c: the system-extension and kernel-extension
 * policies from a managed-preferences plist or a whole configuration
 * profile.  The real profiles are read from tests/realworld/profiles (copied
 * there on another branch) or, failing that, /work/shared/realworld/profiles;
 * that test says it is skipped when neither exists.  The broken inputs are
 * built here with libplist, as XML and as binary, or byte by byte where
 * libplist cannot make them (a NUL in a key). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "platform.h"
#include "testutil.h"

#include <dirent.h>
#include <plist/plist.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef KC_REALWORLD_DIR
#error "KC_REALWORLD_DIR must name tests/realworld"
#endif
#define SHARED_REALWORLD "/work/shared/realworld"

#define TEAM "ABCDE12345"
#define TEAM2 "54GTJ2AU36"
#define TEAM3 "ZZZZZ99999"

/* A string literal and its length, NUL bytes included. */
#define T(s) (s), (sizeof(s) - 1)

/* ---- helpers -------------------------------------------------------------------- */

typedef tu_buf buf;

static void check_why(const char *why, const char *word)
{
    if (strstr(why, word) == NULL)
        fail_msg("got \"%s\", wanted \"%s\" in it", why, word);
    assert_true(tu_valid_utf8(why, strlen(why)));
}

static const kc_team_ids *team_in(const kc_team_map *m, const char *team)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->v[i].team_id, team) == 0)
            return &m->v[i];
    fail_msg("team \"%s\" not in the map", team);
    return NULL;
}

/* ---- the system-extension policy -------------------------------------------------- */

static plist_t good_sysext(void)
{
    plist_t d = plist_new_dict();

    plist_dict_set_item(d, "AllowUserOverrides", plist_new_bool(0));
    plist_dict_set_item(d, "AllowedTeamIdentifiers", tu_plist_strings(TEAM, TEAM2, TEAM, NULL));
    plist_dict_set_item(d, "AllowedSystemExtensions",
                        tu_plist_dict1(TEAM, tu_plist_strings("com.example.es", "com.example.net", NULL)));
    plist_dict_set_item(d, "AllowedSystemExtensionTypes",
                        tu_plist_dict1(TEAM, tu_plist_strings("EndpointSecurityExtension", NULL)));
    plist_dict_set_item(d, "RemovableSystemExtensions", tu_plist_dict1(TEAM, tu_plist_strings("com.example.net",
                                                                             NULL)));
    plist_dict_set_item(d, "NonRemovableSystemExtensions", tu_plist_dict1(TEAM2, tu_plist_strings(NULL)));
    plist_dict_set_item(d, "NonRemovableFromUISystemExtensions",
                        tu_plist_dict1(TEAM, tu_plist_strings("com.example.es", NULL)));
    plist_dict_set_item(d, "PayloadType", plist_new_string("com.apple.system-extension-policy"));
    return d;
}

static void sysext_policy_read(void **state)
{
    (void)state;
    for (int binary = 0; binary < 2; binary++) {
        buf b = tu_plist_bytes(good_sysext(), binary);
        kc_sysext_policy p;
        char why[512];
        const kc_team_ids *t;

        memset(&p, 0, sizeof(p));
        if (kc_parse_sysext_policy(b.p, b.n, &p, why, sizeof(why)) != 0)
            fail_msg("refused: %s", why);
        assert_int_equal(p.allow_user_overrides, KC_NO);
        assert_int_equal(p.allowed_teams.n, 2); /* the repeated team counted once */
        assert_string_equal(p.allowed_teams.v[0], TEAM);
        t = team_in(&p.allowed, TEAM);
        assert_int_equal(t->ids.n, 2);
        assert_string_equal(t->ids.v[1], "com.example.net");
        assert_string_equal(team_in(&p.allowed_types, TEAM)->ids.v[0],
                            "EndpointSecurityExtension");
        assert_int_equal(p.removable.n, 1);
        assert_int_equal(team_in(&p.non_removable, TEAM2)->ids.n, 0);
        assert_int_equal(p.non_removable_ui.n, 1);
        /* A second parse into the same struct frees the first. */
        assert_int_equal(kc_parse_sysext_policy(b.p, b.n, &p, why, sizeof(why)), 0);
        kc_sysext_policy_free(&p);
        assert_int_equal(p.allow_user_overrides, KC_UNKNOWN);
        assert_int_equal(p.allowed.n, 0);
        free(b.p);
    }
}

static void sysext_policy_minimal(void **state)
{
    buf b = tu_plist_bytes(plist_new_dict(), false);
    kc_sysext_policy p;
    char why[512];

    (void)state;
    memset(&p, 0, sizeof(p));
    assert_int_equal(kc_parse_sysext_policy(b.p, b.n, &p, why, sizeof(why)), 0);
    /* Absent: unknown here, which the payload's default makes "true". */
    assert_int_equal(p.allow_user_overrides, KC_UNKNOWN);
    assert_int_equal(p.allowed_teams.n, 0);
    assert_int_equal(p.allowed.n, 0);
    kc_sysext_policy_free(&p);
    free(b.p);
}

static void expect_sysext_fail(buf b, const char *word)
{
    kc_sysext_policy p;
    char why[1024];

    memset(&p, 0, sizeof(p));
    why[0] = '\0';
    assert_int_equal(kc_parse_sysext_policy(b.p, b.n, &p, why, sizeof(why)), -1);
    check_why(why, word);
    assert_int_equal(p.allow_user_overrides, KC_UNKNOWN);
    assert_int_equal(p.allowed_teams.n, 0);
    assert_int_equal(p.allowed.n, 0);
    assert_int_equal(p.allowed_types.n, 0);
    free(b.p);
}

/* good_sysext() with key set to value. */
static plist_t sysext_with(const char *key, plist_t value)
{
    plist_t d = good_sysext();

    plist_dict_set_item(d, key, value);
    return d;
}

static void sysext_policy_refused(void **state)
{
    plist_t arr, big;

    (void)state;
    for (int binary = 0; binary < 2; binary++) {
        expect_sysext_fail(tu_plist_bytes(sysext_with("AllowUserOverrides", plist_new_string("yes")),
                                    binary), "AllowUserOverrides is a string, expected a boolean");
        expect_sysext_fail(tu_plist_bytes(sysext_with("AllowedTeamIdentifiers", plist_new_dict()),
                                    binary), "AllowedTeamIdentifiers is a dictionary");
        expect_sysext_fail(tu_plist_bytes(sysext_with("AllowedTeamIdentifiers",
                                                tu_plist_strings("abcde12345", NULL)), binary),
                           "AllowedTeamIdentifiers[0]: expected a team ID");
        arr = tu_plist_strings(TEAM, NULL);
        plist_array_append_item(arr, plist_new_uint(7));
        expect_sysext_fail(tu_plist_bytes(sysext_with("AllowedTeamIdentifiers", arr), binary),
                           "AllowedTeamIdentifiers[1] is an integer");
        expect_sysext_fail(tu_plist_bytes(sysext_with("AllowedSystemExtensions", tu_plist_strings(NULL)),
                                    binary), "AllowedSystemExtensions is an array");
        expect_sysext_fail(tu_plist_bytes(sysext_with("AllowedSystemExtensions",
                                                tu_plist_dict1("", tu_plist_strings("x", NULL))), binary),
                           "the key \"\" is not a team ID");
        expect_sysext_fail(tu_plist_bytes(sysext_with("RemovableSystemExtensions",
                                                tu_plist_dict1("NOTATEAMID!", tu_plist_strings("x", NULL))),
                                    binary), "RemovableSystemExtensions: the key");
        expect_sysext_fail(tu_plist_bytes(sysext_with("AllowedSystemExtensionTypes",
                                                tu_plist_dict1(TEAM, plist_new_string("Network"))),
                                    binary), "AllowedSystemExtensionTypes[\"ABCDE12345\"] is "
                                             "a string, expected an array");
        expect_sysext_fail(tu_plist_bytes(sysext_with("NonRemovableSystemExtensions",
                                                tu_plist_dict1(TEAM, tu_plist_strings("", NULL))), binary),
                           "NonRemovableSystemExtensions[\"ABCDE12345\"][0]: expected an "
                           "identifier");
        arr = plist_new_array();
        plist_array_append_item(arr, plist_new_bool(1));
        expect_sysext_fail(tu_plist_bytes(sysext_with("NonRemovableFromUISystemExtensions",
                                                tu_plist_dict1(TEAM, arr)), binary),
                           "[0] is a boolean");
        /* Bounded: more entries than the limit are refused, not processed. */
        big = plist_new_array();
        for (int i = 0; i < 4097; i++)
            plist_array_append_item(big, plist_new_string(TEAM));
        expect_sysext_fail(tu_plist_bytes(sysext_with("AllowedTeamIdentifiers", big), binary),
                           "more than 4096");
    }
}

/* A NUL inside a binary plist string: libplist 2.2 measures strings with
 * strlen and would show only "com.example"; kc_plist_parse finds the NUL
 * through the offset table and the policy is refused, never read short. */
static void sysext_nul_in_string(void **state)
{
    buf b = tu_plist_bytes(tu_plist_dict1("AllowedSystemExtensions", tu_plist_dict1(TEAM, tu_plist_strings("com.exampleXes",
                                                                        NULL))), true);
    kc_sysext_policy p;
    char why[512];
    char *at = NULL;

    (void)state;
    for (size_t i = 0; i + 14 <= b.n; i++)
        if (memcmp(b.p + i, "com.exampleXes", 14) == 0)
            at = b.p + i;
    assert_non_null(at);
    at[11] = '\0';
    memset(&p, 0, sizeof(p));
    assert_int_equal(kc_parse_sysext_policy(b.p, b.n, &p, why, sizeof(why)), -1);
    assert_non_null(strstr(why, "NUL character"));
    assert_int_equal(p.allowed.n, 0);
    kc_sysext_policy_free(&p);
    free(b.p);
}

static void sysext_policy_file(void **state)
{
    tu_tmp *t = tu_tmp_new("profiles", "com.apple.system-extension-policy.plist");
    kc_sysext_policy p;
    buf b = tu_plist_bytes(good_sysext(), true);
    char why[512], link[4300];
    int rc;

    (void)state;
    memset(&p, 0, sizeof(p));
    assert_int_equal(kc_read_sysext_policy(t->path, &p, why, sizeof(why)), 0);
    tu_write_bytes(t->path, b.p, b.n);
    rc = kc_read_sysext_policy(t->path, &p, why, sizeof(why));
    if (rc != 1)
        fail_msg("refused: %s", why);
    assert_int_equal(p.allow_user_overrides, KC_NO);
    tu_join(link, sizeof(link), t->dir, "link.plist");
    assert_int_equal(symlink(t->path, link), 0);
    assert_int_equal(kc_read_sysext_policy(link, &p, why, sizeof(why)), -1);
    check_why(why, "symbolic link");
    assert_int_equal(p.allowed.n, 0);
    kc_sysext_policy_free(&p);
    free(b.p);
    tu_tmp_free(t);
}

/* ---- the kernel-extension policy ---------------------------------------------------- */

static plist_t good_kext(void)
{
    plist_t d = plist_new_dict(), kexts = plist_new_dict();

    plist_dict_set_item(d, "AllowUserOverrides", plist_new_bool(1));
    plist_dict_set_item(d, "AllowNonAdminUserApprovals", plist_new_bool(0));
    plist_dict_set_item(d, "AllowedTeamIdentifiers", tu_plist_strings(TEAM2, TEAM, TEAM2, NULL));
    plist_dict_set_item(kexts, TEAM3, tu_plist_strings("com.example.c", NULL));
    plist_dict_set_item(kexts, "", tu_plist_strings("com.legacy.unsigned", NULL));
    plist_dict_set_item(kexts, TEAM, tu_plist_strings("com.example.a", "com.example.b", NULL));
    plist_dict_set_item(kexts, TEAM2, tu_plist_strings(NULL));
    plist_dict_set_item(d, "AllowedKernelExtensions", kexts);
    return d;
}

/* Every part of p is unknown or empty. */
static void assert_kext_unknown(const kc_kext_policy *p)
{
    assert_int_equal(p->allow_user_overrides, KC_UNKNOWN);
    assert_int_equal(p->allow_non_admin_approvals, KC_UNKNOWN);
    assert_int_equal(p->allowed_teams.n, 0);
    assert_null(p->allowed.v);
    assert_int_equal(p->allowed.n, 0);
}

static void kext_policy_read(void **state)
{
    (void)state;
    for (int binary = 0; binary < 2; binary++) {
        buf b = tu_plist_bytes(good_kext(), binary);
        kc_kext_policy p;
        char why[512];

        memset(&p, 0, sizeof(p));
        if (kc_parse_kext_policy(b.p, b.n, &p, why, sizeof(why)) != 0)
            fail_msg("refused: %s", why);
        assert_int_equal(p.allow_user_overrides, KC_YES);
        assert_int_equal(p.allow_non_admin_approvals, KC_NO);
        /* The repeated team counted once, in the order given. */
        assert_int_equal(p.allowed_teams.n, 2);
        assert_string_equal(p.allowed_teams.v[0], TEAM2);
        assert_string_equal(p.allowed_teams.v[1], TEAM);
        /* The teams of AllowedKernelExtensions in the order given, "" (unsigned
         * kexts) and a team with no bundle ID included. */
        assert_int_equal(p.allowed.n, 4);
        assert_string_equal(p.allowed.v[0].team_id, TEAM3);
        assert_string_equal(p.allowed.v[0].ids.v[0], "com.example.c");
        assert_string_equal(p.allowed.v[1].team_id, "");
        assert_string_equal(p.allowed.v[1].ids.v[0], "com.legacy.unsigned");
        assert_string_equal(p.allowed.v[2].team_id, TEAM);
        assert_int_equal(p.allowed.v[2].ids.n, 2);
        assert_string_equal(p.allowed.v[2].ids.v[0], "com.example.a");
        assert_string_equal(p.allowed.v[2].ids.v[1], "com.example.b");
        assert_string_equal(p.allowed.v[3].team_id, TEAM2);
        assert_int_equal(p.allowed.v[3].ids.n, 0);
        /* A second parse into the same struct replaces the first. */
        assert_int_equal(kc_parse_kext_policy(b.p, b.n, &p, why, sizeof(why)), 0);
        assert_int_equal(p.allowed_teams.n, 2);
        assert_int_equal(p.allowed.n, 4);
        kc_kext_policy_free(&p);
        assert_kext_unknown(&p);
        free(b.p);
    }
}

static void kext_policy_minimal(void **state)
{
    buf b = tu_plist_bytes(plist_new_dict(), false);
    kc_kext_policy p;
    char why[512];

    (void)state;
    memset(&p, 0, sizeof(p));
    assert_int_equal(kc_parse_kext_policy(b.p, b.n, &p, why, sizeof(why)), 0);
    /* Absent: unknown here, which the payload's default makes "false". */
    assert_kext_unknown(&p);
    free(b.p);
    b = tu_plist_bytes(tu_plist_dict1("AllowUserOverrides", plist_new_bool(0)), true);
    assert_int_equal(kc_parse_kext_policy(b.p, b.n, &p, why, sizeof(why)), 0);
    assert_int_equal(p.allow_user_overrides, KC_NO);
    assert_int_equal(p.allow_non_admin_approvals, KC_UNKNOWN);
    assert_int_equal(p.allowed_teams.n, 0);
    assert_int_equal(p.allowed.n, 0);
    kc_kext_policy_free(&p);
    free(b.p);
}

/* b (freed) must be refused with word in the reason, leaving p unknown
 * even when it held a policy before. */
static void expect_kext_fail(buf b, const char *word)
{
    buf good = tu_plist_bytes(good_kext(), true);
    kc_kext_policy p;
    char why[1024];

    memset(&p, 0, sizeof(p));
    assert_int_equal(kc_parse_kext_policy(good.p, good.n, &p, why, sizeof(why)), 0);
    assert_int_equal(p.allowed.n, 4);
    why[0] = '\0';
    assert_int_equal(kc_parse_kext_policy(b.p, b.n, &p, why, sizeof(why)), -1);
    check_why(why, word);
    assert_kext_unknown(&p);
    free(good.p);
    free(b.p);
}

/* good_kext() with key set to value. */
static plist_t kext_with(const char *key, plist_t value)
{
    plist_t d = good_kext();

    plist_dict_set_item(d, key, value);
    return d;
}

static void kext_policy_refused(void **state)
{
    plist_t arr, kexts;

    (void)state;
    for (int binary = 0; binary < 2; binary++) {
        expect_kext_fail(tu_plist_bytes(tu_plist_dict1("AllowedTeamIdentifiers", plist_new_string(TEAM)),
                                  binary),
                         "AllowedTeamIdentifiers is a string, expected an array");
        expect_kext_fail(tu_plist_bytes(kext_with("AllowedTeamIdentifiers", plist_new_uint(3)),
                                  binary),
                         "AllowedTeamIdentifiers is an integer, expected an array");
        arr = tu_plist_strings(TEAM, NULL);
        plist_array_append_item(arr, plist_new_uint(5));
        expect_kext_fail(tu_plist_bytes(tu_plist_dict1("AllowedTeamIdentifiers", arr), binary),
                         "AllowedTeamIdentifiers[1] is an integer");
        expect_kext_fail(tu_plist_bytes(tu_plist_dict1("AllowedTeamIdentifiers",
                                        tu_plist_strings(TEAM, "abcde12345", NULL)), binary),
                         "AllowedTeamIdentifiers[1]: expected a team ID (10 characters of "
                         "A-Z and 0-9), got \"abcde12345\"");
        expect_kext_fail(tu_plist_bytes(tu_plist_dict1("AllowUserOverrides", plist_new_string("yes")), binary),
                         "AllowUserOverrides is a string, expected a boolean");
        expect_kext_fail(tu_plist_bytes(kext_with("AllowUserOverrides", plist_new_uint(1)), binary),
                         "AllowUserOverrides is an integer");
        expect_kext_fail(tu_plist_bytes(kext_with("AllowNonAdminUserApprovals", plist_new_uint(1)),
                                  binary),
                         "AllowNonAdminUserApprovals is an integer");
        expect_kext_fail(tu_plist_bytes(tu_plist_dict1("AllowedKernelExtensions", tu_plist_strings("com.a", NULL)),
                                  binary),
                         "AllowedKernelExtensions is an array, expected a dictionary");
        expect_kext_fail(tu_plist_bytes(tu_plist_dict1("AllowedKernelExtensions",
                                        tu_plist_dict1(TEAM, plist_new_string("com.a"))), binary),
                         "AllowedKernelExtensions[\"" TEAM "\"] is a string");
        kexts = tu_plist_dict1(TEAM, tu_plist_strings("com.a", NULL));
        plist_dict_set_item(kexts, "not a team", tu_plist_strings("com.b", NULL));
        expect_kext_fail(tu_plist_bytes(tu_plist_dict1("AllowedKernelExtensions", kexts), binary),
                         "the key \"not a team\" is not a team ID");
        arr = tu_plist_strings("com.a", NULL);
        plist_array_append_item(arr, plist_new_bool(1));
        expect_kext_fail(tu_plist_bytes(tu_plist_dict1("AllowedKernelExtensions", tu_plist_dict1(TEAM, arr)), binary),
                         "AllowedKernelExtensions[\"" TEAM "\"][1] is a boolean");
        /* An empty bundle ID. */
        expect_kext_fail(tu_plist_bytes(tu_plist_dict1("AllowedKernelExtensions",
                                        tu_plist_dict1(TEAM, tu_plist_strings("", NULL))), binary),
                         "AllowedKernelExtensions[\"" TEAM "\"][0]: expected an identifier");
        /* An error after good parts leaves nothing behind. */
        kexts = good_kext();
        plist_dict_set_item(plist_dict_get_item(kexts, "AllowedKernelExtensions"), "BADTEAM",
                            tu_plist_strings("x", NULL));
        expect_kext_fail(tu_plist_bytes(kexts, binary), "\"BADTEAM\"");
    }
}

/* A NUL in a key of AllowedKernelExtensions (libplist 2.2 asserted in
 * plist_dict_next_item on the UTF-16 one, aborting the process; the ASCII
 * one was cut to a valid team ID): refused by kc_plist_parse. */
static void kext_nul_in_key(void **state)
{
    tu_bplist w;
    kc_kext_policy p;
    char why[512];

    (void)state;
    tu_bp_kext_policy_key(&w, T("AB\0CDE1234\xe9"), true);
    expect_kext_fail(tu_buf_copy((const char *)w.b, w.len), "contains a NUL character");
    tu_bp_kext_policy_key(&w, T(TEAM3 "\0\xe9"), true);
    expect_kext_fail(tu_buf_copy((const char *)w.b, w.len), "contains a NUL character");
    tu_bp_kext_policy_key(&w, T(TEAM3 "\0junk"), false);
    expect_kext_fail(tu_buf_copy((const char *)w.b, w.len), "contains a NUL character");
    tu_bp_kext_policy_key(&w, T("\0"), true);
    expect_kext_fail(tu_buf_copy((const char *)w.b, w.len), "contains a NUL character");
    /* The same plist without the NUL is read, both teams kept. */
    tu_bp_kext_policy_key(&w, T(TEAM3), true);
    memset(&p, 0, sizeof(p));
    if (kc_parse_kext_policy((const char *)w.b, w.len, &p, why, sizeof(why)) != 0)
        fail_msg("refused: %s", why);
    assert_int_equal(p.allowed.n, 2);
    assert_string_equal(p.allowed.v[0].team_id, TEAM3);
    assert_string_equal(p.allowed.v[0].ids.v[0], "com.example.x");
    assert_string_equal(p.allowed.v[1].team_id, TEAM);
    assert_string_equal(p.allowed.v[1].ids.v[0], "com.example.y");
    kc_kext_policy_free(&p);
}

/* Keys as the message shows them: every byte value, long keys. */
static void kext_key_text(void **state)
{
    tu_bplist w;
    char key[300];

    (void)state;
    /* UTF-16 (non-ASCII) keys come back as UTF-8 in the message. */
    tu_bp_kext_policy_key(&w, T("\xc4" "BCDE1234"), true);
    expect_kext_fail(tu_buf_copy((const char *)w.b, w.len),
                     "the key \"\xc3\x84" "BCDE1234\" is not a team ID");
    tu_bp_kext_policy_key(&w, T("ABCDE1234\x7f"), false);
    expect_kext_fail(tu_buf_copy((const char *)w.b, w.len), "the key \"ABCDE1234\\x7f\"");
    tu_bp_kext_policy_key(&w, T(TEAM "X"), false);
    expect_kext_fail(tu_buf_copy((const char *)w.b, w.len),
                     "the key \"" TEAM "X\" is not a team ID");
    tu_bp_kext_policy_key(&w, T("\x01"), false);
    expect_kext_fail(tu_buf_copy((const char *)w.b, w.len), "the key \"\\x01\"");
    /* A long key: about 60 bytes shown, then "...". */
    memset(key, 'K', sizeof(key));
    tu_bp_kext_policy_key(&w, key, 200, false);
    expect_kext_fail(tu_buf_copy((const char *)w.b, w.len),
                     "\"KKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKK\"...");
    /* 61 bytes: one more than shown, still marked as cut. */
    tu_bp_kext_policy_key(&w, key, 61, true);
    expect_kext_fail(tu_buf_copy((const char *)w.b, w.len), "KKK\"...");
}

/* b (freed) must be refused by both policy parsers with word in the reason. */
static void expect_bytes_fail(buf b, const char *word)
{
    expect_kext_fail(tu_buf_copy(b.p, b.n), word);
    expect_sysext_fail(b, word);
}

static void policy_bytes_refused(void **state)
{
    static const char signed_profile[] = "\x30\x80\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02";
    static const char xml_nul[] = "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict>\0"
                                  "</dict></plist>";
    static const char damaged[] = "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>";
    static const char bplist_bad[] = "bplist00\xff\xff\xff\xff\xff\xff\xff\xff";
    char *big;

    (void)state;
    expect_bytes_fail(tu_buf_copy(signed_profile, sizeof(signed_profile) - 1), "signed (CMS)");
    expect_bytes_fail(tu_buf_copy(xml_nul, sizeof(xml_nul) - 1), "NUL");
    expect_bytes_fail(tu_buf_copy(damaged, sizeof(damaged) - 1), "damaged XML");
    expect_bytes_fail(tu_buf_copy(bplist_bad, sizeof(bplist_bad) - 1), "damaged binary");
    expect_bytes_fail(tu_buf_copy("<a/>", 4), "too short");
    expect_bytes_fail(tu_buf_copy("", 0), "too short");
    expect_bytes_fail(tu_plist_bytes(tu_plist_strings(TEAM, NULL), false), "top level is an array");
    expect_bytes_fail(tu_plist_bytes(plist_new_string("x"), true), "top level is a string");
    big = malloc(KC_TEXT_MAX_BYTES + 1);
    assert_non_null(big);
    memset(big, ' ', KC_TEXT_MAX_BYTES + 1);
    expect_bytes_fail((buf){big, KC_TEXT_MAX_BYTES + 1}, "larger than");
}

/* ---- configuration profiles ----------------------------------------------------------- */

static plist_t payload(const char *type, plist_t body)
{
    plist_dict_set_item(body, "PayloadType", plist_new_string(type));
    plist_dict_set_item(body, "PayloadVersion", plist_new_uint(1));
    return body;
}

static plist_t profile_of(plist_t content)
{
    plist_t d = plist_new_dict();

    plist_dict_set_item(d, "PayloadType", plist_new_string("Configuration"));
    plist_dict_set_item(d, "PayloadIdentifier", plist_new_string("com.example.profile"));
    plist_dict_set_item(d, "PayloadDisplayName", plist_new_string("Example"));
    if (content != NULL)
        plist_dict_set_item(d, "PayloadContent", content);
    return d;
}

static void expect_profile_fail(buf b, const char *word)
{
    kc_profile p;
    char why[1024];

    memset(&p, 0, sizeof(p));
    why[0] = '\0';
    assert_int_equal(kc_parse_profile(b.p, b.n, &p, why, sizeof(why)), -1);
    check_why(why, word);
    assert_int_equal(p.n_kext, 0);
    assert_int_equal(p.n_sysext, 0);
    assert_null(p.identifier);
    free(b.p);
}

static void profile_built(void **state)
{
    plist_t content = plist_new_array();
    kc_profile p;
    char why[512];
    buf b;

    (void)state;
    plist_array_append_item(content, payload("com.apple.TCC.configuration-profile-policy",
                                             plist_new_dict()));
    plist_array_append_item(content, payload("com.apple.syspolicy.kernel-extension-policy",
                                             tu_plist_dict1("AllowedTeamIdentifiers",
                                                   tu_plist_strings(TEAM, NULL))));
    plist_array_append_item(content, payload("com.apple.system-extension-policy", good_sysext()));
    b = tu_plist_bytes(profile_of(content), true);
    memset(&p, 0, sizeof(p));
    if (kc_parse_profile(b.p, b.n, &p, why, sizeof(why)) != 0)
        fail_msg("refused: %s", why);
    assert_string_equal(p.identifier, "com.example.profile");
    assert_string_equal(p.display_name, "Example");
    assert_int_equal(p.n_payloads, 3);
    assert_int_equal(p.n_kext, 1);
    assert_int_equal(p.n_sysext, 1);
    assert_string_equal(p.kext[0].allowed_teams.v[0], TEAM);
    assert_int_equal(p.kext[0].allow_user_overrides, KC_UNKNOWN);
    assert_int_equal(p.sysext[0].allow_user_overrides, KC_NO);
    kc_profile_free(&p);
    assert_int_equal(p.n_sysext, 0);
    free(b.p);
}

static void profile_refused(void **state)
{
    plist_t content;

    (void)state;
    expect_profile_fail(tu_plist_bytes(profile_of(NULL), false), "no PayloadContent");
    expect_profile_fail(tu_plist_bytes(profile_of(plist_new_dict()), false),
                        "PayloadContent is a dictionary");
    content = plist_new_array();
    plist_array_append_item(content, plist_new_string("x"));
    expect_profile_fail(tu_plist_bytes(profile_of(content), false),
                        "PayloadContent[0] is a string, expected a dictionary");
    content = plist_new_array();
    plist_array_append_item(content, plist_new_dict());
    expect_profile_fail(tu_plist_bytes(profile_of(content), false),
                        "PayloadContent[0].PayloadType is missing");
    content = plist_new_array();
    plist_array_append_item(content, tu_plist_dict1("PayloadType", plist_new_bool(1)));
    expect_profile_fail(tu_plist_bytes(profile_of(content), true),
                        "PayloadContent[0].PayloadType is a boolean");
    /* A payload's own error is named with its place. */
    content = plist_new_array();
    plist_array_append_item(content, payload("com.apple.system-extension-policy",
                                             tu_plist_dict1("AllowUserOverrides", plist_new_uint(0))));
    expect_profile_fail(tu_plist_bytes(profile_of(content), false),
                        "PayloadContent[0].AllowUserOverrides is an integer");
    /* More payloads of one type than kept. */
    content = plist_new_array();
    for (int i = 0; i < KC_PROFILE_MAX_POLICIES + 1; i++)
        plist_array_append_item(content, payload("com.apple.syspolicy.kernel-extension-policy",
                                                 plist_new_dict()));
    expect_profile_fail(tu_plist_bytes(profile_of(content), true), "more than 16");
    content = profile_of(plist_new_array());
    plist_dict_set_item(content, "PayloadDisplayName", plist_new_uint(3));
    expect_profile_fail(tu_plist_bytes(content, false), "PayloadDisplayName is an integer");
}

/* ---- the real profiles ---------------------------------------------------------------------- */

static const char *realworld_profiles(char *buf, size_t buflen)
{
    static const char *const dirs[] = {KC_REALWORLD_DIR "/profiles",
                                       SHARED_REALWORLD "/profiles"};
    struct stat st;

    for (size_t i = 0; i < 2; i++)
        if (stat(dirs[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            kc_snprintf(buf, buflen, "%s", dirs[i]);
            return buf;
        }
    return NULL;
}

static void parse_real(const char *dir, const char *name, kc_profile *p)
{
    char path[4096], why[512];
    char *data = NULL;
    size_t len = 0;

    tu_join(path, sizeof(path), dir, name);
    if (kc_read_file(path, KC_TEXT_MAX_BYTES, &data, &len, why, sizeof(why)) != 0)
        fail_msg("%s: %s", path, why);
    memset(p, 0, sizeof(*p));
    if (kc_parse_profile(data, len, p, why, sizeof(why)) != 0)
        fail_msg("%s refused: %s", name, why);
    free(data);
}

static void real_profiles(void **state)
{
    char dirbuf[4096];
    const char *dir = realworld_profiles(dirbuf, sizeof(dirbuf));
    DIR *d;
    struct dirent *e;
    size_t count = 0;
    kc_profile p;
    const kc_team_ids *t;

    (void)state;
    if (dir == NULL) {
        print_message("skipped: no real profiles in " KC_REALWORLD_DIR "/profiles or "
                      SHARED_REALWORLD "/profiles\n");
        skip();
        return;
    }
    /* Every profile there parses. */
    d = opendir(dir);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 13 || strcmp(e->d_name + n - 13, ".mobileconfig") != 0)
            continue;
        parse_real(dir, e->d_name, &p);
        assert_true(p.n_kext + p.n_sysext >= 1);
        kc_profile_free(&p);
        count++;
    }
    closedir(d);
    assert_true(count >= 10);

    parse_real(dir, "kandji_crowdstrike_settings_with_kext_macOS15.mobileconfig", &p);
    assert_string_equal(p.identifier, "com.kandji.crowdstrike");
    assert_int_equal(p.n_payloads, 5);
    assert_int_equal(p.n_sysext, 1);
    assert_int_equal(p.n_kext, 1);
    assert_int_equal(p.sysext[0].allow_user_overrides, KC_YES);
    assert_string_equal(team_in(&p.sysext[0].allowed, "X9E956P446")->ids.v[0],
                        "com.crowdstrike.falcon.Agent");
    t = team_in(&p.sysext[0].allowed_types, "X9E956P446");
    assert_int_equal(t->ids.n, 2);
    assert_string_equal(t->ids.v[1], "NetworkExtension");
    assert_int_equal(p.sysext[0].non_removable_ui.n, 1);
    assert_int_equal(p.sysext[0].removable.n, 0);
    assert_string_equal(p.kext[0].allowed_teams.v[0], "X9E956P446");
    assert_int_equal(p.kext[0].allow_user_overrides, KC_UNKNOWN);
    kc_profile_free(&p);

    parse_real(dir, "mdatp-xplat_mdatp_combined_970f652a.mobileconfig", &p);
    assert_int_equal(p.n_kext, 1);
    assert_int_equal(p.kext[0].allow_user_overrides, KC_NO);
    assert_int_equal(p.kext[0].allow_non_admin_approvals, KC_NO);
    assert_int_equal(team_in(&p.sysext[0].allowed, "UBF8T346G9")->ids.n, 3);
    kc_profile_free(&p);

    parse_real(dir, "kandji_Sentinel-One-Combined-Profile.mobileconfig", &p);
    assert_int_equal(p.n_kext, 0);
    assert_int_equal(p.n_sysext, 1);
    assert_string_equal(p.sysext[0].allowed_teams.v[0], "4AYE5J54KN");
    kc_profile_free(&p);

    parse_real(dir, "apple-devdocs_SystemPolicyKernelExtensions_example.mobileconfig", &p);
    assert_int_equal(p.n_kext, 1);
    assert_int_equal(p.kext[0].allow_user_overrides, KC_NO);
    assert_string_equal(team_in(&p.kext[0].allowed, "")->ids.v[0], "com.example.mydriver");
    assert_string_equal(team_in(&p.kext[0].allowed, "ABCDE12345")->ids.v[0],
                        "com.example.kext.mydriver");
    kc_profile_free(&p);

    parse_real(dir, "kandji_VirtualBox.mobileconfig", &p);
    assert_int_equal(team_in(&p.kext[0].allowed, "VB5E2TV963")->ids.n, 4);
    kc_profile_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sysext_policy_read),
        cmocka_unit_test(sysext_policy_minimal),
        cmocka_unit_test(sysext_policy_refused),
        cmocka_unit_test(sysext_nul_in_string),
        cmocka_unit_test(policy_bytes_refused),
        cmocka_unit_test(sysext_policy_file),
        cmocka_unit_test(kext_policy_read),
        cmocka_unit_test(kext_policy_minimal),
        cmocka_unit_test(kext_policy_refused),
        cmocka_unit_test(kext_nul_in_key),
        cmocka_unit_test(kext_key_text),
        cmocka_unit_test(profile_built),
        cmocka_unit_test(profile_refused),
        cmocka_unit_test(real_profiles),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
