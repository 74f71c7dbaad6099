#!/bin/sh
# manpage.sh KEXTCHECK SOURCEDIR
# docs/kextcheck.8 against the program, at test time:
#   - every long option `kextcheck --help` prints, and every option of the
#     getopt table in core/cli.c, has its entry in OPTIONS (with its short
#     form when --help gives one);
#   - every command of the usage has its entry in COMMANDS;
#   - every finding code of the judge's table (core/judge.c) has its entry in
#     FINDING CODES, and the section names no code the table lacks;
#   - the exit statuses 0, 1, 2, 3 and 64 are in EXIT STATUS, and .TH names
#     the version `kextcheck --version` prints;
#   - groff -man -ww renders it without a warning, and so does man-db's
#     `man --warnings -l` (each skipped, saying so, when missing).
set -eu
# kextcheck's own words are read below: the untranslated ones.
LC_ALL=C
export LC_ALL
kc=$1 src=$2
page="$src/docs/kextcheck.8"
failures=0
bad() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# The page's text with roff's \- as '-', and one of its sections.
plain() { sed 's/\\-/-/g' "$page"; }
section() { plain | sed -n "/^\.SH \"*$1\"*\$/,/^\.SH /p"; }
options=$(section OPTIONS)
commands=$(section COMMANDS)
codes=$(section "FINDING CODES")
exits=$(section "EXIT STATUS")

help=$("$kc" --help)
# Long options: --help's, and the getopt table's ({"name", ...} in longopts).
# --apply is named in --help as the Recovery script's own option.
long=$( { echo "$help" | grep -o -- '--[a-z][a-z-]*'
          sed -n '/longopts\[\] = {/,/^ *};/p' "$src/core/cli.c" |
              sed -n 's/^ *{"\([a-z][a-z-]*\)",.*/--\1/p'; } | LC_ALL=C sort -u)
n=0
for o in $long; do
    [ "$o" = --apply ] && continue
    n=$((n + 1))
    echo "$options" | grep -Eq -- "^\.(B|BR|BI) ([^ ]+ \", \" )?$o( |\$)" ||
        bad "OPTIONS has no entry for $o"
done
# "-r, --root": the entry names both.
echo "$help" | sed -n 's/^ *\(-[a-zA-Z]\), \(--[a-z][a-z-]*\).*/\1 \2/p' >"${TMPDIR:-/tmp}/kc-short.$$"
while read -r short lng; do
    echo "$options" | grep -Eq -- "^\.BR $short \", \" $lng( |\$)" ||
        bad "OPTIONS does not give $lng as \"$short, $lng\""
done <"${TMPDIR:-/tmp}/kc-short.$$"
rm -f "${TMPDIR:-/tmp}/kc-short.$$"

# Commands: the usage's "kextcheck WORD" lines.
cmds=$(echo "$help" | sed -n 's/^ *\(Usage: \)*kextcheck \([a-z][a-z-]*\).*/\2/p' | LC_ALL=C sort -u)
[ -n "$cmds" ] || bad "no command found in kextcheck --help"
for c in $cmds; do
    echo "$commands" | grep -Eq "^\.(B|BI|BR) \"?$c( |\"|\$)" || bad "COMMANDS has no entry for $c"
done

# Finding codes: core/judge.c's table, both ways.
table=$(sed -n '/code_table\[KC_F__COUNT\] = {/,/^};/p' "$src/core/judge.c" |
        grep -o '{"[A-Z][A-Z_]*"' | tr -d '{"' | LC_ALL=C sort -u)
[ "$(echo "$table" | wc -l)" -ge 30 ] || bad "only $(echo "$table" | wc -l) codes read from core/judge.c"
for c in $table; do
    echo "$codes" | grep -qx "\.B $c" || bad "FINDING CODES has no entry for $c"
done
for c in $(echo "$codes" | sed -n 's/^\.B \([A-Z][A-Z_]*\)$/\1/p'); do
    echo "$table" | grep -qx "$c" || bad "FINDING CODES names $c, which core/judge.c does not have"
done

for s in 0 1 2 3 64; do
    echo "$exits" | grep -qx "\.B $s" || bad "EXIT STATUS has no entry for $s"
done
version=$("$kc" --version | sed -n 's/^kextcheck \([^ ]*\).*/\1/p')
grep -q "^\.TH KEXTCHECK 8 \"[0-9-]*\" \"kextcheck $version\"" "$page" ||
    bad ".TH does not name kextcheck $version: $(grep '^\.TH' "$page")"
for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS "EXIT STATUS" FILES ENVIRONMENT \
         "FINDING CODES" EXAMPLES "SEE ALSO"; do
    grep -Eq "^\.SH \"?$s\"?\$" "$page" || bad "no $s section"
done

# Rendering.
if command -v groff >/dev/null 2>&1; then
    warnings=$(LC_ALL=C groff -man -Tutf8 -ww -z "$page" 2>&1) || bad "groff failed: $warnings"
    [ -z "$warnings" ] || bad "groff -ww warns: $warnings"
else
    echo "SKIP: groff not found: the page is not rendered"
fi
if command -v man >/dev/null 2>&1 && man --help 2>&1 | grep -q -- --local-file; then
    warnings=$(LC_ALL=C MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null) ||
        bad "man -l failed: $warnings"
    [ -z "$warnings" ] || bad "man --warnings -l warns: $warnings"
else
    echo "SKIP: man-db's man not found: man -l is not run"
fi

[ "$failures" = 0 ] || { echo "FAIL: $failures problem(s) in docs/kextcheck.8" >&2; exit 1; }
echo "manpage: $n options, $(echo "$cmds" | wc -w) commands and $(echo "$table" | wc -l) finding" \
     "codes documented; renders without warnings"
