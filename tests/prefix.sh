#!/bin/sh
# prefix.sh SOURCEDIR WORKDIR [CC]
# The configuration file and the plugins follow the install prefix.
# 1. -DCMAKE_INSTALL_PREFIX=/opt/kextcheck, installed with DESTDIR: the file is
#    installed as <prefix>/etc/kextcheck/kextcheck.ini and the installed
#    binary names exactly that file as its default (--help), finds the
#    installed plugins, and pkg-config names the plugin folder as a plain path.
# 2. A prefix in WORKDIR, installed for real: a configuration written to the
#    installed file changes what the installed binary does.
set -eu
# kextcheck's own words are read below: the untranslated ones.
LC_ALL=C
export LC_ALL
src=$1 work=$2 cc=${3:-cc}
rm -rf "$work" && mkdir -p "$work" && work=$(cd "$work" && pwd -P)
fail() { echo "FAIL: $*" >&2; exit 1; }

build() { # build DIR PREFIX
    cmake -S "$src" -B "$1" -DCMAKE_C_COMPILER="$cc" -DCMAKE_INSTALL_PREFIX="$2" -DBUILD_TESTING=OFF \
          -DKEXTCHECK_WERROR=ON -DKEXTCHECK_PLUGINS="trendmicro;sophos" >"$1.configure.log" ||
        { cat "$1.configure.log" >&2; fail "configure with prefix $2"; }
    cmake --build "$1" -j2 >"$1.build.log" 2>&1 || { cat "$1.build.log" >&2; fail "build"; }
}

# ---- 1. /opt/kextcheck, DESTDIR ----
build "$work/opt" /opt/kextcheck
dest="$work/destdir"
DESTDIR="$dest" cmake --install "$work/opt" >/dev/null
conf=/opt/kextcheck/etc/kextcheck/kextcheck.ini
[ -f "$dest$conf" ] || fail "the configuration is not installed as $conf: $(cd "$dest" && find . -name '*.ini')"
[ ! -e "$dest/etc" ] || fail "an /opt install wrote outside its prefix: $(cd "$dest" && find ./etc)"
kc="$dest/opt/kextcheck/bin/kextcheck"
"$kc" --help >"$work/help.txt"
tr -s ' \n' '  ' <"$work/help.txt" | grep -qF "(default $conf, which may be absent)" ||
    fail "the installed binary's default configuration is not $conf: $(grep -A1 -- '--config' "$work/help.txt")"
"$kc" plugins --no-config >"$work/plugins.txt" || fail "installed kextcheck plugins: $(cat "$work/plugins.txt")"
grep -q "from $dest/opt/kextcheck/lib/kextcheck/plugins/sophos.so" "$work/plugins.txt" ||
    fail "the installed binary does not load the installed plugins: $(cat "$work/plugins.txt")"
if command -v pkg-config >/dev/null 2>&1; then
    pd=$(PKG_CONFIG_PATH="$dest/opt/kextcheck/lib/pkgconfig" pkg-config --variable=plugindir kextcheck-plugin)
    [ "$pd" = /opt/kextcheck/lib/kextcheck/plugins ] ||
        fail "pkg-config --variable=plugindir kextcheck-plugin: '$pd', expected /opt/kextcheck/lib/kextcheck/plugins"
else
    echo "SKIP: pkg-config not found: the installed kextcheck-plugin.pc is not queried"
fi
for f in share/man/man8/kextcheck.8* share/bash-completion/completions/kextcheck \
         share/zsh/vendor-completions/_kextcheck \
         share/doc/kextcheck/LICENSE include/kextcheck/plugin.h; do
    # shellcheck disable=SC2086 # the pattern is meant to expand
    set -- $dest/opt/kextcheck/$f
    [ -f "$1" ] || fail "the /opt install lacks $f"
done

# ---- 2. a prefix of our own: the installed configuration is read ----
prefix="$work/prefix"
build "$work/own" "$prefix"
cmake --install "$work/own" >/dev/null
kc="$prefix/bin/kextcheck"
[ -f "$prefix/etc/kextcheck/kextcheck.ini" ] || fail "no $prefix/etc/kextcheck/kextcheck.ini"
"$kc" plugins >"$work/own-default.txt" || fail "kextcheck plugins with the shipped configuration"
grep -q "Loaded plugins: 2 " "$work/own-default.txt" || fail "expected 2 plugins: $(cat "$work/own-default.txt")"
printf '[plugins]\nenable = sophos\n' >"$prefix/etc/kextcheck/kextcheck.ini"
"$kc" plugins >"$work/own-enabled.txt" || fail "kextcheck plugins with enable = sophos"
if ! grep -q "Loaded plugins: 1 " "$work/own-enabled.txt" ||
   ! grep -q "  sophos: " "$work/own-enabled.txt"; then
    fail "the installed configuration (enable = sophos) was not read: $(cat "$work/own-enabled.txt")"
fi
"$kc" plugins --no-config | grep -q "Loaded plugins: 2 " || fail "--no-config still read the configuration"
echo "prefix: /opt/kextcheck reads $conf, plugins and pkg-config follow the prefix;" \
     "a prefix's installed configuration is read"
