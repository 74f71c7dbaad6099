/* Unit tests for core/i18n.c: where the catalog is looked for, the read
 * stage's fixed reasons, and (built with KEXTCHECK_NLS) the language taken
 * from the environment and dropped for runs that write for programs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "i18n.h"
#include "kc.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

static void test_locale_dir_env(void **state)
{
    char *dir;

    (void)state;
    assert_int_equal(setenv(KC_LOCALEDIR_ENV, "/some/where/locale", 1), 0);
    dir = kc_i18n_locale_dir();
    assert_non_null(dir);
    assert_string_equal(dir, "/some/where/locale");
    free(dir);
    /* Empty is unset: beside the binary, or the installed folder. */
    assert_int_equal(setenv(KC_LOCALEDIR_ENV, "", 1), 0);
    dir = kc_i18n_locale_dir();
    assert_non_null(dir);
    assert_true(dir[0] == '/');
    assert_string_not_equal(dir, "");
    free(dir);
    assert_int_equal(unsetenv(KC_LOCALEDIR_ENV), 0);
}

static void test_reason(void **state)
{
    const char *other = "open: Permission denied";

    (void)state;
    assert_null(kc_i18n_reason(NULL));
    /* Not one of the fixed reasons: the very same text. */
    assert_ptr_equal(kc_i18n_reason(other), other);
    /* In the C locale the fixed reasons stay English. */
    assert_string_equal(kc_i18n_reason("not present"), "not present");
    assert_string_equal(kc_i18n_reason("not in the snapshot"), "not in the snapshot");
}

#if defined(ENABLE_NLS) && defined(KC_TEST_LOCALEDIR)
/* LANGUAGE=ja in C.UTF-8 (no generated locale needed): Japanese after
 * kc_i18n_init, English again after kc_i18n_english. */
static void test_japanese_then_english(void **state)
{
    (void)state;
    if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
        print_message("skipped: no C.UTF-8 locale\n");
        return;
    }
    assert_non_null(setlocale(LC_ALL, "C"));
    assert_int_equal(setenv("LC_ALL", "C.UTF-8", 1), 0);
    assert_int_equal(setenv("LANGUAGE", "ja", 1), 0);
    assert_int_equal(setenv(KC_LOCALEDIR_ENV, KC_TEST_LOCALEDIR, 1), 0);
    kc_i18n_init();
    assert_string_equal(_("Restart the Mac."), "Mac を再起動します。");
    assert_string_equal(kc_i18n_reason("not present"), "ありません");
    assert_string_equal(P_("%zu plugin refused", "%zu plugins refused", 2),
                        "拒否されたプラグイン %zu");
    /* Only the language and the character set come from the environment. */
    assert_string_equal(setlocale(LC_NUMERIC, NULL), "C");
    assert_string_equal(setlocale(LC_TIME, NULL), "C");
    kc_i18n_english();
    assert_string_equal(_("Restart the Mac."), "Restart the Mac.");
    assert_string_equal(kc_i18n_reason("not present"), "not present");
    assert_string_equal(setlocale(LC_MESSAGES, NULL), "C");
    assert_string_equal(setlocale(LC_CTYPE, NULL), "C");
    assert_int_equal(unsetenv(KC_LOCALEDIR_ENV), 0);
    assert_int_equal(unsetenv("LANGUAGE"), 0);
    assert_int_equal(unsetenv("LC_ALL"), 0);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_locale_dir_env),
        cmocka_unit_test(test_reason),
#if defined(ENABLE_NLS) && defined(KC_TEST_LOCALEDIR)
        cmocka_unit_test(test_japanese_then_english),
#endif
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
