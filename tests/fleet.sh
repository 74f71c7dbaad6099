#!/bin/sh
# fleet.sh KEXTCHECK ENGINE_PLUGINS CATALOG_PLUGINS SNAPSHOTS TESTSRC WORK ATCCHECK PROFILECHECK
#          JSONCHECK MKSNAPSHOT
#
# Fleet scale and the fix itself (docs/fleet.md):
#  - --format sqlite --output FILE on several snapshots, every query of the
#    shipped osquery ATC configuration run on the files (atccheck), the
#    values, and --output's write-then-rename and folder rules;
#  - --format jamf (one line) and the Jamf extension attribute script;
#  - --quiet and --field;
#  - kextcheck profile: parsed back with libplist (profilecheck) and
#    plistutil, checked against the payload specifications, stable, and fed
#    back to kextcheck as the installed MDM policy;
#  - kextcheck recovery-script: the Data-volume paths, shellcheck, a dry run
#    and --apply on a stand-in volume.
# plistutil (libplist-utils) and shellcheck are used when installed; the
# test says so when they are not.
set -u
bin=$1 engine=$2 catalog=$3 snaps=$4 src=$5 work=$6 atccheck=$7 profilecheck=$8 jsoncheck=$9
mksnapshot=${10}
conf="$src/../conf"
fails=0 passes=0
rm -rf "$work" && mkdir -p "$work" && chmod 755 "$work" || exit 2

ok() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
check() { # check NAME EXPECTED ACTUAL
    if [ "$3" = "$2" ]; then ok; else fail "$1: got '$3', expected '$2'"; fi
}
has() { # has NAME FILE TEXT
    if grep -qF -- "$3" "$2"; then ok; else
        fail "$1: '$3' not found in:"; sed 's/^/    /' "$2" >&2; fi
}
hasnt() { # hasnt NAME FILE TEXT
    if grep -qF -- "$3" "$2"; then fail "$1: '$3' found in $2"; else ok; fi
}
kc() { "$bin" --no-config "$@"; }
lines() { wc -l <"$1" | tr -d ' '; }
# shellcheck disable=SC2012 # one file, named by the test
mode_of() { ls -l "$1" | cut -c1-10; }
# Names in a folder that start with a dot or do not end in .sqlite.
others() { find "$1" -mindepth 1 -maxdepth 1 ! -name '*.sqlite' | sort; }
q() { "$atccheck" --query "$1" "$2"; }

# ---- --format sqlite and the osquery ATC tables ------------------------------
mkdir -p "$work/db" && chmod 755 "$work/db"
dbs=""
for c in article-10.13 staged-stale db-missing not-installed sysext-waiting hostile \
    mdm-profile-pending team-mismatch; do
    want=$(cat "$src/cases/$c/expected.exit")
    kc -P "$engine" --root "$snaps/$c" --format sqlite --output "$work/db/$c.sqlite" \
        2>"$work/err"
    check "sqlite-$c-exit" "$want" "$?"
    check "sqlite-$c-mode" "-rw-r--r--" "$(mode_of "$work/db/$c.sqlite")"
    dbs="$dbs $work/db/$c.sqlite"
done
check sqlite-no-temporary-left "" "$(others "$work/db")"
# shellcheck disable=SC2086 # the list of files
if "$atccheck" "$conf/osquery/kextcheck-atc.json" $dbs >"$work/atc.txt" 2>"$work/atc.err"; then
    ok
else
    fail "atc: the shipped ATC configuration does not match the databases:"
    sed 's/^/    /' "$work/atc.err" >&2
fi
check atc-runs "32" "$(lines "$work/atc.txt")"
has atc-host "$work/atc.txt" "kextcheck_host $work/db/article-10.13.sqlite: 1 rows"
has atc-vendors "$work/atc.txt" "kextcheck_vendors $work/db/article-10.13.sqlite: 4 rows"
has atc-findings "$work/atc.txt" "kextcheck_findings $work/db/db-missing.sqlite:"
# The checker itself fails on a column the query does not return.
sed 's/"next_step_rung",/"next_rung",/' "$conf/osquery/kextcheck-atc.json" >"$work/bad-atc.json"
"$atccheck" "$work/bad-atc.json" "$work/db/article-10.13.sqlite" >/dev/null 2>"$work/err"
check atc-checker-catches 1 "$?"
has atc-checker-catches "$work/err" 'column 7 is "next_step_rung", declared "next_rung"'
# The values, as the README's fleet query reads them.
check sqlite-host "kextcheck|critical|2|10.13.6|intel|snapshot" \
    "$(q "$work/db/article-10.13.sqlite" "SELECT tool, status, exit_code, macos_version, machine, mode FROM host")"
check sqlite-vendor "trendmicro|critical|KEXT_PENDING_APPROVAL|approve" \
    "$(q "$work/db/article-10.13.sqlite" "SELECT vendor, status, next_step_code, next_step_rung FROM vendors WHERE installed = 1")"
check sqlite-critical-why "trendmicro|KEXT_PENDING_APPROVAL|com.trendmicro.kext.KERedirect|1" \
    "$(q "$work/db/article-10.13.sqlite" "SELECT v.vendor, f.code, f.subject, f.is_next FROM vendors v JOIN findings f ON f.vendor = v.vendor WHERE v.status = 'critical' AND f.severity = 'critical'")"
check sqlite-kext "com.trendmicro.kext.KERedirect|pending|3.5.2025" \
    "$(q "$work/db/article-10.13.sqlite" "SELECT bundle_id, policy, installed_version FROM kexts WHERE vendor = 'trendmicro' AND policy = 'pending'")"
check sqlite-host-finding "|host|POLICY_DB_UNREADABLE" \
    "$(q "$work/db/db-missing.sqlite" "SELECT vendor, scope, code FROM findings WHERE scope = 'host'")"
check sqlite-stale "STAGED_COPY_STALE|3.5.1999" \
    "$(q "$work/db/staged-stale.sqlite" "SELECT f.code, k.staged_version FROM findings f JOIN kexts k ON k.bundle_id = f.subject WHERE f.is_next = 1")"
# Hostile bytes: the article's Mac with an invalid byte and a newline in the
# developer name the next step quotes.
if mkdir -p "$work/cases" && cp -R "$src/cases/article-10.13" "$work/cases/bytes" &&
    sed "s/'com.trendmicro.kext.KERedirect', 0, 'Trend Micro, Inc.'/'com.trendmicro.kext.KERedirect', 0, 'Trend' || CAST(X'FF0A' AS TEXT) || 'Micro'/" \
        "$src/cases/article-10.13/KextPolicy.sql" >"$work/cases/bytes/KextPolicy.sql" &&
    grep -q "X'FF0A'" "$work/cases/bytes/KextPolicy.sql" &&
    "$mksnapshot" "$work/cases/bytes" "$work/bytes"; then ok; else fail "bytes: snapshot not built"; fi
kc -P "$engine" --root "$work/bytes" --format sqlite -o "$work/db/bytes.sqlite"
check sqlite-bytes-exit 2 "$?"
check sqlite-utf8 "1" \
    "$(q "$work/db/bytes.sqlite" "SELECT count(*) FROM vendors WHERE instr(next_step, char(65533)) > 0")"
kc -P "$engine" --root "$work/bytes" --field next_step >"$work/out"
check field-bytes-one-line 1 "$(lines "$work/out")"
has field-bytes-escaped "$work/out" '\x0aMicro"'
kc -P "$engine" --root "$work/bytes" --format jamf >"$work/out"
check jamf-bytes-one-line 1 "$(lines "$work/out")"

# Reproducible with SOURCE_DATE_EPOCH; the time is recorded.
SOURCE_DATE_EPOCH=1700000000 kc -P "$engine" --root "$snaps/article-10.13" --format sqlite \
    -o "$work/db/t1.sqlite"
check sqlite-time "2023-11-14T22:13:20Z|1700000000" \
    "$(q "$work/db/t1.sqlite" "SELECT generated_at, generated_unix FROM host")"

# sqlite needs --output; --output's folder and file rules.
kc -P "$engine" --root "$snaps/article-10.13" --format sqlite >"$work/out" 2>"$work/err"
check sqlite-needs-output 64 "$?"
has sqlite-needs-output "$work/err" "kextcheck: --format: this format writes a binary file: name it with --output FILE"
check sqlite-needs-output-nothing "0" "$(wc -c <"$work/out" | tr -d ' ')"
mkdir -p "$work/open" && chmod 777 "$work/open"
kc -P "$engine" --root "$snaps/article-10.13" --format json -o "$work/open/k.json" 2>"$work/err"
check output-open-folder 64 "$?"
has output-open-folder "$work/err" "is writable by everyone and has no sticky bit"
check output-open-folder-nothing "" "$(find "$work/open" -mindepth 1)"
mkdir -p "$work/sticky" && chmod 1777 "$work/sticky"
kc -P "$engine" --root "$snaps/article-10.13" --format json -o "$work/sticky/k.json"
check output-sticky-folder 2 "$?"
if "$jsoncheck" <"$work/sticky/k.json" >/dev/null; then ok; else
    fail "output-sticky-folder: JSON not valid"; fi
echo keep >"$work/target"
ln -s "$work/target" "$work/db/link.json"
kc -P "$engine" --root "$snaps/article-10.13" --format json -o "$work/db/link.json" 2>"$work/err"
check output-link 64 "$?"
has output-link "$work/err" "exists and is not a regular file (a symbolic link is never followed"
check output-link-untouched keep "$(cat "$work/target")"
kc -P "$engine" --root "$snaps/article-10.13" -o "$work/db" 2>"$work/err"
check output-folder 64 "$?"
kc -P "$engine" --root "$snaps/article-10.13" -o "$work/db/" 2>"$work/err"
check output-slash 64 "$?"
has output-slash "$work/err" "name a file to write, not a folder"
kc -P "$engine" --root "$snaps/article-10.13" -o "$work/nowhere/k.txt" 2>"$work/err"
check output-no-folder 64 "$?"
has output-no-folder "$work/err" "kextcheck: $work/nowhere/k.txt: $work/nowhere: No such file or directory"
# The file is replaced by a rename: a reader that opened the old one keeps it.
kc -P "$engine" --root "$snaps/article-10.13" -o "$work/db/r.txt"
check output-text 2 "$?"
kc -P "$engine" --root "$snaps/article-10.13" >"$work/stdout.txt"
if cmp -s "$work/db/r.txt" "$work/stdout.txt"; then ok; else fail "output-text: differs from stdout"; fi
exec 3<"$work/db/r.txt"
kc -P "$engine" --root "$snaps/article-10.13" --format json -o "$work/db/r.txt"
first_old=$(head -n 1 <&3)
exec 3<&-
check output-rename-old "kextcheck 0.1.0: checking the Mac at $snaps/article-10.13" "$first_old"
check output-rename-new "{" "$(head -n 1 "$work/db/r.txt")"
check output-no-temporary-left "" "$(find "$work/db" -name '.kextcheck-*')"

# ---- --format jamf and the extension attribute ------------------------------
for c in article-10.13 staged-stale db-missing not-installed sysext-waiting hostile \
    hostile-evidence team-mismatch; do
    want=$(cat "$src/cases/$c/expected.exit")
    kc -P "$engine" --root "$snaps/$c" --format jamf >"$work/jamf.txt" 2>/dev/null
    check "jamf-$c-exit" "$want" "$?"
    check "jamf-$c-one-line" 1 "$(lines "$work/jamf.txt")"
    if grep -Eq '^<result>(ok|warning|critical|unknown)(; [a-z0-9-]+=(ok|warning|critical|unknown)(:[A-Z_]+)?)*(; host=[A-Z_/a-z0-9-]+(,[A-Z_/a-z0-9-]+)*)?(; refused=[0-9]+)?(; none installed|; no plugins)?</result>$' \
        "$work/jamf.txt"; then ok; else fail "jamf-$c-syntax: $(cat "$work/jamf.txt")"; fi
done
check jamf-article "<result>critical; trendmicro=critical:KEXT_PENDING_APPROVAL</result>" \
    "$(kc -P "$engine" --root "$snaps/article-10.13" --format jamf)"
check jamf-none-installed "<result>ok; none installed</result>" \
    "$(kc -P "$engine" --root "$snaps/not-installed" -V trendmicro --format jamf)"
check jamf-unknown "<result>unknown; trendmicro=unknown:POLICY_DB_UNREADABLE; host=POLICY_DB_UNREADABLE</result>" \
    "$(kc -P "$engine" --root "$snaps/db-missing" --format jamf)"
check jamf-two "<result>critical; microsoft-defender=critical:SYSEXT_WAITING_FOR_USER</result>" \
    "$(kc -P "$engine" --root "$snaps/sysext-waiting" --format jamf)"
mkdir -p "$work/empty-plugins" && chmod 755 "$work/empty-plugins"
check jamf-no-plugins "<result>unknown; no plugins</result>" \
    "$(kc -P "$work/empty-plugins" --root "$snaps/article-10.13" --format jamf 2>/dev/null)"
# The extension attribute script, with a stand-in kextcheck.
ea="$conf/jamf/kextcheck-ea.sh"
printf '#!/bin/sh\nexec "%s" --no-config -P "%s" --root "%s" "$@"\n' "$bin" "$engine" \
    "$snaps/article-10.13" >"$work/kc-stand-in"
chmod 755 "$work/kc-stand-in"
KEXTCHECK="$work/kc-stand-in" sh "$ea" >"$work/ea.txt"
check ea-exit 0 "$?"
check ea-line "<result>critical; trendmicro=critical:KEXT_PENDING_APPROVAL</result>" "$(cat "$work/ea.txt")"
check ea-missing "<result>unknown; kextcheck not installed</result>" \
    "$(KEXTCHECK="$work/none" sh "$ea")"
printf '#!/bin/sh\necho garbage\nexit 3\n' >"$work/kc-garbage"
chmod 755 "$work/kc-garbage"
check ea-garbage "<result>unknown; no result</result>" "$(KEXTCHECK="$work/kc-garbage" sh "$ea")"

# ---- --quiet and --field -----------------------------------------------------
kc -P "$engine" --root "$snaps/article-10.13" -q >"$work/out" 2>"$work/err"
check quiet-exit 2 "$?"
check quiet-stdout 0 "$(wc -c <"$work/out" | tr -d ' ')"
check quiet-stderr 0 "$(wc -c <"$work/err" | tr -d ' ')"
kc -P "$engine" --root "$snaps/db-missing" --quiet >"$work/out" 2>&1
check quiet-unknown 3 "$?"
check quiet-unknown-silent 0 "$(wc -c <"$work/out" | tr -d ' ')"
field() { kc -P "$engine" --root "$snaps/$1" --field "$2" ${3:+-V "$3"}; }
check field-status critical "$(field article-10.13 status)"
check field-exit 2 "$(field article-10.13 exit_code)"
check field-vendor trendmicro "$(field article-10.13 vendor)"
check field-code KEXT_PENDING_APPROVAL "$(field article-10.13 next_step_code)"
check field-rung approve "$(field article-10.13 next_step_rung)"
field article-10.13 next_step >"$work/out"
check field-step-one-line 1 "$(lines "$work/out")"
has field-step "$work/out" "Open System Preferences > Security & Privacy > General"
check field-vendor-status not_installed "$(field article-10.13 status vmware-fusion)"
check field-vendor-code "" "$(field article-10.13 next_step_code vmware-fusion)"
check field-stale STAGED_COPY_STALE "$(field staged-stale next_step_code trendmicro)"
check field-ok ok "$(field not-installed status)"
kc -P "$engine" --root "$snaps/article-10.13" --field status >/dev/null
check field-keeps-exit 2 "$?"
kc -P "$engine" --root "$snaps/article-10.13" --field bogus 2>"$work/err"
check field-unknown 64 "$?"
has field-unknown "$work/err" 'kextcheck: --field: unknown field "bogus" (fields: status, exit_code'
kc -P "$engine" --root "$snaps/article-10.13" --field status --format json 2>"$work/err"
check field-format 64 "$?"
kc -P "$engine" --root "$snaps/article-10.13" --field status -q 2>"$work/err"
check field-quiet 64 "$?"
kc -P "$engine" profile --field status 2>"$work/err"
check field-profile 64 "$?"
kc -P "$engine" --root "$snaps/article-10.13" -q -o "$work/db/q.txt" 2>"$work/err"
check quiet-output 64 "$?"

# ---- kextcheck profile -------------------------------------------------------
prof="$work/profile"
mkdir -p "$prof" && chmod 755 "$prof"
kc -P "$catalog" profile trendmicro crowdstrike -o "$prof/p.mobileconfig"
check profile-exit 0 "$?"
check profile-mode "-rw-r--r--" "$(mode_of "$prof/p.mobileconfig")"
"$profilecheck" "$prof/p.mobileconfig" "$prof/kext-prefs.plist" >"$prof/facts.txt" 2>"$work/err"
check profile-spec 0 "$?"
[ -s "$work/err" ] && sed 's/^/    /' "$work/err" >&2
has profile-id "$prof/facts.txt" "profile kextcheck.approvals.crowdstrike.trendmicro "
has profile-team-tm "$prof/facts.txt" "team E8P47U2H32"
has profile-team-cs "$prof/facts.txt" "team X9E956P446"
has profile-sysext "$prof/facts.txt" "sysext X9E956P446 com.crowdstrike.falcon.Agent"
has profile-overrides "$prof/facts.txt" "key AllowUserOverrides false"
hasnt profile-non-admin "$prof/facts.txt" "AllowNonAdminUserApprovals"
has profile-kext-payload "$prof/facts.txt" "payload com.apple.syspolicy.kernel-extension-policy kextcheck.approvals.crowdstrike.trendmicro.kext-policy "
has profile-sysext-payload "$prof/facts.txt" "payload com.apple.system-extension-policy kextcheck.approvals.crowdstrike.trendmicro.system-extension-policy "
check profile-payloads 3 "$(grep -c '^payload \|^profile ' "$prof/facts.txt")"
# The same input gives the same bytes; other options give other UUIDs.
kc -P "$catalog" profile crowdstrike trendmicro >"$prof/again.mobileconfig"
if cmp -s "$prof/p.mobileconfig" "$prof/again.mobileconfig"; then ok; else
    fail "profile-stable: two runs differ"; fi
kc -P "$catalog" profile trendmicro crowdstrike --by-bundle-id --allow-user-overrides \
    --allow-non-admin-approvals >"$prof/ids.mobileconfig"
"$profilecheck" "$prof/ids.mobileconfig" >"$prof/ids.txt" 2>"$work/err"
check profile-ids-spec 0 "$?"
has profile-kext-tm "$prof/ids.txt" "kext E8P47U2H32 com.trendmicro.kext.filehook"
has profile-kext-tm2 "$prof/ids.txt" "kext E8P47U2H32 com.trendmicro.kext.KERedirect"
has profile-kext-cs "$prof/ids.txt" "kext X9E956P446 com.crowdstrike.sensor"
has profile-ids-overrides "$prof/ids.txt" "key AllowUserOverrides true"
has profile-ids-non-admin "$prof/ids.txt" "key AllowNonAdminUserApprovals true"
hasnt profile-ids-no-teams "$prof/ids.txt" "team E8P47U2H32"
u1=$(sed -n 's/^profile [^ ]* //p' "$prof/facts.txt")
u2=$(sed -n 's/^profile [^ ]* //p' "$prof/ids.txt")
if [ -n "$u1" ] && [ "$u1" != "$u2" ]; then ok; else fail "profile-uuid-differs: $u1 $u2"; fi
kc -P "$catalog" profile >"$prof/all.mobileconfig"
"$profilecheck" "$prof/all.mobileconfig" >"$prof/all.txt" 2>"$work/err"
check profile-all-spec 0 "$?"
has profile-all-id "$prof/all.txt" "profile kextcheck.approvals.all "
kc -P "$catalog" profile nosuch 2>"$work/err"
check profile-unknown 64 "$?"
has profile-unknown "$work/err" "kextcheck: nosuch: no plugin of that name was loaded"
kc -P "$catalog" --missing-only 2>"$work/err"
check profile-option-elsewhere 64 "$?"
if command -v plistutil >/dev/null 2>&1; then
    # Round trip through plistutil: binary and back, the same facts.
    plistutil -i "$prof/p.mobileconfig" -f bin -o "$prof/p.bin" &&
        plistutil -i "$prof/p.bin" -f xml -o "$prof/p.xml"
    check plistutil-parses 0 "$?"
    "$profilecheck" "$prof/p.xml" >"$prof/p-round.txt" 2>"$work/err"
    check plistutil-round-trip-spec 0 "$?"
    if cmp -s "$prof/facts.txt" "$prof/p-round.txt"; then ok; else
        fail "plistutil-round-trip: facts differ"; fi
else
    echo "fleet.sh: plistutil not installed (Debian package libplist-utils): round trip skipped"
fi
# Fed back: a Mac with Trend Micro and CrowdStrike kexts waiting for approval.
cat >"$prof/pending.ini" <<'EOF'
[mac]
macos = 10.15.7

[kext com.trendmicro.kext.KERedirect]
team = E8P47U2H32
developer = Trend Micro, Inc.
path = /Library/Application Support/TrendMicro/KernelExtensions/KERedirect.kext
policy = pending
staged = yes

[kext com.crowdstrike.sensor]
team = X9E956P446
path = /Library/CS/kexts/Agent.kext
policy = pending
staged = yes

[sysext com.crowdstrike.falcon.Agent]
team = X9E956P446
state = activated_waiting_for_user
EOF
"$bin" snapshot "$prof/pending.ini" "$prof/mac" 2>"$work/err"
check profile-mac 0 "$?"
[ -s "$work/err" ] && sed 's/^/    /' "$work/err" >&2
for v in trendmicro crowdstrike; do
    kc -P "$catalog" --root "$prof/mac" -V "$v" --format json | "$jsoncheck" --summary "$v" \
        >"$prof/before-$v.txt"
    has "profile-before-$v" "$prof/before-$v.txt" "KEXT_PENDING_APPROVAL"
done
kc -P "$catalog" --root "$prof/mac" profile --missing-only -o "$prof/missing.mobileconfig"
check profile-missing-exit 0 "$?"
"$profilecheck" "$prof/missing.mobileconfig" "$prof/missing-prefs.plist" >"$prof/missing.txt"
check profile-missing-spec 0 "$?"
has profile-missing-id "$prof/missing.txt" "profile kextcheck.approvals.crowdstrike.trendmicro "
has profile-missing-sysext "$prof/missing.txt" "sysext X9E956P446 com.crowdstrike.falcon.Agent"
hasnt profile-missing-others "$prof/missing.txt" "2H5GFH3774"
kc -P "$catalog" --root "$snaps/approved-10.14" -V trendmicro profile --missing-only \
    >"$work/out" 2>"$work/err"
check profile-nothing-missing 0 "$?"
check profile-nothing-missing-empty 0 "$(wc -c <"$work/out" | tr -d ' ')"
has profile-nothing-missing "$work/err" "no approval is missing on this Mac: no profile written"
mkdir -p "$prof/mac/Library/Managed Preferences"
cp "$prof/missing-prefs.plist" \
    "$prof/mac/Library/Managed Preferences/com.apple.syspolicy.kernel-extension-policy.plist"
for v in trendmicro crowdstrike; do
    kc -P "$catalog" --root "$prof/mac" -V "$v" --format json >"$prof/after-$v.json"
    "$jsoncheck" --summary "$v" <"$prof/after-$v.json" >"$prof/after-$v.txt"
    has "profile-counts-$v" "$prof/after-$v.txt" "MDM_PROFILE_ALLOWS"
    hasnt "profile-not-pending-$v" "$prof/after-$v.txt" "KEXT_PENDING_APPROVAL"
    has "profile-kext-mdm-$v" "$prof/after-$v.json" '"mdm_profile": true'
done
# The system-extension payload, read back as the installed policy.
"$profilecheck" "$prof/missing.mobileconfig" /dev/null "$prof/sysext-prefs.plist" >/dev/null
check profile-sysext-prefs 0 "$?"
cp "$prof/sysext-prefs.plist" \
    "$prof/mac/Library/Managed Preferences/com.apple.system-extension-policy.plist"
kc -P "$catalog" --root "$prof/mac" -V crowdstrike --format json >"$prof/sx.json"
if "$jsoncheck" <"$prof/sx.json" >/dev/null; then ok; else fail "profile-sysext-json: not valid"; fi
"$atccheck" --json-path "$prof/sx.json" \
    evidence.system_extension_policy.allowed_system_extensions >"$prof/sx.txt"
has profile-sysext-read "$prof/sx.txt" '"team_id": "X9E956P446"'
has profile-sysext-read-id "$prof/sx.txt" '"identifier": "com.crowdstrike.falcon.Agent"'

# ---- kextcheck recovery-script ------------------------------------------------
rs="$work/recovery"
mkdir -p "$rs" && chmod 755 "$rs"
kc -P "$engine" --root "$snaps/staged-stale" recovery-script -o "$rs/stale.sh"
check recovery-exit 0 "$?"
has recovery-vol "$rs/stale.sh" "VOL='/Volumes/Macintosh HD - Data'"
has recovery-backup "$rs/stale.sh" "BACKUP='/Volumes/Macintosh HD - Data/Users/Shared/kextcheck-backup'"
has recovery-folder "$rs/stale.sh" "staged=\"\$VOL\"'/Library/StagedExtensions/Library/Application Support/TrendMicro'"
has recovery-set-e "$rs/stale.sh" "set -e"
has recovery-header-root "$rs/stale.sh" "# from the Mac at: $snaps/staged-stale"
has recovery-header-tool "$rs/stale.sh" "by kextcheck 0.1.0"
has recovery-assumed "$rs/stale.sh" "the startup disk's name is assumed"
# The same paths as the text report's steps (composed once, in advise).
kc -P "$engine" --root "$snaps/staged-stale" >"$rs/stale.txt"
has recovery-same-as-text "$rs/stale.txt" "rm -rf '/Volumes/Macintosh HD - Data/Library/StagedExtensions/Library/Application Support/TrendMicro'"
sh "$rs/stale.sh" >"$rs/dry.txt" 2>"$rs/dry.err"
check recovery-dry-exit 0 "$?"
has recovery-dry "$rs/dry.txt" "would run: rm '-rf' '/Volumes/Macintosh HD - Data/Library/StagedExtensions/Library/Application Support/TrendMicro'"
has recovery-dry-backup "$rs/dry.txt" "would run: cp '-R' '/Volumes/Macintosh HD - Data/Library/StagedExtensions/Library/Application Support/TrendMicro' '/Volumes/Macintosh HD - Data/Users/Shared/kextcheck-backup/'"
has recovery-dry-note "$rs/dry.txt" "Dry run: nothing was changed"
sh "$rs/stale.sh" --frobnicate >/dev/null 2>&1
check recovery-bad-arg 64 "$?"
# --apply on a stand-in Data volume: the folder backed up, then removed.
vol="$rs/vol"
mkdir -p "$vol/Library/StagedExtensions/Library/Application Support/TrendMicro/KernelExtensions/filehook.kext"
echo stale >"$vol/Library/StagedExtensions/Library/Application Support/TrendMicro/KernelExtensions/filehook.kext/marker"
sed -e "s|^VOL='/Volumes/Macintosh HD - Data'|VOL='$vol'|" \
    -e "s|^BACKUP='/Volumes/Macintosh HD - Data|BACKUP='$vol|" "$rs/stale.sh" >"$rs/local.sh"
sh "$rs/local.sh" >"$rs/local-dry.txt"
check recovery-local-dry 0 "$?"
if [ -e "$vol/Library/StagedExtensions/Library/Application Support/TrendMicro" ]; then ok; else
    fail "recovery-local-dry: the dry run removed the folder"; fi
sh "$rs/local.sh" --apply >"$rs/apply.txt" 2>&1
check recovery-apply 0 "$?"
if [ -e "$vol/Library/StagedExtensions/Library/Application Support/TrendMicro" ]; then
    fail "recovery-apply: the staged folder is still there"; else ok; fi
check recovery-apply-backup stale \
    "$(cat "$vol/Users/Shared/kextcheck-backup/TrendMicro/KernelExtensions/filehook.kext/marker" 2>/dev/null)"
sh "$rs/local.sh" --apply >"$rs/again.txt" 2>&1
check recovery-apply-again 0 "$?"
has recovery-apply-again "$rs/again.txt" "already gone: $vol/Library/StagedExtensions/Library/Application Support/TrendMicro"
# 10.13 on Intel (the article): no Data volume; the consent list.
kc -P "$engine" --root "$snaps/article-10.13" recovery-script >"$rs/article.sh"
has recovery-1013-vol "$rs/article.sh" "# The Mac's files in Recovery: /Volumes/Macintosh HD"
has recovery-consent "$rs/article.sh" "run spctl kext-consent add 'E8P47U2H32'"
has recovery-consent-list "$rs/article.sh" "run spctl kext-consent list"
has recovery-intel "$rs/article.sh" "restart the Mac holding Command-R"
hasnt recovery-1013-no-data "$rs/article.sh" " - Data"
sh "$rs/article.sh" >"$rs/article-dry.txt"
has recovery-consent-dry "$rs/article-dry.txt" "would run: spctl 'kext-consent' 'add' 'E8P47U2H32'"
# 10.14 with a stale staged copy: the startup volume itself, not " - Data".
printf '[mac]\nmacos = 10.14.6\n[kext com.trendmicro.kext.filehook]\nteam = E8P47U2H32\npath = /Library/Application Support/TrendMicro/KernelExtensions/filehook.kext\nversion = 3.5.2025\npolicy = allowed\nstaged = 3.5.1999\n' >"$rs/1014.ini"
"$bin" snapshot "$rs/1014.ini" "$rs/1014" >/dev/null 2>&1
kc -P "$engine" --root "$rs/1014" recovery-script >"$rs/1014.sh"
has recovery-1014-vol "$rs/1014.sh" "VOL='/Volumes/Macintosh HD'"
has recovery-1014-macos "$rs/1014.sh" "macOS 10.14.6; machine intel"
hasnt recovery-1014-no-data "$rs/1014.sh" " - Data"
# Apple silicon at Full Security: Startup Security Utility, as comments.
printf '[mac]\nmacos = 14.5\narch = apple\nboot_policy = full\n[kext com.trendmicro.kext.KERedirect]\nteam = E8P47U2H32\npath = /Library/Application Support/TrendMicro/KernelExtensions/KERedirect.kext\npolicy = pending\nstaged = yes\n' >"$rs/apple.ini"
"$bin" snapshot "$rs/apple.ini" "$rs/apple" 2>/dev/null
kc -P "$engine" --root "$rs/apple" recovery-script >"$rs/apple.sh"
has recovery-boot "$rs/apple.sh" "# BOOT_POLICY_BLOCKS_KEXTS"
has recovery-boot-step "$rs/apple.sh" "Startup Security Utility"
has recovery-apple-start "$rs/apple.sh" "press and hold the power button"
# Nothing to do.
kc -P "$engine" --root "$snaps/approved-10.14" recovery-script >"$rs/none.sh"
has recovery-nothing "$rs/none.sh" "Nothing to do in macOS Recovery"
kc -P "$engine" recovery-script extra 2>"$work/err"
check recovery-operand 64 "$?"
# Hostile evidence never escapes a comment; every script parses and runs dry.
for c in hostile hostile-evidence links-outside collected-error; do
    kc -P "$engine" --root "$snaps/$c" recovery-script >"$rs/$c.sh"
done
for f in "$rs"/*.sh; do
    case $f in */local.sh) continue ;; esac
    if sh -n "$f"; then ok; else fail "recovery-syntax: $f"; fi
    if sh "$f" >/dev/null 2>&1; then ok; else fail "recovery-dry-run: $f"; fi
done
if command -v shellcheck >/dev/null 2>&1; then
    for f in "$rs"/*.sh "$ea"; do
        if shellcheck -s sh "$f" >"$work/sc.txt" 2>&1; then ok; else
            fail "shellcheck: $f"; sed 's/^/    /' "$work/sc.txt" >&2; fi
    done
else
    echo "fleet.sh: shellcheck not installed (Debian package shellcheck): scripts not linted"
fi

# ---- the launchd job ------------------------------------------------------------
plist="$conf/launchd/kextcheck.refresh.plist"
"$profilecheck" --plist "$plist" >"$work/launchd.txt" 2>"$work/err"
check launchd-parses 0 "$?"
has launchd-label "$work/launchd.txt" "Label=kextcheck.refresh"
has launchd-interval "$work/launchd.txt" "StartInterval=3600"
has launchd-load "$work/launchd.txt" "RunAtLoad=true"
has launchd-output "$work/launchd.txt" "--output /var/db/kextcheck/kextcheck.sqlite"
has launchd-atc-path "$conf/osquery/kextcheck-atc.json" '"path": "/var/db/kextcheck/kextcheck.sqlite"'
# The job's command, with /var/db and kextcheck swapped for stand-ins: it
# makes the folder, writes the file, and counts exits 0-2 as success.
job=$(sed -n 's|^ProgramArguments=/bin/sh -c ||p' "$work/launchd.txt" |
    sed -e "s|/var/db/kextcheck|$work/vardb/kextcheck|g" -e "s|/usr/local/bin/kextcheck|$work/kc-stand-in|")
mkdir -p "$work/vardb" && chmod 755 "$work/vardb"
sh -c "$job"
check launchd-job-exit 0 "$?"
check launchd-job-file "-rw-r--r--" "$(mode_of "$work/vardb/kextcheck/kextcheck.sqlite")"
"$atccheck" "$conf/osquery/kextcheck-atc.json" "$work/vardb/kextcheck/kextcheck.sqlite" >/dev/null
check launchd-job-atc 0 "$?"
job=$(printf '%s' "$job" | sed "s|$work/kc-stand-in|$work/kc-garbage|")
sh -c "$job" >/dev/null
check launchd-job-failure 3 "$?"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
