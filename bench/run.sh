#!/bin/sh
# bench/run.sh [BUILDDIR]: how long kextcheck takes and how much memory it
# uses on the bundled snapshots, with every catalog plugin loaded.  Not part
# of the test suite (timings there would be flaky); run it by hand or in a
# benchmark job.  Instruction counts come from valgrind's callgrind when it
# is installed: they repeat exactly for the same binary and inputs.
set -eu
build=${1:-build}
bin="$build/bin/kextcheck"
plugins=$(find "$build" -path '*kextcheck/plugins' -type d | head -n 1)
[ -x "$bin" ] && [ -n "$plugins" ] || { echo "bench: build first (cmake --build $build)" >&2; exit 2; }
runs=20
printf '%-28s %12s %12s %16s\n' snapshot "ms/run" "max RSS KB" instructions
for snap in article-10.13 not-loaded-consent hostile-evidence sysext-many; do
    root="$build/snapshots/$snap"
    start=$(date +%s%N)
    i=0
    while [ $i -lt $runs ]; do
        "$bin" --no-config -P "$plugins" --root "$root" --format json >/dev/null || true
        i=$((i + 1))
    done
    end=$(date +%s%N)
    ms=$(( (end - start) / runs / 1000000 ))
    rss=$( { /usr/bin/time -f '%M' "$bin" --no-config -P "$plugins" --root "$root" >/dev/null; } 2>&1 | tail -n 1) || true
    ir=-
    if command -v valgrind >/dev/null 2>&1; then
        ir=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" --no-config \
             -P "$plugins" --root "$root" 2>&1 >/dev/null | sed -n 's/.*Collected : //p')
    fi
    printf '%-28s %12s %12s %16s\n' "$snap" "$ms" "$rss" "$ir"
done
