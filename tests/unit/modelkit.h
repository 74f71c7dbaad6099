/* kc_model values built by hand, for the judge and advise unit tests.
 *
 * A rule is tested with a literal evidence value in a few lines:
 *
 *     mk_model k;
 *     kc_vendor_evidence *ve;
 *     mk_init(&k);
 *     ve = mk_vendor(&k, "example", MK_TEAM, mk_guard, NULL);
 *     mk_policy(ve, MK_TEAM, MK_GUARD, 0, "Example, Inc.");
 *     mk_bundle(ve, MK_INSTALLED, MK_GUARD_PATH, MK_GUARD, "2.0");
 *     mk_sip(&k, KC_SIP_DISABLED, KC_NO);
 *     mk_expect_codes(&mk_judge(&k)->vendors[0], "");
 *     mk_free(&k);
 *
 * The model is what read.c would make of a snapshot folder MK_ROOT that
 * holds only the approval database: every other source is absent (present
 * and ok false, origin and error as gather.c writes them), the database is
 * fine, and the startup volume's name is unknown (kc_host.recovery).  So the
 * macOS version, the machine (Intel or Apple silicon) and its boot policy
 * are unknown until mk_os, mk_machine and mk_bputil say otherwise.  Each
 * mk_* call below then adds one piece of evidence the way read.c would
 * record it.  Every string is copied, so kc_model_free releases it all.
 *
 * Like testutil.h, every function checks what it does and fails the running
 * cmocka test (fail_msg) instead of returning an error. */
#ifndef KC_MODELKIT_H
#define KC_MODELKIT_H

#include "model.h"

#define MK_ROOT "/case"
#define MK_DB_PATH MK_ROOT KC_POLICY_DB_PATH

/* The declaration mk_vendor makes: the vendor, its team, its kexts and the
 * install and staged paths every test vendor declares. */
#define MK_VENDOR "Example Security"
#define MK_DEVELOPER "Example, Inc."
#define MK_TEAM "ABCDE12345"
#define MK_OTHER "ZZZZZ99999"
#define MK_GUARD "com.example.guard"
#define MK_FILTER "com.example.filter"
#define MK_SYSEXT "com.example.guard.sysext"
#define MK_GUARD_PATH "/Library/Extensions/Guard.kext"
#define MK_FILTER_PATH "/Library/Extensions/Filter.kext"
#define MK_SUPPORT_DIR "/Library/Application Support/Example"
#define MK_STAGED_GUARD "/Library/StagedExtensions/Library/Extensions/Guard.kext"
#define MK_STAGED_FILTER "/Library/StagedExtensions/Library/Extensions/Filter.kext"
#define MK_STAGED_SUPPORT "/Library/StagedExtensions/Library/Application Support/Example"

/* Origins as gather.c writes them for the snapshot MK_ROOT. */
#define MK_O_STATUS "file " MK_ROOT "/" KC_CAPTURE_DIR "/spctl-kext-consent-status.txt"
#define MK_O_LIST "file " MK_ROOT "/" KC_CAPTURE_DIR "/spctl-kext-consent-list.txt"
#define MK_O_SIP "file " MK_ROOT "/" KC_CAPTURE_DIR "/csrutil-status.txt"
#define MK_O_LOADED "file " MK_ROOT "/" KC_CAPTURE_DIR "/kextstat.txt"
#define MK_O_OS "file " MK_ROOT KC_SYSTEM_VERSION_PLIST
#define MK_O_MDM "file " MK_ROOT KC_MDM_POLICY_PLIST
#define MK_O_SYSEXT "file " MK_ROOT KC_SYSEXT_DB_PLIST
#define MK_O_UNAME "file " MK_ROOT "/" KC_CAPTURE_DIR "/uname-m.txt"
#define MK_O_ARM64 "file " MK_ROOT "/" KC_CAPTURE_DIR "/sysctl-hw-optional-arm64.txt"
#define MK_O_BPUTIL "file " MK_ROOT "/" KC_CAPTURE_DIR "/bputil-d.txt"
#define MK_O_SYSEXT_MDM "file " MK_ROOT KC_SYSEXT_MDM_PLIST
#define MK_O_VMM "file " MK_ROOT "/" KC_CAPTURE_DIR "/sysctl-kern-hv-vmm-present.txt"
#define MK_O_DISKUTIL "file " MK_ROOT "/" KC_CAPTURE_DIR "/diskutil-info.txt"

#define MK_MAX_VENDORS 8

/* NULL-terminated lists for mk_vendor. */
extern const char *const mk_guard[];        /* MK_GUARD */
extern const char *const mk_guard_filter[]; /* MK_GUARD, MK_FILTER */
extern const char *const mk_sysext[];       /* MK_SYSEXT */

typedef struct mk_model {
    kc_model m;
    kc_vendor decl[MK_MAX_VENDORS]; /* the validated declarations m.vendors point at */
    kc_refusal refused[8];          /* m.refused: only their number matters to judge */
    kc_result r;                    /* filled by mk_judge */
    bool judged;
} mk_model;

/* The model of MK_ROOT described above, with no vendor. */
void mk_init(mk_model *k);
/* Frees the result, the model and the declarations. */
void mk_free(mk_model *k);

/* A plugin descriptor as a vendor's plugin would give it (vendor
 * MK_VENDOR, developer MK_DEVELOPER, the MK_*_PATH paths); a test may
 * change a field before mk_vendor_from. */
struct kc_plugin mk_plugin(const char *name, const char *team, const char *const *kexts,
                           const char *const *sysexts);
/* Validates desc (kc_plugin_validate) and adds its vendor evidence as
 * read.c starts it: every declared path absent, no bundle, no row. */
kc_vendor_evidence *mk_vendor_from(mk_model *k, const struct kc_plugin *desc);
kc_vendor_evidence *mk_vendor(mk_model *k, const char *name, const char *team,
                              const char *const *kexts, const char *const *sysexts);

/* ---- a vendor's evidence ---- */

/* Rows as kc_policydb_query returns them (strings copied, NULL kept). */
kc_policy_row *mk_policy(kc_vendor_evidence *ve, const char *team, const char *bundle,
                         int allowed, const char *developer);
kc_mdm_row *mk_mdm(kc_vendor_evidence *ve, const char *team, const char *bundle, int allowed);
kc_history_row *mk_history(kc_vendor_evidence *ve, const char *team, const char *bundle,
                           const char *path, const char *last_seen);

typedef enum { MK_INSTALLED, MK_STAGED } mk_where;
/* A kext bundle kc_bundles_scan found at mac_path, which must lie at or
 * below one of the vendor's declared paths of that kind; those paths become
 * present.  version sets both CFBundleVersion and the short version. */
kc_bundle *mk_bundle(kc_vendor_evidence *ve, mk_where where, const char *mac_path,
                     const char *bundle, const char *version);
/* A bundle whose Info.plist could not be used (no bundle ID, no version). */
kc_bundle *mk_bad_bundle(kc_vendor_evidence *ve, mk_where where, const char *mac_path,
                         const char *error);
/* The declared path p exists (an empty folder). */
/* A bundle of other software in /Library/Extensions or /Library/
 * StagedExtensions (the host's scan); error: why it cannot be used, or NULL. */
kc_bundle *mk_other_kext(mk_model *k, const char *mac_path, const char *bundle,
                         const char *error);
void mk_present(kc_vendor_evidence *ve, const char *p);
/* The database opened but this vendor's query failed. */
void mk_query_error(kc_vendor_evidence *ve, const char *error);

/* ---- the host's evidence ---- */

/* The approval database in another state, with its error. */
void mk_db(mk_model *k, kc_db_state state, const char *error);
/* The startup volume's name as the evidence gives it (NULL: unknown). */
void mk_recovery(mk_model *k, const char *volume);

/* The source of one piece of host evidence (KC_HOST_CONSENT_STATUS ...
 * KC_HOST_SYSEXTS). */
kc_source *mk_src(mk_model *k, kc_host_item item);
/* That source was there but could not be used (a parse error, EACCES...);
 * what was recorded from it stays, as a parser may leave it. */
void mk_unreadable(mk_model *k, kc_host_item item, const char *error);
/* That source was not there at all (present false), with gather's words. */
void mk_absent(mk_model *k, kc_host_item item);

/* Read and understood, each marking its source ok: */
void mk_sip(mk_model *k, kc_sip sip, kc_tri kext_signing);
void mk_consent(mk_model *k, kc_tri enabled);
void mk_consent_list(mk_model *k, const char *const *teams); /* NULL-terminated, may be empty */
void mk_loaded_list(mk_model *k);                            /* the list, maybe empty */
void mk_loaded(mk_model *k, const char *bundle, const char *version);
/* The installed MDM kernel-extension policy (h->kext_mdm, as
 * kc_parse_kext_policy leaves it): a team in AllowedTeamIdentifiers; a
 * bundle ID under a team in AllowedKernelExtensions (bundle NULL: the team's
 * key with an empty list); AllowUserOverrides and
 * AllowNonAdminUserApprovals (KC_UNKNOWN: the key is absent, which the
 * judge reads as false). */
void mk_mdm_team(mk_model *k, const char *team);
void mk_mdm_kext(mk_model *k, const char *team, const char *bundle);
void mk_mdm_overrides(mk_model *k, kc_tri allow);
void mk_mdm_non_admin(mk_model *k, kc_tri allow);
/* The policy as a literal plist (XML text) gives it, parsed with
 * kc_parse_kext_policy; the test fails if it does not parse. */
void mk_mdm_policy(mk_model *k, const char *plist);
void mk_os(mk_model *k, const char *version, int major, int minor);
kc_sysext *mk_sysext_entry(mk_model *k, const char *id, const char *team, const char *state);
/* The machine as `uname -m` and `sysctl -n hw.optional.arm64` give it
 * (platform.c's parsers): each value other than KC_UNAME_UNKNOWN /
 * KC_SYSCTL_UNKNOWN marks its source read; an unknown one leaves its
 * source as it is (absent, unless the test changed it). */
void mk_machine(mk_model *k, kc_uname_arch uname, kc_sysctl_flag arm64);
/* `bputil -d` read: one "Current local policy" block with this Security
 * Mode and 3rd Party Kexts Status (KC_BOOT_SECURITY_UNKNOWN, KC_UNKNOWN:
 * that line was not in the output); the MDM and SIP lines absent. */
void mk_bputil(mk_model *k, kc_boot_security security, kc_tri third_party_kexts);

/* n refused plugins beside the vendors. */
void mk_refused(mk_model *k, size_t n);

/* ---- the stages ---- */

/* kc_judge (again, after a previous result is freed); the test fails
 * unless it returns 0. */
kc_result *mk_judge(mk_model *k);
/* mk_judge, then kc_advise. */
kc_result *mk_advise(mk_model *k);

/* ---- looking at a result ---- */

/* The codes of the vendor's own findings, joined by spaces, must be want. */
void mk_expect_codes(const kc_vendor_result *vr, const char *want);
/* The codes of the host findings vr refers to, in host_refs order. */
void mk_expect_refs(const kc_result *r, const kc_vendor_result *vr, const char *want);
/* The codes of all host findings, in order. */
void mk_expect_host(const kc_result *r, const char *want);
/* The vendor's own finding with this code (and subject, when not NULL). */
const kc_finding *mk_finding(const kc_vendor_result *vr, kc_code code, const char *subject);
bool mk_has_code(const kc_vendor_result *vr, kc_code code);
/* The host finding with this code (and item, when not KC_HOST_NONE). */
const kc_finding *mk_host_finding(const kc_result *r, kc_code code, kc_host_item item);
/* The i-th host finding vr refers to. */
const kc_finding *mk_ref(const kc_result *r, const kc_vendor_result *vr, size_t i);

kc_severity mk_sev(const kc_finding *f);
kc_rung mk_rung(const kc_finding *f);

/* A worded finding has a step / an evidence line containing s. */
bool mk_step_has(const kc_finding *f, const char *s);
bool mk_evidence_has(const kc_finding *f, const char *s);
void mk_expect_step(const kc_finding *f, const char *s);
void mk_expect_no_step(const kc_finding *f, const char *s);
void mk_expect_evidence(const kc_finding *f, const char *s);
void mk_expect_message(const kc_finding *f, const char *s);
/* Prints a worded finding (on a failure). */
void mk_show(const kc_finding *f);

#endif
