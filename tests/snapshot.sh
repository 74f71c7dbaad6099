#!/bin/sh
# snapshot.sh KEXTCHECK PLUGINDIR MKSNAPSHOT JSONCHECK DBDUMP TESTSRC WORK CC
# `kextcheck snapshot DESCRIPTION DIR`:
#  - each folder TESTSRC/snapshot-descriptions/<case>/ holds description.ini
#    and the expected results: the tree it builds (expected-tree.txt), the
#    captured outputs (expected-captures.txt), the database's rows
#    (expected-db.txt) and what kextcheck says about it with the engine's
#    test plugins (expected.json, the snapshot's path written @ROOT@ and the
#    plugin folder @PLUGINDIR@); kextcheck leaves the snapshot byte-identical;
#  - the article's description gives the same answer as the hand-built
#    tests/cases/article-10.13; the WAL database keeps its rows in -wal; the
#    kext executable is a fat Mach-O;
#  - the evidence of the causes beyond approval, byte by byte:
#    kern.hv_vmm_present, diskutil info /, codesign per kext, kmutil's
#    diagnostics, the manifest's bundle owners, other vendors' kexts; and
#    kextcheck reading them back (the startup disk's name in the Recovery
#    steps; tests/unit/test_snapshot.c reads every capture through the read
#    stage itself);
#  - every bad description in snapshot-descriptions/bad/ is exit 64 with
#    "FILE:LINE: why" (bad/<name>.err) and creates nothing; DIR must be new
#    or an empty folder of the running user's (not a link); a failed write
#    is exit 3;
#  - a matrix of macOS versions x architectures x SIP states x boot policies
#    whose every capture kextcheck reads without an error;
#  - the walk-through of docs/writing-plugins.md, step by step, with the SDK
#    example plugin (compiled with CC) and docs/plugin-example/example-mac.ini.
# KC_UPDATE_GOLDEN=1 rewrites the expected files instead of comparing.
set -u
bin=$1 plugins=$2 mk=$3 jsoncheck=$4 dbdump=$5 src=$6 work=$7 cc=$8
descs="$src/snapshot-descriptions"
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
rm -rf "$work" && mkdir -p "$work" || exit 2
work=$(realpath "$work") || exit 2
plugins=$(realpath "$plugins") || exit 2
update=${KC_UPDATE_GOLDEN:-0}
# The manifest names the version that wrote it: @VERSION@ in the goldens.
version=$("$bin" --version | awk 'NR == 1 { print $2 }')

golden() { # golden WHAT EXPECTED ACTUAL
    if [ "$update" = 1 ]; then
        cp "$3" "$2"
    elif diff -u "$2" "$3" >&2; then
        ok
    else
        bad "$1 differs from $2"
    fi
}
# shellcheck source=tests/sha256.sh
. "$(dirname "$0")/sha256.sh"
# shellcheck disable=SC2086 # kc_sha256 may be two words
sums() { (cd "$1" && find . -print | LC_ALL=C sort && find . -type f -exec $kc_sha256 {} + | LC_ALL=C sort); }
tree() { # folders end with /, links show their target
    (cd "$1" && find . -print | LC_ALL=C sort | while IFS= read -r p; do
        if [ -L "$p" ]; then echo "$p -> $(readlink "$p")"
        elif [ -d "$p" ]; then echo "$p/"
        else echo "$p"; fi
    done)
}
check() { # kextcheck on $snap, the report in $work/$name.json
    NO_COLOR=1 "$bin" --no-config --plugin-dir "$plugins" --root "$snap" --format json \
        >"$work/$name.json" 2>"$work/$name.kcerr"
}
db="private/var/db/SystemPolicyConfiguration/KextPolicy"

# ---- the described Macs -----------------------------------------------------
for dir in "$descs"/*/; do
    name=$(basename "$dir")
    [ "$name" = bad ] && continue
    snap="$work/$name"
    "$bin" snapshot "$dir/description.ini" "$snap" >"$work/$name.out" 2>"$work/$name.err"
    st=$?
    if [ "$st" != 0 ]; then
        bad "$name: snapshot exit $st"; cat "$work/$name.err" >&2; continue
    fi
    [ -s "$work/$name.err" ] && bad "$name: snapshot wrote to stderr" || ok
    grep -q "Check it with: kextcheck --root $snap" "$work/$name.out" && ok ||
        bad "$name: no hint on stdout"
    tree "$snap" >"$work/$name.tree"
    golden "$name: tree" "$dir/expected-tree.txt" "$work/$name.tree"
    for l in var etc tmp; do
        [ "$(readlink "$snap/$l")" = "private/$l" ] && [ -d "$snap/private/$l" ] && ok ||
            bad "$name: /$l is not a link to private/$l"
    done
    if [ -d "$snap/.kextcheck" ]; then
        for f in $(cd "$snap/.kextcheck" && ls | LC_ALL=C sort); do
            echo "== $f"
            sed "s/\"tool_version\": \"$version\"/\"tool_version\": \"@VERSION@\"/" \
                "$snap/.kextcheck/$f"
            # As diff says it: the file's last line has no line end.
            [ -s "$snap/.kextcheck/$f" ] && [ -n "$(tail -c1 "$snap/.kextcheck/$f")" ] &&
                printf '\n\\ No newline at end of file\n'
        done >"$work/$name.captures"
        golden "$name: captures" "$dir/expected-captures.txt" "$work/$name.captures"
    fi
    if [ -f "$snap/$db" ]; then
        # A copy: opening a WAL database may write its -shm.
        mkdir -p "$work/$name.dbcopy"
        cp "$snap/$db"* "$work/$name.dbcopy/"
        "$dbdump" "$work/$name.dbcopy/KextPolicy" >"$work/$name.db" || bad "$name: dbdump"
        golden "$name: database" "$dir/expected-db.txt" "$work/$name.db"
    fi
    before=$(sums "$snap")
    check
    st=$?
    sed -e "s|$snap|@ROOT@|g" -e "s|$plugins|@PLUGINDIR@|g" "$work/$name.json" >"$work/$name.json.out"
    golden "$name: kextcheck's JSON" "$dir/expected.json" "$work/$name.json.out"
    grep -q "\"exit_code\": $st\$" "$work/$name.json" && ok ||
        bad "$name: kextcheck exit $st differs from the report's exit_code"
    "$jsoncheck" <"$work/$name.json" >&2 && ok || bad "$name: the JSON fails the schema check"
    [ "$before" = "$(sums "$snap")" ] && ok || bad "$name: kextcheck changed the snapshot"
done

# The article's description gives the hand-built case's answer.
name=article-hand snap="$work/article-hand"
"$mk" "$src/cases/article-10.13" "$snap" || bad "mksnapshot article-10.13"
check
"$jsoncheck" --same "$work/article-10.13.json" "$work/article-hand.json" >&2 && ok ||
    bad "the article's description and tests/cases/article-10.13 give different answers"
# Intel: sysctl hw.optional.arm64 printed nothing; no bputil.
snap="$work/article-10.13"
[ -f "$snap/.kextcheck/sysctl-hw-optional-arm64.txt" ] &&
    [ ! -s "$snap/.kextcheck/sysctl-hw-optional-arm64.txt" ] && ok ||
    bad "Intel: sysctl-hw-optional-arm64.txt is not an empty file"
[ ! -e "$snap/.kextcheck/bputil-d.txt" ] && ok || bad "Intel: bputil-d.txt written"

# WAL on 13: the main file is in WAL mode, the rows are only in -wal.
snap="$work/wal-13"
hdr=$(od -An -tu1 -j18 -N2 "$snap/$db" | tr -s ' ')
[ "$hdr" = " 2 2" ] && ok || bad "wal-13: header bytes 18-19 are '$hdr', not WAL"
[ -s "$snap/$db-wal" ] && [ -f "$snap/$db-shm" ] && ok || bad "wal-13: no -wal or -shm"
mkdir -p "$work/wal-main" && cp "$snap/$db" "$work/wal-main/"
"$dbdump" "$work/wal-main/KextPolicy" >"$work/wal-main.db" 2>&1
grep -q E8P47U2H32 "$work/wal-main.db" && bad "wal-13: rows in the main file" || ok
grep -q "E8P47U2H32" "$work/wal-13.db" && ok || bad "wal-13: rows missing"

# The Defender kext's executable: fat, x86_64 at 0x1000 and arm64e at 0x4000.
exe="$work/defender-14.5-apple/Library/Extensions/wdavkext.kext/Contents/MacOS/wdavkext"
hex() { od -An -tx1 -j"$2" -N"$3" "$1" | tr -d ' \n'; }
[ "$(hex "$exe" 0 8)" = cafebabe00000002 ] && ok || bad "fat header: $(hex "$exe" 0 8)"
[ "$(hex "$exe" 8 20)" = 010000070000000300001000000000200000000c ] && ok ||
    bad "fat_arch x86_64: $(hex "$exe" 8 20)"
[ "$(hex "$exe" 28 20)" = 0100000c0000000200004000000000200000000e ] && ok ||
    bad "fat_arch arm64e: $(hex "$exe" 28 20)"
[ "$(hex "$exe" 4096 12)" = cffaedfe0700000103000000 ] && ok ||
    bad "x86_64 slice: $(hex "$exe" 4096 12)"
[ "$(hex "$exe" 16384 12)" = cffaedfe0c00000102000000 ] && ok ||
    bad "arm64e slice: $(hex "$exe" 16384 12)"
grep -q '<string>wdavkext</string>' "$work/defender-14.5-apple/Library/Extensions/wdavkext.kext/Contents/Info.plist" &&
    ok || bad "CFBundleExecutable missing"

# ---- the causes beyond approval ------------------------------------------------
# The defaults: kern.hv_vmm_present printed nothing before macOS 11 (the key
# may not exist) and 0 from 11 on; "Macintosh HD" on the internal disk; a
# signature per kext on disk; no diagnostics, no manifest.
caps="$work/article-10.13/.kextcheck"
[ -f "$caps/sysctl-kern-hv-vmm-present.txt" ] && [ ! -s "$caps/sysctl-kern-hv-vmm-present.txt" ] &&
    ok || bad "10.13: sysctl-kern-hv-vmm-present.txt is not an empty file"
[ "$(od -An -c "$work/wal-13/.kextcheck/sysctl-kern-hv-vmm-present.txt" | tr -d ' ')" = '0\n' ] &&
    ok || bad "13: kern.hv_vmm_present is not 0"
du="$caps/diskutil-info.txt"
[ "$(head -1 "$du")" = "   Device Identifier:         disk1s1" ] &&
    grep -qx "   Volume Name:               Macintosh HD" "$du" &&
    grep -qx "   Device Location:           Internal" "$du" && ok || bad "10.13: diskutil info /"
[ -s "$caps/codesign-com.trendmicro.kext.filehook.txt" ] &&
    [ -s "$caps/codesign-com.trendmicro.kext.KERedirect.txt" ] && ok || bad "10.13: codesign captures"
# A kext known only to the database has no bundle to sign.
[ ! -e "$work/every-key-10.14/.kextcheck/codesign-com.trendmicro.kext.KERedirect.txt" ] && ok ||
    bad "codesign written for a kext with path = none"
ls "$caps" | grep -q '^kmutil-diagnostics-' && bad "10.13: kmutil diagnostics written" || ok
[ ! -e "$caps/manifest.json" ] && ok || bad "10.13: manifest.json written without owners"

# Everything given, on 14.5 Apple silicon (tests/snapshot-descriptions/causes-14.5-apple).
caps="$work/causes-14.5-apple/.kextcheck"
[ "$(od -An -c "$caps/sysctl-kern-hv-vmm-present.txt" | tr -d ' ')" = '1\n' ] && ok ||
    bad "vm = yes: kern.hv_vmm_present is not 1"
du="$caps/diskutil-info.txt"
for line in "   Device Identifier:         disk5s1s1" "   Volume Name:               Backup HD" \
    "   Mount Point:               /" "   Protocol:                  USB" \
    "   Device Location:           External" \
    "   This disk is an APFS Volume Snapshot.  APFS Information:"; do
    grep -qxF "$line" "$du" && ok || bad "external boot volume: no line '$line'"
done
cs="$caps/codesign-com.microsoft.wdavkext.txt"
[ "$(sed -n 1p "$cs")" = "Executable=/Library/Extensions/wdavkext.kext/Contents/MacOS/wdavkext" ] &&
    [ "$(sed -n 3p "$cs")" = "Format=bundle with Mach-O universal (x86_64 arm64e)" ] &&
    grep -qx "Authority=Developer ID Application: Microsoft Corporation (UBF8T346G9)" "$cs" &&
    grep -qx "TeamIdentifier=UBF8T346G9" "$cs" && ok || bad "signature = team: $cs"
# The CDHash is the load history's cdhash for the kext.
cdhash=$(sed -n 's/^CDHash=//p' "$cs")
grep -q "$cdhash" "$work/causes-14.5-apple.db" && ok || bad "CDHash $cdhash is not the history's"
cs="$caps/codesign-com.sophos.kext.sav.txt"
grep -qx "TeamIdentifier=9PTGMPNXZ2" "$cs" &&
    grep -qx "Authority=Developer ID Application: Sophos (9PTGMPNXZ2)" "$cs" && ok ||
    bad "signature = other-team: $cs"
cs="$caps/codesign-com.vmware.kext.vmx86.txt"
grep -qx "Signature=adhoc" "$cs" && grep -qx "TeamIdentifier=not set" "$cs" &&
    ! grep -q "^Authority=" "$cs" && grep -q "flags=0x2(adhoc)" "$cs" && ok ||
    bad "signature = adhoc: $cs"
printf '%s\n' "/Library/Application Support/TrendMicro/KernelExtensions/filehook.kext: code object is not signed at all" |
    cmp -s - "$caps/codesign-com.trendmicro.kext.filehook.txt" && ok || bad "signature = unsigned"
printf '%s\n' "/Library/Extensions/SophosNetworkInterceptor.kext: invalid signature (code or signature have been modified)" \
    "In architecture: x86_64" | cmp -s - "$caps/codesign-com.sophos.nke.swi.txt" && ok ||
    bad "signature = broken"
printf '%s\n' "Authentication Failures:" \
    "    File owner/permissions are incorrect (must be root:wheel, nonwritable by group/other):" \
    "        wdavkext.kext" | cmp -s - "$caps/kmutil-diagnostics-com.microsoft.wdavkext.txt" && ok ||
    bad "diagnostics: the \\n escapes"
[ "$(ls "$caps" | grep -c '^kmutil-diagnostics-')" = 1 ] && ok || bad "diagnostics written without the key"
# The manifest: collect's keys, the owners given and macOS's own for the staged copies.
m="$caps/manifest.json"
grep -q '"manifest_version": 1,' "$m" && grep -q '"commands_run": true,' "$m" &&
    grep -q '"collected_at": "2024-03-04T08:30:00Z",' "$m" &&
    grep -q "\"tool_version\": \"$version\"," "$m" && ok || bad "manifest.json: header keys"
tr -d ' \n' <"$m" | grep -q '"path":"/Library/Extensions/wdavkext.kext","uid":501,"gid":20,"mode":509}' &&
    tr -d ' \n' <"$m" | grep -q '"path":"/Library/StagedExtensions/Library/Extensions/wdavkext.kext","uid":0,"gid":0,"mode":493}' &&
    tr -d ' \n' <"$m" | grep -q '"path":"/Library/Extensions/Leftover.kext","uid":0,"gid":0,"mode":493}' &&
    ok || bad "manifest.json: bundles"
# Other vendors' kexts: no Info.plist, and one cut in the middle.
snap="$work/causes-14.5-apple"
[ -d "$snap/Library/Extensions/Leftover.kext/Contents" ] &&
    [ -z "$(ls -A "$snap/Library/Extensions/Leftover.kext/Contents")" ] && ok ||
    bad "info = missing: Contents is not an empty folder"
info="$snap/Library/StagedExtensions/Library/Extensions/ExampleAudio.kext/Contents/Info.plist"
head -c 38 "$info" | grep -q '^<?xml version="1.0" encoding="UTF-8"?>' &&
    ! grep -q '</plist>' "$info" && ok || bad "info = broken: $info"
# kextcheck reads the startup disk's name back: the Recovery steps use it.
grep -q "kmutil trigger-panic-medic --volume-root '/Volumes/Backup HD'\\." \
    "$work/causes-14.5-apple.json" && ok || bad "Recovery steps do not name /Volumes/Backup HD"
grep -q 'assume the startup disk is named' "$work/causes-14.5-apple.json" &&
    bad "the Recovery steps still guess the disk's name" || ok
# 10.15: the system volume of its volume group, the 10.x layout ("   " lines).
caps="$work/causes-10.15-intel/.kextcheck"
[ -f "$caps/sysctl-kern-hv-vmm-present.txt" ] && [ ! -s "$caps/sysctl-kern-hv-vmm-present.txt" ] &&
    ok || bad "10.15: sysctl-kern-hv-vmm-present.txt is not an empty file"
[ "$(head -1 "$caps/diskutil-info.txt")" = "   Device Identifier:         disk1s5" ] &&
    grep -qx "   Read-Only Volume:          Yes" "$caps/diskutil-info.txt" &&
    [ "$(grep -cx '   ' "$caps/diskutil-info.txt")" = 11 ] && ok || bad "10.15: diskutil info /"
grep -qx "Format=bundle with Mach-O thin (x86_64)" "$caps/codesign-com.trendmicro.kext.filehook.txt" &&
    ok || bad "10.15: thin x86_64 signature"
tr -d ' \n' <"$caps/manifest.json" | grep -q '"path":"/Library/Extensions/FanControl.kext","uid":0,"gid":0,"mode":511}' &&
    ok || bad "manifest = yes: FanControl.kext's mode"
grep -q "'/Volumes/Work HD - Data/Library/StagedExtensions/Library/Application Support/TrendMicro'" \
    "$work/causes-10.15-intel.json" && ok || bad "Recovery steps do not name /Volumes/Work HD - Data"
# The same description, the same bytes (the made-up values come from it).
"$bin" snapshot "$descs/causes-14.5-apple/description.ini" "$work/causes-again" >/dev/null &&
    [ "$(sums "$work/causes-14.5-apple/.kextcheck")" = "$(sums "$work/causes-again/.kextcheck")" ] &&
    ok || bad "causes-14.5-apple: a second build differs"

# A Mac copied without the commands: no .kextcheck, no database.
snap="$work/copied-12-no-captures"
[ ! -e "$snap/.kextcheck" ] && [ ! -e "$snap/$db" ] && ok || bad "copied: captures or database written"

# ---- bad descriptions: exit 64, "FILE:LINE: why", nothing created --------------
for f in "$descs"/bad/*.ini; do
    n=$(basename "$f" .ini)
    "$bin" snapshot "$f" "$work/bad-out" >/dev/null 2>"$work/bad.err"
    st=$?
    [ "$st" = 64 ] && ok || bad "bad/$n: exit $st, expected 64"
    [ ! -e "$work/bad-out" ] && ok || { bad "bad/$n: created the folder"; rm -rf "$work/bad-out"; }
    sed "s|$f|@FILE@|g" "$work/bad.err" >"$work/bad.err.out"
    golden "bad/$n: message" "$descs/bad/$n.err" "$work/bad.err.out"
done
# Bytes a text fixture cannot hold: a NUL, invalid UTF-8 (generated here).
printf '[mac]\nmacos = 14.5\000\n' >"$work/nul.ini"
printf '[kext com.vendor.kext.guard]\nteam = ABCDE12345\npath = /Library/Extensions/G.kext\ndeveloper = Ven\377dor\n' \
    >"$work/utf8.ini"
for f in nul:"2: the line contains a NUL byte" utf8:"4: developer must be at most 255 bytes of UTF-8"; do
    "$bin" snapshot "$work/${f%%:*}.ini" "$work/bad-out" 2>"$work/err"; st=$?
    [ "$st" = 64 ] && grep -qF "${f%%:*}.ini:${f#*:}" "$work/err" && [ ! -e "$work/bad-out" ] && ok ||
        { bad "${f%%:*}: exit $st"; cat "$work/err" >&2; }
done
# CRLF line ends, a UTF-8 byte-order mark, indented keys and comments are fine.
printf '\357\273\277; a comment\r\n[mac]\r\n  macos = 14.5   ; inline\r\n# another\r\n[kext com.vendor.kext.guard]\r\n  team = ABCDE12345\r\n  path = /Library/Extensions/Guard.kext\r\n' \
    >"$work/crlf.ini"
"$bin" snapshot "$work/crlf.ini" "$work/crlf" >/dev/null 2>"$work/err"; st=$?
[ "$st" = 0 ] && grep -q '<string>com.vendor.kext.guard</string>' \
    "$work/crlf/Library/Extensions/Guard.kext/Contents/Info.plist" && ok ||
    { bad "CRLF and BOM: exit $st"; cat "$work/err" >&2; }
"$bin" --help | grep -q "kextcheck snapshot DESCRIPTION DIR" && ok || bad "--help lacks snapshot"
"$bin" snapshot "$work/absent.ini" "$work/bad-out" 2>"$work/err"; st=$?
[ "$st" = 64 ] && grep -q "absent.ini: No such file" "$work/err" && ok || bad "absent description: exit $st"
"$bin" snapshot "$descs/article-10.13/description.ini" 2>"$work/err"; st=$?
[ "$st" = 64 ] && grep -q "kextcheck snapshot DESCRIPTION DIR" "$work/err" && ok || bad "one operand: exit $st"

# ---- DIR: new, or an empty folder of the running user's; never a link ----------
desc="$descs/article-10.13/description.ini"
try() { # try NAME EXPECTED-STATUS DIR [TEXT]
    "$bin" snapshot "$desc" "$3" >/dev/null 2>"$work/err"
    st=$?
    [ "$st" = "$2" ] && ok || { bad "$1: exit $st, expected $2"; cat "$work/err" >&2; }
    [ $# -lt 4 ] || grep -qF -- "$4" "$work/err" && ok || { bad "$1: '$4' not in:"; cat "$work/err" >&2; }
}
mkdir -p "$work/full" && touch "$work/full/x"
try not-empty 64 "$work/full" "the folder is not empty"
mkdir -p "$work/real" && ln -s real "$work/link"
try symlink 64 "$work/link" "is a symbolic link"
try symlink-slash 64 "$work/link/" "is a symbolic link"
[ -z "$(ls -A "$work/real")" ] && ok || bad "wrote through a link"
touch "$work/afile"
try a-file 64 "$work/afile" "not a folder"
mkdir -p "$work/shared" && chmod 775 "$work/shared"
try group-writable 64 "$work/shared" "writable by nobody else"
try no-parent 64 "$work/nowhere/snap" "cannot create the folder"
mkdir -p "$work/empty"
try empty-folder 0 "$work/empty/"
# A kext inside SystemVersion.plist: the write fails, exit 3, nothing outside.
printf '[kext com.vendor.kext.guard]\nteam = ABCDE12345\npath = /System/Library/CoreServices/SystemVersion.plist/Guard.kext\n' \
    >"$work/collide.ini"
desc="$work/collide.ini"
try write-fails 3 "$work/collide" "SystemVersion.plist/Guard.kext/Contents: Not a directory"

# ---- the matrix: macOS x architecture x SIP x boot policy -----------------------
# Every capture of every combination is read without an error.
i=0
for v in 10.13.6 10.14.6 10.15.7 11.7.10 12.7.6 13.6.7 14.5 15.1; do
    for arch in intel apple; do
        case "$v" in 10.*) [ $arch = apple ] && continue ;; esac
        for sip in enabled disabled kext-signing-disabled custom; do
            i=$((i + 1))
            boot=""
            if [ $arch = apple ]; then
                set -- full reduced reduced-kexts permissive-kexts none
                shift $((i % 5)); boot="boot_policy = $1"
            fi
            # Each release in and out of a virtual machine, from either disk.
            vm="vm = $([ $((i % 2)) = 0 ] && echo yes || echo no)"
            disk="boot_volume = $([ $((i % 3)) = 0 ] && echo external || echo internal)"
            sysext=""
            case "$v" in 10.13.*|10.14.*) ;; *)
                sysext='[sysext com.sophos.endpoint.scanextension]
team = 2H5GFH3774
version = 1.2' ;; esac
            cat >"$work/m.ini" <<EOF
[mac]
macos = $v
arch = $arch
sip = $sip
consent_teams = 2H5GFH3774
$boot
$vm
$disk
volume_name = Data Disk $i
[mdm]
allowed_teams = 2H5GFH3774
[kext com.sophos.kext.sav]
team = 2H5GFH3774
path = /Library/Extensions/SophosOnAccessInterceptor.kext
policy = allowed
loaded = yes
$sysext
EOF
            name="m$i" snap="$work/m$i"
            if ! "$bin" snapshot "$work/m.ini" "$snap" >/dev/null 2>"$work/err"; then
                bad "matrix $v $arch $sip $boot: snapshot failed"; cat "$work/err" >&2; continue
            fi
            check
            # 4 captures, SystemVersion, the MDM kext policy, uname, the arm64
            # sysctl; the system-extension database from 10.15; bputil on
            # Apple silicon when the boot policy is captured.
            want=9
            case "$v" in 10.13.*|10.14.*) want=8 ;; esac
            [ "$arch" = apple ] && [ "$boot" != "boot_policy = none" ] && want=$((want + 1))
            n=$(grep -c '"ok": true' "$work/$name.json")
            [ "$n" = "$want" ] && grep -q '"state": "ok"' "$work/$name.json" &&
                grep -q '"code": "KEXT_LOADED"' "$work/$name.json" && ok ||
                { bad "matrix $v $arch $sip $boot: $n sources read, expected $want"
                  grep -B2 -A3 '"ok": false' "$work/$name.json" >&2; }
            [ "$arch" = apple ] && [ "$boot" != "boot_policy = none" ] &&
                { [ -f "$snap/.kextcheck/bputil-d.txt" ] && ok || bad "matrix $v $arch: no bputil-d.txt"; }
            # The disk's name, as Recovery shows it, comes from diskutil.
            grep -qxF "   Volume Name:               Data Disk $i" "$snap/.kextcheck/diskutil-info.txt" &&
                [ -s "$snap/.kextcheck/codesign-com.sophos.kext.sav.txt" ] && ok ||
                bad "matrix $v $arch: diskutil or codesign capture"
            rm -rf "$snap"
        done
    done
done

# ---- the walk-through in docs/writing-plugins.md ---------------------------------
doc="$src/../docs"
mkdir -p "$work/vendor/plugins" && cd "$work/vendor" || exit 2
"$cc" -std=c11 -shared -fPIC -fvisibility=hidden -I"$src/../include" \
    "$doc/plugin-example/example.c" -o plugins/example-guard.so || bad "walk-through: build"
cp "$doc/plugin-example/example-mac.ini" .
"$bin" snapshot example-mac.ini mac >/dev/null && ok || bad "walk-through: snapshot"
"$bin" --no-config --root mac --plugin-dir plugins >report.txt; st=$?
[ "$st" = 2 ] && grep -q "Next step (approve, KEXT_PENDING_APPROVAL)" report.txt &&
    grep -q "WARNING  KEXT_NO_POLICY_RECORD: com.example.guard.kext.network" report.txt && ok ||
    { bad "walk-through: first report (exit $st)"; cat report.txt >&2; }
# The doc's second step: approve both kexts and mark them loaded.
sed -e 's/^policy = pending$/policy = allowed\nloaded = yes/' \
    -e 's|^path = \(.*GuardNetwork.kext\)$|path = \1\npolicy = allowed\nloaded = yes|' \
    example-mac.ini >approved.ini
"$bin" snapshot approved.ini mac-approved >/dev/null && ok || bad "walk-through: approved snapshot"
"$bin" --no-config --root mac-approved --plugin-dir plugins >report.txt; st=$?
[ "$st" = 0 ] && [ "$(grep -c "KEXT_LOADED" report.txt)" = 2 ] && ok ||
    { bad "walk-through: approved report (exit $st)"; cat report.txt >&2; }
cd "$work" || exit 2

echo "snapshot: $passes passed, $fails failed ($i matrix Macs)"
[ "$fails" = 0 ]
