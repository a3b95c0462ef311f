#!/usr/bin/env python3
"""SIGKILL `helpmark track` while several processes write single events and batches to one
store: every acknowledged event (exit 0) must be stored exactly once, and no event twice.
docs/reliability.md.

    events_kill.py HELPMARK WORKDIR [--writers 4] [--rounds 25]"""
import argparse
import collections
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crashlib import Checks, run  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("helpmark")
p.add_argument("work")
p.add_argument("--writers", type=int, default=4)
p.add_argument("--rounds", type=int, default=25)
a = p.parse_args()
c = Checks(f"events-kill ({a.writers} writers x {a.rounds} rounds)")
os.makedirs(a.work, exist_ok=True)
store = os.path.join(a.work, "events.sqlite")
for suffix in ("", "-wal", "-shm"):
    if os.path.exists(store + suffix):
        os.remove(store + suffix)
acked, attempted, lock = set(), set(), threading.Lock()
kills = [0]


def event(eid, i):
    return {"type": "search", "id": eid, "ts": "2026-11-01T10:00:00Z", "session": f"s{i}", "locale": "en",
            "query": f"refund {i}", "total": 1, "results": ["refund-timing"]}


def writer(w):
    rng = random.Random(w)
    for r in range(a.rounds):
        batch = rng.random() < 0.4
        if batch:
            ids = [f"w{w}-r{r}-{i}" for i in range(200)]
            path = os.path.join(a.work, f"batch-{w}-{r}.jsonl")
            with open(path, "w") as f:
                for i, eid in enumerate(ids):
                    f.write(json.dumps(event(eid, i)) + "\n")
            cmd = [a.helpmark, "track", "import", path, "--store", store]
        else:
            ids = [f"w{w}-r{r}"]
            cmd = [a.helpmark, "track", "search", "refund late", "--session", f"s{w}", "--id", ids[0],
                   "--results", "refund-timing", "--store", store]
        env = dict(os.environ)
        env.pop("HELPMARK_STORE", None)
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
        if rng.random() < 0.5:
            time.sleep(rng.uniform(0.0, 0.08))
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        with lock:
            attempted.update(ids)
            if proc.returncode == 0:
                acked.update(ids)
            elif proc.returncode == -signal.SIGKILL:
                kills[0] += 1
            else:
                c.check(False, f"{cmd[2]} exited {proc.returncode}: {proc.stderr.read()[:300]}")


threads = [threading.Thread(target=writer, args=(w,)) for w in range(a.writers)]
for t in threads:
    t.start()
for t in threads:
    t.join()
r = run(a.helpmark, "track", "export", "--store", store)
if c.check(r.returncode == 0, f"export failed: {r.stderr}"):
    stored = collections.Counter(json.loads(l)["id"] for l in r.stdout.splitlines() if l.strip())
    twice = [i for i, n in stored.items() if n > 1]
    missing = sorted(acked - set(stored))
    unknown = sorted(set(stored) - attempted)
    c.check(not twice, f"{len(twice)} events stored more than once, e.g. {twice[:5]}")
    c.check(not missing, f"{len(missing)} acknowledged events missing, e.g. {missing[:5]}")
    c.check(not unknown, f"{len(unknown)} events nobody sent, e.g. {unknown[:5]}")
    c.finish(f"{len(acked)} acknowledged events all stored once, {kills[0]} writers killed, "
             f"{len(stored)} events in the store")
c.finish()
