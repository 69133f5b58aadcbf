// Knuth–Plass total-fit line breaking (TeX: The Program §813–890).
//
// Control flow
//   break_lines
//     prefix sums of width / stretch / shrink / fil over the items (TeX keeps
//       running totals in active_width, §823; prefix sums give the same numbers)
//     line widths sampled once; lines from `easy_line` on all have the same
//       width, so beyond it the line number no longer distinguishes nodes (§848)
//     pass 1  threshold = pretolerance, hyphenation breaks ignored   (§863)
//     pass 2  threshold = tolerance, hyphenation breaks allowed      (§863, §873)
//     pass 3  emergency: any underfull line is feasible; badness uncapped and
//             rated with emergency_stretch added (TeX's third pass, §863) so
//             very loose lines are still ranked; never an overfull line
//     with params.forbid_final_hyphen, when pass 2 finds no breaking only
//             because of a hyphen on the last full line: pass 2 again with
//             final_hyphen_tolerance, then with the hyphen allowed; pass 3
//             likewise with the hyphen allowed
//     pass 4  last resort: BreakClass::LastResort breaks (inside words too
//             wide for the line) and, only if a single item is wider than the
//             line, overfull lines at enormous cost
//   run_pass (one pass, §863–§873)
//     for each legal breakpoint b (§866: glue after a box, penalty < inf,
//     discretionary)
//       try_break (§829): for every active node a
//         line a→b: width, stretch, shrink from the totals (§851, §852, §853)
//         deactivate a if even all shrink cannot make a→b fit or b is forced (§854)
//         if feasible: demerits (§859), best per (line class, fitness) (§855)
//       new active nodes at b for every fitness class within adj_demerits of
//       the best of its line class (§836, §845); their totals start after the
//       discardable items following b (§837, §840)
//     the best node at the final forced break; follow `prev` back (§874–§880)
//
// Differences from TeX, all deliberate:
//   * badness is the exact 100·r³ (capped at 10000 in passes 1–2 as TeX's
//     inf_bad), and (line_penalty + b)² is never clamped to 10⁸;
//   * a node is deactivated only when the line's content without the break
//     material can no longer fit, so a wide hyphen never hides a later glue
//     break; this keeps the search exact (glue shrink ≤ glue width makes the
//     content minus shrink non-decreasing);
//   * pass 3 has no tolerance (TeX's keeps it, with \emergencystretch) and
//     pass 4 replaces TeX's overfull boxes.
#include "layout/knuth_plass.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

namespace cp::layout::kp {

Item box(double w) {
  Item i;
  i.type = ItemType::Box;
  i.width = w;
  return i;
}

Item glue(double w, double stretch, double shrink, double fil) {
  Item i;
  i.type = ItemType::Glue;
  i.width = w;
  i.stretch = stretch;
  i.shrink = shrink;
  i.fil = fil;
  return i;
}

Item penalty(double p, double w, bool flagged, BreakClass when) {
  Item i;
  i.type = ItemType::Penalty;
  i.penalty = p;
  i.width = w;
  i.flagged = flagged;
  i.when = when;
  return i;
}

Item discretionary(double w, double pre, double post, double p, bool flagged, BreakClass when) {
  Item i;
  i.type = ItemType::Discretionary;
  i.width = w;
  i.pre_width = pre;
  i.post_width = post;
  i.penalty = p;
  i.flagged = flagged;
  i.when = when;
  return i;
}

double set_glue_width(const Item& g, const Line& line) {
  if (g.type != ItemType::Glue) return g.width;
  double w = g.width;
  const double r = std::max(line.ratio, -1.0);
  w += r >= 0 ? r * g.stretch : r * g.shrink;
  w += line.fil_ratio * g.fil;
  return w;
}

double badness(double shortfall, double stretch, double shrink) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (shortfall > 0) {
    if (stretch <= 0) return inf;
    const double r = shortfall / stretch;
    return 100 * r * r * r;
  }
  if (shortfall < 0) {
    if (shrink <= 0 || -shortfall > shrink) return inf;
    const double r = -shortfall / shrink;
    return 100 * r * r * r;
  }
  return 0;
}

namespace {

constexpr double kInfBad = 10000;          // TeX's inf_bad
constexpr double kMinEmergencyStretch = 1e-3;  // rates a rigid underfull line when emergency_stretch is 0
constexpr double kOverfullBadness = 1e30;  // per unit of overflow, pass 4 only
constexpr std::size_t kNone = static_cast<std::size_t>(-1);

struct Totals {
  double w = 0, y = 0, z = 0, f = 0;  // width, stretch, shrink, fil
};

Totals operator-(const Totals& a, const Totals& b) { return {a.w - b.w, a.y - b.y, a.z - b.z, a.f - b.f}; }

// A feasible breakpoint (TeX's active and passive nodes in one).
struct Node {
  std::size_t pos = kNone;  // item index of the break; kNone for the paragraph start
  std::size_t line = 0;     // number of lines ending at or before this break
  int fitness = Decent;
  bool flagged = false;
  int hyphens = 0;           // hyphenated lines in a row ending here (at most max_hyphen_run counted)
  double total = 0;          // total demerits up to here
  Totals after;              // totals where the next line starts
  std::size_t start = 0;     // item index where the next line starts
  bool post_break = false;   // the next line starts with a discretionary's post-break part
  int prev = -1;
  // The line that ends here.
  double ratio = 0, fil_ratio = 0, badness = 0, demerits = 0;
  bool overfull = false;
};

struct Candidate {
  bool set = false;
  double total = 0;
  int from = -1;
  double ratio = 0, fil_ratio = 0, badness = 0, demerits = 0;
  bool overfull = false;
};

// The best way to each break per fitness class and per number of
// hyphenated lines in a row before it (0, 1, 2+), so a path that may still
// hyphenate is not lost to a cheaper one that may not.
constexpr int kHyphenRuns = 3;

struct LineClass {
  std::size_t line = 0;  // line count of the new nodes (clamped to easy_line)
  Candidate best[4 * kHyphenRuns];
};

class Breaker {
 public:
  Breaker(const std::vector<Item>& items, const LineWidths& widths, const Params& params)
      : items_(items), params_(params) {
    const std::size_t n = items_.size();
    sums_.resize(n + 1);
    std::size_t breakpoints = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const Item& it = items_[i];
      Totals t = sums_[i];
      switch (it.type) {
        case ItemType::Box:
        case ItemType::Discretionary:
          t.w += it.width;
          break;
        case ItemType::Glue:
          t.w += it.width;
          t.y += it.stretch;
          t.z += it.shrink;
          t.f += it.fil;
          break;
        case ItemType::Penalty:
          break;
      }
      sums_[i + 1] = t;
      if (is_legal(i, 4)) ++breakpoints;
    }
    // A paragraph has at most one line per breakpoint; sample the widths once.
    const std::size_t max_lines = breakpoints + 1;
    widths_.reserve(max_lines);
    for (std::size_t l = 0; l < max_lines; ++l) widths_.push_back(widths(l));
    easy_line_ = max_lines - 1;
    while (easy_line_ > 0 && widths_[easy_line_ - 1] == widths_[easy_line_]) --easy_line_;
  }

  Result run() {
    if (params_.pretolerance >= 0) {
      if (auto r = run_pass(1)) return *r;
    }
    // When the rule against a hyphen on the last full line is all that
    // keeps the second pass from a breaking, looser lines are taken first
    // (up to final_hyphen_tolerance), then the hyphen: it is better than
    // lines looser still, a cut inside a word or a broken tie.
    const bool strict = params_.forbid_final_hyphen;
    if (auto r = run_pass(2)) return *r;
    if (strict) {
      if (auto with_hyphen = run_pass(2, true)) {
        if (params_.final_hyphen_tolerance > params_.tolerance) {
          if (auto r = run_pass(2, false, params_.final_hyphen_tolerance)) return *r;
        }
        return *with_hyphen;
      }
    }
    if (params_.emergency) {
      if (auto r = run_pass(3)) return *r;
      if (strict) {
        if (auto r = run_pass(3, true)) return *r;
      }
      if (auto r = run_pass(4, true)) return *r;  // always succeeds: overfull lines are feasible
    }
    return Result{};
  }

 private:
  bool is_forced(std::size_t i) const {
    return items_[i].type == ItemType::Penalty && items_[i].penalty <= kEjectPenalty;
  }

  bool is_legal(std::size_t i, int pass) const {
    const Item& it = items_[i];
    switch (it.type) {
      case ItemType::Box:
        return false;
      case ItemType::Glue:
        return i > 0 && items_[i - 1].is_box_like();
      case ItemType::Penalty:
      case ItemType::Discretionary:
        if (it.penalty >= kInfPenalty) return false;
        if (it.when == BreakClass::Hyphenation) return pass >= 2;
        if (it.when == BreakClass::LastResort) return pass >= 4;
        return true;
    }
    return false;
  }

  double width_of_line(std::size_t line) const { return widths_[std::min(line, widths_.size() - 1)]; }

  // Where the line after a break at b starts: discardable glue and penalties
  // are dropped up to the next box, discretionary or forced break (§837);
  // after a discretionary with post-break material the line starts with it.
  void after_break(std::size_t b, Node& node) const {
    const Item& it = items_[b];
    std::size_t j = b + 1;
    if (it.type == ItemType::Discretionary && it.post_width > 0) {
      node.start = j;
      node.after = sums_[j];
      node.after.w -= it.post_width;
      node.post_break = true;
      return;
    }
    while (j < items_.size() && !items_[j].is_box_like() && !is_forced(j)) ++j;
    node.start = j;
    node.after = sums_[j];
  }

  // `final_hyphen`: a hyphen on the last full line is allowed (rated with
  // final_hyphen_demerits) even when params.forbid_final_hyphen.
  // `tolerance`, when positive, replaces params.tolerance.
  std::optional<Result> run_pass(int pass, bool final_hyphen = false, double tolerance = 0);

  const std::vector<Item>& items_;
  const Params& params_;
  std::vector<Totals> sums_;
  std::vector<double> widths_;
  std::size_t easy_line_ = 0;
};

std::optional<Result> Breaker::run_pass(int pass, bool final_hyphen, double tolerance) {
  const bool emergency = pass >= 3;
  const double threshold = pass == 1 ? params_.pretolerance : tolerance > 0 ? tolerance : params_.tolerance;
  const SkipGlue skip{params_.left_skip.width + params_.right_skip.width,
                      params_.left_skip.stretch + params_.right_skip.stretch,
                      params_.left_skip.shrink + params_.right_skip.shrink};
  const std::size_t n = items_.size();

  std::vector<Node> nodes;
  nodes.push_back(Node{});  // the paragraph start: nothing discarded (§864)
  std::vector<int> active{0};
  std::vector<int> next_active;
  std::vector<LineClass> classes;

  for (std::size_t b = 0; b < n; ++b) {
    if (!is_legal(b, pass)) continue;
    const Item& brk = items_[b];
    const bool forced = is_forced(b);
    const bool last = b + 1 == n;
    // Break material at the line end: a penalty's width (the hyphen), or a
    // discretionary's pre-break width (its unbroken width is not in sums_[b]).
    const double extra_end = brk.type == ItemType::Penalty         ? brk.width
                             : brk.type == ItemType::Discretionary ? brk.pre_width
                                                                   : 0;
    classes.clear();
    next_active.clear();

    for (int ai : active) {
      const Node& a = nodes[static_cast<std::size_t>(ai)];
      if (b < a.start) {  // b lies in the discardables after a
        next_active.push_back(ai);
        continue;
      }
      const Totals c = sums_[b] - a.after;
      const double target = width_of_line(a.line);
      const double content = c.w + skip.width;
      const double width = content + extra_end;
      const double stretch = c.y + skip.stretch;
      const double shrink = c.z + skip.shrink;
      const double fil = c.f;
      const double shortfall = target - width;

      // §851–§854: can no later breakpoint fit after a?
      const bool hopeless = content - shrink > target + 1e-9;
      if (!hopeless && !forced) next_active.push_back(ai);

      double ratio = 0, fil_ratio = 0, bad = 0;
      int fit = Decent;
      bool overfull = false;
      if (shortfall > 0) {
        if (fil > 0) {
          fil_ratio = shortfall / fil;  // §852: infinite stretch makes the line decent
        } else {
          ratio = stretch > 0 ? shortfall / stretch : 0;
          if (emergency) {
            bad = badness(shortfall, std::max(stretch + params_.emergency_stretch, kMinEmergencyStretch), 0);
          } else {
            bad = std::min(badness(shortfall, stretch, 0), kInfBad);
          }
          fit = bad > 99 ? VeryLoose : bad > 12 ? Loose : Decent;
        }
      } else if (shortfall < 0) {
        if (-shortfall > shrink + 1e-9) {
          overfull = true;
          ratio = -1;
          bad = kOverfullBadness * (1 - shortfall - shrink);
          fit = Tight;
        } else {
          bad = shrink > 0 ? badness(shortfall, 0, shrink) : 0;
          ratio = shrink > 0 ? std::max(shortfall / shrink, -1.0) : 0;
          fit = bad > 12 ? Tight : Decent;
        }
      }
      const bool feasible = overfull ? pass >= 4 : (emergency || bad <= threshold);
      if (!feasible) continue;
      const bool hyphenated = brk.type != ItemType::Glue && brk.flagged;
      // No more hyphenated lines in a row than allowed, but in the
      // last-resort pass; no hyphen on the last full line, but when no
      // breaking without one exists.
      if (pass < 4 && hyphenated && params_.max_hyphen_run > 0 && a.hyphens >= params_.max_hyphen_run) continue;
      if (!final_hyphen && last && a.flagged && params_.forbid_final_hyphen) continue;
      const int run = hyphenated ? std::min(a.hyphens + 1, kHyphenRuns - 1) : 0;

      // §859: demerits of the line a→b.
      double d = params_.line_penalty + bad;
      d *= d;
      const double p = brk.type == ItemType::Glue ? 0 : brk.penalty;
      if (p > 0) {
        d += p * p;
      } else if (p > kEjectPenalty) {
        d -= p * p;
      }
      if (a.flagged) {
        if (last) {
          d += params_.final_hyphen_demerits;
        } else if (brk.flagged && brk.type != ItemType::Glue) {
          d += params_.double_hyphen_demerits;
        }
      }
      if (std::abs(fit - a.fitness) > 1) d += params_.adj_demerits;
      const double total = a.total + d;

      const std::size_t line_class = std::min(a.line + 1, easy_line_);
      auto cls = std::find_if(classes.begin(), classes.end(),
                              [&](const LineClass& lc) { return lc.line == line_class; });
      if (cls == classes.end()) {
        classes.push_back(LineClass{});
        cls = classes.end() - 1;
        cls->line = line_class;
      }
      Candidate& cand = cls->best[fit * kHyphenRuns + run];
      if (!cand.set || total < cand.total) {
        cand = Candidate{true, total, ai, ratio, fil_ratio, bad, d, overfull};
      }
    }

    // §836, §845: new active nodes, one per fitness class that can still win.
    for (const LineClass& lc : classes) {
      double best = std::numeric_limits<double>::infinity();
      for (const Candidate& c : lc.best)
        if (c.set) best = std::min(best, c.total);
      for (int slot = 0; slot < 4 * kHyphenRuns; ++slot) {
        const int fit = slot / kHyphenRuns;
        const Candidate& c = lc.best[slot];
        if (!c.set || c.total > best + params_.adj_demerits) continue;
        Node node;
        node.pos = b;
        node.line = lc.line;
        node.fitness = fit;
        node.flagged = brk.type != ItemType::Glue && brk.flagged;
        node.hyphens = node.flagged ? (c.from >= 0 ? nodes[static_cast<std::size_t>(c.from)].hyphens : 0) + 1 : 0;
        node.total = c.total;
        node.prev = c.from;
        node.ratio = c.ratio;
        node.fil_ratio = c.fil_ratio;
        node.badness = c.badness;
        node.demerits = c.demerits;
        node.overfull = c.overfull;
        if (!last) after_break(b, node);
        nodes.push_back(node);
        next_active.push_back(static_cast<int>(nodes.size() - 1));
      }
    }
    active.swap(next_active);
    if (active.empty()) return std::nullopt;  // no feasible way past b in this pass
  }

  // The best node at the final break (all others were deactivated by it).
  int best = -1;
  for (int ai : active) {
    const Node& a = nodes[static_cast<std::size_t>(ai)];
    if (a.pos != n - 1) continue;
    if (best < 0 || a.total < nodes[static_cast<std::size_t>(best)].total) best = ai;
  }
  if (best < 0) return std::nullopt;

  Result result;
  result.pass = pass;
  result.demerits = nodes[static_cast<std::size_t>(best)].total;
  for (int i = best; nodes[static_cast<std::size_t>(i)].prev >= 0; i = nodes[static_cast<std::size_t>(i)].prev) {
    const Node& node = nodes[static_cast<std::size_t>(i)];
    const Node& prev = nodes[static_cast<std::size_t>(node.prev)];
    Line line;
    line.start = prev.start;
    line.end = node.pos;
    line.post_break = prev.post_break;
    line.ratio = node.ratio;
    line.fil_ratio = node.fil_ratio;
    line.badness = node.badness;
    line.fitness = node.fitness;
    line.demerits = node.demerits;
    line.hyphenated = node.flagged;
    line.overfull = node.overfull;
    result.lines.push_back(line);
  }
  std::reverse(result.lines.begin(), result.lines.end());
  return result;
}

}  // namespace

Result break_lines(const std::vector<Item>& items, const LineWidths& widths, const Params& params) {
  if (items.empty() || items.back().type != ItemType::Penalty || items.back().penalty > kEjectPenalty) {
    throw std::invalid_argument("knuth-plass: the item list must end with a forced break");
  }
  Breaker breaker(items, widths, params);
  return breaker.run();
}

}  // namespace cp::layout::kp
