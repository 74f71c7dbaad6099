#!/bin/sh
# package.sh SOURCEDIR WORKDIR SNAPSHOTS
# A packager's view: build only some plugins, one of them into the binary;
# check what loads; install with DESTDIR; make the .tar.gz and .deb and check
# that the packaged kextcheck finds its plugins.
set -eu
src=$1 work=$2 snaps=$3
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }

cmake -S "$src" -B "$work/build" -DCMAKE_INSTALL_PREFIX=/usr -DBUILD_TESTING=OFF \
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
cmake -S "$src" -B "$work/build-tm" -DBUILD_TESTING=OFF -DKEXTCHECK_PLUGINS=trendmicro \
      >/dev/null && cmake --build "$work/build-tm" --target kcplugin_trendmicro >/dev/null
cp "$(find "$work/build-tm" -name trendmicro.so)" "$work/extra/"
set +e
"$kc" plugins --no-config -P "$work/extra" >"$work/dup.txt"
set -e
grep -q 'plugin "trendmicro" is already loaded from built-in:trendmicro' "$work/dup.txt" ||
    fail "duplicate of a built-in not refused: $(cat "$work/dup.txt")"

# DESTDIR install: the standard layout under the staging folder.
DESTDIR="$work/destdir" cmake --install "$work/build" >/dev/null
for f in usr/bin/kextcheck usr/include/kextcheck/plugin.h etc/kextcheck/kextcheck.ini; do
    [ -f "$work/destdir/$f" ] || fail "DESTDIR install lacks /$f"
done
find "$work/destdir/usr/lib" -path '*kextcheck/plugins/sophos.so' | grep -q . ||
    fail "DESTDIR install lacks the sophos plugin"
find "$work/destdir/usr/lib" -name kextcheck-plugin.pc | grep -q . || fail "no .pc installed"
"$work/destdir/usr/bin/kextcheck" plugins --no-config | grep -q "sophos: " ||
    fail "DESTDIR-installed kextcheck does not find its plugins"

# Packages.
(cd "$work/build" && cpack -G "TGZ;DEB" >"$work/cpack.log") || { cat "$work/cpack.log" >&2; exit 1; }
deb=$(ls "$work/build"/*.deb) && tgz=$(ls "$work/build"/*.tar.gz) || fail "no packages"
dpkg-deb -I "$deb" | grep -q "Depends: .*libplist3" || fail "deb Depends: $(dpkg-deb -I "$deb")"
dpkg-deb -I "$deb" conffiles | grep -qx "/etc/kextcheck/kextcheck.ini" ||
    fail "the configuration is not a conffile"
dpkg-deb -c "$deb" >"$work/deb-files.txt"
for f in ./usr/bin/kextcheck ./etc/kextcheck/kextcheck.ini ./usr/include/kextcheck/plugin.h; do
    grep -q " $f\$" "$work/deb-files.txt" || fail ".deb lacks $f"
done
grep -q 'kextcheck/plugins/sophos.so$' "$work/deb-files.txt" || fail ".deb lacks plugins"
mkdir -p "$work/deb-root" && dpkg-deb -x "$deb" "$work/deb-root"
"$work/deb-root/usr/bin/kextcheck" plugins --no-config >"$work/deb-plugins.txt" ||
    fail "packaged kextcheck: $(cat "$work/deb-plugins.txt")"
grep -q "sophos: " "$work/deb-plugins.txt" || fail "packaged kextcheck does not find its plugins"
mkdir -p "$work/tgz-root" && tar -xzf "$tgz" -C "$work/tgz-root"
for f in usr/bin/kextcheck etc/kextcheck/kextcheck.ini; do
    find "$work/tgz-root" -path "*/$f" | grep -q . || fail ".tar.gz lacks $f"
done
echo "packaging: subset and built-in build, DESTDIR install, $(basename "$deb") and $(basename "$tgz") checked"
