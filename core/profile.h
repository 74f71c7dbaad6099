/*
 * `kextcheck profile`: a configuration profile (.mobileconfig) that
 * approves the chosen vendors' kernel extensions and system extensions
 * through an MDM, and the name-based UUIDs that keep it stable.
 */
#ifndef KC_PROFILE_H
#define KC_PROFILE_H

#include "model.h"

/* ---- uuid.c ------------------------------------------------------------- */

/* SHA-1 (FIPS 180-4) of len bytes. */
void kc_sha1(const void *data, size_t len, unsigned char out[20]);
/* The RFC 4122 name-based UUID, version 5 (SHA-1), of name in namespace ns:
 * the first 16 bytes of SHA-1(ns || name), version nibble 5, variant bits
 * 10; written as 36 lowercase characters and a NUL. */
void kc_uuid_v5(const unsigned char ns[16], const void *name, size_t len, char out[37]);
/* The namespace of every UUID kextcheck derives:
 * 90a7966c-c7fa-4a15-8dbd-bf476bcdb146. */
extern const unsigned char kc_uuid_namespace[16];

/* ---- profile.c ---------------------------------------------------------- */

typedef struct kc_mobileconfig_opts {
    bool by_bundle_id;         /* AllowedKernelExtensions (team -> bundle IDs)
                                  instead of AllowedTeamIdentifiers */
    bool allow_user_overrides; /* AllowUserOverrides true (false otherwise) */
    bool allow_non_admin;      /* AllowNonAdminUserApprovals true (absent otherwise) */
    bool all;                  /* the vendors are every loaded plugin */
} kc_mobileconfig_opts;

/* The profile (an unsigned XML plist) for the vendors, in their order:
 * 0 with *xml (free() it) and *len; 1 when none of them declares a kext or
 * a system extension (nothing written); -1 on out-of-memory. */
int kc_mobileconfig(const kc_vendor *const *vendors, size_t n, const kc_mobileconfig_opts *o,
                    char **xml, size_t *len);

/* Whether the check found an approval missing for this vendor:
 * KEXT_PENDING_APPROVAL, KEXT_NO_POLICY_RECORD, MDM_BLOCKS_USER_APPROVAL or
 * SYSEXT_WAITING_FOR_USER. */
bool kc_vendor_missing_approval(const kc_vendor_result *vr);

#endif
