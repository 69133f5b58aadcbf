#!/usr/bin/env python3
"""Every PDF coursepack writes is tagged PDF/UA-1 and PDF/A-2a, as pdfcheck.py checks it.

Three municipalities of the bundled data are built (their handouts,
attendance sheets, briefs, evaluation forms, certificates, the certificates
split one per participant, print.pdf) and the programme report is made;
each PDF is checked with tests/e2e/pdfcheck.py. Every document is tagged,
and so are the files made from them: each is checked with all its rules,
PDF/UA-1 and PDF/A-2a, claims both in its XMP and reads `Tagged: yes` in
pdfinfo. A second build of the same inputs gives the same bytes, /ID
included, and every file has an /ID of its own.

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
            rel = os.path.relpath(f, out)
            handouts += os.path.basename(f) == "handout.pdf"
            with pikepdf.open(f) as pdf:
                ids[rel] = bytes(pdf.trailer.ID[0])
                xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
            found = pdfcheck.findings(f)
            check(found == [], f"{rel} keeps to PDF/UA-1 and PDF/A-2a: {found[:5]}")
            check("<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>A</pdfaid:conformance>" in xmp
                  and "<pdfuaid:part>1</pdfuaid:part>" in xmp, f"{rel} claims PDF/A-2a and PDF/UA-1 in its XMP")
            info = subprocess.run(["pdfinfo", f], capture_output=True, text=True)
            check(info.returncode == 0 and any(line.split() == ["Tagged:", "yes"] for line in info.stdout.splitlines()),
                  f"pdfinfo {rel} says Tagged: yes")
        check(handouts >= 3, f"every visit's handout is checked in full ({handouts})")
        check(len(set(ids.values())) == len(ids), f"every file has an /ID of its own ({len(set(ids.values()))} of {len(ids)})")
        print(f"{len(files)} PDFs checked, every one tagged", flush=True)

        again = os.path.join(tmp, "again")
        build(root, again)
        same = [f for f in files if open(f, "rb").read() == open(os.path.join(again, os.path.relpath(f, out)), "rb").read()]
        check(len(same) == len(files), f"the same inputs give the same bytes: {len(same)} of {len(files)}")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
