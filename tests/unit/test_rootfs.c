/* Unit tests for core/rootfs.c: links inside the root followed as on a Mac,
 * links out of it refused, only regular files read. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kc.h"
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct fixture {
    tu_tmp *tmp;      /* tmp->dir holds root/ and outside/ */
    char root[4300];
    char outside[4300];
    kc_rootfs fs;
} fixture;

static void mkdir_p(const char *base, const char *rel)
{
    char path[8192];
    size_t n;

    tu_join(path, sizeof(path), base, rel);
    n = strlen(base) + 1;
    for (size_t i = n; path[i - 1] != '\0'; i++) {
        if (path[i] == '/' || path[i] == '\0') {
            char c = path[i];
            path[i] = '\0';
            if (mkdir(path, 0755) != 0 && errno != EEXIST)
                fail_msg("mkdir %s: %s", path, strerror(errno));
            path[i] = c;
        }
    }
}

static void link_at(const char *base, const char *rel, const char *target)
{
    char path[8192];

    tu_join(path, sizeof(path), base, rel);
    if (symlink(target, path) != 0)
        fail_msg("symlink %s: %s", path, strerror(errno));
}

static void file_at(const char *base, const char *rel, const char *text)
{
    char path[8192];

    tu_join(path, sizeof(path), base, rel);
    tu_write_text(path, text);
}

/* A Mac's layout: /private/var with the links, a kext folder, and a
 * folder outside the root that no link may reach. */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    char why[256];

    assert_non_null(f);
    f->tmp = tu_tmp_new("rootfs", NULL);
    tu_join(f->root, sizeof(f->root), f->tmp->dir, "root");
    tu_join(f->outside, sizeof(f->outside), f->tmp->dir, "outside");
    mkdir_p(f->tmp->dir, "root/private/var/db/SystemPolicyConfiguration");
    mkdir_p(f->tmp->dir, "root/private/etc");
    mkdir_p(f->tmp->dir, "root/Library/StagedExtensions/Library");
    mkdir_p(f->tmp->dir, "outside");
    link_at(f->root, "var", "private/var");
    link_at(f->root, "etc", "private/etc");
    file_at(f->root, "private/var/db/SystemPolicyConfiguration/KextPolicy", "database");
    file_at(f->outside, "secret", "outside the root");
    assert_int_equal(kc_rootfs_open(&f->fs, f->root, why, sizeof(why)), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    kc_rootfs_close(&f->fs);
    tu_tmp_free(f->tmp);
    free(f);
    return 0;
}

static void expect_read(fixture *f, const char *mac_path, const char *want)
{
    char why[256], *data = NULL;
    size_t len = 0;

    assert_int_equal(kc_rootfs_read(&f->fs, mac_path, 4096, &data, &len, why, sizeof(why)), 1);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(data, want, len);
    free(data);
}

static void expect_resolve_error(fixture *f, const char *mac_path, int err)
{
    kc_rootfs_ref ref;

    assert_int_equal(kc_rootfs_resolve(&f->fs, mac_path, true, &ref), err);
    assert_int_equal(ref.dirfd, -1);
    assert_null(ref.host_path);
}

/* /var/db/... on a Mac goes through the var -> private/var link. */
static void test_mac_layout(void **state)
{
    fixture *f = *state;
    kc_rootfs_ref ref;
    char want[8192];

    expect_read(f, "/var/db/SystemPolicyConfiguration/KextPolicy", "database");
    assert_int_equal(kc_rootfs_resolve(&f->fs, "/var/db/SystemPolicyConfiguration/KextPolicy",
                                       true, &ref),
                     0);
    snprintf(want, sizeof(want), "%s/private/var/db/SystemPolicyConfiguration/KextPolicy",
             f->fs.real);
    assert_string_equal(ref.host_path, want);
    assert_string_equal(ref.name, "KextPolicy");
    kc_rootfs_ref_free(&ref);
}

/* An absolute target means the Mac's root, never this machine's. */
static void test_absolute_link_stays_inside(void **state)
{
    fixture *f = *state;
    char target[8192];

    mkdir_p(f->root, "private/staged");
    file_at(f->root, "private/staged/Info.plist", "inside");
    link_at(f->root, "Library/StagedExtensions/Library/Extensions", "/private/staged");
    expect_read(f, "/Library/StagedExtensions/Library/Extensions/Info.plist", "inside");
    /* A link naming this machine's folder outside the root by its full
     * path is read inside the root, where it does not exist. */
    snprintf(target, sizeof(target), "%s", f->outside);
    link_at(f->root, "Library/elsewhere", target);
    expect_resolve_error(f, "/Library/elsewhere/secret", ENOENT);
}

/* A relative target that climbs above the root is refused. */
static void test_escape_refused(void **state)
{
    fixture *f = *state;
    char why[256], *data = NULL;
    size_t len = 0;

    link_at(f->root, "Library/StagedExtensions/Library/Out", "../../../../outside");
    link_at(f->root, ".kextcheck", "../outside");
    expect_resolve_error(f, "/Library/StagedExtensions/Library/Out/secret", EXDEV);
    expect_resolve_error(f, "/.kextcheck/secret", EXDEV);
    expect_resolve_error(f, "/../outside/secret", EXDEV);
    assert_int_equal(kc_rootfs_read(&f->fs, "/.kextcheck/secret", 4096, &data, &len, why,
                                    sizeof(why)),
                     -1);
    assert_null(data);
    assert_non_null(strstr(why, "leads out of the inspected root"));
    /* The last component too. */
    link_at(f->root, "private/etc/secret", "../../../outside/secret");
    expect_resolve_error(f, "/etc/secret", EXDEV);
}

static void test_dotdot_inside(void **state)
{
    fixture *f = *state;

    expect_read(f, "/private/../var/./db/SystemPolicyConfiguration/../SystemPolicyConfiguration/"
                   "KextPolicy",
                "database");
}

static void test_loop_and_missing(void **state)
{
    fixture *f = *state;
    char why[256], *data = NULL;
    size_t len = 0;

    link_at(f->root, "a", "b");
    link_at(f->root, "b", "a");
    expect_resolve_error(f, "/a/x", ELOOP);
    expect_resolve_error(f, "/nowhere/x", ENOENT);
    expect_resolve_error(f, "/var/db/SystemPolicyConfiguration/KextPolicy/x", ENOTDIR);
    assert_int_equal(kc_rootfs_read(&f->fs, "/nowhere", 4096, &data, &len, why, sizeof(why)),
                     0);
    expect_resolve_error(f, "relative/path", EINVAL);
}

/* Not following the last link: the link itself is what is named. */
static void test_no_follow_last(void **state)
{
    fixture *f = *state;
    kc_rootfs_ref ref;
    struct stat st;

    assert_int_equal(kc_rootfs_resolve(&f->fs, "/var", false, &ref), 0);
    assert_int_equal(fstatat(ref.dirfd, ref.name, &st, AT_SYMLINK_NOFOLLOW), 0);
    assert_true(S_ISLNK(st.st_mode));
    kc_rootfs_ref_free(&ref);
    assert_int_equal(kc_rootfs_stat(&f->fs, "/var", &st), 0);
    assert_true(S_ISDIR(st.st_mode));
}

/* The root itself, and a root given through a link. */
static void test_root_itself(void **state)
{
    fixture *f = *state;
    kc_rootfs_ref ref;
    kc_rootfs other;
    char why[256], alias[8192];

    assert_int_equal(kc_rootfs_resolve(&f->fs, "/", true, &ref), 0);
    assert_string_equal(ref.host_path, f->fs.real);
    assert_string_equal(ref.name, ".");
    kc_rootfs_ref_free(&ref);
    tu_join(alias, sizeof(alias), f->tmp->dir, "alias");
    assert_int_equal(symlink(f->root, alias), 0);
    assert_int_equal(kc_rootfs_open(&other, alias, why, sizeof(why)), 0);
    assert_string_equal(other.real, f->fs.real);
    kc_rootfs_close(&other);
    assert_int_equal(kc_rootfs_open(&other, "/nonexistent/kc-root", why, sizeof(why)), -1);
}

/* Only regular files are read: a FIFO would hang, a device never ends. */
static void test_only_regular_files(void **state)
{
    fixture *f = *state;
    char path[8192], why[256], *data = NULL;
    size_t len = 0;

    tu_join(path, sizeof(path), f->root, "private/var/db/fifo");
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(kc_rootfs_read(&f->fs, "/var/db/fifo", 4096, &data, &len, why,
                                    sizeof(why)),
                     -1);
    assert_string_equal(why, "not a regular file");
    assert_int_equal(kc_rootfs_read(&f->fs, "/var/db", 4096, &data, &len, why, sizeof(why)),
                     -1);
    file_at(f->root, "private/var/db/big", "0123456789");
    assert_int_equal(kc_rootfs_read(&f->fs, "/var/db/big", 9, &data, &len, why, sizeof(why)),
                     -1);
    assert_string_equal(why, "larger than 9 bytes");
    assert_null(data);
}

/* Descriptors open in this process (checked one by one: no /proc needed). */
static int open_fds(void)
{
    int n = 0;

    for (int fd = 0; fd < 4096; fd++)
        if (fcntl(fd, F_GETFD) != -1)
            n++;
    return n;
}

/* One resolution written as text: the error, or the name and the path. */
static void describe(fixture *f, const char *mac_path, bool follow, char *out, size_t len)
{
    kc_rootfs_ref ref;
    int err = kc_rootfs_resolve(&f->fs, mac_path, follow, &ref);

    if (err != 0) {
        assert_int_equal(ref.dirfd, -1);
        snprintf(out, len, "error %d", err);
        return;
    }
    assert_true(ref.dirfd >= 0);
    snprintf(out, len, "%s | %s", ref.name, ref.host_path);
    kc_rootfs_ref_free(&ref);
}

/* A run remembers what each name on the way is: asking again (each
 * answer's folder closed by its caller in between) gives the same answers,
 * through links, "..", absent names and files alike. */
static void test_second_look_same_answer(void **state)
{
    fixture *f = *state;
    static const char *const paths[] = {
        "/var/db/SystemPolicyConfiguration/KextPolicy",
        "/var/db/SystemPolicyConfiguration",
        "/var",
        "/private/../var/./db/SystemPolicyConfiguration/../SystemPolicyConfiguration/KextPolicy",
        "/Library/StagedExtensions/Library/Extensions/Info.plist",
        "/Library/StagedExtensions/Library/Up/private/var/db",
        "/Library/StagedExtensions/Library/Out/secret",
        "/Library/nowhere/x",
        "/var/db/SystemPolicyConfiguration/KextPolicy/x",
        "/a/x",
        "/",
        "/..",
    };
    char first[12][8192], again[8192];

    mkdir_p(f->root, "private/staged");
    file_at(f->root, "private/staged/Info.plist", "inside");
    link_at(f->root, "Library/StagedExtensions/Library/Extensions", "/private/staged");
    link_at(f->root, "Library/StagedExtensions/Library/Up", "../../..");
    link_at(f->root, "Library/StagedExtensions/Library/Out", "../../../../outside");
    link_at(f->root, "a", "b");
    link_at(f->root, "b", "a");
    for (int follow = 0; follow < 2; follow++) {
        for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
            describe(f, paths[i], follow, first[i], sizeof(first[i]));
        for (int round = 0; round < 2; round++)
            for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
                describe(f, paths[i], follow, again, sizeof(again));
                assert_string_equal(again, first[i]);
            }
    }
    /* The answers themselves, for the links out of remembered folders. */
    snprintf(again, sizeof(again), "db | %s/private/var/db", f->fs.real);
    assert_string_equal(first[5], again);
    assert_string_equal(first[6], "error 18"); /* EXDEV */
    expect_read(f, "/Library/StagedExtensions/Library/Extensions/Info.plist", "inside");
    expect_read(f, "/Library/StagedExtensions/Library/Extensions/Info.plist", "inside");
}

/* Folders are kept open for the run, but only a few: a root with more
 * folders on the way than the descriptor limit allows still resolves,
 * and closing the root closes every folder it kept. */
static void test_descriptors_bounded(void **state)
{
    fixture *f = *state;
    struct rlimit old, low;
    kc_rootfs fs;
    char why[256], rel[64], mac[64];
    int before = open_fds(), during, failed = 0;

    for (int i = 0; i < 150; i++) {
        snprintf(rel, sizeof(rel), "many/d%03d/sub", i);
        mkdir_p(f->root, rel);
        snprintf(rel, sizeof(rel), "many/d%03d/sub/file", i);
        file_at(f->root, rel, "x");
    }
    assert_int_equal(kc_rootfs_open(&fs, f->root, why, sizeof(why)), 0);
    assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
    low = old;
    low.rlim_cur = (rlim_t)(before + 64);
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 150; i++) {
            char *data = NULL;
            size_t len = 0;
            snprintf(mac, sizeof(mac), "/many/d%03d/sub/file", i);
            if (kc_rootfs_read(&fs, mac, 16, &data, &len, why, sizeof(why)) != 1 || len != 1)
                failed++;
            free(data);
        }
    during = open_fds();
    /* The limit goes back before anything is checked. */
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
    assert_int_equal(failed, 0);
    assert_true(during - before <= 1 + 40);
    kc_rootfs_close(&fs);
    assert_int_equal(open_fds(), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_mac_layout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_absolute_link_stays_inside, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escape_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dotdot_inside, setup, teardown),
        cmocka_unit_test_setup_teardown(test_loop_and_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_follow_last, setup, teardown),
        cmocka_unit_test_setup_teardown(test_root_itself, setup, teardown),
        cmocka_unit_test_setup_teardown(test_only_regular_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_second_look_same_answer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_descriptors_bounded, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
