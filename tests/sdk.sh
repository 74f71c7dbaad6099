#!/bin/sh
# sdk.sh BUILDDIR EXAMPLE.c EXAMPLE-MAC.ini WORKDIR
# A vendor's view, with kextcheck installed into a temporary prefix and no
# source tree: build the docs' example plugin (an ABI 1.2 plugin) outside
# the source tree with one compiler command and pkg-config, validate it with
# `kextcheck plugins validate`, see the installed kextcheck load it from the
# plugindir that pkg-config names, then follow section 5 of
# docs/writing-plugins.md step by step with the installed kextcheck:
# `kextcheck snapshot` of the docs' example Mac, the report with the
# plugin's findings and its ABI 1.2 help, then the approved Mac.
set -eu
build=$1 example=$2 mac=$3 work=$4
rm -rf "$work" && mkdir -p "$work/src" "$work/out" "$work/vendor"
cmake --install "$build" --prefix "$work/prefix" >/dev/null
pc=$(find "$work/prefix" -name kextcheck-plugin.pc)
[ -n "$pc" ] || { echo "FAIL: no kextcheck-plugin.pc installed" >&2; exit 1; }
export PKG_CONFIG_PATH="$(dirname "$pc")"
cp "$example" "$work/src/example.c"
cd "$work/src"
cc -std=c11 -Wall -Wextra -Wpedantic -Werror -shared -fPIC -fvisibility=hidden \
   $(pkg-config --cflags kextcheck-plugin) example.c -o "$work/out/example-guard.so"
kc="$work/prefix/bin/kextcheck"
"$kc" plugins validate "$work/out/example-guard.so" >"$work/validate.txt"
grep -q "example-guard: Example Guard Endpoint" "$work/validate.txt" ||
    { echo "FAIL: validate output:" >&2; cat "$work/validate.txt" >&2; exit 1; }
grep -q "ABI 1.2" "$work/validate.txt" &&
    grep -q "vendor's article: https://support.example.com/kb/42" "$work/validate.txt" ||
    { echo "FAIL: validate does not show the ABI 1.2 fields:" >&2; cat "$work/validate.txt" >&2
      exit 1; }
plugindir=$(pkg-config --variable=plugindir kextcheck-plugin)
abi=$(pkg-config --variable=plugin_abi kextcheck-plugin)
"$kc" --version | grep -q "(plugin ABI $abi)" ||
    { echo "FAIL: plugin_abi variable $abi differs from kextcheck --version" >&2; exit 1; }
install -m 0644 "$work/out/example-guard.so" "$plugindir/"
"$kc" plugins --no-config >"$work/plugins.txt"
grep -q "from $(realpath "$plugindir")/example-guard.so" "$work/plugins.txt" ||
    { echo "FAIL: installed kextcheck did not load the plugin from $plugindir:" >&2;
      cat "$work/plugins.txt" >&2; exit 1; }
grep -q "trendmicro: " "$work/plugins.txt" || { echo "FAIL: catalog missing" >&2; exit 1; }

# ---- docs/writing-plugins.md section 5, with the installed kextcheck only ----
walk() { echo "FAIL: walk-through: $*" >&2; exit 1; }
cd "$work/vendor"
cp "$mac" example-mac.ini
# 1. the plugin in a folder of its own, writable by the vendor only
mkdir -m 755 plugins && install -m 644 "$work/out/example-guard.so" plugins/
# 2-3. build the Mac, check it with only this plugin loaded
"$kc" snapshot example-mac.ini mac >/dev/null || walk "kextcheck snapshot example-mac.ini mac"
st=0
"$kc" --no-config --root mac --plugin-dir plugins >report.txt || st=$?
[ "$st" = 2 ] || { cat report.txt >&2; walk "first report: exit $st, expected 2"; }
for want in "CRITICAL  Example Guard Endpoint" \
            "Next step (approve, KEXT_PENDING_APPROVAL)" \
            "WARNING  KEXT_NO_POLICY_RECORD: com.example.guard.kext.network" \
            "  Vendor's article: https://support.example.com/kb/42" \
            "  Before uninstalling: Turn off tamper protection in the Example Guard console first" \
            "  Vendor diagnostics: sudo /usr/local/bin/guardctl status"; do
    grep -qF -- "$want" report.txt || { cat report.txt >&2; walk "no '$want' in the report"; }
done
# The help sits right under the next step, before the kexts.
sed -n '/Next step/,/Kexts:/p' report.txt | grep -q "Vendor diagnostics:" ||
    walk "the plugin's help is not beside the next step"
st=0
"$kc" --no-config --root mac --plugin-dir plugins --format json >report.json || st=$?
[ "$st" = 2 ] || walk "JSON report: exit $st"
grep -q '"kb_url": "https://support.example.com/kb/42"' report.json &&
    grep -q '"diagnostic_command": "sudo /usr/local/bin/guardctl status"' report.json &&
    grep -q '"next_step_code": "KEXT_PENDING_APPROVAL"' report.json ||
    walk "JSON report lacks the plugin's fields or next step"
# 4. both kexts approved and loaded
sed -e 's/^policy = pending$/policy = allowed\nloaded = yes/' \
    -e 's|^path = \(.*GuardNetwork.kext\)$|path = \1\npolicy = allowed\nloaded = yes|' \
    example-mac.ini >approved.ini
"$kc" snapshot approved.ini mac-approved >/dev/null || walk "approved snapshot"
st=0
"$kc" --no-config --root mac-approved --plugin-dir plugins >approved.txt || st=$?
[ "$st" = 0 ] && [ "$(grep -c "KEXT_LOADED" approved.txt)" = 2 ] ||
    { cat approved.txt >&2; walk "approved report: exit $st"; }
echo "sdk: out-of-tree ABI $abi plugin built with pkg-config, validated, loaded from" \
     "$plugindir, and the docs' walk-through run with the installed kextcheck"
