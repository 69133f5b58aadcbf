#!/usr/bin/env python3
"""End-to-end checks of the handouts built from the bundled data.

Builds the packs of one municipality into a temporary folder and checks what
a trainer would: the text comes back out of the PDF (module text, names,
Swedish letters), every font is embedded as a subset, nothing lies outside
the layout's text area, bookmarks and metadata are set, a rebuild with the
same SOURCE_DATE_EPOCH is byte-identical, and files are private.
"""
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import Checks  # noqa: E402

BIN, ROOT = sys.argv[1], sys.argv[2]
checks = Checks()
check = checks.check


def run(*args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def words(s):
    return re.findall(r"\w+", s)


tmp = tempfile.mkdtemp(prefix="coursepack-e2e-")
try:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1680000000")
    out = os.path.join(tmp, "out")
    r = run(BIN, "build", "--root", ROOT, "--out", out, "--only", "eksjo", "--jobs", "2", env=env)
    print(r.stdout, r.stderr)
    check(r.returncode == 0, f"build exits 0 (got {r.returncode})")
    packs = sorted(os.listdir(os.path.join(out, "eksjo")))
    check(len(packs) == 2, f"two eksjo packs (got {packs})")
    pdf = os.path.join(out, "eksjo", packs[0], "handout.pdf")

    # Text back out: hyphenated line ends joined, as a reader would.
    text = run("pdftotext", "-enc", "UTF-8", pdf, "-").stdout
    joined = re.sub(r"(\w)-\n(\w)", r"\1\2", text)
    flat = " ".join(joined.split())
    check("Eksjö kommun" in flat, "municipality name in handout")
    check("Innehåll" in flat, "table of contents")
    check(re.search(r"sida 3 av \d+", flat) is not None, "page X of Y footer")
    # Every word of every module paragraph comes back (module text after placeholders).
    module_dir = os.path.join(ROOT, "materials", "modules")
    md_words = set()
    for name in sorted(os.listdir(module_dir)):
        plain = run("pandoc", "-f", "markdown", "-t", "plain", "--wrap=none",
                    os.path.join(module_dir, name)).stdout
        plain = re.sub(r"\{\{[^}]*\}\}", " ", plain)
        md_words.update(w for w in words(plain) if len(w) > 3 and not w.isdigit())
    pdf_words = set(words(flat))
    missing = sorted(md_words - pdf_words)
    check(len(missing) <= len(md_words) // 200, f"module words missing from handout: {missing[:20]}")
    # Every county contact person's name.
    for fn in sorted(os.listdir(os.path.join(ROOT, "materials", "municipalities"))):
        src = open(os.path.join(ROOT, "materials", "municipalities", fn), encoding="utf-8").read()
        block = src.split("contacts:", 1)[1].split("\n" + "resources:", 1)[0] if "contacts:" in src else ""
        for m in re.finditer(r"name:\s*\"?([^\"\n]+)\"?", block):
            check(m.group(1).strip() in flat, f"contact {m.group(1).strip()} in handout")

    # Fonts embedded and subset.
    fonts = run("pdffonts", pdf).stdout.splitlines()[2:]
    check(len(fonts) >= 3, "fonts listed")
    for line in fonts:
        cols = line.split()
        check("yes" in cols[-5:-2] and cols[-5] == "yes" and cols[-4] == "yes", f"embedded subset: {line}")

    # Nothing outside the text area (A4, margins from layouts/handout.yaml).
    info = run("pdfinfo", pdf).stdout
    check("595.28 x 841.89" in info or "595.276 x 841.89" in info, "A4 pages")
    check("Eksjö" in info, "title in metadata")
    bbox = run("pdftotext", "-bbox-layout", pdf, "-").stdout
    bbox = re.sub(r"<!DOCTYPE[^>]*>", "", bbox)
    doc = ET.fromstring(bbox.replace('xmlns="http://www.w3.org/1999/xhtml"', ""))
    layout = open(os.path.join(ROOT, "layouts", "handout.yaml"), encoding="utf-8").read()

    def margin(side, default_mm=20.0):
        m = re.search(side + r":\s*([\d.]+)\s*mm", layout)
        return float(m.group(1) if m else default_mm) * 72 / 25.4

    left, right, top, bottom = margin("left"), margin("right"), margin("top"), margin("bottom")
    outside = []
    for page_no, page in enumerate(doc.iter("page")):
        pw, ph = float(page.get("width")), float(page.get("height"))
        for w in page.iter("word"):
            x0, y0, x1, y1 = (float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
            if x0 < left - 0.5 or x1 > pw - right + 0.5 or y0 < top - 2 or y1 > ph - bottom + 2:
                outside.append((page_no + 1, w.text, round(x0, 1), round(x1, 1), round(y0, 1), round(y1, 1)))
    check(not outside, f"words outside the text area: {outside[:10]}")

    # Bookmarks per module.
    outline = run("qpdf", "--json", "--json-key=outlines", pdf).stdout
    check(outline.count('"title"') >= 8, "bookmarks present")
    check(run("qpdf", "--check", pdf).returncode == 0, "qpdf --check passes")

    # Private files; byte-identical rebuild.
    mode = stat.S_IMODE(os.stat(pdf).st_mode)
    check(mode == 0o600, f"handout mode 0600 (got {oct(mode)})")
    check(stat.S_IMODE(os.stat(os.path.dirname(pdf)).st_mode) == 0o700, "pack folder 0700")
    first = open(pdf, "rb").read()
    out2 = os.path.join(tmp, "out2")
    r = run(BIN, "build", "--root", ROOT, "--out", out2, "--only", "eksjo", "--jobs", "1", env=env)
    check(r.returncode == 0, "second build")
    second = open(os.path.join(out2, "eksjo", packs[0], "handout.pdf"), "rb").read()
    check(first == second, "byte-identical with the same SOURCE_DATE_EPOCH and --jobs 1 vs 2")
    # A no-op rebuild writes nothing.
    before = os.stat(pdf).st_mtime_ns
    r = run(BIN, "build", "--root", ROOT, "--out", out, "--only", "eksjo", env=env)
    check(r.returncode == 0 and re.search(r"^0 built", r.stdout, re.M) is not None, f"no-op rebuild builds nothing: {r.stdout}")
    check(os.stat(pdf).st_mtime_ns == before, "no-op rebuild leaves files untouched")
finally:
    shutil.rmtree(tmp, ignore_errors=True)

sys.exit(checks.finish())
