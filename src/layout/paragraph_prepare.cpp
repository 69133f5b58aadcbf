// Prepare: the breaks inside each word: soft hyphens, the hyphenator's
// points, breaks after existing hyphens, seams of addresses, and
// last-resort breaks between the characters of words wider than the
// narrowest line.
#include "layout/paragraph_setter.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

#include <unicode/ubrk.h>

#include "core/text.h"
#include "layout/hyphenate.h"

namespace cp::layout::setting {

double Setter::space_width(std::size_t piece) const {
  const TextStyle& st = style(piece);
  const auto& face = fonts_.face(st.font);
  return (face.covers(U' ') ? face.advance(U' ') : 250) * st.size / 1000.0;
}

// The hyphen set after glyph `g` (its font if it has one).
std::optional<Glyph> Setter::hyphen_after(const Glyph& g) {
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

double Setter::hyphen_width(const Glyph& g) {
  const auto h = hyphen_after(g);
  return h ? h->width : 0;
}

std::vector<Glyph> Setter::glyphs_of(std::string_view s, std::size_t piece) {
  std::vector<Glyph> out;
  std::size_t i = 0;
  while (i < s.size())
    if (auto g = make_glyph(text::next_code_point(s, i), piece)) out.push_back(single(g->cp, g->font, piece));
  return out;
}

double Setter::narrowest_measure() const {
  const std::size_t lines = std::min<std::size_t>(tokens_.size() + 2, 1000);
  double w = std::numeric_limits<double>::infinity();
  for (std::size_t l = 0; l < lines; ++l) w = std::min(w, spec_.width(l));
  return w;
}

// The words a paragraph (or a line ended by a line break) ends with.
std::vector<bool> Setter::paragraph_ends() const {
  std::vector<bool> ends(words_.size(), false);
  for (std::size_t t = 0; t < tokens_.size(); ++t) {
    if (tokens_[t].kind != TokenKind::Word) continue;
    std::size_t u = t + 1;
    while (u < tokens_.size() && tokens_[u].kind != TokenKind::Word && tokens_[u].kind != TokenKind::LineBreak) ++u;
    if (u == tokens_.size() || tokens_[u].kind == TokenKind::LineBreak) ends[tokens_[t].index] = true;
  }
  return ends;
}

WordText::WordText(const Word& w, const std::vector<Piece>& pieces) {
  const std::size_t n = w.glyphs.size();
  for (const Glyph& g : w.glyphs) {
    offsets.push_back(text.size());
    text::append_utf8(text, g.cp);
    styles_hyphenate = styles_hyphenate && pieces[g.piece].style.hyphenate;
  }
  address = text.find_first_of("@/") != std::string::npos || text.find("://") != std::string::npos ||
            text.rfind("www.", 0) == 0;
  // The word without punctuation around it ("(socialtjänsten)," →
  // socialtjänsten): the hyphenator refuses words with '.' or ':'.
  c1 = n;
  while (c0 < n && !is_word_char(w.glyphs[c0].cp)) ++c0;
  while (c1 > c0 && !is_word_char(w.glyphs[c1 - 1].cp)) --c1;
}

std::size_t WordText::glyph_at(std::size_t byte) const {
  if (byte == text.size()) return offsets.size();
  const auto it = std::lower_bound(offsets.begin(), offsets.end(), byte);
  return it == offsets.end() || *it != byte ? kNone : static_cast<std::size_t>(it - offsets.begin());
}

// Soft hyphens, else the hyphenator's points (or, where the word may not
// be hyphenated, the breaks after its existing hyphens).
void Setter::hyphenation_breaks(const Word& w, const WordText& wt, bool may_hyphenate, BreakMap& breaks) {
  const std::size_t n = w.glyphs.size();
  if (!w.soft_hyphens.empty()) {
    // TeX: a word with explicit discretionaries is not hyphenated by the patterns.
    for (std::size_t k : w.soft_hyphens)
      if (k > 0 && k < n) breaks[k] = InnerBreak{k, InnerBreak::Kind::Hyphen, kp::BreakClass::Always,
                                                 spec_.hyphen_penalty, true, 0, {}, {}};
    return;
  }
  if (wt.c1 <= wt.c0) return;
  const std::size_t core_begin = wt.offsets[wt.c0];
  const std::size_t core_end = wt.c1 < n ? wt.offsets[wt.c1] : wt.text.size();
  const std::string_view core(wt.text.data() + core_begin, core_end - core_begin);
  const bool long_enough = text::length(core) >= static_cast<std::size_t>(std::max(spec_.min_word_chars, 0));
  std::vector<WordBreak> found;
  if (may_hyphenate && long_enough) {
    found = hyphenator_->breaks(core, spec_.min_left, spec_.min_right);
  } else if (!wt.address) {
    found = breaks_after_hyphens(core);
  }
  const bool compound = std::any_of(found.begin(), found.end(), [](const WordBreak& b) { return b.compound; });
  for (const WordBreak& b : found) {
    const std::size_t at = wt.glyph_at(core_begin + b.offset);
    if (at == kNone || at == 0 || at >= n) continue;
    if (!b.hyphen) {  // after an existing hyphen: TeX's \exhyphenpenalty, flagged
      breaks[at] = InnerBreak{at, InnerBreak::Kind::Plain, kp::BreakClass::Always, spec_.hyphen_penalty,
                              true, 0, {}, {}};
    } else if (b.standard()) {
      breaks[at] = InnerBreak{at, InnerBreak::Kind::Hyphen, kp::BreakClass::Hyphenation,
                              compound && !b.compound ? spec_.component_hyphen_penalty : spec_.hyphen_penalty,
                              true, 0, {}, {}};
    } else {
      const std::size_t r0 = wt.glyph_at(core_begin + b.replace_begin);
      const std::size_t r1 = wt.glyph_at(core_begin + b.replace_end);
      if (r0 == kNone || r1 == kNone || r0 == 0 || r1 <= r0) continue;
      const std::size_t piece = w.glyphs[r0].piece;
      InnerBreak ib{r0, InnerBreak::Kind::Replace, kp::BreakClass::Hyphenation, spec_.hyphen_penalty, true,
                    r1, glyphs_of(b.pre, piece), glyphs_of(b.post, piece)};
      breaks[r0] = std::move(ib);
    }
  }
}

// URLs and e-mail addresses break at their seams from the second pass
// on, like url.sty: after '/' (not inside "//") and '@', before '.',
// '-', '_', '?', '#', '&', '=', '%', '~'; never in the punctuation
// around the address, never with a hyphen.
void address_breaks(const Word& w, const WordText& wt, BreakMap& breaks) {
  for (std::size_t k = std::max<std::size_t>(wt.c0 + 2, 1); k + 1 < wt.c1; ++k) {
    const char32_t prev = w.glyphs[k - 1].cp, next = w.glyphs[k].cp;
    const bool after = (prev == U'/' && next != U'/') || prev == U'@';
    const bool before = next == U'.' || next == U'-' || next == U'_' || next == U'?' || next == U'#' ||
                        next == U'&' || next == U'=' || next == U'%' || next == U'~';
    if ((after || before) && !breaks.count(k))
      breaks[k] = InnerBreak{k, InnerBreak::Kind::Plain, kp::BreakClass::Hyphenation, kSeamPenalty, false,
                             0, {}, {}, true};
  }
}

std::vector<bool> grapheme_starts(const Word& w) {
  const std::size_t n = w.glyphs.size();
  std::vector<bool> starts(n + 1, true);
  std::u16string text;
  std::vector<std::int32_t> at;  // UTF-16 offset of each glyph
  at.reserve(n);
  for (const Glyph& g : w.glyphs) {
    at.push_back(static_cast<std::int32_t>(text.size()));
    append_utf16(text, g.cp);
  }
  UErrorCode err = U_ZERO_ERROR;
  UBreakIterator* it = ubrk_open(UBRK_CHARACTER, "", text.data(), static_cast<std::int32_t>(text.size()), &err);
  if (!it || U_FAILURE(err)) {  // without ICU's data: no break before a combining mark
    if (it) ubrk_close(it);
    for (std::size_t k = 0; k < n; ++k) starts[k] = !is_combining(w.glyphs[k].cp);
    return starts;
  }
  std::vector<bool> boundary(text.size() + 1, false);
  for (std::int32_t b = ubrk_first(it); b != UBRK_DONE; b = ubrk_next(it)) boundary[static_cast<std::size_t>(b)] = true;
  ubrk_close(it);
  for (std::size_t k = 0; k < n; ++k) starts[k] = boundary[static_cast<std::size_t>(at[k])];
  return starts;
}

// Last resort: a word wider than the narrowest line may break between
// any two grapheme clusters (never before a combining mark, inside an
// emoji sequence or between a base and its vowel sign), as TeX's
// emergency pass and CSS's overflow-wrap: anywhere do.
void last_resort_breaks(const Word& w, const WordText& wt, BreakMap& breaks) {
  const bool with_hyphen = wt.styles_hyphenate && !wt.address;
  const std::vector<bool> starts = grapheme_starts(w);
  for (std::size_t k = 1; k < w.glyphs.size(); ++k) {
    if (breaks.count(k) || !starts[k]) continue;
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

// The word's breaks in order, without those inside a replaced range or
// inside a cluster (a ligature or a character with its marks).
void keep_breaks(Word& w, BreakMap& breaks) {
  const std::size_t n = w.glyphs.size();
  std::size_t covered = 0;
  for (auto& [at, b] : breaks) {
    if (at < covered) continue;
    if (at < n && w.glyphs[at].joined) continue;
    if (b.kind == InnerBreak::Kind::Replace && b.replace_end < n && w.glyphs[b.replace_end].joined) continue;
    if (b.kind == InnerBreak::Kind::Replace) covered = b.replace_end;
    w.breaks.push_back(std::move(b));
  }
}

// Words tied by no-break spaces into a stretch wider than the narrowest
// line can be set only by breaking the stretch: its ties become
// last-resort breaks (at a tie rather than inside a word). Each word wider
// than the line also gets breaks of its own (last_resort_breaks).
void Setter::mark_wide_ties(double narrowest) {
  std::size_t t = 0;
  while (t < tokens_.size()) {
    if (tokens_[t].kind != TokenKind::Word && tokens_[t].kind != TokenKind::NbSpace) {
      ++t;
      continue;
    }
    std::size_t u = t;
    double width = 0;
    bool tied = false;
    for (; u < tokens_.size(); ++u) {
      const Token& k = tokens_[u];
      if (k.kind == TokenKind::Word) {
        width += words_[k.index].width;
      } else if (k.kind == TokenKind::NbSpace) {
        width += space_width(k.index);
        tied = true;
      } else {
        break;
      }
    }
    if (tied && width > narrowest)
      for (std::size_t k = t; k < u; ++k) tokens_[k].last_resort = tokens_[k].kind == TokenKind::NbSpace;
    t = u;
  }
}

void Setter::prepare() {
  const double narrowest = narrowest_measure();
  const std::vector<bool> ends_paragraph = paragraph_ends();
  for (std::size_t wi = 0; wi < words_.size(); ++wi) {
    Word& w = words_[wi];
    const std::size_t n = w.glyphs.size();
    if (n == 0) continue;
    shape_word(w);
    const WordText wt(w, pieces_);
    const bool may_hyphenate = spec_.hyphenate && hyphenator_ && wt.styles_hyphenate && !wt.address &&
                               (spec_.hyphenate_last_word || !ends_paragraph[wi]);
    BreakMap breaks;
    hyphenation_breaks(w, wt, may_hyphenate, breaks);
    for (std::size_t k : w.zero_width_spaces)
      if (k > 0 && k < n && !breaks.count(k))
        breaks[k] = InnerBreak{k, InnerBreak::Kind::Plain, kp::BreakClass::Always, 0, false, 0, {}, {}};
    if (wt.address) address_breaks(w, wt, breaks);
    if (w.width > narrowest) last_resort_breaks(w, wt, breaks);
    keep_breaks(w, breaks);
  }
  mark_wide_ties(narrowest);
}

}  // namespace cp::layout::setting
