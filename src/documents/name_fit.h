// Fitting a name into a box: the certificate's name rule of README.md ("a
// certificate name too long for its box is shrunk down to the layout's
// minimum size, then set on two lines"), used for every text element of the
// certificate, and the attendance sheet's names in their cells.
//
// Pure apart from measuring: the caller passes how wide a string is per
// point of size (measured with the text's font and the fallbacks of its
// FontSet, exactly as the text is drawn).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "fonts/fonts.h"
#include "layout/paragraph.h"

namespace cp::documents {

// Whitespace (space, tab, CR) collapsed to single spaces and trimmed: a
// name typed with two spaces or a tab must not make a gap on the
// certificate. Other bytes (also invalid UTF-8) are kept as they are.
std::string collapse_spaces(const std::string& s);

// The box and the sizes the text may take.
struct NameFitSpec {
  double width = 0;      // box width (pt)
  double height = 0;     // box height (pt)
  double max_size = 0;   // the layout's size (pt)
  double min_size = 0;   // the layout's min_size (pt); taken as max_size when larger
  double leading = 1.2;  // baseline distance per point of size
  double ascent = 1;     // the font's ascent per point of size
  double descent = 0.2;  // the font's descent per point of size (positive)
  // What differs between a certificate's box and a sheet's cell:
  std::size_t max_lines = 2;      // the most lines a text is broken into
  bool shrink_first = true;       // shrink to min_size on fewer lines before breaking into more
                                  // (false: the largest size on as many lines as need be)
  double step = 0;                // 0: any size; else sizes max_size, max_size - step, … (see shrink_to_fit)
  double safety = 0.999;          // see kNameFitSafety
};

enum class NameFitStatus {
  Fits,          // size in [min_size, max_size] (within kNameFitSafety), lines inside the box
  BelowMinimum,  // too long even at min_size on two lines: set smaller still so nothing is clipped
  NoRoom,        // the box or the sizes leave no room at all (size 0, no lines)
  Empty,         // nothing but whitespace to set (size 0, no lines)
};

// The result: the lines in order and the one size they are all set at.
// Every line is at most spec.width wide at `size` and the block of lines
// (ascent + descent + (n - 1) × leading, times size) at most spec.height high.
struct NameFit {
  NameFitStatus status = NameFitStatus::Empty;
  double size = 0;
  std::vector<std::string> lines;
  bool placed() const { return status == NameFitStatus::Fits || status == NameFitStatus::BelowMinimum; }
};

// Sizes are scaled by this factor (NameFitSpec::safety), keeping clear of
// rounding at the edges of the box: a text "at max_size" is set at
// max_size × kNameFitSafety.
inline constexpr double kNameFitSafety = 0.999;

// Width of a string per point of size (pt/pt). Must be proportional to the
// size (advances are fixed fractions of the em, no kerning).
using WidthPerPoint = std::function<double(const std::string&)>;

// The rule:
// - a text is broken only at its spaces, into lines balanced so that the
//   widest is as narrow as it can be (the first such breaking on a tie);
// - of one line and each number of lines up to max_lines, the one that
//   allows the largest size wins, fewer lines on a tie; with shrink_first
//   (the certificate) more than one line is set at min_size at the most,
//   so one line is shrunk as far as min_size before the text is broken;
// - sizes are any (step 0) or the steps from max_size down;
// - when nothing fits at min_size (too wide or too tall, or no space to
//   break at), smaller still: the largest size of any number of lines
//   (status BelowMinimum; with steps, the size is not one of them);
// - a text with line breaks ('\n', from the layout's template) keeps its
//   lines as written, each collapsed, shrunk together from max_size (not
//   held at min_size).
// Never drops a word: the lines joined with spaces are the text's words.
NameFit fit_name(const std::string& text, const NameFitSpec& spec, const WidthPerPoint& width_per_point);

// The same, measured with `style`'s font (and the fallbacks `fonts` finds
// for characters it lacks), as layout::natural_width measures: NFC first,
// so decomposed accents measure as the composed letters they are drawn as.
NameFit fit_name(const std::string& text, const NameFitSpec& spec, const layout::TextStyle& style,
                 fonts::FontSet& fonts);

}  // namespace cp::documents
