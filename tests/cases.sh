#!/bin/sh
# cases.sh MKSNAPSHOT KEXTCHECK PLUGINDIR JSONCHECK CASES WORK [NAME...]
#
# The engine's golden cases.  Each folder CASES/<name>/ is one case:
#   the snapshot's sources (root/, KextPolicy.sql, ... as tests/tools/mksnapshot
#   reads them), or instead description.ini (a Mac described for
#   `kextcheck snapshot`, docs/snapshot-format.md; never both),
#   a README saying what it shows,
#   expected.txt, expected.json, expected.exit   what kextcheck prints and
#                                                returns for it,
#   args (optional)                              extra options, one per line,
#   expected-ja.txt (optional)                   the text report in Japanese.
# Every folder is picked up when the test runs (no cmake re-run): the snapshot
# is built into WORK/<name> (by MKSNAPSHOT, or by `KEXTCHECK snapshot
# description.ini`), kextcheck runs on it with the engine's frozen
# test plugins (PLUGINDIR, not the catalog) in text and JSON, and
#   - the output (the snapshot's path written @ROOT@, the plugin folder
#     @PLUGINDIR@) and the exit status must match the expected files;
#   - the JSON must pass the schema check (JSONCHECK);
#   - the snapshot must be byte-identical afterwards, with no file added or
#     removed (SQLite must not create -wal, -shm or -journal files).
# With KC_TEST_LOCALEDIR (the build's compiled catalogs; kextcheck built with
# KEXTCHECK_NLS) each case also runs in Japanese (LANGUAGE=ja in the C.UTF-8
# locale, which needs no generated locale; tests/i18n.sh checks
# LANG=ja_JP.UTF-8 itself): the text report must match expected-ja.txt where
# the case has one, and the JSON must be byte-identical to the C locale's.
# KC_UPDATE_GOLDEN=1 rewrites the expected files instead of comparing.
# NAME... limits the run to those cases.
set -u
mk=$1 bin=$2 plugins=$3 jsoncheck=$4 cases=$5 work=$6
shift 6
plugins=$(realpath "$plugins") || exit 2
mkdir -p "$work" || exit 2
work=$(realpath "$work") || exit 2
fails=0 count=0
ja_env=""
if [ -n "${KC_TEST_LOCALEDIR:-}" ]; then
    if [ "$(LC_ALL=C.UTF-8 locale charmap 2>/dev/null)" = UTF-8 ]; then
        ja_env="LC_ALL=C.UTF-8 LANGUAGE=ja KEXTCHECK_LOCALEDIR=$KC_TEST_LOCALEDIR"
    else
        echo "note: no C.UTF-8 locale: the cases are not run in Japanese"
    fi
else
    echo "note: built without KEXTCHECK_NLS: the cases are not run in Japanese"
fi

sums() { (cd "$1" && find . -print | LC_ALL=C sort && find . -type f -exec sha256sum {} + | LC_ALL=C sort); }

run_case() { # run_case NAME
    name=$1 src="$cases/$1" snap="$work/$1" bad=0
    rm -rf "$snap"
    if [ -f "$src/description.ini" ]; then
        for f in root KextPolicy.sql KextPolicy.wal.sql KextPolicy.raw KextPolicy.truncate layout; do
            if [ -e "$src/$f" ]; then
                echo "FAIL $name: description.ini and $f: one kind of snapshot source" >&2
                return 1
            fi
        done
        if ! "$bin" snapshot "$src/description.ini" "$snap" >/dev/null; then
            echo "FAIL $name: kextcheck snapshot could not build description.ini" >&2
            return 1
        fi
    elif ! "$mk" "$src" "$snap"; then
        echo "FAIL $name: the snapshot could not be built" >&2
        return 1
    fi
    extra=""
    [ -f "$src/args" ] && extra=$(cat "$src/args")
    before=$(sums "$snap")
    for fmt in text json; do
        ext=$fmt
        [ "$fmt" = text ] && ext=txt
        # shellcheck disable=SC2086 # args holds whole options, one per line
        NO_COLOR=1 "$bin" --no-config --plugin-dir "$plugins" --root "$snap" --format "$fmt" \
            $extra >"$work/$name.out" 2>"$work/$name.err"
        status=$?
        sed -e "s|$snap|@ROOT@|g" -e "s|$plugins|@PLUGINDIR@|g" "$work/$name.out" \
            >"$work/$name.$ext"
        if [ "${KC_UPDATE_GOLDEN:-0}" = 1 ]; then
            cp "$work/$name.$ext" "$src/expected.$ext"
            echo "$status" >"$src/expected.exit"
        else
            if ! diff -u "$src/expected.$ext" "$work/$name.$ext" >&2; then
                echo "FAIL $name: $fmt output differs from expected.$ext" >&2
                bad=1
            fi
            want=$(cat "$src/expected.exit" 2>/dev/null)
            if [ "$status" != "$want" ]; then
                echo "FAIL $name: $fmt exit status $status, expected $want" >&2
                bad=1
            fi
        fi
        if [ "$fmt" = json ] && ! "$jsoncheck" <"$work/$name.out" >&2; then
            echo "FAIL $name: the JSON report fails the schema check" >&2
            bad=1
        fi
    done
    if [ -n "$ja_env" ]; then
        # shellcheck disable=SC2086 # ja_env and args hold whole words
        env NO_COLOR=1 $ja_env "$bin" --no-config --plugin-dir "$plugins" --root "$snap" \
            --format json $extra >"$work/$name.ja.json" 2>/dev/null
        if ! cmp -s "$work/$name.out" "$work/$name.ja.json"; then
            diff -u "$work/$name.out" "$work/$name.ja.json" >&2
            echo "FAIL $name: the JSON differs in Japanese" >&2
            bad=1
        fi
        # A new expected-ja.txt: create it empty, then KC_UPDATE_GOLDEN=1.
        if [ -f "$src/expected-ja.txt" ]; then
            # shellcheck disable=SC2086
            env NO_COLOR=1 $ja_env "$bin" --no-config --plugin-dir "$plugins" --root "$snap" \
                --format text $extra >"$work/$name.ja.out" 2>"$work/$name.ja.err"
            status=$?
            sed -e "s|$snap|@ROOT@|g" -e "s|$plugins|@PLUGINDIR@|g" "$work/$name.ja.out" \
                >"$work/$name.ja.txt"
            if [ "${KC_UPDATE_GOLDEN:-0}" = 1 ]; then
                cp "$work/$name.ja.txt" "$src/expected-ja.txt"
            elif ! diff -u "$src/expected-ja.txt" "$work/$name.ja.txt" >&2; then
                echo "FAIL $name: the Japanese text report differs from expected-ja.txt" >&2
                bad=1
            fi
            if [ "$status" != "$(cat "$src/expected.exit" 2>/dev/null)" ]; then
                echo "FAIL $name: exit status $status in Japanese" >&2
                bad=1
            fi
        fi
    fi
    after=$(sums "$snap")
    if [ "$before" != "$after" ]; then
        echo "FAIL $name: kextcheck changed the evidence in $snap" >&2
        printf '%s\n' "$before" >"$work/$name.before"
        printf '%s\n' "$after" | diff -u "$work/$name.before" - >&2
        bad=1
    fi
    [ $bad = 0 ] && echo "ok   $name"
    return $bad
}

if [ $# -eq 0 ]; then
    set -- $(cd "$cases" && for d in */; do [ -d "$d" ] && printf '%s\n' "${d%/}"; done | LC_ALL=C sort)
fi
for name in "$@"; do
    count=$((count + 1))
    run_case "$name" || fails=$((fails + 1))
done
echo "$count cases, $fails failed"
[ "$count" -gt 0 ] && [ $fails = 0 ]
