#!/usr/bin/env zsh
# zshcomplete.zsh FPATH-DIR LINE
# Prints, one a line, the matches zsh's own completion system (compinit, the
# _kextcheck function found in FPATH-DIR) offers when Tab is pressed at the
# end of LINE in an interactive zsh.  The shell runs in a pseudo-terminal
# (zsh/zpty); compadd is wrapped so that every match added is also printed
# between two markers.  Exit 0, 2 when the shell did not answer in time, 77
# when zsh/zpty is missing.
emulate -L zsh
zmodload zsh/zpty 2>/dev/null || { print -u2 "SKIP: zsh/zpty is not available"; exit 77 }
zmodload zsh/datetime

fdir=$1 cmdline=$2
init=$(mktemp "${TMPDIR:-/tmp}/zshcomplete.XXXXXX") || exit 2
trap 'rm -f -- $init; zpty -d kc 2>/dev/null' EXIT

cat >$init <<EOF
PS1='' PROMPT='' RPROMPT='' PROMPT_EOL_MARK=''
unsetopt zle_bracketed_paste 2>/dev/null
fpath=(${(q)fdir} \$fpath)
autoload -Uz compinit && compinit -u -D
zstyle ':completion:*' list-grouped false
zstyle ':completion:*' insert-tab false
bindkey '^I' complete-word
# Every match a completion function adds, printed as it is added.
compadd() {
  local -a kc_hits
  if [[ \${@[(I)-[OAD]]} -ne 0 ]]; then
    builtin compadd "\$@"
    return
  fi
  builtin compadd -O kc_hits "\$@"
  local h
  for h in \$kc_hits; do print -r -- "KC""MATCH \$h"; done
  builtin compadd "\$@"
}
kc_begin() { print; print -r -- "KC""BEGIN" }
kc_end() { print -r -- "KC""END"; exit }
compprefuncs=(kc_begin)
comppostfuncs=(kc_end)
print -r -- "KC""READY"
EOF

zpty kc zsh -f -i
zpty -w kc "source ${(q)init}"

# Read what the shell prints until MARKER, for at most 10 seconds.
typeset out=''
kc_wait() {
  local chunk deadline=$(( EPOCHREALTIME + 10 ))
  while (( EPOCHREALTIME < deadline )); do
    if zpty -rt kc chunk 2>/dev/null; then
      out+=$chunk
      [[ $out == *$1* ]] && return 0
    else
      sleep 0.05
    fi
  done
  print -u2 "zshcomplete: no $1 from zsh within 10 s; it printed:"
  print -u2 -r -- $out
  return 1
}
kc_wait KCREADY || exit 2
out=''
zpty -w -n kc "$cmdline"$'\t'
kc_wait KCEND || exit 2
print -r -- ${out//$'\r'/} | sed -n '/^KCBEGIN/,/^KCEND/s/^KCMATCH //p'
