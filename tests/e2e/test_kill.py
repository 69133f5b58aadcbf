#!/usr/bin/env python3
"""Interrupted builds: kill `coursepack build` at many points and check out/.

Builds two municipalities of the bundled data into a temporary out/ once and
times a forced rebuild; every pack of that build is checked (every file its
manifest.json lists present with the listed sha256, every PDF passing
`qpdf --check`). Then, for each kill point t spread over that duration,
starts `coursepack build --force --jobs 2`, sends SIGKILL (even points) or
SIGINT (odd points) after t ms, and checks that every pack in out/ is
still complete: the same packs, and every pack file byte-identical to the
checked build's (the inputs are the same, so old and new packs are). Then a normal build must succeed and leave no `.tmp-*` or
`.old-*` folders. Also checks the out/ lock: a build on an out/ whose lock
another process holds exits 3 with the "lock held" message and changes
nothing, a running build is seen holding it, and a lock left by a killed
build does not block the next one.

Usage: test_kill.py COURSEPACK ROOT [KILL_POINTS]
"""
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import Checks, output_file  # noqa: E402

BIN, ROOT = sys.argv[1], sys.argv[2]
POINTS = int(sys.argv[3]) if len(sys.argv) > 3 else 50
ONLY = ["aneby", "habo"]  # two small municipalities keep each build short
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1680000000")

checks = Checks()
result = checks.check


def run_build(out, force=False, slugs=ONLY):
    # --only takes one SLUG[/VISIT]; build each municipality in turn.
    rcs = []
    for slug in slugs:
        args = [BIN, "build", "--root", ROOT, "--out", out, "--only", slug, "--jobs", "2"]
        if force:
            args.append("--force")
        p = subprocess.run(args, env=ENV, capture_output=True, text=True)
        rcs.append((p.returncode, p.stderr))
    return rcs


def packs(out):
    found = []
    for slug in sorted(os.listdir(out)):
        d = os.path.join(out, slug)
        if slug.startswith(".") or not os.path.isdir(d):
            continue
        for visit in sorted(os.listdir(d)):
            if os.path.isdir(os.path.join(d, visit)) and not visit.startswith("."):
                found.append(f"{slug}/{visit}")
    return found


def leftovers(out):
    bad = []
    for dirpath, dirnames, _ in os.walk(out):
        for n in dirnames:
            if n.startswith(".tmp-") or n.startswith(".old-"):
                bad.append(os.path.join(dirpath, n))
    return bad


def pack_files(out):
    """Every file of every pack, with its sha256."""
    def in_pack(k):
        parts = k.split("/")
        return len(parts) >= 3 and not parts[0].startswith(".") and not parts[1].startswith(".")
    return {k: v for k, v in snapshot_hashes(out).items() if in_pack(k)}


def snapshot_hashes(out):
    """Every file under out/ but the lock, with its sha256."""
    found = {}
    for dirpath, _, filenames in os.walk(out):
        for n in filenames:
            path = os.path.join(dirpath, n)
            if n != ".lock":
                with open(path, "rb") as f:
                    found[os.path.relpath(path, out)] = hashlib.sha256(f.read()).hexdigest()
    return found


def check_pack(out, pack):
    """Problems with one pack, as a list of strings (empty when complete)."""
    d = os.path.join(out, pack)
    problems = []
    try:
        with open(os.path.join(d, "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError) as e:
        return [f"{pack}: manifest.json unreadable: {e}"]
    outputs = manifest.get("outputs", [])
    if not outputs:
        problems.append(f"{pack}: manifest lists no outputs")
    for entry in outputs:
        entry = dict(entry, file=output_file(d, entry) or f"certificate {entry.get('certificate')}")
        path = os.path.join(d, entry["file"])
        try:
            with open(path, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()
        except OSError as e:
            problems.append(f"{pack}/{entry['file']}: {e}")
            continue
        if digest != entry["sha256"]:
            problems.append(f"{pack}/{entry['file']}: sha256 differs from the manifest")
        if path.endswith(".pdf"):
            q = subprocess.run(["qpdf", "--check", path], capture_output=True, text=True)
            if q.returncode != 0:
                problems.append(f"{pack}/{entry['file']}: qpdf --check: {q.stdout.strip()[-200:]}")
    return problems


def main():
    tmp = tempfile.mkdtemp(prefix="coursepack-kill-")
    out = os.path.join(tmp, "out")
    try:
        # One complete build to start from.
        for rc, err in run_build(out, force=True):
            if rc != 0:
                print("initial build failed:", err)
                print("0 passed, 1 failed")
                return 1
        before = packs(out)
        result(len(before) >= 2, f"initial build made packs: {before}")
        for pack in before:
            problems = check_pack(out, pack)
            result(not problems, f"initial build: pack {pack} complete: {'; '.join(problems)}")
        files_then = pack_files(out)

        # The duration of one forced build of the same packs (the one we kill).
        args = [BIN, "build", "--root", ROOT, "--out", out, "--only", ONLY[0], "--jobs", "2", "--force"]
        t0 = time.monotonic()
        timed = subprocess.run(args, env=ENV, capture_output=True, text=True)
        duration = time.monotonic() - t0
        result(timed.returncode == 0, f"the timed forced build succeeded (exit {timed.returncode}): {timed.stderr[-300:]}")
        print(f"a forced build of {ONLY[0]} takes {duration * 1000:.0f} ms", flush=True)

        # The lock. A build refuses an out/ whose lock another process holds:
        # exit 3 with the "lock held" message, nothing written.
        lock_path = os.path.join(out, ".lock")
        result(os.path.isfile(lock_path), f"the build left its lock file {lock_path}")
        before_locked = snapshot_hashes(out)
        with open(lock_path, "a") as held:
            fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
            second = subprocess.run(args, env=ENV, capture_output=True, text=True)
            fcntl.flock(held, fcntl.LOCK_UN)
        result(second.returncode == 3 and "lock held" in second.stderr,
               f"a build on a locked out/: exit {second.returncode}, stderr {second.stderr!r}")
        result(snapshot_hashes(out) == before_locked, "a build on a locked out/ changed nothing")
        # And a build holds the lock while it runs: watched from outside.
        first = subprocess.Popen(args, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seen_held = False
        with open(lock_path, "a") as probe:
            while first.poll() is None and not seen_held:
                try:
                    fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    fcntl.flock(probe, fcntl.LOCK_UN)
                except BlockingIOError:
                    seen_held = True
                time.sleep(0.001)
        first_rc = first.wait()
        result(first_rc == 0, f"the watched build succeeded (exit {first_rc})")
        result(seen_held, "the lock was held while a build ran")

        # Kill points spread over the build, a little past its end too.
        for i in range(POINTS):
            t = duration * 1.1 * i / max(1, POINTS - 1)
            sig = signal.SIGKILL if i % 2 == 0 else signal.SIGINT
            slug = ONLY[i % len(ONLY)]
            kill_args = [BIN, "build", "--root", ROOT, "--out", out, "--only", slug, "--jobs", "2", "--force"]
            p = subprocess.Popen(kill_args, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            time.sleep(t)
            if p.poll() is None:
                p.send_signal(sig)
            rc = p.wait()
            label = f"kill point {i} ({t * 1000:.0f} ms, {signal.Signals(sig).name}, exit {rc})"
            problems = []
            now = packs(out)
            if now != before:
                problems.append(f"packs changed: {before} -> {now}")
            # Same inputs and SOURCE_DATE_EPOCH: the old pack and a new one
            # are byte-identical, so every pack file must hash as it did
            # after the first build, whichever of the two is in place (and
            # the first build's files passed the manifest and qpdf checks).
            files_now = pack_files(out)
            changed = sorted(k for k in set(files_then) | set(files_now) if files_then.get(k) != files_now.get(k))
            if changed:
                problems.append(f"pack files differ from the complete build: {changed[:5]}")
            # A normal build after the interruption.
            for brc, err in run_build(out, slugs=[slug]):
                if brc != 0:
                    problems.append(f"the next build failed (exit {brc}): {err.strip()[-300:]}")
            left = leftovers(out)
            if left:
                problems.append(f"leftovers after the next build: {left}")
            result(not problems, f"{label}: " + "; ".join(problems))
        return checks.finish()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
