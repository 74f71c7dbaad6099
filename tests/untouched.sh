#!/bin/sh
# untouched.sh KEXTCHECK PLUGINDIR SNAPSHOT
# The evidence must be byte-identical after a run, in text and JSON, and no
# file may appear or vanish (SQLite must not create -wal, -shm or -journal).
set -u
bin=$1 plugins=$2 snap=$3
sums() { (cd "$snap" && find . -print | LC_ALL=C sort && find . -type f -exec sha256sum {} + | LC_ALL=C sort); }
before=$(sums) || exit 2
"$bin" --no-config --plugin-dir "$plugins" --root "$snap" >/dev/null 2>&1
"$bin" --no-config --plugin-dir "$plugins" --root "$snap" --format json >/dev/null 2>&1
after=$(sums) || exit 2
if [ "$before" != "$after" ]; then
    echo "FAIL: kextcheck changed the evidence in $snap" >&2
    printf '%s\n' "$before" >"${TMPDIR:-/tmp}/kc-before.$$"
    printf '%s\n' "$after" | diff -u "${TMPDIR:-/tmp}/kc-before.$$" - >&2
    rm -f "${TMPDIR:-/tmp}/kc-before.$$"
    exit 1
fi
echo "evidence unchanged: $(printf '%s\n' "$after" | grep -c '^[0-9a-f]\{64\}') files"
