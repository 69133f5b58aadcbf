#include "documents/name_fit.h"

#include "documents/typeset.h"

#include <algorithm>
#include <tuple>
#include <optional>
#include <utility>

namespace cp::documents {

std::string collapse_spaces(const std::string& s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r') {
      space = !out.empty();
    } else {
      if (space) out += ' ';
      space = false;
      out += c;
    }
  }
  return out;
}

namespace {

// The words of `one` (single spaces between them) on k = 1 … max_lines
// lines, each breaking balanced: lines[k] the lines, widest[k] the widest
// line's width per point (k beyond the words' count left out).
struct Breakings {
  std::vector<std::vector<std::string>> lines;
  std::vector<double> widest;
};

Breakings balanced_breakings(const std::string& one, std::size_t max_lines, const WidthPerPoint& width_per_point) {
  std::vector<std::size_t> starts{0};  // byte offsets of the words
  for (std::size_t i = one.find(' '); i != std::string::npos; i = one.find(' ', i + 1)) starts.push_back(i + 1);
  const std::size_t n = starts.size();
  auto text_of = [&](std::size_t from, std::size_t to) {  // words [from, to)
    const std::size_t end = to < n ? starts[to] - 1 : one.size();
    return one.substr(starts[from], end - starts[from]);
  };
  // span[i][j]: width per point of words [i, j) on one line.
  std::vector<std::vector<double>> span(n + 1, std::vector<double>(n + 1, 0));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = i + 1; j <= n; ++j) span[i][j] = width_per_point(text_of(i, j));
  // best[k][j]: the narrowest widest line setting words [0, j) in k lines.
  constexpr double kInf = 1e300;
  const std::size_t most = std::min(max_lines, n);
  std::vector<std::vector<double>> best(most + 1, std::vector<double>(n + 1, kInf));
  std::vector<std::vector<std::size_t>> from(most + 1, std::vector<std::size_t>(n + 1, 0));
  best[0][0] = 0;
  Breakings out;
  out.lines.resize(most + 1);
  out.widest.assign(most + 1, kInf);
  for (std::size_t k = 1; k <= most; ++k) {
    for (std::size_t j = 1; j <= n; ++j)
      for (std::size_t i = k - 1; i < j; ++i) {
        if (best[k - 1][i] >= kInf) continue;
        const double w = std::max(best[k - 1][i], span[i][j]);
        if (w < best[k][j]) {
          best[k][j] = w;
          from[k][j] = i;
        }
      }
    out.widest[k] = best[k][n];
    std::vector<std::string> lines(k);
    for (std::size_t kk = k, j = n; kk > 0; --kk) {
      lines[kk - 1] = text_of(from[kk][j], j);
      j = from[kk][j];
    }
    out.lines[k] = std::move(lines);
  }
  return out;
}

}  // namespace

NameFit fit_name(const std::string& text, const NameFitSpec& spec, const WidthPerPoint& width_per_point) {
  // Height of a block of n lines per point of size.
  auto block = [&](std::size_t n) { return static_cast<double>(n - 1) * spec.leading + spec.ascent + spec.descent; };
  // The largest size (at most `cap`) at which n lines, the widest `wpp`
  // wide per point, fit the box.
  auto largest = [&](double wpp, std::size_t n, double cap) {
    double s = cap;
    if (wpp > 0) s = std::min(s, spec.width / wpp);
    s = std::min(s, spec.height / block(n));
    return s * spec.safety;
  };
  const double max_size = spec.max_size;
  const double min_size = std::min(spec.min_size, max_size);
  // With steps, the largest of them at most `size` (nullopt: none is).
  auto on_steps = [&](double size) -> std::optional<double> {
    if (spec.step <= 0) return size;
    if (!(size > 0)) return std::nullopt;
    return shrink_to_fit(max_size, min_size, spec.step, [&](double s, bool) { return s <= size; });
  };
  auto result = [&](double size, std::vector<std::string> lines) {
    NameFit f;
    if (!(size > 0)) {  // also NaN
      f.status = NameFitStatus::NoRoom;
      return f;
    }
    const auto stepped = on_steps(size);
    f.status = stepped && *stepped >= min_size * spec.safety ? NameFitStatus::Fits : NameFitStatus::BelowMinimum;
    f.size = f.status == NameFitStatus::Fits ? *stepped : size;
    f.lines = std::move(lines);
    return f;
  };

  if (text.find('\n') != std::string::npos) {
    // Lines written in the template: as written, shrunk together.
    std::vector<std::string> lines;
    double widest = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      lines.push_back(collapse_spaces(text.substr(start, end - start)));
      widest = std::max(widest, width_per_point(lines.back()));
      start = end + 1;
    }
    const double size = largest(widest, lines.size(), max_size);
    return result(size, std::move(lines));
  }

  const std::string one = collapse_spaces(text);
  if (one.empty()) return {};
  const Breakings breakings = balanced_breakings(one, std::max<std::size_t>(spec.max_lines, 1), width_per_point);
  // Broken lines are held at min_size when shrinking comes first.
  const double multi_cap = spec.shrink_first ? min_size : max_size;
  // The number of lines allowing the largest size (fewer on a tie), on the
  // steps while any fits, else at any size.
  auto pick = [&](bool stepped) {
    std::size_t chosen = 0;
    double chosen_size = 0;
    for (std::size_t k = 1; k < breakings.lines.size(); ++k) {
      double s = largest(breakings.widest[k], k, k == 1 ? max_size : multi_cap);
      if (stepped) {
        const auto on = on_steps(s);
        if (!on || *on < min_size * spec.safety) continue;
        s = *on;
      }
      if (chosen == 0 || s > chosen_size) {
        chosen = k;
        chosen_size = s;
      }
    }
    return std::pair{chosen, chosen_size};
  };
  auto [k, size] = pick(true);
  if (k == 0) std::tie(k, size) = pick(false);
  return result(size, breakings.lines[k]);
}

NameFit fit_name(const std::string& text, const NameFitSpec& spec, const layout::TextStyle& style,
                 fonts::FontSet& fonts) {
  // Advances are fixed fractions of the em, so the width at 100 pt divided
  // by 100 is the width per point at any size.
  layout::TextStyle at100 = style;
  at100.size = 100;
  return fit_name(text, spec, [&](const std::string& s) { return layout::natural_width(s, at100, fonts) / 100; });
}

}  // namespace cp::documents
