#!/bin/sh
# golden.sh KEXTCHECK PLUGINDIR SNAPSHOT GOLDEN_PREFIX text|json
# Runs kextcheck on a snapshot and compares its output with GOLDEN_PREFIX.txt
# or .json (the snapshot's path written as @ROOT@, the plugin folder as
# @PLUGINDIR@) and its exit status with
# GOLDEN_PREFIX.exit.  KC_UPDATE_GOLDEN=1 rewrites the golden files instead.
set -u
bin=$1 plugins=$2 snap=$3 golden=$4 fmt=$5
case $fmt in text) ext=txt ;; json) ext=json ;; *) echo "bad format $fmt" >&2; exit 2 ;; esac
snap=$(realpath "$snap") || exit 2
plugins=$(realpath "$plugins") || exit 2
out=$(mktemp) || exit 2
trap 'rm -f "$out" "$out.s"' EXIT

NO_COLOR=1 "$bin" --no-config --plugin-dir "$plugins" --root "$snap" --format "$fmt" >"$out" 2>/dev/null
status=$?
# Replace the build-specific paths (sed-safe: only '|' is special here).
sed -e "s|$snap|@ROOT@|g" -e "s|$plugins|@PLUGINDIR@|g" "$out" >"$out.s"

if [ "${KC_UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$out.s" "$golden.$ext"
    echo "$status" >"$golden.exit"
    echo "updated $golden.$ext (exit $status)"
    exit 0
fi
fail=0
if ! diff -u "$golden.$ext" "$out.s"; then
    echo "FAIL: output differs from $golden.$ext" >&2
    fail=1
fi
want=$(cat "$golden.exit" 2>/dev/null)
if [ "$status" != "$want" ]; then
    echo "FAIL: exit status $status, expected $want" >&2
    fail=1
fi
exit $fail
