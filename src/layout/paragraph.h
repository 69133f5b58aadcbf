// Setting one paragraph: styled text → justified or ragged lines.
//
// collect (pieces → words with fonts resolved per character, fallbacks)
// → hyphenate (Swedish patterns) → Knuth–Plass items (boxes, glue,
// penalties) → optimal breaks → lines of glyph runs.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "fonts/fonts.h"
#include "layout/frame.h"

namespace cp::layout {

class Hyphenator;

struct TextStyle {
  fonts::FontId font = 0;
  fonts::Style style = fonts::Style::Regular;  // for fallback lookups
  double size = 10;
  Color color;
  std::string link;          // URI; non-empty makes the text clickable
  bool hyphenate = true;     // false for names, code, headings that must not break words
  bool underline = false;
};

enum class PieceKind { Text, Space, NbSpace, LineBreak };

// Input to the paragraph setter. Text pieces hold no spaces; consecutive
// Text pieces without a Space between them form one word (e.g. a word with
// an emphasised part).
struct Piece {
  PieceKind kind = PieceKind::Text;
  std::string text;
  TextStyle style;
};

enum class LineAlign { Justify, Left, Center, Right };

struct ParagraphSpec {
  // Width available for line i (0-based); lets a paragraph flow around a
  // hanging indent or a drop-in. Must be positive.
  std::function<double(std::size_t line)> width;
  LineAlign align = LineAlign::Justify;
  bool hyphenate = true;
  int min_word_chars = 5;    // words shorter than this are never hyphenated
  int min_left = 2, min_right = 3;  // characters kept before / after a hyphen
};

// A set line. Runs have x relative to the line start and y = 0 on the
// baseline; `links` likewise.
struct SetLine {
  std::vector<GlyphRun> runs;
  std::vector<Link> links;   // y = descent below baseline (negative), height = ascent + descent
  double width = 0;          // natural width of the content as set
  double ascent = 0;         // largest ascent of the fonts on the line (pt)
  double descent = 0;        // largest descent (pt, positive)
  bool hyphenated = false;   // ends with an inserted hyphen
  bool last = false;         // last line of the paragraph
};

// Sets a paragraph. Characters missing from every installed font are
// reported once per character as a warning at `where` and left out (never a
// silent box). Never produces a line wider than spec.width(i): words longer
// than the measure are broken between characters as a last resort.
std::vector<SetLine> set_paragraph(const std::vector<Piece>& pieces, const ParagraphSpec& spec,
                                   fonts::FontSet& fonts, const Hyphenator* hyphenator,
                                   const SourceLoc& where, Diagnostics* diags);

// Natural width of a string set on one line in one style (no breaking); for
// table column sizing, headers and footers.
double natural_width(const std::string& text, const TextStyle& style, fonts::FontSet& fonts);

}  // namespace cp::layout
