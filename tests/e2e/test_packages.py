#!/usr/bin/env python3
"""Every file the tool and the tests use comes from a package the Makefile installs.

A machine with extra packages hides a missing install step: the suite passes
there and `make packs` fails on a new machine. This test makes that visible
wherever it runs. It asks dpkg which package owns each file and fails, naming
the file and the package to add, when that package is in neither of the
Makefile's lists (PACKAGES, TEST_PACKAGES).

What it checks:
  1. every row of tests/support/requirements.tsv (the programs, fonts, files
     and locales the tests require): the thing is there, it belongs to the
     package the row names (or to one that package depends on), and that
     package is in the Makefile's lists (or is Essential in Debian);
  2. the bundled build and the font-using unit tests, run under strace: every
     font, hyphenation or colour file they open belongs to a listed package
     itself, and every program they start and every other file they open
     under /usr/share belongs to a listed package or to one of their
     dependencies (Essential packages count as installed everywhere);
  3. nothing they start or open comes from /usr/local or /opt.

Usage: test_packages.py COURSEPACK ROOT [UNIT_TEST_EXECUTABLE ...]
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import Checks, requirements  # noqa: E402

BIN, ROOT = sys.argv[1], sys.argv[2]
UNIT_TESTS = sys.argv[3:]
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1680000000")

checks = Checks()
check = checks.check

# Files a package must provide itself: a font that happens to come with
# something else (a Recommends, a browser) is exactly what a new machine lacks.
DIRECT = ("/usr/share/fonts/", "/usr/share/hyphen/", "/usr/share/color/")
FOREIGN = ("/usr/local/", "/opt/")


def listed_packages():
    r = subprocess.run(["make", "-s", "-C", ROOT, "print-packages"], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"make print-packages failed: {r.stderr}")
    return set(r.stdout.split())


def installed():
    """name → (dependencies, essential), and virtual name → providers."""
    fmt = "${Package}\\t${Status}\\t${Essential}\\t${Pre-Depends}, ${Depends}\\t${Provides}\\n"
    r = subprocess.run(["dpkg-query", "-W", "-f", fmt], capture_output=True, text=True, check=True)
    packages, provides = {}, {}
    for line in r.stdout.splitlines():
        name, status, essential, depends, provided = (line.split("\t") + [""] * 5)[:5]
        if not status.endswith(" installed"):
            continue
        deps = set()
        for clause in depends.split(","):
            for alternative in clause.split("|"):
                word = alternative.strip().split(" ")[0].split(":")[0]
                if word:
                    deps.add(word)
        packages[name] = (deps, essential == "yes")
        for p in provided.split(","):
            word = p.strip().split(" ")[0]
            if word:
                provides.setdefault(word, set()).add(name)
    return packages, provides


PACKAGES, PROVIDES = installed()


def closure(roots):
    """The installed packages reached from `roots` through Depends and Pre-Depends."""
    seen, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        for real in [name] + sorted(PROVIDES.get(name, ())):
            if real in seen or real not in PACKAGES:
                continue
            seen.add(real)
            todo.extend(PACKAGES[real][0])
    return seen


ESSENTIAL = closure(n for n, (_, essential) in PACKAGES.items() if essential)


def owners(paths):
    """path → owning package (None when dpkg knows no owner)."""
    found = {p: None for p in paths}
    for start in range(0, len(paths), 200):
        chunk = paths[start:start + 200]
        r = subprocess.run(["dpkg", "-S"] + chunk, capture_output=True, text=True)
        for line in r.stdout.splitlines():
            if line.startswith("diversion "):
                continue
            m = re.match(r"^([^:]+(?::[a-z0-9]+)?(?:, [^:]+)*): (/.*)$", line)
            if m and m.group(2) in found:
                found[m.group(2)] = m.group(1).split(",")[0].split(":")[0].strip()
    return found


def owner_of(path):
    """The package owning `path`, trying the path as opened and as resolved
    (usr-merge and alternatives symlinks)."""
    candidates = [path, os.path.realpath(path)]
    if path.startswith("/usr/"):
        candidates.append(path[4:])  # packaged as /lib/... or /bin/... before usr-merge
    o = owners(candidates)
    for c in candidates:
        if o.get(c):
            return o[c]
    return None


def check_requirements(listed, reachable):
    for kind, name, package in requirements():
        what = f"requirements.tsv: {kind} '{name}'"
        check(package in listed or package in ESSENTIAL,
              f"{what}: its package {package} is in neither PACKAGES nor TEST_PACKAGES of the Makefile: add it")
        if kind == "tool" and name == "python3":
            path = sys.executable  # the tests run with the interpreter CMake chose, not PATH's
        elif kind == "tool":
            path = shutil.which(name)
        elif kind == "font":
            r = subprocess.run(["fc-match", "-f", "%{family}\\t%{file}", name], capture_output=True, text=True)
            families, _, path = r.stdout.partition("\t")
            if name.lower() not in [f.strip().lower() for f in families.split(",")]:
                path = None
        elif kind == "file":
            path = name if os.path.exists(name) else None
        elif kind == "locale":
            # Generated by the tests with localedef from the package's sources.
            base = name.split(".")[0]
            source = f"/usr/share/i18n/locales/{base}"
            path = source if os.path.exists(source) else None
        else:
            check(False, f"{what}: unknown kind")
            continue
        if not check(path, f"{what} is not installed (Debian package {package})"):
            continue
        owner = owner_of(path)
        check(owner is not None and (owner == package or owner in closure([package])),
              f"{what}: {path} belongs to {owner}, not to {package} (or a package it depends on): fix the row")


def traced(command, log):
    """Runs `command` under strace; returns (programs started, files opened)."""
    r = subprocess.run(["strace", "-f", "-qq", "-o", log, "-e", "trace=execve,openat,open",
                        "-e", "signal=none"] + command, env=ENV, capture_output=True, text=True)
    # The unit tests run the PDF checker with Python (python3 and its
    # modules are checked as test tools): what the interpreter opens for
    # itself, its site files included, is not what the program under test uses.
    started, opened, python = set(), set(), set()
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            pid = line.split(" ", 1)[0]
            m = re.search(r'execve\("([^"]+)".* = 0$', line)
            if m:
                started.add(m.group(1))
                if os.path.basename(m.group(1)).startswith("python3"):
                    python.add(pid)
                continue
            if pid in python:
                continue
            m = re.search(r'open(?:at)?\((?:AT_FDCWD|\d+), "([^"]+)"[^)]*\) = \d+', line)
            if m and not re.search(r"O_DIRECTORY", line):
                opened.add(m.group(1))
    return r, started, opened


def check_used(label, started, opened, listed, reachable):
    interesting = sorted({p for p in opened if p.startswith(DIRECT) or p.startswith("/usr/share/")
                          or p.startswith(FOREIGN)} | started)
    # The programs under test themselves are the project's own.
    own = {os.path.realpath(p) for p in [BIN] + UNIT_TESTS}
    interesting = [p for p in interesting if os.path.isfile(p) and os.path.realpath(p) not in own]
    found = owners(interesting)
    for path in interesting:
        owner = found.get(path) or owner_of(path)
        if path.startswith(FOREIGN):
            check(False, f"{label}: uses {path}, which no Debian package installs: "
                         f"install it from a Debian package and list that package in the Makefile")
            continue
        if owner is None:
            check(path not in started, f"{label}: starts {path}, which no Debian package owns: "
                                       f"install it from a Debian package and list that package in the Makefile")
            continue  # a generated file (caches, compiled locales)
        if path.startswith(DIRECT):
            check(owner in listed,
                  f"{label}: opens {path} from {owner}, which is in neither PACKAGES nor TEST_PACKAGES "
                  f"of the Makefile: add {owner}")
        else:
            check(owner in reachable,
                  f"{label}: {'starts' if path in started else 'opens'} {path} from {owner}, which no package "
                  f"of the Makefile's lists brings: add {owner}")


def main():
    for tool in ("strace", "fc-match"):
        if shutil.which(tool) is None:
            print(f"FAIL: {tool} is missing: `make test` installs it")
            print("0 passed, 1 failed")
            return 1
    listed = listed_packages()
    reachable = closure(listed) | ESSENTIAL
    check_requirements(listed, reachable)

    tmp = tempfile.mkdtemp(prefix="coursepack-packages-")
    try:
        out = os.path.join(tmp, "out")
        r, started, opened = traced([BIN, "build", "--root", ROOT, "--out", out, "--quiet"],
                                    os.path.join(tmp, "build.strace"))
        check(r.returncode == 0, f"the bundled build under strace exits 0 (got {r.returncode}): {r.stderr[-1500:]}")
        check(any(p.startswith("/usr/share/fonts/") for p in opened), "the traced build opened font files")
        check(any(os.path.basename(p).startswith("pandoc") for p in started), "the traced build started Pandoc")
        check_used("the bundled build", started, opened, listed, reachable)
        for exe in UNIT_TESTS:
            r, started, opened = traced([exe], os.path.join(tmp, os.path.basename(exe) + ".strace"))
            check(r.returncode == 0, f"{os.path.basename(exe)} under strace exits 0: {r.stdout[-1500:]}")
            check_used(os.path.basename(exe), started, opened, listed, reachable)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
