/* Unit tests for core/evidence.c: the parsers of spctl kext-consent,
 * csrutil status and kextstat / kmutil showloaded output, and the readers of
 * SystemVersion.plist and the system-extension db.plist (written here with
 * libplist, as XML and as binary).  The MDM kernel-extension policy is
 * tested in test_profiles.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kc.h"
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <plist/plist.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TEAM "ABCDE12345"
#define TEAM2 "54GTJ2AU36"
#define TEAM3 "ZZZZZ99999"

/* A string literal and its length, NUL bytes included. */
#define T(s) (s), (sizeof(s) - 1)

typedef int (*parse_fn)(const char *, size_t, kc_evidence *, char *, size_t);
typedef int (*read_fn)(const char *, kc_evidence *, char *, size_t);

/* ---- evidence helpers ------------------------------------------------------ */

static void ev_init(kc_evidence *ev)
{
    memset(ev, 0, sizeof(*ev));
    kc_evidence_free(ev); /* a zeroed struct: sets every signal to unknown */
}

/* Every part of ev is unknown or empty. */
static void assert_all_unknown(const kc_evidence *ev)
{
    assert_int_equal(ev->consent_enabled, KC_UNKNOWN);
    assert_int_equal(ev->consent_teams.n, 0);
    assert_int_equal(ev->sip, KC_SIP_UNKNOWN);
    assert_int_equal(ev->kext_signing, KC_UNKNOWN);
    assert_null(ev->loaded);
    assert_int_equal(ev->n_loaded, 0);
    assert_null(ev->os_version);
    assert_int_equal(ev->os_major, 0);
    assert_int_equal(ev->os_minor, 0);
    assert_null(ev->sysexts);
    assert_int_equal(ev->n_sysexts, 0);
    assert_false(ev->sysexts_truncated);
}

/* Runs fn on an exactly-sized heap copy (so reading past len is caught). */
static int run(parse_fn fn, const char *text, size_t len, kc_evidence *ev, char *why,
               size_t whylen)
{
    char *copy = malloc(len != 0 ? len : 1);
    int rc;

    assert_non_null(copy);
    if (len != 0)
        memcpy(copy, text, len);
    why[0] = '\0';
    rc = fn(copy, len, ev, why, whylen);
    free(copy);
    return rc;
}

static void check_why(const char *why, int line, const char *word)
{
    char prefix[64];

    if (line > 0)
        kc_snprintf(prefix, sizeof(prefix), "line %d: ", line);
    else
        prefix[0] = '\0';
    if (strncmp(why, prefix, strlen(prefix)) != 0 || strstr(why, word) == NULL ||
        !kc_utf8_valid(why))
        print_error("got \"%s\", wanted prefix \"%s\" and \"%s\"\n", why, prefix, word);
    assert_int_equal(strncmp(why, prefix, strlen(prefix)), 0);
    assert_non_null(strstr(why, word));
    assert_true(kc_utf8_valid(why));
}

/* text must be refused at line (0: no line) with word in the reason, and
 * leave the evidence unknown. */
static void expect_fail(parse_fn fn, const char *text, size_t len, int line, const char *word)
{
    kc_evidence ev;
    char why[1024];

    ev_init(&ev);
    assert_int_equal(run(fn, text, len, &ev, why, sizeof(why)), -1);
    check_why(why, line, word);
    assert_all_unknown(&ev);
    kc_evidence_free(&ev);
}

/* ---- spctl kext-consent status ----------------------------------------------- */

static kc_tri status_of(const char *text, size_t len)
{
    kc_evidence ev;
    char why[512];
    kc_tri t;

    ev_init(&ev);
    if (run(kc_parse_consent_status, text, len, &ev, why, sizeof(why)) != 0)
        print_error("refused: %s\n", why);
    t = ev.consent_enabled;
    kc_evidence_free(&ev);
    return t;
}

static void consent_status_accepted(void **state)
{
    (void)state;
    assert_int_equal(status_of(T("Kernel Extension User Consent: ENABLED\n")), KC_YES);
    assert_int_equal(status_of(T("Kernel Extension User Consent: DISABLED\n")), KC_NO);
    assert_int_equal(status_of(T("Kernel Extension User Consent: ENABLED")), KC_YES);
    assert_int_equal(status_of(T("Kernel Extension User Consent: DISABLED\r\n")), KC_NO);
    assert_int_equal(status_of(T("Kernel Extension User Consent: ENABLED   \r\n")), KC_YES);
    assert_int_equal(status_of(T("Kernel Extension User Consent: ENABLED\n\n\r\n")), KC_YES);
    /* Only len bytes count. */
    assert_int_equal(status_of("Kernel Extension User Consent: ENABLEDXYZ", 38), KC_YES);
}

static void consent_status_refused(void **state)
{
    (void)state;
    expect_fail(kc_parse_consent_status, T("Kernel Extension User Consent: enabled\n"), 1,
                "expected \"Kernel Extension User Consent: ENABLED\"");
    expect_fail(kc_parse_consent_status, T("kernel extension user consent: ENABLED\n"), 1,
                "got \"kernel extension user consent: ENABLED\"");
    expect_fail(kc_parse_consent_status, T("Kernel Extension User Consent:ENABLED\n"), 1,
                "expected");
    expect_fail(kc_parse_consent_status, T("Kernel Extension User Consent: ENABLE\n"), 1,
                "ENABLE\"");
    expect_fail(kc_parse_consent_status, T("Kernel Extension User Consent: MAYBE\n"), 1,
                "MAYBE");
    expect_fail(kc_parse_consent_status, T("Kernel Extension User Con"), 1, "got");
    expect_fail(kc_parse_consent_status, T("Kernel Extension User Consent: EN\0ABLED\n"), 1,
                "NUL byte");
    expect_fail(kc_parse_consent_status, T("\nKernel Extension User Consent: ENABLED\n"), 1,
                "got an empty line");
    expect_fail(kc_parse_consent_status,
                T("Kernel Extension User Consent: ENABLED\nsomething else\n"), 2,
                "nothing after the status line");
    expect_fail(kc_parse_consent_status,
                T("Kernel Extension User Consent: ENABLED\n\n\nKernel Extension User "
                  "Consent: DISABLED\n"),
                4, "nothing after");
    expect_fail(kc_parse_consent_status, T(""), 0, "empty");
    expect_fail(kc_parse_consent_status, T("\n\r\n  \n"), 0, "empty");
    expect_fail(kc_parse_consent_status, T("spctl: unrecognized command\n"), 1,
                "spctl: unrecognized command");
}

static void consent_status_failure_clears(void **state)
{
    kc_evidence ev;
    char why[256];

    (void)state;
    ev_init(&ev);
    assert_int_equal(run(kc_parse_consent_status, T("Kernel Extension User Consent: ENABLED"),
                         &ev, why, sizeof(why)),
                     0);
    assert_int_equal(ev.consent_enabled, KC_YES);
    assert_int_equal(run(kc_parse_consent_status, T("garbage"), &ev, why, sizeof(why)), -1);
    assert_int_equal(ev.consent_enabled, KC_UNKNOWN);
    kc_evidence_free(&ev);
}

/* ---- spctl kext-consent list --------------------------------------------------- */

/* Parses text (must succeed) and compares the teams with the expected ones. */
static void expect_teams(const char *text, size_t len, const char *const *teams, size_t n)
{
    kc_evidence ev;
    char why[512];
    int rc;

    ev_init(&ev);
    rc = run(kc_parse_consent_list, text, len, &ev, why, sizeof(why));
    if (rc != 0)
        print_error("refused: %s\n", why);
    assert_int_equal(rc, 0);
    assert_int_equal(ev.consent_teams.n, n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(ev.consent_teams.v[i], teams[i]);
    kc_evidence_free(&ev);
}

static void consent_list_accepted(void **state)
{
    static const char *const one[] = {TEAM2};
    static const char *const three[] = {TEAM2, TEAM, TEAM3};

    (void)state;
    expect_teams(T("Allowed Team Identifiers:\n"), NULL, 0);
    expect_teams(T("Allowed Team Identifiers:"), NULL, 0);
    expect_teams(T("spctl: no kext consent configuration found.\n"), NULL, 0);
    expect_teams(T("spctl: no kext consent configuration found.\r\n\r\n"), NULL, 0);
    expect_teams(T("Allowed Team Identifiers:\n" TEAM2 "\n"), one, 1);
    expect_teams(T("Allowed Team Identifiers:\n" TEAM2), one, 1);
    expect_teams(T("Allowed Team Identifiers:\n" TEAM2 "\n" TEAM "\n" TEAM3 "\n"), three, 3);
    expect_teams(T("Allowed Team Identifiers:\r\n" TEAM2 "\r\n" TEAM "  \r\n" TEAM3 "\r\n\r\n"),
                 three, 3);
    /* Duplicates are kept once, in the order first seen. */
    expect_teams(T("Allowed Team Identifiers:\n" TEAM2 "\n" TEAM "\n" TEAM2 "\n" TEAM3 "\n" TEAM
                   "\n"),
                 three, 3);
}

static void consent_list_refused(void **state)
{
    (void)state;
    expect_fail(kc_parse_consent_list, T(""), 0, "empty");
    expect_fail(kc_parse_consent_list, T("\n"), 0, "empty");
    expect_fail(kc_parse_consent_list, T("Allowed Team Identifiers:\n54gtj2au36\n"), 2,
                "expected a team ID (10 characters of A-Z and 0-9), got \"54gtj2au36\"");
    expect_fail(kc_parse_consent_list, T("Allowed Team Identifiers:\n" TEAM "\n54GTJ2AU3\n"),
                3, "got \"54GTJ2AU3\"");
    expect_fail(kc_parse_consent_list, T("Allowed Team Identifiers:\n54GTJ2AU366\n"), 2,
                "team ID");
    expect_fail(kc_parse_consent_list, T("Allowed Team Identifiers:\n  " TEAM "\n"), 2,
                "team ID");
    expect_fail(kc_parse_consent_list, T("Allowed Team Identifiers:\n" TEAM " " TEAM2 "\n"), 2,
                "team ID");
    /* Truncated output, cut in the middle of a line. */
    expect_fail(kc_parse_consent_list, T("Allowed Team Identifiers:\n" TEAM "\n54GTJ2"), 3,
                "got \"54GTJ2\"");
    expect_fail(kc_parse_consent_list, T("Allowed Team Ident"), 1, "expected \"Allowed Team");
    expect_fail(kc_parse_consent_list, T("Allowed Team Identifiers:\n54GTJ\0AU36\n"), 2,
                "NUL byte");
    expect_fail(kc_parse_consent_list, T("Allowed Team Identifiers:\n\n" TEAM "\n"), 2,
                "got an empty line");
    expect_fail(kc_parse_consent_list, T("allowed team identifiers:\n" TEAM "\n"), 1,
                "no kext consent configuration found.");
    expect_fail(kc_parse_consent_list,
                T("spctl: no kext consent configuration found.\n" TEAM "\n"), 2,
                "nothing after");
    expect_fail(kc_parse_consent_list, T("Kernel Extension User Consent: ENABLED\n"), 1,
                "Allowed Team Identifiers:");
}

static void consent_list_messages(void **state)
{
    char line[300], text[400], why[2048];
    kc_evidence ev;
    const char *got;

    (void)state;
    /* A long bad line: about 60 bytes of it are shown, then "...". */
    memset(line, 'Q', 200);
    line[200] = '\0';
    kc_snprintf(text, sizeof(text), "Allowed Team Identifiers:\n%s\n", line);
    ev_init(&ev);
    assert_int_equal(run(kc_parse_consent_list, text, strlen(text), &ev, why, sizeof(why)),
                     -1);
    got = strstr(why, "got \"");
    assert_non_null(got);
    assert_true(strlen(got) <= 5 + 60 + 1 + 3);
    assert_non_null(strstr(why, "\"..."));
    /* Control characters are shown escaped; invalid UTF-8 is replaced. */
    assert_int_equal(run(kc_parse_consent_list, T("Allowed Team Identifiers:\n\x1b[31mX\xff\xfe\n"),
                         &ev, why, sizeof(why)),
                     -1);
    check_why(why, 2, "\\x1b[31mX\xef\xbf\xbd\xef\xbf\xbd");
    assert_null(strchr(why, '\x1b'));
    /* The reason fits a small buffer (cut, never overrun). */
    assert_int_equal(run(kc_parse_consent_list, T("Allowed Team Identifiers:\nbad\n"), &ev, why,
                         16),
                     -1);
    assert_true(strlen(why) < 16);
    kc_evidence_free(&ev);
}

static void consent_list_replaced_and_cleared(void **state)
{
    kc_evidence ev;
    char why[256];

    (void)state;
    ev_init(&ev);
    assert_int_equal(run(kc_parse_consent_list, T("Allowed Team Identifiers:\n" TEAM "\n" TEAM2),
                         &ev, why, sizeof(why)),
                     0);
    assert_int_equal(ev.consent_teams.n, 2);
    assert_int_equal(run(kc_parse_consent_list, T("Allowed Team Identifiers:\n" TEAM3), &ev, why,
                         sizeof(why)),
                     0);
    assert_int_equal(ev.consent_teams.n, 1);
    assert_string_equal(ev.consent_teams.v[0], TEAM3);
    /* A failure after teams were added frees them and leaves the list empty. */
    assert_int_equal(run(kc_parse_consent_list,
                         T("Allowed Team Identifiers:\n" TEAM "\n" TEAM2 "\nbad\n"), &ev, why,
                         sizeof(why)),
                     -1);
    assert_int_equal(ev.consent_teams.n, 0);
    kc_evidence_free(&ev);
}

static void consent_list_many(void **state)
{
    const size_t count = 20000;
    size_t len = strlen("Allowed Team Identifiers:\n") + count * 2 * 11;
    char *text = malloc(len + 1), *p;
    kc_evidence ev;
    char why[256];

    (void)state;
    assert_non_null(text);
    p = text + sprintf(text, "Allowed Team Identifiers:\n");
    /* 20000 distinct teams, each listed twice. */
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < count; i++)
            p += sprintf(p, "T%09zu\n", i);
    assert_int_equal((size_t)(p - text), len);
    ev_init(&ev);
    assert_int_equal(run(kc_parse_consent_list, text, len, &ev, why, sizeof(why)), 0);
    assert_int_equal(ev.consent_teams.n, count);
    assert_string_equal(ev.consent_teams.v[0], "T000000000");
    assert_string_equal(ev.consent_teams.v[count - 1], "T000019999");
    kc_evidence_free(&ev);
    free(text);
}

/* ---- csrutil status ------------------------------------------------------------ */

#define SIP "System Integrity Protection status: "
#define PARAGRAPH                                                                          \
    "This is an unsupported configuration, likely to break in the future and leave your "  \
    "machine in an unknown state.\n"
#define BLOCK_10(signing)                                                                  \
    "Configuration:\n"                                                                     \
    "\tApple Internal: disabled\n"                                                         \
    "\tKext Signing: " signing "\n"                                                        \
    "\tFilesystem Protections: enabled\n"                                                  \
    "\tDebugging Restrictions: enabled\n"                                                  \
    "\tDTrace Restrictions: enabled\n"                                                     \
    "\tNVRAM Protections: enabled\n"                                                       \
    "\tBaseSystem Verification: enabled\n"
#define BLOCK_11(signing)                                                                  \
    "Configuration:\n"                                                                     \
    "\tApple Internal: disabled\n"                                                         \
    "\tKext Signing: " signing "\n"                                                        \
    "\tFilesystem Protections: disabled\n"                                                 \
    "\tDebugging Restrictions: enabled\n"                                                  \
    "\tDTrace Restrictions: enabled\n"                                                     \
    "\tNVRAM Protections: enabled\n"                                                       \
    "\tBaseSystem Verification: enabled\n"                                                 \
    "\tBoot-arg Restrictions: enabled\n"                                                   \
    "\tKernel Integrity Protections: enabled\n"                                            \
    "\tAuthenticated Root Requirement: enabled\n"

static void expect_sip(const char *text, size_t len, kc_sip sip, kc_tri signing)
{
    kc_evidence ev;
    char why[512];
    int rc;

    ev_init(&ev);
    rc = run(kc_parse_csrutil, text, len, &ev, why, sizeof(why));
    if (rc != 0)
        print_error("refused: %s\n", why);
    assert_int_equal(rc, 0);
    assert_int_equal(ev.sip, sip);
    assert_int_equal(ev.kext_signing, signing);
    kc_evidence_free(&ev);
}

static void csrutil_first_lines(void **state)
{
    (void)state;
    expect_sip(T(SIP "enabled.\n"), KC_SIP_ENABLED, KC_YES);
    expect_sip(T(SIP "disabled.\n"), KC_SIP_DISABLED, KC_NO);
    expect_sip(T(SIP "enabled (Custom Configuration).\n"), KC_SIP_CUSTOM, KC_UNKNOWN);
    expect_sip(T(SIP "unknown (Custom Configuration).\n"), KC_SIP_CUSTOM, KC_UNKNOWN);
    expect_sip(T(SIP "enabled."), KC_SIP_ENABLED, KC_YES);
    expect_sip(T(SIP "disabled.\r\n"), KC_SIP_DISABLED, KC_NO);
    expect_sip(T(SIP "enabled.  \n\n"), KC_SIP_ENABLED, KC_YES);
    expect_sip(T("\n\n" SIP "enabled.\n"), KC_SIP_ENABLED, KC_YES);
}

/* csrutil's "(Apple Internal)" statuses (csr-active-config 0x10 and 0x77,
 * as printed on macOS 12): CSR_ALLOW_APPLE_INTERNAL does not touch approval
 * or staging, which follow Kext Signing (CSR_ALLOW_UNTRUSTED_KEXTS). */
static void csrutil_apple_internal(void **state)
{
    (void)state;
    expect_sip(T(SIP "enabled (Apple Internal).\n"), KC_SIP_ENABLED, KC_YES);
    expect_sip(T(SIP "disabled (Apple Internal).\n"), KC_SIP_DISABLED, KC_NO);
    expect_sip(T(SIP "enabled (Apple Internal).\r\n\n"), KC_SIP_ENABLED, KC_YES);
    /* A configuration block after it still has the last word on signing. */
    expect_sip(T(SIP "enabled (Apple Internal).\n\n" BLOCK_10("disabled")), KC_SIP_ENABLED,
               KC_NO);
    /* Only csrutil's exact words. */
    expect_fail(kc_parse_csrutil, T(SIP "enabled (Apple Internal)\n"), 1,
                "\"enabled (Apple Internal).\", \"disabled (Apple Internal).\"");
    expect_fail(kc_parse_csrutil, T(SIP "enabled (apple internal).\n"), 1, "expected");
    expect_fail(kc_parse_csrutil, T(SIP "unknown (Apple Internal).\n"), 1, "expected");
    expect_fail(kc_parse_csrutil, T(SIP "disabled (Apple Internal).\nextra\n"), 2,
                "\"Configuration:\"");
}

/* Configuration blocks indented with 8 spaces (a paste of the tabs), as in a
 * real Apple-silicon capture. */
static void csrutil_spaces_for_tabs(void **state)
{
    (void)state;
    expect_sip(T(SIP "unknown (Custom Configuration).\n\nConfiguration:\n"
                     "        Apple Internal: disabled\n"
                     "        Kext Signing: enabled\n"
                     "        Filesystem Protections: disabled\n"
                     "        Boot-arg Restrictions: disabled\n"
                     "\n" PARAGRAPH),
               KC_SIP_CUSTOM, KC_YES);
}

static void csrutil_configuration_block(void **state)
{
    (void)state;
    /* 10.x: enabled (Custom Configuration). */
    expect_sip(T(SIP "enabled (Custom Configuration).\n\n" BLOCK_10("disabled") "\n" PARAGRAPH),
               KC_SIP_CUSTOM, KC_NO);
    expect_sip(T(SIP "enabled (Custom Configuration).\n\n" BLOCK_10("enabled") "\n" PARAGRAPH),
               KC_SIP_CUSTOM, KC_YES);
    /* 11+: unknown (Custom Configuration). */
    expect_sip(T(SIP "unknown (Custom Configuration).\n\n" BLOCK_11("disabled") "\n" PARAGRAPH),
               KC_SIP_CUSTOM, KC_NO);
    expect_sip(T(SIP "unknown (Custom Configuration).\n\n" BLOCK_11("enabled") "\n" PARAGRAPH),
               KC_SIP_CUSTOM, KC_YES);
    /* The block beside plain enabled / disabled: its Kext Signing line wins. */
    expect_sip(T(SIP "enabled.\n\n" BLOCK_10("disabled")), KC_SIP_ENABLED, KC_NO);
    expect_sip(T(SIP "disabled.\n\n" BLOCK_10("enabled") "\n" PARAGRAPH), KC_SIP_DISABLED,
               KC_YES);
    /* Without a Kext Signing line. */
    expect_sip(T(SIP "unknown (Custom Configuration).\n\nConfiguration:\n"
                     "\tApple Internal: disabled\n\tFilesystem Protections: disabled\n"),
               KC_SIP_CUSTOM, KC_UNKNOWN);
    expect_sip(T(SIP "enabled.\n\nConfiguration:\n    Apple Internal: disabled\n"),
               KC_SIP_ENABLED, KC_YES);
    expect_sip(T(SIP "disabled.\n\nConfiguration:\n    Apple Internal: disabled\n"),
               KC_SIP_DISABLED, KC_NO);
    /* Spaces for indentation, CRLF, no empty line before the block. */
    expect_sip(T(SIP "enabled (Custom Configuration).\r\nConfiguration:\r\n"
                     "  Kext Signing: disabled  \r\n  NVRAM Protections: enabled\r\n\r\n"
                     "This is an unsupported configuration.\r\n"),
               KC_SIP_CUSTOM, KC_NO);
    /* After the block and an empty line, anything is free text. */
    expect_sip(T(SIP "unknown (Custom Configuration).\n\n" BLOCK_11("disabled") "\n"
                     "free\0text \xff\n\nKext Signing: enabled\nConfiguration:\n"),
               KC_SIP_CUSTOM, KC_NO);
}

static void csrutil_refused(void **state)
{
    (void)state;
    expect_fail(kc_parse_csrutil, T(""), 0, "empty");
    expect_fail(kc_parse_csrutil, T("System Integrity Protection status: enabled\n"), 1,
                "got \"System Integrity Protection status: enabled\"");
    expect_fail(kc_parse_csrutil, T("System Integrity Protection status: ENABLED.\n"), 1,
                "expected");
    expect_fail(kc_parse_csrutil, T("System Integrity Protection status: maybe.\n"), 1,
                "maybe.");
    expect_fail(kc_parse_csrutil, T("\n\ncsrutil: command not found\n"), 3,
                "csrutil: command not found");
    expect_fail(kc_parse_csrutil, T("Configuration:\n\tKext Signing: enabled\n"), 1,
                "expected");
    expect_fail(kc_parse_csrutil, T(SIP "enab"), 1, "got");
    expect_fail(kc_parse_csrutil, T(SIP "en\0abled.\n"), 1, "NUL byte");
    /* Something other than the block after the status line. */
    expect_fail(kc_parse_csrutil, T(SIP "enabled.\nhello\n"), 2, "\"Configuration:\"");
    expect_fail(kc_parse_csrutil, T(SIP "enabled.\n\n" PARAGRAPH), 3, "\"Configuration:\"");
    /* Bad block lines. */
    expect_fail(kc_parse_csrutil, T(SIP "unknown (Custom Configuration).\n\nConfiguration:\n"
                                        "Kext Signing: disabled\n"),
                4, "indented");
    expect_fail(kc_parse_csrutil, T(SIP "unknown (Custom Configuration).\n\nConfiguration:\n"
                                        "\tKext Signing: off\n"),
                4, "\\x09Kext Signing: off");
    expect_fail(kc_parse_csrutil, T(SIP "unknown (Custom Configuration).\n\nConfiguration:\n"
                                        "\tKext Signing:disabled\n"),
                4, "indented");
    expect_fail(kc_parse_csrutil, T(SIP "unknown (Custom Configuration).\n\nConfiguration:\n"
                                        "\tApple Internal: disabled\n" PARAGRAPH),
                5, "indented");
    expect_fail(kc_parse_csrutil, T(SIP "unknown (Custom Configuration).\n\nConfiguration:\n"
                                        "\tKext Sig\0ning: disabled\n"),
                4, "NUL byte");
    /* Truncated in the block. */
    expect_fail(kc_parse_csrutil, T(SIP "unknown (Custom Configuration).\n\nConfiguration:\n"
                                        "\tApple Internal: disabled\n\tKext Signing: dis"),
                5, "got \"\\x09Kext Signing: dis\"");
    expect_fail(kc_parse_csrutil, T(SIP "unknown (Custom Configuration).\n\nConfiguration:\n"),
                3, "\"Configuration:\" is followed by no settings");
    expect_fail(kc_parse_csrutil,
                T(SIP "unknown (Custom Configuration).\n\nConfiguration:\n\n" PARAGRAPH), 3,
                "no settings");
    expect_fail(kc_parse_csrutil,
                T(SIP "unknown (Custom Configuration).\n\nConfiguration:\n"
                      "\tKext Signing: disabled\n\tKext Signing: enabled\n"),
                5, "second \"Kext Signing\"");
}

static void csrutil_failure_clears(void **state)
{
    kc_evidence ev;
    char why[256];

    (void)state;
    ev_init(&ev);
    assert_int_equal(run(kc_parse_csrutil, T(SIP "disabled.\n"), &ev, why, sizeof(why)), 0);
    assert_int_equal(ev.sip, KC_SIP_DISABLED);
    assert_int_equal(ev.kext_signing, KC_NO);
    assert_int_equal(run(kc_parse_csrutil, T(SIP "sideways.\n"), &ev, why, sizeof(why)), -1);
    assert_int_equal(ev.sip, KC_SIP_UNKNOWN);
    assert_int_equal(ev.kext_signing, KC_UNKNOWN);
    kc_evidence_free(&ev);
}

/* ---- kextstat / kmutil showloaded ---------------------------------------------- */

#define LOADED_HEADER                                                                       \
    "Index Refs Address            Size       Wired      Name (Version) UUID <Linked "       \
    "Against>\n"
#define KEXTSTAT_10                                                                        \
    LOADED_HEADER                                                                          \
    "    1   83 0xffffff7f80000000 0x0        0x0        com.apple.kpi.bsd (17.7.0)\n"      \
    "    2    6 0                  0          0          com.apple.kpi.dsep (17.7.0)\n"     \
    "   12    3 0xffffff7f80b47000 0x5000     0x5000     com.apple.iokit.IOACPIFamily "     \
    "(1.4) 9D1FF2F8-1A2B-3C4D-8E9F-0A1B2C3D4E5F <7 6 5 4 3 1>\n"                           \
    "   37    5 0xffffff7f83eb9000 0x7a000 0x7a000 as.vit9696.Lilu (1.3.5) "               \
    "0549BD9D-5C85-3C1F-A2C4-B6D9A1D4C9A2 <8 6 5 3 2 1>\n"                                 \
    "  140    0 0xffffff7f8a1e4000 0x3000     0x3000     com.sophos.kext.sav (9.9.4) "      \
    "12345678-abcd-abcd-abcd-1234567890ab <7 5 4 3 1>\n"                                   \
    "  141    0 0xffffff7f8a1e8000 0x3000     0x3000     com.example.nolinks (2.0b3) <>\n"

static const char *const kextstat_ids[] = {
    "com.apple.kpi.bsd", "com.apple.kpi.dsep", "com.apple.iokit.IOACPIFamily",
    "as.vit9696.Lilu",   "com.sophos.kext.sav", "com.example.nolinks",
};
static const char *const kextstat_versions[] = {"17.7.0", "17.7.0", "1.4",
                                                "1.3.5",  "9.9.4",  "2.0b3"};

static void expect_loaded(const char *text, size_t len, const char *const *ids,
                          const char *const *versions, size_t n)
{
    kc_evidence ev;
    char why[512];
    int rc;

    ev_init(&ev);
    rc = run(kc_parse_loaded, text, len, &ev, why, sizeof(why));
    if (rc != 0)
        print_error("refused: %s\n", why);
    assert_int_equal(rc, 0);
    assert_int_equal(ev.n_loaded, n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(ev.loaded[i].bundle_id, ids[i]);
        assert_string_equal(ev.loaded[i].version, versions[i]);
    }
    kc_evidence_free(&ev);
}

static void loaded_kextstat(void **state)
{
    (void)state;
    expect_loaded(T(KEXTSTAT_10), kextstat_ids, kextstat_versions, 6);
    /* Without the final newline, and with only the header. */
    expect_loaded(KEXTSTAT_10, sizeof(KEXTSTAT_10) - 2, kextstat_ids, kextstat_versions, 6);
    expect_loaded(T(LOADED_HEADER), NULL, NULL, 0);
    expect_loaded(T("  Index Refs Address Size Wired Name (Version) UUID <Linked Against>"), NULL,
                  NULL, 0);
}

static void loaded_kmutil(void **state)
{
    static const char *const ids[] = {"com.apple.kpi.bsd", "com.apple.driver.AppleACPIPlatform",
                                      "com.crowdstrike.sensor"};
    static const char *const versions[] = {"22.1.0", "6.1", "6.45.15204"};

    (void)state;
    expect_loaded(T("No variant specified, falling back to release\n" LOADED_HEADER
                    "    1  173 0                  0          0          com.apple.kpi.bsd "
                    "(22.1.0) 8E1D7B8E-6A47-3A0B-9C54-2F9F1C3C8E21 <>\n"
                    "   50    2 0xfffffe0007a3c000 0x3c000    0x3c000    "
                    "com.apple.driver.AppleACPIPlatform (6.1) "
                    "1B6C0E3E-8F3A-3E35-A0C0-5E1A7C2E9B11 <49 18 7 6 3 2 1>\n"
                    "  220    0 0xfffffe000a4b0000 0x1d000    0x1d000    "
                    "com.crowdstrike.sensor (6.45.15204) "
                    "0D8B3A1C-2E4F-3A5B-8C6D-7E8F9A0B1C2D <6 5 3 1>\n"),
                  ids, versions, 3);
    /* kextstat on 11+ says that it runs kmutil; CRLF line ends. */
    expect_loaded(T("Executing: /usr/bin/kmutil showloaded\r\n"
                    "No variant specified, falling back to release\r\n" LOADED_HEADER
                    "    1  173 0 0 0 com.apple.kpi.bsd (22.1.0)\r\n"),
                  ids, versions, 1);
    expect_loaded(T("Executing: /usr/bin/kmutil showloaded\n" LOADED_HEADER), NULL, NULL, 0);
}

static void loaded_refused(void **state)
{
    static const char *const bad_rows[] = {
        "   37    5 0xffffff7f83eb9000 0x7a000 0x7a000 as.vit9696.Lilu 1.3.5",
        "   37    5 0xzz 0x7a000 0x7a000 a.b (1)",
        "   37    5 0x 0x7a000 0x7a000 a.b (1)",
        "   37    5 0x00000000000000000 0x0 0x0 a.b (1)",
        "   37    5 12 0x0 0x0 a.b (1)",
        "   37 five 0x0 0x0 0x0 a.b (1)",
        "   37    5 0x0 0x0 a.b (1)",
        "   37    5 0x0 0x0 0x0 (1.0)",
        "   37    5 0x0 0x0 0x0 a.b (1.0",
        "   37    5 0x0 0x0 0x0 a.b ()",
        "   37    5 0x0 0x0 0x0 a.b (1 2)",
        "   37    5 0x0 0x0 0x0 a.b(1)",
        "   37    5 0x0 0x0 0x0 a.b (1)x",
        "   37    5 0x0 0x0 0x0 a.b (1) <8 6",
        "   37    5 0x0 0x0 0x0 a.b (1) <8 x>",
        "   37    5 0x0 0x0 0x0 a.b (1) 0549BD9D-5C85",
        "   37    5 0x0 0x0 0x0 a.b (1) 0549BD9D-5C85-3C1F-A2C4-B6D9A1D4C9AZ",
        "   37    5 0x0 0x0 0x0 a.b (1) <8> extra",
        "   37    5 0x0 0x0 0x0 a.b (1) extra",
        "37\t5\t0x0\t0x0\t0x0\ta.b (1)",
        "garbage",
        "-1 5 0x0 0x0 0x0 a.b (1)",
    };
    char text[512];

    (void)state;
    for (size_t i = 0; i < sizeof(bad_rows) / sizeof(bad_rows[0]); i++) {
        int n = snprintf(text, sizeof(text),
                         LOADED_HEADER "    1   83 0 0 0 com.apple.kpi.bsd (17.7.0)\n%s\n",
                         bad_rows[i]);
        assert_true(n > 0 && (size_t)n < sizeof(text));
        expect_fail(kc_parse_loaded, text, (size_t)n, 3, "expected a row");
    }
    expect_fail(kc_parse_loaded, T(""), 0, "empty");
    /* Neither the header nor a row first; or only kmutil's notices. */
    expect_fail(kc_parse_loaded, T("No variant specified, falling back to release\n"), 1,
                "ends before the header");
    expect_fail(kc_parse_loaded,
                T("Executing: /usr/bin/kmutil showloaded\n"
                  "No variant specified, falling back to release\n\n"),
                3, "expected the header \"Index Refs Address Size Wired Name (Version) ...\" "
                   "or a row");
    expect_fail(kc_parse_loaded, T("Index Refs Address Size Wired Name UUID\n"), 1,
                "expected the header");
    expect_fail(kc_parse_loaded, T("Error Domain=KMErrorDomain Code=71\n" LOADED_HEADER), 1,
                "Error Domain=KMErrorDomain");
    /* Truncated in the middle of a row, NUL bytes, an empty line inside. */
    expect_fail(kc_parse_loaded, KEXTSTAT_10, sizeof(KEXTSTAT_10) - 1 - 20, 7, "expected a row");
    expect_fail(kc_parse_loaded,
                T(LOADED_HEADER "    1   83 0 0 0 com.apple.kpi\0.bsd (17.7.0)\n"), 2,
                "NUL byte");
    expect_fail(kc_parse_loaded,
                T(LOADED_HEADER "\n    1   83 0 0 0 com.apple.kpi.bsd (17.7.0)\n"), 2,
                "got an empty line");
    expect_fail(kc_parse_loaded, T(LOADED_HEADER LOADED_HEADER), 2, "expected a row");
}

/* `kextstat -l`, `kmutil showloaded --list-only` and captures filtered with
 * grep have no header: accepted when every line is a row. */
static void loaded_without_header(void **state)
{
    static const char *const vbox_ids[] = {"org.virtualbox.kext.VBoxDrv",
                                           "org.virtualbox.kext.VBoxUSB"};
    static const char *const vbox_versions[] = {"6.1.16", "6.1.16"};
#define VBOX_ROWS                                                                           \
    "  178    3 0xffffff7fa2326000 0xb2000    0xb2000    org.virtualbox.kext.VBoxDrv "       \
    "(6.1.16) DAF044F0-5043-3B8E-8758-5A462567BDAA <8 6 5 3 1>\n"                            \
    "  183    0 0xffffff7fa2403000 0x5000     0x5000     org.virtualbox.kext.VBoxUSB "       \
    "(6.1.16) CA33FA52-5933-3F0E-9B40-8B1ECF4D6A36 <182 178 66 8 6 5 3 1>\n"

    (void)state;
    expect_loaded(T(VBOX_ROWS), vbox_ids, vbox_versions, 2);
    expect_loaded(T("No variant specified, falling back to release\n" VBOX_ROWS), vbox_ids,
                  vbox_versions, 2);
    expect_loaded(T("Executing: /usr/bin/kmutil showloaded\r\n"
                    "No variant specified, falling back to release\r\n" VBOX_ROWS "\n\n"),
                  vbox_ids, vbox_versions, 2);
    expect_loaded(T("    1   83 0 0 0 com.apple.kpi.bsd (17.7.0)"), kextstat_ids,
                  kextstat_versions, 1);
    /* Every line must be a row: a bad one, a header after rows, an empty
     * line inside, a cut last line. */
    expect_fail(kc_parse_loaded, T(VBOX_ROWS "garbage\n"), 3, "expected a row");
    expect_fail(kc_parse_loaded, T(VBOX_ROWS LOADED_HEADER), 3, "expected a row");
    expect_fail(kc_parse_loaded, T("  178    3 0x0 0x0 0x0 a.b (1)\n\n" VBOX_ROWS), 2,
                "got an empty line");
    expect_fail(kc_parse_loaded, VBOX_ROWS, sizeof(VBOX_ROWS) - 1 - 30, 2, "expected a row");
    expect_fail(kc_parse_loaded,
                T("No variant specified, falling back to release\n"
                  "org.virtualbox.kext.VBoxDrv (6.1.16)\n"),
                2, "or a row");
    /* The notices only come first. */
    expect_fail(kc_parse_loaded,
                T(VBOX_ROWS "No variant specified, falling back to release\n"), 3,
                "expected a row");
#undef VBOX_ROWS
}

/* A header and count short rows. */
static char *many_rows(size_t count, size_t *len)
{
    size_t cap = sizeof(LOADED_HEADER) + count * 40;
    char *text = malloc(cap);
    size_t o;

    assert_non_null(text);
    o = (size_t)sprintf(text, "%s", LOADED_HEADER);
    for (size_t i = 0; i < count; i++)
        o += (size_t)sprintf(text + o, "%5zu 1 0x0 0x0 0x0 k.%zu (1)\n", i + 1, i);
    assert_true(o < cap);
    *len = o;
    return text;
}

static void loaded_row_cap(void **state)
{
    kc_evidence ev;
    char why[256];
    size_t len;
    char *text;

    (void)state;
    ev_init(&ev);
    text = many_rows(10000, &len);
    assert_int_equal(run(kc_parse_loaded, text, len, &ev, why, sizeof(why)), 0);
    assert_int_equal(ev.n_loaded, 10000);
    assert_string_equal(ev.loaded[9999].bundle_id, "k.9999");
    free(text);
    /* One more: refused, and what was there is gone. */
    text = many_rows(10001, &len);
    assert_int_equal(run(kc_parse_loaded, text, len, &ev, why, sizeof(why)), -1);
    check_why(why, 10002, "more than 10000 rows");
    assert_null(ev.loaded);
    assert_int_equal(ev.n_loaded, 0);
    free(text);
    kc_evidence_free(&ev);
}

static void loaded_unicode_cleaned(void **state)
{
    kc_evidence ev;
    char why[256];

    (void)state;
    ev_init(&ev);
    assert_int_equal(run(kc_parse_loaded,
                         T(LOADED_HEADER "    9    0 0x0 0x0 0x0 com.ex\xc3\xa9mple.k\xff "
                                         "(1.\xe2\x82)\n"),
                         &ev, why, sizeof(why)),
                     0);
    assert_int_equal(ev.n_loaded, 1);
    assert_string_equal(ev.loaded[0].bundle_id, "com.ex\xc3\xa9mple.k\xef\xbf\xbd");
    assert_true(kc_utf8_valid(ev.loaded[0].version));
    kc_evidence_free(&ev);
}

static void text_too_large(void **state)
{
    size_t len = 1024 * 1024 + 1;
    char *text = malloc(len);
    kc_evidence ev;
    char why[256];

    (void)state;
    assert_non_null(text);
    memset(text, '\n', len);
    ev_init(&ev);
    assert_int_equal(run(kc_parse_loaded, text, len, &ev, why, sizeof(why)), -1);
    check_why(why, 0, "larger than");
    assert_int_equal(run(kc_parse_consent_list, text, len - 1, &ev, why, sizeof(why)), -1);
    check_why(why, 0, "empty");
    assert_all_unknown(&ev);
    kc_evidence_free(&ev);
    free(text);
}

/* ---- plist files ----------------------------------------------------------------- */

typedef tu_tmp fixture;

static int setup(void **state)
{
    *state = tu_tmp_new("evidence", "test.plist");
    return 0;
}

static int teardown(void **state)
{
    tu_tmp_free(*state);
    return 0;
}

/* Writes pl (and frees it) to the fixture's file, as binary or XML. */
static void write_plist(const fixture *f, plist_t pl, bool binary)
{
    tu_buf b = tu_plist_bytes(pl, binary);

    tu_write_bytes(f->path, b.p, b.n);
    free(b.p);
}

/* fn on the fixture's file must fail with word in the reason (no line). */
static void expect_read_fail(const fixture *f, read_fn fn, const char *word)
{
    kc_evidence ev;
    char why[1024];

    ev_init(&ev);
    why[0] = '\0';
    assert_int_equal(fn(f->path, &ev, why, sizeof(why)), -1);
    check_why(why, 0, word);
    assert_all_unknown(&ev);
    kc_evidence_free(&ev);
}

/* ---- missing files ----------------------------------------------------------------- */

static void plist_missing(void **state)
{
    fixture *f = *state;
    kc_evidence ev;
    char why[512], path[4300];

    ev_init(&ev);
    ev.os_major = 14; /* left alone when the file is absent */
    kc_snprintf(path, sizeof(path), "%s/nope.plist", f->dir);
    assert_int_equal(kc_read_system_version(path, &ev, why, sizeof(why)), 0);
    assert_int_equal(kc_read_sysext_db(path, &ev, why, sizeof(why)), 0);
    kc_snprintf(path, sizeof(path), "%s/no/such/dir/x.plist", f->dir);
    assert_int_equal(kc_read_system_version(path, &ev, why, sizeof(why)), 0);
    assert_int_equal(kc_read_sysext_db(path, &ev, why, sizeof(why)), 0);
    assert_int_equal(ev.os_major, 14);
    assert_null(ev.os_version);
    assert_null(ev.sysexts);
    kc_evidence_free(&ev);
}

/* ---- SystemVersion.plist --------------------------------------------------------- */

static void system_version_read(void **state)
{
    static const struct {
        const char *text;
        int major, minor;
    } good[] = {
        {"10.13.6", 10, 13}, {"11.7.10", 11, 7}, {"14.1", 14, 1}, {"10.16", 10, 16},
        {"15.0", 15, 0},
    };
    fixture *f = *state;

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        kc_evidence ev;
        char why[256];
        plist_t d = tu_plist_dict1("ProductVersion", plist_new_string(good[i].text));

        plist_dict_set_item(d, "ProductName", plist_new_string("macOS"));
        plist_dict_set_item(d, "ProductBuildVersion", plist_new_string("23B74"));
        write_plist(f, d, i % 2 == 1);
        ev_init(&ev);
        assert_int_equal(kc_read_system_version(f->path, &ev, why, sizeof(why)), 1);
        assert_string_equal(ev.os_version, good[i].text);
        assert_int_equal(ev.os_major, good[i].major);
        assert_int_equal(ev.os_minor, good[i].minor);
        kc_evidence_free(&ev);
    }
}

static void system_version_refused(void **state)
{
    static const char *const bad[] = {
        "14", "14.", ".1", "14.1.2.3", "14.x", "", "v14.1", "14.1 ", "14..1", "12345.1",
        "14.1-beta",
    };
    fixture *f = *state;
    kc_evidence ev;
    char why[256];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        write_plist(f, tu_plist_dict1("ProductVersion", plist_new_string(bad[i])), i % 2 == 0);
        expect_read_fail(f, kc_read_system_version, "ProductVersion: expected a version");
    }
    write_plist(f, tu_plist_dict1("ProductVersion", plist_new_uint(14)), false);
    expect_read_fail(f, kc_read_system_version, "ProductVersion is an integer");
    write_plist(f, tu_plist_dict1("ProductVersion", plist_new_uint(14)), true);
    expect_read_fail(f, kc_read_system_version, "ProductVersion is an integer");
    write_plist(f, tu_plist_dict1("ProductName", plist_new_string("macOS")), false);
    expect_read_fail(f, kc_read_system_version, "no ProductVersion");
    write_plist(f, plist_new_string("14.1"), false);
    expect_read_fail(f, kc_read_system_version, "top level is a string");

    /* A failure clears an earlier version. */
    write_plist(f, tu_plist_dict1("ProductVersion", plist_new_string("13.6.1")), false);
    ev_init(&ev);
    assert_int_equal(kc_read_system_version(f->path, &ev, why, sizeof(why)), 1);
    assert_int_equal(ev.os_major, 13);
    write_plist(f, tu_plist_dict1("ProductVersion", plist_new_bool(1)), false);
    assert_int_equal(kc_read_system_version(f->path, &ev, why, sizeof(why)), -1);
    assert_all_unknown(&ev);
    kc_evidence_free(&ev);
}

/* ---- system-extension db.plist ----------------------------------------------------- */

static plist_t db_with(plist_t extensions)
{
    plist_t d = tu_plist_dict1("extensions", extensions);

    plist_dict_set_item(d, "extensionPolicies", plist_new_array());
    return d;
}

static void sysext_db_read(void **state)
{
    fixture *f = *state;

    for (int binary = 0; binary < 2; binary++) {
        plist_t arr = plist_new_array();
        kc_evidence ev;
        char why[512];
        int rc;

        plist_array_append_item(arr, tu_plist_sysext("com.crowdstrike.falcon.Agent", "X9E956P446",
                                             "activated_enabled", "6.50", "16506"));
        plist_array_append_item(arr, tu_plist_sysext("com.example.net", TEAM, "activated_waiting_for_user",
                                             "1.2", NULL));
        plist_array_append_item(arr, tu_plist_sysext("com.example.old", TEAM, "uninstalling", NULL, "7"));
        plist_array_append_item(arr, tu_plist_sysext("com.example.nover", TEAM2,
                                             "terminated_waiting_to_uninstall_on_reboot", NULL,
                                             NULL));
        write_plist(f, db_with(arr), binary);
        ev_init(&ev);
        rc = kc_read_sysext_db(f->path, &ev, why, sizeof(why));
        if (rc != 1)
            print_error("refused: %s\n", why);
        assert_int_equal(rc, 1);
        assert_int_equal(ev.n_sysexts, 4);
        assert_false(ev.sysexts_truncated);
        assert_string_equal(ev.sysexts[0].identifier, "com.crowdstrike.falcon.Agent");
        assert_string_equal(ev.sysexts[0].team_id, "X9E956P446");
        assert_string_equal(ev.sysexts[0].state, "activated_enabled");
        assert_string_equal(ev.sysexts[0].version, "6.50/16506");
        assert_string_equal(ev.sysexts[1].version, "1.2");
        assert_string_equal(ev.sysexts[2].version, "7");
        assert_null(ev.sysexts[3].version);
        assert_string_equal(ev.sysexts[3].state, "terminated_waiting_to_uninstall_on_reboot");
        kc_evidence_free(&ev);
    }
}

static void sysext_db_empty(void **state)
{
    fixture *f = *state;
    kc_evidence ev;
    char why[256];

    write_plist(f, db_with(plist_new_array()), false);
    ev_init(&ev);
    assert_int_equal(kc_read_sysext_db(f->path, &ev, why, sizeof(why)), 1);
    assert_int_equal(ev.n_sysexts, 0);
    assert_null(ev.sysexts);
    kc_evidence_free(&ev);
}

static plist_t many_sysexts(size_t count)
{
    plist_t arr = plist_new_array();
    char id[64], build[32];

    for (size_t i = 0; i < count; i++) {
        plist_t d = plist_new_dict();
        kc_snprintf(id, sizeof(id), "com.example.ext%zu", i);
        kc_snprintf(build, sizeof(build), "%zu", i);
        plist_dict_set_item(d, "identifier", plist_new_string(id));
        plist_dict_set_item(d, "teamID", plist_new_string(TEAM));
        plist_dict_set_item(d, "state", plist_new_string("activated_enabled"));
        plist_dict_set_item(d, "bundleVersion", tu_plist_dict1("CFBundleVersion",
                                                          plist_new_string(build)));
        plist_array_append_item(arr, d);
    }
    return db_with(arr);
}

static void sysext_db_large(void **state)
{
    fixture *f = *state;
    kc_evidence ev;
    char why[256];
    int rc;

    /* 5000 entries (binary; as XML that would pass the 1 MiB cap), and
     * 2000 as XML. */
    write_plist(f, many_sysexts(5000), true);
    ev_init(&ev);
    rc = kc_read_sysext_db(f->path, &ev, why, sizeof(why));
    if (rc != 1)
        print_error("refused: %s\n", why);
    assert_int_equal(rc, 1);
    assert_int_equal(ev.n_sysexts, 5000);
    assert_false(ev.sysexts_truncated);
    assert_string_equal(ev.sysexts[4999].identifier, "com.example.ext4999");
    assert_string_equal(ev.sysexts[4999].version, "4999");
    write_plist(f, many_sysexts(2000), false);
    rc = kc_read_sysext_db(f->path, &ev, why, sizeof(why));
    if (rc != 1)
        print_error("refused: %s\n", why);
    assert_int_equal(rc, 1);
    assert_int_equal(ev.n_sysexts, 2000);
    assert_string_equal(ev.sysexts[1999].identifier, "com.example.ext1999");
    kc_evidence_free(&ev);
}

static void sysext_db_cap(void **state)
{
    fixture *f = *state;
    kc_evidence ev;
    char why[256];
    int rc;

    write_plist(f, many_sysexts(10001), true);
    ev_init(&ev);
    rc = kc_read_sysext_db(f->path, &ev, why, sizeof(why));
    if (rc != 1)
        print_error("refused: %s\n", why);
    assert_int_equal(rc, 1);
    assert_int_equal(ev.n_sysexts, 10000);
    assert_true(ev.sysexts_truncated);
    assert_string_equal(ev.sysexts[9999].identifier, "com.example.ext9999");
    /* Exactly 10000: not truncated. */
    write_plist(f, many_sysexts(10000), true);
    assert_int_equal(kc_read_sysext_db(f->path, &ev, why, sizeof(why)), 1);
    assert_int_equal(ev.n_sysexts, 10000);
    assert_false(ev.sysexts_truncated);
    kc_evidence_free(&ev);
}

static void sysext_db_wrong_types(void **state)
{
    fixture *f = *state;
    plist_t arr, e;

    for (int binary = 0; binary < 2; binary++) {
        arr = plist_new_array();
        plist_array_append_item(arr, tu_plist_sysext("a", TEAM, "activated_enabled", "1", "1"));
        e = tu_plist_sysext("b", TEAM, "x", NULL, NULL);
        plist_dict_set_item(e, "state", plist_new_uint(3));
        plist_array_append_item(arr, e);
        write_plist(f, db_with(arr), binary);
        expect_read_fail(f, kc_read_sysext_db,
                         "extensions[1].state is an integer, expected a string");

        arr = plist_new_array();
        plist_array_append_item(arr, tu_plist_sysext("a", TEAM, "activated_enabled", "1", "1"));
        plist_array_append_item(arr, tu_plist_sysext("b", TEAM, "activated_enabled", "1", "1"));
        plist_array_append_item(arr, plist_new_string("c"));
        write_plist(f, db_with(arr), binary);
        expect_read_fail(f, kc_read_sysext_db, "extensions[2] is a string, expected a dictionary");

        e = tu_plist_sysext("a", TEAM, "activated_enabled", NULL, NULL);
        plist_dict_remove_item(e, "teamID");
        arr = plist_new_array();
        plist_array_append_item(arr, e);
        write_plist(f, db_with(arr), binary);
        expect_read_fail(f, kc_read_sysext_db, "extensions[0] has no teamID");

        e = tu_plist_sysext("a", TEAM, "activated_enabled", NULL, NULL);
        plist_dict_set_item(e, "identifier", plist_new_bool(0));
        arr = plist_new_array();
        plist_array_append_item(arr, e);
        write_plist(f, db_with(arr), binary);
        expect_read_fail(f, kc_read_sysext_db, "extensions[0].identifier is a boolean");

        e = tu_plist_sysext("a", TEAM, "activated_enabled", NULL, NULL);
        plist_dict_set_item(e, "bundleVersion", plist_new_string("1.0"));
        arr = plist_new_array();
        plist_array_append_item(arr, e);
        write_plist(f, db_with(arr), binary);
        expect_read_fail(f, kc_read_sysext_db, "extensions[0].bundleVersion is a string");

        e = tu_plist_sysext("a", TEAM, "activated_enabled", "1.0", NULL);
        plist_dict_set_item(plist_dict_get_item(e, "bundleVersion"), "CFBundleVersion",
                            plist_new_uint(7));
        arr = plist_new_array();
        plist_array_append_item(arr, e);
        write_plist(f, db_with(arr), binary);
        expect_read_fail(f, kc_read_sysext_db,
                         "extensions[0].bundleVersion.CFBundleVersion is an integer");

        write_plist(f, db_with(plist_new_dict()), binary);
        expect_read_fail(f, kc_read_sysext_db, "extensions is a dictionary, expected an array");
        write_plist(f, tu_plist_dict1("extensionPolicies", plist_new_array()), binary);
        expect_read_fail(f, kc_read_sysext_db, "no \"extensions\" array");
        write_plist(f, plist_new_array(), binary);
        expect_read_fail(f, kc_read_sysext_db, "top level is an array");
    }
    tu_write_bytes(f->path, T("short"));
    expect_read_fail(f, kc_read_sysext_db, "too short");
}

static void sysext_failure_clears(void **state)
{
    fixture *f = *state;
    kc_evidence ev;
    char why[256];
    plist_t arr = plist_new_array();

    plist_array_append_item(arr, tu_plist_sysext("a", TEAM, "activated_enabled", "1", "1"));
    write_plist(f, db_with(arr), false);
    ev_init(&ev);
    assert_int_equal(kc_read_sysext_db(f->path, &ev, why, sizeof(why)), 1);
    assert_int_equal(ev.n_sysexts, 1);
    write_plist(f, db_with(plist_new_uint(1)), false);
    assert_int_equal(kc_read_sysext_db(f->path, &ev, why, sizeof(why)), -1);
    assert_all_unknown(&ev);
    kc_evidence_free(&ev);
}

static void plist_symlink_refused(void **state)
{
    fixture *f = *state;
    char link[4300];
    kc_evidence ev;
    char why[256];

    write_plist(f, tu_plist_dict1("ProductVersion", plist_new_string("14.1")), false);
    kc_snprintf(link, sizeof(link), "%s/link.plist", f->dir);
    assert_int_equal(symlink(f->path, link), 0);
    ev_init(&ev);
    assert_int_equal(kc_read_system_version(link, &ev, why, sizeof(why)), -1);
    check_why(why, 0, "symbolic link");
    /* A folder where the file should be. */
    assert_int_equal(kc_read_system_version(f->dir, &ev, why, sizeof(why)), -1);
    check_why(why, 0, "not a regular file");
    assert_all_unknown(&ev);
    kc_evidence_free(&ev);
}

/* ---- NUL characters in property lists ---------------------------------------------- */

/* Finishes w and writes it to path. */
static void bw_write(tu_bplist *w, const char *path)
{
    tu_bp_finish(w);
    tu_write_bytes(path, w->b, w->len);
}

/* tu_bp_kext_policy_key's plist, written to path. */
static void write_mdm_key(const char *path, const char *key, size_t n, bool utf16)
{
    tu_bplist w;

    tu_bp_kext_policy_key(&w, key, n, utf16);
    tu_write_bytes(path, w.b, w.len);
}

/* { KEY: VALUE } with VALUE (n bytes) as UTF-16 or ASCII. */
static void write_string_plist(const char *path, const char *key, const char *value, size_t n,
                               bool utf16)
{
    tu_bplist w;
    unsigned k, v;

    tu_bp_init(&w);
    v = utf16 ? tu_bp_utf16(&w, value, n) : tu_bp_ascii(&w, value, n);
    k = tu_bp_ascii(&w, key, strlen(key));
    tu_bp_dict(&w, &k, &v, 1);
    bw_write(&w, path);
}

/* Other readers and Info.plist: a NUL in a string is refused, never an
 * abort (plist_get_string_val asserted on the UTF-16 one in bundles.c). */
static void nul_in_strings(void **state)
{
    fixture *f = *state;
    char root[4200], kext[4300], path[4400];
    kc_bundles b = {NULL, 0, 0, false};

    write_string_plist(f->path, "ProductVersion", T("14.1\0\xe9"), true);
    expect_read_fail(f, kc_read_system_version, "contains a NUL character");
    write_string_plist(f->path, "ProductVersion", T("14.1\0"), false);
    expect_read_fail(f, kc_read_system_version, "contains a NUL character");
    /* The value of a key the reader does not even look at. */
    write_string_plist(f->path, "Other", T("x\0"), true);
    expect_read_fail(f, kc_read_sysext_db, "contains a NUL character");
    /* XML: a raw NUL byte (XML allows none; &#0; is already refused). */
    tu_write_bytes(f->path, T("<?xml version=\"1.0\"?><plist version=\"1.0\"><dict>"
                              "<key>ProductVersion</key><string>14.1\0x</string>"
                              "</dict></plist>"));
    expect_read_fail(f, kc_read_system_version, "XML property list: a NUL byte at offset");
    tu_write_bytes(f->path, T("<?xml version=\"1.0\"?><plist version=\"1.0\"><dict>"
                              "<key>ProductVersion</key><string>14.1&#0;</string>"
                              "</dict></plist>"));
    expect_read_fail(f, kc_read_system_version, "damaged XML property list");

    /* A kext whose Info.plist has a NUL in CFBundleIdentifier or a version. */
    tu_join(root, sizeof(root), f->dir, "root");
    tu_join(kext, sizeof(kext), root, "A.kext");
    tu_join(path, sizeof(path), kext, "Contents");
    assert_int_equal(mkdir(root, 0700), 0);
    assert_int_equal(mkdir(kext, 0700), 0);
    assert_int_equal(mkdir(path, 0700), 0);
    tu_join(path, sizeof(path), kext, "Contents/Info.plist");
    for (int i = 0; i < 3; i++) {
        if (i == 0)
            write_string_plist(path, "CFBundleIdentifier", T("com.example\0\xe9"), true);
        else if (i == 1)
            write_string_plist(path, "CFBundleIdentifier", T("com.example\0evil"), false);
        else
            write_string_plist(path, "CFBundleVersion", T("1\0\xe9"), true);
        {
            kc_rootfs fs;
            char why[256];
            assert_int_equal(kc_rootfs_open(&fs, root, why, sizeof(why)), 0);
            assert_int_equal(kc_bundles_scan(&fs, "/A.kext", &b), 1);
            kc_rootfs_close(&fs);
        }
        assert_int_equal(b.n, 1);
        assert_null(b.items[0].bundle_id);
        assert_non_null(b.items[0].error);
        check_why(b.items[0].error, 0, "contains a NUL character");
        kc_bundles_free(&b);
    }
}

/* The whole program on a Mac whose MDM profile has a NUL in a key of
 * AllowedKernelExtensions: every vendor is still reported, with the
 * profile as evidence that could not be used (the run aborted before,
 * exit 134, no report).  KC_TEST_PLUGINDIR is the build's plugin folder. */
static void cli_nul_mdm_reports_vendors(void **state)
{
    fixture *f = *state;
    const char *plugins = getenv("KC_TEST_PLUGINDIR");
    char root[4200], mdm[4400], out[4300], a0[] = "kextcheck", a1[] = "--no-config",
         a2[] = "-P", a4[] = "--root", a6[] = "--format", a7[] = "json";
    char *argv[9], *text = NULL, why[256], pattern[300];
    size_t len = 0, vendors = 0;
    json_error_t jerr;
    json_t *doc;
    DIR *d;
    struct dirent *de;
    int saved, fd, rc;

    if (plugins == NULL || plugins[0] == '\0')
        skip();
    tu_join(root, sizeof(root), f->dir, "root");
    tu_join(mdm, sizeof(mdm), root,
            "Library/Managed Preferences/com.apple.syspolicy.kernel-extension-policy.plist");
    for (char *s = strchr(mdm + strlen(f->dir) + 1, '/'); s != NULL; s = strchr(s + 1, '/')) {
        *s = '\0';
        assert_true(mkdir(mdm, 0700) == 0 || errno == EEXIST);
        *s = '/';
    }
    write_mdm_key(mdm, T("AB\0CDE1234\xe9"), true);
    tu_join(out, sizeof(out), f->dir, "report.json");

    argv[0] = a0;
    argv[1] = a1;
    argv[2] = a2;
    argv[3] = (char *)plugins;
    argv[4] = a4;
    argv[5] = root;
    argv[6] = a6;
    argv[7] = a7;
    argv[8] = NULL;
    assert_int_equal(fflush(stdout), 0);
    saved = dup(STDOUT_FILENO);
    fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(saved >= 0 && fd >= 0);
    assert_true(dup2(fd, STDOUT_FILENO) >= 0);
    assert_int_equal(close(fd), 0);
    optind = 0;
    rc = kc_cli_main(8, argv);
    assert_int_equal(fflush(stdout), 0);
    assert_true(dup2(saved, STDOUT_FILENO) >= 0);
    assert_int_equal(close(saved), 0);

    assert_true(rc >= 0 && rc <= 3);
    assert_int_equal(kc_read_file(out, 16 * 1024 * 1024, &text, &len, why, sizeof(why)), 0);
    doc = json_loads(text, 0, &jerr);
    assert_non_null(doc);
    json_decref(doc);
    assert_non_null(strstr(text, "contains a NUL character"));
    /* Every plugin of the folder is named in the report. */
    d = opendir(plugins);
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n < 4 || strcmp(de->d_name + n - 3, ".so") != 0)
            continue;
        kc_snprintf(pattern, sizeof(pattern), "\"%.*s\"", (int)(n - 3), de->d_name);
        if (strstr(text, pattern) == NULL)
            print_error("%s is not in the report\n", pattern);
        assert_non_null(strstr(text, pattern));
        vendors++;
    }
    closedir(d);
    assert_true(vendors > 0);
    free(text);
}

/* kc_plist_parse on bytes: the forms of string lengths, and limits. */
static void plist_parse_bytes(void **state)
{
    tu_bplist w;
    char why[256], s[40];
    unsigned k, v;
    void *pl;

    (void)state;
    /* A 20-byte string (length as a following integer) with a NUL at 17. */
    memset(s, 'a', sizeof(s));
    s[17] = '\0';
    tu_bp_init(&w);
    v = tu_bp_ascii(&w, s, 20);
    k = tu_bp_ascii(&w, T("k"));
    tu_bp_dict(&w, &k, &v, 1);
    tu_bp_finish(&w);
    assert_null(kc_plist_parse((const char *)w.b, w.len, why, sizeof(why)));
    check_why(why, 0, "object 0: a string or key contains a NUL character");
    /* Without it: parsed. */
    s[17] = 'a';
    tu_bp_init(&w);
    v = tu_bp_utf16(&w, s, 20);
    k = tu_bp_ascii(&w, T("k"));
    tu_bp_dict(&w, &k, &v, 1);
    tu_bp_finish(&w);
    pl = kc_plist_parse((const char *)w.b, w.len, why, sizeof(why));
    assert_non_null(pl);
    plist_free(pl);
    /* Too short, garbage, NULL. */
    assert_null(kc_plist_parse("bplist0", 7, why, sizeof(why)));
    check_why(why, 0, "too short");
    assert_null(kc_plist_parse(NULL, 0, why, sizeof(why)));
    check_why(why, 0, "too short");
    assert_null(kc_plist_parse(T("bplist00garbage"), why, sizeof(why)));
    check_why(why, 0, "damaged binary property list");
    assert_null(kc_plist_parse(T("<plist><dict>"), why, sizeof(why)));
    check_why(why, 0, "damaged XML property list");
}

/* ---- everything at once ----------------------------------------------------------- */

static void evidence_free_everything(void **state)
{
    fixture *f = *state;
    kc_evidence ev;
    char why[512];
    plist_t arr = plist_new_array();

    ev_init(&ev);
    ev.consent_status_src.origin = kc_strdup("command /usr/sbin/spctl kext-consent status");
    ev.consent_status_src.error = kc_strdup("x");
    ev.consent_list_src.origin = kc_strdup("command /usr/sbin/spctl kext-consent list");
    ev.sip_src.origin = kc_strdup("command /usr/bin/csrutil status");
    ev.loaded_src.origin = kc_strdup("command /usr/sbin/kextstat");
    ev.os_src.origin = kc_strdup("file y");
    ev.sysext_src.error = kc_strdup("z");
    assert_int_equal(run(kc_parse_consent_status, T("Kernel Extension User Consent: ENABLED"),
                         &ev, why, sizeof(why)),
                     0);
    assert_int_equal(run(kc_parse_consent_list, T("Allowed Team Identifiers:\n" TEAM), &ev, why,
                         sizeof(why)),
                     0);
    assert_int_equal(run(kc_parse_csrutil, T(SIP "enabled.\n"), &ev, why, sizeof(why)), 0);
    assert_int_equal(run(kc_parse_loaded, T(KEXTSTAT_10), &ev, why, sizeof(why)), 0);
    write_plist(f, tu_plist_dict1("ProductVersion", plist_new_string("12.7.1")), true);
    assert_int_equal(kc_read_system_version(f->path, &ev, why, sizeof(why)), 1);
    plist_array_append_item(arr, tu_plist_sysext("a", TEAM, "activated_enabled", "1", "2"));
    write_plist(f, db_with(arr), true);
    assert_int_equal(kc_read_sysext_db(f->path, &ev, why, sizeof(why)), 1);
    /* The parsers leave the sources to the caller. */
    assert_string_equal(ev.consent_status_src.origin,
                        "command /usr/sbin/spctl kext-consent status");
    assert_false(ev.consent_status_src.ok);
    kc_evidence_free(&ev);
    assert_all_unknown(&ev);
    assert_null(ev.consent_status_src.origin);
    assert_null(ev.sysext_src.error);
    kc_evidence_free(&ev); /* twice is harmless */
    kc_evidence_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(consent_status_accepted),
        cmocka_unit_test(consent_status_refused),
        cmocka_unit_test(consent_status_failure_clears),
        cmocka_unit_test(consent_list_accepted),
        cmocka_unit_test(consent_list_refused),
        cmocka_unit_test(consent_list_messages),
        cmocka_unit_test(consent_list_replaced_and_cleared),
        cmocka_unit_test(consent_list_many),
        cmocka_unit_test(csrutil_first_lines),
        cmocka_unit_test(csrutil_configuration_block),
        cmocka_unit_test(csrutil_apple_internal),
        cmocka_unit_test(csrutil_spaces_for_tabs),
        cmocka_unit_test(csrutil_refused),
        cmocka_unit_test(csrutil_failure_clears),
        cmocka_unit_test(loaded_kextstat),
        cmocka_unit_test(loaded_kmutil),
        cmocka_unit_test(loaded_refused),
        cmocka_unit_test(loaded_without_header),
        cmocka_unit_test(loaded_row_cap),
        cmocka_unit_test(loaded_unicode_cleaned),
        cmocka_unit_test(text_too_large),
        cmocka_unit_test_setup_teardown(plist_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(system_version_read, setup, teardown),
        cmocka_unit_test_setup_teardown(system_version_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(sysext_db_read, setup, teardown),
        cmocka_unit_test_setup_teardown(sysext_db_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(sysext_db_large, setup, teardown),
        cmocka_unit_test_setup_teardown(sysext_db_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(sysext_db_wrong_types, setup, teardown),
        cmocka_unit_test_setup_teardown(sysext_failure_clears, setup, teardown),
        cmocka_unit_test_setup_teardown(plist_symlink_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(nul_in_strings, setup, teardown),
        cmocka_unit_test(plist_parse_bytes),
        cmocka_unit_test_setup_teardown(cli_nul_mdm_reports_vendors, setup, teardown),
        cmocka_unit_test_setup_teardown(evidence_free_everything, setup, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
