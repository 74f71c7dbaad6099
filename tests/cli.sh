#!/bin/sh
# cli.sh KEXTCHECK PLUGINDIR SNAPSHOTS BADPLUGINDIR TESTSRC WORKDIR COMPATDIR JSONCHECK
# Command-line behaviour: help, version, usage errors, configuration files,
# --vendor, and broken plugins refused one by one while the others run.
set -u
bin=$1 plugins=$2 snaps=$3 bad=$4 src=$5 work=$6 compat=$7 jsoncheck=$8
article="$snaps/article-10.13"
fails=0 passes=0
rm -rf "$work" && mkdir -p "$work" || exit 2

check() { # check NAME EXPECTED_STATUS STATUS
    if [ "$3" = "$2" ]; then passes=$((passes + 1)); else
        echo "FAIL: $1: exit status $3, expected $2" >&2; fails=$((fails + 1)); fi
}
has() { # has NAME FILE TEXT
    if grep -qF -- "$3" "$2"; then passes=$((passes + 1)); else
        echo "FAIL: $1: '$3' not found in:" >&2; sed 's/^/    /' "$2" >&2; fails=$((fails + 1)); fi
}
run() { "$bin" "$@" >"$work/out" 2>"$work/err"; echo $?; }

# --help, --version
st=$(run --help); check help 0 "$st"; has help "$work/out" "Usage: kextcheck"
has help-exit "$work/out" " 64  bad command line"
has help-output-error "$work/out" "exits 3 when its output"
st=$(run --version); check version 0 "$st"; has version "$work/out" "plugin ABI 1.2"

# Usage errors: exit 64 and "kextcheck: what: why" on stderr.
st=$(run --frobnicate); check unknown-option 64 "$st"
has unknown-option "$work/err" "kextcheck: --frobnicate: unknown option"
st=$(run --format yaml); check bad-format 64 "$st"
has bad-format "$work/err" "kextcheck: --format: must be one of: text, json"
st=$(run --root); check missing-value 64 "$st"
has missing-value "$work/err" "this option needs a value"
st=$(run --no-config --root "$work/nowhere"); check bad-root 64 "$st"
has bad-root "$work/err" "kextcheck: $work/nowhere: No such file or directory"
st=$(run --no-config -P "$plugins" --root "$article" --vendor nosuch); check bad-vendor 64 "$st"
has bad-vendor "$work/err" "kextcheck: nosuch: no plugin of that name was loaded"
st=$(run --config "$work/absent.ini" --root "$article"); check absent-config 64 "$st"
has absent-config "$work/err" "kextcheck: config: $work/absent.ini: no such file"

# --vendor limits the run.
st=$(run --no-config -P "$plugins" --root "$article" --vendor trendmicro --format json)
check vendor-limit 2 "$st"
n=$("$jsoncheck" --vendors <"$work/out"); check vendor-limit-count 1 "$n"

# Configuration: errors name file and line; settings apply; flags override.
printf '[kextcheck]\nroot = %s\n[plugins]\ndir = %s\nenable = trendmicro, sophos\n' \
    "$article" "$plugins" >"$work/good.ini"
st=$(run --config "$work/good.ini" --format json); check config-root 2 "$st"
has config-root "$work/out" '"id": "sophos"'
n=$("$jsoncheck" --vendors <"$work/out"); check config-enable 2 "$n"
printf '[plugins]\ndir = %s\ndisable = trendmicro\n' "$plugins" >"$work/disable.ini"
st=$(run --config "$work/disable.ini" --root "$article"); check config-disable 0 "$st"
has config-disable "$work/out" "Not installed:"
if grep -q trendmicro "$work/out"; then echo "FAIL: disabled plugin ran" >&2; fails=$((fails + 1)); fi
st=$(run --config "$work/good.ini" --root "$snaps/approved-10.14"); check flag-overrides 0 "$st"
printf '[kextcheck]\nroot = /\n\n[plugins]\ncolour = blue\n' >"$work/bad-key.ini"
st=$(run --config "$work/bad-key.ini"); check bad-key 64 "$st"
has bad-key "$work/err" "kextcheck: config: $work/bad-key.ini:5: unknown key \"colour\" in [plugins]"
printf '[kextcheck]\nthis line is not ini\n' >"$work/bad-syntax.ini"
st=$(run --config "$work/bad-syntax.ini"); check bad-syntax 64 "$st"
has bad-syntax "$work/err" "$work/bad-syntax.ini:2: not an INI line"
printf '[network]\nproxy = x\n' >"$work/bad-section.ini"
st=$(run --config "$work/bad-section.ini"); check bad-section 64 "$st"
has bad-section "$work/err" "bad-section.ini:2: unknown section [network]"
# Only a regular file is read as configuration (a FIFO or /dev/zero hung).
st=$(run --config /dev/zero); check config-dev-zero 64 "$st"
has config-dev-zero "$work/err" "kextcheck: config: /dev/zero: not a regular file"
printf '[plugins]\ndir = %s\nenable = sophos\0, trendmicro\n' "$plugins" >"$work/nul.ini"
st=$(run --config "$work/nul.ini" --root "$article"); check config-nul 64 "$st"
has config-nul "$work/err" "kextcheck: config: $work/nul.ini:3: holds a NUL byte"

# Captured outputs given on the command line replace the snapshot's.
printf 'System Integrity Protection status: disabled.\n' >"$work/sip-off.txt"
printf 'Kernel Extension User Consent: ENABLED\n' >"$work/consent-on.txt"
printf 'Allowed Team Identifiers:\nE8P47U2H32\n' >"$work/consent-list.txt"
printf 'Index Refs Address Size Wired Name (Version) UUID <Linked Against>\n' >"$work/loaded.txt"
st=$(run --no-config -P "$plugins" --root "$article" --sip-status "$work/sip-off.txt" --format json)
check sip-status-file 2 "$st"
has sip-status-file "$work/out" '"code": "SIP_DISABLED"'
has sip-status-origin "$work/out" "\"origin\": \"file $work/sip-off.txt\""
st=$(run --no-config -P "$plugins" --root "$snaps/no-record" --consent-status "$work/consent-on.txt" \
    --consent-list "$work/consent-list.txt" --loaded "$work/loaded.txt" --format json)
check consent-files 2 "$st"
has consent-files "$work/out" '"code": "CONSENT_TEAM_LISTED"'
has loaded-file "$work/out" '"code": "KEXT_NOT_LOADED"'
st=$(run --no-config -P "$plugins" --root "$article" --loaded "$work/absent.txt" --format json)
check loaded-file-missing 2 "$st"
has loaded-file-missing "$work/out" '"code": "EVIDENCE_UNREADABLE"'

# The database path override.
st=$(run --no-config -P "$plugins" --root "$snaps/no-record" \
    --db "$snaps/approved-10.14/var/db/SystemPolicyConfiguration/KextPolicy")
check db-override 0 "$st"

# Colour: never without a terminal or with --color=never; always on request.
st=$(run --no-config -P "$plugins" --root "$article" --color always); check color 2 "$st"
has color "$work/out" "$(printf '\033[1;31mCRITICAL')"
st=$(NO_COLOR=1 run --no-config -P "$plugins" --root "$article")
if grep -q "$(printf '\033')" "$work/out"; then echo "FAIL: colour without a terminal" >&2; fails=$((fails + 1)); fi

# Broken plugins: each refused with its reason, Trend Micro still checked.
mkdir -p "$work/dup" && cp "$plugins/trendmicro.so" "$work/dup/trendmicro.so"
st=$(run --no-config -P "$plugins" -P "$bad" -P "$work/dup" -P "$work/no-such-dir" --root "$article")
check broken-plugins 2 "$st"
has broken-still-runs "$work/out" "KEXT_PENDING_APPROVAL"
for reason in \
    "not-elf.so: cannot be loaded as a shared object" \
    "no-entry.so: no entry function kextcheck_plugin_no_entry" \
    "declines.so: the entry function returned NULL" \
    "wrong-major.so: plugin ABI 2.0 has major version 2; this kextcheck speaks 1.2" \
    "newer-minor.so: plugin ABI 1.7 is newer than this kextcheck's 1.2" \
    "small-size.so: descriptor size 8 is smaller than" \
    "null-name.so: name is NULL" \
    "bad-team.so: team_id must be exactly 10 characters of A-Z and 0-9" \
    "bad-bundle.so: kext_bundle_ids[1]: bundle ID \"com.example kext\" is not reverse-DNS" \
    "relative-path.so: install_paths[0]: path \"Library/Extensions/Test.kext\" is not absolute" \
    "bad-staged.so: staged_paths[0]: staged path \"/Library/Extensions/Test.kext\" does not start with /Library/StagedExtensions/" \
    "unterminated.so: kext_bundle_ids has no NULL terminator within 32 entries" \
    "name-mismatch.so: name \"other-name\" does not match the file name \"name-mismatch\"" \
    "empty-kexts.so: kext_bundle_ids is empty" \
    "sysext-clash.so: sysext_bundle_ids[0]: \"com.example.kext.test\" is also a kext bundle ID" \
    "short-1-1.so: descriptor size " \
    "short-1-2.so: descriptor size " \
    "bad-kb-url.so: kb_url \"http://support.example.com/kb/1\" does not start with https://" \
    "bad-kb-url-user.so: kb_url \"https://support.example.com@attacker.example/kb\": the host may hold only A-Z, a-z, 0-9, '-' and '.' (no \"user@\" part)" \
    "bad-uninstall-hint.so: uninstall_hint contains a control character" \
    "bad-diagnostic.so: diagnostic_command contains a control character" \
    "bad-sysext-team.so: sysext_team_id \"testaaaa20\" must be 10 characters of A-Z and 0-9" \
    "sysext-team-alone.so: sysext_team_id is set but sysext_bundle_ids is empty" \
    "many-problems.so: vendor is empty; team_id must be exactly 10 characters of A-Z and 0-9; install_paths[0]" \
    "zz-dup-team.so: team ID E8P47U2H32 is already claimed by plugin \"trendmicro\"" \
    "dup/trendmicro.so: plugin \"trendmicro\" is already loaded from" \
    "no-such-dir: plugin directory: No such file or directory"; do
    has "refused: $reason" "$work/out" "$reason"
    has "stderr: $reason" "$work/err" "kextcheck: "
done
# Refused plugins alone make the result "could not check".
st=$(run --no-config -P "$plugins" -P "$bad" --root "$snaps/approved-10.14"); check refused-unknown 3 "$st"
# No plugins at all.
mkdir -p "$work/empty"
st=$(run --no-config -P "$work/empty" --root "$article"); check no-plugins 3 "$st"
has no-plugins "$work/err" "kextcheck: plugins: none loaded from $work/empty"

# Trust: plugins run as root.  Each unsafe file or folder is refused with a
# message that says how to fix it; --allow-unsafe-plugins lifts the checks.
trust() { # trust NAME SETUP EXPECTED_TEXT
    rm -rf "$work/trust" && mkdir -p "$work/trust" && chmod 755 "$work/trust" &&
        cp "$plugins/trendmicro.so" "$work/trust/" && chmod 755 "$work/trust/trendmicro.so"
    (cd "$work/trust" && eval "$2")
    st=$(run plugins --no-config -P "$work/trust")
    check "trust $1" 3 "$st"
    has "trust $1" "$work/out" "$3"
}
trust group-writable "chmod g+w trendmicro.so" \
    "group-writable, so others could change code that runs as root: run 'chmod go-w $work/trust/trendmicro.so'"
trust world-writable "chmod o+w trendmicro.so" "world-writable, so others could change code"
trust symlink "mv trendmicro.so real.so.bak && ln -s real.so.bak trendmicro.so" \
    "is a symbolic link (plugins must be regular files"
trust world-writable-dir "chmod o+w ." \
    "plugin directory is world-writable, so anyone could plant code that runs as root: run 'chmod o-w $work/trust'"
trust sticky-dir "chmod +t ." "plugin directory has the sticky bit"
# Whoever can write to the folder can remove a vendor's plugin (or replace
# it): the folder obeys the rule of the files.
trust group-writable-dir "chmod g+w ." \
    "plugin directory is group-writable, so the group can add, replace or remove plugins that run as root: run 'chmod g-w $work/trust'"
if [ "$(id -u)" = 0 ]; then
    trust other-owner "chown 65534 trendmicro.so" \
        "owned by uid 65534, which is neither root nor the running user (uid 0): run 'chown root $work/trust/trendmicro.so'"
    trust other-owner-dir "chown 65534 ." \
        "plugin directory is owned by uid 65534, which is neither root nor the running user (uid 0), so that user can add, replace or remove plugins that run as root: run 'chown root $work/trust' if you trust it"
else
    echo "SKIP: trust other-owner, other-owner-dir: only root can give a file to another user"
fi
trust group-writable-checked-as-opened "chmod g+w trendmicro.so" "Refused plugins: 1"
rm -rf "$work/trust" && mkdir -p "$work/trust" && cp "$plugins/trendmicro.so" "$work/trust/" &&
    chmod 775 "$work/trust/trendmicro.so" && chmod 1777 "$work/trust"
st=$(run plugins --no-config --allow-unsafe-plugins -P "$work/trust"); check allow-unsafe 0 "$st"
has allow-unsafe "$work/out" "trendmicro: Trend Micro"
chmod 775 "$work/trust"
[ "$(id -u)" = 0 ] && chown 65534 "$work/trust"
st=$(run plugins --no-config --allow-unsafe-plugins -P "$work/trust"); check allow-unsafe-dir 0 "$st"
has allow-unsafe-dir "$work/out" "trendmicro: Trend Micro"
chown "$(id -u)" "$work/trust" && chmod 755 "$work/trust"

# A plugin the configuration enables must be there: if it is missing (say
# someone removed it) the vendor would go unchecked, so that is exit 3.
mkdir -p "$work/only-sophos" && cp "$plugins/sophos.so" "$work/only-sophos/"
printf '[plugins]\ndir = %s\ndir = %s\nenable = trendmicro, sophos\n' "$work/only-sophos" "$work/empty" \
    >"$work/enable-missing.ini"
st=$(run --config "$work/enable-missing.ini" --root "$article"); check enable-missing 3 "$st"
has enable-missing "$work/err" "kextcheck: trendmicro: enabled in the configuration but not found in $work/only-sophos, $work/empty"
has enable-missing-report "$work/out" "trendmicro: enabled in the configuration but not found in"
st=$(run plugins --config "$work/enable-missing.ini"); check enable-missing-plugins 3 "$st"
printf '[plugins]\ndir = %s\nenable = sophos, gone\ndisable = gone\n' "$work/only-sophos" \
    >"$work/enable-disabled.ini"
st=$(run plugins --config "$work/enable-disabled.ini"); check enable-and-disable 0 "$st"

# ABI compatibility: plugins built against 1.0 and 1.1 load in this 1.2 host.
st=$(run plugins --no-config -P "$compat"); check abi-compat 0 "$st"
has abi-1-0 "$work/out" "team LEGACY0001, 1 kext, 0 system extensions, ABI 1.0"
has abi-1-1 "$work/out" "team MODERN0001, 1 kext, 1 system extension, ABI 1.1"
has abi-1-2 "$work/out" "team CURRENT001, 1 kext, 1 system extension, ABI 1.2"

# plugins validate: every problem of a file listed; exit 1; a good file exits 0.
st=$(run plugins validate "$plugins/trendmicro.so"); check validate-good 0 "$st"
st=$(run plugins validate "$bad/bad-team.so" "$bad/relative-path.so"); check validate-bad 1 "$st"
has validate-bad "$work/out" "      - team_id must be exactly 10 characters"
st=$(run plugins validate "$bad/many-problems.so"); check validate-many 1 "$st"
has validate-many-1 "$work/out" "      - vendor is empty"
has validate-many-2 "$work/out" "      - team_id must be exactly 10 characters"
has validate-many-3 "$work/out" "      - install_paths[0]: path \"relative/Test.kext\" is not absolute"
st=$(run plugins validate --format json "$bad/many-problems.so"); check validate-json 1 "$st"
has validate-json "$work/out" '"problems": ['

# An output that cannot be written is never exit 0: exit 3 for every command
# (documented in --help and README.md), --help and --version included.
if [ -w /dev/full ]; then
    for args in "--help" "--version" "plugins validate $plugins/trendmicro.so" \
                "plugins validate $bad/bad-team.so" "plugins --no-config -P $plugins" \
                "--no-config -P $plugins --root $article"; do
        # shellcheck disable=SC2086 # one word per argument, by design
        "$bin" $args >/dev/full 2>"$work/err"
        check "output error: $args" 3 $?
        has "output error: $args" "$work/err" "kextcheck: output: No space left on device"
    done
else
    echo "cli.sh: skipped the output-error cases (no /dev/full here)"
fi

st=$(run plugins validate); check validate-nothing 64 "$st"
st=$(run plugins frobnicate); check plugins-unknown 64 "$st"
has plugins-unknown "$work/err" "kextcheck: frobnicate: unknown command"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
