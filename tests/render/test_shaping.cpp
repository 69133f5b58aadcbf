// Shaped text in real PDFs: the glyph ids and positions in the content
// stream are HarfBuzz's (kerning, ligatures, Arabic joining), and the text
// still extracts exactly. The expected positions are computed here with
// HarfBuzz directly, not with the code under test.
#include <hb.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include "core/text.h"
#include "layout/paragraph.h"
#include "render/pdf.h"
#include "render_test_util.h"

using namespace cp::layout;
namespace fs = std::filesystem;

namespace {

struct Shown {
  unsigned gid = 0;
  double x = 0, y = 0;
};

struct PageText {
  std::vector<Shown> glyphs;
  std::vector<std::string> actual_texts;  // hex, as written
};

// The glyphs a page's content stream shows and where (the renderer's own
// operators only: Tf, Tm, TJ, BDC/EMC), with the widths of `face`.
PageText shown_glyphs(const std::string& pdf, const cp::fonts::Face& face) {
  QPDF q;
  q.processMemoryFile("rendered", pdf.data(), pdf.size());
  auto pages = QPDFPageDocumentHelper(q).getAllPages();
  REQUIRE(pages.size() == 1);
  auto data = pages[0].getObjectHandle().getKey("/Contents").getStreamData(qpdf_dl_generalized);
  const std::string s(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
  PageText out;
  std::vector<double> numbers;
  double size = 0, x = 0, y = 0;
  for (std::size_t i = 0; i < s.size();) {
    const char c = s[i];
    if (c == ' ' || c == '\n' || c == '[' || c == ']') {
      ++i;
    } else if (c == '(') {
      std::string bytes;
      for (++i; s[i] != ')'; ++i) {
        if (s[i] == '\\') {
          ++i;
          bytes += s[i] == 'n' ? '\n' : s[i] == 'r' ? '\r' : s[i];
        } else {
          bytes += s[i];
        }
      }
      ++i;
      for (std::size_t k = 0; k + 1 < bytes.size(); k += 2) {
        const unsigned gid = (static_cast<unsigned char>(bytes[k]) << 8) | static_cast<unsigned char>(bytes[k + 1]);
        out.glyphs.push_back({gid, x, y});
        x += face.glyph_advance(static_cast<std::uint16_t>(gid)) * size / 1000;
      }
    } else if (s.compare(i, 19, "/Span<</ActualText<") == 0) {
      const std::size_t b = i + 19, e = s.find('>', b);
      out.actual_texts.push_back(s.substr(b, e - b));
      i = s.find("BDC", e) + 3;
    } else if (c == '/') {
      while (i < s.size() && s[i] != ' ') ++i;
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.') {
      std::size_t e = i;
      while (e < s.size() && (std::isdigit(static_cast<unsigned char>(s[e])) || s[e] == '-' || s[e] == '.')) ++e;
      const double v = std::stod(s.substr(i, e - i));
      if (i > 0 && (s[i - 1] == '[' || s[i - 1] == ')')) {
        x -= v * size / 1000;  // a TJ number
      } else {
        numbers.push_back(v);
      }
      i = e;
    } else {
      std::size_t e = i;
      while (e < s.size() && std::isalpha(static_cast<unsigned char>(s[e]))) ++e;
      const std::string op = s.substr(i, e - i);
      if (op == "Tf" && !numbers.empty()) size = numbers.back();
      if (op == "Tm" && numbers.size() >= 6) {
        x = numbers[numbers.size() - 2];
        y = numbers.back();
      }
      numbers.clear();
      i = e == i ? i + 1 : e;
    }
  }
  return out;
}

struct HbGlyph {
  unsigned gid;
  double x, y;
  bool kerned;  // advance differs from the nominal one
};

// HarfBuzz's own answer: glyphs and pen positions for `text` at `size`
// starting at (x, y).
std::vector<HbGlyph> harfbuzz(const cp::fonts::Face& face, const std::string& text, double size, double x,
                              double y, hb_direction_t dir, hb_script_t script, const char* lang) {
  hb_blob_t* blob = hb_blob_create(face.bytes().data(), static_cast<unsigned>(face.bytes().size()),
                                   HB_MEMORY_MODE_READONLY, nullptr, nullptr);
  hb_face_t* hface = hb_face_create(blob, 0);
  hb_font_t* font = hb_font_create(hface);
  hb_buffer_t* buf = hb_buffer_create();
  hb_buffer_add_utf8(buf, text.data(), static_cast<int>(text.size()), 0, static_cast<int>(text.size()));
  hb_buffer_set_direction(buf, dir);
  hb_buffer_set_script(buf, script);
  hb_buffer_set_language(buf, hb_language_from_string(lang, -1));
  hb_shape(font, buf, nullptr, 0);
  unsigned n = 0;
  const hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf, &n);
  const hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf, nullptr);
  const double scale = size / hb_face_get_upem(hface);
  std::vector<HbGlyph> out;
  double pen = x;
  for (unsigned k = 0; k < n; ++k) {
    out.push_back({info[k].codepoint, pen + pos[k].x_offset * scale, y + pos[k].y_offset * scale,
                   pos[k].x_advance != hb_font_get_glyph_h_advance(font, info[k].codepoint)});
    pen += pos[k].x_advance * scale;
  }
  hb_buffer_destroy(buf);
  hb_font_destroy(font);
  hb_face_destroy(hface);
  hb_blob_destroy(blob);
  return out;
}

std::string render_one(const std::shared_ptr<cp::fonts::FontSet>& fonts, cp::fonts::FontId font,
                       const std::string& text, double size) {
  Document doc;
  doc.fonts = fonts;
  Page page;
  page.items.push_back(cp::test::run(font, 50, 700, size, text, *fonts));
  doc.pages.push_back(page);
  cp::render::PdfOptions options;
  options.compress = false;
  const auto r = cp::render::render_pdf(doc, options);
  REQUIRE(r.ok);
  CHECK(r.warnings.empty());
  return r.bytes;
}

std::string pdftotext(const std::string& pdf, const std::string& name) {
  const fs::path path = cp::test::temp_dir() / name;
  cp::test::write_file(path, pdf);
  const auto r = cp::test::run("pdftotext -enc UTF-8 " + cp::test::quote(path.string()) + " -");
  REQUIRE(r.status == 0);
  CHECK(r.err == "");
  return r.out;
}

void check_same(const PageText& got, const std::vector<HbGlyph>& want) {
  REQUIRE(got.glyphs.size() == want.size());
  for (std::size_t k = 0; k < want.size(); ++k) {
    INFO("glyph " << k);
    CHECK(got.glyphs[k].gid == want[k].gid);
    CHECK(std::abs(got.glyphs[k].x - want[k].x) < 0.002);
    CHECK(std::abs(got.glyphs[k].y - want[k].y) < 0.002);
  }
}

}  // namespace

TEST_CASE("kerning pairs are set where HarfBuzz puts them", "[render][shaping]") {
  auto fonts = cp::test::noto_fonts();
  const std::string text = "Tranås Vaggeryd Värnamo Tystnad";
  const auto& face = fonts->face(cp::test::kSansBold);
  const auto pdf = render_one(fonts, cp::test::kSansBold, text, 30);
  const auto want = harfbuzz(face, text, 30, 50, 700, HB_DIRECTION_LTR, HB_SCRIPT_LATIN, "sv");
  // "Tr", "Va", "Vä", "Ty" are kerning pairs in Noto Sans Bold: the test
  // would prove nothing without them.
  CHECK(std::count_if(want.begin(), want.end(), [](const HbGlyph& g) { return g.kerned; }) >= 4);
  check_same(shown_glyphs(pdf, face), want);
  CHECK(pdftotext(pdf, "kerning.pdf").find(text) != std::string::npos);
}

TEST_CASE("ligatures are one glyph and extract as their characters", "[render][shaping]") {
  auto fonts = cp::test::noto_fonts();
  const std::string text = "officiell flagga";
  const auto& face = fonts->face(cp::test::kSans);
  const auto pdf = render_one(fonts, cp::test::kSans, text, 12);
  const auto want = harfbuzz(face, text, 12, 50, 700, HB_DIRECTION_LTR, HB_SCRIPT_LATIN, "sv");
  CHECK(want.size() < cp::text::length(text));  // "ffi" and "fl" are ligatures in Noto Sans
  const PageText got = shown_glyphs(pdf, face);
  check_same(got, want);
  CHECK(got.actual_texts.empty());  // the ToUnicode map says "ffi" and "fl"
  CHECK(pdftotext(pdf, "ligatures.pdf").find(text) != std::string::npos);
}

TEST_CASE("an Arabic name is joined and in visual order, and extracts in logical order", "[render][shaping]") {
  auto fonts = cp::test::noto_fonts();
  const auto path = cp::fonts::find_family("Noto Sans Arabic", cp::fonts::Style::Regular);
  REQUIRE(path);
  const auto arabic = fonts->add(cp::fonts::cached_face(*path));
  const std::string name = "محمد";
  const auto& face = fonts->face(arabic);
  const auto pdf = render_one(fonts, arabic, name, 20);
  const auto want = harfbuzz(face, name, 20, 50, 700, HB_DIRECTION_RTL, HB_SCRIPT_ARABIC, "ar");
  // Joining forms: none of the glyphs is the letter's isolated form.
  for (const HbGlyph& g : want) {
    INFO(g.gid);
    CHECK(g.gid != face.glyph(U'م'));
    CHECK(g.gid != face.glyph(U'ح'));
  }
  const PageText got = shown_glyphs(pdf, face);
  check_same(got, want);
  CHECK(got.actual_texts.empty());  // one glyph per letter: the ToUnicode map says them
  const std::string extracted = pdftotext(pdf, "arabic.pdf");
  INFO(extracted);
  CHECK(extracted.find(name) != std::string::npos);
}

TEST_CASE("a heading set by layout is kerned in the PDF exactly as HarfBuzz sets each word", "[render][shaping]") {
  auto fonts = cp::test::noto_fonts();
  TextStyle style;
  style.font = cp::test::kSansBold;
  style.size = 24;
  style.hyphenate = false;
  const std::vector<std::string> words = {"Värnamo", "Tranås", "Vaggeryd"};
  std::vector<Piece> pieces;
  for (const auto& w : words) {
    if (!pieces.empty()) pieces.push_back({PieceKind::Space, " ", style});
    pieces.push_back({PieceKind::Text, w, style});
  }
  ParagraphSpec spec;
  spec.width = [](std::size_t) { return 480.0; };
  spec.align = LineAlign::Left;
  cp::Diagnostics diags;
  const auto lines = set_paragraph(pieces, spec, *fonts, nullptr, cp::SourceLoc{"heading", 1, 1}, &diags);
  REQUIRE(lines.size() == 1);
  REQUIRE(lines[0].runs.size() == words.size());
  Document doc;
  doc.fonts = fonts;
  Page page;
  for (GlyphRun r : lines[0].runs) {
    r.x += 50;
    r.y = 700;
    page.items.push_back(r);
  }
  doc.pages.push_back(page);
  cp::render::PdfOptions options;
  options.compress = false;
  const auto r = cp::render::render_pdf(doc, options);
  REQUIRE(r.ok);
  const auto& face = fonts->face(cp::test::kSansBold);
  std::vector<HbGlyph> want;
  int kerned = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const auto w = harfbuzz(face, words[i], 24, 50 + lines[0].runs[i].x, 700, HB_DIRECTION_LTR, HB_SCRIPT_LATIN, "sv");
    for (const auto& g : w) kerned += g.kerned;
    want.insert(want.end(), w.begin(), w.end());
  }
  CHECK(kerned >= 3);  // "Vä", "Tr", "Va"
  check_same(shown_glyphs(r.bytes, face), want);
  const std::string text = pdftotext(r.bytes, "heading.pdf");
  CHECK(text.find("Värnamo Tranås Vaggeryd") != std::string::npos);
}
