/* Unit tests for core/macho.c.  Headers are built byte by byte here (the
 * layouts of Apple's <mach-o/fat.h> and <mach-o/loader.h>).  When the build
 * found clang and llvm-lipo, real Mach-O objects made by them at build time
 * are read too (KC_MACHO_SAMPLES); otherwise that test says it is skipped. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kc.h"
#include "macho.h"
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#define CPU_X86_64 0x01000007u
#define CPU_ARM64 0x0100000cu
#define CPU_I386 7u
#define CPU_PPC 18u
#define SUB_X86_64_ALL 3u
#define SUB_X86_64_H 8u
#define SUB_ARM64_ALL 0u
#define SUB_ARM64E 2u
#define SUB_PTRAUTH_ABI 0x80000000u /* a capability bit in the subtype's top byte */
#define MH_KEXT_BUNDLE 0xbu
#define MH_OBJECT 0x1u

/* ---- building headers ----------------------------------------------------------- */

static void be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

static void le32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static void be64(unsigned char *p, uint64_t v)
{
    be32(p, (uint32_t)(v >> 32));
    be32(p + 4, (uint32_t)v);
}

/* A little-endian mach_header_64 (what x86_64 and arm64 files hold). */
static void thin64(unsigned char *p, uint32_t cputype, uint32_t subtype, uint32_t filetype)
{
    memset(p, 0, 32);
    le32(p, 0xfeedfacfu);
    le32(p + 4, cputype);
    le32(p + 8, subtype);
    le32(p + 12, filetype);
    le32(p + 16, 10);  /* ncmds */
    le32(p + 20, 800); /* sizeofcmds */
}

typedef struct slice {
    uint32_t cputype, subtype;
    uint64_t offset, size;
    uint32_t align;
    bool header; /* write a thin header at offset (when inside the buffer) */
} slice;

/* A fat file of total bytes (zero-filled) with the slices given. */
static unsigned char *fat(bool is64, const slice *s, size_t n, size_t total)
{
    unsigned char *b = calloc(1, total);
    size_t entry = is64 ? 32 : 20;

    assert_non_null(b);
    be32(b, is64 ? 0xcafebabfu : 0xcafebabeu);
    be32(b + 4, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        unsigned char *e = b + 8 + i * entry;
        if (8 + (i + 1) * entry > total)
            break;
        be32(e, s[i].cputype);
        be32(e + 4, s[i].subtype);
        if (is64) {
            be64(e + 8, s[i].offset);
            be64(e + 16, s[i].size);
            be32(e + 24, s[i].align);
        } else {
            be32(e + 8, (uint32_t)s[i].offset);
            be32(e + 12, (uint32_t)s[i].size);
            be32(e + 16, s[i].align);
        }
        if (s[i].header && s[i].offset + 32 <= total)
            thin64(b + s[i].offset, s[i].cputype, s[i].subtype, MH_KEXT_BUNDLE);
    }
    return b;
}

static void parse_ok(const unsigned char *b, size_t len, uint64_t file_size, kc_macho *m)
{
    unsigned char *copy = malloc(len != 0 ? len : 1);
    char why[512];

    assert_non_null(copy);
    memcpy(copy, b, len);
    if (kc_macho_parse(copy, len, file_size, m, why, sizeof(why)) != 0)
        fail_msg("refused: %s", why);
    free(copy);
}

static void parse_fail(const unsigned char *b, size_t len, uint64_t file_size, const char *word)
{
    unsigned char *copy = malloc(len != 0 ? len : 1);
    char why[512];
    kc_macho m;

    assert_non_null(copy);
    if (b != NULL && len != 0)
        memcpy(copy, b, len);
    why[0] = '\0';
    assert_int_equal(kc_macho_parse(b != NULL ? copy : NULL, len, file_size, &m, why,
                                    sizeof(why)), -1);
    if (strstr(why, word) == NULL)
        fail_msg("got \"%s\", wanted \"%s\" in it", why, word);
    assert_int_equal(m.n_archs, 0);
    assert_false(m.has_arm64e);
    free(copy);
}

/* ---- thin --------------------------------------------------------------------------- */

static void thin_files(void **state)
{
    unsigned char b[64];
    kc_macho m;
    char list[128];

    (void)state;
    thin64(b, CPU_X86_64, SUB_X86_64_ALL, MH_KEXT_BUNDLE);
    parse_ok(b, 32, 0, &m);
    assert_false(m.fat);
    assert_int_equal(m.n_archs, 1);
    assert_string_equal(m.archs[0].name, "x86_64");
    assert_int_equal(m.archs[0].filetype, MH_KEXT_BUNDLE);
    assert_true(m.has_x86_64);
    assert_false(m.has_arm64e);
    assert_false(m.has_arm64);
    thin64(b, CPU_X86_64, SUB_X86_64_H, MH_KEXT_BUNDLE);
    parse_ok(b, 32, 32, &m);
    assert_string_equal(m.archs[0].name, "x86_64h");
    assert_true(m.has_x86_64);
    /* arm64e with capability bits (ptrauth ABI) in the subtype's top byte. */
    thin64(b, CPU_ARM64, SUB_ARM64E | SUB_PTRAUTH_ABI, MH_KEXT_BUNDLE);
    parse_ok(b, 64, 0, &m);
    assert_string_equal(m.archs[0].name, "arm64e");
    assert_true(m.archs[0].arm64e);
    assert_int_equal(m.archs[0].cpusubtype, SUB_ARM64E | SUB_PTRAUTH_ABI);
    assert_true(m.has_arm64e);
    assert_false(m.has_arm64);
    thin64(b, CPU_ARM64, SUB_ARM64_ALL, MH_KEXT_BUNDLE);
    parse_ok(b, 32, 0, &m);
    assert_string_equal(m.archs[0].name, "arm64");
    assert_false(m.has_arm64e);
    assert_true(m.has_arm64);
    /* The ptrauth ABI version (bits 24-27) is masked off too. */
    thin64(b, CPU_ARM64, 0x81000002u, MH_KEXT_BUNDLE);
    parse_ok(b, 32, 0, &m);
    assert_true(m.has_arm64e);
    /* A subtype whose low bits are not 2 is not arm64e whatever the top byte. */
    thin64(b, CPU_ARM64, 0x80000001u, MH_KEXT_BUNDLE);
    parse_ok(b, 32, 0, &m);
    assert_false(m.has_arm64e);
    assert_string_equal(m.archs[0].name, "arm64v8");
    /* 32-bit little-endian (i386) and big-endian (ppc) headers. */
    memset(b, 0, sizeof(b));
    le32(b, 0xfeedfaceu);
    le32(b + 4, CPU_I386);
    le32(b + 8, 3);
    le32(b + 12, MH_KEXT_BUNDLE);
    parse_ok(b, 28, 0, &m);
    assert_string_equal(m.archs[0].name, "i386");
    memset(b, 0, sizeof(b));
    be32(b, 0xfeedfaceu);
    be32(b + 4, CPU_PPC);
    be32(b + 12, MH_KEXT_BUNDLE);
    parse_ok(b, 28, 0, &m);
    assert_string_equal(m.archs[0].name, "ppc");
    assert_int_equal(m.archs[0].filetype, MH_KEXT_BUNDLE);
    /* An unknown CPU is named by its numbers. */
    thin64(b, 0x01000099u, 5, MH_KEXT_BUNDLE);
    parse_ok(b, 32, 0, &m);
    assert_string_equal(m.archs[0].name, "cputype 0x1000099 subtype 0x5");
    kc_macho_arch_list(&m, list, sizeof(list));
    assert_string_equal(list, "cputype 0x1000099 subtype 0x5");
}

static void thin_refused(void **state)
{
    unsigned char b[64];
    static const unsigned char elf[] = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0};

    (void)state;
    thin64(b, CPU_X86_64, SUB_X86_64_ALL, MH_KEXT_BUNDLE);
    parse_fail(b, 31, 0, "cut short");
    parse_fail(b, 3, 0, "too short");
    parse_fail(b, 0, 0, "too short");
    parse_fail(elf, sizeof(elf), 0, "not a Mach-O file");
    parse_fail(b, 32, 16, "bytes given for a file of 16");
    memset(b, 0, sizeof(b));
    le32(b, 0xfeedfaceu);
    parse_fail(b, 27, 0, "cut short");
    parse_fail(NULL, 8, 0, "no data");
}

/* ---- fat ---------------------------------------------------------------------------- */

static void fat_files(void **state)
{
    const slice e[] = {{CPU_X86_64, SUB_X86_64_ALL, 4096, 8192, 12, true},
                       {CPU_ARM64, SUB_ARM64E | SUB_PTRAUTH_ABI, 16384, 8192, 14, true}};
    const slice p[] = {{CPU_X86_64, SUB_X86_64_ALL, 4096, 8192, 12, true},
                       {CPU_ARM64, SUB_ARM64_ALL, 16384, 8192, 14, true}};
    unsigned char *b;
    kc_macho m;
    char list[128];

    (void)state;
    /* x86_64 + arm64e: both headers within the buffer. */
    b = fat(false, e, 2, 24576);
    parse_ok(b, 24576, 24576, &m);
    assert_true(m.fat);
    assert_false(m.fat64);
    assert_int_equal(m.n_archs, 2);
    assert_string_equal(m.archs[0].name, "x86_64");
    assert_string_equal(m.archs[1].name, "arm64e");
    assert_int_equal(m.archs[1].offset, 16384);
    assert_int_equal(m.archs[1].size, 8192);
    assert_int_equal(m.archs[1].align, 14);
    assert_int_equal(m.archs[0].filetype, MH_KEXT_BUNDLE);
    assert_int_equal(m.archs[1].filetype, MH_KEXT_BUNDLE);
    assert_true(m.has_arm64e);
    assert_true(m.has_x86_64);
    assert_false(m.has_arm64);
    kc_macho_arch_list(&m, list, sizeof(list));
    assert_string_equal(list, "x86_64 arm64e");
    /* Only the first 8 KiB read: the arm64e slice's header is not checked. */
    parse_ok(b, 8192, 0, &m);
    assert_true(m.has_arm64e);
    assert_int_equal(m.archs[1].filetype, 0);
    free(b);
    /* x86_64 + arm64: no arm64e slice. */
    b = fat(false, p, 2, 24576);
    parse_ok(b, 24576, 0, &m);
    assert_false(m.has_arm64e);
    assert_true(m.has_arm64);
    free(b);
    /* The same with 64-bit fat entries. */
    b = fat(true, e, 2, 24576);
    parse_ok(b, 24576, 24576, &m);
    assert_true(m.fat64);
    assert_true(m.has_arm64e);
    assert_int_equal(m.archs[1].offset, 16384);
    free(b);
}

static void fat_refused(void **state)
{
    slice s[2] = {{CPU_X86_64, SUB_X86_64_ALL, 4096, 8192, 12, true},
                  {CPU_ARM64, SUB_ARM64E, 16384, 8192, 14, true}};
    /* A Java class file: 0xcafebabe, minor 0, major 52 (Java 8). */
    static const unsigned char java[] = {0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52, 0, 10};
    unsigned char *b;
    uint32_t saved;

    (void)state;
    parse_fail(java, sizeof(java), 0, "Java class");
    b = fat(false, s, 0, 64);
    parse_fail(b, 64, 0, "no architectures");
    free(b);
    b = fat(false, s, 2, 24576);
    parse_fail(b, 7, 0, "fat header is cut short");
    parse_fail(b, 40, 0, "only 40 bytes");
    be32(b + 4, 3); /* three announced, two written */
    parse_fail(b, 60, 0, "only 60 bytes");
    free(b);
    /* Offsets and sizes. */
    s[1].offset = 20;
    s[1].header = false; /* a header there would overwrite the fat table */
    b = fat(false, s, 2, 24576);
    parse_fail(b, 24576, 0, "inside the fat header");
    free(b);
    s[1].header = true;
    s[1].offset = 16384;
    s[1].size = 0;
    b = fat(false, s, 2, 24576);
    parse_fail(b, 24576, 0, "size 0");
    free(b);
    s[1].size = 8192;
    s[1].offset = 8192; /* overlaps the x86_64 slice (4096..12288) */
    b = fat(false, s, 2, 24576);
    parse_fail(b, 24576, 0, "overlap");
    free(b);
    s[1].offset = 16384;
    b = fat(false, s, 2, 24576);
    parse_fail(b, 16416, 20000, "past the end of the file");
    parse_fail(b, 24576, 24575, "bytes given for a file");
    free(b);
    s[1].align = 40;
    b = fat(false, s, 2, 24576);
    parse_fail(b, 24576, 0, "alignment");
    free(b);
    s[1].align = 14;
    /* Two slices of the same architecture. */
    saved = s[1].cputype;
    s[1].cputype = CPU_X86_64;
    s[1].subtype = SUB_X86_64_ALL;
    b = fat(false, s, 2, 24576);
    parse_fail(b, 24576, 0, "both x86_64");
    free(b);
    s[1].cputype = saved;
    s[1].subtype = SUB_ARM64E;
    /* The slice's header disagrees, or is not a Mach-O header at all. */
    b = fat(false, s, 2, 24576);
    le32(b + 16384 + 4, CPU_X86_64);
    parse_fail(b, 24576, 0, "own header says cputype 0x1000007");
    memset(b + 16384, 0, 32);
    parse_fail(b, 24576, 0, "is not a Mach-O header");
    free(b);
    /* A slice smaller than a header. */
    s[1].size = 16;
    b = fat(false, s, 2, 24576);
    parse_fail(b, 24576, 0, "is not a Mach-O header");
    free(b);
    /* 64-bit fat entry whose offset + size overflows. */
    s[1].size = 8192;
    s[1].offset = UINT64_MAX - 100;
    s[1].header = false;
    b = fat(true, s, 2, 24576);
    parse_fail(b, 24576, 0, "overflows");
    free(b);
}

/* Every prefix of a good fat file parses or is refused, never anything else. */
static void fat_truncated(void **state)
{
    const slice e[] = {{CPU_X86_64, SUB_X86_64_ALL, 80, 64, 0, true},
                       {CPU_ARM64, SUB_ARM64E, 144, 64, 0, true}};
    unsigned char *b = fat(true, e, 2, 208);
    char why[512];
    kc_macho m;

    (void)state;
    for (size_t n = 0; n <= 208; n++) {
        unsigned char *cut = malloc(n != 0 ? n : 1);
        int rc;
        assert_non_null(cut);
        memcpy(cut, b, n);
        rc = kc_macho_parse(cut, n, 0, &m, why, sizeof(why));
        if (n < 8 + 2 * 32)
            assert_int_equal(rc, -1);
        else if (rc == 0)
            assert_true(m.has_arm64e);
        free(cut);
    }
    free(b);
}

/* Real objects from clang and llvm-lipo, made at build time when found. */
static void real_toolchain_objects(void **state)
{
#ifdef KC_MACHO_SAMPLES
    static const struct {
        const char *file;
        const char *archs;
        bool arm64e;
        bool fat;
    } cases[] = {
        {"x86_64.o", "x86_64", false, false},
        {"arm64e.o", "arm64e", true, false},
        {"arm64.o", "arm64", false, false},
        {"fat_x86_64_arm64e.o", "x86_64 arm64e", true, true},
        {"fat_x86_64_arm64.o", "x86_64 arm64", false, true},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char path[4096], why[512], list[128];
        char *data = NULL;
        size_t len = 0;
        kc_macho m;
        tu_join(path, sizeof(path), KC_MACHO_SAMPLES, cases[i].file);
        if (kc_read_file(path, 1 << 20, &data, &len, why, sizeof(why)) != 0)
            fail_msg("%s: %s", path, why);
        if (kc_macho_parse(data, len, len, &m, why, sizeof(why)) != 0)
            fail_msg("%s refused: %s", path, why);
        kc_macho_arch_list(&m, list, sizeof(list));
        assert_string_equal(list, cases[i].archs);
        assert_int_equal(m.has_arm64e, cases[i].arm64e);
        assert_int_equal(m.fat, cases[i].fat);
        assert_int_equal(m.archs[0].filetype, MH_OBJECT);
        free(data);
    }
#else
    (void)state;
    print_message("skipped: clang or llvm-lipo was not found when the build was configured\n");
    skip();
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(thin_files),
        cmocka_unit_test(thin_refused),
        cmocka_unit_test(fat_files),
        cmocka_unit_test(fat_refused),
        cmocka_unit_test(fat_truncated),
        cmocka_unit_test(real_toolchain_objects),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
