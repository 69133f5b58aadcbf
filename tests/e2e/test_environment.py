#!/usr/bin/env python3
"""What the machine lacks is said once, before any pack is made.

A font family the layouts name that fontconfig cannot find (simulated with a
fontconfig configuration that rejects Noto Sans Mono, as on a machine without
fonts-noto-mono), or a Pandoc that is not there, stops `coursepack build` with
one error line and the Debian package to install, exit 3, and no pack
written: not one FAILED line per visit. `coursepack report` does the same for
its font, and both do for the sRGB colour profile every PDF embeds. And a
build with no --out writes into the out/ the repository
ships (a README.md and a .gitignore), as `make packs` does on a fresh clone.

Usage: test_environment.py COURSEPACK ROOT
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import Checks  # noqa: E402

BIN, ROOT = sys.argv[1], sys.argv[2]

checks = Checks()
check = checks.check

REJECT = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="no">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><glob>*/{glob}</glob></rejectfont></selectfont>
</fontconfig>
"""


def run(args, **env_extra):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1680000000", **env_extra)
    return subprocess.run([BIN] + args, env=env, capture_output=True, text=True)


def packs_in(out):
    if not os.path.isdir(out):
        return []
    return [os.path.join(d, v) for d in os.listdir(out) if os.path.isdir(os.path.join(out, d))
            for v in os.listdir(os.path.join(out, d))]


def main():
    tmp = tempfile.mkdtemp(prefix="coursepack-environment-")
    try:
        conf = os.path.join(tmp, "fonts.conf")
        with open(conf, "w", encoding="utf-8") as f:
            f.write(REJECT.format(glob="NotoSansMono-*"))

        out = os.path.join(tmp, "out")
        r = run(["build", "--root", ROOT, "--out", out], FONTCONFIG_FILE=conf)
        check(r.returncode == 3, f"a missing font family: exit 3 (got {r.returncode})")
        check(r.stderr == "coursepack: error: font family 'Noto Sans Mono' is not installed "
                          "(fontconfig found no match)\n"
                          "  hint: apt-get install fonts-noto-mono\n"
                          "coursepack: nothing written\n",
              f"a missing font family: one error with the package to install: {r.stderr!r}")
        check("FAILED" not in r.stdout, f"no pack reported as FAILED: {r.stdout[-500:]!r}")
        check(packs_in(out) == [], f"no pack written: {packs_in(out)[:5]}")

        # The same machine, the report: it is set in Noto Sans.
        with open(conf, "w", encoding="utf-8") as f:
            f.write(REJECT.format(glob="NotoSans-*"))
        r = run(["report", "--root", ROOT, "--out", out], FONTCONFIG_FILE=conf)
        check(r.returncode == 3, f"report without its font: exit 3 (got {r.returncode})")
        check(r.stderr == "coursepack: error: font family 'Noto Sans' is not installed "
                          "(fontconfig found no match)\n"
                          "  hint: apt-get install fonts-noto-core\n",
              f"report without its font: one error with the package: {r.stderr!r}")
        check(not os.path.exists(os.path.join(out, "report.pdf")), "no report.pdf written")

        # A fresh clone: the out/ the repository ships (its README.md and
        # .gitignore) is where `make packs` writes, with no --out.
        clone = os.path.join(tmp, "clone")
        for d in ("materials", "layouts"):
            shutil.copytree(os.path.join(ROOT, d), os.path.join(clone, d))
        os.makedirs(os.path.join(clone, "out"))
        tracked = subprocess.run(["git", "-C", ROOT, "ls-files", "out"], capture_output=True, text=True).stdout.split()
        check(sorted(os.path.basename(t) for t in tracked) == [".gitignore", "README.md"],
              f"the repository ships out/ with its README.md and .gitignore only: {tracked}")
        for t in tracked:
            shutil.copy(os.path.join(ROOT, t), os.path.join(clone, t))
        r = subprocess.run([BIN, "build", "--root", clone, "--only", "aneby/2023-03-02", "--quiet"],
                           env=dict(os.environ, SOURCE_DATE_EPOCH="1680000000"), capture_output=True, text=True)
        check(r.returncode == 0, f"a build into the repository's own out/ succeeds (exit {r.returncode}): {r.stderr!r}")
        check(os.path.isfile(os.path.join(clone, "out", "aneby", "2023-03-02-grundutbildning", "handout.pdf")),
              "the pack is in out/")
        check(open(os.path.join(clone, "out", "README.md"), encoding="utf-8").read() ==
              open(os.path.join(ROOT, "out", "README.md"), encoding="utf-8").read(), "out/README.md left as it was")

        # No Pandoc: one line naming the package, exit 3, nothing written.
        out2 = os.path.join(tmp, "out2")
        r = run(["build", "--root", ROOT, "--out", out2], COURSEPACK_PANDOC=os.path.join(tmp, "no-pandoc-here"))
        check(r.returncode == 3, f"no Pandoc: exit 3 (got {r.returncode})")
        lines = r.stderr.splitlines()
        check(len(lines) == 1 and lines[0].startswith("coursepack: error: pandoc is not installed")
              and lines[0].endswith("install it with: apt-get install pandoc"),
              f"no Pandoc: one error line naming the package: {r.stderr!r}")
        check(packs_in(out2) == [], f"no Pandoc: no pack written: {packs_in(out2)[:5]}")

        # No sRGB profile (icc-profiles-free not installed): an empty folder
        # mounted over Debian's, in a private mount namespace of the run's
        # own. Where the kernel gives no such namespace (a chroot whose / is
        # not a mount point), this part is skipped and says why; the
        # message itself is checked by test_machine_check.cpp too.
        out3 = os.path.join(tmp, "out3")
        probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True, text=True)
        commands = ("build", "report")
        if probe.returncode != 0:
            print(f"SKIP no sRGB profile: no private mount namespace here: {probe.stderr.strip()}", flush=True)
            commands = ()
        for command in commands:
            r = subprocess.run(["unshare", "--mount", "sh", "-c",
                                'mount -t tmpfs none /usr/share/color/icc && exec "$@"', "sh",
                                BIN, command, "--root", ROOT, "--out", out3],
                               env=dict(os.environ, SOURCE_DATE_EPOCH="1680000000"), capture_output=True, text=True)
            if not check(r.returncode == 3, f"{command} without the sRGB profile: exit 3 (got {r.returncode}): {r.stderr!r}"):
                continue
            expected = ("coursepack: error: the sRGB colour profile /usr/share/color/icc/sRGB.icc cannot be read\n"
                        "  hint: apt-get install icc-profiles-free\n")
            check(r.stderr in (expected + "coursepack: nothing written\n", expected),
                  f"{command} without the sRGB profile: one error with the package: {r.stderr!r}")
        check(packs_in(out3) == [] and not os.path.exists(os.path.join(out3, "report.pdf")),
              "without the sRGB profile nothing is written")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
