/* The architectures of a Mach-O file (a kext's executable) from its first
 * bytes: thin or fat (universal), each slice's CPU type and subtype, and
 * whether an arm64e slice exists (Apple silicon loads only arm64e kexts).
 *
 * Layouts from Apple's <mach-o/fat.h>, <mach-o/loader.h> and
 * <mach/machine.h> (values restated in macho.c).  Pure function: it reads
 * only the len bytes given and never trusts a count or offset it has not
 * checked. */
#ifndef KC_MACHO_H
#define KC_MACHO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A fat header with more architectures than this is not a Mach-O file
 * (a Java class file starts with the same 0xcafebabe; its version makes
 * nfat_arch 45 or more). */
#define KC_MACHO_MAX_ARCHS 30

typedef struct kc_macho_arch {
    uint32_t cputype;
    uint32_t cpusubtype;   /* as stored, capability bits included */
    uint64_t offset;       /* fat: where the slice starts; thin: 0 */
    uint64_t size;         /* fat: its size; thin: 0 (unknown) */
    uint32_t align;        /* fat: a power of 2; thin: 0 */
    uint32_t filetype;     /* the slice's mach_header filetype (MH_KEXT_BUNDLE is
                              0xb), 0 when the slice starts past the bytes given */
    bool arm64e;           /* CPU_TYPE_ARM64 with subtype 2 once masked */
    char name[32];         /* "x86_64", "x86_64h", "arm64", "arm64e", "i386", ...
                              or "cputype 0x... subtype 0x..." */
} kc_macho_arch;

typedef struct kc_macho {
    bool fat;              /* universal (fat header) or thin */
    bool fat64;            /* FAT_MAGIC_64 (fat_arch_64 entries) */
    size_t n_archs;
    kc_macho_arch archs[KC_MACHO_MAX_ARCHS];
    bool has_arm64e;
    bool has_arm64;        /* plain arm64 (not arm64e) */
    bool has_x86_64;       /* x86_64 or x86_64h */
} kc_macho;

/* buf holds the first len bytes of the file (the caller reads, say, 64 KiB);
 * file_size is the whole file's size, or 0 when unknown (then slices past
 * the buffer are not checked against it).  0, or -1 with why. */
int kc_macho_parse(const void *buf, size_t len, uint64_t file_size, kc_macho *out,
                   char *why, size_t whylen);

/* "x86_64 arm64e" (the names, space-separated) into buf. */
void kc_macho_arch_list(const kc_macho *m, char *buf, size_t buflen);

#endif
