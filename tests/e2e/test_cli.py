#!/usr/bin/env python3
"""End-to-end checks of the command line as the coordinator meets it.

    test_cli.py COURSEPACK_BINARY REPO_ROOT

On a copy of the bundled data:

  --only       a municipality by slug, name or place name, SLUG/DATE and
               SLUG/DATE-COURSE; a miss lists what exists; '' is an error
  keep-going   by default nothing is written when one visit has an error;
               with --keep-going the other packs are built, the broken one
               is named, exit 1; an error every pack shares still stops all
  summary      build's summary line ends with the warning count
  list         held/planned, registered, attended, and the flags; with
               input errors, the errors and then the visits read, exit 1
  index.html   course titles, a status column, dates kept on one line,
               the build time in Swedish time
  town         a visit address without a postcode prints the municipality
               on certificates, not the street

Prints `N passed, N failed` last; exits non-zero on any failure.
Standard library only, plus pdftotext from poppler-utils.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import Checks  # noqa: E402

BIN, REPO = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
checks = Checks()
check = checks.check
SDE = "1680000000"  # 2023-03-28 10:40 UTC, 12:40 in Sweden (summer time)
EKSJO = "materials/municipalities/eksjo.yaml"


def run(root, *args, sde=SDE):
    env = dict(os.environ, SOURCE_DATE_EPOCH=sde)
    env.pop("COURSEPACK_FAIL_AFTER_FILES", None)
    return subprocess.run([BIN, *args, "--root", root], capture_output=True, text=True, env=env)


def build(root, out, *args):
    return run(root, "build", "--out", out, *args)


def packs(out):
    found = []
    if not os.path.isdir(out):
        return found
    for slug in sorted(os.listdir(out)):
        d = os.path.join(out, slug)
        if slug.startswith(".") or not os.path.isdir(d):
            continue
        found += [f"{slug}/{v}" for v in sorted(os.listdir(d)) if os.path.isdir(os.path.join(d, v))]
    return found


def replace(root, rel, old, new):
    path = os.path.join(root, rel)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    assert text.count(old) == 1, f"{old!r} not once in {rel}"
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(old, new))


def fresh_root(tmp, name):
    root = os.path.join(tmp, name)
    for d in ("materials", "layouts"):
        shutil.copytree(os.path.join(REPO, d), os.path.join(root, d))
    return root


def all_visits(root):
    r = run(root, "list")
    return [line.split()[0] for line in r.stdout.splitlines()]


def main():
    tmp = tempfile.mkdtemp(prefix="coursepack-cli-")
    try:
        root = fresh_root(tmp, "root")

        # ---- --only
        r = build(root, os.path.join(tmp, "o1"), "--only", "")
        check(r.returncode == 2, f"--only '' is a usage error (exit {r.returncode})")
        check("coursepack: --only needs a municipality (its name or slug), SLUG/DATE or SLUG/DATE-COURSE\n"
              in r.stderr, f"--only '' says what it needs: {r.stderr!r}")
        for which in ("eksjo", "Eksjö kommun", "eksjö"):
            out = os.path.join(tmp, "only-" + which.replace(" ", "_"))
            r = build(root, out, "--only", which)
            check(r.returncode == 0 and packs(out) == ["eksjo/2023-03-14-grundutbildning",
                                                       "eksjo/2023-06-13-grundutbildning"],
                  f"--only {which!r} builds Eksjö's two visits: {packs(out)} {r.stderr[-300:]}")
        for which in ("eksjo/2023-06-13", "Eksjö/2023-06-13-grundutbildning"):
            out = os.path.join(tmp, "only-visit-" + str(len(which)))
            r = build(root, out, "--only", which)
            check(r.returncode == 0 and packs(out) == ["eksjo/2023-06-13-grundutbildning"],
                  f"--only {which!r} builds that visit: {packs(out)}")
        r = build(root, os.path.join(tmp, "o2"), "--only", "ekjso")
        check(r.returncode == 2 and "coursepack: error: --only 'ekjso' matches no municipality or visit\n"
              "  hint: give a municipality's name or one of aneby, eksjo, gislaved, gnosjo, habo, jonkoping, "
              "mullsjo, nassjo, savsjo, tranas, vaggeryd, varnamo, vetlanda, optionally with /DATE\n" in r.stderr,
              f"a missed --only lists the municipalities: {r.stderr!r}")
        r = build(root, os.path.join(tmp, "o3"), "--only", "eksjo/2023-03-15")
        check(r.returncode == 2 and "  hint: its visits are eksjo/2023-03-14-grundutbildning, "
              "eksjo/2023-06-13-grundutbildning\n" in r.stderr, f"a missed visit lists the visits: {r.stderr!r}")

        # ---- the summary ends with the warning count
        r = build(root, os.path.join(tmp, "o1"), "--only", "eksjo/2023-03-14")
        last = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
        check(re.fullmatch(r"1 built, 0 unchanged, 0 removed, \d+ pages, [\d.]+ s, 0 warning\(s\)", last),
              f"summary ends with the warning count: {last!r}")

        warned = fresh_root(tmp, "warned")
        replace(warned, "materials/municipalities/aneby.yaml", "    participants: participants/aneby-2023-09-14.csv\n",
                "")
        r = build(warned, os.path.join(tmp, "warned-out"), "--only", "aneby/2023-09-14")
        last = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else ""
        check(r.returncode == 0 and "materials/municipalities/aneby.yaml:115:5: warning: visit has no participants "
              "yet\n" in r.stderr and last.endswith(" s, 1 warning(s)"), f"the warning is counted: {last!r}")

        # ---- --keep-going
        broken = fresh_root(tmp, "broken")
        replace(broken, EKSJO, "    venue: Stadshuset, sammanträdesrum Ljuset", "    venu: Stadshuset, sammanträdesrum Ljuset")
        diagnostic = ("materials/municipalities/eksjo.yaml:35:5: error: unknown key 'venu'\n"
                      "  hint: did you mean 'venue'? The keys allowed here are date, start, end, venue, address, "
                      "course, trainers, seats, status, participants, evaluation_results\n")
        out = os.path.join(tmp, "kg-default")
        r = build(broken, out)
        check(r.returncode == 1 and diagnostic in r.stderr, f"default build: exit 1 at the key: {r.stderr[-400:]!r}")
        check(packs(out) == [], f"default build writes nothing: {packs(out)}")
        out = os.path.join(tmp, "kg")
        r = build(broken, out, "--keep-going")
        visits = all_visits(root)
        built = packs(out)
        check(r.returncode == 1, f"--keep-going exits 1: {r.returncode}")
        check(diagnostic in r.stderr, f"--keep-going prints the error: {r.stderr[-400:]!r}")
        check("coursepack: not built: eksjo/2023-03-14-grundutbildning (its errors are above)\n" in r.stderr,
              f"--keep-going names the pack not built: {r.stderr[-300:]!r}")
        check("eksjo/2023-03-14-grundutbildning" not in built and "eksjo/2023-06-13-grundutbildning" in built
              and len(built) == len(visits) - 1, f"every other pack is built: {len(built)} of {len(visits)}")
        check(re.search(rf"^{len(visits) - 1} built, 1 not built, 0 unchanged", r.stdout, re.M),
              f"summary counts the pack not built: {r.stdout!r}")
        # --only with --keep-going: the broken visit is named, not "matches nothing".
        r = build(broken, os.path.join(tmp, "kg-only"), "--keep-going", "--only", "eksjo/2023-03-14")
        check(r.returncode == 1 and "matches no" not in r.stderr
              and "coursepack: not built: eksjo/2023-03-14-grundutbildning (its errors are above)\n" in r.stderr,
              f"--keep-going --only on the broken visit names it: {r.stderr[-300:]!r}")
        r = build(broken, os.path.join(tmp, "kg-only2"), "--keep-going", "--only", "eksjo/2023-06-13")
        check(r.returncode == 1 and "not built" not in r.stderr
              and packs(os.path.join(tmp, "kg-only2")) == ["eksjo/2023-06-13-grundutbildning"],
              f"--keep-going --only on another visit builds it and names nothing else: {r.stderr[-300:]!r}")
        # An error in the participants file of one visit stops that visit only.
        csv_broken = fresh_root(tmp, "csv-broken")
        replace(csv_broken, EKSJO, "participants: participants/eksjo-2023-03-14.csv",
                "participants: participants/eksjo-2023-03-41.csv")
        r = build(csv_broken, os.path.join(tmp, "kg-csv"), "--keep-going")
        check(r.returncode == 1 and len(packs(os.path.join(tmp, "kg-csv"))) == len(visits) - 1,
              f"a missing participants file stops its visit only: {r.stderr[-300:]!r}")
        # What every pack shares stops everything, even with --keep-going.
        shared = fresh_root(tmp, "shared")
        replace(shared, "materials/project.yaml", "signatories:", "signatores:")
        out = os.path.join(tmp, "kg-shared")
        r = build(shared, out, "--keep-going")
        check(r.returncode == 1 and packs(out) == [] and "materials/project.yaml:14:1: error: unknown key "
              "'signatores'\n" in r.stderr and "  hint: the errors are in inputs every pack shares, so no pack "
              "was built\n" in r.stderr, f"an error in project.yaml stops every pack: {r.stderr[-400:]!r}")
        contacts = fresh_root(tmp, "contacts")
        replace(contacts, EKSJO, "    role: Enhetschef, individ- och familjeomsorgen",
                "    rol: Enhetschef, individ- och familjeomsorgen")
        out = os.path.join(tmp, "kg-contacts")
        r = build(contacts, out, "--keep-going")
        check(r.returncode == 1 and packs(out) == [],
              f"a municipality's contacts are in every handout: an error there stops all: {packs(out)}")

        # ---- list
        r = run(root, "list", sde="1696118400")  # 2023-10-01
        lines = r.stdout.splitlines()
        check(r.returncode == 0 and len(lines) == len(visits), f"list: one line per visit: {r.stderr!r}")
        eksjo = [line for line in lines if line.startswith("Eksjö kommun") and "2023-03-14" in line]
        check(len(eksjo) == 1 and re.search(r"  held +19 registered +15 attended  missing$", eksjo[0]),
              f"list shows held, registered and attended: {eksjo}")
        late = [line for line in lines if "2023-09-14" in line and line.startswith("Aneby")]
        check(len(late) == 1 and late[0].endswith("  ! in the past but still planned: write 'status: held' and "
                                                  "mark attendance"), f"a past planned visit is flagged: {late}")
        future = [line for line in lines if "2023-10-11" in line and line.startswith("Habo")]
        check(len(future) == 1 and " planned " in future[0] and "!" not in future[0],
              f"a future planned visit is not flagged: {future}")
        r = run(broken, "list", sde="1696118400")
        check(r.returncode == 1 and diagnostic in r.stderr and len(r.stdout.splitlines()) == len(visits),
              f"list with an input error prints it, lists every visit read, exits 1: {r.stderr[-300:]!r}")
        unmarked = fresh_root(tmp, "unmarked")
        replace(unmarked, "materials/municipalities/habo.yaml", "    status: planned", "    status: held")
        r = run(unmarked, "list", sde="1696118400")
        habo = [line for line in r.stdout.splitlines() if line.startswith("Habo") and "2023-10-11" in line]
        check(len(habo) == 1 and habo[0].endswith("  ! held, but no attendance marked"),
              f"a held visit with no attendance is flagged: {habo} {r.stderr[-300:]!r}")

        # ---- index.html
        out = os.path.join(tmp, "only-eksjo")
        with open(os.path.join(out, "index.html"), encoding="utf-8") as f:
            index = f.read()
        check("<td>Grundutbildning om sexuell exploatering, prostitution och människohandel</td><td>genomförd</td>"
              in index, "index.html shows the course title and whether the visit was held")
        check("<th>Status</th>" in index and "td.d{white-space:nowrap}" in index
              and '<td class="d">2023-03-14</td>' in index, "index.html: status column, dates on one line")
        check("Byggd 2023-03-28 kl. 12:40 (svensk tid)." in index, "index.html prints Swedish time")

        # ---- a visit address without a postcode
        town = fresh_root(tmp, "town")
        replace(town, EKSJO, "    address: Stadshusgatan 1, 575 80 Eksjö", "    address: Stadshusgatan 1")
        out = os.path.join(tmp, "town-out")
        r = build(town, out, "--only", "eksjo/2023-03-14")
        pdf = os.path.join(out, "eksjo/2023-03-14-grundutbildning/certificates.pdf")
        text = subprocess.run(["pdftotext", "-layout", pdf, "-"], capture_output=True, text=True).stdout
        check(r.returncode == 0 and "14 mars 2023, Eksjö" in text and "Stadshusgatan" not in text,
              f"the town on certificates is the municipality when the address has no postcode: {text[:300]!r}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
