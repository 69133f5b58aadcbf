#!/usr/bin/env python3
"""The largest inputs coursepack accepts, built as a whole county: not a test,
it prints numbers (wall time, CPU seconds, peak memory) for each case.

Each case copies the bundled project and fills one kind of text up to its
limit (src/validate/validate.h, src/validate/fields.h) with the costliest
text there is: runs of letters longer than a line, which the line breaker
must break inside words at every character.

  prose        the course's modules at 512 KB of ordinary prose
  unbreakable  the modules at 512 KB and every municipality's notes at 64 KB,
               in 1,000-letter words
  certificate  20 learning goals of 300 letters, a 1,000-letter course title
               and four signatories with 200-letter names and titles, on
               every certificate

Usage: tests/bench/limits.py [BINARY] [CASE ...]
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULE_LIMIT = 512 * 1024
NOTES_LIMIT = 64 * 1024


def words(letter, total, length=1000):
    word = letter * (length - 1) + " "
    return word * (total // length)


def module_room(root):
    modules = glob.glob(os.path.join(root, "materials/modules/*.md"))
    last = sorted(modules)[-1]
    others = sum(os.path.getsize(m) for m in modules if m != last)
    return last, MODULE_LIMIT - others - 64


def prose(root):
    last, room = module_room(root)
    text = open(os.path.join(REPO, "materials/modules/01-begrepp.md"), encoding="utf-8").read()
    body = text.split("---", 2)[-1].replace("\n# ", "\n## ")
    out = "# Avslutning\n\n"
    while len((out + body).encode()) < room:
        out += body
    open(last, "w", encoding="utf-8").write(out)


def unbreakable(root):
    last, room = module_room(root)
    open(last, "w", encoding="utf-8").write("# Avslutning\n\n" + words("a", room - 20) + "\n")
    notes = '"' + words("b", NOTES_LIMIT - 100) + '"'
    for f in glob.glob(os.path.join(root, "materials/municipalities/*.yaml")):
        lines, out, skipping = open(f, encoding="utf-8").read().split("\n"), [], False
        for line in lines:
            if line.startswith("notes:"):
                out.append("notes: " + notes)
                skipping = True
            elif skipping and (line.startswith(" ") or not line):
                continue
            else:
                skipping = False
                out.append(line)
        open(f, "w", encoding="utf-8").write("\n".join(out))


def certificate(root):
    course = os.path.join(root, "materials/courses/grundutbildning.yaml")
    s = open(course, encoding="utf-8").read()
    goals = "learning_goals:\n" + "".join('  - "' + "g" * 300 + '"\n' for _ in range(20))
    s = s[: s.index("learning_goals:")] + goals + s[s.index("evaluation:"):]
    s = re.sub(r"^title: .*$", 'title: "' + "T" * 1000 + '"', s, flags=re.M)
    open(course, "w", encoding="utf-8").write(s)
    project = os.path.join(root, "materials/project.yaml")
    s = open(project, encoding="utf-8").read()
    people = "".join('  - name: "' + "N" * 200 + '"\n    title: "' + "t" * 200 + '"\n' for _ in range(4))
    s = s[: s.index("signatories:")] + "signatories:\n" + people + s[s.index("language:"):]
    open(project, "w", encoding="utf-8").write(s)


CASES = {"prose": prose, "unbreakable": unbreakable, "certificate": certificate}


def main():
    args = sys.argv[1:]
    binary = os.path.abspath(args.pop(0)) if args and not args[0] in CASES else os.path.join(
        REPO, "build/src/app/coursepack")
    names = args or list(CASES)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1790000000")
    for name in names:
        with tempfile.TemporaryDirectory() as tmp:
            root = os.path.join(tmp, "project")
            os.mkdir(root)
            for part in ("materials", "layouts"):
                shutil.copytree(os.path.join(REPO, part), os.path.join(root, part))
            CASES[name](root)
            check = subprocess.run([binary, "check", "--root", root], env=env, capture_output=True, text=True)
            if check.returncode != 0:
                print(f"{name}: check refused the inputs:\n{check.stdout}{check.stderr}", file=sys.stderr)
                sys.exit(1)
            timed = subprocess.run(["/usr/bin/time", "-f", "%e %U %S %M", binary, "build", "--root", root, "--out",
                                    os.path.join(tmp, "out"), "--quiet"], env=env, capture_output=True, text=True)
            wall, user, system, peak = timed.stderr.strip().split("\n")[-1].split()
            status = "ok" if timed.returncode == 0 else f"exit {timed.returncode}"
            print(f"{name:12} {status}: {float(wall):6.1f} s wall, {float(user) + float(system):6.1f} CPU s, "
                  f"peak {int(peak) // 1024} MB")


if __name__ == "__main__":
    main()
