// The Knuth–Plass total-fit line breaker: boxes, glue and penalties in,
// optimal breakpoints out. Pure arithmetic on widths; knows nothing about
// fonts or text, so it is unit-tested with made-up widths.
//
// D. E. Knuth and M. F. Plass, "Breaking Paragraphs into Lines",
// Software—Practice and Experience 11 (1981) 1119–1184; TeX: The Program
// §813–890. See knuth_plass.cpp for the control flow.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace cp::layout::kp {

// Penalties at or above kInfPenalty forbid a break; at or below
// kEjectPenalty force one (TeX's inf_penalty and eject_penalty).
inline constexpr double kInfPenalty = 10000;
inline constexpr double kEjectPenalty = -10000;

enum class ItemType : std::uint8_t { Box, Glue, Penalty, Discretionary };

// In which passes a penalty or discretionary is a legal breakpoint.
enum class BreakClass : std::uint8_t {
  Always,       // explicit breaks, the existing hyphen of a compound: every pass
  Hyphenation,  // from the hyphenator: from the second pass on (TeX hyphenates
                // only after a first pass without hyphenation fails, §863, §891)
  LastResort,   // between the characters of a word wider than the line: only
                // the last-resort pass
};

// One element of the horizontal list. Widths are in any unit (points).
struct Item {
  ItemType type = ItemType::Box;
  // Box: its width. Glue: natural width. Discretionary: width when not
  // broken. Penalty: width added at the end of a line broken here (the
  // hyphen of a hyphenation point).
  double width = 0;
  double stretch = 0;  // Glue: finite stretchability
  double shrink = 0;   // Glue: shrinkability; must not exceed `width` (see .cpp)
  double fil = 0;      // Glue: first-order infinite stretchability (\hfil, \parfillskip)
  double penalty = 0;  // Penalty, Discretionary: cost of breaking here
  bool flagged = false;  // Penalty, Discretionary: a hyphenated break (§859 double/final hyphen demerits)
  BreakClass when = BreakClass::Always;  // Penalty, Discretionary
  // Discretionary (TeX's disc node, with widths only): when broken, the line
  // ends with `pre_width` instead of `width` and the next line starts with
  // `post_width` (tillåta → till- / låta).
  double pre_width = 0, post_width = 0;

  bool is_box_like() const { return type == ItemType::Box || type == ItemType::Discretionary; }
};

Item box(double width);
Item glue(double width, double stretch, double shrink, double fil = 0);
Item penalty(double penalty, double width = 0, bool flagged = false, BreakClass when = BreakClass::Always);
Item discretionary(double width, double pre_width, double post_width, double penalty, bool flagged,
                   BreakClass when = BreakClass::Always);
inline Item forced_break() { return penalty(kEjectPenalty); }

// Glue added to every line (TeX's \leftskip and \rightskip): ragged right is
// right_skip = (0, 3em, 0) with rigid interword glue; centred uses both.
struct SkipGlue {
  double width = 0, stretch = 0, shrink = 0;
};

// TeX's defaults (plain.tex) unless said otherwise.
struct Params {
  double pretolerance = 100;  // first pass, without hyphenation; < 0 skips it
  double tolerance = 200;     // second pass, with hyphenation
  double line_penalty = 10;
  double adj_demerits = 10000;          // adjacent lines in fitness classes more than one apart
  double double_hyphen_demerits = 10000;  // two consecutive hyphenated lines
  double final_hyphen_demerits = 5000;    // the last full line hyphenated
  // Hard limits a careful typesetter keeps: at most this many hyphenated
  // lines in a row (0: no limit, as in TeX), except in the last-resort
  // pass; no hyphen at the end of the last full line, except when no
  // breaking without one has lines within final_hyphen_tolerance (rather
  // than tolerance: the rule may loosen a line a little): then the pass
  // runs again with the hyphen allowed (rated with final_hyphen_demerits),
  // before the next, looser pass.
  int max_hyphen_run = 0;
  bool forbid_final_hyphen = false;
  double final_hyphen_tolerance = 200;
  SkipGlue left_skip, right_skip;
  // TeX's \emergencystretch: stretch assumed on every line when the
  // emergency and last-resort passes rate lines (not when setting them), so
  // looseness is spread over the paragraph and a lone rigid word is not
  // rated infinitely bad.
  double emergency_stretch = 0;
  // The emergency pass accepts lines of any looseness; the last-resort pass
  // also uses BreakClass::LastResort breaks. Off: a paragraph that cannot be
  // set within `tolerance` gets an empty Result (for testing single passes).
  bool emergency = true;
};

// Fitness classes (§817).
enum Fitness : int { VeryLoose = 0, Loose = 1, Decent = 2, Tight = 3 };

// One line of the result: the items [start, end) plus the break material.
struct Line {
  std::size_t start = 0;  // first item set on the line (discardables after the previous break skipped)
  std::size_t end = 0;    // the breakpoint: glue is dropped, a penalty adds its width,
                          // a discretionary adds pre_width instead of its width
  bool post_break = false;  // the line begins with the post-break part of the discretionary at start − 1
  // How the glue is set: finite glue gets width + ratio·stretch (ratio ≥ 0)
  // or width + ratio·shrink (ratio < 0, never below −1); infinite glue gets
  // fil_ratio·fil. With any fil stretch on an underfull line ratio is 0.
  double ratio = 0;
  double fil_ratio = 0;
  double badness = 0;
  int fitness = Decent;
  double demerits = 0;
  bool hyphenated = false;  // ends at a flagged break
  bool overfull = false;    // wider than its measure (only when one unbreakable item is)
};

struct Result {
  std::vector<Line> lines;
  double demerits = 0;  // total of the lines
  int pass = 0;         // 1 pretolerance, 2 tolerance, 3 emergency, 4 last resort
};

// The width available for line i (0-based).
using LineWidths = std::function<double(std::size_t line)>;

// Breaks `items` into lines. The list must end with a forced break
// (normally penalty(inf) glue(0,0,0,fil) penalty(−inf), TeX's \parfillskip
// ending, §816). With params.emergency (the default) there is always a
// result, and a line is overfull only when a single unbreakable stretch of
// items is wider than its measure. Throws
// std::invalid_argument when the list does not end with a forced break.
Result break_lines(const std::vector<Item>& items, const LineWidths& widths, const Params& params = {});

// The width glue `g` gets on line `line` (for setting the line).
double set_glue_width(const Item& g, const Line& line);

// Badness of a line that must stretch (`shortfall` > 0) or shrink by
// |shortfall| with the given stretchability/shrinkability: 100·|r|³ (§108
// approximates the same curve with integers). +infinity when it cannot.
double badness(double shortfall, double stretch, double shrink);

}  // namespace cp::layout::kp
