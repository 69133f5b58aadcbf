#!/usr/bin/env python3
"""Right-to-left names as a browser shows them.

Builds one municipality of the bundled data with an Arabic and a Hebrew
participant at a held visit, then compares how the attendance sheet and
each one's certificate set the name with how headless Chromium sets the
same string in the same fonts: Chromium prints an HTML page with the name
in the document's font, falling back to the font coursepack fell back to,
and both PDFs' content streams are read glyph by glyph (pdf_glyphs.py).
The glyphs (joining forms, the lam-alef ligature, word order: the first
word on the right) and their positions, in em, must be the same.

The register (register.csv, certificates.csv) keeps the name as typed, in
logical order; the verification page (coursepack publish) shows it in the
browser with the first word on the right.

Usage: test_rtl.py COURSEPACK ROOT
"""
import base64
import csv
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import Checks, require_tool, project_copy  # noqa: E402
from browser import Browser  # noqa: E402
from pdf_glyphs import page_glyphs, page_count  # noqa: E402

BIN, SRC = sys.argv[1], sys.argv[2]
ENV = dict(os.environ, SOURCE_DATE_EPOCH="1686650000")
NAMES = {"arabic": "محمد الأحمد", "hebrew": "דוד כהן"}
checks = Checks()
result = checks.check
if not (require_tool("qpdf") and require_tool("fc-list") and require_tool("chromium")):
    sys.exit(checks.finish())

tmp = tempfile.mkdtemp(prefix="coursepack-rtl-")
root, out, mdir = project_copy(SRC, tmp, ["aneby"])
yaml_path = os.path.join(mdir, "aneby.yaml")
text = open(yaml_path, encoding="utf-8").read()
added = "".join(f"      - name: {name}\n        title: Socialsekreterare\n        email: {key}@aneby.se\n"
                f"        attended: true\n" for key, name in NAMES.items())
held = "    status: held\n    participants:\n"
assert held in text
open(yaml_path, "w", encoding="utf-8").write(text.replace(held, held + added, 1))
p = subprocess.run([BIN, "build", "--root", root, "--out", out, "-q"], env=ENV, capture_output=True, text=True)
result(p.returncode == 0, f"build exits 0: {p.stderr[-2000:]}")
pack = os.path.join(out, "aneby", "2023-03-02-grundutbildning")


def font_file(postscript_name):
    r = subprocess.run(["fc-list", f":postscriptname={postscript_name}", "file"], capture_output=True, text=True)
    files = sorted(line.strip().rstrip(":") for line in r.stdout.splitlines() if line.strip())
    return files[0] if files else None


def lines_in(glyphs, font):
    """The glyphs in `font`, by baseline, each line left to right."""
    lines = {}
    for g in glyphs:
        if g.font == font:
            lines.setdefault(round(g.y, 2), []).append(g)
    return [sorted(line, key=lambda g: g.x) for line in lines.values()]


def shape_of(line):
    """Glyph ids, left to right, and where each starts from the first, in em."""
    first = line[0]
    return [g.cid for g in line], [(g.x - first.x) / first.size for g in line]


def chromium_shapes(names, primary_file, fallback_file, fallback_name):
    """How Chromium sets each name with `primary_file` first and
    `fallback_file` for what it lacks: the fallback font's glyphs of each."""
    html = os.path.join(tmp, "names.html")
    body = "".join(f'<p dir="auto">{n}</p>' for n in names)
    with open(html, "w", encoding="utf-8") as f:
        f.write('<!doctype html><html><head><meta charset="utf-8"><style>'
                f'@font-face {{ font-family: Primary; src: url("file://{primary_file}"); }}'
                f'@font-face {{ font-family: Fallback; src: url("file://{fallback_file}"); }}'
                "body { margin: 0 } p { font: 40px Primary, Fallback; margin: 20px; white-space: nowrap }"
                f"</style></head><body>{body}</body></html>")
    with Browser() as b:
        s = b.open("file://" + html)
        b.wait_for(s, "document.readyState === 'complete' && document.fonts.status === 'loaded'")
        data = b.call("Page.printToPDF", {"printBackground": False}, session=s)["data"]
    printed = os.path.join(tmp, "chromium.pdf")
    with open(printed, "wb") as f:
        f.write(base64.b64decode(data))
    lines = sorted(lines_in(page_glyphs(printed, 0), fallback_name), key=lambda line: -line[0].y)
    return [shape_of(line) for line in lines]


def check_document(what, pdf, names, primary_file):
    glyphs = [g for i in range(page_count(pdf)) for g in page_glyphs(pdf, i)]
    fonts = {g.font for g in glyphs}
    fallbacks = sorted(f for f in fonts if not f.startswith("NotoSans-"))  # the layouts name Noto Sans
    if not result(len(fallbacks) == 1, f"{what}: the names are set in one fallback font: {sorted(fonts)}"):
        return
    fallback = fallbacks[0]
    fallback_file = font_file(fallback)
    if not result(fallback_file is not None, f"{what}: fontconfig knows {fallback}"):
        return
    ours = [shape_of(line) for line in lines_in(glyphs, fallback)]
    want = chromium_shapes(names, primary_file, fallback_file, fallback)
    result(len(want) == len(names), f"{what}: Chromium sets {len(names)} names in {fallback}: {len(want)}")
    for name, (ids, xs) in zip(names, want):
        same = [line for line in ours if line[0] == ids]
        if not result(len(same) == 1, f"{what}: {name}: the glyphs Chromium sets, in its order ({ids}), "
                                      f"are set once: {[line[0] for line in ours]}"):
            continue
        worst = max(abs(a - b) for a, b in zip(same[0][1], xs))
        result(worst < 0.005, f"{what}: {name}: each glyph where Chromium puts it (worst {worst:.4f} em)")


noto_regular = font_file("NotoSans-Regular")
noto_bold = font_file("NotoSans-Bold")
result(noto_regular and noto_bold, "Noto Sans regular and bold are installed")
check_document("attendance.pdf", os.path.join(pack, "attendance.pdf"), list(NAMES.values()), noto_regular)

with open(os.path.join(pack, "certificates.csv"), encoding="utf-8-sig", newline="") as f:
    rows = list(csv.DictReader(f, delimiter=";"))
for key, name in NAMES.items():
    row = [r for r in rows if name in r.values()]
    if not result(len(row) == 1, f"certificates.csv has {name} as typed, once"):
        continue
    file = next(v for v in row[0].values() if v.startswith("certificates/"))
    check_document(f"{file} ({key})", os.path.join(pack, file), [name], noto_bold)

# The register keeps the name as typed (logical order), as a spreadsheet wants it.
register = open(os.path.join(out, "register.csv"), encoding="utf-8-sig").read()
codes = {}
for line in register.splitlines():
    cells = line.split(";")
    for name in NAMES.values():
        if name in cells:
            codes[name] = next(c for c in cells if len(c) == 11 and c[5] == "-")
result(sorted(codes) == sorted(NAMES.values()), f"register.csv has both names as typed: {codes}")

# The verification page: the browser sets the name, first word on the right.
p = subprocess.run([BIN, "publish", "--root", root, "--out", out], env=ENV, capture_output=True, text=True)
result(p.returncode == 0, f"publish exits 0: {p.stderr[-2000:]}")
url = "file://" + os.path.join(out, "verify", "index.html")
with Browser() as b:
    for name, code in codes.items():
        s = b.open(url + "#" + code)
        b.wait_for(s, "document.getElementById('result').className !== ''")
        shown = b.evaluate(s, "document.getElementById('result').innerText")
        result(name in shown, f"the page shows {name} for {code}: {shown!r}")
        first, second = name.split(" ")
        # Where each word is drawn: the text node holding the name, one
        # range per word.
        js = ("(function(){var w=document.createTreeWalker(document.getElementById('result'),NodeFilter.SHOW_TEXT);"
              "var n;while((n=w.nextNode())){var i=n.data.indexOf(%r);if(i>=0){var r=document.createRange();"
              "r.setStart(n,i);r.setEnd(n,i+%d);var a=r.getBoundingClientRect().left;r.setStart(n,i+%d);"
              "r.setEnd(n,n.data.length);var b=r.getBoundingClientRect().left;return [a,b];}}return null;})()"
              % (name, len(first), len(first) + 1))
        lefts = b.evaluate(s, js)
        result(lefts is not None and lefts[0] > lefts[1],
               f"{name}: its first word is to the right of its second on the page: {lefts}")

shutil.rmtree(tmp)
sys.exit(checks.finish())
