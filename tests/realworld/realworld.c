/*
 * realworld DIR WORKDIR: runs kextcheck's readers over the public captures
 * copied into DIR (tests/realworld, see SOURCES.md there) and checks the
 * values each one must give.
 *
 * - Every file in DIR/outputs/ is claimed by the parser whose file-name
 *   prefix it starts with (table `parsers`), must be accepted, and must give
 *   the values written for it in the expectation tables below.  A file no
 *   prefix claims, a file without expectations, or expectations for a file
 *   that is not there all fail the test, so a new capture cannot slip by
 *   unchecked.
 * - Every DIR/profiles/ *.mobileconfig: its kernel-extension-policy payloads
 *   (the settings macOS mirrors to /Library/Managed Preferences/...) are
 *   written to WORKDIR as XML and as binary plists, read back and parsed
 *   with kc_parse_kext_policy, which must give the teams and kexts listed
 *   below.
 *
 * Hook for other parsers: a prefix whose `check` is NULL is claimed but not
 * checked here (reported as "skip").  The bputil -d captures ("bputil-") are
 * parsed by the Apple-silicon boot-policy parser, which lives on another
 * branch: when it is merged, give that row a check function (same shape as
 * check_csrutil: parse, compare with an expectation table) and the files
 * are checked like the others.
 *
 * Output: one "ok", "skip" or "FAIL" line per file; exit 0 when nothing
 * failed, 1 otherwise, 2 on a usage or setup error.
 */
#include "kc.h"
#include "platform.h"

#include <dirent.h>
#include <errno.h>
#include <plist/plist.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILES 512
#define MAX_MUST 8

/* ---- what each capture must give ----------------------------------------- */

static const struct {
    const char *file;
    kc_tri enabled;
} consent_status_expect[] = {
    {"spctl_kext-consent_status_enabled.txt", KC_YES},
};

static const struct {
    const char *file;
    const char *teams; /* in order, separated by one space; "" for none */
} consent_list_expect[] = {
    {"spctl_kext-consent_list_horndis-blog.txt", "54GTJ2AU36"},
    {"spctl_kext-consent_list_none_horndis-blog.txt", ""},
};

/* "Apple Internal" (csrutil prints it for csr-active-config 0x10 and 0x77):
 * CSR_ALLOW_APPLE_INTERNAL only relaxes signature checks; staging and user
 * approval follow CSR_ALLOW_UNTRUSTED_KEXTS (bit 0x1), clear in 0x10 (SIP
 * enabled, Kext Signing enabled) and set in 0x77 (SIP disabled, Kext Signing
 * disabled). */
static const struct {
    const char *file;
    kc_sip sip;
    kc_tri signing;
} csrutil_expect[] = {
    {"csrutil_custom_without-dtrace_macos10.13.txt", KC_SIP_CUSTOM, KC_YES},
    {"csrutil_custom_without-kext-fs_macos10.12-era.txt", KC_SIP_CUSTOM, KC_NO},
    {"csrutil_disabled-apple-internal_macos12-opencore.txt", KC_SIP_DISABLED, KC_NO},
    {"csrutil_disabled_macos10.14_stackexchange382216.txt", KC_SIP_DISABLED, KC_NO},
    {"csrutil_enabled-apple-internal_macos12-opencore.txt", KC_SIP_ENABLED, KC_YES},
    {"csrutil_unknown-custom_M1-mini_yabai.txt", KC_SIP_CUSTOM, KC_YES},
    {"csrutil_unknown-custom_M1_without-debug-dtrace.txt", KC_SIP_CUSTOM, KC_YES},
    {"csrutil_unknown-custom_macos14_without-nvram.txt", KC_SIP_CUSTOM, KC_YES},
};

static const struct {
    const char *file;
    size_t rows;
    const char *const must[MAX_MUST]; /* "BUNDLE-ID VERSION" rows it must hold */
} loaded_expect[] = {
    {"kextstat_grep-i-virtualbox_macos11_virtualbox6.1.16.txt", 4,
     {"org.virtualbox.kext.VBoxDrv 6.1.16", "org.virtualbox.kext.VBoxUSB 6.1.16",
      "org.virtualbox.kext.VBoxNetFlt 6.1.16", "org.virtualbox.kext.VBoxNetAdp 6.1.16"}},
    {"kextstat_grep-v-apple_macos10.14_virtualbox6.0.2.txt", 5,
     {"org.virtualbox.kext.VBoxDrv 6.0.2", "org.virtualbox.kext.VBoxUSB 6.0.2",
      "org.virtualbox.kext.VBoxNetFlt 6.0.2", "org.virtualbox.kext.VBoxNetAdp 6.0.2",
      "com.asix.driver.ax88772 1.6.0"}},
    {"kextstat_grep-v-apple_tafkas-til_virtualbox6.0.14.txt", 4,
     {"org.virtualbox.kext.VBoxDrv 6.0.14", "org.virtualbox.kext.VBoxUSB 6.0.14",
      "org.virtualbox.kext.VBoxNetFlt 6.0.14", "org.virtualbox.kext.VBoxNetAdp 6.0.14"}},
    {"kextstat_macos10.12.6_kbfs1360.txt", 10,
     {"com.apple.kpi.bsd 16.7.0", "com.apple.kec.corecrypto 1.0", "com.apple.kec.pthread 1"}},
    {"kextstat_macos10.12_keybase4237.txt", 10,
     {"com.apple.kpi.bsd 16.0.0", "com.apple.kec.pthread 1", "com.apple.iokit.IOACPIFamily 1.4"}},
    {"kextstat_macos11.3_hookcase26.txt", 9,
     {"com.apple.kpi.bsd 20.4.0", "com.apple.kpi.kasan 20.4.0", "com.apple.kec.Libm 1"}},
    {"kextstat_macos11.4_hacktricks.txt", 10,
     {"com.apple.kpi.bsd 20.5.0", "com.apple.kec.Libm 1", "com.apple.kec.corecrypto 11.1"}},
    {"kmutil_showloaded_list-only_grep-v-apple_macos11_virtualbox6.1.26.txt", 4,
     {"org.virtualbox.kext.VBoxDrv 6.1.26", "org.virtualbox.kext.VBoxUSB 6.1.26",
      "org.virtualbox.kext.VBoxNetFlt 6.1.26", "org.virtualbox.kext.VBoxNetAdp 6.1.26"}},
    {"kmutil_showloaded_macos13.2_powershell-textutility.txt", 30,
     {"com.apple.kpi.bsd 22.3.0", "com.apple.kext.AMDRadeonX6000 4.0.9",
      "com.apple.driver.ApplePlatformEnabler 2.7.0d0", "com.apple.filesystems.afpfs 11.4"}},
};

/* The kernel-extension-policy payloads of each profile. */
static const struct {
    const char *file;
    int payloads;            /* how many such payloads the profile holds */
    kc_tri overrides;        /* AllowUserOverrides */
    const char *teams;       /* AllowedTeamIdentifiers, in order, one space apart */
    const char *kexts;       /* AllowedKernelExtensions as "TEAM:BUNDLE-ID" */
} profile_expect[] = {
    {"apple-devdocs_SystemPolicyKernelExtensions_example.mobileconfig", 1, KC_NO, "ABCDE12345",
     ":com.example.mydriver ABCDE12345:com.example.kext.mydriver"},
    {"euc-samples_CrowdStrike_Falcon_Profile.mobileconfig", 1, KC_UNKNOWN, "X9E956P446", ""},
    {"kandji_Dropbox.mobileconfig", 1, KC_YES, "", "G7HH3F8CAK:com.getdropbox.dropbox.kext"},
    {"kandji_Sentinel-One-Combined-Profile.mobileconfig", 0, KC_UNKNOWN, "", ""},
    {"kandji_Sophos_Central_Settings_with_KEXT.mobileconfig", 1, KC_YES, "2H5GFH3774", ""},
    {"kandji_VirtualBox.mobileconfig", 1, KC_YES, "",
     "VB5E2TV963:org.virtualbox.kext.VBoxDrv VB5E2TV963:org.virtualbox.kext.VBoxUSB "
     "VB5E2TV963:org.virtualbox.kext.VBoxNetFlt VB5E2TV963:org.virtualbox.kext.VBoxNetAdp"},
    {"kandji_bitdefender_with_kext_settings.mobileconfig", 1, KC_YES, "GUNFMW623Y", ""},
    {"kandji_crowdstrike_settings_with_kext_macOS15.mobileconfig", 1, KC_UNKNOWN, "X9E956P446",
     ""},
    {"mdatp-xplat_kext.mobileconfig", 1, KC_NO, "UBF8T346G9", ""},
    {"mdatp-xplat_mdatp_combined_970f652a.mobileconfig", 1, KC_NO, "UBF8T346G9", ""},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- reporting ------------------------------------------------------------ */

typedef struct run_state {
    int failed;
    int passed;
    int skipped;
    /* which expectation rows were used, to catch rows naming no file */
    bool used_status[COUNT(consent_status_expect)];
    bool used_list[COUNT(consent_list_expect)];
    bool used_csrutil[COUNT(csrutil_expect)];
    bool used_loaded[COUNT(loaded_expect)];
    bool used_profile[COUNT(profile_expect)];
} run_state;

static void fail(run_state *rs, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(run_state *rs, const char *file, const char *fmt, ...)
{
    va_list ap;

    printf("FAIL %s: ", file);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    rs->failed++;
}

static void pass(run_state *rs, const char *file, const char *what)
{
    printf("ok   %s: %s\n", file, what);
    rs->passed++;
}

static const char *tri_name(kc_tri t)
{
    return t == KC_YES ? "yes" : t == KC_NO ? "no" : "unknown";
}

static const char *sip_name(kc_sip s)
{
    switch (s) {
    case KC_SIP_ENABLED:
        return "enabled";
    case KC_SIP_DISABLED:
        return "disabled";
    case KC_SIP_CUSTOM:
        return "custom";
    default:
        return "unknown";
    }
}

/* The strings of sv joined with single spaces, into buf (cut to fit). */
static const char *joined(const kc_strv *sv, char *buf, size_t len)
{
    size_t o = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < sv->n && o < len; i++) {
        int n = snprintf(buf + o, len - o, "%s%s", i > 0 ? " " : "", sv->v[i]);
        if (n < 0)
            break;
        o += (size_t)n;
    }
    return buf;
}

/* ---- the capture checks --------------------------------------------------- */

typedef void (*check_fn)(run_state *rs, const char *file, const char *text, size_t len);

static void evidence_init(kc_evidence *ev)
{
    memset(ev, 0, sizeof(*ev));
    kc_evidence_free(ev);
}

static void check_consent_status(run_state *rs, const char *file, const char *text, size_t len)
{
    kc_evidence ev;
    char why[1024];

    evidence_init(&ev);
    for (size_t i = 0; i < COUNT(consent_status_expect); i++) {
        if (strcmp(consent_status_expect[i].file, file) != 0)
            continue;
        rs->used_status[i] = true;
        if (kc_parse_consent_status(text, len, &ev, why, sizeof(why)) != 0)
            fail(rs, file, "refused: %s", why);
        else if (ev.consent_enabled != consent_status_expect[i].enabled)
            fail(rs, file, "consent %s, expected %s", tri_name(ev.consent_enabled),
                 tri_name(consent_status_expect[i].enabled));
        else
            pass(rs, file, tri_name(ev.consent_enabled));
        kc_evidence_free(&ev);
        return;
    }
    fail(rs, file, "no expectation in consent_status_expect");
}

static void check_consent_list(run_state *rs, const char *file, const char *text, size_t len)
{
    kc_evidence ev;
    char why[1024], got[512];

    evidence_init(&ev);
    for (size_t i = 0; i < COUNT(consent_list_expect); i++) {
        if (strcmp(consent_list_expect[i].file, file) != 0)
            continue;
        rs->used_list[i] = true;
        if (kc_parse_consent_list(text, len, &ev, why, sizeof(why)) != 0)
            fail(rs, file, "refused: %s", why);
        else if (strcmp(joined(&ev.consent_teams, got, sizeof(got)),
                        consent_list_expect[i].teams) != 0)
            fail(rs, file, "teams \"%s\", expected \"%s\"", got, consent_list_expect[i].teams);
        else
            pass(rs, file, got[0] != '\0' ? got : "no teams");
        kc_evidence_free(&ev);
        return;
    }
    fail(rs, file, "no expectation in consent_list_expect");
}

static void check_csrutil(run_state *rs, const char *file, const char *text, size_t len)
{
    kc_evidence ev;
    char why[1024], what[128];

    evidence_init(&ev);
    for (size_t i = 0; i < COUNT(csrutil_expect); i++) {
        if (strcmp(csrutil_expect[i].file, file) != 0)
            continue;
        rs->used_csrutil[i] = true;
        if (kc_parse_csrutil(text, len, &ev, why, sizeof(why)) != 0) {
            fail(rs, file, "refused: %s", why);
        } else if (ev.sip != csrutil_expect[i].sip ||
                   ev.kext_signing != csrutil_expect[i].signing) {
            fail(rs, file, "SIP %s, Kext Signing %s; expected %s, %s", sip_name(ev.sip),
                 tri_name(ev.kext_signing), sip_name(csrutil_expect[i].sip),
                 tri_name(csrutil_expect[i].signing));
        } else {
            kc_snprintf(what, sizeof(what), "SIP %s, Kext Signing %s", sip_name(ev.sip),
                        tri_name(ev.kext_signing));
            pass(rs, file, what);
        }
        kc_evidence_free(&ev);
        return;
    }
    fail(rs, file, "no expectation in csrutil_expect");
}

static bool has_loaded(const kc_evidence *ev, const char *row)
{
    const char *sp = strchr(row, ' ');
    size_t n = sp != NULL ? (size_t)(sp - row) : strlen(row);

    for (size_t i = 0; i < ev->n_loaded; i++)
        if (strlen(ev->loaded[i].bundle_id) == n &&
            memcmp(ev->loaded[i].bundle_id, row, n) == 0 && sp != NULL &&
            strcmp(ev->loaded[i].version, sp + 1) == 0)
            return true;
    return false;
}

static void check_loaded(run_state *rs, const char *file, const char *text, size_t len)
{
    kc_evidence ev;
    char why[1024], what[128];

    evidence_init(&ev);
    for (size_t i = 0; i < COUNT(loaded_expect); i++) {
        bool ok = true;
        if (strcmp(loaded_expect[i].file, file) != 0)
            continue;
        rs->used_loaded[i] = true;
        if (kc_parse_loaded(text, len, &ev, why, sizeof(why)) != 0) {
            fail(rs, file, "refused: %s", why);
            kc_evidence_free(&ev);
            return;
        }
        if (ev.n_loaded != loaded_expect[i].rows) {
            fail(rs, file, "%zu rows, expected %zu", ev.n_loaded, loaded_expect[i].rows);
            ok = false;
        }
        for (size_t k = 0; k < MAX_MUST && loaded_expect[i].must[k] != NULL; k++) {
            if (!has_loaded(&ev, loaded_expect[i].must[k])) {
                fail(rs, file, "no row \"%s\"", loaded_expect[i].must[k]);
                ok = false;
            }
        }
        if (ok) {
            kc_snprintf(what, sizeof(what), "%zu rows", ev.n_loaded);
            pass(rs, file, what);
        }
        kc_evidence_free(&ev);
        return;
    }
    fail(rs, file, "no expectation in loaded_expect");
}

/* Which parser reads which capture, by file-name prefix (first match). */
static const struct {
    const char *prefix;
    check_fn check;   /* NULL: claimed by a parser not in this program */
    const char *note; /* why it is not checked here */
} parsers[] = {
    {"spctl_kext-consent_status", check_consent_status, NULL},
    {"spctl_kext-consent_list", check_consent_list, NULL},
    {"csrutil_", check_csrutil, NULL},
    {"kextstat_", check_loaded, NULL},
    {"kmutil_showloaded", check_loaded, NULL},
    /* Hook: Apple-silicon boot policy (`bputil -d`), parsed on another
     * branch; replace NULL by its check function when it is merged. */
    {"bputil-", NULL, "bputil -d output: checked by the boot-policy parser's test"},
};

/* ---- files ----------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the regular files in dir, sorted; -1 on error. */
static int list_files(const char *dir, char **names, size_t max, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int rc = -1;

    *n = 0;
    if (d == NULL) {
        kc_err(dir, "%s", strerror(errno));
        return -1;
    }
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (*n == max) {
            kc_err(dir, "more than %zu files", max);
            goto done;
        }
        names[*n] = kc_strdup(de->d_name);
        if (names[*n] == NULL) {
            kc_err(dir, "out of memory");
            goto done;
        }
        (*n)++;
    }
    qsort(names, *n, sizeof(*names), cmp_str);
    rc = 0;
done:
    closedir(d);
    return rc;
}

static void check_outputs(run_state *rs, const char *dir)
{
    char *names[MAX_FILES];
    size_t n = 0;

    if (list_files(dir, names, MAX_FILES, &n) != 0) {
        rs->failed++;
        return;
    }
    if (n == 0)
        fail(rs, dir, "no captures");
    for (size_t i = 0; i < n; i++) {
        char *path = kc_asprintf("%s/%s", dir, names[i]), *text = NULL;
        char why[512];
        size_t len = 0, p;

        for (p = 0; p < COUNT(parsers); p++)
            if (strncmp(names[i], parsers[p].prefix, strlen(parsers[p].prefix)) == 0)
                break;
        if (path == NULL) {
            fail(rs, names[i], "out of memory");
        } else if (p == COUNT(parsers)) {
            fail(rs, names[i], "no parser claims this file (add its prefix to `parsers`)");
        } else if (parsers[p].check == NULL) {
            printf("skip %s: %s\n", names[i], parsers[p].note);
            rs->skipped++;
        } else if (kc_read_file(path, KC_CAPTURE_MAX, &text, &len, why, sizeof(why)) != 0) {
            fail(rs, names[i], "%s", why);
        } else {
            parsers[p].check(rs, names[i], text, len);
        }
        free(text);
        free(path);
        free(names[i]);
    }
}

/* ---- profiles ---------------------------------------------------------------- */

static int write_plist(const char *path, plist_t pl, bool binary)
{
    char *data = NULL;
    uint32_t len = 0;
    FILE *f;
    int rc = -1;

    if (binary)
        plist_to_bin(pl, &data, &len);
    else
        plist_to_xml(pl, &data, &len);
    if (data == NULL)
        return -1;
    f = fopen(path, "wb");
    if (f != NULL) {
        rc = fwrite(data, 1, len, f) == len ? 0 : -1;
        if (fclose(f) != 0)
            rc = -1;
    }
    if (binary)
        plist_to_bin_free(data);
    else
        plist_to_xml_free(data);
    return rc;
}

/* The MDM kexts as "TEAM:BUNDLE TEAM:BUNDLE". */
static const char *joined_kexts(const kc_kext_policy *p, char *buf, size_t len)
{
    size_t o = 0;

    buf[0] = '\0';
    for (size_t t = 0; t < p->allowed.n; t++) {
        const kc_team_ids *team = &p->allowed.v[t];
        for (size_t i = 0; i < team->ids.n && o < len; i++) {
            int n = snprintf(buf + o, len - o, "%s%s:%s", o > 0 ? " " : "", team->team_id,
                             team->ids.v[i]);
            if (n < 0)
                break;
            o += (size_t)n;
        }
    }
    return buf;
}

/* Reads one payload, written to work as XML and as binary; 0 when it gave
 * what row i expects. */
static int check_payload(run_state *rs, const char *file, size_t i, plist_t payload,
                         const char *work)
{
    char *path = kc_asprintf("%s/payload.plist", work);
    char why[1024], teams[512], kexts[2048];
    int bad = 0;

    if (path == NULL) {
        fail(rs, file, "out of memory");
        return -1;
    }
    for (int binary = 0; binary < 2; binary++) {
        kc_kext_policy p;
        char *data = NULL;
        size_t len = 0;
        const char *form = binary ? "binary" : "XML";
        memset(&p, 0, sizeof(p));
        if (write_plist(path, payload, binary) != 0) {
            fail(rs, file, "could not write %s", path);
            bad = -1;
        } else if (kc_read_file(path, KC_PLIST_MAX, &data, &len, why, sizeof(why)) != 0) {
            fail(rs, file, "%s payload not read back: %s", form, why);
            bad = -1;
        } else if (kc_parse_kext_policy(data, len, &p, why, sizeof(why)) != 0) {
            fail(rs, file, "%s payload refused: %s", form, why);
            bad = -1;
        } else if (p.allow_user_overrides != profile_expect[i].overrides) {
            fail(rs, file, "%s: AllowUserOverrides %s, expected %s", form,
                 tri_name(p.allow_user_overrides), tri_name(profile_expect[i].overrides));
            bad = -1;
        } else if (strcmp(joined(&p.allowed_teams, teams, sizeof(teams)),
                          profile_expect[i].teams) != 0) {
            fail(rs, file, "%s: teams \"%s\", expected \"%s\"", form, teams,
                 profile_expect[i].teams);
            bad = -1;
        } else if (strcmp(joined_kexts(&p, kexts, sizeof(kexts)), profile_expect[i].kexts) !=
                   0) {
            fail(rs, file, "%s: kexts \"%s\", expected \"%s\"", form, kexts,
                 profile_expect[i].kexts);
            bad = -1;
        }
        kc_kext_policy_free(&p);
        free(data);
    }
    if (unlink(path) != 0 && errno != ENOENT)
        bad = -1;
    free(path);
    return bad;
}

static void check_profile(run_state *rs, const char *dir, const char *file, const char *work)
{
    char *path = kc_asprintf("%s/%s", dir, file);
    char why[512];
    plist_t root = NULL, content;
    size_t row;
    int found = 0, bad = 0;

    for (row = 0; row < COUNT(profile_expect); row++)
        if (strcmp(profile_expect[row].file, file) == 0)
            break;
    if (path == NULL) {
        fail(rs, file, "out of memory");
        goto done;
    }
    if (row == COUNT(profile_expect)) {
        fail(rs, file, "no expectation in profile_expect");
        goto done;
    }
    rs->used_profile[row] = true;
    root = kc_plist_load(path, why, sizeof(why));
    if (root == NULL) {
        fail(rs, file, "%s", why);
        goto done;
    }
    content = plist_dict_get_item(root, "PayloadContent");
    for (uint32_t k = 0; k < plist_array_get_size(content); k++) {
        plist_t payload = plist_array_get_item(content, k);
        plist_t type = plist_dict_get_item(payload, "PayloadType");
        if (plist_get_node_type(type) != PLIST_STRING ||
            plist_string_val_compare(type, "com.apple.syspolicy.kernel-extension-policy") != 0)
            continue;
        found++;
        if (check_payload(rs, file, row, payload, work) != 0)
            bad = 1;
    }
    if (found != profile_expect[row].payloads)
        fail(rs, file, "%d kernel-extension-policy payloads, expected %d", found,
             profile_expect[row].payloads);
    else if (!bad)
        pass(rs, file, found > 0 ? "kernel-extension-policy payload read as XML and binary"
                                 : "no kernel-extension-policy payload");
done:
    if (root != NULL)
        plist_free(root);
    free(path);
}

static void check_profiles(run_state *rs, const char *dir, const char *work)
{
    char *names[MAX_FILES];
    size_t n = 0;

    if (list_files(dir, names, MAX_FILES, &n) != 0) {
        rs->failed++;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        if (len > 13 && strcmp(names[i] + len - 13, ".mobileconfig") == 0)
            check_profile(rs, dir, names[i], work);
        else
            fail(rs, names[i], "not a .mobileconfig");
        free(names[i]);
    }
}

/* Expectation rows that named no file. */
static void check_unused(run_state *rs)
{
    for (size_t i = 0; i < COUNT(consent_status_expect); i++)
        if (!rs->used_status[i])
            fail(rs, consent_status_expect[i].file, "expected, but not in outputs/");
    for (size_t i = 0; i < COUNT(consent_list_expect); i++)
        if (!rs->used_list[i])
            fail(rs, consent_list_expect[i].file, "expected, but not in outputs/");
    for (size_t i = 0; i < COUNT(csrutil_expect); i++)
        if (!rs->used_csrutil[i])
            fail(rs, csrutil_expect[i].file, "expected, but not in outputs/");
    for (size_t i = 0; i < COUNT(loaded_expect); i++)
        if (!rs->used_loaded[i])
            fail(rs, loaded_expect[i].file, "expected, but not in outputs/");
    for (size_t i = 0; i < COUNT(profile_expect); i++)
        if (!rs->used_profile[i])
            fail(rs, profile_expect[i].file, "expected, but not in profiles/");
}

int main(int argc, char **argv)
{
    run_state rs;
    char *outputs = NULL, *profiles = NULL;
    int rc = 2;

    if (argc != 3) {
        fprintf(stderr, "usage: realworld DIR WORKDIR\n");
        return 2;
    }
    memset(&rs, 0, sizeof(rs));
    if (mkdir(argv[2], 0700) != 0 && errno != EEXIST) {
        kc_err(argv[2], "%s", strerror(errno));
        return 2;
    }
    outputs = kc_asprintf("%s/outputs", argv[1]);
    profiles = kc_asprintf("%s/profiles", argv[1]);
    if (outputs == NULL || profiles == NULL) {
        kc_err("realworld", "out of memory");
        goto done;
    }
    check_outputs(&rs, outputs);
    check_profiles(&rs, profiles, argv[2]);
    check_unused(&rs);
    printf("%d passed, %d failed, %d skipped (claimed by a parser checked elsewhere)\n",
           rs.passed, rs.failed, rs.skipped);
    rc = rs.failed == 0 ? 0 : 1;
done:
    free(outputs);
    free(profiles);
    return rc;
}
