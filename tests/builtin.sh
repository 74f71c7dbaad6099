#!/bin/sh
# builtin.sh BUILTIN KEXTCHECK PLUGINDIR SNAPSHOTS WORKDIR
# BUILTIN has every plugin of PLUGINDIR compiled in (what a packager gets
# with KEXTCHECK_BUILTIN_PLUGINS=all); KEXTCHECK loads them from PLUGINDIR.
# On every snapshot, in text and JSON, with one vendor and with all, both
# must give the same report and exit status; the only difference allowed is
# where each plugin came from ("built-in:NAME" for "PLUGINDIR/NAME.so").
set -eu
builtin=$1 kc=$2 plugins=$3 snaps=$4 work=$5
rm -rf "$work" && mkdir -p "$work/none" && chmod 755 "$work/none"
fails=0 checked=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
SOURCE_DATE_EPOCH=1700000000
export SOURCE_DATE_EPOCH

run() { # NAME BINARY PLUGINDIR ARGS...
    name=$1 bin=$2 dir=$3
    shift 3
    set +e
    "$bin" --no-config -P "$dir" "$@" >"$work/$name.out" 2>"$work/$name.err"
    echo $? >"$work/$name.status"
    set -e
}

compare() { # LABEL ARGS...
    label=$1
    shift
    run dl "$kc" "$plugins" "$@"
    run bi "$builtin" "$work/none" "$@"
    sed "s|built-in:\([a-z0-9-]*\)|$plugins/\1.so|g" "$work/bi.out" >"$work/bi.norm"
    cmp -s "$work/dl.out" "$work/bi.norm" ||
        fail "$label: reports differ: $(diff "$work/dl.out" "$work/bi.norm" | head -n 5)"
    cmp -s "$work/dl.status" "$work/bi.status" ||
        fail "$label: exit $(cat "$work/dl.status") with plugin files, $(cat "$work/bi.status") built in"
    cmp -s "$work/dl.err" "$work/bi.err" || fail "$label: stderr differs"
    checked=$((checked + 1))
}

# The same plugins, each once, nothing refused.
run dl "$kc" "$plugins" plugins --format json
run bi "$builtin" "$work/none" plugins --format json
n_dl=$(grep -c '"name"' "$work/dl.out" || true)
n_bi=$(grep -c '"source": "built-in:' "$work/bi.out" || true)
{ [ "$n_dl" -gt 0 ] && [ "$n_dl" = "$n_bi" ]; } ||
    fail "plugins: $n_dl loaded from files, $n_bi built in"
[ "$(cat "$work/bi.status")" = 0 ] || fail "plugins: built in exits $(cat "$work/bi.status")"

for snap in "$snaps"/*/; do
    case=$(basename "$snap")
    for format in text json; do
        compare "$case $format" --root "$snap" --format "$format"
    done
done
compare "article --vendor trendmicro" --root "$snaps/article-10.13" --vendor trendmicro
compare "article --verbose json" --root "$snaps/article-10.13" --verbose --format json

echo "built-in plugins: $checked reports compared, $fails differ"
[ "$fails" -eq 0 ]
