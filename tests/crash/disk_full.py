#!/usr/bin/env python3
"""A full disk and read-only directories while indexing and while recording events: a clear
error (exit 1, no crash), nothing half-written, the previous index and events intact.
Needs root to mount a small tmpfs (skipped, 77, otherwise). docs/reliability.md.

    disk_full.py HELPMARK ARTICLES TAXONOMY WORKDIR"""
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crashlib import SKIP, Checks, results, run  # noqa: E402

helpmark, articles, taxonomy, work = sys.argv[1:5]
if os.geteuid() != 0:
    print("disk_full: needs root to mount a small tmpfs: skipped")
    sys.exit(SKIP)
c = Checks("disk-full")
mnt = os.path.join(work, "small-disk")
os.makedirs(mnt, exist_ok=True)
subprocess.run(["umount", mnt], stderr=subprocess.DEVNULL)
if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mnt]).returncode != 0:
    print("disk_full: cannot mount a tmpfs here: skipped")
    sys.exit(SKIP)
queries = ["refund", "card declined", "reembolso", "password", "return label"]
try:
    index, store = os.path.join(mnt, "index"), os.path.join(mnt, "events.sqlite")
    r = run(helpmark, "index", articles, "--taxonomy", taxonomy, "--index", index, "-q")
    c.check(r.returncode == 0, f"first build with room failed: {r.stderr}")
    before = results(helpmark, index, queries)
    r = run(helpmark, "track", "search", "refund", "--session", "s1", "--store", store)
    c.check(r.returncode == 0, f"first event with room failed: {r.stderr}")

    # The update needs more room than is left: every article rewritten under a new taxonomy.
    more = os.path.join(work, "articles-more")
    shutil.rmtree(more, ignore_errors=True)
    shutil.copytree(articles, more)
    for d, _, fs in os.walk(more):
        for f in fs:
            if f.endswith(".md"):
                with open(os.path.join(d, f), "a") as out:
                    out.write("\n" + " ".join(f"filler{i}word" for i in range(400)) + "\n")
    for free_kib in (600, 1500, 2500):
        filler = os.path.join(mnt, "filler")
        if os.path.exists(filler):
            os.remove(filler)
        st = os.statvfs(mnt)
        size = st.f_bavail * st.f_frsize - free_kib * 1024
        if size > 0:
            with open(filler, "wb") as f:
                f.truncate(0)
                f.write(b"\0" * size)
        r = run(helpmark, "index", more, "--taxonomy", taxonomy, "--index", index, "-q")
        label = f"index with {free_kib} KiB free"
        # A crash shows all of its report (a sanitizer's stack is what tells where).
        c.check(r.returncode in (0, 1), f"{label}: exit {r.returncode} (a crash?): {r.stderr[:300]}\n{r.stderr[-6000:]}")
        if r.returncode == 1:
            c.check(any(w in r.stderr for w in ("No space left", "KiB free", "disk full")),
                    f"{label}: unclear error: {r.stderr[:300]}")
            c.check(results(helpmark, index, queries) == before, f"{label}: the previous index changed")
            print(f"  {label}: exit 1 ({r.stderr.strip().splitlines()[0][:120]}); previous index intact", flush=True)
        else:
            print(f"  {label}: enough room, indexed", flush=True)
            break
        # Events on a completely full disk: a clear error, or stored.
        with open(os.path.join(mnt, "filler2"), "wb") as f:
            try:
                while True:
                    f.write(b"\0" * 65536)
            except OSError:
                pass
        r = run(helpmark, "track", "search", "refund again", "--session", "s2", "--store", store)
        c.check(r.returncode in (0, 1), f"track on a full disk: exit {r.returncode}: {r.stderr[:300]}")
        if r.returncode == 1:
            c.check("full" in r.stderr or "space" in r.stderr or "I/O" in r.stderr, f"track on a full disk: unclear: {r.stderr[:300]}")
            print(f"  track on a full disk: exit 1 ({r.stderr.strip()[:140]})", flush=True)
        os.remove(os.path.join(mnt, "filler2"))
        # With room again, the events stored before are all there.
        e = run(helpmark, "track", "export", "--store", store)
        c.check(e.returncode == 0 and "refund" in e.stdout, f"events unreadable after a full disk: {e.stderr[:300]}")
    if os.path.exists(os.path.join(mnt, "filler")):
        os.remove(os.path.join(mnt, "filler"))

    # Read-only: the index directory and the store, for an unprivileged user.
    shutil.rmtree(index)
    r = run(helpmark, "index", articles, "--taxonomy", taxonomy, "--index", index, "-q")
    before = results(helpmark, index, queries)
    subprocess.run(["chown", "-R", "65534:65534", mnt], check=True)
    os.chmod(index, 0o555)
    os.chmod(store, 0o444)
    os.chmod(mnt, 0o555)
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    r = subprocess.run(nobody + [helpmark, "index", more, "--taxonomy", taxonomy, "--index", index, "-q"],
                       capture_output=True, text=True)
    c.check(r.returncode == 1, f"read-only index: exit {r.returncode}: {r.stderr[:300]}")
    c.check("index" in r.stderr and ("ermission" in r.stderr or "read-only" in r.stderr or "cannot" in r.stderr),
            f"read-only index: unclear error: {r.stderr[:300]}")
    c.check(results(helpmark, index, queries) == before, "read-only index: results changed")
    r = subprocess.run(nobody + [helpmark, "track", "search", "refund", "--session", "s3", "--store", store],
                       capture_output=True, text=True)
    c.check(r.returncode == 1, f"read-only store: exit {r.returncode}: {r.stderr[:300]}")
    print(f"  read-only index: {r.stderr.strip()[:160]}", flush=True)
finally:
    subprocess.run(["umount", mnt])
c.finish("full disk and read-only directories give clear errors; nothing half-written")
