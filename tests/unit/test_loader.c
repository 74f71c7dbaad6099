/* Unit tests for core/loader.c: the duplicate checks at scale (hash
 * tables), and plugin files whose object the dynamic loader already holds
 * (a hard link of a file in memory, the same file read twice). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kc.h"
#include "testutil.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const base_kexts[] = {"com.example.kext.guard", NULL};

static struct kc_plugin desc_for(const char *name, const char *team,
                                 const char *const *kexts)
{
    struct kc_plugin d;

    memset(&d, 0, sizeof(d));
    d.abi_version = KC_PLUGIN_ABI_VERSION;
    d.size = sizeof(struct kc_plugin);
    d.name = name;
    d.vendor = "Generated";
    d.team_id = team;
    d.kext_bundle_ids = kexts;
    d.reference = "kextcheck unit tests";
    return d;
}

/* 2000 distinct plugins all load (the tables grow and keep every claim),
 * and a name, team or bundle ID of any of them, early or late, is still
 * found as a duplicate. */
static void many_vendors(void **state)
{
    enum { N = 2000 };
    kc_registry reg;
    static char names[N][16], teams[N][11], ids[N][40];
    static const char *kexts[N][2];
    char source[64];

    (void)state;
    memset(&reg, 0, sizeof(reg));
    for (int i = 0; i < N; i++) {
        struct kc_plugin d;
        snprintf(names[i], sizeof(names[i]), "p%05d", i);
        snprintf(teams[i], sizeof(teams[i]), "TEAM%06d", i);
        snprintf(ids[i], sizeof(ids[i]), "com.example.many.k%05d", i);
        kexts[i][0] = ids[i];
        kexts[i][1] = NULL;
        d = desc_for(names[i], teams[i], kexts[i]);
        snprintf(source, sizeof(source), "/plugins/p%05d.so", i);
        assert_int_equal(kc_registry_add(&reg, &d, names[i], source), 0);
    }
    assert_int_equal(reg.n_vendors, N);
    assert_int_equal(reg.n_refused, 0);
    for (int i = 0; i < N; i += 397) {
        struct kc_plugin same_name = desc_for(names[i], "ZZZZZZZZZZ", base_kexts);
        struct kc_plugin same_team = desc_for("other", teams[i], base_kexts);
        struct kc_plugin same_kext = desc_for("other", "YYYYYYYYYY", kexts[i]);
        size_t before = reg.n_refused;
        assert_int_equal(kc_registry_add(&reg, &same_name, names[i], "/x/a.so"), 1);
        assert_non_null(strstr(reg.refused[before].reason, "is already loaded from"));
        assert_non_null(strstr(reg.refused[before].reason, names[i]));
        assert_int_equal(kc_registry_add(&reg, &same_team, "other", "/x/b.so"), 1);
        assert_non_null(strstr(reg.refused[before + 1].reason, teams[i]));
        assert_non_null(strstr(reg.refused[before + 1].reason, names[i]));
        assert_int_equal(kc_registry_add(&reg, &same_kext, "other", "/x/c.so"), 1);
        assert_non_null(strstr(reg.refused[before + 2].reason, ids[i]));
        assert_non_null(strstr(reg.refused[before + 2].reason, names[i]));
    }
    assert_int_equal(reg.n_vendors, N);
    kc_registry_free(&reg);
}

/* A plugin file whose object is already in memory under another name (here
 * the test loaded it itself): the dynamic loader finds that object by the
 * file's device and inode, which is the file that was checked, so it loads;
 * the same file read a second time is refused as the same file. */
static void file_already_in_memory(void **state)
{
    const char *compat = getenv("KC_TEST_COMPAT");
    char original[4096], dir[4096], link_path[4200];
    kc_registry reg;
    void *mine;

    (void)state;
    if (compat == NULL || compat[0] == '\0')
        skip();
    tu_join(original, sizeof(original), compat, "abi-1-1.so");
    tu_make_tmpdir(dir, sizeof(dir), "loader");
    tu_join(link_path, sizeof(link_path), dir, "abi-1-1.so");
    if (link(original, link_path) != 0) {
        print_message("no hard link possible (%s): skipped\n", strerror(errno));
        tu_rm_tree(dir);
        skip();
    }
    mine = dlopen(original, RTLD_NOW | RTLD_LOCAL);
    assert_non_null(mine);

    memset(&reg, 0, sizeof(reg));
    assert_int_equal(kc_registry_load_file(&reg, link_path), 0);
    assert_int_equal(reg.n_vendors, 1);
    assert_string_equal(reg.vendors[0].name, "abi-1-1");
    assert_string_equal(reg.vendors[0].source, link_path);

    assert_int_equal(kc_registry_load_file(&reg, original), 1);
    assert_int_equal(reg.n_refused, 1);
    assert_string_equal(reg.refused[0].source, original);
    assert_non_null(strstr(reg.refused[0].reason, "is the same file as"));
    assert_non_null(strstr(reg.refused[0].reason, link_path));
    kc_registry_free(&reg);

    assert_int_equal(dlclose(mine), 0);
    tu_rm_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(many_vendors),
        cmocka_unit_test(file_already_in_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
