#!/usr/bin/env python3
"""SIGKILL `helpmark index` at many points of an update of a generated help center (parsing,
writing documents inside the transaction, committing) and check after each kill that the index
still opens at its previous revision with identical search results; then that the next run
completes. docs/reliability.md.

    index_kill.py HELPMARK GEN WORKDIR [--articles 10000] [--kills 12]"""
import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crashlib import Checks, results, run  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("helpmark")
p.add_argument("gen")
p.add_argument("work")
p.add_argument("--articles", type=int, default=10000)
p.add_argument("--kills", type=int, default=12)
a = p.parse_args()
c = Checks(f"index-kill ({a.articles} articles)")
rng = random.Random(14)

data = os.path.join(a.work, f"gen-{a.articles}")
if not os.path.exists(os.path.join(data, "queries.jsonl")):
    subprocess.run([sys.executable, a.gen, "--articles", str(a.articles), "--out", data, "--seed", "7",
                    "--queries", "50"], check=True, stdout=subprocess.DEVNULL)
import json  # noqa: E402
queries = [json.loads(l)["q"] for l in open(os.path.join(data, "queries.jsonl"))][:12] + ["zqxupdate"]

# The next state: a fifth of the articles changed, a few deleted.
articles, nxt = os.path.join(data, "articles"), os.path.join(a.work, "articles-next")
shutil.rmtree(nxt, ignore_errors=True)
shutil.copytree(articles, nxt)
files = sorted(os.path.join(d, f) for d, _, fs in os.walk(nxt) for f in fs if f.endswith(".md"))
for i, f in enumerate(files):
    if i % 5 == 0:
        with open(f, "a") as out:
            out.write("\nUpdated: zqxupdate.\n")
    elif i % 97 == 0:
        os.remove(f)
taxonomy = os.path.join(data, "taxonomy")
index, saved = os.path.join(a.work, "index"), os.path.join(a.work, "index-baseline")
for d in (index, saved):
    shutil.rmtree(d, ignore_errors=True)
r = run(a.helpmark, "index", articles, "--taxonomy", taxonomy, "--index", index, "-q")
if not c.check(r.returncode == 0, f"baseline build failed: {r.stderr}"):
    c.finish()
shutil.copytree(index, saved)
baseline = results(a.helpmark, index, queries)
c.check("error" not in baseline, f"baseline searches: {baseline.get('error')}")

# How long a complete update takes, on a copy.
scratch = os.path.join(a.work, "index-scratch")
shutil.rmtree(scratch, ignore_errors=True)
shutil.copytree(saved, scratch)
t0 = time.monotonic()
r = run(a.helpmark, "index", nxt, "--taxonomy", taxonomy, "--index", scratch, "-q")
update_seconds = time.monotonic() - t0
c.check(r.returncode == 0, f"reference update failed: {r.stderr}")
expected_next = results(a.helpmark, scratch, queries)
shutil.rmtree(scratch)

def restore():
    shutil.rmtree(index)
    shutil.copytree(saved, index)

# Kill points: in-process after N documents written (mid-transaction), and from outside at
# fractions of the update's duration (parsing early on, commit at the end).
changed = len(files) // 5
points = [("after-docs", n) for n in (0, 1, changed // 10, changed // 2, changed - 1)]
# Fixed points near the end (the commit) and at the start (parsing), the rest at random.
fixed = [0.02, 0.9, 0.97, 1.0]
fractions = sorted(fixed + [rng.uniform(0.02, 1.05) for _ in range(max(0, a.kills - len(points) - len(fixed)))])
points += [("at-time", f) for f in fractions]
killed = completed = 0
for kind, value in points:
    env = {"HELPMARK_TEST_CRASH_AFTER": str(value)} if kind == "after-docs" else None
    full_env = dict(os.environ, **(env or {}))
    proc = subprocess.Popen([a.helpmark, "index", nxt, "--taxonomy", taxonomy, "--index", index, "-q"],
                            env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if kind == "at-time":
        try:
            proc.wait(timeout=value * update_seconds)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
    proc.wait()
    label = f"{kind}={value:.2f}" if kind == "at-time" else f"{kind}={value}"
    if proc.returncode == 0:  # finished before the kill: the update is complete
        completed += 1
        c.check(results(a.helpmark, index, queries) == expected_next, f"{label}: completed run differs from the reference")
        restore()
        continue
    killed += 1
    c.check(proc.returncode == -signal.SIGKILL, f"{label}: exit {proc.returncode}, expected SIGKILL: {proc.stderr.read()[:300]}")
    got = results(a.helpmark, index, queries)
    if got == expected_next:  # killed after the commit, before the process ended: also whole
        print(f"  {label}: killed after the commit; the new revision is complete", flush=True)
        restore()
        continue
    c.check(got == baseline, f"{label}: after the kill the index is neither the previous revision nor the "
                             f"next: {str(got)[:300]}")
    print(f"  {label}: killed; previous revision intact", flush=True)

r = run(a.helpmark, "index", nxt, "--taxonomy", taxonomy, "--index", index, "-q")
c.check(r.returncode == 0, f"the run after the kills failed: {r.stderr}")
c.check(results(a.helpmark, index, queries) == expected_next, "the run after the kills differs from the reference")
c.finish(f"{killed} kills with the previous revision intact, {completed} runs finished first; "
         f"a full update takes {update_seconds:.1f} s")
