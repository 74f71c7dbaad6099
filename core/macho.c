/* Mach-O header reader (see macho.h). */
#include "macho.h"

#include "i18n.h"
#include "kc.h"

#include <string.h>

/* <mach-o/fat.h>: fat headers are big-endian on disk. */
#define FAT_MAGIC 0xcafebabeu
#define FAT_MAGIC_64 0xcafebabfu
#define FAT_HEADER_SIZE 8u
#define FAT_ARCH_SIZE 20u    /* cputype, cpusubtype, offset, size, align */
#define FAT_ARCH_64_SIZE 32u /* cputype, cpusubtype, offset64, size64, align, reserved */

/* <mach-o/loader.h>: mach_header (28 bytes) / mach_header_64 (32 bytes),
 * in the byte order of the file's CPU. */
#define MH_MAGIC 0xfeedfaceu
#define MH_CIGAM 0xcefaedfeu
#define MH_MAGIC_64 0xfeedfacfu
#define MH_CIGAM_64 0xcffaedfeu
#define MH_HEADER_SIZE 28u
#define MH_HEADER_64_SIZE 32u

/* <mach/machine.h> */
#define CPU_ARCH_ABI64 0x01000000u
#define CPU_ARCH_ABI64_32 0x02000000u
#define CPU_TYPE_X86 7u
#define CPU_TYPE_X86_64 (CPU_TYPE_X86 | CPU_ARCH_ABI64)
#define CPU_TYPE_ARM 12u
#define CPU_TYPE_ARM64 (CPU_TYPE_ARM | CPU_ARCH_ABI64)
#define CPU_TYPE_ARM64_32 (CPU_TYPE_ARM | CPU_ARCH_ABI64_32)
#define CPU_TYPE_POWERPC 18u
#define CPU_TYPE_POWERPC64 (CPU_TYPE_POWERPC | CPU_ARCH_ABI64)
#define CPU_SUBTYPE_MASK 0xff000000u /* capability bits (e.g. arm64e's ptrauth ABI) */
#define CPU_SUBTYPE_X86_64_H 8u
#define CPU_SUBTYPE_ARM64_V8 1u
#define CPU_SUBTYPE_ARM64E 2u
#define CPU_SUBTYPE_ARM_V6 6u
#define CPU_SUBTYPE_ARM_V7 9u
#define CPU_SUBTYPE_ARM_V7S 11u
#define CPU_SUBTYPE_ARM_V7K 12u

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint64_t be64(const unsigned char *p)
{
    return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static void name_arch(kc_macho_arch *a)
{
    uint32_t sub = a->cpusubtype & ~CPU_SUBTYPE_MASK;
    const char *n = NULL;

    a->arm64e = a->cputype == CPU_TYPE_ARM64 && sub == CPU_SUBTYPE_ARM64E;
    switch (a->cputype) {
    case CPU_TYPE_X86_64:
        n = sub == CPU_SUBTYPE_X86_64_H ? "x86_64h" : "x86_64";
        break;
    case CPU_TYPE_X86:
        n = "i386";
        break;
    case CPU_TYPE_ARM64:
        n = sub == CPU_SUBTYPE_ARM64E ? "arm64e" : sub == CPU_SUBTYPE_ARM64_V8 ? "arm64v8"
                                                                               : "arm64";
        break;
    case CPU_TYPE_ARM64_32:
        n = "arm64_32";
        break;
    case CPU_TYPE_ARM:
        n = sub == CPU_SUBTYPE_ARM_V7    ? "armv7"
            : sub == CPU_SUBTYPE_ARM_V7S ? "armv7s"
            : sub == CPU_SUBTYPE_ARM_V7K ? "armv7k"
            : sub == CPU_SUBTYPE_ARM_V6  ? "armv6"
                                         : "arm";
        break;
    case CPU_TYPE_POWERPC:
        n = "ppc";
        break;
    case CPU_TYPE_POWERPC64:
        n = "ppc64";
        break;
    default:
        break;
    }
    if (n != NULL)
        kc_snprintf(a->name, sizeof(a->name), "%s", n);
    else
        kc_snprintf(a->name, sizeof(a->name), "cputype 0x%x subtype 0x%x",
                    (unsigned)a->cputype, (unsigned)a->cpusubtype);
}

/* A thin header at b[0..n): 1 with cputype/subtype/filetype, 0 when the
 * bytes are not a thin Mach-O header, -1 when they start like one but are
 * cut short. */
static int thin_header(const unsigned char *b, size_t n, uint32_t *cputype,
                       uint32_t *cpusubtype, uint32_t *filetype)
{
    uint32_t (*rd)(const unsigned char *) = NULL;
    uint32_t m, need = 0;

    if (n < 4)
        return 0;
    m = le32(b);
    if (m == MH_MAGIC || m == MH_MAGIC_64) {
        rd = le32;
        need = m == MH_MAGIC ? MH_HEADER_SIZE : MH_HEADER_64_SIZE;
    } else if (m == MH_CIGAM || m == MH_CIGAM_64) {
        rd = be32;
        need = m == MH_CIGAM ? MH_HEADER_SIZE : MH_HEADER_64_SIZE;
    } else {
        return 0;
    }
    if (n < need)
        return -1;
    *cputype = rd(b + 4);
    *cpusubtype = rd(b + 8);
    *filetype = rd(b + 12);
    return 1;
}

static void summarise(kc_macho *m)
{
    for (size_t i = 0; i < m->n_archs; i++) {
        const kc_macho_arch *a = &m->archs[i];
        if (a->arm64e)
            m->has_arm64e = true;
        else if (a->cputype == CPU_TYPE_ARM64)
            m->has_arm64 = true;
        if (a->cputype == CPU_TYPE_X86_64)
            m->has_x86_64 = true;
    }
}

int kc_macho_parse(const void *buf, size_t len, uint64_t file_size, kc_macho *out,
                   char *why, size_t whylen)
{
    const unsigned char *b = buf;
    kc_macho m;
    uint32_t magic, nfat, entry;
    int r;

    memset(out, 0, sizeof(*out));
    memset(&m, 0, sizeof(m));
    if (b == NULL && len > 0) {
        kc_snprintf(why, whylen, "%s", _("no data"));
        return -1;
    }
    if (file_size != 0 && len > file_size) {
        kc_snprintf(why, whylen, _("%zu bytes given for a file of %llu bytes"), len,
                    (unsigned long long)file_size);
        return -1;
    }
    if (len < 4) {
        kc_snprintf(why, whylen, _("%zu bytes: too short for a Mach-O header"), len);
        return -1;
    }
    magic = be32(b);
    if (magic != FAT_MAGIC && magic != FAT_MAGIC_64) {
        kc_macho_arch *a = &m.archs[0];
        r = thin_header(b, len, &a->cputype, &a->cpusubtype, &a->filetype);
        if (r == 0) {
            kc_snprintf(why, whylen, _("not a Mach-O file (the first four bytes are "
                                       "%02x %02x %02x %02x)"), b[0], b[1], b[2], b[3]);
            return -1;
        }
        if (r < 0) {
            kc_snprintf(why, whylen, _("the Mach-O header is cut short (%zu bytes)"), len);
            return -1;
        }
        name_arch(a);
        m.n_archs = 1;
        summarise(&m);
        *out = m;
        return 0;
    }
    m.fat = true;
    m.fat64 = magic == FAT_MAGIC_64;
    entry = m.fat64 ? FAT_ARCH_64_SIZE : FAT_ARCH_SIZE;
    if (len < FAT_HEADER_SIZE) {
        kc_snprintf(why, whylen, _("the fat header is cut short (%zu bytes)"), len);
        return -1;
    }
    nfat = be32(b + 4);
    if (nfat == 0) {
        kc_snprintf(why, whylen, "%s", _("a fat header with no architectures"));
        return -1;
    }
    if (nfat > KC_MACHO_MAX_ARCHS) {
        kc_snprintf(why, whylen, _("not a fat Mach-O file: it would have %lu architectures (more "
                                   "than %d; a Java class file also starts with 0xcafebabe)"),
                    (unsigned long)nfat, KC_MACHO_MAX_ARCHS);
        return -1;
    }
    /* nfat <= 30, so this cannot overflow. */
    if (len < FAT_HEADER_SIZE + (size_t)nfat * entry) {
        kc_snprintf(why, whylen, _("the fat header lists %lu architectures but only %zu bytes "
                                   "were given (%zu needed)"), (unsigned long)nfat, len,
                    FAT_HEADER_SIZE + (size_t)nfat * entry);
        return -1;
    }
    for (uint32_t i = 0; i < nfat; i++) {
        const unsigned char *e = b + FAT_HEADER_SIZE + (size_t)i * entry;
        kc_macho_arch *a = &m.archs[i];
        uint64_t end;

        a->cputype = be32(e);
        a->cpusubtype = be32(e + 4);
        if (m.fat64) {
            a->offset = be64(e + 8);
            a->size = be64(e + 16);
            a->align = be32(e + 24);
        } else {
            a->offset = be32(e + 8);
            a->size = be32(e + 12);
            a->align = be32(e + 16);
        }
        name_arch(a);
        if (a->size == 0) {
            kc_snprintf(why, whylen, _("architecture %lu (%s) has size 0"), (unsigned long)i,
                        a->name);
            return -1;
        }
        if (a->offset < FAT_HEADER_SIZE + (uint64_t)nfat * entry) {
            kc_snprintf(why, whylen, _("architecture %lu (%s) starts at %llu, inside the fat "
                                       "header"),
                        (unsigned long)i, a->name, (unsigned long long)a->offset);
            return -1;
        }
        if (a->align > 31) {
            kc_snprintf(why, whylen, _("architecture %lu (%s) has alignment 2^%lu"),
                        (unsigned long)i, a->name, (unsigned long)a->align);
            return -1;
        }
        if (a->offset > UINT64_MAX - a->size) {
            kc_snprintf(why, whylen, _("architecture %lu (%s): offset + size overflows"),
                        (unsigned long)i, a->name);
            return -1;
        }
        end = a->offset + a->size;
        if (file_size != 0 && end > file_size) {
            kc_snprintf(why, whylen, _("architecture %lu (%s) ends at %llu, past the end of the "
                                       "file (%llu bytes)"), (unsigned long)i, a->name,
                        (unsigned long long)end, (unsigned long long)file_size);
            return -1;
        }
        for (uint32_t j = 0; j < i; j++) {
            const kc_macho_arch *o = &m.archs[j];
            if (o->cputype == a->cputype &&
                (o->cpusubtype & ~CPU_SUBTYPE_MASK) == (a->cpusubtype & ~CPU_SUBTYPE_MASK)) {
                kc_snprintf(why, whylen, _("architectures %lu and %lu are both %s"),
                            (unsigned long)j, (unsigned long)i, a->name);
                return -1;
            }
            if (a->offset < o->offset + o->size && o->offset < end) {
                kc_snprintf(why, whylen, _("architectures %lu (%s) and %lu (%s) overlap"),
                            (unsigned long)j, o->name, (unsigned long)i, a->name);
                return -1;
            }
        }
        /* The slice's own header, when it is within the bytes given. */
        if (a->offset < len) {
            uint32_t ct = 0, cs = 0, ft = 0;
            size_t avail = len - (size_t)a->offset;
            if (avail > a->size)
                avail = (size_t)a->size;
            r = thin_header(b + a->offset, avail, &ct, &cs, &ft);
            if (r < 0 && avail == len - (size_t)a->offset && avail < a->size)
                r = 2; /* cut by the end of the buffer, not by the slice: unchecked */
            if (r == 0 || r == -1) {
                kc_snprintf(why, whylen, _("architecture %lu (%s) at offset %llu is not a "
                                           "Mach-O header"), (unsigned long)i, a->name,
                            (unsigned long long)a->offset);
                return -1;
            }
            if (r == 1) {
                if (ct != a->cputype) {
                    kc_snprintf(why, whylen, _("architecture %lu (%s): the slice's own header "
                                               "says cputype 0x%lx"), (unsigned long)i, a->name,
                                (unsigned long)ct);
                    return -1;
                }
                a->filetype = ft;
            }
        }
    }
    m.n_archs = nfat;
    summarise(&m);
    *out = m;
    return 0;
}

void kc_macho_arch_list(const kc_macho *m, char *buf, size_t buflen)
{
    size_t used = 0;

    if (buflen == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < m->n_archs && i < KC_MACHO_MAX_ARCHS; i++) {
        int n = snprintf(buf + used, buflen - used, "%s%s", i > 0 ? " " : "",
                         m->archs[i].name);
        if (n < 0 || (size_t)n >= buflen - used)
            break;
        used += (size_t)n;
    }
}
