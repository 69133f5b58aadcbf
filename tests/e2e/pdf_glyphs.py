"""The glyphs a PDF page shows and where, read from its content stream.

qpdf turns the file into JSON (objects, and stream data decoded); a small
interpreter follows the graphics and text state (q/Q, cm, BT, Tf, Tm, Td,
TD, T*, TL, Tc, Tz, Ts, Tj, TJ, ', ") and the fonts' /W widths. Enough for
the PDFs coursepack writes and those Chromium prints; Type0 fonts
(two-byte codes, CID = glyph id with an identity or stream CIDToGIDMap)
only.

    for g in page_glyphs("attendance.pdf", 0):
        g.font, g.cid, g.gid, g.x, g.y, g.size   # size: the em on the page, in points
"""
import base64
import json
import re
import subprocess
from dataclasses import dataclass


@dataclass
class Glyph:
    font: str  # BaseFont without the subset tag
    cid: int
    gid: int   # the glyph in the font file the CID shows
    x: float   # the glyph's origin on the page, points
    y: float
    size: float


def _load(pdf):
    out = subprocess.run(["qpdf", "--json", "--json-stream-data=inline", "--decode-level=generalized", pdf],
                         capture_output=True, check=True).stdout
    j = json.loads(out)
    return j["qpdf"][1]


class _Doc:
    def __init__(self, pdf):
        self.objects = _load(pdf)

    def obj(self, v):
        """A value with a reference followed; streams as {"dict":..., "data":bytes}."""
        while isinstance(v, str) and re.fullmatch(r"\d+ \d+ R", v):
            o = self.objects.get("obj:" + v)
            if o is None:
                return None
            if "stream" in o:
                s = o["stream"]
                return {"dict": s["dict"], "data": base64.b64decode(s.get("data", ""))}
            v = o["value"]
        return v

    def pages(self):
        root = self.obj(self.objects["trailer"]["value"]["/Root"])
        out = []

        def walk(node, inherited):
            node = self.obj(node)
            attrs = dict(inherited)
            for k in ("/Resources", "/MediaBox"):
                if k in node:
                    attrs[k] = node[k]
            if node.get("/Type") == "/Pages":
                for kid in self.obj(node["/Kids"]):
                    walk(kid, attrs)
            else:
                page = dict(node)
                page.update({k: v for k, v in attrs.items() if k not in node})
                out.append(page)

        walk(root["/Pages"], {})
        return out


def _tokens(data):
    i, n = 0, len(data)
    while i < n:
        c = data[i:i + 1]
        if c in b" \t\r\n\f\0":
            i += 1
        elif c == b"%":
            while i < n and data[i:i + 1] not in b"\r\n":
                i += 1
        elif c == b"(":
            depth, s, i = 1, bytearray(), i + 1
            while i < n:
                ch = data[i]
                if ch == 0x5C:  # backslash
                    i += 1
                    e = data[i:i + 1]
                    if e in b"01234567":
                        m = re.match(rb"[0-7]{1,3}", data[i:i + 3])
                        s.append(int(m.group(0), 8) & 0xFF)
                        i += len(m.group(0))
                        continue
                    s += {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}.get(e, e)
                elif ch == 0x28:
                    depth += 1
                    s.append(ch)
                elif ch == 0x29:
                    depth -= 1
                    if depth == 0:
                        i += 1
                        break
                    s.append(ch)
                else:
                    s.append(ch)
                i += 1
            yield ("str", bytes(s))
        elif c == b"<" and data[i:i + 2] == b"<<":
            yield ("op", "<<")
            i += 2
        elif c == b">" and data[i:i + 2] == b">>":
            yield ("op", ">>")
            i += 2
        elif c == b"<":
            e = data.index(b">", i)
            h = re.sub(rb"\s", b"", data[i + 1:e])
            if len(h) % 2:
                h += b"0"
            yield ("str", bytes.fromhex(h.decode()))
            i = e + 1
        elif c in b"[]":
            yield ("op", c.decode())
            i += 1
        elif c == b"/":
            m = re.match(rb"/[^\s/\[\]()<>{}%]*", data[i:])
            yield ("name", m.group(0).decode("latin1"))
            i += len(m.group(0))
        else:
            m = re.match(rb"[^\s/\[\]()<>{}%]+", data[i:])
            t = m.group(0)
            i += len(t)
            try:
                yield ("num", float(t))
            except ValueError:
                yield ("op", t.decode("latin1"))


def _mul(a, b):
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


class _Font:
    def __init__(self, doc, font):
        self.name = re.sub(r"^/([A-Z]{6}\+)?", "", font["/BaseFont"])
        cid = doc.obj(doc.obj(font["/DescendantFonts"])[0])
        self.default = float(cid.get("/DW", 1000))
        self.widths = {}
        w = doc.obj(cid.get("/W", [])) or []
        k = 0
        while k < len(w):
            first = int(doc.obj(w[k]))
            nxt = doc.obj(w[k + 1])
            if isinstance(nxt, list):
                for j, v in enumerate(nxt):
                    self.widths[first + j] = float(doc.obj(v))
                k += 2
            else:
                for c in range(first, int(nxt) + 1):
                    self.widths[c] = float(doc.obj(w[k + 2]))
                k += 3
        m = doc.obj(cid.get("/CIDToGIDMap", "/Identity"))
        self.map = m["data"] if isinstance(m, dict) else None

    def gid(self, cid):
        if self.map is None:
            return cid
        return int.from_bytes(self.map[2 * cid:2 * cid + 2], "big") if 2 * cid + 2 <= len(self.map) else 0


def page_glyphs(pdf, index):
    """The glyphs page `index` (0-based) shows, in the order it shows them."""
    doc = _Doc(pdf)
    page = doc.pages()[index]
    resources = doc.obj(page.get("/Resources", {})) or {}
    fonts = {k: _Font(doc, doc.obj(v)) for k, v in (doc.obj(resources.get("/Font", {})) or {}).items()}
    contents = doc.obj(page["/Contents"])
    if isinstance(contents, list):
        data = b"\n".join(doc.obj(c)["data"] for c in contents)
    else:
        data = contents["data"]

    out = []
    ctm, stack = [1, 0, 0, 1, 0, 0], []
    tm = tlm = [1, 0, 0, 1, 0, 0]
    font, size, tc, th, rise, leading = None, 0.0, 0.0, 1.0, 0.0, 0.0
    operands = []

    def show(string):
        nonlocal tm
        for k in range(0, len(string) - 1, 2):
            cid = (string[k] << 8) | string[k + 1]
            trm = _mul([size * th, 0, 0, size, 0, rise], _mul(tm, ctm))
            em = (trm[2] ** 2 + trm[3] ** 2) ** 0.5
            out.append(Glyph(font.name, cid, font.gid(cid), trm[4], trm[5], em))
            w = font.widths.get(cid, font.default) / 1000
            tm = _mul([1, 0, 0, 1, (w * size + tc) * th, 0], tm)

    array = None
    for kind, v in _tokens(data):
        if kind == "op" and v == "[":
            array = []
            continue
        if kind == "op" and v == "]":
            operands.append(array)
            array = None
            continue
        if array is not None:
            array.append(v)
            continue
        if kind != "op" or v in ("<<", ">>"):
            operands.append(v)
            continue
        op = v
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop()
        elif op == "cm":
            ctm = _mul([float(x) for x in operands[-6:]], ctm)
        elif op == "BT":
            tm = tlm = [1, 0, 0, 1, 0, 0]
        elif op == "Tf":
            font, size = fonts.get(operands[-2]), float(operands[-1])
        elif op == "Tm":
            tm = tlm = [float(x) for x in operands[-6:]]
        elif op in ("Td", "TD"):
            if op == "TD":
                leading = -float(operands[-1])
            tm = tlm = _mul([1, 0, 0, 1, float(operands[-2]), float(operands[-1])], tlm)
        elif op == "T*":
            tm = tlm = _mul([1, 0, 0, 1, 0, -leading], tlm)
        elif op == "TL":
            leading = float(operands[-1])
        elif op == "Tc":
            tc = float(operands[-1])
        elif op == "Tz":
            th = float(operands[-1]) / 100
        elif op == "Ts":
            rise = float(operands[-1])
        elif op == "Tj" and font:
            show(operands[-1])
        elif op in ("'", '"') and font:
            tm = tlm = _mul([1, 0, 0, 1, 0, -leading], tlm)
            show(operands[-1])
        elif op == "TJ" and font:
            for item in operands[-1]:
                if isinstance(item, bytes):
                    show(item)
                else:
                    tm = _mul([1, 0, 0, 1, -item / 1000 * size * th, 0], tm)
        operands = []
    return out


def page_count(pdf):
    return len(_Doc(pdf).pages())
