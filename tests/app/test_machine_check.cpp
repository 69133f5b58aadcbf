#include "app/machine_check.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "support/requirements.h"

using cp::app::font_package;
using cp::app::missing_fonts;
using cp::app::pack_fonts;

TEST_CASE("font_package names the Debian package of a family") {
  CHECK(font_package("Noto Sans") == "fonts-noto-core");
  CHECK(font_package("Noto Serif") == "fonts-noto-core");
  CHECK(font_package("Noto Sans Arabic") == "fonts-noto-core");
  // Debian ships the monospaced Noto apart from the others.
  CHECK(font_package("Noto Sans Mono") == "fonts-noto-mono");
  CHECK(font_package("DejaVu Sans") == "fonts-dejavu-core");
  CHECK(font_package("Comic Neue").empty());
  CHECK(font_package("").empty());
}

TEST_CASE("missing_fonts finds nothing missing in the default layouts") {
  for (const char* family : {"Noto Sans", "Noto Serif", "Noto Sans Mono"})
    if (!cp::test::require_font(family)) return;
  const cp::model::Layouts layouts;
  CHECK(pack_fonts(layouts).size() == 6);
  CHECK(missing_fonts(pack_fonts(layouts)).empty());
}

TEST_CASE("missing_fonts names each missing family once, with its package") {
  if (!cp::test::require_font("Noto Sans")) return;
  cp::model::Layouts layouts;
  layouts.handout.mono_font.family = "Noto Sans Mono Nowhere";
  layouts.attendance.font.family = "Comic Neue Nowhere";
  layouts.brief.font.family = "Comic Neue Nowhere";  // the same family: said once
  layouts.certificate.font = {"", "/nonexistent/Font-Regular.ttf", {}, {}, {}};
  const auto missing = missing_fonts(pack_fonts(layouts));
  REQUIRE(missing.size() == 3);
  CHECK(missing[0].message == "font family 'Noto Sans Mono Nowhere' is not installed (fontconfig found no match)");
  CHECK(missing[0].package == "fonts-noto-mono");
  CHECK(missing[1].message == "cannot read font file '/nonexistent/Font-Regular.ttf'");
  CHECK(missing[1].package.empty());
  CHECK(missing[2].message == "font family 'Comic Neue Nowhere' is not installed (fontconfig found no match)");
  CHECK(missing[2].package.empty());

  std::ostringstream err;
  cp::app::print_missing(missing, err);
  CHECK(err.str() ==
        "coursepack: error: font family 'Noto Sans Mono Nowhere' is not installed (fontconfig found no match)\n"
        "  hint: apt-get install fonts-noto-mono\n"
        "coursepack: error: cannot read font file '/nonexistent/Font-Regular.ttf'\n"
        "coursepack: error: font family 'Comic Neue Nowhere' is not installed (fontconfig found no match)\n");
}

TEST_CASE("load_hyphenation loads the Swedish patterns and the compound dictionary") {
  if (!cp::test::require_file("/usr/share/hyphen/hyph_sv_SE.dic")) return;
  if (!cp::test::require_file("/usr/share/hunspell/sv_SE.dic")) return;
  if (!cp::test::require_file("/usr/share/hunspell/sv_SE.aff")) return;
  std::vector<cp::app::MissingRequirement> missing;
  const auto h = cp::app::load_hyphenation(missing);
  REQUIRE(h != nullptr);
  CHECK(h->has_compounds());
  CHECK(missing.empty());
}

TEST_CASE("check_color_profile names the profile's problem and the package") {
  std::vector<cp::app::MissingRequirement> missing;
  cp::app::check_color_profile(missing, cp::render::read_color_profile("/nonexistent/sRGB.icc"));
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].message == "the sRGB colour profile /nonexistent/sRGB.icc cannot be read");
  CHECK(missing[0].package == "icc-profiles-free");
  std::ostringstream err;
  cp::app::print_missing(missing, err);
  CHECK(err.str() ==
        "coursepack: error: the sRGB colour profile /nonexistent/sRGB.icc cannot be read\n"
        "  hint: apt-get install icc-profiles-free\n");
  if (!cp::test::require_file(cp::render::kSrgbProfilePath)) return;
  std::vector<cp::app::MissingRequirement> none;
  cp::app::check_color_profile(none);
  CHECK(none.empty());
}
