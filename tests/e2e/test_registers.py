#!/usr/bin/env python3
"""certificates.csv and out/register.csv as Swedish Excel opens them.

Builds Eksjö's visits with participants whose names hold `;`, `"`, a comma
and å ä ö, then reads both files back with Python's csv module in the Excel
dialect (delimiter `;`, encoding utf-8-sig) and checks: the BOM and CRLF
line ends; the columns (municipality, date, course, name, e-mail, code,
file relative to the pack, status); every name and address exactly as
written; each file exists in the pack; each code is the one in the
register; the files are private.

Usage: test_registers.py COURSEPACK ROOT
"""
import csv
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import Checks, project_copy  # noqa: E402

BIN, SRC = sys.argv[1], sys.argv[2]
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1686650000")
checks = Checks()
result = checks.check

PEOPLE = [  # name, email
    ("Berg; Åsa", "asa.berg@eksjo.se"),
    ('Anna "Nina" Öst', "anna.ost@eksjo.se"),
    ("Örjan Ärlig, jr", "orjan.arlig@eksjo.se"),
    ("Märta Ängström-Ödquist", ""),
    ("Katerina Παπαδοπούλου", "katerina.p@eksjo.se"),
]

tmp = tempfile.mkdtemp(prefix="coursepack-registers-")
root, out, mdir = project_copy(SRC, tmp, ["eksjo"])
eksjo = os.path.join(mdir, "eksjo.yaml")
text = open(eksjo, encoding="utf-8").read()
# The tallied forms would outnumber these participants.
open(eksjo, "w", encoding="utf-8").write(text.replace("    evaluation_results: evaluations/eksjo-2023-03-14.csv\n", ""))
with open(os.path.join(root, "materials", "participants", "eksjo-2023-03-14.csv"), "w", encoding="utf-8",
          newline="") as f:
    w = csv.writer(f, lineterminator="\r\n")
    w.writerow(["name", "title", "unit", "email", "attended"])
    for name, email in PEOPLE:
        w.writerow([name, "Socialsekreterare", "Barn och familj", email, "true"])

p = subprocess.run([BIN, "build", "--root", root, "--out", out, "-q"], env=ENV, capture_output=True, text=True)
result(p.returncode == 0, f"build exits 0: {p.stderr[-2000:]}")
PACK = "eksjo/2023-03-14-grundutbildning"


def read(path):
    raw = open(path, "rb").read()
    name = os.path.relpath(path, out)
    result(raw.startswith(b"\xef\xbb\xbf"), f"{name}: UTF-8 with BOM")
    result(raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b""), f"{name}: CRLF line ends")
    result(oct(os.stat(path).st_mode & 0o777) == "0o600", f"{name} is private")
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f, dialect="excel", delimiter=";")
        rows = list(reader)
        return reader.fieldnames, rows


header, pack_rows = read(os.path.join(out, PACK, "certificates.csv"))
result(header == ["Kommun", "Datum", "Kurs", "Namn", "E-post", "Kod", "Fil", "Status"],
       f"certificates.csv columns: {header}")
result(sorted((r["Namn"], r["E-post"]) for r in pack_rows) == sorted(PEOPLE),
       f"certificates.csv: every name and address as written: {[(r['Namn'], r['E-post']) for r in pack_rows]}")
result(all(r["Kommun"] == "Eksjö kommun" and r["Datum"] == "2023-03-14" and r["Kurs"] and r["Status"] == "giltigt"
           for r in pack_rows), "certificates.csv: municipality, date, course and status on every row")
result(all(r["Fil"].startswith("certificates/") and os.path.isfile(os.path.join(out, PACK, r["Fil"]))
           for r in pack_rows), "certificates.csv: each file exists in the pack")

header, reg_rows = read(os.path.join(out, "register.csv"))
result(header == ["Kommun", "Datum", "Kurs", "Namn", "E-post", "Kod", "Besök", "Fil", "Status"],
       f"register.csv columns: {header}")
mine = {r["Kod"]: r for r in reg_rows if r["Besök"] == PACK}
result(sorted((r["Namn"], r["E-post"]) for r in mine.values()) == sorted(PEOPLE),
       "register.csv: every name and address as written")
result(all(mine.get(r["Kod"], {}).get("Namn") == r["Namn"] and mine[r["Kod"]]["Fil"] == r["Fil"] for r in pack_rows),
       "register.csv: the pack's codes, names and files")
others = [r for r in reg_rows if r["Besök"] != PACK]
result(others and all(os.path.isfile(os.path.join(out, r["Besök"], r["Fil"])) for r in others),
       "register.csv: the other visit's files exist too")

shutil.rmtree(tmp)
sys.exit(checks.finish())
