/* Unit tests for core/util.c: text cleaning, quoting, paths, file reads. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kc.h"
#include "testutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FFFD "\xef\xbf\xbd"

/* ---- helpers ----------------------------------------------------------- */

static size_t count_fffd(const char *s)
{
    size_t n = 0;

    for (const char *p = s; (p = strstr(p, FFFD)) != NULL; p += 3)
        n++;
    return n;
}

/* Cleans n bytes and checks the result is valid UTF-8 equal to want. */
static void expect_clean(const char *in, size_t n, const char *want)
{
    char *out = kc_utf8_clean(in, n);

    assert_non_null(out);
    assert_true(tu_valid_utf8(out, strlen(out)));
    assert_string_equal(out, want);
    free(out);
}

/* Cleans n bytes; the result must be valid UTF-8 that starts with prefix,
 * ends with suffix and holds at least one U+FFFD between them. */
static void expect_replaced(const char *in, size_t n, const char *prefix, const char *suffix)
{
    char *out = kc_utf8_clean(in, n);
    size_t ol, pl = strlen(prefix), sl = strlen(suffix);

    assert_non_null(out);
    ol = strlen(out);
    assert_true(tu_valid_utf8(out, ol));
    assert_true(ol >= pl + 3 + sl);
    assert_memory_equal(out, prefix, pl);
    assert_memory_equal(out + ol - sl, suffix, sl);
    assert_true(count_fffd(out) >= 1);
    /* Only replacement characters between the kept parts. */
    for (size_t i = pl; i < ol - sl; i += 3)
        assert_memory_equal(out + i, FFFD, 3);
    assert_int_equal((ol - pl - sl) % 3, 0);
    free(out);
}

typedef tu_tmp fixture;

static int setup_tmp(void **state)
{
    *state = tu_tmp_new("util", NULL);
    return 0;
}

static int teardown_tmp(void **state)
{
    tu_tmp_free(*state);
    return 0;
}

static char *path_in(const fixture *f, const char *name)
{
    char *p = kc_asprintf("%s/%s", f->dir, name);

    assert_non_null(p);
    return p;
}

/* ---- kc_utf8_clean ------------------------------------------------------ */

static void utf8_valid_kept(void **state)
{
    static const char s[] = "plain ASCII, caf\xc3\xa9, \xe6\x97\xa5\xe6\x9c\xac, "
                            "\xf0\x9f\x98\x80, U+10FFFF \xf4\x8f\xbf\xbf, U+FFFD " FFFD;

    (void)state;
    expect_clean(s, sizeof(s) - 1, s);
    expect_clean("", 0, "");
    /* Only n bytes are read: the rest of the buffer is ignored. */
    expect_clean("abcdef", 3, "abc");
}

static void utf8_null_input(void **state)
{
    (void)state;
    assert_null(kc_utf8_clean(NULL, 0));
}

static void utf8_invalid_bytes(void **state)
{
    (void)state;
    /* Single bytes that never start a sequence: one U+FFFD each. */
    expect_clean("a\xff" "b", 3, "a" FFFD "b");
    expect_clean("a\xfe" "b", 3, "a" FFFD "b");
    expect_replaced("a\xf5\x80\x80\x80" "b", 6, "a", "b");
    /* A lone continuation byte. */
    expect_clean("a\x80" "b", 3, "a" FFFD "b");
    /* A lead byte followed by ASCII: the ASCII survives. */
    expect_clean("a\xc3" "b", 3, "a" FFFD "b");
    /* A sequence cut by the end of the buffer. */
    expect_replaced("ab\xe6\x97", 4, "ab", "");
    expect_replaced("ab\xf0\x9f\x98", 5, "ab", "");
    /* Above U+10FFFF. */
    expect_replaced("x\xf4\x90\x80\x80y", 6, "x", "y");
    /* Latin-1 text as it appears in broken rows. */
    expect_clean("Soci\xe9t\xe9", 7, "Soci" FFFD "t" FFFD);
}

static void utf8_overlong(void **state)
{
    (void)state;
    /* "/" as 2, 3 and 4 bytes; NUL as 2 bytes (modified UTF-8). */
    expect_replaced("<\xc0\xaf>", 4, "<", ">");
    expect_replaced("<\xe0\x80\xaf>", 5, "<", ">");
    expect_replaced("<\xf0\x80\x80\xaf>", 6, "<", ">");
    expect_replaced("<\xc0\x80>", 4, "<", ">");
    expect_replaced("<\xc1\xbf>", 4, "<", ">");
    /* Largest overlong 3-byte form (U+07FF). */
    expect_replaced("<\xe0\x9f\xbf>", 5, "<", ">");
    /* Smallest valid forms are kept. */
    expect_clean("<\xc2\x80>", 4, "<\xc2\x80>");
    expect_clean("<\xe0\xa0\x80>", 5, "<\xe0\xa0\x80>");
    expect_clean("<\xf0\x90\x80\x80>", 6, "<\xf0\x90\x80\x80>");
}

static void utf8_surrogates(void **state)
{
    (void)state;
    expect_replaced("<\xed\xa0\x80>", 5, "<", ">");       /* U+D800 */
    expect_replaced("<\xed\xbf\xbf>", 5, "<", ">");       /* U+DFFF */
    /* CESU-8 pair for U+1F600. */
    expect_replaced("<\xed\xa0\xbd\xed\xb8\x80>", 8, "<", ">");
    /* Neighbours of the surrogate range are fine. */
    expect_clean("<\xed\x9f\xbf>", 5, "<\xed\x9f\xbf>"); /* U+D7FF */
    expect_clean("<\xee\x80\x80>", 5, "<\xee\x80\x80>"); /* U+E000 */
}

static void utf8_embedded_nul(void **state)
{
    char *out;

    (void)state;
    expect_clean("a\0b", 3, "a" FFFD "b");
    expect_clean("\0\0", 2, FFFD FFFD);
    out = kc_utf8_clean("ab\0", 3);
    assert_non_null(out);
    assert_int_equal(strlen(out), 5);
    assert_string_equal(out, "ab" FFFD);
    free(out);
}

/* ---- kc_printable ------------------------------------------------------- */

static void expect_printable(const char *in, const char *want)
{
    char *out = kc_printable(in);

    assert_non_null(out);
    assert_string_equal(out, want);
    free(out);
}

static void printable_controls(void **state)
{
    (void)state;
    expect_printable("red\x1b[31mtext", "red\\x1b[31mtext");
    expect_printable("two\nlines", "two\\x0alines");
    expect_printable("cr\rtab\t", "cr\\x0dtab\\x09");
    expect_printable("del\x7f!", "del\\x7f!");
    expect_printable("\x01", "\\x01");
    expect_printable("\x1f", "\\x1f");
    /* C1 controls as UTF-8: U+009B (CSI), U+0080, U+009F. */
    expect_printable("csi\xc2\x9b" "31m", "csi\\x9b31m");
    expect_printable("\xc2\x80|\xc2\x9f", "\\x80|\\x9f");
}

static void printable_text_kept(void **state)
{
    (void)state;
    expect_printable("", "");
    expect_printable("VMware, Inc.", "VMware, Inc.");
    expect_printable("Trend Micro ~ [ok] {1} 'q' \"d\"", "Trend Micro ~ [ok] {1} 'q' \"d\"");
    /* U+00A0..U+00FF start with 0xc2/0xc3 too and are not controls. */
    expect_printable("caf\xc3\xa9 \xc2\xa0nbsp \xc2\xa9", "caf\xc3\xa9 \xc2\xa0nbsp \xc2\xa9");
    expect_printable("\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80", "\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80");
    expect_printable(FFFD, FFFD);
}

/* ---- kc_shell_quote ----------------------------------------------------- */

static void expect_quote(const char *in, const char *want)
{
    char *out = kc_shell_quote(in);

    assert_non_null(out);
    assert_string_equal(out, want);
    free(out);
}

/* Exactly 10 of A-Z and 0-9, measured by n (not by a NUL). */
static void team_id_valid(void **state)
{
    (void)state;
    /* The rule as messages say it (the C locale: English). */
    assert_string_equal(kc_team_id_rule(), "a team ID (10 characters of A-Z and 0-9)");
    assert_true(kc_team_id_valid("ABCDE12345", 10));
    assert_true(kc_team_id_valid("0123456789", 10));
    assert_true(kc_team_id_valid("ZZZZZZZZZZ", 10));
    /* n is the length: a longer string's first 10 bytes are a team ID. */
    assert_true(kc_team_id_valid("ABCDE12345X", 10));
    assert_false(kc_team_id_valid("ABCDE12345X", 11));
    assert_false(kc_team_id_valid("ABCDE1234", 9));
    assert_false(kc_team_id_valid("", 0));
    assert_false(kc_team_id_valid(NULL, 10));
    assert_false(kc_team_id_valid("abcde12345", 10));
    assert_false(kc_team_id_valid("ABCDE 2345", 10));
    assert_false(kc_team_id_valid("ABCDE-2345", 10));
    assert_false(kc_team_id_valid("ABCDE\0" "2345", 10));
    assert_false(kc_team_id_valid("ABCDE\xc3\x84" "234", 10));
    /* The characters just outside the ranges. */
    assert_false(kc_team_id_valid("@BCDE12345", 10));
    assert_false(kc_team_id_valid("[BCDE12345", 10));
    assert_false(kc_team_id_valid("/BCDE12345", 10));
    assert_false(kc_team_id_valid(":BCDE12345", 10));
}

static void shell_quote(void **state)
{
    (void)state;
    expect_quote("", "''");
    expect_quote("plain", "'plain'");
    expect_quote("/Volumes/Macintosh HD/Library", "'/Volumes/Macintosh HD/Library'");
    expect_quote("Mac HD's copy", "'Mac HD'\\''s copy'");
    expect_quote("'", "''\\'''");
    expect_quote("''", "''\\'''\\'''");
    /* Everything else is literal inside single quotes. */
    expect_quote("$HOME `x` \"y\" \\ * ?", "'$HOME `x` \"y\" \\ * ?'");
}

/* ---- kc_path_under_root ------------------------------------------------- */

static void expect_under(const char *root, const char *p, const char *want)
{
    char *out = kc_path_under_root(root, p);

    assert_non_null(out);
    assert_string_equal(out, want);
    free(out);
}

/* kc_split_path on a copy of path gives parent and base. */
/* The clock only goes forward, and a pause lasts at least as long as asked. */
static void monotonic_ms(void **state)
{
    long long a, b;

    (void)state;
    a = kc_now_ms();
    assert_true(a > 0);
    kc_sleep_ms(30);
    b = kc_now_ms();
    assert_true(b - a >= 30);
    kc_sleep_ms(0);
    assert_true(kc_now_ms() >= b);
}

static void expect_split(const char *path, const char *parent, const char *base)
{
    char copy[64];
    const char *p = NULL;
    char *b = NULL;

    assert_true(strlen(path) < sizeof(copy));
    memcpy(copy, path, strlen(path) + 1);
    kc_split_path(copy, &p, &b);
    assert_string_equal(p, parent);
    assert_string_equal(b, base);
}

static void split_path(void **state)
{
    (void)state;
    expect_split("report.json", ".", "report.json");
    expect_split("out/report.json", "out", "report.json");
    expect_split("/tmp/report.json", "/tmp", "report.json");
    expect_split("/report.json", "/", "report.json");
    expect_split("/a/b/", "/a/b", "");
    expect_split("/", "/", "");
    expect_split("", ".", "");
}

static void path_under_root(void **state)
{
    (void)state;
    expect_under("/", "/Library/Extensions", "/Library/Extensions");
    expect_under("//", "/Library/Extensions", "/Library/Extensions");
    expect_under("///", "/Library/Extensions", "/Library/Extensions");
    expect_under("/cases/mac1", "/Library/Extensions", "/cases/mac1/Library/Extensions");
    expect_under("/cases/mac1/", "/Library/Extensions", "/cases/mac1/Library/Extensions");
    expect_under("/cases/mac1///", "/Library/Extensions", "/cases/mac1/Library/Extensions");
    expect_under("/cases/Mac HD", "/Library/A B.kext", "/cases/Mac HD/Library/A B.kext");
    /* A relative root stays relative. */
    expect_under("case", "/Library", "case/Library");
    expect_under("case/", "/Library", "case/Library");
    /* A path without its leading slash still gets one. */
    expect_under("/cases/mac1", "Library", "/cases/mac1/Library");
}

/* ---- kc_read_file ------------------------------------------------------- */

/* Only root and the running user may change a folder, unless it is sticky. */
static void unsafe_folder(void **state)
{
    struct stat st;
    char buf[128];
    uid_t other = geteuid() == 65534 ? 65533 : 65534;

    (void)state;
    memset(&st, 0, sizeof(st));
    st.st_mode = S_IFDIR | 0755;
    st.st_uid = 0;
    assert_null(kc_unsafe_folder(&st, buf, sizeof(buf)));
    st.st_uid = geteuid();
    assert_null(kc_unsafe_folder(&st, buf, sizeof(buf)));
    st.st_mode = S_IFDIR | 01777; /* /tmp */
    assert_null(kc_unsafe_folder(&st, buf, sizeof(buf)));
    st.st_mode = S_IFDIR | 0777;
    assert_string_equal(kc_unsafe_folder(&st, buf, sizeof(buf)),
                        "is writable by everyone and has no sticky bit");
    st.st_mode = S_IFDIR | 0775;
    assert_string_equal(kc_unsafe_folder(&st, buf, sizeof(buf)),
                        "is writable by its group and has no sticky bit");
    st.st_mode = S_IFDIR | 0755;
    st.st_uid = other;
    assert_ptr_equal(kc_unsafe_folder(&st, buf, sizeof(buf)), buf);
    assert_non_null(strstr(buf, "which is neither root nor the running user"));
}

/* kc_read_fd(fd, n) must give the want_len bytes of want and a NUL. */
static void expect_read_fd(int fd, size_t n, const char *want, size_t want_len)
{
    char *data = NULL, why[256];
    size_t len = 99;

    assert_int_equal(kc_read_fd(fd, n, &data, &len, why, sizeof(why)), 0);
    assert_int_equal(len, want_len);
    assert_memory_equal(data, want, want_len + 1);
    free(data);
}

/* At most n bytes, fewer at the end of the data, always NUL-terminated. */
static void read_fd(void **state)
{
    int fds[2];
    char *data = NULL, why[256];
    size_t len = 99;

    (void)state;
    assert_int_equal(pipe(fds), 0);
    assert_int_equal(write(fds[1], "hello\0!", 7), 7);
    assert_int_equal(close(fds[1]), 0);
    expect_read_fd(fds[0], 3, "hel", 3);
    expect_read_fd(fds[0], 100, "lo\0!", 4);
    /* At the end, or asked for nothing: an empty string. */
    expect_read_fd(fds[0], 100, "", 0);
    expect_read_fd(fds[0], 0, "", 0);
    assert_int_equal(close(fds[0]), 0);
    /* A read that fails: nothing returned, the reason given. */
    assert_int_equal(kc_read_fd(fds[0], 10, &data, &len, why, sizeof(why)), -1);
    assert_null(data);
    assert_int_equal(len, 0);
    assert_string_equal(why, strerror(EBADF));
    assert_int_equal(kc_read_fd(fds[0], SIZE_MAX, &data, &len, why, sizeof(why)), -1);
    assert_string_equal(why, "out of memory");
}

static void read_file_ok(void **state)
{
    fixture *f = *state;
    char *p = path_in(f, "ten"), *data = NULL, why[256] = "";
    size_t len = 99;

    tu_write_bytes(p, "0123\0" "6789", 10);
    assert_int_equal(kc_read_file(p, 10, &data, &len, why, sizeof(why)), 0);
    assert_non_null(data);
    assert_int_equal(len, 10);
    assert_memory_equal(data, "0123\0" "6789", 10);
    assert_int_equal(data[10], '\0');
    free(data);
    free(p);
}

static void read_file_empty(void **state)
{
    fixture *f = *state;
    char *p = path_in(f, "empty"), *data = NULL, why[256] = "";
    size_t len = 99;

    tu_write_bytes(p, "", 0);
    assert_int_equal(kc_read_file(p, 0, &data, &len, why, sizeof(why)), 0);
    assert_non_null(data);
    assert_int_equal(len, 0);
    assert_string_equal(data, "");
    free(data);
    free(p);
}

static void read_file_size_cap(void **state)
{
    fixture *f = *state;
    char *p = path_in(f, "big"), *data = (char *)"sentinel", why[256] = "";
    size_t len = 99;

    tu_write_bytes(p, "0123456789", 10);
    assert_int_equal(kc_read_file(p, 9, &data, &len, why, sizeof(why)), -1);
    assert_null(data);
    assert_int_equal(len, 0);
    assert_non_null(strstr(why, "larger than 9 bytes"));
    free(p);
}

static void read_file_symlink(void **state)
{
    fixture *f = *state;
    char *target = path_in(f, "target"), *link = path_in(f, "link");
    char *data = (char *)"sentinel", why[256] = "";
    size_t len = 99;

    tu_write_bytes(target, "secret", 6);
    assert_int_equal(symlink(target, link), 0);
    assert_int_equal(kc_read_file(link, 100, &data, &len, why, sizeof(why)), -1);
    assert_null(data);
    assert_int_equal(len, 0);
    assert_non_null(strstr(why, "symbolic link"));
    free(target);
    free(link);
}

static void read_file_not_regular(void **state)
{
    fixture *f = *state;
    char *dir = path_in(f, "folder"), *fifo = path_in(f, "fifo");
    char *data = NULL, why[256] = "";
    size_t len = 99;

    assert_int_equal(mkdir(dir, 0700), 0);
    assert_int_equal(kc_read_file(dir, 100, &data, &len, why, sizeof(why)), -1);
    assert_null(data);
    assert_non_null(strstr(why, "not a regular file"));

    /* A FIFO without a writer must not block the read. */
    why[0] = '\0';
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_int_equal(kc_read_file(fifo, 100, &data, &len, why, sizeof(why)), -1);
    assert_null(data);
    assert_non_null(strstr(why, "not a regular file"));

    why[0] = '\0';
    assert_int_equal(kc_read_file("/dev/null", 100, &data, &len, why, sizeof(why)), -1);
    assert_null(data);
    assert_non_null(strstr(why, "not a regular file"));
    free(dir);
    free(fifo);
}

static void read_file_missing(void **state)
{
    fixture *f = *state;
    char *p = path_in(f, "nope"), *data = NULL, why[256] = "";
    size_t len = 99;

    assert_int_equal(kc_read_file(p, 100, &data, &len, why, sizeof(why)), -1);
    assert_null(data);
    assert_string_equal(why, strerror(ENOENT));
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_valid_kept),
        cmocka_unit_test(utf8_null_input),
        cmocka_unit_test(utf8_invalid_bytes),
        cmocka_unit_test(utf8_overlong),
        cmocka_unit_test(utf8_surrogates),
        cmocka_unit_test(utf8_embedded_nul),
        cmocka_unit_test(printable_controls),
        cmocka_unit_test(printable_text_kept),
        cmocka_unit_test(team_id_valid),
        cmocka_unit_test(shell_quote),
        cmocka_unit_test(split_path),
        cmocka_unit_test(path_under_root),
        cmocka_unit_test(unsafe_folder),
        cmocka_unit_test(read_fd),
        cmocka_unit_test(monotonic_ms),
        cmocka_unit_test_setup_teardown(read_file_ok, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(read_file_empty, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(read_file_size_cap, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(read_file_symlink, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(read_file_not_regular, setup_tmp, teardown_tmp),
        cmocka_unit_test_setup_teardown(read_file_missing, setup_tmp, teardown_tmp),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
