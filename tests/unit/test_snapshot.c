/* Unit tests for the evidence `kextcheck snapshot` writes about the causes
 * beyond approval (core/snapshot.c): each Mac is built from a description
 * and read back by the read stage itself (kc_read, the code that reads a
 * collected snapshot), so the captures are checked in the formats
 * kextcheck reads, whatever the report shows of them: kern.hv_vmm_present,
 * diskutil info /, each kext's codesign output and kmutil diagnostics, the
 * bundle owners in the manifest, and other vendors' kexts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "model.h"
#include "snapshot.h"
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#define MS_TEAM "UBF8T346G9"
#define WDAV "com.microsoft.wdavkext"
#define ADHOC "com.vendor.kext.adhoc"
#define UNSIGNED "com.vendor.kext.unsigned"
#define OTHER "com.vendor.kext.other"
#define BROKEN "com.vendor.kext.broken"
#define CODELESS "com.vendor.kext.codeless"

/* A Mac built and read: the folder, the vendor declaring the kexts, the
 * model. */
typedef struct built {
    tu_tmp *tmp;
    kc_rootfs fs;
    kc_vendor vendor;
    kc_model model;
} built;

static int setup(void **state)
{
    built *b = calloc(1, sizeof(*b));

    assert_non_null(b);
    b->tmp = tu_tmp_new("snapshot", "mac.ini");
    b->fs.fd = -1;
    *state = b;
    return 0;
}

static int teardown(void **state)
{
    built *b = *state;

    kc_model_free(&b->model);
    if (b->fs.fd >= 0)
        kc_rootfs_close(&b->fs);
    kc_strv_free(&b->vendor.kexts);
    kc_strv_free(&b->vendor.install_paths);
    kc_strv_free(&b->vendor.staged_paths);
    tu_tmp_free(b->tmp);
    free(b);
    return 0;
}

/* Writes the description, builds the Mac and reads it with a vendor that
 * declares the kexts (NULL-terminated) under /Library/Extensions. */
static void build(built *b, const char *ini, ...)
{
    static char team[] = MS_TEAM;
    char why[1024], root[4200];
    kc_snap *snap = NULL;
    const kc_vendor *vp = &b->vendor;
    kc_gather g;
    va_list ap;
    const char *id;

    tu_write_text(b->tmp->path, ini);
    if (kc_snap_parse(b->tmp->path, &snap, why, sizeof(why)) != 0)
        fail_msg("the description was refused: %s", why);
    tu_join(root, sizeof(root), b->tmp->dir, "mac");
    assert_int_equal(kc_snap_write(snap, root), 0);
    kc_snap_free(snap);
    b->vendor.team_id = team;
    va_start(ap, ini);
    while ((id = va_arg(ap, const char *)) != NULL)
        assert_int_equal(kc_strv_push(&b->vendor.kexts, id), 0);
    va_end(ap);
    assert_int_equal(kc_strv_push(&b->vendor.install_paths, "/Library/Extensions"), 0);
    assert_int_equal(kc_strv_push(&b->vendor.staged_paths, "/Library/StagedExtensions"), 0);
    if (kc_rootfs_open(&b->fs, root, why, sizeof(why)) != 0)
        fail_msg("%s: %s", root, why);
    memset(&g, 0, sizeof(g));
    g.root = root;
    g.fs = &b->fs;
    assert_int_equal(kc_read(&g, NULL, &vp, 1, &b->model), 0);
}

static const kc_kext_extra *extra(const built *b, const char *id)
{
    const kc_vendor_evidence *ve = &b->model.vendors[0];

    for (size_t i = 0; i < ve->n_extras; i++)
        if (strcmp(ve->extras[i].bundle_id, id) == 0)
            return &ve->extras[i];
    fail_msg("no captures read for %s", id);
    return NULL;
}

static const kc_bundle *bundle(const kc_bundles *bs, const char *path)
{
    for (size_t i = 0; i < bs->n; i++)
        if (strcmp(bs->items[i].path, path) == 0)
            return &bs->items[i];
    fail_msg("no bundle %s", path);
    return NULL;
}

/* Every new key on an Apple silicon Mac booted from an external disk in a
 * virtual machine. */
static void test_every_cause(void **state)
{
    built *b = *state;
    const kc_host *h;
    const kc_kext_extra *x;
    const kc_codesign *cs;
    const kc_bundle *k;

    build(b,
          "[mac]\nmacos = 14.5\narch = apple\nboot_policy = reduced-kexts\nvm = yes\n"
          "boot_volume = external\nvolume_name = Backup HD\n"
          "[kext " WDAV "]\nteam = " MS_TEAM "\ndeveloper = Microsoft Corporation\n"
          "path = /Library/Extensions/wdavkext.kext\npolicy = allowed\n"
          "executable = x86_64, arm64e\n"
          "diagnostics = Kext com.microsoft.wdavkext: ok\\nno problems \\\\ found\n"
          "owner = 501:20\nmode = 0775\n"
          "[kext " ADHOC "]\nteam = " MS_TEAM "\npath = /Library/Extensions/Adhoc.kext\n"
          "executable = arm64e\nsignature = adhoc\n"
          "[kext " UNSIGNED "]\nteam = " MS_TEAM "\npath = /Library/Extensions/Unsigned.kext\n"
          "signature = unsigned\n"
          "[kext " OTHER "]\nteam = " MS_TEAM "\npath = /Library/Extensions/Other.kext\n"
          "executable = x86_64\nsignature = other-team:ZZZZZ99999\n"
          "[kext " BROKEN "]\nteam = " MS_TEAM "\npath = /Library/Extensions/Broken.kext\n"
          "executable = x86_64, arm64e\nsignature = broken\n"
          "[other-kext com.other.kext.damaged]\n"
          "path = /Library/StagedExtensions/Library/Extensions/Damaged.kext\ninfo = broken\n"
          "[other-kext com.other.kext.empty]\npath = /Library/Extensions/Empty.kext\n"
          "info = missing\nmode = 0777\n"
          "[other-kext com.other.kext.fine]\npath = /Library/Extensions/Fine.kext\n"
          "version = 2.1\nowner = 0:80\n",
          WDAV, ADHOC, UNSIGNED, OTHER, BROKEN, NULL);
    h = &b->model.host;

    /* kern.hv_vmm_present printed 1. */
    assert_true(h->plat.vmm_src.ok);
    assert_int_equal(h->plat.vmm, KC_YES);
    /* diskutil info /: the external disk, and its name for Recovery. */
    assert_true(h->plat.disk_src.ok);
    assert_string_equal(h->plat.disk.device_identifier, "disk5s1s1");
    assert_string_equal(h->plat.disk.volume_name, "Backup HD");
    assert_string_equal(h->plat.disk.mount_point, "/");
    assert_string_equal(h->plat.disk.protocol, "USB");
    assert_int_equal(h->plat.disk.location, KC_DISK_LOCATION_EXTERNAL);
    assert_null(h->plat.disk.bay);
    assert_string_equal(h->recovery.volume, "Backup HD");

    /* A Developer ID signature of the kext's own team, universal. */
    x = extra(b, WDAV);
    assert_true(x->codesign_src.ok);
    cs = &x->codesign;
    assert_int_equal(cs->is_signed, KC_YES);
    assert_false(cs->adhoc);
    assert_string_equal(cs->executable,
                        "/Library/Extensions/wdavkext.kext/Contents/MacOS/wdavkext");
    assert_string_equal(cs->identifier, WDAV);
    assert_string_equal(cs->format, "bundle with Mach-O universal (x86_64 arm64e)");
    assert_int_equal(cs->archs.n, 2);
    assert_int_equal(cs->has_arm64e, KC_YES);
    assert_string_equal(cs->team_id, MS_TEAM);
    assert_int_equal(cs->n_authorities, 3);
    assert_string_equal(cs->authorities[0],
                        "Developer ID Application: Microsoft Corporation (" MS_TEAM ")");
    assert_string_equal(cs->authorities[2], "Apple Root CA");
    assert_string_equal(cs->timestamp, "Feb 20, 2024 at 16:42:07");
    assert_true(cs->secure_timestamp);
    assert_int_equal(cs->stapled, KC_NO);
    assert_int_equal(cs->hardened_runtime, KC_NO);
    assert_null(cs->error);
    assert_int_equal(cs->n_warnings, 0);
    /* kmutil's diagnostics: two lines, the escapes decoded. */
    assert_true(x->diag_src.ok);
    assert_int_equal(x->diag_lines.n, 2);
    assert_string_equal(x->diag_lines.v[0], "Kext com.microsoft.wdavkext: ok");
    assert_string_equal(x->diag_lines.v[1], "no problems \\ found");

    /* Ad hoc: no certificate, no team. */
    cs = &extra(b, ADHOC)->codesign;
    assert_true(extra(b, ADHOC)->codesign_src.ok);
    assert_int_equal(cs->is_signed, KC_YES);
    assert_true(cs->adhoc);
    assert_true(cs->team_not_set);
    assert_null(cs->team_id);
    assert_int_equal(cs->n_authorities, 0);
    assert_string_equal(cs->format, "bundle with Mach-O thin (arm64e)");
    /* Without diagnostics the capture is simply not there. */
    assert_false(extra(b, ADHOC)->diag_src.present);
    assert_false(extra(b, ADHOC)->diag_src.ok);

    /* Unsigned: codesign's one error line. */
    cs = &extra(b, UNSIGNED)->codesign;
    assert_true(extra(b, UNSIGNED)->codesign_src.ok);
    assert_int_equal(cs->is_signed, KC_NO);
    assert_string_equal(cs->error,
                        "/Library/Extensions/Unsigned.kext: code object is not signed at all");

    /* Another team's Developer ID. */
    cs = &extra(b, OTHER)->codesign;
    assert_int_equal(cs->is_signed, KC_YES);
    assert_string_equal(cs->team_id, "ZZZZZ99999");
    assert_string_equal(cs->authorities[0], "Developer ID Application: Vendor (ZZZZZ99999)");
    assert_int_equal(cs->has_arm64e, KC_NO);

    /* A signature that no longer matches: an error, not "unsigned". */
    cs = &extra(b, BROKEN)->codesign;
    assert_true(extra(b, BROKEN)->codesign_src.ok);
    assert_int_equal(cs->is_signed, KC_UNKNOWN);
    assert_string_equal(cs->error, "/Library/Extensions/Broken.kext: invalid signature (code "
                                   "or signature have been modified)");

    /* Owners from the manifest: the installer's, and macOS's staged copy. */
    assert_true(h->owners_known);
    k = bundle(&b->model.vendors[0].installed, "/Library/Extensions/wdavkext.kext");
    assert_true(k->owner_known);
    assert_int_equal(k->uid, 501);
    assert_int_equal(k->gid, 20);
    assert_int_equal(k->mode, 0775);
    k = bundle(&b->model.vendors[0].staged,
               "/Library/StagedExtensions/Library/Extensions/wdavkext.kext");
    assert_true(k->owner_known);
    assert_int_equal(k->uid, 0);
    assert_int_equal(k->gid, 0);
    assert_int_equal(k->mode, 0755);
    k = bundle(&b->model.vendors[0].installed, "/Library/Extensions/Adhoc.kext");
    assert_true(k->owner_known);
    assert_int_equal(k->uid, 0);
    assert_int_equal(k->mode, 0755);

    /* Other vendors' kexts: damaged, without Info.plist, and fine. */
    k = bundle(&h->other_kexts, "/Library/StagedExtensions/Library/Extensions/Damaged.kext");
    assert_non_null(k->error);
    assert_null(k->bundle_id);
    assert_true(k->owner_known);
    k = bundle(&h->other_kexts, "/Library/Extensions/Empty.kext");
    assert_non_null(k->error);
    assert_true(k->owner_known);
    assert_int_equal(k->mode, 0777);
    k = bundle(&h->other_kexts, "/Library/Extensions/Fine.kext");
    assert_null(k->error);
    assert_string_equal(k->bundle_id, "com.other.kext.fine");
    assert_string_equal(k->version, "2.1");
    assert_int_equal(k->gid, 80);
    assert_null(k->executable);
}

/* The defaults on 10.15 Intel: hv_vmm_present not there, the internal
 * 10.15 system volume, a signature per kext, no manifest. */
static void test_defaults_10_15(void **state)
{
    built *b = *state;
    const kc_host *h;
    const kc_codesign *cs;

    build(b,
          "[mac]\nmacos = 10.15.7\n"
          "[kext " WDAV "]\nteam = " MS_TEAM "\npath = /Library/Extensions/wdavkext.kext\n"
          "policy = allowed\nexecutable = x86_64\n"
          "[kext " CODELESS "]\nteam = " MS_TEAM "\npath = /Library/Extensions/Codeless.kext\n",
          WDAV, CODELESS, NULL);
    h = &b->model.host;
    assert_true(h->plat.vmm_src.ok);
    assert_int_equal(h->plat.vmm, KC_UNKNOWN);
    assert_true(h->plat.disk_src.ok);
    assert_string_equal(h->plat.disk.device_identifier, "disk1s5");
    assert_string_equal(h->plat.disk.volume_name, "Macintosh HD");
    assert_string_equal(h->plat.disk.protocol, "PCI-Express");
    assert_int_equal(h->plat.disk.location, KC_DISK_LOCATION_INTERNAL);
    cs = &extra(b, WDAV)->codesign;
    assert_int_equal(cs->is_signed, KC_YES);
    assert_string_equal(cs->format, "bundle with Mach-O thin (x86_64)");
    assert_int_equal(cs->has_arm64e, KC_NO);
    /* The bundle ID names the developer when the description does not. */
    assert_string_equal(cs->authorities[0], "Developer ID Application: Microsoft (" MS_TEAM ")");
    assert_string_equal(cs->timestamp, "Feb 20, 2020 at 16:42:07");
    /* No code: the Info.plist is the nominal executable. */
    cs = &extra(b, CODELESS)->codesign;
    assert_int_equal(cs->is_signed, KC_YES);
    assert_string_equal(cs->executable, "/Library/Extensions/Codeless.kext/Contents/Info.plist");
    assert_string_equal(cs->format, "bundle");
    assert_int_equal(cs->has_arm64e, KC_UNKNOWN);
    /* No owner given: no manifest, owners unknown. */
    assert_false(h->owners_known);
    assert_false(h->collected);
    assert_false(bundle(&b->model.vendors[0].installed, "/Library/Extensions/Codeless.kext")
                     ->owner_known);
}

/* The device of / on each release, and vm = no. */
static void test_releases(void **state)
{
    static const struct {
        const char *ini, *device, *protocol;
        kc_tri vmm;
    } cases[] = {
        {"[mac]\nmacos = 10.13.6\n", "disk1s1", "PCI-Express", KC_UNKNOWN},
        {"[mac]\nmacos = 10.14.6\nvm = yes\n", "disk1s1", "PCI-Express", KC_YES},
        {"[mac]\nmacos = 10.15.7\nboot_volume = external\n", "disk5s5", "USB", KC_UNKNOWN},
        {"[mac]\nmacos = 11.7.10\n", "disk1s1s1", "PCI-Express", KC_NO},
        {"[mac]\nmacos = 12.7.6\narch = apple\nvm = no\n", "disk3s1s1", "Apple Fabric", KC_NO},
        {"[mac]\nmacos = 15.1\nboot_volume = external\nvm = yes\n", "disk5s1s1", "USB",
         KC_YES},
    };
    built *b = *state;

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char root[4200];
        build(b, cases[i].ini, NULL);
        assert_true(b->model.host.plat.vmm_src.ok);
        assert_int_equal(b->model.host.plat.vmm, cases[i].vmm);
        assert_true(b->model.host.plat.disk_src.ok);
        assert_string_equal(b->model.host.plat.disk.device_identifier, cases[i].device);
        assert_string_equal(b->model.host.plat.disk.protocol, cases[i].protocol);
        assert_int_equal(b->model.host.plat.disk.location,
                         strcmp(cases[i].protocol, "USB") == 0 ? KC_DISK_LOCATION_EXTERNAL
                                                               : KC_DISK_LOCATION_INTERNAL);
        /* The next Mac in a new folder. */
        kc_model_free(&b->model);
        kc_rootfs_close(&b->fs);
        b->fs.fd = -1;
        kc_strv_free(&b->vendor.install_paths);
        kc_strv_free(&b->vendor.staged_paths);
        tu_join(root, sizeof(root), b->tmp->dir, "mac");
        tu_rm_tree(root);
    }
}

/* manifest = yes alone: every bundle root:wheel 0755, the snapshot marked
 * as collected. */
static void test_manifest_alone(void **state)
{
    built *b = *state;
    const kc_bundle *k;

    build(b,
          "[mac]\nmacos = 13.6.7\nmanifest = yes\n"
          "[kext " WDAV "]\nteam = " MS_TEAM "\npath = /Library/Extensions/wdavkext.kext\n",
          WDAV, NULL);
    assert_true(b->model.host.collected);
    assert_true(b->model.host.owners_known);
    k = bundle(&b->model.vendors[0].installed, "/Library/Extensions/wdavkext.kext");
    assert_true(k->owner_known);
    assert_int_equal(k->uid, 0);
    assert_int_equal(k->gid, 0);
    assert_int_equal(k->mode, 0755);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_cause, setup, teardown),
        cmocka_unit_test_setup_teardown(test_defaults_10_15, setup, teardown),
        cmocka_unit_test_setup_teardown(test_releases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_manifest_alone, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
