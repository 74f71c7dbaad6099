# bash completion for kextcheck(8).
# Installed as <datadir>/bash-completion/completions/kextcheck, where the
# bash-completion package loads it on demand; or source it from ~/.bashrc.
# Works with bash 3.2 (macOS) and later, with or without bash-completion.
# tests/completion.sh checks it against `kextcheck --help`.

# The subcommands, the options, and the values of the options with a fixed
# set of them (the same lists as kextcheck's --help).
_kextcheck_commands='collect plugins snapshot profile recovery-script'
_kextcheck_options='--root --db --live --consent-status --consent-list --sip-status
    --loaded --arch-file --boot-policy --format --output --quiet --field --verbose
    --vendor --config --no-config --plugin-dir --allow-unsafe-plugins --color --help
    --version'
_kextcheck_profile_options='--missing-only --by-bundle-id --allow-user-overrides
    --allow-non-admin-approvals'
_kextcheck_formats='text json jamf sqlite'
_kextcheck_plugins_formats='text json'
_kextcheck_fields='status exit_code vendor next_step next_step_code next_step_rung'
_kextcheck_colors='auto always never'

# Options that take a value (the next word).
_kextcheck_takes_value()
{
    case $1 in
        -r | --root | --db | --consent-status | --consent-list | --sip-status | --loaded | \
            --arch-file | --boot-policy | -f | --format | -o | --output | --field | -V | \
            --vendor | -c | --config | -P | --plugin-dir | --color)
            return 0
            ;;
    esac
    return 1
}

# The names of the plugins kextcheck loads, as `kextcheck plugins` lists them
# (with the --plugin-dir, --config and --no-config given on the line so far).
_kextcheck_vendors()
{
    local kc=${COMP_WORDS[0]} i w
    local -a args
    args=()
    if ! type -P -- "$kc" >/dev/null 2>&1; then
        kc=kextcheck
    fi
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
            -P | --plugin-dir | -c | --config)
                if ((i + 1 < COMP_CWORD)); then
                    args+=("$w" "${COMP_WORDS[i + 1]}")
                fi
                ((i++))
                ;;
            --plugin-dir=* | --config=* | --no-config | --allow-unsafe-plugins)
                args+=("$w")
                ;;
        esac
    done
    # JSON keeps the names in English and in one place whatever the locale;
    # each ',', '{', '}' and '[' starts a line (one newline each: POSIX tr).
    # shellcheck disable=SC2020
    "$kc" plugins ${args[@]+"${args[@]}"} --format json 2>/dev/null |
        tr ',{}[' '\n\n\n\n' |
        sed -n 's/^[[:space:]]*"id":[[:space:]]*"\([a-z0-9][a-z0-9-]*\)".*/\1/p'
}

_kextcheck_words()
{
    local IFS=$' \t\n'
    # shellcheck disable=SC2207 # the words are plain names, split on blanks
    COMPREPLY=($(compgen -W "$1" -- "$2"))
}

_kextcheck_files()
{
    local IFS=$'\n'
    # shellcheck disable=SC2207
    COMPREPLY=($(compgen "$1" -- "$2"))
    type compopt >/dev/null 2>&1 && compopt -o filenames 2>/dev/null
    return 0
}

_kextcheck()
{
    local cur prev i w cmd='' sub='' nargs=0
    COMPREPLY=()
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=''
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}

    # --opt=value: bash splits the word at '=' (COMP_WORDBREAKS).
    if [[ $cur == = ]]; then
        cur=''
    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi
    if [[ $cur == --*=* ]]; then
        prev=${cur%%=*}
        cur=${cur#*=}
    fi

    # The command so far: the first word that is neither an option nor an
    # option's value; "plugins validate" is one.
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        if [[ $w == = ]]; then
            ((i++))
            continue
        fi
        if [[ ${COMP_WORDS[i + 1]} == = ]] || [[ $w == -*=* ]]; then
            continue
        fi
        if _kextcheck_takes_value "$w"; then
            ((i++))
            continue
        fi
        case $w in
            -*) ;;
            *)
                if [[ -z $cmd ]]; then
                    cmd=$w
                elif [[ $cmd == plugins && -z $sub ]]; then
                    sub=$w
                else
                    ((nargs++))
                fi
                ;;
        esac
    done

    case $prev in
        -f | --format)
            if [[ $cmd == plugins ]]; then
                _kextcheck_words "$_kextcheck_plugins_formats" "$cur"
            else
                _kextcheck_words "$_kextcheck_formats" "$cur"
            fi
            return 0
            ;;
        --field)
            _kextcheck_words "$_kextcheck_fields" "$cur"
            return 0
            ;;
        --color)
            _kextcheck_words "$_kextcheck_colors" "$cur"
            return 0
            ;;
        -V | --vendor)
            _kextcheck_words "$(_kextcheck_vendors)" "$cur"
            return 0
            ;;
        -r | --root | -P | --plugin-dir)
            _kextcheck_files -d "$cur"
            return 0
            ;;
        --db | --consent-status | --consent-list | --sip-status | --loaded | --arch-file | \
            --boot-policy | -o | --output | -c | --config)
            _kextcheck_files -f "$cur"
            return 0
            ;;
    esac

    if [[ $cur == -* ]]; then
        if [[ $cmd == profile ]]; then
            _kextcheck_words "$_kextcheck_options $_kextcheck_profile_options" "$cur"
        else
            _kextcheck_words "$_kextcheck_options" "$cur"
        fi
        return 0
    fi

    case $cmd in
        '')
            _kextcheck_words "$_kextcheck_commands" "$cur"
            ;;
        plugins)
            if [[ -z $sub ]]; then
                _kextcheck_words validate "$cur"
            else
                _kextcheck_files -f "$cur"
            fi
            ;;
        profile)
            _kextcheck_words "$(_kextcheck_vendors)" "$cur"
            ;;
        collect)
            ((nargs == 0)) && _kextcheck_files -d "$cur"
            ;;
        snapshot)
            if ((nargs == 0)); then
                _kextcheck_files -f "$cur"
            elif ((nargs == 1)); then
                _kextcheck_files -d "$cur"
            fi
            ;;
    esac
    return 0
}

complete -F _kextcheck kextcheck
