#!/bin/sh
# bench/run.sh [BUILDDIR]: kextcheck's speed and memory, in one run.
#
# On the article's snapshot (BUILDDIR/snapshots/article-10.13) with every
# catalog plugin of the build, interleaved (each round runs every command
# once; RUNS rounds, 15 by default, after two warm-up rounds):
#   - kextcheck (text) and kextcheck --format json;
#   - one `sqlite3 -readonly KextPolicy 'select count(*) from kext_policy'`
#     (the floor: starting a process and reading the database once);
#   - the shell script admins run today, PEER_SCRIPT (default
#     ../shared/bench/shell-peer.sh beside the repository; skipped, saying
#     so, when it is not there);
# and the scaling points, each against the base JSON run: 20,000 and
# 200,000 unrelated kext_policy and kext_load_history_v3 rows, a 5,000-line
# kextstat capture, a 5,000-entry db.plist (system extensions), and 100 and
# 1,000 generated plugins (bench/genplugin.c, compiled here with cc, kept
# in BUILDDIR/bench-plugins for the next run).  The 1,000 plugins are also
# loaded under `ulimit -n 64` to show that no descriptor limit caps them.
#
# When the build has the test binary with every plugin built in
# (BUILDDIR/tests/kextcheck_builtin, what KEXTCHECK_BUILTIN_PLUGINS=all
# gives packagers; BUILTIN_BIN=... names another), it is timed too.
#
# Prints the median wall time (first and third quartiles beside it) and
# the median peak RSS of each, the ratios the targets are about, and with
# BENCH_TSV=FILE the same numbers tab-separated.  Needs a C compiler and
# the sqlite3 CLI (bench only; the tests need neither).  Timings are of the
# whole process (fork to wait), taken by bench/kcbench.c.  Not part of the
# test suite: numbers depend on the machine and its load.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
build=${1:-build}
runs=${RUNS:-15}
peer=${PEER_SCRIPT:-$repo/../shared/bench/shell-peer.sh}
tsv=${BENCH_TSV:-}
cc=${CC:-cc}
bin="$build/bin/kextcheck"
builtin=${BUILTIN_BIN:-$build/tests/kextcheck_builtin}
plugins="$build/lib/kextcheck/plugins"
[ -d "$plugins" ] || plugins=$(find "$build" -maxdepth 4 -path '*kextcheck/plugins' -type d | head -n 1)
base="$build/snapshots/article-10.13"
sysext_db="$build/snapshots/sysext-many/Library/SystemExtensions/db.plist"
db_rel=private/var/db/SystemPolicyConfiguration/KextPolicy

die() { echo "bench: $*" >&2; exit 2; }
{ [ -x "$bin" ] && [ -n "$plugins" ] && [ -d "$base" ] && [ -f "$sysext_db" ]; } ||
    die "build first (cmake --build $build): needs $bin, its plugins and snapshots"
command -v sqlite3 >/dev/null 2>&1 || die "needs the sqlite3 CLI (apt-get install sqlite3)"
command -v "$cc" >/dev/null 2>&1 || die "needs a C compiler ($cc)"
case $runs in ''|*[!0-9]*) die "RUNS must be a number" ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/kc-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

"$cc" -std=c11 -O2 -o "$work/kcbench" "$here/kcbench.c" || die "cannot compile kcbench.c"

# ---- the cases ---------------------------------------------------------------

# N unrelated rows in each table: four kexts per team, one load record each.
grow() {
    sqlite3 "$1" <<EOF
BEGIN;
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i + 1 < $2)
INSERT INTO kext_policy (team_id, bundle_id, allowed, developer_name, flags)
SELECT printf('U%09d', i / 4), printf('com.unrelated%d.kext%d', i / 4, i % 4), i % 2,
       printf('Unrelated Developer %d', i / 4), 8 FROM c;
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i + 1 < $2)
INSERT INTO kext_load_history_v3
SELECT printf('/Library/Extensions/Unrelated%d.kext', i), printf('U%09d', i / 4),
       printf('com.unrelated%d.kext%d', i / 4, i % 4), '6F0B1A52-7C55-4E4B-9D8A-2B5E1C3D4F60',
       '2019-03-02 09:14:11', '2019-03-04 08:01:12', 5 FROM c;
COMMIT;
EOF
}
for n in 20000 200000; do
    cp -RP "$base" "$work/rows-$n"
    grow "$work/rows-$n/$db_rel" "$n"
done

# kextstat with 5,000 more loaded kexts (the article's lines first).
cp -RP "$base" "$work/kextstat-5000"
awk 'BEGIN {
    for (i = 0; i < 5000; i++)
        printf "  %3d    0 0xffffff7f%08x 0x21000    0x21000    com.example.loaded.kext%d (1.0.%d) 7E3C1D2B-4A5F-3E6D-8C9B-%012d <37 8 6 5 3 1>\n",
               200 + i, 0x8a200000 + i * 0x21000, i, i, i
}' >>"$work/kextstat-5000/.kextcheck/kextstat.txt"

# The sysext-many case's db.plist: 5,000 unrelated system extensions.
cp -RP "$base" "$work/dbplist-5000"
mkdir -p "$work/dbplist-5000/Library/SystemExtensions"
cp "$sysext_db" "$work/dbplist-5000/Library/SystemExtensions/db.plist"

# Generated plugins, kept between runs while genplugin.c and plugin.h stay.
stamp=$(cat "$here/genplugin.c" "$repo/include/kextcheck/plugin.h" | cksum | cut -d' ' -f1)
gen="$build/bench-plugins/$stamp"
for n in 10 100 1000; do
    d="$gen/p$n"
    [ -f "$d/.complete" ] && continue
    rm -rf "$d" && mkdir -p "$d" && chmod 755 "$d"
    echo "bench: compiling $n plugins into $d" >&2
    i=1
    # shellcheck disable=SC2016
    while [ $i -le $n ]; do
        id=$(printf 'g%04d' $i)
        echo "$id $(printf 'GEN%07d' $i)"
        i=$((i + 1))
    done | xargs -P "$(nproc 2>/dev/null || echo 2)" -n 2 sh -c '
        "$0" -std=c11 -shared -fPIC -fvisibility=hidden -O1 -I"$1" -DGEN_IDENT="$4" \
            -DGEN_NAME="\"$4\"" -DGEN_TEAM="\"$5\"" "$2" -o "$3/$4.so"' \
            "$cc" "$repo/include" "$here/genplugin.c" "$d" || die "cannot compile the plugins"
    chmod 644 "$d"/*.so
    touch "$d/.complete"
done

# ---- the runs -----------------------------------------------------------------

T=$(printf '\t')
kc="$bin${T}--no-config${T}-P${T}$plugins${T}--root"
{
    echo "text${T}$kc${T}$base"
    echo "json${T}$kc${T}$base${T}--format${T}json"
    if [ -x "$builtin" ]; then
        mkdir -p "$work/none"
        echo "builtin-text${T}$builtin${T}--no-config${T}-P${T}$work/none${T}--root${T}$base"
        echo "builtin-json${T}$builtin${T}--no-config${T}-P${T}$work/none${T}--root${T}$base${T}--format${T}json"
    fi
    echo "sqlite3${T}sqlite3${T}-readonly${T}$base/$db_rel${T}select count(*) from kext_policy"
    [ -f "$peer" ] && echo "peer${T}sh${T}$peer${T}$base"
    for c in rows-20000 rows-200000 kextstat-5000 dbplist-5000; do
        echo "$c${T}$kc${T}$work/$c${T}--format${T}json"
    done
    for n in 10 100 1000; do
        echo "plugins-$n${T}$bin${T}--no-config${T}-P${T}$gen/p$n${T}--root${T}$base${T}--format${T}json"
        echo "load-$n${T}$bin${T}plugins${T}--no-config${T}-P${T}$gen/p$n"
    done
} >"$work/spec"

echo "kextcheck bench: $bin ($(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || echo '?') build)"
echo "  $(find "$plugins" -maxdepth 1 -name '*.so' | wc -l) catalog plugins; $runs interleaved rounds; $(nproc 2>/dev/null || echo '?') CPUs; load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
[ -f "$peer" ] || echo "  peer script $peer not found (PEER_SCRIPT=...): no peer ratio"
"$work/kcbench" -n "$runs" -w 2 "$work/spec" >"$work/results" || die "a benchmark command could not run"

# ---- the report ---------------------------------------------------------------

get() { awk -F'\t' -v n="$1" -v f="$2" '$1 == n { print $f }' "$work/results"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

printf '\n%-14s %10s %17s %8s %13s %5s  %s\n' case "median ms" "quartiles ms" "CPU ms" "peak RSS KiB" exit "compared"
show() {
    name=$1 ref=$2 label=$3
    [ -n "$(get "$name" 1)" ] || return 0
    ms=$(get "$name" 3) q1=$(get "$name" 4) q3=$(get "$name" 5) rss=$(get "$name" 6)
    st=$(get "$name" 8) cpu=$(get "$name" 9) cmp="" rt="" rr="" rc=""
    if [ -n "$ref" ]; then
        rt=$(ratio "$ms" "$(get "$ref" 3)") rr=$(ratio "$rss" "$(get "$ref" 6)")
        rc=$(ratio "$cpu" "$(get "$ref" 9)")
        cmp="${rt}x the time (${rc}x the CPU), ${rr}x the RSS of $ref"
    fi
    printf '%-14s %10s %8s - %-7s %8s %13s %5s  %s\n' "$name" "$ms" "$q1" "$q3" "$cpu" "$rss" "$st" \
        "$label$cmp"
    [ -z "$tsv" ] || printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$ms" "$q1" \
        "$q3" "$cpu" "$rss" "$st" "${ref:--}" "${rt:--}" "${rc:--}" "${rr:--}" >>"$tsv"
}
[ -z "$tsv" ] || printf 'case\tmedian_ms\tq1_ms\tq3_ms\tcpu_ms\tpeak_rss_kib\texit\tcompared_to\ttime_ratio\tcpu_ratio\trss_ratio\n' >"$tsv"
show sqlite3 "" "one sqlite3 CLI query"
[ -f "$peer" ] && show peer "" "$(basename "$peer")"
show text sqlite3 ""
show json sqlite3 ""
show builtin-text sqlite3 "plugins built in: "
show builtin-json sqlite3 "plugins built in: "
for c in rows-20000 rows-200000 kextstat-5000 dbplist-5000; do
    show "$c" json ""
done
for n in 10 100 1000; do
    show "plugins-$n" json "$n generated plugins instead of the catalog: "
done
for n in 10 100 1000; do
    show "load-$n" "" "kextcheck plugins, $n generated"
done

# The targets of issue 10.
echo
verdict() { awk -v v="$1" -v lim="$2" -v dir="$3" 'BEGIN { ok = dir == "le" ? v <= lim : v >= lim; print ok ? "met" : "NOT met" }'; }
cr() { ratio "$(get "$1" 9)" "$(get "$2" 9)"; }
st=$(ratio "$(get text 3)" "$(get sqlite3 3)"); sj=$(ratio "$(get json 3)" "$(get sqlite3 3)")
echo "text / sqlite3:        ${st}x, CPU $(cr text sqlite3)x  (target <= 1.5x: $(verdict "$st" 1.5 le))"
echo "json / sqlite3:        ${sj}x, CPU $(cr json sqlite3)x  (target <= 1.5x: $(verdict "$sj" 1.5 le))"
if [ -n "$(get builtin-text 3)" ]; then
    bt=$(ratio "$(get builtin-text 3)" "$(get sqlite3 3)"); bj=$(ratio "$(get builtin-json 3)" "$(get sqlite3 3)")
    echo "built in, text:        ${bt}x, CPU $(cr builtin-text sqlite3)x  (target <= 1.5x: $(verdict "$bt" 1.5 le))"
    echo "built in, json:        ${bj}x, CPU $(cr builtin-json sqlite3)x  (target <= 1.5x: $(verdict "$bj" 1.5 le))"
fi
if [ -n "$(get peer 3)" ]; then
    pt=$(ratio "$(get peer 3)" "$(get text 3)"); pj=$(ratio "$(get peer 3)" "$(get json 3)")
    echo "peer / text:           ${pt}x, CPU $(cr peer text)x  (target >= 30x: $(verdict "$pt" 30 ge))"
    echo "peer / json:           ${pj}x, CPU $(cr peer json)x  (target >= 30x: $(verdict "$pj" 30 ge))"
fi
for c in text json; do
    r=$(get $c 6)
    echo "peak RSS, $c:         $r KiB  (target <= 4096: $(verdict "$r" 4096 le))"
done
r=$(get dbplist-5000 6)
echo "peak RSS, db.plist:    $r KiB  (target <= 8192: $(verdict "$r" 8192 le))"
r=$(ratio "$(get rows-20000 3)" "$(get json 3)")
echo "20,000 rows / base:    ${r}x, CPU $(cr rows-20000 json)x  (target <= 1.25x: $(verdict "$r" 1.25 le))"
per=$(awk -v a="$(get plugins-1000 3)" -v b="$(get plugins-100 3)" 'BEGIN { printf "%.1f", (a - b) * 1000 / 900 }')
perl=$(awk -v a="$(get load-1000 3)" -v b="$(get load-100 3)" 'BEGIN { printf "%.1f", (a - b) * 1000 / 900 }')
perr=$(awk -v a="$(get plugins-1000 6)" -v b="$(get plugins-100 6)" 'BEGIN { printf "%.1f", (a - b) / 900 }')
echo "cost per plugin:       ${per} us a check (${perl} us of it loading), ${perr} KiB peak RSS (from 100 to 1,000)"
lin=$(awk -v a="$(get plugins-1000 3)" -v b="$(get plugins-100 3)" -v c="$(get plugins-10 3)" \
    'BEGIN { x = (b - c) / 90; y = (a - b) / 900; printf "%.2f", (x > 0 ? y / x : 0) }')
echo "linearity:             cost per plugin from 100 to 1,000 is ${lin}x that from 10 to 100 (1 = linear)"

# No descriptor limit: 1,000 plugins under 64 descriptors (dash, bash and
# busybox sh all have ulimit -n).
set +e
# shellcheck disable=SC3045
(ulimit -n 64 && "$bin" plugins --no-config -P "$gen/p1000" >"$work/lim.out" 2>"$work/lim.err")
lst=$?
# shellcheck disable=SC3045
(ulimit -n 64 && "$bin" --no-config -P "$gen/p1000" --root "$base" --format json >"$work/limc.out" 2>"$work/limc.err")
set -e
loaded=$(sed -n 's/^Loaded plugins: \([0-9]*\).*/\1/p' "$work/lim.out")
refused=$(sed -n 's/^Refused plugins: \([0-9]*\).*/\1/p' "$work/lim.out")
emfile=$(cat "$work/lim.err" "$work/limc.err" | grep -c 'Too many open files' || true)
echo "ulimit -n 64:          $loaded loaded, $refused refused, exit $lst; 'Too many open files': $emfile times"
