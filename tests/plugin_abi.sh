#!/bin/sh
# plugin_abi.sh KEXTCHECK COMPATDIR BADDIR JSONCHECK WORKDIR
# Plugin ABI 1.2 end to end: an ABI 1.2 plugin's own help (the vendor's
# article, the uninstall hint, the diagnostic command, the system
# extensions' team) in `kextcheck plugins`, `plugins validate` and the
# report (text and JSON); plugins built against 1.0 and 1.1 beside it, with
# none of it; the system extensions matched on the 1.2 plugin's
# sysext_team_id; broken 1.2 fields refused with their reason.
set -u
bin=$1 compat=$2 bad=$3 jsoncheck=$4 work=$5
fails=0 passes=0
rm -rf "$work" && mkdir -p "$work" || exit 2

ok() { passes=$((passes + 1)); }
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
has() { # has NAME FILE TEXT
    if grep -qF -- "$3" "$2"; then ok; else
        fail "$1: '$3' not found in:"; sed 's/^/    /' "$2" >&2; fi
}
hasnt() { # hasnt NAME FILE TEXT
    if grep -qF -- "$3" "$2"; then fail "$1: '$3' found in $2"; else ok; fi
}
status() { # status NAME WANT GOT
    if [ "$3" = "$2" ]; then ok; else fail "$1: exit status $3, expected $2"; fi
}

URL="https://support.example.com/kb/1234?lang=en#kext"
HINT="Turn off tamper protection in the console first (a maintenance token is needed)"
CMD="sudo /usr/local/bin/examplectl status --verbose"

# ---- kextcheck plugins: text and JSON ------------------------------------------
"$bin" plugins --no-config -P "$compat" >"$work/plugins.txt" 2>"$work/err"
status plugins 0 $?
has plugins-abi "$work/plugins.txt" "team CURRENT001, 1 kext, 1 system extension, ABI 1.2"
has plugins-sysext-team "$work/plugins.txt" "      system extensions signed by team CURRENT002"
has plugins-url "$work/plugins.txt" "      vendor's article: $URL"
has plugins-hint "$work/plugins.txt" "      before uninstalling: $HINT"
has plugins-cmd "$work/plugins.txt" "      vendor diagnostics: $CMD"
# Only the 1.2 plugin has them: one line of each.
[ "$(grep -c "vendor's article:" "$work/plugins.txt")" = 1 ] && ok ||
    fail "plugins: the 1.0 and 1.1 plugins show a vendor's article"
"$bin" plugins --no-config -P "$compat" --format json >"$work/plugins.json"
status plugins-json 0 $?
has plugins-json-url "$work/plugins.json" "\"kb_url\": \"$URL\""
has plugins-json-hint "$work/plugins.json" "\"uninstall_hint\": \"$HINT\""
has plugins-json-cmd "$work/plugins.json" "\"diagnostic_command\": \"$CMD\""
has plugins-json-team "$work/plugins.json" '"sysext_team_id": "CURRENT002"'
# The older plugins give null for each.
[ "$(grep -c '"kb_url": null' "$work/plugins.json")" = 2 ] && ok ||
    fail "plugins json: kb_url is not null for the 1.0 and 1.1 plugins"

# ---- plugins validate: the same fields, carried out of the child ---------------
"$bin" plugins validate "$compat/abi-1-2.so" >"$work/validate.txt"
status validate 0 $?
has validate-url "$work/validate.txt" "      vendor's article: $URL"
has validate-hint "$work/validate.txt" "      before uninstalling: $HINT"
has validate-cmd "$work/validate.txt" "      vendor diagnostics: $CMD"
has validate-team "$work/validate.txt" "      system extensions signed by team CURRENT002"
"$bin" plugins validate "$compat/abi-1-1.so" "$compat/abi-1-0.so" >"$work/validate-old.txt"
status validate-old 0 $?
has validate-old "$work/validate-old.txt" "ABI 1.1"
hasnt validate-old "$work/validate-old.txt" "vendor's article"
"$bin" plugins validate --format json "$compat/abi-1-2.so" >"$work/validate.json"
has validate-json "$work/validate.json" '"sysext_team_id": "CURRENT002"'

# ---- broken 1.2 fields: each refused with its reason --------------------------
for case in \
    "short-1-2|descriptor size" \
    "bad-kb-url|does not start with https://" \
    "bad-kb-url-user|(no \"user@\" part)" \
    "bad-uninstall-hint|uninstall_hint contains a control character" \
    "bad-diagnostic|diagnostic_command contains a control character" \
    "bad-sysext-team|sysext_team_id \"testaaaa20\" must be 10 characters" \
    "sysext-team-alone|sysext_team_id is set but sysext_bundle_ids is empty"; do
    name=${case%%|*} why=${case#*|}
    "$bin" plugins validate "$bad/$name.so" >"$work/bad.txt"
    status "validate $name" 1 $?
    has "validate $name" "$work/bad.txt" "$why"
done

# ---- the report: a Mac with the 1.2 plugin's product installed -----------------
cat >"$work/mac.ini" <<'INI'
[mac]
macos = 14.5

[kext com.example.current.kext]
team = CURRENT001
developer = Example Current, Inc.
path = none
policy = pending

[sysext com.example.current.sysext]
team = CURRENT002
state = activated_enabled

[kext com.example.modern.kext]
team = MODERN0001
path = none
policy = pending
INI
"$bin" snapshot "$work/mac.ini" "$work/mac" >/dev/null || fail "snapshot of mac.ini"
"$bin" --no-config -P "$compat" --root "$work/mac" >"$work/report.txt"
status report 2 $?
has report-team "$work/report.txt" "plugin abi-1-2, team CURRENT001 (system extensions: team CURRENT002)"
has report-url "$work/report.txt" "  Vendor's article: $URL"
has report-hint "$work/report.txt" "  Before uninstalling: $HINT"
has report-cmd "$work/report.txt" "  Vendor diagnostics: $CMD"
# Beside the next step: right after it, before the kexts.
sed -n '/plugin abi-1-2,/,/Kexts:/p' "$work/report.txt" >"$work/block.txt"
has report-next "$work/block.txt" "Next step (approve, KEXT_PENDING_APPROVAL)"
has report-beside "$work/block.txt" "Vendor diagnostics:"
# The 1.1 plugin's vendor has none of it.
sed -n '/plugin abi-1-1,/,/Kexts:/p' "$work/report.txt" >"$work/block-1-1.txt"
has report-1-1 "$work/block-1-1.txt" "plugin abi-1-1, team MODERN0001"
hasnt report-1-1 "$work/block-1-1.txt" "Vendor's article"
# The system extension is registered under the 1.2 plugin's sysext team:
# it is active, not a team mismatch.
has report-sysext "$work/report.txt" "com.example.current.sysext: activated_enabled"
hasnt report-no-mismatch "$work/report.txt" "TEAM_MISMATCH"

"$bin" --no-config -P "$compat" --root "$work/mac" --format json >"$work/report.json"
status report-json 2 $?
"$jsoncheck" <"$work/report.json" || fail "report json: schema"
has report-json-url "$work/report.json" "\"kb_url\": \"$URL\""
has report-json-hint "$work/report.json" "\"uninstall_hint\": \"$HINT\""
has report-json-cmd "$work/report.json" "\"diagnostic_command\": \"$CMD\""
has report-json-team "$work/report.json" '"sysext_team_id": "CURRENT002"'
has report-json-null "$work/report.json" '"sysext_team_id": null'
"$jsoncheck" --summary abi-1-2 <"$work/report.json" >"$work/summary.txt"
has report-json-sysext "$work/summary.txt" "SYSEXT_ACTIVE"

# The same extension under the kexts' team is not this vendor's: a mismatch.
sed 's/^team = CURRENT002$/team = CURRENT001/' "$work/mac.ini" >"$work/mismatch.ini"
"$bin" snapshot "$work/mismatch.ini" "$work/mismatch" >/dev/null || fail "snapshot of mismatch.ini"
"$bin" --no-config -P "$compat" --root "$work/mismatch" >"$work/mismatch.txt"
status mismatch 2 $?
has mismatch "$work/mismatch.txt" "TEAM_MISMATCH: system extension com.example.current.sysext is registered under team CURRENT001, not CURRENT002"

echo "plugin_abi: $passes passed, $fails failed"
[ "$fails" = 0 ]
