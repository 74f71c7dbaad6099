/* Unit tests for the fleet pieces: SHA-1 and version-5 UUIDs (uuid.c), the
 * .mobileconfig builder (profile.c), --output's write-then-rename
 * (outfile.c) and the --field names (report_field.c). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kc.h"
#include "outfile.h"
#include "profile.h"
#include "report.h"
#include "testutil.h"

#include <plist/plist.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void hex(const unsigned char *d, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

static void sha1_vectors(void **state)
{
    unsigned char d[20];
    char h[41];
    char *million = malloc(1000000);

    (void)state;
    kc_sha1("abc", 3, d);
    hex(d, 20, h);
    assert_string_equal(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
    kc_sha1("", 0, d);
    hex(d, 20, h);
    assert_string_equal(h, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    kc_sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, d);
    hex(d, 20, h);
    assert_string_equal(h, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    assert_non_null(million);
    memset(million, 'a', 1000000);
    kc_sha1(million, 1000000, d);
    hex(d, 20, h);
    assert_string_equal(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    free(million);
}

static void uuid_v5_vectors(void **state)
{
    /* RFC 4122 appendix C's DNS namespace; the UUID Python's uuid.uuid5
     * documents for "python.org". */
    static const unsigned char dns[16] = {0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
                                          0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
    char u[37];

    (void)state;
    kc_uuid_v5(dns, "python.org", 10, u);
    assert_string_equal(u, "886313e1-3b8a-5372-9b90-0c9aee199e5d");
    kc_uuid_v5(kc_uuid_namespace, "x", 1, u);
    assert_int_equal(strlen(u), 36);
    assert_int_equal(u[14], '5');
    assert_non_null(strchr("89ab", u[19]));
}

/* Two vendors as the catalog declares them (only what the profile uses). */
static void vendor(kc_vendor *v, const char *name, const char *team, const char *const *kexts,
                   const char *const *sysexts)
{
    memset(v, 0, sizeof(*v));
    v->name = (char *)name;
    v->vendor = (char *)name;
    v->team_id = (char *)team;
    for (; kexts && *kexts; kexts++)
        assert_int_equal(kc_strv_push(&v->kexts, *kexts), 0);
    for (; sysexts && *sysexts; sysexts++)
        assert_int_equal(kc_strv_push(&v->sysexts, *sysexts), 0);
}

static const char *const tm_kexts[] = {"com.trendmicro.kext.filehook",
                                       "com.trendmicro.kext.KERedirect", NULL};
static const char *const cs_kexts[] = {"com.crowdstrike.sensor", NULL};
static const char *const cs_sx[] = {"com.crowdstrike.falcon.Agent", NULL};

static plist_t item(plist_t dict, const char *key)
{
    plist_t v = plist_dict_get_item(dict, key);
    assert_non_null(v);
    return v;
}

static void mobileconfig(void **state)
{
    kc_vendor v[2];
    const kc_vendor *list[2] = {&v[0], &v[1]};
    kc_mobileconfig_opts o = {0};
    char *a = NULL, *b = NULL, *c = NULL;
    size_t la, lb, lc;
    plist_t root = NULL, content, kext, sx;
    uint64_t ver = 0;

    (void)state;
    vendor(&v[0], "crowdstrike", "X9E956P446", cs_kexts, cs_sx);
    vendor(&v[1], "trendmicro", "E8P47U2H32", tm_kexts, NULL);
    assert_int_equal(kc_mobileconfig(list, 2, &o, &a, &la), 0);
    assert_int_equal(kc_mobileconfig(list, 2, &o, &b, &lb), 0);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la); /* stable */
    plist_from_xml(a, (uint32_t)la, &root);
    assert_non_null(root);
    assert_string_equal(plist_get_string_ptr(item(root, "PayloadType"), NULL), "Configuration");
    assert_string_equal(plist_get_string_ptr(item(root, "PayloadIdentifier"), NULL),
                        "kextcheck.approvals.crowdstrike.trendmicro");
    plist_get_uint_val(item(root, "PayloadVersion"), &ver);
    assert_int_equal(ver, 1);
    content = item(root, "PayloadContent");
    assert_int_equal(plist_array_get_size(content), 2);
    kext = plist_array_get_item(content, 0);
    sx = plist_array_get_item(content, 1);
    assert_string_equal(plist_get_string_ptr(item(kext, "PayloadType"), NULL),
                        "com.apple.syspolicy.kernel-extension-policy");
    assert_int_equal(plist_array_get_size(item(kext, "AllowedTeamIdentifiers")), 2);
    assert_null(plist_dict_get_item(kext, "AllowNonAdminUserApprovals"));
    assert_string_equal(plist_get_string_ptr(item(sx, "PayloadType"), NULL),
                        "com.apple.system-extension-policy");
    assert_non_null(plist_dict_get_item(item(sx, "AllowedSystemExtensions"), "X9E956P446"));
    assert_null(plist_dict_get_item(sx, "AllowedSystemExtensionTypes"));
    plist_free(root);

    /* Another option: other content, other UUIDs, same identifier. */
    o.by_bundle_id = true;
    assert_int_equal(kc_mobileconfig(list, 2, &o, &c, &lc), 0);
    root = NULL;
    plist_from_xml(c, (uint32_t)lc, &root);
    assert_non_null(root);
    kext = plist_array_get_item(item(root, "PayloadContent"), 0);
    assert_null(plist_dict_get_item(kext, "AllowedTeamIdentifiers"));
    assert_int_equal(
        plist_array_get_size(item(item(kext, "AllowedKernelExtensions"), "E8P47U2H32")), 2);
    assert_null(strstr(a, plist_get_string_ptr(item(root, "PayloadUUID"), NULL)));
    assert_non_null(strstr(a, "kextcheck.approvals.crowdstrike.trendmicro</string>"));
    plist_free(root);
    free(a);
    free(b);
    free(c);

    /* Nothing to allow: 1, nothing written. */
    kc_strv_free(&v[1].kexts);
    a = (char *)1;
    assert_int_equal(kc_mobileconfig(&list[1], 1, &o, &a, &la), 1);
    assert_null(a);
    kc_strv_free(&v[0].kexts);
    kc_strv_free(&v[0].sysexts);
}

static void missing_approval(void **state)
{
    kc_finding f[2];
    kc_vendor_result vr;

    (void)state;
    memset(f, 0, sizeof(f));
    memset(&vr, 0, sizeof(vr));
    vr.findings = f;
    vr.n_findings = 2;
    f[0].code = KC_F_KEXT_APPROVED;
    f[1].code = KC_F_STAGED_COPY_STALE;
    assert_false(kc_vendor_missing_approval(&vr));
    f[1].code = KC_F_SYSEXT_WAITING_FOR_USER;
    assert_true(kc_vendor_missing_approval(&vr));
    f[1].code = KC_F_MDM_BLOCKS_USER_APPROVAL;
    assert_true(kc_vendor_missing_approval(&vr));
    f[1].code = KC_F_MDM_PROFILE_ALLOWS; /* the profile is there already */
    assert_false(kc_vendor_missing_approval(&vr));
}

static void fields(void **state)
{
    (void)state;
    assert_true(kc_field_known("status"));
    assert_true(kc_field_known("next_step_code"));
    assert_false(kc_field_known("Status"));
    assert_false(kc_field_known(""));
}

static void outfile(void **state)
{
    char dir[4096], path[4300], link[4300];
    kc_outfile of;
    struct stat st;
    FILE *f;
    char buf[16] = {0};

    (void)state;
    tu_make_tmpdir(dir, sizeof(dir), "outfile");
    snprintf(path, sizeof(path), "%s/report.txt", dir);
    assert_int_equal(kc_outfile_open(&of, path), 0);
    assert_int_equal(stat(path, &st), -1); /* nothing under FILE's name yet */
    assert_true(fputs("new\n", of.fp) >= 0);
    assert_int_equal(kc_outfile_commit(&of), 0);
    kc_outfile_close(&of);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(buf, sizeof(buf), f));
    fclose(f);
    assert_string_equal(buf, "new\n");

    /* Closed without commit: FILE untouched, no temporary file left. */
    assert_int_equal(kc_outfile_open(&of, path), 0);
    assert_true(fputs("half", of.fp) >= 0);
    kc_outfile_close(&of);
    f = fopen(path, "r");
    assert_non_null(f);
    assert_non_null(fgets(buf, sizeof(buf), f));
    fclose(f);
    assert_string_equal(buf, "new\n");

    /* A link at FILE is refused; a folder others can write to as well. */
    snprintf(link, sizeof(link), "%s/link.txt", dir);
    assert_int_equal(symlink(path, link), 0);
    assert_int_equal(kc_outfile_open(&of, link), KC_EXIT_USAGE);
    assert_int_equal(chmod(dir, 0777), 0);
    assert_int_equal(kc_outfile_open(&of, path), KC_EXIT_USAGE);
    assert_int_equal(chmod(dir, 01777), 0);
    assert_int_equal(kc_outfile_open(&of, path), 0);
    kc_outfile_close(&of);
    assert_int_equal(chmod(dir, 0700), 0);
    assert_int_equal(kc_outfile_open(&of, dir), KC_EXIT_USAGE); /* a folder */
    tu_rm_tree(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha1_vectors),   cmocka_unit_test(uuid_v5_vectors),
        cmocka_unit_test(mobileconfig),   cmocka_unit_test(missing_approval),
        cmocka_unit_test(fields),         cmocka_unit_test(outfile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
