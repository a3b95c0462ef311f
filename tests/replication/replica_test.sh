#!/usr/bin/env bash
# A read replica kept current by Xapian's replication, on loopback: one master index built by
# `helpmark index --changesets`, xapian-replicate-server serving it, xapian-replicate copying it
# into a replica directory, and `helpmark search` and `helpmark serve` reading the replica.
# A title changed and re-indexed on the master must reach both within a few seconds.
#
# Usage: replica_test.sh HELPMARK_BINARY KB_DIR (a folder with articles/ and taxonomy/)
# Exit status: 0 pass, 1 fail, 77 skipped (xapian-tools, curl or python3 missing).
set -euo pipefail

helpmark=$1
kb=$2
readonly interval=1  # xapian-replicate -i: seconds between polls of the master
readonly deadline=20 # seconds a change may take to reach the replica before the test fails

for tool in xapian-replicate xapian-replicate-server curl python3 setsid; do
  if ! command -v "$tool" >/dev/null; then
    echo "SKIP: $tool not installed (xapian-tools, curl, python3, util-linux)"
    exit 77
  fi
done

work=$(mktemp -d "${TMPDIR:-/tmp}/helpmark-replica.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

fail() {
  echo "FAIL: $*"
  for log in "$work"/*.log; do
    [[ -s $log ]] && { echo "--- $log"; tail -n 20 "$log"; }
  done
  exit 1
}

now_ms() { date +%s%3N; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Polls `$@` every 0.2 s until it succeeds or $deadline seconds pass.
wait_for() {
  local stop=$(( $(now_ms) + deadline * 1000 ))
  until "$@"; do
    (( $(now_ms) < stop )) || return 1
    sleep 0.2
  done
}

# Output is captured before grep: with pipefail, `grep -q` closing the pipe early would fail
# the writer with SIGPIPE.
has_article() { grep -Eq "\"id\": *\"$2\"" <<<"$1"; }

replica_search() { "$helpmark" search --index "$work/replica" --json "$1" 2>/dev/null; }
served_search() { curl -fsS "http://127.0.0.1:$serve_port/v1/search?q=$1" 2>/dev/null; }

# finds SEARCH QUERY ARTICLE_ID: the search succeeds and lists the article.
finds() {
  local body
  body=$("$1" "$2") || return 1
  has_article "$body" "$3"
}
# lacks SEARCH QUERY ARTICLE_ID: the search succeeds and does not list the article.
lacks() {
  local body
  body=$("$1" "$2") || return 1
  ! has_article "$body" "$3"
}

cp -r "$kb/articles" "$kb/taxonomy" "$work/"
mkdir "$work/master"
article="$work/articles/en/payments/refund-timing.md"
[[ -f $article ]] || fail "fixture article $article missing"

"$helpmark" index "$work/articles" --taxonomy "$work/taxonomy" --index "$work/master/index" \
  --changesets 10 -q >"$work/index.log" 2>&1 || fail "indexing the master"

repl_port=$(free_port)
# In its own session: on SIGTERM xapian-replicate-server (1.4) signals its whole process group,
# which would otherwise take this script and ctest down with it.
setsid xapian-replicate-server -I 127.0.0.1 -p "$repl_port" "$work/master" >"$work/replicate-server.log" 2>&1 &
pids+=($!)
# -r 1: between two changesets, give readers 1 s to move to the newer revision.
xapian-replicate -h 127.0.0.1 -p "$repl_port" -m index -i "$interval" -r 1 -v "$work/replica" \
  >"$work/replicate.log" 2>&1 &
pids+=($!)

started=$(now_ms)
wait_for finds replica_search refund refund-timing || fail "the replica never received the first copy"
echo "first copy searchable on the replica after $(( $(now_ms) - started )) ms"
[[ -f $work/replica/XAPIANDB ]] || fail "the replica is not a stub directory (XAPIANDB missing)"

# Writing into a replica would break replication: refused as a usage error.
status=0
"$helpmark" index "$work/articles" --taxonomy "$work/taxonomy" --index "$work/replica" -q \
  >"$work/index-replica.log" 2>&1 || status=$?
[[ $status == 2 ]] || fail "indexing into the replica: exit $status, expected 2"

serve_port=$(free_port)
"$helpmark" serve --index "$work/replica" --store "$work/events.sqlite" \
  --listen "127.0.0.1:$serve_port" >"$work/serve.log" 2>&1 &
pids+=($!)
wait_for finds served_search refund refund-timing || fail "helpmark serve on the replica does not answer"
lacks served_search quokkarama refund-timing || fail "the marker word is already in the index"

# One change on the master: a new title with a word no article has.
sed -i 's/^title: How long a refund takes$/title: How long a quokkarama refund takes/' "$article"
grep -q quokkarama "$article" || fail "could not edit $article"
"$helpmark" index "$work/articles" --taxonomy "$work/taxonomy" --index "$work/master/index" \
  --changesets 10 -q >>"$work/index.log" 2>&1 || fail "re-indexing the master"
changed=$(now_ms)
wait_for finds replica_search quokkarama refund-timing || fail "the change did not reach the replica in ${deadline} s"
echo "change searchable on the replica after $(( $(now_ms) - changed )) ms (interval ${interval} s)"
wait_for finds served_search quokkarama refund-timing || fail "helpmark serve did not pick up the change in ${deadline} s"
echo "change served over HTTP by the replica after $(( $(now_ms) - changed )) ms, same server process"
# The update travelled as a changeset, not as a full copy of the database.
grep -Eq ' [1-9][0-9]* changesets, new live database' "$work/replicate.log" ||
  fail "the replica was not updated by a changeset (does the master keep changesets?)"

# And back: the old title again, picked up by the same server process.
sed -i 's/^title: How long a quokkarama refund takes$/title: How long a refund takes/' "$article"
"$helpmark" index "$work/articles" --taxonomy "$work/taxonomy" --index "$work/master/index" \
  --changesets 10 -q >>"$work/index.log" 2>&1 || fail "re-indexing the master again"
changed=$(now_ms)
wait_for lacks replica_search quokkarama refund-timing || fail "the second change did not reach the replica"
wait_for lacks served_search quokkarama refund-timing || fail "helpmark serve did not pick up the second change"
echo "second change served by the replica after $(( $(now_ms) - changed )) ms"
kill -0 "${pids[2]}" 2>/dev/null || fail "helpmark serve exited"
echo "PASS"
