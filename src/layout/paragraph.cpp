// natural_width: text measured on one line, shaped as the renderer shapes it.
#include "layout/paragraph_setter.h"

#include "core/text.h"

namespace cp::layout {

using setting::is_invisible;
using setting::is_nb_space;
using setting::is_space;
using setting::kSoftHyphen;
using setting::kZeroWidthSpace;

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
