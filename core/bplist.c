/* A binary property list read in place (see bplist.h).
 *
 * The format (bplist00): an 8-byte header, the objects, a table of their
 * offsets, and a 32-byte trailer (offset size, reference size, object
 * count, top object, table offset).  An object starts with a marker byte:
 * its kind in the high nibble, a length or size in the low one (15: the
 * length follows as an integer object).  Arrays hold references (object
 * numbers), dictionaries their keys' references then their values'.
 *
 * What libplist would refuse, or might read differently, is declined
 * rather than guessed at: the caller then asks libplist, so the outcome
 * for such a file is the one it always was. */
#include "bplist.h"

#include <stdlib.h>
#include <string.h>

#define HEADER 8
#define TRAILER 32
#define MAX_DEPTH 64  /* a db.plist nests 5 deep; deeper is left to libplist */
#define MAX_KEYS 256  /* so is a larger dictionary */

static uint64_t be(const unsigned char *p, size_t size)
{
    uint64_t v = 0;

    for (size_t i = 0; i < size; i++)
        v = (v << 8) | p[i];
    return v;
}

/* Object i's offset, or 0 when it is not one an object can start at. */
static size_t offset_of(const kc_bplist *b, uint64_t i)
{
    uint64_t o = be(b->d + b->table + (size_t)i * b->off_size, b->off_size);

    return o >= HEADER && o < b->table ? (size_t)o : 0;
}

/* The marker of the object at offset o: kind, count and payload start.
 * 0, or -1 for a kind or size this reader does not take. */
static int decode(const kc_bplist *b, size_t o, kc_bp_obj *out)
{
    unsigned type = b->d[o] >> 4, info = b->d[o] & 0x0f;
    size_t at = o + 1, unit;
    uint64_t n = info, bytes;

    memset(out, 0, sizeof(*out));
    switch (type) {
    case 0x0: /* false, true; null and fill are declined */
        if (info != 0x8 && info != 0x9)
            return -1;
        out->kind = KC_BP_BOOL;
        out->at = at;
        return 0;
    case 0x1: /* integers of 1, 2, 4 or 8 bytes */
    case 0x2: /* reals of 4 or 8 */
    case 0x3: /* dates: 8 */
        if ((type == 0x1 && info > 3) || (type == 0x2 && info != 2 && info != 3) ||
            (type == 0x3 && info != 3))
            return -1;
        bytes = (uint64_t)1 << info;
        if (bytes > b->table - at)
            return -1;
        out->kind = type == 0x1 ? KC_BP_INT : type == 0x2 ? KC_BP_REAL : KC_BP_DATE;
        out->at = at;
        return 0;
    case 0x4:
    case 0x5:
    case 0x6:
    case 0xA:
    case 0xD:
        break;
    default: /* UIDs, sets and unknown kinds */
        return -1;
    }
    if (info == 0x0f) {
        /* The length as an integer object of 1, 2, 4 or 8 bytes. */
        size_t isz;
        if (at >= b->table || (b->d[at] >> 4) != 0x1 || (b->d[at] & 0x0f) > 3)
            return -1;
        isz = (size_t)1 << (b->d[at] & 0x0f);
        if (isz > b->table - at - 1)
            return -1;
        n = be(b->d + at + 1, isz);
        at += 1 + isz;
    }
    unit = type == 0x6 ? 2 : type == 0xA ? b->ref_size : type == 0xD ? 2 * b->ref_size : 1;
    if (n > (b->table - at) / unit)
        return -1;
    out->kind = type == 0x4   ? KC_BP_DATA
                : type == 0xA ? KC_BP_ARRAY
                : type == 0xD ? KC_BP_DICT
                              : KC_BP_STRING;
    out->utf16 = type == 0x6;
    out->n = n;
    out->at = at;
    return 0;
}

static uint64_t ref_at(const kc_bplist *b, size_t at, uint64_t k)
{
    return be(b->d + at + (size_t)k * b->ref_size, b->ref_size);
}

/* A string's storage is clean: no NUL character; UTF-16 in the basic
 * plane only (no surrogate) and not empty (libplist refuses an empty one). */
static bool string_clean(const kc_bplist *b, const kc_bp_obj *s)
{
    const unsigned char *p = b->d + s->at;

    if (!s->utf16)
        return memchr(p, '\0', (size_t)s->n) == NULL;
    if (s->n == 0)
        return false;
    for (uint64_t k = 0; k < s->n; k++) {
        unsigned u = (unsigned)p[2 * k] << 8 | p[2 * k + 1];
        if (u == 0 || (u >= 0xD800 && u <= 0xDFFF))
            return false;
    }
    return true;
}

static bool same_key(const kc_bplist *b, const kc_bp_obj *x, const kc_bp_obj *y)
{
    return x->n == y->n && memcmp(b->d + x->at, b->d + y->at, (size_t)x->n) == 0;
}

/* Object i and everything below it.  state: 0 not seen, 1 being checked
 * (an object met again then is inside itself), 2 checked. */
static int check(const kc_bplist *b, uint64_t i, unsigned char *state, int depth)
{
    kc_bp_obj o;
    size_t off;

    if (i >= b->count || state[i] == 1 || depth > MAX_DEPTH)
        return -1;
    if (state[i] == 2)
        return 0;
    off = offset_of(b, i);
    if (off == 0 || decode(b, off, &o) != 0)
        return -1;
    state[i] = 1;
    if (o.kind == KC_BP_ARRAY) {
        for (uint64_t k = 0; k < o.n; k++)
            if (check(b, ref_at(b, o.at, k), state, depth + 1) != 0)
                return -1;
    } else if (o.kind == KC_BP_DICT) {
        if (o.n > MAX_KEYS)
            return -1;
        for (uint64_t k = 0; k < o.n; k++) {
            uint64_t kref = ref_at(b, o.at, k);
            kc_bp_obj key, other;
            /* Keys: ASCII strings (checked before they are decoded), each
             * once (libplist would take the first of two). */
            if (check(b, kref, state, depth + 1) != 0)
                return -1;
            (void)decode(b, offset_of(b, kref), &key);
            if (key.kind != KC_BP_STRING || key.utf16)
                return -1;
            for (uint64_t j = 0; j < k; j++) {
                (void)decode(b, offset_of(b, ref_at(b, o.at, j)), &other);
                if (same_key(b, &other, &key))
                    return -1;
            }
            if (check(b, ref_at(b, o.at, o.n + k), state, depth + 1) != 0)
                return -1;
        }
    } else if (o.kind == KC_BP_STRING && !string_clean(b, &o)) {
        return -1;
    } else if (o.kind == KC_BP_DATA && o.n == 0) {
        return -1;
    }
    state[i] = 2;
    return 0;
}

/* Every string object of the file, reachable or not, is clean and whole:
 * what kc_plist_parse's own check over the offset table asks, and more. */
static int strings_clean(const kc_bplist *b)
{
    for (uint64_t i = 0; i < b->count; i++) {
        size_t off = offset_of(b, i);
        unsigned type;
        kc_bp_obj o;
        if (off == 0)
            return -1;
        type = b->d[off] >> 4;
        if (type != 0x5 && type != 0x6)
            continue;
        if (decode(b, off, &o) != 0 || !string_clean(b, &o))
            return -1;
    }
    return 0;
}

int kc_bplist_open(kc_bplist *b, const void *data, size_t len)
{
    const unsigned char *d = data, *t;
    unsigned char *state;
    uint64_t table;
    int rc;

    memset(b, 0, sizeof(*b));
    if (d == NULL || len < HEADER + TRAILER || memcmp(d, "bplist00", HEADER) != 0)
        return -1;
    t = d + len - TRAILER;
    b->d = d;
    b->len = len;
    b->off_size = t[6];
    b->ref_size = t[7];
    b->count = be(t + 8, 8);
    b->top = be(t + 16, 8);
    table = be(t + 24, 8);
    if (b->off_size < 1 || b->off_size > 8 || b->ref_size < 1 || b->ref_size > 8 ||
        b->count == 0 || b->top >= b->count || table < HEADER || table >= len - TRAILER ||
        b->count > (len - TRAILER - table) / b->off_size)
        return -1;
    b->table = (size_t)table;
    if (strings_clean(b) != 0)
        return -1;
    state = calloc((size_t)b->count, 1);
    if (state == NULL)
        return -1;
    rc = check(b, b->top, state, 0);
    free(state);
    return rc;
}

void kc_bplist_top(const kc_bplist *b, kc_bp_obj *o)
{
    (void)decode(b, offset_of(b, b->top), o);
}

static void object(const kc_bplist *b, uint64_t ref, kc_bp_obj *o)
{
    (void)decode(b, offset_of(b, ref), o);
}

bool kc_bplist_get(const kc_bplist *b, const kc_bp_obj *dict, const char *key, kc_bp_obj *out)
{
    size_t klen = strlen(key);

    for (uint64_t k = 0; k < dict->n; k++) {
        kc_bp_obj name;
        object(b, ref_at(b, dict->at, k), &name);
        if (name.n == klen && memcmp(b->d + name.at, key, klen) == 0) {
            object(b, ref_at(b, dict->at, dict->n + k), out);
            return true;
        }
    }
    return false;
}

void kc_bplist_item(const kc_bplist *b, const kc_bp_obj *arr, uint64_t i, kc_bp_obj *out)
{
    object(b, ref_at(b, arr->at, i), out);
}

char *kc_bplist_text(const kc_bplist *b, const kc_bp_obj *s, size_t *n)
{
    const unsigned char *p = b->d + s->at;
    size_t o = 0;
    char *text;

    if (!s->utf16) {
        text = malloc((size_t)s->n + 1);
        if (text == NULL)
            return NULL;
        memcpy(text, p, (size_t)s->n);
        text[s->n] = '\0';
        *n = (size_t)s->n;
        return text;
    }
    text = malloc((size_t)s->n * 3 + 1);
    if (text == NULL)
        return NULL;
    for (uint64_t k = 0; k < s->n; k++) {
        unsigned u = (unsigned)p[2 * k] << 8 | p[2 * k + 1];
        if (u < 0x80) {
            text[o++] = (char)u;
        } else if (u < 0x800) {
            text[o++] = (char)(0xC0 | (u >> 6));
            text[o++] = (char)(0x80 | (u & 0x3F));
        } else {
            text[o++] = (char)(0xE0 | (u >> 12));
            text[o++] = (char)(0x80 | ((u >> 6) & 0x3F));
            text[o++] = (char)(0x80 | (u & 0x3F));
        }
    }
    text[o] = '\0';
    *n = o;
    return text;
}
