// The paragraph setter's working state, shared by the files of its steps
// (paragraph_collect, _prepare, _items, _break, _finalize). Not a public
// header: paragraph.h is the interface.
//
//   collect    pieces → tokens (words, spaces, line breaks); every character
//              of a word gets a font (the piece's, else a fallback, else a
//              warning and it is dropped) and a width in points
//   prepare    word breaks: soft hyphens, the hyphenator's points, breaks
//              after existing hyphens, and last-resort breaks between the
//              grapheme clusters of words wider than the narrowest line and
//              at the no-break spaces of tied words wider than it
//   items      Knuth–Plass boxes, glue and penalties (knuth_plass.h), with a
//              parallel table saying which glyphs each item stands for
//   break      kp::break_lines over the items (the driver, Setter::run)
//   finalize   each line's items → glyph runs at x positions, links,
//              underlines, ascent and descent
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "layout/knuth_plass.h"
#include "layout/paragraph.h"

namespace cp::layout::setting {

inline constexpr char32_t kSoftHyphen = 0x00AD;
inline constexpr char32_t kZeroWidthSpace = 0x200B;
inline constexpr std::size_t kNone = static_cast<std::size_t>(-1);
inline constexpr double kLastResortPenalty = 1000;
inline constexpr double kSeamPenalty = 100;  // a break inside a URL or e-mail address
// A last-resort break at a no-break space: better than one inside a word.
inline constexpr double kTiePenalty = 100;

inline bool is_space(char32_t cp) { return cp == U' ' || cp == U'\t' || cp == U'\n' || cp == U'\r'; }

inline bool is_nb_space(char32_t cp) { return cp == 0x00A0 || cp == 0x202F || cp == 0x2007; }

// Characters that are never drawn and need no font.
inline bool is_invisible(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x200C || cp == 0x200D || cp == 0x2060 ||
         cp == 0xFEFF || cp == 0xFE0E || cp == 0xFE0F;
}

inline bool is_combining(char32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
         (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F);
}

// Appends a code point to UTF-16 text (for ICU).
inline void append_utf16(std::u16string& text, char32_t c) {
  if (c > 0xFFFF) {
    c -= 0x10000;
    text += static_cast<char16_t>(0xD800 + (c >> 10));
    text += static_cast<char16_t>(0xDC00 + (c & 0x3FF));
  } else {
    text += static_cast<char16_t>(c);
  }
}

// Letters and digits, for trimming punctuation off a word before it is
// hyphenated.
inline bool is_word_char(char32_t cp) {
  if (cp < 0x80) return (cp >= U'a' && cp <= U'z') || (cp >= U'A' && cp <= U'Z') || (cp >= U'0' && cp <= U'9');
  if (cp <= 0xFF) return cp >= 0xC0 && cp != 0xD7 && cp != 0xF7;
  return !(cp >= 0x2000 && cp <= 0x206F) && !(cp >= 0x3000 && cp <= 0x303F);  // not general punctuation
}

// The glyphs of one character: nearly always one, kept without an
// allocation.
class CharGlyphs {
 public:
  void push_back(const fonts::ShapedGlyph& g) {
    if (n_ == 0) {
      one_ = g;
    } else {
      if (n_ == 1) many_.assign(1, one_);
      many_.push_back(g);
    }
    ++n_;
  }
  void clear() {
    n_ = 0;
    many_.clear();
  }
  std::span<const fonts::ShapedGlyph> view() const {
    return n_ <= 1 ? std::span<const fonts::ShapedGlyph>(&one_, n_) : std::span<const fonts::ShapedGlyph>(many_);
  }
  std::size_t size() const { return n_; }

 private:
  fonts::ShapedGlyph one_;
  std::size_t n_ = 0;
  std::vector<fonts::ShapedGlyph> many_;
};

// A character of a word and the glyphs it is set with. After shaping, the
// first character of a cluster (a ligature, a base with its marks) holds
// all of the cluster's glyphs and the width; the others hold none (`joined`)
// and no break may fall before them.
struct Glyph {
  char32_t cp = 0;
  fonts::FontId font = 0;
  std::size_t piece = 0;  // the piece (and so the style) it came from
  double width = 0;
  CharGlyphs shaped;  // cluster = 0: relative to the character
  bool joined = false;
  bool rtl = false;  // shaped right to left: its glyphs go before those of the characters before it
};

// A break inside a word, before glyph `at`.
struct InnerBreak {
  std::size_t at = 0;
  enum class Kind { Hyphen, Plain, Replace } kind = Kind::Hyphen;  // Plain: no hyphen added
  kp::BreakClass when = kp::BreakClass::Always;
  double penalty = 0;
  bool flagged = false;
  // Replace: glyphs [at, replace_end) are set as `pre` + hyphen before the
  // break and `post` after it; `at` is then the start of the replaced range.
  std::size_t replace_end = 0;
  std::vector<Glyph> pre, post;
  bool ragged = false;  // the line ending here is set flush left (see push_word)
};

struct Word {
  std::vector<Glyph> glyphs;
  std::vector<std::size_t> soft_hyphens;  // before glyph k
  std::vector<std::size_t> zero_width_spaces;
  std::vector<InnerBreak> breaks;  // sorted by `at`
  double width = 0;
};

enum class TokenKind { Word, Space, NbSpace, LineBreak };

struct Token {
  TokenKind kind = TokenKind::Word;
  std::size_t index = 0;  // Word: index into words; others: the piece
  // NbSpace: the words it ties together are wider than the narrowest line,
  // so the last-resort pass may break here (see prepare).
  bool last_resort = false;
};

// What an item stands for.
struct ItemSource {
  std::size_t word = kNone;
  std::size_t g0 = 0, g1 = 0;  // Box, Discretionary (unbroken): glyphs [g0, g1) of the word
  std::size_t brk = kNone;     // Penalty, Discretionary: index into the word's breaks
  std::size_t piece = kNone;   // Glue, forced breaks: the piece whose style it has
  bool inner = false;          // Glue inside a word (the ragged-end pair around a URL or last-resort break)
};

// A word's text, for finding its breaks.
struct WordText {
  WordText(const Word& w, const std::vector<Piece>& pieces);
  // The glyph starting at byte `byte` of `text` (the glyph count at its
  // end), or kNone inside a character.
  std::size_t glyph_at(std::size_t byte) const;

  std::string text;
  std::vector<std::size_t> offsets;  // byte offset of each glyph
  bool styles_hyphenate = true;      // no name, code or link in the word
  bool address = false;              // a URL or an e-mail address
  std::size_t c0 = 0, c1 = 0;        // the glyphs without punctuation around them
};

// The breaks found in a word, by glyph index.
using BreakMap = std::map<std::size_t, InnerBreak>;

void address_breaks(const Word& w, const WordText& wt, BreakMap& breaks);
// Whether a break may come before each glyph of a word: at grapheme
// cluster boundaries (Unicode's extended grapheme clusters, by ICU).
std::vector<bool> grapheme_starts(const Word& w);
void last_resort_breaks(const Word& w, const WordText& wt, BreakMap& breaks);
void keep_breaks(Word& w, BreakMap& breaks);

class Setter {
 public:
  Setter(const std::vector<Piece>& pieces, const ParagraphSpec& spec, fonts::FontSet& fonts,
         const Hyphenator* hyphenator, const SourceLoc& where, Diagnostics* diags)
      : pieces_(pieces), spec_(spec), fonts_(fonts), hyphenator_(hyphenator), where_(where), diags_(diags) {}

  std::vector<SetLine> run();  // paragraph_break.cpp

 private:
  const TextStyle& style(std::size_t piece) const { return pieces_[piece].style; }

  // collect (paragraph_collect.cpp)
  std::optional<fonts::FontId> font_for(char32_t cp, const TextStyle& st);
  Glyph single(char32_t cp, fonts::FontId font, std::size_t piece) const;
  void shape_word(Word& w);
  std::optional<Glyph> make_glyph(char32_t cp, std::size_t piece);
  void close_word() { open_word_ = false; }
  Word& current_word();
  void collect();

  // prepare (paragraph_prepare.cpp)
  double space_width(std::size_t piece) const;
  std::optional<Glyph> hyphen_after(const Glyph& g);
  double hyphen_width(const Glyph& g);
  std::vector<Glyph> glyphs_of(std::string_view s, std::size_t piece);
  double narrowest_measure() const;
  std::vector<bool> paragraph_ends() const;
  void hyphenation_breaks(const Word& w, const WordText& wt, bool may_hyphenate, BreakMap& breaks);
  void mark_wide_ties(double narrowest);
  void prepare();

  // items (paragraph_items.cpp)
  double width_of(const std::vector<Glyph>& gs, std::size_t g0, std::size_t g1) const;
  void push(kp::Item item, ItemSource src);
  void push_glue(std::size_t piece);
  void push_paragraph_end(std::size_t piece);
  void push_word(std::size_t wi);
  void build_items();

  // finalize (paragraph_finalize.cpp)
  struct LineBuilder {
    SetLine line;
    double x = 0;
    bool open = false;         // the last run may be extended
    std::size_t word = kNone;  // the word the open run belongs to
    bool any_glyph = false;
    std::vector<std::vector<fonts::ShapedGlyph>> glyphs;  // per run, while it grows
  };

  static bool same_run(const GlyphRun& r, const Glyph& g, const TextStyle& st);
  void add_glyph(LineBuilder& lb, const Glyph& g, std::size_t word);
  void add_glyphs(LineBuilder& lb, const std::vector<Glyph>& gs, std::size_t g0, std::size_t g1, std::size_t word);
  static void order_bidi(SetLine& line);
  void add_break_material(LineBuilder& lb, std::size_t end, std::optional<std::size_t>& some_piece);
  void add_links(SetLine& line) const;
  void add_underlines(SetLine& line) const;
  SetLine finalize(const kp::Line& kl);

  const std::vector<Piece>& pieces_;
  const ParagraphSpec& spec_;
  fonts::FontSet& fonts_;
  const Hyphenator* hyphenator_;
  const SourceLoc& where_;
  Diagnostics* diags_;

  std::map<std::pair<fonts::FontId, char32_t>, std::optional<fonts::FontId>> fallback_cache_;
  std::map<std::pair<fonts::FontId, std::size_t>, std::optional<Glyph>> hyphens_;  // per font and piece
  std::set<char32_t> missing_;
  std::vector<Word> words_;
  std::vector<Token> tokens_;
  bool open_word_ = false;
  std::vector<kp::Item> items_;
  std::vector<ItemSource> sources_;
  kp::Params params_;
  double last_resort_stretch_ = 0;
  std::vector<std::string> run_links_;  // per run of the line being finalized
  std::vector<bool> run_underline_;
};

}  // namespace cp::layout::setting
