#!/usr/bin/env python3
"""print.pdf: everything the trainer brief says to print, in its counts.

Builds two municipalities of the bundled data and checks each pack's
print.pdf against its brief.pdf: the attendance sheet once, then the
handout and the evaluation form as many times as the brief says ("N ex."),
then each certificate once, in that order; every copy starts on an odd
page (a new sheet when printed on both sides), the pages added for that
are blank; each page's text is the text of the page it copies (every page
of a part's first copy, the first and last page of its further copies, as
they are drawn from the same stored page); page sizes
follow the parts (certificates landscape). The file stays near the size of
its parts, not of its copies; the sizes are printed.

Usage: test_print.py COURSEPACK ROOT
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import Checks, require_tool, project_copy  # noqa: E402

BIN, SRC = sys.argv[1], sys.argv[2]
KEEP = ["eksjo", "aneby"]
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1686650000")
checks = Checks()
result = checks.check
if not (require_tool("pdftotext") and require_tool("pdfinfo")):
    sys.exit(checks.finish())

tmp = tempfile.mkdtemp(prefix="coursepack-print-")
root, out, mdir = project_copy(SRC, tmp, KEEP)
p = subprocess.run([BIN, "build", "--root", root, "--out", out, "-q"], env=ENV, capture_output=True, text=True)
result(p.returncode == 0, f"build exits 0: {p.stderr[-2000:]}")


def pages_text(pdf, first=None, last=None):
    rng = ["-f", str(first), "-l", str(last)] if first else []
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-layout", *rng, pdf, "-"], capture_output=True, text=True,
                          check=True).stdout
    return text.split("\f")[:-1]


def some_pages_text(pdf, wanted):
    """The text of the pages numbered in `wanted` (0-based), as a dict: one
    pdftotext run per stretch of consecutive pages, as extracting all of a
    print file with hundreds of repeated pages takes most of this test."""
    found, pages = {}, sorted(wanted)
    while pages:
        end = 0
        while end + 1 < len(pages) and pages[end + 1] == pages[end] + 1:
            end += 1
        texts = pages_text(pdf, pages[0] + 1, pages[end] + 1)
        found.update({pages[0] + k: t for k, t in enumerate(texts)})
        pages = pages[end + 1:]
    return found


def page_sizes(pdf):
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "100000", pdf], capture_output=True, text=True,
                          check=True).stdout
    return [(round(float(w)), round(float(h))) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


for slug in KEEP:
    for visit in sorted(os.listdir(os.path.join(out, slug))):
        pack = os.path.join(out, slug, visit)
        name = f"{slug}/{visit}"
        brief = pages_text(os.path.join(pack, "brief.pdf"))[0]
        handouts = int(re.search(r"Handouts \(.*?\)\s+(\d+)\s*ex\.", brief, re.S).group(1))
        forms = int(re.search(r"Utvärderingsformulär, ett per handout\s+(\d+)\s*ex\.", brief, re.S).group(1))
        parts = {f: pages_text(os.path.join(pack, f + ".pdf")) for f in ("attendance", "handout", "evaluation")}
        has_certs = os.path.exists(os.path.join(pack, "certificates.pdf"))
        parts["certificates"] = pages_text(os.path.join(pack, "certificates.pdf")) if has_certs else []

        def padded(n):
            return n + n % 2

        expected = [("attendance", parts["attendance"])]
        expected += [("handout", parts["handout"])] * handouts
        expected += [("evaluation", parts["evaluation"])] * forms
        expected += [("certificate", [page]) for page in parts["certificates"]]
        print_pdf = os.path.join(pack, "print.pdf")
        sizes = page_sizes(print_pdf)
        want_pages = sum(padded(len(pages)) for _, pages in expected)
        result(len(sizes) == want_pages,
               f"{name}: {len(sizes)} pages: attendance + {handouts} handouts + {forms} forms + "
               f"{len(parts['certificates'])} certificates, each copy on its own sheets = {want_pages}")
        # Every page of the first copy of each part, the first and last page
        # of every further copy, and every page added after an odd copy.
        checked, at, seen = set(), 0, set()
        for what, pages in expected:
            span = range(at, at + len(pages))
            checked.update(span if what not in seen else {span[0], span[-1]})
            seen.add(what)
            at += len(pages)
            if len(pages) % 2:
                checked.add(at)
                at += 1
        printed = some_pages_text(print_pdf, {k for k in checked if k < len(sizes)})
        at, ok, blanks_ok = 0, True, True
        for what, pages in expected:
            if at % 2:
                ok = False  # a copy starting on the back of a sheet
            for i, page in enumerate(pages):
                if at + i in checked and printed.get(at + i) != page:
                    ok = False
            at += len(pages)
            if len(pages) % 2:
                blanks_ok = blanks_ok and at in printed and not printed[at].strip()
                at += 1
        result(ok, f"{name}: every copy in order, each starting on a new sheet, each page as in its part")
        result(blanks_ok, f"{name}: the pages added after odd copies are blank")
        certs_start = sum(padded(len(pages)) for w, pages in expected if w != "certificate")
        result(all(s == (595, 842) for s in sizes[:certs_start]) and all(s == (842, 595) for s in sizes[certs_start:]),
               f"{name}: A4 portrait, certificates A4 landscape")
        size = os.path.getsize(os.path.join(pack, "print.pdf"))
        part_sizes = sum(os.path.getsize(os.path.join(pack, f + ".pdf"))
                         for f in ("attendance", "handout", "evaluation", "certificates") if f != "certificates" or has_certs)
        copies = (os.path.getsize(os.path.join(pack, "attendance.pdf")) +
                  handouts * os.path.getsize(os.path.join(pack, "handout.pdf")) +
                  forms * os.path.getsize(os.path.join(pack, "evaluation.pdf")) +
                  (os.path.getsize(os.path.join(pack, "certificates.pdf")) if has_certs else 0))
        print(f"{name}: print.pdf {size} bytes, {len(sizes)} pages ({len(checked)} compared); its parts once {part_sizes} bytes; "
              f"as separate copies {copies} bytes", flush=True)
        result(size < 1.5 * part_sizes, f"{name}: repeated pages stored once ({size} bytes, parts {part_sizes})")
        result(oct(os.stat(os.path.join(pack, "print.pdf")).st_mode & 0o777) == "0o600", f"{name}: print.pdf is private")

shutil.rmtree(tmp)
sys.exit(checks.finish())
