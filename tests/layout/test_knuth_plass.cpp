#include "layout/knuth_plass.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <optional>
#include <random>
#include <stdexcept>
#include <vector>

using namespace cp::layout::kp;

namespace {

// Words of the given widths separated by glue(1, 1, 0), ended by
// \parfillskip. Word i is item 2i, the glue after it item 2i + 1.
std::vector<Item> words(const std::vector<double>& ws, double stretch = 1, double shrink = 0) {
  std::vector<Item> items;
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (i > 0) items.push_back(glue(1, stretch, shrink));
    items.push_back(box(ws[i]));
  }
  items.push_back(penalty(kInfPenalty));
  items.push_back(glue(0, 0, 0, 1));
  items.push_back(forced_break());
  return items;
}

std::vector<std::size_t> ends(const Result& r) {
  std::vector<std::size_t> out;
  for (const auto& l : r.lines) out.push_back(l.end);
  return out;
}

// The width a line is set to: its items with the glue set, plus the break
// material.
double set_width(const std::vector<Item>& items, const Line& line, const Params& p = {}) {
  double w = p.left_skip.width + p.right_skip.width;
  if (line.post_break) w += items[line.start - 1].post_width;
  for (std::size_t i = line.start; i < line.end; ++i) {
    const Item& it = items[i];
    if (it.type == ItemType::Glue) {
      w += set_glue_width(it, line);
    } else if (it.is_box_like()) {
      w += it.width;
    }
  }
  const Item& b = items[line.end];
  if (b.type == ItemType::Penalty) w += b.width;
  if (b.type == ItemType::Discretionary) w += b.pre_width;
  double skip_stretch = p.left_skip.stretch + p.right_skip.stretch;
  if (line.ratio > 0) w += line.ratio * skip_stretch;
  return w;
}

// ---------------------------------------------------------------- brute force
//
// An independent statement of the objective (Knuth & Plass §"The algorithm",
// TeX §851–§859) evaluated on every set of breakpoints: exponential, only
// for small paragraphs.

struct Brute {
  const std::vector<Item>& items;
  std::function<double(std::size_t)> width;
  Params p;
  int pass = 2;

  bool forced(std::size_t i) const {
    return items[i].type == ItemType::Penalty && items[i].penalty <= kEjectPenalty;
  }
  bool legal(std::size_t i) const {
    const Item& it = items[i];
    if (it.type == ItemType::Box) return false;
    if (it.type == ItemType::Glue) return i > 0 && items[i - 1].is_box_like();
    if (it.penalty >= kInfPenalty) return false;
    if (it.when == BreakClass::Hyphenation && pass < 2) return false;
    if (it.when == BreakClass::LastResort && pass < 4) return false;
    return true;
  }
  // Where the line after a break at b starts, and its initial width offset.
  std::size_t start_after(std::size_t b, double& post) const {
    post = 0;
    if (items[b].type == ItemType::Discretionary && items[b].post_width > 0) {
      post = items[b].post_width;
      return b + 1;
    }
    std::size_t j = b + 1;
    while (j < items.size() && !items[j].is_box_like() && !forced(j)) ++j;
    return j;
  }

  // Total demerits of the breaks (ascending, last = final item), or nullopt
  // when a line is infeasible.
  std::optional<double> cost(const std::vector<std::size_t>& breaks) const {
    std::size_t start = 0;
    double post = 0;
    int prev_fit = Decent;
    bool prev_flagged = false;
    double total = 0;
    for (std::size_t li = 0; li < breaks.size(); ++li) {
      const std::size_t b = breaks[li];
      if (b < start) return std::nullopt;
      double w = post + p.left_skip.width + p.right_skip.width;
      double y = p.left_skip.stretch + p.right_skip.stretch;
      double z = p.left_skip.shrink + p.right_skip.shrink;
      double f = 0;
      for (std::size_t i = start; i < b; ++i) {
        const Item& it = items[i];
        if (it.type == ItemType::Glue) {
          w += it.width;
          y += it.stretch;
          z += it.shrink;
          f += it.fil;
        } else if (it.is_box_like()) {
          w += it.width;
        }
      }
      const Item& brk = items[b];
      if (brk.type == ItemType::Penalty) w += brk.width;
      if (brk.type == ItemType::Discretionary) w += brk.pre_width;
      const double shortfall = width(li) - w;
      double bad = 0;
      int fit = Decent;
      if (shortfall > 0 && f <= 0) {
        bad = y > 0 ? std::min(100 * std::pow(shortfall / y, 3), 10000.0) : 10000.0;
        fit = bad > 99 ? VeryLoose : bad > 12 ? Loose : Decent;
      } else if (shortfall < 0) {
        if (-shortfall > z + 1e-9) return std::nullopt;  // overfull
        bad = 100 * std::pow(-shortfall / z, 3);
        fit = bad > 12 ? Tight : Decent;
      }
      const double threshold = pass == 1 ? p.pretolerance : p.tolerance;
      if (bad > threshold) return std::nullopt;
      double d = (p.line_penalty + bad) * (p.line_penalty + bad);
      const double pen = brk.type == ItemType::Glue ? 0 : brk.penalty;
      if (pen > 0) d += pen * pen;
      else if (pen > kEjectPenalty) d -= pen * pen;
      const bool flagged = brk.type != ItemType::Glue && brk.flagged;
      const bool last = li + 1 == breaks.size();
      if (prev_flagged && last) d += p.final_hyphen_demerits;
      else if (prev_flagged && flagged) d += p.double_hyphen_demerits;
      if (std::abs(fit - prev_fit) > 1) d += p.adj_demerits;
      total += d;
      prev_fit = fit;
      prev_flagged = flagged;
      start = start_after(b, post);
    }
    return total;
  }

  std::optional<double> minimum() const {
    std::vector<std::size_t> optional_points, mandatory;
    for (std::size_t i = 0; i + 1 < items.size(); ++i) {
      if (!legal(i)) continue;
      (forced(i) ? mandatory : optional_points).push_back(i);
    }
    REQUIRE(optional_points.size() <= 18);
    std::optional<double> best;
    const std::size_t n = optional_points.size();
    for (std::size_t mask = 0; mask < (std::size_t{1} << n); ++mask) {
      std::vector<std::size_t> bs = mandatory;
      for (std::size_t k = 0; k < n; ++k)
        if (mask & (std::size_t{1} << k)) bs.push_back(optional_points[k]);
      bs.push_back(items.size() - 1);
      std::sort(bs.begin(), bs.end());
      if (auto c = cost(bs); c && (!best || *c < *best)) best = c;
    }
    return best;
  }
};

}  // namespace

TEST_CASE("total fit beats first fit on a hand-checked paragraph") {
  // Measure 10, words 2 1 3 1 4 2 4 2, glue (1, +1, −0).
  // First fit takes "2 1 3 1" (exactly 10) and leaves "4 2" with shortfall
  // 3 on stretch 1: badness 2700, beyond the tolerance. The optimum:
  //   "2 1 3"  natural 8, r = 2/2 = 1,    b = 100   very loose: (10+100)² + adj 10000 = 22100
  //   "1 4 2"  natural 9, r = 1/2 = 0.5,  b = 12.5  loose:      (10+12.5)²            =   506.25
  //   "4 2"    last line (parfillskip),   b = 0     decent:     (10+0)²               =   100
  // total 22706.25.
  const auto items = words({2, 1, 3, 1, 4, 2, 4, 2});
  Params p;
  p.pretolerance = -1;
  const Result r = break_lines(items, [](std::size_t) { return 10.0; }, p);
  CHECK(r.pass == 2);
  CHECK(ends(r) == std::vector<std::size_t>{5, 11, 17});
  CHECK(r.demerits == Approx(22706.25));
  REQUIRE(r.lines.size() == 3);
  CHECK(r.lines[0].fitness == VeryLoose);
  CHECK(r.lines[0].badness == Approx(100));
  CHECK(r.lines[1].ratio == Approx(0.5));
  CHECK(r.lines[2].fil_ratio == Approx(3.0));
  for (const auto& l : r.lines) CHECK(set_width(items, l) == Approx(10.0));

  Brute brute{items, [](std::size_t) { return 10.0; }, p};
  CHECK(brute.minimum() == Approx(22706.25));
  CHECK_FALSE(brute.cost({7, 11, 17}).has_value());  // the first-fit breaks are infeasible
}

TEST_CASE("the first pass ignores hyphenation points and succeeds when it can") {
  // "aaaa bbbb" fits in 9 at natural width; the hyphen break is never needed.
  std::vector<Item> items{box(4), glue(1, 1, 0), box(2), penalty(50, 1, true, BreakClass::Hyphenation), box(2),
                          penalty(kInfPenalty), glue(0, 0, 0, 1), forced_break()};
  Result r = break_lines(items, [](std::size_t) { return 9.0; });
  CHECK(r.pass == 1);
  CHECK(r.lines.size() == 1);

  // Measure 8: without the hyphen the only break leaves "aaaa" with
  // shortfall 3 and no stretch; the second pass takes "aaaa bb-".
  r = break_lines(items, [](std::size_t) { return 8.0; });
  CHECK(r.pass == 2);
  REQUIRE(r.lines.size() == 2);
  CHECK(r.lines[0].end == 3);
  CHECK(r.lines[0].hyphenated);
  CHECK(set_width(items, r.lines[0]) == Approx(8.0));
}

TEST_CASE("forced breaks end lines and cost nothing extra") {
  std::vector<Item> items{box(3), glue(1, 1, 0), box(3), penalty(kInfPenalty), glue(0, 0, 0, 1), forced_break(),
                          box(2), glue(1, 1, 0), box(2), penalty(kInfPenalty), glue(0, 0, 0, 1), forced_break()};
  const Result r = break_lines(items, [](std::size_t) { return 30.0; });
  CHECK(ends(r) == std::vector<std::size_t>{5, 11});
  CHECK(r.lines[1].start == 6);
  CHECK(r.demerits == Approx(200));  // two decent lines, (10 + 0)² each
  Brute brute{items, [](std::size_t) { return 30.0; }, {}};
  CHECK(brute.minimum() == Approx(r.demerits));
}

TEST_CASE("line widths may differ per line") {
  const auto items = words({3, 3, 3, 3, 3, 3, 3, 3});
  auto widths = [](std::size_t l) { return l == 0 ? 7.0 : 15.0; };
  const Result r = break_lines(items, widths);
  REQUIRE(r.lines.size() >= 2);
  CHECK(ends(r).front() == 3);  // "3 3" in the short first line
  for (std::size_t i = 0; i + 1 < r.lines.size(); ++i)
    CHECK(set_width(items, r.lines[i]) == Approx(widths(i)));
  Params p;
  Brute brute{items, widths, p};
  brute.pass = r.pass;
  CHECK(brute.minimum() == Approx(r.demerits));
}

TEST_CASE("agrees with exhaustive search on random paragraphs") {
  std::mt19937 rng(20240611);
  std::uniform_int_distribution<int> word(1, 6), kind(0, 9), count(4, 8);
  int compared = 0, hyphen_cost_mattered = 0;
  for (int round = 0; round < 300; ++round) {
    std::vector<Item> items;
    const int n = count(rng);
    for (int i = 0; i < n; ++i) {
      if (i > 0) items.push_back(glue(1, 1, 0.5));
      const int k = kind(rng);
      if (k == 0) {  // a hyphenatable word
        items.push_back(box(word(rng)));
        items.push_back(penalty(50, 0.5, true, BreakClass::Always));
        items.push_back(box(word(rng)));
      } else if (k == 1) {  // a discretionary (till- / låta)
        items.push_back(box(word(rng)));
        items.push_back(discretionary(1, 1.5, 1, 50, true));
        items.push_back(box(word(rng)));
      } else if (k == 2 && i > 0) {  // a forced break
        items.push_back(box(word(rng)));
        items.push_back(penalty(kInfPenalty));
        items.push_back(glue(0, 0, 0, 1));
        items.push_back(forced_break());
      } else {
        items.push_back(box(word(rng)));
      }
    }
    items.push_back(penalty(kInfPenalty));
    items.push_back(glue(0, 0, 0, 1));
    items.push_back(forced_break());
    const double first = 8 + word(rng), rest = 10 + word(rng);
    auto widths = [&](std::size_t l) { return l == 0 ? first : rest; };
    Params p;
    p.pretolerance = -1;
    p.tolerance = 1000;
    p.emergency = false;
    Brute brute{items, widths, p};
    const auto expected = brute.minimum();
    const Result r = break_lines(items, widths, p);
    if (!expected) {
      CHECK(r.lines.empty());
      continue;
    }
    INFO("round " << round);
    REQUIRE_FALSE(r.lines.empty());
    CHECK(r.demerits == Approx(*expected));
    std::vector<std::size_t> bs = ends(r);
    CHECK(brute.cost(bs) == Approx(*expected));

    // Without double/final hyphen demerits: still optimal, and sometimes a
    // different (more hyphenated) answer.
    Params q = p;
    q.double_hyphen_demerits = 0;
    q.final_hyphen_demerits = 0;
    Brute brute_q{items, widths, q};
    const Result rq = break_lines(items, widths, q);
    CHECK(rq.demerits == Approx(*brute_q.minimum()));
    if (ends(rq) != bs) ++hyphen_cost_mattered;

    for (std::size_t i = 0; i + 1 < r.lines.size(); ++i) {
      if (items[r.lines[i].end].type == ItemType::Penalty && items[r.lines[i].end].penalty <= kEjectPenalty) continue;
      CHECK(set_width(items, r.lines[i]) == Approx(widths(i)));
    }
    ++compared;
  }
  CHECK(compared > 150);
  CHECK(hyphen_cost_mattered > 0);
}

TEST_CASE("a box wider than the line breaks at last-resort points, never overfull") {
  // "ab" + a 25-unit word cut into five 5-unit pieces + "cd"; measure 10.
  std::vector<Item> items{box(2), glue(1, 1, 0.3)};
  for (int i = 0; i < 5; ++i) {
    if (i > 0) items.push_back(penalty(1000, 1, true, BreakClass::LastResort));
    items.push_back(box(5));
  }
  items.push_back(glue(1, 1, 0.3));
  items.push_back(box(2));
  items.push_back(penalty(kInfPenalty));
  items.push_back(glue(0, 0, 0, 1));
  items.push_back(forced_break());
  const Result r = break_lines(items, [](std::size_t) { return 10.0; });
  CHECK(r.pass == 4);
  for (const auto& l : r.lines) {
    CHECK_FALSE(l.overfull);
    CHECK(set_width(items, l) <= 10.0 + 1e-9);
  }

  // Without those points the wide box is the only overfull line.
  std::vector<Item> rigid{box(2), glue(1, 1, 0.3), box(25), glue(1, 1, 0.3), box(2),
                          penalty(kInfPenalty), glue(0, 0, 0, 1), forced_break()};
  const Result o = break_lines(rigid, [](std::size_t) { return 10.0; });
  CHECK(o.pass == 4);
  REQUIRE(o.lines.size() == 3);
  CHECK_FALSE(o.lines[0].overfull);
  CHECK(o.lines[1].overfull);
  CHECK_FALSE(o.lines[2].overfull);
}

TEST_CASE("forbidden final hyphen: a loose feasible breaking first, the hyphen when none is feasible") {
  // "4 4 1-" / "5 4" or "4 4" / "15 4" on a measure of 11.5.
  const auto para = [](double stretch) {
    return std::vector<Item>{box(4), glue(1, stretch, 0.3), box(4), glue(1, stretch, 0.3), box(1),
                             penalty(50, 1, true, BreakClass::Hyphenation), box(5), glue(1, stretch, 0.3), box(4),
                             penalty(kInfPenalty), glue(0, 0, 0, 1), forced_break()};
  };
  const auto widths = [](std::size_t) { return 11.5; };
  Params rated;
  rated.final_hyphen_demerits = 5000;
  Params p;
  p.forbid_final_hyphen = true;
  p.final_hyphen_demerits = 5000;

  // Stretchy spaces: "4 4" is loose (badness 195) but within the tolerance.
  const auto loose = para(2);
  const Result tex = break_lines(loose, widths, rated);
  REQUIRE(tex.lines.size() == 2);
  REQUIRE(tex.lines[0].hyphenated);  // TeX's rating alone takes the hyphen
  const Result r = break_lines(loose, widths, p);
  REQUIRE(r.lines.size() == 2);
  CHECK(r.pass == 2);
  CHECK_FALSE(r.lines[0].hyphenated);
  CHECK(r.lines[0].badness <= p.tolerance);

  // Stiff spaces: "4 4" is beyond the tolerance, so the hyphen stays.
  const Result s = break_lines(para(0.5), widths, p);
  REQUIRE(s.lines.size() == 2);
  CHECK(s.pass == 2);
  CHECK(s.lines[0].hyphenated);
  // ... unless the rule may loosen lines that far.
  Params loosen = p;
  loosen.final_hyphen_tolerance = 20000;
  const Result l = break_lines(para(0.5), widths, loosen);
  REQUIRE(l.lines.size() == 2);
  CHECK(l.pass == 2);
  CHECK_FALSE(l.lines[0].hyphenated);
  CHECK(l.lines[0].badness > p.tolerance);

  // One word wider than the measure, with one hyphenation point: the only
  // breaking that is not overfull ends the last full line with the hyphen.
  const std::vector<Item> word{box(6), penalty(50, 1, true, BreakClass::Hyphenation), box(6),
                               penalty(kInfPenalty), glue(0, 0, 0, 1), forced_break()};
  const Result f = break_lines(word, [](std::size_t) { return 8.0; }, p);
  CHECK(f.pass == 3);
  REQUIRE(f.lines.size() == 2);
  CHECK(f.lines[0].hyphenated);
  CHECK_FALSE(f.lines[0].overfull);
  CHECK_FALSE(f.lines[1].overfull);
}

TEST_CASE("the emergency pass accepts loose lines but no overfull ones") {
  // Rigid glue: every line is either exact or hopelessly underfull.
  const auto items = words({4, 4, 4, 4, 4}, 0.1, 0);
  const Result r = break_lines(items, [](std::size_t) { return 11.0; });
  CHECK(r.pass == 3);
  for (const auto& l : r.lines) {
    CHECK_FALSE(l.overfull);
    CHECK(set_width(items, l) <= 11.0 + 1e-9);
  }
}

TEST_CASE("ragged right: rigid spaces, stretch only at the line end") {
  std::vector<Item> items;
  const std::vector<double> ws{3, 5, 2, 6, 4, 3, 5, 2, 4};
  for (std::size_t i = 0; i < ws.size(); ++i) {
    if (i > 0) items.push_back(glue(1, 0, 0));
    items.push_back(box(ws[i]));
  }
  items.push_back(penalty(kInfPenalty));
  items.push_back(glue(0, 0, 0, 1));
  items.push_back(forced_break());
  Params p;
  p.right_skip = {0, 6, 0};  // 3em at an em of 2
  const Result r = break_lines(items, [](std::size_t) { return 14.0; }, p);
  REQUIRE(r.lines.size() >= 2);
  for (const auto& l : r.lines) {
    for (std::size_t i = l.start; i < l.end; ++i)
      if (items[i].type == ItemType::Glue && items[i].fil == 0) CHECK(set_glue_width(items[i], l) == Approx(1.0));
  }
  // Natural width of every line ≤ the measure, and the optimum by brute force.
  Brute brute{items, [](std::size_t) { return 14.0; }, p};
  brute.pass = r.pass;
  CHECK(brute.minimum() == Approx(r.demerits));
  // Ragged lines are balanced: no line much shorter than another (except the last).
  CHECK(r.pass <= 2);
  for (std::size_t i = 0; i + 1 < r.lines.size(); ++i) CHECK(r.lines[i].badness <= p.tolerance);
}

TEST_CASE("a list without a final forced break is rejected") {
  std::vector<Item> items{box(3)};
  CHECK_THROWS_AS(break_lines(items, [](std::size_t) { return 10.0; }), std::invalid_argument);
}
