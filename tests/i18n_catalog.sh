#!/bin/sh
# i18n_catalog.sh SRCDIR WORK
#
# The message catalogs cover every message (po/, core/i18n.h):
#   - every file of core/ that marks messages (includes i18n.h) is named in
#     po/POTFILES, so xgettext sees all of them;
#   - po/kextcheck.pot has exactly the messages the sources mark now
#     (po/xgettext.sh run here, compared by msgid): a message added, changed
#     or removed without `sh po/update.sh` fails;
#   - each po/<lang>.po of po/LINGUAS has exactly those messages, and
#     `msgfmt --check --statistics` finds all of them translated: none
#     untranslated, none fuzzy, no format that differs from the English.
# Needs xgettext, msgfmt and msgcmp (Debian: gettext); exits 77 (skipped,
# saying so) without them.
set -u
src=$1 work=$2
fails=0

for tool in xgettext msgfmt msgcmp; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: $tool is not installed (Debian: apt-get install gettext)"
        exit 77
    fi
done
rm -rf "$work" && mkdir -p "$work" || exit 2

fail() {
    echo "FAIL: $*" >&2
    fails=$((fails + 1))
}

# Every file that marks messages is extracted.
for f in "$src"/core/*.c; do
    rel=core/${f##*/}
    grep -q '#include "i18n.h"' "$f" || continue
    grep -qx "$rel" "$src/po/POTFILES" || fail "$rel marks messages but po/POTFILES does not name it"
done
while read -r rel; do
    [ -f "$src/$rel" ] || fail "po/POTFILES names $rel, which does not exist"
done <"$src/po/POTFILES"

# The template is the sources' messages, now.
if ! sh "$src/po/xgettext.sh" "$src" "$work/now.pot" 2>"$work/xgettext.err"; then
    cat "$work/xgettext.err" >&2
    fail "xgettext could not read the sources"
elif [ -s "$work/xgettext.err" ]; then
    cat "$work/xgettext.err" >&2
    fail "xgettext warns about the sources"
fi
n=$(grep -c '^msgid ' "$work/now.pot")
echo "the sources mark $((n - 1)) messages"
# Same msgids both ways: msgcmp DEF REF fails when REF has a message DEF
# lacks (--use-untranslated: DEF may be a template).
same_messages() { # same_messages A B
    msgcmp -N --use-untranslated "$1" "$2" >"$work/cmp.out" 2>&1 &&
        msgcmp -N --use-untranslated "$2" "$1" >>"$work/cmp.out" 2>&1 && return 0
    cat "$work/cmp.out" >&2
    return 1
}
same_messages "$work/now.pot" "$src/po/kextcheck.pot" ||
    fail "po/kextcheck.pot is not the sources' messages: run sh po/update.sh, then translate"

while read -r lang; do
    case $lang in '' | '#'*) continue ;; esac
    po=$src/po/$lang.po
    same_messages "$work/now.pot" "$po" ||
        fail "po/$lang.po does not have exactly the sources' messages (see above)"
    if ! msgfmt --check --statistics -o "$work/$lang.mo" "$po" 2>"$work/$lang.stats"; then
        cat "$work/$lang.stats" >&2
        fail "msgfmt --check refuses po/$lang.po"
        continue
    fi
    cat "$work/$lang.stats"
    # A message without a printf conversion may still be used as a format
    # (step(w, _("..."))): its translation must hold no '%' either, which
    # msgfmt --check does not look at (no c-format flag).
    pct=$(awk '
        /^#,/ { fmt = ($0 ~ /[ ,]c-format/) }
        /^msgid / { id = $0; instr = 0 }
        /^msgstr/ { instr = 1 }
        /^"/ && !instr { id = id $0 }
        (/^msgstr/ || (/^"/ && instr)) && !fmt && index($0, "%") { print id; fmt = 1 }
        /^$/ { fmt = 0; instr = 0 }' "$po")
    [ -z "$pct" ] || fail "po/$lang.po: a '%' in the translation of a message that has none: $pct"
    # "N translated messages." alone: no ", M fuzzy translations", no
    # ", K untranslated messages".
    grep -Eq '^[0-9]+ translated messages?\.$' "$work/$lang.stats" ||
        fail "po/$lang.po has untranslated or fuzzy messages"
    [ "$(sed -n 's/^\([0-9]*\) translated.*/\1/p' "$work/$lang.stats")" = $((n - 1)) ] ||
        fail "po/$lang.po translates another number of messages than the sources mark ($((n - 1)))"
done <"$src/po/LINGUAS"

[ $fails = 0 ] && echo "ok   the catalogs cover every message"
[ $fails = 0 ]
