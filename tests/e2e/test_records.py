#!/usr/bin/env python3
"""Records and retention, end to end.

A held visit's pack is a record of a training that took place: when its
visit leaves the data, a build keeps it (and says so), index.html lists it
as kept, and its certificates stay valid in register.csv; a planned
visit's pack is removed as before.

Usage: test_records.py COURSEPACK ROOT
"""
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import Checks, project_copy  # noqa: E402

BIN, SRC = sys.argv[1], sys.argv[2]
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1696118400")  # 2023-10-01
checks = Checks()
result = checks.check

tmp = tempfile.mkdtemp(prefix="coursepack-records-")
root, out, mdir = project_copy(SRC, tmp, ["aneby", "eksjo"])


def run(*args, env=ENV):
    return subprocess.run([BIN, *args, "--root", root, "--out", out], env=env, capture_output=True, text=True)


def files_under(top):
    """Every file under top: relative path → bytes."""
    got = {}
    for dirpath, _, names in os.walk(top):
        for n in names:
            p = os.path.join(dirpath, n)
            got[os.path.relpath(p, top)] = open(p, "rb").read()
    return got


def cut_visit(slug, date):
    """Removes the visit on `date` from the municipality's file."""
    path = os.path.join(mdir, slug + ".yaml")
    text = open(path, encoding="utf-8").read()
    start = text.index(f"  - date: {date}\n")
    nxt = text.find("\n  - date: ", start + 1)
    text = text[:start] + (text[nxt + 1:] if nxt >= 0 else "")
    open(path, "w", encoding="utf-8").write(text)


def register_rows():
    with open(os.path.join(out, "register.csv"), encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, dialect="excel", delimiter=";"))


r = run("build", "-q")
assert r.returncode == 0, r.stderr[-2000:]

# ---- a held visit's pack stays when its visit leaves the data
held_pack = os.path.join(out, "eksjo", "2023-03-14-grundutbildning")
planned_pack = os.path.join(out, "aneby", "2023-09-14-grundutbildning")
held_files = files_under(held_pack)
result(len(held_files) > 10, f"the held visit's pack was built ({len(held_files)} files)")
result(os.path.isdir(planned_pack), "the planned visit's pack was built")
valid_before = [row for row in register_rows() if row["Datum"] == "2023-03-14" and row["Kommun"] == "Eksjö kommun"]
result(valid_before and all(row["Status"] == "giltigt" for row in valid_before),
       f"the held visit's certificates are valid ({len(valid_before)})")
cut_visit("eksjo", "2023-03-14")
cut_visit("aneby", "2023-09-14")
r = run("build")
result(r.returncode == 0, f"the build after removing two visits succeeds: {r.stderr[-500:]!r}")
result("kept eksjo/2023-03-14-grundutbildning (a held visit's records; its visit is no longer in the data)\n"
       in r.stdout, f"the build says the held visit's pack is kept: {r.stdout!r}")
result("removed aneby/2023-09-14-grundutbildning (its visit is no longer in the data)\n" in r.stdout,
       f"the planned visit's pack is removed: {r.stdout!r}")
summary = r.stdout.strip().splitlines()[-1]
result(re.match(r"0 built, \d+ unchanged, 1 removed, 1 kept, 0 pages, ", summary) is not None,
       f"the summary counts the kept pack: {summary!r}")
result(files_under(held_pack) == held_files, "the held visit's pack is kept byte for byte")
result(not os.path.exists(planned_pack), "the planned visit's pack is gone")
index = open(os.path.join(out, "index.html"), encoding="utf-8").read()
kept_rows = [line for line in index.splitlines() if line.startswith('<tr class="kept">')]
result(len(kept_rows) == 1 and "<td>Eksjö kommun</td><td class=\"d\">2023-03-14</td><td>grundutbildning</td>"
       "<td>genomförd, sparad</td>" in kept_rows[0] and 'href="eksjo/2023-03-14-grundutbildning/attendance.pdf"'
       in kept_rows[0], f"index.html lists the kept pack, linked: {kept_rows}")
result("<h2>Sparade besök</h2>" in index, "index.html has a section for kept packs")
valid_after = [row for row in register_rows() if row["Datum"] == "2023-03-14" and row["Kommun"] == "Eksjö kommun"]
result(valid_after == valid_before, "the kept visit's certificates stay valid in register.csv")
r = run("build", "--only", "aneby")
index = open(os.path.join(out, "index.html"), encoding="utf-8").read()
result(r.returncode == 0 and index.count('<tr class="kept">') == 1, "a build with --only lists the kept pack too")
r = run("build")
result(r.returncode == 0 and files_under(held_pack) == held_files and "1 kept" in r.stdout,
       f"the next build keeps it again: {r.stdout[-200:]!r}")

shutil.rmtree(tmp)
sys.exit(checks.finish())
