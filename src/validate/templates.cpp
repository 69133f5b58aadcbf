#include "validate/templates.h"

#include <fmt/format.h>

#include "load/source.h"
#include "model/placeholders.h"
#include "validate/fields.h"

namespace cp::validate {

namespace {

// A name that exists elsewhere is explained; otherwise the nearest known one.
std::string hint_for(const std::string& name, std::span<const std::string_view> candidates) {
  if (model::placeholder_known(name, false, true)) return "page numbers are only for layout headers and footers";
  if (model::placeholder_known(name, true, false)) return "participant placeholders are only for certificate texts";
  const auto best = nearest(name, candidates);
  return best ? fmt::format("did you mean '{{{{{}}}}}'?", *best) : "";
}

}  // namespace

void check_placeholders(std::string_view text, PlaceholderScope scope,
                        const std::function<SourceLoc(std::size_t)>& where, Diagnostics& diags) {
  const auto uses = model::find_placeholders(text);
  if (uses.empty()) return;
  const auto names = model::placeholder_names(scope.participant, scope.page);
  const std::vector<std::string_view> candidates(names.begin(), names.end());
  for (const auto& use : uses) {
    if (model::placeholder_known(use.name, scope.participant, scope.page)) continue;
    if (load::diagnostics_flooded(diags)) return;
    diags.error(where(use.offset), fmt::format("unknown placeholder '{{{{{}}}}}'", use.name),
                hint_for(use.name, candidates));
  }
}

}  // namespace cp::validate
