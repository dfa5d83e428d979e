# bash completion for retort: commands, their options, revision ids and
# the words targets take. Commands and options are read from retort's own
# --help, and revisions from `retort history`, so they follow the tool.
# Installed as share/bash-completion/completions/retort.

_retort_words() { # the global options before the command, kept for the calls below
  local i
  _retort_global=()
  _retort_command=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${COMP_WORDS[i]} in
      -c | --config | --url | --default-url | --script-location)
        _retort_global+=("${COMP_WORDS[i]}" "${COMP_WORDS[i + 1]}")
        i=$((i + 1))
        ;;
      -*) ;;
      *)
        _retort_command=${COMP_WORDS[i]}
        return
        ;;
    esac
  done
}

_retort_revisions() { # ids from the history, then the words targets take, then "$@"
  local ids
  ids=$("${COMP_WORDS[0]}" "${_retort_global[@]}" -q history 2>/dev/null |
    sed -n 's/^.* -> \([A-Za-z0-9_]*\).*/\1/p')
  printf '%s\n' $ids head heads base "$@"
}

_retort() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  local retort=${COMP_WORDS[0]}
  _retort_words
  case $prev in
    -c | --config) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    --script-location) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    --url | --default-url | -m | --message | --rev-id | --branch-label | --lock-timeout)
      return ;;
    --format)
      local formats
      # From the usage line: "[--format text|json|dot|mermaid]".
      formats=$("$retort" "$_retort_command" --help 2>/dev/null | head -1 |
        sed -n 's/.*--format \([a-z|]*\).*/\1/p' | tr '|' ' ')
      COMPREPLY=($(compgen -W "$formats" -- "$cur"))
      return
      ;;
    -r | --rev-range)
      COMPREPLY=($(compgen -W "$(_retort_revisions current)" -- "$cur"))
      return
      ;;
    --head | --depends-on)
      COMPREPLY=($(compgen -W "$(_retort_revisions)" -- "$cur"))
      return
      ;;
  esac
  if [ -z "$_retort_command" ]; then
    if [[ $cur == -* ]]; then
      COMPREPLY=($(compgen -W "-c --config --url --default-url --script-location -q --quiet -v --verbose --help" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "$("$retort" --help 2>/dev/null | sed -n 's/^  \([a-z]\+\)  .*/\1/p')" -- "$cur"))
    fi
    return
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$("$retort" "$_retort_command" --help 2>/dev/null |
      grep -o -- '--[a-z][a-z-]*' | sort -u)" -- "$cur"))
    return
  fi
  case $_retort_command in
    show) COMPREPLY=($(compgen -W "$(_retort_revisions current)" -- "$cur")) ;;
    upgrade | downgrade | stamp | merge | resolve)
      COMPREPLY=($(compgen -W "$(_retort_revisions)" -- "$cur"))
      ;;
    lint) COMPREPLY=($(compgen -f -- "$cur")) ;;
    init) COMPREPLY=($(compgen -d -- "$cur")) ;;
    config) COMPREPLY=($(compgen -W "--get --list" -- "$cur")) ;;
  esac
}

complete -F _retort retort
