/* SHA-1 and RFC 4122 version-5 UUIDs, for the stable PayloadUUIDs of
 * `kextcheck profile` (profile.h).  SHA-1 is used only as RFC 4122 section
 * 4.3 names it for name-based UUIDs, not for security. */
#include "profile.h"

#include <stdio.h>
#include <string.h>

const unsigned char kc_uuid_namespace[16] = {0x90, 0xa7, 0x96, 0x6c, 0xc7, 0xfa, 0x4a, 0x15,
                                             0x8d, 0xbd, 0xbf, 0x47, 0x6b, 0xcd, 0xb1, 0x46};

typedef struct sha1 {
    uint32_t h[5];
    unsigned char block[64];
    size_t used;        /* bytes in block */
    uint64_t total;     /* bytes hashed */
} sha1;

static uint32_t rol(uint32_t x, unsigned n)
{
    return (x << n) | (x >> (32 - n));
}

static void sha1_block(sha1 *s, const unsigned char *p)
{
    uint32_t w[80], a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3], e = s->h[4];

    for (int i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
    for (int i = 16; i < 80; i++)
        w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    for (int i = 0; i < 80; i++) {
        uint32_t f, k, t;
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5a827999;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ed9eba1;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8f1bbcdc;
        } else {
            f = b ^ c ^ d;
            k = 0xca62c1d6;
        }
        t = rol(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rol(b, 30);
        b = a;
        a = t;
    }
    s->h[0] += a;
    s->h[1] += b;
    s->h[2] += c;
    s->h[3] += d;
    s->h[4] += e;
}

static void sha1_init(sha1 *s)
{
    static const uint32_t h0[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
                                   0xc3d2e1f0};
    memset(s, 0, sizeof(*s));
    memcpy(s->h, h0, sizeof(h0));
}

static void sha1_add(sha1 *s, const void *data, size_t len)
{
    const unsigned char *p = data;

    s->total += len;
    while (len > 0) {
        size_t n = sizeof(s->block) - s->used;
        if (n > len)
            n = len;
        memcpy(s->block + s->used, p, n);
        s->used += n;
        p += n;
        len -= n;
        if (s->used == sizeof(s->block)) {
            sha1_block(s, s->block);
            s->used = 0;
        }
    }
}

static void sha1_end(sha1 *s, unsigned char out[20])
{
    uint64_t bits = s->total * 8;
    unsigned char pad = 0x80, zero = 0, len[8];

    sha1_add(s, &pad, 1);
    while (s->used != 56)
        sha1_add(s, &zero, 1);
    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)(bits >> (56 - 8 * i));
    sha1_add(s, len, 8);
    for (int i = 0; i < 20; i++)
        out[i] = (unsigned char)(s->h[i / 4] >> (24 - 8 * (i % 4)));
}

void kc_sha1(const void *data, size_t len, unsigned char out[20])
{
    sha1 s;

    sha1_init(&s);
    sha1_add(&s, data, len);
    sha1_end(&s, out);
}

void kc_uuid_v5(const unsigned char ns[16], const void *name, size_t len, char out[37])
{
    unsigned char d[20];
    sha1 s;

    sha1_init(&s);
    sha1_add(&s, ns, 16);
    sha1_add(&s, name, len);
    sha1_end(&s, d);
    d[6] = (unsigned char)((d[6] & 0x0f) | 0x50); /* version 5 */
    d[8] = (unsigned char)((d[8] & 0x3f) | 0x80); /* variant 10 (RFC 4122) */
    snprintf(out, 37,
             "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", d[0], d[1],
             d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12], d[13], d[14],
             d[15]);
}
