/*
 * The other signals: kext user consent (spctl kext-consent), SIP (csrutil
 * status), loaded kexts (kextstat / kmutil showloaded), the macOS version
 * and the system-extension database.  (The MDM policies are read by
 * profiles.c.)
 *
 * The text parsers read untrusted command output: they never look past len,
 * accept only what the tools print (with CRLF line ends, trailing spaces and
 * trailing empty lines allowed) and otherwise name the line they refused.
 * Each parser builds its result aside and stores it only on success; on
 * failure its part of the evidence is left unknown.
 */
#include "kc.h"
#include "bplist.h"
#include "i18n.h"
#include "textlines.h"

#include <errno.h>
#include <plist/plist.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_LOADED 10000
#define MAX_SYSEXTS 10000
#define CONSENT_ENABLED "Kernel Extension User Consent: ENABLED"
#define CONSENT_DISABLED "Kernel Extension User Consent: DISABLED"
#define CONSENT_LIST_HEADER "Allowed Team Identifiers:"
#define CONSENT_LIST_NONE "spctl: no kext consent configuration found."
#define SIP_PREFIX "System Integrity Protection status: "
#define KMUTIL_EXECUTING "Executing: /usr/bin/kmutil showloaded"
#define KMUTIL_NO_VARIANT "No variant specified, falling back to release"

/* ---- lines ---------------------------------------------------------------- */

/* Lines, excerpts and "line N: expected ..." come from textlines.h. */

/* Whether every line after the current one is empty. */
static bool rest_blank(const kc_line_iter *it)
{
    kc_line_iter copy = *it;
    kc_line ln;

    while (kc_next_line(&copy, &ln))
        if (ln.n != 0)
            return false;
    return true;
}

/* Common checks on a whole text: 0, or -1 with why. */
static int check_text(const char *text, size_t len, char *why, size_t whylen)
{
    kc_line_iter it = {text, len, 0, 0};

    if (text == NULL && len > 0) {
        kc_snprintf(why, whylen, "%s", _("no text"));
        return -1;
    }
    if (len > KC_TEXT_MAX_BYTES) {
        kc_snprintf(why, whylen, _("the output is larger than %d bytes"), KC_TEXT_MAX_BYTES);
        return -1;
    }
    if (len == 0 || rest_blank(&it)) {
        kc_snprintf(why, whylen, "%s", _("the output is empty"));
        return -1;
    }
    return 0;
}

/* ---- a set of strings, for deduplicating without quadratic work ---------- */

typedef struct strset {
    size_t *slot; /* index into the kc_strv + 1; 0 is free */
    size_t cap;   /* a power of two */
} strset;

static size_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    for (; *s != '\0'; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return (size_t)h;
}

static size_t *strset_find(const strset *set, const kc_strv *sv, const char *s)
{
    size_t mask = set->cap - 1;
    size_t i = hash_str(s) & mask;

    while (set->slot[i] != 0) {
        if (strcmp(sv->v[set->slot[i] - 1], s) == 0)
            return &set->slot[i];
        i = (i + 1) & mask;
    }
    return &set->slot[i];
}

/* Adds s to sv unless it is there: 1 added, 0 already there, -1 OOM. */
static int strset_add(strset *set, kc_strv *sv, const char *s)
{
    size_t *p;

    if ((sv->n + 1) * 2 > set->cap) {
        strset bigger;
        if (set->cap > SIZE_MAX / 4 / sizeof(size_t))
            return -1;
        bigger.cap = set->cap != 0 ? set->cap * 2 : 64;
        bigger.slot = calloc(bigger.cap, sizeof(size_t));
        if (bigger.slot == NULL)
            return -1;
        for (size_t i = 0; i < sv->n; i++)
            *strset_find(&bigger, sv, sv->v[i]) = i + 1;
        free(set->slot);
        *set = bigger;
    }
    p = strset_find(set, sv, s);
    if (*p != 0)
        return 0;
    if (kc_strv_push(sv, s) != 0)
        return -1;
    *p = sv->n;
    return 1;
}

static void strset_free(strset *set)
{
    free(set->slot);
    set->slot = NULL;
    set->cap = 0;
}

/* ---- spctl kext-consent status ------------------------------------------- */

int kc_parse_consent_status(const char *text, size_t len, kc_evidence *ev, char *why,
                            size_t whylen)
{
    kc_line_iter it = {text, len, 0, 0};
    kc_line ln;
    kc_tri value = KC_UNKNOWN;
    char what[256];
    int rc = -1;

    ev->consent_enabled = KC_UNKNOWN;
    if (check_text(text, len, why, whylen) != 0)
        goto done;
    if (!kc_next_line(&it, &ln))
        goto done;
    if (kc_line_is(&ln, CONSENT_ENABLED)) {
        value = KC_YES;
    } else if (kc_line_is(&ln, CONSENT_DISABLED)) {
        value = KC_NO;
    } else {
        kc_snprintf(what, sizeof(what), _("\"%s\" or \"%s\""), CONSENT_ENABLED, "...: DISABLED");
        kc_bad_line(why, whylen, &ln, what);
        goto done;
    }
    if (kc_next_nonblank(&it, &ln)) {
        kc_bad_line(why, whylen, &ln, _("nothing after the status line"));
        goto done;
    }
    ev->consent_enabled = value;
    rc = 0;
done:
    return rc;
}

/* ---- spctl kext-consent list --------------------------------------------- */

int kc_parse_consent_list(const char *text, size_t len, kc_evidence *ev, char *why,
                          size_t whylen)
{
    kc_line_iter it = {text, len, 0, 0};
    kc_line ln;
    kc_strv teams = {NULL, 0, 0};
    strset seen = {NULL, 0};
    char what[256];
    int rc = -1;

    kc_strv_free(&ev->consent_teams);
    if (check_text(text, len, why, whylen) != 0)
        goto done;
    if (!kc_next_line(&it, &ln))
        goto done;
    if (kc_line_is(&ln, CONSENT_LIST_NONE)) {
        if (kc_next_nonblank(&it, &ln)) {
            kc_snprintf(what, sizeof(what), _("nothing after \"%s\""), CONSENT_LIST_NONE);
            kc_bad_line(why, whylen, &ln, what);
            goto done;
        }
        rc = 0;
        goto done;
    }
    if (!kc_line_is(&ln, CONSENT_LIST_HEADER)) {
        kc_snprintf(what, sizeof(what), _("\"%s\" or \"%s\""), CONSENT_LIST_HEADER,
                    CONSENT_LIST_NONE);
        kc_bad_line(why, whylen, &ln, what);
        goto done;
    }
    while (kc_next_line(&it, &ln)) {
        char team[KC_TEAM_ID_LEN + 1];
        if (ln.n == 0 && rest_blank(&it))
            break;
        if (!kc_team_id_valid(ln.s, ln.n)) {
            kc_bad_line(why, whylen, &ln, kc_team_id_rule());
            goto done;
        }
        memcpy(team, ln.s, KC_TEAM_ID_LEN);
        team[KC_TEAM_ID_LEN] = '\0';
        if (strset_add(&seen, &teams, team) < 0) {
            kc_snprintf(why, whylen, "%s", _("out of memory"));
            goto done;
        }
    }
    ev->consent_teams = teams;
    memset(&teams, 0, sizeof(teams));
    rc = 0;
done:
    kc_strv_free(&teams);
    strset_free(&seen);
    return rc;
}

/* ---- csrutil status ------------------------------------------------------ */

/* "<TAB or spaces>Name: enabled|disabled". */
static bool parse_setting(const kc_line *ln, const char **name, size_t *name_len, bool *enabled)
{
    size_t i = 0, start;
    const char *v;
    size_t vn;

    if (ln->n == 0 || (ln->s[0] != ' ' && ln->s[0] != '\t'))
        return false;
    while (i < ln->n && (ln->s[i] == ' ' || ln->s[i] == '\t'))
        i++;
    start = i;
    if (i == ln->n || !kc_is_alpha(ln->s[i]))
        return false;
    while (i < ln->n && (kc_is_alpha(ln->s[i]) || kc_is_digit(ln->s[i]) || ln->s[i] == ' ' ||
                         ln->s[i] == '-'))
        i++;
    if (ln->s[i - 1] == ' ' || i + 1 >= ln->n || ln->s[i] != ':' || ln->s[i + 1] != ' ')
        return false;
    *name = ln->s + start;
    *name_len = i - start;
    v = ln->s + i + 2;
    vn = ln->n - i - 2;
    if (vn == 7 && memcmp(v, "enabled", 7) == 0)
        *enabled = true;
    else if (vn == 8 && memcmp(v, "disabled", 8) == 0)
        *enabled = false;
    else
        return false;
    return true;
}

/*
 * The status lines csrutil prints.  "(Apple Internal)" is csrutil's name for
 * two csr-active-config values with CSR_ALLOW_APPLE_INTERNAL (0x10) set:
 * "enabled (Apple Internal)." is 0x10 alone, "disabled (Apple Internal)." is
 * 0x77, the plain "disabled" set 0x67 plus 0x10.  That bit only relaxes
 * kext signature checks (kext_tools isInvalidSignatureAllowed); staging and
 * user approval follow CSR_ALLOW_UNTRUSTED_KEXTS (0x1, "Kext Signing"),
 * which 0x10 leaves clear and 0x77 sets.  So for kexts the first is plainly
 * enabled and the second plainly disabled.
 */
int kc_parse_csrutil(const char *text, size_t len, kc_evidence *ev, char *why, size_t whylen)
{
    static const struct {
        const char *text;
        kc_sip sip;
    } firsts[] = {
        {SIP_PREFIX "enabled.", KC_SIP_ENABLED},
        {SIP_PREFIX "disabled.", KC_SIP_DISABLED},
        {SIP_PREFIX "enabled (Apple Internal).", KC_SIP_ENABLED},
        {SIP_PREFIX "disabled (Apple Internal).", KC_SIP_DISABLED},
        {SIP_PREFIX "enabled (Custom Configuration).", KC_SIP_CUSTOM},
        {SIP_PREFIX "unknown (Custom Configuration).", KC_SIP_CUSTOM},
    };
    kc_line_iter it = {text, len, 0, 0};
    kc_line ln;
    kc_sip sip = KC_SIP_UNKNOWN;
    kc_tri signing = KC_UNKNOWN;
    size_t settings = 0, signing_line = 0, config_line = 0;
    char what[512];
    int rc = -1;

    ev->sip = KC_SIP_UNKNOWN;
    ev->kext_signing = KC_UNKNOWN;
    if (check_text(text, len, why, whylen) != 0)
        goto done;
    /* The first non-empty line: the status (check_text saw one). */
    if (!kc_next_nonblank(&it, &ln))
        goto done;
    for (size_t i = 0; i < sizeof(firsts) / sizeof(firsts[0]); i++)
        if (kc_line_is(&ln, firsts[i].text))
            sip = firsts[i].sip;
    if (sip == KC_SIP_UNKNOWN) {
        kc_snprintf(what, sizeof(what),
                    _("\"%senabled.\", \"disabled.\", \"enabled (Apple Internal).\", "
                      "\"disabled (Apple Internal).\", \"enabled (Custom Configuration).\" or "
                      "\"unknown (Custom Configuration).\""),
                    SIP_PREFIX);
        kc_bad_line(why, whylen, &ln, what);
        goto done;
    }
    /* Then nothing, or "Configuration:" (after empty lines) and its block. */
    if (!kc_next_nonblank(&it, &ln))
        goto parsed;
    if (!kc_line_is(&ln, "Configuration:")) {
        kc_bad_line(why, whylen, &ln, _("\"Configuration:\" or nothing after the status line"));
        goto done;
    }
    config_line = ln.no;
    while (kc_next_line(&it, &ln) && ln.n != 0) {
        const char *name;
        size_t name_len;
        bool on;
        if (!parse_setting(&ln, &name, &name_len, &on)) {
            kc_bad_line(why, whylen, &ln,
                        _("an indented \"Name: enabled\" or \"Name: disabled\""));
            goto done;
        }
        if (name_len == 12 && memcmp(name, "Kext Signing", 12) == 0) {
            if (signing_line != 0) {
                kc_snprintf(why, whylen,
                            _("line %zu: a second \"Kext Signing\" line (the first is line "
                              "%zu)"),
                            ln.no, signing_line);
                goto done;
            }
            signing = on ? KC_YES : KC_NO;
            signing_line = ln.no;
        }
        settings++;
    }
    if (settings == 0) {
        kc_snprintf(why, whylen, _("line %zu: \"Configuration:\" is followed by no settings"),
                    config_line);
        goto done;
    }
    /* What follows the block after an empty line is free text. */
parsed:
    if (signing_line == 0) {
        if (sip == KC_SIP_ENABLED)
            signing = KC_YES;
        else if (sip == KC_SIP_DISABLED)
            signing = KC_NO;
    }
    ev->sip = sip;
    ev->kext_signing = signing;
    rc = 0;
done:
    return rc;
}

/* ---- kextstat / kmutil showloaded ---------------------------------------- */

typedef struct cursor {
    const char *s;
    size_t n;
    size_t i;
} cursor;

static bool at_end(const cursor *c)
{
    return c->i >= c->n;
}

static size_t skip_spaces(cursor *c)
{
    size_t start = c->i;

    while (c->i < c->n && c->s[c->i] == ' ')
        c->i++;
    return c->i - start;
}

static bool take_digits(cursor *c)
{
    size_t start = c->i;

    while (c->i < c->n && kc_is_digit(c->s[c->i]))
        c->i++;
    return c->i > start;
}

/* "0", or "0x" and 1 to 16 hex digits. */
static bool take_hex_field(cursor *c)
{
    size_t start;

    if (c->i + 2 <= c->n && c->s[c->i] == '0' && c->s[c->i + 1] == 'x') {
        c->i += 2;
        start = c->i;
        while (c->i < c->n && kc_is_hex(c->s[c->i]))
            c->i++;
        return c->i > start && c->i - start <= 16;
    }
    if (c->i < c->n && c->s[c->i] == '0') {
        c->i++;
        return true;
    }
    return false;
}

/* Printable bytes other than space and parentheses (UTF-8 allowed). */
static bool word_byte(char ch)
{
    unsigned char u = (unsigned char)ch;
    return u > 0x20 && u != 0x7f && ch != '(' && ch != ')';
}

static bool take_word(cursor *c, const char **s, size_t *n)
{
    size_t start = c->i;

    while (c->i < c->n && word_byte(c->s[c->i]))
        c->i++;
    *s = c->s + start;
    *n = c->i - start;
    return *n > 0;
}

/* 8-4-4-4-12 hex digits. */
static bool take_uuid(cursor *c)
{
    static const size_t groups[] = {8, 4, 4, 4, 12};

    for (size_t g = 0; g < 5; g++) {
        if (g > 0) {
            if (at_end(c) || c->s[c->i] != '-')
                return false;
            c->i++;
        }
        for (size_t k = 0; k < groups[g]; k++) {
            if (at_end(c) || !kc_is_hex(c->s[c->i]))
                return false;
            c->i++;
        }
    }
    return true;
}

/* "<>" or "<N N ...>". */
static bool take_linked(cursor *c)
{
    if (at_end(c) || c->s[c->i] != '<')
        return false;
    c->i++;
    if (!at_end(c) && c->s[c->i] == '>') {
        c->i++;
        return true;
    }
    for (;;) {
        if (!take_digits(c))
            return false;
        if (!at_end(c) && c->s[c->i] == '>') {
            c->i++;
            return true;
        }
        if (skip_spaces(c) == 0)
            return false;
    }
}

/* "INDEX REFS ADDRESS SIZE WIRED BUNDLE-ID (VERSION) [UUID] [<LINKED>]". */
static bool parse_row(const kc_line *ln, const char **id, size_t *id_len, const char **ver,
                      size_t *ver_len)
{
    cursor c = {ln->s, ln->n, 0};

    skip_spaces(&c);
    if (!take_digits(&c) || skip_spaces(&c) == 0 || !take_digits(&c) || skip_spaces(&c) == 0)
        return false;
    for (int f = 0; f < 3; f++)
        if (!take_hex_field(&c) || skip_spaces(&c) == 0)
            return false;
    if (!take_word(&c, id, id_len) || skip_spaces(&c) == 0)
        return false;
    if (at_end(&c) || c.s[c.i] != '(')
        return false;
    c.i++;
    if (!take_word(&c, ver, ver_len) || at_end(&c) || c.s[c.i] != ')')
        return false;
    c.i++;
    if (at_end(&c))
        return true;
    if (skip_spaces(&c) == 0)
        return false;
    if (c.s[c.i] != '<') {
        if (!take_uuid(&c))
            return false;
        if (at_end(&c))
            return true;
        if (skip_spaces(&c) == 0)
            return false;
    }
    return take_linked(&c) && at_end(&c);
}

/* The header: "Index Refs Address ... Name (Version) UUID <Linked Against>". */
static bool is_loaded_header(const kc_line *ln)
{
    static const char name_col[] = "Name (Version)";
    size_t i = 0, m = sizeof(name_col) - 1;

    while (i < ln->n && ln->s[i] == ' ')
        i++;
    if (ln->n - i < 5 || memcmp(ln->s + i, "Index", 5) != 0)
        return false;
    for (i += 5; i + m <= ln->n; i++)
        if (memcmp(ln->s + i, name_col, m) == 0)
            return true;
    return false;
}

static void loaded_free(kc_loaded_kext *k, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(k[i].bundle_id);
        free(k[i].version);
    }
    free(k);
}

#define ROW_FORM N_("a row \"INDEX REFS ADDRESS SIZE WIRED BUNDLE-ID (VERSION) [UUID] [<LINKED>]\"")

/* kc_utf8_clean, sized to the text when it is plain ASCII (thousands of
 * these are kept for a long kextstat or a large database). */
static char *clean_text(const char *s, size_t n)
{
    char *out;

    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80 || s[i] == '\0')
            return kc_utf8_clean(s, n);
    out = malloc(n + 1);
    if (out != NULL) {
        memcpy(out, s, n);
        out[n] = '\0';
    }
    return out;
}

/*
 * kextstat and kmutil showloaded print a header, then one row per kext.
 * `kextstat -l` and `kmutil showloaded --list-only` leave the header out, and
 * so does a capture filtered with grep (`kextstat | grep -i vendor`): when
 * the first line after kmutil's notices is a row, every line must be a row.
 */
int kc_parse_loaded(const char *text, size_t len, kc_evidence *ev, char *why, size_t whylen)
{
    kc_line_iter it = {text, len, 0, 0};
    kc_line ln;
    kc_loaded_kext *rows = NULL;
    size_t n = 0, cap = 0;
    bool pending = false; /* ln holds the first row (no header) */
    int rc = -1;

    loaded_free(ev->loaded, ev->n_loaded);
    ev->loaded = NULL;
    ev->n_loaded = 0;
    if (check_text(text, len, why, whylen) != 0)
        goto done;
    if (!kc_next_line(&it, &ln))
        goto done;
    /* kextstat on 11+ runs kmutil, which may say so first. */
    if (kc_line_is(&ln, KMUTIL_EXECUTING) && !kc_next_line(&it, &ln))
        goto no_header;
    if (kc_line_is(&ln, KMUTIL_NO_VARIANT) && !kc_next_line(&it, &ln))
        goto no_header;
    if (!is_loaded_header(&ln)) {
        const char *id, *ver;
        size_t id_len, ver_len;
        if (!parse_row(&ln, &id, &id_len, &ver, &ver_len)) {
            kc_bad_line(why, whylen, &ln,
                        _("the header \"Index Refs Address Size Wired Name (Version) ...\" or "
                          "a row \"INDEX REFS ADDRESS SIZE WIRED BUNDLE-ID (VERSION) [UUID] "
                          "[<LINKED>]\""));
            goto done;
        }
        pending = true;
    }
    while (pending || kc_next_line(&it, &ln)) {
        const char *id, *ver;
        size_t id_len, ver_len;
        pending = false;
        if (ln.n == 0 && rest_blank(&it))
            break;
        if (!parse_row(&ln, &id, &id_len, &ver, &ver_len)) {
            kc_bad_line(why, whylen, &ln, _(ROW_FORM));
            goto done;
        }
        if (n == MAX_LOADED) {
            kc_snprintf(why, whylen, _("line %zu: more than %d rows"), ln.no, MAX_LOADED);
            goto done;
        }
        if (n == cap) {
            size_t ncap = cap != 0 ? cap * 2 : 64;
            kc_loaded_kext *bigger = realloc(rows, ncap * sizeof(*bigger));
            if (bigger == NULL)
                goto oom;
            rows = bigger;
            cap = ncap;
        }
        rows[n].bundle_id = clean_text(id, id_len);
        rows[n].version = clean_text(ver, ver_len);
        n++;
        if (rows[n - 1].bundle_id == NULL || rows[n - 1].version == NULL)
            goto oom;
    }
    ev->loaded = rows;
    ev->n_loaded = n;
    rows = NULL;
    n = 0;
    rc = 0;
    goto done;
no_header:
    kc_snprintf(why, whylen,
                _("line %zu: the output ends before the header line \"Index Refs Address ...\" "
                  "or a first row"),
                it.no);
    goto done;
oom:
    kc_snprintf(why, whylen, "%s", _("out of memory"));
done:
    loaded_free(rows, n);
    return rc;
}

/* ---- property lists ------------------------------------------------------- */

const char *kc_plist_type_name(void *node)
{
    /* TRANSLATORS: the type names of a property list's values, put in "X is
     * %s, expected a string" and the like. */
    switch (plist_get_node_type(node)) {
    case PLIST_BOOLEAN:
        return _("a boolean");
    case PLIST_UINT:
        return _("an integer");
    case PLIST_REAL:
        return _("a real number");
    case PLIST_STRING:
        return _("a string");
    case PLIST_ARRAY:
        return _("an array");
    case PLIST_DICT:
        return _("a dictionary");
    case PLIST_DATE:
        return _("a date");
    case PLIST_DATA:
        return _("data");
    case PLIST_UID:
        return _("a UID");
    default:
        return _("of an unknown type");
    }
}

bool kc_plist_string_bytes(void *node, const char **s, size_t *n)
{
    uint64_t len = 0;

    if (plist_get_node_type(node) != PLIST_STRING)
        return false;
    *s = plist_get_string_ptr(node, &len);
    if (*s == NULL || len > SIZE_MAX)
        return false;
    *n = (size_t)len;
    return true;
}

/*
 * libplist 2.2 (Debian 12) aborts the process -- an assert -- when
 * plist_get_string_val or plist_get_key_val meets a string that held U+0000
 * in its UTF-16 form (its length then differs from strlen), and silently
 * cuts an ASCII string at a NUL byte.  So kc_plist_parse refuses a binary
 * plist whose string objects (values and keys alike) hold a NUL, and an XML
 * one with a NUL byte (XML allows none); and the readers below never call
 * plist_get_string_val: string values are read with their length
 * (kc_plist_string_bytes).
 */

#define BPLIST_HEADER 8
#define BPLIST_TRAILER 32

/* The big-endian unsigned integer of size (1 to 8) bytes at p. */
static uint64_t be_uint(const unsigned char *p, size_t size)
{
    uint64_t v = 0;

    for (size_t i = 0; i < size; i++)
        v = (v << 8) | p[i];
    return v;
}

/* Every string object of the binary plist d (len bytes, which libplist has
 * parsed) is free of NUL characters: 0, or -1 with why.  Objects are found
 * through the offset table; one libplist could not have reached (an offset
 * outside the file) is skipped, and a string whose length this cannot
 * decode is refused rather than guessed at. */
static int bplist_strings_check(const unsigned char *d, size_t len, char *why, size_t whylen)
{
    const unsigned char *t;
    size_t off_size;
    uint64_t count, table;

    if (len < BPLIST_HEADER + BPLIST_TRAILER) {
        kc_snprintf(why, whylen, "%s", _("damaged binary property list"));
        return -1;
    }
    t = d + len - BPLIST_TRAILER;
    off_size = t[6];
    count = be_uint(t + 8, 8);
    table = be_uint(t + 24, 8);
    if (off_size == 0 || off_size > 8 || table > len || count > (len - table) / off_size) {
        kc_snprintf(why, whylen, "%s", _("damaged binary property list"));
        return -1;
    }
    for (uint64_t i = 0; i < count; i++) {
        uint64_t o = be_uint(d + table + i * off_size, off_size), n;
        unsigned type;
        size_t pos, unit;

        if (o >= len)
            continue;
        type = d[o] >> 4;
        if (type != 0x5 && type != 0x6) /* ASCII, UTF-16BE */
            continue;
        n = d[o] & 0x0f;
        pos = (size_t)o + 1;
        if (n == 0x0f) {
            /* The length follows as an integer object of 1, 2, 4 or 8 bytes. */
            size_t isz;
            if (pos >= len || (d[pos] >> 4) != 0x1 || (d[pos] & 0x0f) > 3) {
                kc_snprintf(why, whylen,
                            _("binary property list: object %llu: a string length in an "
                              "unexpected form"),
                            (unsigned long long)i);
                return -1;
            }
            isz = (size_t)1 << (d[pos] & 0x0f);
            if (len - pos - 1 < isz) {
                kc_snprintf(why, whylen, "%s", _("damaged binary property list"));
                return -1;
            }
            n = be_uint(d + pos + 1, isz);
            pos += 1 + isz;
        }
        unit = type == 0x6 ? 2 : 1;
        if (n > (len - pos) / unit) {
            kc_snprintf(why, whylen,
                        _("binary property list: object %llu: a string runs past the end"),
                        (unsigned long long)i);
            return -1;
        }
        for (uint64_t k = 0; k < n; k++) {
            if (d[pos + k * unit] == 0 && (unit == 1 || d[pos + k * unit + 1] == 0)) {
                kc_snprintf(why, whylen,
                            _("binary property list: object %llu: a string or key contains a "
                              "NUL character"),
                            (unsigned long long)i);
                return -1;
            }
        }
    }
    return 0;
}

void *kc_plist_parse(const char *data, size_t len, char *why, size_t whylen)
{
    plist_t root = NULL;
    const char *nul;

    if (data == NULL || len < BPLIST_HEADER) {
        kc_snprintf(why, whylen, "%s", _("too short to be a property list"));
        return NULL;
    }
    if (len > UINT32_MAX) {
        kc_snprintf(why, whylen, _("larger than %lu bytes"), (unsigned long)UINT32_MAX);
        return NULL;
    }
    if (plist_is_binary(data, (uint32_t)len)) {
        plist_from_bin(data, (uint32_t)len, &root);
        if (root == NULL) {
            kc_snprintf(why, whylen, "%s", _("damaged binary property list"));
        } else if (bplist_strings_check((const unsigned char *)data, len, why, whylen) != 0) {
            plist_free(root);
            root = NULL;
        }
        return root;
    }
    /* libplist's XML reader stops at a NUL; a plist never holds one. */
    if ((nul = memchr(data, '\0', len)) != NULL) {
        kc_snprintf(why, whylen, _("XML property list: a NUL byte at offset %zu"),
                    (size_t)(nul - data));
        return NULL;
    }
    plist_from_xml(data, (uint32_t)len, &root);
    if (root == NULL)
        kc_snprintf(why, whylen, "%s", _("damaged XML property list"));
    return root;
}

void *kc_plist_load(const char *path, char *why, size_t whylen)
{
    char *data = NULL;
    size_t len = 0;
    void *root;

    if (kc_read_file(path, KC_PLIST_MAX, &data, &len, why, whylen) != 0)
        return NULL;
    root = kc_plist_parse(data, len, why, whylen);
    free(data);
    return root;
}

/* The file as a plist: 1, 0 when it does not exist, -1 with why. */
static int open_plist(const char *path, plist_t *out, char *why, size_t whylen)
{
    struct stat st;

    *out = NULL;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return 0;
        kc_snprintf(why, whylen, "%s", strerror(errno));
        return -1;
    }
    *out = kc_plist_load(path, why, whylen);
    if (*out == NULL)
        return -1;
    if (plist_get_node_type(*out) != PLIST_DICT) {
        kc_snprintf(why, whylen, _("the top level is %s, expected a dictionary"),
                    kc_plist_type_name(*out));
        plist_free(*out);
        *out = NULL;
        return -1;
    }
    return 1;
}

/* dict[key] as a cleaned copy: 1 found, 0 absent, -1 with why ("WHERE.KEY
 * is ..."; where may be ""). */
static int dict_string(plist_t dict, const char *key, const char *where, char **out,
                       char *why, size_t whylen)
{
    plist_t node = plist_dict_get_item(dict, key);
    const char *s;
    size_t n;

    *out = NULL;
    if (node == NULL)
        return 0;
    if (!kc_plist_string_bytes(node, &s, &n)) {
        /* TRANSLATORS: WHERE, "." or nothing, a plist key, then a type name
         * ("a boolean", "an integer", ...). */
        kc_snprintf(why, whylen, _("%s%s%s is %s, expected a string"), where,
                    where[0] != '\0' ? "." : "", key, kc_plist_type_name(node));
        return -1;
    }
    *out = kc_utf8_clean(s, n);
    if (*out == NULL) {
        kc_snprintf(why, whylen, "%s", _("out of memory"));
        return -1;
    }
    return 1;
}

/* ---- SystemVersion.plist -------------------------------------------------- */

/* "MAJOR.MINOR" or "MAJOR.MINOR.PATCH", each of 1 to 4 digits. */
static bool parse_version(const char *s, size_t n, int *major, int *minor)
{
    int parts[3] = {0, 0, 0};
    size_t count = 0, i = 0;

    for (;;) {
        size_t start = i;
        int v = 0;
        while (i < n && kc_is_digit(s[i]) && i - start < 4)
            v = v * 10 + (s[i++] - '0');
        if (i == start || count == 3)
            return false;
        parts[count++] = v;
        if (i == n)
            break;
        if (s[i] != '.')
            return false;
        i++;
    }
    if (count < 2)
        return false;
    *major = parts[0];
    *minor = parts[1];
    return true;
}

int kc_read_system_version(const char *path, kc_evidence *ev, char *why, size_t whylen)
{
    plist_t root = NULL, node;
    const char *s;
    size_t n;
    int major = 0, minor = 0, rc;
    char ex[1024];

    rc = open_plist(path, &root, why, whylen);
    if (rc == 0)
        return 0;
    free(ev->os_version);
    ev->os_version = NULL;
    ev->os_major = ev->os_minor = 0;
    if (rc < 0)
        goto done;
    rc = -1;
    node = plist_dict_get_item(root, "ProductVersion");
    if (node == NULL) {
        kc_snprintf(why, whylen, "%s", _("no ProductVersion"));
        goto done;
    }
    if (!kc_plist_string_bytes(node, &s, &n)) {
        kc_snprintf(why, whylen, _("ProductVersion is %s, expected a string"),
                    kc_plist_type_name(node));
        goto done;
    }
    if (!parse_version(s, n, &major, &minor)) {
        kc_excerpt(s, n, ex, sizeof(ex));
        kc_snprintf(why, whylen,
                    _("ProductVersion: expected a version like \"14.1\" or \"10.13.6\", got %s"),
                    ex);
        goto done;
    }
    ev->os_version = kc_utf8_clean(s, n);
    if (ev->os_version == NULL) {
        kc_snprintf(why, whylen, "%s", _("out of memory"));
        goto done;
    }
    ev->os_major = major;
    ev->os_minor = minor;
    rc = 1;
done:
    if (root != NULL)
        plist_free(root);
    return rc;
}

/* ---- /Library/SystemExtensions/db.plist ---------------------------------- */

static void sysexts_free(kc_sysext *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(s[i].identifier);
        free(s[i].team_id);
        free(s[i].state);
        free(s[i].version);
    }
    free(s);
}

/* A required string field of extensions[idx]. */
static int sysext_field(plist_t entry, const char *key, const char *where, char **out,
                        char *why, size_t whylen)
{
    int r = dict_string(entry, key, where, out, why, whylen);

    if (r == 0)
        kc_snprintf(why, whylen, _("%s has no %s"), where, key);
    return r == 1 ? 0 : -1;
}

/* *out = "SHORT/BUILD", or the one of the two that is there (either may be
 * NULL); takes both.  0, or -1 with why. */
static int join_version(char *shortv, char *build, char **out, char *why, size_t whylen)
{
    if (shortv != NULL && build != NULL) {
        *out = kc_asprintf("%s/%s", shortv, build);
        free(shortv);
        free(build);
        if (*out == NULL) {
            kc_snprintf(why, whylen, "%s", _("out of memory"));
            return -1;
        }
        return 0;
    }
    *out = shortv != NULL ? shortv : build;
    return 0;
}

/* "SHORT/BUILD" as systemextensionsctl shows it, or the one that is there. */
static int sysext_version(plist_t entry, const char *where, char **out, char *why,
                          size_t whylen)
{
    plist_t bv = plist_dict_get_item(entry, "bundleVersion");
    char *build = NULL, *shortv = NULL, sub[64];
    int rc = -1;

    *out = NULL;
    if (bv == NULL)
        return 0;
    if (plist_get_node_type(bv) != PLIST_DICT) {
        kc_snprintf(why, whylen, _("%s.bundleVersion is %s, expected a dictionary"), where,
                    kc_plist_type_name(bv));
        return -1;
    }
    if (kc_snprintf(sub, sizeof(sub), "%s.bundleVersion", where) != 0 ||
        dict_string(bv, "CFBundleShortVersionString", sub, &shortv, why, whylen) < 0 ||
        dict_string(bv, "CFBundleVersion", sub, &build, why, whylen) < 0)
        goto done;
    rc = join_version(shortv, build, out, why, whylen);
    shortv = build = NULL;
done:
    free(build);
    free(shortv);
    return rc;
}

/* The extensions array of the database's top dictionary, read through
 * libplist: 1, or -1 with why. */
static int sysexts_libplist(plist_t root, kc_evidence *ev, char *why, size_t whylen)
{
    plist_t arr;
    plist_array_iter iter = NULL;
    plist_t entry = NULL;
    kc_sysext *items = NULL;
    size_t n = 0, want;
    uint32_t idx = 0;
    bool truncated = false;
    int rc = -1;

    arr = plist_dict_get_item(root, "extensions");
    if (arr == NULL) {
        kc_snprintf(why, whylen, "%s", _("no \"extensions\" array"));
        goto done;
    }
    if (plist_get_node_type(arr) != PLIST_ARRAY) {
        kc_snprintf(why, whylen, _("extensions is %s, expected an array"), kc_plist_type_name(arr));
        goto done;
    }
    want = plist_array_get_size(arr);
    if (want > MAX_SYSEXTS)
        want = MAX_SYSEXTS;
    if (want > 0) {
        items = calloc(want, sizeof(*items));
        if (items == NULL)
            goto oom;
    }
    plist_array_new_iter(arr, &iter);
    if (iter == NULL)
        goto oom;
    for (plist_array_next_item(arr, iter, &entry); entry != NULL;
         plist_array_next_item(arr, iter, &entry), idx++) {
        char where[64];
        kc_sysext *x;
        if (n == want) {
            /* More than the array said can only be the cap. */
            truncated = true;
            break;
        }
        kc_snprintf(where, sizeof(where), "extensions[%u]", (unsigned)idx);
        if (plist_get_node_type(entry) != PLIST_DICT) {
            kc_snprintf(why, whylen, _("%s is %s, expected a dictionary"), where,
                        kc_plist_type_name(entry));
            goto done;
        }
        x = &items[n++];
        if (sysext_field(entry, "identifier", where, &x->identifier, why, whylen) != 0 ||
            sysext_field(entry, "teamID", where, &x->team_id, why, whylen) != 0 ||
            sysext_field(entry, "state", where, &x->state, why, whylen) != 0 ||
            sysext_version(entry, where, &x->version, why, whylen) != 0)
            goto done;
    }
    ev->sysexts = items;
    ev->n_sysexts = n;
    ev->sysexts_truncated = truncated;
    items = NULL;
    n = 0;
    rc = 1;
    goto done;
oom:
    kc_snprintf(why, whylen, "%s", _("out of memory"));
done:
    free(iter);
    sysexts_free(items, n);
    return rc;
}

/* ---- the same from a binary plist read in place (bplist.c) ---------------- */

static const char *bp_type_name(const kc_bp_obj *o)
{
    switch (o->kind) {
    case KC_BP_BOOL:
        return _("a boolean");
    case KC_BP_INT:
        return _("an integer");
    case KC_BP_REAL:
        return _("a real number");
    case KC_BP_DATE:
        return _("a date");
    case KC_BP_DATA:
        return _("data");
    case KC_BP_STRING:
        return _("a string");
    case KC_BP_ARRAY:
        return _("an array");
    default:
        return _("a dictionary");
    }
}

/* As dict_string, for a dictionary read in place. */
static int bp_dict_string(const kc_bplist *b, const kc_bp_obj *dict, const char *key,
                          const char *where, char **out, char *why, size_t whylen)
{
    kc_bp_obj node;
    char *text;
    size_t n = 0;

    *out = NULL;
    if (!kc_bplist_get(b, dict, key, &node))
        return 0;
    if (node.kind != KC_BP_STRING) {
        kc_snprintf(why, whylen, _("%s%s%s is %s, expected a string"), where,
                    where[0] != '\0' ? "." : "", key, bp_type_name(&node));
        return -1;
    }
    if (node.utf16) {
        text = kc_bplist_text(b, &node, &n);
        *out = text ? clean_text(text, n) : NULL;
        free(text);
    } else {
        /* ASCII storage: its bytes as they are (libplist's too). */
        *out = clean_text((const char *)b->d + node.at, (size_t)node.n);
    }
    if (*out == NULL) {
        kc_snprintf(why, whylen, "%s", _("out of memory"));
        return -1;
    }
    return 1;
}

static int bp_sysext_field(const kc_bplist *b, const kc_bp_obj *entry, const char *key,
                           const char *where, char **out, char *why, size_t whylen)
{
    int r = bp_dict_string(b, entry, key, where, out, why, whylen);

    if (r == 0)
        kc_snprintf(why, whylen, _("%s has no %s"), where, key);
    return r == 1 ? 0 : -1;
}

/* As sysext_version. */
static int bp_sysext_version(const kc_bplist *b, const kc_bp_obj *entry, const char *where,
                             char **out, char *why, size_t whylen)
{
    kc_bp_obj bv;
    char *build = NULL, *shortv = NULL, sub[64];
    int rc = -1;

    *out = NULL;
    if (!kc_bplist_get(b, entry, "bundleVersion", &bv))
        return 0;
    if (bv.kind != KC_BP_DICT) {
        kc_snprintf(why, whylen, _("%s.bundleVersion is %s, expected a dictionary"), where,
                    bp_type_name(&bv));
        return -1;
    }
    if (kc_snprintf(sub, sizeof(sub), "%s.bundleVersion", where) != 0 ||
        bp_dict_string(b, &bv, "CFBundleShortVersionString", sub, &shortv, why, whylen) < 0 ||
        bp_dict_string(b, &bv, "CFBundleVersion", sub, &build, why, whylen) < 0)
        goto done;
    rc = join_version(shortv, build, out, why, whylen);
    shortv = build = NULL;
done:
    free(build);
    free(shortv);
    return rc;
}

/* As sysexts_libplist, with the top of b. */
static int sysexts_bplist(const kc_bplist *b, kc_evidence *ev, char *why, size_t whylen)
{
    kc_bp_obj top, arr;
    kc_sysext *items = NULL;
    size_t n = 0, want;
    int rc = -1;

    kc_bplist_top(b, &top);
    if (top.kind != KC_BP_DICT) {
        kc_snprintf(why, whylen, _("the top level is %s, expected a dictionary"),
                    bp_type_name(&top));
        return -1;
    }
    if (!kc_bplist_get(b, &top, "extensions", &arr)) {
        kc_snprintf(why, whylen, "%s", _("no \"extensions\" array"));
        return -1;
    }
    if (arr.kind != KC_BP_ARRAY) {
        kc_snprintf(why, whylen, _("extensions is %s, expected an array"), bp_type_name(&arr));
        return -1;
    }
    want = arr.n > MAX_SYSEXTS ? MAX_SYSEXTS : (size_t)arr.n;
    if (want > 0) {
        items = calloc(want, sizeof(*items));
        if (items == NULL) {
            kc_snprintf(why, whylen, "%s", _("out of memory"));
            return -1;
        }
    }
    for (uint64_t idx = 0; idx < want; idx++) {
        char where[64];
        kc_bp_obj entry;
        kc_sysext *x;
        kc_snprintf(where, sizeof(where), "extensions[%u]", (unsigned)idx);
        kc_bplist_item(b, &arr, idx, &entry);
        if (entry.kind != KC_BP_DICT) {
            kc_snprintf(why, whylen, _("%s is %s, expected a dictionary"), where,
                        bp_type_name(&entry));
            goto done;
        }
        x = &items[n++];
        if (bp_sysext_field(b, &entry, "identifier", where, &x->identifier, why, whylen) != 0 ||
            bp_sysext_field(b, &entry, "teamID", where, &x->team_id, why, whylen) != 0 ||
            bp_sysext_field(b, &entry, "state", where, &x->state, why, whylen) != 0 ||
            bp_sysext_version(b, &entry, where, &x->version, why, whylen) != 0)
            goto done;
    }
    ev->sysexts = items;
    ev->n_sysexts = n;
    ev->sysexts_truncated = arr.n > MAX_SYSEXTS;
    items = NULL;
    n = 0;
    rc = 1;
done:
    sysexts_free(items, n);
    return rc;
}

int kc_sysext_db_parse(const char *data, size_t len, int how, kc_evidence *ev, char *why,
                       size_t whylen)
{
    kc_bplist b;
    plist_t root;
    int rc;

    sysexts_free(ev->sysexts, ev->n_sysexts);
    ev->sysexts = NULL;
    ev->n_sysexts = 0;
    ev->sysexts_truncated = false;
    /* A large db.plist is binary: read in place, with no tree built. */
    if (how != KC_SYSEXT_LIBPLIST && kc_bplist_open(&b, data, len) == 0)
        return sysexts_bplist(&b, ev, why, whylen);
    if (how == KC_SYSEXT_BPLIST)
        return 2;
    root = kc_plist_parse(data, len, why, whylen);
    if (root == NULL)
        return -1;
    if (plist_get_node_type(root) != PLIST_DICT) {
        kc_snprintf(why, whylen, _("the top level is %s, expected a dictionary"),
                    kc_plist_type_name(root));
        plist_free(root);
        return -1;
    }
    rc = sysexts_libplist(root, ev, why, whylen);
    plist_free(root);
    return rc;
}

int kc_read_sysext_db(const char *path, kc_evidence *ev, char *why, size_t whylen)
{
    struct stat st;
    char *data = NULL;
    size_t len = 0;
    int rc;

    if (lstat(path, &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return 0;
        kc_snprintf(why, whylen, "%s", strerror(errno));
    } else if (kc_read_file(path, KC_SYSEXT_DB_MAX, &data, &len, why, whylen) == 0) {
        rc = kc_sysext_db_parse(data, len, KC_SYSEXT_AUTO, ev, why, whylen);
        free(data);
        return rc;
    }
    sysexts_free(ev->sysexts, ev->n_sysexts);
    ev->sysexts = NULL;
    ev->n_sysexts = 0;
    ev->sysexts_truncated = false;
    return -1;
}

/* ---- all of it ----------------------------------------------------------- */

void kc_source_free(kc_source *src)
{
    free(src->origin);
    free(src->error);
    memset(src, 0, sizeof(*src));
}

void kc_evidence_free(kc_evidence *ev)
{
    if (ev == NULL)
        return;
    kc_source_free(&ev->consent_status_src);
    kc_source_free(&ev->consent_list_src);
    kc_source_free(&ev->sip_src);
    kc_source_free(&ev->loaded_src);
    kc_source_free(&ev->os_src);
    kc_source_free(&ev->sysext_src);
    kc_strv_free(&ev->consent_teams);
    loaded_free(ev->loaded, ev->n_loaded);
    free(ev->os_version);
    sysexts_free(ev->sysexts, ev->n_sysexts);
    /* Back to "nothing known", ready for reuse. */
    memset(ev, 0, sizeof(*ev));
    ev->consent_enabled = KC_UNKNOWN;
    ev->sip = KC_SIP_UNKNOWN;
    ev->kext_signing = KC_UNKNOWN;
}
