#!/usr/bin/env bash
# The learning loop measured on synthetic traffic (issue 18; docs/tracking.md, "Learning from traffic").
#
# For each data set: split the labelled queries by a stable hash of their qid into halves A and
# B; measure half B with `helpmark eval` (before); replay half A as simulated users
# (bench/learn_sim.cpp: position-biased examination, right and wrong clicks, tickets) into a
# fresh event store; `helpmark learn apply` it; measure half B again with the overlay (after).
# No query of B is ever replayed. Then the poisoning: fake sessions push a wrong article for 20
# queries of B, and we count how many targets the learned overlay moves, with the defences on
# and off.
#
#   bench/learn_sim.sh [--sets "clinc150-dev hwu64-dev sample"] [--seed 1] [--users 8]
#                      [--variants "default users32 noisy"] [--sessions "1 2 3 5 8"]
#                      [--repeat 50] [--targets 20] [--no-flood] [--build-dir build/sim]
#                      [--work DIR] [--jobs 1] [--questions K]
#
# --questions K keeps only the first K written questions of each article of the jsonl sets (a
# knowledge base whose writers wrote few: clinc150 and hwu64 have 100 and 156 an article, which
# leaves traffic little to add).
#
# Variants of the simulated users: default (--users, p(click right) 0.7, p(click wrong) 0.15,
# p(ticket | not helped) 0.6), users32 (32 users a query), noisy (p(right) 0.5, p(wrong) 0.4,
# p(ticket) 0.3). "organic" floods the replayed half on top of the default traffic, so the
# default variant is required when flooding.
#
# Prints a Markdown summary (the figures of bench/results/learning.md) and keeps every JSON
# output under the work directory (default: BUILD_DIR/learn-sim).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
sets="clinc150-dev hwu64-dev sample"
seed=1
users=8
variants="default users32 noisy"
sessions_list="1 2 3 5 8"
repeat=50
targets=20
flood=1
build="$root/build/sim"
work=""
jobs=1
questions=""
while [ $# -gt 0 ]; do
  case "$1" in
    --sets) sets="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --users) users="$2"; shift 2 ;;
    --variants) variants="$2"; shift 2 ;;
    --sessions) sessions_list="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --targets) targets="$2"; shift 2 ;;
    --no-flood) flood=0; shift ;;
    --build-dir) build="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --jobs) jobs="$2"; shift 2 ;;
    --questions) questions="$2"; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "learn_sim.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
work="${work:-$build/learn-sim}"
hm="$build/cli/helpmark"
sim="$build/bench/learn_sim"

if [ ! -d "$build" ]; then cmake --preset dev -B "$build" >/dev/null; fi
cmake --build "$build" --target helpmark learn_sim -j"$jobs" >/dev/null
mkdir -p "$work"
log() { echo "# $*" >&2; }

# The defences off: every LearnOptions limit that stops a flood, at its weakest.
no_defences=(--min-sessions 1 --max-searches-per-hour 0 --max-pairs-per-session 0)

# eval_json SET QUERIES WORKDIR [extra eval options...] -> JSON on stdout
eval_json() {
  local set="$1" queries="$2" workdir="$3"; shift 3
  if [ "$set" = sample ]; then
    "$hm" eval "$root/articles" "$queries" --taxonomy "$root/taxonomy" --workdir "$workdir" --json "$@"
  else
    "$hm" eval "$articles" "$queries" --workdir "$workdir" --json "$@"
  fi
}

# reindex SET BASE_WORKDIR INDEX_DIR: index the set's articles into INDEX_DIR (which holds the
# overlay to train on).
reindex() {
  local set="$1" base="$2" index="$3"
  if [ "$set" = sample ]; then
    "$hm" index "$root/articles" --taxonomy "$root/taxonomy" --index "$index" --json >"$index.index.json"
  else
    "$hm" index "$base/articles" --taxonomy "$base/taxonomy" --index "$index" --json >"$index.index.json"
  fi
}


# copy_store FROM TO: an event store is one SQLite file, plus its WAL while a writer has it open.
copy_store() {
  cp "$1" "$2"
  if [ -e "$1-wal" ]; then cp "$1-wal" "$2-wal"; fi
}

# Traffic variants: name -> learn_sim traffic options. "default" is the issue's user model.
traffic_args() {
  case "$1" in
    default) echo "--users $users" ;;
    users32) echo "--users 32" ;;
    noisy) echo "--users $users --p-click-right 0.5 --p-click-wrong 0.4 --ticket 0.3" ;;
    *) echo "learn_sim.sh: unknown variant $1" >&2; exit 2 ;;
  esac
}

for set in $sets; do
  if [ "$set" = sample ]; then queries="$root/tests/data/sample-queries.jsonl"; else queries="$root/../shared/eval/$set/queries.jsonl"; fi
  w="$work/$set"
  rm -rf "$w"
  mkdir -p "$w"
  articles="$root/../shared/eval/$set/articles.jsonl"
  if [ -n "$questions" ] && [ "$set" != sample ]; then
    jq -c --argjson k "$questions" '.questions |= (.[:$k])' "$articles" >"$w/articles.jsonl"
    articles="$w/articles.jsonl"
  fi
  t0=$(date +%s)
  "$sim" split --queries "$queries" --half B --out "$w/heldout.jsonl" >"$w/split-B.json"
  "$sim" split --queries "$queries" --half A --out "$w/replayed.jsonl" >"$w/split-A.json"

  log "$set: before (held-out half B; replayed half A)"
  eval_json "$set" "$w/heldout.jsonl" "$w/base" >"$w/before.json"
  eval_json "$set" "$w/replayed.jsonl" "$w/tmp" >"$w/before-A.json"
  rm -rf "$w/tmp"

  for v in $variants; do
    vw="$w/$v"
    mkdir -p "$vw/overlay"
    log "$set/$v: traffic on half A ($(traffic_args "$v"), seed $seed)"
    # shellcheck disable=SC2046
    "$sim" traffic --index "$w/base/index" --queries "$queries" --store "$vw/traffic.sqlite" --half A \
      --seed "$seed" $(traffic_args "$v") >"$vw/traffic.json"
    log "$set/$v: learn apply"
    # Applied to a copy, so the base index stays as eval built it (the floods start from it).
    cp -r "$w/base/index" "$vw/learned-index"
    "$hm" learn apply --store "$vw/traffic.sqlite" --index "$vw/learned-index" --json >"$vw/apply.json"
    cp "$vw/learned-index/learned.json" "$vw/overlay/learned.json"
    "$sim" audit --overlay-dir "$vw/overlay" --queries "$queries" --half B >"$vw/audit.json"
    log "$set/$v: after (half B and half A, with the overlay)"
    eval_json "$set" "$w/heldout.jsonl" "$vw/after" --learned "$vw/overlay/learned.json" >"$vw/after.json"
    eval_json "$set" "$w/replayed.jsonl" "$vw/after" --learned "$vw/overlay/learned.json" >"$vw/after-A.json"
    rm -rf "$vw/after"
    # The default traffic's own index is where the organic floods are measured from.
    if [ "$v" = default ] && [ "$flood" = 1 ]; then reindex "$set" "$w/base" "$vw/learned-index"; else rm -rf "$vw/learned-index"; fi
  done
  log "$set: oracle (every replayed query learned with its right article)"
  "$sim" oracle --queries "$queries" --half A --out-dir "$w/oracle" >"$w/oracle.json"
  eval_json "$set" "$w/heldout.jsonl" "$w/oracle-eval" --learned "$w/oracle/learned.json" >"$w/oracle-after.json"
  eval_json "$set" "$w/replayed.jsonl" "$w/oracle-eval" --learned "$w/oracle/learned.json" >"$w/oracle-after-A.json"
  rm -rf "$w/oracle-eval"
  echo $(( $(date +%s) - t0 )) >"$w/loop-seconds"

  if [ "$flood" = 1 ]; then
    t0=$(date +%s)
    for k in $sessions_list; do
      # fast: each target searched R times 60 s apart, so every fake session is over the hourly
      # limit; patient: 200 s apart (18 an hour, under it). organic: patient, on queries of the
      # replayed half, added to the default traffic (the attacker competes with real clicks).
      "$sim" flood --index "$w/base/index" --queries "$queries" --store "$w/flood-fast-$k.sqlite" \
        --pairs "$w/pairs-B.jsonl" --half B --targets "$targets" --sessions "$k" --repeat "$repeat" --interval 60 \
        --seed "$seed" >"$w/flood-fast-$k.json"
      "$sim" flood --index "$w/base/index" --queries "$queries" --store "$w/flood-patient-$k.sqlite" \
        --pairs "$w/pairs-B.jsonl" --half B --targets "$targets" --sessions "$k" --repeat "$repeat" --interval 200 \
        --seed "$seed" >"$w/flood-patient-$k.json"
      copy_store "$w/default/traffic.sqlite" "$w/flood-organic-$k.sqlite"
      "$sim" flood --index "$w/base/index" --queries "$queries" --store "$w/flood-organic-$k.sqlite" \
        --pairs "$w/pairs-A.jsonl" --half A --targets "$targets" --sessions "$k" --repeat "$repeat" --interval 200 \
        --seed "$seed" >"$w/flood-organic-$k.json"
      for run in off:fast:B on:fast:B on:patient:B on:organic:A; do
        IFS=: read -r mode kind half <<<"$run"
        log "$set: flood $kind, $k sessions x $repeat searches of each target, defences $mode"
        idx="$w/atk-$kind-$k-$mode"
        rm -rf "$idx"
        cp -r "$w/base/index" "$idx"
        if [ "$mode" = on ]; then
          "$hm" learn apply --store "$w/flood-$kind-$k.sqlite" --index "$idx" --json >"$idx.apply.json"
        else
          "$hm" learn apply --store "$w/flood-$kind-$k.sqlite" --index "$idx" "${no_defences[@]}" --json >"$idx.apply.json"
        fi
        reindex "$set" "$w/base" "$idx"
        "$sim" rank --index "$idx" --pairs "$w/pairs-$half.jsonl" >"$idx.rank.json"
        rm -rf "$idx"
      done
    done
    "$sim" rank --index "$w/base/index" --pairs "$w/pairs-B.jsonl" >"$w/pairs-B.rank.json"
    "$sim" rank --index "$w/base/index" --pairs "$w/pairs-A.jsonl" >"$w/pairs-A.rank.json"
    "$sim" rank --index "$w/default/learned-index" --pairs "$w/pairs-A.jsonl" >"$w/pairs-A.organic.rank.json"
    echo $(( $(date +%s) - t0 )) >"$w/flood-seconds"
  fi
done

# ---- summary (Markdown) ---------------------------------------------------------------------
f4='def f: . * 10000 | round / 10000 | tostring;'
for set in $sets; do
  w="$work/$set"
  echo
  echo "### $set"
  echo
  jq -r -s "$f4"' .[0] as $b | .[1] as $a |
    "held-out half B: \($b.queries) queries (\($b.in_scope) in scope, never replayed); replayed half A: \($a.queries) queries (\($a.in_scope) in scope); loop \(.[2]) s\n",
    "| traffic on half A | B recall@1 | B recall@3 | B MRR@10 | B answer accuracy | A recall@1 (replayed) |",
    "|---|---|---|---|---|---|",
    "| none (before) | \($b["recall@1"]|f) | \($b["recall@3"]|f) | \($b.mrr|f) | \($b.answer.accuracy|f) | \($a["recall@1"]|f) |"
  ' "$w/before.json" "$w/before-A.json" "$w/loop-seconds"
  for v in $variants; do
    jq -r -s "$f4"' .[0] as $b | .[1] as $a | .[2] as $t |
      "| \($t.users) users a query, p(right) \($t.p_click_right), p(wrong) \($t.p_click_wrong), p(ticket) \($t.ticket) | \($b["recall@1"]|f) | \($b["recall@3"]|f) | \($b.mrr|f) | \($b.answer.accuracy|f) | \($a["recall@1"]|f) |"
    ' "$w/$v/after.json" "$w/$v/after-A.json" "$w/$v/traffic.json"
  done
  jq -r -s "$f4"' .[0] as $b | .[1] as $a | .[2] as $o |
    "| oracle: every replayed query learned with its right article (\($o.learned)) | \($b["recall@1"]|f) | \($b["recall@3"]|f) | \($b.mrr|f) | \($b.answer.accuracy|f) | \($a["recall@1"]|f) |"
  ' "$w/oracle-after.json" "$w/oracle-after-A.json" "$w/oracle.json"
  echo
  echo "| traffic on half A | sessions (right / wrong / no click; tickets) | learned questions (articles) | of them already at rank 1 / at 2-10 | right / wrong / unmatched | held-out texts learned |"
  echo "|---|---|---|---|---|---|"
  for v in $variants; do
    jq -r -s '.[0] as $t | .[1] as $u |
      "| \($t.users) users, p(wrong) \($t.p_click_wrong) | \($t.sessions) (\($t.clicked_right) / \($t.clicked_wrong) / \($t.no_click); \($t.tickets)) | \($u.learned) (\($u.articles)) | \($u.proposed_at_rank_1) / \($u.proposed_at_rank_2_10) | \($u.right) / \($u.wrong) / \($u.unmatched) | \($u.heldout_queries_with_learned_text) |"
    ' "$w/$v/traffic.json" "$w/$v/audit.json"
  done
  if [ "$flood" = 1 ]; then
    echo
    echo "Poisoning: $targets queries, a wrong article pushed from rank 5 (each fake session searches every target $repeat times, clicks and reads the article; targets at rank 1 / moved up; flood $(cat "$w/flood-seconds") s):"
    echo
    jq -r -s '"Before the flood: held-out targets: \(.[0].targets), the right article first for \(.[0].gold_at_rank_1); replayed targets: \(.[1].targets), the right article first for \(.[1].gold_at_rank_1), and with the default traffic learned (no flood): \(.[2].at_rank_1) / \(.[2].moved_up) (right first: \(.[2].gold_at_rank_1))\n"' \
      "$w/pairs-B.rank.json" "$w/pairs-A.rank.json" "$w/pairs-A.organic.rank.json"
    echo "| fake sessions | defences off | defences on, 60 s apart | on, 200 s apart | on, 200 s apart, against organic traffic |"
    echo "|---|---|---|---|---|"
    for k in $sessions_list; do
      cell() { jq -r '"\(.at_rank_1) / \(.moved_up) (right first: \(.gold_at_rank_1))"' "$w/atk-$1-$k-$2.rank.json"; }
      echo "| $k | $(cell fast off) | $(cell fast on) | $(cell patient on) | $(cell organic on) |"
    done
  fi
done
