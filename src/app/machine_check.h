// What a build needs from the machine, checked once before any pack is made:
// every font family the layouts name, the Swedish hyphenation patterns and
// the sRGB colour profile.
// A missing one is one error line for the whole run (with the Debian package
// that provides it where that is known), not one failed pack per visit.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "layout/hyphenate.h"
#include "model/model.h"
#include "render/archive.h"

namespace cp::app {

struct MissingRequirement {
  std::string message;  // "font family 'Noto Sans Mono' is not installed (…)"
  std::string package;  // the Debian package to install; empty when unknown
};

// The Debian package that ships a font family, for the families the bundled
// layouts and Debian's common font packages use; empty when unknown.
std::string font_package(const std::string& family);

// The font families the packs are set in, in layout order.
std::vector<const model::FontFamily*> pack_fonts(const model::Layouts& layouts);

// Each of `families` that cannot be loaded, each family once.
std::vector<MissingRequirement> missing_fonts(const std::vector<const model::FontFamily*>& families);

// The Swedish hyphenation patterns, or a MissingRequirement in `missing`.
std::unique_ptr<layout::Hyphenator> load_hyphenation(std::vector<MissingRequirement>& missing);

// The sRGB profile every PDF's output intent embeds (render/archive.h), or a
// MissingRequirement in `missing`.
void check_color_profile(std::vector<MissingRequirement>& missing,
                         const render::ColorProfile& profile = render::srgb_profile());

// Prints `coursepack: error: MESSAGE` and `  hint: apt-get install PACKAGE`
// for each.
void print_missing(const std::vector<MissingRequirement>& missing, std::ostream& err);

}  // namespace cp::app
