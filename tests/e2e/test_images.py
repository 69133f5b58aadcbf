#!/usr/bin/env python3
"""Images: each layout image is read from disk once per build, and the
bytes the pack's manifest hashes are the bytes its PDFs draw.

    test_images.py COURSEPACK_BINARY REPO_ROOT

On a copy of the bundled data with one municipality, a logo on the
handout's cover and on the certificate: `build` under `strace -f -e
trace=openat` opens the logo exactly once (it is hashed, sized for the
cover and the certificates, and drawn into every PDF from those bytes);
the manifest records its SHA-256; the handout and the certificates hold
an image of the logo's size (pdfimages -list).

Prints `N passed, N failed` last; exits non-zero on any failure.
"""
import hashlib
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import zlib

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from checks import Checks, project_copy, require_tool  # noqa: E402

BIN, REPO = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
checks = Checks()
check = checks.check
PACK = "eksjo/2023-03-14-grundutbildning"


def png(width, height):
    """An 8-bit RGB PNG of one colour."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + b"\x20\x60\xa0" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def main():
    if not (require_tool("strace") and require_tool("pdfimages")):
        return checks.finish()
    with tempfile.TemporaryDirectory() as tmp:
        root, out, _ = project_copy(REPO, tmp, {"eksjo"})
        logo = os.path.join(root, "layouts", "assets", "logo.png")
        os.makedirs(os.path.dirname(logo))
        data = png(120, 40)
        with open(logo, "wb") as f:
            f.write(data)
        handout = os.path.join(root, "layouts", "handout.yaml")
        with open(handout, encoding="utf-8") as f:
            text = f.read()
        check("logos: []" in text, "the bundled handout layout has no logos (the test adds one)")
        with open(handout, "w", encoding="utf-8") as f:
            f.write(text.replace("logos: []", "logos: [assets/logo.png]"))
        cert = os.path.join(root, "layouts", "certificate.yaml")
        with open(cert, encoding="utf-8") as f:
            lines = f.read().rstrip("\n").split("\n")
        element = next(l for l in lines if "type: signatures" in l)
        indent = element[: len(element) - len(element.lstrip())]
        lines.insert(lines.index(element) + 1, indent +
                     "- {type: image, x: 20mm, y: 15mm, width: 40mm, height: 15mm, image: assets/logo.png}")
        with open(cert, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")

        trace = os.path.join(tmp, "trace")
        r = subprocess.run(["strace", "-f", "-qq", "-e", "trace=openat,open", "-o", trace,
                            BIN, "build", "--root", root, "--out", out, "--quiet"],
                           capture_output=True, text=True, env=dict(os.environ, SOURCE_DATE_EPOCH="1680000000"))
        check(r.returncode == 0, f"the build with a logo succeeds (exit {r.returncode}: {r.stderr.strip()})")
        with open(trace, encoding="utf-8", errors="replace") as f:
            opens = [l for l in f if re.search(r'open(at)?\(.*"[^"]*/layouts/assets/logo\.png"', l)]
        check(len(opens) == 1, f"the logo is read from disk once for the whole build (opened {len(opens)} times)")

        with open(os.path.join(out, PACK, "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        recorded = {i["file"]: i["sha256"] for i in manifest["inputs"]}
        check(recorded.get("layouts/assets/logo.png") == hashlib.sha256(data).hexdigest(),
              "the manifest records the SHA-256 of the logo's bytes")
        for name in ("handout.pdf", "certificates.pdf"):
            listed = subprocess.run(["pdfimages", "-list", os.path.join(out, PACK, name)],
                                    capture_output=True, text=True).stdout
            sizes = [tuple(l.split()[3:5]) for l in listed.splitlines()[2:]]
            check(("120", "40") in sizes, f"{name} draws the logo (pdfimages lists {sizes})")
    return checks.finish()


if __name__ == "__main__":
    sys.exit(main())
