// Finalize: each broken line's items → glyph runs at x positions, links,
// underlines, ascent and descent; right-to-left runs reordered.
#include "layout/paragraph_setter.h"

#include <algorithm>
#include <cstdint>

#include <unicode/ubidi.h>

#include "core/text.h"

namespace cp::layout::setting {

bool Setter::same_run(const GlyphRun& r, const Glyph& g, const TextStyle& st) {
  return r.font == g.font && r.size == st.size && r.color == st.color;
}

void Setter::add_glyph(LineBuilder& lb, const Glyph& g, std::size_t word) {
  const TextStyle& st = style(g.piece);
  auto& runs = lb.line.runs;
  const bool extend = lb.open && lb.word == word && same_run(runs.back(), g, st) &&
                      run_links_.back() == st.link && run_underline_.back() == st.underline &&
                      runs.back().node == st.node;
  if (!extend) {
    GlyphRun r;
    r.x = lb.x;
    r.font = g.font;
    r.size = st.size;
    r.color = st.color;
    r.node = st.node;
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

void Setter::add_glyphs(LineBuilder& lb, const std::vector<Glyph>& gs, std::size_t g0, std::size_t g1, std::size_t word) {
  for (std::size_t i = g0; i < g1; ++i) add_glyph(lb, gs[i], word);
}

// The Unicode bidirectional algorithm (ICU ubidi) over the line, in a
// left-to-right paragraph: each run gets the embedding level of its
// first character, and from the highest level down to 1 every maximal
// sequence of runs at that level or higher is reversed (rule L2), here by
// mirroring the runs' positions within the sequence's extent, which
// keeps the spaces between them. A right-to-left name's words so read
// from the right. Lines without right-to-left text are left alone.
void Setter::order_bidi(SetLine& line) {
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
      const char32_t c = text::next_code_point(r.text, i);
      any = any || is_rtl_char(c);
      append_utf16(text, c);
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

// What a line broken at item `end` ends with: the hyphen of a hyphenation
// point, the pre-break part of a discretionary and its hyphen.
void Setter::add_break_material(LineBuilder& lb, std::size_t end, std::optional<std::size_t>& some_piece) {
  const kp::Item& brk = items_[end];
  const ItemSource& bsrc = sources_[end];
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
}

// Links: one per stretch of runs with the same target.
void Setter::add_links(SetLine& line) const {
  for (std::size_t i = 0; i < line.runs.size();) {
    std::size_t j = i + 1;
    if (!run_links_[i].empty()) {
      while (j < line.runs.size() && run_links_[j] == run_links_[i] && line.runs[j].node == line.runs[i].node) ++j;
      Link link;
      link.x = line.runs[i].x;
      link.width = line.runs[j - 1].x + line.runs[j - 1].width - link.x;
      link.y = -line.descent;
      link.height = line.ascent + line.descent;
      link.uri = run_links_[i];
      link.node = line.runs[i].node;
      line.links.push_back(std::move(link));
    }
    i = j;
  }
}

// Underlines: one per stretch of underlined runs of one colour and size.
void Setter::add_underlines(SetLine& line) const {
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
}

SetLine Setter::finalize(const kp::Line& kl) {
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
  add_break_material(lb, kl.end, some_piece);

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

  add_links(line);
  add_underlines(line);
  return std::move(lb.line);
}

}  // namespace cp::layout::setting
