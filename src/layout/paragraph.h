// Setting one paragraph: styled text → justified or ragged lines.
//
// collect (pieces → words with fonts resolved per character, fallbacks)
// → hyphenate (Swedish patterns) → Knuth–Plass items (boxes, glue,
// penalties) → optimal breaks → lines of glyph runs.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/diagnostics.h"
#include "fonts/fonts.h"
#include "frame/frame.h"

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
  // What the text is in the document's structure, as its caller numbers it:
  // copied into its runs and links (GlyphRun::node, Link::node); runs
  // never mix two.
  int node = -1;
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
  // hanging indent or a drop-in. Required; must be positive.
  std::function<double(std::size_t line)> width;
  LineAlign align = LineAlign::Justify;
  bool hyphenate = true;
  int min_word_chars = 5;    // words shorter than this are never hyphenated
  int min_left = 2, min_right = 3;  // characters kept before / after a hyphen
  // Knuth–Plass settings (TeX's \pretolerance, \tolerance, \hyphenpenalty).
  double pretolerance = 100;
  double tolerance = 200;
  // Careful hyphenation, measured on the bundled handout (about 11% of its
  // lines hyphenated, word gaps no looser than with TeX's 50): a penalty of
  // 250 per hyphen; at most `max_hyphen_run` hyphenated lines in a row; no
  // hyphen in a paragraph's last word, so the last line is never a lone
  // fragment of a word; no hyphen on the last full line, unless every
  // other breaking has a line looser than `final_hyphen_tolerance` (or
  // none fits the measure but by cuts between letters or broken ties):
  // then the hyphen costs `final_hyphen_demerits`. `final_hyphen` true
  // makes that TeX's rating in every pass instead of a rule. TeX's
  // \doublehyphendemerits rate two in a row.
  double hyphen_penalty = 250;
  // A break inside a part of a compound (männi-skohandel) when the word has
  // joins between its parts (människo-handel, WordBreak::compound): those
  // are preferred. On the bundled handout 300 moves 4 of the 9 breaks that
  // fell inside a part of a compound to a join (11 of 35 at joins, from 7)
  // with as many hyphens and no looser word gaps; 500 moves 7 but
  // hyphenates two more lines and loosens the gaps (p95 0.35 em from 0.33).
  double component_hyphen_penalty = 300;
  int max_hyphen_run = 2;
  bool final_hyphen = false;
  bool hyphenate_last_word = false;
  double double_hyphen_demerits = 10000;
  double final_hyphen_demerits = 100000;
  // On the bundled handout 1000 keeps 4 of its 10 final hyphens (short
  // paragraphs of two or three lines) with word gaps as before (median
  // 0.23 em, p95 0.33, max 0.48); 1500 keeps 3 but p95 goes to 0.35 em;
  // no limit keeps none, max 0.50 em. (With the tolerance, 200, it keeps
  // all 10; the emergency pass's rating instead gives a gap of 0.67 em.)
  double final_hyphen_tolerance = 1000;
  // Justified interword glue as fractions of the space: stretch as TeX's
  // fonts have it (1/2), shrink to 55% of the space (TeX: 2/3), which lets
  // a tight line take a word instead of a hyphen.
  double space_stretch = 0.5;
  double space_shrink = 0.45;
  double ragged_stretch_em = 3;  // Left/Center/Right (and lines ending inside a URL): stretch at
                                 // the line end, in em of the largest size
  double emergency_stretch_em = 3;  // TeX's \emergencystretch for the emergency pass, in em
};

// A set line. Runs have x relative to the line start and y = 0 on the
// baseline; `links` and `underlines` likewise.
//
// Justify: the glue is stretched or shrunk so the last run ends at the
// measure (except on the last line and before a LineBreak). Left, Center,
// Right: words at their natural spacing starting at x = 0; the caller
// moves the line by (measure − width) / 2 or measure − width.
struct SetLine {
  std::vector<GlyphRun> runs;   // one per word and font/size/colour change; never a space
  std::vector<Link> links;      // one per stretch of runs with the same link (the spaces between
                                // them included); y = −descent (negative), height = ascent + descent
  std::vector<Line> underlines; // for TextStyle::underline, merged like links
  double width = 0;          // from x = 0 to the end of the last run, as set
  double ascent = 0;         // largest ascent of the fonts on the line (pt)
  double descent = 0;        // largest descent (pt, positive)
  bool hyphenated = false;   // ends with an inserted hyphen
  bool last = false;         // last line of the paragraph
};

// Sets a paragraph. Characters missing from every installed font are
// reported once per character (per paragraph) as a warning at `where` and
// left out (never a silent box). Never produces a line wider than
// spec.width(i): words longer than the measure are broken between grapheme
// clusters as a last resort (with a hyphen, except in URLs, e-mail
// addresses and text that must not be hyphenated), and words tied by
// no-break spaces into a stretch wider than the measure at their ties. U+00AD soft hyphens are
// the only hyphenation points of their word; U+200B allows a break without
// a hyphen. `hyphenator` may be null (no hyphenation).
std::vector<SetLine> set_paragraph(const std::vector<Piece>& pieces, const ParagraphSpec& spec,
                                   fonts::FontSet& fonts, const Hyphenator* hyphenator,
                                   const SourceLoc& where, Diagnostics* diags);

// Set paragraphs shared between documents: a course's paragraphs are the
// same in every municipality's handout but where a placeholder was filled,
// and setting them (hyphenation, Knuth–Plass, glyphs) is most of a
// handout's layout. A paragraph is set once per distinct input: its pieces,
// the measure, every setting of the spec, the hyphenator and the faces
// behind the set's font ids. What lines() returns is exactly what
// set_paragraph would. A paragraph that reported a diagnostic, or needed a
// fallback face the set did not yet hold, is not kept (it is set again
// next time, with its warnings). Thread-safe; at most `max_entries`
// paragraphs are kept (later ones are set every time).
class ParagraphCache {
 public:
  explicit ParagraphCache(std::size_t max_entries = 100'000) : max_entries_(max_entries) {}

  // set_paragraph with a constant width.
  std::vector<SetLine> lines(const std::vector<Piece>& pieces, double width, const ParagraphSpec& spec,
                             fonts::FontSet& fonts, const Hyphenator* hyphenator, const SourceLoc& where,
                             Diagnostics* diags);

  std::size_t hits() const;
  std::size_t size() const;

 private:
  std::size_t max_entries_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const std::vector<SetLine>>> entries_;
  std::size_t hits_ = 0;
};

// Natural width of a string set on one line in one style (no breaking); for
// table column sizing, headers and footers.
double natural_width(const std::string& text, const TextStyle& style, fonts::FontSet& fonts);

}  // namespace cp::layout
