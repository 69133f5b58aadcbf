#!/usr/bin/env python3
"""Every PDF coursepack writes keeps to PDF/A-2b, as pdfcheck.py checks it.

Three municipalities of the bundled data are built (their handouts,
attendance sheets, briefs, evaluation forms, certificates, the certificates
split one per participant, print.pdf) and the programme report is made;
each PDF is checked with tests/e2e/pdfcheck.py. The handouts are tagged:
every rule, PDF/UA-1 and PDF/A-2a, and pdfinfo says "Tagged: yes"; the
other documents are checked with the PDF/A-2 rules at level B (they are not
tagged yet, so they claim neither PDF/UA nor levels A and U). A second build
of the same inputs gives the same bytes, /ID included, and every file has an
/ID of its own.

Usage: test_archive.py COURSEPACK ROOT
"""
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import Checks, project_copy  # noqa: E402
import pdfcheck  # noqa: E402

import pikepdf  # noqa: E402

BIN, SRC = sys.argv[1], sys.argv[2]
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1686650000")


def pdfs_under(folder):
    found = []
    for top, _, files in os.walk(folder):
        found += [os.path.join(top, f) for f in files if f.endswith(".pdf")]
    return sorted(found)


def build(root, out):
    for args in (["build", "--root", root, "--out", out, "-q"], ["report", "--root", root, "--out", out]):
        r = subprocess.run([BIN] + args, env=ENV, capture_output=True, text=True)
        if r.returncode != 0:
            raise SystemExit(f"FAIL: coursepack {args[0]} exits {r.returncode}: {r.stderr[-2000:]}")


def main():
    checks = Checks()
    check = checks.check
    with tempfile.TemporaryDirectory(prefix="coursepack-archive-") as tmp:
        root, out, _ = project_copy(SRC, tmp, ["eksjo", "habo", "vaggeryd"])
        build(root, out)
        files = pdfs_under(out)
        kinds = {os.path.basename(f) if "certificates" + os.sep not in f else "certificates/*.pdf" for f in files}
        check({"handout.pdf", "attendance.pdf", "brief.pdf", "evaluation.pdf", "certificates.pdf", "print.pdf",
               "certificates/*.pdf", "report.pdf"} <= kinds, f"every kind of PDF is made: {sorted(kinds)}")
        ids = {}
        handouts = 0
        for f in files:
            name = os.path.relpath(f, out)
            tagged = os.path.basename(f) == "handout.pdf"
            if tagged:
                handouts += 1
                found = pdfcheck.findings(f)
                check(found == [], f"{name} keeps to PDF/UA-1 and PDF/A-2a: {found[:5]}")
                info = subprocess.run(["pdfinfo", f], capture_output=True, text=True)
                check("Tagged:          yes" in info.stdout, f"pdfinfo says {name} is tagged")
            else:
                found = pdfcheck.findings(f, level="B", only="A ")
                check(found == [], f"{name} keeps to PDF/A-2b: {found[:5]}")
            with pikepdf.open(f) as pdf:
                ids[name] = bytes(pdf.trailer.ID[0])
                xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
                level = "A" if tagged else "B"
                check("<pdfaid:part>2</pdfaid:part>" in xmp and f"<pdfaid:conformance>{level}</pdfaid:conformance>" in xmp,
                      f"{name} claims PDF/A-2{level.lower()} in its XMP")
                check(("<pdfuaid:part>1</pdfuaid:part>" in xmp) == tagged,
                      f"{name} claims PDF/UA-1 exactly when tagged")
        check(handouts >= 3, f"every visit's handout is checked in full ({handouts})")
        check(len(set(ids.values())) == len(ids), f"every file has an /ID of its own ({len(set(ids.values()))} of {len(ids)})")
        print(f"{len(files)} PDFs checked", flush=True)

        again = os.path.join(tmp, "again")
        build(root, again)
        same = [f for f in files if open(f, "rb").read() == open(os.path.join(again, os.path.relpath(f, out)), "rb").read()]
        check(len(same) == len(files), f"the same inputs give the same bytes: {len(same)} of {len(files)}")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
