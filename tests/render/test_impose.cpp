#include "render/impose.h"

#include <catch2/catch.hpp>
#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>

#include <algorithm>
#include <string>
#include <vector>

using cp::render::booklet_order;
using cp::render::BookletSide;

namespace {

// Folding the stacked sheets: each sheet's front right, back left, back
// right, front left pages nest, so reading the booklet goes through the
// sheets' right halves outside-in, then their left halves inside-out.
std::vector<int> reading_order(const std::vector<BookletSide>& sides) {
  std::vector<int> first, second;
  for (std::size_t s = 0; s < sides.size(); s += 2) {
    first.push_back(sides[s].right);
    first.push_back(sides[s + 1].left);
    second.push_back(sides[s].left);
    second.push_back(sides[s + 1].right);
  }
  std::reverse(second.begin(), second.end());
  first.insert(first.end(), second.begin(), second.end());
  return first;
}

std::vector<int> pages(int n, int padded) {
  std::vector<int> r;
  for (int i = 0; i < padded; ++i) r.push_back(i < n ? i : -1);
  return r;
}

}  // namespace

TEST_CASE("a 4-page booklet is one sheet: 4|1 on the front, 2|3 on the back", "[impose]") {
  CHECK(booklet_order(4) == std::vector<BookletSide>{{3, 0}, {1, 2}});
}

TEST_CASE("an 8-page booklet: two sheets, the outer one first", "[impose]") {
  CHECK(booklet_order(8) == std::vector<BookletSide>{{7, 0}, {1, 6}, {5, 2}, {3, 4}});
  CHECK(reading_order(booklet_order(8)) == pages(8, 8));
}

TEST_CASE("a 30-page booklet is padded with two blank pages at its end", "[impose]") {
  const auto sides = booklet_order(30);
  REQUIRE(sides.size() == 16);  // 8 sheets, both sides
  CHECK(sides[0] == BookletSide{-1, 0});   // page 32 (blank) | page 1
  CHECK(sides[1] == BookletSide{1, -1});   // page 2 | page 31 (blank)
  CHECK(sides[2] == BookletSide{29, 2});   // page 30 | page 3
  CHECK(sides[15] == BookletSide{15, 16}); // the centre spread: 16 | 17
  CHECK(reading_order(sides) == pages(30, 32));
  int blanks = 0;
  for (const auto& s : sides) blanks += (s.left < 0) + (s.right < 0);
  CHECK(blanks == 2);
}

TEST_CASE("a 32-page booklet: eight sheets, every page once", "[impose]") {
  const auto sides = booklet_order(32);
  REQUIRE(sides.size() == 16);
  CHECK(sides[0] == BookletSide{31, 0});
  CHECK(sides[1] == BookletSide{1, 30});
  CHECK(sides[14] == BookletSide{17, 14});
  CHECK(sides[15] == BookletSide{15, 16});
  CHECK(reading_order(sides) == pages(32, 32));
}

TEST_CASE("short documents are padded to one sheet, and none gives none", "[impose]") {
  CHECK(booklet_order(1) == std::vector<BookletSide>{{-1, 0}, {-1, -1}});
  CHECK(booklet_order(3) == std::vector<BookletSide>{{-1, 0}, {1, 2}});
  CHECK(booklet_order(0).empty());
}

// ---- impose_booklet on a real PDF (made with qpdf, read back with qpdf) ----

namespace {

// A PDF of `n` A5 pages; page i's content stream names itself ("% page i").
std::string a5_pdf(int n) {
  QPDF pdf;
  pdf.emptyPDF();
  QPDFPageDocumentHelper pages(pdf);
  for (int i = 0; i < n; ++i) {
    auto page = pdf.makeIndirectObject(QPDFObjectHandle::parse("<< /Type /Page /MediaBox [0 0 419.528 595.276] "
                                                               "/Resources << >> >>"));
    page.replaceKey("/Contents", QPDFObjectHandle::newStream(
                                     &pdf, "% page " + std::to_string(i) + "\n0 0 100 100 re f\n"));
    pages.addPage(page, false);
  }
  QPDFWriter writer(pdf);
  writer.setOutputMemory();
  writer.setDeterministicID(true);
  writer.write();
  const auto buffer = writer.getBufferSharedPointer();
  return std::string(reinterpret_cast<const char*>(buffer->getBuffer()), buffer->getSize());
}

// Which source page a placed form XObject draws, from its content.
int page_of(QPDFObjectHandle form) {
  const auto data = form.getStreamData(qpdf_dl_all);
  const std::string text(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
  const auto at = text.find("% page ");
  return at == std::string::npos ? -2 : std::stoi(text.substr(at + 7));
}

}  // namespace

TEST_CASE("impose_booklet: A5 pages two-up on A4 landscape, in booklet order, not scaled", "[impose]") {
  const auto r = cp::render::impose_booklet(a5_pdf(6));
  REQUIRE(r.ok);
  QPDF out;
  out.processMemoryFile("booklet", r.pdf.data(), r.pdf.size());
  auto sides = QPDFPageDocumentHelper(out).getAllPages();
  const auto order = booklet_order(6);
  REQUIRE(sides.size() == order.size());  // 8 pages: 2 sheets, 4 sides
  for (std::size_t s = 0; s < sides.size(); ++s) {
    auto box = sides[s].getObjectHandle().getKey("/MediaBox").getArrayAsRectangle();
    CHECK(box.urx == Approx(841.890));
    CHECK(box.ury == Approx(595.276));
    auto xobjects = sides[s].getObjectHandle().getKey("/Resources").getKey("/XObject");
    const int want[2] = {order[s].left, order[s].right};
    const char* names[2] = {"/L", "/R"};
    for (int h = 0; h < 2; ++h) {
      if (want[h] < 0) {
        CHECK_FALSE(xobjects.hasKey(names[h]));  // a blank half
      } else {
        REQUIRE(xobjects.hasKey(names[h]));
        CHECK(page_of(xobjects.getKey(names[h])) == want[h]);
      }
    }
    // Placed at scale 1: the right half is moved by half the sheet.
    const auto content = sides[s].getObjectHandle().getKey("/Contents").getStreamData(qpdf_dl_all);
    const std::string text(reinterpret_cast<const char*>(content->getBuffer()), content->getSize());
    if (want[1] >= 0) CHECK(text.find("1 0 0 1 421.6") != std::string::npos);
    INFO(text);
  }
  // The same input, the same bytes.
  CHECK(cp::render::impose_booklet(a5_pdf(6)).pdf == r.pdf);
  CHECK_FALSE(cp::render::impose_booklet("not a pdf").ok);
}

TEST_CASE("print_file: copies on their own sheets, each repeated page stored once", "[impose]") {
  const std::string three = a5_pdf(3), two = a5_pdf(2);
  const auto r = cp::render::print_file({{&three, 2, false}, {&two, 1, true}, {&two, 0, false}}, {});
  REQUIRE(r.ok);
  // 3 pages + a blank, twice; then each of two pages as a copy of its own, each with a blank.
  CHECK(r.pages == 12);
  CHECK(r.blanks == 4);
  QPDF out;
  out.processMemoryFile("print", r.pdf.data(), r.pdf.size());
  auto pages = QPDFPageDocumentHelper(out).getAllPages();
  REQUIRE(pages.size() == 12);
  auto form = [&](std::size_t i) { return pages[i].getObjectHandle().getKey("/Resources").getKey("/XObject"); };
  const int want[12] = {0, 1, 2, -1, 0, 1, 2, -1, 0, -1, 1, -1};
  for (std::size_t i = 0; i < 12; ++i) {
    INFO("page " << i);
    if (want[i] < 0)
      CHECK_FALSE(form(i).hasKey("/P"));
    else
      CHECK(page_of(form(i).getKey("/P")) == want[i]);
  }
  // The second copy draws the very objects the first one does.
  CHECK(form(0).getKey("/P").getObjGen() == form(4).getKey("/P").getObjGen());
  CHECK(form(2).getKey("/P").getObjGen() == form(6).getKey("/P").getObjGen());
  CHECK(cp::render::print_file({{&three, 2, false}, {&two, 1, true}}, {}).pdf == r.pdf);
}
