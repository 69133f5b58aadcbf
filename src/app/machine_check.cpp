#include "app/machine_check.h"

#include <fstream>

#include <fmt/format.h>

#include <ostream>
#include <set>
#include <string_view>

#include "documents/typeset.h"
#include "fonts/fonts.h"
#include "render/archive.h"

namespace cp::app {

std::string font_package(const std::string& family) {
  // Longest prefix first: "Noto Sans Mono" is not in fonts-noto-core.
  static constexpr std::pair<std::string_view, std::string_view> kPackages[] = {
      {"Noto Sans Mono", "fonts-noto-mono"},      {"Noto Color Emoji", "fonts-noto-color-emoji"},
      {"Noto Sans CJK", "fonts-noto-cjk"},        {"Noto Serif CJK", "fonts-noto-cjk"},
      {"Noto ", "fonts-noto-core"},               {"DejaVu ", "fonts-dejavu-core"},
      {"Liberation ", "fonts-liberation2"},       {"Open Sans", "fonts-open-sans"},
      {"Source Sans", "fonts-adobe-sourcesans3"}, {"Droid Sans Fallback", "fonts-droid-fallback"},
      {"Cantarell", "fonts-cantarell"},           {"Linux Libertine", "fonts-linuxlibertine"},
  };
  for (const auto& [prefix, package] : kPackages)
    if (std::string_view(family).substr(0, prefix.size()) == prefix) return std::string(package);
  return {};
}

std::vector<const model::FontFamily*> pack_fonts(const model::Layouts& l) {
  return {&l.handout.body_font, &l.handout.heading_font, &l.handout.mono_font,
          &l.certificate.font,  &l.attendance.font,      &l.brief.font};
}

std::vector<MissingRequirement> missing_fonts(const std::vector<const model::FontFamily*>& families) {
  std::vector<MissingRequirement> missing;
  std::set<std::string> seen;
  fonts::FontSet scratch;  // faces are cached process-wide: the documents reuse them
  for (const model::FontFamily* f : families) {
    const std::string key = f->family + '\0' + f->regular;
    if (!seen.insert(key).second) continue;
    try {
      documents::resolve_family(*f, scratch);
    } catch (const documents::EnvironmentError& e) {
      missing.push_back({e.message, f->family.empty() ? std::string{} : font_package(f->family)});
    }
  }
  return missing;
}

std::unique_ptr<layout::Hyphenator> load_hyphenation(std::vector<MissingRequirement>& missing) {
  auto h = layout::Hyphenator::swedish();
  if (!h && !std::ifstream("/usr/share/hyphen/hyph_sv_SE.dic"))
    missing.push_back({"cannot read the Swedish hyphenation patterns (/usr/share/hyphen/hyph_sv_SE.dic)", "hyphen-sv"});
  else if (!h)
    missing.push_back({"cannot read the Swedish dictionary that tells where compounds join "
                       "(/usr/share/hunspell/sv_SE.aff, sv_SE.dic)",
                       "hunspell-sv"});
  return h;
}

void check_color_profile(std::vector<MissingRequirement>& missing, const render::ColorProfile& profile) {
  if (!profile.problem.empty()) missing.push_back({profile.problem, render::kSrgbProfilePackage});
}

void print_missing(const std::vector<MissingRequirement>& missing, std::ostream& err) {
  for (const auto& m : missing) {
    err << "coursepack: error: " << m.message << "\n";
    if (!m.package.empty()) err << "  hint: apt-get install " << m.package << "\n";
  }
}

}  // namespace cp::app
