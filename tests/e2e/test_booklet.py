#!/usr/bin/env python3
"""The handout as an A5 booklet (`booklet: true` in layouts/handout.yaml).

Builds one municipality with the handout set on A5 and checks: handout.pdf
is A5 portrait; handout-booklet.pdf has one A4-landscape side per two pages
padded to a multiple of four; on each side the left and right halves carry
the pages saddle-stitch order puts there (read from each half's footer,
"sida N av M", with pdftotext's crop box), blank halves only at the end's
padding; the text is the handout's, not shrunk (same font size); and a
booklet on an A4 handout is an error at the key with a hint.

Usage: test_booklet.py COURSEPACK ROOT
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import Checks, require_tool, project_copy  # noqa: E402
import pdfcheck  # noqa: E402

BIN, SRC = sys.argv[1], sys.argv[2]
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1686650000")
checks = Checks()
result = checks.check
if not (require_tool("pdftotext") and require_tool("pdfinfo")):
    sys.exit(checks.finish())

tmp = tempfile.mkdtemp(prefix="coursepack-booklet-")
root, out, mdir = project_copy(SRC, tmp, ["aneby"])
layout = os.path.join(root, "layouts", "handout.yaml")
a4 = open(layout, encoding="utf-8").read()


def build():
    return subprocess.run([BIN, "build", "--root", root, "--out", out, "-q"], env=ENV, capture_output=True, text=True)


def run(*args):
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


# A booklet of A4 pages cannot be printed two to an A4 sheet.
open(layout, "w", encoding="utf-8").write(a4 + "booklet: true\n")
line = len(a4.splitlines()) + 1
p = build()
result(p.returncode == 1 and f"layouts/handout.yaml:{line}:10: error: a booklet is printed two pages to an A4 sheet, "
       "so its pages must be A5 portrait\n  hint: set `page: {size: A5, orientation: portrait}`" in p.stderr,
       f"booklet on A4: the error at the key: {p.stderr[-600:]}")

a5 = a4.replace("  size: A4\n", "  size: A5\n").replace(
    "  margins: {top: 22mm, right: 20mm, bottom: 22mm, left: 20mm}",
    "  margins: {top: 15mm, right: 14mm, bottom: 15mm, left: 14mm}")
assert a5 != a4
open(layout, "w", encoding="utf-8").write(a5 + "booklet: true\n")
p = build()
result(p.returncode == 0, f"build exits 0: {p.stderr[-2000:]}")
for visit in sorted(os.listdir(os.path.join(out, "aneby"))):
    pack = os.path.join(out, "aneby", visit)
    handout, booklet = os.path.join(pack, "handout.pdf"), os.path.join(pack, "handout-booklet.pdf")
    info = run("pdfinfo", handout)
    n = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    result(abs(float(size.group(1)) - 419.5) < 1 and abs(float(size.group(2)) - 595.3) < 1,
           f"{visit}: handout.pdf is A5 portrait: {size.group(0)}")
    info = run("pdfinfo", booklet)
    sides = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    padded = (n + 3) // 4 * 4
    result(sides == padded // 2, f"{visit}: {n} pages padded to {padded}: {padded // 2} sides ({sides})")
    result(abs(float(size.group(1)) - 841.9) < 1 and abs(float(size.group(2)) - 595.3) < 1,
           f"{visit}: the booklet's sheets are A4 landscape: {size.group(0)}")
    result(oct(os.stat(booklet).st_mode & 0o777) == "0o600", f"{visit}: handout-booklet.pdf is private")
    archival = pdfcheck.findings(booklet)
    result(archival == [], f"{visit}: handout-booklet.pdf keeps to PDF/UA-1 and PDF/A-2a: {archival[:5]}")

    def page_on(side, half):
        """The page number in the footer of one half of a side, or None (blank)."""
        x = 0 if half == 0 else 421
        text = run("pdftotext", "-enc", "UTF-8", "-f", str(side), "-l", str(side), "-x", str(x), "-y", "0",
                   "-W", "420", "-H", "596", booklet, "-")
        m = re.search(r"sida (\d+) av (\d+)", text)
        if m:
            return int(m.group(1)) - 1
        return None if not text.strip() else "cover"

    seen = []
    for s in range(sides):
        sheet, back = divmod(s, 2)
        want = ((padded - 1 - 2 * sheet, 2 * sheet) if not back else (2 * sheet + 1, padded - 2 - 2 * sheet))
        got = (page_on(s + 1, 0), page_on(s + 1, 1))
        expect = tuple(None if w >= n else w for w in want)
        # The cover has no footer: page 1 reads as "cover".
        ok = all(g == e or (e == 0 and g == "cover") for g, e in zip(got, expect))
        result(ok, f"{visit}: side {s + 1} holds pages {expect} (left, right): {got}")
        seen += [g for g in got if g is not None]
    result(len(seen) == n, f"{visit}: every page once ({len(seen)} of {n})")
    # Not shrunk: the booklet's text is as large as the handout's.
    fonts_h = run("pdftotext", "-enc", "UTF-8", "-f", "3", "-l", "3", "-bbox", handout, "-")
    fonts_b = run("pdftotext", "-enc", "UTF-8", "-f", "2", "-l", "2", "-bbox", booklet, "-")

    def heights(bbox):
        return sorted(round(float(b) - float(a), 1) for a, b in re.findall(r'yMin="([\d.]+)"[^>]*yMax="([\d.]+)"', bbox))

    hh, hb = heights(fonts_h), heights(fonts_b)
    result(hh and hb and hh[len(hh) // 2] == hb[len(hb) // 2],
           f"{visit}: the booklet's words are as tall as the handout's (median {hh[len(hh) // 2] if hh else None} pt, "
           f"{hb[len(hb) // 2] if hb else None} pt)")

shutil.rmtree(tmp)
sys.exit(checks.finish())
