#!/bin/sh
# po/update.sh: regenerate po/kextcheck.pot from the sources named in
# po/POTFILES, then merge it into every po/<lang>.po of po/LINGUAS (new
# messages arrive untranslated, changed ones fuzzy: translate them, then run
# `msgfmt --check --statistics po/ja.po`).  Run from anywhere; needs
# xgettext and msgmerge (Debian: gettext).  The test i18n_catalog runs the
# same extraction (po/xgettext.sh) and fails while a message has no
# translation.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
sh "$top/po/xgettext.sh" "$top" "$top/po/kextcheck.pot"
while read -r lang; do
    case $lang in '' | '#'*) continue ;; esac
    msgmerge --quiet --update --backup=none --no-fuzzy-matching --no-wrap "$top/po/$lang.po" \
        "$top/po/kextcheck.pot"
    msgfmt --check --statistics -o /dev/null "$top/po/$lang.po"
done <"$top/po/LINGUAS"
