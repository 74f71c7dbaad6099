/*
 * Sophos Endpoint and Sophos Anti-Virus for Mac (kext-based versions, and
 * the system extensions of the current ones).
 * Every value and where it is written (see docs/catalog.md):
 *   team 2H5GFH3774: kandji-inc/support Sophos_Central_Settings_with_KEXT
 *     .mobileconfig (AllowedTeamIdentifiers and AllowedSystemExtensions).
 *   kexts com.sophos.kext.sav and com.sophos.nke.swi and the install paths
 *     /Library/Extensions/SophosOnAccessInterceptor.kext and
 *     SophosNetworkInterceptor.kext: the Homebrew cask
 *     sophos-anti-virus-home-edition's uninstall stanza (find_string id
 *     3843011449).  Staged paths: /Library/StagedExtensions + each path.
 *   kexts com.sophos.kext.oas and com.sophos.driver.devctrl (and nke.swi):
 *     a public removal script's list "found via kextviewr" (find_string id
 *     18868622153).
 *   system extensions com.sophos.endpoint.networkextension and
 *     com.sophos.endpoint.scanextension: the Kandji profile's
 *     AllowedSystemExtensions for 2H5GFH3774.
 *   kb_url: Sophos Central help, "Security permissions on macOS" (the
 *     system extensions to allow, full disk access).
 *   uninstall_hint: public removal scripts run InstallationDeployer --remove
 *     with --tamper_password when tamper protection is on (find_string ids
 *     17928411728, 25671533530).
 * Left out: developer name, diagnostic_command (no public source).
 */
#include <kextcheck/plugin.h>

static const char *const kexts[] = {
    "com.sophos.kext.sav",
    "com.sophos.nke.swi",
    "com.sophos.kext.oas",
    "com.sophos.driver.devctrl",
    NULL,
};

static const char *const install_paths[] = {
    "/Library/Extensions/SophosOnAccessInterceptor.kext",
    "/Library/Extensions/SophosNetworkInterceptor.kext",
    NULL,
};

static const char *const staged_paths[] = {
    "/Library/StagedExtensions/Library/Extensions/SophosOnAccessInterceptor.kext",
    "/Library/StagedExtensions/Library/Extensions/SophosNetworkInterceptor.kext",
    NULL,
};

static const char *const sysexts[] = {
    "com.sophos.endpoint.networkextension",
    "com.sophos.endpoint.scanextension",
    NULL,
};

static const struct kc_plugin sophos = {
    .abi_version = KC_PLUGIN_ABI_VERSION,
    .size = sizeof(struct kc_plugin),
    .name = "sophos",
    .vendor = "Sophos Endpoint / Sophos Anti-Virus for Mac",
    .team_id = "2H5GFH3774",
    .kext_bundle_ids = kexts,
    .install_paths = install_paths,
    .staged_paths = staged_paths,
    .reference = "Homebrew cask sophos-anti-virus-home-edition (sav and swi kexts, "
                 "install paths); a public Sophos removal script (oas and devctrl "
                 "kexts); kandji-inc/support Sophos profile (team, system "
                 "extensions); Sophos Central help",
    .sysext_bundle_ids = sysexts,
    .kb_url = "https://doc.sophos.com/central/customer/help/en-us/PeopleAndDevices/"
              "ProtectDevices/EndpointProtection/MacSecurityPermissions/",
    .uninstall_hint = "With tamper protection on, removal needs the tamper protection "
                      "password: sudo \"/Library/Application "
                      "Support/Sophos/saas/Installer.app/Contents/MacOS/tools/"
                      "InstallationDeployer\" --remove --tamper_password PASSWORD",
};

KC_PLUGIN_DEFINE(sophos, sophos)
