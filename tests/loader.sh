#!/bin/sh
# loader.sh KEXTCHECK PLUGINDIR SNAPSHOTS HOSTILEDIR TESTSRC WORKDIR CC JSONCHECK
# How plugin files are loaded: a plugin never gets another file's handle
# (one that stays in memory after being refused, one that claims the next
# file's names), a folder named twice is read once, plugin code that
# writes to stdout, exits, crashes or hangs is refused (in process for a
# check, in a child process for `plugins validate`), and any number of
# plugins loads under a low descriptor limit.
set -u
bin=$1 plugins=$2 snaps=$3 hostile=$4 src=$5 work=$6 cc=$7 jsoncheck=$8
article="$snaps/article-10.13"
fails=0 passes=0
rm -rf "$work" && mkdir -p "$work" && chmod 755 "$work" || exit 2

check() { # check NAME EXPECTED_STATUS STATUS
    if [ "$3" = "$2" ]; then passes=$((passes + 1)); else
        echo "FAIL: $1: exit status $3, expected $2" >&2; fails=$((fails + 1)); fi
}
has() { # has NAME FILE TEXT
    if grep -qF -- "$3" "$2"; then passes=$((passes + 1)); else
        echo "FAIL: $1: '$3' not found in:" >&2; sed 's/^/    /' "$2" >&2; fails=$((fails + 1)); fi
}
hasnt() { # hasnt NAME FILE TEXT
    if grep -qF -- "$3" "$2"; then
        echo "FAIL: $1: '$3' found in:" >&2; sed 's/^/    /' "$2" >&2; fails=$((fails + 1))
    else passes=$((passes + 1)); fi
}
run() { "$bin" "$@" >"$work/out" 2>"$work/err"; echo $?; }
refusal() { # refusal NAME SOURCE TEXT: `kextcheck plugins` lists TEXT as SOURCE's first problem
    awk -v s="  $2" '$0 == s { getline; print; exit }' "$work/out" >"$work/problem"
    has "$1" "$work/problem" "$3"
}
folder() { # folder NAME FILE...: a fresh plugin folder with copies of FILE...
    d="$work/$1"; shift
    rm -rf "$d" && mkdir -p "$d" && chmod 755 "$d" && cp "$@" "$d/" && chmod 644 "$d"/*.so
}

# 1. A refused plugin that stays in memory (linked -z nodelete): the next
# file gets a descriptor of the same number, but never the old handle, so
# it is neither refused for a missing entry function nor impersonated by
# the entry function the old object carries.
folder stuck-sophos "$hostile/nodelete.so" "$plugins/sophos.so"
st=$(run plugins --no-config -P "$work/stuck-sophos"); check nodelete-next-loads 3 "$st"
has nodelete-refused "$work/out" "the entry function returned NULL"
has nodelete-next-loads "$work/out" "team 2H5GFH3774, 4 kexts"
hasnt nodelete-no-stale-handle "$work/out" "no entry function kextcheck_plugin_sophos"
folder stuck-trend "$hostile/nodelete.so" "$plugins/trendmicro.so"
st=$(run plugins --no-config -P "$work/stuck-trend"); check nodelete-no-impostor 3 "$st"
has nodelete-real-trendmicro "$work/out" "team E8P47U2H32, 2 kexts"
hasnt nodelete-no-impostor "$work/out" "IMPOSTOR01"

# 2. A plugin that makes itself answer to the names the next file would be
# loaded under: the next file is refused, never given its handle.
folder squat "$hostile/squatter.so" "$plugins/trendmicro.so" "$plugins/sophos.so"
st=$(run plugins --no-config -P "$work/squat"); check squatter 3 "$st"
refusal squatter-refused "$work/squat/trendmicro.so" \
    "the dynamic loader returned the object loaded from $work/squat/squatter.so instead of this file"
hasnt squatter-no-impostor "$work/out" "IMPOSTOR02"
has squatter-others-load "$work/out" "team 2H5GFH3774, 4 kexts"

# 3. The same folder twice (by the same path, with a trailing slash, through
# a symbolic link) is read once: no duplicate refusals.
ln -s "$plugins" "$work/link-to-plugins"
n=$(run plugins --no-config -P "$plugins" >/dev/null; grep -c '^  [a-z]' "$work/out")
st=$(run plugins --no-config -P "$plugins" -P "$plugins/" -P "$work/link-to-plugins")
check same-folder-twice 0 "$st"
has same-folder-twice "$work/out" "Refused plugins: 0"
m=$(grep -c '^  [a-z]' "$work/out"); check same-folder-count "$n" "$m"

# 4. Plugin code in the normal check: output on stdout is kept out of the
# report and refused; exit() while loading or unloading is exit 3 with a
# message, never the plugin's status.
folder noisy "$hostile/ctor-stdout.so" "$plugins/trendmicro.so"
st=$(run --no-config -P "$work/noisy" --root "$article" --format json); check noisy-check 2 "$st"
has noisy-refused "$work/err" "kextcheck: $work/noisy/ctor-stdout.so: wrote 19 bytes to standard output while being loaded (\"hello from a plugin\"); a plugin must only return data"
if "$jsoncheck" <"$work/out" >"$work/jsoncheck.txt" 2>&1; then passes=$((passes + 1)); else
    echo "FAIL: noisy-report-intact: the JSON report is broken:" >&2
    cat "$work/jsoncheck.txt" >&2; head -c 300 "$work/out" >&2; fails=$((fails + 1)); fi
st=$(run plugins --no-config -P "$work/noisy"); check noisy-plugins 3 "$st"
has noisy-plugins "$work/out" "Loaded plugins: 1"
for p in ctor-exit entry-exit; do
    folder "$p" "$hostile/$p.so" "$plugins/trendmicro.so"
    st=$(run --no-config -P "$work/$p" --root "$article"); check "$p-check" 3 "$st"
    has "$p-check" "$work/err" "kextcheck: $work/$p/$p.so: called exit() while being loaded"
    st=$(run plugins --no-config -P "$work/$p"); check "$p-plugins" 3 "$st"
done
folder dtor-exit "$hostile/dtor-exit.so" "$plugins/trendmicro.so"
st=$(run --no-config -P "$work/dtor-exit" --root "$article"); check dtor-exit-check 3 "$st"
has dtor-exit-check "$work/err" "kextcheck: $work/dtor-exit/dtor-exit.so: called exit() while being unloaded"
has dtor-exit-report "$work/out" "Result: exit 2"

# 5. plugins validate runs each file in a child process: every misdeed is a
# refusal with its reason, exit 1, within the time limit; the good file in
# the same run is still valid.
start=$(date +%s)
st=$(run plugins validate "$hostile/ctor-stdout.so" "$hostile/ctor-stderr.so" \
    "$hostile/ctor-exit.so" "$hostile/entry-exit.so" "$hostile/entry-abort.so" \
    "$hostile/ctor-loop.so" "$hostile/dtor-exit.so" "$plugins/trendmicro.so")
took=$(( $(date +%s) - start ))
check validate-hostile 1 "$st"
if [ "$took" -le 30 ]; then passes=$((passes + 1)); else
    echo "FAIL: validate-hostile took $took s" >&2; fails=$((fails + 1)); fi
refusal validate-ctor-stdout "$hostile/ctor-stdout.so" \
    "wrote 19 bytes to standard output while being loaded (\"hello from a plugin\")"
refusal validate-ctor-stderr "$hostile/ctor-stderr.so" \
    "wrote 23 bytes to standard error while being validated (\"plugin noise on stderr\\x0a\")"
refusal validate-ctor-exit "$hostile/ctor-exit.so" "called exit() while being loaded"
refusal validate-entry-exit "$hostile/entry-exit.so" "called exit() while being loaded"
refusal validate-entry-abort "$hostile/entry-abort.so" "crashed with signal 6"
refusal validate-ctor-loop "$hostile/ctor-loop.so" \
    "still running after 5 seconds while being loaded (an endless loop, or a wait that never ends): stopped"
refusal validate-dtor-exit "$hostile/dtor-exit.so" "called exit() while being unloaded"
has validate-hostile-count "$work/out" "Refused plugins: 7"
has validate-good-still-valid "$work/out" "trendmicro: Trend Micro"
for p in ctor-stdout ctor-exit entry-exit entry-abort; do
    st=$(run plugins validate "$hostile/$p.so"); check "validate-alone-$p" 1 "$st"
done
st=$(run plugins validate --format json "$hostile/entry-exit.so"); check validate-json 1 "$st"
has validate-json "$work/out" '"problems": ['
# Validating in a child changes nothing for a good plugin or a plain refusal.
st=$(run plugins validate "$plugins/trendmicro.so" "$plugins/sophos.so"); check validate-two 0 "$st"
has validate-two "$work/out" "Loaded plugins: 2"
cp "$plugins/trendmicro.so" "$work/trendmicro-copy.so"
mkdir -p "$work/again" && chmod 755 "$work/again" && cp "$plugins/trendmicro.so" "$work/again/"
st=$(run plugins validate "$plugins/trendmicro.so" "$work/again/trendmicro.so")
check validate-duplicate 1 "$st"
has validate-duplicate "$work/out" "plugin \"trendmicro\" is already loaded from $plugins/trendmicro.so"

# 6. More plugins than descriptors: 100 plugins under a limit of 64 open
# files all load (a descriptor is closed once its plugin is loaded).
mkdir -p "$work/many" && chmod 755 "$work/many"
i=1
while [ $i -le 100 ]; do
    id=$(printf 'p%03d' $i)
    "$cc" -std=c11 -shared -fPIC -fvisibility=hidden -O0 -I"$src/../include" \
        -DMANY_IDENT=$id -DMANY_NAME="\"$id\"" -DMANY_TEAM="\"$(printf 'MANY%06d' $i)\"" \
        -DMANY_KEXT="\"com.example.many.$id\"" "$src/manyplugins/many.c" \
        -o "$work/many/$id.so" &
    [ $((i % 4)) -eq 0 ] && wait
    i=$((i + 1))
done
wait
n=$(ls "$work/many" | grep -c '\.so$'); check many-built 100 "$n"
chmod 644 "$work/many"/*.so
st=$( (ulimit -n 64 && "$bin" plugins --no-config -P "$work/many" >"$work/out" 2>"$work/err"); echo $?)
check many-plugins 0 "$st"
has many-plugins "$work/out" "Loaded plugins: 100"
has many-none-refused "$work/out" "Refused plugins: 0"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
