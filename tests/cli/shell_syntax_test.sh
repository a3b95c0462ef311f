#!/bin/sh
# A completion script is valid for its shell (`zsh -n`, `fish -n`) and completes words: fish
# through `complete -C`, zsh with its completion builtins (_describe, compadd, _files) replaced
# by functions that print what they are given. Skipped (77) when the shell is not installed.
# Usage: shell_syntax_test.sh SHELL HELPMARK BUILT_SCRIPT
shell=$1 helpmark=$2 built=$3
if ! command -v "$shell" >/dev/null 2>&1; then
  echo "$shell is not installed: skipping"
  exit 77
fi
script=$(mktemp)
trap 'rm -f "$script"' EXIT
"$helpmark" completion "$shell" > "$script" || { echo "FAIL: helpmark completion $shell exited $?"; exit 1; }
cmp -s "$script" "$built" || { echo "FAIL: the built $built differs from \`helpmark completion $shell\`"; exit 1; }
"$shell" -n "$script" || { echo "FAIL: $shell -n rejects the script"; exit 1; }
echo "ok: $shell -n accepts the script"
if [ "$shell" = zsh ]; then
  got=$(zsh -c '
    compdef() { :; }
    _describe() { local -a given; given=("${(@P)4}"); print -rl -- ${given%%:*}; }
    compadd() { shift; local -a given; given=("${(@P)1}"); print -rl -- $given; }
    _files() { print -- "<files>"; }
    source "$1"
    complete() { words=("$@"); CURRENT=$#; PREFIX=${words[-1]}; _helpmark | grep -- "^$PREFIX" | tr "\n" " "; print; }
    complete helpmark se; complete helpmark track se; complete helpmark audit --format s
    complete helpmark search --limit 5 --ex; complete helpmark search --index ""' zsh "$script")
  want=$(printf '%s\n' "search serve " "search " "sarif " "--explain " "<files> ")
  [ "$got" = "$want" ] || { echo "FAIL: zsh completed:"; echo "$got"; echo "expected:"; echo "$want"; exit 1; }
  echo "ok: zsh completes commands, options, choices and files"
fi
if [ "$shell" = fish ]; then
  got=$(fish -c "source $script; complete -C 'helpmark track se'" | cut -f1)
  [ "$got" = search ] || { echo "FAIL: fish completed 'helpmark track se' to '$got', expected 'search'"; exit 1; }
  got=$(fish -c "source $script; complete -C 'helpmark audit --format s'" | cut -f1)
  [ "$got" = sarif ] || { echo "FAIL: fish completed 'helpmark audit --format s' to '$got', expected 'sarif'"; exit 1; }
  echo "ok: fish completes commands and choices"
fi
