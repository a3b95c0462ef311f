#!/bin/sh
# The man pages the build wrote: one per command and helpmark.1, each rendered by groff without
# a warning, each naming every option its command's --help lists (so the two cannot drift).
# Skipped (77) without groff. Usage: manpage_test.sh HELPMARK MAN1_DIR
helpmark=$1 dir=$2
if ! command -v groff >/dev/null 2>&1; then
  echo "groff is not installed: skipping"
  exit 77
fi
failures=0
commands=$("$helpmark" --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && /^  [a-z]/ {print $1}')
[ -n "$commands" ] || { echo "FAIL: no commands found in helpmark --help"; exit 1; }
for page in helpmark $(for c in $commands; do echo "helpmark-$c"; done); do
  file=$dir/$page.1
  if [ ! -f "$file" ]; then echo "FAIL: $file is missing"; failures=$((failures + 1)); continue; fi
  warnings=$(groff -man -Tutf8 -ww -z "$file" 2>&1)
  if [ -n "$warnings" ]; then echo "FAIL: groff warns about $page.1: $warnings"; failures=$((failures + 1)); fi
  text=$(groff -man -Tutf8 -P-cbou "$file" 2>/dev/null)
  command=${page#helpmark}; command=${command#-}
  # The program's page lists the commands, not their options: only its own are checked.
  for option in $("$helpmark" $command --help | sed '/^Subcommands:/,$d' | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    case $text in
      *"$option"*) ;;
      *) echo "FAIL: $page.1 does not mention $option"; failures=$((failures + 1)) ;;
    esac
  done
  echo "ok: $page.1"
done
pages=$(ls "$dir" | wc -l)
expected=$(($(echo "$commands" | wc -l) + 1))
[ "$pages" -eq "$expected" ] || { echo "FAIL: $pages pages in $dir, expected $expected"; failures=$((failures + 1)); }
if command -v man >/dev/null 2>&1; then
  MANWIDTH=80 man -l "$dir/helpmark-search.1" 2>&1 | grep -q -- '--limit' ||
    { echo "FAIL: man -l does not show helpmark-search.1"; failures=$((failures + 1)); }
fi
[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
