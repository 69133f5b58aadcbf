// Break: the driver of the steps; kp::break_lines chooses the breaks.
#include "layout/paragraph_setter.h"

#include <fmt/format.h>

namespace cp::layout {

namespace setting {

std::vector<SetLine> Setter::run() {
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

}  // namespace setting

std::vector<SetLine> set_paragraph(const std::vector<Piece>& pieces, const ParagraphSpec& spec,
                                   fonts::FontSet& fonts, const Hyphenator* hyphenator, const SourceLoc& where,
                                   Diagnostics* diags) {
  setting::Setter setter(pieces, spec, fonts, hyphenator, where, diags);
  return setter.run();
}

}  // namespace cp::layout
