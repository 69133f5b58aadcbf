#include "app/visit_selection.h"

#include <fmt/format.h>

#include "core/text.h"

namespace cp::app {

bool names_municipality(std::string_view word, const model::Municipality& m) {
  const std::string w = text::to_lower(text::trim(word));
  return w == text::to_lower(m.slug) || w == text::to_lower(m.name) ||
         w == text::to_lower(model::short_municipality_name(m.name));
}

bool selected(const std::string& only, const model::Municipality& m, const model::Visit& v) {
  if (only.empty()) return true;
  const auto slash = only.find('/');
  if (!names_municipality(std::string_view(only).substr(0, slash), m)) return false;
  if (slash == std::string::npos) return true;
  const std::string_view visit = text::trim(std::string_view(only).substr(slash + 1));
  return visit == v.key() || visit == v.date.iso();
}

std::string only_hint(const model::Programme& p, const std::string& only) {
  const auto slash = only.find('/');
  for (const auto& m : p.municipalities) {
    if (slash == std::string::npos || !names_municipality(std::string_view(only).substr(0, slash), m)) continue;
    std::string visits;
    for (const auto& v : m.visits) visits += (visits.empty() ? "" : ", ") + m.slug + "/" + v.key();
    return visits.empty() ? fmt::format("{} has no visits", m.name) : "its visits are " + visits;
  }
  std::string names;
  for (const auto& m : p.municipalities) names += (names.empty() ? "" : ", ") + m.slug;
  return "give a municipality's name or one of " + names + ", optionally with /DATE";
}

}  // namespace cp::app
