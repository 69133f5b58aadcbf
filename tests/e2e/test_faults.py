#!/usr/bin/env python3
"""Faults: coursepack touches only what it made, notices damage, and fails
fast and honestly.

    test_faults.py COURSEPACK_BINARY REPO_ROOT

On a copy of the bundled data:

  ownership   an --out holding someone else's files (a web app with
              webapp/public/manifest.json, .tmp-notes/, index.html) is
              refused (exit 3) and left byte for byte as it was; a claimed
              out/ keeps foreign files, a foreign .tmp-* folder and a
              manifest.json that is not coursepack's; removing a vanished
              visit's pack removes only the files its manifest lists
  symlinks    a municipality folder under out/ that is a symbolic link is
              never written through, and a journal entry reached through it
              is not removed
  damage      a pack file truncated to 0 bytes is noticed by a no-op build
              (size), said so and rebuilt; `list` says stale first; a
              zero-filled file of the right size is found by `check --out`
              (exit 3) and repaired by `build --verify`
  durability  syncfs, fsync and rename failures injected with
              `strace -f -e inject=…` exit 3 and leave every pack whole,
              the old packs in place for syncfs and rename
  disk full   a build on a small tmpfs that fills up exits 3 with the old
              packs intact and no leftovers (skipped, with the reason, when
              mount is refused)
  commands    --root '' and --only '' (exit 2), a deleted working folder and
              /dev/full as stdout (exit 3, one line), SOURCE_DATE_EPOCH
              garbage (exit 2) and 0 (dates 1970-01-01), COURSEPACK_PANDOC_TIMEOUT
              garbage (exit 2), report while the
              out/ lock is held (exit 3), ulimit -f (EFBIG reported, exit 3)
  pandoc      fake Pandocs (scripts): one that hangs, one that exits 1, one
              that leaves a grandchild holding its stdout; Ctrl-C and SIGTERM
              during a hung run: one environment error (exit 3) after one
              run's timeout (3 s, COURSEPACK_PANDOC_TIMEOUT), and no process
              left behind

Prints `N passed, N failed` last; exits non-zero on any failure.
"""
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import Checks, output_file  # noqa: E402

BIN, REPO = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
checks = Checks()
check = checks.check
SDE = "1680000000"
PACK = "eksjo/2023-03-14-grundutbildning"


def env(**extra):
    e = dict(os.environ, SOURCE_DATE_EPOCH=SDE)
    for k in ("COURSEPACK_FAIL_AFTER_FILES", "COURSEPACK_TIMINGS", "COURSEPACK_PANDOC", "COURSEPACK_PANDOC_TIMEOUT"):
        e.pop(k, None)
    e.update(extra)
    return e


def run(*args, prefix=(), **extra):
    return subprocess.run([*prefix, BIN, *args], capture_output=True, text=True, env=env(**extra))


def build(root, out, *args, prefix=()):
    return run("build", "--root", root, "--out", out, *args, prefix=prefix)


def summary(r):
    m = re.search(r"^(\d+) built, (\d+) unchanged, (\d+) removed, (\d+) pages, [\d.]+ s, \d+ warning\(s\)$", r.stdout, re.M)
    return tuple(int(g) for g in m.groups()[:3]) if m else None


def tree(top):
    """{relative path: (kind, mode, content hash or link target)} of everything under top, links not followed."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(top):
        for name in dirnames + filenames:
            p = os.path.join(dirpath, name)
            st = os.lstat(p)
            rel = os.path.relpath(p, top)
            if stat.S_ISLNK(st.st_mode):
                found[rel] = ("link", 0, os.readlink(p))
            elif stat.S_ISDIR(st.st_mode):
                found[rel] = ("dir", stat.S_IMODE(st.st_mode), "")
            else:
                with open(p, "rb") as f:
                    found[rel] = ("file", stat.S_IMODE(st.st_mode), hashlib.sha256(f.read()).hexdigest())
    st = os.lstat(top)
    found["."] = ("dir", stat.S_IMODE(st.st_mode), "")
    return found


def packs_tree(out):
    """tree() of the pack folders only (no cache, lock, journal, index)."""
    return {k: v for k, v in tree(out).items() if not k.startswith(".") and "/" in k}


def pack_problems(out):
    """Every pack file whose SHA-256 differs from its manifest."""
    problems = []
    for slug in sorted(os.listdir(out)):
        d = os.path.join(out, slug)
        if slug.startswith(".") or not os.path.isdir(d):
            continue
        for visit in sorted(os.listdir(d)):
            m = os.path.join(d, visit, "manifest.json")
            if visit.startswith(".") or not os.path.isfile(m):
                continue
            manifest = json.load(open(m, encoding="utf-8"))
            for o in manifest["outputs"]:
                name = output_file(os.path.join(d, visit), o) or f"certificate {o.get('certificate')}"
                p = os.path.join(d, visit, name)
                if not os.path.isfile(p) or hashlib.sha256(open(p, "rb").read()).hexdigest() != o["sha256"]:
                    problems.append(f"{slug}/{visit}/{name}")
    return problems


def leftovers(out):
    return [os.path.join(dp, n) for dp, dns, fns in os.walk(out) for n in dns + fns if n.startswith(".tmp-")]


def check_ownership(root, tmp):
    # A folder holding a web app: refused, untouched.
    web = os.path.join(tmp, "site")
    os.makedirs(os.path.join(web, "webapp", "public"))
    os.makedirs(os.path.join(web, ".tmp-notes"))
    with open(os.path.join(web, "webapp", "public", "manifest.json"), "w") as f:
        f.write('{"name": "web app"}\n')
    with open(os.path.join(web, ".tmp-notes", "todo.txt"), "w") as f:
        f.write("notes\n")
    with open(os.path.join(web, "index.html"), "w") as f:
        f.write("<p>the site</p>\n")
    os.chmod(web, 0o755)
    before = tree(web)
    r = build(root, web)
    check(r.returncode == 3, f"a non-empty folder without the marker is refused with exit 3 (got {r.returncode})")
    check(f"coursepack: error: {web} is not empty and was not made by coursepack" in r.stderr,
          f"the refusal says why: {r.stderr.strip()[:300]}")
    check(tree(web) == before, "the refused folder is byte for byte as it was (files, modes, no .lock)")
    r = run("report", "--root", root, "--out", web)
    check(r.returncode == 3 and tree(web) == before, f"report refuses it too (got {r.returncode})")

    # An empty folder is claimed without a chmod.
    empty = os.path.join(tmp, "empty")
    os.makedirs(empty)
    os.chmod(empty, 0o750)
    r = build(root, empty, "--only", "eksjo")
    check(r.returncode == 0, f"an empty folder is accepted (got {r.returncode}): {r.stderr[-500:]}")
    check(stat.S_IMODE(os.stat(empty).st_mode) == 0o750, "a folder coursepack did not create keeps its mode")
    check(open(os.path.join(empty, ".coursepack-out")).readline() == "coursepack output folder\n",
          "the marker names the tool")

    # A folder coursepack creates is private and marked.
    out = os.path.join(tmp, "out")
    r = build(root, out)
    if not check(r.returncode == 0, f"cold build exits 0 (got {r.returncode}): {r.stderr[-1000:]}"):
        raise SystemExit(checks.finish())
    check(stat.S_IMODE(os.stat(out).st_mode) == 0o700, "an out/ coursepack created is 0700")

    # Caches are private like the packs, whatever the umask.
    private_out = os.path.join(tmp, "out-umask")
    subprocess.run([BIN, "build", "--root", root, "--out", private_out, "--only", "eksjo"], env=env(),
                   capture_output=True, preexec_fn=lambda: os.umask(0))
    modes = {k: v for k, v in tree(private_out).items() if k.startswith(".cache")}
    check(modes and all(v[1] == (0o700 if v[0] == "dir" else 0o600) for v in modes.values()),
          f"out/.cache: folders 0700, files 0600 under umask 000: "
          f"{sorted((k, oct(v[1])) for k, v in modes.items() if v[1] not in (0o700, 0o600))[:5]}")

    # Foreign things inside a claimed out/ are left alone.
    os.makedirs(os.path.join(out, "webapp", "public"))
    with open(os.path.join(out, "webapp", "public", "manifest.json"), "w") as f:
        f.write('{"tool": "not coursepack"}\n')
    os.makedirs(os.path.join(out, ".tmp-notes"))
    with open(os.path.join(out, ".tmp-notes", "todo.txt"), "w") as f:
        f.write("notes\n")
    with open(os.path.join(out, "eksjo", ".tmp-mine"), "w") as f:
        f.write("mine\n")
    # A pack folder coursepack did not write, for a visit not in the data.
    fake = os.path.join(out, "eksjo", "2020-01-01-grundutbildning")
    os.makedirs(fake)
    with open(os.path.join(fake, "manifest.json"), "w") as f:
        json.dump({"tool": "someone else", "municipality": "eksjo", "visit": "2020-01-01-grundutbildning",
                   "outputs": [{"file": "keep.txt"}]}, f)
    with open(os.path.join(fake, "keep.txt"), "w") as f:
        f.write("keep\n")
    foreign = {k: v for k, v in tree(out).items()
               if k.startswith(("webapp", ".tmp-notes", "eksjo/.tmp-mine", "eksjo/2020-01-01"))}
    # A stale pack of coursepack's, with a file of the user's inside.
    stale = os.path.join(out, "eksjo", "2019-01-01-grundutbildning")
    shutil.copytree(os.path.join(out, PACK), stale)
    mpath = os.path.join(stale, "manifest.json")
    manifest = json.load(open(mpath))
    manifest["visit"] = "2019-01-01-grundutbildning"
    manifest["status"] = "planned"  # a held visit's pack would be kept
    json.dump(manifest, open(mpath, "w"))
    with open(os.path.join(stale, "my-notes.txt"), "w") as f:
        f.write("my notes\n")
    r = build(root, out, "--force")
    check(r.returncode == 0, f"a build beside foreign files exits 0 (got {r.returncode}): {r.stderr[-500:]}")
    after = tree(out)
    check(all(after.get(k) == v for k, v in foreign.items()),
          "web app, .tmp-notes/, eksjo/.tmp-mine and a foreign manifest's folder are untouched")
    check("removed eksjo/2019-01-01-grundutbildning's files" in r.stdout and
          sorted(os.listdir(stale)) == ["my-notes.txt"],
          f"a vanished visit's pack loses only its listed files: {sorted(os.listdir(stale))} / {r.stdout[-300:]}")
    shutil.rmtree(stale)


def check_symlinks(root, tmp):
    out = os.path.join(tmp, "out-links")
    r = build(root, out)
    check(r.returncode == 0, f"cold build exits 0 (got {r.returncode})")
    elsewhere = os.path.join(tmp, "elsewhere")
    os.makedirs(os.path.join(elsewhere, ".tmp-precious"))
    with open(os.path.join(elsewhere, ".tmp-precious", "data"), "w") as f:
        f.write("precious\n")
    # A copy of the pack, so a removal pass through the link would find one.
    shutil.copytree(os.path.join(out, PACK), os.path.join(elsewhere, "2023-03-14-grundutbildning"))
    shutil.copytree(os.path.join(out, PACK), os.path.join(elsewhere, "2019-01-01-grundutbildning"))
    m = os.path.join(elsewhere, "2019-01-01-grundutbildning", "manifest.json")
    manifest = json.load(open(m))
    manifest["visit"] = "2019-01-01-grundutbildning"
    json.dump(manifest, open(m, "w"))
    shutil.rmtree(os.path.join(out, "eksjo"))
    os.symlink(elsewhere, os.path.join(out, "eksjo"))
    with open(os.path.join(out, ".coursepack-temp"), "a") as f:
        f.write("eksjo/.tmp-precious\n")
    before = tree(elsewhere)
    r = build(root, out, "--force")
    check(r.returncode == 3, f"a symlinked municipality folder fails its packs with exit 3 (got {r.returncode})")
    check("is not a folder (a symbolic link or a file)" in r.stderr, f"and says why: {r.stderr[-400:]}")
    check(tree(elsewhere) == before, "nothing behind the link was written, removed or cleaned up")
    check(not pack_problems(out), "every other pack is whole")


def check_damage(root, tmp):
    out = os.path.join(tmp, "out-damage")
    r = build(root, out)
    check(r.returncode == 0, f"cold build exits 0 (got {r.returncode})")
    handout = os.path.join(out, PACK, "handout.pdf")
    good = open(handout, "rb").read()
    open(handout, "wb").close()
    r = run("list", "--root", root, "--out", out)
    line = [l for l in r.stdout.splitlines() if "Eksjö" in l and "2023-03-14" in l]
    check(line and line[0].endswith("stale"), f"list says stale for a truncated file: {line}")
    r = build(root, out)
    check(r.returncode == 0 and summary(r) == (1, 25, 0), f"a no-op build rebuilds the damaged pack: {r.stdout[-300:]}")
    check(f"rebuilding {PACK}: handout.pdf has 0 bytes, the manifest says {len(good)}" in r.stdout,
          f"and says so: {r.stdout[:300]}")
    check(open(handout, "rb").read() == good, "the handout is repaired")

    cert_dir = os.path.join(out, PACK, "certificates")
    cert = os.path.join(cert_dir, sorted(os.listdir(cert_dir))[0])
    size = os.path.getsize(cert)
    with open(cert, "r+b") as f:
        f.write(b"\0" * size)
    r = build(root, out)
    check(summary(r) == (0, 26, 0), f"a zero-filled file of the right size passes the cheap check: {r.stdout[-200:]}")
    r = run("check", "--root", root, "--out", out)
    check(r.returncode == 3, f"check --out finds it (exit 3, got {r.returncode})")
    check(f"damaged: certificates/" in r.stderr and "differs from the manifest (SHA-256)" in r.stderr,
          f"naming the file: {r.stderr[-300:]}")
    r = build(root, out, "--verify")
    check(r.returncode == 0 and summary(r) == (1, 25, 0), f"build --verify rebuilds it: {r.stdout[-300:]}")
    check(not pack_problems(out), "every pack matches its manifest again")
    r = run("check", "--root", root, "--out", out)
    check(r.returncode == 0 and "26 pack(s) intact, 0 damaged" in r.stdout, f"check --out is clean: {r.stdout[-200:]}")


def check_durability(root, tmp):
    if not shutil.which("strace"):
        check(False, "strace (Debian package strace) is needed for the injected I/O errors")
        return
    out = os.path.join(tmp, "out-sync")
    r = build(root, out)
    check(r.returncode == 0, f"cold build exits 0 (got {r.returncode})")
    before = packs_tree(out)
    for syscall, keeps_old in (("syncfs", True), ("renameat2", True), ("fsync", False)):
        strace = ["strace", "-f", "-qq", "-o", "/dev/null", "-e", f"inject={syscall}:error=EIO"]
        r = build(root, out, "--force", prefix=strace)
        check(r.returncode == 3, f"an injected {syscall} EIO exits 3 (got {r.returncode}): {r.stderr[-300:]}")
        check("Input/output error" in r.stderr, f"{syscall}: the error is reported: {r.stderr[-300:]}")
        if keeps_old:
            check(packs_tree(out) == before, f"{syscall}: every old pack is in place, unchanged")
        check(not pack_problems(out), f"{syscall}: every pack matches its manifest")
        r = build(root, out)
        check(r.returncode == 0 and not leftovers(out), f"{syscall}: the next build cleans up: {leftovers(out)}")
        before = packs_tree(out)


def check_disk_full(root, tmp):
    mnt = os.path.join(tmp, "small")
    os.makedirs(mnt)
    m = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48m,mode=0700", "tmpfs", mnt],
                       capture_output=True, text=True)
    if m.returncode != 0:
        print(f"SKIP disk full: mount of a tmpfs refused ({m.stderr.strip()})", flush=True)
        return
    try:
        out = os.path.join(mnt, "out")
        r = build(root, out)
        check(r.returncode == 0, f"cold build on the tmpfs exits 0 (got {r.returncode}): {r.stderr[-300:]}")
        before = packs_tree(out)
        free = os.statvfs(mnt)
        with open(os.path.join(mnt, "filler"), "wb") as f:
            try:
                f.write(b"\0" * (free.f_bavail * free.f_frsize - 2 * 1024 * 1024))
            except OSError:
                pass
        r = build(root, out, "--force")
        check(r.returncode == 3, f"a full disk exits 3 (got {r.returncode}): {r.stderr[-300:]}")
        check("No space left on device" in r.stderr, f"and says so: {r.stderr[-300:]}")
        check(packs_tree(out) == before, "the old packs are intact")
        check(not leftovers(out), f"no temporary folder is left: {leftovers(out)}")
    finally:
        subprocess.run(["umount", mnt])


def fake_pandoc(tmp, name, body):
    """A script standing in for Pandoc: `--version` is the real one's, the rest is `body` (sh)."""
    real = shutil.which("pandoc") or "pandoc"
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(f'#!/bin/sh\nif [ "$1" = "--version" ]; then exec "{real}" "$@"; fi\n'
                f'echo "$$" >> "{path}.pids"\n{body}\n')
    os.chmod(path, 0o755)
    return path


def pids_of(fake):
    """Every pid the fake and its children wrote down."""
    pids = []
    for suffix in (".pids", ".grandchildren"):
        if os.path.exists(fake + suffix):
            pids += [int(p) for p in open(fake + suffix).read().split()]
    return pids


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


def errors(stderr):
    return [l for l in stderr.splitlines() if "error:" in l]


def check_pandoc_faults(root, tmp):
    real = shutil.which("pandoc") or "pandoc"
    # Hangs, with a grandchild of its own: one environment error, after one run's timeout
    # (COURSEPACK_PANDOC_TIMEOUT instead of the default 30 s, which the unit tests check).
    hang = fake_pandoc(tmp, "pandoc-hangs", f'sleep 1000 & echo $! >> "{tmp}/pandoc-hangs.grandchildren"\nwait')
    t0 = time.monotonic()
    r = run("build", "--root", root, "--out", os.path.join(tmp, "out-hang"), COURSEPACK_PANDOC=hang,
            COURSEPACK_PANDOC_TIMEOUT="3")
    took = time.monotonic() - t0
    print(f"measured: a hanging Pandoc ends the build after {took:.1f} s with a 3 s timeout "
          f"({len(open(hang + '.pids').read().split())} start(s))", flush=True)
    check(r.returncode == 3, f"a hanging Pandoc is an environment error, exit 3 (got {r.returncode})")
    check(took >= 3, f"not before the timeout ({took:.1f} s)")
    check(len(errors(r.stderr)) == 1 and "did not finish within 3 s and was killed with its process group" in r.stderr,
          f"said once, blaming Pandoc, not the texts: {r.stderr[-600:]}")
    check(len(open(hang + ".pids").read().split()) <= 3, "Pandoc is not started again for every text")
    check(not any(alive(p) for p in pids_of(hang)), "neither the hung Pandoc nor its grandchild is left running")

    # Fails on its own account (exit 1): one environment error.
    fails = fake_pandoc(tmp, "pandoc-fails", 'echo "pandoc: out of memory" >&2\nexit 1')
    r = run("build", "--root", root, "--out", os.path.join(tmp, "out-fails"), COURSEPACK_PANDOC=fails)
    check(r.returncode == 3, f"a Pandoc exiting 1 is an environment error, exit 3 (got {r.returncode})")
    check(len(errors(r.stderr)) == 1 and "failed (exit status 1): pandoc: out of memory" in r.stderr,
          f"said once: {r.stderr[-600:]}")

    # Leaves a grandchild holding its stdout: the build goes on without waiting for it.
    holds = fake_pandoc(tmp, "pandoc-holds",
                        f'sleep 1000 & echo $! >> "{tmp}/pandoc-holds.grandchildren"\n"{real}" "$@"')
    t0 = time.monotonic()
    r = run("build", "--root", root, "--out", os.path.join(tmp, "out-holds"), COURSEPACK_PANDOC=holds)
    took = time.monotonic() - t0
    print(f"measured: a build whose Pandoc leaves a grandchild on its stdout takes {took:.1f} s", flush=True)
    check(r.returncode == 0, f"a grandchild holding Pandoc's stdout does not fail the build (got {r.returncode}): "
                             f"{r.stderr[-400:]}")
    check(not any(alive(p) for p in pids_of(holds)), "every grandchild is killed with its group")

    # Ctrl-C and SIGTERM while Pandoc hangs: nothing is left behind.
    for sig in (signal.SIGINT, signal.SIGTERM):
        slow = fake_pandoc(tmp, f"pandoc-slow-{sig.name}",
                           f'sleep 1000 & echo $! >> "{tmp}/pandoc-slow-{sig.name}.grandchildren"\nwait')
        p = subprocess.Popen([BIN, "build", "--root", root, "--out", os.path.join(tmp, f"out-{sig.name}")],
                             env=env(COURSEPACK_PANDOC=slow), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not os.path.exists(slow + ".grandchildren") and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        p.send_signal(sig)
        rc = p.wait(timeout=60)
        check(rc == -sig, f"{sig.name} ends the build by that signal (got {rc})")
        time.sleep(0.2)
        check(pids_of(slow) and not any(alive(q) for q in pids_of(slow)),
              f"{sig.name}: no Pandoc or grandchild outlives the build: {[q for q in pids_of(slow) if alive(q)]}")


def check_command_line(root, tmp):
    r = run("build", "--root", "")
    check(r.returncode == 2 and "option --root needs a value, not an empty string" in r.stderr,
          f"--root '' is a usage error (got {r.returncode}): {r.stderr[-200:]}")
    out = os.path.join(tmp, "out-cli")
    r = build(root, out, "--only", "")
    check(r.returncode == 2 and not os.path.exists(out), f"--only '' is a usage error and writes nothing ({r.returncode})")
    gone = os.path.join(tmp, "gone")
    os.makedirs(gone)
    r = subprocess.run(f'cd "{gone}" && rmdir "{gone}" && exec "{BIN}" build', shell=True, capture_output=True,
                       text=True, env=env())
    check(r.returncode == 3 and "coursepack: error: cannot resolve '.'" in r.stderr and "terminate" not in r.stderr,
          f"a deleted working folder is one error, exit 3 (got {r.returncode}): {r.stderr[-200:]}")
    with open("/dev/full", "w") as full:
        r = subprocess.run([BIN, "check", "--root", root], stdout=full, stderr=subprocess.PIPE, text=True, env=env())
    check(r.returncode == 3 and "cannot write to standard output: No space left on device" in r.stderr,
          f"/dev/full as stdout is reported (got {r.returncode}): {r.stderr[-200:]}")
    r = run("check", "--root", root, SOURCE_DATE_EPOCH="yesterday")
    check(r.returncode == 2 and "SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01" in r.stderr,
          f"a garbage SOURCE_DATE_EPOCH is refused, exit 2 (got {r.returncode})")
    for bad in ("soon", "0", "-5", "3601", " 3"):
        r = run("check", "--root", root, COURSEPACK_PANDOC_TIMEOUT=bad)
        check(r.returncode == 2 and r.stderr == "coursepack: COURSEPACK_PANDOC_TIMEOUT must be whole seconds from 1 "
                                               f"to 3600, not '{bad}'\n",
              f"COURSEPACK_PANDOC_TIMEOUT={bad!r} is refused, exit 2 (got {r.returncode}): {r.stderr[-200:]}")
    r = build(root, out, "--only", "eksjo/2023-03-14-grundutbildning")
    check(r.returncode == 0, f"a one-pack build exits 0 (got {r.returncode}): {r.stderr[-300:]}")
    r = run("build", "--root", root, "--out", out, "--only", "eksjo/2023-03-14-grundutbildning", "--force",
            SOURCE_DATE_EPOCH="0")
    info = subprocess.run(["pdfinfo", "-isodates", os.path.join(out, PACK, "brief.pdf")], capture_output=True, text=True)
    check(r.returncode == 0 and re.search(r"^CreationDate: +1970-01-01T00:00:00Z$", info.stdout, re.M),
          f"SOURCE_DATE_EPOCH=0 dates the PDFs 1970-01-01: {info.stdout[-300:]}")

    # report takes the build's lock.
    import fcntl
    with open(os.path.join(out, ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        r = run("report", "--root", root, "--out", out)
        check(r.returncode == 3 and "(lock held)" in r.stderr and not os.path.exists(os.path.join(out, "report.pdf")),
              f"report waits for no one and writes nothing while a build holds the lock (got {r.returncode})")

    # A file-size limit: the write fails with EFBIG, reported; no SIGXFSZ death.
    import resource
    big = os.path.join(tmp, "out-fsize")
    r = subprocess.run([BIN, "build", "--root", root, "--out", big], capture_output=True, text=True, env=env(),
                       preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024)))
    check(r.returncode == 3 and "File too large" in r.stderr,
          f"ulimit -f: exit 3 with the write error, not SIGXFSZ (got {r.returncode}): {r.stderr[-300:]}")


def main():
    with tempfile.TemporaryDirectory(prefix="coursepack-faults-") as tmp:
        root = os.path.join(tmp, "root")
        os.makedirs(root)
        for d in ("materials", "layouts"):
            shutil.copytree(os.path.join(REPO, d), os.path.join(root, d))
        check_ownership(root, tmp)
        check_symlinks(root, tmp)
        check_damage(root, tmp)
        check_durability(root, tmp)
        check_disk_full(root, tmp)
        check_pandoc_faults(root, tmp)
        check_command_line(root, tmp)
    sys.exit(checks.finish())


if __name__ == "__main__":
    main()
