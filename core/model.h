/*
 * The model: what kextcheck knows about one Mac, as plain data.
 *
 * Three stages meet here (docs/architecture.md):
 *   read   (read.c)    fills a kc_model from the Mac's files and commands;
 *                      the only stage that touches the file system, SQLite
 *                      or other processes;
 *   judge  (judge.c)   turns a kc_model into a kc_result: per-kext states
 *                      and findings (codes, severities, ladder rungs), with
 *                      no I/O and no prose;
 *   advise (advise.c)  words every finding (message, evidence, steps) for
 *                      the Mac's platform, filling the kc_result's text;
 * and the printers (report_*.c) only turn a worded kc_result into text,
 * JSON or another format.
 */
#ifndef KC_MODEL_H
#define KC_MODEL_H

#include "kc.h"
#include "platform.h"

/* ==== read: the evidence ================================================= */

/* The approval database as it was found (the open handle stays in read.c). */
typedef struct kc_db_info {
    kc_db_state state;
    char *path;          /* the file that was opened (links resolved) */
    char *error;         /* why, when state != KC_DB_OK */
    const char *access;  /* "in_place", "immutable", "private_copy" */
    bool has_kext_policy, has_mdm, has_history, has_cdhash;
} kc_db_info;

/* What names the Mac's disk in macOS Recovery (/Volumes/<name>, and
 * /Volumes/<name> - Data from macOS 10.15): never a path of the machine
 * running kextcheck. */
typedef struct kc_recovery_path {
    char *volume;        /* the startup volume's name, or NULL when unknown */
} kc_recovery_path;

/* The machine: architecture and, on Apple silicon, the boot policy. */
typedef struct kc_platform_ev {
    kc_source uname_src;         /* uname -m */
    kc_uname_arch uname;
    kc_source arm64_src;         /* sysctl -n hw.optional.arm64 */
    kc_sysctl_flag arm64;
    kc_source bputil_src;        /* bputil -d (Apple silicon, root) */
    kc_boot_policy boot;         /* valid when bputil_src.ok */
    kc_source vmm_src;           /* sysctl -n kern.hv_vmm_present */
    kc_tri vmm;                  /* a virtual machine */
    kc_source disk_src;          /* diskutil info / */
    kc_boot_volume disk;         /* valid when disk_src.ok */
} kc_platform_ev;

/* Captures about one declared kext found on disk (its installed copy, or
 * its staged one when it has no other). */
typedef struct kc_kext_extra {
    const char *bundle_id;       /* the declaration's string */
    const kc_bundle *bundle;     /* the copy they are about */
    kc_source codesign_src;      /* codesign -dv --verbose=4 BUNDLE */
    kc_codesign codesign;        /* valid when codesign_src.ok */
    kc_source diag_src;          /* kmutil print-diagnostics -p BUNDLE (11+) */
    kc_strv diag_lines;          /* its first non-empty lines */
} kc_kext_extra;

/* Evidence about the whole Mac. */
typedef struct kc_host {
    char *root;              /* as given */
    char *root_real;         /* its canonical path on this machine */
    bool live;               /* commands were run (not read from captures) */
    bool collected;          /* the root holds a `kextcheck collect` manifest */
    kc_db_info db;
    kc_evidence ev;          /* captures and plists, each with its source */
    kc_platform_ev plat;     /* architecture, boot policy */
    kc_source kext_mdm_src;  /* the installed MDM kernel-extension policy */
    kc_kext_policy kext_mdm; /* valid when kext_mdm_src.ok */
    kc_source sysext_mdm_src;    /* the installed MDM system-extension policy */
    kc_sysext_policy sysext_mdm; /* valid when sysext_mdm_src.ok */
    kc_recovery_path recovery;
    bool owners_known;       /* bundle owners and modes are the Mac's (the Mac
                                itself, or recorded by collect) */
    kc_bundles other_kexts;  /* every bundle in /Library/Extensions and
                                /Library/StagedExtensions (AuxKC health) */
} kc_host;

/* A declared install or staged path and whether it exists. */
typedef struct kc_path_state {
    const char *path;        /* the plugin's string */
    bool staged;
    bool present;
} kc_path_state;

/* Evidence about one vendor: what its declaration points at. */
typedef struct kc_vendor_evidence {
    const kc_vendor *vendor; /* the validated declaration (host copy) */
    kc_path_state *paths;
    size_t n_paths;
    kc_bundles installed;    /* .kext bundles under the install paths */
    kc_bundles staged;       /* ... and under the staged paths */
    kc_policy_rows rows;     /* rows of its team, and of its bundle IDs under
                                another team */
    char *query_error;       /* the database opened but this read failed */
    kc_kext_extra *extras;   /* per declared kext on disk */
    size_t n_extras;
} kc_vendor_evidence;

typedef struct kc_model {
    kc_host host;
    kc_vendor_evidence *vendors;
    size_t n_vendors;
    /* The plugins behind the vendors, and those refused (not checked). */
    const kc_refusal *refused;
    size_t n_refused;
} kc_model;

void kc_model_free(kc_model *m);

/* ==== judge: findings ===================================================== */

/* Every finding code.  One table (judge.c, kc_code_info) gives each its
 * name, severity and ladder rung; docs/json-schema.md and the README list
 * them. */
typedef enum kc_code {
    KC_F_NOT_INSTALLED,
    KC_F_KEXT_APPROVED,
    KC_F_KEXT_APPROVED_MDM,
    KC_F_CONSENT_TEAM_LISTED,
    KC_F_KEXT_LOADED,
    KC_F_SYSEXT_ACTIVE,
    KC_F_TEAM_MISMATCH,
    KC_F_SIP_DISABLED,
    KC_F_KEXT_SIGNING_DISABLED,
    KC_F_CONSENT_DISABLED,
    KC_F_KEXT_PENDING_APPROVAL,
    KC_F_KEXT_NO_POLICY_RECORD,
    KC_F_MDM_PROFILE_ALLOWS,
    KC_F_SYSEXT_WAITING_FOR_USER,
    KC_F_KEXT_NOT_LOADED,
    KC_F_STAGED_COPY_MISSING,
    KC_F_BUNDLE_UNREADABLE,
    KC_F_SYSEXT_DISABLED,
    KC_F_SYSEXT_ENABLING,
    KC_F_SYSEXT_WAITING_TO_UPGRADE,
    KC_F_SYSEXT_UNINSTALL_PENDING,
    KC_F_SYSEXT_UNINSTALLING,
    KC_F_STAGED_COPY_STALE,
    KC_F_POLICY_ROW_UNEXPECTED,
    KC_F_POLICY_DB_UNREADABLE,
    KC_F_POLICY_TABLES_MISSING,
    KC_F_EVIDENCE_UNREADABLE,
    KC_F_SYSEXT_STATE_UNKNOWN,
    KC_F_CONSENT_TEAM_NOT_LISTED,
    KC_F_BOOT_POLICY_BLOCKS_KEXTS,
    KC_F_BOOT_POLICY_ALLOWS_KEXTS,
    KC_F_BOOT_POLICY_UNKNOWN,
    KC_F_RESTART_REQUIRED,
    KC_F_MDM_BLOCKS_USER_APPROVAL,
    KC_F_ADMIN_APPROVAL_REQUIRED,
    KC_F_KEXT_NOT_DECLARED,
    KC_F_KEXT_ARCH_UNSUPPORTED,
    KC_F_KEXT_BUNDLE_PERMISSIONS,
    KC_F_KEXT_SIGNATURE_INVALID,
    KC_F_KEXT_SIGNED_BY_OTHER_TEAM,
    KC_F_RUNNING_IN_VM,
    KC_F_BOOTED_FROM_EXTERNAL_VOLUME,
    KC_F_OTHER_STAGED_KEXT_BROKEN,
    KC_F_SYSEXT_MDM_BLOCKS,
    KC_F__COUNT
} kc_code;

/* The ladder every vendor's problems climb, in order; a vendor's own
 * article is cited as its reference, not as the engine's ladder. */
typedef enum kc_rung {
    KC_RUNG_NONE,          /* nothing to do (ok findings) */
    KC_RUNG_FIRST,         /* outranks the ladder: an impostor, the boot policy */
    KC_RUNG_APPROVE,       /* approve the kext (Allow, MDM profile) */
    KC_RUNG_RESTART,       /* restart so an approved kext loads (AuxKC, 11+) */
    KC_RUNG_REINSTALL,     /* uninstall, restart, install again; SIP back on */
    KC_RUNG_CLEAR_STAGING, /* remove a stale staged copy */
    KC_RUNG_INSPECT,       /* the evidence itself needs a look */
    KC_RUNG_CONSENT,       /* the SIP kext-consent list, from Recovery */
    KC_RUNG__COUNT
} kc_rung;

typedef struct kc_code_info {
    const char *name;      /* "KEXT_PENDING_APPROVAL" */
    kc_severity severity;
    kc_rung rung;
    bool host;             /* about the whole Mac, not one vendor */
} kc_code_info;

const kc_code_info *kc_code_info_of(kc_code code);
/* The source of one item of host evidence (NULL for KC_HOST_NONE, DB). */
const char *kc_code_name(kc_code code);
const char *kc_rung_name(kc_rung rung);   /* "approve", ... */
const char *kc_severity_name(kc_severity s);
const char *kc_status_name(kc_status s);
const char *kc_policy_name(kc_policy p);

/* Which host evidence a host finding is about. */
typedef enum kc_host_item {
    KC_HOST_NONE,
    KC_HOST_DB,
    KC_HOST_CONSENT_STATUS,
    KC_HOST_CONSENT_LIST,
    KC_HOST_SIP,
    KC_HOST_LOADED,
    KC_HOST_MDM,
    KC_HOST_OS,
    KC_HOST_SYSEXTS,
    KC_HOST_UNAME,
    KC_HOST_ARM64,
    KC_HOST_BPUTIL,
    KC_HOST_SYSEXT_MDM,
    KC_HOST_VMM,
    KC_HOST_DISKUTIL,
    KC_HOST_OTHER_KEXTS,
    KC_HOST__COUNT
} kc_host_item;

/* The Mac's platform as the judge sees it: what the advice depends on. */
typedef struct kc_platform {
    bool os_known;                  /* SystemVersion.plist was read */
    int os_major, os_minor;         /* 0 when unknown */
    kc_machine machine;             /* Intel, Apple silicon, or unknown */
    bool machine_inferred;          /* from the macOS version (10.x: Intel) */
    bool rosetta;                   /* uname said x86_64, the sysctl said 1 */
    kc_tri kexts_allowed;           /* Apple silicon: the boot policy lets
                                       third-party kexts load (YES on Intel) */
    bool kext_mdm;                  /* an MDM kernel-extension policy is installed */
    bool user_overrides;            /* ... and it lets users approve others */
    bool non_admin_approvals;       /* ... and it lets standard users approve */
    kc_tri vm;                      /* a virtual machine */
    kc_tri external_boot;           /* booted from an external volume */
} kc_platform;

/* macOS 11 or later (or Apple silicon, which runs nothing older). */
bool kc_platform_modern(const kc_platform *p);
/* macOS 10.13-10.15 for certain. */
bool kc_platform_legacy(const kc_platform *p);

const kc_source *kc_host_source(const kc_host *h, kc_host_item item);

/* One kext of a vendor, joined with its evidence. */
typedef struct kc_kext_state {
    const char *bundle_id;          /* the declaration's string, or the row's */
    bool declared;                  /* false: found under the team, not declared */
    kc_policy policy;
    const kc_policy_row *row;       /* its kext_policy row, or NULL */
    const kc_mdm_row *mdm;          /* the approving kext_policy_mdm row, or NULL */
    const kc_bundle *installed;     /* first installed copy, or NULL */
    const kc_bundle *staged;        /* first staged copy, or NULL */
    const kc_history_row *history;  /* latest load record, or NULL */
    kc_tri loaded;                  /* in the loaded list; unknown without one */
    const kc_loaded_kext *loaded_entry;
    bool mdm_profile;               /* the installed MDM profile allows it */
} kc_kext_state;

typedef struct kc_sysext_state {
    const char *identifier;         /* the declaration's string */
    const kc_sysext *entry;         /* its db.plist entry, or NULL */
} kc_sysext_state;

/* A finding: judged facts, then worded by advise. */
typedef struct kc_finding {
    kc_code code;
    /* What it is about (any may be NULL / KC_HOST_NONE). */
    const kc_kext_state *kext;
    const kc_sysext_state *sysext;
    const kc_bundle *bundle;        /* BUNDLE_UNREADABLE */
    const char *team;               /* TEAM_MISMATCH: the other team */
    const char *subject;            /* the bundle ID or identifier it names */
    const kc_history_row *history;  /* TEAM_MISMATCH from the load history */
    const kc_sysext *sysext_entry;  /* TEAM_MISMATCH of a system extension */
    const kc_kext_extra *extra;     /* signature findings: the captures */
    kc_host_item item;              /* host findings: which evidence */
    /* Filled by advise. */
    const char *staged_folder;      /* the staged folder (a declared staged path)
                                       its steps delete from macOS Recovery, or NULL */
    char *id;                       /* host findings: "CODE" or "CODE/item" */
    char *message;
    kc_strv evidence;               /* "because ..." lines */
    kc_strv steps;                  /* remediation, first step first */
} kc_finding;

/* What the host's evidence says about enforcement, for one vendor. */
typedef struct kc_enforcement {
    bool sip_off;          /* SIP disabled */
    bool signing_off;      /* SIP's Kext Signing protection disabled */
    bool consent_off;      /* kext user consent DISABLED */
    bool team_listed;      /* the vendor's team is on the kext-consent list */
    bool approval_needed;  /* none of the above: the user must approve */
    bool staging_applies;  /* kexts are copied to /Library/StagedExtensions */
} kc_enforcement;

typedef struct kc_vendor_result {
    const kc_vendor_evidence *ev;
    kc_status status;
    bool installed;
    kc_enforcement enforcement;
    kc_kext_state *kexts;
    size_t n_kexts;
    kc_sysext_state *sysexts;
    size_t n_sysexts;
    kc_finding *findings;           /* actionable first, in ladder order */
    size_t n_findings;
    size_t *host_refs;              /* host findings that bear on it */
    size_t n_host_refs;
    const kc_finding *next;         /* the next thing to do, or NULL */
} kc_vendor_result;

/* Where a macOS Recovery shell sees this Mac's files, and how to get there:
 * filled once by advise, for its own steps and for every printer that names
 * them (the Recovery script), so the paths are composed in one place. */
#define KC_RECOVERY_PATH_MAX 512
typedef struct kc_recovery {
    char volume[KC_RECOVERY_PATH_MAX];  /* "/Volumes/Macintosh HD - Data" (10.15+),
                                           "/Volumes/Macintosh HD" (10.13, 10.14) */
    char backup[KC_RECOVERY_PATH_MAX];  /* volume + "/Users/Shared/kextcheck-backup" */
    bool name_assumed;     /* the startup volume's name is not known: "Macintosh HD" */
    bool data_volume;      /* volume is the Data volume */
    bool version_assumed;  /* the macOS version is not known: 10.15 or later assumed */
    const char *start;     /* "Start macOS Recovery: ..." for this machine */
    const char *mount;     /* then mount the volume and open Terminal */
} kc_recovery;

typedef struct kc_result {
    const kc_model *model;
    kc_platform platform;
    const kc_bundle **broken_other;  /* OTHER_STAGED_KEXT_BROKEN: the bundles */
    size_t n_broken_other;
    kc_recovery recovery;           /* filled by advise */
    kc_finding *host_findings;
    size_t n_host_findings;
    kc_vendor_result *vendors;      /* one per model vendor, same order */
    size_t n_vendors;
    int exit_code;
} kc_result;

/* Stage 1: reads the Mac at g->root (captures or commands as g says; the
 * database from db_file when not NULL) and each vendor's evidence.  Never
 * fails on bad evidence (that is recorded in the model); -1 only on
 * out-of-memory. */
int kc_read(const kc_gather *g, const char *db_file, const kc_vendor *const *vendors,
            size_t n_vendors, kc_model *m);

/* Judges the whole model.  0, or -1 on out-of-memory. */
int kc_judge(const kc_model *m, kc_result *out);
void kc_result_free(kc_result *r);

/* ==== advise: the words =================================================== */

/* Words every finding of r for the Mac in r->model (its macOS version and
 * the rest of the platform).  0, or -1 on out-of-memory. */
int kc_advise(kc_result *r);

#endif /* KC_MODEL_H */
