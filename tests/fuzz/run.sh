#!/bin/sh
# tests/fuzz/run.sh [SECONDS] [HARNESS...]
#
# Builds the libFuzzer harnesses (clang, ASan+UBSan, KEXTCHECK_FUZZ=ON) in
# build-fuzz/ at the top of the source tree, gathers each one's seed corpus
# (the matching captures and plists of tests/realworld and of the bundled
# snapshots) and runs each harness for SECONDS seconds (default 15).
# HARNESS: consent_status consent_list csrutil loaded mdm_policy
# system_version sysext_db info_plist cli (default: all of them, one after
# the other).
#
# Inputs found to be new stay in build-fuzz/fuzz/corpus/HARNESS/ (so a
# later run starts from them); a crash, leak, sanitizer report or broken
# invariant is saved in build-fuzz/fuzz/artifacts/HARNESS/ and its report
# printed.  Exit status: 0 nothing found, 1 something found (or the build
# failed), 77 skipped because clang or its libFuzzer runtime is missing,
# 64 bad arguments.
set -eu
cd "$(dirname "$0")/../.."

all="consent_status consent_list csrutil loaded mdm_policy system_version sysext_db info_plist"
all="$all bputil sysctl diskutil codesign macho profile sysext_policy cli"
secs=${1:-15}
case $secs in
'' | *[!0-9]*) echo "usage: tests/fuzz/run.sh [SECONDS] [HARNESS...]" >&2; exit 64 ;;
esac
[ $# -gt 0 ] && shift
harnesses=${*:-$all}
for h in $harnesses; do
    case " $all " in
    *" $h "*) ;;
    *) echo "tests/fuzz/run.sh: unknown harness '$h' (one of: $all)" >&2; exit 64 ;;
    esac
done

cc=${KC_FUZZ_CC:-clang}
skip() {
    echo "== fuzz: skipped: $*"
    exit 77
}
command -v "$cc" >/dev/null 2>&1 || skip "$cc not found (Debian: apt-get install clang libclang-rt-14-dev)"
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
    >"$probe/probe.c"
"$cc" -fsanitize=fuzzer,address,undefined "$probe/probe.c" -o "$probe/probe" >/dev/null 2>&1 ||
    skip "$cc cannot link libFuzzer (Debian: apt-get install libclang-rt-NN-dev for clang-NN)"

build=build-fuzz
jobs=$(nproc 2>/dev/null || echo 2)
echo "== fuzz: build the harnesses in $build/"
cmake -S . -B "$build" -DCMAKE_C_COMPILER="$cc" -DKEXTCHECK_FUZZ=ON -DKEXTCHECK_SANITIZE=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$jobs" --target kc_fuzzers >"$probe/build.log" 2>&1 || {
    cat "$probe/build.log"
    echo "== fuzz: the build failed"
    exit 1
}

bin=$build/tests/fuzz
work=$build/fuzz
snap=$build/snapshots
rw=tests/realworld/outputs

# The snapshots' files named NAME (a path under each snapshot), one a line.
snap_files() {
    find "$snap" -type f -path "*/$1" 2>/dev/null | sort
}

# The seed files of a harness, one a line.
seed_files() {
    case $1 in
    consent_status) ls "$rw"/spctl_kext-consent_status* ; snap_files ".kextcheck/spctl-kext-consent-status.txt" ;;
    consent_list) ls "$rw"/spctl_kext-consent_list* ; snap_files ".kextcheck/spctl-kext-consent-list.txt" ;;
    csrutil) ls "$rw"/csrutil_* ; snap_files ".kextcheck/csrutil-status.txt" ;;
    loaded) ls "$rw"/kextstat_* "$rw"/kmutil_* ; snap_files ".kextcheck/kextstat.txt" ;;
    mdm_policy)
        ls tests/realworld/profiles/*.mobileconfig
        snap_files "Library/Managed Preferences/com.apple.syspolicy.kernel-extension-policy.plist" ;;
    system_version) snap_files "System/Library/CoreServices/SystemVersion.plist" ;;
    sysext_db) snap_files "Library/SystemExtensions/db.plist" ;;
    info_plist) snap_files "Contents/Info.plist" ;;
    bputil) ls "$rw"/bputil-* tests/fuzz/corpus/bputil/* ; snap_files ".kextcheck/bputil-d.txt" ;;
    diskutil) ls tests/fuzz/corpus/diskutil/* ; snap_files ".kextcheck/diskutil-info.txt" ;;
    codesign) ls tests/fuzz/corpus/codesign/* ; snap_files ".kextcheck/codesign-*.txt" ;;
    sysctl) ls tests/fuzz/corpus/sysctl/* ;;
    profile) ls tests/realworld/profiles/* tests/fuzz/corpus/profile/* ;;
    sysext_policy)
        ls tests/fuzz/corpus/sysext_policy/*
        snap_files "Library/Managed Preferences/com.apple.system-extension-policy.plist" ;;
    macho) ls "$work/macho-hex"/* ;;
    esac
}

# The cli harness's seeds: the first byte picks the file (the order of
# `targets` in fuzz_cli.c), the rest is its content.
cli_seeds() {
    out=$1
    i=0
    for spec in "0 var/db/SystemPolicyConfiguration/KextPolicy" \
        "1 .kextcheck/spctl-kext-consent-status.txt" \
        "2 .kextcheck/spctl-kext-consent-list.txt" \
        "3 .kextcheck/csrutil-status.txt" \
        "4 .kextcheck/kextstat.txt" \
        "5 Library/Managed Preferences/com.apple.syspolicy.kernel-extension-policy.plist" \
        "6 System/Library/CoreServices/SystemVersion.plist" \
        "7 Library/SystemExtensions/db.plist" \
        "8 Contents/Info.plist"; do
        sel=${spec%% *}
        name=${spec#* }
        snap_files "$name" | while IFS= read -r f; do
            i=$((i + 1))
            { printf "\\$(printf '%03o' "$sel")"; cat "$f"; } >"$out/s$sel-$i"
        done
    done
}

max_len() {
    case $1 in
    loaded | sysext_db | cli) echo 262144 ;;
    mdm_policy | system_version | info_plist) echo 65536 ;;
    *) echo 16384 ;;
    esac
}

# The Mach-O seeds are kept as hex text (the repository holds no binary
# file): decoded here with perl, which every Debian has.
rm -rf "$work/macho-hex"
mkdir -p "$work/macho-hex"
for f in tests/fuzz/corpus/macho/*.hex; do
    perl -ne 's/\s+//g; print pack("H*", $_)' "$f" >"$work/macho-hex/$(basename "$f" .hex)"
done

failed=""
for h in $harnesses; do
    seeds=$work/seeds/$h
    rm -rf "$seeds"
    mkdir -p "$seeds" "$work/corpus/$h" "$work/artifacts/$h"
    if [ "$h" = cli ]; then
        cli_seeds "$seeds"
    else
        n=0
        seed_files "$h" | while IFS= read -r f; do
            n=$((n + 1))
            cp "$f" "$seeds/s$n"
        done
    fi
    extra=""
    [ "$h" = cli ] && extra="-close_fd_mask=2"
    log=$work/$h.log
    printf '== fuzz_%s: %s s, %s seeds ... ' "$h" "$secs" "$(ls "$seeds" | wc -l)"
    # shellcheck disable=SC2086
    if ASAN_OPTIONS=detect_leaks=1:quarantine_size_mb=64 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$bin/fuzz_$h" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
        -max_len="$(max_len "$h")" -artifact_prefix="$work/artifacts/$h/" $extra \
        "$work/corpus/$h" "$seeds" >"$log" 2>&1; then
        runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
        echo "ok (${runs:-?} runs, corpus $(ls "$work/corpus/$h" | wc -l) files)"
    else
        echo "FOUND SOMETHING"
        tail -n 60 "$log"
        echo "   (full log: $log; input saved in $work/artifacts/$h/)"
        failed="$failed $h"
    fi
done
if [ -n "$failed" ]; then
    echo "== fuzz: failed:$failed"
    exit 1
fi
echo "== fuzz: nothing found"
