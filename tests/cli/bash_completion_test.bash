#!/bin/bash
# The bash completion script: valid syntax, the same as the file the build installs, and, once
# sourced, completing commands, subcommands, options and option values the way bash asks
# (COMP_WORDS and COMP_CWORD set, _helpmark called, COMPREPLY read).
# Usage: bash_completion_test.bash HELPMARK BUILT_SCRIPT
set -u
helpmark=$1 built=$2
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

script=$(mktemp)
trap 'rm -f "$script"' EXIT
"$helpmark" completion bash > "$script" || { echo "FAIL: helpmark completion bash exited $?"; exit 1; }
bash -n "$script" || { echo "FAIL: bash -n rejects the script"; exit 1; }
cmp -s "$script" "$built" || fail "the built $built differs from \`helpmark completion bash\`"

source "$script"
complete -p helpmark | grep -q -- '-F _helpmark' || fail "sourcing did not register _helpmark for helpmark"

# expect WANT WORD... : completing the last WORD (the cursor's) offers exactly WANT.
expect() {
  local want=$1
  shift
  COMP_WORDS=("$@")
  COMP_CWORD=$(($# - 1))
  COMPREPLY=()
  _helpmark
  local got="${COMPREPLY[*]}"
  if [[ $got == "$want" ]]; then echo "ok: $* -> $got"; else fail "'$*' completed to '$got', expected '$want'"; fi
}

expect "search serve" helpmark se
expect "search" helpmark track se
expect "apply" helpmark learn ap
expect "--version" helpmark --ver
expect "--limit" helpmark search --li
expect "--explain" helpmark search refund --limit 5 --ex   # the value 5 is skipped, not a command
expect "sarif" helpmark audit --format s
expect "text markdown json sarif" helpmark audit --format ""
expect "--store" helpmark track search refund --sto
expect "" helpmark nosuchcommand --li                      # nothing invented for an unknown command
expect "" helpmark search --index ""                       # a path: bash's own file names (-o default)

if ((failures)); then echo "$failures failure(s)"; exit 1; fi
echo "all bash completion checks passed"
