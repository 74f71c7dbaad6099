/* Unit tests for core/platform.c: bputil, uname -m, sysctl, diskutil info and
 * codesign output.  The real captures are text files in
 * tests/fixtures/platform/ (sources in its SOURCES.md); the broken inputs are
 * built here from them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "platform.h"
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#ifndef KC_FIXTURE_DIR
#error "KC_FIXTURE_DIR must name tests/fixtures"
#endif

#define T(s) (s), (sizeof(s) - 1)

/* ---- helpers ------------------------------------------------------------------ */

typedef tu_buf buf;

/* A fixture's bytes in an exactly-sized heap block (reads past the end are
 * caught by ASan). */
static buf fixture(const char *name)
{
    char path[4096], why[256];
    char *data = NULL;
    size_t len = 0;
    buf b;

    tu_join(path, sizeof(path), KC_FIXTURE_DIR "/platform", name);
    if (kc_read_file(path, 1 << 20, &data, &len, why, sizeof(why)) != 0)
        fail_msg("%s: %s", path, why);
    b = tu_buf_copy(data, len);
    free(data);
    return b;
}

/* s with every "\n" turned into "\r\n". */
static buf crlf(const buf *in)
{
    buf b;
    size_t o = 0;

    b.p = malloc(in->n * 2 + 1);
    assert_non_null(b.p);
    for (size_t i = 0; i < in->n; i++) {
        if (in->p[i] == '\n')
            b.p[o++] = '\r';
        b.p[o++] = in->p[i];
    }
    b.n = o;
    return b;
}

/* a + b + c as one buffer (c may be NULL). */
static buf concat(const char *a, size_t an, const char *b2, size_t bn, const char *c,
                  size_t cn)
{
    buf b;

    b.p = malloc(an + bn + cn + 1);
    assert_non_null(b.p);
    memcpy(b.p, a, an);
    memcpy(b.p + an, b2, bn);
    if (c != NULL)
        memcpy(b.p + an + bn, c, cn);
    b.n = an + bn + cn;
    return b;
}

/* The fixture with the first occurrence of from replaced by the tn bytes
 * at to (which may hold NUL bytes). */
static buf replaced_n(const char *name, const char *from, const char *to, size_t tn)
{
    buf in = fixture(name), out;
    char *at = NULL;

    for (size_t i = 0; i + strlen(from) <= in.n; i++)
        if (memcmp(in.p + i, from, strlen(from)) == 0) {
            at = in.p + i;
            break;
        }
    if (at == NULL)
        fail_msg("%s: \"%s\" not found", name, from);
    out = concat(in.p, (size_t)(at - in.p), to, tn, at + strlen(from),
                 in.n - (size_t)(at - in.p) - strlen(from));
    free(in.p);
    return out;
}

static buf replaced(const char *name, const char *from, const char *to)
{
    return replaced_n(name, from, to, strlen(to));
}

/* why must start with "line N: " (N > 0) or not start with "line " (N == 0),
 * contain word, and be valid UTF-8. */
static void check_why(const char *why, int line, const char *word)
{
    char prefix[64];

    if (line > 0) {
        kc_snprintf(prefix, sizeof(prefix), "line %d: ", line);
        if (strncmp(why, prefix, strlen(prefix)) != 0)
            fail_msg("got \"%s\", wanted prefix \"%s\"", why, prefix);
    } else if (strncmp(why, "line ", 5) == 0) {
        fail_msg("got \"%s\", wanted no line number", why);
    }
    if (strstr(why, word) == NULL)
        fail_msg("got \"%s\", wanted \"%s\" in it", why, word);
    assert_true(tu_valid_utf8(why, strlen(why)));
}

/* ---- bputil ---------------------------------------------------------------------- */

static int bputil(const buf *b, kc_boot_policy *bp, char *why, size_t whylen)
{
    why[0] = '\0';
    return kc_parse_bputil(b->p, b->n, bp, why, whylen);
}

static void expect_bputil_ok(const buf *b, kc_boot_policy *bp)
{
    char why[1024];

    if (bputil(b, bp, why, sizeof(why)) != 0)
        fail_msg("refused: %s", why);
}

static void assert_bp_unknown(const kc_boot_policy *bp)
{
    assert_int_equal(bp->v.security, KC_BOOT_SECURITY_UNKNOWN);
    assert_int_equal(bp->v.third_party_kexts, KC_UNKNOWN);
    assert_int_equal(bp->v.user_mdm, KC_UNKNOWN);
    assert_int_equal(bp->v.dep_mdm, KC_UNKNOWN);
    assert_int_equal(bp->v.sip, KC_UNKNOWN);
    assert_int_equal(bp->n_blocks, 0);
    assert_int_equal(bp->n_stored, 0);
}

static void expect_bputil_fail(buf b, int line, const char *word)
{
    kc_boot_policy bp;
    char why[1024];

    assert_int_equal(bputil(&b, &bp, why, sizeof(why)), -1);
    check_why(why, line, word);
    assert_bp_unknown(&bp);
    free(b.p);
}

static void bputil_full_security(void **state)
{
    buf b = fixture("bputil_fleet_full.txt"), c = crlf(&b);
    kc_boot_policy bp;

    (void)state;
    for (int pass = 0; pass < 2; pass++) {
        expect_bputil_ok(pass == 0 ? &b : &c, &bp);
        assert_int_equal(bp.v.security, KC_BOOT_SECURITY_FULL);
        assert_int_equal(bp.v.third_party_kexts, KC_NO);
        assert_int_equal(bp.v.user_mdm, KC_NO);
        assert_int_equal(bp.v.dep_mdm, KC_NO);
        assert_int_equal(bp.v.sip, KC_YES);
        assert_int_equal(bp.n_blocks, 1);
        assert_int_equal(bp.n_stored, 1);
        assert_int_equal(bp.n_failed, 0);
        assert_false(bp.blocks_differ);
        assert_string_equal(bp.blocks[0].volume_group, "5D0D176D-E8CC-**REDACTED**");
        assert_false(bp.blocks[0].current);
        assert_int_equal(bp.blocks[0].line, 10);
        assert_string_equal(kc_boot_security_name(bp.v.security), "full");
    }
    free(b.p);
    free(c.p);
}

static void bputil_excerpts(void **state)
{
    buf r = fixture("bputil_reduced_excerpt.txt"), p = fixture("bputil_permissive_excerpt.txt");
    kc_boot_policy bp;

    (void)state;
    expect_bputil_ok(&r, &bp);
    assert_int_equal(bp.v.security, KC_BOOT_SECURITY_REDUCED);
    assert_int_equal(bp.v.third_party_kexts, KC_YES);
    assert_int_equal(bp.v.user_mdm, KC_UNKNOWN);
    assert_int_equal(bp.v.dep_mdm, KC_UNKNOWN);
    assert_int_equal(bp.v.sip, KC_YES);
    assert_int_equal(bp.n_blocks, 1);
    assert_string_equal(bp.blocks[0].volume_group, "");
    assert_int_equal(bp.blocks[0].line, 1);
    expect_bputil_ok(&p, &bp);
    assert_int_equal(bp.v.security, KC_BOOT_SECURITY_PERMISSIVE);
    assert_int_equal(bp.v.third_party_kexts, KC_YES);
    assert_int_equal(bp.v.sip, KC_UNKNOWN);
    assert_string_equal(kc_boot_security_name(bp.v.security), "permissive");
    free(r.p);
    free(p.p);
}

/* After csrutil disable on Apple silicon bputil says "Customized (sip0)"
 * (public notes, find_string ids 57918876030, 57923834442). */
static void bputil_sip_customized(void **state)
{
    static const char text[] = "Security Mode:               Reduced    (smb0): 1\n"
                               "3rd Party Kexts Status:      Enabled    (smb2): 1\n"
                               "SIP Status:                  Customized (sip0): 7f\n";
    buf b = {(char *)text, sizeof(text) - 1};
    kc_boot_policy bp;
    char why[256];

    (void)state;
    expect_bputil_ok(&b, &bp);
    assert_int_equal(bp.v.security, KC_BOOT_SECURITY_REDUCED);
    assert_int_equal(bp.v.third_party_kexts, KC_YES);
    assert_int_equal(bp.v.sip, KC_NO);
    /* Only the SIP line may say Customized. */
    {
        static const char bad[] = "Security Mode:               Reduced    (smb0): 1\n"
                                  "3rd Party Kexts Status:      Customized (smb2): 1\n";
        buf c = {(char *)bad, sizeof(bad) - 1};
        assert_int_equal(bputil(&c, &bp, why, sizeof(why)), -1);
    }
}

static void bputil_current_local_policy(void **state)
{
    buf b = fixture("bputil_ernw_14_4.txt");
    kc_boot_policy bp;

    (void)state;
    expect_bputil_ok(&b, &bp);
    assert_int_equal(bp.v.security, KC_BOOT_SECURITY_FULL);
    assert_int_equal(bp.v.third_party_kexts, KC_NO);
    assert_int_equal(bp.v.sip, KC_YES);
    assert_int_equal(bp.n_blocks, 1);
    assert_true(bp.blocks[0].current);
    assert_string_equal(bp.blocks[0].volume_group, "");
    free(b.p);
}

/* Fleet's --display-all-policies shapes hold no line of interest. */
static void bputil_no_line_of_interest(void **state)
{
    (void)state;
    expect_bputil_fail(fixture("bputil_fleet_multi.txt"), 0, "none of the lines");
    expect_bputil_fail(fixture("bputil_fleet_failed.txt"), 0, "none of the lines");
    expect_bputil_fail(tu_buf_copy(T("This utility is not meant for normal users.\n")), 0,
                       "none of the lines");
    expect_bputil_fail(tu_buf_copy(T("bputil is not yet supported on this platform\n")), 0,
                       "none of the lines");
}

#define VG_HEAD(id) "Local policy for volume group " id ":\nOS environment:\n" \
                    "OS Type                                       : macOS\n\nLocal policy:\n"
#define INTEREST(mode, kexts) \
    "Security Mode:               " mode " (smb0): 1\n" \
    "3rd Party Kexts Status:      " kexts "    (smb2): 1\n" \
    "SIP Status:                  Enabled    (sip0): absent\n"

static void bputil_several_blocks(void **state)
{
    static const char two[] = "Use at your own risk!\n\n\n" VG_HEAD("AAAA-1")
        INTEREST("Reduced   ", "Enabled ") "\n" VG_HEAD("BBBB-2")
        "Security Mode:               Full       (smb0): absent\n"
        "3rd Party Kexts Status:      Disabled   (smb2): absent\n";
    static const char with_current[] = VG_HEAD("AAAA-1") INTEREST("Reduced   ", "Enabled ")
        "\nCurrent local policy:\n"
        "Security Mode:               Full       (smb0): absent\n";
    static const char same[] = VG_HEAD("AAAA-1") INTEREST("Reduced   ", "Enabled ")
        VG_HEAD("BBBB-2") INTEREST("Reduced   ", "Enabled ");
    buf b = tu_buf_copy(T(two)), c = tu_buf_copy(T(with_current)), s = tu_buf_copy(T(same));
    kc_boot_policy bp;

    (void)state;
    expect_bputil_ok(&b, &bp);
    assert_int_equal(bp.n_blocks, 2);
    assert_int_equal(bp.summary_block, 0);
    assert_int_equal(bp.v.security, KC_BOOT_SECURITY_REDUCED);
    assert_true(bp.blocks_differ);
    assert_string_equal(bp.blocks[1].volume_group, "BBBB-2");
    assert_int_equal(bp.blocks[1].v.security, KC_BOOT_SECURITY_FULL);
    assert_int_equal(bp.blocks[1].v.sip, KC_UNKNOWN);
    /* The "Current local policy:" block is the summary wherever it is. */
    expect_bputil_ok(&c, &bp);
    assert_int_equal(bp.summary_block, 1);
    assert_int_equal(bp.v.security, KC_BOOT_SECURITY_FULL);
    assert_int_equal(bp.v.third_party_kexts, KC_UNKNOWN);
    assert_true(bp.blocks_differ);
    expect_bputil_ok(&s, &bp);
    assert_false(bp.blocks_differ);
    free(b.p);
    free(c.p);
    free(s.p);
}

/* A failed volume group next to a good one (Fleet's failure lines). */
static void bputil_failed_block(void **state)
{
    buf f = fixture("bputil_fleet_failed.txt"), b;
    kc_boot_policy bp;
    static const char good[] = "\n\n" VG_HEAD("CCCC-3") INTEREST("Full      ", "Disabled");

    (void)state;
    b = concat(f.p, f.n, good, sizeof(good) - 1, NULL, 0);
    expect_bputil_ok(&b, &bp);
    assert_int_equal(bp.n_blocks, 2);
    assert_int_equal(bp.n_failed, 1);
    assert_false(bp.blocks[0].any);
    assert_int_equal(bp.summary_block, 1);
    assert_int_equal(bp.v.security, KC_BOOT_SECURITY_FULL);
    assert_int_equal(bp.v.third_party_kexts, KC_NO);
    assert_false(bp.blocks_differ);
    free(f.p);
    free(b.p);
}

static void bputil_many_blocks(void **state)
{
    size_t cap = 64 * 1024, n = 0;
    char *text = malloc(cap);
    kc_boot_policy bp;
    buf b;

    (void)state;
    assert_non_null(text);
    for (int i = 0; i < 20; i++) {
        int w = snprintf(text + n, cap - n, VG_HEAD("VG-%d") INTEREST("%s", "Enabled "), i,
                         i == 19 ? "Full      " : "Reduced   ");
        assert_true(w > 0 && (size_t)w < cap - n);
        n += (size_t)w;
    }
    b = tu_buf_copy(text, n);
    expect_bputil_ok(&b, &bp);
    assert_int_equal(bp.n_blocks, 20);
    assert_int_equal(bp.n_stored, KC_BPUTIL_MAX_BLOCKS);
    assert_string_equal(bp.blocks[15].volume_group, "VG-15");
    assert_false(bp.blocks_differ); /* the differing 20th block is not kept */
    free(text);
    free(b.p);
}

static void bputil_preamble(void **state)
{
    static const char pw[] = "Password:\n\nThis utility is not meant for normal users or even "
                             "sysadmins.\nUse at your own risk!\n\n"
                             "Security Mode:               Full       (smb0): absent\n";
    static const char empty_value[] = "Security Mode:               Full       (smb0):\n";
    buf a = tu_buf_copy(T(pw)), e = tu_buf_copy(T(empty_value));
    kc_boot_policy bp;

    (void)state;
    expect_bputil_ok(&a, &bp);
    assert_int_equal(bp.v.security, KC_BOOT_SECURITY_FULL);
    /* Fleet's tests show a field with no value after the colon. */
    expect_bputil_ok(&e, &bp);
    assert_int_equal(bp.v.security, KC_BOOT_SECURITY_FULL);
    free(a.p);
    free(e.p);
}

static void bputil_refused(void **state)
{
    static const char nul[] = "Security Mode:               Full \0     (smb0): absent\n";
    static const char dup[] = "Security Mode:               Full       (smb0): absent\n"
                              "Security Mode:               Reduced    (smb0): 1\n";
    char *big;

    (void)state;
    expect_bputil_fail(replaced("bputil_fleet_full.txt", "Full       (smb0)",
                                "Medium     (smb0)"), 38, "Full|Reduced|Permissive");
    expect_bputil_fail(replaced("bputil_fleet_full.txt", "Disabled   (smb2)",
                                "Disabled   (smb1)"), 39, "Enabled|Disabled");
    expect_bputil_fail(replaced("bputil_fleet_full.txt", "Enabled    (sip0): absent",
                                "Enabled    (sip0) absent"), 42, "(CODE): VALUE");
    expect_bputil_fail(replaced("bputil_fleet_full.txt", "Status:      Disabled",
                                "Status:Disabled"), 39, "Enabled|Disabled");
    expect_bputil_fail(replaced("bputil_fleet_full.txt", "(smb4): absent",
                                "(smb4): two words"), 41, "VALUE");
    expect_bputil_fail(replaced("bputil_fleet_full.txt", "Local policy:\n",
                                "some free text here\n"), 18, "a \"Name: value\" line");
    expect_bputil_fail(replaced("bputil_fleet_full.txt", "OS Type  ", "\tOS Type "), 12,
                       "a \"Name: value\" line");
    expect_bputil_fail(replaced("bputil_fleet_full.txt", "group 5D0D176D-E8CC-**REDACTED**:",
                                "group :"), 10, "printable characters");
    expect_bputil_fail(tu_buf_copy(T(dup)), 2, "a second \"Security Mode:\" line");
    expect_bputil_fail(tu_buf_copy(T(nul)), 1, "NUL");
    expect_bputil_fail(tu_buf_copy(T("")), 0, "empty");
    expect_bputil_fail(tu_buf_copy(T("\n\r\n  \n")), 0, "empty");
    big = malloc(KC_TEXT_MAX_BYTES + 1);
    assert_non_null(big);
    memset(big, '\n', KC_TEXT_MAX_BYTES + 1);
    expect_bputil_fail((buf){big, KC_TEXT_MAX_BYTES + 1}, 0, "larger than");
}

/* Every prefix of the real sample parses or is refused with a reason; the
 * ones cut before the first line of interest are refused. */
static void bputil_truncated(void **state)
{
    buf b = fixture("bputil_fleet_full.txt");
    const char *first = strstr(b.p, "Security Mode:      ");
    size_t first_at;
    kc_boot_policy bp;
    char why[1024];

    (void)state;
    assert_non_null(first);
    first_at = (size_t)(first - b.p);
    for (size_t n = 0; n <= b.n; n++) {
        buf cut = tu_buf_copy(b.p, n);
        int rc = bputil(&cut, &bp, why, sizeof(why));
        if (n < first_at + strlen("Security Mode:               Full"))
            assert_int_equal(rc, -1);
        if (rc != 0)
            assert_true(why[0] != '\0');
        else
            assert_int_equal(bp.v.security, KC_BOOT_SECURITY_FULL);
        free(cut.p);
    }
    free(b.p);
}

/* ---- uname -m, sysctl -------------------------------------------------------------- */

static void uname_values(void **state)
{
    kc_uname_arch a;
    char why[256];

    (void)state;
    assert_int_equal(kc_parse_uname_m(T("arm64\n"), &a, why, sizeof(why)), 0);
    assert_int_equal(a, KC_UNAME_ARM64);
    assert_int_equal(kc_parse_uname_m(T("x86_64\r\n\n"), &a, why, sizeof(why)), 0);
    assert_int_equal(a, KC_UNAME_X86_64);
    assert_int_equal(kc_parse_uname_m(T("arm64e\n"), &a, why, sizeof(why)), -1);
    check_why(why, 1, "\"arm64\" or \"x86_64\"");
    assert_int_equal(a, KC_UNAME_UNKNOWN);
    assert_int_equal(kc_parse_uname_m(T("i386\n"), &a, why, sizeof(why)), -1);
    assert_int_equal(kc_parse_uname_m(T("arm64\nx86_64\n"), &a, why, sizeof(why)), -1);
    check_why(why, 2, "nothing after");
    assert_int_equal(a, KC_UNAME_UNKNOWN);
    assert_int_equal(kc_parse_uname_m(T(" arm64\n"), &a, why, sizeof(why)), -1);
    assert_int_equal(kc_parse_uname_m(T("arm\0" "64\n"), &a, why, sizeof(why)), -1);
    check_why(why, 1, "NUL");
    assert_int_equal(kc_parse_uname_m(T(""), &a, why, sizeof(why)), -1);
    check_why(why, 0, "empty");
}

static void sysctl_values(void **state)
{
    kc_sysctl_flag f;
    kc_tri vm;
    char why[256];

    (void)state;
    assert_int_equal(kc_parse_hw_optional_arm64(T("1\n"), false, &f, why, sizeof(why)), 0);
    assert_int_equal(f, KC_SYSCTL_1);
    assert_int_equal(kc_parse_hw_optional_arm64(T("0\n"), false, &f, why, sizeof(why)), 0);
    assert_int_equal(f, KC_SYSCTL_0);
    /* Intel and older macOS: sysctl -n fails with no output. */
    assert_int_equal(kc_parse_hw_optional_arm64(T(""), true, &f, why, sizeof(why)), 0);
    assert_int_equal(f, KC_SYSCTL_ABSENT);
    assert_int_equal(kc_parse_hw_optional_arm64(T("\n"), true, &f, why, sizeof(why)), 0);
    assert_int_equal(f, KC_SYSCTL_ABSENT);
    assert_int_equal(kc_parse_hw_optional_arm64(T("sysctl: unknown oid 'hw.optional.arm64'\n"),
                                                true, &f, why, sizeof(why)), 0);
    assert_int_equal(f, KC_SYSCTL_ABSENT);
    /* Contradictions and other text. */
    assert_int_equal(kc_parse_hw_optional_arm64(T("1\n"), true, &f, why, sizeof(why)), -1);
    check_why(why, 1, "failed sysctl");
    assert_int_equal(f, KC_SYSCTL_UNKNOWN);
    assert_int_equal(kc_parse_hw_optional_arm64(T(""), false, &f, why, sizeof(why)), -1);
    check_why(why, 0, "did not fail");
    assert_int_equal(kc_parse_hw_optional_arm64(T("sysctl: unknown oid 'hw.optional.arm64'"),
                                                false, &f, why, sizeof(why)), -1);
    check_why(why, 1, "did not fail");
    assert_int_equal(kc_parse_hw_optional_arm64(T("sysctl: unknown oid 'kern.hv_vmm_present'"),
                                                true, &f, why, sizeof(why)), -1);
    assert_int_equal(kc_parse_hw_optional_arm64(T("2\n"), false, &f, why, sizeof(why)), -1);
    check_why(why, 1, "\"0\" or \"1\"");
    assert_int_equal(kc_parse_hw_optional_arm64(T("1\n1\n"), false, &f, why, sizeof(why)), -1);
    check_why(why, 2, "nothing after");
    assert_int_equal(kc_parse_hw_optional_arm64(T("\0"), false, &f, why, sizeof(why)), -1);
    check_why(why, 1, "NUL");
    assert_int_equal(kc_parse_hw_optional_arm64(NULL, 3, false, &f, why, sizeof(why)), -1);
    /* kern.hv_vmm_present */
    assert_int_equal(kc_parse_hv_vmm_present(T("1\n"), false, &vm, why, sizeof(why)), 0);
    assert_int_equal(vm, KC_YES);
    assert_int_equal(kc_parse_hv_vmm_present(T("0\n"), false, &vm, why, sizeof(why)), 0);
    assert_int_equal(vm, KC_NO);
    assert_int_equal(kc_parse_hv_vmm_present(T(""), true, &vm, why, sizeof(why)), 0);
    assert_int_equal(vm, KC_UNKNOWN);
    assert_int_equal(kc_parse_hv_vmm_present(T("sysctl: unknown oid 'kern.hv_vmm_present'\n"),
                                             true, &vm, why, sizeof(why)), 0);
    assert_int_equal(vm, KC_UNKNOWN);
    assert_int_equal(kc_parse_hv_vmm_present(T("yes\n"), false, &vm, why, sizeof(why)), -1);
    assert_int_equal(vm, KC_UNKNOWN);
}

static void machine_combined(void **state)
{
    bool r = true;

    (void)state;
    assert_int_equal(kc_machine_from(KC_UNAME_ARM64, KC_SYSCTL_1, &r), KC_MACHINE_APPLE_SILICON);
    assert_false(r);
    /* Rosetta: uname says x86_64, the sysctl still says 1. */
    assert_int_equal(kc_machine_from(KC_UNAME_X86_64, KC_SYSCTL_1, &r),
                     KC_MACHINE_APPLE_SILICON);
    assert_true(r);
    assert_int_equal(kc_machine_from(KC_UNAME_UNKNOWN, KC_SYSCTL_1, NULL),
                     KC_MACHINE_APPLE_SILICON);
    assert_int_equal(kc_machine_from(KC_UNAME_ARM64, KC_SYSCTL_UNKNOWN, &r),
                     KC_MACHINE_APPLE_SILICON);
    assert_false(r);
    assert_int_equal(kc_machine_from(KC_UNAME_X86_64, KC_SYSCTL_0, &r), KC_MACHINE_INTEL);
    assert_int_equal(kc_machine_from(KC_UNAME_X86_64, KC_SYSCTL_ABSENT, &r), KC_MACHINE_INTEL);
    assert_int_equal(kc_machine_from(KC_UNAME_X86_64, KC_SYSCTL_UNKNOWN, &r),
                     KC_MACHINE_UNKNOWN);
    assert_int_equal(kc_machine_from(KC_UNAME_UNKNOWN, KC_SYSCTL_0, &r), KC_MACHINE_UNKNOWN);
    assert_int_equal(kc_machine_from(KC_UNAME_UNKNOWN, KC_SYSCTL_ABSENT, &r),
                     KC_MACHINE_UNKNOWN);
    assert_string_equal(kc_machine_name(KC_MACHINE_APPLE_SILICON), "apple-silicon");
    assert_string_equal(kc_machine_name(KC_MACHINE_INTEL), "intel");
    assert_string_equal(kc_machine_name(KC_MACHINE_UNKNOWN), "unknown");
}

/* ---- diskutil info / --------------------------------------------------------------- */

static void expect_volume(const char *name, const char *id, const char *vol, const char *mount,
                          const char *proto, kc_disk_location loc, const char *bay)
{
    buf b = fixture(name), c = crlf(&b);
    kc_boot_volume v;
    char why[1024];

    memset(&v, 0, sizeof(v));
    for (int pass = 0; pass < 2; pass++) {
        const buf *in = pass == 0 ? &b : &c;
        if (kc_parse_diskutil_info(in->p, in->n, &v, why, sizeof(why)) != 0)
            fail_msg("%s refused: %s", name, why);
        assert_string_equal(v.device_identifier, id);
        assert_string_equal(v.volume_name, vol);
        assert_string_equal(v.mount_point, mount);
        assert_string_equal(v.protocol, proto);
        assert_int_equal(v.location, loc);
        if (bay == NULL)
            assert_null(v.bay);
        else
            assert_string_equal(v.bay, bay);
    }
    kc_boot_volume_free(&v);
    free(b.p);
    free(c.p);
}

static void diskutil_samples(void **state)
{
    (void)state;
    expect_volume("du_intel_snapshot.txt", "disk1s1s1", "Macintosh HD", "/", "PCI-Express",
                  KC_DISK_LOCATION_INTERNAL, NULL);
    expect_volume("du_fusion_pt.txt", "disk2s4s1", "Homo Sapiens SSD", "/", "PCI-Express",
                  KC_DISK_LOCATION_INTERNAL, NULL);
    expect_volume("du_macpro_bay.txt", "disk9s1", "Cat C3", "/", "SATA",
                  KC_DISK_LOCATION_INTERNAL, "Bay 4");
    expect_volume("du_external_hfs.txt", "disk10s3", "Blank", "/Volumes/Blank", "SATA",
                  KC_DISK_LOCATION_EXTERNAL, NULL);
}

static void expect_diskutil_fail(buf b, int line, const char *word)
{
    kc_boot_volume v;
    char why[1024];

    memset(&v, 0, sizeof(v));
    why[0] = '\0';
    assert_int_equal(kc_parse_diskutil_info(b.p, b.n, &v, why, sizeof(why)), -1);
    check_why(why, line, word);
    assert_null(v.device_identifier);
    assert_null(v.volume_name);
    assert_null(v.mount_point);
    assert_null(v.protocol);
    assert_null(v.bay);
    assert_int_equal(v.location, KC_DISK_LOCATION_UNKNOWN);
    free(b.p);
}

static void diskutil_refused(void **state)
{
    static const char minimal[] = "   Device Identifier:         disk3s1s1\n";
    kc_boot_volume v;
    char why[256];
    buf b = tu_buf_copy(T(minimal));

    (void)state;
    /* Only the identifier is required; a second parse frees the first result. */
    memset(&v, 0, sizeof(v));
    assert_int_equal(kc_parse_diskutil_info(b.p, b.n, &v, why, sizeof(why)), 0);
    assert_int_equal(kc_parse_diskutil_info(b.p, b.n, &v, why, sizeof(why)), 0);
    assert_string_equal(v.device_identifier, "disk3s1s1");
    assert_null(v.volume_name);
    assert_int_equal(v.location, KC_DISK_LOCATION_UNKNOWN);
    kc_boot_volume_free(&v);
    free(b.p);

    expect_diskutil_fail(tu_buf_copy(T("Could not find disk: /\n")), 1, "could not find");
    expect_diskutil_fail(replaced("du_intel_snapshot.txt", "   Device Identifier:         "
                                  "disk1s1s1\n", ""), 0, "no \"Device Identifier:\"");
    expect_diskutil_fail(replaced("du_intel_snapshot.txt", "disk1s1s1\n", "/dev/disk1s1s1\n"),
                         1, "diskN");
    expect_diskutil_fail(replaced("du_intel_snapshot.txt", "Location:           Internal",
                                  "Location:           Inside"), 36, "\"Device Location:");
    expect_diskutil_fail(replaced("du_intel_snapshot.txt", "Removable Media:           Fixed\n",
                                  "Device Location:           Internal\n"), 37,
                         "a second \"Device Location:\"");
    expect_diskutil_fail(replaced("du_macpro_bay.txt", "Solid State:               No\n",
                                  "Device Location:           \"Bay 1\"\n"), 40,
                         "a second bay");
    expect_diskutil_fail(replaced("du_intel_snapshot.txt", "Volume Name:               "
                                  "Macintosh HD\n", "Volume Name:\n"), 6, "a value");
    expect_diskutil_fail(replaced("du_intel_snapshot.txt", "   Whole:                     No\n",
                                  "   Whole                      No\n"), 3, "Name:");
    expect_diskutil_fail(replaced("du_intel_snapshot.txt", "Mounted:", "Mounted:Yes\n   X:"), 7,
                         "a space after the colon");
    expect_diskutil_fail(replaced("du_intel_snapshot.txt", "Macintosh HD", "Macintosh\tHD"), 6,
                         "Name:");
    expect_diskutil_fail(replaced_n("du_intel_snapshot.txt", "Macintosh HD", T("Macintosh\0HD")), 6,
                         "NUL");
    expect_diskutil_fail(tu_buf_copy(T("")), 0, "empty");
}

/* Every prefix of a real sample: parsed or refused, never anything else. */
static void diskutil_truncated(void **state)
{
    buf b = fixture("du_fusion_pt.txt");
    kc_boot_volume v;
    char why[1024];

    (void)state;
    memset(&v, 0, sizeof(v));
    for (size_t n = 0; n <= b.n; n++) {
        buf cut = tu_buf_copy(b.p, n);
        int rc = kc_parse_diskutil_info(cut.p, cut.n, &v, why, sizeof(why));
        if (rc == 0)
            assert_non_null(v.device_identifier);
        else
            assert_null(v.device_identifier);
        free(cut.p);
    }
    kc_boot_volume_free(&v);
    free(b.p);
}

/* ---- codesign -------------------------------------------------------------------------- */

static void parse_cs(const buf *b, kc_codesign *c)
{
    char why[1024];

    memset(c, 0, sizeof(*c));
    if (kc_parse_codesign(b->p, b->n, c, why, sizeof(why)) != 0)
        fail_msg("refused: %s", why);
}

static void codesign_apple_kext(void **state)
{
    buf b = fixture("cs_rvi_kext.txt");
    kc_codesign c;

    (void)state;
    parse_cs(&b, &c);
    assert_int_equal(c.is_signed, KC_YES);
    assert_false(c.adhoc);
    assert_string_equal(c.identifier, "com.apple.nke.rvi");
    assert_string_equal(c.executable, "/Library/Apple/System/Library/Extensions/"
                        "RemoteVirtualInterface.kext/Contents/MacOS/RemoteVirtualInterface");
    assert_int_equal(c.archs.n, 3);
    assert_string_equal(c.archs.v[0], "x86_64");
    assert_string_equal(c.archs.v[1], "arm64e");
    assert_int_equal(c.has_arm64e, KC_YES);
    assert_null(c.team_id);
    assert_true(c.team_not_set);
    assert_int_equal(c.n_authorities, 3);
    assert_string_equal(c.authorities[0], "Software Signing");
    assert_string_equal(c.authorities[2], "Apple Root CA");
    assert_string_equal(c.timestamp, "Oct 30, 2021 at 9:59:49 PM");
    assert_false(c.secure_timestamp);
    assert_int_equal(c.stapled, KC_NO);
    assert_true(c.has_cd_flags);
    assert_int_equal(c.cd_flags, 0);
    assert_int_equal(c.hardened_runtime, KC_NO);
    assert_null(c.error);
    kc_codesign_free(&c);
    free(b.p);
}

static void codesign_developer_id(void **state)
{
    buf g = fixture("cs_globalprotect_sysext.txt"), v = fixture("cs_vscode_stapled.txt");
    buf gc = crlf(&g);
    kc_codesign c;

    (void)state;
    for (int pass = 0; pass < 2; pass++) {
        parse_cs(pass == 0 ? &g : &gc, &c);
        assert_int_equal(c.is_signed, KC_YES);
        assert_string_equal(c.team_id, "PXPZ95SK77");
        assert_false(c.team_not_set);
        assert_string_equal(c.authorities[0],
                            "Developer ID Application: Palo Alto Networks (PXPZ95SK77)");
        assert_int_equal(c.n_authority_lines, 3);
        assert_true(c.secure_timestamp);
        assert_string_equal(c.timestamp, "Jul 15, 2025 at 13:59:11");
        assert_int_equal(c.has_arm64e, KC_NO);
        assert_int_equal(c.cd_flags, 0x10000);
        assert_int_equal(c.hardened_runtime, KC_YES);
        assert_int_equal(c.stapled, KC_NO);
        kc_codesign_free(&c);
    }
    parse_cs(&v, &c);
    assert_int_equal(c.stapled, KC_YES);
    assert_string_equal(c.team_id, "UBF8T346G9");
    assert_string_equal(c.format, "app bundle with Mach-O universal (x86_64 arm64)");
    kc_codesign_free(&c);
    free(g.p);
    free(gc.p);
    free(v.p);
}

static void codesign_adhoc_and_warnings(void **state)
{
    buf a = fixture("cs_adhoc_helper.txt"), w = fixture("cs_cyberpunk_warnings.txt");
    kc_codesign c;

    (void)state;
    parse_cs(&a, &c);
    assert_int_equal(c.is_signed, KC_YES);
    assert_true(c.adhoc);
    assert_true(c.team_not_set);
    assert_null(c.team_id);
    assert_int_equal(c.n_authorities, 0);
    assert_null(c.timestamp);
    assert_int_equal(c.cd_flags, 0x2);
    assert_int_equal(c.hardened_runtime, KC_NO);
    assert_int_equal(c.archs.n, 1);
    assert_int_equal(c.has_arm64e, KC_NO);
    kc_codesign_free(&c);
    parse_cs(&w, &c);
    assert_int_equal(c.n_warnings, 2);
    assert_string_equal(c.authorities[0], "(unavailable)");
    assert_int_equal(c.stapled, KC_YES);
    assert_string_equal(c.team_id, "PL47UP47QQ");
    kc_codesign_free(&c);
    free(a.p);
    free(w.p);
}

static void codesign_unsigned(void **state)
{
    buf u = fixture("cs_unsigned_subcomponent.txt");
    buf a = tu_buf_copy(T("/tmp/x.kext: code object is not signed at all\nIn architecture: arm64\n"));
    buf o = tu_buf_copy(T("/tmp/y.kext: bundle format unrecognized, invalid, or unsuitable\n"));
    kc_codesign c;

    (void)state;
    parse_cs(&u, &c);
    assert_int_equal(c.is_signed, KC_NO);
    assert_string_equal(c.error, "<app>: code object is not signed at all");
    assert_null(c.executable);
    assert_int_equal(c.stapled, KC_UNKNOWN);
    assert_int_equal(c.has_arm64e, KC_UNKNOWN);
    kc_codesign_free(&c);
    parse_cs(&a, &c);
    assert_int_equal(c.is_signed, KC_NO);
    kc_codesign_free(&c);
    parse_cs(&o, &c);
    assert_int_equal(c.is_signed, KC_UNKNOWN);
    assert_string_equal(c.error, "/tmp/y.kext: bundle format unrecognized, invalid, or "
                        "unsuitable");
    kc_codesign_free(&c);
    free(u.p);
    free(a.p);
    free(o.p);
}

static void codesign_many_authorities(void **state)
{
    static const char text[] = "Executable=/x\nIdentifier=x\nSignature size=1\n"
                               "Authority=A\nAuthority=B\nAuthority=C\nAuthority=D\n"
                               "Authority=E\nTeamIdentifier=ABCDE12345\n";
    buf b = tu_buf_copy(T(text));
    kc_codesign c;

    (void)state;
    parse_cs(&b, &c);
    assert_int_equal(c.n_authorities, KC_CODESIGN_MAX_AUTHORITIES);
    assert_int_equal(c.n_authority_lines, 5);
    assert_string_equal(c.authorities[3], "D");
    assert_int_equal(c.has_arm64e, KC_UNKNOWN);
    assert_false(c.has_cd_flags);
    assert_int_equal(c.hardened_runtime, KC_UNKNOWN);
    kc_codesign_free(&c);
    free(b.p);
}

static void expect_codesign_fail(buf b, int line, const char *word)
{
    kc_codesign c;
    char why[1024];

    memset(&c, 0, sizeof(c));
    why[0] = '\0';
    assert_int_equal(kc_parse_codesign(b.p, b.n, &c, why, sizeof(why)), -1);
    check_why(why, line, word);
    assert_int_equal(c.is_signed, KC_UNKNOWN);
    assert_null(c.executable);
    assert_null(c.identifier);
    assert_null(c.error);
    assert_int_equal(c.archs.n, 0);
    assert_int_equal(c.n_authorities, 0);
    free(b.p);
}

static void codesign_refused(void **state)
{
    /* A fragment quoted without its first line (find_string id 57433360521). */
    static const char fragment[] = "CodeDirectory v=20400 flags=0x20002(adhoc,linker-signed)\n"
                                   "Signature=adhoc\nInfo.plist=not bound\n";
    buf a = fixture("cs_adhoc_helper.txt"), two;

    (void)state;
    expect_codesign_fail(tu_buf_copy(T(fragment)), 1, "\"Executable=PATH\"");
    two = concat(a.p, a.n, a.p, a.n, NULL, 0);
    expect_codesign_fail(two, 24, "a second \"Executable=\"");
    free(a.p);
    expect_codesign_fail(replaced("cs_vscode_stapled.txt", "=UBF8T346G9\nRuntime",
                                  "=ubf8t346g9\nRuntime"), 19, "team ID");
    expect_codesign_fail(replaced("cs_vscode_stapled.txt", "=stapled", "=maybe"), 17,
                         "Notarization Ticket=stapled");
    expect_codesign_fail(replaced("cs_adhoc_helper.txt", "Signature=adhoc", "Signature=none"),
                         19, "Signature=adhoc");
    expect_codesign_fail(replaced("cs_adhoc_helper.txt", "Info.plist=not bound",
                                  "Authority=Someone"), 19, "together with");
    expect_codesign_fail(replaced("cs_adhoc_helper.txt", "Info.plist=not bound",
                                  "Signature size=4000"), 20, "a second signature");
    expect_codesign_fail(replaced("cs_adhoc_helper.txt", "Page size=16384",
                                  "TeamIdentifier=not set"), 21, "a second \"TeamIdentifier");
    expect_codesign_fail(replaced("cs_adhoc_helper.txt", "Mach-O thin (arm64)",
                                  "Mach-O thin (arm64"), 3, "Mach-O thin (ARCH)");
    expect_codesign_fail(replaced("cs_adhoc_helper.txt", "Page size=16384", "Page size 16384"),
                         17, "\"Key=value\"");
    expect_codesign_fail(replaced("cs_cyberpunk_warnings.txt", "warning: binary",
                                  "Note: binary"), 22, "after the empty line");
    expect_codesign_fail(replaced("cs_unsigned_subcomponent.txt", "In subcomponent",
                                  "Elsewhere"), 2, "In architecture");
    expect_codesign_fail(tu_buf_copy(T("no colon and no equals sign\n")), 1, "Executable=PATH");
    expect_codesign_fail(replaced("cs_rvi_kext.txt", "Apple Root CA", "Apple\x01Root CA"), 18,
                         "printable");
    expect_codesign_fail(replaced_n("cs_rvi_kext.txt", "Apple Root CA", T("Apple\0Root CA")), 18,
                         "NUL");
    expect_codesign_fail(tu_buf_copy(T("\n\n")), 0, "empty");
    expect_codesign_fail(tu_buf_copy(T("warning: something\n")), 0, "only warnings");
}

static void codesign_warning_first(void **state)
{
    buf w = fixture("cs_cyberpunk_warnings.txt");
    buf b = concat(T("warning: binary contains an invalid entitlements blob.\n"), w.p, w.n, NULL,
                   0);
    kc_codesign c;

    (void)state;
    parse_cs(&b, &c);
    assert_int_equal(c.n_warnings, 3);
    assert_string_equal(c.team_id, "PL47UP47QQ");
    kc_codesign_free(&c);
    free(w.p);
    free(b.p);
}

static void codesign_truncated(void **state)
{
    buf b = fixture("cs_cyberpunk_warnings.txt");
    kc_codesign c;
    char why[1024];

    (void)state;
    memset(&c, 0, sizeof(c));
    for (size_t n = 0; n <= b.n; n++) {
        buf cut = tu_buf_copy(b.p, n);
        if (kc_parse_codesign(cut.p, cut.n, &c, why, sizeof(why)) == 0)
            assert_non_null(c.executable);
        else
            assert_null(c.executable);
        free(cut.p);
    }
    kc_codesign_free(&c);
    free(b.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bputil_full_security),
        cmocka_unit_test(bputil_excerpts),
        cmocka_unit_test(bputil_sip_customized),
        cmocka_unit_test(bputil_current_local_policy),
        cmocka_unit_test(bputil_no_line_of_interest),
        cmocka_unit_test(bputil_several_blocks),
        cmocka_unit_test(bputil_failed_block),
        cmocka_unit_test(bputil_many_blocks),
        cmocka_unit_test(bputil_preamble),
        cmocka_unit_test(bputil_refused),
        cmocka_unit_test(bputil_truncated),
        cmocka_unit_test(uname_values),
        cmocka_unit_test(sysctl_values),
        cmocka_unit_test(machine_combined),
        cmocka_unit_test(diskutil_samples),
        cmocka_unit_test(diskutil_refused),
        cmocka_unit_test(diskutil_truncated),
        cmocka_unit_test(codesign_apple_kext),
        cmocka_unit_test(codesign_developer_id),
        cmocka_unit_test(codesign_adhoc_and_warnings),
        cmocka_unit_test(codesign_unsigned),
        cmocka_unit_test(codesign_many_authorities),
        cmocka_unit_test(codesign_refused),
        cmocka_unit_test(codesign_warning_first),
        cmocka_unit_test(codesign_truncated),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
