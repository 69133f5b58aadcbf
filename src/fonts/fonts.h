// Fonts: finding font files (fontconfig), reading their metrics and
// character coverage (HarfBuzz), and cutting subsets for embedding.
//
// Advance widths are integers in 1/1000 em computed exactly as libharu
// writes them into the PDF's /W array (advance * 1000 / unitsPerEm,
// truncated), so a line measured here has the same width on paper.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cp::fonts {

enum class Style { Regular, Bold, Italic, BoldItalic };

// Finds the file of a family in a style with fontconfig. Returns nullopt
// when fontconfig has no font of that family (it never substitutes
// silently: the family name of the match must equal the request).
std::optional<std::string> find_family(const std::string& family, Style style);

// Installed fonts that cover `cp`, best first (fontconfig's charset sort).
std::vector<std::string> find_covering(char32_t cp, Style style);

// One loaded font file. Immutable after loading; safe to share across threads.
class Face {
 public:
  static std::shared_ptr<const Face> load(const std::string& path);  // nullptr if unreadable

  const std::string& path() const { return path_; }
  const std::string& bytes() const { return bytes_; }
  std::string postscript_name() const;

  bool covers(char32_t cp) const;
  // Advance width in 1/1000 em, as libharu computes it; 0 when not covered.
  int advance(char32_t cp) const;
  int ascender() const { return ascender_; }    // 1/1000 em, positive
  int descender() const { return descender_; }  // 1/1000 em, negative
  int cap_height() const { return cap_height_; }

  // A TrueType subset holding the given characters (plus .notdef), for
  // embedding. Glyph metrics and cmap of the kept characters are unchanged.
  std::string subset(const std::set<char32_t>& chars) const;

 private:
  Face() = default;
  std::string path_;
  std::string bytes_;
  std::string ps_name_;
  int ascender_ = 0, descender_ = 0, cap_height_ = 0;
  std::unordered_map<char32_t, int> advances_;  // every character in the cmap
};

// The fonts one document uses: an id per face, with fallbacks for
// characters a face lacks.
using FontId = int;

class FontSet {
 public:
  // Adds (or finds) a face; returns its id.
  FontId add(std::shared_ptr<const Face> face);
  const Face& face(FontId id) const { return *faces_.at(static_cast<std::size_t>(id)); }
  std::shared_ptr<const Face> face_ptr(FontId id) const { return faces_.at(static_cast<std::size_t>(id)); }
  std::size_t size() const { return faces_.size(); }

  // The face to set `cp` in when `preferred` lacks it: another face of the
  // set first, then an installed font found with fontconfig (added to the
  // set). nullopt when no installed font has it.
  std::optional<FontId> fallback_for(FontId preferred, char32_t cp, Style style);

 private:
  std::vector<std::shared_ptr<const Face>> faces_;
  std::unordered_map<std::string, FontId> by_path_;
};

// Process-wide cache of loaded faces (loading parses the whole file).
std::shared_ptr<const Face> cached_face(const std::string& path);

}  // namespace cp::fonts
