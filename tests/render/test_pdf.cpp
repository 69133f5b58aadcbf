// Real-PDF tests: render a hand-built document and read it back with the
// tools a user would use (pdftotext, pdffonts, pdfinfo, pdfimages, qpdf).
#include "render/archive.h"
#include "render/pdf.h"
#include "render/impose.h"
#include "render/pdf_split.h"

#include <hb.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <iterator>
#include <tuple>
#include <regex>
#include <thread>
#include <sstream>

#include <map>
#include <set>
#include <variant>

#include <qpdf/QPDF.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>

#include "core/text.h"
#include "render_test_util.h"
#include "support/requirements.h"

using namespace cp::layout;
using cp::render::PdfOptions;
using cp::render::render_pdf;
namespace fs = std::filesystem;

namespace {

constexpr long long kEpoch = 1700000000;  // 2023-11-14T22:13:20Z

const std::vector<std::pair<cp::fonts::FontId, std::string>> kTexts = {
    {cp::test::kSansBold, "Utbildning om människohandel – Jönköpings län"},
    {cp::test::kSerif, "Åsa Öberg, Märta Ängström och Östen Ärlig"},
    {cp::test::kSerif, "Nguyễn Thị Thu Hằng"},
    {cp::test::kSerifBold, "Σωκράτης Παπαδόπουλος"},
    {cp::test::kSans, "Фёдор Михайлович Щукин"},
    {cp::test::kSerif, "enligt 6 kap. 11 § och ”Socialtjänstlagen”"},
};

std::string png_path() {
  static const std::string path = [] {
    const fs::path p = cp::test::temp_dir() / "pixel.png";
    cp::test::write_file(p, cp::test::make_png(1, 1, 8, 2, 0));
    return p.string();
  }();
  return path;
}

Document sample_document() {
  auto fonts = cp::test::noto_fonts();
  Document doc;
  doc.fonts = fonts;
  doc.meta.title = "Handledning för Växjö – åäö";
  doc.meta.author = "Regionförbundet i Jönköpings län";
  doc.meta.subject = "Människohandel och prostitution";
  doc.meta.keywords = "SPoM, Växjö";

  Page first;
  double y = 780;
  for (const auto& [font, text] : kTexts) {
    first.items.push_back(cp::test::run(font, 56.69, y, font == cp::test::kSansBold ? 16 : 10.5, text, *fonts));
    y -= 24;
  }
  Rect box = cp::test::rect(56.69, 500, 481.89, 60);
  box.fill_color = {0.90, 0.95, 0.99};
  box.stroke = true;
  box.stroke_color = {0, 0.32, 0.55};
  first.items.push_back(box);
  GlyphRun in_box = cp::test::run(cp::test::kSans, 66.69, 530, 10, "Diskussion: Vad gör ni i Eksjö?", *fonts);
  in_box.color = {0, 0.32, 0.55};
  first.items.push_back(in_box);
  Line rule = cp::test::line(56.69, 480, 538.58, 480);
  rule.dashed = true;
  first.items.push_back(rule);
  Image image = cp::test::image(png_path(), 56.69, 380, 80, 80);
  first.items.push_back(image);
  image.x = 156.69;
  first.items.push_back(image);  // the same file again: one image object
  first.items.push_back(cp::test::run(cp::test::kSans, 56.69, 350, 10, "https://example.org/spom", *fonts));
  first.items.push_back(cp::test::link("https://example.org/spom", 56.69, 347, 120, 12));
  first.items.push_back(cp::test::link("", 56.69, 320, 120, 12, 1, 785));
  doc.pages.push_back(first);

  Page second;
  second.items.push_back(cp::test::run(cp::test::kSerifBold, 56.69, 770, 14, "Modul 2: Stöd och skydd", *fonts));
  doc.pages.push_back(second);

  doc.outline.push_back({0, "Modul 1: Begrepp – åäö", 0, 800});
  doc.outline.push_back({1, "Ελληνικά och кириллица", 0, 600});
  doc.outline.push_back({0, "Modul 2: Stöd och skydd", 1, 785});
  return doc;
}

fs::path render_to_file(const Document& doc, const std::string& name, long long epoch = kEpoch) {
  PdfOptions options;
  options.creation_time = epoch;
  const auto result = render_pdf(doc, options);
  INFO(result.error);
  REQUIRE(result.ok);
  CHECK(result.warnings.empty());
  const fs::path path = cp::test::temp_dir() / name;
  cp::test::write_file(path, result.bytes);
  return path;
}

const fs::path& sample_pdf() {
  static const fs::path path = render_to_file(sample_document(), "sample.pdf");
  return path;
}

using cp::test::quote;  // paths as one shell word

}  // namespace

TEST_CASE("pdftotext gives back every string exactly", "[render][pdf]") {
  const auto text = cp::test::run("pdftotext -enc UTF-8 " + quote(sample_pdf()) + " -");
  REQUIRE(text.status == 0);
  CHECK(text.err == "");  // no complaints, e.g. about the ToUnicode map
  for (const auto& [font, s] : kTexts) {
    INFO(s);
    CHECK(text.out.find(s) != std::string::npos);
  }
  CHECK(text.out.find("Diskussion: Vad gör ni i Eksjö?") != std::string::npos);
  CHECK(text.out.find("Modul 2: Stöd och skydd") != std::string::npos);
}

TEST_CASE("pdffonts shows every font embedded as a subset", "[render][pdf]") {
  const auto fonts = cp::test::run("pdffonts " + quote(sample_pdf()));
  REQUIRE(fonts.status == 0);
  CHECK(fonts.err == "");
  std::istringstream lines(fonts.out);
  std::string line;
  std::getline(lines, line);  // header
  std::getline(lines, line);  // ----
  std::set<std::string> names;
  const std::regex row(R"(^([A-Z]{6})\+(\S+)\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes\s+\d+\s+\d+$)");
  int rows = 0;
  while (std::getline(lines, line)) {
    INFO(line);
    std::smatch m;
    CHECK(std::regex_match(line, m, row));
    if (m.size() > 2) names.insert(m[2]);
    ++rows;
  }
  CHECK(rows == 4);
  CHECK(names == std::set<std::string>{"NotoSans-Bold", "NotoSans-Regular", "NotoSerif-Bold", "NotoSerif-Regular"});
}

TEST_CASE("pdfinfo shows the metadata, A4 and the dates", "[render][pdf]") {
  const auto info = cp::test::run("pdfinfo -isodates " + quote(sample_pdf()));
  REQUIRE(info.status == 0);
  CHECK(info.out.find("Title:           Handledning för Växjö – åäö\n") != std::string::npos);
  CHECK(info.out.find("Author:          Regionförbundet i Jönköpings län\n") != std::string::npos);
  CHECK(info.out.find("Subject:         Människohandel och prostitution\n") != std::string::npos);
  CHECK(info.out.find("Keywords:        SPoM, Växjö\n") != std::string::npos);
  CHECK(info.out.find("Creator:         coursepack\n") != std::string::npos);
  CHECK(info.out.find("Producer:        coursepack ") != std::string::npos);
  CHECK(info.out.find("CreationDate:    2023-11-14T22:13:20Z\n") != std::string::npos);
  CHECK(info.out.find("ModDate:         2023-11-14T22:13:20Z\n") != std::string::npos);
  CHECK(info.out.find("Pages:           2\n") != std::string::npos);
  CHECK(info.out.find("Page size:       595.276 x 841.89 pts (A4)\n") != std::string::npos);
  CHECK(info.out.find("PDF version:     1.7\n") != std::string::npos);  // PDF/A-2 is based on 1.7
  CHECK(info.out.find("Metadata Stream: yes\n") != std::string::npos);
}

TEST_CASE("qpdf --check finds no errors", "[render][pdf]") {
  const auto check = cp::test::run("qpdf --check " + quote(sample_pdf()));
  INFO(check.out << check.err);
  CHECK(check.status == 0);
  CHECK(check.out.find("No syntax or stream encoding errors found") != std::string::npos);
}

TEST_CASE("the PDF has its language, outline, links and one image object", "[render][pdf]") {
  const fs::path qdf = cp::test::temp_dir() / "sample-qdf.pdf";
  REQUIRE(cp::test::run("qpdf --qdf --object-streams=disable " + quote(sample_pdf()) + " " + quote(qdf)).status == 0);
  const auto dump = cp::test::run("cat " + quote(qdf));
  CHECK(dump.out.find("/Lang (sv-SE)") != std::string::npos);
  CHECK(dump.out.find("/PageMode /UseOutlines") != std::string::npos);
  CHECK(dump.out.find("/URI (https://example.org/spom)") != std::string::npos);
  CHECK(dump.out.find("/XYZ") != std::string::npos);

  const auto json = cp::test::run("qpdf --json --json-key=outlines " + quote(sample_pdf()));
  REQUIRE(json.status == 0);
  CHECK(json.out.find("\"title\": \"Modul 1: Begrepp – åäö\"") != std::string::npos);
  CHECK(json.out.find("\"title\": \"Ελληνικά och кириллица\"") != std::string::npos);
  CHECK(json.out.find("\"title\": \"Modul 2: Stöd och skydd\"") != std::string::npos);

  const auto images = cp::test::run("pdfimages -list " + quote(sample_pdf()));
  REQUIRE(images.status == 0);
  // Header, rule, then one line per placement; both use the same object.
  std::istringstream lines(images.out);
  std::string line;
  std::vector<std::string> objects;
  int n = 0;
  while (std::getline(lines, line))
    if (++n > 2) {
      std::istringstream fields(line);
      std::vector<std::string> f{std::istream_iterator<std::string>(fields), {}};
      REQUIRE(f.size() > 10);
      CHECK(f[3] == "1");  // width
      CHECK(f[4] == "1");  // height
      objects.push_back(f[10]);
    }
  REQUIRE(objects.size() == 2);
  CHECK(objects[0] == objects[1]);
}

TEST_CASE("the same document and creation time give identical bytes", "[render][pdf]") {
  const Document doc = sample_document();
  PdfOptions options;
  options.creation_time = kEpoch;
  const auto a = render_pdf(doc, options);
  const auto b = render_pdf(sample_document(), options);
  REQUIRE(a.ok);
  REQUIRE(b.ok);
  CHECK(a.bytes == b.bytes);
  // The /ID comes from the bytes, not from a clock: the same file, the same
  // /ID (render/archive.h); the placeholder is gone.
  CHECK(a.bytes.find("/ID") != std::string::npos);
  CHECK(a.bytes.find(cp::render::kIdPlaceholder) == std::string::npos);
  options.creation_time = kEpoch + 1;
  CHECK(render_pdf(doc, options).bytes != a.bytes);
  options.creation_time = std::nullopt;  // no dates at all
  const auto undated = render_pdf(doc, options);
  REQUIRE(undated.ok);
  CHECK(undated.bytes.find("/CreationDate") == std::string::npos);
  options.creation_time = 0;  // SOURCE_DATE_EPOCH=0 is 1970-01-01, a date like any other
  const auto epoch = render_pdf(doc, options);
  REQUIRE(epoch.ok);
  CHECK(epoch.bytes.find("/CreationDate (D:19700101000000") != std::string::npos);
}

TEST_CASE("documents render the same in parallel and leave no files open", "[render][pdf]") {
  auto open_fds = [] {
    return std::distance(fs::directory_iterator("/proc/self/fd"), fs::directory_iterator{});
  };
  const Document doc = sample_document();
  PdfOptions options;
  options.creation_time = kEpoch;
  const std::string expected = render_pdf(doc, options).bytes;
  const auto before = open_fds();
  std::vector<std::string> outputs(4);
  {
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < outputs.size(); ++t)
      threads.emplace_back([&, t] {
        for (int i = 0; i < 3; ++i) outputs[t] = render_pdf(doc, options).bytes;
      });
    for (auto& th : threads) th.join();
  }
  for (const auto& out : outputs) CHECK(out == expected);
  CHECK(open_fds() == before);
}

namespace {

// Per embedded font (by base name): its CIDToGIDMap (decoded), its W array
// and the embedded font file.
struct FontMaps {
  std::string map;
  std::string widths;
  std::string file;
};

std::string stream_bytes(QPDFObjectHandle stream) {
  const auto data = stream.getStreamData(qpdf_dl_generalized);
  return std::string(reinterpret_cast<const char*>(data->getBuffer()), data->getSize());
}

// A glyph's advance and outline box in a font file, in font units.
struct GlyphBox {
  hb_position_t advance = 0;
  hb_glyph_extents_t extents{};
  bool operator==(const GlyphBox& o) const {
    return advance == o.advance && extents.x_bearing == o.extents.x_bearing &&
           extents.y_bearing == o.extents.y_bearing && extents.width == o.extents.width &&
           extents.height == o.extents.height;
  }
};

std::vector<GlyphBox> glyph_boxes(const std::string& font_file) {
  hb_blob_t* blob = hb_blob_create(font_file.data(), static_cast<unsigned>(font_file.size()), HB_MEMORY_MODE_READONLY,
                                   nullptr, nullptr);
  hb_face_t* face = hb_face_create(blob, 0);
  hb_font_t* font = hb_font_create(face);
  std::vector<GlyphBox> out(hb_face_get_glyph_count(face));
  for (unsigned g = 0; g < out.size(); ++g) {
    out[g].advance = hb_font_get_glyph_h_advance(font, g);
    hb_font_get_glyph_extents(font, g, &out[g].extents);
  }
  hb_font_destroy(font);
  hb_face_destroy(face);
  hb_blob_destroy(blob);
  return out;
}

std::map<std::string, FontMaps> font_maps(const std::string& pdf) {
  QPDF q;
  q.processMemoryFile("rendered", pdf.data(), pdf.size());
  std::map<std::string, FontMaps> out;
  for (auto& page : QPDFPageDocumentHelper(q).getAllPages()) {
    auto fonts = page.getAttribute("/Resources", false).getKey("/Font");
    for (const auto& key : fonts.getKeys()) {
      auto font = fonts.getKey(key);
      auto cid = font.getKey("/DescendantFonts").getArrayItem(0);
      std::string name = font.getKey("/BaseFont").getName();
      name = name.substr(name.find('+') + 1);
      auto map = cid.getKey("/CIDToGIDMap");
      out[name] = {map.isStream() ? stream_bytes(map) : map.unparse(), cid.getKey("/W").unparse(),
                   stream_bytes(cid.getKey("/FontDescriptor").getKey("/FontFile2"))};
    }
  }
  return out;
}

}  // namespace

TEST_CASE("fonts show glyph ids: each CID maps to its glyph in the subset, widths of exactly the glyphs used",
          "[render][pdf]") {
  const Document doc = sample_document();
  PdfOptions options;
  options.creation_time = kEpoch;
  const auto r = render_pdf(doc, options);
  REQUIRE(r.ok);

  // The glyphs each face sets in the sample, as HarfBuzz shapes the runs.
  std::map<std::string, std::set<std::uint16_t>> used;
  std::map<std::string, const cp::fonts::Face*> faces;
  const auto& fonts = *doc.fonts;
  for (const auto& page : doc.pages)
    for (const auto& item : page.items)
      if (const auto* run = std::get_if<GlyphRun>(&item)) {
        const auto& face = fonts.face(run->font);
        faces[face.postscript_name()] = &face;
        for (const auto& g : *face.shape(run->text)) used[face.postscript_name()].insert(g.gid);
      }

  const auto maps = font_maps(r.bytes);
  REQUIRE(maps.size() == 4);
  for (const auto& [name, m] : maps) {
    INFO(name);
    REQUIRE(used.count(name) == 1);
    // Two bytes per CID up to the last glyph used; each used CID maps to
    // the subset's glyph of the same advance and outline as the face's
    // glyph of that id; the subset holds the glyphs used and few others
    // (.notdef, components of composite glyphs).
    REQUIRE(m.map.size() == 2 * (static_cast<std::size_t>(*used[name].rbegin()) + 1));
    const auto original = glyph_boxes(faces[name]->bytes());
    const auto subset = glyph_boxes(m.file);
    CHECK(subset.size() < used[name].size() + 10);
    std::set<unsigned> targets;
    for (std::uint16_t gid : used[name]) {
      INFO("glyph " << gid);
      const unsigned to = (static_cast<unsigned char>(m.map[2 * gid]) << 8) |
                          static_cast<unsigned char>(m.map[2 * gid + 1]);
      REQUIRE(to < subset.size());
      CHECK(to != 0);
      CHECK(subset[to] == original[gid]);
      targets.insert(to);
    }
    CHECK(targets.size() == used[name].size());  // no two CIDs share a glyph
    // [first [w w ...] first [w ...] ...] over consecutive glyph ids.
    std::string expected = "[ ";
    int prev = -2;
    bool open = false;
    for (std::uint16_t gid : used[name]) {
      if (gid != prev + 1) {
        if (open) expected += " ] ";
        expected += std::to_string(gid) + " [";
        open = true;
      }
      expected += " " + std::to_string(faces[name]->glyph_advance(gid));
      prev = gid;
    }
    expected += " ] ]";
    CHECK(m.widths == expected);
  }
}

TEST_CASE("every font's glyphs are drawn, not only extractable", "[render][pdf]") {
  // libharu leaves a glyph empty in the embedded font unless it was marked
  // as used; text would then extract but print blank.
  auto fonts = cp::test::noto_fonts();
  for (cp::fonts::FontId id : {cp::test::kSerif, cp::test::kSerifBold, cp::test::kSans, cp::test::kSansBold}) {
    Document doc;
    doc.fonts = fonts;
    Page page;
    page.items.push_back(cp::test::run(id, 40, 700, 60, "ÅÄÖ Wy", *fonts));
    doc.pages.push_back(page);
    PdfOptions options;
    const auto r = render_pdf(doc, options);
    REQUIRE(r.ok);
    const fs::path path = cp::test::temp_dir() / "ink.pdf";
    cp::test::write_file(path, r.bytes);
    const auto pgm = cp::test::run("pdftoppm -r 30 -gray " + quote(path));
    REQUIRE(pgm.status == 0);
    const auto dark = std::count_if(pgm.out.begin() + 20, pgm.out.end(),
                                    [](char c) { return static_cast<unsigned char>(c) < 128; });
    INFO("font " << id);
    CHECK(dark > 300);
  }
}

TEST_CASE("uncompressed output is valid too", "[render][pdf]") {
  PdfOptions options;
  options.compress = false;
  const auto r = render_pdf(sample_document(), options);
  REQUIRE(r.ok);
  CHECK(r.bytes.find("/FlateDecode") == std::string::npos);
  const fs::path path = cp::test::temp_dir() / "plain.pdf";
  cp::test::write_file(path, r.bytes);
  CHECK(cp::test::run("qpdf --check " + quote(path)).status == 0);
}

TEST_CASE("a 16-bit or interlaced PNG gives a clear error", "[render][pdf]") {
  for (const auto& [bits, interlace, message] :
       {std::tuple{16, 0, "16-bit PNG is not supported"}, std::tuple{8, 1, "interlaced PNG is not supported"}}) {
    const fs::path png = cp::test::temp_dir() / ("bad-" + std::to_string(bits) + "-" + std::to_string(interlace) + ".png");
    cp::test::write_file(png, cp::test::make_png(4, 4, bits, 2, interlace));
    Document doc = sample_document();
    Image image;
    image.width = image.height = 10;
    image.path = png.string();
    doc.pages[1].items.push_back(image);
    const auto r = render_pdf(doc, {});
    CHECK_FALSE(r.ok);
    CHECK(r.bytes.empty());
    CHECK(r.error == "cannot use image '" + png.string() + "': " + message +
                         (bits == 16 ? " (save it with 8 bits per channel)" : " (save it without interlacing)"));
  }
}

TEST_CASE("JPEG images, baseline and progressive, are embedded", "[render][pdf]") {
  // Real JPEG files made by pdftoppm from the sample PDF.
  for (const std::string opt : {"progressive=n", "progressive=y"}) {
    const fs::path stem = cp::test::temp_dir() / ("photo-" + opt.substr(12));
    REQUIRE(cp::test::run("pdftoppm -jpeg -jpegopt " + opt + " -r 10 -singlefile " + quote(sample_pdf()) + " " +
                          quote(stem))
                .status == 0);
    Document doc = sample_document();
    doc.pages[1].items.push_back(cp::test::image(stem.string() + ".jpg", 300, 100, 60, 85));
    const auto r = render_pdf(doc, {});
    INFO(r.error);
    REQUIRE(r.ok);
    const fs::path pdf = cp::test::temp_dir() / ("photo-" + opt.substr(12) + ".pdf");
    cp::test::write_file(pdf, r.bytes);
    const auto images = cp::test::run("pdfimages -list " + quote(pdf));
    CHECK(images.out.find(" jpeg ") != std::string::npos);
    CHECK(cp::test::run("qpdf --check " + quote(pdf)).status == 0);
  }
}

TEST_CASE("a missing image file is an error naming it", "[render][pdf]") {
  Document doc = sample_document();
  Image image;
  image.path = "/nonexistent/logo.png";
  doc.pages[0].items.push_back(image);
  const auto r = render_pdf(doc, {});
  CHECK_FALSE(r.ok);
  CHECK(r.error == "cannot use image '/nonexistent/logo.png': file not found");
}

TEST_CASE("a character the font lacks is left out with a warning", "[render][pdf]") {
  auto fonts = cp::test::noto_fonts();
  Document doc;
  doc.fonts = fonts;
  Page page;
  page.items.push_back(cp::test::run(cp::test::kSans, 50, 700, 12, "Snö ☃ och is", *fonts));
  doc.pages.push_back(page);
  const auto r = render_pdf(doc, {});
  REQUIRE(r.ok);
  REQUIRE(r.warnings.size() == 1);
  CHECK(r.warnings[0] == "character U+2603 '☃' is not in font NotoSans-Regular; left out (first on page 1)");
  const fs::path path = cp::test::temp_dir() / "snow.pdf";
  cp::test::write_file(path, r.bytes);
  const auto text = cp::test::run("pdftotext -enc UTF-8 " + quote(path) + " -");
  INFO(text.out);
  CHECK(text.out.find("Snö") != std::string::npos);
  CHECK(text.out.find("☃") == std::string::npos);
}

TEST_CASE("a fallback font found with fontconfig is embedded too", "[render][pdf]") {
  if (!cp::test::require_font("Droid Sans Fallback")) return;
  auto fonts = cp::test::noto_fonts();
  const auto cjk = fonts->fallback_for(cp::test::kSans, U'中', cp::fonts::Style::Regular);
  REQUIRE(cjk);
  Document doc;
  doc.fonts = fonts;
  Page page;
  page.items.push_back(cp::test::run(cp::test::kSans, 50, 700, 12, "Namn:", *fonts));
  page.items.push_back(cp::test::run(*cjk, 90, 700, 12, "王秀英", *fonts));
  doc.pages.push_back(page);
  const auto r = render_pdf(doc, {});
  REQUIRE(r.ok);
  CHECK(r.warnings.empty());
  const fs::path path = cp::test::temp_dir() / "cjk.pdf";
  cp::test::write_file(path, r.bytes);
  CHECK(cp::test::run("pdftotext -enc UTF-8 " + quote(path) + " -").out.find("王秀英") != std::string::npos);
  const auto list = cp::test::run("pdffonts " + quote(path));
  const std::string name = fonts->face(*cjk).postscript_name();
  INFO(list.out);
  CHECK(std::regex_search(list.out, std::regex("[A-Z]{6}\\+" + name + " .* yes yes yes ")));
}

TEST_CASE("bad documents give errors, not crashes", "[render][pdf]") {
  SECTION("no pages") { CHECK(render_pdf(Document{}, {}).error == "the document has no pages"); }
  SECTION("invalid UTF-8") {
    Document doc = sample_document();
    doc.pages[0].items.push_back(cp::test::run(cp::test::kSans, 1, 1, 10, "ok", *doc.fonts));
    std::get<GlyphRun>(doc.pages[0].items.back()).text = "bad \xC3(";
    CHECK(render_pdf(doc, {}).error == "text on page 1 is not valid UTF-8");
  }
  SECTION("unknown font") {
    Document doc = sample_document();
    GlyphRun r;
    r.font = 17;
    r.text = "x";
    doc.pages[1].items.push_back(r);
    CHECK(render_pdf(doc, {}).error == "text on page 2 refers to font #17, which is not loaded");
  }
  SECTION("link to a missing page") {
    Document doc = sample_document();
    Link l;
    l.dest_page = 5;
    doc.pages[0].items.push_back(l);
    CHECK(render_pdf(doc, {}).error == "a link on page 1 points to page 6, which does not exist");
  }
  SECTION("bookmark to a missing page") {
    Document doc = sample_document();
    doc.outline.push_back({0, "Bilaga", 2, 700});
    CHECK(render_pdf(doc, {}).error == "bookmark 'Bilaga' points to page 3, which does not exist");
  }
}

// Not run by default: `test_render "[.bench]"`. One certificate-like page
// with Noto Sans regular and bold.
TEST_CASE("benchmark: one-page document with Noto Sans regular and bold", "[.bench]") {
  auto fonts = cp::test::noto_fonts();
  Document doc;
  doc.fonts = fonts;
  doc.meta.title = "Intyg";
  Page page;
  page.items.push_back(cp::test::run(cp::test::kSansBold, 100, 700, 28, "INTYG", *fonts));
  page.items.push_back(cp::test::run(cp::test::kSansBold, 100, 640, 20, "Nguyễn Thị Thu Hằng", *fonts));
  page.items.push_back(cp::test::run(cp::test::kSans, 100, 600, 11,
                                     "har deltagit i utbildningen om sexuell exploatering, prostitution och", *fonts));
  page.items.push_back(cp::test::run(cp::test::kSans, 100, 585, 11,
                                     "människohandel i Jönköpings län den 14 mars 2023 (6 timmar).", *fonts));
  page.items.push_back(cp::test::run(cp::test::kSans, 100, 200, 10, "Åsa Öberg, samordnare", *fonts));
  doc.pages.push_back(page);
  PdfOptions options;
  options.creation_time = kEpoch;
  const int n = 100;
  std::size_t size = 0;
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  for (int i = 0; i < n; ++i) {
    const auto r = render_pdf(doc, options);
    REQUIRE(r.ok);
    size = r.bytes.size();
  }
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / n;
  const double cpu_ms = 1000.0 * static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC / n;
  WARN("one-page document, Noto Sans regular+bold: " << ms << " ms per document (" << cpu_ms << " ms CPU), "
                                                     << static_cast<double>(size) / 1024.0 << " KB");
}

TEST_CASE("split_pages gives each page as a PDF of its own", "[render][pdf][split]") {
  const std::string bytes = [] {
    std::ifstream f(sample_pdf(), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
  }();
  const auto split = cp::render::split_pages(bytes);
  INFO(split.error);
  REQUIRE(split.ok);
  REQUIRE(split.pages.size() == 2);
  // The same bytes every time: the /ID comes from the content.
  CHECK(cp::render::split_pages(bytes).pages == split.pages);
  CHECK(split.pages[0] != split.pages[1]);
  for (std::size_t i = 0; i < 2; ++i) {
    const fs::path one = cp::test::temp_dir() / ("split-" + std::to_string(i) + ".pdf");
    cp::test::write_file(one, split.pages[i]);
    CHECK(cp::test::run("qpdf --check " + quote(one.string()) + " >/dev/null 2>&1").status == 0);
    const auto info = cp::test::run("pdfinfo " + quote(one.string()));
    CHECK(info.out.find("Pages:           1\n") != std::string::npos);
    // The document information and language stay.
    CHECK(info.out.find("Title:           Handledning för Växjö – åäö") != std::string::npos);
    CHECK(info.out.find("Author:          Regionförbundet i Jönköpings län") != std::string::npos);
    const auto lang_at = bytes.find("/Lang (");
    REQUIRE(lang_at != std::string::npos);
    CHECK(split.pages[i].find(bytes.substr(lang_at, bytes.find(')', lang_at) - lang_at + 1)) != std::string::npos);
    // The text is the page's, and extracts; the fonts are embedded subsets.
    const auto text = cp::test::run("pdftotext -enc UTF-8 " + quote(one.string()) + " -").out;
    const auto whole = cp::test::run("pdftotext -enc UTF-8 -f " + std::to_string(i + 1) + " -l " +
                                     std::to_string(i + 1) + " " + quote(sample_pdf().string()) + " -")
                           .out;
    CHECK(text == whole);
    const auto fonts = cp::test::run("pdffonts " + quote(one.string())).out;
    CHECK(fonts.find(" no ") == std::string::npos);
  }
  CHECK(cp::test::run("pdftotext -enc UTF-8 " + quote((cp::test::temp_dir() / "split-1.pdf").string()) + " -")
            .out.find("Modul 2: Stöd och skydd") != std::string::npos);
}

namespace {

// Three pages sharing fonts and an image, each with an external link: what
// the certificates look like to the splitter.
std::string three_page_pdf() {
  auto fonts = cp::test::noto_fonts();
  Document doc;
  doc.fonts = fonts;
  doc.meta.title = "Intyg – Växjö";
  for (int p = 0; p < 3; ++p) {
    Page page;
    page.width = 841.89;
    page.height = 595.276;
    page.items.push_back(cp::test::run(cp::test::kSansBold, 100, 500, 28, "KURSINTYG " + std::to_string(p + 1), *fonts));
    page.items.push_back(cp::test::run(cp::test::kSerif, 100, 450, 14, p == 1 ? "Åsa Öberg" : "Nguyễn Thị Thu Hằng",
                                       *fonts));
    Rect r = cp::test::rect(100, 400, 20 + 10 * p, 20);
    r.fill_color = {0, 0.32, 0.55};
    page.items.push_back(r);
    page.items.push_back(cp::test::image(png_path(), 700, 80, 60, 60));
    page.items.push_back(cp::test::link("https://example.org/intyg/" + std::to_string(p), 100, 100, 120, 12));
    doc.pages.push_back(page);
  }
  PdfOptions options;
  options.creation_time = kEpoch;
  const auto r = render_pdf(doc, options);
  REQUIRE(r.ok);
  return r.bytes;
}

}  // namespace

TEST_CASE("the renderer's files are split directly, as qpdf splits them", "[render][pdf][split]") {
  const std::string whole = three_page_pdf();
  const fs::path whole_path = cp::test::temp_dir() / "three.pdf";
  cp::test::write_file(whole_path, whole);
  const auto direct = cp::render::split_pages_direct(whole);
  INFO(direct.error);
  REQUIRE(direct.ok);
  REQUIRE(direct.pages.size() == 3);
  const auto via_qpdf = cp::render::split_pages_qpdf(whole);
  REQUIRE(via_qpdf.ok);
  CHECK(cp::render::split_pages(whole).pages == direct.pages);  // split_pages takes the direct path
  CHECK(cp::render::split_pages_direct(whole).pages == direct.pages);
  for (std::size_t i = 0; i < 3; ++i) {
    INFO("page " << i + 1);
    const fs::path a = cp::test::temp_dir() / ("direct-" + std::to_string(i) + ".pdf");
    const fs::path b = cp::test::temp_dir() / ("qpdf-" + std::to_string(i) + ".pdf");
    cp::test::write_file(a, direct.pages[i]);
    cp::test::write_file(b, via_qpdf.pages[i]);
    const auto check = cp::test::run("qpdf --check " + quote(a));
    CHECK(check.status == 0);
    CHECK(check.out.find("No syntax or stream encoding errors found") != std::string::npos);
    CHECK(check.err == "");
    const auto info = cp::test::run("pdfinfo " + quote(a)).out;
    CHECK(info.find("Pages:           1\n") != std::string::npos);
    CHECK(info.find("Title:           Intyg – Växjö\n") != std::string::npos);
    CHECK(info.find("Page size:       841.89 x 595.276 pts") != std::string::npos);
    const std::string page = std::to_string(i + 1);
    CHECK(cp::test::run("pdftotext -enc UTF-8 " + quote(a) + " -").out ==
          cp::test::run("pdftotext -enc UTF-8 -f " + page + " -l " + page + " " + quote(whole_path) + " -").out);
    CHECK(cp::test::run("pdftoppm -r 40 " + quote(a)).out == cp::test::run("pdftoppm -r 40 " + quote(b)).out);
    const std::string annots = cp::test::run("qpdf --qdf --object-streams=disable " + quote(a) + " -").out;
    CHECK(annots.find("https://example.org/intyg/" + std::to_string(i)) != std::string::npos);
    REQUIRE(whole.find("/Lang (sv-SE)") != std::string::npos);
    CHECK(annots.find("/Lang (sv-SE)") != std::string::npos);  // kept
    CHECK(annots.find("/Type /Metadata") != std::string::npos);
    CHECK(annots.find("/S /GTS_PDFA1") != std::string::npos);
    CHECK(direct.pages[i].size() < whole.size());
  }
}

TEST_CASE("print.pdf is made directly from the renderer's files and prints what qpdf's does", "[render][pdf][print]") {
  const std::string three = three_page_pdf();  // certificates: landscape, an image, links
  const std::string sample = [] {              // a handout: an image twice, a link to page 2, an outline
    std::ifstream f(sample_pdf(), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
  }();
  const std::vector<cp::render::PrintPart> parts = {{&sample, 2, false}, {&three, 1, true}};
  const auto direct = cp::render::print_file_direct(parts, {});
  REQUIRE(direct);
  REQUIRE(direct->ok);
  const auto via_qpdf = cp::render::print_file_qpdf(parts, {});
  REQUIRE(via_qpdf.ok);
  CHECK(cp::render::print_file(parts, {}).pdf == direct->pdf);  // print_file takes the direct path
  CHECK(cp::render::print_file_direct(parts, {})->pdf == direct->pdf);  // the same bytes again
  // 2 pages twice, then three certificates each with a blank back.
  CHECK(direct->pages == 10);
  CHECK(direct->blanks == 3);
  CHECK(via_qpdf.pages == direct->pages);
  CHECK(via_qpdf.blanks == direct->blanks);

  const fs::path a = cp::test::temp_dir() / "print-direct.pdf";
  const fs::path b = cp::test::temp_dir() / "print-qpdf.pdf";
  cp::test::write_file(a, direct->pdf);
  cp::test::write_file(b, via_qpdf.pdf);
  const auto check = cp::test::run("qpdf --check " + quote(a));
  CHECK(check.status == 0);
  CHECK(check.out.find("No syntax or stream encoding errors found") != std::string::npos);
  CHECK(check.err == "");
  const auto info = cp::test::run("pdfinfo -f 1 -l 10 " + quote(a)).out;
  CHECK(info.find("Pages:           10\n") != std::string::npos);
  CHECK(info.find("Page    1 size:  595.276 x 841.89 pts (A4)") != std::string::npos);
  CHECK(info.find("Page    5 size:  841.89 x 595.276 pts") != std::string::npos);
  const auto text = cp::test::run("pdftotext -enc UTF-8 " + quote(a) + " -");
  CHECK(text.err == "");
  CHECK(text.out == cp::test::run("pdftotext -enc UTF-8 " + quote(b) + " -").out);
  CHECK(text.out.find("Diskussion: Vad gör ni i Eksjö?") != std::string::npos);
  CHECK(text.out.find("Nguyễn Thị Thu Hằng") != std::string::npos);
  // Pixel for pixel the pages qpdf's file shows (fonts, images, colours).
  CHECK(cp::test::run("pdftoppm -r 30 " + quote(a)).out == cp::test::run("pdftoppm -r 30 " + quote(b)).out);
  // Each source page is stored once, its content stream as the renderer
  // compressed it; the fonts and the image too.
  std::size_t forms = 0;
  for (std::size_t at = 0; (at = direct->pdf.find("/Subtype /Form", at)) != std::string::npos; ++at) ++forms;
  CHECK(forms == 5);
  CHECK(direct->pdf.size() < sample.size() + three.size());
}

TEST_CASE("the direct print file refuses damaged parts without crashing", "[render][pdf][print]") {
  const std::string whole = three_page_pdf();
  std::size_t refused = 0, cases = 0;
  for (std::size_t cut = 0; cut < whole.size(); cut += whole.size() / 97 + 1) {
    ++cases;
    const std::string part = whole.substr(0, cut);
    if (!cp::render::print_file_direct({{&part, 1, false}}, {})) ++refused;
    std::string damaged = whole;
    damaged[cut] = static_cast<char>(damaged[cut] ^ 0x5A);
    (void)cp::render::print_file_direct({{&damaged, 1, false}}, {});  // either way, no crash (ASan runs this too)
  }
  CHECK(refused == cases);
  const std::string junk = "not a pdf";
  CHECK_FALSE(cp::render::print_file({{&junk, 1, false}}, {}).ok);  // nor does qpdf read it
}

TEST_CASE("a page that reaches another page goes to qpdf", "[render][pdf][split]") {
  const std::string bytes = [] {
    std::ifstream f(sample_pdf(), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
  }();
  // The sample's first page links to its second.
  const auto direct = cp::render::split_pages_direct(bytes);
  CHECK_FALSE(direct.ok);
  CHECK(direct.error == "page 1 refers to objects this splitter does not copy");
  CHECK(cp::render::split_pages(bytes).ok);
}

TEST_CASE("the direct splitter refuses damaged files without crashing", "[render][pdf][split]") {
  const std::string whole = three_page_pdf();
  std::size_t refused = 0, cases = 0;
  for (std::size_t cut = 0; cut < whole.size(); cut += whole.size() / 97 + 1) {
    ++cases;
    if (!cp::render::split_pages_direct(whole.substr(0, cut)).ok) ++refused;
    std::string damaged = whole;
    damaged[cut] = static_cast<char>(damaged[cut] ^ 0x5A);
    (void)cp::render::split_pages_direct(damaged);  // either way, no crash (ASan runs this too)
  }
  CHECK(refused == cases);  // a file cut short has no trailer at its end
}

TEST_CASE("split_pages refuses what is not a PDF", "[render][pdf][split]") {
  const auto split = cp::render::split_pages("not a pdf at all");
  CHECK_FALSE(split.ok);
  CHECK(split.pages.empty());
  CHECK(split.error.rfind("cannot split the PDF into pages: ", 0) == 0);
}
