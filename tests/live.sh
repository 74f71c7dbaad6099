#!/bin/sh
# live.sh KEXTCHECK PLUGINDIR SNAPSHOTS JSONCHECK WORKDIR
# Live mode and collect, with a fake Mac root and fake spctl, csrutil and
# kextstat (configured in [commands]):
#  - the live run reads the commands, not the snapshot's captures;
#  - collect writes a snapshot that `--root` analyses to the same answer,
#    refuses a non-empty folder and leaves the sources byte-identical;
#  - a command that hangs is stopped by the timeout, a missing one and one
#    that prints too much make that evidence unknown, never a crash.
set -u
bin=$1 plugins=$2 snaps=$3 jsoncheck=$4 work=$5
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
rm -rf "$work" && mkdir -p "$work/fake" "$work/bin" || exit 2

# The fake Mac: the done-criterion snapshot without its captures.
cp -R "$snaps/not-loaded-consent/." "$work/fake/"
caps="$work/captures" && mv "$work/fake/.kextcheck" "$caps"
cat >"$work/bin/spctl" <<EOS
#!/bin/sh
[ "\$1" = kext-consent ] || exit 2
case "\$2" in status) cat "$caps/spctl-kext-consent-status.txt" ;;
               list) cat "$caps/spctl-kext-consent-list.txt" ;; *) exit 2 ;; esac
EOS
printf '#!/bin/sh\n[ "$1" = status ] && cat "%s/csrutil-status.txt"\n' "$caps" >"$work/bin/csrutil"
printf '#!/bin/sh\ncat "%s/kextstat.txt"\n' "$caps" >"$work/bin/kextstat"
printf '#!/bin/sh\nsleep 30\n' >"$work/bin/hang"
printf '#!/bin/sh\nexec yes "Index Refs"\n' >"$work/bin/flood"
chmod 755 "$work/bin/"*
# An Intel Mac: uname says x86_64, the arm64 sysctl does not exist (it fails
# without a word), and bputil is never run (a bputil that is would fail).
printf '#!/bin/sh\n[ "$1" = -m ] && echo x86_64\n' >"$work/bin/uname"
printf '#!/bin/sh\nexit 1\n' >"$work/bin/sysctl"
printf '#!/bin/sh\necho bputil must not run on Intel; exit 9\n' >"$work/bin/bputil"
chmod 755 "$work/bin/uname" "$work/bin/sysctl" "$work/bin/bputil"
conf() { # conf FILE KEXTSTAT
    printf '[plugins]\ndir = %s\n[commands]\nspctl = %s\ncsrutil = %s\nkextstat = %s\nuname = %s\nsysctl = %s\nbputil = %s\ntimeout = 2\n' \
        "$plugins" "$work/bin/spctl" "$work/bin/csrutil" "$2" "$work/bin/uname" \
        "$work/bin/sysctl" "$work/bin/bputil" >"$1"
}
conf "$work/live.ini" "$work/bin/kextstat"
# shellcheck source=tests/sha256.sh
. "$(dirname "$0")/sha256.sh"
# shellcheck disable=SC2086 # kc_sha256 may be two words
sums() { (cd "$1" && find . -print | LC_ALL=C sort && find . -type f -exec $kc_sha256 {} + | LC_ALL=C sort); }
before=$(sums "$work/fake")

# Live run on the fake root.
"$bin" --config "$work/live.ini" --root "$work/fake" --live --format json >"$work/live.json"
st=$?
[ "$st" = 2 ] && ok || bad "live run: exit $st, expected 2"
grep -q '"mode": "live"' "$work/live.json" && ok || bad "live run did not run the commands"
grep -q "\"origin\": \"command $work/bin/csrutil status\"" "$work/live.json" && ok ||
    bad "csrutil origin not recorded"
grep -q '"next_step_code": "KEXT_NOT_LOADED"' "$work/live.json" && ok || bad "live: next step"
# Approved kexts: the consent list cannot help them (only a waiting approval).
grep -q '"code": "CONSENT_TEAM_NOT_LISTED"' "$work/live.json" && bad "live: consent step for approved kexts" || ok
"$bin" --config "$work/live.ini" --root "$work/fake" --live >"$work/live.txt"
grep -q "sudo kextcache --clear-staging" "$work/live.txt" && ok || bad "live: clear-staging step"

# collect, then analyse the collected folder anywhere.
"$bin" --config "$work/live.ini" --root "$work/fake" --live collect "$work/case" >"$work/collect.out" 2>&1
st=$?
[ "$st" = 0 ] && ok || { bad "collect: exit $st"; cat "$work/collect.out" >&2; }
for f in var/db/SystemPolicyConfiguration/KextPolicy .kextcheck/manifest.json \
         .kextcheck/csrutil-status.txt .kextcheck/kextstat.txt \
         .kextcheck/spctl-kext-consent-list.txt .kextcheck/spctl-kext-consent-status.txt \
         System/Library/CoreServices/SystemVersion.plist \
         "Library/StagedExtensions/Library/Application Support/TrendMicro/KernelExtensions/KERedirect.kext/Contents/Info.plist"; do
    [ -f "$work/case/$f" ] && ok || bad "collect did not write $f"
done
[ ! -e "$work/case/var/db/SystemPolicyConfiguration/KextPolicy-wal" ] && ok || bad "collected db has a -wal"
grep -q '"how": "sqlite3 backup from a read-only connection"' "$work/case/.kextcheck/manifest.json" &&
    ok || bad "manifest does not record the backup"
grep -q '"consistent": true' "$work/case/.kextcheck/manifest.json" && ok ||
    bad "manifest does not say the copy is consistent"
"$bin" --no-config -P "$plugins" --root "$work/case" --format json >"$work/case.json"
st=$?
[ "$st" = 2 ] && ok || bad "collected analysis: exit $st"
"$jsoncheck" --same "$work/live.json" "$work/case.json" && ok || bad "collected answer differs from live"
[ "$before" = "$(sums "$work/fake")" ] && ok || bad "collect or the live run changed the source"

# collect refuses a folder that is not empty.
"$bin" --config "$work/live.ini" --root "$work/fake" collect "$work/case" >/dev/null 2>"$work/err"
st=$?
[ "$st" = 64 ] && ok || bad "collect into a non-empty folder: exit $st"
grep -q "the folder is not empty" "$work/err" && ok || bad "collect: no reason given"

# Without --live, collect from another root runs no command: their outputs
# would describe this machine.  The case says so.
"$bin" --config "$work/live.ini" --root "$work/fake" collect "$work/case-nolive" >/dev/null 2>&1
grep -q '"commands_run": false' "$work/case-nolive/.kextcheck/manifest.json" && ok ||
    bad "collect without --live ran the commands"
[ ! -e "$work/case-nolive/.kextcheck/csrutil-status.txt" ] && ok || bad "collect wrote an output it did not run"
# An existing folder must be the user's own and not writable by others.
mkdir -p "$work/shared-dir" && chmod 777 "$work/shared-dir"
"$bin" --config "$work/live.ini" --root "$work/fake" collect "$work/shared-dir" >/dev/null 2>"$work/err"
st=$?
[ "$st" = 64 ] && ok || bad "collect into a world-writable folder: exit $st"
grep -q "writable by nobody else" "$work/err" && ok || bad "collect: no reason for the shared folder"
# A WAL database without -shm (no connection has it open) is copied byte for
# byte with its -wal: no private copy is made, in $TMPDIR or anywhere outside
# the case, and the case gives the same answer.
mkdir -p "$work/tmp" "$work/walroot"
cp -R "$snaps/wal/." "$work/walroot/" && rm -f "$work/walroot/var/db/SystemPolicyConfiguration/KextPolicy-shm"
TMPDIR="$work/tmp" "$bin" --config "$work/live.ini" --root "$work/walroot" collect "$work/case-wal" >/dev/null 2>&1
[ -z "$(ls -A "$work/tmp")" ] && ok || bad "collect wrote into TMPDIR"
cmp -s "$work/walroot/var/db/SystemPolicyConfiguration/KextPolicy-wal" \
    "$work/case-wal/var/db/SystemPolicyConfiguration/KextPolicy-wal" && ok ||
    bad "collect did not copy the -wal of a WAL database without -shm"
"$bin" --no-config -P "$plugins" --root "$work/case-wal" --vendor trendmicro >/dev/null
st=$?
[ "$st" = 0 ] && ok || bad "collected WAL case: exit $st (the row only in -wal was lost?)"

# A hanging, a missing and a flooding loaded-kext command.
for case in hang missing flood; do
    conf "$work/$case.ini" "$work/bin/$case"
    start=$(date +%s)
    "$bin" --config "$work/$case.ini" --root "$work/fake" --live --format json >"$work/$case.json"
    st=$?
    took=$(( $(date +%s) - start ))
    [ "$st" = 3 ] && ok || bad "$case: exit $st, expected 3 (loaded state unknown)"
    [ "$took" -lt 20 ] && ok || bad "$case: took ${took}s"
    grep -q '"code": "EVIDENCE_UNREADABLE"' "$work/$case.json" && ok || bad "$case: no EVIDENCE_UNREADABLE"
done
grep -q "did not finish within 2000 ms and was stopped" "$work/hang.json" && ok || bad "hang: no timeout"
grep -q "not found or not executable" "$work/missing.json" && ok || bad "missing: no reason"
grep -q "printed more than 1048576 bytes" "$work/flood.json" && ok || bad "flood: no cap"
# The same run, collected: the failure travels with the case.
"$bin" --config "$work/hang.ini" --root "$work/fake" --live collect "$work/case-hang" >/dev/null 2>&1
[ -f "$work/case-hang/.kextcheck/kextstat.txt.error" ] && ok || bad "collect: no .error for the hang"
"$bin" --no-config -P "$plugins" --root "$work/case-hang" --format json >"$work/case-hang.json"
"$jsoncheck" --same "$work/hang.json" "$work/case-hang.json" >/dev/null && ok ||
    bad "collected hang answer differs"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
