#!/usr/bin/env python3
"""End-to-end checks of participants lists as coordinators really have them.

    test_participants.py COURSEPACK_BINARY REPO_ROOT

Copies the bundled materials/ and layouts/ into a temporary root and gives
Eksjö's held visit of 2023-03-14 other participants files:

  csv      a semicolon file with Förnamn/Efternamn, Befattning, Avdelning,
           E-postadress and Närvaro (x / nej): the joined names reach the
           attendance sheet and certificates.pdf, the addresses reach
           certificates.csv, and only those marked present get a certificate
  tab      the same list saved as "Text (tab-delimited)" in Windows-1252
  xlsx     the list as an .xlsx workbook (written here with zipfile): shared
           strings, attendance as the numbers 1 and 0
  mistakes a misnamed attendance column, a blank attendance cell, a name
           with a line break and a '?' for a lost letter: `check` and
           `build` exit 1 with the exact lines and write nothing

Prints `N passed, N failed` last; exits non-zero on any failure.
Standard library only, plus pdftotext from poppler-utils.
"""
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from xml.sax.saxutils import escape

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import Checks  # noqa: E402

BIN, REPO = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
checks = Checks()
check = checks.check
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1680000000")
PACK = os.path.join("eksjo", "2023-03-14-grundutbildning")
CSV = "materials/participants/eksjo-2023-03-14.csv"

PEOPLE = [  # first, last, title, unit, email, attended
    ("Łucja", "Kowalczyk", "Socialsekreterare", "Barn och familj", "lucja.kowalczyk@eksjo.se", True),
    ("Åsa", "Öberg", "Kurator", "Vuxenenheten", "asa.oberg@eksjo.se", True),
    ("Pär", "Ek", "Utredare", "Försörjningsstöd", "par.ek@eksjo.se", False),
]


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, env=ENV)


def pdftext(path):
    r = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", path, "-"], capture_output=True, text=True)
    return r.stdout


def fresh_root(tmp, name):
    root = os.path.join(tmp, name)
    for sub in ("materials", "layouts"):
        shutil.copytree(os.path.join(REPO, sub), os.path.join(root, sub))
    # The tallied evaluation forms count the bundled attendees; these lists are shorter.
    path = os.path.join(root, "materials/municipalities/eksjo.yaml")
    text = open(path, encoding="utf-8").read()
    text = text.replace("    evaluation_results: evaluations/eksjo-2023-03-14.csv\n", "", 1)
    open(path, "w", encoding="utf-8").write(text)
    return root


def use_file(root, rel):
    path = os.path.join(root, "materials/municipalities/eksjo.yaml")
    text = open(path, encoding="utf-8").read()
    text = text.replace("participants: participants/eksjo-2023-03-14.csv", f"participants: {rel}", 1)
    open(path, "w", encoding="utf-8").write(text)


def build(root):
    out = os.path.join(root, "out")
    r = run("build", "--root", root, "--out", out, "--only", "eksjo", "--jobs", "2")
    return r, os.path.join(out, PACK)


def check_pack(name, r, pack):
    if not check(r.returncode == 0, f"{name}: build exits 0 ({r.returncode}: {r.stderr.strip()})"):
        return
    with open(os.path.join(pack, "certificates.csv"), encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, dialect="excel", delimiter=";"))
    names = [row.get("Namn") for row in rows]
    check(sorted(names) == sorted(f"{p[0]} {p[1]}" for p in PEOPLE if p[5]),
          f"{name}: certificates for those present, names joined: {names}")
    emails = {row.get("Namn"): row.get("E-post") for row in rows}
    check(emails.get("Łucja Kowalczyk") == "lucja.kowalczyk@eksjo.se",
          f"{name}: the E-postadress column reaches certificates.csv: {emails}")
    sheet = pdftext(os.path.join(pack, "attendance.pdf"))
    for first, last, title, unit, _, _ in PEOPLE:
        check(f"{first} {last}" in sheet or f"{last}, {first}" in sheet or f"{last} {first}" in sheet,
              f"{name}: {first} {last} on the attendance sheet")
        check(title in sheet, f"{name}: title {title} on the attendance sheet")
    certs = pdftext(os.path.join(pack, "certificates.pdf"))
    check("Łucja Kowalczyk" in certs and "Pär Ek" not in certs,
          f"{name}: certificates.pdf names those present only")


def write_xlsx(path, rows):
    """A real .xlsx: shared strings for text, numbers as numbers."""
    strings = []
    sheet_rows = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{chr(ord('A') + c)}{r}"
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                strings.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
        sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '</Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml":
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            '<sheets><sheet name="Deltagare" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>',
        "xl/worksheets/sheet1.xml":
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>'
            + "".join(sheet_rows) + "</sheetData></worksheet>",
        "xl/sharedStrings.xml":
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}">'
            + "".join(f"<si><t>{escape(s)}</t></si>" for s in strings) + "</sst>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(name, body)


HEADER = ["Förnamn", "Efternamn", "Befattning", "Avdelning", "E-postadress", "Närvaro"]

tmp = tempfile.mkdtemp(prefix="coursepack-e2e-participants-")
try:
    # csv: semicolons, UTF-8 with a BOM, x for present
    root = fresh_root(tmp, "csv")
    lines = [";".join(HEADER)] + [";".join([*p[:5], "x" if p[5] else "nej"]) for p in PEOPLE]
    open(os.path.join(root, CSV), "w", encoding="utf-8-sig").write("\r\n".join(lines) + "\r\n")
    r = run("check", "--root", root)
    check(r.returncode == 0 and r.stderr == "", f"csv: check is clean ({r.returncode}: {r.stderr.strip()})")
    check_pack("csv", *build(root))

    # tab: Excel's "Text (tab-delimited)" in Windows-1252 (which has no Ł: that person is left out)
    root = fresh_root(tmp, "tab")
    people = [p for p in PEOPLE if p[0] != "Łucja"]
    lines = ["\t".join(HEADER)] + ["\t".join([*p[:5], "ja" if p[5] else "nej"]) for p in people]
    open(os.path.join(root, "materials/participants/eksjo.txt"), "wb").write(
        ("\r\n".join(lines) + "\r\n").encode("cp1252"))
    use_file(root, "participants/eksjo.txt")
    r, pack = build(root)
    if check(r.returncode == 0, f"tab: build exits 0 ({r.stderr.strip()})"):
        with open(os.path.join(pack, "certificates.csv"), encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f, dialect="excel", delimiter=";"))
        check([(row["Namn"], row["E-post"]) for row in rows] == [("Åsa Öberg", "asa.oberg@eksjo.se")],
              f"tab: Åsa Öberg's certificate with her address: {rows}")

    # xlsx: a workbook, attendance as numbers
    root = fresh_root(tmp, "xlsx")
    write_xlsx(os.path.join(root, "materials/participants/eksjo.xlsx"),
               [HEADER] + [[*p[:5], 1 if p[5] else 0] for p in PEOPLE])
    use_file(root, "participants/eksjo.xlsx")
    r = run("check", "--root", root)
    check(r.returncode == 0 and r.stderr == "", f"xlsx: check is clean ({r.returncode}: {r.stderr.strip()})")
    check_pack("xlsx", *build(root))

    # mistakes: each an error at its place; nothing built
    root = fresh_root(tmp, "mistakes")
    lines = ["namn;e-post;närvarnde", "Anna Ek;anna.ek@eksjo.se;ja"]
    open(os.path.join(root, CSV), "w", encoding="utf-8").write("\n".join(lines) + "\n")
    r = run("check", "--root", root)
    check(r.returncode == 1, f"misnamed attendance column: check exits 1 ({r.returncode})")
    check("materials/participants/eksjo-2023-03-14.csv:1:13: error: unknown column 'närvarnde'\n"
          "  hint: did you mean 'närvarande'?" in r.stderr, f"misnamed attendance column: the line\n{r.stderr}")
    check("ok" not in r.stdout, f"misnamed attendance column: check does not say ok: {r.stdout}")

    lines = ["namn;e-post;närvaro", "Anna Ek;anna.ek@eksjo.se;ja", "Bo Ek;bo.ek@eksjo.se;",
             "\"Cecilia\nBerg\";c.berg@eksjo.se;ja"]
    open(os.path.join(root, CSV), "w", encoding="utf-8").write("\n".join(lines) + "\n")
    open(os.path.join(root, "materials/participants/eksjo-2023-03-14.csv"), "ab").write(
        "?ucja Kowalczyk;l.k@eksjo.se;ja\r\n".encode("cp1252"))
    r, pack = build(root)
    expected = [
        "materials/participants/eksjo-2023-03-14.csv:4:1: error: participant name contains a line break\n"
        "  hint: write it on one line; in the spreadsheet, delete the line break inside the cell "
        "(Alt+Enter makes one)",
        "materials/participants/eksjo-2023-03-14.csv:6:1: error: participant name '?ucja Kowalczyk' has '?' where "
        "a letter was probably lost in saving\n"
        "  hint: the file was saved in an encoding that has no such letter; type the letter again and save the "
        "file from Excel as \"CSV UTF-8\"",
        "materials/participants/eksjo-2023-03-14.csv:3:22: error: attendance of 'Bo Ek' is not marked, but the "
        "visit on 2023-03-14 is held\n"
        "  hint: write ja or nej (x for present works too); a blank is not taken as absent",
    ]
    check(r.returncode == 1, f"mistakes: build exits 1 ({r.returncode})")
    for line in expected:
        check(line in r.stderr, f"mistakes: the line\n{line}\nin\n{r.stderr}")
    check(not os.path.exists(pack), "mistakes: no pack written")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

sys.exit(checks.finish())
