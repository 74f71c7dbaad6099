/*
 * Parsers of captured command output about the Mac itself: the Apple
 * silicon boot policy (bputil), the architecture (uname -m, sysctl
 * hw.optional.arm64), the virtual-machine flag (sysctl kern.hv_vmm_present),
 * the boot volume (diskutil info /) and a bundle's code signature (codesign
 * -dv --verbose=4).  See platform.h for the contract; the formats are those
 * of real captures named beside each parser and in tests/unit/test_platform.c.
 */
#include "platform.h"

#include "i18n.h"
#include "textlines.h"

#include <stdlib.h>
#include <string.h>

/* Printable ASCII other than space. */
static bool is_graph(char c)
{
    return c > 0x20 && c < 0x7f;
}

/* Whether the n bytes hold a C0 control character or DEL (tabs included). */
static bool has_control(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return true;
    return false;
}

static size_t skip_spaces(const char *s, size_t n, size_t i)
{
    while (i < n && s[i] == ' ')
        i++;
    return i;
}

/* ==== bputil ============================================================== */
/*
 * Formats (all real): the Full Security sample in Fleet's
 * apple_silicon_security_policy parser (macOS 12, "Local policy for volume
 * group UUID:" blocks, a warning header first); the macOS 14.4 sample in a
 * public hardening guide (no warning, "Current local policy:" first); Fleet's
 * test data for --display-all-policies (several "Local policy for volume
 * group" blocks, and "Can't get local policy for Volume Group UUID X" /
 * "Failed to display local policy for volume group X" for a failed one);
 * and grep excerpts that hold only lines of interest.
 *
 * A line of interest is "LABEL:<spaces>MODE<spaces>(CODE): VALUE": the MODE
 * word is bputil's own reading and is what we keep; VALUE is the raw policy
 * field ("absent", "1"; Fleet's tests also show it empty).
 */

#define BP_HEADER_VG "Local policy for volume group "
#define BP_HEADER_CURRENT "Current local policy:"
#define BP_CANT_GET "Can't get local policy for Volume Group UUID "
#define BP_FAILED "Failed to display local policy for volume group "

enum { BP_SECURITY, BP_KEXTS, BP_USER_MDM, BP_DEP_MDM, BP_SIP, BP_N };

static const struct {
    const char *label;  /* with its colon */
    const char *code;   /* inside the parentheses */
    const char *code2;  /* another accepted code, or NULL */
} bp_lines[BP_N] = {
    {"Security Mode:", "smb0", "smb0 && smb1"},
    {"3rd Party Kexts Status:", "smb2", NULL},
    {"User-allowed MDM Control:", "smb3", NULL},
    {"DEP-allowed MDM Control:", "smb4", NULL},
    {"SIP Status:", "sip0", NULL},
};

const char *kc_boot_security_name(kc_boot_security s)
{
    switch (s) {
    case KC_BOOT_SECURITY_FULL:
        return "full";
    case KC_BOOT_SECURITY_REDUCED:
        return "reduced";
    case KC_BOOT_SECURITY_PERMISSIVE:
        return "permissive";
    default:
        return "unknown";
    }
}

static void bp_values_reset(kc_boot_policy_values *v)
{
    v->security = KC_BOOT_SECURITY_UNKNOWN;
    v->third_party_kexts = KC_UNKNOWN;
    v->user_mdm = KC_UNKNOWN;
    v->dep_mdm = KC_UNKNOWN;
    v->sip = KC_UNKNOWN;
}

static void bp_reset(kc_boot_policy *bp)
{
    memset(bp, 0, sizeof(*bp));
    bp_values_reset(&bp->v);
}

static bool bp_values_equal(const kc_boot_policy_values *a, const kc_boot_policy_values *b)
{
    return a->security == b->security && a->third_party_kexts == b->third_party_kexts &&
           a->user_mdm == b->user_mdm && a->dep_mdm == b->dep_mdm && a->sip == b->sip;
}

/* The word at s[i..] up to a space: its length, 0 when none. */
static size_t word_len(const char *s, size_t n, size_t i)
{
    size_t start = i;

    while (i < n && kc_is_alpha(s[i]))
        i++;
    return i - start;
}

static bool word_is(const char *s, size_t n, const char *w)
{
    return n == strlen(w) && memcmp(s, w, n) == 0;
}

/* Parses one line of interest (its label already matched): the mode word
 * as a small number (see below), or -1 when the line has the wrong form. */
static int bp_interest(const kc_line *ln, int which, const char **expect)
{
    const char *s = ln->s;
    size_t n = ln->n, i = strlen(bp_lines[which].label), w, c;
    const char *mode;
    int value = -1;

    *expect = which == BP_SECURITY
                  ? "\"Security Mode:   Full|Reduced|Permissive   (smb0): VALUE\""
                  : which == BP_SIP
                  ? _("\"SIP Status:   Enabled|Disabled|Customized   (CODE): VALUE\" with "
                      "(sip0)")
                  : _("\"LABEL:   Enabled|Disabled   (CODE): VALUE\" with the code bputil "
                      "prints for that label");
    if (i >= n || s[i] != ' ')
        return -1;
    i = skip_spaces(s, n, i);
    mode = s + i;
    w = word_len(s, n, i);
    if (w == 0)
        return -1;
    if (which == BP_SECURITY) {
        if (word_is(mode, w, "Full"))
            value = KC_BOOT_SECURITY_FULL;
        else if (word_is(mode, w, "Reduced"))
            value = KC_BOOT_SECURITY_REDUCED;
        else if (word_is(mode, w, "Permissive"))
            value = KC_BOOT_SECURITY_PERMISSIVE;
    } else {
        if (word_is(mode, w, "Enabled"))
            value = KC_YES;
        else if (word_is(mode, w, "Disabled"))
            value = KC_NO;
        /* After csrutil disable (or a custom configuration) bputil prints
         * "SIP Status: Customized (sip0): 7f" (public notes, e.g. GitHub
         * find_string ids 57918876030, 57923834442): SIP is not fully on. */
        else if (which == BP_SIP && word_is(mode, w, "Customized"))
            value = KC_NO;
    }
    if (value == -1)
        return -1;
    i += w;
    if (i >= n || s[i] != ' ')
        return -1;
    i = skip_spaces(s, n, i);
    if (i >= n || s[i] != '(')
        return -1;
    i++;
    c = i;
    while (c < n && s[c] != ')')
        c++;
    if (c >= n)
        return -1;
    if (!word_is(s + i, c - i, bp_lines[which].code) &&
        !(bp_lines[which].code2 != NULL && word_is(s + i, c - i, bp_lines[which].code2)))
        return -1;
    i = c + 1;
    if (i >= n || s[i] != ':')
        return -1;
    i++;
    /* The raw field: nothing (trailing blanks were trimmed), or one token. */
    if (i == n)
        return value;
    if (s[i] != ' ')
        return -1;
    i++;
    if (i == n)
        return -1;
    for (; i < n; i++)
        if (!is_graph(s[i]))
            return -1;
    return value;
}

/* Whether a field line is certainly bputil's (so the free-text preamble
 * has ended): "NAME   (4cc): VALUE", "NAME     : VALUE" or a section
 * heading; a lone "Password:" prompt is not. */
static bool bp_field_line(const kc_line *ln)
{
    for (size_t i = 0; i + 7 <= ln->n; i++)
        if (ln->s[i] == '(' && ln->s[i + 5] == ')' && ln->s[i + 6] == ':')
            return true;
    for (size_t i = 0; i + 2 <= ln->n; i++)
        if (ln->s[i] == ' ' && ln->s[i + 1] == ':')
            return true;
    return kc_line_is(ln, "OS environment:") || kc_line_is(ln, "Local policy:");
}

/* "NAME: VALUE", "NAME (4cc): VALUE" or "NAME:": NAME non-empty, starts
 * with a non-space, no control characters anywhere. */
static bool bp_key_line(const kc_line *ln)
{
    const char *colon;

    if (ln->n == 0 || ln->s[0] == ' ' || ln->s[0] == '\t' || has_control(ln->s, ln->n))
        return false;
    colon = memchr(ln->s, ':', ln->n);
    if (colon == NULL || colon == ln->s)
        return false;
    return (size_t)(colon - ln->s) + 1 == ln->n || colon[1] == ' ';
}

/* Starts a block; false when there are already too many to keep. */
static kc_boot_policy_block *bp_new_block(kc_boot_policy *bp, const kc_line *ln)
{
    kc_boot_policy_block *b = NULL;

    if (bp->n_stored < KC_BPUTIL_MAX_BLOCKS) {
        b = &bp->blocks[bp->n_stored++];
        memset(b, 0, sizeof(*b));
        b->line = ln->no;
        bp_values_reset(&b->v);
    }
    bp->n_blocks++;
    return b;
}

int kc_parse_bputil(const char *text, size_t len, kc_boot_policy *out, char *why,
                    size_t whylen)
{
    kc_boot_policy *bp = NULL;
    kc_boot_policy_block *cur = NULL;
    size_t seen_at[BP_N] = {0}; /* line of each line of interest in cur */
    bool in_body = false, started = false, have_summary = false;
    kc_line_iter it;
    kc_line ln;
    int rc = -1;

    bp_reset(out);
    if (kc_check_text(text, len, KC_TEXT_MAX_BYTES, why, whylen) != 0)
        goto done;
    /* Built aside (the struct is large but flat) and copied on success. */
    bp = malloc(sizeof(*bp));
    if (bp == NULL) {
        kc_snprintf(why, whylen, "%s", _("out of memory"));
        goto done;
    }
    bp_reset(bp);
    kc_lines_init(&it, text, len);
    while (kc_next_line(&it, &ln)) {
        int which = -1;

        if (ln.n == 0)
            continue;
        if (kc_line_starts(&ln, BP_HEADER_VG) && kc_line_ends(&ln, ":")) {
            size_t vlen = ln.n - strlen(BP_HEADER_VG) - 1;
            const char *vg = ln.s + strlen(BP_HEADER_VG);
            bool ok = vlen > 0 && vlen <= KC_BPUTIL_VG_MAX;
            for (size_t i = 0; ok && i < vlen; i++)
                ok = is_graph(vg[i]);
            if (!ok) {
                char what[256];
                /* TRANSLATORS: %s is bputil's own words "Local policy for
                   volume group " (kept as they are), %d the longest ID. */
                kc_snprintf(what, sizeof(what), _("\"%sID:\" with an ID of 1 to %d "
                                                  "printable characters"),
                            BP_HEADER_VG, KC_BPUTIL_VG_MAX);
                kc_bad_line(why, whylen, &ln, what);
                goto done;
            }
            cur = bp_new_block(bp, &ln);
            started = true;
            if (cur != NULL) {
                memcpy(cur->volume_group, vg, vlen);
                cur->volume_group[vlen] = '\0';
            }
            memset(seen_at, 0, sizeof(seen_at));
            in_body = true;
            continue;
        }
        if (kc_line_is(&ln, BP_HEADER_CURRENT)) {
            cur = bp_new_block(bp, &ln);
            started = true;
            if (cur != NULL)
                cur->current = true;
            memset(seen_at, 0, sizeof(seen_at));
            in_body = true;
            continue;
        }
        if (kc_line_starts(&ln, BP_CANT_GET) || kc_line_starts(&ln, BP_FAILED)) {
            if (has_control(ln.s, ln.n)) {
                kc_bad_line(why, whylen, &ln, _("printable text"));
                goto done;
            }
            if (kc_line_starts(&ln, BP_FAILED))
                bp->n_failed++;
            in_body = true;
            continue;
        }
        for (int k = 0; k < BP_N; k++)
            if (kc_line_starts(&ln, bp_lines[k].label))
                which = k;
        if (which >= 0) {
            const char *expect;
            int value = bp_interest(&ln, which, &expect);
            kc_boot_policy_values *v;
            if (value < 0) {
                kc_bad_line(why, whylen, &ln, expect);
                goto done;
            }
            if (!started) {
                /* A grep excerpt: the lines of interest without a header. */
                cur = bp_new_block(bp, &ln);
                memset(seen_at, 0, sizeof(seen_at));
                started = true;
            }
            in_body = true;
            if (seen_at[which] != 0) {
                kc_snprintf(why, whylen, _("line %zu: a second \"%s\" line in one policy "
                                           "block (the first is line %zu)"),
                            ln.no, bp_lines[which].label, seen_at[which]);
                goto done;
            }
            seen_at[which] = ln.no;
            if (cur == NULL)
                continue; /* a block past the ones kept: checked, not stored */
            cur->any = true;
            v = &cur->v;
            switch (which) {
            case BP_SECURITY:
                v->security = (kc_boot_security)value;
                break;
            case BP_KEXTS:
                v->third_party_kexts = (kc_tri)value;
                break;
            case BP_USER_MDM:
                v->user_mdm = (kc_tri)value;
                break;
            case BP_DEP_MDM:
                v->dep_mdm = (kc_tri)value;
                break;
            default:
                v->sip = (kc_tri)value;
                break;
            }
            continue;
        }
        if (bp_key_line(&ln)) {
            /* Any other field bputil prints ("OS Type : macOS", "Chip ID
             * (CHIP): 0x8103", "Local policy:"...). */
            if (bp_field_line(&ln))
                in_body = true;
            continue;
        }
        /* Free text (the warning bputil prints first) only before the body. */
        if (in_body || has_control(ln.s, ln.n)) {
            kc_bad_line(why, whylen, &ln,
                        _("a \"Name: value\" line, a policy header or an empty line"));
            goto done;
        }
    }
    for (size_t b = 0; b < bp->n_stored; b++) {
        if (!bp->blocks[b].any)
            continue;
        if (!have_summary || (bp->blocks[b].current && !bp->blocks[bp->summary_block].current)) {
            bp->summary_block = b;
            have_summary = true;
        }
    }
    if (!have_summary) {
        kc_snprintf(why, whylen, "%s",
                    _("none of the lines \"Security Mode:\", \"3rd Party Kexts Status:\", "
                      "\"User-allowed MDM Control:\", \"DEP-allowed MDM Control:\" or "
                      "\"SIP Status:\" is in the output"));
        goto done;
    }
    bp->v = bp->blocks[bp->summary_block].v;
    for (size_t b = 0; b < bp->n_stored; b++)
        if (bp->blocks[b].any && !bp_values_equal(&bp->blocks[b].v, &bp->v))
            bp->blocks_differ = true;
    *out = *bp;
    rc = 0;
done:
    free(bp);
    return rc;
}

/* ==== uname -m, sysctl ====================================================== */

/* The text is exactly one non-empty line (then only empty lines): its line,
 * or false with why. */
static bool one_line(const char *text, size_t len, kc_line *ln, const char *what, char *why,
                     size_t whylen)
{
    kc_line_iter it;
    kc_line extra;

    if (kc_check_text(text, len, KC_TEXT_MAX_BYTES, why, whylen) != 0)
        return false;
    kc_lines_init(&it, text, len);
    if (!kc_next_nonblank(&it, ln))
        return false; /* kc_check_text saw one */
    if (kc_next_nonblank(&it, &extra)) {
        kc_bad_line(why, whylen, &extra, what);
        return false;
    }
    return true;
}

int kc_parse_uname_m(const char *text, size_t len, kc_uname_arch *out, char *why,
                     size_t whylen)
{
    kc_line ln;

    *out = KC_UNAME_UNKNOWN;
    if (!one_line(text, len, &ln, _("nothing after the architecture"), why, whylen))
        return -1;
    if (kc_line_is(&ln, "arm64")) {
        *out = KC_UNAME_ARM64;
    } else if (kc_line_is(&ln, "x86_64")) {
        *out = KC_UNAME_X86_64;
    } else {
        kc_bad_line(why, whylen, &ln, _("\"arm64\" or \"x86_64\""));
        return -1;
    }
    return 0;
}

/* Whether the text is blank (nothing but empty lines). */
static bool blank_text(const char *text, size_t len)
{
    kc_line_iter it;
    kc_line ln;

    kc_lines_init(&it, text, len);
    return !kc_next_nonblank(&it, &ln);
}

int kc_parse_sysctl_flag(const char *name, const char *text, size_t len, bool failed,
                         kc_sysctl_flag *out, char *why, size_t whylen)
{
    char unknown_oid[200];
    kc_line ln;

    *out = KC_SYSCTL_UNKNOWN;
    if (text == NULL && len > 0) {
        kc_snprintf(why, whylen, "%s", _("no text"));
        return -1;
    }
    if (len > KC_TEXT_MAX_BYTES) {
        kc_snprintf(why, whylen, _("the output is larger than %d bytes"), KC_TEXT_MAX_BYTES);
        return -1;
    }
    /* macOS sysctl -n prints nothing and exits 1 for a key that does not
     * exist; without -n, or with stderr captured, it says "sysctl: unknown
     * oid 'NAME'" (electron/build-tools issue 306 shows the message). */
    if (failed && blank_text(text, len)) {
        *out = KC_SYSCTL_ABSENT;
        return 0;
    }
    if (!failed && blank_text(text, len)) {
        kc_snprintf(why, whylen, "%s", _("the output is empty but sysctl did not fail"));
        return -1;
    }
    if (kc_snprintf(unknown_oid, sizeof(unknown_oid), "sysctl: unknown oid '%s'", name) != 0) {
        kc_snprintf(why, whylen, "%s", _("the key name is too long"));
        return -1;
    }
    if (!one_line(text, len, &ln, _("nothing after the value"), why, whylen))
        return -1;
    if (kc_line_is(&ln, unknown_oid)) {
        if (!failed) {
            kc_bad_line(why, whylen, &ln, _("\"0\" or \"1\" (the message says the key does "
                                          "not exist, yet sysctl did not fail)"));
            return -1;
        }
        *out = KC_SYSCTL_ABSENT;
        return 0;
    }
    if (failed) {
        char what[384];
        kc_snprintf(what, sizeof(what), _("nothing or \"%s\" from a failed sysctl"),
                    unknown_oid);
        kc_bad_line(why, whylen, &ln, what);
        return -1;
    }
    if (kc_line_is(&ln, "1")) {
        *out = KC_SYSCTL_1;
    } else if (kc_line_is(&ln, "0")) {
        *out = KC_SYSCTL_0;
    } else {
        kc_bad_line(why, whylen, &ln, _("\"0\" or \"1\""));
        return -1;
    }
    return 0;
}

int kc_parse_hw_optional_arm64(const char *text, size_t len, bool failed,
                               kc_sysctl_flag *out, char *why, size_t whylen)
{
    return kc_parse_sysctl_flag("hw.optional.arm64", text, len, failed, out, why, whylen);
}

int kc_parse_hv_vmm_present(const char *text, size_t len, bool failed, kc_tri *out,
                            char *why, size_t whylen)
{
    kc_sysctl_flag f;

    *out = KC_UNKNOWN;
    if (kc_parse_sysctl_flag("kern.hv_vmm_present", text, len, failed, &f, why, whylen) != 0)
        return -1;
    if (f == KC_SYSCTL_1)
        *out = KC_YES;
    else if (f == KC_SYSCTL_0)
        *out = KC_NO;
    return 0;
}

kc_machine kc_machine_from(kc_uname_arch uname, kc_sysctl_flag arm64, bool *rosetta)
{
    if (rosetta != NULL)
        *rosetta = uname == KC_UNAME_X86_64 && arm64 == KC_SYSCTL_1;
    if (uname == KC_UNAME_ARM64 || arm64 == KC_SYSCTL_1)
        return KC_MACHINE_APPLE_SILICON;
    if (uname == KC_UNAME_X86_64 && (arm64 == KC_SYSCTL_0 || arm64 == KC_SYSCTL_ABSENT))
        return KC_MACHINE_INTEL;
    return KC_MACHINE_UNKNOWN;
}

const char *kc_machine_name(kc_machine m)
{
    switch (m) {
    case KC_MACHINE_INTEL:
        return "intel";
    case KC_MACHINE_APPLE_SILICON:
        return "apple-silicon";
    default:
        return "unknown";
    }
}

/* ==== diskutil info / ========================================================= */
/*
 * "   Key Name:                  value" lines (three spaces, the key, its
 * colon, padding to a column, the value), empty lines between groups, and
 * sentences that end in a colon ("   This disk is an APFS Volume Snapshot.
 * APFS Information:").  Real samples: tests/unit/test_platform.c.  Values
 * may be localised ("Media Type: Genérico"); the ones we interpret
 * (Device Location) are not, in every sample found.
 */

#define DU_MAX_FIELD 4096

enum { DU_ID, DU_NAME, DU_MOUNT, DU_PROTOCOL, DU_LOCATION, DU_N };

static const char *const du_keys[DU_N] = {
    "Device Identifier", "Volume Name", "Mount Point", "Protocol", "Device Location",
};

void kc_boot_volume_free(kc_boot_volume *v)
{
    if (v == NULL)
        return;
    free(v->device_identifier);
    free(v->volume_name);
    free(v->mount_point);
    free(v->protocol);
    free(v->bay);
    memset(v, 0, sizeof(*v));
    v->location = KC_DISK_LOCATION_UNKNOWN;
}

/* "diskN" or "diskNsM[sK...]". */
static bool is_bsd_disk(const char *s, size_t n)
{
    size_t i = 4;

    if (n < 5 || memcmp(s, "disk", 4) != 0)
        return false;
    for (;;) {
        size_t start = i;
        while (i < n && kc_is_digit(s[i]))
            i++;
        if (i == start || i - start > 6)
            return false;
        if (i == n)
            return true;
        if (s[i] != 's')
            return false;
        i++;
    }
}

int kc_parse_diskutil_info(const char *text, size_t len, kc_boot_volume *out, char *why,
                           size_t whylen)
{
    kc_boot_volume v = {NULL, NULL, NULL, NULL, KC_DISK_LOCATION_UNKNOWN, NULL};
    char **fields[DU_N] = {&v.device_identifier, &v.volume_name, &v.mount_point,
                           &v.protocol, NULL};
    size_t seen_at[DU_N] = {0}, bay_at = 0;
    kc_line_iter it;
    kc_line ln;
    int rc = -1;

    kc_boot_volume_free(out);
    if (kc_check_text(text, len, KC_TEXT_MAX_BYTES, why, whylen) != 0)
        goto done;
    kc_lines_init(&it, text, len);
    while (kc_next_line(&it, &ln)) {
        size_t i = 0, kstart, kend, vstart;
        const char *colon;
        int which = -1;

        if (ln.n == 0)
            continue;
        if (kc_line_starts(&ln, "Could not find disk")) {
            kc_bad_line(why, whylen, &ln, _("diskutil's information about the disk (diskutil "
                                          "could not find it)"));
            goto done;
        }
        i = skip_spaces(ln.s, ln.n, 0);
        kstart = i;
        colon = i < ln.n ? memchr(ln.s + i, ':', ln.n - i) : NULL;
        if (colon == NULL || colon == ln.s + i || has_control(ln.s, ln.n)) {
            kc_bad_line(why, whylen, &ln, "\"   Name:   value\"");
            goto done;
        }
        kend = (size_t)(colon - ln.s);
        vstart = kend + 1;
        if (vstart < ln.n && ln.s[vstart] != ' ') {
            kc_bad_line(why, whylen, &ln, _("\"   Name:   value\" (a space after the colon)"));
            goto done;
        }
        vstart = skip_spaces(ln.s, ln.n, vstart);
        for (int k = 0; k < DU_N; k++)
            if (kend - kstart == strlen(du_keys[k]) &&
                memcmp(ln.s + kstart, du_keys[k], kend - kstart) == 0)
                which = k;
        if (which < 0)
            continue;
        /* A Mac Pro adds a second "Device Location:" line naming the bay
         * in quotes (a 10.15 capture: "Device Location: \"Bay 4\""). */
        if (which == DU_LOCATION && ln.n - vstart >= 3 && ln.s[vstart] == '"' &&
            ln.s[ln.n - 1] == '"') {
            if (bay_at != 0) {
                kc_snprintf(why, whylen, _("line %zu: a second bay \"Device Location:\" line "
                                           "(the first is line %zu)"),
                            ln.no, bay_at);
                goto done;
            }
            if (ln.n - vstart > DU_MAX_FIELD ||
                memchr(ln.s + vstart + 1, '"', ln.n - vstart - 2) != NULL) {
                kc_bad_line(why, whylen, &ln, _("\"Device Location:\" and a bay name in double "
                                              "quotes"));
                goto done;
            }
            bay_at = ln.no;
            v.bay = kc_utf8_clean(ln.s + vstart + 1, ln.n - vstart - 2);
            if (v.bay == NULL) {
                kc_snprintf(why, whylen, "%s", _("out of memory"));
                goto done;
            }
            continue;
        }
        if (seen_at[which] != 0) {
            kc_snprintf(why, whylen,
                        _("line %zu: a second \"%s:\" line (the first is line %zu)"),
                        ln.no, du_keys[which], seen_at[which]);
            goto done;
        }
        seen_at[which] = ln.no;
        if (vstart == ln.n || ln.n - vstart > DU_MAX_FIELD) {
            char what[256];
            kc_snprintf(what, sizeof(what), _("a value of 1 to %d bytes after \"%s:\""),
                        DU_MAX_FIELD, du_keys[which]);
            kc_bad_line(why, whylen, &ln, what);
            goto done;
        }
        if (which == DU_LOCATION) {
            kc_line val = {ln.s + vstart, ln.n - vstart, ln.no};
            if (kc_line_is(&val, "Internal")) {
                v.location = KC_DISK_LOCATION_INTERNAL;
            } else if (kc_line_is(&val, "External")) {
                v.location = KC_DISK_LOCATION_EXTERNAL;
            } else {
                kc_bad_line(why, whylen, &ln, _("\"Device Location: Internal\", \"External\" "
                                              "or a bay name in quotes"));
                goto done;
            }
            continue;
        }
        if (which == DU_ID && !is_bsd_disk(ln.s + vstart, ln.n - vstart)) {
            kc_bad_line(why, whylen, &ln, _("\"Device Identifier: diskN\" or \"diskNsM...\""));
            goto done;
        }
        *fields[which] = kc_utf8_clean(ln.s + vstart, ln.n - vstart);
        if (*fields[which] == NULL) {
            kc_snprintf(why, whylen, "%s", _("out of memory"));
            goto done;
        }
    }
    if (v.device_identifier == NULL) {
        kc_snprintf(why, whylen, "%s",
                    _("no \"Device Identifier:\" line: not the output of diskutil info"));
        goto done;
    }
    *out = v;
    memset(&v, 0, sizeof(v));
    rc = 0;
done:
    kc_boot_volume_free(&v);
    return rc;
}

/* ==== codesign -dv --verbose=4 ================================================ */
/*
 * "Key=value" lines beginning with "Executable=PATH", an empty line and
 * "warning: ..." lines after them; or, for a bundle that has no
 * signature or cannot be read, one "PATH: message" line (possibly followed
 * by "In architecture: ARCH" / "In subcomponent: PATH").  Real samples in
 * tests/unit/test_platform.c (a kext signed by Apple, a Developer ID system
 * extension, ad hoc and linker-signed binaries, a stapled app).
 */

#define CS_MAX_VALUE 8192
#define CS_NOT_SIGNED "code object is not signed at all"

void kc_codesign_free(kc_codesign *c)
{
    if (c == NULL)
        return;
    free(c->executable);
    free(c->identifier);
    free(c->format);
    kc_strv_free(&c->archs);
    free(c->team_id);
    for (size_t i = 0; i < c->n_authorities; i++)
        free(c->authorities[i]);
    free(c->timestamp);
    free(c->error);
    memset(c, 0, sizeof(*c));
    c->is_signed = KC_UNKNOWN;
    c->has_arm64e = KC_UNKNOWN;
    c->stapled = KC_UNKNOWN;
    c->hardened_runtime = KC_UNKNOWN;
}

static bool cs_key_is(const char *k, size_t kn, const char *want)
{
    return kn == strlen(want) && memcmp(k, want, kn) == 0;
}

/* The architectures of "...Mach-O thin (arm64)" or "...Mach-O universal
 * (x86_64 arm64e)": 1 found, 0 the format names none, -1 OOM/malformed. */
static int cs_archs(const char *f, size_t n, kc_strv *archs)
{
    static const char *const marks[] = {"Mach-O thin (", "Mach-O universal ("};
    size_t i = n;

    for (size_t m = 0; m < 2 && i == n; m++) {
        size_t ml = strlen(marks[m]);
        for (size_t p = 0; p + ml <= n; p++)
            if (memcmp(f + p, marks[m], ml) == 0) {
                i = p + ml;
                break;
            }
    }
    if (i == n)
        return 0;
    for (;;) {
        size_t start = i;
        char name[32];
        while (i < n && (kc_is_alpha(f[i]) || kc_is_digit(f[i]) || f[i] == '_'))
            i++;
        if (i == start || i - start >= sizeof(name) || i == n)
            return -1;
        memcpy(name, f + start, i - start);
        name[i - start] = '\0';
        if (archs->n >= 32 || kc_strv_push(archs, name) != 0)
            return -1;
        if (f[i] == ')')
            return i + 1 == n ? 1 : -1;
        if (f[i] != ' ')
            return -1;
        i++;
    }
}

/* "... flags=0xHEX(names) ...": true with the value. */
static bool cs_flags(const char *s, size_t n, uint32_t *flags)
{
    static const char mark[] = " flags=0x";
    size_t ml = sizeof(mark) - 1;

    for (size_t p = 0; p + ml <= n; p++) {
        if (memcmp(s + p, mark, ml) != 0)
            continue;
        size_t i = p + ml, start = i;
        uint32_t v = 0;
        while (i < n && kc_is_hex(s[i]) && i - start < 8) {
            char c = s[i];
            v = v * 16 + (uint32_t)(kc_is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
            i++;
        }
        if (i == start || (i < n && kc_is_hex(s[i])))
            return false;
        *flags = v;
        return true;
    }
    return false;
}

/* Stores a cleaned copy of the value in *slot (which must be empty). */
static int cs_store(char **slot, const char *v, size_t vn)
{
    *slot = kc_utf8_clean(v, vn);
    return *slot != NULL ? 0 : -1;
}

static int cs_error_output(kc_line_iter *it, const kc_line *first, kc_codesign *c, char *why,
                           size_t whylen)
{
    kc_line ln;
    const char *sep = NULL;

    for (size_t i = 0; i + 1 < first->n; i++)
        if (first->s[i] == ':' && first->s[i + 1] == ' ')
            sep = first->s + i;
    if (sep == NULL || sep == first->s || has_control(first->s, first->n) ||
        first->n > CS_MAX_VALUE) {
        char what[256];
        /* TRANSLATORS: %s is codesign's own words "code object is not
           signed at all" (kept as they are). */
        kc_snprintf(what, sizeof(what), _("\"Executable=PATH\" or \"PATH: %s\""),
                    CS_NOT_SIGNED);
        kc_bad_line(why, whylen, first, what);
        return -1;
    }
    if (cs_store(&c->error, first->s, first->n) != 0) {
        kc_snprintf(why, whylen, "%s", _("out of memory"));
        return -1;
    }
    c->is_signed = kc_line_ends(first, ": " CS_NOT_SIGNED) ? KC_NO : KC_UNKNOWN;
    while (kc_next_nonblank(it, &ln)) {
        if ((kc_line_starts(&ln, "In architecture: ") ||
             kc_line_starts(&ln, "In subcomponent: ")) &&
            !has_control(ln.s, ln.n))
            continue;
        kc_bad_line(why, whylen, &ln, _("\"In architecture: ARCH\", \"In subcomponent: "
                                      "PATH\" or nothing after the error"));
        return -1;
    }
    return 0;
}

int kc_parse_codesign(const char *text, size_t len, kc_codesign *out, char *why,
                      size_t whylen)
{
    kc_codesign c;
    kc_line_iter it;
    kc_line ln;
    size_t team_line = 0, sig_line = 0, stapled_line = 0, time_line = 0, id_line = 0;
    size_t format_line = 0, cd_line = 0;
    bool after_blank = false, cert_signature = false;
    int rc = -1;

    memset(&c, 0, sizeof(c));
    kc_codesign_free(&c);
    kc_codesign_free(out);
    if (kc_check_text(text, len, KC_TEXT_MAX_BYTES, why, whylen) != 0)
        goto done;
    kc_lines_init(&it, text, len);
    /* Warnings may come first when stderr and stdout were interleaved. */
    for (;;) {
        if (!kc_next_nonblank(&it, &ln)) {
            kc_snprintf(why, whylen, "%s", _("only warnings, no \"Executable=\" line or error"));
            goto done;
        }
        if (!kc_line_starts(&ln, "warning: ") || has_control(ln.s, ln.n))
            break;
        c.n_warnings++;
    }
    if (!kc_line_starts(&ln, "Executable=")) {
        if (cs_error_output(&it, &ln, &c, why, whylen) != 0)
            goto done;
        goto parsed;
    }
    if (has_control(ln.s, ln.n) || ln.n == strlen("Executable=") || ln.n > CS_MAX_VALUE) {
        kc_bad_line(why, whylen, &ln, "\"Executable=PATH\"");
        goto done;
    }
    if (cs_store(&c.executable, ln.s + 11, ln.n - 11) != 0)
        goto oom;
    while (kc_next_line(&it, &ln)) {
        const char *eq, *k = ln.s, *v;
        size_t kn, vn;

        if (ln.n == 0) {
            after_blank = true;
            continue;
        }
        if (has_control(ln.s, ln.n) || ln.n > CS_MAX_VALUE) {
            kc_bad_line(why, whylen, &ln, _("a \"Key=value\" line of printable text"));
            goto done;
        }
        if (kc_line_starts(&ln, "warning: ")) {
            c.n_warnings++;
            continue;
        }
        eq = memchr(ln.s, '=', ln.n);
        if (after_blank || eq == NULL || eq == ln.s || ln.s[0] == ' ') {
            kc_bad_line(why, whylen, &ln,
                        after_blank ? _("\"warning: ...\" after the empty line")
                                    : _("a \"Key=value\" line"));
            goto done;
        }
        kn = (size_t)(eq - k);
        v = eq + 1;
        vn = ln.n - kn - 1;
        if (cs_key_is(k, kn, "Executable")) {
            kc_snprintf(why, whylen, _("line %zu: a second \"Executable=\" line (the output of "
                                       "more than one codesign run?)"),
                        ln.no);
            goto done;
        } else if (cs_key_is(k, kn, "Identifier")) {
            if (id_line != 0 || vn == 0) {
                kc_bad_line(why, whylen, &ln, _("one \"Identifier=ID\" line"));
                goto done;
            }
            id_line = ln.no;
            if (cs_store(&c.identifier, v, vn) != 0)
                goto oom;
        } else if (cs_key_is(k, kn, "Format")) {
            int r;
            if (format_line != 0 || vn == 0) {
                kc_bad_line(why, whylen, &ln, _("one \"Format=...\" line"));
                goto done;
            }
            format_line = ln.no;
            if (cs_store(&c.format, v, vn) != 0)
                goto oom;
            r = cs_archs(v, vn, &c.archs);
            if (r < 0) {
                kc_bad_line(why, whylen, &ln, _("\"Format=... Mach-O thin (ARCH)\" or \"... "
                                              "Mach-O universal (ARCH ARCH...)\""));
                goto done;
            }
            if (r == 1)
                c.has_arm64e = kc_strv_contains(&c.archs, "arm64e") ? KC_YES : KC_NO;
        } else if (kn > 13 && memcmp(k, "CodeDirectory", 13) == 0 && k[13] == ' ') {
            if (cd_line != 0) {
                kc_snprintf(why, whylen, _("line %zu: a second \"CodeDirectory\" line (the "
                                           "first is line %zu)"),
                            ln.no, cd_line);
                goto done;
            }
            cd_line = ln.no;
            c.has_cd_flags = cs_flags(ln.s, ln.n, &c.cd_flags);
            if (c.has_cd_flags)
                c.hardened_runtime = (c.cd_flags & 0x10000u) ? KC_YES : KC_NO;
        } else if (cs_key_is(k, kn, "Signature")) {
            if (sig_line != 0 || !(vn == 5 && memcmp(v, "adhoc", 5) == 0)) {
                kc_bad_line(why, whylen, &ln, _("one \"Signature=adhoc\" line"));
                goto done;
            }
            sig_line = ln.no;
            c.adhoc = true;
        } else if (cs_key_is(k, kn, "Signature size")) {
            if (sig_line != 0) {
                kc_snprintf(why, whylen, _("line %zu: a second signature line (the first is "
                                           "line %zu)"),
                            ln.no, sig_line);
                goto done;
            }
            sig_line = ln.no;
            cert_signature = true;
        } else if (cs_key_is(k, kn, "Authority")) {
            if (vn == 0) {
                kc_bad_line(why, whylen, &ln, "\"Authority=NAME\"");
                goto done;
            }
            if (c.n_authorities < KC_CODESIGN_MAX_AUTHORITIES) {
                if (cs_store(&c.authorities[c.n_authorities], v, vn) != 0)
                    goto oom;
                c.n_authorities++;
            }
            c.n_authority_lines++;
        } else if (cs_key_is(k, kn, "TeamIdentifier")) {
            if (team_line != 0) {
                kc_snprintf(why, whylen, _("line %zu: a second \"TeamIdentifier=\" line (the "
                                           "first is line %zu)"),
                            ln.no, team_line);
                goto done;
            }
            team_line = ln.no;
            if (vn == 7 && memcmp(v, "not set", 7) == 0) {
                c.team_not_set = true;
            } else if (kc_team_id_valid(v, vn)) {
                if (cs_store(&c.team_id, v, vn) != 0)
                    goto oom;
            } else {
                /* kc_team_id_rule()'s words written out. */
                kc_bad_line(why, whylen, &ln,
                            _("\"TeamIdentifier=\" and a team ID (10 characters of A-Z and "
                              "0-9) or \"not set\""));
                goto done;
            }
        } else if (cs_key_is(k, kn, "Timestamp") || cs_key_is(k, kn, "Signed Time")) {
            if (time_line != 0 || vn == 0) {
                kc_bad_line(why, whylen, &ln, _("one \"Timestamp=\" or \"Signed Time=\" line"));
                goto done;
            }
            time_line = ln.no;
            c.secure_timestamp = k[0] == 'T';
            if (cs_store(&c.timestamp, v, vn) != 0)
                goto oom;
        } else if (cs_key_is(k, kn, "Notarization Ticket")) {
            if (stapled_line != 0 || !(vn == 7 && memcmp(v, "stapled", 7) == 0)) {
                kc_bad_line(why, whylen, &ln, _("one \"Notarization Ticket=stapled\" line"));
                goto done;
            }
            stapled_line = ln.no;
        }
        /* Other keys (Hash type, CDHash, Runtime Version, Sealed Resources,
         * Info.plist entries, Page size...) carry nothing we use. */
    }
    /* An ad hoc signature has no certificate, hence no authority. */
    if (c.adhoc && c.n_authority_lines > 0) {
        kc_snprintf(why, whylen, _("line %zu: \"Signature=adhoc\" together with "
                                   "\"Authority=\" lines"),
                    sig_line);
        goto done;
    }
    if (c.adhoc || cert_signature || cd_line != 0 || c.n_authority_lines > 0)
        c.is_signed = KC_YES;
    if (c.is_signed == KC_YES)
        c.stapled = stapled_line != 0 ? KC_YES : KC_NO;
    else if (stapled_line != 0)
        c.stapled = KC_YES;
parsed:
    *out = c;
    memset(&c, 0, sizeof(c));
    rc = 0;
    goto done;
oom:
    kc_snprintf(why, whylen, "%s", _("out of memory"));
done:
    kc_codesign_free(&c);
    return rc;
}
