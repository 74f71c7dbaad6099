/* Unit tests for core/bplist.c: the system extension database read in
 * place gives exactly what libplist gives, for every file the reader
 * accepts (built here with libplist's own writer, then damaged at random),
 * and the files it declines are read through libplist as before. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "bplist.h"
#include "testutil.h"

#include <plist/plist.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- building databases --------------------------------------------------- */

/* The binary form of root (freed here). */
static char *to_bin(plist_t root, uint32_t *len)
{
    char *bin = NULL;

    plist_to_bin(root, &bin, len);
    plist_free(root);
    assert_non_null(bin);
    return bin;
}

static char *db_of(plist_t extensions, uint32_t *len)
{
    plist_t root = plist_new_dict();

    plist_dict_set_item(root, "extensionPolicies", plist_new_array());
    if (extensions != NULL)
        plist_dict_set_item(root, "extensions", extensions);
    return to_bin(root, len);
}

/* A realistic database: vendors' extensions, non-ASCII text (UTF-16 in the
 * file), an entry without bundleVersion, one with only a build number. */
static char *sample_db(uint32_t *len, int fillers)
{
    plist_t arr = plist_new_array();
    char id[64];

    plist_array_append_item(arr, tu_plist_sysext("com.sophos.endpoint.scanextension", "2H5GFH3774",
                                       "activated_enabled", "1.0.4", "1.0.4"));
    plist_array_append_item(arr, tu_plist_sysext("com.sophos.endpoint.networkextension", "2H5GFH3774",
                                       "activated_waiting_to_upgrade", "1.0.4", "104"));
    plist_array_append_item(arr, tu_plist_sysext("com.example.\xc3\xa9t\xc3\xa9", "ABCDE12345",
                                       "activated_waiting_for_user", NULL, NULL));
    plist_array_append_item(arr, tu_plist_sysext("com.example.build", "ABCDE12345", "uninstalling",
                                       NULL, "77"));
    plist_array_append_item(arr, tu_plist_sysext("com.example.\xe2\x82\xac", "ZZZZZ99999", "", "2", NULL));
    for (int i = 0; i < fillers; i++) {
        snprintf(id, sizeof(id), "com.example.filler.ext%d", i);
        plist_array_append_item(arr, tu_plist_sysext(id, "FILLER0001", "activated_enabled", "1", "1"));
    }
    return db_of(arr, len);
}

/* ---- comparing the two readers -------------------------------------------- */

static void ev_init(kc_evidence *ev)
{
    memset(ev, 0, sizeof(*ev));
    kc_evidence_free(ev);
}

static bool same_str(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Reads data with the in-place reader and with libplist.  Returns false
 * when the reader declined the file (libplist's answer is what kextcheck
 * gives then, through KC_SYSEXT_AUTO, checked here too); otherwise fails
 * unless both gave the same answer. */
static bool same_answer(const char *data, size_t len)
{
    kc_evidence fast, slow, autom;
    char why_fast[512], why_slow[512], why_auto[512];
    int rf, rs, ra;
    bool handled;

    ev_init(&fast);
    ev_init(&slow);
    ev_init(&autom);
    rf = kc_sysext_db_parse(data, len, KC_SYSEXT_BPLIST, &fast, why_fast, sizeof(why_fast));
    rs = kc_sysext_db_parse(data, len, KC_SYSEXT_LIBPLIST, &slow, why_slow, sizeof(why_slow));
    ra = kc_sysext_db_parse(data, len, KC_SYSEXT_AUTO, &autom, why_auto, sizeof(why_auto));
    handled = rf != 2;
    if (!handled) {
        /* Declined: AUTO is libplist's answer. */
        assert_int_equal(ra, rs);
        if (rs != 1)
            assert_string_equal(why_auto, why_slow);
        assert_int_equal(autom.n_sysexts, slow.n_sysexts);
    } else {
        if (rf != rs)
            fail_msg("in place %d (%s), libplist %d (%s)", rf, rf == -1 ? why_fast : "",
                     rs, rs == -1 ? why_slow : "");
        if (rs == -1)
            assert_string_equal(why_fast, why_slow);
        assert_int_equal(ra, rf);
        assert_int_equal(fast.n_sysexts, slow.n_sysexts);
        assert_int_equal(fast.sysexts_truncated, slow.sysexts_truncated);
        for (size_t i = 0; i < slow.n_sysexts; i++) {
            assert_true(same_str(fast.sysexts[i].identifier, slow.sysexts[i].identifier));
            assert_true(same_str(fast.sysexts[i].team_id, slow.sysexts[i].team_id));
            assert_true(same_str(fast.sysexts[i].state, slow.sysexts[i].state));
            assert_true(same_str(fast.sysexts[i].version, slow.sysexts[i].version));
        }
    }
    kc_evidence_free(&fast);
    kc_evidence_free(&slow);
    kc_evidence_free(&autom);
    return handled;
}

/* ---- tests ------------------------------------------------------------------- */

/* Well-formed databases are read in place, with libplist's answer. */
static void reads_in_place(void **state)
{
    uint32_t len = 0;
    char *bin;

    (void)state;
    bin = sample_db(&len, 0);
    assert_true(same_answer(bin, len));
    free(bin);
    bin = sample_db(&len, 5000);
    assert_true(same_answer(bin, len));
    free(bin);
    /* Empty, and no extensions at all. */
    bin = db_of(plist_new_array(), &len);
    assert_true(same_answer(bin, len));
    free(bin);
    bin = db_of(NULL, &len);
    assert_true(same_answer(bin, len));
    free(bin);
}

/* The answers for databases that are well formed but wrong. */
static void wrong_types_same_words(void **state)
{
    plist_t values[] = {
        plist_new_bool(1),         plist_new_uint(7),         plist_new_real(1.5),
        plist_new_date(100, 0),    plist_new_data("ab", 2),   plist_new_string("x"),
        plist_new_array(),         plist_new_dict(),
    };
    uint32_t len = 0;
    char *bin;

    (void)state;
    for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
        plist_t arr = plist_new_array(), e;
        /* The value as the extensions array, as an entry, as each field. */
        bin = db_of(plist_copy(values[i]), &len);
        assert_true(same_answer(bin, len));
        free(bin);
        plist_array_append_item(arr, plist_copy(values[i]));
        bin = db_of(arr, &len);
        assert_true(same_answer(bin, len));
        free(bin);
        for (int field = 0; field < 5; field++) {
            static const char *const keys[] = {"identifier", "teamID", "state",
                                               "bundleVersion", "CFBundleVersion"};
            arr = plist_new_array();
            e = tu_plist_sysext("com.example.a", "ABCDE12345", "activated_enabled", "1", "2");
            if (field < 4) {
                plist_dict_set_item(e, keys[field], plist_copy(values[i]));
            } else {
                plist_t bv = plist_dict_get_item(e, "bundleVersion");
                plist_dict_set_item(bv, keys[field], plist_copy(values[i]));
            }
            plist_array_append_item(arr, e);
            bin = db_of(arr, &len);
            assert_true(same_answer(bin, len));
            free(bin);
        }
        plist_free(values[i]);
    }
    /* Missing fields. */
    for (int missing = 0; missing < 3; missing++) {
        plist_t arr = plist_new_array();
        plist_array_append_item(arr, tu_plist_sysext(missing == 0 ? NULL : "com.example.a",
                                           missing == 1 ? NULL : "ABCDE12345",
                                           missing == 2 ? NULL : "activated_enabled", "1", "2"));
        bin = db_of(arr, &len);
        assert_true(same_answer(bin, len));
        free(bin);
    }
    /* A top level that is not a dictionary. */
    bin = to_bin(plist_new_array(), &len);
    assert_true(same_answer(bin, len));
    free(bin);
}

/* More entries than kextcheck keeps: cut at the same place. */
static void cap_same(void **state)
{
    plist_t arr = plist_new_array();
    uint32_t len = 0;
    char *bin;

    (void)state;
    for (int i = 0; i < 10002; i++)
        plist_array_append_item(arr, tu_plist_sysext("com.example.same", "ABCDE12345",
                                           "activated_enabled", "1", "1"));
    bin = db_of(arr, &len);
    assert_true(same_answer(bin, len));
    free(bin);
}

/* Files the reader is not sure of are left to libplist: objects inside
 * themselves, kinds it does not read, strings it would have to guess at. */
static void declines_unsure_files(void **state)
{
    /* bplist00, one array (object 0) holding itself; offsets at 10. */
    static const unsigned char cycle[] = {
        'b', 'p', 'l', 'i', 's', 't', '0', '0', 0xA1, 0x00, 0x08,
        0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 10};
    /* A UTF-16 string with a lone surrogate, then an empty one, as the top. */
    static const unsigned char surrogate[] = {
        'b', 'p', 'l', 'i', 's', 't', '0', '0', 0x61, 0xD8, 0x00, 0x0B,
        0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 11};
    static const unsigned char empty16[] = {
        'b', 'p', 'l', 'i', 's', 't', '0', '0', 0x60, 0x08,
        0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 9};
    /* A UID, a set, a null. */
    static const unsigned char uid[] = {
        'b', 'p', 'l', 'i', 's', 't', '0', '0', 0x80, 0x05, 0x08,
        0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 10};
    static const unsigned char null[] = {
        'b', 'p', 'l', 'i', 's', 't', '0', '0', 0x00, 0x08,
        0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 9};
    const unsigned char *files[] = {cycle, surrogate, empty16, uid, null};
    const size_t sizes[] = {sizeof(cycle), sizeof(surrogate), sizeof(empty16), sizeof(uid),
                            sizeof(null)};
    kc_bplist b;

    (void)state;
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        assert_int_equal(kc_bplist_open(&b, files[i], sizes[i]), -1);
        assert_false(same_answer((const char *)files[i], sizes[i]));
    }
    /* XML is libplist's. */
    {
        const char *xml = "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>extensions"
                          "</key><array/></dict></plist>";
        assert_false(same_answer(xml, strlen(xml)));
    }
}

/* Damaged copies of real-looking databases: whenever the reader takes one,
 * its answer is libplist's. */
static void damaged_same_answer(void **state)
{
    uint32_t len = 0;
    char *bin = sample_db(&len, 3), *copy = malloc(len);
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    int handled = 0;

    (void)state;
    assert_non_null(copy);
    for (int round = 0; round < 20000; round++) {
        int flips = 1 + round % 3;
        memcpy(copy, bin, len);
        for (int k = 0; k < flips; k++) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            copy[(seed >> 8) % len] = (char)(seed >> 40);
        }
        handled += same_answer(copy, len);
    }
    /* Most damage lands in string bytes the reader still takes. */
    print_message("%d of 20000 damaged copies read in place\n", handled);
    assert_true(handled > 1000);
    free(copy);
    free(bin);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_in_place),
        cmocka_unit_test(wrong_types_same_words),
        cmocka_unit_test(cap_same),
        cmocka_unit_test(declines_unsure_files),
        cmocka_unit_test(damaged_same_answer),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
