#!/bin/sh
# collect.sh KEXTCHECK PLUGINDIR SNAPSHOTS JSONCHECK DBWRITER WORKDIR
# `kextcheck collect` under hostile conditions, each followed by the
# analysis of what it wrote:
#  - the approval database in the middle of a write: a writer killed (-9)
#    mid-transaction (hot -journal), a writer that keeps the lock, and one
#    that commits after a second: the snapshot never shows uncommitted data
#    as committed, and says when its copy is not consistent;
#  - DIR: refused in a folder others can change, never followed when it is
#    a link, and written through its descriptor when it is swapped while
#    collect runs;
#  - a full disk (RLIMIT_FSIZE, and a small tmpfs when one can be mounted):
#    exit 3, no cut file left;
#  - db.plist copied no further than the analyser reads.
set -u
bin=$1 plugins=$2 snaps=$3 jsoncheck=$4 dbwriter=$5 work=$6
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
rm -rf "$work" && mkdir -p "$work/bin" "$work/captures" || exit 2
chmod 755 "$work"
dbrel=var/db/SystemPolicyConfiguration/KextPolicy

# Fake commands printing the article case's captured outputs.
caps="$work/captures"
cp "$snaps/article-10.13/.kextcheck/"*.txt "$caps/"
cat >"$work/bin/spctl" <<EOS
#!/bin/sh
[ "\$1" = kext-consent ] || exit 2
case "\$2" in status) cat "$caps/spctl-kext-consent-status.txt" ;;
               list) cat "$caps/spctl-kext-consent-list.txt" ;; *) exit 2 ;; esac
EOS
printf '#!/bin/sh\n[ "$1" = status ] && cat "%s/csrutil-status.txt"\n' "$caps" >"$work/bin/csrutil"
printf '#!/bin/sh\ncat "%s/kextstat.txt"\n' "$caps" >"$work/bin/kextstat"
printf '#!/bin/sh\n[ "$1" = -m ] && echo x86_64\n' >"$work/bin/uname"
printf '#!/bin/sh\nexit 1\n' >"$work/bin/sysctl"
chmod 755 "$work/bin/"*
conf() { # conf FILE SPCTL
    printf '[plugins]\ndir = %s\n[commands]\nspctl = %s\ncsrutil = %s\nkextstat = %s\nuname = %s\nsysctl = %s\ntimeout = 5\n' \
        "$plugins" "$2" "$work/bin/csrutil" "$work/bin/kextstat" "$work/bin/uname" \
        "$work/bin/sysctl" >"$1"
}
conf "$work/live.ini" "$work/bin/spctl"

# A fake Mac: the article's case (filehook approved, KERedirect pending).
mkroot() { # mkroot NAME
    cp -R "$snaps/article-10.13" "$work/$1" && rm -rf "$work/$1/.kextcheck"
}
# shellcheck source=tests/sha256.sh
. "$(dirname "$0")/sha256.sh"
# shellcheck disable=SC2086 # kc_sha256 may be two words
sums() { (cd "$1" && find . -print | LC_ALL=C sort && find . -type f -exec $kc_sha256 {} + | LC_ALL=C sort); }
wait_for() { # wait_for FILE: at most 10 s
    n=0
    while [ ! -e "$1" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
    [ -e "$1" ]
}
collect() { # collect ROOT CASE [OPTION...]: status in $st, stderr in $work/err
    r=$1 c=$2 && shift 2
    "$bin" --config "$work/live.ini" --root "$r" --live "$@" collect "$c" >"$work/out" 2>"$work/err"
    st=$?
}
check_live() { # check_live ROOT JSON
    "$bin" --config "$work/live.ini" --root "$1" --live --format json >"$2" 2>/dev/null
}
check_case() { # check_case CASE JSON
    "$bin" --no-config -P "$plugins" --root "$1" --format json >"$2" 2>/dev/null
}
has() { # has WHAT FILE TEXT
    if grep -qF -- "$3" "$2"; then ok; else
        bad "$1: '$3' not in:"; sed 's/^/    /' "$2" >&2; fi
}
policy_of() { # policy_of JSON BUNDLE_ID: the kext's "policy" in a report
    sed -n "/\"bundle_id\": \"$2\"/,/\"policy\"/s/.*\"policy\": \"\([a-z]*\)\".*/\1/p" "$1" | head -1
}

# --- 1. A writer killed mid-transaction: a hot journal beside a database
# that holds the uncommitted approval of KERedirect. ---------------------
mkroot hot
"$dbwriter" hold "$work/hot/$dbrel" "UPDATE kext_policy SET allowed = 1" "$work/hot.ready" &
pid=$!
wait_for "$work/hot.ready" || bad "hot: the writer did not start"
kill -9 "$pid" && wait "$pid" 2>/dev/null
[ -s "$work/hot/$dbrel-journal" ] && ok || bad "hot: no journal was left"
before=$(sums "$work/hot")
check_live "$work/hot" "$work/hot-live.json"
has "hot: live" "$work/hot-live.json" '"state": "unreadable"'
collect "$work/hot" "$work/case-hot"
[ "$st" = 3 ] && ok || bad "hot: collect exit $st, expected 3"
has "hot: stderr" "$work/err" "so the copy may hold UNCOMMITTED data"
has "hot: stderr names the journal" "$work/err" "a -journal of"
has "hot: manifest" "$work/case-hot/.kextcheck/manifest.json" '"consistent": false'
has "hot: manifest" "$work/case-hot/.kextcheck/manifest.json" '"uncommitted_data_possible": true'
cmp -s "$work/hot/$dbrel" "$work/case-hot/$dbrel" && ok || bad "hot: database not copied byte for byte"
cmp -s "$work/hot/$dbrel-journal" "$work/case-hot/$dbrel-journal" && ok ||
    bad "hot: -journal not copied byte for byte"
check_case "$work/case-hot" "$work/case-hot.json"
st=$?
[ "$st" != 0 ] && ok || bad "hot: the snapshot's analysis says exit 0 (uncommitted data read as committed)"
has "hot: analysis" "$work/case-hot.json" '"state": "unreadable"'
"$jsoncheck" --same "$work/hot-live.json" "$work/case-hot.json" >/dev/null && ok ||
    bad "hot: the snapshot's answer differs from the live one"
[ "$before" = "$(sums "$work/hot")" ] && ok || bad "hot: collect changed the source"

# --- 2. A writer that keeps the lock (exclusive, its changes half written)
# while collect runs: collect waits a bounded time, then keeps the files. --
mkroot locked
"$dbwriter" hold "$work/locked/$dbrel" "UPDATE kext_policy SET allowed = 1" "$work/locked.ready" &
pid=$!
wait_for "$work/locked.ready" || bad "locked: the writer did not start"
check_live "$work/locked" "$work/locked-live.json"
has "locked: live" "$work/locked-live.json" '"state": "busy"'
start=$(date +%s)
collect "$work/locked" "$work/case-locked"
took=$(( $(date +%s) - start ))
kill -9 "$pid" && wait "$pid" 2>/dev/null
[ "$st" = 3 ] && ok || bad "locked: collect exit $st, expected 3"
[ "$took" -lt 30 ] && ok || bad "locked: collect took ${took}s"
has "locked: stderr" "$work/err" "a writer kept it locked for more than"
has "locked: stderr" "$work/err" "UNCOMMITTED"
has "locked: manifest" "$work/case-locked/.kextcheck/manifest.json" '"consistent": false'
[ -s "$work/case-locked/$dbrel-journal" ] && ok || bad "locked: the -journal was not copied"
check_case "$work/case-locked" "$work/case-locked.json"
st=$?
[ "$st" != 0 ] && ok || bad "locked: the snapshot's analysis says exit 0"
"$jsoncheck" --same "$work/locked-live.json" "$work/case-locked.json" >/dev/null && ok ||
    bad "locked: the snapshot's answer differs from the live one"

# --- 3. A writer that commits after a second: collect waits for it and
# copies the committed state, consistently. --------------------------------
mkroot brief
"$dbwriter" commit "$work/brief/$dbrel" "UPDATE kext_policy SET allowed = 1" "$work/brief.ready" 1000 &
pid=$!
wait_for "$work/brief.ready" || bad "brief: the writer did not start"
collect "$work/brief" "$work/case-brief"
wait "$pid" || bad "brief: the writer failed"
[ "$st" = 0 ] && ok || { bad "brief: collect exit $st"; cat "$work/err" >&2; }
has "brief: manifest" "$work/case-brief/.kextcheck/manifest.json" '"consistent": true'
[ ! -e "$work/case-brief/$dbrel-journal" ] && ok || bad "brief: a -journal was copied"
check_case "$work/case-brief" "$work/case-brief.json"
[ "$(policy_of "$work/case-brief.json" com.trendmicro.kext.KERedirect)" = allowed ] && ok ||
    bad "brief: the committed approval is not in the snapshot"
check_live "$work/brief" "$work/brief-live.json"
"$jsoncheck" --same "$work/brief-live.json" "$work/case-brief.json" >/dev/null && ok ||
    bad "brief: the snapshot's answer differs from the live one"

# --- 4. DIR and its parent. --------------------------------------------
mkroot mac
mkdir -p "$work/open" "$work/group" "$work/sticky" "$work/elsewhere"
chmod 777 "$work/open"; chmod 775 "$work/group"; chmod 1777 "$work/sticky"
collect "$work/mac" "$work/open/case"
[ "$st" = 64 ] && ok || bad "world-writable parent: exit $st, expected 64"
has "world-writable parent" "$work/err" "its folder $work/open is writable by everyone and has no sticky bit"
[ ! -e "$work/open/case" ] && ok || bad "world-writable parent: DIR was created"
collect "$work/mac" "$work/group/case"
[ "$st" = 64 ] && ok || bad "group-writable parent: exit $st, expected 64"
has "group-writable parent" "$work/err" "is writable by its group and has no sticky bit"
collect "$work/mac" "$work/sticky/case"
[ "$st" = 0 ] && ok || { bad "sticky parent: exit $st"; cat "$work/err" >&2; }
if [ "$(id -u)" = 0 ]; then
    mkdir -p "$work/others" && chown 65534 "$work/others"
    collect "$work/mac" "$work/others/case"
    [ "$st" = 64 ] && ok || bad "parent of another user: exit $st, expected 64"
    has "parent of another user" "$work/err" "is owned by uid 65534, which is neither root nor the running user"
fi
mkdir -m 700 "$work/dot"
(cd "$work/dot" && "$bin" --config "$work/live.ini" --root "$work/mac" collect . >/dev/null 2>"$work/err")
st=$?
[ "$st" = 0 ] && ok || { bad "collect . in an empty folder: exit $st"; cat "$work/err" >&2; }
[ -f "$work/dot/.kextcheck/manifest.json" ] && ok || bad "collect .: no manifest"
collect "$work/mac" /
[ "$st" = 64 ] && ok || bad "collect /: exit $st, expected 64"
ln -s "$work/elsewhere" "$work/case-link"
collect "$work/mac" "$work/case-link"
[ "$st" = 64 ] && ok || bad "DIR is a link: exit $st, expected 64"
has "DIR is a link" "$work/err" "exists and is not a folder (a symbolic link is never followed)"
[ -z "$(ls -A "$work/elsewhere")" ] && ok || bad "DIR is a link: written through it"
collect "$work/mac" "$work/case-link/"
[ "$st" = 64 ] && ok || bad "DIR/ is a link: exit $st, expected 64"

# --- 5. DIR swapped for a link while collect runs (by the first command it
# runs, after the database and plists were written): everything still goes
# into the folder that was checked, nothing into the link's target. ------
race() { # race NAME SWAP: a spctl that runs SWAP once, then answers
    cat >"$work/bin/spctl-$1" <<EOS
#!/bin/sh
if [ ! -e "$work/$1.swapped" ]; then : >"$work/$1.swapped"; $2; fi
exec "$work/bin/spctl" "\$@"
EOS
    chmod 755 "$work/bin/spctl-$1"
    conf "$work/$1.ini" "$work/bin/spctl-$1"
    mkdir -p "$work/$1-target"
}
race swapdir "mv '$work/case-race' '$work/case-race.moved' && ln -s '$work/swapdir-target' '$work/case-race'"
mkdir -p "$work/swapdir-target/.kextcheck" # ready to receive what collect writes next
"$bin" --config "$work/swapdir.ini" --root "$work/mac" --live collect "$work/case-race" >/dev/null 2>"$work/err"
st=$?
[ -e "$work/swapdir.swapped" ] && ok || bad "swapped DIR: the swap did not run"
[ -z "$(find "$work/swapdir-target" -type f)" ] && ok || bad "swapped DIR: collect wrote into the link's target"
[ -f "$work/case-race.moved/.kextcheck/manifest.json" ] && ok || bad "swapped DIR: no manifest in the folder checked"
[ -f "$work/case-race.moved/.kextcheck/kextstat.txt" ] && ok || bad "swapped DIR: no capture in the folder checked"
[ "$st" = 0 ] && ok || { bad "swapped DIR: exit $st"; cat "$work/err" >&2; }
race swapsub "mv '$work/case-race2/.kextcheck' '$work/case-race2/.moved' && ln -s '$work/swapsub-target' '$work/case-race2/.kextcheck'"
"$bin" --config "$work/swapsub.ini" --root "$work/mac" --live collect "$work/case-race2" >/dev/null 2>"$work/err"
st=$?
[ -e "$work/swapsub.swapped" ] && ok || bad "swapped .kextcheck: the swap did not run"
[ -z "$(ls -A "$work/swapsub-target")" ] && ok || bad "swapped .kextcheck: collect wrote into the link's target"
[ "$st" = 3 ] && ok || bad "swapped .kextcheck: exit $st, expected 3 (the captures could not be written)"
has "swapped .kextcheck" "$work/err" "cannot write .kextcheck/manifest.json"

# --- 6. A full disk: every write checked, no cut file left, exit 3. ------
# RLIMIT_FSIZE (16 blocks: 8 or 16 KiB, below the 36 KiB database) makes
# writes fail with EFBIG once SIGXFSZ is ignored.
(trap '' XFSZ; ulimit -f 16 && exec "$bin" --config "$work/live.ini" --root "$work/mac" \
    collect "$work/case-fsize") >/dev/null 2>"$work/err"
st=$?
[ "$st" = 3 ] && ok || { bad "file size limit: exit $st, expected 3"; cat "$work/err" >&2; }
has "file size limit" "$work/err" "cannot write $dbrel: File too large"
has "file size limit" "$work/err" "the snapshot is incomplete"
[ ! -e "$work/case-fsize/$dbrel" ] && ok || bad "file size limit: a cut database was left"
has "file size limit: manifest" "$work/case-fsize/.kextcheck/manifest.json" '"complete": false'
has "file size limit: manifest" "$work/case-fsize/.kextcheck/manifest.json" "\"path\": \"/$dbrel\""
# A small tmpfs, where it can be mounted (root, outside most containers).
mkdir -p "$work/small"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=24k,mode=755 tmpfs "$work/small" 2>/dev/null; then
    collect "$work/mac" "$work/small/case"
    [ "$st" = 3 ] && ok || bad "full tmpfs: exit $st, expected 3"
    has "full tmpfs" "$work/err" "No space left on device"
    # (the sysctl captures are empty on purpose: a key Intel lacks prints nothing)
    [ -z "$(find "$work/small/case" -type f -size 0 ! -name "sysctl-*.txt")" ] &&
        ok || bad "full tmpfs: an empty file was left"
    [ ! -e "$work/small/case/$dbrel" ] && ok || bad "full tmpfs: a cut database was left"
    umount "$work/small" || bad "cannot unmount $work/small"
else
    echo "collect.sh: skipped the full-tmpfs case (cannot mount a tmpfs here; the RLIMIT_FSIZE case ran)"
fi

# The summary that cannot be printed is an error too.
if [ -w /dev/full ]; then
    "$bin" --config "$work/live.ini" --root "$work/mac" collect "$work/case-stdout" >/dev/full 2>"$work/err"
    st=$?
    [ "$st" = 3 ] && ok || bad "stdout full: exit $st, expected 3"
fi

# --- 7. db.plist: no more than the analyser reads, and the same answer. --
mkroot bigdb
mkdir -p "$work/bigdb/Library/SystemExtensions"
head -c 1048676 /dev/zero >"$work/bigdb/Library/SystemExtensions/db.plist"
collect "$work/bigdb" "$work/case-bigdb"
size=$(wc -c <"$work/case-bigdb/Library/SystemExtensions/db.plist")
[ "$size" -eq 1048577 ] && ok || bad "big db.plist: copied $size bytes, expected 1048577"
has "big db.plist" "$work/err" "larger than 1048576 bytes (kextcheck reads no more)"
check_live "$work/bigdb" "$work/bigdb-live.json"
check_case "$work/case-bigdb" "$work/case-bigdb.json"
has "big db.plist: live" "$work/bigdb-live.json" '"error": "larger than 1048576 bytes"'
has "big db.plist: snapshot" "$work/case-bigdb.json" '"error": "larger than 1048576 bytes"'
"$jsoncheck" --same "$work/bigdb-live.json" "$work/case-bigdb.json" >/dev/null && ok ||
    bad "big db.plist: the snapshot's answer differs from the live one"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
