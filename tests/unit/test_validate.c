/* Unit tests for core/validate.c (every rule of plugin.h) and for the
 * duplicate checks of kc_registry_add in core/loader.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kc.h"

#include <stdlib.h>
#include <string.h>

static const char *const good_kexts[] = {"com.example.kext.guard", "com.example.filter_2",
                                         NULL};
static const char *const good_install[] = {"/Library/Extensions/Guard.kext",
                                           "/Library/Application Support/Example", NULL};
static const char *const good_staged[] = {
    "/Library/StagedExtensions/Library/Extensions/Guard.kext",
    "/Library/StagedExtensions/Library/Application Support/Example", NULL};

static struct kc_plugin good_desc(void)
{
    struct kc_plugin d;

    memset(&d, 0, sizeof(d));
    d.abi_version = KC_PLUGIN_ABI_VERSION;
    d.size = sizeof(struct kc_plugin);
    d.name = "example";
    d.vendor = "Example Security";
    d.team_id = "ABCDE12345";
    d.developer_name = "Example, Inc.";
    d.kext_bundle_ids = good_kexts;
    d.install_paths = good_install;
    d.staged_paths = good_staged;
    d.reference = "Example KB 1234: approving the Guard kext";
    return d;
}

/* Validates d; it must be accepted. The copy is freed. */
static void expect_ok(const struct kc_plugin *d, const char *expected)
{
    kc_vendor v;
    char why[1024] = "";
    int rc;

    memset(&v, 0, sizeof(v));
    rc = kc_plugin_validate(d, expected, &v, why, sizeof(why));
    if (rc != 0)
        print_error("refused: %s\n", why);
    assert_int_equal(rc, 0);
    assert_non_null(v.name);
    kc_vendor_free(&v);
}

/* Validates d; it must be refused with a reason that holds every key word
 * (a NULL-terminated list), and out must stay untouched. */
static void expect_refused_words(const struct kc_plugin *d, const char *expected,
                                 const char *const *words)
{
    kc_vendor v;
    kc_vendor zero;
    char why[1024] = "";
    int rc;

    memset(&v, 0, sizeof(v));
    memset(&zero, 0, sizeof(zero));
    rc = kc_plugin_validate(d, expected, &v, why, sizeof(why));
    if (rc == 0) {
        print_error("accepted, but a refusal was expected\n");
        kc_vendor_free(&v);
    }
    assert_int_equal(rc, -1);
    assert_true(why[0] != '\0');
    for (size_t i = 0; words[i] != NULL; i++) {
        if (strstr(why, words[i]) == NULL)
            print_error("reason \"%s\" lacks \"%s\"\n", why, words[i]);
        assert_non_null(strstr(why, words[i]));
    }
    assert_memory_equal(&v, &zero, sizeof(v));
}

#define REFUSED(d, expected, ...)                                                  \
    do {                                                                           \
        const char *const words_[] = {__VA_ARGS__, NULL};                          \
        expect_refused_words((d), (expected), words_);                             \
    } while (0)

/* A string of n copies of c (owned). */
static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);

    assert_non_null(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* ---- the valid descriptor ---------------------------------------------- */

static void valid_deep_copy(void **state)
{
    char name[] = "example";
    char vendor[] = "Example Security";
    char team[] = "ABCDE12345";
    char dev[] = "Example, Inc.";
    char ref[] = "Example KB 1234";
    char k0[] = "com.example.kext.guard", k1[] = "com.example.filter_2";
    char i0[] = "/Library/Extensions/Guard.kext";
    char s0[] = "/Library/StagedExtensions/Library/Extensions/Guard.kext";
    const char *kexts[] = {k0, k1, NULL};
    const char *inst[] = {i0, NULL};
    const char *staged[] = {s0, NULL};
    struct kc_plugin d = good_desc();
    kc_vendor v;
    char why[1024] = "";

    (void)state;
    d.name = name;
    d.vendor = vendor;
    d.team_id = team;
    d.developer_name = dev;
    d.reference = ref;
    d.kext_bundle_ids = kexts;
    d.install_paths = inst;
    d.staged_paths = staged;
    memset(&v, 0, sizeof(v));
    assert_int_equal(kc_plugin_validate(&d, "example", &v, why, sizeof(why)), 0);

    /* Every string is a copy: scribble over the plugin's memory. */
    assert_ptr_not_equal(v.name, name);
    assert_ptr_not_equal(v.vendor, vendor);
    assert_ptr_not_equal(v.team_id, team);
    assert_ptr_not_equal(v.developer_name, dev);
    assert_ptr_not_equal(v.reference, ref);
    assert_int_equal(v.kexts.n, 2);
    assert_int_equal(v.install_paths.n, 1);
    assert_int_equal(v.staged_paths.n, 1);
    assert_ptr_not_equal(v.kexts.v[0], k0);
    assert_ptr_not_equal(v.install_paths.v[0], i0);
    assert_ptr_not_equal(v.staged_paths.v[0], s0);
    memset(name, 'X', sizeof(name) - 1);
    memset(vendor, 'X', sizeof(vendor) - 1);
    memset(team, 'X', sizeof(team) - 1);
    memset(dev, 'X', sizeof(dev) - 1);
    memset(ref, 'X', sizeof(ref) - 1);
    memset(k0, 'X', sizeof(k0) - 1);
    memset(k1, 'X', sizeof(k1) - 1);
    memset(i0, 'X', sizeof(i0) - 1);
    memset(s0, 'X', sizeof(s0) - 1);
    kexts[0] = NULL;

    assert_string_equal(v.name, "example");
    assert_string_equal(v.vendor, "Example Security");
    assert_string_equal(v.team_id, "ABCDE12345");
    assert_string_equal(v.developer_name, "Example, Inc.");
    assert_string_equal(v.reference, "Example KB 1234");
    assert_string_equal(v.kexts.v[0], "com.example.kext.guard");
    assert_string_equal(v.kexts.v[1], "com.example.filter_2");
    assert_string_equal(v.install_paths.v[0], "/Library/Extensions/Guard.kext");
    assert_string_equal(v.staged_paths.v[0],
                        "/Library/StagedExtensions/Library/Extensions/Guard.kext");
    assert_int_equal(v.abi_version, KC_PLUGIN_ABI_VERSION);
    assert_null(v.source);
    kc_vendor_free(&v);
    assert_null(v.name);
    assert_int_equal(v.kexts.n, 0);
}

static void valid_static_descriptor(void **state)
{
    struct kc_plugin d = good_desc();
    kc_vendor v;
    char why[1024] = "";

    (void)state;
    memset(&v, 0, sizeof(v));
    assert_int_equal(kc_plugin_validate(&d, NULL, &v, why, sizeof(why)), 0);
    assert_int_equal(v.kexts.n, 2);
    assert_int_equal(v.install_paths.n, 2);
    assert_int_equal(v.staged_paths.n, 2);
    assert_string_equal(v.install_paths.v[1], "/Library/Application Support/Example");
    kc_vendor_free(&v);
    /* kc_vendor_free on NULL and twice is harmless. */
    kc_vendor_free(NULL);
    kc_vendor_free(&v);
}

/* ---- rule 1/2: entry and versions --------------------------------------- */

static void null_descriptor(void **state)
{
    (void)state;
    REFUSED(NULL, "example", "returned NULL", "declined");
}

static void wrong_major(void **state)
{
    struct kc_plugin d = good_desc();

    (void)state;
    d.abi_version = KC_PLUGIN_MKVERSION(KC_PLUGIN_ABI_MAJOR + 1, 0);
    REFUSED(&d, "example", "major", "2.0");
    d.abi_version = KC_PLUGIN_MKVERSION(0, 9);
    REFUSED(&d, "example", "major", "0.9");
}

static void newer_minor(void **state)
{
    struct kc_plugin d = good_desc();

    (void)state;
    d.abi_version = KC_PLUGIN_MKVERSION(KC_PLUGIN_ABI_MAJOR, KC_PLUGIN_ABI_MINOR + 1);
    REFUSED(&d, "example", "newer", "upgrade");
}

static void older_minor_accepted(void **state)
{
    struct kc_plugin d = good_desc();

    (void)state;
#if KC_PLUGIN_ABI_MINOR > 0
    d.abi_version = KC_PLUGIN_MKVERSION(KC_PLUGIN_ABI_MAJOR, KC_PLUGIN_ABI_MINOR - 1);
    expect_ok(&d, "example");
#endif
    /* A plugin built against 1.0 carries only the 1.0 fields. */
    d.abi_version = KC_PLUGIN_MKVERSION(KC_PLUGIN_ABI_MAJOR, 0);
    d.size = (uint32_t)KC_PLUGIN_SIZE_1_0;
    expect_ok(&d, "example");
    /* The current minor with a larger size is fine too. */
    d.abi_version = KC_PLUGIN_ABI_VERSION;
    d.size = (uint32_t)sizeof(struct kc_plugin) + 64;
    expect_ok(&d, "example");
}

static void size_too_small(void **state)
{
    struct kc_plugin d = good_desc();

    (void)state;
    d.size = (uint32_t)KC_PLUGIN_SIZE_1_0 - 1;
    REFUSED(&d, "example", "size", "smaller");
    d.size = 0;
    REFUSED(&d, "example", "size", "smaller");
}

/* ---- rule 3: name -------------------------------------------------------- */

static void name_rules(void **state)
{
    struct kc_plugin d = good_desc();
    char *n32 = repeat('a', KC_PLUGIN_NAME_MAX), *n33 = repeat('a', KC_PLUGIN_NAME_MAX + 1);

    (void)state;
    d.name = NULL;
    REFUSED(&d, NULL, "name", "NULL");
    d.name = "";
    REFUSED(&d, NULL, "name", "1 to 32");
    d.name = n33;
    REFUSED(&d, NULL, "name", "1 to 32");
    d.name = n32;
    expect_ok(&d, NULL);
    d.name = "Example";
    REFUSED(&d, NULL, "name", "lowercase");
    d.name = "exAmple";
    REFUSED(&d, NULL, "name", "a-z, 0-9 and '-'");
    d.name = "1example";
    REFUSED(&d, NULL, "name", "start");
    d.name = "-example";
    REFUSED(&d, NULL, "name", "start");
    d.name = "ex_ample";
    REFUSED(&d, NULL, "name", "a-z, 0-9 and '-'");
    d.name = "ex.ample";
    REFUSED(&d, NULL, "name", "a-z, 0-9 and '-'");
    d.name = "ex ample";
    REFUSED(&d, NULL, "name", "a-z, 0-9 and '-'");
    d.name = "ex\xc3\xa9";
    REFUSED(&d, NULL, "name", "a-z, 0-9 and '-'");
    d.name = "cisco-anyconnect2";
    expect_ok(&d, NULL);
    free(n32);
    free(n33);
}

static void name_vs_file_stem(void **state)
{
    struct kc_plugin d = good_desc();

    (void)state;
    REFUSED(&d, "other", "does not match", "\"example\"", "\"other\"");
    REFUSED(&d, "example2", "does not match");
    REFUSED(&d, "exampl", "does not match");
    expect_ok(&d, "example");
    expect_ok(&d, NULL); /* rule skipped */
}

/* ---- rule 4: vendor ------------------------------------------------------ */

static void vendor_rules(void **state)
{
    struct kc_plugin d = good_desc();
    char *big = repeat('v', KC_PLUGIN_TEXT_MAX + 1), *max = repeat('v', KC_PLUGIN_TEXT_MAX);

    (void)state;
    d.vendor = NULL;
    REFUSED(&d, "example", "vendor", "NULL");
    d.vendor = "";
    REFUSED(&d, "example", "vendor", "empty");
    d.vendor = "Evil\x1b[2JCorp";
    REFUSED(&d, "example", "vendor", "control character");
    d.vendor = "Two\nlines";
    REFUSED(&d, "example", "vendor", "control character");
    d.vendor = "del\x7f";
    REFUSED(&d, "example", "vendor", "control character");
    d.vendor = big;
    REFUSED(&d, "example", "vendor", "longer than 512");
    d.vendor = max;
    expect_ok(&d, "example");
    d.vendor = "Soci\xc3\xa9t\xc3\xa9 G\xc3\xa9n\xc3\xa9rale"; /* UTF-8 is fine */
    expect_ok(&d, "example");
    free(big);
    free(max);
}

/* Rule 4 forbids control characters, and kc.h (kc_printable) counts C1
 * (U+0080..U+009F) among them.
 * (Found by this test and fixed: vendor "Evil\xc2\x9b[2J", with U+009B CSI,
 * was once accepted.) */
static void vendor_c1_control_refused(void **state)
{
    struct kc_plugin d = good_desc();

    (void)state;
    d.vendor = "Evil\xc2\x9b[2JCorp";
    REFUSED(&d, "example", "vendor", "control character");
    d = good_desc();
    d.developer_name = "Bad\xc2\x85Name"; /* U+0085 NEL */
    REFUSED(&d, "example", "developer_name", "control character");
}

/* ---- rule 5: team_id ----------------------------------------------------- */

static void team_rules(void **state)
{
    struct kc_plugin d = good_desc();

    (void)state;
    d.team_id = NULL;
    REFUSED(&d, "example", "team_id", "NULL");
    d.team_id = "";
    REFUSED(&d, "example", "team_id", "10");
    d.team_id = "ABCDE1234";
    REFUSED(&d, "example", "team_id", "10");
    d.team_id = "ABCDE123456";
    REFUSED(&d, "example", "team_id", "10");
    d.team_id = "abcde12345";
    REFUSED(&d, "example", "team_id", "A-Z and 0-9");
    d.team_id = "ABCDe12345";
    REFUSED(&d, "example", "team_id", "A-Z and 0-9");
    d.team_id = "ABCDE-1234";
    REFUSED(&d, "example", "team_id", "A-Z and 0-9");
    d.team_id = "ABCDE.1234";
    REFUSED(&d, "example", "team_id", "A-Z and 0-9");
    d.team_id = "ABCDE 1234";
    REFUSED(&d, "example", "team_id", "A-Z and 0-9");
    d.team_id = "0123456789";
    expect_ok(&d, "example");
}

/* ---- rule 6: developer_name ---------------------------------------------- */

static void developer_name_rules(void **state)
{
    struct kc_plugin d = good_desc();
    kc_vendor v;
    char why[1024] = "";

    (void)state;
    d.developer_name = NULL;
    memset(&v, 0, sizeof(v));
    assert_int_equal(kc_plugin_validate(&d, "example", &v, why, sizeof(why)), 0);
    assert_null(v.developer_name);
    kc_vendor_free(&v);
    d.developer_name = "";
    REFUSED(&d, "example", "developer_name", "empty");
    d.developer_name = "Bad\tName";
    REFUSED(&d, "example", "developer_name", "control character");
}

/* ---- rule 10: reference -------------------------------------------------- */

static void reference_rules(void **state)
{
    struct kc_plugin d = good_desc();
    char *big = repeat('r', KC_PLUGIN_TEXT_MAX + 1);

    (void)state;
    d.reference = NULL;
    REFUSED(&d, "example", "reference", "NULL");
    d.reference = "";
    REFUSED(&d, "example", "reference", "empty");
    d.reference = big;
    REFUSED(&d, "example", "reference", "longer");
    free(big);
}

/* ---- rule 7: kext_bundle_ids --------------------------------------------- */

static void expect_bad_kext(const char *id, const char *word)
{
    struct kc_plugin d = good_desc();
    const char *ids[] = {"com.example.ok", id, NULL};

    d.kext_bundle_ids = ids;
    REFUSED(&d, "example", "kext_bundle_ids[1]", word);
}

static void kext_ids_required(void **state)
{
    struct kc_plugin d = good_desc();
    static const char *const empty[] = {NULL};

    (void)state;
    d.kext_bundle_ids = NULL;
    REFUSED(&d, "example", "kext_bundle_ids", "NULL");
    d.kext_bundle_ids = empty;
    REFUSED(&d, "example", "kext_bundle_ids", "empty");
}

static void kext_id_forms(void **state)
{
    struct kc_plugin d = good_desc();
    static const char *const fine[] = {"com.example", "COM.Example-2.kext_x", "a.b", NULL};

    (void)state;
    expect_bad_kext("comexample", "reverse-DNS");
    expect_bad_kext("com..x", "reverse-DNS");
    expect_bad_kext(".com.x", "reverse-DNS");
    expect_bad_kext("com.x.", "reverse-DNS");
    expect_bad_kext(".", "reverse-DNS");
    expect_bad_kext("", "1 to 255");
    expect_bad_kext("com.ex ample", "reverse-DNS");
    expect_bad_kext(" com.example", "reverse-DNS");
    expect_bad_kext("com.example/kext", "reverse-DNS");
    expect_bad_kext("com.ex\xc3\xa9", "reverse-DNS");
    expect_bad_kext("com.ex\x01", "control character");
    expect_bad_kext("com.ex\nample", "control character");
    expect_bad_kext("com.ex\x7f", "control character");
    d.kext_bundle_ids = fine;
    expect_ok(&d, "example");
}

static void kext_id_length(void **state)
{
    struct kc_plugin d = good_desc();
    char *id255 = repeat('a', KC_PLUGIN_ID_MAX), *id256 = repeat('a', KC_PLUGIN_ID_MAX + 1);
    const char *ids[] = {id255, NULL};

    (void)state;
    memcpy(id255, "com.", 4);
    memcpy(id256, "com.", 4);
    d.kext_bundle_ids = ids;
    expect_ok(&d, "example");
    ids[0] = id256;
    REFUSED(&d, "example", "kext_bundle_ids[0]", "1 to 255");
    free(id255);
    free(id256);
}

static void kext_id_duplicate(void **state)
{
    struct kc_plugin d = good_desc();
    static const char *const dup[] = {"com.example.a", "com.example.b", "com.example.a", NULL};

    (void)state;
    d.kext_bundle_ids = dup;
    REFUSED(&d, "example", "kext_bundle_ids[2]", "com.example.a", "twice");
}

/* ---- rule 11: array bounds ----------------------------------------------- */

static void array_limits(void **state)
{
    struct kc_plugin d = good_desc();
    char ids[KC_PLUGIN_ARRAY_MAX + 1][32];
    const char *arr[KC_PLUGIN_ARRAY_MAX + 1];
    const char *paths[KC_PLUGIN_ARRAY_MAX + 1];
    char pbuf[KC_PLUGIN_ARRAY_MAX + 1][64];
    kc_vendor v;
    char why[1024] = "";

    (void)state;
    for (size_t i = 0; i <= KC_PLUGIN_ARRAY_MAX; i++) {
        kc_snprintf(ids[i], sizeof(ids[i]), "com.example.k%zu", i);
        kc_snprintf(pbuf[i], sizeof(pbuf[i]), "/Library/Extensions/K%zu.kext", i);
        arr[i] = ids[i];
        paths[i] = pbuf[i];
    }
    /* 32 entries and the terminator. */
    arr[KC_PLUGIN_ARRAY_MAX] = NULL;
    d.kext_bundle_ids = arr;
    memset(&v, 0, sizeof(v));
    assert_int_equal(kc_plugin_validate(&d, "example", &v, why, sizeof(why)), 0);
    assert_int_equal(v.kexts.n, KC_PLUGIN_ARRAY_MAX);
    kc_vendor_free(&v);

    /* 33 entries, no terminator: refused without reading past them. */
    arr[KC_PLUGIN_ARRAY_MAX] = ids[KC_PLUGIN_ARRAY_MAX];
    REFUSED(&d, "example", "kext_bundle_ids", "terminator", "32");

    d.kext_bundle_ids = good_kexts;
    paths[KC_PLUGIN_ARRAY_MAX] = NULL;
    d.install_paths = paths;
    expect_ok(&d, "example");
    paths[KC_PLUGIN_ARRAY_MAX] = pbuf[KC_PLUGIN_ARRAY_MAX];
    REFUSED(&d, "example", "install_paths", "terminator");
}

/* ---- rules 8/9: paths ---------------------------------------------------- */

static void expect_bad_install(const char *p, const char *word)
{
    struct kc_plugin d = good_desc();
    const char *paths[] = {"/Library/Extensions/Fine.kext", p, NULL};

    d.install_paths = paths;
    REFUSED(&d, "example", "install_paths[1]", word);
}

static void install_paths_optional(void **state)
{
    struct kc_plugin d = good_desc();
    static const char *const empty[] = {NULL};
    kc_vendor v;
    char why[1024] = "";

    (void)state;
    d.install_paths = NULL;
    d.staged_paths = NULL;
    memset(&v, 0, sizeof(v));
    assert_int_equal(kc_plugin_validate(&d, "example", &v, why, sizeof(why)), 0);
    assert_int_equal(v.install_paths.n, 0);
    assert_int_equal(v.staged_paths.n, 0);
    kc_vendor_free(&v);
    d.install_paths = empty;
    d.staged_paths = empty;
    expect_ok(&d, "example");
}

static void install_path_forms(void **state)
{
    char *big = repeat('p', KC_PLUGIN_PATH_MAX + 1);

    (void)state;
    big[0] = '/';
    expect_bad_install("Library/Extensions/A.kext", "not absolute");
    expect_bad_install("./Library/A.kext", "not absolute");
    expect_bad_install("//Library/A.kext", "empty, '.' or '..'");
    expect_bad_install("/Library//A.kext", "empty, '.' or '..'");
    expect_bad_install("/Library/./A.kext", "empty, '.' or '..'");
    expect_bad_install("/Library/../A.kext", "empty, '.' or '..'");
    expect_bad_install("/Library/.", "empty, '.' or '..'");
    expect_bad_install("/Library/..", "empty, '.' or '..'");
    expect_bad_install("/Library/Extensions/", "ends with '/'");
    expect_bad_install("/Library/Ext\x01ensions", "control character");
    expect_bad_install("/Library/Ext\nensions", "control character");
    expect_bad_install("/Library/Ext\x1b[31m", "control character");
    expect_bad_install("", "1 to 1024");
    expect_bad_install(big, "1 to 1024");
    free(big);
}

static void install_path_duplicate(void **state)
{
    struct kc_plugin d = good_desc();
    static const char *const dup[] = {"/Library/Extensions/A.kext", "/Library/Extensions/A.kext",
                                      NULL};

    (void)state;
    d.install_paths = dup;
    REFUSED(&d, "example", "install_paths[1]", "twice");
}

static void install_path_names_kept(void **state)
{
    struct kc_plugin d = good_desc();
    /* Dots inside names are not '.' components. */
    static const char *const ok[] = {"/Library/Extensions/a..b.kext", "/.hidden/x.kext",
                                     "/Library/Application Support/Cisco/AnyConnect Secure "
                                     "Mobility Client/acsock.kext",
                                     NULL};

    (void)state;
    d.install_paths = ok;
    expect_ok(&d, "example");
}

static void staged_path_rules(void **state)
{
    struct kc_plugin d = good_desc();
    const char *paths[] = {NULL, NULL};

    (void)state;
    d.staged_paths = paths;
    paths[0] = "/Library/Extensions/Guard.kext";
    REFUSED(&d, "example", "staged_paths[0]", "/Library/StagedExtensions/");
    paths[0] = "/Library/StagedExtensionsX/Library/Guard.kext";
    REFUSED(&d, "example", "staged_paths[0]", "/Library/StagedExtensions/");
    paths[0] = "/library/stagedextensions/Library/Guard.kext";
    REFUSED(&d, "example", "staged_paths[0]", "/Library/StagedExtensions/");
    paths[0] = "/Library/StagedExtensions";
    REFUSED(&d, "example", "staged_paths[0]", "/Library/StagedExtensions/");
    paths[0] = "/Library/StagedExtensions/";
    REFUSED(&d, "example", "staged_paths[0]");
    paths[0] = "/Library/StagedExtensions/Library/../Extensions/Guard.kext";
    REFUSED(&d, "example", "staged_paths[0]", "'..'");
    paths[0] = "Library/StagedExtensions/Library/Extensions/Guard.kext";
    REFUSED(&d, "example", "staged_paths[0]", "not absolute");
    paths[0] = "/Library/StagedExtensions/Library/Extensions/Guard.kext";
    expect_ok(&d, "example");
    /* An install path is not required to be staged. */
    d.staged_paths = NULL;
    d.install_paths = paths;
    expect_ok(&d, "example");
}

/* ---- every problem at once ---------------------------------------------- */

static void all_problems_listed(void **state)
{
    struct kc_plugin d = good_desc();
    static const char *const bad_ids[] = {"nodots", NULL};
    static const char *const bad_paths[] = {"relative/path", NULL};
    kc_strv problems = {0};
    kc_vendor v;
    char why[2048] = "";

    (void)state;
    d.name = "Bad";
    d.team_id = "short";
    d.kext_bundle_ids = bad_ids;
    d.install_paths = bad_paths;
    memset(&v, 0, sizeof(v));
    assert_int_equal(kc_plugin_problems(&d, "bad", &v, &problems), -1);
    assert_int_equal(problems.n, 4);
    assert_non_null(strstr(problems.v[0], "name"));
    assert_non_null(strstr(problems.v[1], "team_id"));
    assert_non_null(strstr(problems.v[2], "kext_bundle_ids[0]"));
    assert_non_null(strstr(problems.v[3], "install_paths[0]"));
    assert_null(v.name);
    assert_int_equal(v.kexts.n, 0);
    kc_strv_free(&problems);

    /* kc_plugin_validate gives them all, joined by "; ". */
    assert_int_equal(kc_plugin_validate(&d, "bad", &v, why, sizeof(why)), -1);
    assert_non_null(strstr(why, "name"));
    assert_non_null(strstr(why, "; team_id"));
    assert_non_null(strstr(why, "; kext_bundle_ids[0]"));
    assert_non_null(strstr(why, "; install_paths[0]"));

    /* A small buffer is cut, never overrun. */
    assert_int_equal(kc_plugin_validate(&d, "bad", &v, why, 16), -1);
    assert_true(strlen(why) < 16);

    /* Valid: no problems, out may be NULL. */
    d = good_desc();
    assert_int_equal(kc_plugin_problems(&d, "example", NULL, &problems), 0);
    assert_int_equal(problems.n, 0);
    kc_strv_free(&problems);
}

/* ---- kc_registry_add ----------------------------------------------------- */

static void registry_duplicates(void **state)
{
    kc_registry reg;
    struct kc_plugin a = good_desc(), same_name = good_desc(), same_team = good_desc();
    struct kc_plugin bad = good_desc(), other = good_desc(), same_kext = good_desc();
    static const char *const other_kexts[] = {"com.other.kext", NULL};
    static const char *const stolen_kexts[] = {"com.thief.kext", "com.example.filter_2", NULL};

    (void)state;
    memset(&reg, 0, sizeof(reg));
    same_name.team_id = "ZZZZZ99999";
    same_team.name = "example-two";
    bad.team_id = "short";
    other.name = "other";
    other.team_id = "QQQQQ11111";
    other.kext_bundle_ids = other_kexts;
    same_kext.name = "thief";
    same_kext.team_id = "YYYYY88888";
    same_kext.kext_bundle_ids = stolen_kexts;

    assert_int_equal(kc_registry_add(&reg, &a, "example", "/plugins/example.so"), 0);
    assert_int_equal(reg.n_vendors, 1);
    assert_string_equal(reg.vendors[0].source, "/plugins/example.so");

    assert_int_equal(kc_registry_add(&reg, &same_name, "example", "/more/example.so"), 1);
    assert_int_equal(reg.n_vendors, 1);
    assert_int_equal(reg.n_refused, 1);
    assert_string_equal(reg.refused[0].source, "/more/example.so");
    assert_non_null(strstr(reg.refused[0].reason, "\"example\""));
    assert_non_null(strstr(reg.refused[0].reason, "already loaded"));
    assert_non_null(strstr(reg.refused[0].reason, "/plugins/example.so"));

    assert_int_equal(kc_registry_add(&reg, &same_team, "example-two", "built-in:example-two"),
                     1);
    assert_int_equal(reg.n_vendors, 1);
    assert_int_equal(reg.n_refused, 2);
    assert_string_equal(reg.refused[1].source, "built-in:example-two");
    assert_non_null(strstr(reg.refused[1].reason, "team ID ABCDE12345"));
    assert_non_null(strstr(reg.refused[1].reason, "already claimed"));
    assert_non_null(strstr(reg.refused[1].reason, "\"example\""));

    /* A descriptor that breaks a rule is refused with that rule's reason. */
    assert_int_equal(kc_registry_add(&reg, &bad, "example", "/plugins/bad.so"), 1);
    assert_int_equal(reg.n_refused, 3);
    assert_string_equal(reg.refused[2].source, "/plugins/bad.so");
    assert_non_null(strstr(reg.refused[2].reason, "team_id"));
    assert_int_equal(kc_registry_add(&reg, NULL, "gone", "/plugins/gone.so"), 1);
    assert_int_equal(reg.n_refused, 4);
    assert_non_null(strstr(reg.refused[3].reason, "declined"));

    /* Another team may not claim the same bundle ID either. */
    assert_int_equal(kc_registry_add(&reg, &same_kext, "thief", "/plugins/thief.so"), 1);
    assert_int_equal(reg.n_refused, 5);
    assert_non_null(strstr(reg.refused[4].reason, "com.example.filter_2"));
    assert_non_null(strstr(reg.refused[4].reason, "already claimed"));

    /* The first stays loaded and unchanged; a distinct plugin still loads. */
    assert_string_equal(reg.vendors[0].name, "example");
    assert_string_equal(reg.vendors[0].team_id, "ABCDE12345");
    assert_string_equal(reg.vendors[0].source, "/plugins/example.so");
    assert_int_equal(kc_registry_add(&reg, &other, "other", "/plugins/other.so"), 0);
    assert_int_equal(reg.n_vendors, 2);
    assert_string_equal(reg.vendors[1].name, "other");
    assert_string_equal(reg.vendors[0].name, "example");

    kc_registry_free(&reg);
    assert_int_equal(reg.n_vendors, 0);
    assert_int_equal(reg.n_refused, 0);
}

/* ---- ABI 1.2: kb_url, uninstall_hint, diagnostic_command, sysext_team_id -- */

static const char *const good_sysexts[] = {"com.example.guard.sysext", NULL};

static struct kc_plugin desc_1_2(void)
{
    struct kc_plugin d = good_desc();

    d.sysext_bundle_ids = good_sysexts;
    d.kb_url = "https://support.example.com/kb/1234";
    d.uninstall_hint = "Turn off tamper protection first: a maintenance token is needed";
    d.diagnostic_command = "sudo /usr/local/bin/guardctl status";
    d.sysext_team_id = "SYSTEM0001";
    return d;
}

static void v12_fields_copied(void **state)
{
    struct kc_plugin d = desc_1_2();
    kc_vendor v;
    char why[1024] = "";

    (void)state;
    memset(&v, 0, sizeof(v));
    assert_int_equal(kc_plugin_validate(&d, "example", &v, why, sizeof(why)), 0);
    assert_string_equal(v.kb_url, d.kb_url);
    assert_ptr_not_equal(v.kb_url, d.kb_url);
    assert_string_equal(v.uninstall_hint, d.uninstall_hint);
    assert_string_equal(v.diagnostic_command, d.diagnostic_command);
    assert_string_equal(v.sysext_team_id, "SYSTEM0001");
    assert_string_equal(kc_vendor_sysext_team(&v), "SYSTEM0001");
    kc_vendor_free(&v);
    /* All four are optional. */
    d.kb_url = d.uninstall_hint = d.diagnostic_command = d.sysext_team_id = NULL;
    memset(&v, 0, sizeof(v));
    assert_int_equal(kc_plugin_validate(&d, "example", &v, why, sizeof(why)), 0);
    assert_null(v.kb_url);
    assert_null(v.uninstall_hint);
    assert_null(v.diagnostic_command);
    assert_null(v.sysext_team_id);
    assert_string_equal(kc_vendor_sysext_team(&v), "ABCDE12345");
    kc_vendor_free(&v);
}

/* A 1.1 (or 1.0) plugin's descriptor ends before the 1.2 fields: the host
 * never reads them (ASan would see a read past this exact-size copy), and
 * what lies there in a bigger struct is ignored, however wrong. */
static void v12_fields_not_read_below_1_2(void **state)
{
    struct kc_plugin d = desc_1_2();
    const size_t sizes[] = {KC_PLUGIN_SIZE_1_1, KC_PLUGIN_SIZE_1_0};
    kc_vendor v;
    char why[1024] = "";

    (void)state;
    for (size_t i = 0; i < 2; i++) {
        void *exact = malloc(sizes[i]);
        assert_non_null(exact);
        d.abi_version = KC_PLUGIN_MKVERSION(1, i == 0 ? 1 : 0);
        d.size = (uint32_t)sizes[i];
        memcpy(exact, &d, sizes[i]);
        memset(&v, 0, sizeof(v));
        assert_int_equal(kc_plugin_validate(exact, "example", &v, why, sizeof(why)), 0);
        assert_null(v.kb_url);
        assert_null(v.sysext_team_id);
        kc_vendor_free(&v);
        free(exact);
    }
    /* A full struct that says 1.1: its 1.2 fields are not looked at. */
    d = desc_1_2();
    d.abi_version = KC_PLUGIN_MKVERSION(1, 1);
    d.kb_url = "ftp://not a url";
    d.diagnostic_command = "rm -rf /\n";
    d.sysext_team_id = "lowercase!";
    memset(&v, 0, sizeof(v));
    assert_int_equal(kc_plugin_validate(&d, "example", &v, why, sizeof(why)), 0);
    assert_null(v.kb_url);
    assert_null(v.diagnostic_command);
    assert_null(v.sysext_team_id);
    assert_int_equal(v.sysexts.n, 1);
    kc_vendor_free(&v);
}

static void v12_size_must_cover_fields(void **state)
{
    struct kc_plugin d = desc_1_2();

    (void)state;
    d.size = (uint32_t)KC_PLUGIN_SIZE_1_1;
    REFUSED(&d, "example", "size", "smaller", "ABI 1.2");
    d.size = (uint32_t)KC_PLUGIN_SIZE_1_2 - 1;
    REFUSED(&d, "example", "size", "smaller");
    d.size = (uint32_t)KC_PLUGIN_SIZE_1_2;
    expect_ok(&d, "example");
}

static void expect_url(const char *url, const char *word)
{
    struct kc_plugin d = desc_1_2();

    d.kb_url = url;
    if (word == NULL)
        expect_ok(&d, "example");
    else
        REFUSED(&d, "example", "kb_url", word);
}

static void kb_url_rules(void **state)
{
    char *longest, *too_long;

    (void)state;
    expect_url("https://a.example", NULL);
    expect_url("https://support.example.com/kb/1234?lang=en&x=1#kext", NULL);
    expect_url("https://docs.example.com:8443/en/Product-(US)/GUID-50A8.html", NULL);
    expect_url("https://success.example.com/jp/solution/1120622", NULL);
    expect_url("HTTPS://EXAMPLE.COM/", "does not start with https://");
    expect_url("http://example.com/kb", "does not start with https://");
    expect_url("javascript:alert(1)", "does not start with https://");
    expect_url("", "empty");
    expect_url("https://", "no valid host");
    expect_url("https:///kb", "no valid host");
    expect_url("https://.example.com/", "no valid host");
    expect_url("https://a..example.com/", "no valid host");
    expect_url("https://-a.example.com/", "no valid host");
    expect_url("https://a-.example.com/", "no valid host");
    expect_url("https://example.com./", "no valid host");
    expect_url("https://vendor.example@attacker.example/kb", "user@");
    expect_url("https://exa_mple.com/", "host may hold only");
    expect_url("https://example.com:/kb", "port");
    expect_url("https://example.com:123456/kb", "port");
    expect_url("https://example.com:80x/kb", "port");
    expect_url("https://example.com/a b", "' '");
    expect_url("https://example.com/<script>", "'<'");
    expect_url("https://example.com/\"", "'\"'");
    expect_url("https://example.com/a\\b", "'\\'");
    expect_url("https://example.com/{x}", "'{'");
    expect_url("https://example.com/\t", "control character");
    expect_url("https://example.com/\x7f", "control character");
    expect_url("https://example.com/caf\xc3\xa9", "printable ASCII");
    longest = repeat('a', KC_PLUGIN_URL_MAX);
    memcpy(longest, "https://example.com/", 20);
    expect_url(longest, NULL);
    too_long = repeat('a', KC_PLUGIN_URL_MAX + 1);
    memcpy(too_long, "https://example.com/", 20);
    expect_url(too_long, "longer than 512");
    free(longest);
    free(too_long);
}

static void uninstall_hint_rules(void **state)
{
    struct kc_plugin d = desc_1_2();
    char *too_long = repeat('h', KC_PLUGIN_TEXT_MAX + 1);

    (void)state;
    d.uninstall_hint = "Désactivez d'abord la protection: un jeton est nécessaire";
    expect_ok(&d, "example");
    d.uninstall_hint = "";
    REFUSED(&d, "example", "uninstall_hint is empty");
    d.uninstall_hint = "first line\nsecond line";
    REFUSED(&d, "example", "uninstall_hint", "control character");
    d.uninstall_hint = "red \xc2\x9b" "31m";
    REFUSED(&d, "example", "uninstall_hint", "control character");
    d.uninstall_hint = "bad \xff byte";
    REFUSED(&d, "example", "uninstall_hint", "UTF-8");
    d.uninstall_hint = too_long;
    REFUSED(&d, "example", "uninstall_hint", "longer than 512");
    free(too_long);
}

static void diagnostic_command_rules(void **state)
{
    struct kc_plugin d = desc_1_2();
    char *longest = repeat('c', KC_PLUGIN_COMMAND_MAX);
    char *too_long = repeat('c', KC_PLUGIN_COMMAND_MAX + 1);

    (void)state;
    d.diagnostic_command = "sudo /Applications/Falcon.app/Contents/Resources/falconctl stats";
    expect_ok(&d, "example");
    d.diagnostic_command = longest;
    expect_ok(&d, "example");
    d.diagnostic_command = too_long;
    REFUSED(&d, "example", "diagnostic_command", "longer than 256");
    d.diagnostic_command = "";
    REFUSED(&d, "example", "diagnostic_command is empty");
    d.diagnostic_command = "mdatp health\nrm -rf /";
    REFUSED(&d, "example", "diagnostic_command", "control character");
    d.diagnostic_command = "mdatp health\033[2K";
    REFUSED(&d, "example", "diagnostic_command", "control character");
    d.diagnostic_command = "mdatp \xc3\x28health";
    REFUSED(&d, "example", "diagnostic_command", "UTF-8");
    free(longest);
    free(too_long);
}

static void sysext_team_rules(void **state)
{
    static const char *const none[] = {NULL};
    static const char *const broken[] = {"not an id", NULL};
    struct kc_plugin d = desc_1_2();
    kc_strv problems = {0};

    (void)state;
    d.sysext_team_id = "ABCDE12345"; /* the kexts' own team: allowed, changes nothing */
    expect_ok(&d, "example");
    d.sysext_team_id = "system0001";
    REFUSED(&d, "example", "sysext_team_id \"system0001\" must be 10 characters");
    d.sysext_team_id = "SYSTEM001";
    REFUSED(&d, "example", "sysext_team_id must be exactly 10 characters");
    d.sysext_team_id = "";
    REFUSED(&d, "example", "sysext_team_id must be exactly 10 characters");
    d.sysext_team_id = "SYSTEM0001";
    d.sysext_bundle_ids = NULL;
    REFUSED(&d, "example", "sysext_team_id is set but sysext_bundle_ids is empty");
    d.sysext_bundle_ids = none;
    REFUSED(&d, "example", "sysext_team_id is set but sysext_bundle_ids is empty");
    /* A broken system extension ID is one problem, not also "empty". */
    d.sysext_bundle_ids = broken;
    assert_int_equal(kc_plugin_problems(&d, "example", NULL, &problems), -1);
    assert_int_equal(problems.n, 1);
    assert_non_null(strstr(problems.v[0], "sysext_bundle_ids[0]"));
    kc_strv_free(&problems);
}

/* Every broken 1.2 field is listed, not just the first. */
static void v12_all_problems_listed(void **state)
{
    struct kc_plugin d = desc_1_2();
    kc_strv problems = {0};

    (void)state;
    d.kb_url = "http://example.com";
    d.uninstall_hint = "";
    d.diagnostic_command = "a\nb";
    d.sysext_team_id = "bad";
    assert_int_equal(kc_plugin_problems(&d, "example", NULL, &problems), -1);
    assert_int_equal(problems.n, 4);
    assert_non_null(strstr(problems.v[0], "kb_url"));
    assert_non_null(strstr(problems.v[1], "uninstall_hint"));
    assert_non_null(strstr(problems.v[2], "diagnostic_command"));
    assert_non_null(strstr(problems.v[3], "sysext_team_id"));
    kc_strv_free(&problems);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_deep_copy),
        cmocka_unit_test(valid_static_descriptor),
        cmocka_unit_test(null_descriptor),
        cmocka_unit_test(wrong_major),
        cmocka_unit_test(newer_minor),
        cmocka_unit_test(older_minor_accepted),
        cmocka_unit_test(size_too_small),
        cmocka_unit_test(name_rules),
        cmocka_unit_test(name_vs_file_stem),
        cmocka_unit_test(vendor_rules),
        cmocka_unit_test(vendor_c1_control_refused),
        cmocka_unit_test(team_rules),
        cmocka_unit_test(developer_name_rules),
        cmocka_unit_test(reference_rules),
        cmocka_unit_test(kext_ids_required),
        cmocka_unit_test(kext_id_forms),
        cmocka_unit_test(kext_id_length),
        cmocka_unit_test(kext_id_duplicate),
        cmocka_unit_test(array_limits),
        cmocka_unit_test(install_paths_optional),
        cmocka_unit_test(install_path_forms),
        cmocka_unit_test(install_path_duplicate),
        cmocka_unit_test(install_path_names_kept),
        cmocka_unit_test(staged_path_rules),
        cmocka_unit_test(all_problems_listed),
        cmocka_unit_test(registry_duplicates),
        cmocka_unit_test(v12_fields_copied),
        cmocka_unit_test(v12_fields_not_read_below_1_2),
        cmocka_unit_test(v12_size_must_cover_fields),
        cmocka_unit_test(kb_url_rules),
        cmocka_unit_test(uninstall_hint_rules),
        cmocka_unit_test(diagnostic_command_rules),
        cmocka_unit_test(sysext_team_rules),
        cmocka_unit_test(v12_all_problems_listed),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
