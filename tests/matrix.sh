#!/bin/sh
# matrix.sh KEXTCHECK PLUGINDIR JSONCHECK EXPECTED WORK
#
# The advice across the Macs people run: every macOS from 10.13 to 15, on
# Intel and on Apple silicon (Full Security, and Reduced Security with
# third-party kexts allowed), with no MDM, with an MDM kernel-extension
# policy that allows the team, and with one that lists another team and
# leaves AllowUserOverrides false, for four problems (a kext waiting for
# approval; approved but not loaded; SIP off and waiting; a stale staged
# copy).  Each Mac is built with `kextcheck snapshot` from a description
# made here, and checked with the engine's Trend Micro test plugin; the
# answer (exit code, status, finding codes, the next step) is compared
# with EXPECTED, one block per Mac, which a person has read against the
# reference notes.  KC_UPDATE_GOLDEN=1 rewrites EXPECTED.
set -u
bin=$1 plugins=$2 jsoncheck=$3 expected=$4 work=$5
rm -rf "$work" && mkdir -p "$work" || exit 2
out="$work/matrix.txt"
: >"$out"
fails=0 count=0

describe() { # describe VERSION MACHINE MDM SCENARIO
    v=$1 machine=$2 mdm=$3 scen=$4
    printf '[mac]\nmacos = %s\n' "$v"
    case $machine in
    intel) printf 'arch = intel\n' ;;
    apple-full) printf 'arch = apple\nboot_policy = full\n' ;;
    apple-reduced) printf 'arch = apple\nboot_policy = reduced-kexts\n' ;;
    esac
    [ "$scen" = sip-off-pending ] && printf 'sip = disabled\n'
    case $mdm in
    team) printf '[mdm]\nallowed_teams = E8P47U2H32\n' ;;
    overrides-off) printf '[mdm]\nallowed_teams = ABCDE12345\nallow_user_overrides = false\n' ;;
    esac
    printf '[kext com.trendmicro.kext.filehook]\nteam = E8P47U2H32\ndeveloper = Trend Micro, Inc.\n'
    printf 'path = /Library/Application Support/TrendMicro/KernelExtensions/filehook.kext\n'
    printf 'version = 3.5.2025\nflags = 8\n'
    case $scen in
    pending | sip-off-pending) printf 'policy = pending\nloaded = no\n' ;;
    approved-not-loaded) printf 'policy = allowed\nloaded = no\nhistory = yes\n' ;;
    stale-staged) printf 'policy = allowed\nstaged = 3.5.1999\nloaded = yes\n' ;;
    esac
}

for v in 10.13.6 10.14.6 10.15.7 11.7.10 12.7.6 13.6.7 14.5 15.1; do
    case $v in 10.*) machines=intel ;; *) machines="intel apple-full apple-reduced" ;; esac
    for machine in $machines; do
        for mdm in none team overrides-off; do
            for scen in pending approved-not-loaded sip-off-pending stale-staged; do
                count=$((count + 1))
                name="m$count"
                describe "$v" "$machine" "$mdm" "$scen" >"$work/$name.ini"
                if ! "$bin" snapshot "$work/$name.ini" "$work/$name" >/dev/null 2>"$work/err"; then
                    echo "FAIL $v $machine $mdm $scen: snapshot" >&2
                    cat "$work/err" >&2
                    fails=$((fails + 1))
                    continue
                fi
                "$bin" --no-config -P "$plugins" --root "$work/$name" --format json \
                    >"$work/$name.json" 2>/dev/null
                {
                    echo "== macOS $v, $machine, MDM $mdm, $scen"
                    "$jsoncheck" --summary trendmicro <"$work/$name.json"
                } >>"$out" || fails=$((fails + 1))
                rm -rf "$work/$name"
            done
        done
    done
done

if [ "${KC_UPDATE_GOLDEN:-0}" = 1 ]; then
    cp "$out" "$expected"
    echo "updated $expected ($count Macs)"
    exit 0
fi
if ! diff -u "$expected" "$out" >&2; then
    echo "FAIL: the advice differs from $expected" >&2
    fails=$((fails + 1))
fi
echo "$count Macs, $fails failed"
[ $fails = 0 ]
