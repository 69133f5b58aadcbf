// Fuzz target: documents::fit_name, the certificate's name rule, on a name
// and a box made from the input bytes, measured with Noto Sans (and the
// fallback fonts fontconfig finds) as certificate.cpp measures. The first
// five bytes are the parameters, the rest is the text (any bytes: invalid
// UTF-8 too). Checks the contract in name_fit.h: every line fits the box
// width at the chosen size and the block its height; the size lies between
// min_size and max_size unless the result says it had to go below
// min_size; the lines hold the text's words, in order, none lost; two lines
// are broken at the most balanced space.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "documents/name_fit.h"
#include "fonts/fonts.h"
#include "layout/paragraph.h"

namespace {

namespace documents = cp::documents;
namespace fonts = cp::fonts;

[[noreturn]] void fail(const char* what, double a = 0, double b = 0) {
  std::fprintf(stderr, "name_fit contract broken: %s (%.17g vs %.17g)\n", what, a, b);
  std::abort();
}

// One FontSet for the process, holding Noto Sans in the four styles (the
// bundled certificate's family); fallbacks join it as characters need them.
struct Fonts {
  fonts::FontSet set;
  fonts::FontId ids[4] = {0, 0, 0, 0};
  Fonts() {
    const fonts::Style styles[4] = {fonts::Style::Regular, fonts::Style::Bold, fonts::Style::Italic,
                                    fonts::Style::BoldItalic};
    for (int i = 0; i < 4; ++i) {
      auto path = fonts::find_family("Noto Sans", styles[i]);
      auto face = path ? fonts::cached_face(*path) : nullptr;
      if (!face) {
        if (i == 0) {
          std::fprintf(stderr, "fuzz_name_fit: font family 'Noto Sans' is not installed\n");
          std::abort();
        }
        ids[i] = ids[0];
        continue;
      }
      ids[i] = set.add(std::move(face));
    }
  }
};

std::vector<std::string> words_of(const std::string& s) {
  std::vector<std::string> out;
  std::string w;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      if (!w.empty()) out.push_back(w);
      w.clear();
    } else {
      w += c;
    }
  }
  if (!w.empty()) out.push_back(w);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 5 || size > 1024) return 0;  // balancing is quadratic in the length; names are short
  static Fonts* f = new Fonts;  // never destroyed: the faces outlive every run

  // Parameters: box width 0 or 2..767 pt, height 0 or 0.5..127.5 pt,
  // max_size 1..64.75, min_size 0..63.75 (may exceed max_size), leading
  // 0.8..2 per point; the low bits of the fifth byte pick the style.
  documents::NameFitSpec spec;
  spec.width = data[0] == 0 ? 0 : 2 + data[0] * 3.0;
  spec.height = data[1] / 2.0;
  spec.max_size = 1 + data[2] / 4.0;
  spec.min_size = data[3] / 4.0;
  spec.leading = 0.8 + (data[4] >> 2) / 63.0 * 1.2;
  const int style_index = data[4] & 3;
  cp::layout::TextStyle style;
  style.font = f->ids[style_index];
  style.style = static_cast<fonts::Style>(style_index);
  const auto& face = f->set.face(style.font);
  spec.ascent = face.ascender() / 1000.0;
  spec.descent = -face.descender() / 1000.0;
  const std::string text(reinterpret_cast<const char*>(data) + 5, size - 5);

  const documents::NameFit fit = documents::fit_name(text, spec, style, f->set);
  const documents::NameFit again = documents::fit_name(text, spec, style, f->set);
  if (again.status != fit.status || again.size != fit.size || again.lines != fit.lines)
    fail("not deterministic", fit.size, again.size);

  const bool template_lines = text.find('\n') != std::string::npos;
  const bool blank = documents::collapse_spaces(text).empty();
  if (fit.status == documents::NameFitStatus::Empty) {
    if (template_lines || !blank) fail("Empty for a text with something to set");
    if (!fit.lines.empty() || fit.size != 0) fail("Empty with lines or a size", fit.size);
    return 0;
  }
  if (!template_lines && blank) fail("a blank text not reported Empty");
  if (fit.status == documents::NameFitStatus::NoRoom) {
    if (!fit.lines.empty() || fit.size != 0) fail("NoRoom with lines or a size", fit.size);
    // Only a box or sizes without room can leave no room.
    if (spec.width > 0 && spec.height > 0) {
      // Real fonts have positive advances, so width/wpp > 0; the height
      // alone could still be too small for any positive size: never.
      fail("NoRoom although the box has width and height", spec.width, spec.height);
    }
    return 0;
  }

  // Placed: Fits or BelowMinimum.
  if (fit.lines.empty()) fail("placed without lines");
  if (!(fit.size > 0) || !std::isfinite(fit.size)) fail("placed at a size that is not positive", fit.size);
  if (fit.size > spec.max_size) fail("size above max_size", fit.size, spec.max_size);
  const double min_size = std::min(spec.min_size, spec.max_size);
  const double floor = min_size * documents::kNameFitSafety;
  if (fit.status == documents::NameFitStatus::Fits && fit.size < floor) fail("Fits below min_size", fit.size, floor);
  if (fit.status == documents::NameFitStatus::BelowMinimum && fit.size >= floor)
    fail("BelowMinimum at or above min_size", fit.size, floor);
  if (!template_lines && fit.lines.size() > 2) fail("more than two lines", double(fit.lines.size()), 2);

  // Every line within the box width at the size, the block within its height.
  cp::layout::TextStyle at = style;
  at.size = fit.size;
  for (const auto& line : fit.lines) {
    const double w = cp::layout::natural_width(line, at, f->set);
    if (!(w <= spec.width * (1 + 1e-12))) fail("line wider than the box", w, spec.width);
  }
  const double block =
      fit.size * (static_cast<double>(fit.lines.size() - 1) * spec.leading + spec.ascent + spec.descent);
  if (!(block <= spec.height * (1 + 1e-12))) fail("lines taller than the box", block, spec.height);

  // Nothing lost, nothing added, nothing reordered.
  std::string joined;
  for (const auto& line : fit.lines) joined += line + "\n";
  if (words_of(joined) != words_of(text)) fail("the lines do not hold the text's words");
  for (const auto& line : fit.lines)
    if (line != documents::collapse_spaces(line)) fail("a line with a doubled, leading or trailing space");

  // Two lines: broken at the most balanced space.
  if (!template_lines && fit.lines.size() == 2) {
    cp::layout::TextStyle p100 = style;
    p100.size = 100;
    auto wpp = [&](const std::string& s) { return cp::layout::natural_width(s, p100, f->set) / 100; };
    const double chosen = std::max(wpp(fit.lines[0]), wpp(fit.lines[1]));
    const std::string one = fit.lines[0] + " " + fit.lines[1];
    for (std::size_t i = one.find(' '); i != std::string::npos; i = one.find(' ', i + 1)) {
      const double other = std::max(wpp(one.substr(0, i)), wpp(one.substr(i + 1)));
      if (other < chosen * (1 - 1e-12)) fail("a more balanced break exists", other, chosen);
    }
    // Two lines only when one line does not fit at min_size.
    const double margin = 1 + 1e-9;
    if (wpp(one) * min_size * margin <= spec.width && (spec.ascent + spec.descent) * min_size * margin <= spec.height)
      fail("two lines although one fits at min_size", wpp(one) * min_size, spec.width);
  }
  return 0;
}
