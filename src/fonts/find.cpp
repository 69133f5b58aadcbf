// fontconfig look-ups. fontconfig's default configuration is shared
// process-wide; every call into it here holds one mutex.
#include "fonts/fonts.h"

#include <fontconfig/fontconfig.h>

#include <algorithm>
#include <map>
#include <cctype>
#include <memory>
#include <mutex>

namespace cp::fonts {

namespace {

std::mutex& fc_mutex() {
  static std::mutex m;
  return m;
}

struct PatternDeleter {
  void operator()(FcPattern* p) const { FcPatternDestroy(p); }
};
struct FontSetDeleter {
  void operator()(FcFontSet* s) const { FcFontSetDestroy(s); }
};
struct CharSetDeleter {
  void operator()(FcCharSet* c) const { FcCharSetDestroy(c); }
};
using PatternPtr = std::unique_ptr<FcPattern, PatternDeleter>;

bool is_bold(Style s) { return s == Style::Bold || s == Style::BoldItalic; }
bool is_italic(Style s) { return s == Style::Italic || s == Style::BoldItalic; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool ends_with_ttf(std::string_view path) {
  return path.size() >= 4 && iequals(path.substr(path.size() - 4), ".ttf");
}

PatternPtr make_pattern(Style style) {
  PatternPtr p(FcPatternCreate());
  FcPatternAddInteger(p.get(), FC_WEIGHT, is_bold(style) ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
  FcPatternAddInteger(p.get(), FC_SLANT, is_italic(style) ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
  FcPatternAddBool(p.get(), FC_SCALABLE, FcTrue);
  return p;
}

// A font file libharu can embed: TrueType outlines in a single-font .ttf.
bool usable_file(FcPattern* font, std::string* path) {
  FcChar8* file = nullptr;
  if (FcPatternGetString(font, FC_FILE, 0, &file) != FcResultMatch || !file) return false;
  FcChar8* format = nullptr;
  if (FcPatternGetString(font, FC_FONTFORMAT, 0, &format) == FcResultMatch && format &&
      std::string_view(reinterpret_cast<const char*>(format)) != "TrueType")
    return false;
  int index = 0;
  if (FcPatternGetInteger(font, FC_INDEX, 0, &index) == FcResultMatch && index != 0) return false;
  const std::string f(reinterpret_cast<const char*>(file));
  if (!ends_with_ttf(f)) return false;
  *path = f;
  return true;
}

// `strict`: also the regular width, and a regular weight between Book and
// Medium (so "Noto Sans" Regular is never its Light or Condensed face). The
// relaxed pass serves families that exist only as, say, "DejaVu Sans Light".
bool style_matches(FcPattern* font, Style style, bool strict) {
  int weight = FC_WEIGHT_REGULAR;
  FcPatternGetInteger(font, FC_WEIGHT, 0, &weight);
  int slant = FC_SLANT_ROMAN;
  FcPatternGetInteger(font, FC_SLANT, 0, &slant);
  const bool bold = weight >= FC_WEIGHT_DEMIBOLD;
  const bool italic = slant != FC_SLANT_ROMAN;
  if (bold != is_bold(style) || italic != is_italic(style)) return false;
  if (!strict) return true;
  int width = FC_WIDTH_NORMAL;
  FcPatternGetInteger(font, FC_WIDTH, 0, &width);
  if (width != FC_WIDTH_NORMAL) return false;
  if (!bold && (weight < FC_WEIGHT_BOOK || weight > FC_WEIGHT_MEDIUM)) return false;
  if (bold && weight > FC_WEIGHT_EXTRABOLD) return false;
  return true;
}

bool family_matches(FcPattern* font, const std::string& family) {
  FcChar8* name = nullptr;
  for (int i = 0; FcPatternGetString(font, FC_FAMILY, i, &name) == FcResultMatch; ++i)
    if (name && iequals(reinterpret_cast<const char*>(name), family)) return true;
  return false;
}

// Both run with fc_mutex() held.
std::optional<std::string> find_family_uncached(const std::string& family, Style style) {
  PatternPtr pat = make_pattern(style);
  FcPatternAddString(pat.get(), FC_FAMILY, reinterpret_cast<const FcChar8*>(family.c_str()));
  FcPatternAddInteger(pat.get(), FC_WIDTH, FC_WIDTH_NORMAL);
  FcConfigSubstitute(nullptr, pat.get(), FcMatchPattern);
  FcDefaultSubstitute(pat.get());
  FcResult result = FcResultNoMatch;
  // Sort rather than match: the best match may be a CFF .otf or a
  // collection, and another file of the same family and style may be usable.
  std::unique_ptr<FcFontSet, FontSetDeleter> sorted(FcFontSort(nullptr, pat.get(), FcFalse, nullptr, &result));
  if (!sorted) return std::nullopt;
  for (const bool strict : {true, false}) {
    for (int i = 0; i < sorted->nfont; ++i) {
      FcPattern* font = sorted->fonts[i];
      if (!family_matches(font, family) || !style_matches(font, style, strict)) continue;
      std::string path;
      if (usable_file(font, &path)) return path;
    }
  }
  return std::nullopt;
}

std::vector<std::string> find_covering_uncached(char32_t cp, Style style) {
  std::vector<std::string> out;
  PatternPtr pat = make_pattern(style);
  std::unique_ptr<FcCharSet, CharSetDeleter> cs(FcCharSetCreate());
  FcCharSetAddChar(cs.get(), static_cast<FcChar32>(cp));
  FcPatternAddCharSet(pat.get(), FC_CHARSET, cs.get());
  FcConfigSubstitute(nullptr, pat.get(), FcMatchPattern);
  FcDefaultSubstitute(pat.get());
  FcResult result = FcResultNoMatch;
  std::unique_ptr<FcFontSet, FontSetDeleter> sorted(FcFontSort(nullptr, pat.get(), FcFalse, nullptr, &result));
  if (!sorted) return out;
  for (int i = 0; i < sorted->nfont; ++i) {
    FcPattern* font = sorted->fonts[i];
    FcCharSet* fcs = nullptr;
    if (FcPatternGetCharSet(font, FC_CHARSET, 0, &fcs) != FcResultMatch || !fcs) continue;
    if (!FcCharSetHasChar(fcs, static_cast<FcChar32>(cp))) continue;
    std::string path;
    if (!usable_file(font, &path)) continue;
    if (std::find(out.begin(), out.end(), path) == out.end()) out.push_back(std::move(path));
  }
  return out;
}

// Answers are remembered for the life of the process (a sort over every
// installed font takes milliseconds, and documents ask the same questions).
struct Memo {
  std::map<std::pair<std::string, Style>, std::optional<std::string>> families;
  std::map<std::pair<char32_t, Style>, std::vector<std::string>> covering;
};

Memo& memo() {
  static Memo m;
  return m;
}

}  // namespace

std::optional<std::string> find_family(const std::string& family, Style style) {
  if (family.empty()) return std::nullopt;
  std::lock_guard lock(fc_mutex());
  const auto key = std::make_pair(family, style);
  if (const auto it = memo().families.find(key); it != memo().families.end()) return it->second;
  return memo().families.emplace(key, find_family_uncached(family, style)).first->second;
}

std::vector<std::string> find_covering(char32_t cp, Style style) {
  std::lock_guard lock(fc_mutex());
  const auto key = std::make_pair(cp, style);
  if (const auto it = memo().covering.find(key); it != memo().covering.end()) return it->second;
  return memo().covering.emplace(key, find_covering_uncached(cp, style)).first->second;
}

}  // namespace cp::fonts
