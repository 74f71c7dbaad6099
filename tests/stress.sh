#!/bin/sh
# stress.sh KEXTCHECK PLUGINDIR SNAPSHOTS KCSTRESS WORKDIR MODE [RUNS]
#
# kextcheck against a database another process is writing: a copy of the
# article's snapshot whose approval database (MODE "wal": WAL with -wal and
# -shm, as on a live Mac; "rollback": rollback journal) holds rows of two
# vendors, trendmicro and sophos.  A writer (kcstress write) commits as fast
# as it can, each commit one transaction that sets every row of both
# vendors to allowed = 1 (state A) or allowed = 0 (state B), churns
# unrelated rows and, in WAL mode, checkpoints.  Meanwhile kextcheck runs
# RUNS times (env KC_STRESS_RUNS overrides; at most KC_STRESS_MAX_SECONDS,
# default 300) and each report must be exactly the report of state A or of
# state B (made before the writer starts):
#   - "mixed": a report with both allowed and waiting kexts (two snapshots);
#   - "wrong": any other difference (busy, unreadable, no tables, ...).
# What kextcheck must not change, checked the honest way since the writer
# changes the live database's bytes: no file appears or vanishes in the
# live root, every file there but the database's is byte-identical, and a
# second copy ("still", same database files, no writer) that kextcheck
# reads every 10th run is byte-identical at the end.
# Everything lives in a new folder under WORKDIR, removed at the end (bad
# reports are kept in WORKDIR/stress-MODE-failures/ for a look).
set -u
bin=$1 plugins=$2 snaps=$3 tool=$4 workbase=$5 mode=$6
runs=${KC_STRESS_RUNS:-${7:-1000}}
max=${KC_STRESS_MAX_SECONDS:-300}
db_rel=private/var/db/SystemPolicyConfiguration/KextPolicy
teams="('E8P47U2H32', '2H5GFH3774')"

mkdir -p "$workbase" || exit 2
work=$(mktemp -d "$workbase/stress-$mode.XXXXXX") || exit 2
failures="$workbase/stress-$mode-failures"
rm -rf "$failures"
wpid=
cleanup() {
    if [ -n "$wpid" ]; then
        : >"$work/stop"
        wait "$wpid" 2>/dev/null
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "FAIL: $*" >&2; exit 1; }

live="$work/live" still="$work/still"
cp -RP "$snaps/article-10.13" "$live" || exit 2
rm -f "$live/$db_rel" "$live/$db_rel-wal" "$live/$db_rel-shm" "$live/$db_rel-journal"
"$tool" sql "$live/$db_rel" "$mode" "
CREATE TABLE settings ( name TEXT, value TEXT, PRIMARY KEY (name) );
CREATE TABLE kext_load_history_v3 ( path TEXT PRIMARY KEY, team_id TEXT, bundle_id TEXT, boot_uuid TEXT, created_at TEXT, last_seen TEXT, flags INTEGER , cdhash TEXT);
CREATE TABLE kext_policy ( team_id TEXT, bundle_id TEXT, allowed BOOLEAN, developer_name TEXT, flags INTEGER, PRIMARY KEY (team_id, bundle_id) );
CREATE TABLE kext_policy_mdm ( team_id TEXT, bundle_id TEXT, allowed BOOLEAN, payload_uuid TEXT, PRIMARY KEY (team_id, bundle_id) );
INSERT INTO kext_policy VALUES ('E8P47U2H32', 'com.trendmicro.kext.filehook', 1, 'Trend Micro, Inc.', 8);
INSERT INTO kext_policy VALUES ('E8P47U2H32', 'com.trendmicro.kext.KERedirect', 1, 'Trend Micro, Inc.', 8);
INSERT INTO kext_policy VALUES ('2H5GFH3774', 'com.sophos.kext.sav', 1, 'Sophos', 8);
INSERT INTO kext_policy VALUES ('2H5GFH3774', 'com.sophos.nke.swi', 1, 'Sophos', 8);
INSERT INTO kext_policy VALUES ('2H5GFH3774', 'com.sophos.kext.oas', 1, 'Sophos', 8);
INSERT INTO kext_policy VALUES ('2H5GFH3774', 'com.sophos.driver.devctrl', 1, 'Sophos', 8);
INSERT INTO kext_load_history_v3 VALUES ('/Library/StagedExtensions/Library/Application Support/TrendMicro/KernelExtensions/filehook.kext', 'E8P47U2H32', 'com.trendmicro.kext.filehook', '6F0B1A52-7C55-4E4B-9D8A-2B5E1C3D4F60', '2019-03-02 09:14:11', '2019-03-04 08:01:12', 5, NULL);
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 399)
INSERT INTO kext_policy SELECT printf('UNREL%05d', i % 997), 'com.kcstress.unrelated.' || i, i % 2, 'Unrelated Developer', 8 FROM c;
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 399)
INSERT INTO kext_load_history_v3 (path, team_id, bundle_id, created_at, last_seen, flags)
SELECT '/Library/Extensions/KcStress' || i || '.kext', printf('UNREL%05d', i % 997), 'com.kcstress.unrelated.' || i, '2020-01-01 00:00:00', '2020-01-02 00:00:00', 5 FROM c;
" || exit 2

check() {
    "$bin" --no-config -P "$plugins" --root "$1" --vendor trendmicro --vendor sophos \
        --format json 2>&1
}
# The two answers, with no writer running.
ref_a=$(check "$live"); rc_a=$?
"$tool" sql "$live/$db_rel" "$mode" "UPDATE kext_policy SET allowed = 0 WHERE team_id IN $teams;" || exit 2
ref_b=$(check "$live"); rc_b=$?
"$tool" sql "$live/$db_rel" "$mode" "UPDATE kext_policy SET allowed = 1 WHERE team_id IN $teams;" || exit 2
count() { printf '%s\n' "$1" | grep -c "\"policy\": \"$2\""; }
[ "$(count "$ref_a" allowed)" = 6 ] && [ "$(count "$ref_a" pending)" = 0 ] ||
    die "state A is not six approved kexts: $ref_a"
[ "$(count "$ref_b" pending)" = 6 ] && [ "$(count "$ref_b" allowed)" = 0 ] ||
    die "state B is not six kexts waiting for approval: $ref_b"
[ "$ref_a" = "$(check "$live")" ] || die "state A does not give the same report twice"

cp -RP "$live" "$still" || exit 2
# Checksums of the files under $1 but those whose path matches $2.
sums() { (cd "$1" && find . -type f ! -path "$2" -exec cksum {} + | LC_ALL=C sort); }
still_before=$(sums "$still" "")
other_before=$(sums "$live" "./$db_rel*")

"$tool" write "$live/$db_rel" "$mode" "$work/stop" "$max" "$work/ready" >"$work/writer.out" 2>&1 &
wpid=$!
n=0
while [ ! -e "$work/ready" ]; do
    kill -0 "$wpid" 2>/dev/null || die "the writer did not start: $(cat "$work/writer.out")"
    n=$((n + 1))
    [ $n -lt 1000 ] || die "the writer made no commit in 10 s"
    sleep 0.01
done
names_before=$(cd "$live" && find . | LC_ALL=C sort)

i=0 a=0 b=0 mixed=0 wrong=0 still_runs=0
start=$(date +%s)
while [ $i -lt "$runs" ]; do
    out=$(check "$live"); rc=$?
    if [ $rc = "$rc_a" ] && [ "$out" = "$ref_a" ]; then
        a=$((a + 1))
    elif [ $rc = "$rc_b" ] && [ "$out" = "$ref_b" ]; then
        b=$((b + 1))
    else
        if [ "$(count "$out" allowed)" -gt 0 ] && [ "$(count "$out" pending)" -gt 0 ]; then
            mixed=$((mixed + 1)) kind=mixed
        else
            wrong=$((wrong + 1)) kind=wrong
        fi
        mkdir -p "$failures"
        [ $((mixed + wrong)) -gt 5 ] || printf '%s\nexit %s\n' "$out" $rc >"$failures/run-$i-$kind.json"
    fi
    if [ $((i % 10)) = 0 ]; then
        check "$still" >/dev/null
        still_runs=$((still_runs + 1))
    fi
    i=$((i + 1))
    if [ $((i % 50)) = 0 ] && [ $(($(date +%s) - start)) -ge "$max" ]; then
        echo "note: stopped at the time limit (${max} s) after $i runs"
        break
    fi
done
elapsed=$(($(date +%s) - start))
names_after=$(cd "$live" && find . | LC_ALL=C sort)
kill -0 "$wpid" 2>/dev/null || die "the writer stopped before the runs ended: $(cat "$work/writer.out")"
: >"$work/stop"
wait "$wpid"; wrc=$?
wpid=
cat "$work/writer.out"
[ $wrc = 0 ] || die "the writer failed"
still_after=$(sums "$still" "")
other_after=$(sums "$live" "./$db_rel*")

echo "stress ($mode): $i runs in ${elapsed} s: $a state A, $b state B, $mixed mixed snapshots, $wrong wrong answers"
status=0
if [ $mixed != 0 ] || [ $wrong != 0 ]; then
    echo "FAIL: $mixed mixed and $wrong wrong reports (first ones in $failures)" >&2
    status=1
fi
if [ $a = 0 ] || [ $b = 0 ]; then
    echo "FAIL: the runs saw only one state: the writer did not run alongside" >&2
    status=1
fi
if [ "$names_before" != "$names_after" ]; then
    echo "FAIL: files appeared or vanished in the live root:" >&2
    printf '%s\n' "$names_before" >"$work/names"
    printf '%s\n' "$names_after" | diff "$work/names" - >&2
    status=1
fi
[ "$other_before" = "$other_after" ] || { echo "FAIL: evidence files changed in the live root" >&2; status=1; }
if [ "$still_before" = "$still_after" ]; then
    echo "still copy: $still_runs runs, $(printf '%s\n' "$still_after" | wc -l) files byte-identical"
else
    echo "FAIL: the still copy changed after $still_runs runs" >&2
    status=1
fi
exit $status
