#!/bin/sh
# bench/db-scaling.sh [BUILDDIR]: how kextcheck's time grows with the size of
# the approval database.  Copies the article's snapshot (article-10.13) and
# adds 20,000 and 200,000 unrelated rows to kext_policy and to
# kext_load_history_v3 (other teams, other bundle IDs), then times
# `kextcheck --root` with every plugin of the build tree on the base case and
# on both copies, next to one sqlite3 CLI query of the same database (the
# floor: starting a process and opening the file).  Not part of the test
# suite; uses hyperfine when it is installed, a plain loop otherwise.
set -eu
build=${1:-build}
bin="$build/bin/kextcheck"
plugins="$build/lib/kextcheck/plugins"
[ -d "$plugins" ] || plugins=$(find "$build" -maxdepth 3 -path '*kextcheck/plugins' -type d | head -n 1)
base="$build/snapshots/article-10.13"
db_rel=private/var/db/SystemPolicyConfiguration/KextPolicy
[ -x "$bin" ] && [ -n "$plugins" ] && [ -d "$base" ] ||
    { echo "db-scaling: build first (cmake --build $build)" >&2; exit 2; }
command -v sqlite3 >/dev/null 2>&1 || { echo "db-scaling: needs the sqlite3 CLI" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/kc-dbscaling.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

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

cases="base"
for n in 20000 200000; do
    cp -RP "$base" "$work/rows-$n"
    grow "$work/rows-$n/$db_rel" "$n"
    cases="$cases rows-$n"
done
ln -s "$(cd "$base" && pwd)" "$work/base"

echo "kextcheck: $bin, plugins: $(ls "$plugins" | wc -l) in $plugins"
for c in $cases; do
    root="$work/$c"
    rows=$(sqlite3 -readonly "$root/$db_rel" 'SELECT (SELECT count(*) FROM kext_policy) || " policy rows, " || (SELECT count(*) FROM kext_load_history_v3) || " load records"')
    echo "== $c ($rows, $(wc -c <"$root/$db_rel") bytes)"
    kc="$bin --no-config -P $plugins --root $root --format json"
    q="sqlite3 -readonly $root/$db_rel \"SELECT * FROM kext_policy WHERE team_id = 'E8P47U2H32'\""
    if command -v hyperfine >/dev/null 2>&1; then
        hyperfine -N --warmup 3 --min-runs 30 -i --style basic \
            --command-name "kextcheck --root $c" "$kc" \
            --command-name "sqlite3 one query" "$q" 2>/dev/null | grep -E 'Time|±|kextcheck|sqlite3' || true
    else
        for cmd in "$kc" "$q"; do
            runs=30 i=0 start=$(date +%s%N)
            while [ $i -lt $runs ]; do sh -c "$cmd" >/dev/null 2>&1 || true; i=$((i + 1)); done
            end=$(date +%s%N)
            echo "  $(( (end - start) / runs / 1000 )) us/run: $cmd"
        done
    fi
done
