#!/bin/sh
# package.sh SOURCEDIR WORKDIR SNAPSHOTS [CC]
# A packager's view: build only some plugins, one of them into the binary,
# with debugging information (RelWithDebInfo, as Debian builds); check what
# loads; install with DESTDIR; make the .tar.gz and, with the Debian tools,
# the .deb packages (kextcheck, kextcheck-dev, kextcheck-dbgsym) and check
# their fields and contents, that the packaged kextcheck finds its plugins,
# and that lintian --pedantic finds nothing (the overrides it honours are
# explained in packaging/debian/*.lintian-overrides and docs/packaging.md).
# Without dpkg-deb the .deb part is skipped, and without lintian the lint,
# each saying so.
set -eu
# kextcheck's own words are read below: the untranslated ones.
LC_ALL=C
export LC_ALL
src=$1 work=$2 snaps=$3 cc=${4:-cc}
rm -rf "$work" && mkdir -p "$work" && work=$(cd "$work" && pwd -P)
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake -S "$src" -B "$work/build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_INSTALL_PREFIX=/usr \
      -DBUILD_TESTING=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DKEXTCHECK_WERROR=ON -DKEXTCHECK_PLUGINS="trendmicro;sophos;vmware-fusion" \
      -DKEXTCHECK_BUILTIN_PLUGINS="trendmicro" >"$work/configure.log"
cmake --build "$work/build" -j2 >"$work/build.log" || { cat "$work/build.log" >&2; exit 1; }
kc="$work/build/bin/kextcheck"

# Subset: only the chosen plugin files were built; trendmicro is built in.
files=$(find "$work/build" -path '*kextcheck/plugins/*.so' -exec basename {} \; | sort | tr '\n' ' ')
[ "$files" = "sophos.so vmware-fusion.so " ] || fail "plugin files built: '$files'"
"$kc" plugins --no-config >"$work/plugins.txt" || fail "kextcheck plugins: $(cat "$work/plugins.txt")"
grep -q "from built-in:trendmicro" "$work/plugins.txt" || fail "trendmicro is not built in"
grep -q "Loaded plugins: 3 " "$work/plugins.txt" || fail "expected 3 plugins: $(cat "$work/plugins.txt")"
set +e
"$kc" --no-config --root "$snaps/article-10.13" >"$work/article.txt"
st=$?
set -e
[ "$st" = 2 ] || fail "built-in trendmicro on the article snapshot: exit $st"
grep -q KEXT_PENDING_APPROVAL "$work/article.txt" || fail "article diagnosis missing"
# A run-time plugin with the built-in's name is refused as a duplicate.
mkdir -p "$work/extra"
cmake -S "$src" -B "$work/build-tm" -DCMAKE_C_COMPILER="$cc" -DBUILD_TESTING=OFF \
      -DKEXTCHECK_PLUGINS=trendmicro \
      >/dev/null && cmake --build "$work/build-tm" --target kcplugin_trendmicro >/dev/null
cp "$(find "$work/build-tm" -name trendmicro.so)" "$work/extra/"
set +e
"$kc" plugins --no-config -P "$work/extra" >"$work/dup.txt"
set -e
grep -q 'plugin "trendmicro" is already loaded from built-in:trendmicro' "$work/dup.txt" ||
    fail "duplicate of a built-in not refused: $(cat "$work/dup.txt")"

# DESTDIR install: the standard layout under the staging folder.
dd="$work/destdir"
DESTDIR="$dd" cmake --install "$work/build" >/dev/null
for f in usr/bin/kextcheck usr/include/kextcheck/plugin.h etc/kextcheck/kextcheck.ini \
         usr/share/man/man8/kextcheck.8.gz usr/share/bash-completion/completions/kextcheck \
         usr/share/zsh/vendor-completions/_kextcheck \
         usr/share/doc/kextcheck/copyright usr/share/doc/kextcheck/changelog.Debian.gz \
         usr/share/doc/kextcheck-dev/copyright usr/share/doc/kextcheck-dev/examples/example.c \
         usr/share/lintian/overrides/kextcheck; do
    [ -f "$dd/$f" ] || fail "DESTDIR install lacks /$f"
done
find "$dd/usr/lib" -path '*kextcheck/plugins/sophos.so' | grep -q . ||
    fail "DESTDIR install lacks the sophos plugin"
pc=$(find "$dd/usr/lib" -name kextcheck-plugin.pc)
[ -n "$pc" ] || fail "no .pc installed"
"$dd/usr/bin/kextcheck" plugins --no-config | grep -q "sophos: " ||
    fail "DESTDIR-installed kextcheck does not find its plugins"
"$dd/usr/bin/kextcheck" --help | grep -q "(default /etc/kextcheck/kextcheck.ini," ||
    fail "a /usr build does not read /etc/kextcheck/kextcheck.ini"
# `man kextcheck` finds the installed page.
if command -v man >/dev/null 2>&1; then
    MANWIDTH=80 man -M "$dd/usr/share/man" 8 kextcheck 2>"$work/man.err" >"$work/man.txt" ||
        fail "man kextcheck on the installed tree: $(cat "$work/man.err")"
    grep -q "FINDING CODES" "$work/man.txt" || fail "man kextcheck did not show the installed page"
else
    echo "SKIP: man not found: the installed manual page is not opened with man"
fi
# The .pc names the plugin folder where the plugins are, as a plain path
# (no "//", no "..": /usr/lib/x86_64-linux-gnu/kextcheck/plugins on amd64).
plugins_dir=$(dirname "$(find "$dd/usr/lib" -path '*kextcheck/plugins/sophos.so')")
want=${plugins_dir#"$dd"}
if command -v pkg-config >/dev/null 2>&1; then
    got=$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --variable=plugindir kextcheck-plugin)
    [ "$got" = "$want" ] || fail "pkg-config --variable=plugindir: '$got', expected '$want'"
else
    echo "SKIP: pkg-config not found: the .pc is checked by its text only"
fi
grep -qx "libdir=$(dirname "$want" | xargs dirname)" "$pc" || fail ".pc libdir: $(grep libdir "$pc")"
if grep -q '//\|\.\./\|/\.\.' "$pc"; then fail ".pc paths are not normalised: $(cat "$pc")"; fi

# The .tar.gz: one archive of everything.
(cd "$work/build" && cpack -G TGZ >"$work/cpack-tgz.log") || { cat "$work/cpack-tgz.log" >&2; exit 1; }
tgz=$(ls "$work/build"/*.tar.gz) || fail "no .tar.gz"
mkdir -p "$work/tgz-root" && tar -xzf "$tgz" -C "$work/tgz-root"
for f in usr/bin/kextcheck etc/kextcheck/kextcheck.ini usr/include/kextcheck/plugin.h \
         usr/share/man/man8/kextcheck.8.gz; do
    find "$work/tgz-root" -path "*/$f" | grep -q . || fail ".tar.gz lacks $f"
done

# ---- The Debian packages ----
if ! command -v dpkg-deb >/dev/null 2>&1 || ! command -v dpkg-shlibdeps >/dev/null 2>&1; then
    echo "SKIP: dpkg-deb not found (or dpkg-shlibdeps): the .deb packages are not built or checked"
    echo "packaging: subset and built-in build, DESTDIR install, $(basename "$tgz") checked"
    exit 0
fi
(cd "$work/build" && cpack -G DEB >"$work/cpack-deb.log" 2>&1) || { cat "$work/cpack-deb.log" >&2; exit 1; }
ver=$(sed -n '1s/^kextcheck (\([^)]*\)).*/\1/p' "$src/packaging/debian/changelog")
arch=$(dpkg --print-architecture)
(cd "$work/build" && ls -- *.deb *.ddeb) >"$work/debs.txt"
printf '%s\n' "kextcheck-dbgsym_${ver}_$arch.ddeb" "kextcheck-dev_${ver}_$arch.deb" \
              "kextcheck_${ver}_$arch.deb" >"$work/debs-want.txt"
cmp -s "$work/debs.txt" "$work/debs-want.txt" ||
    fail "packages made: $(tr '\n' ' ' <"$work/debs.txt"), expected $(tr '\n' ' ' <"$work/debs-want.txt")"
deb="$work/build/kextcheck_${ver}_$arch.deb"
dev="$work/build/kextcheck-dev_${ver}_$arch.deb"
dbg="$work/build/kextcheck-dbgsym_${ver}_$arch.ddeb"

field() { dpkg-deb -f "$1" "$2"; }
# Depends: dpkg-shlibdeps' versioned list, not a hand-written one.
depends=$(field "$deb" Depends)
for lib in libc6 libsqlite3-0 libinih1 libplist3 libjansson4; do
    echo "$depends" | grep -Eq "(^|, )$lib \(>= [0-9]" || fail "Depends has no versioned $lib: $depends"
done
[ "$(field "$dev" Depends)" = "kextcheck (= $ver)" ] || fail "kextcheck-dev Depends: $(field "$dev" Depends)"
[ "$(field "$dbg" Depends)" = "kextcheck (= $ver)" ] || fail "kextcheck-dbgsym Depends: $(field "$dbg" Depends)"
for p in "$deb" "$dev"; do
    case $(field "$p" Maintainer) in
        *"<kextcheck@users.noreply.github.com>") ;;
        *) fail "$(basename "$p"): Maintainer $(field "$p" Maintainer)" ;;
    esac
    [ "$(field "$p" Description | wc -l)" -ge 4 ] || fail "$(basename "$p"): no extended description"
done
dpkg-deb -I "$deb" conffiles | grep -qx "/etc/kextcheck/kextcheck.ini" ||
    fail "the configuration is not a conffile"

# Contents: each package holds its own files and not the other's.
contents() { dpkg-deb -c "$1" | awk '{print $NF}' | sed 's|^\./|/|' | grep -v '/$' | LC_ALL=C sort; }
contents "$deb" >"$work/deb-files.txt"
contents "$dev" >"$work/dev-files.txt"
contents "$dbg" >"$work/dbg-files.txt"
for f in /usr/bin/kextcheck /etc/kextcheck/kextcheck.ini /usr/share/man/man8/kextcheck.8.gz \
         /usr/share/bash-completion/completions/kextcheck /usr/share/zsh/vendor-completions/_kextcheck \
         /usr/share/doc/kextcheck/copyright /usr/share/doc/kextcheck/changelog.Debian.gz \
         /usr/share/lintian/overrides/kextcheck; do
    grep -qx "$f" "$work/deb-files.txt" || fail "kextcheck .deb lacks $f"
done
grep -q '/kextcheck/plugins/sophos.so$' "$work/deb-files.txt" || fail "kextcheck .deb lacks plugins"
for f in /usr/include/kextcheck/plugin.h /usr/share/doc/kextcheck-dev/copyright \
         /usr/share/doc/kextcheck-dev/changelog.Debian.gz /usr/share/doc/kextcheck-dev/examples/example.c \
         /usr/share/doc/kextcheck-dev/examples/example-mac.ini; do
    grep -qx "$f" "$work/dev-files.txt" || fail "kextcheck-dev .deb lacks $f"
done
grep -q '/pkgconfig/kextcheck-plugin.pc$' "$work/dev-files.txt" || fail "kextcheck-dev lacks the .pc"
if grep -q 'include/\|pkgconfig' "$work/deb-files.txt"; then fail "the SDK is in the kextcheck package"; fi
if grep -q 'bin/\|plugins/' "$work/dev-files.txt"; then fail "kextcheck-dev holds the program"; fi

mkdir -p "$work/deb-root" && dpkg-deb -x "$deb" "$work/deb-root"
mkdir -p "$work/dev-root" && dpkg-deb -x "$dev" "$work/dev-root"
mkdir -p "$work/dbg-root" && dpkg-deb -x "$dbg" "$work/dbg-root"
head -n 1 "$work/deb-root/usr/share/doc/kextcheck/copyright" |
    grep -qx "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/" ||
    fail "copyright is not in the machine-readable format"
grep -q "^License: Expat" "$work/deb-root/usr/share/doc/kextcheck/copyright" || fail "copyright: no Expat (MIT) license"
gzip -dc "$work/deb-root/usr/share/doc/kextcheck/changelog.Debian.gz" | head -n 1 |
    grep -q "^kextcheck ($ver) " || fail "changelog.Debian.gz is not for $ver"
gzip -dc "$work/deb-root/usr/share/man/man8/kextcheck.8.gz" | cmp -s - "$src/docs/kextcheck.8" ||
    fail "the packaged manual page differs from docs/kextcheck.8"

# Stripped, with the debugging information in the .ddeb under its build ID.
for elf in usr/bin/kextcheck $(cd "$work/deb-root" && find usr/lib -name '*.so'); do
    if command -v readelf >/dev/null 2>&1; then
        if readelf -S "$work/deb-root/$elf" | grep -q '\.debug_info\|\.symtab'; then
            fail "$elf is not stripped"
        fi
        id=$(readelf -n "$work/deb-root/$elf" | sed -n 's/.*Build ID: \([0-9a-f]*\).*/\1/p')
        rest=${id#??}
        dbgfile="/usr/lib/debug/.build-id/${id%"$rest"}/$rest.debug"
        grep -qx "$dbgfile" "$work/dbg-files.txt" || fail "no $dbgfile in the .ddeb for $elf"
        readelf -S "$work/dbg-root$dbgfile" 2>/dev/null | grep -q '\.debug_info' || fail "$dbgfile has no .debug_info"
    fi
done
dpkg-deb --ctrl-tarfile "$dbg" | tar -xO ./md5sums >"$work/dbg-md5sums.txt"
if grep -v '  usr/lib/debug/' "$work/dbg-md5sums.txt"; then fail "the .ddeb's md5sums names other paths"; fi
(cd "$work/dbg-root" && md5sum -c --quiet "$work/dbg-md5sums.txt") || fail "the .ddeb's md5sums do not match"

"$work/deb-root/usr/bin/kextcheck" plugins --no-config >"$work/deb-plugins.txt" ||
    fail "packaged kextcheck: $(cat "$work/deb-plugins.txt")"
grep -q "sophos: " "$work/deb-plugins.txt" || fail "packaged kextcheck does not find its plugins"

# lintian, pedantic, with informational and experimental tags too.
if command -v lintian >/dev/null 2>&1; then
    set +e
    lintian --pedantic -I -E --tag-display-limit 0 --fail-on error,warning,info,pedantic \
        "$deb" "$dev" "$dbg" >"$work/lintian.txt" 2>&1
    st=$?
    set -e
    grep -v '^running with root privileges is not recommended!$' "$work/lintian.txt" >"$work/lintian-tags.txt" || true
    if [ "$st" != 0 ] || [ -s "$work/lintian-tags.txt" ]; then
        cat "$work/lintian.txt" >&2
        fail "lintian (exit $st)"
    fi
    lint="lintian --pedantic clean"
else
    echo "SKIP: lintian not found: the packages are not linted"
    lint="not linted"
fi
echo "packaging: subset and built-in build, DESTDIR install, $(basename "$tgz"), $(tr '\n' ' ' <"$work/debs.txt")checked, $lint"
