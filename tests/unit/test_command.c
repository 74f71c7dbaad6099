/* kc_run_command: no shell, clean environment, timeout, output cap. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "kc.h"

static void captures_output_and_status(void **state)
{
    const char *const argv[] = {"/bin/sh", "-c", "echo out; echo err >&2; exit 3", NULL};
    kc_cmd_result r;

    (void)state;
    assert_int_equal(kc_run_command(argv, 5000, 4096, &r), 0);
    assert_true(r.ran);
    assert_null(r.error);
    assert_int_equal(r.exit_status, 3);
    assert_string_equal(r.out, "out\nerr\n");
    assert_int_equal(r.len, 8);
    kc_cmd_result_free(&r);
}

static void environment_is_clean(void **state)
{
    const char *const argv[] = {"/usr/bin/env", NULL};
    kc_cmd_result r;

    (void)state;
    setenv("KC_SECRET_FROM_PARENT", "leak", 1);
    assert_int_equal(kc_run_command(argv, 5000, 4096, &r), 0);
    assert_null(r.error);
    assert_string_equal(r.out, "PATH=/usr/bin:/bin:/usr/sbin:/sbin\nLC_ALL=C\n");
    kc_cmd_result_free(&r);
}

static void stdin_is_empty(void **state)
{
    const char *const argv[] = {"/bin/cat", NULL};
    kc_cmd_result r;

    (void)state;
    assert_int_equal(kc_run_command(argv, 5000, 4096, &r), 0);
    assert_null(r.error);
    assert_int_equal(r.exit_status, 0);
    assert_int_equal(r.len, 0);
    kc_cmd_result_free(&r);
}

static void timeout_kills_the_command(void **state)
{
    /* The shell's child sleeps too: the whole process group must go. */
    const char *const argv[] = {"/bin/sh", "-c", "echo started; sleep 30; echo late", NULL};
    kc_cmd_result r;

    (void)state;
    assert_int_equal(kc_run_command(argv, 300, 4096, &r), 0);
    assert_true(r.timed_out);
    assert_non_null(r.error);
    assert_non_null(strstr(r.error, "did not finish within 300 ms"));
    assert_string_equal(r.out, "started\n");
    assert_true(r.duration_ms < 10000);
    kc_cmd_result_free(&r);
}

/* A tool that closes its output and keeps running is stopped too. */
static void timeout_after_output_closed(void **state)
{
    const char *const argv[] = {"/bin/sh", "-c", "echo bye; exec >&- 2>&-; sleep 30", NULL};
    kc_cmd_result r;

    (void)state;
    assert_int_equal(kc_run_command(argv, 500, 4096, &r), 0);
    assert_true(r.timed_out);
    assert_non_null(strstr(r.error, "did not finish within 500 ms"));
    assert_true(r.duration_ms < 10000);
    kc_cmd_result_free(&r);
}

/* An ignored SIGPIPE in kextcheck must not be inherited by the tool. */
static void signals_reset_in_child(void **state)
{
    const char *const argv[] = {"/bin/sh", "-c", "yes | head -c 10 >/dev/null; echo done", NULL};
    kc_cmd_result r;
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);

    (void)state;
    assert_int_equal(kc_run_command(argv, 5000, 4096, &r), 0);
    signal(SIGPIPE, old);
    assert_null(r.error);
    assert_string_equal(r.out, "done\n");
    kc_cmd_result_free(&r);
}

static void output_is_capped(void **state)
{
    const char *const argv[] = {"/usr/bin/yes", NULL};
    kc_cmd_result r;

    (void)state;
    assert_int_equal(kc_run_command(argv, 10000, 1000, &r), 0);
    assert_true(r.truncated);
    assert_int_equal(r.len, 1000);
    assert_non_null(strstr(r.error, "printed more than 1000 bytes"));
    kc_cmd_result_free(&r);
}

static void missing_command(void **state)
{
    const char *const argv[] = {"/nonexistent/spctl", "kext-consent", "list", NULL};
    kc_cmd_result r;

    (void)state;
    assert_int_equal(kc_run_command(argv, 1000, 100, &r), 0);
    assert_false(r.ran);
    assert_true(r.missing);
    assert_non_null(strstr(r.error, "/nonexistent/spctl: not found or not executable"));
    kc_cmd_result_free(&r);
}

static void relative_path_refused(void **state)
{
    const char *const argv[] = {"spctl", NULL};
    kc_cmd_result r;

    (void)state;
    assert_int_equal(kc_run_command(argv, 1000, 100, &r), 0);
    assert_false(r.ran);
    assert_non_null(strstr(r.error, "spctl: not an absolute path"));
    kc_cmd_result_free(&r);
}

static void killed_by_signal(void **state)
{
    const char *const argv[] = {"/bin/sh", "-c", "kill -TERM $$", NULL};
    kc_cmd_result r;

    (void)state;
    assert_int_equal(kc_run_command(argv, 5000, 100, &r), 0);
    assert_int_equal(r.exit_status, -1);
    assert_non_null(strstr(r.error, "killed by signal 15"));
    kc_cmd_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(captures_output_and_status),
        cmocka_unit_test(environment_is_clean),
        cmocka_unit_test(stdin_is_empty),
        cmocka_unit_test(timeout_kills_the_command),
        cmocka_unit_test(timeout_after_output_closed),
        cmocka_unit_test(signals_reset_in_child),
        cmocka_unit_test(output_is_capped),
        cmocka_unit_test(missing_command),
        cmocka_unit_test(relative_path_refused),
        cmocka_unit_test(killed_by_signal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
