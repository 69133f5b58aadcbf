// Fuzz target: layout::kp::break_lines on a horizontal list and line widths
// made from the input bytes. Checks the contract in knuth_plass.h: there is
// always a result, the lines cover the list in order, glue is never shrunk
// beyond its shrinkability, and no line is wider than its measure unless
// the result flags it overfull.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "layout/knuth_plass.h"

namespace kp = cp::layout::kp;

namespace {

class Bytes {
 public:
  Bytes(const std::uint8_t* d, std::size_t n) : d_(d), n_(n) {}
  bool empty() const { return i_ >= n_; }
  unsigned next() { return i_ < n_ ? d_[i_++] : 0u; }
  double unit() { return next() / 255.0; }  // 0..1

 private:
  const std::uint8_t* d_;
  std::size_t n_;
  std::size_t i_ = 0;
};

[[noreturn]] void fail(const char* what, std::size_t line, double a, double b) {
  std::fprintf(stderr, "knuth_plass contract broken: %s (line %zu: %g vs %g)\n", what, line, a, b);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;  // the breaker is quadratic at worst; keep runs fast
  Bytes in(data, size);

  // Line measures: 1–8 of them, the last one repeats (as in flow around a
  // heading or a hanging indent).
  std::vector<double> measures(1 + in.next() % 8);
  for (auto& m : measures) m = 20 + 400 * in.unit();

  kp::Params params;
  const unsigned mode = in.next();
  if (mode & 1) params.right_skip = {0, 30, 0};  // ragged right
  if (mode & 2) params.left_skip = {0, 30, 0};   // centred
  if (mode & 4) params.emergency_stretch = 20 * in.unit();
  if (mode & 8) params.pretolerance = -1;
  if (mode & 16) {  // the careful typesetter's rules, as paragraphs use them
    params.forbid_final_hyphen = true;
    params.max_hyphen_run = 2;
    params.final_hyphen_tolerance = params.tolerance + 1000 * in.unit();
  }
  params.tolerance = 50 + 9950 * in.unit();

  // The list: boxes (words), discretionaries (hyphenation points), glue
  // (spaces, shrink ≤ width), penalties (explicit breaks, hyphens).
  std::vector<kp::Item> items;
  while (!in.empty() && items.size() < 600) {
    const unsigned op = in.next() % 10;
    if (op < 4) {
      items.push_back(kp::box(1 + 120 * in.unit()));
    } else if (op < 7) {
      const double w = 8 * in.unit();
      items.push_back(kp::glue(w, 6 * in.unit(), w * in.unit()));
    } else if (op == 7) {
      const double w = 30 * in.unit();
      const auto when = static_cast<kp::BreakClass>(in.next() % 3);
      items.push_back(kp::discretionary(w, w * in.unit() + 3 * in.unit(), w * in.unit(), 50, true, when));
    } else if (op == 8) {
      const unsigned k = in.next();
      const double p = k < 32 ? kp::kEjectPenalty : k > 224 ? kp::kInfPenalty : (k - 128.0) * 10;
      const auto when = static_cast<kp::BreakClass>(in.next() % 3);
      items.push_back(kp::penalty(p, 4 * in.unit(), (k & 1) != 0, when));
    } else {
      items.push_back(kp::glue(0, 0, 0, in.next() % 4 == 0 ? 1 : 0));
    }
  }
  items.push_back(kp::penalty(kp::kInfPenalty));
  items.push_back(kp::glue(0, 0, 0, 1));
  items.push_back(kp::forced_break());

  const auto widths = [&](std::size_t line) { return measures[std::min(line, measures.size() - 1)]; };
  const kp::Result result = kp::break_lines(items, widths, params);

  if (result.lines.empty()) fail("no lines", 0, 0, 0);
  if (result.lines.back().end != items.size() - 1) fail("last line does not end at the end", 0, 0, 0);
  std::size_t previous_end = 0;
  bool first = true;
  for (std::size_t li = 0; li < result.lines.size(); ++li) {
    const kp::Line& line = result.lines[li];
    if (!first && line.end <= previous_end) fail("breaks not increasing", li, double(line.end), double(previous_end));
    if (line.start > line.end) fail("start after end", li, double(line.start), double(line.end));
    if (!first && line.start <= previous_end) fail("line starts before the previous break", li, double(line.start), double(previous_end));
    if (!(line.ratio >= -1.0 - 1e-9)) fail("glue shrunk beyond its shrinkability", li, line.ratio, -1);
    if (!std::isfinite(line.ratio) || !std::isfinite(line.fil_ratio)) fail("non-finite glue ratio", li, line.ratio, line.fil_ratio);
    first = false;
    previous_end = line.end;

    // The width the line is set at.
    double w = 0;
    if (line.post_break) w += items[line.start - 1].post_width;
    for (std::size_t i = line.start; i < line.end; ++i) {
      const kp::Item& it = items[i];
      if (it.type == kp::ItemType::Glue) w += kp::set_glue_width(it, line);
      else if (it.type != kp::ItemType::Penalty) w += it.width;
    }
    const kp::Item& brk = items[line.end];
    if (brk.type == kp::ItemType::Penalty) w += brk.width;
    if (brk.type == kp::ItemType::Discretionary) w += brk.pre_width;
    for (const auto* s : {&params.left_skip, &params.right_skip}) {
      const kp::Item g = kp::glue(s->width, s->stretch, s->shrink);
      w += kp::set_glue_width(g, line);
    }
    const double measure = widths(li);
    if (!line.overfull && w > measure + 1e-6 * std::max(1.0, measure)) fail("line wider than its measure", li, w, measure);
  }
  return 0;
}
