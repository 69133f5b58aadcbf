// Items: the Knuth–Plass boxes, glue and penalties (knuth_plass.h) of the
// paragraph, with a parallel table saying which glyphs each item stands for.
#include "layout/paragraph_setter.h"

#include <algorithm>

namespace cp::layout::setting {

double Setter::width_of(const std::vector<Glyph>& gs, std::size_t g0, std::size_t g1) const {
  double w = 0;
  for (std::size_t i = g0; i < g1; ++i) w += gs[i].width;
  return w;
}

void Setter::push(kp::Item item, ItemSource src) {
  items_.push_back(item);
  sources_.push_back(src);
}

void Setter::push_glue(std::size_t piece) {
  const double w = space_width(piece);
  if (spec_.align == LineAlign::Justify) {
    push(kp::glue(w, w * spec_.space_stretch, w * spec_.space_shrink), {kNone, 0, 0, kNone, piece});
  } else {
    push(kp::glue(w, 0, 0), {kNone, 0, 0, kNone, piece});  // ragged: spaces keep their width
  }
}

void Setter::push_paragraph_end(std::size_t piece) {
  const bool empty_line = items_.empty() ||
                          (items_.back().type == kp::ItemType::Penalty && items_.back().penalty <= kp::kEjectPenalty);
  if (empty_line) push(kp::box(0), {kNone, 0, 0, kNone, piece});  // \leavevmode
  push(kp::penalty(kp::kInfPenalty), {kNone, 0, 0, kNone, piece});
  push(kp::glue(0, 0, 0, 1), {kNone, 0, 0, kNone, piece});  // \parfillskip
  push(kp::forced_break(), {kNone, 0, 0, kNone, piece});
}

void Setter::push_word(std::size_t wi) {
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

void Setter::build_items() {
  double em = 0;
  for (const Piece& p : pieces_) em = std::max(em, p.style.size);
  params_.pretolerance = spec_.pretolerance;
  params_.max_hyphen_run = spec_.max_hyphen_run;
  params_.forbid_final_hyphen = !spec_.final_hyphen;
  params_.final_hyphen_tolerance = spec_.final_hyphen_tolerance;
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
        if (t.last_resort) {  // a ragged line end, as a last-resort break inside a word has
          push(kp::glue(0, last_resort_stretch_, 0), {kNone, 0, 0, kNone, t.index, true});
          push(kp::penalty(kTiePenalty, 0, false, kp::BreakClass::LastResort), {kNone, 0, 0, kNone, t.index});
          push(kp::glue(0, -last_resort_stretch_, 0), {kNone, 0, 0, kNone, t.index, true});
        }
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

}  // namespace cp::layout::setting
