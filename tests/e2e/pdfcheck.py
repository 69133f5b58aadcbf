#!/usr/bin/env python3
"""A checker for the machine-checkable rules of PDF/UA-1 and PDF/A-2.

    python3 pdfcheck.py [--lang sv-SE] [--level AU] [--only 'A '] FILE.pdf ...

prints one line per finding, `FILE: RULE: WHERE: MESSAGE`, and exits 1 when
there is any. RULE names the clause: `UA 7.1-3` is ISO 14289-1 7.1 (the test
numbers follow the veraPDF rule profiles), `A 6.2.11.8` is ISO 19005-2, and
`cp ...` is a rule of coursepack's own (for example, the structure tree's
root is one Document element).

What it covers, and what it does not, is listed in RULES below. Rules that
need a person (is the alt text a good description? does the reading order make
sense to a reader?) are not checked here.

As a module: `findings(path, lang=..., level=...)` returns a list of
Finding(rule, where, message).
"""
import argparse
import collections
import re
import struct
import sys
import xml.etree.ElementTree as ET

import pikepdf

Finding = collections.namedtuple("Finding", "rule where message")

# Each rule this checker implements, with what it says. The test suite checks
# that every rule here can fire (tests/e2e/test_pdfcheck.py).
RULES = {
    "A 6.1.2": "header %PDF-1.n, then a comment of four bytes above 127",
    "A 6.1.3-1": "the trailer has an /ID of two strings",
    "A 6.1.3-2": "no encryption",
    "A 6.1.3-3": "nothing after the last %%EOF but one end of line",
    "A 6.1.7": "no stream with /F, /FFilter, /FDecodeParms or LZWDecode",
    "A 6.2.2-1": "content streams use only operators of ISO 32000-1",
    "A 6.2.3": "one PDF/A output intent with an RGB monitor or printer ICC profile",
    "A 6.2.5": "no /TR, /TR2 or /HTP in an ExtGState; standard blend modes",
    "A 6.2.8": "images: no /Alternates or /OPI, /Interpolate false, 1/2/4/8/16 bits",
    "A 6.2.11.3": "Type0 fonts: CIDSystemInfo agrees with the CMap; CIDFontType2 has a CIDToGIDMap",
    "A 6.2.11.4": "every font used is embedded and defines every glyph shown",
    "A 6.2.11.5": "widths in the font dictionary agree with the font program",
    "A 6.2.11.7": "every code shown maps to Unicode (not 0, U+FEFF or U+FFFE)",
    "A 6.2.11.8": "no .notdef glyph is shown",
    "A 6.3.2": "annotations print and are not hidden",
    "A 6.3.3": "annotations other than Link and Popup have an appearance, with only /N",
    "A 6.5": "no JavaScript or other forbidden actions, no /AA",
    "A 6.6.2.1": "the catalog's /Metadata is an XMP stream, unfiltered, UTF-8, without bytes/encoding attributes",
    "A 6.6.2.3": "XMP extension schemas describe pdfuaid",
    "A 6.6.3": "the document information dictionary agrees with the XMP",
    "A 6.6.4": "pdfaid:part 2 and pdfaid:conformance as required",
    "A 6.10": "no AlternatePresentations, PresSteps, NeedsRendering or Requirements",
    "UA 5": "pdfuaid:part 1",
    "UA 6.1": "the header says PDF 1.7",
    "UA 6.2": "/MarkInfo /Marked true",
    "UA 7.1-1": "no artifact inside tagged content",
    "UA 7.1-2": "no tagged content inside an artifact",
    "UA 7.1-3": "every painting operator is tagged or an artifact",
    "UA 7.1-4": "/MarkInfo /Suspects is not true",
    "UA 7.1-5": "structure types are standard or mapped to a standard type, without cycles",
    "UA 7.1-9": "the XMP has a dc:title",
    "UA 7.1-10": "/ViewerPreferences /DisplayDocTitle true",
    "UA 7.1-11": "a structure tree with a parent tree",
    "UA 7.1-12": "every structure element's /P is its parent",
    "UA 7.2-lang": "the catalog's /Lang is the expected language",
    "UA 7.2-table": "tables, rows and cells nest as ISO 32000-1 says, rows of one width",
    "UA 7.2-list": "lists: L > LI > Lbl, LBody",
    "UA 7.2-toc": "TOC > TOCI",
    "UA 7.3": "every Figure has /Alt or /ActualText",
    "UA 7.4": "headings start at H1 and skip no level; H and Hn are not mixed",
    "UA 7.5": "every TH has a /Scope",
    "UA 7.9": "every Note has a unique /ID",
    "UA 7.18.1": "annotations are in the structure tree (/StructParent)",
    "UA 7.18.3": "pages with annotations have /Tabs /S",
    "UA 7.18.5": "links are Link elements with an OBJR, and have /Contents",
    "UA 7.21.4.1": "fonts are embedded (TrueType or CFF programs)",
    "cp mcid": "MCIDs are unique on a page, reach the structure tree through the parent tree, and back",
    "cp root": "the structure tree's root has one Document element",
}

PAINT = {"Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh", "Do", "INLINE IMAGE", "BI"}
TEXT_SHOW = {"Tj", "TJ", "'", '"'}
OPERATORS = set("""b B b* B* BDC BI BMC BT BX c cm CS cs d d0 d1 Do DP EI EMC ET EX f F f* G g gs h i ID
j J K k l m M MP n q Q re RG rg ri s S SC sc SCN scn sh T* Tc Td TD Tf Tj TJ TL Tm Tr Ts Tw Tz v w W W* y ' "
INLINE IMAGE""".split())
# ISO 32000-1, 14.8.4: the standard structure types.
STANDARD_TYPES = set("""Document Part Art Sect Div BlockQuote Caption TOC TOCI Index NonStruct Private
H H1 H2 H3 H4 H5 H6 P L LI Lbl LBody Table TR TH TD THead TBody TFoot Span Quote Note Reference BibEntry
Code Link Annot Ruby RB RT RP Warichu WT WP Figure Formula Form""".split())
BLEND_MODES = {"Normal", "Compatible", "Multiply", "Screen", "Overlay", "Darken", "Lighten", "ColorDodge",
               "ColorBurn", "HardLight", "SoftLight", "Difference", "Exclusion", "Hue", "Saturation",
               "Color", "Luminosity"}
FORBIDDEN_ACTIONS = {"Launch", "Sound", "Movie", "ResetForm", "ImportData", "Hide", "SetOCGState",
                     "Rendition", "Trans", "GoTo3DView", "JavaScript"}

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}
RDF = "{%s}" % NS["rdf"]


def name(obj):
    """A PDF name as a Python string without its slash; None otherwise."""
    if isinstance(obj, pikepdf.Name):
        return str(obj)[1:]
    return None


def text(obj):
    if isinstance(obj, pikepdf.String):
        return str(obj)
    return None


def same(a, b):
    """True when two pikepdf objects are the same indirect object."""
    try:
        return a.is_indirect and b.is_indirect and a.objgen == b.objgen
    except AttributeError:
        return False


def dict_get(d, key):
    try:
        return d.get(key)
    except (AttributeError, TypeError, ValueError):
        return None


class TrueType:
    """The few tables of an embedded TrueType program the width and glyph
    rules need: numGlyphs, unitsPerEm and advance widths."""

    def __init__(self, data):
        self.ok = False
        try:
            num_tables = struct.unpack_from(">H", data, 4)[0]
            tables = {}
            for i in range(num_tables):
                tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
                tables[tag.decode("latin-1")] = (offset, length)
            self.units_per_em = struct.unpack_from(">H", data, tables["head"][0] + 18)[0]
            self.num_glyphs = struct.unpack_from(">H", data, tables["maxp"][0] + 4)[0]
            metrics = struct.unpack_from(">H", data, tables["hhea"][0] + 34)[0]
            hmtx = tables["hmtx"][0]
            self.advances = [struct.unpack_from(">H", data, hmtx + 4 * i)[0] for i in range(metrics)]
            self.ok = self.units_per_em > 0 and metrics > 0
        except (KeyError, struct.error):
            self.ok = False

    def width(self, gid):
        return self.advances[min(gid, len(self.advances) - 1)] * 1000.0 / self.units_per_em


def parse_cmap_hex(token):
    return bytes.fromhex(token)


def to_unicode_map(stream):
    """code (bytes) → text from a ToUnicode CMap's bfchar and bfrange sections."""
    data = stream.read_bytes().decode("latin-1")
    mapping = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            mapping[parse_cmap_hex(src)] = parse_cmap_hex(dst).decode("utf-16-be", "replace")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, rest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]*>)", block):
            lo_b, hi_b = parse_cmap_hex(lo), parse_cmap_hex(hi)
            width = len(lo_b)
            start, end = int.from_bytes(lo_b, "big"), int.from_bytes(hi_b, "big")
            if rest.startswith("["):
                targets = re.findall(r"<([0-9A-Fa-f]*)>", rest)
                for i, code in enumerate(range(start, end + 1)):
                    if i < len(targets):
                        mapping[code.to_bytes(width, "big")] = parse_cmap_hex(targets[i]).decode("utf-16-be", "replace")
            else:
                base = parse_cmap_hex(rest[1:-1])
                for i, code in enumerate(range(start, end + 1)):
                    value = bytearray(base)
                    if value:
                        value[-1] = (value[-1] + i) & 0xFF
                    mapping[code.to_bytes(width, "big")] = bytes(value).decode("utf-16-be", "replace")
    return mapping


class Font:
    """What the font rules need to know about one font dictionary."""

    def __init__(self, checker, font, where):
        self.checker = checker
        self.font = font
        self.where = where
        self.subtype = name(font.get("/Subtype"))
        self.composite = self.subtype == "Type0"
        self.unicode = None
        self.program = None
        self.widths = {}
        self.default_width = 1000.0
        self.gid_map = None  # None means Identity
        self.reported = set()
        self._inspect()

    def report(self, rule, message):
        key = (rule, message)
        if key not in self.reported:
            self.reported.add(key)
            self.checker.add(rule, self.where, message)

    def _inspect(self):
        font = self.font
        base = text(font.get("/BaseFont")) or name(font.get("/BaseFont")) or "?"
        self.where = f"{self.where} font {base}"
        if self.subtype == "Type3":
            return
        descendant = font
        if self.composite:
            kids = font.get("/DescendantFonts")
            if not isinstance(kids, pikepdf.Array) or len(kids) != 1:
                self.report("A 6.2.11.3", "a Type0 font without one descendant font")
                return
            descendant = kids[0]
            encoding = font.get("/Encoding")
            ordering = None
            if name(encoding) in ("Identity-H", "Identity-V"):
                ordering = ("Adobe", "Identity")
            elif isinstance(encoding, pikepdf.Stream):
                info = encoding.get("/CIDSystemInfo")
                if info is not None:
                    ordering = (text(info.get("/Registry")), text(info.get("/Ordering")))
            else:
                self.report("A 6.2.11.3", f"CMap {encoding} is neither Identity nor embedded")
            info = descendant.get("/CIDSystemInfo")
            if ordering and (info is None or (text(info.get("/Registry")), text(info.get("/Ordering"))) != ordering):
                self.report("A 6.2.11.3", "CIDSystemInfo does not agree with the CMap")
            if name(descendant.get("/Subtype")) == "CIDFontType2":
                gid_map = descendant.get("/CIDToGIDMap")
                if gid_map is None:
                    self.report("A 6.2.11.3", "CIDFontType2 without /CIDToGIDMap")
                elif isinstance(gid_map, pikepdf.Stream):
                    raw = gid_map.read_bytes()
                    self.gid_map = [struct.unpack_from(">H", raw, i)[0] for i in range(0, len(raw) - 1, 2)]
            self.default_width = float(descendant.get("/DW", 1000))
            self._read_cid_widths(descendant.get("/W"))
        else:
            first = int(font.get("/FirstChar", 0))
            for i, w in enumerate(font.get("/Widths", [])):
                self.widths[first + i] = float(w)
        descriptor = descendant.get("/FontDescriptor")
        program = None
        if descriptor is not None:
            for key in ("/FontFile2", "/FontFile3", "/FontFile"):
                if descriptor.get(key) is not None:
                    program = (key, descriptor.get(key))
                    break
        if program is None:
            self.report("A 6.2.11.4", "font program not embedded")
            self.report("UA 7.21.4.1", "font program not embedded")
        elif program[0] == "/FontFile2":
            self.program = TrueType(program[1].read_bytes())
            if not self.program.ok:
                self.report("A 6.2.11.4", "embedded TrueType program cannot be read")
                self.program = None
        to_unicode = font.get("/ToUnicode")
        if isinstance(to_unicode, pikepdf.Stream):
            self.unicode = to_unicode_map(to_unicode)

    def _read_cid_widths(self, w):
        if not isinstance(w, pikepdf.Array):
            return
        items = list(w)
        i = 0
        while i < len(items):
            first = int(items[i])
            if i + 1 < len(items) and isinstance(items[i + 1], pikepdf.Array):
                for j, width in enumerate(items[i + 1]):
                    self.widths[first + j] = float(width)
                i += 2
            elif i + 2 < len(items):
                last, width = int(items[i + 1]), float(items[i + 2])
                for cid in range(first, last + 1):
                    self.widths[cid] = width
                i += 3
            else:
                break

    def codes(self, data):
        if self.composite:
            return [data[i:i + 2] for i in range(0, len(data) - 1, 2)]
        return [data[i:i + 1] for i in range(len(data))]

    def shown(self, data):
        """Checks the glyph rules for one string shown with this font."""
        if self.subtype == "Type3":
            return
        for code in self.codes(data):
            number = int.from_bytes(code, "big")
            gid = number
            if self.composite and self.gid_map is not None:
                gid = self.gid_map[number] if number < len(self.gid_map) else 0
            if self.composite and gid == 0:
                self.report("A 6.2.11.8", f"code {code.hex()} shows .notdef")
            if self.program is not None:
                if gid >= self.program.num_glyphs:
                    self.report("A 6.2.11.4", f"glyph {gid} is not in the embedded program")
                elif self.composite:
                    declared = self.widths.get(number, self.default_width)
                    actual = self.program.width(gid)
                    if abs(declared - actual) > 1.0:
                        self.report("A 6.2.11.5", f"CID {number}: /W says {declared:g}, the font {actual:.0f}")
            if self.unicode is None:
                self.report("A 6.2.11.7", "no /ToUnicode")
            else:
                value = self.unicode.get(code)
                if value is None:
                    self.report("A 6.2.11.7", f"code {code.hex()} has no Unicode value")
                elif value == "" or any(c in "\x00\ufeff\ufffe" for c in value):
                    self.report("A 6.2.11.7", f"code {code.hex()} maps to {value!r}")


class Checker:
    def __init__(self, path, lang, level):
        self.path = path
        self.lang = lang
        self.level = level
        self.found = []
        self.fonts = {}
        self.page_mcids = {}  # page objgen → set of MCIDs in its content
        self.parent_tree = {}
        self.forms_walked = set()  # (form, marked-content context) already walked

    def add(self, rule, where, message):
        self.found.append(Finding(rule, where, message))

    # -- the file ------------------------------------------------------

    def run(self):
        with open(self.path, "rb") as f:
            raw = f.read()
        self.check_bytes(raw)
        try:
            pdf = pikepdf.open(self.path)
        except pikepdf.PdfError as e:
            self.add("A 6.1.2", "file", f"cannot be read: {e}")
            return self.found
        with pdf:
            self.pdf = pdf
            self.check_trailer(pdf)
            self.check_catalog(pdf)
            self.check_streams(pdf)
            self.read_parent_tree(pdf)
            for number, page in enumerate(pdf.pages, start=1):
                self.check_page(page.obj, number)
            self.check_structure(pdf)
        return self.found

    def check_bytes(self, raw):
        m = re.match(rb"%PDF-1\.(\d)(\r\n|\r|\n)%(....)", raw, re.S)
        if not m or any(b <= 127 for b in m.group(3)):
            self.add("A 6.1.2", "header", "not %PDF-1.n followed by a binary comment")
        if not m or m.group(1) != b"7":
            self.add("UA 6.1", "header", "not PDF 1.7")
        end = raw.rfind(b"%%EOF")
        if end < 0 or raw[end + 5:] not in (b"", b"\n", b"\r\n", b"\r"):
            self.add("A 6.1.3-3", "trailer", "data after the last %%EOF")

    def check_trailer(self, pdf):
        ident = pdf.trailer.get("/ID")
        if not isinstance(ident, pikepdf.Array) or len(ident) != 2 or not all(
                isinstance(x, pikepdf.String) for x in ident):
            self.add("A 6.1.3-1", "trailer", "no /ID of two strings")
        if pdf.trailer.get("/Encrypt") is not None or pdf.is_encrypted:
            self.add("A 6.1.3-2", "trailer", "the file is encrypted")

    def check_streams(self, pdf):
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Stream):
                continue
            where = f"object {obj.objgen[0]}"
            for key in ("/F", "/FFilter", "/FDecodeParms"):
                if obj.get(key) is not None:
                    self.add("A 6.1.7", where, f"stream has {key}")
            filters = obj.get("/Filter")
            names = [name(f) for f in filters] if isinstance(filters, pikepdf.Array) else [name(filters)]
            if "LZWDecode" in names:
                self.add("A 6.1.7", where, "LZWDecode")
            subtype = name(obj.get("/Subtype"))
            if subtype == "Image":
                self.check_image(obj, where)
            if subtype == "Form" and (obj.get("/OPI") is not None or obj.get("/PS") is not None
                                      or obj.get("/Ref") is not None):
                self.add("A 6.2.9", where, "form XObject with /OPI, /PS or /Ref")

    def check_image(self, image, where):
        if image.get("/Alternates") is not None or image.get("/OPI") is not None:
            self.add("A 6.2.8", where, "image with /Alternates or /OPI")
        if bool(image.get("/Interpolate", False)):
            self.add("A 6.2.8", where, "image with /Interpolate true")
        bits = image.get("/BitsPerComponent")
        if bits is not None and int(bits) not in (1, 2, 4, 8, 16):
            self.add("A 6.2.8", where, f"image with {int(bits)} bits per component")

    # -- the catalog and metadata ---------------------------------------

    def check_catalog(self, pdf):
        root = pdf.Root
        mark = root.get("/MarkInfo")
        if mark is None or not bool(mark.get("/Marked", False)):
            self.add("UA 6.2", "catalog", "no /MarkInfo /Marked true")
        if mark is not None and bool(mark.get("/Suspects", False)):
            self.add("UA 7.1-4", "catalog", "/MarkInfo /Suspects true")
        lang = text(root.get("/Lang"))
        if lang != self.lang:
            self.add("UA 7.2-lang", "catalog", f"/Lang is {lang!r}, expected {self.lang!r}")
        prefs = root.get("/ViewerPreferences")
        if prefs is None or not bool(prefs.get("/DisplayDocTitle", False)):
            self.add("UA 7.1-10", "catalog", "no /ViewerPreferences /DisplayDocTitle true")
        tree = root.get("/StructTreeRoot")
        if tree is None or tree.get("/ParentTree") is None or tree.get("/ParentTreeNextKey") is None:
            self.add("UA 7.1-11", "catalog", "no /StructTreeRoot with /ParentTree and /ParentTreeNextKey")
        if root.get("/AA") is not None:
            self.add("A 6.5", "catalog", "catalog has /AA")
        for key in ("/NeedsRendering", "/Requirements"):
            if root.get(key) is not None:
                self.add("A 6.10", "catalog", f"catalog has {key}")
        names = root.get("/Names")
        if names is not None:
            for key in ("/JavaScript", "/AlternatePresentations"):
                if names.get(key) is not None:
                    self.add("A 6.5" if key == "/JavaScript" else "A 6.10", "catalog", f"names have {key}")
        form = root.get("/AcroForm")
        if form is not None and bool(form.get("/NeedAppearances", False)):
            self.add("A 6.3.3", "catalog", "/NeedAppearances true")
        self.check_output_intents(root)
        self.check_metadata(pdf, root)

    def check_output_intents(self, root):
        intents = root.get("/OutputIntents")
        pdfa = [i for i in (intents or []) if name(i.get("/S")) == "GTS_PDFA1"]
        if len(pdfa) != 1:
            self.add("A 6.2.3", "catalog", f"{len(pdfa)} GTS_PDFA1 output intents")
            return
        profile = pdfa[0].get("/DestOutputProfile")
        if not isinstance(profile, pikepdf.Stream):
            self.add("A 6.2.3", "output intent", "no /DestOutputProfile stream")
            return
        data = profile.read_bytes()
        if len(data) < 128 or data[36:40] != b"acsp":
            self.add("A 6.2.3", "output intent", "the profile is not an ICC profile")
        elif data[12:16] not in (b"mntr", b"prtr") or data[16:20] != b"RGB " or int(profile.get("/N", 0)) != 3:
            self.add("A 6.2.3", "output intent", "the profile is not an RGB monitor or printer profile")
        elif data[8] > 4:
            self.add("A 6.2.3", "output intent", f"ICC version {data[8]} is newer than ISO 15076-1")

    def check_metadata(self, pdf, root):
        meta = root.get("/Metadata")
        if not isinstance(meta, pikepdf.Stream) or name(meta.get("/Type")) != "Metadata" \
                or name(meta.get("/Subtype")) != "XML":
            self.add("A 6.6.2.1", "catalog", "no /Metadata stream of /Type /Metadata /Subtype /XML")
            self.add("UA 7.1-9", "catalog", "no XMP, so no dc:title")
            return
        if meta.get("/Filter") is not None:
            self.add("A 6.6.2.1", "metadata", "the XMP stream is filtered")
        raw = meta.read_bytes()
        header = re.search(rb"<\?xpacket begin=[^?]*\?>", raw)
        if header and (b"bytes=" in header.group(0) or b"encoding=" in header.group(0)):
            self.add("A 6.6.2.1", "metadata", "xpacket header with bytes or encoding")
        try:
            xml = raw.decode("utf-8")
            tree = ET.fromstring(re.sub(r"<\?xpacket[^?]*\?>", "", xml).strip())
        except (UnicodeDecodeError, ET.ParseError) as e:
            self.add("A 6.6.2.1", "metadata", f"the XMP is not well-formed UTF-8 XML: {e}")
            return
        props = self.xmp_properties(tree)
        title = props.get(("dc", "title"))
        if not title:
            self.add("UA 7.1-9", "metadata", "no dc:title")
        if props.get(("pdfuaid", "part")) != "1":
            self.add("UA 5", "metadata", f"pdfuaid:part is {props.get(('pdfuaid', 'part'))!r}")
        if props.get(("pdfaid", "part")) != "2":
            self.add("A 6.6.4", "metadata", f"pdfaid:part is {props.get(('pdfaid', 'part'))!r}")
        conformance = props.get(("pdfaid", "conformance"))
        if conformance not in self.level:
            self.add("A 6.6.4", "metadata", f"pdfaid:conformance is {conformance!r}, expected one of {self.level}")
        described = {(s.get("namespaceURI"), s.get("prefix")) for s in self.extension_schemas(tree)}
        uses_pdfuaid = any(prefix == "pdfuaid" for prefix, _ in props)
        if uses_pdfuaid and (NS["pdfuaid"], "pdfuaid") not in described:
            self.add("A 6.6.2.3", "metadata", "no PDF/A extension schema describes pdfuaid")
        self.check_info_agrees(pdf, props)

    @staticmethod
    def xmp_properties(tree):
        """(prefix, local name) → value: text, the first rdf:li, or the
        attribute form of rdf:Description."""
        by_uri = {uri: prefix for prefix, uri in NS.items()}
        props = {}

        def key(tag):
            m = re.match(r"\{([^}]*)\}(.*)", tag)
            if m and m.group(1) in by_uri:
                return by_uri[m.group(1)], m.group(2)
            return None

        for desc in tree.iter(RDF + "Description"):
            for attr, value in desc.attrib.items():
                k = key(attr)
                if k and k[0] != "rdf":
                    props.setdefault(k, value)
            for child in desc:
                k = key(child.tag)
                if not k or k[0] in ("rdf", "pdfaExtension"):
                    continue
                items = [li.text or "" for li in child.iter(RDF + "li")]
                props.setdefault(k, items[0] if items else (child.text or "").strip())
        return props

    @staticmethod
    def extension_schemas(tree):
        schemas = []
        for container in tree.iter("{%s}schemas" % NS["pdfaExtension"]):
            for li in container.iter(RDF + "li"):
                fields = {}
                for child in li:
                    m = re.match(r"\{%s\}(.*)" % re.escape(NS["pdfaSchema"]), child.tag)
                    if m:
                        fields[m.group(1)] = (child.text or "").strip()
                for attr, value in li.attrib.items():
                    m = re.match(r"\{%s\}(.*)" % re.escape(NS["pdfaSchema"]), attr)
                    if m:
                        fields[m.group(1)] = value
                if fields:
                    schemas.append(fields)
        return schemas

    def check_info_agrees(self, pdf, props):
        info = pdf.trailer.get("/Info")
        if info is None:
            return
        pairs = [("/Title", ("dc", "title")), ("/Author", ("dc", "creator")),
                 ("/Subject", ("dc", "description")), ("/Keywords", ("pdf", "Keywords")),
                 ("/Creator", ("xmp", "CreatorTool")), ("/Producer", ("pdf", "Producer")),
                 ("/CreationDate", ("xmp", "CreateDate")), ("/ModDate", ("xmp", "ModifyDate"))]
        for key, prop in pairs:
            value = info.get(key)
            if value is None:
                continue
            value = str(value)
            xmp = props.get(prop)
            if key.endswith("Date"):
                value, xmp = pdf_date(value), xmp_date(xmp)
            if xmp is None or value != xmp:
                self.add("A 6.6.3", "metadata", f"Info {key} {value!r} but XMP {':'.join(prop)} {xmp!r}")

    # -- pages ------------------------------------------------------------

    def read_parent_tree(self, pdf):
        tree = dict_get(pdf.Root.get("/StructTreeRoot"), "/ParentTree")
        if tree is None:
            return
        try:
            self.parent_tree = {int(k): v for k, v in pikepdf.NumberTree(tree).items()}
        except (TypeError, ValueError, pikepdf.PdfError) as e:
            self.add("UA 7.1-11", "parent tree", f"cannot be read: {e}")
        next_key = dict_get(pdf.Root.get("/StructTreeRoot"), "/ParentTreeNextKey")
        if self.parent_tree and (next_key is None or int(next_key) <= max(self.parent_tree)):
            self.add("UA 7.1-11", "parent tree", "/ParentTreeNextKey is not above every key")

    def check_page(self, page, number):
        where = f"page {number}"
        if page.get("/AA") is not None:
            self.add("A 6.5", where, "page has /AA")
        if page.get("/PresSteps") is not None:
            self.add("A 6.10", where, "page has /PresSteps")
        mcids = {}
        state = {"stack": [], "mcids": mcids, "font": None}
        self.walk_content(page, page.get("/Resources"), where, state, set())
        self.page_mcids[page.objgen] = set(mcids)
        if mcids:
            key = page.get("/StructParents")
            if key is None:
                self.add("cp mcid", where, "the page has MCIDs but no /StructParents")
            else:
                entries = self.parent_tree.get(int(key))
                for mcid in mcids:
                    elem = entries[mcid] if isinstance(entries, pikepdf.Array) and mcid < len(entries) else None
                    if not isinstance(elem, pikepdf.Dictionary) or not self.element_holds(elem, mcid, page):
                        self.add("cp mcid", where, f"MCID {mcid} does not lead to a structure element that holds it")
        self.check_annotations(page, where)

    def walk_content(self, holder, resources, where, state, seen):
        try:
            instructions = pikepdf.parse_content_stream(holder)
        except pikepdf.PdfError as e:
            self.add("A 6.2.2-1", where, f"content cannot be parsed: {e}")
            return
        stack = state["stack"]
        for operands, operator in instructions:
            op = str(operator)
            if op not in OPERATORS:
                self.add("A 6.2.2-1", where, f"operator {op} is not in ISO 32000-1")
            if op in ("BMC", "BDC"):
                self.begin_marked(operands, op, resources, where, state)
            elif op == "EMC":
                if stack:
                    stack.pop()
                else:
                    self.add("UA 7.1-3", where, "EMC without BMC/BDC")
            elif op == "Tf" and operands:
                state["font"] = self.font(resources, operands[0], where)
            elif op == "gs" and operands:
                self.check_ext_gstate(resources, operands[0], where)
            if op in PAINT:
                kinds = [k for k, _ in stack]
                if "tagged" not in kinds and "artifact" not in kinds:
                    self.add("UA 7.1-3", where, f"{op} is neither tagged nor an artifact")
            if op in TEXT_SHOW and state["font"] is not None:
                for s in self.shown_strings(op, operands):
                    state["font"].shown(s)
            if op == "Do" and operands:
                xobject = dict_get(dict_get(resources, "/XObject"), operands[0])
                if isinstance(xobject, pikepdf.Stream) and name(xobject.get("/Subtype")) == "Form" \
                        and xobject.objgen not in seen:
                    # A form drawn many times (print.pdf draws each page as
                    # one) in the same context is walked once, unless it
                    # holds marked content of its own.
                    key = (xobject.objgen, tuple(k for k, _ in stack))
                    if key in self.forms_walked:
                        continue
                    inner = xobject.get("/Resources") or resources
                    saved_font = state["font"]
                    before = len(state["mcids"])
                    self.walk_content(xobject, inner, f"{where} form {xobject.objgen[0]}", state,
                                      seen | {xobject.objgen})
                    state["font"] = saved_font
                    if len(state["mcids"]) == before:
                        self.forms_walked.add(key)
        if stack and holder.get("/Type") == "/Page":
            self.add("UA 7.1-3", where, "marked content left open at the end of the page")

    def begin_marked(self, operands, op, resources, where, state):
        stack = state["stack"]
        tag = name(operands[0]) if operands else None
        props = operands[1] if op == "BDC" and len(operands) > 1 else None
        if isinstance(props, pikepdf.Name):
            props = dict_get(dict_get(resources, "/Properties"), props)
        mcid = dict_get(props, "/MCID") if isinstance(props, pikepdf.Dictionary) else None
        kinds = [k for k, _ in stack]
        if tag == "Artifact":
            if "tagged" in kinds:
                self.add("UA 7.1-1", where, "an artifact inside tagged content")
            stack.append(("artifact", None))
        elif mcid is not None:
            if "artifact" in kinds:
                self.add("UA 7.1-2", where, f"MCID {int(mcid)} inside an artifact")
            if "tagged" in kinds:
                self.add("cp mcid", where, f"MCID {int(mcid)} inside another MCID")
            if int(mcid) in state["mcids"]:
                self.add("cp mcid", where, f"MCID {int(mcid)} used twice")
            state["mcids"][int(mcid)] = tag
            stack.append(("tagged", int(mcid)))
        else:
            stack.append(("other", None))

    def font(self, resources, font_name, where):
        font = dict_get(dict_get(resources, "/Font"), font_name)
        if not isinstance(font, pikepdf.Dictionary):
            self.add("A 6.2.2-2", where, f"font {font_name} is not in the resources")
            return None
        key = font.objgen if font.is_indirect else id(font)
        if key not in self.fonts:
            self.fonts[key] = Font(self, font, where)
        return self.fonts[key]

    @staticmethod
    def shown_strings(op, operands):
        if op == "TJ":
            return [bytes(x) for x in operands[0] if isinstance(x, pikepdf.String)]
        if op == '"':
            return [bytes(operands[2])]
        return [bytes(operands[0])]

    def check_ext_gstate(self, resources, gs_name, where):
        gs = dict_get(dict_get(resources, "/ExtGState"), gs_name)
        if gs is None:
            return
        if gs.get("/TR") is not None or gs.get("/HTP") is not None:
            self.add("A 6.2.5", where, "ExtGState with /TR or /HTP")
        tr2 = gs.get("/TR2")
        if tr2 is not None and name(tr2) != "Default":
            self.add("A 6.2.5", where, "ExtGState with /TR2 other than /Default")
        bm = gs.get("/BM")
        modes = [name(m) for m in bm] if isinstance(bm, pikepdf.Array) else ([name(bm)] if bm is not None else [])
        for mode in modes:
            if mode not in BLEND_MODES:
                self.add("A 6.2.5", where, f"blend mode {mode}")

    def check_annotations(self, page, where):
        annots = page.get("/Annots")
        if not annots:
            return
        if name(page.get("/Tabs")) != "S":
            self.add("UA 7.18.3", where, "a page with annotations has no /Tabs /S")
        for annot in annots:
            subtype = name(annot.get("/Subtype"))
            flags = int(annot.get("/F", 0))
            if subtype != "Popup" and (not flags & 4 or flags & (1 | 2 | 32 | 256)):
                self.add("A 6.3.2", where, f"{subtype} annotation does not print or is hidden")
            rect = [float(x) for x in annot.get("/Rect", [0, 0, 0, 0])]
            zero = rect[0] == rect[2] and rect[1] == rect[3]
            ap = annot.get("/AP")
            if ap is None and subtype not in ("Link", "Popup") and not zero:
                self.add("A 6.3.3", where, f"{subtype} annotation without an appearance")
            if ap is not None and set(ap.keys()) != {"/N"}:
                self.add("A 6.3.3", where, f"{subtype} annotation appearance has {sorted(ap.keys())}")
            action = annot.get("/A")
            if action is not None and name(action.get("/S")) in FORBIDDEN_ACTIONS:
                self.add("A 6.5", where, f"{name(action.get('/S'))} action")
            if annot.get("/AA") is not None:
                self.add("A 6.5", where, "annotation with /AA")
            key = annot.get("/StructParent")
            elem = self.parent_tree.get(int(key)) if key is not None else None
            if subtype not in ("Widget", "PrinterMark", "Popup") and not isinstance(elem, pikepdf.Dictionary):
                self.add("UA 7.18.1", where, f"{subtype} annotation is not in the structure tree")
            if subtype == "Link":
                if not text(annot.get("/Contents")):
                    self.add("UA 7.18.5", where, "link without /Contents")
                if isinstance(elem, pikepdf.Dictionary) and (
                        name(elem.get("/S")) != "Link" or not self.holds_objr(elem, annot)):
                    self.add("UA 7.18.5", where, "link annotation's element is not a Link with its OBJR")

    # -- the structure tree ---------------------------------------------------

    @staticmethod
    def kids(elem):
        k = elem.get("/K")
        if k is None:
            return []
        return list(k) if isinstance(k, pikepdf.Array) else [k]

    def element_holds(self, elem, mcid, page):
        for kid in self.kids(elem):
            if isinstance(kid, int) and not isinstance(kid, bool) and int(kid) == mcid:
                pg = elem.get("/Pg")
                if pg is None or same(pg, page):
                    return True
            elif isinstance(kid, pikepdf.Dictionary) and name(kid.get("/Type")) == "MCR":
                pg = kid.get("/Pg") or elem.get("/Pg")
                if int(kid.get("/MCID", -1)) == mcid and (pg is None or same(pg, page)):
                    return True
        return False

    def holds_objr(self, elem, annot):
        for kid in self.kids(elem):
            if isinstance(kid, pikepdf.Dictionary) and name(kid.get("/Type")) == "OBJR" \
                    and same(kid.get("/Obj"), annot):
                return True
        return False

    def check_structure(self, pdf):
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return
        self.role_map = {}
        roles = root.get("/RoleMap")
        if roles is not None:
            for k, v in roles.items():
                self.role_map[k[1:]] = name(v)
            for k in self.role_map:
                if k in STANDARD_TYPES:
                    self.add("UA 7.1-5", "role map", f"standard type {k} is remapped")
        top = [k for k in self.kids(root) if isinstance(k, pikepdf.Dictionary)]
        if len(top) != 1 or self.role(top[0]) != "Document":
            self.add("cp root", "structure", "the root is not one Document element")
        self.headings = []
        self.note_ids = collections.Counter()
        seen = set()
        for elem in top:
            if not same(elem.get("/P"), root):
                self.add("UA 7.1-12", "structure", "a top element's /P is not the StructTreeRoot")
            self.walk_element(elem, None, "Document", seen)
        self.check_headings()
        for ident, count in self.note_ids.items():
            if count > 1:
                self.add("UA 7.9", "structure", f"Note /ID {ident!r} used {count} times")

    def role(self, elem):
        s = name(elem.get("/S"))
        hops = set()
        while s not in STANDARD_TYPES and s in self.role_map and s not in hops:
            hops.add(s)
            s = self.role_map[s]
        return s

    def walk_element(self, elem, page, path, seen):
        if elem.objgen in seen:
            self.add("UA 7.1-12", path, "the structure tree has a cycle")
            return
        seen.add(elem.objgen)
        s = self.role(elem)
        where = f"structure {path}"
        if s not in STANDARD_TYPES:
            self.add("UA 7.1-5", where, f"type {name(elem.get('/S'))} is not standard and not mapped")
        page = elem.get("/Pg") or page
        children = []
        for kid in self.kids(elem):
            if isinstance(kid, pikepdf.Dictionary) and name(kid.get("/Type")) in ("MCR", "OBJR"):
                if name(kid.get("/Type")) == "MCR":
                    self.expect_mcid(int(kid.get("/MCID", -1)), kid.get("/Pg") or page, where)
            elif isinstance(kid, pikepdf.Dictionary):
                children.append(kid)
            elif isinstance(kid, int):
                self.expect_mcid(int(kid), page, where)
        kinds = [self.role(c) for c in children]
        self.check_shape(elem, s, kinds, children, where)
        for i, child in enumerate(children):
            if not same(child.get("/P"), elem):
                self.add("UA 7.1-12", where, f"kid {i} ({kinds[i]}) has another /P")
            self.walk_element(child, page, f"{path}/{kinds[i]}[{i}]", seen)

    def expect_mcid(self, mcid, page, where):
        if page is None or mcid not in self.page_mcids.get(page.objgen, set()):
            self.add("cp mcid", where, f"MCID {mcid} is not in its page's content")

    def check_shape(self, elem, s, kinds, children, where):
        if re.fullmatch(r"H[1-6]?", s or ""):
            self.headings.append((s, where))
        if s == "Figure" and not (text(elem.get("/Alt")) or text(elem.get("/ActualText"))):
            self.add("UA 7.3", where, "Figure without /Alt")
        if s == "Formula" and not (text(elem.get("/Alt")) or text(elem.get("/ActualText"))):
            self.add("UA 7.3", where, "Formula without /Alt")
        if s == "Note":
            ident = text(elem.get("/ID"))
            if not ident:
                self.add("UA 7.9", where, "Note without /ID")
            else:
                self.note_ids[ident] += 1
        allowed = {
            "Table": {"TR", "THead", "TBody", "TFoot", "Caption"},
            "THead": {"TR"}, "TBody": {"TR"}, "TFoot": {"TR"}, "TR": {"TH", "TD"},
            "L": {"L", "LI", "Caption"}, "LI": {"Lbl", "LBody"}, "TOC": {"TOC", "TOCI", "Caption"},
        }
        rule = {"Table": "UA 7.2-table", "THead": "UA 7.2-table", "TBody": "UA 7.2-table",
                "TFoot": "UA 7.2-table", "TR": "UA 7.2-table", "L": "UA 7.2-list", "LI": "UA 7.2-list",
                "TOC": "UA 7.2-toc"}
        if s in allowed:
            for kind in kinds:
                if kind not in allowed[s]:
                    self.add(rule[s], where, f"{s} holds {kind}")
        parents = {"TR": {"Table", "THead", "TBody", "TFoot"}, "TH": {"TR"}, "TD": {"TR"},
                   "LI": {"L"}, "LBody": {"LI"}, "Lbl": {"LI"}, "TOCI": {"TOC"}}
        for kind in kinds:
            if kind in parents and s not in parents[kind]:
                self.add(rule.get(kind, "UA 7.2-table" if kind in ("TR", "TH", "TD")
                                  else "UA 7.2-list" if kind in ("LI", "LBody", "Lbl") else "UA 7.2-toc"),
                         where, f"{kind} inside {s}")
        if s == "Table":
            if kinds.count("THead") > 1 or kinds.count("TFoot") > 1:
                self.add("UA 7.2-table", where, "more than one THead or TFoot")
            if ("THead" in kinds or "TFoot" in kinds) and "TBody" not in kinds:
                self.add("UA 7.2-table", where, "THead or TFoot without TBody")
            self.check_table_grid(elem, where)
        if s == "TH" and self.scope(elem) is None:
            self.add("UA 7.5", where, "TH without /Scope")
        if s == "H" and any(re.fullmatch(r"H[1-6]", k or "") for k in kinds):
            self.add("UA 7.4", where, "H and Hn mixed")

    def scope(self, elem):
        attrs = elem.get("/A")
        items = list(attrs) if isinstance(attrs, pikepdf.Array) else ([attrs] if attrs is not None else [])
        for a in items:
            if isinstance(a, pikepdf.Dictionary) and name(a.get("/O")) == "Table" and a.get("/Scope") is not None:
                return name(a.get("/Scope"))
        return None

    def span(self, cell, key):
        attrs = cell.get("/A")
        items = list(attrs) if isinstance(attrs, pikepdf.Array) else ([attrs] if attrs is not None else [])
        for a in items:
            if isinstance(a, pikepdf.Dictionary) and a.get(key) is not None:
                return int(a.get(key))
        return 1

    def check_table_grid(self, table, where):
        rows = []
        for kid in self.kids(table):
            if not isinstance(kid, pikepdf.Dictionary):
                continue
            kind = self.role(kid)
            if kind == "TR":
                rows.append(kid)
            elif kind in ("THead", "TBody", "TFoot"):
                rows.extend(r for r in self.kids(kid) if isinstance(r, pikepdf.Dictionary) and self.role(r) == "TR")
        occupied = collections.defaultdict(set)
        widths = []
        for r, row in enumerate(rows):
            col = 0
            for cell in self.kids(row):
                if not isinstance(cell, pikepdf.Dictionary):
                    continue
                while col in occupied[r]:
                    col += 1
                cols, span_rows = self.span(cell, "/ColSpan"), self.span(cell, "/RowSpan")
                for dr in range(span_rows):
                    for dc in range(cols):
                        occupied[r + dr].add(col + dc)
                col += cols
            widths.append(len(occupied[r]))
        if len(set(widths)) > 1:
            self.add("UA 7.2-table", where, f"rows of different widths {widths}")

    def check_headings(self):
        previous = 0
        for s, where in self.headings:
            if s == "H":
                continue
            level = int(s[1])
            if previous == 0 and level != 1:
                self.add("UA 7.4", where, f"the first heading is {s}")
            elif previous and level > previous + 1:
                self.add("UA 7.4", where, f"H{previous} is followed by {s}")
            previous = level
        if any(s == "H" for s, _ in self.headings) and any(s != "H" for s, _ in self.headings):
            self.add("UA 7.4", "structure", "H and Hn mixed")


def pdf_date(value):
    """D:YYYYMMDDHHmmSS+HH'mm' → YYYY-MM-DDTHH:mm:SS+HH:mm (as far as given)."""
    m = re.match(r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?", value or "")
    if not m:
        return value
    y, mo, d, h, mi, s, tz, th, tm = m.groups()
    out = f"{y}-{mo or '01'}-{d or '01'}T{h or '00'}:{mi or '00'}:{s or '00'}"
    if tz in ("Z", "z") or (tz in ("+", "-") and th == "00" and (tm or "00") == "00"):
        return out + "Z"
    if tz:
        out += f"{tz}{th or '00'}:{tm or '00'}"
    return out


def xmp_date(value):
    if value is None:
        return None
    m = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$",
                 value.strip())
    if not m:
        return value
    y, mo, d, h, mi, s, tz = m.groups()
    out = f"{y}-{mo or '01'}-{d or '01'}T{h or '00'}:{mi or '00'}:{s or '00'}"
    if tz in ("+00:00", "-00:00"):
        tz = "Z"
    return out + (tz or "")


def findings(path, lang="sv-SE", level="AU", only=""):
    """The findings for one file; with `only`, those of the rules whose name
    starts with it ("A " for PDF/A-2 alone)."""
    return [f for f in Checker(path, lang, level).run() if f.rule.startswith(only)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", default="sv-SE", help="the expected /Lang (default sv-SE)")
    parser.add_argument("--level", default="AU", help="accepted pdfaid:conformance letters (default AU)")
    parser.add_argument("--only", default="", help="check only the rules whose name starts with this, e.g. 'A ' for PDF/A")
    parser.add_argument("--rules", action="store_true", help="list the rules checked and exit")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args(argv)
    if args.rules:
        for rule, what in RULES.items():
            print(f"{rule}\t{what}")
        return 0
    bad = 0
    for path in args.files:
        for f in findings(path, args.lang, args.level, args.only):
            print(f"{path}: {f.rule}: {f.where}: {f.message}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
