#include "fonts/fonts.h"

#include <catch2/catch.hpp>
#include <thread>
#include <hb.h>
#include <unistd.h>

#include <filesystem>

#include "core/text.h"
#include "support/requirements.h"

using namespace cp::fonts;

namespace {

std::string file_name(const std::optional<std::string>& path) {
  return path ? std::filesystem::path(*path).filename().string() : std::string("(none)");
}

std::shared_ptr<const Face> noto(const std::string& family, Style style) {
  const auto path = find_family(family, style);
  REQUIRE(path);
  auto face = cached_face(*path);
  REQUIRE(face);
  return face;
}

// The face HarfBuzz reads from subset bytes, for checking what came out.
struct HbFace {
  explicit HbFace(const std::string& bytes) {
    blob = hb_blob_create(bytes.data(), static_cast<unsigned>(bytes.size()), HB_MEMORY_MODE_READONLY, nullptr,
                          nullptr);
    face = hb_face_create(blob, 0);
  }
  ~HbFace() {
    hb_face_destroy(face);
    hb_blob_destroy(blob);
  }
  HbFace(const HbFace&) = delete;
  HbFace& operator=(const HbFace&) = delete;
  bool has_table(hb_tag_t tag) const {
    hb_blob_t* t = hb_face_reference_table(face, tag);
    const bool has = hb_blob_get_length(t) > 0;
    hb_blob_destroy(t);
    return has;
  }
  hb_blob_t* blob;
  hb_face_t* face;
};

}  // namespace

TEST_CASE("find_family finds the file of a family in a style", "[fonts]") {
  CHECK(file_name(find_family("Noto Serif", Style::Regular)) == "NotoSerif-Regular.ttf");
  CHECK(file_name(find_family("Noto Serif", Style::Bold)) == "NotoSerif-Bold.ttf");
  CHECK(file_name(find_family("Noto Serif", Style::Italic)) == "NotoSerif-Italic.ttf");
  CHECK(file_name(find_family("Noto Serif", Style::BoldItalic)) == "NotoSerif-BoldItalic.ttf");
  CHECK(file_name(find_family("Noto Sans", Style::Regular)) == "NotoSans-Regular.ttf");
  CHECK(file_name(find_family("noto sans", Style::Bold)) == "NotoSans-Bold.ttf");
}

TEST_CASE("find_family never substitutes another family or width", "[fonts]") {
  CHECK_FALSE(find_family("No Such Family Anywhere", Style::Regular));
  CHECK_FALSE(find_family("", Style::Regular));
  if (!cp::test::require_font("DejaVu Sans") || !cp::test::require_font("DejaVu Sans Condensed")) return;
  // The regular width is preferred when a family name is shared ...
  CHECK(file_name(find_family("DejaVu Sans", Style::Regular)) == "DejaVuSans.ttf");
  // ... and a family that exists only condensed is still found.
  CHECK(file_name(find_family("DejaVu Sans Condensed", Style::Bold)) == "DejaVuSansCondensed-Bold.ttf");
}

TEST_CASE("find_family only returns fonts libharu can embed", "[fonts]") {
  // Nimbus Sans is installed as CFF OpenType and Type 1 only.
  if (!cp::test::require_font("Nimbus Sans")) return;
  CHECK_FALSE(find_family("Nimbus Sans", Style::Regular));
}

TEST_CASE("find_covering lists TrueType files that have the character", "[fonts]") {
  const auto paths = find_covering(U'\u2603', Style::Regular);  // snowman
  REQUIRE_FALSE(paths.empty());
  for (const auto& p : paths) {
    CHECK(std::filesystem::path(p).extension() == ".ttf");
    auto face = cached_face(p);
    REQUIRE(face);
    CHECK(face->covers(U'\u2603'));
  }
  CHECK(find_covering(U'\u0378', Style::Regular).empty());  // unassigned
}

TEST_CASE("Face reads metrics in 1/1000 em", "[fonts]") {
  auto sans = noto("Noto Sans", Style::Regular);
  CHECK(sans->units_per_em() == 1000);
  CHECK(sans->postscript_name() == "NotoSans-Regular");
  // hhea ascender/descender of Noto Sans, and OS/2 sCapHeight.
  CHECK(sans->ascender() == 1069);
  CHECK(sans->descender() == -293);
  CHECK(sans->cap_height() == 714);
  CHECK(sans->advance(U' ') == 260);
  CHECK(sans->advance(U'\u0378') == 0);
  CHECK(sans->advance("aa") == 2 * sans->advance(U'a'));
}

TEST_CASE("Face covers Swedish, Vietnamese, Greek and Cyrillic in Noto Sans", "[fonts]") {
  for (Style style : {Style::Regular, Style::Bold}) {
    auto sans = noto("Noto Sans", style);
    const std::string samples =
        "åäöÅÄÖ Nguyễn Thị Thu Hằng Ελληνικά Σωκράτης Кириллица Щука ё – ” § € ½ ﬁ";
    for (char32_t cp : cp::text::decode_utf8(samples)) {
      INFO("U+" << std::hex << static_cast<unsigned>(cp));
      CHECK(sans->covers(cp));
      CHECK(sans->advance(cp) > 0);
    }
  }
}

TEST_CASE("Face does not claim characters libharu cannot set", "[fonts]") {
  if (!cp::test::require_font("DejaVu Sans")) return;
  auto dejavu = cached_face(*find_family("DejaVu Sans", Style::Regular));
  REQUIRE(dejavu);
  CHECK_FALSE(dejavu->covers(U'\t'));
  CHECK_FALSE(dejavu->covers(U'\n'));
  // DejaVu Sans maps mathematical alphanumerics beyond the BMP; libharu
  // would print them as spaces.
  CHECK_FALSE(dejavu->covers(U'\U0001D400'));
  CHECK(dejavu->advance(U'\U0001D400') == 0);
}

TEST_CASE("Face::load refuses what is not a usable font", "[fonts]") {
  std::string error;
  CHECK(Face::load("/nonexistent/font.ttf", &error) == nullptr);
  CHECK_FALSE(error.empty());
  CHECK(Face::load(COURSEPACK_SOURCE_DIR "/CMakeLists.txt", &error) == nullptr);
  CHECK(error.find("not a font") != std::string::npos);
  const std::string cff = "/usr/share/fonts/opentype/urw-base35/NimbusSans-Regular.otf";
  if (!cp::test::require_file(cff)) return;
  CHECK(Face::load(cff, &error) == nullptr);
  CHECK(error.find("TrueType outlines") != std::string::npos);
}

TEST_CASE("cached_face loads a file once", "[fonts]") {
  const auto path = *find_family("Noto Serif", Style::Regular);
  auto a = cached_face(path);
  auto b = cached_face(path);
  REQUIRE(a);
  CHECK(a.get() == b.get());
  CHECK(cached_face("/nonexistent.ttf") == nullptr);
}

TEST_CASE("FontSet gives one id per file", "[fonts]") {
  FontSet set;
  const auto serif = set.add(noto("Noto Serif", Style::Regular));
  const auto sans = set.add(noto("Noto Sans", Style::Regular));
  CHECK(serif == 0);
  CHECK(sans == 1);
  CHECK(set.add(noto("Noto Serif", Style::Regular)) == serif);
  CHECK(set.size() == 2);
  CHECK(set.face(sans).postscript_name() == "NotoSans-Regular");
}

TEST_CASE("fallback_for looks in the set first, then in installed fonts", "[fonts]") {
  FontSet set;
  const auto sans = set.add(noto("Noto Sans", Style::Regular));
  // Covered by the preferred face itself.
  CHECK(set.fallback_for(sans, U'å', Style::Regular) == sans);

  // Noto Sans has no snowman; with DejaVu Sans in the set, that is used.
  if (!cp::test::require_font("DejaVu Sans") || !cp::test::require_font("Droid Sans Fallback")) return;
  REQUIRE_FALSE(set.face(sans).covers(U'\u2603'));
  const auto dejavu = set.add(cached_face(*find_family("DejaVu Sans", Style::Regular)));
  CHECK(set.fallback_for(sans, U'\u2603', Style::Regular) == dejavu);
  CHECK(set.size() == 2);

  // A CJK character: found with fontconfig and added to the set.
  REQUIRE_FALSE(set.face(sans).covers(U'中'));
  const auto cjk = set.fallback_for(sans, U'中', Style::Regular);
  REQUIRE(cjk);
  CHECK(*cjk == 2);
  CHECK(set.size() == 3);
  CHECK(set.face(*cjk).covers(U'中'));
  // Asked again: found in the set now.
  CHECK(set.fallback_for(sans, U'文', Style::Regular) == cjk);

  // Nothing installed has an unassigned code point, nor can libharu set
  // characters beyond the BMP.
  CHECK_FALSE(set.fallback_for(sans, U'\u0378', Style::Regular));
  CHECK_FALSE(set.fallback_for(sans, U'\U0001F600', Style::Regular));
}

TEST_CASE("subset keeps the characters asked for, with their metrics", "[fonts]") {
  auto serif = noto("Noto Serif", Style::Regular);
  const std::string sample = "Nguyễn Thị Thu Hằng åäö Ωμέγα Жизнь –”§";
  std::set<char32_t> chars;
  for (char32_t cp : cp::text::decode_utf8(sample)) chars.insert(cp);
  const std::string bytes = serif->subset(chars);
  REQUIRE_FALSE(bytes.empty());
  CHECK(bytes.size() < serif->bytes().size() / 10);

  HbFace sub(bytes);
  // .notdef, a glyph per character and the components of composite
  // glyphs (ễ is e + two marks); no layout closure.
  HbFace full(serif->bytes());
  CHECK(hb_face_get_glyph_count(full.face) > 2000);
  CHECK(hb_face_get_glyph_count(sub.face) < 2 * chars.size());
  for (hb_tag_t tag : {HB_TAG('c', 'm', 'a', 'p'), HB_TAG('g', 'l', 'y', 'f'), HB_TAG('l', 'o', 'c', 'a'),
                       HB_TAG('h', 'e', 'a', 'd'), HB_TAG('h', 'h', 'e', 'a'), HB_TAG('h', 'm', 't', 'x'),
                       HB_TAG('m', 'a', 'x', 'p'), HB_TAG('n', 'a', 'm', 'e'), HB_TAG('O', 'S', '/', '2'),
                       HB_TAG('p', 'o', 's', 't')})
    CHECK(sub.has_table(tag));
  CHECK_FALSE(sub.has_table(HB_TAG('G', 'S', 'U', 'B')));
  CHECK_FALSE(sub.has_table(HB_TAG('G', 'P', 'O', 'S')));

  // Write it out and load it as a Face: same coverage and advances.
  const auto tmp = std::filesystem::temp_directory_path() / ("coursepack-test-subset-" + std::to_string(::getpid()) + ".ttf");
  {
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    REQUIRE(f);
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
  }
  auto face = Face::load(tmp.string());
  std::filesystem::remove(tmp);
  REQUIRE(face);
  CHECK(face->postscript_name() == "NotoSerif-Regular");
  CHECK(face->ascender() == serif->ascender());
  CHECK(face->descender() == serif->descender());
  for (char32_t cp : chars) {
    INFO("U+" << std::hex << static_cast<unsigned>(cp));
    CHECK(face->covers(cp));
    CHECK(face->advance(cp) == serif->advance(cp));
  }
  CHECK_FALSE(face->covers(U'x'));
}

TEST_CASE("Face::load refuses a font whose licence forbids embedding", "[fonts]") {
  auto sans = noto("Noto Sans", Style::Regular);
  std::string bytes = sans->bytes();
  // Find the OS/2 table in the table directory and set fsType to 0x0002.
  const auto u16 = [&](std::size_t off) {
    return static_cast<unsigned>((static_cast<unsigned char>(bytes[off]) << 8) | static_cast<unsigned char>(bytes[off + 1]));
  };
  const auto u32 = [&](std::size_t off) { return (std::size_t{u16(off)} << 16) | u16(off + 2); };
  std::size_t os2 = 0;
  for (unsigned i = 0; i < u16(4); ++i)
    if (bytes.compare(12 + 16 * i, 4, "OS/2") == 0) os2 = u32(12 + 16 * i + 8);
  REQUIRE(os2 != 0);
  bytes[os2 + 8] = 0;
  bytes[os2 + 9] = 2;
  const auto tmp = std::filesystem::temp_directory_path() / ("coursepack-test-restricted-" + std::to_string(::getpid()) + ".ttf");
  {
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    REQUIRE(f);
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
  }
  std::string error;
  CHECK(Face::load(tmp.string(), &error) == nullptr);
  std::filesystem::remove(tmp);
  CHECK(error == "the licence of font '" + tmp.string() + "' does not allow embedding a subset in a PDF");
}

TEST_CASE("shaped_advance is safe when threads shape the same new words at once", "[fonts]") {
  // Two threads that shape one word at the same moment both make an entry;
  // only one is kept in the cache, and the other must still be readable.
  auto face = cached_face(*find_family("Noto Sans", Style::Regular));
  REQUIRE(face);
  constexpr int kWords = 3000;
  auto word = [](int i) { return "Samverkansrutin" + std::to_string(i) + "-" + std::to_string(i * 7); };
  std::vector<std::vector<double>> got(4, std::vector<double>(kWords));
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < got.size(); ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWords; ++i) got[t][static_cast<std::size_t>(i)] = face->shaped_advance(word(i));
    });
  for (auto& th : threads) th.join();
  for (int i = 0; i < kWords; ++i) {
    const double expected = face->shaped_advance(word(i));
    for (const auto& g : got) REQUIRE(g[static_cast<std::size_t>(i)] == expected);
  }
}

TEST_CASE("subset_glyphs gives the same subset for the same glyphs, remembered or cut anew", "[fonts]") {
  const auto path = find_family("Noto Serif", Style::Regular);
  REQUIRE(path);
  // Faces of their own, so neither starts with remembered subsets.
  const auto a = Face::load(*path);
  const auto b = Face::load(*path);
  REQUIRE(a);
  REQUIRE(b);
  std::set<std::uint16_t> tranas, vaggeryd;
  for (char32_t cp : cp::text::decode_utf8("Tranås kommun")) tranas.insert(a->glyph(cp));
  for (char32_t cp : cp::text::decode_utf8("Vaggeryds kommun")) vaggeryd.insert(a->glyph(cp));

  std::vector<std::uint16_t> ids1, ids2, ids3, ids_v;
  const std::string first = a->subset_glyphs(tranas, &ids1);
  const std::string again = a->subset_glyphs(tranas, &ids2);
  const std::string fresh = b->subset_glyphs(tranas, &ids3);
  REQUIRE_FALSE(first.empty());
  CHECK(again == first);
  CHECK(fresh == first);
  CHECK(ids2 == ids1);
  CHECK(ids3 == ids1);
  REQUIRE(ids1.size() == tranas.size());
  // Numbered anew in the order of the original ids, after .notdef.
  for (std::size_t i = 0; i < ids1.size(); ++i) CHECK(ids1[i] == i + 1);

  // Another set of glyphs is another subset, not the one remembered.
  const std::string other = a->subset_glyphs(vaggeryd, &ids_v);
  CHECK(other != first);
  CHECK(ids_v.size() == vaggeryd.size());
  HbFace sub(other);
  CHECK(hb_face_get_glyph_count(sub.face) == vaggeryd.size() + 1);
  CHECK(a->subset_glyphs(vaggeryd) == other);
}
