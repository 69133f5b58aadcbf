// Fonts: finding font files (fontconfig), reading their metrics and
// character coverage (HarfBuzz), and cutting subsets for embedding.
//
// Advance widths are integers in 1/1000 em computed exactly as libharu
// writes them into the PDF's /W array and returns them from
// HPDF_Font_TextWidth (hmtx advance * 1000 / unitsPerEm, truncated), so a
// line measured here has the same width on paper.
//
// Only TrueType-outline fonts (a 'glyf' table, usually .ttf) are used:
// libharu 2.3.0 cannot embed CFF-based OpenType (.otf) fonts.
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

// One glyph of shaped text (HarfBuzz), in 1/1000 em. `advance` is the
// nominal advance (glyph_advance, the PDF's /W entry) plus what shaping
// adds (kerning); `dx`, `dy` move the glyph from the pen position (mark
// positioning). `cluster` is the byte offset in the shaped UTF-8 text of
// the first character the glyph stands for; glyphs come in visual order
// (left to right on the page, also for right-to-left text).
struct ShapedGlyph {
  std::uint16_t gid = 0;
  // glyph_advance(gid), the width the PDF's /W array gives the glyph, kept
  // here so that the renderer need not look it up glyph by glyph; kNoWidth
  // when it does not fit (then glyph_advance says it).
  std::uint16_t width = kNoWidth;
  std::uint32_t cluster = 0;
  double advance = 0;
  double dx = 0, dy = 0;
  static constexpr std::uint16_t kNoWidth = 0xFFFF;
  bool operator==(const ShapedGlyph&) const = default;
};

// The script, language and direction text is shaped in: Swedish by
// default, the script (and its direction) of the first character that has
// one (Latin, Arabic, Hebrew, Greek, Cyrillic, ...).
struct ShapeProps {
  std::uint32_t script = 0;  // an hb_script_t (ISO 15924 tag)
  bool rtl = false;
};
ShapeProps detect_script(std::string_view utf8);

// Finds the file of a family in a style with fontconfig. Returns nullopt
// when fontconfig has no usable font of that family in that style: it never
// substitutes silently (the family name of the match must equal the request,
// ignoring case; the weight must be bold for Bold/BoldItalic and regular
// otherwise; the slant italic/oblique for Italic/BoldItalic and roman
// otherwise), and it only returns TrueType-outline files libharu can embed.
// Thread-safe; answers are remembered for the life of the process.
std::optional<std::string> find_family(const std::string& family, Style style);

// Installed TrueType-outline fonts that cover `cp`, best first (fontconfig's
// sort, closest to `style` first). Empty when none does. Thread-safe;
// answers are remembered for the life of the process.
std::vector<std::string> find_covering(char32_t cp, Style style);

// One loaded font file. Immutable after loading; safe to share across threads.
class Face {
 public:
  // nullptr if unreadable or not a TrueType-outline font.
  static std::shared_ptr<const Face> load(const std::string& path);
  // The same; on failure `*error` (when given) says why, in English.
  static std::shared_ptr<const Face> load(const std::string& path, std::string* error);

  const std::string& path() const { return path_; }
  const std::string& bytes() const { return bytes_; }
  std::string postscript_name() const { return ps_name_; }
  int units_per_em() const { return units_per_em_; }

  // True when the font maps `cp` to a glyph AND libharu's UTF-8 mode can set
  // it: a character of the Basic Multilingual Plane from U+0020 on, not a
  // surrogate (libharu turns anything beyond U+FFFF into a space and treats
  // U+0000..U+001F as undefined).
  bool covers(char32_t cp) const;
  // Advance width in 1/1000 em, as libharu computes it; 0 when not covered.
  int advance(char32_t cp) const;
  // Sum of advance() over the code points of UTF-8 `text` (1/1000 em).
  long long advance(std::string_view text) const;
  // The nominal advance of a glyph in 1/1000 em, truncated as libharu
  // truncates character widths (advance(cp) == glyph_advance(glyph(cp))).
  int glyph_advance(std::uint16_t gid) const;
  // The glyph the cmap gives `cp` (0 when none).
  std::uint16_t glyph(char32_t cp) const;

  // `text` (UTF-8, one font, no line breaks) shaped with HarfBuzz and the
  // font's default features (kerning, standard ligatures, marks) in the
  // script and direction `detect_script` finds, language Swedish for Latin
  // text. Results are remembered (thread-safe), so a word is shaped once
  // per face for the whole process.
  std::shared_ptr<const std::vector<ShapedGlyph>> shape(std::string_view text) const;
  // Sum of the advances of shape(text), 1/1000 em.
  double shaped_advance(std::string_view text) const;

  // Vertical metrics in 1/1000 em, truncated like libharu's: ascender and
  // descender from the 'hhea' table (what HPDF_Font_GetAscent/GetDescent
  // return and what the PDF font descriptor says); cap height from OS/2
  // sCapHeight (version >= 2), else the top of 'H'.
  int ascender() const { return ascender_; }    // 1/1000 em, positive
  int descender() const { return descender_; }  // 1/1000 em, negative
  int cap_height() const { return cap_height_; }

  // A TrueType subset holding the given characters (plus .notdef), for
  // embedding. Glyph metrics and cmap of the kept characters are unchanged.
  // Keeps only the tables libharu reads or embeds (cmap, glyf, loca, head,
  // hhea, hmtx, maxp, name, OS/2, post, cvt, fpgm, prep), so no layout
  // closure pulls in unused glyphs. Empty string if HarfBuzz fails.
  std::string subset(const std::set<char32_t>& chars) const;
  // A TrueType subset holding the given glyphs (plus .notdef), numbered
  // anew: 0 for .notdef, then in the order of their original ids (with the
  // components of composite glyphs among them). `new_ids`, when given,
  // receives each glyph's number in the subset, in the order of `gids`
  // (for a CIDFontType2's CIDToGIDMap, CID = original glyph id). Empty
  // string if HarfBuzz fails.
  std::string subset_glyphs(const std::set<std::uint16_t>& gids, std::vector<std::uint16_t>* new_ids = nullptr) const;

  // Font-wide values for a PDF font descriptor, in 1/1000 em.
  struct Descriptor {
    int bbox[4] = {0, 0, 0, 0};
    double italic_angle = 0;
    bool fixed_pitch = false;
    bool serif = false;
    bool italic = false;
    int weight = 400;
  };
  const Descriptor& descriptor() const { return descriptor_; }

 private:
  Face() = default;
  std::string path_;
  std::string bytes_;
  std::string ps_name_;
  int units_per_em_ = 1000;
  int ascender_ = 0, descender_ = 0, cap_height_ = 0;
  // Every settable character in the cmap: the first kDirect code points
  // (Latin, Greek, Cyrillic, punctuation: nearly all text) in a table
  // indexed by code point, -1 where the face lacks one; the rest hashed.
  static constexpr char32_t kDirect = 0x2100;
  std::vector<std::int32_t> direct_;
  std::unordered_map<char32_t, int> advances_;
  Descriptor descriptor_;
  struct Shaper;
  std::shared_ptr<Shaper> shaper_;  // the HarfBuzz font and the shaping cache
};

// The fonts one document uses: an id per face, with fallbacks for
// characters a face lacks. Not thread-safe: one set per document.
using FontId = int;

class FontSet {
 public:
  // Adds (or finds, by path) a face; returns its id.
  FontId add(std::shared_ptr<const Face> face);
  const Face& face(FontId id) const { return *faces_.at(static_cast<std::size_t>(id)); }
  std::shared_ptr<const Face> face_ptr(FontId id) const { return faces_.at(static_cast<std::size_t>(id)); }
  std::size_t size() const { return faces_.size(); }

  // The face to set `cp` in when `preferred` lacks it: another face of the
  // set first (lowest id), then an installed font found with fontconfig
  // (added to the set). Returns `preferred` itself when it covers `cp`.
  // nullopt when no installed font has it.
  std::optional<FontId> fallback_for(FontId preferred, char32_t cp, Style style);

 private:
  std::vector<std::shared_ptr<const Face>> faces_;
  std::unordered_map<std::string, FontId> by_path_;
};

// Process-wide cache of loaded faces (loading parses the whole file).
// nullptr if the file cannot be loaded. Thread-safe.
std::shared_ptr<const Face> cached_face(const std::string& path);

}  // namespace cp::fonts
