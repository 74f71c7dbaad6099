#!/bin/sh
# sdk.sh BUILDDIR EXAMPLE.c WORKDIR
# A vendor's view: install kextcheck into a temporary prefix, build a plugin
# outside the source tree with one compiler command and pkg-config, validate
# it with `kextcheck plugins validate`, and see the installed kextcheck load
# it from the plugindir that pkg-config names.
set -eu
build=$1 example=$2 work=$3
rm -rf "$work" && mkdir -p "$work/src" "$work/out"
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
echo "sdk: out-of-tree plugin built with pkg-config, validated and loaded from $plugindir"
