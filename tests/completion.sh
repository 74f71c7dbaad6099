#!/bin/sh
# completion.sh KEXTCHECK PLUGINDIR SOURCEDIR WORKDIR
# The bash and zsh completion, each through its shell's own machinery:
#   bash: bash-completion's loader (__load_completion) finds
#         bash-completion/completions/kextcheck under $XDG_DATA_DIRS, as it
#         would the installed file; the function `complete -p kextcheck`
#         names is called with COMP_WORDS and COMP_CWORD set.  Without the
#         bash-completion package the file is sourced directly.
#   zsh:  compinit finds _kextcheck in $fpath; Tab is pressed in an
#         interactive zsh in a pseudo-terminal (tests/tools/zshcomplete.zsh).
# What each must offer comes from kextcheck itself: the subcommands, every
# long option --help prints, the --format and --field values the binary
# accepts (its own error messages list them), and the vendor names of the
# plugins in PLUGINDIR.  zsh is skipped, saying so, when it is missing.
set -eu
# kextcheck's own words are read below: the untranslated ones.
LC_ALL=C
export LC_ALL
kc=$1 plugindir=$2 src=$3 work=$4
rm -rf "$work" && mkdir -p "$work/bin" "$work/share/bash-completion/completions"
fail() { echo "FAIL: $*" >&2; exit 1; }
failures=0
bad() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# `kextcheck` on PATH is the binary under test.
ln -s "$kc" "$work/bin/kextcheck"
PATH="$work/bin:$PATH"
export PATH
cp "$src/completions/kextcheck.bash" "$work/share/bash-completion/completions/kextcheck"

# A word list, sorted, one space after each word (commas count as blanks).
words() { sed 's/,/ /g' | tr ' ' '\n' | sed '/^$/d' | LC_ALL=C sort -u | tr '\n' ' '; }

# ---- What kextcheck itself says ----
kextcheck --help >"$work/help.txt"
all_opts=$(grep -o -- '--[a-z][a-z-]*' "$work/help.txt" | words)
# --apply is the Recovery script's own option (named in the help), not kextcheck's.
profile_opts=$(echo "--missing-only --by-bundle-id --allow-user-overrides --allow-non-admin-approvals" | words)
main_opts=$(for o in $all_opts; do
    case " $profile_opts --apply " in *" $o "*) ;; *) echo "$o" ;; esac
done | words)
formats=$(kextcheck --format none 2>&1 | sed -n 's/.*must be one of: //p' | words)
fields=$(kextcheck --field none 2>&1 | sed -n 's/.*(fields: \(.*\))$/\1/p' | words)
vendors=$(for f in "$plugindir"/*.so; do basename "$f" .so; done | words)
commands=$(echo "collect plugins snapshot profile recovery-script" | words)
if [ -z "$formats" ] || [ -z "$fields" ] || [ -z "$vendors" ] || [ -z "$main_opts" ]; then
    fail "could not read the options, formats, fields or plugins from kextcheck"
fi
P="--no-config -P $plugindir"

# expect SHELL NAME WANT GOT
expect() {
    if [ "$3" = "$4" ]; then
        echo "ok: $1: $2"
    else
        bad "$1: $2: expected '$3', got '$4'"
    fi
}

# The cases: "name|command line (Tab at its end)|expected words".  A word
# list of "=" splits as bash does for --opt=value.
cases() {
    cat <<EOF
commands|kextcheck |$commands
options|kextcheck --|$main_opts
profile options|kextcheck profile --|$(echo "$main_opts $profile_opts" | words)
formats|kextcheck --format |$formats
formats after -f|kextcheck $P -f |$formats
plugins formats|kextcheck plugins --format |$(echo "text json" | words)
fields|kextcheck --field |$fields
colours|kextcheck --color |$(echo "auto always never" | words)
vendors|kextcheck $P --vendor |$vendors
vendors (prefix)|kextcheck $P -V tr|$(for v in $vendors; do case $v in tr*) echo "$v" ;; esac; done | words)
profile vendors|kextcheck $P profile |$vendors
plugins subcommand|kextcheck plugins |validate 
option prefix|kextcheck --allow-u|--allow-unsafe-plugins 
EOF
}

# ---- bash ----
bash_complete() { # LINE -> the words _kextcheck offers
    bash --norc --noprofile -c '
        line=$1
        if [ -f /usr/share/bash-completion/bash_completion ]; then
            . /usr/share/bash-completion/bash_completion
            XDG_DATA_DIRS=$2/share __load_completion kextcheck ||
                { echo "LOADER-FAILED"; exit 0; }
        else
            . "$2/share/bash-completion/completions/kextcheck"
        fi
        fn=$(complete -p kextcheck | sed -n "s/.*-F \([^ ]*\) .*/\1/p")
        [ -n "$fn" ] || { echo "NO-FUNCTION"; exit 0; }
        read -r -a COMP_WORDS <<<"$line"
        [[ $line == *" " ]] && COMP_WORDS+=("")
        COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
        COMP_LINE=$line COMP_POINT=${#line}
        "$fn" kextcheck "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
        printf "%s\n" "${COMPREPLY[@]}"
    ' bash "$1" "$work" | words
}
if [ -f /usr/share/bash-completion/bash_completion ]; then
    echo "bash: through bash-completion's loader"
else
    echo "SKIP: bash-completion not installed: the completion file is sourced directly"
fi
cases | while IFS='|' read -r name line want; do
    expect bash "$name" "$want" "$(bash_complete "$line")"
done >"$work/bash.txt" 2>&1
cat "$work/bash.txt"
# --opt=value: bash splits the word at '='.
got=$(bash --norc --noprofile -c '
    . "$1"
    COMP_WORDS=(kextcheck --format = j) COMP_CWORD=3
    _kextcheck kextcheck j =
    printf "%s\n" "${COMPREPLY[@]}"' bash "$src/completions/kextcheck.bash" | words)
expect bash "--format=j" "$(for f in $formats; do case $f in j*) echo "$f" ;; esac; done | words)" "$got" \
    >>"$work/bash.txt" 2>&1
tail -n 1 "$work/bash.txt"

# ---- zsh ----
if command -v zsh >/dev/null 2>&1; then
    zfpath="$work/zsh-functions"
    mkdir -p "$zfpath" && cp "$src/completions/_kextcheck" "$zfpath/"
    cases | while IFS='|' read -r name line want; do
        st=0
        got=$(zsh -f "$src/tests/tools/zshcomplete.zsh" "$zfpath" "$line") || st=$?
        if [ "$st" = 77 ]; then
            echo "SKIP: zsh: $got"
            break
        fi
        [ "$st" = 0 ] || { bad "zsh: $name: the harness failed ($st)"; continue; }
        expect zsh "$name" "$want" "$(echo "$got" | words)"
    done >"$work/zsh.txt" 2>&1
    cat "$work/zsh.txt"
    got=$(zsh -f "$src/tests/tools/zshcomplete.zsh" "$zfpath" "kextcheck --format=j" | words)
    expect zsh "--format=j" "$(for f in $formats; do case $f in j*) echo "$f" ;; esac; done | words)" \
        "$got" >>"$work/zsh.txt" 2>&1
    tail -n 1 "$work/zsh.txt"
else
    echo "SKIP: zsh not found: the zsh completion is not tested"
    : >"$work/zsh.txt"
fi

# The bash file is bash (3.2 and later): lint it when shellcheck is there.
if command -v shellcheck >/dev/null 2>&1; then
    shellcheck -s bash "$src/completions/kextcheck.bash" >"$work/shellcheck.txt" 2>&1 ||
        bad "shellcheck completions/kextcheck.bash: $(cat "$work/shellcheck.txt")"
else
    echo "SKIP: shellcheck not found: completions/kextcheck.bash is not linted"
fi

n=$(cat "$work/bash.txt" "$work/zsh.txt" | grep -c '^FAIL' || true)
n=$((n + failures))
[ "$n" = 0 ] || fail "$n completion case(s) failed"
echo "completion: bash and zsh offer the commands, options, formats, fields and vendors"
