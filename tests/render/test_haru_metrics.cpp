// Face's metrics against libharu's own: the widths layout measures must be
// the widths libharu writes (HPDF_Font_TextWidth, the /W array).
#include <hpdf.h>

#include <catch2/catch.hpp>

#include "core/text.h"
#include "fonts/fonts.h"
#include "render_test_util.h"

namespace {

struct Haru {
  static void on_error(HPDF_STATUS code, HPDF_STATUS, void* user) { *static_cast<HPDF_STATUS*>(user) = code; }
  Haru() {
    doc = HPDF_New(on_error, &error);
    HPDF_UseUTFEncodings(doc);
  }
  ~Haru() { HPDF_Free(doc); }
  Haru(const Haru&) = delete;
  Haru& operator=(const Haru&) = delete;
  HPDF_Font load(const std::string& path) {
    const char* name = HPDF_LoadTTFontFromFile(doc, path.c_str(), HPDF_TRUE);
    REQUIRE(error == HPDF_OK);
    REQUIRE(name);
    HPDF_Font font = HPDF_GetFont(doc, name, "UTF-8");
    REQUIRE(error == HPDF_OK);
    return font;
  }
  HPDF_STATUS error = HPDF_OK;
  HPDF_Doc doc;
};

const char* const kSample =
    "Åsa Öberg, Märta Ängström och Östen Ärlig – ”citat” § 6 kap. 11 § "
    "Nguyễn Thị Thu Hằng; Ελληνικά: Σωκράτης, Ξανθίππη; Кириллица: Щукин, Фёдор "
    "AVATAR Wo Ty fi fl ffi 0123456789 (a) [b] {c} @#%&*+=/\\|~^`'\"!?.,:;-_";

}  // namespace

TEST_CASE("Face::advance equals HPDF_Font_TextWidth for every character", "[render][metrics]") {
  auto set = cp::test::noto_fonts();
  const std::u32string chars = cp::text::decode_utf8(kSample);
  for (cp::fonts::FontId id = 0; id < 4; ++id) {
    const cp::fonts::Face& face = set->face(id);
    INFO(face.postscript_name());

    // The whole font, and the subset the renderer embeds.
    std::set<char32_t> used(chars.begin(), chars.end());
    const auto subset_path = cp::test::temp_dir() / (face.postscript_name() + "-subset.ttf");
    cp::test::write_file(subset_path, face.subset(used));

    for (const std::string& path : {face.path(), subset_path.string()}) {
      INFO(path);
      Haru haru;
      HPDF_Font font = haru.load(path);
      CHECK(HPDF_Font_GetAscent(font) == face.ascender());
      CHECK(HPDF_Font_GetDescent(font) == face.descender());
      for (char32_t cp : chars) {
        const std::string utf8 = cp::text::encode_utf8(std::u32string(1, cp));
        const HPDF_TextWidth tw =
            HPDF_Font_TextWidth(font, reinterpret_cast<const HPDF_BYTE*>(utf8.data()), static_cast<HPDF_UINT>(utf8.size()));
        INFO("U+" << std::hex << static_cast<unsigned>(cp) << " " << utf8);
        CHECK(static_cast<int>(tw.width) == face.advance(cp));
      }
      const std::string all(kSample);
      const HPDF_TextWidth tw =
          HPDF_Font_TextWidth(font, reinterpret_cast<const HPDF_BYTE*>(all.data()), static_cast<HPDF_UINT>(all.size()));
      CHECK(static_cast<long long>(tw.width) == face.advance(all));
      CHECK(haru.error == HPDF_OK);
    }
  }
}
