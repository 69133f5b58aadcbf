// Collect: pieces → tokens (words, spaces, line breaks); every character
// of a word gets a font (the piece's, else a fallback, else a warning and
// it is dropped), its shaped glyphs and a width in points.
#include "layout/paragraph_setter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

#include "core/text.h"

namespace cp::layout::setting {

std::optional<fonts::FontId> Setter::font_for(char32_t cp, const TextStyle& st) {
  if (fonts_.face(st.font).covers(cp)) return st.font;
  const auto key = std::make_pair(st.font, cp);
  if (auto it = fallback_cache_.find(key); it != fallback_cache_.end()) return it->second;
  auto f = fonts_.fallback_for(st.font, cp, st.style);
  fallback_cache_.emplace(key, f);
  return f;
}

// A character set on its own: its shaped glyphs and width.
Glyph Setter::single(char32_t cp, fonts::FontId font, std::size_t piece) const {
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
void Setter::shape_word(Word& w) {
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

std::optional<Glyph> Setter::make_glyph(char32_t cp, std::size_t piece) {
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

Word& Setter::current_word() {
  if (!open_word_) {
    words_.emplace_back();
    tokens_.push_back({TokenKind::Word, words_.size() - 1});
    open_word_ = true;
  }
  return words_.back();
}

void Setter::collect() {
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

}  // namespace cp::layout::setting
