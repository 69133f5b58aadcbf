#include "documents/name_fit.h"

#include <algorithm>
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

NameFit fit_name(const std::string& text, const NameFitSpec& spec, const WidthPerPoint& width_per_point) {
  // Height of a block of n lines per point of size.
  auto block = [&](std::size_t n) { return static_cast<double>(n - 1) * spec.leading + spec.ascent + spec.descent; };
  // The largest size (at most `cap`) at which n lines, the widest `wpp`
  // wide per point, fit the box.
  auto largest = [&](double wpp, std::size_t n, double cap) {
    double s = cap;
    if (wpp > 0) s = std::min(s, spec.width / wpp);
    s = std::min(s, spec.height / block(n));
    return s * kNameFitSafety;
  };
  const double max_size = spec.max_size;
  const double min_size = std::min(spec.min_size, max_size);
  auto result = [&](double size, std::vector<std::string> lines) {
    NameFit f;
    if (!(size > 0)) {  // also NaN
      f.status = NameFitStatus::NoRoom;
      return f;
    }
    f.status = size >= min_size * kNameFitSafety ? NameFitStatus::Fits : NameFitStatus::BelowMinimum;
    f.size = size;
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

  std::string one = collapse_spaces(text);
  if (one.empty()) return {};
  const double s1 = largest(width_per_point(one), 1, max_size);
  if (s1 >= min_size * kNameFitSafety) return result(s1, {std::move(one)});

  // Two lines: the break that makes the wider half narrowest (the first
  // such break on a tie).
  std::optional<std::pair<std::string, std::string>> best;
  double best_wpp = 0;
  for (std::size_t i = one.find(' '); i != std::string::npos; i = one.find(' ', i + 1)) {
    std::string left = one.substr(0, i), right = one.substr(i + 1);
    const double wpp = std::max(width_per_point(left), width_per_point(right));
    if (!best || wpp < best_wpp) {
      best = {std::move(left), std::move(right)};
      best_wpp = wpp;
    }
  }
  if (best) {
    const double s2 = largest(best_wpp, 2, min_size);
    if (s2 >= s1) return result(s2, {std::move(best->first), std::move(best->second)});
  }
  return result(s1, {std::move(one)});
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
