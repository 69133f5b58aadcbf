// Tagged PDF (PDF/UA-1 and PDF/A-2a): a hand-built document with a logical
// structure, rendered and read back with pdfinfo -struct-text, qpdf and the
// suite's PDF/UA and PDF/A checker (tests/e2e/pdfcheck.py).
#include <catch2/catch.hpp>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include <filesystem>
#include <map>
#include <regex>
#include <string>

#include "render/impose.h"
#include "render/pdf.h"
#include "render/pdf_split.h"
#include "render_test_util.h"
#include "support/requirements.h"

using namespace cp::layout;
namespace fs = std::filesystem;
using cp::test::quote;

namespace {

constexpr long long kEpoch = 1790000000;

// Node indexes of the sample's structure.
enum : int {
  kDoc, kH1, kP, kLink, kFigure, kTable, kTHead, kHeadRow, kTh1, kTh2, kTBody, kRow, kTd1, kTd2,
  kList, kItem, kLbl, kLBody, kSect, kSectP, kNote, kEnglish, kH2, kEmptyP, kLink2, kCount
};

StructNode node(const std::string& role, int parent) {
  StructNode n;
  n.role = role;
  n.parent = parent;
  return n;
}

std::string png_path() {
  static const std::string path = [] {
    const fs::path p = cp::test::temp_dir() / "tagged-pixel.png";
    cp::test::write_file(p, cp::test::make_png(2, 2, 8, 2, 0));
    return p.string();
  }();
  return path;
}

template <class T>
T tagged(T item, int n) {
  item.node = n;
  return item;
}

template <class T>
T artifact(T item, Artifact kind) {
  item.node = -1;
  item.artifact = kind;
  return item;
}

// Two pages: a heading, a paragraph with a link that goes on to page 2, a
// figure, a table, a list, a titled box with a note, an English span, a
// second heading, a paragraph that draws nothing; running headers and page
// numbers (pagination), a rule and a box background (layout).
Document sample() {
  auto fonts = cp::test::noto_fonts();
  const auto& f = *fonts;
  Document doc;
  doc.fonts = fonts;
  doc.meta.title = "Handledning – Växjö";
  doc.structure.resize(kCount);
  doc.structure[kDoc] = node("Document", -1);
  doc.structure[kH1] = node("H1", kDoc);
  doc.structure[kP] = node("P", kDoc);
  doc.structure[kLink] = node("Link", kP);
  doc.structure[kFigure] = node("Figure", kDoc);
  doc.structure[kFigure].alt = "Karta över Jönköpings län";
  doc.structure[kTable] = node("Table", kDoc);
  doc.structure[kTHead] = node("THead", kTable);
  doc.structure[kHeadRow] = node("TR", kTHead);
  doc.structure[kTh1] = node("TH", kHeadRow);
  doc.structure[kTh1].scope = "Column";
  doc.structure[kTh2] = node("TH", kHeadRow);
  doc.structure[kTh2].scope = "Column";
  doc.structure[kTBody] = node("TBody", kTable);
  doc.structure[kRow] = node("TR", kTBody);
  doc.structure[kTd1] = node("TD", kRow);
  doc.structure[kTd2] = node("TD", kRow);
  doc.structure[kList] = node("L", kDoc);
  doc.structure[kItem] = node("LI", kList);
  doc.structure[kLbl] = node("Lbl", kItem);
  doc.structure[kLBody] = node("LBody", kItem);
  doc.structure[kSect] = node("Sect", kDoc);
  doc.structure[kSect].title = "Diskussion: stöd";
  doc.structure[kSectP] = node("P", kSect);
  doc.structure[kNote] = node("Note", kSectP);
  doc.structure[kNote].id = "fn1";
  doc.structure[kEnglish] = node("Span", kSectP);
  doc.structure[kEnglish].lang = "en";
  doc.structure[kH2] = node("H2", kDoc);
  doc.structure[kEmptyP] = node("P", kDoc);
  doc.structure[kLink2] = node("Link", kH2);

  Page one;
  one.items.push_back(artifact(cp::test::run(cp::test::kSans, 56, 810, 8, "Växjö kommun", f), Artifact::Pagination));
  one.items.push_back(tagged(cp::test::run(cp::test::kSansBold, 56, 770, 16, "Begrepp", f), kH1));
  one.items.push_back(artifact(cp::test::line(56, 760, 538, 760), Artifact::Layout));
  one.items.push_back(tagged(cp::test::run(cp::test::kSerif, 56, 740, 10, "Läs mer på", f), kP));
  one.items.push_back(tagged(cp::test::run(cp::test::kSerif, 110, 740, 10, "webbplatsen", f), kLink));
  one.items.push_back(tagged(cp::test::link("https://example.org/", 110, 737, 60, 12), kLink));
  one.items.push_back(tagged(cp::test::run(cp::test::kSerif, 175, 740, 10, "om stöd", f), kP));
  one.items.push_back(tagged(cp::test::image(png_path(), 56, 600, 100, 100), kFigure));
  one.items.push_back(tagged(cp::test::run(cp::test::kSansBold, 56, 580, 10, "Kommun", f), kTh1));
  one.items.push_back(tagged(cp::test::run(cp::test::kSansBold, 200, 580, 10, "Invånare", f), kTh2));
  one.items.push_back(tagged(cp::test::run(cp::test::kSerif, 56, 565, 10, "Eksjö", f), kTd1));
  one.items.push_back(tagged(cp::test::run(cp::test::kSerif, 200, 565, 10, "17 000", f), kTd2));
  one.items.push_back(tagged(cp::test::run(cp::test::kSerif, 56, 540, 10, "•", f), kLbl));
  one.items.push_back(tagged(cp::test::run(cp::test::kSerif, 70, 540, 10, "Socialtjänsten", f), kLBody));
  one.items.push_back(artifact(cp::test::run(cp::test::kSans, 290, 30, 8, "1", f), Artifact::Pagination));
  doc.pages.push_back(one);

  Page two;
  two.items.push_back(artifact(cp::test::run(cp::test::kSans, 56, 810, 8, "Växjö kommun", f), Artifact::Pagination));
  two.items.push_back(tagged(cp::test::run(cp::test::kSerif, 56, 780, 10, "i länet.", f), kP));
  Rect box = cp::test::rect(50, 600, 490, 120);
  box.fill_color = {0.9, 0.95, 1};
  two.items.push_back(artifact(box, Artifact::Background));
  two.items.push_back(tagged(cp::test::run(cp::test::kSansBold, 56, 700, 10, "Diskussion: stöd", f), kSect));
  two.items.push_back(tagged(cp::test::run(cp::test::kSerif, 56, 680, 10, "Vem ringer ni?", f), kSectP));
  two.items.push_back(tagged(cp::test::run(cp::test::kSerif, 140, 680, 10, "1", f), kNote));
  two.items.push_back(tagged(cp::test::run(cp::test::kSerif, 150, 680, 10, "Safe house", f), kEnglish));
  two.items.push_back(tagged(cp::test::run(cp::test::kSansBold, 56, 560, 14, "Till", f), kH2));
  two.items.push_back(tagged(cp::test::run(cp::test::kSansBold, 90, 560, 14, "början", f), kLink2));
  two.items.push_back(tagged(cp::test::link("", 90, 557, 40, 14, 0, 780), kLink2));
  two.items.push_back(artifact(cp::test::run(cp::test::kSans, 290, 30, 8, "2", f), Artifact::Pagination));
  doc.pages.push_back(two);
  return doc;
}

fs::path render_to_file(const Document& doc, const std::string& name) {
  cp::render::PdfOptions options;
  options.creation_time = kEpoch;
  const auto r = cp::render::render_pdf(doc, options);
  INFO(r.error);
  REQUIRE(r.ok);
  CHECK(r.warnings.empty());
  const fs::path path = cp::test::temp_dir() / name;
  cp::test::write_file(path, r.bytes);
  return path;
}

const fs::path& sample_pdf() {
  static const fs::path path = render_to_file(sample(), "tagged.pdf");
  return path;
}

std::string checker() { return std::string(COURSEPACK_PYTHON " ") + COURSEPACK_SOURCE_DIR "/tests/e2e/pdfcheck.py"; }

// The page's content stream, decoded.
std::string page_content(QPDF& pdf, std::size_t page) {
  auto pages = QPDFPageDocumentHelper(pdf).getAllPages();
  REQUIRE(page < pages.size());
  std::string out;
  for (auto& stream : pages[page].getPageContents()) {
    auto data = stream.getStreamData();
    out.append(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
  }
  return out;
}

}  // namespace

TEST_CASE("pdfinfo reads the structure tree in reading order, with its text", "[render][pdf][tagged]") {
  REQUIRE(cp::test::require_tool("pdfinfo"));
  const auto info = cp::test::run("pdfinfo " + quote(sample_pdf()));
  REQUIRE(info.status == 0);
  CHECK(info.out.find("Tagged:          yes\n") != std::string::npos);
  const auto tree = cp::test::run("pdfinfo -struct-text " + quote(sample_pdf()));
  INFO(tree.err);
  REQUIRE(tree.status == 0);
  CHECK(tree.err.empty());
  // The annotations' object numbers are left out: they say nothing here.
  const std::string out = std::regex_replace(tree.out, std::regex("Object [0-9]+ 0"), "Object");
  // (pdfinfo prints a /T in UTF-16 up to its first zero byte.) The spaces
  // between words are text: a word after a gap on its line starts with one.
  CHECK(out ==
        "Document\n"
        "  H1 (block)\n"
        "    \"Begrepp\"\n"
        "  P (block)\n"
        "    \"Läs mer på\"\n"
        "    Link (inline)\n"
        "      \" webbplatsen\"\n"
        "      Object\n"
        "    \" om stöd\"\n"
        "    \" i länet.\"\n"  // the paragraph goes on on page 2: the space ending its line is text
        "  Figure\n"
        "    \"\"\n"
        "  Table (block)\n"
        "    THead\n"
        "      TR\n"
        "        TH:\n"
        "           /Scope /Column\n"
        "          \"Kommun\"\n"
        "        TH:\n"
        "           /Scope /Column\n"
        "          \"Invånare\"\n"
        "    TBody\n"
        "      TR\n"
        "        TD\n"
        "          \"Eksjö\"\n"
        "        TD\n"
        "          \"17 000\"\n"
        "  L (block)\n"
        "    LI (block)\n"
        "      Lbl (block)\n"
        "        \"•\"\n"
        "      LBody (block)\n"
        "        \" Socialtjänsten\"\n"
        "  Sect \"\xFE\xFF\"\n"
        "    \"Diskussion: stöd\"\n"
        "    P (block)\n"
        "      \"Vem ringer ni?\"\n"
        "      Note <fn1> (inline)\n"
        "        \" 1\"\n"
        "      Span (inline)\n"
        "        \" Safe house\"\n"
        "  H2 (block)\n"
        "    \"Till\"\n"
        "    Link (inline)\n"
        "      \" början\"\n"
        "      Object\n"
        "  P (block)\n");
}

TEST_CASE("the checker finds nothing wrong with a tagged document", "[render][pdf][tagged]") {
  REQUIRE(cp::test::require_tool("python3"));
  const auto check = cp::test::run(checker() + " " + quote(sample_pdf()));
  INFO(check.out << check.err);
  CHECK(check.status == 0);
  CHECK(check.out.empty());
  const auto qpdf = cp::test::run("qpdf --check " + quote(sample_pdf()));
  INFO(qpdf.out << qpdf.err);
  CHECK(qpdf.status == 0);
}

TEST_CASE("every drawn item is marked content of its element or an artifact, never nested", "[render][pdf][tagged]") {
  QPDF pdf;
  const std::string path = sample_pdf().string();
  pdf.processFile(path.c_str());
  const std::string one = page_content(pdf, 0);
  // MCIDs count from 0 on each page, one sequence per run of one element's
  // items: the link splits the paragraph's line in three.
  CHECK(one.find("/Artifact<</Type/Pagination>>BDC\n") == 0);
  for (const char* tag : {"/H1<</MCID 0>>BDC", "/P<</MCID 1>>BDC", "/Link<</MCID 2>>BDC", "/P<</MCID 3>>BDC",
                          "/Figure<</MCID 4>>BDC", "/TH<</MCID 5>>BDC", "/TD<</MCID 7>>BDC", "/LBody<</MCID 10>>BDC"}) {
    INFO(tag);
    CHECK(one.find(tag) != std::string::npos);
  }
  CHECK(one.find("MCID 11") == std::string::npos);
  // The image, drawn by libharu, sits inside its Figure's sequence.
  const auto figure = one.find("/Figure<</MCID 4>>BDC");
  const auto image = one.find(" Do", figure);
  REQUIRE(image != std::string::npos);
  CHECK(one.find("EMC", figure) > image);
  CHECK(one.find("/Artifact<</Type/Layout>>BDC") != std::string::npos);
  const std::string two = page_content(pdf, 1);
  CHECK(two.find("/P<</MCID 0>>BDC") != std::string::npos);
  CHECK(two.find("/Artifact<</Type/Background/BBox[50 600 540 720]>>BDC") != std::string::npos);
  std::size_t begins = 0, ends = 0;
  for (const std::string* c : {&one, &two})
    for (std::size_t at = 0; (at = c->find("BDC\n", at)) != std::string::npos; ++at) ++begins;
  for (const std::string* c : {&one, &two})
    for (std::size_t at = 0; (at = c->find("EMC\n", at)) != std::string::npos; ++at) ++ends;
  CHECK(begins == ends);
}

TEST_CASE("the structure tree's objects: parent tree, MCRs across pages, OBJR, IDs, attributes", "[render][pdf][tagged]") {
  QPDF pdf;
  const std::string path = sample_pdf().string();
  pdf.processFile(path.c_str());
  auto root = pdf.getRoot();
  CHECK(root.getKey("/MarkInfo").getKey("/Marked").getBoolValue());
  auto tree = root.getKey("/StructTreeRoot");
  REQUIRE(tree.isDictionary());
  auto document = tree.getKey("/K");
  CHECK(document.getKey("/S").getName() == "/Document");
  auto kids = document.getKey("/K");
  REQUIRE(kids.isArray());
  // The paragraph draws on both pages: marked-content references with pages.
  auto paragraph = kids.getArrayItem(1);
  CHECK(paragraph.getKey("/S").getName() == "/P");
  CHECK_FALSE(paragraph.hasKey("/Pg"));
  auto first = paragraph.getKey("/K").getArrayItem(0);
  CHECK(first.getKey("/Type").getName() == "/MCR");
  CHECK(first.getKey("/MCID").getIntValue() == 1);
  // The heading is one MCID on one page: a plain number, the page on the element.
  auto heading = kids.getArrayItem(0);
  CHECK(heading.getKey("/Pg").isPageObject());
  REQUIRE(heading.getKey("/K").isInteger());
  CHECK(heading.getKey("/K").getIntValue() == 0);
  CHECK_FALSE(heading.hasKey("/Type"));  // optional, left out
  // Pages with links tab in structure order; links have a /StructParent
  // and /Contents: their text.
  auto pages = QPDFPageDocumentHelper(pdf).getAllPages();
  const char* contents[] = {"webbplatsen", "början"};
  for (std::size_t i = 0; i < pages.size(); ++i) {
    auto p = pages[i].getObjectHandle();
    CHECK(p.getKey("/Tabs").getName() == "/S");
    auto annot = p.getKey("/Annots").getArrayItem(0);
    CHECK(annot.getKey("/StructParent").getIntValue() == static_cast<int>(2 + i));
    CHECK(annot.getKey("/Contents").getUTF8Value() == contents[i]);
  }
  CHECK(pages[0].getObjectHandle().getKey("/StructParents").getIntValue() == 0);
  CHECK(pages[1].getObjectHandle().getKey("/StructParents").getIntValue() == 1);
  CHECK(tree.getKey("/ParentTreeNextKey").getIntValue() == 4);  // two pages, two links
  // The note's identifier, in the element and the ID tree.
  auto names = tree.getKey("/IDTree").getKey("/Names");
  REQUIRE(names.getArrayNItems() == 2);
  CHECK(names.getArrayItem(0).getStringValue() == "fn1");
  CHECK(names.getArrayItem(1).getKey("/S").getName() == "/Note");
  // The box's title, the span's language.
  auto sect = kids.getArrayItem(5);
  CHECK(sect.getKey("/S").getName() == "/Sect");
  CHECK(sect.getKey("/T").getUTF8Value() == "Diskussion: stöd");
  auto span = sect.getKey("/K").getArrayItem(1).getKey("/K").getArrayItem(2);
  CHECK(span.getKey("/S").getName() == "/Span");
  CHECK(span.getKey("/Lang").getUTF8Value() == "en");
  // The XMP claims PDF/A-2a and PDF/UA-1.
  auto xmp = root.getKey("/Metadata").getStreamData();
  const std::string packet(reinterpret_cast<const char*>(xmp->getBuffer()), xmp->getSize());
  CHECK(packet.find("<pdfaid:conformance>A</pdfaid:conformance>") != std::string::npos);
  CHECK(packet.find("<pdfuaid:part>1</pdfuaid:part>") != std::string::npos);
}

TEST_CASE("a document without structure stays untagged PDF/A-2b", "[render][pdf][tagged]") {
  Document doc = sample();
  doc.structure.clear();
  const fs::path path = render_to_file(doc, "untagged.pdf");
  const auto info = cp::test::run("pdfinfo " + quote(path));
  CHECK(info.out.find("Tagged:          no\n") != std::string::npos);
  QPDF pdf;
  pdf.processFile(path.string().c_str());
  CHECK_FALSE(pdf.getRoot().hasKey("/StructTreeRoot"));
  CHECK_FALSE(pdf.getRoot().hasKey("/MarkInfo"));
  CHECK(page_content(pdf, 0).find("BDC") == std::string::npos);
  auto xmp = pdf.getRoot().getKey("/Metadata").getStreamData();
  const std::string packet(reinterpret_cast<const char*>(xmp->getBuffer()), xmp->getSize());
  CHECK(packet.find("<pdfaid:conformance>B</pdfaid:conformance>") != std::string::npos);
  CHECK(packet.find("pdfuaid") == std::string::npos);
}

TEST_CASE("a broken structure is an error, not a broken file", "[render][pdf][tagged]") {
  auto render = [](const Document& doc) { return cp::render::render_pdf(doc, cp::render::PdfOptions{}); };
  {
    Document doc = sample();
    std::get<GlyphRun>(doc.pages[0].items[1]).node = kCount;
    const auto r = render(doc);
    CHECK_FALSE(r.ok);
    CHECK(r.error == "an item on page 1 refers to structure node 25, which does not exist");
  }
  {
    Document doc = sample();
    doc.structure[kP].parent = kTable;
    const auto r = render(doc);
    CHECK_FALSE(r.ok);
    CHECK(r.error == "structure node 2 (P) has no parent before it");
  }
  {
    Document doc = sample();
    std::get<Link>(doc.pages[0].items[5]).node = -1;
    const auto r = render(doc);
    CHECK_FALSE(r.ok);
    CHECK(r.error == "a link on page 1 belongs to no Link element");
  }
  {
    Document doc = sample();
    doc.structure[kDoc].role = "Part";
    const auto r = render(doc);
    CHECK_FALSE(r.ok);
    CHECK(r.error == "the structure's first node is not the Document root");
  }
  {
    Document doc = sample();
    doc.structure[kTd1].id = "fn1";
    const auto r = render(doc);
    CHECK_FALSE(r.ok);
    CHECK(r.error == "two structure elements have the ID 'fn1'");
  }
}

TEST_CASE("tagged documents render to the same bytes each time", "[render][pdf][tagged]") {
  cp::render::PdfOptions options;
  options.creation_time = kEpoch;
  const Document doc = sample();
  const auto a = cp::render::render_pdf(doc, options);
  const auto b = cp::render::render_pdf(doc, options);
  REQUIRE(a.ok);
  CHECK(a.bytes == b.bytes);
}

TEST_CASE("a booklet of a tagged handout is tagged too and claims what it is, with the handout's information", "[render][pdf][tagged]") {
  cp::render::PdfOptions options;
  options.creation_time = kEpoch;
  const auto tagged_pdf = cp::render::render_pdf(sample(), options);
  REQUIRE(tagged_pdf.ok);
  const auto booklet = cp::render::impose_booklet(tagged_pdf.bytes);
  REQUIRE(booklet.ok);
  QPDF pdf;
  pdf.processMemoryFile("booklet", booklet.pdf.data(), booklet.pdf.size());
  auto xmp = pdf.getRoot().getKey("/Metadata").getStreamData();
  const std::string packet(reinterpret_cast<const char*>(xmp->getBuffer()), xmp->getSize());
  CHECK(packet.find("<pdfaid:conformance>A</pdfaid:conformance>") != std::string::npos);
  CHECK(packet.find("<pdfuaid:part>1</pdfuaid:part>") != std::string::npos);
  CHECK(pdf.getRoot().getKey("/StructTreeRoot").isDictionary());
  CHECK(packet.find("Handledning – Växjö") != std::string::npos);
  auto info = pdf.getTrailer().getKey("/Info");
  CHECK(info.getKey("/Title").getUTF8Value() == "Handledning – Växjö");
  QPDF handout;
  handout.processMemoryFile("handout", tagged_pdf.bytes.data(), tagged_pdf.bytes.size());
  CHECK(info.getKey("/CreationDate").getUTF8Value() ==
        handout.getTrailer().getKey("/Info").getKey("/CreationDate").getUTF8Value());
  const fs::path path = cp::test::temp_dir() / "tagged-booklet.pdf";
  cp::test::write_file(path, booklet.pdf);
  const auto check = cp::test::run(checker() + " " + quote(path));
  INFO(check.out << check.err);
  CHECK(check.status == 0);
}

// Two pages, a certificate's shape: each a Sect of its own with a heading
// and a paragraph holding a note (identified "fn1", "fn2").
Document two_notes() {
  auto fonts = cp::test::noto_fonts();
  const auto& f = *fonts;
  Document doc;
  doc.fonts = fonts;
  doc.meta.title = "Intyg";
  doc.structure.push_back(node("Document", -1));
  for (int i = 0; i < 2; ++i) {
    const int sect = static_cast<int>(doc.structure.size());
    doc.structure.push_back(node("Sect", 0));
    doc.structure.push_back(node("H1", sect));
    doc.structure.push_back(node("P", sect));
    doc.structure.push_back(node("Note", sect + 2));
    doc.structure.back().id = "fn" + std::to_string(i + 1);
    Page page;
    page.items.push_back(tagged(cp::test::run(cp::test::kSansBold, 56, 770, 16, "Intyg " + std::to_string(i + 1), f),
                                sect + 1));
    page.items.push_back(tagged(cp::test::run(cp::test::kSerif, 56, 740, 10, "Genomförd kurs", f), sect + 2));
    page.items.push_back(tagged(cp::test::run(cp::test::kSerif, 140, 740, 10, "1", f), sect + 3));
    doc.pages.push_back(page);
  }
  return doc;
}

TEST_CASE("a split page keeps an ID tree of exactly the identified elements it carries", "[render][pdf][tagged][split]") {
  cp::render::PdfOptions options;
  options.creation_time = kEpoch;
  const auto whole = cp::render::render_pdf(sample(), options);
  REQUIRE(whole.ok);
  const auto notes = cp::render::render_pdf(two_notes(), options);
  INFO(notes.error);
  REQUIRE(notes.ok);
  // Every structure element's /ID in a file, and what its ID tree names.
  struct Ids {
    std::map<std::string, std::string> elements;  // ID → role
    std::map<std::string, std::string> tree;      // ID → role of the element the tree leads to
    bool tree_points_home = true;                 // each tree entry is the very element with that /ID
  };
  auto ids_of = [](const std::string& bytes) {
    Ids ids;
    QPDF pdf;
    pdf.processMemoryFile("page", bytes.data(), bytes.size());
    auto root = pdf.getRoot().getKey("/StructTreeRoot");
    std::vector<QPDFObjectHandle> todo = {root};
    while (!todo.empty()) {
      auto e = todo.back();
      todo.pop_back();
      if (e.getKey("/ID").isString()) ids.elements[e.getKey("/ID").getStringValue()] = e.getKey("/S").getName();
      auto k = e.getKey("/K");
      if (k.isArray()) {
        for (auto& kid : k.aitems())
          if (kid.isDictionary() && kid.hasKey("/S")) todo.push_back(kid);
      } else if (k.isDictionary() && k.hasKey("/S")) {
        todo.push_back(k);
      }
    }
    auto tree = root.getKey("/IDTree");
    auto names = tree.isDictionary() ? tree.getKey("/Names") : QPDFObjectHandle::newNull();
    if (names.isArray())
      for (int i = 0; i + 1 < names.getArrayNItems(); i += 2) {
        const auto id = names.getArrayItem(i).getStringValue();
        auto e = names.getArrayItem(i + 1);
        ids.tree[id] = e.getKey("/S").getName();
        ids.tree_points_home = ids.tree_points_home && e.getKey("/ID").isString() && e.getKey("/ID").getStringValue() == id;
      }
    return ids;
  };
  // The handout sample (its note on page 2): split by qpdf, its first page
  // reaching the second.
  REQUIRE(ids_of(whole.bytes).elements == std::map<std::string, std::string>{{"fn1", "/Note"}});
  const auto handout = cp::render::split_pages_qpdf(whole.bytes);
  REQUIRE(handout.ok);
  REQUIRE(handout.pages.size() == 2);
  CHECK(ids_of(handout.pages[0]).tree.empty());
  CHECK(ids_of(handout.pages[1]).tree == std::map<std::string, std::string>{{"fn1", "/Note"}});
  CHECK(ids_of(handout.pages[1]).tree_points_home);
  // One note per page: split directly, and by qpdf to the same trees.
  const auto direct = cp::render::split_pages_direct(notes.bytes);
  INFO(direct.error);
  REQUIRE(direct.ok);
  const auto via_qpdf = cp::render::split_pages_qpdf(notes.bytes);
  REQUIRE(via_qpdf.ok);
  CHECK(cp::render::split_pages(notes.bytes).pages == direct.pages);  // split_pages takes the direct path
  for (const auto* split : {&direct, &via_qpdf}) {
    REQUIRE(split->pages.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
      INFO("page " << i + 1 << (split == &direct ? " direct" : " qpdf"));
      const auto ids = ids_of(split->pages[i]);
      const std::string id = "fn" + std::to_string(i + 1);
      CHECK(ids.elements == std::map<std::string, std::string>{{id, "/Note"}});
      CHECK(ids.tree == ids.elements);  // the tree names the page's note, and nothing else
      CHECK(ids.tree_points_home);
      const fs::path path = cp::test::temp_dir() / ("notes-split-" + std::to_string(i + 1) + ".pdf");
      cp::test::write_file(path, split->pages[i]);
      const auto check = cp::test::run(checker() + " " + quote(path));
      INFO(check.out << check.err);
      CHECK(check.status == 0);
      CHECK(cp::test::run("qpdf --check " + quote(path) + " >/dev/null 2>&1").status == 0);
    }
  }
}
