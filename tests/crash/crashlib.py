"""Helpers shared by the crash and fault tests (docs/reliability.md): running helpmark,
comparing search results, reporting. Every test exits 0 (pass), 1 (fail) or 77 (a tool or a
permission it needs is missing: skipped)."""
import json
import os
import subprocess
import sys
import time

SKIP = 77


def run(helpmark, *args, env=None, timeout=600, **kw):
    full_env = dict(os.environ)
    full_env.pop("HELPMARK_INDEX", None)
    full_env.pop("HELPMARK_STORE", None)
    if env:
        full_env.update(env)
    return subprocess.run([helpmark, *args], capture_output=True, text=True, env=full_env, timeout=timeout, **kw)


def results(helpmark, index, queries):
    """What the index answers: for each query the total and the ids shown, plus the browse total."""
    out = {}
    for q in queries + [""]:
        r = run(helpmark, "search", q, "--index", index, "--json", "--limit", "20")
        if r.returncode != 0:
            return {"error": f"search {q!r} failed ({r.returncode}): {r.stderr.strip()}"}
        j = json.loads(r.stdout)
        out[q] = (j["total"], [h["id"] for h in j["hits"]])
    return out


class Checks:
    def __init__(self, name):
        self.name, self.failures, self.started = name, [], time.monotonic()

    def check(self, ok, message):
        if not ok:
            self.failures.append(message)
            print(f"FAIL: {message}", flush=True)
        return ok

    def finish(self, summary=""):
        seconds = time.monotonic() - self.started
        print(f"{self.name}: {summary} ({seconds:.1f} s)", flush=True)
        if self.failures:
            print(f"{self.name}: {len(self.failures)} failure(s)")
            sys.exit(1)
        sys.exit(0)
