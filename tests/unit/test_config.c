/* Unit tests for core/config.c: the INI configuration file. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kc.h"
#include "testutil.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef tu_tmp fixture;

static int setup(void **state)
{
    *state = tu_tmp_new("config", "kextcheck.ini");
    return 0;
}

static int teardown(void **state)
{
    tu_tmp_free(*state);
    return 0;
}

/* Loads text; returns the result with cfg filled and why set. */
static int load_text(const fixture *f, const char *text, kc_config *cfg, char *why,
                     size_t whylen)
{
    tu_write_text(f->path, text);
    memset(cfg, 0, sizeof(*cfg));
    why[0] = '\0';
    return kc_config_load(f->path, cfg, why, whylen);
}

/* The text must be refused at line; why starts "FILE:LINE: " and holds word. */
static void expect_error(const fixture *f, const char *text, int line, const char *word)
{
    kc_config cfg;
    char why[1024], prefix[4300];

    assert_int_equal(load_text(f, text, &cfg, why, sizeof(why)), -1);
    kc_snprintf(prefix, sizeof(prefix), "%s:%d: ", f->path, line);
    if (strncmp(why, prefix, strlen(prefix)) != 0 || strstr(why, word) == NULL)
        print_error("got \"%s\", wanted prefix \"%s\" and \"%s\"\n", why, prefix, word);
    assert_int_equal(strncmp(why, prefix, strlen(prefix)), 0);
    assert_non_null(strstr(why, word));
    kc_config_free(&cfg);
}

static void all_keys(void **state)
{
    fixture *f = *state;
    kc_config cfg;
    char why[1024];

    assert_int_equal(load_text(f,
                               "; kextcheck settings\n"
                               "# another comment style\n"
                               "\n"
                               "[kextcheck]\n"
                               "root = /cases/Mac HD\n"
                               "policy_db = /cases/db/KextPolicy\n"
                               "\n"
                               "[plugins]\n"
                               "dir = /opt/kextcheck/plugins\n"
                               "enable = trend-micro\n"
                               "disable = vmware\n",
                               &cfg, why, sizeof(why)),
                     0);
    assert_string_equal(cfg.root, "/cases/Mac HD");
    assert_string_equal(cfg.policy_db, "/cases/db/KextPolicy");
    assert_int_equal(cfg.plugin_dirs.n, 1);
    assert_string_equal(cfg.plugin_dirs.v[0], "/opt/kextcheck/plugins");
    assert_int_equal(cfg.enable.n, 1);
    assert_string_equal(cfg.enable.v[0], "trend-micro");
    assert_int_equal(cfg.disable.n, 1);
    assert_string_equal(cfg.disable.v[0], "vmware");
    kc_config_free(&cfg);
    assert_null(cfg.root);
    assert_int_equal(cfg.plugin_dirs.n, 0);
}

static void only_some_keys(void **state)
{
    fixture *f = *state;
    kc_config cfg;
    char why[1024];

    assert_int_equal(load_text(f, "[plugins]\ndir = /a\n", &cfg, why, sizeof(why)), 0);
    assert_null(cfg.root);
    assert_null(cfg.policy_db);
    assert_int_equal(cfg.enable.n, 0);
    assert_int_equal(cfg.disable.n, 0);
    kc_config_free(&cfg);

    assert_int_equal(load_text(f, "", &cfg, why, sizeof(why)), 0);
    assert_null(cfg.root);
    assert_int_equal(cfg.plugin_dirs.n, 0);
    kc_config_free(&cfg);
}

static void repeated_dirs(void **state)
{
    fixture *f = *state;
    kc_config cfg;
    char why[1024];

    assert_int_equal(load_text(f,
                               "[plugins]\n"
                               "dir = /opt/one\n"
                               "dir = /opt/two words\n"
                               "[kextcheck]\n"
                               "root = /\n"
                               "[plugins]\n"
                               "dir = /opt/three\n",
                               &cfg, why, sizeof(why)),
                     0);
    assert_int_equal(cfg.plugin_dirs.n, 3);
    assert_string_equal(cfg.plugin_dirs.v[0], "/opt/one");
    assert_string_equal(cfg.plugin_dirs.v[1], "/opt/two words");
    assert_string_equal(cfg.plugin_dirs.v[2], "/opt/three");
    assert_string_equal(cfg.root, "/");
    kc_config_free(&cfg);
}

static void lists_split(void **state)
{
    fixture *f = *state;
    kc_config cfg;
    char why[1024];

    assert_int_equal(load_text(f,
                               "[plugins]\n"
                               "enable = trend-micro, vmware  parallels,,virtualbox\t,cisco\n"
                               "enable = ,sophos,\n"
                               "disable = a,b c\n",
                               &cfg, why, sizeof(why)),
                     0);
    assert_int_equal(cfg.enable.n, 6);
    assert_string_equal(cfg.enable.v[0], "trend-micro");
    assert_string_equal(cfg.enable.v[1], "vmware");
    assert_string_equal(cfg.enable.v[2], "parallels");
    assert_string_equal(cfg.enable.v[3], "virtualbox");
    assert_string_equal(cfg.enable.v[4], "cisco");
    assert_string_equal(cfg.enable.v[5], "sophos");
    assert_int_equal(cfg.disable.n, 3);
    assert_string_equal(cfg.disable.v[0], "a");
    assert_string_equal(cfg.disable.v[1], "b");
    assert_string_equal(cfg.disable.v[2], "c");
    kc_config_free(&cfg);
}

static void missing_file(void **state)
{
    fixture *f = *state;
    kc_config cfg;
    char why[64] = "untouched";
    char *p = kc_asprintf("%s/does-not-exist.ini", f->dir);

    assert_non_null(p);
    memset(&cfg, 0, sizeof(cfg));
    cfg.root = kc_strdup("/keep");
    assert_int_equal(kc_config_load(p, &cfg, why, sizeof(why)), 1);
    assert_string_equal(cfg.root, "/keep");
    assert_null(cfg.policy_db);
    assert_string_equal(why, "untouched");
    kc_config_free(&cfg);
    free(p);
}

static void unknown_key(void **state)
{
    fixture *f = *state;

    expect_error(f, "[kextcheck]\nroot = /\nbogus = 1\n", 3, "unknown key \"bogus\"");
    expect_error(f, "[plugins]\n\n; note\nplugin_dir = /x\n", 4, "unknown key \"plugin_dir\"");
    /* Keys belong to their own section. */
    expect_error(f, "[plugins]\nroot = /\n", 2, "unknown key \"root\"");
    expect_error(f, "[kextcheck]\ndir = /x\n", 2, "unknown key \"dir\"");
}

static void unknown_section(void **state)
{
    fixture *f = *state;

    expect_error(f, "[kextcheck]\nroot = /\n[extras]\nroot = /\n", 4, "unknown section [extras]");
    /* A key before any section. */
    expect_error(f, "root = /\n", 1, "unknown section");
}

static void relative_dir(void **state)
{
    fixture *f = *state;

    expect_error(f, "[plugins]\ndir = /ok\ndir = plugins\n", 3, "not an absolute path");
    expect_error(f, "[plugins]\ndir = ./plugins\n", 2, "\"./plugins\"");
}

static void empty_value(void **state)
{
    fixture *f = *state;

    expect_error(f, "[kextcheck]\nroot =\n", 2, "root has no value");
    expect_error(f, "[kextcheck]\nroot = /\npolicy_db =   \n", 3, "policy_db has no value");
    expect_error(f, "[plugins]\nenable =\n", 2, "enable has no value");
}

static void not_ini_line(void **state)
{
    fixture *f = *state;

    expect_error(f, "[kextcheck]\nroot = /\nthis line is not INI\n", 3, "not an INI line");
    expect_error(f, "; unterminated section\n[kextcheck\n", 2, "not an INI line");
}

/* inih keeps parsing after an error line and reports the FIRST error's line
 * number; the message must belong to that same line.
 * (Found by this test and fixed: the handler's message of a later line was
 * once printed with the earlier line's number.) */
static void first_error_message_matches_line(void **state)
{
    fixture *f = *state;
    kc_config cfg;
    char why[1024], want[4300];

    assert_int_equal(load_text(f, "[kextcheck]\njunk here\nbogus = 1\n", &cfg, why, sizeof(why)),
                     -1);
    kc_snprintf(want, sizeof(want), "%s:2: ", f->path);
    assert_int_equal(strncmp(why, want, strlen(want)), 0);
    if (strstr(why, "not an INI line") == NULL)
        print_error("line 2 is reported with another line's message: \"%s\"\n", why);
    assert_non_null(strstr(why, "not an INI line"));
    assert_null(strstr(why, "bogus"));
    kc_config_free(&cfg);
}

/* inih reads lines of at most 200 bytes and parses the rest of a longer
 * line as a line of its own; with INI_ALLOW_MULTILINE a rest that starts
 * with white space continues the previous key.
 * (Found by this test and fixed: a 206-byte "root = /cases/aaa... HD/mac"
 * line whose space fell at byte 199 once loaded as root "HD/mac".) */
static void long_line_refused(void **state)
{
    fixture *f = *state;
    kc_config cfg;
    char why[1024], line[400], *text;
    size_t n;
    int rc;

    kc_snprintf(line, sizeof(line), "root = /cases/");
    n = strlen(line);
    while (n < 199)
        line[n++] = 'a';
    line[n] = '\0';
    strcat(line, " HD/mac");
    text = kc_asprintf("[kextcheck]\n%s\n", line);
    assert_non_null(text);
    rc = load_text(f, text, &cfg, why, sizeof(why));
    if (rc != -1)
        print_error("an over-long line was accepted: root = \"%s\"\n",
                    cfg.root ? cfg.root : "(null)");
    kc_config_free(&cfg);
    if (rc != -1)
        free(text);
    assert_int_equal(rc, -1);

    /* Without a space at the cut the rest is not INI: refused. */
    text[strlen(text) - 8] = 'a';
    assert_int_equal(load_text(f, text, &cfg, why, sizeof(why)), -1);
    assert_non_null(strstr(why, "longer than 199 bytes"));
    kc_config_free(&cfg);
    free(text);
}

/* "[kextcheck]\nroot = /aaa...\n" whose root line has n bytes, ending with
 * the line end eol. */
static char *root_line(size_t n, const char *eol)
{
    char line[512];
    size_t i = 0;

    assert_true(n < sizeof(line));
    i = (size_t)snprintf(line, sizeof(line), "root = /");
    while (i < n)
        line[i++] = 'a';
    line[i] = '\0';
    return kc_asprintf("[kextcheck]\n%s%s[plugins]\ndir = /x\n", line, eol);
}

/* inih takes lines of up to 199 bytes (its 200-byte buffer holds the NUL
 * too): a 199-byte line is read whole, a 200-byte one is refused, and the
 * message says the real limit.
 * (Found by this test and fixed: a 199-byte line was refused as "longer
 * than 200 bytes".) */
static void line_length_boundary(void **state)
{
    fixture *f = *state;
    kc_config cfg;
    char why[1024], want[4300];
    static const char *const eols[] = {"\n", "\r\n"};

    for (size_t e = 0; e < 2; e++) {
        char *text = root_line(199, eols[e]);
        int rc;
        assert_non_null(text);
        rc = load_text(f, text, &cfg, why, sizeof(why));
        free(text);
        if (rc != 0)
            print_error("a 199-byte line was refused: %s\n", why);
        assert_int_equal(rc, 0);
        assert_int_equal(strlen(cfg.root), 199 - strlen("root = "));
        assert_int_equal(cfg.plugin_dirs.n, 1);
        kc_config_free(&cfg);

        text = root_line(200, eols[e]);
        assert_non_null(text);
        assert_int_equal(load_text(f, text, &cfg, why, sizeof(why)), -1);
        free(text);
        kc_snprintf(want, sizeof(want), "%s:2: line is longer than 199 bytes", f->path);
        if (strncmp(why, want, strlen(want)) != 0)
            print_error("got \"%s\", wanted \"%s\"\n", why, want);
        assert_int_equal(strncmp(why, want, strlen(want)), 0);
        kc_config_free(&cfg);
    }
}

/* A NUL byte ends a line for inih, and most viewers show nothing for it, so
 * it could hide the rest of a line, or make a line that looks like a
 * comment take effect: refused, with the line it is on.
 * (Found by this test and fixed: "enable = x\0, trendmicro" enabled only x,
 * so trendmicro was silently not checked.) */
static void nul_byte_refused(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *text;
        size_t len;
        int line;
    } cases[] = {
#define TEXT(s) s, sizeof(s) - 1
        {TEXT("[plugins]\nenable = x\0, trendmicro\n"), 2},
        {TEXT("; comment\0\n[plugins]\ndisable = trendmicro\n"), 1},
        {TEXT("[plugins]\n; note\ndisable = a\0\n"), 3},
        {TEXT("\0"), 1},
#undef TEXT
    };

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        kc_config cfg;
        char why[1024], want[4300];
        int rc;
        memset(&cfg, 0, sizeof(cfg));
        assert_non_null(memchr(cases[i].text, '\0', cases[i].len));
        tu_write_bytes(f->path, cases[i].text, cases[i].len);
        rc = kc_config_load(f->path, &cfg, why, sizeof(why));
        if (rc != -1)
            print_error("case %zu: a NUL byte was accepted (%zu enabled, %zu disabled)\n", i,
                        cfg.enable.n, cfg.disable.n);
        kc_config_free(&cfg);
        assert_int_equal(rc, -1);
        kc_snprintf(want, sizeof(want), "%s:%d: holds a NUL byte", f->path, cases[i].line);
        if (strncmp(why, want, strlen(want)) != 0)
            print_error("got \"%s\", wanted \"%s\"\n", why, want);
        assert_int_equal(strncmp(why, want, strlen(want)), 0);
    }
}

/* Loads path under a 10-second alarm: a read that blocks (a FIFO) or never
 * ends (/dev/zero) kills the test instead of hanging it. */
static int load_guarded(const char *path, char *why, size_t whylen)
{
    kc_config cfg;
    int rc;

    memset(&cfg, 0, sizeof(cfg));
    signal(SIGALRM, SIG_DFL);
    alarm(10);
    rc = kc_config_load(path, &cfg, why, whylen);
    alarm(0);
    kc_config_free(&cfg);
    return rc;
}

/* Only a regular file is read: a FIFO would block for a writer that never
 * comes and /dev/zero never ends.
 * (Found by this test and fixed: --config on a FIFO or /dev/zero hung.) */
static void not_a_regular_file(void **state)
{
    fixture *f = *state;
    char why[1024], fifo[4300];

    tu_join(fifo, sizeof(fifo), f->dir, "fifo.ini");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(load_guarded(fifo, why, sizeof(why)), -1);
    assert_non_null(strstr(why, "not a regular file"));
    assert_int_equal(load_guarded("/dev/zero", why, sizeof(why)), -1);
    assert_non_null(strstr(why, "/dev/zero: not a regular file"));
    assert_int_equal(load_guarded(f->dir, why, sizeof(why)), -1);
    assert_non_null(strstr(why, "not a regular file"));
}

/* At most 64 KiB, and the message says so. */
static void size_limit(void **state)
{
    fixture *f = *state;
    enum { MAX = 64 * 1024 };
    char *text = malloc(MAX + 1), why[1024];
    kc_config cfg;

    assert_non_null(text);
    /* 1024 comment lines of 64 bytes: exactly 64 KiB. */
    for (size_t i = 0; i < MAX; i++)
        text[i] = i % 64 == 63 ? '\n' : i % 64 == 0 ? '#' : 'x';
    tu_write_bytes(f->path, text, MAX);
    memset(&cfg, 0, sizeof(cfg));
    assert_int_equal(kc_config_load(f->path, &cfg, why, sizeof(why)), 0);
    kc_config_free(&cfg);
    text[MAX] = '\n';
    tu_write_bytes(f->path, text, MAX + 1);
    free(text);
    assert_int_equal(kc_config_load(f->path, &cfg, why, sizeof(why)), -1);
    kc_config_free(&cfg);
    if (strstr(why, "larger than 65536 bytes (64 KiB") == NULL)
        print_error("got \"%s\"\n", why);
    assert_non_null(strstr(why, "larger than 65536 bytes (64 KiB"));
}

/* Two handler errors: the first one's message and line are reported. */
static void first_of_two_errors(void **state)
{
    fixture *f = *state;

    expect_error(f, "[kextcheck]\nbogus = 1\n[plugins]\ndir = rel\n", 2, "bogus");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(all_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(only_some_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(repeated_dirs, setup, teardown),
        cmocka_unit_test_setup_teardown(lists_split, setup, teardown),
        cmocka_unit_test_setup_teardown(missing_file, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_key, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_section, setup, teardown),
        cmocka_unit_test_setup_teardown(relative_dir, setup, teardown),
        cmocka_unit_test_setup_teardown(empty_value, setup, teardown),
        cmocka_unit_test_setup_teardown(not_ini_line, setup, teardown),
        cmocka_unit_test_setup_teardown(first_error_message_matches_line, setup, teardown),
        cmocka_unit_test_setup_teardown(first_of_two_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(long_line_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(line_length_boundary, setup, teardown),
        cmocka_unit_test_setup_teardown(nul_byte_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(not_a_regular_file, setup, teardown),
        cmocka_unit_test_setup_teardown(size_limit, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
