/* Evidence about the Mac itself and about the causes beyond approval:
 * Apple silicon boot policy (bputil), architecture (uname -m, sysctl),
 * virtual machine (sysctl), boot volume (diskutil info /), code signature
 * (codesign -dv --verbose=4), and the MDM system-extension and
 * kernel-extension policies (managed-preferences plist, .mobileconfig).
 *
 * Every parser is a pure function of the bytes it is given (len bytes, not
 * necessarily NUL-terminated, at most KC_TEXT_MAX_BYTES = 1 MiB): it fills
 * *out and returns 0, or returns -1 with a reason in why ("line N: expected
 * X, got "..."") and leaves *out in its "nothing known" state.  They accept
 * only what the tools print (CRLF, trailing blanks and empty lines
 * allowed); anything else is a reason, never a guess.  Structures that own
 * memory have a _free function that also resets them to "nothing known";
 * their parsers free *out first, so *out must be zero-initialised or hold
 * a previous result.  The other structures are plain values.
 *
 * Needs from kc.h only kc_tri and kc_strv. */
#ifndef KC_PLATFORM_H
#define KC_PLATFORM_H

#include "kc.h"
#include "textlines.h" /* KC_TEXT_MAX_BYTES */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- bputil -d / bputil --display-all-policies (Apple silicon, root) ---- */

typedef enum kc_boot_security {
    KC_BOOT_SECURITY_UNKNOWN = 0,
    KC_BOOT_SECURITY_FULL,       /* "Security Mode: Full (smb0): absent" */
    KC_BOOT_SECURITY_REDUCED,    /* "Security Mode: Reduced (smb0): 1" */
    KC_BOOT_SECURITY_PERMISSIVE, /* "Security Mode: Permissive (smb0 && smb1): 1" */
} kc_boot_security;

/* The lines of interest of one local policy; KC_UNKNOWN where the line
 * was not in the output (grep excerpts, failed blocks). */
typedef struct kc_boot_policy_values {
    kc_boot_security security; /* smb0 */
    kc_tri third_party_kexts;  /* "3rd Party Kexts Status: Enabled (smb2)" */
    kc_tri user_mdm;           /* "User-allowed MDM Control: Enabled (smb3)" */
    kc_tri dep_mdm;            /* "DEP-allowed MDM Control: Enabled (smb4)" */
    kc_tri sip;                /* "SIP Status: Enabled (sip0)": YES = enabled */
} kc_boot_policy_values;

#define KC_BPUTIL_MAX_BLOCKS 16
#define KC_BPUTIL_VG_MAX 80

typedef struct kc_boot_policy_block {
    /* From "Local policy for volume group X:" (as printed, may be redacted);
     * "" for "Current local policy:" and for lines before any header. */
    char volume_group[KC_BPUTIL_VG_MAX + 1];
    bool current;      /* the block is headed "Current local policy:" */
    size_t line;       /* 1-based line where the block starts */
    bool any;          /* at least one line of interest */
    kc_boot_policy_values v;
} kc_boot_policy_block;

typedef struct kc_boot_policy {
    /* The summary: the block headed "Current local policy:" if there is
     * one, else the first block that has a line of interest.  With
     * --display-all-policies bputil does not say which installation is
     * booted, so several blocks that differ set blocks_differ and the
     * caller should show them all (blocks[]). */
    kc_boot_policy_values v;
    size_t summary_block;  /* index into blocks[] */
    size_t n_blocks;       /* policy blocks seen (may exceed KC_BPUTIL_MAX_BLOCKS) */
    size_t n_stored;       /* blocks kept in blocks[] */
    size_t n_failed;       /* "Failed to display local policy for volume group X" */
    bool blocks_differ;    /* two blocks with lines of interest disagree */
    kc_boot_policy_block blocks[KC_BPUTIL_MAX_BLOCKS];
} kc_boot_policy;

/* Refuses text that has none of the five lines of interest. */
int kc_parse_bputil(const char *text, size_t len, kc_boot_policy *out, char *why,
                    size_t whylen);
const char *kc_boot_security_name(kc_boot_security s); /* "full", "reduced", ... */

/* ---- architecture and virtual machine ---------------------------------- */

typedef enum kc_uname_arch {
    KC_UNAME_UNKNOWN = 0,
    KC_UNAME_ARM64,  /* "arm64" */
    KC_UNAME_X86_64, /* "x86_64" (Intel, or a process under Rosetta) */
} kc_uname_arch;

/* `uname -m`: exactly "arm64" or "x86_64" on one line. */
int kc_parse_uname_m(const char *text, size_t len, kc_uname_arch *out, char *why,
                     size_t whylen);

/* A boolean sysctl read with `sysctl -n NAME`. */
typedef enum kc_sysctl_flag {
    KC_SYSCTL_UNKNOWN = 0,
    KC_SYSCTL_0,      /* printed "0" */
    KC_SYSCTL_1,      /* printed "1" */
    KC_SYSCTL_ABSENT, /* the command failed with no output, or with
                         "sysctl: unknown oid 'NAME'": no such key */
} kc_sysctl_flag;

/* failed: the command exited non-zero.  "0"/"1" with failed, or nothing
 * without it, are refused. */
int kc_parse_sysctl_flag(const char *name, const char *text, size_t len, bool failed,
                         kc_sysctl_flag *out, char *why, size_t whylen);
/* `sysctl -n hw.optional.arm64`: 1 on Apple silicon (also under Rosetta);
 * 0 or absent on Intel. */
int kc_parse_hw_optional_arm64(const char *text, size_t len, bool failed,
                               kc_sysctl_flag *out, char *why, size_t whylen);
/* `sysctl -n kern.hv_vmm_present`: KC_YES in a virtual machine, KC_NO on
 * hardware, KC_UNKNOWN (and 0) when the key does not exist (older macOS). */
int kc_parse_hv_vmm_present(const char *text, size_t len, bool failed, kc_tri *out,
                            char *why, size_t whylen);

typedef enum kc_machine {
    KC_MACHINE_UNKNOWN = 0,
    KC_MACHINE_INTEL,
    KC_MACHINE_APPLE_SILICON,
} kc_machine;

/* Apple silicon when either source says so (uname says x86_64 under
 * Rosetta, sysctl still says 1); Intel when uname says x86_64 and the
 * sysctl is 0 or absent; unknown otherwise.  *rosetta (may be NULL) is set
 * when uname says x86_64 and the sysctl says 1. */
kc_machine kc_machine_from(kc_uname_arch uname, kc_sysctl_flag arm64, bool *rosetta);
const char *kc_machine_name(kc_machine m); /* "intel", "apple-silicon", "unknown" */

/* ---- diskutil info / ------------------------------------------------------ */

typedef enum kc_disk_location {
    KC_DISK_LOCATION_UNKNOWN = 0, /* no "Device Location:" line */
    KC_DISK_LOCATION_INTERNAL,
    KC_DISK_LOCATION_EXTERNAL,
} kc_disk_location;

typedef struct kc_boot_volume {
    char *device_identifier; /* "disk3s1s1" (required) */
    char *volume_name;       /* "Macintosh HD"; NULL without the line.  Recovery
                                shows the Data volume as "/Volumes/<name> - Data" */
    char *mount_point;       /* "/"; NULL without the line */
    char *protocol;          /* "Apple Fabric", "PCI-Express", "USB"...; NULL without */
    kc_disk_location location;
    char *bay;               /* a Mac Pro's second "Device Location: \"Bay 4\"" line,
                                without the quotes; NULL without */
} kc_boot_volume;

int kc_parse_diskutil_info(const char *text, size_t len, kc_boot_volume *out, char *why,
                           size_t whylen);
void kc_boot_volume_free(kc_boot_volume *v);

/* ---- codesign -dv --verbose=4 BUNDLE (its stderr) --------------------------- */

#define KC_CODESIGN_MAX_AUTHORITIES 4

typedef struct kc_codesign {
    kc_tri is_signed;        /* YES: a signature (ad hoc or certificate); NO: "code
                                object is not signed at all"; UNKNOWN: other errors */
    bool adhoc;              /* "Signature=adhoc" */
    char *executable;        /* Executable= */
    char *identifier;        /* Identifier= */
    char *format;            /* Format= */
    kc_strv archs;           /* from Format "Mach-O thin (arm64)" / "universal (...)" */
    kc_tri has_arm64e;       /* UNKNOWN when Format names no architectures */
    char *team_id;           /* TeamIdentifier=; NULL when "not set" or absent */
    bool team_not_set;       /* "TeamIdentifier=not set" */
    char *authorities[KC_CODESIGN_MAX_AUTHORITIES]; /* Authority= lines, leaf first */
    size_t n_authorities;    /* stored */
    size_t n_authority_lines;/* seen (may exceed the stored ones) */
    char *timestamp;         /* Timestamp= (secure) or Signed Time= (signer's clock) */
    bool secure_timestamp;   /* the timestamp came from "Timestamp=" */
    kc_tri stapled;          /* "Notarization Ticket=stapled": YES; a signed output
                                without it: NO; unsigned or error: UNKNOWN */
    bool has_cd_flags;
    uint32_t cd_flags;       /* CodeDirectory ... flags=0x10000(runtime) */
    kc_tri hardened_runtime; /* flags bit 0x10000 */
    char *error;             /* the error line ("PATH: code object is not signed at
                                all"), NULL when the signature was displayed */
    size_t n_warnings;       /* "warning: ..." lines */
} kc_codesign;

int kc_parse_codesign(const char *text, size_t len, kc_codesign *out, char *why,
                      size_t whylen);
void kc_codesign_free(kc_codesign *c);

/* ---- MDM policies (plists) ---------------------------------------------- */

/* team ID -> bundle IDs (or extension types) */
typedef struct kc_team_ids {
    char *team_id;  /* 10 characters A-Z0-9; "" only where the payload allows it */
    kc_strv ids;
} kc_team_ids;

typedef struct kc_team_map {
    kc_team_ids *v;
    size_t n;
} kc_team_map;

/* com.apple.system-extension-policy (payload, or the managed-preferences
 * file /Library/Managed Preferences/com.apple.system-extension-policy.plist). */
typedef struct kc_sysext_policy {
    kc_tri allow_user_overrides;  /* the key; absent means true (the default) */
    kc_strv allowed_teams;        /* AllowedTeamIdentifiers */
    kc_team_map allowed;          /* AllowedSystemExtensions */
    kc_team_map allowed_types;    /* AllowedSystemExtensionTypes */
    kc_team_map removable;        /* RemovableSystemExtensions (12+) */
    kc_team_map non_removable;    /* NonRemovableSystemExtensions (15+) */
    kc_team_map non_removable_ui; /* NonRemovableFromUISystemExtensions (15+) */
} kc_sysext_policy;

/* com.apple.syspolicy.kernel-extension-policy. */
typedef struct kc_kext_policy {
    kc_tri allow_user_overrides;       /* absent means false (the default) */
    kc_tri allow_non_admin_approvals;  /* absent means false (the default) */
    kc_strv allowed_teams;             /* AllowedTeamIdentifiers */
    kc_team_map allowed;               /* AllowedKernelExtensions; key "" = unsigned */
} kc_kext_policy;

/* data: a whole XML or binary plist whose top level is the policy dict. */
int kc_parse_sysext_policy(const char *data, size_t len, kc_sysext_policy *out, char *why,
                           size_t whylen);
/* 1 read, 0 the file does not exist, -1 with why. */
int kc_read_sysext_policy(const char *path, kc_sysext_policy *out, char *why, size_t whylen);
void kc_sysext_policy_free(kc_sysext_policy *p);
int kc_parse_kext_policy(const char *data, size_t len, kc_kext_policy *out, char *why,
                         size_t whylen);
void kc_kext_policy_free(kc_kext_policy *p);

#define KC_PROFILE_MAX_POLICIES 16

/* The two policy payloads of a configuration profile (.mobileconfig,
 * unsigned XML or binary plist: outer dict with PayloadContent, an array
 * of payload dicts with PayloadType).  Other payload types are counted. */
typedef struct kc_profile {
    char *identifier;    /* outer PayloadIdentifier, NULL when absent */
    char *display_name;  /* outer PayloadDisplayName, NULL when absent */
    size_t n_payloads;   /* PayloadContent entries */
    kc_kext_policy kext[KC_PROFILE_MAX_POLICIES];
    size_t n_kext;
    kc_sysext_policy sysext[KC_PROFILE_MAX_POLICIES];
    size_t n_sysext;
} kc_profile;

/* A CMS-signed profile is refused with a reason saying so. */
int kc_parse_profile(const char *data, size_t len, kc_profile *out, char *why, size_t whylen);
void kc_profile_free(kc_profile *p);

#endif
