// Setting one paragraph, in the steps of the header:
//
//   collect    pieces → tokens (words, spaces, line breaks); every character
//              of a word gets a font (the piece's, else a fallback, else a
//              warning and it is dropped) and a width in points
//   prepare    word breaks: soft hyphens, the hyphenator's points, breaks
//              after existing hyphens, and last-resort breaks between the
//              characters of words wider than the narrowest line
//   items      Knuth–Plass boxes, glue and penalties (knuth_plass.h), with a
//              parallel table saying which glyphs each item stands for
//   break      kp::break_lines
//   finalize   each line's items → glyph runs at x positions, links,
//              underlines, ascent and descent
#include "layout/paragraph.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <type_traits>

#include <unicode/ubidi.h>

#include "core/text.h"
#include "layout/hyphenate.h"
#include "layout/knuth_plass.h"

namespace cp::layout {

namespace {

constexpr char32_t kSoftHyphen = 0x00AD;
constexpr char32_t kZeroWidthSpace = 0x200B;
constexpr std::size_t kNone = static_cast<std::size_t>(-1);
constexpr double kLastResortPenalty = 1000;
constexpr double kSeamPenalty = 100;  // a break inside a URL or e-mail address

bool is_space(char32_t cp) { return cp == U' ' || cp == U'\t' || cp == U'\n' || cp == U'\r'; }

bool is_nb_space(char32_t cp) { return cp == 0x00A0 || cp == 0x202F || cp == 0x2007; }

// Characters that are never drawn and need no font.
bool is_invisible(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x200C || cp == 0x200D || cp == 0x2060 ||
         cp == 0xFEFF || cp == 0xFE0E || cp == 0xFE0F;
}

bool is_combining(char32_t cp) {
  return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
         (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F);
}

// Letters and digits, for trimming punctuation off a word before it is
// hyphenated.
bool is_word_char(char32_t cp) {
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
};

// What an item stands for.
struct ItemSource {
  std::size_t word = kNone;
  std::size_t g0 = 0, g1 = 0;  // Box, Discretionary (unbroken): glyphs [g0, g1) of the word
  std::size_t brk = kNone;     // Penalty, Discretionary: index into the word's breaks
  std::size_t piece = kNone;   // Glue, forced breaks: the piece whose style it has
  bool inner = false;          // Glue inside a word (the ragged-end pair around a URL or last-resort break)
};

class Setter {
 public:
  Setter(const std::vector<Piece>& pieces, const ParagraphSpec& spec, fonts::FontSet& fonts,
         const Hyphenator* hyphenator, const SourceLoc& where, Diagnostics* diags)
      : pieces_(pieces), spec_(spec), fonts_(fonts), hyphenator_(hyphenator), where_(where), diags_(diags) {}

  std::vector<SetLine> run() {
    collect();
    if (tokens_.empty()) return {};
    prepare();
    build_items();
    const auto widths = [this](std::size_t line) { return spec_.width(line); };
    const kp::Result result = kp::break_lines(items_, widths, params_);
    std::vector<SetLine> out;
    out.reserve(result.lines.size());
    for (std::size_t i = 0; i < result.lines.size(); ++i) {
      out.push_back(finalize(result.lines[i]));
      out.back().last = i + 1 == result.lines.size();
      if (result.lines[i].overfull && diags_) {
        diags_->warning(where_, fmt::format("a line is wider than the measure ({:.1f} pt > {:.1f} pt): a "
                                            "single character does not fit",
                                            out.back().width, spec_.width(i)));
      }
    }
    return out;
  }

 private:
  const TextStyle& style(std::size_t piece) const { return pieces_[piece].style; }

  // ------------------------------------------------------------ collect

  std::optional<fonts::FontId> font_for(char32_t cp, const TextStyle& st) {
    if (fonts_.face(st.font).covers(cp)) return st.font;
    const auto key = std::make_pair(st.font, cp);
    if (auto it = fallback_cache_.find(key); it != fallback_cache_.end()) return it->second;
    auto f = fonts_.fallback_for(st.font, cp, st.style);
    fallback_cache_.emplace(key, f);
    return f;
  }

  // A character set on its own: its shaped glyphs and width.
  Glyph single(char32_t cp, fonts::FontId font, std::size_t piece) const {
    std::string utf8;
    text::append_utf8(utf8, cp);
    Glyph g{cp, font, piece, 0, {}, false};
    double units = 0;
    const auto glyphs = fonts_.face(font).shape(utf8);  // held while read
    for (fonts::ShapedGlyph sg : *glyphs) {
      sg.cluster = 0;
      units += sg.advance;
      g.shaped.push_back(sg);
    }
    g.width = units * style(piece).size / 1000.0;
    return g;
  }

  // Shapes each stretch of a word in one font and one piece, giving each
  // character its cluster's glyphs (kerning, ligatures, marks).
  void shape_word(Word& w) {
    std::size_t a = 0;
    while (a < w.glyphs.size()) {
      std::size_t b = a + 1;
      while (b < w.glyphs.size() && w.glyphs[b].font == w.glyphs[a].font && w.glyphs[b].piece == w.glyphs[a].piece) ++b;
      std::string utf8;
      std::vector<std::size_t> offsets;
      for (std::size_t k = a; k < b; ++k) {
        offsets.push_back(utf8.size());
        text::append_utf8(utf8, w.glyphs[k].cp);
      }
      const auto shaped = fonts_.face(w.glyphs[a].font).shape(utf8);
      const bool rtl = fonts::detect_script(utf8).rtl;
      for (std::size_t k = a; k < b; ++k) {
        w.glyphs[k].shaped.clear();
        w.glyphs[k].width = 0;
        w.glyphs[k].joined = true;
        w.glyphs[k].rtl = rtl;
      }
      const double size = style(w.glyphs[a].piece).size;
      for (const fonts::ShapedGlyph& sg : *shaped) {
        // The character the cluster starts at.
        const auto it = std::upper_bound(offsets.begin(), offsets.end(), static_cast<std::size_t>(sg.cluster));
        const std::size_t k = a + static_cast<std::size_t>(it - offsets.begin()) - 1;
        Glyph& g = w.glyphs[k];
        fonts::ShapedGlyph rel = sg;
        rel.cluster = 0;
        g.shaped.push_back(rel);
        g.width += sg.advance * size / 1000.0;
        g.joined = false;
      }
      // A character without glyphs of its own continues the cluster before
      // it; the first of the stretch always starts one.
      w.glyphs[a].joined = false;
      a = b;
    }
    w.width = 0;
    for (const Glyph& g : w.glyphs) w.width += g.width;
  }

  std::optional<Glyph> make_glyph(char32_t cp, std::size_t piece) {
    const TextStyle& st = style(piece);
    const auto font = font_for(cp, st);
    if (!font) {
      if (missing_.insert(cp).second && diags_) {
        std::string utf8;
        text::append_utf8(utf8, cp);
        diags_->warning(where_, fmt::format("no installed font has the character U+{:04X} '{}'",
                                            static_cast<std::uint32_t>(cp), utf8));
      }
      return std::nullopt;
    }
    // The nominal width; shape_word gives the shaped glyphs.
    return Glyph{cp, *font, piece, fonts_.face(*font).advance(cp) * st.size / 1000.0, {}, false};
  }

  void close_word() { open_word_ = false; }

  Word& current_word() {
    if (!open_word_) {
      words_.emplace_back();
      tokens_.push_back({TokenKind::Word, words_.size() - 1});
      open_word_ = true;
    }
    return words_.back();
  }

  void collect() {
    for (std::size_t p = 0; p < pieces_.size(); ++p) {
      const Piece& piece = pieces_[p];
      switch (piece.kind) {
        case PieceKind::Space:
          close_word();
          tokens_.push_back({TokenKind::Space, p});
          continue;
        case PieceKind::NbSpace:
          close_word();
          tokens_.push_back({TokenKind::NbSpace, p});
          continue;
        case PieceKind::LineBreak:
          close_word();
          tokens_.push_back({TokenKind::LineBreak, p});
          continue;
        case PieceKind::Text:
          break;
      }
      const bool ascii = std::all_of(piece.text.begin(), piece.text.end(),
                                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
      const std::string nfc = ascii || !text::is_valid_utf8(piece.text) ? piece.text : text::to_nfc(piece.text);
      std::size_t i = 0;
      while (i < nfc.size()) {
        const char32_t cp = text::next_code_point(nfc, i);
        if (is_space(cp)) {
          close_word();
          tokens_.push_back({TokenKind::Space, p});
        } else if (is_nb_space(cp)) {
          close_word();
          tokens_.push_back({TokenKind::NbSpace, p});
        } else if (cp == kSoftHyphen) {
          if (open_word_) words_.back().soft_hyphens.push_back(words_.back().glyphs.size());
        } else if (cp == kZeroWidthSpace) {
          if (open_word_) words_.back().zero_width_spaces.push_back(words_.back().glyphs.size());
        } else if (!is_invisible(cp)) {
          if (auto g = make_glyph(cp, p)) {
            Word& w = current_word();
            w.glyphs.push_back(*g);
            w.width += g->width;
          }
        }
      }
    }
    // Words whose every character was dropped go. Breakable spaces at the
    // start, the end, around line breaks and next to unbreakable ones go;
    // runs of them collapse into the first.
    std::erase_if(tokens_, [&](const Token& t) { return t.kind == TokenKind::Word && words_[t.index].glyphs.empty(); });
    std::vector<Token> kept;
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
      const Token& t = tokens_[i];
      if (t.kind == TokenKind::Space) {
        const bool at_start = kept.empty() || kept.back().kind == TokenKind::Space ||
                              kept.back().kind == TokenKind::NbSpace || kept.back().kind == TokenKind::LineBreak;
        std::size_t j = i + 1;
        while (j < tokens_.size() && tokens_[j].kind == TokenKind::Space) ++j;
        const bool at_end = j == tokens_.size() || tokens_[j].kind != TokenKind::Word;
        if (at_start || at_end) continue;
      }
      kept.push_back(t);
    }
    tokens_.swap(kept);
  }

  // ------------------------------------------------------------ prepare

  double space_width(std::size_t piece) const {
    const TextStyle& st = style(piece);
    const auto& face = fonts_.face(st.font);
    return (face.covers(U' ') ? face.advance(U' ') : 250) * st.size / 1000.0;
  }

  // The hyphen set after glyph `g` (its font if it has one).
  std::optional<Glyph> hyphen_after(const Glyph& g) {
    const auto key = std::make_pair(g.font, g.piece);
    if (auto it = hyphens_.find(key); it != hyphens_.end()) return it->second;
    std::optional<Glyph> h;
    if (fonts_.face(g.font).covers(U'-')) {
      h = single(U'-', g.font, g.piece);
    } else if (auto m = make_glyph(U'-', g.piece)) {
      h = single(U'-', m->font, g.piece);
    }
    hyphens_.emplace(key, h);
    return h;
  }

  double hyphen_width(const Glyph& g) {
    const auto h = hyphen_after(g);
    return h ? h->width : 0;
  }

  std::vector<Glyph> glyphs_of(std::string_view s, std::size_t piece) {
    std::vector<Glyph> out;
    std::size_t i = 0;
    while (i < s.size())
      if (auto g = make_glyph(text::next_code_point(s, i), piece)) out.push_back(single(g->cp, g->font, piece));
    return out;
  }

  double narrowest_measure() const {
    const std::size_t lines = std::min<std::size_t>(tokens_.size() + 2, 1000);
    double w = std::numeric_limits<double>::infinity();
    for (std::size_t l = 0; l < lines; ++l) w = std::min(w, spec_.width(l));
    return w;
  }

  void prepare() {
    const double narrowest = narrowest_measure();
    // The words a paragraph (or a line ended by a line break) ends with.
    std::vector<bool> ends_paragraph(words_.size(), false);
    for (std::size_t t = 0; t < tokens_.size(); ++t) {
      if (tokens_[t].kind != TokenKind::Word) continue;
      std::size_t u = t + 1;
      while (u < tokens_.size() && tokens_[u].kind != TokenKind::Word && tokens_[u].kind != TokenKind::LineBreak) ++u;
      if (u == tokens_.size() || tokens_[u].kind == TokenKind::LineBreak) ends_paragraph[tokens_[t].index] = true;
    }
    for (Word& w : words_) {
      const std::size_t n = w.glyphs.size();
      if (n == 0) continue;
      shape_word(w);
      std::string text;
      std::vector<std::size_t> offsets;  // byte offset of each glyph
      bool styles_hyphenate = true;  // no name, code or link in the word
      for (const Glyph& g : w.glyphs) {
        offsets.push_back(text.size());
        text::append_utf8(text, g.cp);
        styles_hyphenate = styles_hyphenate && style(g.piece).hyphenate;
      }
      const bool address = text.find_first_of("@/") != std::string::npos ||
                           text.find("://") != std::string::npos || text.rfind("www.", 0) == 0;
      const bool last_word = ends_paragraph[static_cast<std::size_t>(&w - words_.data())];
      const bool may_hyphenate = spec_.hyphenate && hyphenator_ && styles_hyphenate && !address &&
                                 (spec_.hyphenate_last_word || !last_word);
      std::map<std::size_t, InnerBreak> breaks;

      // The word without punctuation around it ("(socialtjänsten)," →
      // socialtjänsten): the hyphenator refuses words with '.' or ':'.
      std::size_t c0 = 0, c1 = n;
      while (c0 < n && !is_word_char(w.glyphs[c0].cp)) ++c0;
      while (c1 > c0 && !is_word_char(w.glyphs[c1 - 1].cp)) --c1;
      auto glyph_at = [&](std::size_t byte) -> std::size_t {  // byte offset in text → glyph index
        if (byte == text.size()) return n;
        const auto it = std::lower_bound(offsets.begin(), offsets.end(), byte);
        return it == offsets.end() || *it != byte ? kNone : static_cast<std::size_t>(it - offsets.begin());
      };

      if (!w.soft_hyphens.empty()) {
        // TeX: a word with explicit discretionaries is not hyphenated by the patterns.
        for (std::size_t k : w.soft_hyphens)
          if (k > 0 && k < n) breaks[k] = InnerBreak{k, InnerBreak::Kind::Hyphen, kp::BreakClass::Always,
                                                     spec_.hyphen_penalty, true, 0, {}, {}};
      } else if (c1 > c0) {
        const std::size_t core_begin = offsets[c0];
        const std::size_t core_end = c1 < n ? offsets[c1] : text.size();
        const std::string_view core(text.data() + core_begin, core_end - core_begin);
        const bool long_enough = text::length(core) >= static_cast<std::size_t>(std::max(spec_.min_word_chars, 0));
        std::vector<WordBreak> found;
        if (may_hyphenate && long_enough) {
          found = hyphenator_->breaks(core, spec_.min_left, spec_.min_right);
        } else if (!address) {
          found = breaks_after_hyphens(core);
        }
        const bool compound = std::any_of(found.begin(), found.end(), [](const WordBreak& b) { return b.compound; });
        for (const WordBreak& b : found) {
          const std::size_t at = glyph_at(core_begin + b.offset);
          if (at == kNone || at == 0 || at >= n) continue;
          if (!b.hyphen) {  // after an existing hyphen: TeX's \exhyphenpenalty, flagged
            breaks[at] = InnerBreak{at, InnerBreak::Kind::Plain, kp::BreakClass::Always, spec_.hyphen_penalty,
                                    true, 0, {}, {}};
          } else if (b.standard()) {
            breaks[at] = InnerBreak{at, InnerBreak::Kind::Hyphen, kp::BreakClass::Hyphenation,
                                    compound && !b.compound ? spec_.component_hyphen_penalty : spec_.hyphen_penalty,
                                    true, 0, {}, {}};
          } else {
            const std::size_t r0 = glyph_at(core_begin + b.replace_begin);
            const std::size_t r1 = glyph_at(core_begin + b.replace_end);
            if (r0 == kNone || r1 == kNone || r0 == 0 || r1 <= r0) continue;
            const std::size_t piece = w.glyphs[r0].piece;
            InnerBreak ib{r0, InnerBreak::Kind::Replace, kp::BreakClass::Hyphenation, spec_.hyphen_penalty, true,
                          r1, glyphs_of(b.pre, piece), glyphs_of(b.post, piece)};
            breaks[r0] = std::move(ib);
          }
        }
      }
      for (std::size_t k : w.zero_width_spaces)
        if (k > 0 && k < n && !breaks.count(k))
          breaks[k] = InnerBreak{k, InnerBreak::Kind::Plain, kp::BreakClass::Always, 0, false, 0, {}, {}};

      // URLs and e-mail addresses break at their seams from the second pass
      // on, like url.sty: after '/' (not inside "//") and '@', before '.',
      // '-', '_', '?', '#', '&', '=', '%', '~'; never in the punctuation
      // around the address, never with a hyphen.
      if (address) {
        for (std::size_t k = std::max<std::size_t>(c0 + 2, 1); k + 1 < c1; ++k) {
          const char32_t prev = w.glyphs[k - 1].cp, next = w.glyphs[k].cp;
          const bool after = (prev == U'/' && next != U'/') || prev == U'@';
          const bool before = next == U'.' || next == U'-' || next == U'_' || next == U'?' || next == U'#' ||
                              next == U'&' || next == U'=' || next == U'%' || next == U'~';
          if ((after || before) && !breaks.count(k))
            breaks[k] = InnerBreak{k, InnerBreak::Kind::Plain, kp::BreakClass::Hyphenation, kSeamPenalty, false,
                                   0, {}, {}, true};
        }
      }
      // Last resort: a word wider than the narrowest line may break between
      // any two characters (not before a combining mark).
      if (w.width > narrowest) {
        const bool with_hyphen = styles_hyphenate && !address;
        for (std::size_t k = 1; k < n; ++k) {
          if (breaks.count(k) || is_combining(w.glyphs[k].cp)) continue;
          breaks[k] = InnerBreak{k,
                                 with_hyphen ? InnerBreak::Kind::Hyphen : InnerBreak::Kind::Plain,
                                 kp::BreakClass::LastResort,
                                 kLastResortPenalty,
                                 with_hyphen,
                                 0,
                                 {},
                                 {},
                                 true};
        }
      }
      // Drop breaks inside a replaced range, and inside a cluster (a
      // ligature or a character with its marks).
      std::size_t covered = 0;
      for (auto& [at, b] : breaks) {
        if (at < covered) continue;
        if (at < n && w.glyphs[at].joined) continue;
        if (b.kind == InnerBreak::Kind::Replace && b.replace_end < n && w.glyphs[b.replace_end].joined) continue;
        if (b.kind == InnerBreak::Kind::Replace) covered = b.replace_end;
        w.breaks.push_back(std::move(b));
      }
    }
  }

  // ------------------------------------------------------------ items

  double width_of(const std::vector<Glyph>& gs, std::size_t g0, std::size_t g1) const {
    double w = 0;
    for (std::size_t i = g0; i < g1; ++i) w += gs[i].width;
    return w;
  }

  void push(kp::Item item, ItemSource src) {
    items_.push_back(item);
    sources_.push_back(src);
  }

  void push_glue(std::size_t piece) {
    const double w = space_width(piece);
    if (spec_.align == LineAlign::Justify) {
      push(kp::glue(w, w * spec_.space_stretch, w * spec_.space_shrink), {kNone, 0, 0, kNone, piece});
    } else {
      push(kp::glue(w, 0, 0), {kNone, 0, 0, kNone, piece});  // ragged: spaces keep their width
    }
  }

  void push_paragraph_end(std::size_t piece) {
    const bool empty_line = items_.empty() ||
                            (items_.back().type == kp::ItemType::Penalty && items_.back().penalty <= kp::kEjectPenalty);
    if (empty_line) push(kp::box(0), {kNone, 0, 0, kNone, piece});  // \leavevmode
    push(kp::penalty(kp::kInfPenalty), {kNone, 0, 0, kNone, piece});
    push(kp::glue(0, 0, 0, 1), {kNone, 0, 0, kNone, piece});  // \parfillskip
    push(kp::forced_break(), {kNone, 0, 0, kNone, piece});
  }

  void push_word(std::size_t wi) {
    const Word& w = words_[wi];
    std::size_t pos = 0;
    for (std::size_t bi = 0; bi < w.breaks.size(); ++bi) {
      const InnerBreak& b = w.breaks[bi];
      if (b.at > pos) push(kp::box(width_of(w.glyphs, pos, b.at)), {wi, pos, b.at, kNone, kNone});
      const Glyph& before = w.glyphs[b.at - 1];
      // A break inside a URL or a last-resort break ends a ragged line:
      // glue(0, +X) penalty glue(0, −X) adds X stretch to the line that
      // breaks there and nothing otherwise (Knuth & Plass's ragged-right
      // trick), so such a line is set flush left rather than with its
      // spaces stretched or rated as a rigid underfull line.
      const bool ragged_end = b.ragged;
      if (ragged_end) {
        push(kp::penalty(kp::kInfPenalty), {kNone, 0, 0, kNone, before.piece});
        push(kp::glue(0, last_resort_stretch_, 0), {kNone, 0, 0, kNone, before.piece, true});
      }
      switch (b.kind) {
        case InnerBreak::Kind::Hyphen:
          push(kp::penalty(b.penalty, hyphen_width(before), b.flagged, b.when), {wi, b.at, b.at, bi, kNone});
          pos = b.at;
          break;
        case InnerBreak::Kind::Plain:
          push(kp::penalty(b.penalty, 0, b.flagged, b.when), {wi, b.at, b.at, bi, kNone});
          pos = b.at;
          break;
        case InnerBreak::Kind::Replace: {
          const double pre = width_of(b.pre, 0, b.pre.size()) +
                             (b.pre.empty() ? hyphen_width(before) : hyphen_width(b.pre.back()));
          push(kp::discretionary(width_of(w.glyphs, b.at, b.replace_end), pre,
                                       width_of(b.post, 0, b.post.size()), b.penalty, b.flagged, b.when),
               {wi, b.at, b.replace_end, bi, kNone});
          pos = b.replace_end;
          break;
        }
      }
      if (ragged_end) push(kp::glue(0, -last_resort_stretch_, 0), {kNone, 0, 0, kNone, before.piece, true});
    }
    if (pos < w.glyphs.size()) push(kp::box(width_of(w.glyphs, pos, w.glyphs.size())), {wi, pos, w.glyphs.size(), kNone, kNone});
  }

  void build_items() {
    double em = 0;
    for (const Piece& p : pieces_) em = std::max(em, p.style.size);
    params_.pretolerance = spec_.pretolerance;
    params_.max_hyphen_run = spec_.max_hyphen_run;
    params_.forbid_final_hyphen = !spec_.final_hyphen;
    params_.double_hyphen_demerits = spec_.double_hyphen_demerits;
    params_.final_hyphen_demerits = spec_.final_hyphen_demerits;
    params_.tolerance = spec_.tolerance;
    params_.emergency_stretch = spec_.emergency_stretch_em * em;
    const double ragged = spec_.ragged_stretch_em * em;
    last_resort_stretch_ = ragged;
    switch (spec_.align) {
      case LineAlign::Justify:
        break;
      case LineAlign::Left:
        params_.right_skip.stretch = ragged;
        break;
      case LineAlign::Right:
        params_.left_skip.stretch = ragged;
        break;
      case LineAlign::Center:
        params_.left_skip.stretch = ragged / 2;
        params_.right_skip.stretch = ragged / 2;
        break;
    }
    std::size_t last_piece = 0;
    for (const Token& t : tokens_) {
      switch (t.kind) {
        case TokenKind::Word:
          if (!words_[t.index].glyphs.empty()) last_piece = words_[t.index].glyphs.back().piece;
          push_word(t.index);
          break;
        case TokenKind::Space:
          push_glue(t.index);
          last_piece = t.index;
          break;
        case TokenKind::NbSpace:
          push(kp::penalty(kp::kInfPenalty), {kNone, 0, 0, kNone, t.index});
          push_glue(t.index);
          last_piece = t.index;
          break;
        case TokenKind::LineBreak:
          push_paragraph_end(t.index);
          last_piece = t.index;
          break;
      }
    }
    push_paragraph_end(last_piece);
  }

  // ------------------------------------------------------------ finalize

  struct LineBuilder {
    SetLine line;
    double x = 0;
    bool open = false;         // the last run may be extended
    std::size_t word = kNone;  // the word the open run belongs to
    bool any_glyph = false;
    std::vector<std::vector<fonts::ShapedGlyph>> glyphs;  // per run, while it grows
  };

  static bool same_run(const GlyphRun& r, const Glyph& g, const TextStyle& st) {
    return r.font == g.font && r.size == st.size && r.color == st.color;
  }

  void add_glyph(LineBuilder& lb, const Glyph& g, std::size_t word) {
    const TextStyle& st = style(g.piece);
    auto& runs = lb.line.runs;
    const bool extend = lb.open && lb.word == word && same_run(runs.back(), g, st) &&
                        run_links_.back() == st.link && run_underline_.back() == st.underline;
    if (!extend) {
      GlyphRun r;
      r.x = lb.x;
      r.font = g.font;
      r.size = st.size;
      r.color = st.color;
      runs.push_back(std::move(r));
      lb.glyphs.emplace_back();
      run_links_.push_back(st.link);
      run_underline_.push_back(st.underline);
      lb.open = true;
      lb.word = word;
    }
    GlyphRun& run = runs.back();
    // Glyphs in visual order: a right-to-left character's go first.
    std::vector<fonts::ShapedGlyph>& glyphs = lb.glyphs[runs.size() - 1];
    const auto at = g.rtl ? glyphs.begin() : glyphs.end();
    const auto mine = g.shaped.view();
    const auto first = glyphs.insert(at, mine.begin(), mine.end());
    for (auto it = first; it != first + static_cast<std::ptrdiff_t>(mine.size()); ++it)
      it->cluster = static_cast<std::uint32_t>(run.text.size());
    text::append_utf8(run.text, g.cp);
    run.width += g.width;
    lb.x += g.width;
    lb.any_glyph = true;
    const auto& face = fonts_.face(g.font);
    lb.line.ascent = std::max(lb.line.ascent, face.ascender() * st.size / 1000.0);
    lb.line.descent = std::max(lb.line.descent, -face.descender() * st.size / 1000.0);
  }

  void add_glyphs(LineBuilder& lb, const std::vector<Glyph>& gs, std::size_t g0, std::size_t g1, std::size_t word) {
    for (std::size_t i = g0; i < g1; ++i) add_glyph(lb, gs[i], word);
  }

  // The Unicode bidirectional algorithm (ICU ubidi) over the line, in a
  // left-to-right paragraph: each run gets the embedding level of its
  // first character, and from the highest level down to 1 every maximal
  // sequence of runs at that level or higher is reversed (rule L2), here by
  // mirroring the runs' positions within the sequence's extent, which
  // keeps the spaces between them. A right-to-left name's words so read
  // from the right. Lines without right-to-left text are left alone.
  static void order_bidi(SetLine& line) {
    auto& runs = line.runs;
    const auto is_rtl_char = [](char32_t c) {
      return (c >= 0x0590 && c <= 0x08FF) || (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF);
    };
    bool any = false;
    std::u16string text;
    std::vector<std::int32_t> starts;
    for (const GlyphRun& r : runs) {
      starts.push_back(static_cast<std::int32_t>(text.size()));
      std::size_t i = 0;
      while (i < r.text.size()) {
        char32_t c = text::next_code_point(r.text, i);
        any = any || is_rtl_char(c);
        if (c > 0xFFFF) {
          c -= 0x10000;
          text += static_cast<char16_t>(0xD800 + (c >> 10));
          text += static_cast<char16_t>(0xDC00 + (c & 0x3FF));
        } else {
          text += static_cast<char16_t>(c);
        }
      }
      text += u' ';
    }
    if (!any) return;
    UErrorCode err = U_ZERO_ERROR;
    UBiDi* bidi = ubidi_open();
    if (!bidi) return;
    ubidi_setPara(bidi, text.data(), static_cast<std::int32_t>(text.size()), UBIDI_LTR, nullptr, &err);
    std::vector<int> levels;
    int top = 0;
    for (std::int32_t start : starts) {
      levels.push_back(U_SUCCESS(err) ? ubidi_getLevelAt(bidi, start) : 0);
      top = std::max(top, levels.back());
    }
    ubidi_close(bidi);
    for (int level = top; level >= 1; --level) {
      for (std::size_t i = 0; i < runs.size();) {
        if (levels[i] < level) {
          ++i;
          continue;
        }
        std::size_t j = i;
        while (j + 1 < runs.size() && levels[j + 1] >= level) ++j;
        const double left = runs[i].x, right = runs[j].x + runs[j].width;
        for (std::size_t k = i; k <= j; ++k) runs[k].x = left + right - (runs[k].x + runs[k].width);
        i = j + 1;
      }
    }
  }

  SetLine finalize(const kp::Line& kl) {
    LineBuilder lb;
    run_links_.clear();
    run_underline_.clear();
    std::optional<std::size_t> some_piece;

    if (kl.post_break) {  // the rest of a discretionary broken on the line before
      const ItemSource& src = sources_[kl.start - 1];
      const InnerBreak& b = words_[src.word].breaks[src.brk];
      add_glyphs(lb, b.post, 0, b.post.size(), src.word);
    }
    for (std::size_t i = kl.start; i < kl.end; ++i) {
      const kp::Item& it = items_[i];
      const ItemSource& src = sources_[i];
      switch (it.type) {
        case kp::ItemType::Box:
        case kp::ItemType::Discretionary:
          if (src.word != kNone) add_glyphs(lb, words_[src.word].glyphs, src.g0, src.g1, src.word);
          if (src.piece != kNone) some_piece = src.piece;
          break;
        case kp::ItemType::Glue:
          lb.x += kp::set_glue_width(it, kl);
          if (!src.inner) lb.open = false;
          some_piece = src.piece;
          break;
        case kp::ItemType::Penalty:
          break;
      }
    }
    // The break material.
    const kp::Item& brk = items_[kl.end];
    const ItemSource& bsrc = sources_[kl.end];
    if (brk.type == kp::ItemType::Penalty && bsrc.word != kNone && brk.width > 0) {
      const Word& w = words_[bsrc.word];
      if (auto h = hyphen_after(w.glyphs[bsrc.g0 - 1])) {
        add_glyph(lb, *h, bsrc.word);
        lb.line.hyphenated = true;
      }
    } else if (brk.type == kp::ItemType::Discretionary) {
      const Word& w = words_[bsrc.word];
      const InnerBreak& b = w.breaks[bsrc.brk];
      add_glyphs(lb, b.pre, 0, b.pre.size(), bsrc.word);
      const Glyph& last = b.pre.empty() ? w.glyphs[b.at - 1] : b.pre.back();
      if (auto h = hyphen_after(last)) {
        add_glyph(lb, *h, bsrc.word);
        lb.line.hyphenated = true;
      }
    } else if (bsrc.piece != kNone && !some_piece) {
      some_piece = bsrc.piece;
    }

    SetLine& line = lb.line;
    if (!lb.any_glyph) {  // an empty line still has the height of its text
      const TextStyle& st = style(some_piece.value_or(0));
      const auto& face = fonts_.face(st.font);
      line.ascent = face.ascender() * st.size / 1000.0;
      line.descent = -face.descender() * st.size / 1000.0;
    }
    line.width = line.runs.empty() ? 0 : line.runs.back().x + line.runs.back().width;
    for (std::size_t i = 0; i < line.runs.size(); ++i)
      line.runs[i].glyphs = std::make_shared<const std::vector<fonts::ShapedGlyph>>(std::move(lb.glyphs[i]));
    order_bidi(line);

    // Links and underlines: one per stretch of runs with the same target.
    for (std::size_t i = 0; i < line.runs.size();) {
      std::size_t j = i + 1;
      if (!run_links_[i].empty()) {
        while (j < line.runs.size() && run_links_[j] == run_links_[i]) ++j;
        Link link;
        link.x = line.runs[i].x;
        link.width = line.runs[j - 1].x + line.runs[j - 1].width - link.x;
        link.y = -line.descent;
        link.height = line.ascent + line.descent;
        link.uri = run_links_[i];
        line.links.push_back(std::move(link));
      }
      i = j;
    }
    for (std::size_t i = 0; i < line.runs.size();) {
      std::size_t j = i + 1;
      if (run_underline_[i]) {
        while (j < line.runs.size() && run_underline_[j] && line.runs[j].color == line.runs[i].color &&
               line.runs[j].size == line.runs[i].size)
          ++j;
        const double size = line.runs[i].size;
        Line u;
        u.x1 = line.runs[i].x;
        u.x2 = line.runs[j - 1].x + line.runs[j - 1].width;
        u.y1 = u.y2 = -0.1 * size;  // typical post-table underlinePosition / thickness
        u.width = 0.05 * size;
        u.color = line.runs[i].color;
        line.underlines.push_back(u);
      }
      i = j;
    }
    return std::move(lb.line);
  }

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

}  // namespace

std::vector<SetLine> set_paragraph(const std::vector<Piece>& pieces, const ParagraphSpec& spec,
                                   fonts::FontSet& fonts, const Hyphenator* hyphenator, const SourceLoc& where,
                                   Diagnostics* diags) {
  Setter setter(pieces, spec, fonts, hyphenator, where, diags);
  return setter.run();
}

namespace {

// The cache key: every input of set_paragraph, as bytes.
class KeyWriter {
 public:
  template <class T>
  void value(const T& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    key_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void text(std::string_view s) {
    value(s.size());
    key_ += s;
  }
  std::string take() { return std::move(key_); }

 private:
  std::string key_;
};

std::string paragraph_key(const std::vector<Piece>& pieces, double width, const ParagraphSpec& spec,
                          const fonts::FontSet& fonts, const Hyphenator* hyphenator) {
  KeyWriter k;
  k.value(width);
  k.value(spec.align);
  k.value(spec.hyphenate);
  k.value(spec.min_word_chars);
  k.value(spec.min_left);
  k.value(spec.min_right);
  k.value(spec.pretolerance);
  k.value(spec.tolerance);
  k.value(spec.hyphen_penalty);
  k.value(spec.component_hyphen_penalty);
  k.value(spec.max_hyphen_run);
  k.value(spec.final_hyphen);
  k.value(spec.hyphenate_last_word);
  k.value(spec.double_hyphen_demerits);
  k.value(spec.final_hyphen_demerits);
  k.value(spec.space_stretch);
  k.value(spec.space_shrink);
  k.value(spec.ragged_stretch_em);
  k.value(spec.emergency_stretch_em);
  k.value(reinterpret_cast<std::uintptr_t>(hyphenator));
  k.value(fonts.size());
  for (std::size_t i = 0; i < fonts.size(); ++i) k.text(fonts.face(static_cast<fonts::FontId>(i)).path());
  k.value(pieces.size());
  for (const auto& p : pieces) {
    k.value(p.kind);
    k.text(p.text);
    const TextStyle& s = p.style;
    k.value(s.font);
    k.value(s.style);
    k.value(s.size);
    k.value(s.color.r);
    k.value(s.color.g);
    k.value(s.color.b);
    k.text(s.link);
    k.value(s.hyphenate);
    k.value(s.underline);
  }
  return k.take();
}

}  // namespace

std::vector<SetLine> ParagraphCache::lines(const std::vector<Piece>& pieces, double width, const ParagraphSpec& spec,
                                           fonts::FontSet& fonts, const Hyphenator* hyphenator,
                                           const SourceLoc& where, Diagnostics* diags) {
  ParagraphSpec constant = spec;
  constant.width = [width](std::size_t) { return width; };
  std::string key = paragraph_key(pieces, width, spec, fonts, hyphenator);
  {
    std::lock_guard lock(mutex_);
    if (auto it = entries_.find(key); it != entries_.end()) {
      ++hits_;
      return *it->second;
    }
  }
  // Set outside the lock, with the diagnostics kept apart to see whether
  // there were any.
  const std::size_t faces = fonts.size();
  Diagnostics own;
  auto set = std::make_shared<const std::vector<SetLine>>(
      set_paragraph(pieces, constant, fonts, hyphenator, where, &own));
  bool keep = fonts.size() == faces;
  for (auto& d : own.all()) {
    keep = false;  // kept, a later caller would not hear of it
    if (diags) diags->add(std::move(d));
  }
  if (keep) {
    std::lock_guard lock(mutex_);
    if (entries_.size() < max_entries_) entries_.emplace(std::move(key), set);
  }
  return *set;
}

std::size_t ParagraphCache::hits() const {
  std::lock_guard lock(mutex_);
  return hits_;
}

std::size_t ParagraphCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

double natural_width(const std::string& text_in, const TextStyle& style, fonts::FontSet& fonts) {
  const std::string s = text::is_valid_utf8(text_in) ? text::to_nfc(text_in) : text_in;
  const auto& face = fonts.face(style.font);
  // Stretches of text in one face are shaped as the renderer shapes them.
  double units = 0;
  std::string stretch;
  std::optional<fonts::FontId> stretch_font;
  const auto flush = [&] {
    if (!stretch.empty() && stretch_font) units += fonts.face(*stretch_font).shaped_advance(stretch);
    stretch.clear();
  };
  std::size_t i = 0;
  while (i < s.size()) {
    const char32_t cp = text::next_code_point(s, i);
    if (cp == kSoftHyphen || cp == kZeroWidthSpace || is_invisible(cp)) continue;
    if (is_space(cp) || is_nb_space(cp)) {
      flush();
      units += face.covers(U' ') ? face.advance(U' ') : 250;
      continue;
    }
    std::optional<fonts::FontId> f = face.covers(cp) ? std::optional<fonts::FontId>(style.font)
                                                     : fonts.fallback_for(style.font, cp, style.style);
    if (!f) continue;
    if (f != stretch_font) {
      flush();
      stretch_font = f;
    }
    text::append_utf8(stretch, cp);
  }
  flush();
  return units * style.size / 1000.0;
}

}  // namespace cp::layout
