#!/usr/bin/env python3
"""The PDF/UA-1 and PDF/A-2 checker (pdfcheck.py) against PDFs made here.

A small tagged, archivable PDF is built with pikepdf from parts a real
document has (a heading, a paragraph, a table, a list, a figure, a link, a
footnote, a contents entry, a page-number artifact, an embedded TrueType
font). The checker must find nothing in it. Then each rule is broken on its
own, one copy at a time, and the checker must name that rule. Every rule the
checker lists is broken at least once, so none of them can pass by accident.

    test_pdfcheck.py
"""
import io
import os
import struct
import sys
import tempfile
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import checks  # noqa: E402
import pdfcheck  # noqa: E402

import pikepdf  # noqa: E402
from pikepdf import Array, Dictionary, Name, String  # noqa: E402

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
ICC = "/usr/share/color/icc/sRGB.icc"

XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
  xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
  xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
  xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
  xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
{title}<pdf:Producer>coursepack</pdf:Producer>
<xmp:CreateDate>2026-09-21T10:00:00Z</xmp:CreateDate>
<pdfaid:part>{part}</pdfaid:part><pdfaid:conformance>A</pdfaid:conformance>
<pdfuaid:part>{uapart}</pdfuaid:part>
{extension}</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
TITLE = '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Testdokument</rdf:li></rdf:Alt></dc:title>\n'
EXTENSION = """<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name><pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
"""


def xmp(title=TITLE, part="2", uapart="1", extension=EXTENSION):
    return XMP.format(title=title, part=part, uapart=uapart, extension=extension).encode("utf-8")


def truetype_tables(data):
    count = struct.unpack_from(">H", data, 4)[0]
    tables = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag.decode("latin-1")] = (offset, length)
    return tables


def glyph_ids(data, text):
    """Unicode → glyph id through the font's format 4 cmap (BMP text only)."""
    tables = truetype_tables(data)
    cmap = tables["cmap"][0]
    count = struct.unpack_from(">H", data, cmap + 2)[0]
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        sub = cmap + offset
        if platform == 3 and encoding == 1 and struct.unpack_from(">H", data, sub)[0] == 4:
            break
    else:
        raise SystemExit("the test font has no format 4 Unicode cmap")
    segments = struct.unpack_from(">H", data, sub + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, sub + 14)
    starts = struct.unpack_from(f">{segments}H", data, sub + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, sub + 16 + 4 * segments)
    range_at = sub + 16 + 6 * segments
    ranges = struct.unpack_from(f">{segments}H", data, range_at)
    gids = []
    for ch in text:
        c = ord(ch)
        for s in range(segments):
            if starts[s] <= c <= ends[s]:
                if ranges[s] == 0:
                    gids.append((c + deltas[s]) & 0xFFFF)
                else:
                    at = range_at + 2 * s + ranges[s] + 2 * (c - starts[s])
                    g = struct.unpack_from(">H", data, at)[0]
                    gids.append((g + deltas[s]) & 0xFFFF if g else 0)
                break
        else:
            gids.append(0)
    return gids


def advance(data, gid):
    tables = truetype_tables(data)
    upem = struct.unpack_from(">H", data, tables["head"][0] + 18)[0]
    metrics = struct.unpack_from(">H", data, tables["hhea"][0] + 34)[0]
    at = tables["hmtx"][0] + 4 * min(gid, metrics - 1)
    return round(struct.unpack_from(">H", data, at)[0] * 1000 / upem)


TEXTS = ["Innehåll", "Rubrik", "Ett stycke text.", "Kolumn", "Värde", "1.", "Punkt", "Länk", "Fotnot"]


class Sample:
    """One tagged page; `content` is the page's content stream, so the
    marked-content mutations can change it."""

    def __init__(self, font_data):
        self.font_data = font_data
        self.gids = {t: glyph_ids(font_data, t) for t in TEXTS}

    def show(self, t):
        return "<" + "".join(f"{g:04X}" for g in self.gids[t]) + "> Tj"

    def content(self):
        s = self.show
        return "\n".join([
            "/Artifact <</Type /Pagination>> BDC 0.9 g 0 800 595 42 re f EMC",
            f"/TOCI <</MCID 0>> BDC BT /F1 11 Tf 72 780 Td {s('Innehåll')} ET EMC",
            f"/H1 <</MCID 1>> BDC BT /F1 24 Tf 72 740 Td {s('Rubrik')} ET EMC",
            f"/P <</MCID 2>> BDC BT /F1 11 Tf 72 710 Td {s('Ett stycke text.')} ET EMC",
            f"/TH <</MCID 3>> BDC BT /F1 11 Tf 72 680 Td {s('Kolumn')} ET EMC",
            f"/TD <</MCID 4>> BDC BT /F1 11 Tf 72 660 Td {s('Värde')} ET EMC",
            f"/Lbl <</MCID 5>> BDC BT /F1 11 Tf 72 630 Td {s('1.')} ET EMC",
            f"/LBody <</MCID 6>> BDC BT /F1 11 Tf 90 630 Td {s('Punkt')} ET EMC",
            "/Figure <</MCID 7>> BDC q 50 0 0 50 72 560 cm /Im1 Do Q EMC",
            f"/Link <</MCID 8>> BDC BT /F1 11 Tf 72 530 Td {s('Länk')} ET EMC",
            f"/Note <</MCID 9>> BDC BT /F1 8 Tf 72 60 Td {s('Fotnot')} ET EMC",
            "/Artifact <</Type /Layout>> BDC 0 G 72 520 m 300 520 l S EMC",
        ]).encode("ascii")

    def build(self, content=None):
        pdf = pikepdf.new()
        used = sorted({g for t in TEXTS for g in self.gids[t]})
        widths = Array()
        for g in used:
            widths.extend([g, Array([advance(self.font_data, g)])])
        bfchars = []
        for t in TEXTS:
            for ch, g in zip(t, self.gids[t]):
                bfchars.append(f"<{g:04X}> <{ord(ch):04X}>")
        cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
                "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
                "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
                "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
                f"{len(set(bfchars))} beginbfchar\n" + "\n".join(sorted(set(bfchars))) +
                "\nendbfchar endcmap CMapName currentdict /CMap defineresource pop end end\n")
        descriptor = pdf.make_indirect(Dictionary(
            Type=Name.FontDescriptor, FontName=Name("/DejaVuSans"), Flags=32,
            FontBBox=Array([-1021, -463, 1793, 1232]), ItalicAngle=0, Ascent=928, Descent=-236,
            CapHeight=729, StemV=80, FontFile2=pdf.make_stream(self.font_data)))
        cidfont = pdf.make_indirect(Dictionary(
            Type=Name.Font, Subtype=Name.CIDFontType2, BaseFont=Name("/DejaVuSans"),
            CIDSystemInfo=Dictionary(Registry=String("Adobe"), Ordering=String("Identity"), Supplement=0),
            FontDescriptor=descriptor, W=widths, CIDToGIDMap=Name.Identity))
        font = pdf.make_indirect(Dictionary(
            Type=Name.Font, Subtype=Name.Type0, BaseFont=Name("/DejaVuSans"), Encoding=Name("/Identity-H"),
            DescendantFonts=Array([cidfont]), ToUnicode=pdf.make_stream(cmap.encode("ascii"))))
        image = pdf.make_stream(bytes([200, 0, 0, 0, 200, 0, 0, 0, 200, 200, 200, 0]),
                                Type=Name.XObject, Subtype=Name.Image, Width=2, Height=2,
                                ColorSpace=Name.DeviceRGB, BitsPerComponent=8)
        page = pdf.add_blank_page(page_size=(595, 842))
        page.obj.Resources = Dictionary(Font=Dictionary(F1=font), XObject=Dictionary(Im1=image))
        page.obj.Contents = pdf.make_stream(content if content is not None else self.content())
        page.obj.StructParents = 0
        page.obj.Tabs = Name.S
        pg = page.obj

        root = pdf.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        elements = {}

        def elem(kind, parent, kids=None, **extra):
            e = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name("/" + kind), P=parent, Pg=pg, **extra))
            if kids is not None:
                e.K = kids
            return e

        document = elem("Document", root)
        toc = elem("TOC", document)
        toci = elem("TOCI", toc, 0)
        h1 = elem("H1", document, 1)
        p = elem("P", document, 2)
        table = elem("Table", document)
        thead = elem("THead", table)
        tbody = elem("TBody", table)
        tr1 = elem("TR", thead)
        tr2 = elem("TR", tbody)
        th = elem("TH", tr1, 3, A=Dictionary(O=Name.Table, Scope=Name.Column))
        td = elem("TD", tr2, 4)
        lst = elem("L", document)
        li = elem("LI", lst)
        lbl = elem("Lbl", li, 5)
        lbody = elem("LBody", li, 6)
        figure = elem("Figure", document, 7, Alt=String("En röd och grön ruta"))
        lp = elem("P", document)
        annot = pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=Array([72, 525, 110, 540]), F=4,
            Border=Array([0, 0, 0]), Contents=String("Länk till kursens sida"), StructParent=1,
            A=Dictionary(S=Name.URI, URI=String("https://example.org/"))))
        link = elem("Link", lp, Array([8, Dictionary(Type=Name.OBJR, Obj=annot, Pg=pg)]))
        note = elem("Note", document, 9, ID=String("fn1"))
        toc.K = Array([toci])
        table.K = Array([thead, tbody])
        thead.K = Array([tr1])
        tbody.K = Array([tr2])
        tr1.K = Array([th])
        tr2.K = Array([td])
        lst.K = Array([li])
        li.K = Array([lbl, lbody])
        lp.K = Array([link])
        document.K = Array([toc, h1, p, table, lst, figure, lp, note])
        root.K = Array([document])
        root.ParentTree = pdf.make_indirect(Dictionary(Nums=Array([
            0, Array([toci, h1, p, th, td, lbl, lbody, figure, link, note]), 1, link])))
        root.ParentTreeNextKey = 2
        pg.Annots = Array([annot])
        elements.update(document=document, toc=toc, h1=h1, p=p, table=table, tr1=tr1, th=th, li=li,
                        figure=figure, link=link, note=note, annot=annot, cidfont=cidfont, font=font,
                        descriptor=descriptor, image=image, page=pg, root=root)

        pdf.Root.MarkInfo = Dictionary(Marked=True)
        pdf.Root.Lang = String("sv-SE")
        pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)
        pdf.Root.StructTreeRoot = root
        metadata = pdf.make_stream(xmp(), Type=Name.Metadata, Subtype=Name.XML)
        pdf.Root.Metadata = metadata
        with open(ICC, "rb") as f:
            profile = pdf.make_stream(f.read(), N=3)
        pdf.Root.OutputIntents = Array([Dictionary(
            Type=Name.OutputIntent, S=Name.GTS_PDFA1, OutputConditionIdentifier=String("sRGB"),
            Info=String("sRGB IEC61966-2.1"), DestOutputProfile=profile)])
        pdf.trailer.Info = pdf.make_indirect(Dictionary(Title=String("Testdokument"),
                                                        Producer=String("coursepack"),
                                                        CreationDate=String("D:20260921100000Z")))
        elements["metadata"] = metadata
        return pdf, elements


def save(pdf, path, **options):
    pdf.save(path, static_id=True, object_stream_mode=pikepdf.ObjectStreamMode.disable,
             compress_streams=False, force_version="1.7",
             fix_metadata_version=False, **options)


def raw_edit(old, new):
    def edit(data):
        assert len(old) == len(new) and old in data, (old, new)
        return data.replace(old, new, 1)
    return edit


def main():
    c = checks.Checks()
    for path, package in ((FONT, "fonts-dejavu-core"), (ICC, "icc-profiles-free")):
        if not os.path.exists(path):
            raise SystemExit(f"FAIL: {path} is missing (Debian package {package}); `make test` installs it")
    with open(FONT, "rb") as f:
        sample = Sample(f.read())
    with tempfile.TemporaryDirectory(prefix="pdfcheck-") as tmp:
        return run(c, sample, tmp)


def run(c, sample, tmp):
    good = os.path.join(tmp, "good.pdf")
    pdf, _ = sample.build()
    save(pdf, good)
    found = pdfcheck.findings(good)
    c.check(found == [], f"the sound sample has no findings, got {found}")

    content = sample.content().decode("ascii")

    def with_content(new):
        return lambda pdf, e: setattr(e["page"], "Contents", pdf.make_stream(new.encode("ascii")))

    def set_key(which, key, value):
        return lambda pdf, e: e[which].__setitem__(key, value(pdf, e) if callable(value) else value)

    def del_key(which, key):
        return lambda pdf, e: e[which].__delitem__(key)

    def metadata(**parts):
        return lambda pdf, e: e["metadata"].write(xmp(**parts))

    def root_set(key, value):
        return lambda pdf, e: pdf.Root.__setitem__(key, value)

    def root_del(key):
        return lambda pdf, e: pdf.Root.__delitem__(key)

    first_cid = f"{sample.gids['Rubrik'][0]:04X}"
    cases = [
        ("A 6.1.2", None, raw_edit(b"%PDF-1.7\n%\xbf\xf7\xa2\xfe", b"%PDF-1.7\n%abcd")),
        ("UA 6.1", None, raw_edit(b"%PDF-1.7", b"%PDF-1.6")),
        ("A 6.1.3-1", None, raw_edit(b"/ID [", b"/XD [")),
        ("A 6.1.3-2", "encrypt", None),
        ("A 6.1.3-3", None, lambda data: data + b"trailing bytes\n"),
        ("A 6.1.7", root_set("/Extra", None), None),
        ("A 6.2.2-1", with_content(content + "\n/Artifact BMC 0 0 m 1 1 l frob S EMC"), None),
        ("A 6.2.3", root_del("/OutputIntents"), None),
        ("A 6.2.5", None, None),
        ("A 6.2.8", set_key("image", "/Interpolate", True), None),
        ("A 6.2.11.3", del_key("cidfont", "/CIDToGIDMap"), None),
        ("A 6.2.11.4", del_key("descriptor", "/FontFile2"), None),
        ("A 6.2.11.5", set_key("cidfont", "/W", Array([sample.gids["Rubrik"][0], Array([1])])), None),
        ("A 6.2.11.7", del_key("font", "/ToUnicode"), None),
        ("A 6.2.11.8", with_content(content.replace(f"<{first_cid}", "<0000", 1)), None),
        ("A 6.3.2", set_key("annot", "/F", 0), None),
        ("A 6.3.3", None, None),
        ("A 6.5", root_set("/AA", Dictionary()), None),
        ("A 6.6.2.1", None, "filtered metadata"),
        ("A 6.6.2.3", metadata(extension=""), None),
        ("A 6.6.3", lambda pdf, e: pdf.trailer.Info.__setitem__("/Title", String("Annat")), None),
        ("A 6.6.4", metadata(part="3"), None),
        ("A 6.10", root_set("/NeedsRendering", True), None),
        ("UA 5", metadata(uapart="2"), None),
        ("UA 6.2", root_del("/MarkInfo"), None),
        ("UA 7.1-1", with_content(content.replace("/P <</MCID 2>> BDC", "/P <</MCID 2>> BDC /Artifact BMC EMC")), None),
        ("UA 7.1-2", with_content(content.replace("/P <</MCID 2>> BDC", "/Artifact BMC /P <</MCID 2>> BDC")
                                  .replace("Tj ET EMC\n/TH", "Tj ET EMC EMC\n/TH")), None),
        ("UA 7.1-3", with_content(content + "\n0 0 m 10 10 l S"), None),
        ("UA 7.1-4", root_set("/MarkInfo", Dictionary(Marked=True, Suspects=True)), None),
        ("UA 7.1-5", set_key("p", "/S", Name("/Stycke")), None),
        ("UA 7.1-9", metadata(title=""), None),
        ("UA 7.1-10", root_del("/ViewerPreferences"), None),
        ("UA 7.1-11", del_key("root", "/ParentTree"), None),
        ("UA 7.1-12", set_key("h1", "/P", lambda pdf, e: e["table"]), None),
        ("UA 7.2-lang", root_set("/Lang", String("en-GB")), None),
        ("UA 7.2-table", set_key("tr1", "/K", lambda pdf, e: Array([e["th"], e["p"]])), None),
        ("UA 7.2-list", set_key("li", "/S", Name("/P")), None),
        ("UA 7.2-toc", set_key("toc", "/S", Name("/Div")), None),
        ("UA 7.3", del_key("figure", "/Alt"), None),
        ("UA 7.4", set_key("h1", "/S", Name("/H2")), None),
        ("UA 7.5", del_key("th", "/A"), None),
        ("UA 7.9", del_key("note", "/ID"), None),
        ("UA 7.18.1", del_key("annot", "/StructParent"), None),
        ("UA 7.18.3", del_key("page", "/Tabs"), None),
        ("UA 7.18.5", del_key("annot", "/Contents"), None),
        ("UA 7.21.4.1", del_key("descriptor", "/FontFile2"), None),
        ("cp mcid", with_content(content.replace("/Note <</MCID 9>>", "/Note <</MCID 2>>")), None),
        ("cp root", set_key("root", "/K", lambda pdf, e: Array([e["document"], e["p"]])), None),
    ]

    def stream_with_f(pdf, e):
        s = pdf.make_stream(b"x")
        s.F = String("elsewhere.bin")
        pdf.Root.Extra = s

    def ext_gstate(pdf, e):
        e["page"].Resources.ExtGState = Dictionary(G1=Dictionary(Type=Name.ExtGState, TR=Name.Identity))
        e["page"].Contents = pdf.make_stream((content + "\n/Artifact BMC /G1 gs EMC").encode("ascii"))

    def appearance(pdf, e):
        form = pdf.make_stream(b"", Type=Name.XObject, Subtype=Name.Form, BBox=Array([0, 0, 1, 1]))
        e["annot"].AP = Dictionary(N=form, D=form)

    def filtered_metadata(data):
        # qpdf always writes metadata unfiltered, so the file is edited
        # (pikepdf then rebuilds the cross-reference table)
        packet = xmp()
        at = data.index(packet)
        start = data.rindex(b"<<", 0, at)
        squeezed = zlib.compress(packet)
        head = b"<< /Filter /FlateDecode /Length %d /Subtype /XML /Type /Metadata >>\nstream\n" % len(squeezed)
        return data[:start] + head + squeezed + data[at + len(packet):]

    special = {"A 6.1.7": stream_with_f, "A 6.2.5": ext_gstate, "A 6.3.3": appearance}
    covered = set()
    for rule, mutate, edit in cases:
        mutate = special.get(rule, mutate)
        pdf, elements = sample.build()
        options = {}
        if mutate == "encrypt":
            options["encryption"] = pikepdf.Encryption(owner="x", user="", R=4)
        elif mutate is not None:
            mutate(pdf, elements)
        path = os.path.join(tmp, rule.replace(" ", "_").replace(".", "_") + ".pdf")
        save(pdf, path, **options)
        if edit == "filtered metadata":
            edit = filtered_metadata
        if edit is not None:
            with open(path, "rb") as f:
                data = f.read()
            with open(path, "wb") as f:
                f.write(edit(data))
        rules = {f.rule for f in pdfcheck.findings(path)}
        if c.check(rule in rules, f"breaking {rule} is found, got {sorted(rules)}"):
            covered.add(rule)
    missing = set(pdfcheck.RULES) - {rule for rule, _, _ in cases}
    c.check(not missing, f"every rule is broken once: not broken {sorted(missing)}")

    # The command line: a finding line per problem, exit 1; a sound file, exit 0.
    out = io.StringIO()
    stdout, sys.stdout = sys.stdout, out
    try:
        code_good = pdfcheck.main([good])
        code_bad = pdfcheck.main([os.path.join(tmp, "UA_7_3.pdf")])
    finally:
        sys.stdout = stdout
    lines = out.getvalue().splitlines()
    c.check(code_good == 0 and code_bad == 1, f"exit 0 for the sound file, 1 for a broken one: {code_good}, {code_bad}")
    c.check(any(line.endswith(": UA 7.3: structure Document/Figure[5]: Figure without /Alt") for line in lines),
            f"the finding line names the file, rule, element and problem: {lines}")
    return c.finish()


if __name__ == "__main__":
    sys.exit(main())
